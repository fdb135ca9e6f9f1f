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
    """Every control changes the text; the picture changes for every control that changes what
    is drawn. Only inputs that leave the result unchanged in that state (a positive molecular
    test once metastases are present; Ki-67 or screening for ER-negative disease, which PREDICT
    ignores) may leave the picture as it was, and never the first control."""
    explorer = EXPLORERS[name]()
    for index, (control_name, control) in enumerate(explorer.controls.items()):
        if control.disabled:  # locked by an earlier choice (e.g. no breast radiotherapy)
            continue
        before = (explorer.readout.value, _digest(explorer))
        if isinstance(control.value, bool):
            control.value = not control.value
        elif hasattr(control, "max"):
            control.value = control.max if control.value != control.max else control.min
        else:
            options = [o[1] if isinstance(o, tuple) else o for o in control.options]
            control.value = next(v for v in options if v != control.value)
        after = (explorer.readout.value, _digest(explorer))
        assert after[0] != before[0], f"{name}.{control_name} did not change the text"
        if index == 0 or control_name not in UNCHANGED_PICTURE_ALLOWED.get(name, ()):
            assert after[1] != before[1], f"{name}.{control_name} did not change the picture"


UNCHANGED_PICTURE_ALLOWED = {
    "nodes": ("molecular_positive",),
    "predict": ("ki67", "screen"),  # PREDICT uses them for ER-positive disease only
}


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


def _preset_button(explorer, label_start):
    (row,) = explorer.widget.children[0].children[-1:]
    return next(b for b in row.children if b.description.startswith(label_start))


def test_clusters_explorer_cap_examples_the_largest_focus_decides():
    explorer = EXPLORERS["clusters"]()
    _preset_button(explorer, "CAP example: 0.9").click()
    text = explorer.readout.value
    assert "micrometastasis" in text and "<b>pN1mi(sn)</b>" in text
    assert "wrongly suggest a macrometastasis" in text and "never" in text
    radii = [focus.get_radius() for focus in explorer.foci]
    assert radii == pytest.approx([0.45, 0.35, 0.3])  # each focus drawn to scale
    assert explorer.node.finder.center == pytest.approx(explorer.foci[0].center)
    assert explorer.largest_marker.marker.get_xdata()[0] == pytest.approx(0.9)
    assert explorer.sum_marker.marker.get_xdata()[0] == pytest.approx(2.2)

    _preset_button(explorer, "CAP example: three 0.1").click()
    assert "<b>pN0(i+)(sn)</b>" in explorer.readout.value
    assert "isolated tumour cells" in explorer.readout.value


def test_cap_preset_is_the_registered_worked_example():
    from micromet.evidence import value
    from micromet.widgets.clusters import PRESETS

    assert max(PRESETS["CAP example: 0.9 + 0.7 + 0.6 mm"]) == value("largest_focus_rule")


def test_clusters_explorer_with_no_focus_says_so():
    explorer = EXPLORERS["clusters"]()
    explorer.set_values(focus_1_mm=0.0, focus_2_mm=0.0, focus_3_mm=0.0)
    assert "No tumour" in explorer.readout.value
    assert not any(focus.get_visible() for focus in explorer.foci)


def test_clusters_explorer_one_focus_shows_no_sum():
    explorer = EXPLORERS["clusters"]()
    explorer.set_values(focus_1_mm=2.5, focus_2_mm=0.0, focus_3_mm=0.0)
    assert "macrometastasis" in explorer.readout.value and "never" not in explorer.readout.value
    assert not explorer.sum_marker.marker.get_visible()


