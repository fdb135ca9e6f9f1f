"""Fixtures shared by the unit and browser tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The static reading copy (``make site``), built once per session in a temporary folder.

    Without npm (needed once to fetch the widget renderer) the tests that use it are skipped with
    the reason, or fail when CI is set."""
    cached = any((REPO / "build" / "cache").glob("*/package/dist/embed.js"))
    if shutil.which("npm") is None and not cached:
        msg = "make site needs npm to fetch the widget renderer (apt-get install npm)"
        if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
            pytest.fail(f"{msg} [CI is set, so this is a failure, not a skip]", pytrace=False)
        pytest.skip(msg)
    output = tmp_path_factory.mktemp("site") / "site"
    run = subprocess.run(
        [sys.executable, str(REPO / "tools" / "build_site.py"), "--output", str(output)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, f"make site failed:\n{run.stdout}\n{run.stderr}"
    return output
