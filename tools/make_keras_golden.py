"""Keras's answers to every Keras claim of the course, on each of its three backends.

The lessons quote what Keras computes (lesson 12 section 8, its translation table, lesson 09
sections 3 and 7, lesson 06 section 5) without Keras installed. Keras 3 gives some answers
that depend on its *backend*: ``SparseCategoricalCrossentropy()`` given logits returns 0.4383
on the NumPy and JAX backends and 0.7419 on TensorFlow. So every case below runs once per
backend, in its own process (``KERAS_BACKEND`` is read once, at import), and the answers are
committed in ``tests/golden/keras.json``. ``tests/test_keras_claims.py`` checks each claim
against them on every machine, and, where Keras and a backend are installed, that Keras still
computes the stored values::

    pip install keras==3.15.1 jax tensorflow-cpu   # only this script and that check need them
    python tools/make_keras_golden.py              # rewrite tests/golden/keras.json

Add a claim: write a function below that takes ``keras`` and returns a dict of plain values,
register it with :func:`case`, run this script, and read the values in the test with
:func:`values`.
"""

from __future__ import annotations

import functools
import json
import math
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

if __package__ in (None, ""):  # run as a script: make `tools` and `xentlib` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools.course import ROOT
from tools.make_golden import decode, encode

GOLDEN = ROOT / "tests" / "golden" / "keras.json"
KERAS_VERSION = "3.15.1"
BACKENDS = ("numpy", "jax", "tensorflow")
BACKEND_MODULE = {"numpy": "numpy", "jax": "jax", "tensorflow": "tensorflow"}
CASES: dict[str, tuple[Callable, tuple]] = {}  # name → (function(keras) → values, backends)
TRAINING_BACKENDS = ("jax", "tensorflow")  # Keras's NumPy backend cannot fit ("inference only")


def case(fn=None, *, backends=BACKENDS):
    """Register ``fn`` (named ``_name``) as the case ``name``, run on ``backends``."""

    def register(fn):
        CASES[fn.__name__.lstrip("_")] = (fn, tuple(backends))
        return fn

    return register(fn) if fn is not None else register


def cases_on(backend: str) -> list[str]:
    """The names of the cases that run on ``backend``."""
    return [name for name, (_, backends) in CASES.items() if backend in backends]


def _np(x):
    """A Keras tensor (any backend) as a NumPy array."""
    import keras

    return np.asarray(keras.ops.convert_to_numpy(x))


def _f(x) -> float:
    return float(_np(x))


# ---- the lessons' inputs ---------------------------------------------------------------------
DOCS_TRUE = np.array([1, 2])  # SparseCategoricalCrossentropy's docstring example
DOCS_PRED = np.array([[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]])
LOGIT_ROW = np.array([[2.0, 1.0, 0.1]])  # lesson 12 §8: logits, true class 0
WEIGHTED_PROBS = np.array([[0.2, 0.3, 0.5], [0.5, 0.2, 0.3]])  # lesson 12 §7: pytorch#25571's
WEIGHTED_LABELS = np.array([2, 1])
CLASS_WEIGHT = np.array([2.0, 4.0, 6.0])


def table_inputs():
    """Lesson 12 §10's small batch (the same draws as the lesson's cell)."""
    rng = np.random.default_rng(0)
    z = rng.normal(size=(4, 3))
    y = np.array([0, 2, 1, 2])
    z_bin, y_bin = rng.normal(size=4), np.array([1.0, 0.0, 0.0, 1.0])
    Z = rng.normal(size=(4, 3))
    Y = np.array([[1.0, 0.0, 1.0], [0.0, 0.0, 0.0], [1.0, 1.0, 0.0], [0.0, 1.0, 0.0]])
    return z, y, z_bin, y_bin, Z, Y, np.array([1.0, 2.0, 0.5])


def fit_data():
    """30 points of three blobs: the data of the two fit cases."""
    rng = np.random.default_rng(3)
    centres = np.array([[2.0, 0.0], [-1.0, 1.7], [-1.0, -1.7]])
    y = np.arange(30) % 3
    return centres[y] + rng.normal(size=(30, 2)), y


# ---- lesson 12 §7–8: the losses --------------------------------------------------------------
@case
def _config(keras):
    return {"epsilon": keras.config.epsilon(), "floatx": keras.config.floatx()}


