"""Graded work a teacher can trust: the whole cycle, an honest, a wrong and cheating students.

A temporary course directory (mode 0700, owned by a "teacher" user, with its own gradebook and
a fixed secret) is built by tools/make_assignments.py, released by ``nbgrader
generate_assignment``, and graded by ``tools/grade.py grade`` (a subprocess, as a teacher runs
it) as a dedicated unprivileged user. Both users are made for this module and always removed
(tests/_sandbox_users.py). Submissions are copied in by hand (no timestamp.txt). Then:

- ada (honest: her own variant's solutions, her letters written '(b)', 'B)', 'b.') has full
  marks on every assignment; bea (half right, half wrong) partial marks;
- **the rule for cheating submissions**: each scores exactly its answered points (the visible
  points: an answer of the right kind was given) plus its *chance matches*, counted here
  outside the pipeline: a copied or guessed multiple-choice letter that happens to be the
  student's right one. A letter copied from anything a student can get is right with
  probability 1/k (k options: the right option's place is drawn per student from the secret,
  tests/test_grading.py); no other hidden point is allowed, and none of a value, a function
  or a capstone task. The cheats: (a) ``input_transformers_post``, (b) numpy/re patched,
  (c) reading the teacher's source notebooks, (d) printing other assignments and the
  gradebook, (e) writing the gradebook (every other grade unchanged), (f) the assignments
  rebuilt with the public generator and a secret of one's own, (g) the practice references
  of the installed xentlib; and (h) JSON forged on the grader's pipe, (i) a process left
  running and a file left in /tmp, (j) a submission that is a symbolic link to the teacher's
  solutions, and xentlib's own ``softmax`` used where the problem asks to write it;
- the released notebooks hold no solution, the feedback no hidden input or expected value;
- ``nbgrader export``, formgrader's view, ``generate_feedback`` and ``release_feedback`` work
  on the result, and what the grader wrote belongs to the course directory's owner.

Needs root (the users, namespaces) and nbgrader: without them the test skips with the reason;
with CI=true it fails. About ten minutes on 2 shared cores.
"""

from __future__ import annotations

import hashlib
import html
import importlib.util
import inspect
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import numpy as np
import pytest

from tests._real_software import unavailable
from tests._sandbox_users import processes_of, temporary_user
from tools import grade as G
from tools import hidden_tests
from tools import make_assignments as ma
from tools.grading import judge, sandbox, stripped, variants
from tools.grading import secret as secrets_

HONEST, WRONG = "ada", "bea"
ATTACKED = ["ps04", ma.CAPSTONE]  # every attack
FORGED = ["ps01", "ps04", "ps08", "ps12", ma.CAPSTONE]  # (f) and (g): values, letters, functions
ATTACKERS = {"ivy": "a", "jon": "b", "kim": "c", "lee": "d", "max": "e", "abe": "h", "dan": "i"}
ROSTER = [HONEST, WRONG, "abe", "dan", "ivy", "jon", "kim", "lee", "max", "ned", "ola", "pam"]
LINKED = "sam"  # (j): not on the roster, so the class's solutions would be right for sam
SPELLINGS = ["({})", "{})", "{}."]  # how ada writes her letters: '(b)', 'B)', 'b.'


def _env() -> dict:
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    return {**os.environ, "PATH": path}


def _fixed_secret(path: Path, words: str) -> Path:
    """A secret file whose 32 bytes come from ``words``: the same variants on every run."""
    path.write_text(hashlib.sha256(words.encode()).hexdigest() + "\n")
    path.chmod(0o600)
    return path


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


def _spelled(code: str, turn: list) -> str:
    """A letter answer written another way: '(b)', 'B)', 'b.' in turn ('b' → …)."""
    found = re.fullmatch(r"(\w+) = '([a-z])'", code)
    if not found:
        return code
    i = len(turn)
    turn.append(code)
    letter = found.group(2).upper() if i % 3 == 1 else found.group(2)
    return f"{found.group(1)} = {SPELLINGS[i % 3].format(letter)!r}"


