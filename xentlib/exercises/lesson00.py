"""Lesson 00 (start here): two warm-up exercises that show how checking works."""

import numpy as np

from ._core import Exercise


def _surprise(p):
    return -np.log(p)


EXERCISES = [
    Exercise(
        name="q1",
        prompt="A model gives the true class probability 0.25. What is -ln(0.25), the loss in nats?",
        answer=float(-np.log(0.25)),
        hints=[
            "ln is the natural logarithm: np.log in NumPy.",
            "-ln(0.25) = ln(4) because ln(1/x) = -ln(x).",
        ],
        worked_solution="-np.log(0.25) = ln 4 ≈ 1.386 nats.",
        misconceptions=[
            (2.0, "You used log base 2 (bits). The loss here uses the natural log (nats): np.log."),
            (
                float(np.log(0.25)),
                "Almost: you forgot the minus sign. ln(0.25) is negative; the loss is -ln p ≥ 0.",
            ),
            (float(-np.log10(0.25)), "You used log base 10. Use the natural log: np.log."),
            (0.75, "That is 1 - p, not -ln p. Cross-entropy uses the logarithm."),
        ],
    ),
    Exercise(
        name="q2",
        prompt="Write surprise(p) that returns -ln(p) for every probability in an array p.",
        answer=_surprise,
        kind="function",
        test_inputs=[(np.array([1.0, 0.5, 0.25]),), (np.array([0.9, 0.1]),)],
        hints=[
            "NumPy functions work on whole arrays at once: no loop needed.",
            "return -np.log(p)",
        ],
        worked_solution="def surprise(p):\n    return -np.log(p)",
        misconceptions=[
            (
                lambda p: np.log(p),
                "Your function returns ln p, which is negative: add a minus sign.",
            ),
            (lambda p: -np.log2(p), "Your function uses log base 2 (bits); use np.log (nats)."),
        ],
    ),
]
