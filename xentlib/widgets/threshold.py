r"""Threshold explorer: move the decision threshold on P(minority); watch recall, precision
and the confusion matrix change.

A classifier trained with cross-entropy *estimates* P(minority | x); a *decision rule* turns
that into a label: "minority when P(minority | x) ≥ t". The usual rule, argmax, is t = 0.5.
On imbalanced data it finds few of the minority examples; lowering t finds more of them
(recall rises) at the price of more false alarms (precision falls). The model, and so its
loss, is the same at every t: only the decisions change.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D

from .. import plotting
from .._validation import as_float_array, check_labels, check_number
from ..datasets import make_imbalanced, train_test_split
from ..metrics import precision_recall_curve
from ..models import SoftmaxRegression
from ._explorer import Explorer, button, new_figure, slider

FIGURE_TEXT = (
    "Figure: left, minority recall, precision, majority recall and balanced accuracy "
    "against the threshold t, a vertical line at the current t; middle, the "
    "precision-recall curve with a dot at t; right, the confusion matrix at t."
)
T_MIN, T_MAX, T_STEP = 0.01, 0.99, 0.01
GRID = np.linspace(0.0, 1.0, 401)  # where the curves against the threshold are drawn
CLASS_NAMES = ("majority", "minority")


@functools.lru_cache(maxsize=1)
def imbalanced_model():
    """Lesson 11's plain model and its validation points: P(minority) and the labels.

    The data: ``make_imbalanced(40000, ratio=(0.95, 0.05), spread=2.0, seed=0)``, split
    (stratified, seed 0) into a test quarter (10000 points) and, of the rest, a validation
    third (10000) and training two thirds (20000, of them 1000 in the minority class). The
    model: ``SoftmaxRegression(lr=0.5, epochs=300, seed=0)`` (logistic regression, trained
    with plain cross-entropy) fitted on the training points. Returns ``(probs, y)``: its
    P(minority) on the 10000 validation points (500 of them minority) and their labels.
    """
    X, y = make_imbalanced(40000, ratio=(0.95, 0.05), spread=2.0, seed=0)
    X_rest, _, y_rest, _ = train_test_split(X, y, test_size=0.25, seed=0)
    X_train, X_val, y_train, y_val = train_test_split(X_rest, y_rest, test_size=1 / 3, seed=0)
    model = SoftmaxRegression(lr=0.5, epochs=300, seed=0).fit(X_train, y_train)
    return model.predict_proba(X_val)[:, 1], y_val


def _counts(flagged, positive):
    tp = int(np.count_nonzero(flagged & positive))
    fp = int(np.count_nonzero(flagged & ~positive))
    fn = int(np.count_nonzero(~flagged & positive))
    tn = int(np.count_nonzero(~flagged & ~positive))
    return tp, fp, fn, tn


def threshold_state(probs, y, threshold: float = 0.5) -> dict:
    r"""The rule "minority when P(minority) ≥ t" on labelled points (pure).

    .. math::
        \mathrm{recall} = \frac{TP}{TP + FN}, \quad
        \mathrm{precision} = \frac{TP}{TP + FP}, \quad
        \text{balanced accuracy} = \tfrac12\Big(\frac{TP}{TP + FN} + \frac{TN}{TN + FP}\Big)

    ``probs`` holds P(minority) per point, ``y`` the labels (1 = minority). Returns
    ``confusion`` (2 × 2, rows the true class, columns the predicted one, as
    :func:`~xentlib.metrics.confusion_matrix`), ``recall`` (of the minority),
    ``majority_recall``, ``precision`` (of the minority; NaN when nothing is flagged),
    ``balanced_accuracy``, ``accuracy`` and ``flagged`` (how many points are called
    minority).

    >>> s = threshold_state(np.array([0.1, 0.4, 0.6, 0.9]), np.array([0, 1, 0, 1]), 0.5)
    >>> s["confusion"].tolist(), s["recall"], s["precision"], s["balanced_accuracy"]
    ([[1, 1], [1, 1]], 0.5, 0.5, 0.5)
    >>> threshold_state(np.array([0.1, 0.4, 0.6, 0.9]), np.array([0, 1, 0, 1]), 0.3)["recall"]
    1.0
    """
    probs, y = np.asarray(probs, dtype=float), np.asarray(y)
    flagged, positive = probs >= threshold, y == 1
    tp, fp, fn, tn = _counts(flagged, positive)
    recall, majority_recall = tp / max(tp + fn, 1), tn / max(tn + fp, 1)
    return {
        "threshold": float(threshold),
        "confusion": np.array([[tn, fp], [fn, tp]]),
        "recall": recall,
        "majority_recall": majority_recall,
        "precision": tp / (tp + fp) if tp + fp else float("nan"),
        "balanced_accuracy": (recall + majority_recall) / 2,
        "accuracy": (tp + tn) / probs.size,
        "flagged": tp + fp,
    }


def threshold_curves(probs, y) -> dict:
    """Minority recall, majority recall, precision and balanced accuracy at every threshold
    of :data:`GRID` (NaN precision where nothing is flagged), the precision-recall curve
    (:func:`~xentlib.metrics.precision_recall_curve`), and ``best``: the threshold on the
    slider's grid with the highest balanced accuracy (the first, if several tie)."""
    probs, y = np.asarray(probs, dtype=float), np.asarray(y)
    ranked = np.sort(probs)
    minority = np.sort(probs[y == 1])
    n_pos, n_neg = minority.size, probs.size - minority.size

    def flagged_at(sorted_values, thresholds):  # how many values are ≥ each threshold
        return sorted_values.size - np.searchsorted(sorted_values, thresholds, side="left")

    tp = flagged_at(minority, GRID)
    fp = flagged_at(ranked, GRID) - tp
    recall, majority_recall = tp / n_pos, 1 - fp / n_neg
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = np.where(tp + fp > 0, tp / np.maximum(tp + fp, 1), np.nan)
    slider_grid = np.round(np.arange(T_MIN, T_MAX + T_STEP / 2, T_STEP), 2)
    tp_s = flagged_at(minority, slider_grid)
    fp_s = flagged_at(ranked, slider_grid) - tp_s
    balanced = (tp_s / n_pos + 1 - fp_s / n_neg) / 2
    pr_precision, pr_recall, _ = precision_recall_curve(y, probs)
    return {
        "grid": GRID,
        "recall": recall,
        "majority_recall": majority_recall,
        "precision": precision,
        "balanced_accuracy": (recall + majority_recall) / 2,
        "pr_precision": pr_precision,
        "pr_recall": pr_recall,
        "best": float(slider_grid[np.argmax(balanced)]),
    }


