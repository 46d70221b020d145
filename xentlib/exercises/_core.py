"""The self-check machinery behind ``xl.exercises``: Exercise and CheckResult.

An :class:`Exercise` holds a reference answer, graduated hints, a worked solution and a list
of *misconceptions*: ``(wrong_answer, feedback)`` pairs. ``check`` compares the learner's
answer with the reference; when it is wrong but matches a declared misconception, the reply
is that misconception's feedback, so the learner hears about *their* mistake.

Answers may be numbers, arrays, strings for multiple choice (compared as text, never
evaluated) or functions (called on the exercise's test inputs and compared output by output):
how each kind is read and compared is in :mod:`._kinds`. Each checked answer is saved by
:mod:`xentlib._progress_store` (which knows nothing of the exercises: no import circle).
"""

from __future__ import annotations

import contextlib
import html
import os
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._progress_store import record
from .._validation import check_number
from ._kinds import (
    CORRECT,
    INCORRECT,
    KINDS,
    LEARNER_ERRORS,
    NOT_ATTEMPTED,
    Verdict,
    _is_not_attempted,
    _Mismatch,
    value_digits,
)

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

STRICT_ENV = "XENTLIB_STRICT_CHECKS"


def strict_checks() -> bool:
    """Strict mode: ``check()`` raises the checker's own errors instead of reporting them.

    Read at every check from ``XENTLIB_STRICT_CHECKS`` (the test suite sets it to 1), so
    that a bug in the comparison code fails a test instead of hiding behind "could not be
    checked". Errors of a learner's code are explained in both modes, never raised.
    """
    return os.environ.get(STRICT_ENV, "").strip().lower() not in ("", "0", "false", "no")


def _guarded(action, *args):
    """``action(*args)``, which must not stop a check: an error is raised only in strict
    mode (it is a bug: recording and displaying handle what they expect themselves)."""
    try:
        return action(*args)
    except KeyboardInterrupt:
        raise
    except Exception:
        if strict_checks():
            raise
        return None


