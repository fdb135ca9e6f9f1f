"""Unit tests for micromet.axilla: trial eligibility at its boundaries, bad cases, the registry."""

from __future__ import annotations

import dataclasses
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from micromet import axilla, evidence
from micromet.axilla import (
    SURGERIES,
    T_STAGES,
    TRIALS,
    AxillaCase,
    Fit,
    assess,
    excluded_trials,
    matching_trials,
    summary,
    undetermined_trials,
)
from micromet.evidence import value
from micromet.staging import DepositCategory

ITC, MICRO, MACRO = DepositCategory.ITC, DepositCategory.MICRO, DepositCategory.MACRO

# Z0011, AMAROS, SENOMAC and POSNOC all enrolled this case.
MACRO_CASE = AxillaCase("T2", positive_slns=2, largest_sln_category=MACRO, tumour_size_mm=30)
MICRO_CASE = AxillaCase("T2", positive_slns=1, largest_sln_category=MICRO, tumour_size_mm=30)
BEFORE_BIOPSY = AxillaCase("T1", tumour_size_mm=15, axillary_ultrasound_negative=True)

PROTOTYPES = {
    "NSABP B-32": BEFORE_BIOPSY,
    "ACOSOG Z0011": MACRO_CASE,
    "IBCSG 23-01": MICRO_CASE,
    "AMAROS": MACRO_CASE,
    "SOUND": BEFORE_BIOPSY,
    "INSEMA": BEFORE_BIOPSY,
    "SENOMAC": MACRO_CASE,
    "POSNOC": MACRO_CASE,
}
"""For each trial, a case inside its population."""


def fit(case: AxillaCase, name: str):
    (found,) = [f for f in assess(case) if f.trial.name == name]
    return found


def variant(case: AxillaCase, **changes) -> AxillaCase:
    return dataclasses.replace(case, **changes)


# ---------- layering and registry


def test_axilla_imports_no_numpy_matplotlib_or_ipywidgets():
    import micromet.axilla as axilla

    with open(axilla.__file__, encoding="utf-8") as f:
        imports = {line.split()[1] for line in f if line.startswith(("import ", "from "))}
    assert imports <= {"__future__", "math", "numbers", "dataclasses", "enum"} | {
        "micromet.evidence",
        "micromet.staging",
    }


def test_the_registry_holds_the_eight_trials_in_the_order_the_evidence_arrived():
    assert list(TRIALS) == [
        "NSABP B-32",
        "ACOSOG Z0011",
        "IBCSG 23-01",
        "AMAROS",
        "SOUND",
        "INSEMA",
        "SENOMAC",
        "POSNOC",
    ]


@pytest.mark.parametrize("name", list(TRIALS))
def test_every_trial_resolves_to_registered_cited_facts(name):
    trial = TRIALS[name]
    assert trial.name == name and trial.question.endswith("?") and len(trial.arms) == 2
    assert trial.not_encoded.strip() and trial.eligibility.startswith(f"{name} enrolled ")
    for fact_id in trial.design + trial.results:
        f = evidence.fact(fact_id)
        assert f.citation.strip() and f.url.startswith("https://"), fact_id
        assert f.status in evidence.STATUSES, fact_id
    assert trial.citation == evidence.cite(trial.design[0])
    assert trial.references == evidence.references(trial.design + trial.results)
    assert [f.id for f in trial.findings] == list(trial.results)
    for criterion in trial.criteria:
        assert criterion.source is None or criterion.source in trial.design, criterion


@pytest.mark.parametrize("name", [n for n in TRIALS if n != "POSNOC"])
def test_every_trial_but_posnoc_reports_results(name):
    findings = TRIALS[name].findings
    assert findings and all(f.value is not None for f in findings[:1])


def test_posnoc_shows_its_design_only():
    posnoc = TRIALS["POSNOC"]
    assert posnoc.results == () and posnoc.findings == ()
    registered = {f.id for f in evidence.facts() if f.id.startswith("posnoc_")}
    assert registered == set(posnoc.design)
    assert "could not be verified" in evidence.fact("posnoc_design").statement
    assert "could not be verified" in summary(MACRO_CASE)


