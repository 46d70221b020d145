r"""Special functions: log-sum-exp, softmax, log-softmax, sigmoid, log-sigmoid.

All are computed without overflow or warnings for any finite input (up to ±1.8e308) by
shifting by the maximum before exponentiating, and match ``scipy.special``. float16 and
float32 keep their dtype; integers become float64. float16 is computed in float32 and
rounded once at the end, as PyTorch does: a float16 sum overflows at 65,504, so the softmax
of 65,505 equal logits would be 0 instead of 1/65,505. NaN inputs are refused; ``-inf`` logits
are allowed (they rule a class out), and a row whose logits are all ``-inf`` gives NaN, as
in SciPy and PyTorch (there is no distribution to normalise).
"""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array, check_axis, check_no_nan, check_number, scalar_if_0d


def logsumexp(z, axis=-1, keepdims=False):
    r"""Log of the sum of exponentials, computed stably.

    .. math:: \operatorname{LSE}(z) = \log \sum_j e^{z_j}
              = m + \log\Big(k + \sum_{j:\,z_j<m} e^{z_j - m}\Big),\quad m = \max_j z_j

    where *k* counts the entries equal to the maximum. Shifting by *m* means no exponential
    overflows; the terms equal to the maximum are kept out of the sum and added back with
    ``log1p``, so ``logsumexp([0, -40])`` keeps the tiny ``e^{-40}`` as ``np.logaddexp`` does.
    Also called the "soft maximum"; it is the normaliser of softmax.

    Parameters
    ----------
    z : array_like
        Logits, any shape.
    axis : int, tuple of int or None, default -1
        Axis (axes) to reduce; None reduces everything.
    keepdims : bool, default False
        Keep the reduced axes with length 1 (handy for broadcasting back against ``z``).

    Returns
    -------
    ndarray or scalar
        ``z``'s shape without ``axis``.

    Examples
    --------
    >>> float(logsumexp([1000.0, 1000.0]))  # log(2 e^1000), no overflow
    1000.6931471805599
    >>> float(logsumexp([0.0, -40.0]))
    4.248354255291589e-18
    """
    given = _logits(z, axis)
    z = _working(given)
    a_max = np.max(z, axis=axis, keepdims=True)
    is_max = z == a_max
    shift = np.where(np.isfinite(a_max), a_max, 0.0).astype(z.dtype, copy=False)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        rest = np.sum(np.exp(np.where(is_max, -np.inf, z - shift)), axis=axis, keepdims=True)
        count = np.sum(is_max, axis=axis, keepdims=True).astype(z.dtype)
        out = a_max + np.log(count) + np.log1p(rest / count)
        # Rows whose maximum is ±inf or NaN: the answer is that maximum (as in SciPy).
        out = np.where(np.isfinite(a_max), out, a_max)
    if not keepdims:
        out = np.squeeze(out, axis=axis) if axis is not None else out.reshape(())
    with np.errstate(over="ignore"):  # beyond float16's range: ±∞, as it should
        return scalar_if_0d(out.astype(given.dtype, copy=False))


def _logits(z, axis):
    z = as_float_array(z, "z")
    check_no_nan(z, "z")
    check_axis(axis, z.ndim, "z", allow_tuple=True)
    return z


def _working(z):
    """The array computed with: float16 becomes float32 (the result is rounded back)."""
    return z.astype(np.float32) if z.dtype == np.float16 else z


def _shifted(z, axis, temperature):
    """``(z - max z) / T`` in the working dtype, and the dtype to return.

    Shifted first, so that dividing by a small T cannot overflow. A T that the logits'
    dtype cannot hold (float32's 1e-50 is 0, its 1e300 is inf) divides in float64: the
    gaps then round to −∞ or 0 in the logits' dtype, the limits (one-hot on the largest
    logits as T → 0, uniform as T → ∞), never NaN.
    """
    given = _logits(z, axis)
    z = _working(given)
    t = check_number(
        temperature,
        "temperature",
        example=1.0,
        low=0,
        low_open=True,
        fix="Use 1.0 for the plain softmax, > 1 to flatten, < 1 to sharpen.",
    )
    z_max = np.max(z, axis=axis, keepdims=True)
    if np.isposinf(z_max).any():
        raise ValueError(
            "z contains +inf; softmax needs finite logits (or -inf to rule a class out)."
        )
    z_max = np.where(np.isfinite(z_max), z_max, 0.0).astype(z.dtype, copy=False)
    with np.errstate(over="ignore"):  # a gap beyond ±1.8e308 is -inf: its weight is 0
        shifted = z - z_max
        if t != 1.0:
            scale = z.dtype.type(t)
            if np.isfinite(scale) and scale >= np.finfo(z.dtype).tiny:
                shifted /= scale
            else:  # T underflows or overflows in this dtype: divide in float64
                shifted = (shifted.astype(np.float64) / t).astype(z.dtype)
    return shifted, given.dtype


