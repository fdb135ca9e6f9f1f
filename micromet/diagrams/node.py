"""A lymph node cross-section with its largest deposit, drawn to scale in millimetres."""

from __future__ import annotations

from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, Ellipse
from matplotlib.text import Text

from micromet.diagrams.palette import BACKGROUND, CATEGORY_COLOURS, INK, MUTED, NODE_EDGE, NODE_FILL
from micromet.staging import DepositCategory

MIN_VISIBLE_PX = 1.5
"""A deposit narrower than about 1.5 pixels is marked with a ring so the learner can find it."""


@dataclass(frozen=True)
class NodeSection:
    """The artists of one node drawing, kept so that updates move them instead of redrawing."""

    ax: Axes
    node: Ellipse
    deposit: Circle
    finder: Circle
    label: Text
    scale_bar: Line2D
    length_mm: float
    width_mm: float

    @property
    def moving(self) -> list:
        """The artists that updates change."""
        return [self.deposit, self.finder, self.label]


def draw_node_section(
    ax: Axes, *, length_mm: float = 10.0, width_mm: float = 6.0, scale_bar_mm: float = 1.0
) -> NodeSection:
    """Draw an example node (an ellipse of the given size) with an empty deposit and a scale bar."""
    ax.set_facecolor(BACKGROUND)
    ax.set_aspect("equal")
    margin = 0.12 * length_mm
    ax.set_xlim(-length_mm / 2 - margin, length_mm / 2 + margin)
    ax.set_ylim(-width_mm / 2 - 1.6 * margin, width_mm / 2 + margin)
    ax.set_axis_off()
    node = ax.add_patch(
        Ellipse((0, 0), length_mm, width_mm, facecolor=NODE_FILL, edgecolor=NODE_EDGE, lw=1.5)
    )
    centre = (length_mm * 0.08, 0.0)
    deposit = ax.add_patch(Circle(centre, 0.0, facecolor=INK, edgecolor="none"))
    finder = ax.add_patch(
        Circle(centre, 0.05 * length_mm, fill=False, edgecolor=INK, lw=1.0, ls="--", visible=False)
    )
    x0 = -length_mm / 2
    y0 = -width_mm / 2 - 1.1 * margin
    (scale_bar,) = ax.plot(
        [x0, x0 + scale_bar_mm], [y0, y0], color=INK, lw=3, solid_capstyle="butt"
    )
    ax.text(
        x0 + scale_bar_mm / 2,
        y0 - 0.25 * margin,
        f"{scale_bar_mm:g} mm",
        ha="center",
        va="top",
        color=INK,
        fontsize=9,
    )
    ax.text(
        length_mm / 2 + margin,
        y0,
        f"example node, {length_mm:g} × {width_mm:g} mm, to scale",
        ha="right",
        va="center",
        color=MUTED,
        fontsize=8,
    )
    label = ax.text(
        centre[0], centre[1] + 0.09 * length_mm, "", ha="center", va="bottom", color=INK, fontsize=9
    )
    return NodeSection(ax, node, deposit, finder, label, scale_bar, length_mm, width_mm)


def update_node_section(
    section: NodeSection, diameter_mm: float, category: DepositCategory
) -> None:
    """Resize and recolour the deposit in place; ring it when it is too small to see."""
    section.deposit.set_radius(diameter_mm / 2)
    section.deposit.set_facecolor(CATEGORY_COLOURS[category])
    x_min, x_max = section.ax.get_xlim()
    px_per_mm = section.ax.get_window_extent().width / (x_max - x_min)
    tiny = diameter_mm * px_per_mm < MIN_VISIBLE_PX
    section.finder.set_visible(tiny)
    section.finder.set_edgecolor(CATEGORY_COLOURS[category])
    section.label.set_text("here: too small to see at this scale" if tiny else "")


FOCUS_POSITIONS = ((0.8, 0.0), (-2.2, 1.0), (-1.0, -1.5), (2.6, 1.2), (2.4, -1.3))
"""Where separate foci sit in the example node (mm from its centre), spread so none touch."""


def add_foci(section: NodeSection, count: int) -> tuple[Circle, ...]:
    """Add ``count`` separate foci (empty until updated) to a drawn node."""
    if not 1 <= count <= len(FOCUS_POSITIONS):
        raise ValueError(f"count must be 1 to {len(FOCUS_POSITIONS)} foci, got {count}")
    section.deposit.set_visible(False)
    return tuple(
        section.ax.add_patch(Circle(xy, 0.0, facecolor=INK, edgecolor="none"))
        for xy in FOCUS_POSITIONS[:count]
    )


def update_foci(section: NodeSection, foci, sizes_mm, categories) -> None:
    """Resize and recolour each focus (size 0 hides it) and ring the largest one."""
    for circle, size, category in zip(foci, sizes_mm, categories, strict=True):
        circle.set_visible(size > 0)
        circle.set_radius(size / 2)
        if category is not None:
            circle.set_facecolor(CATEGORY_COLOURS[category])
    largest = max(range(len(foci)), key=lambda i: sizes_mm[i])
    size = sizes_mm[largest]
    section.finder.set_center(foci[largest].center)
    section.finder.set_radius(max(size / 2 + 0.25, 0.4))
    section.finder.set_edgecolor(INK)
    section.finder.set_visible(size > 0)
    section.label.set_position((foci[largest].center[0], foci[largest].center[1] + size / 2 + 0.45))
    section.label.set_text("largest focus" if size > 0 else "")
