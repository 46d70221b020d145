"""Build the nbgrader course: a problem set per lesson (ps01, ps02, …) and a capstone.

``make assignments`` runs this file. It writes an nbgrader course directory (default
``build/course``, gitignored)::

    build/course/nbgrader_config.py          course id, gradebook, the solution stub
    build/course/source/ps01/ps01.ipynb      the teacher's version: solutions, hidden tests
    …
    build/course/source/capstone/capstone.ipynb
    build/course/release/ps01/ps01.ipynb     the students' version (nbgrader generate_assignment)

Every problem set is generated from the lesson's :class:`xentlib.exercises.Exercise`
objects, never copied by hand. Each exercise becomes a prompt, a solution cell (between
``### BEGIN SOLUTION`` and ``### END SOLUTION``: the reference answer, or for a function the
course's worked solution or reference implementation, whichever passes the course's own
check), a visible test and a hidden test (:mod:`tools.hidden_tests`). The capstone trains
:class:`xentlib.SoftmaxRegression` and :class:`xentlib.TinyMLP` on
:func:`xentlib.datasets.make_glyphs`, compares their losses, calibrates the network by
temperature scaling and analyses its errors; its hidden tests hold the values the solution
itself computes here, with margins. Building fails, naming the exercise, when a solution
does not pass its own visible and hidden tests.

Usage: ``python tools/make_assignments.py [--course-dir DIR] [--no-release] [NAME …]``.
"""

from __future__ import annotations

import argparse
import contextlib
import inspect
import io
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
import numpy as np

if __package__ in (None, ""):  # run as a script: make `tools` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import xentlib
from tools import hidden_tests
from tools.course import LESSONS, ROOT, START, existing_lessons
from tools.grading import secret as secrets_
from tools.grading import stripped, variants

COURSE_DIR = ROOT / "build" / "course"
COURSE_ID = "xent"
# One problem set per lesson after lesson 00, from the course plan (tools/course.py).
PROBLEM_SETS = [f"ps{lesson.number:02d}" for lesson in existing_lessons() if lesson is not START]
CAPSTONE = "capstone"
ASSIGNMENTS = [*PROBLEM_SETS, CAPSTONE]
BEGIN_SOLUTION, END_SOLUTION = "### BEGIN SOLUTION", "### END SOLUTION"
CODE_STUB = "# YOUR CODE HERE\nraise NotImplementedError()"

NBGRADER_CONFIG = f'''\
"""nbgrader settings of the course (written by tools/make_assignments.py)."""

c = get_config()  # noqa: F821 (nbgrader defines get_config)
c.CourseDirectory.course_id = "{COURSE_ID}"
c.CourseDirectory.db_url = "sqlite:///gradebook.db"
c.ClearSolutions.code_stub = {{"python": {CODE_STUB!r}}}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
# Grade with tools/grade.py (docs/grading.md), not `nbgrader autograde`: it runs each
# submission in a sandbox and judges the answers outside it. Were autograde run anyway, every
# judged cell raises, so no hidden points are given away.
c.ExecutePreprocessor.timeout = 300
'''


class AssignmentError(RuntimeError):
    """An assignment that cannot be built honestly (a solution that fails its tests)."""


# ---- cells ------------------------------------------------------------------------------------
def _meta(grade_id: str, *, solution=False, grade=False, locked=True, points=None) -> dict:
    meta = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": 3,
        "solution": solution,
        "task": False,
    }
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def markdown(text: str, grade_id: str):
    """A read-only text cell."""
    return nbformat.v4.new_markdown_cell(text.strip(), metadata=_meta(grade_id))


def locked_code(code: str, grade_id: str):
    """A read-only code cell (set-up that every answer relies on)."""
    return nbformat.v4.new_code_cell(code.strip(), metadata=_meta(grade_id))


def solution_cell(code: str, grade_id: str):
    """An answer cell: ``code`` between the solution markers, replaced by a stub for students."""
    source = f"{BEGIN_SOLUTION}\n{code.strip()}\n{END_SOLUTION}"
    return nbformat.v4.new_code_cell(source, metadata=_meta(grade_id, solution=True, locked=False))


def test_cell(code: str, grade_id: str, points: int):
    """An autograded test cell worth ``points`` (full marks when it runs without error)."""
    meta = _meta(grade_id, grade=True, points=points)
    return nbformat.v4.new_code_cell(code.strip(), metadata=meta)


def notebook(cells) -> nbformat.NotebookNode:
    """A notebook for the Python 3 kernel holding ``cells``."""
    nb = nbformat.v4.new_notebook(cells=list(cells))
    nb.metadata["kernelspec"] = {
        "display_name": "Python 3",
        "language": "python",
        "name": "python3",
    }
    nb.metadata["language_info"] = {"name": "python"}
    return nb


