"""Lesson 10 (why not MSE?)."""

import numpy as np

from ..special import sigmoid, softmax
from ._catalogue import (
    CLIPPED_LOGITS,
    GLOBAL_MAX,
    INDEX_AS_ONEHOT,
    JACOBIAN_DIAGONAL,
    MEAN_SHIFT,
    MIN_SHIFT,
    NO_SHIFT,
    ONE_TERM,
    OVER_CLASSES,
    SIGN,
    SPAN_1000,
    SPAN_1000_LABELS,
    SPAN_1500,
    SPAN_1500_LABELS,
    SPAN_FIRST,
    SPAN_FIRST_LABELS,
    SUM,
    mean_shifted_softmax,
    min_shifted_softmax,
)
from ._core import Exercise

# q1: squared error on a sigmoid output, a positive example with a confidently wrong logit.
Z_WRONG = -4.0
_S = float(sigmoid(Z_WRONG))

# q3: a coin with P(heads) = 0.7, an overconfident forecast (0.9, 0.1), the Brier score.
P_COIN = np.array([0.7, 0.3])
Q_OVER = np.array([0.9, 0.1])
_BRIER_IF = [float(np.sum((Q_OVER - np.eye(2)[k]) ** 2)) for k in range(2)]  # heads, tails


def _one_hot(logits, y):
    return np.eye(logits.shape[1])[y]


# q5: the gradient of the mean of ‖softmax(z) − e_y‖² with respect to the logits.
def _se_grad(logits, y):
    q = softmax(logits, axis=1)
    g = 2 * (q - _one_hot(logits, y))
    return q * (g - np.sum(q * g, axis=1, keepdims=True)) / len(y)


def _se_grad_through(softmax_of):
    """The right gradient with the softmax computed by ``softmax_of`` (an unstable one)."""

    def se_grad(logits, y):
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            q = softmax_of(np.asarray(logits, dtype=float))
            g = 2 * (q - _one_hot(logits, y))
            return q * (g - np.sum(q * g, axis=1, keepdims=True)) / len(y)

    return se_grad


def _softmax_unshifted(z):
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _softmax_global_max(z):
    e = np.exp(z - np.max(z))
    return e / e.sum(axis=1, keepdims=True)


def _softmax_clipped_logits(z):  # logits clipped to ±50 "to avoid overflow"
    return softmax(np.clip(z, -50.0, 50.0), axis=1)


def _se_grad_on_logits(logits, y):  # the bug: squared error of the logits themselves
    return 2 * (logits - _one_hot(logits, y)) / len(y)


def _se_grad_diagonal(logits, y):  # the Jacobian's diagonal only
    q = softmax(logits, axis=1)
    return 2 * (q - _one_hot(logits, y)) * q * (1 - q) / len(y)


def _se_grad_wrt_probs(logits, y):  # ∂L/∂q, no softmax step
    return 2 * (softmax(logits, axis=1) - _one_hot(logits, y)) / len(y)


def _se_grad_one_dot_product(logits, y):  # np.sum(q * g) over the whole batch
    q = softmax(logits, axis=1)
    g = 2 * (q - _one_hot(logits, y))
    return q * (g - np.sum(q * g)) / len(y)


def _se_grad_label_as_onehot(logits, y):  # q - y[:, None]: the index itself subtracted
    q = softmax(logits, axis=1)
    g = 2 * (q - y[:, None])
    return q * (g - np.sum(q * g, axis=1, keepdims=True)) / len(y)


def _se_grad_diagonal_part(logits, y):  # q ⊙ g: diag(q)·g, without − q (q·g)
    q = softmax(logits, axis=1)
    return q * 2 * (q - _one_hot(logits, y)) / len(y)


def _ce_grad(logits, y):
    return (softmax(logits, axis=1) - _one_hot(logits, y)) / len(y)


# q6: CS231n's multiclass SVM (hinge) loss, Δ = 1, mean over samples.
def _margins(scores, y, sign=1.0):
    rows = np.arange(len(y))
    return scores - scores[rows, y][:, None] + sign * 1.0


def _hinge(scores, y):
    m = np.maximum(0, _margins(scores, y))
    m[np.arange(len(y)), y] = 0
    return m.sum() / len(y)


def _hinge_margin_wrong_side(scores, y):  # the bug: s_j − s_y − Δ
    m = np.maximum(0, _margins(scores, y, sign=-1.0))
    m[np.arange(len(y)), y] = 0
    return m.sum() / len(y)


