"""The graded assignments' source notebooks, built without nbgrader (tools/make_assignments.py).

tests/test_nbgrader.py runs them through nbgrader; these tests check how they are made:
one problem per exercise of the lesson, each with its solution between the markers and its
visible and hidden tests, and the solutions taken from the course's own answers.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import xentlib as xl
from tools import hidden_tests
from tools import make_assignments as ma
from tools.course import LESSONS
from tools.grading import variants


def _cells(nb, kind: str) -> list:
    return [c for c in nb.cells if c.metadata["nbgrader"]["grade_id"].endswith(f"_{kind}")]


def test_there_is_a_problem_set_for_every_lesson_with_exercises_but_lesson_00():
    with_exercises = sorted({q.lesson for q in xl.exercises.all_exercises()} - {0})
    assert ma.PROBLEM_SETS == [f"ps{n:02d}" for n in with_exercises]
    assert ma.ASSIGNMENTS == [*ma.PROBLEM_SETS, "capstone"]


KEY = b"t" * 32


@pytest.mark.parametrize("name", ma.PROBLEM_SETS)
def test_a_problem_set_has_every_exercise_with_a_variant_and_no_other(name):
    number = int(name[2:])
    nb = ma.source_notebook(name, KEY, ["ada"])
    graded = [q for q in xl.exercises.lesson(number) if q.label in variants.BY_LABEL]
    assert graded, f"{name} grades nothing"
    answers, visible, hidden = (_cells(nb, kind) for kind in ("answer", "visible", "hidden"))
    assert len(answers) == len(visible) == len(hidden) == len(graded)
    for q, answer, hidden_cell in zip(graded, answers, hidden, strict=True):
        assert answer.metadata["nbgrader"]["grade_id"] == f"{q.name}_answer"
        assert answer.source.startswith(ma.BEGIN_SOLUTION)
        assert hidden_tests.BEGIN_HIDDEN in hidden_cell.source
        assert hidden_cell.metadata["nbgrader"]["points"] == hidden_tests.HIDDEN_POINTS
    points = sum(c.metadata["nbgrader"].get("points", 0) for c in nb.cells)
    assert points == 3 * len(graded)


def test_a_value_solution_is_the_exercises_answer():
    q = xl.exercises.lesson(1).q2
    code = ma.solution_code(q, "q2")
    namespace = {"np": np}
    exec(code, namespace)
    assert namespace["q2"] == pytest.approx(np.log(6), rel=1e-12)
    assert "ln 6" in code, "the worked solution comes along as a comment"


def test_a_debug_solution_is_the_broken_code_fixed_as_the_worked_solution_says():
    q = xl.exercises.lesson(6).q6
    broken, _ = ma.broken_code(q)
    fixed = ma.solution_code(q, "train_softmax")
    assert "P = xl.softmax(X @ W + b, axis=0)" in broken
    assert "P = xl.softmax(X @ W + b, axis=0)" not in fixed
    assert "P = xl.softmax(X @ W + b, axis=1)" in fixed
    assert len(fixed.splitlines()) == len(broken.splitlines())
    assert q.check(_defined(fixed, "train_softmax")).passed


def test_a_debug_exercise_gets_the_lessons_functions_it_calls():
    q = xl.exercises.lesson(12).q3
    _, given = ma.broken_code(q)
    assert given.startswith("def nll_loss_like_torch(")


def _defined(code: str, name: str):
    namespace = {"np": np, "xl": xl}
    exec(code, namespace)
    return namespace[name]


def test_the_capstone_differs_from_student_to_student():
    ada, bea = ma.capstone_params(KEY, "ada"), ma.capstone_params(KEY, "bea")
    assert ada != bea
    ref = ma.reference_values(ada)
    assert ref["better_test_loss"] in ("softmax", "mlp") and ref["T"] > 0
    assert np.asarray(ref["confusion"]).shape == (6, 6)


def test_an_unknown_assignment_is_refused_with_the_names(capsys):
    after_the_last = f"ps{LESSONS[-1].number + 1:02d}"
    with pytest.raises(SystemExit):
        ma.main([after_the_last, "--no-release"])
    err = capsys.readouterr().err
    assert f"unknown assignment {after_the_last}: the names are ps01, ps02" in err
    assert f"{ma.PROBLEM_SETS[-1]}, capstone (give none to build them all)" in err


@pytest.mark.parametrize("where", ["file", "under-a-file"])
def test_a_course_dir_that_is_a_file_is_refused_with_the_fix(tmp_path, where):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a folder")
    course_dir = a_file if where == "file" else a_file / "course"
    run = subprocess.run(
        [sys.executable, "tools/make_assignments.py", "--course-dir", str(course_dir), "ps01"],
        capture_output=True,
        text=True,
        cwd=ma.ROOT,
    )
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    assert f"--course-dir must be a folder (it is made if missing); got {str(course_dir)!r}" in (
        run.stderr
    )
    assert "a file. Pass a folder, for example --course-dir build/course" in run.stderr
    assert a_file.read_text() == "not a folder"


def test_a_course_dir_that_cannot_be_written_is_refused_with_the_fix(tmp_path, monkeypatch, capsys):
    def refuse(path, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    secret_file = tmp_path / "secret"
    secret_file.write_text("ab" * 32)
    secret_file.chmod(0o600)
    monkeypatch.setattr(Path, "mkdir", refuse)
    with pytest.raises(SystemExit) as exit_info:
        ma.main(
            [
                "--course-dir",
                str(tmp_path / "course"),
                "--no-release",
                "--secret",
                str(secret_file),
                "ps01",
            ]
        )
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert f"cannot write {tmp_path / 'course'} (Permission denied)" in err
    assert "Pass a folder you can write to" in err


def test_building_in_exam_mode_is_refused_with_the_fix():
    import os

    env = {**os.environ, "XENTLIB_HIDE_SOLUTIONS": "1"}
    run = subprocess.run(
        [sys.executable, "tools/make_assignments.py", "ps01", "--no-release"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ma.ROOT,
    )
    assert run.returncode == 2
    assert (
        "XENTLIB_HIDE_SOLUTIONS is set" in run.stderr
        and "build the assignments without it" in run.stderr
    )
