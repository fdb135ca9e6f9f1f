"""PREDICT Breast v2.1: survival after surgery and the benefit of adjuvant treatment.

An independent implementation written from the model's published equations (reference:
``shared/reference/predict-v2.1.md``; sources: Candido dos Reis et al., Breast Cancer Res
2017;19:58, and the MIT-licensed R package WintonCentre/predict-v30-r). As in the v2.1 web tool,
radiotherapy is off and hormone therapy lasts 5 years. Breast-cancer and other-cause deaths are
independent competing risks, computed on an annual grid t = 0, 1, ..., 15 years.

Shown for teaching: clinicians use the official tool at breast.predict.nhs.uk.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from micromet.evidence import value

__all__ = [
    "LOG_HAZARD_RATIOS",
    "MAX_AGE",
    "MAX_NODES",
    "MAX_SIZE_MM",
    "MAX_YEARS",
    "MIN_AGE",
    "TREATMENTS",
    "Patient",
    "Prediction",
    "predict",
    "predict_many",
]

# --- limits -------------------------------------------------------------------------------

MIN_AGE, MAX_AGE = 25.0, 85.0
"""Ages the web tool accepts (§2.1: the model clamps below 25, the form caps at 85)."""
MAX_SIZE_MM = 200.0
"""Our plausibility bound, not the tool's: a larger tumour size is a slip of units or typing."""
MAX_NODES = 50
"""Our plausibility bound, not the tool's: a larger count of positive nodes is a typing slip."""
MAX_YEARS = 15
"""The model's horizon: survival is given for whole years 0 (surgery) to 15."""

# --- input coding (reference §2.1) ---------------------------------------------------------

UNKNOWN_GRADE = 2.13
UNKNOWN_SCREEN = 0.204
MICROMETS_ONLY_NODES: float = value("predict_micromets_half_node")
"""One positive node holding micrometastases only enters the model as half a node (§4)."""

# --- prognostic index, ER-positive (§2.2) ---------------------------------------------------

ER_POS_AGE_1, ER_POS_AGE_1_CENTRE = 34.53642, 0.0287449295  # · ((a/10)^-2 - centre)
ER_POS_AGE_2, ER_POS_AGE_2_CENTRE = -34.20342, 0.0510121013  # · ((a/10)^-2 ln(a/10) - centre)
ER_POS_SIZE, ER_POS_SIZE_CENTRE = 0.7530729, 1.545233938  # · (ln(s/100) + centre)
ER_POS_NODES, ER_POS_NODES_CENTRE = 0.7060723, 1.387566896  # · (ln((n+1)/10) + centre)
ER_POS_GRADE = 0.746655  # · grade (1, 2, 3 or 2.13)
ER_POS_SCREEN = -0.22763366  # · screen (1, 0 or 0.204)
KI67_POSITIVE, KI67_NEGATIVE = 0.14904, -0.11333  # ER-positive only; 0 when unknown

# --- prognostic index, ER-negative (§2.2) ---------------------------------------------------

ER_NEG_AGE, ER_NEG_AGE_CENTRE = 0.0089827, 56.3254902  # · (a - centre)
ER_NEG_SIZE, ER_NEG_SIZE_CENTRE = 2.093446, 0.5090456276  # · ((s/100)^0.5 - centre)
ER_NEG_NODES, ER_NEG_NODES_CENTRE = 0.6260541, 1.086916249  # · (ln((n+1)/10) + centre)
ER_NEG_GRADE = 1.129091  # · (1 if grade is 2 or 3, else 0: unknown grade gives 0, §2.1)

HER2_POSITIVE, HER2_NEGATIVE = 0.2413, -0.0762  # both ER groups; 0 when unknown

# --- other-cause mortality index (§2.3) ----------------------------------------------------

OTHER_AGE, OTHER_AGE_CENTRE = 0.0698252, 34.23391957  # · ((a/10)^2 - centre)

# --- baseline cumulative hazards, t in years (§2.4) ----------------------------------------

_T = np.arange(1, MAX_YEARS + 1, dtype=float)
_H_BREAST_ER_POS = np.exp(0.7424402 - 7.527762 / np.sqrt(_T) - 1.812513 * np.log(_T) / np.sqrt(_T))
_H_BREAST_ER_NEG = np.exp(-1.156036 + 0.4707332 / _T**2 - 3.51355 / _T)
_H_OTHER = np.exp(-6.052919 + 1.079863 * np.log(_T) + 0.3255321 * np.sqrt(_T))
_STEP_ER_POS = np.diff(_H_BREAST_ER_POS, prepend=0.0)
_STEP_ER_NEG = np.diff(_H_BREAST_ER_NEG, prepend=0.0)
"""Yearly increments of the breast baseline, H(0) = 0 (§2.5 step 1)."""
_H_OTHER_FROM_0 = np.concatenate(([0.0], _H_OTHER))

