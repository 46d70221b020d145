"""Lesson 04 (softmax, logits and numerical stability)."""

import numpy as np

from ._core import Exercise

SEED_PROBS = np.array([[0.1, 0.4, 0.5], [0.8, 0.1, 0.1]])
SEED_LABELS = np.array([2, 0])


def _softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _softmax_no_shift(z):
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def _softmax_axis0(z):
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def _logsumexp(z):
    m = np.max(z)
    return m + np.log(np.sum(np.exp(z - m)))


def _mean_ce(rows, y):
    return float(-np.mean(np.log(rows[np.arange(len(y)), y])))


EXERCISES = [
    Exercise(
        name="q1",
        prompt="What probability does softmax give class 0 for the logits z = [2, 1, 0]?",
        answer=float(_softmax(np.array([2.0, 1.0, 0.0]))[0]),
        hints=[
            "softmax(z)_i = exp(z_i) / Σ_j exp(z_j).",
            "e² / (e² + e¹ + e⁰)",
        ],
        worked_solution="e² / (e² + e + 1) = 7.389 / 11.107 = 0.665.",
        misconceptions=[
            (
                2 / 3,
                "You divided the logits by their sum (2 / 3). Softmax exponentiates first: e² / (e² + e + 1).",
            ),
            (
                1.0,
                "That is the argmax (a 'hard max'). Softmax is soft: every class gets some probability.",
            ),
            (
                float(np.exp(2.0)),
                "That is e² before normalising: divide by the sum of all three exponentials.",
            ),
        ],
    ),
    Exercise(
        name="q2",
        prompt=(
            "Write softmax(z) for a 2-D array of logits z (one row per example), normalising "
            "each row. It must work for logits like [1000, 1001, 1002]."
        ),
        answer=_softmax,
        kind="function",
        test_inputs=[
            (np.array([[2.0, 1.0, 0.0], [0.0, 0.0, 0.0]]),),
            (np.array([[1000.0, 1001.0, 1002.0], [-5.0, 0.0, 5.0]]),),
        ],
        hints=[
            "exp(1000) overflows to inf. Softmax does not change if you subtract the same number from every logit of a row.",
            "Subtract each row's max: z - z.max(axis=-1, keepdims=True); then exponentiate and normalise along axis=-1.",
        ],
        worked_solution=(
            "def softmax(z):\n"
            "    e = np.exp(z - z.max(axis=-1, keepdims=True))   # largest exponent is exp(0) = 1\n"
            "    return e / e.sum(axis=-1, keepdims=True)"
        ),
        misconceptions=[
            (
                _softmax_no_shift,
                "Your function overflows: np.exp(1000) is inf and inf / inf is nan. Subtract each row's max before exponentiating.",
            ),
            (
                _softmax_axis0,
                "Your function normalises the wrong axis (columns, axis=0). Each *row* is one example: use axis=-1 with keepdims=True.",
            ),
        ],
    ),
    Exercise(
        name="q3",
        prompt="Write logsumexp(z) = log Σ exp(z_i) for a 1-D array, without overflow for z = [1000, 1000].",
        answer=_logsumexp,
        kind="function",
        test_inputs=[
            (np.array([1.0, 2.0, 3.0]),),
            (np.array([1000.0, 1000.0]),),
            (np.array([-1000.0, -1001.0]),),
        ],
        hints=[
            "log Σ exp(z_i) = m + log Σ exp(z_i - m) for any m.",
            "Choose m = max(z): every exp(z_i - m) ≤ 1 and the largest is exactly 1.",
        ],
        worked_solution="def logsumexp(z):\n    m = np.max(z)\n    return m + np.log(np.sum(np.exp(z - m)))",
        misconceptions=[
            (
                lambda z: np.log(np.sum(np.exp(z))),
                "Your function overflows (exp(1000) = inf) or underflows (exp(-1000) = 0, log 0 = -inf). Factor out the max: m + log Σ exp(z - m).",
            ),
            (
                lambda z: np.max(z),
                "max(z) is only an approximation of log-sum-exp (a lower bound). Add log Σ exp(z - max).",
            ),
        ],
    ),
    Exercise(
        name="q4",
        prompt=(
            "The seed post feeds ŷ = [[0.1, 0.4, 0.5], [0.8, 0.1, 0.1]] with labels [2, 0] to "
            "PyTorch's CrossEntropyLoss. What is the actual mean cross-entropy of these "
            "*probabilities*, in nats?"
        ),
        answer=_mean_ce(SEED_PROBS, SEED_LABELS),
        hints=[
            "These are probabilities, not logits: the loss is the mean of -ln ŷ[i, y_i].",
            "(-ln 0.5 - ln 0.8) / 2",
        ],
        worked_solution="(-ln 0.5 - ln 0.8) / 2 = (0.693 + 0.223) / 2 = 0.4581. CrossEntropyLoss prints 0.8178 because it applies softmax again: it treats the probabilities as logits.",
        misconceptions=[
            (
                _mean_ce(_softmax(SEED_PROBS), SEED_LABELS),
                "0.8178 is what the post prints: CrossEntropyLoss expects *logits*, so it softmaxes the probabilities a second time. "
                "The cross-entropy of the probabilities themselves is -mean(log ŷ_true).",
            ),
            (
                float(-np.sum(np.log([0.5, 0.8]))),
                "That is the sum over the two examples. CrossEntropyLoss (and this question) uses the mean.",
            ),
        ],
    ),
    Exercise(
        name="q5",
        prompt=(
            "Dividing logits by a temperature T > 1 before softmax makes the distribution: "
            "(a) more peaked, (b) flatter, (c) unchanged. Answer 'a', 'b' or 'c'."
        ),
        answer="b",
        kind="choice",
        hints=["Try T → ∞: what happens to z / T, and to softmax of it?"],
        worked_solution="(b) flatter: z / T shrinks the gaps between logits; as T → ∞ softmax tends to uniform, as T → 0 to argmax.",
        misconceptions=[
            (
                "a",
                "Other way round: T < 1 sharpens. T > 1 shrinks the differences between logits, so softmax gets flatter.",
            ),
            (
                "c",
                "Softmax is unchanged by *adding* a constant to the logits, not by dividing them.",
            ),
        ],
    ),
]
