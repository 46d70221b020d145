"""Lesson 08 (playground): read the explorers — loss at a probability, bounded gradients,
squared error's ceiling, the label-smoothing floor, learning rates, temperature scaling."""

import numpy as np

from ._core import Exercise


def _entropy(p):
    p = np.asarray(p, dtype=float)
    return float(-np.sum(p * np.log(p)))


EXERCISES = [
    Exercise(
        name="q1",
        prompt="With the probability explorer in nats: at what probability p of the true class is the loss exactly 1 nat? (two decimals are enough)",
        answer=float(np.exp(-1.0)),
        rtol=0.02,
        hints=[
            "Solve −ln p = 1.",
            "p = e^(−1).",
        ],
        worked_solution="−ln p = 1 ⇔ p = e⁻¹ ≈ 0.368. (In bits, −log₂ p = 1 at p = 0.5.)",
        misconceptions=[
            (0.5, "p = 0.5 gives 1 *bit* (−log₂ 0.5 = 1). In nats you need −ln p = 1, so p = 1/e."),
            (float(np.e), "A probability is at most 1: you found e; the answer is its reciprocal."),
            (1.0, "At p = 1 the loss is 0, not 1: a certain, correct prediction costs nothing."),
        ],
    ),
    Exercise(
        name="q2",
        prompt="In the logits explorer (T = 1), make the model as confidently wrong as you can. What is the largest value |∂L/∂z_y| (the true class's gradient) can reach?",
        answer=1.0,
        hints=[
            "∂L/∂z_y = p_y − 1. What is it when p_y → 0?",
        ],
        worked_solution="∂L/∂z_y = p_y − 1 ∈ [−1, 0): its size never exceeds 1, reached as p_y → 0. The loss −log p_y is unbounded, but its gradient in the logits is not: every confident mistake pushes with the same full strength, and never with an exploding step.",
        misconceptions=[
            (
                float("inf"),
                "The *loss* grows without bound as p_y → 0, but its gradient in the logits is p_y − 1, which never goes below −1.",
            ),
            (
                0.0,
                "That would be squared error on the probabilities (its push fades when softmax saturates). For cross-entropy the push is p_y − 1 → −1: as strong as it gets.",
            ),
        ],
    ),
    Exercise(
        name="q3",
        prompt="Squared error (Brier score) L = Σ_k (p_k − y_k)² with true class 0: what is L at the corner p = (0, 1, 0), where the model is certain of the wrong class?",
        answer=2.0,
        hints=[
            "y = (1, 0, 0). Add up (p_k − y_k)² over all three classes.",
        ],
        worked_solution="(0 − 1)² + (1 − 0)² + (0 − 0)² = 2: the largest squared error there is. Cross-entropy at the same corner is −log 0 = ∞.",
        misconceptions=[
            (
                1.0,
                "You counted only the true class, (0 − 1)². The wrong class's (1 − 0)² counts too: L = 2.",
            ),
            (
                float("inf"),
                "∞ is cross-entropy's value there. Squared error is bounded: at most 2 for any prediction.",
            ),
        ],
    ),
    Exercise(
        name="q4",
        prompt="Two classes, label smoothing ε = 0.1 (PyTorch's convention: target (1 − ε)·onehot + ε/C). What is the smallest mean loss any model can reach, in nats?",
        answer=_entropy([0.95, 0.05]),
        hints=[
            "Write the smoothed target for C = 2: the true class gets 1 − ε + ε/2.",
            "Cross-entropy H(t, q) ≥ H(t), with equality when q = t (Gibbs' inequality, lesson 02).",
        ],
        worked_solution="t = (0.95, 0.05). H(t, q) = H(t) + KL(t‖q) ≥ H(t) = −(0.95 ln 0.95 + 0.05 ln 0.05) ≈ 0.199 nats, reached at q = t. That is the floor the playground's loss curve flattens onto.",
        misconceptions=[
            (
                0.0,
                "With smoothing the target is not one-hot, so the best model predicts the target itself and pays its entropy, which is > 0.",
            ),
            (
                _entropy([0.9, 0.1]),
                "The ε is shared among all C classes, the true one included: the target is (0.95, 0.05), not (0.9, 0.1).",
            ),
            (
                float(-np.log(0.95)),
                "That is −log of the true class's target. The loss averages over the whole target: H(t) = −Σ t_k log t_k.",
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
        worked_solution="(a): each step moves the weights by lr × gradient; with a tiny lr the loss creeps down and needs many more epochs. Too large a rate makes the curve jump about or blow up; too small a model flattens out at a *high* loss: more epochs would not help it.",
        misconceptions=[
            (
                "b",
                "A learning rate that is too large makes the loss jump up and down (or overflow), not creep smoothly.",
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
        worked_solution="(b): z/T keeps the order of the logits, so the argmax — and the accuracy — is unchanged; the probabilities get softer, which lowers an overconfident model's NLL and ECE (the calibration explorer's fit button finds T ≈ 1.8).",
        misconceptions=[
            (
                "a",
                "Dividing every logit by the same T > 0 keeps their order, so the predicted class never changes; watch the accuracy in the calibration explorer's readout.",
            ),
            (
                "c",
                "The confidence matters: with T ≈ 1.8 the NLL and the ECE of the overconfident model drop clearly.",
            ),
        ],
    ),
]
