"""End-to-end explorer latency in Chromium: key press on a slider until the new figure is shown.

For every ``.mm-explorer`` in every notebook under ``notebooks/`` (or the notebooks named on the
command line), the script opens the notebook in JupyterLab in Debian's Chromium (the harness of
``tests/browser/lab.py``: hermetic server on a free port with a token, REST kernel-readiness poll,
Run All), focuses the explorer's first slider handle and presses ArrowRight/ArrowLeft alternately
(so the value stays in range): a few warm-up presses, then the timed ones. An explorer without a
slider is driven through its first dropdown (two options in turn; t0 is then the select's
``input`` event), else its toggle buttons or first checkbox (clicked; t0 at ``pointerdown``).

Each press is timed inside the page, so Playwright's polling adds nothing:

* t0: ``performance.now()`` in a capture-phase ``keydown`` listener on ``window``;
* a ``MutationObserver`` on the explorer notes when the figure ``img`` src and the ``.mm-readout``
  text have both changed; then ``img.decode()`` on the new src; the press ends when that resolves
  (the new image is loaded and decoded, ready to paint) and the img still shows that src;
* a wrapper around the page's ``WebSocket`` (installed before Lab loads) timestamps the kernel
  messages of the press: the slider update sent, the kernel's ``status: busy``/``idle`` for it and
  the message carrying the new image (with its size), which splits the time into front end,
  kernel and browser rendering.

In the same run a naive baseline is measured: a throwaway notebook, written to the server's
temporary root (never into the repository), shows each measured explorer's figure through
``ipywidgets.interactive`` with a new inline matplotlib figure per change (``plt.figure``,
``explorer.build``, ``explorer.draw``, ``plt.show()``), driven by the same key presses, timed until
the new output image is decoded. The server serves a temporary folder holding copies of the
notebooks plus the naive one, so nothing in the repository is touched.

Prints Markdown tables. Usage::

    .venv/bin/python benchmarks/browser_latency.py                      # every notebook
    .venv/bin/python benchmarks/browser_latency.py 01_cluster_sizes      # one notebook
    .venv/bin/python benchmarks/browser_latency.py --presses 40 --json out.json
    .venv/bin/python benchmarks/browser_latency.py --tcp-nodelay   # diagnostic, see NODELAY_CONFIG

Each press waits until the kernel is idle and has sent nothing for a while, so presses measure
single changes (a learner's step), not a held-down key. Explorers with none of those controls
are listed as not measured. Exit status: 0, or 2 when a notebook
could not be run (its error is printed), or 1 with ``--strict`` when an explorer misses the target.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tests.browser.lab import (  # noqa: E402 (needs the repository on sys.path)
    LabError,
    LabNotebook,
    P,
    launch_chromium,
    missing_browser_tools,
    start_lab_server,
    stop_lab_server,
)

NOTEBOOKS = REPO / "notebooks"
NAIVE_NOTEBOOK = "zz_naive_interactive.ipynb"
TARGET_MS = 100.0
PRESS_TIMEOUT_MS = 10_000
QUIET_MS = 150  # kernel idle and no kernel message for this long before each press
QUIET_TIMEOUT_MS = 15_000
V1_PROTOCOL = "v1.kernel.websocket.jupyter.org"

# --------------------------------------------------------------------------------------------------
# In-page instrumentation
# --------------------------------------------------------------------------------------------------

# Installed before any page script runs: wraps WebSocket so the kernel channel messages of a press
# are timestamped as they cross the page boundary (our listener is added before Lab's onmessage).
JS_INIT = r"""
(() => {
  if (window.__mmWs) return;
  const Orig = window.WebSocket;
  const dec = new TextDecoder('utf-8');
  const log = window.__mmWs = {
    enabled: false, events: [], lastStatus: null, lastT: 0, protocol: null,
    quiet(ms) { return this.lastStatus === 'idle' && performance.now() - this.lastT >= ms; },
  };
  function parse(data, protocol) {
    if (typeof data === 'string') {  // legacy JSON protocol
      const m = JSON.parse(data);
      const h = m.header || {}, p = m.parent_header || {};
      return {ch: m.channel, type: h.msg_type, id: h.msg_id, parent: p.msg_id,
              content: m.content, bytes: data.length, nbuf: (m.buffers || []).length};
    }
    const buf = data instanceof ArrayBuffer ? data : data.buffer;
    if (protocol !== 'v1.kernel.websocket.jupyter.org') return {bytes: buf.byteLength};
    const dv = new DataView(buf);
    const n = Number(dv.getBigUint64(0, true));
    const off = [];
    for (let i = 0; i < n; i++) off.push(Number(dv.getBigUint64(8 * (i + 1), true)));
    const part = (i) => dec.decode(new Uint8Array(buf, off[i], off[i + 1] - off[i]));
    const header = JSON.parse(part(1));
    const ptext = part(2);
    const parent = ptext.length > 2 ? JSON.parse(ptext) : {};
    const type = header.msg_type;
    // status and comm_msg contents are small (widget buffers travel separately); skip the rest
    const content = (type === 'status' || type === 'comm_msg') ? JSON.parse(part(4)) : null;
    return {ch: part(0), type, id: header.msg_id, parent: parent.msg_id, content,
            bytes: buf.byteLength, nbuf: Math.max(0, n - 6)};
  }
  function record(dir, data, protocol) {
    const t = performance.now();
    let m;
    try { m = parse(data, protocol); } catch (e) { return; }
    if (dir === 'in') {
      log.lastT = t;
      if (m.type === 'status' && m.content && m.ch === 'iopub') {
        log.lastStatus = m.content.execution_state;
      }
    }
    if (!log.enabled) return;
    const ev = {t, dir, ch: m.ch, type: m.type, id: m.id, parent: m.parent,
                bytes: m.bytes, nbuf: m.nbuf};
    if (m.type === 'status' && m.content) ev.state = m.content.execution_state;
    if (m.type === 'comm_msg' && m.content && m.content.data) {
      ev.method = m.content.data.method;
      ev.keys = Object.keys(m.content.data.state || {});
    }
    log.events.push(ev);
  }
  class MMWebSocket extends Orig {
    constructor(url, protocols) {
      super(url, protocols);
      this.__mmKernel = String(url).includes('/channels');
      if (this.__mmKernel) {
        this.addEventListener('open', () => { log.protocol = this.protocol; });
        this.addEventListener('message', (ev) => record('in', ev.data, this.protocol));
      }
    }
    send(data) {
      if (this.__mmKernel) record('out', data, this.protocol);
      return super.send(data);
    }
  }
  window.WebSocket = MMWebSocket;

  // Arm one measurement on `root` (an explorer, or a naive interactive); the next keydown
  // anywhere in the page is t0. window.__mmDone resolves with the timings.
  window.__mmArm = (root, mode, timeoutMs) => {
    const explorer = mode === 'explorer';
    const findImg = () => explorer
      ? root.querySelector('img.mm-figure, .mm-figure img')
      : root.querySelector('.widget-output img');
    const readout = () => {
      const ro = root.querySelector('.mm-readout');
      return ro ? (ro.querySelector('.widget-html-content') || ro).innerText : null;
    };
    const img0 = findImg();
    const src0 = img0 ? img0.getAttribute('src') : null;
    const ro0 = explorer ? readout() : null;
    const r = {t0: null, tSrc: null, tSrcLast: null, tLoad: null, tReadout: null, tDone: null,
               tFrame: null, timeout: false,
               srcChanges: 0, naturalWidth: 0, naturalHeight: 0, srcLength: 0, events: []};
    let finished = false, resolveDone, lastSrc = src0, lastImg = img0, decoding = null;
    window.__mmDone = new Promise((res) => { resolveDone = res; });
    log.events = [];
    log.enabled = true;
    // t0: the key press (sliders), the committed choice (dropdowns fire 'input') or the pointer
    // going down (buttons, checkboxes), whichever comes first; the listeners run in the capture
    // phase, before the widget's own handlers.
    const T0_EVENTS = ['keydown', 'input', 'pointerdown'];
    const onKey = () => { if (r.t0 === null) r.t0 = performance.now(); };
    for (const type of T0_EVENTS) window.addEventListener(type, onKey, {capture: true});
    const finish = (t, img) => {
      if (finished) return;
      finished = true;
      r.tDone = t;
      obs.disconnect();
      clearTimeout(timer);
      for (const type of T0_EVENTS) window.removeEventListener(type, onKey, {capture: true});
      root.removeEventListener('load', onLoad, true);
      // the kernel messages keep being logged until __mmTakeEvents (after the kernel is quiet)
      if (img) {
        r.naturalWidth = img.naturalWidth;
        r.naturalHeight = img.naturalHeight;
        r.srcLength = (img.getAttribute('src') || '').length;
      }
      requestAnimationFrame(() => { r.tFrame = performance.now(); resolveDone(r); });
    };
    const check = () => {
      if (finished || r.t0 === null) return;
      const now = performance.now();
      const img = findImg();
      const src = img ? img.getAttribute('src') : null;
      if (img !== lastImg || src !== lastSrc) {
        r.srcChanges += 1;
        r.tSrcLast = now;
        lastImg = img;
        lastSrc = src;
      }
      const srcChanged = !!img && !!src && (img !== img0 || src !== src0);
      if (srcChanged && r.tSrc === null) r.tSrc = now;
      if (explorer && r.tReadout === null && readout() !== ro0) r.tReadout = now;
      if (!srcChanged || (explorer && r.tReadout === null)) return;
      if (decoding && decoding.img === img && decoding.src === src) return;
      decoding = {img, src};
      img.decode().then(
        () => {
          if (findImg() === img && img.getAttribute('src') === src) finish(performance.now(), img);
        },
        () => { if (decoding && decoding.img === img && decoding.src === src) decoding = null; },
      );
    };
    const onLoad = (e) => {  // 'load' does not bubble: listen in the capture phase
      if (r.t0 !== null && e.target === findImg()) r.tLoad = performance.now();
    };
    root.addEventListener('load', onLoad, true);
    const obs = new MutationObserver(check);
    obs.observe(root, {subtree: true, childList: true, attributes: true, characterData: true,
                       attributeFilter: ['src']});
    const timer = setTimeout(() => {
      r.timeout = true;
      r.state = {t0: r.t0, tSrc: r.tSrc, tReadout: r.tReadout, srcChanges: r.srcChanges};
      finish(performance.now(), null);
    }, timeoutMs);
    return src0 !== null;
  };
  window.__mmTakeEvents = () => {
    const events = log.events;
    log.enabled = false;
    log.events = [];
    return events;
  };
})();
"""

# attributeFilter limits attribute records to src; character data and child lists (the readout,
# a replaced output img) are still observed.

JS_EXPLORER_INFO = """(el) => {
  const m = [...el.classList].find((c) => c.startsWith('mm-explorer-'));
  const n = [...el.classList].find((c) => c.startsWith('mm-naive-'));
  const h = el.querySelector('.noUi-target:not([disabled]) .noUi-handle');
  return {
    cls: m || n || null,
    name: m ? m.slice('mm-explorer-'.length) : (n ? n.slice('mm-naive-'.length) : null),
    now: h ? Number(h.getAttribute('aria-valuenow')) : null,
    min: h ? Number(h.getAttribute('aria-valuemin')) : null,
    max: h ? Number(h.getAttribute('aria-valuemax')) : null,
  };
}"""

# Diagnostic (--tcp-nodelay): jupyter_server leaves Nagle's algorithm on for the kernel websocket
# (tornado's default), so a small message written behind unacknowledged data can wait for the
# browser's delayed ACK (~40 ms on Linux). This server config file, written to the temporary folder,
# sets TCP_NODELAY on every kernel websocket, to show what that costs.
NODELAY_CONFIG = """\
from jupyter_server.services.kernels.websocket import KernelWebsocketHandler

