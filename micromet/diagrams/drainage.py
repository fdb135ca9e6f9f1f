"""The lymphatic map of one breast, and the false-negative chart of a sentinel node cohort."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, Rectangle
from matplotlib.text import Text

from micromet.diagrams.palette import ACCENT, BACKGROUND, INK, MUTED, NODE_EDGE, NODE_FILL
from micromet.drainage import (
    BREAST_RADIUS,
    CLAVICLE_Y,
    EDGES,
    NIPPLE_XY,
    NODES,
    PEC_MINOR_X,
)

TRACER_BLUE = "#0072B2"
METASTASIS = "#D55E00"
REMOVED_EDGE = "#009E73"
_XY = np.array([node.xy for node in NODES])
_INDEX = {node.name: i for i, node in enumerate(NODES)}


@dataclass(frozen=True)
class LymphaticMap:
    """The moving parts of the map: node colours and outlines, the tumour and the tracer paths."""

    ax: Axes
    nodes: PathCollection
    tumour: Line2D
    paths: LineCollection
    onward: LineCollection
    caption: Text

    @property
    def moving(self) -> list:
        """The artists that updates change."""
        return [self.paths, self.onward, self.nodes, self.tumour, self.caption]


def draw_lymphatic_map(ax: Axes) -> LymphaticMap:
    """Breast, midline, pectoralis minor, clavicle and the node stations, in the model's frame."""
    ax.set_facecolor(BACKGROUND)
    ax.set_aspect("equal")
    ax.set_xlim(-2.5, 22.5)
    ax.set_ylim(-8.0, 23.0)
    ax.set_axis_off()
    ax.add_patch(Circle(NIPPLE_XY, BREAST_RADIUS, facecolor="#fbeee6", edgecolor=NODE_EDGE, lw=1.2))
    ax.plot([NIPPLE_XY[0]], [NIPPLE_XY[1]], "o", color=NODE_EDGE, ms=4)
    ax.plot([0, 0], [-8, 19], color=MUTED, lw=1, ls="--")
    ax.text(0.3, -7.6, "midline (sternum)", fontsize=7, color=MUTED, va="bottom")
    medial, lateral = PEC_MINOR_X
    ax.add_patch(
        Rectangle((medial, 6.0), lateral - medial, 9.5, facecolor="#efe3f3", edgecolor="none")
    )
    ax.text(
        (medial + lateral) / 2,
        6.2,
        "pectoralis\nminor",
        fontsize=6.5,
        color=INK,
        ha="center",
        va="bottom",
    )
    ax.plot([0, 19], [CLAVICLE_Y, CLAVICLE_Y], color=NODE_EDGE, lw=2.5, solid_capstyle="round")
    ax.text(19.3, CLAVICLE_Y, "clavicle", fontsize=7, color=MUTED, va="center")
    for x, y, label in (
        (19.8, 6.3, "level I"),
        (13.5, 14.1, "level II"),
        (9.2, 13.3, "level III"),
        (7.0, 19.2, "supraclavicular"),
    ):
        ax.text(x, y, label, fontsize=7, color=INK, ha="center")
    # along the chain, between it and the midline, clear of the vessels that reach it
    ax.text(
        1.5, 6.5, "internal mammary", fontsize=7, color=INK, ha="center", va="center", rotation=90
    )
    segments = [(_XY[_INDEX[a]], _XY[_INDEX[b]]) for a, b in EDGES]
    ax.add_collection(LineCollection(segments, colors=MUTED, linewidths=0.6, alpha=0.6))
    nodes = ax.scatter(
        _XY[:, 0], _XY[:, 1], s=70, c=[NODE_FILL], edgecolors=NODE_EDGE, linewidths=1.0, zorder=3
    )
    (tumour,) = ax.plot([], [], marker="*", ms=14, color=METASTASIS, mec=INK, mew=0.6, zorder=4)
    paths = ax.add_collection(LineCollection([], colors=TRACER_BLUE, linewidths=2.0))
    onward = ax.add_collection(
        LineCollection([], colors=TRACER_BLUE, linewidths=1.2, linestyles="dotted")
    )
    caption = ax.text(-2.2, 22.8, "", fontsize=8.5, color=INK, va="top", ha="left", weight="bold")
    return LymphaticMap(ax, nodes, tumour, paths, onward, caption)


