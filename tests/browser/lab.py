"""JupyterLab in Debian's Chromium, without pytest: the reusable part of the browser harness.

Used by the browser tests (conftest.py, test_notebooks_in_browser.py) and by
benchmarks/browser_latency.py. Recipe and pitfalls: ../shared/reference/notebook-testing.md, §5.

* ``start_lab_server(root_dir, home)``: ``python -m jupyter lab`` from this interpreter's
  environment on a free 127.0.0.1 port with a random token; Jupyter/IPython/matplotlib config,
  data and runtime folders live under ``home`` (temporary); news, update checks, autosave and cell
  windowing are switched off. ``stop_lab_server(server)`` shuts it and its kernels down.
* ``launch_chromium(playwright, home)``: the system Chromium with the documented arguments
  (``playwright install`` is never needed or used).
* ``LabNotebook``: one notebook open in a fresh browser context: open, wait until its kernel is
  really ready (REST sessions poll), Run All (with the one documented recovery), error checks.

Problems raise ``LabError``; the pytest harness turns them into test failures
(``NotebookInBrowser.fail`` overrides ``LabNotebook.fail``).
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
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, NoReturn
from urllib.parse import quote

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

SERVER_START_TIMEOUT_S = 60.0

# Lines of the server log that are known noise (ipykernel 7 prints this at every kernel start).
_LOG_NOISE = ("Kernel is running over TCP without encryption",)

P = ".jp-NotebookPanel:not(.lm-mod-hidden)"  # the visible notebook panel only

OPEN_TIMEOUT_S = 45.0  # goto -> cells in the DOM (cold Lab start measured at 4-5 s)
KERNEL_READY_TIMEOUT_S = 45.0
KERNEL_STABLE_S = 1.0
RUN_TIMEOUT_S = 120.0  # Run All -> every cell executed
STUCK_GRACE_S = 3.0  # kernel idle this long with cells unexecuted: the run is over
POLL_S = 0.1

STDERR = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'


class LabError(Exception):
    """Something in the server, the browser or the notebook run went wrong (message says what)."""


# --------------------------------------------------------------------------------------------------
# Prerequisites: Chromium and playwright
# --------------------------------------------------------------------------------------------------


def find_chromium() -> str | None:
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    return shutil.which("chromium")


def missing_browser_tools() -> list[str]:
    """Human-readable list of what the browser tests need and cannot find (empty: all present)."""
    missing = []
    if find_chromium() is None:
        missing.append(
            "Chromium not found (looked for /usr/bin/chromium and `chromium` on PATH; "
            "Debian: apt-get install chromium)"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except Exception as exc:  # ImportError, or a broken install
        missing.append(
            f"Python package playwright not importable ({type(exc).__name__}: {exc}; "
            "pip install playwright, never `playwright install`: the system Chromium is used)"
        )
    return missing


# --------------------------------------------------------------------------------------------------
# JupyterLab server
# --------------------------------------------------------------------------------------------------


@dataclass
class LabServer:
    base_url: str
    token: str
    root_dir: Path
    log_path: Path
    proc: subprocess.Popen = field(repr=False)
    log_file: IO[bytes] | None = field(default=None, repr=False)  # closed by stop_lab_server

    def url(self, path: str, **query: str) -> str:
        from urllib.parse import urlencode

        q = urlencode({"token": self.token, **query})
        return f"{self.base_url}{path}?{q}"

    def api(self, method: str, path: str, timeout: float = 5.0):
        """Call the REST API; return (status, parsed JSON or None)."""
        req = urllib.request.Request(self.url(path), method=method)
        if method in ("POST", "PATCH", "PUT"):
            req.data = b"{}"
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                body = resp.read()
                return resp.status, (json.loads(body) if body else None)
        except urllib.error.HTTPError as exc:
            return exc.code, None

    def sessions(self) -> list[dict]:
        status, data = self.api("GET", "/api/sessions")
        return data if status == 200 and isinstance(data, list) else []

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return "(no server log)"
        kept = [ln for ln in text if not any(n in ln for n in _LOG_NOISE)]
        return "\n".join(kept[-lines:])


def spawn_logged(cmd: list[str], cwd: Path, env: dict, log_path: Path):
    """Start a server in its own process group (stopped as a whole at teardown), output to a log.

    Returns the process and the open log file, which the caller's stop function closes.
    """
    log = open(log_path, "wb")  # noqa: SIM115 (closed by the server's stop function)
    proc = subprocess.Popen(
        cmd,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return proc, log


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _write_user_settings(settings_dir: Path, theme: str | None = None) -> None:
    """Lab user settings for a quiet, deterministic test run (``theme``: e.g. "JupyterLab Dark")."""
    settings: dict[str, dict] = {
        # no "get notified about Jupyter news?" toast, no update check (no network either way)
        "@jupyterlab/apputils-extension/notification": {
            "fetchNews": "false",
            "checkForUpdates": False,
        },
        # never write executed notebooks back into the repository
        "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
        # every cell in the DOM, so the cell/prompt/output selectors see the whole notebook
        "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    }
    if theme:
        settings["@jupyterlab/apputils-extension/themes"] = {"theme": theme}
    for plugin, values in settings.items():
        path = settings_dir / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values, indent=2))


def _descendants(pid: int) -> list[int]:
    try:
        import psutil
    except ImportError:
        return []
    try:
        return [p.pid for p in psutil.Process(pid).children(recursive=True)]
    except psutil.Error:
        return []


def _kill_pids(pids: list[int]) -> None:
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def hermetic_env(home: Path, *more: tuple[str, str]) -> tuple[dict[str, Path], dict[str, str]]:
    """Empty Jupyter, IPython and matplotlib user folders under ``home`` (plus ``more``, as
    (variable, subfolder) pairs) and an environment for a server run from this interpreter."""
    dirs = {
        name: home / sub
        for name, sub in [
            ("JUPYTER_CONFIG_DIR", "config"),
            ("JUPYTER_DATA_DIR", "data"),
            ("JUPYTER_RUNTIME_DIR", "runtime"),
            ("IPYTHONDIR", "ipython"),
            ("MPLCONFIGDIR", "mpl"),
            *more,
        ]
    }
    for d in dirs.values():
        d.mkdir()
    env = dict(os.environ)
    env.update({k: str(v) for k, v in dirs.items()})
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env["PYTHONUNBUFFERED"] = "1"
    env.pop("JUPYTER_PATH", None)  # the venv's share/jupyter (kernelspec, widgets) is found anyway
    env.pop("JUPYTER_TOKEN", None)
    # A test-wide MPLBACKEND=Agg (tests/../conftest.py) must not reach the kernel: ipykernel sets
    # the inline backend only when MPLBACKEND is unset, and learners get the inline backend.
    env.pop("MPLBACKEND", None)
    return dirs, env


def start_lab_server(
    root_dir: Path, home: Path, extra_args: Sequence[str] = (), theme: str | None = None
) -> LabServer:
    """Start JupyterLab serving ``root_dir``; its user folders go under ``home`` (must be empty).

    ``extra_args`` are appended to the command line (the tests pass none). ``theme`` (e.g.
    ``"JupyterLab Dark"``) is written to the user settings as the Lab theme; default: Lab's own
    default (light). Returns once
    ``GET /api/status`` answers 200 and a kernelspec is listed; raises ``LabError`` (with the
    server log tail) otherwise. Always pair with ``stop_lab_server``.
    """
    root_dir = Path(root_dir)
    home = Path(home)
    dirs, env = hermetic_env(home)
    settings_dir = dirs["JUPYTER_CONFIG_DIR"] / "lab" / "user-settings"
    workspaces_dir = dirs["JUPYTER_CONFIG_DIR"] / "lab" / "workspaces"
    _write_user_settings(settings_dir, theme)

    port = _free_port()
    token = secrets.token_hex(24)
    cmd = [
        sys.executable, "-m", "jupyter", "lab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.token={token}",
        f"--ServerApp.root_dir={root_dir}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.handlers.announcements.NeverCheckForUpdate",
        f"--LabApp.user_settings_dir={settings_dir}",
        f"--LabApp.workspaces_dir={workspaces_dir}",
        # Lab makes a checkpoint when it opens a notebook: keep .ipynb_checkpoints out of the repo
        f"--FileCheckpoints.checkpoint_dir={home / 'checkpoints'}",
        # window.jupyterapp: lets the test read cell outputs from the notebook model (read only)
        "--LabApp.expose_app_in_browser=True",
    ]  # fmt: skip
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    cmd += list(extra_args)

    log_path = home / "jupyter-server.log"
    proc, log = spawn_logged(cmd, root_dir, env, log_path)
    server = LabServer(f"http://127.0.0.1:{port}", token, root_dir, log_path, proc, log)
    shown_cmd = " ".join(cmd).replace(token, "<token>")

    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while True:
            if proc.poll() is not None:
                raise LabError(
                    f"JupyterLab exited with code {proc.returncode} before answering.\n"
                    f"command: {shown_cmd}\nserver log tail:\n{server.log_tail()}"
                )
            try:
                status, _ = server.api("GET", "/api/status", timeout=2.0)
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                status = None
            if status == 200:
                break
            if time.monotonic() > deadline:
                raise LabError(
                    f"JupyterLab did not answer GET /api/status with 200 within "
                    f"{SERVER_START_TIMEOUT_S:.0f} s (last status {status}).\n"
                    f"command: {shown_cmd}\nserver log tail:\n{server.log_tail()}"
                )
            time.sleep(0.2)

        status, specs = server.api("GET", "/api/kernelspecs")
        if status != 200 or not (specs or {}).get("kernelspecs"):
            raise LabError(
                f"JupyterLab lists no kernelspec (status {status}: {specs}); the venv's "
                f"share/jupyter/kernels was not found.\nserver log tail:\n{server.log_tail()}"
            )
    except BaseException:
        stop_lab_server(server)
        raise
    return server


def stop_lab_server(server: LabServer) -> None:
    """Shut the server and every kernel it started down; close its log. Safe to call twice."""
    try:
        _stop_server(server)
    finally:
        if server.log_file is not None:
            server.log_file.close()


def _stop_server(server: LabServer) -> None:
    proc = server.proc
    if proc.poll() is not None:
        return
    # Kernels run in their own sessions (jupyter_client), so remember them before the server goes.
    children = _descendants(proc.pid)
    try:
        server.api("POST", "/api/shutdown", timeout=5.0)  # shuts kernels down cleanly
    except Exception:
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=5)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait(timeout=5)
    # Anything the server started and did not reap (kernels in their own sessions).
    _kill_pids([pid for pid in children if _alive(pid)])


def _alive(pid: int) -> bool:
    try:
        import psutil

        p = psutil.Process(pid)
        return p.is_running() and p.status() != psutil.STATUS_ZOMBIE
    except Exception:
        return False


# --------------------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------------
# Browser
# --------------------------------------------------------------------------------------------------


def launch_chromium(playwright, home: Path):
    """A Playwright Browser on the system Chromium; ``home`` (temporary) holds its user folders.

    Playwright gives Chromium a temporary profile; crash-report settings and the dconf cache
    still follow XDG_CONFIG_HOME / XDG_CACHE_HOME, so those point under ``home`` too.
    """
    home = Path(home)
    env = dict(os.environ, XDG_CONFIG_HOME=str(home / "config"), XDG_CACHE_HOME=str(home / "cache"))
    return playwright.chromium.launch(
        executable_path=find_chromium(), args=CHROMIUM_ARGS, headless=True, env=env
    )


# --------------------------------------------------------------------------------------------------
# A notebook open in JupyterLab
# --------------------------------------------------------------------------------------------------

# JavaScript snippets (read-only inspection of the page)
# ---------------------------------------------------------------------------------------------

JS_CELL_STATE = """(panelSel) => {
  const panel = document.querySelector(panelSel);
  if (!panel) return null;
  const cells = [...panel.querySelectorAll('.jp-Notebook .jp-CodeCell')].map((c) => {
    const prompt = c.querySelector('.jp-InputArea-prompt');
    const src = c.querySelector('.jp-InputArea-editor .cm-content');
    return {prompt: prompt ? prompt.innerText.trim() : '',
            empty: src ? src.innerText.trim() === '' : false};
  });
  const ind = panel.querySelector('.jp-Notebook-ExecutionIndicator');
  return {cells, status: ind ? ind.getAttribute('data-status') : null};
}"""

# Error outputs have no distinguishing DOM class in JupyterLab 4 (they render as
# application/vnd.jupyter.stderr like stream stderr), so read output_type from the notebook model
# (window.jupyterapp exists because the server runs with --LabApp.expose_app_in_browser=True).
JS_MODEL_ERRORS = """(path) => {
  const app = window.jupyterapp;
  if (!app) return null;
  for (const w of app.shell.widgets('main')) {
    if (!w.context || w.context.path !== path || !w.content || !w.content.model) continue;
    const found = [];
    const cells = w.content.model.cells;
    for (let i = 0; i < cells.length; i++) {
      const c = cells.get(i);
      if (c.type !== 'code') continue;
      for (let j = 0; j < c.outputs.length; j++) {
        const o = c.outputs.get(j).toJSON();
        if (o.output_type === 'error') {
          found.push({cell: i, ename: o.ename, evalue: o.evalue,
                      traceback: (o.traceback || []).join('\\n')
                        .replace(/\\u001b\\[[0-9;]*m/g, '').slice(-1500)});
        }
      }
    }
    return found;
  }
  return null;
}"""

JS_CURRENT_PATH = """(panelSel) => {
  const app = window.jupyterapp;
  const w = app && app.shell.currentWidget;
  const panel = document.querySelector(panelSel);
  return w && w.context && panel && panel.id === w.id ? w.context.path : null;
}"""

# Close a notebook panel without saving (autosave is off): mark the model clean, then close.
JS_CLOSE_PANEL = """(path) => {
  const app = window.jupyterapp;
  if (!app) return false;
  for (const w of [...app.shell.widgets('main')]) {
    if (!w.context || w.context.path !== path) continue;
    if (w.context.model) w.context.model.dirty = false;
    w.close();
  }
  return true;
}"""

PROMPT_DONE = re.compile(r"^\[\d+\]:?$")


def poll(predicate, timeout: float, interval: float = POLL_S):
    """Call predicate until it returns a truthy value or timeout passes; return the last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval)


