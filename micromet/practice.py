"""Seeded practice cases for staging: random node findings, or CAMELYON17-style slide labels.

Each case carries its answer from ``stage_pn``, so feedback always gives the rule that decides it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import numpy as np

from micromet.checks import check_seed
from micromet.staging import NodeFinding, PNStage, stage_pn

__all__ = ["CaseKind", "PracticeCase", "SlideLabel", "camelyon_stage", "practice_case"]


class SlideLabel(Enum):
    """Slide-level label of one node, as in the CAMELYON17 challenge."""

    NEGATIVE = "negative"
    ITC = "itc"
    MICRO = "micro"
    MACRO = "macro"


class CaseKind(Enum):
    """Which kind of practice case to draw."""

    NODES = "nodes"
    CAMELYON = "camelyon"


# Sizes (mm) drawn for each label: inside each band and on its boundaries, where mistakes happen.
_SIZES = {
    SlideLabel.ITC: (0.05, 0.1, 0.15, 0.2),
    SlideLabel.MICRO: (0.21, 0.3, 0.5, 0.9, 1.5, 2.0),
    SlideLabel.MACRO: (2.1, 2.5, 4.0, 8.0),
}
_LABEL_WEIGHTS = {
    SlideLabel.NEGATIVE: 0.45,
    SlideLabel.ITC: 0.15,
    SlideLabel.MICRO: 0.2,
    SlideLabel.MACRO: 0.2,
}
CAMELYON_NODES = 5
"""CAMELYON17 patients each had five node slides."""


@dataclass(frozen=True)
class PracticeCase:
    """One practice patient: the node findings, the flags, and the stage they lead to."""

    nodes: tuple[NodeFinding, ...]
    neoadjuvant: bool
    im_clinically_positive: bool
    labels: tuple[SlideLabel, ...] | None = None

    @property
    def stage(self) -> PNStage:
        """The answer, with the rules that decide it."""
        return stage_pn(
            self.nodes,
            neoadjuvant=self.neoadjuvant,
            im_clinically_positive=self.im_clinically_positive,
        )


def _finding(rng: np.random.Generator, label: SlideLabel, *, station: str, sentinel: bool):
    if label is SlideLabel.NEGATIVE:
        return NodeFinding(station=station, sentinel=sentinel)
    return NodeFinding(float(rng.choice(_SIZES[label])), station=station, sentinel=sentinel)


def _labels(rng: np.random.Generator, count: int) -> list[SlideLabel]:
    kinds = list(_LABEL_WEIGHTS)
    weights = np.array(list(_LABEL_WEIGHTS.values()))
    return [kinds[i] for i in rng.choice(len(kinds), size=count, p=weights / weights.sum())]


def practice_case(seed: int, kind: CaseKind | str = CaseKind.NODES) -> PracticeCase:
    """The practice case numbered ``seed``: the same number always gives the same patient."""
    if seed is None:
        raise TypeError("seed must be a whole number of 0 or more, got None")
    seed = check_seed(seed)
    kind = CaseKind(kind)
    rng = np.random.default_rng(seed)
    if kind is CaseKind.CAMELYON:
        labels = tuple(_labels(rng, CAMELYON_NODES))
        nodes = tuple(_finding(rng, lab, station="axillary", sentinel=False) for lab in labels)
        return PracticeCase(nodes, False, False, labels)
    sentinel_biopsy = rng.random() < 0.7
    count = int(rng.integers(1, 6) if sentinel_biopsy else rng.integers(6, 16))
    nodes = [
        _finding(rng, label, station="axillary", sentinel=sentinel_biopsy)
        for label in _labels(rng, count)
    ]
    if rng.random() < 0.15:  # now and then another station, to practise its rule
        station = str(rng.choice(["infraclavicular", "internal_mammary", "supraclavicular"]))
        label = _labels(rng, 1)[0]
        nodes.append(_finding(rng, label, station=station, sentinel=station == "internal_mammary"))
    return PracticeCase(
        tuple(nodes),
        neoadjuvant=bool(rng.random() < 0.15),
        im_clinically_positive=bool(rng.random() < 0.05),
    )


CAMELYON_CATEGORIES = {
    "pN0": "pN0",
    "pN0(i+)": "pN0(i+)",
    "pN1mi": "pN1mi",
    "pN1a": "pN1",
    "pN2a": "pN2",
}
"""CAMELYON17 reports pN1 and pN2 without the letter; five axillary nodes reach no other row."""


def camelyon_stage(labels) -> str:
    """The CAMELYON17-style stage of five slide labels (pN0, pN0(i+), pN1mi, pN1 or pN2)."""
    labels = [SlideLabel(label) for label in labels]
    if len(labels) != CAMELYON_NODES:
        raise ValueError(f"labels must hold {CAMELYON_NODES} slide labels, got {len(labels)}")
    size = {SlideLabel.ITC: 0.1, SlideLabel.MICRO: 1.0, SlideLabel.MACRO: 3.0}
    nodes = [NodeFinding(size.get(label), sentinel=False) for label in labels]
    return CAMELYON_CATEGORIES[stage_pn(nodes).category]
