"""Check that every notebook is committed the way a learner should receive it.

A notebook fails when it:

- was not executed top to bottom in a fresh kernel (execution counts must be 1..n);
- holds an error output or anything written to stderr (a warning, a traceback);
- carries stray metadata: saved widget state, collapsed/scrolled flags, timings, …;
- links to a notebook or image that does not exist;
- lacks its navigation cells (previous / course map / next), or they are out of date;
- excludes more than a quarter of its code cells from nbval's output comparison, or
  excludes one without saying why: the line after ``# NBVAL_IGNORE_OUTPUT`` or
  ``# NBVAL_SKIP`` must be a comment ``# Why: WHAT differs/varies/changes/depends …`` (or
  ``# Because WHAT …``), naming what is not the same from run to run;
- quotes a number in its prose that none of its own cells computes: every decimal with two or
  more decimals in a markdown cell must appear, written the same way, in the code or output
  of a code cell of the same notebook (so "softmax(0.1, 0.4, 0.5) = (0.28, 0.37, 0.35)"
  cannot be written when the cells print (0.26, 0.35, 0.39)), unless it is one of the
  deliberate exceptions listed, each with its reason, in :data:`PROSE_NUMBERS_NOT_COMPUTED`;
- shows a figure without a text alternative: every image output needs one
  (``xl.plotting.show(fig, alt=...)`` gives it), and every picture in its text needs alt
  text. Every lesson's figures have one now, so :data:`FIGURES_WITHOUT_ALT`, the known gap
  per lesson while they were converted, is empty: any figure without one fails.

    python tools/check_notebooks.py            # every notebook; exit 1 on any problem
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

import nbformat

try:
    from tools.course import LESSONS, notebook_paths
    from tools.execute_notebooks import ALLOWED_CELL_METADATA, NOTEBOOK_METADATA
    from tools.navigation import NAV_MARKER, navigation_source
except ImportError:  # run as a script
    from course import LESSONS, notebook_paths
    from execute_notebooks import ALLOWED_CELL_METADATA, NOTEBOOK_METADATA
    from navigation import NAV_MARKER, navigation_source

NBVAL_EXCLUDING_MARKERS = ("NBVAL_IGNORE_OUTPUT", "NBVAL_SKIP")
NBVAL_EXCLUDING_TAGS = ("nbval-ignore-output", "nbval-skip")
MAX_EXCLUDED_FRACTION = 0.25
# Markdown links and images: [text](target) / ![alt](target), and HTML src/href attributes.
LINK_PATTERNS = (
    re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)"),
    re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']"""),
)


# A decimal with two or more decimals (its sign does not matter), not part of a version
# number such as 4.6.6 or of a longer word.
PROSE_DECIMAL = re.compile(r"(?<![\w.])\d+\.(\d{2,})(?![\w.]*\d)")
ANY_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")

# Numbers the prose may quote although no cell of the notebook prints them: (notebook, number)
# → why. Each must still be quoted and still not computed, or the checker says to remove it.
PROSE_NUMBERS_NOT_COMPUTED = {
    ("00_start_here.ipynb", "0.01"): "a slider value the learner is asked to try",
    ("01_surprise_and_entropy.ipynb", "0.693"): "ln 2, the peak the entropy explorer shows",
    ("02_cross_entropy_and_kl.ipynb", "0.8178"): (
        "what the seed post prints, quoted; lessons 04 and 12 compute it"
    ),
    ("08_playground.ipynb", "0.95"): "the smoothed target (1 − ε) + ε/C, worked in the sentence",
    ("08_playground.ipynb", "0.05"): "the smoothed target ε/C, worked in the sentence",
    ("09_binary_and_multilabel.ipynb", "16.12"): (
        "the clipped loss that §3's last cells print as 16.118, rounded to two decimals"
    ),
    ("10_why_not_mse.ipynb", "0.51"): "a forecast a forecaster might report, an example",
    ("10_why_not_mse.ipynb", "0.99"): "a forecast a forecaster might report, an example",
    ("11_imbalance_smoothing_calibration.ipynb", "0.85"): "a recall to tell from 0.9, an example",
    ("14_distillation_and_contrastive.ipynb", "0.07"): "CLIP's initial temperature, from its paper",
    ("14_distillation_and_contrastive.ipynb", "0.001"): "the temperature of q9's hidden test input",
}


