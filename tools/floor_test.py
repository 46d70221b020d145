"""Run xentlib's unit tests at the lowest versions pyproject.toml allows (``make floors``).

pyproject.toml declares a floor (``name>=X``) for every package xentlib imports. A floor is
only true if xentlib works there, so this installs exactly those versions (``name==X``) into
a throwaway virtual environment, with the test tools pinned as requirements*.txt pins them,
and runs :data:`FLOOR_TESTS` and xentlib's doctests on the source tree::

    python tools/floor_test.py            # exit 0 when every test passes at the floors
    python tools/floor_test.py --print    # only print the floors and what would be installed

It needs the package index (pip downloads the floor wheels, a few hundred MB) and wheels
for this Python: the floors are the lowest versions with wheels for Python 3.11 (Pillow 9.2
is the first with them). ``tests/test_floors.py`` runs it, marked ``network``.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    tomllib = None

ROOT = Path(__file__).resolve().parent.parent
# The tests whose subject is xentlib itself (the rest drive Jupyter, nbgrader, a browser…).
FLOOR_TESTS = [
    "tests/test_confusions.py",
    "tests/test_datasets_metrics.py",
    "tests/test_exercise_rules.py",
    "tests/test_exercises.py",
    "tests/test_frameworks.py",
    "tests/test_hostile_inputs.py",
    "tests/test_losses.py",
    "tests/test_models.py",
    "tests/test_oracles.py",
    "tests/test_package.py",
    "tests/test_plotting.py",
    "tests/test_progress.py",
    "tests/test_scoring.py",
    "tests/test_setup_check.py",
    "tests/test_special_and_information.py",
    "tests/test_widgets.py",
]
TEST_TOOLS = ("pytest", "hypothesis", "nbformat")  # what FLOOR_TESTS import besides xentlib
FLOOR = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*>=\s*([0-9][^,;\s]*)\s*$")


def floors(pyproject: Path = ROOT / "pyproject.toml") -> dict[str, str]:
    """Each package xentlib declares (dependencies and every extra) → its floor version.

    A requirement without a single ``>=`` floor is refused: it could not be tested here.
    """
    if tomllib is None:
        raise SystemExit("reading pyproject.toml needs Python 3.11 or newer (tomllib)")
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    requirements = [*project["dependencies"]]
    for extra in project.get("optional-dependencies", {}).values():
        requirements += extra
    found: dict[str, str] = {}
    for requirement in requirements:
        match = FLOOR.match(requirement)
        if not match:
            raise SystemExit(
                f"pyproject.toml: {requirement!r} is not of the form 'name>=version', "
                "so its floor cannot be installed and tested"
            )
        name, version = match.group(1).lower(), match.group(2)
        if found.setdefault(name, version) != version:
            raise SystemExit(
                f"pyproject.toml declares {name} with two floors, {found[name]} and {version}"
            )
    return found


def test_tool_pins() -> list[str]:
    """The requirement lines of :data:`TEST_TOOLS`, as requirements*.txt pin them."""
    lines = []
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
            package = re.match(r"([A-Za-z0-9._-]+)==", line.strip())
            if package and package.group(1).lower() in TEST_TOOLS:
                lines.append(line.strip())
    return lines


def install_lines() -> list[str]:
    """What the throwaway environment gets: every floor exactly, then the test tools."""
    return [f"{name}=={version}" for name, version in floors().items()] + test_tool_pins()


def run(env_dir: Path) -> int:
    """Make the environment in ``env_dir``, install, run the tests; pytest's exit code."""
    venv.create(env_dir, with_pip=True, clear=True)
    python = env_dir / "bin" / "python"
    requirements = env_dir / "floors.txt"
    requirements.write_text("\n".join(install_lines()) + "\n", encoding="utf-8")
    pip = [python, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    installed = subprocess.run([*pip, "install", "--only-binary", ":all:", "-r", requirements])
    if installed.returncode != 0:
        print(
            "floor_test: pip cannot install the floors together (its reason is above):\n  "
            + "\n  ".join(install_lines())
            + "\nRaise the floor in pyproject.toml that conflicts, or that has no wheel for "
            f"Python {sys.version_info[0]}.{sys.version_info[1]}.",
            file=sys.stderr,
        )
        return 1
    subprocess.run([python, "-m", "pip", "list", "--format=freeze"], check=True)
    # The source tree, not an installed copy: `python -m pytest` in ROOT imports it from there.
    # No pyproject addopts: they ask for nbval, which the floors do not include.
    return subprocess.run(
        [
            python,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-o",
            "addopts=-ra --strict-markers --doctest-modules",
            *FLOOR_TESTS,
            "xentlib",
        ],
        cwd=ROOT,
    ).returncode


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--print", action="store_true", help="print what would be installed")
    parser.add_argument("--keep", type=Path, help="make the environment here and keep it")
    args = parser.parse_args(argv)
    if args.print:
        print("\n".join(install_lines()))
        return 0
    if args.keep:
        return run(args.keep)
    with tempfile.TemporaryDirectory(prefix="xentlib-floors-") as tmp:
        return run(Path(tmp) / "venv")


if __name__ == "__main__":
    sys.exit(main())
