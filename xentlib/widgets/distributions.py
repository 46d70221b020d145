"""Distribution explorer: a true distribution p and a model q → H(p), H(p, q), KL(p‖q)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure

from .. import plotting
from ..information import entropy, kl_divergence
from ..losses import cross_entropy
from ._arguments import check_vector
from ._explorer import Explorer, format_loss, new_figure, slider

FIGURE_TEXT = (
    "Figure: left, bars of p (the truth, plain) and q (the model, hatched) for cat, dog and "
    "bird; right, a bar of H(p) with KL(p‖q) stacked after it, beside a bar of H(p, q) of the "
    "same length."
)
OUTCOMES = ("cat", "dog", "bird")
X_MAX = 3.0  # nats shown on the decomposition axis; larger values are drawn capped


def normalise_weights(weights) -> tuple[np.ndarray, bool]:
    """Weights (≥ 0) → a distribution; all zeros give the uniform one (flagged True)."""
    w = np.asarray(weights, dtype=float)
    total = w.sum()
    if total <= 0:
        return np.full(w.shape, 1.0 / w.size), True
    return w / total, False


def distribution_state(p_weights, q_weights) -> dict:
    """H(p), H(p, q), KL(p‖q) and KL(q‖p) for two weight vectors, normalised (pure).

    >>> s = distribution_state([1, 1], [1, 1])
    >>> round(s["cross_entropy"], 4), s["kl"]
    (0.6931, 0.0)
    >>> distribution_state([1, 1], [1, 0])["kl"]
    inf
    """
    p, p_uniform = normalise_weights(p_weights)
    q, q_uniform = normalise_weights(q_weights)
    h_p = float(entropy(p))
    h_pq = float(cross_entropy(p, probs=q))
    kl = float(kl_divergence(p, q))
    return {
        "p": p,
        "q": q,
        "entropy": h_p,
        "cross_entropy": h_pq,
        "kl": kl,
        "kl_reverse": float(kl_divergence(q, p)),
        # H(p, q) − H(p) − KL(p‖q): zero up to rounding (0 when both sides are infinite)
        "identity_gap": 0.0 if np.isinf(h_pq) else h_pq - h_p - kl,
        "uniform_fallback": p_uniform or q_uniform,
    }


def state_from_controls(**values) -> dict:
    """The explorer's six weight controls (``p_cat`` … ``q_bird``) → :func:`distribution_state`."""
    p = [values[f"p_{o}"] for o in OUTCOMES]
    q = [values[f"q_{o}"] for o in OUTCOMES]
    return distribution_state(p, q)


@dataclass(frozen=True)
class Artists:
    """What :func:`build` made: the figure and the artists :func:`draw` moves."""

    figure: Figure
    bars: dict  # "p (truth)" / "q (model)" → one bar per outcome
    parts: dict  # the decomposition's bars: "entropy", "kl" (stacked on it), "cross"
    totals: list  # the values written after the two rows: H(p) + KL, H(p, q)

    @property
    def animated(self) -> list:
        return [
            *self.bars["p (truth)"],
            *self.bars["q (model)"],
            *self.parts.values(),
            *self.totals,
        ]


def build(start: dict) -> Artists:
    """Bars of p and q beside the decomposition H(p, q) = H(p) + KL(p‖q), from ``start``."""
    fig = new_figure(figsize=(8, 3.4))
    ax_dist, ax_bits = fig.subplots(1, 2, width_ratios=[1, 1.3])
    bars = plotting.distribution_bars(
        {"p (truth)": start["p"], "q (model)": start["q"]}, labels=list(OUTCOMES), ax=ax_dist
    )
    ax_dist.set_title("two distributions")
    parts = plotting.entropy_decomposition(start["entropy"], start["kl"], xmax=X_MAX, ax=ax_bits)
    ax_bits.set_title("H(p, q) = H(p) + KL(p‖q)")
    totals = [ax_bits.text(0, y, "", va="center", fontsize=10) for y in (1, 0)]
    return Artists(fig, bars, parts, totals)


def draw(artists: Artists, state: dict) -> bool:
    """Set the bars and the decomposition, capped at the axis's end (False: nothing static)."""
    cap = 0.98 * X_MAX
    for name, dist in (("p (truth)", state["p"]), ("q (model)", state["q"])):
        for bar, height in zip(artists.bars[name], dist, strict=True):
            bar.set_height(height)
    h_p, kl, h_pq = state["entropy"], state["kl"], state["cross_entropy"]
    parts = artists.parts
    parts["entropy"].set_width(min(h_p, cap))
    parts["kl"].set_x(min(h_p, cap))
    parts["kl"].set_width(max(0.0, min(h_p + kl, cap) - min(h_p, cap)))
    parts["cross"].set_width(min(h_pq, cap))
    for text, value, label in (
        (artists.totals[0], h_p + kl, f"{h_p:.3f} + {format_loss(kl)}"),
        (artists.totals[1], h_pq, format_loss(h_pq)),
    ):
        text.set_x(min(value, cap) + 0.04 if np.isfinite(value) else cap - 0.6)
        text.set_text(label)
    return False


def describe(state: dict) -> str:
    """The readout: H(p), KL(p‖q), H(p, q) and the reverse KL(q‖p)."""
    note = " (all weights were zero: using the uniform distribution)"
    return (
        f"H(p) = {state['entropy']:.3f}, KL(p‖q) = {format_loss(state['kl'])}, "
        f"<b>H(p, q) = {format_loss(state['cross_entropy'])} nats</b>; "
        f"reverse KL(q‖p) = {format_loss(state['kl_reverse'])}"
        + (note if state["uniform_fallback"] else "")
    )


def distribution_explorer(p=(0.6, 0.3, 0.1), q=(0.3, 0.4, 0.3)) -> Explorer:
    """Set a true distribution p and a model's q over three classes; watch the entropies.

    ``p`` and ``q`` are three weights each (cat, dog, bird), each in [0, 1]. Controls:
    ``p_cat``, ``p_dog``, ``p_bird``, ``q_cat``, ``q_dog``, ``q_bird``: weights,
    normalised to sum to 1 (all zero means uniform). State: ``p``, ``q``, ``entropy`` H(p),
    ``cross_entropy`` H(p, q), ``kl`` KL(p‖q), ``kl_reverse`` KL(q‖p), ``identity_gap``.
    """
    weights = {
        "p": check_vector(p, "p", OUTCOMES, low=0.0, high=1.0, example=(0.6, 0.3, 0.1)),
        "q": check_vector(q, "q", OUTCOMES, low=0.0, high=1.0, example=(0.3, 0.4, 0.3)),
    }
    controls = {
        f"{name}_{outcome}": slider(
            f"{name}({outcome}) weight", value, 0.0, 1.0, 0.01, width="230px"
        )
        for name, values in weights.items()
        for outcome, value in zip(OUTCOMES, values, strict=True)
    }
    artists = build(distribution_state(weights["p"], weights["q"]))
    return Explorer(
        "Distribution explorer",
        controls,
        state_from_controls,
        artists.figure,
        functools.partial(draw, artists),
        describe,
        animated=artists.animated,
        figure_text=FIGURE_TEXT,
    )
