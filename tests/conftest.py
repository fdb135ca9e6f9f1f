"""Fixtures shared by the unit and browser tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The static reading copy (``make site``), built once per session in a temporary folder."""
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