@pytest.mark.parametrize("name", sorted(EXPLORERS))
def test_blitted_frames_match_a_full_redraw_after_many_updates(name):
    """The cached background never goes stale: the last frame equals a from-scratch drawing."""
    import io

    import numpy as np
    from PIL import Image

    from micromet.diagrams import new_figure, png_bytes

    explorer = EXPLORERS[name]()
    for control in explorer.controls.values():
        if hasattr(control, "max"):
            for fraction in (1.0, 0.0, 0.37):
                span = control.max - control.min
                value = control.min + fraction * span
                is_log = hasattr(control, "base")
                control.value = control.base**value if is_log else type(control.value)(value)
    twin = EXPLORERS[name]()
    figure = new_figure(*twin.figsize)
    twin.build(figure)
    twin.draw(**explorer.values())
    fast = np.asarray(Image.open(io.BytesIO(bytes(explorer.image.value))).convert("RGB"), int)
    full = np.asarray(Image.open(io.BytesIO(png_bytes(figure))).convert("RGB"), int)
    assert fast.shape == full.shape
    differing = (np.abs(fast - full).sum(axis=2) > 30).mean()
    assert differing < 0.005, f"{differing:.2%} of pixels differ from a full redraw"


def test_growth_explorer_times_scale_with_the_doubling_time():
    from micromet.evidence import value
    from micromet.growth import milestone_times

    explorer = EXPLORERS["growth"]()
    assert explorer.controls["days"].value == value("tvdt_median_days")
    assert (explorer.controls["days"].min, explorer.controls["days"].max) == tuple(
        value("tvdt_range_days")
    )
    explorer.controls["days"].value = 200
    years = [days / 365.25 for _, _, days in milestone_times(200)]
    assert f"{years[0]:.1f}" in explorer.readout.value
    assert list(explorer.chart.points.get_xdata()) == pytest.approx(years)
    curve_x, curve_y = explorer.chart.curve.get_data()
    assert curve_y[0] == pytest.approx(value("tumour_cell_diameter_um") / 1000)
    assert curve_y[1] > curve_y[0]  # growing


def test_growth_explorer_presets_load_registered_doubling_times():
    from micromet.evidence import value

    explorer = EXPLORERS["growth"]()
    row = explorer.widget.children[0].children[-1]
    triple_negative = next(b for b in row.children if b.description.startswith("triple"))
    triple_negative.click()
    assert explorer.controls["days"].value == value("tvdt_triple_negative_days")
    assert f"<b>{value('tvdt_triple_negative_days')} days</b>" in explorer.readout.value


@pytest.mark.parametrize(
    ("diameter", "interval", "levels", "percent"),
    [(0.5, 2.0, 1, "25%"), (0.2, 2.0, 1, "10%"), (2.0, 2.0, 1, "100%"), (0.5, 2.0, 4, "100%")],
)
def test_sectioning_explorer_shows_the_analytic_chance(diameter, interval, levels, percent):
    explorer = EXPLORERS["sectioning"]()
    explorer.set_values(diameter_mm=diameter, interval_mm=interval, levels=levels)
    assert f"Chance that a section cuts it: <b>{percent}</b>" in explorer.readout.value
    x, y = explorer.curve.point.get_data()
    assert x[0] == pytest.approx(diameter) and y[0] == pytest.approx(float(percent[:-1]))


def test_sectioning_explorer_histogram_holds_the_deposits_found():
    explorer = EXPLORERS["sectioning"]()
    explorer.set_values(diameter_mm=0.5, interval_mm=2.0, levels=1)
    heights = [bar.get_height() for bar in explorer.histogram.bars]
    assert sum(heights) == pytest.approx(100.0)
    assert "missed: 75%" == explorer.histogram.missed.get_text()
    assert "0.79 × the true size" in explorer.readout.value  # about pi / 4


def test_sectioning_explorer_same_inputs_same_output():
    first, second = EXPLORERS["sectioning"](), EXPLORERS["sectioning"]()
    for explorer in (first, second):
        explorer.set_values(diameter_mm=0.3, interval_mm=1.5, levels=2)
    assert first.readout.value == second.readout.value
    assert bytes(first.image.value) == bytes(second.image.value)


