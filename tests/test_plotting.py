"""Plotting functions: each takes ax=None, draws on the given axes, returns its artists."""

import base64

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np
import pytest

import xentlib as xl
from tests.test_hostile_inputs import INTEGERS, LABELS, NAN, SCALARS
from xentlib import plotting

CASES = {
    "surprisal_curve": lambda ax: plotting.surprisal_curve(base=2, ax=ax),
    "entropy_curve": lambda ax: plotting.entropy_curve(ax=ax),
    "distribution_bars": lambda ax: plotting.distribution_bars(
        {"p": [0.5, 0.5], "q": [0.9, 0.1]}, labels=["a", "b"], ax=ax
    ),
    "entropy_decomposition": lambda ax: plotting.entropy_decomposition(0.7, 0.2, ax=ax),
    "probability_bars": lambda ax: plotting.probability_bars([0.2, 0.8], true_class=1, ax=ax),
    "gradient_bars": lambda ax: plotting.gradient_bars([0.2, -0.2], ax=ax),
    "likelihood_curve": lambda ax: plotting.likelihood_curve(7, 3, ax=ax),
    "temperature_sweep": lambda ax: plotting.temperature_sweep([2.0, 1.0, 0.0], ax=ax),
    "saturation_curves": lambda ax: plotting.saturation_curves(ax=ax),
    "relative_errors": lambda ax: plotting.relative_errors([1e-10, 1e-3], ax=ax),
    "reliability_diagram": lambda ax: plotting.reliability_diagram(
        [0, 1, 1, 0, 1], [[0.9, 0.1], [0.3, 0.7], [0.6, 0.4], [0.55, 0.45], [0.2, 0.8]], ax=ax
    ),
    "reliability_diagram(pos_label)": lambda ax: plotting.reliability_diagram(
        [0, 1, 1, 0, 1],
        [[0.9, 0.1], [0.3, 0.7], [0.6, 0.4], [0.55, 0.45], [0.2, 0.8]],
        pos_label=1,
        ax=ax,
    ),
}


CATEGORICAL = {"distribution_bars", "gradient_bars", "probability_bars"}


@pytest.mark.parametrize("name", sorted(CASES))
def test_draws_on_the_given_axes_with_labels(name):
    fig, ax = plt.subplots()
    artists = CASES[name](ax)
    assert artists is not None and len(ax.get_children()) > 10
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    if name in CATEGORICAL:  # bars over classes: each bar's tick names its class
        assert ticks and all(ticks), f"{name} left its bars unnamed: {ticks}"
    else:
        assert ax.get_xlabel(), f"{name} left its x axis unlabelled"
    assert ax.get_ylabel() or name == "entropy_decomposition"
    plt.close(fig)


@pytest.mark.parametrize("name", sorted(CASES))
def test_makes_its_own_axes_when_none_is_given(name):
    before = set(plt.get_fignums())
    CASES[name](None)
    new = set(plt.get_fignums()) - before
    assert len(new) == 1
    plt.close(new.pop())


def test_likelihood_curve_marks_the_observed_frequency():
    _, ax = plt.subplots()
    artists = plotting.likelihood_curve(7, 3, ax=ax)
    assert artists["mle"].get_xdata()[0] == pytest.approx(0.7)
    plt.close("all")


def test_entropy_curve_peaks_at_one_bit_for_a_fair_coin():
    _, ax = plt.subplots()
    line = plotting.entropy_curve(base=2, ax=ax)["line"]
    x, y = line.get_data()
    assert x[np.argmax(y)] == pytest.approx(0.5) and y.max() == pytest.approx(1.0)
    plt.close("all")


def test_gradient_bars_colour_by_sign_and_highlight_marks_the_true_class():
    _, ax = plt.subplots()
    bars = plotting.gradient_bars([0.3, -0.3], ax=ax)
    assert bars[0].get_facecolor() != bars[1].get_facecolor()
    probs = plotting.probability_bars([0.3, 0.7], true_class=1, ax=ax)
    assert probs[1].get_hatch() == "//" and not probs[0].get_hatch()
    plt.close("all")


def test_secondary_unit_axis_converts_nats_to_bits():
    _, ax = plt.subplots()
    ax.set_ylabel("loss (nats)")
    axis = plotting.secondary_unit_axis(ax, "bits", np.log(2))
    assert axis.get_ylabel() == "loss (bits)"
    plt.close("all")


