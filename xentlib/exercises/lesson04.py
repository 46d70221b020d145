"""Lesson 04 (softmax, logits and numerical stability)."""

import numpy as np

from ..losses import cross_entropy
from ..special import log_softmax
from ..special import softmax as _xl_softmax
from ._catalogue import (
    BITS,
    CAPPED,
    CLIPPED_LOGITS,
    DOUBLE_SOFTMAX,
    EPS_IN_LOG,
    GLOBAL_MAX,
    LABELS_FROM_ONE,
    LOG10,
    LOG_OF_MEAN,
    LOG_SOFTMAX,
    MEAN_SHIFT,
    MIN_SHIFT,
    NO_LOG,
    NO_MINUS,
    NO_SHIFT,
    NOT_FINITE,
    ONE_TERM,
    OTHER_EXAMPLE,
    OVER_CLASSES,
    SPAN_1500,
    SPAN_1500_LABELS,
    SPAN_FIRST,
    SPAN_FIRST_LABELS,
    SUM,
    WRONG_AXIS,
    WRONG_CLASS,
    Symptom,
    capped_below_the_answer,
    mean_shifted_loss,
    mean_shifted_softmax,
    not_finite_where_the_answer_is,
)
from ._core import Exercise

SEED_PROBS = np.array([[0.1, 0.4, 0.5], [0.8, 0.1, 0.1]])
SEED_LABELS = np.array([2, 0])
# A row far above zero beside a row far below it: only a shift by *each row's own* max
# keeps both finite (a row-min shift overflows, one global max underflows the second row).
WIDE_ROWS = np.array([[0.0, 1000.0], [-1000.0, 0.0]])


def _softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _log_of_softmax(z):  # −inf where a probability underflows to 0
    with np.errstate(divide="ignore"):
        return np.log(_softmax(z))


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


def _softmax_one_row_formula(z):  # the 1-D formula on a 2-D array: no shift, one sum
    return np.exp(z) / np.sum(np.exp(z))


def _softmax_column_max(z):  # shifted by each column's max: rows shifted unequally
    e = np.exp(z - z.max(axis=0))
    return e / e.sum(axis=-1, keepdims=True)


def _softmax_numerator_shifted(z):  # the max subtracted above the line only
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / np.exp(z).sum(axis=-1, keepdims=True)


def _log_softmax(z):
    m = z.max(axis=-1, keepdims=True)
    return z - m - np.log(np.sum(np.exp(z - m), axis=-1, keepdims=True))


def _softmax_divided_by_max(z):  # the largest entry becomes 1; the rows do not sum to 1
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.max(axis=-1, keepdims=True)


