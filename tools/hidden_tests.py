"""What a graded problem's test cells hold, and the hidden inputs of its function variants.

Every graded problem (:mod:`tools.make_assignments`) has two graded cells:

- a **visible test** (:data:`VISIBLE_POINTS`), in the student's notebook: an answer was
  given, of the right kind and shape (a number, a letter among the options, a function that
  returns an array of the right shape on a public example). Students run it; the grader does
  not trust it and checks the same thing itself (:mod:`tools.grading.judge`);
- a **judged cell** (:data:`HIDDEN_POINTS`): the answer is right. It holds no test: the
  grader (``tools/grade.py``) reads the student's answers out of a sandbox as data and
  compares them, in its own process, with the answers of the student's own variant
  (:mod:`tools.grading.variants`). In the teacher's version it raises, so that ``nbgrader
  autograde`` never gives these points.

A function is judged on **hidden inputs**, made from the exercise's public test inputs by
:func:`perturb` with a generator seeded from the teacher's secret: labels stay labels,
distributions stay distributions, huge logits stay huge.

>>> import numpy as np
>>> print(literal(np.array([[0.5, 1.0]])))
np.array([[0.5, 1.0]], dtype=np.float64)
>>> literal((np.array([0, 2]), 0.1, float("inf")))
"(np.array([0, 2], dtype=np.int64), 0.1, float('inf'))"
"""

from __future__ import annotations

import math

import numpy as np

from tools.grading.judge import LETTER

VISIBLE_POINTS = 1
HIDDEN_POINTS = 2
SEEDS_TRIED = 50  # draws of hidden inputs tried before giving up on an exercise
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
HIDDEN_NOTE = (
    "# Judged after you submit, outside this notebook: your answer on your own hidden inputs."
)


class HiddenTestError(RuntimeError):
    """An exercise for which no honest hidden test could be written."""


# ---- Python source for values ------------------------------------------------------------
def _float(x: float) -> str:
    return repr(float(x)) if math.isfinite(x) else f"float({str(float(x))!r})"


def _nested(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_nested(v) for v in value) + "]"
    if isinstance(value, float):
        return _float(value)
    return repr(value)


