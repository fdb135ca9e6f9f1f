"""Sectioning charts: chance that a section cuts a deposit, and the sizes the sections show."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.text import Text

from micromet.diagrams.palette import ACCENT, BACKGROUND, CATEGORY_COLOURS, INK, MUTED
from micromet.evidence import value
from micromet.staging import DepositCategory

DIAMETERS_MM = np.geomspace(0.02, 5.0, 160)
"""The diameters over which the detection curve is drawn."""
BIN_EDGES_MM = np.geomspace(0.01, 5.0, 25)
"""Log-spaced bins for the measured sizes."""


def _style(ax: Axes, ylabel: str) -> None:
    ax.set_facecolor(BACKGROUND)
    ax.set_xscale("log")
    ax.set_ylim(0, 100)
    ax.tick_params(colors=INK, labelsize=7)
    for spine in ax.spines.values():
        spine.set_color(INK)
    ax.set_ylabel(ylabel, color=INK, fontsize=8)
    itc, micro = value("itc_max_mm"), value("micro_max_mm")
    for low, high, category in (
        (0.005, itc, DepositCategory.ITC),
        (itc, micro, DepositCategory.MICRO),
        (micro, 10.0, DepositCategory.MACRO),
    ):
        ax.axvspan(low, high, color=CATEGORY_COLOURS[category], alpha=0.22, lw=0)
    ax.set_xticks([0.1, 0.2, 1, 2], ["0.1", "0.2", "1", "2"])


@dataclass(frozen=True)
class DetectionCurve:
    """The moving parts: the probability curve for the current plan and the current deposit."""

    curve: Line2D
    point: Line2D

    @property
    def moving(self) -> list:
        """The artists that updates change."""
        return [self.curve, self.point]


def draw_detection_curve(ax: Axes) -> DetectionCurve:
    """Axes for P(an examined section cuts the deposit) against its true diameter."""
    _style(ax, "chance a section cuts it (%)")
    ax.set_xlim(DIAMETERS_MM[0], DIAMETERS_MM[-1])
    ax.set_xlabel("true diameter (mm, log scale)", color=INK, fontsize=8)
    (curve,) = ax.plot([], [], color=ACCENT, lw=2)
    (point,) = ax.plot([], [], "o", color=INK, ms=6)
    return DetectionCurve(curve, point)


def update_detection_curve(chart: DetectionCurve, probabilities, diameter_mm, probability):
    """Show the curve for the current plan (over ``DIAMETERS_MM``) and the current deposit."""
    chart.curve.set_data(DIAMETERS_MM, 100 * np.asarray(probabilities))
    chart.point.set_data([diameter_mm], [100 * probability])


@dataclass(frozen=True)
class MeasuredHistogram:
    """The moving parts: one bar per size bin, the true-size line and the 'missed' note."""

    bars: tuple
    truth: Line2D
    missed: Text

    @property
    def moving(self) -> list:
        """The artists that updates change."""
        return [*self.bars, self.truth, self.missed]


def draw_measured_histogram(ax: Axes) -> MeasuredHistogram:
    """Axes for the distribution of the size the pathologist measures, as % of deposits found."""
    _style(ax, "% of deposits found")
    ax.set_xlim(BIN_EDGES_MM[0], BIN_EDGES_MM[-1])
    ax.set_xlabel("measured size (mm, log scale)", color=INK, fontsize=8)
    bars = ax.bar(
        BIN_EDGES_MM[:-1],
        np.zeros(len(BIN_EDGES_MM) - 1),
        width=np.diff(BIN_EDGES_MM),
        align="edge",
        color=INK,
        alpha=0.75,
        lw=0,
    )
    truth = ax.axvline(1.0, color=ACCENT, lw=2)
    missed = ax.text(
        0.03,
        0.95,
        "",
        transform=ax.transAxes,
        va="top",
        ha="left",
        fontsize=8,
        color=INK,
        bbox={"facecolor": BACKGROUND, "edgecolor": MUTED, "pad": 2},
    )
    return MeasuredHistogram(tuple(bars.patches), truth, missed)


def update_measured_histogram(chart: MeasuredHistogram, measured_mm, n, diameter_mm) -> None:
    """Heights = % of the deposits found whose measured size falls in each bin."""
    counts, _ = np.histogram(measured_mm, bins=BIN_EDGES_MM)
    found = max(len(measured_mm), 1)
    for bar, count in zip(chart.bars, counts, strict=True):
        bar.set_height(100 * count / found)
    chart.truth.set_xdata([diameter_mm, diameter_mm])
    chart.missed.set_text(f"missed: {100 * (1 - len(measured_mm) / n):.0f}%")