def _softmax_sum_over_columns(z):  # shifted right, normalised down the columns
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def _softmax_global_sum(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum()


def _logsumexp(z):
    m = z.max(axis=-1, keepdims=True)
    return (m + np.log(np.sum(np.exp(z - m), axis=-1, keepdims=True)))[:, 0]


def _lse_log2(z):  # the max added back in nats, the rest in bits
    m = z.max(axis=-1, keepdims=True)
    return (m + np.log2(np.exp(z - m).sum(axis=-1, keepdims=True)))[:, 0]


def _lse_eps(z):  # an ε inside the log, against a log(0) that cannot happen here
    m = z.max(axis=-1, keepdims=True)
    return (m + np.log(np.exp(z - m).sum(axis=-1, keepdims=True) + 1e-7))[:, 0]


def _lse_no_shift(z):
    return np.log(np.sum(np.exp(z), axis=-1))


def _lse_mean_shift(z):  # each row's mean: overflows once max − mean > 709.78
    m = z.mean(axis=-1, keepdims=True)
    return (m + np.log(np.sum(np.exp(z - m), axis=-1, keepdims=True)))[:, 0]


def _lse_global_max(z):
    m = np.max(z)
    return m + np.log(np.sum(np.exp(z - m), axis=-1))


def _lse_row_min(z):
    m = z.min(axis=-1, keepdims=True)
    return (m + np.log(np.sum(np.exp(z - m), axis=-1, keepdims=True)))[:, 0]


def _lse_max_only(z):
    return z.max(axis=-1)


def _lse_log_mean_exp(z):  # np.mean for np.sum: log Σ/C, ln C too small
    m = z.max(axis=-1, keepdims=True)
    return m[:, 0] + np.log(np.mean(np.exp(z - m), axis=-1))


def _lse_no_log(z):  # m + Σ exp(z − m): the log forgotten
    m = z.max(axis=-1, keepdims=True)
    return (m + np.sum(np.exp(z - m), axis=-1, keepdims=True))[:, 0]


def _lse_minus_m(z):  # m subtracted instead of added back
    m = z.max(axis=-1, keepdims=True)
    return (np.log(np.sum(np.exp(z - m), axis=-1, keepdims=True)) - m)[:, 0]


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


def _batch_loss_lse_unshifted(logits, y):  # log Σ exp(z) without a shift: exp(1000) = inf
    lse = np.log(np.sum(np.exp(logits), axis=1))
    return np.mean(lse - logits[np.arange(len(y)), y])


def _batch_loss_lse_global_max(logits, y):  # one max for the whole batch (confusion e)
    m = np.max(logits)
    lse = m + np.log(np.sum(np.exp(logits - m), axis=1))
    return np.mean(lse - logits[np.arange(len(y)), y])


def _batch_loss_lse_row_min(logits, y):  # each row's minimum: exp(max − min) overflows
    m = logits.min(axis=1, keepdims=True)
    lse = m[:, 0] + np.log(np.sum(np.exp(logits - m), axis=1))
    return np.mean(lse - logits[np.arange(len(y)), y])


def _batch_loss_smaller_clip(logits, y):  # eps=1e-12: the cap moves to 27.6 nats
    return cross_entropy(y, probs=_xl_softmax(logits), eps=1e-12)


def _batch_loss_unshifted_probs(logits, y):  # an unshifted softmax, then its log
    e = np.exp(logits)
    probs = e / e.sum(axis=1, keepdims=True)
    return -np.mean(np.log(probs[np.arange(len(y)), y]))


def _batch_loss_whole_columns(logits, y):  # logits[:, y]: an (N, N) block
    m = logits.max(axis=1, keepdims=True)
    lse = m[:, 0] + np.log(np.sum(np.exp(logits - m), axis=1))
    return np.mean(lse - logits[:, y])


def _batch_loss_tempered(logits, y):  # logits / 2: a temperature
    return cross_entropy(y, logits=logits / 2)


EXERCISES = [
    Exercise(
        name="q1",
        fraction=True,
        prompt="What probability does softmax give class 0 for the logits z = [2, 1, 0]?",
        answer=float(_softmax(np.array([2.0, 1.0, 0.0]))[0]),
        hints=[
            "softmax(z)_i = exp(z_i) / Σ_j exp(z_j).",
            "Exponentiate each logit (e⁰ is 1, not 0), then divide class 0's exponential by "
            "the sum of all three.",
        ],
        worked_solution="e² / (e² + e + 1) = 7.389 / 11.107 = 0.665.",
        misconceptions=[
            (
                2 / 3,
                "You divided the logits by their sum (2 / 3). Softmax exponentiates first: "
                "e² / (e² + e + 1).",
            ),
            (
                1.0,
                "That is the argmax (a 'hard max'). Softmax is soft: every class gets some "
                "probability.",
            ),
            (
                float(np.exp(2.0)),
                "That is e² before normalising: divide by the sum of all three exponentials.",
            ),
            WRONG_CLASS(
                float(_softmax(np.array([2.0, 1.0, 0.0]))[1]),
                "That is class 1's, e¹ / (e² + e¹ + e⁰); class 0 is the first entry, logit 2.",
            ),
            WRONG_CLASS(
                float(_softmax(np.array([2.0, 1.0, 0.0]))[2]),
                "That is class 2's (logit 0); class 0 is the first entry, logit 2.",
            ),
            OTHER_EXAMPLE(
                float(_softmax(np.array([2.0, 1.0, 0.1]))[0]),
                "0.659 is softmax([2, 1, 0.1])[0], section 1's running example; this question's "
                "logits are [2, 1, 0]: the last one is 0, not 0.1.",
            ),
            (
                float(np.exp(2.0) / (np.exp(2.0) + np.exp(1.0))),
                "You left out the last class: its logit is 0, so its exponential is e⁰ = 1, "
                "not 0. The sum has three terms: e² + e + 1.",
            ),
            (
                1 / 3,
                "1/3 is what softmax gives each class when all the logits are equal. These "
                "logits differ, and the largest one gets the largest share.",
            ),
            LOG_SOFTMAX(
                float(_log_softmax(np.array([2.0, 1.0, 0.0]))[0]),
                "(−0.408 is ln 0.665.)",
            ),
            (
                float(-_log_softmax(np.array([2.0, 1.0, 0.0]))[0]),
                "That is the loss −ln softmax(z)_0, the cross-entropy when class 0 is the true "
                "class; the question asks for the probability softmax(z)_0 itself.",
            ),
            (
                4 / 7,
                "That is 2² / (2² + 2¹ + 2⁰): powers of 2. Softmax exponentiates with e: "
                "e^z_i / Σ_j e^z_j.",
            ),
            (
                float(1 / (1 + np.exp(-2.0))),
                "That is σ(2) = e² / (e² + 1), the sigmoid of class 0's logit, as if there were "
                "two classes with logits 2 and 0. Softmax divides by the sum over all three "
                "classes.",
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
        atol=1e-15,  # a clip of the probabilities at 1e-12 moves [0, 30]'s 9.4e-14
        test_inputs=[
            (np.array([[2.0, 1.0, 0.0], [0.0, 0.0, 0.0]]),),
            (np.array([[1000.0, 1001.0, 1002.0], [-5.0, 0.0, 5.0]]),),
            (WIDE_ROWS,),
            (SPAN_1500,),
            (SPAN_FIRST,),  # logits 1e8 and 1e8 + 1: float32 cannot tell them apart
        ],
        hints=[
            "exp(1000) overflows to inf. Softmax does not change if you subtract the same number from every logit of a row.",
            "Which number, subtracted from a row, keeps every exponent of that row ≤ 0, so nothing overflows and the largest term is exactly 1? Does one number for the whole array do that for *every* row?",
        ],
        worked_solution=(
            "def softmax(z):\n"
            "    e = np.exp(z - z.max(axis=-1, keepdims=True))   # each row's own max: largest term exp(0) = 1\n"
            "    return e / e.sum(axis=-1, keepdims=True)"
        ),
        misconceptions=[
            MEAN_SHIFT(
                mean_shifted_softmax,
                "Here the row [0, 1500, -20] (mean 493) computes exp(1007) = inf.",
            ),
            NO_SHIFT(_softmax_no_shift, "Your function gives nan for the row [1000, 1001, 1002]."),
            (
                lambda z: 0.5 * (1 + np.tanh(z / 2)),
                "That is σ(z) of each logit on its own: the entries of a row do not add up to "
                "1. Softmax divides exp(z) by the row's own sum, exp(z) / Σ_j exp(z_j) (shifted "
                "by the row's max first).",
            ),
            LOG_SOFTMAX(
                _log_of_softmax,
                "(np.log of the softmax, which is −inf where a probability underflows.) The "
                "question asks for the probabilities themselves.",
            ),
            (
                lambda z: z / z.sum(axis=-1, keepdims=True),
                "You divided the logits by their sum, without exp: logits can be negative or "
                "sum to 0, so that is no distribution. Softmax normalises exp(z): "
                "exp(z − m) / Σ_j exp(z_j − m), with m each row's max.",
            ),
            MIN_SHIFT(
                _softmax_row_min,
                "Here the row [0, 1000] still computes exp(1000) = inf, and inf / inf = nan.",
            ),
            GLOBAL_MAX(
                _softmax_global_max,
                "The row [-1000, 0] sits 1000 below the global max 1000, so all its "
                "exponentials underflow to 0 and 0 / 0 = nan.",
            ),
            (
                _softmax_whole_array,
                "Your function treats the whole array as one long row: one global max and one global sum "
                "(a 1-D softmax). Each row is one example: shift by each row's max and divide by each "
                "row's sum, both with axis=-1, keepdims=True.",
            ),
            (
                _softmax_one_row_formula,
                "Your function is the 1-D formula applied to the whole array: no shift (np.exp(1000) "
                "is inf) and one sum over every row. Each row is one example: subtract each row's "
                "max and divide by each row's sum, both with axis=-1, keepdims=True.",
            ),
            WRONG_AXIS(
                _softmax_axis0,
                "Your function normalises the columns (axis=0): use axis=-1.",
            ),
            WRONG_AXIS(
                _softmax_column_max,
                "You subtracted each column's max (axis=0), which shifts the logits of one row "
                "by different amounts, and softmax changes. Subtract each row's max: "
                "z.max(axis=-1, keepdims=True).",
            ),
            (
                _softmax_numerator_shifted,
                "You subtracted the max in the numerator but not in the denominator: the ratio "
                "changes by e^max, and np.exp(z).sum() still overflows. Shift once, e = "
                "np.exp(z - max), and divide e by e's own row sums.",
            ),
            LOG_SOFTMAX(
                _log_softmax, "Your function returns log-probabilities: take np.exp of them."
            ),
            WRONG_AXIS(
                _softmax_sum_over_columns,
                "The shift is right, but you divide by each column's sum (axis=0): divide by "
                "each row's sum, e.sum(axis=-1, keepdims=True).",
            ),
            (
                _softmax_divided_by_max,
                "You divided by the row's largest exponential, so the largest entry is 1 and "
                "the row sums to more than 1. Divide by the row's sum.",
            ),
            CLIPPED_LOGITS(
                _softmax_clipped_logits,
                "Here the row [1000, 1001, 1002] becomes [500, 500, 500] (or whatever your "
                "bound), so its softmax comes out uniform instead of [0.09, 0.24, 0.67].",
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
        rtol=1e-9,  # exact: log-sum-exp in float32 is off by about 1e-7 of the value
        test_inputs=[
            (np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]),),
            (np.array([[1000.0, 1000.0], [-1000.0, -1001.0]]),),
            (WIDE_ROWS,),
            (SPAN_1500,),
            (SPAN_FIRST,),  # logits 1e8 and 1e8 + 1: float32 cannot tell them apart
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
            BITS(
                _lse_log2,
                "(np.log2 of the sum, with m added back in nats.) Log-sum-exp is in nats: "
                "m + np.log(Σ exp(z − m)).",
            ),
            EPS_IN_LOG(
                _lse_eps,
                "Here Σ exp(z − m) is at least 1 (the max's own term is exp(0) = 1), so its log "
                "is never log 0: no ε is needed, and every ε moves the answer.",
            ),
            MEAN_SHIFT(
                _lse_mean_shift,
                "Here the row [0, 1500, -20] (mean 493) computes exp(1007) = inf.",
            ),
            NO_SHIFT(
                _lse_no_shift,
                "Here exp(1000) overflows, and exp(-1000) underflows to 0 (log 0 = -inf): factor "
                "out each row's max, m + log Σ exp(z - m).",
            ),
            MIN_SHIFT(
                _lse_row_min,
                "Here the row [0, 1000] still computes exp(1000) = inf.",
            ),
            GLOBAL_MAX(
                _lse_global_max,
                "The row [-1000, 0] sits 1000 below the global max, so every exp underflows to 0 "
                "and you return 1000 + log 0 = -inf.",
            ),
            (
                _lse_max_only,
                "max(z) is only an approximation of log-sum-exp (a lower bound). Add log Σ exp(z - max).",
            ),
            (
                _lse_no_log,
                "You added m to Σ exp(z - m) without taking its log: log Σ exp(z) = "
                "m + log Σ exp(z - m).",
            ),
            (
                _lse_minus_m,
                "You subtracted m; factoring e^m out of the sum adds it: log Σ exp(z) = "
                "m + log Σ exp(z - m).",
            ),
            (
                _lse_forgot_m,
                "You computed log Σ exp(z - m) but forgot to add m back: log Σ exp(z) = m + log Σ exp(z - m).",
            ),
            OVER_CLASSES(
                _lse_log_mean_exp,
                "Log-sum-exp sums the exponentials; np.mean divides that sum by C, which "
                "subtracts ln C from the answer. Use np.sum.",
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
            "The labels [2, 0] are column indices, counted from 0: each row contributes the "
            "loss of the entry its label points to, and the batch loss is the mean over rows.",
        ],
        sizes={"N": 2, "C": 3},
        worked_solution="(-ln 0.5 - ln 0.8) / 2 = (0.693 + 0.223) / 2 = 0.4581. CrossEntropyLoss prints 0.8178 because it applies softmax again: it treats the probabilities as logits.",
        misconceptions=[
            DOUBLE_SOFTMAX(
                _mean_ce(_softmax(SEED_PROBS), SEED_LABELS),
                "0.8178 is what the post prints: CrossEntropyLoss expects logits and softmaxes "
                "the probabilities a second time. The cross-entropy of the probabilities "
                "themselves is -mean(log ŷ_true).",
            ),
            SUM(
                float(-np.sum(np.log([0.5, 0.8]))),
                "CrossEntropyLoss (and this question) uses the mean.",
            ),
            BITS(_mean_ce(SEED_PROBS, SEED_LABELS) / np.log(2)),
            NO_MINUS(-_mean_ce(SEED_PROBS, SEED_LABELS)),
            WRONG_CLASS(
                float(-np.mean(np.log(SEED_PROBS[np.arange(2), [0, 2]]))),
                "The labels are class indices: row 0 needs column 2 (0.5) and row 1 column 0 (0.8).",
            ),
            WRONG_CLASS(
                float(-np.mean(np.log([0.1, 0.8]))),
                "Row 0's label is 2, so its probability is 0.5 (column 2), not 0.1 (column 0); "
                "row 1's label 0 picks 0.8.",
            ),
            LOG10(_mean_ce(SEED_PROBS, SEED_LABELS) / np.log(10), "Use the natural log, ln."),
            ONE_TERM(float(-np.log(0.5)), "(−ln 0.5 is the first example's loss; average both.)"),
            ONE_TERM(float(-np.log(0.8)), "(−ln 0.8 is the second example's loss; average both.)"),
            LOG_OF_MEAN(float(-np.log(np.mean([0.5, 0.8])))),
            LABELS_FROM_ONE(
                float(-np.mean(np.log([0.4, 0.1]))),
                "(Label 2 read as column 1 gives 0.4, label 0 as column −1 gives 0.1.) Row 0 "
                "needs column 2 (0.5) and row 1 column 0 (0.8).",
            ),
            NO_LOG(
                float(np.mean([0.5, 0.8])),
                "(0.65 is the mean of the true-class probabilities 0.5 and 0.8.) The loss is "
                "the mean of −ln ŷ_true.",
            ),
            (
                float(-np.mean(np.log(SEED_PROBS))),
                "You averaged −ln ŷ over every entry of both rows, wrong classes included. Only "
                "each row's true class counts: −ln 0.5 for row 0 and −ln 0.8 for row 1.",
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
            "model scores 0.5514 nats. Fix it and pass your fixed function: exact for any "
            "finite logits (the tests include a row [0, −800, 0.5] and rows far above 0)."
        ),
        answer=_batch_loss,
        kind="function",
        test_inputs=[
            (np.array([[2.0, 1.0, 0.1], [0.5, 2.5, -1.0]]), np.array([0, 1])),
            (20.0 * np.eye(3), np.array([0, 1, 2])),
            (np.array([[0.0, -800.0, 0.5], [3.0, 0.0, 0.0]]), np.array([1, 0])),
            # logits far above 0 beside a row far below them: only each row's own max keeps
            # both finite (section 6), as xl.cross_entropy does
            (np.array([[1000.0, 999.0, 998.0], [0.0, -1000.0, 1.0]]), np.array([2, 0])),
            (SPAN_1500, SPAN_1500_LABELS),  # a row spanning 1520: a shift by its mean overflows
            (SPAN_FIRST, SPAN_FIRST_LABELS),
        ],
        hints=[
            "Read the docstring of xl.cross_entropy: what does logits= expect, and what is the function handing it?",
            "Section 7 makes the same mistake with the seed post's numbers: what does "
            "xl.cross_entropy do to whatever it is given as logits=, and what had the broken "
            "function already done to the numbers before that?",
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
            DOUBLE_SOFTMAX(
                _batch_loss_broken,
                "Still the bug: you pass softmax(logits) to a loss that expects logits (the seed "
                "post's bug). Pass the logits themselves.",
            ),
            (
                _batch_loss_log_of_probs,
                "Right formula, unstable route: you form the probabilities and take their log. For the "
                "row [0, -800, 0.5] the true class's probability underflows to 0 and -log 0 = inf, where "
                "the true loss is finite. Pass the logits to xl.cross_entropy(y, logits=...).",
            ),
            CAPPED(
                _batch_loss_clipped,
                "Here the row [0, -800, 0.5] (true class 1) is capped at 16.1 nats; its true loss "
                "is about 801. "
                "Pass the logits instead.",
            ),
            CAPPED(
                _batch_loss_clipped_below,
                "Here (eps=1e-7) the row [0, -800, 0.5] (true class 1) is capped at 16.1 nats; "
                "its true loss is about 801. Pass the logits instead.",
            ),
            SUM(_batch_loss_sum, "(reduction='sum'.)"),
            NO_MINUS(_batch_loss_no_minus, "Cross-entropy is -mean(log softmax(z)_y)."),
            NO_SHIFT(
                _batch_loss_lse_unshifted,
                "Your log-sum-exp overflows on the row [1000, 999, 998]. Subtract each row's "
                "max: m + log Σ exp(z - m), or pass the logits to xl.cross_entropy.",
            ),
            GLOBAL_MAX(
                _batch_loss_lse_global_max,
                "Here the row [0, -1000, 1] sits 999 below the batch's max 1000, so its log-sum-exp "
                "is log 0 = -inf. (Or pass the logits to xl.cross_entropy, which does it right.)",
            ),
            MIN_SHIFT(
                _batch_loss_lse_row_min,
                "Here the row [0, -1000, 1] computes exp(1001) = inf.",
            ),
            MEAN_SHIFT(
                mean_shifted_loss,
                "Here the row [0, 1500, -20] (mean 493) computes exp(1007) = inf.",
            ),
            CAPPED(
                Symptom(capped_below_the_answer, _batch_loss_smaller_clip),
                "A smaller clip (or ε) moves the cap but keeps it: for the row [0, -800, 0.5] "
                "your loss is far below its true loss, about 801 nats. Pass the logits instead.",
            ),
            NOT_FINITE(
                Symptom(not_finite_where_the_answer_is, _batch_loss_unshifted_probs),
                "Cross-entropy from logits stays finite for any logits: pass them to "
                "xl.cross_entropy(y, logits=...), or compute log-softmax with each row's max "
                "subtracted (z_y − m − log Σ exp(z − m)).",
            ),
            (
                _batch_loss_whole_columns,
                "logits[:, y] picks whole columns, an (N, N) block, not one entry per row: "
                "every row is scored against every label. Pick each row's true class with "
                "logits[np.arange(N), y], or pass the logits to xl.cross_entropy.",
            ),
            (
                _batch_loss_tempered,
                "You divided the logits by 2, a temperature T = 2 (section 3), which flattens "
                "the probabilities: the loss of the model's logits uses them as they are.",
            ),
        ],
        tags=("debug", "confusion-a", "confusion-d", "confusion-e"),
    ),
]