@case
def _sparse_docs_example(keras):
    losses = keras.losses
    scce = losses.SparseCategoricalCrossentropy
    return {
        "per_sample": _np(scce(reduction=None)(DOCS_TRUE, DOCS_PRED)),
        "mean": _f(scce()(DOCS_TRUE, DOCS_PRED)),
        "sum": _f(scce(reduction="sum")(DOCS_TRUE, DOCS_PRED)),
        "sample_weight": _f(scce()(DOCS_TRUE, DOCS_PRED, sample_weight=np.array([0.3, 0.7]))),
        "mean_with_sample_weight": _f(
            scce(reduction="mean_with_sample_weight")(
                DOCS_TRUE, DOCS_PRED, sample_weight=np.array([0.3, 0.7])
            )
        ),
    }


@case
def _binary_docs_example(keras):
    y = np.array([[0.0, 1.0], [0.0, 0.0]])
    logits = np.array([[-18.6, 0.51], [2.94, -12.8]])
    bce = keras.losses.BinaryCrossentropy
    return {
        "per_row": _np(bce(from_logits=True, reduction=None)(y, logits)),
        "mean": _f(bce(from_logits=True)(y, logits)),
        "sample_weight": _f(bce(from_logits=True)(y, logits, sample_weight=np.array([0.8, 0.2]))),
    }


@case
def _clip(keras):
    """Probabilities of the true class at and below the clip, [[p, 1 − p]], true class 0."""
    scce = keras.losses.SparseCategoricalCrossentropy()
    ps = [1e-3, 1e-7, 1e-9, 1e-12, 0.0]
    return {
        "p": np.array(ps),
        "loss": np.array([_f(scce(np.array([0]), np.array([[p, 1 - p]]))) for p in ps]),
    }


@case
def _logits_passed_as_probabilities(keras):
    """Logits (2, 1, 0.1) given to losses that expect probabilities, and to from_logits=True."""
    losses, one_hot = keras.losses, np.array([[1.0, 0.0, 0.0]])
    return {
        "sparse": _f(losses.SparseCategoricalCrossentropy()(np.array([0]), LOGIT_ROW)),
        "categorical": _f(losses.CategoricalCrossentropy()(one_hot, LOGIT_ROW)),
        "sparse_from_logits": _f(
            losses.SparseCategoricalCrossentropy(from_logits=True)(np.array([0]), LOGIT_ROW)
        ),
    }


@case
def _unnormalised_probabilities(keras):
    """A row that does not sum to 1 but needs no clip: every loss divides by the row's sum."""
    row = np.array([[0.5, 0.5, 0.5]])
    losses = keras.losses
    return {
        "sparse": _f(losses.SparseCategoricalCrossentropy()(np.array([0]), row)),
        "categorical": _f(losses.CategoricalCrossentropy()(np.array([[1.0, 0.0, 0.0]]), row)),
    }


@case
def _softmax_carries_its_logits(keras):
    """Keras's own softmax of logits whose true class underflows: exact 100.69, clipped 16.12."""
    far = np.array([[-100.0, 0.0, 0.0]], dtype="float32")
    scce = keras.losses.SparseCategoricalCrossentropy
    own = keras.activations.softmax(far)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Activation("softmax")])
    model.compile(loss=scce())
    return {
        "exact": float(math.log(1 + 2 * math.exp(100.0))),
        "keras_softmax_activation": _f(scce()(np.array([0]), own)),
        "same_probabilities_as_numpy": _f(scce()(np.array([0]), _np(own))),
        "model_with_softmax_activation": float(model.evaluate(far, np.array([0]), verbose=0)),
    }


# ---- lesson 09 §3: binary cross-entropy ------------------------------------------------------
@case
def _binary_at_logit_40(keras):
    """y = 0, z = 40: the probability σ(40) computed outside Keras (it rounds to 1) and the
    logit itself with from_logits=True. The true loss is 40 nats."""
    bce = keras.losses.BinaryCrossentropy
    q40 = np.float32(1) / (np.float32(1) + np.exp(np.float32(-40)))
    y = np.array([[0.0]])
    return {
        "sigmoid_40_float32": float(q40),
        "probability": _f(bce()(y, np.array([[q40]]))),
        "from_logits": _f(bce(from_logits=True)(y, np.array([[40.0]]))),
        "from_logits_minus_40_y_1": _f(
            bce(from_logits=True)(np.array([[1.0]]), np.array([[-40.0]]))
        ),
    }


