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


def _explorer_count(path: Path) -> int:
    """How many explorers the lesson shows: its code cells that make one."""
    import nbformat

    made = re.compile(r"xl\.widgets\.\w+(_explorer|_playground)\(")
    nb = nbformat.read(path, as_version=4)
    return sum(bool(made.search(c.source)) for c in nb.cells if c.cell_type == "code")


def _wait_for_explorers(page, path: Path, lab: Lab):
    """Wait until every explorer is shown with its figure loaded; return their locators."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    explorers = page.locator(f"{PANEL} .jp-OutputArea-output .xl-explorer")
    expected = _explorer_count(path)
    deadline = time.monotonic() + REACTION_TIMEOUT
    while explorers.count() < expected and time.monotonic() < deadline:
        page.wait_for_timeout(200)  # widget views render asynchronously after their cell
    assert explorers.count() == expected, f"{explorers.count()} explorers shown, {expected} made"
    for i in range(expected):
        figure = explorers.nth(i).locator("img.xl-figure")
        figure.scroll_into_view_if_needed()
        try:
            page.wait_for_function(
                "img => img.complete && img.naturalWidth > 0",
                arg=figure.element_handle(),
                timeout=REACTION_TIMEOUT * 1000,
            )
        except PlaywrightTimeoutError:
            pytest.fail(
                f"explorer {i}'s figure did not load within {REACTION_TIMEOUT} s "
                f"(kernels {lab.kernel_states()})"
            )
    return [explorers.nth(i) for i in range(expected)]


class Screen(NamedTuple):
    """What the learner sees of one explorer (and what a screen reader gets of its figure)."""

    figure: bytes
    readout: str
    alt: str


def _screen(explorer) -> Screen:
    """The figure as drawn, then the readout and the alt text read together in one step of
    the page's event loop: while the playground trains, frames keep arriving, and two
    separate reads could take the readout of one frame and the alt text of the next."""
    shot = explorer.locator("img.xl-figure").screenshot()
    readout, alt = explorer.evaluate(
        "el => [el.querySelector('.xl-readout').innerText,"
        " el.querySelector('img.xl-figure').getAttribute('alt') || '']"
    )
    return Screen(shot, readout, alt)


def _wait_for_change(page, explorer, before: Screen, what: str, lab: Lab) -> None:
    """Wait until the figure, the readout and the figure's alt text all differ from before."""
    deadline = time.monotonic() + REACTION_TIMEOUT
    after = _screen(explorer)
    while any(a == b for a, b in zip(after, before, strict=True)) and (time.monotonic() < deadline):
        page.wait_for_timeout(100)
        after = _screen(explorer)
    context = f"within {REACTION_TIMEOUT} s (kernels {lab.kernel_states()})"
    assert after.readout != before.readout, f"{what}: the readout did not change {context}"
    assert after.figure != before.figure, f"{what}: the figure did not change {context}"
    assert after.alt != before.alt, f"{what}: the figure's alt text did not follow {context}"
    assert after.readout in after.alt, f"{what}: the alt text does not hold the readout"


# The time from a key press on a control to the new figure on screen, as the browser itself
# reports it: Element Timing gives the moment an <img> with ``elementtiming`` painted a new
# picture (``renderTime``), which follows the kernel's answer, the PNG's decoding and layout.
START_TIMING = """([control, figure, timeout]) => {
    figure.setAttribute("elementtiming", "xl-figure");
    window.__xlLatency = new Promise((resolve) => {
        let pressed = null;
        control.addEventListener("keydown", () => { pressed = performance.now(); },
                                 { once: true, capture: true });
        const seen = new PerformanceObserver((entries) => {
            for (const entry of entries.getEntries()) {
                // a data: URL is reported cut to its first 100 characters
                const ours = entry.element === figure && figure.src.startsWith(entry.url);
                if (pressed !== null && ours && entry.renderTime > pressed) {
                    seen.disconnect();
                    resolve(entry.renderTime - pressed);
                }
            }
        });
        seen.observe({ type: "element", buffered: false });
        setTimeout(() => { seen.disconnect(); resolve(null); }, timeout);
    });
}"""
LATENCY_PRESSES = 4  # single key presses timed per slider (each waits for its picture)


def _timed_presses(page, control, figure, key: str) -> list[float]:
    """Press ``key`` on ``control`` one press at a time; the ms until each new picture shows."""
    times = []
    for _ in range(LATENCY_PRESSES):
        page.evaluate(
            START_TIMING,
            [control.element_handle(), figure.element_handle(), REACTION_TIMEOUT * 1000],
        )
        control.press(key)
        elapsed = page.evaluate("() => window.__xlLatency")
        assert elapsed is not None, f"{key} on a slider showed no new figure"
        times.append(elapsed)
    return times


