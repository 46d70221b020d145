"""Lesson 01 (surprise and entropy): surprisal, units, entropy as expected surprise."""

import numpy as np

from ._catalogue import (
    BITS,
    ENTROPY_TERM,
    GUARDED_LOG,
    LOG10,
    NATS,
    NO_LOG,
    NO_MINUS,
    NO_SUM,
    ONE_TERM,
    OTHER_EXAMPLE,
    OVER_CLASSES,
    WRONG_CLASS,
    Symptom,
)
from ._core import Exercise


def _entropy_nats(p):
    p = np.asarray(p, dtype=float)
    return -np.sum(np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0))


def _guarded_log(given, expected, inputs) -> bool:
    """Within an ε's reach (1e-5 nats) where no p is tiny, and off by more than 1e-4 of the
    answer where one is (1e-10, 1e-13): a clip, an ε in the log or a mask that drops small
    outcomes, not only zeros (and not the float32 entropy, another mistake)."""
    tiny = [bool(np.any((p > 0) & (p < 1e-7))) for (p,) in inputs]
    if not any(tiny) or any(np.asarray(g).dtype.itemsize < 8 for g in given):  # float32
        return False
    in_float32, off_where_tiny = [], False
    for g, e, small, (p,) in zip(given, expected, tiny, inputs, strict=True):
        if np.size(g) != 1 or not np.isfinite(float(np.squeeze(g))):
            return False
        gap = abs(float(np.squeeze(g)) - float(e))
        if not small and gap > 1e-5:
            return False
        off_where_tiny |= small and gap > 1e-4 * abs(float(e))
        q = p[p > 0].astype(np.float32)  # the entropy computed in float32 is another mistake
        h32 = -np.sum(q * np.log(q))
        in_float32.append(bool(np.isclose(float(np.squeeze(g)), h32, rtol=1e-5, atol=0.0)))
    return off_where_tiny and not all(in_float32)


def _entropy_nan_at_zero(p):
    return -np.sum(p * np.log(p))


