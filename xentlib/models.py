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

import difflib
import inspect
import warnings
from typing import ClassVar

import numpy as np

from ._validation import (
    _given,
    as_float_array,
    check_choice,
    check_labels,
    check_number,
    check_weights,
    check_X,
)
from .losses import Targets, loss_and_grad
from .metrics import accuracy
from .special import softmax

__all__ = ["NotFittedError", "SoftmaxRegression", "TinyMLP"]

DIVERGENCE_FACTOR = 100  # a training loss above 100× its starting value is running away


def _n_correct(logits, targets: Targets) -> int:
    """How many rows' largest logit is at the target class (the first of tied maxima, as
    ``argmax``).

    NumPy's ``argmax(axis=1)`` works row by row: with few classes and thousands of rows it
    costs more than the whole loss (``make bench``). So many rows are compared column-wise,
    z_{i,y_i} = max_c z_{ic}; only tied rows (all of them at a zero initialisation) and
    non-finite ones go to ``argmax``. Under 1000 rows ``argmax`` alone is quicker.
    """
    if len(logits) < 1000:
        return int(np.count_nonzero(logits.argmax(axis=1) == targets.index))
    m = logits.max(axis=1)
    hit = targets.pick(logits) == m
    unsure = (hit & (np.count_nonzero(logits == m[:, None], axis=1) > 1)) | ~np.isfinite(m)
    if unsure.any():
        hit[unsure] = logits[unsure].argmax(axis=1) == targets.index[unsure]
    return int(np.count_nonzero(hit))


class NotFittedError(ValueError, AttributeError):
    """Raised when a model is used before ``fit`` (as scikit-learn does)."""


def _check_class_weight(value):
    """None, "balanced", a dict {label: weight} or one weight per class (checked at fit)."""
    fix = "Use None, 'balanced', a dict such as {1: 5.0}, or one non-negative weight per class."
    if value is None or (isinstance(value, str) and value == "balanced"):
        return value
    if isinstance(value, str):
        raise ValueError(f"class_weight must be None or 'balanced' as text, got {value!r}. {fix}")
    if isinstance(value, dict):
        for label, weight in value.items():
            check_number(weight, f"class_weight[{label!r}]", example=5.0, low=0, fix=fix)
        return dict(value)
    weights = as_float_array(value, "class_weight")
    if weights.ndim != 1:
        raise ValueError(f"class_weight must be None, 'balanced', a dict or a 1-D array. {fix}")
    return check_weights(weights, "class_weight", weights.shape, np.float64)


_CHECKS = {
    "lr": lambda v: check_number(
        v, "lr", example=0.5, low=0, low_open=True, fix="On standardised features 0.1–2 works."
    ),
    "epochs": lambda v: check_number(v, "epochs", example=200, low=1, integer=True),
    "batch_size": lambda v: (
        None if v is None else check_number(v, "batch_size", example=32, low=1, integer=True)
    ),
    "l2": lambda v: check_number(v, "l2", example=1e-3, low=0),
    "class_weight": _check_class_weight,
    "label_smoothing": lambda v: check_number(
        v, "label_smoothing", example=0.1, low=0, high=1, high_open=True
    ),
    "seed": lambda v: check_number(v, "seed", example=0, low=0, integer=True),
    "hidden": lambda v: check_number(v, "hidden", example=32, low=1, integer=True),
    "activation": lambda v: check_choice(v, "activation", ("tanh", "relu")),
}
# What learners coming from scikit-learn, PyTorch or Keras call these arguments.
_ALIASES = {
    "learning_rate": "lr",
    "eta": "lr",
    "step_size": "lr",
    "n_epochs": "epochs",
    "num_epochs": "epochs",
    "max_iter": "epochs",
    "weight_decay": "l2",
    "alpha": "l2",
    "random_state": "seed",
    "hidden_size": "hidden",
    "n_hidden": "hidden",
    "hidden_units": "hidden",
    "hidden_layer_sizes": "hidden",
    "smoothing": "label_smoothing",
    "class_weights": "class_weight",
}


