"""Entropy explorer: a coin's bias → the surprise of each side → the entropy."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from .. import plotting
from .._validation import check_choice, check_number
from ..information import entropy, surprisal
from ._explorer import Explorer, choice, format_loss, new_figure, slider

FIGURE_TEXT = (
    "Figure: left, the probabilities of heads and tails as bars, each side's surprise written "
    "above its bar; right, the entropy of the coin against θ, 0 at θ = 0 and θ = 1 and "
    "largest (1 bit) at θ = 0.5, with a dot at the current θ."
)
UNITS = ("bits", "nats")


def coin_state(theta: float, unit: str = "bits") -> dict:
    """Surprise of heads and tails and the entropy of a coin with P(heads) = ``theta`` (pure).

    >>> s = coin_state(0.5)
    >>> s["entropy"], s["surprisal_heads"]
    (1.0, 1.0)
    >>> coin_state(1.0)["entropy"], coin_state(1.0)["surprisal_tails"]
    (0.0, inf)
    """
    if unit not in UNITS:
        raise ValueError(f"unit must be 'bits' or 'nats', got {unit!r}.")
    base = 2 if unit == "bits" else None
    probs = np.array([theta, 1.0 - theta])
    heads, tails = (float(s) for s in surprisal(probs, base=base))
    return {
        "theta": float(theta),
        "unit": unit,
        "probs": probs,
        "surprisal_heads": heads,
        "surprisal_tails": tails,
        "entropy": float(entropy(probs, base=base)),
    }


@dataclass(frozen=True)
class Artists:
    """What :func:`build` made: the figure and the artists :func:`draw` moves."""

    figure: Figure
    bars: list  # P(heads), P(tails)
    notes: list  # each side's surprise, above its bar
    point: Line2D  # (θ, entropy) on the entropy curve

    @property
    def animated(self) -> list:
        return [*self.bars, *self.notes, self.point]


def build(theta: float) -> Artists:
    """Two probability bars (heads, tails), each side's surprise written above its bar, beside
    the binary entropy curve."""
    fig = new_figure(figsize=(7.5, 3.4))
    ax_bars, ax_curve = fig.subplots(1, 2, width_ratios=[1, 1.6])
    bars = plotting.probability_bars([theta, 1 - theta], labels=["heads", "tails"], ax=ax_bars)
    ax_bars.set_ylim(0, 1.25)
    ax_bars.set_ylabel("P(side): probability (no unit)")
    ax_bars.set_title("bars: each side's probability\nnumbers: its surprise", fontsize=11)
    notes = [ax_bars.text(i, 0, "", ha="center", va="bottom", fontsize=10) for i in range(2)]
    plotting.entropy_curve(base=2, ax=ax_curve)
    plotting.secondary_unit_axis(ax_curve, "nats", 1 / np.log(2))  # both units, always
    ax_curve.set_title("entropy = average surprise")
    (point,) = ax_curve.plot(
        [], [], "o", ms=10, color=plotting.PALETTE["vermillion"], zorder=3, label="this coin"
    )
    ax_curve.legend(loc="lower center")
    return Artists(fig, list(bars), notes, point)


def draw(artists: Artists, state: dict) -> bool:
    """Set the bars, their surprise notes and the point on the curve (False: nothing static)."""
    unit = state["unit"]
    bits = state["entropy"] if unit == "bits" else state["entropy"] / np.log(2)
    for bar, note, p, s in zip(
        artists.bars,
        artists.notes,
        state["probs"],
        (state["surprisal_heads"], state["surprisal_tails"]),
        strict=True,
    ):
        bar.set_height(p)
        note.set_y(p + 0.02)
        note.set_text(f"{format_loss(s, 2)} {unit}")
    artists.point.set_data([state["theta"]], [bits])
    return False


def describe(state: dict) -> str:
    """The readout: each side's surprise and the entropy, in the chosen unit."""
    u = state["unit"]
    return (
        f"θ = {state['theta']:.2f}: surprise of heads = {format_loss(state['surprisal_heads'])} "
        f"{u}, of tails = {format_loss(state['surprisal_tails'])} {u}; "
        f"entropy = <b>{state['entropy']:.3f} {u}</b>"
    )


def entropy_explorer(theta: float = 0.5, *, unit: str = "bits") -> Explorer:
    """Bias a coin; watch each side's surprise and the coin's entropy (average surprise).

    Controls: ``theta`` (P(heads), 0 to 1) and ``unit`` (bits or nats). State:
    ``probs``, ``surprisal_heads``, ``surprisal_tails``, ``entropy``.
    """
    theta = check_number(theta, "theta", example=0.5, low=0.0, high=1.0)
    unit = check_choice(unit, "unit", UNITS)
    controls = {
        "theta": slider("P(heads) θ", theta, 0.0, 1.0, 0.01, width="360px"),
        "unit": choice("unit", UNITS, unit),
    }
    artists = build(theta)
    return Explorer(
        "Entropy explorer (a biased coin)",
        controls,
        coin_state,
        artists.figure,
        functools.partial(draw, artists),
        describe,
        animated=artists.animated,
        figure_text=FIGURE_TEXT,
    )
