"""The pieces of graded work that run without root: exam mode, the letters the judge reads,
the secret, the students' xentlib, the judge's messages (tests/test_nbgrader.py runs the
whole cycle and the attacks)."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tools import hidden_tests
from tools import make_assignments as ma
from tools.grading import judge, secret, stripped, variants

EXAM = """
import xentlib as xl
choices = [q for q in xl.exercises.all_exercises() if q.kind == "choice" and q.lesson]
shown = 0
for q in choices:
    try:
        q.misconceptions
        shown += 1
    except AttributeError:
        pass
wrong = next(w for w, _ in xl.exercises.lesson(1).q4._misconceptions)
print(len(choices), shown, xl.exercises.lesson(1).q4.check(wrong).message[:20])
"""


def test_exam_mode_hides_the_misconceptions_and_check_still_explains():
    env = {**os.environ, "XENTLIB_HIDE_SOLUTIONS": "1", "XENTLIB_PROGRESS": "off"}
    out = subprocess.run(
        [sys.executable, "-c", EXAM], env=env, capture_output=True, text=True, check=True
    )
    total, shown, message = out.stdout.split(" ", 2)
    assert int(total) >= 18 and shown == "0"
    assert message.strip() == "A coin that always l"


VERDICTS = """
import numpy as np
import xentlib as xl
for q in xl.exercises.all_exercises():
    tries = [w for w, _ in q._misconceptions]
    if q.kind == "value":
        a = np.asarray(q._answer, dtype=float)
        tries += [-a, 100 * a, 0.01 * a, a * 1.4427, np.round(a, 1), a + 1]
    for given in tries:
        try:
            v = q.check(given)
            print(q.label, v.status, v.message)
        except BaseException as exc:
            print(q.label, "RAISED", type(exc).__name__, exc)
