"""Lesson 07 (going nonlinear): backprop through tanh, parameter counts, overconfidence."""

import numpy as np

from ._core import Exercise


def _tanh_grad(h):
    return 1.0 - h * h


def _backward_hidden(dlogits, W2, h):
    return (dlogits @ W2.T) * (1.0 - h * h)


_D = np.array([[0.2, -0.3, 0.1], [-0.1, 0.05, 0.05]])
_W2 = np.array([[0.5, -1.0, 0.3], [1.2, 0.1, -0.4]])
_H = np.array([[0.3, -0.8], [0.9, 0.1]])

EXERCISES = [
    Exercise(
        name="q1",
        prompt="Write tanh_grad(h): the derivative of tanh at a, written with h = tanh(a) (as backprop reuses it).",
        answer=_tanh_grad,
        kind="function",
        test_inputs=[(np.array([-0.9, 0.0, 0.5]),)],
        hints=["d/da tanh(a) = 1 - tanh(a)²."],
        worked_solution="def tanh_grad(h):\n    return 1 - h ** 2",
        misconceptions=[
            (lambda h: 1 - h, "You forgot the square: tanh'(a) = 1 - tanh(a)²."),
            (
                lambda h: h * (1 - h),
                "h(1 - h) is the derivative of the *sigmoid*. For tanh it is 1 - h².",
            ),
        ],
    ),
    Exercise(
        name="q2",
        prompt="How many parameters (weights and biases) has TinyMLP(hidden=32) on 2 input features and 3 classes?",
        answer=2 * 32 + 32 + 32 * 3 + 3,
        hints=["W1 is (2, 32), b1 (32,), W2 (32, 3), b2 (3,)."],
        worked_solution="2·32 + 32 + 32·3 + 3 = 64 + 32 + 96 + 3 = 195.",
        misconceptions=[
            (2 * 32 + 32 * 3, "You counted only the weights: add the biases b1 (32) and b2 (3)."),
            (
                2 * 32 * 3,
                "Layers add their parameters; they do not multiply: 2·32 + 32 + 32·3 + 3.",
            ),
        ],
    ),
    Exercise(
        name="q3",
        prompt="Write backward_hidden(dlogits, W2, h): given ∂L/∂z (N, C), the output weights W2 (H, C) and the hidden activations h = tanh(a) (N, H), return ∂L/∂a (N, H).",
        answer=_backward_hidden,
        kind="function",
        test_inputs=[(_D, _W2, _H)],
        hints=[
            "First ∂L/∂h = ∂L/∂z · W2ᵀ, then multiply elementwise by tanh'(a) = 1 - h².",
            "return (dlogits @ W2.T) * (1 - h ** 2)",
        ],
        worked_solution="def backward_hidden(dlogits, W2, h):\n    dh = dlogits @ W2.T          # (N, C) @ (C, H)\n    return dh * (1 - h ** 2)      # through tanh",
        misconceptions=[
            (
                lambda d, W2, h: d @ W2.T,
                "That is ∂L/∂h. To get ∂L/∂a, multiply by the derivative of tanh, 1 - h².",
            ),
            (lambda d, W2, h: (d @ W2.T) * (1 - h), "tanh'(a) = 1 - h², not 1 - h."),
        ],
    ),
    Exercise(
        name="q4",
        prompt="The training loss keeps falling while the validation loss rises and validation accuracy stays flat. What is happening? (a) underfitting, (b) the model grows overconfident on examples it gets wrong (overfitting), (c) the learning rate is too small. Answer 'a', 'b' or 'c'.",
        answer="b",
        kind="choice",
        hints=[
            "Cross-entropy punishes confident mistakes hard. What happens to the probabilities of the few wrong validation examples as the weights grow?"
        ],
        worked_solution="(b): the network keeps sharpening its probabilities; on validation examples it gets wrong, −log p grows, so the mean loss rises even though accuracy barely changes. Early stopping or L2 help.",
        misconceptions=[
            ("a", "Underfitting shows a *high* training loss. Here training loss keeps falling."),
            (
                "c",
                "A small learning rate makes both losses fall slowly; it does not make validation loss rise.",
            ),
        ],
    ),
]
