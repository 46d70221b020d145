"""Losses and gradients: exact values, errors that say how to fix them, gradient checks."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import xentlib as xl

SEED_PROBS = [[0.1, 0.4, 0.5], [0.8, 0.1, 0.1]]


# ---- exact values --------------------------------------------------------------------
def test_seed_blog_post_numbers():
    assert xl.cross_entropy([2, 0], probs=SEED_PROBS) == pytest.approx(
        -(np.log(0.5) + np.log(0.8)) / 2, rel=1e-15
    )
    assert round(float(xl.cross_entropy([2, 0], probs=SEED_PROBS)), 4) == 0.4581
    assert round(float(xl.cross_entropy([2, 0], logits=SEED_PROBS)), 4) == 0.8178


def test_one_hot_targets_equal_index_targets():
    z = np.random.default_rng(1).normal(size=(5, 4))
    y = np.array([0, 3, 1, 1, 2])
    assert xl.cross_entropy(np.eye(4)[y], logits=z) == pytest.approx(
        xl.cross_entropy(y, logits=z), rel=1e-14
    )


def test_weighted_mean_divides_by_target_weights():
    logp = np.log(np.array([[0.5, 0.5], [0.9, 0.1], [0.2, 0.8]]))
    w = np.array([1.0, 3.0])
    y = np.array([0, 1, 1])
    expected = (1 * -logp[0, 0] + 3 * -logp[1, 1] + 3 * -logp[2, 1]) / (1 + 3 + 3)
    assert xl.cross_entropy(y, probs=np.exp(logp), weight=w) == pytest.approx(expected, rel=1e-14)
    assert xl.nll_loss(y, logp, weight=w) == pytest.approx(expected, rel=1e-14)


def test_ignore_index_removes_samples_from_the_mean():
    z = np.random.default_rng(2).normal(size=(4, 3))
    full = xl.cross_entropy([0, 1, 2, 1], logits=z, reduction="none")
    assert xl.cross_entropy([0, -100, 2, 1], logits=z, ignore_index=-100) == pytest.approx(
        full[[0, 2, 3]].mean()
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isnan(
            xl.cross_entropy([-1, -1], logits=z[:2], ignore_index=-1)
        )  # as PyTorch: 0/0


def test_label_smoothing_matches_smoothed_distribution_targets_without_weights():
    z = np.random.default_rng(3).normal(size=(5, 4))
    y = np.array([0, 1, 2, 3, 0])
    smooth = np.eye(4)[y] * 0.9 + 0.1 / 4
    assert xl.cross_entropy(y, logits=z, label_smoothing=0.1) == pytest.approx(
        xl.cross_entropy(smooth, logits=z), rel=1e-13
    )


def test_log_of_zero_is_inf_never_nan():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert xl.cross_entropy([1], probs=[[1.0, 0.0]]) == np.inf
        assert xl.cross_entropy([0], probs=[[1.0, 0.0]]) == 0.0
        assert xl.cross_entropy([[1.0, 0.0]], probs=[[1.0, 0.0]]) == 0.0  # 0·log 0 = 0
        assert xl.binary_cross_entropy([1.0, 0.0], probs=[0.0, 0.0], reduction="none").tolist() == [
            np.inf,
            0.0,
        ]


def test_eps_clips_only_when_asked():
    assert xl.cross_entropy([1], probs=[[1.0, 0.0]], eps=1e-12) == pytest.approx(-np.log(1e-12))


def test_stable_for_huge_logits():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert xl.cross_entropy([1], logits=[[1e4, -1e4]]) == pytest.approx(2e4)
        assert xl.binary_cross_entropy([0.0], logits=[1e4]) == pytest.approx(1e4)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtypes(dtype):
    z = np.zeros((3, 4), dtype=dtype)
    loss, grad = xl.cross_entropy_with_grad([0, 1, 2], logits=z)
    assert np.asarray(loss).dtype == dtype and grad.dtype == dtype
    assert xl.cross_entropy([0, 1, 2], logits=z) == pytest.approx(np.log(4), rel=1e-6)
    assert np.asarray(xl.binary_cross_entropy(np.zeros(3), logits=z[0, :3])).dtype == dtype


def test_reductions():
    z = np.random.default_rng(4).normal(size=(6, 3))
    y = np.arange(6) % 3
    per = xl.cross_entropy(y, logits=z, reduction="none")
    assert per.shape == (6,)
    assert xl.cross_entropy(y, logits=z, reduction="sum") == pytest.approx(per.sum())
    assert xl.cross_entropy(y, logits=z) == pytest.approx(per.mean())


def test_focal_loss_reduces_to_cross_entropy_and_downweights_easy_samples():
    z = np.array([[4.0, 0.0], [0.2, 0.0]])
    y = [0, 0]
    assert xl.focal_loss(y, logits=z, gamma=0.0) == pytest.approx(
        xl.cross_entropy(y, logits=z), rel=1e-14
    )
    ce = xl.cross_entropy(y, logits=z, reduction="none")
    fl = xl.focal_loss(y, logits=z, gamma=2.0, reduction="none")
    assert fl[0] / ce[0] < fl[1] / ce[1] < 1  # the easy sample is down-weighted more


# ---- gradients -----------------------------------------------------------------------
OPTIONS = [
    dict(),
    dict(reduction="sum"),
    dict(weight=np.array([0.5, 2.0, 1.0, 3.0])),
    dict(label_smoothing=0.2),
    dict(ignore_index=1, weight=np.array([0.5, 2.0, 1.0, 3.0]), label_smoothing=0.1),
]


@pytest.mark.parametrize("options", OPTIONS, ids=["plain", "sum", "weight", "smoothing", "all"])
@pytest.mark.parametrize("targets", ["index", "dist"])
def test_cross_entropy_grad_matches_numerical_gradient(options, targets):
    rng = np.random.default_rng(5)
    z = rng.normal(size=(5, 4))
    y = np.array([0, 1, 3, 2, 1]) if targets == "index" else rng.dirichlet(np.ones(4), size=5)
    if targets == "dist":
        options = {k: v for k, v in options.items() if k != "ignore_index"}
    numeric = xl.numerical_gradient(lambda v: xl.cross_entropy(y, logits=v, **options), z)
    analytic = xl.cross_entropy_grad(y, logits=z, **options)
    assert xl.relative_error(analytic, numeric) < 1e-7


@pytest.mark.parametrize(
    "options",
    [
        dict(),
        dict(pos_weight=np.array([2.0, 0.5])),
        dict(weight=np.array([1.0, 3.0]), reduction="sum"),
    ],
    ids=["plain", "pos_weight", "weight-sum"],
)
def test_binary_grad_matches_numerical_gradient(options):
    rng = np.random.default_rng(6)
    z = rng.normal(size=(4, 2)) * 2
    y = rng.integers(0, 2, size=(4, 2)).astype(float)
    numeric = xl.numerical_gradient(lambda v: xl.binary_cross_entropy(y, logits=v, **options), z)
    assert xl.relative_error(xl.binary_cross_entropy_grad(y, logits=z, **options), numeric) < 1e-7


@pytest.mark.parametrize("alpha", [None, 0.25, 0.95])
@pytest.mark.parametrize("gamma", [0.0, 0.5, 1.0, 2.0, 5.0])
def test_binary_focal_grad_matches_central_differences(gamma, alpha):
    # One coordinate at a time, each element's own loss: a small gradient is not drowned by
    # the rounding of a large sum. |z| ≤ 6: beyond it binary_focal_loss itself loses digits
    # (it forms 1 − p_t by subtraction), so a difference of its values would.
    rng = np.random.default_rng(7)
    z = np.clip(rng.normal(size=24) * 3, -6, 6)
    y = rng.integers(0, 2, size=24).astype(float)
    y[:4] = [0.3, 0.5, 0.9, 0.05]  # soft labels too
    analytic = xl.binary_focal_loss_grad(y, logits=z, gamma=gamma, alpha=alpha, reduction="none")
    for i in range(z.size):
        numeric = xl.numerical_gradient(
            lambda v, i=i: xl.binary_focal_loss(
                y[i : i + 1], logits=v, gamma=gamma, alpha=alpha, reduction="sum"
            ),
            z[i : i + 1],
        )
        assert xl.relative_error(analytic[i : i + 1], numeric) < 1e-6, (z[i], y[i])


def test_binary_focal_grad_reductions_limits_and_bce():
    z = np.array([[0.5, -2.0, 3.0], [-0.1, 4.0, -1.5]])
    y = np.array([[1.0, 0.0, 1.0], [0.0, 0.0, 1.0]])
    none = xl.binary_focal_loss_grad(y, logits=z, reduction="none")
    np.testing.assert_allclose(xl.binary_focal_loss_grad(y, logits=z, reduction="sum"), none)
    np.testing.assert_allclose(xl.binary_focal_loss_grad(y, logits=z), none / z.size)
    np.testing.assert_allclose(  # γ = 0 and no alpha: plain BCE, σ(z) − y
        xl.binary_focal_loss_grad(y, logits=z, gamma=0.0), xl.binary_cross_entropy_grad(y, logits=z)
    )
    # The closed form for 0/1 labels: (1 − p_t)^γ [γ p_t log p_t − (1 − p_t)] (2y − 1).
    p_t = np.where(y == 1, xl.sigmoid(z), xl.sigmoid(-z))
    closed = (1 - p_t) ** 2 * (2 * p_t * np.log(p_t) - (1 - p_t)) * (2 * y - 1)
    np.testing.assert_allclose(none, closed, rtol=1e-12)
    inf = np.inf
    limits = xl.binary_focal_loss_grad(
        [1.0, 0.0, 1.0, 0.0], logits=[-inf, inf, inf, -inf], alpha=0.25, reduction="none"
    )
    assert limits.tolist() == [-0.25, 0.75, 0.0, 0.0]
    # A confident right answer keeps its tiny gradient: (1 − p)^2 ≈ e^(−2z) is not rounded to 0.
    tiny = xl.binary_focal_loss_grad(1.0, logits=30.0, gamma=2.0, reduction="none")
    assert tiny == pytest.approx(-np.exp(-3 * 30.0), rel=1e-6)


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 5), st.integers(1, 4), st.integers(0, 2**32 - 1))
def test_gradient_is_softmax_minus_one_hot(n_classes, n_samples, seed):
    rng = np.random.default_rng(seed)
    z = rng.normal(size=(n_samples, n_classes)) * 5
    y = rng.integers(0, n_classes, size=n_samples)
    grad = xl.cross_entropy_grad(y, logits=z, reduction="sum")
    np.testing.assert_allclose(grad, xl.softmax(z) - np.eye(n_classes)[y], atol=1e-12)
    numeric = xl.numerical_gradient(lambda v: xl.cross_entropy(y, logits=v, reduction="sum"), z)
    # Absolute: on random logits some entries are ~1e-10, below what central differences
    # resolve, where a relative error is meaningless.
    np.testing.assert_allclose(grad, numeric, rtol=0, atol=1e-6)


def test_gradient_rows_sum_to_zero():
    z = np.random.default_rng(7).normal(size=(8, 5))
    grad = xl.cross_entropy_grad(np.arange(8) % 5, logits=z)
    np.testing.assert_allclose(grad.sum(axis=1), 0.0, atol=1e-15)


def test_numerical_gradient_rejects_vector_functions():
    with pytest.raises(ValueError, match="single number"):
        xl.numerical_gradient(lambda v: v * 2, np.ones(3))


# ---- bad input: one test per case, each message says how to fix it --------------------
BAD = [
    (
        "both",
        lambda: xl.cross_entropy([0], probs=[[1.0, 0.0]], logits=[[1.0, 0.0]]),
        TypeError,
        "not both",
    ),
    ("neither", lambda: xl.cross_entropy([0]), TypeError, "neither was given"),
    ("probs-negative", lambda: xl.cross_entropy([0], probs=[[1.2, -0.2]]), ValueError, "logits="),
    ("probs-nan", lambda: xl.cross_entropy([0], probs=[[np.nan, 1.0]]), ValueError, "NaN"),
    ("probs-inf", lambda: xl.cross_entropy([0], probs=[[np.inf, 0.0]]), ValueError, r"in \[0, 1\]"),
    (
        "probs-not-summing",
        lambda: xl.cross_entropy([2, 0], probs=[[2.0, 4.0, 5.0], [8.0, 1.0, 1.0]]),
        ValueError,
        "logits=",
    ),
    ("probs-rows-sum", lambda: xl.cross_entropy([0], probs=[[0.3, 0.3]]), ValueError, "sum to 1"),
    (
        "index-too-large",
        lambda: xl.cross_entropy([3], logits=[[1.0, 2.0, 3.0]]),
        ValueError,
        r"0 … 2",
    ),
    (
        "index-negative",
        lambda: xl.cross_entropy([-1], logits=[[1.0, 2.0]]),
        ValueError,
        "Negative labels",
    ),
    (
        "index-fractional",
        lambda: xl.cross_entropy([0.5], logits=[[1.0, 2.0]]),
        ValueError,
        "whole-number",
    ),
    (
        "length-mismatch",
        lambda: xl.cross_entropy([0, 1, 1], logits=[[1.0, 2.0], [0.0, 1.0]]),
        ValueError,
        r"shape \(3,\)",
    ),
    ("empty", lambda: xl.cross_entropy([], logits=np.zeros((0, 3))), ValueError, "empty"),
    (
        "smoothing-high",
        lambda: xl.cross_entropy([0], logits=[[1.0, 2.0]], label_smoothing=1.5),
        ValueError,
        "label_smoothing must be a number between 0 and 1",
    ),
    (
        "smoothing-negative",
        lambda: xl.cross_entropy([0], logits=[[1.0, 2.0]], label_smoothing=-0.1),
        ValueError,
        "label_smoothing must be a number between 0 and 1",
    ),
    (
        "reduction",
        lambda: xl.cross_entropy([0], logits=[[1.0, 2.0]], reduction="avg"),
        ValueError,
        "reduction must be one of 'mean', 'sum', 'none'; got 'avg'",
    ),
    (
        "weight-length",
        lambda: xl.cross_entropy([0], logits=[[1.0, 2.0]], weight=[1.0, 2.0, 3.0]),
        ValueError,
        r"shape \(2,\)",
    ),
    ("logits-nan", lambda: xl.cross_entropy([0], logits=[[np.nan, 2.0]]), ValueError, "NaN"),
    ("nll-probs", lambda: xl.nll_loss([0], [[0.3, 0.7]]), ValueError, "log_softmax"),
    (
        "bce-probs-range",
        lambda: xl.binary_cross_entropy([1.0], probs=[1.3]),
        ValueError,
        r"in \[0, 1\]",
    ),
    (
        "bce-labels-range",
        lambda: xl.binary_cross_entropy([2.0], probs=[0.3]),
        ValueError,
        r"in \[0, 1\]",
    ),
    ("bce-shape", lambda: xl.binary_cross_entropy([1.0, 0.0], logits=[0.3]), ValueError, "one 0/1"),
    (
        "grad-needs-logits",
        lambda: xl.cross_entropy_grad([0], logits=None),
        TypeError,
        "logits is required",
    ),
    ("focal-gamma", lambda: xl.focal_loss([0], logits=[[1.0, 2.0]], gamma=-1), ValueError, "gamma"),
    (
        "text-labels",
        lambda: xl.cross_entropy(["cat"], logits=[[1.0, 2.0]]),
        TypeError,
        "class indices",
    ),
    (
        "prediction-3d",  # (N, C, T) needs indices (N, T): PyTorch's layout, said
        lambda: xl.cross_entropy([0], logits=np.zeros((1, 2, 2))),
        ValueError,
        r"\(N, C, d1, …\).*shape \(1, 2\)",
    ),
    (
        "prediction-3d-nll",
        lambda: xl.nll_loss([0], np.zeros((1, 2, 2))),
        ValueError,
        "n_samples, n_classes",
    ),
]


@pytest.mark.parametrize(("case", "call", "error", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_gets_a_clear_error(case, call, error, message):
    with pytest.raises(error, match=message):
        call()
