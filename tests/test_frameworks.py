"""Every claim of lesson 12 (frameworks and pitfalls), checked against the frameworks.

The lesson runs without any framework installed: it reproduces PyTorch's, Keras's and
scikit-learn's conventions with xentlib and NumPy and quotes the numbers they give. These
tests are what make those sentences true:

- scikit-learn is a dev dependency, so its tests always run;
- PyTorch's tests read what PyTorch 2.13.0 computes from ``tests/golden/torch.json``
  (written by ``tools/make_golden.py``, which holds the PyTorch code of each), so they run
  with or without PyTorch; ``tests/test_golden.py`` re-runs that code where it is installed;
- Keras is not part of the course's environment. The Keras tests here reproduce the formula
  of Keras 3's NumPy and JAX backends (``keras/src/backend/numpy/nn.py``: divide each row by
  its sum, clip to [ε, 1 − ε] with ``keras.config.epsilon()`` = 1e-7, minus the log; the
  losses' default reduction ``"sum_over_batch_size"`` divides by the batch size) and check it
  against the numbers printed in Keras's own docstrings; ``tests/test_keras_claims.py`` checks
  every Keras claim of the course against Keras 3.15.1's own answers on its NumPy, JAX and
  TensorFlow backends (``tests/golden/keras.json``, written by ``tools/make_keras_golden.py``).

The inputs are the lesson's, so each number below is a number the lesson prints.
"""

import math
import warnings

import numpy as np
import pytest

import xentlib as xl
from tools import make_golden as golden

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


def test_seed_example_in_torch():
    torch = golden.values("seed_post_example")  # float32 tensors, as the post makes them
    np.testing.assert_array_equal(torch["probs"], SEED_PROBS)
    assert float(torch["cross_entropy_loss"]) == pytest.approx(0.8178, abs=5e-5)
    assert float(torch["cross_entropy_of_log"]) == pytest.approx(0.4581, abs=5e-5)
    assert float(torch["nll_of_log"]) == pytest.approx(0.4581, abs=5e-5)


# ---- §2 the double-softmax floor -----------------------------------------------------
def test_floor_values():
    assert _floor(3) == pytest.approx(0.5514, abs=5e-5)
    assert _floor(10) == pytest.approx(1.4612, abs=5e-5)
    assert _floor(1000) == pytest.approx(5.9095, abs=5e-5)
    assert math.log(1000) == pytest.approx(6.9078, abs=5e-5)
    assert xl.exercises.lesson(12).q1.reference() == pytest.approx(_floor(10), rel=1e-12)


@pytest.mark.parametrize("n_classes", [2, 3, 10, 100])
def test_floor_is_reached_at_one_hot_inputs_in_torch(n_classes):
    torch = golden.values("double_softmax_floor", n_classes=n_classes)
    np.testing.assert_allclose(torch["at_one_hot"], _floor(n_classes), rtol=1e-12)
    ours = xl.cross_entropy(np.arange(n_classes), logits=np.eye(n_classes), reduction="none")
    np.testing.assert_allclose(ours, torch["at_one_hot"], rtol=1e-12)
    assert torch["min_over_20000_random_rows"] >= _floor(n_classes) - 1e-12


def test_double_softmax_training_run_plateaus_at_the_floor_in_torch():
    """The lesson's run, in PyTorch: softmax outputs into nn.CrossEntropyLoss."""
    torch = golden.values("double_softmax_training_run")
    assert torch["inputs"] == "blobs"  # the lesson's 300 blobs, as PyTorch got them
    assert torch["plain_reported"] == pytest.approx(0.0259, abs=5e-5)
    reported, own = torch["double_reported"], torch["double_own"]
    assert _floor(3) < reported < _floor(3) + 0.02  # 0.5617: just above the floor
    assert reported == pytest.approx(0.5617, abs=5e-5)
    assert own == pytest.approx(0.0279, abs=5e-5)  # the model itself learned


