"""Datasets (seeded, shaped, labelled) and metrics (checked by hand and against sklearn)."""

import numpy as np
import pytest

import xentlib as xl
from xentlib import datasets, metrics

MAKERS = {
    "blobs": lambda seed: datasets.make_blobs(301, seed=seed),
    "moons": lambda seed: datasets.make_moons(301, seed=seed),
    "spirals": lambda seed: datasets.make_spirals(301, seed=seed),
    "imbalanced": lambda seed: datasets.make_imbalanced(301, ratio=(0.9, 0.1), seed=seed),
}


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_datasets_are_seeded_shaped_and_integer_labelled(name):
    X, y = MAKERS[name](0)
    X2, y2 = MAKERS[name](0)
    X3, _ = MAKERS[name](1)
    assert X.shape == (301, 2) and X.dtype == np.float64 and y.shape == (301,)
    assert np.issubdtype(y.dtype, np.integer) and y.min() == 0
    assert np.array_equal(X, X2) and np.array_equal(y, y2) and not np.array_equal(X, X3)
    assert len(set(y[:30].tolist())) > 1, "rows are shuffled: a slice holds several classes"


def test_make_imbalanced_keeps_the_ratio_and_checks_it():
    _, y = datasets.make_imbalanced(1000, ratio=(0.8, 0.15, 0.05))
    assert np.bincount(y).tolist() == [800, 150, 50]
    with pytest.raises(ValueError, match="ratio must sum to 1"):
        datasets.make_imbalanced(100, ratio=(0.9, 0.2))
    with pytest.raises(ValueError, match="no sample"):
        datasets.make_imbalanced(10, ratio=(0.99, 0.01))


def test_train_test_split_is_stratified_disjoint_and_seeded():
    X, y = datasets.make_imbalanced(1000, ratio=(0.9, 0.1))
    X_tr, X_te, y_tr, y_te = datasets.train_test_split(X, y, test_size=0.2, seed=0)
    assert len(y_te) == 200 and len(y_tr) == 800
    assert np.bincount(y_te).tolist() == [180, 20]
    rows = {tuple(r) for r in X_tr} & {tuple(r) for r in X_te}
    assert not rows, "train and test share rows"
    again = datasets.train_test_split(X, y, test_size=0.2, seed=0)
    assert np.array_equal(again[1], X_te)
    with pytest.raises(ValueError, match="same length"):
        datasets.train_test_split(X, y[:-1])


def test_accuracy_confusion_recall_by_hand():
    y_true = [0, 0, 0, 1, 1, 2]
    y_pred = [0, 0, 1, 1, 0, 2]
    assert metrics.accuracy(y_true, y_pred) == pytest.approx(4 / 6)
    assert metrics.confusion_matrix(y_true, y_pred).tolist() == [[2, 1, 0], [1, 1, 0], [0, 0, 1]]
    np.testing.assert_allclose(metrics.recall_per_class(y_true, y_pred), [2 / 3, 1 / 2, 1])
    assert metrics.balanced_accuracy(y_true, y_pred) == pytest.approx((2 / 3 + 1 / 2 + 1) / 3)
    assert metrics.balanced_accuracy([0] * 9 + [1], [0] * 10) == 0.5


def test_metrics_match_scikit_learn():
    skm = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(0)
    y_true, y_pred = rng.integers(0, 4, 200), rng.integers(0, 4, 200)
    assert np.array_equal(
        metrics.confusion_matrix(y_true, y_pred), skm.confusion_matrix(y_true, y_pred)
    )
    assert metrics.balanced_accuracy(y_true, y_pred) == pytest.approx(
        skm.balanced_accuracy_score(y_true, y_pred)
    )
    np.testing.assert_allclose(
        metrics.recall_per_class(y_true, y_pred), skm.recall_score(y_true, y_pred, average=None)
    )


def test_reliability_curve_and_ece():
    probs = np.array([[0.9, 0.1], [0.9, 0.1], [0.6, 0.4], [0.6, 0.4]])
    y = np.array([0, 1, 0, 0])
    conf, acc, counts = metrics.reliability_curve(y, probs, n_bins=10)
    assert counts.sum() == 4 and counts[9] == 2 and counts[6] == 2
    assert conf[9] == pytest.approx(0.9) and acc[9] == pytest.approx(0.5)
    assert conf[6] == pytest.approx(0.6) and acc[6] == pytest.approx(1.0)
    # ECE = 2/4 · |0.5 − 0.9| + 2/4 · |1.0 − 0.6| = 0.4
    assert metrics.expected_calibration_error(y, probs, n_bins=10) == pytest.approx(0.4)


def test_fit_temperature_recovers_the_true_temperature():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(4000, 4)) * 4
    true_t = 2.5
    probs = xl.softmax(logits / true_t)
    y = (probs.cumsum(axis=1) > rng.random((4000, 1))).argmax(axis=1)  # sample the labels
    t = metrics.fit_temperature(logits, y)
    assert t == pytest.approx(true_t, rel=0.1)
    nll = lambda s: xl.cross_entropy(y, logits=logits / s)  # noqa: E731
    assert nll(t) <= min(nll(t * 1.05), nll(t / 1.05))


def test_metrics_explain_bad_input():
    with pytest.raises(ValueError, match="same length"):
        metrics.accuracy([0, 1], [0])
    with pytest.raises(TypeError, match="integer class labels"):
        metrics.accuracy([0.5, 1], [0, 1])
    with pytest.raises(ValueError, match=r"shape \(n_samples, n_classes\)"):
        metrics.expected_calibration_error([0, 1], [0.5, 0.5])
