"""Plots for the lessons: one style, colour-blind-safe colours, labelled axes.

Every function takes ``ax=None`` (a new figure when None) and returns the artists it drew,
so lessons and widgets can update them in place.
"""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

# Okabe & Ito (2008): distinguishable with every common colour-vision deficiency.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}
STYLE = {
    "axes.prop_cycle": mpl.cycler(color=list(PALETTE.values())),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "font.size": 11,
    "axes.titlesize": 12,
    "legend.frameon": False,
    "svg.hashsalt": "xentlib",  # reproducible SVG ids
}


def use_style() -> None:
    """Apply the course's plotting style to every later figure."""
    mpl.rcParams.update(STYLE)


def _axes(ax, figsize=(5, 3.5)):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def surprisal_curve(*, base=None, p_min=1e-3, wrong_below=0.1, ax=None):
    """Draw the loss of the true class, −log p, against its predicted probability p.

    The region ``p < wrong_below`` is shaded as "confidently wrong". Returns a dict of the
    artists: ``line`` (the curve) and ``region`` (the shaded span).
    """
    ax = _axes(ax)
    p = np.linspace(p_min, 1.0, 400)
    unit = "nats" if base is None else ("bits" if base == 2 else f"log base {base}")
    loss = -np.log(p) / (1.0 if base is None else np.log(base))
    (line,) = ax.plot(p, loss, color=PALETTE["blue"], lw=2, label="loss = −log p")
    region = ax.axvspan(
        0, wrong_below, color=PALETTE["vermillion"], alpha=0.12, lw=0, label="confidently wrong"
    )
    ax.set_xlim(0, 1)
    ax.set_ylim(0, float(loss.max()) * 1.05)
    ax.set_xlabel("p = predicted probability of the true class")
    ax.set_ylabel(f"loss ({unit})")
    ax.legend(loc="upper right")
    return {"line": line, "region": region}