def literal(value) -> str:
    """Python source that rebuilds ``value`` (numbers, strings, NumPy arrays, tuples)."""
    if isinstance(value, np.ndarray):
        return f"np.array({_nested(value.tolist())}, dtype=np.{value.dtype.name})"
    if isinstance(value, tuple):
        inner = ", ".join(literal(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, (bool, np.bool_)):
        return repr(bool(value))
    if isinstance(value, (int, np.integer)):
        return repr(int(value))
    if isinstance(value, (float, np.floating)):
        return _float(value)
    if isinstance(value, str):
        return repr(value)
    raise TypeError(f"no literal for {type(value).__name__}: {value!r}")


# ---- fresh inputs --------------------------------------------------------------------------
def _redraw(values: np.ndarray, rng) -> np.ndarray:
    """About half the entries redrawn from the values present, then shuffled."""
    flat = values.ravel().copy()
    present = np.unique(flat)
    redraw = rng.random(flat.size) < 0.5
    flat[redraw] = rng.choice(present, size=int(redraw.sum()))
    return rng.permutation(flat).reshape(values.shape)


def perturb(arg, rng):
    """A fresh argument of the same kind, shape and dtype as ``arg``.

    Numbers (learning rates, epochs) are kept. Arrays are recognised by their values:

    - integers (class labels) and 0/1 arrays: entries redrawn from the values present and
      shuffled; one-hot rows stay one-hot;
    - rows that are probability distributions: each non-zero entry multiplied by a random
      factor, then renormalised (zeros stay zero, so a '0 · log 0' case survives);
    - probabilities in [0, 1]: moved on the logit scale (exact 0 and 1 stay);
    - positive numbers (weights): multiplied by a random factor;
    - anything else (logits, features): Gaussian noise of 15 % of each entry's size plus
      30 % of the typical size, so huge logits stay huge and small ones stay small.
    """
    if not isinstance(arg, np.ndarray) or arg.size == 0 or arg.dtype.kind not in "iuf":
        return arg
    if arg.dtype.kind in "iu":
        return _redraw(arg, rng)
    a = arg
    if not np.all(np.isfinite(a)):  # infinities and NaN are the point of such an input
        out = a.copy()
        finite = np.isfinite(a)
        out[finite] = a[finite] + rng.normal(scale=0.3, size=int(finite.sum()))
        return out
    binary = bool(np.all((a == 0) | (a == 1)))
    rows_sum_to_one = a.shape[-1] > 1 and bool(np.allclose(a.sum(axis=-1), 1.0))
    if binary and rows_sum_to_one and np.all(a.sum(axis=-1) == 1):  # one-hot rows
        labels = _redraw(a.argmax(axis=-1), rng)
        return np.eye(a.shape[-1], dtype=a.dtype)[labels]
    if binary:
        return _redraw(a, rng)
    if rows_sum_to_one and np.all(a >= 0):
        scaled = a * np.exp(rng.normal(scale=0.5, size=a.shape))
        return (scaled / scaled.sum(axis=-1, keepdims=True)).astype(a.dtype)
    if np.all((a >= 0) & (a <= 1)):
        inner = (a > 0) & (a < 1)
        out = a.copy()
        logit = np.log(a[inner] / (1 - a[inner])) + rng.normal(scale=0.5, size=int(inner.sum()))
        out[inner] = 1 / (1 + np.exp(-logit))
        return out
    if np.all(a > 0):
        return (a * np.exp(rng.normal(scale=0.3, size=a.shape))).astype(a.dtype)
    typical = float(np.median(np.abs(a))) or 1.0
    scale = 0.15 * np.abs(a) + 0.3 * typical
    return (a + scale * rng.normal(size=a.shape)).astype(a.dtype)


def _copies(args: tuple) -> list:
    return [a.copy() if isinstance(a, np.ndarray) else a for a in args]


def _same(got: np.ndarray, want: np.ndarray, q) -> bool:
    if got.shape != want.shape and not got.size == want.size == 1:
        return False
    with np.errstate(invalid="ignore"):
        return bool(
            np.allclose(got.reshape(want.shape), want, rtol=q.rtol, atol=q.atol, equal_nan=True)
        )


# ---- the test cells' code ---------------------------------------------------------------------
def judged_cell() -> str:
    """The code of a judged cell: a note for the student; in the teacher's version, a line that
    fails, so that `nbgrader autograde` (which would run student code in its kernel and
    trust its result) can never give these points: tools/grade.py judges them."""
    return (
        f"{HIDDEN_NOTE}\n{BEGIN_HIDDEN}\n"
        "raise RuntimeError(\"judged by tools/grade.py outside the student's kernel: "
        'see docs/grading.md")\n'
        f"{END_HIDDEN}"
    )


def _letter_code(name: str) -> str:
    # {LETTER!r} is a plain string literal whose backslashes are escaped once: the regex the
    # kernel compiles is exactly judge.LETTER (an r-prefix here doubled them, rejecting '(a)').
    return (
        f"_words = ' '.join(str({name}).strip().lower().split())\n"
        f"_letter = re.match({LETTER!r}, _words)"
    )


def options(p) -> str:
    """The option letters of a graded choice problem (its variants all offer as many)."""
    from tools.grading import variants

    spec = p.spec
    return variants.LETTERS[: len(spec.answer(**spec.draw(np.random.default_rng(0))))]


def _shape_ok(name: str, shape: tuple) -> str:
    """A condition: ``name`` has ``shape`` (a single number may come as a 1-element array)."""
    return f"np.size({name}) == 1" if math.prod(shape) == 1 else f"np.shape({name}) == {shape!r}"


def visible_test(p) -> str:
    """The visible test of graded problem ``p`` (a :class:`tools.make_assignments.Problem`):
    an answer of the right kind was given, never whether it is right."""
    q, name = p.exercise, p.name
    intro = "# An answer was given, of the right kind (your answers are graded after you submit)."
    if q.kind == "choice":
        letters = options(p)
        return f"""{intro}
import re

assert isinstance({name}, str), "{name} should be a letter in quotes, such as 'a'"
{_letter_code(name)}
assert _letter is not None and _letter.group(1) in {letters!r}, (
    f"{name} should be one of the options {", ".join(letters)}, got {{{name}!r}}"
)"""
    if q.kind == "value":
        sample = p.spec.answer(**p.spec.draw(np.random.default_rng(0)))
        shape = np.shape(sample)
        kind = "an integer" if p.spec.exact else "a number"
        if shape:
            kind = f"an array of shape {shape}"
        return f"""{intro}
assert {name} is not None and {name} is not ..., "set {name} to your answer"
assert np.asarray({name}).dtype.kind in "iuf", (
    f"{name} should be {kind}, got {{type({name}).__name__}}"
)
assert {_shape_ok(name, shape)}, (
    f"{name} should be {kind}, got shape {{np.shape({name})}}"
)"""
    shape = example_shape(p)
    return f"""{intro}
assert callable({name}), "{name} should be a function: define it in the cell above"
with np.errstate(all="ignore"):
    _out = {name}(*{literal(p.example)})
assert _out is not None, "{name} returned None: did you forget `return`?"
assert {_shape_ok("_out", shape)}, (
    f"{name} should return an array of shape {shape}, got {{np.shape(_out)}}"
)"""


def example_shape(p) -> tuple:
    """The shape of a function's output on its public example."""
    return np.shape(np.asarray(p.exercise._answer(*_copies(p.example)), dtype=float))
