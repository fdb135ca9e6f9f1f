"""Property tests (hypothesis) for micromet.staging.

Deterministic: every test uses derandomize=True and no example database, so a run is repeatable.
Includes an independent reference model of the AJCC 8th-edition pN rules, written from the spec,
that is compared with stage_pn on random node sets (cases the spec leaves open are skipped).
"""

from __future__ import annotations

import numpy as np
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from micromet.staging import (
    DepositCategory,
    NodeFinding,
    classify_deposit,
    classify_deposits,
    stage_pn,
)

DET = settings(derandomize=True, max_examples=200, deadline=None, database=None)

ITC, MICRO, MACRO = DepositCategory.ITC, DepositCategory.MICRO, DepositCategory.MACRO
RANK = {ITC: 0, MICRO: 1, MACRO: 2}
AXILLARY = ("axillary", "infraclavicular")
GROUP = {
    "pN0": 0, "pN0(i+)": 0, "pN0(mol+)": 0,
    "pN1mi": 1, "pN1a": 1, "pN1b": 1, "pN1c": 1,
    "pN2a": 2, "pN2b": 2,
    "pN3a": 3, "pN3b": 3, "pN3c": 3,
}  # fmt: skip

BOUNDARY_SIZES = [0.1999999, 0.2, 0.2000001, 1.9999999, 2.0, 2.0000001, 100.0]

# ---------- strategies

sizes = st.one_of(
    st.floats(min_value=1e-6, max_value=0.2),
    st.floats(min_value=0.2, max_value=2.0),
    st.floats(min_value=2.0, max_value=100.0),
    st.sampled_from(BOUNDARY_SIZES),
)
cell_counts = st.one_of(st.integers(min_value=1, max_value=1000), st.sampled_from([199, 200, 201]))
# weighted so that the pN3a/pN3c stations do not swamp the lower rows
stations = st.sampled_from(
    ["axillary"] * 12 + ["internal_mammary"] * 3 + ["infraclavicular", "supraclavicular"]
)


@st.composite
def nodes_st(draw, *, station=None, with_cells=True):
    deposit = draw(st.one_of(st.none(), sizes))
    cells = None
    if with_cells and deposit is not None:
        cells = draw(st.one_of(st.none(), st.none(), cell_counts))
    return NodeFinding(
        deposit,
        cells=cells,
        station=draw(stations) if station is None else station,
        sentinel=draw(st.booleans()),
    )


def _nodes_of(size, n, station="axillary", sentinel=False):
    return [NodeFinding(size, station=station, sentinel=sentinel) for _ in range(n)]


@st.composite
def case_by_counts(draw):
    """Many axillary nodes by category count, plus optional other stations, shuffled.

    Reaches the 4 and 10 positive-node thresholds often, unlike plain small lists.
    """
    nodes = []
    nodes += _nodes_of(draw(st.sampled_from([2.5, 3.0, 10.0])), draw(st.integers(0, 7)))
    nodes += _nodes_of(draw(st.sampled_from([0.5, 1.0, 2.0])), draw(st.integers(0, 8)))
    nodes += _nodes_of(draw(st.sampled_from([0.05, 0.2])), draw(st.integers(0, 4)))
    nodes += _nodes_of(None, draw(st.integers(0, 4)))
    nodes += draw(st.lists(nodes_st(station="internal_mammary"), max_size=2))
    nodes += draw(st.lists(nodes_st(), max_size=2))
    nodes = draw(st.permutations(nodes))
    return list(nodes)


node_lists = st.one_of(
    st.lists(nodes_st(), max_size=5),
    st.lists(nodes_st(), max_size=12),
    case_by_counts(),
)
flags = st.fixed_dictionaries(
    {
        "neoadjuvant": st.booleans(),
        "molecular_positive": st.booleans(),
        "im_clinically_positive": st.booleans(),
    }
)


# ---------- reference model


def ref_category(node):
    """Spec rule for one deposit: MACRO > 2.0 mm; MICRO > 0.2 mm or > 200 cells; else ITC."""
    if node.deposit_mm is None and node.cells is None:
        return None
    if node.deposit_mm is not None and node.deposit_mm > 2.0:
        return MACRO
    if (node.deposit_mm is not None and node.deposit_mm > 0.2) or (
        node.cells is not None and node.cells > 200
    ):
        return MICRO
    return ITC


