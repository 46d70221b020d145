"""Every public function against a table of hostile inputs.

For each function, one good call; then each argument in turn is replaced by each bad value
of its kind (NaN, ±inf, None, text, bools, empty, 0-d, 3-d, ragged lists, float labels,
labels out of range, mismatched shapes, …). The call must either raise a TypeError or
ValueError whose message names that argument, or — only where the value is listed as
acceptable for that argument — return a finite result. A bad value that is silently
accepted fails the test, as does an error from deep inside NumPy (IndexError, AxisError,
ZeroDivisionError, …) or a message that does not say which argument is wrong.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import xentlib as xl
from xentlib import datasets, metrics

NAN, INF = float("nan"), float("inf")

SCALARS = {
    "nan": NAN,
    "inf": INF,
    "-inf": -INF,
    "None": None,
    "text": "0.5",
    "bool": True,
    "list": [0.5, 0.5],
    "array": np.array([0.5]),
    "negative": -1.0,
    "zero": 0.0,
    "huge": 1e300,
}
INTEGERS = {**SCALARS, "fraction": 2.5, "float-int": 2.0, "zero-int": 0, "negative-int": -3}
ARRAYS = {
    "None": None,
    "text": "1, 2, 3",
    "empty": [],
    "ragged": [[1.0, 2.0, 3.0], [3.0]],
    "0-d": np.array(0.5),
    "3-d": np.full((1, 2, 3), 1 / 3),
    "objects": [[object(), 1.0, 2.0]],
    "complex": [[1j, 0.0, 0.0]],
    "nan": [[NAN, 0.0, 1.0]],
    "inf": [[INF, 0.0, 0.0]],
    "-inf": [[-INF, 0.0, 0.0]],
    "wrong-rows": np.full((3, 3), 1 / 3),
    "wrong-classes": np.full((2, 4), 0.25),
}
LABELS = {
    "None": None,
    "text": ["a", "b"],
    "empty": [],
    "fraction": [1.5, 0.0],
    "out-of-range": [0, 7],
    "negative": [0, -1],
    "bool": [True, False],
    "2-d": [[0], [1]],
    "too-many": [0, 1, 2],
    "nan": [0.0, NAN],
    "float-int": [2.0, 0.0],
}

Z = [[0.1, 0.4, 0.5], [0.8, 0.1, 0.1]]  # logits, probabilities or a distribution: 2 × 3
Y = [2, 0]


def _model(cls, **kwargs):
    X, y = datasets.make_blobs(30, seed=0)
    return cls(epochs=3, **kwargs).fit(X, y)


# name: (function, good keyword arguments, {argument: (catalogue, acceptable values)}).
# "None" is acceptable where it is the argument's default.
LOGITS_OK = {"3-d", "-inf", "wrong-rows", "wrong-classes"}
CASES = {
    "logsumexp": (
        xl.logsumexp,
        dict(z=Z),
        {"z": (ARRAYS, LOGITS_OK | {"inf"}), "axis": (INTEGERS, {"zero-int", "None"})},
    ),
    "softmax": (
        xl.softmax,
        dict(z=Z),
        {
            "z": (ARRAYS, LOGITS_OK),
            "axis": (INTEGERS, {"zero-int", "None"}),
            "temperature": (SCALARS, {"huge"}),
        },
    ),
    "log_softmax": (
        xl.log_softmax,
        dict(z=Z),
        {"z": (ARRAYS, LOGITS_OK), "temperature": (SCALARS, {"huge"})},
    ),
    "sigmoid": (xl.sigmoid, dict(z=Z), {"z": (ARRAYS, LOGITS_OK | {"0-d", "inf"})}),
    "log_sigmoid": (xl.log_sigmoid, dict(z=Z), {"z": (ARRAYS, LOGITS_OK | {"0-d", "inf"})}),
    "surprisal": (
        xl.surprisal,
        dict(p=Z),
        {
            "p": (ARRAYS, {"0-d", "3-d", "wrong-rows", "wrong-classes"}),
            "base": (SCALARS, {"huge", "None"}),
        },
    ),
    "entropy": (
        xl.entropy,
        dict(p=Z),
        {
            "p": (ARRAYS, {"3-d", "wrong-rows", "wrong-classes"}),
            "base": (SCALARS, {"huge", "None"}),
            "axis": (INTEGERS, set()),
        },
    ),
    "kl_divergence": (
        xl.kl_divergence,
        dict(p=Z, q=Z),
        {"p": (ARRAYS, set()), "q": (ARRAYS, set()), "base": (SCALARS, {"huge", "None"})},
    ),
    "cross_entropy(logits)": (
        xl.cross_entropy,
        dict(y_true=Y, logits=Z),
        {
            "y_true": (LABELS, {"float-int"}),
            "logits": (ARRAYS, {"wrong-classes"}),
            "weight": (ARRAYS, {"None"}),
            "ignore_index": (INTEGERS, {"zero-int", "negative-int", "None"}),
            "label_smoothing": (SCALARS, {"zero"}),
            "reduction": (SCALARS, set()),
        },
    ),
    "cross_entropy(probs)": (
        xl.cross_entropy,
        dict(y_true=Y, probs=Z),
        {
            "y_true": (LABELS, {"float-int"}),
            "probs": (ARRAYS, {"wrong-classes"}),
            "eps": (SCALARS, {"None"}),
        },
    ),
    "cross_entropy_with_grad": (
        xl.cross_entropy_with_grad,
        dict(y_true=Y, logits=Z),
        {
            "y_true": (LABELS, {"float-int"}),
            "logits": (ARRAYS, {"wrong-classes"}),
            "label_smoothing": (SCALARS, {"zero"}),
        },
    ),
    "cross_entropy_grad": (
        xl.cross_entropy_grad,
        dict(y_true=Y, logits=Z),
        {
            "logits": (ARRAYS, {"wrong-classes"}),
            "weight": (ARRAYS, {"None"}),
            "reduction": (SCALARS, set()),
        },
    ),
    "nll_loss": (
        xl.nll_loss,
        dict(y_true=Y, log_probs=np.log(Z)),
        {
            "y_true": (LABELS, {"float-int"}),
            "log_probs": (ARRAYS, set()),
            "ignore_index": (INTEGERS, {"zero-int", "negative-int", "None"}),
        },
    ),
    "focal_loss": (
        xl.focal_loss,
        dict(y_true=Y, logits=Z),
        {
            "y_true": (LABELS, {"float-int"}),
            "logits": (ARRAYS, {"wrong-classes"}),
            "gamma": (SCALARS, {"zero", "huge"}),
            "alpha": (SCALARS, {"zero", "huge", "None"}),
            "reduction": (SCALARS, set()),
        },
    ),
    "binary_cross_entropy": (
        xl.binary_cross_entropy,
        dict(y_true=[[1.0, 0.0, 1.0]], logits=[[0.5, -1.0, 2.0]]),
        {
            "y_true": (ARRAYS, set()),
            "logits": (ARRAYS, {"inf", "-inf"}),
            "weight": (ARRAYS, {"0-d", "None"}),
            "pos_weight": (ARRAYS, {"0-d", "None"}),
            "reduction": (SCALARS, set()),
        },
    ),
    "binary_cross_entropy(probs)": (
        xl.binary_cross_entropy,
        dict(y_true=[[1.0, 0.0, 1.0]], probs=[[0.5, 0.3, 0.9]]),
        {"probs": (ARRAYS, set())},
    ),
    "binary_cross_entropy_grad": (
        xl.binary_cross_entropy_grad,
        dict(y_true=[[1.0, 0.0, 1.0]], logits=[[0.5, -1.0, 2.0]]),
        {"logits": (ARRAYS, {"inf", "-inf"}), "pos_weight": (ARRAYS, {"0-d", "None"})},
    ),
    "binary_focal_loss": (
        xl.binary_focal_loss,
        dict(y_true=[[1.0, 0.0, 1.0]], logits=[[0.5, -1.0, 2.0]]),
        {
            "logits": (ARRAYS, {"inf", "-inf"}),
            "gamma": (SCALARS, {"zero", "huge"}),
            "alpha": (SCALARS, {"zero", "None"}),
            "reduction": (SCALARS, set()),
        },
    ),
    "brier_score": (
        xl.brier_score,
        dict(y_true=Y, probs=Z),
        {
            "y_true": (LABELS, {"float-int"}),
            "probs": (ARRAYS, {"wrong-classes"}),
            "reduction": (SCALARS, set()),
        },
    ),
    "squared_error_with_grad": (
        xl.squared_error_with_grad,
        dict(y_true=Y, logits=Z),
        {
            "y_true": (LABELS, {"float-int"}),
            "logits": (ARRAYS, {"wrong-classes"}),
            "reduction": (SCALARS, set()),
        },
    ),
    "multiclass_hinge_with_grad": (
        xl.multiclass_hinge_with_grad,
        dict(y_true=Y, scores=Z),
        {
            "y_true": (LABELS, {"float-int"}),
            "scores": (ARRAYS, {"wrong-classes"}),
            "margin": (SCALARS, {"zero", "huge"}),
            "reduction": (SCALARS, set()),
        },
    ),
    "binary_focal_loss_grad": (
        xl.binary_focal_loss_grad,
        dict(y_true=[[1.0, 0.0, 1.0]], logits=[[0.5, -1.0, 2.0]]),
        {
            "y_true": (ARRAYS, set()),
            "logits": (ARRAYS, {"inf", "-inf"}),
            "gamma": (SCALARS, {"zero", "huge"}),
            "alpha": (SCALARS, {"zero", "None"}),
            "reduction": (SCALARS, set()),
        },
    ),
    "numerical_gradient": (
        xl.numerical_gradient,
        dict(f=lambda v: float(np.sum(v**2)), x=[1.0, 2.0]),
        {"x": (ARRAYS, {"0-d", "3-d", "wrong-rows", "wrong-classes"}), "eps": (SCALARS, set())},
    ),
    "relative_error": (
        xl.relative_error,
        dict(a=Z, b=Z),
        {"a": (ARRAYS, set()), "b": (ARRAYS, set())},
    ),
    "make_blobs": (
        datasets.make_blobs,
        dict(n_samples=20),
        {
            "n_samples": (INTEGERS, set()),
            "n_classes": (INTEGERS, set()),
            "spread": (SCALARS, {"zero", "huge"}),
            "seed": (INTEGERS, {"zero-int"}),
        },
    ),
    "make_moons": (
        datasets.make_moons,
        dict(n_samples=20),
        {
            "n_samples": (INTEGERS, set()),
            "noise": (SCALARS, {"zero", "huge"}),
            "seed": (INTEGERS, {"zero-int"}),
        },
    ),
    "make_spirals": (
        datasets.make_spirals,
        dict(n_samples=20),
        {
            "n_samples": (INTEGERS, set()),
            "n_classes": (INTEGERS, set()),
            "noise": (SCALARS, {"zero", "huge"}),
        },
    ),
    "make_imbalanced": (
        datasets.make_imbalanced,
        dict(n_samples=40),
        {
            "n_samples": (INTEGERS, set()),
            "ratio": (ARRAYS, set()),
            "spread": (SCALARS, {"zero", "huge"}),
        },
    ),
    "make_multilabel": (
        datasets.make_multilabel,
        dict(n_samples=20),
        {
            "n_samples": (INTEGERS, set()),
            "n_labels": (INTEGERS, set()),
            "noise": (SCALARS, {"zero", "huge"}),
            "seed": (INTEGERS, {"zero-int"}),
        },
    ),
    "make_glyphs": (
        datasets.make_glyphs,
        dict(n_samples=20),
        {
            "n_samples": (INTEGERS, set()),
            "n_classes": (INTEGERS, set()),
            "noise": (SCALARS, {"zero", "huge"}),
            "max_shift": (INTEGERS, {"zero", "zero-int"}),
            "seed": (INTEGERS, {"zero-int"}),
        },
    ),
    "train_test_split": (
        datasets.train_test_split,
        dict(X=np.arange(20.0).reshape(10, 2), y=np.arange(10) % 2),
        {"X": (ARRAYS, set()), "y": (LABELS, set()), "test_size": (SCALARS, set())},
    ),
    "accuracy": (
        metrics.accuracy,
        dict(y_true=[0, 1], y_pred=[0, 0]),
        {  # any integer labels can be compared, as in scikit-learn
            "y_true": (LABELS, {"out-of-range", "float-int", "negative"}),
            "y_pred": (LABELS, {"out-of-range", "float-int", "negative"}),
        },
    ),
    "binary_accuracy": (
        metrics.binary_accuracy,
        dict(y_true=[[0, 0, 1], [0, 1, 0]], y_pred=[[0.1, 0.2, 0.3], [0.1, 0.6, 0.2]]),
        {
            "y_true": (ARRAYS, set()),
            "y_pred": (ARRAYS, set()),
            "threshold": (SCALARS, set()),
        },
    ),
    "confusion_matrix": (
        metrics.confusion_matrix,
        dict(y_true=[0, 1], y_pred=[0, 0]),
        {"y_true": (LABELS, {"out-of-range", "float-int"}), "n_classes": (INTEGERS, {"None"})},
    ),
    "precision_per_class": (
        metrics.precision_per_class,
        dict(y_true=[0, 1], y_pred=[0, 1]),
        {
            "y_true": (LABELS, {"out-of-range", "float-int"}),
            "y_pred": (LABELS, {"out-of-range", "float-int"}),
            "n_classes": (INTEGERS, {"None"}),
        },
    ),
    "precision_recall_curve": (
        metrics.precision_recall_curve,
        dict(y_true=[0, 1], scores=[0.3, 0.8]),
        {"y_true": (LABELS, set()), "scores": (ARRAYS, set())},
    ),
    "reliability_curve": (
        metrics.reliability_curve,
        dict(y_true=Y, probs=Z),
        {
            "y_true": (LABELS, {"float-int"}),
            "probs": (ARRAYS, {"wrong-classes"}),
            "n_bins": (INTEGERS, set()),
            "pos_label": (INTEGERS, {"None", "zero-int"}),
        },
    ),
    "expected_calibration_error": (
        metrics.expected_calibration_error,
        dict(y_true=Y, probs=Z),
        {
            "y_true": (LABELS, {"float-int"}),
            "probs": (ARRAYS, {"wrong-classes"}),
            "n_bins": (INTEGERS, set()),
            "pos_label": (INTEGERS, {"None", "zero-int"}),
        },
    ),
    "fit_temperature": (
        metrics.fit_temperature,
        dict(logits=Z, y=Y),
        {
            "logits": (ARRAYS, {"wrong-classes"}),
            "y": (LABELS, {"float-int"}),
            "bounds": (SCALARS, set()),
        },
    ),
    "SoftmaxRegression": (
        xl.SoftmaxRegression,
        dict(),
        {
            "lr": (SCALARS, {"huge"}),
            "epochs": (INTEGERS, set()),
            "batch_size": (INTEGERS, {"None"}),
            "l2": (SCALARS, {"zero", "huge"}),
            "label_smoothing": (SCALARS, {"zero"}),
            "seed": (INTEGERS, {"zero-int"}),
            "class_weight": (ARRAYS, {"None"}),
        },
    ),
    "TinyMLP": (
        xl.TinyMLP,
        dict(),
        {
            "hidden": (INTEGERS, set()),
            "activation": (SCALARS, set()),
            "lr": (SCALARS, {"huge"}),
        },
    ),
    "SoftmaxRegression.fit": (
        lambda X, y: xl.SoftmaxRegression(epochs=2).fit(X, y),
        dict(X=np.arange(12.0).reshape(6, 2), y=[0, 1, 0, 1, 0, 1]),
        {"X": (ARRAYS, set()), "y": (LABELS, set())},
    ),
    "SoftmaxRegression.predict": (
        lambda X: _model(xl.SoftmaxRegression).predict(X),
        dict(X=[[0.0, 1.0]]),
        {"X": (ARRAYS, set())},
    ),
    "TinyMLP.loss": (
        lambda X, y: _model(xl.TinyMLP, hidden=4).loss(X, y),
        dict(X=[[0.0, 1.0], [1.0, 0.0]], y=[0, 1]),
        {"X": (ARRAYS, set()), "y": (LABELS, {"float-int"})},
    ),
    "check_setup": (xl.check_setup, dict(verbose=False), {"verbose": (SCALARS, {"bool"})}),
}

# Non-finite results that are the right answer, and documented: log σ(−∞) = −∞, the
# limits of BCE at ±∞, log-softmax of a class ruled out, log-sum-exp of +∞ (as SciPy).
LIMITS = {
    ("binary_cross_entropy", "logits", "-inf"),
    ("binary_cross_entropy", "logits", "inf"),
    ("binary_focal_loss", "logits", "-inf"),
    ("binary_focal_loss", "logits", "inf"),
    ("log_sigmoid", "z", "-inf"),
    # A label 7 makes classes 2 … 7 that are never predicted: their precision is NaN.
    ("precision_per_class", "y_true", "out-of-range"),
    ("precision_per_class", "y_pred", "out-of-range"),
    ("precision_per_class", "y_true", "float-int"),
    ("precision_per_class", "y_pred", "float-int"),
    ("log_softmax", "z", "-inf"),
    ("logsumexp", "z", "inf"),
}


PARAMS = [
    pytest.param(case, arg, bad, id=f"{case}-{arg}={bad}")
    for case, (_, _, slots) in CASES.items()
    for arg, (catalogue, _) in slots.items()
    for bad in catalogue
]


def _finite(result) -> bool:
    if isinstance(result, tuple) and len(result) == 3 and np.ndim(result[2]) == 1:
        confidence, accuracy, counts = result  # a reliability curve: empty bins are NaN
        return _finite((confidence[counts > 0], accuracy[counts > 0]))
    if isinstance(result, tuple):
        return all(_finite(r) for r in result)
    if isinstance(result, (xl.SoftmaxRegression, xl.TinyMLP)):
        return True
    if hasattr(result, "ok"):  # check_setup's report
        return True
    return bool(np.all(np.isfinite(np.asarray(result, dtype=float))))


@pytest.mark.parametrize(("case", "arg", "bad"), PARAMS)
def test_bad_input_is_named_or_handled(case, arg, bad):
    fn, good, slots = CASES[case]
    catalogue, acceptable = slots[arg]
    kwargs = {**good, arg: catalogue[bad]}
    try:
        result = fn(**kwargs)
    except (TypeError, ValueError) as exc:
        message = str(exc)
        assert arg in message or (arg in ("X", "y") and ("X" in message or "y" in message)), (
            f"{case}({arg}={bad}) raised {type(exc).__name__} without naming {arg!r}: {message}"
        )
        assert "Traceback" not in message and len(message) > 20
        if isinstance(exc, ValueError) and type(exc) is not ValueError:
            assert type(exc).__name__ == "NotFittedError", f"a NumPy error leaked: {exc!r}"
        return
    assert bad in acceptable, f"{case}({arg}={bad}) was silently accepted: {result!r}"
    assert _finite(result) or (case, arg, bad) in LIMITS, (
        f"{case}({arg}={bad}) returned a non-finite result {result!r}"
    )


def test_every_public_function_is_walked():
    public = {n for n in xl.__all__ if callable(getattr(xl, n)) and n not in ("NotFittedError",)}
    walked = {case.split("(")[0].split(".")[0] for case in CASES}
    missing = public - walked
    assert not missing, f"not walked by the hostile-input table: {sorted(missing)}"
    for module in (datasets, metrics):
        names = {n for n in dir(module) if not n.startswith("_") and callable(getattr(module, n))}
        names = {n for n in names if getattr(module, n).__module__ == module.__name__}
        not_walked = names - walked - {"recall_per_class", "balanced_accuracy"}
        assert not not_walked, f"{module.__name__}: not walked: {sorted(not_walked)}"


# ---- the specific cases a reviewer found ------------------------------------------------
def test_bce_with_infinite_logits_has_the_right_limits():
    loss = xl.binary_cross_entropy([1.0, 0.0], logits=[-INF, -INF], reduction="none")
    assert loss.tolist() == [INF, 0.0]
    loss = xl.binary_cross_entropy([1.0, 0.0, 0.5], logits=[INF, INF, INF], reduction="none")
    assert loss.tolist() == [0.0, INF, INF]
    grad = xl.binary_cross_entropy_grad([1.0, 0.0], logits=[-INF, INF], reduction="none")
    assert grad.tolist() == [-1.0, 1.0]


def test_focal_losses_check_their_arguments():
    with pytest.raises(ValueError, match="logits contains NaN"):
        xl.focal_loss([0], logits=[[NAN, 0.0]])
    with pytest.raises(ValueError, match="alpha must be a number ≥ 0"):
        xl.focal_loss([0], logits=[[1.0, 0.0]], alpha=-1.0)
    with pytest.raises(
        ValueError, match="reduction must be one of 'mean', 'sum', 'none'; got 'summ'"
    ):
        xl.binary_focal_loss([1.0], logits=[0.5], reduction="summ")


def test_ignore_index_must_be_a_whole_number():
    with pytest.raises(TypeError, match=r"ignore_index must be an integer .* got 1\.5"):
        xl.cross_entropy([0, 1], logits=Z, ignore_index=1.5)


def test_calibration_metrics_check_labels_and_bins():
    with pytest.raises(ValueError, match="y_true contains the class index 3, but with 3 classes"):
        metrics.expected_calibration_error([0, 3], Z)
    with pytest.raises(ValueError, match=r"n_bins must be an integer ≥ 1 .* got 0"):
        metrics.reliability_curve(Y, Z, n_bins=0)


@pytest.mark.parametrize(
    ("bounds", "match"),
    [
        ((20, 0.05), r"bounds\[1\] must be a number > 20"),
        ((0, 1), r"bounds\[0\] must be a positive"),
    ],
)
def test_fit_temperature_checks_its_bounds(bounds, match):
    with pytest.raises(ValueError, match=match):
        metrics.fit_temperature(Z, Y, bounds=bounds)


@pytest.mark.parametrize(
    ("make", "kwargs", "match"),
    [
        (datasets.make_blobs, {"spread": NAN}, "spread must be a number ≥ 0 .* got nan"),
        (datasets.make_moons, {"noise": INF}, "noise must be a number ≥ 0 .* got inf"),
    ],
)
def test_datasets_refuse_nan_and_inf(make, kwargs, match):
    with pytest.raises(ValueError, match=match):
        make(**kwargs)


def test_softmax_of_huge_logits_at_low_temperature():
    np.testing.assert_array_equal(xl.softmax([1e308, 0.0], temperature=0.5), [1.0, 0.0])
    np.testing.assert_array_equal(xl.softmax([1e308, -1e308]), [1.0, 0.0])
    assert xl.log_softmax([1e308, 0.0], temperature=0.5).tolist() == [0.0, -INF]


@pytest.mark.parametrize("n_classes", [2, 3, 10])
def test_float16_probabilities_are_accepted_and_computed_well(n_classes):
    rng = np.random.default_rng(n_classes)
    p64 = rng.dirichlet(np.ones(n_classes), size=50)
    p16 = p64.astype(np.float16)  # rows sum to 1 only within float16's rounding
    y = rng.integers(0, n_classes, size=50)
    loss = xl.cross_entropy(y, probs=p16)
    assert loss.dtype == np.float16
    exact = -np.mean(np.log(p16.astype(float)[np.arange(50), y]))
    assert float(loss) == pytest.approx(exact, rel=2e-3)
    assert float(xl.entropy(p16[0])) == pytest.approx(float(xl.entropy(p64[0])), abs=5e-3)
    logits16 = np.log(p16.astype(np.float32)).astype(np.float16)
    assert xl.cross_entropy(y, logits=logits16).dtype == np.float16
    off = (p64 * 0.99).astype(np.float16)  # 1 % short of 1: beyond float16's rounding
    with pytest.raises(ValueError, match="probs must sum to 1"):
        xl.cross_entropy(y, probs=off)


# ---- NaN only where PyTorch documents it --------------------------------------------------
def test_nan_only_for_an_all_ignored_batch_or_an_all_masked_row():
    assert np.isnan(xl.cross_entropy([-100, -100], logits=Z, ignore_index=-100))
    masked = [[-INF, -INF, -INF], [0.0, 1.0, 2.0]]
    per_sample = xl.cross_entropy([0, 1], logits=masked, reduction="none")
    assert np.isnan(per_sample[0]) and np.isfinite(per_sample[1])
    assert np.isnan(xl.softmax(masked)[0]).all() and np.isfinite(xl.softmax(masked)[1]).all()
    # an ignored row costs nothing, even when all its logits are -inf
    ignored = xl.cross_entropy([-1, 1], logits=masked, ignore_index=-1, reduction="none")
    assert ignored.tolist()[0] == 0.0
    for fn in (xl.cross_entropy, xl.softmax):
        assert "NaN" in fn.__doc__


# ---- properties ------------------------------------------------------------------------
finite_or_masked = st.one_of(
    st.floats(-1e300, 1e300, allow_nan=False), st.just(-INF), st.sampled_from([0.0, 1e-300])
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(finite_or_masked, min_size=3, max_size=3), min_size=1, max_size=4),
    st.integers(0, 2),
)
def test_cross_entropy_is_never_nan_unless_a_row_is_all_masked(rows, label):
    z = np.array(rows)
    y = np.full(len(z), label)
    loss, grad = xl.cross_entropy_with_grad(y, logits=z, reduction="none")
    all_masked = np.all(np.isneginf(z), axis=1)
    assert np.all(np.isnan(loss) == all_masked)
    assert np.all(loss[~all_masked] >= 0)
    true_masked = np.isneginf(z[np.arange(len(z)), y]) & ~all_masked
    assert np.all(np.isinf(loss[true_masked]))
    ok = ~all_masked
    np.testing.assert_allclose(grad[ok].sum(axis=1), 0.0, atol=1e-12)
    assert np.all(np.isfinite(grad[ok]))


anything = st.one_of(
    st.none(),
    st.booleans(),
    st.text(max_size=5),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**20), 10**20),
    st.lists(st.floats(allow_nan=True), max_size=4),
    st.lists(st.lists(st.integers(-3, 3), max_size=3), max_size=3),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
)


@settings(max_examples=300, deadline=None)
@given(
    anything,
    st.sampled_from(["label_smoothing", "reduction", "weight", "ignore_index", "y_true", "logits"]),
)
def test_cross_entropy_never_leaks_a_numpy_error(value, arg):
    kwargs = {"y_true": Y, "logits": Z, arg: value}
    try:
        result = xl.cross_entropy(**kwargs)
    except (TypeError, ValueError) as exc:
        assert type(exc) in (TypeError, ValueError), repr(exc)
        assert arg in str(exc) or arg in ("y_true", "logits")
    else:
        assert np.all(np.isfinite(result)) or arg in ("logits",)


@settings(max_examples=300, deadline=None)
@given(
    anything,
    st.sampled_from(
        ["lr", "epochs", "l2", "label_smoothing", "seed", "class_weight", "batch_size"]
    ),
)
def test_model_constructors_never_accept_nonsense_silently(value, arg):
    try:
        model = xl.SoftmaxRegression(**{arg: value})
    except (TypeError, ValueError) as exc:
        assert type(exc) in (TypeError, ValueError) and arg in str(exc)
    else:
        stored = getattr(model, arg)
        if isinstance(stored, float):
            assert np.isfinite(stored)


def test_boolean_predictions_are_told_how_to_become_labels():
    """A learner's ``q >= t`` passed as predictions: the error says to use .astype(int)."""
    with pytest.raises(TypeError, match=r"y_pred .*dtype bool.*\.astype\(int\)"):
        xl.metrics.balanced_accuracy(np.array([0, 1]), np.array([0.2, 0.7]) >= 0.5)
