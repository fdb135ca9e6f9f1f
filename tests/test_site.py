"""``make site``: a static page for every notebook, with its figures, stills and widget state.

The pages are checked as files here; tests/browser/test_site_in_browser.py opens them in Chromium.
"""

from __future__ import annotations

import base64
import html
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
VIEW_MIME = "application/vnd.jupyter.widget-view+json"
STATE_MIME = "application/vnd.jupyter.widget-state+json"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class Page(HTMLParser):
    """The parts of a page the tests look at: images, scripts, stills, links and style sheets."""

    def __init__(self, text: str):
        super().__init__()
        self.images: list[dict] = []  # each with "classes" and "in_still"
        self.scripts: list[tuple[dict, str]] = []
        self.links: list[str] = []  # where <a> elements point
        self.stylesheets: list[str] = []  # <link href>: loaded with the page
        self.stills = 0
        self._script: dict | None = None
        self._still_depth = 0
        self._depth = 0
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"img", "br", "meta", "link", "input", "hr"}:
            if tag == "img":
                self.images.append({**attrs, "in_still": self._still_depth > 0})
            if tag == "link" and attrs.get("href"):
                self.stylesheets.append(attrs["href"])
            return
        self._depth += 1
        if tag == "div" and "mm-still" in (attrs.get("class") or "").split():
            self.stills += 1
            self._still_depth = self._still_depth or self._depth
        if tag == "script":
            self._script = attrs
            self.scripts.append((attrs, ""))
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag in {"img", "br", "meta", "link", "input", "hr"}:
            return
        if self._still_depth == self._depth:
            self._still_depth = 0
        self._depth -= 1
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def script_json(self, mime: str) -> list[dict]:
        return [json.loads(text) for attrs, text in self.scripts if attrs.get("type") == mime]


def stored(notebook: Path) -> dict:
    return json.loads(notebook.read_text(encoding="utf-8"))


def outputs(nb: dict):
    for cell in nb["cells"]:
        yield from cell.get("outputs", [])


def h1(nb: dict) -> str:
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    raise AssertionError("notebook without a # title")


def png(src: str) -> bytes:
    assert src.startswith("data:image/png;base64,"), src[:40]
    data = base64.b64decode(src.split(",", 1)[1], validate=True)
    assert data.startswith(PNG_SIGNATURE)
    return data


@pytest.fixture(scope="module")
def pages(built_site) -> dict[str, Page]:
    return {path.stem: Page(path.read_text(encoding="utf-8")) for path in built_site.glob("*.html")}


def test_there_is_a_page_per_notebook_an_index_and_the_handout(pages):
    assert NOTEBOOKS, "no notebooks found"
    assert set(pages) == {nb.stem for nb in NOTEBOOKS} | {"index", "handout"}


def test_index_links_every_unit_in_order_under_its_title(built_site, pages):
    hrefs = [h for h in pages["index"].links if h.endswith(".html")]
    assert hrefs == [f"{nb.stem}.html" for nb in NOTEBOOKS] + ["handout.html"]
    text = (built_site / "index.html").read_text(encoding="utf-8")
    for nb in NOTEBOOKS:
        assert html.escape(h1(stored(nb))) in text


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_page_has_every_static_figure_of_its_notebook(notebook, pages):
    expected = sum(
        "".join(o.get("data", {}).get("text/html", "")).count('class="mm-static-figure"')
        for o in outputs(stored(notebook))
    )
    figures = [i for i in pages[notebook.stem].images if i.get("class") == "mm-static-figure"]
    assert len(figures) == expected
    for image in figures:
        assert image.get("alt"), "static figure without alt text"
        assert len(png(image["src"])) > 1000


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_widget_state_is_embedded_for_every_view(notebook, pages):
    page = pages[notebook.stem]
    views = page.script_json(VIEW_MIME)
    expected = sum(1 for o in outputs(stored(notebook)) if VIEW_MIME in o.get("data", {}))
    assert len(views) == expected > 0
    (state,) = page.script_json(STATE_MIME)
    models = state["state"]
    for view in views:
        assert view["model_id"] in models


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_view_has_a_still_and_every_explorer_its_figure(notebook, pages):
    page = pages[notebook.stem]
    (state,) = page.script_json(STATE_MIME)
    models = state["state"].values()
    figures = [
        m
        for m in models
        if m["model_name"] == "ImageModel" and "mm-figure" in m["state"]["_dom_classes"]
    ]
    assert figures, "no explorer figure in the widget state"
    assert page.stills == len(page.script_json(VIEW_MIME))
    stills = [i for i in page.images if i["in_still"]]
    assert len(stills) >= len(figures)
    embedded = {m["buffers"][0]["data"] for m in figures}
    for image in stills:
        assert image.get("alt") and image["alt"] != "figure", "still without alt text"
        png(image["src"])
    shown = {i["src"].split(",", 1)[1] for i in stills}
    assert embedded <= shown, "an explorer's last figure is missing from the stills"


