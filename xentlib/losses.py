r"""Multi-class losses and their gradients with respect to the logits.

Semantics follow PyTorch, so the course can say "this is exactly what
``torch.nn.functional.cross_entropy`` computes": the same weighted mean, ``ignore_index`` and
label smoothing. The caller always says what the prediction is, ``probs=`` or ``logits=``,
because passing probabilities where logits are expected is the most common mistake with
this loss (the seed blog post makes it).

Shapes: a prediction is ``(n_samples, n_classes)`` or a single row ``(n_classes,)``;
``y_true`` is class indices ``(n_samples,)`` (a scalar for a single row) or target
distributions shaped like the prediction.
"""

from __future__ import annotations

import numpy as np

from ._rows import row_max, row_sum
from ._validation import (
    as_float_array,
    check_class_probs,
    check_class_weight,
    check_gamma,
    check_label_smoothing,
    check_logits,
    check_no_nan,
    check_prediction_shape,
    check_reduction,
    class_targets,
    one_of_probs_logits,
    real_number,
)
from .special import log_softmax

__all__ = [
    "cross_entropy",
    "cross_entropy_grad",
    "cross_entropy_with_grad",
    "focal_loss",
    "nll_loss",
]


# ---- preparing inputs ----------------------------------------------------------------
class _Problem:
    """Validated inputs of a multi-class loss, as 2-D arrays."""

    def __init__(
        self,
        y_true,
        kind,
        pred,
        *,
        weight=None,
        ignore_index=None,
        label_smoothing=0.0,
        reduction="mean",
        eps=None,
    ):
        name = "logits" if kind == "logits" else ("probs" if kind == "probs" else "log_probs")
        check_prediction_shape(pred, name)
        self.single = pred.ndim == 1
        self.reduction = check_reduction(reduction)
        self.smoothing = check_label_smoothing(label_smoothing)
        self.target_kind, target, keep = class_targets(y_true, pred, ignore_index)
        pred2 = pred.reshape(1, -1) if self.single else pred
        if kind == "probs":
            check_class_probs(pred2)
            if eps is not None:
                pred2 = np.clip(pred2, _check_eps(eps), 1.0)
        self.pred = pred2
        self.n_samples, self.n_classes = pred2.shape
        self.dtype = pred2.dtype
        self.weight = check_class_weight(weight, self.n_classes, self.dtype)
        if self.target_kind == "index":
            self.y = np.atleast_1d(target)
            self.keep = np.atleast_1d(keep)
        else:
            self.t = target.reshape(pred2.shape)

    # Per-class weights as an array (ones when no weight was given).
    @property
    def w(self):
        return self.weight if self.weight is not None else np.ones(self.n_classes, self.dtype)

    def index_denominator(self):
        """PyTorch's weighted mean divides by the target classes' weights, ignored rows out."""
        w_y = self.w[self.y] * self.keep
        return w_y, np.sum(w_y)

    def soft_targets(self):
        """The smoothed target distributions times the class weights: ``a = w ⊙ t'``."""
        t = self.t
        if self.smoothing > 0:
            t = t * (1 - self.smoothing) + self.smoothing / self.n_classes
        return t * self.w if self.weight is not None else t

    def finish(self, per_sample, denominator):
        """Apply the reduction; return a NumPy scalar (or a 0-d row for a single sample)."""
        if self.reduction == "none":
            out = per_sample[0] if self.single else per_sample
        elif self.reduction == "sum":
            out = np.sum(per_sample)
        else:
            with np.errstate(
                invalid="ignore", divide="ignore"
            ):  # all ignored: 0/0 = nan, as PyTorch
                out = np.sum(per_sample) / denominator
        return np.asarray(out, dtype=self.dtype)[()]


def _check_eps(eps):
    value = real_number(eps, "eps", "1e-12")
    if not 0 < value < 0.5:
        raise ValueError(f"eps must be a small positive number such as 1e-12, got {eps!r}.")
    return value