def _text(exc: BaseException) -> str:
    try:
        return str(exc)
    except LEARNER_ERRORS:
        return "no message"


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
        significant digits; True and False are not numbers), as a letter (multiple choice
        and "explain why": any of '(b)', 'B)', ' b ', 'b.', 'option b' is the option b, and
        a hedge such as 'b or c' is not marked) or by calling a function on
        ``test_inputs`` ("write this", "debug this").
    hints : sequence of str
        Graduated hints, from a nudge to nearly the answer (never the solution itself).
    worked_solution : str
        The worked solution (markdown/code text), hidden when the environment variable
        ``XENTLIB_HIDE_SOLUTIONS=1`` is set.
    misconceptions : sequence of (wrong_answer, feedback)
        Answers a learner plausibly gives for a specific mistake, and what to tell them: a
        number, a letter (for "explain why", one per wrong option, with its reasoning) or
        a function showing the mistake. A mistake the course names in several places comes
        from the catalogue (:mod:`._catalogue`: ``BITS(2.0, detail)``), so it is named in the
        same words everywhere. Every exercise names at least two.
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
        too large is told it looks like a percentage, and 1 − the answer is named. Off for
        other numbers (0.8 nats given as 80 is a different mistake).
    unit : str, optional
        The unit of a value answer, ``"nats"``, ``"bits"`` or ``"bytes"``, or ``""`` for a
        number without one (a probability, a perplexity, a standard deviation): a text answer
        that writes another unit ("6.73 bits" for a perplexity) is wrong, and says why. By
        default it is read from the misconceptions and the question's words, where they say.
    sizes : dict, optional
        The counts a value question states, ``{"N": 3}`` (examples) and ``{"C": 4}``
        (classes): an answer N, 1/N, N/(N − 1), 1/C or N/C times the right one is named
        (the sum, an extra mean, N − 1, a mean over classes).
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
        sizes: dict | None = None,
        in_place_ok: bool = False,
        unit: str | None = None,
    ):
        if kind not in ("value", "choice", "function"):
            raise ValueError(
                f"Exercise kind must be 'value', 'choice' or 'function', got {kind!r}."
            )
        if kind == "function" and not test_inputs:
            raise ValueError(f"Function exercise {name} needs test_inputs.")
        if kind == "value" and isinstance(answer, int) and not isinstance(answer, bool):
            prompt += "" if "exact" in prompt else " (Give the exact number.)"  # a count
        elif kind == "value" and "significant digit" not in prompt:
            prompt += f" (Give {digits} significant digits.)"
        self.name, self.prompt, self.kind = name, prompt, kind
        self.hints, self.test_inputs = hints, test_inputs
        # Hidden in exam mode: the wrong answers listed, every option but one is left.
        self._misconceptions = misconceptions
        self.digits, self.explanation, self.tags = digits, explanation, tuple(tags)
        self.rtol, self.atol, self.fraction = rtol, atol, fraction
        self.sizes = dict(sizes or {})
        self.unit = unit
        # A function may change an argument in place and return it (an update step, W -= …)
        self.in_place_ok = in_place_ok
        self._kind = KINDS[kind]  # how answers are read and compared (._kinds)
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
    def misconceptions(self):
        """The recorded wrong answers and their feedback (an AttributeError in exam mode:
        for a multiple-choice question they name every wrong letter)."""
        if SOLUTIONS_HIDDEN:
            raise AttributeError(_HIDDEN_NOTE.format(env=HIDE_SOLUTIONS_ENV))
        return self._misconceptions

    @property
    def label(self) -> str:
        number = "??" if self.lesson is None else f"{self.lesson:02d}"
        return f"Lesson {number} {self.name}"

    def __repr__(self) -> str:
        return f"<Exercise {self.label}: {self.prompt}>"

    # ---- checking --------------------------------------------------------------------
    def check(self, answer) -> CheckResult:
        """Check ``answer``; display ✅ or ❌ with feedback and return a :class:`CheckResult`.

        Never raises, whatever it is given (KeyboardInterrupt aside, so that a function
        that never returns can be stopped): ``None`` or ``...`` (the placeholder in the
        exercise cell) means "not attempted", and anything that cannot be compared gets a
        message that says why, so a notebook always runs top to bottom. Errors of the
        learner's code are explained where it runs (:mod:`._kinds`); an error of the
        checker itself is reported as "could not be checked", or raised in strict mode
        (``XENTLIB_STRICT_CHECKS=1``, set by the test suite), so tests see the checker's bugs.
        """
        try:
            with warnings.catch_warnings():  # the checker's own conversions say nothing
                warnings.filterwarnings("ignore", category=np.exceptions.ComplexWarning)
                warnings.filterwarnings("ignore", message="Warning: converting a masked element")
                status, message = self._evaluate(answer)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # a bug of the checker: learners' errors are handled
            if strict_checks():
                raise
            status, message = (
                INCORRECT,
                f"This answer could not be checked ({type(exc).__name__}: {_text(exc)[:120]}). "
                "Give a plain number, array, letter or function, as the question asks.",
            )
        result = CheckResult(status == CORRECT, status, message, self.label)
        if status != NOT_ATTEMPTED and self.lesson is not None:
            _guarded(record, self.label, result.passed)  # saved progress: never raises
        result._shown = bool(_guarded(_display, result))
        return result

    def _evaluate(self, answer) -> Verdict:
        """The verdict on ``answer``: prepared by the exercise's kind, then compared."""
        if _is_not_attempted(answer):
            return Verdict(
                NOT_ATTEMPTED,
                "Not attempted yet: replace the ... with your answer and run the cell again "
                f"(pass the value itself, not print(...)). Stuck? Try {self.name}.hint().",
            )
        given = self._kind.prepare(self, answer)
        if isinstance(given, Verdict):  # it cannot be compared, and the kind says why
            return given
        return self._compare(given)

    def _compare(self, given) -> Verdict:
        """The reference first, then each misconception, then the kind's near misses."""
        mismatch = None
        try:
            if self._kind.matches(self, given, self._answer, self.digits):
                return Verdict(CORRECT, "Correct! " + self._praise())
        except _Mismatch as exc:  # the wrong shape or type; a misconception may still match
            mismatch = exc
        # A mistake is recognised at 3 significant digits even where the question asks
        # for more (−1474 is the bits answer to −1473.87… as surely as −1473.9 is).
        for misconception in self._misconceptions:
            wrong, feedback = misconception
            if self._kind.passes_over(self, given, getattr(misconception, "mistake", None)):
                continue
            # A listed wrong function that fails on a test input cannot be what was given.
            with contextlib.suppress(_Mismatch, *(LEARNER_ERRORS if callable(wrong) else ())):
                if self._kind.matches(self, given, wrong, min(self.digits, 3)):
                    return Verdict(INCORRECT, feedback)
        near_miss = self._kind.near_miss(self, given, mismatch)  # what the general detectors see
        if near_miss is not None:
            return Verdict(INCORRECT, near_miss)
        hint = f"Try {self.name}.hint() for a nudge." if self.hints else ""
        return Verdict(INCORRECT, "Not quite. " + hint)

    def _value_digits(self, given, target) -> float:
        """The significant digits of ``target`` that ``given`` gets right (value answers)."""
        return value_digits(given, target)

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
            if level > len(self.hints):  # hint(2) where there is one: say so, then show it
                count = f"{len(self.hints)} hint{'s' * (len(self.hints) != 1)}"
                text = f"{self.name} has {count}, no hint {level}. {text}"
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
