"""Unit tests for micromet.sectioning: detection probability and simulated measured sizes."""

from __future__ import annotations

import dataclasses
import math
import time

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from micromet.evidence import value
from micromet.sectioning import SectioningResult, detection_probability, simulate

S = value("slice_interval_mm")  # the standard 2 mm slicing
ITC_MM = value("itc_max_mm")
MICRO_MM = value("micro_max_mm")


@st.composite
def plans(draw):
    """A valid sampling plan: (interval_mm, levels, level_spacing_mm or None)."""
    s = draw(st.floats(min_value=0.1, max_value=20))
    levels = draw(st.integers(min_value=1, max_value=50))
    if levels == 1 or draw(st.booleans()):
        return s, levels, None
    spacing = draw(st.floats(min_value=1e-3, max_value=1)) * s / (levels - 1)
    if (levels - 1) * spacing >= s:
        spacing = s / levels
    return s, levels, spacing


# ---------- layering


def test_sectioning_imports_only_numpy_and_model_modules():
    import micromet.sectioning as sectioning

    with open(sectioning.__file__, encoding="utf-8") as f:
        imports = {line.split()[1] for line in f if line.startswith(("import ", "from "))}
    assert imports <= {
        "__future__",
        "math",
        "numbers",
        "dataclasses",
        "numpy",
        "micromet.checks",
        "micromet.staging",
    }


# ---------- the analytic probability


@pytest.mark.parametrize(
    "d, expected",
    [
        (0.2, 0.1),
        (1.0, 0.5),
        (S - 1e-9, 1 - 1e-9 / S),
        (S, 1.0),
        (S + 1e-9, 1.0),
        (5.0, 1.0),
    ],
)
def test_one_section_per_slice_is_min_one_d_over_s(d, expected):
    assert detection_probability(d, S) == pytest.approx(expected, abs=1e-12)
    assert detection_probability(d, S) == pytest.approx(min(1.0, d / S), abs=1e-12)
    assert isinstance(detection_probability(d, S), float)


def test_levels_split_the_slice_into_gaps():
    # Three evenly spread levels in a 2 mm slice: gaps of 2/3 mm.
    assert detection_probability(0.5, 2.0, levels=3) == pytest.approx(0.75)
    assert detection_probability(1.0, 2.0, levels=3) == pytest.approx(1.0)
    # Four levels 0.25 mm apart: gaps 0.25, 0.25, 0.25 and 1.25 mm.
    assert detection_probability(0.5, 2.0, levels=4, level_spacing_mm=0.25) == pytest.approx(
        (3 * 0.25 + 0.5) / 2
    )
    assert detection_probability(0.1, 2.0, levels=4, level_spacing_mm=0.25) == pytest.approx(0.2)


def test_array_in_array_out():
    d = np.array([0.1, 0.2, 1.0, 2.0, 3.0])
    p = detection_probability(d, S)
    assert isinstance(p, np.ndarray) and p.shape == d.shape
    np.testing.assert_allclose(p, np.minimum(1, d / S))
    p3 = detection_probability(d, S, levels=3, level_spacing_mm=0.4)
    np.testing.assert_allclose(
        p3, [detection_probability(x, S, levels=3, level_spacing_mm=0.4) for x in d]
    )


@given(plans(), st.integers(min_value=1, max_value=49), st.floats(min_value=1e-3, max_value=100))
def test_more_levels_never_lower_the_probability(plan, extra, d):
    s, levels, spacing = plan
    p = detection_probability(d, s, levels=levels, level_spacing_mm=spacing)
    assert 0 < p <= 1
    more = min(levels + extra, 50)
    assert (
        detection_probability(d, s, levels=more)
        >= detection_probability(d, s, levels=levels) - 1e-12
    )
    if spacing is not None and (more - 1) * spacing < s:
        assert detection_probability(d, s, levels=more, level_spacing_mm=spacing) >= p - 1e-12