def _loss_from_log_probs(prob: _Problem, logp) -> tuple[np.ndarray, float]:
    """Per-sample losses and the mean's denominator, from log-probabilities ``logp``."""
    if prob.target_kind == "index":
        rows = np.arange(prob.n_samples)
        w_y, denominator = prob.index_denominator()
        with np.errstate(invalid="ignore"):
            nll = np.where(prob.keep, -logp[rows, prob.y], 0.0) * w_y
            if prob.smoothing > 0:
                smooth = np.where(prob.keep, -(logp @ prob.w), 0.0)
                per_sample = (1 - prob.smoothing) * nll + (prob.smoothing / prob.n_classes) * smooth
            else:
                per_sample = nll
        return per_sample.astype(prob.dtype, copy=False), denominator
    a = prob.soft_targets()
    with np.errstate(invalid="ignore"):
        per_sample = -np.sum(np.where(a > 0, a * logp, 0.0), axis=1)  # 0·log 0 = 0
    return per_sample.astype(prob.dtype, copy=False), prob.n_samples


# ---- softmax cross-entropy on logits: forward and backward together ------------------
_BLOCK_ELEMENTS = 1 << 16  # rows are processed in blocks of about 512 KB (float64); see make bench


def _row_max(z):
    m = row_max(z)
    check_logits(z, row_max=m)  # max propagates NaN and +inf: this check is free
    return np.where(np.isfinite(m), m, 0.0).astype(z.dtype, copy=False)


