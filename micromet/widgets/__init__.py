"""Explorers: every widget-driven figure of the course, by name.

``EXPLORERS[name]()`` builds one with sensible defaults; ``display(explorer)`` shows it.
"""

from micromet.widgets.clusters import ClustersExplorer
from micromet.widgets.deposit import DepositExplorer
from micromet.widgets.explorer import Explorer, Frame

EXPLORERS = {
    DepositExplorer.name: DepositExplorer,
    ClustersExplorer.name: ClustersExplorer,
}

__all__ = ["EXPLORERS", "ClustersExplorer", "DepositExplorer", "Explorer", "Frame"]
