"""Lesson 09 (binary and multi-label cross-entropy)."""

import numpy as np

from ..special import sigmoid
from ._catalogue import (
    BITS,
    CAPPED,
    CLIPPED_LOGITS,
    EXTRA_N,
    LOG_OF_MEAN,
    MEAN_SHIFT,
    NO_LOG,
    NO_MINUS,
    PERCENT,
    SIGMOID_ON_PROBS,
    SUM,
    SWAPPED_BRANCHES,
    UNDERFLOW_PRODUCT,
    WITH_LOGITS,
    Symptom,
    capped_below_the_answer,
    wrong_only_on_long_inputs,
)
from ._core import Exercise


def _bce(q, y):
    return -np.mean(y * np.log(q) + (1 - y) * np.log(1 - q))


def _bce_swapped(q, y):  # fastbook#403
    return -np.mean(y * np.log(1 - q) + (1 - y) * np.log(q))


def _bce_with_logits(z, y):
    return np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))


def _bce_naive(z, y):
    q = 1 / (1 + np.exp(-z))
    return -np.mean(y * np.log(q) + (1 - y) * np.log(1 - q))


def _bce_clipped(z, y):
    q = np.clip(1 / (1 + np.exp(-z)), 1e-7, 1 - 1e-7)
    return -np.mean(y * np.log(q) + (1 - y) * np.log(1 - q))


def _bce_log_sigmoid(z, y):  # log σ(z) and log σ(−z): σ(−800) underflows to 0
    return -np.mean(y * np.log(sigmoid(z)) + (1 - y) * np.log(sigmoid(-z)))


def _softplus_overflows(z, y):
    return np.mean(np.log(1 + np.exp(z)) - z * y)


def _bce_eps_in_log(z, y):  # sigmoid, then ε inside the logs: log(1e-7) caps the loss
    q = 1 / (1 + np.exp(-z))
    return -np.mean(y * np.log(q + 1e-7) + (1 - y) * np.log(1 - q + 1e-7))


def _softplus_mean_shift(z, y):  # log(e^0 + e^z) shifted by the pair's mean z/2
    return np.mean(z / 2 + np.log(np.exp(-z / 2) + np.exp(z / 2)) - z * y)


def _loss_of_clipped_logits(given, expected, inputs) -> bool:
    """The loss of the logits clipped to [−c, c] for one c, however computed (softplus, or σ
    then log, which is right to about 1e-3 there): wrong only where some |z| > c."""
    for c in (10.0, 15.0, 20.0, 30.0, 35.0, 50.0, 100.0, 500.0):
        clipped = [
            float(np.mean(np.logaddexp(0.0, np.clip(z, -c, c)) - np.clip(z, -c, c) * y))
            for z, y in inputs
        ]
        if all(
            np.size(g) == 1 and np.isclose(float(np.squeeze(g)), r, rtol=1e-3, atol=1e-6)
            for g, r in zip(given, clipped, strict=True)
        ) and not np.allclose(clipped, [float(e) for e in expected], rtol=1e-6):
            return True
    return False


def _softplus(z):
    return float(np.logaddexp(0.0, z))


N_IMAGES, N_BOATS = 1200, 150
# q1: a batch of 2000 labels, each with probability 0.6 of its own label: the product of the
# likelihoods (0.6^2000 ≈ 10^-444) underflows, so −log of that product is not the loss.
_BIG_Y = np.random.default_rng(9).integers(0, 2, size=2000).astype(float)
_BIG_Q = np.where(_BIG_Y == 1, 0.6, 0.4)
Z_NEG, PW_NEG = 1.5, 4.0

