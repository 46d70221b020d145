"""Lesson 11 (imbalance, label smoothing, calibration)."""

import numpy as np

from ..metrics import accuracy, balanced_accuracy
from ._catalogue import REVERSED_THRESHOLD
from ._core import Exercise

THRESHOLDS = np.round(np.arange(0.01, 1.0, 0.01), 2)


def _rule(p, t):
    return (p >= t).astype(int)


def _best(p, y, score=balanced_accuracy):
    scores = [score(y, _rule(p, t)) for t in THRESHOLDS]
    return THRESHOLDS[int(np.argmax(scores))]


def _threshold_report(q_val, y_val, q_test, y_test):
    t = _best(q_val, y_val)
    return t, balanced_accuracy(y_test, _rule(q_test, t))


def _chosen_on_test(q_val, y_val, q_test, y_test):  # the bug
    t = _best(q_test, y_test)
    return t, balanced_accuracy(y_test, _rule(q_test, t))


def _reports_validation(q_val, y_val, q_test, y_test):
    t = _best(q_val, y_val)
    return t, balanced_accuracy(y_val, _rule(q_val, t))


def _chosen_by_accuracy(q_val, y_val, q_test, y_test):
    t = _best(q_val, y_val, accuracy)
    return t, balanced_accuracy(y_test, _rule(q_test, t))


def _accuracy_throughout(q_val, y_val, q_test, y_test):  # chosen and reported by accuracy
    t = _best(q_val, y_val, accuracy)
    return t, accuracy(y_test, _rule(q_test, t))


def _strict_rule(q_val, y_val, q_test, y_test):
    scores = [balanced_accuracy(y_val, (q_val > t).astype(int)) for t in THRESHOLDS]
    t = THRESHOLDS[int(np.argmax(scores))]
    return t, balanced_accuracy(y_test, (q_test > t).astype(int))


def _reversed_rule(q_val, y_val, q_test, y_test):  # q <= t: every decision turned round
    scores = [balanced_accuracy(y_val, (q_val <= t).astype(int)) for t in THRESHOLDS]
    t = THRESHOLDS[int(np.argmax(scores))]
    return t, balanced_accuracy(y_test, (q_test <= t).astype(int))


def _swapped_metric_arguments(q_val, y_val, q_test, y_test):  # balanced_accuracy(y_pred, y_true)
    t = THRESHOLDS[int(np.argmax([balanced_accuracy(_rule(q_val, t), y_val) for t in THRESHOLDS]))]
    return t, balanced_accuracy(_rule(q_test, t), y_test)


def _worst_threshold(q_val, y_val, q_test, y_test):  # np.argmin: the worst t
    scores = [balanced_accuracy(y_val, _rule(q_val, t)) for t in THRESHOLDS]
    t = THRESHOLDS[int(np.argmin(scores))]
    return t, balanced_accuracy(y_test, _rule(q_test, t))


def _roles_swapped(q_val, y_val, q_test, y_test):  # chosen on test, reported on validation
    t = _best(q_test, y_test)
    return t, balanced_accuracy(y_val, _rule(q_val, t))


def _half_rule(q_val, y_val, q_test, y_test):  # no threshold chosen at all
    return 0.5, balanced_accuracy(y_test, _rule(q_test, 0.5))


def _reports_recall(q_val, y_val, q_test, y_test):
    t = _best(q_val, y_val)
    return t, float(np.mean(_rule(q_test, t)[y_test == 1]))


def _chosen_on_both(q_val, y_val, q_test, y_test):
    q, y = np.concatenate([q_val, q_test]), np.concatenate([y_val, y_test])
    t = _best(q, y)
    return t, balanced_accuracy(y_test, _rule(q_test, t))


def _score_only(q_val, y_val, q_test, y_test):  # the right score, without its t
    return _threshold_report(q_val, y_val, q_test, y_test)[1]


def _threshold_only(q_val, y_val, q_test, y_test):  # the right t, without its score
    return _threshold_report(q_val, y_val, q_test, y_test)[0]