# ---- exercise answers --------------------------------------------------------------------------
def answer_name(q, taken: set[str]) -> str:
    """The name a learner's answer to ``q`` gets in the notebook.

    A function is named as the course names it (its worked solution's ``def``, else the
    first call in its prompt); a value or a letter is named after the exercise (``q1``).
    """
    name = q.name
    if q.kind == "function":
        found = re.search(r"^def (\w+)\(", q.worked_solution, re.M) or re.search(
            r"(?<![\w.])([a-z_]\w*)\(", q.prompt
        )
        name = found.group(1) if found else f"{q.name}_function"
    return name if name not in taken else f"{name}_{q.name}"


def _comment(text: str) -> str:
    """``text`` as Python comment lines."""
    return "\n".join(f"# {line}".rstrip() for line in text.strip().splitlines())


def _helpers(fn, module, seen: dict) -> None:
    """Collect into ``seen`` the source of ``fn`` and of the module's functions it calls."""
    if fn.__name__ in seen:
        return
    seen[fn.__name__] = None  # reserve the place: helpers come before their callers
    codes = [fn.__code__]
    names: list[str] = []
    while codes:
        code = codes.pop()
        names += code.co_names
        codes += [c for c in code.co_consts if inspect.iscode(c)]
    for used in dict.fromkeys(names):
        obj = getattr(module, used, None)
        if inspect.isfunction(obj) and obj.__module__ == module.__name__:
            _helpers(obj, module, seen)
        elif obj is not None and not inspect.ismodule(obj):
            where = getattr(obj, "__module__", None) if callable(obj) else None
            source = where if where and where.startswith("xentlib") else module.__name__
            seen.setdefault(f"import {used}", f"from {source} import {used}")
    del seen[fn.__name__]
    seen[fn.__name__] = inspect.getsource(fn)


def reference_source(q, name: str) -> str:
    """The source of a function exercise's reference, with the lesson's helpers it calls,
    its top function renamed to ``name``."""
    module = sys.modules[type(q).__module__.rsplit(".", 1)[0] + f".lesson{q.lesson:02d}"]
    seen: dict = {}
    _helpers(q.answer, module, seen)
    imports = sorted(v for k, v in seen.items() if k.startswith("import "))
    functions = [v for k, v in seen.items() if not k.startswith("import ")]
    functions[-1] = re.sub(rf"^def {q.answer.__name__}\(", f"def {name}(", functions[-1])
    return "\n".join(imports) + ("\n\n\n" if imports else "") + "\n\n".join(functions)


def _passes(q, name: str, code: str) -> bool:
    """Does ``code``, run with only NumPy and xentlib imported, define a correct ``name``?"""
    namespace = {"np": np, "xl": xentlib}
    try:
        exec(compile(code, f"<{q.label}>", "exec"), namespace)
    except Exception:  # prose in a worked solution, or a name defined only in the lesson
        return False
    return callable(namespace.get(name)) and q.check(namespace[name]).passed


def solution_code(q, name: str) -> str:
    """The code of the solution cell of exercise ``q``, whose answer is named ``name``.

    A value or letter is the reference answer, with the worked solution as a comment. A
    function is the worked solution's code when it passes the course's check (whole, or its
    first paragraphs), or for a "debug this" exercise the broken code with the worked
    solution's fixed lines in place; else the reference implementation with its helpers.
    """
    if q.kind == "value":
        value = hidden_tests.literal(q.answer if np.ndim(q.answer) == 0 else np.asarray(q.answer))
        return f"{_comment(q.worked_solution)}\n{name} = {value}"
    if q.kind == "choice":
        return f"{_comment(q.worked_solution)}\n{name} = {q.answer.strip().lower()!r}"
    text = q.worked_solution.strip()
    paragraphs = text.split("\n\n")
    candidates = ["\n\n".join(paragraphs[:k]) for k in range(len(paragraphs), 0, -1)]
    broken = broken_code(q)
    if broken:
        candidates.append(patched(broken[0], text, name))
    for code in candidates:
        if re.search(rf"^def {name}\(", code, re.M) and _passes(q, name, code):
            return code
    code = reference_source(q, name)
    if not _passes(q, name, code):
        raise AssignmentError(f"{q.label}: neither its worked solution nor its reference runs.")
    return code


def _notebook_functions(lesson) -> dict[str, str]:
    """Every top-level function a lesson notebook defines: name → its ``def`` block."""
    found = {}
    for cell in nbformat.read(lesson.path, as_version=4).cells:
        if cell.cell_type == "code":
            for block in re.finditer(r"^def (\w+)\(.*?(?=^\S|\Z)", cell.source, re.M | re.S):
                found.setdefault(block.group(1), block.group(0).rstrip())
    return found


