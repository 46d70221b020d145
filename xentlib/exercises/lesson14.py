"""Lesson 14 (distillation and contrastive learning): the T² factor, F.kl_div's default
reduction, InfoNCE at chance and its bound on mutual information, the bound's ceiling, the
distribution → loss recipe, and CLIP's symmetric loss."""

import math

import numpy as np

from ._catalogue import BITS, GLOBAL_MAX, NO_SHIFT, Within
from ._core import Exercise


# ---- q9: CLIP's symmetric loss --------------------------------------------------------------
def _row_ce(S):
    S = np.asarray(S, dtype=float)
    m = S.max(axis=1, keepdims=True)
    lse = (m + np.log(np.exp(S - m).sum(axis=1, keepdims=True)))[:, 0]
    return float(np.mean(lse - np.diag(S)))


def _clip_loss(S):
    S = np.asarray(S, dtype=float)
    return (_row_ce(S) + _row_ce(S.T)) / 2


def _clip_rows_only(S):
    return _row_ce(S)


def _clip_columns_only(S):
    return _row_ce(np.asarray(S, dtype=float).T)


def _clip_sum(S):
    S = np.asarray(S, dtype=float)
    return _row_ce(S) + _row_ce(S.T)


def _clip_whole_matrix(S):
    S = np.asarray(S, dtype=float)
    flat = S.ravel()
    m = flat.max()
    lse = m + np.log(np.exp(flat - m).sum())
    return float(np.mean(lse - np.diag(S)))


def _clip_unshifted(S):
    S = np.asarray(S, dtype=float)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        rows = np.mean(np.log(np.exp(S).sum(axis=1)) - np.diag(S))
        cols = np.mean(np.log(np.exp(S).sum(axis=0)) - np.diag(S))
    return float((rows + cols) / 2)


def _clip_global_max(S):
    S = np.asarray(S, dtype=float)
    m = S.max()
    with np.errstate(divide="ignore"):
        rows = np.mean(m + np.log(np.exp(S - m).sum(axis=1)) - np.diag(S))
        cols = np.mean(m + np.log(np.exp(S - m).sum(axis=0)) - np.diag(S))
    return float((rows + cols) / 2)


def _clip_label_zero(S):
    S = np.asarray(S, dtype=float)

    def ce0(M):
        m = M.max(axis=1, keepdims=True)
        lse = (m + np.log(np.exp(M - m).sum(axis=1, keepdims=True)))[:, 0]
        return float(np.mean(lse - M[:, 0]))

    return (ce0(S) + ce0(S.T)) / 2


def _similarities(seed, n, tau, rho=0.8):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4))
    y = rho * x + np.sqrt(1 - rho**2) * rng.normal(size=(n, 4))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    y /= np.linalg.norm(y, axis=1, keepdims=True)
    return (x @ y.T / tau,)


_LN = math.log

