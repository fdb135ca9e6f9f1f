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

Recipe and pitfalls: ../shared/reference/notebook-testing.md, section 5. Steps 1-3 (and the
screenshot) are ``LabNotebook`` in lab.py, shared with benchmarks/browser_latency.py; this file adds
the explorer checks and turns every problem into a test failure.
"""

from __future__ import annotations

import time

import pytest

from tests.browser.lab import LabNotebook, P, poll

pytestmark = pytest.mark.browser

EXPLORER_TIMEOUT_S = 10.0

# ---------------------------------------------------------------------------------------------
# JavaScript snippets (read-only inspection of the page)
# ---------------------------------------------------------------------------------------------

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


def _short(value, n: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= n else text[: n - 3] + "..."


class NotebookInBrowser(LabNotebook):
    """One notebook open in one fresh browser context; every problem fails the test."""

    def fail(self, msg: str):
        pytest.fail(f"{self.name}: {msg}{self.context_info()}", pytrace=False)

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
                now = poll(
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

        before = poll(initial, EXPLORER_TIMEOUT_S)
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

        after = poll(changed, EXPLORER_TIMEOUT_S)
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
