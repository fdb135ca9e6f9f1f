"""Open every notebook in JupyterLab in a real Chromium, Run All, and move every explorer.

One test per ``notebooks/*.ipynb`` (found at collection time; see ``pytest_generate_tests`` in
conftest.py). For each notebook:

1. open ``/lab/tree/<name>?token=…&reset`` in a fresh browser context and wait for its cells;
2. wait until the kernel is really ready, through the REST API (this notebook's session exists,
   ``kernel.connections >= 1``, ``execution_state == "idle"``, same kernel id for 1 s);
3. clear all outputs (Edit menu) so stored execution counts cannot pass for fresh ones, then
   Run > Run All Cells; wait until the execution indicator is idle and every non-empty code cell
   shows ``[n]:``; fail on any error output; if cells were left unexecuted without an error, do
   Run > Restart Kernel and Run All Cells once (the documented recovery for Lab's double-kernel
   race on a first open), then fail if still incomplete;
4. for every ``.mm-explorer``: record the ``.mm-readout`` text and the ``.mm-figure`` img ``src``,
   move one control (first slider: End, or Home if already at its maximum; else a Dropdown, a
   Checkbox, ToggleButtons) and wait until both the readout text and the img src have changed;
   the img must have a non-empty ``title`` (its alt text) and a non-zero natural width;
5. save a screenshot to tests/browser/screenshots/<stem>.png (also when the test fails).

Recipe and pitfalls: ../shared/reference/notebook-testing.md, section 5.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import quote

import pytest

pytestmark = pytest.mark.browser

P = ".jp-NotebookPanel:not(.lm-mod-hidden)"  # the visible notebook panel only

OPEN_TIMEOUT_S = 45.0  # goto -> cells in the DOM (cold Lab start measured at 4-5 s)
KERNEL_READY_TIMEOUT_S = 45.0
KERNEL_STABLE_S = 1.0
RUN_TIMEOUT_S = 120.0  # Run All -> every cell executed
STUCK_GRACE_S = 3.0  # kernel idle this long with cells unexecuted: the run is over
EXPLORER_TIMEOUT_S = 10.0
POLL_S = 0.1

STDERR = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'

# ---------------------------------------------------------------------------------------------
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

JS_EXPLORER_STATE = """(el) => {
  const img = el.querySelector('img.mm-figure, .mm-figure img');
  const ro = el.querySelector('.mm-readout');
  const roText = ro ? (ro.querySelector('.widget-html-content') || ro).innerText : null;
  return {
    src: img ? img.getAttribute('src') : null,
    title: img ? img.getAttribute('title') : null,
    complete: img ? img.complete : false,
    naturalWidth: img ? img.naturalWidth : 0,
    readout: roText,
  };
}"""

PROMPT_DONE = re.compile(r"^\[\d+\]:?$")


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _poll(predicate, timeout: float, interval: float = POLL_S):
    """Call predicate until it returns a truthy value or timeout passes; return the last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval)


