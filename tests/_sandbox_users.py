"""Unix users for the grading tests (tests/test_nbgrader.py): made for one test session and
always removed, with the processes they own.

A user is named ``xent-test-[<role>-]<pid of the pytest that made it>``. A user whose pytest is gone
(a run killed before its clean-up) is stale: the next run removes it, after ending the
processes it owns (they can only be sandboxes of that run: nothing else runs as it).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import signal
import subprocess
import time

PREFIX = "xent-test-"


def processes_of(uid: int) -> list[int]:
    """The ids of the processes whose real user is ``uid``."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError):
                if os.stat(f"/proc/{entry}").st_uid == uid:
                    found.append(int(entry))
    return found


def remove(name: str) -> None:
    """End the processes of user ``name``, then remove it and its group."""
    with contextlib.suppress(KeyError):
        uid = pwd.getpwnam(name).pw_uid
        for _ in range(50):
            left = processes_of(uid)
            if not left:
                break
            for pid in left:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.1)
        subprocess.run(["userdel", name], check=True, capture_output=True)
    with contextlib.suppress(subprocess.CalledProcessError):  # userdel removes it, usually
        subprocess.run(["groupdel", name], check=True, capture_output=True)


def remove_stale() -> list[str]:
    """Remove every ``xent-test-<pid>`` user whose pytest process is gone; their names."""
    stale = []
    for entry in pwd.getpwall():
        pid = entry.pw_name.rsplit("-", 1)[-1]
        if (
            entry.pw_name.startswith(PREFIX)
            and pid.isdigit()
            and not os.path.exists(f"/proc/{pid}")
        ):
            remove(entry.pw_name)
            stale.append(entry.pw_name)
    return stale


@contextlib.contextmanager
def temporary_user(role: str = ""):
    """A fresh system user with no home and no login, removed on the way out (whatever
    happened in between); yields its ``pwd`` entry."""
    remove_stale()
    name = f"{PREFIX}{role}-{os.getpid()}" if role else f"{PREFIX}{os.getpid()}"
    subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name],
        check=True,
        capture_output=True,
    )
    try:
        yield pwd.getpwnam(name)
    finally:
        remove(name)
