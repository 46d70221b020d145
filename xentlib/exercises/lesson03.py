"""Lesson 03 (maximum likelihood)."""

import numpy as np

from ._catalogue import (
    BITS,
    CAPPED,
    EPS_IN_LOG,
    EXTRA_N,
    INDEX_AS_ONEHOT,
    LOG10,
    LOG_OF_MEAN,
    NO_LOG,
    NO_MINUS,
    ONE_TERM,
    SUM,
    UNDERFLOW_PRODUCT,
    WRONG_CLASS,
    Symptom,
    a_little_below_the_answer,
    capped_below_the_answer,
    wrong_only_on_long_inputs,
)
from ._core import Exercise

TRUE_CLASS_PROBS = np.array([0.9, 0.4, 0.2])
GRID = np.linspace(0.01, 0.99, 99)  # the candidate biases of q6's fit_coin
_RNG = np.random.default_rng(3)
# q4: a batch of N = 2000, section 2's size: the product of its true-class probabilities
# underflows to 0.0, so a mean NLL computed as −log(Π q) / N is inf.
BIG_PROBS = _RNG.dirichlet([3.0, 3.0, 3.0], size=2000)
BIG_LABELS = _RNG.integers(0, 3, size=2000)


def _mean_nll(probs, y):
    return -np.mean(np.log(probs[np.arange(len(y)), y]))


def _fit_coin(flips):
    heads = np.mean(flips)
    nll = -(heads * np.log(GRID) + (1 - heads) * np.log(1 - GRID))
    return GRID[np.argmin(nll)]


def _fit_coin_broken(flips):  # the notebook's version: the minus sign is missing
    heads = np.mean(flips)
    nll = heads * np.log(GRID) + (1 - heads) * np.log(1 - GRID)
    return GRID[np.argmin(nll)]


def _fit_coin_no_tails(flips):
    heads = np.mean(flips)
    nll = -(heads * np.log(GRID))
    return GRID[np.argmin(nll)]


def _fit_coin_returns_loss(flips):
    heads = np.mean(flips)
    nll = -(heads * np.log(GRID) + (1 - heads) * np.log(1 - GRID))
    return np.min(nll)


def _fit_coin_returns_index(flips):
    heads = np.mean(flips)
    nll = -(heads * np.log(GRID) + (1 - heads) * np.log(1 - GRID))
    return np.argmin(nll)


def _fit_coin_swapped(flips):
    heads = np.mean(flips)
    nll = -(heads * np.log(1 - GRID) + (1 - heads) * np.log(GRID))
    return GRID[np.argmin(nll)]


def _fit_coin_one_step_up(flips):  # grid[np.argmin(nll) + 1]: the index off by one
    return float(np.round(min(_fit_coin(flips) + 0.01, 0.99), 2))


def _fit_coin_one_step_down(flips):  # grid[np.argmin(nll) - 1]
    return float(np.round(max(_fit_coin(flips) - 0.01, 0.01), 2))


def _flips(heads, n):
    return np.array([1.0] * heads + [0.0] * (n - heads))


PERPLEXITY_NLL = 1.2

