"""A real JupyterHub for two students, each given the course by an nbgitpuller link.

Starts JupyterHub (pinned in requirements-dev.txt) on 127.0.0.1 with its
configurable-http-proxy (from the npm registry, pinned in the Makefile), the DummyAuthenticator
with a password and SimpleLocalProcessSpawner, each student's home a folder of a temporary
directory. The students' servers run in .venv/hub, the environment docs/deploy-hub.md tells
teachers to build (requirements-hub.txt, then xentlib as a normal package, then the course's
JupyterLab settings). The course comes from a temporary bare repository holding this
checkout's HEAD, served to nbgitpuller as a file:// URL (git clones those, shallow too).

In Chromium, each student follows the link from tools/hub_link.py, logs in, lands in lesson
00, runs all cells and moves the explorer's slider; the figure and the readout change, and no
"get notified about Jupyter news?" prompt appears. Then: each has their own copy (separate
folders; a cell one adds is not in the other's), their own kernel (different ids and
processes, each under its own server) and xentlib from the hub environment, not a checkout.
At the end the servers, the hub and the proxy stop by themselves and no process is left.

Run by `make test` (which builds .venv/hub and installs the proxy). Without Chromium,
Playwright, npm's proxy or the hub environment it skips with the reason; with CI=true it fails.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psutil  # a dependency of ipykernel
import pytest

from tests._real_software import CHROMIUM_FLAGS, chromium, unavailable
from tools.course import ROOT, START
from tools.hub_link import clone_dir, hub_link

pytestmark = [pytest.mark.browser, pytest.mark.hub]

HUB_VENV = ROOT / ".venv" / "hub"
CHP = ROOT / ".venv" / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
STUDENTS = ("ada", "bea")
COURSE = "xent-course"  # the temporary repository's name, so the clone's folder
LESSON = START.path.relative_to(ROOT).as_posix()  # notebooks/00_start_here.ipynb
NEWS_PROMPT = "Would you like to get notified about official Jupyter news?"
HUB_START_TIMEOUT = 60
SPAWN_TIMEOUT = 120  # login, spawn, clone and JupyterLab's first page on 2 shared cores
RUN_ALL_TIMEOUT = 180
REACTION_TIMEOUT = 30  # seconds for a slider's effect to reach the screen
STOP_TIMEOUT = 30


def _unavailable(reason: str):
    unavailable("JupyterHub test", reason)


def _chromium() -> str:
    return chromium("JupyterHub test")


def _chp_version() -> str:
    match = re.search(r"^CHP_VERSION\s*:=\s*(\S+)", (ROOT / "Makefile").read_text(), re.M)
    assert match, "the Makefile pins configurable-http-proxy as CHP_VERSION"
    return match.group(1)


def _check_pieces() -> None:
    """Skip (fail on CI) with the reason when a piece of the hub is missing or stale."""
    if shutil.which("git") is None:
        _unavailable("git is not installed")
    if not (Path(sys.executable).parent / "jupyterhub").exists():
        _unavailable("JupyterHub is not installed (pip install -r requirements-dev.txt)")
    if not CHP.exists():
        _unavailable("configurable-http-proxy is not installed (make test installs it with npm)")
    version = subprocess.run([CHP, "--version"], capture_output=True, text=True, timeout=60)
    assert version.stdout.strip() == _chp_version(), f"proxy {version.stdout!r} is not pinned"
    singleuser = HUB_VENV / "bin" / "jupyterhub-singleuser"
    if not singleuser.exists():
        _unavailable("the students' environment .venv/hub is missing (make hub-env)")
    # The students' xentlib is a normal install of this checkout's xentlib, not a stale one.
    stale = [
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "xentlib").rglob("*.py")
        if not (_hub_site_packages() / path.relative_to(ROOT)).is_file()
        or (_hub_site_packages() / path.relative_to(ROOT)).read_bytes() != path.read_bytes()
    ]
    if stale:
        _unavailable(f"xentlib in .venv/hub differs from this checkout ({stale[:3]}): make hub-env")


def _hub_site_packages() -> Path:
    return next((HUB_VENV / "lib").glob("python3*/site-packages"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(condition, timeout: float, what: str, interval: float = 0.25):
    """Wait for ``condition()`` to be truthy; fail saying ``what`` did not happen."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"{what} within {timeout} s")
        time.sleep(interval)


