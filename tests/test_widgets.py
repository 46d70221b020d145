"""Explorers, driven headlessly through the protocol: controls, state, figure, close."""

import asyncio
import io
import re

import numpy as np
import pytest
from PIL import Image

from xentlib import widgets
from xentlib.widgets import EXPLORERS, probability_state
from xentlib.widgets._controls import Button, Choice, Slider

NAMES = sorted(EXPLORERS)


def _settings(control):
    """The extremes and the middle of what a control allows (a button: one click)."""
    if isinstance(control, Button):
        return ["click"]
    if hasattr(control, "options") and control.options:
        return [opt if not isinstance(opt, tuple) else opt[1] for opt in control.options]
    if isinstance(control, Slider):
        middle = (control.min + control.max) / 2
        return [control.min, control.max, round(middle) if control.integer else middle]
    return [control.value]


@pytest.fixture(params=NAMES)
def explorer(request):
    exp = EXPLORERS[request.param]()
    yield exp
    exp.close()


def test_protocol_attributes(explorer):
    assert explorer.controls and explorer.state
    assert explorer.figure.axes
    bundle, _metadata = explorer._repr_mimebundle_()
    assert "text/plain" in bundle and "application/vnd.jupyter.widget-view+json" in bundle
    assert all(getattr(c, "description", "") for c in explorer.controls.values()), (
        "every control needs a description"
    )
    for name, control in explorer.controls.items():
        assert isinstance(control, Button) or hasattr(control, "value"), name


def test_every_control_value_is_safe_and_updates_state(explorer):
    for name, control in explorer.controls.items():
        for value in _settings(control):
            if value == "click":
                before = {k: v for k, v in explorer.state.items() if np.isscalar(v)}
                control.click()
                after = {k: v for k, v in explorer.state.items() if np.isscalar(v)}
                assert after != before, f"clicking {name!r} changed nothing in the state"
            else:
                control.value = value
            state = explorer.state
            for key, val in state.items():
                if isinstance(val, (float, np.ndarray)):
                    assert not np.any(np.isnan(val)), f"{name}={value!r} gave NaN in state[{key!r}]"


def test_figure_changes_when_a_control_moves(explorer):
    # Render before and after moving the first slider: what the learner sees must change.
    control = next(iter(explorer.controls.values()))
    settings = _settings(control)
    control.value = settings[0]
    before = explorer.view.png
    control.value = settings[1]
    assert explorer.view.png != before


# ---- arguments: checked before any widget is built ------------------------------------
NAN = float("nan")
Z2 = [[0.0, 1.0], [1.0, 0.0]]  # the logits of two examples, two classes
BAD_ARGUMENTS = {  # factory → (id, keyword arguments, exception, what the message says)
    "probability_explorer": [
        ("q-above-1", {"q": 1.5}, ValueError, r"q must be a number between 0 and 1"),
        ("q-text", {"q": "half"}, TypeError, r"^q must be a number"),
        ("unit-dB", {"unit": "dB"}, ValueError, r"unit must be one of 'nats', 'bits'"),
    ],
    "entropy_explorer": [
        ("theta-below-0", {"theta": -0.1}, ValueError, r"theta must be a number between 0 and 1"),
        ("unit-dB", {"unit": "dB"}, ValueError, r"unit must be one of 'bits', 'nats'"),
    ],
    "distribution_explorer": [
        ("p-two-weights", {"p": (0.5, 0.5)}, ValueError, r"p must hold 3 numbers"),
        ("q-nan", {"q": (0.5, NAN, 0.1)}, ValueError, r"q\[1\] must be .*got nan"),
        ("p-above-1", {"p": (0.5, 1.5, 0)}, ValueError, r"p\[1\] .* between 0 and 1"),
        ("q-text", {"q": "uniform"}, TypeError, r"q must be numbers"),
    ],
    "logits_explorer": [
        ("logits-nan", {"logits": (NAN, 0, 0)}, ValueError, r"logits\[0\] must be .*got nan"),
        ("logits-two", {"logits": (1.0, 2.0)}, ValueError, r"logits must hold 3 numbers"),
        ("logits-four", {"logits": (1, 2, 3, 4)}, ValueError, r"logits must hold 3 numbers"),
        (
            "logits-above-50",
            {"logits": (60, 0, 0)},
            ValueError,
            r"logits\[0\] .* between -50 and 50",
        ),
        ("temperature-0", {"temperature": 0}, ValueError, r"temperature .* between 0.1 and 5"),
        ("true_class-5", {"true_class": 5}, ValueError, r"true_class .* between 0 and 2"),
        ("true_class-float", {"true_class": 1.0}, TypeError, r"true_class must be an integer"),
    ],
    "simplex_explorer": [
        ("weights-two", {"weights": (1, 1)}, ValueError, r"weights must hold 3 numbers"),
        ("weights-negative", {"weights": (-0.1, 0.5, 0.5)}, ValueError, r"weights\[0\] .* 0 and 1"),
        ("true_class-3", {"true_class": 3}, ValueError, r"true_class .* between 0 and 2"),
        ("loss-hinge", {"loss": "hinge"}, ValueError, r"loss must be one of 'cross_entropy'"),
    ],
    "calibration_explorer": [
        ("temperature-0", {"temperature": 0}, ValueError, r"temperature .* 0.25 and 4"),
        ("temperature-10", {"temperature": 10.0}, ValueError, r"temperature .* 0.25 and 4"),
        ("n_bins-0", {"n_bins": 0}, ValueError, r"n_bins must be an integer between 5"),
        ("n_bins-float", {"n_bins": 7.5}, TypeError, r"n_bins must be an integer"),
        (
            "logits-nan",
            {"logits": [[0.0, NAN], [1.0, 0.0]], "y": [0, 1]},
            ValueError,
            r"logits must be finite, but row 0",
        ),
        (
            "y-out-of-range",
            {"logits": Z2, "y": [0, 2]},
            ValueError,
            r"y must hold class indices 0 … 1 .* contains 2",
        ),
        (
            "y-too-long",
            {"logits": Z2, "y": [0, 1, 1]},
            ValueError,
            r"y has 3 labels",
        ),
        ("logits-1d", {"logits": [0.0, 1.0], "y": [0]}, ValueError, r"logits must have"),
        ("logits-without-y", {"logits": np.zeros((3, 2))}, ValueError, r"pass both logits and y"),
        (
            "validation-not-a-pair",
            {"logits": Z2, "y": [0, 1], "validation": [0.0, 1.0, 2.0]},
            TypeError,
            r"validation must be a pair \(val_logits, y_val\)",
        ),
        (
            "validation-three-classes",
            {"logits": Z2, "y": [0, 1], "validation": (np.zeros((3, 3)), [0, 1, 2])},
            ValueError,
            r"validation\[0\] \(its logits\) must have 2 columns, like logits",
        ),
        (
            "validation-nan",
            {"logits": Z2, "y": [0, 1], "validation": ([[0.0, NAN]], [0])},
            ValueError,
            r"validation\[0\] \(its logits\) must be finite",
        ),
        (
            "validation-without-logits",
            {"validation": (Z2, [0, 1])},
            ValueError,
            r"validation goes with your own logits and y",
        ),
    ],
    "bce_explorer": [
        ("z-above-50", {"z": 60.0}, ValueError, r"z must be a number between -50 and 50"),
        ("z-nan", {"z": NAN}, ValueError, r"z must be .*got nan"),
        ("y-2", {"y": 2}, ValueError, r"y must be an integer between 0 and 1"),
        ("y-float", {"y": 1.0}, TypeError, r"y must be an integer"),
        ("pos_weight-0", {"pos_weight": 0}, ValueError, r"pos_weight .* between 0.25 and 4"),
        ("pos_weight-text", {"pos_weight": "auto"}, TypeError, r"pos_weight must be a number"),
    ],
    "threshold_explorer": [
        ("threshold-0", {"threshold": 0}, ValueError, r"threshold must be a number between 0.01"),
        ("threshold-1", {"threshold": 1.0}, ValueError, r"threshold .* between 0.01 and 0.99"),
        ("threshold-text", {"threshold": "half"}, TypeError, r"threshold must be a number"),
        ("probs-without-y", {"probs": [0.2, 0.7]}, ValueError, r"pass both probs and y"),
        (
            "probs-logits",
            {"probs": [0.2, 3.0], "y": [0, 1]},
            ValueError,
            r"probs must be probabilities between 0 and 1, but it contains 3",
        ),
        ("probs-nan", {"probs": [0.2, NAN], "y": [0, 1]}, ValueError, r"probs must be"),
        (
            "probs-three-columns",
            {"probs": np.full((2, 3), 1 / 3), "y": [0, 1]},
            ValueError,
            r"probs must be P\(minority\) for each point",
        ),
        ("y-2", {"probs": [0.2, 0.7], "y": [0, 2]}, ValueError, r"y must hold 0/1 labels"),
        ("y-too-long", {"probs": [0.2, 0.7], "y": [0, 1, 1]}, ValueError, r"y has 3 labels"),
        ("y-one-class", {"probs": [0.2, 0.7], "y": [0, 0]}, ValueError, r"only the label 0"),
    ],
    "smoothing_explorer": [
        ("context-3", {"context": 3}, ValueError, r"context must be an integer between 0 and 2"),
        ("context-1.5", {"context": 1.5}, TypeError, r"context must be an integer"),
        ("context-text", {"context": "2"}, TypeError, r"context must be an integer"),
        ("log_k-5", {"log_k": -5}, ValueError, r"log_k must be a number between -4 and 1"),
        ("log_k-nan", {"log_k": NAN}, ValueError, r"log_k must be a number"),
    ],
    "softening_explorer": [
        ("digit-10", {"digit": 10}, ValueError, r"digit must be an integer between 0 and 9"),
        ("digit-text", {"digit": "3"}, TypeError, r"digit must be an integer"),
        ("temperature-0.5", {"temperature": 0.5}, ValueError, r"temperature must be a number"),
        ("temperature-nan", {"temperature": NAN}, ValueError, r"temperature must be a number"),
    ],
    "training_playground": [
        ("dataset-mnist", {"dataset": "mnist"}, ValueError, r"dataset must be one of 'blobs'"),
        ("model-cnn", {"model": "cnn"}, ValueError, r"model must be one of 'linear'"),
        ("lr-0", {"lr": 0}, ValueError, r"lr must be a number between 0.01 and 3"),
        ("epochs-0", {"epochs": 0}, ValueError, r"epochs .* between 10 and 3000"),
        ("epochs-float", {"epochs": 100.5}, TypeError, r"epochs must be an integer"),
        ("class_weight-None", {"class_weight": None}, TypeError, r"class_weight must be one of"),
        ("class_weight-auto", {"class_weight": "auto"}, ValueError, r"class_weight must be one of"),
        (
            "label_smoothing-0.5",
            {"label_smoothing": 0.5},
            ValueError,
            r"label_smoothing .* 0 and 0.3",
        ),
    ],
}
BAD_CASES = [(name, *case) for name, cases in BAD_ARGUMENTS.items() for case in cases]


