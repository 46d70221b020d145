"""Lesson 12 (frameworks and pitfalls): one exercise per classic framework bug."""

import math

import numpy as np

from ..losses import cross_entropy, cross_entropy_with_grad
from ..special import log_softmax, softmax
from ._catalogue import (
    ASCENT,
    BITS,
    CAPPED,
    DOUBLE_SOFTMAX,
    EXTRA_N,
    GLOBAL_MAX,
    LOG10,
    MEAN_SHIFT,
    MIN_SHIFT,
    NLL_PROBS,
    NO_LOG,
    NO_MINUS,
    NO_SHIFT,
    NOT_FINITE,
    OTHER_EXAMPLE,
    SPAN_1000,
    SPAN_1000_LABELS,
    SPAN_1500,
    SPAN_1500_LABELS,
    SPAN_FIRST,
    SPAN_FIRST_LABELS,
    SUM,
    UNDERFLOW_PRODUCT,
    UNWEIGHTED,
    WEIGHTED_TOTAL,
    WRONG_CLASS,
    Symptom,
    capped_below_the_answer,
    mean_shifted_loss,
    min_shifted_loss,
    shifted_log_softmax,
)
from ._core import Exercise

_RNG = np.random.default_rng(12)


def _rows(y):
    return np.arange(len(y))


def _picked(scores, y):
    """Each row's entry at its true class."""
    return scores[_rows(y), y]


# ---- q1: the floor a double softmax puts under the loss ---------------------------------
def _floor(n_classes):
    return math.log(1 + (n_classes - 1) / math.e)


# ---- q2: double softmax ------------------------------------------------------------------
def _batch_loss(logits, y):
    return cross_entropy(y, logits=logits)


def _batch_loss_double_softmax(logits, y):
    return cross_entropy(y, logits=softmax(logits))


def _batch_loss_every_class(logits, y):
    return -np.mean(np.log(softmax(logits)))


def _batch_loss_sum(logits, y):
    return cross_entropy(y, logits=logits, reduction="sum")


def _batch_loss_via_probs(logits, y):  # right on moderate logits; inf once a q underflows
    return cross_entropy(y, probs=softmax(logits))


def _batch_loss_eps_in_log(logits, y):  # log(q + ε): capped at −log ε where q underflows
    return -np.mean(np.log(_picked(softmax(logits), y) + 1e-9))


def _batch_loss_extra_n(logits, y):
    return cross_entropy(y, logits=logits) / len(y)


# ---- q3: probabilities into nll_loss -----------------------------------------------------
def _nll_like_torch(inputs, y):
    return -np.mean(_picked(inputs, y))


def _loss_from_probs(probs, y):
    return _nll_like_torch(np.log(probs), y)


# ---- q4: sum instead of mean with a fixed learning rate ----------------------------------
LR = 0.5


def _step(W, X, y):
    _, grad = cross_entropy_with_grad(y, logits=X @ W)
    return W - LR * X.T @ grad


def _step_sum(W, X, y):
    _, grad = cross_entropy_with_grad(y, logits=X @ W, reduction="sum")
    return W - LR * X.T @ grad


def _step_ascent(W, X, y):
    _, grad = cross_entropy_with_grad(y, logits=X @ W)
    return W + LR * X.T @ grad


def _step_no_chain_rule(W, X, y):
    _, grad = cross_entropy_with_grad(y, logits=X @ W)
    return W - LR * grad


def _step_divided_twice(W, X, y):
    _, grad = cross_entropy_with_grad(y, logits=X @ W)
    return W - LR * X.T @ grad / len(y)


# ---- q5: a weighted mean that divides by N -----------------------------------------------
def _per_sample(logits, y):
    return -_picked(log_softmax(logits), y)


def _weighted_loss(logits, y, weight):
    return np.sum(weight[y] * _per_sample(logits, y)) / np.sum(weight[y])


def _weighted_loss_by_n(logits, y, weight):
    return np.sum(weight[y] * _per_sample(logits, y)) / len(y)


def _weighted_loss_by_all_weights(logits, y, weight):
    return np.sum(weight[y] * _per_sample(logits, y)) / np.sum(weight)


def _weighted_loss_unweighted(logits, y, weight):
    return np.mean(_per_sample(logits, y))


def _weighted_loss_unnormalised(logits, y, weight):
    return np.sum(weight[y] * _per_sample(logits, y))


def _weighted_loss_via_probs(logits, y, weight):  # −log softmax: inf once a q underflows
    per_sample = -np.log(_picked(softmax(logits), y))
    return np.sum(weight[y] * per_sample) / np.sum(weight[y])


def _weighted_loss_mean_shift(logits, y, weight):
    per_sample = -_picked(shifted_log_softmax(logits, "mean"), y)
    return np.sum(weight[y] * per_sample) / np.sum(weight[y])


def _weighted_by_target(per_sample, y, weight):
    return np.sum(weight[y] * per_sample) / np.sum(weight[y])


def _weighted_loss_unshifted(logits, y, weight):
    lse = np.log(np.sum(np.exp(logits), axis=1))
    return _weighted_by_target(lse - _picked(logits, y), y, weight)


def _weighted_loss_global_max(logits, y, weight):
    m = np.max(logits)
    lse = m + np.log(np.sum(np.exp(logits - m), axis=1))
    return _weighted_by_target(lse - _picked(logits, y), y, weight)


def _weighted_loss_by_mean_weight(logits, y, weight):
    return np.sum(weight[y] * _per_sample(logits, y)) / np.mean(weight)


def _weighted_loss_by_classes(logits, y, weight):
    return np.sum(weight[y] * _per_sample(logits, y)) / len(weight)


