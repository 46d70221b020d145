"""SoftmaxRegression and TinyMLP: objective, gradients, determinism, API and bad input."""

import inspect
import itertools

import numpy as np
import pytest

import xentlib as xl
from xentlib.datasets import make_blobs, make_spirals
from xentlib.models import NotFittedError, SoftmaxRegression, TinyMLP

MODELS = {"softmax": SoftmaxRegression, "mlp": lambda **kw: TinyMLP(hidden=5, **kw)}


@pytest.fixture
def blobs():
    X, y = make_blobs(120, spread=1.5, seed=3)
    return (X - X.mean(0)) / X.std(0), y


@pytest.mark.parametrize("name", sorted(MODELS))
@pytest.mark.parametrize("n_classes", [2, 3, 5])
def test_loss_at_initialisation_is_ln_c(name, n_classes):
    X, y = make_blobs(100, n_classes=n_classes, seed=0)
    model = MODELS[name](epochs=3).fit(X, y)
    assert model.history_["loss"][0] == pytest.approx(np.log(n_classes), abs=1e-12)
    assert model.history_["loss"][2] < model.history_["loss"][0]


@pytest.mark.parametrize("name", sorted(MODELS))
@pytest.mark.parametrize(
    "options",
    [{}, {"l2": 0.1}, {"class_weight": "balanced"}, {"label_smoothing": 0.2, "l2": 0.05}],
    ids=["plain", "l2", "weights", "smoothing+l2"],
)
def test_backprop_matches_central_differences(name, options, blobs):
    X, y = blobs[0][:30], blobs[1][:30]
    model = MODELS[name](epochs=5, lr=0.1, **options).fit(X, y)  # away from the init
    targets = model._targets(model._encode(y, len(y)))
    _, grads, _ = model._objective(X, targets, need_grad=True)
    for param, grad in zip(model._params(), grads, strict=True):

        def objective(values, param=param):
            saved = param.copy()
            param[...] = values
            try:
                return model._objective(X, targets, need_grad=False)[0]
            finally:
                param[...] = saved

        numeric = xl.numerical_gradient(objective, param.copy())
        assert xl.relative_error(grad, numeric) < 1e-6


def test_loss_method_is_the_training_objective(blobs):
    X, y = blobs
    model = SoftmaxRegression(l2=0.3, class_weight={0: 2.0}, label_smoothing=0.1).fit(X, y)
    logits = X @ model.coef_ + model.intercept_
    expected = xl.cross_entropy(
        y, logits=logits, weight=np.array([2.0, 1.0, 1.0]), label_smoothing=0.1
    ) + 0.15 * np.sum(model.coef_**2)
    assert model.loss(X, y) == pytest.approx(expected, rel=1e-12)
    # history_ logs the objective at the start of each full-batch epoch: epoch k's entry
    # is the final objective of the same model trained for k epochs
    options = {"l2": 0.3, "class_weight": {0: 2.0}, "label_smoothing": 0.1}
    shorter = SoftmaxRegression(epochs=199, **options).fit(X, y)
    assert model.history_["loss"][-1] == pytest.approx(shorter.loss(X, y), rel=1e-12)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_same_seed_is_bit_identical_and_seeds_matter(name, blobs):
    X, y = blobs
    fit = lambda seed: MODELS[name](batch_size=16, epochs=5, seed=seed).fit(X, y)  # noqa: E731
    a, b, c = fit(1), fit(1), fit(2)
    assert np.array_equal(a.predict_proba(X), b.predict_proba(X))
    assert a.history_ == b.history_
    assert not np.array_equal(a.predict_proba(X), c.predict_proba(X))


def test_full_batch_gradient_descent_decreases_the_loss(blobs):
    history = SoftmaxRegression(epochs=50).fit(*blobs).history_["loss"]
    assert all(b <= a + 1e-12 for a, b in itertools.pairwise(history))


