"""Shared test setup: a non-interactive matplotlib backend and the repository root."""

import os
import sys
import tempfile
from pathlib import Path

import matplotlib

# Headless figures in this process only: kernels started by nbval and the browser test keep
# their default backend, as a learner's would.
matplotlib.use("Agg")

os.environ.pop("XENTLIB_HIDE_SOLUTIONS", None)
# check() raises its own errors (not a learner's) instead of reporting "could not be checked",
# so that no test passes because the catch-all hid a bug of the checker (issue 21).
os.environ["XENTLIB_STRICT_CHECKS"] = "1"
# Answers checked by the tests and by the notebooks nbval runs (their kernels inherit this
# environment) go to a throwaway progress file, never to the learner's own.
os.environ["XENTLIB_PROGRESS"] = str(
    Path(tempfile.mkdtemp(prefix="xentlib-test-progress-")) / "progress.json"
)

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # so that `tools` imports as a package
    sys.path.insert(0, str(ROOT))
