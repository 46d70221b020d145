"""General detectors: a wrong answer named from what it *is*, without a list of wrong answers.

An exercise lists the mistakes it expects (its misconceptions). The detectors here name the
ones nobody listed, from how the answer relates to the right one, simplest explanation
first, and the first that recognises the answer gives the feedback (starting with a
catalogued mistake's name, :mod:`._catalogue`):

- **values**: the right value rounded to too few digits, cut off instead of rounded, or a
  constant factor or known transform of it (N, 1/N, 1/C, N/(N − 1), −1, 1/ln 2, 1/ln 10,
  100, 1 − x, 2, ½, log and exp); a number a lesson prints (:mod:`._printed`); a listed
  mistake with a second slip on top; one operation applied to a number the question
  gives; and, last, an answer within a few percent (an intermediate step rounded early).
- **functions**: outputs that are inf or nan where the answer is finite (an overflow or a
  log(0)) or capped far below a large loss (a clip); the wrong shape, told apart
  (transposed, an extra axis, not reduced, reduced, part of the rows); a constant factor,
  named from the test inputs' sizes (N, C, D, N − 1, a ratio of two of them); an update's
  step of the wrong size or reduced over an axis; the right function applied to a
  transformed input (a softmax too many, labels read from 1, the predicted class for the
  label, a sigmoid on probabilities, the transpose: the wrong axis); the log, exponential
  or complement of the right output.

A detector never guesses: when none recognises the answer, the check says "Not quite."
"""

from __future__ import annotations

import contextlib
import math
import re

import numpy as np

from . import _catalogue as catalogue
from ._printed import PRINTED

LEARNER_ERRORS = (Exception, SystemExit)
TIGHT = 1e-6  # relative tolerance for "the same number" between two computed arrays


# ---- digits -----------------------------------------------------------------------------------
def significant_digits(x: float) -> int:
    """The significant digits a learner wrote: 1.4 → 2, 0.36 → 2, 195 → 3, 200 → 1, 0.09 → 1
    (a float keeps no trailing zeros: 0.0900 is 0.09)."""
    x = float(x)
    if x == 0 or not math.isfinite(x):
        return 0
    mantissa = f"{abs(x):.15g}".split("e")[0].replace(".", "")
    return len(mantissa.strip("0")) or 1


