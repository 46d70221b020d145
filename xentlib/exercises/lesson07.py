"""Lesson 07 (going nonlinear): backprop through tanh, parameter counts, overconfidence, and
a network's training loop to debug."""

import math
from functools import partial

import numpy as np

from ..losses import cross_entropy_with_grad
from ..special import softmax
from ._catalogue import (
    ASCENT,
    CAPPED,
    DOUBLE_SOFTMAX,
    GLOBAL_MAX,
    NO_SHIFT,
    NOT_FINITE,
    SUM,
    Symptom,
    capped_below_the_answer,
)
from ._core import Exercise


def _tanh_grad(h):
    return 1.0 - h * h


def _backward_hidden(dlogits, W2, h):
    return (dlogits @ W2.T) * (1.0 - h * h)


_D = np.array([[0.2, -0.3, 0.1], [-0.1, 0.05, 0.05]])
_W2 = np.array([[0.5, -1.0, 0.3], [1.2, 0.1, -0.4]])
_H = np.array([[0.3, -0.8], [0.9, 0.1]])


# ---- q5: debug a one-hidden-layer network's training loop ----------------------------
def _train_net(X, y, lr, epochs, bug=""):
    """The notebook's train_net, fixed (bug="") or with one bug."""
    N, D = X.shape
    C = int(y.max()) + 1
    rng = np.random.default_rng(0)
    W1, b1 = rng.normal(scale=np.sqrt(1 / D), size=(D, 8)), np.zeros(8)
    W2, b2 = np.zeros((8, C)), np.zeros(C)
    sign = -1.0 if bug == "ascent" else 1.0
    sign1 = -1.0 if bug in ("W1-ascent", "W1-only-ascent") else sign  # the hidden layer's
    scale1 = N if bug == "W1-sum" else 1.0  # the hidden layer's step alone N times too big
    losses = []
    for _ in range(int(epochs)):
        h = np.tanh(X @ W1 + b1)
        Z = h @ W2 + b2
        loss, delta = cross_entropy_with_grad(
            y, logits=softmax(Z, axis=1) if bug == "double-softmax" else Z
        )
        if bug == "from-probabilities":  # right on paper: −mean(log P), then (P − Y) / N
            P = softmax(Z, axis=1)
            loss = -np.mean(np.log(P[np.arange(N), y]))
        if bug in ("unshifted", "global-max", "clip"):  # the loss by hand, the same gradient
            loss = _loss_by_hand(Z, y, bug)
        if bug in ("sum", "sum-reduction"):
            delta = delta * N
        if bug == "sum-reduction":  # reduction='sum': the summed loss and its gradient
            loss = loss * N
        losses.append(float(loss))
        if bug == "stale-W2":  # the output layer updated before the error is sent back
            W2 -= lr * (h.T @ delta)
        tanh_grad = 1 - np.tanh(h) ** 2 if bug == "tanh-twice" else 1 - h**2
        dA = delta @ W2.T if bug == "no-tanh-grad" else (delta @ W2.T) * tanh_grad
        if bug != "stale-W2":
            W2 -= sign * lr * (h.T @ delta)
        b2 -= sign * lr * delta.sum(axis=0)
        W1 -= sign1 * scale1 * lr * (X.T @ dA)
        b1 -= (sign if bug == "W1-only-ascent" else sign1) * lr * dA.sum(axis=0)
    return np.array(losses)


def _loss_by_hand(Z, y, how):
    """The mean loss of logits Z written out by hand: a log-sum-exp without a shift, one
    shifted by the batch's max, or −log of softmax clipped at 1e-7."""
    rows = np.arange(len(y))
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        if how == "clip":
            return -np.mean(np.log(np.clip(softmax(Z, axis=1)[rows, y], 1e-7, 1.0)))
        m = 0.0 if how == "unshifted" else np.max(Z)
        lse = m + np.log(np.sum(np.exp(Z - m), axis=1))
        return np.mean(lse - Z[rows, y])


def _floor(n_classes):
    """The lowest loss a double softmax allows: ln(1 + (C − 1)/e)."""
    return np.log(1 + (n_classes - 1) / np.e)


