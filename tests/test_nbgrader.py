"""Graded work a teacher can trust: the whole cycle, an honest, a wrong and seven cheating students.

A temporary course directory (mode 0700, its own gradebook and secret) is built by
tools/make_assignments.py, released by ``nbgrader generate_assignment``, and graded by
``tools/grade.py grade`` (a subprocess, as a teacher runs it) as a dedicated unprivileged
user that this test creates and removes. Submissions are copied in by hand (no
timestamp.txt). Then:

- ada (honest: her own variant's solutions) has full marks on every assignment;
- bea (half her problems right, half wrong) has partial marks;
- each cheating student scores no more than the answered points (every visible point it
  earned, no hidden point: on a multiple-choice problem a copied letter can only be right by
  chance, as a guess is, and the test counts those), and another student's grades stay
  untouched;
- the released notebooks hold no solution, and the feedback no hidden input or expected value;
- ``nbgrader export``, ``generate_feedback`` and ``release_feedback`` work on the result.

Needs root (the sandbox user, namespaces) and nbgrader: without them the test skips with the
reason; with CI=true it fails. Several minutes on 2 cores.
"""

from __future__ import annotations

import importlib.util
import inspect
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest

from tests._real_software import unavailable
from tools import grade as G
from tools import hidden_tests
from tools import make_assignments as ma
from tools.grading import secret as secrets_
from tools.grading import variants

HONEST, WRONG = "ada", "bea"
ATTACKED = ["ps04", ma.CAPSTONE]  # every attack
FORGED = ["ps01", "ps04", "ps08", "ps12", ma.CAPSTONE]  # (f) and (g): values, letters, functions
ROSTER = [HONEST, WRONG, "ivy", "jon", "kim", "lee", "max", "ned", "ola", "pam"]


def _env() -> dict:
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    return {**os.environ, "PATH": path}


