"""Install the course's JupyterLab settings (jupyter/overrides.json) into an environment.

JupyterLab reads default overrides from ``{sys.prefix}/share/jupyter/lab/settings/
overrides.json`` (its ``app_settings_dir``). This merges the course's settings into that file,
keeping any other plugin's settings already there (a hub image may carry its own), so running
it twice changes nothing. Run it with the Python of the environment that runs JupyterLab::

    python tools/install_overrides.py            # prints the file it wrote
    python tools/install_overrides.py --check    # exit 1 if the settings are not installed

The course turns off the "Would you like to get notified about official Jupyter news?"
prompt (and the update check that goes with it): students should not be asked on first start.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent / "jupyter" / "overrides.json"


def target(prefix: str | Path = sys.prefix) -> Path:
    """Where JupyterLab in the environment at ``prefix`` reads its overrides."""
    return Path(prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"


def merged(existing: dict, course: dict) -> dict:
    """``existing`` with each of the course's plugin settings set on top of it."""
    result = {plugin: dict(settings) for plugin, settings in existing.items()}
    for plugin, settings in course.items():
        result.setdefault(plugin, {}).update(settings)
    return result


def is_installed(path: Path, course: dict) -> bool:
    if not path.is_file():
        return False
    existing = json.loads(path.read_text(encoding="utf-8"))
    return merged(existing, course) == existing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--prefix", default=sys.prefix, help="environment (default: this one)")
    parser.add_argument("--check", action="store_true", help="only check, write nothing")
    args = parser.parse_args(argv)

    course = json.loads(SOURCE.read_text(encoding="utf-8"))
    path = target(args.prefix)
    if args.check:
        ok = is_installed(path, course)
        print(f"{path}: {'installed' if ok else 'the course settings are missing'}")
        return 0 if ok else 1
    existing = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(merged(existing, course), indent=2) + "\n", encoding="utf-8")
    print(f"JupyterLab settings for the course: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
