"""xl.band: a number whose last digits differ between machines, printed as its band."""

import numpy as np
import pytest

import xentlib as xl


@pytest.mark.parametrize(
    ("value", "kwargs", "text"),
    [
        (3.2e-9, {"below": 1e-7}, "< 1e-7"),
        (0.0, {"below": 1e-15}, "< 1e-15"),
        (0.31, {"above": 1e-3}, "> 1e-3"),
        (249, {"above": 240, "below": 260}, "between 240 and 260"),
        (1.6e-4, {"above": 1e-5, "below": 1e-2}, "between 1e-5 and 1e-2"),
        (0.26, {"above": 0.1, "below": 0.5}, "between 0.1 and 0.5"),
        (np.float32(1e-9), {"below": 1e-7}, "< 1e-7"),
        (np.array(1e-9), {"below": 1e-7}, "< 1e-7"),
    ],
    ids=["below", "zero", "above", "epochs", "decades", "tenths", "float32", "0-d array"],
)
def test_a_value_inside_its_band_prints_the_band(value, kwargs, text):
    assert xl.band(value, **kwargs) == text


@pytest.mark.parametrize(
    ("value", "kwargs", "text"),
    [
        (2e-6, {"below": 1e-7}, "2e-06 (expected < 1e-7)"),
        (1e-7, {"below": 1e-7}, "1e-07 (expected < 1e-7)"),  # the ends are not in the band
        (1e-4, {"above": 1e-3}, "0.0001 (expected > 1e-3)"),
        (261, {"above": 240, "below": 260}, "2.6e+02 (expected between 240 and 260)"),
        (float("nan"), {"below": 1.0}, "nan (expected < 1)"),
        (float("inf"), {"above": 1.0}, "inf (expected > 1)"),
    ],
    ids=["above-the-top", "at-the-end", "below-the-bottom", "outside-both", "nan", "inf"],
)
def test_a_value_outside_its_band_shows_itself_and_the_band(value, kwargs, text):
    assert xl.band(value, **kwargs) == text


def test_band_needs_an_end_and_ends_in_order():
    with pytest.raises(TypeError, match="needs below=, above= or both"):
        xl.band(1.0)
    with pytest.raises(ValueError, match=r"above < below.*swap them"):
        xl.band(1.0, above=2.0, below=1.0)
    with pytest.raises(TypeError, match="below must be"):
        xl.band(1.0, below="1e-7")
    with pytest.raises(TypeError, match="value must be a real number"):
        xl.band([1e-9, 2e-9], below=1e-7)
    with pytest.raises(TypeError, match="value must be a real number"):
        xl.band(True, below=1e-7)