# The known gap (issue 23), closed: a lesson → how many of its figure outputs may lack a text
# alternative. While the static figures drawn with plt.show() (a PNG output without alt text)
# were being redrawn with xl.plotting.show(fig, alt=...), each lesson's count could only go
# down; every lesson reached 0, so it is empty and a figure without alt text fails, here and
# in tests/test_browser.py (axe-core in JupyterLab). Keep it empty: a new figure uses the helper.
FIGURES_WITHOUT_ALT: dict[str, int] = {}
IMG_ALT = re.compile(r"""<img\b[^>]*\balt\s*=\s*["']([^"']*)["']""", re.I)
MARKDOWN_IMAGE = re.compile(r"!\[([^\]]*)\]\(")


def figure_outputs_without_alt(nb) -> list[int]:
    """The cells (indices) of every image output that has no text alternative: no ``alt``
    in its metadata and no ``<img alt="…">`` in its HTML."""
    cells = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            data = out.get("data", {})
            images = [m for m in data if m.startswith("image/")]
            if not images:
                continue
            metadata_alt = any(
                str(out.get("metadata", {}).get(m, {}).get("alt", "")).strip() for m in images
            )
            html_text = data.get("text/html", "")
            html_text = "".join(html_text) if isinstance(html_text, list) else html_text
            html_alt = [a for a in IMG_ALT.findall(html_text) if a.strip()]
            if not (metadata_alt or html_alt):
                cells.append(i)
    return cells


# JupyterLab scales an image wider than its output area down to fit (max-width: 100%), and its
# text with it: a lesson's figures are drawn at most 10 inches wide at 100 dpi (1012 px with
# matplotlib's padding), so that their 10-pt text is shown at 10 pt (WCAG 1.4.4, issue 23).
MAX_FIGURE_WIDTH = 1012


def wide_figures(nb) -> list[tuple[int, int]]:
    """(cell, width in CSS px) of every figure output wider than MAX_FIGURE_WIDTH."""
    wide = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            for mime, meta in out.get("metadata", {}).items():
                if mime.startswith("image/") and isinstance(meta, dict):
                    width = meta.get("width")
                    if isinstance(width, int | float) and width > MAX_FIGURE_WIDTH:
                        wide.append((i, int(width)))
    return wide


def check_figure_alternatives(nb, name: str) -> list[str]:
    """Figures without a text alternative beyond the lesson's known gap, a known gap that has
    shrunk, and pictures in the text without alt text."""
    problems = []
    missing = figure_outputs_without_alt(nb)
    known = FIGURES_WITHOUT_ALT.get(name, 0)
    if len(missing) > known:
        problems.append(
            f"{len(missing)} figure outputs have no text alternative (cells {missing}), "
            f"{known} known: show each with xl.plotting.show(fig, alt='what it shows')"
        )
    elif len(missing) < known:
        problems.append(
            f"only {len(missing)} figure outputs lack a text alternative now: lower "
            f"FIGURES_WITHOUT_ALT[{name!r}] in tools/check_notebooks.py to {len(missing)}"
        )
    for i, width in wide_figures(nb):
        problems.append(
            f"cell {i} shows a figure {width} px wide: JupyterLab shrinks it, and its text, to "
            f"fit; draw it at most 10 inches wide ({MAX_FIGURE_WIDTH} px), in more rows if need be"
        )
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            for alt in MARKDOWN_IMAGE.findall(cell.source) + IMG_ALT.findall(cell.source):
                if len(alt.split()) < 3:
                    problems.append(f"cell {i} has a picture without alt text: {alt!r}")
    return problems


