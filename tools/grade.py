"""Grade submissions where student code cannot touch the grading: ``tools/grade.py``.

Usage (as root: each submission runs as the unprivileged sandbox user; see docs/grading.md)::

    python tools/grade.py secret --create             # once: the teacher's secret
    python tools/grade.py grade ps03 [--student ada]  # every submission of ps03 (or one)
    python tools/grade.py solutions ps03 --student ada  # ada's right answers, for a dispute

``grade`` reads ``<course>/submitted/<student>/<assignment>/<assignment>.ipynb`` as data and,
for each submission:

1. runs its code cells (the teacher's read-only cells, the student's answer cells) in a fresh
   sandbox (:mod:`tools.grading.sandbox`: its own file system without the course directory,
   the gradebook or any other submission, no network, an unprivileged user, CPU, memory and
   time limits) and reads back the answers as JSON: numbers, letters, and for each function
   its output shape on a public example;
2. calls each function the student wrote on the student's own hidden inputs, in another
   fresh sandbox per function, where xentlib's version of that function raises;
3. judges the answers here, in a process no student code ran in, against the student's own
   variant (:mod:`tools.grading.variants`, from the secret);
4. writes what nbgrader writes: every graded cell's score in ``gradebook.db`` (so formgrader,
   ``nbgrader export`` and ``nbgrader generate_feedback`` work as usual), the graded notebook
   in ``autograded/`` (the student's cells, their output, and a verdict under each test
   cell: which check failed and why, never a hidden input or an expected value), and a
   ``timestamp.txt`` (the submission's, or the file's time for a hand-copied one, so that
   ``nbgrader release_feedback`` works).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import secrets
import stat
import sys
import tempfile
import warnings
from pathlib import Path

if __package__ in (None, ""):  # run as a script, as teachers do
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tools.grading.sandbox import THREADS

    # Before NumPy loads: the reference answers (the capstone's trained models) are then
    # computed as the sandbox computes the student's, with one BLAS thread: the same bits.
    os.environ.update(THREADS)

import nbformat
import numpy as np

from tools import hidden_tests
from tools import make_assignments as ma
from tools.grading import judge, sandbox, stripped
from tools.grading import secret as secrets_

SUBMISSION_LIMIT = 20 << 20  # bytes: a notebook of answers is far smaller


class GradingError(RuntimeError):
    """Grading cannot go on: the message says why and what to do."""


# ---- the plan of one assignment ----------------------------------------------------------------
def encode(value):
    """Arguments as JSON data (the runner decodes them)."""
    if isinstance(value, np.ndarray):
        return {"__array__": value.tolist(), "dtype": value.dtype.name}
    if isinstance(value, tuple):
        return {"__tuple__": [encode(v) for v in value]}
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    return value


def _who(assignment: str, student: str, source) -> str:
    """The variant a student has: their own when they were on the class list at build time."""
    setup = next(
        c for c in source.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "setup"
    )
    key = secrets_.student_key(assignment, student)
    return student if repr(key) in setup.source else secrets_.CLASS


def solutions(assignment: str, student: str, key: bytes, source) -> dict[str, str]:
    """grade_id of each answer cell → a right answer for ``student`` (the teacher's view)."""
    who = _who(assignment, student, source)
    if assignment == ma.CAPSTONE:
        params = ma.capstone_params(key, who)
        return {f"{t.grade_id}_answer": ma.capstone_solution(t, params) for t in ma.CAPSTONE_TASKS}
    out = {}
    for p in ma.problems(int(assignment[2:])):
        v = ma.variant_of(p, key, assignment, who)
        out[f"{p.exercise.name}_answer"] = ma.solution(p, v)
    return out


# ---- running a submission ----------------------------------------------------------------------
def cells_to_run(submitted, source) -> tuple[list[str], dict[str, int]]:
    """The code a submission runs: the teacher's read-only cells (from ``source``, so a
    student cannot change them), the student's answer cells and code cells they added; never
    a test cell. Also: grade_id of each answer cell → its index in the list."""
    trusted = {
        c.metadata["nbgrader"]["grade_id"]: c.source
        for c in source.cells
        if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("locked")
    }
    run, where = [], {}
    for cell in submitted.cells:
        if cell.cell_type != "code":
            continue
        meta = cell.metadata.get("nbgrader", {})
        grade_id = meta.get("grade_id")
        if meta.get("grade"):
            continue
        if meta.get("solution"):
            where[grade_id] = len(run)
            run.append(cell.source)
        elif grade_id in trusted:
            run.append(trusted[grade_id])
        elif not meta:
            run.append(cell.source)
    return run, where


class Grader:
    """Grades the submissions of one assignment (see the module doc)."""

    def __init__(
        self, course_dir: Path, assignment: str, key: bytes, user, limits=sandbox.DEFAULT_LIMITS
    ):
        self.course_dir, self.assignment, self.key = Path(course_dir), assignment, key
        self.user, self.limits = user, limits
        self.source = nbformat.read(
            course_dir / "source" / assignment / f"{assignment}.ipynb", as_version=4
        )
        self.release = nbformat.read(
            course_dir / "release" / assignment / f"{assignment}.ipynb", as_version=4
        )
        self.capstone = assignment == ma.CAPSTONE
        self.problems = [] if self.capstone else ma.problems(int(assignment[2:]))
        self._tmp = tempfile.TemporaryDirectory(prefix="xent-grade-")
        self._libraries: dict[tuple, Path] = {}

    def close(self):
        self._tmp.cleanup()

    def library(self, forbid=()) -> Path:
        forbid = tuple(sorted(forbid))
        if forbid not in self._libraries:
            target = Path(self._tmp.name) / f"lib{len(self._libraries)}"
            self._libraries[forbid] = stripped.build(target, forbid)
            os.chmod(self._tmp.name, 0o755)
        return self._libraries[forbid]

    def _run(self, job: dict, student: str, forbid=()) -> tuple[dict, sandbox.Outcome]:
        """Run ``job`` in a fresh sandbox: the JSON object it sent back ({} when it sent none
        that parses: the student's code may have stopped the runner or written anything),
        and how the run ended."""
        env = {"JUPYTERHUB_USER": student, "XENT_STUDENT": student}
        outcome = sandbox.run(
            job, user=self.user, library=self.library(forbid), limits=self.limits, env=env
        )
        try:
            data = json.loads(outcome.answer)
        except (ValueError, RecursionError):
            data = None
        return (data if isinstance(data, dict) else {}), outcome

    def answers_job(self, cells) -> dict:
        if self.capstone:
            kinds = {"better_test_loss": "text", "most_confused": "pair"}
            answers = [
                {"name": name, "kind": kinds.get(name, "value")}
                for task in ma.CAPSTONE_TASKS
                for name, _how, _tol in task.checks
            ]
        else:
            answers = [
                {"name": p.name, "kind": p.exercise.kind, "example": encode(p.example)}
                for p in self.problems
            ]
        return {"phase": "answers", "cells": cells, "answers": answers}

    def graded_cells(self) -> list[tuple[str, int]]:
        """(grade_id, points) of every graded cell, in order."""
        if self.capstone:
            return [
                (f"{t.grade_id}_{kind}", points)
                for t in ma.CAPSTONE_TASKS
                for kind, points in zip(("visible", "hidden"), t.points, strict=True)
            ]
        return [
            (f"{p.exercise.name}_{kind}", points)
            for p in self.problems
            for kind, points in (
                ("visible", hidden_tests.VISIBLE_POINTS),
                ("hidden", hidden_tests.HIDDEN_POINTS),
            )
        ]

    def _why_stopped(self, outcome: sandbox.Outcome) -> str:
        if outcome.timed_out:
            return f"ran out of time (the limit is {self.limits.wall_seconds:g} s of wall time)"
        return (
            "stopped before its answers could be read (it ran out of memory or CPU time "
            f"— the limits are {self.limits.memory_bytes >> 30} GiB and "
            f"{self.limits.cpu_seconds} s — or ended the process itself)"
        )

    def grade(self, student: str) -> tuple[list[judge.Verdict], dict, object]:
        """Run and judge ``student``'s submission: verdicts, answer-cell outputs, notebook."""
        submitted = read_submission(self.course_dir, self.assignment, student)
        cells, where = cells_to_run(submitted, self.source)
        first, outcome = self._run(self.answers_job(cells), student)
        answers = first.get("answers")
        reports = first.get("cells") if isinstance(first.get("cells"), list) else []
        outputs = {
            gid: reports[i]
            for gid, i in where.items()
            if i < len(reports) and isinstance(reports[i], dict)
        }
        if not isinstance(answers, dict):
            return (
                judge.stopped(self.graded_cells(), self._why_stopped(outcome)),
                outputs,
                submitted,
            )
        who = _who(self.assignment, student, self.source)
        if self.capstone:
            expected = ma.reference_values(ma.capstone_params(self.key, who))
            verdicts = []
            for t in ma.CAPSTONE_TASKS:
                verdicts += judge.task(t.grade_id, t.checks, answers, expected, t.points)
            return verdicts, outputs, submitted
        found = {p.name: ma.variant_of(p, self.key, self.assignment, who) for p in self.problems}
        outputs_of = self._hidden_outputs(cells, student, answers, found)
        verdicts = []
        for p in self.problems:
            q, v, data = p.exercise, found[p.name], answers.get(p.name)
            if q.kind == "value":
                verdicts += judge.value(p.name, data, v.answer, p.spec.digits, p.spec.exact, q.name)
            elif q.kind == "choice":
                verdicts += judge.choice(p.name, data, v.answer, v.options, q.name)
            else:
                verdicts += judge.function(
                    p.name,
                    data,
                    hidden_tests.example_shape(p),
                    outputs_of.get(p.name),
                    v.expected,
                    q.rtol,
                    q.atol,
                    q.name,
                )
        return verdicts, outputs, submitted

    def _hidden_outputs(self, cells, student, answers, found) -> dict:
        """Each answered function's outputs on its hidden inputs: one fresh sandbox for the
        functions that share the same xentlib (the same functions of xentlib removed)."""
        groups: dict[tuple, list] = {}
        for p in self.problems:
            data = answers.get(p.name)
            if (
                p.exercise.kind == "function"
                and isinstance(data, dict)
                and data.get("callable")
                and "error" not in data
            ):
                groups.setdefault(tuple(sorted(p.spec.forbid)), []).append(p)
        outputs: dict = {}
        for forbid, group in groups.items():
            asked = [
                {"name": p.name, "inputs": [encode(tuple(a)) for a in found[p.name].hidden_inputs]}
                for p in group
            ]
            job = {"phase": "function", "cells": cells, "functions": asked}
            got = self._run(job, student, forbid)[0].get("outputs")
            if isinstance(got, dict):
                outputs.update({p.name: got.get(p.name) for p in group})
        return outputs


# ---- writing what nbgrader writes --------------------------------------------------------------
def _read_regular(path: Path, limit: int) -> bytes:
    """The bytes of the regular file ``path`` (at most ``limit``), never through a symbolic
    link: the grader runs as root, and a link in a submission could point anywhere."""
    if path.is_symlink():
        raise GradingError(f"{path} is a symbolic link: copy the file itself there")
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise GradingError(f"{path} is not a regular file")
        if info.st_size > limit:
            raise GradingError(f"{path} holds {info.st_size} bytes, more than {limit}")
        return f.read(limit)


def _submission_folder(course_dir: Path, assignment: str, student: str) -> Path:
    folder = course_dir / "submitted" / student / assignment
    for part in (folder.parent, folder):
        if part.is_symlink():
            raise GradingError(f"{part} is a symbolic link: copy the submission itself there")
    return folder


def read_submission(course_dir: Path, assignment: str, student: str):
    """The submitted notebook, read as data (a symbolic link or a huge file is refused)."""
    path = _submission_folder(course_dir, assignment, student) / f"{assignment}.ipynb"
    try:
        text = _read_regular(path, SUBMISSION_LIMIT).decode()
        return nbformat.reads(text, as_version=4)
    except GradingError:
        raise
    except Exception as exc:  # not UTF-8, not JSON, not a notebook, a link
        raise GradingError(f"{path} cannot be read as a notebook ({exc})") from None


def _timestamp(course_dir: Path, assignment: str, student: str):
    """When the submission was made: the text of its ``timestamp.txt`` (written by ``nbgrader
    submit``/``collect``) and that time, or for a hand-copied one the file's time and None
    (nbgrader's own view: no timestamp, so formgrader counts it as graded)."""
    folder = _submission_folder(course_dir, assignment, student)
    with contextlib.suppress(FileNotFoundError):
        text = _read_regular(folder / "timestamp.txt", 100).decode(errors="replace").strip()
        from nbgrader.utils import parse_utc

        return text, parse_utc(text)
    when = datetime.datetime.fromtimestamp(
        (folder / f"{assignment}.ipynb").lstat().st_mtime, datetime.timezone.utc
    )
    return when.strftime("%Y-%m-%d %H:%M:%S.%f %Z"), None


def graded_notebook(release, submitted, verdicts, outputs):
    """The autograded notebook: the released cells, the student's answers with their output,
    and each graded cell's verdict as its output (an error output when it lost points, as
    nbgrader's own grading shows a failed test)."""
    answers = {
        c.metadata["nbgrader"]["grade_id"]: c.source
        for c in submitted.cells
        if c.get("cell_type") == "code"
        and isinstance(c.metadata.get("nbgrader"), dict)
        and c.metadata["nbgrader"].get("solution")
        and isinstance(c.get("source"), str)
    }
    by_id = {v.grade_id: v for v in verdicts}
    nb = nbformat.from_dict(json.loads(json.dumps(release)))
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.cell_type != "code":
            continue
        cell.outputs = []
        if gid in answers:
            cell.source = answers[gid]
            text = outputs.get(gid, {}).get("output")  # untrusted: any JSON value
            if isinstance(text, str) and text:
                cell.outputs.append(
                    nbformat.v4.new_output("stream", name="stdout", text=text[:20_000])
                )
        elif gid in by_id:
            v = by_id[gid]
            if v.passed:
                cell.outputs.append(
                    nbformat.v4.new_output("stream", name="stdout", text=f"✔ {v.message}\n")
                )
            else:
                cell.outputs.append(
                    nbformat.v4.new_output(
                        "error", ename="Not right yet", evalue=v.message, traceback=[v.message]
                    )
                )
    return nb


def _give_back(course_dir: Path, paths) -> None:
    """Make what the grader (root) wrote belong to the course directory's owner, so that the
    teacher's own nbgrader commands can read and rewrite it."""
    owner = course_dir.stat()
    for path in paths:
        if path.exists() and (path.stat().st_uid, path.stat().st_gid) != (
            owner.st_uid,
            owner.st_gid,
        ):
            os.chown(path, owner.st_uid, owner.st_gid, follow_symlinks=False)


def record(
    course_dir: Path, assignment: str, student: str, verdicts, nb, timestamp: str, when
) -> None:
    """Write the graded notebook, its timestamp and every cell's score into the gradebook
    (``when``: the submission's time for the gradebook, None when it has none)."""
    from nbgrader.api import Gradebook

    target = course_dir / "autograded" / student / assignment
    target.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target / f"{assignment}.ipynb")
    (target / "timestamp.txt").write_text(timestamp)
    # nbgrader release_feedback names the released file after this (nbgrader submit writes it;
    # a hand-copied submission has none, and release_feedback would stop there).
    given = _submission_folder(course_dir, assignment, student) / "submission_secret.txt"
    try:
        secret_text = _read_regular(given, 1000).decode(errors="replace")
    except FileNotFoundError:
        secret_text = secrets.token_hex(64)
    (target / "submission_secret.txt").write_text(secret_text)
    # nbgrader's own update_or_create_submission warns about its SQLAlchemy session (its
    # autograde does too); the rows are written all the same.
    warnings.filterwarnings("ignore", message=".*not in session.*")
    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}", ma.COURSE_ID) as gb:
        gb.update_or_create_student(student)
        gb.update_or_create_submission(assignment, student, timestamp=when)
        for v in verdicts:
            grade = gb.find_grade(v.grade_id, assignment, assignment, student)
            grade.auto_score = v.points
            grade.needs_manual_grade = grade.manual_score is not None
        answered = {
            c.metadata["nbgrader"]["grade_id"]: c.source
            for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("solution")
        }
        for gid, code in answered.items():
            comment = gb.find_comment(gid, assignment, assignment, student)
            comment.auto_comment = "No response." if code.strip() == ma.CODE_STUB else None
        gb.db.commit()
    autograded = course_dir / "autograded"
    _give_back(
        course_dir,
        [
            autograded,
            autograded / student,
            target,
            *target.iterdir(),
            course_dir / "gradebook.db",
        ],
    )


