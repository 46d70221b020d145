"""Special functions and information measures: exact values, stability, properties."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import xentlib as xl

finite = st.floats(-50, 50, allow_nan=False)
logit_rows = arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(2, 6)), elements=finite)


# ---- exact values and stability ------------------------------------------------------
def test_contract_values():
    assert xl.logsumexp([0.0, -40.0]) == np.logaddexp(0.0, -40.0)
    np.testing.assert_array_equal(xl.log_softmax([1000.0, 1.0]), [0.0, -999.0])
    assert xl.logsumexp([1.0, 1.0]) == pytest.approx(1 + np.log(2), rel=1e-15)
    np.testing.assert_allclose(
        xl.softmax([1.0, 2.0, 3.0]), np.exp([1, 2, 3]) / np.exp([1, 2, 3]).sum(), rtol=1e-15
    )


@pytest.mark.parametrize(
    "fn", [xl.logsumexp, xl.softmax, xl.log_softmax, xl.sigmoid, xl.log_sigmoid]
)
def test_no_overflow_or_warnings_up_to_1e4(fn):
    z = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4], [1e4, 1e4, 9999.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = fn(z)
    assert np.all(np.isfinite(out))


def test_sigmoid_is_two_class_softmax():
    z = np.linspace(-30, 30, 61)
    np.testing.assert_allclose(
        xl.sigmoid(z), xl.softmax(np.stack([z, np.zeros_like(z)], axis=-1))[:, 0], rtol=1e-12
    )
    # log(sigmoid(z)) loses digits near 1 (it is the inaccurate side): compare absolutely.
    np.testing.assert_allclose(xl.log_sigmoid(z), np.log(xl.sigmoid(z)), rtol=0, atol=1e-15)


def test_temperature_flattens_and_sharpens():
    z = np.array([2.0, 1.0, 0.0])
    hot, cold = xl.softmax(z, temperature=10.0), xl.softmax(z, temperature=0.1)
    assert xl.entropy(hot) > xl.entropy(xl.softmax(z)) > xl.entropy(cold)
    np.testing.assert_allclose(
        xl.log_softmax(z, temperature=2.0), np.log(xl.softmax(z / 2.0)), rtol=1e-13
    )


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    "fn", [xl.logsumexp, xl.softmax, xl.log_softmax, xl.sigmoid, xl.log_sigmoid]
)
def test_dtype_is_preserved(fn, dtype):
    assert np.asarray(fn(np.zeros((2, 3), dtype=dtype))).dtype == dtype


def test_integers_become_float64():
    assert xl.softmax([1, 2, 3]).dtype == np.float64


@pytest.mark.parametrize("bad", [0.0, -1.0, np.inf, np.nan], ids=["zero", "negative", "inf", "nan"])
def test_bad_temperature(bad):
    with pytest.raises(ValueError, match="temperature must be a positive finite number"):
        xl.softmax([1.0, 2.0], temperature=bad)


def test_text_input_is_a_type_error():
    with pytest.raises(TypeError, match="z must be numbers"):
        xl.softmax("1, 2, 3")


# ---- properties ----------------------------------------------------------------------
@settings(max_examples=60, deadline=None)
@given(logit_rows, st.floats(-100, 100))
def test_softmax_is_shift_invariant(z, c):
    np.testing.assert_allclose(xl.softmax(z + c), xl.softmax(z), rtol=1e-9, atol=1e-15)


@settings(max_examples=60, deadline=None)
@given(logit_rows)
def test_softmax_is_a_distribution_and_log_softmax_its_log(z):
    p = xl.softmax(z)
    np.testing.assert_allclose(p.sum(axis=-1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(np.exp(xl.log_softmax(z)), p, rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(
        xl.logsumexp(z) - z.max(axis=-1),
        np.log(np.exp(z - z.max(axis=-1, keepdims=True)).sum(-1)),
        rtol=1e-9,
        atol=1e-12,
    )


# ---- information ---------------------------------------------------------------------
def test_information_values():
    assert xl.surprisal(0.5, base=2) == 1.0
    assert xl.surprisal(0.0) == np.inf
    assert xl.entropy([0.25] * 4, base=2) == pytest.approx(2.0)
    assert xl.entropy([1.0, 0.0, 0.0]) == 0.0
    assert xl.kl_divergence([0.5, 0.5], [0.5, 0.5]) == 0.0
    assert xl.kl_divergence([0.5, 0.5], [1.0, 0.0]) == np.inf
    assert xl.kl_divergence([1.0, 0.0], [0.5, 0.5]) == pytest.approx(np.log(2))


def test_uniform_maximises_entropy():
    rng = np.random.default_rng(0)
    p = rng.dirichlet(np.ones(5), size=200)
    assert np.all(xl.entropy(p) <= np.log(5) + 1e-12)


distributions = st.integers(2, 6).flatmap(
    lambda n: st.tuples(
        arrays(np.float64, n, elements=st.floats(0.0, 1.0)),
        arrays(np.float64, n, elements=st.floats(0.01, 1.0)),
    )
)


@settings(max_examples=80, deadline=None)
@given(distributions)
def test_cross_entropy_is_entropy_plus_kl_and_at_least_entropy(pair):
    p, q = pair
    if p.sum() == 0:
        p = np.ones_like(p)
    p, q = p / p.sum(), q / q.sum()
    h_pq = xl.cross_entropy(p, probs=q)  # distribution target: H(p, q)
    assert h_pq == pytest.approx(xl.entropy(p) + xl.kl_divergence(p, q), rel=1e-9, abs=1e-12)
    assert h_pq >= xl.entropy(p) - 1e-12  # Gibbs' inequality
    assert xl.kl_divergence(p, q) >= -1e-15


@pytest.mark.parametrize(
    ("fn", "args", "message"),
    [
        (xl.entropy, ([0.5, 0.6],), "must sum to 1"),
        (xl.entropy, ([1.5, -0.5],), r"p must hold probabilities in \[0, 1\]"),
        (xl.entropy, ([np.nan, 1.0],), "NaN"),
        (xl.kl_divergence, ([0.5, 0.5], [0.2, 0.2]), "q must sum to 1"),
        (xl.kl_divergence, ([0.5, 0.5], [0.2, 0.3, 0.5]), "same shape"),
        (xl.surprisal, (1.5,), r"probabilities in \[0, 1\]"),
        (xl.entropy, ([],), "empty"),
    ],
    ids=[
        "entropy-sum",
        "entropy-negative",
        "entropy-nan",
        "kl-q-sum",
        "kl-shape",
        "surprisal-range",
        "entropy-empty",
    ],
)
def test_non_distributions_are_rejected(fn, args, message):
    with pytest.raises(ValueError, match=message):
        fn(*args)


def test_entropy_bad_base():
    with pytest.raises(ValueError, match="base must be a positive number other than 1"):
        xl.entropy([0.5, 0.5], base=1)


# ---- issue 21: the sum of a distribution is held to its rounding, not more ---------------
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64], ids=lambda d: d.__name__)
@pytest.mark.parametrize("n_classes", [2, 10, 1000, 10**6])
@pytest.mark.parametrize("spread", [0.0, 1.0, 30.0], ids=["equal", "normal", "peaked"])
def test_rows_made_by_xentlibs_softmax_are_distributions(dtype, n_classes, spread):
    z = (spread * np.random.default_rng(n_classes).normal(size=n_classes)).astype(dtype)
    p = xl.softmax(z)
    assert p.dtype == dtype
    assert np.isfinite(xl.entropy(p)) and xl.kl_divergence(p, p) == 0
    assert np.isfinite(xl.cross_entropy(int(np.argmax(p)), probs=p))
    assert 0 <= xl.brier_score(0, p) <= 2


@pytest.mark.parametrize("off", [1e-3, 0.05], ids=["0.1 %", "5 %"])
def test_float32_rows_of_1000_classes_that_do_not_sum_to_one_are_refused(off):
    """Issue 21: with a tolerance of 1e-4 per class (0.1 for 1000 float32 classes),
    kl_divergence returned a negative divergence, −0.086, and cross_entropy and brier_score
    scored rows that are not distributions."""
    rng = np.random.default_rng(21)
    p = rng.dirichlet(np.ones(1000)).astype(np.float32)
    q = rng.dirichlet(np.ones(1000)).astype(np.float32)
    bad = (q * (1 + off)).astype(np.float32)
    with pytest.raises(ValueError, match=r"q must sum to 1 .* rounding of 1000 float32 entries"):
        xl.kl_divergence(p, bad)
    with pytest.raises(ValueError, match="p must sum to 1"):
        xl.entropy(bad)
    with pytest.raises(ValueError, match="probs must sum to 1"):
        xl.cross_entropy(0, probs=bad)
    with pytest.raises(ValueError, match="probs must sum to 1"):
        xl.brier_score(0, bad)
    assert xl.kl_divergence(p, q) > 0  # the rows themselves are fine


def test_a_million_entries_of_one_and_a_half_millionths_are_not_a_distribution():
    """Issue 21: entropy(np.full(10**6, 1.5e-6)), which sums to 1.5, returned 20.1."""
    with pytest.raises(ValueError, match=r"p must sum to 1 .* sums to 1\.5"):
        xl.entropy(np.full(10**6, 1.5e-6))


def test_float64_rows_with_float32_rounding_are_told_to_say_so():
    p = xl.softmax(np.random.default_rng(0).normal(size=1000).astype(np.float32))
    p64 = p.astype(np.float64)
    p64[0] += 2e-6  # float32 rounding of a float32 sum, held as float64
    with pytest.raises(ValueError, match=r"astype\(np\.float32\)"):
        xl.entropy(p64)
    assert np.isfinite(xl.entropy(p64.astype(np.float32)))


def test_the_tolerance_follows_the_rounding_of_the_sum():
    from xentlib._validation import sum_tolerance

    assert sum_tolerance(np.float32, 1000) == pytest.approx(7.65e-6, rel=0.01)
    assert sum_tolerance(np.float16, 10) < 0.01  # a float16 row 1 % off is refused
    assert sum_tolerance(np.float64, 3) < 1e-15
    assert sum_tolerance(np.float64, 10**6) < 1e-12


# ---- issue 21: softmax in float16, and temperatures the dtype cannot hold ------------------
@pytest.mark.parametrize("n", [65_505, 100_000])
def test_float16_softmax_over_many_near_equal_logits_is_one_over_n(n):
    """A float16 sum overflows at 65,504: the softmax was all zeros (PyTorch: 1/n)."""
    z = np.random.default_rng(0).uniform(0, 1e-3, size=n).astype(np.float16)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = xl.softmax(z)
        log_p = xl.log_softmax(z)
        lse = xl.logsumexp(z)
    assert p.dtype == log_p.dtype == lse.dtype == np.float16
    np.testing.assert_allclose(p.astype(float), 1 / n, rtol=2e-3)
    np.testing.assert_allclose(log_p.astype(float), -np.log(n), rtol=2e-3)
    assert float(lse) == pytest.approx(np.log(n), rel=2e-3)


@pytest.mark.parametrize(
    ("dtype", "temperature"),
    [(np.float32, 1e-50), (np.float16, 1e-10), (np.float64, 1e-320), (np.float32, 1e-45)],
)
def test_a_temperature_that_underflows_gives_the_one_hot_limit(dtype, temperature):
    """float32's 1e-50 is 0: softmax and log_softmax returned NaN; the limit is one-hot on
    the largest logits (shared equally between tied ones)."""
    z = np.array([[1.0, 3.0, 2.0], [2.0, 2.0, -np.inf]], dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = xl.softmax(z, temperature=temperature)
        log_p = xl.log_softmax(z, temperature=temperature)
    assert p.dtype == log_p.dtype == dtype
    np.testing.assert_array_equal(p, [[0.0, 1.0, 0.0], [0.5, 0.5, 0.0]])
    expected = np.array([[-np.inf, 0.0, -np.inf], [-np.log(2)] * 2 + [-np.inf]], dtype)
    np.testing.assert_array_equal(log_p, expected)


def test_a_temperature_that_overflows_gives_the_uniform_limit():
    z = np.array([1.0, 3.0, -np.inf], np.float32)  # float32's 1e300 is inf
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_array_equal(xl.softmax(z, temperature=1e300), [0.5, 0.5, 0.0])


def test_a_temperature_beyond_any_float_is_named():
    """10**400 gave OverflowError (int too large to convert to float)."""
    with pytest.raises(ValueError, match="temperature must be a positive finite number"):
        xl.softmax([1.0, 2.0], temperature=10**400)
