"""CI runs what CONTRIBUTING.md promises: `.ci/run` calls `make test`, which lints first."""

import subprocess

from tools.course import ROOT


def _commands(target: str) -> str:
    """What `make TARGET` would run (make -n: printed, not run)."""
    done = subprocess.run(
        ["make", "-n", "--no-print-directory", target],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def test_ci_runs_make_test():
    lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert "make test" in lines


def test_make_test_lints_before_it_tests():
    commands = _commands("test")
    lint, pytest = commands.find("ruff check ."), commands.find("-m pytest")
    assert lint != -1, f"make test does not run ruff check:\n{commands}"
    assert "ruff format --check xentlib tools tests" in commands
    assert pytest != -1 and lint < pytest
