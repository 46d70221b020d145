"""The second learner's wrong answers (issue 22, round 2): all 647, one entry per attempt.

A learner who had never seen the course took every lesson in a fresh clone and logged
every attempt with the exact answer (/tmp/exp/learner_log.md, summarised in issue 22's round
2). Each entry is ``(exercise, answer, what the learner did)`` in the format of
``tests/wrong_answers.py``: a number or letter as they typed it, a function as source code
(run by ``tests/test_wrong_answers.py`` in a namespace like the notebook's). The note is the
learner's own description from the log.

Only 472 of these (73 %) got feedback naming the mistake when the learner took the course,
and 7 were accepted. They were transcribed before the general detectors of
``xentlib/exercises/_detectors.py`` were written; ``tests/test_wrong_answers.py`` measures
the share named on them separately from the earlier corpus.

``SECOND_LEARNER_RIGHT`` holds right answers of theirs that must stay accepted: the two right
values the checker used to reject (a number typed as text, a row typed as a (1, 3) nested
list) and the right variants of the function exercises whose test inputs changed.
"""


def _fn(signature: str, *lines: str) -> str:
    """The source of a learner's function: ``def signature:`` and its body lines."""
    return f"def {signature}:\n" + "".join(f"    {line}\n" for line in lines)


# ---- the notebook's debug-this functions, with one line to change ----------------------
_TRAIN_SOFTMAX = (
    "N, C = len(y), int(y.max()) + 1",
    "W, b = np.zeros((X.shape[1], C)), np.zeros(C)",
    "Y = np.eye(C)[y]",
    "losses = []",
    "for _ in range(epochs):",
    "    P = xl.softmax(X @ W + b, axis=1)",
    "    losses.append(-np.mean(np.log(P[np.arange(N), y])))",
    "    dZ = (P - Y) / N",
    "    W -= lr * X.T @ dZ",
    "    b -= lr * dZ.sum(axis=0)",
    "return np.array(losses)",
)


_TRAIN_NET = (
    "D = X.shape[1]",
    "C = int(y.max()) + 1",
    "rng = np.random.default_rng(0)",
    "W1, b1 = rng.normal(scale=np.sqrt(1 / D), size=(D, 8)), np.zeros(8)",
    "W2, b2 = np.zeros((8, C)), np.zeros(C)",
    "losses = []",
    "for _ in range(epochs):",
    "    h = np.tanh(X @ W1 + b1)",
    "    Z = h @ W2 + b2",
    "    loss, delta = xl.cross_entropy_with_grad(y, logits=Z)",
    "    losses.append(float(loss))",
    "    dA = (delta @ W2.T) * (1 - h**2)",
    "    W2 -= lr * h.T @ delta",
    "    b2 -= lr * delta.sum(axis=0)",
    "    W1 -= lr * X.T @ dA",
    "    b1 -= lr * dA.sum(axis=0)",
    "return np.array(losses)",
)


def _lines(template, changed):
    """``template`` with each line whose stripped text is a key of ``changed`` replaced by
    the value (indented like the line it replaces; a value may hold several lines)."""
    out = []
    for line in template:
        key = line.strip()
        if key in changed:
            indent = line[: len(line) - len(line.lstrip())]
            out += [indent + new for new in changed[key].split("\n")]
        else:
            out.append(line)
    return out


def train_softmax(changed: dict) -> str:
    return _fn("train_softmax(X, y, lr, epochs)", *_lines(_TRAIN_SOFTMAX, changed))


def train_net(changed: dict) -> str:
    return _fn("train_net(X, y, lr, epochs)", *_lines(_TRAIN_NET, changed))


_SOFTMAX_AXIS0 = {"P = xl.softmax(X @ W + b, axis=1)": "P = xl.softmax(X @ W + b, axis=0)"}
_DOUBLE_SOFTMAX_NET = {
    "Z = h @ W2 + b2": "P = xl.softmax(h @ W2 + b2, axis=1)",
    "loss, delta = xl.cross_entropy_with_grad(y, logits=Z)": (
        "loss, delta = xl.cross_entropy_with_grad(y, logits=P)"
    ),
}

# ---- lesson 11 q2: the notebook's threshold_report and the learner's variants -----------
_BA = "xl.metrics.balanced_accuracy"
_GRID = "thresholds = np.round(np.arange(0.01, 1.0, 0.01), 2)"


def _threshold(choose_on: str, report_on: str, rule=">=", pick="np.argmax(scores)", ret="t, s"):
    qc, yc = choose_on
    qr, yr = report_on
    return _fn(
        "threshold_report(q_val, y_val, q_test, y_test)",
        _GRID,
        f"scores = [{_BA}({yc}, ({qc} {rule} t).astype(int)) for t in thresholds]",
        f"t = thresholds[{pick}]",
        f"s = {_BA}({yr}, ({qr} {rule} t).astype(int))",
        f"return {ret}",
    )


_VAL, _TEST = ("q_val", "y_val"), ("q_test", "y_test")

