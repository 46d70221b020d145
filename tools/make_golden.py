"""PyTorch's answers, computed once and committed, so the PyTorch comparisons always run.

The course says "this is exactly what ``torch.nn.functional.cross_entropy`` computes", and
lesson 12 quotes what PyTorch prints. The tests that make those sentences true
(``tests/test_oracles.py``, ``tests/test_frameworks.py``, ``tests/test_scoring.py``) compare
xentlib with the values in ``tests/golden/torch.json``, which this script writes: each case
below runs PyTorch on its inputs and stores the inputs and PyTorch's outputs. So the
comparisons run on every machine, with or without PyTorch; ``tests/test_golden.py`` checks
that the file holds exactly these cases, made by :data:`TORCH_VERSION`, and, where PyTorch is
installed, that it still computes the stored values::

    pip install torch==2.13.0          # the CPU build; only this script and that check need it
    python tools/make_golden.py        # rewrite tests/golden/torch.json

Add a comparison: write a function below that takes ``torch`` and its parameters and returns
a dict of plain values (arrays, numbers, strings), register it with :func:`case`, run this
script, and read the values in the test with :func:`values`.
"""

from __future__ import annotations

import functools
import inspect
import itertools
import json
import math
import re
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np

if __package__ in (None, ""):  # run as a script: make `tools` and `xentlib` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import xentlib as xl
from tools.course import ROOT

GOLDEN = ROOT / "tests" / "golden" / "torch.json"
TORCH_VERSION = "2.13.0"
DTYPES = {"f64": np.float64, "f32": np.float32}
CASES: dict[str, tuple[Callable, dict]] = {}  # case id → (function, its parameters)
# Values whose computation amplifies round-off, so another CPU's PyTorch (another summation
# order in its kernels) computes them to fewer digits: (case id, value) → the relative
# tolerance tests/test_golden.py re-checks them at, and why.
AMPLIFIED = {
    ("mean_vs_sum_training_run", "sum_curve"): (
        1e-3,
        "SGD with the sum at lr 0.5 overshoots (losses up to 1244): each step multiplies the "
        "last bits' differences; 2.6e-5 apart on an AMD EPYC from the stored run",
    ),
    **{
        ("adam_mean_vs_sum[n=3000]", name): (
            tol,
            "Adam's step m/√(v) + ε near the minimum, where the gradient is mostly round-off, "
            "divides round-off by round-off (with the sum ε is 3000 times smaller); 5.5e-6 "
            "(sum_W), 1.0e-9 (mean_W), 4.5e-8 (sum_curve) apart on an AMD EPYC",
        )
        for name, tol in (("sum_W", 1e-4), ("mean_W", 1e-7), ("sum_curve", 1e-6))
    },
}


def case_id(name: str, params: dict) -> str:
    """``name[key=value-…]``: the key of one case in the golden file."""
    return name + ("[" + "-".join(f"{k}={v}" for k, v in params.items()) + "]" if params else "")


def case(name: str, **grid):
    """Register a function as the cases ``name`` × every combination of ``grid``'s values."""

    def register(fn):
        for combo in itertools.product(*grid.values()):
            params = dict(zip(grid, combo, strict=True))
            CASES[case_id(name, params)] = (fn, params)
        return fn

    return register


# ---- storing values -------------------------------------------------------------------------
def encode(value):
    """A JSON-able form of ``value`` that :func:`decode` turns back into the same value."""
    if hasattr(value, "detach"):  # a torch tensor
        value = value.detach().numpy()
    if isinstance(value, (np.ndarray, np.generic)):
        array = np.asarray(value)
        return {
            "dtype": array.dtype.name,
            "shape": list(array.shape),
            "data": array.ravel().tolist(),
        }
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    raise TypeError(f"cannot store a {type(value).__name__} in the golden file: {value!r}")


def decode(value):
    if isinstance(value, dict) and set(value) == {"dtype", "shape", "data"}:
        return np.array(value["data"], dtype=value["dtype"]).reshape(value["shape"])
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


@functools.cache
def _golden() -> dict:
    return json.loads(GOLDEN.read_text(encoding="utf-8"))


def values(name: str, **params) -> dict:
    """The stored inputs and PyTorch outputs of case ``name`` with ``params``."""
    return stored(case_id(name, params))