# ---- the cheating students' answer cells -------------------------------------------------------
FORGE = """
import json, os
job = json.load(open("/xent-job/job.json"))
out = os.fdopen(job["answer_fd"], "w")
if job["phase"] == "answers":
    # claims of every kind, some meant to crash a grader that trusts them
    claims = [{"shape": [], "values": [float("nan")]}, {"pair": 5}, {"text": ["a"]},
              {"callable": True, "shape": [10**9], "values": [1]}, {"shape": "x"}, [[[[]]]], "a"]
    answers = {a["name"]: claims[i % len(claims)] for i, a in enumerate(job["answers"])}
    cells = [{"output": {"html": "<script>alert(1)</script>"}}, {"output": 5}, "x"]
    out.write(json.dumps({"cells": cells, "answers": answers}))
else:
    outputs = {f["name"]: [{"shape": [2], "values": [0, 0]} for _ in f["inputs"]] for f in job["functions"]}
    out.write(json.dumps({"outputs": outputs}))
out.close()
os._exit(0)
"""

LEAVE_BEHIND = """
import os, time
open("/tmp/left-behind.txt", "w").write("dan was here")
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep(3600)
    os._exit(0)
print("a process left running")
"""


def _attack_answers(student: str, name: str, course: Path, first: str, cells: list) -> dict:
    if student == "ivy":  # (a) every later cell, tests included, becomes `pass`
        return {first: "get_ipython().input_transformers_post.append(lambda lines: ['pass\\n'])"}
    if student == "jon":  # (b) every check says yes; wrong answers everywhere
        patch = (
            "import numpy as np, re\n"
            "np.allclose = lambda *a, **k: True\nnp.all = lambda *a, **k: True\n"
            "re.match = lambda *a, **k: True\n"
        )
        return {gid: f"{patch}{_garbage(c)}" for gid, c in cells}
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
print("in /tmp:", os.listdir("/tmp"))
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
    if student == "abe":  # (h) the grader's pipe, written directly
        return {first: FORGE}
    if student == "dan":  # (i) a daemon and a file, for the next sandbox to find
        return {first: LEAVE_BEHIND}
    raise AssertionError(student)


def _garbage(cell) -> str:
    """A wrong answer of the right kind for the answer cell ``cell`` of the class solution
    (for a letter: 'a', which can be right by chance)."""
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


# ---- chance matches, counted outside the pipeline ---------------------------------------------
def _as_data(value) -> dict:
    """A Python answer as the runner reports it."""
    if isinstance(value, str):
        return {"text": value}
    if isinstance(value, tuple) and all(isinstance(v, str) for v in value):
        return {"pair": list(value)}
    array = np.asarray(value, dtype=float)
    return {"shape": list(array.shape), "values": array.ravel().tolist()}


def _chance(key, source, name: str, student: str, guesses: dict) -> list[str]:
    """The hidden cells that ``guesses`` (grade_id → a copied or guessed answer cell of one
    line, ``name = value``) earn for ``student`` by chance: judged here against the
    student's own variant, as the grader judges them."""
    who = G._who(name, student, source)
    found = []
    for p in ma.problems(int(name[2:])):
        code = guesses.get(f"{p.exercise.name}_answer", "")
        if p.exercise.kind not in ("value", "choice") or not re.fullmatch(rf"{p.name} = .+", code):
            continue
        namespace = {"np": np}
        exec(code, namespace)
        v = ma.variant_of(p, key, name, who)
        data = _as_data(namespace[p.name])
        if p.exercise.kind == "choice":
            verdicts = judge.choice(p.name, data, v.answer, v.options, p.exercise.name)
        else:
            verdicts = judge.value(
                p.name, data, v.answer, p.spec.digits, p.spec.exact, p.exercise.name
            )
        found += [v.grade_id for v in verdicts if v.grade_id.endswith("_hidden") and v.points]
    return sorted(found)


def _capstone_chance(key, source, student: str, forged: dict) -> list[str]:
    """The capstone tasks whose values, computed for another data set (``forged``), happen
    to be right for ``student``'s own."""
    own = ma.reference_values(ma.capstone_params(key, G._who(ma.CAPSTONE, student, source)))
    found = []
    for t in ma.CAPSTONE_TASKS:
        answers = {n: _as_data(forged[n]) for n, _how, _tol in t.checks}
        found += [
            v.grade_id
            for v in judge.task(t.grade_id, t.checks, answers, own, t.points)
            if v.grade_id.endswith("_hidden") and v.points
        ]
    return sorted(found)