EXERCISES = [
    Exercise(
        name="q1",
        fraction=True,
        prompt="A coin lands heads 7 times in 10 flips. What bias θ = P(heads) maximises the likelihood?",
        answer=0.7,
        hints=[
            "The log-likelihood is 7·ln θ + 3·ln(1 - θ). Where is its derivative zero?",
            "Differentiate term by term (d/dθ ln θ = 1/θ, d/dθ ln(1 − θ) = −1/(1 − θ)), set "
            "the sum to zero, and solve for θ.",
        ],
        worked_solution="d/dθ [7 ln θ + 3 ln(1-θ)] = 7/θ - 3/(1-θ) = 0 ⇒ θ = 7/10 = 0.7: the observed frequency.",
        misconceptions=[
            (
                0.5,
                "0.5 is what you might *expect* of a coin, but the likelihood of these data is "
                "highest at the observed frequency.",
            ),
            (0.3, "That is the frequency of tails. θ is P(heads)."),
            (7, "That is the number of heads. θ is a probability, between 0 and 1."),
            (
                7 / 3,
                "7/3 is the odds, heads against tails. θ is a probability: heads among all the flips.",
            ),
            (
                8 / 12,
                "(7 + 1)/(10 + 2) is Laplace's rule of succession, the estimate of a uniform prior "
                "(smoothing). The maximum-likelihood θ uses the data alone.",
            ),
        ],
    ),
    Exercise(
        name="q2",
        prompt=(
            "A model gives the true labels of three examples probabilities 0.9, 0.4 and 0.2. "
            "What is the mean negative log-likelihood (the mean cross-entropy), in nats?"
        ),
        answer=float(-np.mean(np.log(TRUE_CLASS_PROBS))),
        hints=[
            "Each example contributes -ln q_y, minus the log of the probability its true label gets.",
            "Turn each probability into that example's loss first: the mean NLL is a mean of "
            "losses, not the loss of a mean probability.",
        ],
        worked_solution="(0.105 + 0.916 + 1.609) / 3 = 0.877 nats.",
        sizes={"N": 3},
        misconceptions=[
            SUM(float(-np.sum(np.log(TRUE_CLASS_PROBS))), "(2.631 is the sum of the three.)"),
            NO_MINUS(
                float(np.mean(np.log(TRUE_CLASS_PROBS))), "It is the *negative* log-likelihood."
            ),
            BITS(float(-np.mean(np.log2(TRUE_CLASS_PROBS)))),
            LOG_OF_MEAN(float(-np.log(np.mean(TRUE_CLASS_PROBS)))),
            NO_LOG(float(np.mean(TRUE_CLASS_PROBS)), "(0.5 is the mean probability.)"),
            LOG10(float(-np.mean(np.log10(TRUE_CLASS_PROBS))), "Use the natural log, np.log."),
            *(
                ONE_TERM(float(-np.log(q)), f"(−ln {q:g} is one example's loss; there are three.)")
                for q in TRUE_CLASS_PROBS
            ),
            WRONG_CLASS(
                float(-np.mean(np.log(1 - TRUE_CLASS_PROBS))),
                "(You scored 1 − q, the probability of the other labels; 0.9, 0.4 and 0.2 are "
                "already the true labels' probabilities.)",
            ),
            NO_LOG(
                float(np.prod(TRUE_CLASS_PROBS)),
                "(0.072 is the likelihood, the product of the three probabilities; the mean NLL "
                "is minus its log, divided by the number of examples.)",
            ),
        ],
    ),
    Exercise(
        name="q3",
        prompt=(
            "A model gives each of 2000 labels probability 0.6. What is the log-likelihood "
            "ln(0.6 · 0.6 · … · 0.6)? Compute it so it does not underflow. (Give 5 significant "
            "digits: for a number in the thousands, that means one decimal place.)"
        ),
        answer=float(2000 * np.log(0.6)),
        digits=5,
        hints=[
            "Try np.prod(np.full(2000, 0.6)) first: what do you get?",
            "The log of a product is the sum of the logs.",
        ],
        worked_solution="ln Π q_i = Σ ln q_i = 2000 · ln 0.6 ≈ -1021.65. The product itself (≈ 10^-444) underflows to 0.0 in float64.",
        misconceptions=[
            UNDERFLOW_PRODUCT(-np.inf, "(−inf is the log of that 0.0.)"),
            UNDERFLOW_PRODUCT(0.0, "(0.0 is the product after it underflowed.)"),
            (
                float(-2000 * np.log(0.6)),
                "That is the negative log-likelihood (the loss). The log-likelihood itself is "
                "negative.",
            ),
            BITS(float(2000 * np.log2(0.6))),
            LOG10(
                float(2000 * np.log10(0.6)),
                "(It says the product is about 10^-444.) Use the natural log.",
            ),
            ONE_TERM(
                float(np.log(0.6)),
                "(ln 0.6 is the log-likelihood of one label, or the mean per label; the "
                "question asks for all 2000 together, the sum.)",
            ),
            (
                float(-np.log(0.6)),
                "−ln 0.6 is one label's negative log-likelihood. The question asks for the "
                "log-likelihood (negative) of all 2000 labels together: the sum of their logs.",
            ),
            *(
                NO_LOG(
                    sign * 0.6 * 2000,
                    "(0.6 · 2000 adds up the probabilities; the log-likelihood adds up their "
                    "logs, ln 0.6 each.)",
                )
                for sign in (-1, 1)
            ),
        ],
    ),
    Exercise(
        name="q4",
        prompt=(
            "Write mean_nll(probs, y): probs has shape (N, C) (rows are distributions), y holds "
            "N integer labels; return the mean of -ln probs[i, y[i]]. It must work for a batch "
            "of any size, and exactly for any probabilities > 0: the tests include one of N = 2000 "
            "(section 2) and a true class given probability 1e-300."
        ),
        answer=_mean_nll,
        kind="function",
        test_inputs=[
            (np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]]), np.array([0, 2])),
            (np.array([[0.25, 0.75], [0.5, 0.5], [0.9, 0.1]]), np.array([1, 0, 1])),
            (BIG_PROBS, BIG_LABELS),
            # a confident mistake: −ln 1e-300 = 690.8, where a clip or an ε at 1e-7 gives 16.12
            (np.array([[1e-300, 1.0], [0.5, 0.5]]), np.array([0, 1])),
        ],
        hints=[
            "Each row needs one entry: the one in the column its label names. NumPy's fancy "
            "indexing takes an array of row numbers and an array of column numbers at once "
            "(lesson 00's NumPy primer).",
            "The test batch of 2000 is there for a reason: section 2 multiplied 2000 "
            "probabilities and got 0.0. Which operation gives the same loss without ever "
            "forming that product?",
        ],
        worked_solution="def mean_nll(probs, y):\n    picked = probs[np.arange(len(y)), y]   # the true class's probability, per row\n    return -np.mean(np.log(picked))   # the mean of the logs: no product to underflow",
        misconceptions=[
            SUM(lambda probs, y: -np.sum(np.log(probs[np.arange(len(y)), y]))),
            (
                lambda probs, y: -np.mean(np.log(probs[:, y])),
                "probs[:, y] picks every row's columns y — an (N, N) block, not one entry per row. Use probs[np.arange(N), y].",
            ),
            NO_MINUS(lambda probs, y: np.mean(np.log(probs[np.arange(len(y)), y]))),
            (
                lambda probs, y: -np.mean(np.log(probs)),
                "Your function averages -ln q over every entry of probs, wrong classes included. "
                "Only the true label's probability counts: probs[np.arange(N), y].",
            ),
            BITS(lambda probs, y: -np.mean(np.log2(probs[np.arange(len(y)), y]))),
            LOG10(
                lambda probs, y: -np.mean(np.log10(probs[np.arange(len(y)), y])),
                "Use the natural log, np.log.",
            ),
            LOG_OF_MEAN(
                lambda probs, y: -np.log(np.mean(probs[np.arange(len(y)), y])),
                "Take −ln of each true-class probability first, then np.mean of those losses.",
            ),
            WRONG_CLASS(
                lambda probs, y: -np.mean(np.log(probs.max(axis=1))),
                "Your function uses each row's largest probability (the predicted class), not "
                "the probability of the true label y[i]: probs[np.arange(N), y].",
            ),
            WRONG_CLASS(
                lambda probs, y: -np.mean(np.log(1 - probs[np.arange(len(y)), y])),
                "Your function scores 1 − q_y, the probability of all the other classes.",
            ),
            EXTRA_N(lambda probs, y: -np.mean(np.log(probs[np.arange(len(y)), y])) / len(y)),
            CAPPED(
                Symptom(
                    capped_below_the_answer,
                    lambda probs, y: (
                        -np.mean(np.log(np.clip(probs[np.arange(len(y)), y], 1e-7, 1.0)))
                    ),
                ),
                "Here a true class has probability 1e-300: its loss is −ln 1e-300 = 690.8 nats, "
                "and a clip at 1e-7 (or an ε of 1e-7 inside the log) counts it as about 16.12 in the "
                "mean. These "
                "probabilities are never 0, so "
                "np.log of them is finite: no guard is needed.",
            ),
            EPS_IN_LOG(
                Symptom(
                    a_little_below_the_answer,
                    lambda probs, y: -np.mean(np.log(probs[np.arange(len(y)), y] + 1e-301)),
                ),
                "Here a true class has probability 1e-300: −ln(1e-300 + ε) is below −ln 1e-300 = "
                "690.8. These probabilities are never 0: use np.log(picked).",
            ),
            INDEX_AS_ONEHOT(
                lambda probs, y: -np.mean(np.sum(y[:, None] * np.log(probs), axis=1)),
                "(y[:, None] * log(probs) multiplies every log-probability of a row by its "
                "label number.) Pick each row's true-class entry: probs[np.arange(N), y].",
            ),
            UNDERFLOW_PRODUCT(
                lambda probs, y: -np.log(np.prod(probs[np.arange(len(y)), y])) / len(y),
                "Your function is right for a small batch, but on the test batch of N = 2000 "
                "the product is 0.0 and the loss comes out inf: −mean(log q) never forms it.",
            ),
        ],
    ),
    Exercise(
        name="q5",
        prompt=(
            "Explain why. np.prod of 2000 probabilities, each 0.6, prints 0.0 in float64. Why, "
            "and what should you do? "
            "(a) The true product, about 10^-444, is smaller than the smallest positive float64 "
            "(about 5e-324), so it underflows to 0.0; sum the logs instead. "
            "(b) One of the 2000 probabilities must be exactly 0. "
            "(c) np.prod rounds its result to a few decimals; print more digits. "
            "(d) The likelihood of 2000 labels really is 0, so every model explains them equally "
            "badly. "
            "Answer 'a', 'b', 'c' or 'd'."
        ),
        answer="a",
        kind="choice",
        tags=("explain-why",),
        hints=[
            "What is log10 of 0.6^2000? Compare it with the smallest positive float64, "
            "np.nextafter(0.0, 1.0).",
            "Every factor here is 0.6: none is zero. Which operation keeps a very small "
            "number's size without storing the number itself?",
        ],
        worked_solution=(
            "(a). 0.6^2000 = 10^(2000·log10 0.6) ≈ 10^-443.7, far below float64's smallest "
            "positive number (about 4.9e-324), so the product rounds to 0.0. Its log, 2000·ln 0.6, "
            "is an ordinary number: sum the logs of the probabilities instead of multiplying them."
        ),
        explanation=(
            "The product is a real, positive number, just too small for float64: it underflows. "
            "The log-likelihood, a sum of logs, is a moderate number that float64 holds easily, "
            "and it is maximised by the same model."
        ),
        misconceptions=[
            (
                "b",
                "Every factor is 0.6, none is 0. A product of numbers that are all positive "
                "becomes 0.0 only because float64 cannot store a positive number that small.",
            ),
            (
                "c",
                "np.prod does not round; printing more digits still shows 0.0, because the "
                "stored value itself is 0.0: the product underflowed.",
            ),
            (
                "d",
                "The true product is positive, and it differs between models: a model giving "
                "0.7 to each label has a likelihood about 10^134 times larger. Only the floating-point "
                "result is 0.0, which hides that difference; the sum of logs keeps it.",
            ),
        ],
    ),
    Exercise(
        name="q6",
        prompt=(
            "Debug this. fit_coin(flips) should return the maximum-likelihood bias θ of a coin "
            "(flips holds 1 for heads, 0 for tails), found by a grid search over θ in "
            "0.01, 0.02, …, 0.99 that minimises the mean negative log-likelihood. The notebook's "
            "version returns 0.01 for 7 heads in 10 flips. Fix it and pass your fixed function."
        ),
        answer=_fit_coin,
        kind="function",
        tags=("debug",),
        # all heads (the grid's best is 0.99, not 1.0) and a share of heads between two grid
        # points (1/3: the grid's best is 0.33): the share of heads itself is no grid search
        test_inputs=[
            (_flips(7, 10),),
            (_flips(3, 20),),
            (_flips(13, 50),),
            (_flips(5, 5),),
            (_flips(1, 3),),
            (_flips(1, 8),),  # share 0.125: the grid's best is 0.13, not the nearest 0.12
            # 2000 flips: a likelihood written as a product of 2000 probabilities underflows
            (_flips(1400, 2000),),
        ],
        hints=[
            "Print nll for a few θ: is it smallest near the frequency of heads, or largest there?",
            "Compare the formula with the lesson's: the negative log-likelihood of a flip is "
            "-[y ln θ + (1 - y) ln(1 - θ)]. Which part did the broken line lose?",
        ],
        worked_solution=(
            "def fit_coin(flips):\n"
            "    grid = np.linspace(0.01, 0.99, 99)\n"
            "    heads = np.mean(flips)\n"
            "    nll = -(heads * np.log(grid) + (1 - heads) * np.log(1 - grid))   # the minus was missing\n"
            "    return grid[np.argmin(nll)]"
        ),
        misconceptions=[
            UNDERFLOW_PRODUCT(
                Symptom(
                    wrong_only_on_long_inputs,
                    lambda flips: GRID[
                        np.argmax([np.prod(np.where(flips == 1, t, 1 - t)) for t in GRID])
                    ],
                ),
                "Your fit is right for a few flips, but for 2000 flips the likelihood of every "
                "θ underflows to 0.0 and np.argmax returns the first θ: compare the negative "
                "log-likelihoods, sums of logs, instead.",
            ),
            (
                _fit_coin_broken,
                "Still the bug: your function picks the θ that makes the flips *least* likely "
                "(0.01 for 7 heads in 10). Without the minus, nll holds the log-likelihood, which "
                "is largest, not smallest, at the best θ. Negate it (or use np.argmax on the "
                "log-likelihood, but not both).",
            ),
            (
                _fit_coin_no_tails,
                "Your function always returns 0.99: nothing pulls θ down, so the tails term "
                "(1 - heads)·ln(1 - θ) is missing or wrong. heads must be the share of heads, "
                "np.mean(flips), so that 1 - heads is the share of tails.",
            ),
            (
                _fit_coin_returns_loss,
                "Your function returns the smallest loss, not the θ where it occurs: use the "
                "index np.argmin(nll) to pick θ from the grid.",
            ),
            (
                _fit_coin_returns_index,
                "Your function returns the position of the best θ in the grid (an index such as "
                "69), not θ itself: return grid[np.argmin(nll)].",
            ),
            (
                _fit_coin_swapped,
                "Your function returns the frequency of tails: ln θ belongs with the heads "
                "and ln(1 - θ) with the tails.",
            ),
            (
                lambda flips: float(np.mean(flips)),
                "Your function returns the share of heads, the exact maximum-likelihood θ, but "
                "the question asks for the grid search: for 5 heads in 5 flips the grid's best "
                "θ is 0.99 (θ = 1 is not on the grid), for 1 head in 3 it is 0.33. Search the "
                "grid: θ = grid[np.argmin(nll)].",
            ),
            (
                lambda flips: float(np.clip(np.round(np.mean(flips), 2), 0.01, 0.99)),
                "Your function rounds the share of heads to the grid instead of searching it: "
                "the grid point nearest the share is not always the one with the smallest "
                "negative log-likelihood. For 1 head in 8 (share 0.125) the grid's best θ is "
                "0.13; rounding gives 0.12. Search the grid: θ = grid[np.argmin(nll)].",
            ),
            (
                _fit_coin_one_step_up,
                "Your θ is one grid step (0.01) above the best one: np.argmin(nll) is already "
                "the position of the best θ in the grid, so grid[np.argmin(nll)] is it, with "
                "no + 1.",
            ),
            (
                _fit_coin_one_step_down,
                "Your θ is one grid step (0.01) below the best one: np.argmin(nll) is already "
                "the position of the best θ in the grid, so grid[np.argmin(nll)] is it, with "
                "no − 1.",
            ),
        ],
    ),
    Exercise(
        name="q7",
        unit="",
        prompt=(
            f"A language model's mean negative log-likelihood on held-out text is "
            f"{PERPLEXITY_NLL} nats per token. What is its perplexity?"
        ),
        answer=float(np.exp(PERPLEXITY_NLL)),
        hints=[
            "Perplexity turns a mean NLL back into a number of equally likely choices.",
            "The NLL is in nats, so undo the natural log.",
        ],
        worked_solution="perplexity = e^(mean NLL) = e^1.2 ≈ 3.32: the model is as unsure as if it chose uniformly among 3.32 equally likely tokens.",
        misconceptions=[
            BITS(
                float(2**PERPLEXITY_NLL),
                "(2^NLL is the perplexity of an NLL measured in bits; this one is in nats: e^NLL.)",
            ),
            (
                float(np.exp(-PERPLEXITY_NLL)),
                "e^-NLL is the geometric mean of the true tokens' probabilities, the inverse of "
                "the perplexity. Perplexity is e^(+NLL), at least 1.",
            ),
            LOG10(float(10**PERPLEXITY_NLL), "The NLL is in nats: perplexity is e^NLL."),
            (
                PERPLEXITY_NLL,
                "That is the mean NLL itself, the number the question gives. Perplexity turns it "
                "back into a number of equally likely choices: e raised to the mean NLL.",
            ),
            BITS(
                float(PERPLEXITY_NLL / np.log(2)),
                "(1.73 is the NLL converted to bits, still an NLL; perplexity is e^NLL, the "
                "same as 2^(NLL in bits).)",
            ),
        ],
    ),
]
