"""Unit tests for micromet.drainage: anatomy, tumour location, tracers and the SLNB cohort model.

Calibration tolerance (see the module docstring): a published rate with a denominator in the fact
sheet must contain the model rate in its 95% Wilson interval at that denominator; a rate without
one must be within ±5 percentage points. Cohorts use fixed seeds.
"""

from __future__ import annotations

import dataclasses
import math
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from micromet import evidence
from micromet.drainage import (
    BREAST_RADIUS,
    CLAVICLE_Y,
    EDGES,
    IM_DRAINAGE,
    IM_ONLY_GIVEN_IM,
    NIPPLE_XY,
    NODES,
    PEC_MINOR_X,
    QUADRANTS,
    SKIP_LEVEL_II_SHARE,
    SKIP_RATE,
    CohortResult,
    Estimate,
    Level,
    Tracer,
    TumourLocation,
    locate,
    simulate_cohort,
    wilson_interval,
)
from micromet.evidence import value
from micromet.staging import STATIONS

BIG = 10**6
TOLERANCE = 0.05  # absolute, for published rates without a denominator in the fact sheet


def within_published_interval(model_rate: float, published_rate: float, n: int) -> bool:
    """The model rate lies in the 95% Wilson interval of the published rate at its size n."""
    low, high = wilson_interval(published_rate * n, n)
    return low <= model_rate <= high


@pytest.fixture(scope="module")
def cohort() -> CohortResult:
    return simulate_cohort(BIG)


@pytest.fixture(scope="module")
def small() -> CohortResult:
    return simulate_cohort(200_000, tumour_location="LIQ", seed=7)


@pytest.fixture(scope="module")
def neoadjuvant() -> dict[str, CohortResult]:
    return {t: simulate_cohort(BIG, tracer=t, neoadjuvant=True) for t in Tracer}


def two_or_more(c: CohortResult) -> Estimate:
    return c.fnr(c.nodes_removed >= 2)


# ---------- layering and registry


def test_drainage_imports_only_numpy_and_model_modules():
    import micromet.drainage as drainage

    with open(drainage.__file__, encoding="utf-8") as f:
        imports = {line.split()[1] for line in f if line.startswith(("import ", "from "))}
    assert imports <= {
        "__future__",
        "math",
        "numbers",
        "dataclasses",
        "enum",
        "functools",
        "typing",
        "numpy",
        "micromet.checks",
        "micromet.evidence",
        "micromet.staging",
    }


def test_tracer_rates_and_statuses_come_from_the_registry():
    expected = {
        Tracer.BLUE_DYE: (85, "VERIFIED"),
        Tracer.RADIOCOLLOID: (94, "VERIFIED"),
        Tracer.DUAL: (95, "VERIFIED"),
        Tracer.ICG: (97, "SECONDARY"),
        Tracer.SPIO: (97.6, "SECONDARY"),
    }
    for tracer, (percent, status) in expected.items():
        f = evidence.fact(tracer.fact_id)
        assert f.value == percent and f.status == status
        assert tracer.identification_rate == pytest.approx(percent / 100)
        assert tracer.label
    assert Tracer("dual") is Tracer.DUAL


def test_drainage_constants_come_from_the_registry():
    assert IM_DRAINAGE == pytest.approx(
        {"UOQ": 0.10, "LOQ": 0.27, "UIQ": 0.17, "LIQ": 0.25, "central": 0.29}
    )
    assert IM_ONLY_GIVEN_IM == pytest.approx(2 / 37)
    assert SKIP_RATE == 0.03 and SKIP_LEVEL_II_SHARE == 0.5
    # Byrd's quadrant groups add up to the 220 patients, and their IM rates to the 37 seen.
    n_quadrant = value("lymphoscint_quadrant_patients")
    assert sum(n_quadrant) == value("lymphoscint_patients") == 220
    im_patients = sum(n * IM_DRAINAGE[q] for n, q in zip(n_quadrant, QUADRANTS, strict=True))
    assert im_patients == pytest.approx(value("lymphoscint_im_drainage"), abs=0.5)


