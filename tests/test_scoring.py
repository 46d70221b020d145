"""The Brier score, squared error through softmax and the multi-class hinge: exact values,
naive loops against the vectorised functions (CS231n), central-difference gradient checks,
and reference oracles (scikit-learn always; PyTorch when installed)."""

import numpy as np
import pytest

import xentlib as xl
from tools import make_golden as golden

CS231N_SCORES = np.array([[3.2, 5.1, -1.7], [1.3, 4.9, 2.0], [2.2, 2.5, -3.1]])  # cat, car, frog
CS231N_LABELS = np.array([0, 1, 2])


def _random(n=7, c=4, seed=0, scale=2.0):
    rng = np.random.default_rng(seed)
    return scale * rng.normal(size=(n, c)), rng.integers(0, c, size=n)


# ---- naive versions: one sample, one class at a time -----------------------------------
def brier_naive(y, probs):
    total = 0.0
    for i in range(len(y)):
        for c in range(probs.shape[1]):
            total += (probs[i, c] - (1.0 if c == y[i] else 0.0)) ** 2
    return total / len(y)


def squared_error_naive(y, logits):
    """The loss and the gradient through the full C × C softmax Jacobian, sample by sample."""
    n, c = logits.shape
    loss, grad = 0.0, np.zeros_like(logits)
    for i in range(n):
        q = np.exp(logits[i] - logits[i].max())
        q /= q.sum()
        target = np.eye(c)[y[i]]
        loss += np.sum((q - target) ** 2)
        jacobian = np.diag(q) - np.outer(q, q)  # J[a, k] = ∂q_a / ∂z_k
        grad[i] = jacobian.T @ (2 * (q - target))
    return loss / n, grad / n


def svm_loss_naive(y, scores, margin=1.0):
    """CS231n's svm_loss_naive, on scores instead of W and X."""
    n, c = scores.shape
    loss, grad = 0.0, np.zeros_like(scores)
    for i in range(n):
        for j in range(c):
            if j == y[i]:
                continue
            m = scores[i, j] - scores[i, y[i]] + margin
            if m > 0:
                loss += m
                grad[i, j] += 1
                grad[i, y[i]] -= 1
    return loss / n, grad / n


# ---- the Brier score -----------------------------------------------------------------------
def test_brier_exact_values():
    assert xl.brier_score([2, 0], [[0.1, 0.4, 0.5], [0.8, 0.1, 0.1]]) == pytest.approx(0.24)
    assert float(xl.brier_score(0, [0.0, 1.0, 0.0])) == 2.0  # certain and wrong: the maximum
    assert float(xl.brier_score(1, [0.0, 1.0, 0.0])) == 0.0
    assert xl.brier_score(0, [0.5, 0.5]) == pytest.approx(0.5)
    third = xl.brier_score(0, np.full(3, 1 / 3))
    assert third == pytest.approx(2 / 3)


@pytest.mark.parametrize("seed", range(3))
def test_brier_naive_vs_vectorised_and_the_expanded_formula(seed):
    z, y = _random(seed=seed)
    q = xl.softmax(z)
    assert xl.brier_score(y, q) == pytest.approx(brier_naive(y, q), rel=1e-13)
    expanded = 1 - 2 * q[np.arange(len(y)), y] + np.sum(q**2, axis=1)
    np.testing.assert_allclose(xl.brier_score(y, q, reduction="none"), expanded, rtol=1e-12)


def test_brier_reductions_and_a_single_row():
    z, y = _random()
    q = xl.softmax(z)
    each = xl.brier_score(y, q, reduction="none")
    assert each.shape == (len(y),)
    assert xl.brier_score(y, q, reduction="sum") == pytest.approx(each.sum())
    assert xl.brier_score(y, q) == pytest.approx(each.mean())
    assert xl.brier_score(y[0], q[0], reduction="none") == pytest.approx(each[0])


def test_brier_matches_scikit_learn():
    metrics = pytest.importorskip("sklearn.metrics")
    z, y = _random(n=40, c=4, seed=5)
    q = xl.softmax(z)
    assert xl.brier_score(y, q) == pytest.approx(metrics.brier_score_loss(y, q), rel=1e-12)
    # Two classes: scikit-learn halves the score by default (it scores the positive class).
    q2 = xl.softmax(z[:, :2])
    y2 = y % 2
    ours = xl.brier_score(y2, q2)
    assert ours == pytest.approx(metrics.brier_score_loss(y2, q2[:, 1]) * 2, rel=1e-12)
    assert ours == pytest.approx(metrics.brier_score_loss(y2, q2, scale_by_half=False), rel=1e-12)


def test_brier_is_strictly_proper_for_a_coin():
    p = 0.7
    q = np.linspace(0.01, 0.99, 99)
    Q = np.stack([q, 1 - q], axis=1)
    expected = p * xl.brier_score(np.zeros(99, int), Q, reduction="none") + (
        1 - p
    ) * xl.brier_score(np.ones(99, int), Q, reduction="none")
    assert q[np.argmin(expected)] == pytest.approx(p)
    np.testing.assert_allclose(expected, 2 * (q - p) ** 2 + 2 * p * (1 - p), atol=1e-12)


