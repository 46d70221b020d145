"""The progress file: every checked answer is recorded, and never lost.

This module knows files, not exercises: ``check()`` (``xentlib.exercises``) calls
:func:`record`, and :mod:`xentlib.progress` reads the store to show what is done. Neither
is imported here, so there is no import circle.

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
  re-reads the file before adding its record, so no record is lost; a kernel that holds
  the lock and hangs (stopped in a debugger) makes the others wait ``LOCK_TIMEOUT`` seconds
  at most: their answers are still checked, kept in memory and saved with the next one;
- a damaged file (hand-edited, truncated by a full disk, a null or a number where a record
  should be, bytes that are not UTF-8) is recovered record by record: every record that
  can be read is kept, a copy of the damaged file is kept next to it as
  ``progress.json.corrupt-<time>``, and a warning says what was lost.

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
import re
import tempfile
import time
import warnings
from pathlib import Path

try:  # POSIX
    import fcntl
except ImportError:  # Windows: the lock is msvcrt's
    fcntl = None

ENV = "XENTLIB_PROGRESS"
OFF = ("off", "0", "false", "no")
FORMAT = 1
LOCK_TIMEOUT = 5.0  # seconds a writer waits for another kernel's lock (a write takes ms)
_RETRY_WAIT = 0.2  # … after a timeout, until a write succeeds again: no check waits long

__all__ = ["ENV", "ProgressLockTimeout", "ProgressStore", "default_path", "default_store", "record"]


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


class ProgressLockTimeout(OSError):
    """Another process held the progress file's lock for longer than the wait allowed."""


def _empty() -> dict:
    return {"format": FORMAT, "exercises": {}}


