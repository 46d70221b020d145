"""Binder: binder/ builds with repo2docker, and its pins agree with repo2docker's base image.

repo2docker installs binder/requirements.txt with pip into its own base environment, which
already holds JupyterLab, Notebook and JupyterHub's single-user server. pip upgrades what the
requirements name or need, and leaves every other package as it was: so the requirements must
resolve together with the base packages nothing of ours depends on. Those base pins are
repo2docker's (its conda lock files for Python 3.13, repo2docker/buildpacks/conda/
environment.py-3.13-linux-64.lock: jupyterlab 4.4.9, notebook 7.4.7, jupyterhub-singleuser
5.4.0, jupyter-resource-usage 1.2.0, jupyter-offlinenotebook 0.3.2). Notebook 7.4.7 needs
jupyterlab < 4.5, which is why binder/requirements.txt pins a notebook that fits 4.6.6.

The resolving tests need PyPI (marked ``network``): pip resolves without installing anything.
Where PyPI cannot be reached they skip, except on CI (CI=true), where they fail.
"""

import json
import os
import re
import subprocess
import sys

import pytest

from tests.test_hub_files import read_requirements, runtime_pins
from tools.course import ROOT

BINDER = ROOT / "binder"
PYTHON = "3.13"  # binder/runtime.txt
# Base packages of repo2docker's environment that no requirement of ours depends on: pip
# leaves them at these versions, so they must fit with everything we install.
BASE_LEAVES = {
    "jupyterhub": "5.4.0",  # conda's jupyterhub-singleuser
    "jupyter-resource-usage": "1.2.0",
    "jupyter-offlinenotebook": "0.3.2",
}
BASE_NOTEBOOK = "7.4.7"


def test_binder_folder_is_what_repo2docker_reads():
    assert sorted(p.name for p in BINDER.iterdir()) == [
        "postBuild",
        "requirements.txt",
        "runtime.txt",
    ]
    assert (BINDER / "runtime.txt").read_text().strip() == f"python-{PYTHON}"


def test_binder_pins_are_the_course_pins_plus_notebook():
    binder = read_requirements(BINDER / "requirements.txt")  # fails on `-e .` or a loose pin
    runtime = runtime_pins()
    assert {str(r) for r in runtime.values()} <= {str(r) for r in binder.values()}
    assert sorted(name for name, _marker in set(binder) - set(runtime)) == ["notebook"]
    (jupyterlab,) = [r for (n, _m), r in binder.items() if n == "jupyterlab"]
    assert str(jupyterlab.specifier) == "==4.6.6"


def test_post_build_installs_xentlib_settings_and_font_cache():
    script = (BINDER / "postBuild").read_text(encoding="utf-8")
    assert os.access(BINDER / "postBuild", os.X_OK), "repo2docker runs postBuild as a program"
    assert script.startswith("#!/bin/bash\n")
    assert "set -euo pipefail" in script
    commands = [
        line.strip() for line in script.splitlines() if line.strip() and not line.startswith("#")
    ]
    assert "python -m pip install --no-cache-dir --no-deps ." in commands
    assert not any(" -e " in c or "--editable" in c for c in commands)
    assert "python tools/install_overrides.py" in commands
    assert 'python -c "import matplotlib.font_manager"' in commands
    subprocess.run(["bash", "-n", BINDER / "postBuild"], check=True)


def _pypi_reachable() -> None:
    probe = subprocess.run(
        [sys.executable, "-m", "pip", "index", "versions", "jupyterlab"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if probe.returncode != 0 or "4.6.6" not in probe.stdout:
        reason = f"PyPI cannot be reached: {probe.stderr.strip()[-300:]}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"Binder resolution required on CI but {reason}")
        pytest.skip(reason)


def _resolve(tmp_path, *requirements: str):
    """pip's resolution for Linux and Python 3.13, installing nothing: (ok, versions, log)."""
    report = tmp_path / "report.json"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--dry-run",
            "--ignore-installed",
            "--disable-pip-version-check",
            "--quiet",
            "--only-binary=:all:",
            f"--python-version={PYTHON}",
            "--target",
            tmp_path / "never-written",
            "--report",
            report,
            *requirements,
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        return False, {}, result.stderr
    installs = json.loads(report.read_text())["install"]
    versions = {
        re.sub(r"[-_.]+", "-", i["metadata"]["name"]).lower(): i["metadata"]["version"]
        for i in installs
    }
    return True, versions, result.stderr


@pytest.mark.network
def test_binder_requirements_resolve_with_repo2dockers_base(tmp_path):
    _pypi_reachable()
    base = [f"{name}=={version}" for name, version in BASE_LEAVES.items()]
    ok, versions, log = _resolve(tmp_path, "-r", str(BINDER / "requirements.txt"), *base)
    assert ok, log
    assert not (tmp_path / "never-written").exists()
    for name, version in {
        "jupyterlab": "4.6.6",
        "notebook": "7.6.5",
        "ipywidgets": "8.1.9",
        "ipympl": "0.10.0",
        **BASE_LEAVES,
    }.items():
        assert versions[name] == version, (name, versions.get(name))


@pytest.mark.network
def test_without_the_notebook_pin_the_base_notebook_conflicts(tmp_path):
    """The control: repo2docker's own notebook does not fit the course's JupyterLab."""
    _pypi_reachable()
    lines = (BINDER / "requirements.txt").read_text().splitlines()
    without = tmp_path / "requirements.txt"
    without.write_text("\n".join(line for line in lines if not line.startswith("notebook==")))
    ok, _versions, log = _resolve(tmp_path, "-r", str(without), f"notebook=={BASE_NOTEBOOK}")
    assert not ok
    assert "ResolutionImpossible" in log and "jupyterlab" in log, log
