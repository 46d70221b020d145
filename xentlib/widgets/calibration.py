"""Calibration explorer: a temperature on a trained model's logits → reliability, ECE, NLL.

A model is *calibrated* when, among the examples it predicts with confidence 0.8, about
80 % are right. Training with cross-entropy on a small set tends to make a network
overconfident on new data. Dividing its logits by one number T > 1 (*temperature
scaling*) softens every prediction without changing any of them (the argmax is the same),
and the T that minimises the validation NLL also brings the reliability diagram close to
the diagonal.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import ipywidgets as W
import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from .. import plotting
from .._validation import as_float_array, check_labels, check_number
from ..datasets import make_moons
from ..losses import cross_entropy
from ..metrics import expected_calibration_error, fit_temperature, reliability_curve
from ..models import TinyMLP
from ..special import softmax
from ._explorer import Explorer, new_figure, slider

T_MIN, T_MAX = 0.25, 4.0
MIN_BINS, MAX_BINS = 5, 20
TEMPERATURES = np.geomspace(T_MIN, T_MAX, 61)  # where the NLL and ECE curves are drawn


@functools.lru_cache(maxsize=1)
def overconfident_model():
    """A seeded TinyMLP trained on 150 noisy moons, and 2000 fresh points to judge it on.

    Returns ``(logits, y)`` of the held-out points. 64 hidden units, 2000 epochs: it fits its
    small training set hard, so on new points it is overconfident (best T is about 1.8).
    """
    X_train, y_train = make_moons(150, noise=0.35, seed=1)
    X_test, y_test = make_moons(2000, noise=0.35, seed=2)
    model = TinyMLP(hidden=64, lr=1.0, epochs=2000, seed=0).fit(X_train, y_train)
    return model.decision_function(X_test), y_test


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


def check_predictions(logits, y) -> tuple[np.ndarray, np.ndarray]:
    """``logits`` (n_samples, n_classes), finite, and labels ``y`` in 0 … n_classes − 1."""
    logits = as_float_array(logits, "logits")
    if logits.ndim != 2 or logits.shape[1] < 2:
        raise ValueError(
            "logits must have shape (n_samples, n_classes) with at least 2 classes, "
            f"got shape {logits.shape}."
        )
    if not np.all(np.isfinite(logits)):
        row = int(np.argwhere(~np.isfinite(logits))[0][0])
        raise ValueError(
            f"logits must be finite, but row {row} holds NaN or infinity: a temperature "
            "cannot calibrate it; remove that row (and its label in y)."
        )
    y = check_labels(y, logits.shape[0], name="y")
    n_classes = logits.shape[1]
    outside = (y < 0) | (y >= n_classes)
    if outside.any():
        raise ValueError(
            f"y must hold class indices 0 … {n_classes - 1} (logits has {n_classes} columns), "
            f"but it contains {int(y[outside][0])}."
        )
    return logits, y


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


def state_from_controls(temperature, n_bins, *, logits, y, fitted_temperature, ece_curves):
    """The explorer's controls → :func:`calibration_state`, with the fitted T and the ECE curve.

    ``ece_curves`` (n_bins → :func:`ece_curve`) remembers each curve once computed.
    """
    if n_bins not in ece_curves:
        ece_curves[n_bins] = ece_curve(logits, y, n_bins)
    return {
        **calibration_state(logits, y, temperature, n_bins),
        "fitted_temperature": fitted_temperature,
        "ece_curve": ece_curves[n_bins],
    }


@dataclass(frozen=True)
class Artists:
    """What :func:`build` made: the figure and the artists :func:`draw` moves."""

    figure: Figure
    acc_bars: list  # accuracy of each non-empty bin (MAX_BINS bars; unused ones are empty)
    gap_bars: list  # from accuracy to confidence, in each non-empty bin
    ece_line: Line2D  # the ECE over T, for the state's number of bins
    marker: Line2D  # a vertical line at the state's T
    dots: Line2D  # the NLL and the ECE at the state's T

    @property
    def animated(self) -> list:
        return [*self.acc_bars, *self.gap_bars, self.ece_line, self.marker, self.dots]


def build(nll: np.ndarray, temperature: float, fitted_temperature: float) -> Artists:
    """A reliability diagram beside the NLL curve ``nll`` over :data:`TEMPERATURES`."""
    fig = new_figure(figsize=(8, 3.5))
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
    gap_bars = ax_r.bar(
        np.zeros(MAX_BINS),
        np.zeros(MAX_BINS),
        0.0,
        align="edge",
        color=plotting.PALETTE["vermillion"],
        alpha=0.35,
        hatch="//",
        label="gap to confidence",
    )
    ax_r.set(
        xlim=(0, 1),
        ylim=(0, 1),
        xlabel="confidence (top-class probability)",
        ylabel="accuracy in the bin",
    )
    ax_r.legend(loc="upper left", fontsize=9)
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
    ax_t.axvline(fitted_temperature, color=plotting.PALETTE["green"], lw=1)
    ax_t.set_xscale("log")
    ax_t.set_xticks([0.25, 0.5, 1, 2, 4], ["¼", "½", "1", "2", "4"])
    ax_t.minorticks_off()
    ax_t.set_ylim(0, min(max(nll), 3 * min(nll)) * 1.1)
    ax_t.set(xlabel="temperature T (log scale)", ylabel="nats / ECE")
    ax_t.legend(loc="upper right", fontsize=9)
    ax_t.set_title(f"green: best T = {fitted_temperature:.2f}", fontsize=11)
    marker = ax_t.axvline(temperature, color="black", lw=2)
    (dots,) = ax_t.plot([], [], "o", color="black", ms=6)
    return Artists(fig, list(acc_bars), list(gap_bars), ece_line, marker, dots)


def draw(artists: Artists, state: dict) -> bool:
    """Set the bins' bars, the ECE curve and the marks at T (False: nothing static)."""
    width = 1.0 / state["n_bins"]
    acc_bars, gap_bars = artists.acc_bars, artists.gap_bars
    shown = zip(state["bins"], state["bin_accuracy"], state["bin_confidence"], strict=True)
    for i, (b, acc, conf) in enumerate(shown):
        acc_bars[i].set_bounds(b * width, 0.0, width, acc)
        gap_bars[i].set_bounds(b * width, min(acc, conf), width, abs(conf - acc))
    for i in range(len(state["bins"]), MAX_BINS):  # unused bars: nothing to draw
        acc_bars[i].set_bounds(0.0, 0.0, 0.0, 0.0)
        gap_bars[i].set_bounds(0.0, 0.0, 0.0, 0.0)
    artists.ece_line.set_ydata(state["ece_curve"])
    t = state["temperature"]
    artists.marker.set_xdata([t, t])
    artists.dots.set_data([t, t], [state["nll"], state["ece"]])
    return False


