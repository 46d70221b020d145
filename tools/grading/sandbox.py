"""Run a student's code where it can touch nothing of the course: the host side.

Each run is a fresh process tree in new Linux namespaces (``unshare``: mount, PID, network,
IPC, UTS), started as root only to build a private file system, then running as an
unprivileged **sandbox user** under ``setrlimit`` limits (CPU time, address space, processes,
file size) and a wall-clock timeout. What the process sees (``_jail.py`` builds it):

- read-only: the system's programs and libraries (``/usr``, ``/lib*``, ``/bin``), the
  Python that runs the course (its prefix and site-packages), the **students' copy of
  xentlib** (:mod:`tools.grading.stripped`: no exercises, no references, and for a problem
  that asks for a function, xentlib's own version of it replaced by an error) and the runner;
- hidden: any other xentlib on those paths (an empty folder is mounted over it);
- private and empty: ``/tmp`` (size-limited), ``/proc`` (its own processes only), no network;
- nothing else: no home directories, no course directory, no gradebook, no other submission;
- nothing left behind: when a run ends, or runs out of time, its first process is killed and
  the kernel ends every other process of its PID namespace (one that left the process group
  or daemonised too); its files were in memory.
- no kernel key store: ``add_key``, ``request_key`` and ``keyctl`` are refused (seccomp), since
  a key in the sandbox user's keyring would outlive the run and reach the next one.

The runner's answer comes back on a pipe as JSON text, which the caller must treat as
untrusted data (:mod:`tools.grading.judge`). Needs root (or CAP_SYS_ADMIN) and ``unshare``
(util-linux): a normal Linux machine or VM, or a container started with ``--privileged``.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import pwd
import shutil
import signal
import site
import subprocess
import sys
import sysconfig
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
JAIL = HERE / "_jail.py"
RUNNER = HERE / "runner.py"
DEFAULT_USER = "xent-sandbox"
# One thread for every BLAS and OpenMP pool, in the sandbox and in the grader (tools/grade.py
# sets them before NumPy loads), so that the student's code and the reference compute alike.
THREADS = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
ANSWER_FD_LIMIT = 16 << 20  # bytes of JSON read back at most
_LIBC = ctypes.CDLL(None, use_errno=True)


class SandboxError(RuntimeError):
    """The sandbox could not be set up (not root, no such user, no unshare): says the fix."""


@dataclass(frozen=True)
class Limits:
    """Per-run limits. ``memory_bytes`` is the address space (RLIMIT_AS): NumPy and IPython
    reserve more than they touch, so it sits well above the memory a notebook really uses."""

    cpu_seconds: int = 120
    wall_seconds: float = 300.0
    memory_bytes: int = 3 << 30
    processes: int = 64
    file_bytes: int = 16 << 20
    tmp_bytes: int = 64 << 20


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Outcome:
    """What came back: the runner's JSON text (untrusted), its exit status, whether it ran
    out of time, and the seconds it took."""

    answer: str
    returncode: int
    timed_out: bool
    seconds: float


def sandbox_user(name: str = DEFAULT_USER) -> pwd.struct_passwd:
    """The unprivileged user student code runs as; a clear error when it cannot be used."""
    if os.geteuid() != 0:
        raise SandboxError(
            "grading runs each submission as an unprivileged user in a private file system, "
            "which needs root: run it with sudo (see docs/grading.md)"
        )
    if shutil.which("unshare") is None:
        raise SandboxError(
            "the `unshare` command (util-linux) is missing: apt-get install util-linux"
        )
    try:
        user = pwd.getpwnam(name)
    except KeyError:
        raise SandboxError(
            f"--sandbox-user {name!r} does not exist. Create it once, with no home and no "
            f"login: sudo useradd --system --no-create-home --shell /usr/sbin/nologin {name}"
        ) from None
    if user.pw_uid == 0 or user.pw_gid == 0:
        raise SandboxError(
            f"--sandbox-user {name!r} is root or in root's group: use an unprivileged user"
        )
    return user


def python_binds(python: str = sys.executable) -> tuple[list[str], list[str]]:
    """The paths a sandboxed ``python`` needs, and the runner's ``sys.path`` entries (its
    site-packages), for the interpreter that runs this file."""
    prefixes = {sys.base_prefix, sys.base_exec_prefix}
    paths = {sysconfig.get_paths()[key] for key in ("purelib", "platlib")}
    paths |= set(site.getsitepackages())
    site_dirs = sorted(p for p in paths if os.path.isdir(p))
    binds = ["/usr", "/bin", "/lib", "/lib64", "/lib32", "/etc/ld.so.cache", *prefixes]
    binds += [os.path.dirname(os.path.realpath(python))]
    binds += site_dirs
    return binds, site_dirs


def _masks(binds: list[str], library: Path) -> list[str]:
    """Every xentlib the bound paths would show besides the students' copy in ``library``."""
    found = set()
    candidates = [os.path.join(d, "xentlib") for d in binds + sys.path if d]
    try:
        import xentlib

        candidates.append(os.path.dirname(os.path.realpath(xentlib.__file__)))
    except ImportError:
        pass
    for path in candidates:
        real = os.path.realpath(path)
        inside = any(real == b or real.startswith(b.rstrip("/") + "/") for b in binds)
        if os.path.isdir(real) and inside and not real.startswith(str(library)):
            found.add(real)
    return sorted(found)


def exposed(path) -> str | None:
    """The bound path under which ``path`` would be visible in the sandbox, or None. The
    grader refuses a course directory or a secret that the sandbox would show."""
    binds, _site = python_binds()
    real = os.path.realpath(path)
    for bound in binds:
        top = os.path.realpath(bound)
        if os.path.exists(bound) and (real == top or real.startswith(top.rstrip("/") + "/")):
            return bound
    return None


