"""What the tests that drive real software share: a requirement that skips on a learner's
machine but fails on CI, and Debian's Chromium with the flags they launch it with.

``CI=true`` (set by ``.ci/run``) turns every missing requirement into a failure, so a skip is
never presented as a pass where the test is required.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def unavailable(test: str, reason: str):
    """Skip ``test`` (e.g. "browser test") because of ``reason``; fail instead on CI."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{test} required on CI but {reason}")
    pytest.skip(reason)


def chromium(test: str) -> str:
    """The path of Debian's Chromium (never a downloaded browser), or skip/fail ``test``."""
    for path in (shutil.which("chromium"), *CHROMIUM_CANDIDATES):
        if path and Path(path).exists():
            return path
    unavailable(test, "Chromium is not installed (Debian/Ubuntu: sudo apt-get install chromium)")
