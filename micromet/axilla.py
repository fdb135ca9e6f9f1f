"""Which axillary-management trials enrolled patients like this one, and what they found.

Evidence, not a recommendation. Each trial in ``TRIALS`` holds its question, its arms, its
eligibility criteria as data and its key results as fact ids; every number (a T range, a node
count, a size limit, a result) is read from the evidence registry. ``assess`` checks a case
against every criterion; what the fact sheet does not state about a trial is not invented but
named in the trial's ``not_encoded`` note.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from enum import Enum

from micromet.evidence import Fact, cite, fact, references, value
from micromet.staging import MICRO_MAX_MM, DepositCategory

__all__ = [
    "SURGERIES",
    "T_STAGES",
    "TRIALS",
    "AxillaCase",
    "Criterion",
    "Fit",
    "Trial",
    "TrialFit",
    "assess",
    "excluded_trials",
    "matching_trials",
    "summary",
    "undetermined_trials",
]

T_STAGES = ("T1", "T2", "T3", "T4")
SURGERIES = ("breast-conserving", "mastectomy")


# --- the case ---------------------------------------------------------------------------------


def _check_flag(name: str, flag, *, optional: bool = False) -> None:
    if not isinstance(flag, bool) and not (optional and flag is None):
        accepted = "True, False or None (not known)" if optional else "True or False"
        raise TypeError(f"{name} must be {accepted}, got {flag!r}")


@dataclass(frozen=True)
class AxillaCase:
    """One patient described as the axillary trials described theirs; None marks what is unknown.

    ``t_stage`` is the clinical T category. ``positive_slns`` counts sentinel nodes with a micro-
    or macrometastasis (nodes with isolated tumour cells only are not positive nodes, as in AJCC
    counting); None means the biopsy has not been done. ``largest_sln_category`` is the category
    of the largest sentinel deposit: ITC only with 0 positive nodes, micro or macro otherwise.
    ``tumour_size_mm`` is not checked against ``t_stage``: the fact sheet gives no T-by-size table.
    """

    t_stage: str
    clinically_node_negative: bool = True
    surgery: str = "breast-conserving"
    whole_breast_rt: bool = True
    positive_slns: int | None = None
    largest_sln_category: DepositCategory | None = None
    tumour_size_mm: float | None = None
    axillary_ultrasound_negative: bool | None = None
    neoadjuvant: bool = False
    extranodal_extension: bool = False

    def __post_init__(self):
        if not isinstance(self.t_stage, str) or self.t_stage not in T_STAGES:
            raise ValueError(
                f"t_stage must be one of {', '.join(map(repr, T_STAGES))}, got {self.t_stage!r}"
            )
        if not isinstance(self.surgery, str) or self.surgery not in SURGERIES:
            raise ValueError(
                f"surgery must be one of {', '.join(map(repr, SURGERIES))}, got {self.surgery!r}"
            )
        for name in (
            "clinically_node_negative",
            "whole_breast_rt",
            "neoadjuvant",
            "extranodal_extension",
        ):
            _check_flag(name, getattr(self, name))
        _check_flag(
            "axillary_ultrasound_negative", self.axillary_ultrasound_negative, optional=True
        )
        self._check_nodes()
        if self.tumour_size_mm is not None:
            size = self.tumour_size_mm
            if isinstance(size, bool) or not isinstance(size, numbers.Real):
                raise TypeError(
                    f"tumour_size_mm must be None (not known) or a size in mm, got {size!r}"
                )
            try:
                finite = math.isfinite(size)
            except OverflowError:
                finite = False
            if not finite or size <= 0:
                raise ValueError(
                    f"tumour_size_mm must be a finite size above 0 mm, got {str(size)[:20]}"
                )
            object.__setattr__(self, "tumour_size_mm", float(size))
        if self.whole_breast_rt and self.surgery == "mastectomy":
            raise ValueError(
                "whole_breast_rt=True contradicts surgery='mastectomy': no breast is left to "
                "irradiate; pass whole_breast_rt=False"
            )

    def _check_nodes(self) -> None:
        count, category = self.positive_slns, self.largest_sln_category
        if count is not None:
            if isinstance(count, bool) or not isinstance(count, numbers.Integral):
                raise TypeError(
                    "positive_slns must be None (biopsy not done yet) or a whole number of 0 or "
                    f"more, got {count!r}"
                )
            if count < 0:
                raise ValueError(
                    "positive_slns must be None (biopsy not done yet) or a whole number of 0 or "
                    f"more, got {count}"
                )
            object.__setattr__(self, "positive_slns", int(count))
            count = int(count)
        if category is not None and not isinstance(category, DepositCategory):
            raise TypeError(
                "largest_sln_category must be None or a DepositCategory (ITC, MICRO, MACRO), "
                f"got {category!r}"
            )
        if category is not None and count is None:
            raise ValueError(
                f"largest_sln_category={category.name} contradicts positive_slns=None (sentinel "
                "node biopsy not done yet): a deposit category needs a biopsy result"
            )
        if count == 0 and category is not None and category.counts_as_positive:
            raise ValueError(
                f"largest_sln_category={category.name} contradicts positive_slns=0: a node with "
                "a micro- or macrometastasis is a positive node; with 0 positive nodes the "
                "category is ITC or None"
            )
        if count and category is DepositCategory.ITC:
            raise ValueError(
                f"largest_sln_category=ITC contradicts positive_slns={count}: nodes with "
                "isolated tumour cells only are not positive nodes, so the largest deposit of a "
                "positive node is MICRO or MACRO"
            )
        if self.extranodal_extension and not count:
            raise ValueError(
                f"extranodal_extension=True contradicts positive_slns={count}: extranodal "
                "extension needs a positive sentinel node (positive_slns of 1 or more)"
            )

    def describe(self) -> str:
        """The case in one plain sentence (without its final full stop), as the summary opens."""
        size = "" if self.tumour_size_mm is None else f" of {self.tumour_size_mm:g} mm"
        words = [f"{self.t_stage} tumour{size}"]
        words += [_describe(name, self) for name in _DESCRIBED]
        if self.positive_slns:
            words += [_describe("largest_sln_category", self)]
            words += [_describe("extranodal_extension", self)]
        elif self.largest_sln_category is DepositCategory.ITC:
            words += [_describe("largest_sln_category", self)]
        return ", ".join(words)


# --- plain words for each case field -----------------------------------------------------------


_SURGERY_WORDS = {"breast-conserving": "breast-conserving surgery", "mastectomy": "mastectomy"}


def _nodes(count: int) -> str:
    return "1 positive sentinel node" if count == 1 else f"{count} positive sentinel nodes"


def _describe(name: str, case: AxillaCase) -> str:
    v = getattr(case, name)
    if name == "t_stage":
        return f"{v} tumour"
    if name == "tumour_size_mm":
        return "tumour size not given" if v is None else f"tumour of {v:g} mm"
    if name == "clinically_node_negative":
        return "clinically node-negative" if v else "clinically node-positive"
    if name == "axillary_ultrasound_negative":
        return {
            None: "axillary ultrasound result not given",
            True: "negative axillary ultrasound",
            False: "axillary ultrasound not negative",
        }[v]
    if name == "surgery":
        return _SURGERY_WORDS[v]
    if name == "whole_breast_rt":
        return "whole-breast radiotherapy planned" if v else "no whole-breast radiotherapy"
    if name == "neoadjuvant":
        return "neoadjuvant therapy given" if v else "no neoadjuvant therapy"
    if name == "positive_slns":
        if v is None:
            return "sentinel node biopsy not done yet"
        return "sentinel node biopsy done, no positive node" if v == 0 else _nodes(v)
    if name == "largest_sln_category":
        if v is None:
            if case.positive_slns is None:
                return "no sentinel node result yet"
            if case.positive_slns == 0:
                return "no tumour in the sentinel nodes"
            return "size category of the largest sentinel deposit not given"
        if v is DepositCategory.ITC:
            return "isolated tumour cells only in the sentinel nodes"
        return f"largest sentinel deposit a {v.label}"
    return "extranodal extension" if v else "no extranodal extension"


_DESCRIBED = (
    "clinically_node_negative",
    "axillary_ultrasound_negative",
    "surgery",
    "whole_breast_rt",
    "neoadjuvant",
    "positive_slns",
)
"""Fields ``AxillaCase.describe`` always names, after the T category and size."""


# --- trials as data -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    """One eligibility rule: the case field it reads, the values the trial enrolled, and why.

    A value passes when it is in ``allowed`` or, when ``allowed`` is empty, lies between
    ``minimum`` and ``maximum`` (inclusive). ``source`` is the registered fact the rule comes
    from; None marks this module's own scope rule (no trial here studied neoadjuvant therapy).
    """

    field: str
    text: str
    source: str | None
    allowed: tuple = ()
    minimum: float | None = None
    maximum: float | None = None

    def judge(self, case: AxillaCase) -> bool | None:
        """True if the case meets the rule, False if not, None if a field it needs is unknown."""
        v = getattr(case, self.field)
        if v is None and (
            self.field in ("tumour_size_mm", "axillary_ultrasound_negative")
            or (self.field == "largest_sln_category" and case.positive_slns)
        ):
            return None
        if self.allowed:
            return v in self.allowed
        return (
            v is not None
            and (self.minimum is None or v >= self.minimum)
            and (self.maximum is None or v <= self.maximum)
        )


@dataclass(frozen=True)
class Trial:
    """One trial: its question, arms, eligibility criteria and registered design and results.

    ``results`` are fact ids, headline first, each giving its values in the order its unit
    names; POSNOC has none (its results are unverified). ``not_encoded`` names what the fact
    sheet does not state about the trial's population, or what ``AxillaCase`` cannot express.
    """

    name: str
    question: str
    arms: tuple[str, ...]
    criteria: tuple[Criterion, ...]
    design: tuple[str, ...]
    results: tuple[str, ...]
    not_encoded: str

    @property
    def eligibility(self) -> str:
        """The encoded criteria as one plain sentence."""
        text = "; ".join(c.text for c in self.criteria)
        return f"{self.name} enrolled {text}."

    @property
    def citation(self) -> str:
        """The trial's main publication, as the registry cites it."""
        return cite(self.design[0])

    @property
    def findings(self) -> tuple[Fact, ...]:
        """The registered key results, headline first."""
        return tuple(map(fact, self.results))

    @property
    def references(self) -> list[tuple[str, str]]:
        """Distinct (citation, url) pairs behind the design and the results."""
        return references(self.design + self.results)


