"""Shared test setup: a non-interactive matplotlib backend and the repository root."""

import os
import sys
from pathlib import Path

import matplotlib

# Headless figures in this process only: kernels started by nbval and the browser test keep
# their default backend, as a learner's would.
matplotlib.use("Agg")

os.environ.pop("XENTLIB_HIDE_SOLUTIONS", None)

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # so that `tools` imports as a package
    sys.path.insert(0, str(ROOT))
