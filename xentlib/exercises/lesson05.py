"""Lesson 05 (gradients)."""

import numpy as np

from ..special import log_softmax, softmax
from ._catalogue import (
    BITS,
    GLOBAL_MAX,
    INDEX_AS_ONEHOT,
    JACOBIAN_DIAGONAL,
    LABELS_FROM_ONE,
    LOG_SOFTMAX,
    MEAN_SHIFT,
    MIN_SHIFT,
    NO_SHIFT,
    OVER_CLASSES,
    SIGN,
    SPAN_1000,
    SPAN_1000_LABELS,
    SPAN_1500,
    SPAN_1500_LABELS,
    SPAN_FIRST,
    SPAN_FIRST_LABELS,
    SUM,
    WRONG_AXIS,
    WRONG_CLASS,
    mean_shifted_softmax,
    min_shifted_softmax,
)
from ._core import Exercise


def _onehot(y, n_classes):
    return np.eye(n_classes)[y]


def _grad(logits, y):
    return (softmax(logits) - _onehot(y, logits.shape[1])) / len(y)


# ---- q5: debug a backward pass that applies the softmax Jacobian wrongly ---------------
def _grad_jacobian_diagonal_only(logits, y):
    Q = softmax(logits)
    N, C = Q.shape
    dL_dQ = -np.eye(C)[y] / (N * Q)
    return dL_dQ * Q * (1 - Q)


def _grad_whole_columns(logits, y):  # Q[:, y] -= 1: whole columns instead of one entry per row
    Q = softmax(logits)
    Q[:, y] -= 1
    return Q / len(y)


def _grad_divided_by_classes(logits, y):
    return (softmax(logits) - _onehot(y, logits.shape[1])) / logits.shape[1]


def _grad_softmax_over_columns(logits, y):  # softmax normalised down each column (axis=0)
    e = np.exp(logits - logits.max(axis=0, keepdims=True))
    return (e / e.sum(axis=0, keepdims=True) - _onehot(y, logits.shape[1])) / len(y)


def _grad_jacobian_sum(logits, y):
    return softmax(logits) - _onehot(y, logits.shape[1])


def _grad_jacobian_sign(logits, y):
    return (_onehot(y, logits.shape[1]) - softmax(logits)) / len(y)


def _grad_jacobian_precedence(logits, y):
    return softmax(logits) - _onehot(y, logits.shape[1]) / len(y)


def _grad_diagonal_on_fused(logits, y):  # q(1 − q) applied to the fused gradient
    Q = softmax(logits)
    return Q * (1 - Q) * (Q - _onehot(y, logits.shape[1])) / len(y)


def _grad_first_row_jacobian(logits, y):  # one row's Jacobian used for every row
    Q = softmax(logits)
    N, C = Q.shape
    J = np.diag(Q[0]) - np.outer(Q[0], Q[0])
    return (-np.eye(C)[y] / (N * Q)) @ J


# ---- q2: a softmax written out, as learners do ------------------------------------------
def _grad_unshifted(logits, y):  # np.exp(1000) = inf, inf / inf = nan
    e = np.exp(logits)
    return (e / e.sum(axis=1, keepdims=True) - _onehot(y, logits.shape[1])) / len(y)


def _grad_global_max(logits, y):  # one max for the whole batch: a far-below row is 0 / 0
    e = np.exp(logits - logits.max())
    return (e / e.sum(axis=1, keepdims=True) - _onehot(y, logits.shape[1])) / len(y)


def _grad_label_as_onehot(logits, y):
    return (softmax(logits) - y[:, None]) / len(y)


def _grad_log_softmax(logits, y):
    return (log_softmax(logits) - _onehot(y, logits.shape[1])) / len(y)


def _grad_probabilities_only(logits, y):  # Q / N: the one-hot target left out
    return softmax(logits) / len(y)


def _grad_log_of_softmax(logits, y):  # log q − Y: −inf where a probability underflows
    with np.errstate(divide="ignore"):
        return (np.log(softmax(logits)) - _onehot(y, logits.shape[1])) / len(y)


def _grad_wrt_probabilities(logits, y):  # ∂L/∂Q = −Y / (N Q): not chained through softmax
    with np.errstate(divide="ignore", invalid="ignore"):
        return -_onehot(y, logits.shape[1]) / (len(y) * softmax(logits))


