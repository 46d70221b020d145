r"""Multi-class cross-entropy and its gradient: one kernel for every option.

Semantics follow PyTorch, so the course can say "this is exactly what
``torch.nn.functional.cross_entropy`` computes": the same weighted mean, ``ignore_index`` and
label smoothing. The caller always says what the prediction is, ``probs=`` or ``logits=``,
because passing probabilities where logits are expected is the most common mistake with
this loss (the seed blog post makes it).

Every call goes the same three steps. The prediction and the reduction are checked by
:class:`~xentlib._loss_call.LossCall`, the one check-and-reduce helper of every loss. The
targets, in whatever form they come (class indices with ``ignore_index``, class ``weight``,
``label_smoothing``, or target distributions), are reduced once to :class:`Targets`. Then
one short function, :func:`loss_and_grad`, computes the per-sample losses and, next to
them, their gradient. :func:`cross_entropy`, :func:`cross_entropy_with_grad`,
:func:`nll_loss`, :func:`focal_loss` and the models all call it.

Beside it, :func:`loss_and_grad_reference` says the same in six lines,
``softmax(z) − onehot``, to be read; tests prove the two equal (Hypothesis,
``tests/test_kernel.py``). Code that exists only for speed (``make bench``) is fenced at
the end of this module, under "Speed only", and in :class:`Targets`.

Shapes: a prediction is ``(n_samples, n_classes)`` or a single row ``(n_classes,)``;
``y_true`` is class indices ``(n_samples,)`` (a scalar for a single row) or target
distributions shaped like the prediction. :func:`cross_entropy` also takes PyTorch's layout
for sequences and images, ``(N, C, d1, …)`` with indices ``(N, d1, …)``.
"""

from __future__ import annotations

import numpy as np

from ._loss_call import LossCall
from ._validation import (
    as_array,
    as_float_array,
    check_class_indices,
    check_class_probs,
    check_distribution,
    check_logits,
    check_no_nan,
    check_number,
    check_weights,
    one_of_probs_logits,
)
from .special import log_softmax

__all__ = [
    "Targets",
    "cross_entropy",
    "cross_entropy_grad",
    "cross_entropy_with_grad",
    "focal_loss",
    "loss_and_grad",
    "loss_and_grad_reference",
    "nll_loss",
    "read_targets",
]


