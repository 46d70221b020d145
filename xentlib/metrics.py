"""Classification metrics: accuracy, confusion matrix, per-class recall and precision, the
precision-recall curve, calibration, and Keras's binary accuracy (to show what it really
measures).

>>> accuracy([0, 1, 1], [0, 1, 0])
0.6666666666666666
>>> confusion_matrix([0, 1, 1], [0, 1, 0]).tolist()
[[1, 0], [1, 1]]
"""

from __future__ import annotations

import warnings

import numpy as np

from ._validation import (
    as_array,
    as_float_array,
    check_class_indices,
    check_class_probs,
    check_finite,
    check_labels,
    check_logits,
    check_no_nan,
    check_number,
    check_probabilities,
)
from .losses import cross_entropy


def _pair(y_true, y_pred):
    y_true, y_pred = check_labels(y_true, name="y_true"), check_labels(y_pred, name="y_pred")
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"y_true and y_pred must have the same length, got {y_true.size} and {y_pred.size}."
        )
    if y_true.size == 0:
        raise ValueError("y_true is empty: there is nothing to score.")
    return y_true, y_pred


def accuracy(y_true, y_pred) -> float:
    """The fraction of predictions equal to the true label."""
    y_true, y_pred = _pair(y_true, y_pred)
    return float(np.mean(y_true == y_pred))


MAX_CELLS = 10**7  # 80 MB of counts: a confusion matrix no lesson needs more of


def confusion_matrix(y_true, y_pred, *, n_classes=None) -> np.ndarray:
    """``C[i, j]`` = number of examples of true class ``i`` predicted as ``j``.

    The labels must be class indices 0 … n_classes − 1 (the matrix has a row and a column
    for each): a label of 100000 would make 10**10 cells, so matrices of more than
    ``MAX_CELLS`` (10**7) cells are refused with the fix (encode the labels)."""
    y_true, y_pred = _pair(y_true, y_pred)
    for name, labels in (("y_true", y_true), ("y_pred", y_pred)):
        if labels.min() < 0:
            raise ValueError(
                f"{name} contains the negative label {int(labels.min())}; a confusion matrix "
                "needs class labels 0, 1, …, n_classes − 1."
            )
    k = max(int(y_true.max()), int(y_pred.max())) + 1
    if n_classes is None:
        n_classes = k
    n_classes = check_number(n_classes, "n_classes", example=k, low=1, integer=True)
    if n_classes < k:
        raise ValueError(
            f"n_classes={n_classes}, but the labels go up to {k - 1}; pass n_classes ≥ {k}."
        )
    if n_classes**2 > MAX_CELLS:
        name = "y_true" if int(y_true.max()) + 1 == k else "y_pred"
        largest = k - 1 if n_classes == k else None
        what = f"{name} contains the label {largest}, so" if largest is not None else "with"
        raise ValueError(
            f"{what} n_classes = {n_classes}: the confusion matrix would have {n_classes}² = "
            f"{n_classes**2:.3g} cells ({n_classes**2 * 8 / 2**30:.3g} GiB). Its labels must be "
            "class indices 0 … n_classes − 1: encode other labels with "
            "np.unique(np.r_[y_true, y_pred], return_inverse=True)."
        )
    return np.bincount(y_true * n_classes + y_pred, minlength=n_classes**2).reshape(
        n_classes, n_classes
    )


def recall_per_class(y_true, y_pred, *, n_classes=None) -> np.ndarray:
    """For each class, the fraction of its examples that were found (NaN if it has none)."""
    cm = confusion_matrix(y_true, y_pred, n_classes=n_classes)
    support = cm.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(support > 0, np.diag(cm) / np.maximum(support, 1), np.nan)


def precision_per_class(y_true, y_pred, *, n_classes=None) -> np.ndarray:
    r"""For each class, the fraction of the examples *predicted* as it that really are it.

    .. math:: \mathrm{precision}_c = \frac{C_{cc}}{\sum_i C_{ic}}
              = \frac{\text{true positives}}{\text{true positives} + \text{false positives}}

    with ``C`` the :func:`confusion_matrix` (rows: true class, columns: predicted class).
    Recall divides the same diagonal by the row sums (how many of the class were found);
    precision by the column sums (how many of the alarms were right). A class that is never
    predicted has no precision: NaN, as scikit-learn's
    ``precision_score(y_true, y_pred, average=None, zero_division=np.nan)``.

    Parameters
    ----------
    y_true, y_pred : array_like of int, shape (n_samples,)
        True and predicted class labels 0, 1, …
    n_classes : int, optional
        The number of classes (default: the largest label + 1).

    Returns
    -------
    ndarray of shape (n_classes,)

    Examples
    --------
    >>> precision_per_class([0, 0, 0, 1, 1], [0, 1, 1, 1, 0]).tolist()
    [0.5, 0.3333333333333333]
    >>> precision_per_class([0, 1], [0, 0]).tolist()  # class 1 is never predicted
    [0.5, nan]
    """
    cm = confusion_matrix(y_true, y_pred, n_classes=n_classes)
    predicted = cm.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(predicted > 0, np.diag(cm) / np.maximum(predicted, 1), np.nan)


