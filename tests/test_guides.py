"""The instructor guide and the learner handout are generated, complete and cited.

``tools/make_guides.py`` writes both documents from the notebooks and the evidence registry; these
tests fail as soon as a committed document differs from what it would write now, so neither can
drift from the registry or the notebooks. Regenerate with ``python tools/make_guides.py``.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest

from micromet import evidence

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
GUIDE = ROOT / "docs" / "instructor-guide.md"
HANDOUT = ROOT / "docs" / "learner-handout.md"
REGENERATE = "out of date: run `python tools/make_guides.py` and commit the result"

# The rules the handout must carry, each with its source (the brief's list).
HANDOUT_RULES = [
    "itc_max_mm",
    "itc_max_cells",
    "micro_max_mm",
    "largest_focus_rule",
    "itc_not_counted",
    "micro_only_pn1mi",
    "pn1a_max_nodes",
    "pn2a_max_nodes",
    "sn_node_limit",
    "slice_interval_mm",
]
NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?!\w)")
MARKERS = re.compile(r"\[(\d+(?:, \d+)*)\]")


@pytest.fixture(scope="module")
def make_guides():
    spec = importlib.util.spec_from_file_location("make_guides", ROOT / "tools" / "make_guides.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_guides"] = module
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop("make_guides", None)


@pytest.fixture(scope="module")
def units(make_guides):
    return make_guides.read_units()


@pytest.fixture(scope="module")
def rendered(make_guides, units):
    return make_guides.render(units)


def _cells(path: Path) -> list[dict]:
    cells = json.loads(path.read_text("utf-8"))["cells"]
    return [{**c, "source": "".join(c["source"])} for c in cells]


def _quiz_calls(path: Path) -> list[ast.Call]:
    """Question constructor calls in the notebook's quiz cells, counted straight from the source."""
    calls = []
    for cell in _cells(path):
        if cell["cell_type"] != "code" or "Quiz(" not in cell["source"]:
            continue
        tree = ast.parse(cell["source"])
        calls += [
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("MultipleChoice", "NumericQuestion")
        ]
    return sorted(calls, key=lambda c: (c.lineno, c.col_offset))


def _unit_section(guide: str, number: int) -> str:
    start = guide.index(f"\n### Unit {number} ·")
    ends = [guide.find(marker, start + 1) for marker in ("\n### ", "\n## ")]
    return guide[start : min(e for e in ends if e > 0)]


# --- the committed documents are exactly what the generator writes ----------------------------


@pytest.mark.parametrize("path", [GUIDE, HANDOUT], ids=lambda p: p.name)
def test_committed_document_equals_the_generator_output(rendered, path):
    assert path.exists(), f"{path.relative_to(ROOT)} is missing; {REGENERATE}"
    assert path.read_text("utf-8") == rendered[path], f"{path.relative_to(ROOT)} is {REGENERATE}"


# --- the answer key ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_answer_key_has_every_quiz_question_of_the_notebook(path):
    calls = _quiz_calls(path)
    assert len(calls) >= 3, f"{path.name}: the notebook template asks for at least 3 questions"
    section = _unit_section(GUIDE.read_text("utf-8"), int(path.name[:2]))
    key = section[section.index("**Quiz answer key**") : section.index("**Key points**")]
    assert f"**Quiz answer key** ({len(calls)} questions" in key
    assert len(re.findall(r"^\d+\. \*", key, re.M)) == len(calls)
    assert key.count("**Answer: ") == len(calls)
    for number, call in enumerate(calls, start=1):
        prompt = call.args[0]
        if isinstance(prompt, ast.Constant):
            assert f"{number}. *{prompt.value}*" in key, f"{path.name}: question {number}"
        if call.func.id == "MultipleChoice":
            right = [
                c.args[0].value
                for c in call.args[1].elts
                if isinstance(c.args[1], ast.Constant) and c.args[1].value is True
            ]
            assert len(right) == 1
            assert f"**Answer: {right[0]}" in key, f"{path.name}: answer to question {number}"
        else:
            answer = call.args[1]
            if isinstance(answer, ast.Constant):
                assert f"**Answer: {answer.value:g} " in key, f"{path.name}: question {number}"


def test_the_generator_reads_every_question_with_its_evaluated_feedback(units):
    for unit in units:
        assert len(unit.quiz) == len(_quiz_calls(unit.path)), unit.path.name
        for answer in unit.quiz:
            assert answer.why and "{" not in answer.why, (unit.path.name, answer.prompt)
            if answer.kind == "choice":
                assert answer.others, (unit.path.name, answer.prompt)
    # A registry value used in an f-string arrives as the registered number (unit 3).
    (dual,) = [a for u in units for a in u.quiz if a.kind == "numeric" and "dual" in a.prompt]
    assert dual.correct.startswith(f"{evidence.value('sln_identification_dual'):g} ")


@pytest.mark.parametrize(
    "source",
    [
        "import os\nQuiz([])",
        "Quiz([open('/etc/passwd')])",
        "Quiz([micromet.__class__])",
        "x = [c for c in ()]\nQuiz(x)",
        "from micromet.quiz import Quiz as Q\nQuiz([])",
        "Quiz([])\nQuiz([])",
        "Quiz([(lambda: 1)()])",
    ],
)
def test_a_quiz_cell_that_does_more_than_build_questions_is_refused(make_guides, source):
    with pytest.raises(ValueError):
        make_guides.check_quiz_cell(ast.parse(source))