EXERCISES = [
    Exercise(
        name="q1",
        prompt="An event has probability 1/8. How surprising is it, in bits?",
        answer=3.0,
        hints=[
            "Surprisal is -log p; bits means log base 2.",
            "np.log2 is log base 2 in NumPy. A surprise is never negative: check the sign of "
            "what you get.",
        ],
        worked_solution="-np.log2(1/8) = log2(8) = 3 bits: three fair coin flips' worth of surprise.",
        misconceptions=[
            NATS(float(np.log(8)), "(ln 8 = 2.08 nats.)"),
            NO_MINUS(-3.0, "log₂(1/8) = −3, so −log₂(1/8) = 3."),
            NO_LOG(1 / 8, "(1/8 is the probability itself.)"),
            LOG10(float(np.log10(8)), "Bits are log base 2: np.log2."),
            NO_LOG(
                8.0,
                "(8 is 1/p, the number of equally likely outcomes; the surprise is its log.)",
            ),
            ENTROPY_TERM(3 / 8, "(3/8 is (1/8) · 3 bits.)"),
            WRONG_CLASS(
                float(-np.log2(7 / 8)),
                "−log₂(7/8) is the surprise of the event *not* happening (probability 7/8); "
                "the question asks about the event itself, probability 1/8.",
            ),
        ],
    ),
    Exercise(
        name="q2",
        prompt="What is the entropy of a fair six-sided die, in nats?",
        answer=float(np.log(6)),
        hints=[
            "Entropy is the average surprise: sum over faces of p · (-ln p).",
            "Every face has the same probability, so every face has the same surprise.",
        ],
        worked_solution="H = Σ (1/6)·ln 6 = ln 6 ≈ 1.792 nats (≈ 2.585 bits).",
        sizes={"C": 6},
        misconceptions=[
            BITS(float(np.log2(6)), "(log₂ 6 = 2.585 bits.)"),
            (
                float(6 * np.log(6)),
                "You added the six surprises without weighting each by its probability 1/6. "
                "Entropy is an *average*.",
            ),
            NO_MINUS(float(-np.log(6))),
            LOG10(float(np.log10(6)), "Nats mean the natural log: np.log."),
            NO_LOG(1 / 6, "(1/6 is the probability of each face.)"),
            NO_LOG(
                6.0,
                "(6 is 1/p, the number of equally likely faces; the entropy is the average "
                "surprise −Σ p ln p.)",
            ),
            ONE_TERM(float(np.log(6) / 6), "(1/6 · ln 6 is one face's term; there are six.)"),
            OTHER_EXAMPLE(
                float(np.log(2)),
                "ln 2 ≈ 0.693 nats is the entropy of a fair coin, two equally likely outcomes; "
                "a fair die has six.",
            ),
        ],
    ),
    Exercise(
        name="q3",
        prompt="Write entropy(p) returning the entropy in nats of a 1-D distribution p. Outcomes with p = 0 contribute 0 (0·log 0 = 0); every other outcome counts exactly, however small its p (the tests include 1e-10).",
        answer=_entropy_nats,
        kind="function",
        atol=1e-15,  # "exactly": an ε of 1e-12 or a clip moves [1, 0, 0]'s 0 by 1e-12
        test_inputs=[
            (np.array([0.5, 0.5]),),
            (np.array([0.7, 0.2, 0.1]),),
            (np.array([1.0, 0.0, 0.0]),),
            # outcomes of probability 1e-10 count: a clip at 1e-7 is 29 % low here, an ε of 1e-7
            # makes the entropy negative
            (np.array([1 - 2e-10, 1e-10, 1e-10, 0.0]),),
            # and 1e-13, below the clips learners pick (1e-12, 1e-11)
            (np.array([1 - 2e-13, 1e-13, 1e-13]),),
        ],
        hints=[
            "Start from -np.sum(p * np.log(p)) and test it on [1, 0, 0]: what goes wrong?",
            "np.log(0) is -inf and 0 * -inf is nan, yet an outcome with p = 0 contributes 0 to the "
            "entropy. Which outcomes can you leave out of the sum, and how does a boolean mask "
            "such as p > 0 select them?",
        ],
        worked_solution="def entropy(p):\n    p = p[p > 0]          # 0·log 0 = 0: drop them\n    return -np.sum(p * np.log(p))",
        misconceptions=[
            (
                _entropy_nan_at_zero,
                "Your function returns nan when some p is 0: np.log(0) = -inf and 0 * -inf = nan. "
                "Drop the zero-probability outcomes first (they contribute 0).",
            ),
            GUARDED_LOG(
                Symptom(_guarded_log, lambda p: -np.sum(p * np.log(p + 1e-7))),
                "Here p = (1 − 2e-10, 1e-10, 1e-10, 0), whose entropy is only 4.8e-9 nats: an ε "
                "of 1e-7 in the log adds about −1e-7 for the outcome near 1 (the result turns "
                "negative), a clip at 1e-7 counts each 1e-10 outcome at 16.1 nats instead of "
                "23.0, and a mask such as p > 1e-3 drops them; the test p = (1 − 2e-13, 1e-13, "
                "1e-13) catches a clip or an ε of 1e-12 too. Keep exactly the outcomes with "
                "p > 0 and take their log as it is.",
            ),
            BITS(lambda p: -np.sum(p[p > 0] * np.log2(p[p > 0]))),
            NO_MINUS(
                lambda p: np.sum(p[p > 0] * np.log(p[p > 0])),
                "Your function returns −H(p): keep the minus of −Σ p log p.",
            ),
            LOG10(
                lambda p: -np.sum(p[p > 0] * np.log10(p[p > 0])),
                "Nats mean the natural log: np.log.",
            ),
            (
                lambda p: -np.sum(np.log(p[p > 0])),
                "Your function adds up the surprises -log p without weighting each by its "
                "probability p. Entropy is the *average* surprise: -Σ p log p.",
            ),
            OVER_CLASSES(
                lambda p: -np.mean(p[p > 0] * np.log(p[p > 0])),
                "Your function divides by the number of outcomes (np.mean); the weights p "
                "already make it an average: use np.sum.",
            ),
            ONE_TERM(
                lambda p: -p[p > 0][-1] * np.log(p[p > 0][-1]),
                "Your function returns the last outcome's term only: in a loop, h = … keeps "
                "only the last term; add them up with h -= … (or np.sum).",
            ),
            NO_SUM(lambda p: -p[p > 0] * np.log(p[p > 0]), "(The terms are p·(−log p).)"),
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
                "A coin that always lands heads never surprises you: its entropy is 0, the "
                "*smallest* possible.",
            ),
            (
                "a",
                "A 0.9 coin is fairly predictable (0.469 bits). The uniform distribution "
                "maximises entropy.",
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
            "Write the best code you can find: one codeword of 0s and 1s for heads, one for "
            "tails, neither the start of the other. Then average their lengths, weighted by "
            "how often each outcome comes up.",
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
            (
                2.0,
                "Two outcomes need two *different* codewords, not two bits each: '0' and '1' "
                "are different and 1 bit long.",
            ),
            (
                0.9,
                "0.9 is the probability of heads, not a length in bits. Give each outcome a "
                "codeword of whole bits and average their lengths.",
            ),
            NATS(
                float(-(0.9 * np.log(0.9) + 0.1 * np.log(0.1))),
                "(0.325 nats is the entropy in nats.) And the question asks for the length of "
                "a code, not the entropy: whole-bit codewords, at least 1 bit each.",
            ),
            (
                0.9 * 1 + 0.1 * 2,
                "Codewords of lengths 1 and 2 (say '0' and '10') make a valid prefix code, but "
                "not the shortest: with two outcomes, '0' and '1' are enough.",
            ),
            (
                0.645,
                "0.645 bits per flip is what a code for *blocks* of two flips can reach. The "
                "question codes each flip on its own: whole-bit codewords, one per flip.",
            ),
        ],
    ),
]
