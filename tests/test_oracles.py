"""Optional reference oracles: PyTorch, SciPy and scikit-learn (skipped when not installed).

The course says "this is exactly what torch.nn.functional.cross_entropy computes"; these
tests are what make that sentence true.
"""

import numpy as np
import pytest

import xentlib as xl

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


# ---- PyTorch -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def torch():
    torch = pytest.importorskip("torch")
    torch.set_num_threads(1)
    return torch


def _t(torch, a, grad=False):
    return torch.tensor(np.asarray(a), requires_grad=grad)


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["f64", "f32"])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("smoothing", [0.0, 0.15])
@pytest.mark.parametrize("use_weight", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("ignore", [None, 2], ids=["no-ignore", "ignore-2"])
def test_cross_entropy_and_grad_match_torch_index_targets(
    torch, dtype, reduction, smoothing, use_weight, ignore
):
    F = torch.nn.functional
    z, y, w, _ = _case(dtype)
    y[1] = 2  # make sure the ignored class occurs
    weight = w if use_weight else None
    kwargs = dict(
        weight=weight, ignore_index=ignore, label_smoothing=smoothing, reduction=reduction
    )
    zt = _t(torch, z, grad=True)
    ref = F.cross_entropy(
        zt,
        _t(torch, y),
        weight=None if weight is None else _t(torch, weight),
        ignore_index=-100 if ignore is None else ignore,
        label_smoothing=smoothing,
        reduction=reduction,
    )
    ref.sum().backward()
    tol = 1e-12 if dtype == np.float64 else 2e-5
    loss, grad = xl.cross_entropy_with_grad(y, logits=z, **kwargs)
    assert np.asarray(loss).dtype == dtype and grad.dtype == dtype
    np.testing.assert_allclose(loss, ref.detach().numpy(), rtol=tol, atol=tol)
    np.testing.assert_allclose(
        xl.cross_entropy(y, logits=z, **kwargs), ref.detach().numpy(), rtol=tol, atol=tol
    )
    np.testing.assert_allclose(grad, zt.grad.numpy(), rtol=tol, atol=tol)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("smoothing", [0.0, 0.2])
@pytest.mark.parametrize("use_weight", [False, True], ids=["unweighted", "weighted"])
def test_cross_entropy_and_grad_match_torch_distribution_targets(
    torch, reduction, smoothing, use_weight
):
    F = torch.nn.functional
    z, _, w, t = _case()
    weight = w if use_weight else None
    zt = _t(torch, z, grad=True)
    ref = F.cross_entropy(
        zt,
        _t(torch, t),
        weight=None if weight is None else _t(torch, weight),
        label_smoothing=smoothing,
        reduction=reduction,
    )
    ref.sum().backward()
    loss, grad = xl.cross_entropy_with_grad(
        t, logits=z, weight=weight, label_smoothing=smoothing, reduction=reduction
    )
    np.testing.assert_allclose(loss, ref.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(grad, zt.grad.numpy(), rtol=1e-12, atol=1e-15)


def test_single_row_and_scalar_index_match_torch(torch):
    z = np.array([0.1, 2.0, -1.0])
    ref = torch.nn.functional.cross_entropy(_t(torch, z), torch.tensor(1))
    assert xl.cross_entropy(1, logits=z) == pytest.approx(float(ref), rel=1e-13)


def test_seed_blog_post_example_matches_torch(torch):
    y_hat = [[0.1, 0.4, 0.5], [0.8, 0.1, 0.1]]
    ref = torch.nn.CrossEntropyLoss()(torch.tensor(y_hat), torch.tensor([2, 0]))
    assert float(ref) == pytest.approx(0.8178, abs=5e-5)
    assert xl.cross_entropy([2, 0], logits=y_hat) == pytest.approx(float(ref), rel=1e-6)


def test_float32_loss_below_rounding_is_zero_as_in_torch(torch):
    # Lesson 04 §8: for float32 logits [0, -20] the true loss log(1 + e^-20) ≈ 2.06e-9 is
    # lost in 1 + e^-20 == 1; xentlib's cross_entropy returns 0.0 as PyTorch does, while
    # xl.logsumexp (log1p) keeps it.
    z = np.array([[0.0, -20.0]], dtype=np.float32)
    ref = torch.nn.functional.cross_entropy(torch.tensor(z), torch.tensor([0]))
    assert float(ref) == 0.0
    assert float(xl.cross_entropy([0], logits=z)) == 0.0
    assert float(xl.logsumexp(z[0]) - z[0, 0]) == pytest.approx(np.exp(-20.0), rel=1e-3)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("use_weight", [False, True], ids=["unweighted", "weighted"])
def test_nll_loss_matches_torch(torch, reduction, use_weight):
    z, y, w, _ = _case()
    logp = xl.log_softmax(z)
    weight = w if use_weight else None
    ref = torch.nn.functional.nll_loss(
        _t(torch, logp),
        _t(torch, y),
        weight=None if weight is None else _t(torch, weight),
        ignore_index=3,
        reduction=reduction,
    )
    np.testing.assert_allclose(
        xl.nll_loss(y, logp, weight=weight, ignore_index=3, reduction=reduction),
        ref.numpy(),
        rtol=1e-12,
    )


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("scale", [3.0, 1e4], ids=["ordinary", "huge"])
@pytest.mark.parametrize("options", ["plain", "weight", "pos_weight", "both"])
def test_binary_cross_entropy_with_logits_and_grad_match_torch(torch, reduction, scale, options):
    F = torch.nn.functional
    z = RNG.normal(size=(6, 3)) * scale
    y = RNG.integers(0, 2, size=(6, 3)).astype(float)
    y[0, 0] = 0.3  # a soft label
    weight = RNG.uniform(0.5, 2, size=(6, 3)) if options in ("weight", "both") else None
    pos_weight = RNG.uniform(0.5, 4, size=3) if options in ("pos_weight", "both") else None
    zt = _t(torch, z, grad=True)
    ref = F.binary_cross_entropy_with_logits(
        zt,
        _t(torch, y),
        weight=None if weight is None else _t(torch, weight),
        pos_weight=None if pos_weight is None else _t(torch, pos_weight),
        reduction=reduction,
    )
    ref.sum().backward()
    kwargs = dict(weight=weight, pos_weight=pos_weight, reduction=reduction)
    # atol: losses of ~1e-321 (denormals) differ in their last bits between libraries.
    np.testing.assert_allclose(
        xl.binary_cross_entropy(y, logits=z, **kwargs),
        ref.detach().numpy(),
        rtol=1e-12,
        atol=1e-300,
    )
    np.testing.assert_allclose(
        xl.binary_cross_entropy_grad(y, logits=z, **kwargs), zt.grad.numpy(), rtol=1e-12, atol=1e-15
    )


def test_binary_cross_entropy_on_probs_matches_torch(torch):
    p = RNG.uniform(0.001, 0.999, size=(5, 4))
    y = RNG.integers(0, 2, size=(5, 4)).astype(float)
    w = RNG.uniform(0.5, 2, size=(5, 4))
    ref = torch.nn.functional.binary_cross_entropy(_t(torch, p), _t(torch, y), weight=_t(torch, w))
    assert xl.binary_cross_entropy(y, probs=p, weight=w) == pytest.approx(float(ref), rel=1e-12)


@pytest.mark.parametrize("alpha", [None, 0.25])
@pytest.mark.parametrize("gamma", [0.0, 2.0])
def test_binary_focal_loss_matches_torchvision_formula(torch, alpha, gamma):
    # torchvision is not installed here (no CPU build); this is its sigmoid_focal_loss verbatim.
    F = torch.nn.functional
    z = RNG.normal(size=(8, 2)) * 3
    y = RNG.integers(0, 2, size=(8, 2)).astype(float)
    inputs, targets = _t(torch, z), _t(torch, y)
    p = torch.sigmoid(inputs)
    ce = F.binary_cross_entropy_with_logits(inputs, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce * ((1 - p_t) ** gamma)
    if alpha is not None and alpha >= 0:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
    # atol: PyTorch's BCE-with-logits loses relative precision on tiny losses (a relative
    # error up to 2e-6 against a 50-digit reference; xentlib's stays within 2.2e-16, see
    # test_losses.py::test_binary_cross_entropy_is_accurate_to_the_last_digit).
    np.testing.assert_allclose(
        xl.binary_focal_loss(y, logits=z, gamma=gamma, alpha=alpha, reduction="none"),
        loss.numpy(),
        rtol=1e-12,
        atol=1e-15,
    )


@pytest.mark.parametrize("alpha", [None, 0.25])
@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0])
def test_binary_focal_loss_grad_matches_autograd_of_torchvision_formula(torch, alpha, gamma):
    # torchvision's sigmoid_focal_loss, verbatim, differentiated by PyTorch's autograd.
    F = torch.nn.functional
    z = np.clip(RNG.normal(size=(8, 3)) * 4, -12, 12)
    y = RNG.integers(0, 2, size=(8, 3)).astype(float)
    y[0, :] = [0.3, 0.7, 0.5]  # soft labels
    inputs, targets = _t(torch, z, grad=True), _t(torch, y)
    p = torch.sigmoid(inputs)
    ce = F.binary_cross_entropy_with_logits(inputs, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce * ((1 - p_t) ** gamma)
    if alpha is not None and alpha >= 0:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
    loss.mean().backward()
    # atol: autograd forms 1 − p_t by subtraction, which loses the last digits of a
    # gradient far below 1e-12 (xentlib computes 1 − p_t from σ(−z) and keeps them).
    np.testing.assert_allclose(
        xl.binary_focal_loss_grad(y, logits=z, gamma=gamma, alpha=alpha),
        inputs.grad.numpy(),
        rtol=1e-9,
        atol=1e-14,
    )