def ref_stage(nodes, *, molecular_positive=False, im_clinically_positive=False, **_):
    """Reference pN category from the spec; None where the spec leaves the answer open."""
    if not nodes:
        return None if im_clinically_positive else "pNX"
    cats = [ref_category(n) for n in nodes]
    pos = [c in (MICRO, MACRO) for c in cats]
    ax_pos = sum(p for n, p in zip(nodes, pos, strict=True) if n.station in AXILLARY)
    ax_macro = any(c is MACRO for n, c in zip(nodes, cats, strict=True) if n.station in AXILLARY)
    level3 = any(p for n, p in zip(nodes, pos, strict=True) if n.station == "infraclavicular")
    supra = any(p for n, p in zip(nodes, pos, strict=True) if n.station == "supraclavicular")
    im_path = any(p for n, p in zip(nodes, pos, strict=True) if n.station == "internal_mammary")

    if supra:
        return "pN3c"
    if level3:
        return "pN3a"
    if ax_macro:
        if ax_pos >= 10:
            return "pN3a"
        axilla = "pN1a" if ax_pos <= 3 else "pN2a"
    elif ax_pos:
        axilla = "pN1mi"
    else:
        axilla = None

    if im_clinically_positive:
        if axilla is None:
            return "pN2b"
        return "pN3b"  # with axillary micrometastases only: original 8th-edition pN3b wording
    if im_path:
        if axilla is None:
            return "pN1b"
        return "pN1c" if ax_pos <= 3 else "pN3b"
    if axilla:
        return axilla
    if any(c is ITC for c in cats):
        return "pN0(i+)"
    return "pN0(mol+)" if molecular_positive else "pN0"


def expected_label(nodes, category, neoadjuvant):
    sn = category != "pNX" and len(nodes) < 6 and any(n.sentinel for n in nodes)
    return ("y" if neoadjuvant else "") + category + ("(sn)" if sn else "")


# ---------- stage_pn properties


@DET
@given(nodes=node_lists, kw=flags)
def test_stage_matches_reference_model(nodes, kw):
    expected = ref_stage(nodes, **kw)
    assume(expected is not None)
    event(expected)
    stage = stage_pn(nodes, **kw)
    assert stage.category == expected
    assert stage.group == GROUP.get(expected)
    assert str(stage) == expected_label(nodes, expected, kw["neoadjuvant"])


@DET
@given(nodes=node_lists, kw=flags)
def test_counts(nodes, kw):
    stage = stage_pn(nodes, **kw)
    cats = [ref_category(n) for n in nodes]
    assert stage.examined == len(nodes)
    assert stage.itc_only == sum(c is ITC for c in cats)
    assert 0 <= stage.positive <= len(nodes) - stage.itc_only
    assert stage.explanation and all(isinstance(s, str) and s.strip() for s in stage.explanation)


@DET
@given(
    nodes=st.lists(nodes_st(station="axillary"), max_size=14),
    macro_size=st.floats(min_value=2.0000001, max_value=100.0),
    kw=flags,
)
def test_positive_count_axillary_with_macro(nodes, macro_size, kw):
    nodes = [*nodes, NodeFinding(macro_size, sentinel=False)]
    cats = [ref_category(n) for n in nodes]
    assert stage_pn(nodes, **kw).positive == sum(c in (MICRO, MACRO) for c in cats)


@DET
@given(
    nodes=node_lists,
    kw=flags,
    itc_size=st.sampled_from([1e-3, 0.05, 0.1, 0.2]),
    station=st.sampled_from(["axillary", "infraclavicular", "internal_mammary", "supraclavicular"]),
    sentinel=st.booleans(),
    where=st.integers(min_value=0),
)
def test_adding_itc_node_never_changes_category_or_positive(
    nodes, kw, itc_size, station, sentinel, where
):
    assume(nodes)  # from no nodes (pNX) any node changes the answer
    before = stage_pn(nodes, **kw)
    extra = NodeFinding(itc_size, station=station, sentinel=sentinel)
    assert extra.category is ITC
    i = where % (len(nodes) + 1)
    after = stage_pn(nodes[:i] + [extra] + nodes[i:], **kw)
    assert after.positive == before.positive
    assert after.itc_only == before.itc_only + 1
    assert after.examined == before.examined + 1
    if before.category in ("pN0", "pN0(mol+)"):
        # the one permitted change: no tumour -> ITC present
        assert after.category == "pN0(i+)"
    else:
        assert after.category == before.category


