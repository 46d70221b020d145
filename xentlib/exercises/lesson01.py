"""Lesson 01 (surprise and entropy): surprisal, units, entropy as expected surprise."""

import numpy as np

from ._core import Exercise


def _entropy_nats(p):
    p = np.asarray(p, dtype=float)
    return -np.sum(np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0))


def _entropy_nan_at_zero(p):
    return -np.sum(p * np.log(p))


EXERCISES = [
    Exercise(
        name="q1",
        prompt="An event has probability 1/8. How surprising is it, in bits?",
        answer=3.0,
        hints=[
            "Surprisal is -log p; bits means log base 2.",
            "-log2(1/8) = log2(8). How many halvings take 1 to 1/8?",
        ],
        worked_solution="-np.log2(1/8) = log2(8) = 3 bits: three fair coin flips' worth of surprise.",
        misconceptions=[
            (
                float(np.log(8)),
                "That is the surprisal in nats (natural log). The question asks for bits: use np.log2.",
            ),
            (
                -3.0,
                "Negative surprise? You forgot the minus sign: log2(1/8) = -3, so -log2(1/8) = 3.",
            ),
            (1 / 8, "That is the probability itself. Surprisal is -log2 p."),
            (float(np.log10(8)), "You used log base 10. Bits are log base 2: np.log2."),
            (
                8.0,
                "That is 1/p, the number of equally likely outcomes. Surprisal is its log: log2(1/p).",
            ),
            (
                3 / 8,
                "That is p · (-log2 p), the event's term in an entropy sum: its surprise "
                "weighted by its probability 1/8. The surprise itself is -log2 p, unweighted.",
            ),
        ],
    ),
    Exercise(
        name="q2",
        prompt="What is the entropy of a fair six-sided die, in nats?",
        answer=float(np.log(6)),
        hints=[
            "Entropy is the average surprise: sum over faces of p · (-ln p).",
            "Every face has p = 1/6, so every face has the same surprise, -ln(1/6).",
        ],
        worked_solution="H = Σ (1/6)·ln 6 = ln 6 ≈ 1.792 nats (≈ 2.585 bits).",
        misconceptions=[
            (
                float(np.log2(6)),
                "That is the entropy in bits. The question asks for nats: use np.log.",
            ),
            (
                float(6 * np.log(6)),
                "You added the six surprises without weighting each by its probability 1/6. Entropy is an *average*.",
            ),
            (float(-np.log(6)), "Entropy is never negative: check the sign of -Σ p ln p."),
            (
                float(np.log10(6)),
                "You used log base 10 (np.log10), a unit this course never uses. Nats mean the "
                "natural log: np.log.",
            ),
            (
                1 / 6,
                "1/6 is the probability of each face. Entropy is the average surprise: each "
                "face's surprise -ln(1/6), weighted by its probability 1/6, summed over faces.",
            ),
            (
                6.0,
                "6 is the number of equally likely faces, not the entropy: entropy is the "
                "average surprise -Σ p ln p, in nats.",
            ),
        ],
    ),
    Exercise(
        name="q3",
        prompt="Write entropy(p) returning the entropy in nats of a 1-D distribution p. Outcomes with p = 0 contribute 0 (0·log 0 = 0).",
        answer=_entropy_nats,
        kind="function",
        test_inputs=[
            (np.array([0.5, 0.5]),),
            (np.array([0.7, 0.2, 0.1]),),
            (np.array([1.0, 0.0, 0.0]),),
        ],
        hints=[
            "Start from -np.sum(p * np.log(p)) and test it on [1, 0, 0]: what goes wrong?",
            "np.log(0) is -inf and 0 * -inf is nan. Only sum over the outcomes with p > 0: p = p[p > 0].",
        ],
        worked_solution="def entropy(p):\n    p = p[p > 0]          # 0·log 0 = 0: drop them\n    return -np.sum(p * np.log(p))",
        misconceptions=[
            (
                _entropy_nan_at_zero,
                "Your function returns nan when some p is 0: np.log(0) = -inf and 0 * -inf = nan. "
                "Drop the zero-probability outcomes first (they contribute 0).",
            ),
            (
                lambda p: -np.sum(p[p > 0] * np.log2(p[p > 0])),
                "Your function gives bits (log base 2). The question asks for nats: np.log.",
            ),
            (
                lambda p: np.sum(p[p > 0] * np.log(p[p > 0])),
                "Your function returns a negative number: you lost the minus sign in -Σ p log p.",
            ),
            (
                lambda p: -np.sum(p[p > 0] * np.log10(p[p > 0])),
                "Your function uses log base 10 (np.log10). Nats mean the natural log: np.log.",
            ),
            (
                lambda p: -np.sum(np.log(p[p > 0])),
                "Your function adds up the surprises -log p without weighting each by its "
                "probability p. Entropy is the *average* surprise: -Σ p log p.",
            ),
            (
                lambda p: -np.mean(p[p > 0] * np.log(p[p > 0])),
                "Your function divides by the number of outcomes (np.mean). The weights p already "
                "make it an average: use np.sum.",
            ),
        ],
    ),
    Exercise(
        name="q4",
        prompt=(
            "Which coin has the largest entropy? (a) P(heads) = 0.9, (b) P(heads) = 0.5, "
            "(c) P(heads) = 1.0. Answer 'a', 'b' or 'c'."
        ),
        answer="b",
        kind="choice",
        hints=["Entropy is the average surprise. Which coin can you predict least well?"],
        worked_solution="(b): the fair coin, 1 bit. (a) gives 0.469 bits; (c) gives 0 bits — it never surprises you.",
        misconceptions=[
            (
                "c",
                "A coin that always lands heads never surprises you: its entropy is 0, the *smallest* possible.",
            ),
            (
                "a",
                "A 0.9 coin is fairly predictable (0.469 bits). The uniform distribution maximises entropy.",
            ),
        ],
    ),
    Exercise(
        name="q5",
        prompt=(
            "A coin lands heads with probability 0.9; its entropy is 0.469 bits. You send each "
            "flip on its own, as a codeword of whole bits (a prefix code). What is the smallest "
            "possible average codeword length, in bits per flip?"
        ),
        answer=1.0,
        hints=[
            "Every codeword is a whole number of bits, and the two outcomes need two different "
            "codewords.",
            "Can a codeword be empty? If not, what is the shortest a codeword can be, and what "
            "does that make the average?",
        ],
        worked_solution=(
            "Codewords '0' for heads and '1' for tails: 1 bit per flip, and no prefix code for "
            "single flips does better, since every codeword has at least 1 bit. The entropy, "
            "0.469 bits, is a lower bound that single-flip codes cannot reach; coding blocks of "
            "flips together gets closer to it (the lesson's Huffman cell)."
        ),
        misconceptions=[
            (
                0.469,
                "0.469 bits is the entropy: no code can average less, but a code for one flip at "
                "a time has whole-bit codewords, and each needs at least 1 bit. Only codes for "
                "blocks of flips approach the entropy.",
            ),
            (
                0.47,
                "0.47 is the entropy, 0.469 bits, rounded: the lower bound no code can beat, not "
                "the length of a code you can build. A code for one flip at a time gives each "
                "outcome a codeword of whole bits, at least 1 bit each.",
            ),
            (
                float(-np.log2(0.9)),
                "That is -log2 0.9, the surprise of heads alone. A codeword cannot be a fraction "
                "of a bit, and the average is over both outcomes.",
            ),
            (
                1.469,
                "H + 1 = 1.469 is the upper bound on the best code's average length (H ≤ L < H + 1), "
                "not the length itself. Find the best code and average its lengths.",
            ),
            (
                float(0.9 * 1 + 0.1 * 4),
                "Those are the lengths ⌈-log2 p⌉ (1 bit for heads, 4 for tails). They make a valid "
                "code, but not the shortest: with two outcomes one bit each is enough.",
            ),
            (
                0.5,
                "Half a bit per flip would need a codeword shorter than 1 bit for some flips, "
                "but codewords are whole bits and none can be empty.",
            ),
        ],
    ),
]