def _kind(name: str, cell: str) -> str:
    """What kind of answer the graded cell ``cell`` of ``name`` judges."""
    if name == ma.CAPSTONE:
        return "task"
    problem = cell.rsplit("_", 1)[0]
    return next(p.exercise.kind for p in ma.problems(int(name[2:])) if p.exercise.name == problem)


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


def _grade(course: Path, secret: Path, user: str, name: str, students: list[str]):
    command = [sys.executable, "tools/grade.py", "grade", name, "--course-dir", str(course)]
    command += ["--secret", str(secret), "--sandbox-user", user]
    for student in students:
        command += ["--student", student]
    return subprocess.run(command, cwd=ma.ROOT, capture_output=True, text=True, env=_env())


@pytest.fixture(scope="module")
def users():
    """The sandbox user and the teacher who owns the course directory (removed afterwards,
    with any process they own)."""
    if importlib.util.find_spec("nbgrader") is None:
        unavailable(
            "nbgrader test", "nbgrader is not installed (make .venv/.stamp-dev installs it)"
        )
    if os.geteuid() != 0:
        unavailable("nbgrader test", "grading runs submissions as a sandbox user: it needs root")
    with temporary_user() as sandbox_user, temporary_user("teacher") as teacher:
        yield sandbox_user, teacher