def _log_sum_exp_shifted(z, m):
    """``log Σ_j exp(z_ij - m_i)`` per row, in cache-sized blocks with one reused buffer."""
    n, c = z.shape
    rows = max(1, _BLOCK_ELEMENTS // c)
    buffer = np.empty((min(rows, n), c), dtype=z.dtype)
    s = np.empty((n, 1), dtype=z.dtype)
    for start in range(0, n, rows):
        stop = min(start + rows, n)
        block = buffer[: stop - start]
        np.subtract(z[start:stop], m[start:stop], out=block)
        np.exp(block, out=block)
        s[start:stop] = row_sum(block)
    return np.log(s, out=s)


def _logits_loss_and_grad(prob: _Problem, *, need_grad: bool):
    z = prob.pred
    m = _row_max(z)
    if need_grad:  # the gradient needs exp(z - m) in full: compute it once, in its buffer
        e = np.subtract(z, m)
        np.exp(e, out=e)
        s = row_sum(e)
        log_s = np.log(s)
    else:
        log_s = _log_sum_exp_shifted(z, m)
    lse = (m + log_s)[:, 0]  # log-sum-exp of each row
    rows = np.arange(prob.n_samples)
    if prob.target_kind == "index":
        w_y, denominator = prob.index_denominator()
        # -log softmax(z)_y = (m - z_y) + log Σ e, exact when z_y is the max.
        nll = (m[:, 0] - z[rows, prob.y]) + log_s[:, 0]
        plain = prob.weight is None and prob.keep.all()
        per_sample = nll if plain else np.where(prob.keep, nll, 0.0) * w_y
        if prob.smoothing > 0:
            # Σ_c w_c · (-log p_c) = W · lse - Σ_c w_c z_c, without forming log p.
            smooth = np.where(prob.keep, np.sum(prob.w) * lse - z @ prob.w, 0.0)
            per_sample = (1 - prob.smoothing) * per_sample + (
                prob.smoothing / prob.n_classes
            ) * smooth
    else:
        a = prob.soft_targets()
        with np.errstate(invalid="ignore"):
            az = np.where(a > 0, a * z, 0.0)
        per_sample = np.sum(a, axis=1) * lse - np.sum(az, axis=1)
        denominator = prob.n_samples
    loss = prob.finish(per_sample.astype(prob.dtype, copy=False), denominator)
    if not need_grad:
        return loss, None

    # d loss_i / d z_i = A_i · softmax(z_i) - a_i, with a_i the (weighted, smoothed) target
    # and A_i = Σ_c a_ic; plain one-hot targets give softmax(z_i) - y_i. The softmax
    # normalisation, A_i and the mean's 1/denominator are folded into one factor per row.
    scale = 1.0
    if prob.reduction == "mean":
        with np.errstate(divide="ignore"):
            scale = 1.0 / np.asarray(denominator, dtype=np.float64)
    grad = e
    if prob.target_kind == "index":
        eps, C = prob.smoothing, prob.n_classes
        w_y = prob.w[prob.y] * prob.keep
        row_total = (1 - eps) * w_y + (eps / C) * np.sum(prob.w) * prob.keep
        with np.errstate(invalid="ignore"):
            grad *= (row_total[:, None] * scale / s).astype(prob.dtype, copy=False)
        if eps > 0:
            grad -= (((eps / C) * scale) * prob.w[None, :] * prob.keep[:, None]).astype(
                prob.dtype, copy=False
            )
        grad[rows, prob.y] -= ((1 - eps) * w_y * scale).astype(prob.dtype, copy=False)
    else:
        a = prob.soft_targets()
        grad *= (np.sum(a, axis=1, keepdims=True) * scale / s).astype(prob.dtype, copy=False)
        grad -= (a * scale).astype(prob.dtype, copy=False)
    return loss, (grad[0] if prob.single else grad)


# ---- public API ----------------------------------------------------------------------
def cross_entropy(
    y_true,
    *,
    probs=None,
    logits=None,
    weight=None,
    ignore_index=None,
    label_smoothing=0.0,
    reduction="mean",
    eps=None,
):
    r"""Cross-entropy between targets and a predicted distribution.

    .. math::
        \ell_i = -\sum_{c} w_c\, y_{ic} \log \hat y_{ic},
        \qquad \hat y_i = \operatorname{softmax}(z_i) \text{ (logits) or the given probs}

    For a class index :math:`y_i` this is :math:`-w_{y_i}\log \hat y_{i,y_i}`: minus the log
    of the probability given to the true class. Also called log loss, (categorical)
    cross-entropy, or the negative log-likelihood of the labels. With ``logits=`` it equals
    ``torch.nn.functional.cross_entropy`` in every option: the ``'mean'`` reduction divides
    by :math:`\sum_i w_{y_i}` over non-ignored samples for index targets, and by
    :math:`N` for distribution targets; label smoothing :math:`\varepsilon` mixes the target
    with the uniform distribution, :math:`y' = (1-\varepsilon)\,y + \varepsilon / C`.

    Parameters
    ----------
    y_true : array_like
        Class indices, shape ``(n_samples,)`` (a scalar for one ``(n_classes,)`` row), or
        target distributions shaped like the prediction.
    probs : array_like, optional
        Predicted probabilities, ``(n_samples, n_classes)``; rows must sum to 1.
    logits : array_like, optional
        Raw scores before softmax, ``(n_samples, n_classes)``. Pass exactly one of
        ``probs``/``logits``.
    weight : array_like, optional
        Per-class weights, shape ``(n_classes,)``.
    ignore_index : int, optional
        Samples with this label contribute nothing (not even to the mean's denominator).
    label_smoothing : float, default 0.0
        In [0, 1].
    reduction : {"mean", "sum", "none"}, default "mean"
    eps : float, optional
        Only with ``probs``: clip probabilities to at least ``eps`` (nothing is clipped
        unless you ask; without it :math:`-\log 0 = \infty`).

    Returns
    -------
    scalar, or ndarray of shape ``(n_samples,)`` for ``reduction="none"``
        In the prediction's dtype (float32 stays float32).

    Examples
    --------
    The seed blog post's numbers, as probabilities (what the post meant) and as logits
    (what its PyTorch code computed):

    >>> y_hat = [[0.1, 0.4, 0.5], [0.8, 0.1, 0.1]]
    >>> round(float(cross_entropy([2, 0], probs=y_hat)), 4)
    0.4581
    >>> round(float(cross_entropy([2, 0], logits=y_hat)), 4)
    0.8178
    """
    kind, pred = one_of_probs_logits(probs, logits)
    if eps is not None and kind == "logits":
        raise TypeError("eps clips probabilities; it has no meaning with logits=.")
    prob = _Problem(
        y_true,
        kind,
        pred,
        weight=weight,
        ignore_index=ignore_index,
        label_smoothing=label_smoothing,
        reduction=reduction,
        eps=eps,
    )
    if kind == "logits":
        return _logits_loss_and_grad(prob, need_grad=False)[0]
    with np.errstate(divide="ignore"):
        logp = np.log(prob.pred)
    return prob.finish(*_loss_from_log_probs(prob, logp))


def cross_entropy_with_grad(
    y_true, *, logits, weight=None, ignore_index=None, label_smoothing=0.0, reduction="mean"
):
    r"""The cross-entropy loss and its gradient with respect to the logits, in one pass.

    .. math:: \frac{\partial \ell_i}{\partial z_i} = \operatorname{softmax}(z_i) - y_i

    for one-hot targets (weights and smoothing give :math:`A_i\,\operatorname{softmax}(z_i)
    - a_i` with :math:`a_i = w \odot y'_i` and :math:`A_i = \sum_c a_{ic}`), divided by the
    mean's denominator for ``reduction="mean"``. For ``"none"``, row *i* is
    :math:`\partial \ell_i / \partial z_i` (the gradient of the sum). The softmax is computed
    once and reused for the gradient, in the same buffer: this is what training loops call.

    Parameters
    ----------
    y_true, logits, weight, ignore_index, label_smoothing, reduction
        As in :func:`cross_entropy`.

    Returns
    -------
    loss : scalar or ndarray
    grad : ndarray, the logits' shape

    Examples
    --------
    >>> loss, grad = cross_entropy_with_grad([0], logits=[[0.0, 0.0]])
    >>> round(float(loss), 4), grad.tolist()
    (0.6931, [[-0.5, 0.5]])
    """
    _, pred = one_of_probs_logits(None, logits, need_logits=True)
    prob = _Problem(
        y_true,
        "logits",
        pred,
        weight=weight,
        ignore_index=ignore_index,
        label_smoothing=label_smoothing,
        reduction=reduction,
    )
    return _logits_loss_and_grad(prob, need_grad=True)


def cross_entropy_grad(
    y_true, *, logits, weight=None, ignore_index=None, label_smoothing=0.0, reduction="mean"
):
    r"""Gradient of :func:`cross_entropy` with respect to the logits: softmax(z) − y.

    See :func:`cross_entropy_with_grad` for the formula with weights and smoothing.

    Examples
    --------
    >>> cross_entropy_grad([1], logits=[[2.0, 0.0, -2.0]], reduction="sum").round(4)
    array([[ 0.8668, -0.8827,  0.0159]])
    """
    return cross_entropy_with_grad(
        y_true,
        logits=logits,
        weight=weight,
        ignore_index=ignore_index,
        label_smoothing=label_smoothing,
        reduction=reduction,
    )[1]


def nll_loss(y_true, log_probs, *, weight=None, ignore_index=None, reduction="mean"):
    r"""Negative log-likelihood of class indices, given log-probabilities (PyTorch's NLLLoss).

    .. math:: \ell_i = -w_{y_i} \log \hat y_{i, y_i}

    ``nll_loss(y, log_softmax(z))`` equals ``cross_entropy(y, logits=z)``. It expects
    *log*-probabilities: passing probabilities or logits is a classic bug, so positive
    entries (impossible for a log-probability) are an error.

    Parameters
    ----------
    y_true : array_like of int, shape ``(n_samples,)``
    log_probs : array_like, shape ``(n_samples, n_classes)``
    weight, ignore_index, reduction
        As in :func:`cross_entropy` (the same weighted mean).

    Examples
    --------
    >>> from xentlib.special import log_softmax
    >>> round(float(nll_loss([2, 0], log_softmax([[0.1, 0.4, 0.5], [0.8, 0.1, 0.1]]))), 4)
    0.8178
    """
    logp = as_float_array(log_probs, "log_probs")
    check_no_nan(logp, "log_probs")
    if (logp > 1e-6).any():
        raise ValueError(
            "log_probs must be log-probabilities (all ≤ 0), but some entries are positive: "
            "did you pass probabilities or logits? Use log_softmax(logits) or np.log(probs), "
            "or call cross_entropy(y_true, logits=...) directly."
        )
    prob = _Problem(
        y_true, "log_probs", logp, weight=weight, ignore_index=ignore_index, reduction=reduction
    )
    if prob.target_kind != "index":
        raise ValueError(
            "nll_loss takes class indices as y_true; for target distributions use cross_entropy."
        )
    return prob.finish(*_loss_from_log_probs(prob, prob.pred))


def focal_loss(y_true, *, probs=None, logits=None, gamma=2.0, alpha=None, reduction="mean"):
    r"""Multi-class focal loss (Lin et al., 2017): cross-entropy that down-weights easy samples.

    .. math:: \ell_i = -\alpha_{y_i}\,(1 - p_{i,y_i})^{\gamma}\,\log p_{i,y_i}

    With :math:`\gamma = 0` and no ``alpha`` it is :func:`cross_entropy`. Confident correct
    predictions (:math:`p_t \to 1`) contribute almost nothing, so training focuses on the
    hard, often minority-class, samples. For distribution targets the sum runs over classes,
    weighted by the target.

    Parameters
    ----------
    y_true : class indices or target distributions (as in :func:`cross_entropy`)
    probs, logits : array_like
        Exactly one.
    gamma : float, default 2.0
        Focusing parameter, ≥ 0.
    alpha : float or array_like of shape ``(n_classes,)``, optional
        Class balancing factor; None means no weighting.
    reduction : {"mean", "sum", "none"}
        ``"mean"`` is the plain mean over samples.

    Examples
    --------
    >>> z = [[2.0, 0.0, -1.0], [0.5, 0.3, 0.2]]
    >>> bool(np.isclose(focal_loss([0, 2], logits=z, gamma=0.0), cross_entropy([0, 2], logits=z)))
    True
    """
    kind, pred = one_of_probs_logits(probs, logits)
    gamma = check_gamma(gamma, zero_gives="cross-entropy")
    prob = _Problem(y_true, kind, pred, reduction=reduction)
    if alpha is None:
        alpha_c = np.ones(prob.n_classes, prob.dtype)
    elif np.ndim(alpha) == 0:
        alpha_c = np.full(prob.n_classes, float(alpha), prob.dtype)
    else:
        alpha_c = check_class_weight(alpha, prob.n_classes, prob.dtype)
    if kind == "logits":
        logp = log_softmax(prob.pred, axis=1)
    else:
        with np.errstate(divide="ignore"):
            logp = np.log(prob.pred)
    p = np.exp(logp)
    modulating = np.power(np.clip(1 - p, 0, 1), gamma)
    if prob.target_kind == "index":
        rows = np.arange(prob.n_samples)
        per_sample = -alpha_c[prob.y] * modulating[rows, prob.y] * logp[rows, prob.y]
    else:
        with np.errstate(invalid="ignore"):
            per_sample = -np.sum(
                np.where(prob.t > 0, prob.t * alpha_c * modulating * logp, 0.0), axis=1
            )
    return prob.finish(per_sample.astype(prob.dtype, copy=False), prob.n_samples)
