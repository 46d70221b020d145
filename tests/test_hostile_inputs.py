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

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import xentlib as xl
from xentlib import datasets, metrics

NAN, INF = float("nan"), float("inf")
Z_MASKED = [[0.1, 0.4, 0.5], [0.8, 0.1, 0.1]]

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
    "huge-int": 10**400,
    "masked": np.ma.masked,
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
    "masked": np.ma.masked_array(Z_MASKED, mask=[[0, 1, 0], [0, 0, 0]]),
    "masked-inside": [[0.1, np.ma.masked, 0.5], [0.8, 0.1, 0.1]],
    "huge-ints": [[10**400, 0, 0]],
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
    "masked": np.ma.masked_array([0, 1], mask=[0, 1]),
    "ragged": [[0, 1], [0]],
    "huge-int": [10**400, 0],
    "beyond-int64": [10**30, 0],
    "complex": [1j, 0],
}

Z = [[0.1, 0.4, 0.5], [0.8, 0.1, 0.1]]  # logits, probabilities or a distribution: 2 × 3
Y = [2, 0]
# logits whose best temperature is inside the bounds (for Z and Y it is T → 0: a warning)
Z_FIT = [[2.0, 0.0, 0.5], [0.5, 1.0, 0.0], [0.0, 0.3, 2.0], [1.5, 0.0, 0.0], [0.2, 2.0, 0.0]]
Y_FIT = [0, 1, 1, 0, 0]


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
    "kl_div": (
        xl.kl_div,
        dict(input=np.log(Z), target=Z),
        {"input": (ARRAYS, {"-inf"}), "target": (ARRAYS, set())},
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
    "band": (
        xl.band,
        dict(value=3e-9, below=1e-7),
        {
            # a round-off-sized value may be anything, NaN and ±inf included: it is shown
            "value": (SCALARS, {"nan", "inf", "-inf", "negative", "zero", "huge"}),
            "below": (SCALARS, {"negative", "zero", "huge"}),
        },
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
        # (y_true == k) is what its error advises for several classes: booleans are labels
        {"y_true": (LABELS, {"bool"}), "scores": (ARRAYS, set())},
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
        dict(logits=Z_FIT, y=Y_FIT),
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
    if (
        isinstance(result, tuple)
        and len(result) == 3
        and np.ndim(result[2]) == 1
        and len({np.shape(r) for r in result}) == 1
    ):
        confidence, accuracy, counts = result  # a reliability curve: empty bins are NaN
        return _finite((confidence[counts > 0], accuracy[counts > 0]))
    if isinstance(result, tuple):
        return all(_finite(r) for r in result)
    if isinstance(result, (xl.SoftmaxRegression, xl.TinyMLP)):
        return True
    if hasattr(result, "ok"):  # check_setup's report
        return True
    if isinstance(result, str):  # band's text
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


def _masked_like(value, hide: bool):
    arr = np.asarray(value)
    mask = np.zeros(arr.shape, bool)
    mask.flat[0] = hide
    return np.ma.masked_array(arr, mask=mask)


ARRAY_ARGUMENTS = [
    pytest.param(case, arg, id=f"{case}-{arg}")
    for case, (_, good, _) in CASES.items()
    for arg, value in good.items()
    if isinstance(value, (list, np.ndarray)) and np.size(value) > 0
]


@pytest.mark.parametrize(("case", "arg"), ARRAY_ARGUMENTS)
def test_a_masked_array_is_refused_never_unmasked(case, arg):
    """Issue 21: every function dropped the mask and computed with the hidden values. A mask
    that hides an entry is refused, naming the argument and the two ways out; a mask that
    hides nothing changes nothing."""
    fn, good, _ = CASES[case]
    with pytest.raises(TypeError, match=rf"{arg} is a masked array.*\.filled\(.*\.compressed\(\)"):
        fn(**{**good, arg: _masked_like(good[arg], hide=True)})
    with warnings.catch_warnings():  # (a model may warn that it diverged: both alike)
        warnings.simplefilter("ignore", RuntimeWarning)
        plain = fn(**good)
        unmasked = fn(**{**good, arg: _masked_like(good[arg], hide=False)})
    _assert_same(plain, unmasked)


def _assert_same(a, b):
    if isinstance(a, tuple):
        for x, y in zip(a, b, strict=True):
            _assert_same(x, y)
    elif isinstance(a, xl.SoftmaxRegression | xl.TinyMLP):
        _assert_same(a.history_["loss"], b.history_["loss"])
    else:
        np.testing.assert_array_equal(a, b)


def test_a_masked_element_inside_a_list_is_refused():
    with pytest.raises(TypeError, match="z is a masked array"):
        xl.softmax([1.0, np.ma.masked, 2.0])
    with pytest.raises(TypeError, match="temperature is a masked array"):
        xl.softmax([1.0, 2.0], temperature=np.ma.masked)


def test_every_public_function_is_walked():
    public = {n for n in xl.__all__ if callable(getattr(xl, n)) and n not in ("NotFittedError",)}
    walked = {case.split("(")[0].split(".")[0] for case in CASES}
    missing = public - walked
    assert not missing, f"not walked by the hostile-input table: {sorted(missing)}"
    for module in (datasets, metrics):
        names = {n for n in dir(module) if not n.startswith("_") and callable(getattr(module, n))}
        names = {n for n in names if getattr(module, n).__module__ == module.__name__}
        # load_digits and load_tempest take no arguments: there is nothing hostile to give
        # them (xl.language has its own walk, in tests/test_language.py)
        exempt = {"recall_per_class", "balanced_accuracy", "load_digits", "load_tempest"}
        not_walked = names - walked - exempt
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
        (datasets.make_blobs, {"spread": NAN}, "spread must be a number between 0 and .* got nan"),
        (datasets.make_moons, {"noise": INF}, "noise must be a number between 0 and .* got inf"),
        (datasets.make_spirals, {"noise": 1e308}, "noise must be a number between 0 and 1e"),
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


# ---- issue 21, section 1: never a silent wrong number --------------------------------------
def test_fit_temperature_refuses_a_true_class_ruled_out():
    """It returned its upper bound, 20.0, without a word."""
    with pytest.raises(ValueError, match=r"true class of sample 0 .* -inf: .* infinite"):
        metrics.fit_temperature([[-INF, 0.0], [1.0, 0.0]], [0, 0])


def test_fit_temperature_of_finite_huge_logits_does_not_blame_infinity():
    """Logits of 1e308 are finite; dividing by T < 1 overflowed, and the error said "logits
    contains +inf". Shifting by the row maximum first (the same losses) cannot overflow."""
    z = np.array([[1e308, 0.0], [0.0, 1e308], [1e308, 0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # the best T is at a bound: said so
        t = metrics.fit_temperature(z, [0, 1, 1])
    assert 0.05 <= t <= 20.0
    with pytest.warns(RuntimeWarning, match="best temperature is at the (lower|upper) end"):
        metrics.fit_temperature(Z, Y)  # both right: T → 0


def test_numerical_gradient_of_a_function_that_prints_is_an_error():
    """f printed instead of returning: the gradient was NaN (f returned None)."""
    with pytest.raises(TypeError, match=r"f returned None .* print"):
        xl.numerical_gradient(lambda v: print(float(v.sum())), [1.0, 2.0])
    with pytest.raises(TypeError, match="f must return a number"):
        xl.numerical_gradient(lambda v: "1.5", [1.0])
    with pytest.raises(ValueError, match="f returned nan"):
        xl.numerical_gradient(lambda v: float("nan"), [1.0])


def test_relative_error_of_opposite_huge_numbers_is_one():
    """|a − b| and |a| + |b| both overflowed: inf / inf = NaN."""
    assert xl.relative_error([1e308], [-1e308]) == 1.0
    assert xl.relative_error([1e308, 1.0], [1e308, 1.0]) == 0.0


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"test_size": 0.99}, ValueError, r"test_size=0\.99 leaves no rows for training"),
        ({"test_size": 0.01}, ValueError, r"test_size=0\.01 leaves no rows for testing"),
        ({"y": np.r_[np.nan, np.zeros(19)]}, ValueError, "y must hold whole-number"),
        ({"y": np.arange(20) + 1j}, TypeError, "y must hold integer class labels"),
        ({"stratify": "no"}, TypeError, "stratify must be True or False, got 'no'"),
    ],
    ids=["empty train", "empty test", "NaN labels", "complex labels", "stratify='no'"],
)
def test_train_test_split_never_returns_an_empty_part_or_odd_labels(kwargs, error, match):
    X, y = np.arange(40.0).reshape(20, 2), np.arange(20) % 2
    with pytest.raises(error, match=match):
        datasets.train_test_split(**{"X": X, "y": y, **kwargs})
    plain = datasets.train_test_split(X, y, stratify=False)
    assert [len(part) for part in plain] == [15, 5, 15, 5]


@pytest.mark.parametrize("layout", ["C", "F", "rows strided", "columns strided", "transposed"])
def test_loss_and_grad_writes_the_gradient_into_any_out(layout):
    """A strided out= (rows of a bigger buffer) got a gradient without its − one-hot: the
    subtraction landed in a copy."""
    from xentlib.losses import Targets, loss_and_grad

    rng = np.random.default_rng(0)
    z = rng.normal(size=(6, 4))
    y = rng.integers(0, 4, size=6)
    buffers = {
        "C": np.zeros((6, 4)),
        "F": np.zeros((6, 4), order="F"),
        "rows strided": np.zeros((12, 4))[::2],
        "columns strided": np.zeros((6, 8))[:, ::2],
        "transposed": np.zeros((4, 6)).T,
    }
    out = buffers[layout]
    _loss, grad = loss_and_grad(z.copy(), Targets.from_indices(y, 4), out=out)
    assert grad is out
    np.testing.assert_allclose(out, xl.softmax(z) - np.eye(4)[y], atol=1e-15)
    with pytest.raises(ValueError, match=r"out must have the logits' shape \(6, 4\)"):
        loss_and_grad(z.copy(), Targets.from_indices(y, 4), out=np.zeros((4, 6)))
    with pytest.raises(TypeError, match="logits must be a 2-D float array"):
        loss_and_grad([[0.0, 1.0]], Targets.from_indices(np.array([0]), 2))


# ---- issue 21, section 2: never a crash that is not ours -----------------------------------
@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: xl.softmax([1.0, 2.0], temperature=10**400), ValueError, "temperature"),
        (
            lambda: xl.cross_entropy([0], logits=[[0.0, 1.0]], ignore_index=10**400),
            ValueError,
            "ignore_index",
        ),
        (lambda: xl.cross_entropy([10**10, 0], logits=Z), ValueError, "class index 10000000000"),
        (lambda: xl.cross_entropy([10**30, 0], logits=Z), ValueError, "class index"),
        (
            lambda: xl.cross_entropy([10**400, 0], logits=Z),
            ValueError,
            "y_true contains an integer too large",
        ),
        (
            lambda: metrics.confusion_matrix([10**10, 0], [0, 0]),
            ValueError,
            "y_true contains the label 10000000000",
        ),
        (
            lambda: metrics.accuracy(np.array([2**64 - 1, 0], np.uint64), [0, 0]),
            ValueError,
            "y_true contains the label",
        ),
        (lambda: datasets.make_blobs(10**400), ValueError, "n_samples"),
        (lambda: datasets.make_blobs(10**12), ValueError, "n_samples"),
        (lambda: xl.cross_entropy([0], probs=[[0.5, 0.5]], eps=10**400), ValueError, "eps"),
    ],
    ids=[
        "temperature 10**400",
        "ignore_index 10**400",
        "label 10**10",
        "label 10**30",
        "label 10**400",
        "confusion label 10**10",
        "label 2**64-1",
        "n_samples 10**400",
        "n_samples 10**12",
        "eps 10**400",
    ],
)
def test_huge_integers_are_named_not_an_overflow(call, error, match):
    """temperature=10**400 and a label of 10**10 gave OverflowError; 10**12 samples a
    MemoryError."""
    with pytest.raises(error, match=match):
        call()


