"""Unit tests for micromet.predict: PREDICT v2.1 against the official reference values.

Reference values (shared/reference/predict-v2.1.md §5) are checked to their printed precision:
within half a unit of the last printed digit.
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from micromet import predict as model
from micromet.evidence import value
from micromet.predict import (
    LOG_HAZARD_RATIOS,
    MAX_NODES,
    MAX_SIZE_MM,
    TREATMENTS,
    Patient,
    predict,
    predict_many,
)

HCTB = ("hormone", "chemo3", "trastuzumab", "bisphosphonates")
YEARS = np.arange(1, 16)


def printed(expected: float, digits: int) -> dict:
    """pytest.approx tolerance of half a unit in the last printed decimal place."""
    return {"abs": 0.5 * 10.0**-digits, "rel": 0}


@pytest.fixture(scope="module")
def official():
    """The official unit-test patient (predict_test.cljs)."""
    p = Patient(25, 2, 1, 2, er_positive=True, screen_detected=True, her2=True, ki67=True)
    return predict(p)


def example(age, er_positive, **changes):
    """The published worked example: 22 mm, grade 2, HER2-, Ki67-, clinically detected, 2 nodes."""
    fields = dict(her2=False, ki67=False, screen_detected=False) | changes
    return predict(Patient(age, 22, 2, 2, er_positive=er_positive, **fields))


@st.composite
def patients(draw, **fixed):
    """A valid Patient; keyword arguments fix fields."""
    nodes = fixed.get("nodes", draw(st.integers(0, 30)))
    fields = dict(
        age=draw(st.floats(25, 85)),
        size_mm=draw(st.floats(0.5, MAX_SIZE_MM)),
        grade=draw(st.sampled_from([1, 2, 3, None])),
        nodes=nodes,
        micromets_only=nodes == 1 and draw(st.booleans()),
        er_positive=draw(st.booleans()),
        her2=draw(st.sampled_from([True, False, None])),
        ki67=draw(st.sampled_from([True, False, None])),
        screen_detected=draw(st.sampled_from([True, False, None])),
    )
    fields.update(fixed)
    return Patient(**fields)


treatment_sets = st.sets(st.sampled_from(TREATMENTS)).filter(
    lambda s: not {"chemo2", "chemo3"} <= s
)


# ---------- layering


def test_predict_imports_only_numpy_and_the_registry():
    with open(model.__file__, encoding="utf-8") as f:
        imports = {line.split()[1] for line in f if line.startswith(("import ", "from "))}
    assert imports <= {
        "__future__",
        "math",
        "numbers",
        "collections.abc",
        "dataclasses",
        "numpy",
        "micromet.evidence",
    }


# ---------- official reference values (§2.4, §5.1)


@pytest.mark.parametrize(
    "t, er_pos, er_neg, other",
    [
        (1, 0.0011302439, 0.0150127896, 0.0032555733),
        (5, 0.0196700869, 0.1588306606, 0.0276802908),
        (10, 0.0519323793, 0.2225321557, 0.0791017986),
        (15, 0.0847070137, 0.2495289049, 0.1544607309),
    ],
)
def test_baseline_cumulative_hazards(t, er_pos, er_neg, other):
    assert model._H_BREAST_ER_POS[t - 1] == pytest.approx(er_pos, **printed(er_pos, 10))
    assert model._H_BREAST_ER_NEG[t - 1] == pytest.approx(er_neg, **printed(er_neg, 10))
    assert model._H_OTHER[t - 1] == pytest.approx(other, **printed(other, 10))


def test_official_prognostic_and_other_cause_indices(official):
    assert official.prognostic_index == pytest.approx(0.5200516, **printed(0.5200516, 7))
    mi_65 = predict(Patient(65, 2, 1, 2, er_positive=True)).other_cause_index
    assert mi_65 == pytest.approx(0.5597244192408362, rel=1e-14)


def test_official_other_cause_survival(official):
    expected = [1, 0.9995388, 0.9988846, 0.9980843, 0.9971495, 0.9960851, 0.9948934, 0.9935748,
                0.9921292, 0.9905557, 0.9888532, 0.9870202, 0.9850551, 0.9829562, 0.9807216,
                0.9783494]  # fmt: skip
    got = official.other_cause_survival(range(16))
    np.testing.assert_allclose(got, expected, atol=0.5e-7, rtol=0)


def test_official_surgery_only(official):
    deaths = 1 - official.overall_survival([1, 10, 15])
    np.testing.assert_allclose(deaths, [0.002359754, 0.093863760, 0.151576452], atol=0.5e-9, rtol=0)
    assert 100 * official.overall_survival(10) == pytest.approx(90.614, **printed(90.614, 3))
    assert 100 * official.overall_survival(15) == pytest.approx(84.842, **printed(84.842, 3))


def test_official_all_treatments(official):
    deaths = 1 - official.overall_survival([1, 10], HCTB)
    np.testing.assert_allclose(deaths, [0.0009361538, 0.0325060877], atol=0.5e-10, rtol=0)
    assert 100 * official.overall_survival(10, HCTB) == pytest.approx(96.749, abs=0.5e-3)
    assert official.breast_cancer_deaths(10, HCTB) == pytest.approx(0.0214437363, abs=0.5e-10)


def test_official_total_benefit_year_by_year(official):
    expected = [0.14236, 0.52897, 1.07598, 1.72008, 2.42139, 3.15433, 3.90199, 4.65294, 5.39935,
                6.13577, 6.85840, 7.56461, 8.25257, 8.92104, 9.56923]  # fmt: skip
    total = 100 * (official.overall_survival(YEARS, HCTB) - official.overall_survival(YEARS))
    np.testing.assert_allclose(total, expected, atol=0.5e-5, rtol=0)
    stacked = official.benefits(YEARS, chemo="chemo3")
    assert list(stacked) == ["hormone", "chemo3", "trastuzumab", "bisphosphonates"]
    np.testing.assert_allclose(sum(stacked.values()), expected, atol=0.5e-5, rtol=0)


@pytest.mark.parametrize(
    "delta, benefit, digits, deaths, breast_deaths",
    [
        (-0.342, 9.9468541, 7, 0.0521079111, 0.0307704989),  # as the test file was written
        (-0.26, 9.8676, 4, None, None),  # the current δ
    ],
)
def test_official_ten_year_hormone_vector(official, delta, benefit, digits, deaths, breast_deaths):
    # h10: the per-year path of §2.5, hormone log HR + δ in years 11-15 (not a public option).
    log_hr = np.full((1, 15), sum(LOG_HAZARD_RATIOS[t] for t in HCTB))
    log_hr[:, 10:] += delta
    overall, d_breast, _ = official._grids(log_hr)
    untreated = official.overall_survival(15)
    assert 100 * (overall[0, 15] - untreated) == pytest.approx(benefit, **printed(benefit, digits))
    if deaths is not None:
        assert 1 - overall[0, 15] == pytest.approx(deaths, abs=0.5e-10)
        assert d_breast[0, 15] == pytest.approx(breast_deaths, abs=0.5e-10)


# ---------- the published worked example (§5.2): ten-year benefit of 2nd-generation chemo alone


@pytest.mark.parametrize(
    "age, er_positive, v20, v21",
    [(60, False, 7.0, 6.9), (75, False, 6.5, 5.5), (60, True, 3.7, 3.7), (75, True, 3.6, 3.1)],
)
def test_published_worked_example(age, er_positive, v20, v21):
    r = example(age, er_positive)
    v21_benefit = 100 * (r.overall_survival(10, ("chemo2",)) - r.overall_survival(10))
    assert round(v21_benefit, 1) == v21  # v2.1: difference in overall survival
    v20_benefit = 100 * (r.breast_cancer_deaths(10) - r.breast_cancer_deaths(10, ("chemo2",)))
    assert round(v20_benefit, 1) == v20  # v2.0: difference in competing-risk breast deaths


def test_chemo_after_hormone_gains_less_than_chemo_alone():
    r = example(60, True)
    alone = 100 * (r.overall_survival(10, ("chemo2",)) - r.overall_survival(10))
    assert 0 < r.benefits(10, chemo="chemo2")["chemo2"] < alone


# ---------- input coding


def test_micrometastases_only_is_half_a_node():
    base = dict(age=55, size_mm=15, grade=2, er_positive=True)
    zero, half, one = (
        predict(Patient(nodes=n, micromets_only=m, **base)).prognostic_index
        for n, m in ((0, False), (1, True), (1, False))
    )
    # Reference §4: ER+ nodes term -0.64607 (0), -0.35978 (0.5), -0.15666 (1 node).
    assert half - zero == pytest.approx(-0.35978 + 0.64607, abs=1e-5)
    assert one - zero == pytest.approx(-0.15666 + 0.64607, abs=1e-5)
    assert Patient(nodes=1, micromets_only=True, **base).model_nodes == 0.5
    assert value("predict_micromets_half_node") == model.MICROMETS_ONLY_NODES == 0.5
    survival = [
        predict(Patient(nodes=n, micromets_only=m, **base)).overall_survival(10)
        for n, m in ((0, False), (1, True), (1, False))
    ]
    assert survival[0] > survival[1] > survival[2]


def test_micrometastases_in_er_negative_model():
    base = dict(age=55, size_mm=15, grade=2, er_positive=False)
    zero = predict(Patient(nodes=0, **base)).prognostic_index
    half = predict(Patient(nodes=1, micromets_only=True, **base)).prognostic_index
    assert half - zero == pytest.approx(model.ER_NEG_NODES * np.log(1.5), rel=1e-12)


def test_unknowns_are_coded_as_the_model_does():
    def pi(**changes):
        fields = dict(age=50, size_mm=20, grade=2, nodes=1, er_positive=True) | changes
        return predict(Patient(**fields)).prognostic_index

    assert pi(grade=None) - pi(grade=2) == pytest.approx(model.ER_POS_GRADE * 0.13, rel=1e-9)
    unknown_screen = pi(screen_detected=None) - pi(screen_detected=False)
    assert unknown_screen == pytest.approx(model.ER_POS_SCREEN * 0.204, rel=1e-9)
    assert pi(her2=True) - pi() == pytest.approx(0.2413, abs=1e-12)
    assert pi() - pi(her2=False) == pytest.approx(0.0762, abs=1e-12)
    assert pi(ki67=True) - pi() == pytest.approx(0.14904, abs=1e-12)
    assert pi() - pi(ki67=False) == pytest.approx(0.11333, abs=1e-12)
    # ER-negative: unknown grade scores as grade 1 (§2.1); no screening or Ki67 term.
    assert pi(er_positive=False, grade=None) == pi(er_positive=False, grade=1)
    assert pi(er_positive=False, grade=3) - pi(er_positive=False, grade=1) == pytest.approx(
        model.ER_NEG_GRADE
    )
    assert pi(er_positive=False, grade=3) == pi(er_positive=False, grade=2)
    assert pi(er_positive=False, ki67=True) == pi(er_positive=False, ki67=False)
    assert pi(er_positive=False, screen_detected=True) == pi(er_positive=False)


def test_age_and_size_bounds_are_inclusive():
    for age in (25, 85):
        predict(Patient(age, 20, 2, 0, er_positive=True))
    predict(Patient(40, MAX_SIZE_MM, 2, 0, er_positive=True))
    predict(Patient(40, 20, 2, MAX_NODES, er_positive=False))


# ---------- outputs


def test_shapes_follow_the_inputs(official):
    assert isinstance(official.prognostic_index, float)
    assert isinstance(official.overall_survival(5), float)
    assert official.overall_survival(range(16)).shape == (16,)
    many = predict_many([40, 50, 60], 20, 2, 1, er_positive=True)
    assert many.prognostic_index.shape == (3,)
    assert many.overall_survival(5).shape == (3,)
    assert many.breast_cancer_deaths([1, 5, 10], ("chemo3",)).shape == (3, 3)
    assert many.benefits(10)["chemo3"].shape == (3,)
    assert "prognostic_index=" in repr(official)


def test_year_zero_is_surgery(official):
    assert official.overall_survival(0, HCTB) == 1.0
    assert official.breast_cancer_deaths(0) == 0.0
    assert official.other_cause_survival(0) == 1.0
    assert all(b == 0 for b in official.benefits(0).values())


@settings(max_examples=60, deadline=None)
@given(patients(), treatment_sets)
def test_deaths_add_up(patient, treatments):
    r = predict(patient)
    overall = r.overall_survival(range(16), treatments)
    breast = r.breast_cancer_deaths(range(16), treatments)
    other = 1 - overall - breast
    assert np.all(np.diff(overall) < 0)
    assert np.all(np.diff(breast) >= 0) and np.all(np.diff(other) >= -1e-15)
    assert np.all(breast >= 0) and np.all(other >= -1e-15)
    # Other-cause deaths never exceed the other-cause risk without competing breast deaths.
    assert np.all(other <= 1 - r.other_cause_survival(range(16)) + 1e-15)


def test_treatments_that_do_not_apply_change_nothing():
    er_neg = predict(Patient(50, 20, 3, 2, er_positive=False, her2=False))
    assert er_neg.overall_survival(10, ("hormone",)) == er_neg.overall_survival(10)
    assert er_neg.overall_survival(10, ("trastuzumab",)) == er_neg.overall_survival(10)
    assert list(er_neg.benefits(10)) == ["chemo3", "bisphosphonates"]
    unknown_her2 = predict(Patient(50, 20, 3, 2, er_positive=True))
    assert list(unknown_her2.benefits(10, chemo="chemo2")) == [
        "hormone",
        "chemo2",
        "bisphosphonates",
    ]
    assert list(unknown_her2.benefits(10, chemo=None)) == ["hormone", "bisphosphonates"]
    mixed = predict_many(50, 20, 3, 2, er_positive=[True, False], her2=[None, True])
    assert list(mixed.benefits(10)) == ["hormone", "chemo3", "trastuzumab", "bisphosphonates"]
    assert mixed.benefits(10)["hormone"][1] == 0 and mixed.benefits(10)["trastuzumab"][0] == 0


# ---------- monotonicity


@settings(max_examples=80, deadline=None)
@given(patients(nodes=0), st.integers(0, 29), treatment_sets)
def test_more_nodes_never_raise_survival(patient, nodes, treatments):
    def overall(n, micro=False):
        p = dataclasses.replace(patient, nodes=n, micromets_only=micro)
        return predict(p).overall_survival(YEARS, treatments)

    assert np.all(overall(nodes + 1) <= overall(nodes))
    assert np.all(overall(1) <= overall(1, micro=True)) and np.all(overall(1, True) <= overall(0))


@settings(max_examples=80, deadline=None)
@given(patients(), treatment_sets, st.sampled_from(TREATMENTS))
def test_adding_a_treatment_never_lowers_breast_cancer_survival(patient, treatments, extra):
    if extra in ("chemo2", "chemo3"):
        treatments = treatments - {"chemo2", "chemo3"}
    r = predict(patient)
    more = treatments | {extra}
    assert np.all(r.breast_cancer_deaths(YEARS, more) <= r.breast_cancer_deaths(YEARS, treatments))
    assert np.all(r.overall_survival(YEARS, more) >= r.overall_survival(YEARS, treatments))
    assert all(np.all(b >= 0) for b in r.benefits(YEARS).values())


def test_third_generation_chemo_gains_more_than_second():
    r = example(50, False)
    assert r.benefits(10, chemo="chemo3")["chemo3"] > r.benefits(10, chemo="chemo2")["chemo2"]


# ---------- vectorised == scalar


@settings(max_examples=25, deadline=None)
@given(st.lists(patients(), min_size=1, max_size=6), treatment_sets)
def test_vectorised_equals_scalar(people, treatments):
    many = predict(people)
    arrays = predict_many(
        [p.age for p in people],
        [p.size_mm for p in people],
        [p.grade for p in people],
        [p.nodes for p in people],
        micromets_only=[p.micromets_only for p in people],
        er_positive=[p.er_positive for p in people],
        her2=[p.her2 for p in people],
        ki67=[p.ki67 for p in people],
        screen_detected=[p.screen_detected for p in people],
    )
    for i, p in enumerate(people):
        one = predict(p)
        for r in (many, arrays):
            assert r.prognostic_index[i] == pytest.approx(one.prognostic_index, abs=1e-12)
            np.testing.assert_allclose(
                r.overall_survival(range(16), treatments)[i],
                one.overall_survival(range(16), treatments),
                rtol=0,
                atol=1e-12,
            )
            np.testing.assert_allclose(
                r.breast_cancer_deaths(YEARS, treatments)[i],
                one.breast_cancer_deaths(YEARS, treatments),
                rtol=0,
                atol=1e-12,
            )
            for name, gain in one.benefits(YEARS).items():
                np.testing.assert_allclose(r.benefits(YEARS)[name][i], gain, rtol=0, atol=1e-10)


def test_predict_many_broadcasts_scalars():
    r = predict_many(np.linspace(25, 85, 61), 20, None, 0, er_positive=True)
    assert r.prognostic_index.shape == (61,)
    one = predict(Patient(85, 20, None, 0, er_positive=True))
    assert r.prognostic_index[-1] == pytest.approx(one.prognostic_index, abs=1e-12)


def test_explorer_workload_is_fast():
    sets = [(), ("hormone",), ("hormone", "chemo3"), ("hormone", "chemo3", "trastuzumab"), HCTB]
    patient = Patient(55, 22, 2, 1, micromets_only=True, er_positive=True, her2=True)

    def update():
        r = predict(patient)
        curves = [r.overall_survival(range(16), s) for s in sets]
        return curves, r.benefits(range(16))

    update()
    start = time.perf_counter()
    for _ in range(20):
        update()
    assert (time.perf_counter() - start) / 20 < 0.01  # measured ~0.5 ms


# ---------- bad inputs


@pytest.mark.parametrize(
    "args, kwargs, error, match",
    [
        ((24.9, 20, 2, 0), {}, ValueError, "age must be from 25 to 85"),
        ((85.5, 20, 2, 0), {}, ValueError, "age"),
        (("50", 20, 2, 0), {}, TypeError, "age"),
        ((True, 20, 2, 0), {}, TypeError, "age"),
        ((float("nan"), 20, 2, 0), {}, ValueError, "age"),
        ((50, 0, 2, 0), {}, ValueError, "size_mm must be greater than 0"),
        ((50, -3, 2, 0), {}, ValueError, "size_mm"),
        ((50, MAX_SIZE_MM + 1, 2, 0), {}, ValueError, "at most 200 mm"),
        ((50, None, 2, 0), {}, TypeError, "size_mm"),
        ((50, 20, 4, 0), {}, ValueError, "grade must be 1, 2, 3 or None"),
        ((50, 20, 0, 0), {}, ValueError, "grade"),
        ((50, 20, 2.0, 0), {}, TypeError, "grade"),
        ((50, 20, "2", 0), {}, TypeError, "grade"),
        ((50, 20, 2, -1), {}, ValueError, "nodes must be a whole number"),
        ((50, 20, 2, MAX_NODES + 1), {}, ValueError, "nodes"),
        ((50, 20, 2, 0.5), {}, TypeError, "nodes"),
        ((50, 20, 2, True), {}, TypeError, "nodes"),
        ((50, 20, 2, 0), {"micromets_only": True}, ValueError, "needs nodes == 1"),
        ((50, 20, 2, 2), {"micromets_only": True}, ValueError, "needs nodes == 1"),
        ((50, 20, 2, 1), {"micromets_only": 1}, TypeError, "micromets_only"),
        ((50, 20, 2, 1), {"er_positive": None}, TypeError, "er_positive"),
        ((50, 20, 2, 1), {"er_positive": 1}, TypeError, "er_positive"),
        ((50, 20, 2, 1), {"her2": "positive"}, TypeError, "her2"),
        ((50, 20, 2, 1), {"ki67": 0}, TypeError, "ki67"),
        ((50, 20, 2, 1), {"screen_detected": "yes"}, TypeError, "screen_detected"),
    ],
)
def test_bad_patient(args, kwargs, error, match):
    kwargs = {"er_positive": True} | kwargs
    with pytest.raises(error, match=match):
        Patient(*args, **kwargs)


def test_er_status_is_required():
    with pytest.raises(TypeError, match="er_positive"):
        Patient(50, 20, 2, 0)


def test_patient_is_frozen():
    p = Patient(50, 20, 2, 0, er_positive=True)
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.nodes = 3


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"age": [30, 90]}, ValueError, "age must be from 25 to 85.*got 90"),
        ({"age": ["a", "b"]}, TypeError, "age"),
        ({"size_mm": [10, 0]}, ValueError, "size_mm"),
        ({"grade": [1, 5]}, ValueError, "grade"),
        ({"grade": [True, False]}, TypeError, "grade"),
        ({"nodes": [1, 2.5]}, ValueError, "nodes"),
        ({"nodes": [0, 2], "micromets_only": [False, True]}, ValueError, "needs nodes == 1"),
        ({"micromets_only": [0, 1]}, TypeError, "micromets_only"),
        ({"er_positive": [1, 0]}, TypeError, "er_positive"),
        ({"er_positive": [True, None]}, TypeError, "er_positive"),
        ({"her2": [1, 0]}, TypeError, "her2"),
        ({"age": [30, 40], "size_mm": [10, 20, 30]}, ValueError, "broadcast"),
        ({"age": [[30, 40]]}, ValueError, "one-dimensional"),
    ],
)
def test_bad_predict_many(kwargs, error, match):
    fields = dict(age=50, size_mm=20, grade=2, nodes=1, er_positive=True) | kwargs
    with pytest.raises(error, match=match):
        predict_many(**fields)


def test_predict_needs_patients():
    for bad in (None, [], [1, 2], "patient", {"age": 50}):
        with pytest.raises(TypeError, match="Patient"):
            predict(bad)


@pytest.mark.parametrize(
    "years, error, match",
    [
        (16, ValueError, "whole years from 0 to 15"),
        (-1, ValueError, "years"),
        (2.5, ValueError, "years"),
        ([1, 20], ValueError, "got 20"),
        ([[1, 2]], ValueError, "one-dimensional"),
        ("10", TypeError, "years"),
        (True, TypeError, "years"),
        (None, TypeError, "years"),
    ],
)
def test_bad_years(official, years, error, match):
    with pytest.raises(error, match=match):
        official.overall_survival(years)
    with pytest.raises(error, match=match):
        official.benefits(years)


@pytest.mark.parametrize(
    "treatments, error, match",
    [
        ("hormone", TypeError, "collection of names"),
        (None, TypeError, "treatments"),
        (("radiotherapy",), ValueError, "unknown: 'radiotherapy'"),
        (("chemo",), ValueError, "'chemo2', 'chemo3'"),
        (("chemo2", "chemo3"), ValueError, "one chemotherapy generation"),
    ],
)
def test_bad_treatments(official, treatments, error, match):
    with pytest.raises(error, match=match):
        official.overall_survival(10, treatments)
    with pytest.raises(error, match=match):
        official.breast_cancer_deaths(10, treatments)


def test_bad_chemo_for_benefits(official):
    with pytest.raises(ValueError, match="chemo must be 'chemo2', 'chemo3' or None"):
        official.benefits(10, chemo="chemo1")
