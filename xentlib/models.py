r"""Two tiny classifiers trained with cross-entropy, scikit-learn style, in plain NumPy.

- :class:`SoftmaxRegression`: logits :math:`z = XW + b` (multinomial logistic regression).
- :class:`TinyMLP`: one hidden layer, :math:`z = \phi(XW_1 + b_1)W_2 + b_2`, with the
  backward pass written by hand next to the forward pass.

Both minimise the training objective

.. math:: J = \mathrm{CE}(y, z) + \frac{\lambda}{2} \sum \lVert W \rVert^2

(mean cross-entropy with PyTorch's class-weight and label-smoothing semantics, weights but
not biases penalised) by full-batch gradient descent, or mini-batch SGD with seeded
shuffling when ``batch_size`` is set. The same seed gives bit-identical results.

>>> from xentlib.datasets import make_blobs
>>> X, y = make_blobs(200, seed=0)
>>> model = SoftmaxRegression(epochs=50).fit(X, y)
>>> round(model.history_["loss"][0], 4) == round(float(np.log(3)), 4)  # ln C at the start
True
>>> model.score(X, y) > 0.9
True
"""

from __future__ import annotations

import inspect
import warnings

import numpy as np

from ._training_loss import TrainingLoss
from ._validation import check_labels, check_X, number_above, positive_int
from .metrics import accuracy
from .special import softmax

__all__ = ["NotFittedError", "SoftmaxRegression", "TinyMLP"]


class NotFittedError(ValueError, AttributeError):
    """Raised when a model is used before ``fit`` (as scikit-learn does)."""