"""


def test_check_gives_the_same_verdicts_in_exam_mode():
    """Exam mode hides the misconceptions from the learner, not from check(): every
    exercise's verdict on its recorded mistakes and on near-misses is the same with it."""
    env = {**os.environ, "XENTLIB_PROGRESS": "off"}
    said = [
        subprocess.run(
            [sys.executable, "-c", VERDICTS],
            env={**env, **extra},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for extra in ({}, {"XENTLIB_HIDE_SOLUTIONS": "1"})
    ]
    assert "RAISED" not in said[0] + said[1]
    assert said[0].count("\n") > 200
    assert said[0] == said[1]


@pytest.mark.parametrize("answer", ["a", "(a)", "A)", "a.", " 'A' ", "[a]"])
def test_the_judge_and_the_visible_test_read_every_way_of_writing_a_letter(answer):
    assert judge.letter(answer) == "a"
    p = next(p for p in ma.problems(4) if p.exercise.kind == "choice")
    namespace = {"np": np, p.name: answer}
    exec(hidden_tests.visible_test(p), namespace)  # raises AssertionError if it refuses
    assert namespace["_letter"].group(1) == "a"


@pytest.mark.parametrize("answer", ["option a", "the answer is (a)", "answer: a"])
def test_words_that_commit_to_a_letter_may_lead_it(answer):
    assert judge.letter(answer) == "a"


@pytest.mark.parametrize(
    "answer",
    ["ab", "e)", "", "the first", "a or b", "a, b", "a?", "maybe a", "a, not b", "a as well as b",
     "a because", "not a", "b is wrong, a"],
)  # fmt: skip
def test_a_non_letter_is_refused(answer):
    """More than a letter is no answer (a hedge 'a or b' was read as a, its first letter)."""
    assert judge.letter(answer) not in ("a", "b", "c")
    p = next(p for p in ma.problems(4) if p.exercise.kind == "choice")
    with pytest.raises(AssertionError, match="should be one of the options"):
        exec(hidden_tests.visible_test(p), {"np": np, p.name: answer})


def test_the_secret_is_made_private_and_never_overwritten(tmp_path):
    path = secret.create(tmp_path / "s")
    assert oct(path.stat().st_mode & 0o777) == "0o600" and len(secret.load(path)) == 32
    with pytest.raises(secret.SecretError, match="a new secret would change"):
        secret.create(path)
    path.chmod(0o644)
    with pytest.raises(secret.SecretError, match="chmod 600"):
        secret.load(path)


def test_without_a_secret_nothing_is_built(tmp_path, capsys):
    with pytest.raises(SystemExit):
        ma.main(["--secret", str(tmp_path / "none"), "--course-dir", str(tmp_path / "c"), "ps01"])
    assert "tools/grade.py secret --create" in capsys.readouterr().err


def test_every_graded_function_differs_from_its_practice_reference_on_its_hidden_inputs():
    key = b"x" * 32
    for spec in variants.SPECS:
        if spec.kind != "function":
            continue
        q = next(
            q for q in __import__("xentlib").exercises.all_exercises() if q.label == spec.label
        )
        v = variants.variant(spec, q, key, "psX", q.name, "ada", "f")
        assert any(
            not hidden_tests._same(u, e, q)
            for u, e in zip(v.practice_outputs, v.expected, strict=True)
        )


def test_the_students_xentlib_has_no_exercises_and_no_asked_function(tmp_path):
    lib = stripped.build(tmp_path, ["special.softmax"])
    code = (
        "import xentlib as xl, numpy as np\n"
        "try:\n    xl.softmax(np.zeros(3))\nexcept NotImplementedError as e:\n    print('raised', e)\n"
        "import importlib.util\nprint(importlib.util.find_spec('xentlib.exercises'))\n"
        "print(xl.sigmoid(0.0))"
    )
    out = subprocess.run(
        [
            sys.executable,
            "-S",
            "-c",
            f"import sys; sys.path[:0] = [{str(lib)!r}] + {sys.path!r}\n{code}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert out[0].startswith("raised xentlib.special.softmax is not available")
    assert out[1:] == ["None", "0.5"]


def test_judge_messages_hold_no_expected_value():
    want = [np.array([0.123456, 7.891011])]
    verdicts = judge.function(
        "f",
        {"callable": True, "shape": [2], "values": [0, 0]},
        (2,),
        [{"shape": [2], "values": [1.0, 2.0]}],
        want,
        1e-6,
        1e-9,
        "q1",
    )
    text = " ".join(v.message for v in verdicts)
    assert "wrong result on 1 of your 1 hidden inputs" in text
    assert "0.123" not in text and "7.89" not in text
    verdicts = judge.value("q2", {"shape": [], "values": [1.0]}, 0.4567, 3, False, "q2")
    assert verdicts[1].points == 0 and "0.45" not in verdicts[1].message


# ---- chance: what a copied or guessed answer is worth ------------------------------------------
STUDENTS = [f"student{i}" for i in range(400)]
ALL = {q.label: q for q in __import__("xentlib").exercises.all_exercises()}


def _graded_variant(spec, key: bytes, student: str):
    q = ALL[spec.label]
    assignment = f"ps{q.lesson:02d}"
    return variants.variant(spec, q, key, assignment, q.name, student, "answer")


@pytest.mark.parametrize(
    "spec", [s for s in variants.SPECS if s.kind == "choice"], ids=lambda s: s.label
)
def test_a_copied_letter_is_right_only_by_chance_one_in_k(spec):
    """The right option's place is drawn per student from the secret, uniformly: a letter
    copied from the practice answer, from the generator run with another secret, or from
    another student, is right for 1 student in k (k options), as a blind guess is. Over 400
    students each rate lies within 4 standard deviations of 1/k."""
    copied = {"practice": [], "another secret": [], "another student": [], "always 'a'": []}
    places = []
    for i, student in enumerate(STUDENTS):
        mine = _graded_variant(spec, b"T" * 32, student)
        k = len(mine.options)
        places.append(mine.answer)
        copied["practice"].append(ALL[spec.label]._answer.strip().lower())
        copied["another secret"].append(_graded_variant(spec, b"F" * 32, student).answer)
        copied["another student"].append(_graded_variant(spec, b"T" * 32, STUDENTS[i - 1]).answer)
        copied["always 'a'"].append("a")
    n, p = len(STUDENTS), 1 / k
    spread = 4 * (n * p * (1 - p)) ** 0.5
    for letter in variants.LETTERS[:k]:
        assert abs(places.count(letter) - n * p) <= spread, (spec.label, letter)
    for source, letters in copied.items():
        right = sum(a == b for a, b in zip(letters, places, strict=True))
        print(f"{spec.label}: a letter copied from {source} is right for {right}/{n}")
        assert abs(right - n * p) <= spread, (spec.label, source, right)


@pytest.mark.parametrize(
    "spec", [s for s in variants.SPECS if s.kind == "value"], ids=lambda s: s.label
)
def test_a_number_from_another_secret_is_almost_never_right(spec):
    """(f) for numbers: the generator run with another secret gives each of 400 students a
    number that the judge accepts for at most 6 of them (1.5 %; most questions: none)."""
    right = 0
    for student in STUDENTS:
        mine = _graded_variant(spec, b"T" * 32, student)
        forged = _graded_variant(spec, b"F" * 32, student).answer
        data = {"shape": list(np.shape(forged)), "values": np.ravel(forged).tolist()}
        verdicts = judge.value("x", data, mine.answer, spec.digits, spec.exact, "x")
        right += verdicts[1].points > 0
    print(f"{spec.label}: {right}/{len(STUDENTS)}")
    assert right <= 0.015 * len(STUDENTS)


# ---- the students' xentlib and the judge ------------------------------------------------------
@pytest.mark.parametrize("spec", [s for s in variants.SPECS if s.forbid], ids=lambda s: s.label)
def test_the_forbidden_functions_raise_and_the_rest_of_xentlib_works(tmp_path, spec):
    lib = stripped.build(tmp_path, spec.forbid)
    code = (
        "import xentlib as xl, importlib\n"
        f"for entry in {list(spec.forbid)!r}:\n"
        "    module, name = entry.rsplit('.', 1)\n"
        "    try:\n"
        "        getattr(importlib.import_module('xentlib.' + module), name)()\n"
        "    except NotImplementedError as exc:\n"
        "        print('raised:', 'write it yourself' in str(exc))\n"
        "print(xl.sigmoid(0.0), float(xl.log_sigmoid(0.0)) < 0)\n"
    )
    out = subprocess.run(
        [
            sys.executable,
            "-S",
            "-c",
            f"import sys; sys.path[:0] = [{str(lib)!r}] + {sys.path!r}\n{code}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert out == ["raised: True"] * len(spec.forbid) + ["0.5 True"]


def test_the_build_checks_solutions_with_the_forbidden_functions_gone():
    import xentlib as xl

    original = xl.softmax
    with stripped.forbidden(["special.softmax"]):
        assert xl.softmax is not original and xl.special.softmax is not original
        with pytest.raises(NotImplementedError, match="write it yourself"):
            xl.softmax(np.zeros(3))
    assert xl.softmax is original and xl.special.softmax is original


HOSTILE = [
    None,
    5,
    "a",
    [],
    [[[[]]]],
    {},
    {"missing": True},
    {"error": "<script>alert(1)</script>"},
    {"error": ["a"]},
    {"text": ["a"]},
    {"text": "z"},
    {"pair": 5},
    {"pair": ["E"]},
    {"pair": [1, 2]},
    {"shape": "x", "values": [1]},
    {"shape": [10**9], "values": [1]},
    {"shape": [], "values": [float("nan")]},
    {"shape": [2], "values": [[1], 2]},
    {"callable": True},
    {"callable": True, "shape": [3], "values": [1, 2, 3]},
]


@pytest.mark.parametrize("data", HOSTILE, ids=repr)
def test_the_judge_takes_any_json_and_gives_no_point_for_nonsense(data):
    """What the sandbox sends back is untrusted: any JSON value is judged, never raises, and
    earns no hidden point; a message never repeats what the student's code wrote."""
    verdicts = judge.value("x", data, 0.25, 3, False, "q1")
    verdicts += judge.choice("x", data, "b", "abc", "q2")
    verdicts += judge.function(
        "x", data, (3,), [data, data], [np.ones(3), np.ones(3)], 1e-6, 1e-9, "q3"
    )
    want = {"a": 0.5, "b": "mlp", "c": ("E", "F"), "d": np.eye(2)}
    checks = (("a", "rel", 1e-4), ("b", "text", None), ("c", "pair", None), ("d", "equal", None))
    verdicts += judge.task("t", checks, {n: data for n in want}, want, (1, 3))
    verdicts += judge.task("t", checks, data, want, (1, 3))
    assert all(v.points == 0 for v in verdicts if v.grade_id.endswith("_hidden"))
    assert all("script" not in v.message and "['a']" not in v.message for v in verdicts)


def test_the_judge_and_the_grader_never_unpickle_or_run_what_comes_back():
    """The judge is fed JSON data only: no pickle, marshal or shelve, no eval or exec, in
    the modules of the grader's own process."""
    import ast

    for path in ("tools/grade.py", "tools/grading/judge.py", "tools/grading/sandbox.py"):
        tree = ast.parse((ma.ROOT / path).read_text())
        names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        imported = {
            a.name.split(".")[0]
            for n in ast.walk(tree)
            if isinstance(n, (ast.Import, ast.ImportFrom))
            for a in n.names
        } | {
            n.module.split(".")[0]
            for n in ast.walk(tree)
            if isinstance(n, ast.ImportFrom) and n.module
        }
        assert not {"eval", "exec"} & names, path
        assert not {"pickle", "marshal", "shelve", "dill", "cloudpickle"} & imported, path


def test_under_sudo_the_secret_is_the_teachers(monkeypatch):
    """`sudo .venv/bin/python tools/grade.py grade …` reads the secret the teacher made
    without sudo (sudo sets HOME to root's)."""
    import pwd

    someone = next(u for u in pwd.getpwall() if u.pw_uid != os.geteuid() and u.pw_dir != "/")
    monkeypatch.setenv("SUDO_USER", someone.pw_name)
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    assert secret.default_path() == Path(someone.pw_dir) / ".config/xent-course/grading-secret"
    monkeypatch.delenv("SUDO_USER")
    assert secret.default_path() == Path.home() / ".config/xent-course/grading-secret"


def test_a_submission_that_is_a_link_is_never_read(tmp_path):
    from tools import grade

    folder = tmp_path / "submitted" / "sam" / "ps01"
    folder.mkdir(parents=True)
    (tmp_path / "secret").write_text("not for students")
    (folder / "ps01.ipynb").symlink_to(tmp_path / "secret")
    with pytest.raises(grade.GradingError, match="is a symbolic link: copy the file itself"):
        grade.read_submission(tmp_path, "ps01", "sam")
    (folder / "ps01.ipynb").unlink()
    (folder / "ps01.ipynb").write_text("{not json")
    with pytest.raises(grade.GradingError, match="cannot be read as a notebook"):
        grade.read_submission(tmp_path, "ps01", "sam")


def _guide_commands():
    """Each command line of docs/grading.md's shell blocks, with the folder it runs in."""
    text = (ma.ROOT / "docs" / "grading.md").read_text()
    where, found = ma.ROOT, []
    for block in re.findall(r"^```bash\n(.*?)^```", text, re.M | re.S):
        for line in block.splitlines():
            words = shlex.split(line, comments=True)
            if words[:1] == ["cd"]:
                where = Path(os.path.normpath(where / words[1]))
            elif words:
                found.append((where, words[1:] if words[0] == "sudo" else words))
    return found


def test_every_command_of_the_grading_guide_runs_as_written():
    """Every program it names exists where the command says (the environment's, from the
    checkout or, for nbgrader, from the course directory, where nbgrader_config.py is);
    every tools/ command line parses; every nbgrader command exists."""
    from tools import grade

    commands = _guide_commands()
    assert len(commands) >= 8
    tools = {"tools/grade.py": grade.build_parser(), "tools/make_assignments.py": ma.build_parser()}
    for where, words in commands:
        program = words[0]
        if "/" in program:
            path = Path(os.path.normpath(where / program))
            assert path.is_relative_to(ma.ROOT / ".venv/bin"), (words, "not the environment's")
            assert path.exists(), words
        else:
            assert shutil.which(program) or program == "useradd", words
        if program.endswith("python"):
            assert where == ma.ROOT, words
            args = tools[words[1]].parse_args(words[2:])  # exits (fails the test) if refused
            names = getattr(args, "names", None) or [getattr(args, "assignment", "ps01")]
            assert set(names) <= set(ma.ASSIGNMENTS), words
        if program.endswith("nbgrader"):
            assert where == ma.COURSE_DIR, (words, "nbgrader reads nbgrader_config.py here")
            done = subprocess.run([str(path), words[1], "--help"], capture_output=True, text=True)
            assert done.returncode == 0, (words, done.stderr[-500:])


def _nb(*cells):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = list(cells)
    return nb


def test_a_cell_labelled_as_a_test_cell_never_takes_its_place():
    """The student attack of issue 24's review: an added cell marked {solution: true,
    grade_id: 'q1_hidden'} printing '✔ q1: right.' stood in for the hidden test cell in the
    autograded notebook and the feedback (under a 0 score). It runs as the student's own code;
    the test cell shows the teacher's verdict."""
    import nbformat

    from tools import grade

    answer = ma.solution_cell("answer = ...", "q1")
    test = ma.test_cell("# hidden", "q1_hidden", points=2)
    release = _nb(answer, test)
    forged = nbformat.v4.new_code_cell(
        "print('✔ q1: right.')",
        metadata={"nbgrader": {"solution": True, "grade_id": "q1_hidden", "locked": False}},
    )
    mine = nbformat.v4.new_code_cell("answer = 3", metadata=dict(answer.metadata))
    submitted = _nb(mine, forged, nbformat.v4.new_code_cell("x = 1", metadata={"nbgrader": 7}))

    run, where = grade.cells_to_run(submitted, release)
    assert where == {"q1": 0}
    assert run == ["answer = 3", "print('✔ q1: right.')", "x = 1"]

    verdict = judge.Verdict("q1_hidden", 0.0, 2.0, "q1: not right yet")
    graded = grade.graded_notebook(release, submitted, [verdict], {"q1": {"output": ""}})
    hidden = next(c for c in graded.cells if c.metadata["nbgrader"]["grade_id"] == "q1_hidden")
    assert hidden.source == "# hidden"
    assert [o.get("ename") for o in hidden.outputs] == ["Not right yet"]
    assert "✔" not in json.dumps(graded)