def round_significant(x, digits: int) -> np.ndarray:
    """``x`` rounded to ``digits`` significant digits, halves away from zero (as taught at
    school: 0.025 → 0.03), not NumPy's halves-to-even."""
    x = np.asarray(x, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(x != 0, 10.0 ** (digits - 1 - np.floor(np.log10(np.abs(x)))), 1.0)
        return np.sign(x) * np.floor(np.abs(x) * scale + 0.5 + 1e-9) / scale


def truncate_significant(x, digits: int) -> np.ndarray:
    """``x`` cut off after ``digits`` significant digits (1.3863 → 1.38 for 3)."""
    x = np.asarray(x, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(x != 0, 10.0 ** (digits - 1 - np.floor(np.log10(np.abs(x)))), 1.0)
        return np.sign(x) * np.floor(np.abs(x) * scale + 1e-9) / scale


def digits_right(given, target, scale: float | None = None) -> float:
    """How many significant digits of ``target`` the answer ``given`` gets right (the fewest
    over the entries): ``d`` when the two agree to within half a unit of the d-th digit. An
    entry of ``target`` that is 0 is measured in the units of ``scale`` (the size of the
    exercise's answer), so that 0.03 is not "two digits of 0" next to an answer of 0.025."""
    given, target = np.asarray(given, dtype=float), np.asarray(target, dtype=float)
    with np.errstate(invalid="ignore", over="ignore"):
        err = np.abs(given - target)
    if not np.all(np.isfinite(err)):
        same = (given == target) | (np.isnan(given) & np.isnan(target))
        return math.inf if bool(np.all(same)) else 0.0
    zero_scale = abs(scale) if scale and target.ndim else 1.0  # a scalar 0 is measured in 1s
    size = np.where(target != 0, np.abs(target), zero_scale)
    with np.errstate(divide="ignore"):
        digits = np.floor(np.log10(size)) + 1 + np.floor(np.log10(0.5 / err) + 1e-9)
    return float(np.min(digits))


def _written_digits(given: np.ndarray) -> list[int]:
    return [significant_digits(v) for v in np.ravel(given)]


def _relative_error(given: np.ndarray, target: np.ndarray) -> float:
    size = np.where(target != 0, np.abs(target), np.max(np.abs(target)) or 1.0)
    with np.errstate(invalid="ignore", over="ignore"):
        return float(np.max(np.abs(given - target) / size))


def _rounded_to_own_digits(given: np.ndarray, target: np.ndarray, cut) -> bool:
    """Every entry of ``given`` is the target's entry rounded (or ``cut``) to the digits the
    learner wrote for it."""
    own = np.reshape(_written_digits(given), given.shape)
    shaped = np.array(
        [cut(t, max(int(k), 1)) for t, k in zip(np.ravel(target), np.ravel(own), strict=True)]
    ).reshape(target.shape)
    return bool(np.allclose(given, shaped, rtol=1e-9, atol=0))


def alike_digits(given: np.ndarray, target: np.ndarray, below: int) -> int:
    """The most significant digits (fewer than ``below``) to which both round the same."""
    return max(
        (
            k
            for k in range(1, below)
            if np.array_equal(round_significant(given, k), round_significant(target, k))
        ),
        default=0,
    )


# ---- values -----------------------------------------------------------------------------------
def value_near_miss(q, given: np.ndarray, target: np.ndarray) -> str | None:
    """The feedback for a wrong value answer that no misconception matched, or None."""
    count = _is_count(q._answer)
    for detect in (
        _rounding,
        _counted,
        _rounded_misconception,
        _reordered,
        _transform_of_answer,
        _printed_number,
        _two_slips,
        _factor_from_question,
        _one_step_from_question,
        _given_number,
        _close,
    ):
        if count and detect not in (_rounding, _counted, _given_number):
            continue
        message = detect(q, given, target)
        if message:
            return message
    return None


def _is_count(answer) -> bool:
    return isinstance(answer, (int, np.integer)) and not isinstance(answer, bool)


def _plural(k: int) -> str:
    return f"{k} significant digit{'s' * (k != 1)}"


def _rounding(q, given, target) -> str | None:
    """Too few digits (the answer rounded early), or digits cut off instead of rounded."""
    written = max(_written_digits(given), default=0)
    if written == 0:
        return None
    if _is_count(q._answer):
        if given.ndim == 0 and written < significant_digits(float(target)):
            for cut, how in ((round_significant, "rounded"), (truncate_significant, "cut")):
                if _rounded_to_own_digits(given, target, cut):
                    return (
                        f"A count must be exact: {float(given):g} is the count {how} to "
                        f"{_plural(written)}. A count has no digits to round away: give every one."
                    )
        return None
    relative = _relative_error(given, target)
    if written < q.digits and _rounded_to_own_digits(given, target, round_significant):
        if (
            written >= 2 or relative <= 0.10
        ):  # one digit only when close: 1.0 for 1.386 is no rounding
            fewest = min(_written_digits(given)) or written  # the entry given the fewest
            if given.ndim and fewest < written:  # [-0.33, 0.24, 0.09]: 2, 2 and 1 digits
                right_to = f"Every entry is right to the digits you wrote ({fewest} to {written})"
            else:
                right_to = (
                    f"{'Every entry is right' if given.ndim else 'Right'} to {_plural(fewest)}"
                )
            return (
                f"{right_to}, but this question asks for {q.digits}: "
                "give more digits (round only at the end)."
            )
    if _rounded_to_own_digits(given, target, truncate_significant) and relative <= 0.10:
        asks = f" (You wrote {_plural(written)}; the question asks for {q.digits}.)"
        return catalogue.TRUNCATED.text + (asks if written < q.digits else "")
    alike = alike_digits(given, target, q.digits)
    if alike >= 2:
        return (
            f"Right to {_plural(alike)}, but this question asks for {q.digits}: compute it "
            "more precisely, or give more digits."
        )
    return None


def _counted(q, given, target) -> str | None:
    if not _is_count(q._answer) or given.ndim:
        return None
    if not float(given).is_integer():
        return "A count is a whole number: count each part exactly and add them up."
    off = abs(float(given) - float(target))
    slip = off <= max(2.0, 0.02 * abs(float(target)))
    return (
        "A count must be exact. "
        + (
            "Yours is close, so an addition slip is likely: add the parts up again, one at a time."
            if slip
            else "List every part that is counted, with its size, and add them up."
        )
        + (f" Stuck? Try {q.name}.hint()." if q.hints else "")
    )


def _matches(given: np.ndarray, value, digits: int, scale: float) -> bool:
    """``given`` is ``value`` to ``digits`` significant digits, or ``value`` rounded to the
    (at least 2) digits the learner wrote."""
    try:
        value = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return False
    if value.ndim == 0 and float(value) == 0.0:  # 0 is no scale: only 0 itself is 0
        return given.ndim == 0 and abs(float(given)) <= 1e-12
    if value.shape != given.shape or not np.all(np.isfinite(value)):
        if value.shape == given.shape and np.array_equal(value, given):
            return True  # inf for inf
        return False
    if digits_right(given, value, scale) >= digits:
        return True
    written = min(_written_digits(given), default=0)
    return written >= 2 and _rounded_to_own_digits(given, value, round_significant)


def _scale(q) -> float:
    answer = np.asarray(q._answer, dtype=float)
    return float(np.max(np.abs(answer))) if answer.size and np.any(answer) else 1.0


def _listed_values(q):
    """The exercise's misconceptions that are numbers or arrays."""
    for wrong, feedback in q._misconceptions:
        if callable(wrong) or isinstance(wrong, (str, catalogue.Within)):
            continue
        with contextlib.suppress(TypeError, ValueError):
            yield np.asarray(wrong, dtype=float), feedback


def _reordered(q, given, target) -> str | None:
    """Every entry right, in another order ([0.245, −0.335, 0.09] for [−0.335, 0.245, 0.09])."""
    if given.ndim != 1 or given.shape != target.shape or given.size < 2:
        return None
    digits, scale = min(q.digits, 3), _scale(q)
    if _matches(np.sort(given), np.sort(target), digits, scale):
        return catalogue.REORDERED.text
    return None


def _rounded_misconception(q, given, target) -> str | None:
    """A listed mistake, rounded early (2.6 for 2.585: bits for nats)."""
    if alike_digits(given, target, q.digits) >= 2 or min(_written_digits(given), default=0) < 2:
        return None
    written = min(_written_digits(given), default=0)
    for wrong, feedback in _listed_values(q):
        if wrong.shape == given.shape and np.all(np.isfinite(wrong)):
            if _rounded_to_own_digits(given, wrong, round_significant) or (
                written >= 3
                and _relative_error(given, wrong) <= 0.01
                and _consistent_with_quoted(given, wrong)
            ):
                return feedback
    return None


def _consistent_with_quoted(given: np.ndarray, wrong: np.ndarray) -> bool:
    """A listed value the lesson quotes with few digits (0.243, a loss its run printed) is
    what ``given`` is only if ``given`` rounds to it at those digits: 0.2446 and 0.245 are
    not 0.243. A computed listed value (0.325082…) is matched within the 1 % a learner's
    own route may differ by."""
    for g, w in zip(np.ravel(given), np.ravel(wrong), strict=True):
        quoted = significant_digits(w)
        if quoted <= 4 and significant_digits(g) >= quoted:
            if float(round_significant(g, quoted)) != float(w):
                return False
    return True


def unit(q) -> str | None:
    """ "nats" or "bits" when the exercise's misconceptions say which unit its answer is in."""
    mistakes = {getattr(m, "mistake", None) for m in q._misconceptions}
    if catalogue.BITS in mistakes:
        return "nats"
    if catalogue.NATS in mistakes:
        return "bits"
    return None


def asked_unit(q) -> str | None:
    """The unit the question asks for, "nats", "bits" or "bytes": from its misconceptions
    (:func:`unit`), else from its words ("how many bytes", "in bits per character")."""
    if getattr(q, "unit", None) is not None:
        return q.unit  # said by the exercise ("" for a number without a unit)
    if getattr(q, "fraction", False):
        return ""  # a probability or a fraction has no unit, whatever mistakes it names
    named = unit(q)
    if named:
        return named
    said = re.search(r"\b(?:in|how many)\s+(nats|bits|bytes)\b", q.prompt, re.I)
    return said[1].lower() if said else None


def _sign_mistake(q) -> catalogue.Mistake:
    mistakes = {getattr(m, "mistake", None) for m in q._misconceptions}
    if catalogue.SIGN in mistakes and catalogue.NO_MINUS not in mistakes:
        return catalogue.SIGN
    if asked_unit(q) == "":  # no loss and no gradient: a probability, a perplexity, a count
        return catalogue.NEGATED
    answer = np.asarray(q._answer, dtype=float)
    return catalogue.NO_MINUS if answer.ndim == 0 and float(answer) > 0 else catalogue.SIGN


def _answer_transforms(q, target: np.ndarray):
    """(value, feedback) for each constant factor or transform of the right value that a
    mistake produces, simplest first."""
    sizes = getattr(q, "sizes", None) or {}
    n, c = sizes.get("N"), sizes.get("C")
    said = "(Your answer is {} the right value.)"
    out = [(-target, f"{_sign_mistake(q).text} {said.format('minus')}")]
    if n and n > 1:
        out += [
            (target * n, f"{catalogue.SUM.text} {said.format(f'N = {n} times')}"),
            (target / n, f"{catalogue.EXTRA_N.text} {said.format(f'1/N = 1/{n} times')}"),
            (
                target * n / (n - 1),
                f"{catalogue.N_MINUS_ONE.text} (Your answer is the sum divided by "
                f"N − 1 = {n - 1}, not by N = {n}.)",
            ),
        ]
    if c and c > 1:
        out.append(
            (target / c, f"{catalogue.OVER_CLASSES.text} {said.format(f'1/C = 1/{c} times')}")
        )
        if n and n != c:
            out.append(
                (
                    target * n / c,
                    f"{catalogue.OVER_CLASSES.text} (Your answer is the sum divided by "
                    f"C = {c}, not by N = {n}.)",
                )
            )
    units = unit(q)
    if units == "nats":
        out += [
            (target / math.log(2), catalogue.BITS.text),
            (target / math.log(10), f"{catalogue.LOG10.text} Use the natural log, np.log."),
        ]
    elif units == "bits":
        out += [
            (target * math.log(2), catalogue.NATS.text),
            (target * math.log(2) / math.log(10), f"{catalogue.LOG10.text} Bits are np.log2."),
        ]
    if q.fraction:
        out += [
            (
                target * 100,
                f"{catalogue.PERCENT.name}: {{given}} looks like a percentage ({{given}} %); "
                f"{catalogue.PERCENT.says}",
            ),
            (1 - target, catalogue.COMPLEMENT.text),
        ]
    else:
        out.append(
            (
                target * 100,
                f"{catalogue.FACTOR.name}: your answer is 100 times the right value: give it "
                "as a plain number, not a percentage.",
            )
        )
    loose = len(out)  # the transforms above are named from the digits the learner wrote;
    # those below (a 2, a square root, a log) are what many wrong numbers happen to be close
    # to (0.95 is √0.9 to two digits), so they are named only to the digits asked (at most 3)
    out += [
        (2 * target, f"{catalogue.FACTOR.text} {said.format('twice')}"),
        (target / 2, f"{catalogue.FACTOR.text} {said.format('half')}"),
    ]
    with np.errstate(all="ignore"):
        if np.all(target > 0) and not np.any(target == 1):  # ln 1 = 0: a zero is no log
            out += [
                (
                    np.log(target),
                    f"{catalogue.LOG_OF_ANSWER.text} (Yours is ln of the right value.)",
                ),
                (
                    -np.log(target),
                    f"{catalogue.LOG_OF_ANSWER.text} (Yours is −ln of the right value.)",
                ),
                (
                    np.sqrt(target),
                    f"{catalogue.FACTOR.name}: your answer is the square root of the right value.",
                ),
            ]
        out += [
            (np.exp(target), f"{catalogue.LOG_OF_ANSWER.text} (Yours is e to the right value.)"),
            (target**2, f"{catalogue.FACTOR.name}: your answer is the square of the right value."),
        ]
    return [(value, feedback, i >= loose) for i, (value, feedback) in enumerate(out)]


def _transform_of_answer(q, given, target) -> str | None:
    if given.shape != target.shape:
        return None
    digits = min(q.digits, 3)
    for value, feedback, strict in _answer_transforms(q, target):
        if strict and given.size == 1:  # every entry of an array alike is no coincidence
            with np.errstate(all="ignore"):
                right = (
                    np.all(np.isfinite(value)) and digits_right(given, value, _scale(q)) >= digits
                )
        else:
            right = _matches(given, value, digits, _scale(q))
        if right and not np.allclose(value, target):
            return feedback.replace("{given}", f"{float(given):.6g}" if given.ndim == 0 else "it")
    return None


def _printed_number(q, given, target) -> str | None:
    if given.ndim or min(_written_digits(given), default=0) < 3:
        return None
    for printed in PRINTED:
        if digits_right(given, printed.value) >= min(printed.digits, 3, q.digits):
            return (
                f"{catalogue.OTHER_EXAMPLE.text} ({printed.shown} is {printed.what}; this "
                "question's numbers are different.)"
            )
    return None


def _two_slips(q, given, target) -> str | None:
    """A listed mistake with a second slip on top: its sign lost, its units in bits or log
    base 10 (where the exercise names bits as a mistake), or written as a percentage
    (where the answer is a fraction): both named."""
    digits = min(q.digits, 3)
    second = [(-1.0, _sign_mistake(q))]
    if unit(q) == "nats":  # given · ln 2 undoes bits, given · ln 10 undoes log base 10
        second += [(math.log(2), catalogue.BITS), (math.log(10), catalogue.LOG10)]
    if q.fraction:  # a percentage of a listed mistake
        second.append((0.01, catalogue.PERCENT))
    listed = list(_listed_values(q))
    if not q.fraction:  # a listed mistake that is a fraction (0.125), given as 12.5
        second.append((0.01, catalogue.PERCENT))
    for factor, slip in second:
        undone = given * factor
        if _matches(undone, target, min(digits, 3), _scale(q)):
            return None  # one slip only, which the simpler detectors name
        units = (catalogue.BITS, catalogue.LOG10, catalogue.NATS)
        for wrong, feedback in listed:
            if slip is catalogue.PERCENT and not (wrong.ndim == 0 and 0 < float(wrong) < 1):
                continue
            if slip in units and any(feedback.startswith(u.text) for u in units):
                continue  # two unit slips on top of each other: no one makes that
            if _matches(undone, wrong, digits, _scale(q)):
                return f"Two slips. {slip.text} And: {feedback}"
    return None


def _factor_from_question(q, given, target) -> str | None:
    """The right value times or divided by a number the question gives (pos_weight = 4:
    0.425 for 1.70): the number named, not guessed at."""
    if given.ndim or target.ndim or float(target) == 0 or min(_written_digits(given)) < 2:
        return None
    digits = min(q.digits, 3)
    for x in dict.fromkeys(question_numbers(q.prompt)):
        if x in (0.0, 1.0, -1.0) or not math.isfinite(x):
            continue
        for value, how in ((float(target) * x, "times"), (float(target) / x, "divided by")):
            if digits_right(given, value) >= digits:
                return (
                    f"{catalogue.FACTOR.text} (Your answer is the right value {how} {x:g}, a "
                    "number the question gives: where does it enter, and does it belong there?)"
                )
    return None


_QUESTION_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?:e-?\d+)?(?![\w.])")


def question_numbers(prompt: str) -> list[float]:
    """The numbers a question states ("probability 0.25", "2000 labels"), not its digits
    count ("Give 3 significant digits")."""
    text = re.sub(r"\(Give [^)]*\)", "", prompt.replace("−", "-"))
    return [float(x) for x in _QUESTION_NUMBER.findall(text)]


def _one_step_from_question(q, given, target) -> str | None:
    """ln 1.2, 1/1.2, e^-1.2, …: one operation applied to one of the question's numbers."""
    if given.ndim or min(_written_digits(given), default=0) < 2:
        return None
    steps = (
        ("ln {x}", np.log),
        ("−ln {x}", lambda x: -np.log(x)),
        ("log₂ {x}", np.log2),
        ("−log₂ {x}", lambda x: -np.log2(x)),
        ("log₁₀ {x}", np.log10),
        ("e^{x}", np.exp),
        ("e^−{x}", lambda x: np.exp(-x)),
        ("1/{x}", lambda x: np.divide(1.0, x)),
        ("1 − {x}", lambda x: 1 - x),
        ("{x}²", np.square),
        ("√{x}", np.sqrt),
    )
    with np.errstate(all="ignore"):
        for x in question_numbers(q.prompt):
            for written, step in steps:
                value = float(step(np.float64(x)))
                if math.isfinite(value) and value != 0 and digits_right(given, value) >= 3:
                    return f"{catalogue.ONE_STEP.text} ({float(given):g} = {written.format(x=f'{x:g}')}.)"
    return None


def _given_number(q, given, target) -> str | None:
    if given.ndim or (_is_count(q._answer) and float(given) == float(target)):
        return None
    value = float(given)
    stated = question_numbers(q.prompt)
    if (
        any(x == value and (not x.is_integer() or abs(value) >= 10) for x in stated)
        and _relative_error(given, target) > 0.05
    ):
        return f"{catalogue.GIVEN_NUMBER.text} ({value:g} is in the question.)"
    return None


def _close(q, given, target) -> str | None:
    """Within 5 % of the right value, and none of the above: an intermediate step rounded."""
    if given.shape != target.shape or not np.all(np.isfinite(given)):
        return None
    if max(_written_digits(target), default=0) <= q.digits:
        return None  # 0.9 or 1.0 exactly: a number near it is another number, not a rounding
    relative = _relative_error(given, target)
    if relative <= 0.05:
        within = max(0.1, round(relative * 100, 1))
        entry = "every entry " if given.ndim else ""
        return (
            f"{catalogue.ROUNDED_EARLY.name}: your answer is close ({entry}within {within:g} %) "
            f"but not right to {_plural(q.digits)}. {catalogue.ROUNDED_EARLY.says[0].upper()}"
            f"{catalogue.ROUNDED_EARLY.says[1:]}"
        )
    return None


# ---- shapes (values and functions) ------------------------------------------------------------
def shape_story(given: np.ndarray, expected: np.ndarray, what: str = "Your answer") -> str | None:
    """What a wrong shape shows, when the numbers tell: the transpose, an extra axis, a
    reduction too many or too few, part of the entries (None when they tell nothing)."""
    g, e = given, expected
    said = f"({what} has shape {g.shape}; the answer has shape {e.shape}.)"

    def same(a, b) -> bool:
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
        return a.shape == b.shape and bool(
            np.allclose(a, b, rtol=TIGHT, atol=1e-12, equal_nan=True)
        )

    if g.size == 0 or e.size == 0:  # nothing to compare (and NumPy warns on an empty mean)
        return None
    with np.errstate(all="ignore"):
        if g.ndim == e.ndim == 2 and same(g, e.T):
            return f"{catalogue.TRANSPOSED.text} {said}"
        if g.size == e.size and same(np.squeeze(g), np.squeeze(e)):
            return f"{catalogue.EXTRA_AXIS.text} {said}"
        for name, reduce in (("mean", np.mean), ("sum", np.sum)):
            if e.ndim > g.ndim:
                for axis in [None, *range(e.ndim)]:
                    if same(g, reduce(e, axis=axis)):
                        where = "all of them" if axis is None else f"axis {axis}"
                        return (
                            f"{catalogue.OVER_REDUCED.text} ({what} is the {name} of the right "
                            f"values over {where}: the answer keeps them apart, shape {e.shape}.)"
                        )
            if g.ndim > e.ndim:
                for axis in [None, *range(g.ndim)]:
                    if same(e, reduce(g, axis=axis)):
                        return (
                            f"{catalogue.NOT_REDUCED.text} ({what} has shape {g.shape}; the "
                            f"{name} of those values{'' if axis is None else f' over axis {axis}'} "
                            f"is the answer: np.{name}.)"
                        )
        if g.ndim == e.ndim >= 1 and g.shape[0] < e.shape[0] and g.shape[1:] == e.shape[1:]:
            k = g.shape[0]
            if same(g, e[:k]) or same(g, e[-k:]):
                return (
                    f"{catalogue.PART_ONLY.text} ({what} holds {k} of the answer's "
                    f"{e.shape[0]} {'rows' if e.ndim > 1 else 'entries'}: the others are missing.)"
                )
        if g.size == e.size and same(np.ravel(g), np.ravel(e)):
            return (
                f"{catalogue.WRONG_SHAPE.text} {what} holds the right numbers in the wrong shape "
                f"{said}"
            )
    return None


def describe_shape(given: np.ndarray, expected: np.ndarray, inputs, names) -> str:
    """The wrong shape, each size named by the first input axis that has it."""
    dims: dict[int, str] = {}
    for name, a in zip(names, inputs, strict=False):
        if isinstance(a, np.ndarray):
            for axis, size in enumerate(a.shape):
                dims.setdefault(size, f"{name}.shape[{axis}]" if a.ndim > 1 else f"len({name})")
        elif isinstance(a, (int, np.integer)) and not isinstance(a, bool):
            dims.setdefault(int(a), name)

    def spell(shape) -> str:
        if not shape:
            return "one number (shape ())"
        return f"shape {shape} ({', '.join(dims.get(s, str(s)) for s in shape)})"

    return (
        f"{catalogue.WRONG_SHAPE.text} Your function returns {spell(given.shape)}; the answer "
        f"has {spell(expected.shape)}."
    )


# ---- functions --------------------------------------------------------------------------------
def function_near_miss(
    q, given: list, expected: list, names: list[str], reference, call
) -> str | None:
    """The feedback for a function's wrong outputs that no misconception matched, or None.

    ``given`` and ``expected`` are the learner's and the reference's outputs on the test
    inputs, ``names`` the parameter names of the learner's function, ``reference`` the
    right function and ``call(fn, inputs)`` runs a function on a list of inputs.
    """
    try:
        g = [np.asarray(x, dtype=float) for x in given]
        e = [np.asarray(x, dtype=float) for x in expected]
    except LEARNER_ERRORS:
        return None
    inputs = q.test_inputs
    for detect in (
        _not_finite,
        _capped,
        _shapes,
        _output_factor,
        _step,
        _transformed_input,
        _transformed_output,
    ):
        message = detect(q, g, e, inputs, names, reference, call)
        if message:
            return message
    return None


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    if a.shape != b.shape:
        if a.size == b.size == 1:
            a, b = a.reshape(()), b.reshape(())
        else:
            return False
    with np.errstate(all="ignore"):
        return bool(np.allclose(a, b, rtol=TIGHT, atol=1e-9, equal_nan=True))


def _all_same(g, e) -> bool:
    return all(_same(a, b) for a, b in zip(g, e, strict=True))


def _extreme_input(inputs, names) -> str:
    """The largest |value| of the float arrays of a test input, as "logits reach ±1000"."""
    best = None
    for name, a in zip(names, inputs, strict=False):
        if isinstance(a, np.ndarray) and a.dtype.kind == "f" and a.size:
            big = float(np.max(np.abs(a)))
            if best is None or big > best[1]:
                best = (name, big)
    return "" if best is None else f" (on the test input where |{best[0]}| reaches {best[1]:g})"


def _not_finite(q, g, e, inputs, names, reference, call) -> str | None:
    if not catalogue.not_finite_where_the_answer_is(g, e, inputs):
        return None
    where = next(
        (
            _extreme_input(args, names)
            for args, a, b in zip(inputs, g, e, strict=True)
            if np.any(~np.isfinite(a) & np.isfinite(b))
        ),
        "",
    )
    return f"{catalogue.NOT_FINITE.text}{where}"


def _capped(q, g, e, inputs, names, reference, call) -> str | None:
    if any(b.ndim for b in e) or not catalogue.capped_below_the_answer(g, e, inputs):
        return None
    worst = int(np.argmax([float(b) - float(a) for a, b in zip(g, e, strict=True)]))
    where = _extreme_input(inputs[worst], names)
    return f"{catalogue.CAPPED.text} (Your loss is far below the exact one{where}.)"


def _shapes(q, g, e, inputs, names, reference, call) -> str | None:
    bad = [
        (a, b, args)
        for a, b, args in zip(g, e, inputs, strict=True)
        if a.shape != b.shape and not a.size == b.size == 1
    ]
    if not bad:
        return None
    a, b, args = max(bad, key=lambda item: _distinct_sizes(item[2]))  # its axes told apart
    story = shape_story(a, b, "Your function's output")
    if story is None:
        story = _wrong_axis(q, g, e, inputs, names, reference, call)
    return story or describe_shape(a, b, args, names)


def _sizes(args, names) -> dict[str, int]:
    """The sizes a test input has, by name: N (the first array's length), C (the last axis of
    a 2-D array, or the number of classes of integer labels), and each array's own axes."""
    sizes: dict[str, int] = {}
    arrays = [
        (n, a) for n, a in zip(names, args, strict=False) if isinstance(a, np.ndarray) and a.ndim
    ]
    if arrays:
        sizes["N"] = arrays[0][1].shape[0]
        # C: the last axis most 2-D arrays share (X (N, D) beside P and Y (N, C): C, not D)
        last = [a.shape[-1] for _, a in arrays if a.ndim == 2]
        if last:
            sizes["C"] = max(last, key=last.count)
    for name, a in arrays:
        for axis, size in enumerate(a.shape):
            sizes.setdefault(f"{name}.shape[{axis}]" if a.ndim > 1 else f"len({name})", size)
    return sizes


def _distinct_sizes(args) -> int:
    """How many different sizes the arrays of a test input have (to name axes unambiguously)."""
    return len({s for a in args if isinstance(a, np.ndarray) for s in a.shape})


def _factor(g: list, e: list) -> list[float] | None:
    """Per test input, the number k with output = k × the right output (None when there is
    no such constant, or nothing to divide by)."""
    factors = []
    with np.errstate(all="ignore"):
        for a, b in zip(g, e, strict=True):
            if a.size != b.size or a.size == 0:
                return None
            a, b = a.reshape(-1), b.reshape(-1)
            usable = np.isfinite(b) & np.isfinite(a) & (np.abs(b) > 1e-12)
            if not usable.any() or not np.all(np.isfinite(a)):
                return None
            k = float(np.median(a[usable] / b[usable]))
            if not np.allclose(a, k * b, rtol=TIGHT, atol=1e-12):
                return None
            factors.append(k)
    return factors


def name_factor(
    q,
    factors: list[float],
    expected,
    inputs,
    names,
    what="your function returns",
    counts=True,
    of="the right value",
) -> str | None:
    """The mistake a constant factor shows, named by the test inputs' sizes where it can
    (with ``counts``, N and C are the batch's examples and classes: the sum, an extra mean,
    a mean over classes)."""
    if all(math.isclose(k, 1.0, rel_tol=TIGHT) for k in factors):
        return None
    if all(k == 0 for k in factors):  # nothing computed at all: no factor to name
        return (
            f"On every test input {what} 0 where {of} is not 0: is a line missing, or is the "
            "result of the computation never returned (or overwritten with 0)?"
        )
    sizes = [_sizes(args, names) for args in inputs]

    def every(values) -> bool:
        return all(
            v and math.isclose(k, v, rel_tol=1e-6) for k, v in zip(factors, values, strict=True)
        )

    said = "On every test input " + what + " {} " + of + "."
    if every([-1.0] * len(factors)):
        losses = all(np.ndim(x) == 0 and float(x) >= 0 for x in expected)
        mistake = catalogue.NO_MINUS if losses else catalogue.SIGN
        return f"{mistake.text} {said.format('minus')}"
    n = [s.get("N", 0) for s in sizes]
    c = [s.get("C", 0) for s in sizes]
    named = [
        ([1 / math.log(2)] * len(factors), catalogue.BITS, "1/ln 2 times"),
        ([1 / math.log(10)] * len(factors), catalogue.LOG10, "1/ln 10 times"),
        (n, catalogue.SUM, "N times"),
        ([1 / v if v else 0 for v in n], catalogue.EXTRA_N, "1/N times"),
        ([v / (v - 1) if v > 1 else 0 for v in n], catalogue.N_MINUS_ONE, "N/(N − 1) times"),
        ([1 / v if v else 0 for v in c], catalogue.OVER_CLASSES, "1/C times"),
        (
            [a / b if a and b else 0 for a, b in zip(n, c, strict=True)],
            catalogue.OVER_CLASSES,
            "N/C times",
        ),
    ]
    for values, mistake, how in named if counts else named[:2]:
        if every(values) and not (mistake is catalogue.OVER_CLASSES and n == c):
            return f"{mistake.text} {said.format(how)}"
    # a size of the inputs, its inverse, or the ratio of two: named by where it comes from
    keys = [k for k in sizes[0] if k not in ("N", "C") and all(k in s for s in sizes)]
    for key in keys:
        for power, how in (
            (1, "{} times"),
            (-1, "1/{} times"),
            (0.5, "√{} times"),
            (-0.5, "1/√{} times"),
        ):
            if every([s[key] ** power for s in sizes]) and any(s[key] != 1 for s in sizes):
                return (
                    f"{catalogue.FACTOR.text} {said.format(how.format(key))} Look for a "
                    f"division or multiplication by {key} that does not belong."
                )
    for top in keys:
        for bottom in keys:
            if (
                top != bottom
                and every([s[top] / s[bottom] for s in sizes])
                and any(s[top] != s[bottom] for s in sizes)
            ):
                return (
                    f"{catalogue.FACTOR.text} {said.format(f'{top}/{bottom} times')} A "
                    f"division by {bottom} where {top} belongs, or the other way round?"
                )
    if all(math.isclose(k, factors[0], rel_tol=TIGHT) for k in factors):
        return f"{catalogue.FACTOR.text} {said.format(f'{factors[0]:.4g} times')}"
    return None


def _output_factor(q, g, e, inputs, names, reference, call) -> str | None:
    factors = _factor(g, e)
    return name_factor(q, factors, e, inputs, names) if factors else None


def _step(q, g, e, inputs, names, reference, call) -> str | None:
    """An update (the output has the first argument's shape, W → new W): a step of the
    wrong size, reduced over an axis, or of the wrong sign."""
    old = [args[0] for args in inputs]
    if not all(
        isinstance(w, np.ndarray) and w.shape == b.shape for w, b in zip(old, e, strict=True)
    ):
        return None
    steps = [a - w for a, w in zip(g, old, strict=True)]
    right = [b - w for b, w in zip(e, old, strict=True)]
    factors = _factor(steps, right)
    if factors and all(math.isclose(k, -1.0, rel_tol=TIGHT) for k in factors):
        return f"{catalogue.ASCENT.text} (Your step is minus the right one.)"
    if factors:
        what = "your step (new − old weights) is"
        named = name_factor(q, factors, right, inputs, names, what=what, counts=False)
        if named:
            if named.startswith(catalogue.FACTOR.text):
                return named.replace(catalogue.FACTOR.text, catalogue.STEP_FACTOR.text, 1)
            return named
    for how, reduce in (
        ("the mean of the gradient's rows (axis 0)", lambda s: np.mean(s, axis=0, keepdims=True)),
        ("the sum of the gradient's rows (axis 0)", lambda s: np.sum(s, axis=0, keepdims=True)),
        ("one number, the mean of the whole gradient", lambda s: np.mean(s)),
        ("one number, the sum of the whole gradient", lambda s: np.sum(s)),
    ):
        if all(
            a.shape == b.shape and _same(a, np.broadcast_to(reduce(b), b.shape))
            for a, b in zip(steps, right, strict=True)
        ) and not all(_same(a, b) for a, b in zip(steps, right, strict=True)):
            return (
                f"{catalogue.OVER_REDUCED.text} (Your step moves every weight by {how}: each "
                "weight needs its own entry of the gradient.)"
            )
    return None


def _softmax(a: np.ndarray) -> np.ndarray:
    z = a - np.max(a, axis=-1, keepdims=True)
    e = np.exp(z)
    return e / np.sum(e, axis=-1, keepdims=True)


def _is_distribution(a: np.ndarray) -> bool:
    return bool(np.all(a >= 0) and np.all(a <= 1) and np.allclose(np.sum(a, axis=-1), 1.0))


def _input_transforms(inputs, names):
    """(name of the mistake, feedback, transform of one test input) for each input
    transform a catalogued mistake applies."""
    first = inputs[0]
    for i, (name, a) in enumerate(zip(names, first, strict=False)):
        if not isinstance(a, np.ndarray):
            continue
        if a.dtype.kind == "f" and a.ndim in (1, 2) and a.size > 1:
            if _is_distribution(a):
                mistake = catalogue.DOUBLE_SOFTMAX
                detail = f"(Your output is what the right function gives when handed softmax({name}): {name} already holds probabilities.)"
            elif "logit" in name.lower():  # a loss on logits applies the softmax itself
                mistake = catalogue.DOUBLE_SOFTMAX
                detail = f"(Your function gives the right result for softmax({name}): a softmax on the logits, then the one the loss applies.)"
            else:
                mistake = catalogue.SOFTMAX_TOO_MANY
                detail = f"(Your output is what the right function gives when handed softmax({name}) instead of {name}: one softmax too many.)"
            yield mistake, detail, _replace(i, _softmax_any)
            if "logit" in name.lower() or name in ("z", "Z", "L"):
                for c in (50.0, 100.0, 500.0, 700.0):  # "to avoid the overflow"
                    yield (
                        catalogue.CLIPPED_LOGITS,
                        f"(Your output is what the right function gives when handed "
                        f"np.clip({name}, −{c:g}, {c:g}).)",
                        _replace(i, lambda v, c=c: np.clip(v, -c, c)),
                    )
            if np.all((a > 0) & (a < 1)):
                yield (
                    catalogue.SIGMOID_ON_PROBS,
                    f"(Your output is what the right function gives when handed σ({name}) instead of {name}.)",
                    _replace(i, lambda v: 1 / (1 + np.exp(-v))),
                )
            if a.ndim == 2 and a.shape[0] != a.shape[1]:
                yield (
                    catalogue.WRONG_AXIS,
                    f"(Your function works along the other axis of {name}: what the right "
                    f"function gives for {name}.T.)",
                    _replace(i, lambda v: v.T),
                )
        if a.dtype.kind in "iu" and a.ndim == 1:
            yield (
                catalogue.LABELS_FROM_ONE,
                f"(Your function picks the class before each label, {name} − 1.)",
                _replace(i, lambda v: v - 1),
            )
            others = [
                j
                for j, b in enumerate(first)
                if isinstance(b, np.ndarray) and b.ndim == 2 and b.dtype.kind == "f"
            ]
            if others:
                j = others[0]
                yield (
                    catalogue.WRONG_CLASS,
                    f"(Your function uses each row's largest entry, the predicted class, not "
                    f"the label {name}.)",
                    _predicted(i, j),
                )


def _replace(i, fn):
    def transform(args):
        args = list(args)
        args[i] = fn(np.array(args[i], copy=True))
        return tuple(args)

    return transform


def _softmax_any(v):
    return _softmax(np.asarray(v, dtype=float))


def _predicted(i, j):
    def transform(args):
        args = list(args)
        args[i] = np.argmax(args[j], axis=-1).astype(args[i].dtype)
        return tuple(args)

    return transform


def _transformed_input(q, g, e, inputs, names, reference, call) -> str | None:
    """The right function applied to a transformed input: the same mistake on the way in."""
    for mistake, detail, transform in _input_transforms(inputs, names):
        try:
            shown = call(reference, [transform(args) for args in inputs])
            shown = [np.asarray(x, dtype=float) for x in shown]
        except LEARNER_ERRORS:
            continue
        if _all_same(shown, e):
            continue  # the transform changes nothing here: it proves nothing
        if _all_same(g, shown):
            return f"{mistake.text} {detail}"
        factors = _factor(g, shown)
        if factors:
            named = name_factor(q, factors, shown, inputs, names)
            if named and not named.startswith(catalogue.FACTOR.name):
                return f"Two slips. {named} And: {mistake.text} {detail}"
    return None


def _transformed_output(q, g, e, inputs, names, reference, call) -> str | None:
    """The log, exponential, complement or square of the right outputs."""
    probabilities = all(_is_distribution(b) for b in e)
    candidates = (
        (
            np.log,
            catalogue.LOG_SOFTMAX if probabilities else catalogue.LOG_OF_ANSWER,
            "(Your function returns the log of the right output.)",
        ),
        (np.exp, catalogue.LOG_OF_ANSWER, "(Your function returns e to the right output.)"),
        (
            lambda b: 1 - b,
            catalogue.COMPLEMENT,
            "(Your function returns one minus the right output.)",
        ),
        (np.square, catalogue.FACTOR, "(Your function returns the square of the right output.)"),
    )
    with np.errstate(all="ignore"):
        for transform, mistake, detail in candidates:
            shown = [transform(b) for b in e]
            finite = all(np.all(np.isfinite(s)) for s in shown)
            if finite and _all_same(g, shown) and not _all_same(g, e):
                return f"{mistake.text} {detail}"
    return None


def _wrong_axis(q, g, e, inputs, names, reference, call) -> str | None:
    """A 2-D input read along the wrong axis: the right function of its transpose."""
    for mistake, detail, transform in _input_transforms(inputs, names):
        if mistake is not catalogue.WRONG_AXIS:
            continue
        try:
            shown = [
                np.asarray(x, dtype=float) for x in call(reference, [transform(a) for a in inputs])
            ]
        except LEARNER_ERRORS:
            continue
        if _all_same(g, shown) or all(
            a.ndim == 2 and _same(a, b.T) for a, b in zip(g, shown, strict=True)
        ):
            return f"{mistake.text} {detail}"
    return None