@DET
@given(
    nodes=node_lists,
    kw=flags,
    which=st.integers(min_value=0),
    factor=st.one_of(st.floats(min_value=1.0, max_value=1000.0), st.sampled_from([1.0, 10.0])),
)
def test_enlarging_a_deposit_never_lowers_group(nodes, kw, which, factor):
    with_tumour = [i for i, n in enumerate(nodes) if n.deposit_mm is not None]
    assume(with_tumour)
    i = with_tumour[which % len(with_tumour)]
    old = nodes[i]
    new_size = min(old.deposit_mm * factor, 100.0)
    bigger = NodeFinding(new_size, cells=old.cells, station=old.station, sentinel=old.sentinel)
    before = stage_pn(nodes, **kw)
    after = stage_pn(nodes[:i] + [bigger] + nodes[i + 1 :], **kw)
    assert after.group >= before.group, (before.category, after.category)


@DET
@given(data=st.data(), nodes=node_lists, kw=flags)
def test_permuting_nodes_changes_nothing(data, nodes, kw):
    shuffled = list(data.draw(st.permutations(nodes)))
    a, b = stage_pn(nodes, **kw), stage_pn(shuffled, **kw)
    assert str(a) == str(b)
    assert a.category == b.category
    assert set(a.explanation) == set(b.explanation)
    assert (a.examined, a.positive, a.itc_only, a.group) == (
        b.examined,
        b.positive,
        b.itc_only,
        b.group,
    )


@DET
@given(nodes=node_lists, kw=flags)
def test_sn_iff_sentinel_biopsy_and_fewer_than_six_nodes_in_all(nodes, kw):
    """CAP 2019: (sn) when a sentinel biopsy was done and fewer than 6 nodes (any kind) removed."""
    stage = stage_pn(nodes, **kw)
    want = stage.category != "pNX" and len(nodes) < 6 and any(n.sentinel for n in nodes)
    assert str(stage).endswith("(sn)") == want
    assert str(stage) == ("y" if kw["neoadjuvant"] else "") + stage.category + (
        "(sn)" if want else ""
    )


@DET
@given(n=st.integers(min_value=1, max_value=12), size=st.one_of(st.none(), sizes), kw=flags)
def test_sn_boundary_all_sentinel(n, size, kw):
    stage = stage_pn(_nodes_of(size, n, sentinel=True), **kw)
    assert str(stage).endswith("(sn)") == (n <= 5)


# ---------- classify_deposit


@DET
@given(a=sizes, b=sizes, cells=st.one_of(st.none(), cell_counts))
def test_classify_deposit_monotone_in_size(a, b, cells):
    lo, hi = sorted((a, b))
    assert RANK[classify_deposit(lo, cells=cells)] <= RANK[classify_deposit(hi, cells=cells)]


@DET
@given(
    a=st.integers(min_value=1, max_value=10**6),
    b=st.integers(min_value=1, max_value=10**6),
    size=st.one_of(st.none(), sizes),
)
def test_classify_deposit_monotone_in_cells(a, b, size):
    lo, hi = sorted((a, b))
    assert RANK[classify_deposit(size, cells=lo)] <= RANK[classify_deposit(size, cells=hi)]
    if size is None:
        assert classify_deposit(cells=hi) is not MACRO


@DET
@given(size=sizes, cells=st.one_of(st.none(), cell_counts))
def test_classify_deposit_matches_rule(size, cells):
    node = NodeFinding(size, cells=cells)
    assert classify_deposit(size, cells=cells) is ref_category(node)
    assert node.category is ref_category(node)


@DET
@given(
    sizes_arr=arrays(np.float64, st.integers(0, 60), elements=sizes),
    data=st.data(),
)
def test_classify_deposits_equals_scalar(sizes_arr, data):
    cells_arr = data.draw(
        st.one_of(
            st.none(),
            arrays(np.int64, len(sizes_arr), elements=st.integers(1, 1000)),
        )
    )
    out = classify_deposits(sizes_arr, cells_arr)
    assert len(out) == len(sizes_arr)
    if cells_arr is None:
        expected = [classify_deposit(float(s)) for s in sizes_arr]
    else:
        expected = [
            classify_deposit(float(s), cells=int(c))
            for s, c in zip(sizes_arr, cells_arr, strict=True)
        ]
    assert list(out) == expected
