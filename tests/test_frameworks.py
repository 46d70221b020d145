"""Every claim of lesson 12 (frameworks and pitfalls), checked against the frameworks.

The lesson runs without any framework installed: it reproduces PyTorch's, Keras's and
scikit-learn's conventions with xentlib and NumPy and quotes the numbers they give. These
tests are what make those sentences true:

- scikit-learn is a dev dependency, so its tests always run;
- PyTorch's tests run when it is installed (``pip install torch==2.13.0``) and are skipped
  otherwise;
- Keras and TensorFlow are *not* installed in the course's environment. The Keras tests
  reproduce Keras 3's documented formula (``keras/src/backend/numpy/nn.py``: divide each row
  by its sum, clip to [ε, 1 − ε] with ``keras.config.epsilon()`` = 1e-7, minus the log; the
  losses' default reduction ``"sum_over_batch_size"`` divides by the batch size) and check
  it against the numbers printed in Keras's own docstrings.

The inputs are the lesson's, so each number below is a number the lesson prints.
"""

import inspect
import math
import warnings

import numpy as np
import pytest

import xentlib as xl

SEED_PROBS = np.array([[0.1, 0.4, 0.5], [0.8, 0.1, 0.1]])
SEED_LABELS = np.array([2, 0])
WEIGHTED_PROBS = np.array([[0.2, 0.3, 0.5], [0.5, 0.2, 0.3]])  # pytorch#25571's example
WEIGHTED_LABELS = np.array([2, 1])
CLASS_WEIGHT = np.array([2.0, 4.0, 6.0])
KERAS_EPSILON = 1e-7


def _floor(n_classes):
    return math.log(1 + (n_classes - 1) / math.e)


def _blobs():
    X, y = xl.datasets.make_blobs(300, n_classes=3, seed=0)
    return np.hstack([X, np.ones((len(X), 1))]), y


def _big_blobs():
    X, y = xl.datasets.make_blobs(3000, n_classes=3, spread=2.0, seed=1)
    return np.hstack([X, np.ones((len(X), 1))]), y


def _padded_batch():
    rng = np.random.default_rng(5)
    tokens = np.array([3, 1, 4, 0, 2, 1, -100, -100])
    return tokens, rng.normal(size=(8, 5))


def _table_inputs():
    rng = np.random.default_rng(0)
    z = rng.normal(size=(4, 3))
    y = np.array([0, 2, 1, 2])
    z_bin, y_bin = rng.normal(size=4), np.array([1.0, 0.0, 0.0, 1.0])
    Z = rng.normal(size=(4, 3))
    Y = np.array([[1.0, 0.0, 1.0], [0.0, 0.0, 0.0], [1.0, 1.0, 0.0], [0.0, 1.0, 0.0]])
    return z, y, z_bin, y_bin, Z, Y, np.array([1.0, 2.0, 0.5])


def _keras_crossentropy(y_true, probs, eps=KERAS_EPSILON):
    """Keras 3's sparse_categorical_crossentropy, from_logits=False, per sample."""
    probs = np.asarray(probs, dtype=float)
    probs = probs / probs.sum(axis=-1, keepdims=True)
    probs = np.clip(probs, eps, 1 - eps)
    return -np.log(probs[np.arange(len(y_true)), y_true])


# ---- §1 the seed post's example ------------------------------------------------------
def test_seed_example_numbers_in_xentlib():
    assert float(xl.cross_entropy(SEED_LABELS, logits=SEED_PROBS)) == pytest.approx(
        0.8178, abs=5e-5
    )
    assert float(xl.cross_entropy(SEED_LABELS, probs=SEED_PROBS)) == pytest.approx(0.4581, abs=5e-5)
    np.testing.assert_allclose(
        xl.softmax(SEED_PROBS[0]).round(4), [0.2603, 0.3514, 0.3883], atol=1e-12
    )


@pytest.fixture(scope="module")
def torch():
    torch = pytest.importorskip("torch")
    torch.set_num_threads(1)
    return torch


def _t(torch, a, grad=False):
    return torch.tensor(np.asarray(a), requires_grad=grad)


