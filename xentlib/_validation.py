"""Input checks shared by every public function: one place, one style of message.

Every message names the argument, says what was expected and what was given, and how to
fix it. Nothing here uses ``assert`` (asserts vanish under ``python -O``).
"""

from __future__ import annotations

import numpy as np


def _preview(arr: np.ndarray, limit: int = 6) -> str:
    flat = np.asarray(arr).ravel()
    text = np.array2string(flat[:limit], precision=4, separator=", ")
    return text[:-1] + ", …]" if flat.size > limit else text


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
