"""Probability explorer: the model's probability q of the true class → the loss −log q."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Annotation

from .. import plotting
from .._validation import check_choice, check_number
from ..information import surprisal
from ._explorer import Explorer, choice, format_loss, new_figure, slider

P_MIN_DRAWN = 1e-3  # the curve is drawn down to here; below, the loss is shown as an arrow
Y_MAX = -np.log(P_MIN_DRAWN) * 1.05  # the top of the loss axis
WRONG_BELOW = 0.1
FIGURE_TEXT = (
    "Figure: the loss −log q (nats on the left axis, bits on the right) falls from high at "
    "q near 0 to 0 at q = 1; the region q < 0.1 is shaded as confidently wrong; a dot marks "
    "the current q and its loss."
)
UNITS = ("nats", "bits")


def probability_state(q: float, unit: str = "nats") -> dict:
    """The loss −log q when the model gives the true class probability ``q`` (pure;
    ``q = 0`` gives ``inf``).

    >>> s = probability_state(0.5, "bits")
    >>> s["loss"], s["confidently_wrong"]
    (1.0, False)
    >>> probability_state(0.0)["loss"]
    inf
    """
    if unit not in UNITS:
        raise ValueError(f"unit must be 'nats' or 'bits', got {unit!r}.")
    loss_nats = float(surprisal(q))
    loss_bits = float(surprisal(q, base=2))
    return {
        "q": float(q),
        "unit": unit,
        "loss": loss_nats if unit == "nats" else loss_bits,
        "loss_nats": loss_nats,
        "loss_bits": loss_bits,
        "confidently_wrong": bool(q < WRONG_BELOW),
    }


@dataclass(frozen=True)
class Artists:
    """What :func:`build` made: the figure and the artists :func:`draw` moves."""

    figure: Figure
    point: Line2D  # (q, loss) on the curve; an arrow at the top when the loss is off-scale
    label: Annotation  # the loss next to the point

    @property
    def animated(self) -> list:
        return [self.point, self.label]


def build() -> Artists:
    """The loss curve −log q with a nats and a bits axis, an empty point and label."""
    fig = new_figure()
    ax = fig.add_subplot()
    plotting.surprisal_curve(p_min=P_MIN_DRAWN, wrong_below=WRONG_BELOW, ax=ax)
    plotting.secondary_unit_axis(ax, "bits", np.log(2))  # both units, always
    (point,) = ax.plot([], [], "o", ms=10, color=plotting.PALETTE["vermillion"], zorder=3)
    label = ax.annotate(
        "", xy=(0, 0), xytext=(12, 8), textcoords="offset points", fontsize=11, fontweight="bold"
    )
    return Artists(fig, point, label)


def draw(artists: Artists, state: dict) -> bool:
    """Move the point and its label to ``state``'s loss (nothing static changes: False)."""
    shown = min(state["loss_nats"], Y_MAX * 0.97)
    artists.point.set_data([state["q"]], [shown])
    artists.point.set_marker("^" if shown < state["loss_nats"] else "o")
    right = state["q"] > 0.7
    label = artists.label
    label.xy = (state["q"], shown)
    label.set_text(f"{format_loss(state['loss'])} {state['unit']}")
    label.set_horizontalalignment("right" if right else "left")
    label.set_position((-12 if right else 12, -16 if shown > Y_MAX * 0.85 else 8))
    return False


def describe(state: dict) -> str:
    """The readout: q, the loss in the chosen unit, and a warning when confidently wrong."""
    verdict = (
        " — <b>confidently wrong</b>: the loss explodes as q → 0"
        if state["confidently_wrong"]
        else ""
    )
    return (
        f"q = {state['q']:.2f} → loss = −log q = <b>{format_loss(state['loss'])} "
        f"{state['unit']}</b>{verdict}"
    )


def probability_explorer(q: float = 0.5, *, unit: str = "nats") -> Explorer:
    """Slide the model's probability q of the true class; watch the loss −log q.

    Controls: ``q`` (0 to 1) and ``unit`` (nats or bits). State: ``q``, ``loss`` in the
    chosen unit, ``loss_nats``, ``loss_bits``, ``confidently_wrong``. At ``q = 0`` the loss
    is infinite: the readout says ∞ and the marker becomes an arrow at the top of the axes.
    """
    q = check_number(q, "q", example=0.5, low=0.0, high=1.0)
    unit = check_choice(unit, "unit", UNITS)
    controls = {
        "q": slider("q(true class)", q, 0.0, 1.0, 0.01, width="360px"),
        "unit": choice("unit", UNITS, unit),
    }
    artists = build()
    return Explorer(
        "Probability explorer",
        controls,
        probability_state,
        artists.figure,
        functools.partial(draw, artists),
        describe,
        animated=artists.animated,
        figure_text=FIGURE_TEXT,
    )
