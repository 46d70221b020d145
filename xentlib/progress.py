"""Saved progress for self-learners: what is done, lesson by lesson (``xl.progress.show()``).

Every ``check()`` of an exercise records the answer in the progress file (the store,
:mod:`xentlib._progress_store`: where it lives, atomic writes, a lock shared by kernels,
damaged files recovered record by record). This module reads it against the course's
exercises. It imports both; neither imports it.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "progress.json"
>>> ProgressStore(path).record("Lesson 00 q1", passed=True)
>>> result = report(path)  # a path, a ProgressStore, or None for your own progress
>>> result.passed, result.rows[0][:2]  # lesson 00: one exercise passed
(1, (0, 1))
"""

from __future__ import annotations

import os

from ._progress_store import (
    ENV,
    ProgressLockTimeout,
    ProgressStore,
    default_path,
    default_store,
    record,
)
from .exercises import all_exercises

__all__ = [
    "ENV",
    "ProgressLockTimeout",
    "ProgressReport",
    "ProgressStore",
    "default_path",
    "default_store",
    "record",
    "report",
    "show",
]


class ProgressReport:
    """Per lesson: the exercises passed out of all, and the attempts. Shows itself as a table."""

    def __init__(self, rows, path, problem=None):
        self.rows, self.path = rows, path  # (lesson, passed, total, attempts)
        self.problem = problem  # why the file could not be read (None when it could)

    @property
    def passed(self) -> int:
        return sum(r[1] for r in self.rows)

    @property
    def total(self) -> int:
        return sum(r[2] for r in self.rows)

    def __str__(self) -> str:
        lines = [f"{'lesson':<8}{'done':>10}{'attempts':>10}"]
        lines += [f"{n:02d}{'':<6}{p:>5} / {t:<3}{a:>9}" for n, p, t, a in self.rows]
        lines.append(f"all: {self.passed} of {self.total} exercises done (saved in {self.path})")
        if self.problem:
            lines.append(f"(progress could not be read: {self.problem})")
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        import html

        rows = "".join(
            f"<tr><td>{n:02d}</td><td>{p} / {t}</td><td>{a}</td></tr>" for n, p, t, a in self.rows
        )
        note = (
            f"<p>Progress could not be read: {html.escape(self.problem)}</p>"
            if self.problem
            else ""
        )
        return (
            "<table><tr><th>lesson</th><th>done</th><th>attempts</th></tr>"
            f"{rows}</table><p>{self.passed} of {self.total} exercises done.</p>{note}"
        )


def _store(store) -> ProgressStore | None:
    if store is None:
        return default_store()
    if isinstance(store, ProgressStore):
        return store
    if isinstance(store, (str, os.PathLike)):
        return ProgressStore(store)
    raise TypeError(
        "store must be a ProgressStore, a path to a progress file (a str or a pathlib.Path) "
        f"or None for your own progress, got {type(store).__name__}."
    )


def report(store=None) -> ProgressReport:
    """What is done, per lesson, from ``store``: a :class:`ProgressStore`, a path to a
    progress file, or None for the default store. Never fails on a damaged or unreadable
    file: damaged records are recovered (see the store), an unreadable file is said so."""
    store = _store(store)
    done, problem = {}, None
    if store is not None:
        try:
            done = store.exercises()
        except OSError as exc:  # a folder where the file should be, no permission, …
            problem = f"{type(exc).__name__}: {exc}"
    lessons: dict[int, list] = {}
    for q in all_exercises():
        entry = done.get(q.label, {})
        row = lessons.setdefault(q.lesson, [q.lesson, 0, 0, 0])
        row[1] += bool(entry.get("passed"))
        row[2] += 1
        row[3] += entry.get("attempts", 0)
    path = store.path if store is not None else f"nowhere: {ENV} is off"
    return ProgressReport([tuple(r) for _, r in sorted(lessons.items())], path, problem)


def show(store=None, *, ax=None) -> ProgressReport:
    """Draw a bar chart of the exercises done per lesson and return the table of it."""
    from . import plotting

    ax = plotting._axes(ax, figsize=(7, 2.8))
    result = report(store)
    lessons = [f"{n:02d}" for n, *_ in result.rows]
    totals = [t for _, _, t, _ in result.rows]
    done = [p for _, p, _, _ in result.rows]
    ax.bar(lessons, totals, color="#dddddd", label="exercises")
    ax.bar(lessons, done, color=plotting.PALETTE["green"], label="done")
    ax.set(xlabel="lesson", ylabel="exercises", title=f"{result.passed} of {result.total} done")
    ax.legend(loc="upper right", fontsize=9)
    return result
