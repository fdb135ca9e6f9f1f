"""Fixtures for the real-browser tests: a hermetic JupyterLab server and Debian's Chromium.

Recipe and pitfalls: ../shared/reference/notebook-testing.md, section 5. The parts that need no
pytest (server start/stop, Chromium launch, the notebook driver) live in lab.py, which
benchmarks/browser_latency.py reuses.

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

import os
from pathlib import Path

import pytest

from tests.browser.lab import (
    LabError,
    LabServer,
    launch_chromium,
    missing_browser_tools,
    start_lab_server,
    stop_lab_server,
)

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = Path(os.environ.get("MM_BROWSER_NOTEBOOKS") or REPO / "notebooks").resolve()
SCREENSHOT_DIR = Path(__file__).resolve().parent / "screenshots"

_TIMINGS_KEY = pytest.StashKey[list]()


# --------------------------------------------------------------------------------------------------
# Prerequisites: Chromium and playwright
# --------------------------------------------------------------------------------------------------


def _ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


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


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory) -> LabServer:
    require_browser_tools()  # no point starting a server nobody can look at
    if not NOTEBOOK_DIR.is_dir():
        pytest.fail(f"notebook folder {NOTEBOOK_DIR} does not exist", pytrace=False)
    try:
        server = start_lab_server(NOTEBOOK_DIR, tmp_path_factory.mktemp("jupyter-home"))
    except LabError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield server
    finally:
        stop_lab_server(server)


# --------------------------------------------------------------------------------------------------
# Browser
# --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium(tmp_path_factory):
    """A Playwright Browser on the system Chromium (one per session; a fresh context per test)."""
    require_browser_tools()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p, tmp_path_factory.mktemp("chromium-home"))
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