# ---------- anatomy


def test_nodes_have_unique_names_stations_levels_and_echelons():
    assert len({n.name for n in NODES}) == len(NODES)
    station = {
        Level.LEVEL_I: "axillary",
        Level.LEVEL_II: "axillary",
        Level.INTERPECTORAL: "axillary",
        Level.LEVEL_III: "infraclavicular",
        Level.INTERNAL_MAMMARY: "internal_mammary",
        Level.SUPRACLAVICULAR: "supraclavicular",
    }
    echelon = {
        Level.LEVEL_I: 1,
        Level.INTERNAL_MAMMARY: 1,
        Level.LEVEL_II: 2,
        Level.INTERPECTORAL: 2,
        Level.LEVEL_III: 3,
        Level.SUPRACLAVICULAR: 4,
    }
    for node in NODES:
        assert node.station == station[node.level] and node.station in STATIONS
        assert node.echelon == echelon[node.level]
    assert {n.level for n in NODES} == set(Level)


def test_node_positions_follow_the_level_definitions():
    """Levels are set by pectoralis minor and the clavicle (fact axillary_level_anatomy)."""
    assert evidence.fact("axillary_level_anatomy").status == "VERIFIED"
    medial, lateral = PEC_MINOR_X
    for node in NODES:
        x, y = node.xy
        if node.level is Level.LEVEL_I:
            assert x > lateral and y > NIPPLE_XY[1]
        elif node.level in (Level.LEVEL_II, Level.INTERPECTORAL):
            assert medial < x < lateral
        elif node.level is Level.LEVEL_III:
            assert x < medial and y < CLAVICLE_Y
        elif node.level is Level.SUPRACLAVICULAR:
            assert y > CLAVICLE_Y
        else:  # internal mammary: beside the sternum, medial to the breast
            assert 0 < x < NIPPLE_XY[0] - BREAST_RADIUS


def test_edges_join_known_nodes_and_run_outward():
    by_name = {n.name: n for n in NODES}
    for upstream, downstream in EDGES:
        assert by_name[downstream].echelon >= by_name[upstream].echelon
    # Every node except the last supraclavicular one drains somewhere.
    assert {u for u, _ in EDGES} == set(by_name) - {"supraclavicular 2"}


# ---------- tumour location


@pytest.mark.parametrize(
    "location, quadrants",
    [
        ((10, "right"), ("UOQ",)),
        ((11, "right"), ("UOQ",)),
        ((2, "left"), ("UOQ",)),
        ((10, "left"), ("UIQ",)),
        ((2, "right"), ("UIQ",)),
        ((4, "right"), ("LIQ",)),
        ((8, "right"), ("LOQ",)),
        ((4, "left"), ("LOQ",)),
        ((8, "left"), ("LIQ",)),
        ((12, "left"), ("UOQ", "UIQ")),
        ((3, "left"), ("UOQ", "LOQ")),
        ((9, "right"), ("UOQ", "LOQ")),
        ((3, "right"), ("UIQ", "LIQ")),
        ((6, "right"), ("LOQ", "LIQ")),
    ],
)
def test_clock_positions_map_to_quadrants(location, quadrants):
    loc = locate(location)
    assert loc.quadrants == quadrants
    assert (loc.clock, loc.side) == location
    assert math.dist(loc.xy, NIPPLE_XY) == pytest.approx(4.0)
    assert loc.im_drainage == pytest.approx(np.mean([IM_DRAINAGE[q] for q in quadrants]))