@dataclass
class Hub:
    url: str
    token: str  # a service's token with admin scopes, for the hub's REST API
    password: str
    repo: str  # file:// URL of the course repository nbgitpuller clones
    root: Path
    log: Path
    process: subprocess.Popen
    seen: dict = field(default_factory=dict)  # pid -> psutil.Process, every process it ran

    def home(self, student: str) -> Path:
        return self.root / "home" / student

    def api(self, path: str, method: str = "GET"):
        """The hub's REST API (``/hub/api/...``) or a student's server (``/user/...``)."""
        url = f"{self.url}/hub/api{path}" if not path.startswith("/user/") else self.url + path
        request = urllib.request.Request(
            url, method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=15) as resp:
            body = resp.read()
        return json.loads(body) if body else None

    def remember_processes(self) -> list:
        """Every process the hub runs now (proxy, servers, kernels), kept to check at the end."""
        tree = [psutil.Process(self.process.pid)]
        tree += tree[0].children(recursive=True)
        for proc in tree:
            self.seen.setdefault(proc.pid, proc)
        return tree


def _hub_config(root: Path, ports: dict, token: str, password: str) -> str:
    singleuser_args = []
    if os.geteuid() == 0:
        singleuser_args.append("--allow-root")
    config = {
        "JupyterHub.bind_url": f"http://127.0.0.1:{ports['public']}",
        "JupyterHub.hub_bind_url": f"http://127.0.0.1:{ports['hub']}",
        "JupyterHub.db_url": f"sqlite:///{root / 'jupyterhub.sqlite'}",
        "JupyterHub.cookie_secret_file": str(root / "jupyterhub_cookie_secret"),
        "JupyterHub.pid_file": str(root / "jupyterhub.pid"),
        "JupyterHub.authenticator_class": "dummy",
        "DummyAuthenticator.password": password,
        "Authenticator.allowed_users": set(STUDENTS),
        # A student who opens the link is logged in, then their server starts by itself
        # (without this they see "server not running" and a Launch button, once).
        "JupyterHub.implicit_spawn_seconds": 0.5,
        "JupyterHub.spawner_class": "jupyterhub.spawner.SimpleLocalProcessSpawner",
        "SimpleLocalProcessSpawner.home_dir_template": str(root / "home" / "{username}"),
        "Spawner.cmd": [str(HUB_VENV / "bin" / "jupyterhub-singleuser")],
        "Spawner.args": singleuser_args,
        "Spawner.ip": "127.0.0.1",
        "Spawner.notebook_dir": "~",
        "Spawner.default_url": "/lab",
        "Spawner.start_timeout": SPAWN_TIMEOUT,
        "Spawner.http_timeout": SPAWN_TIMEOUT,
        "ConfigurableHTTPProxy.command": [str(CHP)],
        "ConfigurableHTTPProxy.api_url": f"http://127.0.0.1:{ports['proxy_api']}",
        "ConfigurableHTTPProxy.pid_file": str(root / "proxy.pid"),
        "JupyterHub.services": [{"name": "course-check", "api_token": token}],
        "JupyterHub.load_roles": [
            {
                "name": "course-check",
                "scopes": [
                    "list:users",
                    "read:users",
                    "admin:servers",
                    "admin:server_state",
                    "access:servers",
                ],
                "services": ["course-check"],
            }
        ],
    }
    lines = ["c = get_config()  # noqa"]
    lines += [f"c.{key} = {value!r}" for key, value in config.items()]
    return "\n".join(lines) + "\n"


