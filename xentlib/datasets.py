"""Small datasets: classification data made here (seeded and reproducible), and real data
shipped with the package (never downloaded): :func:`load_digits` and a text,
:func:`load_tempest`.

Every function returns ``(X, y)``: ``X`` of shape (n_samples, 2), float64; ``y`` of shape
(n_samples,), integer labels 0 … n_classes − 1. The exceptions are :func:`make_multilabel`,
whose ``Y`` has one 0/1 column per label, shape (n_samples, n_labels),
:func:`make_glyphs` and :func:`load_digits`, whose ``X`` holds 8 × 8 images, one row of 64
pixels each, and :func:`load_tempest`, which returns the text as a string.

>>> X, y = make_spirals(300, seed=0)
>>> X.shape, sorted(set(y.tolist()))
((300, 2), [0, 1, 2])
"""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np

from ._validation import as_array, as_float_array, check_labels, check_number, check_X


def _split_counts(n_samples: int, fractions) -> np.ndarray:
    """Per-class sample counts that add up to ``n_samples`` exactly."""
    fractions = np.asarray(fractions, dtype=float)
    counts = np.floor(fractions * n_samples).astype(int)
    counts[: n_samples - counts.sum()] += 1  # hand out the remainder, first classes first
    return counts


def _labels(counts) -> np.ndarray:
    return np.repeat(np.arange(len(counts)), counts)


def _shuffled(X, y, rng):
    """Rows in random order, so that any slice of the data holds every class."""
    order = rng.permutation(len(y))
    return X[order], y[order]


MAX_SAMPLES = 10**7  # 160 MB of float64 features: far beyond any lesson, short of a MemoryError


def _count(value, name, example, low=1, high=MAX_SAMPLES):
    fix = "These data sets are made for lessons: a few hundred to a few thousand rows."
    return check_number(value, name, example=example, low=low, high=high, integer=True, fix=fix)


def _classes(n_classes):
    return check_number(n_classes, "n_classes", example=3, low=2, integer=True)


def _scale(value, name, example):
    # Bounded so that the features stay finite: 1e300 times a normal draw is far from
    # float64's 1.8e308; a larger scale would return features of ±inf.
    fix = "It is a standard deviation in the units of the features: 0.1 to a few."
    return check_number(value, name, example=example, low=0, high=1e300, fix=fix)


def _rng(seed):
    return np.random.default_rng(check_number(seed, "seed", example=0, low=0, integer=True))


def make_blobs(n_samples=300, *, n_classes=3, spread=1.0, seed=0):
    """Gaussian blobs with centres evenly spaced on a circle of radius 3.

    ``spread`` is the standard deviation of each blob; around 1.5 they start to overlap.
    """
    n_samples, n_classes = _count(n_samples, "n_samples", 300), _classes(n_classes)
    spread = _scale(spread, "spread", 1.0)
    rng = _rng(seed)
    y = _labels(_split_counts(n_samples, np.full(n_classes, 1 / n_classes)))
    angles = 2 * np.pi * np.arange(n_classes) / n_classes
    centres = 3.0 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    X = centres[y] + spread * rng.normal(size=(n_samples, 2))
    return _shuffled(X, y, rng)


def make_moons(n_samples=300, *, noise=0.15, seed=0):
    """Two interleaving half circles (two classes), as in scikit-learn."""
    n_samples, noise = _count(n_samples, "n_samples", 300, low=2), _scale(noise, "noise", 0.2)
    rng = _rng(seed)
    y = _labels(_split_counts(n_samples, [0.5, 0.5]))
    t = np.pi * rng.random(n_samples)
    upper = np.stack([np.cos(t), np.sin(t)], axis=1)
    lower = np.stack([1 - np.cos(t), 0.5 - np.sin(t)], axis=1)
    X = np.where(y[:, None] == 0, upper, lower) + noise * rng.normal(size=(n_samples, 2))
    return _shuffled(X, y, rng)


def make_spirals(n_samples=300, *, n_classes=3, noise=0.2, seed=0):
    """Interleaved spiral arms, one per class (CS231n's spiral data): not linearly separable."""
    n_samples, n_classes = _count(n_samples, "n_samples", 300), _classes(n_classes)
    noise = _scale(noise, "noise", 0.2)
    rng = _rng(seed)
    counts = _split_counts(n_samples, np.full(n_classes, 1 / n_classes))
    X, y = [], []
    for c, n in enumerate(counts):
        r = np.linspace(0.0, 1.0, n)
        t = np.linspace(c * 4.0, (c + 1) * 4.0, n) + noise * rng.normal(size=n)
        X.append(np.stack([r * np.sin(t), r * np.cos(t)], axis=1))
        y.append(np.full(n, c))
    return _shuffled(np.concatenate(X), np.concatenate(y), rng)


