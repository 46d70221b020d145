"""Explorers, driven headlessly through the protocol: controls, state, figure, close."""

import numpy as np
import pytest

from xentlib import widgets
from xentlib.widgets import EXPLORERS, probability_state

NAMES = sorted(EXPLORERS)


def _settings(control):
    """The extremes and the middle of what a control allows."""
    if hasattr(control, "options") and control.options:
        return [opt if not isinstance(opt, tuple) else opt[1] for opt in control.options]
    if hasattr(control, "min") and hasattr(control, "max"):
        return [control.min, control.max, (control.min + control.max) / 2]
    return [control.value]


@pytest.fixture(params=NAMES)
def explorer(request):
    exp = EXPLORERS[request.param]()
    yield exp
    exp.close()


def test_protocol_attributes(explorer):
    assert explorer.controls and explorer.state
    assert explorer.figure.axes
    bundle = explorer._repr_mimebundle_()
    assert "text/plain" in bundle and "application/vnd.jupyter.widget-view+json" in bundle
    assert all(getattr(c, "description", "") for c in explorer.controls.values()), (
        "every control needs a description"
    )


def test_every_control_value_is_safe_and_updates_state(explorer):
    for name, control in explorer.controls.items():
        for value in _settings(control):
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
    before = explorer._image.value
    control.value = settings[1]
    assert explorer._image.value != before


# ---- probability explorer: pure state ------------------------------------------------
@pytest.mark.parametrize(
    ("p", "nats"),
    [(1.0, 0.0), (0.5, np.log(2)), (np.exp(-1), 1.0), (0.0, np.inf)],
    ids=["certain", "coin", "one-nat", "impossible"],
)
def test_probability_state_values(p, nats):
    state = probability_state(p)
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
    exp.controls["p"].value = 0.0
    assert exp.state["loss"] == np.inf and "∞" in exp.summary()
    exp.controls["unit"].value = "bits"
    assert exp.state["unit"] == "bits" and exp.figure.axes[0].get_ylabel() == "loss (bits)"
    exp.close()
