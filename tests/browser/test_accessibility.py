"""Accessibility of the explorers in a real Chromium: keyboard alone, dark theme, text contrast.

Three checks (issue 7), each one test per ``notebooks/*.ipynb`` (found at collection time by
``pytest_generate_tests`` in conftest.py); every widget box is an ``.mm-explorer`` (or the staging
practice, ``.mm-practice``, and every quiz, ``.mm-quiz``, for the keyboard and contrast checks):

1. ``test_keyboard_alone`` (Voilà app, light theme; no notebook shortcuts in the way): starting
   from the top of the page and pressing only Tab, focus reaches every enabled, visible, tabbable
   control inside every widget box (slider handles and their editable readouts, dropdowns,
   checkboxes, toggle buttons, buttons, text inputs); each one shows a visible focus indicator
   when it gets focus (an outline or box-shadow, or a border colour that differs from its unfocused
   state); while focus is on the chosen control of each explorer (its first slider, else a dropdown,
   a checkbox, a toggle button), one key (End/Home, ArrowDown/ArrowUp, Space) changes both the
   figure (``img`` src) and the text result (``.mm-readout``), and focus stays on the control;
   Shift+Tab from the bottom of the page reaches the same controls in the reverse order.
2. ``test_dark_theme_figures`` (JupyterLab with the "JupyterLab Dark" theme from the user
   settings; one Lab page: the first notebook opens the others in background tabs, so their
   kernels start early): Run All; then an element screenshot of every explorer's figure (saved
   to tests/browser/screenshots/dark-<stem>-<i>.png) must have a light, dominant background (so
   the PNG is opaque: a transparent figure would show Lab's dark page) and ink contrasting with
   it at WCAG >= 4.5:1 (the contrast reached by the 0.2 % of pixels furthest from the
   background); then the widget text contrast (3.) in the dark theme.
3. ``test_text_contrast_light`` (the Voilà app, light theme) and, inside 2., the dark theme: every
   visible text inside every widget box (labels, readouts, HTML text, buttons, the dropdown's
   shown value) has a WCAG 2.1 contrast ratio of at least 4.5:1 (3:1 for large text: >= 24 px,
   or >= 18.66 px bold) between its computed colour and the background really behind it (the
   ancestors' background colours and opacities composited over the white canvas). Text of
   disabled controls is exempt (WCAG 1.4.3) and skipped explicitly.

One Voilà server and one JupyterLab server (dark) for this module, started together; the Voilà
pages are all requested before the first (dark) test, so their kernels run while JupyterLab is
driven, and each page is checked when its tests come. The focus ring that 1. requires is the
package's own (``micromet.focus.FOCUS_CSS``): ipywidgets 8 marks focus on a slider
handle or a dropdown only by a faint border colour change. Skipped with the reason if Chromium,
playwright or voila is missing (the dark test needs no voila); a failure when CI is set.
"""

from __future__ import annotations

import io
import re
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.browser.conftest import NOTEBOOK_DIR, require_browser_tools
from tests.browser.lab import (
    JS_CURRENT_PATH,
    LabError,
    LabNotebook,
    P,
    poll,
    start_lab_server,
    stop_lab_server,
)
from tests.browser.test_voila_apps import (
    JS_EXPLORER_STATE,
    VoilaApp,
    _require_voila_tools,
)
from tests.browser.voila import (
    VoilaError,
    start_voila_server,
    stop_voila_server,
    voila_missing,
)

pytestmark = pytest.mark.browser

BOXES = ".mm-explorer, .mm-practice, .mm-quiz"
DARK_THEME = "JupyterLab Dark"
PAGE_TIMEOUT_S = 90.0  # every Voilà page requested at once: their kernels share the cores
CHANGE_TIMEOUT_S = 10.0
MIN_CONTRAST = 4.5
MIN_CONTRAST_LARGE = 3.0
MIN_FIGURE_BG_LUMINANCE = 0.5  # WCAG relative luminance; white is 1, Lab Dark's page ~0.006
MIN_FIGURE_BG_SHARE = 0.25
INK_QUANTILE = 0.998  # "ink": the contrast reached by the 0.2 % of pixels furthest from the bg

# --------------------------------------------------------------------------------------------------
# JavaScript (inspection, plus data-a11y* marker attributes on the controls and boxes)
# --------------------------------------------------------------------------------------------------

