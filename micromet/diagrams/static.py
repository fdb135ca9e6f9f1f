"""Figures shown once (no controls): the size ladder and cells against diameter, with alt text."""

from __future__ import annotations

import base64
import html

import numpy as np

from micromet.diagrams.palette import ACCENT, BACKGROUND, CATEGORY_COLOURS, INK, MUTED
from micromet.diagrams.render import new_figure, png_bytes
from micromet.diagrams.ruler import draw_size_ruler
from micromet.evidence import value
from micromet.growth import (
    CELL_DIAMETER_UM,
    SCREENING_SENSITIVITY_5MM_SIZE_MM,
    SCREENING_SENSITIVITY_10MM_SIZE_MM,
    cells_in_section,
    cells_in_sphere,
)
from micromet.staging import DepositCategory


class StaticFigure:
    """A rendered figure with its alt text; notebooks display it as an accessible image."""

    def __init__(self, png: bytes, alt: str):
        self.png = png
        self.alt = alt

    def __repr__(self) -> str:
        return f"StaticFigure(alt={self.alt[:60]!r}...)"

    def _repr_html_(self) -> str:
        data = base64.b64encode(self.png).decode("ascii")
        return (
            f'<img class="mm-static-figure" alt="{html.escape(self.alt)}" '
            f'src="data:image/png;base64,{data}">'
        )


def size_ladder(node_length_mm: float = 10.0) -> StaticFigure:
    """One log ruler from a single tumour cell to a whole node and sizes mammography detects."""
    fig = new_figure(6.4, 1.6)
    ax = fig.add_axes((0.05, 0.3, 0.9, 0.62))
    ruler = draw_size_ruler(ax)
    ruler.marker.set_visible(False)
    ax.set_xlabel("size (log scale)", color=INK, fontsize=8)
    small, large = SCREENING_SENSITIVITY_5MM_SIZE_MM, SCREENING_SENSITIVITY_10MM_SIZE_MM
    ax.plot([small, large], [0.62, 0.62], "s", color=ACCENT, ms=5)
    ax.text(
        small * 0.8,
        0.62,
        f"mammography finds {value('screening_sensitivity_5mm'):g}% "
        f"at {small:g} mm, {value('screening_sensitivity_10mm'):g}% at {large:g} mm",
        ha="right",
        va="center",
        fontsize=7,
        color=ACCENT,
    )
    ax.plot([node_length_mm], [0.85], "D", color=MUTED, ms=5)
    ax.text(
        node_length_mm * 0.8,
        0.85,
        f"example lymph node, {node_length_mm:g} mm long",
        ha="right",
        va="center",
        fontsize=7,
        color=MUTED,
    )
    alt = (
        "A log-scale ruler from 5 micrometres to 30 mm: one tumour cell (about "
        f"{CELL_DIAMETER_UM:g} µm) at the left, the ITC band up to {value('itc_max_mm'):g} mm, "
        f"micrometastases to {value('micro_max_mm'):g} mm, macrometastases beyond, an example "
        f"node of {node_length_mm:g} mm, and the tumour sizes at which screening mammography "
        f"finds {value('screening_sensitivity_5mm'):g}% ({SCREENING_SENSITIVITY_5MM_SIZE_MM:g} mm) "
        f"and {value('screening_sensitivity_10mm'):g}% "
        f"({SCREENING_SENSITIVITY_10MM_SIZE_MM:g} mm) of breast cancers."
    )
    return StaticFigure(png_bytes(fig), alt)


def cells_against_diameter() -> StaticFigure:
    """Cells in a whole spherical deposit and in its largest cross-section, against diameter."""
    fig = new_figure(6.0, 3.2)
    ax = fig.add_axes((0.12, 0.16, 0.84, 0.76))
    ax.set_facecolor(BACKGROUND)
    diameter = np.geomspace(0.02, 3.0, 200)
    ax.loglog(diameter, cells_in_sphere(diameter), color=INK, lw=2, label="cells in the deposit")
    ax.loglog(
        diameter,
        cells_in_section(diameter),
        color=ACCENT,
        lw=2,
        ls="--",
        label="cells in its largest section",
    )
    itc_mm, micro_mm, itc_cells = value("itc_max_mm"), value("micro_max_mm"), value("itc_max_cells")
    ax.axvline(itc_mm, color=CATEGORY_COLOURS[DepositCategory.ITC], lw=1)
    ax.axvline(micro_mm, color=CATEGORY_COLOURS[DepositCategory.MICRO], lw=1)
    ax.axhline(itc_cells, color=ACCENT, lw=0.8, ls=":")
    ax.text(0.022, itc_cells * 1.2, f"{itc_cells} cells in one section", fontsize=7, color=ACCENT)
    cap = value("cells_in_0_2mm_cluster")
    ax.plot([itc_mm], [cap], "o", color=INK)
    ax.annotate(
        f"CAP: about {cap:g} cells\nin a {itc_mm:g} mm cluster",
        (itc_mm, cap),
        (0.035, 2e4),
        fontsize=7,
        color=INK,
        arrowprops={"arrowstyle": "->", "color": INK},
    )
    ax.set_xticks([0.02, 0.1, 0.2, 1, 2], ["0.02", "0.1", "0.2", "1", "2"])
    ax.set_xlabel("deposit diameter (mm, log scale)", fontsize=8, color=INK)
    ax.set_ylabel("number of tumour cells (log scale)", fontsize=8, color=INK)
    ax.tick_params(labelsize=7, colors=INK)
    ax.legend(fontsize=7, loc="lower right", frameon=False)
    alt = (
        "Log-log chart of tumour cell counts against deposit diameter from 0.02 to 3 mm: the "
        f"count in the whole deposit rises with the cube of the diameter, the count in its "
        f"largest section with the square; the {itc_cells}-cell line meets the section curve "
        f"near {itc_mm:g} mm, and CAP's estimate of about {cap:g} cells in a {itc_mm:g} mm "
        "cluster sits below the solid-packing curve."
    )
    return StaticFigure(png_bytes(fig), alt)
