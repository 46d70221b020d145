"""Write the navigation cells and the course map (rerun after adding or renaming a lesson).

Every notebook gets a first and a last markdown cell that link to the previous lesson, the
course map and the next lesson (the PythonDataScienceHandbook approach). The course map in
``00_start_here.ipynb`` and in ``README.md`` is written from ``tools/course.py``, and so are
``TEACHING.md``'s lesson guide, its table of the ten confusions (with the exercises tagged for
each) and its count of lessons and hours (so no count of lessons is ever written by hand).

    python tools/navigation.py          # rewrite the cells, the README map, TEACHING's table
    python tools/navigation.py --check  # exit 1 if anything is out of date (used by tests)
"""

from __future__ import annotations

import argparse
import re
import sys

import nbformat

try:
    from tools.course import CONFUSIONS, LESSONS, ROOT, START, existing_lessons
except ImportError:  # run as a script: python tools/navigation.py
    from course import CONFUSIONS, LESSONS, ROOT, START, existing_lessons

NAV_MARKER = "<!--NAVIGATION-->"
MAP_MARKER = "<!--COURSE-MAP-->"
MAP_ANCHOR = "Course-map"  # JupyterLab's anchor for the heading "## Course map"
README_START, README_END = "<!-- course-map:start -->", "<!-- course-map:end -->"
CONFUSIONS_START, CONFUSIONS_END = "<!-- confusions:start -->", "<!-- confusions:end -->"
GUIDE_START, GUIDE_END = "<!-- lessons:start -->", "<!-- lessons:end -->"
SIZE_START, SIZE_END = "<!-- course-size:start -->", "<!-- course-size:end -->"


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