def _grad_sigmoid(logits, y):  # σ of each logit on its own: no softmax normaliser
    return (0.5 * (1 + np.tanh(logits / 2)) - _onehot(y, logits.shape[1])) / len(y)


def _grad_next_class(logits, y):  # the one-hot of the class after the label
    return (softmax(logits) - _onehot((y + 1) % logits.shape[1], logits.shape[1])) / len(y)


def _grad_q_only_chain(logits, y):  # ∂L/∂Q times Q alone: −Y / N
    return -_onehot(y, logits.shape[1]) / len(y)


# ---- q5: the other ways learners apply the Jacobian wrongly --------------------------------
def _vjp(logits, y, reduce_axis=1, outer=True):
    """Jᵀg row by row, fused: q ⊙ (g − q·g), with g = ∂L/∂Q (a mean over the N rows)."""
    Q = softmax(logits)
    N, C = Q.shape
    g = -np.eye(C)[y] / (N * Q)
    inner = g - np.sum(Q * g, axis=reduce_axis, keepdims=True)
    return Q * inner if outer else inner


def _grad_off_diagonal_only(logits, y):  # −qqᵀ without diag(q)
    Q = softmax(logits)
    N, C = Q.shape
    g = -np.eye(C)[y] / (N * Q)
    return -Q * np.sum(Q * g, axis=1, keepdims=True)


