r"""Cross-entropy of a fixed set of training labels, prepared once for a training loop.

:func:`xentlib.cross_entropy_with_grad` checks and interprets its targets on every call.
A training loop asks about the same labels hundreds of times, so the models turn them, once,
into the one matrix the loss needs: with class weights :math:`w`, label smoothing
:math:`\varepsilon` and :math:`C` classes,

.. math::
    a_{ic} = w_c \bigl((1-\varepsilon)[c = y_i] + \varepsilon / C\bigr), \qquad
    A_i = \sum_c a_{ic}, \qquad D = \sum_i w_{y_i}

(:math:`D` is PyTorch's weighted-mean denominator). Then, with :math:`m_i = \max_c z_{ic}`
and :math:`s_i = \sum_c e^{z_{ic} - m_i}`, so that :math:`\log\sum_c e^{z_{ic}} = m_i + \log s_i`,

.. math::
    J = \frac{1}{D} \sum_i \Bigl(A_i \log s_i - \sum_c a_{ic}(z_{ic} - m_i)\Bigr), \qquad
    \frac{\partial J}{\partial z_{ic}} = \frac{1}{D}\Bigl(A_i \frac{e^{z_{ic} - m_i}}{s_i}
    - a_{ic}\Bigr),

the same numbers as :func:`~xentlib.cross_entropy_with_grad` (``tests/test_training_loss.py``
checks every combination). Arrays are ``(n_samples, n_classes)`` in Fortran order (column
by column): with few classes every per-class operation then runs over contiguous memory,
which makes an epoch several times faster (``make bench``). Pass logits in Fortran order,
e.g. ``np.matmul(X, W, order="F")``, and keep ``X`` in Fortran order too (``X.T @ grad``
is then fast); C order gives the same numbers, more slowly.

>>> loss = TrainingLoss(np.array([0, 1]), 3)
>>> value, grad = loss(np.zeros((2, 3), order="F"))
>>> round(value, 4) == round(float(np.log(3)), 4), grad.round(3).tolist()
(True, [[-0.333, 0.167, 0.167], [0.167, -0.333, 0.167]])
"""

from __future__ import annotations

import numpy as np

from ._rows import row_argmax, row_max, row_sum


class TrainingLoss:
    """Mean cross-entropy of the fixed labels ``y`` (indices 0 … C−1) as a function of logits.

    Parameters
    ----------
    y : int array of shape (n_samples,), values in ``range(n_classes)``
    n_classes : int
    weight : array of shape (n_classes,), optional
        Class weights, with PyTorch's weighted mean.
    label_smoothing : float in [0, 1)
    """

    def __init__(self, y, n_classes, *, weight=None, label_smoothing=0.0):
        y = np.asarray(y)
        w = np.ones(n_classes) if weight is None else np.asarray(weight, dtype=float)
        eps = float(label_smoothing)
        targets = np.full((len(y), n_classes), eps / n_classes, order="F")
        targets[np.arange(len(y)), y] += 1.0 - eps
        self.targets = targets * w  # a, Fortran order like ``targets``
        self.target_mass = self.targets.sum(axis=1)  # A
        self.sample_weight = w[y]  # w_{y_i}; their sum is the mean's denominator D
        self.denominator = float(np.sum(self.sample_weight))
        self.y = y

    def __call__(self, logits, rows=None, *, need_grad=True):
        """``(J, ∂J/∂z)`` for logits ``z`` of the samples ``rows`` (all when None).

        ``J`` is a float; the gradient has the logits' shape (None when ``need_grad`` is
        False). The logits are not checked: they come from a model's own forward pass.
        """
        a, mass, denominator = self.targets, self.target_mass, self.denominator
        if rows is not None:  # a mini-batch
            a, mass = np.asfortranarray(a[rows]), mass[rows]
            denominator = float(np.sum(self.sample_weight[rows]))
        shifted = logits - row_max(logits)  # z − m ≤ 0, exactly 0 at each row's maximum
        target_term = float(np.einsum("ic,ic->", a, shifted))  # Σ a ⊙ (z − m), no temporary
        e = np.exp(shifted, out=shifted)
        s = row_sum(e)
        log_s = np.log(s)
        loss = (float(mass @ log_s[:, 0]) - target_term) / denominator
        if not need_grad:
            return loss, None
        grad = e
        grad *= mass[:, None] / s  # A_i · softmax(z_i)
        grad -= a
        grad *= 1.0 / denominator
        return loss, grad

    def n_correct(self, logits, rows=None) -> int:
        """How many rows' largest logit (the first, if tied) is at the true class."""
        y = self.y if rows is None else self.y[rows]
        return int(np.count_nonzero(row_argmax(logits) == y))