# ---- targets: every form, reduced once to one ------------------------------------------
class Targets:
    r"""The targets of a batch, in the one form the kernel reads.

    Row *i*'s target vector, with class weights and label smoothing folded in, is an *index
    part* (a coefficient :math:`c_i` on class :math:`y_i`) plus a *dense part* :math:`d_i`:

    .. math:: a_i = c_i\, e_{y_i} + d_i, \qquad A_i = \sum_c a_{ic}

    Class indices with weights :math:`w` and smoothing :math:`\varepsilon` give
    :math:`c_i = (1-\varepsilon)\,w_{y_i}` and :math:`d_i = (\varepsilon / C)\,w` (zero for
    an ignored sample); target distributions :math:`t_i` give :math:`d_i = w \odot
    ((1-\varepsilon)\,t_i + \varepsilon / C)`. The ``'mean'`` reduction divides by
    ``denominator``, the sum of ``sample_weight``: :math:`w_{y_i}` of the samples that are
    not ignored for class indices (PyTorch's weighted mean), 1 per sample for distributions.
    """

    def __init__(self, index, coef, dense, sample_weight):
        self.index, self.coef, self.dense = index, coef, dense  # (N,), (N,), (N, C)
        self.sample_weight = sample_weight  # (N,)
        if dense is None:
            self.mass = coef  # A_i = c_i: no copy
        else:
            self.mass = (0 if coef is None else coef) + dense.sum(axis=1)
        self.denominator = float(np.sum(sample_weight))
        # The gradient's factor for the weighted mean; 0 when no sample has weight (all
        # ignored): nothing to learn, a zero gradient (PyTorch's, for ignored samples).
        self.mean_scale = 1.0 / self.denominator if self.denominator else 0.0
        self.rows = np.arange(len(sample_weight))
        self._flat = {}  # the positions of (i, y_i) in a flat (N, C) buffer, by layout
        # Rows without any target mass (ignored samples) cost nothing, even when a logit
        # is −∞ there; only then, and with a dense part, can 0 · (−∞) occur.
        self.may_be_nan = dense is not None or not np.all(self.mass)

    @classmethod
    def from_indices(cls, y, n_classes, *, weight=None, keep=None, label_smoothing=0.0):
        """Class indices ``y`` (N,), optional class ``weight`` (C,) and mask ``keep`` (N,)."""
        w = np.ones(n_classes) if weight is None else weight
        sample_weight = w[y] if keep is None else w[y] * keep
        dense = None
        if label_smoothing > 0:
            kept = np.ones(len(y)) if keep is None else keep
            dense = np.outer(kept, (label_smoothing / n_classes) * w)
        coef = sample_weight if label_smoothing == 0 else (1 - label_smoothing) * sample_weight
        return cls(y, coef, dense, sample_weight)

    @classmethod
    def from_distributions(cls, t, *, weight=None, label_smoothing=0.0):
        """Target distributions ``t`` (N, C), optional class ``weight`` (C,)."""
        a = t if label_smoothing == 0 else (1 - label_smoothing) * t + label_smoothing / t.shape[1]
        return cls(None, None, a if weight is None else a * weight, np.ones(len(t), t.dtype))

    def take(self, rows) -> Targets:
        """The targets of the samples ``rows`` (a slice or indices: a block, a mini-batch)."""

        def part(a):
            return None if a is None else a[rows]

        return Targets(
            part(self.index), part(self.coef), part(self.dense), self.sample_weight[rows]
        )

    def scaled(self, factor) -> Targets:
        """These targets with each :math:`a_{ic}` multiplied by ``factor[i, c]`` (N, C)."""
        coef = None if self.index is None else self.coef * factor[self.rows, self.index]
        dense = None if self.dense is None else self.dense * factor
        return Targets(self.index, coef, dense, self.sample_weight)

    def dense_matrix(self, n_classes) -> np.ndarray:
        r"""The target vectors :math:`a_i = c_i e_{y_i} + d_i` written out, shape (N, C)."""
        a = np.zeros((len(self.rows), n_classes)) if self.dense is None else self.dense.copy()
        if self.index is not None:
            a[self.rows, self.index] += self.coef
        return a

    # -- speed only (``make bench``): a gather through the flat buffer, and a fast dot ----
    def flat_positions(self, shape, by_column) -> np.ndarray:
        """Where each (i, y_i) sits in the flat buffer of an array of ``shape``, stored
        column by column (``by_column``) or row by row; computed once per layout."""
        key = (shape, by_column)
        if key not in self._flat:
            n, c = shape
            rows, index = self.rows, self.index
            self._flat[key] = index * n + rows if by_column else rows * c + index
        return self._flat[key]

    def pick(self, scores) -> np.ndarray:
        """``scores[i, y_i]`` for each row (class indices only): one gather from the flat
        buffer, several times faster than ``scores[rows, index]``."""
        by_column = scores.flags.f_contiguous and not scores.flags.c_contiguous
        flat = scores.reshape(-1, order="A")  # a view when contiguous
        return flat.take(self.flat_positions(scores.shape, by_column))

    def dot(self, scores) -> np.ndarray:
        r""":math:`a_i \cdot s_i` for each row, with :math:`0 \cdot (-\infty) = 0` (a class
        ruled out that is not a target costs nothing)."""
        if not self.may_be_nan:  # plain class indices: one gather (speed only)
            return self.coef * self.pick(scores)
        with np.errstate(invalid="ignore"):
            out = 0 if self.index is None else self.coef * scores[self.rows, self.index]
            if self.dense is not None:
                out = out + np.einsum("ic,ic->i", self.dense, scores)
            if np.isnan(out).any():  # scores hold no NaN, so it is 0 · (−∞)
                out = self._dot_slowly(scores)
        return out

    def _dot_slowly(self, scores):
        out = np.zeros(len(self.rows), scores.dtype)
        if self.index is not None:
            picked = scores[self.rows, self.index]
            out += np.where(self.coef != 0, self.coef * picked, 0)
        if self.dense is not None:
            out += np.where(self.dense != 0, self.dense * scores, 0).sum(axis=1)
        return out