@pytest.mark.parametrize(
    ("name", "kwargs", "error", "message"),
    [(name, kwargs, error, message) for name, _, kwargs, error, message in BAD_CASES],
    ids=[f"{name.removesuffix('_explorer')}-{case_id}" for name, case_id, *_ in BAD_CASES],
)
def test_explorer_rejects_a_bad_argument_before_building_anything(name, kwargs, error, message):
    from ipywidgets.widgets.widget import _instances

    widgets_before = len(_instances)
    with pytest.raises(error, match=message):
        EXPLORERS[name](**kwargs)
    assert len(_instances) == widgets_before, "a widget was built before the check failed"


def test_every_factory_argument_has_a_bad_value_case():
    import inspect

    tried = {(name, key) for name, _, kwargs, _, _ in BAD_CASES for key in kwargs}
    for name, factory in EXPLORERS.items():
        for argument in inspect.signature(factory).parameters:
            assert (name, argument) in tried, f"no test gives {name} a bad {argument}"


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("probability_explorer", {"q": 1, "unit": "bits"}),
        ("entropy_explorer", {"theta": 0, "unit": "nats"}),
        ("distribution_explorer", {"p": np.array([1, 0, 0]), "q": [0, 0, 0]}),
        ("logits_explorer", {"logits": [-50, 50, 0], "temperature": 5, "true_class": np.int64(2)}),
        ("simplex_explorer", {"weights": (0, 0, 1), "true_class": 2, "loss": "zero_one"}),
        ("calibration_explorer", {"temperature": 0.25, "n_bins": 20}),
        ("bce_explorer", {"z": 50, "y": np.int64(0), "pos_weight": 4}),
        ("threshold_explorer", {"probs": [[0.9, 0.1], [0.2, 0.8]], "y": [0, 1], "threshold": 0.99}),
        ("training_playground", {"dataset": "blobs", "epochs": 3000, "label_smoothing": 0.3}),
    ],
    ids=lambda v: v if isinstance(v, str) else "ends",
)
def test_explorer_accepts_the_ends_of_every_range(name, kwargs):
    exp = EXPLORERS[name](**kwargs)
    for key, value in kwargs.items():
        if key in exp.controls:
            assert exp.controls[key].value == value, key
    exp.close()


# ---- probability explorer: pure state ------------------------------------------------
@pytest.mark.parametrize(
    ("q", "nats"),
    [(1.0, 0.0), (0.5, np.log(2)), (np.exp(-1), 1.0), (0.0, np.inf)],
    ids=["certain", "coin", "one-nat", "impossible"],
)
def test_probability_state_values(q, nats):
    state = probability_state(q)
    assert state["q"] == q
    assert state["loss_nats"] == pytest.approx(nats)
    assert state["loss_bits"] == pytest.approx(nats / np.log(2))


def test_probability_state_flags_confident_mistakes():
    assert (
        probability_state(0.05)["confidently_wrong"]
        and not probability_state(0.5)["confidently_wrong"]
    )


def test_probability_state_rejects_unknown_unit():
    with pytest.raises(ValueError, match="unit must be 'nats' or 'bits'"):
        probability_state(0.5, "dits")


