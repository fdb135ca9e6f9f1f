"""Every notebook as a Voilà app (``make present``) in a real Chromium: code hidden, explorers work.

One test per ``notebooks/*.ipynb`` (found at collection time by ``pytest_generate_tests`` in
conftest.py). One Voilà server for the module (voila.py: free 127.0.0.1 port, hermetic user
folders, no token: Voilà's default); every page view starts its own kernel, which executes the
notebook server-side while the page streams (reference: ../shared/reference/notebook-testing.md §6).
For each notebook:

1. open ``/voila/render/<name>`` in a fresh browser context (requests that leave 127.0.0.1, e.g.
   Voilà's font CDN, are aborted: the test needs no network);
2. wait until the page is built: document complete, Voilà's ``#loading`` spinner gone, every
   widget-view output the server sent rendered into a widget, every ``.mm-explorer`` figure loaded;
3. check there is no error: no traceback or "error when executing cell" text, no stderr output,
   no widget that failed to render, no uncaught JavaScript error;
4. check the code is hidden: no code editor, input prompt or code-cell input area on the page,
   and no line of the notebook's code (>= 25 characters, not quoted in Markdown) in the page text;
5. for every ``.mm-explorer``: move one control, as the JupyterLab test does (the first slider:
   focus its handle, End, or Home if already at its maximum; an explorer without a slider: a
   Dropdown, a Checkbox, ToggleButtons) and wait until both the ``.mm-readout`` text and the
   ``img.mm-figure`` src change;
6. save a screenshot to tests/browser/screenshots/voila-<stem>.png (also when the test fails).

Skipped with the reason if Chromium, playwright or voila is missing; a failure when CI is set.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests.browser.conftest import NOTEBOOK_DIR, _ci
from tests.browser.lab import poll
from tests.browser.test_notebooks_in_browser import NotebookInBrowser
from tests.browser.voila import VoilaError, start_voila_server, stop_voila_server, voila_missing

pytestmark = pytest.mark.browser

PAGE_TIMEOUT_S = 60.0  # goto -> every widget rendered and every figure loaded (measured 3-4 s)
EXPLORER_TIMEOUT_S = 10.0
SETTLE_S = 0.5  # the built page must stay built this long (no late re-render)

# Records, from the first parsed byte, every cell output Voilà sends that holds a widget view
# (the page consumes these <script> elements when it renders the widgets).
INIT_SCRIPT = """(() => {
  window.__mmWidgetScripts = [];
  const sel = 'script[type="application/vnd.voila.cell-output+json"]';
  new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes) {
      if (n.nodeType !== 1) continue;
      const found = n.matches(sel) ? [n] : [...n.querySelectorAll(sel)];
      for (const s of found) if (!window.__mmWidgetScripts.includes(s))
        window.__mmWidgetScripts.push(s);
    }
  }).observe(document, {childList: true, subtree: true});
})();"""

JS_PAGE_STATE = """() => {
  const scripts = (window.__mmWidgetScripts || []).filter(
    (s) => s.textContent.includes('application/vnd.jupyter.widget-view+json'));
  const loading = document.getElementById('loading');
  const imgs = [...document.querySelectorAll('.mm-explorer')].map(
    (e) => e.querySelector('img.mm-figure, .mm-figure img'));
  const rendered = [...document.querySelectorAll('.jp-OutputArea-child')].filter(
    (c) => c.querySelector('.jupyter-widgets')).length;
  return {
    ready: document.readyState,
    loading: !!(loading && loading.isConnected && getComputedStyle(loading).display !== 'none'),
    widgetOutputs: scripts.length,
    pending: scripts.filter((s) => s.isConnected).length,
    rendered,
    explorers: imgs.length,
    loaded: imgs.filter((i) => i && i.complete && i.naturalWidth > 0).length,
  };
}"""

JS_VISIBLE_CODE = """() => {
  const vis = (e) => !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length);
  const sels = ['.jp-CodeCell .jp-InputArea', '.jp-InputArea-editor', '.jp-CodeMirrorEditor',
                '.cm-editor', '.CodeMirror', '.jp-InputPrompt', 'textarea.jp-mod-code'];
  return sels.map((s) => [s, [...document.querySelectorAll(s)].filter(vis).length])
             .filter(([, n]) => n > 0).map(([s, n]) => `${n} x ${s}`);
}"""

JS_EXPLORER_STATE = """(el) => {
  const img = el.querySelector('img.mm-figure, .mm-figure img');
  const ro = el.querySelector('.mm-readout');
  return {
    src: img ? img.getAttribute('src') : null,
    complete: img ? img.complete : false,
    naturalWidth: img ? img.naturalWidth : 0,
    readout: ro ? (ro.querySelector('.widget-html-content') || ro).innerText : null,
  };
}"""

ERROR_TEXTS = ("Traceback (most recent call last)", "There was an error when executing cell",
               "Error displaying widget")  # fmt: skip
STDERR = '[data-mime-type="application/vnd.jupyter.stderr"]'


def _short(value, n: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= n else text[: n - 3] + "..."


def _code_lines(notebook: Path) -> list[str]:
    """Distinctive code lines (>= 25 characters, not also in a Markdown cell): none may show."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    markdown = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] != "code")
    lines = []
    for c in cells:
        if c["cell_type"] != "code":
            continue
        for line in "".join(c["source"]).splitlines():
            line = line.strip()
            if len(line) >= 25 and not line.startswith("#") and line not in markdown:
                lines.append(line)
    return lines