@given(plans(), st.floats(min_value=1e-3, max_value=100), st.floats(min_value=1e-3, max_value=100))
def test_probability_grows_with_diameter(plan, a, b):
    s, levels, spacing = plan
    small, large = sorted((a, b))
    p = detection_probability(np.array([small, large]), s, levels=levels, level_spacing_mm=spacing)
    assert p[0] <= p[1]


# ---------- the simulation against the analytic probability


@pytest.mark.parametrize(
    "d, s, levels, spacing",
    [
        (0.2, 2.0, 1, None),
        (1.0, 2.0, 1, None),
        (1.9, 2.0, 1, None),
        (0.1, 0.5, 1, None),
        (0.5, 2.0, 3, None),
        (0.2, 2.0, 5, None),
        (0.5, 2.0, 4, 0.25),
        (1.0, 2.0, 3, 0.5),
        (0.3, 1.0, 10, 0.05),
        (0.2, 3.0, 2, 0.1),
    ],
)
def test_simulation_agrees_with_the_analytic_probability(d, s, levels, spacing):
    result = simulate(d, s, levels=levels, level_spacing_mm=spacing, n=100_000, seed=1)
    analytic = detection_probability(d, s, levels=levels, level_spacing_mm=spacing)
    assert abs(result.detection_rate - analytic) < 0.01


@pytest.mark.parametrize(
    "d, s, levels", [(0.2, 2.0, 1), (0.5, 2.0, 1), (1.0, 2.0, 1), (1.9, 2.0, 1), (0.3, 2.0, 3)]
)
def test_sections_show_on_average_pi_over_4_of_the_true_diameter(d, s, levels):
    """When every hit deposit is reached by one plane only, h is uniform on [0, r]: mean π/4."""
    ratio = simulate(d, s, levels=levels, n=100_000, seed=2).mean_measured_ratio
    assert ratio == pytest.approx(math.pi / 4, abs=0.01)
    assert ratio == pytest.approx(value("profile_mean_ratio"), abs=0.01)


@given(st.floats(min_value=1e-3, max_value=100), plans(), st.integers(0, 2**32))
def test_measured_never_exceeds_true_and_misses_are_nan(d, plan, seed):
    s, levels, spacing = plan
    result = simulate(d, s, levels=levels, level_spacing_mm=spacing, n=500, seed=seed)
    found = result.measured_mm[result.hit]
    assert np.all(found <= d) and np.all(found > 0)
    assert np.all(np.isnan(result.measured_mm[~result.hit]))


@given(plans(), st.floats(min_value=1, max_value=5), st.integers(0, 2**32))
def test_a_deposit_at_least_a_slice_thick_is_always_hit(plan, factor, seed):
    s, levels, spacing = plan
    d = min(factor * s, 100.0)
    result = simulate(d, s, levels=levels, level_spacing_mm=spacing, n=500, seed=seed)
    assert result.hit.all() and result.detection_rate == 1.0


def test_a_deposit_larger_than_the_slice_is_measured_at_least_sqrt_d2_minus_s2():
    result = simulate(3.0, S, n=100_000)
    assert result.hit.all()
    assert result.measured_mm.min() >= math.sqrt(3.0**2 - S**2) - 1e-12


# ---------- reproducibility


def test_same_seed_same_result_different_seed_different_result():
    a = simulate(0.5, S, levels=3, n=10_000, seed=7)
    b = simulate(0.5, S, levels=3, n=10_000, seed=7)
    c = simulate(0.5, S, levels=3, n=10_000, seed=8)
    np.testing.assert_array_equal(a.hit, b.hit)
    np.testing.assert_array_equal(a.measured_mm, b.measured_mm)
    assert not np.array_equal(a.hit, c.hit)
    fresh = simulate(0.5, S, n=10_000, seed=None)
    assert fresh.seed is None and 0.2 < fresh.detection_rate < 0.3


