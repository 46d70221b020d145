"""How an answer is read and compared, one class per kind of exercise.

:class:`~xentlib.exercises.Exercise` delegates to its kind: a ``"value"`` (numbers and
arrays, compared to a number of significant digits), a ``"choice"`` (a letter, compared as
text, never evaluated) or a ``"function"`` (called on the exercise's test inputs and
compared output by output). Each kind says how to *prepare* an answer (or why it cannot be
compared), whether it *matches* a target (the reference or a misconception), and what to
say about a *near miss*.

Everything a learner hands over may misbehave: its ``__array__`` may raise, its function
may call ``exit()``. Those errors are caught here, where the learner's code runs, and
explained (``LEARNER_ERRORS``: everything but KeyboardInterrupt, so a learner can still stop
a function that never returns). An error anywhere else is a bug of the checker, which
``check()`` reports or, in strict mode, raises.
"""

from __future__ import annotations

import contextlib
import io
import math
import re
from typing import NamedTuple

import numpy as np

CORRECT, INCORRECT, NOT_ATTEMPTED = "correct", "incorrect", "not attempted"
# What the learner's own code (a function, an object's __array__) may raise: anything but
# KeyboardInterrupt (and the interpreter's GeneratorExit), including exit()'s SystemExit.
LEARNER_ERRORS = (Exception, SystemExit)


class Verdict(NamedTuple):
    """A status (``CORRECT``, ``INCORRECT``, ``NOT_ATTEMPTED``) and the feedback."""

    status: str
    message: str


def _is_not_attempted(answer) -> bool:
    return answer is None or answer is Ellipsis


def _describe(value) -> str:
    """A short description of what the learner gave, which never fails."""
    try:
        if isinstance(value, str):
            return f"the text {value[:40]!r}"
        if callable(value):
            return f"the function {getattr(value, '__name__', 'function')}"
        arr = np.asarray(value)
        if arr.dtype == object:
            return f"a {type(value).__name__}"
        if arr.ndim == 0:
            return _fmt_number(arr.item())
        return f"an array of shape {arr.shape}"
    except LEARNER_ERRORS:  # describing must never fail
        return f"a {type(value).__name__}"


def _fmt_number(x) -> str:
    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    if isinstance(x, (int, np.integer)):
        return str(int(x)) if abs(int(x)) < 10**15 else f"{float(x):.6g}"
    if isinstance(x, (float, np.floating)) and math.isfinite(x):
        return f"{float(x):.6g}"
    return str(x)


class _Mismatch(Exception):
    """Raised by a comparison when the learner's answer has the wrong type or shape."""


def _to_array(value, *, what: str) -> np.ndarray:
    if isinstance(value, (str, bytes)):
        raise _Mismatch(
            f"{what} should be a number or array, but you gave {_describe(value)}. "
            "Write the value itself (for example 0.693), not text; answers are never evaluated as code."
        )
    if callable(value):
        raise _Mismatch(
            f"{what} should be a number or array, but you gave {_describe(value)}. "
            "Call your function and pass its result."
        )
    if isinstance(value, np.ma.MaskedArray):
        raise _Mismatch(
            f"{what} is a masked array (numpy.ma): its masked entries would be compared as if "
            "they were numbers. Give plain numbers: answer.filled(value), or answer.compressed()."
        )
    try:
        arr = np.asarray(value, dtype=float)
    except OverflowError:
        raise _Mismatch(
            f"{what} is a number too large for a float (more than 1.8e308): no answer here is "
            "that big. Check the computation."
        ) from None
    except LEARNER_ERRORS:  # the learner's object: its __array__ or __float__ may do anything
        raise _Mismatch(
            f"{what} has rows of different lengths: give every row the same number of entries."
            if _ragged(value)
            else f"{what} should be a number or array, but you gave {_describe(value)}."
        ) from None
    return arr


def _ragged(value) -> bool:
    try:
        return isinstance(value, (list, tuple)) and len({np.shape(v) for v in value}) > 1
    except LEARNER_ERRORS:
        return False


def _digits_right(given: np.ndarray, target: np.ndarray) -> float:
    """How many significant digits of ``target`` the answer ``given`` gets right (the fewest
    over the entries): ``d`` when the two agree to within half a unit of the d-th digit."""
    err = np.abs(given - target)
    if not np.all(np.isfinite(err)):
        same = (given == target) | (np.isnan(given) & np.isnan(target))
        return math.inf if bool(np.all(same)) else 0.0
    scale = np.where(target != 0, np.abs(target), 1.0)
    with np.errstate(divide="ignore"):
        digits = np.floor(np.log10(scale)) + 1 + np.floor(np.log10(0.5 / err) + 1e-9)
    return float(np.min(digits))


