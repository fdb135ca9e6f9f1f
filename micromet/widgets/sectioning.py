"""Sectioning explorer: slice interval, extra levels and deposit size → seen? at what size?"""

from __future__ import annotations

import math

import ipywidgets as w
from matplotlib.figure import Figure

from micromet.diagrams.sectioning import (
    DIAMETERS_MM,
    draw_detection_curve,
    draw_measured_histogram,
    update_detection_curve,
    update_measured_histogram,
)
from micromet.evidence import value
from micromet.sectioning import detection_probability, simulate
from micromet.staging import classify_deposit, format_mm
from micromet.widgets.deposit import category_badge
from micromet.widgets.explorer import Explorer, Frame

DRAWS = 20_000
SEED = 0
LABELS = {"missed": "missed", "itc": "ITC", "micro": "micrometastasis", "macro": "macrometastasis"}


class SectioningExplorer(Explorer):
    """How often sections through a sliced node cut a deposit, and how big it then looks."""

    name = "sectioning"
    figsize = (6.4, 3.0)

    def __init__(self, diameter_mm: float = 0.5, interval_mm: float | None = None, levels: int = 1):
        wide = w.Layout(width="600px")
        controls = {
            "diameter_mm": w.FloatLogSlider(
                value=diameter_mm,
                base=10,
                min=math.log10(0.05),
                max=math.log10(4.0),
                step=0.01,
                readout_format=".3g",
                description="True deposit diameter (mm)",
                layout=wide,
            ),
            "interval_mm": w.FloatSlider(
                value=interval_mm or value("slice_interval_mm"),
                min=0.5,
                max=4.0,
                step=0.25,
                readout_format=".2f",
                description="Slice thickness (mm)",
                layout=wide,
            ),
            "levels": w.IntSlider(
                value=levels,
                min=1,
                max=10,
                description="Sections examined per slice",
                layout=wide,
            ),
        }
        super().__init__(controls)

    def build(self, figure: Figure) -> list:
        self.curve = draw_detection_curve(figure.add_axes((0.09, 0.17, 0.38, 0.78)))
        self.histogram = draw_measured_histogram(figure.add_axes((0.59, 0.17, 0.38, 0.78)))
        return self.curve.moving + self.histogram.moving

    def draw(self, diameter_mm: float, interval_mm: float, levels: int) -> Frame:
        plan = {"levels": levels}
        probability = detection_probability(diameter_mm, interval_mm, **plan)
        update_detection_curve(
            self.curve,
            detection_probability(DIAMETERS_MM, interval_mm, **plan),
            diameter_mm,
            probability,
        )
        result = simulate(diameter_mm, interval_mm, n=DRAWS, seed=SEED, **plan)
        found = result.measured_mm[result.hit]
        update_measured_histogram(self.histogram, found, DRAWS, diameter_mm)
        shares = result.measured_categories(fractions=True)
        truth = classify_deposit(diameter_mm)
        reported = ", ".join(f"{LABELS[k]} {100 * v:.0f}%" for k, v in shares.items())
        under = sum(
            v
            for k, v in shares.items()
            if k in ("itc", "micro", "macro") and _rank(k) < _rank(truth.value)
        )
        spacing = interval_mm / levels
        readout = (
            "<small>True size:</small>"
            + category_badge(truth)
            + f"<p>A deposit <b>{format_mm(diameter_mm)}</b> across, slices {interval_mm:g} mm "
            f"thick, {levels} section{'s' if levels > 1 else ''} per slice "
            f"({spacing:.2g} mm apart).</p>"
            f"<p>Chance that a section cuts it: <b>{100 * probability:.0f}%</b> "
            f"(simulated: {100 * result.detection_rate:.1f}% of {DRAWS:,}).</p>"
            f"<p>Of all deposits: {reported}.</p>"
            f"<p>Under-sized into a lower category: <b>{100 * under:.0f}%</b> of all deposits.</p>"
        )
        if result.hit.any():
            readout += (
                f"<p>Mean size seen when found (the histogram shows only deposits found): "
                f"{found.mean():.2f} mm "
                f"({result.mean_measured_ratio:.2f} × the true size).</p>"
            )
        alt = (
            f"Left: chance that a section cuts a deposit, against its diameter, for "
            f"{interval_mm:g} mm slices with {levels} section(s) each; the "
            f"{format_mm(diameter_mm)} deposit is marked at {100 * probability:.0f}%. "
            "Right: the sizes the sections show, as a histogram of the deposits found; "
            f"{100 * shares['missed']:.0f}% are missed."
        )
        return Frame(readout, alt)


def _rank(code: str) -> int:
    return ("itc", "micro", "macro").index(code)
