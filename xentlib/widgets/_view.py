"""What a learner sees of an explorer: one small front-end widget (anywidget).

The view draws the explorer's title, its controls as native HTML (a labelled
``<input type="range">`` per slider, radio buttons per choice, ``<button>``), a readout in a
live region (``role="status"``, ``aria-live="polite"``: a screen reader says the new loss
after every move) and the figure as an ``<img>`` whose ``alt`` text follows the state. The
figure is a PNG drawn by matplotlib in the kernel; the ``<img>`` never takes the keyboard
focus, so there is no keyboard trap (an ipympl canvas took it and kept Tab, Shift+Tab and
Escape). The front end is ``explorer.js`` and ``explorer.css`` beside this file.

Synced state: ``controls`` (what to draw: :meth:`Slider.spec` …), ``values`` (name → value;
a choice by the index of its option), ``readout`` (HTML), ``alt`` (plain text), ``png`` and
``width`` (the figure, and its width in CSS pixels), ``pixel_ratio`` (the screen's, sent by
the browser: the kernel draws that many pixels per CSS pixel), ``key`` (the controls' values
the picture shows, :meth:`~xentlib.widgets.Explorer.key`; empty for a picture kept by no
values). Messages from the browser: ``{"type": "press", "name": …}`` (a button),
``{"type": "click", "x": …, "y": …}`` (a click on the figure, as fractions of its width and
height from the top left) and ``{"type": "focus", "name": …}`` (a slider took the focus: draw
its next frames). Messages to the browser: ``{"type": "frame", "key": …, "readout": …,
"alt": …}`` with the PNG as its buffer, a frame drawn ahead, kept by the browser until the
controls reach its values.
"""

from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets

HERE = Path(__file__).parent


class ExplorerView(anywidget.AnyWidget):
    """The front end of an :class:`~xentlib.widgets.Explorer` (see the module docstring)."""

    _esm = (HERE / "explorer.js").read_text(encoding="utf-8")
    _css = (HERE / "explorer.css").read_text(encoding="utf-8")

    title = traitlets.Unicode().tag(sync=True)
    controls = traitlets.List().tag(sync=True)
    values = traitlets.Dict().tag(sync=True)
    readout = traitlets.Unicode().tag(sync=True)
    alt = traitlets.Unicode().tag(sync=True)
    png = traitlets.Bytes().tag(sync=True)
    width = traitlets.Int(600).tag(sync=True)
    pixel_ratio = traitlets.Float(1.0).tag(sync=True)
    key = traitlets.Unicode().tag(sync=True)
