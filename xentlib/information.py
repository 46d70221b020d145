"""Information theory: surprisal (and, with the numerics issue, entropy and KL divergence)."""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array, check_probabilities


def _log_base(base):
    if base is None:
        return 1.0
    if isinstance(base, bool) or not isinstance(base, (int, float, np.integer, np.floating)):
        raise TypeError(f"base must be a number such as 2 (bits) or None (nats), got {base!r}.")
    if not base > 0 or base == 1:
        raise ValueError(
            f"base must be positive and not 1, got {base}; use 2 for bits or None for nats."
        )
    return float(np.log(base))


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
    ndarray or float
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
        out = (0.0 - np.log(arr)) / _log_base(base)  # 0.0 - … avoids printing -0.
    return out[()] if out.ndim == 0 else out
