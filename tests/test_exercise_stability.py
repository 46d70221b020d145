"""Exercises about numerical stability test the extreme inputs their lesson is about (issue
22): the unstable code each lesson warns against is rejected, with feedback that names it.

Every function exercise of the course is in one of the two tables below: AUDITED (its
lesson is about stability, and it is tried here with the unstable implementations learners
write) or NOT_ABOUT_STABILITY (with the reason). A new function exercise fails
``test_every_function_exercise_is_audited`` until someone decides which.
"""

import numpy as np
import pytest

import xentlib as xl
from xentlib.exercises import all_exercises, lesson
from xentlib.exercises import lesson12 as _lesson12
from xentlib.exercises._kinds import outputs


# ---- the unstable implementations, as learners write them ------------------------------------
def mean_nll_via_product(probs, y):  # −log Π q / N: the product underflows at N = 2000
    return -np.log(np.prod(probs[np.arange(len(y)), y])) / len(y)


def batch_loss_global_max(logits, y):  # log-sum-exp shifted by one max for the whole batch
    m = np.max(logits)
    lse = m + np.log(np.sum(np.exp(logits - m), axis=1))
    return np.mean(lse - logits[np.arange(len(y)), y])


def batch_loss_unshifted(logits, y):  # log Σ exp(z) as written: exp(1000) = inf
    return np.mean(np.log(np.sum(np.exp(logits), axis=1)) - logits[np.arange(len(y)), y])


def grad_unshifted_softmax(logits, y):  # softmax without the max-shift: NaN at a logit of 1000
    e = np.exp(logits)
    return (e / e.sum(axis=1, keepdims=True) - np.eye(logits.shape[1])[y]) / len(y)


def keras_softmax_layer(logits, y):  # "fixed" with a softmax layer: Keras still clips at 1e-7
    return np.mean(_lesson12._keras_crossentropy(y, xl.softmax(logits)))


def keras_exp_normalised(logits, y):  # exp of the logits, normalised: exp(800) = inf
    return np.mean(_lesson12._keras_crossentropy(y, np.exp(logits)))


def keras_smaller_clip(logits, y):  # the clip moved to 1e-12: still a cap, at 27.6 nats
    probs = np.clip(xl.softmax(logits), 1e-12, 1 - 1e-12)
    return -np.mean(np.log(probs[np.arange(len(y)), y]))


def loss_via_probs(logits, y):  # right formula, probabilities first: inf once one underflows
    return xl.cross_entropy(y, probs=xl.softmax(logits))


def softmax_global_max(z):
    e = np.exp(z - np.max(z))
    return e / e.sum(axis=-1, keepdims=True)


def lse_unshifted(z):
    return np.log(np.sum(np.exp(z), axis=-1))


def bce_sigmoid_then_log(z, y):
    q = 1 / (1 + np.exp(-z))
    return -np.mean(y * np.log(q) + (1 - y) * np.log(1 - q))


def clipped_loss_tiny_clip(logits, y):
    probs = np.clip(xl.softmax(logits), 1e-300, 1.0)
    return -np.mean(np.log(probs[np.arange(len(y)), y]))


def clip_unshifted(S):  # CLIP's loss with exp unshifted
    rows = np.mean(np.log(np.exp(S).sum(axis=1)) - np.diag(S))
    cols = np.mean(np.log(np.exp(S).sum(axis=0)) - np.diag(S))
    return (rows + cols) / 2


def clip_global_max(S):  # one max for the whole matrix
    m = S.max()
    rows = np.mean(m + np.log(np.exp(S - m).sum(axis=1)) - np.diag(S))
    cols = np.mean(m + np.log(np.exp(S - m).sum(axis=0)) - np.diag(S))
    return (rows + cols) / 2