def stored(key: str) -> dict:
    """The stored inputs and PyTorch outputs of the case ``key`` (see :func:`case_id`)."""
    cases = _golden()["cases"]
    if key not in cases:
        raise LookupError(
            f"{GOLDEN.relative_to(ROOT)} has no case {key!r}: register it in "
            "tools/make_golden.py and run `python tools/make_golden.py` (needs "
            f"torch=={TORCH_VERSION})"
        )
    return {k: decode(v) for k, v in cases[key].items()}


def inputs(name: str) -> dict:
    """Inputs several cases share (:data:`SHARED_INPUTS`), as stored: a test runs xentlib on
    exactly what PyTorch ran on, even where another NumPy would draw them a bit differently."""
    return {k: decode(v) for k, v in _golden()["inputs"][name].items()}


def compute(torch, key: str) -> dict:
    fn, params = CASES[key]
    return {k: encode(v) for k, v in fn(torch, **params).items()}


def _t(torch, a, grad=False):
    return torch.tensor(np.asarray(a), requires_grad=grad)


# ---- tests/test_oracles.py -----------------------------------------------------------------
def _oracle_inputs(dtype):
    rng = np.random.default_rng(20261123)
    z = (rng.normal(size=(7, 5)) * 3).astype(dtype)
    y = rng.integers(0, 5, size=7)
    y[1] = 2  # the ignored class occurs
    w = rng.uniform(0.2, 3.0, size=5).astype(dtype)
    t = rng.dirichlet(np.ones(5), size=7).astype(dtype)
    return z, y, w, t


@case(
    "cross_entropy_index",
    dtype=["f64", "f32"],
    reduction=["mean", "sum", "none"],
    smoothing=[0.0, 0.15],
    weighted=[False, True],
    ignore=[None, 2],
)
def _cross_entropy_index(torch, dtype, reduction, smoothing, weighted, ignore):
    z, y, w, _ = _oracle_inputs(DTYPES[dtype])
    zt = _t(torch, z, grad=True)
    loss = torch.nn.functional.cross_entropy(
        zt,
        _t(torch, y),
        weight=_t(torch, w) if weighted else None,
        ignore_index=-100 if ignore is None else ignore,
        label_smoothing=smoothing,
        reduction=reduction,
    )
    loss.sum().backward()
    return {"z": z, "y": y, "weight": w if weighted else None, "loss": loss, "grad": zt.grad}


@case(
    "cross_entropy_distribution",
    reduction=["mean", "sum", "none"],
    smoothing=[0.0, 0.2],
    weighted=[False, True],
)
def _cross_entropy_distribution(torch, reduction, smoothing, weighted):
    z, _, w, t = _oracle_inputs(np.float64)
    zt = _t(torch, z, grad=True)
    loss = torch.nn.functional.cross_entropy(
        zt,
        _t(torch, t),
        weight=_t(torch, w) if weighted else None,
        label_smoothing=smoothing,
        reduction=reduction,
    )
    loss.sum().backward()
    return {"z": z, "target": t, "weight": w if weighted else None, "loss": loss, "grad": zt.grad}


@case("cross_entropy_one_row")
def _one_row(torch):
    z = np.array([0.1, 2.0, -1.0])
    return {
        "z": z,
        "y": 1,
        "loss": torch.nn.functional.cross_entropy(_t(torch, z), torch.tensor(1)),
    }


@case("seed_post_example")
def _seed_post(torch):
    """The blog post's batch, as the post writes it (float32 probabilities as logits)."""
    probs = [[0.1, 0.4, 0.5], [0.8, 0.1, 0.1]]
    y_hat, y = torch.tensor(probs), torch.tensor([2, 0])
    F = torch.nn.functional
    return {
        "probs": np.array(probs),
        "y": np.array([2, 0]),
        "cross_entropy_loss": torch.nn.CrossEntropyLoss()(y_hat, y),
        "cross_entropy_of_log": F.cross_entropy(torch.log(y_hat), y),
        "nll_of_log": F.nll_loss(torch.log(y_hat), y),
        "nll_of_probs_module": torch.nn.NLLLoss()(y_hat, y),
        "nll_of_probs": F.nll_loss(y_hat, y),
        "nll_of_probs_minus_1": F.nll_loss(y_hat - 1, y),
    }