@pytest.mark.parametrize("name", sorted(MODELS))
def test_a_diverging_run_stops_with_a_clear_warning(name, blobs):
    X, y = blobs
    with pytest.warns(RuntimeWarning, match=r"diverged at epoch \d+: .* lr=1e\+300 is too large"):
        model = MODELS[name](lr=1e300, epochs=50).fit(X * 1e10, y)
    history = model.history_["loss"]
    assert not history[-1] <= 100 * history[0]  # overflowed, or ran away past 100×
    assert len(history) < 50 and model.diverged_
    with pytest.raises(ValueError, match="diverged during fit, so it cannot predict"):
        model.predict(X)


def test_history_callback_and_validation(blobs):
    X, y = blobs
    calls = []

    def stop_after_four(model, epoch, logs):
        calls.append((epoch, sorted(logs)))
        return epoch < 3

    model = SoftmaxRegression(epochs=100).fit(
        X[:80], y[:80], validation_data=(X[80:], y[80:]), callback=stop_after_four
    )
    assert len(calls) == 4 and calls[-1][0] == 3
    assert sorted(model.history_) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert all(len(v) == 4 for v in model.history_.values())
    assert model.history_["val_loss"][-1] == pytest.approx(model.loss(X[80:], y[80:]))


def test_attributes_and_original_labels_are_kept():
    X, y = make_blobs(90, seed=0)
    labels = np.array([3, 7, 9])[y]
    model = SoftmaxRegression().fit(X, labels)
    assert model.coef_.shape == (2, 3) and model.intercept_.shape == (3,)
    assert model.classes_.tolist() == [3, 7, 9]
    assert set(model.predict(X).tolist()) <= {3, 7, 9}
    assert model.score(X, labels) == pytest.approx(np.mean(model.predict(X) == labels))
    np.testing.assert_allclose(model.predict_proba(X).sum(axis=1), 1.0)


def test_tiny_mlp_learns_spirals_where_the_linear_model_cannot():
    X, y = make_spirals(300, seed=0)
    assert TinyMLP().fit(X, y).score(X, y) >= 0.97
    assert SoftmaxRegression().fit(X, y).score(X, y) < 0.7


def test_converges_to_scikit_learns_optimum():
    sklearn = pytest.importorskip("sklearn.linear_model")
    X, y = make_blobs(400, spread=1.5, seed=1)
    X = (X - X.mean(0)) / X.std(0)
    l2 = 0.01
    ref = sklearn.LogisticRegression(C=1 / (len(X) * l2), tol=1e-12, max_iter=10_000).fit(X, y)
    ours = SoftmaxRegression(l2=l2, epochs=1500).fit(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_.T, atol=1e-4)
    np.testing.assert_allclose(
        ours.intercept_ - ours.intercept_.mean(), ref.intercept_ - ref.intercept_.mean(), atol=1e-4
    )
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-4)


# ---- bad input ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("X", "y", "error", "match"),
    [
        (np.zeros(5), np.zeros(5, int), ValueError, r"X must be 2-D .*reshape\(-1, 1\)"),
        ([[0.0, np.nan], [1.0, 1.0]], [0, 1], ValueError, "NaN or infinity .* row 0"),
        ([[0.0, 1.0], [1.0, np.inf]], [0, 1], ValueError, "NaN or infinity .* row 1"),
        (np.zeros((4, 2)), [0, 1, 1], ValueError, "3 labels but X has 4 rows"),
        (np.zeros((3, 2)), [0.5, 1.0, 0.0], ValueError, "whole-number class labels"),
        (np.zeros((3, 2)), ["a", "b", "a"], TypeError, "integer class labels"),
        (np.zeros((3, 2)), [1, 1, 1], ValueError, "single class"),
    ],
    ids=["1-D X", "NaN", "inf", "length", "fractional labels", "string labels", "one class"],
)
def test_bad_training_data_is_explained(X, y, error, match):
    with pytest.raises(error, match=match):
        SoftmaxRegression().fit(X, y)


