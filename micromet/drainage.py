"""Where lymph from a breast tumour drains, and how often sentinel node biopsy misses a metastasis.

Anatomy. One breast drains to axillary levels I, II (with the interpectoral, Rotter, nodes) and
III, to the internal mammary chain and on to the supraclavicular nodes. Each ``Node`` has a name,
an AJCC station (``micromet.staging.STATIONS``), a finer ``level``, an echelon (1 = sentinel
candidate, 2 = next node along the lymph, ...) and a position ``xy`` in a schematic frame for
diagrams: x is centimetres from the midline (sternum at x = 0) towards the breast's own side, y is
centimetres above the nipple. The breast is a circle of ``BREAST_RADIUS`` around ``NIPPLE_XY``;
pectoralis minor spans ``PEC_MINOR_X`` (medial and lateral border), which is what separates the
levels; the clavicle lies at ``CLAVICLE_Y``. The schematic shows a left breast as seen from the
front (outer side to the right); a right breast is drawn mirrored, so outer is always +x.

The simulated patient (``simulate_cohort``). Lymph from the tumour reaches the internal mammary
chain with Byrd's lymphoscintigraphy frequency for the tumour's quadrant, and reaches only the
internal mammary chain in Byrd's 2 of 37 of those. Otherwise it reaches 1 + Poisson(λ)
first-echelon level I nodes, which share the flow in the ratio 1 : r : r² ... (the first is the
dominant node). A node-positive patient's metastasis lands in a first-echelon node with probability
proportional to its flow, or skips them at Rosen's rate (half in level II, half in level III). Each
patient has a lymphatic transport G (gamma, mean 1, shape κ): the tracer marks each first-echelon
node with probability 1 - exp(-a·G) and each second-echelon node with 1 - exp(-a·β·G), where the
tracer's strength a is solved so that the identification rate is the tracer's registered rate. The
surgeon removes marked axillary nodes in order of uptake (dominant first, second echelon last), up
to ``max_slns``; internal mammary nodes the tracer shows are recorded, not removed, as in the
validation trials. Mapping fails when no axillary node is marked; a false negative is a
node-positive patient whose mapping succeeded and whose removed nodes hold no metastasis.
After neoadjuvant chemotherapy, fibrosis blocks lymphatics: transport falls by
``NAC_TRANSPORT_LOSS``.

Calibration (dual mapping, tumour in the upper outer quadrant, 10^6 patients). Fixed from the
registry, not fitted: quadrant drainage, the skip rate and its level split, each tracer's
identification rate. Fitted by hand on a grid (λ = ``FIRST_ECHELON_EXTRA``,
κ = ``TRANSPORT_SHAPE``, β = ``SECOND_ECHELON_EXPOSURE``, r = ``FLOW_RATIO``), in two steps,
minimising Σ((model - published) / tolerance)²: (1) λ, κ and β together to Han's false-negative
rates by number of nodes found, the overall rates of the large trials, Louisville and Adelaide,
Louisville's single versus multiple nodes and the 17.9% of patients with more than 3 nodes; r does
not change any of these, so (2) r alone to Adelaide's 16.5% had only one node been removed. Then
``NAC_TRANSPORT_LOSS`` alone to Z1071's rates by number of nodes, its overall rate with 2 or
more nodes and its one-agent versus dual rates. Tolerance: the 95% Wilson interval of the
published rate at its published denominator where the fact sheet gives one (B-32, the pooled
trials, Adelaide); ±5 percentage points where it does not (Han, Louisville, Z1071), the spread
between series on the same quantity (one node removed: 14.3, 16.5 and 19.6%) and about the
half-width of the 95% interval of a 100-patient subgroup.

Limits. One metastatic node per patient; metastases reach the internal mammary chain only in
patients with no axillary drainage; tracers differ only through their identification rates, so a
tracer that finds more patients also misses fewer metastases. Removal strictly by uptake makes
stopping after 3 nodes cost almost nothing, whereas the 4,131-patient study saw 7.7% rise to
10.3%. The model is a teaching device: its patients are not real and its constants are not
measurements.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field
from enum import Enum
from functools import cache, cached_property
from typing import NamedTuple

import numpy as np

from micromet.checks import check_int, check_seed
from micromet.evidence import value
from micromet.staging import STATIONS

__all__ = [
    "BREAST_RADIUS",
    "CLAVICLE_Y",
    "DEFAULT_NODE_POSITIVE_RATE",
    "EDGES",
    "IM_DRAINAGE",
    "NIPPLE_XY",
    "NODES",
    "PEC_MINOR_X",
    "QUADRANTS",
    "CohortResult",
    "Estimate",
    "Level",
    "Node",
    "TumourLocation",
    "Tracer",
    "locate",
    "simulate_cohort",
    "wilson_interval",
]

# --- the schematic frame (cm; sternum at x = 0, nipple line at y = 0) ----------------------

NIPPLE_XY = (10.0, 0.0)
BREAST_RADIUS = 7.0
PEC_MINOR_X = (12.0, 15.0)
"""Medial and lateral borders of pectoralis minor: level II lies between them."""
CLAVICLE_Y = 16.0
TUMOUR_DISTANCE = 4.0
"""How far from the nipple a tumour given by quadrant or clock hour is drawn."""


# --- anatomy ------------------------------------------------------------------------------


class Level(Enum):
    """Where a node lies, finer than its AJCC station."""

    LEVEL_I = "level I"
    LEVEL_II = "level II"
    INTERPECTORAL = "interpectoral"
    LEVEL_III = "level III"
    INTERNAL_MAMMARY = "internal mammary"
    SUPRACLAVICULAR = "supraclavicular"

    @property
    def station(self) -> str:
        """The ``micromet.staging.STATIONS`` key that staging uses for a node at this level."""
        return _STATION_OF[self]


_STATION_OF = {
    Level.LEVEL_I: "axillary",
    Level.LEVEL_II: "axillary",
    Level.INTERPECTORAL: "axillary",
    Level.LEVEL_III: "infraclavicular",
    Level.INTERNAL_MAMMARY: "internal_mammary",
    Level.SUPRACLAVICULAR: "supraclavicular",
}


@dataclass(frozen=True)
class Node:
    """One lymph node of the schematic: its name, level, echelon and drawing position."""

    name: str
    level: Level
    echelon: int
    xy: tuple[float, float]

    @property
    def station(self) -> str:
        """AJCC station of the node (a key of ``micromet.staging.STATIONS``)."""
        return self.level.station


NODES: tuple[Node, ...] = (
    Node("level I anterior (pectoral) 1", Level.LEVEL_I, 1, (16.0, 7.5)),
    Node("level I anterior (pectoral) 2", Level.LEVEL_I, 1, (17.0, 9.0)),
    Node("level I posterior (subscapular) 1", Level.LEVEL_I, 1, (18.5, 8.0)),
    Node("level I posterior (subscapular) 2", Level.LEVEL_I, 1, (19.0, 9.8)),
    Node("level I lateral (humeral)", Level.LEVEL_I, 1, (19.5, 11.5)),
    Node("level II central 1", Level.LEVEL_II, 2, (14.0, 11.0)),
    Node("level II central 2", Level.LEVEL_II, 2, (13.0, 12.5)),
    Node("level II central 3", Level.LEVEL_II, 2, (14.2, 13.2)),
    Node("interpectoral (Rotter)", Level.INTERPECTORAL, 2, (13.5, 8.5)),
    Node("level III apical 1", Level.LEVEL_III, 3, (11.0, 14.5)),
    Node("level III apical 2", Level.LEVEL_III, 3, (9.8, 15.2)),
    Node("supraclavicular 1", Level.SUPRACLAVICULAR, 4, (8.0, 17.8)),
    Node("supraclavicular 2", Level.SUPRACLAVICULAR, 4, (6.5, 18.3)),
    Node("internal mammary, 1st intercostal space", Level.INTERNAL_MAMMARY, 1, (2.5, 11.0)),
    Node("internal mammary, 2nd intercostal space", Level.INTERNAL_MAMMARY, 1, (2.5, 8.0)),
    Node("internal mammary, 3rd intercostal space", Level.INTERNAL_MAMMARY, 1, (2.5, 5.0)),
    Node("internal mammary, 4th intercostal space", Level.INTERNAL_MAMMARY, 1, (2.5, 2.0)),
)
"""The nodes of the schematic; the node arrays of ``CohortResult`` have one column per node."""

EDGES: tuple[tuple[str, str], ...] = (
    *(
        (first, second)
        for first in (n.name for n in NODES if n.level is Level.LEVEL_I)
        for second in ("level II central 1", "level II central 2", "level II central 3")
    ),
    ("level I anterior (pectoral) 1", "interpectoral (Rotter)"),
    ("level II central 1", "level III apical 1"),
    ("level II central 2", "level III apical 1"),
    ("level II central 3", "level III apical 2"),
    ("interpectoral (Rotter)", "level III apical 1"),
    ("level III apical 1", "level III apical 2"),
    ("level III apical 2", "supraclavicular 1"),
    ("supraclavicular 1", "supraclavicular 2"),
    ("internal mammary, 4th intercostal space", "internal mammary, 3rd intercostal space"),
    ("internal mammary, 3rd intercostal space", "internal mammary, 2nd intercostal space"),
    ("internal mammary, 2nd intercostal space", "internal mammary, 1st intercostal space"),
    ("internal mammary, 1st intercostal space", "supraclavicular 2"),
)
"""Lymphatic vessels between nodes, as (upstream name, downstream name), for diagrams."""


def _indices(*levels: Level) -> np.ndarray:
    return np.array([i for i, n in enumerate(NODES) if n.level in levels], dtype=np.int8)


_LEVEL_I = _indices(Level.LEVEL_I)
_SECOND = _indices(Level.LEVEL_II, Level.INTERPECTORAL)
_LEVEL_III = _indices(Level.LEVEL_III)
_IM = _indices(Level.INTERNAL_MAMMARY)
_N_FIRST, _N_SECOND = len(_LEVEL_I), len(_SECOND)

# --- registered drainage facts ------------------------------------------------------------

QUADRANTS = ("UOQ", "LOQ", "UIQ", "LIQ", "central")
SIDES = ("left", "right")
IM_DRAINAGE = {q: value(f"im_drainage_{q.lower()}") / 100 for q in QUADRANTS}
"""Byrd's lymphoscintigraphy: fraction of tumours in each quadrant draining to the IM chain."""
IM_ONLY_GIVEN_IM = value("lymphoscint_im_only") / value("lymphoscint_im_drainage")
"""Of patients with IM drainage, the fraction with no axillary drainage at all (Byrd: 2 of 37)."""
SKIP_RATE = value("skip_metastases_rosen") / 100
SKIP_LEVEL_II_SHARE = value("skip_metastases_rosen_level_ii") / 100
_B32_POSITIVE, _B32_EVALUABLE = value("b32_slnb_node_positive")
DEFAULT_NODE_POSITIVE_RATE = _B32_POSITIVE / _B32_EVALUABLE
"""NSABP B-32: 766 of 2,619 patients node-positive (29.2%)."""

