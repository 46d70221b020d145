"""Every Keras claim of the course, checked against what Keras 3 computes on each backend.

The lessons quote Keras without Keras installed (lesson 12 sections 7, 8 and 10, lesson 09
sections 3 and 7, lesson 06 section 5). These tests hold each sentence to Keras 3.15.1's own
answers on its NumPy, JAX and TensorFlow backends, stored in ``tests/golden/keras.json`` by
``tools/make_keras_golden.py`` (which holds the Keras code of each case), so they run on every
machine. Where Keras and a backend are installed, ``test_keras_still_computes_the_stored_values``
re-runs that code and compares.

Keras computes in float32 by default, so its answers are compared with the lessons' float64
numbers to float32's precision (a relative 1e-6), or to the digits a lesson prints.
"""

from __future__ import annotations

import importlib.util
import json
import math
from importlib import metadata

import numpy as np
import pytest

import xentlib as xl
from tools import make_keras_golden as golden

BACKENDS = golden.BACKENDS
TRAINING = golden.TRAINING_BACKENDS
FLOAT32 = 1e-6  # Keras's default float32 against a float64 computation


def keras_mirror(y_true, probs, eps=1e-7):
    """Lesson 12 §8's mirror (Keras's NumPy and JAX backends): divide each row by its sum,
    clip to [eps, 1 − eps], minus the log of the true class."""
    probs = np.asarray(probs, dtype=float)
    probs = np.clip(probs / probs.sum(axis=-1, keepdims=True), eps, 1 - eps)
    return -np.log(probs[np.arange(len(y_true)), y_true])


def keras_mirror_tensorflow(y_true, probs, eps=1e-7):
    """Lesson 12 §8's mirror of ``SparseCategoricalCrossentropy`` on TensorFlow: clip first,
    then the log-softmax of the logs, which divides the clipped row by its sum."""
    probs = np.clip(np.asarray(probs, dtype=float), eps, 1 - eps)
    probs = probs / probs.sum(axis=-1, keepdims=True)
    return -np.log(probs[np.arange(len(y_true)), y_true])


def stored(name, backend):
    return golden.values(name, backend)


# ---- the file --------------------------------------------------------------------------------
def test_the_file_holds_every_registered_case_on_every_backend():
    data = json.loads(golden.GOLDEN.read_text(encoding="utf-8"))
    assert data["made_by"] == "tools/make_keras_golden.py"
    assert data["keras"] == golden.KERAS_VERSION
    assert sorted(data["backends"]) == sorted(BACKENDS)
    for backend in BACKENDS:
        entry = data["backends"][backend]
        assert entry["versions"]["keras"] == golden.KERAS_VERSION
        assert sorted(entry["cases"]) == sorted(golden.cases_on(backend)), (
            f"run `python tools/make_keras_golden.py` ({backend})"
        )
    with pytest.raises(LookupError, match=r"make_keras_golden\.py"):
        golden.values("no_such_case", "numpy")


@pytest.mark.parametrize("backend", BACKENDS)
def test_defaults_epsilon_and_float32(backend):
    """Lessons 04, 09, 12: the fuzz factor is 1e-7 and Keras computes in float32."""
    config = stored("config", backend)
    assert config == {"epsilon": 1e-7, "floatx": "float32"}


# ---- lesson 12 §7–8 ----------------------------------------------------------------------------
@pytest.mark.parametrize("backend", BACKENDS)
def test_sparse_docs_example_and_its_reductions(backend):
    """12 §7: [0.0513, 2.303], mean 1.177; sample_weight divides by N (0.814), not by Σ w."""
    k = stored("sparse_docs_example", backend)
    np.testing.assert_allclose(k["per_sample"], [0.0513, 2.303], atol=5e-4)
    np.testing.assert_allclose(
        k["per_sample"], keras_mirror(golden.DOCS_TRUE, golden.DOCS_PRED), rtol=1e-5
    )
    assert round(k["mean"], 3) == 1.177
    assert round(k["sum"], 3) == 2.354
    assert round(k["sample_weight"], 3) == 0.814  # (0.3·0.0513 + 0.7·2.303) / 2
    assert round(k["mean_with_sample_weight"], 3) == 1.627  # ÷ Σ w = 1.0