def test_schematic_puts_outer_lateral_and_upper_up():
    for q in ("UOQ", "LOQ", "UIQ", "LIQ"):
        x, y = locate(q).xy
        assert (x > NIPPLE_XY[0]) == ("O" in q)
        assert (y > NIPPLE_XY[1]) == q.startswith("U")
    assert locate("central").xy == NIPPLE_XY
    assert locate("uoq").quadrants == ("UOQ",)
    assert locate((10, "right")).xy == locate((2, "left")).xy  # mirrored breasts, same frame


def test_location_labels():
    assert locate("LIQ").label == "LIQ"
    assert locate((12, "left")).label == "12 o'clock, left breast (UOQ/UIQ)"
    loc = locate("UIQ")
    assert locate(loc) is loc


# ---------- calibration against the registered series (dual mapping, 10^6 patients)


def test_identification_rate_is_the_dual_tracer_rate(cohort):
    assert cohort.identification_rate == pytest.approx(
        value("sln_identification_dual") / 100, abs=0.01
    )


@pytest.mark.parametrize("index, key", list(enumerate([1, 2, 3, "≥4"])))
def test_fnr_by_nodes_found_matches_han(cohort, index, key):
    published = value("han_fnr_by_slns")[index] / 100
    assert cohort.fnr_by_nodes_removed()[key].rate == pytest.approx(published, abs=TOLERANCE)


def test_fnr_falls_with_every_further_node_found(cohort):
    rates = [e.rate for e in cohort.fnr_by_nodes_removed().values()]
    assert rates == sorted(rates, reverse=True)
    assert rates[0] > 2 * rates[2]


def test_overall_fnr_within_the_trials(cohort):
    fnr = cohort.false_negative_rate
    events, n = value("b32_slnb_false_negatives")
    assert within_published_interval(fnr, events / n, n)
    events, n = value("trials_false_negatives")
    assert within_published_interval(fnr, events / n, n)
    low, high = value("trials_fnr_range")
    assert low / 100 <= fnr <= high / 100
    assert fnr == pytest.approx(value("han_fnr") / 100, abs=TOLERANCE)
    assert fnr == pytest.approx(value("louisville_fnr") / 100, abs=TOLERANCE)


def test_single_vs_multiple_nodes_matches_louisville(cohort):
    single, multiple = value("louisville_fnr_single_vs_multiple")
    assert cohort.fnr(cohort.nodes_removed == 1).rate == pytest.approx(single / 100, abs=TOLERANCE)
    assert cohort.fnr(cohort.nodes_removed >= 2).rate == pytest.approx(
        multiple / 100, abs=TOLERANCE
    )


def test_removing_only_the_hottest_node_matches_adelaide(cohort):
    n = value("adelaide_node_positive")
    assert within_published_interval(cohort.false_negative_rate, value("adelaide_fnr") / 100, n)
    one = simulate_cohort(BIG, max_slns=1)
    assert within_published_interval(
        one.false_negative_rate, value("adelaide_fnr_one_sln") / 100, n
    )


def test_number_of_nodes_found(cohort):
    found = cohort.nodes_removed[~cohort.mapping_failed]
    assert np.median(found) == value("adelaide_median_slns")
    more_than_3 = np.count_nonzero(found > 3) / found.size
    assert more_than_3 == pytest.approx(value("limit3_more_than_3_slns") / 100, abs=TOLERANCE)


def test_neoadjuvant_fnr_matches_z1071(neoadjuvant):
    dual = neoadjuvant[Tracer.DUAL]
    assert two_or_more(dual).rate == pytest.approx(value("z1071_fnr") / 100, abs=TOLERANCE)
    one, two, three_plus = value("z1071_fnr_by_slns")
    removed = dual.nodes_removed
    assert dual.fnr(removed == 1).rate == pytest.approx(one / 100, abs=TOLERANCE)
    assert dual.fnr(removed == 2).rate == pytest.approx(two / 100, abs=TOLERANCE)
    assert dual.fnr(removed >= 3).rate == pytest.approx(three_plus / 100, abs=TOLERANCE)


