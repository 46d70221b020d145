r"""Checking gradients numerically: central differences and the relative error.

A derived gradient is only trusted once it agrees with a numerical one. The standard check
(CS231n) compares them with a *relative* error: below about 1e-7 the analytic gradient is
right; around 1e-2 or above it is wrong.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_array, as_float_array, check_finite, check_number


def numerical_gradient(f, x, *, eps=1e-6):
    r"""Gradient of a scalar function by central differences, one coordinate at a time.

    .. math:: \frac{\partial f}{\partial x_k} \approx \frac{f(x + \epsilon e_k) - f(x - \epsilon e_k)}{2\epsilon}

    The error of the central difference is :math:`O(\epsilon^2)`; ``eps=1e-6`` balances it
    against rounding error in float64.

    Parameters
    ----------
    f : callable
        ``f(x) -> scalar``.
    x : array_like
        The point, any shape; computed in float64 and never modified.
    eps : float, default 1e-6

    Returns
    -------
    ndarray
        Shape of ``x``.

    Examples
    --------
    >>> numerical_gradient(lambda v: float(np.sum(v ** 2)), np.array([1.0, -2.0])).round(6)
    array([ 2., -4.])
    """
    if not callable(f):
        raise TypeError(f"f must be a function of x returning a number, got {type(f).__name__}.")
    eps = check_number(eps, "eps", example=1e-6, low=0, high=1, low_open=True)
    x = np.array(as_float_array(x, "x"), dtype=np.float64, copy=True)
    check_finite(x, "x")
    grad = np.zeros_like(x)
    flat, g = x.reshape(-1), grad.reshape(-1)
    for k in range(flat.size):
        old = flat[k]
        flat[k] = old + eps
        f_plus = _scalar(f(x), f"x + eps at coordinate {k}")
        flat[k] = old - eps
        f_minus = _scalar(f(x), f"x - eps at coordinate {k}")
        flat[k] = old
        g[k] = (f_plus - f_minus) / (2 * eps)
    return grad


def _scalar(value, where: str) -> float:
    """``f``'s value as a float: a real number (or an array holding one), finite."""
    if value is None:
        raise TypeError(
            f"f returned None at {where}: did it print the loss instead of returning it? "
            "End f with return ..."
        )
    if isinstance(value, (str, bytes, bool, np.bool_)) or (
        isinstance(value, np.ndarray) and value.dtype.kind not in "iuf"
    ):
        raise TypeError(
            f"f must return a number (the loss), got {type(value).__name__} {value!r:.40} at "
            f"{where}: did it print instead of return, or return text?"
        )
    try:
        arr = np.asarray(as_array(value, "f's value"), dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        raise TypeError(
            f"f must return a number (the loss), got {type(value).__name__}: did it print "
            "instead of return, or return a string?"
        ) from None
    if arr.size != 1:
        raise ValueError(
            f"f must return a single number (a scalar loss), got shape {arr.shape}; "
            "reduce it with .sum() or .mean() first."
        )
    number = float(arr.reshape(()))
    if not np.isfinite(number):
        raise ValueError(
            f"f returned {number} at {where}: a central difference needs finite values of f "
            "on both sides; check x (or take a smaller eps)."
        )
    return number


def relative_error(a, b):
    r"""The largest elementwise relative error between two arrays (CS231n's ``rel_error``).

    .. math:: \max_k \frac{|a_k - b_k|}{\max(10^{-8},\, |a_k| + |b_k|)}

    Computed on halves (exact in binary), so that entries near ±1.8e308 give their
    relative error (1 for opposite signs), not ∞ / ∞ = NaN.

    Examples
    --------
    >>> relative_error([1.0, 2.0], [1.0, 2.0])
    0.0
    >>> round(relative_error([1.0], [1.1]), 4)
    0.0476
    """
    a = as_float_array(a, "a").astype(np.float64)
    b = as_float_array(b, "b").astype(np.float64)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}.")
    check_finite(a, "a")
    check_finite(b, "b")
    half_a, half_b = a / 2, b / 2  # |a/2 − b/2| ≤ |a|/2 + |b|/2 < 1.8e308: no overflow
    return float(
        np.max(np.abs(half_a - half_b) / np.maximum(1e-8 / 2, np.abs(half_a) + np.abs(half_b)))
    )
