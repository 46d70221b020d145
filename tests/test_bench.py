"""`make bench` (tools/bench.py): its exit code comes from the goals it judged, recorded as it
judged them, not from counting the marks in what it printed. (The timings themselves are
not tested: ratios on a shared machine are for the tables in CONTRIBUTING.md.)"""

from __future__ import annotations

import inspect

import pytest

from tools import bench


def test_goals_record_each_judgement_and_mark_it():
    goals = bench.Goals()
    assert goals.mark("fast enough", True) == "✓"
    assert goals.mark("small enough", False) == "✗"
    assert goals.judged == [("fast enough", True), ("small enough", False)]
    assert goals.missed == ["small enough"]


def _run(monkeypatch, *, met: bool, printed: str) -> int:
    """bench.main with every benchmark replaced by one judged goal and some printed text."""
    monkeypatch.setenv("MPLBACKEND", "agg")
    monkeypatch.setattr(bench, "bench_losses", lambda repeat: [])
    monkeypatch.setattr(bench, "print_loss_table", lambda rows, goals: print(printed))
    monkeypatch.setattr(bench, "bench_models", lambda repeat, goals: goals.mark("model", met))
    monkeypatch.setattr(bench, "bench_explorers", lambda repeat, goals: None)
    return bench.main(["--repeat", "1"])


@pytest.mark.parametrize(
    ("met", "printed", "code"),
    [
        (True, "a note that mentions ✗, the mark of a missed goal", 0),
        (False, "a table with no mark at all", 1),
        (True, "", 0),
    ],
    ids=["a-mark-in-the-text-is-not-a-goal", "a-missed-goal-unmarked-still-fails", "met"],
)
def test_the_exit_code_follows_the_judged_goals(monkeypatch, capsys, met, printed, code):
    assert _run(monkeypatch, met=met, printed=printed) == code
    out = capsys.readouterr().out
    if code:
        assert "1 of 1 goals missed (✗ above):\n- model\n" in out
    else:
        assert "Every goal met (1 judged, ✓ above)." in out


def test_every_mark_the_tables_print_comes_from_a_judged_goal():
    source = inspect.getsource(bench)
    marks = source.count('"✓"') + source.count('"✗"') + source.count("'✓'") + source.count("'✗'")
    assert marks == 2, "print a goal's mark only through Goals.mark, so that it is counted"
    assert inspect.getsource(bench.Goals.mark).count("✓") == 1