def update_lymphatic_map(
    chart: LymphaticMap,
    tumour_xy,
    *,
    first_echelon,
    marked,
    removed,
    metastasis: int,
    step: int,
    caption: str,
) -> None:
    """Show one patient at an animation step: 0 injection, 1 lymph vessels, 2 sentinel nodes lit,
    3 nodes removed; ``metastasis`` is the index of the node holding tumour (-1 for none)."""
    chart.tumour.set_data([tumour_xy[0]], [tumour_xy[1]])
    first = np.flatnonzero(first_echelon)
    chart.paths.set_segments([(tumour_xy, _XY[i]) for i in first] if step >= 1 else [])
    downstream = [
        (_XY[_INDEX[a]], _XY[_INDEX[b]])
        for a, b in EDGES
        if marked[_INDEX[a]] and NODES[_INDEX[b]].echelon == NODES[_INDEX[a]].echelon + 1
    ]
    chart.onward.set_segments(downstream if step >= 2 else [])
    faces = np.array([NODE_FILL] * len(NODES), dtype=object)
    edges = np.array([NODE_EDGE] * len(NODES), dtype=object)
    widths = np.full(len(NODES), 1.0)
    if step >= 2:
        faces[np.asarray(marked, bool)] = TRACER_BLUE
    if step >= 3:
        edges[np.asarray(removed, bool)] = REMOVED_EDGE
        widths[np.asarray(removed, bool)] = 3.0
        if metastasis >= 0:
            faces[metastasis] = METASTASIS
    chart.nodes.set_facecolors(list(faces))
    chart.nodes.set_edgecolors(list(edges))
    chart.nodes.set_linewidths(widths)
    chart.caption.set_text(caption)


@dataclass(frozen=True)
class FalseNegativeChart:
    """The moving parts: model bars with confidence intervals, the published marks, the overall."""

    bars: tuple
    errors: LineCollection
    published: Line2D
    overall: Line2D
    label: Text
    trial_range: tuple

    @property
    def moving(self) -> list:
        """The artists that updates change."""
        return [
            *self.trial_range,
            *self.bars,
            self.errors,
            self.published,
            self.overall,
            self.label,
        ]


GROUPS = ("1", "2", "3", "≥4")


def draw_false_negative_chart(ax: Axes, trial_range: tuple[float, float]) -> FalseNegativeChart:
    """Axes for false-negative rate by number of sentinel nodes removed, with published marks."""
    ax.set_facecolor(BACKGROUND)
    x = np.arange(len(GROUPS))
    ax.set_xticks(x, GROUPS)
    ax.set_xlim(-0.6, len(GROUPS) - 0.4)
    ax.set_ylim(0, 45)
    ax.tick_params(colors=INK, labelsize=8)
    for spine in ax.spines.values():
        spine.set_color(INK)
    ax.set_xlabel("sentinel nodes removed", color=INK, fontsize=8)
    ax.set_ylabel("false-negative rate (%)", color=INK, fontsize=8)
    band = ax.axhspan(*trial_range, color=MUTED, alpha=0.15, lw=0)
    band_label = ax.text(
        len(GROUPS) - 0.45,
        trial_range[1] + 0.5,
        "range of the large trials",
        fontsize=7,
        color=MUTED,
        ha="right",
        va="bottom",
    )
    (published,) = ax.plot(
        x, np.full(len(GROUPS), np.nan), "D", color=INK, ms=6, label="published series", zorder=4
    )
    bars = ax.bar(
        x, np.zeros(len(GROUPS)), width=0.55, color=ACCENT, alpha=0.8, label="this model (95% CI)"
    )
    errors = ax.add_collection(LineCollection([], colors=INK, linewidths=1.2))
    (overall,) = ax.plot([-0.6, len(GROUPS) - 0.4], [0, 0], color=ACCENT, lw=1, ls="--")
    label = ax.text(-0.55, 0, "", fontsize=7, color=ACCENT, va="bottom")
    ax.legend(fontsize=7, loc="upper right", frameon=False)
    return FalseNegativeChart(
        tuple(bars.patches), errors, published, overall, label, (band, band_label)
    )


def update_false_negative_chart(
    chart: FalseNegativeChart,
    estimates: dict,
    overall: float,
    published: list[float],
    show_trial_range: bool = True,
) -> None:
    """Bars at each group's rate (hidden where no patient had that many nodes), CI whiskers,
    and the published rate of each group in %."""
    chart.published.set_ydata(published)
    for artist in chart.trial_range:
        artist.set_visible(show_trial_range)
    segments = []
    for i, (bar, group) in enumerate(zip(chart.bars, GROUPS, strict=True)):
        estimate = estimates[group]
        shown = estimate.count > 0
        bar.set_height(100 * estimate.rate if shown else 0.0)
        if shown:
            low, high = estimate.ci
            segments.append([(i, 100 * low), (i, 100 * high)])
    chart.errors.set_segments(segments)
    chart.overall.set_ydata([100 * overall, 100 * overall])
    chart.label.set_position((-0.55, 100 * overall + 0.4))
    chart.label.set_text(f"overall {100 * overall:.1f}%")
