"""The whole nbgrader cycle, in a temporary course directory with its own SQLite gradebook.

tools/make_assignments.py writes the source notebooks of every problem set (ps01, ps02, …)
and the capstone; ``nbgrader generate_assignment`` makes the students' versions. Two
students submit each assignment: ada fills in the solutions (the source notebook's
solution cells, markers removed); bea gives the wrong answers a learner gives (each
exercise's first misconception that the course's check rejects; in the capstone, a mistake
per task). ``nbgrader autograde`` runs the submissions, and the scores are read from the
gradebook with nbgrader's Gradebook API. Then:

- ada has full marks on every assignment, every graded cell included;
- bea's score is strictly between 0 and the maximum, and every hidden test fails her (the
  visible tests only check that an answer of the right kind was given);
- the released notebooks hold no "BEGIN SOLUTION" or "BEGIN HIDDEN TESTS", no line of any
  solution and no line of any hidden test (lines that the source shows outside those
  regions anyway, such as the broken code of a "debug this" exercise, are not leaks).

nbgrader (pinned in requirements-dev.txt) runs as a command of this environment, in
subprocesses, as a teacher runs it. Without nbgrader the test skips with the reason; with
CI=true it fails. About 75 s on 2 cores (every assignment, both students).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tests._real_software import unavailable
from tools import make_assignments as ma

STUDENTS = {"ada": "correct", "bea": "wrong"}


def _unavailable(reason: str):
    unavailable("nbgrader test", reason)


# ---- submissions -------------------------------------------------------------------------------
def _solution_body(source: str) -> str:
    """A solution cell's code without its markers (what a student who solved it wrote)."""
    lines = source.splitlines()
    return "\n".join(
        line for line in lines if line.strip() not in (ma.BEGIN_SOLUTION, ma.END_SOLUTION)
    )


def _wrong_problem_set_answers(number: int) -> dict[str, str]:
    """grade_id of each answer cell → a wrong answer a learner gives (a misconception)."""
    answers = {}
    for p in ma.problems(number):
        q = p.exercise
        index = next(i for i, (m, _) in enumerate(q.misconceptions) if not q.check(m).passed)
        wrong = q.misconceptions[index][0]
        if q.kind == "function":  # the learner's function, as the course records it
            code = (
                f"from xentlib.exercises import lesson\n\n"
                f"{p.name} = lesson({number}).{q.name}.misconceptions[{index}][0]"
            )
        else:
            code = f"{p.name} = {ma.hidden_tests.literal(wrong)}"
        answers[f"{q.name}_answer"] = code
    return answers


# One mistake per capstone task, each one a learner makes.
WRONG_CAPSTONE = {
    "losses_answer": """
softmax_model = xl.SoftmaxRegression(lr=0.5, epochs=300, seed=0).fit(X_train, y_train)
mlp = xl.TinyMLP(hidden=32, lr=0.5, epochs=500, seed=0).fit(X_train, y_train)
softmax_test_loss = softmax_model.loss(X_train, y_train)  # the training set, not the test set
mlp_test_loss = mlp.loss(X_train, y_train)
mlp_train_loss = mlp.loss(X_train, y_train)""",
    "compare_answer": """
better_test_loss = "mlp"  # judged by the training loss
overfit_gap = mlp.loss(X_train, y_train) - mlp.loss(X_test, y_test)  # the wrong way round""",
    "temperature_answer": """
T = metrics.fit_temperature(mlp.decision_function(X_test), y_test)  # fitted on the test set
calibrated_test_loss = xl.cross_entropy(y_test, logits=mlp.decision_function(X_test) * T)""",
    "ece_answer": """
val_logits = mlp.decision_function(X_val)  # the validation set, where T was fitted
ece_before = metrics.expected_calibration_error(y_val, xl.softmax(val_logits))
ece_after = metrics.expected_calibration_error(y_val, xl.softmax(val_logits / T))""",
    "errors_answer": """
confusion = metrics.confusion_matrix(mlp.predict(X_test), y_test, n_classes=6)  # swapped
errors = confusion - np.diag(np.diag(confusion))
i, j = np.unravel_index(np.argmax(errors), errors.shape)
most_confused = (LETTERS[i], LETTERS[j])""",
}


def _submission(released, source, answers: dict[str, str] | None):
    """The released notebook with its answer cells filled: ``answers`` by grade_id, or the
    source notebook's solutions when ``answers`` is None."""
    solutions = {
        cell.metadata["nbgrader"]["grade_id"]: _solution_body(cell.source)
        for cell in source.cells
        if cell.metadata.get("nbgrader", {}).get("solution")
    }
    nb = nbformat.from_dict(released)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            grade_id = meta["grade_id"]
            cell.source = solutions[grade_id] if answers is None else answers[grade_id].strip()
    return nb


# ---- the cycle --------------------------------------------------------------------------------
def _nbgrader(course: Path, *args: str):
    try:
        return ma.nbgrader(course, *args)
    except ma.AssignmentError as exc:
        pytest.fail(str(exc))


