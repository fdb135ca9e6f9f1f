"""Figures that live outside pyplot and render to PNG bytes quickly, for in-place explorers."""

from __future__ import annotations

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from micromet.diagrams.palette import BACKGROUND

DPI = 100


def new_figure(width_in: float, height_in: float) -> Figure:
    """A figure with its own Agg canvas (never registered with pyplot, so never auto-shown)."""
    fig = Figure(figsize=(width_in, height_in), dpi=DPI, facecolor=BACKGROUND)
    FigureCanvasAgg(fig)
    return fig


def png_bytes(fig: Figure) -> bytes:
    """Draw the figure and encode it as PNG, favouring speed over file size."""
    canvas = fig.canvas
    canvas.draw()
    image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw")
    out = io.BytesIO()
    image.convert("RGB").save(out, format="png", compress_level=1)
    return out.getvalue()
