"""The one cross-entropy kernel: every target form through Targets, blocks, layouts, precision."""

import decimal
import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import xentlib as xl
from xentlib import losses
from xentlib.losses import Targets, loss_and_grad

W = np.array([0.5, 2.0, 1.0, 3.0])


@pytest.mark.parametrize(
    ("weighted", "smoothing", "order"),
    list(itertools.product([False, True], [0.0, 0.2], "CF")),
    ids=lambda v: str(v),
)
def test_index_targets_equal_their_dense_target_matrix(weighted, smoothing, order):
    rng = np.random.default_rng(0)
    y = rng.integers(0, 4, size=40)
    z = np.asarray(rng.normal(scale=5, size=(40, 4)), order=order)
    z[0] = [300.0, -300.0, 0.0, 1e-3]  # an extreme row must not overflow
    w = W if weighted else None
    index = Targets.from_indices(y, 4, weight=w, label_smoothing=smoothing)
    # the same targets written out: a_ic = w_c ((1 − ε)[c = y_i] + ε / C)
    a = ((1 - smoothing) * np.eye(4)[y] + smoothing / 4) * (1.0 if w is None else w)
    dense = Targets(None, None, a, index.sample_weight)
    for t in (index, dense):
        assert t.denominator == pytest.approx(np.sum(W[y]) if weighted else 40)
    loss_i, grad_i = loss_and_grad(z.copy(order="A"), index)
    loss_d, grad_d = loss_and_grad(z.copy(order="A"), dense)
    np.testing.assert_allclose(loss_i, loss_d, rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(grad_i, grad_d, rtol=1e-12, atol=1e-15)
    ref_loss, ref_grad = xl.cross_entropy_with_grad(
        y, logits=z, weight=w, label_smoothing=smoothing
    )
    assert loss_i.sum() / index.denominator == pytest.approx(float(ref_loss), rel=1e-13)
    np.testing.assert_allclose(grad_i / index.denominator, ref_grad, rtol=1e-12, atol=1e-15)


def test_a_mini_batch_of_targets_is_the_targets_of_the_mini_batch():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 4, size=30)
    keep = rng.random(30) > 0.2
    full = Targets.from_indices(y, 4, weight=W, keep=keep, label_smoothing=0.1)
    rows = rng.permutation(30)[:11]
    part = Targets.from_indices(y[rows], 4, weight=W, keep=keep[rows], label_smoothing=0.1)
    z = rng.normal(size=(11, 4))
    for got, expected in zip(
        loss_and_grad(z, full.take(rows)), loss_and_grad(z, part), strict=True
    ):
        np.testing.assert_array_equal(got, expected)
    assert full.take(rows).denominator == part.denominator


@pytest.mark.parametrize("shape", [(70_000, 3), (300, 1000)], ids=["narrow", "wide"])
def test_the_blocked_forward_pass_equals_one_pass(shape):
    rng = np.random.default_rng(2)
    z = rng.normal(scale=4, size=shape)
    y = rng.integers(0, shape[1], size=shape[0])
    t = Targets.from_indices(y, shape[1])
    assert shape[0] * shape[1] > losses._BLOCK_ELEMENTS  # more than one block
    np.testing.assert_allclose(losses._forward_in_blocks(z, t), loss_and_grad(z, t)[0], rtol=1e-15)


def test_a_confident_right_answer_costs_what_float64_can_hold():
    # −log softmax([0, −40, −40])_0 = log(1 + 2e^−40) ≈ 8.5e-18. Forming 1 + 8.5e-18 rounds
    # it to 1, so the loss is exactly 0, as in PyTorch; log-sum-exp's log1p path keeps it.
    z = np.array([[0.0, -40.0, -40.0]])
    assert xl.cross_entropy([0], logits=z) == 0.0
    kept = xl.logsumexp(z[0])
    assert kept == pytest.approx(2 * np.exp(-40.0), rel=1e-12) and kept > 0
    # a loss above the rounding of 1 is computed to full relative precision
    z = np.array([[20.0, 0.0, 0.0]])
    assert float(xl.cross_entropy([0], logits=z)) == pytest.approx(
        np.log1p(2 * np.exp(-20.0)), rel=1e-7
    )


def _bce_reference(y: float, z: float) -> float:
    """y·log(1 + e^−z) + (1 − y)·log(1 + e^z), with 400 significant digits (e^−700 ≈ 1e-304
    must survive being added to 1)."""
    with decimal.localcontext() as ctx:
        ctx.prec = 400
        Z, Y, one = decimal.Decimal(z), decimal.Decimal(y), decimal.Decimal(1)
        return float(Y * (one + (-Z).exp()).ln() + (one - Y) * (one + Z.exp()).ln())


