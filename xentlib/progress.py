"""Saved progress for self-learners: every checked answer is recorded, and never lost.

Each ``check()`` of an exercise (not the "not attempted" placeholder) records the
exercise's label and whether the answer passed, in a small JSON file:

- ``$XENTLIB_PROGRESS`` when it is set (``XENTLIB_PROGRESS=off`` turns recording off);
- otherwise ``<Jupyter data directory>/xentlib/progress.json`` (``jupyter --data-dir``;
  on Linux ``~/.local/share/jupyter``), so it outlives kernels, notebooks and reinstalls.

The file survives what happens to learners' machines:

- every write is atomic: a temporary file in the same folder, flushed and ``fsync``-ed,
  then renamed over the old one (``os.replace``), so a kernel killed in the middle of a
  write (``kill -9``) leaves the previous file whole;
- two kernels writing at once (two lessons open) take turns on a lock file and each
  re-reads the file before adding its record, so no record is lost;
- a file that is not valid progress (hand-edited, truncated by a full disk) is moved aside
  to ``progress.json.corrupt-<time>`` with a warning saying so, and a fresh one starts.

>>> import tempfile, pathlib
>>> store = ProgressStore(pathlib.Path(tempfile.mkdtemp()) / "progress.json")
>>> store.record("Lesson 04 q2", passed=False)
>>> store.record("Lesson 04 q2", passed=True)
>>> store.passed(), store.attempts("Lesson 04 q2")
({'Lesson 04 q2'}, 2)
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import tempfile
import warnings
from pathlib import Path

try:  # POSIX
    import fcntl
except ImportError:  # Windows: the lock is msvcrt's
    fcntl = None

ENV = "XENTLIB_PROGRESS"
OFF = ("off", "0", "false", "no")
FORMAT = 1

__all__ = ["ENV", "ProgressStore", "default_store", "record", "show"]


def default_path() -> Path | None:
    """Where progress is saved: ``$XENTLIB_PROGRESS``, the Jupyter data directory, or None
    when recording is turned off."""
    value = os.environ.get(ENV, "").strip()
    if value.lower() in OFF:
        return None
    if value:
        return Path(value).expanduser()
    try:
        from jupyter_core.paths import jupyter_data_dir

        base = Path(jupyter_data_dir())
    except ImportError:  # xentlib without Jupyter: the same place jupyter_core would use
        base = Path.home() / ".local" / "share" / "jupyter"
    return base / "xentlib" / "progress.json"


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def _fsync(fd: int) -> None:
    os.fsync(fd)


class ProgressStore:
    """The progress file at ``path``: ``record``, ``passed``, ``attempts``.

    Parameters
    ----------
    path : str or Path
        The JSON file (created with its folder on the first record).
    """

    def __init__(self, path):
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"ProgressStore({str(self.path)!r})"

    # ---- reading ---------------------------------------------------------------------
    def exercises(self) -> dict:
        """``{label: {"attempts": n, "passed": bool, "first_passed": time, "last": time}}``."""
        return self._load()["exercises"]

    def passed(self) -> set[str]:
        """The labels of the exercises answered correctly at least once."""
        return {label for label, r in self.exercises().items() if r["passed"]}

    def attempts(self, label: str) -> int:
        """How many answers were checked for ``label`` (0 if none)."""
        return self.exercises().get(label, {}).get("attempts", 0)

    # ---- writing ---------------------------------------------------------------------
    def record(self, label: str, passed: bool) -> None:
        """Add one checked answer for ``label``: one more attempt, and passed if it passed."""
        if not isinstance(label, str) or not label:
            raise TypeError(
                f"label must be an exercise label such as 'Lesson 04 q2', got {label!r}."
            )
        if not isinstance(passed, bool):
            raise TypeError(f"passed must be True or False, got {passed!r}.")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._locked():
            data = self._load()  # what other kernels wrote since we last looked
            entry = data["exercises"].setdefault(
                label, {"attempts": 0, "passed": False, "first_passed": None, "last": None}
            )
            entry["attempts"] += 1
            entry["last"] = _now()
            if passed and not entry["passed"]:
                entry["passed"], entry["first_passed"] = True, entry["last"]
            self._write(data)

    # ---- the file --------------------------------------------------------------------
    def _load(self) -> dict:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {"format": FORMAT, "exercises": {}}
        try:
            data = json.loads(text)
            _check_format(data)
            return data
        except (ValueError, TypeError, KeyError) as exc:
            return self._start_over(exc)

    def _start_over(self, exc) -> dict:
        backup = self.path.with_name(
            f"{self.path.name}.corrupt-{_dt.datetime.now().strftime('%Y%m%dT%H%M%S%f')}"
        )
        with contextlib.suppress(FileNotFoundError):
            os.replace(self.path, backup)
        warnings.warn(
            f"Your progress file {self.path} was not valid ({exc}); it was moved to "
            f"{backup.name} next to it, and a fresh progress file starts now. Nothing "
            "else is lost: your notebooks are untouched.",
            RuntimeWarning,
            stacklevel=4,
        )
        return {"format": FORMAT, "exercises": {}}

    def _write(self, data: dict) -> None:
        """Write ``data`` atomically: temporary file, fsync, rename, fsync the folder."""
        folder = self.path.parent
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(data, out, indent=1, sort_keys=True)
                out.flush()
                _fsync(out.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        if hasattr(os, "O_DIRECTORY"):  # make the rename itself durable (POSIX)
            dir_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
            try:
                _fsync(dir_fd)
            finally:
                os.close(dir_fd)

    @contextlib.contextmanager
    def _locked(self):
        """One writer at a time, across processes (a lock file next to the progress file)."""
        with open(self.path.with_name(self.path.name + ".lock"), "a+b") as lock:
            if fcntl is not None:
                fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
            else:  # pragma: no cover - Windows
                import msvcrt

                lock.seek(0)
                msvcrt.locking(lock.fileno(), msvcrt.LK_LOCK, 1)
            try:
                yield
            finally:
                if fcntl is not None:
                    fcntl.flock(lock.fileno(), fcntl.LOCK_UN)
                else:  # pragma: no cover - Windows
                    import msvcrt

                    lock.seek(0)
                    msvcrt.locking(lock.fileno(), msvcrt.LK_UNLCK, 1)


def _check_format(data) -> None:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError("not a xentlib progress file")
    exercises = data["exercises"]
    if not isinstance(exercises, dict):
        raise ValueError("'exercises' is not a table")
    for label, entry in exercises.items():
        if not isinstance(entry.get("attempts"), int) or not isinstance(entry.get("passed"), bool):
            raise ValueError(f"the record of {label!r} is damaged")


# ---- what check() calls -------------------------------------------------------------------
_failed_once = False


def default_store() -> ProgressStore | None:
    """The store at :func:`default_path` (None when recording is off)."""
    path = default_path()
    return None if path is None else ProgressStore(path)


def record(label: str, passed: bool) -> None:
    """Record a checked answer in the default store. Never raises: if the file cannot be
    written (a read-only home, a full disk), it warns once and the exercise still works."""
    global _failed_once
    store = default_store()
    if store is None:
        return
    try:
        store.record(label, passed)
    except OSError as exc:
        if not _failed_once:
            _failed_once = True
            warnings.warn(
                f"Your progress could not be saved to {store.path} ({exc}). The exercises "
                f"still check your answers. Set {ENV}=/a/writable/file.json to save it "
                f"elsewhere, or {ENV}=off to stop trying.",
                RuntimeWarning,
                stacklevel=3,
            )


# ---- what the learner sees ------------------------------------------------------------------
class ProgressReport:
    """Per lesson: the exercises passed out of all, and the attempts. Shows itself as a table."""

    def __init__(self, rows, path):
        self.rows, self.path = rows, path  # (lesson, passed, total, attempts)

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
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{n:02d}</td><td>{p} / {t}</td><td>{a}</td></tr>" for n, p, t, a in self.rows
        )
        return (
            "<table><tr><th>lesson</th><th>done</th><th>attempts</th></tr>"
            f"{rows}</table><p>{self.passed} of {self.total} exercises done.</p>"
        )


def report(store: ProgressStore | None = None) -> ProgressReport:
    """What is done, per lesson, from ``store`` (the default store when None)."""
    from .exercises import all_exercises

    store = store if store is not None else default_store()
    done = store.exercises() if store is not None else {}
    lessons: dict[int, list] = {}
    for q in all_exercises():
        entry = done.get(q.label, {})
        row = lessons.setdefault(q.lesson, [q.lesson, 0, 0, 0])
        row[1] += bool(entry.get("passed"))
        row[2] += 1
        row[3] += entry.get("attempts", 0)
    path = store.path if store is not None else f"nowhere: {ENV} is off"
    return ProgressReport([tuple(r) for _, r in sorted(lessons.items())], path)


def show(store: ProgressStore | None = None, *, ax=None) -> ProgressReport:
    """Draw a bar chart of the exercises done per lesson and return the table of it."""
    from . import plotting

    result = report(store)
    ax = plotting._axes(ax, figsize=(7, 2.8))
    lessons = [f"{n:02d}" for n, *_ in result.rows]
    totals = [t for _, _, t, _ in result.rows]
    done = [p for _, p, _, _ in result.rows]
    ax.bar(lessons, totals, color="#dddddd", label="exercises")
    ax.bar(lessons, done, color=plotting.PALETTE["green"], label="done")
    ax.set(xlabel="lesson", ylabel="exercises", title=f"{result.passed} of {result.total} done")
    ax.legend(loc="upper right", fontsize=9)
    return result