def _move_slider(page, explorer, slider, lab: Lab, report: dict) -> None:
    """Key presses move the slider; its shown value, its aria-valuetext, the figure, the
    readout and the alt text all change. Each press is timed to the new picture (the first
    press on each slider is also kept apart: its frame had the least time to be drawn ahead)."""
    figure = explorer.locator("img.xl-figure")
    shown = slider.locator("xpath=following-sibling::span[contains(@class,'xl-value')]")
    slider.scroll_into_view_if_needed()
    before = _screen(explorer)
    start = slider.get_attribute("aria-valuetext")
    at_min = float(slider.input_value()) <= float(slider.get_attribute("min"))
    key = "ArrowRight" if at_min else "ArrowLeft"
    times = _timed_presses(page, slider, figure, key)
    report["latency_ms"].extend(times)
    report["first_press_ms"].append(times[0])
    moved = slider.get_attribute("aria-valuetext")
    name = slider.evaluate("input => input.labels[0].textContent")
    assert moved != start, f"slider {name!r} does not move with the keyboard (stays at {start})"
    assert shown.inner_text() == moved, f"{name!r} shows {shown.inner_text()}, says {moved}"
    assert re.fullmatch(r"-?\d+(\.\d+)?", moved), f"{name!r}: value text {moved!r}"
    _wait_for_change(page, explorer, before, f"slider {name!r} (moved {start} → {moved})", lab)


ACTIVE_CELL = f"""() => [...document.querySelectorAll('{PANEL} .jp-Cell')]
    .findIndex(cell => cell.classList.contains('jp-mod-active'))"""


def _switch_choice(page, explorer, group, lab: Lab) -> None:
    """An arrow key moves a radio group's choice (and nothing else in the lesson)."""
    checked = group.locator("input:checked")
    before = _screen(explorer)
    first = checked.evaluate("radio => radio.value")
    cells_before = page.evaluate(ACTIVE_CELL)
    checked.press("ArrowRight")
    name = group.locator("legend").inner_text()
    assert group.locator("input:checked").evaluate("r => r.value") != first, name
    active = page.evaluate(ACTIVE_CELL)
    assert active == cells_before, f"↑/↓/→ on {name!r} moved JupyterLab to another cell"
    _wait_for_change(page, explorer, before, f"choice {name!r}", lab)


def _press_button(page, explorer, button, lab: Lab) -> None:
    """A push button (Train, fit T, best balanced accuracy) changes the figure and readout;
    pressed with the keyboard (Enter), as a learner without a mouse does."""
    button.scroll_into_view_if_needed()
    if button.inner_text() in ("fit T", "best balanced accuracy"):  # buttons that set a slider
        slider = explorer.locator("input[type=range]").first
        before = _screen(explorer)
        slider.press("Home")  # from the slider's minimum, so the button has work to do
        _wait_for_change(page, explorer, before, "the slider to its minimum", lab)
    before = _screen(explorer)
    button.press("Enter")
    _wait_for_change(page, explorer, before, f"button {button.inner_text()!r}", lab)


# ---- accessibility: the keyboard walk, the accessibility tree, axe -----------------------
FOCUSED = """() => {
    const e = document.activeElement;
    return e ? [e.tagName, e.type || "", e.id || "", e.textContent.slice(0, 40)] : null;
}"""


def _keyboard_walk(page, explorer) -> None:
    """Tab from the first control visits every control in order and leaves the explorer;
    Shift+Tab from the last visits them back and leaves it on the other side: no trap."""
    stops = explorer.locator(
        "input[type=range], fieldset.xl-choice input:checked, button"
    )  # a radio group is one Tab stop: its checked radio
    n = stops.count()
    assert n > 0
    walks = (("forward", range(n), "Tab"), ("back", range(n)[::-1], "Shift+Tab"))
    for direction, order, key in walks:
        stops.nth(order[0]).focus()
        for k in order[1:]:
            page.keyboard.press(key)
            assert stops.nth(k).evaluate("e => e === document.activeElement"), (
                f"{key} from control {k - 1 if direction == 'forward' else k + 1} went to "
                f"{page.evaluate(FOCUSED)}, not to control {k}"
            )
        page.keyboard.press(key)
        assert not explorer.evaluate("root => root.contains(document.activeElement)"), (
            f"{key} from the {direction} end stays in the explorer: a keyboard trap"
        )


