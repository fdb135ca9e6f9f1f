"""Unit tests for micromet.adjuvant: subtypes, treatment families and the nodal evidence."""

from __future__ import annotations

import dataclasses

import pytest

from micromet import evidence
from micromet.adjuvant import (
    NodalEvidence,
    Subtype,
    TreatmentFamily,
    nodal_evidence,
    predict_node_input,
    subtype,
    treatment_families,
)
from micromet.predict import TREATMENTS, Patient
from micromet.staging import DepositCategory, NodeFinding, stage_pn

HR_POS_HER2_NEG = Subtype.HR_POSITIVE_HER2_NEGATIVE
HR_POS_HER2_POS = Subtype.HR_POSITIVE_HER2_POSITIVE
HR_NEG_HER2_POS = Subtype.HR_NEGATIVE_HER2_POSITIVE
TRIPLE_NEGATIVE = Subtype.TRIPLE_NEGATIVE
CATEGORIES = (None, DepositCategory.ITC, DepositCategory.MICRO, DepositCategory.MACRO)


def family(kind: Subtype, name: str) -> TreatmentFamily:
    return next(f for f in treatment_families(kind) if f.name == name)


# ---------- layering


def test_adjuvant_imports_only_model_modules():
    import micromet.adjuvant as adjuvant

    with open(adjuvant.__file__, encoding="utf-8") as f:
        imports = {line.split()[1] for line in f if line.startswith(("import ", "from "))}
    assert imports <= {
        "__future__",
        "numbers",
        "dataclasses",
        "enum",
        "micromet.evidence",
        "micromet.predict",
        "micromet.staging",
    }


# ---------- subtype


@pytest.mark.parametrize(
    "er, pr, her2, expected",
    [
        (True, True, False, HR_POS_HER2_NEG),
        (True, False, False, HR_POS_HER2_NEG),
        (False, True, False, HR_POS_HER2_NEG),
        (True, True, True, HR_POS_HER2_POS),
        (True, False, True, HR_POS_HER2_POS),
        (False, True, True, HR_POS_HER2_POS),
        (False, False, True, HR_NEG_HER2_POS),
        (False, False, False, TRIPLE_NEGATIVE),
    ],
)
def test_subtype_from_receptors(er, pr, her2, expected):
    kind = subtype(er, pr, her2)
    assert kind is expected
    assert kind.hormone_receptor_positive is (er or pr)
    assert kind.her2_positive is her2


@pytest.mark.parametrize("bad", [None, 1, 0, "positive"])
@pytest.mark.parametrize("position", range(3))
def test_subtype_needs_three_booleans(bad, position):
    args = [True, True, True]
    args[position] = bad
    name = ("er_positive", "pr_positive", "her2_positive")[position]
    with pytest.raises(TypeError, match=name):
        subtype(*args)


def test_subtype_labels_and_registered_rows():
    assert TRIPLE_NEGATIVE.label == "triple negative (HR−/HER2−)"
    assert "luminal" in HR_POS_HER2_NEG.label
    seer = {kind: evidence.value(kind.regional_survival_fact_id) for kind in Subtype}
    assert seer == {
        HR_POS_HER2_NEG: 90.2,
        HR_POS_HER2_POS: 89.8,
        HR_NEG_HER2_POS: 84.0,
        TRIPLE_NEGATIVE: 66.2,
    }
    for kind in Subtype:
        row = evidence.fact(kind.table_fact_id)
        assert row.status == "VERIFIED" and "BMC Med 2015" in row.citation
        assert evidence.fact(kind.regional_survival_fact_id).status == "SECONDARY"


# ---------- treatment families


@pytest.mark.parametrize(
    "kind, names",
    [
        (HR_POS_HER2_NEG, ["endocrine therapy", "chemotherapy", "radiotherapy"]),
        (
            HR_POS_HER2_POS,
            ["endocrine therapy", "chemotherapy", "anti-HER2 therapy", "radiotherapy"],
        ),
        (HR_NEG_HER2_POS, ["chemotherapy", "anti-HER2 therapy", "radiotherapy"]),
        (TRIPLE_NEGATIVE, ["chemotherapy", "radiotherapy"]),
    ],
)
def test_families_per_subtype(kind, names):
    families = treatment_families(kind)
    assert [f.name for f in families] == names
    for f in families:
        assert f.facts and all(isinstance(x, evidence.Fact) for x in f.facts)
        assert set(f.predict_treatments) <= set(TREATMENTS)
        if f.name != "radiotherapy":
            assert f.fact_ids[0] == kind.table_fact_id  # the subtype row comes first


def test_endocrine_family_names_tamoxifen_and_letrozole():
    endocrine = family(HR_POS_HER2_NEG, "endocrine therapy")
    assert "tamoxifen" in endocrine.examples
    assert any("letrozole" in e for e in endocrine.examples)
    assert endocrine.predict_treatments == ("hormone",)
    assert evidence.value("endocrine_duration_years") == [5, 10]
    assert {f.status for f in endocrine.facts} == {"VERIFIED", "SECONDARY"}