# (lesson, exercise, unstable implementation, what the feedback must name, what it does)
AUDITED = [
    (3, "q4", mean_nll_via_product, "A product that underflows", "inf at N = 2000"),
    (4, "q2", softmax_global_max, "One global max", "nan for the row [-1000, 0]"),
    (4, "q3", lse_unshifted, "No max-shift", "inf at a logit of 1000"),
    (4, "q7", batch_loss_global_max, "One global max", "-inf for a row 999 below the max"),
    (4, "q7", batch_loss_unshifted, "No max-shift", "inf at a logit of 1000"),
    (4, "q7", loss_via_probs, "Right formula, unstable route", "inf at a logit 800 below"),
    (5, "q2", grad_unshifted_softmax, "No max-shift", "nan at a logit of 1000"),
    (9, "q2", bce_sigmoid_then_log, "with-logits", "inf at z = 40"),
    (12, "q2", loss_via_probs, "Overflow or log(0)", "inf at a logit 800 below"),
    (12, "q9", keras_softmax_layer, "caps the loss", "16.12 instead of 20.69 at a gap of 20"),
    (12, "q9", keras_exp_normalised, "No max-shift", "nan at a logit of 800"),
    (12, "q9", keras_smaller_clip, "caps the loss", "27.6 instead of 800 at a gap of 800"),
    (12, "q9", loss_via_probs, "Overflow or log(0)", "inf at a logit 800 below"),
    (12, "q10", batch_loss_unshifted, "No max-shift", "inf at a logit of 800"),
    (12, "q10", batch_loss_global_max, "One global max", "-inf for the row (0, 1, 2)"),
    (12, "q10", clipped_loss_tiny_clip, "caps the loss", "690.8 instead of 800"),
    (14, "q9", clip_unshifted, "No max-shift", "nan at logits of ±1000"),
    (14, "q9", clip_global_max, "One global max", "-inf for a row 1000 below the max"),
]

NOT_ABOUT_STABILITY = {
    "00 q2": "the start: surprise of tame probabilities",
    "00 q4": "the start: mean of logs versus log of mean",
    "01 q3": "0 · log 0 = 0 is tested ([1, 0, 0]); nothing over- or underflows",
    "02 q4": "q has no zeros by the question's terms; a confident miss (q = 0.002) is tested",
    "03 q6": "a grid search over θ in [0.01, 0.99]: every log is finite",
    "05 q5": "about the Jacobian: the learner debugs the chain rule given xl.softmax",
    "06 q2": "takes probabilities P, already computed",
    "06 q3": "one update step",
    "06 q6": "a softmax-axis bug in a training loop on tame data, with xl.softmax",
    "07 q1": "tanh'(a) from h: no exp, no log",
    "07 q3": "backprop through tanh: no exp, no log",
    "07 q5": "a double softmax in a training loop, with xentlib's stable loss",
    "09 q1": "probabilities strictly inside (0, 1) by the question's terms (q2 is the stable one)",
    "10 q5": "the squared error's gradient through xl.softmax on moderate logits",
    "10 q6": "the hinge loss: no exp, no log",
    "11 q2": "choosing a threshold",
    "12 q3": "probabilities with no zeros into nll_loss: a question of what it expects",
    "12 q4": "mean vs sum and the learning rate",
    "12 q5": "the weighted mean's denominator",
    "12 q8": "the ignore_index mean's denominator",
    "13 q8": "add-k on counts: a division by totals that k > 0 keeps positive (zero rows tested)",
}


def _label(q) -> str:
    return f"{q.lesson:02d} {q.name}"


def test_every_function_exercise_is_audited():
    audited = {f"{n:02d} {name}" for n, name, *_ in AUDITED}
    functions = {_label(q) for q in all_exercises() if q.kind == "function"}
    assert audited & set(NOT_ABOUT_STABILITY) == set()
    assert functions == audited | set(NOT_ABOUT_STABILITY), (
        f"unaudited: {functions - audited - set(NOT_ABOUT_STABILITY)}; "
        f"gone: {(audited | set(NOT_ABOUT_STABILITY)) - functions}"
    )


@pytest.mark.parametrize(
    ("number", "name", "unstable", "named", "does"),
    AUDITED,
    ids=[f"{n:02d} {q}: {f.__name__}" for n, q, f, *_ in AUDITED],
)
def test_the_unstable_code_the_lesson_warns_against_is_rejected_and_named(
    number, name, unstable, named, does
):
    q = getattr(lesson(number), name)
    result = q.check(unstable)
    assert not result.passed and result.status == "incorrect"
    assert named.lower() in result.message.lower(), result.message
    # It is rejected for the reason the lesson teaches: on the exercise's extreme input it
    # is not finite, or capped below the exact loss, where the reference is finite.
    given, _ = outputs(unstable, q.test_inputs)
    expected, _ = outputs(q.answer, q.test_inputs)
    assert all(np.all(np.isfinite(e)) for e in expected)
    broken = [
        not np.all(np.isfinite(g)) or np.any(np.asarray(g) < np.asarray(e) - 1.0)
        for g, e in zip(given, expected, strict=True)
    ]
    assert any(broken), f"{q.label}: {unstable.__name__} is fine on every test input ({does})"
    assert not all(broken), f"{q.label}: no tame input shows the formula itself is right"