# Tabbable elements (what sequential focus navigation can reach) and how to describe them.
JS_COMMON = r"""
const TABBABLE = 'input:not([type=hidden]), select, textarea, button, a[href], [tabindex], ' +
                 '[contenteditable=""], [contenteditable="true"]';
const visible = (e) => {
  if (!e.getClientRects().length) return false;
  const cs = getComputedStyle(e);
  return cs.visibility !== 'hidden' && cs.display !== 'none';
};
const disabled = (e) =>
  !!(e.disabled || e.closest('[disabled], .mod-disabled, [aria-disabled="true"]'));
// An editing host (the sliders' editable readouts) is in the Tab order although its tabIndex
// property reads -1 in Chromium when it has no tabindex attribute.
const inTabOrder = (e) =>
  e.tabIndex >= 0 || (e.isContentEditable && !e.hasAttribute('tabindex') &&
                      e.getAttribute('contenteditable') !== null);
const tabbable = (e) => inTabOrder(e) && visible(e) && !disabled(e);
const kindOf = (e) => {
  if (e.classList.contains('noUi-handle')) return 'slider';
  if (e.matches('.widget-readout')) return 'readout';
  if (e.tagName === 'SELECT') return 'dropdown';
  if (e.matches('input[type=checkbox]')) return 'checkbox';
  if (e.matches('input[type=radio]')) return 'radio';
  if (e.matches('.widget-toggle-buttons button')) return 'toggle';
  if (e.tagName === 'BUTTON') return 'button';
  if (e.matches('input, textarea')) return 'text';
  return e.tagName.toLowerCase();
};
const describe = (e) => {
  const w = e.closest(
    '.widget-inline-hbox, .widget-inline-vbox, .widget-checkbox, .jupyter-widgets');
  const label = w && w.querySelector('.widget-label, label');
  const own = e.tagName === 'BUTTON' ? e.innerText.trim() : '';
  const wrapping = e.closest('label');  // a radio button's option text labels it
  const name = own || (wrapping && wrapping.innerText) || e.getAttribute('aria-label') ||
    (label && label.innerText) || e.getAttribute('placeholder') || '';
  return `${kindOf(e)} '${name.trim()}'`;
};
const parse = (c) => {
  const m = /^rgba?\(([^)]*)\)$/.exec(c.trim());
  if (!m) return null;
  const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(parseFloat);
  return [p[0] / 255, p[1] / 255, p[2] / 255, p.length > 3 ? p[3] : 1];
};
const over = (top, under) => {  // source-over of an RGBA colour on an opaque RGB colour
  const a = top[3];
  return [0, 1, 2].map((k) => top[k] * a + under[k] * (1 - a));
};
const mix = (a, b, t) => [0, 1, 2].map((k) => a[k] * t + b[k] * (1 - t));
const lin = (c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
const lum = (c) => 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2]);
const ratio = (a, b) => {
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
};
const hex = (c) => '#' + c.map((v) => Math.round(v * 255).toString(16).padStart(2, '0')).join('');
const problems = [];  // what the colour maths cannot judge
// The pixel colour of a point inside chain[-1] (`text` over it if given): every
// ancestor's background composited from the canvas (white) down, each ancestor's opacity
// applied as a group (for normal blending: o * content + (1 - o) * what is behind).
const render = (chain, i, under, text) => {
  if (i === chain.length) return text ? over(text, under) : under;
  const cs = getComputedStyle(chain[i]);
  // A no-repeat url() image is an icon (the dropdown's arrow), not a backdrop for text.
  const img = cs.backgroundImage || 'none';
  if (img !== 'none' && (img.includes('gradient(') || !/^no-repeat/.test(cs.backgroundRepeat)))
    problems.push(`background-image on ${chain[i].tagName}.${chain[i].className}`);
  const bg = parse(cs.backgroundColor) || [0, 0, 0, 0];
  const o = parseFloat(cs.opacity);
  const content = render(chain, i + 1, over(bg, under), text);
  return mix(content, under, o);
};
// The colour behind element `el` (`withSelf`: its own background included).
const behind = (el, withSelf) => {
  const chain = [];
  for (let a = withSelf ? el : el.parentElement; a; a = a.parentElement) chain.unshift(a);
  return render(chain, 0, [1, 1, 1], null);
};
const focusStyle = (e) => {
  const cs = getComputedStyle(e);
  const ring = parse(cs.outlineColor);
  const back = behind(e, false);
  return {outlineStyle: cs.outlineStyle, outlineWidth: cs.outlineWidth,
          outlineColor: cs.outlineColor, boxShadow: cs.boxShadow,
          borderColor: cs.borderTopColor + ' ' + cs.borderBottomColor,
          outlineContrast: ring ? ratio(over(ring, back), back) : null, behind: hex(back)};
};
let keyCounter = window.__a11yKeys || 0;
const keyOf = (e) => {
  if (!e.dataset.a11yKey) { keyCounter += 1; e.dataset.a11yKey = `k${keyCounter}`; }
  window.__a11yKeys = keyCounter;
  return e.dataset.a11yKey;
};
"""