EXERCISES = [
    Exercise(
        name="q1",
        prompt=(
            "Debug this: bce_swapped(q, y) in the notebook returns "
            "−mean(y·log(1 − q) + (1 − y)·log q), with the two branches swapped (fastbook#403). "
            "Write the fixed bce(q, y): q holds the model's probabilities of the positive class, "
            "in (0, 1), however close to 0 (the tests include 1e-300), and y the 0/1 labels "
            "(same shape: the tests include a 2 × 2 array and 2000 labels); return the mean "
            "binary cross-entropy, exactly."
        ),
        answer=_bce,
        kind="function",
        test_inputs=[
            (np.array([0.9, 0.2, 0.6, 0.35]), np.array([1.0, 0.0, 0.0, 1.0])),
            (np.array([[0.99, 0.01], [0.5, 0.7]]), np.array([[1.0, 1.0], [0.0, 1.0]])),
            # q = 1e-300 for a positive: −ln 1e-300 = 690.8, where a clip at 1e-7 gives 16.12
            (np.array([1e-300, 0.5]), np.array([1.0, 0.0])),
            (_BIG_Q, _BIG_Y),
        ],
        hints=[
            "What probability does the model give to the label y = 1? And to y = 0? The loss of one example is −log of the probability of its own label.",
            "Try one example by hand, q = 0.9 with y = 1: the loss should be small. Which log does bce_swapped take for it, and which should it take?",
        ],
        worked_solution=(
            "def bce(q, y):\n"
            "    return -np.mean(y * np.log(q) + (1 - y) * np.log(1 - q))\n"
            "# A positive example pays −log q (small when q is near 1), a negative one −log(1 − q)."
        ),
        misconceptions=[
            CAPPED(
                Symptom(
                    capped_below_the_answer,
                    lambda q, y: _bce(np.clip(q, 1e-7, 1 - 1e-7), y),
                ),
                "Here a positive example has q = 1e-300: its loss is −ln 1e-300 = 690.8 nats, "
                "and a clip at 1e-7 counts it as 16.12 in the mean. These q are never 0 or 1, so both logs are "
                "finite: no guard is needed.",
            ),
            SWAPPED_BRANCHES(
                _bce_swapped,
                "Still the bug: your function charges a positive example −log(1 − q), so q → 0 "
                "(the wrong answer) gives it zero loss.",
            ),
            NO_MINUS(
                lambda q, y: np.mean(y * np.log(q) + (1 - y) * np.log(1 - q)),
                "That is the mean log-likelihood, which is ≤ 0 and is maximised.",
            ),
            SUM(
                lambda q, y: -np.sum(y * np.log(q) + (1 - y) * np.log(1 - q)),
                "The broken function (and PyTorch's default) takes the mean.",
            ),
            (
                lambda q, y: -np.mean(y * np.log(q) + (1 - y) * np.log(q)),
                "Both branches now use log q: the negative examples (y = 0) must pay −log(1 − q), "
                "the log of the probability the model gave *their* class.",
            ),
            BITS(lambda q, y: -np.mean(y * np.log2(q) + (1 - y) * np.log2(1 - q))),
            (
                lambda q, y: -np.mean(y * np.log(q)),
                "You kept only the positive term y·log q, so a negative example (y = 0) costs "
                "nothing whatever q is: the model could say q = 1 everywhere for free. A "
                "negative example must pay −log(1 − q): add (1 − y)·log(1 − q).",
            ),
            (
                lambda q, y: -np.mean(y * np.log(q) - (1 - y) * np.log(1 - q)),
                "Sign inside the bracket: both terms are log-likelihoods, added before the "
                "one minus in front: −[y·log q + (1 − y)·log(1 − q)].",
            ),
            SIGMOID_ON_PROBS(
                lambda q, y: (
                    -np.mean(
                        y * np.log(1 / (1 + np.exp(-q)))
                        + (1 - y) * np.log(1 - 1 / (1 + np.exp(-q)))
                    )
                ),
                "q already holds the model's probabilities: no σ here.",
            ),
            EXTRA_N(lambda q, y: _bce(q, y) / len(q)),
            LOG_OF_MEAN(
                lambda q, y: -np.log(np.mean(q**y * (1 - q) ** (1 - y))),
                "(−log of the mean likelihood.) The loss is the mean of the examples' −log "
                "likelihoods: −mean(y·log q + (1 − y)·log(1 − q)).",
            ),
            UNDERFLOW_PRODUCT(
                Symptom(
                    wrong_only_on_long_inputs,
                    lambda q, y: -np.log(np.prod(q**y * (1 - q) ** (1 - y))) / np.size(q),
                ),
                "Your function is right for a few examples, but on the test batch of 2000 the "
                "product of the likelihoods is far below 1e-308 and the loss comes out wrong "
                "(or inf): −mean(y·log q + (1 − y)·log(1 − q)) never forms it.",
            ),
        ],
        tags=("debug", "confusion-c"),
    ),
    Exercise(
        name="q2",
        prompt=(
            "Debug this: bce_naive(z, y) in the notebook computes q = 1 / (1 + exp(−z)) and then "
            "−mean(y·log q + (1 − y)·log(1 − q)); it returns inf or nan once a logit is large "
            "(try z = 40). Write bce_with_logits(z, y): the same mean loss, computed from the "
            "logits z directly and exact for every finite z (the tests use ±30, ±40, ±800 and "
            "±1500)."
        ),
        answer=_bce_with_logits,
        kind="function",
        rtol=1e-9,  # exact: the loss in float32 is off by about 1e-7 of its value
        test_inputs=[
            (np.array([0.5, -1.0, 2.0, 0.0]), np.array([1.0, 0.0, 1.0, 0.0])),
            (np.array([40.0, 40.0, -40.0, -800.0, 800.0]), np.array([1.0, 0.0, 1.0, 1.0, 0.0])),
            (np.array([30.0, -30.0]), np.array([0.0, 1.0])),
            (np.array([-800.0, 2.0]), np.array([0.0, 1.0])),
            # log(1 + e^z) shifted by the mean of (0, z) overflows once |z| > 1419.6 (2 × 709.78)
            (np.array([1500.0, -1500.0, 1500.0]), np.array([1.0, 0.0, 0.0])),
        ],
        hints=[
            "Write both logs of the loss with softplus(t) = log(1 + e^t): −log σ(z) and "
            "−log(1 − σ(z)) are each softplus of z or of −z. Which is which? Then the loss needs "
            "no σ at all.",
            "log(1 + e^t) written that way overflows at t = 800. Take the larger of e^0 and e^t "
            "out of 1 + e^t: what is left has an exponent that is never positive (np.log1p keeps "
            "it exact).",
        ],
        worked_solution=(
            "def bce_with_logits(z, y):\n"
            "    return np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))\n"
            "# It never forms σ(z), so it never takes log(0); its gradient is σ(z) − y."
        ),
        misconceptions=[
            CLIPPED_LOGITS(
                Symptom(
                    _loss_of_clipped_logits,
                    lambda z, y: np.mean(
                        np.logaddexp(0.0, np.clip(z, -30, 30)) - np.clip(z, -30, 30) * y
                    ),
                ),
                "Here z = 40 with y = 0 costs 40 nats, and clipped to 30 it costs 30; "
                "softplus(z) − z·y is exact for every finite z without a clip.",
            ),
            WITH_LOGITS(
                _bce_naive,
                "That is still sigmoid-then-log: σ(40) rounds to exactly 1.0, so the loss is inf "
                "(y = 0) or 0·(−inf) = NaN (y = 1); already at z = 30 it is off by 0.001.",
            ),
            CAPPED(
                _bce_clipped,
                "Here the loss of z = 40, y = 0 is capped at 16.1 nats; its true loss is 40. "
                "Compute the loss with logits (the softplus form) instead.",
            ),
            (
                _bce_log_sigmoid,
                "Right formula, but not for |z| = 800: either σ(−800) underflows to exactly 0 "
                "and log 0 = −inf, or exp(800) overflows to inf and log(1 + inf) = inf, so your "
                "loss is inf (or nan, from 0 times an infinity) there. Take the log analytically: "
                "−log σ(z) = softplus(−z) and −log σ(−z) = softplus(z), so the loss is "
                "softplus(z) − z·y, with softplus(z) = max(z, 0) + log1p(exp(−|z|)).",
            ),
            (
                _softplus_overflows,
                "Right formula, softplus(z) − z·y, but log(1 + exp(z)) overflows at z = 800 "
                "(exp(800) = inf). Write softplus(z) = max(z, 0) + log1p(exp(−|z|)).",
            ),
            MEAN_SHIFT(
                _softplus_mean_shift,
                "Here log(e^0 + e^z) shifted by the mean of (0, z), z/2, computes exp(750) = inf "
                "at z = ±1500. Factor out the larger, max(z, 0).",
            ),
            (
                lambda z, y: np.mean(-z * y + np.log1p(np.exp(-np.abs(z)))),
                "Your softplus lost its max(z, 0): log(1 + e^z) = max(z, 0) + log(1 + e^−|z|), "
                "and the second part alone is only the small correction (at most ln 2), so "
                "every example with z > 0 loses z from its loss.",
            ),
            (
                lambda z, y: np.mean(np.maximum(z, 0) + z * y + np.log1p(np.exp(-np.abs(z)))),
                "Sign error: the loss is softplus(z) − z·y (a positive example with a large z "
                "must cost almost nothing), not + z·y.",
            ),
            (
                lambda z, y: np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-z))),
                "The last term needs the absolute value, log(1 + e^(−|z|)): for a negative z, "
                "max(z, 0) + log(1 + e^(−z)) is not softplus(z), and e^(800) overflows.",
            ),
            SUM(
                lambda z, y: np.sum(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))),
                "Your per-example losses are right; the broken function takes the mean.",
            ),
            SWAPPED_BRANCHES(
                lambda z, y: np.mean(np.maximum(z, 0) - z * (1 - y) + np.log1p(np.exp(-np.abs(z)))),
                "With logits the loss is softplus(z) − z·y: the − z·y term belongs to the "
                "positive examples (y = 1).",
            ),
            EXTRA_N(lambda z, y: _bce_with_logits(z, y) / len(z)),
            CAPPED(
                Symptom(capped_below_the_answer, _bce_eps_in_log),
                "Here: at z = 40, y = 0 the true loss is 40 nats. Compute the loss with logits "
                "(the softplus form) instead.",
            ),
        ],
        tags=("debug", "confusion-f", "confusion-d"),
    ),
    Exercise(
        name="q3",
        unit="",
        prompt=(
            f"A multi-label data set has {N_IMAGES} training images; the label 'boat' is on in "
            f"{N_BOATS} of them. Following PyTorch's documentation of BCEWithLogitsLoss, what "
            "pos_weight should the 'boat' column get?"
        ),
        answer=(N_IMAGES - N_BOATS) / N_BOATS,
        hints=[
            "PyTorch's documentation suggests a ratio of two counts of each label's examples. "
            "Which two, and which goes on top?",
            "pos_weight multiplies the positive examples' loss so that, together, they weigh as "
            "much as the negative examples do. Count both for 'boat'.",
        ],
        worked_solution=(
            "n_negative = 1200 − 150 = 1050, so pos_weight = 1050 / 150 = 7. Each positive "
            "example then counts 7 times, and the boats weigh as much as the 1050 non-boats."
        ),
        misconceptions=[
            (
                N_BOATS / (N_IMAGES - N_BOATS),
                "Inverted: that is n_positive / n_negative. pos_weight multiplies the loss of the "
                "positive examples, so a rare label needs a weight above 1: n_negative / n_positive.",
            ),
            (
                N_IMAGES / N_BOATS,
                "That is n_total / n_positive: count only the *negative* examples in the "
                "numerator, n_negative / n_positive.",
            ),
            (
                N_BOATS / N_IMAGES,
                "That is the fraction of positive examples, not a weight. pos_weight = "
                "n_negative / n_positive.",
            ),
            (
                N_IMAGES - N_BOATS,
                "1050 is the number of negative examples, the numerator: divide it by the "
                "number of positive ones.",
            ),
            (
                (N_IMAGES - N_BOATS) / N_IMAGES,
                "That is the fraction of negative examples, n_negative / n_total. pos_weight "
                "divides by the number of positives: n_negative / n_positive.",
            ),
        ],
    ),
    Exercise(
        name="q4",
        prompt=(
            f"A negative example (y = 0) has logit z = {Z_NEG}, and the loss is BCE with logits "
            f"with pos_weight = {PW_NEG:g} (PyTorch semantics). What is its loss, in nats?"
        ),
        answer=_softplus(Z_NEG),
        hints=[
            "Write out the weighted loss −[pos_weight·y·log σ(z) + (1 − y)·log(1 − σ(z))] "
            "with y = 0: which terms are left?",
            "pos_weight multiplies only one of the two terms. Which one, and is it there at all "
            "for this example?",
        ],
        worked_solution=(
            "pos_weight multiplies only the positive term, which is 0 when y = 0. The loss is "
            "−log(1 − σ(1.5)) = log(1 + e^1.5) = 1.701 nats, as without pos_weight. (A sample "
            "weight, weight=4, would multiply it.)"
        ),
        misconceptions=[
            (
                PW_NEG * _softplus(Z_NEG),
                "pos_weight multiplies only the positive term y·log σ(z), which is 0 for y = 0: "
                "a negative example's loss does not change. (A per-element weight, weight=4, "
                "would multiply it by 4.)",
            ),
            SWAPPED_BRANCHES(
                _softplus(-Z_NEG),
                "−log σ(z) is the loss of a *positive* example; for y = 0 the loss is "
                "−log(1 − σ(z)) = log(1 + e^z).",
            ),
            (
                PW_NEG * _softplus(-Z_NEG),
                "That is the loss of a *positive* example with pos_weight: for y = 0 the loss "
                "is −log(1 − σ(z)), and pos_weight does not touch it.",
            ),
            BITS(_softplus(Z_NEG) / np.log(2), "(That is the right loss, in bits.)"),
            NO_MINUS(
                -_softplus(Z_NEG), "log(1 − σ(z)) is the log-likelihood; the loss is minus it."
            ),
            NO_LOG(
                float(1 / (1 + np.exp(Z_NEG))),
                "(0.182 is 1 − σ(z), the probability the model gives the true class y = 0; "
                "the loss is −log of it.)",
            ),
            (
                float(1 / (1 + np.exp(-Z_NEG))),
                "That is σ(z) = σ(z) − y, the gradient for y = 0, not the loss. The loss is "
                "−log(1 − σ(z)).",
            ),
        ],
    ),
    Exercise(
        name="q5",
        prompt=(
            "Photos are tagged with any of 'cat', 'dog' and 'car' (a photo may have several "
            "tags, or none). Why is one softmax over the three tags, trained with categorical "
            "cross-entropy, the wrong output layer? (a) softmax overflows with more than two "
            "outputs unless each row is first shifted by its maximum; (b) categorical "
            "cross-entropy needs one-hot targets, and a photo with two tags has none; (c) its "
            "outputs always sum to 1, so it cannot give both 'cat' and 'dog' a high probability, "
            "nor every tag a probability near 0 ('no tag'); (d) nothing is wrong, provided we keep every tag whose softmax "
            "probability is above 0.5. Answer 'a', 'b', 'c' or 'd'."
        ),
        answer="c",
        kind="choice",
        hints=[
            "Add up the softmax probabilities of a photo that shows a cat and a dog. What is the "
            "most each of the two can get?"
        ],
        worked_solution=(
            "(c). Softmax models 'exactly one of C classes' (multi-class): its outputs are a "
            "distribution. Tags are several independent yes/no questions (multi-label): one "
            "sigmoid per tag, trained with binary cross-entropy, can say yes to any subset, "
            "including none. (A softmax over every *set* of tags, 2³ = 8 classes, could also "
            "represent the data, at the cost of 2^L outputs for L tags.)"
        ),
        misconceptions=[
            (
                "a",
                "The max-shift (lesson 04) is how every library computes softmax, and then it "
                "never overflows, for any number of outputs. The problem is what it can "
                "express: its outputs always sum to 1.",
            ),
            (
                "b",
                "Categorical cross-entropy accepts soft targets such as (0.5, 0.5, 0). The "
                "trouble is that any distribution over the tags says 'exactly one tag is "
                "true': a multi-label problem needs one sigmoid and one BCE per tag.",
            ),
            (
                "d",
                "With outputs that sum to 1, at most one tag can be above 0.5: a photo with a "
                "cat and a dog gets at best (0.5, 0.5, 0), and neither tag passes. That is the "
                "multi-label vs multi-class confusion: use one sigmoid + BCE per tag.",
            ),
        ],
        explanation=(
            "Right: softmax says 'exactly one class' (multi-class). For multi-label data each "
            "tag is its own yes/no question: one sigmoid per tag with binary cross-entropy can "
            "predict any subset. In the lesson, softmax got none of the 'both' examples right."
        ),
        tags=("explain-why", "confusion-g"),
    ),
    Exercise(
        name="q6",
        fraction=True,
        prompt=(
            "A 10-class problem with one-hot labels is compiled in Keras with "
            "loss='binary_crossentropy' and metrics=['binary_accuracy'] (the metric that older "
            "Keras versions chose for metrics=['accuracy'] with this loss). On every example the model outputs 0.3 for the true class and 0.05 for "
            "each of the other nine. What binary accuracy does Keras report (as a fraction)?"
        ),
        answer=0.9,
        hints=[
            "binary_accuracy thresholds every one of the ten outputs at 0.5 and averages over all of them.",
            "For one example: is the true class's output (0.3, label 1) on the right side of 0.5? "
            "Are the nine others (0.05, label 0)?",
        ],
        worked_solution=(
            "Per example, the nine other outputs (0.05 → 0, label 0) are right and the true "
            "class's output (0.3 → 0, label 1) is wrong: 9 of 10, so 0.9. Yet the argmax picks the "
            "true class every time (real accuracy 1.0), and no example has all ten outputs "
            "right (exact match 0)."
        ),
        misconceptions=[
            (
                1.0,
                "That is the real (argmax) accuracy: 0.3 is the largest output every time. "
                "Keras's binary accuracy thresholds each of the ten outputs at 0.5 and averages "
                "them, the multi-label metric applied to a multi-class problem.",
            ),
            (
                0.0,
                "That is the exact-match accuracy (all ten outputs right), which is 0 here "
                "because 0.3 is below 0.5. Keras's binary accuracy averages over the ten "
                "outputs instead: a multi-label metric.",
            ),
            PERCENT(90.0, "Keras reports a fraction too."),
            (
                0.3,
                "0.3 is the true class's output, a probability, not an accuracy. Threshold "
                "each of the ten outputs at 0.5 and count the ones on the right side.",
            ),
            (
                0.1,
                "Count the outputs on the right side of 0.5, not the wrong ones: the nine "
                "negatives at 0.05 are right.",
            ),
            (
                0.95,
                "0.95 is 1 − 0.05, one negative output's probability of being negative: a "
                "probability, not an accuracy. Binary accuracy thresholds each of the ten outputs at 0.5 and "
                "counts the ones on the right side: the nine negatives are, the true class's "
                "0.3 is not.",
            ),
        ],
        tags=("confusion-g",),
    ),
]
