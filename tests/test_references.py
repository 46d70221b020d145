"""Every Markdown file that the course's documents, code and notebooks name exists in the
repository (a reference to a document that is not there sends a reader nowhere)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from tools.course import ROOT, notebook_paths

MARKDOWN_NAME = re.compile(r"(?<![\w./-])((?:\.\./|[\w-]+/)*[\w-]+\.md)\b")


def _texts():
    """(file, its folder, text) for every file a reader or contributor reads."""
    paths = [
        *ROOT.glob("*.md"),
        *(ROOT / "docs").glob("*.md"),
        *(ROOT / "jupyter").glob("*.md"),
        *(ROOT / "binder").glob("*"),
        *ROOT.glob("requirements*.txt"),
        ROOT / "Makefile",
        ROOT / "pyproject.toml",
        ROOT / ".ci" / "run",
        *(ROOT / "tools").glob("*.py"),
        *(ROOT / "tests").glob("*.py"),
        *(ROOT / "xentlib").rglob("*.py"),
    ]
    for path in paths:
        if path.is_file():
            yield path, path.parent, path.read_text(encoding="utf-8")
    for path in notebook_paths():
        nb = nbformat.read(path, as_version=4)
        yield path, path.parent, "\n".join(cell.source for cell in nb.cells)


KNOWN = {p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*.md") if ".venv" not in p.parts}


def dangling(label: str, folder: Path, text: str) -> list[str]:
    """The Markdown files ``text`` names that exist neither beside it, nor from the root,
    nor as a file of that name in a folder of the repository (``ROOT / "docs" / NAME``)."""
    return [
        f"{label}: {target}"
        for target in MARKDOWN_NAME.findall(text)
        if not (folder / target).is_file()
        and not (ROOT / target).is_file()
        and not any(known.endswith(f"/{target}") for known in KNOWN)
    ]


def test_every_named_markdown_file_exists():
    missing = [
        m
        for path, folder, text in _texts()
        for m in dangling(path.relative_to(ROOT).as_posix(), folder, text)
    ]
    assert not missing, f"these name a document the repository does not have: {missing}"


def test_a_reference_to_a_missing_document_is_caught():
    missing, present = "COURSE" + ".md", "deploy-hub" + ".md"
    text = f"The ten confusions ({missing}); the hub ({present}, docs/{present})."
    assert dangling("tools/x.py", ROOT / "tools", text) == [f"tools/x.py: {missing}"]
    assert dangling("docs/x", ROOT / "docs", f"see [hub]({present})") == []