def section_anchor(lesson, section: str) -> str:
    """JupyterLab's anchor for the heading "## 2. The swapped branches" of a lesson:
    "2.-The-swapped-branches". JupyterLab makes it from the heading's rendered text, so
    Markdown's inline marks are not part of it: "## 7. *(Optional)* `x`" → "7.-(Optional)-x"."""
    nb = nbformat.read(lesson.path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith(f"## {section}. "):
                    return re.sub(r"[`*]", "", line[3:].strip()).replace(" ", "-")
    raise SystemExit(f"lesson {lesson.number:02d} has no section {section}")


def confusions_table() -> str:
    """The ten confusions → the lesson sections that show each in code → the exercises whose
    feedback names it (found by their ``confusion-x`` tags)."""
    from xentlib.exercises import all_exercises

    by_number = {lesson.number: lesson for lesson in LESSONS}
    rows = [
        "| | confusion | where learners meet it | shown in | exercises that name it |",
        "|---|---|---|---|---|",
    ]
    for c in CONFUSIONS:
        shown = ", ".join(
            f"[{n} §{s}](notebooks/{by_number[int(n)].filename}#{section_anchor(by_number[int(n)], s)})"
            for n, s in c.sections
        )
        exercises = ", ".join(
            f"{q.lesson:02d} {q.name}" for q in all_exercises() if c.tag in q.tags
        )
        rows.append(f"| {c.letter} | {c.what} | {c.seen_in or '—'} | {shown} | {exercises} |")
    return "\n".join(rows)


def front_matter(lesson) -> dict:
    """A lesson's title, objectives, prerequisites and estimated time, read from its
    notebook's opening cells (so the teacher's guide never disagrees with the lesson)."""
    nb = nbformat.read(lesson.path, as_version=4)
    text = "\n\n".join(c.source for c in nb.cells[:4] if c.cell_type == "markdown")
    # links between notebooks are relative to notebooks/; the guide sits one folder up
    text = re.sub(r"\]\((\d\d_[\w]+\.ipynb)", r"](notebooks/\1", text)

    def between(start: str, end: str) -> str:
        match = re.search(re.escape(start) + r"(.*?)(?=" + end + ")", text, re.S)
        return match.group(1).strip() if match else ""

    time = re.search(r"\*Estimated time:\s*(\d+)\s*minutes", text)
    return {
        "objectives": between("After this lesson you can", r"\n\n|\*\*Prerequisites"),
        "prerequisites": between("**Prerequisites:**", r"\*Estimated time|\n\n"),
        "minutes": int(time.group(1)) if time else None,
    }


def lesson_guide() -> str:
    """Per lesson: time, prerequisites, objectives, the exercises and the problem set."""
    from xentlib.exercises import all_exercises

    exercises = all_exercises()
    parts = []
    for lesson in existing_lessons():
        if lesson.number == 0:
            continue
        fm = front_matter(lesson)
        own = [q for q in exercises if q.lesson == lesson.number]
        kinds = sorted({t for q in own for t in q.tags if t in ("explain-why", "debug")})
        minutes = f"{fm['minutes']} minutes" if fm["minutes"] else "time not stated"
        parts.append(
            f"### {lesson.number:02d} · [{lesson.title}](notebooks/{lesson.filename}) — {minutes}\n\n"
            f"**Prerequisites:** {' '.join(fm['prerequisites'].split())}\n\n"
            f"**Objectives.** A student can\n{fm['objectives']}\n\n"
            f"**Exercises:** {len(own)} checked in the notebook"
            + (f" ({', '.join(kinds)} among them)" if kinds else "")
            + f"; graded problem set `ps{lesson.number:02d}` (`make assignments`, see "
            "[docs/grading.md](docs/grading.md))."
        )
    return "\n\n".join(parts)


def course_size() -> str:
    """How many lessons there are and how long they take, for TEACHING.md's first sentence:
    "N lessons (00–NN), about H hours of student time", H from the lessons' estimated times."""
    lessons = existing_lessons()
    minutes = sum(front_matter(lesson)["minutes"] or 0 for lesson in lessons)
    return (
        f"{len(lessons)} lessons ({lessons[0].number:02d}–{lessons[-1].number:02d}), "
        f"about {round(minutes / 60)} hours of student time"
    )


def updated_block(
    text: str, start: str, end: str, table: str, name: str, *, inline: bool = False
) -> str:
    """``text`` with what stands between the markers ``start`` and ``end`` replaced by
    ``table`` (on lines of its own, or ``inline`` within a sentence)."""
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.S)
    if not pattern.search(text):
        raise SystemExit(f"{name} lacks the markers {start} … {end}")
    sep = "" if inline else "\n"
    return pattern.sub(lambda _: f"{start}{sep}{table}{sep}{end}", text)


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
    table = course_map_table(prefix="notebooks/")
    return updated_block(text, README_START, README_END, table, "README.md")


def updated_teaching(text: str) -> str:
    text = updated_block(text, SIZE_START, SIZE_END, course_size(), "TEACHING.md", inline=True)
    text = updated_block(text, GUIDE_START, GUIDE_END, lesson_guide(), "TEACHING.md")
    return updated_block(text, CONFUSIONS_START, CONFUSIONS_END, confusions_table(), "TEACHING.md")


# The files outside the notebooks this tool writes, and how.
DOCS = {"README.md": updated_readme, "TEACHING.md": updated_teaching}


def out_of_date() -> list[str]:
    """Names of the files whose navigation or course map differs from what this tool writes."""
    stale = []
    for lesson in existing_lessons():
        if nbformat.writes(updated_notebook(lesson)) != nbformat.writes(
            nbformat.read(lesson.path, as_version=4)
        ):
            stale.append(lesson.filename)
    for name, update in DOCS.items():
        text = (ROOT / name).read_text(encoding="utf-8")
        if update(text) != text:
            stale.append(name)
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
    for name, update in DOCS.items():
        path = ROOT / name
        path.write_text(update(path.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"navigation written for {len(existing_lessons())} notebooks, {' and '.join(DOCS)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