def test_seed_example_in_torch(torch):
    F = torch.nn.functional
    y_hat, y = torch.tensor(SEED_PROBS.tolist()), torch.tensor([2, 0])  # float32, as the post
    assert float(torch.nn.CrossEntropyLoss()(y_hat, y)) == pytest.approx(0.8178, abs=5e-5)
    assert float(F.cross_entropy(torch.log(y_hat), y)) == pytest.approx(0.4581, abs=5e-5)
    assert float(F.nll_loss(torch.log(y_hat), y)) == pytest.approx(0.4581, abs=5e-5)


# ---- §2 the double-softmax floor -----------------------------------------------------
def test_floor_values():
    assert _floor(3) == pytest.approx(0.5514, abs=5e-5)
    assert _floor(10) == pytest.approx(1.4612, abs=5e-5)
    assert _floor(1000) == pytest.approx(5.9095, abs=5e-5)
    assert math.log(1000) == pytest.approx(6.9078, abs=5e-5)
    assert xl.exercises.lesson(12).q1.reference() == pytest.approx(_floor(10), rel=1e-12)


@pytest.mark.parametrize("n_classes", [2, 3, 10, 100])
def test_floor_is_reached_at_one_hot_inputs_in_torch(torch, n_classes):
    F = torch.nn.functional
    one_hot = torch.eye(n_classes, dtype=torch.float64)  # the most peaked probability vectors
    loss = F.cross_entropy(one_hot, torch.arange(n_classes), reduction="none")
    np.testing.assert_allclose(loss.numpy(), _floor(n_classes), rtol=1e-12)
    q = np.random.default_rng(12).dirichlet(np.ones(n_classes), size=20_000)
    losses = F.cross_entropy(_t(torch, q), torch.zeros(len(q), dtype=torch.long), reduction="none")
    assert float(losses.min()) >= _floor(n_classes) - 1e-12


def test_double_softmax_training_run_plateaus_at_the_floor_in_torch(torch):
    """The lesson's run, in PyTorch: softmax outputs into nn.CrossEntropyLoss."""
    X, y = _blobs()
    Xt, yt = _t(torch, X), _t(torch, y)
    loss_fn = torch.nn.CrossEntropyLoss()
    results = {}
    for double in (False, True):
        W = torch.zeros((3, 3), dtype=torch.float64, requires_grad=True)
        for _ in range(300):
            z = Xt @ W
            loss = loss_fn(torch.softmax(z, dim=1) if double else z, yt)
            W.grad = None
            loss.backward()
            with torch.no_grad():
                W -= 1.0 * W.grad
        results[double] = loss.item(), loss_fn(Xt @ W, yt).item()
    assert results[False][0] == pytest.approx(0.0259, abs=5e-5)
    reported, own = results[True]
    assert _floor(3) < reported < _floor(3) + 0.02  # 0.5617: just above the floor
    assert reported == pytest.approx(0.5617, abs=5e-5)
    assert own == pytest.approx(0.0279, abs=5e-5)  # the model itself learned


def test_gradient_through_both_softmaxes_matches_autograd(torch):
    """The lesson back-propagates by hand: q ⊙ (g − (g·q)), softmax's Jacobian."""
    z = np.random.default_rng(3).normal(size=(6, 3)) * 2
    y = np.array([0, 1, 2, 2, 1, 0])
    q = xl.softmax(z)
    _, grad_q = xl.cross_entropy_with_grad(y, logits=q)
    grad_z = q * (grad_q - np.sum(grad_q * q, axis=1, keepdims=True))
    zt = _t(torch, z, grad=True)
    torch.nn.functional.cross_entropy(torch.softmax(zt, dim=1), _t(torch, y)).backward()
    np.testing.assert_allclose(grad_z, zt.grad.numpy(), rtol=1e-10, atol=1e-14)