# --- treatments (§2.6) -----------------------------------------------------------------------

LOG_HAZARD_RATIOS = {
    "hormone": -0.3857,  # 5 years of hormone therapy, ER-positive only (HR 0.68)
    "chemo2": -0.248,  # 2nd-generation (anthracycline) chemotherapy (HR 0.78)
    "chemo3": -0.446,  # 3rd-generation (taxane) chemotherapy (HR 0.64)
    "trastuzumab": -0.3567,  # HER2-positive only (HR 0.70)
    "bisphosphonates": -0.198,  # offered by the tool to post-menopausal women (HR 0.82)
}
"""Log hazard ratios for breast-cancer death; they add on the log scale."""
TREATMENTS = tuple(LOG_HAZARD_RATIOS)
CHEMOTHERAPY = ("chemo2", "chemo3")


# --- input checks -------------------------------------------------------------------------


def _floats(x, name: str, what: str) -> np.ndarray:
    """``x`` as a float array (None becomes NaN); a TypeError naming the field otherwise."""
    arr = np.asarray(x)
    if arr.dtype == bool or arr.dtype.kind in "SUV" or isinstance(x, (bool, np.bool_)):
        raise TypeError(f"{name} must be {what}, got {x!r}")
    try:
        return arr.astype(float)
    except OverflowError:
        raise ValueError(f"{name} must be {what}; got a number too large to use") from None
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be {what}, got {x!r}") from None


def _first(arr: np.ndarray, bad: np.ndarray) -> str:
    """The first offending value, as an error message shows it."""
    return f"{arr[bad].flat[0].item():g}"


def _check_age(x) -> np.ndarray:
    what = f"an age in years from {MIN_AGE:g} to {MAX_AGE:g}"
    a = _floats(x, "age", what)
    bad = ~((a >= MIN_AGE) & (a <= MAX_AGE))
    if bad.any():
        raise ValueError(
            f"age must be from {MIN_AGE:g} to {MAX_AGE:g} years, the ages the PREDICT web tool "
            f"accepts; got {_first(a, bad)}"
        )
    return a


def _check_size(x) -> np.ndarray:
    what = f"a tumour size in mm (0 < size_mm <= {MAX_SIZE_MM:g})"
    s = _floats(x, "size_mm", what)
    bad = ~((s > 0) & (s <= MAX_SIZE_MM))
    if bad.any():
        raise ValueError(
            f"size_mm must be greater than 0 and at most {MAX_SIZE_MM:g} mm (invasive tumour "
            f"size; did you pass µm?); got {_first(s, bad)}"
        )
    return s


def _check_grade(x) -> np.ndarray:
    g = _floats(x, "grade", "1, 2, 3 or None (unknown)")
    bad = ~(np.isnan(g) | (g == 1) | (g == 2) | (g == 3))
    if bad.any():
        raise ValueError(f"grade must be 1, 2, 3 or None (unknown); got {_first(g, bad)}")
    return g


def _check_nodes(x) -> np.ndarray:
    what = f"a whole number of positive nodes from 0 to {MAX_NODES}"
    n = _floats(x, "nodes", what)
    bad = ~((n >= 0) & (n <= MAX_NODES) & (n == np.floor(n)))
    if bad.any():
        raise ValueError(
            f"nodes must be {what} (micrometastases only in one node: nodes=1, "
            f"micromets_only=True); got {_first(n, bad)}"
        )
    return n


def _check_flags(x, name: str, *, unknown: bool) -> np.ndarray:
    """True/False (and None for unknown when allowed) as 1.0/0.0/NaN."""
    what = "True, False or None (unknown)" if unknown else "True or False"
    if x is None and unknown:
        return np.array(math.nan)
    arr = np.asarray(x)
    if arr.dtype == bool:
        return arr.astype(float)
    if arr.dtype == object and all(
        isinstance(v, (bool, np.bool_)) or (unknown and v is None) for v in arr.flat
    ):
        return np.array([math.nan if v is None else float(v) for v in arr.flat]).reshape(arr.shape)
    raise TypeError(f"{name} must be {what} (or an array of them), got {x!r}")


