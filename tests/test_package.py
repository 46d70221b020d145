"""The package skeleton: version, light import, setup check."""

import subprocess
import sys

import xentlib as xl


def test_version_is_a_release_string():
    parts = xl.__version__.split(".")
    assert len(parts) == 3 and all(p.isdigit() for p in parts)


def test_import_is_light():
    # `import xentlib` must not pull in matplotlib or ipywidgets (they load on first use).
    code = "import sys, xentlib; print(sorted(m for m in ('matplotlib', 'ipywidgets', 'IPython') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_lazy_submodules_load_on_attribute_access():
    assert xl.exercises.lesson(0).number == 0
    assert callable(xl.plotting.use_style)


def test_unknown_attribute_raises_attribute_error():
    try:
        xl.no_such_thing  # noqa: B018
    except AttributeError as exc:
        assert "no_such_thing" in str(exc)
    else:
        raise AssertionError("expected AttributeError")
