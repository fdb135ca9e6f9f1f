"""Growth explorer: how long constant exponential growth takes from one cell to each milestone."""

from __future__ import annotations

import html

import ipywidgets as w
from matplotlib.figure import Figure

from micromet.diagrams.growth import DAYS_PER_YEAR, draw_growth_chart, update_growth_chart
from micromet.evidence import value
from micromet.growth import doublings_to_diameter, milestone_times
from micromet.widgets.explorer import Explorer, Frame

PRESETS = {
    "triple-negative (mean)": "tvdt_triple_negative_days",
    "median of 66 cancers": "tvdt_median_days",
    "HER2-positive (mean)": "tvdt_her2_days",
    "ER-positive (mean)": "tvdt_er_positive_days",
}
"""Registered volume doubling times the preset buttons load, by the label on the button."""


class GrowthExplorer(Explorer):
    """Volume doubling time (published range) → years from one cell to each milestone size."""

    name = "growth"

    def __init__(self, doubling_time_days: int | None = None):
        fastest, slowest = value("tvdt_range_days")
        days = w.IntSlider(
            value=doubling_time_days or value("tvdt_median_days"),
            min=fastest,
            max=slowest,
            step=1,
            description="Volume doubling time (days)",
            layout=w.Layout(width="600px"),
        )
        buttons = []
        for label, fact_id in PRESETS.items():
            button = w.Button(
                description=f"{label}: {value(fact_id)} d", layout=w.Layout(width="auto")
            )
            button.on_click(lambda _b, fact_id=fact_id: self.set_values(days=value(fact_id)))
            buttons.append(button)
        super().__init__({"days": days}, extras=[w.HBox(buttons)])

    def build(self, figure: Figure) -> list:
        self.chart = draw_growth_chart(figure.add_axes((0.11, 0.15, 0.64, 0.8)))
        return self.chart.moving

    def draw(self, days: int) -> Frame:
        milestones = milestone_times(days)
        update_growth_chart(self.chart, days, milestones)
        rows = "".join(
            f"<tr><td>{html.escape(name)} ({diameter:g} mm)</td>"
            f"<td style='text-align:right'>{doublings_to_diameter(diameter):.0f}</td>"
            f"<td style='text-align:right'>{t / DAYS_PER_YEAR:.1f}</td></tr>"
            for name, diameter, t in milestones
        )
        (_, micro_mm, micro_days), (_, _, visible_days) = milestones[1], milestones[-1]
        hidden_years = (visible_days - micro_days) / DAYS_PER_YEAR
        readout = (
            f"<p>Doubling every <b>{days} days</b>, from one cell:</p>"
            "<table><tr><th>size reached</th><th>doublings</th><th>years</th></tr>"
            f"{rows}</table>"
            f"<p>Below {micro_mm:g} mm no scan reliably shows a deposit. Growing on from "
            f"{micro_mm:g} mm to the size mammography usually finds takes another "
            f"<b>{hidden_years:.1f} years</b>, and a tumour becomes steadily more likely to show "
            "on the way.</p>"
            "<p><small>Assumes constant exponential growth; doubling times were measured on "
            "primary breast tumours on ultrasound, not on nodal deposits.</small></p>"
        )
        years = ", ".join(f"{name} at {t / DAYS_PER_YEAR:.1f} years" for name, _, t in milestones)
        alt = (
            f"Growth curve of tumour diameter (log scale) against years, for a volume doubling "
            f"time of {days} days; the curve crosses {years}."
        )
        return Frame(readout, alt)