# --- the handout -------------------------------------------------------------------------------


def _handout_parts(text: str) -> tuple[list[str], dict[int, str]]:
    body, sources = text.split("\n## Sources\n")
    citations = {}
    for line in sources.strip().splitlines():
        m = re.match(r"^(\d+)\. (.+?)\.(?: <\S+>)?$", line)
        assert m, f"unexpected line in the handout's sources: {line!r}"
        citations[int(m[1])] = m[2]
    items: list[str] = []
    for line in body.splitlines():
        if line.startswith("  ") and items:
            items[-1] += " " + line.strip()
        elif line.strip() and not line.startswith(("#", "<!--", "|---")):
            items.append(line)
    return items, citations


def _cited(item: str) -> set[int]:
    return {int(n) for group in MARKERS.findall(item) for n in group.split(", ")}


def _numbers(text: str) -> set[float]:
    return {float(n) for n in NUMBER.findall(text)}


def _fact_numbers(fact_id: str) -> set[float]:
    f = evidence.fact(fact_id)
    values = f.value if isinstance(f.value, list) else [f.value]
    found = {float(v) for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)}
    return found | _numbers(f.statement) | _numbers(f.unit or "")


def test_every_number_in_the_handout_is_registered_and_cited(make_guides):
    text = HANDOUT.read_text("utf-8")
    _handout, fact_ids = make_guides.render_handout()
    items, citations = _handout_parts(text)
    number_of = {citation: n for n, citation in citations.items()}
    for fact_id in fact_ids:
        assert evidence.cite(fact_id).rstrip(".") in number_of, f"{fact_id}: source not listed"
    unsourced = []
    for item in items:
        cited = _cited(item)
        allowed: set[float] = set()
        for fact_id in fact_ids:
            if number_of[evidence.cite(fact_id).rstrip(".")] in cited:
                allowed |= _fact_numbers(fact_id)
        shown = _numbers(MARKERS.sub("", item))
        if shown - allowed:
            unsourced.append((sorted(shown - allowed), item[:80]))
    assert not unsourced, f"numbers without a registered, cited source: {unsourced}"


def test_the_handout_shows_every_rule_with_its_citation(make_guides):
    text = HANDOUT.read_text("utf-8")
    _handout, fact_ids = make_guides.render_handout()
    assert set(HANDOUT_RULES) <= set(fact_ids)
    items, citations = _handout_parts(text)
    number_of = {citation: n for n, citation in citations.items()}
    for fact_id in fact_ids:
        f = evidence.fact(fact_id)
        marker = number_of[f.citation.rstrip(".")]
        citing = [item for item in items if marker in _cited(item)]
        assert citing, f"{fact_id}: no line cites [{marker}]"
        if isinstance(f.value, (int, float)) and not isinstance(f.value, bool):
            assert any(f"{f.value:g}" in i for i in citing), f"{fact_id}: value not shown"


def test_the_handout_fits_on_one_page_and_carries_the_disclaimer():
    text = HANDOUT.read_text("utf-8")
    assert len(text.splitlines()) <= 60
    # Printed from Chromium at 11-12 pt on A4 or Letter, about 2,500 characters of this markdown
    # (tables and references included) fill one page.
    assert len(text) <= 2600, "more than one printed page of text"
    assert "teaching tool, not a clinical one" in text
    assert "teaching tool, not a clinical one" in GUIDE.read_text("utf-8")


# --- the session plans -------------------------------------------------------------------------


def test_every_unit_plan_adds_up_and_keeps_the_notebooks_own_timing(make_guides, units):
    for unit in units:
        rows = make_guides.unit_plan(unit)
        for length in (45, 90):
            assert sum(r.minutes[length] for r in rows) == length, (unit.path.name, length)
        own = [(r.label, r.own) for r in rows if r.own]
        assert own == [(s.label, s.minutes) for s in unit.segments], unit.path.name
        assert all(r.minutes[90] == r.own for r in rows if r.own), unit.path.name


def test_the_single_session_adds_up_and_points_at_real_sections(make_guides, units):
    parts = make_guides._session_parts()
    assert sum(p.minutes[90] for p in parts) == 90
    assert sum(p.minutes[45] for p in parts) == 45
    by_number = {u.number: u for u in units}
    for part in parts:
        if part.unit >= 0:
            by_number[part.unit].heading(part.heading)  # raises KeyError if the heading is gone
            assert part.explorer is None or part.explorer in by_number[part.unit].explorers
    for unit_number, question in make_guides.SESSION_QUIZ:
        assert 1 <= question <= len(by_number[unit_number].quiz)


def test_notebook_timings_agree(units):
    """Title cell, instructor-note timing, its segments and the course map in unit 0 agree."""
    course_map = _cells(NOTEBOOKS[0])
    table = next(c["source"] for c in course_map if "| Unit | Notebook |" in c["source"])
    listed = {
        int(m[1]): int(m[2]) for m in re.finditer(r"^\| (\d) \|.*\| (\d+) min \|$", table, re.M)
    }
    for unit in units:
        assert unit.minutes == unit.timing_total == sum(s.minutes for s in unit.segments), (
            unit.path.name
        )
        if unit.number:
            assert listed[unit.number] == unit.minutes, unit.path.name
