"""Input checks shared by every public function: one place, one style of message.

Every message names the argument, says what was expected and what was given, and how to
fix it. A value of the wrong *type* (text, None, a bool where a number is needed) raises
TypeError; a value of the right type but wrong *value* (NaN, out of range, wrong shape)
raises ValueError. Nothing here uses ``assert`` (asserts vanish under ``python -O``).
"""

from __future__ import annotations

import math
import numbers

import numpy as np


def _preview(arr: np.ndarray, limit: int = 6) -> str:
    flat = np.asarray(arr).ravel()
    text = np.array2string(flat[:limit], precision=4, separator=", ")
    return text[:-1] + ", …]" if flat.size > limit else text


def _given(value) -> str:
    """How an error message shows what the caller passed (short, never a huge array)."""
    if isinstance(value, np.ma.MaskedArray):
        return "a masked array" + ("" if value.ndim == 0 else f" of shape {value.shape}")
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**18:
        return f"an integer of {len(str(abs(value)))} digits"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, (list, tuple)) and len(value) > 6:
        return f"a {type(value).__name__} of {len(value)} items"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# ---- scalars: one check for every number and every choice -------------------------------
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

    def fail(error):  # the message is written only when it is needed
        expected = _interval_phrase(low, high, low_open, high_open, integer)
        message = f"{name} must be {expected} (for example {example}), got {_given(value)}."
        raise error(message + (" " + fix if fix else ""))

    refuse_masked(value, name)
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
        value = value.item()  # a 0-d array is a number (what np.asarray(0.5) gives)
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        fail(TypeError)
    if integer:
        if not isinstance(value, numbers.Integral):
            fail(TypeError)
        number = int(value)
        if not -(2**63) <= number < 2**63:  # beyond any index or count NumPy can hold
            fail(ValueError)
    else:
        try:
            number = float(value)
        except OverflowError:  # an int beyond 1.8e308, such as 10**400
            fail(ValueError)
        if not math.isfinite(number):
            fail(ValueError)
    too_low = low is not None and (number <= low if low_open else number < low)
    too_high = high is not None and (number >= high if high_open else number > high)
    if too_low or too_high:
        fail(ValueError)
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


def log_base(base) -> float:
    """The natural log of a logarithm's ``base`` (1.0 for None: nats); 2 gives bits."""
    if base is None:
        return 1.0
    fix = "Use 2 for bits or None for nats; base 1 has no logarithm."
    base = check_number(base, "base", example=2, low=0, low_open=True, fix=fix)
    if base == 1:
        raise ValueError(f"base must be a positive number other than 1, got 1. {fix}")
    return float(np.log(base))


def check_pair(value, name: str, *, example) -> tuple[float, float]:
    """Two finite numbers ``(low, high)`` with low < high (axis limits, bounds)."""
    try:
        low, high = value
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must be a pair (low, high) such as {example}, got {_given(value)}."
        ) from None
    low = check_number(low, f"{name}[0]", example=example[0])
    high = check_number(
        high,
        f"{name}[1]",
        example=example[1],
        low=low,
        low_open=True,
        fix=f"{name} is (low, high).",
    )
    return low, high


def check_texts(values, n: int, name: str) -> list[str] | None:
    """None, or ``n`` names (one per bar, class or tick), as text."""
    if values is None:
        return None
    if isinstance(values, (str, bytes)) or not isinstance(values, (list, tuple, np.ndarray)):
        raise TypeError(
            f"{name} must be a list of {n} names such as ['cat', 'dog'], got {_given(values)}."
        )
    if len(values) != n:
        raise ValueError(f"{name} must have {n} entries (one per bar), got {len(values)}.")
    return [str(v) for v in values]


def check_text(value, name: str, *, example: str, min_words: int = 1) -> str:
    """``value`` as text of at least ``min_words`` words (a TypeError for anything else).

    >>> check_text("The loss against q", "alt", example="...")
    'The loss against q'
    >>> check_text("  ", "alt", example="The loss against q")
    Traceback (most recent call last):
    ValueError: alt must be text of at least 1 word, such as 'The loss against q'; got '  '.
    """
    if not isinstance(value, str):
        raise TypeError(f"{name} must be text, such as {example!r}; got {_given(value)}.")
    if len(value.split()) < min_words:
        unit = "word" if min_words == 1 else "words"
        raise ValueError(
            f"{name} must be text of at least {min_words} {unit}, such as {example!r}; "
            f"got {value!r}."
        )
    return value.strip()