# ---- §3 log-probabilities are valid logits -------------------------------------------
def test_log_softmax_outputs_are_valid_logits(torch):
    F = torch.nn.functional
    z = np.array([[2.0, -1.0, 0.5], [0.3, 0.2, -2.0]])
    y = np.array([0, 2])
    zt, yt = _t(torch, z), _t(torch, y)
    right = float(F.cross_entropy(zt, yt))
    assert right == pytest.approx(1.6185, abs=5e-5)
    assert float(F.cross_entropy(F.log_softmax(zt, dim=1), yt)) == pytest.approx(right, rel=1e-12)
    assert float(F.nll_loss(F.log_softmax(zt, dim=1), yt)) == pytest.approx(right, rel=1e-12)
    assert float(F.cross_entropy(F.softmax(zt, dim=1), yt)) == pytest.approx(1.0515, abs=5e-5)


# ---- §4 nll_loss takes log-probabilities ---------------------------------------------
def test_nll_loss_on_probabilities_is_minus_their_mean_in_torch(torch):
    y_hat, y = torch.tensor(SEED_PROBS.tolist()), torch.tensor([2, 0])
    for loss in (torch.nn.NLLLoss()(y_hat, y), torch.nn.functional.nll_loss(y_hat, y)):
        assert float(loss) == pytest.approx(-(0.5 + 0.8) / 2, abs=1e-7)  # tensor(-0.6500)
    # logits that happen to be all negative pass xentlib's check: 0.35, silently wrong
    assert float(torch.nn.functional.nll_loss(y_hat - 1, y)) == pytest.approx(0.35, abs=1e-6)
    assert float(xl.nll_loss(SEED_LABELS, SEED_PROBS - 1)) == pytest.approx(0.35, abs=1e-12)
    # The lesson's NumPy mirror of F.nll_loss's documented formula, l_n = -x[n, y_n]:
    assert -np.mean(SEED_PROBS[np.arange(2), SEED_LABELS]) == pytest.approx(-0.65, abs=1e-12)


def test_torch_documents_what_each_loss_expects(torch):
    def doc(cls):
        return " ".join(cls.__doc__.split())

    assert "The `input` is expected to contain the unnormalized logits" in doc(
        torch.nn.CrossEntropyLoss
    )
    assert "expected to contain log-probabilities of each class" in doc(torch.nn.NLLLoss)
    assert "clamps its log function outputs to be greater than or equal to -100" in doc(
        torch.nn.BCELoss
    )
    signature = inspect.signature(torch.nn.functional.cross_entropy)
    assert signature.parameters["ignore_index"].default == -100
    assert signature.parameters["reduction"].default == "mean"


def test_xentlib_nll_loss_refuses_probabilities_and_says_why():
    with pytest.raises(ValueError, match="log-probabilities") as info:
        xl.nll_loss(SEED_LABELS, SEED_PROBS)
    assert "did you pass probabilities or logits?" in str(info.value)


def test_gradient_of_nll_on_probabilities_vanishes_when_confidently_wrong(torch):
    p = 0.001
    z = torch.tensor([math.log(p), math.log(1 - p)], dtype=torch.float64, requires_grad=True)
    (-torch.softmax(z, dim=0)[0]).backward()  # nll_loss on probabilities: -p
    assert float(z.grad[0]) == pytest.approx(-p * (1 - p), rel=1e-10)
    assert round(float(z.grad[0]), 4) == -0.0010
    z.grad = None
    torch.nn.functional.cross_entropy(z[None], torch.tensor([0])).backward()
    assert float(z.grad[0]) == pytest.approx(p - 1, rel=1e-10)  # -0.9990


# ---- §5 ignore_index ----------------------------------------------------------------
def test_ignore_index_leaves_the_denominator_in_torch(torch):
    tokens, logits = _padded_batch()
    keep = tokens != -100
    per_token = -xl.log_softmax(logits[keep])[np.arange(keep.sum()), tokens[keep]]
    ref = float(torch.nn.functional.cross_entropy(_t(torch, logits), _t(torch, tokens)))
    assert ref == pytest.approx(per_token.mean(), rel=1e-12)  # the default ignores -100
    assert ref == pytest.approx(2.2687, abs=5e-5)
    assert float(xl.cross_entropy(tokens, logits=logits, ignore_index=-100)) == pytest.approx(ref)
    assert per_token.sum() / len(tokens) == pytest.approx(1.7015, abs=5e-5)  # the masked mean


