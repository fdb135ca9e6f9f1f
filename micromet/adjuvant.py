"""Adjuvant reasoning: which treatment families the evidence lists for a tumour's biology, and
what the nodal finding changes.

Treatment after surgery aims at micrometastatic disease that no test can see, so it is chosen by
the tumour's receptors (the subtype) and by the risk the nodes signal. This module says what the
evidence covers, never what to give: every family and nodal category carries the registered
facts behind it, with their sources and how well they were checked.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from enum import Enum

from micromet.evidence import Fact, fact
from micromet.predict import MAX_NODES
from micromet.staging import DepositCategory, PNStage

__all__ = [
    "NodalEvidence",
    "Subtype",
    "TreatmentFamily",
    "nodal_evidence",
    "predict_node_input",
    "subtype",
    "treatment_families",
]


# --- subtype ------------------------------------------------------------------------------


class Subtype(Enum):
    """Receptor subtype as the adjuvant tables group tumours: hormone receptors and HER2.

    Hormone-receptor positive (HR+) means ER or PR positive. PREDICT v2.1 uses ER alone.
    """

    HR_POSITIVE_HER2_NEGATIVE = "hr_pos_her2_neg"
    HR_POSITIVE_HER2_POSITIVE = "hr_pos_her2_pos"
    HR_NEGATIVE_HER2_POSITIVE = "hr_neg_her2_pos"
    TRIPLE_NEGATIVE = "triple_negative"

    @property
    def label(self) -> str:
        """Plain name, as a learner reads it."""
        return _SUBTYPE_LABELS[self]

    @property
    def hormone_receptor_positive(self) -> bool:
        """True for the two HR+ subtypes."""
        return self in (Subtype.HR_POSITIVE_HER2_NEGATIVE, Subtype.HR_POSITIVE_HER2_POSITIVE)

    @property
    def her2_positive(self) -> bool:
        """True for the two HER2+ subtypes."""
        return self in (Subtype.HR_POSITIVE_HER2_POSITIVE, Subtype.HR_NEGATIVE_HER2_POSITIVE)

    @property
    def table_fact_id(self) -> str:
        """Registry id of this subtype's row in the table of adjuvant treatment by subtype."""
        return f"subtype_table_{self.value}"

    @property
    def regional_survival_fact_id(self) -> str:
        """Registry id of SEER's five-year survival for this subtype once it has reached nodes."""
        return f"survival_regional_5y_{self.value}"


_SUBTYPE_LABELS = {
    Subtype.HR_POSITIVE_HER2_NEGATIVE: "HR+/HER2− (luminal A/B)",
    Subtype.HR_POSITIVE_HER2_POSITIVE: "HR+/HER2+",
    Subtype.HR_NEGATIVE_HER2_POSITIVE: "HR−/HER2+",
    Subtype.TRIPLE_NEGATIVE: "triple negative (HR−/HER2−)",
}


def subtype(er_positive: bool, pr_positive: bool, her2_positive: bool) -> Subtype:
    """The subtype from the three receptor results: HR+ when ER or PR is positive."""
    for name, flag in (
        ("er_positive", er_positive),
        ("pr_positive", pr_positive),
        ("her2_positive", her2_positive),
    ):
        if not isinstance(flag, bool):
            raise TypeError(f"{name} must be True or False (the receptor result), got {flag!r}")
    if er_positive or pr_positive:
        if her2_positive:
            return Subtype.HR_POSITIVE_HER2_POSITIVE
        return Subtype.HR_POSITIVE_HER2_NEGATIVE
    return Subtype.HR_NEGATIVE_HER2_POSITIVE if her2_positive else Subtype.TRIPLE_NEGATIVE


# --- treatment families -------------------------------------------------------------------


@dataclass(frozen=True)
class TreatmentFamily:
    """A family of adjuvant treatments, what the evidence lists it for, and the facts behind it.

    ``predict_treatments`` names the matching PREDICT v2.1 treatments (none for radiotherapy,
    which the v2.1 tool leaves out).
    """

    name: str
    examples: tuple[str, ...]
    listed: str
    fact_ids: tuple[str, ...]
    predict_treatments: tuple[str, ...]

    @property
    def facts(self) -> tuple[Fact, ...]:
        """The registered facts behind this family, in reading order."""
        return tuple(map(fact, self.fact_ids))


