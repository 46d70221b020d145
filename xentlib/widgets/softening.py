r"""Softening explorer: a teacher's probabilities for one digit, softened by a temperature T;
the soft target's entropy and the size of the gradient it gives a student, with and
without the T² factor.

The teacher is lesson 14's: ``TinyMLP(hidden=64)`` trained on 1000 of the real digits
(``load_digits``); the images shown are test digits the teacher gets right with the least
confidence, one per digit. The student's logits are fixed random numbers: the gradient of
:math:`\mathrm{KL}(p_T \,\|\, q_T)` in them is :math:`(q_T - p_T)/T`, which shrinks as
:math:`1/T^2`; times :math:`T^2` it levels off once T is large (within a factor of 2.5
over T = 1 to 20, for every digit shown, while the plain size falls a hundredfold and more).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D

from .. import plotting
from .._validation import check_number
from ..datasets import load_digits
from ..information import entropy
from ..models import TinyMLP
from ..special import softmax
from ._explorer import Explorer, choice, new_figure, slider

FIGURE_TEXT = (
    "Figure: left, the 8 × 8 image of the chosen digit; middle, the teacher's softened "
    "probabilities of the ten digits as bars, the true digit's bar hatched; right, on log "
    "scales against T, the size of the soft loss's gradient (falling, dashed) and the same "
    "times T² (levelling off, solid), with dots at the current T."
)
T_MIN, T_MAX, T_STEP = 1.0, 20.0, 0.5
T_GRID = np.round(np.arange(T_MIN, T_MAX + 1e-9, T_STEP), 1)


@functools.lru_cache(maxsize=1)
def digits_teacher():
    """Lesson 14's teacher and data: the images, labels, the teacher's logits for all of them,
    and the test indices (``default_rng(0)``'s permutation; the first 1000 train it)."""
    X, y = load_digits()
    order = np.random.default_rng(0).permutation(len(y))
    train, test = order[:1000], order[1000:]
    teacher = TinyMLP(hidden=64, lr=0.5, epochs=300, seed=0).fit(X[train], y[train])
    return X, y, teacher.decision_function(X), test


@functools.lru_cache(maxsize=1)
def _examples():
    """For each digit, the test image of it the teacher gets right with the least confidence."""
    _, y, z, test = digits_teacher()
    picks = []
    for digit in range(10):
        ok = test[(y[test] == digit) & (z[test].argmax(axis=1) == digit)]
        picks.append(int(ok[np.argmin(softmax(z[ok])[:, digit])]))
    return tuple(picks)


STUDENT = np.random.default_rng(1).normal(size=10)  # a student's logits (lesson 14, §3)


def _gradient_sizes(t: np.ndarray, temperatures) -> np.ndarray:
    """|(q_T − p_T)/T| for each T: the soft loss's gradient in the student's logits."""
    return np.array(
        [np.linalg.norm((softmax(STUDENT / T) - softmax(t / T)) / T) for T in temperatures]
    )


def softening_state(digit: int = 3, temperature: float = 4.0) -> dict:
    """The teacher's softened probabilities for ``digit``'s example at ``temperature`` (pure).

    >>> s = softening_state(3, 4.0)
    >>> int(s["probs"].argmax()), round(float(s["probs"].sum()), 6)
    (3, 1.0)
    >>> softening_state(3, 1.0)["entropy_bits"] < s["entropy_bits"]
    True
    """
    digit = int(check_number(digit, "digit", example=3, low=0, high=9, integer=True))
    temperature = check_number(temperature, "temperature", example=4.0, low=T_MIN, high=T_MAX)
    X, _, z, _ = digits_teacher()
    index = _examples()[digit]
    t = z[index]
    probs = softmax(t / temperature)
    grad = float(_gradient_sizes(t, [temperature])[0])
    return {
        "digit": digit,
        "temperature": float(temperature),
        "image": X[index].reshape(8, 8),
        "probs": probs,
        "entropy_bits": float(entropy(probs, base=2)),
        "runner_up": int(np.argsort(-probs, kind="stable")[1]),
        "grad": grad,
        "grad_scaled": grad * temperature**2,
        "curve": _gradient_sizes(t, T_GRID),
    }


@dataclass(frozen=True)
class Artists:
    """What :func:`build` made: the figure and the artists :func:`draw` moves."""

    figure: Figure
    image: AxesImage
    bars: list
    plain: Line2D  # the gradient's size against T
    scaled: Line2D  # times T²
    dots: Line2D  # both at the current T

    @property
    def animated(self) -> list:
        return [self.image, *self.bars, self.plain, self.scaled, self.dots]


def build(state: dict) -> Artists:
    """The image, the ten bars, and the gradient sizes against T."""
    fig = new_figure(figsize=(9.6, 3.4))
    ax_img, ax_bars, ax_grad = fig.subplots(1, 3, width_ratios=(0.7, 1.4, 1.4))
    image = ax_img.imshow(state["image"], cmap="gray_r", vmin=0, vmax=1)
    ax_img.set_title("the test image")
    ax_img.axis("off")
    bars = list(ax_bars.bar(range(10), np.zeros(10), color=plotting.PALETTE["blue"]))
    for bar in bars:
        bar.set_edgecolor("black")
    ax_bars.set(ylim=(0, 1), xticks=range(10), xlabel="digit", ylabel="probability")
    ax_bars.set_title("teacher's p_T (true digit hatched)")
    (plain,) = ax_grad.plot(
        [], [], "--", color=plotting.PALETTE["vermillion"], lw=2, label="|gradient|"
    )
    (scaled,) = ax_grad.plot(
        [], [], "-", color=plotting.PALETTE["green"], lw=2, label="T² × |gradient|"
    )
    (dots,) = ax_grad.plot([], [], "o", color="black", ms=7)
    ax_grad.set(xscale="log", yscale="log", xlim=(T_MIN, T_MAX), ylim=(1e-4, 10), xlabel="T")
    ax_grad.set_title("the soft loss's gradient")
    ax_grad.legend(fontsize=10, loc="lower left")
    return Artists(fig, image, bars, plain, scaled, dots)


def draw(artists: Artists, state: dict) -> bool:
    """Set the image, the bars and the curves (nothing static: False)."""
    artists.image.set_data(state["image"])
    for i, (bar, p) in enumerate(zip(artists.bars, state["probs"], strict=True)):
        bar.set_height(p)
        bar.set_hatch("//" if i == state["digit"] else "")
    artists.plain.set_data(T_GRID, state["curve"])
    artists.scaled.set_data(T_GRID, state["curve"] * T_GRID**2)
    T = state["temperature"]
    artists.dots.set_data([T, T], [state["grad"], state["grad_scaled"]])
    return False


def describe(state: dict) -> str:
    """The readout: the true digit's and the runner-up's probability, the entropy, both
    gradient sizes."""
    p, d, r = state["probs"], state["digit"], state["runner_up"]
    return (
        f"digit {d}, T = {state['temperature']:.1f}: p_T({d}) = {p[d]:.3f}, runner-up "
        f"{r} with {p[r]:.3f}; entropy <b>{state['entropy_bits']:.2f} bits</b>; gradient "
        f"size {state['grad']:.2e}, times T² <b>{state['grad_scaled']:.3f}</b>"
    )


def softening_explorer(digit: int = 3, temperature: float = 4.0) -> Explorer:
    """Choose a digit and move the temperature T; watch the teacher's softened probabilities
    (dark knowledge), their entropy, and the soft loss's gradient with and without T²
    (lesson 14).

    Controls: ``digit`` (0 to 9: a test image of it) and ``temperature`` (1 to 20). State:
    see :func:`softening_state`.
    """
    digit = int(check_number(digit, "digit", example=3, low=0, high=9, integer=True))
    temperature = check_number(
        temperature,
        "temperature",
        example=4.0,
        low=T_MIN,
        high=T_MAX,
        fix="T = 1 is the teacher as it is; distillation uses T from about 2 to 20.",
    )
    controls = {
        "digit": choice("digit", [(str(d), d) for d in range(10)], digit),
        "temperature": slider("temperature T", temperature, T_MIN, T_MAX, T_STEP),
    }
    artists = build(softening_state(digit, temperature))
    return Explorer(
        "Softening explorer (a teacher's dark knowledge, and the T² factor)",
        controls,
        softening_state,
        artists.figure,
        functools.partial(draw, artists),
        describe,
        animated=artists.animated,
        figure_text=FIGURE_TEXT,
    )
