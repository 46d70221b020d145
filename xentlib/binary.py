r"""Binary (and multi-label) cross-entropy, its gradient, and the sigmoid focal loss.

Each output is an independent yes/no question with probability :math:`\sigma(z)`. Semantics
follow PyTorch's ``binary_cross_entropy`` / ``binary_cross_entropy_with_logits`` and
torchvision's ``sigmoid_focal_loss``. The ``'mean'`` reduction is the plain mean over every
element (weights rescale, they do not renormalise).
"""

from __future__ import annotations

import numpy as np

from ._validation import (
    as_float_array,
    check_gamma,
    check_logits,
    check_no_nan,
    check_probabilities,
    check_reduction,
    one_of_probs_logits,
    scalar_if_0d,
)
from .special import sigmoid

__all__ = ["binary_cross_entropy", "binary_cross_entropy_grad", "binary_focal_loss"]


def _softplus(x):
    """log(1 + e^x), stable for any x."""
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


def _prepare(y_true, pred, name, weight, pos_weight, reduction):
    check_reduction(reduction)
    y = as_float_array(y_true, "y_true").astype(pred.dtype, copy=False)
    if y.shape != pred.shape:
        raise ValueError(
            f"y_true has shape {y.shape} but {name} has shape {pred.shape}: binary targets need "
            f"one 0/1 (or soft) label per prediction."
        )
    check_probabilities(y, "y_true")
    w = None if weight is None else _broadcastable(weight, "weight", pred)
    pw = None if pos_weight is None else _broadcastable(pos_weight, "pos_weight", pred)
    return y, w, pw


def _broadcastable(value, name, pred):
    arr = as_float_array(value, name).astype(pred.dtype, copy=False)
    check_no_nan(arr, name)
    if (arr < 0).any():
        raise ValueError(f"{name} must be non-negative.")
    try:
        np.broadcast_shapes(arr.shape, pred.shape)
    except ValueError:
        raise ValueError(
            f"{name} of shape {arr.shape} cannot broadcast against the prediction's shape "
            f"{pred.shape}; use a scalar, one value per output column, or the full shape."
        ) from None
    return arr


def _reduce(loss, reduction, dtype):
    if reduction == "none":
        out = loss
    elif reduction == "sum":
        out = np.sum(loss)
    else:
        out = np.mean(loss)
    return np.asarray(out, dtype=dtype)[()]


def binary_cross_entropy(
    y_true, *, probs=None, logits=None, weight=None, pos_weight=None, reduction="mean"
):
    r"""Binary cross-entropy (log loss) of 0/1 (or soft) labels.

    .. math::
        \ell = -w\,\big[\,p_w\, y \log \sigma(z) + (1 - y) \log (1 - \sigma(z))\,\big]

    With ``logits=`` it is computed as
    :math:`(1-y)\,z + (1 + (p_w - 1)\,y)\,\operatorname{softplus}(-z)`, which never
    overflows (stable for :math:`|z|` up to :math:`10^4` and beyond) and equals
    ``torch.nn.functional.binary_cross_entropy_with_logits``. With ``probs=`` it equals
    ``binary_cross_entropy`` for p in (0, 1); at p = 0 or 1 a wrong label costs ``inf``
    (PyTorch clamps to 100) and a right one 0.

    Parameters
    ----------
    y_true : array_like
        Labels in [0, 1], shaped like the prediction.
    probs, logits : array_like
        Exactly one: probabilities of the positive class, or logits.
    weight : array_like, optional
        Rescales each element's loss (broadcast against the prediction).
    pos_weight : array_like, optional
        Weight of positive examples, one per output column (e.g. n_negative / n_positive).
    reduction : {"mean", "sum", "none"}

    Examples
    --------
    >>> round(float(binary_cross_entropy([1, 0], probs=[0.9, 0.2])), 4)
    0.1643
    >>> binary_cross_entropy([1.0], logits=[-1e4], reduction="none")  # no overflow
    array([10000.])
    """
    kind, pred = one_of_probs_logits(probs, logits)
    name = kind
    y, w, pw = _prepare(y_true, pred, name, weight, pos_weight, reduction)
    if kind == "logits":
        check_logits(pred)
        log_weight = 1 + (pw - 1) * y if pw is not None else 1
        loss = (1 - y) * pred + log_weight * _softplus(-pred)
    else:
        check_probabilities(pred, "probs")
        with np.errstate(divide="ignore", invalid="ignore"):
            pos = np.where(y > 0, y * np.log(pred), 0.0)
            neg = np.where(y < 1, (1 - y) * np.log1p(-pred), 0.0)
        loss = -((pw if pw is not None else 1) * pos + neg)
    if w is not None:
        loss = loss * w
    return _reduce(loss.astype(pred.dtype, copy=False), reduction, pred.dtype)


