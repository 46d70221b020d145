"""Lesson 06 (a tiny classifier): the loss at initialisation, the weight gradient, the update,
L2, why the validation loss starts below the training loss, and a training loop to debug."""

from functools import partial

import numpy as np

from ..losses import cross_entropy_with_grad
from ..special import softmax
from ._catalogue import (
    ASCENT,
    BITS,
    DOUBLE_SOFTMAX,
    JACOBIAN_DIAGONAL,
    LOG10,
    NO_LOG,
    NO_MINUS,
    OTHER_EXAMPLE,
    OVER_CLASSES,
    SIGN,
    SUM,
    WRONG_AXIS,
    Symptom,
)
from ._core import Exercise


def _grad_w(X, P, Y):
    return X.T @ (P - Y) / len(X)


def _update(W, grad, lr):
    return W - lr * grad


_X = np.array([[1.0, 2.0], [0.5, -1.0], [-1.5, 0.3]])
_P = np.array([[0.7, 0.2, 0.1], [0.3, 0.3, 0.4], [0.2, 0.5, 0.3]])
_Y = np.eye(3)[[0, 2, 1]]
# N = 5 examples, D = 2 features, C = 4 classes: no two sizes alike, so that a division by
# the wrong one (or a product in the wrong order) cannot pass by coincidence.
_X5 = np.array([[0.5, -1.2], [1.5, 0.3], [-0.7, 0.8], [0.2, 2.0], [-1.1, -0.4]])
_P5 = np.array(
    [
        [0.1, 0.2, 0.3, 0.4],
        [0.25, 0.25, 0.25, 0.25],
        [0.7, 0.1, 0.1, 0.1],
        [0.05, 0.15, 0.6, 0.2],
        [0.3, 0.3, 0.2, 0.2],
    ]
)
_Y5 = np.eye(4)[[3, 0, 0, 2, 1]]

# q3: weights of shapes (D, C) = (3, 2) and (2, 4), rows and columns all different, so that a
# step divided by len(W) or reduced over W's rows cannot pass as it did on a (1, 2) W.
_W32 = np.array([[0.5, -0.2], [1.0, 0.3], [-0.4, 0.8]])
_G32 = np.array([[0.1, -0.3], [0.25, 0.05], [-0.2, 0.4]])
_W24 = np.array([[0.2, -0.5, 1.1, 0.0], [-0.3, 0.7, 0.4, -0.9]])
_G24 = np.array([[0.05, -0.1, 0.3, 0.2], [-0.25, 0.15, -0.05, 0.1]])


# ---- q6: debug a softmax-regression training loop -------------------------------------
def _train_softmax(X, y, lr, epochs, bug=""):
    """The notebook's train_softmax, fixed (bug="") or with one bug."""
    N, C = len(y), int(y.max()) + 1
    W, b = np.zeros((X.shape[1], C)), np.zeros(C)
    Y = np.eye(C)[y]
    losses = []
    for _ in range(int(epochs)):
        Z = X @ W + b
        P = softmax(Z, axis=0 if bug in ("axis", "axis-in-gradient", "renormalised") else 1)
        if bug == "renormalised":  # axis=0 kept, each row then divided by its sum
            P = P / P.sum(axis=1, keepdims=True)
        if bug == "whole-array":  # one softmax over every entry of the batch
            E = np.exp(Z - Z.max())
            P = E / E.sum()
        if bug == "axis-in-gradient":  # the loss line fixed, the gradient still column-normalised
            losses.append(-np.mean(np.log(softmax(Z, axis=1)[np.arange(N), y])))
        else:
            losses.append(-np.mean(np.log(P[np.arange(N), y])))
        dZ = (P - Y) / N
        if bug == "probs-as-logits":
            losses[-1], dZ = cross_entropy_with_grad(y, logits=P)
            losses[-1] = float(losses[-1])
        if bug == "sum":
            dZ = P - Y
        if bug == "classes":
            dZ = (P - Y) / C
        sign = -1.0 if bug == "ascent" else 1.0
        W -= sign * lr * (X.T @ dZ)
        if bug != "no-bias":
            b -= sign * lr * dZ.sum(axis=0)
        if bug == "late-loss":  # the loss recorded after the step, at the new weights
            losses[-1] = -np.mean(np.log(softmax(X @ W + b, axis=1)[np.arange(N), y]))
    return np.array(losses)