def check_scores(probs, y) -> tuple[np.ndarray, np.ndarray]:
    """``probs``: P(minority) per point, shape (n,), or (n, 2) probabilities (column 1 is
    used); ``y``: 0/1 labels with both classes present. Returns both as 1-D arrays."""
    probs = as_float_array(probs, "probs")
    if probs.ndim == 2 and probs.shape[1] == 2:
        probs = probs[:, 1]
    if probs.ndim != 1:
        raise ValueError(
            "probs must be P(minority) for each point, shape (n_samples,), or a model's "
            f"predict_proba output of shape (n_samples, 2); got shape {probs.shape}."
        )
    if not np.all(np.isfinite(probs)) or probs.min() < 0 or probs.max() > 1:
        bad = probs[~(np.isfinite(probs) & (probs >= 0) & (probs <= 1))][0]
        raise ValueError(
            f"probs must be probabilities between 0 and 1, but it contains {bad:g}; for "
            "logits z pass sigmoid(z) (or softmax(z)[:, 1])."
        )
    y = check_labels(y, probs.size, name="y", rows_of="probs")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError(
            f"y must hold 0/1 labels (1 = the minority class), but it contains "
            f"{int(y[(y != 0) & (y != 1)][0])}."
        )
    if y.min() == y.max():
        raise ValueError(
            f"y holds only the label {int(y[0])}: recall and precision need points of both "
            "classes, 0 (majority) and 1 (minority)."
        )
    return probs, y


@dataclass(frozen=True)
class Artists:
    """What :func:`build` made: the figure and the artists :func:`draw` moves."""

    figure: Figure
    marker: Line2D  # the threshold, in the left panel
    dots: Line2D  # the four curves at the threshold
    pr_point: Line2D  # the current rule on the precision-recall curve
    image: AxesImage  # the confusion matrix, each row shaded by its share
    cells: list  # the four count texts of the confusion matrix, row by row

    @property
    def animated(self) -> list:
        return [self.marker, self.dots, self.pr_point, self.image, *self.cells]


CURVES = {  # key → (label, colour, line style)
    "recall": ("minority recall", "orange", "-"),
    "majority_recall": ("majority recall", "blue", "-."),
    "precision": ("minority precision", "green", "--"),
    "balanced_accuracy": ("balanced accuracy", "black", ":"),
}


