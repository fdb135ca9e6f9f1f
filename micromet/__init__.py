"""micromet: the helper package behind the breast-cancer lymph node micrometastases course.

The rules (staging, evidence) import without matplotlib or ipywidgets; explorers live in
``micromet.widgets`` and drawings in ``micromet.diagrams``.
"""

from micromet.evidence import cite, fact
from micromet.staging import (
    DepositCategory,
    NodeFinding,
    PNStage,
    classify_deposit,
    classify_deposits,
    stage_pn,
)

__all__ = [
    "DepositCategory",
    "NodeFinding",
    "PNStage",
    "cite",
    "classify_deposit",
    "classify_deposits",
    "fact",
    "stage_pn",
]

__version__ = "0.1.0"