def _t_stages(fact_id: str, prefix: str = "") -> Criterion:
    stages = tuple(value(fact_id))
    return Criterion("t_stage", f"{prefix}{stages[0]}-{stages[-1]} tumours", fact_id, stages)


def _node_range(fact_id: str, what: str) -> Criterion:
    low, high = value(fact_id)
    return Criterion(
        "positive_slns", f"women with {low}-{high} {what}", fact_id, minimum=low, maximum=high
    )


def _max_size(fact_id: str) -> Criterion:
    size = value(fact_id)
    return Criterion("tumour_size_mm", f"tumours of {size:g} mm or less", fact_id, maximum=size)


def _node_negative(fact_id: str, text: str = "clinically node-negative women") -> Criterion:
    return Criterion("clinically_node_negative", text, fact_id, (True,))


def _surgery(fact_id: str, *allowed: str) -> Criterion:
    text = "women having " + " or ".join(_SURGERY_WORDS[s] for s in allowed)
    return Criterion("surgery", text, fact_id, allowed)


def _before_biopsy(fact_id: str) -> Criterion:
    return Criterion(
        "positive_slns",
        "women before sentinel node biopsy (it tested leaving the biopsy out)",
        fact_id,
        (None,),
    )


def _macro(fact_id: str) -> Criterion:
    return Criterion(
        "largest_sln_category",
        f"women with a sentinel node macrometastasis (a deposit over {MICRO_MAX_MM:g} mm)",
        fact_id,
        (DepositCategory.MACRO,),
    )


