"""Build the static reading copy of the course: every notebook executed and exported to HTML.

Each page embeds its widget state, so the explorers show their last view without a kernel. The
widget renderer (@jupyter-widgets/html-manager, from the npm registry) is copied next to the
pages, so the site needs no network; where scripts do not run, a still of each widget view (its
figures, text and control values) stands in for it.

    python tools/build_site.py --output build/site [--explore-url URL of the JupyterLite site]
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import mistune
import nbformat
from execute_notebooks import run  # tools/, on the path when this script runs
from jinja2 import DictLoader
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parent.parent
HTML_MANAGER = "@jupyter-widgets/html-manager@1.0.15"  # the renderer matching ipywidgets 8.1
RENDERER_DIR = "static/html-manager"
STILL_CLASS = "mm-still"
HANDOUT = ROOT / "docs" / "learner-handout.md"
HANDOUT_PAGE = "handout.html"

VIEW_MIME = "application/vnd.jupyter.widget-view+json"
STATE_MIME = "application/vnd.jupyter.widget-state+json"

PAGE_CSS = """
.mm-banner { margin: 0 0 1.5em; padding: 0.6em 1em; border: 1px solid #8a8a8a;
  border-radius: 4px; background: #f4f4f4; color: #1a1a1a; font-size: 0.95em;
  font-family: var(--jp-ui-font-family, sans-serif); }