def _notebook_constants(lesson) -> dict[str, str]:
    """Every top-level constant a lesson notebook defines on one line (``KERAS_EPSILON =
    1e-7  # …``): name → that line."""
    found = {}
    for cell in nbformat.read(lesson.path, as_version=4).cells:
        if cell.cell_type == "code":
            for line in re.finditer(r"^([A-Z][A-Z0-9_]*) = [^\n]+$", cell.source, re.M):
                found.setdefault(line.group(1), line.group(0).rstrip())
    return found


def _lesson(number: int):
    """The lesson (tools.course.Lesson) numbered ``number``."""
    return next(lesson for lesson in LESSONS if lesson.number == number)


def patched(broken: str, worked_solution: str, name: str) -> str:
    """A "debug this" function fixed the way its worked solution says: each indented
    assignment of the solution replaces the broken line that assigns the same names (one
    that assigns new names goes in before the next replaced line)."""
    lines = broken.splitlines()
    lines[0] = re.sub(r"^def \w+\(", f"def {name}(", lines[0])
    waiting: list[str] = []
    for fix in re.findall(r"^\s{4,}(\S(?:.*?\S)? = .*)$", worked_solution, re.M):
        target = fix.split(" = ")[0]
        for i, line in enumerate(lines):
            if line.strip().startswith(f"{target} = "):
                indent = line[: len(line) - len(line.lstrip())]
                lines[i : i + 1] = [indent + f for f in [*waiting, fix]]
                waiting = []
                break
        else:
            waiting.append(fix)
    return "\n".join(lines)


def broken_code(q) -> tuple[str, str] | None:
    """For a "debug this" exercise: the broken function as its lesson notebook shows it, and
    the notebook's functions it calls (given to the student, in a read-only cell)."""
    called = re.search(r"(?<![\w.])([a-z_]\w*)\(", q.prompt)
    functions = _notebook_functions(_lesson(q.lesson))
    if "debug" not in q.tags or not called or called.group(1) not in functions:
        return None
    broken = functions[called.group(1)]
    given: dict[str, str] = {}
    todo = [broken]
    while todo:
        for used in re.findall(r"(?<![\w.])(\w+)\(", todo.pop()):
            if used in functions and used != called.group(1) and used not in given:
                given[used] = functions[used]
                todo.append(functions[used])
    # the notebook's constants these functions use (a default argument eps=KERAS_EPSILON)
    constants = _notebook_constants(_lesson(q.lesson))
    code = "\n".join([broken, *given.values()])
    lines = [line for name, line in constants.items() if re.search(rf"\b{name}\b", code)]
    blocks = [*reversed(given.values())]
    if lines:
        blocks.insert(0, "\n".join(lines))
    return broken, "\n\n\n".join(blocks)


# ---- problem sets ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Problem:
    """One exercise as a graded problem: the answer's name, its variant spec, and for a
    function the practice solution the teacher's solutions wrap."""

    exercise: object
    name: str
    spec: variants.Spec
    practice_code: str = ""  # function: the practice solution, named `practice_name`
    given: str = ""  # "debug this": the lesson's functions the broken code calls

    @property
    def points(self) -> int:
        return hidden_tests.VISIBLE_POINTS + hidden_tests.HIDDEN_POINTS

    @property
    def practice_name(self) -> str:
        return f"_practice_{self.name}"

    @property
    def example(self) -> tuple:
        """The public input a function's visible test calls it on."""
        return self.exercise.test_inputs[0] if self.exercise.test_inputs else ()


def problems(number: int) -> list[Problem]:
    """The graded problems of lesson ``number``: its exercises that have a variant
    (:data:`tools.grading.variants.SPECS`), in the lesson's order."""
    taken: set[str] = set()
    out = []
    for q in xentlib.exercises.lesson(number):
        spec = variants.BY_LABEL.get(q.label)
        if spec is None:
            continue
        name = answer_name(q, taken)
        taken.add(name)
        practice = ""
        if q.kind == "function":
            practice = re.sub(rf"\bdef {name}\(", f"def _practice_{name}(", solution_code(q, name))
            practice = re.sub(rf"(?<![\w.]){name}\(", f"_practice_{name}(", practice)
        given = (broken_code(q) or ("", ""))[1]
        out.append(Problem(q, name, spec, practice, given))
    return out


