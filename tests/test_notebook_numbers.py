"""Every percentage a notebook shows is a registered value, so none can drift or be typed."""

import json
import re
from pathlib import Path

import pytest

from micromet import evidence

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
PERCENT = re.compile(r"(?<![:.\d])(\d+(?:\.\d+)?)\s?%")
NOT_CLINICAL = {0.0, 100.0}  # "reaches 100%": arithmetic, not evidence


def _registered_values() -> set[float]:
    values: set[float] = set()

    def add(v):
        if isinstance(v, list):
            for item in v:
                add(item)
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            values.add(round(float(v), 3))
            values.add(float(round(v)))  # "about 86%" for a registered 86.3%

    for f in evidence.facts():
        add(f.value)
    return values


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_percentage_in_a_notebook_is_registered(path):
    registered = _registered_values() | NOT_CLINICAL
    unregistered = []
    for index, cell in enumerate(json.loads(path.read_text("utf-8"))["cells"]):
        for match in PERCENT.finditer("".join(cell["source"])):
            if round(float(match.group(1)), 3) not in registered:
                unregistered.append(f"cell {index}: {match.group(0)}")
    assert not unregistered, f"percentages not in the evidence registry: {unregistered}"
