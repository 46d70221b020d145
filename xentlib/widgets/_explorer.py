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

**Frames ahead.** What a learner sees after a key press on a slider is usually the next
value of that same slider, and the state is a pure function of the controls' values. So
after each move (and when a slider takes the focus) the kernel draws the frames one step
either side, and two steps in the direction of travel, then one step either side on every
other slider, and sends them to the browser, which keeps them by the controls' values
(:meth:`Explorer.key`). A key press whose frame is there shows it at once, without a round
trip to the kernel: over every slider of the course, a median of 25-29 ms from key press to
the new picture on screen, against 67 ms when every frame was drawn on demand (``make
bench-browser`` on 2 cores, 2026-12-07 and 2026-12-08); the kernel still hears
the new values, takes the frame's state from its own store and tells the browser, so both
always agree on what is shown. Frames ahead are drawn one per turn of the kernel's event
loop, so a message from the browser never waits for more than one of them. An explorer whose
state does not follow from its controls alone (the training playground) passes
``ahead=False``; one whose state changes for another reason calls :meth:`Explorer.forget_frames`.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import re
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.backend_bases import MouseEvent
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .. import plotting
from ._controls import Button, Choice, Slider
from ._png import encode_png
from ._view import ExplorerView

DPI = 100  # figure pixels per CSS pixel × this = dots per inch; see ``new_figure``
FRAMES_KEPT = 32  # frames an explorer keeps by their key (the browser keeps 64)