def variant_of(p: Problem, key: bytes, assignment: str, who: str) -> variants.Variant:
    """Student ``who``'s variant of problem ``p`` (``who`` = secret.CLASS: the class's)."""
    return variants.variant(p.spec, p.exercise, key, assignment, p.exercise.name, who, p.name)


def solution(p: Problem, v: variants.Variant) -> str:
    """A correct answer cell for variant ``v`` of ``p``."""
    return variants.solution_code(v, p.name, p.practice_code, p.practice_name)


def check_solution(p: Problem, v: variants.Variant, code: str) -> None:
    """Refuse to build a problem whose own solution is not right (run here, on the teacher's
    machine, with the full xentlib)."""
    namespace = {"np": np, "xl": xentlib}
    exec(compile(f"{p.given}\n{code}", f"<{p.exercise.label}>", "exec"), namespace)
    answer = namespace[p.name]
    if p.spec.kind == "function":
        for args, want in zip(v.hidden_inputs, v.expected, strict=True):
            # as graded: with xentlib's own version of the asked function unavailable
            with np.errstate(all="ignore"), stripped.forbidden(p.spec.forbid):
                got = np.asarray(answer(*hidden_tests._copies(args)), dtype=float)
            if not np.allclose(
                got.reshape(want.shape),
                want,
                rtol=p.exercise.rtol,
                atol=p.exercise.atol,
                equal_nan=True,
            ):
                raise AssignmentError(
                    f"{p.exercise.label}: the solution fails its own hidden inputs."
                )


def _what_to_give(p: Problem) -> str:
    """What the student should write in the answer cell of ``p``."""
    q = p.exercise
    if q.kind == "function":
        return f"define the function `{p.name}` in the cell below"
    if q.kind == "choice":
        return f"set `{p.name}` to the letter of your choice, as text (for example `'a'`)"
    return f"set `{p.name}` to your answer, a number (`{p.name} = …`)"


def _blank(template: str) -> str:
    """A question template with its numbers left out (they are printed per student)."""
    return re.sub(
        r"\{(\w+)\}",
        lambda m: "(see below)" if m.group(1) == "options" else f"`{m.group(1)}`",
        template,
    )


def problem_cells(p: Problem, lesson, solution_code_: str) -> list:
    """The cells of one problem: prompt, the student's question, answer, two graded cells."""
    q = p.exercise
    if q.kind == "function":
        what = q.prompt + "\n\nYour version of it has a twist, printed by the cell below."
    else:
        what = _blank(p.spec.question)
    text = f"## {q.name} ({p.points} points)\n\n{what}\n\n"
    broken, given = broken_code(q) or ("", "")
    if broken:
        text += (
            f"The broken version, from lesson {lesson.number:02d} (`{lesson.filename}`):\n\n"
            f"```python\n{broken}\n```\n\n"
        )
    if given:
        text += "It calls the lesson's functions defined in the read-only cell below.\n\n"
    text += (
        f"Run the cell below: it prints **your** question (every student has their own "
        f"numbers). **Your answer:** {_what_to_give(p)}, then run the test cell under it."
    )
    show = f"show({q.name!r})"
    return [
        markdown(text, f"{q.name}_prompt"),
        locked_code(f"{given}\n\n\n{show}" if given else show, f"{q.name}_given"),
        solution_cell(solution_code_, f"{q.name}_answer"),
        test_cell(hidden_tests.visible_test(p), f"{q.name}_visible", hidden_tests.VISIBLE_POINTS),
        test_cell(hidden_tests.judged_cell(), f"{q.name}_hidden", hidden_tests.HIDDEN_POINTS),
    ]


def intro(title: str, body: str) -> str:
    """The first cell's text: the assignment's title, what it is, and how to work on it."""
    return f"""# {title}

{body.strip()}

**How this works.** Every student has their own numbers: the first code cell picks yours by
your student id (your user name on the hub). Replace each `raise NotImplementedError()` with
your answer and run the cells from top to bottom (*Kernel → Restart Kernel and Run All
Cells*). The test cell under each answer checks that you gave an answer of the right kind.
Your answers are graded after you submit, outside this notebook, on hidden inputs of your
own: only your answers count, not what the cells print. Do not change the test cells or
copy this notebook under another name: grading reads this file."""


def setup_cell(assignment: str, questions: dict, extra: str = "") -> str:
    """The first code cell: imports, this student's id, and every student's questions."""
    return f"""import hashlib
import os

import numpy as np

import xentlib as xl

# Your student id: your user name on the hub; elsewhere set XENT_STUDENT before starting Jupyter.
STUDENT = os.environ.get("JUPYTERHUB_USER") or os.environ.get("XENT_STUDENT") or os.environ.get("USER", "")
_VARIANTS = {questions!r}
_KEY = hashlib.sha256(f"{assignment}/{{STUDENT}}".encode()).hexdigest()[:16]
GIVEN = _VARIANTS.get(_KEY, _VARIANTS["{secrets_.CLASS}"])
print(f"Student {{STUDENT!r}}: " + ("your own numbers." if _KEY in _VARIANTS else "not on the class list, so the class's shared numbers."))


def show(problem):
    \"\"\"Print your version of ``problem``.\"\"\"
    print(GIVEN[problem])
{extra}"""


