"""The teacher's secret, and every number derived from it.

The secret is 32 random bytes in a file only the teacher can read (``tools/grade.py secret
--create``), kept outside the repository and the course directory. Each student's numbers
and hidden inputs are drawn from a random generator seeded with an HMAC-SHA256 of the secret
and what they are for (``"params"`` or ``"hidden"``, the assignment, the problem, the
student), so the same secret always rebuilds the same variants, and without it nothing in
the repository or in a student's notebook tells what the hidden inputs or the answers are.

>>> rng(b"k" * 32, "params", "ps01", "q1", "ada").random() == rng(b"k" * 32, "params", "ps01", "q1", "ada").random()
True
>>> rng(b"k" * 32, "params", "ps01", "q1", "ada").random() == rng(b"j" * 32, "params", "ps01", "q1", "ada").random()
False
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import pwd
import secrets
import stat
from pathlib import Path

import numpy as np

WHERE = ".config/xent-course/grading-secret"  # under the teacher's home


def default_path() -> Path:
    """``~/.config/xent-course/grading-secret`` of the teacher: the user who runs the command,
    or under ``sudo`` (grading needs root) the user who ran ``sudo``, so that ``sudo
    .venv/bin/python tools/grade.py grade …`` finds the secret ``tools/grade.py secret
    --create`` made without it."""
    home = None
    if os.geteuid() == 0 and os.environ.get("SUDO_USER"):
        with contextlib.suppress(KeyError):
            home = pwd.getpwnam(os.environ["SUDO_USER"]).pw_dir
    return Path(home or Path.home()) / WHERE


DEFAULT_PATH = default_path()
CLASS = "*"  # the variant of a student who is not on the class list


class SecretError(RuntimeError):
    """No usable secret: the message says how to make one."""


def create(path: Path = DEFAULT_PATH) -> Path:
    """Write a new secret to ``path`` (mode 0600); refuse to overwrite one."""
    path = Path(path)
    if path.exists():
        raise SecretError(f"{path} exists: a new secret would change every student's numbers")
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_hex(32) + "\n")
    return path


def load(path: Path = DEFAULT_PATH) -> bytes:
    """The secret in ``path``; a clear error when it is missing, short or readable by others."""
    path = Path(path)
    if not path.is_file():
        raise SecretError(
            f"no grading secret at {path}. Make one once (and keep it: it rebuilds every "
            f"student's numbers): python tools/grade.py secret --create --secret {path}"
        )
    if path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise SecretError(f"{path} can be read by others: chmod 600 {path}")
    text = path.read_text().strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        raise SecretError(f"{path} should hold 64 hexadecimal digits") from None
    if len(key) < 16:
        raise SecretError(f"{path} holds {len(key)} bytes; a secret needs at least 16")
    return key


def rng(secret: bytes, *parts: str) -> np.random.Generator:
    """A random generator determined by ``secret`` and ``parts`` (and by nothing else)."""
    digest = hmac.new(secret, "/".join(parts).encode(), hashlib.sha256).digest()
    return np.random.default_rng(int.from_bytes(digest, "big"))


def student_key(assignment: str, student: str) -> str:
    """The key of a student's numbers in a released notebook: a hash, so the notebook does
    not list the class. (Anyone who guesses an id can check it is on the list.)"""
    return hashlib.sha256(f"{assignment}/{student}".encode()).hexdigest()[:16]