def _cell_texts(cell) -> list[str]:
    """A code cell's source and everything it printed or displayed as text."""
    texts = [cell.source]
    for out in cell.get("outputs", []):
        texts.append(out.get("text", ""))
        for mime in ("text/plain", "text/html", "text/markdown", "text/latex"):
            value = out.get("data", {}).get(mime, "")
            texts.append("".join(value) if isinstance(value, list) else value)
    return texts


def computed_numbers(nb) -> set[str]:
    """Every number, written as it is written there, in the code cells of ``nb`` (their
    source and what they printed or displayed): the numbers its prose may quote."""
    texts = [text for cell in nb.cells if cell.cell_type == "code" for text in _cell_texts(cell)]
    return {number for text in texts for number in ANY_NUMBER.findall(text)}


def check_prose_numbers(nb, name: str) -> list[str]:
    """Numbers the prose of notebook ``name`` (its file name) quotes that none of its cells
    computes, and exceptions listed for it that are no longer needed."""
    computed = computed_numbers(nb)
    allowed = {n for (where, n) in PROSE_NUMBERS_NOT_COMPUTED if where == name}
    problems, quoted = [], set()
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown" or cell.source.startswith(NAV_MARKER):
            continue
        for match in PROSE_DECIMAL.finditer(cell.source):
            quoted.add(match.group(0))
            if match.group(0) not in computed | allowed:
                problems.append(
                    f"cell {i} quotes {match.group(0)}, which no cell of this notebook computes "
                    "(print it in a cell next to the sentence, or fix the number)"
                )
    for number in sorted(allowed - (quoted - computed)):
        why = "is no longer quoted" if number not in quoted else "is now computed by a cell"
        problems.append(
            f"{number} {why}: remove ({name!r}, {number!r}) from PROSE_NUMBERS_NOT_COMPUTED "
            "in tools/check_notebooks.py"
        )
    return problems


def _code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]


def excluded_from_nbval(cell) -> bool:
    """True when nbval will not compare this cell's output."""
    comments = [
        line.strip().lstrip("#").strip()
        for line in cell.source.splitlines()
        if line.strip().startswith("#")
    ]
    tags = cell.metadata.get("tags", [])
    return any(m in comments for m in NBVAL_EXCLUDING_MARKERS) or any(
        t in tags for t in NBVAL_EXCLUDING_TAGS
    )


# A reason names what is not the same from run to run: "# Why: the versions differ from
# machine to machine", "# Because the timings vary".
EXCLUSION_REASON = re.compile(
    r"#\s*(?:why:|because\b)\s*(?P<what>\S.*?)\s+"
    r"(?:differs?|vary|varies|changes?|depends?)\b",
    re.I,
)


def is_exclusion_reason(line: str) -> bool:
    """Is ``line`` a comment giving why a cell's output is not compared (naming what varies)?"""
    match = EXCLUSION_REASON.match(line.strip())
    return bool(match and re.search(r"[a-z]{2}", match.group("what"), re.I))


def _exclusion_has_reason(cell) -> bool:
    """An excluded cell says why in a comment (:func:`is_exclusion_reason`): on the line
    after the marker, or (excluded by a tag) on any comment line of the cell."""
    lines = [line.strip() for line in cell.source.splitlines()]
    for i, line in enumerate(lines):
        if line.lstrip("#").strip() in NBVAL_EXCLUDING_MARKERS:
            return i + 1 < len(lines) and is_exclusion_reason(lines[i + 1])
    return any(is_exclusion_reason(line) for line in lines)


def _links(source: str):
    for pattern in LINK_PATTERNS:
        yield from pattern.findall(source)


def check_execution(nb) -> list[str]:
    problems = []
    counts = [c.execution_count for c in _code_cells(nb)]
    if counts != list(range(1, len(counts) + 1)):
        problems.append(
            f"not executed top to bottom in a fresh kernel: execution counts are {counts}, "
            f"expected 1..{len(counts)} (run `make notebooks`)"
        )
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for out in cell.outputs:
            if out.output_type == "error":
                problems.append(f"cell {i} has an error output: {out.ename}: {out.evalue}")
            if out.output_type == "stream" and out.name == "stderr":
                problems.append(f"cell {i} writes to stderr: {out.text.strip()[:120]!r}")
    return problems


