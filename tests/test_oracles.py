"""Reference oracles: PyTorch (from its committed answers, always run), SciPy and
scikit-learn (dev dependencies).

The course says "this is exactly what torch.nn.functional.cross_entropy computes"; these
tests are what make that sentence true.
"""

import numpy as np
import pytest

import xentlib as xl
from tools import make_golden as golden

RNG = np.random.default_rng(20261123)
N, C = 7, 5


def _case(dtype=np.float64, scale=3.0):
    z = (RNG.normal(size=(N, C)) * scale).astype(dtype)
    y = RNG.integers(0, C, size=N)
    w = RNG.uniform(0.2, 3.0, size=C).astype(dtype)
    t = RNG.dirichlet(np.ones(C), size=N).astype(dtype)
    return z, y, w, t


# ---- SciPy ---------------------------------------------------------------------------
@pytest.mark.parametrize("scale", [1.0, 30.0, 1e4], ids=["small", "large", "huge"])
def test_special_functions_match_scipy(scale):
    special = pytest.importorskip("scipy.special")
    z = RNG.normal(size=(6, 9)) * scale
    for axis in (-1, 0):
        np.testing.assert_allclose(
            xl.logsumexp(z, axis=axis), special.logsumexp(z, axis=axis), rtol=1e-13
        )
        np.testing.assert_allclose(
            xl.softmax(z, axis=axis), special.softmax(z, axis=axis), rtol=1e-13, atol=1e-300
        )
        np.testing.assert_allclose(
            xl.log_softmax(z, axis=axis), special.log_softmax(z, axis=axis), rtol=1e-13
        )
    np.testing.assert_allclose(xl.sigmoid(z), special.expit(z), rtol=1e-13, atol=1e-300)
    np.testing.assert_allclose(xl.log_sigmoid(z), special.log_expit(z), rtol=1e-13)


def test_logsumexp_edge_cases_match_scipy():
    special = pytest.importorskip("scipy.special")
    for z in (
        [0.0, -40.0],
        [3.0, 3.0, 3.0],
        [-np.inf, 0.0],
        [np.inf, 1.0],
        [-np.inf, -np.inf],
        [1e308, 1e308],
    ):
        np.testing.assert_allclose(xl.logsumexp(z), special.logsumexp(z), rtol=1e-13)
    assert xl.logsumexp(np.ones((2, 3)), axis=None) == pytest.approx(
        special.logsumexp(np.ones((2, 3))), rel=1e-13
    )


def test_information_matches_scipy():
    stats = pytest.importorskip("scipy.stats")
    special = pytest.importorskip("scipy.special")
    p, q = RNG.dirichlet(np.ones(6)), RNG.dirichlet(np.ones(6))
    p[2] = 0.0
    p /= p.sum()
    assert xl.entropy(p) == pytest.approx(stats.entropy(p), rel=1e-13)
    assert xl.entropy(p, base=2) == pytest.approx(stats.entropy(p, base=2), rel=1e-13)
    assert xl.kl_divergence(p, q) == pytest.approx(np.sum(special.rel_entr(p, q)), rel=1e-13)


# ---- scikit-learn --------------------------------------------------------------------
def test_cross_entropy_on_probs_matches_sklearn_log_loss():
    metrics = pytest.importorskip("sklearn.metrics")
    z, y, _, _ = _case()
    p = xl.softmax(z)
    assert xl.cross_entropy(y, probs=p) == pytest.approx(
        metrics.log_loss(y, p, labels=range(C)), rel=1e-12
    )
    yb = RNG.integers(0, 2, size=20).astype(float)
    pb = RNG.uniform(0.01, 0.99, size=20)
    assert xl.binary_cross_entropy(yb, probs=pb) == pytest.approx(
        metrics.log_loss(yb, pb), rel=1e-12
    )


# ---- PyTorch, from its committed answers (tools/make_golden.py) ------------------------
# Each comparison reads PyTorch 2.13.0's outputs, and the inputs it ran on, from
# tests/golden/torch.json, so it runs with or without PyTorch installed; tests/test_golden.py
# checks that PyTorch, where installed, still computes them.


@pytest.mark.parametrize("dtype", ["f64", "f32"])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("smoothing", [0.0, 0.15])
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("ignore", [None, 2], ids=["no-ignore", "ignore-2"])
def test_cross_entropy_and_grad_match_torch_index_targets(
    dtype, reduction, smoothing, weighted, ignore
):
    ref = golden.values(
        "cross_entropy_index",
        dtype=dtype,
        reduction=reduction,
        smoothing=smoothing,
        weighted=weighted,
        ignore=ignore,
    )
    z, y = ref["z"], ref["y"]
    kwargs = dict(
        weight=ref["weight"], ignore_index=ignore, label_smoothing=smoothing, reduction=reduction
    )
    tol = 1e-12 if dtype == "f64" else 2e-5
    loss, grad = xl.cross_entropy_with_grad(y, logits=z, **kwargs)
    assert np.asarray(loss).dtype == z.dtype and grad.dtype == z.dtype
    np.testing.assert_allclose(loss, ref["loss"], rtol=tol, atol=tol)
    np.testing.assert_allclose(
        xl.cross_entropy(y, logits=z, **kwargs), ref["loss"], rtol=tol, atol=tol
    )
    np.testing.assert_allclose(grad, ref["grad"], rtol=tol, atol=tol)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("smoothing", [0.0, 0.2])
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_cross_entropy_and_grad_match_torch_distribution_targets(reduction, smoothing, weighted):
    ref = golden.values(
        "cross_entropy_distribution", reduction=reduction, smoothing=smoothing, weighted=weighted
    )
    loss, grad = xl.cross_entropy_with_grad(
        ref["target"],
        logits=ref["z"],
        weight=ref["weight"],
        label_smoothing=smoothing,
        reduction=reduction,
    )
    np.testing.assert_allclose(loss, ref["loss"], rtol=1e-12)
    np.testing.assert_allclose(grad, ref["grad"], rtol=1e-12, atol=1e-15)