class _CrossEntropyClassifier:
    """Training loop, bookkeeping and checks shared by the two models.

    Subclasses define ``_init_params(rng, n_features, n_classes)``, ``_forward(X)`` returning
    ``(logits, cache)``, ``_backward(cache, dlogits)`` returning gradients in the order of
    ``_params()``, and ``_penalised()``, the weight matrices the L2 term applies to. Logits
    are made in Fortran order (``np.matmul(..., order="F")``), the layout
    :class:`~xentlib._training_loss.TrainingLoss` is fastest on.
    """

    # SoftmaxRegression's constructor: the defaults here are its defaults.
    def __init__(
        self,
        *,
        lr=0.5,
        epochs=200,
        batch_size=None,
        l2=0.0,
        class_weight=None,
        label_smoothing=0.0,
        seed=0,
    ):
        self.lr = number_above(lr, "lr", "0.5", strict=True)
        self.epochs = positive_int(epochs, "epochs", "200")
        self.batch_size = (
            None if batch_size is None else positive_int(batch_size, "batch_size", "32")
        )
        self.l2 = number_above(l2, "l2", "1e-3", strict=False)
        self.class_weight = class_weight
        if not 0 <= label_smoothing < 1:
            raise ValueError(f"label_smoothing must be in [0, 1), got {label_smoothing!r}.")
        self.label_smoothing = float(label_smoothing)
        self.seed = seed

    # ---- checks ------------------------------------------------------------------------
    def _check_fitted(self):
        if not hasattr(self, "classes_"):
            raise NotFittedError(
                f"This {type(self).__name__} is not fitted yet: call .fit(X, y) before "
                "predicting or scoring."
            )

    def _check_X(self, X):
        self._check_fitted()
        X = check_X(X)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has {X.shape[1]} features, but this {type(self).__name__} was fitted with "
                f"{self.n_features_in_}; pass the same columns as in fit."
            )
        return X

    def _encode(self, y, n_samples, name="y"):
        """Labels → indices 0 … C−1 into ``classes_``; unknown labels are an error."""
        y = check_labels(y, n_samples, name)
        idx = np.searchsorted(self.classes_, y)
        idx = np.clip(idx, 0, len(self.classes_) - 1)
        unknown = self.classes_[idx] != y
        if unknown.any():
            raise ValueError(
                f"{name} contains labels not seen in fit: {np.unique(y[unknown]).tolist()}; "
                f"the model knows {self.classes_.tolist()}."
            )
        return idx

    def _class_weights(self, y_idx):
        cw, n_classes = self.class_weight, len(self.classes_)
        if cw is None:
            return None
        if isinstance(cw, str):
            if cw != "balanced":
                raise ValueError(
                    f"class_weight must be None, 'balanced', a dict or an array; got {cw!r}."
                )
            counts = np.bincount(y_idx, minlength=n_classes)
            return len(y_idx) / (n_classes * np.maximum(counts, 1))
        if isinstance(cw, dict):
            unknown = set(cw) - set(self.classes_.tolist())
            if unknown:
                raise ValueError(f"class_weight names unknown classes {sorted(unknown)}.")
            return np.array([float(cw.get(c, 1.0)) for c in self.classes_.tolist()])
        weights = np.asarray(cw, dtype=float)
        if weights.shape != (n_classes,) or np.any(weights < 0):
            raise ValueError(
                f"class_weight as an array needs {n_classes} non-negative numbers (one per "
                f"class), got {weights.tolist()}."
            )
        return weights

    # ---- the objective -----------------------------------------------------------------
    def _training_loss(self, y_idx):
        """The cross-entropy part of the objective, prepared for the labels ``y_idx``."""
        return TrainingLoss(
            y_idx, len(self.classes_), weight=self._weight, label_smoothing=self.label_smoothing
        )

    def _objective(self, X, targets, rows=None, *, need_grad):
        """J = CE + (l2/2)·Σ‖W‖² on ``X``, whose labels are ``rows`` of ``targets``.

        ``targets`` is a :class:`TrainingLoss` (``rows=None``: all of its labels). Returns
        ``(J, grads, logits)``, ``grads`` in the order of ``_params()`` or None.
        """
        logits, cache = self._forward(X)
        penalty = 0.5 * self.l2 * sum(float(np.sum(W * W)) for W in self._penalised())
        loss, dlogits = targets(logits, rows, need_grad=need_grad)
        if not need_grad:
            return loss + penalty, None, logits
        grads = self._backward(cache, dlogits)
        for W, g in zip(self._penalised(), grads, strict=False):
            g += self.l2 * W  # the penalised weights come first in _params()
        return loss + penalty, grads, logits

    def _step(self, X, targets, rows=None):
        """One gradient step; returns the objective and the number correct *before* it."""
        loss, grads, logits = self._objective(X, targets, rows, need_grad=True)
        for param, grad in zip(self._params(), grads, strict=True):
            param -= self.lr * grad
        return loss, targets.n_correct(logits, rows)

    # ---- public API --------------------------------------------------------------------
    def fit(self, X, y, *, validation_data=None, callback=None):
        """Train on ``(X, y)``; returns self.

        Parameters
        ----------
        X : array of shape (n_samples, n_features)
        y : array of shape (n_samples,), integer class labels
        validation_data : (X_val, y_val), optional
            Adds ``val_loss`` and ``val_accuracy`` to ``history_`` after every epoch.
        callback : callable, optional
            ``callback(model, epoch, logs)`` after every epoch (``logs`` holds that epoch's
            numbers); returning ``False`` stops training.

        Notes
        -----
        ``history_["loss"][k]`` and ``["accuracy"][k]`` are measured *during* epoch ``k``,
        as Keras does: for full-batch descent, on the parameters at the start of the epoch
        (so ``history_["loss"][0]`` is the loss at initialisation, ln C), for mini-batches
        the mean over the epoch's batches. ``val_loss`` and ``val_accuracy`` are measured
        at the end of the epoch. If the loss overflows (a learning rate far too large),
        training stops with a ``RuntimeWarning`` saying so, and ``history_`` ends with the
        non-finite value.
        """
        X = np.asfortranarray(check_X(X))  # column by column, like the logits
        y = check_labels(y, X.shape[0])
        self.classes_ = np.unique(y)
        if len(self.classes_) < 2:
            raise ValueError(
                f"y has a single class ({self.classes_.tolist()}); a classifier needs at least two."
            )
        self.n_features_in_ = X.shape[1]
        y_idx = self._encode(y, X.shape[0])
        self._weight = self._class_weights(y_idx)
        targets = self._training_loss(y_idx)  # prepared once, used every epoch
        val = None
        if validation_data is not None:
            X_val, y_val = validation_data
            X_val = self._check_X(X_val)
            val = (X_val, self._training_loss(self._encode(y_val, X_val.shape[0], "y_val")))
        rng = np.random.default_rng(self.seed)
        self._init_params(rng, X.shape[1], len(self.classes_))
        self.history_ = {"loss": [], "accuracy": []}
        if val is not None:
            self.history_.update(val_loss=[], val_accuracy=[])
        n = X.shape[0]
        for epoch in range(self.epochs):
            with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported below
                if self.batch_size is None or self.batch_size >= n:
                    loss, correct = self._step(X, targets)
                else:  # Keras-style: the epoch's loss is the mean over its batches
                    order = rng.permutation(n)
                    losses, correct = [], 0
                    for start in range(0, n, self.batch_size):
                        batch = order[start : start + self.batch_size]
                        batch_loss, batch_correct = self._step(X[batch], targets, batch)
                        losses.append(batch_loss * len(batch))
                        correct += batch_correct
                    loss = float(np.sum(losses) / n)
                logs = {"loss": loss, "accuracy": correct / n, **self._validate(val)}
            for key, value in logs.items():
                self.history_[key].append(value)
            if callback is not None and callback(self, epoch, logs) is False:
                break
            if not np.isfinite(loss):
                warnings.warn(
                    f"{type(self).__name__} diverged at epoch {epoch}: the training loss is "
                    f"{loss}. Lower the learning rate (lr={self.lr:g}) or standardise X.",
                    RuntimeWarning,
                    stacklevel=2,
                )
                break
        return self

    def _validate(self, val):
        if val is None:
            return {}
        X_val, targets = val
        loss, _, logits = self._objective(X_val, targets, need_grad=False)
        return {"val_loss": loss, "val_accuracy": targets.n_correct(logits) / len(X_val)}

    def decision_function(self, X):
        """The logits, shape (n_samples, n_classes)."""
        return self._forward(self._check_X(X))[0]

    def predict_proba(self, X):
        """Class probabilities softmax(logits), shape (n_samples, n_classes)."""
        return softmax(self.decision_function(X), axis=1)

    def predict(self, X):
        """The most probable class label for each row of X."""
        best = self.decision_function(X).argmax(axis=1)  # checks fitted first
        return self.classes_[best]

    def score(self, X, y):
        """Accuracy on ``(X, y)``."""
        X = self._check_X(X)
        return accuracy(check_labels(y, X.shape[0]), self.predict(X))

    def loss(self, X, y):
        """The training objective on ``(X, y)``: mean cross-entropy + (l2 / 2)·‖W‖²."""
        X = self._check_X(X)
        targets = self._training_loss(self._encode(y, X.shape[0]))
        return self._objective(X, targets, need_grad=False)[0]

    def _hyperparameters(self) -> dict:
        """The constructor's arguments, read from its signature (as scikit-learn's get_params)."""
        names = inspect.signature(type(self).__init__).parameters
        return {name: getattr(self, name) for name in names if name != "self"}

    def __repr__(self):
        params = ", ".join(f"{k}={v!r}" for k, v in self._hyperparameters().items())
        return f"{type(self).__name__}({params})"