def test_reused_facts_are_shared_not_duplicated():
    ids = [f.id for f in evidence.facts()]
    for fact_id in ("z0011_nodes_removed", "amaros_lymphoedema_5y", "b32_occult_metastases"):
        assert ids.count(fact_id) == 1
    assert "z0011_nodes_removed" in TRIALS["ACOSOG Z0011"].results
    assert "amaros_lymphoedema_5y" in TRIALS["AMAROS"].results


def test_criteria_read_their_numbers_from_the_registry():
    def criterion(name, field):
        (c,) = [c for c in TRIALS[name].criteria if c.field == field and c.allowed != (None,)]
        return c

    assert criterion("ACOSOG Z0011", "t_stage").allowed == tuple(value("z0011_t_stages"))
    assert criterion("SENOMAC", "t_stage").allowed == tuple(value("senomac_t_stages"))
    z0011 = criterion("ACOSOG Z0011", "positive_slns")
    assert [z0011.minimum, z0011.maximum] == value("z0011_positive_slns")
    assert criterion("SOUND", "tumour_size_mm").maximum == value("sound_max_tumour_mm") == 20
    assert criterion("IBCSG 23-01", "tumour_size_mm").maximum == value("ibcsg2301_max_tumour_mm")


# ---------- each trial reachable, and the three groups partition the registry


@pytest.mark.parametrize("name", list(TRIALS))
def test_every_trial_is_reachable(name):
    assert name in [f.trial.name for f in matching_trials(PROTOTYPES[name])]


def test_matching_excluded_and_undetermined_partition_the_trials():
    case = variant(MICRO_CASE, tumour_size_mm=None)
    groups = [matching_trials(case), excluded_trials(case), undetermined_trials(case)]
    names = [f.trial.name for group in groups for f in group]
    assert sorted(names) == sorted(TRIALS)
    assert [f.trial.name for f in groups[0]] == ["ACOSOG Z0011", "AMAROS"]
    assert [f.trial.name for f in groups[2]] == ["IBCSG 23-01"]


# ---------- T stage


@pytest.mark.parametrize(
    ("name", "inside", "outside"),
    [
        ("ACOSOG Z0011", "T2", "T3"),
        ("AMAROS", "T2", "T3"),
        ("SENOMAC", "T3", "T4"),
        ("POSNOC", "T2", "T3"),
    ],
)
def test_t_stage_boundary_after_a_positive_biopsy(name, inside, outside):
    assert fit(variant(MACRO_CASE, t_stage="T1"), name).fit is Fit.MATCH
    assert fit(variant(MACRO_CASE, t_stage=inside), name).fit is Fit.MATCH
    out = fit(variant(MACRO_CASE, t_stage=outside), name)
    assert out.fit is Fit.EXCLUDED
    assert out.failed[0].startswith(f"{outside} tumour; {name} enrolled")


def test_z0011_t3_reason_names_the_stage_and_the_range():
    (reason,) = fit(variant(MACRO_CASE, t_stage="T3"), "ACOSOG Z0011").failed
    assert reason == "T3 tumour; ACOSOG Z0011 enrolled clinical T1-T2 tumours"


def test_insema_t_stage_boundary_before_biopsy():
    assert fit(variant(BEFORE_BIOPSY, t_stage="T2"), "INSEMA").fit is Fit.MATCH
    assert fit(variant(BEFORE_BIOPSY, t_stage="T3"), "INSEMA").fit is Fit.EXCLUDED


# ---------- number of positive sentinel nodes


@pytest.mark.parametrize(
    ("count", "category", "expected"),
    [
        (0, None, Fit.EXCLUDED),
        (1, MACRO, Fit.MATCH),
        (2, MACRO, Fit.MATCH),
        (3, MACRO, Fit.EXCLUDED),
    ],
)
@pytest.mark.parametrize("name", ["ACOSOG Z0011", "SENOMAC", "POSNOC"])
def test_one_or_two_positive_sentinel_nodes(name, count, category, expected):
    case = variant(MACRO_CASE, positive_slns=count, largest_sln_category=category)
    assert fit(case, name).fit is expected


