"""Write the navigation cells and the course map (rerun after adding or renaming a lesson).

Every notebook gets a first and a last markdown cell that link to the previous lesson, the
course map and the next lesson (the PythonDataScienceHandbook approach). The course map in
``00_start_here.ipynb`` and in ``README.md`` is written from ``tools/course.py``.

    python tools/navigation.py          # rewrite the cells and the README map
    python tools/navigation.py --check  # exit 1 if anything is out of date (used by tests)
"""

from __future__ import annotations

import argparse
import re
import sys

import nbformat

try:
    from tools.course import LESSONS, ROOT, START, existing_lessons
except ImportError:  # run as a script: python tools/navigation.py
    from course import LESSONS, ROOT, START, existing_lessons

NAV_MARKER = "<!--NAVIGATION-->"
MAP_MARKER = "<!--COURSE-MAP-->"
MAP_ANCHOR = "Course-map"  # JupyterLab's anchor for the heading "## Course map"
README_START, README_END = "<!-- course-map:start -->", "<!-- course-map:end -->"


def navigation_source(lesson) -> str:
    """The markdown of the navigation cell of ``lesson``."""
    lessons = existing_lessons()
    i = lessons.index(lesson)
    parts = []
    if i > 0:
        prev = lessons[i - 1]
        parts.append(f"[← {prev.label}]({prev.filename})")
    parts.append(f"[Course map]({START.filename}#{MAP_ANCHOR})")
    if i + 1 < len(lessons):
        nxt = lessons[i + 1]
        parts.append(f"[{nxt.label} →]({nxt.filename})")
    return f"{NAV_MARKER}\n" + " | ".join(parts)


def course_map_table(prefix: str = "") -> str:
    """The course map as a markdown table; ``prefix`` is prepended to notebook links."""
    rows = ["| # | Lesson | What you will learn |", "|---|---|---|"]
    for lesson in LESSONS:
        title = (
            f"[{lesson.title}]({prefix}{lesson.filename})"
            if lesson.exists
            else f"{lesson.title} *(coming)*"
        )
        rows.append(f"| {lesson.number:02d} | {title} | {lesson.summary} |")
    return "\n".join(rows)


def course_map_source() -> str:
    return f"{MAP_MARKER}\n## Course map\n\n{course_map_table()}"


def _nav_cell(source: str, cell_id: str):
    return nbformat.v4.new_markdown_cell(source, id=cell_id)


def updated_notebook(lesson):
    """The notebook of ``lesson`` with its navigation cells (and course map) up to date."""
    nb = nbformat.read(lesson.path, as_version=4)
    nav = navigation_source(lesson)
    cells = [
        c for c in nb.cells if not (c.cell_type == "markdown" and c.source.startswith(NAV_MARKER))
    ]
    cells = [_nav_cell(nav, "nav-top"), *cells, _nav_cell(nav, "nav-bottom")]
    if lesson is START:
        for cell in cells:
            if cell.cell_type == "markdown" and cell.source.startswith(MAP_MARKER):
                cell.source = course_map_source()
    nb.cells = cells
    return nb


def updated_readme(text: str) -> str:
    pattern = re.compile(re.escape(README_START) + ".*?" + re.escape(README_END), re.S)
    if not pattern.search(text):
        raise SystemExit(f"README.md lacks the markers {README_START} … {README_END}")
    block = f"{README_START}\n{course_map_table(prefix='notebooks/')}\n{README_END}"
    return pattern.sub(lambda _: block, text)


def out_of_date() -> list[str]:
    """Names of the files whose navigation or course map differs from what this tool writes."""
    stale = []
    for lesson in existing_lessons():
        if nbformat.writes(updated_notebook(lesson)) != nbformat.writes(
            nbformat.read(lesson.path, as_version=4)
        ):
            stale.append(lesson.filename)
    readme = ROOT / "README.md"
    if readme.exists() and updated_readme(readme.read_text(encoding="utf-8")) != readme.read_text(
        encoding="utf-8"
    ):
        stale.append("README.md")
    return stale


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--check", action="store_true", help="only report files that are out of date"
    )
    args = parser.parse_args(argv)
    if args.check:
        stale = out_of_date()
        for name in stale:
            print(f"out of date: {name} (run: python tools/navigation.py)")
        return 1 if stale else 0
    for lesson in existing_lessons():
        nb = updated_notebook(lesson)
        nbformat.write(nb, lesson.path)
    readme = ROOT / "README.md"
    readme.write_text(updated_readme(readme.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"navigation written for {len(existing_lessons())} notebooks and README.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
