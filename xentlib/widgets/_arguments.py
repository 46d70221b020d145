"""Checks of explorer arguments: each must be a value its control can show.

An explorer checks every argument before it builds a widget, so a wrong one gives an error
that names the argument, the range of its slider (or its options) and what was given,
never a silently clipped slider or a traceback from deep inside ipywidgets. Scalars go
through :func:`~xentlib._validation.check_number` and
:func:`~xentlib._validation.check_choice` directly; this module adds the two checks that
several explorers share.
"""

from __future__ import annotations

from .._validation import as_float_array, check_number


def check_vector(values, name: str, labels, *, low: float, high: float, example) -> list:
    """One number per label, each in ``[low, high]`` (the range of its slider).

    Returns the numbers as a list of floats. Raises TypeError for values that are not
    numbers, ValueError for a wrong count, NaN, infinity or a value out of range.

    >>> check_vector((1, 0.5), "p", ("cat", "dog"), low=0, high=1, example=(0.6, 0.4))
    [1.0, 0.5]
    >>> check_vector((1, 0.5), "p", ("cat", "dog", "bird"), low=0, high=1, example=(0.6, 0.3, 0.1))
    Traceback (most recent call last):
    ValueError: p must hold 3 numbers, one for each of 'cat', 'dog', 'bird' (for example (0.6, 0.3, 0.1)); got 2 numbers.
    """
    array = as_float_array(values, name)
    if array.shape != (len(labels),):
        listed = ", ".join(repr(label) for label in labels)
        given = f"{array.size} numbers" if array.ndim == 1 else f"an array of shape {array.shape}"
        raise ValueError(
            f"{name} must hold {len(labels)} numbers, one for each of {listed} "
            f"(for example {example}); got {given}."
        )
    return [
        check_number(value, f"{name}[{i}]", example=example[i], low=low, high=high)
        for i, value in enumerate(array.tolist())
    ]


def check_class(true_class, n_classes: int) -> int:
    """A class index ``0 … n_classes − 1`` (a TypeError for 1.0 or "0", a ValueError for 5)."""
    return check_number(
        true_class, "true_class", example=0, low=0, high=n_classes - 1, integer=True
    )
