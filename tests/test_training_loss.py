"""TrainingLoss (the models' prepared cross-entropy) gives cross_entropy_with_grad's numbers."""

import itertools

import numpy as np
import pytest

import xentlib as xl
from xentlib._rows import row_argmax
from xentlib._training_loss import TrainingLoss

WEIGHTS = {"none": None, "weighted": np.array([0.5, 2.0, 1.0, 3.0])}


@pytest.mark.parametrize(
    ("weight", "smoothing", "order", "batch"),
    list(itertools.product(sorted(WEIGHTS), [0.0, 0.2], "CF", [False, True])),
)
def test_matches_cross_entropy_with_grad(weight, smoothing, order, batch):
    rng = np.random.default_rng(0)
    y = rng.integers(0, 4, size=50)
    z = np.asarray(rng.normal(scale=5, size=(50, 4)), order=order)
    z[0] = [300.0, -300.0, 0.0, 1e-3]  # extreme rows must not overflow
    rows = rng.permutation(50)[:17] if batch else None
    w = WEIGHTS[weight]
    loss, grad = TrainingLoss(y, 4, weight=w, label_smoothing=smoothing)(
        z[rows] if batch else z.copy(order="A"), rows
    )
    y_part, z_part = (y[rows], z[rows]) if batch else (y, z)
    ref_loss, ref_grad = xl.cross_entropy_with_grad(
        y_part, logits=np.ascontiguousarray(z_part), weight=w, label_smoothing=smoothing
    )
    assert loss == pytest.approx(float(ref_loss), rel=1e-13, abs=1e-15)
    np.testing.assert_allclose(grad, ref_grad, rtol=1e-12, atol=1e-15)


def test_keeps_precision_for_confident_right_answers():
    # the loss of a sure, right prediction is e^-40 ≈ 4e-18: not lost to rounding
    z = np.asfortranarray([[40.0, 0.0, 0.0]])
    loss, _ = TrainingLoss(np.array([0]), 3)(z, need_grad=False)
    assert loss == pytest.approx(2 * np.exp(-40.0), rel=1e-12)


def test_counts_correct_rows_like_argmax_with_ties_to_the_first():
    z = np.asfortranarray([[0.0, 0.0, 0.0], [1.0, 3.0, 3.0], [2.0, 1.0, 0.0], [0.0, 5.0, 1.0]])
    y = np.array([1, 2, 0, 1])
    assert row_argmax(z).tolist() == np.argmax(z, axis=1).tolist() == [0, 1, 0, 1]
    loss = TrainingLoss(y, 3)
    assert loss.n_correct(z) == 2
    assert loss.n_correct(z[[2, 3]], np.array([2, 3])) == 2