def test_pages_load_nothing_from_the_network(built_site, pages):
    for name, page in pages.items():
        sources = [a.get("src", "") for a, _ in page.scripts] + page.stylesheets
        sources += [i.get("src", "") for i in page.images]
        remote = [s for s in sources if re.match(r"(https?:)?//", s)]
        assert not remote, f"{name} loads {remote}"
    renderer = built_site / "static" / "html-manager" / "embed.js"
    assert renderer.is_file() and renderer.stat().st_size > 100_000
    for nb in NOTEBOOKS:
        srcs = [a.get("src") for a, _ in pages[nb.stem].scripts if a.get("src")]
        assert srcs == [] or all(s == "static/html-manager/embed.js" for s in srcs)


def test_each_page_links_to_its_neighbours(pages):
    names = [nb.stem for nb in NOTEBOOKS]
    for i, name in enumerate(names):
        links = set(pages[name].links)
        assert "index.html" in links
        if i:
            assert f"{names[i - 1]}.html" in links
        if i + 1 < len(names):
            assert f"{names[i + 1]}.html" in links


def test_building_leaves_the_stored_notebooks_alone(built_site):
    for nb in NOTEBOOKS:
        assert "widgets" not in stored(nb).get("metadata", {})


def test_stills_list_every_option_of_a_choice_and_leave_entries_blank(built_site):
    for nb in NOTEBOOKS:
        text = (built_site / f"{nb.stem}.html").read_text(encoding="utf-8")
        (state,) = Page(text).script_json(STATE_MIME)
        models = state["state"].values()
        options = [
            label
            for m in models
            if m["model_name"] in {"RadioButtonsModel", "ToggleButtonsModel"}
            for label in m["state"]["_options_labels"]
        ]
        listed = re.findall(r"<li>[\u25cb\u25c9] (.*?)</li>", text)  # only stills draw these marks
        assert sorted(map(html.unescape, listed)) == sorted(options)
        entries = sum(1 for m in models if m["model_name"] in {"FloatTextModel", "TextModel"})
        assert text.count('class="mm-entry"') == entries


def test_every_view_says_its_controls_do_not_respond(built_site, pages):
    for nb in NOTEBOOKS:
        text = (built_site / f"{nb.stem}.html").read_text(encoding="utf-8")
        views = len(pages[nb.stem].script_json(VIEW_MIME))
        assert text.count('<p class="mm-inert">') == views


def test_refuses_to_replace_a_folder_that_is_not_a_site(tmp_path):
    keep = tmp_path / "notes.txt"
    keep.write_text("mine")
    run = subprocess.run(
        [sys.executable, str(REPO / "tools" / "build_site.py"), "--output", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode != 0
    assert "not an earlier site" in run.stderr
    assert keep.read_text() == "mine"


def test_banner_links_each_page_to_its_live_notebook_when_given_a_jupyterlite_address(
    monkeypatch,
):
    monkeypatch.syspath_prepend(str(REPO / "tools"))
    import build_site

    pages = [("00_start_here.html", "Start here"), ("01_cluster_sizes.html", "Cluster sizes")]
    live = build_site.banner(pages, 1, "https://example.org/course-lite/")
    link = "https://example.org/course-lite/lab/index.html?path=01_cluster_sizes.ipynb"
    assert f'<a href="{link}">Explore this notebook live in your browser</a>' in live
    assert "open the notebook in JupyterLab" not in live
    assert "open the notebook in JupyterLab" in build_site.banner(pages, 1)
    assert '<a href="00_start_here.html">&larr; Start here</a>' in live


def test_the_handout_is_a_printable_page_linked_from_the_index(built_site, pages):
    assert "handout.html" in pages["index"].links
    text = (built_site / "handout.html").read_text(encoding="utf-8")
    source = (REPO / "docs" / "learner-handout.md").read_text(encoding="utf-8")
    assert text.count("<tr>") == source.count("\n|") - source.count("\n|---")
    assert "&lt;!--" not in text and "@media print" in text
    for heading in re.findall(r"^#+ (.+)$", source, flags=re.M):
        assert html.escape(heading, quote=False) in text
