"""The evidence registry: every fact is cited, checked and reachable by id."""

import json

import pytest

from micromet import evidence


def test_every_fact_has_citation_url_and_a_usable_status():
    facts = evidence.facts()
    assert len(facts) >= 10
    for f in facts:
        assert f.statement.strip(), f.id
        assert f.citation.strip(), f.id
        assert f.url == "" or f.url.startswith(("http://", "https://")), f.id
        assert f.status in evidence.STATUSES, f"{f.id} has status {f.status}"
        assert f.status != "UNVERIFIED"


def test_ids_are_unique_and_every_source_is_defined_and_used():
    ids = []
    for path in sorted(evidence.REGISTRY_DIR.glob("*.json")):
        raw = json.loads(path.read_text("utf-8"))
        ids += [entry["id"] for entry in raw["facts"]]
        used = {entry["source"] for entry in raw["facts"]}
        assert used == set(raw["sources"]), f"{path.name}: unused or undefined sources"
    assert len(ids) == len(set(ids)) == len(evidence.facts())


def test_staging_thresholds_come_from_the_registry():
    from micromet import staging

    assert staging.ITC_MAX_MM == evidence.value("itc_max_mm") == 0.2
    assert staging.MICRO_MAX_MM == evidence.value("micro_max_mm") == 2.0
    assert staging.ITC_MAX_CELLS == evidence.value("itc_max_cells") == 200
    assert staging.SN_NODE_LIMIT == evidence.value("sn_node_limit") == 6


def test_fact_and_cite():
    f = evidence.fact("micro_max_mm")
    assert f.value == 2.0 and f.unit == "mm"
    assert evidence.cite("micro_max_mm") == f.citation
    assert f.citation in str(f)


def test_unknown_fact_lists_known_ids():
    with pytest.raises(KeyError, match="itc_max_mm"):
        evidence.fact("no_such_fact")


def test_references_are_distinct_and_in_first_use_order():
    refs = evidence.references(["itc_max_mm", "micro_max_mm", "tumour_cell_diameter_um"])
    assert len(refs) == 2
    assert refs[0][0] == evidence.cite("itc_max_mm")
    assert refs[1][0] == evidence.cite("tumour_cell_diameter_um")
    html = evidence.references_html(["itc_max_mm", "tumour_cell_diameter_um"])
    assert html.count("<li>") == 2 and "Mol Oncol" in html


def test_facts_table_shows_statement_status_and_source():
    table = evidence.facts_table_html(["itc_max_mm", "sn_node_limit"])
    assert table.count("<tr>") == 3
    assert evidence.fact("itc_max_mm").statement in table
    assert "secondary" in table and "verified" in table


def test_facts_table_shows_each_value_with_its_unit():
    table = evidence.facts_table_html(["survival_regional_5y", "tvdt_range_days"])
    assert "86.3 % five-year relative survival" in table
    assert "46 / 825 days" in table
    assert evidence.format_value(evidence.fact("itc_not_counted")) == ""


def test_format_value_handles_every_registered_value():
    for f in evidence.facts():
        evidence.format_value(f)  # lists of stages such as ["T1", "T2"] included
    assert evidence.format_value(evidence.fact("amaros_t_stages")).startswith("T1 / T2")