# Mark every box and every tabbable control in it; return them with their unfocused style.
JS_MARK = (
    "(boxSel) => {"
    + JS_COMMON
    + r"""
  const boxes = [...document.querySelectorAll(boxSel)];
  const out = [];
  boxes.forEach((box, i) => {
    box.dataset.a11yBox = String(i);
    const controls = [...box.querySelectorAll(TABBABLE)].filter(tabbable).map((e, k) => {
      e.dataset.a11y = `${i}.${k}`;
      const c = {id: e.dataset.a11y, kind: kindOf(e), desc: describe(e), style: focusStyle(e)};
      const aria = (name) => e.getAttribute(name);
      if (c.kind === 'slider') c.atMax = aria('aria-valuenow') === aria('aria-valuemax');
      if (c.kind === 'dropdown') c.last = e.selectedIndex >= e.options.length - 1;
      if (c.kind === 'toggle') c.active = e.classList.contains('mod-active');
      return c;
    });
    out.push({box: i, explorer: box.classList.contains('mm-explorer'),
              cls: [...box.classList].filter((c) => c.startsWith('mm-')).join(' '), controls});
  });
  const everything = [...document.querySelectorAll(TABBABLE)].filter(tabbable);
  everything.forEach(keyOf);
  const all = everything.length;
  // Start and end points for sequential focus navigation (focusable, not tabbable).
  for (const [id, first] of [['a11y-start', true], ['a11y-end', false]]) {
    if (document.getElementById(id)) continue;
    const s = document.createElement('span');
    s.id = id; s.tabIndex = -1;
    if (first) document.body.prepend(s); else document.body.append(s);
  }
  return {boxes: out, tabbableInDocument: all};
}"""
)

JS_ACTIVE = (
    "() => {"
    + JS_COMMON
    + r"""
  const e = document.activeElement;
  if (!e || e === document.body || e === document.documentElement) return {none: true};
  if (e.id === 'a11y-start' || e.id === 'a11y-end') return {none: true};
  const box = e.closest('[data-a11y-box]');
  return {none: false, id: e.dataset.a11y || null, box: box ? Number(box.dataset.a11yBox) : null,
          desc: describe(e), key: keyOf(e),
          style: focusStyle(e)};
}"""
)

JS_BOX_STATE = (
    '(i) => { const el = document.querySelector(`[data-a11y-box="${i}"]`);'
    " return el ? (" + JS_EXPLORER_STATE + ")(el) : null; }"
)

# WCAG 2.1 contrast of every visible text inside the boxes against what is really behind it.
JS_CONTRAST = (
    "(boxSel) => {"
    + JS_COMMON
    + r"""
  const results = [];
  document.querySelectorAll(boxSel).forEach((box, b) => {
    const els = new Set();
    const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode())
      if (n.textContent.trim() && n.parentElement) els.add(n.parentElement);
    box.querySelectorAll('select, input[type=text], input[type=number], textarea').forEach(
      (e) => { if ((e.value || '').trim()) els.add(e); });
    for (const el of els) {
      if (el.closest('option, script, style') && el.tagName !== 'SELECT') continue;
      if (!visible(el)) continue;
      const r = el.getBoundingClientRect();
      if (r.width < 1 || r.height < 1) continue;
      const text = (el.tagName === 'SELECT' ? el.options[el.selectedIndex]?.text
                    : el.matches('input, textarea') ? el.value : el.innerText) || '';
      if (!text.trim()) continue;
      const base = {box: b, tag: el.tagName.toLowerCase(), cls: String(el.className).slice(0, 60),
                    text: text.trim().replace(/\s+/g, ' ').slice(0, 50)};
      if (disabled(el)) { results.push({...base, skipped: 'disabled'}); continue; }
      const cs = getComputedStyle(el);
      const colour = parse(cs.color);
      if (!colour) { results.push({...base, unparsed: cs.color}); continue; }
      const chain = [];
      for (let a = el; a; a = a.parentElement) chain.unshift(a);
      const white = [1, 1, 1];
      const fg = render(chain, 0, white, colour);
      const bgc = render(chain, 0, white, null);
      const size = parseFloat(cs.fontSize);
      const bold = parseInt(cs.fontWeight, 10) >= 700;
      const large = size >= 24 || (size >= 18.66 && bold);
      results.push({...base, ratio: ratio(fg, bgc), large, size, bold,
                    fg: hex(fg), bg: hex(bgc), color: cs.color});
    }
  });
  return {results, problems: [...new Set(problems)]};
}"""
)