.mm-banner a { color: #0b4f9c; }
.mm-inert { margin: 0.2em 0; font-size: 0.85em; color: #4a4a4a;
  font-family: var(--jp-ui-font-family, sans-serif); }
.widget-subarea :is(input, select, button, textarea, .noUi-target) { pointer-events: none; }
.mm-options { list-style: none; padding-left: 1em; margin: 0.2em 0; }
.mm-entry { display: inline-block; width: 8em; border-bottom: 1px solid #1a1a1a; }
.widget-subarea, .mm-still { font-family: var(--jp-content-font-family); font-size: 14px; }
.mm-still { margin: 0.4em 0; color: #1a1a1a; }
.mm-still img { max-width: 100%; height: auto; }
.mm-still .mm-control { font-family: monospace; margin: 0.1em 0; }
.widget-subarea ~ .mm-still { display: none; }
"""

# The lab template, with the page banner, stills after widget views and no CDN scripts.
TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_css -%}<style type="text/css">{{ resources.micromet.css }}</style>
{%- endblock html_head_css -%}
{%- block body_header -%}
{{ super() }}
<nav class="mm-banner" aria-label="Course pages">{{ resources.micromet.banner }}</nav>
{%- endblock body_header -%}
{%- block data_widget_view scoped %}
{% set div_id = uuid4() %}
<div id="{{ div_id }}" class="jupyter-widgets jp-OutputArea-output {{ extra_class }}">
<p class="mm-inert">The last view of the executed notebook: the controls do not respond here.</p>
<script type="{{ 'application/vnd.jupyter.widget-view+json' }}">
{{ output.data['application/vnd.jupyter.widget-view+json'] | json_dumps | escape_html_script }}
</script>
{{ output.metadata.get('micromet_still', '') }}
</div>
{%- endblock data_widget_view -%}
"""


def fetch_renderer(cache: Path) -> Path:
    """Unpack the html-manager package from the npm registry (cached) and return its dist folder."""
    unpacked = cache / HTML_MANAGER.replace("/", "_").replace("@", "")
    dist = unpacked / "package" / "dist"
    if (dist / "embed.js").is_file():
        return dist
    if shutil.which("npm") is None:
        raise SystemExit(f"make site needs npm (Node.js) to fetch {HTML_MANAGER}")
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as tmp:
        out = subprocess.run(
            ["npm", "pack", HTML_MANAGER, "--silent", "--pack-destination", tmp],
            capture_output=True,
            text=True,
            timeout=300,
        )
        tarballs = list(Path(tmp).glob("*.tgz"))
        if out.returncode != 0 or not tarballs:
            raise SystemExit(f"npm pack {HTML_MANAGER} failed:\n{out.stderr}")
        with tarfile.open(tarballs[0]) as tar:
            safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
            tar.extractall(Path(tmp) / "unpacked", **safe)
        shutil.rmtree(unpacked, ignore_errors=True)
        (Path(tmp) / "unpacked").rename(unpacked)
    return dist


def copy_renderer(dist: Path, site: Path) -> None:
    """The renderer script and the fonts it loads; source maps and the AMD builds are not needed."""
    target = site / RENDERER_DIR
    target.mkdir(parents=True, exist_ok=True)
    for item in dist.iterdir():
        if item.suffix in {".map"} or "amd" in item.name:
            continue
        shutil.copy2(item, target / item.name)


def _ref(value) -> str | None:
    if isinstance(value, str) and value.startswith("IPY_MODEL_"):
        return value[len("IPY_MODEL_") :]
    return None


def _png(model: dict) -> str | None:
    for buffer in model.get("buffers", []):
        if buffer.get("path") == ["value"] and buffer.get("encoding") == "base64":
            return buffer["data"]
    return None


CHOICES_SHOWN_TOGETHER = {"RadioButtonsModel", "ToggleButtonsModel"}
ENTRIES = {
    "TextModel",
    "TextareaModel",
    "FloatTextModel",
    "IntTextModel",
    "BoundedFloatTextModel",
    "BoundedIntTextModel",
}


def _shown(state: dict) -> str | None:
    """A control's value as its label shows it: the option's label, yes/no for a tick box."""
    labels, index = state.get("_options_labels"), state.get("index")
    if labels is not None and isinstance(index, int) and 0 <= index < len(labels):
        return str(labels[index])
    value = state.get("value")
    if isinstance(value, bool):
        return "yes" if value else "no"
    return None if value is None else str(value)


def _control(name: str, state: dict) -> str:
    """One control as text: every option of a radio or toggle group (the chosen one marked), an
    empty box for a text entry (a default is not an answer), else its label and value."""
    description = html.escape(state.get("description", "").rstrip(":"))
    if name in CHOICES_SHOWN_TOGETHER:
        chosen = state.get("index")
        items = "".join(
            f"<li>{'&#9673;' if i == chosen else '&#9675;'} {html.escape(str(label))}</li>"
            for i, label in enumerate(state.get("_options_labels", []))
        )
        heading = f'<div class="mm-control">{description}</div>' if description else ""
        return f'{heading}<ul class="mm-options">{items}</ul>'
    if name in ENTRIES:
        return f'<div class="mm-control">{description}: <span class="mm-entry"></span></div>'
    shown = _shown(state)
    if not description or shown is None:
        return ""
    return f'<div class="mm-control">{description}: {html.escape(shown)}</div>'


def still(model_id: str, models: dict) -> str:
    """Static HTML for one widget view: its images, HTML text and controls, in order."""
    parts: list[str] = []

    def walk(mid: str) -> None:
        model = models.get(mid)
        if model is None:
            return
        name, state = model["model_name"], model["state"]
        if name == "ImageModel":
            data = _png(model)
            if data:
                alt = state.get("tooltip") or state.get("description") or "figure"
                kind = html.escape(state.get("format", "png"))
                parts.append(
                    f'<img alt="{html.escape(alt)}" src="data:image/{kind};base64,{data}">'
                )
        elif name in {"HTMLModel", "HTMLMathModel"}:
            parts.append(f"<div>{state.get('value', '')}</div>")
        elif name == "LabelModel":
            parts.append(f"<div>{html.escape(str(state.get('value', '')))}</div>")
        elif name != "ButtonModel":
            parts.append(_control(name, state))
        for child in state.get("children", []):
            if (ref := _ref(child)) is not None:
                walk(ref)

    walk(model_id)
    if not any(parts):
        return ""
    return f'<div class="{STILL_CLASS}">{"".join(parts)}</div>'


def add_stills(nb: nbformat.NotebookNode) -> int:
    """Put a still after every widget view; return how many views got one."""
    models = nb.metadata.get("widgets", {}).get(STATE_MIME, {}).get("state", {})
    count = 0
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(VIEW_MIME)
            if view is None:
                continue
            html_still = still(view["model_id"], models)
            if html_still:
                output.setdefault("metadata", {})["micromet_still"] = html_still
                count += 1
    return count


def title(nb: nbformat.NotebookNode, fallback: str) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


def banner(pages: list[tuple[str, str]], index: int, explore_url: str | None = None) -> str:
    """The line atop each page: what the copy is, where to explore it live, and navigation."""
    links = ['<a href="index.html">All units</a>']
    if index > 0:
        href, name = pages[index - 1]
        links.append(f'<a href="{href}">&larr; {html.escape(name)}</a>')
    if index + 1 < len(pages):
        href, name = pages[index + 1]
        links.append(f'<a href="{href}">{html.escape(name)} &rarr;</a>')
    if explore_url:
        notebook = quote(pages[index][0].removesuffix(".html") + ".ipynb")
        live = f"{explore_url.rstrip('/')}/lab/index.html?path={notebook}"
        explore = f'<a href="{html.escape(live)}">Explore this notebook live in your browser</a>. '
    else:
        explore = "To explore, open the notebook in JupyterLab. "
    return (
        "Reading copy of the micromet course: the controls show the last view and do not respond "
        "here. " + explore + " · ".join(links)
    )


STANDALONE_CSS = """
body { font-family: sans-serif; max-width: 44em; margin: 2em auto; color: #1a1a1a;
  line-height: 1.5; }
a { color: #0b4f9c; }
table { border-collapse: collapse; }
th, td { border: 1px solid #8a8a8a; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
@media print { body { margin: 0; max-width: none; font-size: 10pt; } a { color: inherit; } }"""


def standalone(title: str, body: str) -> str:
    """A plain page of the site (the index, the handout), in the same style."""
    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{html.escape(title)}</title>
<style>{STANDALONE_CSS}</style></head>
<body><main>
{body}
</main></body></html>
"""


def index_page(pages: list[tuple[str, str]]) -> str:
    items = "\n".join(f'<li><a href="{href}">{html.escape(name)}</a></li>' for href, name in pages)
    return standalone(
        "micromet: breast-cancer lymph node micrometastases",
        f"""<h1>micromet: breast-cancer lymph node micrometastases</h1>
<p>A reading copy of the course, executed when it was built. Every figure shows the view it ended
with; to move the controls, open the notebooks in JupyterLab. A teaching tool, not a clinical
one.</p>
<ol>
{items}
</ol>
<p>The rules on one page, to print or keep:
<a href="{HANDOUT_PAGE}">the learner handout</a>.</p>""",
    )


def handout_page() -> str:
    """docs/learner-handout.md as a printable page."""
    text = re.sub(r"<!--.*?-->\s*", "", HANDOUT.read_text(encoding="utf-8"), flags=re.S)
    render = mistune.create_markdown(plugins=["table"])
    return standalone("The rules on one page: learner handout", render(text))


def check_output(output: Path) -> None:
    """Refuse to replace a folder that holds anything but an earlier build of the site."""
    earlier = (output / "index.html").is_file() and (output / RENDERER_DIR).is_dir()
    if output.exists() and any(output.iterdir()) and not earlier:
        raise SystemExit(
            f"{output} is not empty and is not an earlier site: choose another --output"
        )


def build(notebooks: list[Path], output: Path, cache: Path, explore_url: str | None = None) -> None:
    started = time.perf_counter()
    check_output(output)
    dist = fetch_renderer(cache)
    exporter = HTMLExporter(
        template_name="lab",
        extra_loaders=[DictLoader({"micromet_site.html.j2": TEMPLATE})],
        template_file="micromet_site.html.j2",
        widget_renderer_url=f"{RENDERER_DIR}/embed.js",
    )
    staging = Path(tempfile.mkdtemp(prefix="site-", dir=output.parent))
    staging.chmod(0o755)
    try:
        executed = []
        with tempfile.TemporaryDirectory() as workdir:
            for path in notebooks:
                t0 = time.perf_counter()
                nb = run(nbformat.read(path, as_version=4), Path(workdir))
                stills = add_stills(nb)
                executed.append((path, nb))
                print(f"executed {path.name} in {time.perf_counter() - t0:.1f} s ({stills} stills)")
        pages = [(f"{path.stem}.html", title(nb, path.stem)) for path, nb in executed]
        for i, (_, nb) in enumerate(executed):
            nb.metadata["title"] = pages[i][1]
            body, _ = exporter.from_notebook_node(
                nb,
                resources={"micromet": {"css": PAGE_CSS, "banner": banner(pages, i, explore_url)}},
            )
            (staging / pages[i][0]).write_text(body, encoding="utf-8")
        (staging / "index.html").write_text(index_page(pages), encoding="utf-8")
        (staging / HANDOUT_PAGE).write_text(handout_page(), encoding="utf-8")
        copy_renderer(dist, staging)
        shutil.rmtree(output, ignore_errors=True)
        staging.rename(output)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    size = sum(f.stat().st_size for f in output.rglob("*") if f.is_file())
    print(
        f"site: {output} ({len(pages)} pages, an index and the handout, {size / 1e6:.1f} MB) "
        f"in {time.perf_counter() - started:.0f} s"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "build" / "site")
    parser.add_argument("--cache", type=Path, default=ROOT / "build" / "cache")
    parser.add_argument(
        "--explore-url",
        help="address of the course's JupyterLite site (make lite), linked from every page",
    )
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args(argv)
    notebooks = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    args.output = args.output.resolve()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    build(notebooks, args.output, args.cache.resolve(), args.explore_url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