_NO_NEOADJUVANT = Criterion(
    "neoadjuvant",
    "no one after neoadjuvant therapy (not a recorded criterion: not studied in its population)",
    None,
    (False,),
)
"""The scope rule every trial carries: the fact sheet records none of them after neoadjuvant
therapy, so such a case is outside each population as not studied, not as a stated exclusion."""


_MACRO_READING = (
    "AxillaCase records the number of positive nodes and the largest deposit, so '{low}-{high} "
    "sentinel node macrometastases' is read as {low}-{high} positive sentinel nodes, the largest "
    "a macrometastasis; whether further nodes with micrometastases were allowed is not stated."
)


def _trials() -> dict[str, Trial]:
    z_low, z_high = value("z0011_positive_slns")
    s_low, s_high = value("senomac_macro_slns")
    p_low, p_high = value("posnoc_macro_slns")
    trials = (
        Trial(
            name="NSABP B-32",
            question=(
                "In clinically node-negative women, is sentinel node resection alone as safe as "
                "adding axillary dissection when the sentinel nodes are negative, and how often "
                "does the biopsy miss nodal disease?"
            ),
            arms=("sentinel node resection + axillary dissection", "sentinel node resection alone"),
            criteria=(
                _node_negative("b32_randomised"),
                Criterion(
                    "positive_slns",
                    "women before sentinel node biopsy, and compared the arms in those whose "
                    "sentinel nodes were negative",
                    "b32_randomised",
                    (None, 0),
                ),
                _NO_NEOADJUVANT,
            ),
            design=("b32_randomised", "b32_slnb_node_positive"),
            results=(
                "b32_os_8y",
                "b32_dfs_8y",
                "b32_regional_recurrence",
                "b32_sln_identification",
                "b32_slnb_false_negatives",
                "b32_occult_metastases",
                "b32_occult_os_5y",
            ),
            not_encoded=(
                "T category, tumour size and breast surgery: the fact sheet states no B-32 rule. "
                "Whether isolated tumour cells seen at the site counted as sentinel-negative: "
                "not stated; here nodes with isolated tumour cells only are not positive (AJCC)."
            ),
        ),
        Trial(
            name="ACOSOG Z0011",
            question=(
                f"With {z_low}-{z_high} positive sentinel nodes after lumpectomy and whole-breast "
                "radiotherapy, can axillary dissection be left out?"
            ),
            arms=("sentinel node dissection alone", "axillary dissection"),
            criteria=(
                _t_stages("z0011_t_stages", "clinical "),
                _node_negative("z0011_t_stages", "women with no palpable axillary adenopathy"),
                _node_range("z0011_positive_slns", "sentinel nodes with metastases"),
                _surgery("z0011_treatment", "breast-conserving"),
                Criterion(
                    "whole_breast_rt",
                    "women with planned whole-breast radiotherapy",
                    "z0011_treatment",
                    (True,),
                ),
                _NO_NEOADJUVANT,
            ),
            design=(
                "z0011_t_stages",
                "z0011_positive_slns",
                "z0011_treatment",
                "z0011_detection",
                "z0011_randomised",
            ),
            results=(
                "z0011_os_10y",
                "z0011_dfs_10y",
                "z0011_nodal_recurrence_10y",
                "z0011_locoregional_recurrence_10y",
                "z0011_nodes_removed",
            ),
            not_encoded=(
                "How the metastases were found (frozen section, touch preparation or H&E, not "
                "immunohistochemistry alone), planned adjuvant systemic therapy and the ban on "
                "nodal (third-field) radiotherapy: AxillaCase has no field for them. Tumour size "
                "in mm and extranodal extension: the fact sheet states no Z0011 rule."
            ),
        ),
        Trial(
            name="IBCSG 23-01",
            question=(
                "When the sentinel nodes hold micrometastases only, can axillary dissection be "
                "left out?"
            ),
            arms=("no axillary dissection", "axillary dissection"),
            criteria=(
                _max_size("ibcsg2301_max_tumour_mm"),
                Criterion(
                    "positive_slns",
                    "women with at least one positive sentinel node",
                    "ibcsg2301_max_tumour_mm",
                    minimum=1,
                ),
                Criterion(
                    "largest_sln_category",
                    f"women whose sentinel nodes held micrometastases only (no deposit over "
                    f"{MICRO_MAX_MM:g} mm)",
                    "ibcsg2301_max_tumour_mm",
                    (DepositCategory.MICRO,),
                ),
                Criterion(
                    "extranodal_extension",
                    "women without extracapsular extension",
                    "ibcsg2301_max_tumour_mm",
                    (False,),
                ),
                _NO_NEOADJUVANT,
            ),
            design=("ibcsg2301_max_tumour_mm", "ibcsg2301_randomised"),
            results=("ibcsg2301_dfs_5y", "ibcsg2301_dfs_10y", "ibcsg2301_harms"),
            not_encoded=(
                "Clinical node status, T category, breast surgery and radiotherapy: the fact "
                "sheet states no IBCSG 23-01 rule (tumour size is the only size criterion)."
            ),
        ),
        Trial(
            name="AMAROS",
            question=(
                "When a sentinel node is positive, can axillary radiotherapy replace axillary "
                "dissection?"
            ),
            arms=("axillary dissection", "axillary radiotherapy"),
            criteria=(
                _t_stages("amaros_t_stages", "clinical "),
                _node_negative("amaros_t_stages"),
                Criterion(
                    "positive_slns",
                    "women with a positive sentinel node",
                    "amaros_t_stages",
                    minimum=1,
                ),
                _NO_NEOADJUVANT,
            ),
            design=("amaros_t_stages", "amaros_margin"),
            results=(
                "amaros_axillary_recurrence_10y",
                "amaros_lymphoedema_5y",
                "amaros_lymphoedema_ever",
                "amaros_os_10y",
                "amaros_dfs_10y",
                "amaros_locoregional_recurrence_10y",
                "amaros_second_primary_10y",
            ),
            not_encoded=(
                "Breast surgery, radiotherapy, the number of positive nodes beyond one, tumour "
                "size in mm and extranodal extension: the fact sheet states no AMAROS rule. It "
                "says 'positive sentinel node' only; here that means a micro- or "
                "macrometastasis, never isolated tumour cells alone."
            ),
        ),
        Trial(
            name="SOUND",
            question=(
                "For a small tumour with a negative axillary ultrasound, can the sentinel node "
                "biopsy itself be left out?"
            ),
            arms=("sentinel node biopsy", "no axillary surgery"),
            criteria=(
                _max_size("sound_max_tumour_mm"),
                Criterion(
                    "axillary_ultrasound_negative",
                    "women with a negative preoperative axillary ultrasound",
                    "sound_max_tumour_mm",
                    (True,),
                ),
                _before_biopsy("sound_max_tumour_mm"),
                _NO_NEOADJUVANT,
            ),
            design=("sound_max_tumour_mm",),
            results=(
                "sound_ddfs_5y",
                "sound_locoregional_relapse",
                "sound_distant_metastases",
                "sound_deaths",
                "sound_ultrasound_negative_positive_sln",
            ),
            not_encoded=(
                "Clinical node status beyond the ultrasound, T category, breast surgery and "
                "radiotherapy: the fact sheet states no SOUND rule (a T3 or T4 case is judged "
                "by its size in mm alone)."
            ),
        ),
        Trial(
            name="INSEMA",
            question=(
                "With breast-conserving surgery for a clinically node-negative tumour, can the "
                "sentinel node biopsy itself be left out?"
            ),
            arms=("no axillary surgery", "sentinel node biopsy"),
            criteria=(
                _t_stages("insema_t_stages", "clinical "),
                _node_negative("insema_t_stages"),
                _surgery("insema_t_stages", "breast-conserving"),
                _before_biopsy("insema_t_stages"),
                _NO_NEOADJUVANT,
            ),
            design=("insema_t_stages",),
            results=(
                "insema_idfs_5y",
                "insema_axillary_recurrence",
                "insema_deaths",
                "insema_lymphoedema",
                "insema_second_randomisation_idfs_5y",
            ),
            not_encoded=(
                "Whole-breast radiotherapy, tumour size in mm and axillary ultrasound: the fact "
                "sheet states no INSEMA rule. Its second randomisation (sentinel node biopsy "
                "alone or completion dissection for sentinel node macrometastases) is registered "
                "as a result, but its population is not encoded: a case after a positive biopsy "
                "is outside INSEMA here."
            ),
        ),
        Trial(
            name="SENOMAC",
            question=(
                f"With {s_low}-{s_high} sentinel node macrometastases, after breast-conserving "
                "surgery or mastectomy, can completion axillary dissection be left out?"
            ),
            arms=("sentinel node biopsy only", "axillary dissection"),
            criteria=(
                _t_stages("senomac_t_stages"),
                _node_negative("senomac_t_stages"),
                _node_range("senomac_macro_slns", "sentinel node macrometastases"),
                _macro("senomac_macro_slns"),
                _surgery("senomac_t_stages", "breast-conserving", "mastectomy"),
                _NO_NEOADJUVANT,
            ),
            design=("senomac_t_stages", "senomac_macro_slns"),
            results=("senomac_rfs_5y", "senomac_os_5y", "senomac_bcss_5y", "senomac_nodal_rt"),
            not_encoded=(
                f"{_MACRO_READING.format(low=s_low, high=s_high)} Tumour size in mm, "
                "extranodal extension and radiotherapy: the fact sheet states no SENOMAC rule."
            ),
        ),
        Trial(
            name="POSNOC",
            question=(
                f"With {p_low}-{p_high} sentinel node macrometastases, is adjuvant therapy alone "
                "as good as adjuvant therapy plus axillary treatment (dissection or "
                "radiotherapy)?"
            ),
            arms=(
                "adjuvant therapy alone",
                "adjuvant therapy + axillary treatment (node clearance or radiotherapy)",
            ),
            criteria=(
                _t_stages("posnoc_t_stages"),
                _node_range("posnoc_macro_slns", "sentinel node macrometastases"),
                _macro("posnoc_macro_slns"),
                _surgery("posnoc_t_stages", "breast-conserving", "mastectomy"),
                Criterion(
                    "extranodal_extension",
                    "women with or without extranodal extension",
                    "posnoc_t_stages",
                    allowed=(True, False),
                ),
                _NO_NEOADJUVANT,
            ),
            design=("posnoc_t_stages", "posnoc_macro_slns", "posnoc_design"),
            results=(),
            not_encoded=(
                f"{_MACRO_READING.format(low=p_low, high=p_high)} Clinical node status, tumour "
                "size in mm and radiotherapy: the fact sheet states no POSNOC rule; extranodal "
                "extension is allowed either way. Its results are unverified, so only its design "
                "is shown."
            ),
        ),
    )
    return {trial.name: trial for trial in trials}


