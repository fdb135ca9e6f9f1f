"""micromet: the helper package behind the breast-cancer lymph node micrometastases course.

The rules (staging, evidence, growth, sectioning, drainage, axilla, predict, adjuvant) import
without matplotlib or ipywidgets; explorers live in ``micromet.widgets`` and drawings in
``micromet.diagrams``.
"""

from micromet.adjuvant import Subtype, nodal_evidence, subtype, treatment_families
from micromet.axilla import TRIALS, AxillaCase, matching_trials
from micromet.evidence import cite, fact
from micromet.predict import Patient
from micromet.staging import (
    DepositCategory,
    NodeFinding,
    PNStage,
    classify_deposit,
    classify_deposits,
    stage_pn,
)

__all__ = [
    "TRIALS",
    "AxillaCase",
    "DepositCategory",
    "NodeFinding",
    "PNStage",
    "Patient",
    "Subtype",
    "cite",
    "classify_deposit",
    "classify_deposits",
    "fact",
    "matching_trials",
    "nodal_evidence",
    "stage_pn",
    "subtype",
    "treatment_families",
]

__version__ = "0.1.0"
