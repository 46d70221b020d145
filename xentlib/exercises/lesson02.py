"""Lesson 02 (cross-entropy and KL divergence)."""

import numpy as np

from ._catalogue import (
    BITS,
    CAPPED,
    ENTROPY_FOR,
    LOG10,
    NO_LOG,
    NO_MINUS,
    NO_SUM,
    ONE_TERM,
    OVER_CLASSES,
    SWAPPED_ROLES,
    WRONG_CLASS,
    Symptom,
    capped_below_the_answer,
)
from ._core import Exercise


# Two wrong answers learners give to q4, each as written naively (NaN where p has a 0) and
# with 0 · log 0 = 0 (scipy.stats.entropy, xlogy, rel_entr, masking p > 0).
def _entropy_naive(p, q):
    return -np.sum(p * np.log(p))


def _entropy(p, q):
    p = np.asarray(p, float)
    return -np.sum(p[p > 0] * np.log(p[p > 0]))


def _kl_naive(p, q):
    return np.sum(p * np.log(p / q))


def _kl(p, q):
    p, q = np.asarray(p, float), np.asarray(q, float)
    return np.sum(p[p > 0] * np.log(p[p > 0] / q[p > 0]))


P = np.array([0.7, 0.3])
Q = np.array([0.4, 0.6])
H_PQ = float(-np.sum(P * np.log(Q)))
H_P = float(-np.sum(P * np.log(P)))
TERMS_PQ = -P * np.log(Q)  # H(p, q) term by term: heads, tails
TERMS_KL = P * np.log(P / Q)


def _cross_entropy(p, q):
    return -np.sum(p * np.log(q))