def test_brier_refuses_logits_and_one_hot_labels():
    with pytest.raises(ValueError, match=r"probs must hold probabilities.*softmax\(logits\)"):
        xl.brier_score([0], [[2.0, -1.0, 0.5]])
    with pytest.raises(ValueError, match="probs must sum to 1"):
        xl.brier_score([0], [[0.5, 0.2, 0.1]])
    with pytest.raises(ValueError, match=r"y_true.argmax\(axis=-1\)"):
        xl.brier_score(np.eye(3)[[0, 1]], [[0.2, 0.5, 0.3], [0.1, 0.1, 0.8]])
    with pytest.raises(ValueError, match="class index 3"):
        xl.brier_score([3], [[0.2, 0.5, 0.3]])


# ---- squared error through softmax -------------------------------------------------------
@pytest.mark.parametrize("seed", range(3))
def test_squared_error_naive_jacobian_vs_fused(seed):
    z, y = _random(seed=seed)
    loss, grad = xl.squared_error_with_grad(y, logits=z)
    naive_loss, naive_grad = squared_error_naive(y, z)
    assert loss == pytest.approx(naive_loss, rel=1e-13)
    np.testing.assert_allclose(grad, naive_grad, rtol=1e-10, atol=1e-15)
    assert loss == pytest.approx(xl.brier_score(y, xl.softmax(z)), rel=1e-13)


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_squared_error_gradient_against_central_differences(reduction):
    z, y = _random(n=5, c=3, seed=4)
    _, grad = xl.squared_error_with_grad(y, logits=z, reduction=reduction)
    numeric = xl.numerical_gradient(
        lambda v: xl.squared_error_with_grad(y, logits=v, reduction=reduction)[0], z
    )
    assert xl.relative_error(grad, numeric) < 1e-7


def test_squared_error_per_sample_gradient_and_single_row():
    z, y = _random(n=4, c=3, seed=6)
    losses, grads = xl.squared_error_with_grad(y, logits=z, reduction="none")
    for i in range(len(y)):
        loss_i, grad_i = xl.squared_error_with_grad(y[i], logits=z[i])
        assert loss_i == pytest.approx(losses[i], rel=1e-14)
        np.testing.assert_allclose(grad_i, grads[i], rtol=1e-13)
        numeric = xl.numerical_gradient(
            lambda v, i=i: xl.squared_error_with_grad(y[i], logits=v)[0], z[i]
        )
        assert xl.relative_error(grad_i, numeric) < 1e-7


def test_squared_error_exact_values_and_saturation():
    loss, grad = xl.squared_error_with_grad([0], logits=[[0.0, 0.0]])
    assert float(loss) == 0.5 and grad.tolist() == [[-0.5, 0.5]]
    # A confident mistake: cross-entropy pushes with nearly full force, squared error hardly.
    se_loss, se_grad = xl.squared_error_with_grad(0, logits=[0.0, 10.0, 0.0])
    ce_grad = xl.cross_entropy_grad(0, logits=[0.0, 10.0, 0.0])
    assert se_loss > 1.999 and np.abs(se_grad).max() < 3e-4
    assert np.abs(ce_grad).max() > 0.999


def test_squared_error_gradient_is_shift_invariant_and_keeps_float32():
    z, y = _random(seed=7)
    _, grad = xl.squared_error_with_grad(y, logits=z)
    np.testing.assert_allclose(grad.sum(axis=1), 0, atol=1e-15)  # flat along (1, …, 1)
    _, shifted = xl.squared_error_with_grad(y, logits=z + 100.0)
    np.testing.assert_allclose(grad, shifted, rtol=1e-9, atol=1e-15)
    loss32, grad32 = xl.squared_error_with_grad(y, logits=z.astype(np.float32))
    assert loss32.dtype == np.float32 and grad32.dtype == np.float32


def test_squared_error_is_not_convex_but_cross_entropy_is():
    z = np.array([0.0, 3.0, 0.0])  # confidently wrong, true class 0

    def hessian(grad_fn):
        h = np.stack([xl.numerical_gradient(lambda v, i=i: grad_fn(v)[i], z) for i in range(3)])
        return np.linalg.eigvalsh((h + h.T) / 2)

    se = hessian(lambda v: xl.squared_error_with_grad(0, logits=v)[1])
    ce = hessian(lambda v: xl.cross_entropy_grad(0, logits=v))
    assert se.min() < -0.2
    assert ce.min() > -1e-8


def test_squared_error_masked_classes_and_errors():
    loss, grad = xl.squared_error_with_grad([1], logits=[[-np.inf, 0.0, 0.0]])
    assert float(loss) == pytest.approx(0.5) and np.all(np.isfinite(grad))
    with pytest.raises(ValueError, match="all -inf"):
        xl.squared_error_with_grad([1], logits=[[-np.inf, -np.inf]])
    with pytest.raises(TypeError):
        xl.squared_error_with_grad([1], [[0.5, 0.5]])  # logits is keyword-only: say what it is


