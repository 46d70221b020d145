"""Graded variants of the practice exercises: the public generator.

Each :class:`Spec` turns one practice exercise (``"Lesson 01 q1"``) into a family of
problems: a question with numbers, drawn for each student from the teacher's secret
(:mod:`tools.grading.secret`), and what the right answer is. This file is public on purpose
(it is in the repository students receive): without the secret its output is useless, since
every number, every twist and every hidden input comes from the secret.

- **value**: the question's numbers are drawn; the answer is computed from them.
- **choice**: the options' order is drawn, and with it the premise the right option depends on.
- **function**: the practice exercise's function with a *twist* drawn from the secret (a
  temperature, a unit, a scale, a weight decay), so the practice reference (``q._answer``,
  ``inspect.getsource``) is not the answer; it is judged on hidden inputs, made from the
  exercise's public inputs by :func:`tools.hidden_tests.perturb` with the secret's generator.
  When the problem asks the student to *write* a function that xentlib computes in one
  call (``entropy``, ``softmax``, ``logsumexp``, the cross-entropy gradient, the fixed
  ``bce``, ``se_grad`` or ``hinge``), ``forbid`` names xentlib's versions: they are replaced
  by an error in the sandbox (:mod:`tools.grading.stripped`) and when the build checks the
  teacher's solution. A "debug this" problem that asks to fix a given function (lessons 04
  and 12) may call xentlib: calling the library the right way is the fix it teaches.

A practice exercise without a spec here stays practice only (:data:`PRACTICE_ONLY` says
why): a question whose text is public and whose answer does not depend on numbers cannot be
given a secret answer.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from tools import hidden_tests

from . import secret as secrets_

LETTERS = "abcdefgh"


def _round(x, digits=3) -> float:
    """``x`` to ``digits`` significant digits (what the question prints)."""
    return float(f"{x:.{digits}g}")


def _draw(rng, low, high, digits=3, avoid=None) -> float:
    """A number in [low, high] to ``digits`` significant digits, outside ``avoid`` (low, high)."""
    while True:
        x = _round(rng.uniform(low, high), digits)
        if avoid is None or not avoid[0] <= x <= avoid[1]:
            return x


def _dist(rng, n, decimals=2) -> list[float]:
    """A probability distribution of ``n`` entries with ``decimals`` decimals, none below 0.05."""
    unit = 10**decimals
    while True:
        cuts = np.sort(rng.choice(np.arange(1, unit), size=n - 1, replace=False))
        p = np.diff([0, *cuts, unit]) / unit
        if np.all(p >= 0.05):
            return [round(float(v), decimals) for v in p]


@dataclass(frozen=True)
class Spec:
    """How one practice exercise becomes a graded problem (see the module doc)."""

    label: str
    kind: str
    question: str = ""  # value and choice: the question, with {param} fields
    draw: Callable = None  # rng -> params (JSON-able numbers and lists)
    answer: Callable = None  # value: params -> number or array; choice: params -> options
    digits: int = 3
    exact: bool = False  # a count: compared exactly
    twist: str = ""  # function: one of TWISTS
    forbid: tuple = ()  # function: "module.name" of xentlib replaced in the sandbox


@dataclass(frozen=True)
class Twist:
    """A change to a practice function: its parameter, the sentence added to the question,
    the reference built from the practice one, and the solution code built from it."""

    param: str
    low: float
    high: float
    avoid: tuple
    sentence: str
    reference: Callable  # (practice_ref, value) -> function
    code: str  # {name}, {practice}, {value}


TWISTS = {
    "base": Twist(
        "b",
        2.0,
        9.0,
        (2.5, 2.9),
        "**Your twist:** measure the loss in units of log base b = {b} instead of nats "
        "(divide by ln b).",
        lambda ref, b: lambda *a: np.asarray(ref(*a), dtype=float) / np.log(b),
        "def {name}(*args):\n    return np.asarray({practice}(*args), dtype=float) / np.log({value!r})",
    ),
    "temperature": Twist(
        "T",
        0.3,
        4.0,
        (0.8, 1.25),
        "**Your twist:** the logits are divided by a temperature T = {T} first: compute it "
        "for z / T (the first argument divided by T).",
        lambda ref, t: lambda z, *a: ref(z / t, *a),
        "def {name}(z, *args):\n    return {practice}(z / {value!r}, *args)",
    ),
    "temperature-gradient": Twist(
        "T",
        0.3,
        4.0,
        (0.8, 1.25),
        "**Your twist:** the loss is computed from the logits divided by a temperature "
        "T = {T}, L(z / T): return its gradient with respect to z itself (chain rule).",
        lambda ref, t: lambda z, *a: np.asarray(ref(z / t, *a), dtype=float) / t,
        "def {name}(z, *args):\n    return np.asarray({practice}(z / {value!r}, *args), dtype=float) / {value!r}",
    ),
    "scale-out": Twist(
        "s",
        0.3,
        3.0,
        (0.8, 1.25),
        "**Your twist:** the hidden layer is h = tanh(s · a) with s = {s}: the derivative "
        "of h with respect to a gains a factor s.",
        lambda ref, s: lambda *a: s * np.asarray(ref(*a), dtype=float),
        "def {name}(*args):\n    return {value!r} * np.asarray({practice}(*args), dtype=float)",
    ),
    "scale-in": Twist(
        "s",
        0.3,
        3.0,
        (0.8, 1.25),
        "**Your twist:** the scores are multiplied by s = {s} first (the margin stays 1).",
        lambda ref, s: lambda z, *a: ref(s * z, *a),
        "def {name}(z, *args):\n    return {practice}({value!r} * z, *args)",
    ),
    "decay": Twist(
        "lam",
        0.01,
        0.5,
        None,
        "**Your twist:** use weight decay λ = {lam}: step along grad + λ·W instead of grad.",
        lambda ref, lam: lambda w, g, lr: ref(w, g + lam * w, lr),
        "def {name}(W, grad, lr):\n    return {practice}(W, grad + {value!r} * W, lr)",
    ),
    "base-step": Twist(
        "b",
        2.0,
        9.0,
        (2.5, 2.9),
        "**Your twist:** the loss is measured in units of log base b = {b} instead of nats, "
        "so its gradient is divided by ln b (keep lr = 0.5).",
        lambda ref, b: lambda w, *a: w + (ref(w, *a) - w) / np.log(b),
        "def {name}(W, *args):\n    return W + ({practice}(W, *args) - W) / np.log({value!r})",
    ),
}


def _onehot_ce(p, q):
    return float(-np.sum(np.asarray(p) * np.log(q)))


def _coin_biases(rng) -> list[float]:
    """Three coin biases whose entropies differ clearly (distances from 0.5 at least 0.08 apart)."""
    while True:
        p = [_draw(rng, 0.02, 0.98, 2) for _ in range(3)]
        gaps = sorted(abs(v - 0.5) for v in p)
        if min(np.diff(gaps)) >= 0.08:
            return p


def _coins(p):
    return -(p * np.log2(p) + (1 - p) * np.log2(1 - p)) if 0 < p < 1 else 0.0


SPECS = [
    # ---- values -------------------------------------------------------------------------
    Spec(
        "Lesson 01 q1",
        "value",
        "An event has probability p = {p}. How surprising is it, in bits?",
        lambda r: {"p": _draw(r, 0.01, 0.95)},
        lambda p: -math.log2(p),
    ),
    Spec(
        "Lesson 01 q2",
        "value",
        "A lottery draws one of n = {n} equally likely tickets. What is the entropy of the draw, in nats?",
        lambda r: {"n": int(r.integers(20, 1000))},
        lambda n: math.log(n),
    ),
    Spec(
        "Lesson 02 q1",
        "value",
        "A coin lands heads with probability p = {p} (heads, tails); a model believes q = {q}. "
        "What is the cross-entropy H(p, q) in nats?",
        lambda r: {"p": _dist(r, 2), "q": _dist(r, 2)},
        _onehot_ce,
    ),
    Spec(
        "Lesson 02 q3",
        "value",
        "A model predicts ŷ = {p} and the true class is {y} (classes are numbered from 0). "
        "What is -Σ y log ŷ with one-hot y, in nats?",
        lambda r: {"p": _dist(r, 4, decimals=3), "y": int(r.integers(0, 4))},
        lambda p, y: -math.log(p[y]),
    ),
    Spec(
        "Lesson 03 q1",
        "value",
        "A coin lands heads {k} times in {n} flips. What bias θ = P(heads) maximises the likelihood?",
        lambda r: (lambda n: {"n": n, "k": int(r.integers(1, n))})(int(r.integers(20, 400))),
        lambda k, n: k / n,
    ),
    Spec(
        "Lesson 03 q2",
        "value",
        "A model gives the true labels of three examples probabilities {p}. What is the mean "
        "negative log-likelihood, in nats?",
        lambda r: {"p": [_draw(r, 0.05, 0.95, 3) for _ in range(3)]},
        lambda p: float(-np.mean(np.log(p))),
    ),
    Spec(
        "Lesson 03 q7",
        "value",
        "A language model's mean negative log-likelihood on held-out text is {nll} nats per "
        "token. What is its perplexity?",
        lambda r: {"nll": _draw(r, 0.5, 4.5, 3)},
        lambda nll: math.exp(nll),
    ),
    Spec(
        "Lesson 04 q1",
        "value",
        "What probability does softmax give class {k} for the logits z = {z}?",
        lambda r: {
            "z": [round(float(v), 1) for v in r.normal(0, 2, 3)],
            "k": int(r.integers(0, 3)),
        },
        lambda z, k: float(np.exp(z[k]) / np.sum(np.exp(z))),
    ),
    Spec(
        "Lesson 05 q3",
        "value",
        "Binary case: the logit is z = {z} and the label is y = {y}. What is d/dz of the binary "
        "cross-entropy -[y log σ(z) + (1-y) log(1-σ(z))]?",
        lambda r: {"z": _draw(r, -4, 4, 3), "y": int(r.integers(0, 2))},
        lambda z, y: 1 / (1 + math.exp(-z)) - y,
    ),
    Spec(
        "Lesson 06 q1",
        "value",
        "A softmax regression with all weights and biases zero, on a problem with C = {C} "
        "classes: what is its loss (nats) on any data?",
        lambda r: {"C": int(r.integers(5, 1000))},
        lambda C: math.log(C),
    ),
    Spec(
        "Lesson 07 q2",
        "value",
        "How many parameters (weights and biases) has TinyMLP(hidden={H}) on {D} input "
        "features and {C} classes?",
        lambda r: {
            "H": int(r.integers(4, 129)),
            "D": int(r.integers(2, 65)),
            "C": int(r.integers(2, 21)),
        },
        lambda H, D, C: (D + 1) * H + (H + 1) * C,
        exact=True,
    ),
    Spec(
        "Lesson 08 q1",
        "value",
        "At what probability q of the true class is the loss exactly L = {L} nats?",
        lambda r: {"L": _draw(r, 0.1, 4.0, 3)},
        lambda L: math.exp(-L),
    ),
    Spec(
        "Lesson 08 q3",
        "value",
        "Squared error (Brier score) L = Σ_k (q_k − (e_y)_k)² with true class {y}: what is L "
        "at q = {q}?",
        lambda r: {"q": _dist(r, 3), "y": int(r.integers(0, 3))},
        lambda q, y: float(np.sum((np.asarray(q) - np.eye(3)[y]) ** 2)),
    ),
    Spec(
        "Lesson 08 q4",
        "value",
        "{C} classes, label smoothing ε = {eps} (PyTorch's convention: target (1 − ε)·onehot "
        "+ ε/C). What is the smallest mean loss any model can reach, in nats?",
        lambda r: {"C": int(r.integers(2, 11)), "eps": _draw(r, 0.02, 0.4, 3)},
        lambda C, eps: float(
            -(1 - eps + eps / C) * math.log(1 - eps + eps / C)
            - (C - 1) * (eps / C) * math.log(eps / C)
        ),
    ),
    Spec(
        "Lesson 09 q3",
        "value",
        "A multi-label data set has {n} training images; the label 'boat' is on in {k} of them. "
        "Following PyTorch's documentation of BCEWithLogitsLoss, what pos_weight should the "
        "'boat' column get?",
        lambda r: (lambda n: {"n": n, "k": int(r.integers(10, n // 3))})(
            int(r.integers(300, 5000))
        ),
        lambda n, k: (n - k) / k,
    ),
    Spec(
        "Lesson 09 q4",
        "value",
        "An example with label y = {y} has logit z = {z}, and the loss is BCE with logits with "
        "pos_weight = {w} (PyTorch semantics). What is its loss, in nats?",
        lambda r: {"y": int(r.integers(0, 2)), "z": _draw(r, -3, 3, 2), "w": _draw(r, 1.5, 9, 2)},
        lambda y, z, w: w * math.log1p(math.exp(-z)) if y == 1 else math.log1p(math.exp(z)),
    ),
    Spec(
        "Lesson 10 q1",
        "value",
        "A binary classifier outputs σ(z) and is trained with the squared error L = ½(σ(z) − y)². "
        "For an example with y = {y} and logit z = {z}, what is ∂L/∂z?",
        lambda r: {"y": int(r.integers(0, 2)), "z": _draw(r, -5, 5, 3)},
        lambda y, z: (lambda s: (s - y) * s * (1 - s))(1 / (1 + math.exp(-z))),
    ),
    Spec(
        "Lesson 11 q3",
        "value",
        "A model is trained with class weights w₀ = {w0} (majority) and w₁ = {w1} (minority) and "
        "then uses the 0.5 rule. Suppose it and a plain model both reach the probabilities their "
        "losses aim for. Which threshold t on the plain model's P(minority) makes exactly the "
        "same decisions?",
        lambda r: {"w0": 1, "w1": _draw(r, 1.5, 20, 3)},
        lambda w0, w1: w0 / (w0 + w1),
    ),
    Spec(
        "Lesson 11 q4",
        "value",
        "Label smoothing ε = {eps} (PyTorch's convention) on a problem with C = {C} classes. An "
        "example's true class is class 0. What target probability does class 1 get?",
        lambda r: {"eps": _draw(r, 0.02, 0.4, 2), "C": int(r.integers(3, 50))},
        lambda eps, C: eps / C,
    ),
    Spec(
        "Lesson 12 q1",
        "value",
        "A model ends with softmax, and its probabilities go into a loss that applies softmax "
        "again. With C = {C} classes, what is the lowest loss this training loop can ever report?",
        lambda r: {"C": int(r.integers(3, 1000))},
        lambda C: math.log(1 + (C - 1) / math.e),
    ),
    Spec(
        "Lesson 12 q6",
        "value",
        "A batch holds {n} token positions; {pad} of them are padding, labelled −100. The real "
        "tokens' losses add up to {total} nats. What does PyTorch's F.cross_entropy(logits, "
        "labels) return with its default arguments?",
        lambda r: (
            lambda n: {"n": n, "pad": int(r.integers(1, n - 1)), "total": _draw(r, 2, 40, 3)}
        )(int(r.integers(8, 64))),
        lambda n, pad, total: total / (n - pad),
    ),
    Spec(
        "Lesson 13 q1",
        "value",
        "In a training text the character '{a}' is followed by '{b}' {n} times and by nothing "
        "else. The vocabulary has V = {V} characters. With add-k smoothing, k = {k}, what "
        "probability does the bigram model give '{b}' after '{a}'?",
        lambda r: {
            "a": "qxzj"[int(r.integers(0, 4))],
            "b": "uaeo"[int(r.integers(0, 4))],
            "n": int(r.integers(3, 60)),
            "V": int(r.integers(40, 100)),
            "k": [0.1, 0.2, 0.5, 1, 2][int(r.integers(0, 5))],
        },
        lambda a, b, n, V, k: (n + k) / (n + k * V),
    ),
    Spec(
        "Lesson 13 q2",
        "value",
        "A character model's mean negative log-likelihood on held-out text is {nats} nats per "
        "character. How many bits per character is that?",
        lambda r: {"nats": _draw(r, 0.8, 3.5, 3)},
        lambda nats: nats / math.log(2),
    ),
    Spec(
        "Lesson 13 q3",
        "value",
        "A model's cross-entropy on held-out text is {bits} bits per character. What is its "
        "perplexity?",
        lambda r: {"bits": _draw(r, 1.2, 5.0, 3)},
        lambda bits: 2.0**bits,
    ),
    Spec(
        "Lesson 13 q4",
        "value",
        "A model's cross-entropy on a held-out text of {n} characters is {bits} bits per "
        "character. About how many bytes does an arithmetic coder driven by the model write for "
        "the text? (A byte is 8 bits; ignore the coder's couple of extra bytes.)",
        lambda r: {"n": int(r.integers(2, 200)) * 1000, "bits": _draw(r, 1.2, 4.5, 3)},
        lambda n, bits: n * bits / 8,
    ),
    Spec(
        "Lesson 13 q6",
        "value",
        "A batch holds two lines, padded: the first has {n1} real characters with mean loss "
        "{l1} bits per character, the second {n2} real characters with mean loss {l2}. What "
        "per-character loss does cross-entropy with ignore_index on the padding report, in bits "
        "per character?",
        lambda r: {
            "n1": int(r.integers(5, 40)),
            "l1": _draw(r, 1.5, 4.0, 2),
            "n2": int(r.integers(41, 120)),
            "l2": _draw(r, 1.5, 4.0, 2),
        },
        lambda n1, l1, n2, l2: (n1 * l1 + n2 * l2) / (n1 + n2),
    ),
    Spec(
        "Lesson 13 q9",
        "value",
        "A network is trained on N = {N} examples with the mean cross-entropy plus weight decay "
        "(λ/2)·‖W‖², λ = {lam}. This is MAP under a Gaussian prior W_j ~ N(0, σ²) on each "
        "weight. What is σ?",
        lambda r: {"N": int(r.integers(2, 200)) * 1000, "lam": _draw(r, 1e-4, 1e-2, 2)},
        lambda N, lam: 1 / math.sqrt(lam * N),
    ),
    Spec(
        "Lesson 14 q1",
        "value",
        "You distil with temperature T = {T}. For large T the soft loss KL(p_T ‖ q_T)'s gradient "
        "in the student's logits shrinks as 1/T². By what factor must the soft loss be "
        "multiplied so that its gradients keep the size they would have without that "
        "shrinking?",
        lambda r: {"T": round(float(r.uniform(1.5, 20.0)), 2)},
        lambda T: T**2,
    ),
    Spec(
        "Lesson 14 q2",
        "value",
        "A batch of {B} examples, {C} classes. The student's mean KL divergence from the "
        "teacher is {kl} nats per example. What does PyTorch's F.kl_div(log_q, p) return with "
        "its default reduction ('mean')?",
        lambda r: {
            "B": int(r.integers(8, 257)),
            "C": int(r.integers(3, 101)),
            "kl": _draw(r, 0.05, 2.0, 2),
        },
        lambda B, C, kl: kl / C,
    ),
    Spec(
        "Lesson 14 q3",
        "value",
        "A batch holds N = {N} pairs, and the critic gives every pair (right or wrong) the "
        "same score. What is the InfoNCE loss, in nats?",
        lambda r: {"N": int(r.integers(8, 4097))},
        lambda N: math.log(N),
    ),
    Spec(
        "Lesson 14 q4",
        "value",
        "A contrastive model reaches an InfoNCE loss of {L} nats on held-out batches of N = {N} "
        "pairs. "
        "What lower bound on the mutual information I(X; Y) does this give, in nats?",
        lambda r: (lambda N: {"N": N, "L": _draw(r, 0.2, 0.8 * math.log(N), 3)})(
            int(2 ** r.integers(5, 13))
        ),
        lambda L, N: math.log(N) - L,
    ),
    Spec(
        "Lesson 14 q8",
        "value",
        "A model predicts a Gaussian for its target: mean μ = {mu} and variance σ² = {var}. "
        "The target is y = {y}. What is its Gaussian NLL ½(ln σ² + (y − μ)²/σ²), leaving out "
        "the constant ½ ln 2π, in nats?",
        lambda r: {
            "mu": _draw(r, -3, 3, 2),
            "var": _draw(r, 0.3, 9, 2),
            "y": _draw(r, -5, 5, 2),
        },
        lambda mu, var, y: 0.5 * (math.log(var) + (y - mu) ** 2 / var),
    ),
    # ---- choices: the options, the right one first (their order is drawn) ------------------
    Spec(
        "Lesson 01 q4",
        "choice",
        "Which coin has the {which} entropy? {options}",
        lambda r: {"p": _coin_biases(r), "which": ["largest", "smallest"][int(r.integers(0, 2))]},
        lambda p, which: [
            f"P(heads) = {v}"
            for v in sorted(p, key=lambda v: -_coins(v) if which == "largest" else _coins(v))
        ],
    ),
    Spec(
        "Lesson 04 q5",
        "choice",
        "Dividing logits by a temperature T = {T} before softmax makes the distribution: {options}",
        lambda r: {"T": [_draw(r, 0.2, 0.8, 2), _draw(r, 1.3, 5, 2)][int(r.integers(0, 2))]},
        lambda T: (
            ["flatter", "more peaked", "unchanged"]
            if T > 1
            else ["more peaked", "flatter", "unchanged"]
        ),
    ),
    Spec(
        "Lesson 06 q4",
        "choice",
        "{direction} the L2 strength λ makes the learned weights: {options}",
        lambda r: {"direction": ["Raising", "Lowering"][int(r.integers(0, 2))]},
        lambda direction: (
            ["smaller", "larger", "unchanged"]
            if direction == "Raising"
            else ["larger", "smaller", "unchanged"]
        ),
    ),
    # ---- functions ------------------------------------------------------------------------
    Spec("Lesson 01 q3", "function", twist="base", forbid=("information.entropy",)),
    Spec(
        "Lesson 02 q4", "function", twist="base", forbid=("losses.cross_entropy", "losses.nll_loss")
    ),
    Spec(
        "Lesson 03 q4", "function", twist="base", forbid=("losses.cross_entropy", "losses.nll_loss")
    ),
    Spec(
        "Lesson 04 q2",
        "function",
        twist="temperature",
        forbid=("special.softmax", "special.log_softmax"),
    ),
    Spec(
        "Lesson 04 q3",
        "function",
        twist="temperature",
        forbid=("special.logsumexp", "special.log_softmax"),
    ),
    Spec("Lesson 04 q7", "function", twist="temperature"),
    Spec(
        "Lesson 05 q2",
        "function",
        twist="temperature-gradient",
        forbid=(
            "losses.cross_entropy_grad",
            "losses.cross_entropy_with_grad",
            "losses.loss_and_grad",
            "losses.loss_and_grad_reference",
        ),
    ),
    Spec("Lesson 05 q5", "function", twist="temperature-gradient"),
    Spec("Lesson 06 q2", "function", twist="base"),
    Spec("Lesson 06 q3", "function", twist="decay"),
    Spec("Lesson 06 q6", "function", twist="base"),
    Spec("Lesson 07 q1", "function", twist="scale-out"),
    Spec("Lesson 07 q3", "function", twist="scale-out"),
    Spec("Lesson 07 q5", "function", twist="base"),
    Spec("Lesson 09 q1", "function", twist="base", forbid=("binary.binary_cross_entropy",)),
    Spec("Lesson 09 q2", "function", twist="temperature", forbid=("binary.binary_cross_entropy",)),
    Spec(
        "Lesson 10 q5",
        "function",
        twist="temperature-gradient",
        forbid=("scoring.squared_error_with_grad",),
    ),
    Spec(
        "Lesson 10 q6",
        "function",
        twist="scale-in",
        forbid=("scoring.multiclass_hinge_with_grad",),
    ),
    Spec("Lesson 12 q2", "function", twist="temperature"),
    Spec("Lesson 12 q3", "function", twist="base"),
    Spec("Lesson 12 q4", "function", twist="base-step"),
    Spec("Lesson 12 q5", "function", twist="temperature"),
    Spec("Lesson 12 q8", "function", twist="temperature"),
    Spec("Lesson 12 q9", "function", twist="temperature"),
    Spec("Lesson 12 q10", "function", twist="temperature"),
]
BY_LABEL = {spec.label: spec for spec in SPECS}

PRACTICE_ONLY = (
    "Its answer does not depend on numbers a secret could draw (an 'explain why' whose "
    "options are public text), or its variant is not written yet: it stays practice."
)


@dataclass
class Variant:
    """One student's version of one problem: the question's numbers, and (teacher side only)
    the right answer: a value, a letter, or a function's hidden inputs and outputs."""

    spec: Spec
    params: dict
    question: str
    answer: object = None  # value: float or array; choice: the right letter
    options: str = ""  # choice: the letters offered
    hidden_inputs: list = field(default_factory=list)
    expected: list = field(default_factory=list)
    practice_outputs: list = field(default_factory=list)
    reference: Callable = None


