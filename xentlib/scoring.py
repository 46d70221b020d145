r"""Cross-entropy's rivals for classification, each with its gradient: the Brier score
(squared error on the probabilities) and the multi-class hinge (CS231n's SVM loss).

Lesson 10 races them against cross-entropy. Each scores the prediction for one sample
whose true class is :math:`y`, with :math:`e_y` its one-hot vector:

- :func:`brier_score`: :math:`\lVert q - e_y \rVert^2`, of probabilities :math:`q`;
- :func:`squared_error_with_grad`: the same of :math:`q = \operatorname{softmax}(z)`, and
  its gradient with respect to the logits :math:`z`;
- :func:`multiclass_hinge_with_grad`: :math:`\sum_{j \ne y} \max(0, s_j - s_y + \Delta)`
  of raw scores :math:`s`, and its subgradient.

``y_true`` holds class indices, shape ``(n_samples,)`` (a scalar for a single row of shape
``(n_classes,)``). ``reduction`` is ``"mean"`` (over samples, the default), ``"sum"`` or
``"none"``, as in :func:`xentlib.cross_entropy`; a gradient is that of the reduced loss.
"""

from __future__ import annotations

import numpy as np

from ._loss_call import LossCall
from ._validation import check_distribution, check_finite, check_logits, check_number
from .losses import read_targets
from .special import softmax

__all__ = ["brier_score", "multiclass_hinge_with_grad", "squared_error_with_grad"]


_LOGITS_HINT = (
    " If these numbers are logits (raw scores), pass softmax(logits) instead, or call "
    "squared_error_with_grad(y_true, logits=...), which applies softmax itself."
)


def _call(y_true, pred, name, reduction):
    """The checked call (the one helper of every loss) and its class indices ``(rows, y)``."""
    call = LossCall(pred, name, reduction)
    targets = read_targets(call, y_true, distributions=False)
    return call, targets.rows, targets.index


def _one_hot_residual(q, rows, y):
    """:math:`q - e_y`, row by row (a new array)."""
    r = np.array(q, copy=True)
    r[rows, y] -= 1
    return r


def brier_score(y_true, probs, *, reduction="mean"):
    r"""The multi-class Brier score: squared error between the predicted probabilities and
    the one-hot target.

    .. math:: \mathrm{BS}(q, y) = \lVert q - e_y \rVert^2 = \sum_{c} \big(q_c - [c = y]\big)^2
              = 1 - 2 q_y + \sum_c q_c^2

    It lies in [0, 2]: 0 for a certain right answer, 2 for a certain wrong one. Brier (1950)
    defined it this way, summed over the classes; scikit-learn's ``brier_score_loss``
    computes the same mean for more than two classes, but for two classes it halves it by
    default (``scale_by_half="auto"``), scoring only the positive class. The Brier score is
    a *strictly proper* scoring rule: its expected value under the true distribution
    :math:`p`, :math:`\lVert q - p \rVert^2 + 1 - \lVert p \rVert^2`, is smallest exactly
    at :math:`q = p`.

    Parameters
    ----------
    y_true : array_like of int
        Class indices, shape ``(n_samples,)`` (a scalar for a single row).
    probs : array_like
        Predicted probabilities, shape ``(n_samples, n_classes)`` or ``(n_classes,)``;
        entries in [0, 1], rows summing to 1.
    reduction : {"mean", "sum", "none"}, default "mean"

    Returns
    -------
    scalar, or ndarray of shape ``(n_samples,)`` for ``reduction="none"``

    Examples
    --------
    >>> round(float(brier_score([2, 0], [[0.1, 0.4, 0.5], [0.8, 0.1, 0.1]])), 4)
    0.24
    >>> float(brier_score(0, [0.0, 1.0, 0.0]))  # certain and wrong: the maximum
    2.0
    """
    call, rows, y = _call(y_true, probs, "probs", reduction)
    check_distribution(call.pred, "probs", hint=_LOGITS_HINT, dtype=call.out_dtype)
    r = _one_hot_residual(call.pred, rows, y)
    return call.reduce(np.einsum("ic,ic->i", r, r))


