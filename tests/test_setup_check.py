"""check_setup reports versions and readiness, and says how to fix what is missing."""

from importlib import metadata

import pytest

from xentlib import setup_check
from xentlib.setup_check import check_setup


def test_reports_installed_versions():
    report = check_setup(verbose=False)
    assert report.versions["numpy"] == metadata.version("numpy")
    assert report.versions["ipympl"] == metadata.version("ipympl")
    assert report.python.count(".") == 2


def test_ready_in_the_course_environment():
    # make test installs requirements.txt, so everything must be ready here.
    report = check_setup(verbose=False)
    assert report.ok, report.problems
    assert report.widgets_ready and report.figures_ready
    assert "All set" in str(report) and "<table>" in report._repr_html_()


def test_not_in_kernel_under_pytest():
    assert check_setup(verbose=False).in_kernel is False


def test_prints_when_verbose_outside_a_notebook(capsys):
    check_setup(verbose=True)
    assert "Interactive widgets" in capsys.readouterr().out


def test_missing_package_is_reported_with_a_fix(monkeypatch):
    real = setup_check._installed_version
    monkeypatch.setattr(
        setup_check, "_installed_version", lambda name: None if name == "ipympl" else real(name)
    )
    report = check_setup(verbose=False)
    assert not report.ok and not report.figures_ready
    assert any("ipympl is not installed" in p and "make lab" in p for p in report.problems)
    assert "MISSING" in str(report)


def test_missing_lab_extension_is_reported(monkeypatch):
    monkeypatch.setattr(
        setup_check, "_lab_extension_installed", lambda name: name != "jupyter-matplotlib"
    )
    report = check_setup(verbose=False)
    assert report.widgets_ready and not report.figures_ready
    assert any("jupyter-matplotlib" in p and "pip install ipympl" in p for p in report.problems)


@pytest.mark.parametrize("version", [(3, 9, 18), (3, 8, 0)], ids=["3.9", "3.8"])
def test_old_python_is_reported(monkeypatch, version):
    monkeypatch.setattr(setup_check.sys, "version_info", version)
    report = check_setup(verbose=False)
    assert any("too old" in p for p in report.problems)
