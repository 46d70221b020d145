"""Simplex explorer: every prediction for 3 classes is a point in a triangle; colour it by loss.

A model's probability vector ``q = (q0, q1, q2)`` with ``q0 + q1 + q2 = 1`` is a point of the
*probability simplex*, drawn as a triangle whose corners are the certain predictions
(corner k is "all mass on class k"). Colouring every point by the loss for the true class
shows the whole loss landscape at once, and the difference between the three losses:

- cross-entropy ``−log q_y`` is 0 at the true corner and grows without bound along the
  opposite edge, where ``q_y = 0``;
- squared error (Brier score) ``‖q − e_y‖²`` is at most 2 anywhere;
- 0-1 loss ``[argmax q ≠ y]`` is flat: 0 or 1, with no slope to follow.

The explorer also shows ``‖∂L/∂z‖``, how hard each loss pushes the *logits* (what a model
changes): cross-entropy pushes hardest when confidently wrong, squared error barely at all
(softmax saturates), 0-1 loss never.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D
from matplotlib.text import Text

from .. import plotting
from .._validation import check_choice
from ._arguments import check_class, check_vector
from ._explorer import Explorer, choice, confidently_wrong_note, format_loss, new_figure, slider

LOSSES = {"cross-entropy": "cross_entropy", "squared error": "mse", "0-1 loss": "zero_one"}
FIGURE_TEXT = (
    "Figure: left, a triangle whose corners are the three classes, coloured by the chosen "
    "loss (dark low, bright high) with a white dot at the prediction q; right, bars of the "
    "three losses at the dot and of how hard each pushes the logits."
)
CORNERS = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, np.sqrt(3) / 2]])  # class 0, 1, 2
COLOUR_CAP = 3.0  # the colour scale's top: cross-entropy above it is drawn in one colour
RESOLUTION = 160


def to_cartesian(probs) -> np.ndarray:
    """Barycentric → plane: the point of the triangle for ``probs`` (shape (..., 3))."""
    return np.asarray(probs, dtype=float) @ CORNERS


def to_barycentric(xy) -> np.ndarray:
    """Plane → barycentric coordinates (shape (..., 3)); outside the triangle one is < 0."""
    xy = np.asarray(xy, dtype=float)
    p2 = xy[..., 1] / CORNERS[2, 1]
    p1 = xy[..., 0] - 0.5 * p2
    return np.stack([1.0 - p1 - p2, p1, p2], axis=-1)


def losses_at(probs, true_class: int) -> dict:
    """The three losses of ``probs`` (shape (..., 3)) for ``true_class``, and their push.

    .. math::
        L_\\mathrm{CE} = -\\log q_y,\\quad L_\\mathrm{SE} = \\lVert q - e_y \\rVert^2,\\quad
        L_{01} = [\\arg\\max q \\ne y]

    ``push_*`` is ``‖∂L/∂z‖`` when ``q = softmax(z)``: ``q − e_y`` for cross-entropy,
    ``J (2 (q − e_y))`` with the softmax Jacobian ``J = diag(q) − q qᵀ`` for squared error,
    0 for 0-1 loss (it is flat wherever it is defined).

    >>> s = losses_at([0.7, 0.2, 0.1], 0)
    >>> [round(float(s[k]), 4) for k in ("cross_entropy", "mse", "zero_one")]
    [0.3567, 0.14, 0.0]
    """
    q = np.asarray(probs, dtype=float)
    onehot = np.zeros(3)
    onehot[true_class] = 1.0
    residual = q - onehot
    with np.errstate(divide="ignore"):
        ce = -np.log(q[..., true_class])
    mse_grad_q = 2.0 * residual
    # J g = q ⊙ g − q (q · g), the softmax Jacobian applied without forming J
    mse_grad_z = q * mse_grad_q - q * np.sum(q * mse_grad_q, axis=-1, keepdims=True)
    return {
        "cross_entropy": ce,
        "mse": np.sum(residual**2, axis=-1),
        "zero_one": (np.argmax(q, axis=-1) != true_class).astype(float),
        "push_cross_entropy": np.linalg.norm(residual, axis=-1),
        "push_mse": np.linalg.norm(mse_grad_z, axis=-1),
        "push_zero_one": np.zeros(q.shape[:-1]),
    }


def simplex_state(weights, true_class: int = 0, loss: str = "cross_entropy") -> dict:
    """The point, the three losses and their pushes for one prediction (pure).

    ``weights`` are normalised to probabilities (all zero means uniform); ``loss`` picks the
    one the heat map shows: ``"cross_entropy"``, ``"mse"`` or ``"zero_one"``.

    >>> s = simplex_state([1, 1, 2], true_class=2, loss="mse")
    >>> s["probs"].tolist(), round(s["loss"], 4)
    ([0.25, 0.25, 0.5], 0.375)
    """
    if loss not in LOSSES.values():
        raise ValueError(f"loss must be one of {sorted(LOSSES.values())}, got {loss!r}.")
    w = np.clip(np.asarray(weights, dtype=float), 0.0, None)
    total = w.sum()
    probs = w / total if total > 0 else np.full(3, 1 / 3)
    values = {k: float(v) for k, v in losses_at(probs, true_class).items()}
    return {
        "probs": probs,
        "true_class": int(true_class),
        "loss_name": loss,
        "loss": values[loss],
        "push": values[f"push_{loss}"],
        **values,
        "point": to_cartesian(probs),
        "predicted": int(np.argmax(probs)),
        "uniform_fallback": bool(total <= 0),
    }


def _landscapes():
    """Every loss for every true class on a pixel grid over the triangle (NaN outside)."""
    xs = np.linspace(0, 1, RESOLUTION)
    ys = np.linspace(0, CORNERS[2, 1], int(RESOLUTION * CORNERS[2, 1]))
    gx, gy = np.meshgrid(xs, ys)
    bary = to_barycentric(np.stack([gx, gy], axis=-1))
    outside = np.any(bary < -1e-9, axis=-1)
    bary = np.clip(bary, 0.0, 1.0)
    maps = {}
    for y in range(3):
        values = losses_at(bary, y)
        for key in LOSSES.values():
            m = np.minimum(values[key], COLOUR_CAP * 1.01)
            maps[key, y] = np.where(outside, np.nan, m)
    return maps


def state_from_controls(w0, w1, w2, true_class, loss) -> dict:
    """The explorer's controls → :func:`simplex_state`."""
    return simplex_state([w0, w1, w2], true_class, loss)