class LabNotebook:
    """One notebook open in one fresh browser context (``fail`` raises ``LabError``)."""

    def __init__(self, server, browser, notebook: Path, page=None):
        """``page``: an open page to reuse (several notebooks one after the other in one Lab
        page, opened in-app: no Lab reload per notebook); default: a fresh context and page."""
        self.server = server
        self.name = notebook.name
        self.phases: dict[str, float] = {}
        self.notes: list[str] = []  # what was moved, recoveries used (printed in the summary)
        self.console: list[str] = []
        self.log_offset = server.log_path.stat().st_size if server.log_path.exists() else 0
        self._own_context = page is None
        if page is None:
            self.context = browser.new_context(viewport={"width": 1280, "height": 1000})
            self.context.set_default_timeout(15_000)
            self.page = self.context.new_page()
        else:
            self.context, self.page = page.context, page
        self._listeners = [("console", self._on_console), ("pageerror", self._on_pageerror)]
        for event, handler in self._listeners:
            self.page.on(event, handler)

    def _on_console(self, m) -> None:
        if m.type in ("error", "warning"):
            self.console.append(f"console.{m.type}: {m.text}")

    def _on_pageerror(self, e) -> None:
        self.console.append(f"pageerror: {e}")

    # -- diagnostics ------------------------------------------------------------------------

    def context_info(self) -> str:
        try:
            log = self.server.log_path.read_text(errors="replace")[self.log_offset :]
        except OSError:
            log = ""
        noise = "Kernel is running over TCP without encryption"
        log_lines = [ln for ln in log.splitlines() if noise not in ln]
        return (
            "\n--- server log during this test (last 30 lines) ---\n"
            + ("\n".join(log_lines[-30:]) or "(empty)")
            + "\n--- browser console errors/warnings (last 10) ---\n"
            + ("\n".join(self.console[-10:]) or "(none)")
        )

    def fail(self, msg: str) -> NoReturn:
        raise LabError(f"{self.name}: {msg}{self.context_info()}")

    def timed(self, phase: str, started: float) -> None:
        self.phases[phase] = time.monotonic() - started

    # -- steps --------------------------------------------------------------------------------

    def open(self) -> None:
        t = time.monotonic()
        if not self._own_context and self.page.evaluate("() => !!window.jupyterapp"):
            self._open_in_app()
            self.timed("open", t)
            return
        url = self.server.url(f"/lab/tree/{quote(self.name)}", reset="")
        self.page.goto(url, wait_until="domcontentloaded", timeout=OPEN_TIMEOUT_S * 1000)
        try:
            self.page.wait_for_selector(f"{P} .jp-Notebook .jp-Cell", timeout=OPEN_TIMEOUT_S * 1000)
        except Exception:
            self.fail(f"no notebook cells appeared within {OPEN_TIMEOUT_S:.0f} s of opening {url}")
        self.timed("open", t)

    def _open_in_app(self) -> None:
        """Open the notebook in the Lab already loaded in ``self.page`` (docmanager:open)."""
        self.page.evaluate(
            "(path) => window.jupyterapp.commands.execute('docmanager:open', "
            "{path, factory: 'Notebook'}).then(() => true)",
            self.name,
        )
        shown = poll(lambda: self.page.evaluate(JS_CURRENT_PATH, P) == self.name, OPEN_TIMEOUT_S)
        if not shown:
            self.fail(f"{self.name} did not become the visible notebook after docmanager:open")
        try:
            self.page.wait_for_selector(f"{P} .jp-Notebook .jp-Cell", timeout=OPEN_TIMEOUT_S * 1000)
        except Exception:
            self.fail(f"no notebook cells appeared within {OPEN_TIMEOUT_S:.0f} s (opened in-app)")

    def _session(self) -> tuple[list[dict], dict | None]:
        mine = [s for s in self.server.sessions() if s.get("path") == self.name]
        return mine, (mine[0] if len(mine) == 1 else None)

    def wait_kernel_ready(self) -> None:
        """REST poll: one session for this notebook, kernel connected and idle, id stable 1 s."""
        t = time.monotonic()
        deadline = t + KERNEL_READY_TIMEOUT_S
        stable_id, stable_since = None, None
        while True:
            mine, session = self._session()
            kernel = (session or {}).get("kernel") or {}
            ready = kernel.get("connections", 0) >= 1 and kernel.get("execution_state") == "idle"
            now = time.monotonic()
            if ready:
                if kernel.get("id") != stable_id:
                    stable_id, stable_since = kernel.get("id"), now
                elif now - stable_since >= KERNEL_STABLE_S:
                    break
            else:
                stable_id, stable_since = None, None
            if now > deadline:
                dialog = self.page.locator(".jp-Dialog")
                dialog_text = dialog.first.inner_text() if dialog.count() else ""
                self.fail(
                    f"kernel not ready within {KERNEL_READY_TIMEOUT_S:.0f} s "
                    f"(sessions for this notebook: {mine})"
                    + (f"\nJupyterLab shows a dialog: {dialog_text!r}" if dialog_text else "")
                )
            time.sleep(POLL_S)
        self.timed("kernel_ready", t)

    def dismiss_news_toast(self) -> None:
        # Disabled through user settings; kept as a guard (the toast can cover cells).
        button = self.page.locator(".Toastify__toast button", has_text="No")
        if button.count() and button.first.is_visible():
            button.first.click()

    def _menu(self, menu: str, command: str) -> None:
        self.page.locator(".lm-MenuBar-itemLabel").get_by_text(menu, exact=True).first.click()
        item = self.page.locator(f".lm-Menu-item[data-command='{command}']")
        item.first.click()

    def _cell_state(self) -> dict:
        state = self.page.evaluate(JS_CELL_STATE, P)
        if state is None:
            self.fail("the notebook panel disappeared")
        return state

    @staticmethod
    def _summary(state: dict) -> tuple[int, int, int]:
        todo = [c for c in state["cells"] if not c["empty"]]
        done = sum(1 for c in todo if PROMPT_DONE.match(c["prompt"]))
        queued = sum(1 for c in todo if "*" in c["prompt"])
        return len(todo), done, queued

    def _errors(self) -> list[str]:
        found = []
        model_errors = self.page.evaluate(JS_MODEL_ERRORS, self.name) or []
        for e in model_errors:
            found.append(f"code cell #{e['cell']}: {e['ename']}: {e['evalue']}\n{e['traceback']}")
        if not model_errors:  # model unreachable or no error outputs: look at the DOM too
            for text in self.page.locator(f"{P} {STDERR}").all_inner_texts():
                if "Traceback" in text:
                    found.append(text[-1500:])
        for text in self.page.locator(f"{P} .jp-OutputArea-output").all_inner_texts():
            if text.startswith("Error displaying widget"):
                found.append(text)
        # A widget view that threw while rendering: ipywidgets shows an error icon; a click on it
        # reveals the JavaScript message and stack.
        broken = self.page.locator(f"{P} .jupyter-widgets-error-widget")
        for k in range(broken.count()):
            widget = broken.nth(k)
            try:
                widget.scroll_into_view_if_needed()
                widget.click()
                text = widget.inner_text()
            except Exception as exc:
                text = f"(could not read it: {exc})"
            found.append(f"widget view #{k} failed to render (JavaScript error):\n{text[:1500]}")
        return found

    def _wait_run(self, grace: float) -> tuple[str, dict]:
        """Wait for the end of a run: 'complete' (idle, every non-empty code cell numbered),
        'stuck' (kernel idle for `grace` s with cells not numbered: nothing more will run;
        between queued cells the kernel is idle only for milliseconds) or 'timeout'."""
        deadline = time.monotonic() + RUN_TIMEOUT_S
        stuck_since = None
        while True:
            state = self._cell_state()
            total, done, _queued = self._summary(state)
            idle = state["status"] == "idle"
            if idle and done == total:
                return "complete", state
            now = time.monotonic()
            if idle:
                stuck_since = stuck_since or now
                if now - stuck_since >= grace:
                    return "stuck", state
            else:
                stuck_since = None
            if now > deadline:
                return "timeout", state
            time.sleep(POLL_S)

    def _check_errors(self, when: str) -> None:
        errors = self._errors()
        if errors:
            self.fail(f"error output {when}:\n" + "\n\n".join(errors))

    def log_console_text(self) -> str:
        """Entries of Lab's Log Console for this notebook ('' if none).

        Output that no cell owns (an exception or a print in a widget callback) is routed there by
        the widget manager at level error/warning; the status bar item appears when it has any.
        Reading them opens the Log Console (only done when there is something to read)."""
        item = self.page.locator(
            ".jp-LogConsoleStatusItem:not(.lm-mod-hidden) .jp-StatusBar-GroupItem"
        )
        if not item.count():
            return ""
        title = item.first.get_attribute("title") or "log entries"
        try:
            item.first.click()
            panel = self.page.locator(".jp-LogConsolePanel .jp-OutputArea-output")
            panel.first.wait_for(timeout=5_000)
            text = "\n".join(panel.all_inner_texts())
        except Exception as exc:
            text = f"(could not open the Log Console: {exc})"
        return f"{title}:\n{text[-3000:]}"

    def run_all(self) -> None:
        t = time.monotonic()
        # Stored outputs carry execution counts: clear them so only this run's counts count.
        self._menu("Edit", "editmenu:clear-all")
        self._menu("Run", "runmenu:run-all")
        outcome, state = self._wait_run(STUCK_GRACE_S)
        self._check_errors("after Run All")
        if outcome != "complete":
            # Documented recovery for Lab's double-kernel race on a first open (not a retry of
            # the test): Restart Kernel and Run All, once.
            first = (outcome, self._summary(state))
            self.notes.append(f"Run All ended {first[0]} {first[1]}: Restart Kernel and Run All")
            self._menu("Edit", "editmenu:clear-all")
            self._menu("Kernel", "runmenu:restart-and-run-all")
            accept = self.page.locator(".jp-Dialog .jp-Dialog-button.jp-mod-accept")
            try:
                accept.first.click(timeout=5_000)
            except Exception:
                pass  # no confirmation dialog configured
            outcome, state = self._wait_run(STUCK_GRACE_S + 5.0)
            self._check_errors("after Restart Kernel and Run All")
            if outcome != "complete":
                total, done, queued = self._summary(state)
                self.fail(
                    f"not every code cell ran: first Run All ended '{first[0]}' with "
                    f"(cells, done, queued)={first[1]}; after Restart Kernel and Run All "
                    f"'{outcome}' with {done}/{total} done, {queued} queued, indicator "
                    f"{state['status']!r}; prompts {[c['prompt'] for c in state['cells']]}"
                )
        self.timed("run_all", t)

    # -- screenshot and close -------------------------------------------------------------

    def screenshot(self, path: Path) -> None:
        t = time.monotonic()
        try:
            self.page.screenshot(path=str(path), full_page=True, timeout=10_000)
        except Exception as exc:  # never hide the real failure behind a screenshot problem
            self.console.append(f"screenshot failed: {exc}")
        self.timed("screenshot", t)

    def close(self) -> None:
        try:
            if self._own_context:
                self.context.close()
            else:  # shared page: close this notebook's panel (unsaved: no "save?" dialog)
                for event, handler in self._listeners:
                    self.page.remove_listener(event, handler)
                self.page.evaluate(JS_CLOSE_PANEL, self.name)
        finally:
            for s in self._session()[0]:  # shut this notebook's kernel down
                self.server.api("DELETE", f"/api/sessions/{s['id']}")