@case("float32_below_rounding")
def _float32_below_rounding(torch):
    z = np.array([[0.0, -20.0]], dtype=np.float32)
    return {"z": z, "loss": torch.nn.functional.cross_entropy(torch.tensor(z), torch.tensor([0]))}


@case("nll_loss", reduction=["mean", "sum", "none"], weighted=[False, True])
def _nll_loss(torch, reduction, weighted):
    z, y, w, _ = _oracle_inputs(np.float64)
    logp = xl.log_softmax(z)
    loss = torch.nn.functional.nll_loss(
        _t(torch, logp),
        _t(torch, y),
        weight=_t(torch, w) if weighted else None,
        ignore_index=3,
        reduction=reduction,
    )
    return {"log_probs": logp, "y": y, "weight": w if weighted else None, "loss": loss}


@case(
    "bce_with_logits",
    reduction=["mean", "sum", "none"],
    scale=["ordinary", "huge"],
    options=["plain", "weight", "pos_weight", "both"],
)
def _bce_with_logits(torch, reduction, scale, options):
    rng = np.random.default_rng(9)
    z = rng.normal(size=(6, 3)) * (3.0 if scale == "ordinary" else 1e4)
    y = rng.integers(0, 2, size=(6, 3)).astype(float)
    y[0, 0] = 0.3  # a soft label
    weight = rng.uniform(0.5, 2, size=(6, 3)) if options in ("weight", "both") else None
    pos_weight = rng.uniform(0.5, 4, size=3) if options in ("pos_weight", "both") else None
    zt = _t(torch, z, grad=True)
    loss = torch.nn.functional.binary_cross_entropy_with_logits(
        zt,
        _t(torch, y),
        weight=None if weight is None else _t(torch, weight),
        pos_weight=None if pos_weight is None else _t(torch, pos_weight),
        reduction=reduction,
    )
    loss.sum().backward()
    return {
        "z": z,
        "y": y,
        "weight": weight,
        "pos_weight": pos_weight,
        "loss": loss,
        "grad": zt.grad,
    }


@case("bce_on_probs")
def _bce_on_probs(torch):
    rng = np.random.default_rng(10)
    p = rng.uniform(0.001, 0.999, size=(5, 4))
    y = rng.integers(0, 2, size=(5, 4)).astype(float)
    w = rng.uniform(0.5, 2, size=(5, 4))
    loss = torch.nn.functional.binary_cross_entropy(_t(torch, p), _t(torch, y), weight=_t(torch, w))
    return {"probs": p, "y": y, "weight": w, "loss": loss}