def check_metadata(nb) -> list[str]:
    problems = []
    extra = set(nb.metadata) - set(NOTEBOOK_METADATA)
    if extra:
        problems.append(
            f"stray notebook metadata {sorted(extra)} (saved widget state?); run `make notebooks`"
        )
    for i, cell in enumerate(nb.cells):
        extra = set(cell.metadata) - ALLOWED_CELL_METADATA
        if extra:
            problems.append(f"cell {i} has stray metadata {sorted(extra)}; run `make notebooks`")
    return problems


def check_links(nb, path: Path) -> list[str]:
    problems = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        for target in _links(cell.source):
            url = urlparse(target)
            if url.scheme or url.netloc or target.startswith("#"):
                continue  # web links and in-page anchors
            if not (path.parent / unquote(url.path)).exists():
                problems.append(f"cell {i} links to {target!r}, which does not exist")
    return problems


def check_navigation(nb, path: Path) -> list[str]:
    lesson = next((lesson for lesson in LESSONS if lesson.filename == path.name), None)
    if lesson is None:
        return [f"{path.name} is not in the course plan (tools/course.py)"]
    expected = navigation_source(lesson)
    first, last = nb.cells[0] if nb.cells else None, nb.cells[-1] if nb.cells else None
    problems = []
    for where, cell in (("first", first), ("last", last)):
        if cell is None or cell.cell_type != "markdown" or not cell.source.startswith(NAV_MARKER):
            problems.append(
                f"the {where} cell is not the navigation cell (run `python tools/navigation.py`)"
            )
        elif cell.source != expected:
            problems.append(
                f"the {where} navigation cell is out of date (run `python tools/navigation.py`)"
            )
    return problems


def check_nbval_exclusions(nb) -> list[str]:
    code = _code_cells(nb)
    excluded = [c for c in code if excluded_from_nbval(c)]
    problems = []
    if code and len(excluded) / len(code) > MAX_EXCLUDED_FRACTION:
        problems.append(
            f"{len(excluded)} of {len(code)} code cells are excluded from nbval's comparison; "
            f"at most a quarter may be (make outputs deterministic instead)"
        )
    for cell in excluded:
        if not _exclusion_has_reason(cell):
            first = cell.source.strip().splitlines()[0]
            problems.append(
                f"a cell excluded from nbval does not say why on the next line: {first!r} "
                "(write '# Why: WHAT differs/varies/changes/depends …', naming what is not "
                "the same from run to run)"
            )
    return problems


def check_notebook(path: Path) -> list[str]:
    """Every problem found in the notebook at ``path`` (empty when it is fine)."""
    nb = nbformat.read(path, as_version=4)
    return (
        check_execution(nb)
        + check_metadata(nb)
        + check_links(nb, path)
        + check_navigation(nb, path)
        + check_nbval_exclusions(nb)
        + check_prose_numbers(nb, path.name)
        + check_figure_alternatives(nb, path.name)
    )


def main(argv=None) -> int:
    paths = [Path(p) for p in (argv if argv is not None else sys.argv[1:])] or notebook_paths()
    failed = gap = 0
    for path in paths:
        for problem in check_notebook(path):
            print(f"{path}: {problem}")
            failed += 1
        known = len(figure_outputs_without_alt(nbformat.read(path, as_version=4)))
        if known and known == FIGURES_WITHOUT_ALT.get(path.name, 0):
            print(f"{path}: known gap, not failed: {known} figures without a text alternative")
            gap += known
    print(
        f"checked {len(paths)} notebooks: {failed} problems; known gap: {gap} figures "
        "without a text alternative (FIGURES_WITHOUT_ALT)"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