def _ax_node(cdp, backend_id: int) -> dict:
    """Chromium's accessibility node of a DOM node: role, name, value and properties."""
    nodes = cdp.send(
        "Accessibility.getPartialAXTree", {"backendNodeId": backend_id, "fetchRelatives": False}
    )["nodes"]
    node = next(n for n in nodes if n.get("backendDOMNodeId") == backend_id)
    props = {p["name"]: p["value"].get("value") for p in node.get("properties", [])}
    return {
        "role": node.get("role", {}).get("value"),
        "name": node.get("name", {}).get("value", ""),
        "value": node.get("value", {}).get("value"),
        **{k: props[k] for k in ("checked", "pressed", "live", "valuetext") if k in props},
    }


def _backend_ids(cdp, css: str) -> list[int]:
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    ids = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": css})["nodeIds"]
    return [cdp.send("DOM.describeNode", {"nodeId": i})["node"]["backendNodeId"] for i in ids]


def _accessibility_tree(page, path: Path) -> list[dict]:
    """Every control and readout of every explorer as the accessibility tree exposes it; each
    control has a role and a name, each slider a clean value, each readout is live."""
    cdp = page.context.new_cdp_session(page)
    rows = []
    try:
        scope = f"{PANEL} .xl-explorer"
        elements = ("input[type=range]", "input[type=radio]", "button", ".xl-readout", "img")
        for css in elements:
            for backend in _backend_ids(cdp, f"{scope} {css}"):
                node = _ax_node(cdp, backend)
                rows.append({"lesson": path.stem, "element": css, **node})
    finally:
        cdp.detach()
    sliders = page.locator(f"{PANEL} .xl-explorer input[type=range]")
    slider_rows = [row for row in rows if row["element"] == "input[type=range]"]
    assert len(slider_rows) == sliders.count()
    for row, slider in zip(
        slider_rows, (sliders.nth(i) for i in range(sliders.count())), strict=True
    ):
        row["aria_valuetext"] = slider.get_attribute("aria-valuetext")
        row["shown"] = slider.locator("xpath=following-sibling::span").inner_text()
        row["decimals"] = len(row["shown"].partition(".")[2])
    for row in rows:
        what = f"{row['lesson']}: {row['element']} {row}"
        if row["element"] == ".xl-readout":
            assert row["role"] == "status" and row.get("live") == "polite", what
        elif row["element"] == "img":
            assert row["role"] == "image" and len(row["name"]) > 80, what
        else:
            assert row["name"].strip(), f"no accessible name: {what}"
            expected = {"input[type=range]": "slider", "input[type=radio]": "radio"}
            assert row["role"] == expected.get(row["element"], "button"), what
        if row["element"] == "input[type=range]":
            # What a screen reader hears: Chromium exposes the input's own value string as
            # the value text ("0.5" for a slider showing "0.50"; it ignores aria-valuetext on
            # a native range input): the number shown, without float noise.
            text, shown = row["valuetext"], row["shown"]
            assert re.fullmatch(r"-?\d+(\.\d+)?", text), f"slider value {text!r}: {what}"
            assert len(text.partition(".")[2]) <= row["decimals"], f"noise in {text!r}: {what}"
            assert float(text) == float(shown), f"says {text}, shows {shown}: {what}"
            assert row["aria_valuetext"] == shown, what
        if row["element"] == "input[type=radio]":
            assert row.get("checked") in ("true", "false", True, False), what
    return rows


def _axe_path() -> Path:
    path = ROOT / ".venv" / "node" / "node_modules" / "axe-core" / "axe.min.js"
    if not path.is_file():
        _unavailable(f"axe-core is not installed at {path} (make {AXE_STAMP_HINT})")
    return path


AXE_STAMP_HINT = ".venv/node/.stamp-axe-4.14.1, which `make test` runs"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
# What the course renders: the lessons' text and every cell's output (explorers, HTML tables,
# printed text, figures). Everything else on the page is JupyterLab's own.
COURSE_CONTENT = [
    [f"{PANEL} .jp-RenderedMarkdown"],
    [f"{PANEL} .jp-OutputArea-output"],
]
RUN_AXE = """async ([context, tags]) => {
    const result = await axe.run(context, { runOnly: { type: "tag", values: tags },
                                            resultTypes: ["violations"] });
    return result.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => ({ target: n.target.join(" "), html: n.html.slice(0, 160) })),
    }));
}"""


