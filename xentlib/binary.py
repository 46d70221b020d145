r"""Binary (and multi-label) cross-entropy, its gradient, and the sigmoid focal loss.

Each output is an independent yes/no question with probability :math:`\sigma(z)`. Semantics
follow PyTorch's ``binary_cross_entropy`` / ``binary_cross_entropy_with_logits`` and
torchvision's ``sigmoid_focal_loss``. The ``'mean'`` reduction is the plain mean over every
element (weights rescale, they do not renormalise).
"""

from __future__ import annotations

import numpy as np

from ._loss_call import ELEMENTS, LossCall
from ._validation import check_logits, check_number, check_probabilities, one_of_probs_logits
from .special import log_sigmoid, sigmoid

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_grad",
    "binary_focal_loss",
    "binary_focal_loss_grad",
]


def _call(pred, kind, reduction):
    """The checked call (the one helper of every loss): any shape, one output per element."""
    call = LossCall(pred, kind, reduction, layout=ELEMENTS)
    if kind == "logits":
        check_logits(call.pred, allow_inf=True)  # σ has limits at ±∞: the losses do too
    else:
        check_probabilities(call.pred, "probs")
    return call


def _weighted_terms(y, pos, neg):
    """``y · pos + (1 − y) · neg`` with 0 · ∞ = 0 (a label that rules a branch out)."""
    with np.errstate(invalid="ignore"):
        return np.where(y > 0, y * pos, 0.0) + np.where(y < 1, (1 - y) * neg, 0.0)