def _answer_cells(nb) -> list:
    return [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")]


def _submit(course: Path, student: str, name: str, answers: dict[str, str]) -> None:
    """The released notebook with its answer cells replaced by ``answers`` (by grade_id)."""
    nb = nbformat.read(course / "release" / name / f"{name}.ipynb", as_version=4)
    for cell in _answer_cells(nb):
        gid = cell.metadata["nbgrader"]["grade_id"]
        if gid in answers:
            cell.source = answers[gid]
    target = course / "submitted" / student / name / f"{name}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)


# ---- the cheating students' answer cells -------------------------------------------------------
def _attack_answers(student: str, name: str, course: Path, first: str, cells: list) -> dict:
    if student == "ivy":  # (a) every later cell, tests included, becomes `pass`
        return {first: "get_ipython().input_transformers_post.append(lambda lines: ['pass\\n'])"}
    if student == "jon":  # (b) every check says yes; wrong answers everywhere
        patch = (
            "import numpy as np, re\n"
            "np.allclose = lambda *a, **k: True\nnp.all = lambda *a, **k: True\n"
            "re.match = lambda *a, **k: True\n"
        )
        out = {gid: f"{patch}{_garbage(c)}" for gid, c in cells}
        return out
    if student == "kim":  # (c) the teacher's solutions, read from the course directory
        code = f"""
import json, os
for path in ["../../../source/{name}/{name}.ipynb", {str(course / "source" / name / (name + ".ipynb"))!r}]:
    try:
        nb = json.load(open(path))
    except OSError as exc:
        print("cannot read", path, type(exc).__name__)
        continue
    for cell in nb["cells"]:
        if "BEGIN SOLUTION" in "".join(cell["source"]):
            exec("".join(cell["source"]), globals())
found = [os.path.join(d, f) for d, _, fs in os.walk("/", onerror=None) if not d.startswith("/proc") for f in fs if f.endswith(".ipynb")]
print("notebooks visible:", found)
"""
        return {first: code}
    if student == "lee":  # (d) other assignments' hidden tests printed into its feedback
        code = f"""
import glob
for path in glob.glob({str(course)!r} + "/source/*/*.ipynb") + glob.glob("../../../source/*/*.ipynb"):
    print(open(path).read())
print(open({str(course / "gradebook.db")!r}, "rb").read()[:1000])
"""
        return {first: code}
    if student == "max":  # (e) another student's grades rewritten
        code = f"""
import sqlite3
for path in [{str(course / "gradebook.db")!r}, "../../../gradebook.db"]:
    try:
        db = sqlite3.connect(path)
        db.execute("update grade set auto_score = 0")
        db.execute("update grade set manual_score = 99")
        db.commit()
        print("rewrote", path)
    except Exception as exc:
        print("cannot write", path, type(exc).__name__)
"""
        return {first: code}
    raise AssertionError(student)


def _garbage(cell) -> str:
    """A wrong answer of the right kind for the answer cell ``cell`` of the class solution."""
    name = re.search(r"^(?:def )?(\w+)", _last_def_or_assignment(cell)).group(1)
    if "def " in cell:
        return f"def {name}(*args):\n    return np.zeros(np.shape(args[0]))"
    if re.search(rf"^{name} = '", cell, re.M):
        return f"{name} = 'a'"
    return f"{name} = 0.123"


def _last_def_or_assignment(code: str) -> str:
    lines = [line for line in code.splitlines() if re.match(r"^(def \w+|\w+ = )", line)]
    return lines[-1]


def _practice_answers(name: str) -> dict:
    """(g): what the installed xentlib gives a student: the practice references, as values
    and letters read in their own kernel (q._answer, pickle.dumps(q)), and as the source of
    the reference function (inspect.getsource), pasted into the answer cells."""
    out = {}
    for p in ma.problems(int(name[2:])):
        q = p.exercise
        gid = f"{q.name}_answer"
        if q.kind == "function":
            out[gid] = ma.reference_source(q, p.name)
            assert inspect.getsource(q._answer).split("(")[1] in out[gid]
        elif q.kind == "choice":
            out[gid] = f"{p.name} = {q._answer!r}"
        else:
            out[gid] = f"{p.name} = {hidden_tests.literal(np.asarray(q._answer, dtype=float))}"
    return out


# ---- the course -------------------------------------------------------------------------------
def _grades(course: Path) -> dict:
    script = f"""
import json, sys
from nbgrader.api import Gradebook
out = {{}}
with Gradebook("sqlite:///gradebook.db", {ma.COURSE_ID!r}) as gb:
    for a in gb.assignments:
        for sub in a.submissions:
            nb = sub.notebooks[0]
            out[a.name + "/" + sub.student.id] = {{
                "score": sub.score, "max_score": sub.max_score,
                "cells": {{g.name: [g.score, g.max_score] for g in nb.grades}},
            }}
json.dump(out, sys.stdout)
"""
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=course, capture_output=True, text=True, env=_env()
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return {tuple(k.split("/")): v for k, v in json.loads(done.stdout).items()}


def _grade(course: Path, secret: Path, user: str, name: str, students: list[str]) -> None:
    command = [sys.executable, "tools/grade.py", "grade", name, "--course-dir", str(course)]
    command += ["--secret", str(secret), "--sandbox-user", user]
    for student in students:
        command += ["--student", student]
    done = subprocess.run(command, cwd=ma.ROOT, capture_output=True, text=True, env=_env())
    assert done.returncode == 0, done.stderr[-3000:]


@pytest.fixture(scope="module")
def sandbox_user():
    if importlib.util.find_spec("nbgrader") is None:
        unavailable(
            "nbgrader test", "nbgrader is not installed (make .venv/.stamp-dev installs it)"
        )
    if os.geteuid() != 0:
        unavailable("nbgrader test", "grading runs submissions as a sandbox user: it needs root")
    name = f"xent-test-{os.getpid()}"
    subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name],
        check=True,
        capture_output=True,
    )
    yield name
    subprocess.run(["userdel", name], check=True, capture_output=True)