def _course_repository(root: Path) -> str:
    """A bare repository holding this checkout's HEAD as branch main; its file:// URL."""
    repo = root / COURSE
    subprocess.run(["git", "init", "--quiet", "--bare", str(repo)], check=True)
    subprocess.run(
        ["git", "-C", str(repo), "fetch", "--quiet", str(ROOT), "HEAD:refs/heads/main"],
        check=True,
    )
    return repo.as_uri()


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    _check_pieces()
    root = tmp_path_factory.mktemp("hub")
    ports = {name: _free_port() for name in ("public", "hub", "proxy_api")}
    token, password = secrets.token_hex(24), secrets.token_urlsafe(12)
    (root / "jupyterhub_config.py").write_text(_hub_config(root, ports, token, password))
    for student in STUDENTS:
        # Render every cell (no windowing), so that all prompts and outputs are on the page,
        # as in tests/test_browser.py: a per-user setting, in each student's home.
        settings = root / "home" / student / ".jupyter" / "lab" / "user-settings" / "@jupyterlab"
        (settings / "notebook-extension").mkdir(parents=True)
        (settings / "notebook-extension" / "tracker.jupyterlab-settings").write_text(
            '{"windowingMode": "none"}'
        )
    repo = _course_repository(root)
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("JUPYTER", "PYTHON", "VIRTUAL_ENV", "MPLBACKEND"))
    }
    log_path = root / "jupyterhub.log"
    log = open(log_path, "wb")
    process = subprocess.Popen(
        [Path(sys.executable).parent / "jupyterhub", "-f", root / "jupyterhub_config.py"],
        cwd=root,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{ports['public']}"
    the_hub = Hub(url, token, password, repo, root, log_path, process)
    try:

        def up():
            if process.poll() is not None:
                pytest.fail(f"JupyterHub exited: {log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{url}/hub/api/", timeout=2) as resp:
                    return resp.status == 200
            except OSError:
                return False

        _wait_for(up, HUB_START_TIMEOUT, "JupyterHub did not answer through its proxy")
        listening = {
            conn.laddr
            for proc in the_hub.remember_processes()
            for conn in proc.net_connections(kind="inet")
            if conn.status == psutil.CONN_LISTEN
        }
        assert {port for _ip, port in listening} >= set(ports.values()), listening
        assert {ip for ip, _port in listening} == {"127.0.0.1"}, f"not on loopback: {listening}"
        print(f"hub: {url}, proxy {_chp_version()}, listening on {sorted(listening)}")
        yield the_hub
    finally:
        _stop(the_hub)
        log.close()
    leftovers = [
        p
        for p in psutil.process_iter(["cmdline"])
        if str(root) in " ".join(p.info["cmdline"] or ())
    ]
    stray = {p.pid: p for p in leftovers} | {
        pid: p for pid, p in the_hub.seen.items() if p.is_running()
    }
    for proc in stray.values():  # clean up, then fail
        proc.kill()
    assert not stray, f"processes left running: {[p.pid for p in stray.values()]}"
    print(f"stopped: hub, proxy, {len(the_hub.seen) - 2} server and kernel processes; none left")


def _stop(hub: Hub) -> None:
    """Stop the students' servers through the API, then the hub (which stops its proxy)."""
    if hub.process.poll() is None:
        hub.remember_processes()
        for student in STUDENTS:
            try:
                hub.api(f"/users/{student}/server", method="DELETE")
            except urllib.error.HTTPError as exc:
                if exc.code != 400:  # 400: that server was not running
                    raise
        hub.process.send_signal(signal.SIGTERM)
    try:
        hub.process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        hub.process.kill()
        hub.process.wait()
        pytest.fail(f"JupyterHub did not stop within {STOP_TIMEOUT} s")
    # The hub has exited; give its servers and their kernels the same time to finish.
    deadline = time.monotonic() + STOP_TIMEOUT
    while any(p.is_running() for p in hub.seen.values()) and time.monotonic() < deadline:
        time.sleep(0.25)


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


PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"


def _prompts(page) -> list[str]:
    return [
        p.strip() for p in page.locator(f"{PANEL} .jp-CodeCell .jp-InputPrompt").all_text_contents()
    ]


def _screens(output):
    """What the learner sees of one explorer: figure pixels and its readout."""
    figure = output.locator("img.xl-figure").first
    pixels = figure.screenshot() if figure.count() else b""
    return pixels, output.locator(".xl-readout").all_inner_texts()


def _code_cells(path: Path) -> int:
    import nbformat

    return sum(c.cell_type == "code" for c in nbformat.read(path, as_version=4).cells)


def _news_prompt_shown(page) -> bool:
    return page.get_by_text(NEWS_PROMPT).count() > 0


def _student_opens_link(hub: Hub, browser, student: str, link: str):
    """Follow the link as a student: log in, wait for the server, the clone and lesson 00."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    start = time.monotonic()
    page.goto(link)
    page.locator("input#username_input").fill(student)
    page.locator("input#password_input").fill(hub.password)
    page.locator("#login_submit").click()
    lab_url = re.compile(rf"/user/{student}/lab/tree/{COURSE}/{re.escape(LESSON)}")
    page.wait_for_url(lab_url, timeout=SPAWN_TIMEOUT * 1000)
    page.locator(f"{PANEL} .jp-Notebook .jp-Cell").first.wait_for(timeout=60_000)
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(
        timeout=60_000
    )
    print(
        f"{student}: link -> login -> spawn -> clone -> {LESSON} in {time.monotonic() - start:.1f} s"
    )
    return context, page, errors


def _run_all(hub: Hub, student: str, page, n_cells: int) -> None:
    """Clear every output, then Run All Cells, and wait until every cell has run again."""

    def kernel_idle():
        sessions = hub.api(f"/user/{student}/api/sessions")
        return [s["kernel"]["execution_state"] for s in sessions] == ["idle"]

    _wait_for(kernel_idle, 60, f"{student}'s kernel did not start")
    page.locator(".lm-MenuBar-item", has_text=re.compile(r"^Edit$")).click()
    page.locator("li.lm-Menu-item", has_text="Clear Outputs of All Cells").click()
    _wait_for(lambda: set(_prompts(page)) == {"[ ]:"}, 30, "the committed outputs were not cleared")
    page.locator(".lm-MenuBar-item", has_text=re.compile(r"^Run$")).click()
    page.locator('li.lm-Menu-item[data-command="runmenu:run-all"]').click()
    deadline = time.monotonic() + RUN_ALL_TIMEOUT
    while True:
        prompts = _prompts(page)
        done = [p for p in prompts if re.fullmatch(r"\[\d+\]:", p)]
        if len(done) == n_cells and not any("*" in p for p in prompts):
            return
        if time.monotonic() > deadline:
            pytest.fail(f"not every cell ran within {RUN_ALL_TIMEOUT} s: prompts {prompts}")
        page.wait_for_timeout(250)


def _move_slider(page, student: str) -> None:
    """Drag the explorer's first slider with the mouse; the figure and the readout change."""
    handle = page.locator(f"{PANEL} .jp-OutputArea-output .xl-explorer input[type=range]").first
    handle.wait_for(timeout=30_000)
    output = handle.locator("xpath=ancestor::div[contains(@class,'jp-OutputArea-output')]")
    figure = output.locator("img.xl-figure").first
    figure.scroll_into_view_if_needed()
    page.wait_for_function(  # the explorer's first frame has come from the kernel
        "img => img.complete && img.naturalWidth > 0",
        arg=figure.element_handle(),
        timeout=REACTION_TIMEOUT * 1000,
    )
    before = _screens(output)
    start = handle.input_value()
    # Drag the thumb a quarter of the track, towards the side with more room.
    handle.scroll_into_view_if_needed()
    track = handle.bounding_box()
    low, high = float(handle.get_attribute("min")), float(handle.get_attribute("max"))
    share = (float(start) - low) / (high - low)
    x, y = track["x"] + share * track["width"], track["y"] + track["height"] / 2
    step = track["width"] / 4 * (1 if share < 0.5 else -1)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + step / 2, y, steps=5)
    page.mouse.move(x + step, y, steps=5)
    page.mouse.up()
    deadline = time.monotonic() + REACTION_TIMEOUT
    after = _screens(output)
    while (after[0] == before[0] or after[1] == before[1]) and time.monotonic() < deadline:
        page.wait_for_timeout(200)
        after = _screens(output)
    now = handle.input_value()
    assert now != start, f"{student}: the slider did not move when dragged"
    assert after[1] != before[1], f"{student}: the readout did not change (slider {start}->{now})"
    assert after[0] != before[0], f"{student}: the figure did not change (slider {start}->{now})"
    changed = [(b, a) for b, a in zip(before[1], after[1], strict=False) if b != a]
    print(f"{student}: slider {start} -> {now}; figure redrawn; readout {changed[:1]}")


