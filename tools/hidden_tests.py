"""The tests of a graded problem set, written as code for nbgrader's "Autograder tests" cells.

Every exercise of the course (an :class:`xentlib.exercises.Exercise`) becomes two test cells:

- a **visible test** (:data:`VISIBLE_POINTS`): an answer was given, of the right type and
  shape (a number, a letter among the options, a function that returns an array of the
  reference's shape). Students see it and can run it.
- a **hidden test** (:data:`HIDDEN_POINTS`): the answer is correct. Its code sits between
  ``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS``; ``nbgrader generate_assignment``
  strips it from the student version and ``nbgrader autograde`` puts it back.

The hidden tests do not call the course's ``check()``, and a function is not tried on the
exercise's ``test_inputs`` (a student can run those in xentlib, and could even return the
right outputs for them alone) except in the fallback below. Instead:

- **function** exercises: the student's function is called on **fresh inputs**, made from
  the exercise's test inputs by a seeded perturbation that keeps each argument's kind
  (:func:`perturb`), and its outputs are compared with **known answers**, computed here
  from the course's reference and written into the test as literals (the test needs
  neither xentlib nor the reference when it runs). Tolerances are the exercise's own
  ``rtol`` and ``atol``.
- **value** exercises: the expected number is written into the test and compared to the
  exercise's significant ``digits`` (within half a unit of the last digit asked for); a
  count (an integer answer) must be exact.
- **choice** exercises: the letter, read as the course reads it ('(b)', 'B)', ' b ').

:func:`fresh_cases` only accepts fresh inputs that keep the test honest: the reference
gives finite results where it did on the original inputs, at least one answer differs
from the original ones, and **every misconception the course's check rejects is also
rejected by the hidden test** (:func:`hidden_passes` runs the very code that goes into
the notebook). When no seed gives such inputs (the labels and probabilities of a threshold
exercise, say, lose their meaning once shuffled), :func:`tests_for` falls back to the
exercise's own test inputs (:func:`course_cases`): still hidden from the notebook, though a
student who reads xentlib's source could find them. If even those let a misconception
through, building the assignment fails with the exercise's name.

>>> import numpy as np
>>> print(literal(np.array([[0.5, 1.0]])))
np.array([[0.5, 1.0]], dtype=np.float64)
>>> literal((np.array([0, 2]), 0.1, float("inf")))
"(np.array([0, 2], dtype=np.int64), 0.1, float('inf'))"
"""

from __future__ import annotations

import math
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

import xentlib

VISIBLE_POINTS = 1
HIDDEN_POINTS = 2
SEEDS_TRIED = 50  # seeded draws of fresh inputs tried before giving up on an exercise
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
HIDDEN_NOTE = "# Hidden tests, run when your work is graded, check that the answer is right."


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


def _outputs(fn: Callable, inputs) -> list[np.ndarray]:
    with np.errstate(all="ignore"):
        return [np.asarray(fn(*_copies(args)), dtype=float) for args in inputs]


def _same(got: np.ndarray, want: np.ndarray, q) -> bool:
    if got.shape != want.shape and not got.size == want.size == 1:
        return False
    with np.errstate(invalid="ignore"):
        return bool(
            np.allclose(got.reshape(want.shape), want, rtol=q.rtol, atol=q.atol, equal_nan=True)
        )


def _seed(q, seed: int, attempt: int) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(q.label.encode()), attempt])