def test_neoadjuvant_one_agent_vs_dual_matches_z1071(neoadjuvant):
    """Z1071's one-agent group mixed blue dye and radiocolloid: the model weighs them equally."""
    one_agent, dual = value("z1071_fnr_by_mapping")
    single = (
        two_or_more(neoadjuvant[Tracer.BLUE_DYE]).rate
        + two_or_more(neoadjuvant[Tracer.RADIOCOLLOID]).rate
    ) / 2
    assert single == pytest.approx(one_agent / 100, abs=TOLERANCE)
    assert two_or_more(neoadjuvant[Tracer.DUAL]).rate == pytest.approx(dual / 100, abs=TOLERANCE)


def test_neoadjuvant_therapy_raises_the_fnr_and_lowers_identification(cohort, neoadjuvant):
    dual = neoadjuvant[Tracer.DUAL]
    assert dual.false_negative_rate > cohort.false_negative_rate
    assert dual.identification_rate < cohort.identification_rate
    assert np.array_equal(dual.node_positive, cohort.node_positive)  # same patients


@pytest.mark.parametrize("tracer", list(Tracer))
def test_identification_rate_of_each_tracer(tracer):
    c = simulate_cohort(100_000, tracer=tracer, seed=11)
    assert c.identification_rate == pytest.approx(tracer.identification_rate, abs=0.01)


def test_blue_dye_alone_misses_most():
    rates = {t: simulate_cohort(200_000, tracer=t, seed=5).false_negative_rate for t in Tracer}
    assert rates[Tracer.BLUE_DYE] == max(rates.values())
    assert rates[Tracer.DUAL] < rates[Tracer.BLUE_DYE]


@pytest.mark.parametrize("quadrant", QUADRANTS)
def test_internal_mammary_drainage_by_quadrant_matches_byrd(quadrant):
    c = simulate_cohort(100_000, tumour_location=quadrant, seed=3)
    frequencies = c.drainage_frequencies()
    published = value(f"im_drainage_{quadrant.lower()}") / 100
    assert frequencies["internal_mammary"] == pytest.approx(published, abs=0.015)
    assert frequencies["axillary"] == pytest.approx(1 - published * IM_ONLY_GIVEN_IM, abs=0.002)
    assert set(frequencies) == set(STATIONS)
    assert frequencies["infraclavicular"] == frequencies["supraclavicular"] == 0.0


def test_im_only_drainage_over_byrds_quadrant_mix():
    """Weighted by Byrd's quadrant groups, IM-only drainage is Byrd's 2 of 220."""
    im_only = {
        q: 1 - simulate_cohort(50_000, tumour_location=q, seed=4).drainage_frequencies()["axillary"]
        for q in QUADRANTS
    }
    n_quadrant = value("lymphoscint_quadrant_patients")
    mix = sum(n * im_only[q] for n, q in zip(n_quadrant, QUADRANTS, strict=True))
    assert mix == pytest.approx(value("lymphoscint_im_only"), abs=0.5)


# ---------- invariants


@given(seed=st.integers(0, 2**32 - 1), k=st.integers(1, 9))
@settings(max_examples=20, deadline=None)
def test_one_more_node_removed_never_adds_a_false_negative(seed, k):
    fewer = simulate_cohort(5_000, max_slns=k, seed=seed)
    more = simulate_cohort(5_000, max_slns=k + 1, seed=seed)
    assert not np.any(more.false_negative & ~fewer.false_negative)
    assert more.false_negative_rate <= fewer.false_negative_rate
    assert np.array_equal(more.mapping_failed, fewer.mapping_failed)
    assert np.all(more.nodes_removed >= fewer.nodes_removed)


def test_fnr_never_rises_with_max_slns():
    rates = [simulate_cohort(200_000, max_slns=k, seed=9).false_negative_rate for k in range(1, 11)]
    assert rates == sorted(rates, reverse=True)
    assert rates[-1] == simulate_cohort(200_000, seed=9).false_negative_rate