def _short(value, n: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= n else text[: n - 3] + "..."


class NotebookInBrowser:
    """One notebook open in one fresh browser context."""

    def __init__(self, server, browser, notebook: Path):
        self.server = server
        self.name = notebook.name
        self.phases: dict[str, float] = {}
        self.notes: list[str] = []  # what was moved, recoveries used (printed in the summary)
        self.console: list[str] = []
        self.log_offset = server.log_path.stat().st_size if server.log_path.exists() else 0
        self.context = browser.new_context(viewport={"width": 1280, "height": 1000})
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.page.on(
            "console",
            lambda m: (
                self.console.append(f"console.{m.type}: {m.text}")
                if m.type in ("error", "warning")
                else None
            ),
        )
        self.page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))

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

    def fail(self, msg: str):
        pytest.fail(f"{self.name}: {msg}{self.context_info()}", pytrace=False)

    def timed(self, phase: str, started: float) -> None:
        self.phases[phase] = time.monotonic() - started

    # -- steps --------------------------------------------------------------------------------

    def open(self) -> None:
        t = time.monotonic()
        url = self.server.url(f"/lab/tree/{quote(self.name)}", reset="")
        self.page.goto(url, wait_until="domcontentloaded", timeout=OPEN_TIMEOUT_S * 1000)
        try:
            self.page.wait_for_selector(f"{P} .jp-Notebook .jp-Cell", timeout=OPEN_TIMEOUT_S * 1000)
        except Exception:
            self.fail(f"no notebook cells appeared within {OPEN_TIMEOUT_S:.0f} s of opening {url}")
        self.timed("open", t)

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

    # -- explorers ----------------------------------------------------------------------------

    def _explorer_state(self, explorer) -> dict:
        return explorer.evaluate(JS_EXPLORER_STATE)

    def _move_one_control(self, explorer, where: str) -> str:
        """Move one control of the explorer; return a description of what was done."""
        handles = explorer.locator(".noUi-target:not([disabled]) .noUi-handle")
        if handles.count():
            handle = handles.first
            handle.scroll_into_view_if_needed()
            before = handle.get_attribute("aria-valuenow")
            for key in ("End", "Home"):  # Home if the slider already sat at its maximum
                handle.focus()
                handle.press(key)
                now = _poll(
                    lambda: (v := handle.get_attribute("aria-valuenow")) != before and v, 1.0
                )
                if now:
                    return f"first slider {key}: {before} -> {now}"
            self.fail(f"{where}: the first slider did not move with End nor Home (at {before})")

        selects = explorer.locator(".widget-dropdown select:not([disabled])")
        if selects.count():
            select = selects.first
            n = select.locator("option").count()
            current = select.evaluate("s => s.selectedIndex")
            if n >= 2:
                target = 1 if current == 0 else 0
                select.select_option(index=target)
                return f"dropdown option {current} -> {target}"

        boxes = explorer.locator("input[type=checkbox]:not([disabled])")
        if boxes.count():
            box = boxes.first
            before = box.is_checked()
            box.click()
            return f"checkbox {before} -> {not before}"

        buttons = explorer.locator(".widget-toggle-buttons button:not([disabled]):not(.mod-active)")
        if buttons.count():
            label = buttons.first.inner_text()
            buttons.first.click()
            return f"toggle button {label!r}"

        self.fail(f"{where}: no slider, dropdown, checkbox or toggle buttons to move")
        return ""

    def _check_explorer(self, i: int, explorer) -> None:
        where = f"explorer #{i}"
        explorer.scroll_into_view_if_needed()
        if not explorer.locator("img.mm-figure, .mm-figure img").count():
            self.fail(f"{where}: no figure (img.mm-figure or .mm-figure img)")
        if not explorer.locator(".mm-readout").count():
            self.fail(f"{where}: no text result (.mm-readout)")

        def loaded(state: dict) -> bool:
            return bool(state["src"]) and state["complete"] and state["naturalWidth"] > 0

        def initial() -> dict | None:
            s = self._explorer_state(explorer)
            return s if loaded(s) else None

        before = _poll(initial, EXPLORER_TIMEOUT_S)
        if not before:
            self.fail(f"{where}: figure never loaded (state {self._explorer_state(explorer)})")
        if not (before["title"] or "").strip():
            self.fail(f"{where}: figure img has no title attribute (alt text, from the tooltip)")

        action = self._move_one_control(explorer, where)
        self.notes.append(f"#{i} {action}")

        def changed() -> dict | None:
            s = self._explorer_state(explorer)
            differs = s["readout"] != before["readout"] and s["src"] != before["src"]
            return s if differs and loaded(s) else None

        after = _poll(changed, EXPLORER_TIMEOUT_S)
        if not after:
            now = self._explorer_state(explorer)
            log = self.log_console_text()
            self.fail(
                f"{where}: after '{action}' the readout and the figure did not both change "
                f"within {EXPLORER_TIMEOUT_S:.0f} s: readout {_short(before['readout'])} -> "
                f"{_short(now['readout'])}, img src {_short(before['src'])} -> "
                f"{_short(now['src'])}, naturalWidth {now['naturalWidth']}"
                + (f"\nLog Console (widget callback output) {log}" if log else "")
            )
        if not (after["title"] or "").strip():
            self.fail(f"{where}: figure img lost its title attribute after the update")

    def check_explorers(self) -> int:
        t = time.monotonic()
        explorers = self.page.locator(f"{P} .mm-explorer")
        count = explorers.count()
        for i in range(count):
            self._check_explorer(i, explorers.nth(i))
        self._check_errors("after moving the explorers")
        log = self.log_console_text()
        if log:
            self.fail(f"output outside any cell (widget callbacks) went to the Log Console, {log}")
        self.timed("explorers", t)
        return count

    def screenshot(self, path: Path) -> None:
        t = time.monotonic()
        try:
            self.page.screenshot(path=str(path), full_page=True, timeout=10_000)
        except Exception as exc:  # never hide the real failure behind a screenshot problem
            self.console.append(f"screenshot failed: {exc}")
        self.timed("screenshot", t)

    def close(self) -> None:
        try:
            self.context.close()
        finally:
            for s in self._session()[0]:  # shut this notebook's kernel down
                self.server.api("DELETE", f"/api/sessions/{s['id']}")


# ---------------------------------------------------------------------------------------------
# The test
# ---------------------------------------------------------------------------------------------


def test_notebook_runs_and_explorers_respond(
    notebook, request, require_browser_tools, screenshot_dir, browser_timings
):
    require_browser_tools()  # skip, or fail under CI, naming what is missing
    server = request.getfixturevalue("lab_server")
    browser = request.getfixturevalue("chromium")

    started = time.monotonic()
    original = notebook.read_bytes()
    nb = NotebookInBrowser(server, browser, notebook)
    try:
        nb.open()
        nb.wait_kernel_ready()
        nb.dismiss_news_toast()
        nb.run_all()
        n = nb.check_explorers()
        nb.notes.insert(0, f"{n} explorer(s)")
    finally:
        nb.screenshot(screenshot_dir / f"{notebook.stem}.png")
        nb.close()
        nb.phases["total"] = time.monotonic() - started
        browser_timings.append((notebook.name, nb.phases, nb.notes))
    # Autosave is off and nothing is saved: the notebook file must be exactly as it was.
    assert notebook.read_bytes() == original, f"{notebook.name} was modified on disk by the test"