REDUCTIONS = ("mean", "sum", "none")


def check_reduction(reduction) -> str:
    return check_choice(
        reduction,
        "reduction",
        REDUCTIONS,
        fix="'mean' averages over samples, 'sum' adds them up, 'none' returns one loss per sample.",
    )


def check_axis(axis, ndim: int, name: str, *, allow_tuple: bool = False):
    """An axis of the array ``name`` with ``ndim`` dimensions (negative counts from the end)."""
    axes = axis if allow_tuple and isinstance(axis, tuple) else (axis,)
    if allow_tuple and axis is None:
        return axis
    if ndim == 0:
        raise ValueError(
            f"{name} is a single number, so it has no axis {axis}: pass a vector, one entry "
            "per class (for example [2.0, 1.0, 0.1])."
        )
    for a in axes:
        check_number(
            a,
            "axis",
            example=-1,
            low=-ndim,
            high=ndim - 1,
            integer=True,
            fix=f"{name} has {ndim} dimension(s); -1 is the last (the class axis)."
            + (" None reduces every axis." if allow_tuple else ""),
        )
    return axis


def scalar_if_0d(arr):
    """Unwrap a 0-d array into a NumPy scalar (of the same dtype); leave others alone."""
    return arr[()] if isinstance(arr, np.ndarray) and arr.ndim == 0 else arr


# ---- arrays ---------------------------------------------------------------------------------
def _masked_inside(x, depth: int = 0) -> bool:
    """Whether a (nested) list or tuple holds a masked array or ``np.ma.masked``."""
    if isinstance(x, np.ma.MaskedArray):
        return bool(np.ma.getmaskarray(x).any())
    if isinstance(x, (list, tuple)) and depth < 32:
        return any(_masked_inside(v, depth + 1) for v in x)
    return False


def refuse_masked(x, name: str) -> None:
    """A masked array whose mask hides entries is refused (TypeError): NumPy would hand over
    the hidden values as if they were data. (A mask that hides nothing changes nothing.)"""
    if _masked_inside(x):
        raise TypeError(
            f"{name} is a masked array (numpy.ma) with masked entries; xentlib does not use "
            f"masks, and ignoring yours would compute with the hidden values. Pass "
            f"{name}.filled(value) to give the masked entries a value, or "
            f"{name}.compressed() to drop them (it flattens to 1-D)."
        )


def as_array(x, name: str) -> np.ndarray:
    """``x`` as a NumPy array, refusing what ``np.asarray`` would get silently wrong or
    explain in NumPy's words: None and text (TypeError), masked arrays that hide entries
    (TypeError), ragged nested lists (ValueError) and integers too large for any NumPy
    number (ValueError). The dtype is NumPy's choice; the callers check it."""
    if x is None or isinstance(x, (str, bytes)):
        raise TypeError(f"{name} must be numbers (an array or a list), got {_given(x)}.")
    refuse_masked(x, name)
    if isinstance(x, np.ma.MaskedArray):
        x = x.data  # nothing is hidden
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError):  # ragged nested lists
        raise ValueError(
            f"{name} must be a rectangular array of numbers, but its rows have different "
            "lengths; give every row the same number of entries."
        ) from None
    if arr.dtype == object and arr.size:
        arr = _huge_integers(arr, name)
    return arr


def _huge_integers(arr: np.ndarray, name: str) -> np.ndarray:
    """An object array of Python integers too large for int64 (10**30): as float64 when
    they fit one, else a ValueError; other object arrays are returned for the caller."""
    flat = arr.ravel()
    if not all(isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in flat):
        return arr
    try:
        return arr.astype(np.float64)
    except OverflowError:
        raise ValueError(
            f"{name} contains an integer too large for a float (beyond ±1.8e308, for "
            f"example one of {len(str(max(abs(int(v)) for v in flat)))} digits); no class "
            "index, count or score is that large."
        ) from None


