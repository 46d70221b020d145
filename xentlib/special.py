r"""Special functions: log-sum-exp, softmax, log-softmax, sigmoid, log-sigmoid.

All are computed without overflow or warnings for inputs up to :math:`|z| = 10^4` (and
far beyond) by shifting by the maximum before exponentiating, and match ``scipy.special``.
float32 stays float32; integers become float64.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array, check_temperature, scalar_if_0d


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
    z = as_float_array(z, "z")
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
    return scalar_if_0d(out.astype(z.dtype, copy=False))


def _shifted(z, axis, temperature):
    z = as_float_array(z, "z")
    t = check_temperature(temperature)
    if t != 1.0:
        z = z / np.asarray(t, dtype=z.dtype)
    z_max = np.max(z, axis=axis, keepdims=True)
    z_max = np.where(np.isfinite(z_max), z_max, 0.0).astype(z.dtype, copy=False)
    return z - z_max


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
        Same shape as ``z``; entries in [0, 1] summing to 1 along ``axis``.

    Examples
    --------
    >>> softmax([1.0, 2.0, 3.0]).round(4)
    array([0.09  , 0.2447, 0.6652])
    >>> softmax([1000.0, 0.0])  # no overflow
    array([1., 0.])
    """
    shifted = _shifted(z, axis, temperature)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


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
    shifted = _shifted(z, axis, temperature)
    with np.errstate(divide="ignore"):
        return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


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
    out = np.minimum(z, 0) - np.log1p(np.exp(-np.abs(z)))
    return scalar_if_0d(out.astype(z.dtype, copy=False))
