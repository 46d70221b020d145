"""Without Chromium the browser test (and the hub test) skips with a reason, except on CI
where it fails."""

import pytest

from tests import _real_software, test_browser


@pytest.fixture
def no_chromium(monkeypatch):
    monkeypatch.setattr(_real_software.shutil, "which", lambda name: None)
    monkeypatch.setattr(_real_software, "CHROMIUM_CANDIDATES", ("/nonexistent/chromium",))


def test_skips_with_a_reason_on_a_learners_machine(no_chromium, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(
        pytest.skip.Exception, match=r"Chromium is not installed.*apt-get install chromium"
    ):
        test_browser._chromium()


def test_fails_on_ci(no_chromium, monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="required on CI"):
        test_browser._chromium()