def binary_cross_entropy(
    y_true, *, probs=None, logits=None, weight=None, pos_weight=None, reduction="mean"
):
    r"""Binary cross-entropy (log loss) of 0/1 (or soft) labels.

    .. math::
        \ell = -w\,\big[\,p_w\, y \log \sigma(z) + (1 - y) \log (1 - \sigma(z))\,\big]

    With ``logits=`` it is computed from :math:`-\log\sigma(z) = \operatorname{softplus}(-z)`
    and :math:`-\log(1-\sigma(z)) = \operatorname{softplus}(z)`, as
    :math:`p_w\,y\,\operatorname{softplus}(-z) + (1-y)\operatorname{softplus}(z)`, which
    never overflows, has the right limits at :math:`z = \pm\infty` (0 or ∞), and equals
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
    call = _call(pred, kind, reduction)
    loss = _bce(call, call.labels(y_true), kind, weight, pos_weight)
    return call.reduce(loss)


def _bce(call, y, kind, weight=None, pos_weight=None):
    """Per-element binary cross-entropy of the checked call, in its working dtype."""
    pred = call.pred
    w, pw = call.broadcastable(weight, "weight"), call.broadcastable(pos_weight, "pos_weight")
    if kind == "logits":
        surprise_pos, surprise_neg = -log_sigmoid(pred), -log_sigmoid(-pred)
    else:
        with np.errstate(divide="ignore"):
            surprise_pos, surprise_neg = -np.log(pred), -np.log1p(-pred)
    if pw is not None:
        surprise_pos = pw * surprise_pos
    loss = _weighted_terms(y, surprise_pos, surprise_neg)
    if w is not None:
        loss = loss * w
    return np.asarray(loss, dtype=pred.dtype)


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
    call = _call(pred, "logits", reduction)
    y = call.labels(y_true)
    w, pw = call.broadcastable(weight, "weight"), call.broadcastable(pos_weight, "pos_weight")
    p = sigmoid(call.pred)
    if pw is None:
        grad = p - y
    else:
        grad = (1 - y) - (1 + (pw - 1) * y) * (1 - p)
    if w is not None:
        grad = grad * w
    grad = np.broadcast_to(grad, call.pred.shape).astype(call.pred.dtype, copy=True)
    return call.reduce_grad(grad)


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
    call = _call(pred, kind, reduction)
    y = call.labels(y_true)
    gamma, alpha = _focal_parameters(gamma, alpha)
    ce = _bce(call, y, kind)
    p = sigmoid(call.pred) if kind == "logits" else call.pred
    p_t = p * y + (1 - p) * (1 - y)
    loss = ce * np.power(np.clip(1 - p_t, 0, 1), gamma)
    if alpha is not None:
        loss = (alpha * y + (1 - alpha) * (1 - y)) * loss
    return call.reduce(np.asarray(loss, dtype=call.pred.dtype))


def _focal_parameters(gamma, alpha):
    gamma = check_number(gamma, "gamma", example=2.0, low=0, fix="0 gives plain BCE.")
    if alpha is not None:
        alpha = check_number(
            alpha, "alpha", example=0.25, low=0, high=1, fix="None means no alpha weighting."
        )
    return gamma, alpha


def binary_focal_loss_grad(y_true, *, logits, gamma=2.0, alpha=None, reduction="mean"):
    r"""Gradient of :func:`binary_focal_loss` with respect to the logits.

    With :math:`p = \sigma(z)`, :math:`p_t = p\,y + (1-p)(1-y)`, the loss
    :math:`\ell = \alpha_t\,(1 - p_t)^{\gamma}\,\mathrm{BCE}(y, z)` and
    :math:`\partial \mathrm{BCE} / \partial z = p - y`,
    :math:`\partial p_t / \partial z = p(1 - p)(2y - 1)`, the product rule gives

    .. math:: \frac{\partial \ell}{\partial z} = \alpha_t \Big[(p - y)\,(1 - p_t)^{\gamma}
              - \gamma\,\mathrm{BCE}(y, z)\,(1 - p_t)^{\gamma - 1}\,p(1 - p)(2y - 1)\Big]

    which for a 0/1 label is :math:`\alpha_t (1 - p_t)^{\gamma}\,[\gamma\, p_t \log p_t
    - (1 - p_t)]\,(2y - 1)`. With :math:`\gamma = 0` and no ``alpha`` it is BCE's
    :math:`\sigma(z) - y`. Divided by the number of elements for ``reduction="mean"``; for
    ``"none"`` each entry is the derivative of its own element's loss. :math:`1 - p_t` is
    computed as :math:`y\,\sigma(-z) + (1 - y)\,\sigma(z)`, so a confident right answer
    keeps its (tiny) gradient instead of rounding to 0; at :math:`z = \pm\infty` the
    gradient takes its limits (0 on the right side, :math:`\mp\alpha_t` on the wrong one).

    Parameters
    ----------
    y_true : array_like
        Labels in [0, 1] (0/1 or soft), shaped like ``logits``.
    logits : array_like
        Any shape.
    gamma : float, default 2.0
        Focusing parameter, ≥ 0.
    alpha : float in [0, 1], optional
        Weight of the positive examples (negatives get 1 − alpha); None: no weighting.
    reduction : {"mean", "sum", "none"}

    Returns
    -------
    ndarray (a scalar for a scalar input), the shape of ``logits``

    Examples
    --------
    >>> binary_focal_loss_grad([1.0, 0.0], logits=[0.0, 0.0], gamma=0.0, reduction="none")
    array([-0.5,  0.5])
    >>> binary_focal_loss_grad([1.0], logits=[3.0], gamma=2.0, reduction="none").round(6)
    array([-0.000315])
    """
    _, pred = one_of_probs_logits(None, logits, need_logits=True)
    call = _call(pred, "logits", reduction)
    y = call.labels(y_true)
    gamma, alpha = _focal_parameters(gamma, alpha)
    p, p_not = sigmoid(call.pred), sigmoid(-call.pred)
    one_minus_pt = y * p_not + (1 - y) * p
    ce = _bce(call, y, "logits")
    slope = p * p_not * (2 * y - 1)  # ∂p_t/∂z, 0 where σ saturates (and at z = ±∞)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        focus = np.power(one_minus_pt, gamma)
        # γ (1 − p_t)^(γ − 1) · BCE · ∂p_t/∂z; its limit is 0 wherever ∂p_t/∂z is 0.
        second = np.where(slope != 0, gamma * np.power(one_minus_pt, gamma - 1) * ce * slope, 0.0)
    grad = (p - y) * focus - second
    if alpha is not None:
        grad = (alpha * y + (1 - alpha) * (1 - y)) * grad
    return call.reduce_grad(np.asarray(grad, dtype=call.pred.dtype).copy())
