"""The ten classic confusions (COURSE.md): each is shown in code in a lesson section and
named by the feedback of a checked exercise, and TEACHING.md's table says where."""

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


@pytest.mark.parametrize("confusion", CONFUSIONS, ids=lambda c: c.letter)
def test_each_is_shown_in_a_lesson_section(confusion):
    for number, section in confusion.sections:
        nb = nbformat.read(BY_NUMBER[number].path, as_version=4)
        headings = [
            line
            for cell in nb.cells
            if cell.cell_type == "markdown"
            for line in cell.source.splitlines()
            if re.match(rf"^## {section}\. ", line)
        ]
        assert headings, f"lesson {number} has no section {section}"
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert code, f"lesson {number} shows no code"
