"""Deposit explorer: move the size of the largest deposit and watch its category change."""

from __future__ import annotations

import html
import math

import ipywidgets as w
from matplotlib.figure import Figure

from micromet.diagrams import (
    CATEGORY_COLOURS,
    draw_node_section,
    draw_size_ruler,
    update_node_section,
    update_size_ruler,
)
from micromet.staging import (
    ITC_MAX_MM,
    MICRO_MAX_MM,
    NodeFinding,
    classify_deposit,
    explain_deposit,
    format_mm,
    stage_pn,
)
from micromet.widgets.explorer import Explorer, Frame

MIN_SIZE_MM = 0.01
MAX_SIZE_MM = 5.0
MAX_CELLS = 1000


def category_badge(category) -> str:
    """The category name with its colour swatch, as the readouts show it."""
    return (
        f'<div style="font-size:1.1em"><span style="display:inline-block;width:0.9em;'
        f"height:0.9em;background:{CATEGORY_COLOURS[category]};border:1px solid #333;"
        f'margin-right:0.4em"></span><b>{html.escape(category.label)}</b></div>'
    )


class DepositExplorer(Explorer):
    """Size (log slider, 10 µm to 5 mm) and optional cell count → category, rule, to-scale node."""

    name = "deposit"

    def __init__(self, size_mm: float = 0.5, cells: int = 0):
        size = w.FloatLogSlider(
            value=size_mm,
            base=10,
            min=math.log10(MIN_SIZE_MM),
            max=math.log10(MAX_SIZE_MM),
            step=0.01,
            readout_format=".3g",
            description="Largest deposit (mm)",
            layout=w.Layout(width="600px"),
        )
        count = w.IntSlider(
            value=cells,
            min=0,
            max=MAX_CELLS,
            step=10,
            description="Cells in one section (0 = not counted)",
            layout=w.Layout(width="600px"),
        )
        super().__init__({"size_mm": size, "cells": count})

    def build(self, figure: Figure) -> list:
        self.node = draw_node_section(figure.add_axes((0.02, 0.36, 0.96, 0.63)))
        self.ruler = draw_size_ruler(figure.add_axes((0.06, 0.13, 0.88, 0.21)))
        return self.node.moving + self.ruler.moving

    def draw(self, size_mm: float, cells: int) -> Frame:
        counted = cells or None
        category = classify_deposit(size_mm, cells=counted)
        update_node_section(self.node, size_mm, category)
        marker = format_mm(size_mm).split(" (")[0]
        update_size_ruler(self.ruler, size_mm, f"{marker}, {cells} cells" if counted else marker)
        stage = stage_pn([NodeFinding(size_mm, cells=counted)])
        readout = (
            category_badge(category)
            + f"<p>{html.escape(explain_deposit(size_mm, cells=counted))}</p>"
            + "<p>If this were the only node removed (a sentinel node), the stage would be "
            + f"<b>{stage}</b>.</p>"
        )
        cells_text = f" and {cells} tumour cells counted in one section" if counted else ""
        alt = (
            f"A lymph node drawn to scale, 10 by 6 mm, with a {format_mm(size_mm)} deposit"
            f"{cells_text}, coloured as {category.label}; below, a log-scale ruler marks the "
            f"size against the {ITC_MAX_MM:g} mm and {MICRO_MAX_MM:g} mm thresholds."
        )
        return Frame(readout, alt)
