"""Plots for the lessons: one style, colour-blind-safe colours, labelled axes.

Every function takes ``ax=None`` (a new figure when None) and returns the artists it drew,
so lessons and widgets can update them in place. Every argument is checked with the
package's one vocabulary (:mod:`xentlib._validation`): a wrong type is a TypeError, a wrong
value a ValueError, each naming the argument and the fix, before anything is drawn.
"""

from __future__ import annotations

import base64
import html
import io

import matplotlib as mpl
import matplotlib.axes
import matplotlib.patches
import matplotlib.pyplot as plt
import numpy as np

from ._validation import (
    _given,
    as_float_array,
    check_distribution,
    check_finite,
    check_labels,
    check_no_nan,
    check_number,
    check_pair,
    check_probabilities,
    check_text,
    check_texts,
    check_X,
    log_base,
)

# Okabe & Ito (2008), darkened where needed so that every colour is at least 3:1 against
# the white plot (WCAG 1.4.11: lines and bars must stand out; the original orange, sky,
# reddish purple and yellow were 2.3, 2.3, 3.1 and 1.3:1). Each was darkened in OKLab
# lightness only, keeping its hue (so "orange" is still orange), by the least that keeps
# the palette as easy to tell apart as it can be under simulated protanopia, deuteranopia
# and tritanopia (Machado et al. 2009): tests/test_plotting.py checks both. Yellow is
# kept for shaded bands; as a line it is too close to orange for deuteranopes.
PALETTE = {
    "blue": "#0072B2",  # 5.2:1 (as Okabe-Ito)
    "orange": "#BF8410",  # 3.2:1 (was #E69F00)
    "green": "#089069",  # 4.0:1 (was #009E73)
    "vermillion": "#C35606",  # 4.5:1 (was #D55E00)
    "sky": "#3798CC",  # 3.2:1 (was #56B4E9)
    "purple": "#B56592",  # 4.0:1 (was #CC79A7)
    "yellow": "#9B9212",  # 3.2:1 (was #F0E442)
    "black": "#000000",
}
STYLE = {
    "axes.prop_cycle": mpl.cycler(color=list(PALETTE.values())),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "font.size": 11,
    "axes.titlesize": 12,
    "legend.frameon": False,
    "svg.hashsalt": "xentlib",  # reproducible SVG ids
}


def use_style() -> None:
    """Apply the course's plotting style to every later figure."""
    mpl.rcParams.update(STYLE)


class FigureImage:
    """A figure as a picture with its text alternative: what :func:`show` displays.

    Its display bundle holds the PNG three ways, so every reader gets the words: ``text/html``
    (an ``<img>`` with ``alt``, and the caption: what JupyterLab shows), ``image/png`` with
    ``alt`` in its metadata (what nbconvert uses), and the alt text as ``text/plain``.
    """

    def __init__(self, png: bytes, size: tuple, alt: str, caption: str | None = None):
        self.png, self.size, self.alt, self.caption = png, size, alt, caption

    def html(self) -> str:
        width, height = self.size
        data = base64.b64encode(self.png).decode("ascii")
        image = (
            f'<img src="data:image/png;base64,{data}" alt="{html.escape(self.alt)}" '
            f'width="{width}" height="{height}">'
        )
        if self.caption is None:
            return image
        return f"<figure>{image}<figcaption>{html.escape(self.caption)}</figcaption></figure>"

    def _repr_mimebundle_(self, include=None, exclude=None):
        width, height = self.size
        data = {
            "text/html": self.html(),
            "image/png": base64.b64encode(self.png).decode("ascii"),
            "text/plain": self.alt if self.caption is None else f"{self.alt}\n{self.caption}",
        }
        return data, {"image/png": {"alt": self.alt, "width": width, "height": height}}

    def __repr__(self) -> str:
        return f"<figure: {self.alt}>"


def figure_image(fig=None, *, alt: str, caption: str | None = None) -> FigureImage:
    """``fig`` (default: the current figure) as a :class:`FigureImage` with its ``alt`` text.

    ``alt`` says what the figure shows, as a sentence a listener can follow (at least five
    words: "Loss against q: falls from 4.6 at q = 0.01 to 0 at q = 1"); ``caption``, when
    given, is shown under the figure for everyone. The picture is what the inline backend
    would show: the figure at its dpi, cropped to what is drawn.

    >>> fig, ax = plt.subplots(figsize=(2, 1))
    >>> image = figure_image(fig, alt="An empty plot, for the example")
    >>> image.html()[:43], 'alt="An empty plot, for the example"' in image.html()
    ('<img src="data:image/png;base64,iVBORw0KGgo', True)
    >>> figure_image(fig, alt="")
    Traceback (most recent call last):
    ValueError: alt must be text of at least 5 words, such as 'The loss −log q falls from 4.6 at q = 0.01 to 0 at q = 1'; got ''.
    >>> plt.close(fig)
    """
    fig = plt.gcf() if fig is None else fig
    if not isinstance(fig, mpl.figure.Figure):
        raise TypeError(
            f"fig must be a matplotlib Figure (fig, ax = plt.subplots()) or None for the "
            f"current figure, got {_given(fig)}."
        )
    alt = check_text(alt, "alt", example=ALT_EXAMPLE, min_words=5)
    if caption is not None:
        caption = check_text(caption, "caption", example="Figure 1: the loss against q.")
    with io.BytesIO() as buffer:
        fig.savefig(buffer, format="png", bbox_inches="tight", dpi=fig.dpi)
        png = buffer.getvalue()
    width, height = _png_size(png)
    scale = fig.dpi / 100  # shown at 100 pixels per inch, as the explorers are
    return FigureImage(png, (round(width / scale), round(height / scale)), alt, caption)