def test_z0011_with_three_nodes_says_so():
    (reason,) = fit(variant(MACRO_CASE, positive_slns=3), "ACOSOG Z0011").failed
    assert reason == (
        "3 positive sentinel nodes; ACOSOG Z0011 enrolled women with 1-2 sentinel nodes with "
        "metastases"
    )


def test_z0011_counts_micrometastatic_nodes_as_positive():
    assert fit(MICRO_CASE, "ACOSOG Z0011").fit is Fit.MATCH


@pytest.mark.parametrize(("count", "expected"), [(0, Fit.EXCLUDED), (1, Fit.MATCH), (3, Fit.MATCH)])
def test_amaros_needs_one_positive_node_and_no_more_is_stated(count, expected):
    category = MACRO if count else None
    case = variant(MACRO_CASE, positive_slns=count, largest_sln_category=category)
    assert fit(case, "AMAROS").fit is expected


@pytest.mark.parametrize(("count", "expected"), [(0, Fit.EXCLUDED), (1, Fit.MATCH), (5, Fit.MATCH)])
def test_ibcsg_needs_one_or_more_micrometastatic_nodes(count, expected):
    category = MICRO if count else None
    case = variant(MICRO_CASE, positive_slns=count, largest_sln_category=category)
    assert fit(case, "IBCSG 23-01").fit is expected


def test_itc_only_nodes_are_not_positive_nodes():
    case = variant(BEFORE_BIOPSY, positive_slns=0, largest_sln_category=ITC)
    assert fit(case, "NSABP B-32").fit is Fit.MATCH
    for name in ("ACOSOG Z0011", "AMAROS", "IBCSG 23-01", "SENOMAC"):
        assert fit(case, name).fit is Fit.EXCLUDED
    assert "isolated tumour cells only" in case.describe()


# ---------- sentinel biopsy done or not


@pytest.mark.parametrize(("count", "expected"), [(None, Fit.MATCH), (0, Fit.EXCLUDED)])
@pytest.mark.parametrize("name", ["SOUND", "INSEMA"])
def test_sound_and_insema_enrolled_before_the_biopsy(name, count, expected):
    assert fit(variant(BEFORE_BIOPSY, positive_slns=count), name).fit is expected


def test_after_a_negative_biopsy_sound_says_it_tested_leaving_the_biopsy_out():
    (reason,) = fit(variant(BEFORE_BIOPSY, positive_slns=0), "SOUND").failed
    assert reason.startswith("sentinel node biopsy done, no positive node; SOUND enrolled women")


@pytest.mark.parametrize(
    ("count", "category", "expected"),
    [(None, None, Fit.MATCH), (0, None, Fit.MATCH), (1, MICRO, Fit.EXCLUDED)],
)
def test_b32_compared_the_arms_in_sentinel_negative_women(count, category, expected):
    case = variant(BEFORE_BIOPSY, positive_slns=count, largest_sln_category=category)
    assert fit(case, "NSABP B-32").fit is expected


@pytest.mark.parametrize("name", ["ACOSOG Z0011", "IBCSG 23-01", "AMAROS", "SENOMAC", "POSNOC"])
def test_trials_after_a_positive_biopsy_exclude_a_case_before_it(name):
    out = fit(BEFORE_BIOPSY, name)
    assert out.fit is Fit.EXCLUDED
    assert out.failed[0].startswith(f"sentinel node biopsy not done yet; {name} enrolled")


# ---------- surgery and radiotherapy


@pytest.mark.parametrize(
    ("name", "mastectomy"),
    [
        ("ACOSOG Z0011", Fit.EXCLUDED),
        ("AMAROS", Fit.UNDETERMINED),  # the fact sheet records no AMAROS rule on breast surgery
        ("SENOMAC", Fit.MATCH),
        ("POSNOC", Fit.MATCH),
    ],
)
def test_surgery_type(name, mastectomy):
    case = variant(MACRO_CASE, surgery="mastectomy", whole_breast_rt=False)
    assert fit(MACRO_CASE, name).fit is Fit.MATCH
    assert fit(case, name).fit is mastectomy