def test_drainage_explorer_tells_one_patients_story_and_draws_it():
    from micromet.drainage import NODES, locate

    explorer = EXPLORERS["drainage"]()
    explorer.set_values(location="UOQ", tracer="dual", patient=7, step=3)
    assert "false negative" in explorer.readout.value  # patient 7 is a missed metastasis
    assert list(explorer.map.tumour.get_xdata()) == [locate("UOQ").xy[0]]
    edges = explorer.map.nodes.get_linewidths()
    assert len(edges) == len(NODES) and max(edges) > 1.0  # removed nodes are ringed
    explorer.controls["step"].value = 0
    assert "Press play" in explorer.readout.value
    assert len(explorer.map.paths.get_segments()) == 0  # nothing has travelled yet
    explorer.controls["location"].value = "LIQ"
    assert "25% of such tumours" in explorer.readout.value  # Byrd's lower inner rate


def test_drainage_explorer_play_is_linked_to_the_step_slider():
    explorer = EXPLORERS["drainage"]()
    assert explorer.play.max == explorer.controls["step"].max
    assert "mm-explorer" in explorer.widget._dom_classes


def test_cohort_explorer_compares_with_the_published_series():
    from micromet.evidence import value

    explorer = EXPLORERS["cohort"]()
    assert list(explorer.chart.published.get_ydata()) == value("han_fnr_by_slns")
    one_node = explorer.chart.bars[0].get_height()
    assert 14.6 <= one_node <= 24.6  # Han's 19.6% within the model's stated 5-point tolerance
    explorer.controls["neoadjuvant"].value = True
    assert explorer.chart.published.get_ydata()[0] == value("z1071_fnr_by_slns")[0]
    assert explorer.chart.bars[0].get_height() > one_node
    assert "ACOSOG Z1071" in explorer.readout.value
    explorer.controls["max_slns"].value = 1
    heights = [bar.get_height() for bar in explorer.chart.bars]
    assert heights[1:] == [0.0, 0.0, 0.0]  # nobody had more than one node removed


def test_node_builder_edits_the_selected_node_and_restages():
    explorer = EXPLORERS["nodes"]()
    assert "<b>pN1mi(sn)</b>" in explorer.readout.value  # 3 micro-only sentinel nodes
    explorer.controls["deposit_mm"].value = 3.0  # node 1 becomes a macrometastasis
    assert "<b>pN1a(sn)</b>" in explorer.readout.value
    explorer.controls["node"].value = 2
    assert explorer.controls["deposit_mm"].value == 1.5  # the editor shows node 2
    explorer.controls["count"].value = 6
    assert "<b>pN1a</b>" in explorer.readout.value  # 6 nodes in all: no (sn)
    assert len(explorer.board.nodes.get_offsets()) == 6
    explorer.controls["neoadjuvant"].value = True
    assert explorer.board.stage.get_text() == "ypN1a"


def test_node_builder_presets_show_each_pitfall():
    from micromet.widgets.nodes import PRESETS

    explorer = EXPLORERS["nodes"]()
    expected = {
        "3 sentinel nodes, micrometastases only": "pN1mi(sn)",
        "2 macro + 2 micro": "pN2a(sn)",
        "ITC only": "pN0(i+)(sn)",
        "level III node": "pN3a(sn)",
        "internal mammary sentinel": "pN1b(sn)",
        "6 nodes, one macro": "pN1a",
    }
    for label, stage in expected.items():
        explorer.load(PRESETS[label])
        assert f"<b>{stage}</b>" in explorer.readout.value, label
    assert explorer.controls["node"].max == explorer.controls["count"].value


def test_node_builder_count_never_leaves_the_edited_node_out_of_range():
    explorer = EXPLORERS["nodes"]()
    explorer.controls["node"].value = 3
    explorer.controls["count"].value = 1
    assert explorer.controls["node"].value == 1