def test_false_negatives_are_node_positive_mapped_patients(small):
    assert not np.any(small.false_negative & ~small.node_positive)
    assert not np.any(small.false_negative & small.mapping_failed)
    assert np.array_equal(small.node_positive, small.metastasis_node >= 0)
    events, total = small.false_negative_counts
    assert total == np.count_nonzero(small.node_positive & ~small.mapping_failed)
    assert events == np.count_nonzero(small.false_negative)
    assert small.false_negative_rate == events / total
    assert small.false_negative_ci == wilson_interval(events, total)


def test_node_arrays_agree_with_the_per_patient_results(small):
    marked, removed, first = small.marked, small.removed, small.first_echelon
    assert marked.shape == removed.shape == first.shape == (small.n, len(NODES))
    assert not np.any(removed & ~marked)
    assert np.array_equal(removed.sum(axis=1), small.nodes_removed)
    axillary = np.array([n.station in ("axillary", "infraclavicular") for n in NODES])
    assert np.array_equal(marked[:, axillary].any(axis=1), ~small.mapping_failed)
    level_i = np.array([n.level is Level.LEVEL_I for n in NODES])
    assert np.array_equal(first[:, level_i].sum(axis=1), small.first_echelon_count)
    im = np.array([n.level is Level.INTERNAL_MAMMARY for n in NODES])
    assert not removed[:, im].any() and marked[:, im].any()
    assert not np.any(marked[:, ~(level_i | im)] & first[:, ~(level_i | im)])
    # A false negative's metastatic node stayed behind; a true positive's was removed.
    rows = np.flatnonzero(small.node_positive & ~small.mapping_failed)
    taken = removed[rows, small.metastasis_node[rows]]
    assert np.array_equal(taken, ~small.false_negative[rows])


def test_skip_metastases_bypass_the_first_echelon(small):
    rows = np.flatnonzero(small.node_positive & (small.first_echelon_count > 0))
    in_first = small.first_echelon[rows, small.metastasis_node[rows]]
    skipped = small.metastasis_node[rows][~in_first]
    assert skipped.size / rows.size == pytest.approx(SKIP_RATE, abs=0.004)
    levels = [NODES[i].level for i in skipped]
    level_ii = np.isin(levels, [Level.LEVEL_II, Level.INTERPECTORAL])
    assert level_ii.mean() == pytest.approx(SKIP_LEVEL_II_SHARE, abs=0.05)
    assert {levels[i] for i in np.flatnonzero(~level_ii)} == {Level.LEVEL_III}


def test_estimates_by_nodes_removed(cohort):
    by = cohort.fnr_by_nodes_removed()
    assert list(by) == [1, 2, 3, "≥4"]
    assert sum(e.count for e in by.values()) == cohort.fnr().count
    for e in by.values():
        assert isinstance(e, Estimate) and e.ci[0] < e.rate < e.ci[1]
    capped = simulate_cohort(10_000, max_slns=1).fnr_by_nodes_removed()
    assert capped[1].count > 0 and capped[2].count == 0
    assert math.isnan(capped[2].rate) and all(map(math.isnan, capped[2].ci))


def test_wilson_interval():
    low, high = wilson_interval(75, 766)
    assert (round(low, 4), round(high, 4)) == (0.0788, 0.121)
    assert wilson_interval(0, 10)[0] == 0.0
    assert wilson_interval(10, 10)[1] == pytest.approx(1.0)


# ---------- determinism, read-only results and speed


def test_same_seed_same_patients():
    a, b = simulate_cohort(50_000, seed=42), simulate_cohort(50_000, seed=42)
    for f in dataclasses.fields(CohortResult):
        x, y = getattr(a, f.name), getattr(b, f.name)
        assert np.array_equal(x, y) if isinstance(x, np.ndarray) else x == y
    c = simulate_cohort(50_000, seed=43)
    assert not np.array_equal(a.false_negative, c.false_negative)
    assert simulate_cohort(10, seed=None).n == 10