def make_imbalanced(n_samples=1000, *, ratio=(0.95, 0.05), spread=1.5, seed=0):
    """Overlapping blobs with a chosen class ratio, e.g. ``ratio=(0.9, 0.1)`` (sums to 1)."""
    n_samples = _count(n_samples, "n_samples", 1000)
    spread = _scale(spread, "spread", 1.5)
    fractions = as_float_array(ratio, "ratio").astype(np.float64)
    if (
        fractions.ndim != 1
        or fractions.size < 2
        or not np.all(fractions > 0)
        or not np.all(np.isfinite(fractions))
    ):
        raise ValueError(
            f"ratio must list a positive share per class, like (0.9, 0.1); got {ratio!r}."
        )
    if not np.isclose(fractions.sum(), 1.0):
        raise ValueError(
            f"ratio must sum to 1, got {ratio!r} (sum {fractions.sum():.4g}); "
            "divide by its sum to normalise it."
        )
    counts = _split_counts(n_samples, fractions)
    if np.any(counts == 0):
        raise ValueError(
            f"ratio {ratio!r} leaves a class with no sample out of {n_samples}: "
            "ask for more samples."
        )
    rng = _rng(seed)
    y = _labels(counts)
    angles = 2 * np.pi * np.arange(fractions.size) / fractions.size
    centres = 1.5 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    X = centres[y] + spread * 0.6 * rng.normal(size=(n_samples, 2))
    return _shuffled(X, y, rng)


def make_multilabel(n_samples=300, *, n_labels=3, noise=0.2, seed=0):
    r"""A multi-label data set: every point may carry any subset of ``n_labels`` labels.

    The points are standard normal in 2-D. Label :math:`k` is on where the point lies on
    the positive side of a line through the origin whose normal points at the angle
    :math:`\theta_k = \pi k / K` (K = ``n_labels``), after adding Gaussian noise of
    standard deviation ``noise`` to the score:

    .. math:: Y_{ik} = \big[\, x_i \cdot (\cos\theta_k, \sin\theta_k) + \varepsilon_{ik} > 0 \,\big],
              \qquad \varepsilon_{ik} \sim \mathcal N(0, \mathrm{noise}^2)

    Each label is on for about half of the points, independently of how many others are:
    with two labels, a quarter of the points have both, a quarter neither. One logistic
    regression per label (a sigmoid output each) can fit every label; a softmax over the
    labels cannot say "both" or "neither".

    Parameters
    ----------
    n_samples : int, default 300
    n_labels : int, default 3
        Number of labels (columns of ``Y``), at least 1.
    noise : float, default 0.2
        Standard deviation of the noise added to each label's score; 0 makes every label
        exactly linearly separable.
    seed : int, default 0

    Returns
    -------
    X : ndarray of shape (n_samples, 2), float64
    Y : ndarray of shape (n_samples, n_labels), int64 of 0 and 1
        ``Y[i, k] == 1`` when point ``i`` has label ``k``.

    Examples
    --------
    >>> X, Y = make_multilabel(200, n_labels=2, seed=0)
    >>> X.shape, Y.shape, sorted(set(Y.ravel().tolist()))
    ((200, 2), (200, 2), [0, 1])
    >>> int(Y.all(axis=1).sum()) > 0  # some points carry both labels
    True
    """
    n_samples = _count(n_samples, "n_samples", 300)
    n_labels = _count(n_labels, "n_labels", 3, high=1000)
    noise = _scale(noise, "noise", 0.2)
    rng = _rng(seed)
    X = rng.normal(size=(n_samples, 2))
    angles = np.pi * np.arange(n_labels) / n_labels
    normals = np.stack([np.cos(angles), np.sin(angles)])  # (2, n_labels)
    scores = X @ normals + noise * rng.normal(size=(n_samples, n_labels))
    return X, (scores > 0).astype(np.int64)


