"""Run every notebook under nbval in simulated machines: the portability matrix.

A notebook's committed outputs must be what *any* IEEE-754 machine prints, whatever its CPU,
BLAS kernel, thread count or SIMD level (CONTRIBUTING.md, "Portable numbers"). This machine
can pretend to be others: OpenBLAS picks its kernels by ``OPENBLAS_CORETYPE`` and its thread
count by ``OPENBLAS_NUM_THREADS``, and NumPy switches off the SIMD loops it would dispatch to
by ``NPY_DISABLE_CPU_FEATURES``. Each environment re-runs every notebook in fresh kernels and
compares every cell's output with the committed one (nbval strict, as ``make test`` does).

    python tools/portability.py              # the whole matrix (``make portability``)
    python tools/portability.py --ci         # the three environments CI runs
    python tools/portability.py --list       # the environments, and what each sets
    python tools/portability.py --only Haswell-1thread notebooks/07_going_nonlinear.ipynb
    python tools/portability.py --native     # this machine as it is (the arm64 check uses it)

Linux arm64 is checked under emulation by ``tools/arm64_nbval.sh`` (``make portability-arm64``).
Exit status 1 when any notebook differs in any environment.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CORETYPES = ("Prescott", "Nehalem", "Sandybridge", "Haswell", "SkylakeX", "Zen")


def simd_features(level: str) -> str:
    """NumPy's dispatch targets to switch off to run at ``level`` ('avx2' or 'baseline').

    The names differ between NumPy releases (2.2: AVX512F, AVX512_SKX, …; 2.4: X86_V3,
    X86_V4, AVX512_ICL, …), so they are read from the NumPy of the Python that runs the
    notebooks, never written down here.
    """
    code = "from numpy._core._multiarray_umath import __cpu_dispatch__ as d; print(' '.join(d))"
    targets = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout.split()
    if level == "baseline":
        return " ".join(targets)
    return " ".join(t for t in targets if t.startswith("AVX512") or t == "X86_V4")


@dataclass(frozen=True)
class Environment:
    name: str
    env: dict[str, str] = field(default_factory=dict)
    simd: str | None = None  # 'avx2' or 'baseline': NumPy's SIMD loops switched off

    def variables(self) -> dict[str, str]:
        env = dict(self.env)
        if self.simd:
            env["NPY_DISABLE_CPU_FEATURES"] = simd_features(self.simd)
        return env


MATRIX = [
    *(Environment(core, {"OPENBLAS_CORETYPE": core}) for core in CORETYPES),
    *(
        Environment(
            f"{core}-{n}thread{'s' if n > 1 else ''}",
            {"OPENBLAS_CORETYPE": core, "OPENBLAS_NUM_THREADS": str(n)},
        )
        for core in ("Haswell", "SkylakeX")
        for n in (1, 8)
    ),
    Environment("numpy-simd-avx2", simd="avx2"),
    Environment("numpy-simd-baseline", simd="baseline"),
]
# What CI runs on every change: an OpenBLAS kernel that is not x86's default choice, a thread
# count that is not the machine's, and NumPy without its SIMD loops. No single machine
# reproduces all three by accident.
CI_SUBSET = ("Prescott", "Haswell-8threads", "numpy-simd-baseline")


def run(environment: Environment, notebooks: list[str]) -> tuple[dict[str, str], float]:
    """nbval over ``notebooks`` in ``environment``: {notebook: 'pass' or the failing cells}."""
    env = {**os.environ, **environment.variables(), "PYTHONHASHSEED": "0"}
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.xml"
        cmd = [
            sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=",
            "--nbval", "--nbval-current-env", "--nbval-sanitize-with", "tests/sanitize.cfg",
            f"--junitxml={report}", *notebooks,
        ]  # fmt: skip
        start = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        seconds = time.perf_counter() - start
        if not report.exists():
            return {nb: "did not run" for nb in notebooks}, seconds
        failing: dict[str, list[str]] = {}
        for case in ET.parse(report).getroot().iter("testcase"):
            if case.find("failure") is not None or case.find("error") is not None:
                where = case.get("classname", "")
                notebook = next((nb for nb in notebooks if Path(nb).stem in where), where)
                failing.setdefault(notebook, []).append(case.get("name", "?"))
    results = {nb: "pass" for nb in notebooks}
    results.update({nb: "differs: " + ", ".join(cells) for nb, cells in failing.items()})
    return results, seconds


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", help="default: every notebook in notebooks/")
    parser.add_argument("--ci", action="store_true", help=f"only {', '.join(CI_SUBSET)}")
    parser.add_argument(
        "--only", action="append", metavar="NAME", help="one environment (repeatable)"
    )
    parser.add_argument(
        "--native", action="store_true", help="only the machine as it is (tools/arm64_nbval.sh)"
    )
    parser.add_argument("--list", action="store_true", help="print the environments and exit")
    args = parser.parse_args(argv)

    chosen = MATRIX
    if args.ci:
        chosen = [e for e in MATRIX if e.name in CI_SUBSET]
    if args.only:
        names = {e.name for e in MATRIX}
        unknown = sorted(set(args.only) - names)
        if unknown:
            parser.error(f"unknown environment {unknown}; choose from {sorted(names)}")
        chosen = [e for e in MATRIX if e.name in args.only]
    if args.native:
        chosen = [Environment("native")]
    if args.list:
        for e in chosen:
            print(f"{e.name:22s} {' '.join(f'{k}={v!r}' for k, v in e.variables().items())}")
        return 0

    notebooks = args.notebooks or sorted(
        str(p.relative_to(ROOT)) for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")
    )
    failed = 0
    for e in chosen:
        results, seconds = run(e, notebooks)
        bad = {nb: r for nb, r in results.items() if r != "pass"}
        verdict = "all reproduce" if not bad else f"{len(bad)} differ"
        print(
            f"{e.name:22s} {len(notebooks) - len(bad):2d}/{len(notebooks)} notebooks reproduce their outputs ({verdict}, {seconds:.0f} s)",
            flush=True,
        )
        for nb, r in bad.items():
            print(f"    {nb}: {r}", flush=True)
        failed += bool(bad)
    print(f"{len(chosen) - failed} of {len(chosen)} environments reproduce every committed output")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
