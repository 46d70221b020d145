"""Draw every figure in images/ from code (``make figures``).

Each figure is a function below registered in ``FIGURES``; the PNGs are written without
timestamps or version metadata, so rerunning leaves ``git status`` clean.

    python tools/make_figures.py             # all figures
    python tools/make_figures.py NAME ...    # only these
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("MPLBACKEND", "Agg")

import html
import re
import textwrap

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

import xentlib as xl
from xentlib.widgets import probability

try:
    from tools.course import IMAGES
except ImportError:  # run as a script
    from course import IMAGES


def probability_explorer():
    """The static picture shown above the probability explorer (lessons 00 and 08, README):
    the whole explorer as a running kernel shows it (title, slider, unit buttons, readout and
    figure), with the slider moved to q = 0.05; the explorer cells start at q = 0.5."""
    explorer = xl.widgets.probability_explorer(q=0.5)
    explorer.controls["q"].value = 0.05
    return with_controls(explorer, probability.describe(explorer.state)), explorer


# ---- the controls of an explorer, drawn above its figure --------------------------------
CONTROLS_HEIGHT = 1.25  # inches above the explorer's figure: its title, controls and readout
INK, TRACK, SELECTED = "0.15", "0.8", "0.45"


def with_controls(explorer, readout_html: str) -> Figure:
    """A new figure: the explorer's title, its controls at their current values and its
    readout (``readout_html`` without its tags), drawn as a strip above the explorer's
    figure exactly as last painted, so that the picture shows what a running kernel shows.
    Positions in the strip are in inches from the bottom left."""
    pixels = np.asarray(explorer.figure.canvas.buffer_rgba()).copy()
    dpi = explorer.figure.dpi
    fig = Figure(figsize=(pixels.shape[1] / dpi, pixels.shape[0] / dpi + CONTROLS_HEIGHT), dpi=dpi)
    FigureCanvasAgg(fig)
    fig.figimage(pixels, xo=0, yo=0, origin="upper")
    top = fig.get_figheight()
    _text(fig, 0.08, top - 0.17, explorer.title, fontweight="bold")
    x = 0.08
    for control in explorer.controls.values():
        x = _draw_control(fig, control, x, top - 0.5) + 0.3
    readout = html.unescape(re.sub(r"<[^>]+>", "", readout_html))
    _text(fig, 0.08, top - 0.98, "\n".join(textwrap.wrap(readout, width=64)), linespacing=1.4)
    return fig


def _text(fig, x, y, s, **style):
    """Text at (x, y) inches; returns its width in inches."""
    style = {"va": "center", "color": INK, "fontsize": 10, **style}
    text = fig.text(x, y, s, transform=fig.dpi_scale_trans, **style)
    return text.get_window_extent(fig.canvas.get_renderer()).width / fig.dpi


def _draw_control(fig, control, x, y) -> float:
    """Draw one explorer control (xentlib.widgets' Slider or Choice) with its left edge at
    ``x`` inches, centred on ``y``, as the explorer's view shows it; return where it ends."""
    x += _text(fig, x, y, control.description) + 0.1
    if control.kind == "slider":
        length, share = 1.8, (control.value - control.min) / (control.max - control.min)
        for end, colour in ((length, TRACK), (share * length, SELECTED)):  # track, filled part
            line = Line2D([x, x + end], [y, y], lw=4, color=colour, solid_capstyle="round")
            fig.add_artist(line).set_transform(fig.dpi_scale_trans)
        knob = Line2D([x + share * length], [y], marker="o", ms=11, mfc="white", mec=INK, mew=1.2)
        fig.add_artist(knob).set_transform(fig.dpi_scale_trans)
        x += length + 0.12
        return x + _text(fig, x, y, control.text())
    if control.kind == "choice":  # a group of radio buttons, the chosen one in bold
        for label, value in control.options:
            chosen = value == control.value
            dot = Line2D([x + 0.16], [y], marker="o", ms=8, mew=1.2, mec=INK,
                         mfc=INK if chosen else "white")  # fmt: skip
            fig.add_artist(dot).set_transform(fig.dpi_scale_trans)
            width = 0.34 + _text(fig, x + 0.28, y, label, fontweight="bold" if chosen else "normal")
            box = Rectangle((x, y - 0.13), width, 0.26, zorder=-1, facecolor="white",
                            edgecolor=INK if chosen else TRACK, lw=2 if chosen else 1)  # fmt: skip
            fig.add_artist(box).set_transform(fig.dpi_scale_trans)
            x += width + 0.05
        return x
    raise TypeError(f"cannot draw a {type(control).__name__} yet: add it to _draw_control")


def entropy_explorer():
    """Lesson 01: a coin with P(heads) = 0.2."""
    explorer = xl.widgets.entropy_explorer(theta=0.2)
    return explorer.figure, explorer


def distribution_explorer():
    """Lesson 02: the explorer's starting distributions."""
    explorer = xl.widgets.distribution_explorer()
    return explorer.figure, explorer


def logits_explorer():
    """Lesson 04: the explorer's starting logits."""
    explorer = xl.widgets.logits_explorer()
    return explorer.figure, explorer


def logits_explorer_wrong():
    """Lesson 05: the logits explorer, confidently wrong."""
    explorer = xl.widgets.logits_explorer(logits=(0.0, 6.0, 1.0), true_class=0)
    return explorer.figure, explorer


def simplex_explorer():
    """Lesson 08: the cross-entropy landscape over the simplex, true class 0."""
    explorer = xl.widgets.simplex_explorer()
    return explorer.figure, explorer


def calibration_explorer():
    """Lesson 08 (and 11): the built-in overconfident model at T = 1."""
    explorer = xl.widgets.calibration_explorer()
    return explorer.figure, explorer


def bce_explorer():
    """Lesson 09: a negative example with logit 40: both naive losses are inf, the stable 40."""
    explorer = xl.widgets.bce_explorer(z=40.0, y=0)
    return explorer.figure, explorer


def threshold_explorer():
    """Lesson 11: the plain model on its validation points, with the 0.5 rule."""
    explorer = xl.widgets.threshold_explorer()
    return explorer.figure, explorer


def smoothing_explorer():
    """Lesson 13: the trigram model (context 2) at k = 10^-1.5 ≈ 0.03, near its best."""
    explorer = xl.widgets.smoothing_explorer()
    return explorer.figure, explorer


def softening_explorer():
    """Lesson 14: the teacher's softened probabilities for a test 3 at T = 4."""
    explorer = xl.widgets.softening_explorer()
    return explorer.figure, explorer


def training_playground():
    """Lesson 08: a TinyMLP trained on the spirals, after a linear model's run (grey)."""
    explorer = xl.widgets.training_playground(dataset="spirals", model="linear", epochs=300)
    explorer.controls["train"].click()
    explorer.controls["model"].value = "TinyMLP"
    explorer.controls["lr"].value = 1.0
    explorer.controls["epochs"].value = 1500
    explorer.controls["train"].click()
    return explorer.figure, explorer


def _plot(draw, figsize=(6, 3.4)):
    xl.plotting.use_style()
    fig, ax = plt.subplots(figsize=figsize, layout="constrained")
    draw(ax)
    return fig, None


def surprisal_curve():
    """Lessons 01, 00: the loss −log p of the true class, confidently-wrong region shaded."""
    return _plot(lambda ax: xl.plotting.surprisal_curve(ax=ax))


def entropy_curve():
    """Lesson 01: the entropy of a coin against its bias."""
    return _plot(lambda ax: xl.plotting.entropy_curve(ax=ax), figsize=(5.5, 3.4))


def temperature_sweep():
    """Lesson 04: softmax probabilities of logits (2, 1, 0.1) as the temperature varies."""
    return _plot(lambda ax: xl.plotting.temperature_sweep([2.0, 1.0, 0.1], ax=ax))


def saturation_curves():
    """Lesson 05 (and 10): |∂L/∂z| of cross-entropy vs squared error on a sigmoid."""
    return _plot(lambda ax: xl.plotting.saturation_curves(ax=ax), figsize=(6.5, 3.4))


FIGURES = {
    "probability_explorer": probability_explorer,
    "entropy_explorer": entropy_explorer,
    "distribution_explorer": distribution_explorer,
    "logits_explorer": logits_explorer,
    "logits_explorer_wrong": logits_explorer_wrong,
    "simplex_explorer": simplex_explorer,
    "calibration_explorer": calibration_explorer,
    "bce_explorer": bce_explorer,
    "threshold_explorer": threshold_explorer,
    "smoothing_explorer": smoothing_explorer,
    "softening_explorer": softening_explorer,
    "training_playground": training_playground,
    "surprisal_curve": surprisal_curve,
    "entropy_curve": entropy_curve,
    "temperature_sweep": temperature_sweep,
    "saturation_curves": saturation_curves,
}


def save(name: str) -> None:
    fig, owner = FIGURES[name]()
    path = IMAGES / f"{name}.png"
    fig.savefig(path, format="png", metadata={"Software": None})
    if owner is not None:
        owner.close()
    plt.close(fig)
    print(f"wrote {path.relative_to(IMAGES.parent)}")


def main(argv=None) -> int:
    names = (argv if argv is not None else sys.argv[1:]) or list(FIGURES)
    unknown = set(names) - set(FIGURES)
    if unknown:
        print(f"unknown figure(s) {sorted(unknown)}; known: {sorted(FIGURES)}")
        return 2
    IMAGES.mkdir(exist_ok=True)
    for name in names:
        save(name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
