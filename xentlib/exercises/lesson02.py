"""Lesson 02 (cross-entropy and KL divergence)."""

import numpy as np

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
            "-(0.7·ln 0.4 + 0.3·ln 0.6)",
        ],
        worked_solution="-(0.7·ln 0.4 + 0.3·ln 0.6) = 0.6414 + 0.1532 = 0.795 nats.",
        misconceptions=[
            (
                float(-np.sum(Q * np.log(P))),
                "You computed H(q, p): the roles are swapped. Average over the truth p, take the log of the model q.",
            ),
            (float(H_PQ / np.log(2)), "That is in bits. Use the natural log (nats)."),
            (-H_PQ, "Cross-entropy is positive: you lost the minus sign."),
            (
                H_PQ - H_P,
                "That is KL(p‖q) = H(p, q) - H(p), the extra surprise only. The cross-entropy "
                "is the whole average surprise: H(p) plus that KL.",
            ),
            (
                H_P,
                "That is H(p), the entropy of the truth alone. Cross-entropy uses the model's q inside the log.",
            ),
        ],
    ),
    Exercise(
        name="q2",
        prompt="For the same p and q, what is KL(p‖q) in nats? (Hint: H(p, q) = H(p) + KL(p‖q).)",
        answer=H_PQ - H_P,
        hints=[
            "KL(p‖q) = Σ p_i log(p_i / q_i), or H(p, q) - H(p).",
            "H(p) = -(0.7·ln 0.7 + 0.3·ln 0.3) ≈ 0.611 nats.",
        ],
        worked_solution="KL(p‖q) = H(p, q) - H(p) = 0.795 - 0.611 = 0.184 nats (= 0.7·ln(0.7/0.4) + 0.3·ln(0.3/0.6)).",
        misconceptions=[
            (
                float(np.sum(Q * np.log(Q / P))),
                "That is KL(q‖p), the reverse direction. KL is not symmetric: average over p, the first argument.",
            ),
            (H_PQ, "That is H(p, q). KL is what is left after subtracting the entropy H(p)."),
            (H_PQ + H_P, "You added H(p); KL(p‖q) = H(p, q) - H(p)."),
            (float((H_PQ - H_P) / np.log(2)), "That is in bits. Use the natural log (nats)."),
            (
                -(H_PQ - H_P),
                "KL is never negative (Gibbs' inequality): check the sign. KL(p‖q) = Σ p log(p/q), "
                "or H(p, q) - H(p) with the larger number first.",
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
            "Class 2 is the third entry (Python counts from 0): ŷ_2 = 0.5.",
        ],
        worked_solution="Only the true class survives: -log ŷ_2 = -ln 0.5 = 0.693 nats.",
        misconceptions=[
            (
                float(-np.log(0.4)),
                "You picked ŷ_1 = 0.4. Class indices start at 0, so class 2 is the third entry, 0.5.",
            ),
            (
                float(-np.sum(np.log([0.1, 0.4, 0.5]))),
                "You summed -log ŷ over every class. The one-hot y keeps only the true class's term.",
            ),
            (
                float(-np.log(0.1)),
                "You picked the first entry. Class 2 (counting from 0) is the third one: 0.5.",
            ),
            (1.0, "That is in bits (-log2 0.5 = 1). The seed post uses the natural log: nats."),
            (
                float(-np.log10(0.5)),
                "You used log base 10 (np.log10). The seed post's log is the natural log: np.log.",
            ),
            (
                float(np.mean(-np.log([0.5, 0.8]))),
                "0.4581 is the mean loss of the seed's whole batch of two examples. This question "
                "asks about the first example only: ŷ = [0.1, 0.4, 0.5] with true class 2.",
            ),
            (
                float(np.log(0.5)),
                "A loss is never negative: you lost the minus sign in -Σ y log ŷ.",
            ),
        ],
    ),
    Exercise(
        name="q4",
        prompt="Write cross_entropy(p, q) = -Σ p log q for two 1-D distributions (q has no zeros).",
        answer=_cross_entropy,
        kind="function",
        test_inputs=[
            (np.array([0.5, 0.5]), np.array([0.9, 0.1])),
            (np.array([1.0, 0.0, 0.0]), np.array([0.7, 0.2, 0.1])),
            (np.array([0.2, 0.3, 0.5]), np.array([0.3, 0.3, 0.4])),
        ],
        hints=[
            "NumPy multiplies arrays element by element, so p * something gives one term per "
            "outcome; np.sum adds them up.",
            "Which distribution goes inside the log: the truth or the model? Check the sign of "
            "your result: a cross-entropy is never negative.",
        ],
        worked_solution="def cross_entropy(p, q):\n    return -np.sum(p * np.log(q))",
        misconceptions=[
            (
                lambda p, q: -np.sum(q * np.log(p)),
                "Your function swaps the roles: it computes H(q, p). The log is of the model q, weighted by the truth p.",
            ),
            (
                lambda p, q: np.sum(p * np.log(q)),
                "Your function returns a negative number: add the minus sign.",
            ),
            (
                lambda p, q: -np.sum(p * np.log2(q)),
                "Your function gives bits (log base 2). Use np.log (nats), as ML libraries do.",
            ),
            (
                lambda p, q: -np.mean(p * np.log(q)),
                "Your function divides by the number of outcomes: np.mean instead of np.sum. The "
                "weights p already sum to 1, so the sum is the average surprise.",
            ),
            *(
                (
                    entropy,
                    "Your function never uses q: it is the entropy H(p) = -Σ p log p, the "
                    "truth's own surprise. The cross-entropy scores the model: the log is of q, "
                    "-Σ p log q.",
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
