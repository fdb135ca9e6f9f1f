"""Explorers driven headless: moving a control updates the text, the picture and the artists."""

import hashlib

import pytest

from micromet.diagrams.palette import CATEGORY_COLOURS
from micromet.staging import DepositCategory
from micromet.widgets import EXPLORERS, Explorer


def _digest(explorer: Explorer) -> str:
    return hashlib.sha1(explorer.image.value).hexdigest()


@pytest.mark.parametrize("name", sorted(EXPLORERS))
def test_every_explorer_builds_with_a_figure_text_and_alt_text(name):
    explorer = EXPLORERS[name]()
    assert bytes(explorer.image.value).startswith(b"\x89PNG")
    assert explorer.readout.value.strip()
    assert len(explorer.image.tooltip) > 40
    assert "mm-explorer" in explorer.widget._dom_classes
    assert explorer.controls
    bundle = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


@pytest.mark.parametrize("name", sorted(EXPLORERS))
def test_every_control_of_every_explorer_changes_text_and_picture(name):
    explorer = EXPLORERS[name]()
    for control_name, control in explorer.controls.items():
        before = (explorer.readout.value, _digest(explorer))
        if hasattr(control, "max"):
            control.value = control.max if control.value != control.max else control.min
        else:
            options = [v for _, v in control.options] if control.options else []
            control.value = next(v for v in options if v != control.value)
        after = (explorer.readout.value, _digest(explorer))
        assert after[0] != before[0], f"{name}.{control_name} did not change the text"
        assert after[1] != before[1], f"{name}.{control_name} did not change the picture"


@pytest.mark.parametrize(
    ("size_mm", "category", "stage"),
    [
        (0.05, DepositCategory.ITC, "pN0(i+)(sn)"),
        (0.2, DepositCategory.ITC, "pN0(i+)(sn)"),
        (0.21, DepositCategory.MICRO, "pN1mi(sn)"),
        (2.0, DepositCategory.MICRO, "pN1mi(sn)"),
        (2.1, DepositCategory.MACRO, "pN1a(sn)"),
    ],
)
def test_deposit_explorer_text_and_artists_follow_the_slider(size_mm, category, stage):
    explorer = EXPLORERS["deposit"]()
    explorer.controls["size_mm"].value = size_mm
    assert category.label in explorer.readout.value
    assert f"<b>{stage}</b>" in explorer.readout.value
    deposit = explorer.node.deposit
    assert deposit.get_radius() == pytest.approx(size_mm / 2)  # drawn to scale, in mm
    assert deposit.get_facecolor()[:3] == pytest.approx(_rgb(CATEGORY_COLOURS[category]))
    assert explorer.ruler.marker.get_xdata()[0] == pytest.approx(size_mm)


def test_deposit_explorer_rings_deposits_too_small_to_see():
    explorer = EXPLORERS["deposit"]()
    explorer.controls["size_mm"].value = 0.02
    assert explorer.node.finder.get_visible()
    explorer.controls["size_mm"].value = 1.0
    assert not explorer.node.finder.get_visible()


def test_deposit_explorer_slider_cannot_leave_its_range():
    slider = EXPLORERS["deposit"]().controls["size_mm"]
    slider.value = 1000.0
    assert slider.value == pytest.approx(slider.base**slider.max)
    slider.value = 1e-9
    assert slider.value == pytest.approx(slider.base**slider.min)


def test_explorer_updates_the_same_figure_in_place():
    explorer = EXPLORERS["deposit"]()
    figure, artist = explorer.figure, explorer.node.deposit
    explorer.controls["size_mm"].value = 3.0
    assert explorer.figure is figure and explorer.node.deposit is artist
    assert artist in explorer.figure.axes[0].patches


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    return tuple(int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