def _function_variant(spec: Spec, q, params: dict, hidden_rng, name: str) -> Variant:
    twist = TWISTS[spec.twist]
    value = params[twist.param]
    reference = twist.reference(q._answer, value)
    practice = q._answer
    for _attempt in range(hidden_tests.SEEDS_TRIED):
        inputs = [
            tuple(hidden_tests.perturb(a, hidden_rng) for a in args) for args in q.test_inputs
        ]
        try:
            with np.errstate(all="ignore"):
                expected = [
                    np.asarray(reference(*hidden_tests._copies(a)), dtype=float) for a in inputs
                ]
                untwisted = [
                    np.asarray(practice(*hidden_tests._copies(a)), dtype=float) for a in inputs
                ]
        except Exception:
            continue
        finite = all(np.all(np.isfinite(e)) for e in expected)
        differs = any(
            not hidden_tests._same(u, e, q) for u, e in zip(untwisted, expected, strict=True)
        )
        if finite and differs:
            question = q.prompt + "\n\n" + twist.sentence.format(**params)
            return Variant(
                spec,
                params,
                question,
                hidden_inputs=inputs,
                expected=expected,
                practice_outputs=untwisted,
                reference=reference,
            )
    raise hidden_tests.HiddenTestError(f"{spec.label}: no hidden inputs keep its twist visible")