def _round_significant(x: np.ndarray, digits: int) -> np.ndarray:
    """``x`` rounded to ``digits`` significant digits, halves away from zero (as taught at
    school: 0.025 → 0.03), not NumPy's halves-to-even."""
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(x != 0, 10.0 ** (digits - 1 - np.floor(np.log10(np.abs(x)))), 1.0)
        return np.sign(x) * np.floor(np.abs(x) * scale + 0.5) / scale


# An answer is "right to 1 digit, give more" only when it is this close (relative error):
# 1.39 for ln 4 = 1.386… is; 2.45 for 1.70 (bits for nats) or 1.0 for 1.386 is a different
# number that happens to round alike, and hearing "right to 1 digit" would mislead.
NEARLY_RIGHT = 0.01


def _digits_rounded_alike(given: np.ndarray, target: np.ndarray, below: int) -> int:
    """The most significant digits (fewer than ``below``) to which both round the same; one
    digit counts only within :data:`NEARLY_RIGHT` of the target (relatively)."""
    k = max(
        (
            k
            for k in range(1, below)
            if np.array_equal(*map(lambda v: _round_significant(v, k), (given, target)))
        ),
        default=0,
    )
    if k == 1:
        with np.errstate(divide="ignore", invalid="ignore"):
            relative = np.abs(given - target) / np.where(target != 0, np.abs(target), 1.0)
        return 1 if bool(np.all(relative <= NEARLY_RIGHT)) else 0
    return k


def _is_count(answer) -> bool:
    """A whole number given as an int (a parameter count, a class index): exact, not rounded."""
    return isinstance(answer, (int, np.integer)) and not isinstance(answer, bool)


def _same_shape(a: np.ndarray, b: np.ndarray):
    if a.shape != b.shape:
        if a.size == b.size == 1:
            return a.reshape(()), b.reshape(())
        raise _Mismatch(
            f"Your answer has shape {a.shape}, but the expected answer has shape {b.shape}."
        )
    return a, b


def _close(a, b, rtol: float, atol: float) -> bool:
    """True when ``a`` and ``b`` are numerically the same (NaN and inf match themselves)."""
    a, b = _same_shape(_to_array(a, what="Your function's output"), np.asarray(b, dtype=float))
    with np.errstate(invalid="ignore", over="ignore"):
        return bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True))


def _normalise_choice(text) -> str:
    """'(b)', 'B)', ' b ', 'b.', "'b'" and 'b) flatter' all mean the option b."""
    words = " ".join(str.lower(str.strip(text)).split())  # str's own methods: a subclass's
    # overrides (a learner's object) are not called
    letter = re.match(r"^[\s(\[\"']*([a-z])(?:[\s)\]\"'.,:;]+.*|)$", words)
    return letter.group(1) if letter else words


# NumPy errors a learner's function raises, and what they usually mean.
_NUMPY_ADVICE = (
    (
        re.compile(r"matmul: .*\(size (\d+) is different from (\d+)\)"),
        "A matrix product failed: the inner sizes {0} and {1} do not match. In A @ B the "
        "number of columns of A must equal the number of rows of B; print the .shape of both. "
        "With X of shape (N, D) and an (N, C) array, did you mean X.T @ …?",
    ),
    (
        re.compile(
            r"operands could not be broadcast together with shapes (\([\d, ]*\)) ?(\([\d, ]*\))"
        ),
        "Arrays of shapes {0} and {1} cannot be combined element by element. To combine a "
        "per-row value with a matrix, keep its axis: .sum(axis=1, keepdims=True) or v[:, None].",
    ),
    (
        re.compile(r"axis (-?\d+) is out of bounds for array of dimension (\d+)"),
        "Your function used axis {0} on an array with only {1} dimension(s). For one row of "
        "scores use axis=-1 (the last axis).",
    ),
    (
        re.compile(r"only (?:length-1|0-dimensional) arrays can be converted to Python scalars"),
        "Your function handed an array to a function for single numbers (math.log, math.exp, "
        "float(...)): use NumPy's versions (np.log, np.exp), which work on whole arrays.",
    ),
    (
        re.compile(r"index (-?\d+) is out of bounds for axis (\d+) with size (\d+)"),
        "Your function used index {0} on an axis of size {2} (axis {1}). Rows are samples and "
        "columns are classes: to pick each row's entry for its label, index both axes, "
        "a[np.arange(len(y)), y], not a[y].",
    ),
    (
        re.compile(r"name '(\w+)' is not defined"),
        "Your function uses the name {0!r}, which is not defined where it runs: define or "
        "import it inside the notebook (for example import numpy as np).",
    ),
)