TRIALS: dict[str, Trial] = _trials()
"""The trial registry by name, in the order the evidence arrived (B-32 first, POSNOC last)."""


# --- matching a case --------------------------------------------------------------------------


class Fit(Enum):
    """Whether a case lies inside a trial's population."""

    MATCH = "match"
    EXCLUDED = "excluded"
    UNDETERMINED = "undetermined"


@dataclass(frozen=True)
class TrialFit:
    """One trial judged against one case, with the criteria met, failed and left unknown."""

    trial: Trial
    fit: Fit
    met: tuple[str, ...]
    failed: tuple[str, ...]
    unknown: tuple[str, ...]

    @property
    def reasons(self) -> tuple[str, ...]:
        """The reasons behind the fit: criteria met, failed or unknown respectively."""
        return {Fit.MATCH: self.met, Fit.EXCLUDED: self.failed, Fit.UNDETERMINED: self.unknown}[
            self.fit
        ]


def _reason(criterion: Criterion, trial: Trial, case: AxillaCase, verdict: bool | None) -> str:
    said = _describe(criterion.field, case)
    if criterion.source is None:
        return said if verdict else f"{said}: not studied in {trial.name}'s population"
    return f"{said}; {trial.name} enrolled {criterion.text}"


USUAL = {
    "clinically_node_negative": True,
    "surgery": "breast-conserving",
    "whole_breast_rt": True,
    "extranodal_extension": False,
}
"""The typical trial patient; a case that differs where a trial's recorded criteria are silent
cannot be said to match that trial."""


