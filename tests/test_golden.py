"""PyTorch's committed answers (tests/golden/torch.json, written by tools/make_golden.py).

The PyTorch comparisons in test_oracles.py, test_frameworks.py and test_scoring.py read them
and so run everywhere. These tests keep the file honest: it holds exactly the cases the
script registers, from the pinned PyTorch, and where PyTorch is installed (CI installs the
local CPU wheel, see .ci/run) every stored value is what PyTorch computes now.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from tools import make_golden as golden


def test_the_file_holds_every_registered_case_and_no_other():
    stored = json.loads(golden.GOLDEN.read_text(encoding="utf-8"))
    assert stored["made_by"] == "tools/make_golden.py"
    assert stored["torch"] == golden.TORCH_VERSION
    missing = sorted(set(golden.CASES) - set(stored["cases"]))
    stale = sorted(set(stored["cases"]) - set(golden.CASES))
    assert not missing and not stale, (
        f"run `python tools/make_golden.py`: missing {missing}, no longer registered {stale}"
    )
    assert set(stored["inputs"]) == set(golden.SHARED_INPUTS)


@pytest.mark.parametrize("name", sorted(golden.SHARED_INPUTS))
def test_shared_inputs_are_the_lessons_data_up_to_round_off(name):
    stored, now = golden.inputs(name), golden.SHARED_INPUTS[name]()
    np.testing.assert_array_equal(stored["y"], now["y"])
    np.testing.assert_allclose(stored["X"], now["X"], rtol=1e-13, atol=1e-15)


def test_values_are_stored_exactly_and_a_missing_case_says_how_to_add_it():
    z = np.array([[0.1, -2.5e-300, np.inf]], dtype=np.float32)
    for value in (z, np.arange(3), 0.1 + 0.2, "text", None, [z, 2]):
        back = golden.decode(json.loads(json.dumps(golden.encode(value))))
        if isinstance(value, np.ndarray):
            assert back.dtype == value.dtype and np.array_equal(back, value)
        elif isinstance(value, list):
            assert np.array_equal(back[0], z) and back[1] == 2
        else:
            assert back == value
    with pytest.raises(LookupError, match=r"run `python tools/make_golden\.py`"):
        golden.values("no_such_case", n=1)


def _same(stored, now, key, tol=None):
    if isinstance(stored, np.ndarray):
        assert stored.dtype == now.dtype and stored.shape == now.shape, key
        tol = tol or (1e-6 if stored.dtype == np.float32 else 1e-9)
        # An entry that is zero up to round-off (a gradient's 1e-16 beside entries of size 1)
        # differs with the CPU's summation order: it is compared at the array's own scale.
        finite = np.abs(stored[np.isfinite(stored)]) if stored.dtype.kind == "f" else stored
        scale = float(np.max(finite, initial=0.0)) if finite.size else 0.0
        np.testing.assert_allclose(
            now, stored, rtol=tol, atol=max(tol * scale, 1e-300), err_msg=key
        )
    elif isinstance(stored, float):
        assert now == pytest.approx(stored, rel=1e-9, abs=1e-300), key
    elif isinstance(stored, list):
        for a, b in zip(stored, now, strict=True):
            _same(a, b, key)
    else:
        assert now == stored, key


def test_pytorch_still_computes_the_stored_values():
    torch = pytest.importorskip("torch", reason="PyTorch re-checks the file where installed")
    if torch.__version__.split("+")[0] != golden.TORCH_VERSION:
        pytest.skip(f"the file holds torch {golden.TORCH_VERSION}'s values, {torch.__version__}")
    torch.set_num_threads(1)
    for key in golden.CASES:
        now = {k: golden.decode(v) for k, v in golden.compute(torch, key).items()}
        stored = golden.stored(key)
        assert set(now) == set(stored), key
        for name in stored:
            tol = golden.AMPLIFIED.get((key, name), (None,))[0]
            _same(stored[name], now[name], f"{key}: {name}", tol)