SECOND_LEARNER = [
    # ---- lesson 00 ------------------------------------------------------------------------
    ("00 q1", 2.0, "log2, bits"),
    ("00 q1", 0.602, "log10"),
    ("00 q1", -1.386, "sign slip"),
    ("00 q1", 0.288, "=-ln 0.75, the other probability"),
    ("00 q1", 1.4, "2 sig digits"),
    ("00 q1", 138.6, "percent"),
    ("00 q1", 0.25, "the probability itself"),
    ("00 q1", 4.0, "1/p, forgot log"),
    ("00 q2", _fn("surprise(p)", "return np.log(p)"), "sign slip"),
    ("00 q2", _fn("surprise(p)", "return -np.log2(p)"), "bits"),
    ("00 q2", _fn("surprise(p)", "return -np.log10(p)"), "log10"),
    ("00 q2", _fn("surprise(p)", "return -np.mean(np.log(p))"), "returns mean, wrong shape"),
    ("00 q2", _fn("surprise(p)", "return -math.log(p)"), "scalar only"),
    ("00 q2", _fn("surprise(p)", "return 1 / p"), "forgot log"),
    ("00 q2", _fn("surprise(p)", "return -np.log(1 - p)"), "other outcome"),
    ("00 q2", _fn("surprise(p)", "-np.log(p)"), "no return"),
    ("00 q2", _fn("surprise(p)", "return -np.log(p + 1e-3)"), "big epsilon"),
    ("00 q2", _fn("surprise(p)", "return -np.sum(np.log(p))"), "sum"),
    ("00 q3", "a", "bits"),
    ("00 q3", "c", "sum"),
    ("00 q3", "d", "not distributions"),
    ("00 q3", "b or c", "hedge"),
    ("00 q3", "b, c", "hedge with a comma"),
    ("00 q3", "e", "nonexistent option"),
    ("00 q3", "bc", "hedge written together"),
    ("00 q4", _fn("average_loss(q_true)", "return -np.log(np.sum(q_true))"), "log of the sum"),
    ("00 q4", _fn("average_loss(q_true)", "return -np.sum(np.log(q_true))"), "forgot mean"),
    ("00 q4", _fn("average_loss(q_true)", "return np.mean(np.log(q_true))"), "sign"),
    ("00 q4", _fn("average_loss(q_true)", "return -np.mean(np.log2(q_true))"), "bits"),
    ("00 q4", _fn("average_loss(q_true)", "return -np.log(q_true)"), "no reduction"),
    (
        "00 q4",
        _fn("average_loss(q_true)", "return -np.sum(np.log(q_true)) / (len(q_true) - 1)"),
        "off-by-one: divided by N - 1",
    ),
    (
        "00 q4",
        _fn("average_loss(q_true)", "return -np.mean(np.log(1 - q_true))"),
        "other outcome",
    ),
    ("00 q4", _fn("average_loss(q_true)", "return -np.log(np.median(q_true))"), "median"),
    # ---- lesson 01 ------------------------------------------------------------------------
    ("01 q1", 2.08, "nats"),
    ("01 q1", 0.903, "log10"),
    ("01 q1", -3, "sign"),
    ("01 q1", 8, "1/p, no log"),
    ("01 q1", 0.193, "-log2 7/8, other outcome"),
    ("01 q1", 0.125, "p"),
    ("01 q1", 0.375, "p*log2(1/p): weighted term"),
    ("01 q2", 2.585, "bits"),
    ("01 q2", 0.778, "log10"),
    ("01 q2", 0.299, "one term 1/6 ln6"),
    ("01 q2", -1.792, "sign"),
    ("01 q2", 10.75, "6 ln 6, forgot weights"),
    ("01 q2", 1.8, "2 s.f."),
    ("01 q2", 1.78, "rounded too early: ln6 ≈ 1.78"),
    ("01 q2", 0.167, "1/6"),
    ("01 q2", 0.693, "coin entropy in nats"),
    ("01 q3", _fn("entropy(p)", "return -np.sum(p * np.log(p))"), "nan at 0"),
    (
        "01 q3",
        _fn("entropy(p)", "p = p[p > 0]", "return -np.sum(p * np.log2(p))"),
        "bits, masked",
    ),
    ("01 q3", _fn("entropy(p)", "p = p[p > 0]", "return np.sum(p * np.log(p))"), "sign, masked"),
    (
        "01 q3",
        _fn("entropy(p)", "p = p[p > 0]", "return -np.mean(p * np.log(p))"),
        "mean, masked: extra 1/N",
    ),
    (
        "01 q3",
        _fn("entropy(p)", "p = p[p > 0]", "return -np.sum(np.log(p))"),
        "forgot weights, masked",
    ),
    (
        "01 q3",
        _fn("entropy(p)", "return np.where(p > 0, -p * np.log(np.where(p > 0, p, 1.0)), 0.0)"),
        "no sum: -p log p masked with where",
    ),
    (
        "01 q3",
        _fn("entropy(p)", "return -np.sum(p[p > 0] * np.log(p))"),
        "mask mismatch: p[p > 0] * np.log(p)",
    ),
    ("01 q3", _fn("entropy(p)", "return -np.sum(p * np.log(p + 1e-3))"), "large eps"),
    (
        "01 q3",
        _fn("entropy(p)", "p = p[p > 0]", "return -np.sum(p * np.log10(p))"),
        "log10, masked",
    ),
    (
        "01 q3",
        _fn("entropy(p)", "p = p[p < 1]", "return -np.sum((1 - p) * np.log(1 - p))"),
        "masked weird: (1 - p) log(1 - p)",
    ),
    ("01 q4", "a", "biased coin"),
    ("01 q4", "c", "certain coin"),
    ("01 q4", "a or b", "hedge"),
    ("01 q4", 0.5, "the value, not a letter"),
    ("01 q4", "d", "no such option"),
    ("01 q5", 0.469, "the entropy"),
    ("01 q5", 1.469, "H + 1"),
    ("01 q5", 0.645, "blocks of 2"),
    ("01 q5", 2, "two codewords"),
    ("01 q5", 0.5, "half a bit"),
    ("01 q5", 0.325, "H in nats"),
    ("01 q5", 0.9, "the probability of heads"),
    ("01 q5", 1.1, "0.9*1 + 0.1*2: codeword lengths 1 and 2"),
    # ---- lesson 02 ------------------------------------------------------------------------
    ("02 q1", 1.146, "bits"),
    ("02 q1", 0.865, "swapped H(q,p)"),
    ("02 q1", -0.795, "sign"),
    ("02 q1", 0.611, "H(p), entropy only"),
    ("02 q1", 0.184, "KL instead"),
    ("02 q1", 0.641, "one term, 0.7 ln 1/0.4"),
    ("02 q1", 0.397, "mean over 2 classes"),
    ("02 q1", 0.345, "log10"),
    ("02 q1", 0.797, "ln rounded early to 2 decimals"),
    ("02 q1", 1.427, "-Σ log q, unweighted"),
    ("02 q2", 0.192, "reverse KL(q‖p)"),
    ("02 q2", 0.795, "H(p,q)"),
    ("02 q2", 0.611, "H(p)"),
    ("02 q2", 0.265, "bits"),
    ("02 q2", -0.184, "sign: H(p) - H(p,q)"),
    ("02 q2", 0.392, "one term 0.7 ln(0.7/0.4)"),
    ("02 q2", 0.0798, "log10"),
    ("02 q2", 1.406, "H(p,q) + H(p)"),
    ("02 q2", 0.18, "2 s.f."),
    ("02 q3", 0.916, "class 2 read 1-indexed: -ln 0.4"),
    ("02 q3", 1.0, "bits"),
    ("02 q3", 3.91, "-Σ log ŷ over all classes"),
    ("02 q3", 2.30, "-ln 0.1, class 0"),
    ("02 q3", 0.943, "entropy of ŷ"),
    ("02 q3", 0.4581, "batch mean"),
    ("02 q3", 0.8178, "the PyTorch number"),
    ("02 q3", 0.301, "log10"),
    ("02 q3", -0.693, "sign"),
    ("02 q3", 0.231, "mean over 3 classes"),
    ("02 q3", 0.5, "the probability"),
    ("02 q4", _fn("cross_entropy(p, q)", "return -np.sum(q * np.log(p))"), "swapped"),
    ("02 q4", _fn("cross_entropy(p, q)", "return np.sum(p * np.log(q))"), "sign"),
    ("02 q4", _fn("cross_entropy(p, q)", "return -np.mean(p * np.log(q))"), "1/C"),
    ("02 q4", _fn("cross_entropy(p, q)", "return -np.sum(p * np.log2(q))"), "bits"),
    ("02 q4", _fn("cross_entropy(p, q)", "return -np.sum(np.log(q))"), "unweighted"),
    (
        "02 q4",
        _fn("cross_entropy(p, q)", "m = p > 0", "return np.sum(p[m] * np.log(p[m] / q[m]))"),
        "KL instead",
    ),
    (
        "02 q4",
        _fn("cross_entropy(p, q)", "m = p > 0", "return -np.sum(p[m] * np.log(p[m]))"),
        "entropy",
    ),
    ("02 q4", _fn("cross_entropy(p, q)", "return -p * np.log(q)"), "no sum"),
    (
        "02 q4",
        _fn("cross_entropy(p, q)", "return -np.log(q[np.argmax(p)])"),
        "treats p as one-hot",
    ),
    (
        "02 q4",
        _fn("cross_entropy(p, q)", "return -np.sum(p * math.log(q))"),
        "math.log: scalar",
    ),
    (
        "02 q4",
        _fn("cross_entropy(p, q)", "return -np.sum(p * np.log(xl.softmax(q)))"),
        "via softmax(q): double softmax",
    ),
    ("02 q5", "a", "mode seeking"),
    ("02 q5", "c", "exactly p"),
    ("02 q5", "a or b", "hedge"),
    ("02 q5", "a/b", "hedge with a slash"),
    ("02 q5", "both", "both"),
    # ---- lesson 03 ------------------------------------------------------------------------
    ("03 q1", 7, "count"),
    ("03 q1", 70, "percent"),
    ("03 q1", 0.3, "tails share"),
    ("03 q1", 0.667, "Laplace (7+1)/(10+2)"),
    ("03 q1", 2.33, "odds h/t"),
    ("03 q1", 0.5, "fair coin"),
    # ("03 q1", "7/10"): the fraction is read since round 15, and right: in SECOND_LEARNER_RIGHT
    ("03 q2", 2.63, "sum, forgot mean"),
    ("03 q2", 1.265, "bits"),
    ("03 q2", 0.381, "log10"),
    ("03 q2", 0.693, "-ln of mean prob"),
    ("03 q2", -0.877, "sign"),
    ("03 q2", 1.316, "sum divided by N - 1"),
    ("03 q2", 1.61, "one term"),
    ("03 q2", 1.012, "-log(1-p), other outcome"),
    ("03 q2", 0.88, "rounded logs early: (0.11+0.92+1.61)/3"),
    ("03 q2", 0.0720, "product of p"),
    ("03 q2", 0.5, "mean prob"),
    ("03 q3", 1021.7, "sign: the NLL"),
    ("03 q3", -0.511, "mean, per label"),
    ("03 q3", -1474.0, "bits"),
    ("03 q3", -443.7, "log10"),
    ("03 q3", float("-inf"), "underflow"),
    ("03 q3", 0.0, "the product"),
    ("03 q3", -1022, "4 s.f."),
    ("03 q3", -1021.6, "truncated"),
    ("03 q3", -1020, "rounded ln 0.6 to -0.51"),
    ("03 q3", -1200, "0.6 * 2000, no log"),
    ("03 q4", _fn("mean_nll(probs, y)", "return -np.mean(np.log(probs[:, y]))"), "whole columns"),
    (
        "03 q4",
        _fn("mean_nll(probs, y)", "return -np.log(np.prod(probs[np.arange(len(y)), y])) / len(y)"),
        "-log(prod)/N: underflows at N = 2000",
    ),
    (
        "03 q4",
        _fn("mean_nll(probs, y)", "return -np.sum(np.log(probs[np.arange(len(y)), y]))"),
        "sum",
    ),
    (
        "03 q4",
        _fn("mean_nll(probs, y)", "return np.mean(np.log(probs[np.arange(len(y)), y]))"),
        "sign",
    ),
    ("03 q4", _fn("mean_nll(probs, y)", "return -np.mean(np.log(probs))"), "mean of all log probs"),
    (
        "03 q4",
        _fn("mean_nll(probs, y)", "return -np.mean(np.log(probs.max(axis=1)))"),
        "max prob instead of true class",
    ),
    (
        "03 q4",
        _fn("mean_nll(probs, y)", "return -np.mean(np.log(probs[np.arange(len(y)), y - 1]))"),
        "off-by-one y-1",
    ),
    (
        "03 q4",
        _fn("mean_nll(probs, y)", "return -np.mean(np.log2(probs[np.arange(len(y)), y]))"),
        "log2",
    ),
    (
        "03 q4",
        _fn(
            "mean_nll(probs, y)",
            "Y = np.eye(probs.shape[1])[y]",
            "return -np.mean(np.sum(Y * np.log(probs), axis=0))",
        ),
        "one-hot sum along axis 0, then mean (wrong axis)",
    ),
    (
        "03 q4",
        _fn("mean_nll(probs, y)", "return -np.log(probs[np.arange(len(y)), y])"),
        "no reduction (per-example array)",
    ),
    (
        "03 q4",
        _fn("mean_nll(probs, y)", "return -np.log(np.mean(probs[np.arange(len(y)), y]))"),
        "-log(mean q_y)",
    ),
    (
        "03 q4",
        _fn("mean_nll(probs, y)", "return -np.mean(np.log(probs[y, np.arange(len(y))]))"),
        "P[y, arange] transposed indexing",
    ),
    (
        "03 q4",
        _fn(
            "mean_nll(probs, y)",
            "return -np.sum(np.log(probs[np.arange(len(y)), y])) / probs.shape[1]",
        ),
        "divide by C instead of N",
    ),
    (
        "03 q4",
        _fn("mean_nll(probs, y)", "return xl.cross_entropy(y, logits=probs)"),
        "double softmax: treats probs as logits",
    ),
    ("03 q5", "b", "a zero probability"),
    ("03 q5", "c", "rounding"),
    ("03 q5", "d", "really 0"),
    ("03 q5", "a or d", "hedge"),
    ("03 q5", "a and d", "hedge with and"),
    (
        "03 q6",
        _fn(
            "fit_coin(flips)",
            "grid = np.linspace(0.01, 0.99, 99)",
            "heads = np.mean(flips)",
            "nll = -heads * np.log(grid) + (1 - heads) * np.log(1 - grid)",
            "return grid[np.argmin(nll)]",
        ),
        "partial sign fix: -h log θ + (1-h) log(1-θ)",
    ),
    (
        "03 q6",
        _fn(
            "fit_coin(flips)",
            "grid = np.linspace(0.01, 0.99, 99)",
            "heads = np.mean(flips)",
            "nll = -(heads * np.log(1 - grid) + (1 - heads) * np.log(grid))",
            "return grid[np.argmin(nll)]",
        ),
        "heads and tails swapped in the fix",
    ),
    (
        "03 q6",
        _fn(
            "fit_coin(flips)",
            "grid = np.linspace(0.01, 0.99, 99)",
            "heads = np.sum(flips)",
            "nll = -(heads * np.log(grid) + (1 - heads) * np.log(1 - grid))",
            "return grid[np.argmin(nll)]",
        ),
        "np.sum for heads: a count, not a share",
    ),
    (
        "03 q6",
        _fn(
            "fit_coin(flips)",
            "grid = np.linspace(0.01, 0.99, 99)",
            "heads = np.mean(flips)",
            "nll = -(heads * np.log(grid) + (1 - heads) * np.log(1 - grid))",
            "return np.argmin(nll)",
        ),
        "returns the index, not θ",
    ),
    (
        "03 q6",
        _fn(
            "fit_coin(flips)",
            "grid = np.linspace(0.01, 0.99, 99)",
            "heads = np.mean(flips)",
            "nll = -(heads * np.log(grid) + (1 - heads) * np.log(grid))",
            "return grid[np.argmin(nll)]",
        ),
        "typo: log(grid) twice",
    ),
    (
        "03 q6",
        _fn(
            "fit_coin(flips)",
            "grid = np.linspace(0.01, 0.99, 99)",
            "heads = np.mean(flips)",
            "nll = -(heads * np.log(grid) + (1 - heads) * np.log(1 - grid))",
            "return grid[np.argmax(nll)]",
        ),
        "negated AND switched to argmax (double fix)",
    ),
    (
        "03 q6",
        _fn(
            "fit_coin(flips)",
            "grid = np.linspace(0.01, 0.99, 99)",
            "heads = np.mean(flips)",
            "nll = -(heads * np.log(grid) + (1 - heads) * np.log(1 - grid))",
            "return grid[np.argmin(nll) + 1]",
        ),
        "off-by-one index",
    ),
    (
        "03 q6",
        _fn(
            "fit_coin(flips)",
            "grid = np.linspace(0.01, 0.99, 99)",
            "heads = np.mean(flips)",
            "nll = -(heads * np.log(grid) + (1 - heads) * np.log(1 - grid))",
            "return np.min(nll)",
        ),
        "returns the min NLL value",
    ),
    ("03 q7", 2.30, "2^1.2, bits"),
    ("03 q7", 15.8, "10^1.2"),
    ("03 q7", 0.301, "e^-1.2"),
    ("03 q7", 1.2, "the NLL"),
    ("03 q7", 0.182, "ln 1.2"),
    ("03 q7", 3.3, "2 s.f."),
    ("03 q7", 0.833, "1/1.2"),
    ("03 q7", 3.26, "e ≈ 2.7 rounded early: 2.7^1.2"),
    # ---- lesson 04 ------------------------------------------------------------------------
    ("04 q1", 0.245, "class 1"),
    ("04 q1", 0.0900, "class 2"),
    ("04 q1", 0.667, "z/sum z, no exp"),
    ("04 q1", -0.408, "log-softmax"),
    ("04 q1", 0.571, "base 2: 4/7"),
    ("04 q1", 66.5, "percent"),
    ("04 q1", 7.39, "e^2, not normalised"),
    ("04 q1", 0.881, "sigmoid(2)"),
    ("04 q1", 0.7, "rounded"),
    ("04 q1", 0.408, "the loss -log q0"),
    ("04 q1", 0.731, "sigmoid(2-1): only two classes"),
    (
        "04 q2",
        _fn("softmax(z)", "e = np.exp(z)", "return e / e.sum(axis=-1, keepdims=True)"),
        "naive: overflow",
    ),
    (
        "04 q2",
        _fn("softmax(z)", "e = np.exp(z - z.max())", "return e / e.sum(axis=-1, keepdims=True)"),
        "global max shift",
    ),
    (
        "04 q2",
        _fn(
            "softmax(z)",
            "e = np.exp(z - z.min(axis=-1, keepdims=True))",
            "return e / e.sum(axis=-1, keepdims=True)",
        ),
        "row minimum shift",
    ),
    (
        "04 q2",
        _fn(
            "softmax(z)",
            "e = np.exp(z - z.max(axis=0, keepdims=True))",
            "return e / e.sum(axis=0, keepdims=True)",
        ),
        "axis=0 (columns)",
    ),
    (
        "04 q2",
        _fn(
            "softmax(z)",
            "e = np.exp(z - z.max(axis=-1, keepdims=True))",
            "return e / e.sum(axis=-1)",
        ),
        "no keepdims in the sum",
    ),
    (
        "04 q2",
        _fn(
            "softmax(z)",
            "m = z.max(axis=-1, keepdims=True)",
            "return z - m - np.log(np.sum(np.exp(z - m), axis=-1, keepdims=True))",
        ),
        "returns log-softmax",
    ),
    ("04 q2", _fn("softmax(z)", "return xl.softmax(xl.softmax(z))"), "double softmax"),
    (
        "04 q2",
        _fn("softmax(z)", "e = np.exp(z - z.max(axis=-1, keepdims=True))", "return e / e.sum()"),
        "normalise by the whole-array sum",
    ),
    (
        "04 q2",
        _fn(
            "softmax(z)",
            "e = np.exp(np.clip(z, -50, 50))",
            "return e / e.sum(axis=-1, keepdims=True)",
        ),
        "clip logits to ±50, then naive",
    ),
    (
        "04 q2",
        _fn("softmax(z)", "return np.eye(z.shape[1])[np.argmax(z, axis=-1)]"),
        "one-hot argmax (T → 0)",
    ),
    (
        "04 q2",
        _fn(
            "softmax(z)",
            "e = np.exp(z - z.max(axis=-1, keepdims=True))",
            "return e / e.max(axis=-1, keepdims=True)",
        ),
        "forgot to normalise: divided by the max",
    ),
    (
        "04 q2",
        _fn(
            "softmax(z)",
            "e = np.exp(z - z.max(axis=-1, keepdims=True))",
            "return (e / e.sum(axis=-1, keepdims=True)).ravel()",
        ),
        "flattened output (wrong shape)",
    ),
    ("04 q3", _fn("logsumexp(z)", "return np.log(np.sum(np.exp(z), axis=-1))"), "naive"),
    (
        "04 q3",
        _fn("logsumexp(z)", "m = z.max()", "return m + np.log(np.sum(np.exp(z - m), axis=-1))"),
        "global max",
    ),
    (
        "04 q3",
        _fn(
            "logsumexp(z)",
            "m = z.max(axis=-1, keepdims=True)",
            "return m + np.log(np.sum(np.exp(z - m), axis=-1, keepdims=True))",
        ),
        "keepdims: shape (N, 1)",
    ),
    (
        "04 q3",
        _fn(
            "logsumexp(z)",
            "m = z.max(axis=-1, keepdims=True)",
            "return np.log(np.sum(np.exp(z - m), axis=-1))",
        ),
        "forgot to add m back",
    ),
    (
        "04 q3",
        _fn(
            "logsumexp(z)",
            "m = z.min(axis=-1, keepdims=True)",
            "return m[:, 0] + np.log(np.sum(np.exp(z - m), axis=-1))",
        ),
        "row min shift",
    ),
    (
        "04 q3",
        _fn(
            "logsumexp(z)",
            "m = z.max(axis=0, keepdims=True)",
            "return m[0] + np.log(np.sum(np.exp(z - m), axis=0))",
        ),
        "axis 0",
    ),
    ("04 q3", _fn("logsumexp(z)", "return z.max(axis=-1)"), "max only (approximation)"),
    (
        "04 q3",
        _fn(
            "logsumexp(z)",
            "m = z.max(axis=-1, keepdims=True)",
            "return -m[:, 0] + np.log(np.sum(np.exp(z - m), axis=-1))",
        ),
        "sign slip: -m + log…",
    ),
    (
        "04 q3",
        _fn(
            "logsumexp(z)",
            "m = z.max(axis=-1, keepdims=True)",
            "return m[:, 0] + np.log(np.mean(np.exp(z - m), axis=-1))",
        ),
        "mean instead of sum inside the log",
    ),
    (
        "04 q3",
        _fn(
            "logsumexp(z)",
            "m = z.max(axis=-1, keepdims=True)",
            "return z - m - np.log(np.sum(np.exp(z - m), axis=-1, keepdims=True))",
        ),
        "returns log_softmax (N, C)",
    ),
    (
        "04 q3",
        _fn(
            "logsumexp(z)",
            "m = z.max(axis=-1, keepdims=True)",
            "return m[:, 0] + np.log2(np.sum(np.exp(z - m), axis=-1))",
        ),
        "log2",
    ),
    (
        "04 q3",
        _fn("logsumexp(z)", "m = z.max()", "return m + np.log(np.sum(np.exp(z - m)))"),
        "one scalar over the whole array",
    ),
    ("04 q4", 0.8178, "as logits: PyTorch"),
    ("04 q4", 0.916, "sum"),
    ("04 q4", 0.661, "bits"),
    ("04 q4", 0.693, "first example only"),
    ("04 q4", 0.223, "second example only"),
    ("04 q4", 0.199, "log10"),
    ("04 q4", 0.305, "sum/3: divide by C"),
    ("04 q4", -0.458, "sign"),
    ("04 q4", 0.46, "2 s.f."),
    ("04 q4", 1.96, "labels read 1-indexed: -ln 0.4 and -ln 0.1, mean"),
    ("04 q4", 0.431, "-ln of mean(0.5, 0.8): log of the mean (noted as 0.575 in the log)"),
    ("04 q5", "a", "sharper"),
    ("04 q5", "c", "unchanged"),
    ("04 q5", "a or b", "hedge"),
    ("04 q5", 0.5, "a number"),
    ("04 q6", "a", "skip softmax"),
    ("04 q6", "c", "a convention"),
    ("04 q6", "d", "not differentiable"),
    ("04 q6", "b and d", "hedge"),
    ("04 q6", "b,d", "hedge with a comma"),
    (
        "04 q7",
        _fn("batch_loss(logits, y)", "return xl.cross_entropy(y, probs=xl.softmax(logits))"),
        "probs=softmax: unstable two-step",
    ),
    (
        "04 q7",
        _fn(
            "batch_loss(logits, y)", "return xl.cross_entropy(y, logits=np.log(xl.softmax(logits)))"
        ),
        "logits=np.log(softmax): log 0",
    ),
    (
        "04 q7",
        _fn("batch_loss(logits, y)", "return xl.cross_entropy(y, logits=logits, reduction='sum')"),
        "reduction=sum",
    ),
    (
        "04 q7",
        _fn("batch_loss(logits, y)", "return xl.cross_entropy(y, logits=logits, reduction='none')"),
        "reduction=none: per example",
    ),
    (
        "04 q7",
        _fn("batch_loss(logits, y)", "return xl.cross_entropy(y, probs=logits)"),
        "probs=logits",
    ),
    (
        "04 q7",
        _fn(
            "batch_loss(logits, y)",
            "e = np.exp(logits)",
            "p = e / e.sum(axis=1, keepdims=True)",
            "return -np.mean(np.log(p[np.arange(len(y)), y]))",
        ),
        "manual naive softmax + log",
    ),
    (
        "04 q7",
        _fn(
            "batch_loss(logits, y)",
            "m = np.max(logits)",
            "lse = m + np.log(np.sum(np.exp(logits - m), axis=1))",
            "return np.mean(lse - logits[np.arange(len(y)), y])",
        ),
        "manual LSE with a global max",
    ),
    (
        "04 q7",
        _fn(
            "batch_loss(logits, y)",
            "m = logits.max(axis=1, keepdims=True)",
            "lse = m[:, 0] + np.log(np.sum(np.exp(logits - m), axis=1))",
            "return np.mean(logits[np.arange(len(y)), y] - lse)",
        ),
        "manual sign slip: z_y - LSE",
    ),
    (
        "04 q7",
        _fn(
            "batch_loss(logits, y)",
            "m = logits.max(axis=1, keepdims=True)",
            "lse = m[:, 0] + np.log(np.sum(np.exp(logits - m), axis=1))",
            "return np.mean(lse - logits[:, y])",
        ),
        "manual logits[:, y]: columns",
    ),
    (
        "04 q7",
        _fn("batch_loss(logits, y)", "return xl.cross_entropy(y, logits=logits / 2)"),
        "divides logits by 2 (temperature)",
    ),
    (
        "04 q7",
        _fn(
            "batch_loss(logits, y)",
            "p = np.clip(xl.softmax(logits), 1e-7, 1 - 1e-7)",
            "return -np.mean(np.log(p[np.arange(len(y)), y]))",
        ),
        "clip probs at 1e-7 (Keras-like)",
    ),
    # ---- lesson 05 ------------------------------------------------------------------------
    ("05 q1", [0.335, -0.245, -0.0900], "e_y - q: sign"),
    ("05 q1", [0.665, 0.245, 0.0900], "q itself: forgot -e_y"),
    ("05 q1", [-0.335, 0.0, 0.0], "diagonal only"),
    ("05 q1", [0.665, 0.245, -0.910], "q - e_2: wrong class"),
    ("05 q1", [0.665, -0.755, 0.0900], "q - e_1: 1-indexed"),
    ("05 q1", [-1.503, 0.0, 0.0], "dL/dq = -e_y/q_y"),
    ("05 q1", 0.408, "the loss"),
    ("05 q1", [-0.34, 0.24, 0.09], "rounded early"),
    ("05 q1", [-0.112, 0.0816, 0.0300], "divided by 3: mean over classes"),
    ("05 q1", [-0.335, 0.245], "two entries only"),
    ("05 q1", [-0.670, 0.490, 0.180], "2(q - e_y), MSE style"),
    ("05 q1", [-0.333, 0.333, 0.0], "linear normalisation z/sum z - e_y"),
    (
        "05 q2",
        _fn("grad(logits, y)", "return xl.softmax(logits) - np.eye(logits.shape[1])[y]"),
        "forgot /N",
    ),
    (
        "05 q2",
        _fn("grad(logits, y)", "return (np.eye(logits.shape[1])[y] - xl.softmax(logits)) / len(y)"),
        "sign: (Y - Q)/N",
    ),
    (
        "05 q2",
        _fn(
            "grad(logits, y)",
            "Q = xl.softmax(logits)",
            "N, C = Q.shape",
            "return Q * (1 - Q) * (-np.eye(C)[y] / (N * Q))",
        ),
        "diagonal only: Q(1-Q)·(-Y/(NQ))",
    ),
    (
        "05 q2",
        _fn(
            "grad(logits, y)",
            "e = np.exp(logits)",
            "Q = e / e.sum(axis=1, keepdims=True)",
            "return (Q - np.eye(logits.shape[1])[y]) / len(y)",
        ),
        "naive softmax: overflow at 1000",
    ),
    (
        "05 q2",
        _fn(
            "grad(logits, y)",
            "e = np.exp(logits - logits.max())",
            "Q = e / e.sum(axis=1, keepdims=True)",
            "return (Q - np.eye(logits.shape[1])[y]) / len(y)",
        ),
        "global max softmax",
    ),
    (
        "05 q2",
        _fn(
            "grad(logits, y)",
            "return (xl.softmax(logits) - np.eye(logits.shape[1])[y]) / logits.shape[1]",
        ),
        "divide by C",
    ),
    (
        "05 q2",
        _fn("grad(logits, y)", "return (xl.softmax(logits) - np.eye(len(y))[y]) / len(y)"),
        "np.eye(N)[y]: wrong one-hot size",
    ),
    (
        "05 q2",
        _fn("grad(logits, y)", "return xl.softmax(logits) / len(y)"),
        "returns Q/N: forgot Y",
    ),
    (
        "05 q2",
        _fn(
            "grad(logits, y)",
            "return np.mean(xl.softmax(logits) - np.eye(logits.shape[1])[y], axis=0)",
        ),
        "mean over axis 0: shape (C,)",
    ),
    (
        "05 q2",
        _fn(
            "grad(logits, y)",
            "return (xl.softmax(logits, axis=0) - np.eye(logits.shape[1])[y]) / len(y)",
        ),
        "softmax over axis 0",
    ),
    (
        "05 q2",
        _fn(
            "grad(logits, y)",
            "return (xl.softmax(xl.softmax(logits)) - np.eye(logits.shape[1])[y]) / len(y)",
        ),
        "double softmax sm(sm(Z))",
    ),
    (
        "05 q2",
        _fn(
            "grad(logits, y)",
            "return (xl.softmax(logits) - np.eye(logits.shape[1])[y - 1]) / len(y)",
        ),
        "off-by-one labels y-1",
    ),
    (
        "05 q2",
        _fn(
            "grad(logits, y)",
            "return (xl.softmax(logits) - np.eye(logits.shape[1])[y]) / (len(y) - 1)",
        ),
        "divide by N-1",
    ),
    (
        "05 q2",
        _fn(
            "grad(logits, y)",
            "return (xl.log_softmax(logits) - np.eye(logits.shape[1])[y]) / len(y)",
        ),
        "log-softmax minus Y",
    ),
    ("05 q3", 0.5, "sign: y - σ"),
    ("05 q3", 0.25, "σ'(0)"),
    ("05 q3", 0.693, "the loss"),
    ("05 q3", -1, "forgot σ: 0 - y"),
    ("05 q3", -0.25, "MSE gradient 2(q-1)q(1-q)"),
    ("05 q3", -0.721, "bits: -0.5/ln2"),
    ("05 q3", -50, "percent"),
    ("05 q3", -2, "dL/dq = -1/q"),
    ("05 q4", "a", "all fine"),
    ("05 q4", "c", "eps too small"),
    ("05 q4", "b or c", "hedge"),
    ("05 q4", "d", "no such option"),
    ("05 q6", "a", "truncation grows"),
    ("05 q6", "c", "analytic gradient"),
    ("05 q6", "d", "not smooth"),
    ("05 q6", "a and b", "hedge"),
    (
        "05 q5",
        _fn(
            "grad_via_jacobian(logits, y)",
            "Q = xl.softmax(logits)",
            "N, C = Q.shape",
            "dL_dQ = -np.eye(C)[y] / Q",
            "return dL_dQ * Q * (1 - Q)",
        ),
        "diagonal kept, /N removed",
    ),
    (
        "05 q5",
        _fn(
            "grad_via_jacobian(logits, y)",
            "Q = xl.softmax(logits)",
            "N, C = Q.shape",
            "dL_dQ = np.eye(C)[y] / (N * Q)",
            "return dL_dQ * Q * (1 - Q)",
        ),
        "diagonal kept, sign flipped",
    ),
    (
        "05 q5",
        _fn(
            "grad_via_jacobian(logits, y)",
            "Q = xl.softmax(logits)",
            "N, C = Q.shape",
            "g = -np.eye(C)[y] / Q",
            "J = np.einsum('ni,ij->nij', Q, np.eye(C)) - np.einsum('ni,nj->nij', Q, Q)",
            "return np.einsum('nij,ni->nj', J, g)",
        ),
        "full Jacobian but forgot /N",
    ),
    (
        "05 q5",
        _fn(
            "grad_via_jacobian(logits, y)",
            "Q = xl.softmax(logits)",
            "N, C = Q.shape",
            "g = -np.eye(C)[y] / (N * Q)",
            "J = -np.einsum('ni,nj->nij', Q, Q)",
            "return np.einsum('nij,ni->nj', J, g)",
        ),
        "off-diagonal only: -qqᵀ",
    ),
    (
        "05 q5",
        _fn(
            "grad_via_jacobian(logits, y)",
            "Q = xl.softmax(logits)",
            "N, C = Q.shape",
            "g = -np.eye(C)[y] / (N * Q)",
            "return Q * (g - np.sum(Q * g, axis=0, keepdims=True))",
        ),
        "VJP with the sum over the wrong axis (0)",
    ),
    (
        "05 q5",
        _fn(
            "grad_via_jacobian(logits, y)",
            "Q = xl.softmax(logits)",
            "return Q - np.eye(Q.shape[1])[y]",
        ),
        "Q - Y without /N",
    ),
    (
        "05 q5",
        _fn(
            "grad_via_jacobian(logits, y)",
            "Q = xl.softmax(logits)",
            "N, C = Q.shape",
            "return -np.eye(C)[y] / (N * Q)",
        ),
        "returns dL/dQ only",
    ),
    (
        "05 q5",
        _fn(
            "grad_via_jacobian(logits, y)",
            "Q = xl.softmax(logits)",
            "N, C = Q.shape",
            "g = -np.eye(C)[y] / (N * Q)",
            "return g - np.sum(Q * g, axis=1, keepdims=True)",
        ),
        "VJP forgot the outer Q factor",
    ),
    # ---- lesson 06 ------------------------------------------------------------------------
    ("06 q1", 2.0, "bits"),
    ("06 q1", 0.602, "log10"),
    ("06 q1", 0.25, "the probability 1/C"),
    ("06 q1", 1.099, "ln 3, the lesson's C"),
    ("06 q1", 0, "zero weights: zero loss"),
    ("06 q1", -1.386, "sign"),
    ("06 q1", 0.347, "ln4/4"),
    ("06 q1", 4, "C"),
    ("06 q1", 5.886, "ln 360, buggy loop"),
    ("06 q1", 0.693, "ln 2"),
    ("06 q2", _fn("grad_W(X, P, Y)", "return X.T @ (P - Y)"), "forgot /N"),
    ("06 q2", _fn("grad_W(X, P, Y)", "return X.T @ (Y - P) / len(X)"), "sign (Y - P)"),
    ("06 q2", _fn("grad_W(X, P, Y)", "return (P - Y).T @ X / len(X)"), "transposed (P-Y).T @ X"),
    ("06 q2", _fn("grad_W(X, P, Y)", "return X @ (P - Y) / len(X)"), "X @ (P - Y): shape error"),
    ("06 q2", _fn("grad_W(X, P, Y)", "return X.T @ P / len(X)"), "forgot Y"),
    ("06 q2", _fn("grad_W(X, P, Y)", "return X.T @ (P - Y) / X.shape[1]"), "divide by D"),
    ("06 q2", _fn("grad_W(X, P, Y)", "return X.T @ (P - Y) / P.shape[1]"), "divide by C"),
    ("06 q2", _fn("grad_W(X, P, Y)", "return np.mean(X.T @ (P - Y))"), "scalar mean"),
    ("06 q2", _fn("grad_W(X, P, Y)", "return (P - Y).sum(axis=0) / len(X)"), "the bias gradient"),
    ("06 q2", _fn("grad_W(X, P, Y)", "return X.T @ (P - Y) / len(X) ** 2"), "double mean: /N²"),
    (
        "06 q2",
        _fn("grad_W(X, P, Y)", "return X.T @ (xl.softmax(P) - Y) / len(X)"),
        "softmax(P) again",
    ),
    (
        "06 q2",
        _fn("grad_W(X, P, Y)", "return X.T @ ((P - Y) * P * (1 - P)) / len(X)"),
        "diagonal-Jacobian P(1-P) factor",
    ),
    ("06 q3", _fn("update(W, grad, lr)", "return W + lr * grad"), "ascent"),
    ("06 q3", _fn("update(W, grad, lr)", "return W - grad"), "forgot lr"),
    ("06 q3", _fn("update(W, grad, lr)", "return W - lr"), "forgot grad"),
    ("06 q3", _fn("update(W, grad, lr)", "return lr * grad"), "the step only"),
    ("06 q3", _fn("update(W, grad, lr)", "return W - grad / lr"), "W - grad/lr"),
    ("06 q3", _fn("update(W, grad, lr)", "return W * (1 - lr * grad)"), "multiplicative"),
    ("06 q3", _fn("update(W, grad, lr)", "W -= lr * grad"), "in place, no return"),
    ("06 q3", _fn("update(W, grad, lr)", "return W - lr * grad / len(W)"), "extra 1/N: / len(W)"),
    ("06 q3", _fn("update(W, grad, lr)", "return W - lr * np.sign(grad)"), "sign of the gradient"),
    (
        "06 q3",
        _fn("update(W, grad, lr)", "return W - lr * grad.mean(axis=0)"),
        "averages the gradient over rows",
    ),
    (
        "06 q3",
        _fn("update(W, grad, lr)", "return W - lr * grad.sum(axis=0, keepdims=True)"),
        "sums the gradient over rows",
    ),
    (
        "06 q3",
        _fn("update(W, grad, lr)", "return W - lr * grad / W.shape[0]"),
        "divides by W.shape[0] (D)",
    ),
    (
        "06 q3",
        _fn("update(W, grad, lr)", "return W[:1] - lr * grad[:1]"),
        "keeps only the first row",
    ),
    ("06 q3", _fn("update(W, grad, lr)", "return W - lr * np.mean(grad)"), "scalar mean"),
    ("06 q4", "a", "larger"),
    ("06 q4", "c", "unchanged"),
    ("06 q4", "a or b", "hedge"),
    ("06 q5", "a", "easier"),
    ("06 q5", "c", "overfits"),
    ("06 q5", "d", "smaller set"),
    ("06 q5", "b or d", "hedge"),
    (
        "06 q6",
        train_softmax(
            {
                "P = xl.softmax(X @ W + b, axis=1)": (
                    "Z = X @ W + b\nE = np.exp(Z - Z.max())\nP = E / E.sum()"
                )
            }
        ),
        "softmax over the whole array",
    ),
    (
        "06 q6",
        train_softmax(
            {
                "W -= lr * X.T @ dZ": "W += lr * X.T @ dZ",
                "b -= lr * dZ.sum(axis=0)": "b += lr * dZ.sum(axis=0)",
            }
        ),
        "axis fixed, but W += (ascent)",
    ),
    ("06 q6", train_softmax({"dZ = (P - Y) / N": "dZ = P - Y"}), "axis fixed, but forgot /N"),
    ("06 q6", train_softmax({"return np.array(losses)": "return W"}), "axis fixed, but returns W"),
    (
        "06 q6",
        train_softmax(
            {
                **_SOFTMAX_AXIS0,
                "W, b = np.zeros((X.shape[1], C)), np.zeros(C)": (
                    "W, b = np.random.default_rng(0).normal(size=(X.shape[1], C)), np.zeros(C)"
                ),
            }
        ),
        "axis=0 kept, random init instead (wrong fix)",
    ),
    (
        "06 q6",
        train_softmax(
            {
                "losses.append(-np.mean(np.log(P[np.arange(N), y])))": (
                    "losses.append(-np.sum(np.log(P[np.arange(N), y])))"
                )
            }
        ),
        "axis fixed, but a summed loss",
    ),
    ("06 q6", train_softmax(_SOFTMAX_AXIS0), "unchanged (axis=0)"),
    # ---- lesson 07 ------------------------------------------------------------------------
    ("07 q1", _fn("tanh_grad(h)", "return 1 - np.tanh(h) ** 2"), "tanh applied twice"),
    ("07 q1", _fn("tanh_grad(h)", "return h * (1 - h)"), "sigmoid derivative"),
    ("07 q1", _fn("tanh_grad(h)", "return 1 - h"), "forgot the square"),
    ("07 q1", _fn("tanh_grad(h)", "return 1 / np.cosh(h) ** 2"), "sech² of h"),
    ("07 q1", _fn("tanh_grad(h)", "return -2 * h"), "differentiated 1 - h²"),
    ("07 q1", _fn("tanh_grad(h)", "return 1 + h**2"), "sign"),
    ("07 q1", _fn("tanh_grad(h)", "return (1 - h) ** 2"), "(1 - h)²"),
    ("07 q1", _fn("tanh_grad(h)", "return np.mean(1 - h**2)"), "mean: a scalar"),
    ("07 q1", _fn("tanh_grad(h)", "return 1 - np.arctanh(h) ** 2"), "1 - arctanh(h)²"),
    ("07 q2", 160, "weights only"),
    ("07 q2", 192, "forgot b2"),
    ("07 q2", 163, "forgot b1"),
    ("07 q2", 35, "biases only"),
    ("07 q2", 37, "D + H + C"),
    ("07 q2", 99, "output layer only"),
    ("07 q2", 96, "W2 only"),
    ("07 q2", 227, "extra H"),
    ("07 q2", 190, "1.9e2: 2 s.f."),
    ("07 q2", 194, "off by one"),
    ("07 q2", 196, "off by one"),
    ("07 q2", 200, "1 s.f."),
    ("07 q2", 288, "miscount"),
    ("07 q2", 258, "miscount"),
    ("07 q2", 195.4, "non-integer near"),
    (
        "07 q3",
        _fn("backward_hidden(dlogits, W2, h)", "return (dlogits @ W2) * (1 - h**2)"),
        "dlogits @ W2: no transpose",
    ),
    ("07 q3", _fn("backward_hidden(dlogits, W2, h)", "return dlogits @ W2.T"), "forgot tanh'"),
    (
        "07 q3",
        _fn("backward_hidden(dlogits, W2, h)", "return (dlogits @ W2.T) * (1 - np.tanh(h) ** 2)"),
        "tanh applied twice",
    ),
    (
        "07 q3",
        _fn("backward_hidden(dlogits, W2, h)", "return (W2 @ dlogits.T) * (1 - h**2)"),
        "W2 @ dlogits.T: transposed",
    ),
    (
        "07 q3",
        _fn("backward_hidden(dlogits, W2, h)", "return (dlogits @ W2.T) @ (1 - h**2)"),
        "matrix product with (1 - h²) instead of ⊙",
    ),
    (
        "07 q3",
        _fn("backward_hidden(dlogits, W2, h)", "return (dlogits @ W2.T) * h * (1 - h)"),
        "sigmoid factor h(1 - h)",
    ),
    (
        "07 q3",
        _fn("backward_hidden(dlogits, W2, h)", "return (dlogits @ W2.T) * (1 - h**2) / len(h)"),
        "extra /N",
    ),
    (
        "07 q3",
        _fn("backward_hidden(dlogits, W2, h)", "return -(dlogits @ W2.T) * (1 - h**2)"),
        "sign",
    ),
    ("07 q3", _fn("backward_hidden(dlogits, W2, h)", "return h.T @ dlogits"), "returns dW2"),
    (
        "07 q3",
        _fn("backward_hidden(dlogits, W2, h)", "return (dlogits @ W2.T) * (h > 0)"),
        "ReLU-style mask (h > 0)",
    ),
    ("07 q3", _fn("backward_hidden(dlogits, W2, h)", "return (dlogits @ W2.T) * (-2 * h)"), "-2h"),
    (
        "07 q3",
        _fn(
            "backward_hidden(dlogits, W2, h)", "return ((dlogits @ W2.T) * (1 - h**2)).sum(axis=1)"
        ),
        "summed over each row",
    ),
    ("07 q4", "a", "underfitting"),
    ("07 q4", "c", "small lr"),
    ("07 q4", "d", "more mistakes"),
    ("07 q4", "b or d", "hedge"),
    ("07 q5", train_net(_DOUBLE_SOFTMAX_NET), "unchanged (double softmax)"),
    (
        "07 q5",
        train_net(
            {
                "Z = h @ W2 + b2": "P = xl.softmax(h @ W2 + b2, axis=1)",
                "loss, delta = xl.cross_entropy_with_grad(y, logits=Z)": (
                    "loss, delta = xl.cross_entropy_with_grad(y, probs=P)"
                ),
            }
        ),
        "probs=P: cross_entropy_with_grad with respect to the probabilities",
    ),
    (
        "07 q5",
        train_net({"dA = (delta @ W2.T) * (1 - h**2)": "dA = delta @ W2.T"}),
        "dropped tanh'",
    ),
    (
        "07 q5",
        train_net(
            {
                "dA = (delta @ W2.T) * (1 - h**2)": "W2 -= lr * h.T @ delta",
                "W2 -= lr * h.T @ delta": "dA = (delta @ W2.T) * (1 - h**2)",
            }
        ),
        "dA computed after the W2 update",
    ),
    (
        "07 q5",
        train_net({"W1 -= lr * X.T @ dA": "W1 -= lr * len(y) * X.T @ dA"}),
        "the W1 step N times too big",
    ),
    ("07 q5", train_net({"W1 -= lr * X.T @ dA": "W1 += lr * X.T @ dA"}), "W1 by ascent"),
    # ---- lesson 08 ------------------------------------------------------------------------
    ("08 q1", 0.5, "1 bit"),
    ("08 q1", 2.72, "e"),
    ("08 q1", 1, "the loss"),
    ("08 q1", 0.135, "e^-2"),
    ("08 q1", 0.1, "log10"),
    ("08 q1", 36.8, "percent"),
    ("08 q1", 0.632, "1 - e^-1"),
    ("08 q1", 0.4, "1 s.f."),
    ("08 q1", -1, "ln q = -1"),
    ("08 q1", 0.36, "0.3679 truncated"),
    ("08 q2", -1, "the signed gradient"),
    ("08 q2", 0, "vanishes"),
    ("08 q2", float("inf"), "grows"),
    ("08 q2", 0.982, "read at z1 = 6"),
    ("08 q2", 1.414, "norm √2"),
    ("08 q2", 0.5, "where z1 = z0"),
    ("08 q2", 0.999, "almost 1"),
    ("08 q2", 48, "the loss"),
    ("08 q2", 2, "twice the push"),
    ("08 q3", 1, "one term"),
    ("08 q3", 0.667, "mean over classes"),
    ("08 q3", 1.414, "Euclidean distance"),
    ("08 q3", float("inf"), "cross-entropy at the corner"),
    ("08 q3", 0, "?"),
    ("08 q3", 4, "squared sum (1 + 1)²"),
    ("08 q3", -2, "sign"),
    ("08 q3", 3, "counted all three as 1"),
    ("08 q3", 1.0, "the 0-1 loss"),
    ("08 q4", 0, "a perfect model reaches 0"),
    ("08 q4", 0.286, "bits"),
    ("08 q4", 0.0513, "-ln 0.95"),
    ("08 q4", 0.325, "ε not ε/C: H(0.9, 0.1)"),
    ("08 q4", 0.150, "one term: 0.05 ln 20"),
    ("08 q4", 0.0487, "the other term: 0.95 ln(1/0.95)"),
    ("08 q4", 0.693, "ln 2"),
    ("08 q4", 0.0864, "log10"),
    ("08 q4", 0.1, "ε itself"),
    ("08 q4", 0.2, "rounded to 1 s.f."),
    ("08 q4", 0.243, "the playground run"),
    ("08 q5", "b", "too large"),
    ("08 q5", "c", "too small a model"),
    ("08 q5", "a or c", "hedge"),
    ("08 q6", "a", "accuracy"),
    ("08 q6", "c", "nothing"),
    ("08 q6", "a and b", "hedge"),
    # ---- lesson 09 ------------------------------------------------------------------------
    (
        "09 q1",
        _fn("bce(q, y)", "return -np.mean(y * np.log(1 - q) + (1 - y) * np.log(q))"),
        "swapped (unchanged)",
    ),
    (
        "09 q1",
        _fn("bce(q, y)", "return -np.sum(y * np.log(q) + (1 - y) * np.log(1 - q))"),
        "sum instead of mean",
    ),
    ("09 q1", _fn("bce(q, y)", "return np.mean(y * np.log(q) + (1 - y) * np.log(1 - q))"), "sign"),
    (
        "09 q1",
        _fn("bce(q, y)", "return -np.mean(y * np.log2(q) + (1 - y) * np.log2(1 - q))"),
        "log2",
    ),
    ("09 q1", _fn("bce(q, y)", "return -np.mean(y * np.log(q))"), "forgot the negative branch"),
    ("09 q1", _fn("bce(q, y)", "return -np.mean(np.log(q))"), "ignores the labels: -mean log q"),
    ("09 q1", _fn("bce(q, y)", "return -(y * np.log(q) + (1 - y) * np.log(1 - q))"), "no mean"),
    (
        "09 q1",
        _fn(
            "bce(q, y)",
            "s = 1 / (1 + np.exp(-q))",
            "return -np.mean(y * np.log(s) + (1 - y) * np.log(1 - s))",
        ),
        "treats q as logits: sigmoid again",
    ),
    (
        "09 q1",
        _fn("bce(q, y)", "return -np.mean(y * np.log(q) + (1 - y) * np.log(q))"),
        "one branch swapped only",
    ),
    (
        "09 q1",
        _fn(
            "bce(q, y)",
            "pos = -np.mean(np.log(q[y == 1]))",
            "neg = -np.mean(np.log(1 - q[y == 0]))",
            "return (pos + neg) / 2",
        ),
        "the mean of the two branches' means (equal-weighted)",
    ),
    (
        "09 q2",
        _fn(
            "bce_with_logits(z, y)",
            "q = 1 / (1 + np.exp(-z))",
            "return -np.mean(y * np.log(q) + (1 - y) * np.log(1 - q))",
        ),
        "naive sigmoid, then log",
    ),
    (
        "09 q2",
        _fn("bce_with_logits(z, y)", "return np.mean(np.log(1 + np.exp(z)) - z * y)"),
        "softplus without abs: log(1 + exp(z)) - z*y",
    ),
    (
        "09 q2",
        _fn(
            "bce_with_logits(z, y)",
            "q = 1 / (1 + np.exp(-np.clip(z, -30, 30)))",
            "return -np.mean(y * np.log(q) + (1 - y) * np.log(1 - q))",
        ),
        "clip z to ±30, then naive",
    ),
    (
        "09 q2",
        _fn(
            "bce_with_logits(z, y)",
            "q = np.clip(1 / (1 + np.exp(-z)), 1e-7, 1 - 1e-7)",
            "return -np.mean(y * np.log(q) + (1 - y) * np.log(1 - q))",
        ),
        "clip q to [1e-7, 1 - 1e-7] (Keras-like)",
    ),
    (
        "09 q2",
        _fn(
            "bce_with_logits(z, y)",
            "return np.mean(np.maximum(z, 0) + z * y + np.log1p(np.exp(-np.abs(z))))",
        ),
        "sign slip: max(z, 0) + z*y + log1p",
    ),
    (
        "09 q2",
        _fn("bce_with_logits(z, y)", "return np.mean(-z * y + np.log1p(np.exp(-np.abs(z))))"),
        "forgot max(z, 0)",
    ),
    (
        "09 q2",
        _fn(
            "bce_with_logits(z, y)",
            "return np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))",
        ),
        "per example (no mean)",
    ),
    (
        "09 q2",
        _fn(
            "bce_with_logits(z, y)",
            "return np.sum(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))",
        ),
        "sum",
    ),
    (
        "09 q2",
        _fn(
            "bce_with_logits(z, y)",
            "return np.mean(np.maximum(z, 0) - z * (1 - y) + np.log1p(np.exp(-np.abs(z))))",
        ),
        "swapped: max(z, 0) - z*(1 - y) + log1p",
    ),
    (
        "09 q2",
        _fn(
            "bce_with_logits(z, y)",
            "return np.mean(np.maximum(z, 0) - z * y + np.log(np.exp(-np.abs(z))))",
        ),
        "log instead of log1p: log(exp(-|z|))",
    ),
    (
        "09 q2",
        _fn("bce_with_logits(z, y)", "return xl.binary_cross_entropy(y, probs=xl.sigmoid(z))"),
        "xl.binary_cross_entropy(y, probs=sigmoid(z))",
    ),
    ("09 q3", 8, "N/n_pos"),
    ("09 q3", 0.143, "n_pos/n_neg"),
    ("09 q3", 0.125, "n_pos/N"),
    ("09 q3", 1050, "n_neg"),
    ("09 q3", 0.875, "n_neg/N"),
    ("09 q3", 6, "off by one: (N - 2·150)/150"),
    ("09 q3", 12.5, "percent"),
    ("09 q3", 87.5, "percent negatives"),
    ("09 q3", 2.08, "ln 8"),
    ("09 q3", 1.95, "ln 7"),
    ("09 q4", 6.81, "pos_weight applied to the negative"),
    ("09 q4", 0.201, "the y = 1 branch softplus(-1.5)"),
    ("09 q4", 0.805, "4 × the y = 1 branch"),
    ("09 q4", 2.45, "bits"),
    ("09 q4", 0.739, "log10"),
    ("09 q4", 1.5, "z itself"),
    ("09 q4", 0.818, "σ(1.5)"),
    ("09 q4", 0.425, "divided by 4"),
    ("09 q4", -1.70, "sign"),
    ("09 q4", 1.26, "a pos_weight-weighted mean (4·0.201 + 1.70)/…"),
    ("09 q5", "a", "overflow"),
    ("09 q5", "b", "one-hot targets"),
    ("09 q5", "d", "threshold 0.5"),
    ("09 q5", "b or c", "hedge"),
    ("09 q6", 1.0, "categorical (argmax) accuracy"),
    ("09 q6", 0.1, "the true-class output only"),
    ("09 q6", 90, "percent"),
    ("09 q6", 0.3, "the true-class output"),
    ("09 q6", 0.0, "nothing above 0.5: all wrong"),
    ("09 q6", 0.95, "the negatives' output"),
    ("09 q6", 0.8, "a guess"),
    ("09 q6", 0.91, "9/10 + 1/100?"),
    # ---- lesson 10 ------------------------------------------------------------------------
    ("10 q1", -0.982, "CE gradient σ - 1"),
    ("10 q1", 0.0173, "sign"),
    ("10 q1", -0.0347, "forgot ½"),
    ("10 q1", -0.0177, "forgot the (1 - σ) factor"),
    ("10 q1", 0.482, "the loss"),
    ("10 q1", -0.0180, "σ itself, negative"),
    ("10 q1", -0.017, "2 s.f."),
    ("10 q1", -0.0167, "rounded σ to 0.017"),
    ("10 q1", -0.0176, "forgot (σ - y): σ(1 - σ) only, negative"),
    ("10 q1", -0.0183, "e^-4: σ(-4) ≈ e^-4, negative"),
    ("10 q2", "a", "never convex"),
    ("10 q2", "b", "Hessian"),
    ("10 q2", "c", "not convex in q"),
    ("10 q2", "b or d", "hedge"),
    ("10 q3", 0.02, "heads term only, unweighted"),
    ("10 q3", 1.62, "tails term only"),
    ("10 q3", 0.25, "binary Brier (q - y)²"),
    ("10 q3", 0.42, "1 - ‖p‖², the honest forecaster"),
    ("10 q3", 0.08, "‖q - p‖² only"),
    ("10 q3", 0.82, "unweighted mean of 0.02 and 1.62"),
    ("10 q3", 0.014, "one weighted term"),
    ("10 q3", 0.486, "the other weighted term"),
    ("10 q3", 50, "percent?"),
    ("10 q3", 0.1, "(q - p) = 0.2, squared…"),
    ("10 q4", "a", "only 0.7"),
    ("10 q4", "c", "only 1"),
    ("10 q4", "d", "every q"),
    ("10 q4", "b and c", "hedge"),
    (
        "10 q5",
        _fn(
            "se_grad(logits, y)",
            "Y = np.eye(logits.shape[1])[y]",
            "return 2 * (logits - Y) / len(y)",
        ),
        "the buggy 2(z - e_y)/N",
    ),
    (
        "10 q5",
        _fn(
            "se_grad(logits, y)",
            "q = xl.softmax(logits)",
            "Y = np.eye(logits.shape[1])[y]",
            "return 2 * (q - Y) * q * (1 - q) / len(y)",
        ),
        "diagonal only: 2(q - e) q(1 - q)/N",
    ),
    (
        "10 q5",
        _fn(
            "se_grad(logits, y)",
            "q = xl.softmax(logits)",
            "g = 2 * (q - np.eye(logits.shape[1])[y])",
            "return q * (g - np.sum(q * g, axis=1, keepdims=True))",
        ),
        "forgot /N",
    ),
    (
        "10 q5",
        _fn(
            "se_grad(logits, y)",
            "q = xl.softmax(logits)",
            "g = q - np.eye(logits.shape[1])[y]",
            "return q * (g - np.sum(q * g, axis=1, keepdims=True)) / len(y)",
        ),
        "forgot the 2",
    ),
    (
        "10 q5",
        _fn(
            "se_grad(logits, y)",
            "return (xl.softmax(logits) - np.eye(logits.shape[1])[y]) / len(y)",
        ),
        "the CE gradient (q - e)/N",
    ),
    (
        "10 q5",
        _fn(
            "se_grad(logits, y)",
            "return 2 * (xl.softmax(logits) - np.eye(logits.shape[1])[y]) / len(y)",
        ),
        "2(q - e)/N: no Jacobian",
    ),
    (
        "10 q5",
        _fn(
            "se_grad(logits, y)",
            "q = xl.softmax(logits)",
            "g = 2 * (q - np.eye(logits.shape[1])[y])",
            "return -q * (g - np.sum(q * g, axis=1, keepdims=True)) / len(y)",
        ),
        "sign",
    ),
    (
        "10 q5",
        _fn(
            "se_grad(logits, y)",
            "q = xl.softmax(logits)",
            "g = 2 * (q - np.eye(logits.shape[1])[y])",
            "return q * (g - np.sum(q * g, axis=0, keepdims=True)) / len(y)",
        ),
        "q·g summed over axis 0 (wrong axis)",
    ),
    (
        "10 q5",
        _fn(
            "se_grad(logits, y)",
            "q = xl.softmax(logits)",
            "g = 2 * (q - np.eye(logits.shape[1])[y])",
            "return (g - np.sum(q * g, axis=1, keepdims=True)) / len(y)",
        ),
        "forgot q⊙ in front: (g - q·g)/N",
    ),
    (
        "10 q5",
        _fn(
            "se_grad(logits, y)",
            "e = np.exp(logits)",
            "q = e / e.sum(axis=1, keepdims=True)",
            "g = 2 * (q - np.eye(logits.shape[1])[y])",
            "return q * (g - np.sum(q * g, axis=1, keepdims=True)) / len(y)",
        ),
        "naive softmax (no max-shift)",
    ),
    (
        "10 q6",
        _fn(
            "hinge(scores, y)",
            "rows = np.arange(len(y))",
            "margins = np.maximum(0, scores - scores[rows, y][:, None] - 1.0)",
            "margins[rows, y] = 0",
            "return margins.sum() / len(y)",
        ),
        "buggy: the margin on the wrong side",
    ),
    (
        "10 q6",
        _fn(
            "hinge(scores, y)",
            "rows = np.arange(len(y))",
            "margins = np.maximum(0, scores - scores[rows, y][:, None] + 1.0)",
            "return margins.sum() / len(y)",
        ),
        "forgot to zero the true class (+Δ each)",
    ),
    (
        "10 q6",
        _fn(
            "hinge(scores, y)",
            "rows = np.arange(len(y))",
            "margins = np.maximum(0, scores - scores[rows, y][:, None] + 1.0)",
            "margins[rows, y] = 0",
            "return margins.sum()",
        ),
        "sum, not mean",
    ),
    (
        "10 q6",
        _fn(
            "hinge(scores, y)",
            "rows = np.arange(len(y))",
            "margins = np.maximum(0, scores - scores[rows, y][:, None] + 1.0)",
            "margins[rows, y] = 0",
            "return margins.max(axis=1).mean()",
        ),
        "max over wrong classes (Crammer-Singer)",
    ),
    (
        "10 q6",
        _fn(
            "hinge(scores, y)",
            "rows = np.arange(len(y))",
            "margins = np.maximum(0, scores - scores[rows, y][:, None])",
            "margins[rows, y] = 0",
            "return margins.sum() / len(y)",
        ),
        "margin 0",
    ),
    (
        "10 q6",
        _fn(
            "hinge(scores, y)",
            "rows = np.arange(len(y))",
            "margins = np.maximum(0, scores - scores[rows, y][:, None] + 1.0) ** 2",
            "margins[rows, y] = 0",
            "return margins.sum() / len(y)",
        ),
        "squared hinge",
    ),
    (
        "10 q6",
        _fn(
            "hinge(scores, y)",
            "p = xl.softmax(scores)",
            "rows = np.arange(len(y))",
            "margins = np.maximum(0, p - p[rows, y][:, None] + 1.0)",
            "margins[rows, y] = 0",
            "return margins.sum() / len(y)",
        ),
        "on softmax probabilities",
    ),
    (
        "10 q6",
        _fn(
            "hinge(scores, y)",
            "rows = np.arange(len(y))",
            "margins = np.maximum(0, scores[rows, y][:, None] - scores + 1.0)",
            "margins[rows, y] = 0",
            "return margins.sum() / len(y)",
        ),
        "s_y - s_j + 1: sign flipped",
    ),
    (
        "10 q6",
        _fn(
            "hinge(scores, y)",
            "rows = np.arange(len(y))",
            "margins = np.maximum(0, scores - scores[rows, y][:, None]) + 1.0",
            "margins[rows, y] = 0",
            "return margins.sum() / len(y)",
        ),
        "max(0, s_j - s_y) + 1: Δ outside the max",
    ),
    # ---- lesson 11 ------------------------------------------------------------------------
    ("11 q1", "a", "ignores the rare class"),
    ("11 q1", "c", "undertrained"),
    ("11 q1", "d", "wrong probabilities"),
    ("11 q1", "b or c", "hedge"),
    ("11 q2", _threshold(_VAL, _VAL), "chooses on validation, reports validation"),
    ("11 q2", _threshold(_TEST, _TEST), "unchanged: chooses on test"),
    (
        "11 q2",
        _threshold(_VAL, _TEST, pick="len(scores) - 1 - np.argmax(scores[::-1])"),
        "the last of tied thresholds",
    ),
    (
        "11 q2",
        _fn(
            "threshold_report(q_val, y_val, q_test, y_test)",
            _GRID,
            "scores = [xl.metrics.accuracy(y_val, (q_val >= t).astype(int)) for t in thresholds]",
            "t = thresholds[np.argmax(scores)]",
            f"return t, {_BA}(y_test, (q_test >= t).astype(int))",
        ),
        "plain accuracy instead of balanced",
    ),
    ("11 q2", _threshold(_VAL, _TEST, rule=">"), "q > t instead of q ≥ t"),
    ("11 q2", _threshold(_VAL, _TEST, ret="t"), "returns only t"),
    ("11 q2", _threshold(_VAL, _TEST, ret="s, t"), "returns (score, t): swapped"),
    ("11 q3", 0.8, "w1/(w0 + w1)"),
    ("11 q3", 0.25, "w0/w1"),
    ("11 q3", 4, "w1/w0"),
    ("11 q3", 0.5, "unchanged"),
    ("11 q3", 1.386, "ln 4, the log-odds shift"),
    ("11 q3", 0.05, "π₁ from the lesson"),
    ("11 q3", 20, "percent"),
    ("11 q3", 0.269, "σ(-1)"),
    ("11 q3", 0.111, "1/9"),
    ("11 q3", 0.0476, "1/21"),
    ("11 q4", 0.0333, "ε/(C - 1)"),
    ("11 q4", 0.925, "the true class"),
    ("11 q4", 0.1, "ε"),
    ("11 q4", 0.9, "1 - ε"),
    ("11 q4", 0, "one-hot"),
    ("11 q4", 2.5, "percent"),
    ("11 q4", 0.03, "rounded"),
    ("11 q4", 0.075, "ε·(C - 1)/C"),
    ("11 q4", 0.05, "ε/2"),
    ("11 q5", 0.8, "1 - ε"),
    ("11 q5", 0.04, "ε/C"),
    ("11 q5", 0.85, "1 - ε + ε/(C - 1)"),
    ("11 q5", 1.0, "no cap"),
    ("11 q5", 0.96, "1 - ε/C"),
    ("11 q5", 84, "percent"),
    ("11 q5", 0.2, "ε"),
    ("11 q5", 0.933, "the C = 3 number from the lesson"),
    ("11 q6", "a", "raised"),
    ("11 q6", "b", "lowered"),
    ("11 q6", "c", "near the boundary"),
    ("11 q6", "c or d", "hedge"),
    # ---- lesson 12 ------------------------------------------------------------------------
    ("12 q1", 2.30, "ln C, uniform"),
    ("12 q1", 1.30, "ln C - 1, the lesson's approximation"),
    ("12 q1", 0.551, "the C = 3 floor"),
    ("12 q1", 2.11, "bits"),
    ("12 q1", 4.31, "no log: 1 + 9/e"),
    ("12 q1", 0.841, "the gap"),
    ("12 q1", 1.5, "2 s.f."),
    ("12 q1", 0.635, "log10"),
    ("12 q1", 1.54, "ln(1 + 10/e): C instead of C - 1 (noted as 1.23 in the log)"),
    ("12 q1", 0.0, "a perfect model"),
    ("12 q1", 1.0, "1 nat"),
    (
        "12 q2",
        _fn("batch_loss(logits, y)", "return xl.cross_entropy(y, probs=xl.softmax(logits))"),
        "probs=softmax(logits): unstable",
    ),
    (
        "12 q2",
        _fn(
            "batch_loss(logits, y)", "return xl.cross_entropy(y, logits=np.log(xl.softmax(logits)))"
        ),
        "logits=np.log(softmax): log 0",
    ),
    (
        "12 q2",
        _fn("batch_loss(logits, y)", "return xl.cross_entropy(y, logits=logits, reduction='sum')"),
        "reduction sum",
    ),
    (
        "12 q2",
        _fn(
            "batch_loss(logits, y)",
            "probs = np.clip(xl.softmax(logits), 1e-7, 1 - 1e-7)",
            "return xl.cross_entropy(y, probs=probs)",
        ),
        "clip probs at 1e-7",
    ),
    (
        "12 q2",
        _fn(
            "batch_loss(logits, y)",
            "probs = xl.softmax(logits)",
            "return xl.cross_entropy(y, logits=probs)",
        ),
        "unchanged: double softmax",
    ),
    (
        "12 q2",
        _fn("batch_loss(logits, y)", "return xl.nll_loss(y, np.log(xl.softmax(logits)))"),
        "nll_loss(y, log(softmax))",
    ),
    (
        "12 q3",
        _fn("loss_from_probs(probs, y)", "return -nll_loss_like_torch(probs, y)"),
        "sign flipped only: -nll(probs)",
    ),
    (
        "12 q3",
        _fn("loss_from_probs(probs, y)", "return nll_loss_like_torch(np.log10(probs), y)"),
        "log10",
    ),
    (
        "12 q3",
        _fn("loss_from_probs(probs, y)", "return nll_loss_like_torch(-np.log(probs), y)"),
        "double sign: nll(-log p)",
    ),
    (
        "12 q3",
        _fn("loss_from_probs(probs, y)", "return -np.log(-nll_loss_like_torch(probs, y))"),
        "log of nll: -log(-nll(probs))",
    ),
    (
        "12 q3",
        _fn("loss_from_probs(probs, y)", "return nll_loss_like_torch(xl.log_softmax(probs), y)"),
        "nll(log_softmax(probs)): double softmax",
    ),
    (
        "12 q3",
        _fn("loss_from_probs(probs, y)", "return nll_loss_like_torch(np.log(1 - probs), y)"),
        "nll(log(1 - p)): wrong branch",
    ),
    (
        "12 q4",
        _fn(
            "step(W, X, y)",
            "lr = 0.5",
            "_, grad = xl.cross_entropy_with_grad(y, logits=X @ W, reduction='sum')",
            "return W - lr * X.T @ grad / X.shape[1]",
        ),
        "divide by D instead of N",
    ),
    (
        "12 q4",
        _fn(
            "step(W, X, y)",
            "lr = 0.5",
            "_, grad = xl.cross_entropy_with_grad(y, logits=X @ W)",
            "return W - lr * X.T @ grad / len(y)",
        ),
        "the mean AND /N again",
    ),
    (
        "12 q4",
        _fn(
            "step(W, X, y)",
            "lr = 0.5",
            "_, grad = xl.cross_entropy_with_grad(y, logits=X @ W, reduction='sum')",
            "return W - lr * np.clip(X.T @ grad, -1, 1)",
        ),
        "gradient clipping to ±1",
    ),
    (
        "12 q4",
        _fn(
            "step(W, X, y)",
            "lr = 0.5",
            "_, grad = xl.cross_entropy_with_grad(y, logits=X @ W)",
            "return W + lr * X.T @ grad",
        ),
        "ascent with the mean",
    ),
    (
        "12 q4",
        _fn(
            "step(W, X, y)",
            "lr = 0.0005",
            "_, grad = xl.cross_entropy_with_grad(y, logits=X @ W, reduction='sum')",
            "return W - lr * X.T @ grad",
        ),
        "lr fixed at 0.0005 (not 0.5/N)",
    ),
    (
        "12 q4",
        _fn(
            "step(W, X, y)",
            "lr = 0.5",
            "_, grad = xl.cross_entropy_with_grad(y, logits=X @ W, reduction='sum')",
            "g = X.T @ grad",
            "return W - lr * g / np.linalg.norm(g)",
        ),
        "normalised gradient direction",
    ),
    (
        "12 q4",
        _fn(
            "step(W, X, y)",
            "lr = 0.5",
            "_, grad = xl.cross_entropy_with_grad(y, logits=X @ W, reduction='sum')",
            "return W - lr * X.T @ grad / np.sqrt(len(y))",
        ),
        "divide by √N",
    ),
    (
        "12 q5",
        _fn(
            "weighted_loss(logits, y, weight)",
            "per_sample = -xl.log_softmax(logits)[np.arange(len(y)), y]",
            "return np.sum(weight[y] * per_sample) / np.sum(weight)",
        ),
        "÷ Σ of all the class weights",
    ),
    (
        "12 q5",
        _fn(
            "weighted_loss(logits, y, weight)",
            "per_sample = -xl.log_softmax(logits)[np.arange(len(y)), y]",
            "return np.sum(weight[y] * per_sample) / len(y)",
        ),
        "unchanged: ÷ N",
    ),
    (
        "12 q5",
        _fn(
            "weighted_loss(logits, y, weight)",
            "per_sample = -xl.log_softmax(logits)[np.arange(len(y)), y]",
            "return np.mean(per_sample)",
        ),
        "ignores the weights",
    ),
    (
        "12 q5",
        _fn(
            "weighted_loss(logits, y, weight)",
            "per_sample = -xl.log_softmax(logits)[np.arange(len(y)), y]",
            "return np.sum(weight[y] * per_sample) / (len(y) * np.mean(weight))",
        ),
        "÷ N·mean(w)",
    ),
    (
        "12 q5",
        _fn(
            "weighted_loss(logits, y, weight)",
            "per_sample = -xl.log_softmax(logits)[np.arange(len(y)), y]",
            "return np.mean(per_sample) * np.mean(weight)",
        ),
        "mean loss × mean weight",
    ),
    (
        "12 q5",
        _fn(
            "weighted_loss(logits, y, weight)",
            "per_sample = -xl.log_softmax(logits)[np.arange(len(y)), y]",
            "return np.sum(weight[y] * per_sample) / len(weight)",
        ),
        "÷ len(weight) (C)",
    ),
    (
        "12 q5",
        _fn(
            "weighted_loss(logits, y, weight)",
            "per_sample = -xl.log_softmax(logits)[np.arange(len(y)), y]",
            "return np.sum(weight[y] * per_sample) / np.mean(weight[y])",
        ),
        "÷ mean(w[y])",
    ),
    ("12 q6", 0.5, "4/8: the padding counts"),
    ("12 q6", 4.0, "the sum"),
    ("12 q6", 1.33, "4/3"),
    ("12 q6", 0.571, "4/7, off by one"),
    ("12 q6", 80, "percent"),
    ("12 q6", 0.667, "4/6"),
    ("12 q6", 1.6, "8/5"),
    ("12 q6", -100, "the ignore index"),
    ("12 q7", "a", "log-sum-exp"),
    ("12 q7", "c", "float32"),
    ("12 q7", "a or b", "hedge"),
    (
        "12 q8",
        _fn(
            "padded_loss(logits, tokens)",
            "keep = tokens != -100",
            "losses = xl.cross_entropy(np.where(keep, tokens, 0), logits=logits, reduction='none')",
            "return np.mean(np.where(keep, losses, 0.0))",
        ),
        "unchanged",
    ),
    (
        "12 q8",
        _fn(
            "padded_loss(logits, tokens)",
            "keep = tokens != -100",
            "losses = xl.cross_entropy(np.where(keep, tokens, 0), logits=logits, reduction='none')",
            "return np.sum(np.where(keep, losses, 0.0))",
        ),
        "the sum of the kept",
    ),
    (
        "12 q8",
        _fn(
            "padded_loss(logits, tokens)",
            "keep = tokens != -100",
            "losses = xl.cross_entropy(np.where(keep, tokens, 0), logits=logits, reduction='none')",
            "return np.mean(losses)",
        ),
        "the mean over all, padding labelled class 0",
    ),
    (
        "12 q8",
        _fn(
            "padded_loss(logits, tokens)",
            "keep = tokens != -100",
            "losses = xl.cross_entropy(np.where(keep, tokens, 0), logits=logits, reduction='none')",
            "return np.sum(np.where(keep, losses, 0.0)) / np.sum(~keep)",
        ),
        "÷ the number of padding positions",
    ),
    (
        "12 q8",
        _fn(
            "padded_loss(logits, tokens)",
            "keep = tokens != -100",
            "losses = xl.cross_entropy(np.where(keep, tokens, 0), logits=logits, reduction='none')",
            "return np.sum(np.where(keep, losses, 0.0)) / (np.sum(keep) - 1)",
        ),
        "÷ (real - 1)",
    ),
    (
        "12 q8",
        _fn(
            "padded_loss(logits, tokens)",
            "keep = tokens >= -100",
            "losses = xl.cross_entropy(np.where(tokens != -100, tokens, 0), logits=logits, reduction='none')",
            "return np.sum(np.where(keep, losses, 0.0)) / np.sum(keep)",
        ),
        "the wrong mask t >= -100: keeps all",
    ),
    (
        "12 q9",
        _fn("keras_loss(logits, y)", "return np.mean(keras_crossentropy(y, xl.softmax(logits)))"),
        "keras_crossentropy(y, softmax(logits)): clips",
    ),
    (
        "12 q9",
        _fn("keras_loss(logits, y)", "return np.mean(keras_crossentropy(y, np.exp(logits)))"),
        "keras_crossentropy(y, exp(logits)): naive softmax via its normalisation",
    ),
    (
        "12 q9",
        _fn(
            "keras_loss(logits, y)",
            "e = np.exp(logits)",
            "p = e / e.sum(axis=1, keepdims=True)",
            "return -np.mean(np.log(p[np.arange(len(y)), y]))",
        ),
        "naive -mean log softmax",
    ),
    (
        "12 q9",
        _fn("keras_loss(logits, y)", "return xl.cross_entropy(y, probs=xl.softmax(logits))"),
        "xl.cross_entropy(y, probs=softmax(z))",
    ),
    (
        "12 q9",
        _fn(
            "keras_loss(logits, y)",
            "probs = np.clip(xl.softmax(logits), 1e-300, 1 - 1e-300)",
            "return -np.mean(np.log(probs[np.arange(len(y)), y]))",
        ),
        "keras_crossentropy with eps = 1e-300",
    ),
    (
        "12 q9",
        _fn("keras_loss(logits, y)", "return xl.cross_entropy(y, logits=logits, reduction='sum')"),
        "sum instead of mean",
    ),
    (
        "12 q9",
        _fn("keras_loss(logits, y)", "return np.mean(keras_crossentropy(y, logits))"),
        "unchanged",
    ),
    (
        "12 q10",
        _fn(
            "clipped_loss(logits, y)",
            "probs = np.clip(xl.softmax(logits), 1e-300, 1 - 1e-300)",
            "return -np.mean(np.log(probs[np.arange(len(y)), y]))",
        ),
        "a smaller eps, 1e-300",
    ),
    (
        "12 q10",
        _fn(
            "clipped_loss(logits, y)",
            "probs = xl.softmax(logits)",
            "return -np.mean(np.log(probs[np.arange(len(y)), y]))",
        ),
        "no clip: log 0 → inf",
    ),
    (
        "12 q10",
        _fn(
            "clipped_loss(logits, y)",
            "probs = xl.softmax(logits)",
            "return -np.mean(np.log(probs[np.arange(len(y)), y] + 1e-12))",
        ),
        "+1e-12 inside the log",
    ),
    (
        "12 q10",
        _fn(
            "clipped_loss(logits, y)",
            "lse = np.log(np.sum(np.exp(logits), axis=1))",
            "return np.mean(lse - logits[np.arange(len(y)), y])",
        ),
        "naive log-sum-exp (overflow)",
    ),
    (
        "12 q10",
        _fn(
            "clipped_loss(logits, y)",
            "m = np.max(logits)",
            "lse = m + np.log(np.sum(np.exp(logits - m), axis=1))",
            "return np.mean(lse - logits[np.arange(len(y)), y])",
        ),
        "global max shift",
    ),
    (
        "12 q10",
        _fn(
            "clipped_loss(logits, y)",
            "return np.mean(xl.log_softmax(logits)[np.arange(len(y)), y])",
        ),
        "sign",
    ),
]