Z = np.array([2.0, 1.0, 0.0])
G = softmax(Z) - np.array([1.0, 0.0, 0.0])
EXERCISES = [
    Exercise(
        name="q1",
        unit="nats",
        prompt="For logits z = [2, 1, 0] and true class 0, what is ∂L/∂z, the gradient of L = -log softmax(z)_0? (an array of 3 numbers)",
        answer=G,
        hints=[
            "Section 2 derives the gradient of this loss with respect to the logits: one entry "
            "per logit, built from the softmax probabilities and the one-hot target.",
            "Check your three numbers: they add up to 0, and only the true class's entry is "
            "negative (raising its logit lowers the loss).",
        ],
        worked_solution="softmax(z) - e_y = [0.665 - 1, 0.245, 0.090] = [-0.335, 0.245, 0.090]. The true class's logit goes up, the others down.",
        misconceptions=[
            SIGN(-G, "You computed e_y - softmax(z); the gradient is softmax(z) - e_y."),
            (softmax(Z), "That is softmax(z) alone: subtract the one-hot target e_y = [1, 0, 0]."),
            (
                softmax(Z) - 1.0,
                "You subtracted 1 from every entry. e_y is one-hot: subtract 1 only at the true class "
                "(index 0); the other entries stay q_k.",
            ),
            (
                np.array([G[0], 0.0, 0.0]),
                "Only the true class's entry is non-zero in your answer, but every logit affects the "
                "loss through the softmax's normaliser: ∂L/∂z_k = q_k for k ≠ y (the off-diagonal "
                "terms -q_i q_k of the Jacobian).",
            ),
            (
                np.array([-1 / float(softmax(Z)[0]), 0.0, 0.0]),
                "That is ∂L/∂q, the gradient with respect to the *probabilities* (-1/q_0 at the "
                "true class). The question asks for the logits: chain through the softmax, and "
                "the 1/q_0 cancels, leaving softmax(z) - e_y.",
            ),
            LOG_SOFTMAX(log_softmax(Z), "The gradient is softmax(z) - e_y."),
            LOG_SOFTMAX(
                log_softmax(Z) - np.array([1.0, 0.0, 0.0]),
                "You subtracted e_y from log-softmax(z); the gradient is softmax(z) - e_y.",
            ),
            (
                softmax(Z) - np.array([0.0, 1.0, 1.0]),
                "You subtracted 1 at the wrong classes: e_y is 1 at the true class (index 0) "
                "and 0 elsewhere, so only the first entry loses 1.",
            ),
            (
                np.abs(G),
                "The true class's entry is q_0 - 1 = -0.335, negative: raising its logit lowers "
                "the loss. Only the other entries, q_k, are positive.",
            ),
            WRONG_CLASS(
                softmax(Z) - np.array([0.0, 0.0, 1.0]),
                "You subtracted 1 at class 2; the true class is 0, the first entry.",
            ),
            LABELS_FROM_ONE(
                softmax(Z) - np.array([0.0, 1.0, 0.0]),
                "You subtracted 1 at index 1, class 0 counted from 1; class 0 is the first "
                "entry, index 0.",
            ),
            (
                float(-np.log(softmax(Z)[0])),
                "That is the loss itself, −ln softmax(z)_0, one number. The gradient has one "
                "entry per logit: how the loss changes as each logit moves.",
            ),
            (
                Z / Z.sum() - np.array([1.0, 0.0, 0.0]),
                "You normalised the logits by their sum, z / Σ z, without exponentials "
                "(lesson 04 q1's trap); the probabilities are softmax(z).",
            ),
        ],
        sizes={"C": 3},
        tags=("confusion-j",),
    ),
    Exercise(
        name="q2",
        prompt=(
            "Write grad(logits, y): logits has shape (N, C), y holds N integer labels; return "
            "the gradient of the *mean* cross-entropy with respect to logits, shape (N, C). It "
            "must work for any finite logits (the tests include a logit of 1000, lesson 04)."
        ),
        answer=_grad,
        kind="function",
        test_inputs=[
            (np.array([[2.0, 1.0, 0.0], [0.5, 0.5, 3.0]]), np.array([0, 1])),
            (np.array([[1.0, -1.0], [0.0, 0.0], [3.0, 2.0], [-2.0, 1.0]]), np.array([1, 0, 0, 1])),
            (np.array([[1000.0, 0.0, -1000.0], [0.0, 2.0, 1.0]]), np.array([1, 2])),
            (SPAN_1500, SPAN_1500_LABELS),
            (SPAN_1000, SPAN_1000_LABELS),
            (SPAN_FIRST, SPAN_FIRST_LABELS),  # logits 1e8 and 1e8 + 1: float32 fails here
        ],
        hints=[
            "Start from q1, one example's gradient, and do it for every row at once: a softmax "
            "of each row that cannot overflow (lesson 04 q2), and the labels as one-hot rows "
            "(lesson 00's NumPy primer).",
            "The loss is the *mean* over the N examples. What does that do to each example's "
            "share of the gradient? Test your function on the row with a logit of 1000.",
        ],
        worked_solution=(
            "def grad(logits, y):\n"
            "    q = np.exp(logits - logits.max(axis=1, keepdims=True))\n"
            "    q /= q.sum(axis=1, keepdims=True)\n"
            "    return (q - np.eye(logits.shape[1])[y]) / len(y)"
        ),
        misconceptions=[
            SUM(
                lambda logits, y: _grad(logits, y) * len(y),
                "Your gradient is N times too big: it is the gradient of the summed loss.",
            ),
            SIGN(
                lambda logits, y: -_grad(logits, y),
                "That is (Y - Q) / N; the gradient is (Q - Y) / N.",
            ),
            (
                _grad_jacobian_precedence,
                "Operator precedence: Q - Y / N divides only the one-hot Y by N. Put brackets round the "
                "difference: (Q - Y) / N.",
            ),
            (
                _grad_whole_columns,
                "Q[:, y] -= 1 subtracts 1 from whole columns: every row loses 1 at *every* label in y, "
                "not just at its own. Subtract 1 once per row, at that row's label: "
                "Q[np.arange(N), y] -= 1 (or subtract the one-hot matrix np.eye(C)[y]).",
            ),
            OVER_CLASSES(
                _grad_divided_by_classes,
                "You divided by C = logits.shape[1]; divide by N = len(y) = logits.shape[0].",
            ),
            WRONG_AXIS(
                _grad_softmax_over_columns,
                "Your softmax normalises down the columns (axis=0); take the max and the sum "
                "with axis=1, keepdims=True.",
            ),
            MEAN_SHIFT(
                lambda logits, y: (
                    (mean_shifted_softmax(logits) - np.eye(logits.shape[1])[y]) / len(y)
                ),
                "Here the row [0, 1500, -20] (mean 493) computes exp(1007) = inf.",
            ),
            MIN_SHIFT(
                lambda logits, y: (
                    (min_shifted_softmax(logits) - np.eye(logits.shape[1])[y]) / len(y)
                ),
                "Here the row [0, -1000, 1] computes exp(1001) = inf.",
            ),
            NO_SHIFT(
                _grad_unshifted,
                "Your softmax gives nan for the row [1000, 0, -1000] (lesson 04).",
            ),
            GLOBAL_MAX(
                _grad_global_max,
                "Here the row [0, 2, 1] sits about 1000 below the batch's max, so its "
                "softmax is 0 / 0 = nan.",
            ),
            INDEX_AS_ONEHOT(_grad_label_as_onehot, "Here: Q - np.eye(C)[y], not Q - y[:, None]."),
            LOG_SOFTMAX(_grad_log_softmax, "The gradient uses the probabilities, softmax(z)."),
            LOG_SOFTMAX(
                _grad_log_of_softmax,
                "The gradient uses the probabilities, softmax(z), not their log.",
            ),
            (
                _grad_wrt_probabilities,
                "That is ∂L/∂Q = −Y / (N·Q), the gradient with respect to the probabilities. "
                "The question asks for the logits: through the softmax the 1/Q cancels, "
                "leaving (Q − Y) / N.",
            ),
            (
                _grad_sigmoid,
                "That is σ(z) − Y: a sigmoid of each logit on its own, as if every class were "
                "a separate yes/no question. With C classes the probabilities are "
                "softmax(z) of each row, which share one normaliser, so (Q − Y) / N.",
            ),
            WRONG_CLASS(
                _grad_next_class,
                "Your one-hot rows mark the class after each label, (y + 1) % C: np.eye(C)[y] "
                "marks the label itself.",
            ),
            JACOBIAN_DIAGONAL(
                _grad_jacobian_diagonal_only,
                "(Q(1 − Q) ⊙ ∂L/∂Q, the broken chain rule of section 2 and exercise q5.) The fused gradient needs no "
                "Jacobian at all: (Q − Y) / N.",
            ),
            (
                _grad_probabilities_only,
                "You left out the one-hot targets: each row's gradient is its probabilities "
                "minus its one-hot label, (Q − Y) / N, not Q / N.",
            ),
        ],
    ),
    Exercise(
        name="q3",
        prompt="Binary case: z = 0 and the label is y = 1. What is d/dz of the binary cross-entropy -[y log σ(z) + (1-y) log(1-σ(z))]?",
        answer=-0.5,
        hints=[
            "For C classes the gradient is softmax(z) − e_y. What is its two-class twin, written with σ(z) and y?",
            "Evaluate that twin at z = 0 with y = 1: where does the sigmoid sit at z = 0? Mind the sign of the result.",
        ],
        worked_solution="σ(0) - 1 = 0.5 - 1 = -0.5: negative, so descent increases z towards class 1.",
        misconceptions=[
            (
                0.5,
                "0.5 is σ(0), the predicted probability, not the gradient: subtract the label, "
                "σ(z) - y = 0.5 - 1. (y - σ(z), the gradient with its sign flipped, is also 0.5.)",
            ),
            (
                0.25,
                "0.25 is σ'(0) = σ(0)(1 - σ(0)), the derivative of the sigmoid alone. The loss's "
                "-log brings a 1/σ that cancels it: d/dz = σ(z) - y.",
            ),
            (
                float(np.log(2.0)),
                "0.693 = -ln σ(0) is the loss itself at z = 0, not its derivative. The derivative is σ(z) - y.",
            ),
            BITS(
                -0.5 / float(np.log(2.0)),
                "(-0.5 / ln 2 is the gradient of the loss in bits.) Here: σ(z) - y.",
            ),
            (
                -1.0,
                "That would be the gradient for a completely wrong σ(z) = 0. At z = 0, σ(z) = 0.5.",
            ),
            (
                -0.25,
                "-0.25 is -σ'(0) = -σ(0)(1 - σ(0)), the sigmoid's derivative with a sign. The "
                "loss's -log brings a 1/σ that cancels it: d/dz = σ(z) - y.",
            ),
            (
                -2.0,
                "-2 = -1/σ(0) is ∂L/∂σ, the gradient with respect to the probability σ. The "
                "question asks for d/dz: chain through σ'(z) = σ(1 - σ), and it simplifies to "
                "σ(z) - y.",
            ),
        ],
    ),
    Exercise(
        name="q4",
        prompt=(
            "A gradient check gives a relative error of 3e-2 between your analytic gradient and "
            "central differences (float64). What does it suggest? (a) all fine, (b) a bug in the "
            "analytic gradient, (c) eps is too small. Answer 'a', 'b' or 'c'."
        ),
        answer="b",
        kind="choice",
        hints=["In float64, a correct gradient typically agrees to about 1e-7 or better."],
        worked_solution="(b): a relative error |a - b| / (|a| + |b|) of 3e-2 means the two gradients differ by about 6 % (2r / (1 - r) = 6.2 %; the lesson's cell prints it). Correct gradients agree to ~1e-7 (often 1e-9) in float64; from ~1e-4 be suspicious, and from ~1e-2 up (as here) there is a bug.",
        misconceptions=[
            (
                "a",
                "A relative error of 3e-2 is a disagreement of about 6 % between the two gradients: far too large. With float64 and central differences, a correct gradient agrees to ~1e-7 or better.",
            ),
            (
                "c",
                # The bands lesson 05's step sweep prints (section 6): keep them in step.
                "A too-small eps does add round-off error, but less than 3e-2: the lesson's "
                "sweep prints a relative error between 1e-7 and 1e-4 at h = 1e-9, and between "
                "1e-5 and 1e-2 even at h = 1e-11, a step far smaller than any gradient check "
                "uses. 3e-2 is above all of them: look for a bug.",
            ),
        ],
    ),
    Exercise(
        name="q5",
        prompt=(
            "Debug this: grad_via_jacobian(logits, y) (shown in the notebook) should return the "
            "gradient of the mean cross-entropy with respect to logits (N, C) through the chain "
            "rule, but it fails the gradient check. Fix it and pass your fixed function."
        ),
        answer=_grad,
        kind="function",
        test_inputs=[
            (np.array([[2.0, 1.0, 0.0], [0.5, 0.5, 3.0]]), np.array([0, 1])),
            (np.array([[1.0, -1.0], [0.0, 0.0], [3.0, 2.0], [-2.0, 1.0]]), np.array([1, 0, 0, 1])),
            (np.array([[0.2, -0.3, 1.5, 0.0]]), np.array([2])),
        ],
        hints=[
            "Is softmax an elementwise function, like the sigmoid? Does q_0 depend on z_1?",
            "Section 2: the Jacobian is diag(q) - q qᵀ, and the chain rule multiplies ∂L/∂q by the "
            "whole Jacobian, off-diagonal entries included. Or skip the Jacobian: what does the "
            "product simplify to?",
        ],
        worked_solution=(
            "def grad_via_jacobian(logits, y):\n"
            "    Q = xl.softmax(logits)\n"
            "    return (Q - np.eye(Q.shape[1])[y]) / len(y)   # the fused gradient (Q - Y) / N\n\n"
            "The broken version multiplied ∂L/∂Q by Q(1 - Q), the Jacobian's *diagonal* only, as if "
            "softmax were an elementwise sigmoid. The whole Jacobian per row gives "
            "∂L/∂z_k = q_k (g_k - Σ_i g_i q_i) with g = ∂L/∂q, which simplifies to (q_k - [k = y]) / N."
        ),
        misconceptions=[
            JACOBIAN_DIAGONAL(
                _grad_jacobian_diagonal_only,
                "Still the bug: apply the whole Jacobian, or use the fused gradient (Q - Y) / N.",
            ),
            SUM(_grad_jacobian_sum, "(Q - Y without the 1/N is the gradient of the summed loss.)"),
            SIGN(
                _grad_jacobian_sign, "(Y - Q) / N increases the loss; the gradient is (Q - Y) / N."
            ),
            (
                _grad_jacobian_precedence,
                "Operator precedence: Q - Y / N divides only Y. Bracket the difference: (Q - Y) / N.",
            ),
            JACOBIAN_DIAGONAL(
                _grad_diagonal_on_fused,
                "Your function multiplies the fused gradient (Q - Y) / N by q(1 - q) as well; "
                "the fused gradient already went through the whole Jacobian.",
            ),
            OVER_CLASSES(
                lambda logits, y: _grad_jacobian_sum(logits, y) / logits.shape[1],
                "You divided by C = Q.shape[1]; the mean is over the N = len(y) examples.",
            ),
            (
                lambda logits, y: -np.eye(logits.shape[1])[y] / (len(y) * softmax(logits)),
                "That is ∂L/∂Q, the gradient with respect to the probabilities. The question "
                "asks for the logits: chain it through the softmax (its whole Jacobian), or use "
                "the fused gradient (Q - Y) / N.",
            ),
            (
                _grad_first_row_jacobian,
                "You used the first row's Jacobian for every row: each example has its own "
                "probabilities q_i and its own Jacobian diag(q_i) - q_i q_iᵀ. Apply each row's "
                "own, or use the fused gradient (Q - Y) / N.",
            ),
            (
                _grad_off_diagonal_only,
                "You kept only the off-diagonal part of the Jacobian, -q qᵀ, and dropped "
                "diag(q): the whole Jacobian is diag(q) - q qᵀ, so Jᵀg = q ⊙ g - q (q·g).",
            ),
            WRONG_AXIS(
                lambda logits, y: _vjp(logits, y, reduce_axis=0),
                "Your dot product q·g runs down each column (axis=0), across examples: each "
                "row's own, np.sum(Q * g, axis=1, keepdims=True).",
            ),
            (
                _grad_q_only_chain,
                "Your function multiplies ∂L/∂Q by Q alone, which leaves −Y / N: that is neither "
                "the diagonal q(1 − q) of the Jacobian nor its off-diagonal terms −q_i q_k. Apply the "
                "whole Jacobian, diag(q) − qqᵀ, or use the fused gradient (Q − Y) / N.",
            ),
            (
                lambda logits, y: _vjp(logits, y, outer=False),
                "You left out the factor q in front: Jᵀg = diag(q) g - q (q·g) = q ⊙ (g - q·g), "
                "multiplied elementwise by Q.",
            ),
        ],
        tags=("debug", "confusion-j"),
    ),
    Exercise(
        name="q6",
        prompt=(
            "Explain why: in section 6's sweep the relative error of the gradient check falls as "
            "the step h shrinks from 1e-1 to 1e-5, then grows again for smaller h. Why does it grow "
            "again? (a) The central difference's truncation error, O(h²), grows as h shrinks. "
            "(b) f(x + h) and f(x - h) are each rounded to about 16 significant digits and agree in "
            "most of them, so their difference is mostly rounding error, and dividing by a tiny 2h "
            "magnifies it (about ε_mach·|f| / h). (c) The analytic gradient becomes less accurate "
            "when h is small. (d) The loss is not smooth at scales below 1e-7. "
            "Answer 'a', 'b', 'c' or 'd'."
        ),
        answer="b",
        kind="choice",
        hints=[
            "Which of the two gradients in the check depends on h at all?",
            "Write f(x + h) and f(x - h) to 16 digits for h = 1e-11: how many of those digits differ?",
        ],
        worked_solution=(
            "(b). Each float64 value of f carries a rounding error of about ε_mach·|f| ≈ 1e-16·|f|. "
            "The difference f(x + h) - f(x - h) is only about 2h·f'(x), so for tiny h the rounding "
            "errors are a large part of it, and dividing by 2h turns them into an error of about "
            "ε_mach·|f| / h in the slope: it grows as h shrinks. Truncation error, O(h²), falls; the "
            "best h balances the two (about 1e-5 here)."
        ),
        explanation=(
            "Rounding error: f(x ± h) are each correct to about 16 significant digits, their "
            "difference is tiny for tiny h, so it is mostly rounding noise, and dividing by 2h "
            "magnifies that noise to about ε_mach·|f| / h. Truncation error O(h²) shrinks with h; "
            "round-off grows as 1/h; the sweep's best h (1e-5) balances them."
        ),
        misconceptions=[
            (
                "a",
                "Truncation error of the central difference is O(h²): it *shrinks* as h shrinks "
                "(that is why the error falls from h = 1e-1 to 1e-5). What grows for tiny h is round-off.",
            ),
            (
                "c",
                "The analytic gradient q - e_y does not involve h at all; only the numerical one does. "
                "Its error for tiny h is round-off in f(x + h) - f(x - h), magnified by dividing by 2h.",
            ),
            (
                "d",
                "Cross-entropy of logits is smooth (infinitely differentiable) at every scale. The "
                "trouble is floating point: f(x ± h) are rounded, and their tiny difference is mostly rounding error.",
            ),
        ],
        tags=("explain-why",),
    ),
]