# 6 × 6 letters, drawn in the middle of an 8 × 8 canvas so that a shift by one pixel in any
# direction keeps every stroke inside it. Similar pairs (O/C, E/F, T/L) make the mistakes
# worth analysing.
_GLYPHS = {
    "O": (".####.", "#....#", "#....#", "#....#", "#....#", ".####."),
    "C": (".#####", "#.....", "#.....", "#.....", "#.....", ".#####"),
    "E": ("######", "#.....", "#####.", "#.....", "#.....", "######"),
    "F": ("######", "#.....", "#####.", "#.....", "#.....", "#....."),
    "T": ("######", "..##..", "..##..", "..##..", "..##..", "..##.."),
    "L": ("#.....", "#.....", "#.....", "#.....", "#.....", "######"),
    "H": ("#....#", "#....#", "######", "#....#", "#....#", "#....#"),
    "X": ("#....#", ".#..#.", "..##..", "..##..", ".#..#.", "#....#"),
}
GLYPH_LETTERS = "".join(_GLYPHS)
"""The letters of :func:`make_glyphs`, in label order: label ``k`` is ``GLYPH_LETTERS[k]``."""


def _glyph_images() -> np.ndarray:
    """The clean letters as 8 × 8 images of 0 (paper) and 1 (ink), shape (8, 8, 8)."""
    images = np.zeros((len(_GLYPHS), 8, 8))
    for k, rows in enumerate(_GLYPHS.values()):
        images[k, 1:7, 1:7] = [[ch == "#" for ch in row] for row in rows]
    return images


def make_glyphs(n_samples=600, *, n_classes=4, noise=0.3, max_shift=1, seed=0):
    r"""Noisy 8 × 8 images of letters: a small image-classification problem made in code.

    Each sample is one of the first ``n_classes`` letters of :data:`GLYPH_LETTERS`
    ("OCEFTLHX": O, C, E, F, T, L, H, X), drawn as a 6 × 6 bitmap in the middle of an 8 × 8
    canvas, moved by a random whole-pixel shift of at most ``max_shift`` rows and columns,
    inked at a random strength between 0.6 and 1, and covered with Gaussian pixel noise:

    .. math:: x = s \cdot \mathrm{shift}(G_y) + \varepsilon, \qquad
              s \sim \mathcal U(0.6, 1), \quad \varepsilon \sim \mathcal N(0, \mathrm{noise}^2)

    The shifts make the problem hard for a linear model on raw pixels (a letter moved by
    one pixel lights up different inputs) and easier for a network with a hidden layer; O
    and C, E and F, T and L differ by a few strokes, so they are the usual confusions.
    Classes are balanced (counts differ by at most one) and rows are shuffled.

    Parameters
    ----------
    n_samples : int, default 600
    n_classes : int, default 4
        How many letters, 2 to 8: the first ``n_classes`` of ``GLYPH_LETTERS``.
    noise : float, default 0.3
        Standard deviation of the pixel noise (ink is at most 1, paper 0).
    max_shift : int, default 1
        Largest shift in pixels, 0 or 1, independently along rows and columns.
    seed : int, default 0

    Returns
    -------
    X : ndarray of shape (n_samples, 64), float64
        One image per row, row by row: ``X[i].reshape(8, 8)`` is the picture.
    y : ndarray of shape (n_samples,), int64
        Labels 0 … n_classes − 1; the letter is ``GLYPH_LETTERS[y[i]]``.

    Examples
    --------
    >>> X, y = make_glyphs(200, n_classes=3, seed=0)
    >>> X.shape, np.bincount(y).tolist()
    ((200, 64), [67, 67, 66])
    >>> X_clean, y_clean = make_glyphs(3, n_classes=3, noise=0, max_shift=0, seed=0)
    >>> print(*("".join("#" if v > 0.5 else "-" for v in row) for row in X_clean[y_clean == 2][0].reshape(8, 8)), sep="\n")
    --------
    -######-
    -#------
    -#####--
    -#------
    -#------
    -######-
    --------
    """
    n_samples = _count(n_samples, "n_samples", 600)
    n_classes = check_number(
        n_classes, "n_classes", example=4, low=2, high=len(GLYPH_LETTERS), integer=True
    )
    noise = _scale(noise, "noise", 0.3)
    max_shift = check_number(max_shift, "max_shift", example=1, low=0, high=1, integer=True)
    rng = _rng(seed)
    y = _labels(_split_counts(n_samples, np.full(n_classes, 1 / n_classes)))
    images = _glyph_images()[y]
    shifts = rng.integers(-max_shift, max_shift + 1, size=(n_samples, 2))
    for i, (down, right) in enumerate(shifts):  # the ink never reaches the edge: no wrap
        images[i] = np.roll(images[i], (down, right), axis=(0, 1))
    ink = rng.uniform(0.6, 1.0, size=(n_samples, 1, 1))
    X = (ink * images + noise * rng.normal(size=images.shape)).reshape(n_samples, 64)
    return _shuffled(X, y, rng)


DIGITS_FILE = Path(__file__).parent / "data" / "digits.csv.gz"
"""The handwritten digits, as shipped (source and licence: ``xentlib/data/README.md``)."""