def as_float_array(x, name: str, *, allow_empty: bool = False) -> np.ndarray:
    """``x`` as a floating-point array: float16 and float32 keep their dtype, anything else
    (ints, bools, lists) becomes float64.

    Raises TypeError for None, text, objects, complex numbers and masked arrays that hide
    entries; ValueError for ragged nested lists and (unless ``allow_empty``) an empty input.
    """
    arr = as_array(x, name)
    if arr.dtype == object or arr.dtype.kind in "USVMm":
        raise TypeError(
            f"{name} must be numbers, got an array of {arr.dtype} (for example {_preview(arr)})."
        )
    if arr.dtype.kind == "c":
        raise TypeError(f"{name} must be real numbers, got complex values.")
    if arr.dtype not in (np.float16, np.float32, np.float64):
        arr = arr.astype(np.float64)
    if arr.size == 0 and not allow_empty:
        raise ValueError(f"{name} is empty (shape {arr.shape}); pass at least one value.")
    return arr


def _first_where(mask: np.ndarray) -> tuple:
    return tuple(int(i) for i in np.argwhere(mask)[0])


def check_no_nan(arr: np.ndarray, name: str) -> None:
    if np.isnan(arr).any():
        raise ValueError(
            f"{name} contains NaN (first at index {_first_where(np.isnan(arr))}); remove or "
            "fix the NaN values."
        )


def check_finite(arr: np.ndarray, name: str) -> None:
    check_no_nan(arr, name)
    if np.isinf(arr).any():
        raise ValueError(
            f"{name} contains infinity (first at index {_first_where(np.isinf(arr))}); "
            "it must hold finite numbers."
        )


def check_probabilities(arr: np.ndarray, name: str, hint: str = "") -> None:
    """Every entry must be a probability: in [0, 1] (so finite, and not NaN)."""
    check_no_nan(arr, name)
    bad = (arr < 0) | (arr > 1)
    if bad.any():
        where = _first_where(bad)
        raise ValueError(
            f"{name} must hold probabilities in [0, 1], but {name}[{where}] = "
            f"{float(arr[where]):.6g}.{hint}"
        )


def sum_tolerance(dtype, n_entries: int) -> float:
    r"""How far from 1 the sum of a distribution of ``n_entries`` numbers held in ``dtype``
    may be: the rounding error of the sum, and not more.

    With :math:`u` = eps/2 the unit roundoff of ``dtype`` and :math:`\eta` its smallest
    subnormal number, the sum of a row that sums to 1 exactly before rounding is off by

    - at most :math:`u` for storing the entries (each is off by half an ulp, :math:`u\,p_i`
      at most, :math:`u` in all), plus :math:`n\eta/2` for entries below the normal range
      (float16's 1/n for n = 10**6 is subnormal: its spacing is fixed, not relative);
    - and, when the row was normalised in ``dtype`` (:math:`p = e / \sum e`, as a softmax
      does), the rounding error of :math:`\sum e`: for any order of summation it stays
      below :math:`\lambda\sqrt{n}\,u` with probability at least
      :math:`1 - 2e^{-\lambda^2/2}` (Higham & Mary 2019, probabilistic rounding error
      analysis); :math:`\lambda = 4` gives 0.9993, and NumPy's pairwise summation is far
      inside it (its worst case grows with :math:`\log n`).

    So the tolerance is :math:`(4\sqrt{n} + 2)\,u + n\eta = \mathrm{eps}\,(2\sqrt{n} + 1) +
    n\eta`: 7.7e-06 for 1000 float32 entries, 7.2e-03 for 10 float16 entries, 1e-15 for 3
    float64 entries. xentlib's own softmax rows are accepted up to 10**6 classes in
    float16, float32 and float64 (``tests/test_special_and_information.py``); a float32
    row of 1000 classes 0.1 % off is not.
    """
    info = np.finfo(dtype)
    return float(info.eps) * (2 * math.sqrt(n_entries) + 1) + n_entries * float(
        info.smallest_subnormal
    )