def test_mastectomy_is_outside_z0011_and_insema_and_the_summary_says_so():
    case = variant(MACRO_CASE, surgery="mastectomy", whole_breast_rt=False)
    assert fit(case, "ACOSOG Z0011").failed[0] == (
        "mastectomy; ACOSOG Z0011 enrolled women having breast-conserving surgery"
    )
    assert "Outside ACOSOG Z0011: mastectomy;" in summary(case)
    before = variant(BEFORE_BIOPSY, surgery="mastectomy", whole_breast_rt=False)
    assert fit(before, "INSEMA").fit is Fit.EXCLUDED


def test_z0011_needs_whole_breast_radiotherapy():
    out = fit(variant(MACRO_CASE, whole_breast_rt=False), "ACOSOG Z0011")
    assert out.fit is Fit.EXCLUDED
    assert out.failed == (
        "no whole-breast radiotherapy; ACOSOG Z0011 enrolled women with planned whole-breast "
        "radiotherapy",
    )


# ---------- micrometastases only versus macrometastases


@pytest.mark.parametrize(
    ("name", "micro", "macro"),
    [("IBCSG 23-01", Fit.MATCH, Fit.EXCLUDED), ("SENOMAC", Fit.EXCLUDED, Fit.MATCH)],
)
def test_micrometastases_only_versus_macrometastases(name, micro, macro):
    assert fit(variant(MICRO_CASE, largest_sln_category=MICRO), name).fit is micro
    assert fit(variant(MICRO_CASE, largest_sln_category=MACRO), name).fit is macro


@pytest.mark.parametrize("name", ["IBCSG 23-01", "SENOMAC", "POSNOC"])
def test_unknown_deposit_category_leaves_the_trial_undetermined(name):
    out = fit(variant(MICRO_CASE, largest_sln_category=None), name)
    assert out.fit is Fit.UNDETERMINED
    assert out.unknown[0].startswith("size category of the largest sentinel deposit not given")


# ---------- tumour size and ultrasound


@pytest.mark.parametrize(
    ("name", "case", "limit"),
    [("SOUND", BEFORE_BIOPSY, 20), ("IBCSG 23-01", MICRO_CASE, 50)],
)
def test_tumour_size_boundary(name, case, limit):
    assert fit(variant(case, tumour_size_mm=limit), name).fit is Fit.MATCH
    assert fit(variant(case, tumour_size_mm=limit + 0.1), name).fit is Fit.EXCLUDED
    out = fit(variant(case, tumour_size_mm=limit + 1), name)
    assert out.fit is Fit.EXCLUDED
    assert (
        out.failed[0] == f"tumour of {limit + 1} mm; {name} enrolled tumours of {limit} mm or less"
    )
    unknown = fit(variant(case, tumour_size_mm=None), name)
    assert unknown.fit is Fit.UNDETERMINED and "tumour size not given" in unknown.unknown[0]


@pytest.mark.parametrize(
    ("negative", "expected"), [(True, Fit.MATCH), (False, Fit.EXCLUDED), (None, Fit.UNDETERMINED)]
)
def test_sound_needs_a_negative_axillary_ultrasound(negative, expected):
    assert (
        fit(variant(BEFORE_BIOPSY, axillary_ultrasound_negative=negative), "SOUND").fit is expected
    )


# ---------- extranodal extension, clinical node status and neoadjuvant therapy


@pytest.mark.parametrize(
    ("name", "case", "with_ene"),
    [("IBCSG 23-01", MICRO_CASE, Fit.EXCLUDED), ("POSNOC", MACRO_CASE, Fit.MATCH)],
)
def test_extranodal_extension(name, case, with_ene):
    assert fit(case, name).fit is Fit.MATCH
    assert fit(variant(case, extranodal_extension=True), name).fit is with_ene


