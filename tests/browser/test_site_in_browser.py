"""``make site`` in a real Chromium: every page shows its explorers' last view without a kernel.

Each page is opened from disk (file://) with every request that would leave the machine aborted
and recorded. With scripts on, the local widget renderer must turn every embedded widget view
into a live widget, hide the stills and show each explorer's figure exactly as the notebook left
it; with scripts off, the stills must show, with every image decoded. One test of each kind per
notebook (parametrized by conftest.py).
"""

from __future__ import annotations

import pytest

from tests.browser.lab import poll

pytestmark = pytest.mark.browser

RENDER_TIMEOUT_S = 30.0
LOCAL = ("file:", "data:", "blob:")


def open_page(chromium, url: str, scripts: bool):
    context = chromium.new_context(
        java_script_enabled=scripts, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on(
        "console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None
    )

    def refuse(route):
        problems.append(f"request left the machine: {route.request.url}")
        route.abort()

    page.route("http://**/*", refuse)
    page.route("https://**/*", refuse)
    page.on(
        "request",
        lambda r: None if r.url.startswith(LOCAL) else problems.append(f"request: {r.url}"),
    )
    page.goto(url, wait_until="load")
    return context, page, problems


def loaded_images(page, selector: str) -> list[bool]:
    return page.locator(selector).evaluate_all(
        "els => els.map(e => e.complete && e.naturalWidth > 0 && e.offsetParent !== null)"
    )


def test_live_widgets_render_from_the_embedded_state(notebook, built_site, chromium):
    url = (built_site / f"{notebook.stem}.html").as_uri()
    context, page, problems = open_page(chromium, url, scripts=True)
    try:
        views = page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count()
        assert views > 0

        def rendered():
            subareas = page.locator(".widget-subarea").count()
            figures = loaded_images(page, ".mm-explorer img.mm-figure")
            return subareas == views and figures and all(figures)

        assert poll(rendered, RENDER_TIMEOUT_S), (
            f"{page.locator('.widget-subarea').count()} of {views} views rendered; "
            f"figures loaded: {loaded_images(page, '.mm-explorer img.mm-figure')}; {problems}"
        )
        hidden = page.locator(".mm-still").evaluate_all(
            "els => els.map(e => getComputedStyle(e).display)"
        )
        assert hidden and set(hidden) == {"none"}, "stills still showing beside live widgets"
        # The live figure is the one the notebook ended with: the same PNG as the still.
        for explorer in page.locator(".jupyter-widgets.jp-OutputArea-output").all():
            live = explorer.locator("img.mm-figure").all()
            if not live:
                continue
            still = {i.get_attribute("src") for i in explorer.locator(".mm-still img").all()}
            for image in live:
                src = image.get_attribute("src")
                if src.startswith("blob:"):  # the renderer shows PNG bytes through a blob URL
                    src = "data:image/png;base64," + page.evaluate(
                        """async url => {
                            const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
                            let s = ""; for (const b of bytes) s += String.fromCharCode(b);
                            return btoa(s);
                        }""",
                        src,
                    )
                assert src in still, "the live figure differs from the notebook's last view"
                assert image.get_attribute("title"), "live figure without alt text (title)"
        assert not problems, problems
    finally:
        context.close()


def test_stills_show_without_scripts(notebook, built_site, chromium):
    url = (built_site / f"{notebook.stem}.html").as_uri()
    context, page, problems = open_page(chromium, url, scripts=False)
    try:
        assert page.locator(".widget-subarea").count() == 0
        stills = loaded_images(page, ".mm-still img")
        static = loaded_images(page, "img.mm-static-figure")
        assert stills and all(stills), f"still images loaded: {stills}"
        assert all(static), f"static figures loaded: {static}"
        shown = page.locator(".mm-still").evaluate_all(
            "els => els.map(e => getComputedStyle(e).display)"
        )
        assert "none" not in shown
        assert not problems, problems
    finally:
        context.close()