def check_private(course_dir: Path) -> None:
    """Refuse to grade from a course directory others can read, or one the sandbox would
    show (defence in depth: the sandbox shows none of it anyway)."""
    mode = course_dir.stat().st_mode
    if mode & (stat.S_IROTH | stat.S_IXOTH):
        raise GradingError(f"{course_dir} can be read by other users: chmod o-rwx {course_dir}")
    where = sandbox.exposed(course_dir)
    if where:
        raise GradingError(
            f"{course_dir} lies under {where}, which the sandbox shows to students' code "
            "(the system's or Python's files): keep the course directory elsewhere"
        )


def grade(
    course_dir: Path,
    assignment: str,
    key: bytes,
    user,
    students=None,
    limits=sandbox.DEFAULT_LIMITS,
) -> tuple[dict, dict]:
    """Grade ``students`` (default: every submission) of ``assignment``. Returns student →
    (score, max) for those graded, and student → why for those that could not be (a
    submission that is not a notebook, a symbolic link): one bad submission never stops the
    others. A sandbox that cannot be built stops everything (:class:`sandbox.SandboxError`)."""
    course_dir = Path(course_dir).resolve()
    check_private(course_dir)
    submitted = course_dir / "submitted"
    found = sorted(
        p.name
        for p in submitted.iterdir()
        if (p / assignment / f"{assignment}.ipynb").exists()
        or (p / assignment / f"{assignment}.ipynb").is_symlink()
    )
    students = found if students is None else students
    grader = Grader(course_dir, assignment, key, user, limits)
    scores, failed = {}, {}
    try:
        for student in students:
            try:
                verdicts, outputs, nb = grader.grade(student)
                graded = graded_notebook(grader.release, nb, verdicts, outputs)
                text, when = _timestamp(course_dir, assignment, student)
                record(course_dir, assignment, student, verdicts, graded, text, when)
            except (GradingError, OSError) as exc:
                failed[student] = str(exc)
                print(f"{assignment} {student}: NOT GRADED: {exc}", file=sys.stderr)
                continue
            scores[student] = (sum(v.points for v in verdicts), sum(v.max_points for v in verdicts))
            print(f"{assignment} {student}: {scores[student][0]:g}/{scores[student][1]:g}")
    finally:
        grader.close()
    return scores, failed