def test_binary_cross_entropy_is_accurate_to_the_last_digit():
    zs = np.concatenate([np.linspace(-40, 40, 161), [-700.0, -1e-8, 1e-8, 700.0]])
    for y in (0.0, 1.0, 0.3):
        got = xl.binary_cross_entropy(np.full(len(zs), y), logits=zs, reduction="none")
        want = np.array([_bce_reference(y, z) for z in zs])
        np.testing.assert_allclose(got, want, rtol=4e-16, atol=0)


@pytest.mark.parametrize("order", "CF")
def test_the_gradient_can_overwrite_the_logits(order):
    """``out=logits`` (the models' training step) gives the same loss and gradient."""
    rng = np.random.default_rng(3)
    y = rng.integers(0, 5, size=300)
    z = np.asarray(rng.normal(scale=4, size=(300, 5)), order=order)
    t = Targets.from_indices(y, 5, weight=np.arange(1.0, 6.0), label_smoothing=0.1)
    loss, grad = loss_and_grad(z.copy(order="A"), t)
    buffer = z.copy(order="A")
    loss_in_place, grad_in_place = loss_and_grad(buffer, t, out=buffer)
    assert grad_in_place is buffer
    np.testing.assert_array_equal(loss_in_place, loss)
    np.testing.assert_array_equal(grad_in_place, grad)


@pytest.mark.parametrize("order", ["C", "F", "strided"])
def test_pick_gathers_each_rows_target_score(order):
    rng = np.random.default_rng(4)
    y = rng.integers(0, 4, size=50)
    wide = rng.normal(size=(50, 8))
    z = wide[:, ::2] if order == "strided" else np.asarray(wide[:, :4], order=order)
    t = Targets.from_indices(y, 4)
    np.testing.assert_array_equal(t.pick(z), z[np.arange(50), y])
    np.testing.assert_array_equal(t.pick(z), z[np.arange(50), y])  # cached positions


def test_a_batch_without_weight_has_nan_mean_loss_and_zero_gradient():
    """Every sample ignored (PyTorch: loss NaN, gradient 0) or of a class weighted 0: no
    ZeroDivisionError, nothing to learn."""
    z = np.array([[1.0, 2.0], [0.0, 1.0]])
    for kwargs in ({"ignore_index": -100}, {"weight": [0.0, 1.0]}):
        y = [-100, -100] if "ignore_index" in kwargs else [0, 0]
        loss, grad = xl.cross_entropy_with_grad(y, logits=z, **kwargs)
        assert np.isnan(loss)
        np.testing.assert_array_equal(grad, np.zeros_like(z))
        loss, grad = xl.cross_entropy_with_grad(y, logits=z, reduction="sum", **kwargs)
        assert loss == 0.0
        np.testing.assert_array_equal(grad, np.zeros_like(z))


# ---- the fast kernel equals the readable one -------------------------------------------
@st.composite
def _batches(draw):
    """Logits (some −∞, never a whole row) in a memory layout, and targets in any form."""
    n, c = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    entries = st.one_of(st.floats(-1e3, 1e3), st.just(-np.inf))
    z = np.array(draw(st.lists(st.lists(entries, min_size=c, max_size=c), min_size=n, max_size=n)))
    z[np.isneginf(z).all(axis=1), 0] = draw(st.floats(-1e3, 1e3))
    layout = draw(st.sampled_from(["C", "F", "strided"]))
    if layout == "strided":
        wide = np.full((2 * n, c), 7.0)
        wide[::2] = z
        z = wide[::2]
    else:
        z = np.asarray(z, order=layout)
    weight = draw(st.none() | st.lists(st.floats(0.1, 5), min_size=c, max_size=c).map(np.array))
    smoothing = draw(st.sampled_from([0.0, 0.1, 1.0]))
    if draw(st.booleans()):  # class indices, some ignored
        y = np.array(draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n)))
        keep = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
        targets = Targets.from_indices(y, c, weight=weight, keep=keep, label_smoothing=smoothing)
    else:  # distributions
        raw = draw(
            st.lists(st.lists(st.floats(0, 1), min_size=c, max_size=c), min_size=n, max_size=n)
        )
        t = np.array(raw) + 1e-3
        t /= t.sum(axis=1, keepdims=True)
        targets = Targets.from_distributions(t, weight=weight, label_smoothing=smoothing)
    return z, targets