@pytest.mark.parametrize("backend", BACKENDS)
def test_class_weights_divide_by_n_by_default(backend):
    """12 §7: on pytorch#25571's example Keras's default gives 5.2983 (÷ N), PyTorch 1.0597
    (÷ Σ w[y]); Keras's reduction="mean_with_sample_weight" gives PyTorch's."""
    k = stored("class_weights", backend)
    logp = np.log(golden.WEIGHTED_PROBS)
    y, w = golden.WEIGHTED_LABELS, golden.CLASS_WEIGHT
    per_sample = xl.cross_entropy(y, logits=logp, reduction="none")
    assert k["sample_weight"] == pytest.approx(np.sum(w[y] * per_sample) / len(y), rel=FLOAT32)
    assert round(k["sample_weight"], 4) == 5.2983
    torch_mean = float(xl.cross_entropy(y, logits=logp, weight=w))
    assert k["mean_with_sample_weight"] == pytest.approx(torch_mean, rel=FLOAT32)
    assert round(k["mean_with_sample_weight"], 4) == 1.0597


@pytest.mark.parametrize("backend", TRAINING)
def test_fit_class_weight_divides_by_n(backend):
    """12 §7 and the table: fit(..., class_weight=) reports the weighted sum ÷ N."""
    assert round(stored("fit_class_weight", backend)["loss"], 4) == 5.2983


@pytest.mark.parametrize("backend", BACKENDS)
def test_clip_caps_the_loss_at_16_12_and_flattens_it(backend):
    """12 §8: probabilities below 1e-7 all cost −ln(1e-7) = 16.12 nats (zero gradient)."""
    k = stored("clip", backend)
    assert [round(v, 2) for v in k["loss"]] == [6.91, 16.12, 16.12, 16.12, 16.12]
    assert len(set(k["loss"][1:].tolist())) == 1  # flat: the same loss from 1e-7 down to 0
    np.testing.assert_allclose(k["loss"][1:], -math.log(1e-7), rtol=FLOAT32)


