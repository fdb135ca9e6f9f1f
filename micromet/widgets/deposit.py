"""Deposit explorer: move the size of the largest deposit and watch its category change."""

from __future__ import annotations

import html
import math

import ipywidgets as w

from micromet.diagrams import (
    CATEGORY_COLOURS,
    draw_node_section,
    draw_size_ruler,
    new_figure,
    update_node_section,
    update_size_ruler,
)
from micromet.staging import (
    NodeFinding,
    classify_deposit,
    explain_deposit,
    format_mm,
    stage_pn,
)
from micromet.widgets.explorer import Explorer, Frame

MIN_SIZE_MM = 0.01
MAX_SIZE_MM = 5.0


class DepositExplorer(Explorer):
    """Size slider (log scale, 10 µm to 5 mm) → category, the deciding rule, a to-scale node."""

    name = "deposit"

    def __init__(self, size_mm: float = 0.5):
        size = w.FloatLogSlider(
            value=size_mm,
            base=10,
            min=math.log10(MIN_SIZE_MM),
            max=math.log10(MAX_SIZE_MM),
            step=0.01,
            readout_format=".3g",
            description="Largest deposit (mm)",
            continuous_update=True,
            layout=w.Layout(width="600px"),
        )
        fig = new_figure(6.0, 3.6)
        node_ax = fig.add_axes((0.02, 0.36, 0.96, 0.63))
        ruler_ax = fig.add_axes((0.06, 0.13, 0.88, 0.21))
        self._node = draw_node_section(node_ax)
        self._ruler = draw_size_ruler(ruler_ax)
        super().__init__({"size_mm": size}, fig)

    def draw(self, size_mm: float) -> Frame:
        category = classify_deposit(size_mm)
        update_node_section(self._node, size_mm, category)
        update_size_ruler(self._ruler, size_mm, format_mm(size_mm).split(" (")[0])
        stage = stage_pn([NodeFinding(size_mm)])
        colour = CATEGORY_COLOURS[category]
        readout = (
            f'<div style="font-size:1.1em"><span style="display:inline-block;width:0.9em;'
            f'height:0.9em;background:{colour};border:1px solid #333;margin-right:0.4em"></span>'
            f"<b>{html.escape(category.label)}</b></div>"
            f"<p>{html.escape(explain_deposit(size_mm))}</p>"
            f"<p>If this were the only sentinel node with tumour, the stage would be "
            f"<b>{stage}</b>.</p>"
        )
        alt = (
            f"A lymph node drawn to scale, 10 by 6 mm, with a {format_mm(size_mm)} deposit "
            f"coloured as {category.label}; below, a log-scale ruler marks the size against the "
            "0.2 mm and 2 mm thresholds."
        )
        return Frame(readout, alt)
