"""A clearly visible keyboard focus ring for the course's widget boxes (explorers, practice, quiz).

ipywidgets 8 marks focus on a slider handle, a dropdown or a text box only by a faint border colour
change, and on a button by a thin light outline (about 2:1); keyboard users need more (WCAG 2.4.7).
"""

from __future__ import annotations

import ipywidgets as w

BOXES = (".mm-explorer", ".mm-practice", ".mm-quiz")
_FOCUSABLE = ".noUi-handle, select, input, button, textarea, .widget-readout"
FOCUS_CSS = (
    "<style>"
    + ", ".join(f"{box} :is({_FOCUSABLE}):focus-visible" for box in BOXES)
    + "{outline: 2px solid var(--jp-brand-color1, #1976d2) !important; outline-offset: 1px;}"
    "</style>"
)
"""2 px in the theme's brand blue, which contrasts with the page in the light and the dark theme
(#1976d2 on white 4.6:1)."""


def focus_style() -> w.HTML:
    """A hidden widget that carries ``FOCUS_CSS``: put it in a box with one of the ``BOXES``
    classes (a front end applies a <style> wherever it is)."""
    style = w.HTML(FOCUS_CSS, layout=w.Layout(display="none"))
    style.add_class("mm-focus-style")
    return style