def roster_keys(assignment: str, students) -> dict:
    """Who gets their own numbers: student id → the key of their numbers in the notebook."""
    return {s: secrets_.student_key(assignment, s) for s in students}


def problem_set(number: int, key: bytes, students=()) -> nbformat.NotebookNode:
    """The source notebook of problem set ``number``: every student's questions in its first
    cell, the class's solutions in its answer cells."""
    lesson = _lesson(number)
    assignment = f"ps{number:02d}"
    items = problems(number)
    total = sum(p.points for p in items)
    questions: dict = {}
    solutions = []
    for who, where in [
        (secrets_.CLASS, secrets_.CLASS),
        *roster_keys(assignment, students).items(),
    ]:
        vs = [variant_of(p, key, assignment, who) for p in items]
        questions[where] = {p.exercise.name: v.question for p, v in zip(items, vs, strict=True)}
        if who == secrets_.CLASS:
            for p, v in zip(items, vs, strict=True):
                code = solution(p, v)
                check_solution(p, v, code)
                solutions.append(code)
    body = (
        f"Problem set for lesson {number:02d}, *{lesson.title}* "
        f"(`{lesson.filename}`): {len(items)} problems, {total} points: graded variants of the "
        'lesson\'s "Check your understanding" exercises, with your own numbers.'
    )
    cells = [
        markdown(intro(f"Problem set {number:02d}: {lesson.title}", body), "intro"),
        locked_code(setup_cell(assignment, questions), "setup"),
    ]
    for p, code in zip(items, solutions, strict=True):
        cells += problem_cells(p, lesson, code)
    return notebook(cells)


# ---- the capstone ------------------------------------------------------------------------------
CAPSTONE_DATA = """
from xentlib import datasets, metrics

SEED = GIVEN["seed"]  # your own data set: every student has their own seed
LETTERS = datasets.GLYPH_LETTERS[:6]  # "OCEFTL": label k is the letter LETTERS[k]
X, y = datasets.make_glyphs(900, n_classes=6, noise=0.3, max_shift=1, seed=SEED)
X_rest, X_test, y_rest, y_test = datasets.train_test_split(X, y, test_size=1 / 3, seed=SEED + 1)
X_train, X_val, y_train, y_val = datasets.train_test_split(X_rest, y_rest, test_size=0.25, seed=SEED + 2)
print(f"train {len(y_train)}, validation {len(y_val)}, test {len(y_test)} images of 8 x 8 pixels")
print("one training image of the letter", LETTERS[y_train[0]])
print("\\n".join("".join("#" if v > 0.5 else "." for v in row) for row in X_train[0].reshape(8, 8)))
"""


# How close a capstone value must be to the reference. The student's code runs on the grading
# machine, in the sandbox, with one BLAS thread, as the reference is computed (tools/grade.py):
# the same code gives the same bits, and a value computed another correct way differs in the
# last digits. Guessing a typical value is right only by chance, and rarely: with a tolerance
# of 1 % (the first version) another student's losses, temperature or ECE matched in 5-18 % of
# pairs (40 students' data sets); at 1e-4 such a match needs the same numbers to 4 digits.
CLOSE = 1e-4


@dataclass(frozen=True)
class Task:
    """One capstone task: its text, solution, and tests built from the solution's values."""

    grade_id: str
    text: str
    solution: str
    visible: str  # a test that the answer exists and has the right kind
    checks: tuple  # (name, how, tolerance): how the judge compares it with the reference
    points: tuple[int, int] = (1, 3)


