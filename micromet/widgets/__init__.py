"""Explorers: every widget-driven figure of the course, by name.

``EXPLORERS[name]()`` builds one with sensible defaults; ``display(explorer)`` shows it.
"""

from micromet.widgets.adjuvant import NodeStatusExplorer, PredictExplorer
from micromet.widgets.axilla import AmarosExplorer, AxillaCaseExplorer
from micromet.widgets.clusters import ClustersExplorer
from micromet.widgets.deposit import DepositExplorer
from micromet.widgets.drainage import CohortExplorer, DrainageExplorer
from micromet.widgets.explorer import Explorer, Frame
from micromet.widgets.growth import GrowthExplorer
from micromet.widgets.nodes import NodeBuilderExplorer
from micromet.widgets.sectioning import SectioningExplorer

EXPLORERS = {
    DepositExplorer.name: DepositExplorer,
    ClustersExplorer.name: ClustersExplorer,
    GrowthExplorer.name: GrowthExplorer,
    SectioningExplorer.name: SectioningExplorer,
    DrainageExplorer.name: DrainageExplorer,
    CohortExplorer.name: CohortExplorer,
    NodeBuilderExplorer.name: NodeBuilderExplorer,
    AxillaCaseExplorer.name: AxillaCaseExplorer,
    AmarosExplorer.name: AmarosExplorer,
    PredictExplorer.name: PredictExplorer,
    NodeStatusExplorer.name: NodeStatusExplorer,
}

__all__ = [
    "EXPLORERS",
    "AmarosExplorer",
    "AxillaCaseExplorer",
    "ClustersExplorer",
    "CohortExplorer",
    "DepositExplorer",
    "DrainageExplorer",
    "Explorer",
    "Frame",
    "GrowthExplorer",
    "NodeBuilderExplorer",
    "NodeStatusExplorer",
    "PredictExplorer",
    "SectioningExplorer",
]
