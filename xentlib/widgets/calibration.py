"""Calibration explorer: a temperature on a trained model's logits → reliability, ECE, NLL.

A model is *calibrated* when, among the examples it predicts with confidence 0.8, about
80 % are right. Training with cross-entropy on a small set tends to make a network
overconfident on new data. Dividing its logits by one number T > 1 (*temperature
scaling*) softens every prediction without changing any of them (the argmax is the same).
T is fitted (by minimising the NLL) on a *validation* set and judged on a separate *test*
set, which took no part in choosing it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from .. import plotting
from .._validation import as_float_array, check_labels, check_number
from ..datasets import make_moons, train_test_split
from ..losses import cross_entropy
from ..metrics import expected_calibration_error, fit_temperature, reliability_curve
from ..models import TinyMLP
from ..special import softmax
from ._explorer import Explorer, button, new_figure, slider

FIGURE_TEXT = (
    "Figure: left, a reliability diagram: the accuracy of each confidence bin as a bar "
    "against the dashed diagonal of perfect calibration, the gap to the bin's confidence "
    "hatched; right, the NLL (solid) and the ECE (dashed) against the temperature T, a "
    "black line at the current T."
)
T_MIN, T_MAX = 0.25, 4.0
MIN_BINS, MAX_BINS = 5, 20
TEMPERATURES = np.geomspace(T_MIN, T_MAX, 61)  # where the NLL and ECE curves are drawn


@functools.lru_cache(maxsize=1)
def overconfident_model():
    """A seeded TinyMLP trained on 150 noisy moons, and its logits on 2000 fresh points.

    Returns ``((val_logits, y_val), (test_logits, y_test))``: the fresh points split in two
    halves of 1000 (stratified), a *validation* half to fit a temperature on and a *test*
    half to judge it on. 64 hidden units, 2000 epochs: the network fits its small training
    set hard, so on new points it is overconfident.
    """
    X_train, y_train = make_moons(150, noise=0.35, seed=1)
    X_new, y_new = make_moons(2000, noise=0.35, seed=2)
    X_val, X_test, y_val, y_test = train_test_split(X_new, y_new, test_size=0.5, seed=0)
    model = TinyMLP(hidden=64, lr=1.0, epochs=2000, seed=0).fit(X_train, y_train)
    return (model.decision_function(X_val), y_val), (model.decision_function(X_test), y_test)


def calibration_state(logits, y, temperature: float = 1.0, n_bins: int = 10) -> dict:
    """Reliability diagram, ECE and NLL of ``softmax(logits / T)`` (pure).

    .. math::
        \\mathrm{ECE} = \\sum_b \\frac{n_b}{N}\\,\\lvert \\mathrm{acc}_b - \\mathrm{conf}_b \\rvert,
        \\qquad \\mathrm{NLL} = -\\frac1N \\sum_i \\log \\mathrm{softmax}(z_i / T)_{y_i}

    >>> z = np.array([[2.0, 0.0], [0.0, 2.0], [2.0, 0.0], [0.0, 2.0]])
    >>> s = calibration_state(z, [0, 1, 1, 1], temperature=1.0, n_bins=5)
    >>> round(s["accuracy"], 2), round(s["mean_confidence"], 3), round(s["ece"], 3)
    (0.75, 0.881, 0.131)
    """
    logits = np.asarray(logits, dtype=float)
    y = np.asarray(y)
    probs = softmax(logits / temperature, axis=1)
    conf, acc, counts = reliability_curve(y, probs, n_bins=n_bins)
    filled = np.flatnonzero(counts)  # empty bins have no accuracy: they are left out
    return {
        "temperature": float(temperature),
        "n_bins": int(n_bins),
        "nll": float(cross_entropy(y, logits=logits / temperature)),
        "ece": expected_calibration_error(y, probs, n_bins=n_bins),
        "accuracy": float(np.mean(probs.argmax(axis=1) == y)),  # the same for every T
        "mean_confidence": float(probs.max(axis=1).mean()),
        "bins": filled,
        "bin_confidence": conf[filled],
        "bin_accuracy": acc[filled],
        "bin_counts": counts[filled],
    }


def check_predictions(logits, y, *, names=("logits", "y")) -> tuple[np.ndarray, np.ndarray]:
    """``logits`` (n_samples, n_classes), finite, and labels ``y`` in 0 … n_classes − 1.

    ``names`` are what the messages call the two (``validation``'s parts have their own).
    """
    lname, yname = names
    logits = as_float_array(logits, lname)
    if logits.ndim != 2 or logits.shape[1] < 2:
        raise ValueError(
            f"{lname} must have shape (n_samples, n_classes) with at least 2 classes, "
            f"got shape {logits.shape}."
        )
    if not np.all(np.isfinite(logits)):
        row = int(np.argwhere(~np.isfinite(logits))[0][0])
        raise ValueError(
            f"{lname} must be finite, but row {row} holds NaN or infinity: a temperature "
            f"cannot calibrate it; remove that row (and its label in {yname})."
        )
    y = check_labels(y, logits.shape[0], name=yname, rows_of=lname)
    n_classes = logits.shape[1]
    outside = (y < 0) | (y >= n_classes)
    if outside.any():
        raise ValueError(
            f"{yname} must hold class indices 0 … {n_classes - 1} ({lname} has {n_classes} "
            f"columns), but it contains {int(y[outside][0])}."
        )
    return logits, y


def check_validation(validation, *, n_classes: int) -> tuple[np.ndarray, np.ndarray]:
    """``validation``: a pair ``(val_logits, y_val)`` with ``n_classes`` columns, checked."""
    try:
        val_logits, y_val = validation
    except (TypeError, ValueError):
        raise TypeError(
            "validation must be a pair (val_logits, y_val): the logits and labels of other "
            f"points to fit T on; got {type(validation).__name__}."
        ) from None
    names = ("validation[0] (its logits)", "validation[1]")
    val_logits, y_val = check_predictions(val_logits, y_val, names=names)
    if val_logits.shape[1] != n_classes:
        raise ValueError(
            f"validation[0] (its logits) must have {n_classes} columns, like logits; got "
            f"{val_logits.shape[1]}."
        )
    return val_logits, y_val


def nll_curve(logits, y) -> np.ndarray:
    """The NLL of ``softmax(logits / T)`` at every T of :data:`TEMPERATURES`."""
    return np.array([float(cross_entropy(y, logits=logits / t)) for t in TEMPERATURES])


def ece_curve(logits, y, n_bins: int) -> np.ndarray:
    """The ECE (with ``n_bins`` bins) of ``softmax(logits / T)`` at every T of :data:`TEMPERATURES`."""
    return np.array(
        [
            expected_calibration_error(y, softmax(logits / t, axis=1), n_bins=n_bins)
            for t in TEMPERATURES
        ]
    )


def state_from_controls(
    temperature, n_bins, *, logits, y, fitted_temperature, fitted_on, ece_curves
):
    """The explorer's controls → :func:`calibration_state`, with the fitted T and the ECE curve.

    ``fitted_temperature`` is None until the fit button is pressed; ``fitted_on`` names the
    points it is fitted on. ``ece_curves`` (n_bins → :func:`ece_curve`) remembers each
    curve once computed.
    """
    if n_bins not in ece_curves:
        ece_curves[n_bins] = ece_curve(logits, y, n_bins)
    return {
        **calibration_state(logits, y, temperature, n_bins),
        "fitted_temperature": fitted_temperature,
        "fitted_on": fitted_on,
        "ece_curve": ece_curves[n_bins],
    }


@dataclass(frozen=True)
class Artists:
    """What :func:`build` made: the figure and the artists :func:`draw` moves."""

    figure: Figure
    acc_bars: list  # accuracy of each non-empty bin (MAX_BINS bars; unused ones are empty)
    gap_bars: list  # from accuracy to confidence, in each non-empty bin
    ece_line: Line2D  # the ECE over T, for the state's number of bins
    fitted_line: Line2D  # the fitted T (hidden until the fit button is pressed)
    marker: Line2D  # a vertical line at the state's T
    dots: Line2D  # the NLL and the ECE at the state's T

    @property
    def animated(self) -> list:
        return [
            *self.acc_bars,
            *self.gap_bars,
            self.ece_line,
            self.marker,
            self.fitted_line,
            self.dots,
        ]


def build(nll: np.ndarray, temperature: float, *, judged_on: str) -> Artists:
    """A reliability diagram beside the NLL curve ``nll`` over :data:`TEMPERATURES`.

    ``judged_on`` names the points the figure shows (in the right panel's title).
    """
    fig = new_figure(figsize=(8.8, 4.0))
    ax_r, ax_t = fig.subplots(1, 2)
    ax_r.plot([0, 1], [0, 1], ls="--", color="grey", lw=1, label="perfect calibration")
    acc_bars = ax_r.bar(
        np.zeros(MAX_BINS),
        np.zeros(MAX_BINS),
        0.0,
        align="edge",
        color=plotting.PALETTE["blue"],
        edgecolor="white",
        label="accuracy",
    )
    # The gap is a vermillion, hatched outline with no fill, drawn over the accuracy bars: for
    # an overconfident bin it stands above the blue bar, for an underconfident one it lies on
    # the blue bar's top, and in both cases it looks the same.
    gap_bars = ax_r.bar(
        np.zeros(MAX_BINS),
        np.zeros(MAX_BINS),
        0.0,
        align="edge",
        facecolor="none",
        edgecolor=plotting.PALETTE["vermillion"],
        linewidth=1.2,
        hatch="///",
        zorder=3,
        label="gap to confidence",
    )
    ax_r.set(
        xlim=(0, 1),
        ylim=(0, 1),
        xlabel="confidence (top-class probability)",
        ylabel="accuracy in the bin",
    )
    ax_r.legend(loc="upper left", fontsize=10)
    ax_r.set_title("reliability diagram", fontsize=11)

    ax_t.plot(TEMPERATURES, nll, color=plotting.PALETTE["blue"], lw=2, label="NLL (nats)")
    (ece_line,) = ax_t.plot(
        TEMPERATURES,
        np.zeros_like(TEMPERATURES),
        lw=2,
        color=plotting.PALETTE["vermillion"],
        ls="--",
        label="ECE",
    )
    ax_t.axvline(1.0, color="grey", lw=1, ls=":")
    ax_t.set_xscale("log")
    ax_t.set_xticks([0.25, 0.5, 1, 2, 4], ["¼", "½", "1", "2", "4"])
    ax_t.minorticks_off()
    ax_t.set_ylim(0, min(max(nll), 3 * min(nll)) * 1.1)
    ax_t.set(xlabel="temperature T (log scale)", ylabel="nats / ECE")
    # The T lines are drawn below (the fitted one starts hidden): their legend entries are
    # stand-ins, so the key names both, and says when the green one appears.
    current_key = Line2D([], [], color="black", lw=2, label="current T")
    fitted_key = Line2D(
        [], [], color=plotting.PALETTE["green"], lw=1.5, label="fitted T (after fit T)"
    )
    ax_t.legend(
        handles=[*ax_t.get_legend_handles_labels()[0], current_key, fitted_key],
        loc="upper right",
        fontsize=10,
        handlelength=1.5,
        frameon=True,  # the T lines pass behind the key, not through it
        framealpha=0.9,
        edgecolor="none",
    )
    ax_t.set_title(f"NLL and ECE of {judged_on}", fontsize=11)
    marker = ax_t.axvline(temperature, color="black", lw=2)
    # Drawn after (on top of) the marker, so it shows when T is the fitted value.
    fitted_line = ax_t.axvline(1.0, color=plotting.PALETTE["green"], lw=1.5)
    fitted_line.set_visible(False)  # until the fit button is pressed
    (dots,) = ax_t.plot([], [], "o", color="black", ms=6)
    return Artists(fig, list(acc_bars), list(gap_bars), ece_line, fitted_line, marker, dots)


def draw(artists: Artists, state: dict) -> bool:
    """Set the bins' bars, the ECE curve and the marks at T (False: nothing static)."""
    width = 1.0 / state["n_bins"]
    acc_bars, gap_bars = artists.acc_bars, artists.gap_bars
    shown = zip(state["bins"], state["bin_accuracy"], state["bin_confidence"], strict=True)
    for i, (b, acc, conf) in enumerate(shown):
        acc_bars[i].set_bounds(b * width, 0.0, width, acc)
        gap_bars[i].set_bounds(b * width, min(acc, conf), width, abs(conf - acc))
    used = len(state["bins"])
    for i in range(MAX_BINS):  # unused bars are hidden: a hatched bar takes time even empty
        acc_bars[i].set_visible(i < used)
        gap_bars[i].set_visible(i < used)
    artists.ece_line.set_ydata(state["ece_curve"])
    fitted = state["fitted_temperature"]
    artists.fitted_line.set_visible(fitted is not None)
    if fitted is not None:
        artists.fitted_line.set_xdata([fitted, fitted])
    t = state["temperature"]
    artists.marker.set_xdata([t, t])
    artists.dots.set_data([t, t], [state["nll"], state["ece"]])
    return False


def describe(state: dict) -> str:
    """The readout: NLL, ECE, mean confidence against accuracy, and the fitted T once fitted."""
    gap = state["mean_confidence"] - state["accuracy"]
    verdict = (
        "about right" if abs(gap) < 0.01 else ("overconfident" if gap > 0 else "underconfident")
    )
    fitted = state["fitted_temperature"]
    fit_note = "" if fitted is None else f" · T fitted on {state['fitted_on']}: {fitted:.2f}"
    return (
        f"T = {state['temperature']:.2f}: <b>NLL = {state['nll']:.3f} nats, "
        f"ECE = {state['ece']:.3f}</b> ({state['n_bins']} bins); mean confidence "
        f"{state['mean_confidence']:.3f} vs accuracy {state['accuracy']:.3f} ({verdict})"
        f"{fit_note}"
    )


def calibration_explorer(
    logits=None, y=None, *, validation=None, temperature: float = 1.0, n_bins: int = 10
):
    """Scale a trained model's logits by 1/T; watch its reliability diagram, ECE and NLL.

    With no arguments the explorer shows :func:`overconfident_model` on its 1000 test
    points and fits T on its 1000 validation points. Pass your own ``logits``
    (n_samples, n_classes), finite, and labels ``y`` to judge another model, and
    ``validation=(val_logits, y_val)`` of *other* points to fit T on (without it, T is
    fitted on ``logits`` and ``y`` themselves, which flatters the fit). Controls:
    ``temperature`` (0.25 to 4), ``n_bins`` (5 to 20) and a ``fit`` button that sets T to
    the value minimising the validation NLL (:func:`fit_temperature`) and shows it.
    State: ``nll``, ``ece``, ``accuracy``, ``mean_confidence``, and for the non-empty bins
    ``bins`` (their indices), ``bin_confidence``, ``bin_accuracy``, ``bin_counts``; and
    ``fitted_temperature`` (None until fitted), ``fitted_on`` (which points T is fitted
    on), ``ece_curve`` (the ECE at every T of :data:`TEMPERATURES`).
    """
    if (logits is None) != (y is None):
        raise ValueError("pass both logits and y, or neither (to use the built-in model).")
    if logits is None:
        if validation is not None:
            raise ValueError(
                "validation goes with your own logits and y; the built-in model has its own "
                "validation points. Pass logits, y and validation together, or none of them."
            )
        validation, (logits, y) = overconfident_model()
        judged_on, fitted_on = "the 1000 test points", "the validation points"
    elif validation is None:
        judged_on, fitted_on = "these points", "these same points"
    else:
        judged_on, fitted_on = "these points", "the validation points"
    logits, y = check_predictions(logits, y)
    if validation is None:
        val_logits, y_val = logits, y
    else:
        val_logits, y_val = check_validation(validation, n_classes=logits.shape[1])
    temperature = check_number(temperature, "temperature", example=1.0, low=T_MIN, high=T_MAX)
    n_bins = check_number(n_bins, "n_bins", example=10, low=MIN_BINS, high=MAX_BINS, integer=True)
    controls = {
        "temperature": slider("temperature T", temperature, T_MIN, T_MAX, 0.01, width="340px"),
        "n_bins": slider("bins", n_bins, MIN_BINS, MAX_BINS, 1, integer=True, width="220px"),
        "fit": button("fit T", tooltip=f"set T to the value that minimises the NLL on {fitted_on}"),
    }
    artists = build(nll_curve(logits, y), temperature, judged_on=judged_on)
    fit = {"temperature": None}  # the fitted T, once the button is pressed
    ece_curves = {}

    def compute(temperature, n_bins):
        return state_from_controls(
            temperature,
            n_bins,
            logits=logits,
            y=y,
            fitted_temperature=fit["temperature"],
            fitted_on=fitted_on,
            ece_curves=ece_curves,
        )

    explorer = Explorer(
        "Calibration explorer",
        controls,
        compute,
        artists.figure,
        functools.partial(draw, artists),
        describe,
        animated=artists.animated,
        figure_text=FIGURE_TEXT,
    )

    def on_fit(_button):
        if fit["temperature"] is None:  # the validation points never change: fit once
            fit["temperature"] = fit_temperature(val_logits, y_val)
            explorer.forget_frames()  # every frame from now on shows the fitted T
        with explorer.hold():  # one update, even when T is already at the fitted value
            controls["temperature"].value = float(np.clip(fit["temperature"], T_MIN, T_MAX))

    controls["fit"].on_click(on_fit)
    return explorer
