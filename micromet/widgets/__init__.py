"""Explorers: every widget-driven figure of the course, by name.

``EXPLORERS[name]()`` builds one with sensible defaults; ``display(explorer)`` shows it.
"""

from micromet.widgets.deposit import DepositExplorer
from micromet.widgets.explorer import Explorer, Frame

EXPLORERS = {
    DepositExplorer.name: DepositExplorer,
}

__all__ = ["EXPLORERS", "DepositExplorer", "Explorer", "Frame"]
