"""Lesson 00 (start here): one exercise of each kind, to show how checking works."""

import numpy as np

from ._catalogue import (
    BITS,
    CAPPED,
    ENTROPY_TERM,
    EPS_IN_LOG,
    LOG10,
    LOG_OF_MEAN,
    NO_LOG,
    NO_MINUS,
    SUM,
    UNDERFLOW_PRODUCT,
    WRONG_CLASS,
    Symptom,
    capped_below_the_answer,
)
from ._core import Exercise


def _surprise(p):
    return -np.log(p)


def _one_eps_inside_the_log(given, expected, inputs) -> bool:
    """``given`` is −ln(p + ε) for one small ε > 0 on every test input: ε read back from each
    entry, exp(−given) − p, is the same positive number wherever p leaves it room to show
    (beside p = 0.5 an ε of 1e-300 is lost in rounding; an ε of 1e-7 is not, which tells it
    from a clip at 1e-7)."""
    reads, ps = [], []
    for g, (p,) in zip(given, inputs, strict=True):
        g, p = np.asarray(g, dtype=float), np.asarray(p, dtype=float)
        if g.shape != p.shape or not np.all(np.isfinite(g)):
            return False
        reads.extend(np.exp(-g) - p)
        ps.extend(p)
    reads, ps = np.asarray(reads), np.asarray(ps)
    shown = reads[np.abs(reads) > 1e-12 * ps]
    if not shown.size or not np.all(shown > 0) or np.max(shown) >= 1e-3:
        return False
    eps = np.max(shown)
    room = eps > 1e-9 * ps  # where an ε this size must show
    return bool(np.all(np.abs(reads[room] - eps) <= 0.01 * eps))


def _average_loss(q_true):
    return -np.mean(np.log(q_true))


def _average_loss_log_of_mean(q_true):
    return -np.log(np.mean(q_true))


def _average_loss_via_product(q_true):  # log Π q = Σ log q, but Π q underflows for a big batch
    return -np.log(np.prod(q_true)) / len(q_true)


# A batch of 2000 probabilities of 0.6: their product, about 10^-444, underflows to 0.0.
BIG_BATCH = np.full(2000, 0.6)


