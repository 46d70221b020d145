"""End to end in a real browser: JupyterLab + Debian's Chromium, driven by Playwright.

Starts JupyterLab on 127.0.0.1 on a free port with a random token, serving a temporary copy
of the course (so autosave can never touch the committed notebooks). For every notebook it
runs all cells from the Run menu, asserts that no cell shows an error or stderr output, that
every formula typesets and every picture loads, and where the notebook has widgets, moves
every slider with the keyboard and presses every button, and asserts that what the learner
sees (the figure and the readout, not just the slider) changes. The server and the browser
are stopped at the end. Every step is done once: nothing is retried.

Three things this test once retried, and why it needs not:
- Run All clicked before the page had its kernel ran nothing (JupyterLab clears a cell whose
  session has no kernel yet); so the test waits for the page's own kernel connection.
- A widget message could sit unread in the kernel until another connection came: ipykernel
  7.0-7.3 (ipython/ipykernel#1554); the course pins 7.4 (requirements.txt).
- Five key presses from 0.50 leave a slider's ``aria-valuenow`` at "0.5" (noUiSlider rounds
  it to one decimal); the test reads the slider's readout instead.
The server uses the course's JupyterLab settings (``jupyter/overrides.json``, as installed
for ``make lab``, the hub and Binder).

Without Chromium or Playwright this test skips with the reason; with CI=true it fails.
``XENTLIB_SCREENSHOTS=folder`` keeps a picture of every lesson and widget;
``XENTLIB_BROWSER_TRACE=folder`` records every kernel message (see ``browser_trace``).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import NamedTuple

import pytest

from tests._real_software import CHROMIUM_FLAGS, chromium, unavailable
from tools.course import IMAGES, NOTEBOOKS, ROOT, notebook_paths

pytestmark = pytest.mark.browser

# The course's JupyterLab settings (jupyter/README.md), which `make lab`, the hub and Binder
# install into the environment (tools/install_overrides.py).
COURSE_OVERRIDES = ROOT / "jupyter" / "overrides.json"
KERNELS_SETTINGS = "@jupyterlab/apputils-extension:kernels-settings"
# Generous: the machines are shared and noisy; a lesson runs in a few seconds when idle.
SERVER_START_TIMEOUT = 90
PAGE_TIMEOUT = 60  # seconds for the page and its kernel to be ready
RUN_ALL_TIMEOUT = 300
REACTION_TIMEOUT = 30  # seconds for a slider's or a button's effect to reach the screen
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"  # the notebook on screen, not other open tabs
OUTPUT = "xpath=ancestor::div[contains(@class,'jp-OutputArea-output')]"
ERROR_TEXTS = ("Error displaying widget", "Model not found", "Traceback (most recent call last)")


def _unavailable(reason: str):
    unavailable("browser test", reason)


def _chromium() -> str:
    return chromium("browser test")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Lab(NamedTuple):
    base: str
    token: str
    root: Path

    def api(self, path: str, method: str = "GET"):
        request = urllib.request.Request(
            f"{self.base}/api/{path}?token={self.token}", method=method
        )
        with urllib.request.urlopen(request, timeout=15) as resp:
            return json.load(resp) if resp.status == 200 else None

    def kernel_states(self) -> list[str]:
        return [s["kernel"]["execution_state"] for s in self.api("sessions")]


def _trace_folder() -> Path | None:
    folder = os.environ.get("XENTLIB_BROWSER_TRACE")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
    return Path(folder) if folder else None


def _forget_execution_counts(path: Path) -> None:
    """Show every cell as never run (``[ ]:``), so that ``[n]:`` proves it ran in this test.

    The committed notebooks keep the counts of their last run; the outputs stay.
    """
    import nbformat

    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.execution_count = None
    nbformat.write(nb, path)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on a copy of the course, with the course's settings."""
    root = tmp_path_factory.mktemp("course")
    shutil.copytree(NOTEBOOKS, root / "notebooks")
    shutil.copytree(IMAGES, root / "images")
    for path in (root / "notebooks").glob("*.ipynb"):
        _forget_execution_counts(path)
    with _jupyterlab(root, [f"--ServerApp.root_dir={root}"]) as lab:
        yield lab