def _step_inputs(n_samples, n_features=4, n_classes=3):
    X = _RNG.normal(size=(n_samples, n_features))
    W = _RNG.normal(size=(n_features, n_classes)) * 0.5
    y = _RNG.integers(0, n_classes, size=n_samples)
    y[:n_classes] = np.arange(n_classes)  # every class occurs
    return W, X, y


def _step_input_ndc():
    """N = 7 examples, D = 5 features, C = 3 classes, from a generator of its own."""
    rng = np.random.default_rng(12)
    X, W = rng.normal(size=(7, 5)), rng.normal(size=(5, 3)) * 0.5
    return W, X, np.array([0, 1, 2, 2, 1, 0, 2])


_STEP_NDC = _step_input_ndc()


# ---- q8: padding averaged in by hand -----------------------------------------------------
PAD = -100


def _per_token(logits, tokens):
    keep = tokens != PAD
    losses = cross_entropy(np.where(keep, tokens, 0), logits=logits, reduction="none")
    return np.where(keep, losses, 0.0), keep


def _padded_loss(logits, tokens):
    masked, keep = _per_token(logits, tokens)
    return np.sum(masked) / np.sum(keep)


def _padded_loss_global_max(logits, tokens):  # one max for the whole batch
    keep = tokens != PAD
    z, t = logits[keep], tokens[keep]
    m = np.max(z)
    with np.errstate(divide="ignore"):
        lse = m + np.log(np.sum(np.exp(z - m), axis=1))
    return float(np.mean(lse - z[np.arange(len(t)), t]))


def _padded_loss_by_all(logits, tokens):  # the bug
    masked, _ = _per_token(logits, tokens)
    return np.mean(masked)


def _padded_loss_sum(logits, tokens):
    masked, _ = _per_token(logits, tokens)
    return np.sum(masked)


def _padded_loss_pad_as_class0(logits, tokens):
    keep = tokens != PAD
    return np.mean(cross_entropy(np.where(keep, tokens, 0), logits=logits, reduction="none"))


def _padded_loss_by_padding(logits, tokens):
    masked, keep = _per_token(logits, tokens)
    return np.sum(masked) / np.sum(~keep)


def _padded_loss_padding_summed(logits, tokens):  # the padding's losses left in the sum
    keep = tokens != PAD
    losses = cross_entropy(np.where(keep, tokens, 0), logits=logits, reduction="none")
    return np.sum(losses) / np.sum(keep)


def _padded_loss_positive_tokens(logits, tokens):  # tokens > 0 drops class 0 as well
    keep = tokens > 0
    losses = cross_entropy(np.where(keep, tokens, 0), logits=logits, reduction="none")
    return np.sum(np.where(keep, losses, 0.0)) / np.sum(keep)


def _padded_loss_twice(logits, tokens):  # the right mean, divided again by all N positions
    return _padded_loss(logits, tokens) / len(tokens)


def _token_inputs(n_real, n_pad, n_classes=5):
    logits = _RNG.normal(size=(n_real + n_pad, n_classes)) * 1.5
    tokens = np.concatenate([_RNG.integers(0, n_classes, size=n_real), np.full(n_pad, PAD)])
    return logits, tokens


# ---- q9: logits given to a Keras loss that expects probabilities ---------------------------
KERAS_EPSILON = 1e-7


def _keras_crossentropy(y, probs):
    probs = probs / probs.sum(axis=-1, keepdims=True)
    probs = np.clip(probs, KERAS_EPSILON, 1 - KERAS_EPSILON)
    return -np.log(probs[_rows(y), y])


def _keras_loss(logits, y):
    return cross_entropy(y, logits=logits)


def _keras_loss_given_logits(logits, y):  # the bug: from_logits=False, given logits
    return np.mean(_keras_crossentropy(y, logits))


def _keras_loss_softmax_layer(logits, y):  # "fixed" with a softmax layer: clipped at 1e-7
    return np.mean(_keras_crossentropy(y, softmax(logits)))


def _keras_loss_exp_normalised(logits, y):  # exp(logits) handed to the mirror: overflows
    return np.mean(_keras_crossentropy(y, np.exp(logits)))


def _keras_loss_unshifted_softmax(logits, y):  # a softmax written out, then −log: 800 overflows
    e = np.exp(logits)
    return -np.mean(np.log((e / e.sum(axis=1, keepdims=True))[_rows(y), y]))


def _keras_loss_smaller_clip(logits, y):  # the softmax layer, and a smaller ε: still a cap
    probs = np.clip(softmax(logits), 1e-12, 1 - 1e-12)
    return -np.mean(np.log(_picked(probs, y)))


# ---- q10: a clipped loss --------------------------------------------------------------
def _clipped_loss(logits, y):  # the bug: probabilities clipped before the log
    probs = np.clip(softmax(logits), KERAS_EPSILON, 1 - KERAS_EPSILON)
    return -np.mean(np.log(_picked(probs, y)))


def _unclipped_loss(logits, y):
    return -np.mean(np.log(_picked(softmax(logits), y)))


def _logsumexp_unshifted(logits, y):  # log-sum-exp without each row's max: exp(800) = inf
    return np.mean(np.log(np.sum(np.exp(logits), axis=1)) - _picked(logits, y))


def _logsumexp_global_max(logits, y):  # one max for the whole batch, not each row's
    m = np.max(logits)
    lse = m + np.log(np.sum(np.exp(logits - m), axis=1))
    return np.mean(lse - _picked(logits, y))


def _loss_from_logits(logits, y):
    return -np.mean(_picked(log_softmax(logits), y))


