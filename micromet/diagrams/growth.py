"""Growth chart: deposit diameter (log scale) against years of constant exponential growth."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from micromet.diagrams.palette import ACCENT, BACKGROUND, CATEGORY_COLOURS, INK, MUTED
from micromet.evidence import value
from micromet.growth import CELL_DIAMETER_UM, MILESTONES, milestone_times
from micromet.staging import DepositCategory

DAYS_PER_YEAR = 365.25
TOP_MM = 20.0


def years_axis_limit() -> float:
    """Years to the last milestone at the slowest registered doubling time, rounded up to 10."""
    slowest = value("tvdt_range_days")[1]
    return float(np.ceil(milestone_times(slowest)[-1][2] / DAYS_PER_YEAR / 10) * 10)


def _short_label(diameter_mm: float, fact_id: str) -> str:
    fact = value(fact_id)
    if fact_id.startswith("screening_sensitivity"):
        return f"{diameter_mm:g} mm: mammography\nfinds {fact:g}%"
    return f"{diameter_mm:g} mm: {'ITC' if fact_id == 'itc_max_mm' else 'micro'} limit"


@dataclass(frozen=True)
class GrowthChart:
    """The moving parts of the chart: the growth curve and its milestone points."""

    ax: Axes
    curve: Line2D
    points: Line2D
    years: float

    @property
    def moving(self) -> list:
        """The artists that updates change."""
        return [self.curve, self.points]


def draw_growth_chart(ax: Axes) -> GrowthChart:
    """Axes, the category bands and a labelled line at each milestone size."""
    cell_mm = CELL_DIAMETER_UM / 1000
    years = years_axis_limit()
    ax.set_facecolor(BACKGROUND)
    ax.set_yscale("log")
    ax.set_xlim(0, years)
    ax.set_ylim(cell_mm, TOP_MM)
    ax.tick_params(colors=INK, labelsize=8)
    for spine in ax.spines.values():
        spine.set_color(INK)
    ax.set_xlabel("years of growth from one cell", color=INK, fontsize=9)
    ax.set_ylabel("diameter (mm, log scale)", color=INK, fontsize=9)
    itc, micro = value("itc_max_mm"), value("micro_max_mm")
    for low, high, category in (
        (cell_mm, itc, DepositCategory.ITC),
        (itc, micro, DepositCategory.MICRO),
        (micro, TOP_MM, DepositCategory.MACRO),
    ):
        ax.axhspan(low, high, color=CATEGORY_COLOURS[category], alpha=0.12, lw=0)
    ax.set_yticks([0.1, 1, 10], ["0.1", "1", "10"])
    for _, diameter, fact_id in MILESTONES:
        ax.axhline(diameter, color=MUTED, lw=0.8, ls="--")
        ax.text(
            1.02,
            diameter,
            _short_label(diameter, fact_id),
            transform=ax.get_yaxis_transform(),
            va="center",
            ha="left",
            fontsize=7,
            color=INK,
            clip_on=False,
        )
    ax.text(
        1.02,
        cell_mm,
        "one cell",
        transform=ax.get_yaxis_transform(),
        va="bottom",
        ha="left",
        fontsize=7,
        color=MUTED,
        clip_on=False,
    )
    (curve,) = ax.plot([], [], color=ACCENT, lw=2)
    (points,) = ax.plot([], [], "o", color=INK, ms=5)
    return GrowthChart(ax, curve, points, years)


def update_growth_chart(chart: GrowthChart, doubling_time_days: float, milestones) -> None:
    """Redraw the curve for a volume doubling time; diameter doubles every three doublings."""
    cell_mm = CELL_DIAMETER_UM / 1000
    t = np.linspace(0.0, chart.years, 200)
    diameter = cell_mm * 2.0 ** (t * DAYS_PER_YEAR / (3.0 * doubling_time_days))
    shown = diameter <= TOP_MM * 1.05
    chart.curve.set_data(t[shown], diameter[shown])
    chart.points.set_data(
        [days / DAYS_PER_YEAR for _, _, days in milestones], [d for _, d, _ in milestones]
    )