def test_gradient_through_both_softmaxes_matches_autograd():
    """The lesson back-propagates by hand: q ⊙ (g − (g·q)), softmax's Jacobian."""
    torch = golden.values("gradient_through_both_softmaxes")
    q = xl.softmax(torch["z"])
    _, grad_q = xl.cross_entropy_with_grad(torch["y"], logits=q)
    grad_z = q * (grad_q - np.sum(grad_q * q, axis=1, keepdims=True))
    np.testing.assert_allclose(grad_z, torch["grad"], rtol=1e-10, atol=1e-14)


# ---- §3 log-probabilities are valid logits -------------------------------------------
def test_log_softmax_outputs_are_valid_logits():
    torch = golden.values("log_softmax_outputs_are_logits")
    right = float(torch["cross_entropy"])
    assert right == pytest.approx(1.6185, abs=5e-5)
    assert float(torch["cross_entropy_of_log_softmax"]) == pytest.approx(right, rel=1e-12)
    assert float(torch["nll_of_log_softmax"]) == pytest.approx(right, rel=1e-12)
    assert float(torch["cross_entropy_of_softmax"]) == pytest.approx(1.0515, abs=5e-5)
    z, y = np.array([[2.0, -1.0, 0.5], [0.3, 0.2, -2.0]]), np.array([0, 2])
    assert float(xl.cross_entropy(y, logits=xl.log_softmax(z))) == pytest.approx(right, rel=1e-12)


# ---- §4 nll_loss takes log-probabilities ---------------------------------------------
def test_nll_loss_on_probabilities_is_minus_their_mean_in_torch():
    torch = golden.values("seed_post_example")  # the post's probabilities as float32 tensors
    for loss in (torch["nll_of_probs_module"], torch["nll_of_probs"]):
        assert float(loss) == pytest.approx(-(0.5 + 0.8) / 2, abs=1e-7)  # tensor(-0.6500)
    # logits that happen to be all negative pass xentlib's check: 0.35, silently wrong
    assert float(torch["nll_of_probs_minus_1"]) == pytest.approx(0.35, abs=1e-6)
    assert float(xl.nll_loss(SEED_LABELS, SEED_PROBS - 1)) == pytest.approx(0.35, abs=1e-12)
    # The lesson's NumPy mirror of F.nll_loss's documented formula, l_n = -x[n, y_n]:
    assert -np.mean(SEED_PROBS[np.arange(2), SEED_LABELS]) == pytest.approx(-0.65, abs=1e-12)


def test_torch_documents_what_each_loss_expects():
    torch = golden.values("torch_documentation")  # the sentences of PyTorch 2.13.0's docstrings
    assert "The `input` is expected to contain the unnormalized logits" in torch["CrossEntropyLoss"]
    assert "expected to contain log-probabilities of each class" in torch["NLLLoss"]
    assert (
        "clamps its log function outputs to be greater than or equal to -100" in (torch["BCELoss"])
    )
    assert torch["cross_entropy_ignore_index"] == -100
    assert torch["cross_entropy_reduction"] == "mean"


def test_xentlib_nll_loss_refuses_probabilities_and_says_why():
    with pytest.raises(ValueError, match="log-probabilities") as info:
        xl.nll_loss(SEED_LABELS, SEED_PROBS)
    assert "did you pass probabilities or logits?" in str(info.value)


def test_gradient_of_nll_on_probabilities_vanishes_when_confidently_wrong():
    torch = golden.values("nll_on_probabilities_gradient")
    p = torch["p"]
    assert torch["grad_on_probabilities"] == pytest.approx(-p * (1 - p), rel=1e-10)
    assert round(torch["grad_on_probabilities"], 4) == -0.0010
    assert torch["grad_cross_entropy"] == pytest.approx(p - 1, rel=1e-10)  # -0.9990
    z = np.array([math.log(p), math.log(1 - p)])
    assert xl.cross_entropy_grad(0, logits=z)[0] == pytest.approx(torch["grad_cross_entropy"])