# --- fitted constants (not published numbers; see the module docstring) -------------------

FIRST_ECHELON_EXTRA = 1.25
"""Mean of the Poisson count of first-echelon nodes beyond the first. Fitted with
TRANSPORT_SHAPE and SECOND_ECHELON_EXPOSURE to Han's FNR by nodes found (han_fnr_by_slns), the
overall FNRs (b32_slnb_false_negatives, trials_false_negatives, han_fnr, louisville_fnr,
adelaide_fnr), louisville_fnr_single_vs_multiple and limit3_more_than_3_slns."""
TRANSPORT_SHAPE = 2.5
"""Gamma shape of the patient's lymphatic transport: smaller means more patients who map poorly,
find few nodes and are falsely negative. Fitted with FIRST_ECHELON_EXTRA (same targets)."""
SECOND_ECHELON_EXPOSURE = 0.02
"""Tracer reaching a second-echelon node, relative to a first-echelon one. Fitted with
FIRST_ECHELON_EXTRA (same targets)."""
FLOW_RATIO = 0.13
"""Flow to each further first-echelon node relative to the one before. Fitted alone to
adelaide_fnr_one_sln (FNR had only the hottest node been removed)."""
NAC_TRANSPORT_LOSS = 0.6
"""Fraction of lymphatic transport lost to fibrosis after neoadjuvant chemotherapy. Fitted alone
to z1071_fnr, z1071_fnr_by_slns and z1071_fnr_by_mapping."""