def check_distribution(
    arr: np.ndarray, name: str, axis: int = -1, *, hint: str = "", dtype=None
) -> None:
    """Entries in [0, 1] summing to 1 along ``axis`` (within the rounding of ``dtype``, the
    dtype the caller gave, by default ``arr``'s: :func:`sum_tolerance`); nothing is
    renormalised silently."""
    check_probabilities(arr, name, hint)
    sums = np.sum(arr, axis=axis, dtype=np.float64)
    n = arr.shape[axis] if arr.ndim else 1
    dtype = np.dtype(dtype or arr.dtype)
    tolerance = sum_tolerance(dtype, n)
    off = np.abs(sums - 1)
    bad = off > tolerance
    if np.any(bad):
        first = (
            float(np.asarray(sums)[np.asarray(bad)].ravel()[0]) if np.ndim(sums) else float(sums)
        )
        as_float32 = ""
        if dtype == np.float64 and abs(first - 1) <= sum_tolerance(np.float32, n):
            as_float32 = (
                f" If they were computed in float32, pass them as float32 "
                f"({name}.astype(np.float32)): they are then held to float32's rounding."
            )
        raise ValueError(
            f"{name} must sum to 1 along axis {axis}, but a row sums to {first:.10g} (off by "
            f"{abs(first - 1):.2g}; the rounding of {n} {dtype} entries allows {tolerance:.2g})."
            f"{hint} If these are unnormalised weights, divide by their sum first: "
            f"{name} / {name}.sum(axis={axis}, keepdims=True).{as_float32}"
        )


def check_weights(weight, name: str, shape: tuple, dtype) -> np.ndarray:
    """Non-negative finite weights of ``shape``, not all zero."""
    w = as_float_array(weight, name).astype(dtype, copy=False)
    if w.shape != shape:
        raise ValueError(
            f"{name} must have shape {shape} (one weight per class), got shape {w.shape}."
        )
    check_finite(w, name)
    if (w < 0).any() or not (w > 0).any():
        raise ValueError(
            f"{name} must be non-negative with at least one positive entry, got {_preview(w)}; "
            "a weight of 0 switches a class off, a negative one would reward mistakes."
        )
    return w


PROBS_HINT = (
    " If these numbers are raw scores (logits), pass them as logits=... instead: "
    "the loss will apply softmax itself."
)


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


def check_logits(logits: np.ndarray, *, allow_inf: bool = False) -> None:
    """Logits must not hold NaN or +inf (-inf is allowed: it masks a class out). With
    ``allow_inf`` both infinities are allowed (a sigmoid has finite limits at ±∞)."""
    check_no_nan(logits, "logits")
    if not allow_inf and np.isposinf(logits).any():
        raise ValueError(
            f"logits contains +inf at index {_first_where(np.isposinf(logits))}; logits must "
            "be finite numbers (or -inf to mask a class out)."
        )


def check_class_probs(probs: np.ndarray, axis: int = -1, *, dtype=None) -> None:
    """A prediction given as probabilities: entries in [0, 1], rows summing to 1."""
    check_distribution(probs, "probs", axis, hint=PROBS_HINT, dtype=dtype)


def check_prediction_shape(pred: np.ndarray, name: str) -> None:
    if pred.ndim not in (1, 2):
        raise ValueError(
            f"{name} must have shape (n_samples, n_classes) or (n_classes,), got shape {pred.shape}."
        )
    if pred.shape[-1] < 1 or pred.size == 0:
        raise ValueError(f"{name} is empty (shape {pred.shape}); pass at least one sample.")


def check_class_indices(y, n_classes: int, name: str = "y_true", *, ignore_index=None):
    """Whole-number class indices in ``0 … n_classes − 1`` (``ignore_index`` excepted), as
    int64. Floats that are whole numbers are accepted; bools and text are not."""
    arr = as_array(y, name)
    if arr.dtype == bool:
        raise TypeError(f"{name} is boolean; pass integer class indices 0 … {n_classes - 1}.")
    if arr.dtype.kind == "f":
        bad = ~np.isfinite(arr) | (arr != np.round(arr))
        if bad.any():
            raise ValueError(
                f"{name} must hold whole-number class indices, but it contains "
                f"{float(arr[bad].ravel()[0])!r}. For soft targets pass one distribution per "
                "sample, shaped like the prediction."
            )
    elif arr.dtype.kind not in "iu":
        raise TypeError(f"{name} must be integer class indices, got {arr.dtype} values.")
    bad = (arr < 0) | (arr >= n_classes)
    if ignore_index is not None:
        bad &= arr != ignore_index
    if bad.any():
        value = arr[bad].ravel()[0]
        value = int(value) if abs(value) < 2**62 else float(value)
        raise ValueError(
            f"{name} contains the class index {value}, but with {n_classes} classes the indices "
            f"must be in 0 … {n_classes - 1}."
            + (" Negative labels are only allowed as ignore_index." if value < 0 else "")
        )
    return arr.astype(np.int64)


