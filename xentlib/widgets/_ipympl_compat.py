"""Everything explorers need from ipympl beyond its public API, in one place, with why.

ipympl (``%matplotlib widget``) gives an explorer a live canvas in JupyterLab. Explorers
lean on a few of its private details: how it switches pyplot's backend on import, how its
``Canvas`` and ``FigureManager`` are made, ``syncing_data_url`` and ``_force_full``. Each
use below says which bug it avoids. They were written and tested for the ipympl versions
in :data:`TESTED_VERSIONS`; with any other version the first live canvas warns once, and
``tests/test_widgets.py::test_installed_ipympl_is_a_tested_version`` fails.

To support a new ipympl: re-check every function here against its source, run
``tests/test_widgets.py`` and the browser test (``tests/test_browser.py``), then add the
version to :data:`TESTED_VERSIONS`.
"""

from __future__ import annotations

import warnings
from importlib import metadata

import matplotlib as mpl
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from .. import setup_check

TESTED_VERSIONS = ("0.10.0",)  # requirements.txt pins the first
_warned_about: set = set()  # the untested versions already warned about (warn once)


def installed_version() -> str | None:
    """ipympl's installed version (from package metadata: nothing is imported), or None."""
    try:
        return metadata.version("ipympl")
    except metadata.PackageNotFoundError:
        return None


def warn_if_untested(version: str | None = None) -> bool:
    """True when ``version`` (default: the installed one) is in :data:`TESTED_VERSIONS`.

    Otherwise warn, once per version, that the workarounds in this module may no longer
    hold; the explorers still run.
    """
    version = installed_version() if version is None else version
    if version in TESTED_VERSIONS:
        return True
    if version not in _warned_about:
        _warned_about.add(version)
        warnings.warn(
            f"ipympl {version} is installed, but xentlib's explorers were tested with ipympl "
            f"{', '.join(TESTED_VERSIONS)}; if an explorer stays blank or shows stale pixels, "
            "install the version in requirements.txt (pip install -r requirements.txt).",
            RuntimeWarning,
            stacklevel=3,
        )
    return False


def uses_ipympl() -> bool:
    """True when ``%matplotlib widget`` (ipympl) is the active pyplot backend."""
    return "ipympl" in mpl.get_backend() or mpl.get_backend().endswith("widget")


def restore_backend(backend: str | None) -> None:
    """Make ``backend`` pyplot's backend again (None: matplotlib had not chosen one)."""
    if backend is not None and "inline" in backend and setup_check.in_kernel():
        from IPython import get_ipython

        # The magic, not plt.switch_backend: it also brings back the inline PNG display.
        get_ipython().run_line_magic("matplotlib", "inline")
    else:
        plt.switch_backend(backend if backend is not None else "agg")


def live_canvas(fig: Figure):
    """Attach an ipympl canvas to ``fig`` without registering it with pyplot.

    Lessons keep the default inline backend, so their static figures are stored as PNGs
    (readable on GitHub, compared by nbval); only explorers get a live canvas.
    """
    backend = mpl.get_backend(auto_select=False)  # None while matplotlib has not chosen
    from ipympl.backend_nbagg import Canvas, FigureManager

    if mpl.get_backend(auto_select=False) != backend:
        # Importing ipympl makes it pyplot's backend, which would turn the lesson's later
        # plt figures into live widgets (and their saved outputs into widget reprs).
        restore_backend(backend)
    canvas = Canvas(fig)
    with warnings.catch_warnings():
        # ipympl's toolbar passes its canvas on to traitlets, which warns; harmless.
        warnings.filterwarnings("ignore", "Passing unrecognized arguments", DeprecationWarning)
        FigureManager(canvas, 0)  # the manager sends each frame to the browser
    prepare_canvas(canvas)
    return canvas


def prepare_canvas(canvas) -> None:
    """Set up a live canvas for an explorer: no toolbar, header or footer, a fixed size."""
    warn_if_untested()
    # ipympl 0.10 keeps a data URL of the figure until the browser says "initialized", and
    # while it does, it sends each frame as raw pixels instead of a PNG. JupyterLab sends
    # widget messages on a kernel subshell once it has made one, so the browser's "draw" can
    # overtake its earlier "initialized": the browser then gets a broken image, fails while
    # sizing the canvas and the explorer stays blank. Explorers need no data URL (each has a
    # static picture in the lesson), so stop keeping one from the start.
    canvas.syncing_data_url = False
    canvas.header_visible = False
    canvas.toolbar_visible = False
    canvas.footer_visible = False
    canvas.resizable = False
    canvas.capture_scroll = False


def send_whole_frame(canvas) -> None:
    """Make the canvas's next frame a whole image, not a diff against the last one.

    When frames come quickly (a dragged slider, a training run) the browser drops a frame
    it has not decoded yet, and a lost diff would leave stale pixels for good.
    """
    canvas._force_full = True
