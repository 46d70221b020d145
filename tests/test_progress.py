"""Saved progress: recorded by check(), atomic, shared by kernels, never lost (real processes)."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import warnings
from pathlib import Path

import pytest

import xentlib as xl
from xentlib import progress
from xentlib.progress import ProgressStore

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def store_path(tmp_path, monkeypatch):
    path = tmp_path / "deep" / "progress.json"
    monkeypatch.setenv(progress.ENV, str(path))
    return path


def test_check_records_attempts_and_passes(store_path):
    q = xl.exercises.lesson(0).q1
    q.check(...)  # the placeholder is not an attempt
    assert not store_path.exists()
    q.check(2.0)
    q.check(float(q.reference()))
    q.check(2.0)
    store = ProgressStore(store_path)
    assert store.attempts(q.label) == 3 and store.passed() == {q.label}
    entry = store.exercises()[q.label]
    assert entry["passed"] and entry["first_passed"] <= entry["last"]


def test_off_records_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv(progress.ENV, "off")
    assert progress.default_path() is None
    xl.exercises.lesson(0).q1.check(2.0)
    assert list(tmp_path.iterdir()) == []


def test_default_is_in_the_jupyter_data_directory(monkeypatch):
    from jupyter_core.paths import jupyter_data_dir

    monkeypatch.delenv(progress.ENV, raising=False)
    assert progress.default_path() == Path(jupyter_data_dir()) / "xentlib" / "progress.json"


def test_an_unwritable_place_warns_once_and_the_exercise_still_works(tmp_path, monkeypatch):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv(progress.ENV, str(blocked / "progress.json"))
    monkeypatch.setattr(progress, "_failed_once", False)
    q = xl.exercises.lesson(0).q1
    with pytest.warns(RuntimeWarning, match="could not be saved .* still check your answers"):
        assert q.check(q.reference()).passed
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert not q.check(2.0).passed  # no second warning


def test_a_corrupt_file_is_moved_aside_with_a_warning(store_path):
    store_path.parent.mkdir(parents=True)
    store_path.write_text('{"format": 1, "exercises": {"Lesson 00 q1": {"attem')
    store = ProgressStore(store_path)
    with pytest.warns(RuntimeWarning, match=r"was not valid .* moved to progress\.json\.corrupt-"):
        store.record("Lesson 01 q1", passed=True)
    backups = list(store_path.parent.glob("progress.json.corrupt-*"))
    assert len(backups) == 1 and backups[0].read_text().endswith('"attem')
    assert store.passed() == {"Lesson 01 q1"}


@pytest.mark.parametrize(
    "content",
    ["", "[]", '{"format": 2, "exercises": {}}', '{"format": 1, "exercises": {"x": {}}}'],
    ids=["empty", "a list", "another format", "damaged record"],
)
def test_anything_that_is_not_progress_is_corrupt(store_path, content):
    store_path.parent.mkdir(parents=True)
    store_path.write_text(content)
    with pytest.warns(RuntimeWarning, match="was not valid"):
        assert ProgressStore(store_path).exercises() == {}


def test_bad_arguments_are_explained(tmp_path):
    store = ProgressStore(tmp_path / "p.json")
    with pytest.raises(TypeError, match="label must be an exercise label"):
        store.record(3, True)
    with pytest.raises(TypeError, match="passed must be True or False"):
        store.record("Lesson 00 q1", "yes")


def test_two_kernels_writing_at_once_lose_no_record(tmp_path):
    path = tmp_path / "progress.json"
    writer = """
        import sys
        from xentlib.progress import ProgressStore
        store = ProgressStore(sys.argv[1])
        for i in range(150):
            store.record(f"{sys.argv[2]} q{i}", passed=i % 2 == 0)
            store.record("shared", passed=False)
    """
    procs = [
        subprocess.Popen([sys.executable, "-c", textwrap.dedent(writer), str(path), name], cwd=ROOT)
        for name in ("kernel A", "kernel B")
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    store = ProgressStore(path)
    records = store.exercises()
    assert len(records) == 301  # 150 + 150 distinct labels and "shared"
    assert store.attempts("shared") == 300
    assert len(store.passed()) == 150


def test_kill_9_in_the_middle_of_a_write_leaves_a_valid_file(tmp_path):
    path = tmp_path / "progress.json"
    ProgressStore(path).record("Lesson 00 q1", passed=True)
    before = json.loads(path.read_text())
    # A kernel that is killed while writing: its fsync is slowed down so that the kill
    # lands after it has written half of its temporary file, before the rename.
    slow_writer = """
        import sys, time
        from xentlib import progress
        progress._fsync = lambda fd: (print("writing", flush=True), time.sleep(30))
        store = progress.ProgressStore(sys.argv[1])
        store.record("Lesson 09 q9", passed=True)
    """
    proc = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(slow_writer), str(path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout.readline().strip() == "writing"  # it is inside the write now
    leftovers = list(tmp_path.glob(".progress.json.*.tmp"))
    assert len(leftovers) == 1 and leftovers[0].stat().st_size > 0
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # valid: no "corrupt" warning
        assert json.loads(path.read_text()) == before
        assert ProgressStore(path).passed() == {"Lesson 00 q1"}
    # the next write still works, next to the killed writer's temporary file
    ProgressStore(path).record("Lesson 01 q1", passed=False)
    assert ProgressStore(path).attempts("Lesson 01 q1") == 1


def test_the_lock_makes_a_second_writer_wait(tmp_path):
    path = tmp_path / "progress.json"
    holder = """
        import sys, time
        from xentlib.progress import ProgressStore
        store = ProgressStore(sys.argv[1])
        with store._locked():
            print("locked", flush=True)
            time.sleep(2)
    """
    proc = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(holder), str(path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout.readline().strip() == "locked"
    start = time.monotonic()
    ProgressStore(path).record("Lesson 00 q1", passed=True)
    waited = time.monotonic() - start
    assert proc.wait(timeout=30) == 0
    proc.stdout.close()
    assert waited > 0.5, f"the second writer did not wait for the lock ({waited:.2f} s)"


def test_show_draws_a_bar_per_lesson_and_returns_the_table(store_path):
    import matplotlib.pyplot as plt

    q = xl.exercises.lesson(1).q1
    q.check(q.reference())
    fig, ax = plt.subplots()
    report = progress.show(ax=ax)
    lessons = [row[0] for row in report.rows]
    assert lessons == sorted({e.lesson for e in xl.exercises.all_exercises()})
    assert report.passed == 1 and report.total == len(xl.exercises.all_exercises())
    assert "1 of" in str(report) and "<table>" in report._repr_html_()
    assert len(ax.patches) == 2 * len(lessons)
    plt.close(fig)
