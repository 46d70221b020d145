"""Logits explorer: logits and temperature → softmax → loss, and the gradient softmax − y."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import ipywidgets as W
import numpy as np
from matplotlib.figure import Figure
from matplotlib.text import Text

from .. import plotting
from .._validation import check_number
from ..special import log_softmax
from ._arguments import check_class, check_vector
from ._explorer import Explorer, confidently_wrong_note, new_figure, slider

N_CLASSES = 3
LOGIT_RANGE = 50.0
T_MIN, T_MAX = 0.1, 5.0


def logits_state(logits, temperature: float = 1.0, true_class: int = 0) -> dict:
    """Softmax, loss and gradient for one example (pure).

    .. math::
        p = \\mathrm{softmax}(z / T), \\quad L = -\\log p_y, \\quad
        \\frac{\\partial L}{\\partial z} = \\frac{p - e_y}{T}

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


@dataclass(frozen=True)
class Artists:
    """What :func:`build` made: the figure and the artists :func:`draw` moves."""

    figure: Figure
    p_bars: list  # softmax probabilities, one bar per class
    p_notes: list  # each probability, above its bar
    g_bars: list  # softmax − y, one bar per class
    loss_text: Text

    @property
    def animated(self) -> list:
        return [*self.p_bars, *self.p_notes, *self.g_bars, self.loss_text]


def build(start: dict) -> Artists:
    """Probability bars beside gradient bars, drawn for the state ``start``."""
    fig = new_figure(figsize=(8, 3.4))
    ax_p, ax_g = fig.subplots(1, 2)
    p_bars = plotting.probability_bars(start["probs"], true_class=start["true_class"], ax=ax_p)
    ax_p.set_ylim(0, 1.3)
    ax_p.set_title("p = softmax(z / T)")
    p_notes = [ax_p.text(i, 0, "", ha="center", va="bottom", fontsize=10) for i in range(3)]
    g_bars = plotting.gradient_bars(start["softmax_minus_y"], ax=ax_g)
    ax_g.set_ylabel("softmax − y  (= T · ∂L/∂z)")
    ax_g.set_title("gradient (descent moves z against it)", fontsize=11)
    loss_text = ax_p.text(
        0.03, 0.98, "", transform=ax_p.transAxes, va="top", fontsize=10, fontweight="bold"
    )
    return Artists(fig, list(p_bars), p_notes, list(g_bars), loss_text)


def draw(artists: Artists, state: dict) -> bool:
    """Set the bars, the notes and the loss; mark the true class (False: nothing static)."""
    plotting.highlight_class(artists.p_bars, state["true_class"])
    for bar, note, p in zip(artists.p_bars, artists.p_notes, state["probs"], strict=True):
        bar.set_height(p)
        note.set_y(p + 0.01)
        note.set_text(f"{p:.3f}")
    for bar, g in zip(artists.g_bars, state["softmax_minus_y"], strict=True):
        bar.set_height(g)
    plotting.colour_by_sign(artists.g_bars, state["softmax_minus_y"])
    artists.loss_text.set_text(f"loss −log p_y = {state['loss']:.3f} nats (green = y)")
    return False


def describe(state: dict) -> str:
    """The readout: the probabilities, the loss and the gradient ∂L/∂z."""
    grad = ", ".join(f"{g:+.3f}" for g in state["grad"])
    verdict = confidently_wrong_note(state)
    return (
        f"p = [{', '.join(f'{p:.3f}' for p in state['probs'])}], "
        f"<b>loss = {state['loss']:.3f} nats</b>, ∂L/∂z = [{grad}]{verdict}"
    )


def logits_explorer(logits=(2.0, 1.0, 0.1), temperature: float = 1.0, true_class: int = 0):
    """Move the logits and the temperature; watch softmax, the loss and the gradient.

    ``logits`` are three numbers in [−50, 50]. Controls: ``z0``, ``z1``, ``z2`` (−50 to 50),
    ``temperature`` (0.1 to 5), ``true_class``. State: ``probs``, ``loss``, ``grad``
    (∂L/∂z), ``softmax_minus_y``, ``predicted``.
    """
    classes = [f"class {i}" for i in range(N_CLASSES)]
    logits = check_vector(
        logits, "logits", classes, low=-LOGIT_RANGE, high=LOGIT_RANGE, example=(2.0, 1.0, 0.1)
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
    controls["true_class"] = W.ToggleButtons(
        options=[(label, i) for i, label in enumerate(classes)],
        value=true_class,
        description="true class",
        style={"button_width": "70px"},
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
    )
