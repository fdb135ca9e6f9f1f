"""Matplotlib drawings for the course: each takes an Axes, returns its artists, updates in place."""

from micromet.diagrams.node import NodeSection, draw_node_section, update_node_section
from micromet.diagrams.palette import CATEGORY_COLOURS
from micromet.diagrams.render import new_figure, png_bytes
from micromet.diagrams.ruler import SizeRuler, draw_size_ruler, update_size_ruler

__all__ = [
    "CATEGORY_COLOURS",
    "NodeSection",
    "SizeRuler",
    "draw_node_section",
    "draw_size_ruler",
    "new_figure",
    "png_bytes",
    "update_node_section",
    "update_size_ruler",
]
