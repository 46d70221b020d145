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
from xentlib import _progress_store, progress
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
    monkeypatch.setattr(_progress_store, "_failed_once", False)
    q = xl.exercises.lesson(0).q1
    with pytest.warns(RuntimeWarning, match="could not be saved .* still check your answers"):
        assert q.check(q.reference()).passed
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert not q.check(2.0).passed  # no second warning


def test_a_truncated_file_keeps_its_whole_records_and_a_copy(store_path):
    store_path.parent.mkdir(parents=True)
    whole = '{"attempts": 2, "first_passed": "t", "last": "t", "passed": true}'
    store_path.write_text(
        f'{{"format": 1, "exercises": {{"Lesson 00 q2": {whole}, "Lesson 00 q1": {{"attem'
    )
    store = ProgressStore(store_path)
    with pytest.warns(RuntimeWarning, match=r"was not valid .* kept as progress\.json\.corrupt-"):
        store.record("Lesson 01 q1", passed=True)
    backups = list(store_path.parent.glob("progress.json.corrupt-*"))
    assert len(backups) == 1 and backups[0].read_text().endswith('"attem')
    assert store.passed() == {"Lesson 00 q2", "Lesson 01 q1"}
    assert store.attempts("Lesson 00 q2") == 2


@pytest.mark.parametrize(
    "content",
    ["", "[]", '{"format": 2, "exercises": {}}', '{"format": 1, "exercises": {"x": {}}}'],
    ids=["empty", "a list", "another format", "damaged record"],
)
def test_anything_that_is_not_progress_starts_afresh(store_path, content):
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
        from xentlib import _progress_store as progress
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


# ---- issue 21: a damaged file is recovered record by record, check() never raises -------------
GOOD = {"attempts": 3, "first_passed": "2026-01-01T00:00:00+00:00", "last": "t", "passed": True}
DAMAGED = {
    "a null record": None,
    "a number": 7,
    "a list": [1, True],
    "text attempts": {"attempts": "three", "passed": False},
}


def _write_progress(path, records, *, raw_tail=b""):
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"format": 1, "exercises": records})
    path.write_bytes(text.encode() + raw_tail)


@pytest.mark.parametrize("damage", sorted(DAMAGED))
def test_one_bad_record_hides_nothing_else(store_path, damage):
    """A null or int entry made every check() in the course raise, and one bad entry hid all
    saved progress."""
    _write_progress(store_path, {"Lesson 00 q1": GOOD, "Lesson 00 q2": DAMAGED[damage]})
    original = store_path.read_bytes()
    with pytest.warns(RuntimeWarning, match=r"1 damaged record.* recovered"):
        records = ProgressStore(store_path).exercises()
    assert records["Lesson 00 q1"] == GOOD
    assert set(records) <= {"Lesson 00 q1", "Lesson 00 q2"}
    (backup,) = store_path.parent.glob("progress.json.corrupt-*")
    assert backup.read_bytes() == original  # the damaged file, byte for byte
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # repaired on disk: read again without a word
        assert ProgressStore(store_path).exercises() == records


def test_bytes_that_are_not_utf8_lose_no_record(store_path):
    store_path.parent.mkdir(parents=True)
    good = json.dumps(GOOD).encode()
    store_path.write_bytes(
        b'{"format": 1, "exercises": {"Lesson 00 q1": '
        + good
        + b', "Lesson \xff q9": '
        + good
        + b"}}"
    )
    with pytest.warns(RuntimeWarning, match="not UTF-8"):
        records = ProgressStore(store_path).exercises()
    assert records["Lesson 00 q1"] == GOOD and len(records) == 2


@pytest.mark.parametrize(
    "damage",
    ["null entry", "int entry", "not UTF-8", "a list", "truncated"],
)
def test_check_never_raises_on_a_damaged_progress_file(store_path, damage):
    contents = {
        "null entry": b'{"format": 1, "exercises": {"Lesson 00 q1": null}}',
        "int entry": b'{"format": 1, "exercises": {"Lesson 00 q1": 3}}',
        "not UTF-8": b'{"format": 1, "exercises": {"Lesson 00 q1\xfe": {"attempts": 1}}}',
        "a list": b"[1, 2]",
        "truncated": b'{"format": 1, "exer',
    }
    store_path.parent.mkdir(parents=True)
    store_path.write_bytes(contents[damage])
    q = xl.exercises.lesson(0).q1
    with pytest.warns(RuntimeWarning, match="was not valid"):
        assert q.check(q.reference()).passed
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # once: the file is repaired
        assert not q.check(2.0).passed
    assert ProgressStore(store_path).attempts(q.label) == 2
    assert len(list(store_path.parent.glob("progress.json.corrupt-*"))) == 1


