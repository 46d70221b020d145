r"""PyTorch's ``kl_div``: the loss of knowledge distillation, with its reductions.

Distillation (lesson 14) trains a student's log-probabilities :math:`\log q` towards a
teacher's probabilities :math:`p`. ``torch.nn.functional.kl_div(input, target)`` takes them
in that order — the student's *log*-probabilities first, the teacher's probabilities second,
the reverse of the mathematical :math:`\mathrm{KL}(p \,\|\, q)` — and its default
``reduction="mean"`` divides by the number of *elements*, not of examples, which is not the
KL divergence (PyTorch warns; ``"batchmean"`` is). :func:`kl_div` has the same arguments and,
for log-probabilities, the same results, so lesson 14 can show both traps; it refuses an
``input`` with positive entries (logits or probabilities passed by mistake), which PyTorch
computes with silently.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array, check_choice, check_no_nan, check_probabilities

__all__ = ["kl_div"]

KL_REDUCTIONS = ("mean", "batchmean", "sum", "none")


def kl_div(input, target, *, reduction="mean", log_target=False):
    r"""The pointwise KL divergence terms of ``target`` from ``exp(input)``, reduced as
    ``torch.nn.functional.kl_div`` reduces them.

    .. math:: \ell_{ic} = p_{ic}\,(\log p_{ic} - \log q_{ic}), \qquad
              \sum_c \ell_{ic} = \mathrm{KL}(p_i \,\|\, q_i)

    with :math:`\log q` = ``input`` (log-probabilities, e.g. ``log_softmax`` of a student's
    logits) and :math:`p` = ``target`` (probabilities; log-probabilities when
    ``log_target=True``). A term with :math:`p_{ic} = 0` is 0.

    Parameters
    ----------
    input : array_like
        Log-probabilities, any shape; the first axis is the batch.
    target : array_like
        Probabilities of the same shape (or log-probabilities with ``log_target=True``).
    reduction : {"mean", "batchmean", "sum", "none"}, default "mean"
        ``"batchmean"``: the sum divided by the batch size (the first axis), which is the
        mean KL divergence per example: use this one. ``"mean"`` (PyTorch's default) divides
        by the number of elements, so it is the KL divergence divided by the number of
        classes as well. ``"sum"``; ``"none"``: the terms, shaped like ``input``.

    Returns
    -------
    scalar, or ndarray shaped like ``input`` for ``reduction="none"``

    Examples
    --------
    >>> p = np.array([[0.7, 0.2, 0.1]])
    >>> log_q = np.log([[0.5, 0.3, 0.2]])
    >>> round(float(kl_div(log_q, p, reduction="batchmean")), 4)  # KL(p‖q)
    0.0851
    >>> round(float(kl_div(log_q, p)), 4)  # PyTorch's default: also ÷ 3 classes
    0.0284
    """
    log_q = as_float_array(input, "input")
    given = as_float_array(target, "target")
    reduction = check_choice(
        reduction,
        "reduction",
        KL_REDUCTIONS,
        fix="'batchmean' is the mean KL divergence per example; PyTorch's default 'mean' "
        "also divides by the number of classes.",
    )
    if log_q.shape != given.shape:
        raise ValueError(
            f"input and target must have the same shape, got {log_q.shape} and {given.shape}: "
            "one log-probability of the student and one probability of the teacher per class."
        )
    if log_q.ndim == 0 or log_q.size == 0:
        raise ValueError(
            f"input must hold at least one example's log-probabilities, got shape {log_q.shape}."
        )
    check_no_nan(log_q, "input")
    if (log_q > 0).any():
        raise ValueError(
            "input must be log-probabilities (every entry ≤ 0), but it contains "
            f"{float(log_q[log_q > 0].ravel()[0])!r}. Pass log_softmax(student_logits), not the "
            "logits or the probabilities."
        )
    if log_target:
        check_no_nan(given, "target")
        if (given > 0).any():
            raise ValueError(
                "with log_target=True, target must be log-probabilities (every entry ≤ 0), but "
                f"it contains {float(given[given > 0].ravel()[0])!r}."
            )
        p, log_p = np.exp(given), given
    else:
        check_probabilities(given, "target")
        p = given
        with np.errstate(divide="ignore"):
            log_p = np.log(given)
    with np.errstate(invalid="ignore"):
        terms = np.where(p > 0, p * (log_p - log_q), 0.0).astype(
            np.result_type(log_q, given), copy=False
        )
    if reduction == "none":
        return terms
    total = terms.sum()
    if reduction == "sum":
        return total
    return total / (log_q.shape[0] if reduction == "batchmean" else log_q.size)