CAPSTONE_TASKS = [
    Task(
        "losses",
        """
## 1. Two models, one loss

Train `softmax_model = xl.SoftmaxRegression(lr=0.5, epochs=E_softmax, seed=0)` and
`mlp = xl.TinyMLP(hidden=H, lr=0.5, epochs=E_mlp, seed=0)` on `(X_train, y_train)`, with
**your** `E_softmax`, `H` and `E_mlp`, printed by the first code cell. Then set
`softmax_test_loss` and `mlp_test_loss` to each model's mean cross-entropy (nats) on the
**test** set, and `mlp_train_loss` to the network's on the training set. (Each model's
`.loss(X, y)` computes it.)""",
        """
softmax_model = xl.SoftmaxRegression(lr=0.5, epochs={E_softmax}, seed=0).fit(X_train, y_train)
mlp = xl.TinyMLP(hidden={H}, lr=0.5, epochs={E_mlp}, seed=0).fit(X_train, y_train)
softmax_test_loss = softmax_model.loss(X_test, y_test)
mlp_test_loss = mlp.loss(X_test, y_test)
mlp_train_loss = mlp.loss(X_train, y_train)""",
        """
for _name in ("softmax_test_loss", "mlp_test_loss", "mlp_train_loss"):
    _value = globals()[_name]
    assert np.ndim(_value) == 0 and np.isfinite(float(_value)), f"{_name} should be a number"
    assert float(_value) >= 0, f"{_name} is a cross-entropy: it cannot be negative"
assert hasattr(mlp, "W1_") and hasattr(softmax_model, "coef_"), "train both models (.fit)"
""",
        (
            ("softmax_test_loss", "rel", CLOSE),
            ("mlp_test_loss", "rel", CLOSE),
            ("mlp_train_loss", "rel", CLOSE),
        ),
    ),
    Task(
        "compare",
        """
## 2. Which model generalises better?

Compare the **test** losses. Set `better_test_loss` to `"softmax"` or `"mlp"`: the model with the lower test
loss. Set `overfit_gap` to the network's test loss minus its training loss.""",
        """
better_test_loss = "softmax" if softmax_test_loss < mlp_test_loss else "mlp"
overfit_gap = mlp_test_loss - mlp_train_loss""",
        """
assert better_test_loss in ("softmax", "mlp"), 'better_test_loss should be "softmax" or "mlp"'
assert np.ndim(overfit_gap) == 0, "overfit_gap should be a number"
""",
        (("better_test_loss", "text", None), ("overfit_gap", "abs", CLOSE)),
        (1, 2),
    ),
    Task(
        "temperature",
        """
## 3. Calibrate the network

An over-confident model can be calibrated by **temperature scaling**: divide its logits
by one number T > 0, fitted on held-out data (lesson 11). Set `T` to the temperature that
`metrics.fit_temperature` fits on the network's logits for the **validation** set
(`mlp.decision_function(X_val)`), and `calibrated_test_loss` to the mean cross-entropy of
the test logits divided by `T` (`xl.cross_entropy(y_test, logits=…)`). Never fit T on the
test set: the test set only reports.""",
        """
T = metrics.fit_temperature(mlp.decision_function(X_val), y_val)
calibrated_test_loss = xl.cross_entropy(y_test, logits=mlp.decision_function(X_test) / T)""",
        """
assert np.ndim(T) == 0 and float(T) > 0, "T should be a positive number"
assert np.ndim(calibrated_test_loss) == 0, "calibrated_test_loss should be a number"
""",
        (("T", "rel", CLOSE), ("calibrated_test_loss", "rel", CLOSE)),
    ),
    Task(
        "ece",
        """
## 4. Reliability, before and after

Set `ece_before` and `ece_after` to the expected calibration error
(`metrics.expected_calibration_error`, its default 15 bins) of the network's test-set
probabilities, before and after dividing its logits by `T`.""",
        """
test_logits = mlp.decision_function(X_test)
ece_before = metrics.expected_calibration_error(y_test, xl.softmax(test_logits))
ece_after = metrics.expected_calibration_error(y_test, xl.softmax(test_logits / T))""",
        """
assert np.ndim(ece_before) == 0 and np.ndim(ece_after) == 0, "both should be numbers"
assert 0 <= ece_before <= 1 and 0 <= ece_after <= 1, "an ECE lies between 0 and 1"
""",
        (("ece_before", "abs", CLOSE), ("ece_after", "abs", CLOSE)),
    ),
    Task(
        "errors",
        """
## 5. Which letters does it mix up?

Temperature scaling does not change a single prediction (why?). Set `confusion` to the
confusion matrix of the network's test predictions (`metrics.confusion_matrix`; rows are
the true letters, columns the predicted ones, in the order of `LETTERS`), and
`most_confused` to the pair `(true letter, predicted letter)` of its largest entry off the
diagonal, for example `("E", "F")`.""",
        """
confusion = metrics.confusion_matrix(y_test, mlp.predict(X_test), n_classes=len(LETTERS))
errors = confusion - np.diag(np.diag(confusion))
true_k, predicted_k = np.unravel_index(np.argmax(errors), errors.shape)
most_confused = (LETTERS[true_k], LETTERS[predicted_k])""",
        """
assert np.shape(confusion) == (6, 6), f"confusion should be 6 x 6, got {np.shape(confusion)}"
assert isinstance(most_confused, tuple) and len(most_confused) == 2, (
    'most_confused should be a pair of letters, such as ("E", "F")'
)
""",
        (("confusion", "equal", None), ("most_confused", "pair", None)),
    ),
]


