"""The machinery every explorer shares: a figure, controls, and fast in-place redraws.

An event (a control moves) runs ``compute`` (pure), then ``draw`` (updates artists in
place), then repaints the figure and sends it to the browser as a PNG, with the readout and
the figure's text alternative, in one message (:class:`~xentlib.widgets._view.ExplorerView`).
Repainting uses *blitting*: the static part of the figure (axes, ticks, legend, curves that
do not move) is rendered once and kept as a bitmap; each event restores that bitmap and draws
only the ``animated`` artists on top. Animated artists that change seldom and cost much to
draw (a heat map, a cloud of points: ``slow``) are kept in a second bitmap, redrawn only when
one of them changed (matplotlib marks it *stale*). A full redraw happens only when ``draw``
says the static part changed (it returns True), or when the browser's pixel ratio changed.
This keeps an event at a few milliseconds instead of tens.
"""

from __future__ import annotations

import contextlib
import html
import re
from collections.abc import Callable, Sequence

import numpy as np
from matplotlib.backend_bases import MouseEvent
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .. import plotting
from ._controls import Button, Choice, Slider
from ._png import encode_png
from ._view import ExplorerView

DPI = 100  # figure pixels per CSS pixel × this = dots per inch; see ``new_figure``


def new_figure(figsize=(6, 3.6)) -> Figure:
    """A figure for an explorer, drawn by Agg (never registered with pyplot).

    It is shown at ``figsize`` × 100 CSS pixels (smaller only when the notebook is narrower)
    and drawn at the screen's pixel ratio, so a font of 10 points in the figure is
    10 × 100 / 72 = 13.9 CSS pixels (10.4 CSS points) on screen.
    """
    plotting.use_style()
    fig = Figure(figsize=figsize, dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def slider(description, value, lo, hi, step, *, fmt=None, width="300px", integer=False):
    """A :class:`Slider` in the course's style: ``fmt`` (".2f") fixes its decimals (default:
    those of ``step``), ``width`` its length."""
    decimals = int(fmt.strip(".f")) if fmt else None
    width = int(str(width).removesuffix("px"))
    return Slider(description, value, lo, hi, step, integer=integer, decimals=decimals, width=width)


def choice(description, options, value) -> Choice:
    """A :class:`Choice` of ``options`` (values, or ``(label, value)`` pairs)."""
    return Choice(description, options, value)


def button(description, *, tooltip="", primary=False) -> Button:
    """A push :class:`Button`."""
    return Button(description, tooltip=tooltip, primary=primary)


def format_loss(x: float, digits: int = 3) -> str:
    """A loss for display: ``∞`` for infinity, else ``digits`` decimals."""
    return "∞" if np.isinf(x) else f"{x:.{digits}f}"


def confidently_wrong_note(state: dict, threshold: float = 0.9) -> str:
    """ " — confidently wrong" (HTML) when the top class is wrong and above ``threshold``."""
    wrong = state["predicted"] != state["true_class"]
    return " — <b>confidently wrong</b>" if wrong and state["probs"].max() > threshold else ""


def plain_text(markup: str) -> str:
    """A readout's HTML as plain text (for the text view and the figure's alternative).

    >>> plain_text("q = 0.50 → loss = <b>0.693 nats</b> &amp; more")
    'q = 0.50 → loss = 0.693 nats & more'
    """
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


class Explorer:
    """Wires controls to a pure ``compute`` function and an in-place ``draw`` function.

    Parameters
    ----------
    title : str
        Shown above the controls and in the plain-text view.
    controls : dict of str → Slider, Choice or Button
        Made with :func:`slider`, :func:`choice`, :func:`button`.
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
    slow : sequence of Artist
        Those of ``animated`` that seldom change and are slow to draw; ``draw`` must leave
        them alone (not even ``set_data`` with the same data) unless they change.
    figure_text : str
        What the figure shows, in words: with the readout, its text alternative
        (:attr:`alt`), which follows every move.
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
        figure_text: str = "",
        slow: Sequence = (),
    ):
        self.title = title
        self.controls = controls
        self.figure = figure
        self.figure_text = figure_text
        self._compute, self._draw, self._describe = compute, draw, describe
        self._slow = [a for a in animated if any(a is b for b in slow)]
        self._animated = [a for a in animated if not any(a is b for b in slow)]
        self._slow_background = None
        for artist in [*self._slow, *self._animated]:
            artist.set_animated(True)
            artist.set_in_layout(False)  # moving artists never shift the layout
        self._background = None
        self._draw_cid = figure.canvas.mpl_connect("draw_event", self._on_full_draw)
        self._width = round(figure.get_figwidth() * DPI)
        self.view = ExplorerView(
            title=title,
            controls=[control.spec(name) for name, control in controls.items()],
            values=self._browser_values(),
            width=self._width,
        )
        for control in controls.values():
            if not isinstance(control, Button):  # buttons act through on_click
                control.observe(self._on_change, names="value")
        self.view.observe(self._on_browser_values, names="values")
        self.view.observe(self._on_pixel_ratio, names="pixel_ratio")
        self.view.on_msg(self._on_browser_message)
        self._held = self._sending = False
        self.state = {}
        self.update(full=True)

    # ---- events ----------------------------------------------------------------------
    def values(self) -> dict:
        """The value of every control except buttons (which have none)."""
        return {
            name: control.value
            for name, control in self.controls.items()
            if not isinstance(control, Button)
        }

    def _browser_values(self) -> dict:
        return {
            name: control.to_browser(control.value) if isinstance(control, Choice) else value
            for name, value in self.values().items()
            for control in (self.controls[name],)
        }

    def _on_change(self, _change) -> None:
        if not self._held:
            self.update()

    def _on_browser_values(self, change) -> None:
        """The learner moved a control: set it (and any other that differs), update once."""
        if self._sending:  # our own update of the view, not the learner's
            return
        with self.hold():
            for name, value in change["new"].items():
                control = self.controls.get(name)
                if control is not None and not isinstance(control, Button):
                    control.value = control.from_browser(value)

    def _on_browser_message(self, _view, content, _buffers) -> None:
        if content.get("type") == "press" and isinstance(
            self.controls.get(content.get("name")), Button
        ):
            self.controls[content["name"]].click()
        elif content.get("type") == "click":
            self.click(float(content["x"]), float(content["y"]))

    def click(self, x: float, y: float) -> None:
        """A click on the figure at ``x``, ``y`` (fractions of its width and height from the
        top left), given to matplotlib's ``button_press_event`` handlers."""
        width, height = self.figure.canvas.get_width_height(physical=True)
        event = MouseEvent("button_press_event", self.figure.canvas, x * width, (1 - y) * height, 1)
        self.figure.canvas.callbacks.process(event.name, event)

    def _on_pixel_ratio(self, change) -> None:
        self.figure.set_dpi(DPI * float(change["new"]))
        self._repaint(full=True)

    @contextlib.contextmanager
    def hold(self):
        """Set several controls at once: one update at the end instead of one per control."""
        if self._held:  # already held by the caller: it updates at its end
            yield self
            return
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
        """Make ``state`` the current state: update the artists, the readout, the figure."""
        self.state = state
        full = bool(self._draw(state)) or full
        self._repaint(full)

    @property
    def readout(self) -> str:
        """The readout (HTML) of the current state."""
        return self._describe(self.state)

    @property
    def alt(self) -> str:
        """The figure's text alternative: what it shows, then the readout, as plain text."""
        return f"{self.figure_text} Now: {plain_text(self.readout)}".strip()

    # ---- painting --------------------------------------------------------------------
    def _on_full_draw(self, _event) -> None:
        # After every full draw, keep the static background and paint the animated artists
        # on top. While saving, matplotlib already draws animated artists itself.
        canvas = self.figure.canvas
        if canvas.is_saving():
            return
        if self.figure.get_layout_engine() is not None:
            # Freeze the layout found by the first draw: later redraws skip the layout
            # solver (a third of a full draw) and nothing on the figure ever jumps.
            self.figure.set_layout_engine("none")
        self._background = canvas.copy_from_bbox(self.figure.bbox)
        self._slow_background = None
        self._draw_animated()

    def _draw_animated(self) -> None:
        """Paint the slow artists (from their bitmap unless one changed), then the others."""
        canvas = self.figure.canvas
        if self._slow:
            if self._slow_background is None or any(a.stale for a in self._slow):
                canvas.restore_region(self._background)
                for artist in self._slow:
                    self.figure.draw_artist(artist)
                self._slow_background = canvas.copy_from_bbox(self.figure.bbox)
            else:
                canvas.restore_region(self._slow_background)
        for artist in self._animated:
            self.figure.draw_artist(artist)

    def _repaint(self, full: bool) -> None:
        canvas = self.figure.canvas
        if full or self._background is None:
            canvas.draw()  # fires draw_event → _on_full_draw
        else:
            canvas.restore_region(self._background)
            self._draw_animated()
        self._sending = True
        try:
            with self.view.hold_sync():  # one message: the values, the text and the picture
                self.view.values = self._browser_values()
                self.view.readout = self.readout
                self.view.alt = self.alt
                self.view.png = self.png()
        finally:
            self._sending = False

    def png(self) -> bytes:
        """The figure as PNG bytes, exactly as last painted."""
        return encode_png(np.asarray(self.figure.canvas.buffer_rgba()))

    # ---- display ---------------------------------------------------------------------
    def summary(self) -> str:
        text = plain_text(self.readout)
        return f"{self.title}: {text} (run this cell in JupyterLab to use the controls)"

    def __repr__(self) -> str:
        return self.summary()

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.view._repr_mimebundle_(include=include, exclude=exclude) or {}
        data, metadata = bundle if isinstance(bundle, tuple) else (bundle, {})
        return {**data, "text/plain": self.summary()}, metadata

    def close(self) -> None:
        self.figure.canvas.mpl_disconnect(self._draw_cid)
        self.view.close()
