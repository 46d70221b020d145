"""Judge a submission's answers: plain data in, points and messages out.

Runs in the grader's own process, on the JSON the sandbox sent back (untrusted: anything may
be missing, malformed or a lie) and the expected answers, which never left this process.
The messages say which check failed and why, in words that hold no hidden input and no
expected value: "wrong on 2 of your 3 hidden inputs", never the inputs or the numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

# How a graded letter is read: the letter on its own ('b', '(b)', 'B)', ' b. ', "'b'", 'option
# b'), as xentlib.exercises marks a letter. Anything more ('b or c', 'b?', 'maybe b', 'b, not
# a') could hedge, doubt or deny it, so it is no answer: the visible test says so before the
# student submits, and the judge gives it no point.
LETTER = r"^[\s(\[\"']*(?:(?:option|answer|the answer is)\s*:?\s*[(\[\"']*)?([a-z])[\s)\]\"'.!]*$"
# What the runner says when it cannot read an answer (tools/grading/runner.py)
READ_ERRORS = ("not numbers", "too many numbers", "not text", "not a function", "not a pair")


@dataclass(frozen=True)
class Verdict:
    """The outcome of one graded cell."""

    grade_id: str
    points: float
    max_points: float
    message: str

    @property
    def passed(self) -> bool:
        return self.points == self.max_points


def letter(text: str) -> str | None:
    """The option letter ``text`` names, read as the course reads it, or None."""
    words = " ".join(str(text).strip().lower().split())
    found = re.match(LETTER, words)
    return found.group(1) if found else None


def as_array(data) -> np.ndarray | None:
    """The numbers in ``data`` ({"shape", "values"}), or None when they are not numbers."""
    try:
        shape = tuple(int(n) for n in data["shape"])
        values = np.asarray(data["values"], dtype=float)
        return values.reshape(shape)
    except Exception:
        return None


def _same_shape(got: np.ndarray, want: np.ndarray) -> np.ndarray | None:
    if got.shape == want.shape:
        return got
    if got.size == want.size == 1:
        return got.reshape(want.shape)
    return None


def _missing(name: str, data) -> str | None:
    if not isinstance(data, dict) or data.get("missing"):
        return f"{name} is not defined: did the answer cell run without an error?"
    if "error" in data and not data.get("callable"):
        said = data["error"]  # the runner's words, or anything the student's code wrote
        return f"{name} could not be read: {said if said in READ_ERRORS else 'unreadable'}"
    return None


def value(name: str, data, expected, digits: int, exact: bool, grade: str) -> list[Verdict]:
    """A number or an array: answered (the right kind and shape), then right to ``digits``."""
    want = np.asarray(expected, dtype=float)
    problem = _missing(name, data)
    got = None if problem else as_array(data)
    if got is not None:
        got = _same_shape(got, want)
        if got is None:
            problem = f"{name} has the wrong shape"
    elif problem is None:
        problem = f"{name} is not a number"
    if problem:
        return [
            Verdict(f"{grade}_visible", 0, 1, problem),
            Verdict(f"{grade}_hidden", 0, 2, problem),
        ]
    answered = Verdict(f"{grade}_visible", 1, 1, f"{name}: answered, a number of the right shape.")
    if exact:
        right = bool(np.all(got == want))
        why = "is not the right count (a count must be exact)"
    else:
        scale = np.where(want != 0, np.abs(want), 1.0)
        half_unit = 0.5 * 10.0 ** (np.floor(np.log10(scale)) + 1 - digits)
        right = bool(np.all(np.abs(got - want) <= half_unit))
        why = f"is not right to {digits} significant digits"
    hidden = Verdict(
        f"{grade}_hidden", 2 if right else 0, 2, f"{name}: right." if right else f"{name} {why}."
    )
    return [answered, hidden]


def choice(name: str, data, right: str, options: str, grade: str) -> list[Verdict]:
    """A letter among ``options``: answered, then the right one."""
    problem = _missing(name, data)
    said = None if problem else letter(data.get("text", "")) if "text" in data else None
    if problem is None and said is None:
        problem = f"{name} should be the letter of an option in quotes, such as 'a'"
    if problem is None and said not in options:
        problem = f"{name} should be one of the options {', '.join(options)}"
    if problem:
        return [
            Verdict(f"{grade}_visible", 0, 1, problem),
            Verdict(f"{grade}_hidden", 0, 2, problem),
        ]
    answered = Verdict(f"{grade}_visible", 1, 1, f"{name}: answered, one of the options.")
    ok = said == right
    return [
        answered,
        Verdict(
            f"{grade}_hidden",
            2 if ok else 0,
            2,
            f"{name}: right." if ok else f"{name} is not the right option.",
        ),
    ]


def function(
    name: str, data, example_shape, outputs, expected, rtol, atol, grade: str
) -> list[Verdict]:
    """A function: answered (it returns numbers of the right shape on the public example),
    then right on every hidden input (``outputs``: what the sandbox reported for each)."""
    problem = _missing(name, data)
    if problem is None and not data.get("callable"):
        problem = f"{name} should be a function: define it in the answer cell"
    if problem is None:
        got = as_array(data)
        if got is None:
            problem = (
                f"{name} raised an error or returned no numbers on the example of the visible test"
            )
        elif _same_shape(got, np.zeros(example_shape)) is None:
            problem = f"{name} returns the wrong shape on the example of the visible test"
    if problem:
        return [
            Verdict(f"{grade}_visible", 0, 1, problem),
            Verdict(f"{grade}_hidden", 0, 2, problem),
        ]
    answered = Verdict(
        f"{grade}_visible", 1, 1, f"{name}: answered, a function of the right shape."
    )
    outputs = (
        outputs
        if isinstance(outputs, list) and len(outputs) == len(expected)
        else [{}] * len(expected)
    )
    raised = wrong = 0
    for out, want in zip(outputs, expected, strict=True):
        got = as_array(out) if isinstance(out, dict) else None
        if got is None:
            raised += 1
            continue
        got = _same_shape(got, want)
        with np.errstate(invalid="ignore"):
            if got is None or not np.allclose(got, want, rtol=rtol, atol=atol, equal_nan=True):
                wrong += 1
    n = len(expected)
    if not raised and not wrong:
        return [
            answered,
            Verdict(f"{grade}_hidden", 2, 2, f"{name}: right on all {n} of your hidden inputs."),
        ]
    parts = []
    if wrong:
        parts.append(f"gives a wrong result on {wrong} of your {n} hidden inputs")
    if raised:
        parts.append(f"raised an error or returned no numbers on {raised} of them")
    return [answered, Verdict(f"{grade}_hidden", 0, 2, f"{name} " + " and ".join(parts) + ".")]


def _agrees(data: dict, want, how: str, tol) -> bool | None:
    """Does the reported ``data`` agree with ``want`` (``how``: "text", "pair", "equal",
    "rel" or "abs" with ``tol``)? None when it is not of the right kind."""
    if how == "text":
        text = data.get("text")
        return text == want if isinstance(text, str) else None
    if how == "pair":
        pair = data.get("pair")
        if not isinstance(pair, list) or not all(isinstance(v, str) for v in pair):
            return None
        return len(pair) == len(want) and all(a == str(b) for a, b in zip(pair, want, strict=False))
    got = as_array(data)
    w = np.asarray(want, dtype=float)
    got = None if got is None else _same_shape(got, w)
    if got is None:
        return None
    with np.errstate(invalid="ignore", over="ignore"):
        if how == "equal":
            return bool(np.array_equal(got, w))
        bound = tol * np.abs(w) if how == "rel" else tol
        return bool(np.all(np.abs(got - w) <= bound))


def task(grade: str, checks, answers, expected: dict, points: tuple[int, int]) -> list[Verdict]:
    """A capstone task: answered (every value given, of the right kind), then every value
    right for the student's own data set (``checks``: (name, how, tolerance))."""
    visible, hidden = points
    missing, wrong = [], []
    for name, how, tol in checks:
        data = answers.get(name) if isinstance(answers, dict) else None
        agrees = None if _missing(name, data) else _agrees(data, expected[name], how, tol)
        if agrees is None:
            missing.append(name)
        elif not agrees:
            wrong.append(name)
    if missing:
        why = f"not given, or not of the right kind: {', '.join(missing)}"
        return [
            Verdict(f"{grade}_visible", 0, visible, why),
            Verdict(f"{grade}_hidden", 0, hidden, why),
        ]
    return [
        Verdict(f"{grade}_visible", visible, visible, "answered, of the right kind."),
        Verdict(
            f"{grade}_hidden",
            0 if wrong else hidden,
            hidden,
            f"not right for your data set: {', '.join(wrong)}"
            if wrong
            else "right for your data set.",
        ),
    ]


def stopped(grades, why: str) -> list[Verdict]:
    """Every graded cell of ``grades`` ((grade_id, max points) pairs) at 0, because the
    notebook ``why`` (its answers could not be read)."""
    return [Verdict(gid, 0, points, f"Not graded: your notebook {why}.") for gid, points in grades]
