"""``check_setup()``: is this environment ready for the course?

It reads installed versions from package metadata (nothing heavy is imported) and looks for
the JupyterLab front-end extensions that draw widgets and interactive figures.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

MIN_PYTHON = (3, 10)
PACKAGES = ("numpy", "matplotlib", "ipywidgets", "anywidget", "ipympl")
# The JupyterLab extensions that render ipywidgets, the explorers (anywidget) and ipympl
# figures, and the Python package that ships each one (used in the advice).
LAB_EXTENSIONS = {
    "@jupyter-widgets/jupyterlab-manager": "jupyterlab_widgets",
    "anywidget": "anywidget",
    "jupyter-matplotlib": "ipympl",
}


@dataclass
class SetupReport:
    """What :func:`check_setup` found.

    Attributes
    ----------
    python : str
        The running Python version.
    versions : dict
        Package name to installed version, or ``None`` when it is missing.
    in_kernel : bool
        True inside a Jupyter kernel (where widgets can be displayed).
    widgets_ready, figures_ready : bool
        Whether the explorers (ipywidgets and anywidget) and ipympl (``%matplotlib
        widget``) will work here.
    problems : list of str
        One line of advice per problem found; empty when all is well.
    """

    python: str
    versions: dict
    in_kernel: bool
    widgets_ready: bool
    figures_ready: bool
    problems: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def _rows(self):
        rows = [("Python", self.python)]
        rows += [(name, version or "MISSING") for name, version in self.versions.items()]
        rows.append(("Interactive widgets", "ready" if self.widgets_ready else "NOT READY"))
        rows.append(("Interactive figures", "ready" if self.figures_ready else "NOT READY"))
        return rows

    def __str__(self) -> str:
        lines = [f"{name:<20} {value}" for name, value in self._rows()]
        if self.ok:
            lines.append("All set: every lesson, widget and exercise will work here.")
        else:
            lines += ["Problems:"] + [f"  - {p}" for p in self.problems]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        cells = "".join(
            f"<tr><td style='text-align:left'>{name}</td><td style='text-align:left'>{value}</td></tr>"
            for name, value in self._rows()
        )
        verdict = (
            "<p>✅ All set: every lesson, widget and exercise will work here.</p>"
            if self.ok
            else "<p>❌ Problems:</p><ul>"
            + "".join(f"<li>{p}</li>" for p in self.problems)
            + "</ul>"
        )
        return f"<table>{cells}</table>{verdict}"


def _installed_version(name: str):
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _lab_extension_installed(name: str) -> bool:
    # Prebuilt JupyterLab extensions live in <prefix>/share/jupyter/labextensions/<name>.
    prefixes = {sys.prefix, sys.base_prefix, str(Path.home() / ".local")}
    return any(
        (Path(prefix) / "share" / "jupyter" / "labextensions" / name / "package.json").is_file()
        for prefix in prefixes
    )


def in_kernel() -> bool:
    """True inside a running Jupyter kernel (where widgets can be displayed).

    A kernel has always imported IPython, so when IPython is not loaded the answer is no,
    and asking never imports it (``import xentlib`` stays light).
    """
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    shell = ipython.get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def check_setup(*, verbose: bool = True) -> SetupReport:
    """Report whether this environment can run every part of the course.

    Reports the versions of Python, NumPy, matplotlib, ipywidgets, anywidget and ipympl, and
    whether interactive widgets and interactive figures (``%matplotlib widget``) will work.

    Parameters
    ----------
    verbose : bool, default True
        Print the report (outside a notebook). In a notebook, the returned report shows
        itself as a table.

    Returns
    -------
    SetupReport
        ``report.ok`` is True when nothing needs fixing; ``report.problems`` says what to do
        otherwise.

    Examples
    --------
    >>> report = check_setup(verbose=False)
    >>> report.versions["numpy"] is not None
    True
    """
    if not isinstance(verbose, bool):
        raise TypeError(f"verbose must be True or False, got {verbose!r}.")
    versions = {name: _installed_version(name) for name in PACKAGES}
    problems = []
    if sys.version_info < MIN_PYTHON:
        problems.append(
            f"Python {sys.version_info[0]}.{sys.version_info[1]} is too old; "
            "the course needs Python 3.10 or newer."
        )
    for name, version in versions.items():
        if version is None:
            problems.append(
                f"{name} is not installed: run `make lab` (or `pip install -r requirements.txt`)."
            )
    missing_ext = [
        f"the JupyterLab extension {ext} is missing: `pip install {pkg}` and restart JupyterLab."
        for ext, pkg in LAB_EXTENSIONS.items()
        if not _lab_extension_installed(ext)
    ]
    problems += missing_ext
    running_in_kernel = in_kernel()
    widgets_ready = (  # the explorers: ipywidgets, drawn by anywidget
        versions["ipywidgets"] is not None
        and versions["anywidget"] is not None
        and _lab_extension_installed("@jupyter-widgets/jupyterlab-manager")
        and _lab_extension_installed("anywidget")
    )
    figures_ready = (
        widgets_ready
        and versions["ipympl"] is not None
        and _lab_extension_installed("jupyter-matplotlib")
    )
    report = SetupReport(
        python=".".join(map(str, sys.version_info[:3])),
        versions=versions,
        in_kernel=running_in_kernel,
        widgets_ready=widgets_ready,
        figures_ready=figures_ready,
        problems=problems,
    )
    if verbose and not running_in_kernel:
        print(report)
    return report