_RADIOTHERAPY = TreatmentFamily(
    name="radiotherapy",
    examples=("whole-breast irradiation after breast-conserving surgery", "axillary radiotherapy"),
    listed=(
        "not in the subtype table: a local treatment; the axillary trials gave it to the breast "
        "after lumpectomy, or to the axilla instead of dissection"
    ),
    fact_ids=(
        "z0011_treatment",
        "amaros_axillary_recurrence_10y",
        "amaros_lymphoedema_5y",
        "senomac_nodal_rt",
    ),
    predict_treatments=(),
)


def treatment_families(kind: Subtype) -> tuple[TreatmentFamily, ...]:
    """The families the evidence lists for a subtype, in PREDICT's order, then radiotherapy."""
    if not isinstance(kind, Subtype):
        raise TypeError(
            f"kind must be a Subtype (build one with subtype(er, pr, her2)), got {kind!r}"
        )
    table = kind.table_fact_id
    families = []
    if kind.hormone_receptor_positive:
        families.append(
            TreatmentFamily(
                name="endocrine therapy",
                examples=("tamoxifen", "aromatase inhibitors: letrozole, anastrozole, exemestane"),
                listed="listed for this subtype",
                fact_ids=(
                    table,
                    "endocrine_by_menopause",
                    "endocrine_duration_years",
                    "aromatase_inhibitors_rxponder",
                ),
                predict_treatments=("hormone",),
            )
        )
    if kind is Subtype.HR_POSITIVE_HER2_NEGATIVE:
        chemo_listed = "listed for this subtype if the risk is high"
        chemo_facts = (
            table,
            "rxponder_population",
            "rxponder_postmenopausal_idfs_5y",
            "rxponder_premenopausal_idfs_5y",
        )
    else:
        chemo_listed, chemo_facts = "listed for this subtype", (table,)
    families.append(
        TreatmentFamily(
            name="chemotherapy",
            examples=("anthracycline-based", "taxane-based"),
            listed=chemo_listed,
            fact_ids=chemo_facts,
            predict_treatments=("chemo2", "chemo3"),
        )
    )
    if kind.her2_positive:
        families.append(
            TreatmentFamily(
                name="anti-HER2 therapy",
                examples=("trastuzumab", "pertuzumab, with trastuzumab"),
                listed="listed for this subtype",
                fact_ids=(table, "anti_her2_trastuzumab"),
                predict_treatments=("trastuzumab",),
            )
        )
    families.append(_RADIOTHERAPY)
    return tuple(families)


# --- the nodal finding ----------------------------------------------------------------------

_PN_ROWS = {
    "pN0": None,
    "pN0(i+)": DepositCategory.ITC,
    "pN1mi": DepositCategory.MICRO,
    "pN1a": DepositCategory.MACRO,
    "pN2a": DepositCategory.MACRO,
    "pN3a": DepositCategory.MACRO,
}
"""The pN rows the nodal evidence speaks to: axillary findings, staged after surgery first."""


@dataclass(frozen=True)
class NodalEvidence:
    """What the evidence says about one nodal finding, and what it leaves open.

    ``category`` is the largest deposit (None: node-negative).
    """

    category: DepositCategory | None
    label: str
    pn_categories: tuple[str, ...]
    fact_ids: tuple[str, ...]
    caveats: tuple[str, ...]

    @property
    def facts(self) -> tuple[Fact, ...]:
        """The registered facts behind this finding, in reading order."""
        return tuple(map(fact, self.fact_ids))


_MIRROR_COHORTS = (
    "MIRROR compared cohorts, not randomised arms, and its adjuvant hazard ratio pools isolated "
    "tumour cells with micrometastases."
)