def test_classifier_plots():
    from xentlib import SoftmaxRegression, datasets, metrics

    X, y = datasets.make_blobs(60, seed=0)
    model = SoftmaxRegression(epochs=20).fit(X[:40], y[:40], validation_data=(X[40:], y[40:]))
    fig, axes = plt.subplots(1, 3)
    drawn = plotting.decision_regions(model, X, y, resolution=50, ax=axes[0])
    assert drawn["regions"].get_array().shape == (50, 50, 3) and len(drawn["points"]) == 3
    lines = plotting.training_curves(model.history_, ax=axes[1])
    assert set(lines) == {"loss", "val_loss", "accuracy", "val_accuracy"}
    assert len(lines["loss"].get_xdata()) == 20
    cm = metrics.confusion_matrix(y, model.predict(X))
    image = plotting.confusion_heatmap(cm, ax=axes[2])
    np.testing.assert_allclose(image.get_array().sum(axis=1), 1.0)
    assert len(axes[2].texts) == 9
    plt.close(fig)


def test_reliability_diagram_draws_the_bins_of_the_metric():
    from xentlib import metrics

    rng = np.random.default_rng(0)
    p1 = rng.uniform(size=300)
    probs = np.column_stack([1 - p1, p1])
    y = (rng.random(300) < p1**2).astype(int)
    _fig, ax = plt.subplots()
    drawn = plotting.reliability_diagram(y, probs, n_bins=5, pos_label=1, ax=ax)
    conf, share, counts = metrics.reliability_curve(y, probs, n_bins=5, pos_label=1)
    heights = [bar.get_height() for bar in drawn["bars"]]
    np.testing.assert_allclose(heights, share[counts > 0])
    gaps = [bar.get_height() for bar in drawn["gaps"]]
    np.testing.assert_allclose(gaps, np.abs(conf - share)[counts > 0])
    assert ax.get_ylabel() == "share of class 1 in the bin"
    # The gaps are unfilled vermillion hatching, the same colour above and below the
    # diagonal, so the bar under a gap stays visible; the legend names the bin's mean q.
    vermillion = mcolors.to_rgba(plotting.PALETTE["vermillion"])
    for gap in drawn["gaps"]:
        assert not gap.get_fill()
        assert gap.get_hatch() == "//"
        np.testing.assert_allclose(gap.get_edgecolor(), vermillion)
    assert drawn["gaps"].get_label() == "gap to mean q"
    top_label = plotting.reliability_diagram(y, probs, n_bins=5)
    assert top_label["gaps"].get_label() == "gap to confidence"
    plt.close("all")


# ---- issue 21: every argument of every plot is checked ------------------------------------
# plotting checked none of its inputs: 71 generic errors, 60 silent results, 17 crashes. Each
# bad value must raise a TypeError or ValueError naming its argument, or (where listed as
# acceptable) draw; nothing else may escape (filterwarnings = error: no warning either).
VECTORS = {
    "None": None,
    "text": "0.5",
    "empty": [],
    "2-d": [[0.2, 0.8]],
    "nan": [NAN, 0.5],
    "inf": [np.inf, 0.5],
    "-inf": [-np.inf, 0.5],
    "negative": [-0.5, 1.5],
    "above-one": [1.5, 0.5],
    "masked": np.ma.masked_array([0.2, 0.8], mask=[1, 0]),
    "ragged": [[0.2], [0.3, 0.5]],
    "objects": [object(), 0.5],
    "complex": [1j, 0.5],
}
TEXTS = {"text": "ab", "wrong-length": ["a"], "number": 3, "None": None}
PAIRS = {
    "None": None,
    "text": "01",
    "one": (0,),
    "reversed": (1, 0),
    "nan": (NAN, 1),
    "inf": (0, np.inf),
    "three": (0, 1, 2),
}
DISTS = {
    "None": None,
    "list": [0.5, 0.5],
    "empty": {},
    "nan": {"p": [NAN, 1.0]},
    "negative": {"p": [-0.5, 1.5]},
    "different lengths": {"p": [0.5, 0.5], "q": [1.0]},
    "2-d": {"p": [[0.5, 0.5]]},
    "text": {"p": "0.5"},
    "masked": {"p": np.ma.masked_array([0.5, 0.5], mask=[1, 0])},
}
HISTORIES = {
    "None": None,
    "list": [1.0, 0.5],
    "no loss": {"accuracy": [0.5]},
    "text loss": {"loss": "abc"},
    "2-d loss": {"loss": [[1.0, 0.5]]},
    "short val_loss": {"loss": [1.0, 0.5], "val_loss": [1.0]},
    "diverged": {"loss": [1.0, np.inf, NAN]},
}
MATRICES = {
    "None": None,
    "1-d": [1, 2],
    "not square": [[1, 2, 3], [4, 5, 6]],
    "negative": [[1, -2], [3, 4]],
    "fraction": [[1, 2.5], [3, 4]],
    "nan": [[1, NAN], [3, 4]],
    "text": "1 2; 3 4",
}
MODELS = {
    "None": None,
    "text": "model",
    "unfitted": xl.SoftmaxRegression(),
    "wrong probabilities": type(
        "Broken", (), {"classes_": np.arange(3), "predict_proba": lambda self, X: np.ones(3)}
    )(),
}
COLOURS = {"not a colour": "no-such-colour", "number": 3, "None": None}
POINTS = {
    "None": None,
    "1-d": [0.0, 1.0],
    "3 columns": np.zeros((6, 3)),
    "nan": np.full((6, 2), NAN),
    "text": "X",
}
BARS = {"None": None, "text": "bars", "numbers": [1, 2]}


