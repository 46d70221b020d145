r"""Showing numbers that differ from machine to machine: as the band they lie in.

Most numbers a lesson prints are the same on every computer, to the digits printed: a loss
is computed to about 16 significant digits and shown to 3 or 4. Some are not:

- **round-off-sized quantities** — a gradient check's relative error, the gap between two
  sums added up in different orders — are *made of* the last bits, and those depend on the
  CPU, the BLAS kernel, the thread count and NumPy's SIMD level;
- **magnified ones** — anything computed after a step that multiplies small differences
  (the spike of a training run) — inherit those last bits.

For them, ``band`` prints the range the value lies in on every machine the course is tested
on (CONTRIBUTING.md, "Portable numbers"), instead of digits that only one machine prints.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from ._validation import check_number, refuse_masked

__all__ = ["band"]


def _number(x: float) -> str:
    """``1e-07`` → ``1e-7``, 0.01 → ``1e-2``; 0.1 stays ``0.1``, 240 stays ``240``."""
    if x != 0 and (abs(x) <= 0.01 or abs(x) >= 1e5):
        mantissa, exponent = f"{x:.0e}".split("e")
        return f"{mantissa}e{int(exponent)}"
    return f"{x:g}"


def _real(value) -> float:
    """Any real scalar (NaN and ±inf too: they are shown, not refused) as a float."""
    refuse_masked(value, "value")
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"value must be a real number, got {type(value).__name__} {value!r:.60}: pass one number, e.g. float(err) or err.max()."
        )
    try:
        return float(value)
    except OverflowError:
        raise ValueError(
            f"value must be a number a float can hold, got an integer of {len(str(abs(value)))} digits: pass float(value) if it is meant to be infinite."
        ) from None


def band(value, *, below=None, above=None) -> str:
    r"""The band ``value`` lies in, as text: ``'< 1e-7'``, ``'> 1e-3'``, ``'between 240 and 260'``.

    Use it to print a number whose last digits differ between machines: choose the band from
    what the computation guarantees (a relative error of float64 round-off: below 1e-7; a
    magnified gap: above 1e-3), wide enough that every machine's value lies inside it.

    .. math:: \text{above} < \text{value} < \text{below}

    Parameters
    ----------
    value : float
        The number, any real scalar.
    below, above : float, optional
        The band's upper and lower ends (at least one). ``below`` alone: ``'< below'``;
        ``above`` alone: ``'> above'``; both: ``'between above and below'``.

    Returns
    -------
    str
        The band. A value outside it is shown itself, with the band it was expected in, so a
        machine that breaks the promise says so instead of printing a false statement.

    Examples
    --------
    >>> band(3.2e-9, below=1e-7)
    '< 1e-7'
    >>> band(0.31, above=1e-3)
    '> 1e-3'
    >>> band(249, above=240, below=260)
    'between 240 and 260'
    >>> band(2e-6, below=1e-7)
    '2e-06 (expected < 1e-7)'
    """
    if below is None and above is None:
        raise TypeError(
            "band() needs below=, above= or both: the ends of the band value lies in, e.g. band(err, below=1e-7)."
        )
    value = _real(value)
    ends = {}
    for name, end in (("below", below), ("above", above)):
        if end is not None:
            ends[name] = check_number(end, name, example=1e-7)
    if "below" in ends and "above" in ends and not ends["above"] < ends["below"]:
        raise ValueError(
            f"band() needs above < below, got above={ends['above']!r} and below={ends['below']!r}: swap them."
        )
    if "below" in ends and "above" in ends:
        text = f"between {_number(ends['above'])} and {_number(ends['below'])}"
    elif "below" in ends:
        text = f"< {_number(ends['below'])}"
    else:
        text = f"> {_number(ends['above'])}"
    inside = (value < ends.get("below", math.inf)) and (value > ends.get("above", -math.inf))
    return text if inside else f"{value:.2g} (expected {text})"
