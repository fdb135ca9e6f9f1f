"""Survival charts for the PREDICT explorers: curves to 15 years, stacked benefits, node states."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.text import Text

from micromet.diagrams.palette import BACKGROUND, INK, MUTED

TREATMENT_COLOURS = {
    "surgery only": "#666666",
    "hormone": "#0072B2",
    "chemo": "#E69F00",
    "trastuzumab": "#CC79A7",
    "bisphosphonates": "#009E73",
}
"""One colour per treatment, in the web tool's stacking order (Okabe-Ito)."""
YEARS = np.arange(16)


def _style(ax: Axes, ylabel: str) -> None:
    ax.set_facecolor(BACKGROUND)
    ax.tick_params(colors=INK, labelsize=7)
    for spine in ax.spines.values():
        spine.set_color(INK)
    ax.set_ylabel(ylabel, color=INK, fontsize=8)


@dataclass(frozen=True)
class SurvivalChart:
    """The moving parts: one curve per treatment step, the year marker, and the stacked bar."""

    curves: dict[str, Line2D]
    year: Line2D
    segments: dict
    labels: dict[str, Text]

    @property
    def moving(self) -> list:
        """The artists that updates change."""
        return [*self.curves.values(), self.year, *self.segments.values(), *self.labels.values()]


def draw_survival_chart(curve_ax: Axes, bar_ax: Axes) -> SurvivalChart:
    """Survival curves to 15 years (left) and the stacked bar of survival and benefits (right)."""
    _style(curve_ax, "alive (%)")
    curve_ax.set_xlim(0, 15)
    curve_ax.set_ylim(0, 100)
    curve_ax.set_xlabel("years after surgery", color=INK, fontsize=8)
    curves = {
        name: curve_ax.plot(
            [],
            [],
            color=colour,
            lw=2 if name == "surgery only" else 1.5,
            label=name if name == "surgery only" else f"+ {name}",
        )[0]
        for name, colour in TREATMENT_COLOURS.items()
    }
    curve_ax.legend(fontsize=6.5, loc="lower left", frameon=False)
    year = curve_ax.axvline(10, color=MUTED, lw=1, ls=":")
    _style(bar_ax, "")
    bar_ax.set_xlim(-0.6, 0.6)
    bar_ax.set_ylim(0, 100)
    bar_ax.set_xticks([])
    bar_ax.yaxis.tick_right()
    segments = {
        name: bar_ax.bar([0], [0], bottom=[0], width=0.8, color=colour, lw=0)[0]
        for name, colour in TREATMENT_COLOURS.items()
    }
    labels = {
        name: bar_ax.text(
            0, 0, "", ha="center", va="center", fontsize=7, color="white", weight="bold"
        )
        for name in TREATMENT_COLOURS
    }
    return SurvivalChart(curves, year, segments, labels)


def update_survival_chart(chart: SurvivalChart, curves: dict[str, np.ndarray], year: int) -> None:
    """Show the cumulative survival curves (fractions by year 0-15) and the stack at ``year``."""
    bottom = 0.0
    previous = None
    for name, line in chart.curves.items():
        values = curves.get(name)
        line.set_data((YEARS, 100 * values) if values is not None else ([], []))
        segment, label = chart.segments[name], chart.labels[name]
        if values is None:
            segment.set_height(0)
            label.set_text("")
            continue
        top = 100 * values[year]
        height = top - (previous if previous is not None else 0.0)
        segment.set_y(bottom)
        segment.set_height(height)
        label.set_position((0, bottom + height / 2))
        label.set_text(
            f"{top:.0f}%" if previous is None else (f"+{height:.1f}" if height >= 3 else "")
        )
        bottom, previous = top, top
    chart.year.set_xdata([year, year])


@dataclass(frozen=True)
class NodeStateChart:
    """The moving parts: two bars per node state (surgery only, with treatment) and their labels."""

    untreated: tuple
    treated: tuple
    labels: tuple[Text, ...]

    @property
    def moving(self) -> list:
        """The artists that updates change."""
        return [*self.untreated, *self.treated, *self.labels]


def draw_node_state_chart(ax: Axes, states: list[str]) -> NodeStateChart:
    """Grouped bars: survival for each nodal state, without and with treatment."""
    _style(ax, "alive (%)")
    x = np.arange(len(states))
    ax.set_xticks(x, states, fontsize=7)
    ax.set_xlim(-0.6, len(states) - 0.4)
    ax.set_ylim(0, 100)
    untreated = ax.bar(
        x - 0.19,
        np.zeros(len(states)),
        width=0.36,
        color=TREATMENT_COLOURS["surgery only"],
        label="surgery only",
    )
    treated = ax.bar(
        x + 0.19,
        np.zeros(len(states)),
        width=0.36,
        color=TREATMENT_COLOURS["hormone"],
        label="with the treatments chosen",
    )
    ax.legend(fontsize=7, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=2, frameon=False)
    labels = tuple(ax.text(i, 0, "", ha="center", va="bottom", fontsize=7, color=INK) for i in x)
    return NodeStateChart(tuple(untreated.patches), tuple(treated.patches), labels)


def update_node_state_chart(chart: NodeStateChart, untreated, treated) -> None:
    """Bar heights in % alive, with the treated value printed above each pair."""
    for bar, value in zip(chart.untreated, untreated, strict=True):
        bar.set_height(100 * value)
    for bar, label, value in zip(chart.treated, chart.labels, treated, strict=True):
        bar.set_height(100 * value)
        label.set_position((bar.get_x() + bar.get_width() / 2 - 0.19, 100 * value + 1))
        label.set_text(f"{100 * value:.0f}%")