def draw_params(spec: Spec, rng) -> dict:
    if spec.kind == "function":
        twist = TWISTS[spec.twist]
        return {twist.param: _draw(rng, twist.low, twist.high, 3, twist.avoid)}
    return spec.draw(rng)


def variant(
    spec: Spec, q, key: bytes, assignment: str, problem: str, who: str, name: str
) -> Variant:
    """Student ``who``'s variant of ``spec`` (``who`` is a student id or :data:`secret.CLASS`)."""
    params = draw_params(spec, secrets_.rng(key, "params", assignment, problem, who))
    if spec.kind == "function":
        hidden_rng = secrets_.rng(key, "hidden", assignment, problem, who)
        return _function_variant(spec, q, params, hidden_rng, name)
    if spec.kind == "value":
        answer = spec.answer(**params)
        return Variant(spec, params, spec.question.format(**params), answer=answer)
    options = spec.answer(**params)
    order = secrets_.rng(key, "order", assignment, problem, who).permutation(len(options))
    letters = LETTERS[: len(options)]
    shown = [options[i] for i in order]
    listed = ", ".join(f"({letter}) {text}" for letter, text in zip(letters, shown, strict=True))
    right = letters[int(np.flatnonzero(order == 0)[0])]
    params = {**params, "options": f"{listed}. Answer with a letter."}
    return Variant(spec, params, spec.question.format(**params), answer=right, options=letters)


def solution_code(v: Variant, name: str, practice_code: str, practice_name: str) -> str:
    """The code of a correct answer cell for variant ``v`` (the teacher's solution)."""
    if v.spec.kind == "value":
        value = v.answer
        literal = repr(int(value)) if v.spec.exact else repr(float(value))
        return f"{name} = {literal}"
    if v.spec.kind == "choice":
        return f"{name} = {v.answer!r}"
    twist = TWISTS[v.spec.twist]
    wrapper = twist.code.format(name=name, practice=practice_name, value=v.params[twist.param])
    return f"{practice_code}\n\n\n{wrapper}"