def _stays_above_the_floor(given, expected, inputs) -> bool:
    """The symptom of a double softmax whatever else changed: the losses fall, but never
    below ln(1 + (C − 1)/e), on inputs where the fixed loop goes below it."""
    floors = [_floor(int(args[1].max()) + 1) for args in inputs]
    losses = [np.asarray(g, dtype=float) for g in given]
    if any(g.ndim != 1 or g.size < 2 or not np.all(np.isfinite(g)) for g in losses):
        return False
    above = all(g.min() >= f - 1e-6 for g, f in zip(losses, floors, strict=True))
    # and never above its ceiling ln(1 + (C − 1)e): logits in [0, 1] bound the loss both ways
    # (a loop that climbs, W1 by ascent, passes the floor test at lr = 1 but not this one)
    ceilings = [math.log(1 + (int(args[1].max())) * math.e) for args in inputs]
    below_ceiling = all(g.max() <= c + 1e-6 for g, c in zip(losses, ceilings, strict=True))
    # where the fixed loop's loss falls (at lr = 200 it overshoots and rises)
    falls = all(g[-1] < g[0] for g, e in zip(losses, expected, strict=True) if e[-1] < e[0])
    below = any(np.min(e) < f - 0.01 for e, f in zip(expected, floors, strict=True))
    return above and below_ceiling and falls and below


def _train_net_double_softmax_faster(X, y, lr, epochs):  # the bug kept, lr raised tenfold
    return _train_net(X, y, 10 * lr, epochs, bug="double-softmax")


_RNG = np.random.default_rng(7)
_XN1, _YN1 = _RNG.normal(size=(15, 2)), np.array([0, 1, 2] * 5)
_XN2, _YN2 = _RNG.normal(size=(8, 3)), np.array([0, 1, 2, 3] * 2)
_XN3, _YN3 = np.random.default_rng(3).normal(size=(12, 2)) * 2, np.arange(12) % 3
# q3: N = 4 examples, H = 3 hidden units, C = 2 classes, all different, so that a product in
# the wrong order or a transposed result has the wrong shape instead of passing.
_D4 = np.array([[0.3, -0.3], [-0.2, 0.2], [0.1, -0.1], [-0.4, 0.4]])
_W2_32 = np.array([[0.5, -1.0], [1.2, 0.1], [-0.7, 0.6]])
_H43 = np.array([[0.3, -0.8, 0.1], [0.9, 0.1, -0.5], [-0.2, 0.6, 0.7], [0.0, -0.95, 0.4]])