def test_chemotherapy_if_high_risk_only_for_hr_positive_her2_negative():
    chemo = family(HR_POS_HER2_NEG, "chemotherapy")
    assert "if the risk is high" in chemo.listed
    assert "rxponder_premenopausal_idfs_5y" in chemo.fact_ids
    assert evidence.value("rxponder_premenopausal_idfs_5y") == [89.0, 93.9]
    assert evidence.value("rxponder_postmenopausal_idfs_5y") == [91.9, 91.3]
    for kind in (HR_POS_HER2_POS, HR_NEG_HER2_POS, TRIPLE_NEGATIVE):
        other = family(kind, "chemotherapy")
        assert other.listed == "listed for this subtype"
        assert other.fact_ids == (kind.table_fact_id,)


def test_anti_her2_family():
    for kind in (HR_POS_HER2_POS, HR_NEG_HER2_POS):
        anti_her2 = family(kind, "anti-HER2 therapy")
        assert "trastuzumab" in anti_her2.examples
        assert anti_her2.predict_treatments == ("trastuzumab",)


def test_radiotherapy_is_the_same_local_family_for_every_subtype():
    radiotherapy = {family(kind, "radiotherapy") for kind in Subtype}
    assert len(radiotherapy) == 1
    (rt,) = radiotherapy
    assert rt.predict_treatments == ()  # off in PREDICT v2.1
    assert "not in the subtype table" in rt.listed