# --- limits -------------------------------------------------------------------------------

MAX_PATIENTS = 10**7
MAX_SLNS = 10


# --- tumour location ----------------------------------------------------------------------


@dataclass(frozen=True)
class TumourLocation:
    """Where the tumour is: its quadrant (two for a clock hour on a boundary) and drawing position.

    Build it with ``locate``; ``clock`` and ``side`` are None for a location given by quadrant.
    """

    quadrants: tuple[str, ...]
    xy: tuple[float, float]
    clock: int | None = None
    side: str | None = None

    def __post_init__(self):
        if not self.quadrants or any(q not in QUADRANTS for q in self.quadrants):
            raise ValueError(
                f"quadrants must name one or two of {', '.join(QUADRANTS)}; got {self.quadrants!r}"
            )

    @property
    def im_drainage(self) -> float:
        """Probability of IM drainage: Byrd's rate for the quadrant, averaged on a boundary."""
        return sum(IM_DRAINAGE[q] for q in self.quadrants) / len(self.quadrants)

    @property
    def label(self) -> str:
        """Plain description, e.g. "UOQ" or "12 o'clock, left breast (UOQ/UIQ)"."""
        quadrants = "/".join(self.quadrants)
        if self.clock is None:
            return quadrants
        return f"{self.clock} o'clock, {self.side} breast ({quadrants})"