@case
def _sigmoid_carries_its_logit(keras):
    """Lesson 09 §3: y = 0 and Keras's own sigmoid of the logit 40 (1.0 in float32)."""
    z = np.array([[40.0]], dtype="float32")
    own = keras.activations.sigmoid(z)
    bce = keras.losses.BinaryCrossentropy()
    return {
        "keras_sigmoid_activation": _f(bce(np.array([[0.0]]), own)),
        "same_probability_as_numpy": _f(bce(np.array([[0.0]]), _np(own))),
    }


# ---- lesson 12 §10: the translation table ----------------------------------------------------
@case
def _translation_table(keras):
    losses = keras.losses
    z, y, z_bin, y_bin, Z, Y, _ = table_inputs()
    one_hot = np.eye(3)[y]
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    scce = losses.SparseCategoricalCrossentropy
    return {
        "from_logits": _f(scce(from_logits=True)(y, z)),
        "from_probabilities": _f(scce()(y, p)),
        "from_log_probabilities": _f(scce(from_logits=True)(y, np.log(p))),
        "binary_from_logits": _f(losses.BinaryCrossentropy(from_logits=True)(y_bin, z_bin)),
        "binary_from_probabilities": _f(
            losses.BinaryCrossentropy()(y_bin, 1 / (1 + np.exp(-z_bin)))
        ),
        "multi_label": _f(losses.BinaryCrossentropy(from_logits=True)(Y, Z)),
        "label_smoothing": _f(
            losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1)(one_hot, z)
        ),
        "ignore_class": _f(scce(from_logits=True, ignore_class=-100)(np.array([0, 2, -100, 2]), z)),
    }


# ---- training: what fit reports --------------------------------------------------------------
def _linear_model(keras, n_in, n_out, kernel, lr):
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [keras.Input((n_in,)), keras.layers.Dense(n_out, kernel_initializer=kernel)]
    )
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=lr),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    return model


@case
def _class_weights(keras):
    """Lesson 12 §7: pytorch#25571's example, its probabilities given as log-probabilities
    (logits), each sample weighted by its class's weight."""
    scce = keras.losses.SparseCategoricalCrossentropy
    logp, y, w = np.log(WEIGHTED_PROBS), WEIGHTED_LABELS, CLASS_WEIGHT
    return {
        "sample_weight": _f(scce(from_logits=True)(y, logp, sample_weight=w[y])),
        "mean_with_sample_weight": _f(
            scce(from_logits=True, reduction="mean_with_sample_weight")(y, logp, sample_weight=w[y])
        ),
    }


@case(backends=TRAINING_BACKENDS)
def _fit_class_weight(keras):
    """Lesson 12 §7 and its table: the loss fit reports with class_weight, for one epoch at
    learning rate 0 of the identity model (its logits are its inputs), on the same example."""
    model = _linear_model(keras, 3, 3, "identity", 0.0)
    history = model.fit(
        np.log(WEIGHTED_PROBS),
        WEIGHTED_LABELS,
        class_weight=dict(enumerate(CLASS_WEIGHT)),
        batch_size=2,
        epochs=1,
        shuffle=False,
        verbose=0,
    )
    return {"loss": float(history.history["loss"][0])}


@case(backends=TRAINING_BACKENDS)
def _fit_history(keras):
    """Lesson 06 §5: fit's ``loss`` is measured during the epoch, at the weights before each
    step (full batch: before the epoch's one step); ``val_loss`` after it. Softmax regression
    from zero weights, full-batch SGD at lr 0.5 for 3 epochs, then 2 batches of 15 for one."""
    X, y = fit_data()
    model = _linear_model(keras, 2, 3, "zeros", 0.5)
    full = model.fit(
        X, y, batch_size=30, epochs=3, shuffle=False, validation_data=(X, y), verbose=0
    ).history
    model = _linear_model(keras, 2, 3, "zeros", 0.5)
    halves = model.fit(X, y, batch_size=15, epochs=1, shuffle=False, verbose=0).history
    return {
        "full_batch_loss": np.array(full["loss"], dtype=float),
        "full_batch_val_loss": np.array(full["val_loss"], dtype=float),
        "two_batches_loss": float(halves["loss"][0]),
    }


