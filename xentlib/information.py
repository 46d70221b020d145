r"""Information theory: surprisal, entropy and Kullback-Leibler divergence.

The convention :math:`0 \log 0 = 0` holds throughout (the limit of :math:`p \log p` as
:math:`p \to 0`). Inputs must already be distributions: nothing is renormalised silently.
``base=None`` gives nats (natural log), ``base=2`` bits.
"""

from __future__ import annotations

import numpy as np

from ._validation import (
    as_float_array,
    check_axis,
    check_distribution,
    check_probabilities,
    log_base,
    scalar_if_0d,
)


def surprisal(p, base=None):
    r"""Surprisal (self-information) of an event with probability ``p``.

    .. math:: I(p) = -\log_b p

    Also called self-information or information content. A certain event (p = 1) carries no
    surprise; an impossible one (p = 0) is infinitely surprising, returned as ``inf``.

    Parameters
    ----------
    p : array_like
        Probabilities in [0, 1], any shape.
    base : float, optional
        Logarithm base: None for nats (natural log), 2 for bits.

    Returns
    -------
    ndarray or scalar
        Same shape as ``p``.

    Examples
    --------
    >>> float(surprisal(0.5, base=2))
    1.0
    >>> surprisal([1.0, 0.25, 0.0])
    array([0.        , 1.38629436,        inf])
    """
    arr = as_float_array(p, "p")
    check_probabilities(arr, "p")
    with np.errstate(divide="ignore"):
        out = (0.0 - np.log(arr)) / log_base(base)  # 0.0 - … avoids printing -0.
    return scalar_if_0d(out.astype(arr.dtype, copy=False))


def entropy(p, *, base=None, axis=-1):
    r"""Shannon entropy of a distribution: its expected surprisal.

    .. math:: H(p) = -\sum_i p_i \log_b p_i \qquad (0 \log 0 = 0)

    Zero for a certain outcome; largest, :math:`\log_b n`, for the uniform distribution
    over *n* outcomes.

    Parameters
    ----------
    p : array_like
        Probabilities along ``axis``, non-negative and summing to 1.
    base : float, optional
        None for nats, 2 for bits.
    axis : int, default -1

    Returns
    -------
    ndarray or scalar
        ``p``'s shape without ``axis``.

    Examples
    --------
    >>> float(entropy([0.5, 0.5], base=2))
    1.0
    >>> float(entropy([1.0, 0.0]))
    0.0
    """
    arr = as_float_array(p, "p")
    check_axis(axis, arr.ndim, "p")
    check_distribution(arr, "p", axis)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(arr > 0, -arr * np.log(arr), 0.0)
    return scalar_if_0d((np.sum(terms, axis=axis) / log_base(base)).astype(arr.dtype, copy=False))


def kl_divergence(p, q, *, base=None, axis=-1):
    r"""Kullback-Leibler divergence of ``q`` from ``p``: the extra surprise of using q.

    .. math:: \mathrm{KL}(p \,\|\, q) = \sum_i p_i \log_b \frac{p_i}{q_i} = H(p, q) - H(p) \ge 0

    Terms with :math:`p_i = 0` contribute 0; a term with :math:`q_i = 0 < p_i` makes the
    divergence infinite. Not symmetric: KL(p‖q) ≠ KL(q‖p) in general. Also called relative
    entropy. Gibbs' inequality says it is ≥ 0, with equality only when p = q.

    Parameters
    ----------
    p, q : array_like
        Distributions of the same shape, along ``axis``.
    base : float, optional
    axis : int, default -1

    Returns
    -------
    ndarray or scalar

    Examples
    --------
    >>> round(float(kl_divergence([0.5, 0.5], [0.9, 0.1])), 4)
    0.5108
    >>> float(kl_divergence([0.5, 0.5], [1.0, 0.0]))
    inf
    """
    p_arr = as_float_array(p, "p")
    q_arr = as_float_array(q, "q")
    if p_arr.shape != q_arr.shape:
        raise ValueError(
            f"p and q must have the same shape, got {p_arr.shape} and {q_arr.shape}; "
            "they must describe the same outcomes."
        )
    check_axis(axis, p_arr.ndim, "p")
    check_distribution(p_arr, "p", axis)
    check_distribution(q_arr, "q", axis)
    dtype = np.result_type(p_arr, q_arr)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p_arr > 0, p_arr * (np.log(p_arr) - np.log(q_arr)), 0.0)
    return scalar_if_0d((np.sum(terms, axis=axis) / log_base(base)).astype(dtype, copy=False))