@pytest.mark.parametrize(
    ("name", "case", "node_positive"),
    [
        ("NSABP B-32", BEFORE_BIOPSY, Fit.EXCLUDED),
        ("ACOSOG Z0011", MACRO_CASE, Fit.EXCLUDED),
        ("AMAROS", MACRO_CASE, Fit.EXCLUDED),
        ("INSEMA", BEFORE_BIOPSY, Fit.EXCLUDED),
        ("SENOMAC", MACRO_CASE, Fit.EXCLUDED),
        ("POSNOC", MACRO_CASE, Fit.UNDETERMINED),
        ("IBCSG 23-01", MICRO_CASE, Fit.UNDETERMINED),
        ("SOUND", BEFORE_BIOPSY, Fit.UNDETERMINED),
    ],
)
def test_clinical_node_status_only_where_the_fact_sheet_states_it(name, case, node_positive):
    """Where the sheet states no node-status rule, a node-positive case is 'not checked', never
    a match."""
    out = fit(variant(case, clinically_node_negative=False), name)
    assert out.fit is node_positive
    if node_positive is Fit.UNDETERMINED:
        assert "node status" in TRIALS[name].not_encoded.lower()
        assert any("not checked" in reason for reason in out.unknown)


@pytest.mark.parametrize("name", list(TRIALS))
def test_neoadjuvant_therapy_is_outside_every_trial_as_not_studied(name):
    out = fit(variant(PROTOTYPES[name], neoadjuvant=True), name)
    assert out.fit is Fit.EXCLUDED
    assert out.failed == (f"neoadjuvant therapy given: not studied in {name}'s population",)


def test_after_neoadjuvant_therapy_no_trial_matches_and_the_summary_says_so():
    case = variant(MACRO_CASE, neoadjuvant=True)
    assert matching_trials(case) == ()
    text = summary(case)
    assert "None of these trials enrolled patients like this one" in text
    assert "none of these trials studied that population" in text


# ---------- summary


def test_summary_is_evidence_with_registered_numbers_only():
    text = summary(MACRO_CASE)
    assert "not a recommendation" in text
    for name in ("ACOSOG Z0011", "AMAROS", "SENOMAC"):
        assert TRIALS[name].findings[0].statement in text
    registered = " ".join(f.statement for f in evidence.facts())
    case_words = MACRO_CASE.describe()
    for number in re.findall(r"\d+(?:\.\d+)?%", text):
        assert number in registered, number
    for number in re.findall(r"\b\d+(?:\.\d+)?\b", text):
        assert number in registered or number in case_words or number in "T1 T2 T3", number


def test_summary_names_what_is_missing_for_an_undetermined_trial():
    text = summary(variant(BEFORE_BIOPSY, tumour_size_mm=None))
    assert "SOUND cannot be judged yet: tumour size not given; SOUND enrolled tumours" in text


def test_summary_lists_what_the_matching_trials_leave_unchecked():
    text = summary(MACRO_CASE)
    assert f"Not checked here for ACOSOG Z0011: {TRIALS['ACOSOG Z0011'].not_encoded}" in text
    assert "Not checked here for NSABP B-32" not in text


