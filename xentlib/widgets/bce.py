r"""BCE explorer: one example's binary cross-entropy against its logit, computed three ways.

The stable form (what ``binary_cross_entropy(logits=...)`` computes) beside the naive
"sigmoid, then log" in float64 and in float32, which break once :math:`\sigma(z)` rounds to
1 (from :math:`z \approx 16.6` in float32 and :math:`z \approx 36.7` in float64): then
:math:`\log(1 - \sigma(z)) = \log 0 = -\infty`, and the loss is ``inf`` for y = 0 and
``0 · (−inf) = NaN`` for y = 1. The right panel shows the gradient :math:`\sigma(z) - y`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text

from .. import plotting
from .._validation import check_number
from ..binary import binary_cross_entropy, binary_cross_entropy_grad
from ..special import sigmoid
from ._explorer import Explorer, choice, new_figure, slider

FIGURE_TEXT = (
    "Figure: left, one example's binary cross-entropy against the logit z, the stable loss "
    "(solid) and the naive float64 and float32 losses (dashed, dotted) with where each "
    "breaks; middle, the gradient against z; right, the values at the current z."
)
Z_RANGE = 50.0
PW_MIN, PW_MAX = 0.25, 4.0
GRID = np.linspace(-Z_RANGE, Z_RANGE, 401)
DTYPES = {"float64": np.float64, "float32": np.float32}
LOSS_TOP = 55.0  # the top of the loss axis (nats)


def naive_bce(z, y, dtype=np.float64, pos_weight=1.0):
    r"""The textbook two-step BCE, sigmoid then log, all in ``dtype`` (deliberately fragile).

    .. math:: q = \frac{1}{1 + e^{-z}}, \qquad
              \ell = -\big[p_w\, y \log q + (1 - y) \log(1 - q)\big]

    Once ``q`` rounds to 1, ``log(1 − q)`` is ``-inf``: the result is ``inf`` for y = 0 and
    ``NaN`` (from ``0 · (−inf)``) for y = 1. NumPy's warnings are silenced; the values
    speak for themselves.

    >>> naive_bce(40.0, 0), naive_bce(40.0, 1)
    (inf, nan)
    >>> float(naive_bce(np.float32(20.0), 0, np.float32))  # already broken in float32
    inf
    """
    z = np.asarray(z, dtype=dtype)
    y, pw = dtype(y), dtype(pos_weight)
    with np.errstate(all="ignore"):
        q = 1 / (1 + np.exp(-z))
        loss = -(pw * y * np.log(q) + (1 - y) * np.log(1 - q))
    return float(loss) if loss.ndim == 0 else loss


def break_point(dtype) -> float:
    """The smallest z (to 0.001) from which σ(z) = 1 / (1 + e^(−z)) rounds to exactly 1 in
    ``dtype``, so that the naive loss breaks: about 24 ln 2 ≈ 16.64 for float32 and
    53 ln 2 ≈ 36.74 for float64 (1 + e^(−z) rounds to 1 once e^(−z) is below half the
    machine epsilon).

    >>> round(break_point(np.float32), 3), round(break_point(np.float64), 3)
    (16.636, 36.737)
    """
    z = np.arange(0, Z_RANGE, 0.001).astype(dtype)
    with np.errstate(over="ignore"):
        q = 1 / (1 + np.exp(-z))
    return float(z[np.argmax(q == 1)])


BREAKS = {name: break_point(dtype) for name, dtype in DTYPES.items()}


def bce_state(z: float, y: int = 1, pos_weight: float = 1.0) -> dict:
    r"""The loss of one example with logit ``z`` and label ``y``, three ways (pure).

    .. math:: \ell = p_w\, y\, \mathrm{softplus}(-z) + (1 - y)\, \mathrm{softplus}(z),
              \qquad \frac{\partial \ell}{\partial z} = \sigma(z) - y \text{ when } p_w = 1

    Returns ``loss`` (stable), ``grad``, ``q`` (= σ(z), the model's probability), ``naive``
    (the naive loss per dtype, which may be inf or NaN), ``breaks`` (per dtype, the z from which the naive loss
    is not finite, :func:`break_point`) and ``curves`` (the losses and the gradient over
    the grid of z from −50 to 50, for the plots).

    >>> s = bce_state(40.0, y=0)
    >>> s["loss"], s["naive"]["float64"], s["naive"]["float32"]
    (40.0, inf, inf)
    >>> s = bce_state(-2.0, y=1, pos_weight=3.0)
    >>> round(s["loss"], 4), round(s["grad"], 4)
    (6.3808, -2.6424)
    """
    z, y, pw = float(z), int(y), float(pos_weight)
    labels = np.full_like(GRID, y, dtype=float)
    curves = {
        "z": GRID,
        "stable": binary_cross_entropy(labels, logits=GRID, pos_weight=pw, reduction="none"),
        "grad": binary_cross_entropy_grad(labels, logits=GRID, pos_weight=pw, reduction="none"),
    }
    curves.update({name: naive_bce(GRID, y, dtype, pw) for name, dtype in DTYPES.items()})
    return {
        "z": z,
        "y": y,
        "pos_weight": pw,
        "q": float(sigmoid(z)),
        "loss": float(binary_cross_entropy(float(y), logits=z, pos_weight=pw)),
        "grad": float(binary_cross_entropy_grad(float(y), logits=z, pos_weight=pw)),
        "naive": {name: naive_bce(z, y, dtype, pw) for name, dtype in DTYPES.items()},
        "breaks": dict(BREAKS),
        "curves": curves,
    }


def _fmt(x: float) -> str:
    if np.isnan(x):
        return "NaN"
    if np.isinf(x):
        return "∞"
    return f"{x:.4g}"


@dataclass(frozen=True)
class Artists:
    """What :func:`build` made: the figure and the artists :func:`draw` moves."""

    figure: Figure
    curves: dict  # name → Line2D: the stable and the two naive losses against z
    point: Line2D  # the stable loss at the current z
    cursor: Line2D  # a vertical line at the current z, in the loss panel
    grad_curve: Line2D
    grad_point: Line2D
    header: Text  # z, y and pos_weight
    note: Text  # the three losses and the gradient at the current z

    @property
    def animated(self) -> list:
        return [
            *self.curves.values(),
            self.point,
            self.cursor,
            self.grad_curve,
            self.grad_point,
            self.header,
            self.note,
        ]


STYLES = {  # name → (label, colour, line style, width)
    "stable": ("stable (softplus)", "blue", "-", 3.0),
    "float64": ("naive, float64", "orange", "--", 2.0),
    "float32": ("naive, float32", "vermillion", ":", 2.5),
}


def build(start: dict) -> Artists:
    """The loss panel (three curves, and where the naive ones break), the gradient panel,
    and a panel with the legend and the values at the current z."""
    fig = new_figure(figsize=(9.4, 3.8))
    ax, ax_g, ax_t = fig.subplots(1, 3, width_ratios=(1.15, 1, 0.62))
    curves = {}
    for name, (label, colour, style, width) in STYLES.items():
        if name in start["breaks"]:
            label += f"\n(∞/NaN from z ≈ {start['breaks'][name]:.1f})"
        (curves[name],) = ax.plot(
            [], [], style, color=plotting.PALETTE[colour], lw=width, label=label
        )
    for row, name in enumerate(("float64", "float32")):  # where each naive loss breaks
        low = 0.93 - 0.07 * row
        colour = plotting.PALETTE[STYLES[name][1]]
        ax.axvspan(start["breaks"][name], Z_RANGE, ymin=low, ymax=low + 0.06, color=colour)
    (point,) = ax.plot([], [], "o", ms=9, color=plotting.PALETTE["blue"], zorder=4)
    cursor = ax.axvline(0.0, color="0.4", lw=1)
    ax.set(xlim=(-Z_RANGE, Z_RANGE), ylim=(-1.5, LOSS_TOP), xlabel="logit z", ylabel="loss (nats)")
    ax.set_title("one example's BCE", fontsize=11)

    ax_g.axhline(0.0, color="0.45", lw=1)
    (grad_curve,) = ax_g.plot([], [], color=plotting.PALETTE["purple"], lw=2.5)
    (grad_point,) = ax_g.plot([], [], "o", ms=9, color=plotting.PALETTE["purple"])
    ax_g.set(
        xlim=(-Z_RANGE, Z_RANGE),
        ylim=(-PW_MAX - 0.3, 1.3),
        xlabel="logit z",
        ylabel="∂loss/∂z",
    )
    ax_g.set_title("gradient σ(z) − y  (× p_w if y = 1)", fontsize=11)

    ax_t.axis("off")
    handles, labels = ax.get_legend_handles_labels()
    ax_t.legend(handles, labels, loc="upper left", fontsize=10, borderaxespad=0)
    names = "stable loss\nnaive f64\nnaive f32\n∂loss/∂z"
    ax_t.text(0.0, 0.0, names, transform=ax_t.transAxes, va="bottom", fontsize=10)
    header = ax_t.text(0.0, 0.33, "", transform=ax_t.transAxes, va="bottom", fontsize=10)
    note = ax_t.text(0.55, 0.0, "", transform=ax_t.transAxes, va="bottom", fontsize=10)
    return Artists(fig, curves, point, cursor, grad_curve, grad_point, header, note)


def draw(artists: Artists, state: dict) -> bool:
    """Move the curves, the points and the notes to ``state`` (nothing static: False)."""
    curves = state["curves"]
    for name, line in artists.curves.items():
        line.set_data(curves["z"], curves[name])
    artists.point.set_data([state["z"]], [min(state["loss"], LOSS_TOP)])
    artists.cursor.set_xdata([state["z"], state["z"]])
    artists.grad_curve.set_data(curves["z"], curves["grad"])
    artists.grad_point.set_data([state["z"]], [state["grad"]])
    naive = state["naive"]
    artists.header.set_text(
        f"z = {state['z']:.1f}, y = {state['y']}, p_w = {state['pos_weight']:.2f}"
    )
    artists.note.set_text(
        f"{_fmt(state['loss'])}\n{_fmt(naive['float64'])}\n{_fmt(naive['float32'])}\n"
        f"{state['grad']:+.4g}"
    )
    return False


def describe(state: dict) -> str:
    """The readout: the three losses at z (the naive ones may be ∞ or NaN) and the gradient."""
    naive = state["naive"]
    shown = {
        name: f"<b>{_fmt(value)}</b>" if not np.isfinite(value) else _fmt(value)
        for name, value in naive.items()
    }
    return (
        f"z = {state['z']:.1f}, y = {state['y']}, pos_weight = {state['pos_weight']:.2f}: "
        f"σ(z) = {_fmt(state['q'])}; <b>loss = {_fmt(state['loss'])} nats</b> (stable); "
        f"naive float64 {shown['float64']}, float32 {shown['float32']}; "
        f"∂loss/∂z = {state['grad']:+.4g}"
    )


def state_from_controls(z, y, pos_weight) -> dict:
    """The explorer's controls → :func:`bce_state`."""
    return bce_state(z, y, pos_weight)


def bce_explorer(z: float = -2.0, y: int = 1, pos_weight: float = 1.0) -> Explorer:
    """Move the logit z, the label y and pos_weight; compare the stable BCE with the naive one.

    Controls: ``z`` (−50 to 50), ``y`` (0 or 1), ``pos_weight`` (0.25 to 4). State:
    ``loss`` (stable), ``naive`` (float64 and float32: inf or NaN where they break),
    ``breaks``, ``grad`` (∂loss/∂z), ``q`` (σ(z)).
    """
    z = check_number(z, "z", example=-2.0, low=-Z_RANGE, high=Z_RANGE)
    y = check_number(y, "y", example=1, low=0, high=1, integer=True, fix="y is the 0/1 label.")
    pos_weight = check_number(pos_weight, "pos_weight", example=1.0, low=PW_MIN, high=PW_MAX)
    controls = {
        "z": slider("logit z", z, -Z_RANGE, Z_RANGE, 0.1, fmt=".1f", width="360px"),
        "y": choice("label", [("y = 0", 0), ("y = 1", 1)], y),
        "pos_weight": slider("pos_weight", pos_weight, PW_MIN, PW_MAX, 0.05),
    }
    artists = build(bce_state(z, y, pos_weight))
    return Explorer(
        "BCE explorer",
        controls,
        state_from_controls,
        artists.figure,
        functools.partial(draw, artists),
        describe,
        animated=artists.animated,
        figure_text=FIGURE_TEXT,
    )
