"""Node builder: set up each examined node and watch the pN stage and its reasons update."""

from __future__ import annotations

import html

import ipywidgets as w
from matplotlib.figure import Figure

from micromet.diagrams.stations import MAX_NODES, draw_station_board, update_station_board
from micromet.staging import STATIONS, NodeFinding, stage_pn
from micromet.widgets.explorer import Explorer, Frame

DEPOSITS_MM = (0.05, 0.1, 0.15, 0.2, 0.25, 0.5, 0.9, 1.5, 2.0, 2.1, 3.0, 5.0, 10.0)
"""Sizes offered, with both sides of each threshold, so every boundary can be tried exactly."""
CELLS = (50, 150, 200, 201, 250, 500)

PRESETS = {
    "3 sentinel nodes, micrometastases only": [
        NodeFinding(0.9),
        NodeFinding(1.5),
        NodeFinding(0.5),
    ],
    "2 macro + 2 micro": [NodeFinding(3.0), NodeFinding(2.5), NodeFinding(0.9), NodeFinding(1.5)],
    "ITC only": [NodeFinding(0.15), NodeFinding()],
    "level III node": [
        NodeFinding(3.0),
        NodeFinding(0.5, station="infraclavicular", sentinel=False),
    ],
    "internal mammary sentinel": [NodeFinding(), NodeFinding(1.0, station="internal_mammary")],
    "6 nodes, one macro": [NodeFinding(3.0)] + [NodeFinding(sentinel=False)] * 5,
}
"""Worked examples, one per rule of the pitfalls section of unit 4."""


class NodeBuilderExplorer(Explorer):
    """Nodes examined, each with station, sentinel flag and largest deposit → pN stage, reasons."""

    name = "nodes"
    figsize = (6.0, 3.0)

    def __init__(self, findings: list[NodeFinding] | None = None):
        self.findings = list(findings or PRESETS["3 sentinel nodes, micrometastases only"])
        self.findings += [NodeFinding(sentinel=False)] * (MAX_NODES - len(self.findings))
        count = len(findings or PRESETS["3 sentinel nodes, micrometastases only"])
        wide = w.Layout(width="520px")
        first = self.findings[0]
        controls = {
            "count": w.IntSlider(
                value=count, min=1, max=MAX_NODES, description="Nodes examined", layout=wide
            ),
            "node": w.IntSlider(
                value=1, min=1, max=count, description="Edit node number", layout=wide
            ),
            "station": w.Dropdown(
                options=[(v, k) for k, v in STATIONS.items()],
                value=first.station,
                description="Station",
                layout=wide,
            ),
            "sentinel": w.Checkbox(value=first.sentinel, description="Sentinel node"),
            "deposit_mm": w.SelectionSlider(
                options=[("none", 0.0)] + [(f"{d:g}", d) for d in DEPOSITS_MM],
                value=first.deposit_mm or 0.0,
                description="Largest deposit (mm)",
                layout=wide,
            ),
            "cells": w.SelectionSlider(
                options=[("not counted", 0)] + [(str(c), c) for c in CELLS],
                value=first.cells or 0,
                description="Cells in one section",
                layout=wide,
            ),
            "neoadjuvant": w.Checkbox(value=False, description="After neoadjuvant therapy"),
            "im_clinically_positive": w.Checkbox(
                value=False,
                description="Internal mammary nodes seen clinically or on imaging",
                layout=w.Layout(width="auto"),  # the default width cuts this label short
            ),
            "molecular_positive": w.Checkbox(
                value=False, description="Positive molecular test (RT-PCR)"
            ),
        }
        buttons = []
        for label, preset in PRESETS.items():
            button = w.Button(description=label, layout=w.Layout(width="auto"))
            button.on_click(lambda _b, preset=preset: self.load(preset))
            buttons.append(button)
        super().__init__(controls, extras=[w.HBox(buttons, layout=w.Layout(flex_flow="row wrap"))])

    def build(self, figure: Figure) -> list:
        self.board = draw_station_board(figure.add_axes((0.0, 0.0, 1.0, 1.0)))
        return self.board.moving

    def load(self, findings: list[NodeFinding]) -> None:
        """Replace the nodes with ``findings`` (a worked example), with a single update."""
        self.findings = list(findings) + [NodeFinding(sentinel=False)] * (MAX_NODES - len(findings))
        self._holding = True
        try:
            self.controls["count"].value = len(findings)
            self.controls["node"].max = len(findings)
            self.controls["node"].value = 1
            self._show_node(1)
        finally:
            self._holding = False
        self.refresh()

    def _show_node(self, number: int) -> None:
        node = self.findings[number - 1]
        self.controls["station"].value = node.station
        self.controls["sentinel"].value = node.sentinel
        self.controls["deposit_mm"].value = node.deposit_mm or 0.0
        self.controls["cells"].value = node.cells or 0

    def _on_change(self, change) -> None:
        if self._holding:
            return
        self._holding = True
        try:
            if change["owner"] is self.controls["count"]:
                self.controls["node"].max = change["new"]
                self._show_node(self.controls["node"].value)
            elif change["owner"] is self.controls["node"]:
                self._show_node(change["new"])
        finally:
            self._holding = False
        self.refresh()

    def draw(self, count, node, station, sentinel, deposit_mm, cells, **flags) -> Frame:
        self.findings[node - 1] = NodeFinding(
            deposit_mm or None, cells=cells or None, station=station, sentinel=sentinel
        )
        examined = self.findings[:count]
        stage = stage_pn(examined, **flags)
        update_station_board(self.board, examined, node - 1, str(stage))
        reasons = "".join(f"<li>{html.escape(reason)}</li>" for reason in stage.explanation)
        edited = self.findings[node - 1]
        measures = [f"{deposit_mm:g} mm" if deposit_mm else "", f"{cells} cells" if cells else ""]
        finding = "no tumour" if edited.category is None else edited.category.label
        finding = ", ".join(m for m in [*measures, finding] if m)
        role = "sentinel" if edited.sentinel else "non-sentinel"
        readout = (
            f'<div style="font-size:1.4em"><b>{stage}</b></div>'
            f"<p>{stage.examined} examined, {stage.positive} positive, "
            f"{stage.itc_only} with isolated tumour cells only.</p><ul>{reasons}</ul>"
            f"<p><small>Editing node {node}: {html.escape(STATIONS[station])}, {role}, "
            f"{html.escape(finding)}.</small></p>"
        )
        alt = (
            f"Board of {count} examined lymph nodes grouped by station and coloured by the "
            f"category of each node's largest deposit; stage {stage}."
        )
        return Frame(readout, alt)