def test_a_confusion_matrix_of_a_huge_label_is_refused_before_it_is_allocated():
    """A label of 100000 tried to allocate 74.5 GiB."""
    with pytest.raises(ValueError, match=r"y_true contains the label 100000, .*\(74\.5 GiB\)"):
        metrics.confusion_matrix([0, 100_000], [0, 1])
    with pytest.raises(ValueError, match="y_pred contains the label 100000"):
        metrics.precision_per_class([0, 1], [0, 100_000])


@pytest.mark.parametrize(
    "call",
    [
        lambda: xl.cross_entropy([[0, 1], [0]], logits=Z),
        lambda: xl.nll_loss([[0, 1], [0]], np.log(Z)),
        lambda: xl.brier_score([[0, 1], [0]], Z),
        lambda: metrics.accuracy([[0, 1], [0]], [0, 1]),
        lambda: xl.focal_loss(Y, logits=Z, alpha=[[1.0], [1.0, 2.0]]),
    ],
    ids=["cross_entropy", "nll_loss", "brier_score", "accuracy", "focal_loss alpha"],
)
def test_a_ragged_list_is_named_in_our_words(call):
    """A ragged y_true got NumPy's "inhomogeneous shape" error."""
    with pytest.raises(ValueError, match="rows have different lengths") as caught:
        call()
    assert "inhomogeneous" not in str(caught.value)


def test_fitting_features_of_1e200_warns_instead_of_crashing():
    """SoftmaxRegression.fit crashed with LinAlgError while writing its divergence warning."""
    X, y = datasets.make_blobs(40, seed=0)
    with pytest.warns(RuntimeWarning, match=r"diverged .* not standardised .* beyond 1e154"):
        model = xl.SoftmaxRegression(epochs=5).fit(X * 1e200, y)
    assert model.diverged_


def test_precision_recall_curve_takes_the_booleans_it_advises():
    """Its error advises (y_true == k), and it refused the booleans that gives."""
    y = np.array([0, 2, 1, 2, 0])
    scores = [0.1, 0.8, 0.4, 0.6, 0.3]
    with pytest.raises(ValueError, match=r"pass \(y_true == k\)"):
        metrics.precision_recall_curve(y, scores)
    for got, want in zip(
        metrics.precision_recall_curve(y == 2, scores),
        metrics.precision_recall_curve((y == 2).astype(int), scores),
        strict=True,
    ):
        np.testing.assert_array_equal(got, want)