class SoftmaxRegression(_CrossEntropyClassifier):
    r"""Multinomial logistic regression trained by gradient descent on cross-entropy.

    .. math::
        z = XW + b, \qquad
        \frac{\partial J}{\partial W} = X^{\top} \frac{\partial \mathrm{CE}}{\partial z} + \lambda W,
        \qquad \frac{\partial J}{\partial b} = \sum_i \frac{\partial \mathrm{CE}}{\partial z_i}

    where :math:`\partial \mathrm{CE} / \partial z = (\mathrm{softmax}(z) - y) / N` for the
    unweighted mean. Weights start at zero, so the loss at initialisation is :math:`\ln C`.
    With ``l2 > 0`` this is the objective of scikit-learn's
    ``LogisticRegression(C=1 / (n_samples * l2))``, and it converges to the same optimum.

    Parameters
    ----------
    lr : float, default 0.5
        Learning rate (step size).
    epochs : int, default 200
        Passes over the training data.
    batch_size : int or None, default None
        None: full-batch gradient descent. Otherwise mini-batch SGD, reshuffled every epoch.
    l2 : float, default 0.0
        L2 penalty strength :math:`\lambda` on ``coef_`` (not on ``intercept_``).
    class_weight : None, "balanced", dict or array
        Per-class weights, PyTorch's weighted mean :math:`\sum w_{y_i} L_i / \sum w_{y_i}`.
    label_smoothing : float, default 0.0
    seed : int, default 0
        Seeds the mini-batch shuffling; the same seed gives bit-identical results.

    Attributes
    ----------
    coef_ : array of shape (n_features, n_classes)
    intercept_ : array of shape (n_classes,)
    classes_ : array of shape (n_classes,)
    history_ : dict of lists
        ``loss`` and ``accuracy`` per epoch (and ``val_loss``, ``val_accuracy``).
    """

    def _init_params(self, rng, n_features, n_classes):
        self.coef_ = np.zeros((n_features, n_classes))
        self.intercept_ = np.zeros(n_classes)

    def _params(self):
        return [self.coef_, self.intercept_]

    def _penalised(self):
        return [self.coef_]

    # forward and backward, side by side
    def _forward(self, X):
        logits = np.matmul(X, self.coef_, order="F")  # stored column by column (see above)
        logits += self.intercept_
        return logits, X

    def _backward(self, X, dlogits):
        return [X.T @ dlogits, dlogits.sum(axis=0)]