def test_predict_before_fit_and_feature_mismatch(blobs):
    X, y = blobs
    with pytest.raises(NotFittedError, match=r"not fitted yet: call \.fit"):
        TinyMLP().predict(X)
    model = SoftmaxRegression(epochs=2).fit(X, y)
    with pytest.raises(ValueError, match=r"X has 3 features, but .* fitted with 2"):
        model.predict(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="labels not seen in fit"):
        model.loss(X[:2], [0, 8])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"lr": 0}, "lr must be a positive finite number"),
        ({"epochs": 0}, "epochs must be an integer ≥ 1"),
        ({"batch_size": 0}, "batch_size must be an integer ≥ 1"),
        ({"l2": -1}, r"l2 must be a number ≥ 0 \(finite\)"),
        ({"label_smoothing": 1.0}, r"label_smoothing must be a number in \[0, 1\)"),
    ],
)
def test_bad_hyperparameters_are_explained(kwargs, match):
    with pytest.raises(ValueError, match=match):
        SoftmaxRegression(**kwargs)


def test_bad_class_weight_is_explained(blobs):
    with pytest.raises(ValueError, match="one weight per class"):
        SoftmaxRegression(class_weight=[1.0, 2.0]).fit(*blobs)
    with pytest.raises(ValueError, match=r"names classes \[5\] that are not in y"):
        SoftmaxRegression(class_weight={5: 2.0}).fit(*blobs)
    with pytest.raises(ValueError, match="activation must be one of 'tanh', 'relu'"):
        TinyMLP(activation="sigmoid")


def test_repr_lists_the_hyperparameters():
    assert repr(TinyMLP(hidden=8)).startswith("TinyMLP(hidden=8, activation='tanh', lr=1.0")
    assert "l2=0.1" in repr(SoftmaxRegression(l2=0.1))


# ---- never a silent failure (the cases a reviewer found) ----------------------------------
@pytest.mark.parametrize("name", sorted(MODELS))
@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"lr": np.nan}, ValueError, "lr must be a positive finite number .* got nan"),
        ({"lr": np.inf}, ValueError, "lr must be a positive finite number .* got inf"),
        ({"l2": np.nan}, ValueError, "l2 must be a number ≥ 0 .* got nan"),
        ({"epochs": 10.5}, TypeError, "epochs must be an integer"),
        ({"lr": "0.1"}, TypeError, "lr must be a positive finite number .* got '0.1'"),
        ({"seed": -1}, ValueError, "seed must be an integer ≥ 0"),
        ({"class_weight": {0: -1.0}}, ValueError, r"class_weight\[0\] must be a number ≥ 0"),
        ({"class_weight": [0.0, 0.0, 0.0]}, ValueError, "at least one positive entry"),
        ({"class_weight": "balance"}, ValueError, "class_weight must be None or 'balanced'"),
    ],
    ids=[
        "lr-nan",
        "lr-inf",
        "l2-nan",
        "epochs-float",
        "lr-text",
        "seed",
        "cw-neg",
        "cw-zero",
        "cw-typo",
    ],
)
def test_bad_hyperparameters_are_rejected_at_construction(name, kwargs, error, match):
    with pytest.raises(error, match=match):
        MODELS[name](**kwargs)


@pytest.mark.parametrize("cls", [SoftmaxRegression, TinyMLP])
def test_unknown_arguments_name_the_public_class_and_list_the_valid_ones(cls):
    with pytest.raises(TypeError) as info:
        cls(learning_rate=0.1)
    message = str(info.value)
    assert message.startswith(f"{cls.__name__}() got an unexpected keyword argument")
    assert "Did you mean lr=…?" in message and "Its arguments are: " in message
    assert "_CrossEntropyClassifier" not in message
    with pytest.raises(
        TypeError, match=r"C is the inverse of the penalty: use l2 = 1 / \(C · n_samples\)"
    ):
        cls(C=1.0)
    with pytest.raises(TypeError, match=f"{cls.__name__} takes keyword arguments only"):
        cls(0.1)
    assert list(inspect.signature(cls).parameters)[:3] == (
        ["lr", "epochs", "batch_size"]
        if cls is SoftmaxRegression
        else ["hidden", "activation", "lr"]
    )