def _check_micromets(micromets_only: np.ndarray, nodes: np.ndarray) -> None:
    bad = (micromets_only == 1) & (nodes != 1)
    if bad.any():
        raise ValueError(
            "micromets_only=True needs nodes == 1: the web tool models one node holding only "
            f"micrometastases as half a node and offers the choice for 1 node only; got nodes = "
            f"{_first(nodes, bad)}"
        )


def _check_years(years) -> np.ndarray:
    what = f"whole years from 0 to {MAX_YEARS} (or an array of them)"
    if isinstance(years, (bool, np.bool_, str, bytes)):
        raise TypeError(f"years must be {what}, got {years!r}")
    t = np.asarray(years)
    if t.dtype.kind not in "iuf":
        raise TypeError(f"years must be {what}, got {years!r}")
    if t.ndim > 1:
        raise ValueError(f"years must be a number or a one-dimensional array, got shape {t.shape}")
    bad = ~((t >= 0) & (t <= MAX_YEARS) & (t == np.floor(t)))
    if bad.any():
        raise ValueError(f"years must be {what}: the model runs yearly; got {_first(t, bad)}")
    return t.astype(int)


def _check_treatments(treatments) -> frozenset[str]:
    names = ", ".join(repr(t) for t in TREATMENTS)
    if isinstance(treatments, str) or not isinstance(treatments, Iterable):
        raise TypeError(
            f"treatments must be a collection of names from {names}, e.g. ('hormone', 'chemo3'); "
            f"got {treatments!r}"
        )
    chosen = frozenset(treatments)
    unknown = sorted(map(repr, chosen - set(TREATMENTS)))
    if unknown:
        raise ValueError(f"treatments must be names from {names}; unknown: {', '.join(unknown)}")
    if set(CHEMOTHERAPY) <= chosen:
        raise ValueError("treatments may hold one chemotherapy generation, 'chemo2' or 'chemo3'")
    return chosen


# --- the patient --------------------------------------------------------------------------


@dataclass(frozen=True)
class Patient:
    """One patient as the PREDICT v2.1 form takes her; None marks an unknown input.

    ``ki67``: positive means more than 10% of cells stain (the web tool's definition). Screening
    and Ki67 enter only the ER-positive model; unknown grade counts as 2.13 there and as grade 1
    in the ER-negative model (§2.1). ``micromets_only`` is allowed with ``nodes == 1`` only.
    """

    age: float
    size_mm: float
    grade: int | None
    nodes: int
    micromets_only: bool = field(default=False, kw_only=True)
    er_positive: bool = field(kw_only=True)
    her2: bool | None = field(default=None, kw_only=True)
    ki67: bool | None = field(default=None, kw_only=True)
    screen_detected: bool | None = field(default=None, kw_only=True)

    def __post_init__(self):
        for name in ("age", "size_mm", "grade", "nodes"):
            x = getattr(self, name)
            whole = name in ("grade", "nodes")
            if name == "grade" and x is None:
                continue
            if isinstance(x, bool) or not isinstance(
                x, numbers.Integral if whole else numbers.Real
            ):
                kind = {"grade": "1, 2, 3 or None (unknown)", "nodes": "a whole number"}
                raise TypeError(f"{name} must be {kind.get(name, 'a number')}, got {x!r}")
        object.__setattr__(self, "age", float(_check_age(self.age)))
        object.__setattr__(self, "size_mm", float(_check_size(self.size_mm)))
        if self.grade is not None:
            object.__setattr__(self, "grade", int(_check_grade(self.grade)))
        object.__setattr__(self, "nodes", int(_check_nodes(self.nodes)))
        for name in ("micromets_only", "er_positive"):
            if not isinstance(getattr(self, name), bool):
                raise TypeError(f"{name} must be True or False, got {getattr(self, name)!r}")
        for name in ("her2", "ki67", "screen_detected"):
            x = getattr(self, name)
            if x is not None and not isinstance(x, bool):
                raise TypeError(f"{name} must be True, False or None (unknown), got {x!r}")
        _check_micromets(np.asarray(float(self.micromets_only)), np.asarray(float(self.nodes)))

    @property
    def model_nodes(self) -> float:
        """The node count the model sees: 0.5 for one node with micrometastases only."""
        return MICROMETS_ONLY_NODES if self.micromets_only else float(self.nodes)


# --- the model ------------------------------------------------------------------------------


def _term(flag: np.ndarray, positive: float, negative: float) -> np.ndarray:
    """A biomarker's coefficient: positive, negative, or 0 when unknown (NaN)."""
    return np.where(flag == 1, positive, np.where(flag == 0, negative, 0.0))