def test_families_are_frozen_and_need_a_subtype():
    f = treatment_families(TRIPLE_NEGATIVE)[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.name = "x"
    for bad in (None, "triple negative", "hr_pos_her2_neg"):
        with pytest.raises(TypeError, match="Subtype"):
            treatment_families(bad)


def test_evidence_not_recommendation():
    texts = [f.listed for kind in Subtype for f in treatment_families(kind)]
    texts += [c for category in CATEGORIES for c in nodal_evidence(category).caveats]
    texts += [f.statement for f in evidence.facts() if f.id.startswith(("subtype_table", "rx"))]
    for text in texts:
        assert not any(w in text.lower() for w in ("recommend", "should", "must be given")), text


# ---------- the nodal finding


@pytest.mark.parametrize(
    "finding, category",
    [
        (None, None),
        ("pN0", None),
        ("pN0(sn)", None),
        (DepositCategory.ITC, DepositCategory.ITC),
        ("pN0(i+)", DepositCategory.ITC),
        ("pN0(i+)(sn)", DepositCategory.ITC),
        (DepositCategory.MICRO, DepositCategory.MICRO),
        ("pN1mi", DepositCategory.MICRO),
        (DepositCategory.MACRO, DepositCategory.MACRO),
        ("pN1a", DepositCategory.MACRO),
        ("pN2a", DepositCategory.MACRO),
        ("pN3a", DepositCategory.MACRO),
    ],
)
def test_nodal_finding_as_category_or_pn_row(finding, category):
    ev = nodal_evidence(finding)
    assert isinstance(ev, NodalEvidence) and ev.category is category
    assert ev.facts and all(f.status in evidence.STATUSES for f in ev.facts)


@pytest.mark.parametrize(
    "nodes, category",
    [
        ([NodeFinding()], None),
        ([NodeFinding(0.1), NodeFinding()], DepositCategory.ITC),
        ([NodeFinding(1.0)], DepositCategory.MICRO),
        ([NodeFinding(1.0), NodeFinding(0.5)], DepositCategory.MICRO),
        ([NodeFinding(5.0)], DepositCategory.MACRO),
        ([NodeFinding(5.0)] * 4, DepositCategory.MACRO),
    ],
)
def test_nodal_finding_from_a_stage(nodes, category):
    assert nodal_evidence(stage_pn(nodes)).category is category


def test_micrometastasis_evidence_cites_mirror_b32_and_seer():
    micro = nodal_evidence(DepositCategory.MICRO)
    values = {f.id: f.value for f in micro.facts}
    assert values["mirror_hr_micro"] == 1.56
    assert values["mirror_hr_adjuvant"] == 0.57
    assert values["seer_pn1mi_hr_vs_n0"] == 1.35
    assert values["seer_pn1mi_hr_vs_n1"] == 0.82
    assert values["predict_micromets_half_node"] == 0.5
    assert any("RxPONDER" in c for c in micro.caveats)


def test_itc_evidence():
    itc = nodal_evidence("pN0(i+)")
    values = {f.id: f.value for f in itc.facts}
    assert values["mirror_hr_itc"] == 1.50
    assert values["mirror_hr_adjuvant"] == 0.57
    assert values["seer_pn0i_hr_bcss"] == 1.298
    assert values["predict_itc_no_input"] == 0
    assert "Li et al. Front Oncol 2020" in evidence.cite("seer_pn0i_hr_bcss")


def test_node_negative_evidence_reuses_the_b32_facts():
    negative = nodal_evidence(None)
    values = {f.id: f.value for f in negative.facts}
    assert values["b32_occult_metastases"] == 15.9
    assert values["b32_occult_hr_death"] == 1.40
    assert evidence.cite("b32_occult_hr_death") == evidence.cite("b32_occult_metastases")


def test_macrometastasis_evidence_reuses_the_seer_regional_survival():
    macro = nodal_evidence(DepositCategory.MACRO)
    values = {f.id: f.value for f in macro.facts}
    assert values["survival_regional_5y"] == 86.3
    assert "2013-2019" in evidence.fact("survival_regional_5y").statement
    assert values["rxponder_population"] == 5083


def test_every_nodal_and_family_fact_is_registered_once():
    ids = [i for c in CATEGORIES for i in nodal_evidence(c).fact_ids]
    ids += [i for kind in Subtype for f in treatment_families(kind) for i in f.fact_ids]
    for fact_id in ids:
        evidence.fact(fact_id)  # raises KeyError when missing
    for c in CATEGORIES:
        assert len(set(nodal_evidence(c).fact_ids)) == len(nodal_evidence(c).fact_ids)


@pytest.mark.parametrize(
    "bad, error, match",
    [
        ("pN0(mol+)", ValueError, "axillary rows"),
        ("pNX", ValueError, "axillary rows"),
        ("pN1b", ValueError, "axillary rows"),
        ("pN3c", ValueError, "axillary rows"),
        ("ypN1mi", ValueError, "axillary rows"),
        ("micro", ValueError, "axillary rows"),
        (2, TypeError, "nodal finding"),
        (["pN1mi"], TypeError, "nodal finding"),
    ],
)
def test_bad_nodal_findings(bad, error, match):
    with pytest.raises(error, match=match):
        nodal_evidence(bad)


def test_staging_after_neoadjuvant_therapy_is_not_covered():
    stage = stage_pn([NodeFinding(1.0)], neoadjuvant=True)
    with pytest.raises(ValueError, match="neoadjuvant"):
        nodal_evidence(stage)


# ---------- PREDICT's node inputs


@pytest.mark.parametrize(
    "finding, positive, expected",
    [
        (None, None, {"nodes": 0, "micromets_only": False}),
        ("pN0", 0, {"nodes": 0, "micromets_only": False}),
        (DepositCategory.ITC, None, {"nodes": 0, "micromets_only": False}),
        (DepositCategory.MICRO, None, {"nodes": 1, "micromets_only": True}),
        ("pN1mi", 1, {"nodes": 1, "micromets_only": True}),
        ("pN1mi", 2, {"nodes": 2, "micromets_only": False}),
        (DepositCategory.MACRO, None, {"nodes": 1, "micromets_only": False}),
        ("pN2a", 4, {"nodes": 4, "micromets_only": False}),
    ],
)
def test_predict_node_input(finding, positive, expected):
    assert predict_node_input(finding, positive) == expected
    patient = Patient(55, 20, 2, er_positive=True, **predict_node_input(finding, positive))
    assert patient.model_nodes == (0.5 if expected["micromets_only"] else expected["nodes"])


def test_predict_node_input_from_a_stage_counts_its_positive_nodes():
    micro = stage_pn([NodeFinding(1.0), NodeFinding(0.1)])
    assert predict_node_input(micro) == {"nodes": 1, "micromets_only": True}
    macro = stage_pn([NodeFinding(5.0), NodeFinding(1.0), NodeFinding(3.0), NodeFinding(4.0)])
    assert predict_node_input(macro) == {"nodes": 4, "micromets_only": False}
    assert predict_node_input(stage_pn([NodeFinding(0.1)])) == {"nodes": 0, "micromets_only": False}


@pytest.mark.parametrize(
    "finding, positive, error, match",
    [
        (None, 1, ValueError, "0 \\(or None\\) for node-negative"),
        (DepositCategory.ITC, 2, ValueError, "ITC are not positive nodes"),
        (DepositCategory.MICRO, 0, ValueError, "from 1 to 50"),
        (DepositCategory.MACRO, -1, ValueError, "from 1 to 50"),
        (DepositCategory.MACRO, 51, ValueError, "from 1 to 50"),
        (DepositCategory.MACRO, 1.5, TypeError, "whole number"),
        (DepositCategory.MACRO, True, TypeError, "whole number"),
        (DepositCategory.MICRO, "1", TypeError, "whole number"),
        ("pN1b", 1, ValueError, "axillary rows"),
    ],
)
def test_bad_predict_node_input(finding, positive, error, match):
    with pytest.raises(error, match=match):
        predict_node_input(finding, positive)