def _axe(page, path: Path) -> tuple[list, list, int]:
    """axe-core over the course's content and, separately, over JupyterLab's own chrome.

    Returns (course violations, JupyterLab's violations, static figures without alt)."""
    page.add_script_tag(path=str(_axe_path()))
    course = page.evaluate(RUN_AXE, [{"include": COURSE_CONTENT}, AXE_TAGS])
    chrome = page.evaluate(RUN_AXE, [{"exclude": COURSE_CONTENT}, AXE_TAGS])
    static = 0
    for violation in course:
        if violation["id"] == "image-alt":
            figures = [n for n in violation["nodes"] if STATIC_FIGURE_TARGET in n["target"]]
            static = len(figures)
            violation["nodes"] = [n for n in violation["nodes"] if n not in figures]
    course = [v for v in course if v["nodes"]]
    return course, chrome, static


# A figure output with no text alternative: JupyterLab's PNG renderer gives none. The lessons'
# static figures get theirs through xl.plotting.show (tools/check_notebooks.py counts them).
STATIC_FIGURE_TARGET = ".jp-RenderedImage"  # JupyterLab's renderer of an image/png output


def _check_reflow(page, explorers) -> None:
    """At 640 CSS px (a 1280 px screen at 200 % zoom) every explorer fits its output: no
    sideways scrolling; at the normal width the figure is shown at full size (its fonts at
    10 pt or more, tests/test_widgets.py)."""
    for explorer in explorers:
        figure = explorer.locator("img.xl-figure")
        width = figure.evaluate("img => img.getBoundingClientRect().width")
        natural = figure.evaluate("img => parseFloat(img.style.width)")
        assert abs(width - natural) < 1, f"figure shown at {width} px, not its {natural} px"
    page.set_viewport_size({"width": 640, "height": 1000})
    page.wait_for_timeout(500)
    for i, explorer in enumerate(explorers):
        explorer.scroll_into_view_if_needed()
        overflow = explorer.evaluate(
            """root => {
                const out = root.closest('.jp-OutputArea-output');
                const box = root.getBoundingClientRect(), area = out.getBoundingClientRect();
                return { scroll: out.scrollWidth - out.clientWidth,
                         right: box.right - area.right,
                         widest: Math.max(...[...root.querySelectorAll('*')].map(
                             e => e.getBoundingClientRect().right)) - area.right };
            }"""
        )
        assert max(overflow.values()) <= 1, f"explorer {i} overflows at 640 px: {overflow}"
    page.set_viewport_size({"width": 1400, "height": 1000})


def _screenshots(page, explorers, path: Path) -> None:
    """With XENTLIB_SCREENSHOTS=folder, keep a picture of the lesson and of each explorer."""
    shots = os.environ.get("XENTLIB_SCREENSHOTS")
    if not shots:
        return
    Path(shots).mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(Path(shots) / f"{path.stem}.png"), full_page=True)
    for i, explorer in enumerate(explorers):
        explorer.screenshot(path=str(Path(shots) / f"{path.stem}_explorer{i}.png"))


@pytest.fixture(scope="module")
def report(request):
    """What the accessibility checks found, printed at the end (and written as JSON to
    XENTLIB_A11Y_REPORT when set): axe per lesson, every control, the latencies."""
    found = {"axe": {}, "chrome": {}, "controls": [], "latency_ms": [], "load": []}
    found["first_press_ms"] = []
    found["load"].append(os.getloadavg()[0])
    yield found
    found["load"].append(os.getloadavg()[0])
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled():  # printed even when pytest captures output
        for line in _report_lines(found):
            print(line, flush=True)
    target = os.environ.get("XENTLIB_A11Y_REPORT")
    if target:
        Path(target).write_text(json.dumps(found, indent=1), encoding="utf-8")


def _report_lines(found: dict) -> list[str]:
    lines = ["", "accessibility (tests/test_browser.py):"]
    for lesson, counts in found["axe"].items():
        lines.append(
            f"  {lesson}: axe {counts['course']} course-owned violations; known gap: "
            f"{counts['static']} static figures without alt text (listed: {counts['known']})"
        )
    for rule, seen in sorted(found["chrome"].items()):
        lines.append(
            f"  JupyterLab's own chrome (reported, not failed): {rule} in "
            f"{len(seen['lessons'])} lessons, at {len(seen['where'])} places "
            f"({UPSTREAM.get(rule, 'no upstream issue found')})"
        )
    times = sorted(found["latency_ms"])
    if times:
        lines.append(
            f"  key press → new figure on screen: median {_percentile(times, 50):.0f} ms, "
            f"p95 {_percentile(times, 95):.0f} ms over {len(times)} presses "
            f"(load average {found['load'][0]:.1f} → {found['load'][1]:.1f} on "
            f"{os.cpu_count()} cores)"
        )
        first = sorted(found["first_press_ms"])
        lines.append(
            f"  of which the first press on each slider: median {_percentile(first, 50):.0f} ms, "
            f"p95 {_percentile(first, 95):.0f} ms over {len(first)} sliders"
        )
    return lines