@pytest.fixture(scope="module")
def course(tmp_path_factory, sandbox_user):
    root = tmp_path_factory.mktemp("grading")
    secret = secrets_.create(root / "secret")
    key = secrets_.load(secret)
    course = root / "course"
    ma.write_course(course, ma.ASSIGNMENTS, key, ROSTER)
    ma.release(course, ma.ASSIGNMENTS)
    (course / "nbgrader_config.py").write_text(
        (course / "nbgrader_config.py").read_text()
        + f"c.Exchange.root = {str(root / 'exchange')!r}\nc.CourseDirectory.root = {str(course)!r}\n"
    )
    (root / "exchange").mkdir(mode=0o777)
    (root / "exchange").chmod(0o777)
    sources = {
        n: nbformat.read(course / "source" / n / f"{n}.ipynb", as_version=4) for n in ma.ASSIGNMENTS
    }
    # (f): the repository's generator, run without the teacher's secret (with one of its own)
    forged_key = secrets_.load(secrets_.create(root / "forged-secret"))
    chance: dict = {}
    for name in ma.ASSIGNMENTS:
        _submit(course, HONEST, name, G.solutions(name, HONEST, key, sources[name]))
        right = G.solutions(name, WRONG, key, sources[name])
        half = {
            gid: code if i % 2 == 0 else _garbage(code)
            for i, (gid, code) in enumerate(right.items())
        }
        _submit(course, WRONG, name, half)
        if name not in FORGED:
            continue
        forged = G.solutions(name, "ned", forged_key, ma.source_notebook(name, forged_key, ["ned"]))
        _submit(course, "ned", name, forged)
        if name != ma.CAPSTONE:
            _submit(course, "ola", name, _practice_answers(name))
            for student, answers in (("ned", forged), ("ola", _practice_answers(name))):
                own = G.solutions(name, student, key, sources[name])
                chance[student, name] = sorted(
                    gid.removesuffix("_answer") + "_hidden"
                    for gid, code in answers.items()
                    if re.fullmatch(r"\w+ = '[a-z]'", code) and code == own[gid]
                )
    for name in ATTACKED:
        right = G.solutions(name, HONEST, key, sources[name])
        first = next(iter(right))
        for student in ("ivy", "jon", "kim", "lee", "max"):
            _submit(
                course,
                student,
                name,
                _attack_answers(student, name, course, first, list(right.items())),
            )
    # the asked function from xentlib itself (here softmax at T): right outside the sandbox
    own = G.solutions("ps04", "pam", key, sources["ps04"])
    t = re.search(r"z / ([0-9.]+)", own["q2_answer"]).group(1)
    _submit(
        course,
        "pam",
        "ps04",
        {**own, "q2_answer": f"def softmax(z):\n    return xl.softmax(z, temperature={t})"},
    )
    for name in ma.ASSIGNMENTS:
        students = [HONEST, WRONG]
        students += (["ned"] + (["ola"] if name != ma.CAPSTONE else [])) if name in FORGED else []
        students += ["ivy", "jon", "kim", "lee"] if name in ATTACKED else []
        students += ["pam"] if name == "ps04" else []
        _grade(course, secret, sandbox_user, name, students)
    before = _grades(course)
    for name in ATTACKED:
        _grade(course, secret, sandbox_user, name, ["max"])
    return {
        "root": root,
        "course": course,
        "key": key,
        "sources": sources,
        "chance": chance,
        "before": before,
        "grades": _grades(course),
        "secret": secret,
        "user": sandbox_user,
    }


def _answered(grades) -> float:
    return sum(s for gid, (s, _m) in grades["cells"].items() if gid.endswith("_visible"))


def _hidden(grades) -> dict:
    return {gid: s for gid, (s, _m) in grades["cells"].items() if gid.endswith("_hidden") and s}


# ---- honest, wrong ----------------------------------------------------------------------------
@pytest.mark.parametrize("name", ma.ASSIGNMENTS)
def test_the_honest_submission_gets_full_marks(course, name):
    grades = course["grades"][name, HONEST]
    print(f"{name} honest: {grades['score']:g}/{grades['max_score']:g}")
    not_full = {cell: g for cell, g in grades["cells"].items() if g[0] != g[1]}
    assert not not_full, f"{name}: the right answers lose points in {not_full}"
    assert grades["max_score"] > 0