# ---- §5 ignore_index ----------------------------------------------------------------
def test_ignore_index_leaves_the_denominator_in_torch():
    torch = golden.values("ignore_index_padded_batch")
    tokens, logits = _padded_batch()
    np.testing.assert_array_equal(torch["tokens"], tokens)
    np.testing.assert_array_equal(torch["logits"], logits)
    keep = tokens != -100
    per_token = -xl.log_softmax(logits[keep])[np.arange(keep.sum()), tokens[keep]]
    ref = float(torch["loss"])
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
def test_gradient_of_the_sum_is_n_times_the_mean_in_torch(n):
    torch = golden.values("mean_vs_sum_gradient", n=n)
    data = golden.inputs(torch["inputs"])  # the lesson's 3000 blobs, as PyTorch got them
    X, y = data["X"], data["y"]
    np.testing.assert_allclose(X, _big_blobs()[0], rtol=1e-13)  # the same up to round-off
    for reduction in ("mean", "sum"):
        _, g = xl.cross_entropy_with_grad(
            y[:n], logits=X[:n] @ np.zeros((3, 3)), reduction=reduction
        )
        np.testing.assert_allclose(X[:n].T @ g, torch[reduction], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(torch["sum"], n * torch["mean"], rtol=1e-10, atol=1e-12)


def test_same_learning_rate_diverges_with_the_sum_in_torch():
    torch = golden.values("mean_vs_sum_training_run")
    assert torch["inputs"] == "big_blobs"
    mean, total = torch["mean_curve"], torch["sum_curve"]
    assert len(mean) == len(total) == 50
    assert mean[-1] == pytest.approx(0.401, abs=5e-4)
    assert total[-1] > 140 and total.max() == pytest.approx(1244.3, abs=0.05)


def _adam(grad, W, lr, steps, betas=(0.9, 0.999), eps=1e-8):
    """The lesson's Adam (section 6), as torch.optim.Adam computes it."""
    m, v = np.zeros_like(W), np.zeros_like(W)
    for t in range(1, steps + 1):
        g = grad(W)
        m = betas[0] * m + (1 - betas[0]) * g
        v = betas[1] * v + (1 - betas[1]) * g**2
        W = W - lr * (m / (1 - betas[0] ** t)) / (np.sqrt(v / (1 - betas[1] ** t)) + eps)
    return W


@pytest.mark.parametrize("n", [10, 3000])
def test_adam_gives_the_same_run_with_the_mean_and_the_sum_in_torch(n):
    """§6: Adam divides by the root of the running mean of g², so a factor N cancels; only
    ε counts N times less with the sum. torch.optim.Adam's runs, and the lesson's Adam."""
    torch = golden.values("adam_mean_vs_sum", n=n)
    data = golden.inputs(torch["inputs"])
    X, y = data["X"][:n], data["y"][:n]
    np.testing.assert_allclose(torch["mean_curve"], torch["sum_curve"], rtol=0, atol=1e-6)
    np.testing.assert_allclose(torch["mean_W"], torch["sum_W"], rtol=0, atol=1e-4)
    assert round(torch["mean_curve"][-1], 3) == {10: 0.355, 3000: 0.404}[n]
    for reduction in ("mean", "sum"):
        curve = []

        def grad(W, reduction=reduction, curve=curve):
            curve.append(float(xl.cross_entropy(y, logits=X @ W)))
            return X.T @ xl.cross_entropy_with_grad(y, logits=X @ W, reduction=reduction)[1]

        W = _adam(grad, np.zeros((3, 3)), 0.05, 50)
        # Not to the last bit: the biases' first gradient is 0 up to round-off (the classes
        # are balanced), and Adam divides it by its own size, so round-off moves them by up
        # to lr·|g|/ε. The lesson prints these gaps as the bands below.
        np.testing.assert_allclose(curve, torch[f"{reduction}_curve"], rtol=0, atol=1e-6)
        np.testing.assert_allclose(W, torch[f"{reduction}_W"], rtol=0, atol=1e-4)
    # gradient descent at the same learning rate is N times faster with the sum: no cancelling
    sgd = golden.values("mean_vs_sum_training_run")
    assert sgd["sum_curve"][-1] > 100 * sgd["mean_curve"][-1]


# ---- §7 the weighted mean ------------------------------------------------------------
def test_weighted_mean_divides_by_the_targets_weights_in_torch():
    torch = golden.values("weighted_mean")  # on log(WEIGHTED_PROBS), weights CLASS_WEIGHT
    np.testing.assert_array_equal(golden.WEIGHTED_PROBS, WEIGHTED_PROBS)
    np.testing.assert_array_equal(golden.CLASS_WEIGHT, CLASS_WEIGHT)
    mean, total = float(torch["mean"]), float(torch["sum"])
    assert mean == pytest.approx(1.0597, abs=5e-5)
    assert mean == pytest.approx(total / CLASS_WEIGHT[WEIGHTED_LABELS].sum(), rel=1e-12)
    assert total / 2 == pytest.approx(5.2983, abs=5e-5)  # ÷ N: not what PyTorch does
    assert total / CLASS_WEIGHT.sum() == pytest.approx(0.8831, abs=5e-5)  # ÷ Σ all weights
    assert float(torch["nll_mean"]) == pytest.approx(mean, rel=1e-12)
    assert float(torch["equal_weights"]) == pytest.approx(float(torch["unweighted"]), rel=1e-12)
    ours = xl.nll_loss(WEIGHTED_LABELS, np.log(WEIGHTED_PROBS), weight=CLASS_WEIGHT)
    assert float(ours) == pytest.approx(mean, rel=1e-12)


def test_the_issues_own_numbers_in_torch():
    """pytorch#25571 passed the probabilities as logits and got 1.0598, expecting 5.2992."""
    torch = golden.values("weighted_mean_issue_numbers")
    per_sample = torch["per_sample"]
    np.testing.assert_allclose(per_sample, [5.6390, 4.9593], atol=5e-5)
    assert float(torch["mean"]) == pytest.approx(1.0598, abs=5e-5)
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


def test_one_class_batch_cancels_the_class_weights_in_torch():
    torch = golden.values("one_class_batch")
    z, mixed, one_class, w = _minibatch()
    np.testing.assert_array_equal(torch["z"], z)
    for y, theirs in ((mixed, "mixed_weighted"), (one_class, "one_class_weighted")):
        ours = float(xl.cross_entropy(y, logits=z, weight=w))
        assert float(torch[theirs]) == pytest.approx(ours, rel=1e-12)
    assert float(torch["one_class_weighted"]) == pytest.approx(
        float(torch["one_class_plain"]), rel=1e-12
    )


def test_probability_losses_clamp_or_clip_a_sigmoid_that_rounded_to_one():
    """Lesson 09 §3: sigmoid(40) is 1.0 in float32; PyTorch clamps the log at −100."""
    torch = golden.values("sigmoid_rounded_to_one")
    assert torch["sigmoid_40_float32"].dtype == np.float32
    assert float(torch["sigmoid_40_float32"]) == 1.0
    assert float(torch["bce_at_y_0"]) == pytest.approx(100.0)
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
    """Numbers from Keras 3's docstrings (Keras's own answers: tests/test_keras_claims.py)."""
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
    # the machine epsilon of the input's dtype: float32 probabilities cap near Keras's 16.12
    cap32 = metrics.log_loss([1], np.array([[1.0, 0.0]], dtype=np.float32), labels=[0, 1])
    assert cap32 == pytest.approx(-math.log(np.finfo(np.float32).eps), rel=1e-6)
    assert round(float(cap32), 2) == 15.94


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
    with pytest.raises(ValueError, match="greater than 1"):  # logits outside [0, 1] are refused
        metrics.log_loss([0, 1], [[2.0, -1.0], [0.5, 0.5]])
    # logits that happen to lie in [0, 1] pass, with only the warning, and are not renormalised
    in_range = np.array([[0.2, 0.5], [0.1, 0.3]])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        loss = metrics.log_loss([0, 1], in_range)
    assert [str(w.message) for w in caught if "sum to one" in str(w.message)]
    assert loss == pytest.approx(-(math.log(0.2) + math.log(0.3)) / 2, rel=1e-12)


# ---- §10 the translation table -------------------------------------------------------
def test_translation_table_xentlib_column_matches_torch():
    torch = golden.values("translation_table")  # each row's PyTorch spelling, run by PyTorch
    z, y, z_bin, y_bin, Z, Y, w = _table_inputs()
    y_pad = np.array([0, 2, -100, 2])
    for ours, theirs in zip((z, y, z_bin, y_bin, Z, Y, w, y_pad), torch["inputs"], strict=True):
        np.testing.assert_array_equal(ours, theirs)
    p, logp = xl.softmax(z), xl.log_softmax(z)
    rows = [
        (xl.cross_entropy(y, logits=z), torch["cross_entropy"], 0.8900),
        (xl.cross_entropy(y, probs=p), torch["nll_of_log_probs"], 0.8900),
        (xl.nll_loss(y, logp), torch["nll_of_log_softmax"], 0.8900),
        (xl.nll_loss(y, logp), torch["cross_entropy_of_log_softmax"], 0.8900),
        (xl.binary_cross_entropy(y_bin, logits=z_bin), torch["bce_with_logits"], 1.0964),
        (xl.binary_cross_entropy(y_bin, probs=xl.sigmoid(z_bin)), torch["bce_of_sigmoid"], 1.0964),
        (xl.binary_cross_entropy(Y, logits=Z), torch["multi_label_bce_with_logits"], 0.8910),
        (xl.cross_entropy(y, logits=z, weight=w), torch["weighted"], 0.9610),
        (xl.cross_entropy(y, logits=z, label_smoothing=0.1), torch["label_smoothing"], 0.9247),
        (xl.cross_entropy(y_pad, logits=z, ignore_index=-100), torch["ignore_index"], 0.8655),
    ]
    for ours, theirs, printed in rows:
        assert float(ours) == pytest.approx(float(theirs), rel=1e-10)
        assert round(float(ours), 4) == printed


def test_translation_table_soft_target_row():
    """The soft-target row: -mean Σ_c P_c log softmax(z)_c, PyTorch's F.cross_entropy(z, P) (its
    oracle test is tests/test_oracles.py); with the smoothed one-hot targets it is PyTorch's own
    label-smoothing number on the table's batch."""
    torch = golden.values("translation_table")
    rng = np.random.default_rng(0)  # the lesson's draws, in its order
    z = rng.normal(size=(4, 3))
    rng.normal(size=4)  # the binary rows' logits
    Z = rng.normal(size=(4, 3))
    P = rng.dirichlet(np.ones(3), size=4)  # drawn after them
    np.testing.assert_array_equal(z, torch["inputs"][0])
    np.testing.assert_array_equal(Z, torch["inputs"][4])
    soft = float(xl.cross_entropy(P, logits=z))
    assert soft == pytest.approx(-np.mean(np.sum(P * xl.log_softmax(z), axis=1)), rel=1e-12)
    assert round(soft, 4) == 1.2669
    y = np.array([0, 2, 1, 2])
    smoothed = 0.9 * np.eye(3)[y] + 0.1 / 3
    assert float(xl.cross_entropy(smoothed, logits=z)) == pytest.approx(
        float(torch["label_smoothing"]), rel=1e-10
    )


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


# ---- lesson 13: a batch of sequences, PyTorch's (N, C, T) layout -----------------------
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_reads_a_batch_of_sequences_as_pytorch_does(reduction):
    torch = golden.values("cross_entropy_sequences", reduction=reduction)
    z, y = torch["logits"], torch["tokens"]
    plain = xl.cross_entropy(y, logits=z, ignore_index=-100, reduction=reduction)
    smoothed = xl.cross_entropy(
        y,
        logits=z,
        ignore_index=-100,
        weight=torch["weight"],
        label_smoothing=0.1,
        reduction=reduction,
    )
    soft = xl.cross_entropy(torch["soft"], logits=z, reduction=reduction)
    for ours, theirs in ((plain, "plain"), (smoothed, "weighted_smoothed"), (soft, "soft_targets")):
        assert np.shape(ours) == np.shape(torch[theirs]), theirs
        np.testing.assert_allclose(ours, torch[theirs], rtol=1e-12, atol=1e-15)
    # the same as flattening by hand: the (N, C, T) layout is N·T rows
    rows = np.moveaxis(z, 1, -1).reshape(-1, z.shape[1])
    flat = xl.cross_entropy(y.reshape(-1), logits=rows, ignore_index=-100, reduction=reduction)
    np.testing.assert_allclose(np.ravel(plain), np.ravel(flat), rtol=1e-15)


def test_a_sequence_batch_with_targets_of_the_wrong_shape_says_the_layout():
    z = np.zeros((2, 5, 3))  # (N, C, T)
    with pytest.raises(ValueError, match=r"class indices of shape \(2, 3\).*moveaxis"):
        xl.cross_entropy(np.zeros((2, 5), dtype=int), logits=z)
    with pytest.raises(ValueError, match=r"axis 1"):
        xl.cross_entropy(np.zeros((2, 3, 5)), logits=z)  # soft targets as (N, T, C)


# ---- lesson 14: F.kl_div, the distillation loss ---------------------------------------------
@pytest.mark.parametrize("reduction", ["mean", "batchmean", "sum", "none"])
def test_kl_div_is_pytorchs_in_every_reduction(reduction):
    torch = golden.values("kl_div", reduction=reduction)
    log_q, p = torch["log_q"], torch["p"]
    ours = xl.kl_div(log_q, p, reduction=reduction)
    np.testing.assert_allclose(ours, torch["loss"], rtol=1e-12, atol=1e-15)
    log_p = np.log(p + (p == 0))
    theirs = torch["log_target"]
    np.testing.assert_allclose(
        xl.kl_div(log_q, log_p, reduction=reduction, log_target=True),
        theirs,
        rtol=1e-12,
        atol=1e-15,
    )


def test_kl_div_batchmean_is_the_mean_kl_divergence_and_mean_divides_by_classes_too():
    torch = golden.values("kl_div", reduction="batchmean")
    log_q, p = torch["log_q"], torch["p"]
    per_example = xl.kl_divergence(p, np.exp(log_q))
    assert float(torch["loss"]) == pytest.approx(per_example.mean(), rel=1e-12)
    mean = golden.values("kl_div", reduction="mean")["loss"]
    assert float(mean) == pytest.approx(per_example.mean() / p.shape[1], rel=1e-12)


@pytest.mark.parametrize(
    ("call", "says"),
    [
        (lambda: xl.kl_div(np.log([[0.5, 0.5]]), [[0.5, 0.5, 0.0]]), "same shape"),
        (lambda: xl.kl_div([[0.5, 0.5]], [[0.5, 0.5]]), "log-probabilities"),  # probs as input
        (lambda: xl.kl_div(np.log([[0.5, 0.5]]), [[1.5, -0.5]]), "target"),
        (lambda: xl.kl_div(np.log([[0.5, 0.5]]), [[0.5, 0.5]], reduction="avg"), "batchmean"),
        (lambda: xl.kl_div(np.log([[0.5, 0.5]]), [[0.5, 0.5]], log_target=True), "log_target"),
    ],
)
def test_kl_div_bad_input_says_what_to_pass(call, says):
    with pytest.raises(ValueError, match=says):
        call()