def _fitted():
    X, y = xl.datasets.make_blobs(30, seed=0)
    return xl.SoftmaxRegression(epochs=5).fit(X, y), X, y


MODEL, X_BLOBS, Y_BLOBS = _fitted()
R = [[0.9, 0.1], [0.3, 0.7], [0.6, 0.4], [0.55, 0.45], [0.2, 0.8]]
OK_BASE = {"None", "huge"}

# name: (function, good arguments, {argument: (catalogue, acceptable)})
PLOTS = {
    "surprisal_curve": (
        plotting.surprisal_curve,
        {},
        {
            "base": (SCALARS, OK_BASE),
            "p_min": (SCALARS, set()),
            "wrong_below": (SCALARS, {"None", "zero"}),
        },
    ),
    "entropy_curve": (plotting.entropy_curve, {}, {"base": (SCALARS, OK_BASE)}),
    "distribution_bars": (
        plotting.distribution_bars,
        {"dists": {"p": [0.5, 0.5], "q": [0.9, 0.1]}, "labels": ["a", "b"]},
        {"dists": (DISTS, set()), "labels": (TEXTS, {"None"}), "ylim": (PAIRS, set())},
    ),
    "entropy_decomposition": (
        plotting.entropy_decomposition,
        {"h_p": 0.7, "kl": 0.2},
        {
            "h_p": (SCALARS, {"zero", "huge"}),
            "kl": (SCALARS, {"zero", "huge", "inf"}),
            "base": (SCALARS, OK_BASE),
            "xmax": (SCALARS, {"None", "huge"}),
        },
    ),
    "probability_bars": (
        plotting.probability_bars,
        {"probs": [0.2, 0.8], "true_class": 1},
        {
            "probs": (VECTORS, set()),
            "true_class": (INTEGERS, {"None", "zero-int"}),
            "labels": (TEXTS, {"None"}),
        },
    ),
    "gradient_bars": (
        plotting.gradient_bars,
        {"grad": [0.2, -0.2]},
        {
            "grad": (VECTORS, {"negative", "above-one"}),
            "labels": (TEXTS, {"None"}),
            "ylim": (PAIRS, set()),
        },
    ),
    "likelihood_curve": (
        plotting.likelihood_curve,
        {"heads": 7, "tails": 3},
        {"heads": (INTEGERS, {"zero-int"}), "tails": (INTEGERS, {"zero-int"})},
    ),
    "temperature_sweep": (
        plotting.temperature_sweep,
        {"logits": [2.0, 1.0, 0.0]},
        {
            "logits": (VECTORS, {"negative", "above-one", "-inf"}),
            "temperatures": (VECTORS, {"None", "above-one"}),
        },
    ),
    "saturation_curves": (plotting.saturation_curves, {}, {}),
    "relative_errors": (
        plotting.relative_errors,
        {"errors": [1e-10, 1e-3]},
        {"errors": (VECTORS, {"above-one"}), "labels": (TEXTS, {"None"})},
    ),
    "scatter_classes": (
        plotting.scatter_classes,
        {"X": X_BLOBS, "y": Y_BLOBS},
        {"X": (POINTS, set()), "y": (LABELS, set()), "s": (SCALARS, {"huge"})},
    ),
    "decision_regions": (
        plotting.decision_regions,
        {"model": MODEL, "X": X_BLOBS, "y": Y_BLOBS, "resolution": 20},
        {
            "model": (MODELS, set()),
            "X": (POINTS, set()),
            "y": (LABELS, set()),
            "resolution": (INTEGERS, set()),
        },
    ),
    "training_curves": (
        plotting.training_curves,
        {"history": {"loss": [1.0, 0.5], "accuracy": [0.5, 0.7]}},
        {"history": (HISTORIES, {"diverged"})},
    ),
    "confusion_heatmap": (
        plotting.confusion_heatmap,
        {"cm": [[3, 1], [0, 4]]},
        {"cm": (MATRICES, set()), "labels": (TEXTS, {"None"})},
    ),
    "reliability_diagram": (
        plotting.reliability_diagram,
        {"y_true": [0, 1, 1, 0, 1], "probs": R},
        {
            "y_true": (LABELS, {"float-int"}),
            "n_bins": (INTEGERS, set()),
            "pos_label": (INTEGERS, {"None", "zero-int"}),
            "color": (COLOURS, {"None"}),
            "label": (SCALARS, {"None", "text"}),
        },
    ),
    "highlight_class": (
        lambda ax, **kw: plotting.highlight_class(**kw),
        {"bars": "BARS", "true_class": 1},
        {"bars": (BARS, set()), "true_class": (INTEGERS, {"None", "zero-int"})},
    ),
    "colour_by_sign": (
        lambda ax, **kw: plotting.colour_by_sign(**kw),
        {"bars": "BARS", "values": [0.3, -0.3]},
        {"bars": (BARS, set()), "values": (VECTORS, {"negative", "above-one"})},
    ),
    "secondary_unit_axis": (
        lambda ax, **kw: plotting.secondary_unit_axis(ax, **kw),
        {"unit": "bits", "per_unit": np.log(2)},
        {"unit": (SCALARS, {"text"}), "per_unit": (SCALARS, {"huge"})},
    ),
    "region_colours": (
        lambda ax, **kw: plotting.region_colours(**kw),
        {"probs": R},
        {"probs": (VECTORS | {"not rows": [[0.3, 0.3]], "one class": [[1.0]]}, {"2-d"})},
    ),
}