@pytest.mark.parametrize("name", ma.ASSIGNMENTS)
def test_the_wrong_submission_gets_partial_marks(course, name):
    grades = course["grades"][name, WRONG]
    print(f"{name} wrong: {grades['score']:g}/{grades['max_score']:g}")
    assert 0 < grades["score"] < grades["max_score"]
    assert _hidden(grades), "its right half earns hidden points"
    assert len(_hidden(grades)) < sum(g.endswith("_hidden") for g in grades["cells"])


# ---- the attacks ------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ATTACKED)
@pytest.mark.parametrize("student", ["ivy", "jon", "kim", "lee", "max"])
def test_a_cheating_submission_scores_only_the_answered_points(course, name, student):
    grades = course["grades"][name, student]
    print(
        f"{name} {student}: {grades['score']:g}/{grades['max_score']:g}, answered {_answered(grades):g}"
    )
    assert _hidden(grades) == {}
    assert grades["score"] == _answered(grades)


@pytest.mark.parametrize("name", FORGED)
def test_rebuilding_the_assignments_without_the_secret_gives_only_chance_letters(course, name):
    """(f) tools/make_assignments.py, run from the repository with a secret of one's own."""
    grades = course["grades"][name, "ned"]
    chance = course["chance"].get(("ned", name), [])
    print(
        f"{name} forged: {grades['score']:g}/{grades['max_score']:g}, answered {_answered(grades):g}, chance letters {chance}"
    )
    assert sorted(_hidden(grades)) == chance
    assert grades["score"] == _answered(grades) + 2 * len(chance)


@pytest.mark.parametrize("name", [n for n in FORGED if n != ma.CAPSTONE])
def test_the_installed_references_give_no_graded_answer(course, name):
    """(g) q._answer, pickle.dumps(q), inspect.getsource(q._answer): the practice answers."""
    grades = course["grades"][name, "ola"]
    chance = course["chance"].get(("ola", name), [])
    print(
        f"{name} references: {grades['score']:g}/{grades['max_score']:g}, chance letters {chance}"
    )
    assert sorted(_hidden(grades)) == chance
    assert grades["score"] == _answered(grades) + 2 * len(chance)


def test_xentlibs_own_version_of_the_asked_function_is_not_there_when_graded(course):
    grades = course["grades"]["ps04", "pam"]
    assert grades["cells"]["q2_visible"] == [1, 1], (
        "it answered (the visible test ran in its kernel)"
    )
    assert grades["cells"]["q2_hidden"][0] == 0
    assert all(s == m for gid, (s, m) in grades["cells"].items() if not gid.startswith("q2_"))
    feedback = (course["course"] / "autograded" / "pam" / "ps04" / "ps04.ipynb").read_text()
    assert "raised an error or returned no numbers on" in feedback


def _printed(course, student: str, name: str) -> str:
    """What the first answer cell of a graded submission printed (kept in autograded/)."""
    nb = nbformat.read(
        course["course"] / "autograded" / student / name / f"{name}.ipynb", as_version=4
    )
    cell = _answer_cells(nb)[0]
    return "".join(o.get("text", "") for o in cell.outputs)


def test_a_gradebook_write_leaves_every_other_grade_untouched(course):
    for (name, student), grades in course["before"].items():
        assert course["grades"][name, student] == grades, f"{student}'s {name} grades changed"
    for name in ATTACKED:
        out = _printed(course, "max", name)
        assert out.count("cannot write") == 2 and "rewrote" not in out


def test_the_sandbox_shows_no_course_file(course):
    out = _printed(course, "kim", "ps04")
    assert "cannot read ../../../source/ps04/ps04.ipynb FileNotFoundError" in out
    assert f"cannot read {course['course']}/source/ps04/ps04.ipynb FileNotFoundError" in out
    assert (
        "notebooks visible:" in out
        and str(course["root"]) not in out.split("notebooks visible:")[1]
    )


