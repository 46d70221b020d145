"""The offline install for lab machines (docs/deploy-hub.md), run as written.

The commands between the ``offline-install`` markers of docs/deploy-hub.md are run one by
one in a copy of the course: the download with this machine's pip configuration (it needs
PyPI), every later step offline (pip's configuration ignored, so no local index or wheel
folder can stand in for ``wheels/``, and every network connection sent to a closed port).
Then the new environment must import xentlib as an installed package. The download needs
PyPI (marker ``network``): skipped where PyPI cannot be reached, except on CI.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys

import pytest

from tools.course import ROOT

DOC = ROOT / "docs" / "deploy-hub.md"
ENV_PLACEHOLDER = "/opt/xent-env"
CLOSED = "http://127.0.0.1:9"  # nothing listens on the discard port: any connection fails


def documented_commands() -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    block = re.search(r"<!-- offline-install:start -->\s*```bash\n(.*?)```", text, re.S)
    assert block, "docs/deploy-hub.md has no offline-install block"
    return [
        line.strip()
        for line in block.group(1).splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def test_the_documented_offline_install_downloads_the_build_tools_too():
    commands = documented_commands()
    download = [c for c in commands if " pip download " in f" {c} "]
    assert len(download) == 1, commands
    # `pip install .` builds xentlib with setuptools (pyproject's build-system) in an
    # isolated environment; offline, that environment can only come from wheels/.
    assert '"setuptools>=68"' in download[0] and " wheel" in download[0]
    installs = [c for c in commands if " pip install " in f" {c} "]
    assert installs and all("--no-index --find-links wheels" in c for c in installs)


def _course_copy(dest):
    files = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    for name in files:
        if (ROOT / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, dest / name)


@pytest.mark.network
def test_the_documented_offline_install_works_offline(tmp_path):
    course, env_dir = tmp_path / "course", tmp_path / "xent-env"
    course.mkdir()
    _course_copy(course)
    offline = {
        **os.environ,
        "PIP_CONFIG_FILE": os.devnull,  # no machine-wide index or wheel folder
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        **{
            k: CLOSED
            for k in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy")
        },
    }
    offline.pop("PIP_FIND_LINKS", None)
    for command in documented_commands():
        argv = [
            sys.executable if word == "python3" else word.replace(ENV_PLACEHOLDER, str(env_dir))
            for word in shlex.split(command)
        ]
        downloading = "download" in argv
        result = subprocess.run(
            argv,
            cwd=course,
            env=os.environ if downloading else offline,
            capture_output=True,
            text=True,
            timeout=1200,
        )
        if downloading and result.returncode != 0:
            reason = f"PyPI cannot be reached: {result.stderr.strip()[-400:]}"
            if os.environ.get("CI", "").lower() == "true":
                pytest.fail(f"the offline-install test is required on CI but {reason}")
            pytest.skip(reason)
        assert result.returncode == 0, (
            f"{command}\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}"
        )
    python = env_dir / "bin" / "python"
    where = subprocess.run(
        [python, "-c", "import xentlib, numpy; print(xentlib.__file__)"],
        cwd=tmp_path,
        env=offline,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert "site-packages" in where and str(course) not in where, where