EXERCISES = [
    Exercise(
        name="q1",
        prompt="A model gives the true class probability 0.25. What is -ln(0.25), the loss in nats?",
        answer=float(-np.log(0.25)),
        hints=[
            "ln is the natural logarithm: np.log in NumPy.",
            "The log of a probability is negative or zero, and a loss is never negative: "
            "mind the sign of what np.log returns.",
        ],
        worked_solution="-np.log(0.25) = ln 4 ≈ 1.386 nats (1.39 to 3 significant digits).",
        misconceptions=[
            BITS(2.0, "(−log₂ 0.25 = 2 bits; −ln 0.25 is the loss in nats.)"),
            NO_MINUS(float(np.log(0.25)), "ln(0.25) is negative; the loss is −ln q_y ≥ 0."),
            LOG10(float(-np.log10(0.25)), "Use the natural log, np.log (nats)."),
            NO_LOG(0.75, "(0.75 is 1 − q_y.)"),
            NO_LOG(0.25, "(0.25 is q_y itself.)"),
            NO_LOG(4.0, "(4 is 1/q_y; the loss is its log.)"),
            WRONG_CLASS(
                float(-np.log(0.75)),
                "−ln 0.75 is the loss of the other outcome, whose probability is 1 − 0.25: "
                "the model gives the true class 0.25.",
            ),
            ENTROPY_TERM(float(-0.25 * np.log(0.25)), "(0.25 · ln 4; lesson 01 adds such terms.)"),
        ],
    ),
    Exercise(
        name="q2",
        prompt="Write surprise(p) that returns -ln(p) for every probability in an array p, exactly for any p > 0, however small (the tests include 1e-300).",
        answer=_surprise,
        kind="function",
        test_inputs=[
            (np.array([1.0, 0.5, 0.25]),),
            (np.array([0.9, 0.1]),),
            (np.array([1e-300, 0.5]),),  # −ln 1e-300 = 690.8: a clip at 1e-7 gives 16.12
            # small probabilities where an ε would show and a clip below them would not
            (np.array([1e-6, 1e-9, 1e-3]),),
        ],
        hints=[
            "NumPy functions work on whole arrays at once: no loop needed.",
            "np.log is the natural log and works element by element. The loss must be "
            "positive, while the log of a probability is negative.",
        ],
        worked_solution="def surprise(p):\n    return -np.log(p)",
        misconceptions=[
            (
                lambda p: -np.log1p(p - 1),
                "log1p(x) computes log(1 + x) accurately for tiny x; here x = p − 1 is not "
                "tiny, and for a tiny p it rounds to −1 before log1p sees it: p = 1e-300 "
                "gives log1p(−1) = −inf, so the loss is inf instead of 690.8. Take −np.log(p) "
                "directly.",
            ),
            NO_MINUS(lambda p: np.log(p), "Your function returns ln p."),
            EPS_IN_LOG(
                Symptom(_one_eps_inside_the_log, lambda p: -np.log(p + 1e-7)),
                "These probabilities are all > 0, so −ln p is finite: drop the ε.",
            ),
            CAPPED(
                Symptom(capped_below_the_answer, lambda p: -np.log(np.clip(p, 1e-7, 1.0))),
                "Here p = 1e-300: its surprise is −ln 1e-300 = 690.8 nats, and a clip at c "
                "reports −ln c instead (16.12 for c = 1e-7). Every p here is > 0, so −ln p is "
                "finite: no guard is needed.",
            ),
            BITS(lambda p: -np.log2(p)),
            LOG10(lambda p: -np.log10(p), "Use the natural log, np.log (nats)."),
            NO_LOG(lambda p: 1 - p, "(Your function returns 1 − p.)"),
            NO_LOG(lambda p: 1 / p, "(Your function returns 1/p; the surprise is its log.)"),
            WRONG_CLASS(
                lambda p: -np.log(1 - p),
                "Your function scores 1 - p, the probability that the event does *not* happen.",
            ),
            ENTROPY_TERM(lambda p: -p * np.log(p), "Your function returns p·(−ln p)."),
            (
                lambda p: -np.mean(np.log(p)),
                "Your function returns one number, the mean surprise of the whole array; the "
                "question asks for the surprise of every probability: an array of the same "
                "shape as p (no np.mean, no np.sum).",
            ),
            (
                lambda p: -np.sum(np.log(p)),
                "Your function returns one number, the sum of the surprises; the question asks "
                "for the surprise of every probability: an array of the same shape as p (no "
                "np.sum).",
            ),
        ],
    ),
    Exercise(
        name="q3",
        prompt=(
            "Explain why. The seed post passes the probabilities [[0.1, 0.4, 0.5], [0.8, 0.1, 0.1]] "
            "with labels [2, 0] to PyTorch's nn.CrossEntropyLoss and prints 0.8178, but the "
            "cross-entropy of those probabilities is 0.4581. Why? "
            "(a) PyTorch measures the loss in bits instead of nats. "
            "(b) nn.CrossEntropyLoss expects logits (raw scores) and applies softmax to them "
            "itself, so the probabilities are turned into a second, flatter distribution. "
            "(c) PyTorch adds up the two examples' losses instead of averaging them. "
            "(d) The rows are not valid probability distributions. "
            "Answer 'a', 'b', 'c' or 'd'."
        ),
        answer="b",
        kind="choice",
        tags=("explain-why", "confusion-a"),
        hints=[
            "Test each option with a number: what would the loss be in bits? What would the "
            "sum of the two losses be? Do the rows add up to 1?",
            "Read the section on the seed post again: what does nn.CrossEntropyLoss expect "
            "to receive?",
        ],
        worked_solution=(
            "(b). nn.CrossEntropyLoss applies softmax to its input. Given probabilities, it "
            "computes softmax(0.1, 0.4, 0.5) ≈ (0.26, 0.35, 0.39), a flatter distribution, and "
            "the loss of that is 0.8178. Pass logits to it, or log-probabilities to nn.NLLLoss "
            "(lesson 04)."
        ),
        explanation=(
            "PyTorch applies softmax to what it is given, so probabilities passed as logits "
            "are squashed a second time into a flatter distribution (the first row becomes "
            "about (0.26, 0.35, 0.39)), and the loss of that is 0.8178. Lesson 04 shows it."
        ),
        misconceptions=[
            (
                "a",
                "In bits the cross-entropy of these probabilities would be 0.4581 / ln 2 = 0.661, "
                "not 0.8178; and PyTorch uses the natural log, as the post says. The unit is "
                "not the problem: what PyTorch does to its input is.",
            ),
            (
                "c",
                "The sum of the two losses would be 2 × 0.4581 = 0.9163, not 0.8178; and "
                "nn.CrossEntropyLoss averages by default (reduction='mean').",
            ),
            (
                "d",
                "Both rows add up to 1 (0.1 + 0.4 + 0.5 and 0.8 + 0.1 + 0.1): they are valid "
                "distributions. The problem is what kind of numbers the function expects: logits, "
                "so these probabilities go through a double softmax.",
            ),
        ],
    ),
    Exercise(
        name="q4",
        prompt=(
            "Debug this. average_loss(q_true) should return the mean loss -ln q_y over a batch, "
            "given the probability q_y the model gives each example's true class (an array "
            "q_true). The version in "
            "the notebook returns too small a loss. Fix it and pass your fixed function; it must "
            "be exact for any q_y > 0, however small (the tests include 1e-300)."
        ),
        answer=_average_loss,
        kind="function",
        tags=("debug",),
        test_inputs=[
            (np.array([0.9, 0.1]),),
            (np.array([0.5, 0.5, 0.25]),),
            (np.array([0.8, 0.6, 0.7, 0.05]),),
            (BIG_BATCH,),  # a big batch: its product underflows to 0.0
            (np.array([1e-300, 0.5]),),  # −ln 1e-300 = 690.8: a clip at 1e-7 gives 16.12
            # small probabilities where an ε would show and a clip below them would not
            (np.array([1e-6, 1e-9, 1e-3]),),
        ],
        hints=[
            "Work out the batch [0.9, 0.1] by hand: the two losses are -ln 0.9 and -ln 0.1. "
            "What is their mean? What does the broken function return?",
            "For the batch [0.9, 0.1]: which line of the broken function turns the two "
            "probabilities into one number before any log is taken?",
        ],
        worked_solution="def average_loss(q_true):\n    return -np.mean(np.log(q_true))   # the mean of the logs, not the log of the mean",
        misconceptions=[
            LOG_OF_MEAN(
                _average_loss_log_of_mean,
                "Still the bug: your function takes the log of the mean probability; the mean "
                "of the losses is larger, because one confident mistake (q_y = 0.1) costs a lot.",
            ),
            NO_MINUS(lambda p: np.mean(np.log(p)), "Your function returns a negative number."),
            SUM(lambda p: -np.sum(np.log(p))),
            BITS(lambda p: -np.mean(np.log2(p))),
            LOG10(lambda p: -np.mean(np.log10(p)), "Use the natural log, np.log (nats)."),
            WRONG_CLASS(
                lambda p: -np.mean(np.log(1 - p)),
                "Your function scores 1 − q_y, the probability of the other outcomes; q_true "
                "already holds the probability of each example's true class.",
            ),
            NO_LOG(lambda p: np.mean(1 - p), "(Your function averages 1 − q_y.)"),
            CAPPED(
                Symptom(capped_below_the_answer, lambda p: -np.mean(np.log(np.clip(p, 1e-7, 1.0)))),
                "Here one example has q_y = 1e-300: its loss is −ln 1e-300 = 690.8 nats, and a "
                "clip (or an ε) at 1e-7 counts it as 16.12 in the mean. Every q_y here is > 0, so −ln q_y is "
                "finite: no guard is needed.",
            ),
            UNDERFLOW_PRODUCT(
                _average_loss_via_product,
                "−ln(Π q)/N is −mean(ln q) on paper, and your function is right for a small "
                "batch, but on the test batch of 2000 probabilities the product is 0.0 and the "
                "loss comes out inf. Take the logs first and average them: lesson 03 shows why.",
            ),
            (
                lambda p: -np.log(np.median(p)),
                "Your function takes one log, of the median probability. The loss of a batch is "
                "the average of every example's loss: take the log of each probability first, "
                "then their mean.",
            ),
            (
                lambda p: -np.median(np.log(p)),
                "The median of the losses is the middle one (or the mean of the two middle ones): "
                "for [0.5, 0.5, 0.25] it is 0.693 and ignores the loss of the 0.25, 1.386, which "
                "the mean, the loss of the batch, counts in full: 0.924.",
            ),
        ],
    ),
]