# ---- lesson 09 §7: which accuracy ------------------------------------------------------------
@case
def _accuracy_for_binary_crossentropy(keras):
    """Ten one-hot classes, loss="binary_crossentropy", outputs 0.3 for the true class and
    0.05 for the nine others: categorical accuracy 1, binary accuracy 0.9."""
    y = np.arange(20) % 10
    one_hot = np.eye(10)[y]
    outputs = np.where(one_hot == 1, 0.3, 0.05)
    model = keras.Sequential([keras.Input((10,)), keras.layers.Activation("linear")])
    model.compile(loss="binary_crossentropy", metrics=["accuracy", "binary_accuracy"])
    results = model.evaluate(outputs, one_hot, verbose=0, return_dict=True)
    return {
        "accuracy": float(results["accuracy"]),
        "binary_accuracy": float(results["binary_accuracy"]),
        "at_threshold": _np(
            keras.metrics.binary_accuracy(np.array([[1.0], [0.0]]), np.array([[0.5], [0.5]]))
        ),
    }


# ---- running one backend, writing the file ---------------------------------------------------
def run_backend(backend: str) -> dict:
    """Every case of ``backend``, run with the Keras this process imported."""
    import keras

    if keras.backend.backend() != backend:
        raise RuntimeError(f"Keras runs on {keras.backend.backend()}, not {backend}")
    return {
        name: {k: encode(v) for k, v in CASES[name][0](keras).items()} for name in cases_on(backend)
    }


def backend_versions(backend: str) -> dict:
    import keras

    module = __import__(BACKEND_MODULE[backend])
    return {"keras": keras.__version__, backend: module.__version__}


def compute(backend: str) -> dict:
    """Run every case in a fresh process with ``KERAS_BACKEND=backend``; the decoded values."""
    env = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3"}
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--backend", backend],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"Keras on {backend} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


@functools.cache
def _golden() -> dict:
    return json.loads(GOLDEN.read_text(encoding="utf-8"))


def values(name: str, backend: str) -> dict:
    """The stored answers of case ``name`` on ``backend``."""
    cases = _golden()["backends"][backend]["cases"]
    if name not in cases:
        raise LookupError(
            f"{GOLDEN.relative_to(ROOT)} has no case {name!r}: register it in "
            "tools/make_keras_golden.py and run `python tools/make_keras_golden.py` (needs "
            f"keras=={KERAS_VERSION}, jax and tensorflow-cpu)"
        )
    return {k: decode(v) for k, v in cases[name].items()}


def main(argv) -> int:
    if argv[:1] == ["--backend"]:  # the worker: one backend, JSON on the last line
        backend = argv[1]
        answers = {"versions": backend_versions(backend), "cases": run_backend(backend)}
        print(json.dumps(answers, sort_keys=True))
        return 0
    from importlib import metadata

    try:
        installed = metadata.version("keras")
    except metadata.PackageNotFoundError:
        print(f"make_keras_golden: pip install keras=={KERAS_VERSION}", file=sys.stderr)
        return 2
    if installed != KERAS_VERSION:
        print(
            f"make_keras_golden: keras {installed} is installed, the golden values "
            f"are Keras {KERAS_VERSION}'s: pip install keras=={KERAS_VERSION}",
            file=sys.stderr,
        )
        return 2
    parts = []
    for backend in BACKENDS:
        answers = compute(backend)
        cases = ",\n".join(  # one line per case, so a change shows as the cases it changed
            f"    {json.dumps(name)}: {json.dumps(v, sort_keys=True)}"
            for name, v in answers["cases"].items()
        )
        parts.append(
            f'  {json.dumps(backend)}: {{\n   "versions": '
            f"{json.dumps(answers['versions'], sort_keys=True)},\n"
            f'   "cases": {{\n{cases}\n   }}\n  }}'
        )
    GOLDEN.write_text(
        '{\n "made_by": "tools/make_keras_golden.py",\n'
        f' "keras": "{KERAS_VERSION}",\n "backends": {{\n' + ",\n".join(parts) + "\n }\n}\n",
        encoding="utf-8",
    )
    print(f"{GOLDEN.relative_to(ROOT)}: {len(CASES)} cases × {len(BACKENDS)} backends")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