def _unrecorded(trial: Trial, case: AxillaCase) -> list[str]:
    """Features of the case that differ from the typical patient where the trial records no rule."""
    covered = {criterion.field for criterion in trial.criteria}
    unusual = []
    for field, usual in USUAL.items():
        if field in covered or getattr(case, field) == usual:
            continue
        if field == "whole_breast_rt" and case.surgery == "mastectomy":
            continue  # no breast is left to irradiate
        unusual.append(
            f"{_describe(field, case)}: not checked, as {trial.name}'s criteria recorded here say "
            "nothing about it"
        )
    return unusual


def _fit(trial: Trial, case: AxillaCase) -> TrialFit:
    verdicts = {True: [], False: [], None: []}
    for criterion in trial.criteria:
        verdict = criterion.judge(case)
        verdicts[verdict].append(_reason(criterion, trial, case, verdict))
    verdicts[None].extend(_unrecorded(trial, case))
    if verdicts[False]:
        fit = Fit.EXCLUDED
    elif verdicts[None]:
        fit = Fit.UNDETERMINED
    else:
        fit = Fit.MATCH
    return TrialFit(trial, fit, *(tuple(verdicts[v]) for v in (True, False, None)))


def assess(case: AxillaCase) -> tuple[TrialFit, ...]:
    """Every trial judged against the case, in ``TRIALS`` order.

    A trial excludes the case if any criterion fails; otherwise it is undetermined if a criterion
    needs a field the case leaves unknown, or if the case differs from the typical patient
    (``USUAL``) where the trial records no rule; otherwise it matches.
    """
    if not isinstance(case, AxillaCase):
        raise TypeError(f"case must be an AxillaCase, got {type(case).__name__}")
    return tuple(_fit(trial, case) for trial in TRIALS.values())


