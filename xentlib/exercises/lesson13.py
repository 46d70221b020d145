"""Lesson 13 (language models): add-k as a prior, nats → bits → perplexity, code length,
temperature, a padded batch's mean, why an unsmoothed model scores ∞, add-k on a table,
and the Gaussian prior behind weight decay."""

import math

import numpy as np

from ._catalogue import LOG10, NATS, SUM
from ._core import Exercise

LN2 = math.log(2)


# ---- q8: add-k smoothing of a whole table ---------------------------------------------------
def _add_k(counts, k):
    counts = np.asarray(counts, dtype=float)
    return (counts + k) / (counts.sum(axis=-1, keepdims=True) + k * counts.shape[-1])


def _add_k_numerator_only(counts, k):
    counts = np.asarray(counts, dtype=float)
    return (counts + k) / counts.sum(axis=-1, keepdims=True)


def _add_k_once(counts, k):
    counts = np.asarray(counts, dtype=float)
    return (counts + k) / (counts.sum(axis=-1, keepdims=True) + k)


def _add_k_whole_table(counts, k):
    counts = np.asarray(counts, dtype=float)
    return (counts + k) / (counts.sum() + k * counts.size)


def _add_k_axis0(counts, k):
    counts = np.asarray(counts, dtype=float)
    return (counts + k) / (counts.sum(axis=0, keepdims=True) + k * counts.shape[0])


def _add_k_renormalised(counts, k):
    counts = np.asarray(counts, dtype=float)
    p = counts / np.maximum(counts.sum(axis=-1, keepdims=True), 1)
    return (p + k) / (1 + k * counts.shape[-1])


