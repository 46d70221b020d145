"""Logits explorer: logits and temperature → softmax → loss, and the gradient softmax − y."""

from __future__ import annotations

import ipywidgets as W
import numpy as np

from .. import plotting
from ..special import log_softmax
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


def logits_explorer(logits=(2.0, 1.0, 0.1), temperature: float = 1.0, true_class: int = 0):
    """Move the logits and the temperature; watch softmax, the loss and the gradient.

    Controls: ``z0``, ``z1``, ``z2`` (−50 to 50), ``temperature`` (0.1 to 5), ``true_class``.
    State: ``probs``, ``loss``, ``grad`` (∂L/∂z), ``softmax_minus_y``, ``predicted``.
    """
    controls = {
        f"z{i}": slider(
            f"logit z{i}", value, -LOGIT_RANGE, LOGIT_RANGE, 0.1, fmt=".1f", width="300px"
        )
        for i, value in enumerate(logits)
    }
    controls["temperature"] = slider("temperature T", temperature, T_MIN, T_MAX, 0.05)
    controls["true_class"] = W.ToggleButtons(
        options=[(f"class {i}", i) for i in range(N_CLASSES)],
        value=true_class,
        description="true class",
        style={"button_width": "70px"},
    )
    fig = new_figure(figsize=(8, 3.4))
    ax_p, ax_g = fig.subplots(1, 2)
    start = logits_state(logits, temperature, true_class)
    p_bars = plotting.probability_bars(start["probs"], true_class=true_class, ax=ax_p)
    ax_p.set_ylim(0, 1.3)
    ax_p.set_title("p = softmax(z / T)")
    p_notes = [ax_p.text(i, 0, "", ha="center", va="bottom", fontsize=10) for i in range(3)]
    g_bars = plotting.gradient_bars(start["softmax_minus_y"], ax=ax_g)
    ax_g.set_ylabel("softmax − y  (= T · ∂L/∂z)")
    ax_g.set_title("gradient (descent moves z against it)", fontsize=11)
    loss_text = ax_p.text(
        0.03, 0.98, "", transform=ax_p.transAxes, va="top", fontsize=10, fontweight="bold"
    )

    def draw(state):
        plotting.highlight_class(p_bars, state["true_class"])
        for bar, note, p in zip(p_bars, p_notes, state["probs"], strict=True):
            bar.set_height(p)
            note.set_y(p + 0.01)
            note.set_text(f"{p:.3f}")
        for bar, g in zip(g_bars, state["softmax_minus_y"], strict=True):
            bar.set_height(g)
        plotting.colour_by_sign(g_bars, state["softmax_minus_y"])
        loss_text.set_text(f"loss −log p_y = {state['loss']:.3f} nats (green = y)")
        return False

    def describe(state):
        grad = ", ".join(f"{g:+.3f}" for g in state["grad"])
        verdict = confidently_wrong_note(state)
        return (
            f"p = [{', '.join(f'{p:.3f}' for p in state['probs'])}], "
            f"<b>loss = {state['loss']:.3f} nats</b>, ∂L/∂z = [{grad}]{verdict}"
        )

    def compute(z0, z1, z2, temperature, true_class):
        return logits_state([z0, z1, z2], temperature, true_class)

    animated = [*p_bars, *p_notes, *g_bars, loss_text]
    return Explorer("Logits explorer", controls, compute, fig, draw, describe, animated=animated)
