"""An explorer's controls: sliders, choices and buttons, as plain values with a name.

A control holds what the learner set (``value``), the name a screen reader announces
(``description``) and what the front end needs to draw it (:meth:`spec`). It is not a widget:
:class:`~xentlib.widgets._view.ExplorerView` draws every control of an explorer itself, as
native HTML (``<input type="range">`` with a ``<label>``, a group of radio buttons, a
``<button>``), so the browser gives each its role, name, value and keyboard for free.

A slider's value is shown with a fixed number of decimals, the same text beside the slider
and in its ``aria-valuetext`` (:meth:`Slider.text`). A screen reader hears the number the
learner sees: "0.51", never "0.5" or "2.1000000000000014" (Chromium reads a native range
input's own value, "0.5" for a slider showing 0.50, and ignores aria-valuetext there).

>>> q = Slider("q(true class)", 0.5, 0.0, 1.0, 0.01)
>>> q.value = 0.51
>>> q.text()
'0.51'
>>> unit = Choice("unit", ["nats", "bits"], "nats")
>>> unit.value = "bits"
>>> unit.spec("unit")["options"]
['nats', 'bits']
"""

from __future__ import annotations

import traitlets

from .._validation import check_choice, check_number


def decimals_of(step: float) -> int:
    """How many decimals show every value on a grid of ``step``: 0.05 → 2, 0.1 → 1, 10 → 0."""
    text = f"{step:.10f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


class Slider(traitlets.HasTraits):
    """A number between ``min`` and ``max`` in steps of ``step`` (an integer when ``integer``).

    ``decimals`` (default: as many as ``step`` has) fixes how the value is written, beside
    the slider and for a screen reader. Setting a value outside the range is a ValueError
    naming the control and its range.
    """

    value = traitlets.Any()

    def __init__(
        self, description, value, min, max, step, *, integer=False, decimals=None, width=300
    ):
        super().__init__()
        self.description, self.kind = str(description), "slider"
        self.min, self.max, self.step, self.integer = min, max, step, bool(integer)
        self.decimals = decimals_of(step) if decimals is None else int(decimals)
        self.width = int(width)
        self.value = value

    @traitlets.validate("value")
    def _check_value(self, proposal):
        value = check_number(
            proposal["value"],
            f"the value of {self.description!r}",
            example=self.min,
            low=self.min,
            high=self.max,
            integer=self.integer,
        )
        return int(value) if self.integer else float(value)

    def text(self, value=None) -> str:
        """The value as the learner sees it: ``decimals`` decimals."""
        value = self.value if value is None else value
        return f"{value:.{self.decimals}f}"

    def from_browser(self, value) -> float:
        """A value sent by the browser, on the grid and without binary noise (0.51, not
        0.51000000000000001), clipped to the range."""
        value = min(max(float(value), self.min), self.max)
        return round(value) if self.integer else round(value, self.decimals + 2)

    def spec(self, name: str) -> dict:
        return {
            "name": name,
            "kind": self.kind,
            "label": self.description,
            "min": self.min,
            "max": self.max,
            "step": self.step,
            "decimals": self.decimals,
            "width": self.width,
        }


class Choice(traitlets.HasTraits):
    """One of a few ``options``: values, or ``(label, value)`` pairs. Drawn as a group of
    radio buttons named by ``description``, so a screen reader says which one is on."""

    value = traitlets.Any()

    def __init__(self, description, options, value):
        super().__init__()
        self.description, self.kind = str(description), "choice"
        self.options = [o if isinstance(o, tuple) else (str(o), o) for o in options]
        self.value = value

    @traitlets.validate("value")
    def _check_value(self, proposal):
        values = tuple(v for _, v in self.options)
        return values[values.index(check_choice(proposal["value"], self.description, values))]

    def from_browser(self, value):
        """The option the browser chose, sent as its index."""
        return self.options[int(value)][1]

    def to_browser(self, value) -> int:
        return [v for _, v in self.options].index(value)

    def spec(self, name: str) -> dict:
        return {
            "name": name,
            "kind": self.kind,
            "label": self.description,
            "options": [label for label, _ in self.options],
        }


class Button:
    """A push button: ``click()`` calls every function given to ``on_click``."""

    kind = "button"

    def __init__(self, description, *, tooltip="", primary=False):
        self.description, self.tooltip, self.primary = str(description), str(tooltip), primary
        self._callbacks = []

    def on_click(self, callback) -> None:
        self._callbacks.append(callback)

    def click(self) -> None:
        for callback in self._callbacks:
            callback(self)

    def spec(self, name: str) -> dict:
        return {
            "name": name,
            "kind": self.kind,
            "label": self.description,
            "tooltip": self.tooltip,
            "primary": self.primary,
        }
