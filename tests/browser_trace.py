"""A record of what went over a page's kernel websockets, for when the browser test fails.

Set ``XENTLIB_BROWSER_TRACE`` to a folder and the browser test writes, for every lesson, one
line per kernel message (time, direction, channel, type, ids, subshell, comm method) and the
page's console to ``<folder>/<lesson>.trace``; each kernel writes one line per comm message
it handles, with the handling thread, to ``<folder>/kernel-<pid>.log``; kernels log every
message (``--debug``) and the server logs at debug level, into ``<folder>/jupyter.log``.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from jupyter_server.services.kernels.connection.base import deserialize_msg_from_ws_v1


def describe_frame(payload: bytes | str) -> str:
    """One line for one websocket frame of JupyterLab's v1 kernel protocol."""
    if isinstance(payload, str):
        return f"text {payload[:120]!r}"
    try:
        channel, parts = deserialize_msg_from_ws_v1(payload)
        header, parent, _metadata, content = (json.loads(p) for p in parts[:4])
    except (ValueError, IndexError, UnicodeDecodeError) as exc:
        return f"undecodable frame of {len(payload)} bytes ({exc})"
    fields = [
        f"{channel:7}",
        f"{header.get('msg_type', '?'):22}",
        f"id={header.get('msg_id', '')[-8:]}",
        f"parent={parent.get('msg_type', '-')}:{parent.get('msg_id', '')[-8:]}",
    ]
    if header.get("subshell_id"):
        fields.append(f"subshell={header['subshell_id'][:8]}")
    if "execution_state" in content:
        fields.append(f"state={content['execution_state']}")
    if "execution_count" in content:
        fields.append(f"count={content['execution_count']}")
    if "status" in content:
        fields.append(f"status={content['status']}")
    if "comm_id" in content:
        fields.append(f"comm={content['comm_id'][:8]}")
    if "target_name" in content:
        fields.append(f"target={content['target_name']}")
    data = content.get("data")
    if isinstance(data, dict) and "comm_id" in content:
        method = data.get("method", "")
        inner = data.get("content") if isinstance(data.get("content"), dict) else {}
        detail = inner.get("type") or ",".join(sorted(data.get("state", {}))[:6])
        fields.append(f"{method}:{detail}")
    if content.get("code"):
        fields.append(f"code={content['code'][:40]!r}")
    fields.append(f"{len(payload)}B")
    return " ".join(fields)


# Run by each kernel at start-up (an IPython startup file): one line per comm message the
# kernel handles, with the thread that handles it (the main shell or a subshell).
KERNEL_STARTUP = """
import os, threading, time, traceback

_kernel = getattr(get_ipython(), "kernel", None)
if _kernel is not None:
    _log = open(os.path.join(os.environ["XENTLIB_BROWSER_TRACE"], f"kernel-{os.getpid()}.log"), "a")

    def _write(line):
        _log.write(f"{time.time():.3f} [{threading.current_thread().name[:17]}] {line}\\n")
        _log.flush()

    def _traced(handler):
        def handle(stream, ident, msg):
            content = msg["content"]
            data = content.get("data") or {}
            inner = data.get("content") if isinstance(data.get("content"), dict) else {}
            what = f"{msg['msg_type']} comm={content.get('comm_id', '')[:8]} "
            what += f"{data.get('method', '')}:{inner.get('type') or ','.join(data.get('state', {}))}"
            what += f" id={msg['header']['msg_id'][-8:]}"
            _write(f"start {what}")
            try:
                return handler(stream, ident, msg)
            except BaseException:
                _write(f"raised {what}: {traceback.format_exc()}")
                raise
            finally:
                _write(f"end   {what}")

        return handle

    for _name in ("comm_open", "comm_msg", "comm_close"):
        _kernel.shell_handlers[_name] = _traced(_kernel.shell_handlers[_name])

    # Every shell message is deserialized twice: by the shell channel thread, which forwards
    # it to the main shell or a subshell, and by the thread that handles it.
    _deserialize = _kernel.session.deserialize

    def _deserialize_traced(*args, **kwargs):
        msg = _deserialize(*args, **kwargs)
        header = msg["header"]
        sub = (header.get("subshell_id") or "main")[:8]
        _write(f"deserialized {header['msg_type']} id={header['msg_id'][-8:]} for {sub}")
        return msg

    _kernel.session.deserialize = _deserialize_traced

    # Every thread's stack, every 10 s: where a thread that stopped handling messages waits.
    import faulthandler

    _stacks = open(os.path.join(os.environ["XENTLIB_BROWSER_TRACE"], f"kernel-{os.getpid()}.stacks"), "w")
    faulthandler.dump_traceback_later(10, repeat=True, file=_stacks)
    _write("comm tracing on")
"""


def log_every_message(root: Path, cmd: list[str], env: dict, folder: Path) -> None:
    """Make the server (``cmd``, ``env``) and its kernels log every message they handle."""
    cmd.append("--ServerApp.log_level=DEBUG")
    kernel = root / ".jupyter" / "data" / "kernels" / "python3"
    kernel.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}", "--debug"]
    spec = {"argv": argv, "display_name": "Python 3 (ipykernel)", "language": "python"}
    (kernel / "kernel.json").write_text(json.dumps(spec))
    env["JUPYTER_PATH"] = str(root / ".jupyter" / "data")
    startup = root / ".ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00_trace_comms.py").write_text(KERNEL_STARTUP)
    env["IPYTHONDIR"] = str(root / ".ipython")
    env["XENTLIB_BROWSER_TRACE"] = str(folder.resolve())


class PageTrace:
    """Writes every kernel websocket frame and console message of ``page`` to ``path``."""

    def __init__(self, page, path: Path):
        self._file = open(path, "w", encoding="utf-8")  # closed in close()
        self._start = time.monotonic()
        page.on("websocket", self._on_websocket)
        page.on("console", lambda msg: self.write(f"console.{msg.type}: {msg.text[:300]}"))
        page.on("pageerror", lambda exc: self.write(f"pageerror: {exc}"))

    def write(self, line: str) -> None:
        if not self._file.closed:
            self._file.write(f"{time.monotonic() - self._start:9.3f} {line}\n")
            self._file.flush()

    def _on_websocket(self, ws) -> None:
        if "/channels" not in ws.url:
            return
        name = ws.url.split("/api/kernels/")[-1][:8]
        self.write(f"ws {name} opened")
        ws.on("framesent", lambda payload: self.write(f"ws {name} -> {describe_frame(payload)}"))
        ws.on(
            "framereceived", lambda payload: self.write(f"ws {name} <- {describe_frame(payload)}")
        )
        ws.on("close", lambda _ws: self.write(f"ws {name} closed"))

    def close(self) -> None:
        self._file.close()