SHOW_STATES = {
    "missing": None,
    "null entry": b'{"format": 1, "exercises": {"Lesson 00 q1": null}}',
    "text attempts": b'{"format": 1, "exercises": {"Lesson 00 q1": {"attempts": "2", "passed": true}}}',
    "exercises is a list": b'{"format": 1, "exercises": [1]}',
    "not UTF-8": b"\xff\xfe{",
    "a folder": "folder",
}


@pytest.mark.parametrize("state", sorted(SHOW_STATES))
def test_report_and_show_never_fail_on_a_damaged_store(tmp_path, state):
    import matplotlib.pyplot as plt

    path = tmp_path / "progress.json"
    content = SHOW_STATES[state]
    if content == "folder":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # the recovery's warning
        table = progress.report(str(path))  # a path, as a str: it raised AttributeError
        fig, ax = plt.subplots()
        shown = progress.show(path, ax=ax)
    assert table.total == shown.total == len(xl.exercises.all_exercises())
    assert ("could not be read" in str(table)) == (state == "a folder")
    plt.close(fig)


def test_report_names_a_store_of_the_wrong_type():
    with pytest.raises(TypeError, match="store must be a ProgressStore, a path"):
        progress.report(3)


def test_a_writer_that_hangs_holding_the_lock_blocks_no_one(store_path, monkeypatch):
    """A kernel that hangs holding the lock blocked every other kernel forever: now a bounded
    wait, a clear message, and the answer saved with the next one once the lock is free."""
    monkeypatch.setattr(_progress_store, "LOCK_TIMEOUT", 1.0)
    monkeypatch.setattr(_progress_store, "_failed_once", False)
    monkeypatch.setattr(_progress_store, "_pending", [])
    monkeypatch.setattr(_progress_store, "_waited_out", False)
    store_path.parent.mkdir(parents=True)
    holder = """
        import sys, time
        from xentlib.progress import ProgressStore
        with ProgressStore(sys.argv[1])._locked():
            print("locked", flush=True)
            time.sleep(120)
    """
    proc = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(holder), str(store_path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout.readline().strip() == "locked"
        q = xl.exercises.lesson(0).q1
        start = time.monotonic()
        with pytest.warns(RuntimeWarning, match=r"held the lock .* saved with your next answer"):
            assert q.check(q.reference()).passed
        first = time.monotonic() - start
        start = time.monotonic()
        assert not q.check(2.0).passed  # still locked: a short wait, no second warning
        second = time.monotonic() - start
        assert 0.9 < first < 5 and second < 1, (first, second)
    finally:
        proc.kill()
        proc.wait(timeout=30)
        proc.stdout.close()
    assert q.check(q.reference()).passed  # the lock is free: all three answers saved
    assert ProgressStore(store_path).attempts(q.label) == 3


def test_progress_and_exercises_do_not_import_each_other():
    """progress.py imported exercises and exercises imported progress. Now the store
    (_progress_store) knows no exercises; progress (the view) imports both."""
    graph = _import_graph()
    assert "xentlib.progress" not in _reachable(graph, "xentlib.exercises")
    assert "xentlib.exercises" not in _reachable(graph, "xentlib._progress_store")
    cycles = [m for m in graph if m in _reachable(graph, m)]
    assert not cycles, f"modules of xentlib in an import circle: {sorted(cycles)}"


def _import_graph() -> dict:
    """Module → the xentlib modules it imports, anywhere in it (functions included)."""
    import ast

    package = ROOT / "xentlib"
    modules = {}
    for path in package.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = (path, parts[-1] == "__init__")
    graph = {}
    for name, (path, is_package) in modules.items():
        base = name if is_package else name.rpartition(".")[0]
        edges = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                root = base
                for _ in range(node.level - 1):
                    root = root.rpartition(".")[0]
                target = (
                    f"{root}.{node.module}" if node.level and node.module else (node.module or root)
                )
                for alias in node.names:
                    sub = f"{target}.{alias.name}"
                    edges.add(sub if sub in modules else target)
            elif isinstance(node, ast.Import):
                edges.update(a.name for a in node.names)
        graph[name] = {e for e in edges if e in modules and e != name and e != "xentlib"}
    return graph


def _reachable(graph, start) -> set:
    seen, todo = set(), list(graph[start])
    while todo:
        module = todo.pop()
        if module not in seen:
            seen.add(module)
            todo.extend(graph.get(module, ()))
    return seen