def _add_cell_and_save(page, code: str) -> str:
    """Add a code cell at the end, run it, save the notebook (Ctrl+S); return its output."""
    page.locator(f"{PANEL} .jp-Cell").last.locator(".jp-InputPrompt, .jp-InputArea").first.click()
    page.keyboard.press("Escape")  # command mode
    page.keyboard.press("b")  # a new cell below, in edit mode after Enter
    page.keyboard.press("Enter")
    page.keyboard.type(code)
    page.keyboard.press("Shift+Enter")
    # Shift+Enter on the last cell adds an empty one below it: the output is the one before.
    cells = page.locator(f"{PANEL} .jp-CodeCell")
    output = cells.nth(cells.count() - 2).locator(".jp-OutputArea-output").first
    output.wait_for(timeout=30_000)
    page.keyboard.press("Control+s")
    return output.inner_text().strip()


def _kernel_processes(hub: Hub, student: str, kernels: list[dict]) -> list:
    """Each kernel's process, found by its connection file among the hub's processes."""
    procs = []
    for kernel in kernels:
        matches = [
            p
            for p in hub.remember_processes()
            if any(f"kernel-{kernel['id']}.json" in arg for arg in p.cmdline())
        ]
        assert len(matches) == 1, f"{student}: kernel {kernel['id']} has processes {matches}"
        procs.append(matches[0])
    return procs


