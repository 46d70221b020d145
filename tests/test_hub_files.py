"""The classroom kit's files: the hub requirements, the JupyterLab settings and their installer,
and the Makefile targets that use them (docs/deploy-hub.md tells teachers the same commands)."""

import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from packaging.requirements import Requirement

from tools import install_overrides
from tools.course import ROOT

SCHEMAS = Path(sys.prefix) / "share" / "jupyter" / "lab" / "schemas"


def read_requirements(
    path: Path, *, drop: tuple[str, ...] = ()
) -> dict[tuple[str, str], Requirement]:
    """Pinned requirements of a file, keyed by (name, marker); fails on anything else.
    Lines in ``drop`` are left out (requirements.txt's ``-e .``)."""
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split(" #")[0].strip()
        if not line or line.startswith(("#", "-r ", "-c ")) or line in drop:
            continue
        assert not line.startswith(("-e", ".", "/")), f"{path.name}: local install {line!r}"
        req = Requirement(line)
        specs = list(req.specifier)
        assert len(specs) == 1 and specs[0].operator == "==", f"{path.name}: not pinned: {line}"
        pins[(req.name.lower(), str(req.marker or ""))] = req
    return pins


def runtime_pins() -> dict:
    """requirements.txt's pins: what `make lab` and the tests run, without its `-e .`."""
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert "-e ." in lines, "make lab keeps xentlib editable: the checkout is the working copy"
    return read_requirements(ROOT / "requirements.txt", drop=("-e .",))


def _version(pins: dict, name: str) -> str:
    (req,) = [r for (n, _m), r in pins.items() if n == name]
    return next(iter(req.specifier)).version


def test_hub_requirements_are_the_course_pins_without_an_editable_install():
    hub = read_requirements(ROOT / "requirements-hub.txt")
    runtime = runtime_pins()
    assert {k: str(v) for k, v in hub.items() if k in runtime} == {
        k: str(v) for k, v in runtime.items()
    }
    extra = sorted({name for name, _marker in set(hub) - set(runtime)})
    assert extra == ["jupyterhub", "nbgitpuller", "nbgrader", "notebook"]
    binder = read_requirements(ROOT / "binder" / "requirements.txt")
    assert _version(hub, "notebook") == _version(binder, "notebook"), "nbgrader's Notebook"
    dev = read_requirements(ROOT / "requirements-dev.txt")
    # nbgrader gives students the Assignments tab (docs/grading.md): the teacher's version
    assert {k: str(v) for k, v in hub.items() if k[0] == "nbgrader"} == {
        k: str(v) for k, v in dev.items() if k[0] == "nbgrader"
    }
    assert _version(hub, "jupyterhub") == _version(dev, "jupyterhub"), "hub and servers differ"


def test_overrides_are_valid_settings_of_the_installed_jupyterlab():
    overrides = json.loads((ROOT / "jupyter" / "overrides.json").read_text(encoding="utf-8"))
    notification = overrides["@jupyterlab/apputils-extension:notification"]
    assert notification["fetchNews"] == "false"  # "Never": no news prompt, no news requests
    for plugin, settings in overrides.items():
        package, name = plugin.split(":")
        schema_path = SCHEMAS / package / f"{name}.json"
        assert schema_path.is_file(), f"JupyterLab has no settings for {plugin}"
        schema = json.loads(schema_path.read_text(encoding="utf-8"))
        for key, value in settings.items():
            assert key in schema["properties"], f"{plugin} has no setting {key!r}"
            jsonschema.validate(value, schema["properties"][key])


def test_a_wrong_value_would_be_caught():
    schema = json.loads(
        (SCHEMAS / "@jupyterlab" / "apputils-extension" / "notification.json").read_text()
    )
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(False, schema["properties"]["fetchNews"])  # a string, not a bool


def test_installer_merges_into_existing_overrides_and_is_idempotent(tmp_path):
    course = json.loads(install_overrides.SOURCE.read_text(encoding="utf-8"))
    target = install_overrides.target(tmp_path)
    assert target == tmp_path / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert install_overrides.main(["--prefix", str(tmp_path), "--check"]) == 1
    target.parent.mkdir(parents=True)
    theirs = {
        "@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"},
        "@jupyterlab/apputils-extension:notification": {"doNotDisturbMode": True},
    }
    target.write_text(json.dumps(theirs))
    assert install_overrides.main(["--prefix", str(tmp_path)]) == 0
    first = json.loads(target.read_text())
    assert first["@jupyterlab/apputils-extension:themes"] == {
        "theme": "JupyterLab Dark",
        **course["@jupyterlab/apputils-extension:themes"],
    }
    assert first["@jupyterlab/apputils-extension:notification"] == {
        "doNotDisturbMode": True,
        **course["@jupyterlab/apputils-extension:notification"],
    }
    assert install_overrides.main(["--prefix", str(tmp_path)]) == 0
    assert json.loads(target.read_text()) == first
    assert install_overrides.main(["--prefix", str(tmp_path), "--check"]) == 0


def _dry_run(*targets: str, **variables: str) -> str:
    """What make would run for ``targets`` from scratch (-n: nothing is run; -B: everything)."""
    args = [f"{k}={v}" for k, v in variables.items()]
    made = subprocess.run(
        ["make", "-n", "-B", "--no-print-directory", *targets, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return made.stdout


def test_make_lab_installs_the_settings_before_starting_jupyterlab():
    commands = _dry_run("lab")
    assert re.search(r"tools/install_overrides\.py\n(.*\n)*.*jupyter lab ", commands), commands


def test_make_hub_env_installs_like_the_teachers_guide():
    commands = _dry_run("hub-env")
    expected = [
        r"-m venv --clear \.venv/hub",
        r"\.venv/hub/bin/python -m pip .* install -r requirements-hub\.txt",
        r"\.venv/hub/bin/python -m pip .* install --no-deps --force-reinstall \.$",
        r"\.venv/hub/bin/python tools/install_overrides\.py",
    ]
    positions = [re.search(pattern, commands, re.M) for pattern in expected]
    assert all(positions), commands
    assert [m.start() for m in positions] == sorted(m.start() for m in positions)
    assert " -e " not in commands
    guide = (ROOT / "docs" / "deploy-hub.md").read_text(encoding="utf-8")
    for command in (
        "pip install -r requirements-hub.txt",
        "pip install .",
        "python tools/install_overrides.py",
    ):
        assert command in guide, f"docs/deploy-hub.md does not say {command!r}"


def test_make_test_on_ci_installs_the_pinned_proxy_and_the_hub_environment():
    commands = _dry_run("test", CI="true")
    version = re.search(r"^CHP_VERSION\s*:=\s*(\S+)", (ROOT / "Makefile").read_text(), re.M)
    assert "npm install --prefix .venv/node" in commands
    assert f"configurable-http-proxy@{version.group(1)}" in commands
    assert "install -r requirements-hub.txt" in commands
    assert commands.rstrip().endswith("-m pytest"), commands