PLOT_PARAMS = [
    pytest.param(name, arg, bad, id=f"{name}-{arg}={bad}")
    for name, (_, _, slots) in PLOTS.items()
    for arg, (catalogue, _) in slots.items()
    for bad in catalogue
]


def _with_axes(name, kwargs):
    fig, ax = plt.subplots()
    if kwargs.get("bars") == "BARS":  # bars drawn on these axes
        kwargs = {**kwargs, "bars": ax.bar([0, 1], [0.3, 0.7])}
    return fig, ax, kwargs


@pytest.mark.parametrize(("name", "arg", "bad"), PLOT_PARAMS)
def test_a_bad_argument_is_named_before_anything_is_drawn(name, arg, bad):
    fn, good, slots = PLOTS[name]
    catalogue, acceptable = slots[arg]
    fig, ax, kwargs = _with_axes(name, {**good, arg: catalogue[bad]})
    try:
        fn(ax=ax, **kwargs)
    except (TypeError, ValueError) as exc:
        assert type(exc) in (TypeError, ValueError), repr(exc)
        assert arg in str(exc), f"{name}({arg}={bad}) did not name {arg!r}: {exc}"
    else:
        assert bad in acceptable, f"{name}({arg}={bad}) was drawn without a word"
    finally:
        plt.close(fig)


@pytest.mark.parametrize("name", sorted(PLOTS))
@pytest.mark.parametrize("bad_ax", ["text", 3, "figure"])
def test_ax_must_be_axes(name, bad_ax):
    fn, good, _ = PLOTS[name]
    if name in ("highlight_class", "colour_by_sign", "region_colours"):
        return  # they take no ax
    fig, _, kwargs = _with_axes(name, dict(good))
    try:
        with pytest.raises(TypeError, match=r"ax must be matplotlib axes"):
            fn(ax=fig if bad_ax == "figure" else bad_ax, **kwargs)
    finally:
        plt.close(fig)


def test_every_plot_is_walked():
    public = {
        n
        for n in dir(plotting)
        if not n.startswith("_")
        and callable(getattr(plotting, n))
        and getattr(getattr(plotting, n), "__module__", "") == plotting.__name__
    }
    # Not plots (they draw nothing): the style, and showing a figure with its alt text
    # (tested below).
    assert public - set(PLOTS) == {"use_style", "show", "figure_image", "FigureImage"}


# ---- show: a figure with its text alternative ------------------------------------------
def test_show_gives_every_reader_the_alt_text():
    from xentlib.plotting import figure_image

    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([0, 1], [1, 0])
    image = figure_image(fig, alt="A line falling from 1 to 0", caption="Figure 1: a line.")
    data, metadata = image._repr_mimebundle_()
    assert 'alt="A line falling from 1 to 0"' in data["text/html"]
    assert "<figcaption>Figure 1: a line.</figcaption>" in data["text/html"]
    assert metadata["image/png"]["alt"] == "A line falling from 1 to 0"
    assert data["text/plain"].startswith("A line falling from 1 to 0")
    assert base64.b64decode(data["image/png"])[:8] == b"\x89PNG\r\n\x1a\n"
    assert data["image/png"] in data["text/html"], "the <img> shows the same picture"
    plt.close(fig)