EXERCISES = [
    Exercise(
        name="q1",
        prompt="Write tanh_grad(h): the derivative of tanh at a, written with h = tanh(a) (as backprop reuses it).",
        answer=_tanh_grad,
        kind="function",
        # saturated units too (h = ±1 exactly in float64 once |a| > 19): a floor or a cut-off
        # there is no derivative of tanh
        test_inputs=[(np.array([-0.9, 0.0, 0.5]),), (np.array([-1.0, -0.999, 0.95, 0.9999, 1.0]),)],
        hints=[
            "The derivative of tanh can be written with tanh itself, so backprop needs no a: that is why the forward pass keeps h.",
            "Your function receives h, which is already tanh(a): do not call np.tanh again.",
        ],
        worked_solution="def tanh_grad(h):\n    return 1 - h ** 2",
        misconceptions=[
            (
                lambda h: 1 - np.tanh(h) ** 2,
                "You applied tanh twice: h is already tanh(a), so np.tanh(h) is tanh(tanh(a)) "
                "(the same goes for 1 / np.cosh(h)**2). tanh'(a) = 1 - tanh(a)² = 1 - h².",
            ),
            (lambda h: 1 - h, "You forgot the square: tanh'(a) = 1 - tanh(a)² = 1 - h²."),
            (
                lambda h: 1 - h * 2,
                "h * 2 doubles h; the square is h ** 2 (or h * h): tanh'(a) = 1 - h².",
            ),
            (
                lambda h: (1 - h) ** 2,
                "You squared 1 - h; only h is squared: tanh'(a) = 1 - h².",
            ),
            (
                lambda h: -2 * h,
                "-2h is the derivative of 1 - h² with respect to h. tanh'(a) is 1 - h² itself, "
                "written with h = tanh(a).",
            ),
            (
                lambda h: 1 + h**2,
                "Sign: tanh'(a) = 1 - tanh(a)², at most 1 (at a = 0) and falling towards 0 as "
                "|a| grows.",
            ),
            (
                lambda h: h * (1 - h),
                "h(1 - h) is the derivative of the *sigmoid*, written with its output. For tanh it is 1 - h².",
            ),
            (
                lambda h: 1 - np.arctanh(h) ** 2,
                "np.arctanh(h) undoes the tanh: it is a itself, so 1 - arctanh(h)² is 1 - a². "
                "The derivative is 1 - tanh(a)², written with h = tanh(a): 1 - h².",
            ),
        ],
    ),
    Exercise(
        name="q2",
        unit="",
        prompt="How many parameters (weights and biases) has TinyMLP(hidden=32) on 2 input features and 3 classes?",
        answer=2 * 32 + 32 + 32 * 3 + 3,
        hints=[
            "List the four arrays of section 2 with their shapes: W1, b1, W2, b2. A bias has one entry per unit it feeds.",
            "Write down the shape of each of the four arrays (a weight matrix is inputs × "
            "units, a bias has one entry per unit it feeds), then add up their sizes.",
        ],
        worked_solution="2·32 + 32 + 32·3 + 3 = 64 + 32 + 96 + 3 = 195.",
        misconceptions=[
            (
                2 * 32 + 32 + 32 * 3,
                "192 is 195 − 3: every parameter but b2, the output layer's bias (one per class, 3 "
                "more). (If you multiplied 2·32·3, count each array on its own: W1, b1, W2, b2.)",
            ),
            (
                2 * 32 + 32 * 3 + 3,
                "You left out b1, the hidden layer's bias: one per hidden unit, 32 more parameters.",
            ),
            (2 * 32 + 32 * 3, "You counted only the weights: add the biases b1 (32) and b2 (3)."),
            (
                32 * 3 + 3,
                "That is the output layer only (W2 and b2). Add the hidden layer: W1 (2, 32) and b1 (32,).",
            ),
            (
                2 * 64 + 64 + 64 * 3 + 3,
                "That is the count for 64 hidden units, section 5's network. This question's TinyMLP has hidden=32.",
            ),
            (
                2 * 32 + 32 + 32 * 3 + 32,
                "You gave b2 one entry per hidden unit (32); the output layer's bias has one "
                "entry per class, 3.",
            ),
            (32 + 3, "That counts the units (32 hidden, 3 outputs), not the parameters."),
            (2 + 32 + 3, "That adds up the layer widths (2, 32, 3), not the parameters."),
            (
                2 * 32 + 32 + 32 + 3,
                "You counted W2 as 32 weights; it is (32, 3), one weight per pair of hidden "
                "unit and class: 96.",
            ),
            (2 * 32 + 2 * 32 + 32 * 3 + 3, "You counted b1 twice: it has 32 entries, once."),
        ],
    ),
    Exercise(
        name="q3",
        prompt="Write backward_hidden(dlogits, W2, h): given ∂L/∂z (N, C), the output weights W2 (H, C) and the hidden activations h = tanh(a) (N, H), return ∂L/∂a (N, H).",
        answer=_backward_hidden,
        kind="function",
        test_inputs=[(_D, _W2, _H), (_D4, _W2_32, _H43)],
        hints=[
            "Two chain-rule steps: first back through z = hW2 + b2 to ∂L/∂h, then back through h = tanh(a).",
            "∂L/∂h must be (N, H): which product of an (N, C) and an (H, C) array gives that? Then multiply elementwise (⊙, NumPy's *) by tanh'(a), written with h.",
        ],
        worked_solution="def backward_hidden(dlogits, W2, h):\n    dh = dlogits @ W2.T          # (N, C) @ (C, H)\n    return dh * (1 - h ** 2)      # through tanh",
        misconceptions=[
            (
                lambda d, W2, h: d @ W2.T,
                "That is ∂L/∂h. To get ∂L/∂a, multiply elementwise by the derivative of tanh, 1 - h².",
            ),
            (
                lambda d, W2, h: (d @ W2.T) * (1 - h),
                "The factor is tanh'(a) = 1 - h², not 1 - h: you forgot the square.",
            ),
            (
                lambda d, W2, h: (d @ W2.T) * (1 - np.tanh(h) ** 2),
                "You applied tanh twice: h is already tanh(a), so the factor is 1 - h², not 1 - tanh(h)².",
            ),
            (
                lambda d, W2, h: (d @ W2.T) * h * (1 - h),
                "h(1 - h) is the sigmoid's derivative. Through tanh the factor is 1 - h².",
            ),
            (
                lambda d, W2, h: (d @ W2.T) @ (1 - h**2),
                "You multiplied by 1 - h² with @, a matrix product; backprop through an "
                "elementwise function multiplies elementwise, ⊙, NumPy's *.",
            ),
            (
                lambda d, W2, h: (d @ W2.T) / (1 - h**2),
                "You divided by tanh'(a); the chain rule multiplies by it: (∂L/∂h) ⊙ (1 - h²).",
            ),
            (
                lambda d, W2, h: (d @ W2.T) * (h > 0),
                "(h > 0) is the derivative of a ReLU. This layer is tanh: multiply by "
                "tanh'(a) = 1 - h².",
            ),
            (
                lambda d, W2, h: (d @ W2.T) * (-2 * h),
                "-2h is the derivative of 1 - h² with respect to h; the factor is tanh'(a) "
                "itself, 1 - h², written with h = tanh(a).",
            ),
        ],
    ),
    Exercise(
        name="q4",
        prompt=(
            "Explain why: in section 5 the training loss keeps falling while the validation loss "
            "rises from its minimum, yet validation accuracy ends where it was at the minimum. "
            "What makes the validation loss rise? (a) Underfitting: the network is too small for "
            "the spirals. (b) The network grows more confident: on the validation points it gets "
            "wrong, its probability of the true class shrinks, so their -log q_y grows. (c) The "
            "learning rate is too small. (d) The network gets more validation points wrong. "
            "Answer with a letter."
        ),
        answer="b",
        kind="choice",
        hints=[
            "Cross-entropy punishes confident mistakes hard. Section 5 prints the number of validation mistakes and their mean -log q_y at two epochs: which of the two changed?"
        ],
        worked_solution=(
            "(b): the network keeps sharpening its probabilities. It makes as many validation "
            "mistakes at the end as at the minimum, but their mean -log q_y has grown, and they "
            "carry most of the loss. Accuracy counts decisions; the loss also weighs confidence."
        ),
        explanation=(
            "The number of validation mistakes does not change, but each costs more: the network "
            "grows more confident everywhere, in its mistakes too (overfitting shows in the "
            "probabilities before, or instead of, the decisions). Section 6 asks what early "
            "stopping buys."
        ),
        misconceptions=[
            (
                "a",
                "Underfitting shows as a *high training* loss. Here the training loss falls towards "
                "0 and training accuracy reaches 1: the network is flexible enough to fit every "
                "training point, which is the problem.",
            ),
            (
                "c",
                "A small learning rate makes both losses fall slowly; it cannot make the validation "
                "loss rise while the training loss falls.",
            ),
            (
                "d",
                "Count them: section 5 prints as many validation mistakes at the end as at the "
                "lowest validation loss. The decisions hardly change; the confidence in the wrong "
                "ones grows, and -log q_y punishes that.",
            ),
        ],
        tags=("explain-why",),
    ),
    Exercise(
        name="q5",
        prompt=(
            "Debug this: train_net(X, y, lr, epochs), shown above this exercise, should train a "
            "one-hidden-layer tanh network (8 units) by full-batch gradient descent and return "
            "the training loss of every epoch, but it barely learns. Fix it and pass your fixed "
            "function; it must record the exact loss even when a large learning rate drives "
            "the logits hundreds apart (the tests include lr = 200)."
        ),
        answer=_train_net,
        kind="function",
        # lr = 200 drives the logits hundreds apart within 4 epochs: a loss computed from
        # probabilities takes log(0) there, where the loss of the logits is finite.
        # lr = 200 for 12 epochs on _XN3 takes the logits past 709 (exp overflows) and one
        # example's far below another's max (a batch-wide shift underflows): only each row's
        # own max keeps every loss finite, as xl.cross_entropy_with_grad does
        test_inputs=[
            (_XN1, _YN1, 1.0, 30),
            (_XN2, _YN2, 0.5, 20),
            (_XN1, _YN1, 200.0, 4),
            (_XN3, _YN3, 200.0, 12),
        ],
        hints=[
            "Its first loss is ln C, so the check of lesson 06 passes; the problem is in how the loss sees the network's outputs. What does xl.cross_entropy_with_grad expect to be given?",
            "Look at what is passed as logits=. Lesson 04: a loss that takes logits applies its own softmax.",
        ],
        worked_solution=(
            "The loop passed probabilities where the loss expects logits: "
            "xl.cross_entropy_with_grad applies its own softmax, so the network was trained "
            "through a softmax of a softmax. Its inputs lie in [0, 1], so the loss can never "
            "fall below ln(1 + (C - 1)/e), 0.551 for 3 classes, and it crawls towards that floor. "
            "Pass the logits:\n\n"
            "        Z = h @ W2 + b2\n"
            "        loss, delta = xl.cross_entropy_with_grad(y, logits=Z)\n\n"
            "Fixed, its loss falls as xl.TinyMLP(hidden=8)'s does with the same settings."
        ),
        misconceptions=[
            DOUBLE_SOFTMAX(
                partial(_train_net, bug="double-softmax"),
                "Still the original bug: probabilities passed as logits=, so its loss can never "
                "fall below 0.551 for 3 classes. Pass the logits h @ W2 + b2.",
            ),
            (
                partial(_train_net, bug="tanh-twice"),
                "The loss now gets logits, but the backward pass applies tanh twice: h is already "
                "tanh(a), so tanh'(a) = 1 - h**2, not 1 - np.tanh(h)**2.",
            ),
            (
                partial(_train_net, bug="no-tanh-grad"),
                "The loss now gets logits, but dA skips tanh's derivative: ∂L/∂a = (delta @ W2.T) "
                "⊙ (1 - h²).",
            ),
            (
                partial(_train_net, bug="stale-W2"),
                "You update W2 before sending the error back through it: dA must use the W2 the "
                "forward pass used. Compute every gradient first, then update.",
            ),
            SUM(
                partial(_train_net, bug="sum"),
                "Your delta is P - Y without / N: every step is N times too big. "
                "xl.cross_entropy_with_grad's gradient already divides by N.",
            ),
            SUM(
                partial(_train_net, bug="sum-reduction"),
                "With reduction='sum' the recorded loss and the gradient are both sums: every "
                "step is N times too big. Keep the default reduction='mean'.",
            ),
            ASCENT(partial(_train_net, bug="ascent"), "Subtract lr times the gradient."),
            ASCENT(
                partial(_train_net, bug="W1-ascent"),
                "The loss now gets logits, but the hidden layer's update adds its gradient: "
                "W1 -= lr * X.T @ dA, like every other parameter.",
            ),
            ASCENT(
                partial(_train_net, bug="W1-only-ascent"),
                "The loss now gets logits, but W1's update adds its gradient: "
                "W1 -= lr * X.T @ dA, like every other parameter.",
            ),
            SUM(
                partial(_train_net, bug="W1-sum"),
                "The loss now gets logits, but W1's step is N times too big: dA already "
                "carries the mean's 1/N from delta, so W1 -= lr * X.T @ dA.",
            ),
            NOT_FINITE(
                partial(_train_net, bug="from-probabilities"),
                "Your loop records −mean(log P) from the probabilities: right on paper, but at "
                "lr = 200 the logits grow hundreds apart, a true class's probability "
                "underflows to 0 and its log is −inf. Take the loss from the logits "
                "(xl.cross_entropy_with_grad(y, logits=Z) gives the loss and the gradient).",
            ),
            NO_SHIFT(
                partial(_train_net, bug="unshifted"),
                "Your loss takes log Σ exp(z) without a shift: at lr = 200 the logits pass 709, "
                "where exp overflows. Pass the logits to xl.cross_entropy_with_grad, whose "
                "log-sum-exp subtracts each row's max.",
            ),
            GLOBAL_MAX(
                partial(_train_net, bug="global-max"),
                "At lr = 200 one example's logits end up far below another's largest, so with "
                "the batch's max subtracted all its exps underflow to 0 and log 0 = −inf. Pass "
                "the logits to xl.cross_entropy_with_grad, which shifts each row by its own max.",
            ),
            CAPPED(
                Symptom(capped_below_the_answer, partial(_train_net, bug="clip")),
                "Here the clip changes only the losses you record (your gradient still comes from "
                "the logits, so the training is the same): at lr = 200 the exact losses reach tens "
                "to hundreds of nats, and yours stop far below them. "
                "Pass the logits to xl.cross_entropy_with_grad: it records the exact loss.",
            ),
            DOUBLE_SOFTMAX(
                Symptom(_stays_above_the_floor, _train_net_double_softmax_faster),
                "Your losses fall but never go below ln(1 + (C - 1)/e) (0.551 for 3 classes, "
                "0.744 for 4), the floor a double softmax puts under the loss, while the fixed "
                "loop goes below it. Whatever else you changed, is a softmax still passed as "
                "logits=? Pass the logits h @ W2 + b2.",
            ),
        ],
        tags=("debug", "confusion-a"),
    ),
]