def test_result_records_inputs_and_is_read_only():
    result = simulate(0.5, 2, levels=2, n=1000, seed=3)
    assert isinstance(result, SectioningResult)
    assert (result.diameter_mm, result.interval_mm, result.levels, result.n, result.seed) == (
        0.5,
        2.0,
        2,
        1000,
        3,
    )
    assert result.level_spacing_mm == pytest.approx(1.0)  # default: interval / levels
    assert result.hit.shape == result.measured_mm.shape == (1000,)
    assert result.hit.dtype == bool and result.measured_mm.dtype == float
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.n = 5
    with pytest.raises(ValueError):
        result.hit[0] = not result.hit[0]


def test_mean_ratio_is_nan_when_nothing_is_found():
    result = simulate(0.001, 20, n=10, seed=0)
    assert not result.hit.any()
    assert math.isnan(result.mean_measured_ratio)
    assert result.measured_categories() == {"missed": 10, "itc": 0, "micro": 0, "macro": 0}


# ---------- how the found deposits are reported


def test_categories_add_up():
    result = simulate(1.0, S, levels=2, n=20_000)
    counts = result.measured_categories()
    assert list(counts) == ["missed", "itc", "micro", "macro"]
    assert sum(counts.values()) == 20_000
    assert counts["missed"] == 20_000 - result.hit.sum()
    fractions = result.measured_categories(fractions=True)
    assert sum(fractions.values()) == pytest.approx(1.0)
    assert fractions["missed"] == pytest.approx(1 - result.detection_rate)


def test_a_true_micrometastasis_is_sometimes_measured_as_itc():
    d = 0.5
    fractions = simulate(d, S, n=100_000).measured_categories(fractions=True)
    r = d / 2
    expected_itc = (d / S) * (1 - math.sqrt(r**2 - (ITC_MM / 2) ** 2) / r)  # about 2%
    assert fractions["itc"] > 0
    assert fractions["itc"] == pytest.approx(expected_itc, abs=0.003)
    assert fractions["macro"] == 0


def test_a_macrometastasis_under_2_sqrt_2_mm_is_sometimes_measured_as_micro():
    """With 2 mm slices a plane is at most 1 mm from the centre, so the profile is ≥ √(d² − 4).

    A 2.5 mm deposit is always found but shows ≤ 2 mm when the plane is ≥ 0.75 mm off-centre
    (a quarter of the time); a 3 mm deposit always shows more than 2.2 mm, so stays macro.
    """
    assert S == 2.0
    fractions = simulate(2.5, S, n=100_000).measured_categories(fractions=True)
    assert fractions["missed"] == 0 and fractions["itc"] == 0
    assert fractions["micro"] == pytest.approx(0.25, abs=0.01)
    counts = simulate(3.0, S, n=100_000).measured_categories()
    assert counts == {"missed": 0, "itc": 0, "micro": 0, "macro": 100_000}
    assert MICRO_MM < math.sqrt(3.0**2 - S**2)


# ---------- speed


def test_simulate_is_fast():
    simulate(0.5, S, levels=3, n=100_000)
    best = math.inf
    for _ in range(3):
        start = time.perf_counter()
        simulate(0.5, S, levels=3, n=100_000)
        best = min(best, time.perf_counter() - start)
    assert best < 0.05


# ---------- bad input

BAD_DIAMETERS = [
    pytest.param(0, ValueError, id="zero"),
    pytest.param(-0.5, ValueError, id="negative"),
    pytest.param(math.nan, ValueError, id="nan"),
    pytest.param(math.inf, ValueError, id="inf"),
    pytest.param(100.5, ValueError, id="over-100mm"),
    pytest.param(True, TypeError, id="bool"),
    pytest.param("0.5", TypeError, id="str"),
    pytest.param(None, TypeError, id="none"),
]


@pytest.mark.parametrize("bad, exc", BAD_DIAMETERS)
def test_bad_diameters_are_refused(bad, exc):
    with pytest.raises(exc, match="diameter_mm") as info:
        detection_probability(bad, S)
    if exc is ValueError:
        assert "100 mm" in str(info.value)
    with pytest.raises(exc, match="diameter_mm"):
        simulate(bad, S)