JS_THEME = """() => ({name: document.body.dataset.jpThemeName || null,
                      light: document.body.dataset.jpThemeLight || null})"""

# --------------------------------------------------------------------------------------------------
# Pure helpers (colour maths for the figure pixels)
# --------------------------------------------------------------------------------------------------


def _relative_luminance(rgb):
    """WCAG 2.1 relative luminance of sRGB values in 0..1 (numpy arrays welcome)."""
    import numpy as np

    rgb = np.asarray(rgb, dtype=float)
    lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return lin[..., 0] * 0.2126 + lin[..., 1] * 0.7152 + lin[..., 2] * 0.0722


def _contrast(l1, l2):
    import numpy as np

    hi, lo = np.maximum(l1, l2), np.minimum(l1, l2)
    return (hi + 0.05) / (lo + 0.05)


def figure_pixels(png: bytes) -> dict:
    """Background (dominant colour), its share and luminance, and the ink contrast of a picture."""
    import numpy as np
    from PIL import Image

    img = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    flat = img.reshape(-1, 3)
    colours, counts = np.unique(flat, axis=0, return_counts=True)
    bg = colours[int(np.argmax(counts))]
    bg_lum = float(_relative_luminance(bg / 255.0))
    contrast = _contrast(_relative_luminance(flat / 255.0), bg_lum)
    return {
        "bg": "#" + "".join(f"{int(v):02x}" for v in bg),
        "bg_share": float(counts.max() / len(flat)),
        "bg_luminance": bg_lum,
        "ink_contrast": float(np.quantile(contrast, INK_QUANTILE)),
        "max_contrast": float(contrast.max()),
        "size": f"{img.shape[1]}x{img.shape[0]}",
    }


MIN_FOCUS_RING_CONTRAST = 3.0  # WCAG 1.4.11: a visual cue needed to identify a state


def focus_indicator(style: dict, baseline: dict) -> tuple[bool, str]:
    """Is focus visible, and how: an outline (Chromium's two-tone 'auto' ring, or one whose colour
    contrasts >= 3:1 with what is behind the control) or a box-shadow that focus added. A mere
    border colour change (ipywidgets' own focus cue for slider handles and dropdowns) is not
    enough: #bdbdbd -> #64b5f6 on a dropdown is a 1.2:1 change."""
    width = float(re.match(r"[\d.]*", style["outlineWidth"]).group() or 0)
    transparent = style["outlineColor"] in ("transparent", "rgba(0, 0, 0, 0)")
    if style["outlineStyle"] != "none" and width > 0 and not transparent:
        what = f"outline {style['outlineStyle']} {style['outlineWidth']} {style['outlineColor']}"
        if style["outlineStyle"] == "auto":
            return True, what
        c = style["outlineContrast"] or 0.0
        ok = c >= MIN_FOCUS_RING_CONTRAST
        return ok, f"{what} ({c:.1f}:1 on {style['behind']})"
    if style["boxShadow"] != "none" and style["boxShadow"] != baseline["boxShadow"]:
        return True, f"box-shadow {style['boxShadow']}"
    if style["borderColor"] != baseline["borderColor"]:
        return (
            False,
            f"only a border colour change {baseline['borderColor']} -> {style['borderColor']}",
        )
    return False, "nothing changes on focus"


def _contrast_failures(results: list[dict]) -> list[dict]:
    return [
        r
        for r in results
        if "ratio" in r and r["ratio"] < (MIN_CONTRAST_LARGE if r["large"] else MIN_CONTRAST)
    ]


