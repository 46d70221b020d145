"""The self-check machinery behind ``xl.exercises``: Exercise, CheckResult, comparison.

An :class:`Exercise` holds a reference answer, graduated hints, a worked solution and a list
of *misconceptions*: ``(wrong_answer, feedback)`` pairs. ``check`` compares the learner's
answer with the reference; when it is wrong but matches a declared misconception, the reply
is that misconception's feedback, so the learner hears about *their* mistake.

Answers may be numbers, arrays, strings for multiple choice (compared as text, never
evaluated) or functions (called on the exercise's test inputs and compared output by output).
"""

from __future__ import annotations

import contextlib
import html
import io
import math
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._validation import check_number

HIDE_SOLUTIONS_ENV = "XENTLIB_HIDE_SOLUTIONS"
# Exam mode is read once, when xentlib is imported: setting the variable later in a session
# changes nothing. It is practice-grade, not security (the teacher guide says what it does
# not do); graded work goes through nbgrader, whose hidden tests never reach students.
SOLUTIONS_HIDDEN = os.environ.get(HIDE_SOLUTIONS_ENV, "").strip().lower() not in (
    "",
    "0",
    "false",
    "no",
)
_HIDDEN_NOTE = (
    "Solutions are hidden in this environment ({env}=1 was set when xentlib was imported, "
    "usually by your teacher for an exam). Try the hints: q.hint(1), q.hint(2), …"
)

CORRECT, INCORRECT, NOT_ATTEMPTED = "correct", "incorrect", "not attempted"
_ICONS = {CORRECT: "✅", INCORRECT: "❌", NOT_ATTEMPTED: "✏️"}


class _Note:
    """A short message that shows itself in a notebook as text and HTML."""

    def __init__(self, title: str, body: str, icon: str = "💡"):
        self.title, self.body, self.icon = title, body, icon

    def __str__(self) -> str:
        return f"{self.icon} {self.title}: {self.body}"

    __repr__ = __str__

    def _repr_html_(self) -> str:
        return (
            f"<div class='xentlib-note'>{self.icon} <b>{html.escape(self.title)}</b>: "
            f"{html.escape(self.body)}</div>"
        )


@dataclass
class CheckResult:
    """The outcome of ``Exercise.check``.

    Attributes
    ----------
    passed : bool
        True only when the answer is correct.
    status : {"correct", "incorrect", "not attempted"}
    message : str
        The feedback shown to the learner.
    """

    passed: bool
    status: str
    message: str
    exercise: str = ""
    _shown: bool = field(default=False, repr=False, compare=False)

    def __str__(self) -> str:
        return f"{_ICONS[self.status]} {self.exercise}: {self.message}"

    def __repr__(self) -> str:
        return str(self)

    def __bool__(self) -> bool:
        return self.passed

    def _repr_mimebundle_(self, include=None, exclude=None):
        colour = {CORRECT: "#1b7837", INCORRECT: "#b2182b", NOT_ATTEMPTED: "#555555"}[self.status]
        body = (
            f"<div class='xentlib-check' style='color:{colour}'>{_ICONS[self.status]} "
            f"<b>{html.escape(self.exercise)}</b>: {html.escape(self.message)}</div>"
        )
        return {"text/plain": str(self), "text/html": body}

    def _ipython_display_(self):
        # check() already displayed this result; when it is also the cell's last
        # expression, do not show it a second time.
        if self._shown:
            self._shown = False
            return
        _display(self)


def _display(obj) -> bool:
    """Display ``obj`` when running under IPython; return whether it was displayed.

    Objects with ``_repr_mimebundle_`` are sent as a raw bundle, so an object's own
    ``_ipython_display_`` never calls back into itself.
    """
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # plain Python: the caller prints or returns instead
        return False
    if get_ipython() is None:
        return False
    if hasattr(obj, "_repr_mimebundle_"):
        display(obj._repr_mimebundle_(), raw=True)
    else:
        display(obj)
    return True


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
    except Exception:  # describing must never fail
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
    try:
        arr = np.asarray(value, dtype=float)
    except OverflowError:
        raise _Mismatch(
            f"{what} is a number too large for a float (more than 1.8e308): no answer here is "
            "that big. Check the computation."
        ) from None
    except (TypeError, ValueError):
        ragged = isinstance(value, (list, tuple)) and len({np.shape(v) for v in value}) > 1
        raise _Mismatch(
            f"{what} has rows of different lengths: give every row the same number of entries."
            if ragged
            else f"{what} should be a number or array, but you gave {_describe(value)}."
        ) from None
    return arr


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
    words = " ".join(str(text).strip().lower().split())
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


