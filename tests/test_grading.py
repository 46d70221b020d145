"""The pieces of graded work that run without root: exam mode, the letters the judge reads,
the secret, the students' xentlib, the judge's messages (tests/test_nbgrader.py runs the
whole cycle and the attacks)."""

from __future__ import annotations

import os
import subprocess
import sys

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


@pytest.mark.parametrize("answer", ["a", "(a)", "A)", "a.", " 'A' ", "[a]"])
def test_the_judge_and_the_visible_test_read_every_way_of_writing_a_letter(answer):
    assert judge.letter(answer) == "a"
    p = next(p for p in ma.problems(4) if p.exercise.kind == "choice")
    namespace = {"np": np, p.name: answer}
    exec(hidden_tests.visible_test(p), namespace)  # raises AssertionError if it refuses
    assert namespace["_letter"].group(1) == "a"


@pytest.mark.parametrize("answer", ["ab", "e)", "", "the first"])
def test_a_non_letter_is_refused(answer):
    assert judge.letter(answer) not in ("a", "b", "c")


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