def fresh_cases(q, name: str, *, seed: int = 0):
    """Fresh inputs for function exercise ``q`` and the reference's outputs on them.

    Tries seeded draws until one keeps the hidden test honest (see the module docstring);
    ``name`` is what the student's function is called in the notebook.
    """
    original = _outputs(q.answer, q.test_inputs)
    caught = [m for m, _ in q.misconceptions if callable(m) and not q.check(m).passed]
    problems: list[str] = []
    for attempt in range(SEEDS_TRIED):
        rng = _seed(q, seed, attempt)
        inputs = [tuple(perturb(a, rng) for a in args) for args in q.test_inputs]
        try:
            expected = _outputs(q.answer, inputs)
        except Exception as exc:  # the reference refuses these inputs: draw again
            problems = [f"the reference raised {type(exc).__name__}: {exc}"]
            continue
        cases = list(zip(inputs, expected, strict=True))
        code = hidden_function_test(q, name, cases)
        problems = []
        if any(
            np.all(np.isfinite(o)) and not np.all(np.isfinite(e))
            for o, e in zip(original, expected, strict=True)
        ):
            problems.append("the reference is not finite on them")
        if all(_same(e, o, q) for e, o in zip(expected, original, strict=True)):
            problems.append("every answer equals an original one")
        if not hidden_passes(code, name, q.answer):
            problems.append("the reference fails the hidden test")
        missed = [m for m in caught if hidden_passes(code, name, m)]
        if missed:
            problems.append(f"{len(missed)} misconception(s) pass")
        if not problems:
            return cases
    raise HiddenTestError(
        f"{q.label}: no fresh inputs in {SEEDS_TRIED} seeded draws keep its hidden test "
        f"honest (last draw: {'; '.join(problems)}). Give this exercise test inputs of a "
        "kind tools/hidden_tests.perturb recognises, or teach perturb the new kind."
    )


def course_cases(q, name: str):
    """The exercise's own test inputs and the reference's outputs on them (the fallback)."""
    cases = list(zip(q.test_inputs, _outputs(q.answer, q.test_inputs), strict=True))
    code = hidden_function_test(q, name, cases)
    caught = [m for m, _ in q.misconceptions if callable(m) and not q.check(m).passed]
    if not hidden_passes(code, name, q.answer) or any(hidden_passes(code, name, m) for m in caught):
        raise HiddenTestError(f"{q.label}: even its own test inputs make no honest hidden test.")
    return cases


# ---- the test cells' code ---------------------------------------------------------------------
def hidden_block(body: str) -> str:
    """``body`` between the hidden-test markers, under a note for the student."""
    return f"{HIDDEN_NOTE}\n{BEGIN_HIDDEN}\n{body.strip()}\n{END_HIDDEN}"


def hidden_function_test(q, name: str, cases) -> str:
    """The hidden test of function exercise ``q``: ``name`` on fresh inputs, known answers."""
    inputs = "\n".join(f"    {literal(args)}," for args, _ in cases)
    expected = "\n".join(f"    {literal(out)}," for _, out in cases)
    return hidden_block(f"""
_inputs = [
{inputs}
]
_expected = [
{expected}
]
for _args, _want in zip(_inputs, _expected):
    with np.errstate(all="ignore"):
        _got = np.asarray({name}(*_args), dtype=float)
    if _got.size == _want.size == 1:
        _got = _got.reshape(_want.shape)
    assert _got.shape == _want.shape, (
        f"{name} returned shape {{_got.shape}} on a hidden input; expected {{_want.shape}}"
    )
    assert np.allclose(_got, _want, rtol={q.rtol!r}, atol={q.atol!r}, equal_nan=True), (
        "{name} gives a wrong result on a hidden input"
    )
""")


def hidden_value_test(q, name: str) -> str:
    """The hidden test of value exercise ``q``: ``q.digits`` significant digits, or exact."""
    expected = np.asarray(q.answer)
    if isinstance(q.answer, (int, np.integer)) and not isinstance(q.answer, bool):
        return hidden_block(f"""
assert np.asarray({name}).shape == () and {name} == {int(q.answer)}, (
    "{name} is not the right count (a count must be exact)"
)
""")
    return hidden_block(f"""
_want = {literal(expected.astype(float))}
_got = np.asarray({name}, dtype=float)
if _got.size == _want.size == 1:
    _got = _got.reshape(_want.shape)
_scale = np.where(_want != 0, np.abs(_want), 1.0)
_half_unit = 0.5 * 10.0 ** (np.floor(np.log10(_scale)) + 1 - {q.digits})
assert _got.shape == _want.shape and np.all(np.abs(_got - _want) <= _half_unit), (
    "{name} is not right to {q.digits} significant digits"
)
""")


