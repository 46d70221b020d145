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


def test_precision_per_class_by_hand_and_against_scikit_learn():
    y_true = [0, 0, 0, 1, 1, 2]
    y_pred = [0, 0, 1, 1, 0, 0]
    # predicted 0: four times, two right; predicted 1: twice, once right; 2: never.
    np.testing.assert_allclose(metrics.precision_per_class(y_true, y_pred), [0.5, 0.5, np.nan])
    skm = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(1)
    for n_classes in (2, 4):
        y_true, y_pred = rng.integers(0, n_classes, 300), rng.integers(0, n_classes, 300)
        y_pred[y_pred == n_classes - 1] = 0  # one class never predicted: NaN in both
        np.testing.assert_allclose(
            metrics.precision_per_class(y_true, y_pred, n_classes=n_classes),
            skm.precision_score(
                y_true, y_pred, average=None, labels=range(n_classes), zero_division=np.nan
            ),
        )


def test_precision_recall_curve_by_hand_and_against_scikit_learn():
    precision, recall, thresholds = metrics.precision_recall_curve(
        [0, 1, 1, 0, 1], [0.2, 0.9, 0.5, 0.5, 0.1]
    )
    assert thresholds.tolist() == [0.1, 0.2, 0.5, 0.9]
    np.testing.assert_allclose(recall, [1, 2 / 3, 2 / 3, 1 / 3, 0])
    np.testing.assert_allclose(precision, [3 / 5, 2 / 4, 2 / 3, 1, 1])  # ties enter together
    skm = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(2)
    for _ in range(30):
        n = int(rng.integers(2, 80))
        y = rng.integers(0, 2, n)
        y[0] = 1
        scores = np.round(rng.uniform(size=n), int(rng.integers(1, 4)))  # with ties
        for ours, theirs in zip(
            metrics.precision_recall_curve(y, scores),
            skm.precision_recall_curve(y, scores),
            strict=True,
        ):
            np.testing.assert_allclose(ours, theirs)


def test_precision_recall_curve_explains_bad_input():
    with pytest.raises(ValueError, match="no positive example"):
        metrics.precision_recall_curve([0, 0], [0.3, 0.4])
    with pytest.raises(ValueError, match=r"0/1 labels .* contains 2"):
        metrics.precision_recall_curve([0, 2], [0.3, 0.4])
    with pytest.raises(ValueError, match="one score per label"):
        metrics.precision_recall_curve([0, 1], [0.3, 0.4, 0.5])
    with pytest.raises(ValueError, match="scores"):
        metrics.precision_recall_curve([0, 1], [0.3, np.nan])


def test_reliability_of_one_class_matches_scikit_learns_calibration_curve():
    calibration = pytest.importorskip("sklearn.calibration")
    rng = np.random.default_rng(3)
    p1 = rng.uniform(0.001, 0.999, size=500)
    p1 = p1[np.abs(p1 * 10 - np.round(p1 * 10)) > 1e-9]  # none exactly on a bin edge
    y = (rng.random(p1.size) < p1**2).astype(int)  # miscalibrated on purpose
    probs = np.column_stack([1 - p1, p1])
    conf, freq, counts = metrics.reliability_curve(y, probs, n_bins=10, pos_label=1)
    prob_true, prob_pred = calibration.calibration_curve(y, p1, n_bins=10)
    filled = counts > 0
    np.testing.assert_allclose(freq[filled], prob_true)
    np.testing.assert_allclose(conf[filled], prob_pred)
    expected = np.sum(counts[filled] * np.abs(prob_true - prob_pred)) / p1.size
    assert metrics.expected_calibration_error(y, probs, n_bins=10, pos_label=1) == pytest.approx(
        expected
    )