# ---------- bad inputs


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"t_stage": "T0"}, ValueError, "t_stage must be one of 'T1', 'T2', 'T3', 'T4'"),
        ({"t_stage": "t2"}, ValueError, "t_stage must be one of"),
        ({"t_stage": 2}, ValueError, "t_stage must be one of"),
        ({"surgery": "lumpectomy"}, ValueError, "surgery must be one of 'breast-conserving'"),
        ({"clinically_node_negative": 1}, TypeError, "clinically_node_negative must be True or"),
        ({"whole_breast_rt": "yes"}, TypeError, "whole_breast_rt must be True or False"),
        ({"neoadjuvant": None}, TypeError, "neoadjuvant must be True or False"),
        ({"extranodal_extension": 0}, TypeError, "extranodal_extension must be True or False"),
        ({"axillary_ultrasound_negative": "no"}, TypeError, "True, False or None"),
        ({"positive_slns": -1}, ValueError, "positive_slns must be None .* 0 or more, got -1"),
        ({"positive_slns": 1.5}, TypeError, "positive_slns must be None"),
        ({"positive_slns": True}, TypeError, "positive_slns must be None"),
        ({"positive_slns": "2"}, TypeError, "positive_slns must be None"),
        ({"tumour_size_mm": 0}, ValueError, "tumour_size_mm must be a finite size above 0 mm"),
        ({"tumour_size_mm": -5}, ValueError, "tumour_size_mm must be a finite size above 0"),
        ({"tumour_size_mm": float("nan")}, ValueError, "tumour_size_mm must be a finite"),
        ({"tumour_size_mm": float("inf")}, ValueError, "tumour_size_mm must be a finite"),
        ({"tumour_size_mm": "20"}, TypeError, "tumour_size_mm must be None"),
        ({"tumour_size_mm": True}, TypeError, "tumour_size_mm must be None"),
        (
            {"positive_slns": 1, "largest_sln_category": "micro"},
            TypeError,
            r"largest_sln_category must be None or a DepositCategory \(ITC, MICRO, MACRO\)",
        ),
    ],
)
def test_bad_values_name_the_field_and_what_is_accepted(kwargs, error, message):
    fields = {"t_stage": "T2", **kwargs}
    with pytest.raises(error, match=message):
        AxillaCase(**fields)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"largest_sln_category": MICRO},
            "largest_sln_category=MICRO contradicts positive_slns=None",
        ),
        (
            {"positive_slns": 0, "largest_sln_category": MACRO},
            "largest_sln_category=MACRO contradicts positive_slns=0",
        ),
        (
            {"positive_slns": 0, "largest_sln_category": MICRO},
            "largest_sln_category=MICRO contradicts positive_slns=0",
        ),
        (
            {"positive_slns": 2, "largest_sln_category": ITC},
            "largest_sln_category=ITC contradicts positive_slns=2: nodes with isolated tumour",
        ),
        (
            {"extranodal_extension": True},
            "extranodal_extension=True contradicts positive_slns=None",
        ),
        (
            {"positive_slns": 0, "extranodal_extension": True},
            "extranodal_extension=True contradicts positive_slns=0",
        ),
        ({"surgery": "mastectomy"}, "whole_breast_rt=True contradicts surgery='mastectomy'"),
    ],
)
def test_contradictory_fields_are_refused_naming_both(kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        AxillaCase("T2", **kwargs)


def test_a_case_is_frozen_and_normalises_numbers():
    case = AxillaCase("T1", tumour_size_mm=12, positive_slns=0)
    assert isinstance(case.tumour_size_mm, float) and case.positive_slns == 0
    with pytest.raises(dataclasses.FrozenInstanceError):
        case.t_stage = "T2"


def test_assess_refuses_anything_but_a_case():
    with pytest.raises(TypeError, match="case must be an AxillaCase, got dict"):
        assess({"t_stage": "T1"})
    with pytest.raises(TypeError, match="case must be an AxillaCase"):
        summary("T1")


# ---------- properties over every valid case


@st.composite
def cases(draw) -> AxillaCase:
    count = draw(st.none() | st.integers(0, 12))
    if count is None:
        category = None
    elif count == 0:
        category = draw(st.sampled_from([None, ITC]))
    else:
        category = draw(st.sampled_from([None, MICRO, MACRO]))
    surgery = draw(st.sampled_from(SURGERIES))
    return AxillaCase(
        t_stage=draw(st.sampled_from(T_STAGES)),
        clinically_node_negative=draw(st.booleans()),
        surgery=surgery,
        whole_breast_rt=surgery == "breast-conserving" and draw(st.booleans()),
        positive_slns=count,
        largest_sln_category=category,
        tumour_size_mm=draw(st.none() | st.floats(0.5, 150)),
        axillary_ultrasound_negative=draw(st.none() | st.booleans()),
        neoadjuvant=draw(st.booleans()),
        extranodal_extension=bool(count) and draw(st.booleans()),
    )


@settings(max_examples=300, deadline=None)
@given(cases())
def test_every_case_gets_one_verdict_per_trial_with_its_reasons(case):
    fits = assess(case)
    assert [f.trial.name for f in fits] == list(TRIALS)
    for f in fits:
        assert f.reasons
        verdicts = [c.judge(case) for c in f.trial.criteria]
        unrecorded = axilla._unrecorded(f.trial, case)
        assert len(f.met) + len(f.failed) + len(f.unknown) == len(verdicts) + len(unrecorded)
        if f.fit is Fit.MATCH:
            assert all(verdicts) and not unrecorded
        elif f.fit is Fit.EXCLUDED:
            assert False in verdicts
        else:
            assert False not in verdicts and (None in verdicts or unrecorded)
    if case.neoadjuvant:
        assert matching_trials(case) == ()
    assert "not a recommendation" in summary(case)