# ---- the kernel, written to be read ---------------------------------------------------
def loss_and_grad_reference(logits, targets: Targets):
    r"""What :func:`loss_and_grad` computes, written to be read rather than to be fast.

    .. math:: \ell_i = -a_i \cdot \log \operatorname{softmax}(z_i), \qquad
              \frac{\partial \ell_i}{\partial z_i} = A_i \operatorname{softmax}(z_i) - a_i

    For plain class indices :math:`a_i` is one-hot and :math:`A_i = 1`: the gradient is
    ``softmax(z) − onehot``. ``tests/test_kernel.py`` proves the fast kernel equal to this
    one with Hypothesis, for every target form and memory layout.

    >>> from xentlib import softmax
    >>> z, y = np.array([[2.0, 0.0, -2.0]]), np.array([1])
    >>> loss, grad = loss_and_grad_reference(z, Targets.from_indices(y, 3))
    >>> bool(np.allclose(grad, softmax(z) - np.eye(3)[y]))
    True
    """
    a = targets.dense_matrix(logits.shape[1])  # the target rows a_i (one-hot: e_{y_i})
    log_p = log_softmax(logits, axis=1)
    with np.errstate(invalid="ignore"):  # 0 · log 0 = 0: a class ruled out costs nothing
        loss = -np.sum(np.where(a != 0, a * log_p, 0.0), axis=1)
    grad = a.sum(axis=1, keepdims=True) * np.exp(log_p) - a  # softmax(z) − onehot
    return loss, grad


# ---- the kernel, fast: forward and backward, side by side -----------------------------
def loss_and_grad(
    logits, targets: Targets, *, need_grad=True, log_probs=False, check=False, out=None
):
    r"""Per-sample cross-entropy :math:`\ell_i` of 2-D ``logits`` and :math:`\partial
    (\sum_i \ell_i) / \partial z`, the logits' shape (None unless ``need_grad``).

    With :math:`m_i = \max_c z_{ic}` and :math:`s_i = \sum_c e^{z_{ic} - m_i}`:

    .. math::
        \ell_i = A_i \log s_i - a_i \cdot (z_i - m_i), \qquad
        \frac{\partial \ell_i}{\partial z_i} = A_i \operatorname{softmax}(z_i) - a_i

    (plain one-hot targets: :math:`\operatorname{softmax}(z_i) - y_i`; the same as
    :func:`loss_and_grad_reference`, fast). Shifting by the row maximum keeps every
    exponential at most 1; the shifted logit of the true class is exactly 0 when it is the
    maximum, so a confident right answer costs exactly :math:`\log s_i`. The exponentials
    are computed once, in one buffer that becomes the gradient. A row whose logits are all
    −∞ gives NaN, as in PyTorch. With ``check``, NaN or +∞ logits raise a ValueError (found
    for free: the row maximum propagates them). With ``log_probs`` the scores are
    log-probabilities already (``nll_loss``, ``probs=``): then :math:`\ell_i = -a_i \cdot
    \log \hat y_i` and there is no gradient. ``out`` (an array of the logits' shape and
    dtype, in any memory layout, or the logits themselves, which are then overwritten)
    receives the gradient: a training loop saves an (N, C) allocation.
    """
    _check_kernel_arguments(logits, targets, out)
    if log_probs:
        return 0.0 - targets.dot(logits), None  # 0.0 - … : never -0.0
    m = logits.max(axis=1, keepdims=True)  # (the methods skip NumPy's Python wrappers)
    if check and not np.isfinite(m).all():  # NaN, +∞, or every class masked out (−∞)
        check_logits(logits)
        m = np.where(np.isfinite(m), m, 0).astype(logits.dtype)
    shifted = np.subtract(logits, m, out=out)
    target = targets.dot(shifted)
    e = np.exp(shifted, out=shifted)
    s = e.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        # A_i log s_i − a_i · (z_i − m_i), in place (few temporaries: speed only)
        loss = np.log(s).astype(np.result_type(s, targets.mass, target), copy=False)
        loss *= targets.mass
        loss -= target
        if targets.may_be_nan:
            loss[targets.mass == 0] = 0
        if not need_grad:
            return loss, None
        grad = e
        np.divide(targets.mass, s, out=s)  # A_i / s_i
        grad *= s[:, None]
        if targets.may_be_nan:
            grad[targets.mass == 0] = 0
    if targets.index is not None:  # − c_i at (i, y_i)
        _subtract_at_targets(grad, targets)
    if targets.dense is not None:
        grad -= targets.dense
    return loss, grad