def _first_loss_not_ln_c(given, expected, inputs) -> bool:
    """The recorded losses do not start at ln C, whatever else the loop does: at W = 0 every
    class must get probability 1/C."""
    wrong_start = False
    for g, e, (_X, y, *_rest) in zip(given, expected, inputs, strict=True):
        g, e = np.asarray(g, dtype=float), np.asarray(e, dtype=float)
        if g.shape != e.shape or g.ndim != 1 or not np.all(np.isfinite(g)):
            return False
        if np.allclose(g, g[0] / e[0] * e):  # a factor on the right losses: not this
            return False
        wrong_start |= abs(g[0] - np.log(int(y.max()) + 1)) > 1e-6
    return wrong_start


def _train_softmax_random_start(X, y, lr, epochs):  # axis=0 kept, W started at random
    N, C = len(y), int(y.max()) + 1
    W, b = np.random.default_rng(0).normal(size=(X.shape[1], C)), np.zeros(C)
    Y = np.eye(C)[y]
    losses = []
    for _ in range(int(epochs)):
        P = softmax(X @ W + b, axis=0)
        losses.append(-np.mean(np.log(P[np.arange(N), y])))
        dZ = (P - Y) / N
        W -= lr * (X.T @ dZ)
        b -= lr * dZ.sum(axis=0)
    return np.array(losses)


_RNG = np.random.default_rng(6)
_XD1, _YD1 = _RNG.normal(size=(12, 2)), np.array([0, 1, 2] * 4)
_XD2, _YD2 = _RNG.normal(size=(8, 3)), np.array([0, 1, 2, 3] * 2)