class TinyMLP(_CrossEntropyClassifier):
    r"""A one-hidden-layer network, backpropagation written by hand.

    .. math::
        h = \phi(X W_1 + b_1), \qquad z = h W_2 + b_2

    Backward, with :math:`\delta = \partial \mathrm{CE} / \partial z`:

    .. math::
        \frac{\partial J}{\partial W_2} = h^{\top}\delta + \lambda W_2, \quad
        \frac{\partial J}{\partial h} = \delta W_2^{\top}, \quad
        \frac{\partial J}{\partial a} = \frac{\partial J}{\partial h} \odot \phi'(a), \quad
        \frac{\partial J}{\partial W_1} = X^{\top}\frac{\partial J}{\partial a} + \lambda W_1

    where :math:`a = XW_1 + b_1`, :math:`\tanh' = 1 - h^2` and :math:`\mathrm{relu}' = [a > 0]`.
    Hidden weights start as Glorot/He normal draws from ``seed``; the output layer starts at
    zero, so the loss at initialisation is :math:`\ln C`, as for softmax regression.

    Parameters are those of :class:`SoftmaxRegression` plus ``hidden`` (units) and
    ``activation`` ("tanh" or "relu"). Attributes: ``W1_``, ``b1_``, ``W2_``, ``b2_``,
    ``classes_``, ``history_``.
    """

    def __init__(
        self,
        *,
        hidden=32,
        activation="tanh",
        lr=1.0,
        epochs=2000,
        batch_size=None,
        l2=0.0,
        class_weight=None,
        label_smoothing=0.0,
        seed=0,
    ):
        super().__init__(
            lr=lr,
            epochs=epochs,
            batch_size=batch_size,
            l2=l2,
            class_weight=class_weight,
            label_smoothing=label_smoothing,
            seed=seed,
        )
        self.hidden = positive_int(hidden, "hidden", "32")
        if activation not in ("tanh", "relu"):
            raise ValueError(f"activation must be 'tanh' or 'relu', got {activation!r}.")
        self.activation = activation

    def _init_params(self, rng, n_features, n_classes):
        gain = 1.0 if self.activation == "tanh" else 2.0  # Glorot for tanh, He for ReLU
        self.W1_ = rng.normal(scale=np.sqrt(gain / n_features), size=(n_features, self.hidden))
        self.b1_ = np.zeros(self.hidden)
        self.W2_ = np.zeros((self.hidden, n_classes))
        self.b2_ = np.zeros(n_classes)

    def _params(self):
        return [self.W1_, self.W2_, self.b1_, self.b2_]

    def _penalised(self):
        return [self.W1_, self.W2_]

    # forward and backward, side by side
    def _forward(self, X):
        a = X @ self.W1_
        a += self.b1_
        h = np.tanh(a) if self.activation == "tanh" else np.maximum(a, 0.0)
        logits = np.matmul(h, self.W2_, order="F")
        logits += self.b2_
        return logits, (X, a, h)

    def _backward(self, cache, dlogits):
        X, a, h = cache
        dW2 = h.T @ dlogits
        db2 = dlogits.sum(axis=0)
        dh = dlogits @ self.W2_.T
        da = dh * (1.0 - h * h) if self.activation == "tanh" else dh * (a > 0)
        dW1 = X.T @ da
        db1 = da.sum(axis=0)
        return [dW1, dW2, db1, db2]