def test_top_label_ece_can_miss_an_overstated_rare_class():
    # Two predictions at confidence 0.7: "common" (right 100 %) and "rare" (right 40 %):
    # in one top-label bin they average to 0.7 = the confidence. Class 1's own ECE sees it.
    probs = np.array([[0.7, 0.3]] * 5 + [[0.3, 0.7]] * 5)
    y = np.array([0] * 5 + [1, 1, 0, 0, 0])
    assert metrics.expected_calibration_error(y, probs, n_bins=10) == pytest.approx(0.0)
    # class 1: P = 0.3 for five examples of which none is class 1; P = 0.7 for five, two are.
    assert metrics.expected_calibration_error(y, probs, n_bins=10, pos_label=1) == pytest.approx(
        0.5 * 0.3 + 0.5 * 0.3
    )
    with pytest.raises(ValueError, match="pos_label must be an integer between 0 and 1"):
        metrics.expected_calibration_error(y, probs, pos_label=2)


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
    with pytest.raises(ValueError, match="whole-number class labels"):
        metrics.accuracy([0.5, 1], [0, 1])
    with pytest.raises(ValueError, match=r"shape \(n_samples, n_classes\)"):
        metrics.expected_calibration_error([0, 1], [0.5, 0.5])


# ---- multi-label data and Keras's binary accuracy (lesson 09) ---------------------------
def test_make_multilabel_is_seeded_shaped_and_0_1():
    X, Y = datasets.make_multilabel(400, n_labels=3, seed=0)
    X2, Y2 = datasets.make_multilabel(400, n_labels=3, seed=0)
    _, Y3 = datasets.make_multilabel(400, n_labels=3, seed=1)
    assert X.shape == (400, 2) and X.dtype == np.float64
    assert Y.shape == (400, 3) and Y.dtype == np.int64 and set(np.unique(Y)) == {0, 1}
    assert np.array_equal(X, X2) and np.array_equal(Y, Y2) and not np.array_equal(Y, Y3)
    assert np.all(np.abs(Y.mean(axis=0) - 0.5) < 0.1), "each label is on for about half"
    counts = np.bincount(Y.sum(axis=1), minlength=4)
    assert counts[0] > 0 and counts[2] > 0, "some points have no label, some several"


def test_make_multilabel_without_noise_is_a_half_plane_per_label():
    X, Y = datasets.make_multilabel(500, n_labels=2, noise=0.0, seed=3)
    np.testing.assert_array_equal(Y[:, 0], X[:, 0] > 0)  # normal at angle 0
    np.testing.assert_array_equal(Y[:, 1], X[:, 1] > 0)  # normal at angle π/2
    # so a quarter of the points carry both labels and a quarter neither
    both, neither = Y.all(axis=1).mean(), (~Y.any(axis=1)).mean()
    assert abs(both - 0.25) < 0.06 and abs(neither - 0.25) < 0.06
    _, Y1 = datasets.make_multilabel(50, n_labels=1, seed=0)
    assert Y1.shape == (50, 1)


def test_binary_accuracy_by_hand_and_keras_semantics():
    # Keras: y_pred > threshold (strictly), mean over the last axis, then over the samples.
    assert metrics.binary_accuracy([1, 0], [0.5, 0.5]) == 0.5  # 0.5 is not above 0.5
    assert metrics.binary_accuracy([1, 0], [0.7, 0.7], threshold=0.8) == 0.5
    one_hot = np.eye(10)[np.arange(20) % 10]
    assert metrics.binary_accuracy(one_hot, np.zeros((20, 10))) == pytest.approx(0.9)
    assert metrics.binary_accuracy(one_hot, one_hot * 0.9) == 1.0
    with pytest.raises(ValueError, match="y_true must hold 0/1 labels"):
        metrics.binary_accuracy([0, 2], [0.1, 0.9])
    with pytest.raises(ValueError, match="y_pred must hold probabilities"):
        metrics.binary_accuracy([0, 1], [-2.0, 3.0])
    with pytest.raises(ValueError, match="shape"):
        metrics.binary_accuracy([[0, 1]], [0.1, 0.9])


def test_binary_accuracy_is_one_minus_scikit_learns_hamming_loss():
    skm = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(0)
    y_true, probs = rng.integers(0, 2, size=(50, 4)), rng.random((50, 4))
    expected = 1 - skm.hamming_loss(y_true, (probs > 0.5).astype(int))
    assert metrics.binary_accuracy(y_true, probs) == pytest.approx(expected)