def _add_k_renormalised_nan(counts, k):
    counts = np.asarray(counts, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = counts / counts.sum(axis=-1, keepdims=True)
    return (p + k) / (1 + k * counts.shape[-1])


def _add_k_alpha(counts, k):
    counts = np.asarray(counts, dtype=float)
    return (counts + k + 1) / (counts.sum(axis=-1, keepdims=True) + (k + 1) * counts.shape[-1])


def _add_k_mle(counts, k):
    counts = np.asarray(counts, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return counts / counts.sum(axis=-1, keepdims=True)


def _add_k_no_keepdims(counts, k):
    counts = np.asarray(counts, dtype=float)
    return (counts + k) / (counts.sum(axis=-1) + k * counts.shape[-1])


def _table(seed, shape, zero_row=False):
    rng = np.random.default_rng(seed)
    counts = rng.integers(0, 9, size=shape) * (rng.random(shape) < 0.6)
    if zero_row:
        counts[(0,) * (len(shape) - 1)] = 0  # a context never seen
    return counts


EXERCISES = [
    Exercise(
        name="q1",
        prompt=(
            "In a training text, the character 'q' is followed by 'u' 12 times and by nothing "
            "else. The vocabulary has V = 70 characters. With add-one smoothing (k = 1), what "
            "probability does the bigram model give 'u' after 'q'?"
        ),
        answer=13 / 82,
        unit="",
        hints=[
            "Add-k pretends every one of the V characters was seen k more times after 'q'. "
            "How many imaginary sightings is that in all?",
            "The probability is (count of the pair + k) divided by (count of the context + the "
            "imaginary sightings of all V characters).",
        ],
        worked_solution=(
            "q(u | q) = (n(q, u) + k) / (n(q) + kV) = (12 + 1) / (12 + 70) = 13/82 ≈ 0.159. "
            "Each of the other 69 characters gets 1/82 ≈ 0.012: the prior's strength is large "
            "next to 12 real sightings."
        ),
        misconceptions=[
            (
                1.0,
                "1 is the maximum-likelihood estimate (k = 0), the relative frequency 12/12 (or "
                "13/13: k added to the pair, and to the total only once). Smoothing adds k to "
                "every one of the V characters' counts, so the context's total grows by k·V.",
            ),
            (
                13 / 83,
                "You added 1 + V to the denominator. Each of the V characters gets k = 1 "
                "imaginary sighting: n(q) + kV = 12 + 70.",
            ),
            (
                12 / 82,
                "The pair's count gets its imaginary sighting too: (12 + 1) / (12 + 70).",
            ),
            (
                13 / 71,
                "Your denominator, 71, is V + 1: the context's 12 real sightings belong in it "
                "too, n(q) + kV = 12 + 70.",
            ),
            (
                13 / 12,
                "You added k to the pair's count but not to the total, so the probability is "
                "above 1. The total grows by k for every one of the V characters: 12 + 70.",
            ),
            (
                1 - 13 / 82,
                "That is 1 minus the answer: the probability of everything but 'u' after 'q'.",
            ),
            (
                14 / 152,
                "You added k + 1 = 2 (the Dirichlet's α) to every count. Add-k adds k itself: "
                "(12 + 1) / (12 + 70).",
            ),
            (
                1 / 82,
                "1/82 is what a character never seen after 'q' gets. 'u' was seen 12 times: "
                "(12 + 1) / 82.",
            ),
            (
                13 / 70,
                "You divided by V alone. The denominator is every sighting after 'q', real and "
                "imaginary: 12 + 70.",
            ),
        ],
    ),
    Exercise(
        name="q2",
        prompt=(
            "A character model's mean negative log-likelihood on held-out text is 1.89 nats per "
            "character. How many bits per character is that?"
        ),
        answer=1.89 / LN2,
        unit="bits",
        hints=[
            "A bit is the log base 2 of a probability, a nat its natural log. How many nats is "
            "one bit?",
            "log2 q = ln q / ln 2.",
        ],
        worked_solution=(
            "bits = nats / ln 2 = 1.89 / 0.6931 ≈ 2.73 bits per character. (One bit is "
            "ln 2 ≈ 0.693 nats, so the same loss is a larger number in bits than in nats.)"
        ),
        misconceptions=[
            NATS(
                1.89,
                "(1.89 is the loss in nats, as given; divide by ln 2 for bits.)",
            ),
            (
                1.89 * LN2,
                "You multiplied by ln 2. One bit is 0.693 nats, so there are more bits than "
                "nats: divide by ln 2.",
            ),
            (
                math.exp(1.89),
                "e^1.89 is the perplexity. The question asks for the loss in bits: 1.89 / ln 2.",
            ),
            (
                2**1.89,
                "2^1.89 raises 2 to the loss, a perplexity-like number for a loss in bits. The "
                "loss is in nats: convert it, 1.89 / ln 2.",
            ),
            (
                1.89 * 8,
                "× 8 converts bytes to bits. The loss is in nats: 1.89 / ln 2.",
            ),
            (
                math.log2(1.89),
                "log2 of the loss is not a change of unit. Convert the loss: 1.89 / ln 2.",
            ),
            LOG10(1.89 / math.log(10), "(1.89 / ln 10 is the loss in decimal digits.)"),
            (
                1.89 / LN2 / 8,
                "That is in bytes per character. The question asks for bits.",
            ),
        ],
    ),
    Exercise(
        name="q3",
        prompt=(
            "A model's cross-entropy on held-out text is 2.75 bits per character. What is its "
            "perplexity?"
        ),
        answer=2**2.75,
        unit="",
        hints=[
            "Perplexity undoes the logarithm: it is the number of equally likely choices that "
            "would have the same loss.",
            "A loss in bits is a log base 2. Which number has a log base 2 of 2.75?",
        ],
        worked_solution=(
            "perplexity = 2^bits = 2^2.75 ≈ 6.73 (the same as e^nats, with nats = 2.75 · ln 2): "
            "the model is as unsure as a uniform choice among between 6 and 7 characters."
        ),
        misconceptions=[
            (
                math.exp(2.75),
                "e^2.75 undoes a natural logarithm, but 2.75 was measured with log2: the "
                "perplexity is 2^2.75 (or e to the loss in nats).",
            ),
            (
                2.75,
                "2.75 is the loss itself. Perplexity is the number of equally likely choices "
                "with that loss: 2^2.75.",
            ),
            (
                2**-2.75,
                "2^−2.75 is the probability of one of the equally likely choices. Perplexity "
                "is how many there are: 2^2.75.",
            ),
            LOG10(10**2.75, "(10^2.75 undoes it; the loss was measured with log2: 2^2.75.)"),
            (
                2.75 / LN2,
                "Dividing by ln 2 changes the unit of a loss. Perplexity is 2 raised to the "
                "loss in bits: 2^2.75.",
            ),
            (
                8.0,
                "8 = 2³: the loss rounded to 3 before raising 2 to it. Use 2^2.75.",
            ),
            (
                2.75 * 2,
                "Perplexity is 2 to the power of the loss in bits, not 2 times it: 2^2.75.",
            ),
        ],
    ),
    Exercise(
        name="q4",
        prompt=(
            "A model's cross-entropy on a held-out text of 20,000 characters is 2.5 bits per "
            "character. About how many bytes does an arithmetic coder driven by the model write "
            "for the text? (A byte is 8 bits; ignore the coder's couple of extra bytes.)"
        ),
        answer=20000 * 2.5 / 8,
        unit="bytes",
        hints=[
            "The code length is the sum of every character's surprisal. What is that sum, in bits?",
            "Then convert bits to bytes.",
        ],
        worked_solution=(
            "20,000 characters × 2.5 bits = 50,000 bits = 6,250 bytes: the cross-entropy in "
            "bits per character, times the number of characters, is the code length (within a "
            "couple of bytes). ASCII would take 20,000 bytes."
        ),
        misconceptions=[
            (
                50000.0,
                "50,000 is the length in bits. The question asks for bytes: 8 bits each.",
            ),
            (
                2.5 / 8,
                "That is bytes per character. The text has 20,000 characters: multiply.",
            ),
            (
                20000 * 2.5 * 8,
                "You multiplied by 8. There are 8 bits in a byte, so bits ÷ 8 = bytes.",
            ),
            (
                20000 / 8,
                "You left out the 2.5 bits per character: the length in bits is 20,000 × 2.5.",
            ),
            (
                20000.0,
                "20,000 bytes is the text in ASCII, 8 bits a character. The model spends 2.5 "
                "bits a character.",
            ),
            (
                20000 * 2.5 * LN2 / 8,
                "You multiplied by ln 2, which turns bits into nats. 2.5 is already in bits: "
                "20,000 × 2.5 / 8.",
            ),
            (
                20000 * 2.5 / LN2 / 8,
                "You divided by ln 2, a conversion from nats. The 2.5 needs none: "
                "20,000 × 2.5 / 8.",
            ),
            (
                20000 * 2.5 / 8 / 1000,
                "That is in kilobytes (1 kB = 1000 bytes). The question asks for bytes.",
            ),
            (
                20000 * 2.5 / 8 / 1024,
                "That is in kibibytes (1 KiB = 1024 bytes). The question asks for bytes.",
            ),
            (
                20000 * 2**2.5 / 8,
                "2^2.5 is the perplexity, not a number of bits. The code length is the loss in "
                "bits times the number of characters.",
            ),
        ],
    ),
    Exercise(
        name="q5",
        prompt=(
            "You sample text from a trained character model at temperature T = 0.5 instead of "
            "T = 1. What changes? (a) The text sticks to the model's likeliest characters: "
            "less varied, and less surprising to the model itself; its loss on held-out text "
            "is unchanged. (b) The model's loss on held-out text halves, because its "
            "probabilities are sharper. (c) The text becomes more varied, because the logits "
            "are divided by a number below 1. Answer 'a', 'b' or 'c'."
        ),
        answer="a",
        kind="choice",
        tags=("explain-why",),
        hints=[
            "Temperature reshapes q into q^(1/T), renormalised, only when you draw from it. "
            "Does it change the model's weights?",
            "Dividing logits by T < 1 makes their differences larger. Does softmax then favour "
            "the largest logit more, or less?",
        ],
        worked_solution=(
            "(a): q_T(c) ∝ q(c)^(1/T) = softmax(z / T); T = 0.5 doubles the logits' "
            "differences, so the likeliest characters get even likelier. The samples repeat "
            "common words and the model finds them unsurprising; the model itself (and its "
            "loss on real text, computed at T = 1) does not change."
        ),
        explanation=(
            "Temperature reshapes the distribution you draw from: T < 1 sharpens it, T > 1 "
            "flattens it. It is a sampling choice, not training: the model and its test loss "
            "stay the same."
        ),
        misconceptions=[
            (
                "b",
                "The test loss is computed from the model's own probabilities (T = 1), which "
                "sampling does not change. (Scoring real text with sharpened probabilities would "
                "not halve it either: it would punish every surprise harder.)",
            ),
            (
                "c",
                "Dividing logits by T = 0.5 doubles them, so their differences grow and softmax "
                "favours the likeliest character more: less variety, not more (lesson 04).",
            ),
        ],
    ),
    Exercise(
        name="q6",
        prompt=(
            "A batch holds two lines, padded: the first has 10 real characters with mean loss "
            "2.0 bits per character, the second 30 real characters with mean loss 3.0. What "
            "per-character loss does cross-entropy with ignore_index on the padding report, in "
            "bits per character?"
        ),
        answer=(10 * 2.0 + 30 * 3.0) / 40,
        unit="bits",
        hints=[
            "ignore_index averages over real characters, not over lines. What is the total "
            "loss of all the real characters, and how many are there?",
        ],
        worked_solution=(
            "The mean over the 40 real characters: (10 × 2.0 + 30 × 3.0) / 40 = 110 / 40 = 2.75 "
            "bits per character. The mean of the two lines' means, 2.5, gives the short line as "
            "much say as the long one."
        ),
        misconceptions=[
            (
                2.5,
                "2.5 is the mean of the two lines' means, which weighs a 10-character line like "
                "a 30-character one. ignore_index averages over the 40 real characters.",
            ),
            SUM(110.0, "(110 bits is the sum over the 40 characters; divide by 40.)"),
            (
                5.0,
                "5 adds the two lines' means. The loss is the mean over the 40 real characters.",
            ),
            (
                110 / 60,
                "You divided by 60 positions: the padding of the short line counts too. "
                "ignore_index leaves the padding out of the count: 40 characters.",
            ),
            (
                110 / 40 / LN2,
                "You divided by ln 2, a conversion from nats. The lines' losses are already "
                "in bits per character: (10 × 2.0 + 30 × 3.0) / 40.",
            ),
            (
                2.0,
                "2.0 is the short line's mean alone. The long line's 30 characters count too: "
                "(10 × 2.0 + 30 × 3.0) / 40.",
            ),
            (
                110 / 40 * LN2,
                "You multiplied by ln 2, which turns bits into nats. The lines' losses are "
                "already in bits per character: (10 × 2.0 + 30 × 3.0) / 40.",
            ),
            (
                55.0,
                "You divided the sum by the 2 lines. ignore_index divides by the 40 real "
                "characters.",
            ),
            (
                3.0,
                "3.0 is the long line's mean alone. The short line's 10 characters count too: "
                "(10 × 2.0 + 30 × 3.0) / 40.",
            ),
            (
                (10 * 3.0 + 30 * 2.0) / 40,
                "You gave each line the other's mean loss: the 10 characters cost 2.0 each, the "
                "30 characters 3.0.",
            ),
        ],
    ),
    Exercise(
        name="q7",
        prompt=(
            "The counted (unsmoothed) bigram model scores ∞ bits per character on the "
            "validation text. Why? (a) Some character, or some pair, of the validation text "
            "never occurs in the training text (after a context that does), so its "
            "maximum-likelihood probability is 0 and "
            "its surprisal −log 0 is ∞. (b) The product of 9,842 probabilities underflows to 0 "
            "in float64. (c) The model overfits: its training loss is too low. (d) A softmax "
            "overflowed. Answer 'a', 'b', 'c' or 'd'."
        ),
        answer="a",
        kind="choice",
        tags=("explain-why",),
        hints=[
            "Which single term of the mean −(1/N) Σ log2 q could be infinite on its own?",
            "Section 2 printed how many validation characters have probability 0, and which "
            "character the training text never has.",
        ],
        worked_solution=(
            "(a): the counted model gives probability 0 to every pair it never saw after a "
            "context it did see, and one term −log 0 = ∞ makes the mean ∞ (the bigram has 18 "
            "such validation characters, the unigram one: the 5 of ACT 5). Smoothing (a prior) "
            "gives every character some probability."
        ),
        explanation=(
            "One surprisal of −log 0 = ∞ is enough: the maximum-likelihood estimate gives "
            "everything it never saw after a context it saw probability 0. The loss is a mean of logs, so no product "
            "is formed and nothing underflows."
        ),
        misconceptions=[
            (
                "b",
                "The loss is a mean of logs, −(1/N) Σ log q (lesson 03), never the log of a "
                "product, so nothing underflows. ∞ comes from one term: −log 0.",
            ),
            (
                "c",
                "Overfitting makes the validation loss larger than the training loss, but finite "
                "for any model that gives every character some probability. ∞ needs a "
                "probability of exactly 0.",
            ),
            (
                "d",
                "A count model has no logits and no softmax: it divides counts. The ∞ is −log 0, "
                "from a pair it never counted.",
            ),
        ],
    ),
    Exercise(
        name="q8",
        prompt=(
            "Write add_k(counts, k): the add-k smoothed probabilities of an n-gram table of "
            "counts, shape (V,) * (n + 1), where the last axis is the next character and the "
            "others the context: q(c | ctx) = (n(ctx, c) + k) / (n(ctx) + kV). It must work for "
            "a table of any number of axes, and give a context never seen (a row of zeros) "
            "the uniform 1/V when k > 0."
        ),
        answer=_add_k,
        kind="function",
        test_inputs=[
            (_table(0, (4, 4)), 1.0),
            (_table(1, (3, 3, 3), zero_row=True), 0.5),
            (_table(2, (5,)), 0.1),
            (_table(3, (4, 4), zero_row=True), 2.0),
            (np.array([[0, 12, 0], [3, 1, 0], [0, 0, 0]]), 1.0),
            (_table(4, (3, 3)) + 1, 0.0),  # k = 0: the relative frequencies, no zero rows
            (_table(5, (4, 4)).astype(float), 0.25),  # counts as floats
            (_table(6, (70, 70), zero_row=True), 0.01),  # an unseen context where k·V < 1
            (np.array([[300, 5, 0], [0, 0, 1000], [40000, 1, 2]]), 1.0),  # counts in thousands
            (_table(7, (3, 3, 3, 3), zero_row=True), 0.3),  # four axes: "any number of axes"
        ],
        rtol=1e-10,
        atol=1e-15,
        hints=[
            "Each context's row is normalised on its own: which axis holds the next character?",
            "A sum over one axis removes that axis. Which argument of np.sum keeps it, so "
            "the totals line up with the table they divide?",
        ],
        worked_solution=(
            "def add_k(counts, k):\n"
            "    counts = np.asarray(counts, dtype=float)\n"
            "    V = counts.shape[-1]\n"
            "    return (counts + k) / (counts.sum(axis=-1, keepdims=True) + k * V)\n"
            "\n"
            "# xl.language.ngram_probs(counts, k=k) computes the same"
        ),
        misconceptions=[
            (
                _add_k_numerator_only,
                "You added k to the counts but not to the rows' totals, so the rows do not sum "
                "to 1 (and an unseen context divides by 0). The denominator is n(ctx) + k·V.",
            ),
            (
                _add_k_once,
                "The denominator grows by k once per character, k·V in all, not by k: every one "
                "of the V characters got k imaginary sightings.",
            ),
            (
                _add_k_whole_table,
                "You normalised the whole table at once (a joint distribution of the n-grams). "
                "Each context's row is its own distribution: sum along axis=-1 with "
                "keepdims=True.",
            ),
            (
                _add_k_axis0,
                "You summed along axis 0, over the contexts. Each context's row is its own "
                "distribution over the next character, the last axis: divide by "
                "counts.sum(axis=-1, keepdims=True) + k·V.",
            ),
            (
                _add_k_mle,
                "That is the maximum-likelihood estimate, k left out: a pair never seen gets "
                "probability 0, and a context never seen 0/0 = nan. Add k to every count and "
                "k·V to every row's total.",
            ),
            (
                _add_k_no_keepdims,
                "Without keepdims=True the rows' totals lose their last axis, and NumPy lines "
                "them up with the table's last axis instead: row i's total divides column i. "
                "Keep the axis: counts.sum(axis=-1, keepdims=True).",
            ),
            (
                _add_k_renormalised_nan,
                "You turned the counts into probabilities first, and a context never seen gives "
                "0/0 = nan before any smoothing. Add k to the counts, then divide by each "
                "row's total n(ctx) + kV (never 0 when k > 0).",
            ),
            (
                _add_k_alpha,
                "You added k + 1 (the Dirichlet's α) to every count. Add-k adds k itself: "
                "(n(ctx, c) + k) / (n(ctx) + kV).",
            ),
            (
                _add_k_renormalised,
                "You smoothed the probabilities instead of the counts: (p + k) / (1 + kV) adds "
                "k to each probability, as if every context had been seen once. Add k to the "
                "counts, then divide by each row's total n(ctx) + kV.",
            ),
        ],
    ),
    Exercise(
        name="q9",
        prompt=(
            "A network is trained on N = 50,000 examples with the mean cross-entropy plus weight "
            "decay (λ/2)·‖W‖², λ = 0.002. This is MAP under a Gaussian prior W_j ~ N(0, σ²) on "
            "each weight. What is σ?"
        ),
        answer=1 / math.sqrt(0.002 * 50000),
        unit="",
        hints=[
            "MAP minimises N × (the mean loss) − ln p(W). What is −ln p(W) for the Gaussian "
            "prior, up to a constant?",
            "Divide the MAP objective by N and match the penalty with (λ/2)·‖W‖².",
        ],
        worked_solution=(
            "−ln p(W) = ‖W‖² / (2σ²) + const, and MAP minimises N·L(W) + ‖W‖² / (2σ²), that is "
            "L(W) + ‖W‖² / (2σ²N). So λ = 1/(σ²N) and σ = 1/√(λN) = 1/√100 = 0.1."
        ),
        misconceptions=[
            (
                1 / (0.002 * 50000),
                "1/(λN) = 0.01 is the variance σ². The question asks for the standard deviation "
                "σ, its square root.",
            ),
            (
                1 / math.sqrt(0.002),
                "You left out N. The prior is weighed against the whole data's log-likelihood, N "
                "times the mean loss: σ = 1/√(λN).",
            ),
            (
                math.sqrt(0.002 * 50000),
                "That is 1/σ. A larger λ means a tighter prior, a smaller σ: σ = 1/√(λN).",
            ),
            (
                0.002 * 50000,
                "λN = 100 is 1/σ², the prior's precision. σ itself is 1/√(λN).",
            ),
            (
                1 / (2 * 0.002 * 50000),
                "1/(2λN) is half the variance σ². σ = 1/√(λN), the ½s cancel.",
            ),
            (
                math.sqrt(0.002),
                "√λ is not σ: match L(W) + ‖W‖²/(2σ²N) with L(W) + (λ/2)‖W‖², so σ = 1/√(λN).",
            ),
            (
                1 / math.sqrt(0.002 * 50000 / 2),
                "You matched λ/2 with 1/(2σ²N) and then lost a ½: (λ/2)‖W‖² = ‖W‖²/(2σ²N) gives "
                "λ = 1/(σ²N), so σ = 1/√(λN).",
            ),
            (
                math.sqrt(0.002 * 50000 / 2),
                "That is 1/σ with a stray ½. σ = 1/√(λN): a larger λ means a smaller σ.",
            ),
            (
                1 / math.sqrt(2 * 0.002 * 50000),
                "The ½ in (λ/2)‖W‖² matches the ½ in ‖W‖²/(2σ²): they cancel, so λ = 1/(σ²N) and "
                "σ = 1/√(λN).",
            ),
        ],
    ),
]
