"""xentlib: the helper package of the cross-entropy course.

``import xentlib as xl`` is fast: it loads NumPy and the numerics only. The parts that need
heavier libraries load on first use: ``xl.plotting`` (matplotlib), ``xl.widgets``
(ipywidgets, anywidget) and ``xl.exercises``.
"""

import importlib

from . import datasets, language, metrics
from .binary import (
    binary_cross_entropy,
    binary_cross_entropy_grad,
    binary_focal_loss,
    binary_focal_loss_grad,
)
from .display import band
from .gradient_check import numerical_gradient, relative_error
from .information import entropy, kl_divergence, surprisal
from .losses import cross_entropy, cross_entropy_grad, cross_entropy_with_grad, focal_loss, nll_loss
from .models import NotFittedError, SoftmaxRegression, TinyMLP
from .scoring import brier_score, multiclass_hinge_with_grad, squared_error_with_grad
from .setup_check import check_setup
from .soft_targets import kl_div
from .special import log_sigmoid, log_softmax, logsumexp, sigmoid, softmax

__version__ = "0.1.0"

_LAZY_SUBMODULES = ("exercises", "plotting", "progress", "widgets")

__all__ = [
    "NotFittedError",
    "SoftmaxRegression",
    "TinyMLP",
    "__version__",
    "band",
    "binary_cross_entropy",
    "binary_cross_entropy_grad",
    "binary_focal_loss",
    "binary_focal_loss_grad",
    "brier_score",
    "check_setup",
    "cross_entropy",
    "cross_entropy_grad",
    "cross_entropy_with_grad",
    "datasets",
    "entropy",
    "focal_loss",
    "kl_div",
    "kl_divergence",
    "language",
    "log_sigmoid",
    "log_softmax",
    "metrics",
    "logsumexp",
    "multiclass_hinge_with_grad",
    "nll_loss",
    "numerical_gradient",
    "relative_error",
    "sigmoid",
    "softmax",
    "squared_error_with_grad",
    "surprisal",
    *_LAZY_SUBMODULES,
]


def __getattr__(name):
    # PEP 562: import a heavy submodule only when a lesson first touches it.
    if name in _LAZY_SUBMODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'xentlib' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY_SUBMODULES))