def test_show_escapes_the_alt_text():
    from xentlib.plotting import figure_image

    fig = plt.figure(figsize=(1, 1))
    image = figure_image(fig, alt='q < 0.1 is "confidently wrong" here')
    assert 'alt="q &lt; 0.1 is &quot;confidently wrong&quot; here"' in image.html()
    plt.close(fig)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"alt": None}, TypeError, r"alt must be text"),
        ({"alt": "a plot"}, ValueError, r"alt must be text of at least 5 words"),
        ({"alt": "A line falling from 1 to 0", "caption": 3}, TypeError, r"caption must be text"),
    ],
    ids=["alt-none", "alt-two-words", "caption-number"],
)
def test_show_refuses_a_figure_without_a_real_alternative(kwargs, error, match):
    from xentlib.plotting import show

    fig = plt.figure(figsize=(1, 1))
    with pytest.raises(error, match=match):
        show(fig, **kwargs)
    plt.close(fig)


def test_show_refuses_what_is_not_a_figure():
    from xentlib.plotting import show

    with pytest.raises(TypeError, match=r"fig must be a matplotlib Figure"):
        show("figure.png", alt="A line falling from 1 to 0")


# ---- the palette: contrast and colour-vision deficiencies --------------------------------
def _luminance(rgb):
    c = np.asarray(rgb, dtype=float)
    c = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return float(c @ [0.2126, 0.7152, 0.0722])


@pytest.mark.parametrize("name", list(plotting.PALETTE))
def test_every_palette_colour_is_3_to_1_against_white(name):
    """WCAG 1.4.11: a line or bar in any palette colour stands out from the white plot."""
    contrast = 1.05 / (_luminance(mcolors.to_rgb(plotting.PALETTE[name])) + 0.05)
    assert contrast >= 3.0, f"{name} is {contrast:.2f}:1 against white"


# Machado, Oliveira & Fernandes (2009), severity 1.0, applied to linear RGB.
CVD = {
    "protanopia": [
        [0.152286, 1.052583, -0.204868],
        [0.114503, 0.786281, 0.099216],
        [-0.003882, -0.048116, 1.051998],
    ],
    "deuteranopia": [
        [0.367322, 0.860646, -0.227968],
        [0.280085, 0.672501, 0.047413],
        [-0.011820, 0.042940, 0.968881],
    ],
    "tritanopia": [
        [1.255528, -0.076749, -0.178779],
        [-0.078411, 0.930809, 0.147602],
        [0.004733, 0.691367, 0.303900],
    ],
}


def _oklab(linear_rgb):
    m1 = np.array(
        [
            [0.4122214708, 0.5363325363, 0.0514459929],
            [0.2119034982, 0.6806995451, 0.1073969566],
            [0.0883024619, 0.2817188376, 0.6299787005],
        ]
    )
    m2 = np.array(
        [
            [0.2104542553, 0.7936177850, -0.0040720468],
            [1.9779984951, -2.4285922050, 0.4505937099],
            [0.0259040371, 0.7827717662, -0.8086757660],
        ]
    )
    return m2 @ np.cbrt(m1 @ linear_rgb)


def _linear(rgb):
    c = np.asarray(rgb, dtype=float)
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


@pytest.mark.parametrize("vision", ["typical", *CVD])
def test_palette_colours_stay_apart_under_colour_vision_deficiencies(vision):
    """Every two line colours differ by at least 0.045 in OKLab (about twice a just
    noticeable difference) under each simulated deficiency. The closest pair is blue and
    green under tritanopia, 0.048; the original Okabe-Ito palette's is 0.076, but four of
    its colours were below 3:1. Yellow is for shaded bands only (too close to orange for
    deuteranopes), and every series also differs by line style, marker or hatch."""
    names = [n for n in plotting.PALETTE if n != "yellow"]
    matrix = np.eye(3) if vision == "typical" else np.array(CVD[vision])
    seen = {
        n: _oklab(np.clip(matrix @ _linear(mcolors.to_rgb(plotting.PALETTE[n])), 0, 1))
        for n in names
    }
    pairs = [(a, b) for i, a in enumerate(names) for b in names[i + 1 :]]
    closest = min(pairs, key=lambda p: np.linalg.norm(seen[p[0]] - seen[p[1]]))
    distance = np.linalg.norm(seen[closest[0]] - seen[closest[1]])
    assert distance >= 0.045, f"{closest} are {distance:.3f} apart under {vision}"
