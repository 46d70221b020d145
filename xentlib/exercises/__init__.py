"""Checked exercises for every lesson ("Check your understanding").

>>> import xentlib as xl
>>> ex = xl.exercises.lesson(0)
>>> ex.q1.check(...).status
'not attempted'
>>> ex.q1.check(2.0).message[:30]
'Bits instead of nats: log base'

Each lesson's exercises live in ``lessonNN.py`` as a list ``EXERCISES``.
"""

from __future__ import annotations

import importlib
import pkgutil

from .._validation import check_number
from ._core import CheckResult, Exercise

__all__ = ["CheckResult", "Exercise", "LessonExercises", "all_exercises", "lesson"]


class LessonExercises:
    """The exercises of one lesson, as attributes ``q1``, ``q2``, … (also iterable)."""

    def __init__(self, number: int, exercises):
        self.number = number
        self._by_name = {q.name: q for q in exercises}

    def __getattr__(self, name):
        try:
            return self.__dict__["_by_name"][name]
        except KeyError:
            names = ", ".join(self.__dict__.get("_by_name", {})) or "none"
            raise AttributeError(
                f"lesson {self.number} has no exercise {name!r}; its exercises are: {names}."
            ) from None

    def __iter__(self):
        return iter(self._by_name.values())

    def __len__(self):
        return len(self._by_name)

    def __dir__(self):
        return [*super().__dir__(), *self._by_name]

    def __repr__(self):
        lines = [f"Lesson {self.number:02d}: {len(self)} exercises"]
        lines += [f"  {q.name}: {q.prompt}" for q in self]
        return "\n".join(lines)


def _lesson_modules():
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("lesson") and info.name[6:].isdigit():
            yield int(info.name[6:]), info.name


def lesson(number: int) -> LessonExercises:
    """The exercises of lesson ``number`` (``ex = xl.exercises.lesson(2); ex.q1.check(...)``)."""
    available = dict(_lesson_modules())
    check_number(number, "lesson number", example=2, low=0, integer=True)
    if number not in available:
        raise ValueError(
            f"there are no exercises for lesson {number}; lessons with exercises: "
            f"{sorted(available)}."
        )
    module = importlib.import_module(f"{__name__}.{available[number]}")
    for exercise in module.EXERCISES:
        exercise.lesson = number  # from the module's name: lesson04.py → 4
    return LessonExercises(number, module.EXERCISES)


def all_exercises() -> list[Exercise]:
    """Every exercise of the course, in lesson order."""
    return [q for number, _ in sorted(_lesson_modules()) for q in lesson(number)]
