"""The self-check machinery behind ``xl.exercises``: Exercise, CheckResult, comparison.

An :class:`Exercise` holds a reference answer, graduated hints, a worked solution and a list
of *misconceptions*: ``(wrong_answer, feedback)`` pairs. ``check`` compares the learner's
answer with the reference; when it is wrong but matches a declared misconception, the reply
is that misconception's feedback, so the learner hears about *their* mistake.

Answers may be numbers, arrays, strings for multiple choice (compared as text, never
evaluated) or functions (called on the exercise's test inputs and compared output by output).
"""

from __future__ import annotations

import html
import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._validation import check_number

HIDE_SOLUTIONS_ENV = "XENTLIB_HIDE_SOLUTIONS"
_HIDDEN_NOTE = (
    "Solutions are hidden in this environment ({env}=1 is set, usually by your teacher "
    "for an exam). Try the hints: q.hint(1), q.hint(2), …"
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
    if isinstance(value, str):
        return f"the text {value!r}"
    if callable(value):
        return f"the function {getattr(value, '__name__', 'function')}"
    arr = np.asarray(value)
    if arr.ndim == 0:
        return f"{_fmt_number(arr.item())}"
    return f"an array of shape {arr.shape}"


def _fmt_number(x) -> str:
    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    if isinstance(x, (int, np.integer)):
        return str(int(x))
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
    except (TypeError, ValueError):
        raise _Mismatch(
            f"{what} should be a number or array, but you gave a {type(value).__name__}."
        ) from None
    return arr


def _close(a, b, rtol: float, atol: float) -> bool:
    """True when ``a`` and ``b`` are numerically the same (NaN and inf match themselves)."""
    a = _to_array(a, what="Your answer")
    b = np.asarray(b, dtype=float)
    if a.shape != b.shape:
        if a.size == b.size == 1:
            a, b = a.reshape(()), b.reshape(())
        else:
            raise _Mismatch(
                f"Your answer has shape {a.shape}, but the expected answer has shape {b.shape}."
            )
    with np.errstate(invalid="ignore"):
        return bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True))


def _normalise_choice(text) -> str:
    return " ".join(str(text).strip().lower().split())


@dataclass
class Exercise:
    """One "check your understanding" question.

    Parameters
    ----------
    name : str
        ``"q1"``, ``"q2"``, … as used in ``ex = xl.exercises.lesson(n); ex.q1``.
    prompt : str
        The question, shown by ``q.prompt`` and in ``repr(q)``.
    answer : number, array, str or callable
        The reference answer. For ``kind="function"`` it is the reference implementation.
    kind : {"value", "choice", "function"}
        How answers are compared: numerically (numbers and arrays), as normalised text
        (multiple choice) or by calling a function on ``test_inputs``.
    hints : sequence of str
        Graduated hints, from a nudge to nearly the answer.
    worked_solution : str
        The worked solution (markdown/code text), hidden when the environment variable
        ``XENTLIB_HIDE_SOLUTIONS=1`` is set.
    misconceptions : sequence of (wrong_answer, feedback)
        Answers a learner plausibly gives for a specific mistake, and what to tell them.
        For function exercises ``wrong_answer`` is a function showing the mistake.
    test_inputs : sequence of tuples
        Arguments a function answer is called with (``kind="function"`` only).
    rtol, atol : float
        Tolerances of the numerical comparison.
    """

    name: str
    prompt: str
    answer: Any
    kind: str = "value"
    hints: Sequence[str] = ()
    worked_solution: str = ""
    misconceptions: Sequence[tuple[Any, str]] = ()
    test_inputs: Sequence[tuple] = ()
    rtol: float = 1e-3
    atol: float = 1e-6
    # The lesson number comes from the module that defines the exercise (lessonNN.py → NN),
    # set when the lesson is loaded; it is never restated by hand.
    lesson: int | None = field(default=None, init=False)

    def __post_init__(self):
        if self.kind not in ("value", "choice", "function"):
            raise ValueError(
                f"Exercise kind must be 'value', 'choice' or 'function', got {self.kind!r}."
            )
        if self.kind == "function" and not self.test_inputs:
            raise ValueError(f"Function exercise {self.label} needs test_inputs.")

    @property
    def label(self) -> str:
        number = "??" if self.lesson is None else f"{self.lesson:02d}"
        return f"Lesson {number} {self.name}"

    def __repr__(self) -> str:
        return f"<Exercise {self.label}: {self.prompt}>"

    # ---- comparing -------------------------------------------------------------------
    def _outputs(self, fn: Callable):
        outputs = []
        for args in self.test_inputs:
            with np.errstate(all="ignore"):
                outputs.append(fn(*[np.array(a, copy=True) for a in args]))
        return outputs

    def _matches(self, given, target) -> bool:
        """Does the answer ``given`` match ``target`` (the reference or a misconception)?"""
        if self.kind == "choice":
            return _normalise_choice(given) == _normalise_choice(target)
        if self.kind == "function":
            given_out = given if isinstance(given, list) else self._outputs(given)
            target_out = self._outputs(target)
            return all(
                _close(g, t, self.rtol, self.atol)
                for g, t in zip(given_out, target_out, strict=True)
            )
        return _close(given, target, self.rtol, self.atol)

    def check(self, answer) -> CheckResult:
        """Check ``answer``; display ✅ or ❌ with feedback and return a :class:`CheckResult`.

        ``None`` or ``...`` (the placeholder in the exercise cell) means "not attempted":
        a friendly reminder, never an exception, so a notebook runs top to bottom.
        """
        result = self._evaluate(answer)
        result._shown = _display(result)
        return result

    def _evaluate(self, answer) -> CheckResult:
        def result(status, message):
            return CheckResult(status == CORRECT, status, message, self.label)

        if _is_not_attempted(answer):
            return result(
                NOT_ATTEMPTED,
                "Not attempted yet: replace the ... with your answer and run the cell again. "
                f"Stuck? Try {self.name}.hint().",
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
                given = self._outputs(answer)
            except Exception as exc:
                return result(
                    INCORRECT,
                    f"Your function raised {type(exc).__name__}: {exc}. "
                    f"It was called with inputs like {self.test_inputs[0]!r}.",
                )
            if all(out is None for out in given):
                return result(
                    NOT_ATTEMPTED,
                    "Your function returns None: finish its body and remember the `return` "
                    f"statement. Stuck? Try {self.name}.hint().",
                )
        else:
            given = answer
        try:
            if self._matches(given, self.answer):
                return result(CORRECT, "Correct! " + self._praise())
            for wrong, feedback in self.misconceptions:
                if self._matches(given, wrong):
                    return result(INCORRECT, feedback)
        except _Mismatch as exc:
            return result(INCORRECT, str(exc))
        return result(
            INCORRECT,
            "Not quite. " + (f"Try {self.name}.hint() for a nudge." if self.hints else ""),
        )

    def _praise(self) -> str:
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
            note = _Note("Solution", self.worked_solution, "📖")
        if not _display(note):
            return note
        return None

    def reference(self):
        """Return the reference answer (None when solutions are hidden)."""
        if _solutions_hidden():
            _display(_Note("Reference hidden", _HIDDEN_NOTE.format(env=HIDE_SOLUTIONS_ENV), "🔒"))
            return None
        return self.answer


def _solutions_hidden() -> bool:
    return os.environ.get(HIDE_SOLUTIONS_ENV, "").strip() not in ("", "0", "false", "False")