def _first_process(process: subprocess.Popen, give_up: float) -> int | None:
    """A pidfd of the first child of ``process`` (``unshare``): the sandbox's first process;
    None once ``unshare`` has ended (its child had ended before)."""
    parent = process.pid
    while time.monotonic() < give_up and process.poll() is None:
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                if ppid == parent:
                    fd = os.pidfd_open(int(entry))
                    with open(f"/proc/{entry}/stat") as f:  # still that child (no reuse)
                        if int(f.read().rsplit(")", 1)[1].split()[1]) == parent:
                            return fd
                    os.close(fd)
            except (OSError, ValueError, IndexError):
                continue
        time.sleep(0.005)
    return None


def _read_all(fd: int) -> bytes:
    chunks = []
    with contextlib.suppress(BlockingIOError):
        while chunk := os.read(fd, 1 << 16):
            chunks.append(chunk)
    return b"".join(chunks)


def run(
    job: dict,
    *,
    user: pwd.struct_passwd,
    library: Path,
    limits: Limits | None = None,
    env: dict | None = None,
) -> Outcome:
    """Run :mod:`tools.grading.runner` on ``job`` in a fresh sandbox; see the module doc.

    ``library`` is a folder holding the students' ``xentlib`` (and nothing secret): it is
    shown read-only and comes first on the runner's ``sys.path``. Whatever the student's code
    does, nothing of it is left when this returns: the sandbox's first process (the runner)
    is killed, and with it every process of its PID namespace; its files were in memory.
    Raises :class:`SandboxError` only when the sandbox could not be built (the machine's
    fault, never the student's).
    """
    limits = limits or DEFAULT_LIMITS
    python = os.path.realpath(sys.executable)
    binds, site_dirs = python_binds()
    read_end, write_end = os.pipe()
    status_read, status_write = os.pipe()
    with (
        tempfile.TemporaryDirectory(prefix="xent-sandbox-") as root,
        tempfile.TemporaryFile() as errors,  # the sandbox's stderr (a file: it never blocks)
    ):
        config = {
            "root": root,
            "library": str(library),
            "binds": binds,
            "masks": _masks(binds, library),
            "job.json": json.dumps({**job, "answer_fd": write_end}),
            "runner.py": RUNNER.read_text(),
            "status_fd": status_write,
            "uid": user.pw_uid,
            "gid": user.pw_gid,
            "limits": asdict(limits),
            "argv": [python, "-S", "-E", "-B", "/xent-job/runner.py", "/xent-lib", *site_dirs],
            "env": {
                "PATH": "/usr/bin:/bin",
                "HOME": "/tmp",
                "LANG": "C.UTF-8",
                "MPLBACKEND": "Agg",
                "MPLCONFIGDIR": "/tmp/matplotlib",
                "IPYTHONDIR": "/tmp/ipython",
                **THREADS,
                "XENTLIB_PROGRESS": "off",
                **(env or {}),
            },
        }
        command = ["unshare", "--mount", "--pid", "--net", "--ipc", "--uts", "--fork"]
        command += ["--kill-child=SIGKILL", python, "-S", "-E", "-B", str(JAIL)]
        start = time.monotonic()
        process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            pass_fds=(write_end, status_write),
            start_new_session=True,
            preexec_fn=_die_with_the_grader,
        )
        os.close(write_end)
        os.close(status_write)
        first = _first_process(process, start + 10.0)
        chunks, timed_out = [], False
        try:
            process.stdin.write(json.dumps(config).encode())
            process.stdin.close()
            os.set_blocking(read_end, False)
            while time.monotonic() - start < limits.wall_seconds:
                try:
                    chunk = os.read(read_end, 1 << 16)
                except BlockingIOError:
                    if process.poll() is None:
                        time.sleep(0.01)
                        continue
                    chunk = _read_all(read_end)  # what was left when the sandbox ended
                    chunks.append(chunk)
                    break
                if not chunk:
                    break
                chunks.append(chunk)
                if sum(map(len, chunks)) > ANSWER_FD_LIMIT:
                    break  # more than any honest answer: what came is judged (and is not JSON)
            else:
                timed_out = True
        finally:
            # End the sandbox: its first process, and the kernel ends the rest of its PID
            # namespace (a process that left the process group or daemonised included).
            # `unshare` then reaps it and ends; the kernel has reaped the rest by then.
            if first is not None:
                with contextlib.suppress(ProcessLookupError):
                    signal.pidfd_send_signal(first, signal.SIGKILL)
                os.close(first)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:  # its first process was not found
                process.kill()  # and the sandbox's first process dies with it (PDEATHSIG)
                process.wait()
            os.close(read_end)
        status = _read_all(status_read).decode(errors="replace")
        os.close(status_read)
        errors.seek(0, os.SEEK_END)
        errors.seek(max(0, errors.tell() - 4000))
        stderr = errors.read().decode(errors="replace")
        if os.environ.get("XENT_SANDBOX_DEBUG"):
            print(stderr, file=sys.stderr)
        if status != "ready":
            raise SandboxError(
                f"the sandbox could not be built ({status or 'it stopped before the runner'}): "
                f"{stderr.strip()[-1500:]}"
            )
    return Outcome(
        b"".join(chunks)[:ANSWER_FD_LIMIT].decode(errors="replace"),
        process.returncode,
        timed_out,
        time.monotonic() - start,
    )


def _die_with_the_grader() -> None:
    """In ``unshare`` before it starts: SIGKILL when the grader dies (then ``unshare`` kills
    the sandbox's first process, and the kernel the rest of its PID namespace)."""
    _LIBC.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