def _hinge_with_true_class(scores, y):  # j = y is counted: Δ per sample
    return np.maximum(0, _margins(scores, y)).sum() / len(y)


def _hinge_squared(scores, y):  # the squared hinge (L2-SVM)
    m = np.maximum(0, _margins(scores, y)) ** 2
    m[np.arange(len(y)), y] = 0
    return m.sum() / len(y)


def _hinge_delta_outside(scores, y):  # max(0, s_j − s_y) + Δ
    m = np.maximum(0, _margins(scores, y, sign=0.0)) + 1.0
    m[np.arange(len(y)), y] = 0
    return m.sum() / len(y)


def _se_grad_sum_axis0(logits, y):  # q·g summed down the examples
    q = softmax(logits, axis=1)
    g = 2 * (q - _one_hot(logits, y))
    return q * (g - np.sum(q * g, axis=0, keepdims=True)) / len(y)


def _se_grad_no_q_in_front(logits, y):  # (g − q·g)/N: the factor q left out
    q = softmax(logits, axis=1)
    g = 2 * (q - _one_hot(logits, y))
    return (g - np.sum(q * g, axis=1, keepdims=True)) / len(y)


def _hinge_largest(scores, y):  # Crammer–Singer: the largest violation only
    m = np.maximum(0, _margins(scores, y))
    m[np.arange(len(y)), y] = 0
    return m.max(axis=1).mean()


def _hinge_summed(scores, y):
    m = np.maximum(0, _margins(scores, y))
    m[np.arange(len(y)), y] = 0
    return m.sum()


def _hinge_per_sample(scores, y):  # one loss per sample, not their mean
    m = np.maximum(0, _margins(scores, y))
    m[np.arange(len(y)), y] = 0
    return m.sum(axis=1)


def _hinge_margins(scores, y):  # the (N, C) matrix of clipped margins, never summed
    m = np.maximum(0, _margins(scores, y))
    m[np.arange(len(y)), y] = 0
    return m


def _hinge_mean_of_all(scores, y):  # the mean over all N × C entries, not over the N samples
    return _hinge_margins(scores, y).mean()


def _hinge_reversed(scores, y):  # s_y − s_j + Δ: rewards the wrong classes
    rows = np.arange(len(y))
    m = np.maximum(0, scores[rows, y][:, None] - scores + 1.0)
    m[rows, y] = 0
    return m.sum() / len(y)


def _hinge_no_margin(scores, y):  # Δ = 0: a wrong class that merely ties costs nothing
    m = np.maximum(0, _margins(scores, y, sign=0.0))
    m[np.arange(len(y)), y] = 0
    return m.sum() / len(y)


def _hinge_unclipped(scores, y):  # no max(0, ·)
    m = _margins(scores, y)
    m[np.arange(len(y)), y] = 0
    return m.sum() / len(y)


