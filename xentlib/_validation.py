"""Input checks shared by every public function: one place, one style of message.

Every message names the argument, says what was expected and what was given, and how to
fix it. Nothing here uses ``assert`` (asserts vanish under ``python -O``).
"""

from __future__ import annotations

import math
import numbers

import numpy as np


def _preview(arr: np.ndarray, limit: int = 6) -> str:
    flat = np.asarray(arr).ravel()
    text = np.array2string(flat[:limit], precision=4, separator=", ")
    return text[:-1] + ", …]" if flat.size > limit else text


# ---- scalars: one check for every number and every choice -------------------------------
def _given(value) -> str:
    """How an error message shows what the caller passed (short, never a huge array)."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, (list, tuple)) and len(value) > 6:
        return f"a {type(value).__name__} of {len(value)} items"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _interval_phrase(low, high, low_open, high_open, integer) -> str:
    kind = "an integer" if integer else "a number"
    if low is not None and high is not None:
        if not low_open and not high_open:
            return f"{kind} between {low:g} and {high:g}"
        left, right = "(" if low_open else "[", ")" if high_open else "]"
        return f"{kind} in {left}{low:g}, {high:g}{right}"
    if low is not None:
        if low == 0 and low_open:
            return "a positive integer" if integer else "a positive finite number"
        return f"{kind} {'>' if low_open else '≥'} {low:g}" + ("" if integer else " (finite)")
    if high is not None:
        return f"{kind} {'<' if high_open else '≤'} {high:g}" + ("" if integer else " (finite)")
    return kind if integer else "a finite number"


def check_number(
    value,
    name: str,
    *,
    example,
    low=None,
    high=None,
    low_open: bool = False,
    high_open: bool = False,
    integer: bool = False,
    fix: str = "",
):
    """``value`` as a float (or an int with ``integer=True``) in the interval from ``low`` to
    ``high`` (closed ends unless ``low_open`` / ``high_open``); NaN and ±inf are refused.

    A value of the wrong type (text, None, a bool, an array, a float where an integer is
    needed) raises TypeError; a number outside the interval, NaN or infinity raises
    ValueError. Both messages name the argument, what was expected (with ``example``), what
    was given and, when ``fix`` says more, how to fix it.

    >>> check_number(0.5, "lr", example=0.5, low=0, low_open=True)
    0.5
    >>> check_number(float("nan"), "lr", example=0.5, low=0, low_open=True)
    Traceback (most recent call last):
    ValueError: lr must be a positive finite number (for example 0.5), got nan.
    """
    expected = _interval_phrase(low, high, low_open, high_open, integer)
    message = f"{name} must be {expected} (for example {example}), got {_given(value)}."
    if fix:
        message += " " + fix
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(message)
    if integer:
        if not isinstance(value, numbers.Integral):
            raise TypeError(message)
        number = int(value)
    else:
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(message)
    too_low = low is not None and (number <= low if low_open else number < low)
    too_high = high is not None and (number >= high if high_open else number > high)
    if too_low or too_high:
        raise ValueError(message)
    return number


def check_choice(value, name: str, options, *, fix: str = ""):
    """``value`` if it is one of ``options``; else a TypeError (wrong type) or ValueError.

    >>> check_choice("mean", "reduction", ("mean", "sum", "none"))
    'mean'
    >>> check_choice("summ", "reduction", ("mean", "sum", "none"))
    Traceback (most recent call last):
    ValueError: reduction must be one of 'mean', 'sum', 'none'; got 'summ'.
    """
    listed = ", ".join(repr(o) for o in options)
    message = f"{name} must be one of {listed}; got {_given(value)}." + (f" {fix}" if fix else "")
    if all(isinstance(o, str) for o in options) and not isinstance(value, str):
        raise TypeError(message)
    try:
        if value in options:
            return value
    except TypeError:  # unhashable or incomparable values
        raise TypeError(message) from None
    raise ValueError(message)


def as_float_array(x, name: str, *, allow_empty: bool = False) -> np.ndarray:
    """``x`` as a floating-point array: float32 stays float32, anything else becomes float64.

    Raises TypeError for text, objects and complex numbers, ValueError for an empty input.
    """
    if isinstance(x, (str, bytes)):
        raise TypeError(f"{name} must be numbers (an array or list), got the text {x!r}.")
    try:
        arr = np.asarray(x)
    except ValueError as exc:  # ragged nested lists
        raise ValueError(
            f"{name} must be a rectangular array; got rows of different lengths ({exc})."
        ) from None
    if arr.dtype == object or arr.dtype.kind in "USV":
        raise TypeError(
            f"{name} must be numbers, got an array of {arr.dtype} (for example {_preview(arr)})."
        )
    if arr.dtype.kind == "c":
        raise TypeError(f"{name} must be real numbers, got complex values.")
    if arr.dtype not in (np.float32, np.float64):
        arr = arr.astype(np.float64)
    if arr.size == 0 and not allow_empty:
        raise ValueError(f"{name} is empty (shape {arr.shape}); pass at least one value.")
    return arr


def check_no_nan(arr: np.ndarray, name: str) -> None:
    if np.isnan(arr).any():
        where = tuple(int(i) for i in np.argwhere(np.isnan(arr))[0])
        raise ValueError(
            f"{name} contains NaN (first at index {where}); remove or fix the NaN values."
        )


def check_probabilities(arr: np.ndarray, name: str) -> None:
    """Every entry must be a probability: finite and in [0, 1]."""
    check_no_nan(arr, name)
    bad = (arr < 0) | (arr > 1)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"{name} must hold probabilities in [0, 1], but {name}[{where}] = {arr[where]:.6g}."
        )


def real_number(value, name: str, example: str) -> float:
    """``value`` as a float; a TypeError naming ``name`` when it is not a real number."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number such as {example}, got {value!r}.")
    return float(value)