def test_binary_accuracy_reproduces_keras_documented_example():
    # Keras is not installable here (no wheels offline), so a test against it could never run.
    # Keras 3's own docstring example instead (keras/src/metrics/accuracy_metrics.py,
    # BinaryAccuracy): update_state([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]]) → 0.75.
    y_true, y_pred = [[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]]
    assert metrics.binary_accuracy(y_true, y_pred) == 0.75
    # Keras's rule (y_pred > threshold, mean over the last axis) on two outputs per row:
    # 0.5 is not above 0.5, so 3 of the 4 outputs match.
    assert metrics.binary_accuracy([[1, 0], [1, 1]], [[0.6, 0.4], [0.5, 0.9]]) == 0.75


def test_make_glyphs_is_seeded_shaped_balanced_and_shuffled():
    X, y = datasets.make_glyphs(301, n_classes=5, seed=0)
    X2, y2 = datasets.make_glyphs(301, n_classes=5, seed=0)
    X3, _ = datasets.make_glyphs(301, n_classes=5, seed=1)
    assert X.shape == (301, 64) and X.dtype == np.float64 and y.shape == (301,)
    assert np.issubdtype(y.dtype, np.integer)
    assert np.bincount(y).tolist() == [61, 60, 60, 60, 60]
    assert np.array_equal(X, X2) and np.array_equal(y, y2) and not np.array_equal(X, X3)
    assert len(set(y[:30].tolist())) > 1, "rows are shuffled: a slice holds several classes"


def test_make_glyphs_without_noise_or_shift_draws_the_letters():
    X, y = datasets.make_glyphs(80, n_classes=8, noise=0, max_shift=0, seed=0)
    ink = X > 0
    for k, letter in enumerate(datasets.GLYPH_LETTERS):
        images = ink[y == k].reshape(-1, 8, 8)
        assert np.all(images == images[0]), f"{letter}: every clean copy is the same picture"
        assert not images[0, [0, 7]].any() and not images[0, :, [0, 7]].any(), "a free border"
    assert X.min() == 0 and 0.6 <= X[ink].min() and X.max() <= 1.0  # ink strength in [0.6, 1]
    # O and C differ by a few strokes only: the confusion the capstone analyses
    o, c = (ink[y == k][0] for k in (0, 1))
    assert 0 < np.sum(o != c) <= 8


def test_make_glyphs_shifts_by_at_most_one_pixel_without_wrapping():
    X, y = datasets.make_glyphs(400, n_classes=2, noise=0, max_shift=1, seed=3)
    images = (X > 0).reshape(-1, 8, 8)
    positions = {tuple(np.argwhere(img).min(axis=0)) for img in images[y == 0]}
    assert positions == {(r, c) for r in (0, 1, 2) for c in (0, 1, 2)}, "all nine shifts occur"


def test_make_glyphs_explains_bad_arguments():
    with pytest.raises(ValueError, match=r"n_classes must be .*8.* got 9"):
        datasets.make_glyphs(10, n_classes=9)
    with pytest.raises(ValueError, match=r"max_shift must be .*1.* got 2"):
        datasets.make_glyphs(10, max_shift=2)
    with pytest.raises(TypeError, match="n_samples must be an integer"):
        datasets.make_glyphs(2.5)


# ---- the real data set shipped with xentlib ----------------------------------------------
def test_load_digits_is_the_shipped_uci_test_set():
    import hashlib
    import re

    X, y = datasets.load_digits()
    assert X.shape == (1797, 64) and X.dtype == np.float64 and y.dtype == np.int64
    assert X.min() == 0.0 and X.max() == 1.0 and np.all(X * 16 == np.round(X * 16))
    assert np.bincount(y).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    readme = (datasets.DIGITS_FILE.parent / "README.md").read_text(encoding="utf-8")
    digest = hashlib.sha256(datasets.DIGITS_FILE.read_bytes()).hexdigest()
    assert digest in readme, "the README's SHA-256 is not the shipped file's"
    assert re.search(r"CC BY 4\.0", readme) and "Alpaydin" in readme and "Kaynak" in readme
