"""Re-execute notebooks in place, in course order, each in a fresh kernel (``make notebooks``).

Outputs are made reproducible: the kernel runs with ``PYTHONHASHSEED=0`` (and every lesson
seeds its own random draws); timing and saved widget state are not recorded; widget views,
whose model ids are random, are dropped (their ``text/plain`` stays, and nbval skips widget
views anyway); metadata is reduced to what a notebook needs. Running it twice leaves
``git status`` clean.

    python tools/execute_notebooks.py                 # every notebook
    python tools/execute_notebooks.py notebooks/00_start_here.ipynb
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from traitlets.config import Config

try:
    from tools.course import notebook_paths
except ImportError:  # run as a script
    from course import notebook_paths

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO = {
    "codemirror_mode": {"name": "ipython", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": "python",
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
}
NOTEBOOK_METADATA = {"kernelspec": KERNELSPEC, "language_info": LANGUAGE_INFO}
# Cell metadata worth keeping; anything else (collapsed, scrolled, execution timings,
# jupyter.outputs_hidden, …) is UI state that only makes diffs noisy.
ALLOWED_CELL_METADATA = {"tags"}


def normalise(nb) -> None:
    """Strip run-to-run noise and UI state from ``nb`` in place."""
    nb.metadata = nbformat.from_dict(NOTEBOOK_METADATA)
    for cell in nb.cells:
        cell.metadata = nbformat.from_dict(
            {k: v for k, v in cell.metadata.items() if k in ALLOWED_CELL_METADATA}
        )
        if cell.cell_type != "code":
            continue
        for output in cell.outputs:
            data = output.get("data")
            if data is not None:
                data.pop(WIDGET_VIEW, None)
        cell.outputs = coalesce_streams(cell.outputs)


def coalesce_streams(outputs) -> list:
    """Join consecutive stdout (or stderr) chunks: how the kernel splits a stream varies
    from run to run, what it prints does not."""
    joined = []
    for output in outputs:
        previous = joined[-1] if joined else None
        if (
            output.get("output_type") == "stream"
            and previous is not None
            and previous.get("output_type") == "stream"
            and previous.get("name") == output.get("name")
        ):
            previous["text"] = previous["text"] + output["text"]
        else:
            joined.append(output)
    return joined


def execute(path: Path, *, timeout: int = 600) -> float:
    """Execute the notebook at ``path`` in place; return the seconds it took."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    # ipykernel ≥ 7.4 warns on every start over unencrypted TCP; the kernel spec declares
    # CurveZMQ support, so let the manager provision keys ("auto") and the warning goes.
    config = Config()
    config.KernelManager.transport_encryption = "auto"
    client = NotebookClient(
        nb,
        config=config,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
        store_widget_state=False,
    )
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    normalise(nb)
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return seconds


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "paths", nargs="*", type=Path, help="notebooks to run (default: all, in order)"
    )
    args = parser.parse_args(argv)
    # The kernel inherits this environment: fix hashing, show solutions, no user config,
    # and record no progress (the placeholders are not answers, but be sure).
    os.environ["PYTHONHASHSEED"] = "0"
    os.environ.pop("XENTLIB_HIDE_SOLUTIONS", None)
    os.environ["XENTLIB_PROGRESS"] = "off"
    paths = args.paths or notebook_paths()
    for path in paths:
        seconds = execute(path)
        print(f"{seconds:6.1f} s  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
