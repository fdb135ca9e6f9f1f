"""The explorer pattern: one control panel and one figure, redrawn in place on every change."""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as w
import traitlets
from matplotlib.artist import Artist
from matplotlib.figure import Figure

from micromet.diagrams.render import FrameRenderer, new_figure
from micromet.focus import focus_style

FIGURE_WIDTH = "600px"
READOUT_WIDTH = "340px"


class AltImage(w.Image):
    """An Image whose ``tooltip`` (the img title, its accessible name) renders in JupyterLab.

    ipywidgets 8.1's front end reads ``description`` when applying a tooltip, which ``Image``
    lacks, so the view fails to render; an empty synced ``description`` avoids that.
    """

    description = traitlets.Unicode("").tag(sync=True)


@dataclass(frozen=True)
class Frame:
    """What one update shows besides the picture: the readout (HTML) and the figure's alt text."""

    readout_html: str
    alt_text: str


class Explorer:
    """Base class: subclasses draw their artists once (``build``) and move them (``draw``).

    Setting ``controls[name].value`` from code updates the explorer synchronously, exactly as a
    learner moving the control would.
    """

    name = "explorer"
    figsize = (6.0, 3.6)

    def __init__(self, controls: dict[str, w.ValueWidget], *, extras: list[w.Widget] = ()):
        self.controls = controls
        self._holding = False
        self.figure = new_figure(*self.figsize)
        self._renderer = FrameRenderer(self.figure, self.build(self.figure))
        self.image = AltImage(format="png", layout=w.Layout(width=FIGURE_WIDTH, height="auto"))
        self.image.add_class("mm-figure")
        self.readout = w.HTML(layout=w.Layout(width=READOUT_WIDTH, margin="0 0 0 12px"))
        self.readout.add_class("mm-readout")
        for control in controls.values():
            control.style.description_width = "initial"
            control.observe(self._on_change, names="value")
        panel = w.VBox([*controls.values(), *extras])
        panel.add_class("mm-controls")
        body = w.HBox([self.image, self.readout], layout=w.Layout(flex_flow="row wrap"))
        self.widget = w.VBox([panel, body, focus_style()])
        self.widget.add_class("mm-explorer")
        self.widget.add_class(f"mm-explorer-{self.name}")
        self.refresh()

    def values(self) -> dict:
        """The current value of every control, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def build(self, figure: Figure) -> list[Artist]:  # pragma: no cover - subclasses override
        """Create the artists on ``figure``, keep them for ``draw``; return the ones that move."""
        raise NotImplementedError

    def draw(self, **values) -> Frame:  # pragma: no cover - every subclass overrides it
        """Move the artists to show ``values``; return the readout and alt text."""
        raise NotImplementedError

    def refresh(self) -> None:
        """Update the artists from the controls, then publish the new frame."""
        frame = self.draw(**self.values())
        with self.image.hold_sync():  # one message, so the browser decodes one image per change
            self.image.value = self._renderer.png()
            self.image.tooltip = frame.alt_text
        self.readout.value = frame.readout_html

    def set_values(self, **values) -> None:
        """Set several controls at once, with a single update (used by presets)."""
        self._holding = True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._holding = False
        self.refresh()

    def _on_change(self, _change) -> None:
        if not self._holding:
            self.refresh()

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)