def test_probability_explorer_shows_infinity_at_zero():
    exp = widgets.probability_explorer()
    assert "q = 0.50 → loss = −log q = 0.693 nats" in exp.summary()  # the course's notation
    exp.controls["q"].value = 0.0
    assert exp.state["loss"] == np.inf and "∞" in exp.summary()
    exp.controls["unit"].value = "bits"
    assert exp.state["unit"] == "bits" and "∞ bits" in exp.summary()
    main = exp.figure.axes[0]
    labels = {a.get_ylabel() for a in (main, *main.child_axes)}
    assert {"loss (nats)", "loss (bits)"} <= labels, "both units are shown on the axes"
    exp.close()


# ---- painting: blitting shows exactly what a full redraw shows ------------------------
@pytest.mark.parametrize("name", NAMES)
def test_blitted_frame_equals_a_full_redraw(name):
    exp = EXPLORERS[name]()
    full_draws = []
    exp.figure.canvas.mpl_connect("draw_event", full_draws.append)
    sliders = [c for c in exp.controls.values() if isinstance(c, Slider)]
    for control in sliders:
        value = control.min + 0.3 * (control.max - control.min)
        control.value = round(value) if control.integer else value
    assert not full_draws, "moving a slider should repaint by blitting, not redraw everything"
    blitted = np.asarray(exp.figure.canvas.buffer_rgba()).copy()
    exp.update(full=True)
    assert len(full_draws) == 1
    redrawn = np.asarray(exp.figure.canvas.buffer_rgba())
    assert np.array_equal(blitted, redrawn), "the blitted frame differs from a full redraw"
    exp.close()


def test_savefig_includes_the_animated_artists(tmp_path):
    exp = widgets.probability_explorer(q=0.3)
    path = tmp_path / "p.png"
    exp.figure.savefig(path)
    saved = plt_imread(path)
    exp.update(full=True)
    shown = np.asarray(exp.figure.canvas.buffer_rgba()) / 255.0
    assert saved.shape == shown.shape and np.abs(saved - shown).max() < 1e-6
    exp.close()


def plt_imread(path):
    import matplotlib.image

    return matplotlib.image.imread(path)


# ---- entropy explorer -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("theta", "bits"), [(0.5, 1.0), (0.0, 0.0), (1.0, 0.0), (0.25, 0.8112781244591328)]
)
def test_coin_state_entropy(theta, bits):
    state = widgets.coin_state(theta)
    assert state["entropy"] == pytest.approx(bits, abs=1e-12)
    nats = widgets.coin_state(theta, "nats")["entropy"]
    assert nats == pytest.approx(bits * np.log(2), abs=1e-12)


def test_coin_state_entropy_is_the_average_surprise():
    s = widgets.coin_state(0.2)
    average = 0.2 * s["surprisal_heads"] + 0.8 * s["surprisal_tails"]
    assert s["entropy"] == pytest.approx(average)
    with pytest.raises(ValueError, match="unit must be 'bits' or 'nats'"):
        widgets.coin_state(0.2, "dits")


# ---- distribution explorer ------------------------------------------------------------
def test_distribution_state_identity_and_asymmetry():
    s = widgets.distribution_state([0.6, 0.3, 0.1], [0.2, 0.2, 0.6])
    assert s["cross_entropy"] == pytest.approx(s["entropy"] + s["kl"])
    assert abs(s["identity_gap"]) < 1e-12
    assert s["kl"] > 0 and s["kl_reverse"] > 0 and s["kl"] != pytest.approx(s["kl_reverse"])
    expected = -np.sum(np.array([0.6, 0.3, 0.1]) * np.log([0.2, 0.2, 0.6]))
    assert s["cross_entropy"] == pytest.approx(expected)


def test_distribution_state_normalises_weights_and_handles_zeros():
    s = widgets.distribution_state([2, 1, 1], [0, 0, 0])
    np.testing.assert_allclose(s["p"], [0.5, 0.25, 0.25])
    np.testing.assert_allclose(s["q"], [1 / 3] * 3)
    assert s["uniform_fallback"]
    s = widgets.distribution_state([1, 1, 0], [1, 0, 1])
    assert s["kl"] == np.inf and s["cross_entropy"] == np.inf and s["identity_gap"] == 0.0


def test_distribution_explorer_shows_infinity_when_q_rules_out_an_outcome():
    exp = widgets.distribution_explorer()
    exp.controls["q_bird"].value = 0.0
    assert exp.state["kl"] == np.inf and "∞" in exp.summary()
    exp.close()