@settings(max_examples=300, deadline=None)
@given(_batches())
def test_the_fast_kernel_equals_the_readable_one(batch):
    """loss_and_grad (in place, flat gathers, blocks: speed only) computes what the six
    lines of loss_and_grad_reference say, softmax(z) − onehot, for every target form."""
    z, targets = batch
    want_loss, want_grad = losses.loss_and_grad_reference(z, targets)
    got_loss, got_grad = loss_and_grad(z.copy(order="A"), targets)
    scale = 1 + np.abs(z[np.isfinite(z)]).max() * (1 + np.abs(targets.mass).max())
    np.testing.assert_allclose(got_loss, want_loss, rtol=1e-9, atol=1e-12 * scale)
    np.testing.assert_allclose(got_grad, want_grad, rtol=1e-9, atol=1e-12 * scale)
    blocked = losses._forward_in_blocks(z, targets)
    np.testing.assert_allclose(blocked, want_loss, rtol=1e-9, atol=1e-12 * scale)
    out = np.zeros((2 * z.shape[0], z.shape[1]))[::2]  # the gradient into a strided view
    assert loss_and_grad(z.copy(), targets, out=out)[1] is out
    np.testing.assert_allclose(out, want_grad, rtol=1e-9, atol=1e-12 * scale)


def test_the_readable_kernel_is_six_lines():
    import inspect

    source = inspect.getsource(losses.loss_and_grad_reference)
    body = source[source.index('"""', source.index('"""') + 3) + 3 :]
    code = [line for line in body.splitlines() if line.strip() and not line.strip().startswith("#")]
    assert len(code) <= 6, code


# ---- one check-and-reduce helper for every loss ------------------------------------------
LOSSES = {
    "cross_entropy": lambda pred, r: xl.cross_entropy([2, 0], logits=pred, reduction=r),
    "cross_entropy(probs)": lambda pred, r: xl.cross_entropy(
        [2, 0], probs=xl.softmax(pred), reduction=r
    ),
    "cross_entropy_with_grad": lambda pred, r: xl.cross_entropy_with_grad(
        [2, 0], logits=pred, reduction=r
    ),
    "nll_loss": lambda pred, r: xl.nll_loss([2, 0], xl.log_softmax(pred), reduction=r),
    "focal_loss": lambda pred, r: xl.focal_loss([2, 0], logits=pred, reduction=r),
    "brier_score": lambda pred, r: xl.brier_score([2, 0], xl.softmax(pred), reduction=r),
    "squared_error_with_grad": lambda pred, r: xl.squared_error_with_grad(
        [2, 0], logits=pred, reduction=r
    ),
    "multiclass_hinge_with_grad": lambda pred, r: xl.multiclass_hinge_with_grad(
        [2, 0], pred, reduction=r
    ),
    "binary_cross_entropy": lambda pred, r: xl.binary_cross_entropy(
        (pred > 0.3).astype(pred.dtype), logits=pred, reduction=r
    ),
    "binary_cross_entropy_grad": lambda pred, r: xl.binary_cross_entropy_grad(
        (pred > 0.3).astype(pred.dtype), logits=pred, reduction=r
    ),
    "binary_focal_loss": lambda pred, r: xl.binary_focal_loss(
        (pred > 0.3).astype(pred.dtype), logits=pred, reduction=r
    ),
    "binary_focal_loss_grad": lambda pred, r: xl.binary_focal_loss_grad(
        (pred > 0.3).astype(pred.dtype), logits=pred, reduction=r
    ),
}
PRED = np.array([[0.1, 0.4, 0.5], [0.8, 0.1, 0.1]])


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_every_loss_checks_and_reduces_through_one_helper(name):
    """losses._Call, scoring._Rows and binary._prepare/_reduce were three helpers with three
    behaviours; now every loss checks its reduction and reduces through LossCall: the same
    message, the mean is the sum over the count, float16 is computed in float32 and returned
    in float16."""
    loss = LOSSES[name]
    with pytest.raises(ValueError) as caught:
        loss(PRED, "avg")
    assert str(caught.value).startswith("reduction must be one of 'mean', 'sum', 'none'; got 'avg'")

    def first(result):
        return result[0] if isinstance(result, tuple) else result

    total, mean = first(loss(PRED, "sum")), first(loss(PRED, "mean"))
    count = PRED.size if name.startswith("binary") else len(PRED)
    np.testing.assert_allclose(mean, np.asarray(total) / count, rtol=1e-12)
    for reduction in ("mean", "sum", "none"):
        result = loss(PRED.astype(np.float16), reduction)
        for part in result if isinstance(result, tuple) else (result,):
            assert np.asarray(part).dtype == np.float16, (reduction, part)


def test_no_loss_module_reduces_on_its_own():
    import inspect

    from xentlib import binary, scoring

    for module in (losses, binary, scoring):
        source = inspect.getsource(module)
        assert "reduction ==" not in source and "np.mean(" not in source, module.__name__
        assert "LossCall(" in source, module.__name__
