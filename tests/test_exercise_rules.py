"""Course-wide rules every exercise must follow (issue: fair checkers that cannot break).

- at least two named misconceptions;
- a number shown in a hint or the worked solution that is close to the answer (within 2 %)
  passes the checker (a checker never rejects the value its own solution gives);
- no hint gives the answer away: no hint holds a number that passes, and no hint of a
  function exercise holds every code line of the worked solution;
- "explain why" exercises have feedback for every wrong option and an explanation;
- lessons 03–07 each have an "explain why" and a "debug this" exercise.
"""

import re

import numpy as np
import pytest

from xentlib.exercises import all_exercises

EXERCISES = all_exercises()
IDS = [q.label.replace(" ", "_") for q in EXERCISES]
NUMBER = re.compile(r"(?<![\w.])[-−]?\d+(?:\.\d+)?(?:e[-−]?\d+)?(?![\w.])")


def _numbers(text: str):
    for match in NUMBER.finditer(text.replace("−", "-")):
        try:
            yield float(match.group())
        except ValueError:
            continue


def _scalar_value(q) -> bool:
    return q.kind == "value" and np.ndim(q.answer) == 0


@pytest.mark.parametrize("q", EXERCISES, ids=IDS)
def test_every_exercise_names_two_misconceptions(q):
    assert len(q.misconceptions) >= 2, f"{q.label} declares {len(q.misconceptions)}"
    for _wrong, feedback in q.misconceptions:
        assert len(feedback) > 30, f"{q.label}: feedback too short to name a mistake: {feedback!r}"


@pytest.mark.parametrize("q", [q for q in EXERCISES if _scalar_value(q)], ids=lambda q: q.label)
def test_numbers_near_the_answer_in_hints_and_solutions_pass(q):
    ref = float(q.answer)
    for text in (*q.hints, q.worked_solution):
        for x in _numbers(text):
            if ref != 0 and abs(x - ref) <= 0.02 * abs(ref):
                assert q.check(x).passed, f"{q.label}: {x} (in {text[:60]!r}) is rejected"


@pytest.mark.parametrize("q", EXERCISES, ids=IDS)
def test_no_hint_gives_the_answer_away(q):
    if _scalar_value(q):
        for hint in q.hints:
            for x in _numbers(hint):
                assert not q.check(x).passed, f"{q.label}: hint {hint!r} holds the answer {x}"
    if q.kind == "function":
        lines = [
            line.strip()
            for line in q.worked_solution.splitlines()
            if line.strip() and not line.strip().startswith(("def ", "#"))
        ]
        for hint in q.hints:
            assert not all(line in hint for line in lines), f"{q.label}: {hint!r} is the solution"


@pytest.mark.parametrize(
    "q", [q for q in EXERCISES if "explain-why" in q.tags], ids=lambda q: q.label
)
def test_explain_why_has_reasoned_feedback_for_every_wrong_option(q):
    assert q.kind == "choice" and q.explanation
    options = set(re.findall(r"\(([a-e])\)", q.prompt))
    assert len(options) >= 3, f"{q.label}: list the options as (a), (b), (c) in the prompt"
    covered = {str(w).strip().lower() for w, _ in q.misconceptions}
    assert options - {q.answer} <= covered, (
        f"{q.label}: no feedback for {options - covered - {q.answer}}"
    )


@pytest.mark.parametrize("number", [3, 4, 5, 6, 7])
def test_lessons_3_to_7_have_an_explain_why_and_a_debug_exercise(number):
    tags = [set(q.tags) for q in EXERCISES if q.lesson == number]
    assert any("explain-why" in t for t in tags), f"lesson {number} has no explain-why exercise"
    assert any("debug" in t for t in tags), f"lesson {number} has no debug exercise"