def test_axilla_explorer_colours_the_trials_that_enrolled_the_case():
    from micromet.axilla import Fit
    from micromet.diagrams.trials import FIT_COLOURS

    explorer = EXPLORERS["axilla"]()  # T1, 15 mm, 1 sentinel node with a micrometastasis
    colours = dict(
        zip(explorer.timeline.names, explorer.timeline.markers.get_facecolors(), strict=True)
    )
    green = pytest.approx(list(_rgb(FIT_COLOURS[Fit.MATCH])) + [1.0])
    for name in ("ACOSOG Z0011", "IBCSG 23-01", "AMAROS"):
        assert list(colours[name]) == green, name
        assert name in explorer.readout.value
    explorer.controls["positive_slns"].value = -1  # before the biopsy: SOUND and INSEMA's question
    assert explorer.controls["deposit"].options == ("none",)
    assert "INSEMA" in explorer.readout.value.split("Why the other")[0]


def test_axilla_explorer_cannot_reach_a_contradictory_case():
    explorer = EXPLORERS["axilla"]()
    explorer.controls["surgery"].value = "mastectomy"
    assert explorer.controls["whole_breast_rt"].value is False
    assert explorer.controls["whole_breast_rt"].disabled
    explorer.controls["extranodal_extension"].value = True
    explorer.controls["positive_slns"].value = 0
    assert explorer.controls["extranodal_extension"].value is False
    assert set(explorer.controls["deposit"].options) == {"none", "isolated tumour cells only"}
    explorer.case()  # a valid AxillaCase, never an error


def test_amaros_explorer_fills_the_registered_rates():
    from micromet.evidence import value

    explorer = EXPLORERS["amaros"]()
    filled = sum(1 for c in explorer.icons.grids[0].get_facecolors() if c[2] < 0.9)
    assert filled == round(value("amaros_lymphoedema_5y")[0])  # 24.5 of 100 after dissection
    explorer.controls["arm"].value = "axillary radiotherapy"
    assert explorer.icons.counts[0].get_text() == f"{value('amaros_lymphoedema_5y')[1]:g} in 100"


def test_predict_explorer_draws_the_model_and_stacks_its_benefits():
    import numpy as np

    from micromet.predict import Patient, predict

    explorer = EXPLORERS["predict"]()
    explorer.set_values(age=55, size_mm=25, grade="3", nodes=-1, her2="positive", year=10)
    patient = Patient(55, 25, 3, 1, micromets_only=True, er_positive=True, her2=True)
    expected = predict(patient).overall_survival(10)
    _, alive = explorer.chart.curves["surgery only"].get_data()
    assert alive[10] == pytest.approx(100 * expected)
    assert f"{100 * expected:.1f}% alive after surgery alone" in explorer.readout.value
    stacked = sum(seg.get_height() for seg in explorer.chart.segments.values())
    everything = ("hormone", "chemo3", "trastuzumab", "bisphosphonates")
    assert stacked == pytest.approx(100 * predict(patient).overall_survival(10, everything))
    explorer.set_values(er="negative", her2="negative")
    assert explorer.chart.segments["hormone"].get_height() == 0  # no endocrine benefit if ER-
    assert explorer.chart.segments["trastuzumab"].get_height() == 0
    assert np.all(np.diff(explorer.chart.curves["surgery only"].get_data()[1]) <= 0)


def test_node_status_explorer_orders_the_nodal_findings():
    explorer = EXPLORERS["node_status"]()
    heights = [bar.get_height() for bar in explorer.chart.untreated]
    no_met, itc, micro, one, four = heights
    assert no_met == itc  # PREDICT has no input for ITC
    assert no_met > micro > one > four  # half a node, then whole nodes
    treated = [bar.get_height() for bar in explorer.chart.treated]
    assert all(t >= u for t, u in zip(treated, heights, strict=True))


def test_bisphosphonates_only_after_the_menopause():
    explorer = EXPLORERS["predict"]()
    assert explorer.chart.segments["bisphosphonates"].get_height() > 0
    explorer.controls["post_menopausal"].value = False
    assert explorer.chart.segments["bisphosphonates"].get_height() == 0
    assert "bisphosphonates" not in explorer.readout.value.split("<table>")[1].split("</table>")[0]
