"""Interactive explorers: move a control, watch the loss respond.

Every explorer follows one protocol, so it can be driven with no browser:

- ``.controls``: name → ipywidget; setting ``.value`` updates everything at once;
- ``.state``: the current computed values (plain floats and arrays), from a *pure* function
  of the controls' values, tested on its own;
- ``.figure``: the matplotlib Figure, built once; events update its artists in place;
- ``.close()``; and the explorer displays itself in a notebook.

With ``%matplotlib widget`` (ipympl) the figure is a live canvas; with any other backend
it is redrawn into an image widget, so explorers still work, only a little slower.
"""

from __future__ import annotations

import html
import io
from collections.abc import Callable

import ipywidgets as W
import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from . import plotting
from .information import surprisal


def _uses_ipympl() -> bool:
    return "ipympl" in mpl.get_backend() or mpl.get_backend().endswith("widget")


def new_figure(figsize=(6, 3.6)) -> Figure:
    """A figure for an explorer: an ipympl canvas when ``%matplotlib widget`` is active."""
    plotting.use_style()
    if _uses_ipympl():
        with plt.ioff():
            fig = plt.figure(figsize=figsize, layout="constrained")
        fig.canvas.header_visible = False
        fig.canvas.toolbar_visible = False
        fig.canvas.footer_visible = False
        fig.canvas.resizable = False
        fig.canvas.capture_scroll = False
        return fig
    return Figure(figsize=figsize, layout="constrained")  # not registered with pyplot


class Explorer:
    """Wires controls to a pure ``compute`` function and an in-place ``draw`` function.

    Parameters
    ----------
    title : str
        Shown above the controls and in the plain-text view.
    controls : dict of str → ipywidgets.ValueWidget
    compute : callable
        ``compute(**values) -> dict``: the state, from the controls' values only.
    figure : matplotlib.figure.Figure
    draw : callable
        ``draw(state)``: update the figure's artists in place (``set_data``, ``set_height``…).
    describe : callable
        ``describe(state) -> str``: a one-line readout (also the plain-text view).
    """

    def __init__(
        self,
        title: str,
        controls: dict,
        compute: Callable,
        figure: Figure,
        draw: Callable,
        describe: Callable,
    ):
        self.title = title
        self.controls = controls
        self.figure = figure
        self._compute, self._draw, self._describe = compute, draw, describe
        self._readout = W.HTML(layout=W.Layout(min_height="1.6em"))
        self._live_canvas = isinstance(figure.canvas, W.DOMWidget)
        view = figure.canvas if self._live_canvas else W.Image(format="png")
        self._image = None if self._live_canvas else view
        row = W.HBox(list(controls.values()), layout=W.Layout(flex_flow="row wrap"))
        self.root = W.VBox([W.HTML(f"<b>{html.escape(title)}</b>"), row, self._readout, view])
        for control in controls.values():
            control.observe(self._on_change, names="value")
        self.state = {}
        self.update()

    def values(self) -> dict:
        return {name: control.value for name, control in self.controls.items()}

    def _on_change(self, _change) -> None:
        self.update()

    def update(self) -> None:
        """Recompute the state from the controls and redraw the figure in place."""
        self.state = self._compute(**self.values())
        self._draw(self.state)
        self._readout.value = self._describe(self.state)
        if self._live_canvas:
            self.figure.canvas.draw_idle()
        else:
            buffer = io.BytesIO()
            self.figure.savefig(buffer, format="png")
            self._image.value = buffer.getvalue()

    def summary(self) -> str:
        text = html.unescape(self._describe(self.state))
        for tag in ("<b>", "</b>", "<i>", "</i>"):
            text = text.replace(tag, "")
        return f"{self.title}: {text} (run this cell in JupyterLab to use the controls)"

    def __repr__(self) -> str:
        return self.summary()

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.root._repr_mimebundle_(include=include, exclude=exclude) or {}
        bundle["text/plain"] = self.summary()
        return bundle

    def close(self) -> None:
        for control in self.controls.values():
            control.close()
        self.root.close()
        plt.close(self.figure)


# ---- probability explorer ------------------------------------------------------------
P_MIN_DRAWN = 1e-3  # the curve is drawn down to here; below, the loss is shown as an arrow
WRONG_BELOW = 0.1


def probability_state(p: float, unit: str = "nats") -> dict:
    """The loss when the true class gets probability ``p`` (pure; ``p = 0`` gives ``inf``).

    >>> s = probability_state(0.5, "bits")
    >>> s["loss"], s["confidently_wrong"]
    (1.0, False)
    >>> probability_state(0.0)["loss"]
    inf
    """
    if unit not in ("nats", "bits"):
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


def _fmt_loss(x: float) -> str:
    return "∞" if np.isinf(x) else f"{x:.3f}"


def probability_explorer(p: float = 0.5) -> Explorer:
    """Slide the probability of the true class; watch the loss −log p.

    Controls: ``p`` (0 to 1) and ``unit`` (nats or bits). State: ``loss`` in the chosen
    unit, ``loss_nats``, ``loss_bits``, ``confidently_wrong``.
    """
    controls = {
        "p": W.FloatSlider(
            value=p,
            min=0.0,
            max=1.0,
            step=0.01,
            description="p(true class)",
            readout_format=".2f",
            style={"description_width": "initial"},
            layout=W.Layout(width="360px"),
        ),
        "unit": W.ToggleButtons(
            options=["nats", "bits"],
            value="nats",
            description="unit",
            style={"button_width": "60px"},
        ),
    }
    fig = new_figure()
    ax = fig.add_subplot()
    artists = plotting.surprisal_curve(p_min=P_MIN_DRAWN, wrong_below=WRONG_BELOW, ax=ax)
    grid = artists["line"].get_xdata()
    (point,) = ax.plot([], [], "o", ms=10, color=plotting.PALETTE["vermillion"], zorder=3)
    label = ax.annotate(
        "", xy=(0, 0), xytext=(12, 8), textcoords="offset points", fontsize=11, fontweight="bold"
    )
    ymax = {"nats": -np.log(P_MIN_DRAWN) * 1.05, "bits": -np.log2(P_MIN_DRAWN) * 1.05}

    def draw(state):
        scale = 1.0 if state["unit"] == "nats" else 1 / np.log(2)
        artists["line"].set_ydata(-np.log(grid) * scale)
        ax.set_ylim(0, ymax[state["unit"]])
        ax.set_ylabel(f"loss ({state['unit']})")
        shown = min(state["loss"], ymax[state["unit"]] * 0.97)
        point.set_data([state["p"]], [shown])
        point.set_marker("^" if shown < state["loss"] else "o")
        label.xy = (state["p"], shown)
        label.set_text(f"{_fmt_loss(state['loss'])} {state['unit']}")
        label.set_horizontalalignment("right" if state["p"] > 0.7 else "left")
        label.set_position((-12 if state["p"] > 0.7 else 12, 8))

    def describe(state):
        verdict = (
            " — <b>confidently wrong</b>: the loss explodes as p → 0"
            if state["confidently_wrong"]
            else ""
        )
        return (
            f"p = {state['p']:.2f} → loss = −log p = <b>{_fmt_loss(state['loss'])} "
            f"{state['unit']}</b>{verdict}"
        )

    return Explorer("Probability explorer", controls, probability_state, fig, draw, describe)


EXPLORERS = {"probability_explorer": probability_explorer}
