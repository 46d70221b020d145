"""The column-looping row reductions agree with NumPy's, for every width."""

import numpy as np
import pytest

from xentlib._rows import row_argmax, row_max, row_sum


@pytest.mark.parametrize("n_classes", [1, 2, 3, 16, 17, 100])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_row_reductions_match_numpy(n_classes, dtype):
    rng = np.random.default_rng(n_classes)
    z = rng.normal(size=(257, n_classes)).astype(dtype)
    z[5] = 1.0  # a row of ties: argmax keeps the first
    np.testing.assert_array_equal(row_max(z), z.max(axis=1, keepdims=True))
    tol = 10 * np.finfo(dtype).eps * n_classes  # the order of the additions differs
    np.testing.assert_allclose(row_sum(z), z.sum(axis=1, keepdims=True), rtol=tol, atol=tol)
    np.testing.assert_array_equal(row_argmax(z), z.argmax(axis=1))
    assert row_max(z).dtype == dtype and row_sum(z).dtype == dtype


def test_row_max_propagates_nan_and_inf():
    z = np.array([[1.0, np.nan, 2.0], [1.0, np.inf, 2.0], [-np.inf, -np.inf, -np.inf]])
    m = row_max(z).ravel()
    assert np.isnan(m[0]) and m[1] == np.inf and m[2] == -np.inf