def matching_trials(case: AxillaCase) -> tuple[TrialFit, ...]:
    """The trials whose population includes the case, each with the criteria it meets."""
    return tuple(f for f in assess(case) if f.fit is Fit.MATCH)


def excluded_trials(case: AxillaCase) -> tuple[TrialFit, ...]:
    """The trials whose criteria exclude the case, each with the criteria it fails."""
    return tuple(f for f in assess(case) if f.fit is Fit.EXCLUDED)


def undetermined_trials(case: AxillaCase) -> tuple[TrialFit, ...]:
    """The trials that need a field the case leaves unknown, each naming what is missing."""
    return tuple(f for f in assess(case) if f.fit is Fit.UNDETERMINED)


def summary(case: AxillaCase) -> str:
    """A plain paragraph: what the trials found for patients like this one, and what they miss.

    Evidence, not a recommendation; every number in it is a registered statement.
    """
    fits = assess(case)
    parts = [
        f"{case.describe()}.",
        "What follows is what trials tested and found for patients like this one, not a "
        "recommendation.",
    ]
    matching = [f for f in fits if f.fit is Fit.MATCH]
    for f in matching:
        trial = f.trial
        parts.append(
            f"{trial.name} enrolled patients like this one and compared {trial.arms[0]} with "
            f"{trial.arms[1]}."
        )
        parts.append(
            trial.findings[0].statement
            if trial.results
            else f"{trial.name}'s results could not be verified, so only its design is shown."
        )
    if not matching:
        parts.append(
            "None of these trials enrolled patients like this one, so none gives direct "
            "evidence for this case."
        )
    for f in fits:
        if f.fit is Fit.UNDETERMINED:
            parts.append(f"{f.trial.name} cannot be judged yet: {'; '.join(f.unknown)}.")
    if case.neoadjuvant:
        parts.append("Neoadjuvant therapy was given: none of these trials studied that population.")
    else:
        parts.extend(
            f"Outside {f.trial.name}: {f.failed[0]}." for f in fits if f.fit is Fit.EXCLUDED
        )
    parts.extend(f"Not checked here for {f.trial.name}: {f.trial.not_encoded}" for f in matching)
    return " ".join(parts)