def _fmt_contrast(r: dict) -> str:
    need = MIN_CONTRAST_LARGE if r["large"] else MIN_CONTRAST
    return (
        f"box #{r['box']} <{r['tag']} class='{r['cls']}'> {r['text']!r}: {r['ratio']:.2f}:1 < "
        f"{need}:1 (text {r['fg']} on {r['bg']}, css color {r['color']}, {r['size']:.0f}px"
        f"{' bold' if r['bold'] else ''})"
    )


# --------------------------------------------------------------------------------------------------
# Fixtures: one Voilà server with every app requested at once; one JupyterLab (dark) page
# --------------------------------------------------------------------------------------------------


class A11yVoilaApp(VoilaApp):
    """A Voilà app requested without waiting for it (``start``), checked later (``wait_built``)."""

    def start(self) -> None:
        """Navigate without waiting (Voilà answers a page request only once the notebook's
        kernel has started, so a goto per app would start the kernels one after the other)."""
        self.t0 = time.monotonic()
        url = self.server.app_url(self.name)
        self.page.evaluate(
            "(url) => { setTimeout(() => { window.location.href = url; }, 0); }", url
        )

    def wait_built(self) -> None:
        if self.phases.get("page_built"):
            return
        deadline = self.t0 + PAGE_TIMEOUT_S
        url = self.server.app_url(self.name)
        try:  # wait_for_url, not page.url in a loop: only Playwright calls take in its events
            self.page.wait_for_url(url, wait_until="commit", timeout=PAGE_TIMEOUT_S * 1000)
        except Exception as exc:
            self.fail(f"the page never navigated to {url} (at {self.page.url}): {exc}")
        self.wait_until_built(deadline)
        self._check_errors("after it was built")
        self.timed("page_built", self.t0)


@pytest.fixture(scope="module")
def a11y_servers(tmp_path_factory):
    """(Voilà server or None if voila is missing, JupyterLab server with the dark theme),
    started at the same time (each start mostly waits for its server to answer)."""
    require_browser_tools()
    if not NOTEBOOK_DIR.is_dir():
        pytest.fail(f"notebook folder {NOTEBOOK_DIR} does not exist", pytrace=False)
    voila_home = tmp_path_factory.mktemp("a11y-voila-home")
    lab_home = tmp_path_factory.mktemp("a11y-lab-home")
    with ThreadPoolExecutor(max_workers=2) as pool:
        voila = (
            None if voila_missing() else pool.submit(start_voila_server, NOTEBOOK_DIR, voila_home)
        )
        lab = pool.submit(start_lab_server, NOTEBOOK_DIR, lab_home, theme=DARK_THEME)
        started, errors = [], []
        for future in (voila, lab):
            if future is None:
                started.append(None)
                continue
            try:
                started.append(future.result())
            except (VoilaError, LabError) as exc:
                started.append(None)
                errors.append(str(exc))
    try:
        if errors:
            pytest.fail("\n\n".join(errors), pytrace=False)
        yield tuple(started)
    finally:
        if started[0] is not None:
            stop_voila_server(started[0])
        if started[1] is not None:
            stop_lab_server(started[1])


@pytest.fixture(scope="module")
def voila_apps(a11y_servers, chromium):
    """name -> A11yVoilaApp, every notebook requested at once (their kernels run in parallel)."""
    server = a11y_servers[0]
    if server is None:
        pytest.skip("voila is missing")  # _voila_app skips or fails with the reason first
    apps: dict[str, A11yVoilaApp] = {}
    try:
        for nb in sorted(NOTEBOOK_DIR.glob("*.ipynb")):
            app = A11yVoilaApp(server, chromium, nb)
            apps[nb.name] = app
            app.start()
        yield apps
    finally:
        for app in apps.values():
            try:
                app.close()
            except Exception:
                pass


@pytest.fixture(scope="module")
def dark_lab(a11y_servers, chromium, request):
    """The dark-theme JupyterLab server and one page for every notebook of this module.

    The Voilà apps are requested first, so their kernels run while JupyterLab is driven."""
    if a11y_servers[0] is not None:
        request.getfixturevalue("voila_apps")
    context = chromium.new_context(viewport={"width": 1280, "height": 1000})
    context.set_default_timeout(15_000)
    try:
        yield a11y_servers[1], context.new_page()
    finally:
        context.close()