def test_weights_that_switch_off_every_class_in_y_are_an_error(blobs):
    with pytest.raises(ValueError, match="gives every class weight 0"):
        SoftmaxRegression(class_weight={0: 0.0, 1: 0.0, 2: 0.0}).fit(*blobs)


def test_no_feature_columns_is_an_error():
    with pytest.raises(
        ValueError, match=r"X has shape \(10, 0\): it needs at least one .* feature"
    ):
        TinyMLP().fit(np.zeros((10, 0)), np.arange(10) % 2)


@pytest.mark.parametrize(
    ("make_X", "lr", "match"),
    [
        (lambda X: X, 1e4, r"stable for lr < 2/L = \d"),
        (lambda X: X * 1000 + 5000, 0.5, "not standardised .* standardise them"),
    ],
    ids=["lr 1e4", "unstandardised features"],
)
def test_divergence_is_detected_with_cause_and_fix(blobs, make_X, lr, match):
    X, y = blobs
    with pytest.warns(RuntimeWarning, match=match):
        model = SoftmaxRegression(lr=lr, epochs=200).fit(make_X(X), y)
    history = model.history_["loss"]
    assert model.diverged_ and len(history) < 200
    assert not history[-1] <= 100 * history[0]  # stopped at the first epoch past 100× (or inf)
    with pytest.raises(ValueError, match="diverged during fit"):
        model.predict(make_X(X))


def test_a_healthy_run_is_not_called_diverged(blobs):
    model = TinyMLP(hidden=8, lr=2.0, epochs=300).fit(*blobs)
    assert not model.diverged_ and len(model.history_["loss"]) == 300


def test_a_spike_that_recovers_is_left_alone():
    X, y = make_spirals(300, seed=0)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning at all
        model = TinyMLP(lr=4.0, epochs=2000).fit(X, y)
    history = model.history_["loss"]
    assert max(history) > 30 * history[0]  # a large spike on the way ...
    assert history[-1] < 0.05 and not model.diverged_  # ... and a model that learned


def test_a_run_that_ends_above_its_start_is_warned_about():
    from xentlib.datasets import make_moons

    X, y = make_moons(200, seed=0)
    with pytest.warns(RuntimeWarning, match=r"went from 0\.693 to 6\.18, above where it started"):
        model = TinyMLP(hidden=8, lr=8.0, epochs=3).fit(X, y)
    assert model.diverged_ and len(model.history_["loss"]) == 3


@pytest.mark.parametrize("n", [10, 5000])
def test_the_count_of_correct_rows_is_argmaxs(n):
    """``_n_correct`` (column-wise for many rows) counts exactly the rows whose argmax (the
    first of tied maxima) is the target, with ties, ±inf and NaN rows."""
    from xentlib.losses import Targets
    from xentlib.models import _n_correct

    rng = np.random.default_rng(5)
    y = rng.integers(0, 3, size=n)
    z = np.asfortranarray(rng.integers(-2, 3, size=(n, 3)).astype(float))  # many ties
    z[:4] = [[np.nan, 0, 0], [np.inf, np.inf, 0], [-np.inf, -np.inf, -np.inf], [1, np.nan, 5]]
    t = Targets.from_indices(y, 3)
    with np.errstate(invalid="ignore"):
        assert _n_correct(z, t) == int(np.count_nonzero(z.argmax(axis=1) == y))
        assert _n_correct(np.zeros((n, 3), order="F"), t) == int(np.count_nonzero(y == 0))


def test_a_mini_batch_of_a_class_weighted_zero_is_a_step_without_loss():
    """With batch_size=1 and a class weighted 0, some batches weigh nothing: their loss is 0
    and their gradient too (it used to be a ZeroDivisionError)."""
    X, y = xl.datasets.make_blobs(60, seed=0)
    model = xl.SoftmaxRegression(class_weight={0: 0.0, 1: 1.0, 2: 1.0}, batch_size=1, epochs=3)
    model.fit(X, y)
    assert np.all(np.isfinite(model.history_["loss"]))
    assert model.history_["loss"][-1] < model.history_["loss"][0]