EXERCISES = [
    Exercise(
        name="q1",
        unit="",
        prompt=(
            "A binary classifier outputs σ(z) and is trained with the squared error "
            "L = ½(σ(z) − y)². For a positive example (y = 1) with logit z = −4, "
            "what is ∂L/∂z?"
        ),
        answer=(_S - 1) * _S * (1 - _S),
        hints=[
            "Chain rule: ∂L/∂z = (∂L/∂σ)·(dσ/dz). What is each factor for L = ½(σ − y)²?",
            "∂L/∂σ comes from the square; dσ/dz is the sigmoid's derivative, written with σ itself (lesson 05). Evaluate both at z = −4 and y = 1, then multiply: mind the sign.",
        ],
        worked_solution=(
            f"σ(−4) = {_S:.5f}, so ∂L/∂z = (σ − 1)·σ·(1 − σ) = ({_S - 1:.5f})·({_S:.5f})·"
            f"({1 - _S:.5f}) = {(_S - 1) * _S * (1 - _S):.4f}. Cross-entropy's gradient at the "
            f"same logit is σ − 1 = {_S - 1:.3f}, about {1 / (_S * (1 - _S)):.0f} times larger: squared error "
            "barely pushes a confident mistake."
        ),
        misconceptions=[
            (
                _S - 1,
                "That is σ(z) − y: cross-entropy's gradient in z, or the squared error's gradient "
                "with respect to the probability σ. Through the sigmoid the chain rule multiplies "
                "by σ'(z) = σ(1 − σ), which is tiny when the model is confidently wrong.",
            ),
            (
                2 * (_S - 1) * _S * (1 - _S),
                "Twice the answer: that is the gradient of (σ − y)², without the ½. With "
                "L = ½(σ − y)² the 2 from the square cancels the ½.",
            ),
            SIGN(
                -(_S - 1) * _S * (1 - _S),
                "σ(z) < y = 1, so raising z lowers the loss: the gradient is negative.",
            ),
            (
                -_S * (1 - _S),
                "That is −σ'(z) = −σ(1 − σ): you replaced the factor σ − y = σ − 1 by −1. Keep "
                "it: (σ − 1)·σ(1 − σ).",
            ),
            (
                _S * (1 - _S),
                "That is σ'(z) = σ(1 − σ) alone, the sigmoid's derivative. The chain rule "
                "multiplies it by ∂L/∂σ = σ − y = σ − 1, which is negative here.",
            ),
            (
                -_S,
                "That is −σ(z): you approximated (σ − 1)·(1 − σ) by −1. At z = −4 it is "
                "−0.964, not −1: keep every factor, (σ − 1)·σ·(1 − σ).",
            ),
            (
                0.5 * (_S - 1) ** 2,
                "That is the loss ½(σ − 1)² itself (it sits on its plateau near ½), not its "
                "gradient with respect to z.",
            ),
        ],
    ),
    Exercise(
        name="q2",
        prompt=(
            "Explain why: the cross-entropy −log softmax(z)_y is convex in the logits z, but "
            "the squared error ‖softmax(z) − e_y‖² is not. Which reason is right? (a) softmax "
            "is not linear, and a convex loss composed with a nonlinear map such as softmax is "
            "never convex in its inputs; (b) its Hessian in the logits is diag(q) − qqᵀ, the "
            "softmax Jacobian, which has negative eigenvalues; (c) ‖q − e_y‖² is itself not "
            "convex as a function of the probabilities q, before any softmax; (d) it stays "
            "between 0 and 2 but is not constant along a line in logit space, and a convex "
            "function bounded on a whole line is constant on it. Answer 'a', 'b', 'c' or 'd'."
        ),
        answer="d",
        kind="choice",
        hints=[
            "Cross-entropy is also a convex function (−log) composed with softmax. What does "
            "the squared error do, far out on the side of a confident mistake, that −log q_y "
            "does not?",
        ],
        worked_solution=(
            "(d). Along the line z(t) = t·(1, −1, 0) with true class 0 the squared error goes "
            "from near 2 (t → −∞) to near 0 (t → +∞) and never leaves [0, 2]. A convex function "
            "of t that is not constant grows at least linearly on one side, so it cannot stay "
            "bounded: the squared error must curve downward somewhere, and it does on the "
            "confident-mistake side (section 3's plateau). Cross-entropy grows linearly there "
            "instead, and its Hessian diag(q) − qqᵀ is positive semi-definite."
        ),
        misconceptions=[
            (
                "a",
                "Not never: cross-entropy is also a convex function (−log) composed with "
                "softmax, and it is convex in z. A nonlinear inner map can keep or break "
                "convexity; here what breaks it is that the squared error of probabilities "
                "is bounded, so it flattens into a plateau.",
            ),
            (
                "b",
                "diag(q) − qqᵀ is cross-entropy's Hessian (and the softmax Jacobian), and it "
                "has no negative eigenvalue: vᵀHv = Var_q(v) ≥ 0 (lesson 05). The squared "
                "error's Hessian is another matrix; section 3 found its negative eigenvalues "
                "by central differences.",
            ),
            (
                "c",
                "‖q − e_y‖² is convex in q: a sum of squares of q_c − [c = y]. Convexity is "
                "lost in the composition with softmax, which squeezes the whole logit space "
                "into the bounded simplex.",
            ),
        ],
        explanation=(
            "Right: the squared error of probabilities never exceeds 2, and a convex function "
            "bounded along a whole line is constant on it. So where the model is confidently "
            "wrong the loss curves downward (a plateau), the same place its gradient vanishes. "
            "Cross-entropy keeps growing linearly there and stays convex."
        ),
        tags=("explain-why",),
    ),
    Exercise(
        name="q3",
        unit="",
        prompt=(
            "A coin lands heads with probability 0.7. A forecaster reports q = (q_heads, "
            "q_tails) = (0.9, 0.1) and is scored with the multi-class Brier score ‖q − e_y‖², "
            "where y is the outcome. What is the expected score E_{y∼p}[‖q − e_y‖²]?"
        ),
        answer=float(P_COIN @ _BRIER_IF),
        hints=[
            "The expectation weighs the score of each outcome by its probability: "
            "0.7·(score if heads) + 0.3·(score if tails).",
            "If heads, e_y = (1, 0): add the squares of both coordinates of q − e_y. If tails, "
            "e_y = (0, 1). Or use section 5's decomposition ‖q − p‖² + 1 − ‖p‖².",
        ],
        worked_solution=(
            f"Heads (probability 0.7): (0.9 − 1)² + (0.1 − 0)² = {_BRIER_IF[0]:.2f}. Tails (0.3): "
            f"(0.9 − 0)² + (0.1 − 1)² = {_BRIER_IF[1]:.2f}. Expected: 0.7·{_BRIER_IF[0]:.2f} + "
            f"0.3·{_BRIER_IF[1]:.2f} = {float(P_COIN @ _BRIER_IF):.3f}. The decomposition agrees: "
            "‖q − p‖² = 0.04 + 0.04 = 0.08, plus 1 − ‖p‖² = 1 − 0.58 = 0.42. The honest forecast "
            "q = p would score 0.42: overconfidence costs 0.08."
        ),
        misconceptions=[
            ONE_TERM(
                float(P_COIN[0] * _BRIER_IF[0]),
                "(0.7 · 0.02 is the heads outcome's weighted score alone; add the tails "
                "outcome's, 0.3 times its score.)",
            ),
            ONE_TERM(
                float(P_COIN[1] * _BRIER_IF[1]),
                "(0.3 · 1.62 is the tails outcome's weighted score alone; add the heads "
                "outcome's, 0.7 times its score.)",
            ),
            (
                0.42,
                "That is the expected score of the honest forecast q = p = (0.7, 0.3), "
                "1 − ‖p‖². This forecaster reported (0.9, 0.1), which costs ‖q − p‖² more.",
            ),
            (
                float(P_COIN @ [(0.9 - 1) ** 2, 0.9**2]),
                "That is half the answer: the heads column alone, (q_heads − [heads])², the "
                "binary Brier score (scikit-learn's brier_score_loss for two classes), or the "
                "two classes averaged instead of added. The multi-class Brier score sums over "
                "both classes, which doubles it here.",
            ),
            (
                0.08,
                "That is ‖q − p‖², the part the forecaster could have avoided. The coin is "
                "random, so even the best forecast pays 1 − ‖p‖² on average: add it.",
            ),
            (
                _BRIER_IF[0],
                "That is the score if the coin lands heads. Tails (probability 0.3) scores "
                "much worse; weigh both outcomes by their probabilities.",
            ),
            (
                _BRIER_IF[1],
                "That is the score if the coin lands tails. Heads is more likely (0.7); "
                "weigh both outcomes by their probabilities.",
            ),
            (
                float(P_COIN @ P_COIN),
                "0.58 is ‖p‖² = 0.7² + 0.3², a piece of the decomposition: the expected score "
                "is ‖q − p‖² + 1 − ‖p‖².",
            ),
            (
                float(np.mean(_BRIER_IF)),
                "You averaged the two outcomes' scores equally. The coin lands heads 70 % of "
                "the time: weigh each score by its outcome's probability, 0.7 and 0.3.",
            ),
            (
                float(-(P_COIN @ np.log(Q_OVER))),
                "That is the expected cross-entropy −Σ p log q in nats, another scoring rule. "
                "The question asks for the Brier score ‖q − e_y‖².",
            ),
        ],
    ),
    Exercise(
        name="q4",
        prompt=(
            "Explain why the 0-1 loss is not a strictly proper scoring rule. A coin lands heads "
            "with probability 0.7; a forecaster reports q = P(heads) and pays the 0-1 loss: 1 "
            "if the more probable side of (q, 1 − q) is not the outcome (a tie, q = 0.5, counts "
            "as heads), else 0. Which reports "
            "minimise the expected 0-1 loss? (a) only q = 0.7; (b) every q from 0.5 up, all "
            "equally; (c) only q = 1; (d) every q in [0, 1] alike: the 0-1 loss does not depend "
            "on q. Answer 'a', 'b', 'c' or 'd'."
        ),
        answer="b",
        kind="choice",
        hints=[
            "The 0-1 loss sees only which side q is on. What does a report of 0.51 cost on "
            "average, and one of 0.99?",
        ],
        worked_solution=(
            "(b). Any q from 0.5 up predicts heads and is wrong exactly when the coin lands tails: "
            "expected loss 0.3, whatever q is. Below 0.5 it predicts tails: 0.7. So q = 0.7 is "
            "a minimiser, but so is every other q from 0.5 up: the 0-1 loss gives no reason to "
            "report the true probability (it is proper, but not strictly). Cross-entropy and "
            "the Brier score are minimised only at q = 0.7."
        ),
        misconceptions=[
            (
                "a",
                "That is what a strictly proper rule does (cross-entropy, Brier score). The 0-1 "
                "loss sees only the argmax: every q from 0.5 up predicts heads and pays 0.3 on "
                "average, so 0.51, 0.7 and 0.99 tie. It cannot reward the honest 0.7.",
            ),
            (
                "c",
                "q = 1 is one of the minimisers, but not the only one: every q from 0.5 up pays "
                "the same 0.3 on average (a flat region). The hinge on probabilities is the "
                "score that is minimised only at the extreme.",
            ),
            (
                "d",
                "It depends on q through its argmax: below 0.5 the forecast says tails and is "
                "wrong 70 % of the time (expected loss 0.7), from 0.5 up it says heads and is "
                "wrong 30 % of the time (0.3).",
            ),
        ],
        explanation=(
            "Right: the expected 0-1 loss is flat at 0.3 for every q from 0.5 up. The true "
            "probability 0.7 is among the minimisers, but the score cannot tell it from 0.51 or "
            "0.99, so it gives no reason to report honest probabilities: proper, not strictly "
            "proper. Cross-entropy and the Brier score have a single minimiser, q = p."
        ),
        tags=("explain-why",),
    ),
    Exercise(
        name="q5",
        prompt=(
            "Debug this: se_grad_buggy(logits, y) in the notebook is meant to return the "
            "gradient of the mean squared error (1/N)·Σ_i ‖softmax(z_i) − e_{y_i}‖² with "
            "respect to the logits, but it fails the gradient check. Write the fixed "
            "se_grad(logits, y): logits has shape (N, C), y holds N integer labels; return an "
            "(N, C) array."
        ),
        answer=_se_grad,
        kind="function",
        test_inputs=[
            (
                np.array([[2.0, -1.0, 0.5], [0.0, 3.0, 0.0], [1.0, 1.0, -2.0], [-0.5, 0.2, 4.0]]),
                np.array([0, 0, 2, 2]),
            ),
            (np.array([[0.3, -0.3], [5.0, -5.0]]), np.array([1, 0])),
            # logits hundreds apart: an unshifted exp overflows (inf / inf = nan), the
            # shifted softmax of lesson 04 stays finite
            (np.array([[1000.0, 0.0, 0.0], [0.5, -800.0, 2.0]]), np.array([1, 0])),
            # only each row's own max keeps every row finite and exact (lesson 04): rows that
            # a shift by the mean, by the min or by the batch's max overflows or underflows,
            # and logits 100 and 99, which a clip to ±50 makes equal
            (SPAN_1500, SPAN_1500_LABELS),
            (SPAN_1000, SPAN_1000_LABELS),
            (SPAN_FIRST, SPAN_FIRST_LABELS),  # logits 1e8 and 1e8 + 1: float32 fails here
            (np.array([[100.0, 99.0, 0.0], [0.0, 1.0, 2.0]]), np.array([1, 0])),
        ],
        hints=[
            "The loss is the squared error of the probabilities q = softmax(z), not of the "
            "logits. Chain rule: ∂L/∂z = Jᵀ·∂L/∂q, with J = diag(q) − qqᵀ, the softmax "
            "Jacobian of lesson 05.",
            "For one row, ∂L/∂q = 2(q − e_y) =: g. You need not build J: multiply (diag(q) − "
            "qqᵀ) by g on paper and see which two terms you get, one elementwise and one with a "
            "dot product. Then the mean over N rows.",
        ],
        worked_solution=(
            "def se_grad(logits, y):\n"
            "    q = xl.softmax(logits)\n"
            "    g = 2 * (q - np.eye(logits.shape[1])[y])  # ∂L/∂q for each row\n"
            "    return q * (g - np.sum(q * g, axis=1, keepdims=True)) / len(y)  # Jᵀg, fused\n"
            "# The same as xl.squared_error_with_grad(y, logits=logits)[1]. Forming each row's\n"
            "# Jacobian np.diag(q_i) - np.outer(q_i, q_i) and multiplying works too, but is slower."
        ),
        misconceptions=[
            NO_SHIFT(
                _se_grad_through(_softmax_unshifted),
                "Here the row [1000, 0, 0] computes exp(1000) = inf (lesson 04).",
            ),
            MEAN_SHIFT(
                _se_grad_through(mean_shifted_softmax),
                "Here the row [0, 1500, -20] (mean 493) computes exp(1007) = inf.",
            ),
            MIN_SHIFT(
                _se_grad_through(min_shifted_softmax),
                "Here the row [0, -1000, 1] computes exp(1001) = inf.",
            ),
            GLOBAL_MAX(
                _se_grad_through(_softmax_global_max),
                "Here the row [-1500, -3000, -1480] lies far below the batch's 1500, so all its "
                "exps underflow to 0 and 0 / 0 = nan. Subtract each row's own max (or use "
                "xl.softmax).",
            ),
            CLIPPED_LOGITS(
                _se_grad_through(_softmax_clipped_logits),
                "Here a clip to ±50 turns [100, 99, 0] into [50, 50, 0], its first two "
                "probabilities equal (or use xl.softmax).",
            ),
            (
                _se_grad_sum_axis0,
                "Your q·g is summed over axis 0, down the examples: each row's Jacobian product "
                "needs its own dot product q_i·g_i, summed over that row's classes (axis=1, "
                "keepdims=True).",
            ),
            (
                _se_grad_no_q_in_front,
                "You left out the factor q in front: Jᵀg = diag(q) g − q (q·g) = q ⊙ (g − q·g), "
                "multiplied elementwise by q, then / N for the mean.",
            ),
            (
                _se_grad_on_logits,
                "Still the squared error of the logits: 2(z − e_y)/N fits the raw scores to 0/1 "
                "targets (regression, section 1's Gaussian model applied to the logits). The "
                "loss is the squared error of q = softmax(z), so the chain rule goes through "
                "softmax: Jᵀ·2(q − e_y).",
            ),
            JACOBIAN_DIAGONAL(
                _se_grad_diagonal_part,
                "q ⊙ g is diag(q)·g, the Jacobian's diagonal part; the full product also "
                "subtracts q (q·g): q ⊙ (g − q·g) with g = 2(q − e_y).",
            ),
            JACOBIAN_DIAGONAL(
                _se_grad_diagonal,
                "Raising one logit lowers every other probability. The fused product is "
                "q ⊙ (g − q·g) with g = 2(q − e_y).",
            ),
            (
                _se_grad_wrt_probs,
                "That is ∂L/∂q, the gradient with respect to the probabilities. The logits need "
                "one more step of the chain rule: multiply by the softmax Jacobian, "
                "Jᵀ·2(q − e_y).",
            ),
            (
                _ce_grad,
                "That is cross-entropy's gradient (q − e_y)/N, where log and softmax cancel. "
                "This loop trains with the squared error, whose gradient keeps the softmax "
                "Jacobian: Jᵀ·2(q − e_y)/N.",
            ),
            SUM(
                lambda logits, y: _se_grad(logits, y) * len(y),
                "Your gradient is N times too big: divide by N.",
            ),
            SIGN(
                lambda logits, y: -_se_grad(logits, y),
                "The true class's entry of the gradient is negative when its probability is "
                "too low.",
            ),
            (
                _se_grad_one_dot_product,
                "np.sum(q * g) without axis=1 adds up the whole batch: each row needs its own "
                "dot product of q and g, np.sum(q * g, axis=1, keepdims=True).",
            ),
            INDEX_AS_ONEHOT(
                _se_grad_label_as_onehot,
                "Here: g = 2 * (q - np.eye(C)[y]).",
            ),
            (
                lambda logits, y: _se_grad(logits, y) / 2,
                "Half the answer: the derivative of (q_c − y_c)² is 2(q_c − y_c). Keep the 2.",
            ),
        ],
        tags=("debug", "confusion-j"),
    ),
    Exercise(
        name="q6",
        prompt=(
            "Debug this: hinge_buggy(scores, y) in the notebook is meant to compute CS231n's "
            "multiclass SVM loss with margin Δ = 1, the mean over samples of "
            "Σ_{j≠y} max(0, s_j − s_y + Δ), but it puts the margin on the wrong side. Write the "
            "fixed hinge(scores, y): scores has shape (N, C), y holds N integer labels; return "
            "the mean loss (a number)."
        ),
        answer=_hinge,
        kind="function",
        test_inputs=[
            (np.array([[0.5, 1.2, -0.3, 0.9], [2.0, 1.8, 2.4, -1.0]]), np.array([1, 0])),
            (np.array([[3.2, 5.1, -1.7], [1.3, 4.9, 2.0], [2.2, 2.5, -3.1]]), np.array([0, 1, 2])),
            (np.array([[2.0, 2.5, 1.2], [0.1, 0.0, -0.3], [4.0, 1.0, 3.5]]), np.array([0, 1, 0])),
        ],
        hints=[
            "The true score must beat every other score by at least Δ. A wrong class j costs "
            "something when s_j comes within Δ of s_y: when s_j − s_y + Δ > 0.",
            "Compare the buggy margin with the prompt's formula term by term: which score is "
            "subtracted, and on which side is Δ? Then make sure the true class itself (j = y) "
            "adds nothing to the sum.",
        ],
        worked_solution=(
            "def hinge(scores, y):\n"
            "    rows = np.arange(len(y))\n"
            "    margins = np.maximum(0, scores - scores[rows, y][:, None] + 1.0)\n"
            "    margins[rows, y] = 0  # the true class is not compared with itself\n"
            "    return margins.sum() / len(y)\n"
            "# The same as xl.multiclass_hinge_with_grad(y, scores)[0]."
        ),
        misconceptions=[
            (
                _hinge_squared,
                "You squared the margins: max(0, s_j − s_y + Δ)² is the squared hinge (an L2-SVM). "
                "CS231n's multiclass SVM loss sums the margins themselves.",
            ),
            (
                _hinge_delta_outside,
                "Δ is outside the max: max(0, s_j − s_y) + Δ charges every wrong class Δ even when "
                "the true score beats it by far. The margin goes inside: max(0, s_j − s_y + Δ).",
            ),
            (
                _hinge_margin_wrong_side,
                "Still the margin on the wrong side: max(0, s_j − s_y − Δ) charges a wrong class "
                "only when it beats the true class by more than Δ, so a wrong class that wins "
                "by less, or a right answer that wins by a hair, costs nothing. The hinge asks "
                "the true score to win by Δ: max(0, s_j − s_y + Δ).",
            ),
            (
                _hinge_with_true_class,
                "You also counted j = y: its term is max(0, s_y − s_y + Δ) = Δ, so every sample "
                "pays Δ extra and the loss can never reach 0. Set the true class's margin to 0.",
            ),
            (
                _hinge_largest,
                "You took the largest violation per sample (the Crammer–Singer form, used by "
                "scikit-learn's hinge_loss). CS231n's SVM loss sums over every wrong class.",
            ),
            SUM(
                _hinge_summed,
                "Your per-sample losses are right, but you added them over the samples: "
                "divide by N.",
            ),
            (
                _hinge_per_sample,
                "Your per-sample losses are right, but you returned one loss per sample (an "
                "array of N numbers): return the mean loss, a single number. Divide their sum "
                "by N, or take .mean().",
            ),
            (
                _hinge_margins,
                "You returned the (N, C) matrix of clipped margins: the margins are right, but "
                "the loss is a single number. Sum them over the classes and the samples and "
                "divide by N.",
            ),
            OVER_CLASSES(
                _hinge_mean_of_all,
                "(.mean() of the (N, C) matrix divides by N·C.) Sum the matrix and divide by N.",
            ),
            (
                _hinge_reversed,
                "Reversed difference: max(0, s_y − s_j + Δ) grows when the true class wins, so "
                "minimising it would push the true score down. Use s_j − s_y + Δ.",
            ),
            (
                _hinge_no_margin,
                "You left out the margin Δ = 1: max(0, s_j - s_y) charges a wrong class only "
                "when it beats the true one. The SVM asks the true score to win by Δ: "
                "max(0, s_j - s_y + Δ).",
            ),
            (
                _hinge_unclipped,
                "You dropped the max(0, ·): a wrong class far below the true one then earns a "
                "negative term, a reward, and the loss can go below 0. Clip each term at 0.",
            ),
        ],
        tags=("debug",),
    ),
]