def _percentile(sorted_values: list, q: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, round(q / 100 * (len(sorted_values) - 1)))]


# JupyterLab's own accessibility problems that axe reports on its chrome (the toolbar, the
# side bars, the code editors): not the course's to fix, reported with their upstream issues.
UPSTREAM = {
    "aria-allowed-attr": "jupyterlab/jupyterlab#16891: aria-pressed on toolbar buttons",
    "aria-input-field-name": "jupyterlab/jupyterlab#16890: 4.1.2 name, role, value",
    "aria-required-children": "jupyterlab/jupyterlab#16890: 4.1.2 name, role, value",
    "button-name": "jupyterlab/jupyterlab#16890, #16263: toolbar buttons without a name",
    "region": "jupyterlab/jupyterlab#17461: landmarks",
    "color-contrast": "jupyterlab/jupyterlab#10008: code colours",
}


@pytest.mark.parametrize("path", notebook_paths(), ids=[p.stem for p in notebook_paths()])
def test_notebook_runs_in_jupyterlab(lab, browser, report, path):
    """Everything a learner does in one lesson, in a fresh page and kernel, once."""
    from tools.check_notebooks import FIGURES_WITHOUT_ALT

    with _lesson_page(browser, lab, path) as (page, js_errors):
        _run_all_and_wait(page, lab, path)
        _check_outputs(page)
        _check_math(page, path)
        _check_images(page)
        explorers = _wait_for_explorers(page, path, lab)
        report["controls"].extend(_accessibility_tree(page, path))
        for explorer in explorers:
            _keyboard_walk(page, explorer)
            for i in range(explorer.locator("input[type=range]").count()):
                slider = explorer.locator("input[type=range]").nth(i)
                _move_slider(page, explorer, slider, lab, report)
            for i in range(explorer.locator("fieldset.xl-choice").count()):
                _switch_choice(page, explorer, explorer.locator("fieldset.xl-choice").nth(i), lab)
            for i in range(explorer.locator("button").count()):
                _press_button(page, explorer, explorer.locator("button").nth(i), lab)
        course, chrome, static = _axe(page, path)
        _check_reflow(page, explorers)
        known = FIGURES_WITHOUT_ALT.get(path.name, 0)
        report["axe"][path.stem] = {"course": len(course), "static": static, "known": known}
        for violation in chrome:
            seen = report["chrome"].setdefault(violation["id"], {"lessons": [], "where": []})
            seen["lessons"].append(path.stem)
            seen["where"] = sorted(
                {*seen["where"], *(n["target"][-90:] for n in violation["nodes"])}
            )
        assert not course, f"axe: the course's content violates {json.dumps(course, indent=1)}"
        assert static == known, (
            f"{static} static figures without a text alternative, and FIGURES_WITHOUT_ALT in "
            f"tools/check_notebooks.py lists {known} for {path.name}: the known gap may only "
            "shrink; give a new figure its alt text with xl.plotting.show(fig, alt=...)"
            if static > known
            else f"only {static} static figures lack alt text now: lower {path.name}'s count "
            f"in FIGURES_WITHOUT_ALT (tools/check_notebooks.py) to {static}"
        )
        assert not js_errors, f"JavaScript errors: {js_errors}"
        _screenshots(page, explorers, path)


def test_key_press_to_new_figure_is_fast(report):
    """Slider key press → new figure on screen, over every slider of every lesson (timed by
    the test above): median ≤ 50 ms, 95th percentile ≤ 100 ms.

    The goal is judged where the course judges speed, by a benchmark: ``make bench-browser``
    (XENTLIB_BENCH=1, on an otherwise idle machine): on a shared, busy machine a timed test fails for no fault
    of the course (before frames were drawn ahead, a median of 75 ms was measured with both cores
    busy against 67 idle; now 25–29 ms under CI's load, 28 idle). Elsewhere the times are
    measured and printed all the same, and the goal reports itself skipped, with them."""
    times = sorted(report["latency_ms"])
    if not times:
        pytest.skip("no slider was timed: run with test_notebook_runs_in_jupyterlab")
    median, p95 = _percentile(times, 50), _percentile(times, 95)
    measured = (
        f"median {median:.0f} ms, p95 {p95:.0f} ms over {len(times)} key presses "
        f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )
    if os.environ.get("XENTLIB_BENCH") != "1":
        pytest.skip(f"the latency goal is judged by make bench-browser; measured: {measured}")
    assert median <= 50 and p95 <= 100, measured


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
