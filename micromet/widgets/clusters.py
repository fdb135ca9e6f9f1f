"""Clusters explorer: several separate foci in one node; the largest decides, never the sum."""

from __future__ import annotations

import html

import ipywidgets as w
from matplotlib.figure import Figure

from micromet.diagrams import draw_node_section, draw_size_ruler, update_size_ruler
from micromet.diagrams.node import add_foci, update_foci
from micromet.diagrams.palette import MUTED
from micromet.diagrams.ruler import add_size_marker
from micromet.staging import NodeFinding, classify_deposit, explain_deposit, format_mm, stage_pn
from micromet.widgets.deposit import category_badge
from micromet.widgets.explorer import Explorer, Frame

FOCI = 3
MAX_FOCUS_MM = 3.0
PRESETS = {
    "CAP example: 0.9 + 0.7 + 0.6 mm": (0.9, 0.7, 0.6),
    "CAP example: three 0.1 mm foci": (0.1, 0.1, 0.1),
    "One focus of 1.0 mm": (1.0, 0.0, 0.0),
}
"""Worked examples; the CAP ones are the registered 'largest_focus_rule' fact."""


class ClustersExplorer(Explorer):
    """Up to three separate foci in one node → the largest contiguous focus sets the category."""

    name = "clusters"

    def __init__(self, sizes_mm=PRESETS["CAP example: 0.9 + 0.7 + 0.6 mm"]):
        controls = {
            f"focus_{i + 1}_mm": w.FloatSlider(
                value=sizes_mm[i],
                min=0.0,
                max=MAX_FOCUS_MM,
                step=0.05,
                readout_format=".2f",
                description=f"Focus {'ABC'[i]} (mm, 0 = none)",
                layout=w.Layout(width="600px"),
            )
            for i in range(FOCI)
        }
        buttons = []
        for label, preset in PRESETS.items():
            button = w.Button(description=label, layout=w.Layout(width="auto"))
            button.on_click(lambda _b, preset=preset: self.set_values(**self._as_values(preset)))
            buttons.append(button)
        super().__init__(controls, extras=[w.HBox(buttons)])

    @staticmethod
    def _as_values(sizes) -> dict[str, float]:
        return {f"focus_{i + 1}_mm": size for i, size in enumerate(sizes)}

    def build(self, figure: Figure) -> list:
        self.node = draw_node_section(figure.add_axes((0.02, 0.36, 0.96, 0.63)))
        self.foci = add_foci(self.node, FOCI)
        ruler_ax = figure.add_axes((0.06, 0.13, 0.88, 0.21))
        self.largest_marker = draw_size_ruler(ruler_ax, align="right")
        self.sum_marker = add_size_marker(ruler_ax, colour=MUTED, align="left")
        return [*self.foci, *self.node.moving, *self.largest_marker.moving, *self.sum_marker.moving]

    def draw(self, **values) -> Frame:
        sizes = [values[f"focus_{i + 1}_mm"] for i in range(FOCI)]
        present = [s for s in sizes if s > 0]
        categories = [classify_deposit(s) if s > 0 else None for s in sizes]
        update_foci(self.node, self.foci, sizes, categories)
        if not present:
            update_size_ruler(self.largest_marker, 1e-3, "")
            update_size_ruler(self.sum_marker, 1e-3, "")
            readout = "<p>No tumour in this node: move a slider above 0 to add a focus.</p>"
            return Frame(readout, "An example lymph node drawn to scale with no tumour foci.")
        node = NodeFinding.from_clusters(present)
        largest, total = node.deposit_mm, sum(present)
        update_size_ruler(self.largest_marker, largest, f"largest {largest:.2f} mm")
        multiple = len(present) > 1
        sum_label = f"sum {total:.2f} mm (never used)" if multiple else ""
        update_size_ruler(self.sum_marker, total, sum_label)
        self.sum_marker.marker.set_visible(multiple)
        stage = stage_pn([node])
        readout = category_badge(node.category) + (
            (
                f"<p>{len(present)} separate foci; the largest, "
                f"{html.escape(format_mm(largest))}, decides. "
                if multiple
                else "<p>One focus. "
            )
            + f"{html.escape(explain_deposit(largest))}</p>"
            f"<p>If this were the only node removed (a sentinel node), the stage would be "
            f"<b>{stage}</b>.</p>"
        )
        if multiple:
            summed = classify_deposit(total)
            verdict = (
                f"would wrongly suggest a {summed.label}"
                if summed is not node.category
                else "would not change the category here"
            )
            readout += (
                f"<p>Adding the foci ({total:.2f} mm) {verdict}; separate clusters are never "
                f"added together.</p>"
            )
        alt = (
            f"An example lymph node drawn to scale with {len(present)} separate tumour "
            f"{'foci' if multiple else 'focus'} of "
            + ", ".join(f"{s:.2f} mm" for s in present)
            + f"; the largest ({largest:.2f} mm) is ringed and coloured as {node.category.label}. "
            + (
                "The ruler below marks the largest focus and, in grey, the sum that is never used."
                if multiple
                else "The ruler below marks its size."
            )
        )
        return Frame(readout, alt)
