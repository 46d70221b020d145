r"""Smoothing explorer: choose a character model's context and the strength k of its add-k
prior; watch the training and validation loss, and the model's next-character prediction.

The model counts, in the training part of *The Tempest* (lesson 13: the first 80 % of the
play), how often each character followed each context of ``context`` characters, and
predicts :math:`q(c \mid \text{ctx}) = (n(\text{ctx}, c) + k) / (n(\text{ctx}) + kV)`. The
training loss only rises with k (the counts are its optimum); the validation loss (the next
10 %) falls, then rises: too weak a prior calls unseen characters nearly impossible, too strong a
one forgets the counts.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from .. import plotting
from .._validation import check_number
from ..datasets import load_tempest
from ..language import encode, ngram_counts, ngram_probs, vocabulary
from ._explorer import Explorer, choice, new_figure, slider

FIGURE_TEXT = (
    "Figure: left, bits per character against k on a log scale, training loss dashed and "
    "validation loss solid for contexts of 0, 1 and 2 characters (circles, squares, "
    "triangles), a vertical line and a dot at the current k on the chosen context's "
    "validation curve; right, the chosen model's probabilities of its eight likeliest next "
    "characters after the shown context, each bar labelled with its character."
)
LOG_K = np.round(np.arange(-4.0, 1.0 + 1e-9, 0.25), 2)  # the slider's values: k = 1e-4 … 10
CONTEXTS = (0, 1, 2)
PROMPT = "th"  # the prediction shown is for what comes after the last `context` of these
TOP = 8
MARKERS = {0: ("o", "blue"), 1: ("s", "orange"), 2: ("^", "green")}


@functools.lru_cache(maxsize=1)
def _split():
    """The vocabulary, and the training and validation parts (lesson 13's split)."""
    text = load_tempest()
    vocab = vocabulary(text)
    ids = encode(text, vocab)
    n_train, n_val = int(0.8 * len(ids)), int(0.1 * len(ids))
    return vocab, ids[:n_train], ids[n_train : n_train + n_val]


@functools.lru_cache(maxsize=len(CONTEXTS))
def _counts(context: int):
    """The n-gram counts of the training and of the validation part (context ``context``)."""
    vocab, train, val = _split()
    return (
        ngram_counts(train, context=context, vocab_size=len(vocab)),
        ngram_counts(val, context=context, vocab_size=len(vocab)),
    )


def _bits(counts, probs) -> float:
    """The mean surprisal in bits of the n-grams counted in ``counts`` under ``probs``."""
    with np.errstate(divide="ignore"):
        logs = np.log2(probs)
    terms = np.where(counts > 0, counts * logs, 0.0)
    return float(-terms.sum() / counts.sum())


@functools.lru_cache(maxsize=len(CONTEXTS))
def smoothing_curves(context: int) -> dict:
    """Training and validation bits per character at every k of the slider (``LOG_K``)."""
    train_counts, val_counts = _counts(context)
    tables = [ngram_probs(train_counts, k=10.0**x) for x in LOG_K]
    return {
        "train": np.array([_bits(train_counts, p) for p in tables]),
        "val": np.array([_bits(val_counts, p) for p in tables]),
    }


def smoothing_state(context: int = 2, log_k: float = -1.5) -> dict:
    """The add-k model with context ``context`` and k = 10**``log_k`` (pure).

    >>> s = smoothing_state(2, -1.5)
    >>> round(s["k"], 4), round(s["val_bits"], 2), s["after"], s["top"][0]
    (0.0316, 2.89, 'th', 'e')
    >>> smoothing_state(0, 1.0)["after"]
    ''
    """
    context = int(check_number(context, "context", example=2, low=0, high=2, integer=True))
    log_k = check_number(log_k, "log_k", example=-1.5, low=LOG_K[0], high=LOG_K[-1])
    vocab, _, _ = _split()
    train_counts, val_counts = _counts(context)
    k = 10.0**log_k
    probs = ngram_probs(train_counts, k=k)
    after = PROMPT[len(PROMPT) - context :] if context else ""
    row = probs[tuple(vocab.index(c) for c in after)]
    order = np.argsort(-row, kind="stable")[:TOP]
    curves = smoothing_curves(context)
    best = int(np.argmin(curves["val"]))
    return {
        "context": context,
        "log_k": float(log_k),
        "k": float(k),
        "train_bits": _bits(train_counts, probs),
        "val_bits": _bits(val_counts, probs),
        "best_k": float(10.0 ** LOG_K[best]),
        "best_val_bits": float(curves["val"][best]),
        "after": after,
        "top": [vocab[i] for i in order],
        "top_probs": row[order],
    }


def _shown(char: str) -> str:
    return {" ": "␣", "\n": "\\n"}.get(char, char)


@dataclass(frozen=True)
class Artists:
    """What :func:`build` made: the figure and the artists :func:`draw` moves."""

    figure: Figure
    line: Line2D  # the current k, a vertical line
    dot: Line2D  # (k, validation loss) on the chosen context's curve
    bars: list  # the eight likeliest next characters' probabilities
    labels: list  # each bar's character
    title: object  # the right panel's title (which context)

    @property
    def animated(self) -> list:
        return [self.line, self.dot, *self.bars, *self.labels, self.title]


def build(state: dict) -> Artists:
    """The loss curves of the three contexts against k, and the prediction's bars."""
    fig = new_figure(figsize=(9.2, 3.8))
    ax, ax_bars = fig.subplots(1, 2, width_ratios=(1.5, 1))
    ks = 10.0**LOG_K
    for context, (marker, colour) in MARKERS.items():
        curves = smoothing_curves(context)
        ax.plot(ks, curves["val"], marker=marker, ms=4, color=plotting.PALETTE[colour], lw=2)
        ax.plot(ks, curves["train"], "--", color=plotting.PALETTE[colour], lw=1.5)
        ax.plot([], [], marker=marker, color=plotting.PALETTE[colour], label=f"context {context}")
    ax.plot([], [], "-", color="black", label="validation")
    ax.plot([], [], "--", color="black", label="training")
    ax.set_xscale("log")
    ax.set(xlabel="k (imaginary sightings, log scale)", ylabel="bits per character")
    ax.set_ylim(2.4, 5.6)
    ax.legend(fontsize=10, ncol=2, loc="upper left")
    ax.set_title("loss against the prior's strength k")
    line = ax.axvline(state["k"], color=plotting.PALETTE["vermillion"], lw=2)
    (dot,) = ax.plot([], [], "o", ms=10, color=plotting.PALETTE["vermillion"], zorder=3)
    bars = list(ax_bars.bar(range(TOP), np.zeros(TOP), color=plotting.PALETTE["sky"]))
    for bar in bars:
        bar.set_edgecolor("black")
    labels = [ax_bars.text(i, 0, "", ha="center", va="bottom", fontsize=11) for i in range(TOP)]
    ax_bars.set(ylim=(0, 1.12), xticks=[], ylabel="probability", xlabel="next character")
    title = ax_bars.set_title(" ")
    return Artists(fig, line, dot, bars, labels, title)


def draw(artists: Artists, state: dict) -> bool:
    """Move the k marks and set the bars (nothing static: False)."""
    artists.line.set_xdata([state["k"], state["k"]])
    artists.dot.set_data([state["k"]], [state["val_bits"]])
    for bar, text, char, p in zip(
        artists.bars, artists.labels, state["top"], state["top_probs"], strict=True
    ):
        bar.set_height(p)
        text.set_y(p + 0.01)
        text.set_text(_shown(char))
    after = f"after '{state['after']}'" if state["after"] else "(no context)"
    artists.title.set_text(f"q(next {after}), context {state['context']}")
    return False


def describe(state: dict) -> str:
    """The readout: k, both losses, the best k for this context, the top prediction."""
    after = f"after '{state['after']}'" if state["after"] else "with no context"
    return (
        f"context {state['context']}, k = {state['k']:.4g}: training {state['train_bits']:.3f}, "
        f"<b>validation {state['val_bits']:.3f} bits per character</b> (lowest "
        f"{state['best_val_bits']:.3f} at k = {state['best_k']:.4g}); {after} the likeliest "
        f"character is '{_shown(state['top'][0])}' with probability {state['top_probs'][0]:.3f}"
    )


def smoothing_explorer(context: int = 2, log_k: float = -1.5) -> Explorer:
    """Choose a count model's context (0, 1 or 2 characters) and move log₁₀ k, the strength
    of its add-k prior; watch its training and validation loss on *The Tempest* and its
    prediction after "th" (the last ``context`` characters of it; lesson 13).

    Controls: ``context`` and ``log_k`` (−4 to 1 in steps of 0.25: k = 0.0001 to 10). State:
    see :func:`smoothing_state`.
    """
    context = int(
        check_number(
            context,
            "context",
            example=2,
            low=0,
            high=2,
            integer=True,
            fix="A count table for 3 characters of context would have 70**4 = 24 million cells.",
        )
    )
    log_k = check_number(
        log_k,
        "log_k",
        example=-1.5,
        low=LOG_K[0],
        high=LOG_K[-1],
        fix="log_k is log₁₀ k: -4 is k = 0.0001, 1 is k = 10.",
    )
    controls = {
        "context": choice("context (characters)", [(str(c), c) for c in CONTEXTS], context),
        "log_k": slider("log₁₀ k", log_k, float(LOG_K[0]), float(LOG_K[-1]), 0.25),
    }
    artists = build(smoothing_state(context, log_k))
    return Explorer(
        "Smoothing explorer (add-k, a character model of The Tempest)",
        controls,
        smoothing_state,
        artists.figure,
        functools.partial(draw, artists),
        describe,
        animated=artists.animated,
        figure_text=FIGURE_TEXT,
    )