_QUADRANT_DIRECTION = {"UOQ": (1, 1), "LOQ": (1, -1), "UIQ": (-1, 1), "LIQ": (-1, -1)}


def _at(dx: float, dy: float) -> tuple[float, float]:
    scale = TUMOUR_DISTANCE / math.hypot(dx, dy)
    return (round(NIPPLE_XY[0] + dx * scale, 9), round(NIPPLE_XY[1] + dy * scale, 9))


def locate(location) -> TumourLocation:
    """A ``TumourLocation`` from a quadrant name or an (hour 1-12, "left"/"right") clock position.

    Clock hours are read facing the patient, so 10 o'clock is upper outer in the right breast and
    upper inner in the left. 12, 3, 6 and 9 o'clock lie on a boundary and belong to two quadrants.
    """
    if isinstance(location, TumourLocation):
        return location
    if isinstance(location, str):
        quadrant = {q.lower(): q for q in QUADRANTS}.get(location.strip().lower())
        if quadrant is None:
            raise ValueError(
                f"tumour_location must be one of {', '.join(QUADRANTS)} or an (hour, side) clock "
                f"position such as (10, 'right'); got {location!r}"
            )
        if quadrant == "central":
            return TumourLocation(("central",), NIPPLE_XY)
        return TumourLocation((quadrant,), _at(*_QUADRANT_DIRECTION[quadrant]))
    if not (isinstance(location, tuple) and len(location) == 2):
        raise TypeError(
            f"tumour_location must be a quadrant name ({', '.join(QUADRANTS)}) or an "
            f"(hour, side) tuple such as (10, 'right'); got {location!r}"
        )
    hour, side = location
    if isinstance(hour, bool) or not isinstance(hour, numbers.Integral) or not 1 <= hour <= 12:
        raise ValueError(f"clock hour must be a whole number from 1 to 12, got {hour!r}")
    if side not in SIDES:
        raise ValueError(f"side must be 'left' or 'right', got {side!r}")
    # Seen from the front, the left breast's outer side is at 3 o'clock; the frame puts it at +x.
    angle = math.radians(30 * int(hour))
    dx = round(math.sin(angle), 9) * (1 if side == "left" else -1)
    dy = round(math.cos(angle), 9)
    vertical = ("U",) if dy > 0 else ("L",) if dy < 0 else ("U", "L")
    horizontal = ("O",) if dx > 0 else ("I",) if dx < 0 else ("O", "I")
    quadrants = tuple(f"{v}{h}Q" for v in vertical for h in horizontal)
    return TumourLocation(quadrants, _at(dx, dy), int(hour), side)


