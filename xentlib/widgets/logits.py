"""Logits explorer: logits and temperature → q = softmax(z / T) → loss, and the gradient
∂L/∂z = (q − e_y) / T."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from matplotlib import transforms
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text

from .. import plotting
from .._validation import check_number
from ..special import log_softmax
from ._arguments import check_class, check_vector
from ._explorer import Explorer, choice, confidently_wrong_note, new_figure, slider

FIGURE_TEXT = (
    "Figure: left, the probabilities q of the three classes as bars, the true class's bar "
    "green and hatched and marked (true); right, the gradient ∂L/∂z of each logit as a bar "
    "above or below zero."
)
N_CLASSES = 3
LOGIT_RANGE = 50.0
T_MIN, T_MAX = 0.1, 5.0
# The gradient panel's y range: ±1.05 holds every gradient at T ≥ 1 (|q − e_y| ≤ 1); below
# T = 1 the gradient (q − e_y) / T can reach ±1/T, so the range widens in a few steps.
GRAD_LIMITS = (1.05, 2.1, 5.25, 10.5)


def logits_state(logits, temperature: float = 1.0, true_class: int = 0) -> dict:
    """Softmax, loss and gradient for one example (pure).

    .. math::
        q = \\mathrm{softmax}(z / T), \\quad L = -\\log q_y, \\quad
        \\frac{\\partial L}{\\partial z} = \\frac{q - e_y}{T}

    ``probs`` is q, ``softmax_minus_y`` is q − e_y and ``grad`` is ∂L/∂z.

    >>> s = logits_state([0.0, 0.0, 0.0], 1.0, 2)
    >>> round(s["loss"], 4), s["softmax_minus_y"].round(3).tolist()
    (1.0986, [0.333, 0.333, -0.667])
    """
    z = np.asarray(logits, dtype=float)
    log_p = log_softmax(z, temperature=temperature)
    probs = np.exp(log_p)
    onehot = np.zeros_like(probs)
    onehot[true_class] = 1.0
    residual = probs - onehot
    return {
        "logits": z,
        "temperature": float(temperature),
        "true_class": int(true_class),
        "probs": probs,
        "loss": float(-log_p[true_class]),
        "softmax_minus_y": residual,
        "grad": residual / temperature,
        "predicted": int(np.argmax(probs)),
    }


def state_from_controls(z0, z1, z2, temperature, true_class) -> dict:
    """The explorer's controls → :func:`logits_state`."""
    return logits_state([z0, z1, z2], temperature, true_class)


def grad_limit(grad) -> float:
    """The gradient panel's y range, ±this: the smallest of :data:`GRAD_LIMITS` that holds
    every entry of ``grad``."""
    largest = float(np.max(np.abs(grad)))
    return next((lim for lim in GRAD_LIMITS if largest <= lim), GRAD_LIMITS[-1])


@dataclass(frozen=True)
class Artists:
    """What :func:`build` made: the figure and the artists :func:`draw` moves."""

    figure: Figure
    ax_p: Axes  # the probabilities
    ax_g: Axes  # the gradient
    p_bars: list  # q = softmax(z / T), one bar per class
    p_notes: list  # each probability, above its bar
    g_bars: list  # ∂L/∂z, one bar per class
    loss_text: Text
    true_marks: list  # "(true)" under the true class's label, one per panel

    @property
    def animated(self) -> list:
        return [*self.p_bars, *self.p_notes, *self.g_bars, self.loss_text, *self.true_marks]

    @property
    def slow(self) -> list:
        return list(self.true_marks)  # redrawn only when the true class changes


def build(start: dict) -> Artists:
    """Probability bars beside gradient bars, drawn for the state ``start``."""
    fig = new_figure(figsize=(8, 3.4))
    ax_p, ax_g = fig.subplots(1, 2)
    p_bars = plotting.probability_bars(start["probs"], true_class=start["true_class"], ax=ax_p)
    ax_p.set_ylim(0, 1.3)
    ax_p.set_title("q = softmax(z / T)")
    p_notes = [ax_p.text(i, 0, "", ha="center", va="bottom", fontsize=10) for i in range(3)]
    limit = grad_limit(start["grad"])
    g_bars = plotting.gradient_bars(start["grad"], ylim=(-limit, limit), ax=ax_g)
    ax_g.set_ylabel("∂L/∂z = (q − e_y) / T")
    ax_g.set_title("gradient (descent moves z against it)", fontsize=11)
    loss_text = ax_p.text(
        0.03, 0.98, "", transform=ax_p.transAxes, va="top", fontsize=10, fontweight="bold"
    )
    marks = [mark_line(ax, names) for ax, names in ((ax_p, P_LABELS), (ax_g, G_LABELS))]
    return Artists(fig, ax_p, ax_g, list(p_bars), p_notes, list(g_bars), loss_text, marks)


