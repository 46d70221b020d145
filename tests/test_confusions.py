"""The ten classic confusions (``CONFUSIONS`` in tools/course.py): each is shown in code in a
lesson section and named by the feedback of a checked exercise, and TEACHING.md's table says
where."""

import re

import nbformat
import pytest

from tools.course import CONFUSIONS, LESSONS
from xentlib.exercises import all_exercises

EXERCISES = all_exercises()
BY_NUMBER = {f"{lesson.number:02d}": lesson for lesson in LESSONS}


def test_there_are_ten_with_distinct_letters_and_names():
    assert [c.letter for c in CONFUSIONS] == list("abcdefghij")
    assert len({c.name for c in CONFUSIONS}) == 10


@pytest.mark.parametrize("confusion", CONFUSIONS, ids=lambda c: c.letter)
def test_each_is_named_by_a_checked_exercise(confusion):
    tagged = [q for q in EXERCISES if confusion.tag in q.tags]
    assert tagged, f"no exercise is tagged {confusion.tag}"
    for q in tagged:
        feedback = [text.lower() for _wrong, text in q.misconceptions]
        assert any(confusion.name.lower() in text for text in feedback), (
            f"{q.label} is tagged {confusion.tag}, but no misconception's feedback names "
            f"{confusion.name!r}"
        )
        wrong = [w for w, text in q.misconceptions if confusion.name.lower() in text.lower()]
        for answer in wrong:  # and the learner who makes that mistake is told so
            assert confusion.name.lower() in q.check(answer).message.lower()


def _section(nb, section: str) -> list | None:
    """The cells of section ``section`` ("7" for a heading "## 7. …"), from its heading to
    the next "## " heading; None when the notebook has no such section."""
    cells, inside = [], False
    for cell in nb.cells:
        headings = [
            line
            for line in cell.source.splitlines()
            if cell.cell_type == "markdown" and line.startswith("## ")
        ]
        if headings:
            inside = any(re.match(rf"^## {re.escape(section)}\. ", line) for line in headings)
            if inside:
                cells = []
        if inside:
            cells.append(cell)
    return cells or None


def _shown_in_code(cells) -> list:
    """The code cells among ``cells`` that ran and showed something."""
    return [c for c in cells if c.cell_type == "code" and c.source.strip() and c.outputs]


@pytest.mark.parametrize("confusion", CONFUSIONS, ids=lambda c: c.letter)
def test_each_is_shown_in_a_lesson_section(confusion):
    for number, section in confusion.sections:
        nb = nbformat.read(BY_NUMBER[number].path, as_version=4)
        cells = _section(nb, section)
        assert cells, f"lesson {number} has no section {section}"
        assert _shown_in_code(cells), (
            f"lesson {number} §{section} shows confusion {confusion.letter} in no code cell "
            "that ran and printed or drew something"
        )


def test_a_section_without_code_of_its_own_does_not_count():
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    ran = code("print(1)", outputs=[nbformat.v4.new_output("stream", name="stdout", text="1")])
    nb = nbformat.v4.new_notebook(
        cells=[md("## 1. Shown\nText"), ran, md("## 2. Only told\nText"), md("### 2.1 More")]
    )
    assert _shown_in_code(_section(nb, "1")) == [ran]
    assert _section(nb, "2") is not None and _shown_in_code(_section(nb, "2")) == []
    assert _section(nb, "3") is None
    nb.cells.append(code("x = 1"))  # code in the section that showed nothing
    assert _shown_in_code(_section(nb, "2")) == []