def _check_kernel_arguments(logits, targets, out) -> None:
    """Cheap checks (no pass over the data): the kernel is also called in training loops."""
    if not isinstance(logits, np.ndarray) or logits.ndim != 2 or logits.dtype.kind != "f":
        raise TypeError(
            f"logits must be a 2-D float array (n_samples, n_classes), got "
            f"{_describe(logits)}; for lists, 1-D rows or checked input use "
            "cross_entropy_with_grad(y_true, logits=...)."
        )
    if not isinstance(targets, Targets):
        raise TypeError(
            f"targets must be a Targets (Targets.from_indices(y, n_classes) or "
            f"Targets.from_distributions(t)), got {type(targets).__name__}."
        )
    if len(targets.rows) != logits.shape[0]:
        raise ValueError(
            f"targets has {len(targets.rows)} rows but logits has {logits.shape[0]}; "
            "they must describe the same samples."
        )
    if out is None or out is logits:
        return
    if not isinstance(out, np.ndarray):
        raise TypeError(f"out must be a NumPy array or None, got {type(out).__name__}.")
    if out.shape != logits.shape or out.dtype != logits.dtype:
        raise ValueError(
            f"out must have the logits' shape {logits.shape} and dtype {logits.dtype}, got "
            f"shape {out.shape} and dtype {out.dtype}; pass out=None for a new array."
        )
    if not out.flags.writeable:
        raise ValueError("out is read-only; pass a writeable array, or out=None.")


def _describe(value) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    return f"a {type(value).__name__}"


