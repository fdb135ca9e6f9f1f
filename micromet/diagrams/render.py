"""Figures that live outside pyplot and render to PNG bytes quickly, for in-place explorers."""

from __future__ import annotations

import io

from matplotlib.artist import Artist
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


def _encode(canvas: FigureCanvasAgg) -> bytes:
    image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw")
    out = io.BytesIO()
    image.convert("RGB").save(out, format="png", compress_level=1)
    return out.getvalue()


def png_bytes(fig: Figure) -> bytes:
    """Draw the whole figure and encode it as PNG, favouring speed over file size."""
    fig.canvas.draw()
    return _encode(fig.canvas)


class FrameRenderer:
    """Renders a figure whose static parts are drawn once; only the moving artists are redrawn.

    The static background is cached after the first frame (blitting), so an update costs the
    moving artists plus the PNG encoding instead of a full redraw.
    """

    def __init__(self, fig: Figure, moving: list[Artist]):
        self.fig = fig
        self.moving = list(moving)
        for artist in self.moving:
            artist.set_animated(True)
        self._background = None

    def png(self) -> bytes:
        """The current frame as PNG bytes."""
        canvas = self.fig.canvas
        if self._background is None:
            canvas.draw()  # animated artists are left out of a full draw
            self._background = canvas.copy_from_bbox(self.fig.bbox)
        else:
            canvas.restore_region(self._background)
        for artist in self.moving:
            self.fig.draw_artist(artist)
        return _encode(canvas)