@pytest.mark.parametrize("backend", BACKENDS)
def test_logits_passed_as_probabilities_depend_on_the_backend(backend):
    """12 §8: SparseCategoricalCrossentropy() given the logits (2, 1, 0.1): 0.4383 on NumPy
    and JAX (divide, then clip), 0.7419 on TensorFlow (clip, then divide: the logits 2 and 1
    are clipped to 1 − 1e-7); CategoricalCrossentropy() gives 0.4383 on all three, and
    from_logits=True the right 0.4170."""
    k = stored("logits_passed_as_probabilities", backend)
    sparse = 0.7419 if backend == "tensorflow" else 0.4383
    assert round(k["sparse"], 4) == sparse
    mirror = keras_mirror_tensorflow if backend == "tensorflow" else keras_mirror
    assert k["sparse"] == pytest.approx(mirror([0], golden.LOGIT_ROW)[0], rel=FLOAT32)
    assert round(k["categorical"], 4) == 0.4383
    assert round(k["sparse_from_logits"], 4) == 0.4170
    assert k["sparse_from_logits"] == pytest.approx(
        float(xl.cross_entropy([0], logits=golden.LOGIT_ROW)), rel=FLOAT32
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_both_mirrors_agree_on_probabilities(backend):
    """12 §8: on probabilities that need no clip, every backend divides by the row's sum."""
    k = stored("unnormalised_probabilities", backend)
    row = np.array([[0.5, 0.5, 0.5]])
    for value in (k["sparse"], k["categorical"]):
        assert value == pytest.approx(math.log(3), rel=FLOAT32)
    assert keras_mirror([0], row)[0] == pytest.approx(keras_mirror_tensorflow([0], row)[0])


@pytest.mark.parametrize("backend", BACKENDS)
def test_only_tensorflow_reads_the_logits_behind_keras_softmax(backend):
    """12 §8: on TensorFlow, probabilities from Keras's own softmax carry their logits
    (``_keras_logits``) and the loss uses them: 100.69 nats, not the clipped 16.12. The same
    probabilities as a NumPy array are clipped; NumPy and JAX always clip."""
    k = stored("softmax_carries_its_logits", backend)
    cap = -math.log(1e-7)
    assert k["same_probabilities_as_numpy"] == pytest.approx(cap, rel=FLOAT32)
    expected = k["exact"] if backend == "tensorflow" else cap
    assert round(k["exact"], 2) == 100.69
    for key in ("keras_softmax_activation", "model_with_softmax_activation"):
        assert k[key] == pytest.approx(expected, rel=FLOAT32)


# ---- lesson 09 §3 --------------------------------------------------------------------------
@pytest.mark.parametrize("backend", BACKENDS)
def test_binary_crossentropy_at_logit_40(backend):
    """09 §3: given σ(40) computed outside Keras (1.0 in float32), BinaryCrossentropy() clips
    it and returns 15.94 (the true loss is 40). With from_logits=True TensorFlow and JAX return
    40; the NumPy backend applies the sigmoid and clips, so it returns 15.94 too."""
    k = stored("binary_at_logit_40", backend)
    assert k["sigmoid_40_float32"] == 1.0
    assert round(k["probability"], 2) == 15.94
    q32 = np.clip(np.float32(1.0), np.float32(1e-7), np.float32(1 - 1e-7))
    assert k["probability"] == pytest.approx(float(-np.log(1 - q32)), rel=FLOAT32)
    if backend == "numpy":
        assert round(k["from_logits"], 2) == 15.94
        assert round(k["from_logits_minus_40_y_1"], 2) == 16.12
    else:
        assert k["from_logits"] == pytest.approx(40.0, rel=FLOAT32)
        assert k["from_logits_minus_40_y_1"] == pytest.approx(40.0, rel=FLOAT32)


@pytest.mark.parametrize("backend", BACKENDS)
def test_only_tensorflow_reads_the_logit_behind_keras_sigmoid(backend):
    """09 §3: on TensorFlow a probability made by Keras's own sigmoid carries its logit, and
    BinaryCrossentropy() returns the true 40 nats for y = 0, z = 40; elsewhere 15.94."""
    k = stored("sigmoid_carries_its_logit", backend)
    assert round(k["same_probability_as_numpy"], 2) == 15.94
    if backend == "tensorflow":
        assert k["keras_sigmoid_activation"] == pytest.approx(40.0, rel=FLOAT32)
    else:
        assert round(k["keras_sigmoid_activation"], 2) == 15.94


@pytest.mark.parametrize("backend", BACKENDS)
def test_binary_docs_example(backend):
    k = stored("binary_docs_example", backend)
    np.testing.assert_allclose(k["per_row"], [0.235, 1.496], atol=5e-4)
    assert k["mean"] == pytest.approx(0.8654, abs=1e-4)  # the docs print 0.8654
    assert k["sample_weight"] == pytest.approx(0.243, abs=1e-3)  # the docs print 0.243 (0.2436)
    y = np.array([[0.0, 1.0], [0.0, 0.0]])
    logits = np.array([[-18.6, 0.51], [2.94, -12.8]])
    ours = xl.binary_cross_entropy(y, logits=logits, reduction="none").mean(axis=1)
    np.testing.assert_allclose(k["per_row"], ours, rtol=1e-5)


# ---- lesson 12 §10: the translation table ----------------------------------------------------
@pytest.mark.parametrize("backend", BACKENDS)
def test_translation_table_keras_column(backend):
    """Each Keras call of the table gives the xentlib number printed beside it."""
    k = stored("translation_table", backend)
    z, y, z_bin, y_bin, Z, Y, _ = golden.table_inputs()
    rows = {
        "from_logits": (xl.cross_entropy(y, logits=z), 0.8900),
        "from_probabilities": (xl.cross_entropy(y, probs=xl.softmax(z)), 0.8900),
        "from_log_probabilities": (xl.nll_loss(y, xl.log_softmax(z)), 0.8900),
        "binary_from_logits": (xl.binary_cross_entropy(y_bin, logits=z_bin), 1.0964),
        "binary_from_probabilities": (
            xl.binary_cross_entropy(y_bin, probs=xl.sigmoid(z_bin)),
            1.0964,
        ),
        "multi_label": (xl.binary_cross_entropy(Y, logits=Z), 0.8910),
        "label_smoothing": (xl.cross_entropy(y, logits=z, label_smoothing=0.1), 0.9247),
        "ignore_class": (
            xl.cross_entropy(np.array([0, 2, -100, 2]), logits=z, ignore_index=-100),
            0.8655,
        ),
    }
    assert sorted(rows) == sorted(k)
    for key, (ours, printed) in rows.items():
        assert k[key] == pytest.approx(float(ours), rel=2e-6), key
        assert round(k[key], 4) == printed, key


# ---- lesson 06 §5 and xentlib's history: what fit reports ---------------------------------------
@pytest.mark.parametrize("backend", TRAINING)
def test_fit_reports_the_loss_before_each_step_and_val_loss_after(backend):
    """06 §5: Keras's ``loss`` of an epoch is measured at the weights before its step (full
    batch: the first is ln C), ``val_loss`` after it, so val_loss[k] = loss[k + 1] on the same
    points; xl.SoftmaxRegression.fit records the same numbers. With minibatches, ``loss`` is
    the mean over the epoch's batches, each at the weights before its own step."""
    k = stored("fit_history", backend)
    loss, val_loss = k["full_batch_loss"], k["full_batch_val_loss"]
    assert loss[0] == pytest.approx(math.log(3), rel=FLOAT32)
    np.testing.assert_allclose(val_loss[:-1], loss[1:], rtol=1e-5)
    X, y = golden.fit_data()
    ours = xl.SoftmaxRegression(lr=0.5, epochs=3).fit(X, y, validation_data=(X, y)).history_
    np.testing.assert_allclose(loss, ours["loss"], rtol=1e-5)
    np.testing.assert_allclose(val_loss, ours["val_loss"], rtol=1e-5)
    # two batches of 15, in order: the first at W = 0, the second after one step on the first
    X1 = np.hstack([X, np.ones((len(X), 1))])
    W = np.zeros((3, 3))
    first, grad = xl.cross_entropy_with_grad(y[:15], logits=X1[:15] @ W)
    W -= 0.5 * X1[:15].T @ grad
    second = xl.cross_entropy(y[15:], logits=X1[15:] @ W)
    assert k["two_batches_loss"] == pytest.approx((float(first) + float(second)) / 2, rel=1e-5)


# ---- lesson 09 §7: which accuracy --------------------------------------------------------------
@pytest.mark.parametrize("backend", BACKENDS)
def test_accuracy_is_chosen_by_the_output_shape(backend):
    """09 §7: with ten outputs, metrics=["accuracy"] is categorical accuracy even with
    loss="binary_crossentropy" (Keras 3); binary_accuracy counts every output, > 0.5 only."""
    k = stored("accuracy_for_binary_crossentropy", backend)
    y = np.arange(20) % 10
    one_hot = np.eye(10)[y]
    outputs = np.where(one_hot == 1, 0.3, 0.05)
    assert k["accuracy"] == 1.0 == xl.metrics.accuracy(y, outputs.argmax(axis=1))
    assert k["binary_accuracy"] == pytest.approx(0.9, rel=FLOAT32)
    assert k["binary_accuracy"] == pytest.approx(
        xl.metrics.binary_accuracy(one_hot, outputs), rel=FLOAT32
    )
    np.testing.assert_array_equal(k["at_threshold"].ravel(), [0.0, 1.0])  # 0.5 is not > 0.5
    assert xl.metrics.binary_accuracy(np.array([1.0, 0.0]), np.array([0.5, 0.5])) == 0.5


# ---- where Keras is installed: it still computes these values -----------------------------------
def _keras_installed(backend):
    try:
        version = metadata.version("keras")
    except metadata.PackageNotFoundError:
        return "Keras is not installed (pip install keras==3.15.1 jax tensorflow-cpu)"
    if version != golden.KERAS_VERSION:
        return f"the file holds Keras {golden.KERAS_VERSION}'s values, not {version}'s"
    if importlib.util.find_spec(golden.BACKEND_MODULE[backend]) is None:
        return f"Keras's {backend} backend is not installed"
    return None


def _same(stored_value, now, key):
    if isinstance(stored_value, np.ndarray):
        assert stored_value.shape == now.shape, key
        np.testing.assert_allclose(now, stored_value, rtol=1e-6, atol=1e-12, err_msg=key)
    elif isinstance(stored_value, float):
        assert now == pytest.approx(stored_value, rel=1e-6, abs=1e-12), key
    else:
        assert now == stored_value, key


@pytest.mark.parametrize("backend", BACKENDS)
def test_keras_still_computes_the_stored_values(backend):
    reason = _keras_installed(backend)
    if reason:
        pytest.skip(reason)
    answers = golden.compute(backend)
    assert answers["versions"]["keras"] == golden.KERAS_VERSION
    assert sorted(answers["cases"]) == sorted(golden.cases_on(backend))
    for name, now in answers["cases"].items():
        kept = golden.values(name, backend)
        assert set(now) == set(kept), name
        for key, value in kept.items():
            _same(value, golden.decode(now[key]), f"{backend}: {name}: {key}")
