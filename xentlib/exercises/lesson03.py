"""Lesson 03 (maximum likelihood)."""

import numpy as np

from ._core import Exercise

TRUE_CLASS_PROBS = np.array([0.9, 0.6, 0.3])


def _mean_nll(probs, y):
    return -np.mean(np.log(probs[np.arange(len(y)), y]))


EXERCISES = [
    Exercise(
        name="q1",
        prompt="A coin lands heads 7 times in 10 flips. What bias θ = P(heads) maximises the likelihood?",
        answer=0.7,
        hints=[
            "The log-likelihood is 7·ln θ + 3·ln(1 - θ). Where is its derivative zero?",
            "7/θ - 3/(1 - θ) = 0.",
        ],
        worked_solution="d/dθ [7 ln θ + 3 ln(1-θ)] = 7/θ - 3/(1-θ) = 0 ⇒ θ = 7/10 = 0.7: the observed frequency.",
        misconceptions=[
            (
                0.5,
                "0.5 is what you might *expect* of a coin, but the likelihood of these data is highest at the observed frequency.",
            ),
            (0.3, "That is the frequency of tails. θ is P(heads)."),
        ],
    ),
    Exercise(
        name="q2",
        prompt=(
            "A model gives the true labels of three examples probabilities 0.9, 0.6 and 0.3. "
            "What is the mean negative log-likelihood (the mean cross-entropy), in nats?"
        ),
        answer=float(-np.mean(np.log(TRUE_CLASS_PROBS))),
        hints=[
            "Each example contributes -ln p of its true label.",
            "(-ln 0.9 - ln 0.6 - ln 0.3) / 3",
        ],
        worked_solution="(0.105 + 0.511 + 1.204) / 3 = 0.607 nats.",
        misconceptions=[
            (
                float(-np.sum(np.log(TRUE_CLASS_PROBS))),
                "That is the *sum* (1.820). Divide by the number of examples for the mean.",
            ),
            (
                float(np.mean(np.log(TRUE_CLASS_PROBS))),
                "Negative? You forgot the minus sign: it is the *negative* log-likelihood.",
            ),
            (float(-np.mean(np.log2(TRUE_CLASS_PROBS))), "That is in bits. Use the natural log."),
            (
                float(-np.log(np.mean(TRUE_CLASS_PROBS))),
                "You took the log of the mean probability. Take the mean of the logs.",
            ),
        ],
    ),
    Exercise(
        name="q3",
        prompt=(
            "A model gives each of 2000 labels probability 0.6. What is the log-likelihood "
            "ln(0.6 · 0.6 · … · 0.6)? Compute it so it does not underflow."
        ),
        answer=float(2000 * np.log(0.6)),
        rtol=1e-6,
        hints=[
            "Try np.prod(np.full(2000, 0.6)) first: what do you get?",
            "The log of a product is the sum of the logs: np.sum(np.log(...)), or 2000·ln 0.6.",
        ],
        worked_solution="ln Π p_i = Σ ln p_i = 2000 · ln 0.6 ≈ -1021.65. The product itself (≈ 10^-444) underflows to 0.0 in float64.",
        misconceptions=[
            (
                -np.inf,
                "-inf means you took the log of the product, which had already underflowed to 0.0. Sum the logs instead.",
            ),
            (
                0.0,
                "0.0 is the product after underflow (0.6^2000 ≈ 10^-444 is below float64's smallest number). Take logs first, then sum.",
            ),
            (
                float(-2000 * np.log(0.6)),
                "That is the negative log-likelihood (the loss). The log-likelihood itself is negative.",
            ),
        ],
    ),
    Exercise(
        name="q4",
        prompt=(
            "Write mean_nll(probs, y): probs has shape (N, C) (rows are distributions), y holds "
            "N integer labels; return the mean of -ln probs[i, y[i]]."
        ),
        answer=_mean_nll,
        kind="function",
        test_inputs=[
            (np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]]), np.array([0, 2])),
            (np.array([[0.25, 0.75], [0.5, 0.5], [0.9, 0.1]]), np.array([1, 0, 1])),
        ],
        hints=[
            "Pick one probability per row: probs[np.arange(N), y].",
            "return -np.mean(np.log(probs[np.arange(len(y)), y]))",
        ],
        worked_solution="def mean_nll(probs, y):\n    picked = probs[np.arange(len(y)), y]   # the true class's probability, per row\n    return -np.mean(np.log(picked))",
        misconceptions=[
            (
                lambda probs, y: -np.sum(np.log(probs[np.arange(len(y)), y])),
                "Your function returns the sum over examples. Divide by N (use np.mean) for the mean.",
            ),
            (
                lambda probs, y: -np.mean(np.log(probs[:, y])),
                "probs[:, y] picks every row's columns y — an (N, N) block, not one entry per row. Use probs[np.arange(N), y].",
            ),
            (
                lambda probs, y: np.mean(np.log(probs[np.arange(len(y)), y])),
                "Your function returns a negative number: add the minus sign.",
            ),
        ],
    ),
]