def _voila_app(request, notebook: Path) -> A11yVoilaApp:
    _require_voila_tools(require_browser_tools)
    app = request.getfixturevalue("voila_apps")[notebook.name]
    app.wait_built()
    return app


# --------------------------------------------------------------------------------------------------
# 2. Dark theme (JupyterLab): figures readable, widget text contrast
# --------------------------------------------------------------------------------------------------


# Open notebooks in background tabs (their kernels start meanwhile), or bring one to the front.
JS_OPEN_IN_BACKGROUND = """async (paths) => {
  const app = window.jupyterapp;
  const current = app.shell.currentWidget;
  for (const path of paths)
    await app.commands.execute('docmanager:open',
                               {path, factory: 'Notebook', options: {activate: false}});
  if (current) app.shell.activateById(current.id);
  return true;
}"""

JS_ACTIVATE = """(path) => {
  const app = window.jupyterapp;
  if (!app) return false;
  for (const w of app.shell.widgets('main'))
    if (w.context && w.context.path === path) { app.shell.activateById(w.id); return true; }
  return false;
}"""


class DarkNotebook(LabNotebook):
    """A notebook in the module's one Lab page; the first one opens every other notebook in a
    background tab, so their kernels start while the first notebook is checked."""

    def fail(self, msg: str):
        pytest.fail(f"{self.name} (JupyterLab Dark): {msg}{self.context_info()}", pytrace=False)

    def open(self) -> None:
        t = time.monotonic()
        if self.page.evaluate(JS_ACTIVATE, self.name):
            if not poll(lambda: self.page.evaluate(JS_CURRENT_PATH, P) == self.name, 15.0):
                self.fail("its background tab did not come to the front")
            self.page.wait_for_selector(f"{P} .jp-Notebook .jp-Cell")
            self.timed("open", t)
            return
        super().open()
        others = [nb.name for nb in sorted(NOTEBOOK_DIR.glob("*.ipynb")) if nb.name != self.name]
        self.page.evaluate(JS_OPEN_IN_BACKGROUND, others)
        if self.page.evaluate(JS_CURRENT_PATH, P) != self.name:
            self.fail("opening the other notebooks in background tabs took the front")


def test_dark_theme_figures(notebook, request, screenshot_dir, browser_timings):
    require_browser_tools()
    server, page = request.getfixturevalue("dark_lab")
    started = time.monotonic()
    nb = DarkNotebook(server, None, notebook, page=page)
    notes = nb.notes
    try:
        nb.open()
        theme = page.evaluate(JS_THEME)
        if theme != {"name": DARK_THEME, "light": "false"}:
            nb.fail(f"JupyterLab is not in the dark theme: {theme}")
        nb.wait_kernel_ready()
        nb.dismiss_news_toast()
        nb.run_all()
        t = time.monotonic()
        explorers = page.locator(f"{P} .mm-explorer")
        count = explorers.count()
        figures = []
        for i in range(count):
            box = explorers.nth(i)
            img = box.locator("img.mm-figure, .mm-figure img").first

            def loaded(img=img) -> bool:
                return img.evaluate("i => i.complete && i.naturalWidth > 0")

            if not poll(loaded, CHANGE_TIMEOUT_S):
                nb.fail(f"explorer #{i}: figure never loaded")
            # The figure alone (it fits the viewport; a tall explorer scrolled inside Lab's
            # notebook would be overlapped by Lab's toolbars in an element screenshot).
            img.scroll_into_view_if_needed()
            shot_path = screenshot_dir / f"dark-{notebook.stem}-{i}.png"
            shot = img.screenshot(path=str(shot_path), animations="disabled")
            px = figure_pixels(shot)
            figures.append(px)
            where = f"explorer #{i} figure ({shot_path.name})"
            if px["bg_luminance"] < MIN_FIGURE_BG_LUMINANCE or px["bg_share"] < MIN_FIGURE_BG_SHARE:
                nb.fail(
                    f"{where}: background not light and dominant in the dark theme: {px['bg']} "
                    f"(luminance {px['bg_luminance']:.3f}, {px['bg_share']:.0%} of the pixels)"
                )
            if px["ink_contrast"] < MIN_CONTRAST:
                nb.fail(
                    f"{where}: ink contrast {px['ink_contrast']:.2f}:1 < {MIN_CONTRAST}:1 on "
                    f"{px['bg']} (pixels {px['size']})"
                )
        low, which, n, skipped = _check_contrast(nb.fail, page, "dark theme (JupyterLab)")
        nb._check_errors("after the checks")
        nb.timed("checks", t)
        notes.append(
            f"{count} explorer figure(s): "
            + "; ".join(
                f"#{i} bg {f['bg']} ({f['bg_share']:.0%}, L={f['bg_luminance']:.2f}) ink "
                f"{f['ink_contrast']:.1f}:1"
                for i, f in enumerate(figures)
            )
        )
        notes.append(f"{n} texts, {skipped} disabled skipped, lowest {low:.2f}:1 ({which})")
    finally:
        nb.close()
        nb.phases["total"] = time.monotonic() - started
        browser_timings.append((f"a11y dark {notebook.name}", nb.phases, notes))