EXERCISES = [
    Exercise(
        name="q1",
        prompt=(
            "You distil with temperature T = 4. For large T the soft loss KL(p_T ‖ q_T)'s "
            "gradient in the student's logits shrinks as 1/T². By what factor must the soft "
            "loss be multiplied so that its gradients keep the size they would have without "
            "that shrinking?"
        ),
        answer=16.0,
        unit="",
        hints=[
            "Section 3: how does the size of the gradient depend on T, for large T?",
            "The factor must undo that dependence exactly.",
        ],
        worked_solution=(
            "The gradient is (q_T − p_T)/T ≈ ((s − s̄) − (t − t̄)) / (C T²): it shrinks as 1/T², "
            "so the soft loss is multiplied by T² = 16 (Hinton et al., 2015)."
        ),
        misconceptions=[
            (
                4.0,
                "Multiplying by T = 4 undoes only one factor 1/T. The gradient is (q_T − p_T)/T, "
                "and q_T − p_T itself shrinks as 1/T: together 1/T², undone by T².",
            ),
            (
                1 / 16,
                "1/16 is how much the gradient shrinks. The factor that puts it back is the "
                "reciprocal, T².",
            ),
            (
                2,
                "2 = √T. The gradient shrinks as 1/T², so the factor is T² = 16.",
            ),
            (
                1 / 4,
                "Dividing by T makes the gradient smaller still. It shrinks as 1/T²: multiply "
                "by T².",
            ),
            (
                8,
                "8 = 2T. The gradient shrinks as 1/T², so the factor is T · T = 16.",
            ),
            (
                64,
                "64 = T³: one factor 1/T too many. The gradient (q_T − p_T)/T shrinks as 1/T², "
                "so the factor is T².",
            ),
            (
                32,
                "32 = 2T². The gradient shrinks as 1/T², undone by T² alone.",
            ),
            (
                256,
                "256 = T⁴ = (T²)². One factor T² undoes the 1/T² shrinking.",
            ),
        ],
    ),
    Exercise(
        name="q2",
        prompt=(
            "A batch of 32 examples, 10 classes. The student's mean KL divergence from the "
            "teacher is 0.5 nats per example. What does PyTorch's F.kl_div(log_q, p) return "
            "with its default reduction ('mean')?"
        ),
        answer=0.05,
        unit="nats",
        hints=[
            "The default 'mean' divides the sum of all the pointwise terms by how many "
            "terms there are. How many are there, and what is their sum?",
        ],
        worked_solution=(
            "The sum of all 32 × 10 terms is the sum of the 32 KL divergences, 32 × 0.5 = 16. "
            "'mean' divides by the 320 elements: 0.05, the KL divergence divided by the 10 "
            "classes. 'batchmean' divides by the 32 examples and gives 0.5."
        ),
        misconceptions=[
            (
                0.5,
                "0.5 is what reduction='batchmean' returns. The default 'mean' divides by every "
                "element, 32 × 10, so it is the KL divergence divided by the classes too.",
            ),
            (
                16.0,
                "16 is reduction='sum': the 32 examples' KL divergences added. The default "
                "'mean' divides that sum by every element, 32 × 10: 16 / 320.",
            ),
            (
                0.5 / 32,
                "You divided by the 32 examples once more. 'mean' divides the sum (16) by the "
                "320 elements.",
            ),
            (
                0.5 / 320,
                "You divided the mean per example by all 320 elements. It is the sum, 32 × 0.5, "
                "that 'mean' divides by 320.",
            ),
            (
                5.0,
                "You multiplied by the 10 classes. 'mean' divides by the elements: 16 / 320.",
            ),
            BITS(0.05 / math.log(2), "(That is the right value, in bits: KL here is in nats.)"),
            (
                1.6,
                "1.6 is the sum divided by the 10 classes only. 'mean' divides by every "
                "element, 32 × 10.",
            ),
        ],
    ),
    Exercise(
        name="q3",
        prompt=(
            "A batch holds N = 256 pairs, and the critic gives every pair (right or wrong) the "
            "same score. What is the InfoNCE loss, in nats?"
        ),
        answer=math.log(256),
        unit="nats",
        digits=4,
        hints=[
            "Each row is a 256-way classification. With equal logits, what probability does "
            "softmax give the right partner?",
        ],
        worked_solution=(
            "Equal logits give every column probability 1/256, so each row's cross-entropy is "
            "−ln(1/256) = ln 256 ≈ 5.545 nats, and so is the mean. The bound log N − L is then 0: "
            "a critic that knows nothing certifies no information."
        ),
        misconceptions=[
            BITS(8.0, "(log₂ 256 = 8; InfoNCE is a cross-entropy in nats, like F.cross_entropy.)"),
            (
                256.0,
                "256 is the number of candidates. The loss is minus the log of the right one's "
                "probability, 1/256.",
            ),
            (
                0.0,
                "0 would mean the right partner gets probability 1. Equal scores give each of "
                "the 256 the same probability, 1/256, and the loss is −ln of it.",
            ),
            (
                Within(5.5405, 5.5425),  # ln 255 = 5.5413, told from ln 256 = 5.5452 at 4 digits
                "ln 255 counts only the 255 wrong partners. The softmax's denominator has all "
                "256 candidates, the right one included: −ln(1/256).",
            ),
            (
                math.log10(256),
                "log₁₀ 256 counts in decimal digits. InfoNCE, like F.cross_entropy, is in nats: "
                "−ln(1/256).",
            ),
        ],
    ),
    Exercise(
        name="q4",
        prompt=(
            "A contrastive model reaches an InfoNCE loss of 2.1 nats on held-out batches of "
            "N = 128 pairs. What lower bound on the mutual information I(X; Y) does this give, in nats?"
        ),
        answer=math.log(128) - 2.1,
        unit="nats",
        hints=[
            "Section 6's bound has two terms: one from the batch size, one from the loss.",
        ],
        worked_solution=(
            "I(X; Y) ≥ ln N − L = ln 128 − 2.1 = 4.852 − 2.1 ≈ 2.75 nats (about 3.97 bits). It "
            "could never exceed ln 128 ≈ 4.85, whatever the loss."
        ),
        misconceptions=[
            (
                2.1,
                "2.1 is the loss. The bound is ln N minus the loss: the better the critic (the "
                "lower the loss), the higher the bound.",
            ),
            (
                math.log(128) + 2.1,
                "The loss is subtracted: I ≥ ln N − L. A lower loss must give a higher bound.",
            ),
            (
                128 - 2.1,
                "The batch enters through its logarithm: ln 128 − 2.1.",
            ),
            (
                math.log2(128) - 2.1,
                "You mixed units: log₂ 128 = 7 counts bits, while the loss 2.1 counts nats. "
                "Both in nats: ln 128 − 2.1.",
            ),
            BITS((math.log(128) - 2.1) / math.log(2), "(That is the right bound, in bits.)"),
            (
                math.log(128),
                "ln 128 is the bound's ceiling, reached only at a loss of 0. Subtract the loss.",
            ),
        ],
    ),
    Exercise(
        name="q5",
        prompt=(
            "Two views of the same data share I(X; Y) = 10 nats of information, and you train "
            "with InfoNCE on batches of N = 256 pairs. What can the estimate ln N − L report at "
            "most? (a) About ln 256 ≈ 5.5 nats, whatever the critic: the loss cannot go below "
            "0. (b) The full 10 nats, once the critic is trained long enough. (c) 256 nats, one "
            "per candidate. Answer 'a', 'b' or 'c'."
        ),
        answer="a",
        kind="choice",
        tags=("explain-why",),
        hints=[
            "A cross-entropy is never negative. What is ln N − L at its largest?",
        ],
        worked_solution=(
            "(a): L ≥ 0, so ln N − L ≤ ln 256 ≈ 5.55 nats: with ρ = 0.99 (7.83 nats) the lesson's "
            "estimates stayed under ln N. Certifying 10 nats would need N > e¹⁰ ≈ 22,000 pairs a "
            "batch."
        ),
        explanation=(
            "InfoNCE is a cross-entropy, so L ≥ 0 and the estimate ln N − L is at most ln N: the "
            "bound saturates, whatever the critic learns."
        ),
        misconceptions=[
            (
                "b",
                "No critic can push the loss below 0, so ln N − L never exceeds ln 256 ≈ 5.55 "
                "nats; the lesson's ρ = 0.99 row (7.83 nats) stays under ln N at every N.",
            ),
            (
                "c",
                "The batch enters through ln N: 256 candidates can at best tell you ln 256 ≈ 5.5 "
                "nats, the information needed to pick one of 256.",
            ),
        ],
    ),
    Exercise(
        name="q6",
        prompt=(
            "Your targets are counts: how many calls a help desk gets in an hour (0, 1, 2, …). "
            "The model outputs z, and the rate is λ = e^z. Which loss does the recipe 'choose a "
            "distribution, minimise its negative log-likelihood' give? (a) The Poisson NLL "
            "λ − y ln λ (+ ln y!). (b) Squared error (y − λ)². (c) Binary cross-entropy. (d) "
            "Cross-entropy over the counts as classes. Answer 'a', 'b', 'c' or 'd'."
        ),
        answer="a",
        kind="choice",
        tags=("explain-why",),
        hints=[
            "Which distribution of section 7's table is over counts 0, 1, 2, … with one rate?",
        ],
        worked_solution=(
            "(a): counts with a rate are Poisson, P(y) = λ^y e^(−λ) / y!, whose negative log is "
            "λ − y ln λ + ln y!; ln y! does not depend on the model (PyTorch's poisson_nll_loss "
            "leaves it out by default, full=False)."
        ),
        explanation=(
            "The recipe picks the distribution that fits the targets: counts with a rate are "
            "Poisson, and its negative log-likelihood is λ − y ln λ + ln y!."
        ),
        misconceptions=[
            (
                "b",
                "Squared error is the Gaussian's loss: it allows negative and fractional targets "
                "and treats a miss of 2 at λ = 1 like one at λ = 100. Counts with a rate are "
                "Poisson.",
            ),
            (
                "c",
                "BCE is for a target that is 0 or 1 (Bernoulli). A count can be 2, 5 or 40.",
            ),
            (
                "d",
                "A categorical over counts needs a largest count and learns each count's "
                "probability separately, with nothing saying that 5 calls is close to 6. The "
                "Poisson ties them all to one rate.",
            ),
        ],
    ),
    Exercise(
        name="q7",
        prompt=(
            "Five targets: 1, 2, 3, 4 and 40. A model predicts one constant c for all of them "
            "and is trained with absolute error (the Laplace recipe). Which c minimises the "
            "mean absolute error?"
        ),
        answer=3.0,
        unit="",
        hints=[
            "Absolute error's minimiser is not the mean. Section 7 names it.",
            "Move c a little to the right of a candidate: how many targets get closer, how "
            "many farther?",
        ],
        worked_solution=(
            "The median, 3: moving c right of it brings 2 targets closer and 3 farther, moving "
            "it left brings 2 closer and 3 farther, so 3 is where the mean absolute error is "
            "smallest. The mean, 10, is what squared error picks; the outlier 40 drags it."
        ),
        misconceptions=[
            (
                10.0,
                "10 is the mean, squared error's (Gaussian) answer. Absolute error is minimised "
                "by the median, which the outlier 40 barely moves.",
            ),
            (
                2.5,
                "2.5 is the median of 1, 2, 3, 4 without the 40. All five targets count: the "
                "middle one of five.",
            ),
            (
                40.0,
                "40 is the outlier, the farthest target. Absolute error is smallest at the "
                "median, the middle of the sorted targets.",
            ),
            (
                20.5,
                "20.5 is midway between the smallest and largest target (1 and 40). Absolute "
                "error is smallest at the median.",
            ),
        ],
    ),
    Exercise(
        name="q8",
        prompt=(
            "A model predicts a Gaussian for its target: mean μ = 2 and variance σ² = 4. The "
            "target is y = 5. What is its Gaussian NLL ½(ln σ² + (y − μ)²/σ²), leaving out the "
            "constant ½ ln 2π, in nats?"
        ),
        answer=0.5 * (math.log(4) + 9 / 4),
        unit="nats",
        hints=[
            "Compute the two terms inside the brackets separately: the log of the variance, and "
            "the squared miss divided by the variance.",
        ],
        worked_solution=(
            "½(ln 4 + (5 − 2)²/4) = ½(1.386 + 2.25) ≈ 1.82 nats. A larger predicted σ² would "
            "shrink the second term and grow the first: the model learns how unsure to be."
        ),
        misconceptions=[
            (
                0.5 * (math.log(2) + 9 / 2),
                "You used σ = 2 where the formula has σ² = 4 (in both terms).",
            ),
            (
                0.5 * (math.log(2) + 9 / 4),
                "ln σ instead of ln σ²: the first term is ln 4.",
            ),
            (
                0.5 * (math.log(4) + 9 / 2),
                "(y − μ)² divided by σ = 2 instead of σ² = 4.",
            ),
            (
                math.log(4) + 9 / 4,
                "You left out the ½ in front of the brackets.",
            ),
            (
                0.5 * (math.log(4) + 9 / 4) + 0.5 * math.log(2 * math.pi),
                "That includes the constant ½ ln 2π, which the question leaves out.",
            ),
            BITS(
                0.5 * (math.log(4) + 9 / 4) / math.log(2),
                "(That is the right value, in bits: ln is the natural log.)",
            ),
            (
                0.5 * (math.log(4) + 3 / 4),
                "The miss is squared: (5 − 2)² = 9, not 3.",
            ),
        ],
    ),
    Exercise(
        name="q9",
        prompt=(
            "Write clip_loss(S): CLIP's symmetric contrastive loss for an (N, N) matrix S of "
            "logits (similarities already divided by the temperature), where row i and column i "
            "belong together: the mean of the cross-entropy over the rows (image → caption) and "
            "over the columns (caption → image), the diagonal being the labels. It must stay "
            "finite and exact for logits as large as 1000 (the tests include cosine "
            "similarities divided by τ = 0.001)."
        ),
        answer=_clip_loss,
        kind="function",
        tags=("confusion-e",),
        test_inputs=[
            _similarities(0, 8, 0.1),
            _similarities(1, 5, 0.001),  # logits up to ±1000: exp overflows unshifted
            _similarities(2, 16, 1.0),
            (np.array([[2.0, 0.0, 0.0], [5.0, 1.0, 0.0], [0.0, 0.0, -1.0]]),),  # not symmetric
            (
                np.array([[1000.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 1.0]]),
            ),  # rows 1000 below the max
            (np.array([[3.0]]),),  # one pair: nothing to tell apart, loss 0
            # a column far below its row's max, and entries far below the largest |entry|: a
            # shift by the row's max reused for the columns, or by |S|'s max, underflows there
            (np.array([[-1000.0, 1000.0], [0.0, 0.0]]),),
            (np.array([[-1000.0, -5.0], [-5.0, -5.0]]),),
            # a column (then every row and column) entirely below −745: a shift clipped at 0
            # underflows
            (np.array([[-1000.0, 800.0], [-800.0, 1000.0]]),),
            (np.array([[-1000.0, -1001.0], [-1001.0, -1000.0]]),),
        ],
        rtol=1e-12,
        atol=1e-12,
        hints=[
            "Each row is a classification with N classes whose answer is its own index; each "
            "column too. Lesson 04's log-sum-exp gives each row's loss without overflow.",
            "xl.cross_entropy(labels, logits=...) computes one direction; the transpose gives "
            "the other.",
        ],
        worked_solution=(
            "def clip_loss(S):\n"
            "    labels = np.arange(len(S))\n"
            "    rows = xl.cross_entropy(labels, logits=S)\n"
            "    cols = xl.cross_entropy(labels, logits=S.T)\n"
            "    return (rows + cols) / 2"
        ),
        misconceptions=[
            (
                _clip_rows_only,
                "That is InfoNCE over the rows only (image → caption). CLIP averages it with the "
                "columns (caption → image): the same loss on S.T.",
            ),
            (
                _clip_columns_only,
                "That is the columns only (caption → image). CLIP averages it with the rows: "
                "the same loss on S.",
            ),
            (
                _clip_sum,
                "You added the two directions. CLIP takes their mean: (rows + columns) / 2.",
            ),
            (
                _clip_whole_matrix,
                "You took one softmax over the whole N × N matrix. Each row (and each column) is "
                "its own N-way classification: log-sum-exp along one axis at a time.",
            ),
            NO_SHIFT(
                _clip_unshifted,
                "(A logit of +1000 overflows exp. Subtract each row's max, or call "
                "xl.cross_entropy(labels, logits=S).)",
            ),
            GLOBAL_MAX(
                _clip_global_max,
                "(A row 1000 below the matrix's max underflows to exp(−1000) = 0, and its "
                "log-sum-exp to −inf. Shift each row, and each column, by its own max.)",
            ),
            (
                _clip_label_zero,
                "Every row's label is its own index i (the diagonal), not 0: labels = "
                "np.arange(N).",
            ),
        ],
    ),
]