def capstone_params(key: bytes, who: str) -> dict:
    """Student ``who``'s capstone, from the secret: the seed of their data set and the
    models' sizes and epochs (so that no solution code works for every student)."""
    rng = secrets_.rng(key, "params", CAPSTONE, "data", who)
    return {
        "seed": int(rng.integers(1, 2**31 - 1)),
        "E_softmax": int(rng.integers(15, 41)) * 10,
        "H": int(rng.integers(16, 49)),
        "E_mlp": int(rng.integers(30, 61)) * 10,
    }


def capstone_solution(task: Task, params: dict) -> str:
    """A task's solution with ``params`` (a student's numbers) written in."""
    return (
        task.solution.strip()
        .replace("{E_softmax}", str(params["E_softmax"]))
        .replace("{H}", str(params["H"]))
        .replace("{E_mlp}", str(params["E_mlp"]))
    )


def reference_values(params: dict) -> dict:
    """Run the capstone's set-up and solutions for ``params``: the values the judge expects."""
    namespace: dict = {"np": np, "xl": xentlib, "GIVEN": params}
    code = "\n".join([CAPSTONE_DATA, *(capstone_solution(t, params) for t in CAPSTONE_TASKS)])
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(code, "<capstone>", "exec"), namespace)
    return {name: namespace[name] for task in CAPSTONE_TASKS for name, _how, _tol in task.checks}


def capstone(key: bytes, students=()) -> nbformat.NotebookNode:
    """The source notebook of the capstone: every student's seed in its first cell."""
    given = {secrets_.CLASS: capstone_params(key, secrets_.CLASS)}
    for student, where in roster_keys(CAPSTONE, students).items():
        given[where] = capstone_params(key, student)
    total = sum(sum(task.points) for task in CAPSTONE_TASKS)
    body = f"""
Two classifiers trained with cross-entropy on small images of letters, made in code by
`xentlib.datasets.make_glyphs`: 8 × 8 pixels, six letters (O, C, E, F, T, L), each shifted
by up to one pixel and covered with noise. You compare a linear model with a network,
calibrate the network and look at the mistakes it makes. {len(CAPSTONE_TASKS)} tasks,
{total} points. Every student has their own data set (its seed is chosen by your student id)."""
    setup = setup_cell(
        CAPSTONE,
        given,
        extra=CAPSTONE_DATA
        + """
print(f"train {len(y_train)}, validation {len(y_val)}, test {len(y_test)} images of 8 x 8 pixels")
print("your numbers:", GIVEN)""",
    )
    cells = [
        markdown(intro("Capstone: letters, losses and calibration", body), "intro"),
        locked_code(setup, "setup"),
    ]
    for task in CAPSTONE_TASKS:
        visible_points, hidden_points = task.points
        heading, text = task.text.strip().split("\n", 1)
        cells += [
            markdown(f"{heading} ({sum(task.points)} points)\n{text}", f"{task.grade_id}_prompt"),
            solution_cell(
                capstone_solution(task, given[secrets_.CLASS]), f"{task.grade_id}_answer"
            ),
            test_cell(task.visible, f"{task.grade_id}_visible", visible_points),
            test_cell(hidden_tests.judged_cell(), f"{task.grade_id}_hidden", hidden_points),
        ]
    return notebook(cells)


# ---- the course directory ----------------------------------------------------------------------
def source_notebook(name: str, key: bytes, students=()) -> nbformat.NotebookNode:
    """The source notebook of assignment ``name`` (one of :data:`ASSIGNMENTS`), with the
    numbers of the secret ``key`` for each of ``students`` and for the class."""
    if name == CAPSTONE:
        return capstone(key, students)
    if name not in PROBLEM_SETS:
        raise ValueError(
            f"assignment must be one of {', '.join(ASSIGNMENTS)}; got {name!r}. "
            "Run without names to build them all."
        )
    return problem_set(int(name[2:]), key, students)


def write_course(course_dir: Path, names, key: bytes, students=()) -> list[Path]:
    """Write ``nbgrader_config.py`` and ``source/NAME/NAME.ipynb`` for each assignment. The
    course directory is made readable by its owner only: it holds the solutions."""
    course_dir.mkdir(parents=True, exist_ok=True)
    course_dir.chmod(0o700)
    (course_dir / "nbgrader_config.py").write_text(NBGRADER_CONFIG)
    paths = []
    for name in names:
        path = course_dir / "source" / name / f"{name}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(source_notebook(name, key, students), path)
        paths.append(path)
    return paths