def _last_of_ties(q_val, y_val, q_test, y_test):  # ties broken towards the largest t
    scores = np.array([balanced_accuracy(y_val, _rule(q_val, t)) for t in THRESHOLDS])
    t = THRESHOLDS[np.flatnonzero(scores == scores.max())[-1]]
    return t, balanced_accuracy(y_test, _rule(q_test, t))


def _reversed_pair(q_val, y_val, q_test, y_test):  # both right, in the wrong order
    t, score = _threshold_report(q_val, y_val, q_test, y_test)
    return score, t


def _scores(n, seed):
    """P(minority) and labels of ``n`` points, 10 % minority, probabilities honest."""
    rng = np.random.default_rng(seed)
    logit = rng.normal(-3.2, 1.6, size=n)
    p = 1 / (1 + np.exp(-logit))
    y = (rng.random(n) < p).astype(int)
    return np.round(p, 4), y


_P_VAL, _Y_VAL = _scores(600, 110)
# Probabilities on only three levels: every t from 0.06 to 0.30 makes the same validation
# rule, a tie the question breaks towards the first (0.06); on the test points they differ.
_P_TIE_VAL = np.repeat([0.05, 0.3, 0.6], [40, 10, 10])
_Y_TIE_VAL = np.array([0] * 36 + [1] * 4 + [0] * 4 + [1] * 6 + [0] * 2 + [1] * 8)
_P_TIE_TEST = np.repeat([0.05, 0.1, 0.2, 0.3, 0.6], [30, 10, 10, 5, 5])
_Y_TIE_TEST = np.array(
    [0] * 28 + [1] * 2 + [0] * 6 + [1] * 4 + [0] * 7 + [1] * 3 + [1] * 5 + [1] * 5
)
_P_TEST, _Y_TEST = _scores(600, 111)
_P_VAL2, _Y_VAL2 = _scores(300, 112)
_P_TEST2, _Y_TEST2 = _scores(400, 113)

W_MAJ, W_MIN = 1.0, 4.0
EPS_TARGET, C_TARGET = 0.1, 4
EPS_CAP, C_CAP = 0.2, 5

