"""Static figures render headless with alt text; drawings stay to scale."""

import pytest

from micromet.diagrams import draw_node_section, new_figure, png_bytes, update_node_section
from micromet.diagrams.node import add_foci
from micromet.diagrams.static import cells_against_diameter, size_ladder
from micromet.evidence import value
from micromet.staging import DepositCategory


@pytest.mark.parametrize("make", [size_ladder, cells_against_diameter])
def test_static_figures_have_png_and_alt_text(make):
    figure = make()
    assert figure.png.startswith(b"\x89PNG")
    assert len(figure.alt) > 80
    html = figure._repr_html_()
    assert html.startswith("<img") and 'alt="' in html and "base64," in html


def test_size_ladder_alt_text_names_the_registered_thresholds():
    alt = size_ladder().alt
    for fact_id in ("itc_max_mm", "micro_max_mm", "screening_sensitivity_10mm"):
        assert f"{value(fact_id):g}" in alt


def test_node_section_is_drawn_in_millimetres():
    fig = new_figure(6, 3.6)
    section = draw_node_section(fig.add_axes((0, 0, 1, 1)), length_mm=12, width_mm=8)
    assert (section.node.width, section.node.height) == (12, 8)
    update_node_section(section, 1.5, DepositCategory.MACRO)
    assert section.deposit.get_radius() == 0.75
    assert png_bytes(fig).startswith(b"\x89PNG")


def test_add_foci_refuses_more_foci_than_places():
    fig = new_figure(6, 3.6)
    section = draw_node_section(fig.add_axes((0, 0, 1, 1)))
    with pytest.raises(ValueError, match="count must be 1 to 5"):
        add_foci(section, 6)