@pytest.mark.parametrize(
    ("number", "name", "stable"),
    [
        (3, "q4", lambda probs, y: -np.mean(np.log(probs[np.arange(len(y)), y]))),
        (4, "q7", lambda logits, y: -np.mean(xl.log_softmax(logits)[np.arange(len(y)), y])),
        (5, "q2", lambda logits, y: (xl.softmax(logits) - np.eye(logits.shape[1])[y]) / len(y)),
        (12, "q2", lambda logits, y: xl.cross_entropy(y, logits=xl.log_softmax(logits))),
        (12, "q9", lambda logits, y: xl.cross_entropy(y, logits=logits)),
    ],
    ids=["03 q4", "04 q7", "05 q2", "12 q2", "12 q9"],
)
def test_the_stable_code_in_the_lessons_notation_is_accepted(number, name, stable):
    """The extreme inputs reject only the unstable route, never a right one."""
    assert getattr(lesson(number), name).check(stable).passed


def test_12_q9s_numbers_are_the_issues():
    """16.12 instead of 20.69 nats at a logit gap of 20."""
    logits, y = np.array([[0.0, 20.0, 20.0]]), np.array([0])
    assert float(xl.cross_entropy(y, logits=logits)) == pytest.approx(20.69, abs=0.005)
    assert keras_softmax_layer(logits, y) == pytest.approx(16.12, abs=0.005)


# ---- every shift but each row's own max, in every exercise that promises any finite logits ---
# (issue 22, third learner: a shift by the row's *mean* was accepted by 04 q2, q3, q7, 12 q2)
def _row_mean(z):
    return z.mean(axis=-1, keepdims=True)


def _global_max(z):
    return np.max(z)


def _no_shift(z):
    return 0.0


def _lse(z, shift):
    m = shift(z)
    return (m + np.log(np.sum(np.exp(z - m), axis=-1, keepdims=True)))[..., 0]


def _softmax(z, shift):
    e = np.exp(z - shift(z))
    return e / e.sum(axis=-1, keepdims=True)


def _losses(z, y, shift):
    return _lse(z, shift) - z[np.arange(len(y)), y]


def _softplus(t, shift):  # log(1 + e^t) = log-sum-exp of (0, t), shifted by shift of the pair
    pair = np.stack([np.zeros_like(t), t], axis=-1)
    return _lse(pair, shift)


# How a learner writes each exercise with a given shift (the lesson's notation).
WRITTEN_WITH = {
    "04 q2": lambda shift: lambda z: _softmax(z, shift),
    "04 q3": lambda shift: lambda z: _lse(z, shift),
    "04 q7": lambda shift: lambda logits, y: np.mean(_losses(logits, y, shift)),
    "05 q2": lambda shift: (
        lambda logits, y: (_softmax(logits, shift) - np.eye(logits.shape[1])[y]) / len(y)
    ),
    "09 q2": lambda shift: lambda z, y: np.mean(_softplus(z, shift) - z * y),
    "12 q2": lambda shift: lambda logits, y: np.mean(_losses(logits, y, shift)),
    "12 q5": lambda shift: (
        lambda logits, y, w: np.sum(w[y] * _losses(logits, y, shift)) / np.sum(w[y])
    ),
    "12 q9": lambda shift: lambda logits, y: np.mean(_losses(logits, y, shift)),
    "12 q10": lambda shift: lambda logits, y: np.mean(_losses(logits, y, shift)),
}
SHIFTS = {
    "each row's mean": (_row_mean, ("Shifted by the row's mean, not its max",)),
    "one global max": (_global_max, ("One global max",)),
    "no shift": (_no_shift, ("No max-shift",)),
}
# 09 q2's rows are the pairs (0, z) of one logit: a "global max" over them is no mistake a
# learner writes, and its unshifted softplus has its own words (log(1 + exp(z)) overflows).
OTHER_NAMES = {
    ("09 q2", "one global max"): ("Overflow or log(0)",),
    ("09 q2", "no shift"): ("Right formula, softplus(z) − z·y, but log(1 + exp(z)) overflows",),
}