def softmax(z, axis=-1, temperature=1.0):
    r"""Turn logits into probabilities that sum to 1 along ``axis``.

    .. math:: \operatorname{softmax}(z)_i = \frac{e^{z_i/T}}{\sum_j e^{z_j/T}}

    Subtracting :math:`\max_j z_j` first changes nothing mathematically (softmax is
    *shift invariant*) and keeps every exponential at most 1. The temperature *T* flattens
    the distribution (*T* > 1) or sharpens it towards the arg-max (*T* < 1).

    Parameters
    ----------
    z : array_like
        Logits, e.g. shape ``(n_samples, n_classes)``.
    axis : int, default -1
        The class axis.
    temperature : float, default 1.0
        Positive and finite.

    Returns
    -------
    ndarray
        Same shape as ``z``; entries in [0, 1] summing to 1 along ``axis``. A row whose
        logits are all ``-inf`` has no distribution to normalise: it gives NaN (as SciPy
        and PyTorch do). +inf logits are an error.

    Examples
    --------
    >>> softmax([1.0, 2.0, 3.0]).round(4)
    array([0.09  , 0.2447, 0.6652])
    >>> softmax([1000.0, 0.0])  # no overflow
    array([1., 0.])
    """
    shifted, dtype = _shifted(z, axis, temperature)
    e = np.exp(shifted)
    with np.errstate(invalid="ignore"):  # a row of -inf: 0 / 0 = NaN, as documented
        return (e / np.sum(e, axis=axis, keepdims=True)).astype(dtype, copy=False)


def log_softmax(z, axis=-1, temperature=1.0):
    r"""Log of softmax, computed without forming the probabilities.

    .. math:: \log \operatorname{softmax}(z)_i = z_i - \operatorname{LSE}(z)
              = (z_i - m) - \log \sum_j e^{z_j - m}

    Taking ``np.log(softmax(z))`` instead gives ``-inf`` as soon as a probability
    underflows to 0; this form stays finite: ``log_softmax([1000, 1]) == [0, -999]``.

    Parameters
    ----------
    z : array_like
        Logits.
    axis : int, default -1
    temperature : float, default 1.0

    Returns
    -------
    ndarray
        Same shape as ``z``; every entry ≤ 0.

    Examples
    --------
    >>> log_softmax([1000.0, 1.0])
    array([   0., -999.])
    """
    shifted, dtype = _shifted(z, axis, temperature)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        out = shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))
        return out.astype(dtype, copy=False)  # beyond float16's range: −∞, as it should


def sigmoid(z):
    r"""The logistic function, the probability of the positive class from a logit.

    .. math:: \sigma(z) = \frac{1}{1 + e^{-z}} = \frac{e^{z}}{1 + e^{z}}

    The first form is used for z ≥ 0 and the second for z < 0, so no exponential
    overflows. σ(z) is a two-class softmax: ``softmax([z, 0])[0]``.

    Examples
    --------
    >>> sigmoid([-1e4, 0.0, 1e4])
    array([0. , 0.5, 1. ])
    """
    z = as_float_array(z, "z")
    check_no_nan(z, "z")
    e = np.exp(-np.abs(z))
    out = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(z.dtype, copy=False)
    return scalar_if_0d(out)


def log_sigmoid(z):
    r"""Log of the sigmoid, computed stably: :math:`\log\sigma(z) = -\operatorname{softplus}(-z)`.

    .. math:: \log \sigma(z) = \min(z, 0) - \log\big(1 + e^{-|z|}\big)

    Examples
    --------
    >>> log_sigmoid([-1e4, 0.0, 1e4])
    array([-1.00000000e+04, -6.93147181e-01, -0.00000000e+00])
    """
    z = as_float_array(z, "z")
    check_no_nan(z, "z")
    out = np.minimum(z, 0) - np.log1p(np.exp(-np.abs(z)))
    return scalar_if_0d(out.astype(z.dtype, copy=False))