_NODAL = {
    None: NodalEvidence(
        category=None,
        label="node-negative",
        pn_categories=("pN0",),
        fact_ids=(
            "b32_occult_metastases",
            "b32_occult_split",
            "b32_occult_hr_death",
            "b32_occult_os_5y",
            "b32_occult_bc_death_free_5y",
        ),
        caveats=(
            "Node-negative is what the examined sections showed: re-examining negative sentinel "
            "nodes finds occult deposits in some patients.",
        ),
    ),
    DepositCategory.ITC: NodalEvidence(
        category=DepositCategory.ITC,
        label="isolated tumour cells only",
        pn_categories=("pN0(i+)",),
        fact_ids=(
            "predict_itc_no_input",
            "mirror_cohorts",
            "mirror_hr_itc",
            "mirror_hr_adjuvant",
            "seer_pn0i_hr_bcss",
            "nanomet_hr_itc",
            "b32_occult_bc_death_free_5y",
        ),
        caveats=(_MIRROR_COHORTS,),
    ),
    DepositCategory.MICRO: NodalEvidence(
        category=DepositCategory.MICRO,
        label="micrometastases only",
        pn_categories=("pN1mi",),
        fact_ids=(
            "predict_micromets_half_node",
            "mirror_cohorts",
            "mirror_hr_micro",
            "mirror_hr_adjuvant",
            "seer_pn1mi_hr_vs_n0",
            "seer_pn1mi_hr_vs_n1",
            "seer_pn1mi_share",
            "gobardhan_os_hr",
            "nanomet_hr_itc",
            "b32_occult_bc_death_free_5y",
        ),
        caveats=(
            _MIRROR_COHORTS,
            "PREDICT counts half a node only for a single node with micrometastases; two or more "
            "such nodes enter as whole positive nodes.",
            "Whether RxPONDER and monarchE counted micrometastatic nodes as positive nodes is not "
            "established in our sources.",
        ),
    ),
    DepositCategory.MACRO: NodalEvidence(
        category=DepositCategory.MACRO,
        label="macrometastases",
        pn_categories=("pN1a", "pN2a", "pN3a"),
        fact_ids=(
            "survival_regional_5y",
            "seer_pn1mi_hr_vs_n1",
            "gobardhan_os_hr",
            "rxponder_population",
            "rxponder_postmenopausal_idfs_5y",
            "rxponder_premenopausal_idfs_5y",
            "monarche_eligibility",
            "monarche_idfs_2y",
        ),
        caveats=(
            "The SEER figure is relative survival for every cancer of regional stage, not a "
            "prediction for one patient.",
            "RxPONDER and monarchE enrolled HR+/HER2− disease only.",
        ),
    ),
}


def _category(finding) -> DepositCategory | None:
    """The largest deposit behind a nodal finding given as a category, a pN row or a PNStage."""
    if finding is None or isinstance(finding, DepositCategory):
        return finding
    if isinstance(finding, PNStage):
        if finding.neoadjuvant:
            raise ValueError(
                f"the nodal evidence here is for surgery first; {finding} was staged after "
                "neoadjuvant therapy, where residual deposits are a different question"
            )
        finding = finding.category
    if not isinstance(finding, str):
        raise TypeError(
            "the nodal finding must be None (node-negative), a DepositCategory, a pN category "
            f"such as 'pN1mi' or a PNStage; got {finding!r}"
        )
    row = finding.strip().removesuffix("(sn)")
    if row not in _PN_ROWS:
        raise ValueError(
            f"the nodal evidence covers the axillary rows {', '.join(_PN_ROWS)} (with or "
            f"without (sn)), staged after surgery first; got {finding!r}"
        )
    return _PN_ROWS[row]


def nodal_evidence(finding) -> NodalEvidence:
    """The evidence on a nodal finding: None (node-negative), a DepositCategory, 'pN1mi'...

    A PNStage works too; pN rows outside the axilla, pN0(mol+), pNX and staging after
    neoadjuvant therapy are not covered and raise ValueError.
    """
    return _NODAL[_category(finding)]


def predict_node_input(finding, positive_nodes=None) -> dict:
    """The node inputs PREDICT v2.1 is given for a finding: ``{"nodes": n, "micromets_only": b}``.

    ITC are not positive nodes (0); one node with micrometastases only is flagged (the model
    makes it half a node); more nodes count whole. ``positive_nodes`` defaults to 1, or to the
    stage's own count for a PNStage.
    """
    category = _category(finding)
    if positive_nodes is None and isinstance(finding, PNStage):
        positive_nodes = finding.positive
    if positive_nodes is not None and (
        isinstance(positive_nodes, bool) or not isinstance(positive_nodes, numbers.Integral)
    ):
        raise TypeError(f"positive_nodes must be a whole number or None, got {positive_nodes!r}")
    label = _NODAL[category].label
    if category in (None, DepositCategory.ITC):
        if positive_nodes not in (None, 0):
            raise ValueError(
                f"positive_nodes must be 0 (or None) for {label}: ITC are not positive nodes; "
                f"got {positive_nodes}"
            )
        return {"nodes": 0, "micromets_only": False}
    n = 1 if positive_nodes is None else int(positive_nodes)
    if not 1 <= n <= MAX_NODES:
        raise ValueError(f"positive_nodes must be from 1 to {MAX_NODES} for {label}, got {n}")
    return {"nodes": n, "micromets_only": category is DepositCategory.MICRO and n == 1}