EXERCISES = [
    Exercise(
        name="q1",
        prompt="A softmax regression with all weights and biases zero, on a problem with 4 classes: what is its loss (nats) on any data?",
        answer=float(np.log(4)),
        hints=[
            "With zero weights every logit is 0. What probability does softmax give each class when all the logits are equal?",
            "The loss of one example is minus the log of the probability of its true class, in natural log (nats). Count the classes in *this* question.",
        ],
        worked_solution="Zero logits → softmax = (1/4, 1/4, 1/4, 1/4) → loss = -ln(1/4) = ln 4 ≈ 1.386 nats, whatever the labels. In general: ln C.",
        sizes={"C": 4},
        misconceptions=[
            OTHER_EXAMPLE(
                float(np.log(3)),
                "ln 3 ≈ 1.099 is the loss at initialisation with 3 classes, like this lesson's "
                "blobs and lesson 05's examples. This question has 4 classes: ln C with C = 4.",
            ),
            BITS(2.0, "(log₂ 4 = 2 bits; cross-entropy in these lessons is in nats: ln 4.)"),
            NO_LOG(0.25, "(0.25 = 1/C is the probability each class gets; the loss is -ln(1/4).)"),
            NO_MINUS(-float(np.log(4)), "ln(1/4) is negative; the loss is -ln(1/4) = ln 4."),
            (
                0.0,
                "The loss is 0 only for a perfect, certain prediction. Uniform guessing costs ln C.",
            ),
            LOG10(float(np.log10(4)), "Use the natural log, np.log (nats)."),
            NO_LOG(4.0, "(4 is C, the number of classes; the loss at uniform guessing is ln C.)"),
            OTHER_EXAMPLE(
                float(np.log(2)),
                "(ln 2 is the loss at initialisation with 2 classes; this question has C = 4.)",
            ),
            (
                0.75,
                "0.75 = 1 - 1/C is how often a uniform guess is wrong (an error rate), not a loss. "
                "The loss of each example is -ln of its true class's probability, 1/4.",
            ),
        ],
    ),
    Exercise(
        name="q2",
        prompt="Write grad_W(X, P, Y): the gradient of the mean cross-entropy with respect to W, for logits XW + b, probabilities P = softmax(XW + b) and one-hot targets Y. Shapes: X (N, D), P and Y (N, C); result (D, C).",
        answer=_grad_w,
        kind="function",
        test_inputs=[(_X, _P, _Y), (_X[:2], _P[:2], _Y[:2]), (_X5, _P5, _Y5)],
        hints=[
            "Chain rule, one entry at a time: W_dc touches the logit Z_ic of every example i with slope X_id, and ∂L/∂Z = (P - Y) / N. Add up over the examples.",
            "Which matrix product adds up X_id times something_ic over the examples i? Check it by its shapes: the result must be (D, C).",
        ],
        worked_solution="def grad_W(X, P, Y):\n    return X.T @ (P - Y) / len(X)   # (D, N) @ (N, C) = (D, C)",
        misconceptions=[
            SUM(lambda X, P, Y: X.T @ (P - Y), "(Without / N it is the gradient of the sum.)"),
            SIGN(lambda X, P, Y: X.T @ (Y - P) / len(X), "(Y - P); the gradient is Xᵀ(P - Y) / N."),
            (
                lambda X, P, Y: X.T @ (P - Y) / X.shape[1],
                "You divided by D (X.shape[1], the number of features). The mean is over the N "
                "examples: divide by len(X) = X.shape[0].",
            ),
            (
                lambda X, P, Y: X.T @ P / len(X),
                "You left out Y: ∂L/∂Z is P - Y, the predicted minus the true probabilities, "
                "not P alone.",
            ),
            OVER_CLASSES(
                lambda X, P, Y: X.T @ (P - Y) / P.shape[1],
                "You divided by C = P.shape[1]; divide by N = len(X).",
            ),
            SIGN(
                lambda X, P, Y: X.T @ (Y - P),
                "(Y - P); and without / N it is also the gradient of the sum: Xᵀ(P - Y) / N.",
            ),
            (
                lambda X, P, Y: np.outer(X.mean(axis=0), (P - Y).mean(axis=0)),
                "You multiplied the mean input by the mean error: the outer product of the "
                "means is not the mean of the outer products. Each example's own xₙ pairs with "
                "its own pₙ − yₙ: Xᵀ(P − Y) / N sums x_n (p_n − y_n)ᵀ over n, then divides by N.",
            ),
            JACOBIAN_DIAGONAL(
                lambda X, P, Y: X.T @ ((P - Y) * P * (1 - P)) / len(X),
                "(P - Y) / N is already ∂L/∂Z, through the whole softmax Jacobian: no factor "
                "P(1 - P) on top.",
            ),
        ],
    ),
    Exercise(
        name="q3",
        prompt="Write update(W, grad, lr): one gradient-descent step.",
        answer=_update,
        kind="function",
        in_place_ok=True,  # an update step: W -= lr * grad, then return W, is the idiom
        test_inputs=[
            (np.array([[0.5, -0.2]]), np.array([[0.1, -0.3]]), 0.5),
            (_W32, _G32, 0.1),
            (_W24, _G24, 0.05),
        ],
        hints=[
            "The gradient points uphill, the direction in which the loss grows fastest.",
            "Descent moves *against* the gradient, by a step scaled by the learning rate.",
        ],
        worked_solution="def update(W, grad, lr):\n    return W - lr * grad",
        misconceptions=[
            ASCENT(lambda W, grad, lr: W + lr * grad, "Here: W - lr * grad."),
            (
                lambda W, grad, lr: W - grad,
                "You forgot the learning rate: the step is lr times the gradient.",
            ),
            (
                lambda W, grad, lr: -lr * grad,
                "That is only the step; return the new weights, the old W plus the step.",
            ),
            (
                lambda W, grad, lr: W - grad / lr,
                "You divided by the learning rate: the step is lr times the gradient, so a "
                "smaller lr takes a smaller step.",
            ),
            (
                lambda W, grad, lr: lr * grad,
                "That is the step with its sign reversed, not the new weights: return "
                "W - lr * grad.",
            ),
            (
                lambda W, grad, lr: W - lr,
                "You left out the gradient: every weight moves by lr, whatever the loss. The "
                "step is lr times the gradient.",
            ),
            (
                lambda W, grad, lr: W * (1 - lr * grad),
                "Your step multiplies by the weights (W - lr·W·grad): gradient descent adds "
                "the same lr · gradient whatever the weight's size, W - lr * grad.",
            ),
            (
                lambda W, grad, lr: W - lr * np.sign(grad),
                "You stepped by the sign of the gradient (every step the same size): gradient "
                "descent scales the step by the gradient itself, W - lr * grad.",
            ),
        ],
    ),
    Exercise(
        name="q4",
        prompt="Raising the L2 strength λ makes the learned weights (a) larger, (b) smaller, (c) unchanged. Answer 'a', 'b' or 'c'.",
        answer="b",
        kind="choice",
        hints=[
            "The penalty (λ/2)‖W‖² grows with the size of the weights, and it is part of the loss."
        ],
        worked_solution="(b): the penalty adds λW to the gradient, so every step also pulls the weights towards 0; smaller weights give smaller logits and flatter, less confident probabilities (section 8's table).",
        misconceptions=[
            (
                "a",
                "The penalty adds (λ/2)‖W‖² to the loss: minimising it favours *smaller* weights.",
            ),
            (
                "c",
                "L2 changes the loss, so its minimum moves: the gradient gains λW, which pulls every weight towards 0 at every step. Section 8's table shows ‖W‖ falling as λ grows.",
            ),
        ],
    ),
    Exercise(
        name="q5",
        prompt=(
            "Explain why: in section 5 the first validation loss, history['val_loss'][0], is "
            "below the first training loss, history['loss'][0] = ln 3. Why? (a) The validation "
            "set happens to be easier than the training set. (b) history['loss'][k] is measured "
            "during epoch k, before that epoch's update, and history['val_loss'][k] after it, so "
            "the validation loss has had one more step. (c) The model overfits the validation "
            "set. (d) The validation set is smaller, and a mean over fewer examples is smaller. "
            "Answer with a letter."
        ),
        answer="b",
        kind="choice",
        hints=[
            "At which weights is each loss computed? Look at where the two appends sit in train(), before or after the update.",
        ],
        worked_solution=(
            "(b): the training loss of epoch k is the loss the gradient was computed from, at the "
            "weights *before* the step (for k = 0 that is W = 0, so ln 3); the validation loss is "
            "computed after the step. Measured at the same weights (section 5 prints it), the two "
            "agree closely. Keras and xl.SoftmaxRegression.fit record losses the same way."
        ),
        explanation=(
            "The two losses are measured at different weights, one step apart. Measured at the "
            "same weights, after the first step, the training loss agrees closely with the "
            "validation loss (section 5). Read the two curves one epoch apart."
        ),
        misconceptions=[
            (
                "a",
                "If the validation set were easier, the gap would remain at equal weights. Section 5 "
                "measures the training loss after the same first step: it matches the validation "
                "loss closely. What differs is *when* each loss is measured.",
            ),
            (
                "c",
                "The model never trains on the validation set, so it cannot overfit it, and "
                "overfitting would show late in training, not at epoch 1. The first training loss "
                "is measured before the first step, the validation loss after it.",
            ),
            (
                "d",
                "A mean does not shrink with fewer examples: it is an average, not a sum. The "
                "difference is when each loss is measured: before or after the epoch's step.",
            ),
        ],
        tags=("explain-why",),
    ),
    Exercise(
        name="q6",
        prompt=(
            "Debug this: train_softmax(X, y, lr, epochs), shown above this exercise, should train softmax "
            "regression from zero weights by full-batch gradient descent and return the training "
            "loss of every epoch, but its first loss is not ln C. Fix it and pass your fixed "
            "function."
        ),
        answer=_train_softmax,
        kind="function",
        test_inputs=[(_XD1, _YD1, 0.5, 25), (_XD2, _YD2, 1.0, 10)],
        hints=[
            "Its first loss is ln N instead of ln C (section 3): at W = 0 each probability came out 1/N, not 1/C. Which numbers did the softmax normalise together?",
            "Each *row* of P (one example) must sum to 1 over the C classes. Print P.sum(axis=1) and P.sum(axis=0) on the first epoch.",
        ],
        worked_solution=(
            "The softmax ran over axis=0, normalising each class's column over the N examples, "
            "so every probability started at 1/N and the first loss was ln N. Fix that one line:\n\n"
            "        P = xl.softmax(X @ W + b, axis=1)   # each row sums to 1\n\n"
            "Everything else (the loss, dZ = (P - Y) / N, the updates) was right."
        ),
        misconceptions=[
            WRONG_AXIS(
                partial(_train_softmax, bug="axis"),
                "Still the original bug: xl.softmax(..., axis=0) normalises each class's column "
                "over the N examples, so the first loss is ln N, not ln C: use axis=1 (or -1).",
            ),
            WRONG_AXIS(
                partial(_train_softmax, bug="axis-in-gradient"),
                "Your recorded loss is right now, but the gradient still uses the column-normalised "
                "P from axis=0. Fix the softmax itself (axis=1), which the loss and dZ both use.",
            ),
            SUM(
                partial(_train_softmax, bug="sum"),
                "The softmax is fixed, but dZ = P - Y without / N makes each step N times too "
                "big: dZ = (P - Y) / N.",
            ),
            ASCENT(
                partial(_train_softmax, bug="ascent"),
                "The softmax is fixed, but the updates add the gradient: W -= lr * dW.",
            ),
            (
                partial(_train_softmax, bug="late-loss"),
                "The training is right now, but your function records each loss *after* that "
                "epoch's step, at the new weights, so the first number is no longer the loss at "
                "W = 0 (ln C). Compute the loss before the update, at the weights the gradient "
                "comes from.",
            ),
            OVER_CLASSES(
                partial(_train_softmax, bug="classes"),
                "The softmax is fixed, but dZ = (P - Y) / C divides by the number of classes: "
                "dZ = (P - Y) / N.",
            ),
            DOUBLE_SOFTMAX(
                partial(_train_softmax, bug="probs-as-logits"),
                "You passed the probabilities P to xl.cross_entropy_with_grad(y, logits=...). "
                "Pass the logits X @ W + b.",
            ),
            WRONG_AXIS(
                partial(_train_softmax, bug="renormalised"),
                "Your rows sum to 1 now, so the first loss is ln C, but they were normalised "
                "over the examples first (axis=0) and then divided by their sums: that is not "
                "softmax of the row, and later epochs differ. Take one softmax over each row: "
                "xl.softmax(X @ W + b, axis=1).",
            ),
            (
                partial(_train_softmax, bug="whole-array"),
                "Your softmax normalises the whole batch at once: one max and one sum over every "
                "entry, so at W = 0 each probability is 1/(N·C). Each row is one example: "
                "xl.softmax(..., axis=1) normalises each row on its own.",
            ),
            (
                partial(_train_softmax, bug="no-bias"),
                "The softmax is fixed, but the bias b is never updated: keep "
                "b -= lr * dZ.sum(axis=0), the gradient of the loss with respect to b.",
            ),
            (
                Symptom(_first_loss_not_ln_c, _train_softmax_random_start),
                "Your first recorded loss is still not ln C. At zero weights every class gets "
                "probability 1/C and the loss is ln C, so either your weights do not start at "
                "zero (np.zeros, as the question asks) or the probabilities are not one "
                "softmax per row: which numbers does the softmax normalise together?",
            ),
        ],
        tags=("debug", "confusion-a"),
    ),
]