# ---- reading the targets of a call -----------------------------------------------------
def read_targets(
    call: LossCall,
    y_true,
    *,
    weight=None,
    ignore_index=None,
    label_smoothing=0.0,
    distributions=True,
) -> Targets:
    """Interpret ``y_true`` against the call's 2-D prediction and reduce it to :class:`Targets`.

    Class indices have shape ``(n_samples,)``, distributions (when ``distributions``) the
    prediction's shape; for a single-row prediction that is a scalar index or one
    distribution."""
    pred, name, single = call.pred, call.name, call.single
    n_samples, n_classes = pred.shape
    if weight is not None:
        weight = check_weights(weight, "weight", (n_classes,), pred.dtype)
    if ignore_index is not None:
        ignore_index = check_number(ignore_index, "ignore_index", example=-100, integer=True)
    if y_true is None or isinstance(y_true, (str, bytes)):
        kinds = "class indices or target distributions" if distributions else "class indices"
        raise TypeError(f"y_true must be {kinds}, got {y_true!r}.")
    given = as_array(y_true, "y_true")
    y = given.reshape((1, *given.shape)) if single and given.ndim < 2 else given
    if y.ndim == 2 and distributions:
        t = as_float_array(y.astype(pred.dtype) if y.dtype == bool else y, "y_true")
        if t.shape != pred.shape:
            raise ValueError(
                f"y_true has shape {given.shape}, but {name} has shape {pred.shape}: "
                f"target distributions must be shaped like {name}."
            )
        try:
            check_distribution(t, "y_true")
        except ValueError as exc:
            if single and given.ndim == 1 and given.dtype.kind in "iu":
                raise ValueError(
                    f"y_true has {given.size} entries, like the single row of {name} "
                    f"({n_classes} classes), so it was read as one target distribution, and "
                    f"it is not one ({exc}) For one class index with a single row pass a "
                    f"scalar (y_true={int(given.ravel()[0])}); for several samples {name} "
                    "must be 2-D, (n_samples, n_classes)."
                ) from None
            raise
        return Targets.from_distributions(
            t.astype(pred.dtype, copy=False), weight=weight, label_smoothing=label_smoothing
        )
    if y.shape != (n_samples,):
        shape = (n_classes,) if single else pred.shape
        expected = "a scalar class index" if single else f"shape ({n_samples},)"
        if distributions:
            also = f" or one target distribution per sample (the shape of {name})"
        else:
            also = " (for one-hot rows pass y_true.argmax(axis=-1))" if given.shape == shape else ""
        raise ValueError(
            f"y_true has shape {given.shape}, but {name} has shape {shape}: pass one class "
            f"index per sample ({expected}){also}."
        )
    y = check_class_indices(y, n_classes, ignore_index=ignore_index)
    keep = None if ignore_index is None else y != ignore_index
    return Targets.from_indices(
        y if keep is None else np.where(keep, y, 0),
        n_classes,
        weight=weight,
        keep=keep,
        label_smoothing=label_smoothing,
    )


def _call(y_true, pred, name, *, weight, ignore_index, label_smoothing, reduction):
    """The checked call of a multi-class loss and its targets."""
    call = LossCall(pred, name, reduction)
    smoothing = check_number(label_smoothing, "label_smoothing", example=0.1, low=0, high=1)
    targets = read_targets(
        call, y_true, weight=weight, ignore_index=ignore_index, label_smoothing=smoothing
    )
    return call, targets