def _explain_error(exc: Exception) -> str:
    text = str(exc)
    for pattern, advice in _NUMPY_ADVICE:
        found = pattern.search(text)
        if found:
            return advice.format(*found.groups())
    return f"Your function raised {type(exc).__name__}: {text[:200]}"


class Exercise:
    """One "check your understanding" question.

    Parameters
    ----------
    name : str
        ``"q1"``, ``"q2"``, … as used in ``ex = xl.exercises.lesson(n); ex.q1``.
    prompt : str
        The question, shown by ``q.prompt`` and in ``repr(q)``. A numeric question's prompt
        ends with how many significant digits it wants (added when it does not say).
    answer : number, array, str or callable
        The reference answer. For ``kind="function"`` it is the reference implementation.
    kind : {"value", "choice", "function"}
        How answers are compared: numerically (numbers and arrays, to ``digits``
        significant digits), as a letter (multiple choice and "explain why": any of
        '(b)', 'B)', ' b ', 'b.' is the option b) or by calling a function on
        ``test_inputs`` ("write this", "debug this").
    hints : sequence of str
        Graduated hints, from a nudge to nearly the answer (never the solution itself).
    worked_solution : str
        The worked solution (markdown/code text), hidden when the environment variable
        ``XENTLIB_HIDE_SOLUTIONS=1`` is set.
    misconceptions : sequence of (wrong_answer, feedback)
        Answers a learner plausibly gives for a specific mistake, and what to tell them: a
        number, a letter (for "explain why", one per wrong option, with its reasoning) or
        a function showing the mistake. Every exercise names at least two.
    test_inputs : sequence of tuples
        Arguments a function answer is called with (``kind="function"`` only).
    digits : int, default 3
        Significant digits a numeric answer must get right.
    explanation : str
        Why the right answer is right, shown with "Correct!" (for "explain why").
    tags : tuple of str
        What kind of question it is beyond the comparison: ``"explain-why"`` (a choice
        whose every wrong option has reasoned feedback), ``"debug"`` (fix a short broken
        function or training loop), and the confusions it targets (``"confusion-a"`` …,
        see TEACHING.md).
    rtol, atol : float
        Tolerances for a function's outputs (computed, so compared closely).
    fraction : bool
        The answer is a probability or a fraction (0.665, not 66.5 %): an answer 100 times
        too large is told it looks like a percentage. Off for other numbers (0.8 nats given
        as 80 is a different mistake).
    """

    def __init__(
        self,
        name: str,
        prompt: str,
        answer: Any,
        kind: str = "value",
        hints: Sequence[str] = (),
        worked_solution: str = "",
        misconceptions: Sequence[tuple[Any, str]] = (),
        test_inputs: Sequence[tuple] = (),
        digits: int = 3,
        explanation: str = "",
        tags: tuple = (),
        rtol: float = 1e-6,
        atol: float = 1e-9,
        fraction: bool = False,
    ):
        if kind not in ("value", "choice", "function"):
            raise ValueError(
                f"Exercise kind must be 'value', 'choice' or 'function', got {kind!r}."
            )
        if kind == "function" and not test_inputs:
            raise ValueError(f"Function exercise {name} needs test_inputs.")
        if kind == "value" and "significant digit" not in prompt:
            prompt += f" (Give {digits} significant digits.)"
        self.name, self.prompt, self.kind = name, prompt, kind
        self.hints, self.misconceptions, self.test_inputs = hints, misconceptions, test_inputs
        self.digits, self.explanation, self.tags = digits, explanation, tuple(tags)
        self.rtol, self.atol, self.fraction = rtol, atol, fraction
        # The reference and the worked solution are not public attributes in exam mode.
        self._answer, self._worked_solution = answer, worked_solution
        # The lesson number comes from the module that defines the exercise (lessonNN.py →
        # NN), set when the lesson is loaded; it is never restated by hand.
        self.lesson: int | None = None

    @property
    def answer(self):
        """The reference answer (an AttributeError in exam mode)."""
        if SOLUTIONS_HIDDEN:
            raise AttributeError(_HIDDEN_NOTE.format(env=HIDE_SOLUTIONS_ENV))
        return self._answer

    @property
    def worked_solution(self) -> str:
        """The worked solution (an AttributeError in exam mode)."""
        if SOLUTIONS_HIDDEN:
            raise AttributeError(_HIDDEN_NOTE.format(env=HIDE_SOLUTIONS_ENV))
        return self._worked_solution

    @property
    def label(self) -> str:
        number = "??" if self.lesson is None else f"{self.lesson:02d}"
        return f"Lesson {number} {self.name}"

    def __repr__(self) -> str:
        return f"<Exercise {self.label}: {self.prompt}>"

    # ---- comparing -------------------------------------------------------------------
    def _outputs(self, fn: Callable):
        """``fn`` on every test input (copies, so it cannot spoil them), and what it printed."""
        outputs, printed = [], io.StringIO()
        with contextlib.redirect_stdout(printed), np.errstate(all="ignore"):
            for args in self.test_inputs:  # arrays are copied; numbers stay plain numbers
                outputs.append(fn(*[a.copy() if isinstance(a, np.ndarray) else a for a in args]))
        return outputs, printed.getvalue()

    def _value_digits(self, given, target) -> float:
        given, target = _same_shape(
            _to_array(given, what="Your answer"), np.asarray(target, dtype=float)
        )
        with np.errstate(invalid="ignore", over="ignore"):
            return _digits_right(given, target)

    def _matches(self, given, target, digits=None) -> bool:
        """Does the answer ``given`` match ``target`` (the reference or a misconception)?"""
        if self.kind == "choice":
            return _normalise_choice(given) == _normalise_choice(target)
        if self.kind == "function":
            target_out, _ = self._outputs(target)
            return all(
                _close(g, t, self.rtol, self.atol) for g, t in zip(given, target_out, strict=True)
            )
        return self._value_digits(given, target) >= (digits or self.digits)

    def check(self, answer) -> CheckResult:
        """Check ``answer``; display ✅ or ❌ with feedback and return a :class:`CheckResult`.

        Never raises, whatever it is given: ``None`` or ``...`` (the placeholder in the
        exercise cell) means "not attempted", and anything that cannot be compared gets a
        message that says why, so a notebook always runs top to bottom.
        """
        try:
            result = self._evaluate(answer)
        except Exception as exc:  # a check must never raise
            result = CheckResult(
                False,
                INCORRECT,
                f"This answer could not be checked ({type(exc).__name__}: {str(exc)[:120]}). "
                "Give a plain number, array, letter or function, as the question asks.",
                self.label,
            )
        if result.status != NOT_ATTEMPTED and self.lesson is not None:
            from .. import progress  # saved progress: never raises

            progress.record(self.label, result.passed)
        result._shown = _display(result)
        return result

    def _evaluate(self, answer) -> CheckResult:
        def result(status, message):
            return CheckResult(status == CORRECT, status, message, self.label)

        if _is_not_attempted(answer):
            return result(
                NOT_ATTEMPTED,
                "Not attempted yet: replace the ... with your answer and run the cell again "
                f"(pass the value itself, not print(...)). Stuck? Try {self.name}.hint().",
            )
        if self.kind == "choice" and not isinstance(answer, str):
            return result(
                INCORRECT,
                f"This is a multiple-choice question: answer with the letter of your choice "
                f"as text, for example 'b'. You gave {_describe(answer)}.",
            )
        if self.kind == "function":
            if not callable(answer):
                return result(
                    INCORRECT,
                    f"This exercise expects a function (pass its name, without calling it); "
                    f"you gave {_describe(answer)}.",
                )
            try:
                given, printed = self._outputs(answer)
            except Exception as exc:  # the learner's code may raise anything
                return result(INCORRECT, _explain_error(exc))
            if all(out is None for out in given):
                if printed.strip():
                    return result(
                        INCORRECT,
                        "Your function printed its result but returned None: did you print "
                        "instead of return? Replace print(...) with return ...",
                    )
                return result(
                    NOT_ATTEMPTED,
                    "Your function returns None: finish its body and remember the `return` "
                    "statement (an update in place, such as W -= lr * grad, changes W but "
                    f"returns nothing: return W). Stuck? Try {self.name}.hint().",
                )
        else:
            given = answer
        mismatch = None
        try:
            if self._matches(given, self._answer):
                return result(CORRECT, "Correct! " + self._praise())
        except _Mismatch as exc:  # the wrong shape or type; a misconception may still match
            mismatch = exc
        # A mistake is recognised at 3 significant digits even where the question asks
        # for more (−1474 is the bits answer to −1473.87… as surely as −1473.9 is).
        for wrong, feedback in self.misconceptions:
            with contextlib.suppress(_Mismatch):
                if self._matches(given, wrong, min(self.digits, 3)):
                    return result(INCORRECT, feedback)
        if mismatch is not None:
            return result(INCORRECT, str(mismatch))
        if self.kind == "value":
            given_arr, target = _same_shape(
                _to_array(given, what="Your answer"), np.asarray(self._answer, dtype=float)
            )
            if self.fraction and target.ndim == 0 and 0 < abs(float(target)) <= 1:
                if _digits_right(given_arr / 100, target) >= self.digits:
                    return result(
                        INCORRECT,
                        f"That looks like a percentage ({_fmt_number(float(given_arr))} %): "
                        "give it as a fraction between 0 and 1.",
                    )
            if _is_count(self._answer):
                return result(
                    INCORRECT,
                    "Not quite: this answer is a count, so it must be exact (it is not a "
                    "matter of rounding). " + (f"Try {self.name}.hint()." if self.hints else ""),
                )
            right = _digits_rounded_alike(given_arr, target, self.digits)
            if right >= 1:
                return result(
                    INCORRECT,
                    f"Right to {int(right)} significant digit{'s' * (right >= 2)}, but this "
                    f"question asks for {self.digits}: compute it more precisely, or give "
                    "more digits.",
                )
        return result(
            INCORRECT,
            "Not quite. " + (f"Try {self.name}.hint() for a nudge." if self.hints else ""),
        )

    def _praise(self) -> str:
        if self.explanation:
            return self.explanation
        return (
            "Well done."
            if self.kind != "function"
            else "Your function gives the right output on every test input."
        )

    # ---- help ------------------------------------------------------------------------
    def hint(self, level: int = 1):
        """Show hint number ``level`` (1 is a nudge; higher levels say more)."""
        if not self.hints:
            note = _Note("No hint", "this exercise has no hints; see the lesson text above.")
        else:
            level = check_number(level, "level", example=1, low=1, integer=True)
            text = self.hints[min(level, len(self.hints)) - 1]
            more = (
                f" (more: {self.name}.hint({level + 1}))"
                if level < len(self.hints)
                else " (last hint)"
            )
            note = _Note(f"Hint {min(level, len(self.hints))}/{len(self.hints)}", text + more)
        if not _display(note):
            return note
        return None

    def solution(self):
        """Show the worked solution (hidden when ``XENTLIB_HIDE_SOLUTIONS=1``)."""
        if _solutions_hidden():
            note = _Note("Solution hidden", _HIDDEN_NOTE.format(env=HIDE_SOLUTIONS_ENV), "🔒")
        else:
            note = _Note("Solution", self._worked_solution, "📖")
        if not _display(note):
            return note
        return None

    def reference(self):
        """Return the reference answer (None when solutions are hidden)."""
        if _solutions_hidden():
            _display(_Note("Reference hidden", _HIDDEN_NOTE.format(env=HIDE_SOLUTIONS_ENV), "🔒"))
            return None
        return self._answer


def _solutions_hidden() -> bool:
    return SOLUTIONS_HIDDEN