@contextlib.contextmanager
def _jupyterlab(cwd: Path, args: list[str]):
    """JupyterLab started in ``cwd`` with ``args`` (what it serves), on 127.0.0.1 with a
    random token and the course's settings; stopped, and checked stopped, afterwards."""
    root = cwd
    port, token = _free_port(), secrets.token_hex(24)
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    for name, sub in (
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTERLAB_SETTINGS_DIR", "settings"),
        ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
    ):
        env[name] = str(root / ".jupyter" / sub)
    # The course's settings (see jupyter/README.md), read from an app settings folder of
    # the test's own, so the test does not depend on (or change) what this environment has.
    app_settings = root / ".jupyter" / "app-settings"
    app_settings.mkdir(parents=True, exist_ok=True)
    shutil.copy(COURSE_OVERRIDES, app_settings / "overrides.json")
    # Render every cell (no windowing), so that outputs far down the page are checked too.
    tracker = root / ".jupyter" / "settings" / "@jupyterlab" / "notebook-extension"
    tracker.mkdir(parents=True, exist_ok=True)
    (tracker / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        *args,
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--LabApp.app_settings_dir={app_settings}",
        # window.jupyterapp, so the test can wait until the page's kernel is connected.
        "--LabApp.expose_app_in_browser=True",
        "--LabApp.news_url=",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    trace = _trace_folder()
    if trace:
        from tests.browser_trace import log_every_message

        log_every_message(root, cmd, env, trace)
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    log_path = root / ".jupyter" / "jupyter.log"
    log = open(log_path, "wb")  # closed after the server stops
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"JupyterLab did not start: {log_path.read_text()[-2000:]}")
            time.sleep(0.5)
        # The token is required: without it the API refuses.
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(f"{base}/api/contents", timeout=5)
        yield Lab(base, token, root)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        if trace:
            shutil.copy(log_path, trace / "jupyter.log")
    assert proc.poll() is not None, "the JupyterLab server is still running"


@pytest.fixture(scope="module")
def browser():
    chromium = _chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed (pip install -r requirements-dev.txt)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


# ---- the steps of a lesson -------------------------------------------------------------