def build_parser() -> argparse.ArgumentParser:
    """The command line of ``tools/grade.py`` (docs/grading.md's commands are parsed with it
    in tests/test_grading.py)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("secret", help="make the teacher's secret (once)")
    s.add_argument("--create", action="store_true", required=True)
    g = sub.add_parser("grade", help="grade the submissions of an assignment")
    o = sub.add_parser("solutions", help="print a student's right answers")
    for p in (s, g, o):
        p.add_argument(
            "--secret",
            type=Path,
            default=secrets_.default_path(),
            help="the teacher's secret (default: ~/.config/xent-course/grading-secret of the "
            "user who runs the command, or under sudo of the user who ran sudo)",
        )
    for p in (g, o):
        p.add_argument("assignment", choices=ma.ASSIGNMENTS)
        p.add_argument("--course-dir", type=Path, default=ma.COURSE_DIR)
    g.add_argument("--student", action="append", help="grade only this student (repeatable)")
    g.add_argument("--sandbox-user", default=sandbox.DEFAULT_USER)
    o.add_argument("--student", required=True)
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "secret":
            print(
                f"wrote {secrets_.create(args.secret)}: keep it; it rebuilds every student's numbers"
            )
            return 0
        key = secrets_.load(args.secret)
        if args.command == "solutions":
            source = nbformat.read(
                args.course_dir / "source" / args.assignment / f"{args.assignment}.ipynb",
                as_version=4,
            )
            for gid, code in solutions(args.assignment, args.student, key, source).items():
                print(f"# ---- {gid}\n{code}\n")
            return 0
        where = sandbox.exposed(args.secret)
        if where:
            raise GradingError(
                f"the secret {args.secret} lies under {where}, which the sandbox shows to "
                "students' code: move it (e.g. to ~/.config/xent-course/grading-secret)"
            )
        user = sandbox.sandbox_user(args.sandbox_user)
        _scores, failed = grade(args.course_dir, args.assignment, key, user, args.student)
    except (secrets_.SecretError, sandbox.SandboxError, GradingError, FileNotFoundError) as exc:
        parser.error(str(exc))
    if failed:
        print(
            f"{len(failed)} submission(s) not graded (see above): fix them and grade those "
            "students again with --student",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    with contextlib.suppress(BrokenPipeError):
        sys.exit(main())