# --------------------------------------------------------------------------------------------------
# 1. Keyboard alone (Voilà)
# --------------------------------------------------------------------------------------------------


def _target(box: dict) -> tuple[dict, str] | None:
    """The control of an explorer to change with a key, and the key."""
    controls = box["controls"]
    for kind in ("slider", "dropdown", "checkbox", "toggle"):
        for c in controls:
            if c["kind"] != kind:
                continue
            if kind == "slider":
                return c, ("Home" if c["atMax"] else "End")
            if kind == "dropdown":
                return c, ("ArrowUp" if c["last"] else "ArrowDown")
            if kind == "checkbox":
                return c, "Space"
            if not c["active"]:
                return c, "Space"
    return None


def _walk(app, key: str, limit: int, on_focus=None) -> list[dict]:
    """Press ``key`` until focus leaves the page or wraps; return the focus states in order."""
    page = app.page
    seen: list[dict] = []
    for _ in range(limit):
        page.keyboard.press(key)
        state = page.evaluate(JS_ACTIVE)
        if state["none"] or (seen and state["key"] == seen[0]["key"]):
            return seen
        seen.append(state)
        if on_focus is not None:
            on_focus(state)
    app.fail(f"{key} x {limit}: focus never left the page (a focus trap?); last: {seen[-3:]}")
    return seen


