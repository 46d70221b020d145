"""One course plan, everything else derived from it.

A lesson is three things: its notebook ``notebooks/NN_slug.ipynb``, its exercises
``xentlib/exercises/lessonNN.py`` and its entry in ``LESSONS`` (``tools/course.py``). The
problem sets, navigation cells, course maps, TEACHING.md's tables and count of lessons, and
the tests that run over lessons are all derived from these (``make navigation``), so
forgetting any one of the three fails a test here, and a count of lessons written by hand
anywhere fails the last test.
"""

from __future__ import annotations

import pkgutil
import re
from pathlib import Path

import nbformat
import pytest

import xentlib.exercises
from tools import navigation
from tools.course import LESSONS, NOTEBOOKS, ROOT, existing_lessons


def _exercise_modules() -> set[int]:
    """The lesson numbers that have an exercises module (``lessonNN.py`` → NN)."""
    return {
        int(m.name[6:])
        for m in pkgutil.iter_modules(xentlib.exercises.__path__)
        if m.name.startswith("lesson") and m.name[6:].isdigit()
    }


def test_the_plan_numbers_lessons_once_each_in_order():
    numbers = [lesson.number for lesson in LESSONS]
    assert numbers == sorted(set(numbers)), (
        f"LESSONS must be numbered in order, once each: {numbers}"
    )
    for lesson in LESSONS:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", lesson.slug), f"{lesson.slug!r}: lower_snake_case"
        assert lesson.title.strip() and lesson.summary.strip(), f"lesson {lesson.number:02d}"


def test_every_notebook_is_a_lesson_of_the_plan():
    planned = {lesson.filename for lesson in LESSONS}
    stray = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb") if p.name not in planned)
    assert not stray, (
        f"notebooks/ holds {stray}, which tools/course.py does not list: add each to LESSONS "
        "(number, slug, title, summary), then run `make navigation`"
    )


def test_every_lesson_with_a_notebook_has_exercises():
    missing = sorted({lesson.number for lesson in existing_lessons()} - _exercise_modules())
    assert not missing, (
        f"lesson(s) {missing} have a notebook but no exercises: add "
        f"xentlib/exercises/lesson{missing[0]:02d}.py with its EXERCISES "
        "(see CONTRIBUTING.md, 'Add a lesson')"
    )


def test_every_exercises_module_belongs_to_a_lesson_with_a_notebook():
    by_number = {lesson.number: lesson for lesson in LESSONS}
    orphans = sorted(_exercise_modules() - {lesson.number for lesson in existing_lessons()})
    for number in orphans:
        lesson = by_number.get(number)
        where = (
            f"its notebook notebooks/{lesson.filename} does not exist"
            if lesson
            else "tools/course.py has no lesson with that number (add it to LESSONS)"
        )
        pytest.fail(f"xentlib/exercises/lesson{number:02d}.py has exercises, but {where}")


def test_a_lesson_notebook_opens_with_the_front_matter_the_guide_reads():
    for lesson in existing_lessons()[1:]:
        fm = navigation.front_matter(lesson)
        assert fm["objectives"] and fm["prerequisites"] and fm["minutes"], (
            f"{lesson.filename}: its first cells need **Learning objectives.** After this "
            "lesson you can …, **Prerequisites:** … and *Estimated time: N minutes.*"
        )


def test_the_count_of_lessons_in_the_prose_is_generated():
    text = (ROOT / "TEACHING.md").read_text(encoding="utf-8")
    size = navigation.course_size()
    assert f"{navigation.SIZE_START}{size}{navigation.SIZE_END}" in text
    last = existing_lessons()[-1].number
    assert size.startswith(f"{len(existing_lessons())} lessons (00–{last:02d}), about ")


# ---- no count of lessons written by hand ----------------------------------------------
NUMBER_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
HAND_COUNT = re.compile(
    # a number, then the noun on the same line or the next (prose wraps; code does not)
    rf"(?i)\b(?:\d+|{NUMBER_WORDS})(?:[ \t]+|[ \t]*\n[ \t]*)(?:(?:JupyterLab|graded|nbgrader)\s+)?"
    r"(?:notebooks|lessons|assignments|problem sets)\b"
    r"|\bps\d\d`?\s*(?:…|\.\.\.|-|–|to)\s*`?ps\d\d\b"  # ps01 … ps12, `ps01` … `ps12`
    rf"|\b0[01]\s*[–-]\s*{existing_lessons()[-1].number:02d}\b"  # 00–12: up to the last lesson
    r"|range\(1,\s*\d\d\)"  # range(1, 13)
)
# Deliberate exceptions: (file, the words), each a count of something else ("two lessons"
# open at once, in the progress store).
NOT_A_COUNT_OF_THE_COURSE = {("xentlib/_progress_store.py", "two lessons")}
GENERATED = [
    (navigation.README_START, navigation.README_END),
    (navigation.GUIDE_START, navigation.GUIDE_END),
    (navigation.CONFUSIONS_START, navigation.CONFUSIONS_END),
    (navigation.SIZE_START, navigation.SIZE_END),
]


def _hand_written_texts():
    """(file, text) for every file people write prose or code in, generated parts removed."""
    paths = [
        *ROOT.glob("*.md"),
        *(ROOT / "docs").glob("*.md"),
        ROOT / "Makefile",
        *(ROOT / "tools").glob("*.py"),
        *(ROOT / "tests").glob("*.py"),
        *(ROOT / "xentlib").rglob("*.py"),
    ]
    for path in paths:
        text = path.read_text(encoding="utf-8")
        for start, end in GENERATED:
            text = re.sub(re.escape(start) + ".*?" + re.escape(end), "", text, flags=re.S)
        yield path.relative_to(ROOT).as_posix(), text
    for lesson in existing_lessons():
        nb = nbformat.read(lesson.path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "markdown" and not cell.source.startswith(
                (navigation.NAV_MARKER, navigation.MAP_MARKER)
            ):
                yield f"notebooks/{lesson.filename}", cell.source


def test_no_count_of_lessons_is_written_by_hand():
    found = [
        f"{name}: {match.group(0)!r}"
        for name, text in _hand_written_texts()
        if name != Path(__file__).relative_to(ROOT).as_posix()
        for match in HAND_COUNT.finditer(text)
        if (name, match.group(0)) not in NOT_A_COUNT_OF_THE_COURSE
    ]
    assert not found, (
        "a count of lessons written by hand goes stale with the next lesson: word it without "
        "the count, or derive it (tools/course.py, `make navigation`): " + "; ".join(found)
    )


def test_the_hand_count_pattern_catches_what_it_is_for():
    last = f"{existing_lessons()[-1].number:02d}"
    for stale in (
        "Thirteen JupyterLab notebooks",
        "all 13 assignments",
        "ps01 … ps12",
        f"00–{last}",
    ):
        assert HAND_COUNT.search(stale), stale
    for fine in ("lessons 05–07", "lessons 00–04", "two students", "lesson 12", "ps03, capstone"):
        assert not HAND_COUNT.search(fine), fine