_open = KernelWebsocketHandler.open


async def _open_nodelay(self, kernel_id):
    self.set_nodelay(True)
    return await _open(self, kernel_id)


KernelWebsocketHandler.open = _open_nodelay
"""

# --------------------------------------------------------------------------------------------------
# The naive baseline notebook
# --------------------------------------------------------------------------------------------------

NAIVE_SETUP = '''\
%matplotlib inline
import ipywidgets as w
import matplotlib.pyplot as plt

from micromet.widgets import EXPLORERS


def naive(name):
    """EXPLORERS[name]'s figure the naive way: interactive, a new inline figure on every change."""
    twin = EXPLORERS[name]()
    for control in twin.controls.values():  # only the naive redraw reacts to the controls
        control.unobserve(twin._on_change, names="value")

    def redraw(**values):
        fig = plt.figure(figsize=twin.figsize)
        twin.build(fig)
        twin.draw(**values)
        plt.show()

    demo = w.interactive(redraw, **twin.controls)
    demo.add_class("mm-naive")
    demo.add_class(f"mm-naive-{name}")
    return demo
'''


def write_naive_notebook(path: Path, names: list[str]) -> None:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell(
            "# Naive baseline (generated by benchmarks/browser_latency.py; throwaway)"
        ),
        nbformat.v4.new_code_cell(NAIVE_SETUP),
        *[nbformat.v4.new_code_cell(f'naive("{name}")') for name in names],
    ]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, str(path))


def explorer_names_in(notebook: Path) -> list[str]:
    """Names used as EXPLORERS["name"] in a notebook's code cells, in order of appearance."""
    nb = json.loads(notebook.read_text())
    names: list[str] = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        source = "".join(cell.get("source", []))
        for name in re.findall(r"EXPLORERS\[\s*[\"'](\w+)[\"']\s*\]", source):
            if name not in names:
                names.append(name)
    return names


# --------------------------------------------------------------------------------------------------
# Measuring
# --------------------------------------------------------------------------------------------------


@dataclass
class Series:
    notebook: str
    index: int
    css_class: str
    name: str
    control: str = ""  # what was pressed: "slider" (the first), or "dropdown" when none
    presses: list[dict] = field(default_factory=list)
    warmup: list[dict] = field(default_factory=list)
    note: str = ""

    @property
    def totals(self) -> list[float]:
        return [p["total"] for p in self.presses if not p["timeout"]]

    @property
    def timeouts(self) -> int:
        return sum(1 for p in self.presses if p["timeout"])


def _analyse(r: dict, events: list[dict], mode: str) -> dict:
    """Per-press timings in ms from t0, from the page's record `r` and the kernel messages."""
    t0 = r.get("t0")
    out = {"timeout": bool(r.get("timeout")) or t0 is None}
    if out["timeout"]:
        out["state"] = r.get("state")
        return out
    rel = lambda t: None if t is None else t - t0  # noqa: E731
    out.update(
        total=rel(r["tDone"]),
        src=rel(r["tSrc"]),
        src_last=rel(r["tSrcLast"]),
        load=rel(r["tLoad"]),
        readout=rel(r["tReadout"]),
        frame=rel(r["tFrame"]),
        src_changes=r["srcChanges"],
        px=(r["naturalWidth"], r["naturalHeight"]),
    )
    sent = next(
        (e for e in events if e["dir"] == "out" and e.get("type") == "comm_msg" and e["t"] >= t0),
        None,
    )
    if sent is None:
        return out
    out["send"] = rel(sent["t"])
    mine = [e for e in events if e["dir"] == "in" and e.get("parent") == sent["id"]]
    busy = next((e for e in mine if e.get("state") == "busy"), None)
    idle = next((e for e in mine if e.get("state") == "idle"), None)
    if mode == "explorer":
        image = [e for e in mine if e.get("type") == "comm_msg" and e.get("nbuf", 0) > 0]
    else:
        image = [e for e in mine if e.get("type") == "display_data"]
    out["busy"] = rel(busy["t"]) if busy else None
    out["idle"] = rel(idle["t"]) if idle else None
    out["image_msg"] = rel(image[-1]["t"]) if image else None
    out["image_bytes"] = max((e["bytes"] for e in image), default=None)
    out["in_msgs"] = len(mine)
    out["in_bytes"] = sum(e["bytes"] for e in mine)
    return out


class BenchNotebook(LabNotebook):
    """A LabNotebook whose page carries the WebSocket and measuring instrumentation."""

    def __init__(self, server, browser, notebook: Path):
        super().__init__(server, browser, notebook)
        self.page.add_init_script(JS_INIT)

    def wait_quiet(self) -> None:
        try:
            self.page.wait_for_function(
                "q => window.__mmWs && window.__mmWs.quiet(q)",
                arg=QUIET_MS,
                polling=10,
                timeout=QUIET_TIMEOUT_MS,
            )
        except Exception:
            self.fail(f"the kernel did not go quiet (idle, {QUIET_MS} ms without messages)")

    def _control(self, root, info: dict, series: Series):
        """The element to focus and the two alternating steps (callables); (None, None) if none."""
        handles = root.locator(".noUi-target:not([disabled]) .noUi-handle")
        if handles.count():
            series.control = "slider"
            keys = ["ArrowRight", "ArrowLeft"]
            if info["now"] is not None and info["max"] is not None and info["now"] >= info["max"]:
                keys.reverse()  # at its maximum: go down first
            return handles.first, [lambda key=key: self.page.keyboard.press(key) for key in keys]
        # No slider (an explorer driven by choices): its first dropdown, switched between the
        # current option and the next one (headless Chromium's arrow keys do not change a closed
        # <select>, so the choice is made as a mouse user's would be: select, input, change).
        selects = root.locator(".widget-dropdown select:not([disabled])")
        if selects.count() and selects.first.locator("option").count() >= 2:
            select = selects.first
            series.control = "dropdown"
            now, n = select.evaluate("s => [s.selectedIndex, s.options.length]")
            other = now + 1 if now + 1 < n else now - 1
            return select, [lambda i=i: select.select_option(index=i) for i in (other, now)]
        # Neither: toggle buttons (another button, then the active one again) or a checkbox.
        buttons = root.locator(".widget-toggle-buttons button:not([disabled])")
        active = root.locator(".widget-toggle-buttons button.mod-active")
        if buttons.count() >= 2 and active.count():
            series.control = "toggle buttons"
            index = buttons.evaluate_all(
                "bs => bs.findIndex((b) => b.classList.contains('mod-active'))"
            )
            other = buttons.nth(1 if index == 0 else 0)
            back = buttons.nth(max(index, 0))
            return other, [other.click, back.click]
        boxes = root.locator("input[type=checkbox]:not([disabled])")
        if boxes.count():
            series.control = "checkbox"
            return boxes.first, [boxes.first.click, boxes.first.click]
        series.note = "no enabled slider, dropdown, toggle buttons or checkbox: not measured"
        return None, None

    def measure(self, root_selector: str, mode: str, presses: int, warmup: int) -> list[Series]:
        roots = self.page.locator(f"{P} {root_selector}")
        found = []
        for i in range(roots.count()):
            root = roots.nth(i)
            info = root.evaluate(JS_EXPLORER_INFO)
            series = Series(self.name, i, info["cls"] or "?", info["name"] or "?")
            found.append(series)
            target, steps = self._control(root, info, series)
            if target is None:
                continue
            root.scroll_into_view_if_needed()
            target.scroll_into_view_if_needed()
            element = root.element_handle()
            for k in range(warmup + presses):
                self.wait_quiet()
                target.focus()
                armed = self.page.evaluate(
                    "([el, mode, ms]) => window.__mmArm(el, mode, ms)",
                    [element, mode, PRESS_TIMEOUT_MS],
                )
                if not armed:
                    self.fail(f"{series.css_class} #{i}: no figure image to watch")
                steps[k % 2]()
                record = self.page.evaluate("() => window.__mmDone")
                self.wait_quiet()  # the press's last kernel messages (status: idle) are in
                events = self.page.evaluate("() => window.__mmTakeEvents()")
                result = _analyse(record, events, mode)
                (series.warmup if k < warmup else series.presses).append(result)
                if k == warmup - 1 and all(r["timeout"] for r in series.warmup):
                    series.note = "every warm-up press timed out (no new figure): stopped"
                    break
            self._check_errors(f"after pressing keys on {series.css_class} #{i}")
        return found


JS_LOG_CONSOLE_KINDS = """() => [...document.querySelectorAll(
  '.jp-LogConsolePanel .jp-OutputArea-output')].map((o) => o.getAttribute('data-mime-type'))"""


def run_notebook(
    server, browser, path: Path, selector: str, mode: str, args, warnings: list[str]
) -> list[Series]:
    """Open, Run All and measure one notebook. Output that went to Lab's Log Console (outside any
    cell) is reported as a warning, not a failure: the presses were measured all the same."""
    nb = BenchNotebook(server, browser, path)
    try:
        nb.open()
        nb.wait_kernel_ready()
        nb.dismiss_news_toast()
        nb.run_all()
        if not nb.page.evaluate("() => !!window.__mmWs && !!window.__mmArm"):
            nb.fail("the in-page instrumentation was not installed")
        series = nb.measure(selector, mode, args.presses, args.warmup)
        log = nb.log_console_text()
        if log:
            kinds = nb.page.evaluate(JS_LOG_CONSOLE_KINDS)
            warnings.append(
                f"{path.name}: output outside any cell went to the Log Console "
                f"(MIME types {kinds}): {log.strip()}"
            )
        protocol = nb.page.evaluate("() => window.__mmWs.protocol")
        if protocol != V1_PROTOCOL:
            for s in series:
                s.note = (s.note + "; " if s.note else "") + f"websocket protocol {protocol!r}"
        return series
    finally:
        nb.close()


# --------------------------------------------------------------------------------------------------
# Reporting
# --------------------------------------------------------------------------------------------------


def _pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _med(values) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def _ms(v: float | None) -> str:
    return "n/a" if v is None else f"{v:.0f}"


def _kib(v: float | None) -> str:
    return "n/a" if v is None else f"{v / 1024:.1f}"


def _work(p: dict) -> float | None:
    busy, idle = p.get("busy"), p.get("idle")
    return None if busy is None or idle is None else idle - busy


def meets(s: Series, target: float) -> bool:
    return bool(s.totals) and not s.timeouts and _med(s.totals) <= target


def latency_table(all_series: list[Series], target: float) -> str:
    rows = [
        "| notebook | # | explorer (CSS class) | control | presses | median ms | p95 ms | max ms "
        f"| median ≤ {target:g} ms? |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for s in all_series:
        t = s.totals
        head = f"| {s.notebook} | {s.index} | `{s.css_class}` | {s.control or '-'} "
        if not t:
            why = s.note or f"{s.timeouts} presses timed out"
            rows.append(head + f"| 0 | - | - | - | **no** ({why}) |")
            continue
        verdict = "yes" if meets(s, target) else "**no**"
        if s.timeouts:
            verdict += f" ({s.timeouts} presses timed out)"
        rows.append(
            head + f"| {len(t)} | {_med(t):.0f} | {_pct(t, 0.95):.0f} | {max(t):.0f} | {verdict} |"
        )
    return "\n".join(rows)


BREAKDOWN_KEYS = (
    "send", "busy", "image_msg", "src", "src_last", "load", "readout", "total", "frame", "idle"
)  # fmt: skip
BREAKDOWN_HEAD = (
    "| notebook | # | explorer | msg sent | kernel busy | image msg in | img src set "
    "| last src set | img load event | readout | **decoded (end)** | next frame | kernel idle "
    "| kernel work | image msg KiB | img loads | image px |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
)


def breakdown_table(all_series: list[Series]) -> str:
    rows = [BREAKDOWN_HEAD]
    for s in all_series:
        ok = [p for p in s.presses if not p["timeout"]]
        if not ok:
            continue
        cells = [_ms(_med([p.get(k) for p in ok])) for k in BREAKDOWN_KEYS]
        cells.append(_ms(_med([_work(p) for p in ok])))
        cells.append(_kib(_med([p.get("image_bytes") for p in ok])))
        cells.append(f"{_med([p['src_changes'] for p in ok]):g}")
        cells.append("{}×{}".format(*ok[-1]["px"]))
        rows.append(f"| {s.notebook} | {s.index} | {s.name} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def naive_table(naive: list[Series], in_place: list[Series]) -> str:
    rows = [
        "| explorer | presses | naive median ms | naive p95 ms | naive max ms "
        "| in place median ms (all its instances) | naive / in place |",
        "|---|---|---|---|---|---|---|",
    ]
    for s in naive:
        t = s.totals
        fast = [x for f in in_place if f.name == s.name for x in f.totals]
        if not t:
            rows.append(f"| {s.name} | 0 | - | - | - | - | ({s.note or 'timed out'}) |")
            continue
        med, fast_med = _med(t), _med(fast)
        ratio = f"{med / fast_med:.1f}x" if fast_med else "n/a"
        rows.append(
            f"| {s.name} | {len(t)} | {med:.0f} | {_pct(t, 0.95):.0f} | {max(t):.0f} "
            f"| {_ms(fast_med)} | {ratio} |"
        )
    return "\n".join(rows)


# --------------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------------


def _select_notebooks(names: list[str]) -> list[Path]:
    available = sorted(NOTEBOOKS.glob("*.ipynb"))
    if not names:
        return available
    chosen = []
    for name in names:
        stem = Path(name).name.removesuffix(".ipynb")
        match = [p for p in available if p.stem == stem]
        if not match:
            sys.exit(f"no notebook {name!r} in {NOTEBOOKS} (have: {[p.name for p in available]})")
        chosen.append(match[0])
    return chosen


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("notebooks", nargs="*", help="notebook names (default: every notebook)")
    parser.add_argument("--presses", type=int, default=20, help="timed presses (default 20)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed presses first (default 3)")
    parser.add_argument("--target-ms", type=float, default=TARGET_MS, help="median target")
    parser.add_argument("--no-naive", action="store_true", help="skip the naive baseline")
    parser.add_argument("--json", type=Path, help="also write every press's timings here")
    parser.add_argument(
        "--tcp-nodelay",
        action="store_true",
        help="diagnostic: make the server set TCP_NODELAY on kernel websockets (Nagle off)",
    )
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 if an explorer misses the target"
    )
    args = parser.parse_args()
    if args.presses < 1 or args.warmup < 0:
        parser.error("--presses must be >= 1 and --warmup >= 0")

    missing = missing_browser_tools()
    if missing:
        sys.exit("cannot run: " + "; ".join(missing))
    notebooks = _select_notebooks(args.notebooks)
    if not notebooks:
        sys.exit(f"no notebooks in {NOTEBOOKS}")

    from playwright.sync_api import sync_playwright

    started = time.monotonic()
    load_before = os.getloadavg()
    phases: dict[str, float] = {}
    in_place: list[Series] = []
    naive: list[Series] = []
    errors: list[str] = []
    warnings: list[str] = []
    versions = {}
    with tempfile.TemporaryDirectory(prefix="mm-browser-bench-") as tmp:
        tmp = Path(tmp)
        root = tmp / "root"
        shutil.copytree(NOTEBOOKS, root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        names: list[str] = []
        for path in notebooks:
            names += [n for n in explorer_names_in(path) if n not in names]
        if not args.no_naive and names:
            write_naive_notebook(root / NAIVE_NOTEBOOK, names)
        (tmp / "home").mkdir()

        extra_args = []
        if args.tcp_nodelay:
            (tmp / "nodelay_config.py").write_text(NODELAY_CONFIG)
            extra_args.append(f"--config={tmp / 'nodelay_config.py'}")
        t = time.monotonic()
        try:
            server = start_lab_server(root, tmp / "home", extra_args)
        except LabError as exc:
            sys.exit(f"JupyterLab did not start: {exc}")
        phases["server start"] = time.monotonic() - t
        try:
            with sync_playwright() as p:
                t = time.monotonic()
                browser = launch_chromium(p, tmp / "chromium")
                versions["chromium"] = browser.version
                phases["chromium launch"] = time.monotonic() - t
                try:
                    for path in notebooks:
                        t = time.monotonic()
                        try:
                            in_place += run_notebook(
                                server,
                                browser,
                                root / path.name,
                                ".mm-explorer",
                                "explorer",
                                args,
                                warnings,
                            )
                        except LabError as exc:
                            errors.append(str(exc))
                        phases[path.name] = time.monotonic() - t
                    if not args.no_naive and names:
                        t = time.monotonic()
                        try:
                            naive = run_notebook(
                                server,
                                browser,
                                root / NAIVE_NOTEBOOK,
                                ".mm-naive",
                                "naive",
                                args,
                                warnings,
                            )
                        except LabError as exc:
                            errors.append(str(exc))
                        phases["naive baseline"] = time.monotonic() - t
                finally:
                    browser.close()
        finally:
            stop_lab_server(server)
    phases["total"] = time.monotonic() - started
    load = f"load average (1 min) {load_before[0]:.2f} before, {os.getloadavg()[0]:.2f} after, "
    load += f"{os.cpu_count()} CPUs"

    import ipywidgets
    import jupyterlab
    import matplotlib

    versions.update(
        jupyterlab=jupyterlab.__version__,
        ipywidgets=ipywidgets.__version__,
        matplotlib=matplotlib.__version__,
    )
    print("## Explorer latency in Chromium: key press -> new image decoded and readout changed\n")
    print(
        f"{args.presses} timed presses per explorer after {args.warmup} warm-ups; "
        f"ArrowRight/ArrowLeft alternating on the first slider; kernel quiet {QUIET_MS} ms "
        f"before each press. "
        + ", ".join(f"{k} {v}" for k, v in versions.items())
        + (". Server patched: TCP_NODELAY on kernel websockets" if args.tcp_nodelay else "")
        + f"; {load}.\n"
    )
    print(latency_table(in_place, args.target_ms))
    print(
        "\n### Where the time goes (medians, ms after the key press)\n\n"
        "msg sent: the front end sends the new value to the kernel; kernel busy / kernel idle: "
        "the kernel's status messages for it arrive in the page; image msg in: the message "
        "carrying the new image arrives; img src set / last src set: the img gets its first / "
        "last new src; img load event: the load event of the final src; readout: its text "
        "changed; decoded: img.decode() of the final src resolved, the end of the measurement; "
        "next frame: the animation frame after that; kernel work: idle - busy; img loads: src "
        "changes per press (each one is a new image load and decode).\n"
    )
    print(breakdown_table(in_place))
    if naive:
        print("\n### Naive baseline: `interactive`, a new inline figure per change\n")
        print("Timed until the new output image is decoded (it has no readout to wait for).\n")
        print(naive_table(naive, in_place))
        print("\n" + breakdown_table(naive))
    for s in in_place + naive:
        if s.note:
            print(f"\nnote: {s.notebook} #{s.index} {s.css_class}: {s.note}")
    for w in warnings:
        print(f"\nwarning: {w}")
    measured = [s for s in in_place if s.presses]
    missed = [s for s in measured if not meets(s, args.target_ms)]
    print(
        f"\nTarget: median ≤ {args.target_ms:g} ms end to end. "
        + (
            f"Every measured explorer ({len(measured)} of {len(in_place)}) meets it."
            if not missed
            else "Over target: " + ", ".join(f"{s.notebook} #{s.index} {s.name}" for s in missed)
        )
    )
    print("\nRun time (s): " + ", ".join(f"{k} {v:.1f}" for k, v in phases.items()))

    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "versions": versions,
                    "phases": phases,
                    "in_place": [s.__dict__ for s in in_place],
                    "naive": [s.__dict__ for s in naive],
                    "errors": errors,
                    "warnings": warnings,
                },
                indent=1,
            )
        )
    if errors:
        print("\n### Errors\n")
        for e in errors:
            print(e)
        return 2
    return 1 if (missed and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main())