def _read_gradebook(course: Path) -> dict:
    """(assignment, student) → {"score", "max_score", "cells": {grade_id: (score, max)}},
    read in a subprocess with nbgrader's Gradebook API."""
    script = f"""
import json, sys
from nbgrader.api import Gradebook
out = {{}}
with Gradebook("sqlite:///gradebook.db", {ma.COURSE_ID!r}) as gb:
    for assignment in {ma.ASSIGNMENTS!r}:
        for student in {list(STUDENTS)!r}:
            sub = gb.find_submission(assignment, student)
            nb = sub.notebooks[0]
            out[assignment + "/" + student] = {{
                "score": sub.score,
                "max_score": sub.max_score,
                "cells": {{g.name: [g.score, g.max_score] for g in nb.grades}},
            }}
json.dump(out, sys.stdout)
"""
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=course,
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": path},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return {tuple(k.split("/")): v for k, v in json.loads(done.stdout).items()}


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A graded course: sources, releases, two students' submissions, the gradebook."""
    if importlib.util.find_spec("nbgrader") is None:
        _unavailable("nbgrader is not installed (make .venv/.stamp-dev installs it)")
    root = tmp_path_factory.mktemp("course")
    ma.write_course(root, ma.ASSIGNMENTS)
    released = ma.release(root, ma.ASSIGNMENTS)
    sources, releases = {}, {}
    for name, path in zip(ma.ASSIGNMENTS, released, strict=True):
        sources[name] = nbformat.read(root / "source" / name / f"{name}.ipynb", as_version=4)
        releases[name] = nbformat.read(path, as_version=4)
        wrong = WRONG_CAPSTONE if name == ma.CAPSTONE else _wrong_problem_set_answers(int(name[2:]))
        for student, kind in STUDENTS.items():
            answers = None if kind == "correct" else wrong
            target = root / "submitted" / student / name / f"{name}.ipynb"
            target.parent.mkdir(parents=True)
            nbformat.write(_submission(releases[name], sources[name], answers), target)
    _nbgrader(root, "autograde", "--CourseDirectory.assignment_id=*", "--force", "--log-level=WARN")
    return {"root": root, "sources": sources, "releases": releases, "grades": _read_gradebook(root)}


@pytest.mark.parametrize("name", ma.ASSIGNMENTS)
def test_the_correct_submission_gets_full_marks(course, name):
    grades = course["grades"][name, "ada"]
    print(f"{name} correct: {grades['score']:g}/{grades['max_score']:g}")
    not_full = {cell: g for cell, g in grades["cells"].items() if g[0] != g[1]}
    assert not not_full, f"{name}: the solutions lose points in {not_full}"
    assert grades["max_score"] > 0 and grades["score"] == grades["max_score"]


@pytest.mark.parametrize("name", ma.ASSIGNMENTS)
def test_the_wrong_submission_gets_partial_marks_and_fails_every_hidden_test(course, name):
    grades = course["grades"][name, "bea"]
    print(f"{name} wrong: {grades['score']:g}/{grades['max_score']:g}")
    hidden = {cell: g for cell, g in grades["cells"].items() if cell.endswith("_hidden")}
    assert hidden, f"{name}: no hidden test was graded"
    passed = {cell: g for cell, g in hidden.items() if g[0] != 0}
    assert not passed, f"{name}: wrong answers pass hidden tests: {passed}"
    assert 0 < grades["score"] < grades["max_score"]


def _regions(source: str, begin: str, end: str) -> list[str]:
    return re.findall(rf"{re.escape(begin)}\n(.*?){re.escape(end)}", source, re.S)


def _meaningful_lines(text: str) -> set[str]:
    """The lines worth looking for: stripped, not blank, not a lone bracket or keyword."""
    lines = {line.strip() for line in text.splitlines()}
    return {line for line in lines if len(line) >= 8}


@pytest.mark.parametrize("name", ma.ASSIGNMENTS)
def test_released_notebooks_hold_no_solution_and_no_hidden_test(course, name):
    source, released = course["sources"][name], course["releases"][name]
    released_text = "\n".join(cell.source for cell in released.cells)
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"):
        assert marker not in released_text, f"{name}: the students' version holds {marker!r}"
    secret, shown = [], []
    for cell in source.cells:
        found = _regions(cell.source, ma.BEGIN_SOLUTION, ma.END_SOLUTION)
        found += _regions(cell.source, ma.hidden_tests.BEGIN_HIDDEN, ma.hidden_tests.END_HIDDEN)
        secret += found
        rest = cell.source
        for region in found:
            rest = rest.replace(region, "")
        shown.append(rest)
    lines = _meaningful_lines("\n".join(secret)) - _meaningful_lines("\n".join(shown))
    assert len(lines) >= 10, f"{name}: too few solution and hidden-test lines to look for"
    leaked = sorted(lines & _meaningful_lines(released_text))
    assert not leaked, f"{name}: the students' version shows {leaked[:5]}"
