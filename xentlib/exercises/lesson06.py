"""Lesson 06 (a tiny classifier): initial loss, the weight gradient, the update, L2."""

import numpy as np

from ._core import Exercise


def _grad_w(X, P, Y):
    return X.T @ (P - Y) / len(X)


def _update(W, grad, lr):
    return W - lr * grad


_X = np.array([[1.0, 2.0], [0.5, -1.0], [-1.5, 0.3]])
_P = np.array([[0.7, 0.2, 0.1], [0.3, 0.3, 0.4], [0.2, 0.5, 0.3]])
_Y = np.eye(3)[[0, 2, 1]]

EXERCISES = [
    Exercise(
        name="q1",
        prompt="A softmax regression with all weights zero, on a problem with 4 classes: what is its loss (nats) on any data?",
        answer=float(np.log(4)),
        hints=[
            "With zero weights every logit is 0. What does softmax give for equal logits?",
            "Every class gets 1/4, so the loss is -ln(1/4).",
        ],
        worked_solution="Zero logits → softmax = (1/4, 1/4, 1/4, 1/4) → loss = -ln(1/4) = ln 4 ≈ 1.386 nats, whatever the labels.",
        misconceptions=[
            (2.0, "That is log2(4), in bits. The loss uses the natural log: ln 4."),
            (0.25, "0.25 is the probability each class gets. The loss is -ln 0.25."),
            (
                0.0,
                "The loss is 0 only for a perfect, certain prediction. Uniform guessing costs ln C.",
            ),
        ],
    ),
    Exercise(
        name="q2",
        prompt="Write grad_W(X, P, Y): the gradient of the mean cross-entropy with respect to W, for logits XW + b, probabilities P = softmax(XW + b) and one-hot targets Y. Shapes: X (N, D), P and Y (N, C); result (D, C).",
        answer=_grad_w,
        kind="function",
        test_inputs=[(_X, _P, _Y), (_X[:2], _P[:2], _Y[:2])],
        hints=[
            "Chain rule: ∂L/∂W = Xᵀ · ∂L/∂z, and ∂L/∂z = (P - Y) / N for the mean.",
            "return X.T @ (P - Y) / len(X)",
        ],
        worked_solution="def grad_W(X, P, Y):\n    return X.T @ (P - Y) / len(X)   # (D, N) @ (N, C) = (D, C)",
        misconceptions=[
            (
                lambda X, P, Y: X.T @ (P - Y),
                "You forgot to divide by N: that is the gradient of the *sum* of the losses, N times too large.",
            ),
            (
                lambda X, P, Y: X.T @ (Y - P) / len(X),
                "Sign flipped: (Y - P). The gradient of the loss is Xᵀ(P - Y) / N.",
            ),
        ],
    ),
    Exercise(
        name="q3",
        prompt="Write update(W, grad, lr): one gradient-descent step.",
        answer=_update,
        kind="function",
        test_inputs=[(np.array([[0.5, -0.2]]), np.array([[0.1, -0.3]]), 0.5)],
        hints=["Descent goes *against* the gradient."],
        worked_solution="def update(W, grad, lr):\n    return W - lr * grad",
        misconceptions=[
            (
                lambda W, grad, lr: W + lr * grad,
                "Updating with + climbs the loss (gradient *ascent*). Descent subtracts: W - lr * grad.",
            ),
            (lambda W, grad, lr: W - grad, "You forgot the learning rate: W - lr * grad."),
        ],
    ),
    Exercise(
        name="q4",
        prompt="Raising the L2 strength makes the learned weights (a) larger, (b) smaller, (c) unchanged, and the predicted probabilities (on average) less confident. Answer 'a', 'b' or 'c'.",
        answer="b",
        kind="choice",
        hints=["The penalty (λ/2)‖W‖² grows with the size of the weights."],
        worked_solution="(b): the penalty pulls weights towards 0; smaller logits give flatter, less confident probabilities.",
        misconceptions=[
            (
                "a",
                "The penalty adds (λ/2)‖W‖² to the loss: minimising it favours *smaller* weights.",
            ),
        ],
    ),
]
