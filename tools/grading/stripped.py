"""The students' xentlib, as the sandbox shows it: the package without its exercises (their
references, worked solutions and misconceptions), and, for a problem that asks a student to
write a function xentlib has, that function replaced by one that raises.

Built once per grading run from the installed xentlib's source files, into a folder anyone
may read (it holds nothing secret); :mod:`tools.grading.sandbox` shows it at ``/xent-lib``.

>>> import ast
>>> tree = ast.parse("def f(x):\\n    return x\\n")
>>> "NotImplementedError" in ast.unparse(_stub(tree, "f", "xentlib.special.f"))
True
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import os
import shutil
import sys
from pathlib import Path

import xentlib

SOURCE = Path(xentlib.__file__).resolve().parent
REMOVED = ("exercises",)  # subpackages students' graded code never gets


def _message(qualified: str) -> str:
    return (
        f"{qualified} is not available while this problem is graded: the problem asks you "
        "to write it yourself"
    )


def _stub(tree: ast.Module, name: str, qualified: str) -> ast.Module:
    """``tree`` with the top-level function or class ``name`` made to raise when used."""
    for i, node in enumerate(tree.body):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == name:
            stub = ast.parse(
                f"def {name}(*args, **kwargs):\n"
                f"    raise NotImplementedError({_message(qualified)!r})\n"
            ).body[0]
            tree.body[i] = stub
            return tree
    raise LookupError(f"xentlib has no top-level {qualified}: update tools/grading/variants.py")


def build(target: Path, forbid=()) -> Path:
    """Write the students' xentlib into ``target/xentlib``, with ``forbid`` (``"module.name"``
    entries, as in :class:`tools.grading.variants.Spec`) replaced; return ``target``."""
    package = Path(target) / "xentlib"
    shutil.copytree(
        SOURCE, package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", *REMOVED)
    )
    by_module: dict[str, list[str]] = {}
    for entry in forbid:
        module, name = entry.rsplit(".", 1)
        by_module.setdefault(module, []).append(name)
    for module, names in by_module.items():
        path = package / f"{module.replace('.', '/')}.py"
        tree = ast.parse(path.read_text())
        for name in names:
            tree = _stub(tree, name, f"xentlib.{module}.{name}")
        path.write_text(ast.unparse(ast.fix_missing_locations(tree)) + "\n")
    for folder, _dirs, files in os.walk(target):
        os.chmod(folder, 0o755)
        for file in files:
            os.chmod(os.path.join(folder, file), 0o644)
    return Path(target)


@contextlib.contextmanager
def forbidden(forbid=()):
    """In this process, for the time of the ``with`` block: xentlib's ``forbid`` functions
    replaced by ones that raise, wherever xentlib's modules hold them, as in the students'
    xentlib. The build checks with it that a teacher's solution does not rely on them."""
    replaced = []
    try:
        for entry in forbid:
            module, name = entry.rsplit(".", 1)
            original = getattr(importlib.import_module(f"xentlib.{module}"), name)
            message = _message(f"xentlib.{module}.{name}")

            def stub(*args, _message=message, **kwargs):
                raise NotImplementedError(_message)

            for loaded in list(sys.modules.values()):
                if getattr(loaded, "__name__", "").split(".")[0] != "xentlib":
                    continue
                for attribute, value in list(vars(loaded).items()):
                    if value is original:
                        replaced.append((loaded, attribute, value))
                        setattr(loaded, attribute, stub)
        yield
    finally:
        for loaded, attribute, value in reversed(replaced):
            setattr(loaded, attribute, value)