@contextlib.contextmanager
def _lesson_page(browser, lab: Lab, path: Path):
    """A new page showing the lesson, its kernel idle; yields (page, JavaScript errors).

    Afterwards the page is closed and every kernel stopped (the machine has two cores).
    """
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(PAGE_TIMEOUT * 1000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    trace = _trace_folder()
    if trace:
        from tests.browser_trace import PageTrace

        recorder = PageTrace(page, trace / f"{path.stem}.trace")
    try:
        # A workspace of its own, so the tabs of earlier notebooks are not restored.
        page.goto(
            f"{lab.base}/lab/workspaces/{path.stem}/tree/notebooks/{path.name}?token={lab.token}"
        )
        page.locator(f"{PANEL} .jp-Notebook .jp-Cell").first.wait_for()
        _wait_for_kernel(page, path)
        _check_course_settings(page)
        yield page, errors
    finally:
        page.close()
        for session in lab.api("sessions"):
            lab.api(f"sessions/{session['id']}", method="DELETE")
        if trace:
            recorder.close()


# The notebook's own kernel connection, as JupyterLab's Run All sees it: a cell runs only if
# its session has a kernel (else JupyterLab silently clears the cell instead of running it).
KERNEL_READY = """name => {
    const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
    const session = panel && panel.context && panel.context.path.endsWith(name)
        && panel.sessionContext.session;
    const kernel = session && session.kernel;
    return !!kernel && kernel.connectionStatus === "connected" && kernel.status === "idle";
}"""


def _wait_for_kernel(page, path: Path) -> None:
    """Wait until the page is connected to the notebook's kernel and the kernel is idle.

    Not the toolbar's indicator, nor the server's sessions: the indicator says "idle" before
    the page has a kernel at all, and the server knows the kernel before the page does.
    """
    page.wait_for_function(KERNEL_READY, arg=path.name, polling=100)


def _check_course_settings(page) -> None:
    """The page uses the course's settings: widget messages are not sent over subshells."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    overrides = COURSE_OVERRIDES
    expected = json.loads(overrides.read_text(encoding="utf-8"))[KERNELS_SETTINGS]
    try:
        page.wait_for_function(
            "v => window.jupyterapp.serviceManager.kernels.commsOverSubshells === v",
            arg=expected["commsOverSubshells"],
            timeout=REACTION_TIMEOUT * 1000,
        )
    except PlaywrightTimeoutError:
        actual = page.evaluate("() => window.jupyterapp.serviceManager.kernels.commsOverSubshells")
        pytest.fail(f"JupyterLab sends comms over subshells {actual!r}, not as {overrides} says")


def _prompts(page) -> list[str]:
    return [
        p.strip() for p in page.locator(f"{PANEL} .jp-CodeCell .jp-InputPrompt").all_text_contents()
    ]


def _code_cell_count(path: Path) -> int:
    import nbformat

    nb = nbformat.read(path, as_version=4)
    return sum(1 for c in nb.cells if c.cell_type == "code")


def _run_all_and_wait(page, lab: Lab, path: Path) -> None:
    """Run > Run All Cells, then wait until every code cell has its execution count."""
    page.locator(".lm-MenuBar-item", has_text=re.compile(r"^Run$")).click()
    item = page.locator('li.lm-Menu-item[data-command="runmenu:run-all"]')
    item.wait_for()
    assert "lm-mod-disabled" not in (item.get_attribute("class") or ""), "Run All is disabled"
    item.click()
    n_cells = _code_cell_count(path)
    deadline = time.monotonic() + RUN_ALL_TIMEOUT
    prompts = _prompts(page)
    while sum(bool(re.fullmatch(r"\[\d+\]:", p)) for p in prompts) < n_cells:
        if time.monotonic() > deadline:
            pytest.fail(
                f"not every cell ran within {RUN_ALL_TIMEOUT} s: prompts {prompts}, "
                f"kernels {lab.kernel_states()}"
            )
        page.wait_for_timeout(250)
        prompts = _prompts(page)
    # Each cell ran once, in order, in this page's kernel.
    assert prompts == [f"[{n}]:" for n in range(1, n_cells + 1)], prompts


def _check_outputs(page) -> None:
    """No cell shows stderr or an error, and no widget failed to display."""
    stderr = page.locator(
        f'{PANEL} .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
    )
    assert stderr.count() == 0, f"error or stderr output: {stderr.all_inner_texts()[:3]}"
    body = page.locator(f"{PANEL} .jp-Notebook").text_content()
    for text in ERROR_TEXTS:
        assert text not in body, f"the page shows {text!r}"


def _check_math(page, path: Path) -> None:
    """Every formula typesets (MathJax marks a LaTeX error with <mjx-merror>)."""
    assert page.locator(f"{PANEL} .jp-RenderedMarkdown mjx-container").count() > 0 or (
        "$" not in path.read_text(encoding="utf-8")
    ), "the lesson has formulas, but none was typeset"
    bad_math = page.locator(f"{PANEL} mjx-merror")
    assert bad_math.count() == 0, f"LaTeX errors: {bad_math.all_inner_texts()[:3]}"


def _check_images(page) -> None:
    """Every picture in the lesson's text loads (a broken ../images link shows nothing)."""
    images = page.locator(f"{PANEL} .jp-RenderedMarkdown img")
    for i in range(images.count()):
        image = images.nth(i)
        image.scroll_into_view_if_needed()
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
        )


