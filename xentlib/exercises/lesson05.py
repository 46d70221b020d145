"""Lesson 05 (gradients)."""

import numpy as np

from ..special import softmax
from ._core import Exercise


def _onehot(y, n_classes):
    return np.eye(n_classes)[y]


def _grad(logits, y):
    return (softmax(logits) - _onehot(y, logits.shape[1])) / len(y)


Z = np.array([2.0, 1.0, 0.0])
G = softmax(Z) - np.array([1.0, 0.0, 0.0])

EXERCISES = [
    Exercise(
        name="q1",
        prompt="For logits z = [2, 1, 0] and true class 0, what is ∂L/∂z, the gradient of L = -log softmax(z)_0? (an array of 3 numbers)",
        answer=G,
        hints=[
            "∂L/∂z = softmax(z) - y, with y the one-hot vector of the true class.",
            "softmax([2, 1, 0]) = [0.665, 0.245, 0.090]; y = [1, 0, 0].",
        ],
        worked_solution="softmax(z) - y = [0.665 - 1, 0.245, 0.090] = [-0.335, 0.245, 0.090]. The true class's logit goes up, the others down.",
        misconceptions=[
            (
                -G,
                "Sign flipped: you computed y - softmax(z). The gradient is softmax(z) - y; descent *subtracts* it, which raises the true class's logit.",
            ),
            (softmax(Z), "That is softmax(z) alone: subtract the one-hot target y = [1, 0, 0]."),
        ],
    ),
    Exercise(
        name="q2",
        prompt=(
            "Write grad(logits, y): logits has shape (N, C), y holds N integer labels; return "
            "the gradient of the *mean* cross-entropy with respect to logits, shape (N, C)."
        ),
        answer=_grad,
        kind="function",
        test_inputs=[
            (np.array([[2.0, 1.0, 0.0], [0.5, 0.5, 3.0]]), np.array([0, 1])),
            (np.array([[1.0, -1.0], [0.0, 0.0], [3.0, 2.0], [-2.0, 1.0]]), np.array([1, 0, 0, 1])),
        ],
        hints=[
            "Per example the gradient is softmax(z_i) - y_i. Build the one-hot matrix with np.eye(C)[y].",
            "The mean over N examples divides every row's gradient by N.",
        ],
        worked_solution=(
            "def grad(logits, y):\n"
            "    p = np.exp(logits - logits.max(axis=1, keepdims=True))\n"
            "    p /= p.sum(axis=1, keepdims=True)\n"
            "    return (p - np.eye(logits.shape[1])[y]) / len(y)"
        ),
        misconceptions=[
            (
                lambda logits, y: _grad(logits, y) * len(y),
                "Your gradient is N times too big: it is the gradient of the *sum*. The mean divides by N.",
            ),
            (
                lambda logits, y: -_grad(logits, y),
                "Sign flipped: that is (y - p) / N. The gradient of the loss is (p - y) / N.",
            ),
        ],
    ),
    Exercise(
        name="q3",
        prompt="Binary case: z = 0 and the label is y = 1. What is d/dz of the binary cross-entropy -[y log σ(z) + (1-y) log(1-σ(z))]?",
        answer=-0.5,
        hints=[
            "The binary gradient is σ(z) - y, the two-class twin of softmax(z) - y.",
            "σ(0) = 0.5.",
        ],
        worked_solution="σ(0) - 1 = 0.5 - 1 = -0.5: negative, so descent increases z towards class 1.",
        misconceptions=[
            (0.5, "Sign flipped: you computed y - σ(z). The gradient is σ(z) - y = -0.5."),
            (
                -1.0,
                "That would be the gradient for a completely wrong σ(z) = 0. At z = 0, σ(z) = 0.5.",
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
        worked_solution="(b): 3e-2 means the two gradients differ by about 3 %. Correct gradients agree to ~1e-7 (often 1e-9) in float64; above ~1e-4 something is wrong.",
        misconceptions=[
            (
                "a",
                "3 % disagreement is far too large. With float64 and central differences, a correct gradient agrees to ~1e-7 or better.",
            ),
            (
                "c",
                "A too-small eps causes round-off errors around 1e-7 to 1e-5, not 3 %. Look for a bug.",
            ),
        ],
    ),
]