@dataclass(frozen=True)
class Frame:
    """One picture of an explorer: the state it shows, its readout, its text alternative and
    the PNG bytes."""

    state: dict
    readout: str
    alt: str
    png: bytes


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
    ahead : bool
        Keep frames by the controls' values and draw the next ones before they are asked
        for (see the module docstring). False when the state depends on more than the
        controls' values.
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
        ahead: bool = True,
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
        self._ahead = bool(ahead)
        self._frames: OrderedDict[str, Frame] = OrderedDict()  # key → frame, newest last
        self._next: list[dict] = []  # values whose frames are to be drawn ahead, in order
        self._drawing_ahead = False  # a turn of the event loop is booked for the next one
        self._frame = None
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
        """The learner moved a control: set it (and any other that differs), update once;
        then draw ahead the frames the next key presses on a moved slider would ask for."""
        if self._sending:  # our own update of the view, not the learner's
            return
        moved = {}
        with self.hold():
            for name, value in change["new"].items():
                control = self.controls.get(name)
                if control is not None and not isinstance(control, Button):
                    before = control.value
                    control.value = control.from_browser(value)
                    if isinstance(control, Slider) and control.value != before:
                        moved[name] = 1 if control.value > before else -1
        name, direction = next(iter(moved.items()), (None, 0))
        self._draw_ahead(name, direction)

    def _on_browser_message(self, _view, content, _buffers) -> None:
        kind, name = content.get("type"), content.get("name")
        if kind == "press" and isinstance(self.controls.get(name), Button):
            self.controls[name].click()
            self._draw_ahead()
        elif kind == "click":
            self.click(float(content["x"]), float(content["y"]))
        elif kind == "focus" and isinstance(self.controls.get(name), Slider):
            self._draw_ahead(name)

    def click(self, x: float, y: float) -> None:
        """A click on the figure at ``x``, ``y`` (fractions of its width and height from the
        top left), given to matplotlib's ``button_press_event`` handlers."""
        width, height = self.figure.canvas.get_width_height(physical=True)
        event = MouseEvent("button_press_event", self.figure.canvas, x * width, (1 - y) * height, 1)
        self.figure.canvas.callbacks.process(event.name, event)

    def _on_pixel_ratio(self, change) -> None:
        self.figure.set_dpi(DPI * float(change["new"]))
        self.forget_frames()  # drawn for another pixel ratio
        self.update(full=True)

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
        """Recompute the state from the controls and repaint the figure (or show the frame
        kept for these values)."""
        values = self.values()
        key = self.key(values) if self._ahead else None
        frame = None if full or key is None else self._frames.get(key)
        if frame is None:
            frame = self._paint(self._compute(**values), full=full)
            if key is not None:
                self._keep(key, frame)
        self._show(frame, key)

    def show(self, state: dict, *, full: bool = False) -> None:
        """Make ``state`` the current state (one not kept by the controls' values, such as a
        training run's progress): update the artists, the readout, the figure."""
        self._show(self._paint(state, full=full), None)

    # ---- frames: one per set of the controls' values ------------------------------------
    def key(self, values: dict) -> str:
        """The controls' values as the browser writes them (``explorer.js``: ``keyOf``): a
        slider with two decimals more than it shows, a choice by its index."""
        parts = []
        for name, control in self.controls.items():
            if isinstance(control, Slider):
                parts.append(f"{values[name]:.{control.decimals + 2}f}")
            elif isinstance(control, Choice):
                parts.append(str(control.to_browser(values[name])))
        return "|".join(parts)

    def forget_frames(self) -> None:
        """Drop every frame kept or planned: the state no longer follows from the controls'
        values as before (a fitted temperature, another pixel ratio)."""
        self._frames.clear()
        self._next.clear()
        self.view.send({"type": "forget"})

    def _keep(self, key: str, frame: Frame) -> None:
        self._frames[key] = frame
        self._frames.move_to_end(key)
        while len(self._frames) > FRAMES_KEPT:
            self._frames.popitem(last=False)

    def _draw_ahead(self, name: str | None = None, direction: int = 0) -> None:
        """Plan the frames the next key press may ask for, most likely first: on slider
        ``name`` (just moved in ``direction``, or just focused), then one step either side
        on every other slider. The plan replaces the one before (made for other values);
        its frames are drawn one per turn of the kernel's event loop."""
        if not self._ahead:
            return
        plan = []
        if name is not None:
            plan += self._steps(
                name, (direction, -direction, 2 * direction) if direction else (1, -1)
            )
        for other, control in self.controls.items():
            if other != name and isinstance(control, Slider):
                plan += self._steps(other, (1, -1))
        self._next = [values for values in plan if self.key(values) not in self._frames]
        if self._next and not self._drawing_ahead:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:  # no event loop (a script, a test): nobody to send them to
                self._next.clear()
                return
            self._drawing_ahead = True
            loop.call_soon(self._draw_next)

    def _steps(self, name: str, steps: Sequence[int]) -> list[dict]:
        """The controls' values with slider ``name`` moved by each of ``steps`` grid steps
        (those within its range), as the browser would send them."""
        control = self.controls[name]
        here = round((control.value - control.min) / control.step)
        last = round((control.max - control.min) / control.step)
        return [
            {
                **self.values(),
                name: control.from_browser(control.min + (here + step) * control.step),
            }
            for step in steps
            if 0 <= here + step <= last
        ]

    def _draw_next(self) -> None:
        """Draw one planned frame, send it to the browser, book a turn for the next."""
        self._drawing_ahead = False
        while self._next:
            values = self._next.pop(0)
            key = self.key(values)
            if key in self._frames:
                continue
            frame = self._paint(self._compute(**values))
            self._keep(key, frame)
            self.view.send(
                {"type": "frame", "key": key, "readout": frame.readout, "alt": frame.alt},
                buffers=[frame.png],
            )
            break
        if self._next:
            self._drawing_ahead = True
            asyncio.get_running_loop().call_soon(self._draw_next)

    def _paint(self, state: dict, *, full: bool = False) -> Frame:
        """Draw ``state`` on the figure: its frame (not shown yet)."""
        full = bool(self._draw(state)) or full
        self._repaint(full)
        readout = self._describe(state)
        alt = f"{self.figure_text} Now: {plain_text(readout)}".strip()
        return Frame(state, readout, alt, encode_png(np.asarray(self.figure.canvas.buffer_rgba())))

    def _show(self, frame: Frame, key: str | None) -> None:
        """Make ``frame`` the current one, in the kernel and in the browser (one message)."""
        self.state, self._frame = frame.state, frame
        self._sending = True
        try:
            with self.view.hold_sync():  # one message: the values, the text and the picture
                self.view.values = self._browser_values()
                self.view.readout = frame.readout
                self.view.alt = frame.alt
                self.view.png = frame.png
                self.view.key = key or ""
        finally:
            self._sending = False

    @property
    def readout(self) -> str:
        """The readout (HTML) of the current state."""
        return self._frame.readout

    @property
    def alt(self) -> str:
        """The figure's text alternative: what it shows, then the readout, as plain text."""
        return self._frame.alt

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

    def png(self) -> bytes:
        """The current frame's picture as PNG bytes (what the browser shows)."""
        return self._frame.png

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