def _wait_for_widgets(page, path: Path, lab: Lab):
    """Wait until every widget is shown and every figure sized; return (sliders, buttons)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    output = f"{PANEL} .jp-OutputArea-output"
    sliders = page.locator(f"{output} .widget-slider .noUi-handle")
    if "xl.widgets." in path.read_text(encoding="utf-8"):
        # Widget views render asynchronously after their cell finishes.
        sliders.first.wait_for(timeout=REACTION_TIMEOUT * 1000)
    canvases = page.locator(f"{output} .jupyter-matplotlib-canvas-div canvas")
    for i in range(canvases.count()):
        # ipympl sizes a canvas once it is laid out and the kernel has sent the first frame;
        # JupyterLab may skip laying out cells off screen, so bring each into view.
        canvases.nth(i).scroll_into_view_if_needed()
        try:
            page.wait_for_function(
                "c => c.width > 0 && c.height > 0",
                arg=canvases.nth(i).element_handle(),
                timeout=REACTION_TIMEOUT * 1000,
            )
        except PlaywrightTimeoutError:
            pytest.fail(
                f"figure {i} of {canvases.count()} was not sized within {REACTION_TIMEOUT} s "
                f"(its kernel never answered ipympl; kernels {lab.kernel_states()})"
            )
    return sliders, page.locator(f"{output} button.widget-button")


class Screen(NamedTuple):
    """What the learner sees of one widget output."""

    figure: bytes
    readout: list[str]


def _screen(output) -> Screen:
    figure = output.locator("canvas").first
    pixels = figure.screenshot() if figure.count() else b""
    return Screen(pixels, output.locator(".widget-html-content").all_inner_texts())


def _wait_for_change(page, output, before: Screen, what: str, lab: Lab) -> None:
    """Wait until both the figure and the readout of ``output`` differ from ``before``."""
    deadline = time.monotonic() + REACTION_TIMEOUT
    after = _screen(output)
    while (after.figure == before.figure or after.readout == before.readout) and (
        time.monotonic() < deadline
    ):
        page.wait_for_timeout(200)
        after = _screen(output)
    context = f"within {REACTION_TIMEOUT} s (kernels {lab.kernel_states()})"
    assert after.readout != before.readout, f"{what}: the readout did not change {context}"
    assert after.figure != before.figure, f"{what}: the figure did not change {context}"


def _move_slider(page, handle, i: int, lab: Lab) -> None:
    """Five key presses move the slider (its own readout shows the new value); the figure
    and the explorer's readout change."""
    output = handle.locator(OUTPUT)
    value = handle.locator("xpath=ancestor::div[contains(@class,'widget-slider')]").locator(
        ".widget-readout"
    )
    handle.scroll_into_view_if_needed()
    before = _screen(output)
    start = value.inner_text()
    # Step down, or up from a slider that starts at its minimum. (Not aria-valuenow to tell:
    # noUiSlider rounds it to one decimal, so 0.50 → 0.45 leaves it at "0.5".)
    at_min = float(handle.get_attribute("aria-valuetext")) <= float(
        handle.get_attribute("aria-valuemin")
    )
    key = "ArrowRight" if at_min else "ArrowLeft"
    for _ in range(5):
        handle.press(key)  # focuses the handle, then presses
    moved = value.inner_text()
    assert moved != start, f"slider {i} does not move with the keyboard (stays at {start})"
    _wait_for_change(page, output, before, f"slider {i} (moved {start} → {moved})", lab)


def _press_button(page, button, lab: Lab) -> None:
    """A push button (Train, fit T) changes its figure and readout."""
    output = button.locator(OUTPUT)
    button.scroll_into_view_if_needed()
    before = _screen(output)
    button.click()
    _wait_for_change(page, output, before, f"button {button.text_content()!r}", lab)