class ProgressStore:
    """The progress file at ``path``: ``record``, ``passed``, ``attempts``.

    Parameters
    ----------
    path : str or Path
        The JSON file (created with its folder on the first record).
    """

    def __init__(self, path):
        if not isinstance(path, (str, os.PathLike)):
            raise TypeError(
                f"path must be a file name (a str or a pathlib.Path), got {type(path).__name__}."
            )
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"ProgressStore({str(self.path)!r})"

    # ---- reading ---------------------------------------------------------------------
    def exercises(self) -> dict:
        """``{label: {"attempts": n, "passed": bool, "first_passed": time, "last": time}}``.

        A damaged file is recovered record by record (and repaired on disk, a copy of it
        kept): see the module's docstring."""
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
        self.record_many([(label, passed, _now())])

    def record_many(self, answers, *, timeout: float | None = None) -> None:
        """Add checked answers ``(label, passed, time)`` in one write (under the lock, waiting
        at most ``timeout`` seconds for it, by default ``LOCK_TIMEOUT``)."""
        answers = list(answers)
        for label, passed, _ in answers:
            if not isinstance(label, str) or not label:
                raise TypeError(
                    f"label must be an exercise label such as 'Lesson 04 q2', got {label!r}."
                )
            if not isinstance(passed, bool):
                raise TypeError(f"passed must be True or False, got {passed!r}.")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._locked(LOCK_TIMEOUT if timeout is None else timeout):
            data = self._load(locked=True)  # what other kernels wrote since we last looked
            for label, passed, when in answers:
                entry = data["exercises"].setdefault(
                    label, {"attempts": 0, "passed": False, "first_passed": None, "last": None}
                )
                entry["attempts"] += 1
                entry["last"] = when
                if passed and not entry["passed"]:
                    entry["passed"], entry["first_passed"] = True, when
            self._write(data)

    # ---- the file --------------------------------------------------------------------
    def _load(self, *, locked: bool = False) -> dict:
        """The file's contents, recovered record by record when damaged. A damaged file is
        repaired on disk (a copy of it kept) when the lock can be had; otherwise the
        recovered records are returned and the file is left for the next writer."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return _empty()
        data, problem = _recover(raw)
        if problem is None:
            return data
        if locked:
            return self._repair(raw, data, problem)
        try:
            with self._locked(_RETRY_WAIT):
                raw = self.path.read_bytes()  # again, now that no one else is writing
                data, problem = _recover(raw)
                return data if problem is None else self._repair(raw, data, problem)
        except OSError as exc:  # locked by a stuck kernel, or a read-only folder: read only
            self._warn(problem, len(data["exercises"]), f"it could not be repaired now ({exc})")
            return data

    def _repair(self, raw: bytes, data: dict, problem: str) -> dict:
        """Keep a copy of the damaged file, write the recovered records, say what happened."""
        backup = self.path.with_name(
            f"{self.path.name}.corrupt-{_dt.datetime.now().strftime('%Y%m%dT%H%M%S%f')}"
        )
        try:
            backup.write_bytes(raw)
            self._write(data)
            where = f"a copy of it is kept as {backup.name} next to it"
        except OSError as exc:
            where = f"it could not be repaired ({exc}), so it is left as it is"
        self._warn(problem, len(data["exercises"]), where)
        return data

    def _warn(self, problem: str, kept: int, where: str) -> None:
        warnings.warn(
            f"Your progress file {self.path} was not valid ({problem}); {kept} record(s) were "
            f"recovered from it and {where}. Nothing else is lost: your notebooks are "
            "untouched.",
            RuntimeWarning,
            stacklevel=5,
        )

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
    def _locked(self, timeout: float = LOCK_TIMEOUT):
        """One writer at a time, across processes (a lock file next to the progress file),
        waiting at most ``timeout`` seconds: then :class:`ProgressLockTimeout`."""
        lock_path = self.path.with_name(self.path.name + ".lock")
        deadline = time.monotonic() + timeout
        with open(lock_path, "a+b") as lock:
            while not _try_lock(lock):
                if time.monotonic() >= deadline:
                    raise ProgressLockTimeout(
                        f"another Python process has held the lock {lock_path.name} of your "
                        f"progress file for more than {timeout:g} s (a kernel stopped in a "
                        "debugger, or stuck?)"
                    )
                time.sleep(0.02)
            try:
                yield
            finally:
                _unlock(lock)


def _try_lock(lock) -> bool:
    """Take the lock if no one holds it; never wait."""
    try:
        if fcntl is not None:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:  # pragma: no cover - Windows
            import msvcrt

            lock.seek(0)
            msvcrt.locking(lock.fileno(), msvcrt.LK_NBLCK, 1)
    except BlockingIOError:
        return False
    except OSError:  # pragma: no cover - Windows says EACCES or EDEADLOCK for a held lock
        if fcntl is None:
            return False
        raise
    return True


def _unlock(lock) -> None:
    if fcntl is not None:
        fcntl.flock(lock.fileno(), fcntl.LOCK_UN)
    else:  # pragma: no cover - Windows
        import msvcrt

        lock.seek(0)
        msvcrt.locking(lock.fileno(), msvcrt.LK_UNLCK, 1)


# ---- recovering a damaged file, record by record -------------------------------------------
def _recover(raw: bytes) -> tuple[dict, str | None]:
    """The progress in ``raw`` and what was wrong with it (None when nothing was)."""
    problems = []
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:  # the labels keep what can be read of them
        text = raw.decode("utf-8", errors="replace")
        problems.append("bytes that are not UTF-8")
    try:
        data = json.loads(text)
    except ValueError as exc:
        problems.append(f"not JSON: {exc}")
        data = {"format": FORMAT, "exercises": _salvage(text)}
    if not isinstance(data, dict):
        return _empty(), f"not a table of records but a JSON {type(data).__name__}"
    version = data.get("format")
    if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT:
        return _empty(), f"format {version}, from a newer xentlib; this one reads format 1"
    if version != FORMAT:
        problems.append(f"format {version!r} instead of 1")
    table = data.get("exercises")
    if not isinstance(table, dict):
        problems.append("no table of exercises")
        table = {}
    records, damaged = {}, []
    for label, entry in table.items():
        fixed = _record_from(entry)
        if fixed is None:
            damaged.append(label)
            continue
        if any(entry.get(key) != value for key, value in fixed.items()):
            damaged.append(label)
        records[label] = fixed
    lost = [label for label in damaged if label not in records]
    if damaged:
        problems.append(
            f"{len(damaged)} damaged record(s)"
            + (f", {len(lost)} lost: {', '.join(map(repr, lost[:3]))}" if lost else "")
            + ("…" if len(lost) > 3 else "")
        )
    return {"format": FORMAT, "exercises": records}, "; ".join(problems) or None


def _record_from(entry) -> dict | None:
    """A valid record from ``entry``, keeping what can be read (None: nothing can).

    ``attempts`` is a count and ``passed`` a bool; a record with neither readable is lost.
    """
    if not isinstance(entry, dict):
        return None
    attempts, passed = entry.get("attempts"), entry.get("passed")
    attempts_ok = isinstance(attempts, int) and not isinstance(attempts, bool) and attempts >= 0
    passed_ok = isinstance(passed, bool)
    if not attempts_ok and not passed_ok:
        return None
    passed = passed if passed_ok else False
    attempts = attempts if attempts_ok else 1
    attempts = max(attempts, 1) if passed else attempts

    def when(key):
        value = entry.get(key)
        return value if isinstance(value, str) else None

    first = when("first_passed") if passed else None
    return {"attempts": attempts, "first_passed": first, "last": when("last"), "passed": passed}


_LABEL_AND_TABLE = re.compile(r'"((?:[^"\\]|\\.)*)"\s*:\s*(?=\{)')


def _salvage(text: str) -> dict:
    """The records that can still be read from text that is not JSON (a truncated file)."""
    decoder, found = json.JSONDecoder(), {}
    for match in _LABEL_AND_TABLE.finditer(text):
        try:
            label = json.loads(f'"{match.group(1)}"')
            value, _ = decoder.raw_decode(text, match.end())
        except ValueError:
            continue
        if isinstance(value, dict) and ("attempts" in value or "passed" in value):
            found[label] = value
    return found


# ---- what check() calls ---------------------------------------------------------------------
_failed_once = False
_pending: list[tuple[str, bool, str]] = []  # answers not saved yet (a lock held too long)
_waited_out = False  # the last write timed out on the lock: wait briefly until one succeeds


def default_store() -> ProgressStore | None:
    """The store at :func:`default_path` (None when recording is off)."""
    path = default_path()
    return None if path is None else ProgressStore(path)


def record(label: str, passed: bool) -> None:
    """Record a checked answer in the default store. Never raises: if the file cannot be
    written (a read-only home, a full disk, a lock another kernel holds too long), it warns
    once and the exercise still works; answers kept back by a lock are saved with the next."""
    global _failed_once, _waited_out
    store = default_store()
    if store is None:
        return
    _pending.append((label, passed, _now()))
    try:
        store.record_many(_pending, timeout=_RETRY_WAIT if _waited_out else LOCK_TIMEOUT)
    except OSError as exc:
        _waited_out = isinstance(exc, ProgressLockTimeout)
        if not _failed_once:
            _failed_once = True
            later = " It will be saved with your next answer." if _waited_out else ""
            warnings.warn(
                f"Your progress could not be saved to {store.path} ({exc}).{later} The "
                f"exercises still check your answers. Set {ENV}=/a/writable/file.json to save "
                f"it elsewhere, or {ENV}=off to stop trying.",
                RuntimeWarning,
                stacklevel=3,
            )
        if not _waited_out:
            _pending.clear()  # an unwritable place: retrying would not help
        return
    except BaseException:  # not ours to handle (check() reports it): nothing is retried
        _pending.clear()
        raise
    _pending.clear()
    _waited_out = False
