"""Voilà (the notebooks as apps, code hidden) for the browser tests, without pytest.

Measured facts: ../shared/reference/notebook-testing.md, §6. Used by test_voila_apps.py.

* ``voila_missing()``: why Voilà cannot run from this interpreter ('' if it can).
* ``start_voila_server(root_dir, home)``: ``python -m voila <root_dir>`` from this interpreter's
  environment on a free 127.0.0.1 port, the same hermetic user folders as the JupyterLab fixture
  (lab.py) plus TMPDIR (Voilà keeps its kernel connection files in a temporary folder). Voilà
  asks for no token by default; binding to 127.0.0.1 keeps it on this machine. Every page view
  starts a kernel that executes the notebook server-side; the browser cannot run other code.
* ``stop_voila_server(server)``: SIGTERM to its process group (Voilà then shuts its kernels down
  and removes its connection files), SIGKILL if needed, then any kernel left behind.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from urllib.parse import quote

from tests.browser.lab import (
    _alive,
    _descendants,
    _free_port,
    _kill_pids,
    hermetic_env,
    spawn_logged,
)

SERVER_START_TIMEOUT_S = 60.0

_LOG_NOISE = ("Kernel is running over TCP without encryption",)


class VoilaError(Exception):
    """The Voilà server did not start (message holds the command and the log tail)."""


def voila_missing() -> str:
    if importlib.util.find_spec("voila") is None:
        return f"Python package voila not importable from {sys.executable} (pip install voila)"
    return ""


@dataclass
class VoilaServer:
    base_url: str
    root_dir: Path
    log_path: Path
    proc: subprocess.Popen = field(repr=False)
    log_file: IO[bytes] | None = field(default=None, repr=False)

    def app_url(self, notebook_name: str) -> str:
        return f"{self.base_url}/voila/render/{quote(notebook_name)}"

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return "(no server log)"
        kept = [ln for ln in text if not any(n in ln for n in _LOG_NOISE)]
        return "\n".join(kept[-lines:])

    def get_status(self, path: str = "/", timeout: float = 2.0) -> int | None:
        try:
            with urllib.request.urlopen(self.base_url + path, timeout=timeout) as resp:
                resp.read()
                return resp.status
        except urllib.error.HTTPError as exc:
            return exc.code
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            return None


def start_voila_server(root_dir: Path, home: Path, extra_args: Sequence[str] = ()) -> VoilaServer:
    """Start Voilà serving the folder ``root_dir`` (apps at /voila/render/<name>).

    ``home`` (temporary, empty) holds the Jupyter/IPython/matplotlib user folders, TMPDIR and
    the server log. ``extra_args`` are appended to the command line (the tests pass none).
    Returns once ``GET /`` answers 200; raises ``VoilaError`` otherwise. Always
    pair with ``stop_voila_server``.
    """
    root_dir = Path(root_dir)
    home = Path(home)
    _, env = hermetic_env(home, ("TMPDIR", "tmp"))

    port = _free_port()
    cmd = [
        sys.executable, "-m", "voila", str(root_dir),
        "--no-browser",
        "--Voila.ip=127.0.0.1",
        f"--port={port}",
        "--Voila.port_retries=0",
        # an exception in a cell shows its traceback on the page, so the test can report it
        "--show_tracebacks=True",
    ]  # fmt: skip
    cmd += list(extra_args)

    log_path = home / "voila-server.log"
    proc, log = spawn_logged(cmd, root_dir, env, log_path)
    server = VoilaServer(f"http://127.0.0.1:{port}", root_dir, log_path, proc, log)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while True:
            if proc.poll() is not None:
                raise VoilaError(
                    f"Voilà exited with code {proc.returncode} before answering.\n"
                    f"command: {' '.join(cmd)}\nserver log tail:\n{server.log_tail()}"
                )
            status = server.get_status("/")
            if status == 200:
                break
            if time.monotonic() > deadline:
                raise VoilaError(
                    f"Voilà did not answer GET / with 200 within {SERVER_START_TIMEOUT_S:.0f} s "
                    f"(last status {status}).\ncommand: {' '.join(cmd)}\n"
                    f"server log tail:\n{server.log_tail()}"
                )
            time.sleep(0.2)
    except BaseException:
        stop_voila_server(server)
        raise
    return server


def stop_voila_server(server: VoilaServer) -> None:
    """Stop Voilà and every kernel it started; close its log. Safe to call twice."""
    try:
        proc = server.proc
        if proc.poll() is None:
            children = _descendants(proc.pid)  # kernels run in their own sessions
            for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
                try:
                    os.killpg(proc.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    proc.wait(timeout=wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
            _kill_pids([pid for pid in children if _alive(pid)])
    finally:
        if server.log_file is not None:
            server.log_file.close()
            server.log_file = None