# --- tracers ------------------------------------------------------------------------------


class Tracer(Enum):
    """Mapping agent; its identification rate (patients with a node found) is registered."""

    BLUE_DYE = "blue_dye"
    RADIOCOLLOID = "radiocolloid"
    DUAL = "dual"
    ICG = "icg"
    SPIO = "spio"

    @property
    def label(self) -> str:
        """Plain name, as a learner reads it."""
        return _TRACER_LABELS[self]

    @property
    def fact_id(self) -> str:
        """Registry id of the tracer's identification rate."""
        return f"sln_identification_{self.value}"

    @property
    def identification_rate(self) -> float:
        """Registered fraction of patients in whom the tracer finds a sentinel node."""
        return value(self.fact_id) / 100


_TRACER_LABELS = {
    Tracer.BLUE_DYE: "blue dye",
    Tracer.RADIOCOLLOID: "radiocolloid",
    Tracer.DUAL: "dual (radiocolloid + blue dye)",
    Tracer.ICG: "indocyanine green (fluorescence)",
    Tracer.SPIO: "superparamagnetic iron oxide (magnetic)",
}


def _first_echelon_pmf() -> np.ndarray:
    """P(K = 1..5) for K = 1 + Poisson(FIRST_ECHELON_EXTRA), the tail lumped at 5 level I nodes."""
    lam = FIRST_ECHELON_EXTRA
    pmf = np.array([math.exp(-lam) * lam**j / math.factorial(j) for j in range(_N_FIRST)])
    pmf[-1] += 1.0 - pmf.sum()
    return pmf


@cache
def _strength(identification_rate: float) -> float:
    """Tracer strength a at which the identification rate over Byrd's quadrant mix is the target.

    With gamma transport, P(no node marked | K) = (1 + a(K + βM)/κ)^-κ; IM-only patients never map.
    """
    im_only = value("lymphoscint_im_only") / value("lymphoscint_patients")
    k = np.arange(1, _N_FIRST + 1)
    pmf = _first_echelon_pmf()
    exposed = k + SECOND_ECHELON_EXPOSURE * _N_SECOND

    def found(a: float) -> float:
        missed = (pmf * (1 + a * exposed / TRANSPORT_SHAPE) ** -TRANSPORT_SHAPE).sum()
        return (1 - im_only) * (1 - missed)

    low, high = 0.0, 1e6
    for _ in range(200):
        mid = (low + high) / 2
        low, high = (mid, high) if found(mid) < identification_rate else (low, mid)
    return (low + high) / 2


# --- results ------------------------------------------------------------------------------