def test_keyboard_alone(notebook, request, browser_timings):
    app = _voila_app(request, notebook)
    page = app.page
    t = time.monotonic()
    marked = page.evaluate(JS_MARK, BOXES)
    boxes = marked["boxes"]
    controls = {c["id"]: (b, c) for b in boxes for c in b["controls"]}
    targets = {b["box"]: _target(b) for b in boxes if b["explorer"]}
    for i, tk in targets.items():
        if tk is None:
            app.fail(f"explorer #{i} ({boxes[i]['cls']}): no slider, dropdown, checkbox or toggle")
    done: dict[int, str] = {}
    no_indicator: list[str] = []
    indicators: dict[str, str] = {}

    def on_focus(state: dict) -> None:
        cid = state["id"]
        if cid not in controls:
            return
        box, control = controls[cid]
        if cid not in indicators:
            ok, how = focus_indicator(state["style"], control["style"])
            indicators[cid] = how
            if not ok:
                no_indicator.append(f"box #{box['box']} {control['desc']}: {how}")
        tk = targets.get(box["box"])
        if not tk or tk[0]["id"] != cid or box["box"] in done:
            return
        before = page.evaluate(JS_BOX_STATE, box["box"])
        page.keyboard.press(tk[1])

        def changed() -> dict | None:
            s = page.evaluate(JS_BOX_STATE, box["box"])
            differs = s["readout"] != before["readout"] and s["src"] != before["src"]
            return s if differs and s["complete"] and s["naturalWidth"] > 0 else None

        if not poll(changed, CHANGE_TIMEOUT_S):
            now = page.evaluate(JS_BOX_STATE, box["box"])
            app.fail(
                f"explorer #{box['box']}: {tk[1]} on {control['desc']} did not change both the "
                f"readout and the figure within {CHANGE_TIMEOUT_S:.0f} s (readout changed: "
                f"{now['readout'] != before['readout']}, src changed: "
                f"{now['src'] != before['src']})"
            )
        still = page.evaluate(JS_ACTIVE)
        if still.get("id") != cid:
            app.fail(f"explorer #{box['box']}: focus left {control['desc']} after {tk[1]}: {still}")
        done[box["box"]] = f"{tk[1]} on {control['desc']}"

    limit = marked["tabbableInDocument"] + 5
    page.focus("#a11y-start")
    forward = _walk(app, "Tab", limit, on_focus)
    page.focus("#a11y-end")
    backward = _walk(app, "Shift+Tab", limit)

    fwd_ids = [s["id"] for s in forward if s["id"] in controls]
    bwd_ids = [s["id"] for s in backward if s["id"] in controls]
    missed = [
        f"box #{b['box']} {c['desc']}" for cid, (b, c) in controls.items() if cid not in fwd_ids
    ]
    # A control disabled by an earlier key press is exempt (re-checked after the walk).
    if missed:
        app.fail(f"Tab never reached {len(missed)} control(s): {missed}")
    if bwd_ids != fwd_ids[::-1]:
        app.fail(
            f"Shift+Tab did not reach the controls in the reverse Tab order:\n"
            f"Tab:       {fwd_ids}\nShift+Tab: {bwd_ids}"
        )
    not_changed = [i for i in targets if i not in done]
    if not_changed:
        app.fail(f"explorer(s) {not_changed}: the target control was never focused by Tab")
    if no_indicator:
        app.fail(
            f"no clearly visible focus indicator on {len(no_indicator)} control(s):\n"
            + "\n".join(no_indicator)
        )
    app.check_no_errors("after the keyboard walk")

    per_box = ", ".join(
        f"#{b['box']} {b['cls'].split()[-1]} {sum(c['id'] in fwd_ids for c in b['controls'])}"
        f"/{len(b['controls'])}"
        for b in boxes
    )
    kinds = sorted(
        {
            f"{controls[cid][1]['kind']}: "
            + v.split(" ")[0]
            + (" " + v.split(" ", 1)[1] if v.startswith("outline") else "")
            for cid, v in indicators.items()
        }
    )
    app.notes[:] = [
        f"Tab stops {len(forward)} (page), controls reached per box: {per_box}",
        f"keys: {'; '.join(f'#{i} {d}' for i, d in sorted(done.items()))}",
        f"focus indicators: {kinds}",
    ]
    # Reported, not failed: ipywidgets' Play buttons are icons without a title or aria-label.
    unnamed = [c["desc"] for b in boxes for c in b["controls"] if c["desc"].endswith("''")]
    if unnamed:
        app.notes.append(f"{len(unnamed)} control(s) without an accessible name: {unnamed}")
    app.timed("keyboard", t)
    phases = {"total": app.phases["keyboard"], **app.phases}
    browser_timings.append((f"a11y keyboard {notebook.name}", phases, list(app.notes)))


# --------------------------------------------------------------------------------------------------
# 3. Text contrast, light theme (Voilà)
# --------------------------------------------------------------------------------------------------


def _check_contrast(fail, page, theme: str) -> tuple[float, str, int, int]:
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    data = page.evaluate(JS_CONTRAST, BOXES)
    results = data["results"]
    if data["problems"]:
        fail(
            f"{theme}: background images behind widget text (contrast unknown): {data['problems']}"
        )
    unparsed = [r for r in results if "unparsed" in r]
    if unparsed:
        fail(f"{theme}: colours the contrast helper cannot parse: {unparsed[:5]}")
    measured = [r for r in results if "ratio" in r]
    skipped = sum(1 for r in results if r.get("skipped"))
    if not measured:
        return float("nan"), "", 0, skipped
    bad = _contrast_failures(measured)
    if bad:
        fail(
            f"{theme}: {len(bad)} text(s) below the WCAG AA contrast ratio:\n"
            + "\n".join(_fmt_contrast(r) for r in bad)
        )
    low = min(measured, key=lambda r: r["ratio"])
    return low["ratio"], f"{low['text']!r} {low['fg']} on {low['bg']}", len(measured), skipped


def test_text_contrast_light(notebook, request, browser_timings):
    app = _voila_app(request, notebook)
    t = time.monotonic()
    theme = app.page.evaluate(JS_THEME)
    if theme["light"] not in (None, "true"):
        app.fail(f"the Voilà app is not in a light theme: {theme}")
    low, which, n, skipped = _check_contrast(app.fail, app.page, "light theme (Voilà)")
    browser_timings.append(
        (
            f"a11y contrast light {notebook.name}",
            {"total": time.monotonic() - t},
            [f"{n} texts, {skipped} disabled skipped, lowest {low:.2f}:1 ({which})"],
        )
    )