def _indices(age, size, grade, nodes, micromets, er, her2, ki67, screen):
    """Prognostic and other-cause mortality indices from validated, broadcast float arrays."""
    n = np.where(micromets == 1, MICROMETS_ONLY_NODES, nodes)
    log_nodes = np.log((n + 1) / 10)
    her2_term = _term(her2, HER2_POSITIVE, HER2_NEGATIVE)
    a10 = age / 10
    pi_pos = (
        ER_POS_AGE_1 * (a10**-2 - ER_POS_AGE_1_CENTRE)
        + ER_POS_AGE_2 * (a10**-2 * np.log(a10) - ER_POS_AGE_2_CENTRE)
        + ER_POS_SIZE * (np.log(size / 100) + ER_POS_SIZE_CENTRE)
        + ER_POS_NODES * (log_nodes + ER_POS_NODES_CENTRE)
        + ER_POS_GRADE * np.where(np.isnan(grade), UNKNOWN_GRADE, grade)
        + ER_POS_SCREEN * np.where(np.isnan(screen), UNKNOWN_SCREEN, screen)
        + her2_term
        + _term(ki67, KI67_POSITIVE, KI67_NEGATIVE)
    )
    pi_neg = (
        ER_NEG_AGE * (age - ER_NEG_AGE_CENTRE)
        + ER_NEG_SIZE * (np.sqrt(size / 100) - ER_NEG_SIZE_CENTRE)
        + ER_NEG_NODES * (log_nodes + ER_NEG_NODES_CENTRE)
        + ER_NEG_GRADE * ((grade == 2) | (grade == 3))
        + her2_term
    )
    mi = OTHER_AGE * (a10**2 - OTHER_AGE_CENTRE)
    return np.where(er == 1, pi_pos, pi_neg), mi