def build(curves: dict, start: dict, *, judged_on: str) -> Artists:
    """Three panels: the four curves against t, the precision-recall curve, the confusion
    matrix at t. ``judged_on`` names the points (in the first panel's title)."""
    fig = new_figure(figsize=(9.4, 3.8))
    ax_t, ax_pr, ax_cm = fig.subplots(1, 3, width_ratios=(1.25, 1, 0.8))
    for key, (label, colour, style) in CURVES.items():
        ax_t.plot(
            curves["grid"], curves[key], style, color=plotting.PALETTE[colour], lw=2, label=label
        )
    ax_t.axvline(0.5, color="grey", lw=1, ls=":")
    marker = ax_t.axvline(start["threshold"], color=plotting.PALETTE["vermillion"], lw=2)
    (dots,) = ax_t.plot([], [], "o", color=plotting.PALETTE["vermillion"], ms=5)
    ax_t.set(xlim=(0, 1), ylim=(0, 1.3), xlabel="threshold t on P(minority)", ylabel="rate")
    ax_t.set_yticks(np.linspace(0, 1, 6))
    ax_t.set_title(f"P(minority) ≥ t, on {judged_on}", fontsize=10)
    ax_t.legend(loc="upper center", ncol=2, fontsize=10, handlelength=2.5)

    ax_pr.plot(curves["pr_recall"], curves["pr_precision"], color=plotting.PALETTE["purple"], lw=2)
    (pr_point,) = ax_pr.plot([], [], "o", color=plotting.PALETTE["vermillion"], ms=8)
    ax_pr.set(xlim=(0, 1.02), ylim=(0, 1.02), xlabel="minority recall", ylabel="minority precision")
    ax_pr.set_title("precision-recall curve", fontsize=10)

    image = plotting.confusion_heatmap(start["confusion"], labels=CLASS_NAMES, ax=ax_cm)
    ax_cm.set_title("confusion matrix at t", fontsize=10)
    ax_cm.set_yticks([0, 1], CLASS_NAMES, rotation=90, va="center")
    return Artists(fig, marker, dots, pr_point, image, list(ax_cm.texts))


def draw(artists: Artists, state: dict) -> bool:
    """Move the threshold marks and refill the confusion matrix (nothing static: False)."""
    t = state["threshold"]
    artists.marker.set_xdata([t, t])
    values = [state[key] for key in CURVES]
    artists.dots.set_data([t] * len(values), values)
    precision = state["precision"]
    artists.pr_point.set_data([state["recall"]], [1.0 if np.isnan(precision) else precision])
    cm = state["confusion"]
    share = cm / np.maximum(cm.sum(axis=1, keepdims=True), 1)
    artists.image.set_data(share)
    for text, count, fraction in zip(artists.cells, cm.ravel(), share.ravel(), strict=True):
        text.set_text(str(count))
        text.set_color("white" if fraction > 0.6 else "black")
    return False


def describe(state: dict) -> str:
    """The readout: recall and precision of the minority, majority recall, balanced accuracy."""
    cm = state["confusion"]
    precision = state["precision"]
    shown = "undefined (nothing flagged)" if np.isnan(precision) else f"{precision:.3f}"
    return (
        f"t = {state['threshold']:.2f}: <b>minority recall {state['recall']:.3f}</b> "
        f"({cm[1, 1]} of {cm[1].sum()}), <b>precision {shown}</b> "
        f"({state['flagged']} flagged); majority recall {state['majority_recall']:.3f}; "
        f"balanced accuracy {state['balanced_accuracy']:.3f}, accuracy {state['accuracy']:.3f}"
    )


def threshold_explorer(probs=None, y=None, *, threshold: float = 0.5) -> Explorer:
    """Move the threshold t of the rule "minority when P(minority) ≥ t"; watch recall,
    precision, the precision-recall curve and the confusion matrix.

    With no arguments the explorer shows lesson 11's plain model on its 10000 validation
    points (:func:`imbalanced_model`). Pass your own ``probs`` (P(minority) per point,
    shape (n,), or ``predict_proba`` output of shape (n, 2)) and 0/1 labels ``y``; choose t
    on validation points, never on the test points you report. Controls: ``threshold``
    (0.01 to 0.99) and a button that sets t to the grid value with the best balanced
    accuracy on these points. State: see :func:`threshold_state`, plus ``best`` (that
    threshold).
    """
    if (probs is None) != (y is None):
        raise ValueError("pass both probs and y, or neither (to use the built-in model).")
    if probs is None:
        probs, y = imbalanced_model()
        judged_on = "10000 validation points"
    else:
        judged_on = "these points"
    probs, y = check_scores(probs, y)
    threshold = check_number(
        threshold, "threshold", example=0.5, low=T_MIN, high=T_MAX, fix="0.5 is the argmax rule."
    )
    curves = threshold_curves(probs, y)
    controls = {
        "threshold": slider("threshold t", threshold, T_MIN, T_MAX, T_STEP, width="360px"),
        "best": button(
            "best balanced accuracy",
            tooltip="set t to the threshold with the highest balanced accuracy on these points",
        ),
    }

    def compute(threshold):
        return {**threshold_state(probs, y, threshold), "best": curves["best"]}

    start = compute(threshold)
    artists = build(curves, start, judged_on=judged_on)
    explorer = Explorer(
        "Threshold explorer",
        controls,
        compute,
        artists.figure,
        functools.partial(draw, artists),
        describe,
        animated=artists.animated,
        figure_text=FIGURE_TEXT,
    )

    def on_best(_button):
        controls["threshold"].value = curves["best"]

    controls["best"].on_click(on_best)
    return explorer