ALT_EXAMPLE = "The loss −log q falls from 4.6 at q = 0.01 to 0 at q = 1"


def _png_size(png: bytes) -> tuple[int, int]:
    """A PNG's width and height in pixels (from its header)."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def show(fig=None, *, alt: str, caption: str | None = None) -> None:
    """Show ``fig`` (default: the current figure) in the notebook with its text alternative,
    then close it: the lessons' ``plt.show()``, for every reader.

    ``alt`` says what the figure shows, in words a screen reader reads out (required, at
    least five words); ``caption`` is an optional visible caption. The output is an
    ``<img>`` with ``alt`` in JupyterLab and on GitHub, a PNG with ``alt`` metadata for
    nbconvert, and the alt text as plain text; ``tools/check_notebooks.py`` fails a lesson
    whose figure output has no alternative.

    Example (in a lesson)::

        fig, ax = plt.subplots()
        xl.plotting.surprisal_curve(ax=ax)
        xl.plotting.show(fig, alt="The loss −log q against q: 4.6 at q = 0.01, 0 at q = 1")

    Outside a notebook it shows the figure as ``plt.show()`` would.
    """
    image = figure_image(fig, alt=alt, caption=caption)
    figure = plt.gcf() if fig is None else fig
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # plain Python, no IPython: show it the usual way
        plt.show()
        return
    if get_ipython() is None:
        plt.show()
        return
    display(image)
    plt.close(figure)


def _axes(ax, figsize=(5, 3.5)):
    """``ax``, or new axes in a new figure when it is None."""
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    elif not isinstance(ax, matplotlib.axes.Axes):
        raise TypeError(
            f"ax must be matplotlib axes (fig, ax = plt.subplots()) or None for a new "
            f"figure, got {_given(ax)}."
        )
    return ax


# ---- the checks every plot shares ---------------------------------------------------------
def _vector(x, name, *, low=None, high=None, allow_inf=False) -> np.ndarray:
    """A non-empty 1-D float array (finite unless ``allow_inf``) within [low, high]."""
    arr = as_float_array(x, name).astype(np.float64, copy=False)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D (one value per bar or point), got shape {arr.shape}.")
    check_no_nan(arr, name) if allow_inf else check_finite(arr, name)
    below = arr < low if low is not None else np.zeros(arr.shape, bool)
    above = arr > high if high is not None else np.zeros(arr.shape, bool)
    if (below | above).any():
        i = int(np.argmax(below | above))
        bounds = f"between {low:g} and {high:g}" if high is not None else f"at least {low:g}"
        raise ValueError(f"{name} must hold values {bounds}, but {name}[{i}] = {arr[i]:.6g}.")
    return arr


def _probability_vector(x, name) -> np.ndarray:
    arr = _vector(x, name, allow_inf=True)
    check_probabilities(arr, name)
    return arr


def _class(value, n, name):
    """None or a class index in 0 … n − 1."""
    if value is None:
        return None
    return check_number(value, name, example=0, low=0, high=n - 1, integer=True)


def _bars(bars, name="bars"):
    """The bars a plotting function returned (a BarContainer, or a list of its bars)."""
    ok = isinstance(bars, (mpl.container.BarContainer, list, tuple)) and all(
        isinstance(bar, mpl.patches.Rectangle) for bar in bars
    )
    if not ok:
        raise TypeError(
            f"{name} must be the bars a plotting function returned (a BarContainer), got "
            f"{_given(bars)}."
        )
    return bars


def surprisal_curve(*, base=None, p_min=1e-3, wrong_below=0.1, ax=None):
    """Draw the loss of the true class, −log q, against the model's probability q of it.

    (The same curve is the surprisal −log p of an outcome of probability p: lesson 01
    relabels the x axis.) ``p_min`` is where the curve starts. The region
    ``q < wrong_below`` is shaded as "confidently wrong" (``None`` for no
    shading). Returns a dict of the artists: ``line`` (the curve) and ``region`` (the
    shaded span, or None).
    """
    scale = log_base(base)
    p_min = check_number(p_min, "p_min", example=1e-3, low=0, high=1, low_open=True, high_open=True)
    if wrong_below is not None:
        wrong_below = check_number(
            wrong_below, "wrong_below", example=0.1, low=0, high=1, fix="None: no shading."
        )
    ax = _axes(ax)
    q = np.linspace(p_min, 1.0, 400)
    loss = -np.log(q) / scale
    (line,) = ax.plot(q, loss, color=PALETTE["blue"], lw=2, label="loss = −log q")
    region = None
    if wrong_below:
        region = ax.axvspan(
            0, wrong_below, color=PALETTE["vermillion"], alpha=0.12, lw=0, label="confidently wrong"
        )
    ax.set_xlim(0, 1)
    ax.set_ylim(0, float(loss.max()) * 1.05)
    ax.set_xlabel("q = predicted probability of the true class")
    ax.set_ylabel(f"loss ({_unit(base)})")
    ax.legend(loc="upper right")
    return {"line": line, "region": region}


def entropy_curve(*, base=2, ax=None):
    """Draw the entropy of a coin, H(θ) = −θ log θ − (1 − θ) log(1 − θ), against its bias θ.

    The maximum, at the fair coin θ = 0.5, is marked. Returns ``{"line", "peak"}``.
    """
    scale = log_base(base)
    ax = _axes(ax)
    theta = np.linspace(0.0, 1.0, 401)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(theta > 0, -theta * np.log(theta), 0.0) + np.where(
            theta < 1, -(1 - theta) * np.log1p(-theta), 0.0
        )
    h = terms / scale
    (line,) = ax.plot(theta, h, color=PALETTE["blue"], lw=2, label="H(θ)")
    (peak,) = ax.plot([0.5], [h[200]], "s", color=PALETTE["green"], ms=7, label="fair coin")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, float(h.max()) * 1.15)
    ax.set_xlabel("θ = probability of heads")
    ax.set_ylabel(f"entropy ({_unit(base)})")
    ax.legend(loc="lower center")
    return {"line": line, "peak": peak}


def secondary_unit_axis(ax, unit: str, per_unit: float):
    """A right-hand y axis in another unit: ``value_in_unit = left_value / per_unit``.

    For example ``secondary_unit_axis(ax, "bits", np.log(2))`` labels a nats axis in bits
    too (1 bit = ln 2 nats). Returns the secondary Axes.
    """
    if ax is None:
        raise TypeError("ax must be the matplotlib axes to add the second axis to, got None.")
    ax = _axes(ax)
    if not isinstance(unit, str) or not unit.strip():
        raise TypeError(
            f"unit must be the unit's name as text, such as 'bits', got {_given(unit)}."
        )
    per_unit = check_number(per_unit, "per_unit", example=0.693, low=0, low_open=True)
    axis = ax.secondary_yaxis("right", functions=(lambda v: v / per_unit, lambda v: v * per_unit))
    label = ax.get_ylabel()
    if "(" in label and ")" in label:  # "loss (nats)" → "loss (bits)"
        label = label.replace(label[label.find("(") + 1 : label.find(")")], unit)
    else:
        label = f"{label} ({unit})".strip()
    axis.set_ylabel(label)
    return axis


def _unit(base) -> str:
    return "nats" if base is None else ("bits" if base == 2 else f"log base {base}")


def distribution_bars(dists, *, labels=None, ylim=(0, 1), ax=None):
    """Grouped bars of one or more distributions over the same outcomes.

    Parameters
    ----------
    dists : dict of str → array of shape (n_outcomes,)
        Name (shown in the legend) → probabilities.
    labels : list of str, optional
        Outcome names; default ``0, 1, …``.

    Returns a dict name → BarContainer (update with ``bar.set_height``).
    """
    if not isinstance(dists, dict) or not dists:
        raise TypeError(
            "dists must be a dict of name → probabilities, such as {'p': [0.5, 0.5]}, got "
            f"{_given(dists)}."
        )
    names = list(dists)
    values = {name: _probability_vector(v, f"dists[{name!r}]") for name, v in dists.items()}
    n = len(values[names[0]])
    for name, v in values.items():
        if len(v) != n:
            raise ValueError(
                f"dists[{name!r}] has {len(v)} outcomes, but dists[{names[0]!r}] has {n}: "
                "the distributions must be over the same outcomes."
            )
    labels = check_texts(labels, n, "labels")
    ylim = check_pair(ylim, "ylim", example=(0, 1))
    ax = _axes(ax)
    x = np.arange(n)
    width = 0.8 / len(names)
    colours = [PALETTE["blue"], PALETTE["orange"], PALETTE["green"], PALETTE["purple"]]
    hatches = ["", "//", "..", "xx"]  # shape, not only colour, tells the series apart
    bars = {}
    for i, name in enumerate(names):
        offset = (i - (len(names) - 1) / 2) * width
        bars[name] = ax.bar(
            x + offset,
            values[name],
            width,
            label=str(name),
            color=colours[i % 4],
            hatch=hatches[i % 4],
            edgecolor="white",
        )
    ax.set_xticks(x, labels if labels is not None else [str(i) for i in x])
    ax.set_ylim(*ylim)
    ax.set_ylabel("probability")
    ax.legend(loc="upper right")
    return bars


def entropy_decomposition(h_p, kl, *, base=None, xmax=None, ax=None):
    """Two horizontal bars showing H(p, q) = H(p) + KL(p‖q).

    The top bar is H(p) (blue) with KL(p‖q) (vermillion) stacked after it; the bottom bar is
    H(p, q) computed directly, so the two bars have the same length. Infinite values are
    drawn capped at ``xmax``. Returns ``{"entropy", "kl", "cross"}`` (Rectangles).
    """
    h_p = check_number(h_p, "h_p", example=0.7, low=0, fix="It is the entropy H(p).")
    kl = _divergence(kl)
    log_base(base)  # (checked: it names the unit)
    if xmax is not None:
        xmax = check_number(xmax, "xmax", example=1.6, low=0, low_open=True)
    ax = _axes(ax)
    xmax = xmax if xmax is not None else max(1.0, 1.2 * (h_p + kl) if np.isfinite(kl) else 2 * h_p)
    cap = 0.98 * xmax
    (entropy_bar,) = ax.barh([1], [h_p], color=PALETTE["blue"], label="H(p)", height=0.5)
    (kl_bar,) = ax.barh(
        [1], [min(kl, cap)], left=[h_p], color=PALETTE["vermillion"], label="KL(p‖q)", height=0.5
    )
    (cross_bar,) = ax.barh(
        [0], [min(h_p + kl, cap)], color=PALETTE["sky"], hatch="//", label="H(p, q)", height=0.5
    )
    ax.set_yticks([0, 1], ["H(p, q)", "H(p) + KL(p‖q)"])
    ax.set_xlim(0, xmax)
    ax.set_ylim(-0.6, 1.9)
    ax.set_xlabel(f"{_unit(base)}")
    ax.legend(loc="upper right", ncols=3, fontsize=10)
    return {"entropy": entropy_bar, "kl": kl_bar, "cross": cross_bar}


def _divergence(kl) -> float:
    """KL(p‖q): a number ≥ 0, and +inf allowed (q = 0 where p > 0)."""
    if isinstance(kl, (float, np.floating)) and kl == np.inf:
        return np.inf
    return check_number(kl, "kl", example=0.2, low=0, fix="It is KL(p‖q), which may be inf.")


def probability_bars(probs, *, true_class=None, labels=None, ax=None):
    """Bars of predicted probabilities; the true class is drawn in green and hatched.

    Returns the BarContainer (update heights with ``bar.set_height``).
    """
    probs = _probability_vector(probs, "probs")
    true_class = _class(true_class, probs.size, "true_class")
    labels = check_texts(labels, probs.size, "labels")
    ax = _axes(ax)
    x = np.arange(probs.size)
    bars = ax.bar(x, probs, color=PALETTE["blue"], edgecolor="white", width=0.6)
    highlight_class(bars, true_class)
    ax.set_xticks(x, labels if labels is not None else [f"class {i}" for i in x])
    ax.set_ylim(0, 1)
    ax.set_ylabel("predicted probability")
    return bars


def highlight_class(bars, true_class) -> None:
    """Colour the bar of ``true_class`` green and hatched, the others blue."""
    true_class = _class(true_class, len(_bars(bars)), "true_class")
    for i, bar in enumerate(bars):
        is_true = i == true_class
        bar.set_facecolor(PALETTE["green"] if is_true else PALETTE["blue"])
        bar.set_hatch("//" if is_true else "")


def gradient_bars(grad, *, labels=None, ylim=(-1, 1), ax=None):
    """Bars of a gradient around zero: negative (the logit will go up) vs positive.

    Gradient descent moves each logit *against* its bar: a negative bar means "increase
    this logit". Returns the BarContainer.
    """
    grad = _vector(grad, "grad")
    labels = check_texts(labels, grad.size, "labels")
    ylim = check_pair(ylim, "ylim", example=(-1, 1))
    ax = _axes(ax)
    x = np.arange(grad.size)
    bars = ax.bar(x, grad, color=PALETTE["purple"], edgecolor="white", width=0.6)
    colour_by_sign(bars, grad)
    ax.axhline(0, color=PALETTE["black"], lw=0.8)
    ax.set_xticks(x, labels if labels is not None else [f"z{i}" for i in x])
    ax.set_ylim(*ylim)
    ax.set_ylabel("∂L/∂z")
    return bars


def colour_by_sign(bars, values) -> None:
    """Vermillion for negative values, purple for positive ones."""
    values = _vector(values, "values")
    if len(values) != len(_bars(bars)):
        raise ValueError(f"values must have one value per bar ({len(bars)}), got {len(values)}.")
    for bar, v in zip(bars, values, strict=True):
        bar.set_facecolor(PALETTE["vermillion"] if v < 0 else PALETTE["purple"])


def likelihood_curve(heads: int, tails: int, *, ax=None):
    """The log-likelihood of a coin's bias θ after ``heads`` and ``tails``, with its maximum.

    .. math:: \\ell(\\theta) = h \\log\\theta + t \\log(1 - \\theta), \\quad
        \\hat\\theta = h / (h + t)

    Returns ``{"line", "mle"}``.
    """
    heads = check_number(heads, "heads", example=7, low=0, integer=True)
    tails = check_number(tails, "tails", example=3, low=0, integer=True)
    if heads + tails == 0:
        raise ValueError("heads and tails are both 0: a likelihood needs at least one toss.")
    ax = _axes(ax)
    theta = np.linspace(0.005, 0.995, 397)
    ll = heads * np.log(theta) + tails * np.log1p(-theta)
    mle = heads / (heads + tails)
    (line,) = ax.plot(theta, ll, color=PALETTE["blue"], lw=2, label="log-likelihood ℓ(θ)")
    mle_ll = heads * np.log(mle) + tails * np.log1p(-mle) if 0 < mle < 1 else 0.0
    mle_line = ax.axvline(
        mle, color=PALETTE["vermillion"], ls="--", label=f"maximum at θ = {mle:.2f} = frequency"
    )
    ax.plot([mle], [mle_ll], "o", color=PALETTE["vermillion"])
    ax.set_ylim(max(ll.min(), mle_ll - 12 * max(1.0, (heads + tails) / 10)), mle_ll + 1)
    ax.set_xlim(0, 1)
    ax.set_xlabel("θ = probability of heads")
    ax.set_ylabel("log-likelihood (nats)")
    ax.legend(loc="lower center")
    return {"line": line, "mle": mle_line}


# One line style per class (solid, dashed, dash-dot, long dash-dot-dot), so that classes
# differ by more than colour; the dotted line is the uniform 1/C.
_CLASS_LINESTYLES = ["-", "--", "-.", (0, (6, 2, 1, 2, 1, 2))]


def temperature_sweep(logits, temperatures=None, *, ax=None):
    """Softmax probabilities of each class as the temperature T varies (log-scaled T).

    Each class has its own line style as well as its colour. Returns the list of lines,
    one per class.
    """
    from .special import softmax

    z = _vector(logits, "logits", allow_inf=True)
    if np.isposinf(z).any() or np.isneginf(z).all():
        raise ValueError(
            "logits must be finite (or -inf to rule a class out, not all of them), got "
            f"{z.tolist()}."
        )
    if temperatures is None:
        temps = np.geomspace(0.05, 20, 300)
    else:
        temps = _vector(temperatures, "temperatures")
        if (temps <= 0).any():
            raise ValueError(
                f"temperatures must all be positive, got {temps[temps <= 0][0]:g}; "
                "np.geomspace(0.05, 20, 300) spans the usual range."
            )
    ax = _axes(ax)
    with np.errstate(over="ignore"):
        scaled = z[None, :] / temps[:, None]
        if np.isposinf(scaled).any():  # z / T beyond 1.8e308: the same softmax of z − max z
            scaled = (z[None, :] - z.max()) / temps[:, None]
    probs = softmax(scaled)
    lines = []
    for i in range(z.size):
        (line,) = ax.plot(
            temps,
            probs[:, i],
            lw=2,
            ls=_CLASS_LINESTYLES[i % len(_CLASS_LINESTYLES)],  # not told apart by colour alone
            label=f"class {i} (z = {z[i]:g})",
        )
        lines.append(line)
    ax.axhline(1 / z.size, color=PALETTE["black"], lw=0.8, ls=":", label="uniform 1/C")
    ax.axvline(1.0, color=PALETTE["black"], lw=0.8, ls="--")
    ax.set_xscale("log")
    ax.set_ylim(0, 1)
    ax.set_xlabel("temperature T (log scale)")
    ax.set_ylabel("softmax(z / T)")
    ax.legend(loc="upper right", fontsize=10)
    return lines


def saturation_curves(*, ax=None):
    """How hard each loss pushes a wrong prediction: |∂L/∂z| against q = σ(z) of the true class.

    Cross-entropy on a sigmoid output gives ``|σ(z) − 1| = 1 − q``: the push is largest
    when the model is most wrong. Squared error ``(σ(z) − 1)²`` gives
    ``2 (1 − q) · q (1 − q)``: the extra factor σ'(z) = q(1 − q) kills the gradient exactly
    when the model is confidently wrong (q → 0). Returns ``{"cross_entropy", "mse"}``.
    """
    ax = _axes(ax)
    q = np.linspace(0.0, 1.0, 401)
    (ce,) = ax.plot(q, 1 - q, color=PALETTE["blue"], lw=2, label="cross-entropy: 1 − q")
    (mse,) = ax.plot(
        q,
        2 * (1 - q) ** 2 * q,
        color=PALETTE["orange"],
        lw=2,
        ls="--",
        label="squared error: 2(1 − q)²q",
    )
    ax.axvspan(0, 0.1, color=PALETTE["vermillion"], alpha=0.12, lw=0, label="confidently wrong")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("q = σ(z), predicted probability of the true class")
    ax.set_ylabel("|∂L/∂z|, the size of the push")
    ax.legend(loc="upper right")
    return {"cross_entropy": ce, "mse": mse}


def relative_errors(errors, *, labels=None, ax=None):
    """Relative errors of a gradient check on a log scale, with the usual verdict bands.

    Below 1e-7: correct (float64). 1e-7 to 1e-4: check again. 1e-4 to 1e-2: suspicious.
    Above 1e-2: a bug (the gradients differ by about 2 % or more). The bands' edges are
    drawn as grey lines. Returns the scatter collection.
    """
    errors = _vector(errors, "errors", low=0)
    labels = check_texts(labels, errors.size, "labels")
    ax = _axes(ax)
    x = np.arange(errors.size)
    floor = np.finfo(float).tiny
    ax.axhspan(1e-20, 1e-7, color=PALETTE["green"], alpha=0.12, lw=0, label="correct (< 1e-7)")
    ax.axhspan(1e-7, 1e-4, color=PALETTE["yellow"], alpha=0.25, lw=0, label="check again")
    ax.axhspan(1e-4, 1e-2, color=PALETTE["orange"], alpha=0.2, lw=0, label="suspicious (> 1e-4)")
    ax.axhspan(1e-2, 1e2, color=PALETTE["vermillion"], alpha=0.3, lw=0, label="a bug (> 1e-2)")
    for edge in (1e-7, 1e-4, 1e-2):  # the pale bands' edges, drawn: not told apart by colour alone
        ax.axhline(edge, color="0.45", lw=0.8)
    dots = ax.scatter(x, np.maximum(errors, floor), color=PALETTE["blue"], zorder=3)
    ax.set_yscale("log")
    ax.set_ylim(1e-16, 10)
    if labels is not None:
        ax.set_xticks(x, labels)
    ax.set_xlabel("checked coordinate")
    ax.set_ylabel("relative error")
    ax.legend(loc="center right", fontsize=10)
    return dots


def scatter_classes(X, y, *, ax=None, s=18):
    """Points coloured (and shaped) by class. Returns the list of scatter collections.

    ``X`` holds two features per row (n_samples, 2); ``y`` a class label per row; ``s`` is
    the marker size in points².
    """
    X, y = _points(X, y)
    s = check_number(s, "s", example=18, low=0, low_open=True)
    ax = _axes(ax)
    markers = ["o", "s", "^", "D", "v", "P"]
    colours = list(PALETTE.values())
    drawn = []
    for i, c in enumerate(np.unique(y)):
        pts = X[y == c]
        drawn.append(
            ax.scatter(
                pts[:, 0],
                pts[:, 1],
                s=s,
                marker=markers[i % 6],
                color=colours[i % 8],
                edgecolor="white",
                linewidth=0.5,
                label=f"class {c}",
            )
        )
    ax.set_xlabel("x₁")
    ax.set_ylabel("x₂")
    return drawn


def _points(X, y, name_y="y"):
    X = check_X(X)
    if X.shape[1] != 2:
        raise ValueError(
            f"X must have 2 columns (the plane's two features), got {X.shape[1]}; plot two "
            "features at a time, e.g. X[:, :2]."
        )
    return X, check_labels(y, X.shape[0], name_y)


def region_colours(probs) -> np.ndarray:
    """RGB colours for predicted probabilities (n, C): the top class's colour, paler when
    the model is less sure (white-ish where undecided). Shape (n, 3), values in [0, 1].

    >>> region_colours(np.array([[0.5, 0.5], [1.0, 0.0]])).round(2).tolist()
    [[0.85, 0.92, 0.95], [0.4, 0.67, 0.82]]
    """
    probs = as_float_array(probs, "probs").astype(np.float64, copy=False)
    if probs.ndim != 2 or probs.shape[1] < 2:
        raise ValueError(
            f"probs must have shape (n_points, n_classes) with at least 2 classes, got {probs.shape}."
        )
    check_distribution(probs, "probs", axis=1)
    best = probs.argmax(axis=1)
    n_classes = probs.shape[1]
    strength = (probs.max(axis=1) - 1 / n_classes) / (1 - 1 / n_classes)  # 0 undecided, 1 sure
    colours = np.array([mpl.colors.to_rgb(c) for c in PALETTE.values()])
    return 1 - (1 - colours[best % 8]) * (0.15 + 0.45 * strength[:, None])


def decision_regions(model, X, y, *, resolution=200, ax=None):
    """Shade the plane by the model's predicted class (lighter where it is less sure), with
    the decision boundaries (where the predicted class changes) as thin dark lines, so that
    the regions are told apart by more than their colour.

    ``model`` needs ``predict_proba`` and ``classes_``. Returns ``{"regions", "points",
    "boundaries"}`` (boundaries: one contour set per class that is predicted somewhere but
    not everywhere).
    """
    classes = _classifier(model)
    X, y = _points(X, y)
    unknown = ~np.isin(y, classes)
    if unknown.any():
        raise ValueError(
            f"y contains labels the model does not know: {np.unique(y[unknown]).tolist()[:5]}; "
            f"model.classes_ is {classes.tolist()[:10]}."
        )
    resolution = check_number(resolution, "resolution", example=200, low=2, high=2000, integer=True)
    ax = _axes(ax, figsize=(4.5, 4))
    pad = 0.1 * (X.max(axis=0) - X.min(axis=0)) + 1e-9
    lo, hi = X.min(axis=0) - pad, X.max(axis=0) + pad
    gx, gy = np.meshgrid(
        np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution)
    )
    probs = model.predict_proba(np.column_stack([gx.ravel(), gy.ravel()]))
    if np.shape(probs) != (gx.size, len(classes)):
        raise ValueError(
            f"model.predict_proba gave shape {np.shape(probs)} for {gx.size} points; it must "
            f"give one probability per class of model.classes_ ({len(classes)}) for each."
        )
    regions = ax.imshow(
        region_colours(probs).reshape(resolution, resolution, 3),
        origin="lower",
        aspect="auto",
        extent=(lo[0], hi[0], lo[1], hi[1]),
        interpolation="bilinear",
    )
    predicted = np.asarray(probs).argmax(axis=1).reshape(resolution, resolution)
    boundaries = [
        ax.contour(gx, gy, (predicted == k).astype(float), levels=[0.5], colors="0.2", linewidths=1)
        for k in range(len(classes))
        if (predicted == k).any() and not (predicted == k).all()
    ]
    points = scatter_classes(X, y, ax=ax)
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.grid(False)
    return {"regions": regions, "points": points, "boundaries": boundaries}


def _classifier(model) -> np.ndarray:
    """The classes of a fitted classifier: it needs ``predict_proba`` and ``classes_``."""
    if not callable(getattr(model, "predict_proba", None)) or not hasattr(model, "classes_"):
        raise TypeError(
            "model must be a fitted classifier with predict_proba and classes_ (such as "
            f"xl.SoftmaxRegression().fit(X, y)), got {_given(model)}."
        )
    return check_labels(model.classes_, name="model.classes_")


def training_curves(history, *, ax=None):
    """Loss per epoch (and validation loss, and accuracies on a right-hand axis).

    Each curve has its own line style: training loss solid, validation loss dashed (both
    thick), training accuracy dotted, validation accuracy in short dashes (both thin).

    ``history`` is a model's ``history_`` dict. Returns a dict of the lines drawn.
    """
    history = _history(history)
    ax = _axes(ax)
    epochs = np.arange(1, len(history["loss"]) + 1)
    lines = {
        "loss": ax.plot(
            epochs, history["loss"], color=PALETTE["blue"], lw=2, label="training loss"
        )[0]
    }
    if "val_loss" in history:
        lines["val_loss"] = ax.plot(
            epochs,
            history["val_loss"],
            color=PALETTE["vermillion"],
            lw=2,
            ls="--",
            label="validation loss",
        )[0]
    ax.set_xlabel("epoch")
    ax.set_ylabel("cross-entropy (nats)")
    if "accuracy" in history:
        acc_ax = ax.twinx()
        acc_ax.grid(False)
        lines["accuracy"] = acc_ax.plot(
            epochs,
            history["accuracy"],
            color=PALETTE["green"],
            lw=1.5,
            ls=":",
            label="training accuracy",
        )[0]
        if "val_accuracy" in history:
            lines["val_accuracy"] = acc_ax.plot(
                epochs,
                history["val_accuracy"],
                color=PALETTE["orange"],
                lw=1.5,
                ls=(0, (2, 2)),  # short dashes, thinner than the validation loss's
                label="validation accuracy",
            )[0]
        acc_ax.set_ylim(0, 1.02)
        acc_ax.set_ylabel("accuracy")
        acc_ax.spines["right"].set_visible(True)
    ax.legend(handles=list(lines.values()), loc="center right", fontsize=10)
    return lines


def _history(history) -> dict:
    """A ``history_`` dict: "loss" per epoch, and optionally the same length of "val_loss",
    "accuracy", "val_accuracy" (NaN and inf are drawn as gaps: a run that diverged)."""
    if not isinstance(history, dict) or "loss" not in history:
        raise TypeError(
            "history must be a dict with a list of losses per epoch under 'loss' (a model's "
            f"history_), got {_given(history)}."
        )
    curves = {}
    for key in ("loss", "val_loss", "accuracy", "val_accuracy"):
        if key in history:
            curve = as_float_array(history[key], f"history[{key!r}]").astype(float, copy=False)
            if curve.ndim != 1:
                raise ValueError(
                    f"history[{key!r}] must be one number per epoch, got {curve.shape}."
                )
            if len(curve) != len(history["loss"]):
                raise ValueError(
                    f"history[{key!r}] has {len(curve)} epochs but history['loss'] has "
                    f"{len(history['loss'])}: one value per epoch in each."
                )
            curves[key] = curve
    return curves


def confusion_heatmap(cm, *, labels=None, ax=None):
    """Draw a confusion matrix (rows: true class, columns: predicted) with counts.

    Each row is shaded by its own total, so a rare class's mistakes are as visible as a
    common one's. Returns the image.
    """
    cm = _counts(cm)
    labels = check_texts(labels, cm.shape[0], "labels")
    ax = _axes(ax, figsize=(4, 3.6))
    share = cm / np.maximum(cm.sum(axis=1, keepdims=True), 1)
    image = ax.imshow(share, cmap="Blues", vmin=0, vmax=1)
    for (i, j), count in np.ndenumerate(cm):
        ax.text(
            j,
            i,
            str(count),
            ha="center",
            va="center",
            # Above 0.72 of "Blues" white text is 4.5:1 or more, below it black is (WCAG 1.4.3).
            color="white" if share[i, j] > 0.72 else "black",
        )
    ticks = np.arange(cm.shape[0])
    names = labels if labels is not None else [str(t) for t in ticks]
    ax.set_xticks(ticks, names)
    ax.set_yticks(ticks, names)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.grid(False)
    return image


def _counts(cm) -> np.ndarray:
    """A square matrix of counts: whole numbers ≥ 0."""
    arr = as_float_array(cm, "cm")
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1]:
        raise ValueError(
            f"cm must be a square matrix (true class × predicted class), got shape {arr.shape}."
        )
    check_finite(arr, "cm")
    if (arr < 0).any() or (arr != np.round(arr)).any():
        raise ValueError(
            "cm must hold counts (whole numbers ≥ 0), such as metrics.confusion_matrix(y, "
            f"y_pred) gives; got {arr[(arr < 0) | (arr != np.round(arr))][0]:g}."
        )
    return arr.astype(np.int64)


def reliability_diagram(
    y_true, probs, *, n_bins=10, pos_label=None, ax=None, color=None, label=None
):
    """A reliability diagram: each confidence bin's accuracy (bars) against the diagonal.

    ``pos_label=None`` draws the top-label diagram (confidence = the largest probability,
    bar = the fraction whose argmax is right); ``pos_label=k`` the diagram of class k's
    probability (bar = the share of class k among the examples in the bin), see
    :func:`xentlib.metrics.reliability_curve`. Unfilled rectangles hatched in vermillion show
    each bin's gap between its bar and its mean confidence (the legend says "gap to
    confidence", or "gap to mean q" with ``pos_label``), the same whichever side the bar is
    on; empty bins are left out. Bars above the
    diagonal mean under-confidence, below it over-confidence. ``label`` names the bars in
    the legend (default: "accuracy", or "share of class k").

    Returns ``{"bars", "gaps", "diagonal"}``.
    """
    from .metrics import reliability_curve

    conf, acc, counts = reliability_curve(y_true, probs, n_bins=n_bins, pos_label=pos_label)
    if color is not None and not mpl.colors.is_color_like(color):
        raise ValueError(
            f"color must be a matplotlib colour such as '#0072B2' or 'C1', got {_given(color)}."
        )
    if label is not None and not isinstance(label, str):
        raise TypeError(f"label must be text (the bars' name in the legend), got {_given(label)}.")
    ax = _axes(ax, figsize=(4, 3.6))
    filled = np.flatnonzero(counts)
    width = 1.0 / len(counts)
    (diagonal,) = ax.plot([0, 1], [0, 1], ls="--", color="grey", lw=1, label="perfect calibration")
    if label is None:
        label = "accuracy" if pos_label is None else f"share of class {pos_label}"
    bars = ax.bar(
        filled * width,
        acc[filled],
        width,
        align="edge",
        color=PALETTE["blue"] if color is None else color,
        edgecolor="white",
        label=label,
    )
    gaps = ax.bar(
        filled * width,
        np.abs(conf[filled] - acc[filled]),
        width,
        bottom=np.minimum(conf[filled], acc[filled]),
        align="edge",
        fill=False,  # unfilled: the gap looks the same above and below the diagonal,
        edgecolor=PALETTE["vermillion"],  # and the bar under it stays visible
        hatch="//",
        linewidth=1.2,
        zorder=3,
        label="gap to confidence" if pos_label is None else "gap to mean q",
    )
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    if pos_label is None:
        ax.set(xlabel="confidence (top-class probability)", ylabel="accuracy in the bin")
    else:
        ax.set(
            xlabel=f"predicted probability of class {pos_label}",
            ylabel=f"share of class {pos_label} in the bin",
        )
    return {"bars": bars, "gaps": gaps, "diagonal": diagonal}