def precision_recall_curve(y_true, scores):
    r"""Precision and recall of the rule "positive when score ≥ t", for every threshold t.

    For each distinct score t (in increasing order), the examples with score ≥ t are
    predicted positive; then

    .. math:: \mathrm{precision}(t) = \frac{TP(t)}{TP(t) + FP(t)}, \qquad
              \mathrm{recall}(t) = \frac{TP(t)}{\#\text{positives}}

    Lowering the threshold finds more positives (recall rises) and usually raises more
    false alarms (precision falls). The same arrays as scikit-learn's
    ``precision_recall_curve(y_true, scores)``: one point per distinct score, and a last
    point (precision 1, recall 0) with no threshold, where nothing is predicted positive.

    Parameters
    ----------
    y_true : array_like of 0 and 1, shape (n_samples,)
        1 marks the positive class (for example the minority class); it must occur.
    scores : array_like, shape (n_samples,)
        Finite scores, larger meaning "more likely positive": typically the predicted
        probability of the positive class, ``probs[:, 1]``.

    Returns
    -------
    precision, recall : ndarray of shape (n_thresholds + 1,)
    thresholds : ndarray of shape (n_thresholds,), increasing

    Examples
    --------
    >>> precision, recall, thresholds = precision_recall_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> thresholds.tolist(), recall.tolist()
    ([0.1, 0.35, 0.4, 0.8], [1.0, 1.0, 0.5, 0.5, 0.0])
    >>> precision.round(3).tolist()
    [0.5, 0.667, 0.5, 1.0, 1.0]
    """
    if y_true is not None and not isinstance(y_true, (str, bytes)):
        y_true = as_array(y_true, "y_true")
        if y_true.dtype == bool:  # (y_true == k), as the error below advises
            y_true = y_true.astype(np.int64)
    y = check_labels(y_true, name="y_true")
    if not np.all((y == 0) | (y == 1)):
        bad = int(y[(y != 0) & (y != 1)][0])
        raise ValueError(
            f"y_true must hold 0/1 labels (1 = the positive class), but it contains {bad}. For "
            "several classes, pass (y_true == k) for the class k you want the curve of."
        )
    if not y.any():
        raise ValueError(
            "y_true has no positive example (no 1), so recall is undefined: a precision-recall "
            "curve needs at least one example of the positive class."
        )
    scores = as_float_array(scores, "scores")
    if scores.shape != y.shape:
        raise ValueError(
            f"scores must have one score per label: shape {y.shape}, got {scores.shape}."
        )
    check_finite(scores, "scores")
    order = np.argsort(scores, kind="mergesort")[::-1]  # highest score first
    ranked, hits = scores[order], y[order]
    last_of_each = np.r_[np.flatnonzero(np.diff(ranked)), ranked.size - 1]
    tps = np.cumsum(hits)[last_of_each]
    fps = last_of_each + 1 - tps
    precision = tps / (tps + fps)
    recall = tps / tps[-1]
    return (
        np.r_[precision[::-1], 1.0],
        np.r_[recall[::-1], 0.0],
        ranked[last_of_each][::-1].copy(),
    )


def balanced_accuracy(y_true, y_pred) -> float:
    """The mean of per-class recalls over the classes present in ``y_true``.

    Unlike accuracy, a model that always predicts the majority class scores 1 / n_classes.
    """
    recalls = recall_per_class(y_true, y_pred)
    return float(np.nanmean(recalls))


