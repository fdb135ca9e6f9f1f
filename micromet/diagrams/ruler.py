"""A size ruler on a log axis: the ITC, micrometastasis and macrometastasis bands, and a marker."""

from __future__ import annotations

from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.text import Text

from micromet.diagrams.palette import BACKGROUND, CATEGORY_COLOURS, INK, MUTED
from micromet.evidence import value
from micromet.staging import DepositCategory

RULER_MIN_MM = 0.005
RULER_MAX_MM = 30.0


@dataclass(frozen=True)
class SizeRuler:
    """One moving marker on the ruler, with its label."""

    ax: Axes
    marker: Line2D
    label: Text

    @property
    def moving(self) -> list:
        """The artists that updates change."""
        return [self.marker, self.label]


def draw_size_ruler(ax: Axes, *, align: str = "center") -> SizeRuler:
    """Draw the three category bands between the AJCC thresholds, with one tumour cell for scale."""
    itc_max, micro_max = value("itc_max_mm"), value("micro_max_mm")
    ax.set_facecolor(BACKGROUND)
    ax.set_xscale("log")
    ax.set_xlim(RULER_MIN_MM, RULER_MAX_MM)
    ax.set_ylim(0, 1)
    ax.set_yticks([])
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color(INK)
    ax.tick_params(colors=INK, labelsize=8)
    ax.set_xticks([0.01, 0.1, 0.2, 1, 2, 10])
    ax.set_xticklabels(["10 µm", "0.1 mm", "0.2", "1 mm", "2", "10 mm"])
    ax.set_xlabel("largest deposit (log scale)", color=INK, fontsize=8)
    bands = (
        (RULER_MIN_MM, itc_max, DepositCategory.ITC, "ITC"),
        (itc_max, micro_max, DepositCategory.MICRO, "micro"),
        (micro_max, RULER_MAX_MM, DepositCategory.MACRO, "macro"),
    )
    for low, high, category, name in bands:
        ax.axvspan(low, high, ymin=0, ymax=0.45, color=CATEGORY_COLOURS[category], alpha=0.55, lw=0)
        ax.text((low * high) ** 0.5, 0.22, name, ha="center", va="center", color=INK, fontsize=8)
    cell_mm = value("tumour_cell_diameter_um") / 1000
    ax.plot([cell_mm], [0.62], marker="o", ms=4, color=MUTED)
    ax.text(cell_mm * 0.85, 0.62, "one cell", ha="right", va="center", color=MUTED, fontsize=7)
    return add_size_marker(ax, align=align)


def add_size_marker(
    ax: Axes, *, colour: str = INK, y: float = 0.5, align: str = "center"
) -> SizeRuler:
    """Another marker on a drawn ruler (for example the wrong 'sum of clusters' size).

    ``align`` places the label centred over the marker, or ending ("right") or starting ("left")
    at it, so that two markers' labels never overlap.
    """
    (marker,) = ax.plot([1.0], [y], marker="v", ms=11, color=colour, clip_on=False)
    label = ax.text(1.0, y + 0.45, "", ha=align, va="top", color=colour, fontsize=9, weight="bold")
    return SizeRuler(ax, marker, label)


def update_size_ruler(ruler: SizeRuler, diameter_mm: float, text: str) -> None:
    """Move the marker to the deposit's size and relabel it."""
    ruler.marker.set_xdata([diameter_mm])
    ruler.label.set_x(diameter_mm)
    ruler.label.set_text(text)