@dataclass(frozen=True)
class Artists:
    """What :func:`build` made: the figure, the artists :func:`draw` moves, the heat maps."""

    figure: Figure
    ax_simplex: Axes  # the triangle (clicks inside it move the point)
    maps: dict  # (loss, true class) → the heat map's pixels, from _landscapes()
    image: AxesImage  # the heat map shown
    point: Line2D  # the prediction
    corner_labels: list  # "class k", bold and green at the true class
    value_bars: list  # the three losses at the point
    push_bars: list  # the three ‖∂L/∂z‖ at the point
    notes: list  # each loss's value, above its bar
    title: Text  # which loss the heat map shows, for which class
    shown: dict = field(default_factory=dict)  # which heat map the image holds

    @property
    def slow(self) -> list:
        # redrawn only when the heat map changes (the loss or the true class)
        return [self.image, *self.corner_labels, self.title]

    @property
    def animated(self) -> list:
        return [
            self.image,
            self.point,
            *self.corner_labels,
            *self.value_bars,
            *self.push_bars,
            *self.notes,
            self.title,
        ]


def build(loss: str, true_class: int) -> Artists:
    """The triangle with a heat map of ``loss`` for ``true_class``, and the bars at the point."""
    maps = _landscapes()
    fig = new_figure(figsize=(8.4, 3.8))
    ax_s, ax_b = fig.subplots(1, 2, width_ratios=[1.25, 1])
    image = ax_s.imshow(
        maps[loss, true_class],
        origin="lower",
        extent=(0, 1, 0, CORNERS[2, 1]),
        cmap=matplotlib.colormaps["viridis"].with_extremes(over="#fde725"),
        vmin=0.0,
        vmax=COLOUR_CAP,
        interpolation="nearest",
    )
    colourbar = fig.colorbar(image, ax=ax_s, shrink=0.85, extend="max", pad=0.02)
    colourbar.set_label("loss (same scale for all)")
    ax_s.plot(*np.vstack([CORNERS, CORNERS[:1]]).T, color="black", lw=1)
    ax_s.set_xlim(-0.12, 1.12)
    ax_s.set_ylim(-0.12, 0.98)
    ax_s.set_aspect("equal")
    ax_s.axis("off")
    offsets = [(0.0, -0.06, "left"), (1.0, -0.06, "right"), (0.5, 0.92, "center")]
    corner_labels = [
        ax_s.text(x, y, f"class {k}", ha=ha, va="center", fontsize=10)
        for k, (x, y, ha) in enumerate(offsets)
    ]
    (point,) = ax_s.plot([], [], "o", ms=10, mfc="white", mec="black", mew=2)

    ax_b.set_ylim(0, COLOUR_CAP * 1.12)
    ax_b.set_xlim(-0.6, 2.6)
    ax_b.set_xticks(range(3), ["cross-\nentropy", "squared\nerror", "0-1\nloss"])
    value_bars = ax_b.bar(
        np.arange(3) - 0.18, [0, 0, 0], 0.34, label="loss L", color=plotting.PALETTE["blue"]
    )
    push_bars = ax_b.bar(
        np.arange(3) + 0.18,
        [0, 0, 0],
        0.34,
        label="‖∂L/∂z‖",
        color=plotting.PALETTE["orange"],
        hatch="//",
        edgecolor="white",
    )
    ax_b.legend(loc="upper right", fontsize=10)
    ax_b.set_title("at the point", fontsize=11)
    notes = [ax_b.text(i - 0.18, 0, "", ha="center", va="bottom", fontsize=10) for i in range(3)]
    title = ax_s.set_title("", fontsize=11)
    return Artists(
        fig,
        ax_s,
        maps,
        image,
        point,
        corner_labels,
        list(value_bars),
        list(push_bars),
        notes,
        title,
    )


