"""Unit tests for micromet.growth: cell counts in a deposit and exponential growth times."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from micromet.evidence import value
from micromet.growth import (
    CELL_DIAMETER_UM,
    MILESTONES,
    cells_in_section,
    cells_in_sphere,
    diameter_for_cells,
    doublings_to_diameter,
    milestone_times,
    time_to_diameter,
)

CELL_MM = value("tumour_cell_diameter_um") / 1000
diameters = st.floats(min_value=CELL_MM, max_value=1000, allow_nan=False)


# ---------- layering


def test_growth_imports_only_numpy_and_the_registry():
    import micromet.growth as growth

    with open(growth.__file__, encoding="utf-8") as f:
        imports = {line.split()[1] for line in f if line.startswith(("import ", "from "))}
    assert imports <= {"__future__", "numbers", "numpy", "micromet.evidence"}
    assert CELL_DIAMETER_UM == value("tumour_cell_diameter_um")


# ---------- closed-form values


def test_cells_in_sphere_closed_form():
    assert cells_in_sphere(0.2) == pytest.approx((200 / 12.4) ** 3, rel=1e-12)
    assert cells_in_sphere(0.2) == pytest.approx(4195.898, abs=1e-3)
    assert cells_in_sphere(1.0, cell_diameter_um=10) == pytest.approx(1e6)
    assert isinstance(cells_in_sphere(0.2), float)


def test_cells_in_section_closed_form_and_the_200_cell_guideline():
    """A 0.2 mm deposit shows about 260 cells across its centre; 200 cells is about 0.18 mm."""
    assert cells_in_section(0.2) == pytest.approx((200 / 12.4) ** 2, rel=1e-12)
    assert cells_in_section(0.2) == pytest.approx(260.1, abs=0.1)
    limit_mm = CELL_MM * math.sqrt(value("itc_max_cells"))
    assert limit_mm == pytest.approx(0.175, abs=0.001)
    assert cells_in_section(limit_mm) == pytest.approx(value("itc_max_cells"))
    assert cells_in_section(0.17) < value("itc_max_cells") < cells_in_section(0.18)


def test_diameter_for_cells_closed_form():
    assert diameter_for_cells(1) == pytest.approx(CELL_MM)
    assert diameter_for_cells(1000) == pytest.approx(10 * CELL_MM)
    assert diameter_for_cells(1e6, cell_diameter_um=20) == pytest.approx(2.0)
    assert isinstance(diameter_for_cells(1000), float)


@given(diameters)
def test_diameter_for_cells_inverts_cells_in_sphere(d):
    assert diameter_for_cells(cells_in_sphere(d)) == pytest.approx(d, rel=1e-9)


def test_doublings_from_one_cell():
    assert doublings_to_diameter(0.2) == pytest.approx(3 * math.log2(0.2 / 0.0124))
    assert doublings_to_diameter(0.2) == pytest.approx(12.03, abs=0.01)
    assert doublings_to_diameter(2.0) == pytest.approx(22.0, abs=0.01)
    assert doublings_to_diameter(CELL_MM) == 0
    assert isinstance(doublings_to_diameter(0.2), float)


def test_three_volume_doublings_double_the_diameter():
    assert doublings_to_diameter(2.0, start_diameter_mm=1.0) == pytest.approx(3.0)
    assert doublings_to_diameter(20.0, start_diameter_mm=10.0) == pytest.approx(3.0)
    assert doublings_to_diameter(0.2, start_diameter_mm=0.2) == 0


def test_time_is_doubling_time_times_doublings():
    tvdt = value("tvdt_median_days")
    assert time_to_diameter(2.0, tvdt) == pytest.approx(tvdt * doublings_to_diameter(2.0))
    assert time_to_diameter(2.0, 100, start_diameter_mm=1.0) == pytest.approx(300.0)
    assert isinstance(time_to_diameter(2.0, tvdt), float)


@given(diameters, st.floats(min_value=1, max_value=5000), st.floats(min_value=1.5, max_value=2))
def test_time_is_proportional_to_doubling_time(d, tvdt, factor):
    assert time_to_diameter(d, tvdt * factor) == pytest.approx(factor * time_to_diameter(d, tvdt))


def test_faster_subtypes_reach_a_size_sooner():
    days = [
        time_to_diameter(2.0, value(f"tvdt_{subtype}_days"))
        for subtype in ("triple_negative", "her2", "er_positive")
    ]
    assert days == sorted(days)


# ---------- monotonicity


@given(diameters, diameters)
def test_every_quantity_grows_with_diameter(a, b):
    small, large = sorted((a, b))
    assert cells_in_sphere(small) <= cells_in_sphere(large)
    assert cells_in_section(small) <= cells_in_section(large)
    assert doublings_to_diameter(small) <= doublings_to_diameter(large)
    assert time_to_diameter(small, 141) <= time_to_diameter(large, 141)


@given(st.floats(min_value=1, max_value=1e15), st.floats(min_value=1, max_value=1e15))
def test_diameter_grows_with_cells(a, b):
    small, large = sorted((a, b))
    assert diameter_for_cells(small) <= diameter_for_cells(large)


def test_larger_cells_mean_fewer_cells():
    assert cells_in_sphere(0.2, cell_diameter_um=18.4) < cells_in_sphere(0.2)
    assert cells_in_section(0.2, cell_diameter_um=18.4) < cells_in_section(0.2)


# ---------- arrays


def test_arrays_in_arrays_out():
    d = np.array([0.2, 2.0, 10.0])
    for f in (cells_in_sphere, cells_in_section, doublings_to_diameter):
        out = f(d)
        assert isinstance(out, np.ndarray) and out.shape == d.shape
        np.testing.assert_allclose(out, [f(float(x)) for x in d])
    np.testing.assert_allclose(diameter_for_cells(cells_in_sphere(d)), d)
    np.testing.assert_allclose(time_to_diameter(d, 141), 141 * doublings_to_diameter(d))


def test_integer_arrays_and_numpy_scalars_are_accepted():
    assert cells_in_sphere(np.array([1, 2])) == pytest.approx(cells_in_sphere(np.array([1.0, 2.0])))
    assert cells_in_sphere(np.float64(0.2)) == pytest.approx(cells_in_sphere(0.2))
    assert cells_in_sphere(1) == pytest.approx(cells_in_sphere(1.0))


def test_time_broadcasts_over_doubling_times():
    low, high = value("tvdt_range_days")
    days = time_to_diameter(2.0, np.array([low, high]))
    np.testing.assert_allclose(days, np.array([low, high]) * doublings_to_diameter(2.0))


# ---------- milestones


def test_milestones_come_from_the_registry_in_size_order():
    ids = [fact_id for _, _, fact_id in MILESTONES]
    assert ids == [
        "itc_max_mm",
        "micro_max_mm",
        "screening_sensitivity_5mm",
        "screening_sensitivity_10mm",
    ]
    sizes = [d for _, d, _ in MILESTONES]
    assert sizes[:2] == [value("itc_max_mm"), value("micro_max_mm")]
    assert sizes == [0.2, 2.0, 5.0, 10.0] and sizes == sorted(sizes)
    names = [name for name, _, _ in MILESTONES]
    assert names[:2] == ["ITC limit", "micrometastasis limit"]
    assert f"{value('screening_sensitivity_5mm'):g}%" in names[2]
    assert f"{value('screening_sensitivity_10mm'):g}%" in names[3]


def test_milestone_times():
    tvdt = value("tvdt_median_days")
    times = milestone_times(tvdt)
    assert [(name, d) for name, d, _ in times] == [(name, d) for name, d, _ in MILESTONES]
    for _, d, days in times:
        assert days == pytest.approx(time_to_diameter(d, tvdt))
    days = [t for _, _, t in times]
    assert days == sorted(days)
    # About 29 doublings from one cell to 1 cm (the textbook "about 30").
    assert times[-1][2] / tvdt == pytest.approx(29.0, abs=0.1)


def test_milestone_times_over_an_array_of_doubling_times():
    tvdt = np.array(value("tvdt_range_days"), dtype=float)
    for _, d, days in milestone_times(tvdt):
        np.testing.assert_allclose(days, tvdt * doublings_to_diameter(d))


# ---------- the model against published cell counts


def test_cell_count_of_a_0_2mm_deposit_matches_published_figures_in_order_of_magnitude():
    """The model packs 0.2 mm solid with 12.4 µm cells, so its ~4200 cells is an upper bound.

    Real deposits hold stroma, vessels and gaps between cells, so the CAP figure (~1000 cells)
    lies below it; Del Monte's 10^5-10^6 cells/mm³ puts a 0.2 mm sphere at ~420-4200 cells, and
    the model sits at the top of that range because solid 12.4 µm cells are 10^6 cells/mm³.
    """
    model = cells_in_sphere(0.2)
    cap = value("cells_in_0_2mm_cluster")
    low_density, high_density = value("cells_per_mm3")
    volume = math.pi / 6 * 0.2**3
    low, high = low_density * volume, high_density * volume
    assert low < cap < high
    assert cap < model < 10 * cap  # the same order of magnitude, the model above
    assert model == pytest.approx(high, rel=0.01)  # the top of Del Monte's range


# ---------- bad input

BAD_DIAMETERS = [
    pytest.param(0, ValueError, id="zero"),
    pytest.param(-0.2, ValueError, id="negative"),
    pytest.param(math.nan, ValueError, id="nan"),
    pytest.param(math.inf, ValueError, id="inf"),
    pytest.param(1000.001, ValueError, id="over-1000mm"),
    pytest.param(np.array([0.2, 0.0]), ValueError, id="array-with-zero"),
    pytest.param(np.array([0.2, np.nan]), ValueError, id="array-with-nan"),
    pytest.param(np.array([0.2, 5000.0]), ValueError, id="array-over-1000mm"),
    pytest.param(True, TypeError, id="bool"),
    pytest.param(np.bool_(True), TypeError, id="numpy-bool"),
    pytest.param("0.2", TypeError, id="str"),
    pytest.param(None, TypeError, id="none"),
    pytest.param(np.array([True, False]), TypeError, id="bool-array"),
    pytest.param(np.array(["0.2"]), TypeError, id="str-array"),
    pytest.param(1j, TypeError, id="complex"),
]


@pytest.mark.parametrize("bad, exc", BAD_DIAMETERS)
@pytest.mark.parametrize(
    "call",
    [
        cells_in_sphere,
        cells_in_section,
        doublings_to_diameter,
        lambda d: time_to_diameter(d, 141),
    ],
    ids=["cells_in_sphere", "cells_in_section", "doublings_to_diameter", "time_to_diameter"],
)
def test_bad_diameters_are_refused(call, bad, exc):
    with pytest.raises(exc, match="diameter_mm") as info:
        call(bad)
    if exc is ValueError:
        assert "1000 mm" in str(info.value)


@pytest.mark.parametrize(
    "bad, exc",
    [
        (0.5, ValueError),
        (0, ValueError),
        (100.5, ValueError),
        (math.nan, ValueError),
        (True, TypeError),
        ("12.4", TypeError),
        (None, TypeError),
        (np.array([12.4]), TypeError),
    ],
)
@pytest.mark.parametrize("call", [cells_in_sphere, cells_in_section])
def test_bad_cell_diameters_are_refused(call, bad, exc):
    with pytest.raises(exc, match="cell_diameter_um") as info:
        call(0.2, cell_diameter_um=bad)
    if exc is ValueError:
        assert "1" in str(info.value) and "100 µm" in str(info.value)
    with pytest.raises(exc, match="cell_diameter_um"):
        diameter_for_cells(1000, cell_diameter_um=bad)


def test_cell_diameter_range_is_inclusive():
    assert cells_in_sphere(1.0, cell_diameter_um=1) == pytest.approx(1e9)
    assert cells_in_sphere(1.0, cell_diameter_um=100) == pytest.approx(1000)


@pytest.mark.parametrize(
    "bad, exc",
    [
        (0.5, ValueError),
        (0, ValueError),
        (-5, ValueError),
        (1e16, ValueError),
        (math.inf, ValueError),
        (np.array([10.0, 0.0]), ValueError),
        (True, TypeError),
        ("1000", TypeError),
    ],
)
def test_bad_cell_counts_are_refused(bad, exc):
    with pytest.raises(exc, match="cells"):
        diameter_for_cells(bad)


@pytest.mark.parametrize(
    "bad, exc",
    [
        (0, ValueError),
        (-141, ValueError),
        (10000.5, ValueError),
        (math.nan, ValueError),
        (np.array([141.0, 0.0]), ValueError),
        (True, TypeError),
        ("141", TypeError),
        (None, TypeError),
    ],
)
def test_bad_doubling_times_are_refused(bad, exc):
    with pytest.raises(exc, match="doubling_time_days") as info:
        time_to_diameter(2.0, bad)
    if exc is ValueError:
        assert "10000 days" in str(info.value)
    with pytest.raises(exc, match="doubling_time_days"):
        milestone_times(bad)


@pytest.mark.parametrize(
    "bad, exc",
    [
        (0, ValueError),
        (2000, ValueError),
        (True, TypeError),
        ("0.01", TypeError),
        (np.array([0.01]), TypeError),
    ],
)
def test_bad_start_diameters_are_refused(bad, exc):
    with pytest.raises(exc, match="start_diameter_mm"):
        doublings_to_diameter(2.0, start_diameter_mm=bad)
    with pytest.raises(exc, match="start_diameter_mm"):
        time_to_diameter(2.0, 141, start_diameter_mm=bad)


def test_a_target_smaller_than_the_start_is_refused():
    with pytest.raises(ValueError, match="start diameter"):
        doublings_to_diameter(0.01)  # smaller than one 12.4 µm cell
    with pytest.raises(ValueError, match="start diameter"):
        time_to_diameter(np.array([1.0, 0.5]), 141, start_diameter_mm=0.8)