class Estimate(NamedTuple):
    """A rate with its 95% Wilson interval and the number of patients behind it."""

    rate: float
    ci: tuple[float, float]
    count: int


def wilson_interval(events: float, total: int, z: float = 1.959964) -> tuple[float, float]:
    """95% Wilson score interval of events/total; (nan, nan) when total is 0.

    ``events`` may be fractional (a published percentage times its denominator).
    """
    if total == 0:
        return (math.nan, math.nan)
    p = events / total
    centre = p + z * z / (2 * total)
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total))
    scale = 1 + z * z / total
    return (max(0.0, (centre - half) / scale), min(1.0, (centre + half) / scale))


@dataclass(frozen=True, eq=False)
class CohortResult:
    """Simulated sentinel node biopsies: per-patient arrays (length n) and their summaries.

    ``metastasis_node`` indexes ``NODES`` (-1: node-negative); ``marked``/``removed`` have one
    column per node. Node arrays are built when first read.
    """

    n: int
    tumour_location: TumourLocation
    tracer: Tracer
    max_slns: int | None
    node_positive_rate: float
    neoadjuvant: bool
    seed: int | None
    node_positive: np.ndarray
    metastasis_node: np.ndarray
    first_echelon_count: np.ndarray
    mapping_failed: np.ndarray
    nodes_removed: np.ndarray
    false_negative: np.ndarray
    _offset: np.ndarray = field(repr=False)
    _slots_marked: np.ndarray = field(repr=False)
    _im_node: np.ndarray = field(repr=False)
    _im_marked: np.ndarray = field(repr=False)

    # -- node arrays (n × len(NODES))

    def _axillary_columns(self, slots: np.ndarray) -> np.ndarray:
        """Per-slot flags (removal order) as per-node columns; IM columns left False."""
        out = np.zeros((self.n, len(NODES)), dtype=bool)
        j = np.arange(_N_FIRST)
        out[:, _LEVEL_I] = np.take_along_axis(
            slots[:, :_N_FIRST], (j - self._offset[:, None]) % _N_FIRST, axis=1
        )
        out[:, _SECOND] = slots[:, _N_FIRST:]
        return out

    @cached_property
    def first_echelon(self) -> np.ndarray:
        """Which nodes are each patient's first-echelon (sentinel candidate) nodes."""
        slots = np.zeros_like(self._slots_marked)
        slots[:, :_N_FIRST] = np.arange(_N_FIRST) < self.first_echelon_count[:, None]
        out = self._axillary_columns(slots)
        drains = self._im_node >= 0
        out[np.flatnonzero(drains), self._im_node[drains]] = True
        return out

    @cached_property
    def marked(self) -> np.ndarray:
        """Which nodes the tracer marked: the sentinel nodes found (IM nodes shown, not removed)."""
        out = self._axillary_columns(self._slots_marked)
        shown = self._im_marked
        out[np.flatnonzero(shown), self._im_node[shown]] = True
        return out

    @cached_property
    def removed(self) -> np.ndarray:
        """Which nodes were removed: marked axillary nodes, hottest first, up to ``max_slns``."""
        order = np.cumsum(self._slots_marked, axis=1, dtype=np.int8)
        return self._axillary_columns(self._slots_marked & (order <= self._cap))

    @property
    def _cap(self) -> int:
        return _N_FIRST + _N_SECOND if self.max_slns is None else self.max_slns

    # -- summaries

    @property
    def identification_rate(self) -> float:
        """Fraction of patients in whom at least one axillary sentinel node was found."""
        return 1.0 - float(self.mapping_failed.mean())

    def fnr(self, where=None) -> Estimate:
        """False-negative rate among node-positive patients with successful mapping.

        ``where`` (a boolean array of length n) restricts it to a subgroup; ``count`` is the
        number of node-positive, mapped patients behind the rate.
        """
        evaluable = self.node_positive & ~self.mapping_failed
        if where is not None:
            where = np.asarray(where)
            if where.dtype != bool or where.shape != (self.n,):
                raise ValueError(f"where must be a boolean array of length {self.n}")
            evaluable = evaluable & where
        total = int(np.count_nonzero(evaluable))
        events = int(np.count_nonzero(self.false_negative & evaluable))
        rate = events / total if total else math.nan
        return Estimate(rate, wilson_interval(events, total), total)

    @property
    def false_negative_rate(self) -> float:
        """Node-positive, mapped patients whose removed nodes were all free of metastasis."""
        return self.fnr().rate

    @property
    def false_negative_ci(self) -> tuple[float, float]:
        """95% Wilson interval of the false-negative rate."""
        return self.fnr().ci

    @property
    def false_negative_counts(self) -> tuple[int, int]:
        """(false negatives, node-positive patients with successful mapping)."""
        return int(np.count_nonzero(self.false_negative)), self.fnr().count

    def fnr_by_nodes_removed(self) -> dict:
        """False-negative rate by sentinel nodes removed: keys 1, 2, 3 and "≥4"."""
        removed = self.nodes_removed
        groups = {1: removed == 1, 2: removed == 2, 3: removed == 3, "≥4": removed >= 4}
        return {key: self.fnr(where) for key, where in groups.items()}

    def drainage_frequencies(self) -> dict[str, float]:
        """Fraction of patients whose first-echelon (sentinel) drainage reaches each station."""
        axillary = float(np.count_nonzero(self.first_echelon_count) / self.n)
        im = float(np.count_nonzero(self._im_node >= 0) / self.n)
        frequencies = dict.fromkeys(STATIONS, 0.0)
        frequencies.update(axillary=axillary, internal_mammary=im)
        return frequencies


