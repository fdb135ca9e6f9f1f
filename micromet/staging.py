"""AJCC 8th edition pathological N staging of breast cancer, from each node's largest deposit.

Thresholds come from the evidence registry; the rules are pure functions so every row of the
pN table can be tested at its boundaries.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum

import numpy as np

from micromet.evidence import value

__all__ = [
    "DepositCategory",
    "NodeFinding",
    "PNStage",
    "STATIONS",
    "classify_deposit",
    "classify_deposits",
    "explain_deposit",
    "format_mm",
    "stage_pn",
]

ITC_MAX_MM: float = value("itc_max_mm")
MICRO_MAX_MM: float = value("micro_max_mm")
ITC_MAX_CELLS: int = value("itc_max_cells")
PN1A_MAX_NODES: int = value("pn1a_max_nodes")
PN2A_MAX_NODES: int = value("pn2a_max_nodes")
SN_NODE_LIMIT: int = value("sn_node_limit")
MAX_PLAUSIBLE_MM = 100.0
"""A nodal deposit larger than this is almost certainly a value given in micrometres."""

STATIONS = {
    "axillary": "axillary level I-II (or intramammary) node",
    "infraclavicular": "infraclavicular (axillary level III) node",
    "internal_mammary": "internal mammary node",
    "supraclavicular": "supraclavicular node",
}
"""Regional node stations, each with the plain name used in explanations."""

_AXILLARY = ("axillary", "infraclavicular")


class DepositCategory(Enum):
    """Size category of the largest contiguous tumour deposit in a node."""

    ITC = "itc"
    MICRO = "micro"
    MACRO = "macro"

    @property
    def label(self) -> str:
        """Plain name, as a learner reads it."""
        return _LABELS[self]

    @property
    def counts_as_positive(self) -> bool:
        """ITC-only nodes are never counted as positive nodes."""
        return self is not DepositCategory.ITC


_LABELS = {
    DepositCategory.ITC: "isolated tumour cells (ITC)",
    DepositCategory.MICRO: "micrometastasis",
    DepositCategory.MACRO: "macrometastasis",
}


# --- input checks -------------------------------------------------------------------------


def _check_size(size, name: str) -> float:
    if isinstance(size, bool) or not isinstance(size, numbers.Real):
        raise TypeError(f"{name} must be a number of millimetres, got {size!r}")
    try:
        size = float(size)
    except OverflowError:
        raise ValueError(
            f"{name} must be at most {MAX_PLAUSIBLE_MM:g} mm; got a number too large to use"
        ) from None
    if not math.isfinite(size) or size <= 0:
        raise ValueError(
            f"{name} must be a finite size greater than 0 mm and at most "
            f"{MAX_PLAUSIBLE_MM:g} mm, got {size!r}"
        )
    if size > MAX_PLAUSIBLE_MM:
        raise ValueError(
            f"{name} = {size:g} mm is larger than any nodal deposit ({MAX_PLAUSIBLE_MM:g} mm at "
            f"most): did you pass µm? Divide micrometres by 1000."
        )
    return size


def _check_cells(cells) -> int:
    if isinstance(cells, bool) or not isinstance(cells, numbers.Real):
        raise TypeError(f"cells must be a whole number of tumour cells (1 or more), got {cells!r}")
    if not isinstance(cells, numbers.Integral):
        if not (math.isfinite(cells) and float(cells).is_integer()):
            raise ValueError(
                f"cells must be a whole number of tumour cells (1 or more), got {cells!r}"
            )
    cells = int(cells)
    if cells < 1:
        raise ValueError(f"cells must be a whole number of tumour cells (1 or more), got {cells}")
    return cells


# --- one deposit ------------------------------------------------------------------------------


def classify_deposit(size_mm=None, *, cells=None) -> DepositCategory:
    """Category of one deposit from its largest dimension and/or its cell count in one section.

    Either measure alone is enough: >2.0 mm is a macrometastasis; >0.2 mm or >200 cells a
    micrometastasis; otherwise isolated tumour cells.
    """
    if size_mm is None and cells is None:
        raise ValueError(
            "give size_mm (largest dimension, 0 < size_mm <= 100 mm) or cells (1 or more), or both"
        )
    size = None if size_mm is None else _check_size(size_mm, "size_mm")
    count = None if cells is None else _check_cells(cells)
    if size is not None and size > MICRO_MAX_MM:
        return DepositCategory.MACRO
    if (size is not None and size > ITC_MAX_MM) or (count is not None and count > ITC_MAX_CELLS):
        return DepositCategory.MICRO
    return DepositCategory.ITC


def format_mm(size_mm: float) -> str:
    """A size as a learner reads it: millimetres, with micrometres below 1 mm."""
    if size_mm < 1:
        return f"{size_mm:.3g} mm ({size_mm * 1000:.3g} µm)"
    return f"{size_mm:.3g} mm"


def explain_deposit(size_mm=None, *, cells=None) -> str:
    """One plain sentence naming the threshold that puts a deposit in its category."""
    category = classify_deposit(size_mm, cells=cells)
    size = None if size_mm is None else format_mm(float(size_mm))
    if category is DepositCategory.MACRO:
        text = f"{size} is larger than {MICRO_MAX_MM:g} mm: a macrometastasis."
        if cells is not None:
            text += " A cell count cannot change that: size alone decides above the micro range."
        return text
    if size_mm is not None and float(size_mm) > ITC_MAX_MM:
        text = (
            f"{size} is larger than {ITC_MAX_MM:g} mm but not larger than {MICRO_MAX_MM:g} mm: "
            "a micrometastasis."
        )
        if cells is not None:
            more = "are more" if cells > ITC_MAX_CELLS else "are not more"
            text += f" Either measure alone is enough; {cells} cells {more} than {ITC_MAX_CELLS}."
        return text
    if category is DepositCategory.MICRO:
        small = f", even though it measures only {size}" if size else ""
        more = f"{cells} cells in one section are more than {ITC_MAX_CELLS}"
        return f"{more}{small}: a micrometastasis."
    parts = []
    if size:
        parts.append(f"{size} is not larger than {ITC_MAX_MM:g} mm")
    if cells is not None:
        parts.append(f"{cells} cells are not more than {ITC_MAX_CELLS}")
    text = " and ".join(parts) + ": isolated tumour cells (ITC)."
    if cells == ITC_MAX_CELLS:
        text += (
            f" Exactly {ITC_MAX_CELLS} is not settled: AJCC defines ITC as fewer than "
            f"{ITC_MAX_CELLS} cells, CAP's form as {ITC_MAX_CELLS} or fewer; the pathologist "
            "judges."
        )
    return text


def _float_array(values, name: str) -> np.ndarray:
    if np.asarray(values).dtype.kind in "bUS":
        raise TypeError(f"{name} must hold numbers, not booleans or text")
    try:
        return np.asarray(values, dtype=float)
    except OverflowError:
        raise ValueError(f"{name} holds a number too large to use") from None


_CODES = np.array([DepositCategory.ITC, DepositCategory.MICRO, DepositCategory.MACRO], dtype=object)


def classify_deposits(sizes, cells=None) -> np.ndarray:
    """``classify_deposit`` over arrays: an object array of DepositCategory, one per deposit.

    ``sizes`` may hold NaN where only a cell count is known; ``cells`` (optional) may hold -1 or
    NaN where no count is known. Each deposit needs at least one of the two.
    """
    size = _float_array(sizes, "sizes")
    if size.ndim != 1:
        raise ValueError(f"sizes must be a one-dimensional array, got shape {size.shape}")
    has_size = ~np.isnan(size)
    bad = has_size & ~((size > 0) & (size <= MAX_PLAUSIBLE_MM))
    if bad.any():
        first = size[bad][0]
        raise ValueError(
            f"sizes must be finite, greater than 0 mm and at most {MAX_PLAUSIBLE_MM:g} mm "
            f"(did you pass µm?); {int(bad.sum())} value(s) are not, e.g. {first!r}"
        )
    if cells is None:
        if not has_size.all():
            raise ValueError("sizes must not be NaN when no cells array is given")
        code = (size > ITC_MAX_MM).view(np.int8) + (size > MICRO_MAX_MM).view(np.int8)
        return _CODES[code]
    count = _float_array(cells, "cells")
    if count.shape != size.shape:
        raise ValueError(f"cells must have the shape of sizes {size.shape}, got {count.shape}")
    has_count = ~np.isnan(count) & (count != -1)
    bad = has_count & ~(np.isfinite(count) & (count >= 1) & (np.floor(count) == count))
    if bad.any():
        raise ValueError("cells must be whole numbers of 1 or more (-1 or NaN where unknown)")
    if not (has_size | has_count).all():
        raise ValueError("every deposit needs a size (sizes) or a cell count (cells)")
    micro = (size > ITC_MAX_MM) | (has_count & (count > ITC_MAX_CELLS))
    return _CODES[micro.view(np.int8) + (size > MICRO_MAX_MM).view(np.int8)]


# --- one node ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class NodeFinding:
    """What the pathologist found in one lymph node: its largest contiguous deposit, if any.

    ``deposit_mm`` is the largest contiguous deposit; ``cells`` the tumour
    cells counted in one cross-section (neither given: no tumour seen); ``foci`` how many
    separate clusters there were.
    """

    deposit_mm: float | None = None
    cells: int | None = field(default=None, kw_only=True)
    station: str = field(default="axillary", kw_only=True)
    sentinel: bool = field(default=True, kw_only=True)
    foci: int | None = field(default=None, kw_only=True)

    def __post_init__(self):
        if self.deposit_mm is not None:
            object.__setattr__(self, "deposit_mm", _check_size(self.deposit_mm, "deposit_mm"))
        if self.cells is not None:
            object.__setattr__(self, "cells", _check_cells(self.cells))
        if not isinstance(self.station, str) or self.station not in STATIONS:
            raise ValueError(
                f"station must be one of {', '.join(repr(s) for s in STATIONS)}; "
                f"got {self.station!r}"
            )
        if not isinstance(self.sentinel, bool):
            raise TypeError(f"sentinel must be True or False, got {self.sentinel!r}")
        has_tumour = self.deposit_mm is not None or self.cells is not None
        if self.foci is None:
            object.__setattr__(self, "foci", 1 if has_tumour else 0)
        elif isinstance(self.foci, bool) or not isinstance(self.foci, numbers.Integral):
            raise TypeError(f"foci must be a whole number, got {self.foci!r}")
        elif has_tumour and self.foci < 1 or not has_tumour and self.foci != 0:
            raise ValueError(
                f"foci must be 1 or more when a deposit is given and 0 otherwise, got {self.foci}"
            )

    @classmethod
    def from_clusters(
        cls, sizes_mm: Sequence[float], *, station: str = "axillary", sentinel: bool = True
    ) -> NodeFinding:
        """A node with several separate clusters: the largest one counts, never the sum."""
        if isinstance(sizes_mm, (str, bytes)) or not isinstance(sizes_mm, Iterable):
            raise TypeError(f"sizes_mm must be a list of cluster sizes in mm, got {sizes_mm!r}")
        sizes = [_check_size(s, "sizes_mm") for s in sizes_mm]
        return cls(
            max(sizes) if sizes else None,
            station=station,
            sentinel=sentinel,
            foci=len(sizes),
        )

    @property
    def category(self) -> DepositCategory | None:
        """Category of the largest deposit, or None when the node holds no tumour."""
        if self.deposit_mm is None and self.cells is None:
            return None
        return classify_deposit(self.deposit_mm, cells=self.cells)

    @property
    def is_positive(self) -> bool:
        """True when the node counts as positive (micro- or macrometastasis, never ITC alone)."""
        category = self.category
        return category is not None and category.counts_as_positive


# --- the whole case ---------------------------------------------------------------------------

PN_CATEGORIES = (
    "pNX",
    "pN0",
    "pN0(mol+)",
    "pN0(i+)",
    "pN1mi",
    "pN1a",
    "pN1b",
    "pN1c",
    "pN2a",
    "pN2b",
    "pN3a",
    "pN3b",
    "pN3c",
)
"""Every row of the AJCC 8th edition pN table, from least to most extensive."""


@dataclass(frozen=True)
class PNStage:
    """A pN stage with the counts and the plain-language rules that decided it."""

    category: str
    explanation: list[str] = field(hash=False)
    examined: int
    positive: int
    itc_only: int
    sentinel_biopsy: bool = False
    neoadjuvant: bool = False

    @property
    def sn(self) -> bool:
        """True when (sn) applies: a sentinel node biopsy, with fewer than 6 nodes removed in all.

        CAP counts sentinel and non-sentinel nodes together toward the six.
        """
        return self.category != "pNX" and self.sentinel_biopsy and self.examined < SN_NODE_LIMIT

    @property
    def group(self) -> int | None:
        """The pN group number 0-3 (None when the nodes could not be assessed)."""
        return None if self.category == "pNX" else int(self.category[2])

    def __str__(self) -> str:
        return ("y" if self.neoadjuvant else "") + self.category + ("(sn)" if self.sn else "")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def stage_pn(
    nodes: Iterable[NodeFinding],
    *,
    neoadjuvant: bool = False,
    molecular_positive: bool = False,
    im_clinically_positive: bool = False,
) -> PNStage:
    """The AJCC 8th edition pN stage of a set of examined nodes, with the reasons.

    ``im_clinically_positive``: internal mammary nodes were detected clinically or by imaging
    (cN2b), with or without microscopic confirmation.
    """
    if isinstance(nodes, NodeFinding) or not isinstance(nodes, Iterable):
        raise TypeError("nodes must be a list of NodeFinding objects (one per examined node)")
    nodes = list(nodes)
    for i, node in enumerate(nodes):
        if not isinstance(node, NodeFinding):
            raise TypeError(f"nodes[{i}] must be a NodeFinding, got {type(node).__name__}")
    for name, flag in (
        ("neoadjuvant", neoadjuvant),
        ("molecular_positive", molecular_positive),
        ("im_clinically_positive", im_clinically_positive),
    ):
        if not isinstance(flag, bool):
            raise TypeError(f"{name} must be True or False, got {flag!r}")

    positive = [node for node in nodes if node.is_positive]
    itc_only = sum(node.category is DepositCategory.ITC for node in nodes)
    axillary = [n for n in positive if n.station in _AXILLARY]
    axillary_macro = any(n.category is DepositCategory.MACRO for n in axillary)
    level3 = [n for n in positive if n.station == "infraclavicular"]
    im_path = [n for n in positive if n.station == "internal_mammary"]
    supraclavicular = [n for n in positive if n.station == "supraclavicular"]

    micro_only = bool(positive) and all(n.category is DepositCategory.MICRO for n in positive)
    silent = (
        " The AJCC 8th table does not say how micrometastases alone are staged at this station"
        " (CAP: 'if only micrometastases are present, the N classification is pN1mi'); the course"
        " follows the station's wording, and a pathologist would record the reasoning."
        if micro_only
        else ""
    )
    reasons: list[str] = []
    if molecular_positive and positive:
        reasons.append(
            "A positive molecular (RT-PCR) test does not change a stage set by metastases."
        )

    def done(category: str) -> PNStage:
        if neoadjuvant:
            reasons.append("Examined after neoadjuvant (pre-operative) therapy, so 'y' is added.")
        stage = PNStage(
            category=category,
            explanation=reasons,
            examined=len(nodes),
            positive=len(positive) if category != "pNX" else 0,
            itc_only=itc_only,
            sentinel_biopsy=any(n.sentinel for n in nodes),
            neoadjuvant=neoadjuvant,
        )
        if category == "pNX":
            return stage
        removed = "one node removed" if len(nodes) == 1 else f"{len(nodes)} nodes removed in all"
        if stage.sn:
            reasons.append(
                f"A sentinel node biopsy was done, with {removed} (fewer than "
                f"{SN_NODE_LIMIT}), so the (sn) modifier is added."
            )
        elif stage.sentinel_biopsy:
            reasons.append(
                f"{len(nodes)} nodes were removed in all, sentinel and non-sentinel together "
                f"({SN_NODE_LIMIT} or more), so (sn) is not used."
            )
        else:
            reasons.append("No node came from a sentinel node biopsy, so (sn) is not used.")
        return stage

    if not nodes:
        reasons.append("No lymph nodes were examined, so the regional nodes cannot be assessed.")
        return done("pNX")

    if itc_only:
        reasons.append(
            f"{_plural(itc_only, 'node')} with isolated tumour cells only: counted as examined, "
            "never as positive."
        )

    # The axillary part (levels I-III), as if no other station were involved.
    axillary_part = None
    if level3:
        reasons.append(
            f"Metastasis in {_plural(len(level3), 'infraclavicular (level III) node')}: pN3a, "
            f"whatever the number of axillary nodes involved.{silent}"
        )
        axillary_part = "pN3a"
    elif axillary and not axillary_macro:
        reasons.append(
            f"Axillary nodes: micrometastases only (none over {MICRO_MAX_MM:g} mm) in "
            f"{_plural(len(axillary), 'node')}: pN1mi on their own, whatever the number of nodes."
        )
        axillary_part = "pN1mi"
    elif axillary:
        n = len(axillary)
        if n <= PN1A_MAX_NODES:
            axillary_part, rows = "pN1a", f"1-{PN1A_MAX_NODES}"
        elif n <= PN2A_MAX_NODES:
            axillary_part, rows = "pN2a", f"{PN1A_MAX_NODES + 1}-{PN2A_MAX_NODES}"
        else:
            axillary_part, rows = "pN3a", f"{PN2A_MAX_NODES + 1} or more"
        micro_nodes = sum(node.category is DepositCategory.MICRO for node in axillary)
        counted = (
            f", including {_plural(micro_nodes, 'node')} with micrometastases, which count once "
            "a macrometastasis is present"
            if micro_nodes
            else ""
        )
        holds = "it holds" if n == 1 else "at least one holds"
        reasons.append(
            f"{_plural(n, 'positive axillary node')}{counted}; {holds} a "
            f"macrometastasis (over {MICRO_MAX_MM:g} mm). {rows} nodes: {axillary_part}."
        )

    if supraclavicular:
        reasons.append(
            f"Metastasis in {_plural(len(supraclavicular), 'supraclavicular node')}: pN3c, "
            f"the most extensive regional category, whatever else is involved.{silent}"
        )
        return done("pN3c")
    if axillary_part == "pN3a":
        if im_clinically_positive or im_path:
            reasons.append("Internal mammary involvement does not change pN3a.")
        return done("pN3a")

    # Internal mammary nodes, with the axillary part.
    micro_only_note = (
        " The AJCC 8th table does not name internal mammary involvement with axillary "
        "micrometastases only; as in the original 8th-edition wording, nodes with "
        "micrometastases count here as positive axillary nodes."
    )
    if im_clinically_positive:
        reasons.append("Internal mammary nodes were detected clinically or on imaging (cN2b).")
        if axillary_part is None:
            reasons.append("With pathologically negative axillary nodes this is pN2b.")
            return done("pN2b")
        note = micro_only_note if axillary_part == "pN1mi" else ""
        reasons.append(f"With positive axillary nodes as well, this is pN3b.{note}")
        return done("pN3b")
    if im_path:
        reasons.append(
            f"Metastasis in {_plural(len(im_path), 'internal mammary node')} found at biopsy, "
            "not clinically detected."
        )
        if axillary_part is None:
            reasons.append("With no positive axillary node this is pN1b.")
            return done("pN1b")
        note = micro_only_note if axillary_part == "pN1mi" else ""
        if len(axillary) <= PN1A_MAX_NODES:
            reasons.append(
                f"With 1-{PN1A_MAX_NODES} positive axillary nodes as well, this is pN1c.{note}"
            )
            return done("pN1c")
        reasons.append(
            f"With more than {PN1A_MAX_NODES} positive axillary nodes as well, this is pN3b.{note}"
        )
        return done("pN3b")
    if axillary_part is not None:
        return done(axillary_part)

    # No node counts as positive.
    if itc_only:
        if molecular_positive:
            reasons.append("Isolated tumour cells were seen, so (i+) is used rather than (mol+).")
        reasons.append("No micro- or macrometastasis: pN0(i+).")
        return done("pN0(i+)")
    if molecular_positive:
        reasons.append(
            "No tumour seen under the microscope, but a molecular test (RT-PCR) was positive: "
            "pN0(mol+)."
        )
        return done("pN0(mol+)")
    examined = "the single node" if len(nodes) == 1 else f"any of the {len(nodes)} nodes"
    reasons.append(f"No tumour in {examined} examined: pN0.")
    return done("pN0")