class _CrossEntropyClassifier:
    """Training loop, bookkeeping and checks shared by the two models.

    Subclasses set ``_DEFAULTS`` (their keyword arguments and defaults, in order) and define
    ``_init_params(rng, n_features, n_classes)``, ``_forward(X)`` returning
    ``(logits, cache)``, ``_backward(cache, dlogits)`` returning gradients in the order of
    ``_params()``, and ``_penalised()``, the weight matrices the L2 term applies to. Logits
    are made in Fortran order (``np.matmul(..., order="F")``): with few classes, every
    per-class operation of the loss then runs over contiguous memory.
    """

    _DEFAULTS: ClassVar[dict] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        keyword = inspect.Parameter.KEYWORD_ONLY
        cls.__signature__ = inspect.Signature(
            [inspect.Parameter(name, keyword, default=v) for name, v in cls._DEFAULTS.items()]
        )

    def __init__(self, *args, **params):
        name = type(self).__name__
        if args:
            raise TypeError(
                f"{name} takes keyword arguments only, for example {name}(lr=0.5, epochs=200); "
                f"got {len(args)} positional argument(s)."
            )
        for key in params:
            if key not in self._DEFAULTS:
                raise TypeError(self._unknown_argument(key))
        for key, default in self._DEFAULTS.items():
            setattr(self, key, _CHECKS[key](params.get(key, default)))

    def _unknown_argument(self, key) -> str:
        name, valid = type(self).__name__, list(self._DEFAULTS)
        guess = _ALIASES.get(key) or next(iter(difflib.get_close_matches(key, valid, 1)), None)
        hint = f" Did you mean {guess}=…?" if guess in valid else ""
        if key == "C":  # scikit-learn's C is an inverse strength, not l2 itself
            hint = " scikit-learn's C is the inverse of the penalty: use l2 = 1 / (C · n_samples)."
        return (
            f"{name}() got an unexpected keyword argument {key!r}.{hint} "
            f"Its arguments are: {', '.join(valid)}."
        )

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
        """The class weights for the classes of ``classes_`` (None when unweighted)."""
        cw, classes = self.class_weight, self.classes_.tolist()
        if cw is None:
            return None
        if isinstance(cw, str):  # "balanced": n_samples / (n_classes · count of the class)
            counts = np.bincount(y_idx, minlength=len(classes))
            return len(y_idx) / (len(classes) * counts)
        if isinstance(cw, dict):
            unknown = set(cw) - set(classes)
            if unknown:
                raise ValueError(
                    f"class_weight names classes {sorted(unknown, key=str)} that are not in y; "
                    f"the classes are {classes}."
                )
            weights = np.array([float(cw.get(c, 1.0)) for c in classes])
        else:
            if cw.shape != (len(classes),):
                raise ValueError(
                    f"class_weight as an array needs one weight per class ({len(classes)}: "
                    f"{classes}), got {len(cw)}."
                )
            weights = cw
        if not (weights > 0).any():
            raise ValueError(
                f"class_weight gives every class weight 0 ({_given(weights.tolist())}): "
                "nothing would be learned. Give at least one class a positive weight."
            )
        return weights

    # ---- the objective -----------------------------------------------------------------
    def _targets(self, y_idx):
        """The cross-entropy targets of the labels ``y_idx``, prepared once."""
        return Targets.from_indices(
            y_idx, len(self.classes_), weight=self._weight, label_smoothing=self.label_smoothing
        )

    def _objective(self, X, targets, *, need_grad):
        """J = CE + (l2/2)·Σ‖W‖² on ``X`` with ``targets``; returns ``(J, grads, correct)``,
        ``grads`` in the order of ``_params()`` (None unless ``need_grad``) and ``correct``
        the number of rows whose largest logit is the target's."""
        logits, cache = self._forward(X)
        correct = _n_correct(logits, targets)
        # The logits are not needed again: the gradient overwrites them (one allocation less).
        scale = targets.mean_scale  # PyTorch's weighted mean (0 for a batch weighing 0)
        per_sample, dlogits = loss_and_grad(logits, targets, need_grad=need_grad, out=logits)
        loss = float(per_sample.sum()) * scale
        if self.l2:
            loss += 0.5 * self.l2 * sum(float(np.sum(W * W)) for W in self._penalised())
        if not need_grad:
            return loss, None, correct
        dlogits *= scale
        grads = self._backward(cache, dlogits)
        if self.l2:
            for W, g in zip(self._penalised(), grads, strict=False):
                g += self.l2 * W  # the penalised weights come first in _params()
        return loss, grads, correct

    def _step(self, X, targets):
        """One gradient step; returns the objective and the number correct *before* it."""
        loss, grads, correct = self._objective(X, targets, need_grad=True)
        for param, grad in zip(self._params(), grads, strict=True):
            param -= self.lr * grad
        return loss, correct

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
        at the end of the epoch.

        Training never fails silently. When the loss stops being finite or runs away (above
        ``DIVERGENCE_FACTOR``, 100, times its starting value), training stops; when it ends
        above where it started, training finishes. Either way a ``RuntimeWarning`` names the
        cause (a learning rate too large for these features, or features that are not
        standardised) and the fix, ``diverged_`` is True, and the model refuses to predict.
        A spike that recovers (lesson 07's large learning rates) is left alone.
        """
        X = np.asfortranarray(check_X(X))  # column by column, like the logits
        y = check_labels(y, X.shape[0])
        if callback is not None and not callable(callback):
            raise TypeError(f"callback must be a function (model, epoch, logs), got {callback!r}.")
        self.classes_ = np.unique(y)
        if len(self.classes_) < 2:
            raise ValueError(
                f"y has a single class ({self.classes_.tolist()}); a classifier needs at least two."
            )
        self.n_features_in_ = X.shape[1]
        y_idx = self._encode(y, X.shape[0])
        self._weight = self._class_weights(y_idx)
        targets = self._targets(y_idx)  # prepared once, used every epoch
        val = self._validation_targets(validation_data)
        rng = np.random.default_rng(self.seed)
        self._init_params(rng, X.shape[1], len(self.classes_))
        self.history_ = {"loss": [], "accuracy": []}
        if val is not None:
            self.history_.update(val_loss=[], val_accuracy=[])
        self.diverged_ = False
        n, start = X.shape[0], None
        for epoch in range(self.epochs):
            with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported below
                if self.batch_size is None or self.batch_size >= n:
                    loss, correct = self._step(X, targets)
                else:  # Keras-style: the epoch's loss is the mean over its batches
                    order = rng.permutation(n)
                    losses, correct = [], 0
                    for begin in range(0, n, self.batch_size):
                        batch = order[begin : begin + self.batch_size]
                        batch_loss, batch_correct = self._step(X[batch], targets.take(batch))
                        losses.append(batch_loss * len(batch))
                        correct += batch_correct
                    loss = float(np.sum(losses) / n)
                logs = {"loss": loss, "accuracy": correct / n, **self._validate(val)}
            for key, value in logs.items():
                self.history_[key].append(value)
            start = loss if start is None else start
            if callback is not None and callback(self, epoch, logs) is False:
                break
            if not np.isfinite(loss) or loss > DIVERGENCE_FACTOR * start:
                self.diverged_ = True
                break
        if self.diverged_ or loss > start:
            self.diverged_ = True
            warnings.warn(
                self._divergence_message(X, epoch, start, loss), RuntimeWarning, stacklevel=2
            )
        return self

    def _validation_targets(self, validation_data):
        if validation_data is None:
            return None
        try:
            X_val, y_val = validation_data
        except (TypeError, ValueError):
            raise TypeError("validation_data must be a pair (X_val, y_val).") from None
        X_val = self._check_X(X_val)
        return X_val, self._targets(self._encode(y_val, X_val.shape[0], "y_val"))

    def _divergence_message(self, X, epoch, start, loss) -> str:
        """Why training diverged and what to do, with 2/L computed from the data."""
        stopped = epoch + 1 < self.epochs
        head = (
            f"{type(self).__name__} diverged at epoch {epoch}: the training loss went from "
            f"{start:.3g} to {loss:.3g}"
            + ("" if np.isfinite(loss) else " (it overflowed)")
            + (", so training stopped." if stopped else ", above where it started.")
            + f" lr={self.lr:g} is too large for these features."
        )
        with np.errstate(over="ignore", invalid="ignore"):  # features beyond 1e154 overflow
            scale = float(np.max(np.abs(X.mean(axis=0)) + X.std(axis=0)))
        if not np.isfinite(scale) or scale > 10:
            head += (
                " The features are not standardised (their means and spreads reach "
                + (f"{scale:.3g}):" if np.isfinite(scale) else "beyond 1e154):")
                + " standardise them, X = (X - X.mean(axis=0)) / X.std(axis=0), and the default"
                " lr works."
            )
        limit = self._stable_lr(X)
        if limit is not None:
            head += (
                f" Gradient descent is stable for lr < 2/L = {limit:.3g} on these data (L ="
                " ½·λ_max(X̃ᵀX̃/N) + l2 bounds the loss's curvature, X̃ = [X, 1])."
            )
        else:
            head += f" Try a smaller learning rate, such as lr={self.lr / 10:g}."
        return head

    def _stable_lr(self, X):
        """2/L for a linear model (None for others): gradient descent's stability limit."""
        return None

    def _validate(self, val):
        if val is None:
            return {}
        X_val, targets = val
        loss, _, correct = self._objective(X_val, targets, need_grad=False)
        return {"val_loss": loss, "val_accuracy": correct / len(X_val)}

    def decision_function(self, X):
        """The logits, shape (n_samples, n_classes)."""
        X = self._check_X(X)
        if self.diverged_:
            raise ValueError(
                f"This {type(self).__name__} diverged during fit, so it cannot predict: train "
                "it again with a smaller lr or standardised features (see the warning fit gave)."
            )
        return self._forward(X)[0]

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
        targets = self._targets(self._encode(y, X.shape[0]))
        return self._objective(X, targets, need_grad=False)[0]

    def _hyperparameters(self) -> dict:
        """The constructor's arguments and their values (as scikit-learn's get_params)."""
        return {name: getattr(self, name) for name in self._DEFAULTS}

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

    _DEFAULTS: ClassVar[dict] = {
        "lr": 0.5,
        "epochs": 200,
        "batch_size": None,
        "l2": 0.0,
        "class_weight": None,
        "label_smoothing": 0.0,
        "seed": 0,
    }

    def _stable_lr(self, X):
        # Softmax cross-entropy's Hessian in the logits is at most ½ (Böhning 1992), so the
        # objective's gradient is L-Lipschitz with L = ½·λ_max(X̃ᵀX̃/N) + l2.
        X1 = np.column_stack([X, np.ones(len(X))])
        with np.errstate(over="ignore", invalid="ignore"):
            gram = X1.T @ X1 / len(X)
        if not np.isfinite(gram).all():  # features beyond ~1e154: L is beyond a float
            return None
        return 2 / (0.5 * np.linalg.eigvalsh(gram).max() + self.l2)

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

    _DEFAULTS: ClassVar[dict] = {
        "hidden": 32,
        "activation": "tanh",
        "lr": 1.0,
        "epochs": 2000,
        "batch_size": None,
        "l2": 0.0,
        "class_weight": None,
        "label_smoothing": 0.0,
        "seed": 0,
    }

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