def _explain_error(exc: BaseException) -> str:
    """What a learner's function raised, with advice for the usual NumPy mistakes."""
    if isinstance(exc, SystemExit):
        return (
            "Your function called exit() (or sys.exit(), quit(), raise SystemExit): in a "
            "notebook that stops the cell. A function hands its result back with return ..."
        )
    try:
        text = str(exc)
    except LEARNER_ERRORS:
        text = "(its message could not be shown)"
    for pattern, advice in _NUMPY_ADVICE:
        found = pattern.search(text)
        if found:
            return advice.format(*found.groups())
    return f"Your function raised {type(exc).__name__}: {text[:200]}"


# ---- the kinds ----------------------------------------------------------------------------
class ValueKind:
    """Numbers and arrays, right to ``q.digits`` significant digits."""

    def prepare(self, q, answer):
        return answer

    def matches(self, q, given, target, digits) -> bool:
        return value_digits(given, target) >= digits

    def near_miss(self, q, given) -> str | None:
        """A percentage for a fraction, an inexact count, or too few digits: said so."""
        given_arr, target = _same_shape(
            _to_array(given, what="Your answer"), np.asarray(q._answer, dtype=float)
        )
        if q.fraction and target.ndim == 0 and 0 < abs(float(target)) <= 1:
            if _digits_right(given_arr / 100, target) >= q.digits:
                return (
                    f"That looks like a percentage ({_fmt_number(float(given_arr))} %): "
                    "give it as a fraction between 0 and 1."
                )
        if _is_count(q._answer):
            return (
                "Not quite: this answer is a count, so it must be exact (it is not a "
                "matter of rounding). " + (f"Try {q.name}.hint()." if q.hints else "")
            )
        right = _digits_rounded_alike(given_arr, target, q.digits)
        if right >= 1:
            return (
                f"Right to {int(right)} significant digit{'s' * (right >= 2)}, but this "
                f"question asks for {q.digits}: compute it more precisely, or give "
                "more digits."
            )
        return None


class ChoiceKind:
    """A letter (multiple choice, "explain why"): '(b)', 'B)' and ' b ' all mean b."""

    def prepare(self, q, answer):
        if not isinstance(answer, str):
            return Verdict(
                INCORRECT,
                f"This is a multiple-choice question: answer with the letter of your choice "
                f"as text, for example 'b'. You gave {_describe(answer)}.",
            )
        return answer

    def matches(self, q, given, target, digits) -> bool:
        return _normalise_choice(given) == _normalise_choice(target)

    def near_miss(self, q, given) -> str | None:
        return None


class FunctionKind:
    """A function ("write this", "debug this"), called on the test inputs."""

    def prepare(self, q, answer):
        """The function's outputs on the test inputs, or why there are none."""
        if not callable(answer):
            return Verdict(
                INCORRECT,
                f"This exercise expects a function (pass its name, without calling it); "
                f"you gave {_describe(answer)}.",
            )
        try:
            given, printed = outputs(answer, q.test_inputs)
        except LEARNER_ERRORS as exc:  # the learner's code may raise anything, exit() too
            return Verdict(INCORRECT, _explain_error(exc))
        if all(out is None for out in given):
            if printed.strip():
                return Verdict(
                    INCORRECT,
                    "Your function printed its result but returned None: did you print "
                    "instead of return? Replace print(...) with return ...",
                )
            return Verdict(
                NOT_ATTEMPTED,
                "Your function returns None: finish its body and remember the `return` "
                "statement (an update in place, such as W -= lr * grad, changes W but "
                f"returns nothing: return W). Stuck? Try {q.name}.hint().",
            )
        return given

    def matches(self, q, given, target, digits) -> bool:
        expected, _ = outputs(target, q.test_inputs)  # ours: its errors are the checker's
        return all(_close(g, t, q.rtol, q.atol) for g, t in zip(given, expected, strict=True))

    def near_miss(self, q, given) -> str | None:
        return None


KINDS = {"value": ValueKind(), "choice": ChoiceKind(), "function": FunctionKind()}


def outputs(fn, test_inputs):
    """``fn`` on every test input (copies, so it cannot spoil them), and what it printed."""
    results, printed = [], io.StringIO()
    with contextlib.redirect_stdout(printed), np.errstate(all="ignore"):
        for args in test_inputs:  # arrays are copied; numbers stay plain numbers
            results.append(fn(*[a.copy() if isinstance(a, np.ndarray) else a for a in args]))
    return results, printed.getvalue()


def value_digits(given, target) -> float:
    """The significant digits of ``target`` that the answer ``given`` gets right."""
    given, target = _same_shape(
        _to_array(given, what="Your answer"), np.asarray(target, dtype=float)
    )
    with np.errstate(invalid="ignore", over="ignore"):
        return _digits_right(given, target)