def binary_accuracy(y_true, y_pred, *, threshold=0.5) -> float:
    r"""The fraction of *outputs* (not examples) whose thresholded prediction equals its 0/1 label.

    .. math:: \mathrm{binary\_accuracy} = \frac{1}{N C} \sum_{i=1}^{N} \sum_{c=1}^{C}
              \big[\, y_{ic} = [\hat y_{ic} > t] \,\big]

    This mirrors Keras: ``keras.metrics.binary_accuracy(y_true, y_pred, threshold=0.5)``
    compares ``y_pred > threshold`` with ``y_true`` and averages over the last axis, and the
    ``BinaryAccuracy`` metric averages that over the examples, which is the mean over every
    output. Keras 3 picks it for ``metrics=["accuracy"]`` when the model has one output per
    example; Keras 1.x–2.3 picked it for ``loss="binary_crossentropy"`` with any number of
    outputs, and ``metrics=["binary_accuracy"]`` asks for it by name. With C one-hot classes
    it is *not* the accuracy: a model that predicts 0 for every output is right on C − 1 of
    the C outputs of every example, so it scores (C − 1) / C, 0.9 for ten classes, while
    getting no example right.

    Parameters
    ----------
    y_true : array_like of 0 and 1
        Labels, any shape: ``(n_samples,)`` for one binary label, ``(n_samples, n_labels)``
        for several.
    y_pred : array_like
        Predicted probabilities in [0, 1], shaped like ``y_true``.
    threshold : float, default 0.5
        A prediction counts as 1 when it is strictly above ``threshold`` (as in Keras).

    Returns
    -------
    float

    Examples
    --------
    >>> binary_accuracy([[0, 0, 1], [0, 1, 0]], [[0.1, 0.2, 0.3], [0.1, 0.6, 0.2]])
    0.8333333333333334
    >>> binary_accuracy([[0, 0, 1, 0, 0, 0, 0, 0, 0, 0]], [[0.0] * 10])  # predicts nothing
    0.9
    """
    threshold = check_number(
        threshold, "threshold", example=0.5, low=0, high=1, low_open=True, high_open=True
    )
    y_pred = as_float_array(y_pred, "y_pred")
    check_probabilities(
        y_pred,
        "y_pred",
        " binary_accuracy thresholds probabilities; for logits use sigmoid(logits) first "
        "(or compare logits with 0).",
    )
    y_true = as_float_array(y_true, "y_true")
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"y_true has shape {y_true.shape} but y_pred has shape {y_pred.shape}: give one "
            "0/1 label per predicted probability."
        )
    check_no_nan(y_true, "y_true")
    if not np.all((y_true == 0) | (y_true == 1)):
        bad = y_true[(y_true != 0) & (y_true != 1)].ravel()[0]
        raise ValueError(
            f"y_true must hold 0/1 labels, but it contains {float(bad):g}. For class indices "
            "use accuracy(); for one-hot rows pass the rows themselves."
        )
    return float(np.mean(y_true == (y_pred > threshold)))


def _probs_and_labels(y_true, probs):
    probs = as_float_array(probs, "probs")
    if probs.ndim != 2:
        raise ValueError(f"probs must have shape (n_samples, n_classes), got {probs.shape}.")
    check_class_probs(probs)
    y_true = check_labels(y_true, probs.shape[0], name="y_true", rows_of="probs")
    return check_class_indices(y_true, probs.shape[1]), probs


def _bins(n_bins) -> int:
    return check_number(n_bins, "n_bins", example=10, low=1, integer=True)


def _pos_label(pos_label, n_classes):
    if pos_label is None:
        return None
    return check_number(
        pos_label,
        "pos_label",
        example=1,
        low=0,
        high=n_classes - 1,
        integer=True,
        fix="It is the column of probs to judge; None judges the top class of every row.",
    )