@pytest.mark.parametrize(
    "bad, exc",
    [
        (np.array([0.5, 0.0]), ValueError),
        (np.array([0.5, np.nan]), ValueError),
        (np.array([0.5, 150.0]), ValueError),
        (np.array([True]), TypeError),
        (np.array(["0.5"]), TypeError),
    ],
)
def test_bad_diameter_arrays_are_refused(bad, exc):
    with pytest.raises(exc, match="diameter_mm"):
        detection_probability(bad, S)


def test_simulate_takes_one_diameter():
    with pytest.raises(TypeError, match="diameter_mm"):
        simulate(np.array([0.5, 1.0]), S)


@pytest.mark.parametrize(
    "bad, exc",
    [
        (0, ValueError),
        (-2, ValueError),
        (20.5, ValueError),
        (math.nan, ValueError),
        (True, TypeError),
        ("2", TypeError),
        (None, TypeError),
        (np.array([2.0]), TypeError),
    ],
)
def test_bad_intervals_are_refused(bad, exc):
    with pytest.raises(exc, match="interval_mm") as info:
        detection_probability(0.5, bad)
    if exc is ValueError:
        assert "20 mm" in str(info.value)
    with pytest.raises(exc, match="interval_mm"):
        simulate(0.5, bad)


@pytest.mark.parametrize(
    "bad, exc",
    [
        (0, ValueError),
        (51, ValueError),
        (-1, ValueError),
        (2.0, TypeError),
        (True, TypeError),
        ("3", TypeError),
    ],
)
def test_bad_levels_are_refused(bad, exc):
    with pytest.raises(exc, match="levels") as info:
        detection_probability(0.5, S, levels=bad)
    assert "1 to 50" in str(info.value)
    with pytest.raises(exc, match="levels"):
        simulate(0.5, S, levels=bad)


@pytest.mark.parametrize(
    "levels, bad, exc",
    [
        (3, 0, ValueError),
        (3, -0.1, ValueError),
        (3, math.nan, ValueError),
        (3, 1.0, ValueError),  # (3 - 1) × 1.0 mm reaches the next slice
        (3, 1.5, ValueError),
        (1, 2.5, ValueError),  # more than the slice
        (3, True, TypeError),
        (3, "0.5", TypeError),
    ],
)
def test_bad_level_spacings_are_refused(levels, bad, exc):
    with pytest.raises(exc, match="level_spacing_mm"):
        detection_probability(0.5, S, levels=levels, level_spacing_mm=bad)
    with pytest.raises(exc, match="level_spacing_mm"):
        simulate(0.5, S, levels=levels, level_spacing_mm=bad)


def test_level_spacing_just_inside_the_slice_is_accepted():
    assert detection_probability(0.5, S, levels=3, level_spacing_mm=0.999) == pytest.approx(
        (2 * 0.5 + 0.002) / S
    )


@pytest.mark.parametrize(
    "bad, exc",
    [
        (0, ValueError),
        (10**7 + 1, ValueError),
        (1.5, TypeError),
        (True, TypeError),
        ("10", TypeError),
    ],
)
def test_bad_draw_counts_are_refused(bad, exc):
    with pytest.raises(exc, match="n must"):
        simulate(0.5, S, n=bad)


@pytest.mark.parametrize(
    "bad, exc", [(-1, ValueError), (1.5, TypeError), (True, TypeError), ("0", TypeError)]
)
def test_bad_seeds_are_refused(bad, exc):
    with pytest.raises(exc, match="seed"):
        simulate(0.5, S, seed=bad)


def test_numpy_integers_are_accepted():
    result = simulate(
        np.float64(0.5), np.int64(2), levels=np.int64(2), n=np.int64(100), seed=np.int64(1)
    )
    assert result.levels == 2 and result.n == 100