def test_squared_error_matches_pytorch():
    # PyTorch: mse_loss(softmax(z), one_hot(y), reduction="sum") / N (tools/make_golden.py)
    ref = golden.values("squared_error_of_softmax")
    loss, grad = xl.squared_error_with_grad(ref["y"], logits=ref["z"])
    assert loss == pytest.approx(float(ref["loss"]), rel=1e-12)
    np.testing.assert_allclose(grad, ref["grad"], rtol=1e-10, atol=1e-15)


# ---- the multi-class hinge ------------------------------------------------------------------
def test_hinge_cs231n_example():
    loss, grad = xl.multiclass_hinge_with_grad(CS231N_LABELS, CS231N_SCORES, reduction="none")
    np.testing.assert_allclose(loss, [2.9, 0.0, 12.9], atol=1e-12)
    assert xl.multiclass_hinge_with_grad(CS231N_LABELS, CS231N_SCORES)[0] == pytest.approx(15.8 / 3)
    assert grad.tolist() == [[-1.0, 1.0, 0.0], [0.0, 0.0, 0.0], [1.0, 1.0, -2.0]]


@pytest.mark.parametrize("margin", [0.0, 1.0, 2.5])
@pytest.mark.parametrize("seed", range(3))
def test_hinge_naive_vs_vectorised(seed, margin):
    z, y = _random(n=9, c=5, seed=seed)
    loss, grad = xl.multiclass_hinge_with_grad(y, z, margin=margin)
    naive_loss, naive_grad = svm_loss_naive(y, z, margin)
    assert loss == pytest.approx(naive_loss, rel=1e-13)
    np.testing.assert_array_equal(grad, naive_grad)


def test_hinge_gradient_against_central_differences_away_from_kinks():
    z, y = _random(n=6, c=4, seed=9)
    margins = z - z[np.arange(6), y][:, None] + 1.0
    assert np.abs(margins).min() > 1e-3  # no kink within eps of the point
    _, grad = xl.multiclass_hinge_with_grad(y, z)
    numeric = xl.numerical_gradient(lambda v: xl.multiclass_hinge_with_grad(y, v)[0], z)
    assert xl.relative_error(grad, numeric) < 1e-7


def test_hinge_is_zero_once_every_margin_is_met_and_rows_sum_to_zero():
    loss, grad = xl.multiclass_hinge_with_grad([0, 1], [[5.0, 1.0, 3.9], [0.0, 2.0, 0.9]])
    assert float(loss) == 0.0 and not grad.any()
    z, y = _random(seed=10)
    _, grad = xl.multiclass_hinge_with_grad(y, z, reduction="sum")
    np.testing.assert_array_equal(grad.sum(axis=1), 0)


def test_hinge_on_probabilities_is_not_proper():
    p = 0.7
    q = np.linspace(0.0, 1.0, 101)
    Q = np.stack([q, 1 - q], axis=1)
    expected = (
        p * xl.multiclass_hinge_with_grad(np.zeros(101, int), Q, reduction="none")[0]
        + (1 - p) * xl.multiclass_hinge_with_grad(np.ones(101, int), Q, reduction="none")[0]
    )
    np.testing.assert_allclose(expected, 1.4 - 0.8 * q, atol=1e-12)
    assert q[np.argmin(expected)] == 1.0


def test_hinge_errors_name_the_argument():
    with pytest.raises(ValueError, match="margin must be"):
        xl.multiclass_hinge_with_grad([0], [[1.0, 2.0]], margin=-1.0)
    with pytest.raises(ValueError, match="scores contains infinity"):
        xl.multiclass_hinge_with_grad([0], [[1.0, np.inf]])
    with pytest.raises(ValueError, match="y_true has shape"):
        xl.multiclass_hinge_with_grad([0, 1], [[1.0, 2.0]])


def test_hinge_keeps_float32_and_a_single_row():
    loss, grad = xl.multiclass_hinge_with_grad(0, np.array([3.2, 5.1, -1.7], np.float32))
    assert loss.dtype == np.float32 and grad.dtype == np.float32
    assert float(loss) == pytest.approx(2.9, rel=1e-6) and grad.shape == (3,)


def test_hinge_matches_pytorch_multi_margin_loss_times_the_classes():
    # PyTorch: MultiMarginLoss(p=1, margin=1.0)(z, y) * n_classes (tools/make_golden.py)
    ref = golden.values("multi_margin_loss_times_classes")
    loss, grad = xl.multiclass_hinge_with_grad(ref["y"], ref["z"])
    assert loss == pytest.approx(float(ref["loss"]), rel=1e-12)
    np.testing.assert_allclose(grad, ref["grad"], rtol=1e-12, atol=1e-15)