def reliability_curve(y_true, probs, *, n_bins=10, pos_label=None):
    """Confidence vs accuracy in equal-width confidence bins (a reliability diagram).

    Returns ``(confidence, accuracy, counts)``, each of shape (n_bins,): the mean confidence
    in each bin, the fraction correct in it (NaN for empty bins), and the count. A
    calibrated model has accuracy ≈ confidence in every bin.

    With ``pos_label=None`` (the default) this is the *top-label* diagram: each
    prediction's confidence is its largest probability, and it is correct when its argmax
    is the label. With ``pos_label=k`` it is the diagram of class k's probability alone:
    the confidence is ``probs[:, k]`` and, in place of the accuracy, each bin gives the
    fraction of its examples whose label is k (scikit-learn's
    ``calibration.calibration_curve``). That is the probability a decision threshold acts
    on, so use it for a rare class.
    """
    y_true, probs = _probs_and_labels(y_true, probs)
    n_bins = _bins(n_bins)
    pos_label = _pos_label(pos_label, probs.shape[1])
    if pos_label is None:
        confidence = probs.max(axis=1)
        correct = probs.argmax(axis=1) == y_true
    else:
        confidence = probs[:, pos_label]
        correct = y_true == pos_label
    bins = np.clip((confidence * n_bins).astype(int), 0, n_bins - 1)
    counts = np.bincount(bins, minlength=n_bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_conf = np.bincount(bins, weights=confidence, minlength=n_bins) / counts
        mean_acc = np.bincount(bins, weights=correct, minlength=n_bins) / counts
    return mean_conf, mean_acc, counts


def expected_calibration_error(y_true, probs, *, n_bins=15, pos_label=None) -> float:
    r"""ECE = Σ_b (n_b / N) · |accuracy_b − confidence_b| over equal-width confidence bins.

    .. math:: \mathrm{ECE} = \sum_b \frac{n_b}{N}\,\bigl\lvert \mathrm{acc}_b
              - \mathrm{conf}_b \bigr\rvert

    With ``pos_label=None`` the bins are those of the top-label reliability diagram (Guo et
    al., 2017); with ``pos_label=k``, those of class k's probability, where
    :math:`\mathrm{acc}_b` is the share of class k in the bin (see
    :func:`reliability_curve`). The top-label version can miss a model that overstates a
    rare class: in one bin, under-confident predictions of the common class and
    over-confident predictions of the rare one cancel.

    Examples
    --------
    >>> probs = [[0.8, 0.2], [0.8, 0.2], [0.8, 0.2], [0.8, 0.2], [0.8, 0.2]]
    >>> round(expected_calibration_error([0, 0, 0, 0, 1], probs), 3)  # 80 % right at 0.8
    0.0
    >>> round(expected_calibration_error([0, 0, 0, 0, 0], probs, pos_label=1), 3)  # 0 % vs 20 %
    0.2
    """
    conf, acc, counts = reliability_curve(y_true, probs, n_bins=n_bins, pos_label=pos_label)
    filled = counts > 0
    return float(np.sum(counts[filled] * np.abs(acc[filled] - conf[filled])) / counts.sum())


def fit_temperature(logits, y, *, bounds=(0.05, 20.0)) -> float:
    """The temperature T > 0 that minimises the mean cross-entropy of ``logits / T`` on ``y``.

    Temperature scaling (Guo et al., 2017): one number, fitted on held-out data, that
    calibrates an over- or under-confident classifier without changing its predictions.
    The NLL is unimodal in log T, so a golden-section search on log T finds the minimum.
    A true class ruled out (a logit of −inf) makes the loss infinite at every T: that is
    an error, not a fit. When the minimum lies at one end of ``bounds`` a RuntimeWarning
    says so (the best T may be beyond it).
    """
    logits = as_float_array(logits, "logits")
    if logits.ndim != 2:
        raise ValueError(f"logits must have shape (n_samples, n_classes), got {logits.shape}.")
    check_logits(logits)
    y = check_labels(y, logits.shape[0], name="y", rows_of="logits")
    y = check_class_indices(y, logits.shape[1], "y")
    ruled_out = np.isneginf(logits[np.arange(len(y)), y])
    if ruled_out.any():
        i = int(np.argmax(ruled_out))
        raise ValueError(
            f"logits gives the true class of sample {i} (y[{i}] = {int(y[i])}) the logit -inf: "
            "its cross-entropy is infinite at every temperature, so no temperature can be "
            f"fitted. Leave out the {int(ruled_out.sum())} sample(s) whose true class is ruled "
            "out, or give it a finite logit."
        )
    try:
        low, high = bounds
    except (TypeError, ValueError):
        raise TypeError(
            f"bounds must be a pair (low, high) such as (0.05, 20.0), got {bounds!r}."
        ) from None
    low = check_number(low, "bounds[0]", example=0.05, low=0, low_open=True)
    high = check_number(
        high,
        "bounds[1]",
        example=20.0,
        low=low,
        low_open=True,
        fix="bounds must be (low, high) with low < high.",
    )
    lo, hi = np.log(low), np.log(high)
    # Shift invariance: z − max z gives the same losses, and dividing it by a small T
    # only ever overflows to −∞ (a class ruled out), never to +∞ (an error). Used only
    # where z / T itself would overflow (finite logits near 1.8e308).
    with np.errstate(over="ignore"):
        overflows = not np.isfinite(logits / low)[np.isfinite(logits)].all()
        if overflows:
            logits = logits - logits.max(axis=1, keepdims=True)

    def nll(log_t):
        with np.errstate(over="ignore"):
            return float(cross_entropy(y, logits=logits / np.exp(log_t)))

    golden = (np.sqrt(5) - 1) / 2
    a, b = lo, hi
    c, d = b - golden * (b - a), a + golden * (b - a)
    fc, fd = nll(c), nll(d)
    while b - a > 1e-6:
        if fc < fd:
            b, d, fd = d, c, fc
            c = b - golden * (b - a)
            fc = nll(c)
        else:
            a, c, fc = c, d, fd
            d = a + golden * (b - a)
            fd = nll(d)
    t = float(np.exp((a + b) / 2))
    if (a + b) / 2 - lo < 1e-4 or hi - (a + b) / 2 < 1e-4:
        end = "lower" if (a + b) / 2 - lo < 1e-4 else "upper"
        warnings.warn(
            f"fit_temperature: the best temperature is at the {end} end of bounds "
            f"{(low, high)}: T = {t:.4g}; the loss may keep falling beyond it. Widen bounds, "
            "or check the logits (all right and confident: T → 0; no better than chance: "
            "T → ∞).",
            RuntimeWarning,
            stacklevel=2,
        )
    return t
