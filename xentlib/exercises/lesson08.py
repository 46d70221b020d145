"""Lesson 08 (playground): read the explorers — loss at a probability, bounded gradients,
squared error's ceiling, the label-smoothing floor, learning rates, temperature scaling."""

import numpy as np

from ._catalogue import BITS, LOG10, ONE_TERM, OTHER_EXAMPLE, OVER_CLASSES, Within
from ._core import Exercise


def _entropy(p):
    p = np.asarray(p, dtype=float)
    return float(-np.sum(p * np.log(p)))


EXERCISES = [
    Exercise(
        name="q1",
        fraction=True,
        prompt="With the probability explorer in nats: at what probability q of the true class is the loss exactly 1 nat?",
        answer=float(np.exp(-1.0)),
        digits=2,  # what a slider with steps of 0.01 can find
        hints=[
            "The loss in nats is −ln q: for which q is it exactly 1? Undo the logarithm.",
            "Check your reading against the explorer: set q to your value and read the loss it shows.",
        ],
        worked_solution="−ln q = 1 ⇔ ln q = −1 ⇔ q = e⁻¹ ≈ 0.368 (the slider's 0.37 gives 0.994 nats). In bits, −log₂ q = 1 at q = 0.5.",
        misconceptions=[
            BITS(0.5, "(q = 0.5 gives 1 bit, −log₂ 0.5 = 1; in nats −ln q = 1 at q = 1/e.)"),
            (float(np.e), "A probability is at most 1: you found e; the answer is its reciprocal."),
            (1.0, "At q = 1 the loss is 0, not 1: a certain, correct prediction costs nothing."),
            (-1.0, "−1 is ln q, the logarithm of the answer; q itself is e raised to that power."),
            (
                float(1 - np.exp(-1.0)),
                "That is 1 − 1/e, the probability of the other outcomes. The loss is 1 nat when "
                "the true class itself has probability 1/e.",
            ),
            LOG10(0.1, "(−log₁₀ 0.1 = 1.) In nats, −ln q = 1: q = e⁻¹."),
        ],
    ),
    Exercise(
        name="q2",
        unit="nats",
        prompt="In the logits explorer (T = 1), keep class 0 as the true class and make the model more and more confidently wrong (raise z₁). What value does the size |∂L/∂z_y| of the true class's gradient approach? (Give the exact value: the limit itself, not a reading at one setting.)",
        answer=1,  # exact: 0.9999 or 0.999999, its size at a large z₁, is a reading, not the limit
        hints=[
            "The true class's gradient is its softmax probability q_y minus its one-hot target (lesson 05).",
            "Confidently wrong means q_y → 0. What does q_y minus the target approach, and what is the size of that?",
        ],
        worked_solution="∂L/∂z_y = q_y − 1 ∈ (−1, 0): its size 1 − q_y approaches 1 as q_y → 0, without reaching it (q_y > 0 for any finite logits; the explorer's −1.000 at z₁ = 50 is q_y = 1.43e−21, rounded). The loss −log q_y is unbounded, but its gradient in the logits is not: every confident mistake pushes with nearly the same full strength, and never with an exploding step.",
        misconceptions=[
            (
                -1.0,
                "−1 is the signed gradient q_y − 1 in the limit. The question asks for its size |∂L/∂z_y|, which is never negative.",
            ),
            (
                float("inf"),
                "The *loss* grows without bound as q_y → 0, but its gradient in the logits is q_y − 1, which never goes below −1.",
            ),
            (
                0.0,
                "That would be squared error on the probabilities (its push fades when softmax saturates). For cross-entropy the push is q_y − 1 → −1: as strong as it gets.",
            ),
            (
                0.998,
                "That is its size at one setting of z₁ (about 8.2, with z₀ = 2 and z₂ = 0.1). Keep raising z₁ (q_y → 0): what value does it approach?",
            ),
            (
                0.982,
                "That is its size at one setting, z₁ = 6 (with z₀ = 2 and z₂ = 0.1). Keep raising z₁ (q_y → 0): what value does it approach?",
            ),
            (
                2.0,
                "2 adds the sizes of two entries, the true class's −1 and the culprit's +1. The question asks for the true class's entry alone.",
            ),
            (
                0.5,
                "0.5 is its size where z₁ = z₀ (and z₂ far below): q_y = 0.5. Keep raising z₁: "
                "q_y → 0, and the size 1 − q_y approaches its limit.",
            ),
            (
                float(np.sqrt(2.0)),
                "√2 is the length of the whole gradient (−1, 1, 0) in the limit, the true class's "
                "entry and the culprit's together. The question asks for the true class's entry "
                "alone, |∂L/∂z_y|.",
            ),
            (
                Within(1.0, 1e300),  # 1.0001 to 1e9: above the limit, never reached
                "The size 1 − q_y is below 1 at every setting (q_y > 0 for any finite logits), "
                "so it never passes its limit.",
            ),
            (
                Within(1e-9, 0.5),
                "A size 1 − q_y below 0.5 means q_y is still above 0.5: there the model is still "
                "right. Raise z₁ until the model is confidently wrong (q_y → 0): what value "
                "does the size approach?",
            ),
            (
                Within(0.5, 1.0),
                "That is its size 1 − q_y at one setting of z₁, where q_y is not yet 0. The "
                "question asks for the value it approaches as you keep raising z₁.",
            ),
        ],
    ),
    Exercise(
        name="q3",
        unit="",
        prompt="Squared error (Brier score) L = Σ_k (q_k − (e_y)_k)² with true class 0: what is L at the corner q = (0, 1, 0), where the model is certain of the wrong class?",
        answer=2.0,
        hints=[
            "e_y = (1, 0, 0). Compare q and e_y entry by entry: which entries differ, and by how much?",
        ],
        worked_solution="(0 − 1)² + (1 − 0)² + (0 − 0)² = 2: the largest squared error there is. Cross-entropy at the same corner is −log 0 = ∞.",
        misconceptions=[
            ONE_TERM(
                1.0,
                "You counted only the true class, (0 − 1)²; the wrong class's (1 − 0)² counts too.",
            ),
            OVER_CLASSES(2 / 3, "(2/3 is the sum of the squares divided by the 3 classes.)"),
            (
                3.0,
                "You counted every class as 1. The third class has q_k = 0 and target 0: its "
                "term is (0 − 0)² = 0; only the true class and the wrong one cost 1 each.",
            ),
            (
                float("inf"),
                "∞ is cross-entropy's value there. Squared error is bounded: at most 2 for any prediction.",
            ),
            (
                float(np.sqrt(2.0)),
                "√2 is the distance between q and e_y. The squared error is the sum of the squares, without the square root.",
            ),
        ],
    ),
    Exercise(
        name="q4",
        prompt="Two classes, label smoothing ε = 0.1 (PyTorch's convention: target (1 − ε)·onehot + ε/C). What is the smallest mean loss any model can reach, in nats?",
        answer=_entropy([0.95, 0.05]),
        hints=[
            "Start from the smoothed target: what does PyTorch's formula in the question give the true class, and the other class, when C = 2?",
            "Against a fixed target t, which prediction q makes the cross-entropy smallest (Gibbs' inequality, lesson 02)? The smallest loss is the cross-entropy at that q: a quantity lesson 02 names.",
        ],
        worked_solution="t = (0.95, 0.05). H(t, q) = H(t) + KL(t‖q) ≥ H(t) = −(0.95 ln 0.95 + 0.05 ln 0.05) ≈ 0.199 nats, reached at q = t. That is the floor under the playground's training loss: it can come close, never below.",
        misconceptions=[
            OTHER_EXAMPLE(
                0.243,
                "0.243 is where the lesson's playground run stopped: a loss one network reached, "
                "above the floor. The question asks for the smallest loss *any* model can reach: "
                "the entropy of the smoothed target, reached when the prediction equals it.",
            ),
            (
                0.0,
                "With smoothing the target is not one-hot, so the best model predicts the target itself and pays its entropy, which is > 0.",
            ),
            (
                _entropy([0.9, 0.1]),
                "The ε is shared among all C classes, the true one included: the target is (0.95, 0.05), not (0.9, 0.1).",
            ),
            ONE_TERM(
                float(-np.log(0.95)),
                "That is −log of the true class's target. The loss averages over the whole target: H(t) = −Σ t_k log t_k.",
            ),
            BITS(_entropy([0.95, 0.05]) / np.log(2), "(That is the right floor, in bits.)"),
            ONE_TERM(
                float(-0.05 * np.log(0.05)),
                "(0.05 · ln(1/0.05) is the other class's term alone; the floor adds the true "
                "class's term too: −Σ t_k log t_k over both entries of the smoothed target.)",
            ),
            ONE_TERM(
                float(-0.95 * np.log(0.95)),
                "(0.95 · ln(1/0.95) is the true class's term alone; the floor adds the other "
                "class's term too: −Σ t_k log t_k over both entries of the smoothed target.)",
            ),
            LOG10(
                _entropy([0.95, 0.05]) / np.log(10),
                "(That is the right floor, in log base 10: use np.log.)",
            ),
            (
                float(-(0.9 * np.log(0.9) + 0.05 * np.log(0.05))),
                "Your target is (0.9, 0.05), which sums to 0.95: the true class gets 1 − ε and "
                "ε/C as well, 0.9 + 0.05 = 0.95. The target is (0.95, 0.05), and the floor is "
                "its entropy −Σ t_k log t_k.",
            ),
            (
                float(-np.log(0.9)),
                "−ln 0.9 is minus the log of an unshared target 0.9, and only the true class's "
                "term. The target is (0.95, 0.05), and the floor is its whole entropy "
                "−Σ t_k log t_k.",
            ),
            (
                0.95,
                "0.95 is the smoothed target's top entry, a probability. The floor is a loss: the "
                "entropy of the whole target, −Σ t_k log t_k.",
            ),
            (
                float(np.log(2)),
                "ln 2 is the loss of a uniform prediction (0.5, 0.5), not the smallest loss: "
                "the best prediction is the smoothed target itself, and its loss is the "
                "target's entropy.",
            ),
        ],
    ),
    Exercise(
        name="q5",
        prompt="In the playground a loss curve falls smoothly but slowly, and is still falling clearly when the epochs run out, far above where other settings end. Most likely: (a) the learning rate is too small, (b) the learning rate is too large, (c) the model is too small. Answer 'a', 'b' or 'c'.",
        answer="a",
        kind="choice",
        hints=[
            "Try learning rate 0.01 and then 3.0 on the moons. Which curve looks like this one?"
        ],
        worked_solution="(a): each step moves the weights by lr × gradient; with a tiny lr the loss creeps down and needs many more epochs. Too large a rate makes the curve jump (3.0 on the moons jumps early, then settles and even ends lowest); too small a model flattens out at a *high* loss: more epochs would not help it.",
        misconceptions=[
            (
                "b",
                "A learning rate that is too large makes the loss jump up between epochs (3.0 on the moons "
                "does, by up to 0.623, before it settles), or overflow: it does not creep smoothly.",
            ),
            (
                "c",
                "A model that is too small (linear on spirals) flattens out at a high loss: its curve stops falling. This one is still falling, so it needs bigger steps or more epochs.",
            ),
        ],
    ),
    Exercise(
        name="q6",
        prompt="Dividing a trained model's logits by a temperature T > 1 changes: (a) which class it predicts, so its accuracy; (b) only how confident it is, so its NLL and ECE; (c) nothing that matters. Answer 'a', 'b' or 'c'.",
        answer="b",
        kind="choice",
        hints=["softmax(z / T) keeps the order of the logits. What does that mean for the argmax?"],
        worked_solution="(b): z/T keeps the order of the logits, so the argmax — and the accuracy — is unchanged; the probabilities get softer, which lowers an overconfident model's NLL and ECE. In the calibration explorer, the T fitted on the validation points (1.83) lowers the test points' NLL from 0.355 to 0.297 nats and their ECE from 0.057 to 0.019, at the same accuracy 0.883.",
        misconceptions=[
            (
                "a",
                "Dividing every logit by the same T > 0 keeps their order, so the predicted class never changes; watch the accuracy in the calibration explorer's readout as you move T.",
            ),
            (
                "c",
                "The confidence matters: with the fitted T the overconfident model's NLL and ECE on new points drop clearly (the ECE to about a third).",
            ),
        ],
    ),
]