def nbgrader(course_dir: Path, *args: str) -> subprocess.CompletedProcess:
    """Run ``nbgrader ARGS`` in ``course_dir`` (this Python's nbgrader); fail with its log."""
    command = [sys.executable, "-m", "nbgrader", *args]
    # nbgrader runs `alembic` (installed beside it) by name when it creates the gradebook.
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    env = {**os.environ, "PATH": path}
    done = subprocess.run(command, cwd=course_dir, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise AssignmentError(
            f"`nbgrader {' '.join(args)}` failed in {course_dir}:\n{done.stderr[-3000:]}"
        )
    return done


def _pattern(names) -> str:
    """An nbgrader assignment id matching ``names`` (one name, or a glob for several)."""
    names = list(names)
    return names[0] if len(names) == 1 else "*"


def release(course_dir: Path, names=ASSIGNMENTS) -> list[Path]:
    """``nbgrader generate_assignment``: the students' versions in ``release/``.

    Several assignments go through one nbgrader run (the glob ``*``, as nbgrader's own
    ``--assignment`` option allows): each run of nbgrader spends seconds starting up.
    """
    pattern = _pattern(names)
    nbgrader(
        course_dir,
        "generate_assignment",
        f"--CourseDirectory.assignment_id={pattern}",
        "--force",
        "--log-level=WARN",
    )
    return [course_dir / "release" / name / f"{name}.ipynb" for name in names]


def course_dir_problem(course_dir: Path) -> str | None:
    """Why the course cannot be written into ``course_dir`` (None when it can: a folder, or
    a path whose first existing part is a folder, where the rest is made)."""
    for part in (course_dir, *course_dir.parents):
        if part.is_dir():
            return None
        if part.exists():
            where = "is" if part == course_dir else f"lies under {str(part)!r}, which is"
            return (
                f"--course-dir must be a folder (it is made if missing); got "
                f"{str(course_dir)!r}, which {where} a file. Pass a folder, for example "
                f"--course-dir {COURSE_DIR.relative_to(ROOT)}"
            )
    return None


def build_parser() -> argparse.ArgumentParser:
    """The command line of ``tools/make_assignments.py``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help=", ".join(ASSIGNMENTS))
    parser.add_argument("--course-dir", type=Path, default=COURSE_DIR)
    parser.add_argument("--no-release", action="store_true", help="skip generate_assignment")
    parser.add_argument(
        "--secret",
        type=Path,
        default=secrets_.DEFAULT_PATH,
        help=f"the teacher's secret (default {secrets_.DEFAULT_PATH}; tools/grade.py secret --create makes one)",
    )
    parser.add_argument(
        "--students",
        type=Path,
        help="a file of student ids, one a line: each gets their own numbers (others get the class's)",
    )
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    unknown = [name for name in args.names if name not in ASSIGNMENTS]
    if unknown:
        parser.error(
            f"unknown assignment {', '.join(unknown)}: the names are {', '.join(ASSIGNMENTS)} "
            "(give none to build them all)"
        )
    from xentlib.exercises._core import HIDE_SOLUTIONS_ENV, SOLUTIONS_HIDDEN

    if SOLUTIONS_HIDDEN:  # the solutions come from the exercises' references
        parser.error(
            f"{HIDE_SOLUTIONS_ENV} is set (exam mode hides the references the solutions are "
            f"built from): build the assignments without it, e.g. {HIDE_SOLUTIONS_ENV}= make "
            "assignments"
        )
    problem = course_dir_problem(args.course_dir)
    if problem:
        parser.error(problem)
    names = args.names or ASSIGNMENTS
    try:
        key = secrets_.load(args.secret)
    except secrets_.SecretError as exc:
        parser.error(str(exc))
    students = []
    if args.students:
        students = [line.strip() for line in args.students.read_text().splitlines() if line.strip()]
    try:
        paths = write_course(args.course_dir, names, key, students)
    except OSError as exc:  # no permission, a full disk: say where, and what the system said
        parser.error(
            f"--course-dir {str(args.course_dir)!r}: cannot write {exc.filename or 'there'} "
            f"({exc.strerror or exc}). Pass a folder you can write to."
        )
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        points = sum(c.metadata["nbgrader"].get("points", 0) for c in nb.cells)
        print(f"{path.relative_to(args.course_dir)}: {points} points")
    if not args.no_release:
        for path in release(args.course_dir, names):
            print(f"{path.relative_to(args.course_dir)}: the students' version")
    return 0


if __name__ == "__main__":
    sys.exit(main())
