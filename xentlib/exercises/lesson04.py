"""Lesson 04 (softmax, logits and numerical stability)."""

import numpy as np

from ..losses import cross_entropy
from ..special import log_softmax
from ..special import softmax as _xl_softmax
from ._core import Exercise

SEED_PROBS = np.array([[0.1, 0.4, 0.5], [0.8, 0.1, 0.1]])
SEED_LABELS = np.array([2, 0])
# A row far above zero beside a row far below it: only a shift by *each row's own* max
# keeps both finite (a row-min shift overflows, one global max underflows the second row).
WIDE_ROWS = np.array([[0.0, 1000.0], [-1000.0, 0.0]])


def _softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _softmax_no_shift(z):
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def _softmax_axis0(z):
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def _softmax_row_min(z):
    e = np.exp(z - z.min(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _softmax_global_max(z):
    e = np.exp(z - z.max())
    return e / e.sum(axis=-1, keepdims=True)


def _softmax_whole_array(z):
    e = np.exp(z - np.max(z))
    return e / np.sum(e)


def _softmax_clipped_logits(z):  # "avoid the overflow" by clipping the logits
    e = np.exp(np.clip(z, -500, 500))
    return e / e.sum(axis=-1, keepdims=True)


def _softmax_clipped_probs(z):  # clipping the probabilities of the naive softmax
    e = np.exp(z)
    return np.clip(e / e.sum(axis=-1, keepdims=True), 1e-7, 1 - 1e-7)


def _softmax_naive_log_route(z):  # exp(z - log Σ exp z), with the log-sum-exp unshifted
    return np.exp(z - np.log(np.sum(np.exp(z), axis=-1, keepdims=True)))


def _softmax_global_sum(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum()


def _logsumexp(z):
    m = z.max(axis=-1, keepdims=True)
    return (m + np.log(np.sum(np.exp(z - m), axis=-1, keepdims=True)))[:, 0]


def _lse_no_shift(z):
    return np.log(np.sum(np.exp(z), axis=-1))


def _lse_global_max(z):
    m = np.max(z)
    return m + np.log(np.sum(np.exp(z - m), axis=-1))


def _lse_row_min(z):
    m = z.min(axis=-1, keepdims=True)
    return (m + np.log(np.sum(np.exp(z - m), axis=-1, keepdims=True)))[:, 0]


def _lse_max_only(z):
    return z.max(axis=-1)


def _lse_forgot_m(z):
    m = z.max(axis=-1, keepdims=True)
    return np.log(np.sum(np.exp(z - m), axis=-1))


def _mean_ce(rows, y):
    return float(-np.mean(np.log(rows[np.arange(len(y)), y])))


# ---- q7: debug a loss that softmaxes before a loss that expects logits ----------------
def _batch_loss_broken(logits, y):
    probs = _xl_softmax(logits)
    return cross_entropy(y, logits=probs)


def _batch_loss(logits, y):
    return cross_entropy(y, logits=logits)


def _batch_loss_log_of_probs(logits, y):
    probs = _xl_softmax(logits)
    return -np.mean(np.log(probs[np.arange(len(y)), y]))


def _batch_loss_clipped(logits, y):
    probs = np.clip(_xl_softmax(logits), 1e-7, 1 - 1e-7)
    return -np.mean(np.log(probs[np.arange(len(y)), y]))


def _batch_loss_clipped_below(logits, y):
    return cross_entropy(y, probs=_xl_softmax(logits), eps=1e-7)


def _batch_loss_sum(logits, y):
    return cross_entropy(y, logits=logits, reduction="sum")


def _batch_loss_no_minus(logits, y):
    return np.mean(log_softmax(logits)[np.arange(len(y)), y])


EXERCISES = [
    Exercise(
        name="q1",
        fraction=True,
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
            (
                float(_softmax(np.array([2.0, 1.0, 0.0]))[1]),
                "That is class 1's probability, e¹ / (e² + e¹ + e⁰). Classes count from 0: "
                "class 0 is the first entry, the one with logit 2.",
            ),
            (
                float(_softmax(np.array([2.0, 1.0, 0.0]))[2]),
                "That is class 2's probability (logit 0). Class 0 is the first entry, the one "
                "with logit 2.",
            ),
        ],
    ),
    Exercise(
        name="q2",
        prompt=(
            "Write softmax(z) for a 2-D array of logits z (one row per example), normalising "
            "each row. It must work for any finite logits, for example the rows [0, 1000] and "
            "[-1000, 0] in the same array."
        ),
        answer=_softmax,
        kind="function",
        test_inputs=[
            (np.array([[2.0, 1.0, 0.0], [0.0, 0.0, 0.0]]),),
            (np.array([[1000.0, 1001.0, 1002.0], [-5.0, 0.0, 5.0]]),),
            (WIDE_ROWS,),
        ],
        hints=[
            "exp(1000) overflows to inf. Softmax does not change if you subtract the same number from every logit of a row.",
            "Which number keeps every exponent ≤ 0 in *every* row, so nothing overflows and the largest term is exactly 1? Compute it per row with axis=-1, keepdims=True.",
        ],
        worked_solution=(
            "def softmax(z):\n"
            "    e = np.exp(z - z.max(axis=-1, keepdims=True))   # each row's own max: largest term exp(0) = 1\n"
            "    return e / e.sum(axis=-1, keepdims=True)"
        ),
        misconceptions=[
            (
                _softmax_no_shift,
                "Your function overflows: np.exp(1000) is inf and inf / inf is nan. Subtract each row's max before exponentiating.",
            ),
            (
                _softmax_row_min,
                "You shifted each row by its *minimum*: every exponent is then ≥ 0, so the row [0, 1000] "
                "still computes exp(1000) = inf and inf / inf = nan. Shift by each row's max, so every exponent is ≤ 0.",
            ),
            (
                _softmax_global_max,
                "You shifted by one max over the whole array (a global max) instead of each row's own max. "
                "The row [-1000, 0] sits 1000 below the global max 1000, so all its exponentials underflow "
                "to 0 and 0 / 0 = nan. Use z.max(axis=-1, keepdims=True).",
            ),
            (
                _softmax_whole_array,
                "Your function treats the whole array as one long row: one global max and one global sum "
                "(a 1-D softmax). Each row is one example: shift by each row's max and divide by each "
                "row's sum, both with axis=-1, keepdims=True.",
            ),
            (
                _softmax_axis0,
                "Your function normalises the wrong axis (columns, axis=0). Each *row* is one example: use axis=-1 with keepdims=True.",
            ),
            (
                _softmax_clipped_logits,
                "You clipped the logits to keep np.exp finite. That changes the answer: the row "
                "[1000, 1001, 1002] becomes [500, 500, 500] (or whatever your bound), so its "
                "softmax comes out uniform instead of [0.09, 0.24, 0.67]. Softmax only depends "
                "on differences of logits: subtract each row's max instead of clipping.",
            ),
            (
                _softmax_clipped_probs,
                "Clipping the probabilities into [1e-7, 1 - 1e-7] comes too late: the overflow "
                "happens before, in np.exp(1000) = inf, and np.clip leaves the resulting nan as "
                "nan. Subtract each row's max from the logits before exponentiating.",
            ),
            (
                _softmax_naive_log_route,
                "Good idea to go through the log, exp(z - logsumexp(z)), but your log-sum-exp is "
                "the naive one: for [1000, 1001, 1002] np.exp overflows, log(inf) = inf, and every "
                "probability comes out exp(-inf) = 0. Compute the log-sum-exp with each row's max "
                "factored out, or shift by each row's max directly.",
            ),
            (
                _softmax_global_sum,
                "Your rows do not each sum to 1: you divided by the sum of the whole array (e.sum()). "
                "Normalise each row by its own sum: e.sum(axis=-1, keepdims=True).",
            ),
        ],
        tags=("confusion-e",),
    ),
    Exercise(
        name="q3",
        prompt=(
            "Write logsumexp(z) = log Σ_j exp(z_ij) for a 2-D array z (one row per example), "
            "returning one value per row (shape (N,)). It must work for any finite logits, for "
            "example the rows [0, 1000] and [-1000, 0] in the same array."
        ),
        answer=_logsumexp,
        kind="function",
        test_inputs=[
            (np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]),),
            (np.array([[1000.0, 1000.0], [-1000.0, -1001.0]]),),
            (WIDE_ROWS,),
        ],
        hints=[
            "log Σ exp(z_i) = m + log Σ exp(z_i - m) for any number m (factor e^m out of the sum).",
            "Pick m so that no exp(z_i - m) overflows and the sum is never 0 — in every row. "
            "Compute m per row with keepdims=True so that z - m broadcasts, then drop that axis "
            "again at the end (m[:, 0], or sum without keepdims).",
        ],
        worked_solution=(
            "def logsumexp(z):\n"
            "    m = z.max(axis=-1, keepdims=True)                 # each row's own max, shape (N, 1)\n"
            "    s = np.sum(np.exp(z - m), axis=-1)                # between 1 and C: no overflow, no log 0\n"
            "    return m[:, 0] + np.log(s)"
        ),
        misconceptions=[
            (
                _lse_no_shift,
                "Your function overflows (exp(1000) = inf) or underflows (exp(-1000) = 0, log 0 = -inf). "
                "Factor out each row's max: m + log Σ exp(z - m).",
            ),
            (
                _lse_row_min,
                "You shifted each row by its *minimum*: the row [0, 1000] still computes exp(1000) = inf. "
                "Shift by each row's max, so every exponent is ≤ 0 and the largest term is exactly 1.",
            ),
            (
                _lse_global_max,
                "You shifted by one max over the whole array (a global max) "
                "instead of each row's own max. The row [-1000, 0] sits 1000 below the global max, so "
                "every exp underflows to 0 and you return 1000 + log 0 = -inf. Use z.max(axis=-1, keepdims=True).",
            ),
            (
                _lse_max_only,
                "max(z) is only an approximation of log-sum-exp (a lower bound). Add log Σ exp(z - max).",
            ),
            (
                _lse_forgot_m,
                "You computed log Σ exp(z - m) but forgot to add m back: log Σ exp(z) = m + log Σ exp(z - m).",
            ),
        ],
        tags=("confusion-e",),
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
                "0.8178 is what the post prints: CrossEntropyLoss expects *logits*, so it softmaxes the probabilities a second time (a double softmax). "
                "The cross-entropy of the probabilities themselves is -mean(log ŷ_true).",
            ),
            (
                float(-np.sum(np.log([0.5, 0.8]))),
                "That is the sum over the two examples. CrossEntropyLoss (and this question) uses the mean.",
            ),
            (
                _mean_ce(SEED_PROBS, SEED_LABELS) / np.log(2),
                "That is in bits (log base 2). The question asks for nats: use the natural log, ln.",
            ),
            (
                -_mean_ce(SEED_PROBS, SEED_LABELS),
                "A missing minus: the mean of ln ŷ_true is negative. Cross-entropy is -mean(ln ŷ_true), always ≥ 0.",
            ),
            (
                float(-np.mean(np.log(SEED_PROBS[np.arange(2), [0, 2]]))),
                "You took the wrong entries: the labels are class indices, so row 0 needs column 2 (0.5) "
                "and row 1 column 0 (0.8).",
            ),
        ],
        tags=("confusion-a",),
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
        worked_solution="(b) flatter: z / T shrinks the gaps between logits; as T → ∞ softmax tends to uniform, as T → 0 to the argmax (split evenly between tied maxima).",
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
    Exercise(
        name="q6",
        prompt=(
            "Explain why: PyTorch's CrossEntropyLoss, Keras with from_logits=True and "
            "xl.cross_entropy(logits=...) all want logits rather than probabilities. Why? "
            "(a) Softmax is expensive, and taking logits lets the library skip it. "
            "(b) From logits the loss is LSE(z) - z_y, which never forms a probability: no "
            "probability can underflow to 0 and become log 0 = -inf. "
            "(c) It is only a convention: the loss is the same whichever you pass. "
            "(d) Softmax cannot be differentiated, so no gradient could flow back through a "
            "model that outputs probabilities. Answer 'a', 'b', 'c' or 'd'."
        ),
        answer="b",
        kind="choice",
        hints=[
            "Section 6: what did -log(softmax(z))[1] return for z = [0, -800], and what did the logits path return?",
        ],
        worked_solution=(
            "(b). -log softmax(z)_y = LSE(z) - z_y, and LSE is computed with the max shift, so "
            "every step stays finite: for z = [0, -800] the two-step route (probabilities, then "
            "log) gives inf, the logits route 800 nats. Libraries still normalise — LSE is "
            "softmax's normaliser — they just never leave log space."
        ),
        explanation=(
            "From logits, -log softmax(z)_y = LSE(z) - z_y is computed in log space with the max "
            "shift: it never forms a probability, so nothing underflows to 0 and nothing becomes "
            "log 0. For z = [0, -800] the route through probabilities gives inf; the logits give "
            "800 nats. The same pass also gives the gradient softmax(z) - e_y (lesson 05)."
        ),
        misconceptions=[
            (
                "a",
                "Nothing is skipped: LSE(z) = m + log Σ exp(z_j - m) computes the same exponentials "
                "and the same sum as softmax — it *is* softmax's normaliser, kept in log space. The "
                "reason is numerical: forming the probability first can give log 0 (section 6).",
            ),
            (
                "c",
                "The loss is not the same: passing the seed post's probabilities as logits gives 0.8178 "
                "instead of 0.4581 (section 7, a double softmax), and forming probabilities first turns a finite loss "
                "(800 nats for z = [0, -800]) into inf.",
            ),
            (
                "d",
                "Softmax is smooth and has a Jacobian, diag(q) - q qᵀ (lesson 05 derives it); frameworks "
                "differentiate through it without trouble. The problem is numerical: the log of a "
                "probability that has underflowed to 0.",
            ),
        ],
        tags=("explain-why", "confusion-a"),
    ),
    Exercise(
        name="q7",
        prompt=(
            "Debug this: batch_loss(logits, y) (shown in the notebook) should return the mean "
            "cross-entropy of a batch of logits (N, C) with integer labels y (N,), but a perfect "
            "model scores 0.5514 nats. Fix it and pass your fixed function."
        ),
        answer=_batch_loss,
        kind="function",
        test_inputs=[
            (np.array([[2.0, 1.0, 0.1], [0.5, 2.5, -1.0]]), np.array([0, 1])),
            (20.0 * np.eye(3), np.array([0, 1, 2])),
            (np.array([[0.0, -800.0, 0.5], [3.0, 0.0, 0.0]]), np.array([1, 0])),
        ],
        hints=[
            "Read the docstring of xl.cross_entropy: what does logits= expect, and what is the function handing it?",
            "The model's output is already logits. What happens if you give the loss those directly, without any step in between?",
        ],
        worked_solution=(
            "def batch_loss(logits, y):\n"
            "    return xl.cross_entropy(y, logits=logits)   # the loss applies (log-)softmax itself\n\n"
            "The broken version applied softmax and then passed the probabilities as logits: a "
            "double softmax (the seed post's bug). Probabilities lie in [0, 1], so the second "
            "softmax can give the true class at most e / (e + C - 1): for C = 3 that is 0.5761, a "
            "loss of at least 0.5514 however good the model."
        ),
        misconceptions=[
            (
                _batch_loss_broken,
                "Still a double softmax: you pass softmax(logits) to a loss that expects logits, so it "
                "applies softmax a second time (the seed post's bug). Pass the logits themselves.",
            ),
            (
                _batch_loss_log_of_probs,
                "Right formula, unstable route: you form the probabilities and take their log. For the "
                "row [0, -800, 0.5] the true class's probability underflows to 0 and -log 0 = inf, where "
                "the true loss is finite. Pass the logits to xl.cross_entropy(y, logits=...).",
            ),
            (
                _batch_loss_clipped,
                "Clipping the probabilities to [1e-7, 1 - 1e-7] hides log(0) = -inf but caps that example's loss "
                "at -ln(1e-7) = 16.1 nats (its true loss is about 800) and makes its gradient 0 (section 6). "
                "Pass the logits instead.",
            ),
            (
                _batch_loss_clipped_below,
                "Clipping the probabilities at 1e-7 (eps=1e-7) hides log(0) = -inf but caps that example's loss "
                "at -ln(1e-7) = 16.1 nats (its true loss is about 800) and makes its gradient 0 (section 6). "
                "Pass the logits instead.",
            ),
            (
                _batch_loss_sum,
                "That is the sum over the batch (reduction='sum'): the question asks for the mean.",
            ),
            (
                _batch_loss_no_minus,
                "A missing minus: the mean log-probability is negative. Cross-entropy is -mean(log softmax(z)_y).",
            ),
        ],
        tags=("debug", "confusion-a", "confusion-d"),
    ),
]