def test_results_are_read_only(small):
    with pytest.raises(ValueError):
        small.false_negative[0] = True
    with pytest.raises(dataclasses.FrozenInstanceError):
        small.n = 3


def test_throughput_at_least_a_million_patients_per_second():
    best = math.inf
    for seed in range(3):
        start = time.perf_counter()
        simulate_cohort(BIG, seed=seed)
        best = min(best, time.perf_counter() - start)
    assert BIG / best >= 1e6, f"{BIG / best:.3g} patients/s"


# ---------- bad inputs


@pytest.mark.parametrize("n", [0, -1, 10**7 + 1])
def test_n_out_of_range(n):
    with pytest.raises(ValueError, match=r"n must be a whole number from 1 to 10000000"):
        simulate_cohort(n)


@pytest.mark.parametrize("n", [1.5, 1e6, True, "100", None])
def test_n_not_a_whole_number(n):
    with pytest.raises(TypeError, match="n must be a whole number"):
        simulate_cohort(n)


def test_unknown_quadrant_lists_the_valid_ones():
    with pytest.raises(ValueError, match="UOQ, LOQ, UIQ, LIQ, central"):
        simulate_cohort(10, tumour_location="upper outer")


@pytest.mark.parametrize(
    "location, error, message",
    [
        ((0, "left"), ValueError, "clock hour must be a whole number from 1 to 12"),
        ((13, "right"), ValueError, "clock hour must be a whole number from 1 to 12"),
        ((2.5, "right"), ValueError, "clock hour"),
        ((True, "right"), ValueError, "clock hour"),
        ((2, "both"), ValueError, "side must be 'left' or 'right'"),
        ((2, "left", "x"), TypeError, "quadrant name"),
        (3, TypeError, "quadrant name"),
        (None, TypeError, "quadrant name"),
    ],
)
def test_bad_clock_positions(location, error, message):
    with pytest.raises(error, match=message):
        locate(location)


def test_tumour_location_checks_its_quadrants():
    with pytest.raises(ValueError, match="quadrants must name one or two of"):
        TumourLocation(("UXQ",), (0.0, 0.0))


def test_unknown_tracer_lists_the_valid_ones():
    with pytest.raises(ValueError, match="'blue_dye', 'radiocolloid', 'dual', 'icg', 'spio'"):
        simulate_cohort(10, tracer="methylene blue")


@pytest.mark.parametrize(
    "max_slns, error", [(0, ValueError), (11, ValueError), (2.0, TypeError), (True, TypeError)]
)
def test_bad_max_slns(max_slns, error):
    with pytest.raises(error, match="max_slns must be a whole number from 1 to 10"):
        simulate_cohort(10, max_slns=max_slns)


@pytest.mark.parametrize(
    "rate, error",
    [(0, ValueError), (1, ValueError), (-0.1, ValueError), (1.5, ValueError)]
    + [(math.nan, ValueError), (True, TypeError), ("0.3", TypeError)],
)
def test_bad_node_positive_rate(rate, error):
    with pytest.raises(error, match="node_positive_rate must be"):
        simulate_cohort(10, node_positive_rate=rate)


@pytest.mark.parametrize("seed, error", [(-1, ValueError), (1.5, TypeError), (True, TypeError)])
def test_bad_seed(seed, error):
    with pytest.raises(error, match=r"seed must be a whole number \(0 or more\) or None"):
        simulate_cohort(10, seed=seed)


def test_bad_neoadjuvant_and_subgroup(small):
    with pytest.raises(TypeError, match="neoadjuvant must be True or False"):
        simulate_cohort(10, neoadjuvant="yes")
    with pytest.raises(ValueError, match="where must be a boolean array of length 200000"):
        small.fnr(small.nodes_removed)