def _class_axis_last(y_true, pred, name):
    """PyTorch's layout for a batch of sequences (or images), a prediction ``(N, C, d1, …)``
    with class indices ``(N, d1, …)`` or soft targets shaped like the prediction, as rows:
    ``(N·d1·…, C)`` and targets ``(N·d1·…,)`` (or rows). Returns ``(y_true, pred, shape)``,
    ``shape`` being what ``reduction="none"`` returns, ``(N, d1, …)``; a prediction of 1 or 2
    dimensions comes back unchanged, with ``shape`` None."""
    pred = as_float_array(pred, name)
    if pred.ndim < 3:
        return y_true, pred, None
    n, c, *rest = pred.shape
    rows = np.moveaxis(pred, 1, -1).reshape(-1, c)
    y = as_array(y_true, "y_true")
    if y.shape == pred.shape:  # soft targets: one distribution per position, classes on axis 1
        return np.moveaxis(y, 1, -1).reshape(-1, c), rows, (n, *rest)
    if y.shape == (n, *rest):
        return y.reshape(-1), rows, (n, *rest)
    raise ValueError(
        f"{name} has shape {pred.shape}, PyTorch's layout (N, C, d1, …) with the {c} classes on "
        f"axis 1, so y_true needs class indices of shape {(n, *rest)} (or distributions of shape "
        f"{pred.shape}); got shape {y.shape}. For logits of shape (batch, time, classes), pass "
        f"np.moveaxis(logits, -1, 1), or flatten both: logits.reshape(-1, C), y.reshape(-1)."
    )


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
        target distributions shaped like the prediction. For a prediction ``(N, C, d1, …)``
        (PyTorch's layout for sequences), indices ``(N, d1, …)``.
    probs : array_like, optional
        Predicted probabilities, ``(n_samples, n_classes)``; rows must sum to 1.
    logits : array_like, optional
        Raw scores before softmax, ``(n_samples, n_classes)``; finite, or −∞ to rule a class
        out. Pass exactly one of ``probs``/``logits``. A batch of sequences (or images) in
        PyTorch's layout ``(N, C, d1, …)``, the classes on axis 1, is read as ``N·d1·…``
        samples, as ``torch.nn.functional.cross_entropy`` reads it.
    weight : array_like, optional
        Per-class weights, shape ``(n_classes,)``: non-negative, at least one positive.
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
    scalar, or ndarray of shape ``(n_samples,)`` (``(N, d1, …)``) for ``reduction="none"``
        In the prediction's dtype (float32 stays float32). As in PyTorch, the mean is NaN
        when every sample is ignored (0 / 0), and a row whose logits are all −∞ has a NaN
        loss.

    Examples
    --------
    The seed blog post's numbers, as probabilities (what the post meant) and as logits
    (what its PyTorch code computed):

    >>> y_hat = [[0.1, 0.4, 0.5], [0.8, 0.1, 0.1]]
    >>> round(float(cross_entropy([2, 0], probs=y_hat)), 4)
    0.4581
    >>> round(float(cross_entropy([2, 0], logits=y_hat)), 4)
    0.8178

    Two sequences of three characters from a vocabulary of 4, logits ``(N, C, T)``, the
    second one padded after its first character (label −100, PyTorch's default
    ``ignore_index``): the mean is over the 4 real positions.

    >>> z = np.zeros((2, 4, 3))
    >>> y = [[0, 1, 2], [3, -100, -100]]
    >>> round(float(cross_entropy(y, logits=z, ignore_index=-100)), 4)  # ln 4
    1.3863
    >>> cross_entropy(y, logits=z, ignore_index=-100, reduction="none").shape
    (2, 3)
    """
    kind, pred = one_of_probs_logits(probs, logits)
    y_true, pred, shape = _class_axis_last(y_true, pred, kind)
    if shape is not None:
        out = cross_entropy(
            y_true,
            **{kind: pred},
            weight=weight,
            ignore_index=ignore_index,
            label_smoothing=label_smoothing,
            reduction=reduction,
            eps=eps,
        )
        return out.reshape(shape) if np.ndim(out) else out
    options = dict(
        weight=weight,
        ignore_index=ignore_index,
        label_smoothing=label_smoothing,
        reduction=reduction,
    )
    if kind == "logits":
        if eps is not None:
            raise TypeError("eps clips probabilities; it has no meaning with logits=.")
        call, targets = _call(y_true, pred, "logits", **options)
        return call.reduce(_forward_in_blocks(call.pred, targets), targets.denominator)
    call, targets = _call(y_true, pred, "probs", **options)
    check_class_probs(call.pred, dtype=call.out_dtype)
    p = call.pred
    if eps is not None:
        p = np.clip(p, check_number(eps, "eps", example=1e-12, low=0, high=0.5, low_open=True), 1)
    with np.errstate(divide="ignore"):
        per_sample = loss_and_grad(np.log(p), targets, log_probs=True)[0]
    return call.reduce(per_sample, targets.denominator)


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
    A batch with no weight at all (every sample ignored, or of classes weighted 0) has the
    mean loss NaN, as in PyTorch, and a zero gradient: there is nothing to learn from it.

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
    call, targets = _call(
        y_true,
        pred,
        "logits",
        weight=weight,
        ignore_index=ignore_index,
        label_smoothing=label_smoothing,
        reduction=reduction,
    )
    loss, grad = loss_and_grad(call.pred, targets, check=True)
    # (a batch without weight has the mean loss NaN and a zero gradient: see mean_scale)
    return call.reduce(loss, targets.denominator), call.reduce_grad(grad, targets.mean_scale)


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
    if y_true is not None and not isinstance(y_true, (str, bytes)):
        y_true = as_array(y_true, "y_true")
    if np.ndim(y_true) == logp.ndim and logp.ndim > 0:
        raise ValueError(
            f"nll_loss takes class indices as y_true: shape ({logp.shape[0]},) for log_probs "
            f"of shape {logp.shape}, a scalar for a single row; y_true has the shape of "
            "log_probs, which is how target distributions come: for them use cross_entropy."
            if logp.ndim == 2
            else "nll_loss takes class indices as y_true: a scalar for a single row of "
            f"log_probs (shape {logp.shape}); for several samples log_probs must be 2-D. For "
            "target distributions use cross_entropy."
        )
    call, targets = _call(
        y_true,
        logp,
        "log_probs",
        weight=weight,
        ignore_index=ignore_index,
        label_smoothing=0.0,
        reduction=reduction,
    )
    per_sample = loss_and_grad(call.pred, targets, log_probs=True)[0]
    return call.reduce(per_sample, targets.denominator)


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
        Class balancing factor, non-negative; None means no weighting.
    reduction : {"mean", "sum", "none"}
        ``"mean"`` is the plain mean over samples.

    Examples
    --------
    >>> z = [[2.0, 0.0, -1.0], [0.5, 0.3, 0.2]]
    >>> bool(np.isclose(focal_loss([0, 2], logits=z, gamma=0.0), cross_entropy([0, 2], logits=z)))
    True
    """
    kind, pred = one_of_probs_logits(probs, logits)
    gamma = check_number(gamma, "gamma", example=2.0, low=0, fix="0 gives cross-entropy.")
    options = dict(weight=None, ignore_index=None, label_smoothing=0.0, reduction=reduction)
    call, targets = _call(y_true, pred, kind, **options)
    n_classes = call.pred.shape[1]
    if alpha is None:
        alpha_c = np.ones(n_classes, call.pred.dtype)
    elif np.ndim(as_array(alpha, "alpha")) == 0:
        alpha_c = np.full(n_classes, check_number(alpha, "alpha", example=0.25, low=0))
    else:
        alpha_c = check_weights(alpha, "alpha", (n_classes,), call.pred.dtype)
    if kind == "logits":
        check_logits(call.pred)
        logp = log_softmax(call.pred, axis=1)
    else:
        check_class_probs(call.pred, dtype=call.out_dtype)
        with np.errstate(divide="ignore"):
            logp = np.log(call.pred)
    focus = np.power(np.clip(1 - np.exp(logp), 0, 1), gamma) * alpha_c
    per_sample = loss_and_grad(logp, targets.scaled(focus), log_probs=True)[0]
    return call.reduce(per_sample, targets.denominator)


# ==== Speed only (``make bench``) ==========================================================
# Nothing below changes a result: it makes the kernel above fast (CONTRIBUTING.md, Speed).
# loss_and_grad_reference says what is computed; tests/test_kernel.py proves them equal.


def _subtract_at_targets(grad, targets: Targets) -> None:
    """``grad[i, y_i] −= c_i``, through the flat buffer when ``grad`` is contiguous (several
    times faster than fancy indexing); a strided view (``out=a[::2]``) cannot be flattened
    without a copy, so it takes the plain route."""
    if grad.flags.c_contiguous or grad.flags.f_contiguous:
        by_column = grad.flags.f_contiguous and not grad.flags.c_contiguous
        flat = grad.reshape(-1, order="A")  # a view, so the subtraction lands in grad
        flat[targets.flat_positions(grad.shape, by_column)] -= targets.coef
    else:
        grad[targets.rows, targets.index] -= targets.coef


_BLOCK_ELEMENTS = 1 << 16  # a forward pass works through cache-sized blocks of rows


def _forward_in_blocks(logits, targets: Targets) -> np.ndarray:
    """Per-sample losses of :func:`loss_and_grad`, block by block: the temporary stays in
    cache."""
    n, c = logits.shape
    step = max(1, _BLOCK_ELEMENTS // c)
    if n <= step:
        return loss_and_grad(logits, targets, need_grad=False, check=True)[0]
    blocks = [slice(i, i + step) for i in range(0, n, step)]
    return np.concatenate(
        [loss_and_grad(logits[b], targets.take(b), need_grad=False, check=True)[0] for b in blocks]
    )