def squared_error_with_grad(y_true, *, logits, reduction="mean"):
    r"""Squared error of :math:`q = \operatorname{softmax}(z)` to the one-hot target, and its
    gradient with respect to the logits :math:`z`.

    .. math::
        \ell = \lVert q - e_y \rVert^2, \qquad
        \frac{\partial \ell}{\partial z} = J^{\top} \, 2 (q - e_y)
        = q \odot \big(g - (q \cdot g)\,\mathbf{1}\big), \quad g = 2 (q - e_y)

    where :math:`J = \operatorname{diag}(q) - q q^{\top}` is the softmax Jacobian (symmetric,
    so :math:`J^{\top} g = q \odot g - q\,(q^{\top} g)`). This is the "MSE loss" of a
    classifier trained on one-hot targets, summed over the classes (PyTorch's
    ``mse_loss(softmax(z), one_hot, reduction="sum")`` per sample); the loss is
    :func:`brier_score` of ``softmax(logits)``. The gradient is fused: no :math:`C \times C`
    Jacobian is formed. Unlike cross-entropy's :math:`q - e_y`, it carries the factor
    :math:`q`, so it fades when the model is confidently wrong (:math:`q_y \to 0` with
    another :math:`q_k \to 1`), and the loss is not convex in :math:`z`.

    Parameters
    ----------
    y_true : array_like of int
        Class indices, shape ``(n_samples,)`` (a scalar for a single row).
    logits : array_like
        Raw scores, shape ``(n_samples, n_classes)`` or ``(n_classes,)``; finite, or −∞ to
        rule a class out.
    reduction : {"mean", "sum", "none"}, default "mean"
        For ``"none"``, row *i* of the gradient is :math:`\partial \ell_i / \partial z_i`.

    Returns
    -------
    loss : scalar, or ndarray of shape ``(n_samples,)`` for ``reduction="none"``
    grad : ndarray, the logits' shape

    Examples
    --------
    >>> loss, grad = squared_error_with_grad([0], logits=[[0.0, 0.0]])
    >>> float(loss), grad.tolist()
    (0.5, [[-0.5, 0.5]])
    >>> loss, grad = squared_error_with_grad(0, logits=[0.0, 10.0, 0.0])  # confidently wrong
    >>> round(float(loss), 4), grad.round(4).tolist()
    (1.9998, [-0.0001, 0.0002, -0.0001])
    """
    call, rows, y = _call(y_true, logits, "logits", reduction)
    check_logits(call.pred)
    if np.isneginf(call.pred).all(axis=1).any():
        raise ValueError(
            "logits has a row whose entries are all -inf: softmax has no distribution to "
            "normalise there. Rule out some classes, not all of them."
        )
    q = softmax(call.pred, axis=1)
    g = 2 * _one_hot_residual(q, rows, y)
    loss = 0.25 * np.einsum("ic,ic->i", g, g)
    grad = q * (g - np.einsum("ic,ic->i", q, g)[:, None])
    return call.reduce(loss), call.reduce_grad(grad)


def multiclass_hinge_with_grad(y_true, scores, *, margin=1.0, reduction="mean"):
    r"""The multi-class hinge loss (CS231n's multiclass SVM loss) and its subgradient.

    .. math::
        \ell = \sum_{j \ne y} \max(0,\; s_j - s_y + \Delta), \qquad
        \frac{\partial \ell}{\partial s_j} = [s_j - s_y + \Delta > 0]\ (j \ne y), \quad
        \frac{\partial \ell}{\partial s_y} = -\sum_{j \ne y} [s_j - s_y + \Delta > 0]

    Each wrong class whose score comes within the margin :math:`\Delta` of the true class's
    score (or beats it) costs the amount by which it does; once every wrong score is at
    least :math:`\Delta` below the true one, the loss is 0 and the scores stop moving. It is
    the Weston–Watkins form, as in CS231n's ``svm_loss_vectorized`` and PyTorch's
    ``MultiMarginLoss(p=1, margin=Δ)`` times the number of classes (PyTorch divides by it);
    scikit-learn's multi-class ``hinge_loss`` (Crammer–Singer) takes the largest term
    instead of the sum. At a kink (a term exactly 0) the subgradient used is 0.

    Parameters
    ----------
    y_true : array_like of int
        Class indices, shape ``(n_samples,)`` (a scalar for a single row).
    scores : array_like
        Raw scores (logits), shape ``(n_samples, n_classes)`` or ``(n_classes,)``; finite.
    margin : float, default 1.0
        :math:`\Delta \ge 0`.
    reduction : {"mean", "sum", "none"}, default "mean"

    Returns
    -------
    loss : scalar, or ndarray of shape ``(n_samples,)`` for ``reduction="none"``
    grad : ndarray, the scores' shape

    Examples
    --------
    CS231n's example (scores of a cat, a car and a frog image; Δ = 1):

    >>> s = [[3.2, 5.1, -1.7], [1.3, 4.9, 2.0], [2.2, 2.5, -3.1]]
    >>> loss, grad = multiclass_hinge_with_grad([0, 1, 2], s, reduction="none")
    >>> loss.round(1).tolist()
    [2.9, 0.0, 12.9]
    >>> grad[0].tolist()
    [-1.0, 1.0, 0.0]
    """
    call, rows, y = _call(y_true, scores, "scores", reduction)
    check_finite(call.pred, "scores")
    delta = check_number(
        margin, "margin", example=1.0, low=0, fix="CS231n uses 1.0; 0 asks only for the order."
    )
    s = call.pred
    with np.errstate(over="ignore"):  # a loss beyond 1.8e308 is inf, as it should be
        margins = s - s[rows, y][:, None] + s.dtype.type(delta)
        margins[rows, y] = 0  # the true class is not compared with itself
        loss = np.maximum(margins, 0).sum(axis=1)
    grad = (margins > 0).astype(s.dtype)
    grad[rows, y] = -grad.sum(axis=1)
    return call.reduce(loss), call.reduce_grad(grad)