def describe(state: dict) -> str:
    """The readout: NLL, ECE, and mean confidence against accuracy."""
    gap = state["mean_confidence"] - state["accuracy"]
    verdict = (
        "about right" if abs(gap) < 0.01 else ("overconfident" if gap > 0 else "underconfident")
    )
    return (
        f"T = {state['temperature']:.2f}: <b>NLL = {state['nll']:.3f} nats, "
        f"ECE = {state['ece']:.3f}</b> ({state['n_bins']} bins); mean confidence {state['mean_confidence']:.3f} vs "
        f"accuracy {state['accuracy']:.3f} ({verdict}; T never changes the accuracy)"
    )


def calibration_explorer(logits=None, y=None, *, temperature: float = 1.0, n_bins: int = 10):
    """Scale a trained model's logits by 1/T; watch its reliability diagram, ECE and NLL.

    With no arguments the logits are those of :func:`overconfident_model` on held-out
    points; pass your own ``logits`` (n_samples, n_classes), finite, and labels ``y`` to
    judge another model. Controls: ``temperature`` (0.25 to 4), ``n_bins`` (5 to 20) and a
    ``fit`` button that sets T to the NLL-minimising value (:func:`fit_temperature`).
    State: ``nll``, ``ece``, ``accuracy``, ``mean_confidence``, and for the non-empty bins
    ``bins`` (their indices), ``bin_confidence``, ``bin_accuracy``, ``bin_counts``; and
    ``fitted_temperature``, ``ece_curve`` (the ECE at every T of :data:`TEMPERATURES`).
    """
    if (logits is None) != (y is None):
        raise ValueError("pass both logits and y, or neither (to use the built-in model).")
    logits, y = check_predictions(*(overconfident_model() if logits is None else (logits, y)))
    temperature = check_number(temperature, "temperature", example=1.0, low=T_MIN, high=T_MAX)
    n_bins = check_number(n_bins, "n_bins", example=10, low=MIN_BINS, high=MAX_BINS, integer=True)
    best_t = fit_temperature(logits, y)
    controls = {
        "temperature": slider("temperature T", temperature, T_MIN, T_MAX, 0.01, width="340px"),
        "n_bins": W.IntSlider(
            value=n_bins,
            min=MIN_BINS,
            max=MAX_BINS,
            description="bins",
            style={"description_width": "initial"},
            layout=W.Layout(width="220px"),
        ),
        "fit": W.Button(
            description=f"fit T (best: {best_t:.2f})",
            tooltip="set T to the value that minimises the NLL on these points",
            layout=W.Layout(width="170px"),
        ),
    }
    artists = build(nll_curve(logits, y), temperature, best_t)
    compute = functools.partial(
        state_from_controls, logits=logits, y=y, fitted_temperature=best_t, ece_curves={}
    )
    explorer = Explorer(
        "Calibration explorer",
        controls,
        compute,
        artists.figure,
        functools.partial(draw, artists),
        describe,
        animated=artists.animated,
    )
    fitted = float(np.clip(best_t, T_MIN, T_MAX))
    controls["fit"].on_click(lambda _button: setattr(controls["temperature"], "value", fitted))
    return explorer