def _clipped_loss_tiny_clip(logits, y):  # a "smaller clip": the cap moves to −ln(1e-300)
    probs = np.clip(softmax(logits), 1e-300, 1.0)
    return -np.mean(np.log(_picked(probs, y)))


# A mean loss written by hand as a log-sum-exp shifted by anything but each row's own max:
# what 12 q2 and q9 (any finite logits, rows spanning 1520 and 1001 among the tests) name.
_LOG_SUM_EXP_BY_HAND = [
    MEAN_SHIFT(
        mean_shifted_loss,
        "Here the row [0, 1500, -20] (mean 493) computes exp(1007) = inf.",
    ),
    MIN_SHIFT(min_shifted_loss, "Here the row [0, -1000, 1] computes exp(1001) = inf."),
    NO_SHIFT(
        _logsumexp_unshifted,
        "Here exp(1500) overflows. Pass the logits (logits=).",
    ),
    GLOBAL_MAX(
        _logsumexp_global_max,
        "Here the row [-1500, -3000, -1480] lies far below the batch's 1500, so its "
        "log-sum-exp is log 0 = −inf. Pass the logits (logits=).",
    ),
]

EXERCISES = [
    Exercise(
        name="q1",
        prompt=(
            "A model ends with softmax, and its probabilities q go into a loss that applies "
            "softmax again (PyTorch's nn.CrossEntropyLoss). With C = 10 classes, what is the "
            "lowest loss this training loop can ever report, however well the model fits?"
        ),
        answer=_floor(10),
        tags=("confusion-a",),
        hints=[
            "On the simplex, softmax(q)_y is largest when q is one-hot: q_y = 1 and every "
            "other q_c = 0.",
            "At a one-hot q, what are the C numbers the second softmax receives? How much of "
            "the probability can the true class get from them?",
        ],
        worked_solution=(
            "Softmax of a probability vector is most peaked at a one-hot q, where "
            "softmax(q)_y = e / (e + 9). The floor is −ln(e / (e + 9)) = ln(1 + 9/e) = "
            "ln(4.311) = 1.461 nats: the double softmax keeps the loss above it forever."
        ),
        misconceptions=[
            (
                float(np.log(10) - 1),
                "ln C − 1 is what section 2 says the floor comes close to for many classes; for "
                "C = 10 it is still 0.16 below the floor itself, ln(1 + (C − 1)/e). Compute "
                "that.",
            ),
            DOUBLE_SOFTMAX(
                0.0,
                "0 is the floor of a correctly used cross-entropy. Here even a one-hot "
                "q = (1, 0, …, 0) becomes softmax(q) = (e, 1, …, 1) / (e + 9), far from certain.",
            ),
            (
                math.log(10),
                "ln 10 is the loss of a uniform guess. The floor here is lower: "
                "the best the model can do is a one-hot q, and softmax of it gives the true "
                "class e / (e + 9).",
            ),
            OTHER_EXAMPLE(
                _floor(3),
                "0.5514 is the floor for C = 3 classes. Redo it with C = 10: the true class "
                "competes with 9 others, each contributing e⁰ = 1.",
            ),
            (
                math.log(1 + 10 / math.e),
                "You counted C = 10 other classes; the true class has C − 1 = 9 competitors: "
                "ln(1 + 9/e).",
            ),
            NO_MINUS(
                -_floor(10),
                "(ln(e / (e + 9)) = −1.461 is the log-probability of the true class.)",
            ),
            NO_LOG(
                math.e / (math.e + 9),
                "(e / (e + 9) is the best probability the true class can get here.)",
            ),
            BITS(_floor(10) / math.log(2), "(That is the floor, in bits.)"),
            LOG10(_floor(10) / math.log(10), "Losses are in nats: use the natural log."),
            (
                math.log(1 + 9 * math.e),
                "Sign of the exponent: the other classes' terms are e^(q_c − q_y) = e^(0 − 1) "
                "= 1/e at a one-hot q, so the floor is ln(1 + 9/e).",
            ),
        ],
    ),
    Exercise(
        name="q2",
        prompt=(
            "Debug this: batch_loss(logits, y) is meant to return the mean cross-entropy of a "
            "batch, given the model's logits (N, C) and class indices y (N,). Its loss never "
            "falls below ln(1 + (C − 1)/e). Fix it and pass the fixed function; it must be exact "
            "for any finite logits (the tests include a true class 800 below the others)."
        ),
        answer=_batch_loss,
        kind="function",
        tags=("debug", "confusion-a"),
        test_inputs=[
            (
                np.array([[2.0, -1.0, 0.5], [0.3, 0.2, -2.0], [-1.0, 3.0, 0.0]]),
                np.array([0, 1, 1]),
            ),
            (_RNG.normal(size=(5, 4)) * 3, np.array([3, 0, 2, 2, 1])),
            (np.array([[-800.0, 0.0, 0.0], [2.0, 1.0, 0.0]]), np.array([0, 0])),
            (SPAN_1500, SPAN_1500_LABELS),
            (SPAN_1000, SPAN_1000_LABELS),
            (SPAN_FIRST, SPAN_FIRST_LABELS),
        ],
        hints=[
            "What does xl.cross_entropy(y, logits=...) do to the numbers you give it, before "
            "taking the log?",
            "The logits are already available: the loss does not need the model's softmax.",
        ],
        worked_solution=(
            "def batch_loss(logits, y):\n"
            "    return xl.cross_entropy(y, logits=logits)\n"
            "\n"
            "# Not the same: xl.cross_entropy(y, probs=xl.softmax(logits)). It gives the same\n"
            "# number while every probability is well above 0, but it forms the probabilities\n"
            "# first: for a true class 800 below the others softmax underflows to 0 and the\n"
            "# loss is inf, where the logits give 800.69, 800 + ln 2 (lesson 04)."
        ),
        misconceptions=[
            DOUBLE_SOFTMAX(
                _batch_loss_double_softmax,
                "Still the bug: cross_entropy(logits=...) applies softmax itself, so giving it "
                "softmax(logits) applies softmax twice. Pass the logits.",
            ),
            (
                _batch_loss_every_class,
                "You averaged −log q over every class of every row. Cross-entropy with class "
                "indices takes −log q of the true class only: the mean of −log q[i, y[i]].",
            ),
            SUM(_batch_loss_sum, "Use the default reduction='mean'."),
            NOT_FINITE(
                _batch_loss_via_probs,
                "No double softmax any more, but cross_entropy(y, probs=softmax(logits)) forms "
                "the probabilities first: a true class 800 below the others gets probability 0 "
                "and the loss is inf, where the logits give 800.69. Pass the logits (logits=).",
            ),
            *_LOG_SUM_EXP_BY_HAND,
            EXTRA_N(_batch_loss_extra_n),
            CAPPED(
                Symptom(capped_below_the_answer, _batch_loss_eps_in_log),
                "Here a true class 800 below the others costs far less than its 800 nats. Pass "
                "the logits (logits=).",
            ),
        ],
    ),
    Exercise(
        name="q3",
        prompt=(
            "Debug this: loss_from_probs(probs, y) gets a model's probabilities (N, C) and "
            "class indices y, and returns nll_loss_like_torch(probs, y), what PyTorch's "
            "F.nll_loss computes. It prints a negative loss. Fix it so it returns the mean "
            "cross-entropy of the probabilities, exactly for any probabilities > 0 (the tests "
            "include 1e-300): one change to what it passes to nll_loss_like_torch does it."
        ),
        answer=_loss_from_probs,
        kind="function",
        tags=("debug", "confusion-b"),
        test_inputs=[
            (np.array([[0.1, 0.4, 0.5], [0.8, 0.1, 0.1]]), np.array([2, 0])),
            (_RNG.dirichlet(np.ones(4), size=5), np.array([0, 3, 1, 1, 2])),
            # a true class at 1e-300: −ln 1e-300 = 690.8, where a clip at 1e-7 gives 16.12
            (np.array([[1e-300, 0.5, 0.5], [0.8, 0.1, 0.1]]), np.array([0, 0])),
            # two true classes at 1e-300: their product, 1e-600, underflows to 0.0
            (
                np.array([[1e-300, 1 - 1e-300], [1e-300, 1 - 1e-300], [0.5, 0.5]]),
                np.array([0, 0, 1]),
            ),
        ],
        hints=[
            "nll_loss_like_torch takes no log and applies no softmax: it only picks each row's "
            "entry at the true class and flips its sign.",
            "It returns −mean(x[n, y_n]) of whatever x it gets. For that to be the "
            "cross-entropy −mean(log q[n, y_n]), what must x be?",
        ],
        worked_solution=(
            "def loss_from_probs(probs, y):\n"
            "    return nll_loss_like_torch(np.log(probs), y)\n"
            "\n"
            "# nll_loss expects log-probabilities; on the seed's example this gives 0.4581."
        ),
        misconceptions=[
            UNDERFLOW_PRODUCT(
                lambda probs, y: -np.log(np.prod(probs[np.arange(len(y)), y])) / len(y),
                "Here two true classes have probability 1e-300: their product, 1e-600, is 0.0 "
                "in float64 and the loss comes out inf, where −mean(log q) is 460.75.",
            ),
            CAPPED(
                Symptom(
                    capped_below_the_answer,
                    lambda probs, y: _nll_like_torch(np.log(np.clip(probs, 1e-7, 1.0)), y),
                ),
                "Here a true class has probability 1e-300: its loss is −ln 1e-300 = 690.8 nats, "
                "and a clip at 1e-7 counts it as 16.12 in the mean, Keras's capped loss. These "
                "probabilities are never 0: use np.log(probs).",
            ),
            NLL_PROBS(
                lambda probs, y: _nll_like_torch(probs, y),
                "Still the bug: on probabilities it returns minus the mean probability of the "
                "true classes, a negative number.",
            ),
            DOUBLE_SOFTMAX(
                lambda probs, y: _nll_like_torch(log_softmax(probs), y),
                "log_softmax (or a loss that takes logits) applied to probabilities softmaxes "
                "them again. The log-probabilities of probabilities are just np.log(probs).",
            ),
            LOG10(
                lambda probs, y: _nll_like_torch(np.log10(probs), y),
                "Cross-entropy (and every framework) uses the natural log, np.log: nats.",
            ),
            BITS(lambda probs, y: _nll_like_torch(np.log2(probs), y)),
            (
                lambda probs, y: -_nll_like_torch(np.log(probs), y),
                "Two minus signs: nll_loss already negates the log-probabilities, so your loss "
                "is negative. Pass np.log(probs) and keep nll_loss's sign.",
            ),
            (
                lambda probs, y: -_nll_like_torch(probs, y),
                "Negating the result hides the symptom (the loss is positive now) but not the "
                "bug: it is the mean probability of the true classes, not a cross-entropy, "
                "and minimising it barely moves a confidently wrong example. nll_loss expects "
                "log-probabilities: take np.log(probs) first.",
            ),
            WRONG_CLASS(
                lambda probs, y: _nll_like_torch(np.log(1 - probs), y),
                "np.log(1 - probs) scores the probability of every other class.",
            ),
        ],
    ),
    Exercise(
        name="q4",
        prompt=(
            "Debug this: step(W, X, y) does one gradient-descent step of softmax regression "
            "(logits X @ W) with lr = 0.5. It works on a batch of 10, but on a batch of 3000 its "
            "loss overshoots to more than a thousand nats and does not settle. Keep lr = 0.5 "
            "and fix the step so it works for every batch size; return the new W."
        ),
        answer=_step,
        kind="function",
        in_place_ok=True,  # an update step: W -= lr * grad, then return W, is the idiom
        tags=("debug", "confusion-h"),
        # As many samples as features, so that a step that forgets X.T @ (W - lr * grad)
        # runs and is recognised, instead of failing with a shape error; and then N = 7,
        # D = 5, C = 3, all different, so that dividing by D (X.shape[1], W.shape[0]) or C
        # instead of N is caught (issue 22: both square inputs accepted it).
        test_inputs=[
            _step_inputs(4, n_features=4),
            _step_inputs(6, n_features=6),
            _STEP_NDC,
        ],
        hints=[
            "Compare the size of the gradient for a batch of 10 and a batch of 3000: which "
            "reduction makes it grow with the batch?",
            "The gradient of the sum is N times the gradient of the mean.",
        ],
        worked_solution=(
            "def step(W, X, y):\n"
            "    lr = 0.5\n"
            "    _, grad = xl.cross_entropy_with_grad(y, logits=X @ W)  # the mean: grad is / N\n"
            "    return W - lr * X.T @ grad"
        ),
        misconceptions=[
            SUM(
                _step_sum,
                "Still the bug: the gradient of the summed loss grows with the batch size N, so "
                "a fixed lr = 0.5 takes steps N times too long on a big batch.",
            ),
            EXTRA_N(
                _step_divided_twice,
                "With reduction='mean' the gradient is already divided by N (and so is an lr "
                "divided by N).",
            ),
            (
                _step_no_chain_rule,
                "You subtracted the gradient with respect to the logits, ∂L/∂Z (shape N × C), "
                "from W (shape features × C). The chain rule through Z = X @ W gives "
                "∂L/∂W = X.T @ ∂L/∂Z: the step is W − lr · X.T @ grad.",
            ),
            ASCENT(_step_ascent),
        ],
    ),
    Exercise(
        name="q5",
        prompt=(
            "Debug this: weighted_loss(logits, y, weight) should return the class-weighted "
            "cross-entropy exactly as PyTorch's F.cross_entropy(logits, y, weight=weight) "
            "computes it, for any finite logits (the tests include a true class 800 below the "
            "others and a row spanning 1520). It divides the weighted sum by len(y). Fix it."
        ),
        answer=_weighted_loss,
        kind="function",
        tags=("debug", "confusion-i"),
        test_inputs=[
            (
                np.array([[2.0, 0.0, -1.0], [0.5, 0.3, 0.2], [1.0, 2.0, 0.0], [0.0, 0.0, 3.0]]),
                np.array([0, 1, 1, 2]),
                np.array([1.0, 3.0, 0.5]),
            ),
            (
                _RNG.normal(size=(5, 4)) * 2,
                np.array([3, 3, 0, 1, 2]),
                np.array([2.0, 0.5, 1.0, 4.0]),
            ),
            (
                np.array([[-800.0, 0.0, 0.0], [1.0, 0.0, 2.0]]),
                np.array([0, 2]),
                np.array([1.0, 3.0, 0.5]),
            ),
            (SPAN_1500, SPAN_1500_LABELS, np.array([1.0, 3.0, 0.5])),
            (SPAN_1000, SPAN_1000_LABELS, np.array([1.0, 3.0, 0.5])),
            (SPAN_FIRST, SPAN_FIRST_LABELS, np.array([1.0, 3.0, 0.5])),
        ],
        hints=[
            "If every class had weight 3, the weighted loss should equal the unweighted one. "
            "What must you divide by for that to hold?",
            "Which weights do the samples of this batch carry? The normaliser is made of those.",
        ],
        worked_solution=(
            "def weighted_loss(logits, y, weight):\n"
            "    per_sample = -xl.log_softmax(logits)[np.arange(len(y)), y]\n"
            "    return np.sum(weight[y] * per_sample) / np.sum(weight[y])\n"
            "\n"
            "# the same as xl.cross_entropy(y, logits=logits, weight=weight)"
        ),
        misconceptions=[
            WEIGHTED_TOTAL(_weighted_loss_by_n, "Still the bug: you divide by N."),
            WEIGHTED_TOTAL(
                _weighted_loss_by_all_weights,
                "You divided by the sum of all the class weights, weight.sum(); use "
                "np.sum(weight[y]), the weights of this batch's targets.",
            ),
            UNWEIGHTED(_weighted_loss_unweighted),
            NOT_FINITE(
                _weighted_loss_via_probs,
                "-np.log(softmax(logits)) forms the probabilities first: a true class 800 below "
                "the others gets probability 0 and its loss is inf, where F.cross_entropy gives "
                "800.69 (800 + ln 2). Take xl.log_softmax of the logits.",
            ),
            MEAN_SHIFT(
                _weighted_loss_mean_shift,
                "Here the row [0, 1500, -20] (mean 493) computes exp(1007) = inf.",
            ),
            MIN_SHIFT(
                lambda logits, y, weight: _weighted_by_target(
                    -_picked(shifted_log_softmax(logits, "min"), y), y, weight
                ),
                "Here the row [0, -1000, 1] computes exp(1001) = inf.",
            ),
            NO_SHIFT(
                _weighted_loss_unshifted,
                "Here exp(1500) overflows. Take xl.log_softmax of the logits.",
            ),
            GLOBAL_MAX(
                _weighted_loss_global_max,
                "Here the row [-1500, -3000, -1480] lies far below the batch's 1500, so its "
                "log-sum-exp is log 0 = −inf. Take xl.log_softmax of the logits.",
            ),
            WEIGHTED_TOTAL(
                _weighted_loss_by_mean_weight,
                "You divided by the mean class weight, np.mean(weight): divide the weighted "
                "sum by np.sum(weight[y]), the total weight of this batch's targets.",
            ),
            WEIGHTED_TOTAL(
                _weighted_loss_unnormalised,
                "You return the weighted sum and divide by nothing.",
            ),
            WEIGHTED_TOTAL(
                _weighted_loss_by_classes,
                "You divided by len(weight), the number of classes C.",
            ),
        ],
    ),
    Exercise(
        name="q6",
        unit="nats",
        prompt=(
            "A batch holds 8 token positions; 3 of them are padding, labelled −100. The 5 real "
            "tokens' losses add up to 4.0 nats. What does PyTorch's F.cross_entropy(logits, "
            "labels) return with its default arguments?"
        ),
        answer=0.8,
        hints=[
            "Look up the default value of ignore_index in F.cross_entropy.",
            "A mean needs a sum and a count. Does an ignored position count in the sum? In the count?",
        ],
        worked_solution=(
            "ignore_index defaults to −100, so the padding is ignored: it contributes nothing to "
            "the sum and is not counted. The mean is 4.0 / 5 = 0.8 nats."
        ),
        misconceptions=[
            (
                0.5,
                "You divided by all 8 positions. Ignored targets leave the mean's denominator "
                "too: 4.0 / 5. (Dividing by 8 is what masking the losses to 0 and taking "
                "the mean does.)",
            ),
            SUM(
                4.0, "F.cross_entropy's default is the mean over the 5 tokens that are not ignored."
            ),
            (
                4.0 / 3,
                "You divided by the 3 padding positions; the mean is over the 5 real tokens.",
            ),
            (
                5 / 8,
                "5/8 is the share of real tokens among the 8 positions. The loss is the mean of "
                "the real tokens' losses: their sum divided by how many they are.",
            ),
        ],
    ),
    Exercise(
        name="q7",
        prompt=(
            "Keras's SparseCategoricalCrossentropy() (so from_logits=False) is given "
            "probabilities computed outside the model, and the true class of one example has a "
            "probability of exactly 0. Keras reports a loss of 16.12 for it, not infinity. Why? (a) Keras computes the loss from logits with "
            "log-sum-exp, which stays finite even for a probability of 0; (b) Keras clips the "
            "probabilities to [1e-7, 1 − 1e-7] before the log, so no loss exceeds −ln(1e-7); "
            "(c) float32, Keras's default dtype, cannot hold a loss larger than 16.12 nats. "
            "Answer 'a', 'b' or 'c'."
        ),
        answer="b",
        kind="choice",
        tags=("explain-why", "confusion-d"),
        hints=[
            "What does Keras do to a probability before it takes the log, so that log(0) "
            "never happens?",
            "Compare 16.12 with −ln of Keras's fuzz factor, keras.config.epsilon().",
        ],
        worked_solution=(
            "(b): −ln(1e-7) = 16.12. Keras clips to [ε, 1 − ε] with ε = 1e-7 "
            "(keras.config.epsilon()), so q = 0, 1e-9 and 1e-12 all cost 16.12, and the flat "
            "clipped region has zero gradient."
        ),
        explanation=(
            "−ln(1e-7) = 16.12: with probabilities, Keras avoids log(0) by clipping them to "
            "[1e-7, 1 − 1e-7]. The cap hides how wrong the model is, and the loss is flat "
            "there, so the gradient is zero. Pass logits with from_logits=True instead."
        ),
        misconceptions=[
            (
                "a",
                "That is what from_logits=True does. With from_logits=False (the default) and "
                "probabilities computed outside the model, Keras has only the probabilities, "
                "no logits to shift, so it clips them to avoid log(0). (Only probabilities "
                "made by Keras's own softmax or sigmoid on the TensorFlow backend, or by any "
                "Softmax op inside a compiled tf.function, carry their logits along: section 8.)",
            ),
            (
                "c",
                "float32 holds numbers up to 3.4e38, and −log of its smallest normal number is "
                "about 87.3. 16.12 is −ln(1e-7): Keras's clip, not float32's range.",
            ),
        ],
    ),
    Exercise(
        name="q8",
        prompt=(
            "Debug this: padded_loss(logits, tokens) gets the logits (N, C) of N token "
            "positions and their labels, with −100 marking padding. It sets the padding's "
            "losses to 0 and takes the mean, so its value depends on how much padding the "
            "batch holds. Fix it so it returns what F.cross_entropy(logits, tokens) returns "
            "with its default ignore_index=−100, exactly even where a real token's class is 800 "
            "below the others (the tests include one)."
        ),
        answer=_padded_loss,
        kind="function",
        tags=("debug", "confusion-h"),
        test_inputs=[
            _token_inputs(6, 2),
            _token_inputs(3, 9),
            _token_inputs(5, 0),
            # a real token's class 800 below the others: its loss is 800 + ln 4, finite from
            # the logits, inf from −log(softmax(logits))
            (
                np.array([[-800.0, 0.0, 0.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0, 0.0], [0.0] * 5]),
                np.array([0, 1, PAD]),
            ),
            # a row 1000 below another's max: one max for the whole batch underflows it
            (
                np.array([[0.0, -800.0, 0.0, 0.0, 0.0], [1000.0, 0.0, 0.0, 0.0, 0.0]]),
                np.array([1, 0]),
            ),
            # padding in the middle, as where sequences are packed: not only at the end
            (
                np.array([[2.0, 0.0, 0.0, 0.0, 0.0], [0.0] * 5, [0.0, 0.0, 3.0, 0.0, 0.0]]),
                np.array([0, PAD, 2]),
            ),
        ],
        hints=[
            "Which positions should the mean count? Count them in the lesson's example of "
            "section 5.",
            "The masked sum is right; the denominator is not. Which positions does "
            "F.cross_entropy's mean count when ignore_index is set, and which does len() count?",
        ],
        worked_solution=(
            "def padded_loss(logits, tokens):\n"
            "    keep = tokens != -100\n"
            "    losses = xl.cross_entropy(np.where(keep, tokens, 0), logits=logits, "
            "reduction='none')\n"
            "    return np.sum(np.where(keep, losses, 0.0)) / np.sum(keep)\n"
            "\n"
            "# the same as xl.cross_entropy(tokens, logits=logits, ignore_index=-100)"
        ),
        misconceptions=[
            GLOBAL_MAX(
                _padded_loss_global_max,
                "Here the row [0, −800, 0, 0, 0] lies 1000 below the batch's max, so its "
                "log-sum-exp is log 0 = −inf. Pass the real tokens' logits to "
                "xl.cross_entropy(..., logits=...), which shifts each row by its own max.",
            ),
            (
                _padded_loss_by_all,
                "Still the mean over all N positions: the padding's zeros are averaged in, so "
                "the more padding, the smaller the loss (and its gradient). With ignore_index "
                "the mean divides by the real tokens only: the masked sum / np.sum(keep).",
            ),
            SUM(
                _padded_loss_sum,
                "(Over the real tokens.) Divide it by the number of real tokens, "
                "np.sum(tokens != -100).",
            ),
            (
                _padded_loss_pad_as_class0,
                "The padding is scored as if its label were class 0: its losses must leave the "
                "sum (mask them to 0) and its positions must leave the count the mean divides "
                "by.",
            ),
            (
                _padded_loss_by_padding,
                "You divided by the number of padding positions; the mean is over the real "
                "tokens, np.sum(tokens != -100).",
            ),
            EXTRA_N(_padded_loss_twice, "(Your mean over the real tokens is then divided by N.)"),
            (
                _padded_loss_positive_tokens,
                "tokens > 0 also drops every real token of class 0. Padding is exactly the "
                "label -100: keep = tokens != -100.",
            ),
            (
                _padded_loss_padding_summed,
                "You divide by the number of real tokens, but the padding's losses are still in "
                "the sum: mask them to 0 first (np.where(keep, losses, 0.0)).",
            ),
        ],
    ),
    Exercise(
        name="q9",
        prompt=(
            "Debug this: keras_loss(logits, y) mirrors a Keras model whose last layer outputs "
            "logits, compiled with loss=SparseCategoricalCrossentropy() (from_logits=False, "
            "the default), on the NumPy or JAX backend (on TensorFlow the same mistake gives "
            "0.7419 on the notebook's row): it returns the mean of "
            "keras_crossentropy(y, logits), section 8's mirror of that loss. Fix it so it returns the mean cross-entropy of the logits, "
            "what from_logits=True computes, exact for any finite logits (the tests include a "
            "gap of 20 between logits and logits of ±800)."
        ),
        answer=_keras_loss,
        kind="function",
        test_inputs=[
            (np.array([[2.0, 1.0, 0.1], [0.5, 2.5, 1.0]]), np.array([0, 2])),
            (_RNG.normal(size=(5, 4)) * 2, np.array([1, 0, 3, 2, 2])),
            # a true class 20 below the others: exact loss 20 + ln 2 = 20.69, clipped 16.12
            (np.array([[0.0, 20.0, 20.0], [1.0, 0.0, -1.0]]), np.array([0, 0])),
            (np.array([[800.0, 0.0, 0.0], [0.0, 800.0, -800.0]]), np.array([0, 0])),
            (SPAN_1500, SPAN_1500_LABELS),
            (SPAN_1000, SPAN_1000_LABELS),
            (SPAN_FIRST, SPAN_FIRST_LABELS),
        ],
        hints=[
            "What does a Keras loss with from_logits=False do to each row it is given, before "
            "the log? Is a row of logits something that may be treated that way?",
            "Lesson 04: which of xentlib's losses is handed logits, and takes the log-softmax "
            "itself without forming probabilities first? Keras has a switch for the same thing.",
        ],
        worked_solution=(
            "def keras_loss(logits, y):\n"
            "    return xl.cross_entropy(y, logits=logits)\n"
            "\n"
            "# In Keras: SparseCategoricalCrossentropy(from_logits=True), with no softmax in "
            "the last layer."
        ),
        misconceptions=[
            (
                _keras_loss_given_logits,
                "Still logits scored as probabilities. With from_logits=False Keras treats each "
                "row as probabilities: on the NumPy and JAX backends it divides the row by its "
                "sum and clips it to [1e-7, 1 − 1e-7] (section 8's mirror); on TensorFlow it "
                "clips first and normalises after. Either way logits become nonsense (negative "
                "logits are clipped to 1e-7, or make a row's sum negative). Pass the logits to a "
                "loss that applies log-softmax: from_logits=True, or xl.cross_entropy(y, logits=...).",
            ),
            DOUBLE_SOFTMAX(
                lambda logits, y: cross_entropy(y, logits=softmax(logits)),
                "cross_entropy(logits=...) already applies softmax: give it the logits themselves.",
            ),
            SUM(
                lambda logits, y: cross_entropy(y, logits=logits, reduction="sum"),
                "Keras's default reduction, like xentlib's, is the mean.",
            ),
            CAPPED(
                _keras_loss_softmax_layer,
                "A softmax layer before the loss makes the rows probabilities, but Keras still "
                "clips them at 1e-7: a true class 20 below the others costs 16.12 nats instead "
                "of 20.69. Keep the logits and use from_logits=True (xl.cross_entropy(y, "
                "logits=...)).",
            ),
            NO_SHIFT(
                _keras_loss_exp_normalised,
                "exp(logits) divided by its row sums is an unshifted softmax: exp(800) = inf "
                "gives nan. Pass the logits to a loss that takes logits.",
            ),
            NO_SHIFT(
                _keras_loss_unshifted_softmax,
                "Here your softmax overflows at a logit of 800. Pass the logits to a loss that "
                "takes logits (from_logits=True, xl.cross_entropy(y, logits=...)).",
            ),
            *_LOG_SUM_EXP_BY_HAND,
            NOT_FINITE(
                lambda logits, y: cross_entropy(y, probs=softmax(logits)),
                "cross_entropy(y, probs=softmax(logits)) forms the probabilities first: a true "
                "class 800 below the others gets probability 0 and the loss is inf. Pass the "
                "logits (logits=).",
            ),
            CAPPED(
                Symptom(capped_below_the_answer, _keras_loss_smaller_clip),
                "A smaller ε moves the cap (−ln 1e-12 = 27.6 nats) but keeps it: a true class "
                "800 below the others still costs less than its 800 nats. Use from_logits=True "
                "(xl.cross_entropy(y, logits=...)).",
            ),
        ],
        tags=("debug", "confusion-a", "confusion-d"),
    ),
    Exercise(
        name="q10",
        prompt=(
            "Debug this: clipped_loss(logits, y) computes softmax(logits), clips the "
            "probabilities to [1e-7, 1 − 1e-7] to avoid log(0), and returns the mean of −log "
            "of the true class's probability. On an example whose true class has a logit 800 "
            "below the others it reports 16.12, and its gradient there is 0. Rewrite it so it "
            "returns the exact mean cross-entropy for any finite logits (the tests use logits "
            "of ±800)."
        ),
        answer=_loss_from_logits,
        kind="function",
        tags=("debug", "confusion-d"),
        test_inputs=[
            (np.array([[2.0, -1.0, 0.5], [0.3, 0.2, -2.0]]), np.array([0, 2])),
            (np.array([[-800.0, 0.0, 0.0], [5.0, 1.0, -3.0]]), np.array([0, 0])),
            (np.array([[800.0, 0.0, -800.0], [0.0, 1.0, 2.0]]), np.array([1, 2])),
            (SPAN_1500, SPAN_1500_LABELS),
            (SPAN_1000, SPAN_1000_LABELS),
            (SPAN_FIRST, SPAN_FIRST_LABELS),
        ],
        hints=[
            "Where does the clip's cap come from, and what would remove the need for it? Is "
            "there a way to get log-probabilities without ever forming a probability?",
            "Work in log space: log softmax(z)_y can be written with z_y and one reduction of "
            "the whole row, which lesson 04 computes without overflow. xentlib has it, and a "
            "loss that takes logits uses it.",
        ],
        worked_solution=(
            "def clipped_loss(logits, y):\n"
            "    return -np.mean(xl.log_softmax(logits)[np.arange(len(y)), y])\n"
            "\n"
            "# or xl.cross_entropy(y, logits=logits): 400.36 on the second test batch, where "
            "the clipped loss says 8.07."
        ),
        misconceptions=[
            CAPPED(_clipped_loss, "Still the bug. Use xl.log_softmax of the logits."),
            (
                _unclipped_loss,
                "Without the clip, softmax underflows to exactly 0 for a logit 800 below the "
                "others, and log(0) = −inf: the loss is inf. Take log-softmax of the logits "
                "instead (z_y − logsumexp(z)), which is exact for any gap.",
            ),
            NO_SHIFT(
                _logsumexp_unshifted,
                "Right formula, logsumexp(z) − z_y, but here exp(800) overflows: use "
                "m = z.max(axis=1, keepdims=True) (lesson 04), or xl.log_softmax.",
            ),
            GLOBAL_MAX(
                _logsumexp_global_max,
                "Here the row (0, 1, 2) lies far below the batch's 800 and its log-sum-exp is "
                "log 0 = −inf (lesson 04).",
            ),
            MEAN_SHIFT(
                mean_shifted_loss,
                "Here the row [0, 1500, -20] (mean 493) computes exp(1007) = inf.",
            ),
            MIN_SHIFT(min_shifted_loss, "Here the row [0, -1000, 1] computes exp(1001) = inf."),
            NO_MINUS(
                lambda logits, y: np.mean(_picked(log_softmax(logits), y)),
                "(That is the mean log-probability of the true classes.)",
            ),
            SUM(lambda logits, y: -np.sum(_picked(log_softmax(logits), y))),
            CAPPED(
                Symptom(capped_below_the_answer, _clipped_loss_tiny_clip),
                "A smaller clip (or a smaller ε inside the log) moves the cap but keeps it: a "
                "true class 800 below the others still costs less than its 800 nats. Use "
                "xl.log_softmax of the logits.",
            ),
        ],
    ),
]