def positive_int(value, name: str, example: str, minimum: int = 1) -> int:
    """An integer ≥ ``minimum`` (bools refused); a ValueError naming ``name`` otherwise."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        wanted = "a positive integer" if minimum == 1 else f"an integer ≥ {minimum}"
        raise ValueError(f"{name} must be {wanted} such as {example}, got {value!r}.")
    return int(value)


def number_above(value, name: str, example: str, *, strict: bool) -> float:
    """A real number > 0 (``strict``) or ≥ 0; a ValueError naming ``name`` otherwise."""
    number = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, bool
    )
    if not number or value < 0 or (strict and value == 0):
        wanted = "a positive number" if strict else "a number ≥ 0"
        raise ValueError(f"{name} must be {wanted} such as {example}, got {value!r}.")
    return float(value)


def scalar_if_0d(arr):
    """Unwrap a 0-d array into a NumPy scalar (of the same dtype); leave others alone."""
    return arr[()] if isinstance(arr, np.ndarray) and arr.ndim == 0 else arr


def check_gamma(gamma, zero_gives: str) -> float:
    """The focusing parameter of a focal loss: a number ≥ 0."""
    g = real_number(gamma, "gamma", "2.0")
    if not g >= 0:
        raise ValueError(f"gamma must be ≥ 0 (2.0 is usual; 0 gives {zero_gives}), got {gamma!r}.")
    return g


def check_temperature(temperature) -> float:
    t = real_number(temperature, "temperature", "1.0")
    if not (np.isfinite(t) and t > 0):
        raise ValueError(
            f"temperature must be positive and finite, got {temperature}; "
            "use 1.0 for the plain softmax, > 1 to flatten, < 1 to sharpen."
        )
    return t


def sum_tolerance(arr: np.ndarray) -> float:
    """How far from 1 a row of probabilities may sum (rounding, float32)."""
    return 1e-4 if arr.dtype == np.float32 else 1e-6


def check_distribution(arr: np.ndarray, name: str, axis: int = -1, *, hint: str = "") -> None:
    """Non-negative, finite, summing to 1 along ``axis``; no silent renormalising."""
    check_no_nan(arr, name)
    if np.isinf(arr).any():
        raise ValueError(f"{name} contains inf; a probability distribution must be finite.{hint}")
    if (arr < 0).any():
        where = tuple(int(i) for i in np.argwhere(arr < 0)[0])
        raise ValueError(
            f"{name} must be a probability distribution, but {name}[{where}] = {arr[where]:.6g} "
            f"is negative.{hint}"
        )
    sums = np.sum(arr, axis=axis)
    bad = np.abs(sums - 1) > sum_tolerance(arr) * max(1, arr.shape[axis] if arr.ndim else 1)
    if np.any(bad):
        first = (
            float(np.asarray(sums)[np.asarray(bad)].ravel()[0]) if np.ndim(sums) else float(sums)
        )
        raise ValueError(
            f"{name} must sum to 1 along axis {axis}, but a row sums to {first:.6g}.{hint} "
            f"If these are unnormalised weights, divide by their sum first: "
            f"{name} / {name}.sum(axis={axis}, keepdims=True)."
        )


REDUCTIONS = ("mean", "sum", "none")


def check_reduction(reduction) -> str:
    if reduction not in REDUCTIONS:
        raise ValueError(
            f"reduction must be one of 'mean', 'sum' or 'none', got {reduction!r}; "
            "'mean' averages over samples, 'sum' adds them up, 'none' returns one loss per sample."
        )
    return reduction


def check_label_smoothing(label_smoothing) -> float:
    value = real_number(label_smoothing, "label_smoothing", "0.1")
    if not 0.0 <= value <= 1.0:
        raise ValueError(
            f"label_smoothing must be in [0, 1], got {label_smoothing}; 0 turns it off and "
            "typical values are 0.05 to 0.2."
        )
    return value


def one_of_probs_logits(probs, logits, *, need_logits: bool = False):
    """Exactly one of ``probs=`` / ``logits=``: return ``("probs"|"logits", array)``."""
    if need_logits:
        if logits is None:
            raise TypeError(
                "logits is required: gradients are taken with respect to the logits (the raw "
                "scores before softmax). Pass logits=..."
            )
        return "logits", as_float_array(logits, "logits")
    if probs is None and logits is None:
        raise TypeError(
            "pass the prediction as probs=... (probabilities, e.g. after softmax) or as "
            "logits=... (raw scores before softmax); neither was given."
        )
    if probs is not None and logits is not None:
        raise TypeError(
            "pass either probs=... or logits=..., not both: they are two descriptions of the "
            "same prediction, and the loss needs exactly one."
        )
    if probs is not None:
        return "probs", as_float_array(probs, "probs")
    return "logits", as_float_array(logits, "logits")


def check_logits(logits: np.ndarray, row_max: np.ndarray | None = None) -> None:
    """Logits must not hold NaN or +inf (-inf is allowed: it masks a class out).

    ``max`` propagates NaN and +inf, so checking the (row) maxima is exact and cheap; pass
    ``row_max`` when the caller has computed it anyway.
    """
    top = np.max(logits) if row_max is None else np.max(row_max)
    if np.isnan(top):
        check_no_nan(logits, "logits")
    if top == np.inf:
        where = tuple(int(i) for i in np.argwhere(np.isposinf(logits))[0])
        raise ValueError(
            f"logits contains +inf at index {where}; logits must be finite numbers "
            "(or -inf to mask a class out)."
        )


PROBS_HINT = (
    " If these numbers are raw scores (logits), pass them as logits=... instead: "
    "the loss will apply softmax itself."
)


def check_class_probs(probs: np.ndarray, axis: int = -1) -> None:
    """A prediction given as probabilities: entries in [0, 1], rows summing to 1."""
    check_no_nan(probs, "probs")
    bad = (probs < 0) | (probs > 1)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"probs must hold probabilities in [0, 1], but probs[{where}] = {probs[where]:.6g}."
            + PROBS_HINT
        )
    check_distribution(probs, "probs", axis, hint=PROBS_HINT)


def check_prediction_shape(pred: np.ndarray, name: str) -> None:
    if pred.ndim not in (1, 2):
        raise ValueError(
            f"{name} must have shape (n_samples, n_classes) or (n_classes,), got shape {pred.shape}."
        )
    if pred.shape[-1] < 1:
        raise ValueError(f"{name} has no classes (shape {pred.shape}).")


def class_targets(y_true, pred: np.ndarray, ignore_index=None):
    """Interpret ``y_true`` against a ``(N, C)`` or ``(C,)`` prediction.

    Returns ``("index", y, keep)`` with integer labels ``y`` (ignored rows set to 0) and the
    boolean mask ``keep`` of rows that count, or ``("dist", t, None)`` for target
    distributions of the prediction's shape.
    """
    n_classes = pred.shape[-1]
    if isinstance(y_true, (str, bytes)):
        raise TypeError(f"y_true must be class indices or probabilities, got the text {y_true!r}.")
    y = np.asarray(y_true)
    if y.dtype == object or y.dtype.kind in "USV":
        raise TypeError(
            f"y_true must be integer class indices or probabilities, got {y.dtype} values."
        )
    if y.shape == pred.shape and not (pred.ndim == 1 and y.ndim == 0):
        if y.dtype == bool:
            y = y.astype(pred.dtype)
        t = as_float_array(y, "y_true").astype(pred.dtype, copy=False)
        check_distribution(t, "y_true", -1)
        return "dist", t, None
    expected = pred.shape[:-1]
    if y.shape != expected:
        raise ValueError(
            f"y_true has shape {y.shape}, but the prediction has shape {pred.shape}: pass one class "
            f"index per sample (shape {expected}) or one target distribution per sample "
            f"(shape {pred.shape})."
        )
    if y.size == 0:
        raise ValueError("y_true is empty: pass at least one sample.")
    if y.dtype == bool:
        raise TypeError("y_true is boolean; pass integer class indices 0 … n_classes-1.")
    if y.dtype.kind == "f":
        if not np.all(np.isfinite(y)) or np.any(y != np.round(y)):
            bad = y[~np.isfinite(y) | (y != np.round(y))].ravel()[0]
            raise ValueError(
                f"y_true must hold whole-number class indices, but it contains {bad!r}. "
                "For soft targets pass one distribution per sample, shaped like the prediction."
            )
    elif y.dtype.kind not in "iu":
        raise TypeError(f"y_true must be integer class indices, got dtype {y.dtype}.")
    y = y.astype(np.int64)
    keep = np.ones(y.shape, dtype=bool) if ignore_index is None else y != int(ignore_index)
    bad = keep & ((y < 0) | (y >= n_classes))
    if bad.any():
        value = int(y[bad].ravel()[0])
        raise ValueError(
            f"y_true contains the class index {value}, but with {n_classes} classes the indices "
            f"must be in 0 … {n_classes - 1}."
            + (" Negative labels are only allowed as ignore_index." if value < 0 else "")
        )
    return "index", np.where(keep, y, 0), keep


def check_class_weight(weight, n_classes: int, dtype) -> np.ndarray | None:
    if weight is None:
        return None
    w = as_float_array(weight, "weight").astype(dtype, copy=False)
    if w.shape != (n_classes,):
        raise ValueError(
            f"weight must have one entry per class, shape ({n_classes},), got shape {w.shape}."
        )
    check_no_nan(w, "weight")
    if (w < 0).any() or np.isinf(w).any():
        raise ValueError(f"weight must be finite and non-negative, got {_preview(w)}.")
    return w


# ---- models ----------------------------------------------------------------------------
def check_X(X, name: str = "X") -> np.ndarray:
    """A finite 2-D float64 array of shape (n_samples, n_features)."""
    try:
        arr = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must be a 2-D array of numbers (n_samples, n_features), "
            f"got {type(X).__name__}."
        ) from None
    if arr.ndim != 2:
        hint = " Use X.reshape(-1, 1) for a single feature." if arr.ndim == 1 else ""
        raise ValueError(
            f"{name} must be 2-D with shape (n_samples, n_features), got shape {arr.shape}.{hint}"
        )
    if arr.shape[0] == 0:
        raise ValueError(f"{name} has no samples (shape {arr.shape}).")
    bad = ~np.isfinite(arr)
    if bad.any():
        row = int(np.argwhere(bad)[0][0])
        raise ValueError(
            f"{name} contains NaN or infinity ({int(bad.sum())} entries, first in row {row}); "
            "remove or impute those values first."
        )
    return arr


def check_labels(y, n_samples: int | None = None, name: str = "y") -> np.ndarray:
    """Integer class labels, one per sample (``n_samples`` of them, when given)."""
    arr = np.asarray(y)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D (one label per sample), got shape {arr.shape}.")
    if n_samples is not None and arr.shape[0] != n_samples:
        raise ValueError(
            f"{name} has {arr.shape[0]} labels but X has {n_samples} samples; "
            "they must have the same length."
        )
    integral = np.issubdtype(arr.dtype, np.integer) or (
        np.issubdtype(arr.dtype, np.floating)
        and np.all(np.isfinite(arr))
        and np.all(arr == np.round(arr))
    )
    if not integral or np.issubdtype(arr.dtype, np.bool_):
        raise TypeError(
            f"{name} must hold integer class labels such as 0, 1, 2; got dtype {arr.dtype} "
            f"(e.g. {_preview(arr, 3)}). Encode string labels with np.unique(y, "
            "return_inverse=True)."
        )
    return arr.astype(np.int64)
