"""The evidence registry: every clinical number a learner reads, with its source.

Facts live in ``micromet/data/evidence/*.json`` so that a reviewer can check them without reading
code. Rules and notebooks ask the registry (``fact``, ``value``, ``cite``) rather than typing
numbers.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

__all__ = [
    "Fact",
    "STATUSES",
    "cite",
    "fact",
    "facts",
    "facts_table_html",
    "format_value",
    "references",
    "references_html",
    "value",
]

STATUSES = ("VERIFIED", "SECONDARY", "DERIVED")
"""Statuses a fact in the registry may carry; UNVERIFIED items are never registered."""


@dataclass(frozen=True)
class Fact:
    """One registered fact: a value with its unit, a plain statement and where it comes from."""

    id: str
    value: float | int | list | None
    unit: str | None
    statement: str
    citation: str
    url: str
    status: str

    def __str__(self) -> str:
        return f"{self.statement} [{self.citation}]"


REGISTRY_DIR = Path(__file__).parent / "data" / "evidence"
"""One JSON file per course unit, each with its own ``sources`` and ``facts``."""


@cache
def _registry() -> dict[str, Fact]:
    registry: dict[str, Fact] = {}
    for path in sorted(REGISTRY_DIR.glob("*.json")):
        raw = json.loads(path.read_text("utf-8"))
        for entry in raw["facts"]:
            if entry["id"] in registry:
                raise ValueError(f"fact id {entry['id']!r} in {path.name} is registered twice")
            source = raw["sources"][entry["source"]]
            registry[entry["id"]] = Fact(
                id=entry["id"],
                value=entry["value"],
                unit=entry["unit"],
                statement=entry["statement"],
                citation=source["citation"],
                url=source["url"],
                status=entry["status"],
            )
    return registry


def facts() -> tuple[Fact, ...]:
    """Every registered fact, in file order."""
    return tuple(_registry().values())


def fact(fact_id: str) -> Fact:
    """The fact registered under ``fact_id``; a KeyError lists the known ids when it is missing."""
    try:
        return _registry()[fact_id]
    except KeyError:
        known = ", ".join(sorted(_registry()))
        raise KeyError(
            f"no fact {fact_id!r} in the evidence registry; known ids: {known}"
        ) from None


def value(fact_id: str):
    """The value of a fact, for code that needs the number itself (thresholds, rates)."""
    return fact(fact_id).value


def cite(fact_id: str) -> str:
    """The citation of a fact, as a reference list would print it."""
    return fact(fact_id).citation


def references(fact_ids) -> list[tuple[str, str]]:
    """Distinct (citation, url) pairs behind the given facts, in first-use order."""
    seen: dict[str, str] = {}
    for fact_id in fact_ids:
        f = fact(fact_id)
        seen.setdefault(f.citation, f.url)
    return list(seen.items())


def references_html(fact_ids) -> str:
    """A numbered reference list (HTML) for the end of a notebook."""
    items = "".join(
        f"<li>{html.escape(citation)}."
        + (f' <a href="{html.escape(url)}">{html.escape(url)}</a>' if url else "")
        + "</li>"
        for citation, url in references(fact_ids)
    )
    return f'<ol class="mm-references">{items}</ol>'


def format_value(f: Fact) -> str:
    """A fact's value with its unit, as a table cell shows it ("" for rule-only facts)."""
    if f.value is None:
        return ""
    values = f.value if isinstance(f.value, list) else [f.value]
    number = " / ".join(
        f"{v:,}" if isinstance(v, int) else f"{v:g}" if isinstance(v, float) else str(v)
        for v in values
    )
    return f"{number} {f.unit or ''}".strip()


def facts_table_html(fact_ids) -> str:
    """The given facts as a table a notebook shows: value, statement, evidence status, source."""
    rows = "".join(
        f"<tr><td><b>{html.escape(format_value(f))}</b></td><td>{html.escape(f.statement)}</td>"
        f"<td>{f.status.lower()}</td><td><small>{html.escape(f.citation)}</small></td></tr>"
        for f in map(fact, fact_ids)
    )
    return (
        '<table class="mm-facts"><tr><th>Value</th><th>What the evidence says</th>'
        f"<th>checked</th><th>Source</th></tr>{rows}</table>"
    )