def test_xentlib_refuses_an_unannounced_ignore_label():
    tokens, logits = _padded_batch()
    with pytest.raises(ValueError, match="ignore_index"):
        xl.cross_entropy(tokens, logits=logits)


# ---- §6 mean vs sum -----------------------------------------------------------------
@pytest.mark.parametrize("n", [10, 100, 1000, 3000])
def test_gradient_of_the_sum_is_n_times_the_mean_in_torch(torch, n):
    X, y = _big_blobs()
    grads = {}
    for reduction in ("mean", "sum"):
        W = torch.zeros((3, 3), dtype=torch.float64, requires_grad=True)
        loss = torch.nn.functional.cross_entropy(
            _t(torch, X[:n]) @ W, _t(torch, y[:n]), reduction=reduction
        )
        loss.backward()
        grads[reduction] = W.grad.numpy()
        _, g = xl.cross_entropy_with_grad(
            y[:n], logits=X[:n] @ np.zeros((3, 3)), reduction=reduction
        )
        np.testing.assert_allclose(X[:n].T @ g, grads[reduction], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(grads["sum"], n * grads["mean"], rtol=1e-10, atol=1e-12)


def test_same_learning_rate_diverges_with_the_sum_in_torch(torch):
    X, y = _big_blobs()
    Xt, yt = _t(torch, X), _t(torch, y)
    final = {}
    for reduction in ("mean", "sum"):
        W = torch.zeros((3, 3), dtype=torch.float64, requires_grad=True)
        curve = []
        for _ in range(50):
            curve.append(torch.nn.functional.cross_entropy(Xt @ W, yt).item())
            loss = torch.nn.functional.cross_entropy(Xt @ W, yt, reduction=reduction)
            W.grad = None
            loss.backward()
            with torch.no_grad():
                W -= 0.5 * W.grad
        final[reduction] = curve[-1], max(curve)
    assert final["mean"][0] == pytest.approx(0.401, abs=5e-4)
    assert final["sum"][0] > 140 and final["sum"][1] == pytest.approx(1244.3, abs=0.05)


# ---- §7 the weighted mean ------------------------------------------------------------
def test_weighted_mean_divides_by_the_targets_weights_in_torch(torch):
    F = torch.nn.functional
    logp, y = _t(torch, np.log(WEIGHTED_PROBS)), _t(torch, WEIGHTED_LABELS)
    w = _t(torch, CLASS_WEIGHT)
    mean = float(F.cross_entropy(logp, y, weight=w))
    total = float(F.cross_entropy(logp, y, weight=w, reduction="sum"))
    assert mean == pytest.approx(1.0597, abs=5e-5)
    assert mean == pytest.approx(total / CLASS_WEIGHT[WEIGHTED_LABELS].sum(), rel=1e-12)
    assert total / 2 == pytest.approx(5.2983, abs=5e-5)  # ÷ N: not what PyTorch does
    assert total / CLASS_WEIGHT.sum() == pytest.approx(0.8831, abs=5e-5)  # ÷ Σ all weights
    assert float(F.nll_loss(logp, y, weight=w)) == pytest.approx(mean, rel=1e-12)
    equal = float(F.cross_entropy(logp, y, weight=_t(torch, np.full(3, 3.0))))
    assert equal == pytest.approx(float(F.cross_entropy(logp, y)), rel=1e-12)  # 1.1513


def test_the_issues_own_numbers_in_torch(torch):
    """pytorch#25571 passed the probabilities as logits and got 1.0598, expecting 5.2992."""
    F = torch.nn.functional
    logits, y = _t(torch, WEIGHTED_PROBS), _t(torch, WEIGHTED_LABELS)
    w = _t(torch, CLASS_WEIGHT)
    per_sample = F.cross_entropy(logits, y, weight=w, reduction="none").numpy()
    np.testing.assert_allclose(per_sample, [5.6390, 4.9593], atol=5e-5)
    assert float(F.cross_entropy(logits, y, weight=w)) == pytest.approx(1.0598, abs=5e-5)
    assert per_sample.sum() / 2 == pytest.approx(5.2992, abs=5e-5)
    ours = xl.cross_entropy(
        WEIGHTED_LABELS, logits=WEIGHTED_PROBS, weight=CLASS_WEIGHT, reduction="none"
    )
    np.testing.assert_allclose(ours, per_sample, rtol=1e-12)


def _minibatch():
    """Section 7's two batches of four, with per-class weights [1, 19, 1]."""
    z = np.random.default_rng(7).normal(size=(4, 3))
    return z, np.array([0, 1, 2, 0]), np.array([1, 1, 1, 1]), np.array([1.0, 19.0, 1.0])


def test_one_class_batch_cancels_the_class_weights():
    """÷ Σ w[y] is per batch: on an all-one-class batch the weights cancel (12 §7, 11 §3.1)."""
    z, mixed, one_class, w = _minibatch()
    weighted = float(xl.cross_entropy(one_class, logits=z, weight=w))
    assert weighted == pytest.approx(float(xl.cross_entropy(one_class, logits=z)), rel=1e-12)
    assert weighted == pytest.approx(0.6981, abs=5e-5)
    per_sample = xl.cross_entropy(one_class, logits=z, reduction="none")
    assert np.sum(w[one_class] * per_sample) / 4 == pytest.approx(19 * weighted, rel=1e-12)
    assert float(xl.cross_entropy(mixed, logits=z, weight=w)) != pytest.approx(
        float(xl.cross_entropy(mixed, logits=z)), rel=1e-3
    )


def test_one_class_batch_cancels_the_class_weights_in_torch(torch):
    F = torch.nn.functional
    z, mixed, one_class, w = _minibatch()
    for y in (mixed, one_class):
        ours = float(xl.cross_entropy(y, logits=z, weight=w))
        assert float(F.cross_entropy(_t(torch, z), _t(torch, y), weight=_t(torch, w))) == (
            pytest.approx(ours, rel=1e-12)
        )
    plain = float(F.cross_entropy(_t(torch, z), _t(torch, one_class)))
    weighted = float(F.cross_entropy(_t(torch, z), _t(torch, one_class), weight=_t(torch, w)))
    assert weighted == pytest.approx(plain, rel=1e-12)


def test_probability_losses_clamp_or_clip_a_sigmoid_that_rounded_to_one(torch):
    """Lesson 09 §3: sigmoid(40) is 1.0 in float32; PyTorch clamps the log at −100."""
    F = torch.nn.functional
    q = torch.sigmoid(torch.tensor(40.0))
    assert float(q) == 1.0
    assert float(F.binary_cross_entropy(q, torch.tensor(0.0))) == pytest.approx(100.0)
    q32 = np.clip(np.float32(1.0), np.float32(KERAS_EPSILON), np.float32(1 - KERAS_EPSILON))
    assert float(-np.log(1 - q32)) == pytest.approx(15.94, abs=5e-3)  # Keras, float32


def test_weighted_mean_in_xentlib_and_scikit_learn():
    metrics = pytest.importorskip("sklearn.metrics")
    ours = float(xl.cross_entropy(WEIGHTED_LABELS, probs=WEIGHTED_PROBS, weight=CLASS_WEIGHT))
    theirs = metrics.log_loss(
        WEIGHTED_LABELS,
        WEIGHTED_PROBS,
        sample_weight=CLASS_WEIGHT[WEIGHTED_LABELS],
        labels=[0, 1, 2],
    )
    assert ours == pytest.approx(1.0597, abs=5e-5)
    assert theirs == pytest.approx(ours, rel=1e-12)


# ---- §8 Keras -----------------------------------------------------------------------
def test_keras_formula_reproduces_keras_documented_examples():
    """Numbers from Keras 3's docstrings (Keras itself is not installed here)."""
    y_true, y_pred = np.array([1, 2]), np.array([[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]])
    per_sample = _keras_crossentropy(y_true, y_pred)
    np.testing.assert_allclose(
        per_sample, [0.0513, 2.303], atol=5e-4
    )  # sparse_categorical_crossentropy
    assert per_sample.mean() == pytest.approx(1.177, abs=5e-4)  # SparseCategoricalCrossentropy()
    assert per_sample.sum() == pytest.approx(2.354, abs=5e-4)  # reduction="sum"
    weighted = np.array([0.3, 0.7]) * per_sample
    assert weighted.sum() / 2 == pytest.approx(0.814, abs=5e-4)  # sample_weight: ÷ N
    assert weighted.sum() / 1.0 == pytest.approx(1.627, abs=5e-4)  # what ÷ Σ w would give
    # BinaryCrossentropy(from_logits=True): mean over the last axis, then ÷ N.
    y_bin = np.array([[0.0, 1.0], [0.0, 0.0]])
    logits = np.array([[-18.6, 0.51], [2.94, -12.8]])
    per_row = xl.binary_cross_entropy(y_bin, logits=logits, reduction="none").mean(axis=1)
    np.testing.assert_allclose(per_row, [0.235, 1.496], atol=5e-4)
    assert per_row.mean() == pytest.approx(0.8654, abs=1e-4)  # docs print 4 digits, truncated
    assert np.sum(np.array([0.8, 0.2]) * per_row) / 2 == pytest.approx(0.243, abs=1e-3)


def test_keras_clip_caps_the_loss_and_flattens_it():
    cap = -math.log(KERAS_EPSILON)
    assert round(cap, 2) == 16.12
    for p in (1e-7, 1e-9, 1e-12, 0.0):
        row = np.array([[p, 1 - p]])
        assert _keras_crossentropy([0], row)[0] == pytest.approx(cap, rel=1e-9)
    # flat below the clip: no gradient
    loss_at = [_keras_crossentropy([0], np.array([[p, 1 - p]]))[0] for p in (1e-10, 2e-10)]
    assert loss_at[0] == loss_at[1]
    assert round(float(_keras_crossentropy([0], np.array([[2.0, 1.0, 0.1]]))[0]), 4) == 0.4383
    assert round(float(xl.cross_entropy([0], logits=[[2.0, 1.0, 0.1]])), 4) == 0.4170


def test_float32_clip_still_caps_near_16_12():
    """Keras computes in float32 by default; its clip gives the same cap to 2 decimals."""
    eps32 = np.float32(KERAS_EPSILON)
    assert round(float(-np.log(eps32)), 2) == 16.12


# ---- §9 scikit-learn ----------------------------------------------------------------
def test_sklearn_log_loss_takes_probabilities():
    metrics = pytest.importorskip("sklearn.metrics")
    spam = np.array([[0.1, 0.9], [0.9, 0.1], [0.8, 0.2], [0.35, 0.65]])
    documented = metrics.log_loss(["spam", "ham", "ham", "spam"], spam)
    assert documented == pytest.approx(0.21616, abs=5e-6)
    assert float(xl.cross_entropy([1, 0, 0, 1], probs=spam)) == pytest.approx(documented, rel=1e-12)
    # binary problems: the probability of the positive class, shape (N,)
    yb, pb = np.array([1, 0, 0, 1]), np.array([0.9, 0.1, 0.2, 0.65])
    assert metrics.log_loss(yb, pb) == pytest.approx(
        float(xl.binary_cross_entropy(yb.astype(float), probs=pb)), rel=1e-12
    )


def test_sklearn_log_loss_clips_at_machine_epsilon():
    metrics = pytest.importorskip("sklearn.metrics")
    cap = metrics.log_loss([1], [[1.0, 0.0]], labels=[0, 1])
    assert cap == pytest.approx(-math.log(np.finfo(np.float64).eps), rel=1e-12)
    assert round(cap, 2) == 36.04


def test_sklearn_log_loss_checks_its_inputs():
    sklearn = pytest.importorskip("sklearn")
    metrics = pytest.importorskip("sklearn.metrics")
    with pytest.raises(ValueError, match="labels"):  # a batch that lacks a class
        metrics.log_loss([0, 0], [[0.6, 0.4], [0.5, 0.5]])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        metrics.log_loss([0, 1], [[0.6, 0.6], [0.5, 0.5]])
    assert any("do not sum to one" in str(w.message) for w in caught)
    if tuple(int(part) for part in sklearn.__version__.split(".")[:2]) < (1, 9):
        pytest.skip("the lesson describes scikit-learn 1.9's check of values outside [0, 1]")
    with pytest.raises(ValueError, match="greater than 1"):  # logits are refused
        metrics.log_loss([0, 1], [[2.0, -1.0], [0.5, 0.5]])


# ---- §10 the translation table -------------------------------------------------------
def test_translation_table_xentlib_column_matches_torch(torch):
    F = torch.nn.functional
    z, y, z_bin, y_bin, Z, Y, w = _table_inputs()
    zt, yt = _t(torch, z), _t(torch, y)
    p, logp = xl.softmax(z), xl.log_softmax(z)
    y_pad = np.array([0, 2, -100, 2])
    rows = [
        (xl.cross_entropy(y, logits=z), F.cross_entropy(zt, yt), 0.8900),
        (xl.cross_entropy(y, probs=p), F.nll_loss(torch.log(_t(torch, p)), yt), 0.8900),
        (xl.nll_loss(y, logp), F.nll_loss(_t(torch, logp), yt), 0.8900),
        (xl.nll_loss(y, logp), F.cross_entropy(_t(torch, logp), yt), 0.8900),
        (
            xl.binary_cross_entropy(y_bin, logits=z_bin),
            F.binary_cross_entropy_with_logits(_t(torch, z_bin), _t(torch, y_bin)),
            1.0964,
        ),
        (
            xl.binary_cross_entropy(y_bin, probs=xl.sigmoid(z_bin)),
            F.binary_cross_entropy(torch.sigmoid(_t(torch, z_bin)), _t(torch, y_bin)),
            1.0964,
        ),
        (
            xl.binary_cross_entropy(Y, logits=Z),
            F.binary_cross_entropy_with_logits(_t(torch, Z), _t(torch, Y)),
            0.8910,
        ),
        (
            xl.cross_entropy(y, logits=z, weight=w),
            F.cross_entropy(zt, yt, weight=_t(torch, w)),
            0.9610,
        ),
        (
            xl.cross_entropy(y, logits=z, label_smoothing=0.1),
            F.cross_entropy(zt, yt, label_smoothing=0.1),
            0.9247,
        ),
        (
            xl.cross_entropy(y_pad, logits=z, ignore_index=-100),
            F.cross_entropy(zt, _t(torch, y_pad)),
            0.8655,
        ),
    ]
    for ours, theirs, printed in rows:
        assert float(ours) == pytest.approx(float(theirs), rel=1e-10)
        assert round(float(ours), 4) == printed


def test_translation_table_scikit_learn_column():
    metrics = pytest.importorskip("sklearn.metrics")
    special = pytest.importorskip("scipy.special")
    z, y, z_bin, y_bin, Z, Y, w = _table_inputs()
    labels = [0, 1, 2]
    ce = float(xl.cross_entropy(y, logits=z))
    assert metrics.log_loss(y, special.softmax(z, axis=1), labels=labels) == pytest.approx(
        ce, rel=1e-10
    )
    assert metrics.log_loss(y, np.exp(xl.log_softmax(z)), labels=labels) == pytest.approx(
        ce, rel=1e-10
    )
    assert metrics.log_loss(y_bin, special.expit(z_bin)) == pytest.approx(
        float(xl.binary_cross_entropy(y_bin, logits=z_bin)), rel=1e-10
    )
    per_column = np.mean(
        [metrics.log_loss(Y[:, c], special.expit(Z[:, c]), labels=[0, 1]) for c in range(3)]
    )
    assert per_column == pytest.approx(float(xl.binary_cross_entropy(Y, logits=Z)), rel=1e-10)
    weighted = metrics.log_loss(y, xl.softmax(z), sample_weight=w[y], labels=labels)
    assert weighted == pytest.approx(float(xl.cross_entropy(y, logits=z, weight=w)), rel=1e-10)