def _require_voila_tools(require_browser_tools) -> None:
    require_browser_tools()  # Chromium and playwright
    missing = voila_missing()
    if missing:
        msg = f"Voilà app test cannot run: {missing}"
        if _ci():
            pytest.fail(f"{msg} [CI is set, so this is a failure, not a skip]", pytrace=False)
        pytest.skip(msg)


@pytest.fixture(scope="module")
def voila_server(tmp_path_factory, require_browser_tools):
    _require_voila_tools(require_browser_tools)
    if not NOTEBOOK_DIR.is_dir():
        pytest.fail(f"notebook folder {NOTEBOOK_DIR} does not exist", pytrace=False)
    try:
        server = start_voila_server(NOTEBOOK_DIR, tmp_path_factory.mktemp("voila-home"))
    except VoilaError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield server
    finally:
        stop_voila_server(server)


class VoilaApp:
    """One notebook open as a Voilà app in a fresh browser context; problems fail the test."""

    def __init__(self, server, browser, notebook: Path):
        self.server = server
        self.notebook = notebook
        self.name = notebook.name
        self.phases: dict[str, float] = {}
        self.notes: list[str] = []
        self.page_errors: list[str] = []
        self.console: list[str] = []
        self.log_offset = server.log_path.stat().st_size if server.log_path.exists() else 0
        self.context = browser.new_context(viewport={"width": 1280, "height": 1000})
        self.context.route("**/*", self._route)
        self.context.add_init_script(INIT_SCRIPT)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda exc: self.page_errors.append(str(exc)))
        self.page.on(
            "console",
            lambda m: self.console.append(m.text) if m.type == "error" else None,
        )

    def _route(self, route):
        if route.request.url.startswith(self.server.base_url + "/") or route.request.url.startswith(
            ("data:", "blob:")
        ):
            route.continue_()
        else:
            route.abort()  # no network: Voilà's CDN font CSS is not needed

    def timed(self, phase: str, t0: float) -> None:
        self.phases[phase] = time.monotonic() - t0

    def server_log(self) -> str:
        try:
            with open(self.server.log_path, "rb") as f:
                f.seek(self.log_offset)
                text = f.read().decode(errors="replace")
        except OSError:
            return ""
        kept = [ln for ln in text.splitlines() if "without encryption" not in ln]
        return "\n".join(kept[-30:])

    def fail(self, msg: str):
        extra = ""
        if self.page_errors:
            extra += "\nJavaScript errors:\n" + "\n".join(self.page_errors[-5:])
        console = [m for m in self.console if "net::ERR_FAILED" not in m]  # the aborted CDN CSS
        if console:
            extra += "\nbrowser console errors:\n" + "\n".join(console[-10:])
        log = self.server_log()
        if log:
            extra += f"\nVoilà log since this page:\n{log}"
        pytest.fail(f"{self.name} (Voilà app): {msg}{extra}", pytrace=False)

    # -- steps ---------------------------------------------------------------------------------

    def open(self) -> None:
        t = time.monotonic()
        url = self.server.app_url(self.name)
        try:
            self.page.goto(url, wait_until="domcontentloaded", timeout=PAGE_TIMEOUT_S * 1000)
        except Exception as exc:
            self.fail(f"could not load {url}: {exc}")
        state = self.wait_until_built(t + PAGE_TIMEOUT_S)
        if state["widgetOutputs"] == 0:
            self.notes.append("no widget output on this page")
        self.notes.append(
            f"{state['explorers']} explorer(s), {state['widgetOutputs']} widget output(s)"
        )
        self.timed("page_built", t)

    def wait_until_built(self, deadline: float) -> dict:
        """Poll until the page is built and stays so for SETTLE_S (document complete, spinner gone,
        every widget output rendered, every explorer figure loaded); return its state."""

        def built() -> dict | None:
            s = self.page.evaluate(JS_PAGE_STATE)
            ok = (
                s["ready"] == "complete"
                and not s["loading"]
                and s["pending"] == 0
                and s["rendered"] >= s["widgetOutputs"]
                and s["loaded"] == s["explorers"]
            )
            return s if ok else None

        while time.monotonic() < deadline:
            state = poll(built, max(0.1, deadline - time.monotonic()))
            if not state:
                break
            time.sleep(SETTLE_S)
            if built() == state:
                return state
        self._check_errors("while the page was being built")
        self.fail(
            "page not built in time (document, spinner, widget outputs rendered, explorer "
            f"figures loaded): {self.page.evaluate(JS_PAGE_STATE)}"
        )

    def check_code_hidden(self) -> None:
        visible = self.page.evaluate(JS_VISIBLE_CODE)
        if visible:
            self.fail(f"code input is shown: {', '.join(visible)}")
        text = self.page.inner_text("body")
        shown = [line for line in _code_lines(self.notebook) if line in text]
        if shown:
            self.fail(f"{len(shown)} line(s) of code appear in the page, e.g. {shown[0]!r}")

    def _check_errors(self, when: str) -> None:
        found = []
        text = self.page.inner_text("body")
        for marker in ERROR_TEXTS:
            k = text.find(marker)
            if k >= 0:
                found.append(text[max(0, k - 200) : k + 1500])
        for t in self.page.locator(STDERR).all_inner_texts():
            found.append(f"stderr output: {t[-1500:]}")
        broken = self.page.locator(".jupyter-widgets-error-widget").count()
        if broken:
            found.append(f"{broken} widget view(s) failed to render")
        if self.page_errors:
            found.append("uncaught JavaScript error(s): " + "; ".join(self.page_errors[-3:]))
        if found:
            self.fail(f"error on the page {when}:\n" + "\n\n".join(found))

    def check_no_errors(self, when: str) -> None:
        self._check_errors(when)

    def _move_one_control(self, explorer, where: str) -> str:
        # The JupyterLab test's rule, one definition for both (it only needs self.fail): the first
        # slider (End, or Home if at its maximum), else a Dropdown, a Checkbox, ToggleButtons.
        return NotebookInBrowser._move_one_control(self, explorer, where)

    def check_explorers(self) -> int:
        t = time.monotonic()
        explorers = self.page.locator(".mm-explorer")
        count = explorers.count()
        for i in range(count):
            explorer = explorers.nth(i)
            where = f"explorer #{i}"
            explorer.scroll_into_view_if_needed()
            if not explorer.locator(".mm-readout").count():
                self.fail(f"{where}: no text result (.mm-readout)")
            before = explorer.evaluate(JS_EXPLORER_STATE)
            action = self._move_one_control(explorer, where)
            self.notes.append(f"#{i} {action}")

            def changed(explorer=explorer, before=before) -> dict | None:
                s = explorer.evaluate(JS_EXPLORER_STATE)
                differs = s["readout"] != before["readout"] and s["src"] != before["src"]
                loaded = s["complete"] and s["naturalWidth"] > 0
                return s if differs and loaded else None

            if not poll(changed, EXPLORER_TIMEOUT_S):
                now = explorer.evaluate(JS_EXPLORER_STATE)
                self.fail(
                    f"{where}: after '{action}' the readout and the figure did not both change "
                    f"within {EXPLORER_TIMEOUT_S:.0f} s: readout {_short(before['readout'])} -> "
                    f"{_short(now['readout'])}, img src {_short(before['src'])} -> "
                    f"{_short(now['src'])}, naturalWidth {now['naturalWidth']}"
                )
        self.timed("explorers", t)
        return count

    def screenshot(self, path: Path) -> None:
        try:
            self.page.screenshot(path=str(path), full_page=True, timeout=10_000)
        except Exception as exc:  # never hide the real failure behind a screenshot problem
            self.console.append(f"screenshot failed: {exc}")

    def close(self) -> None:
        self.context.close()


def test_voila_app_hides_code_and_explorers_respond(
    notebook, request, require_browser_tools, screenshot_dir, browser_timings
):
    _require_voila_tools(require_browser_tools)  # skip, or fail under CI, naming what is missing
    server = request.getfixturevalue("voila_server")
    browser = request.getfixturevalue("chromium")

    started = time.monotonic()
    original = notebook.read_bytes()
    app = VoilaApp(server, browser, notebook)
    try:
        app.open()
        app.check_no_errors("after it was built")  # first: a traceback shows code lines too
        app.check_code_hidden()
        app.check_explorers()
        app.check_no_errors("after moving the explorers")
    finally:
        app.screenshot(screenshot_dir / f"voila-{notebook.stem}.png")
        app.close()
        app.phases["total"] = time.monotonic() - started
        browser_timings.append((f"voila {notebook.name}", app.phases, app.notes))
    assert notebook.read_bytes() == original, f"{notebook.name} was modified on disk by the test"
