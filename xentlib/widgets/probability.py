"""Probability explorer: the probability of the true class → the loss −log p."""

from __future__ import annotations

import ipywidgets as W
import numpy as np

from .. import plotting
from ..information import surprisal
from ._explorer import Explorer, format_loss, new_figure, slider

P_MIN_DRAWN = 1e-3  # the curve is drawn down to here; below, the loss is shown as an arrow
WRONG_BELOW = 0.1
UNITS = ("nats", "bits")


def probability_state(p: float, unit: str = "nats") -> dict:
    """The loss when the true class gets probability ``p`` (pure; ``p = 0`` gives ``inf``).

    >>> s = probability_state(0.5, "bits")
    >>> s["loss"], s["confidently_wrong"]
    (1.0, False)
    >>> probability_state(0.0)["loss"]
    inf
    """
    if unit not in UNITS:
        raise ValueError(f"unit must be 'nats' or 'bits', got {unit!r}.")
    loss_nats = float(surprisal(p))
    loss_bits = float(surprisal(p, base=2))
    return {
        "p": float(p),
        "unit": unit,
        "loss": loss_nats if unit == "nats" else loss_bits,
        "loss_nats": loss_nats,
        "loss_bits": loss_bits,
        "confidently_wrong": bool(p < WRONG_BELOW),
    }


def probability_explorer(p: float = 0.5) -> Explorer:
    """Slide the probability of the true class; watch the loss −log p.

    Controls: ``p`` (0 to 1) and ``unit`` (nats or bits). State: ``loss`` in the chosen
    unit, ``loss_nats``, ``loss_bits``, ``confidently_wrong``. At ``p = 0`` the loss is
    infinite: the readout says ∞ and the marker becomes an arrow at the top of the axes.
    """
    controls = {
        "p": slider("p(true class)", p, 0.0, 1.0, 0.01, width="360px"),
        "unit": W.ToggleButtons(
            options=list(UNITS), value="nats", description="unit", style={"button_width": "60px"}
        ),
    }
    fig = new_figure()
    ax = fig.add_subplot()
    plotting.surprisal_curve(p_min=P_MIN_DRAWN, wrong_below=WRONG_BELOW, ax=ax)
    plotting.secondary_unit_axis(ax, "bits", np.log(2))  # both units, always
    (point,) = ax.plot([], [], "o", ms=10, color=plotting.PALETTE["vermillion"], zorder=3)
    label = ax.annotate(
        "", xy=(0, 0), xytext=(12, 8), textcoords="offset points", fontsize=11, fontweight="bold"
    )
    ymax = -np.log(P_MIN_DRAWN) * 1.05

    def draw(state):
        shown = min(state["loss_nats"], ymax * 0.97)
        point.set_data([state["p"]], [shown])
        point.set_marker("^" if shown < state["loss_nats"] else "o")
        right = state["p"] > 0.7
        label.xy = (state["p"], shown)
        label.set_text(f"{format_loss(state['loss'])} {state['unit']}")
        label.set_horizontalalignment("right" if right else "left")
        label.set_position((-12 if right else 12, -16 if shown > ymax * 0.85 else 8))
        return False

    def describe(state):
        verdict = (
            " — <b>confidently wrong</b>: the loss explodes as p → 0"
            if state["confidently_wrong"]
            else ""
        )
        return (
            f"p = {state['p']:.2f} → loss = −log p = <b>{format_loss(state['loss'])} "
            f"{state['unit']}</b>{verdict}"
        )

    return Explorer(
        "Probability explorer",
        controls,
        probability_state,
        fig,
        draw,
        describe,
        animated=[point, label],
    )
