"""A board of examined nodes grouped by station, coloured by the category of each node's deposit."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.lines import Line2D
from matplotlib.text import Text

from micromet.diagrams.palette import BACKGROUND, CATEGORY_COLOURS, INK, MUTED, NODE_EDGE, NODE_FILL
from micromet.staging import STATIONS, NodeFinding

MAX_NODES = 15
COLUMNS = {  # station -> (x of its first column, how many nodes per row)
    "axillary": (0.0, 5),
    "infraclavicular": (6.2, 2),
    "internal_mammary": (9.2, 2),
    "supraclavicular": (12.2, 2),
}
TITLES = {
    "axillary": "axillary\nlevels I-II",
    "infraclavicular": "infraclavicular\nlevel III",
    "internal_mammary": "internal\nmammary",
    "supraclavicular": "supra-\nclavicular",
}


@dataclass(frozen=True)
class StationBoard:
    """The moving parts: the node markers, their numbers and the ring round the selected node."""

    ax: Axes
    nodes: PathCollection
    numbers: tuple[Text, ...]
    measures: tuple[Text, ...]
    selected: Line2D
    stage: Text

    @property
    def moving(self) -> list:
        """The artists that updates change."""
        return [self.nodes, *self.numbers, *self.measures, self.selected, self.stage]


def draw_station_board(ax: Axes) -> StationBoard:
    """Column headings for the four regional stations and empty node markers."""
    ax.set_facecolor(BACKGROUND)
    ax.set_xlim(-0.8, 14.2)
    ax.set_ylim(-4.2, 1.6)
    ax.set_axis_off()
    for station, (x, per_row) in COLUMNS.items():
        centre = x + (per_row - 1) / 2
        ax.text(centre, 1.5, TITLES[station], ha="center", va="top", fontsize=8, color=INK)
    ax.plot([5.3, 5.3], [-4, 1.4], color=MUTED, lw=0.8, ls=":")
    legend = [("no tumour", NODE_FILL), *((c.label, CATEGORY_COLOURS[c]) for c in CATEGORY_COLOURS)]
    for x, (name, colour) in zip((0.0, 2.4, 7.0, 10.2), legend, strict=True):
        ax.scatter([x], [-3.9], s=60, c=[colour], edgecolors=NODE_EDGE)
        ax.text(x + 0.35, -3.9, name, fontsize=7, va="center", color=INK)
    ax.scatter([0.0], [-3.3], s=60, c=[BACKGROUND], edgecolors=INK, linewidths=2.6)
    ax.text(0.35, -3.3, "thick outline: sentinel node", fontsize=7, va="center", color=INK)
    nodes = ax.scatter([], [], s=260, linewidths=1.0, zorder=3)
    numbers = tuple(
        ax.text(0, 0, str(i + 1), ha="center", va="center", fontsize=7, color=INK, zorder=4)
        for i in range(MAX_NODES)
    )
    measures = tuple(
        ax.text(0, 0, "", ha="center", va="top", fontsize=7, color=INK, zorder=4)
        for _ in range(MAX_NODES)
    )
    (selected,) = ax.plot([], [], "o", ms=24, mfc="none", mec=INK, mew=1.5, ls="--", zorder=2)
    stage = ax.text(14.1, -3.3, "", ha="right", va="center", fontsize=13, color=INK, weight="bold")
    return StationBoard(ax, nodes, numbers, measures, selected, stage)


def _measure(finding: NodeFinding) -> str:
    parts = []
    if finding.deposit_mm is not None:
        parts.append(f"{finding.deposit_mm:g} mm")
    if finding.cells is not None:
        parts.append(f"{finding.cells} c")
    return " ".join(parts)


ROWS = 3


def node_positions(findings: list[NodeFinding]) -> np.ndarray:
    """Where each node sits: row by row in its station's column; a full column stacks like cards."""
    placed = dict.fromkeys(STATIONS, 0)
    xy = []
    for finding in findings:
        x0, per_row = COLUMNS[finding.station]
        k = placed[finding.station]
        placed[finding.station] += 1
        layer, slot = divmod(k, per_row * ROWS)
        offset = 0.25 * layer
        xy.append((x0 + slot % per_row + offset, -0.2 - 1.1 * (slot // per_row) + offset))
    return np.array(xy, dtype=float).reshape(-1, 2)


def update_station_board(
    board: StationBoard, findings: list[NodeFinding], selected: int, stage: str
) -> None:
    """Place and colour the nodes (sentinel nodes get a thick dark outline) and show the stage."""
    board.stage.set_text(stage)
    if len(findings) > MAX_NODES:
        raise ValueError(f"findings must hold at most {MAX_NODES} nodes, got {len(findings)}")
    xy = node_positions(findings)
    board.nodes.set_offsets(xy)
    colours = [NODE_FILL if f.category is None else CATEGORY_COLOURS[f.category] for f in findings]
    board.nodes.set_facecolors(colours)
    board.nodes.set_edgecolors([INK if f.sentinel else NODE_EDGE for f in findings])
    board.nodes.set_linewidths([2.6 if f.sentinel else 1.0 for f in findings])
    for i, (number, measure) in enumerate(zip(board.numbers, board.measures, strict=True)):
        shown = i < len(findings)
        number.set_visible(shown)
        measure.set_visible(shown)
        if shown:
            number.set_position(xy[i])
            measure.set_position((xy[i, 0], xy[i, 1] - 0.32))
            measure.set_text(_measure(findings[i]))
    board.selected.set_data([xy[selected, 0]], [xy[selected, 1]])
