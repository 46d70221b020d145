"""The numbers the general detectors quote as printed by a lesson (xentlib/exercises/_printed.py)
are printed there, exactly as written, in the outputs of the lesson's committed notebook."""

import json
from pathlib import Path

import pytest

from xentlib.exercises._printed import PRINTED

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def _outputs(lesson: int) -> str:
    [path] = NOTEBOOKS.glob(f"{lesson:02d}_*.ipynb")
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    texts = []
    for cell in cells:
        for output in cell.get("outputs", []):
            texts.append("".join(output.get("text", "")))
            for value in output.get("data", {}).values():
                texts.append("".join(value) if isinstance(value, list) else str(value))
    return "\n".join(texts)


@pytest.mark.parametrize("printed", PRINTED, ids=lambda p: p.shown)
def test_a_number_quoted_as_printed_is_printed_by_its_lesson(printed):
    assert printed.shown in _outputs(printed.lesson), (
        f"lesson {printed.lesson:02d} prints no {printed.shown} ({printed.what})"
    )