# ---- models, datasets and metrics ---------------------------------------------------------
def check_X(X, name: str = "X") -> np.ndarray:
    """A finite 2-D float64 array of shape (n_samples, n_features), with at least one of each."""
    if X is None or isinstance(X, (str, bytes)):
        raise TypeError(
            f"{name} must be a 2-D array of numbers (n_samples, n_features), got {_given(X)}."
        )
    arr = as_array(X, name)
    if arr.dtype == object or arr.dtype.kind in "USVMmc":
        raise TypeError(
            f"{name} must be a 2-D array of real numbers (n_samples, n_features), got an array "
            f"of {arr.dtype} (for example {_preview(arr, 3)})."
        )
    arr = arr.astype(np.float64, copy=False)
    if arr.ndim != 2:
        hint = " Use X.reshape(-1, 1) for a single feature." if arr.ndim == 1 else ""
        raise ValueError(
            f"{name} must be 2-D with shape (n_samples, n_features), got shape {arr.shape}.{hint}"
        )
    if arr.shape[0] == 0 or arr.shape[1] == 0:
        raise ValueError(
            f"{name} has shape {arr.shape}: it needs at least one sample and one feature."
        )
    bad = ~np.isfinite(arr)
    if bad.any():
        row = int(np.argwhere(bad)[0][0])
        raise ValueError(
            f"{name} contains NaN or infinity ({int(bad.sum())} entries, first in row {row}); "
            "remove or impute those values first."
        )
    return arr


def check_labels(y, n_samples: int | None = None, name: str = "y", rows_of: str = "X"):
    """Integer class labels, one per sample (``n_samples`` of them, when given: the number of
    rows of the array called ``rows_of``)."""
    if y is None or isinstance(y, (str, bytes)):
        raise TypeError(f"{name} must be an array of integer class labels, got {_given(y)}.")
    arr = as_array(y, name)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D (one label per sample), got shape {arr.shape}.")
    if n_samples is not None and arr.shape[0] != n_samples:
        raise ValueError(
            f"{name} has {arr.shape[0]} labels but {rows_of} has {n_samples} rows; "
            "they must have the same length (one label per row)."
        )
    if arr.size == 0:
        raise ValueError(f"{name} is empty: pass at least one label.")
    if np.issubdtype(arr.dtype, np.floating):
        bad = ~np.isfinite(arr) | (arr != np.round(arr)) | (np.abs(arr) >= 2**53)
        if bad.any():  # 2**53: the whole numbers a float holds exactly
            raise ValueError(
                f"{name} must hold whole-number class labels such as 0, 1, 2, but it contains "
                f"{float(arr[bad][0])!r} (at index {int(np.argmax(bad))})."
            )
    elif not np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.bool_):
        fix = (
            "A comparison such as q >= t gives True/False: turn it into labels with "
            ".astype(int) (False → 0, True → 1)."
            if np.issubdtype(arr.dtype, np.bool_)
            else "Encode string labels with np.unique(y, return_inverse=True)."
        )
        raise TypeError(
            f"{name} must hold integer class labels such as 0, 1, 2; got dtype {arr.dtype} "
            f"(e.g. {_preview(arr, 3)}). {fix}"
        )
    if arr.dtype.kind == "u" and int(arr.max()) >= 2**63:  # would wrap round in int64
        raise ValueError(
            f"{name} contains the label {int(arr.max())}, beyond any class label (2**63 − 1); "
            "encode labels as 0, 1, 2, … with np.unique(y, return_inverse=True)."
        )
    return arr.astype(np.int64)