def binary_cross_entropy_grad(y_true, *, logits, weight=None, pos_weight=None, reduction="mean"):
    r"""Gradient of :func:`binary_cross_entropy` with respect to the logits.

    .. math:: \frac{\partial \ell}{\partial z} = w\,\big[(1 - y) - (1 + (p_w - 1)y)\,(1 - \sigma(z))\big]
              \;=\; w\,(\sigma(z) - y) \text{ without } p_w

    divided by the number of elements for ``reduction="mean"``.

    Examples
    --------
    >>> binary_cross_entropy_grad([1.0, 0.0], logits=[0.0, 0.0], reduction="sum")
    array([-0.5,  0.5])
    """
    _, pred = one_of_probs_logits(None, logits, need_logits=True)
    y, w, pw = _prepare(y_true, pred, "logits", weight, pos_weight, reduction)
    check_logits(pred)
    p = sigmoid(pred)
    if pw is None:
        grad = p - y
    else:
        grad = (1 - y) - (1 + (pw - 1) * y) * (1 - p)
    if w is not None:
        grad = grad * w
    grad = np.broadcast_to(grad, pred.shape).astype(pred.dtype, copy=True)
    if reduction == "mean":
        grad /= pred.size
    return scalar_if_0d(grad)


def binary_focal_loss(y_true, *, probs=None, logits=None, gamma=2.0, alpha=None, reduction="mean"):
    r"""Sigmoid focal loss, as torchvision's ``sigmoid_focal_loss``.

    .. math:: \ell = \alpha_t\,(1 - p_t)^{\gamma}\,\mathrm{BCE}(y, p),\qquad
              p_t = p\,y + (1-p)(1-y),\quad \alpha_t = \alpha\,y + (1-\alpha)(1-y)

    ``alpha=None`` means no alpha weighting (torchvision: ``alpha=-1``). Note that
    torchvision's default is ``alpha=0.25`` and ``reduction="none"``; pass them to match it.

    Examples
    --------
    >>> round(float(binary_focal_loss([1.0, 0.0], logits=[2.0, -1.0], gamma=0.0)), 4)
    0.2201
    """
    kind, pred = one_of_probs_logits(probs, logits)
    gamma = check_gamma(gamma, zero_gives="BCE")
    if alpha is not None and not (isinstance(alpha, (int, float, np.floating)) and 0 <= alpha <= 1):
        raise ValueError(
            f"alpha must be a number in [0, 1] (0.25 in the paper) or None, got {alpha!r}."
        )
    ce = binary_cross_entropy(y_true, probs=probs, logits=logits, reduction="none")
    y = as_float_array(y_true, "y_true").astype(pred.dtype, copy=False)
    if kind == "logits":
        p = sigmoid(pred)
    else:
        p = pred
    p_t = p * y + (1 - p) * (1 - y)
    loss = ce * np.power(np.clip(1 - p_t, 0, 1), gamma)
    if alpha is not None:
        loss = (alpha * y + (1 - alpha) * (1 - y)) * loss
    return _reduce(np.asarray(loss, dtype=pred.dtype), reduction, pred.dtype)
