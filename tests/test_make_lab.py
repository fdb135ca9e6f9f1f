"""`make lab` serves the course on 127.0.0.1 with token authentication on."""

import os
import queue
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except urllib.error.URLError:
        return 0


def test_make_lab_serves_the_start_notebook_behind_a_token():
    port = _free_port()
    server = subprocess.Popen(
        ["make", "--no-print-directory", "lab", f"PORT={port}", "LAB_ARGS=--no-browser"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(ln) for ln in server.stdout], daemon=True)
    reader.start()
    log, token = [], None
    try:
        deadline = time.monotonic() + 90
        while token is None and time.monotonic() < deadline and server.poll() is None:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                continue
            log.append(line)
            found = re.search(rf"http://127\.0\.0\.1:{port}/lab\S*\?token=(\w+)", line)
            token = found and found.group(1)
        assert token, "make lab printed no 127.0.0.1 address with a token:\n" + "".join(log[-30:])
        base = f"http://127.0.0.1:{port}"
        while _status(f"{base}/api/status?token={token}") != 200:  # printed just before listening
            assert time.monotonic() < deadline and server.poll() is None, "".join(log[-30:])
            time.sleep(0.2)
        assert _status(f"{base}/api/contents/00_start_here.ipynb") == 403  # no token, no access
        assert _status(f"{base}/api/contents/00_start_here.ipynb?token={token}") == 200
        assert _status(f"{base}/lab/tree/00_start_here.ipynb?token={token}") == 200
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