def test_every_exercise_that_promises_any_finite_logits_is_tried_with_every_shift():
    promising = {
        _label(q)
        for q in all_exercises()
        if q.kind == "function" and "finite" in q.prompt and q.lesson in (4, 5, 9, 10, 12)
    }
    assert promising <= set(WRITTEN_WITH), promising - set(WRITTEN_WITH)
    assert set(WRITTEN_WITH) <= {f"{n:02d} {name}" for n, name, *_ in AUDITED} | promising


@pytest.mark.parametrize("shift", SHIFTS)
@pytest.mark.parametrize("label", WRITTEN_WITH)
def test_a_shift_by_anything_but_each_rows_max_is_rejected_and_named(label, shift):
    number, name = label.split()
    q = getattr(lesson(int(number)), name)
    by, named = SHIFTS[shift]
    stable = WRITTEN_WITH[label](lambda z: z.max(axis=-1, keepdims=True))
    assert q.check(stable).passed, f"{label}: the max-shifted version must pass"
    result = q.check(WRITTEN_WITH[label](by))
    assert not result.passed and result.status == "incorrect", result.message
    names = OTHER_NAMES.get((label, shift), named)
    assert any(result.message.startswith(name) for name in names), result.message


# The third learner's five accepted wrong answers (issue 22), as they wrote them.
_MEAN_SHIFT_LOSS = (
    "def f(L, y):\n"
    "    m = L.mean(1, keepdims=True)\n"
    "    return np.mean(m[:, 0] + np.log(np.exp(L - m).sum(1)) - L[np.arange(len(y)), y])\n"
)
THIRD_LEARNER_ACCEPTED = [
    (
        "04 q2",
        "def f(z):\n    e = np.exp(z - z.mean(1, keepdims=True))\n"
        "    return e / e.sum(1, keepdims=True)\n",
        "Shifted by the row's mean",
    ),
    (
        "04 q3",
        "def f(z):\n    m = z.mean(1, keepdims=True)\n"
        "    return (m + np.log(np.exp(z - m).sum(1, keepdims=True)))[:, 0]\n",
        "Shifted by the row's mean",
    ),
    ("04 q7", _MEAN_SHIFT_LOSS, "Shifted by the row's mean"),
    ("12 q2", _MEAN_SHIFT_LOSS, "Shifted by the row's mean"),
    (
        "12 q5",
        "def f(L, y, w):\n    N = len(y)\n"
        "    ps = -np.log(xl.softmax(L))[np.arange(N), y]\n"
        "    return np.sum(w[y] * ps) / np.sum(w[y])\n",
        "Overflow or log(0)",
    ),
    # 12 q9 told it "forms the probabilities first": it forms none
    ("12 q9", _MEAN_SHIFT_LOSS, "Shifted by the row's mean"),
]


@pytest.mark.parametrize(
    ("label", "source", "named"), THIRD_LEARNER_ACCEPTED, ids=[e[0] for e in THIRD_LEARNER_ACCEPTED]
)
def test_the_third_learners_accepted_answers_are_rejected_and_named(label, source, named):
    number, name = label.split()
    namespace = {"np": np, "xl": xl}
    exec(source, namespace)  # test data written in this repository
    result = getattr(lesson(int(number)), name).check(namespace["f"])
    assert not result.passed and result.status == "incorrect", result.message
    assert result.message.startswith(named), result.message
    assert "forms the probabilities" not in result.message or named.startswith("Overflow")


def test_12_q5_promises_any_finite_logits_and_tests_them():
    q = lesson(12).q5
    assert "any finite logits" in q.prompt
    assert any(np.ptp(args[0], axis=1).max() >= 1500 for args in q.test_inputs)
    assert any(np.max(np.abs(args[0])) >= 800 for args in q.test_inputs)