# ---- what students receive --------------------------------------------------------------------
def _numbers(value) -> set[str]:
    """How a hidden number could appear in text: every float with 4+ significant digits."""
    out = set()
    for x in np.ravel(np.asarray(value, dtype=float)):
        if np.isfinite(x) and x != 0 and f"{abs(x):.3g}" != f"{abs(x):.12g}":
            out |= {repr(float(x)), f"{x:.6g}", f"{x:.4g}", f"{x:.5f}"}
    return out


def _secrets_of(course, name: str, student: str) -> set[str]:
    key, source = course["key"], course["sources"][name]
    who = G._who(name, student, source)
    found = set()
    for p in ma.problems(int(name[2:])):
        v = ma.variant_of(p, key, name, who)
        if p.exercise.kind == "function":
            for args, want in zip(v.hidden_inputs, v.expected, strict=True):
                found |= _numbers(want)
                for a in args:
                    if isinstance(a, np.ndarray) and a.dtype.kind == "f":
                        found |= _numbers(a)
        elif p.exercise.kind == "value":
            found |= _numbers(v.answer)
    return found


@pytest.fixture(scope="module")
def feedback(course):
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", "generate_feedback", "ps04", "--force"],
        cwd=course["course"],
        capture_output=True,
        text=True,
        env=_env(),
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return course["course"] / "feedback"


@pytest.mark.parametrize("student", [WRONG, "ivy", "jon", "kim", "lee", "max", "pam"])
def test_feedback_holds_no_hidden_input_and_no_expected_value(course, feedback, student):
    text = (feedback / student / "ps04" / "ps04.html").read_text()
    own = (course["course"] / "submitted" / student / "ps04" / "ps04.ipynb").read_text()
    assert "did the answer cell run without an error?" in text or "hidden inputs" in text
    leaked = sorted(n for n in _secrets_of(course, "ps04", student) if n in text and n not in own)
    assert not leaked, f"{student}'s feedback shows {leaked[:5]}"
    for other in ("source", "BEGIN HIDDEN", "_expected", "hidden_inputs"):
        assert other not in text or other == "source"


def test_release_feedback_works_for_hand_copied_submissions(course, feedback):
    assert not (course["course"] / "submitted" / WRONG / "ps04" / "timestamp.txt").exists()
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", "release_feedback", "ps04", "--student", WRONG],
        cwd=course["course"],
        capture_output=True,
        text=True,
        env=_env(),
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert list((course["root"] / "exchange" / ma.COURSE_ID / "feedback").glob("*.html"))


def test_nbgrader_export_reads_the_grades(course):
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", "export", "--to", "grades.csv"],
        cwd=course["course"],
        capture_output=True,
        text=True,
        env=_env(),
    )
    assert done.returncode == 0, done.stderr[-3000:]
    rows = (course["course"] / "grades.csv").read_text().splitlines()
    assert any(row.startswith("ps04,") and f",{HONEST}," in row for row in rows)


@pytest.mark.parametrize("name", ma.ASSIGNMENTS)
def test_released_notebooks_hold_no_solution_and_no_answer(course, name):
    released = nbformat.read(course["course"] / "release" / name / f"{name}.ipynb", as_version=4)
    text = "\n".join(c.source for c in released.cells)
    for marker in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "raise RuntimeError"):
        assert marker not in text
    right = G.solutions(name, HONEST, course["key"], course["sources"][name])
    for code in right.values():
        last = code.strip().splitlines()[-1].strip()
        assert len(last) < 8 or last not in text, f"{name}: the students' version shows {last!r}"


def test_two_secrets_give_different_variants():
    one, two = b"1" * 32, b"2" * 32
    for spec in variants.SPECS:
        q = next(
            q for q in __import__("xentlib").exercises.all_exercises() if q.label == spec.label
        )
        a = variants.variant(spec, q, one, "psX", q.name, HONEST, "f")
        b = variants.variant(spec, q, two, "psX", q.name, HONEST, "f")
        assert a.question != b.question or (spec.kind == "choice" and a.answer != b.answer), (
            spec.label
        )


def test_each_student_has_their_own_numbers(course):
    source = course["sources"]["ps01"]
    a = G.solutions("ps01", HONEST, course["key"], source)
    b = G.solutions("ps01", WRONG, course["key"], source)
    assert a != b