def load_digits():
    r"""Real handwritten digits: 1,797 images of 8 × 8 pixels, labels 0 … 9.

    The test set of the UCI data set *Optical Recognition of Handwritten Digits* (E. Alpaydin
    and C. Kaynak, 1998; CC BY 4.0), shipped with xentlib (``xentlib/data/README.md`` gives
    its source and licence). Each 32 × 32 bitmap of a digit written on a form was cut into
    an 8 × 8 grid of blocks of 4 × 4 pixels and each block's inked pixels counted, 0 … 16;
    this function divides the counts by 16, so a pixel is the share of its block that is
    ink:

    .. math:: x_{ij} = \frac{\text{inked pixels in block } (i, j)}{16} \in [0, 1]

    The rows are in the file's order (not shuffled); the ten classes hold 174 to 183 images.

    Returns
    -------
    X : ndarray of shape (1797, 64), float64
        One image per row, row by row: ``X[i].reshape(8, 8)`` is the picture.
    y : ndarray of shape (1797,), int64
        The digit written, 0 … 9.

    Examples
    --------
    >>> X, y = load_digits()
    >>> X.shape, np.bincount(y).tolist()
    ((1797, 64), [178, 182, 177, 183, 181, 182, 181, 179, 174, 180])
    >>> print(*("".join("#" if v > 0.5 else "-" for v in row) for row in X[0].reshape(8, 8)), sep="\n")
    ---##---
    --####--
    --#--#--
    --#-----
    -----#--
    --#--#--
    --#-##--
    ---##---
    """
    with gzip.open(DIGITS_FILE, "rt", encoding="ascii") as file:
        table = np.loadtxt(file, delimiter=",", dtype=np.int64)
    return table[:, :64] / 16.0, table[:, 64]


TEMPEST_FILE = Path(__file__).parent / "data" / "tempest.txt"
"""Shakespeare's *The Tempest*, as shipped (source and licence: ``xentlib/data/README.md``)."""


def load_tempest() -> str:
    """A real text: William Shakespeare's play *The Tempest* (about 1611; public domain), all
    of it, as one string of 98,439 characters (70 different ones: letters, digits,
    punctuation, space and newline).

    The text of Project Gutenberg's edition, as the Open Knowledge Foundation's *Open
    Shakespeare* package ships it (``xentlib/data/README.md`` gives the source, the licence
    and the credit line), unchanged: its spelling is the edition's ("confin'd"), and so are
    its few slips (a "{" for a "[" in one stage direction).

    Examples
    --------
    >>> text = load_tempest()
    >>> len(text), len(set(text))
    (98439, 70)
    >>> print(text[:36])
    THE TEMPEST
    <BLANKLINE>
    by William Shakespeare
    """
    return TEMPEST_FILE.read_text(encoding="ascii")


def train_test_split(X, y, *, test_size=0.25, seed=0, stratify=True):
    """Split ``(X, y)`` into ``X_train, X_test, y_train, y_test`` (shuffled, seeded).

    With ``stratify=True`` (the default) each class keeps its share in both parts, which
    matters for imbalanced data.
    """
    X = check_X(X)
    check_labels(y, X.shape[0], name="y")  # whole numbers, one per row: no NaN, no text
    y = as_array(y, "y")  # returned as given (its dtype kept)
    if not isinstance(stratify, (bool, np.bool_)):
        raise TypeError(
            f"stratify must be True or False, got {stratify!r}; True keeps each class's share "
            "in both parts."
        )
    test_size = check_number(
        test_size, "test_size", example=0.25, low=0, high=1, low_open=True, high_open=True
    )
    rng = _rng(seed)
    groups = [np.flatnonzero(y == c) for c in np.unique(y)] if stratify else [np.arange(len(y))]
    test = []
    for idx in groups:
        idx = rng.permutation(idx)
        test.append(idx[: round(test_size * len(idx))])
    test = np.sort(np.concatenate(test))
    train = np.setdiff1d(np.arange(len(y)), test)
    if len(test) == 0 or len(train) == 0:
        part = "testing" if len(test) == 0 else "training"
        how = (
            " (with stratify=True each class is split on its own: round(test_size × its "
            "count) of its rows are for testing)"
            if stratify
            else ""
        )
        raise ValueError(
            f"test_size={test_size:g} leaves no rows for {part} out of {len(y)}{how}; each "
            f"part needs at least one row: choose a test_size nearer 0.5, or use more rows."
        )
    train, test = rng.permutation(train), rng.permutation(test)
    return X[train], X[test], y[train], y[test]