def test_two_students_each_get_their_own_course(hub, browser):
    link = hub_link(hub.url, hub.repo, "main", LESSON)
    print(f"link: {link}")
    assert clone_dir(hub.repo) == COURSE
    n_cells = _code_cells(START.path)
    pages = {}
    try:
        for student in STUDENTS:
            context, page, errors = _student_opens_link(hub, browser, student, link)
            pages[student] = (context, page, errors)
            _run_all(hub, student, page, n_cells)
            stderr = page.locator(
                f'{PANEL} .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
            )
            assert stderr.count() == 0, f"{student}: {stderr.all_inner_texts()[:3]}"
            print(f"{student}: ran all {n_cells} code cells of {LESSON}, no error")
            _move_slider(page, student)
            assert not _news_prompt_shown(page), f"{student} was asked about Jupyter news"
            settings = hub.api(
                f"/user/{student}/lab/api/settings/@jupyterlab/apputils-extension:notification"
            )
            # The course's overrides.json is the default; the student has not set it.
            assert settings["schema"]["properties"]["fetchNews"]["default"] == "false"
            assert "fetchNews" not in settings["settings"], settings["settings"]

        # Their own copies: a clone in each home, from the course repository.
        copies = {s: hub.home(s) / COURSE / LESSON for s in STUDENTS}
        for student, copy in copies.items():
            assert copy.is_file(), f"{student} has no copy at {copy}"
            origin = subprocess.run(
                ["git", "-C", str(copy.parent), "remote", "get-url", "origin"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
            assert origin == hub.repo, f"{student}'s copy comes from {origin}"
        assert not copies["ada"].samefile(copies["bea"])
        print(f"copies: {copies['ada']} and {copies['bea']}")

        # An edit by one student is not seen by the other; it shows where xentlib comes from.
        marker = "print(__import__('xentlib').__file__)  # ada was here"
        where = _add_cell_and_save(pages["ada"][1], marker)
        site_packages = _hub_site_packages().resolve()
        assert Path(where).resolve().is_relative_to(site_packages), where
        # the installed package holds the real data set (package-data) and its licence
        for name in ("digits.csv.gz", "tempest.txt", "README.md"):
            assert (site_packages / "xentlib" / "data" / name).is_file(), name
        assert not Path(where).resolve().is_relative_to(ROOT.resolve() / "xentlib"), where
        print(f"ada's kernel imports xentlib from {where}")
        _wait_for(
            lambda: "ada was here" in copies["ada"].read_text(encoding="utf-8"),
            30,
            "ada's saved cell did not reach ada's copy",
        )
        assert "ada was here" not in copies["bea"].read_text(encoding="utf-8")
        bea_view = hub.api(f"/user/bea/api/contents/{COURSE}/{LESSON}")
        assert "ada was here" not in json.dumps(bea_view["content"])
        assert pages["bea"][1].get_by_text("ada was here").count() == 0
        print("ada's new cell is saved in ada's copy; bea's copy and page do not have it")

        # Their own kernels: different ids, different processes, each under its own server.
        kernel_pids = {}
        for student in STUDENTS:
            kernels = hub.api(f"/user/{student}/api/kernels")
            assert len(kernels) == 1, f"{student} has kernels {kernels}"
            (proc,) = _kernel_processes(hub, student, kernels)
            server_pid = hub.api(f"/users/{student}")["servers"][""]["state"]["pid"]
            assert server_pid in [p.pid for p in proc.parents()], (student, proc, server_pid)
            assert proc.environ()["HOME"] == str(hub.home(student))
            assert Path(proc.cwd()).is_relative_to(hub.home(student) / COURSE)
            kernel_pids[student] = (kernels[0]["id"], proc.pid, server_pid)
            server_mb = psutil.Process(server_pid).memory_info().rss / 2**20
            print(
                f"{student}: kernel {kernels[0]['id']} pid {proc.pid} "
                f"({proc.memory_info().rss / 2**20:.0f} MB), server pid {server_pid} "
                f"({server_mb:.0f} MB), cwd {proc.cwd()}"
            )
        listening = {
            conn.laddr.ip
            for proc in hub.remember_processes()
            for conn in proc.net_connections(kind="inet")
            if conn.status == psutil.CONN_LISTEN
        }
        assert listening == {"127.0.0.1"}, f"hub, proxy, servers or kernels on {listening}"
        ids = {k[0] for k in kernel_pids.values()}
        pids = {k[1] for k in kernel_pids.values()}
        servers = {k[2] for k in kernel_pids.values()}
        assert len(ids) == len(pids) == len(servers) == len(STUDENTS), kernel_pids
        for student, (_context, _page, errors) in pages.items():
            assert not errors, f"{student}: JavaScript errors {errors}"
    finally:
        for context, _page, _errors in pages.values():
            context.close()


def test_news_prompt_appears_without_the_course_settings(browser, tmp_path):
    """The control for the check above: with JupyterLab's own defaults (an empty settings
    folder instead of the course's overrides.json), the same page does ask about news."""
    _check_pieces()
    port, token = _free_port(), secrets.token_hex(24)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "PYTHON"))}
    env["HOME"] = str(tmp_path)
    cmd = [
        HUB_VENV / "bin" / "jupyter-lab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={tmp_path}",
        f"--LabApp.app_settings_dir={tmp_path / 'no-overrides'}",
    ]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    with open(tmp_path / "lab.log", "wb") as log:
        proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:

        def up():
            if proc.poll() is not None:
                pytest.fail(f"JupyterLab exited: {(tmp_path / 'lab.log').read_text()[-2000:]}")
            try:
                status = f"http://127.0.0.1:{port}/api/status?token={token}"
                with urllib.request.urlopen(status, timeout=2) as resp:
                    return resp.status == 200
            except OSError:
                return False

        _wait_for(up, HUB_START_TIMEOUT, "JupyterLab did not start")
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{port}/lab?token={token}")
        page.get_by_text(NEWS_PROMPT).first.wait_for(timeout=30_000)
        assert _news_prompt_shown(page)
        page.close()
    finally:
        proc.terminate()
        proc.wait(timeout=STOP_TIMEOUT)
