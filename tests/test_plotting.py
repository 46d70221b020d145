"""Plotting functions: each takes ax=None, draws on the given axes, returns its artists."""

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np
import pytest

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