def _torchvision_sigmoid_focal_loss(torch, inputs, targets, alpha, gamma):
    """torchvision.ops.sigmoid_focal_loss, verbatim (torchvision has no CPU build here)."""
    p = torch.sigmoid(inputs)
    ce = torch.nn.functional.binary_cross_entropy_with_logits(inputs, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce * ((1 - p_t) ** gamma)
    if alpha is not None and alpha >= 0:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
    return loss


@case("binary_focal_loss", alpha=[None, 0.25], gamma=[0.0, 2.0])
def _binary_focal(torch, alpha, gamma):
    rng = np.random.default_rng(11)
    z = rng.normal(size=(8, 2)) * 3
    y = rng.integers(0, 2, size=(8, 2)).astype(float)
    loss = _torchvision_sigmoid_focal_loss(torch, _t(torch, z), _t(torch, y), alpha, gamma)
    return {"z": z, "y": y, "loss": loss}


@case("binary_focal_loss_grad", alpha=[None, 0.25], gamma=[0.0, 0.5, 2.0])
def _binary_focal_grad(torch, alpha, gamma):
    rng = np.random.default_rng(12)
    z = np.clip(rng.normal(size=(8, 3)) * 4, -12, 12)
    y = rng.integers(0, 2, size=(8, 3)).astype(float)
    y[0, :] = [0.3, 0.7, 0.5]  # soft labels
    inputs = _t(torch, z, grad=True)
    _torchvision_sigmoid_focal_loss(torch, inputs, _t(torch, y), alpha, gamma).mean().backward()
    return {"z": z, "y": y, "grad": inputs.grad}


# ---- tests/test_scoring.py -----------------------------------------------------------------
def _scoring_inputs(n, c, seed, scale=2.0):
    rng = np.random.default_rng(seed)
    return scale * rng.normal(size=(n, c)), rng.integers(0, c, size=n)


@case("squared_error_of_softmax")
def _squared_error(torch):
    z, y = _scoring_inputs(6, 5, seed=8)
    zt = _t(torch, z, grad=True)
    q = torch.softmax(zt, dim=1)
    target = torch.nn.functional.one_hot(torch.tensor(y), 5).double()
    loss = torch.nn.functional.mse_loss(q, target, reduction="sum") / len(y)
    loss.backward()
    return {"z": z, "y": y, "loss": loss, "grad": zt.grad}


@case("multi_margin_loss_times_classes")
def _hinge(torch):
    z, y = _scoring_inputs(8, 5, seed=11)
    zt = _t(torch, z, grad=True)
    loss = torch.nn.MultiMarginLoss(p=1, margin=1.0)(zt, torch.tensor(y)) * 5
    loss.backward()
    return {"z": z, "y": y, "loss": loss, "grad": zt.grad}


# ---- tests/test_frameworks.py (lesson 12) --------------------------------------------------
def _with_bias(X, y):
    return {"X": np.hstack([X, np.ones((len(X), 1))]), "y": y}


# Lesson 12's data sets, made by xentlib when the file is written and stored once.
SHARED_INPUTS = {
    "blobs": lambda: _with_bias(*xl.datasets.make_blobs(300, n_classes=3, seed=0)),
    "big_blobs": lambda: _with_bias(*xl.datasets.make_blobs(3000, n_classes=3, spread=2.0, seed=1)),
}


@functools.cache
def _shared(name):
    data = SHARED_INPUTS[name]()
    return data["X"], data["y"]


def _blobs():
    return _shared("blobs")


def _big_blobs():
    return _shared("big_blobs")


@case("double_softmax_floor", n_classes=[2, 3, 10, 100])
def _floor(torch, n_classes):
    F = torch.nn.functional
    one_hot = torch.eye(n_classes, dtype=torch.float64)  # the most peaked probability vectors
    at_one_hot = F.cross_entropy(one_hot, torch.arange(n_classes), reduction="none")
    q = np.random.default_rng(12).dirichlet(np.ones(n_classes), size=20_000)
    losses = F.cross_entropy(_t(torch, q), torch.zeros(len(q), dtype=torch.long), reduction="none")
    return {"at_one_hot": at_one_hot, "min_over_20000_random_rows": float(losses.min())}


@case("double_softmax_training_run")
def _double_softmax_run(torch):
    """The lesson's run: gradient descent, lr 1, 300 steps, logits or softmax(logits) into
    nn.CrossEntropyLoss; the last reported loss and the model's own loss for each."""
    X, y = _blobs()
    Xt, yt = _t(torch, X), _t(torch, y)
    loss_fn = torch.nn.CrossEntropyLoss()
    results = {"inputs": "blobs"}
    for double in (False, True):
        W = torch.zeros((3, 3), dtype=torch.float64, requires_grad=True)
        for _ in range(300):
            z = Xt @ W
            loss = loss_fn(torch.softmax(z, dim=1) if double else z, yt)
            W.grad = None
            loss.backward()
            with torch.no_grad():
                W -= 1.0 * W.grad
        name = "double" if double else "plain"
        results[f"{name}_reported"] = loss.item()
        results[f"{name}_own"] = loss_fn(Xt @ W, yt).item()
    return results


@case("gradient_through_both_softmaxes")
def _both_softmaxes(torch):
    z = np.random.default_rng(3).normal(size=(6, 3)) * 2
    y = np.array([0, 1, 2, 2, 1, 0])
    zt = _t(torch, z, grad=True)
    torch.nn.functional.cross_entropy(torch.softmax(zt, dim=1), _t(torch, y)).backward()
    return {"z": z, "y": y, "grad": zt.grad}


@case("log_softmax_outputs_are_logits")
def _log_softmax_logits(torch):
    F = torch.nn.functional
    z = np.array([[2.0, -1.0, 0.5], [0.3, 0.2, -2.0]])
    zt, yt = _t(torch, z), _t(torch, np.array([0, 2]))
    return {
        "cross_entropy": F.cross_entropy(zt, yt),
        "cross_entropy_of_log_softmax": F.cross_entropy(F.log_softmax(zt, dim=1), yt),
        "nll_of_log_softmax": F.nll_loss(F.log_softmax(zt, dim=1), yt),
        "cross_entropy_of_softmax": F.cross_entropy(F.softmax(zt, dim=1), yt),
    }


def _sentence(text: str, phrase: str) -> str | None:
    """The sentence of ``text`` (whitespace collapsed) that holds ``phrase``, or None."""
    text = " ".join(text.split())
    found = re.search(r"[^.]*" + re.escape(phrase) + r"[^.]*\.?", text)
    return found.group(0).strip() if found else None


@case("torch_documentation")
def _documentation(torch):
    """What PyTorch's docstrings say each loss expects, and two defaults."""
    signature = inspect.signature(torch.nn.functional.cross_entropy)
    return {
        "CrossEntropyLoss": _sentence(
            torch.nn.CrossEntropyLoss.__doc__, "is expected to contain the unnormalized logits"
        ),
        "NLLLoss": _sentence(torch.nn.NLLLoss.__doc__, "expected to contain log-probabilities"),
        "BCELoss": _sentence(torch.nn.BCELoss.__doc__, "clamps its log function outputs"),
        "cross_entropy_ignore_index": signature.parameters["ignore_index"].default,
        "cross_entropy_reduction": signature.parameters["reduction"].default,
    }


@case("nll_on_probabilities_gradient")
def _nll_on_probs_gradient(torch):
    p = 0.001
    z = torch.tensor([math.log(p), math.log(1 - p)], dtype=torch.float64, requires_grad=True)
    (-torch.softmax(z, dim=0)[0]).backward()  # nll_loss on probabilities: -p
    on_probs = float(z.grad[0])
    z.grad = None
    torch.nn.functional.cross_entropy(z[None], torch.tensor([0])).backward()
    return {"p": p, "grad_on_probabilities": on_probs, "grad_cross_entropy": float(z.grad[0])}


@case("ignore_index_padded_batch")
def _ignore_index(torch):
    rng = np.random.default_rng(5)
    tokens = np.array([3, 1, 4, 0, 2, 1, -100, -100])
    logits = rng.normal(size=(8, 5))
    loss = torch.nn.functional.cross_entropy(_t(torch, logits), _t(torch, tokens))
    return {"tokens": tokens, "logits": logits, "loss": loss}


@case("cross_entropy_sequences", reduction=["mean", "sum", "none"])
def _sequences(torch, reduction):
    """A batch of 3 sequences of 4 characters from a vocabulary of 5, PyTorch's (N, C, T)
    layout, padded with −100; with class weights and label smoothing too, and soft targets."""
    rng = np.random.default_rng(13)
    logits = rng.normal(size=(3, 5, 4))
    tokens = np.array([[0, 4, 2, 1], [3, 3, -100, -100], [1, -100, -100, -100]])
    weight = np.array([1.0, 2.0, 0.5, 1.0, 3.0])
    soft = xl.softmax(rng.normal(size=(3, 5, 4)), axis=1)
    F, z = torch.nn.functional, _t(torch, logits)
    return {
        "logits": logits,
        "tokens": tokens,
        "weight": weight,
        "soft": soft,
        "plain": F.cross_entropy(z, _t(torch, tokens), reduction=reduction),
        "weighted_smoothed": F.cross_entropy(
            z,
            _t(torch, tokens),
            weight=_t(torch, weight),
            label_smoothing=0.1,
            reduction=reduction,
        ),
        "soft_targets": F.cross_entropy(z, _t(torch, soft), reduction=reduction),
    }


@case("kl_div", reduction=["mean", "batchmean", "sum", "none"])
def _kl_div(torch, reduction):
    """Lesson 14: a student's log-probabilities against a teacher's softened probabilities
    (with a zero entry), as F.kl_div takes them; and with log_target=True."""
    rng = np.random.default_rng(14)
    log_q = xl.log_softmax(rng.normal(size=(4, 5)))
    p = xl.softmax(rng.normal(size=(4, 5)) / 2.0)
    p[1] = [0.0, 0.5, 0.25, 0.25, 0.0]
    F = torch.nn.functional
    with warnings.catch_warnings():  # 'mean' warns that it is not the KL divergence: the point
        warnings.filterwarnings("ignore", "reduction: 'mean' divides", UserWarning)
        return {
            "log_q": log_q,
            "p": p,
            "loss": F.kl_div(_t(torch, log_q), _t(torch, p), reduction=reduction),
            "log_target": F.kl_div(
                _t(torch, log_q),
                _t(torch, np.log(p + (p == 0))),
                reduction=reduction,
                log_target=True,
            ),
        }


@case("mean_vs_sum_gradient", n=[10, 100, 1000, 3000])
def _mean_vs_sum(torch, n):
    X, y = _big_blobs()
    grads = {"inputs": "big_blobs"}
    for reduction in ("mean", "sum"):
        W = torch.zeros((3, 3), dtype=torch.float64, requires_grad=True)
        torch.nn.functional.cross_entropy(
            _t(torch, X[:n]) @ W, _t(torch, y[:n]), reduction=reduction
        ).backward()
        grads[reduction] = W.grad
    return grads


@case("mean_vs_sum_training_run")
def _mean_vs_sum_run(torch):
    """50 steps at lr 0.5 with the mean and with the sum; the reported (mean) loss curve."""
    X, y = _big_blobs()
    Xt, yt = _t(torch, X), _t(torch, y)
    out = {"inputs": "big_blobs"}
    for reduction in ("mean", "sum"):
        W = torch.zeros((3, 3), dtype=torch.float64, requires_grad=True)
        curve = []
        for _ in range(50):
            curve.append(torch.nn.functional.cross_entropy(Xt @ W, yt).item())
            loss = torch.nn.functional.cross_entropy(Xt @ W, yt, reduction=reduction)
            W.grad = None
            loss.backward()
            with torch.no_grad():
                W -= 0.5 * W.grad
        out[f"{reduction}_curve"] = np.array(curve)
    return out


@case("adam_mean_vs_sum", n=[10, 3000])
def _adam_mean_vs_sum(torch, n):
    """Lesson 12 §6: torch.optim.Adam (its defaults) at lr 0.05 for 50 steps with the mean and
    with the sum; the reported (mean) loss curve and the last weights."""
    X, y = _big_blobs()
    Xt, yt = _t(torch, X[:n]), _t(torch, y[:n])
    out = {"inputs": "big_blobs"}
    for reduction in ("mean", "sum"):
        W = torch.zeros((3, 3), dtype=torch.float64, requires_grad=True)
        optimizer = torch.optim.Adam([W], lr=0.05)
        curve = []
        for _ in range(50):
            curve.append(torch.nn.functional.cross_entropy(Xt @ W, yt).item())
            optimizer.zero_grad()
            torch.nn.functional.cross_entropy(Xt @ W, yt, reduction=reduction).backward()
            optimizer.step()
        out[f"{reduction}_curve"] = np.array(curve)
        out[f"{reduction}_W"] = W
    return out


WEIGHTED_PROBS = np.array([[0.2, 0.3, 0.5], [0.5, 0.2, 0.3]])  # pytorch#25571's example
WEIGHTED_LABELS = np.array([2, 1])
CLASS_WEIGHT = np.array([2.0, 4.0, 6.0])


@case("weighted_mean")
def _weighted_mean(torch):
    F = torch.nn.functional
    logp, y = _t(torch, np.log(WEIGHTED_PROBS)), _t(torch, WEIGHTED_LABELS)
    w = _t(torch, CLASS_WEIGHT)
    return {
        "mean": F.cross_entropy(logp, y, weight=w),
        "sum": F.cross_entropy(logp, y, weight=w, reduction="sum"),
        "nll_mean": F.nll_loss(logp, y, weight=w),
        "equal_weights": F.cross_entropy(logp, y, weight=_t(torch, np.full(3, 3.0))),
        "unweighted": F.cross_entropy(logp, y),
    }


@case("weighted_mean_issue_numbers")
def _issue_numbers(torch):
    """pytorch#25571 passed the probabilities as logits."""
    F = torch.nn.functional
    logits, y = _t(torch, WEIGHTED_PROBS), _t(torch, WEIGHTED_LABELS)
    w = _t(torch, CLASS_WEIGHT)
    return {
        "per_sample": F.cross_entropy(logits, y, weight=w, reduction="none"),
        "mean": F.cross_entropy(logits, y, weight=w),
    }


@case("one_class_batch")
def _one_class_batch(torch):
    F = torch.nn.functional
    z = np.random.default_rng(7).normal(size=(4, 3))
    mixed, one_class, w = np.array([0, 1, 2, 0]), np.array([1, 1, 1, 1]), np.array([1.0, 19, 1])
    zt, wt = _t(torch, z), _t(torch, w)
    return {
        "z": z,
        "mixed_weighted": F.cross_entropy(zt, _t(torch, mixed), weight=wt),
        "one_class_weighted": F.cross_entropy(zt, _t(torch, one_class), weight=wt),
        "one_class_plain": F.cross_entropy(zt, _t(torch, one_class)),
    }


@case("sigmoid_rounded_to_one")
def _sigmoid_rounded(torch):
    q = torch.sigmoid(torch.tensor(40.0))
    return {
        "sigmoid_40_float32": q,
        "bce_at_y_0": torch.nn.functional.binary_cross_entropy(q, torch.tensor(0.0)),
    }


@case("translation_table")
def _translation_table(torch):
    """Lesson 12's table: each xentlib call's PyTorch spelling, on the lesson's inputs."""
    F = torch.nn.functional
    rng = np.random.default_rng(0)
    z = rng.normal(size=(4, 3))
    y = np.array([0, 2, 1, 2])
    z_bin, y_bin = rng.normal(size=4), np.array([1.0, 0.0, 0.0, 1.0])
    Z = rng.normal(size=(4, 3))
    Y = np.array([[1.0, 0.0, 1.0], [0.0, 0.0, 0.0], [1.0, 1.0, 0.0], [0.0, 1.0, 0.0]])
    w = np.array([1.0, 2.0, 0.5])
    y_pad = np.array([0, 2, -100, 2])
    zt, yt = _t(torch, z), _t(torch, y)
    p, logp = xl.softmax(z), xl.log_softmax(z)
    return {
        "inputs": [z, y, z_bin, y_bin, Z, Y, w, y_pad],
        "cross_entropy": F.cross_entropy(zt, yt),
        "nll_of_log_probs": F.nll_loss(torch.log(_t(torch, p)), yt),
        "nll_of_log_softmax": F.nll_loss(_t(torch, logp), yt),
        "cross_entropy_of_log_softmax": F.cross_entropy(_t(torch, logp), yt),
        "bce_with_logits": F.binary_cross_entropy_with_logits(_t(torch, z_bin), _t(torch, y_bin)),
        "bce_of_sigmoid": F.binary_cross_entropy(torch.sigmoid(_t(torch, z_bin)), _t(torch, y_bin)),
        "multi_label_bce_with_logits": F.binary_cross_entropy_with_logits(
            _t(torch, Z), _t(torch, Y)
        ),
        "weighted": F.cross_entropy(zt, yt, weight=_t(torch, w)),
        "label_smoothing": F.cross_entropy(zt, yt, label_smoothing=0.1),
        "ignore_index": F.cross_entropy(zt, _t(torch, y_pad)),
    }


# ---- writing the file -----------------------------------------------------------------------
def main() -> int:
    try:
        import torch
    except ImportError:
        print(
            f"make_golden: PyTorch is not installed; pip install torch=={TORCH_VERSION}",
            file=sys.stderr,
        )
        return 2
    if torch.__version__.split("+")[0] != TORCH_VERSION:
        print(
            f"make_golden: torch {torch.__version__} is installed, the golden values are "
            f"PyTorch {TORCH_VERSION}'s: pip install torch=={TORCH_VERSION}",
            file=sys.stderr,
        )
        return 2
    torch.set_num_threads(1)
    # One line per case, so that a change shows as the cases it changed.
    cases = ",\n".join(
        f"  {json.dumps(key)}: {json.dumps(compute(torch, key), sort_keys=True)}" for key in CASES
    )
    shared = ",\n".join(
        f"  {json.dumps(name)}: {json.dumps({k: encode(v) for k, v in make().items()})}"
        for name, make in SHARED_INPUTS.items()
    )
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    GOLDEN.write_text(
        f'{{\n "made_by": "tools/make_golden.py",\n "torch": "{TORCH_VERSION}",\n'
        f' "inputs": {{\n{shared}\n }},\n "cases": {{\n{cases}\n }}\n}}\n',
        encoding="utf-8",
    )
    print(f"{GOLDEN.relative_to(ROOT)}: {len(CASES)} cases from torch {torch.__version__}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
