"""One catalogue of the mistakes learners make, named and worded the same way in every lesson.

An exercise names a mistake by calling its catalogue entry with the wrong answer that shows
it and, when useful, a detail about this exercise's numbers::

    BITS(1.0, "(−log₂ 0.5 = 1.)")

gives the pair ``(1.0, "Bits instead of nats: log base 2 … (−log₂ 0.5 = 1.)")`` that
:class:`~xentlib.exercises.Exercise` takes as a misconception, and remembers which mistake it
is (``.mistake``). The feedback always starts with the entry's name and its sentence, so
the learner who forgets the mean hears the same words in lesson 00 and in lesson 12; only
the detail after them is the exercise's own. ``tests/test_exercise_rules.py`` holds every
exercise to it: a feedback that describes a catalogued mistake (its ``signature``) must come
from the catalogue.

A :class:`Symptom` names a mistake by what a function's outputs show rather than by one
exact wrong function: "finite everywhere the answer is, except on the extreme input" is an
overflow or a log(0), however the rest of the function is written. It carries an example
(a function showing it), so it is tested like any other misconception.

>>> wrong, feedback = BITS(2.0)
>>> feedback.startswith("Bits instead of nats: ")
True
>>> BITS(2.0).mistake is BITS
True
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


class Misconception(tuple):
    """``(wrong answer, feedback)``, as an Exercise takes them, plus the catalogued mistake."""

    def __new__(cls, wrong, feedback: str, mistake: Mistake | None = None):
        pair = super().__new__(cls, (wrong, feedback))
        pair.mistake = mistake
        return pair


@dataclass(frozen=True)
class Mistake:
    """A named mistake: its name, the sentence that explains it, and how to spot a feedback
    that describes it (``signature``, a regular expression, case-insensitive)."""

    name: str
    says: str
    signature: str = ""

    @property
    def text(self) -> str:
        """The name and the sentence, the start of every feedback that names this mistake."""
        return f"{self.name}: {self.says}"

    def __call__(self, wrong, detail: str = "") -> Misconception:
        return Misconception(wrong, f"{self.text} {detail}".strip(), self)

    def describes(self, feedback: str) -> bool:
        return bool(self.signature) and re.search(self.signature, feedback, re.I) is not None


class Symptom:
    """A mistake recognised by what a function's outputs show (``test``), not by one exact
    wrong function; called, it is its ``example``, a function that shows it.

    ``test(given, expected, inputs)`` gets the learner's outputs, the reference's outputs and
    the test inputs, one entry per test input, and says whether the symptom is there.
    """

    def __init__(self, test: Callable, example: Callable):
        self.test, self.example = test, example
        self.__name__ = getattr(example, "__name__", "symptom")

    def __call__(self, *args):
        return self.example(*args)


class Within:
    """A value misconception that is a range, not one number: any answer strictly between
    ``low`` and ``high`` shows the mistake (a slider read at one setting, for example)."""

    def __init__(self, low: float, high: float):
        self.low, self.high = float(low), float(high)

    def __contains__(self, value) -> bool:
        return self.low < value < self.high

    def __repr__(self) -> str:
        return f"Within({self.low:g}, {self.high:g})"


# ---- symptoms shared by several exercises -------------------------------------------------
def _arrays(given, expected):
    for g, e in zip(given, expected, strict=True):
        yield np.asarray(g, dtype=float), np.asarray(e, dtype=float)


def not_finite_where_the_answer_is(given, expected, inputs) -> bool:
    """inf or nan somewhere the exact answer is finite, and the right value everywhere else:
    the formula is right and the arithmetic overflowed or took log(0)."""
    broken = right_somewhere = False
    for g, e in _arrays(given, expected):
        if g.shape != e.shape:
            return False
        bad = ~np.isfinite(g) & np.isfinite(e)
        broken |= bool(bad.any())
        ok = np.isfinite(g) & np.isfinite(e)
        right_somewhere |= bool(ok.any())
        # right elsewhere, to the precision the unstable route keeps (σ then log loses 1e-5
        # at z = 30, say)
        if not np.allclose(g[ok], e[ok], rtol=1e-3, atol=1e-9):
            return False
    return broken and right_somewhere


def wrong_only_on_long_inputs(given, expected, inputs) -> bool:
    """Right on every test input of fewer than 1000 numbers, wrong on a longer one: a product
    of many probabilities that underflowed (their sum of logs never does)."""
    wrong_long = False
    for g, e, args in zip(*_pairs(given, expected), inputs, strict=True):
        size = max((np.size(a) for a in args if isinstance(a, np.ndarray)), default=0)
        same = g.shape == e.shape and np.allclose(g, e, rtol=1e-9, atol=1e-12, equal_nan=True)
        if size < 1000 and not same:
            return False
        wrong_long |= size >= 1000 and not same
    return wrong_long


def _pairs(given, expected):
    pairs = list(_arrays(given, expected))
    return [g for g, _ in pairs], [e for _, e in pairs]


def capped_below_the_answer(given, expected, inputs) -> bool:
    """Finite, right on tame inputs, and more than half a nat *below* the exact loss where it
    is large: a clip (or an ε inside the log) that caps the loss."""
    capped = tame = False
    for g, e in _arrays(given, expected):
        if g.shape != e.shape or not np.all(np.isfinite(g)) or not np.all(np.isfinite(e)):
            return False
        low = g < e - 0.5
        capped |= bool(low.any())
        tame |= bool((~low).any())  # a clip leaves small losses as they are: seen somewhere
        if not np.allclose(g[~low], e[~low], rtol=1e-4, atol=1e-6):
            return False
    return capped and tame


def a_little_below_the_answer(given, expected, inputs) -> bool:
    """Finite, never above the exact loss, right on some test input and below it on another
    (by less than a clip's half nat): an ε inside the log, log(q + ε), which lowers the loss
    most where q is smallest."""
    below = right = False
    for g, e in _arrays(given, expected):
        if g.shape != e.shape or not np.all(np.isfinite(g)) or not np.all(np.isfinite(e)):
            return False
        scale = np.maximum(1.0, np.abs(e))
        if np.any(g > e + 1e-12 * scale) or np.any(g < e - 0.5):  # half a nat: a cap
            return False
        low = g < e - 1e-6 * scale
        below |= bool(low.any())
        right |= bool((~low).all())
    return below and right


# ---- the unstable routes the stability exercises must reject --------------------------------
# Rows spanning 1520, their max in the middle and at the end, the second far below the first:
# only a shift by each row's own max keeps both finite. A shift by the row's mean overflows
# the first (exp(1500 − 493) = inf), one global max underflows the second, no shift both.
# The third row has its max first: a shift by each row's *first* logit keeps it finite where a
# shift by the mean does not, so the two are told apart.
SPAN_1500 = np.array([[0.0, 1500.0, -20.0], [-1500.0, -3000.0, -1480.0], [1500.0, 0.0, -20.0]])
SPAN_1500_LABELS = np.array([1, 2, 0])  # each row's largest logit: the probabilities stay finite


# A row spanning 1001 with its min far below: a shift by the row's *min* overflows
# (exp(1001) = inf) where a shift by its mean (−333) does not, so the two are told apart.
SPAN_1000 = np.array([[0.0, -1000.0, 1.0], [2.0, 1.0, 0.0]])
SPAN_1000_LABELS = np.array([2, 0])


# Rows whose max comes first: a shift by each row's *first* logit is right here, a shift by
# the mean or the min is not, so a batch-mean loss tells the first-logit shift apart (it fails
# on SPAN_1500's first row only).
# The third row's logits differ by 1 at 1e8, which float32 cannot tell apart (its loss there
# is ln 2 for the exact ln(1 + e)): float32 arithmetic is not exact for any finite logits.
SPAN_FIRST = np.array([[1500.0, 0.0, -20.0], [2.0, 1.0, 0.0], [1e8, 1e8 + 1, 0.0]])
SPAN_FIRST_LABELS = np.array([0, 0, 0])


def _shifted_by(z, how: str) -> np.ndarray:
    """Each row's ``how`` ("mean" or "min"), the shift a learner uses instead of its max."""
    return getattr(z, how)(axis=-1, keepdims=True)


def shifted_log_softmax(z, how: str):
    """log softmax(z) with each row's mean or min (``how``) subtracted instead of its max
    (MEAN_SHIFT, MIN_SHIFT): right where it does not overflow."""
    z = np.asarray(z, dtype=float)
    m = _shifted_by(z, how)
    return z - m - np.log(np.sum(np.exp(z - m), axis=-1, keepdims=True))


def shifted_softmax(z, how: str):
    """softmax(z) with each row's mean or min (``how``) subtracted instead of its max."""
    z = np.asarray(z, dtype=float)
    e = np.exp(z - _shifted_by(z, how))
    return e / e.sum(axis=-1, keepdims=True)


def shifted_loss(logits, y, how: str):
    """The mean cross-entropy through a log-sum-exp shifted by each row's mean or min."""
    return -np.mean(shifted_log_softmax(logits, how)[np.arange(len(y)), y])


def mean_shifted_softmax(z):
    return shifted_softmax(z, "mean")


def min_shifted_softmax(z):
    return shifted_softmax(z, "min")


def mean_shifted_loss(logits, y):
    return shifted_loss(logits, y, "mean")


def min_shifted_loss(logits, y):
    return shifted_loss(logits, y, "min")


# ---- the catalogue ---------------------------------------------------------------------------
BITS = Mistake(
    "Bits instead of nats",
    "log base 2 (np.log2, or 2^x) counts in bits, but this answer is in nats, the natural "
    "log (np.log, or e^x).",
    r"log base 2|\b(is|are) (the right [\w ]+,? )?in bits\b|gives bits",
)
NATS = Mistake(
    "Nats instead of bits",
    "the natural log (np.log) counts in nats, but this answer is in bits, log base 2 (np.log2).",
    r"\bin nats\b.*\bbits\b",
)
LOG10 = Mistake(
    "Log base 10",
    "np.log10 (or 10^x) counts in decimal digits, a unit this course never uses.",
    r"log base 10|np\.log10|10\^(NLL|x)",
)
NO_MINUS = Mistake(
    "A missing minus sign",
    "the log of a probability is never positive, so a loss built from it (an entropy, a "
    "cross-entropy) is minus it, and never negative.",
    r"missing minus|forgot the minus|lost the minus|add the minus sign",
)
SIGN = Mistake(
    "The sign flipped",
    "that is minus the gradient: it points the way the loss falls, while the gradient points "
    "uphill (and gradient descent subtracts it).",
    r"(?<!its )sign flipped|wrong sign",
)
NEGATED = Mistake(
    "The sign flipped",
    "the quantity asked for has the other sign: check the order of each difference and the "
    "sign of each term.",
    r"(?<!its )sign flipped|wrong sign",
)
ASCENT = Mistake(
    "Gradient ascent",
    "adding the gradient climbs the loss; gradient descent subtracts it: new = old − lr · gradient.",
    r"gradient \*?ascent|climbs the loss",
)
SUM = Mistake(
    "The sum instead of the mean (mean vs sum)",
    "a sum over the N examples grows with the batch; the mean divides it by N (np.mean, or "
    "reduction='mean').",
    r"sum over the (N )?(examples|samples|batch)|N times too (big|large)|gradient of the \*?sum|summed loss|mean vs sum",
)
EXTRA_N = Mistake(
    "An extra 1/N",
    "the mean already divides by N (np.mean, or reduction='mean'); dividing by N again makes "
    "the result shrink as the batch grows.",
    r"divides? by N twice|divided twice|extra 1/N",
)
OVER_CLASSES = Mistake(
    "A mean over the classes",
    "the terms of one example (or of one distribution) are added over its classes, weighted "
    "by the target; only the N examples are averaged, so never divide by the number of "
    "classes C.",
    r"number of classes|number of outcomes|mean over (the )?classes|divides by N·C",
)
LOG_SOFTMAX = Mistake(
    "Log-softmax instead of softmax",
    "z − logsumexp(z) is the log of the probabilities (every entry ≤ 0); softmax is its "
    "exponential, exp(z − logsumexp(z)).",
    r"log-softmax instead",
)
INDEX_AS_ONEHOT = Mistake(
    "The integer label used as if one-hot",
    "y holds class indices such as 2, not one-hot rows, and in arithmetic it is the number 2 "
    "itself. Build the one-hot rows with np.eye(C)[y], or pick each row's entry with "
    "a[np.arange(N), y].",
    r"as if one-hot",
)
NO_SUM = Mistake(
    "The terms, not their sum",
    "the function returns one term per class (or outcome) as an array; the answer adds them "
    "up into one number: np.sum.",
    r"one term per (class|outcome)",
)
ONE_TERM = Mistake(
    "One term of a sum",
    "the answer adds up one term per class (or outcome, or example), and this is only one of them.",
    r"\bone term\b(?! per)|only one of them",
)
WRONG_CLASS = Mistake(
    "The wrong class's probability",
    "the loss scores the probability of the true class, the entry the label names (classes "
    "are numbered from 0), not another class's.",
    r"you picked|wrong entries|class indices start|the first entry\.",
)
ENTROPY_TERM = Mistake(
    "One term of an entropy",
    "p·(−log p) is one term of an entropy sum, a surprise weighted by its probability; the "
    "surprise itself, the loss of one example, is −log p, unweighted.",
    r"weighted by its probability",
)
NO_LOG = Mistake(
    "No log",
    "a loss scores a probability q through its logarithm, −ln q; q itself, 1 − q or 1/q is "
    "another number.",
    r"use np\.log\.$|cross-entropy uses the logarithm",
)
LOG_OF_MEAN = Mistake(
    "The log of the mean",
    "the loss of a batch is the mean of the examples' losses, −mean(ln q); −ln(mean q) "
    "averages the probabilities first, which hides a confident mistake.",
    r"log of the mean",
)
EPS_IN_LOG = Mistake(
    "ε inside the log",
    "log(q + ε) shifts every loss, by ln(1 + ε/q) nats: about ε/q where q is much larger than ε, "
    "about ln(ε/q) nats where q is much smaller (hundreds of nats for q = 1e-300), so "
    "the result is no longer the cross-entropy of q.",
    r"ε inside the log|log\([^)]*\+ ?(ε|1e-\d+)\)",
)
GUARDED_LOG = Mistake(
    "A guard against log(0) that moves the answer",
    "a clip, an ε inside the log or a mask that drops small outcomes changes the term of "
    "every tiny outcome it touches, however small its threshold; only an outcome with p = 0 "
    "needs care, and its term is exactly 0 (drop it, or use np.where).",
    r"guard against log\(0\)",
)
CAPPED = Mistake(
    "A clip that caps the loss (the log(0) 'fix')",
    "a clip, or an ε inside the log, avoids log(0) = −inf but caps each example's loss at "
    "−log ε (16.12 nats for ε = 1e-7); where training takes its gradient through the clip, "
    "the gradient with respect to the logits is 0 there (nearly 0 with an ε), so a "
    "confidently wrong example stops being corrected. Where the logits are at hand, compute the loss from them "
    "(log-softmax), which never forms a probability that can underflow to 0; where only "
    "probabilities are given, take their log as it is.",
    r"caps (every|that|each)|hides log\(0\)",
)
NOT_FINITE = Mistake(
    "Overflow or log(0)",
    "your function gives inf or nan on an input where the exact answer is finite, and the "
    "right value everywhere else: an exp overflowed, or a probability underflowed to 0 and "
    "its log is −inf.",
    r"inf or nan (on|where)",
)
NO_SHIFT = Mistake(
    "No max-shift (overflow)",
    "np.exp(1000) is inf, and inf / inf is nan (or log(inf) is inf): subtract each row's max "
    "first, which changes neither softmax nor log-sum-exp and keeps every exponent ≤ 0.",
    r"no max-shift|unshifted|without shifting",
)
GLOBAL_MAX = Mistake(
    "One global max",
    "you shifted by the max of the whole array instead of each row's own max; a row far below "
    "that max underflows (every exp(z − m) is 0), giving 0 / 0 = nan or log 0 = −inf. Use "
    "m = z.max(axis=-1, keepdims=True).",
    r"one max for the whole (batch|array)|max of the whole array|global max instead",
)
MEAN_SHIFT = Mistake(
    "Shifted by the row's mean, not its max",
    "after subtracting the mean a row's largest exponent is max − mean, and exp of more than "
    "709.78 is inf (the row [0, 1100, 0] overflows: 1100 − 367 = 733). Subtract each row's max, "
    "m = z.max(axis=-1, keepdims=True), so every exponent is ≤ 0 and the largest term is 1.",
    r"row's mean|shift(ed)? by (its|the|each row's) mean",
)
LOW_PRECISION = Mistake(
    "Computed in float32",
    "float32 keeps about 7 significant digits (float64, NumPy's default, about 16): 1e8 and "
    "1e8 + 1 are the same float32 number, and a probability of 1e-10 next to 1 is lost. "
    "Compute in float64: leave NumPy's default dtype, or .astype(np.float64).",
    r"computed in float32|in float32 arithmetic",
)
CLIPPED_LOGITS = Mistake(
    "Clipped logits",
    "softmax, log-softmax and the loss depend only on the differences between logits, and "
    "np.clip(z, −c, c) changes those differences wherever a logit lies beyond ±c, so the "
    "result is wrong there. "
    "Subtract each row's max instead: exact for any finite logits.",
    r"clipped the logits|clip(ped)? (the )?logits to",
)
MIN_SHIFT = Mistake(
    "Shifted by the row's min, not its max",
    "after subtracting the min every exponent is ≥ 0, so a row whose logits span more than "
    "709.78 overflows (the row [0, −1000, 1] computes exp(1001) = inf). Subtract each row's max, "
    "m = z.max(axis=-1, keepdims=True), so every exponent is ≤ 0 and the largest term is 1.",
    r"row's min|shift(ed)? by (its|the|each row's) min",
)
UNDERFLOW_PRODUCT = Mistake(
    "A product that underflows",
    "a product of many probabilities is smaller than the smallest float64 (0.6^2000 ≈ "
    "10^-444) and rounds to 0.0, whose log is −inf: add the logs instead of multiplying the "
    "probabilities.",
    r"underflowed to 0\.0|product .*underflow",
)
WRONG_AXIS = Mistake(
    "The wrong axis",
    "rows are examples and columns are classes, so each row is normalised (or reduced) on its "
    "own, along axis=-1 with keepdims=True.",
    r"down the columns|wrong axis|column-normalised|normalises? (each class\'s column|the columns)",
)
SWAPPED_ROLES = Mistake(
    "p and q swapped",
    "the truth p weights the terms and the model q goes inside the log: H(p, q) = −Σ p log q "
    "and KL(p‖q) = Σ p log(p/q); with the roles swapped it is another number (neither is "
    "symmetric).",
    r"roles (are )?swapped|swaps the roles|reverse direction",
)
ENTROPY_FOR = Mistake(
    "H(p) instead of what is asked",
    "H(p) = −Σ p log p is the truth's own surprise and never looks at the model q. The "
    "cross-entropy adds a gap to it, H(p, q) = H(p) + KL(p‖q), and the KL divergence is that "
    "gap.",
    r"entropy of the truth|never uses q|that is H\(p\)",
)
DOUBLE_SOFTMAX = Mistake(
    "A double softmax",
    "a loss that takes logits applies softmax itself; handed probabilities, it applies a "
    "second softmax, which flattens them and puts a floor under the loss that no model, "
    "however good, gets below.",
    r"double softmax|softmax twice|second softmax|softmax of a softmax",
)
NLL_PROBS = Mistake(
    "Probabilities into nll_loss (it expects log-probabilities)",
    "nll_loss takes no log and applies no softmax: it picks the true class's entry and flips "
    "its sign, so its input must be log-probabilities, np.log(probs).",
    r"into nll_loss",
)
SWAPPED_BRANCHES = Mistake(
    "Swapped branches",
    "a positive example (y = 1) must pay −log q and a negative one −log(1 − q); the other way "
    "round, a confident mistake costs nothing.",
    r"swapped branches",
)
WITH_LOGITS = Mistake(
    "Sigmoid, then log (use the with-logits form)",
    "σ(z) rounds to exactly 1.0 for z ≳ 37 (and to 0 far below), so log(1 − σ) or log σ is "
    "log 0 = −inf; compute the loss from the logits, softplus(z) − z·y, with softplus(z) = "
    "max(z, 0) + log1p(exp(−|z|)).",
    r"sigmoid-then-log",
)
JACOBIAN_DIAGONAL = Mistake(
    "The Jacobian's diagonal only",
    "multiplying by q(1 − q) treats softmax as an elementwise sigmoid, but every q_i depends "
    "on every z_k: the full softmax Jacobian is diag(q) − qqᵀ, with off-diagonal entries "
    "−q_i q_k.",
    r"diagonal only|jacobian's \*?diagonal",
)
UNWEIGHTED = Mistake(
    "An unweighted mean",
    "the class weights must multiply each sample's loss, and the weighted mean then divides "
    "by the sum of the weights it used, Σ weight[y].",
    r"unweighted mean",
)
WEIGHTED_TOTAL = Mistake(
    "The wrong total for a weighted mean",
    "a weighted mean divides the weighted sum by the sum of the targets' weights, "
    "Σ weight[y] (not by N, by C or by Σ weight), so that equal weights change nothing.",
    r"weights of the targets|targets' weights",
)
REVERSED_THRESHOLD = Mistake(
    "A reversed threshold direction",
    "the rule q ≥ t says 'minority' (positive) when the probability is at least t; q ≤ t "
    "turns every decision round.",
    r"reversed threshold",
)
SIGMOID_ON_PROBS = Mistake(
    "A sigmoid applied to probabilities",
    "σ turns logits into probabilities; applied to a probability in (0, 1) it gives a number "
    "between 0.5 and 0.73, the probability of nothing here. Use the probabilities as they are.",
    r"sigmoid applied",
)
OTHER_EXAMPLE = Mistake(
    "A number from another example",
    "that number belongs to an example the lesson works through, not to this question's numbers.",
    r"running example|where the lesson's playground|lesson's example",
)
GIVEN_NUMBER = Mistake(
    "A number the question gives",
    "the answer is computed from the numbers in the question; one of them on its own is not it.",
)
FACTOR = Mistake(
    "A constant factor",
    "look for a stray factor in your code: a 2 or a ½, a sum or a mean, N or C, a unit.",
)
PERCENT = Mistake(
    "A percentage instead of a fraction",
    "give it as a fraction between 0 and 1.",
    r"percentage",
)
# ---- named by the checker's general detectors (_detectors.py) ------------------------------
ROUNDED = Mistake(
    "Too few digits",
    "your answer is the right value rounded to fewer significant digits than the question "
    "asks for.",
)
TRUNCATED = Mistake(
    "Cut off, not rounded",
    "your digits are the right value's first digits, but the digit after them is 5 or more, "
    "so the last one you kept rounds up. Round to the nearest instead of dropping digits.",
)
ROUNDED_EARLY = Mistake(
    "Rounded too early",
    "an intermediate result (a log, an exponential, a probability) was probably rounded "
    "before the last step, and the error carried through. Keep full precision until the end "
    "(let Python do the arithmetic), then round.",
)
N_MINUS_ONE = Mistake(
    "Divided by N − 1",
    "a mean divides the sum of its N terms by N. N − 1 belongs to the unbiased variance, not "
    "to a mean loss.",
    r"N ?− ?1 instead of N|divided by N ?− ?1",
)
COMPLEMENT = Mistake(
    "One minus the answer",
    "that is 1 − p, the probability of the other outcome(s), where p itself is asked.",
)
ONE_STEP = Mistake(
    "One step from the question's numbers",
    "your answer is a single operation applied to a number the question gives, and the "
    "question asks for another computation.",
)
LOG_OF_ANSWER = Mistake(
    "A log (or exponential) too many or too few",
    "your answer is the log, or the exponential, of the right value: one step of the "
    "computation is added or missing.",
)
SOFTMAX_TOO_MANY = Mistake(
    "A softmax too many",
    "your function gives what the right one gives when a softmax is applied to one of its "
    "inputs first: somewhere your code applies softmax where the computation needs none "
    "(on probabilities a second softmax is a double softmax).",
)
LABELS_FROM_ONE = Mistake(
    "Labels read from 1",
    "class indices start at 0 (label 2 is the third entry); reading them from 1, as y − 1 or "
    "y + 1, picks the neighbouring class.",
    r"read from 1|1-indexed|counting from 1",
)
TRANSPOSED = Mistake(
    "Transposed",
    "your output has the right numbers with its rows and columns swapped: check the order of "
    "a matrix product (A.T @ B, not B.T @ A) or where a .T belongs.",
)
REORDERED = Mistake(
    "The right numbers in the wrong order",
    "each entry belongs to one class (or one example): entry k of your array must be the value "
    "for class k, in the order the question lists them.",
)
NOT_REDUCED = Mistake(
    "Not reduced",
    "your function returns one value per example (or per entry) where the question asks for "
    "one number that combines them.",
)
OVER_REDUCED = Mistake(
    "Reduced where nothing should be",
    "your function combines values (a mean or a sum) that the answer keeps apart, one per "
    "example or per entry.",
)
EXTRA_AXIS = Mistake(
    "An extra axis of length 1",
    "your output has the right numbers and one more axis of length 1 (keepdims=True, or "
    "[:, None]): drop it with [:, 0] or keepdims=False.",
)
WRONG_SHAPE = Mistake(
    "The wrong shape",
    "your output has a different shape from the answer's.",
)
PART_ONLY = Mistake(
    "Part of the answer",
    "your output holds some of the answer's entries, right, but not all of them.",
)
STEP_FACTOR = Mistake(
    "A step of the wrong size",
    "your update moves the weights in the right direction, by the wrong amount: the step "
    "(new minus old weights) is a constant times the right one.",
)
HEDGE = Mistake(
    "More than one answer",
    "an answer that names two options is neither right nor wrong, so it is not marked. "
    "Choose one option and answer with its letter alone.",
)
MORE_THAN_A_LETTER = Mistake(
    "More than a letter",
    "only a letter on its own is marked (the start of its option's own words, as written, may follow it), because "
    "words around a letter can hedge it, rule it out or replace it. Answer with the letter "
    "of your choice alone, such as 'b'.",
)
NOT_AN_OPTION = Mistake(
    "Not one of the options",
    "answer with the letter of one of the options listed in the question.",
)

CATALOGUE = {name: value for name, value in dict(globals()).items() if isinstance(value, Mistake)}
"""Every catalogued mistake, by its name in this module (``CATALOGUE["BITS"]``)."""
