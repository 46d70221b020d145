"""Numbers the lessons print that learners copy into the wrong question.

A learner who answers with a number a lesson printed for another example (PyTorch's 0.8178
for the seed post, the C = 3 cap 0.9333 for a C = 5 question) is told where it comes from,
in whichever exercise they give it: :mod:`._detectors` looks every wrong value up here.
Only numbers distinctive enough not to be met by chance are listed, each with the lesson
that prints it exactly as written in ``shown`` (``tests/test_exercise_detectors.py`` checks
that the lesson's notebook prints it), and what it is.
"""

from __future__ import annotations

from typing import NamedTuple


class Printed(NamedTuple):
    """A number a lesson prints: as ``shown`` there, by ``lesson``, and what it is."""

    shown: str
    lesson: int
    what: str

    @property
    def value(self) -> float:
        return float(self.shown)

    @property
    def digits(self) -> int:
        """The significant digits it is printed with (0.8178 → 4)."""
        return len(self.shown.replace("-", "").replace(".", "").lstrip("0"))


PRINTED = (
    Printed(
        "0.8178",
        0,
        "what PyTorch's nn.CrossEntropyLoss prints for the seed post's probabilities "
        "[[0.1, 0.4, 0.5], [0.8, 0.1, 0.1]] read as logits (a double softmax; lessons 00, 04 "
        "and 12)",
    ),
    Printed(
        "0.4581",
        0,
        "the cross-entropy of the seed post's whole batch of two examples (lessons 00, 04 and 12)",
    ),
    Printed(
        "0.5514",
        4,
        "the floor a double softmax puts under a 3-class loss, ln(1 + 2/e) (lessons 04 and 12)",
    ),
    Printed(
        "0.9333",
        11,
        "the top entry of the smoothed target for ε = 0.1 and C = 3, 1 − ε + ε/C (lesson 11, "
        "section 5)",
    ),
    Printed(
        "16.12",
        12,
        "−ln(1e-7), the cap Keras's clip puts on a loss (lesson 12)",
    ),
)