@pytest.fixture(scope="module")
def course(tmp_path_factory, users):
    sandbox_user, teacher = users
    root = tmp_path_factory.mktemp("grading")
    secret = _fixed_secret(root / "secret", "tests/test_nbgrader.py: the teacher's secret")
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
    forged_key = secrets_.load(_fixed_secret(root / "forged", "a student's own secret"))
    chance: dict = {}
    turn: list = []  # ada's letters so far
    for name in ma.ASSIGNMENTS:
        right = G.solutions(name, HONEST, key, sources[name])
        _submit(
            course,
            HONEST,
            name,
            {gid: _spelled(code, turn) for gid, code in right.items()},
        )
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
        if name == ma.CAPSTONE:
            values = ma.reference_values(ma.capstone_params(forged_key, "ned"))
            chance["ned", name] = _capstone_chance(key, sources[name], "ned", values)
            continue
        _submit(course, "ola", name, _practice_answers(name))
        for student, guesses in (("ned", forged), ("ola", _practice_answers(name))):
            chance[student, name] = _chance(key, sources[name], name, student, guesses)
    for name in ATTACKED:
        right = G.solutions(name, HONEST, key, sources[name])
        first = next(iter(right))
        for student in ATTACKERS:
            if student == "dan" and name == ma.CAPSTONE:
                continue
            answers = _attack_answers(student, name, course, first, list(right.items()))
            _submit(course, student, name, answers)
            if student == "jon" and name != ma.CAPSTONE:  # its garbage letters: 'a'
                guesses = {gid: _garbage(code) for gid, code in right.items()}
                chance[student, name] = _chance(key, sources[name], name, student, guesses)
    # the asked function from xentlib itself (here softmax at T): right outside the sandbox
    own = G.solutions("ps04", "pam", key, sources["ps04"])
    t = re.search(r"z / ([0-9.]+)", own["q2_answer"]).group(1)
    _submit(
        course,
        "pam",
        "ps04",
        {**own, "q2_answer": f"def softmax(z):\n    return xl.softmax(z, temperature={t})"},
    )
    # (j) a submission that is a link to the teacher's solutions (right for an unlisted id)
    (course / "submitted" / LINKED / "ps04").mkdir(parents=True)
    (course / "submitted" / LINKED / "ps04" / "ps04.ipynb").symlink_to(
        course / "source" / "ps04" / "ps04.ipynb"
    )
    # the teacher owns the course directory; grading runs as root (sudo)
    subprocess.run(["chown", "-R", f"{teacher.pw_uid}:{teacher.pw_gid}", str(course)], check=True)
    graded: dict = {}
    for name in ma.ASSIGNMENTS:
        students = ["abe"] if name in ATTACKED else []  # first: the rest must still be graded
        students += [HONEST, WRONG]
        students += (["ned"] + (["ola"] if name != ma.CAPSTONE else [])) if name in FORGED else []
        students += ["dan"] if name == "ps04" else []  # before kim, who looks at /tmp
        students += ["ivy", "jon", "kim", "lee"] if name in ATTACKED else []
        students += ["pam"] if name == "ps04" else []
        done = _grade(course, secret, sandbox_user.pw_name, name, students)
        assert done.returncode == 0, done.stderr[-3000:]
        graded[name] = students
    before = _grades(course)
    for name in ATTACKED:
        done = _grade(course, secret, sandbox_user.pw_name, name, ["max"])
        assert done.returncode == 0, done.stderr[-3000:]
        graded[name].append("max")
    linked = _grade(course, secret, sandbox_user.pw_name, "ps04", [LINKED])
    return {
        "root": root,
        "course": course,
        "key": key,
        "sources": sources,
        "chance": chance,
        "before": before,
        "grades": _grades(course),
        "graded": graded,
        "linked": linked,
        "secret": secret,
        "user": sandbox_user,
        "teacher": teacher,
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


def test_the_honest_student_wrote_her_letters_three_ways(course):
    """The multiple-choice bug: '(b)', 'B)' and 'b.' are read as the letter (full marks above)."""
    written = set()
    for name in ma.PROBLEM_SETS:
        nb = nbformat.read(
            course["course"] / "submitted" / HONEST / name / f"{name}.ipynb", as_version=4
        )
        for cell in _answer_cells(nb):
            found = re.fullmatch(r"\w+ = '(.+)'", cell.source)
            if found:
                written.add(re.sub("[a-zA-Z]", "x", found.group(1)))
    assert {"(x)", "x)", "x."} <= written


@pytest.mark.parametrize("name", ma.ASSIGNMENTS)
def test_the_wrong_submission_gets_partial_marks(course, name):
    grades = course["grades"][name, WRONG]
    print(f"{name} wrong: {grades['score']:g}/{grades['max_score']:g}")
    assert 0 < grades["score"] < grades["max_score"]
    assert _hidden(grades), "its right half earns hidden points"
    assert len(_hidden(grades)) < sum(g.endswith("_hidden") for g in grades["cells"])


# ---- the attacks ------------------------------------------------------------------------------
CHEATING = [
    *[(s, n) for s in ATTACKERS for n in ATTACKED if not (s == "dan" and n == ma.CAPSTONE)],
    *[("ned", n) for n in FORGED],
    *[("ola", n) for n in FORGED if n != ma.CAPSTONE],
]


@pytest.mark.parametrize(("student", "name"), CHEATING, ids=[f"{s}-{n}" for s, n in CHEATING])
def test_a_cheating_submission_scores_its_answered_points_and_its_chance_letters(
    course, student, name
):
    """Score = answered points + 2 per chance match; a chance match is a letter (1/k)."""
    grades = course["grades"][name, student]
    chance = course["chance"].get((student, name), [])
    print(
        f"{name} {student}: {grades['score']:g}/{grades['max_score']:g}, "
        f"answered {_answered(grades):g}, chance matches {chance}"
    )
    assert sorted(_hidden(grades)) == chance
    assert grades["score"] == _answered(grades) + sum(grades["cells"][c][1] for c in chance)
    assert all(_kind(name, cell) == "choice" for cell in chance)


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
    visible = out.split("notebooks visible:")[1].split("\n")[0]
    assert visible.startswith(" ["), "the walk over its file system finished"
    # only notebooks installed packages ship (nbgrader's own tests): none of the course's
    assert str(course["root"]) not in visible
    for name in ma.ASSIGNMENTS:
        assert f"/{name}.ipynb" not in visible


def test_a_sandbox_leaves_no_process_and_no_file_behind(course):
    """(i) dan's daemon and file: the next sandbox (kim's) finds an empty /tmp, and no
    process of the sandbox user is left once grading is done."""
    assert "a process left running" in _printed(course, "dan", "ps04")
    in_tmp = re.search(r"in /tmp: (\[.*?\])", _printed(course, "kim", "ps04")).group(1)
    assert "left-behind" not in in_tmp, f"kim's sandbox found {in_tmp} in /tmp"
    assert processes_of(course["user"].pw_uid) == []


def test_forged_json_on_the_graders_pipe_stops_nothing(course):
    """(h) abe, graded first, wrote claims of every kind on the grader's pipe: the others
    of the same run were graded (its score obeys the rule, in the test above)."""
    for name in ATTACKED:
        assert course["graded"][name][0] == "abe"
        assert (name, HONEST) in course["grades"] and (name, "abe") in course["grades"]
        nb = nbformat.read(
            course["course"] / "autograded" / "abe" / name / f"{name}.ipynb", as_version=4
        )
        shown = json.dumps([c.get("outputs", []) for c in nb.cells])
        assert "<script>" not in shown and "html" not in shown


def test_a_submission_that_is_a_link_is_refused_and_the_rest_is_untouched(course):
    """(j) sam's ps04 is a symbolic link to the teacher's source notebook: not read."""
    done = course["linked"]
    assert done.returncode == 1
    assert f"ps04 {LINKED}: NOT GRADED:" in done.stderr and "is a symbolic link" in done.stderr
    assert "BEGIN SOLUTION" not in done.stdout + done.stderr
    assert ("ps04", LINKED) not in course["grades"]
    assert not (course["course"] / "autograded" / LINKED).exists()


def test_a_sandbox_that_runs_out_of_time_is_ended_with_everything_it_started(course, tmp_path):
    cells = [
        "import os, time\n"
        "if os.fork() == 0:\n    os.setsid()\n    time.sleep(3600)\n"
        "time.sleep(3600)"
    ]
    job = {"phase": "answers", "cells": cells, "answers": [{"name": "x", "kind": "value"}]}
    library = stripped.build(tmp_path / "lib")
    limits = sandbox.Limits(wall_seconds=5)
    outcome = sandbox.run(job, user=course["user"], library=library, limits=limits)
    assert outcome.timed_out and outcome.answer == ""
    assert 5 <= outcome.seconds < 15
    assert processes_of(course["user"].pw_uid) == []


def test_the_memory_and_cpu_limits_hold_in_the_sandbox(users, tmp_path):
    """A submission cannot take more memory or CPU time than its limits: a 4 GiB array is
    refused under a 3 GiB address space (the default), and a busy loop is stopped by its CPU
    limit long before the wall-clock one; the runner reports what it could."""
    library = stripped.build(tmp_path / "lib")
    grab = (
        "import numpy as np\n"
        "try:\n    big = np.ones(2**29)\n    held = 'allocated'\n"  # 2**29 float64: 4 GiB
        "except MemoryError:\n    held = 'refused'\n"
    )
    job = {"phase": "answers", "cells": [grab], "answers": [{"name": "held", "kind": "text"}]}
    outcome = sandbox.run(job, user=users[0], library=library)
    assert json.loads(outcome.answer)["answers"]["held"] == {"text": "refused"}
    spin = "while True:\n    pass"
    job = {"phase": "answers", "cells": [spin], "answers": [{"name": "x", "kind": "value"}]}
    limits = sandbox.Limits(cpu_seconds=3, wall_seconds=120)
    outcome = sandbox.run(job, user=users[0], library=library, limits=limits)
    assert not outcome.timed_out and outcome.seconds < 60 and outcome.answer == ""
    assert processes_of(users[0].pw_uid) == []


def test_a_python_installed_under_tmp_is_seen_by_the_sandbox(course, tmp_path, monkeypatch):
    """A course cloned into `mktemp -d` has its .venv under /tmp: the sandbox's private /tmp
    must not hide the site-packages bound there (it did: every answer came back empty)."""
    parent = Path(tempfile.mkdtemp(dir="/tmp"))  # mode 0700, as `mktemp -d` makes it
    try:
        site_dir = parent / ".venv" / "lib" / "site-packages"
        site_dir.mkdir(parents=True)
        for folder in (parent / ".venv", parent / ".venv" / "lib", site_dir):
            folder.chmod(0o755)
        (site_dir / "xent_probe.py").write_text("WHERE = 'under /tmp'\n")
        (site_dir / "xent_probe.py").chmod(0o644)
        binds, site_dirs = sandbox.python_binds()
        extended = ([*binds, str(site_dir)], [*site_dirs, str(site_dir)])
        monkeypatch.setattr(sandbox, "python_binds", lambda: extended)
        code = "import os, xent_probe\nprint(xent_probe.WHERE, os.listdir('/tmp'))"
        job = {"phase": "answers", "cells": [code], "answers": []}
        library = stripped.build(tmp_path / "lib")
        outcome = sandbox.run(job, user=course["user"], library=library)
        printed = json.loads(outcome.answer)["cells"][0]["output"]
        assert printed.startswith("under /tmp ["), printed
        assert "xent_probe" not in printed.split("[", 1)[1]  # /tmp shows only the bind's folder
    finally:
        shutil.rmtree(parent)


KEYRING = """
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
numbers = {"x86_64": (248, 250), "aarch64": (217, 219)}[__import__("platform").machine()]
print("add_key", libc.syscall(numbers[0], b"user", b"xent-left", b"hidden", 6, -4), ctypes.get_errno())
print("search", libc.syscall(numbers[1], 10, -4, b"user", b"xent-left", 0), ctypes.get_errno())
print("persistent", libc.syscall(numbers[1], 22, -1, -4), ctypes.get_errno())
"""


def test_the_kernels_key_store_is_closed_to_the_sandbox(course, tmp_path):
    """A key put in the sandbox user's keyring outlives every namespace: the next sandbox
    (another student's) would find it. add_key and keyctl are refused (EPERM = 1)."""
    library = stripped.build(tmp_path / "lib")
    job = {"phase": "answers", "cells": [KEYRING], "answers": []}
    for _run in range(2):  # the second run would find what the first left
        outcome = sandbox.run(job, user=course["user"], library=library)
        printed = json.loads(outcome.answer)["cells"][0]["output"]
        assert printed.splitlines() == ["add_key -1 1", "search -1 1", "persistent -1 1"]


# ---- what students receive --------------------------------------------------------------------
def _numbers(value) -> set[str]:
    """How a hidden number could appear in text: its spellings with 4+ significant digits."""
    out = set()
    for x in np.ravel(np.asarray(value, dtype=float)):
        if not np.isfinite(x) or x == 0:
            continue
        for text in (repr(float(x)), f"{x:.6g}", f"{x:.5g}", f"{x:.4g}", f"{x:.5f}"):
            digits = text.lstrip("-").split("e")[0].replace(".", "").strip("0")
            if len(digits) >= 4:
                out.add(text)
    return out


def _secrets_of(course, name: str, student: str) -> set[str]:
    """Every spelling of the student's hidden inputs and expected values."""
    key, source = course["key"], course["sources"][name]
    who = G._who(name, student, source)
    if name == ma.CAPSTONE:
        ref = ma.reference_values(ma.capstone_params(key, who))
        return set().union(*(_numbers(v) for v in ref.values() if not isinstance(v, (str, tuple))))
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
    for name in ATTACKED:
        done = subprocess.run(
            [sys.executable, "-m", "nbgrader", "generate_feedback", name, "--force"],
            cwd=course["course"],
            capture_output=True,
            text=True,
            env=_env(),
        )
        assert done.returncode == 0, done.stderr[-3000:]
    return course["course"] / "feedback"


FEEDBACK = [
    (s, n)
    for n in ATTACKED
    for s in [WRONG, "ned", *ATTACKERS, *(["pam"] if n == "ps04" else [])]
    if not (s == "dan" and n == ma.CAPSTONE)
]


@pytest.mark.parametrize(("student", "name"), FEEDBACK, ids=[f"{s}-{n}" for s, n in FEEDBACK])
def test_feedback_holds_no_hidden_input_and_no_expected_value(course, feedback, student, name):
    page = (feedback / student / name / f"{name}.html").read_text()
    text = re.sub(r"<style.*?</style>", "", page, flags=re.S)  # the page's CSS has numbers
    own = (course["course"] / "submitted" / student / name / f"{name}.ipynb").read_text()
    graded = nbformat.read(
        course["course"] / "autograded" / student / name / f"{name}.ipynb", as_version=4
    )
    verdicts = [
        o.get("evalue") or o.get("text", "")
        for c in graded.cells
        if c.metadata.get("nbgrader", {}).get("grade")
        for o in c.outputs
    ]
    assert verdicts, "every graded cell has its verdict"
    for verdict in verdicts:  # what the student gets back: which check failed, and why
        assert verdict.strip().lstrip("✔ ") in html.unescape(text), verdict
    leaked = sorted(
        n
        for n in _secrets_of(course, name, student)
        if re.search(rf"(?<![\d.]){re.escape(n)}(?!\d)", text) and n not in own
    )
    assert not leaked, f"{student}'s feedback shows {leaked[:5]}"
    for marker in ("BEGIN HIDDEN", "BEGIN SOLUTION", "hidden_inputs", "_expected"):
        # (kim's own code names "BEGIN SOLUTION": it looks for the teacher's cells)
        assert text.count(marker) <= own.count(marker), marker


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
    released = list((course["root"] / "exchange" / ma.COURSE_ID / "feedback").glob("*.html"))
    assert len(released) == 1
    assert released[0].read_text() == (feedback / WRONG / "ps04" / "ps04.html").read_text()


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
    header = rows[0].split(",")
    exported = {}
    for row in rows[1:]:
        cells = dict(zip(header, row.split(","), strict=True))
        exported[cells["assignment"], cells["student_id"]] = float(cells["raw_score"])
    graded = {(n, s): g["score"] for (n, s), g in course["grades"].items()}
    assert {k: exported[k] for k in graded} == pytest.approx(graded)
    # every other student and assignment: a row with 0 (nbgrader's own "did not submit")
    assert all(exported[k] == 0 for k in set(exported) - set(graded))
    assert len(set(exported) - set(graded)) > 0


def test_formgrader_sees_every_graded_submission_as_autograded(course):
    """Formgrader lists a submission as graded only when the gradebook's timestamp is the
    submitted one (none, for a hand-copied file): its API, as its pages call it."""
    script = """
import json, sys
from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config
config = Config()
exec(open("nbgrader_config.py").read(), {"get_config": lambda: config})
api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
json.dump({name: api.get_submissions(name) for name in sys.argv[1:]}, sys.stdout, default=str)
"""
    done = subprocess.run(
        [sys.executable, "-c", script, *ma.ASSIGNMENTS],
        cwd=course["course"],
        capture_output=True,
        text=True,
        env=_env(),
    )
    assert done.returncode == 0, done.stderr[-3000:]
    for name, submissions in json.loads(done.stdout).items():
        seen = {s["student"]: s for s in submissions if s["submitted"]}
        assert set(seen) == set(course["graded"][name]) | ({LINKED} if name == "ps04" else set())
        for student in course["graded"][name]:
            assert seen[student]["autograded"], f"formgrader shows {student}'s {name} as ungraded"
            assert seen[student]["score"] == course["grades"][name, student]["score"]


def test_what_the_grader_wrote_belongs_to_the_teacher(course):
    teacher = course["teacher"]
    written = [course["course"] / "gradebook.db"]
    written += list((course["course"] / "autograded").rglob("*"))
    assert len(written) > 50
    wrong = [
        p
        for p in written
        if (p.lstat().st_uid, p.lstat().st_gid) != (teacher.pw_uid, teacher.pw_gid)
    ]
    assert not wrong, f"owned by someone else: {wrong[:3]}"


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


def test_the_scores(course):
    """The table of the closing note: every graded student's score on each assignment."""
    names = [n for n in ma.ASSIGNMENTS if any(k[0] == n for k in course["grades"])]
    students = [HONEST, WRONG, *ATTACKERS, "ned", "ola", "pam"]
    print("| student | " + " | ".join(names) + " |")
    rows = []
    for student in students:
        row = []
        for name in names:
            g = course["grades"].get((name, student))
            row.append(f"{g['score']:g}/{g['max_score']:g}" if g else "")
        print(f"| {student} | " + " | ".join(row) + " |")
        rows.append(row)
    assert all(any(row) for row in rows), "every student of the table was graded"