@dataclass(frozen=True, eq=False)
class Prediction:
    """PREDICT v2.1 for one patient (numbers) or many (arrays with one entry per patient).

    Results for an array of years get a last axis over those years. A treatment the model gives
    no effect (hormone therapy when ER-negative, trastuzumab unless HER2-positive) is accepted
    and changes nothing, as in the model; ``benefits`` leaves it out.
    """

    _pi: np.ndarray = field(repr=False)
    _mi: np.ndarray = field(repr=False)
    _er: np.ndarray = field(repr=False)
    _her2: np.ndarray = field(repr=False)
    _one: bool = field(repr=False)

    def __repr__(self) -> str:
        return (
            f"Prediction(prognostic_index={self.prognostic_index!r}, "
            f"other_cause_index={self.other_cause_index!r})"
        )

    def _out(self, arr: np.ndarray):
        arr = arr[0] if self._one else arr
        return float(arr) if np.ndim(arr) == 0 else arr

    @property
    def prognostic_index(self):
        """Log relative hazard of breast-cancer death (the model's PI, before treatment)."""
        return self._out(self._pi)

    @property
    def other_cause_index(self):
        """Log relative hazard of death from other causes; it depends on age only."""
        return self._out(self._mi)

    def _log_hr(self, treatments) -> np.ndarray:
        chosen = _check_treatments(treatments)
        log_hr = np.zeros_like(self._pi)
        for name in chosen:
            applies = {"hormone": self._er, "trastuzumab": self._her2}.get(name, True)
            log_hr = log_hr + np.where(applies, LOG_HAZARD_RATIOS[name], 0.0)
        return log_hr

    def _grids(self, log_hr: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Overall survival, competing-risk breast deaths and other-cause survival, t = 0..15.

        ``log_hr`` holds each patient's treatment log hazard ratio, or one per year (shape
        (patients, 15)); it multiplies each yearly increment of the baseline (§2.5).
        """
        log_hr = log_hr if np.ndim(log_hr) == 2 else np.asarray(log_hr)[:, None]
        steps = np.where(self._er[:, None], _STEP_ER_POS, _STEP_ER_NEG)
        hazard = np.cumsum(steps * np.exp(self._pi[:, None] + log_hr), axis=1)
        s_breast = np.exp(-np.concatenate((np.zeros((len(self._pi), 1)), hazard), axis=1))
        s_other = np.exp(-_H_OTHER_FROM_0 * np.exp(self._mi)[:, None])
        overall = s_breast * s_other
        d_breast, d_other, d_all = (-np.diff(s, axis=1) for s in (s_breast, s_other, overall))
        share = d_all * d_breast / (d_breast + d_other)
        deaths = np.concatenate((np.zeros((len(self._pi), 1)), np.cumsum(share, axis=1)), axis=1)
        return overall, deaths, s_other

    def _at(self, grid: np.ndarray, years):
        return self._out(grid[:, _check_years(years)])

    def overall_survival(self, years, treatments=()):
        """Fraction alive ``years`` after surgery (whole years 0-15) with the given treatments.

        ``treatments``: names from TREATMENTS, e.g. ("hormone", "chemo3").
        """
        return self._at(self._grids(self._log_hr(treatments))[0], years)

    def breast_cancer_deaths(self, years, treatments=()):
        """Fraction dead of breast cancer by ``years``, allowing for deaths from other causes."""
        return self._at(self._grids(self._log_hr(treatments))[1], years)

    def other_cause_survival(self, years):
        """Fraction not dead of other causes by ``years`` (no treatment changes it in v2.1)."""
        return self._at(self._grids(np.zeros_like(self._pi))[2], years)

    def benefits(self, years, chemo="chemo3") -> dict:
        """Overall survival gained from each treatment (percentage points), as the tool stacks them.

        Each is added to those before it: hormone (ER-positive) → ``chemo`` ("chemo2", "chemo3"
        or None for none) → trastuzumab (HER2-positive) → bisphosphonates. With arrays of
        patients a treatment is listed if it applies to any of them, with 0 for the others.
        """
        if chemo is not None and chemo not in CHEMOTHERAPY:
            raise ValueError(f"chemo must be 'chemo2', 'chemo3' or None, got {chemo!r}")
        t = _check_years(years)
        steps = [
            ("hormone", self._er.any()),
            (chemo, chemo is not None),
            ("trastuzumab", self._her2.any()),
            ("bisphosphonates", True),
        ]
        chosen: list[str] = []
        before = self._grids(np.zeros_like(self._pi))[0][:, t]
        out = {}
        for name, shown in steps:
            if not shown:
                continue
            chosen.append(name)
            after = self._grids(self._log_hr(chosen))[0][:, t]
            out[name] = self._out(100 * (after - before))
            before = after
        return out


def _prediction(columns: dict, one: bool) -> Prediction:
    arrays = np.broadcast_arrays(*columns.values())
    if arrays[0].ndim > 1:
        raise ValueError(f"inputs must be numbers or one-dimensional arrays, got {arrays[0].shape}")
    flat = dict(zip(columns, (np.atleast_1d(a) for a in arrays), strict=True))
    _check_micromets(flat["micromets"], flat["nodes"])
    pi, mi = _indices(**flat)
    return Prediction(pi, mi, flat["er"] == 1, flat["her2"] == 1, one)


def predict(patient: Patient | Sequence[Patient]) -> Prediction:
    """The PREDICT v2.1 prediction for one patient, or for a list of them (arrays)."""
    one = isinstance(patient, Patient)
    patients = [patient] if one else list(patient) if isinstance(patient, Sequence) else None
    if not patients or not all(isinstance(p, Patient) for p in patients):
        raise TypeError(f"predict needs a Patient or a non-empty list of them, got {patient!r}")

    def column(attribute: str) -> np.ndarray:
        values = (getattr(p, attribute) for p in patients)
        return np.array([math.nan if v is None else float(v) for v in values])

    return _prediction({key: column(attribute) for key, attribute in _FIELDS.items()}, one)


_FIELDS = {
    "age": "age",
    "size": "size_mm",
    "grade": "grade",
    "nodes": "nodes",
    "micromets": "micromets_only",
    "er": "er_positive",
    "her2": "her2",
    "ki67": "ki67",
    "screen": "screen_detected",
}
"""Model input name -> Patient attribute."""


def predict_many(
    age,
    size_mm,
    grade,
    nodes,
    *,
    micromets_only=False,
    er_positive,
    her2=None,
    ki67=None,
    screen_detected=None,
) -> Prediction:
    """``predict`` over arrays: each input a value or a 1-D array, broadcast together.

    As for ``Patient``; in arrays, None (or NaN for grade) marks an unknown. The result always
    holds arrays, one entry per patient.
    """
    return _prediction(
        {
            "age": _check_age(age),
            "size": _check_size(size_mm),
            "grade": _check_grade(grade),
            "nodes": _check_nodes(nodes),
            "micromets": _check_flags(micromets_only, "micromets_only", unknown=False),
            "er": _check_flags(er_positive, "er_positive", unknown=False),
            "her2": _check_flags(her2, "her2", unknown=True),
            "ki67": _check_flags(ki67, "ki67", unknown=True),
            "screen": _check_flags(screen_detected, "screen_detected", unknown=True),
        },
        False,
    )