_LETTER = r"^[\s(\[\"']*([a-z])(?:[\s)\]\"'.,:;]+.*|)$"


def _letter_code(name: str) -> str:
    return (
        f"_words = ' '.join(str({name}).strip().lower().split())\n"
        f"_letter = re.match(r{_LETTER!r}, _words)"
    )


def hidden_choice_test(q, name: str) -> str:
    """The hidden test of choice exercise ``q``: the right letter, read as check() reads it."""
    return hidden_block(f"""
import re

{_letter_code(name)}
assert _letter is not None and _letter.group(1) == {q.answer.strip().lower()!r}, (
    "{name} is not the right option"
)
""")


def options(q) -> str:
    """The option letters of a choice exercise, from its prompt's '(a)', '(b)', …"""
    letters = sorted(set(re.findall(r"\(([a-z])\)", q.prompt)))
    return "".join(letters) or "abcd"


def _shape_ok(name: str, shape: tuple) -> str:
    """A condition: ``name`` has ``shape`` (a single number may come as a 1-element array)."""
    return f"np.size({name}) == 1" if math.prod(shape) == 1 else f"np.shape({name}) == {shape!r}"


def visible_test(q, name: str) -> str:
    """The visible test: an answer of the right kind was given (never whether it is right)."""
    intro = "# An answer was given, of the right kind (hidden tests check it is right)."
    if q.kind == "choice":
        listed = ", ".join(options(q))
        return f"""{intro}
import re

assert isinstance({name}, str), "{name} should be a letter in quotes, such as 'a'"
{_letter_code(name)}
assert _letter is not None and _letter.group(1) in {options(q)!r}, (
    f"{name} should be one of the options {listed}, got {{{name}!r}}"
)"""
    if q.kind == "value":
        shape = np.shape(q.answer)
        kind = "an integer" if isinstance(q.answer, (int, np.integer)) else "a number"
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
    first = q.test_inputs[0]
    shape = np.shape(np.asarray(q.answer(*_copies(first)), dtype=float))
    return f"""{intro}
assert callable({name}), "{name} should be a function: define it in the cell above"
with np.errstate(all="ignore"):
    _out = {name}(*{literal(first)})
assert _out is not None, "{name} returned None: did you forget `return`?"
assert {_shape_ok("_out", shape)}, (
    f"{name} should return an array of shape {shape}, got {{np.shape(_out)}}"
)"""


@dataclass(frozen=True)
class Tests:
    """The two test cells of one exercise."""

    visible: str
    hidden: str


def tests_for(q, name: str, *, seed: int = 0) -> Tests:
    """The visible and hidden test of exercise ``q``, whose answer is named ``name``."""
    if q.kind == "function":
        try:
            cases = fresh_cases(q, name, seed=seed)
        except HiddenTestError:
            cases = course_cases(q, name)
        hidden = hidden_function_test(q, name, cases)
    elif q.kind == "value":
        hidden = hidden_value_test(q, name)
    else:
        hidden = hidden_choice_test(q, name)
    return Tests(visible_test(q, name), hidden)


# ---- running a test outside a notebook ----------------------------------------------------
def run_test(code: str, namespace: dict) -> bool:
    """Run a test cell's code (hidden region included) in ``namespace``; did it pass?"""
    body = code.replace(BEGIN_HIDDEN, "").replace(END_HIDDEN, "")
    try:
        exec(compile(body, "<test>", "exec"), {"np": np, "xl": xentlib, **namespace})
    except Exception:  # an assertion, or an error in the answer: either way it fails
        return False
    return True


def hidden_passes(code: str, name: str, answer) -> bool:
    """Does ``answer``, bound to ``name``, pass the test ``code``?"""
    return run_test(code, {name: answer})