EXERCISES = [
    Exercise(
        name="q1",
        prompt=(
            "A coin lands heads with probability p = [0.7, 0.3] (heads, tails); a model "
            "believes q = [0.4, 0.6]. What is the cross-entropy H(p, q) in nats?"
        ),
        answer=H_PQ,
        hints=[
            "H(p, q) = -Σ p_i log q_i: the surprise under the *model* q, averaged over the *truth* p.",
            "One term per outcome: the truth's probability of heads times the log of the model's "
            "probability of heads, then the same for tails. Add them, and mind the sign.",
        ],
        worked_solution="-(0.7·ln 0.4 + 0.3·ln 0.6) = 0.6414 + 0.1532 = 0.795 nats.",
        misconceptions=[
            SWAPPED_ROLES(float(-np.sum(Q * np.log(P))), "That is H(q, p)."),
            BITS(float(H_PQ / np.log(2))),
            NO_MINUS(-H_PQ),
            (
                H_PQ - H_P,
                "That is KL(p‖q) = H(p, q) - H(p), the extra surprise only. The cross-entropy "
                "is the whole average surprise: H(p) plus that KL.",
            ),
            ENTROPY_FOR(H_P, "Cross-entropy uses the model's q inside the log."),
            ONE_TERM(float(TERMS_PQ[0]), "(−0.7·ln 0.4 is the heads term; add the tails term.)"),
            ONE_TERM(float(TERMS_PQ[1]), "(−0.3·ln 0.6 is the tails term; add the heads term.)"),
            OVER_CLASSES(float(TERMS_PQ.mean()), "(You halved the sum of the two terms.)"),
            (
                float(-np.sum(np.log(Q))),
                "You added −ln q over both outcomes without weighting each by its probability "
                "under the truth p: H(p, q) = −Σ p log q.",
            ),
            LOG10(float(H_PQ / np.log(10)), "Use the natural log, np.log (nats)."),
        ],
    ),
    Exercise(
        name="q2",
        prompt="For the same p and q, what is KL(p‖q) in nats? (Hint: H(p, q) = H(p) + KL(p‖q).)",
        answer=H_PQ - H_P,
        hints=[
            "KL(p‖q) = Σ p_i log(p_i / q_i), or H(p, q) - H(p).",
            "H(p) = -(0.7·ln 0.7 + 0.3·ln 0.3) ≈ 0.611 nats is only one piece: KL(p‖q) is what "
            "H(p, q) adds to it.",
        ],
        worked_solution="KL(p‖q) = H(p, q) - H(p) = 0.795 - 0.611 = 0.184 nats (= 0.7·ln(0.7/0.4) + 0.3·ln(0.3/0.6)).",
        misconceptions=[
            SWAPPED_ROLES(float(np.sum(Q * np.log(Q / P))), "That is KL(q‖p)."),
            (H_PQ, "That is H(p, q). KL is what is left after subtracting the entropy H(p)."),
            (H_PQ + H_P, "You added H(p); KL(p‖q) = H(p, q) - H(p)."),
            BITS(float((H_PQ - H_P) / np.log(2))),
            NO_MINUS(
                -(H_PQ - H_P), "KL(p‖q) ≥ 0 (Gibbs' inequality): H(p, q) − H(p), the larger first."
            ),
            ENTROPY_FOR(H_P, "The hint's 0.611 nats is H(p), the piece to subtract from H(p, q)."),
            ONE_TERM(
                float(TERMS_KL[0]), "(0.7·ln(0.7/0.4) is the heads term; add the tails term.)"
            ),
            ONE_TERM(
                float(TERMS_KL[1]), "(0.3·ln(0.3/0.6) is the tails term; add the heads term.)"
            ),
            OVER_CLASSES(float(TERMS_KL.mean()), "(You halved the sum of the two terms.)"),
            LOG10(float((H_PQ - H_P) / np.log(10)), "Use the natural log, np.log (nats)."),
            (
                0.0,
                "KL(p‖q) is 0 only when q = p (Gibbs' inequality); here q = [0.4, 0.6] differs "
                "from p = [0.7, 0.3], so KL(p‖q) > 0.",
            ),
        ],
    ),
    Exercise(
        name="q3",
        prompt=(
            "The seed post's first example: predicted probabilities ŷ = [0.1, 0.4, 0.5] and the "
            "true class is 2 (classes are numbered from 0). What is -Σ y log ŷ with one-hot y?"
        ),
        answer=float(-np.log(0.5)),
        hints=[
            "With a one-hot y, every term but one is 0 · log ŷ = 0.",
            "Classes are numbered from 0. Find the entry of ŷ that the label points to: it is "
            "the only one the formula keeps.",
        ],
        worked_solution="Only the true class survives: -log ŷ_2 = -ln 0.5 = 0.693 nats.",
        sizes={"C": 3},
        misconceptions=[
            WRONG_CLASS(
                float(-np.log(0.4)), "You picked ŷ_1 = 0.4; class 2 is the third entry, 0.5."
            ),
            (
                float(-np.sum(np.log([0.1, 0.4, 0.5]))),
                "You summed -log ŷ over every class. The one-hot y keeps only the true class's term.",
            ),
            WRONG_CLASS(
                float(-np.log(0.1)), "You picked the first entry; class 2 is the third, 0.5."
            ),
            BITS(1.0, "(−log₂ 0.5 = 1 bit; the seed post's log is the natural log.)"),
            LOG10(float(-np.log10(0.5)), "The seed post's log is the natural log: np.log."),
            (
                float(np.mean(-np.log([0.5, 0.8]))),
                "0.4581 is the mean loss of the seed's whole batch of two examples. This question "
                "asks about the first example only: ŷ = [0.1, 0.4, 0.5] with true class 2.",
            ),
            NO_MINUS(float(np.log(0.5))),
            NO_LOG(0.5, "(0.5 is ŷ_2 itself; the loss is −log ŷ_2.)"),
            OVER_CLASSES(
                float(-np.mean(np.log([0.1, 0.4, 0.5]))),
                "(You averaged −log ŷ over the three classes; the one-hot y keeps only the true "
                "class's term.)",
            ),
            (
                float(-np.sum(np.array([0.1, 0.4, 0.5]) * np.log([0.1, 0.4, 0.5]))),
                "That is −Σ ŷ log ŷ, the entropy of the model's own prediction: it weights each "
                "class by ŷ. The cross-entropy weights by the one-hot truth y, which keeps only "
                "the true class's term.",
            ),
        ],
    ),
    Exercise(
        name="q4",
        prompt="Write cross_entropy(p, q) = -Σ p log q for two 1-D distributions (q has no zeros, but its entries may be as small as 1e-300).",
        answer=_cross_entropy,
        kind="function",
        test_inputs=[
            (np.array([0.5, 0.5]), np.array([0.9, 0.1])),
            (np.array([1.0, 0.0, 0.0]), np.array([0.7, 0.2, 0.1])),
            (np.array([0.2, 0.3, 0.5]), np.array([0.3, 0.3, 0.4])),
            (np.array([0.1, 0.9]), np.array([0.002, 0.998])),  # a confident miss
            # −ln 1e-300 = 690.8: a clip at 1e-7 reports 8.06 for 345.4
            (np.array([0.5, 0.5]), np.array([1.0, 1e-300])),
        ],
        hints=[
            "NumPy multiplies arrays element by element, so p * something gives one term per "
            "outcome; np.sum adds them up.",
            "Which distribution goes inside the log: the truth or the model? Check the sign of "
            "your result: a cross-entropy is never negative.",
        ],
        worked_solution="def cross_entropy(p, q):\n    return -np.sum(p * np.log(q))",
        misconceptions=[
            SWAPPED_ROLES(lambda p, q: -np.sum(q * np.log(p)), "Your function computes H(q, p)."),
            NO_MINUS(lambda p, q: np.sum(p * np.log(q))),
            CAPPED(
                Symptom(
                    capped_below_the_answer, lambda p, q: -np.sum(p * np.log(np.clip(q, 1e-7, 1)))
                ),
                "Here q = (1, 1e-300) and p = (0.5, 0.5): H(p, q) = 0.5 · 690.8 = 345.4 nats, "
                "and a clip at 1e-7 reports 8.06. q has no zeros, so log q is finite: no guard "
                "is needed.",
            ),
            BITS(lambda p, q: -np.sum(p * np.log2(q))),
            LOG10(lambda p, q: -np.sum(p * np.log10(q)), "Use np.log (nats), as ML libraries do."),
            OVER_CLASSES(
                lambda p, q: -np.mean(p * np.log(q)),
                "Your function uses np.mean, which divides by the number of outcomes; the "
                "weights p already sum to 1, so the sum is the average surprise.",
            ),
            *(
                ENTROPY_FOR(
                    entropy, "Your function never uses q: the log must be of q, -Σ p log q."
                )
                for entropy in (_entropy_naive, _entropy)
            ),
            *(
                (
                    kl,
                    "That is the KL divergence Σ p log(p/q), the cross-entropy minus H(p). Drop "
                    "the p inside the log: H(p, q) = -Σ p log q.",
                )
                for kl in (_kl_naive, _kl)
            ),
            (
                lambda p, q: -np.sum(np.log(q)),
                "Your function adds −log q over every outcome without weighting each by its "
                "probability under the truth p: −Σ p log q.",
            ),
            NO_SUM(lambda p, q: -p * np.log(q), "(The terms are −p log q.)"),
            (
                lambda p, q: -np.log(q[np.argmax(p)]),
                "Your function keeps only the term of p's largest entry, as if p were one-hot. "
                "With a soft truth such as [0.5, 0.5] every outcome counts, weighted by p: "
                "−Σ p log q.",
            ),
        ],
    ),
    Exercise(
        name="q5",
        prompt=(
            "Explain why. One Gaussian q is fitted to a distribution p with two well-separated "
            "bumps, by minimising the forward KL(p‖q), which is what minimising the cross-entropy "
            "H(p, q) = H(p) + KL(p‖q) over q does. Where does q end up? "
            "(a) On one bump, narrow, ignoring the other. "
            "(b) Wide, between the bumps, covering both. "
            "(c) Exactly equal to p, so that KL(p‖q) = 0. "
            "Answer 'a', 'b' or 'c'."
        ),
        answer="b",
        kind="choice",
        tags=("explain-why",),
        hints=[
            "KL(p‖q) = Σ p log(p/q) averages over p. Where does p put probability, and what does "
            "it cost when q is tiny there?",
            "Compare the lesson's picture: which fit is drawn for the forward direction?",
        ],
        worked_solution=(
            "(b). KL(p‖q) averages log(p/q) over p, so wherever p has probability and q is tiny "
            "the cost is large (infinite where q = 0). The fit stretches to cover both bumps: "
            "mode-covering. For a Gaussian q it matches p's mean and standard deviation."
        ),
        explanation=(
            "KL(p‖q) is an average over p, so q must not be tiny anywhere p has probability: "
            "the fit covers both bumps (mode-covering), even if that puts mass between them, "
            "where p has almost none."
        ),
        misconceptions=[
            (
                "a",
                "That is the reverse direction, KL(q‖p), which averages over q: it pays only "
                "where q puts mass, so q can hide on one bump (mode-seeking). The forward "
                "KL(p‖q) averages over p, and p's other bump would then cost a lot.",
            ),
            (
                "c",
                "One Gaussian has a single bump, so it cannot equal a two-bump p: KL(p‖q) > 0 "
                "for every Gaussian (Gibbs: 0 only when q = p). The fit is the best compromise.",
            ),
        ],
    ),
]