EXERCISES = [
    Exercise(
        name="q1",
        prompt=(
            "On the 95:5 data, the plain model's P(minority) is honest (its mean on the "
            "validation points, 0.051, matches the minority's share, 0.050, and its reliability "
            "bars sit on the diagonal), yet the 0.5 "
            "rule finds only about half of the minority validation points. Why? (a) "
            "cross-entropy ignores a rare class: its few examples add little to the mean loss, "
            "so the model never learns where it lies; (b) where the classes overlap, an honest "
            "P(minority) is mostly below 0.5 (3 in 10 points at 0.3 are minority), so the 0.5 "
            "rule calls them majority; (c) the model is undertrained: more epochs of "
            "gradient descent would push the minority points' probabilities above the 0.5 "
            "threshold; (d) the probabilities must be wrong after all, since a correct model "
            "would give every minority point a P(minority) above 0.5. Answer 'a', 'b', 'c' or "
            "'d'."
        ),
        answer="b",
        kind="choice",
        hints=[
            "Picture many points at the same x where the true P(minority | x) is 0.3. What does "
            "a perfect model say for them, and what does the 0.5 rule then decide?"
        ],
        worked_solution=(
            "(b). Cross-entropy makes the model estimate P(minority | x); near the boundary of "
            "a 95:5 problem that probability is honest and small (0.1, 0.3, …). The 0.5 rule "
            "labels all those points majority, so it misses every minority point among them. "
            "A lower threshold (0.05 for balanced accuracy) finds them, with the same model."
        ),
        misconceptions=[
            (
                "a",
                "The loss does learn the rare class: its P(minority) is right on average (0.051 "
                "against a share of 0.050) and in every reliability bin. A small class makes "
                "P(minority) small where the classes overlap, and then the 0.5 rule says "
                "'majority'. The miss is in the decision rule, not in the loss.",
            ),
            (
                "c",
                "The model has converged (its training loss fell by only 1.7e-05 over the last "
                "50 epochs), and training longer cannot help: for a point where 3 in 10 are "
                "minority, the right probability IS 0.3. Pushing it above 0.5 would make the "
                "probabilities wrong; move the threshold instead.",
            ),
            (
                "d",
                "A correct model gives P(minority | x) = the true share of minority points at "
                "x, which is below 0.5 wherever majority points are more common, as they are "
                "almost everywhere at 95:5. Honest probabilities and the 0.5 rule together "
                "miss the minority.",
            ),
        ],
        explanation=(
            "Right: cross-entropy estimates P(minority | x), honestly; the 0.5 rule then turns "
            "every probability below 0.5 into 'majority', and here about half of the minority "
            "points (227 of 500 on validation) have such probabilities. Lowering the threshold finds them with "
            "the same model."
        ),
        tags=("explain-why",),
    ),
    Exercise(
        name="q2",
        prompt=(
            "Debug this: threshold_report(q_val, y_val, q_test, y_test) in the notebook should "
            "choose the threshold t on the validation points (the t in 0.01, 0.02, …, 0.99 with "
            "the best balanced accuracy of the rule q ≥ t; the first one if several tie) and "
            "return (t, the balanced accuracy of that rule on the test points). It reports a "
            "number that is too good. Write the fixed function; it gets 1-D arrays (the "
            "model's P(minority) and the 0/1 labels of the validation and the test points)."
        ),
        answer=_threshold_report,
        kind="function",
        test_inputs=[
            (_P_VAL, _Y_VAL, _P_TEST, _Y_TEST),
            (_P_VAL2, _Y_VAL2, _P_TEST2, _Y_TEST2),
            (_P_TIE_VAL, _Y_TIE_VAL, _P_TIE_TEST, _Y_TIE_TEST),
        ],
        hints=[
            "Which points does the broken function use to pick t? Which points should only "
            "ever be used to report?",
            "Two jobs, two sets of points: one job chooses t, the other reports how well the "
            "chosen rule does. Which set does the broken function give each job?",
        ],
        worked_solution=(
            "def threshold_report(q_val, y_val, q_test, y_test):\n"
            "    thresholds = np.round(np.arange(0.01, 1.0, 0.01), 2)\n"
            "    scores = [xl.metrics.balanced_accuracy(y_val, (q_val >= t).astype(int)) for t in thresholds]\n"
            "    t = thresholds[np.argmax(scores)]\n"
            "    return t, xl.metrics.balanced_accuracy(y_test, (q_test >= t).astype(int))\n"
            "# The test points are used once, to report the rule the validation points chose."
        ),
        misconceptions=[
            (
                _chosen_on_test,
                "Still the bug: you choose t on the test points and report the test score of "
                "that very t. The test set then took part in the choice, so its number "
                "flatters the rule (it is the best of 99 tries on those points). Choose t on "
                "(q_val, y_val); use the test points only to report.",
            ),
            (
                _reports_validation,
                "You choose t on validation (right), but you report the validation balanced "
                "accuracy: the number that t was chosen to maximise, so on average it flatters too. "
                "Report the balanced accuracy of that rule on the test points.",
            ),
            (
                _chosen_by_accuracy,
                "You choose t by plain accuracy. On imbalanced data accuracy is best near the "
                "0.5 rule, which misses the minority; the question asks for the best balanced "
                "accuracy (the mean of the two recalls).",
            ),
            (
                _accuracy_throughout,
                "You choose t by plain accuracy and report plain accuracy. On imbalanced data "
                "accuracy is best near the 0.5 rule, which misses the minority, and it scores "
                "'never the minority' highly; the question asks for balanced accuracy (the "
                "mean of the two recalls), xl.metrics.balanced_accuracy, for both.",
            ),
            (
                _chosen_on_both,
                "You choose t on the validation and test points together: the test points "
                "still take part in the choice. Choose on validation alone.",
            ),
            (
                _strict_rule,
                "Almost: you use the rule q > t, but the question (like the lesson and the "
                "explorer) uses q ≥ t, minority when q is at least t. Probabilities that "
                "equal a threshold are decided differently.",
            ),
            (
                _score_only,
                "Your test balanced accuracy is right, but you returned only that number: the "
                "function must return both, the chosen threshold and the score, as the pair "
                "(t, score).",
            ),
            (
                _threshold_only,
                "Your threshold is right, but you returned only t: the function must return "
                "the pair (t, score), t and the balanced accuracy of the rule q ≥ t on the "
                "test points.",
            ),
            (
                _last_of_ties,
                "Almost: when several thresholds tie for the best validation score, you keep "
                "the last (largest) one; the question asks for the first (np.argmax returns "
                "the first maximum).",
            ),
            (
                _reversed_pair,
                "Both numbers are right, but in the wrong order: you returned (score, t). "
                "The function must return (t, score), the threshold first.",
            ),
            (
                _worst_threshold,
                "np.argmin picks the threshold with the *worst* validation balanced accuracy: "
                "use np.argmax.",
            ),
            (
                _roles_swapped,
                "You swapped the two sets: t is chosen on the test points and the score is "
                "reported on validation. Choose on (q_val, y_val), report on (q_test, y_test).",
            ),
            (
                _half_rule,
                "You keep the 0.5 rule and never choose a threshold: compute the validation "
                "balanced accuracy of every t and keep the best.",
            ),
            REVERSED_THRESHOLD(
                _reversed_rule,
                "The question (like the lesson) uses q ≥ t: minority when q is at least t.",
            ),
            (
                _swapped_metric_arguments,
                "You call balanced_accuracy(predictions, labels): the true labels come first, "
                "balanced_accuracy(y_true, y_pred), as in scikit-learn. Swapped, it averages "
                "over the predicted classes instead of the true ones.",
            ),
            (
                _reports_recall,
                "You report the minority's recall on the test points; the question asks for "
                "the balanced accuracy (the mean of the two classes' recalls) of that rule.",
            ),
        ],
        tags=("debug",),
    ),
    Exercise(
        name="q3",
        fraction=True,
        prompt=(
            f"A model is trained with class weights w₀ = {W_MAJ:g} (majority) and "
            f"w₁ = {W_MIN:g} (minority) and then uses the 0.5 rule. Suppose it and a plain "
            "model both reach the probabilities their losses aim for (the data's true "
            "P(minority | x) for the plain model). Which threshold t on the plain model's "
            "P(minority) makes exactly the same decisions?"
        ),
        answer=W_MAJ / (W_MAJ + W_MIN),
        hints=[
            "First find the q the weighted loss aims for when the true P(minority | x) is p: "
            "minimise w₁p·(−ln q) + w₀(1 − p)·(−ln(1 − q)) over q, or take it from the lesson.",
            "The weighted model says 'minority' when its q is above ½. The plain model's q is p "
            "itself: find the p at which the weighted model's q is exactly ½.",
        ],
        worked_solution=(
            "q = ½ exactly when w₁p = w₀(1 − p), that is p = w₀ / (w₀ + w₁) = 1 / (1 + 4) = 0.2. "
            "The weighted model's 0.5 rule is the plain model's threshold 0.2: weighting by 4 "
            "adds ln 4 to the logit, which moves the decision point from odds 1 to odds 1/4."
        ),
        misconceptions=[
            (
                W_MIN / (W_MAJ + W_MIN),
                "Inverted: weighting the minority up makes the model say 'minority' more "
                "readily, so the matching threshold on the plain model is below 0.5: "
                "w₀ / (w₀ + w₁), not w₁ / (w₀ + w₁).",
            ),
            (
                W_MAJ / W_MIN,
                "w₀ / w₁ = 1/4 is the decision point as odds, p / (1 − p) = 1/4; as a "
                "probability it is p = 1/4 / (1 + 1/4) = w₀ / (w₀ + w₁).",
            ),
            (
                0.05,
                "0.05 is the lesson's answer for balanced weights, w₁/w₀ = 19. Here "
                "w₁/w₀ = 4: the matching threshold is w₀ / (w₀ + w₁).",
            ),
            (
                W_MIN / W_MAJ,
                "w₁/w₀ = 4 is the ratio of the weights, not a threshold: the matching threshold "
                "is a probability, the p at which the weighted model's q reaches ½.",
            ),
            (
                0.5,
                "The weights change where the weighted model puts its probabilities (its logit "
                "is the plain one plus ln(w₁/w₀)), so its 0.5 rule is not the plain model's "
                "0.5 rule. Find the p at which w₁p / (w₁p + w₀(1 − p)) = ½.",
            ),
        ],
    ),
    Exercise(
        name="q4",
        fraction=True,
        prompt=(
            f"Label smoothing ε = {EPS_TARGET:g} (PyTorch's convention: the target "
            f"(1 − ε)·onehot + ε/C) on a problem with C = {C_TARGET} classes. An example's "
            "true class is class 2. What target probability does class 0 get?"
        ),
        answer=EPS_TARGET / C_TARGET,
        hints=[
            "Read PyTorch's formula term by term for class 0, which is not the true class: which of its two terms reaches class 0?",
            "Write the whole smoothed target for C = 4 and true class 2, entry by entry, from the formula; then read off class 0.",
        ],
        worked_solution=(
            "Every class gets ε/C = 0.1/4 = 0.025 from the uniform part; only the true class "
            "also keeps (1 − ε)·1. So class 0 gets 0.025 and class 2 gets 0.9 + 0.025 = 0.925; "
            "the four entries sum to 1."
        ),
        misconceptions=[
            (
                EPS_TARGET / (C_TARGET - 1),
                "That is ε/(C − 1), the convention that spreads ε over the other classes only "
                "(some papers use it). PyTorch and Keras spread ε over all C classes: "
                "(1 − ε)·onehot + ε/C.",
            ),
            (
                EPS_TARGET,
                "ε is the total mass taken from the one-hot target and spread over all C "
                "classes: each class gets ε/C.",
            ),
            (
                0.0,
                "That is the one-hot target. Label smoothing gives every class, including "
                "the wrong ones, ε/C.",
            ),
            (
                EPS_TARGET * (C_TARGET - 1) / C_TARGET,
                "That is ε·(C − 1)/C, what the C − 1 wrong classes get together. The question "
                "asks for one of them, class 0: ε/C.",
            ),
            (
                1 - EPS_TARGET + EPS_TARGET / C_TARGET,
                "That is the true class's entry, (1 − ε) + ε/C. Class 0 is a wrong class.",
            ),
            (
                1 - EPS_TARGET,
                "1 − ε is what the true class keeps of its one-hot mass. Class 0 is a wrong "
                "class: it gets only its share of the uniform part, ε/C.",
            ),
            (
                1 / C_TARGET,
                "1/C is the whole uniform distribution; smoothing mixes in only ε of it, so "
                "each class gets ε · (1/C) = ε/C from it.",
            ),
        ],
    ),
    Exercise(
        name="q5",
        fraction=True,
        prompt=(
            f"A 5-class model is trained with label smoothing ε = {EPS_CAP:g} (PyTorch's "
            "convention). Each example's smoothed loss is smallest at one prediction q. What "
            "is the largest entry of that q, the highest confidence the loss rewards?"
        ),
        answer=1 - EPS_CAP + EPS_CAP / C_CAP,
        hints=[
            "The smoothed loss of one example is H(t, q) = H(t) + KL(t ‖ q). For which q is "
            "it smallest?",
            "KL(t ‖ q) is never negative, and 0 only at one q. Which q is that, and what does PyTorch's smoothing convention make of a 5-class one-hot target?",
        ],
        worked_solution=(
            "H(t, q) = H(t) + KL(t ‖ q) is smallest at q = t (Gibbs' inequality). The "
            "target's top entry is 1 − ε + ε/C = 0.8 + 0.04 = 0.84; pushing the predicted "
            "class above 0.84 raises the loss."
        ),
        misconceptions=[
            (
                1 - EPS_CAP,
                "You forgot the ε/C that the true class gets back from the uniform part: "
                "1 − ε + ε/C.",
            ),
            (
                1 - EPS_CAP / C_CAP,
                "1 − ε/C is not a smoothed entry: the true class keeps 1 − ε of the one-hot "
                "mass and gets ε/C back: 1 − ε + ε/C.",
            ),
            (
                1 - EPS_CAP / 2,
                "1 − ε/2 is the two-class answer. With C = 5 the true class gets back ε/5: "
                "1 − ε + ε/C.",
            ),
            (
                EPS_CAP / C_CAP,
                "ε/C is the target of each *wrong* class. The question asks for the top "
                "entry, the true class's: 1 − ε + ε/C.",
            ),
            (
                1 - EPS_CAP + EPS_CAP / (C_CAP - 1),
                "You added ε/(C − 1) = 0.05, the share of the convention that spreads ε over "
                "the other classes only (q4's trap; in it the true class gets no share and "
                "keeps 1 − ε = 0.8). PyTorch spreads ε over all C classes, the true one "
                "included: 1 − ε + ε/C.",
            ),
            (
                EPS_CAP,
                "ε is the mass taken from the true class and spread over all C classes; the top "
                "entry is what the true class keeps and gets back: 1 − ε + ε/C.",
            ),
            (
                1.0,
                "With smoothing the target is not one-hot, so the loss is smallest below 1: "
                "at the smoothed target, whose top entry is 1 − ε + ε/C.",
            ),
        ],
    ),
    Exercise(
        name="q6",
        prompt=(
            "Temperature scaling fitted on validation lowered a model's test NLL and ECE. What "
            "did it do to the test accuracy? (a) it raised it: a better-calibrated model makes "
            "fewer mistakes on the test set; (b) it lowered it: softer probabilities are less "
            "often right than confident ones; (c) it changed only the predictions near the "
            "decision boundary, where a small change flips the argmax; (d) nothing: dividing an "
            "example's logits by one T > 0 keeps their order, so every argmax stays. Answer "
            "'a', 'b', 'c' or 'd'."
        ),
        answer="d",
        kind="choice",
        hints=["If z₁ > z₂, is z₁/T > z₂/T for every T > 0? What does that say about the argmax?"],
        worked_solution=(
            "(d). For T > 0, z_i/T > z_j/T exactly when z_i > z_j, so argmax(z/T) = argmax(z) "
            "for every example: the predictions, and the accuracy, do not change. Only the "
            "confidence does, which is what NLL and ECE measure."
        ),
        misconceptions=[
            (
                "a",
                "Calibration and accuracy are different things: T changes how sure the model "
                "is, not which class it picks. argmax(z/T) = argmax(z) for T > 0, so every "
                "prediction, right or wrong, stays as it was.",
            ),
            (
                "b",
                "Softer probabilities still have the same largest entry: dividing by T > 0 "
                "keeps the order of the logits, so no prediction changes and the accuracy is "
                "the same.",
            ),
            (
                "c",
                "Even at the boundary the order of the logits is kept: if z₁ > z₂ then "
                "z₁/T > z₂/T for every T > 0. (For two classes the boundary is z₁ = z₂, which "
                "T does not move.) Only a change that treats the classes differently (a "
                "separate shift or scale per class), or a negative T, could flip a prediction.",
            ),
        ],
        explanation=(
            "Right: one positive number divides every logit of an example, so their order, "
            "the argmax and the accuracy are all unchanged; the notebook checked it on every "
            "test example at 50 temperatures."
        ),
        tags=("explain-why",),
    ),
]
