"""Inside the sandbox: run a submission's code cells, then report its answers as JSON.

Started by :mod:`tools.grading.sandbox` as ``python -S -E -B runner.py LIBRARY SITE…``, as
the sandbox user, in a private file system where the only secret-free inputs are
``/xent-job/job.json`` and the students' xentlib. Nothing it prints reaches the grader except
the JSON written to the answer pipe, and the grader treats that JSON as untrusted data:
student code runs in this process and may have changed anything here. That is why no check
runs here; the judge (:mod:`tools.grading.judge`) compares, in a process student code never
ran in.

Two kinds of job:

- ``answers``: run the cells (IPython, as a notebook does), keep each cell's output (no
  hidden input exists in this process), read every answer: a number or array, a letter, or
  a function, which is called on the problem's *public* example to report its output shape;
- ``function``: run the cells again with output discarded, then call the asked functions on
  their hidden inputs and report the outputs (or that it raised, or returned no numbers). The
  grader discards this process's output: the hidden inputs are in it.
"""

import contextlib
import io
import json
import os
import sys

sys.path[1:1] = sys.argv[1:]  # the students' xentlib first, then the site-packages
TEXT_LIMIT = 20_000  # characters of a cell's output kept
VALUES_LIMIT = 100_000  # numbers of one answer kept


def decode(value):
    """JSON data as the job encodes it → Python (NumPy arrays, tuples)."""
    import numpy as np

    if isinstance(value, dict) and "__array__" in value:
        return np.array(value["__array__"], dtype=value["dtype"])
    if isinstance(value, dict) and "__tuple__" in value:
        return tuple(decode(v) for v in value["__tuple__"])
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def numbers(value) -> dict:
    """An answer as plain numbers: its shape and values, or why it is not numbers."""
    import numpy as np

    try:
        with np.errstate(all="ignore"):
            array = np.asarray(value, dtype=float)
    except Exception:
        return {"error": "not numbers"}
    if array.size > VALUES_LIMIT:
        return {"error": "too many numbers"}
    return {"shape": list(array.shape), "values": array.ravel().tolist()}


def run_cells(cells, shell, keep_output: bool) -> list:
    reports = []
    for source in cells:
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
            try:
                result = shell.run_cell(source, store_history=False, silent=False)
                failed = result.error_before_exec or result.error_in_exec
            except BaseException as exc:  # SystemExit, KeyboardInterrupt raised by a cell
                failed = exc
        if keep_output:
            report = {"output": buffer.getvalue()[:TEXT_LIMIT]}
            if failed is not None:
                report["error"] = type(failed).__name__
            reports.append(report)
    return reports


def read_answer(namespace: dict, answer: dict) -> dict:
    """One answer, as data the judge can check."""
    name = answer["name"]
    if name not in namespace:
        return {"missing": True}
    value = namespace[name]
    if answer["kind"] == "choice":
        return {"text": str(value)[:200]} if isinstance(value, str) else {"error": "not text"}
    if answer["kind"] == "function":
        if not callable(value):
            return {"error": "not a function"}
        try:
            args = decode(answer["example"])
            return {"callable": True, **numbers(value(*args))}
        except BaseException:
            return {"callable": True, "error": "raised on the example"}
    if answer["kind"] == "text":
        return {"text": str(value)[:200]} if isinstance(value, str) else {"error": "not text"}
    if answer["kind"] == "pair":
        try:
            return {"pair": [str(v)[:50] for v in tuple(value)][:4]}
        except BaseException:
            return {"error": "not a pair"}
    return numbers(value)


def main():
    with open("/xent-job/job.json") as f:
        job = json.load(f)
    answer_fd = job["answer_fd"]
    out = os.fdopen(answer_fd, "w")
    os.set_inheritable(answer_fd, False)
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance(colors="NoColor")
    phase = job["phase"]
    reports = run_cells(job["cells"], shell, keep_output=phase == "answers")
    namespace = shell.user_ns
    result = {"cells": reports}
    if phase == "answers":
        answers = {}
        for answer in job["answers"]:
            try:
                answers[answer["name"]] = read_answer(namespace, answer)
            except BaseException:
                answers[answer["name"]] = {"error": "unreadable"}
        result["answers"] = answers
    else:
        result["outputs"] = {}
        for asked in job["functions"]:
            function = namespace.get(asked["name"])
            outputs = []
            for args in asked["inputs"]:
                if not callable(function):
                    outputs.append({"error": "not a function"})
                    continue
                sink = io.StringIO()
                try:
                    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
                        outputs.append(numbers(function(*decode(args))))
                except BaseException:
                    outputs.append({"error": "raised"})
            result["outputs"][asked["name"]] = outputs
    out.write(json.dumps(result))
    out.close()
    os._exit(0)


if __name__ == "__main__":
    main()
