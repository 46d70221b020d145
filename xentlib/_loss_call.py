"""One validated loss call: the input-check-and-reduce helper every loss starts from.

Every loss in xentlib (``losses``, ``binary``, ``scoring``) checks its prediction and its
``reduction`` the same way, computes float16 in float32, and reduces the same way, through
:class:`LossCall`. What differs between the losses (class targets, 0/1 labels, weights) is
read by the loss itself with the checks of :mod:`xentlib._validation`.

>>> call = LossCall([[0.2, 0.8], [0.6, 0.4]], "probs", "mean")
>>> call.pred.shape, call.single
((2, 2), False)
>>> float(call.reduce(np.array([1.0, 3.0])))
2.0
>>> LossCall([0.2, 0.8], "probs", "none").reduce(np.array([0.5]))  # one row in, one number out
np.float64(0.5)
"""

from __future__ import annotations

import numpy as np

from ._validation import (
    as_float_array,
    check_finite,
    check_prediction_shape,
    check_probabilities,
    check_reduction,
    scalar_if_0d,
)

ROWS, ELEMENTS = "rows", "elements"


class LossCall:
    """A loss call with its prediction checked and its reduction known.

    Parameters
    ----------
    pred : array_like
        The prediction as given (probabilities, logits, log-probabilities or scores).
    name : str
        Its argument's name, for messages.
    reduction : {"mean", "sum", "none"}
    layout : {"rows", "elements"}
        ``"rows"``: one row of class scores per sample, ``(n_samples, n_classes)`` or a
        single row ``(n_classes,)``, held in :attr:`pred` as 2-D rows. ``"elements"``: any
        shape, every element an independent output (the binary losses).

    Attributes
    ----------
    pred : ndarray
        The prediction to compute with: 2-D for ``"rows"``, float32 for float16 input.
    out_dtype : dtype
        The dtype results are returned in (the prediction's).
    single : bool
        A single row was given: per-sample results lose their sample axis.
    """

    def __init__(self, pred, name, reduction, *, layout=ROWS):
        self.reduction = check_reduction(reduction)
        pred = as_float_array(pred, name)
        self.name, self.layout, self.out_dtype = name, layout, pred.dtype
        self.single = False
        if layout == ROWS:
            check_prediction_shape(pred, name)
            self.single = pred.ndim == 1
            pred = pred.reshape(1, -1) if self.single else pred
        self.pred = pred.astype(np.float32) if pred.dtype == np.float16 else pred

    @property
    def count(self) -> int:
        """What ``"mean"`` divides by by default: samples for rows, elements otherwise."""
        return self.pred.shape[0] if self.layout == ROWS else self.pred.size

    # ---- reading what a binary loss needs ---------------------------------------------------
    def labels(self, y_true) -> np.ndarray:
        """0/1 (or soft) labels in [0, 1], one per element of the prediction."""
        y = as_float_array(y_true, "y_true").astype(self.pred.dtype, copy=False)
        if y.shape != self.pred.shape:
            raise ValueError(
                f"y_true has shape {y.shape} but {self.name} has shape {self.pred.shape}: binary "
                "targets need one 0/1 (or soft) label per prediction."
            )
        check_probabilities(y, "y_true")
        return y

    def broadcastable(self, value, name) -> np.ndarray | None:
        """Non-negative finite weights that broadcast against the prediction (None stays)."""
        if value is None:
            return None
        arr = as_float_array(value, name).astype(self.pred.dtype, copy=False)
        check_finite(arr, name)
        if (arr < 0).any():
            raise ValueError(f"{name} must be non-negative, got {arr.ravel()[:6].tolist()}.")
        try:
            fits = np.broadcast_shapes(arr.shape, self.pred.shape) == self.pred.shape
        except ValueError:
            fits = False
        if not fits:
            raise ValueError(
                f"{name} of shape {arr.shape} cannot broadcast against the prediction's shape "
                f"{self.pred.shape}; use a scalar, one value per output column, or the full shape."
            )
        return arr

    # ---- reducing ---------------------------------------------------------------------------
    def reduce(self, per_sample, denominator=None):
        """The reduction of the per-sample (or per-element) losses, in :attr:`out_dtype`.

        ``"mean"`` adds in float64 and divides by ``denominator`` (default :attr:`count`;
        the class-weighted losses pass the sum of the targets' weights; 0 / 0 is NaN, as
        in PyTorch for a batch whose samples are all ignored)."""
        if self.reduction == "none":
            out = per_sample[0] if self.single else per_sample
        elif self.reduction == "sum":
            out = np.sum(per_sample)
        else:
            total = np.sum(per_sample, dtype=np.float64)
            with np.errstate(invalid="ignore", divide="ignore"):
                out = total / (self.count if denominator is None else denominator)
        return np.asarray(out, dtype=self.out_dtype)[()]

    def reduce_grad(self, grad, scale=None):
        """The gradient of the reduced loss from the gradient of the sum (in place):
        ``"mean"`` divides by :attr:`count`, or multiplies by ``scale`` when given."""
        if self.reduction == "mean" and scale is None:
            grad /= self.count
        elif self.reduction == "mean":
            grad *= grad.dtype.type(scale)
        grad = grad[0] if self.single else grad
        return scalar_if_0d(grad.astype(self.out_dtype, copy=False))