# Right answers of theirs that must stay right (and two the checker used to reject).
SECOND_LEARNER_RIGHT = [
    ("03 q1", "7/10", "a fraction typed as text: read since round 15"),
    ("00 q1", "1.386", "the right value typed as text (it used to be rejected)"),
    ("05 q1", [[-0.335, 0.245, 0.0900]], "a (1, 3) nested list (it used to be rejected)"),
    ("00 q4", _fn("average_loss(q_true)", "return -np.mean(np.log(q_true))"), "the fix"),
    ("00 q4", _fn("average_loss(q_true)", "return np.mean(-np.log(q_true))"), "minus inside"),
    (
        "00 q4",
        _fn("average_loss(q_true)", "return sum(-math.log(x) for x in q_true) / len(q_true)"),
        "sum(-log)/len",
    ),
    ("00 q4", _fn("average_loss(q_true)", "return np.log(1 / q_true).mean()"), "log(1/q).mean()"),
    (
        "00 q4",
        _fn("average_loss(q_true)", "return -np.log(np.exp(np.mean(np.log(q_true))))"),
        "-log of the geometric mean",
    ),
    (
        "00 q4",
        _fn(
            "average_loss(q_true)",
            "total = 0.0",
            "for x in q_true:",
            "    total += -math.log(x)",
            "return total / len(q_true)",
        ),
        "a Python loop",
    ),
    ("06 q3", _fn("update(W, grad, lr)", "return W - lr * grad"), "W - lr*grad"),
    ("06 q3", _fn("update(W, grad, lr)", "return np.subtract(W, lr * grad)"), "np.subtract"),
    (
        "06 q3",
        _fn("update(W, grad, lr)", "W = W.copy()", "W -= lr * grad", "return W"),
        "copy then -=",
    ),
    ("06 q3", _fn("update(W, grad, lr)", "W -= lr * grad", "return W"), "in place, returned"),
    ("06 q3", _fn("update(W, grad, lr)", "return W + (-lr) * grad"), "W + (-lr)*grad"),
    (
        "07 q5",
        train_net({}),
        "logits=Z: the fix",
    ),
    (
        "10 q5",
        _fn(
            "se_grad(logits, y)",
            "q = xl.softmax(logits)",
            "g = 2 * (q - np.eye(logits.shape[1])[y])",
            "return q * (g - np.sum(q * g, axis=1, keepdims=True)) / len(y)",
        ),
        "fused q⊙(g - q·g)/N",
    ),
    (
        "10 q5",
        _fn(
            "se_grad(logits, y)",
            "q = xl.softmax(logits)",
            "N, C = q.shape",
            "g = 2 * (q - np.eye(C)[y])",
            "out = np.empty_like(q)",
            "for i in range(N):",
            "    J = np.diag(q[i]) - np.outer(q[i], q[i])",
            "    out[i] = J.T @ g[i]",
            "return out / N",
        ),
        "explicit Jacobian loop",
    ),
    (
        "10 q5",
        _fn("se_grad(logits, y)", "return xl.squared_error_with_grad(y, logits=logits)[1]"),
        "xl.squared_error_with_grad",
    ),
    (
        "10 q5",
        _fn(
            "se_grad(logits, y)",
            "q = xl.softmax(logits)",
            "C = q.shape[1]",
            "g = 2 * (q - np.eye(C)[y])",
            "J = np.einsum('ni,ij->nij', q, np.eye(C)) - np.einsum('ni,nj->nij', q, q)",
            "return np.einsum('nij,nj->ni', J, g) / len(y)",
        ),
        "einsum with J (not transposed: symmetric)",
    ),
    (
        "12 q4",
        _fn(
            "step(W, X, y)",
            "lr = 0.5",
            "_, grad = xl.cross_entropy_with_grad(y, logits=X @ W)",
            "return W - lr * X.T @ grad",
        ),
        "reduction='mean'",
    ),
    (
        "12 q4",
        _fn(
            "step(W, X, y)",
            "lr = 0.5",
            "_, grad = xl.cross_entropy_with_grad(y, logits=X @ W, reduction='sum')",
            "return W - lr * X.T @ (grad / len(y))",
        ),
        "the sum, then the gradient / N",
    ),
    (
        "12 q4",
        _fn(
            "step(W, X, y)",
            "lr = 0.5 / len(y)",
            "_, grad = xl.cross_entropy_with_grad(y, logits=X @ W, reduction='sum')",
            "return W - lr * X.T @ grad",
        ),
        "the sum, lr / N",
    ),
]
