"""The machinery every explorer shares: a figure, controls, and fast in-place redraws.

An event (a control moves) runs ``compute`` (pure), then ``draw`` (updates artists in
place), then repaints the canvas. Repainting uses *blitting*: the static part of the figure
(axes, ticks, legend, curves that do not move) is rendered once and kept as a bitmap; each
event restores that bitmap and draws only the ``animated`` artists on top. A full redraw
happens only when ``draw`` says the static part changed (it returns True), or when the
canvas was resized. This keeps an event at a few milliseconds instead of tens.
"""

from __future__ import annotations

import contextlib
import html
import io
from collections.abc import Callable, Sequence

import ipywidgets as W
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from .. import plotting, setup_check
from . import _ipympl_compat as ipympl_compat


def new_figure(figsize=(6, 3.6)) -> Figure:
    """A figure for an explorer: a live ipympl canvas in a kernel, else a plain Agg canvas.

    The figure is never registered with pyplot unless ``%matplotlib widget`` is active, so
    building one displays nothing by itself and an inline backend never shows it twice.
    """
    plotting.use_style()
    if ipympl_compat.uses_ipympl():
        with plt.ioff():
            fig = plt.figure(figsize=figsize, layout="constrained")
        ipympl_compat.prepare_canvas(fig.canvas)
        return fig
    fig = Figure(figsize=figsize, layout="constrained")
    if setup_check.in_kernel():
        ipympl_compat.live_canvas(fig)
    else:
        FigureCanvasAgg(fig)
    return fig


def slider(description, value, lo, hi, step, *, fmt=".2f", width="300px"):
    """A FloatSlider in the course's style (description shown in full, fixed width)."""
    return W.FloatSlider(
        value=value,
        min=lo,
        max=hi,
        step=step,
        description=description,
        readout_format=fmt,
        continuous_update=True,
        style={"description_width": "initial"},
        layout=W.Layout(width=width),
    )


def format_loss(x: float, digits: int = 3) -> str:
    """A loss for display: ``∞`` for infinity, else ``digits`` decimals."""
    return "∞" if np.isinf(x) else f"{x:.{digits}f}"


def confidently_wrong_note(state: dict, threshold: float = 0.9) -> str:
    """ " — confidently wrong" (HTML) when the top class is wrong and above ``threshold``."""
    wrong = state["predicted"] != state["true_class"]
    return " — <b>confidently wrong</b>" if wrong and state["probs"].max() > threshold else ""


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
        Made by :func:`new_figure`.
    draw : callable
        ``draw(state) -> bool``: update the figure's artists in place (``set_data``,
        ``set_height``…). Return True when something outside ``animated`` changed (an axis
        limit or label), so the whole figure must be redrawn.
    describe : callable
        ``describe(state) -> str``: a one-line HTML readout (also the plain-text view).
    animated : sequence of Artist
        The artists ``draw`` moves; only they are redrawn on an ordinary event.
    """

    def __init__(
        self,
        title: str,
        controls: dict,
        compute: Callable,
        figure: Figure,
        draw: Callable,
        describe: Callable,
        animated: Sequence = (),
    ):
        self.title = title
        self.controls = controls
        self.figure = figure
        self._compute, self._draw, self._describe = compute, draw, describe
        self._animated = list(animated)
        for artist in self._animated:
            artist.set_animated(True)
            artist.set_in_layout(False)  # moving artists never shift the layout
        self._background = None
        self._background_renderer = None
        self._draw_cid = figure.canvas.mpl_connect("draw_event", self._on_full_draw)

        self._readout = W.HTML(layout=W.Layout(min_height="1.6em"))
        self._live_canvas = isinstance(figure.canvas, W.DOMWidget)
        view = figure.canvas if self._live_canvas else W.Image(format="png")
        self._image = None if self._live_canvas else view
        row = W.HBox(list(controls.values()), layout=W.Layout(flex_flow="row wrap"))
        self.root = W.VBox([W.HTML(f"<b>{html.escape(title)}</b>"), row, self._readout, view])
        for control in controls.values():
            if not isinstance(control, W.Button):  # buttons act through on_click
                control.observe(self._on_change, names="value")
        self._held = False
        self.state = {}
        self.update(full=True)

    # ---- events ----------------------------------------------------------------------
    def values(self) -> dict:
        """The value of every control except buttons (which have none)."""
        return {
            name: control.value
            for name, control in self.controls.items()
            if not isinstance(control, W.Button)
        }

    def _on_change(self, _change) -> None:
        if not self._held:
            self.update()

    @contextlib.contextmanager
    def hold(self):
        """Set several controls at once: one update at the end instead of one per control."""
        self._held = True
        try:
            yield self
        finally:
            self._held = False
            self.update()

    def update(self, *, full: bool = False) -> None:
        """Recompute the state from the controls and repaint the figure."""
        self.show(self._compute(**self.values()), full=full)

    def show(self, state: dict, *, full: bool = False) -> None:
        """Make ``state`` the current state: update the artists, the readout, the canvas."""
        self.state = state
        full = bool(self._draw(state)) or full
        self._readout.value = self._describe(state)
        self._repaint(full)

    # ---- painting --------------------------------------------------------------------
    def _on_full_draw(self, event) -> None:
        # After every full draw (ours, a browser resize, a HiDPI switch), keep the static
        # background and paint the animated artists on top. While saving, matplotlib
        # already draws animated artists itself.
        canvas = self.figure.canvas
        if canvas.is_saving():
            return
        if self.figure.get_layout_engine() is not None:
            # Freeze the layout found by the first draw: later redraws skip the layout
            # solver (a third of a full draw) and nothing on the figure ever jumps.
            self.figure.set_layout_engine("none")
        self._background = canvas.copy_from_bbox(self.figure.bbox)
        self._background_renderer = canvas.get_renderer()
        for artist in self._animated:
            self.figure.draw_artist(artist)

    def _repaint(self, full: bool) -> None:
        canvas = self.figure.canvas
        stale_background = (
            self._background is None or canvas.get_renderer() is not self._background_renderer
        )
        if full or stale_background:
            if self._live_canvas:
                # ipympl: the browser asks for the frame when it is ready (and after resizes);
                # its draw fires draw_event → _on_full_draw, which adds the animated artists.
                canvas.draw_idle()
            else:
                canvas.draw()  # fires draw_event → _on_full_draw
        else:
            canvas.restore_region(self._background)
            for artist in self._animated:
                self.figure.draw_artist(artist)
            if self._live_canvas:
                ipympl_compat.send_whole_frame(canvas)  # a lost diff would leave stale pixels
            canvas.blit(self.figure.bbox)
        if not self._live_canvas:
            self._image.value = self.png()

    def png(self) -> bytes:
        """The canvas as PNG bytes, exactly as last painted."""
        pixels = np.asarray(self.figure.canvas.buffer_rgba())
        with io.BytesIO() as buffer:
            Image.fromarray(pixels).save(buffer, format="png", compress_level=1)
            return buffer.getvalue()

    # ---- display ---------------------------------------------------------------------
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
        self.figure.canvas.mpl_disconnect(self._draw_cid)
        for control in self.controls.values():
            control.close()
        self.root.close()
        if self._live_canvas:
            self.figure.canvas.close()
        plt.close(self.figure)
