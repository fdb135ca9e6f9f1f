"""Fixtures for the real-browser tests: a hermetic JupyterLab server and Debian's Chromium.

Recipe and pitfalls: ../shared/reference/notebook-testing.md, section 5.

* ``lab_server`` (session): ``python -m jupyter lab`` from this interpreter's environment on a
  free 127.0.0.1 port with a random token; Jupyter/IPython/matplotlib config, data and runtime
  folders are temporary; news, update checks, autosave and cell windowing are switched off.
* ``chromium`` (session): Playwright driving the system Chromium (``playwright install`` is never
  needed or used).
* If Chromium or the playwright package is missing, each browser test is skipped with a reason that
  names what is missing; when the environment variable ``CI`` is set, it fails instead.

``MM_BROWSER_NOTEBOOKS`` may point the harness at another folder of notebooks (harness development
only); the default is ``<repo>/notebooks``.
"""

from __future__ import annotations

import json
import os
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

import pytest

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = Path(os.environ.get("MM_BROWSER_NOTEBOOKS") or REPO / "notebooks").resolve()
SCREENSHOT_DIR = Path(__file__).resolve().parent / "screenshots"

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

_TIMINGS_KEY = pytest.StashKey[list]()


# --------------------------------------------------------------------------------------------------
# Prerequisites: Chromium and playwright
# --------------------------------------------------------------------------------------------------


def _ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


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


def require_browser_tools() -> None:
    """Skip the calling test if Chromium/playwright are missing; fail instead when CI is set."""
    missing = missing_browser_tools()
    if not missing:
        return
    msg = "browser test cannot run: " + "; ".join(missing)
    if _ci():
        pytest.fail(f"{msg} [CI is set, so this is a failure, not a skip]", pytrace=False)
    pytest.skip(msg)


@pytest.fixture(name="require_browser_tools", scope="session")
def _require_browser_tools_fixture():
    """The check as a callable, so a test can run it in its body (a failure, not a setup error)."""
    return require_browser_tools


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


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _write_user_settings(settings_dir: Path) -> None:
    """Lab user settings for a quiet, deterministic test run."""
    settings = {
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


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory) -> LabServer:
    require_browser_tools()  # no point starting a server nobody can look at
    if not NOTEBOOK_DIR.is_dir():
        pytest.fail(f"notebook folder {NOTEBOOK_DIR} does not exist", pytrace=False)

    home = tmp_path_factory.mktemp("jupyter-home")
    dirs = {
        name: home / sub
        for name, sub in [
            ("JUPYTER_CONFIG_DIR", "config"),
            ("JUPYTER_DATA_DIR", "data"),
            ("JUPYTER_RUNTIME_DIR", "runtime"),
            ("IPYTHONDIR", "ipython"),
            ("MPLCONFIGDIR", "mpl"),
        ]
    }
    for d in dirs.values():
        d.mkdir()
    settings_dir = dirs["JUPYTER_CONFIG_DIR"] / "lab" / "user-settings"
    workspaces_dir = dirs["JUPYTER_CONFIG_DIR"] / "lab" / "workspaces"
    _write_user_settings(settings_dir)

    env = dict(os.environ)
    env.update({k: str(v) for k, v in dirs.items()})
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env["PYTHONUNBUFFERED"] = "1"
    env.pop("JUPYTER_PATH", None)  # the venv's share/jupyter (kernelspec, widgets) is found anyway
    env.pop("JUPYTER_TOKEN", None)
    # A test-wide MPLBACKEND=Agg (tests/../conftest.py) must not reach the kernel: ipykernel sets
    # the inline backend only when MPLBACKEND is unset, and learners get the inline backend.
    env.pop("MPLBACKEND", None)

    port = _free_port()
    token = secrets.token_hex(24)
    cmd = [
        sys.executable, "-m", "jupyter", "lab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.token={token}",
        f"--ServerApp.root_dir={NOTEBOOK_DIR}",
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

    log_path = home / "jupyter-server.log"
    log = open(log_path, "wb")  # noqa: SIM115 (closed at teardown)
    proc = subprocess.Popen(
        cmd,
        cwd=NOTEBOOK_DIR,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # own process group, killed as a whole at teardown
    )
    server = LabServer(f"http://127.0.0.1:{port}", token, NOTEBOOK_DIR, log_path, proc)
    shown_cmd = " ".join(cmd).replace(token, "<token>")

    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while True:
            if proc.poll() is not None:
                pytest.fail(
                    f"JupyterLab exited with code {proc.returncode} before answering.\n"
                    f"command: {shown_cmd}\nserver log tail:\n{server.log_tail()}",
                    pytrace=False,
                )
            try:
                status, _ = server.api("GET", "/api/status", timeout=2.0)
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                status = None
            if status == 200:
                break
            if time.monotonic() > deadline:
                pytest.fail(
                    f"JupyterLab did not answer GET /api/status with 200 within "
                    f"{SERVER_START_TIMEOUT_S:.0f} s (last status {status}).\n"
                    f"command: {shown_cmd}\nserver log tail:\n{server.log_tail()}",
                    pytrace=False,
                )
            time.sleep(0.2)

        status, specs = server.api("GET", "/api/kernelspecs")
        if status != 200 or not (specs or {}).get("kernelspecs"):
            pytest.fail(
                f"JupyterLab lists no kernelspec (status {status}: {specs}); the venv's "
                f"share/jupyter/kernels was not found.\nserver log tail:\n{server.log_tail()}",
                pytrace=False,
            )
        yield server
    finally:
        _stop_server(server)
        log.close()


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
# Browser
# --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium(tmp_path_factory):
    """A Playwright Browser on the system Chromium (one per session; a fresh context per test)."""
    require_browser_tools()
    from playwright.sync_api import sync_playwright

    # Playwright gives Chromium a temporary profile; crash-report settings and the dconf cache
    # still follow XDG_CONFIG_HOME / XDG_CACHE_HOME, so point those at a temporary folder too.
    home = tmp_path_factory.mktemp("chromium-home")
    env = dict(os.environ, XDG_CONFIG_HOME=str(home / "config"), XDG_CACHE_HOME=str(home / "cache"))
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=find_chromium(), args=CHROMIUM_ARGS, headless=True, env=env
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOT_DIR


# --------------------------------------------------------------------------------------------------
# Timing summary
# --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_timings(request) -> list:
    return request.config.stash.setdefault(_TIMINGS_KEY, [])


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    rows = config.stash.get(_TIMINGS_KEY, None)
    if not rows:
        return
    tr = terminalreporter
    tr.section("browser notebook timings (s)")
    for name, phases, notes in rows:
        total = phases.get("total", 0.0)
        detail = ", ".join(f"{k} {v:.2f}" for k, v in phases.items() if k != "total")
        tr.write_line(f"{name}: total {total:.2f} ({detail})")
        for note in notes:
            tr.write_line(f"    {note}")


# --------------------------------------------------------------------------------------------------
# Parametrisation: one test per notebooks/*.ipynb, found at collection time
# --------------------------------------------------------------------------------------------------


def pytest_generate_tests(metafunc):
    if "notebook" not in metafunc.fixturenames:
        return
    notebooks = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
    if notebooks:
        metafunc.parametrize("notebook", notebooks, ids=[nb.name for nb in notebooks])
    else:
        metafunc.parametrize(
            "notebook",
            [pytest.param(None, marks=pytest.mark.skip(reason=f"no *.ipynb in {NOTEBOOK_DIR}"))],
            ids=["no-notebooks"],
        )