P_LABELS = [f"class {i}" for i in range(N_CLASSES)]
G_LABELS = [f"z{i}" for i in range(N_CLASSES)]


def mark_line(ax: Axes, names: list) -> Text:
    """Tick labels with an empty second line, and the "(true)" that moves along that line
    to the true class (the bar of a true class with probability ≈ 0 is too short to see).
    The labels never change, so a new true class is a blit, not a redraw of the figure."""
    ax.set_xticks(range(len(names)), [f"{name}\n " for name in names])
    size = ax.get_xticklabels()[0].get_fontsize()
    below_first_line = transforms.offset_copy(
        ax.get_xaxis_transform(),
        fig=ax.figure,
        y=-(ax.xaxis.get_tick_padding() + 1.3 * size),
        units="points",
    )
    return ax.text(
        0,
        0,
        "(true)",
        transform=below_first_line,
        ha="center",
        va="top",
        fontsize=size,
        color="black",
        fontweight="bold",
    )


def draw(artists: Artists, state: dict) -> bool:
    """Set the bars, the notes and the loss; mark the true class. True when the gradient's
    range changed (the static part must be redrawn)."""
    y = state["true_class"]
    plotting.highlight_class(artists.p_bars, y)
    for bar, note, p in zip(artists.p_bars, artists.p_notes, state["probs"], strict=True):
        bar.set_height(p)
        note.set_y(p + 0.01)
        note.set_text(f"{p:.3f}")
    for bar, g in zip(artists.g_bars, state["grad"], strict=True):
        bar.set_height(g)
    plotting.colour_by_sign(artists.g_bars, state["grad"])
    artists.loss_text.set_text(f"loss −log q_y = {state['loss']:.3f} nats")
    for mark in artists.true_marks:
        if mark.get_position()[0] != y:  # set_x would mark it for a redraw
            mark.set_x(y)
    limit = grad_limit(state["grad"])
    if artists.ax_g.get_ylim() == (-limit, limit):
        return False
    artists.ax_g.set_ylim(-limit, limit)
    return True


def describe(state: dict) -> str:
    """The readout: the probabilities q, the loss and the gradient ∂L/∂z = (q − e_y) / T."""
    grad = ", ".join(f"{g:+.3f}" for g in state["grad"])
    verdict = confidently_wrong_note(state)
    return (
        f"q = [{', '.join(f'{p:.3f}' for p in state['probs'])}], "
        f"<b>loss = {state['loss']:.3f} nats</b>, ∂L/∂z = (q − e_y)/T = [{grad}]{verdict}"
    )


def logits_explorer(logits=(2.0, 1.0, 0.1), temperature: float = 1.0, true_class: int = 0):
    """Move the logits and the temperature; watch q = softmax(z / T), the loss and the gradient.

    ``logits`` are three numbers in [−50, 50]. Controls: ``z0``, ``z1``, ``z2`` (−50 to 50),
    ``temperature`` (0.1 to 5), ``true_class``. State: ``probs`` (q), ``loss``, ``grad``
    (∂L/∂z = (q − e_y) / T, what the right panel draws), ``softmax_minus_y`` (q − e_y),
    ``predicted``. The true class is marked by its green, hatched bar and by "(true)"
    under its label in both panels.
    """
    logits = check_vector(
        logits, "logits", P_LABELS, low=-LOGIT_RANGE, high=LOGIT_RANGE, example=(2.0, 1.0, 0.1)
    )
    temperature = check_number(temperature, "temperature", example=1.0, low=T_MIN, high=T_MAX)
    true_class = check_class(true_class, N_CLASSES)
    controls = {
        f"z{i}": slider(
            f"logit z{i}", value, -LOGIT_RANGE, LOGIT_RANGE, 0.1, fmt=".1f", width="300px"
        )
        for i, value in enumerate(logits)
    }
    controls["temperature"] = slider("temperature T", temperature, T_MIN, T_MAX, 0.05)
    controls["true_class"] = choice(
        "true class", [(label, i) for i, label in enumerate(P_LABELS)], true_class
    )
    artists = build(logits_state(logits, temperature, true_class))
    return Explorer(
        "Logits explorer",
        controls,
        state_from_controls,
        artists.figure,
        functools.partial(draw, artists),
        describe,
        animated=artists.animated,
        slow=artists.slow,
        figure_text=FIGURE_TEXT,
    )
