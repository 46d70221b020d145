"""The lowest versions pyproject.toml allows are true (tools/floor_test.py, `make floors`).

Every package xentlib imports is declared with a floor, and xentlib's tests pass with
exactly those versions installed. The last test installs them from PyPI into a throwaway
environment (a few hundred MB, a few minutes): it runs on CI (CI=true) and with
XENTLIB_TEST_FLOORS=1 (`make floors` runs the same tool directly); elsewhere it skips and
says so.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys

import pytest

from tools import floor_test
from tools.course import ROOT

# Import name → the distribution that provides it.
DISTRIBUTIONS = {"PIL": "pillow", "IPython": "ipython", "jupyter_core": "jupyter-core"}
# Imported without being declared, on purpose: why each cannot be missing where it is used.
NOT_DECLARED = {
    "IPython": "imported only inside a running kernel (setup_check.in_kernel()), which has it",
    "jupyter_core": "optional: imported under `except ImportError` (progress.py's data folder)",
}


def _guarded(node, parents) -> bool:
    """Is the import ``node`` inside ``try: … except ImportError``?"""
    for parent in parents.get(node, ()):
        if isinstance(parent, ast.Try) and any(
            isinstance(h.type, ast.Name) and h.type.id in ("ImportError", "ModuleNotFoundError")
            for h in parent.handlers
        ):
            return True
    return False


def third_party_imports() -> dict[str, list[str]]:
    """Each top-level module xentlib imports that is neither xentlib's nor the standard
    library's → the files that import it (outside ``try … except ImportError``)."""
    found: dict[str, list[str]] = {}
    for path in sorted((ROOT / "xentlib").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parents: dict = {}
        for parent in ast.walk(tree):
            for child in ast.iter_child_nodes(parent):
                parents[child] = [parent, *parents.get(parent, [])]
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top == "xentlib" or top in sys.stdlib_module_names or _guarded(node, parents):
                    continue
                found.setdefault(top, []).append(path.relative_to(ROOT).as_posix())
    return found


def test_every_package_xentlib_imports_is_declared_with_a_floor():
    declared = floor_test.floors()
    undeclared = {
        module: files
        for module, files in third_party_imports().items()
        if DISTRIBUTIONS.get(module, module).lower() not in declared and module not in NOT_DECLARED
    }
    assert not undeclared, (
        f"xentlib imports {undeclared} but pyproject.toml does not declare them: add "
        "'name>=floor' to dependencies or an extra, and run `make floors`"
    )
    assert {"numpy", "matplotlib", "pillow", "ipywidgets", "anywidget"} <= set(declared)


def test_the_import_scan_finds_a_missing_declaration(monkeypatch):
    # Were anywidget (imported by widgets/_view.py) not declared, the scan would see it.
    assert "xentlib/widgets/_view.py" in third_party_imports()["anywidget"]
    monkeypatch.setattr(floor_test, "floors", lambda: {"numpy": "2.0", "matplotlib": "3.10.7"})
    with pytest.raises(AssertionError, match="anywidget"):
        test_every_package_xentlib_imports_is_declared_with_a_floor()


def test_a_requirement_without_a_floor_is_refused(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\ndependencies = ["numpy>=2.0", "matplotlib"]\n')
    with pytest.raises(SystemExit, match="'matplotlib' is not of the form 'name>=version'"):
        floor_test.floors(pyproject)
    pyproject.write_text(
        '[project]\ndependencies = ["numpy>=2.0"]\n'
        '[project.optional-dependencies]\nplot = ["numpy>=1.24"]\n'
    )
    with pytest.raises(SystemExit, match="numpy with two floors"):
        floor_test.floors(pyproject)


def test_the_floor_run_installs_exactly_the_floors_and_the_pinned_test_tools():
    lines = floor_test.install_lines()
    for name, version in floor_test.floors().items():
        assert f"{name}=={version}" in lines
    assert any(line.startswith("pytest==") for line in lines)
    assert all((ROOT / test).is_file() for test in floor_test.FLOOR_TESTS)


@pytest.mark.network
def test_xentlib_passes_its_tests_at_the_floors():
    on_ci = os.environ.get("CI", "").lower() == "true"
    if not on_ci and os.environ.get("XENTLIB_TEST_FLOORS") != "1":
        pytest.skip("installs the floor versions from PyPI: runs on CI, or XENTLIB_TEST_FLOORS=1")
    run = subprocess.run(
        [sys.executable, ROOT / "tools" / "floor_test.py"],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    tail = (run.stdout + run.stderr)[-4000:]
    assert run.returncode == 0, tail
    assert " passed" in run.stdout.splitlines()[-1] and "failed" not in run.stdout.splitlines()[-1]