def draw(artists: Artists, state: dict) -> bool:
    """Show the chosen heat map, the point and the bars at it (False: nothing static)."""
    key, y = state["loss_name"], state["true_class"]
    if artists.shown.get("map") != (key, y):  # set_data would mark the image for a redraw
        artists.image.set_data(artists.maps[key, y])
        artists.shown["map"] = (key, y)
        for k, text in enumerate(artists.corner_labels):
            text.set_fontweight("bold" if k == y else "normal")
            text.set_text(f"class {k}" + (" (true)" if k == y else ""))
        names = list(LOSSES)
        artists.title.set_text(f"{names[list(LOSSES.values()).index(key)]} for class {y}")
    artists.point.set_data([state["point"][0]], [state["point"][1]])
    for i, key_i in enumerate(LOSSES.values()):
        v = state[key_i]
        artists.value_bars[i].set_height(min(v, COLOUR_CAP * 1.05))
        artists.push_bars[i].set_height(state[f"push_{key_i}"])
        chosen = key_i == key  # the heat map's loss: outlined in black, not paler
        artists.value_bars[i].set_edgecolor("black" if chosen else "white")
        artists.value_bars[i].set_linewidth(2.5 if chosen else 0.0)
        artists.notes[i].set_y(min(v, COLOUR_CAP * 1.05) + 0.03)
        artists.notes[i].set_text(format_loss(v, 2))
    return False


def describe(state: dict) -> str:
    """The readout: the point q, its three losses and the push of the chosen one."""
    q = ", ".join(f"{v:.2f}" for v in state["probs"])
    verdict = confidently_wrong_note(state)
    return (
        f"q = [{q}]: cross-entropy <b>{format_loss(state['cross_entropy'])}</b>, "
        f"squared error {state['mse']:.3f}, 0-1 loss {state['zero_one']:.0f}; "
        f"push on the logits ‖∂L/∂z‖ = {state['push']:.3f}{verdict}"
    )


def move_to_click(explorer: Explorer, ax_simplex: Axes, event) -> None:
    """A click inside the triangle moves the point there (the weight sliders follow)."""
    if event.inaxes is not ax_simplex or event.xdata is None:
        return
    bary = to_barycentric([event.xdata, event.ydata])
    if np.any(bary < -0.02):
        return
    bary = np.clip(bary, 0.0, 1.0)
    with explorer.hold():
        for i, value in enumerate(bary / bary.sum()):
            explorer.controls[f"w{i}"].value = round(float(value), 2)


def simplex_explorer(weights=(0.2, 0.5, 0.3), true_class: int = 0, loss="cross_entropy"):
    """Move a prediction around the 3-class simplex; compare cross-entropy, MSE and 0-1.

    ``weights`` are three numbers in [0, 1]; ``loss`` is ``"cross_entropy"``, ``"mse"`` or
    ``"zero_one"``. Controls: ``w0``, ``w1``, ``w2`` (weights, normalised to the
    probabilities), ``true_class``, ``loss``; clicking the triangle also moves the point.
    State: ``probs``, ``loss`` (the chosen one), ``cross_entropy``, ``mse``, ``zero_one``,
    ``push`` (‖∂L/∂z‖ of the chosen loss), ``point``, ``predicted``.
    """
    classes = [f"class {i}" for i in range(3)]
    weights = check_vector(weights, "weights", classes, low=0.0, high=1.0, example=(0.2, 0.5, 0.3))
    true_class = check_class(true_class, 3)
    loss = check_choice(loss, "loss", tuple(LOSSES.values()))
    controls = {
        f"w{i}": slider(f"weight of class {i}", w, 0.0, 1.0, 0.01, width="260px")
        for i, w in enumerate(weights)
    }
    controls["true_class"] = choice(
        "true class", [(label, i) for i, label in enumerate(classes)], true_class
    )
    controls["loss"] = choice("heat map", list(LOSSES.items()), loss)
    artists = build(loss, true_class)
    explorer = Explorer(
        "Simplex explorer",
        controls,
        state_from_controls,
        artists.figure,
        functools.partial(draw, artists),
        describe,
        animated=artists.animated,
        figure_text=FIGURE_TEXT,
        slow=artists.slow,
    )
    click = functools.partial(move_to_click, explorer, artists.ax_simplex)
    artists.figure.canvas.mpl_connect("button_press_event", click)
    return explorer