# ---- logits explorer ------------------------------------------------------------------
def test_logits_state_matches_the_library():
    import xentlib as xl

    z, y, t = np.array([2.0, -1.0, 0.5]), 1, 0.7
    s = widgets.logits_state(z, t, y)
    np.testing.assert_allclose(s["probs"], xl.softmax(z / t))
    assert s["loss"] == pytest.approx(xl.cross_entropy(y, logits=z / t))
    grad = xl.numerical_gradient(lambda v: xl.cross_entropy(y, logits=v / t), z)
    np.testing.assert_allclose(s["grad"], grad, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(s["softmax_minus_y"], s["grad"] * t)


@pytest.mark.parametrize("temperature", [0.1, 5.0])
def test_logits_state_is_finite_at_the_extremes(temperature):
    s = widgets.logits_state([50.0, -50.0, 0.0], temperature, 1)
    assert np.isfinite(s["loss"]) and np.all(np.isfinite(s["grad"]))
    assert s["loss"] == pytest.approx(100 / temperature, rel=1e-4)  # the logit gap / T


def test_logits_explorer_draws_the_gradient_it_reports():
    # The bars are ∂L/∂z = (q − e_y)/T itself, as the readout says, at every temperature;
    # below T = 1 they can pass ±1 and the axis widens to hold them.
    exp = widgets.logits_explorer()
    for t in (1.0, 0.3, 0.1, 5.0):
        exp.controls["temperature"].value = t
        s = exp.state
        heights = [bar.get_height() for bar in exp.figure.axes[1].patches[:3]]
        np.testing.assert_allclose(heights, s["grad"])
        np.testing.assert_allclose(s["grad"], s["softmax_minus_y"] / t)
        low, high = exp.figure.axes[1].get_ylim()
        assert low <= min(s["grad"]) and max(s["grad"]) <= high
        assert (
            "∂L/∂z = (q − e_y)/T = [" + ", ".join(f"{g:+.3f}" for g in s["grad"]) in exp.summary()
        )
    exp.close()


def test_logits_explorer_marks_the_true_class_even_when_its_bar_is_flat():
    # Confidently wrong, the true class's bar has height ≈ 0: "(true)" stands under its
    # label in both panels, and moves with the true class without changing the tick labels.
    exp = widgets.logits_explorer(logits=(0.0, 6.0, 1.0), true_class=0)
    labels = [[t.get_text() for t in ax.get_xticklabels()] for ax in exp.figure.axes[:2]]
    marks = [t for ax in exp.figure.axes[:2] for t in ax.texts if t.get_text() == "(true)"]
    assert len(marks) == 2 and all(m.get_position()[0] == 0 for m in marks)
    exp.controls["true_class"].value = 2
    assert all(m.get_position()[0] == 2 for m in marks)
    assert [[t.get_text() for t in ax.get_xticklabels()] for ax in exp.figure.axes[:2]] == labels
    exp.close()


# ---- simplex explorer -----------------------------------------------------------------
def test_simplex_coordinates_round_trip():
    from xentlib.widgets.simplex import CORNERS, to_barycentric, to_cartesian

    rng = np.random.default_rng(0)
    p = rng.dirichlet([1, 1, 1], size=50)
    np.testing.assert_allclose(to_barycentric(to_cartesian(p)), p, atol=1e-12)
    np.testing.assert_allclose(to_cartesian(np.eye(3)), CORNERS)


def test_simplex_losses_match_the_library_and_the_numerical_gradient():
    import xentlib as xl
    from xentlib.widgets.simplex import losses_at

    z, y = np.array([0.3, -1.2, 2.0]), 1
    p = xl.softmax(z)
    s = losses_at(p, y)
    assert s["cross_entropy"] == pytest.approx(xl.cross_entropy(y, logits=z))
    assert s["mse"] == pytest.approx(np.sum((p - np.eye(3)[y]) ** 2))
    assert s["zero_one"] == 1.0 and s["push_zero_one"] == 0.0
    for key in ("cross_entropy", "mse"):
        grad = xl.numerical_gradient(lambda v, k=key: float(losses_at(xl.softmax(v), y)[k]), z)
        assert s[f"push_{key}"] == pytest.approx(np.linalg.norm(grad), rel=1e-6)


def test_simplex_state_shows_why_mse_and_zero_one_train_badly():
    # Confidently wrong: cross-entropy pushes the logits hard, squared error barely, 0-1 never.
    s = widgets.simplex_state([0.98, 0.01, 0.01], true_class=2)
    assert s["push_cross_entropy"] > 1.0 > 0.1 > s["push_mse"]
    assert s["push_zero_one"] == 0.0 and s["zero_one"] == 1.0
    assert s["mse"] <= 2.0 < s["cross_entropy"]
    s = widgets.simplex_state([0, 0, 0])
    np.testing.assert_allclose(s["probs"], [1 / 3] * 3)
    assert s["uniform_fallback"]
    with pytest.raises(ValueError, match="loss must be one of"):
        widgets.simplex_state([1, 1, 1], loss="hinge")


def test_simplex_explorer_reads_out_the_models_q():
    exp = widgets.simplex_explorer()
    assert exp.summary().startswith("Simplex explorer: q = [0.20, 0.50, 0.30]: cross-entropy 1.609")
    exp.close()


def test_simplex_explorer_point_follows_a_click():
    from xentlib.widgets.simplex import to_cartesian

    exp = widgets.simplex_explorer()
    ax = exp.figure.axes[0]
    target = to_cartesian([0.1, 0.2, 0.7])
    x, y = ax.transData.transform(target)
    width, height = exp.figure.canvas.get_width_height()
    # As the browser sends it: fractions of the image's width and height, from the top left.
    exp.view._handle_custom_msg({"type": "click", "x": x / width, "y": 1 - y / height}, [])
    np.testing.assert_allclose(exp.state["probs"], [0.1, 0.2, 0.7], atol=0.011)
    assert [exp.controls[f"w{i}"].value for i in range(3)] == pytest.approx(
        [0.1, 0.2, 0.7], abs=0.011
    )
    exp.close()


# ---- BCE explorer -----------------------------------------------------------------------
@pytest.mark.parametrize("y", [0, 1])
@pytest.mark.parametrize("pos_weight", [1.0, 2.5])
def test_bce_state_matches_the_library_and_the_numerical_gradient(y, pos_weight):
    import xentlib as xl

    for z in (-30.0, -2.0, 0.0, 3.5, 45.0):
        s = widgets.bce_state(z, y, pos_weight)
        expected = xl.binary_cross_entropy(float(y), logits=z, pos_weight=pos_weight)
        assert s["loss"] == pytest.approx(float(expected), rel=1e-12)
        grad = xl.numerical_gradient(
            lambda v, y=y: xl.binary_cross_entropy(float(y), logits=v, pos_weight=pos_weight),
            np.array(z),
        )
        assert s["grad"] == pytest.approx(float(grad), rel=1e-6, abs=1e-9)
        if pos_weight == 1.0:
            assert s["grad"] == pytest.approx(xl.sigmoid(z) - y, abs=1e-15)
    np.testing.assert_allclose(
        s["curves"]["stable"],
        xl.binary_cross_entropy(
            np.full(s["curves"]["z"].shape, float(y)),
            logits=s["curves"]["z"],
            pos_weight=pos_weight,
            reduction="none",
        ),
    )


def test_bce_state_shows_where_the_naive_loss_breaks():
    from xentlib.widgets.bce import break_point

    assert break_point(np.float32) == pytest.approx(24 * np.log(2), abs=2e-3)
    assert break_point(np.float64) == pytest.approx(53 * np.log(2), abs=2e-3)
    s = widgets.bce_state(10.0, 0)  # below both break points: all three agree
    assert s["naive"]["float64"] == pytest.approx(s["loss"], rel=1e-9)
    assert s["naive"]["float32"] == pytest.approx(s["loss"], rel=1e-4)
    s = widgets.bce_state(20.0, 0)  # float32 broke, float64 did not
    assert s["naive"]["float32"] == np.inf and s["naive"]["float64"] == pytest.approx(20.0)
    s = widgets.bce_state(40.0, 0)
    assert s["naive"]["float64"] == np.inf and s["loss"] == pytest.approx(40.0)
    s = widgets.bce_state(40.0, 1)  # 0 · log 0
    assert np.isnan(s["naive"]["float64"]) and np.isnan(s["naive"]["float32"])
    assert 0 < s["loss"] < 1e-17 and np.isfinite(s["curves"]["stable"]).all()
    curve = s["curves"]["float32"]
    z = s["curves"]["z"]
    assert np.isfinite(curve[z < 16.6]).all() and np.isnan(curve[z > 16.7]).all()


def test_bce_explorer_readout_names_inf_and_nan():
    exp = widgets.bce_explorer(z=40.0, y=0)
    assert "float64 ∞" in exp.summary() and "float32 ∞" in exp.summary()
    exp.controls["y"].value = 1
    assert "float64 NaN" in exp.summary() and "loss = 4.248e-18 nats" in exp.summary()
    exp.controls["pos_weight"].value = 2.0
    assert exp.state["pos_weight"] == 2.0 and "pos_weight = 2.00" in exp.summary()
    exp.close()


# ---- calibration explorer -------------------------------------------------------------
def test_calibration_state_matches_the_metrics():
    import xentlib as xl

    rng = np.random.default_rng(1)
    z, y = rng.normal(size=(400, 3)) * 3, rng.integers(0, 3, size=400)
    s = widgets.calibration_state(z, y, temperature=2.0, n_bins=8)
    p = xl.softmax(z / 2.0)
    assert s["nll"] == pytest.approx(xl.cross_entropy(y, probs=p))
    assert s["ece"] == pytest.approx(xl.metrics.expected_calibration_error(y, p, n_bins=8))
    assert s["bin_counts"].sum() == 400 and np.all(s["bin_counts"] > 0)
    accuracies = {widgets.calibration_state(z, y, t)["accuracy"] for t in (0.3, 1.0, 3.0)}
    assert len(accuracies) == 1, "a temperature never changes which class is predicted"


def test_calibration_gaps_look_the_same_over_and_above_the_accuracy_bars():
    # An underconfident bin's gap lies on its blue accuracy bar. A translucent fill there would
    # mix with the blue into a dark slate; an unfilled vermillion hatch looks the same anywhere.
    from matplotlib.colors import to_rgba

    from xentlib.plotting import PALETTE

    exp = widgets.calibration_explorer(temperature=4.0)  # underconfident bins
    s = exp.state
    assert np.any(s["bin_accuracy"] > s["bin_confidence"])
    acc_bars, gap_bars = np.split(np.array(exp.figure.axes[0].patches), 2)
    for gap, acc in zip(gap_bars[: len(s["bins"])], acc_bars, strict=False):
        assert gap.get_facecolor()[3] == 0.0 and gap.get_hatch()
        assert gap.get_edgecolor() == to_rgba(PALETTE["vermillion"])
        assert gap.get_zorder() > acc.get_zorder()
    exp.close()


def test_calibration_explorer_fit_button_finds_the_better_temperature():
    import xentlib as xl
    from xentlib.widgets.calibration import overconfident_model

    exp = widgets.calibration_explorer()
    at_one = dict(exp.state)
    assert at_one["mean_confidence"] > at_one["accuracy"], "the built-in model is overconfident"
    # The task asks what fitting does: nothing shows the fitted T before the button is pressed.
    assert exp.controls["fit"].description == "fit T"
    assert at_one["fitted_temperature"] is None and "fitted" not in exp.summary()
    exp.controls["fit"].click()
    (val_logits, y_val), (test_logits, y_test) = overconfident_model()
    fitted = exp.state["fitted_temperature"]
    assert fitted == pytest.approx(xl.metrics.fit_temperature(val_logits, y_val))
    assert fitted != pytest.approx(xl.metrics.fit_temperature(test_logits, y_test), abs=1e-6), (
        "T is fitted on the validation half, never on the test points the explorer shows"
    )
    assert exp.controls["temperature"].value == pytest.approx(fitted)
    assert fitted > 1.2 and f"T fitted on the validation points: {fitted:.2f}" in exp.summary()
    assert exp.state["nll"] < at_one["nll"] and exp.state["ece"] < at_one["ece"] / 2
    exp.controls["temperature"].value = 1.0  # the fitted T stays in the readout
    assert f"{fitted:.2f}" in exp.summary()
    exp.close()
    with pytest.raises(ValueError, match="pass both logits and y"):
        widgets.calibration_explorer(logits=np.zeros((3, 2)))


def test_calibration_explorer_fits_on_the_validation_points_it_is_given():
    import xentlib as xl

    rng = np.random.default_rng(3)
    y, y_val = rng.integers(0, 3, size=300), rng.integers(0, 3, size=200)
    z = 6 * np.eye(3)[y] + 2 * rng.normal(size=(300, 3))  # overconfident
    z_val = 4 * np.eye(3)[y_val] + 2 * rng.normal(size=(200, 3))  # less so
    exp = widgets.calibration_explorer(z, y, validation=(z_val, y_val))
    exp.controls["fit"].click()
    fitted = xl.metrics.fit_temperature(z_val, y_val)
    assert 0.25 < fitted < 4 and fitted != pytest.approx(xl.metrics.fit_temperature(z, y))
    assert exp.state["fitted_temperature"] == pytest.approx(fitted)
    assert exp.state["nll"] == pytest.approx(xl.cross_entropy(y, logits=z / fitted)), (
        "the figure and the readout judge the points shown"
    )
    exp.close()
    alone = widgets.calibration_explorer(z, y)  # no validation: fitted on these same points
    alone.controls["fit"].click()
    assert alone.state["fitted_temperature"] == pytest.approx(xl.metrics.fit_temperature(z, y))
    assert "these same points" in alone.summary()
    alone.close()


# ---- threshold explorer ---------------------------------------------------------------
def test_threshold_state_matches_the_metrics():
    import xentlib as xl

    rng = np.random.default_rng(4)
    y = (rng.random(600) < 0.1).astype(int)
    probs = np.clip(0.3 * y + rng.uniform(0, 0.6, size=600), 0, 1)
    for t in (0.05, 0.3, 0.5, 0.8):
        s = widgets.threshold_state(probs, y, t)
        predicted = (probs >= t).astype(int)
        assert s["confusion"].tolist() == xl.metrics.confusion_matrix(y, predicted).tolist()
        recall = xl.metrics.recall_per_class(y, predicted)
        assert (s["majority_recall"], s["recall"]) == pytest.approx(tuple(recall))
        assert s["precision"] == pytest.approx(xl.metrics.precision_per_class(y, predicted)[1])
        assert s["balanced_accuracy"] == pytest.approx(xl.metrics.balanced_accuracy(y, predicted))
        assert s["accuracy"] == pytest.approx(xl.metrics.accuracy(y, predicted))
    assert np.isnan(widgets.threshold_state(probs, y, 0.99)["precision"]), "nothing flagged"
    # The readout never shows "nan": a rule that flags nothing has no precision.
    from xentlib.widgets.threshold import describe

    for t in (0.99, 1.0):
        readout = describe(widgets.threshold_state(probs, y, t))
        assert "precision undefined (nothing flagged)" in readout and "nan" not in readout


def test_threshold_curves_agree_with_the_state_and_find_the_best_rule():
    from xentlib.widgets.threshold import GRID, threshold_curves

    rng = np.random.default_rng(5)
    y = (rng.random(500) < 0.2).astype(int)
    probs = np.clip(0.25 * y + rng.uniform(0, 0.7, size=500), 0, 1)
    curves = threshold_curves(probs, y)
    for i in (10, 120, 200, 390):
        s = widgets.threshold_state(probs, y, GRID[i])
        for key in ("recall", "majority_recall", "balanced_accuracy"):
            assert curves[key][i] == pytest.approx(s[key]), key
        assert curves["precision"][i] == pytest.approx(s["precision"], nan_ok=True)
    grid = np.round(np.arange(0.01, 0.995, 0.01), 2)
    balanced = [widgets.threshold_state(probs, y, t)["balanced_accuracy"] for t in grid]
    assert curves["best"] == grid[int(np.argmax(balanced))]


def test_threshold_explorer_default_is_the_lesson_model_and_the_button_finds_pi():
    from xentlib.widgets.threshold import imbalanced_model

    probs, y = imbalanced_model()
    assert probs.shape == (10000,) and int(y.sum()) == 500
    exp = widgets.threshold_explorer()
    at_half = dict(exp.state)
    assert at_half["recall"] < 0.6 < at_half["majority_recall"], "the 0.5 rule misses the minority"
    exp.controls["best"].click()
    # For calibrated probabilities the best balanced accuracy is at t = the minority's share.
    assert exp.state["threshold"] == pytest.approx(0.05)
    assert exp.state["recall"] > 0.85 and exp.state["precision"] < at_half["precision"]
    assert "minority recall" in exp.summary() and "precision" in exp.summary()
    exp.close()
    two_columns = widgets.threshold_explorer(np.column_stack([1 - probs, probs]), y)
    assert two_columns.state["confusion"].tolist() == at_half["confusion"].tolist()
    two_columns.close()


# ---- training playground --------------------------------------------------------------
def test_playground_state_before_training_is_the_uniform_guess():
    from xentlib.widgets.playground import playground_data

    for name in ("blobs", "imbalanced"):
        data = playground_data(name)
        n_classes = len(np.unique(data[1]))
        s = widgets.playground_state(None, data, epochs=50)
        assert not s["trained"] and s["loss"] == pytest.approx(np.log(n_classes))
        np.testing.assert_allclose(s["grid_probs"], 1 / n_classes)
        assert abs(data[0].mean(axis=0)).max() < 1e-12, "features are standardised"


def test_playground_reports_a_diverged_run_without_nan():
    from xentlib.widgets.playground import playground_data

    class Diverged:
        def __init__(self):
            self.history_ = {
                "loss": [0.7, 5.0, np.inf],
                "accuracy": [0.5, 0.5, 0.5],
                "val_loss": [0.7, np.nan],
                "val_accuracy": [0.5, 0.5],
            }

    s = widgets.playground_state(Diverged(), playground_data("moons"), epochs=3)
    assert s["diverged"] and not s["trained"]
    for key, value in s.items():
        if isinstance(value, (float, np.ndarray)):
            assert np.all(np.isfinite(value)), key


def test_playground_reports_a_run_that_fit_stopped_as_diverged(monkeypatch):
    # fit stops a run whose loss grows past 10× its start (finite numbers) and then refuses
    # to predict: the playground shows "diverged", with no warning below the widget.
    import warnings

    from xentlib.widgets import playground

    real = playground.make_model

    def too_fast(**kwargs):
        return real(**{**kwargs, "lr": 3.0}).__class__(lr=1e4, epochs=kwargs["epochs"])

    monkeypatch.setattr(playground, "make_model", too_fast)
    exp = widgets.training_playground(dataset="blobs", model="linear", epochs=50)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        exp.controls["train"].click()
    assert exp.state["diverged"] and not exp.state["trained"]
    assert exp.run.model.diverged_ and np.isfinite(exp.run.model.history_["loss"]).all()
    assert "diverged" in exp.summary()
    exp.close()


def test_playground_trains_and_repaints_while_training():
    exp = widgets.training_playground(dataset="spirals", model="linear", epochs=300)
    frames = []
    repaint = exp._repaint
    exp._repaint = lambda full: (frames.append(exp.state["epoch"]), repaint(full))
    exp.controls["train"].click()
    linear = dict(exp.state)
    assert linear["trained"] and linear["epoch"] == 300 and len(linear["history_loss"]) == 300
    assert linear["history_loss"][0] == pytest.approx(np.log(3))
    assert len(set(frames)) >= 10 and sorted(frames) == frames, "pictures during training"
    assert linear["val_accuracy"] < 0.75, "a line cannot separate three spiral arms"

    exp.controls["model"].value = "TinyMLP"  # a new configuration: untrained again
    assert not exp.state["trained"], "a new configuration starts untrained"
    assert exp.state["previous_loss"].size == 300, "old curve kept in grey"
    exp.controls["epochs"].value = 1500
    exp.controls["lr"].value = 1.0
    exp.controls["train"].click()
    assert exp.state["val_accuracy"] > 0.95 and exp.state["loss"] < linear["loss"] / 5
    exp.close()


def test_playground_class_weights_raise_minority_recall():
    exp = widgets.training_playground(dataset="imbalanced", epochs=300)
    exp.controls["train"].click()
    plain = exp.state["recall"][1]
    exp.controls["class_weight"].value = "balanced"
    exp.controls["train"].click()
    assert exp.state["recall"][1] > plain + 0.1
    exp.close()


def test_playground_state_is_a_pure_function_of_the_controls_and_the_run():
    from xentlib.widgets.playground import Run, run_state

    exp = widgets.training_playground(dataset="moons", epochs=100)
    untrained = exp.run
    assert untrained.model is None and untrained.config == exp.values()
    exp.controls["train"].click()
    trained = exp.run
    assert trained is not untrained and trained.config == exp.values(), "train() replaces the run"
    assert trained.model is not None and trained.previous_loss.size == 0

    exp.controls["lr"].value = 1.0  # a control changes the values, never the run
    assert exp.run is trained
    assert not exp.state["trained"] and exp.state["previous_loss"].size == 100
    again = run_state(exp.values(), exp.run)
    scalars = [k for k, v in exp.state.items() if np.isscalar(v)]
    assert {k: again[k] for k in scalars} == {k: exp.state[k] for k in scalars}
    np.testing.assert_array_equal(again["previous_loss"], exp.state["previous_loss"])

    exp.controls["lr"].value = 0.5  # back to the run's configuration: the run is shown again
    assert exp.state["trained"] and exp.state["epoch"] == 100
    assert exp.state["previous_loss"].size == 0, "the run before the first one: nothing in grey"

    # run_state reads only its arguments: a run built by hand gives the same state.
    by_hand = run_state(dict(trained.config), Run(dict(trained.config), trained.model))
    assert by_hand["loss"] == exp.state["loss"]
    np.testing.assert_array_equal(by_hand["grid_probs"], exp.state["grid_probs"])
    exp.close()


def test_playground_draws_only_from_the_state_it_is_given():
    # Paint a state, move the controls (a new configuration, a new run), then paint the
    # first state again: the picture must be the first one (nothing drawn from the
    # explorer's own attributes, such as the configuration the controls now describe).
    exp = widgets.training_playground(dataset="blobs", epochs=50)
    exp.controls["train"].click()
    first = exp.state
    exp.update(full=True)
    before = np.asarray(exp.figure.canvas.buffer_rgba()).copy()
    with exp.hold():
        exp.controls["dataset"].value = "spirals"
        exp.controls["model"].value = "TinyMLP"
    exp.controls["train"].click()
    exp.show(first, full=True)
    assert np.array_equal(np.asarray(exp.figure.canvas.buffer_rgba()), before)
    assert exp.summary().startswith("Training playground: epoch 50/50")
    exp.close()


# ---- what the browser gets: named controls, clean values, a live readout, a text alternative
def _view_message(explorer, content):
    explorer.view._handle_custom_msg(content, [])


def test_every_control_has_a_name_and_a_kind_the_view_draws(explorer):
    specs = explorer.view.controls
    assert [spec["name"] for spec in specs] == list(explorer.controls)
    for spec in specs:
        assert spec["kind"] in {"slider", "choice", "button"}, spec
        assert spec["label"].strip(), f"{spec['name']} has no accessible name"
    labels = [spec["label"] for spec in specs]
    assert len(set(labels)) == len(labels), f"two controls share a name: {labels}"


def test_the_view_shows_the_state_after_every_event(explorer):
    for name, control in explorer.controls.items():
        for value in _settings(control)[:2]:
            if value == "click":
                _view_message(explorer, {"type": "press", "name": name})
            else:
                control.value = value
            assert explorer.view.readout == explorer.readout
            assert explorer.view.alt == explorer.alt
            assert explorer.view.png == explorer.png()
            assert explorer.view.values == explorer._browser_values()


def test_the_text_alternative_follows_the_state(explorer):
    """The figure's alt text says what the figure is, then the readout in plain text."""
    alt = explorer.alt
    assert alt.startswith(explorer.figure_text) and len(explorer.figure_text) > 80
    assert not re.search(r"<[a-z/]|&[a-z]+;", alt), "the alt text is plain text, not HTML"
    slider = next(c for c in explorer.controls.values() if isinstance(c, Slider))
    slider.value = slider.max if slider.value != slider.max else slider.min
    assert explorer.alt != alt, "the alt text did not follow the state"


@pytest.mark.parametrize("name", NAMES)
def test_a_slider_moved_in_the_browser_holds_the_value_shown(name):
    """The browser sends what the learner set; the slider keeps that value, on its grid,
    and shows it with its decimals: 0.51 stays 0.51, never 0.5 or 0.51000000000000001."""
    exp = EXPLORERS[name]()
    for key, control in exp.controls.items():
        if not isinstance(control, Slider):
            continue
        k = int((control.max - control.min) / control.step * 0.37)
        sent = control.min + k * control.step  # float noise, as JavaScript may send
        exp.view.set_state({"values": {**exp.view.values, key: sent}})
        shown = f"{round(control.min + k * control.step, control.decimals):.{control.decimals}f}"
        assert control.text() == shown, (key, control.value)
        assert repr(control.value) == repr(float(shown) if not control.integer else int(shown))
    exp.close()


def test_a_choice_from_the_browser_is_its_option():
    exp = widgets.training_playground()
    exp.view.set_state({"values": {**exp.view.values, "dataset": 2}})  # the third option
    assert exp.controls["dataset"].value == "spirals"
    assert exp.state["dataset"] == "spirals"
    assert exp.view.values["dataset"] == 2
    exp.close()


def test_a_press_in_the_browser_clicks_the_button():
    exp = widgets.threshold_explorer()
    _view_message(exp, {"type": "press", "name": "best"})
    assert exp.controls["threshold"].value == pytest.approx(exp.state["best"])
    assert exp.view.values["threshold"] == exp.controls["threshold"].value
    _view_message(exp, {"type": "press", "name": "threshold"})  # not a button: ignored
    exp.close()


def test_controls_refuse_values_they_cannot_show():
    q = Slider("q(true class)", 0.5, 0.0, 1.0, 0.01)
    with pytest.raises(ValueError, match="'q\\(true class\\)' must be a number between 0 and 1"):
        q.value = 1.5
    unit = Choice("unit", ["nats", "bits"], "nats")
    with pytest.raises(ValueError, match="unit must be one of 'nats', 'bits'"):
        unit.value = "dits"
    epochs = Slider("epochs", 300, 10, 3000, 10, integer=True)
    with pytest.raises(TypeError, match="must be an integer"):
        epochs.value = 12.5


def test_the_figure_is_sent_as_the_png_of_what_was_painted():
    exp = widgets.logits_explorer()
    decoded = np.asarray(Image.open(io.BytesIO(exp.view.png)).convert("RGB"))
    painted = np.asarray(exp.figure.canvas.buffer_rgba())[..., :3]
    assert np.array_equal(decoded, painted)
    assert exp.view.width == round(exp.figure.get_figwidth() * 100)
    exp.close()


def test_a_sharper_screen_gets_more_pixels_not_a_bigger_figure():
    exp = widgets.probability_explorer()
    width, height = exp.figure.canvas.get_width_height()
    exp.view.set_state({"pixel_ratio": 2.0})
    assert exp.figure.canvas.get_width_height() == (2 * width, 2 * height)
    assert Image.open(io.BytesIO(exp.view.png)).size == (2 * width, 2 * height)
    assert exp.view.width == width, "the CSS width stays: the figure is as large as before"
    exp.close()


def test_the_front_end_keeps_only_a_controls_own_keys():
    """explorer.js stops a key from reaching JupyterLab only when the control uses it: Tab,
    Shift+Tab and Escape always go on (no keyboard trap)."""
    from xentlib.widgets._view import ExplorerView

    own = re.search(r"const OWN_KEYS = \{(.*?)\};", ExplorerView._esm, re.S).group(1)
    for key in ("Tab", "Escape"):
        assert key not in own
    for key in ("ArrowLeft", "ArrowRight", "Home", "End"):
        assert key in own
    assert 'role: "status"' in ExplorerView._esm and '"aria-live": "polite"' in ExplorerView._esm
    assert "tabindex" not in ExplorerView._esm.lower(), "nothing but the controls takes focus"


# ---- the explorers' figures: readable without colour, contrast, text size ----------------
def _contrast(rgb, background=(1.0, 1.0, 1.0)) -> float:
    def luminance(c):
        c = np.asarray(c, dtype=float)
        c = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
        return float(c @ [0.2126, 0.7152, 0.0722])

    high, low = sorted((luminance(rgb), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _on_white(colour, alpha=None) -> np.ndarray:
    import matplotlib.colors as mcolors

    r, g, b, a = mcolors.to_rgba(colour)
    a = a if alpha is None else alpha
    return np.array([r, g, b]) * a + (1 - a)


def _graphics(figure):
    """(what, colour on white) of every line, marker and bar the figure shows with data."""
    from matplotlib.container import BarContainer
    from matplotlib.lines import Line2D

    for ax in figure.axes:
        for line in ax.get_lines():
            if not line.get_visible() or len(line.get_xdata()) == 0:
                continue
            alpha = line.get_alpha()
            if line.get_linestyle() not in ("None", "", " "):
                yield f"line {line.get_label()!r}", _on_white(line.get_color(), alpha)
            elif line.get_marker() not in ("None", "", None):
                face = line.get_markerfacecolor()
                edge = line.get_markeredgecolor()
                best = max((_on_white(c, alpha) for c in (face, edge)), key=_contrast)
                yield f"marker {line.get_label()!r}", best
        for container in ax.containers:
            if isinstance(container, BarContainer):
                for bar in container:
                    if not bar.get_visible() or bar.get_height() == 0 or bar.get_width() == 0:
                        continue
                    face = bar.get_facecolor()
                    filled = bar.get_fill() and face[3] > 0
                    colour = face if filled else bar.get_edgecolor()  # an outline bar
                    yield f"bar {container.get_label()!r}", _on_white(colour)
        assert all(isinstance(a, Line2D) or a for a in ax.get_lines())


@pytest.mark.parametrize("name", NAMES)
def test_explorer_lines_and_bars_stand_out_from_the_background(name):
    """WCAG 1.4.11: every line, marker and bar at least 3:1 against the white plot."""
    exp = EXPLORERS[name]()
    if name == "training_playground":
        exp.controls["train"].click()  # the curves appear once trained
        exp.controls["train"].click()  # and the previous run, in grey
    low = [
        (what, round(_contrast(rgb), 2))
        for what, rgb in _graphics(exp.figure)
        if _contrast(rgb) < 3
    ]
    assert not low, f"below 3:1 against white: {low}"
    exp.close()


def _behind(text):
    """The colour behind ``text``: white, or the cell of a heat map it is written on."""
    ax = text.axes
    images = ax.get_images() if ax is not None else []
    if images and text.get_transform() == ax.transData:
        image = images[0]
        row, col = (round(v) for v in text.get_position()[::-1])
        data = image.get_array()
        cells = (-0.5, data.shape[1] - 0.5, data.shape[0] - 0.5, -0.5)  # one cell per value
        if (
            tuple(image.get_extent()) == cells
            and 0 <= row < data.shape[0]
            and 0 <= col < data.shape[1]
        ):
            return image.cmap(image.norm(data[row, col]))[:3]
    return (1.0, 1.0, 1.0)


@pytest.mark.parametrize("name", NAMES)
def test_explorer_text_is_large_and_dark_enough(name):
    """Every text in the figure at 10 pt or more (shown at 100 px per inch: 10.4 CSS pt) and
    at 4.5:1 against white (WCAG 1.4.3; the figure is a picture of text)."""
    from matplotlib.text import Text

    exp = EXPLORERS[name]()
    exp.update(full=True)
    small, faint = [], []
    for text in exp.figure.findobj(Text):
        if not text.get_visible() or not text.get_text().strip():
            continue
        if text.get_fontsize() < 10:
            small.append((text.get_text()[:30], text.get_fontsize()))
        if _contrast(_on_white(text.get_color(), text.get_alpha()), _behind(text)) < 4.5:
            faint.append((text.get_text()[:30], text.get_color()))
    assert not small, f"text below 10 pt: {small}"
    assert not faint, f"text below 4.5:1: {faint}"
    exp.close()


@pytest.mark.parametrize("name", NAMES)
def test_explorer_series_differ_by_more_than_colour(name):
    """Two lines in the same axes never differ by colour alone: each pair differs in line
    style, marker or width (or one is labelled on the plot)."""
    exp = EXPLORERS[name]()
    for ax in exp.figure.axes:
        lines = [
            line
            for line in ax.get_lines()
            if line.get_label() and not line.get_label().startswith("_")
        ]
        looks = {}
        for line in lines:
            look = (line.get_linestyle(), line.get_marker(), line.get_linewidth())
            assert look not in looks, (
                f"{line.get_label()!r} and {looks[look]!r} differ only by colour"
            )
            looks[look] = line.get_label()
    exp.close()


@pytest.mark.parametrize(
    ("name", "slider", "switch"),
    [
        ("simplex_explorer", "w0", ("loss", "mse")),
        ("simplex_explorer", "w0", ("true_class", 1)),
        ("logits_explorer", "z0", ("true_class", 2)),
        ("training_playground", "lr", ("dataset", "blobs")),
    ],
)
def test_slow_artists_are_redrawn_only_when_they_change(name, slider, switch, monkeypatch):
    """The heat map and the decision regions (and the labels that mark the true class) come
    from their own bitmap while a slider moves, and are redrawn when what they show changes;
    the frame is the same as a full redraw."""
    exp = EXPLORERS[name]()
    drawn = []
    for artist in exp._slow:
        original = artist.draw
        monkeypatch.setattr(artist, "draw", lambda r, a=artist, o=original: (drawn.append(a), o(r)))
    control = exp.controls[slider]
    control.value = control.min + 10 * control.step
    assert drawn == [], "a slider move redrew a slow artist"
    key, value = switch
    exp.controls[key].value = value
    assert drawn, f"{key} = {value!r} changed the slow layer but did not redraw it"
    blitted = np.asarray(exp.figure.canvas.buffer_rgba()).copy()
    exp.update(full=True)
    assert np.array_equal(blitted, np.asarray(exp.figure.canvas.buffer_rgba()))
    exp.close()


# ---- frames drawn ahead --------------------------------------------------------------------
def _controls_at(exp, key: str) -> None:
    """Set ``exp``'s controls to the values a frame's key names (sliders, then choices)."""
    names = [n for n, c in exp.controls.items() if not isinstance(c, Button)]
    with exp.hold():
        for name, text in zip(names, key.split("|"), strict=True):
            control = exp.controls[name]
            if isinstance(control, Slider):
                control.value = control.from_browser(float(text))
            else:
                control.value = control.from_browser(int(text))


def _move_in_the_browser(exp, sent: list, name: str, steps: int = 1) -> list:
    """Focus slider ``name`` and move it ``steps`` grid steps, as the browser does, with an
    event loop running (as in a kernel); the frames the kernel sent ahead."""
    control = exp.controls[name]

    async def learner():
        _view_message(exp, {"type": "focus", "name": name})
        await asyncio.sleep(0.2)
        value = control.value
        for _ in range(steps):
            up = value + control.step <= control.max
            value = control.from_browser(value + (control.step if up else -control.step))
            exp.view.set_state({"values": {**exp.view.values, name: value}})
            await asyncio.sleep(0.2)

    asyncio.run(learner())
    return [(m, b) for m, b in sent if m.get("type") == "frame"]


@pytest.mark.parametrize("name", NAMES)
def test_the_frames_drawn_ahead_are_those_the_move_would_draw(name):
    """A slider takes the focus and moves: the kernel sends the frames one step either side
    and two steps on, each exactly (byte for byte) what moving the controls there draws."""
    exp = EXPLORERS[name]()
    sent = []
    exp.view.send = lambda content, buffers=None: sent.append((content, buffers))
    slider = next(n for n, c in exp.controls.items() if isinstance(c, Slider))
    frames = _move_in_the_browser(exp, sent, slider, steps=2)
    if name == "training_playground":  # its state follows the last run too: no frames ahead
        assert frames == [] and exp._frames == {}
        return
    keys = [m["key"] for m, _ in frames]
    assert len(keys) >= 4 and len(set(keys)) == len(keys), keys
    assert exp.view.key in keys, "the move showed a frame drawn ahead"
    for message, buffers in frames:
        other = EXPLORERS[name]()
        _controls_at(other, message["key"])
        assert other.key(other.values()) == message["key"]
        assert buffers[0] == other.png(), message["key"]
        assert (message["readout"], message["alt"]) == (other.readout, other.alt)
        other.close()
    exp.close()


def test_a_frame_kept_is_forgotten_when_the_state_changes_otherwise():
    """Fitting T changes what every frame shows (the fitted line): the kept frames go, and
    the browser is told to drop its own."""
    exp = widgets.calibration_explorer()
    sent = []
    exp.view.send = lambda content, buffers=None: sent.append((content, buffers))
    _move_in_the_browser(exp, sent, "temperature")
    before = {key: frame.png for key, frame in exp._frames.items()}
    assert len(before) >= 4
    _view_message(exp, {"type": "press", "name": "fit"})
    assert {"type": "forget"} in [m for m, _ in sent]
    assert "fitted" in exp.readout
    _controls_at(exp, next(iter(before)))
    assert exp.png() != before[exp.key(exp.values())], "a frame from before the fit came back"
    exp.close()


def test_without_an_event_loop_nothing_is_drawn_ahead():
    """In a script or under nbval nobody receives frames: none is drawn."""
    exp = widgets.probability_explorer()
    sent = []
    exp.view.send = lambda content, buffers=None: sent.append((content, buffers))
    _view_message(exp, {"type": "focus", "name": "q"})
    exp.view.set_state({"values": {**exp.view.values, "q": 0.51}})
    assert sent == [] and exp._next == []
    exp.close()