def test_single_row_and_scalar_index_match_torch():
    ref = golden.values("cross_entropy_one_row")
    assert xl.cross_entropy(ref["y"], logits=ref["z"]) == pytest.approx(
        float(ref["loss"]), rel=1e-13
    )


def test_seed_blog_post_example_matches_torch():
    ref = golden.values("seed_post_example")
    assert float(ref["cross_entropy_loss"]) == pytest.approx(0.8178, abs=5e-5)
    assert xl.cross_entropy(ref["y"], logits=ref["probs"]) == pytest.approx(
        float(ref["cross_entropy_loss"]), rel=1e-6
    )


def test_float32_loss_below_rounding_is_zero_as_in_torch():
    # Lesson 04 §8: for float32 logits [0, -20] the true loss log(1 + e^-20) ≈ 2.06e-9 is
    # lost in 1 + e^-20 == 1; xentlib's cross_entropy returns 0.0 as PyTorch does, while
    # xl.logsumexp (log1p) keeps it.
    ref = golden.values("float32_below_rounding")
    z = ref["z"]
    assert z.dtype == np.float32 and float(ref["loss"]) == 0.0
    assert float(xl.cross_entropy([0], logits=z)) == 0.0
    assert float(xl.logsumexp(z[0]) - z[0, 0]) == pytest.approx(np.exp(-20.0), rel=1e-3)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_nll_loss_matches_torch(reduction, weighted):
    ref = golden.values("nll_loss", reduction=reduction, weighted=weighted)
    np.testing.assert_allclose(
        xl.nll_loss(
            ref["y"], ref["log_probs"], weight=ref["weight"], ignore_index=3, reduction=reduction
        ),
        ref["loss"],
        rtol=1e-12,
    )


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("scale", ["ordinary", "huge"])
@pytest.mark.parametrize("options", ["plain", "weight", "pos_weight", "both"])
def test_binary_cross_entropy_with_logits_and_grad_match_torch(reduction, scale, options):
    ref = golden.values("bce_with_logits", reduction=reduction, scale=scale, options=options)
    z, y = ref["z"], ref["y"]
    kwargs = dict(weight=ref["weight"], pos_weight=ref["pos_weight"], reduction=reduction)
    # atol: far on the right side (z = -476, y = 0) the loss is log(1 + e^-476) ≈ 1.4e-207;
    # PyTorch adds e^-476 to 1 and returns 0, xentlib's log1p keeps it.
    np.testing.assert_allclose(
        xl.binary_cross_entropy(y, logits=z, **kwargs), ref["loss"], rtol=1e-12, atol=1e-200
    )
    np.testing.assert_allclose(
        xl.binary_cross_entropy_grad(y, logits=z, **kwargs), ref["grad"], rtol=1e-12, atol=1e-15
    )


def test_binary_cross_entropy_on_probs_matches_torch():
    ref = golden.values("bce_on_probs")
    assert xl.binary_cross_entropy(ref["y"], probs=ref["probs"], weight=ref["weight"]) == (
        pytest.approx(float(ref["loss"]), rel=1e-12)
    )


@pytest.mark.parametrize("alpha", [None, 0.25])
@pytest.mark.parametrize("gamma", [0.0, 2.0])
def test_binary_focal_loss_matches_torchvision_formula(alpha, gamma):
    # torchvision's sigmoid_focal_loss, verbatim, in PyTorch (tools/make_golden.py).
    ref = golden.values("binary_focal_loss", alpha=alpha, gamma=gamma)
    # atol: PyTorch's BCE-with-logits loses relative precision on tiny losses (a relative
    # error up to 2e-6 against a 50-digit reference; xentlib's stays within 2.2e-16, see
    # test_losses.py::test_binary_cross_entropy_is_accurate_to_the_last_digit).
    np.testing.assert_allclose(
        xl.binary_focal_loss(ref["y"], logits=ref["z"], gamma=gamma, alpha=alpha, reduction="none"),
        ref["loss"],
        rtol=1e-12,
        atol=1e-15,
    )


@pytest.mark.parametrize("alpha", [None, 0.25])
@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0])
def test_binary_focal_loss_grad_matches_autograd_of_torchvision_formula(alpha, gamma):
    # torchvision's sigmoid_focal_loss, verbatim, differentiated by PyTorch's autograd.
    ref = golden.values("binary_focal_loss_grad", alpha=alpha, gamma=gamma)
    # atol: autograd forms 1 − p_t by subtraction, which loses the last digits of a
    # gradient far below 1e-12 (xentlib computes 1 − p_t from σ(−z) and keeps them).
    np.testing.assert_allclose(
        xl.binary_focal_loss_grad(ref["y"], logits=ref["z"], gamma=gamma, alpha=alpha),
        ref["grad"],
        rtol=1e-9,
        atol=1e-14,
    )