def _screenshots(page, sliders, path: Path) -> None:
    """With XENTLIB_SCREENSHOTS=folder, keep a picture of the lesson and of each widget."""
    shots = os.environ.get("XENTLIB_SCREENSHOTS")
    if not shots:
        return
    Path(shots).mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(Path(shots) / f"{path.stem}.png"), full_page=True)
    for i in range(sliders.count()):
        output = sliders.nth(i).locator(OUTPUT)
        output.screenshot(path=str(Path(shots) / f"{path.stem}_widget{i}.png"))


@pytest.mark.parametrize("path", notebook_paths(), ids=[p.stem for p in notebook_paths()])
def test_notebook_runs_in_jupyterlab(lab, browser, path):
    """Everything a learner does in one lesson, in a fresh page and kernel, once."""
    with _lesson_page(browser, lab, path) as (page, js_errors):
        _run_all_and_wait(page, lab, path)
        _check_outputs(page)
        _check_math(page, path)
        _check_images(page)
        sliders, buttons = _wait_for_widgets(page, path, lab)
        for i in range(sliders.count()):
            _move_slider(page, sliders.nth(i), i, lab)
        for i in range(buttons.count()):
            _press_button(page, buttons.nth(i), lab)
        assert not js_errors, f"JavaScript errors: {js_errors}"
        _screenshots(page, sliders, path)


# ---- the routes a learner or a teacher starts by hand ------------------------------------


def _documented_lab_command(path: Path, marker: str) -> list[str]:
    """The arguments of the ``jupyter lab`` command in ``path``'s line containing ``marker``."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if marker in line]
    assert len(lines) == 1, f"{path.name}: expected one line with {marker!r}, found {lines}"
    words = lines[0].split("#")[0].split()
    return words[words.index("lab") + 1 :]


def test_the_manual_routes_serve_the_course_folder(browser, tmp_path):
    """README's route without make, and docs/deploy-hub.md's lab-machine route, started from
    the course folder exactly as written: lesson 00 opens and every picture loads. The same
    command without ``--notebook-dir=.`` (the old one) serves only notebooks/, and the
    pictures break: the check can fail."""
    readme = _documented_lab_command(ROOT / "README.md", "jupyter lab ")
    lab_machines = _documented_lab_command(
        ROOT / "docs" / "deploy-hub.md", "/opt/xent-env/bin/jupyter lab"
    )
    assert readme == lab_machines, (readme, lab_machines)
    notebook = next(a for a in readme if a.endswith(".ipynb"))
    assert (ROOT / notebook).is_file(), notebook
    course = tmp_path / "course"
    shutil.copytree(NOTEBOOKS, course / "notebooks")
    shutil.copytree(IMAGES, course / "images")
    old = [a for a in readme if not a.startswith("--notebook-dir")]
    for args, pictures_load in ((readme, True), (old, False)):
        with _jupyterlab(course, args) as lab:
            served = {item["name"] for item in lab.api("contents")["content"]}
            path = notebook if "images" in served else notebook.removeprefix("notebooks/")
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            try:
                page.set_default_timeout(PAGE_TIMEOUT * 1000)
                page.goto(
                    f"{lab.base}/lab/workspaces/route{int(pictures_load)}/tree/{path}?token={lab.token}"
                )
                page.locator(f"{PANEL} .jp-RenderedMarkdown").first.wait_for()
                images = page.locator(f"{PANEL} .jp-RenderedMarkdown img")
                images.first.wait_for(state="attached")  # lesson 00 has pictures
                if pictures_load:
                    _check_images(page)
                else:
                    first = images.first
                    first.scroll_into_view_if_needed()
                    page.wait_for_function("img => img.complete", arg=first.element_handle())
                    assert first.evaluate("img => img.naturalWidth") == 0
            finally:
                page.close()
                for session in lab.api("sessions"):
                    lab.api(f"sessions/{session['id']}", method="DELETE")