# --- input checks -------------------------------------------------------------------------


def _check_tracer(tracer) -> Tracer:
    if isinstance(tracer, Tracer):
        return tracer
    try:
        return Tracer(tracer)
    except ValueError:
        names = ", ".join(repr(t.value) for t in Tracer)
        raise ValueError(f"tracer must be one of {names}; got {tracer!r}") from None


def _check_rate(rate, name: str) -> float:
    if isinstance(rate, bool) or not isinstance(rate, numbers.Real):
        raise TypeError(f"{name} must be a number between 0 and 1 (exclusive), got {rate!r}")
    if not 0 < rate < 1:
        raise ValueError(f"{name} must be between 0 and 1 (exclusive), got {rate!r}")
    return float(rate)


# --- the simulation -----------------------------------------------------------------------


def simulate_cohort(
    n,
    *,
    tumour_location="UOQ",
    tracer="dual",
    max_slns=None,
    node_positive_rate=DEFAULT_NODE_POSITIVE_RATE,
    neoadjuvant=False,
    seed=0,
) -> CohortResult:
    """Simulate sentinel node biopsy in ``n`` virtual patients with one tumour location and tracer.

    ``max_slns`` caps the nodes removed (None: every marked axillary node). The same ``seed``
    gives the same patients, so changing only ``max_slns`` or the tracer compares like with like;
    ``seed=None`` draws fresh ones.
    """
    n = check_int(n, "n", 1, MAX_PATIENTS)
    location = locate(tumour_location)
    tracer = _check_tracer(tracer)
    if max_slns is not None:
        max_slns = check_int(max_slns, "max_slns", 1, MAX_SLNS)
    node_positive_rate = _check_rate(node_positive_rate, "node_positive_rate")
    if not isinstance(neoadjuvant, bool):
        raise TypeError(f"neoadjuvant must be True or False, got {neoadjuvant!r}")
    seed = check_seed(seed)

    rng = np.random.default_rng(seed)
    strength = _strength(tracer.identification_rate)
    if neoadjuvant:
        strength *= 1 - NAC_TRANSPORT_LOSS

    # Drainage: IM chain (and IM only), then 1 + Poisson first-echelon level I nodes.
    u = rng.random(n)
    drains_im = u < location.im_drainage
    im_only = u < location.im_drainage * IM_ONLY_GIVEN_IM
    im_node = np.where(drains_im, _IM[rng.integers(0, len(_IM), n)], -1).astype(np.int8)
    k = np.minimum(1 + rng.poisson(FIRST_ECHELON_EXTRA, n), _N_FIRST).astype(np.int8)
    k[im_only] = 0
    offset = rng.integers(0, _N_FIRST, n, dtype=np.int8)

    # Marking: per-patient transport, first echelon vs second echelon exposure.
    exposure = strength / TRANSPORT_SHAPE * rng.standard_gamma(TRANSPORT_SHAPE, n)
    p_first = -np.expm1(-exposure).astype(np.float32)
    p_second = -np.expm1(-exposure * SECOND_ECHELON_EXPOSURE).astype(np.float32)
    draws = rng.random((n, _N_FIRST + _N_SECOND + 1), dtype=np.float32)
    slots = np.empty((n, _N_FIRST + _N_SECOND), dtype=bool)
    np.less(draws[:, :_N_FIRST], p_first[:, None], out=slots[:, :_N_FIRST])
    slots[:, :_N_FIRST] &= np.arange(_N_FIRST) < k[:, None]
    np.less(draws[:, _N_FIRST:-1], p_second[:, None], out=slots[:, _N_FIRST:])
    slots[im_only, _N_FIRST:] = False
    im_marked = drains_im & (draws[:, -1] < p_first)
    found = np.count_nonzero(slots, axis=1)
    mapping_failed = found == 0
    cap = _N_FIRST + _N_SECOND if max_slns is None else max_slns
    nodes_removed = np.minimum(found, cap).astype(np.int8)

    # Metastasis: a first-echelon node by flow (1 : r : r^2 ...), or a skip to level II / III.
    positive = rng.random(n) < node_positive_rate
    u = rng.random(n)
    share = 1 - FLOW_RATIO ** np.maximum(k, 1)
    first_slot = np.minimum(np.log1p(-u * share) // math.log(FLOW_RATIO), k - 1).astype(np.int8)
    u = rng.random(n)
    skip = u < SKIP_RATE
    skip_ii = u < SKIP_RATE * SKIP_LEVEL_II_SHARE
    v = rng.random(n)
    second_slot = (_N_FIRST + v * _N_SECOND).astype(np.int8)
    slot = np.where(skip_ii, second_slot, first_slot)
    slot[(skip & ~skip_ii) | im_only] = -1  # level III or IM: never removed
    level_iii = _LEVEL_III[(v * len(_LEVEL_III)).astype(np.int8)]
    node = np.where(
        skip_ii,
        _SECOND[second_slot - _N_FIRST],
        _LEVEL_I[(first_slot + offset) % _N_FIRST],
    )
    node = np.where(skip & ~skip_ii, level_iii, node)
    node = np.where(im_only, im_node, node)
    metastasis_node = np.where(positive, node, -1).astype(np.int8)

    # Found if the metastatic slot was marked and within the first `cap` marked slots.
    rows = np.flatnonzero(positive & (slot >= 0))
    hit = np.zeros(n, dtype=bool)
    cols = slot[rows]
    before = np.cumsum(slots[rows], axis=1, dtype=np.int8)[np.arange(len(rows)), cols]
    hit[rows] = slots[rows, cols] & (before <= cap)
    false_negative = positive & ~mapping_failed & ~hit

    arrays = (positive, metastasis_node, k, mapping_failed, nodes_removed, false_negative)
    private = (offset, slots, im_node, im_marked)
    for a in arrays + private:
        a.flags.writeable = False
    return CohortResult(
        n,
        location,
        tracer,
        max_slns,
        node_positive_rate,
        neoadjuvant,
        seed,
        *arrays,
        *private,
    )
