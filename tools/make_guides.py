"""Generate the instructor guide and the learner handout from the notebooks and the registry.

    python tools/make_guides.py           # writes docs/instructor-guide.md, docs/learner-handout.md
    python tools/make_guides.py --check   # writes nothing; exits 1 if either file is out of date

Nothing in the two documents is typed twice:

* every clinical number comes from the evidence registry (``micromet.evidence.value/fact``), and
  every number the handout shows is followed by the reference to its source;
* titles, times, learning objectives, timings, discussion prompts, misconceptions, key points and
  section headings are read from the notebooks' markdown cells;
* the quiz answer keys are read from the notebooks' quiz cells. Each cell is parsed with ``ast``,
  checked to hold nothing but question constructors, registry look-ups and plain assignments, and
  then executed on its own with ``Quiz`` replaced by a function that returns its list, so the
  ``Choice``, ``MultipleChoice`` and ``NumericQuestion`` objects of ``micromet.quiz`` are built
  (f-strings and ``v('...')`` evaluated) but nothing is displayed.

``tests/test_guides.py`` checks that the committed documents equal what this script writes now.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import micromet  # noqa: E402
from micromet import evidence  # noqa: E402
from micromet.quiz import Choice, MultipleChoice, NumericQuestion  # noqa: E402

NOTEBOOK_DIR = ROOT / "notebooks"
GUIDE_PATH = ROOT / "docs" / "instructor-guide.md"
HANDOUT_PATH = ROOT / "docs" / "learner-handout.md"

QUESTION_CLASSES = ("MultipleChoice", "NumericQuestion")
QUIZ_NAMES = frozenset({"Quiz", "Choice", *QUESTION_CLASSES})

# --------------------------------------------------------------------------------------------
# Numbers from the registry
# --------------------------------------------------------------------------------------------


def num(fact_id: str, index: int | None = None) -> str:
    """A registered number as prose shows it: 0.2, 2, 200, 86.3 (never typed by hand)."""
    v = evidence.value(fact_id)
    if index is not None:
        v = v[index]
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise TypeError(f"fact {fact_id!r} holds {v!r}, not a number")
    return f"{v:,}" if isinstance(v, int) else f"{v:g}"


class References:
    """Numbered references in first-use order, one per distinct citation of the facts cited."""

    def __init__(self) -> None:
        self.citations: dict[str, tuple[int, str]] = {}
        self.fact_ids: list[str] = []

    def __call__(self, *fact_ids: str) -> str:
        numbers = []
        for fact_id in fact_ids:
            f = evidence.fact(fact_id)
            if fact_id not in self.fact_ids:
                self.fact_ids.append(fact_id)
            if f.citation not in self.citations:
                self.citations[f.citation] = (len(self.citations) + 1, f.url)
            number = self.citations[f.citation][0]
            if number not in numbers:
                numbers.append(number)
        return "[" + ", ".join(str(n) for n in numbers) + "]"

    def markdown(self, *, urls: bool = False) -> str:
        """The numbered list; addresses only when asked (the one-page handout leaves them out)."""
        lines = []
        for citation, (number, url) in self.citations.items():
            link = f" <{url}>" if urls and url else ""
            lines.append(f"{number}. {citation.rstrip('.')}.{link}")
        return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Reading the notebooks
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """One quiz question as the answer key shows it."""

    prompt: str
    kind: str  # "choice" or "numeric"
    correct: str  # the correct choice's text, or the number with its unit
    why: str
    others: tuple[tuple[str, str], ...] = ()  # (text, why) of each wrong choice
    tolerance: float | None = None


@dataclass(frozen=True)
class Segment:
    """One line of a notebook's timing: minutes and what they are for."""

    minutes: int
    label: str


@dataclass
class Unit:
    """What the guide needs from one notebook."""

    number: int
    path: Path
    title: str
    summary: str
    minutes: int
    objectives: list[str]
    prerequisites: str
    timing_total: int
    segments: list[Segment]
    discussion: list[str]
    misconceptions: list[str]
    other_notes: list[tuple[str, str]]
    pitfalls: list[str]
    key_points: list[str]
    headings: list[str]
    explorers: list[str]
    quiz: list[Answer] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.stem

    def heading(self, prefix: str) -> str:
        """The notebook's heading that starts with ``prefix`` (without the leading hashes)."""
        for heading in self.headings:
            if heading.startswith(prefix):
                return heading
        raise KeyError(f"{self.path.name} has no heading starting with {prefix!r}")


def _cells(path: Path) -> list[dict]:
    cells = json.loads(path.read_text("utf-8"))["cells"]
    for cell in cells:
        if isinstance(cell["source"], list):
            cell["source"] = "".join(cell["source"])
    return cells


def _section(cells: list[dict], heading: str) -> str:
    """The body of the markdown cell that opens with ``heading``."""
    for cell in cells:
        if cell["cell_type"] == "markdown" and cell["source"].startswith(heading + "\n"):
            return cell["source"][len(heading) + 1 :].strip()
    raise KeyError(f"no markdown cell starts with {heading!r}")


def _items(body: str, marker: str) -> list[str]:
    """Markdown list items (``*`` bullets or ``1.`` numbers), continuation lines joined."""
    start = re.compile(r"^\* " if marker == "*" else r"^\d+\. ")
    items: list[str] = []
    for line in body.splitlines():
        if start.match(line):
            items.append(start.sub("", line).strip())
        elif items and line.startswith(" ") and line.strip():
            items[-1] += " " + line.strip()
        elif items and not line.strip():
            continue
    return items


_LABELLED = re.compile(r"^\*\*(?P<label>[^*]+?):\*\*\s*(?P<text>.*)$", re.S)
_TIMING_LABEL = re.compile(r"^Timing \((?P<total>\d+) min\)$")
_SEGMENT_SPLIT = re.compile(r"[;,]\s*(?=\d+\s*min\b)")
_SEGMENT = re.compile(r"^(?P<minutes>\d+)\s*min\s+(?:on\s+)?(?P<label>.+)$", re.S)


COVERED_NOTES = {"Projecting"}
"""Instructor-note labels the guide covers in its own sections (projecting: "Before class")."""

_PROMPT = re.compile(r'"[^"]+"(?:\s*\([^)]*\))?\.?')


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _prompts(text: str) -> list[str]:
    """One prompt per quotation (with its bracketed hint) when the text is a run of quotations;
    otherwise the text as it stands."""
    quoted = _PROMPT.findall(text)
    if quoted and not _PROMPT.sub("", text).strip():
        return quoted
    return [_capital(text)]


def _timing(text: str) -> list[Segment]:
    segments = []
    for part in _SEGMENT_SPLIT.split(text.strip().rstrip(".")):
        m = _SEGMENT.match(part.strip())
        if not m:
            raise ValueError(f"cannot read the timing segment {part!r}")
        label = m["label"].strip()
        segments.append(Segment(int(m["minutes"]), label[0].upper() + label[1:]))
    return segments


def read_unit(path: Path) -> Unit:
    """Parse one notebook: header, objectives, instructor notes, key points, quiz."""
    cells = _cells(path)
    header = cells[0]["source"]
    title = header.splitlines()[0].lstrip("# ").strip()
    summary = next(
        (
            " ".join(paragraph.split()).strip("*")
            for paragraph in header.split("\n\n")
            if re.fullmatch(r"\*[^*].*[^*]\*", paragraph.strip(), re.S)
        ),
        "",
    )
    time_match = re.search(r"\*\*Time:\*\* about (\d+) minutes", header)
    if not time_match:
        raise ValueError(f"{path.name}: no '**Time:** about N minutes' in the title cell")

    objectives_body = _section(cells, "## Learning objectives")
    prerequisites = re.search(r"\*\*Prerequisites:\*\*\s*(.+?)(?:\n\n|$)", objectives_body, re.S)

    timing_total, segments = 0, []
    discussion, misconceptions, other_notes = [], [], []
    for note in _items(_section(cells, "## Instructor notes"), "*"):
        m = _LABELLED.match(note)
        label, text = (m["label"].strip(), m["text"].strip()) if m else ("", note)
        if timing := _TIMING_LABEL.match(label):
            timing_total, segments = int(timing["total"]), _timing(text)
        elif label.lower().startswith("discussion prompt"):
            discussion += _prompts(text)
        elif "misconception" in label.lower():
            misconceptions.append(_capital(text))
        elif label not in COVERED_NOTES:
            other_notes.append((label, text))

    headings = [
        line.lstrip("#").strip()
        for cell in cells
        if cell["cell_type"] == "markdown"
        for line in cell["source"].splitlines()
        if line.startswith("#")
    ]
    explorers = []
    for cell in cells:
        if cell["cell_type"] == "code":
            for name in re.findall(r"EXPLORERS\[\"(\w+)\"\]", cell["source"]):
                if name not in explorers:
                    explorers.append(name)

    number = int(path.name[:2])
    return Unit(
        number=number,
        path=path,
        title=title,
        summary=summary,
        minutes=int(time_match[1]),
        objectives=_items(objectives_body, "1."),
        prerequisites=" ".join(prerequisites[1].split()) if prerequisites else "none",
        timing_total=timing_total,
        segments=segments,
        discussion=discussion,
        misconceptions=misconceptions,
        other_notes=other_notes,
        pitfalls=_items(_section(cells, "## Common pitfalls"), "*"),
        key_points=_items(_section(cells, "## Key points"), "*"),
        headings=headings,
        explorers=explorers,
        quiz=[answer for source in quiz_sources(cells) for answer in answer_key(source)],
    )


def read_units(notebook_dir: Path = NOTEBOOK_DIR) -> list[Unit]:
    return [read_unit(path) for path in sorted(notebook_dir.glob("[0-9][0-9]_*.ipynb"))]


# --------------------------------------------------------------------------------------------
# Quiz cells: parse, check, execute with Quiz replaced, read the question objects
# --------------------------------------------------------------------------------------------


def _called_name(node: ast.AST) -> str | None:
    return node.func.id if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) else None


def is_quiz_cell(source: str) -> bool:
    """A code cell that calls ``Quiz(...)``."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    return any(_called_name(node) == "Quiz" for node in ast.walk(tree))


def quiz_sources(cells: list[dict]) -> list[str]:
    return [c["source"] for c in cells if c["cell_type"] == "code" and is_quiz_cell(c["source"])]


_ALLOWED_NODES = (
    ast.Module, ast.ImportFrom, ast.alias, ast.Assign, ast.Expr, ast.Call, ast.keyword,
    ast.Name, ast.Attribute, ast.Constant, ast.JoinedStr, ast.FormattedValue, ast.List,
    ast.Tuple, ast.Subscript, ast.Slice, ast.BinOp, ast.UnaryOp, ast.operator, ast.unaryop,
    ast.expr_context,
)  # fmt: skip


def _root_name(node: ast.AST) -> str | None:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def check_quiz_cell(tree: ast.Module) -> None:
    """Refuse anything but imports from micromet.quiz, plain assignments and one Quiz([...]) call.

    Calls may only be to the quiz classes, to names the cell assigned (``v = ...value``) or to
    attributes of ``micromet``; no attribute may start with an underscore.
    """
    *body, last = tree.body
    if not (isinstance(last, ast.Expr) and _called_name(last.value) == "Quiz"):
        raise ValueError("a quiz cell must end with a Quiz([...]) expression")
    if sum(_called_name(node) == "Quiz" for node in ast.walk(tree)) != 1:
        raise ValueError("a quiz cell must call Quiz exactly once")
    assigned: set[str] = set()
    for statement in body:
        if isinstance(statement, ast.ImportFrom):
            names = {alias.name for alias in statement.names}
            if (
                statement.module != "micromet.quiz"
                or not names <= QUIZ_NAMES
                or any(alias.asname for alias in statement.names)
            ):
                raise ValueError(f"unexpected import in a quiz cell: {ast.unparse(statement)}")
        elif isinstance(statement, ast.Assign):
            for target in statement.targets:
                assigned |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
        else:
            raise ValueError(f"unexpected statement in a quiz cell: {ast.unparse(statement)}")
    known = QUIZ_NAMES | assigned | {"micromet"}
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_NODES):
            raise ValueError(f"unexpected {type(node).__name__} in a quiz cell")
        if isinstance(node, ast.Attribute) and (
            node.attr.startswith("_") or _root_name(node) != "micromet"
        ):
            raise ValueError(f"unexpected attribute in a quiz cell: {ast.unparse(node)}")
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in known:
            raise ValueError(f"unknown name {node.id!r} in a quiz cell")
        if isinstance(node, ast.Call) and not (
            _called_name(node) in known or _root_name(node.func) == "micromet"
        ):
            raise ValueError(f"unexpected call in a quiz cell: {ast.unparse(node.func)}")


def evaluate_quiz(source: str) -> list:
    """The question objects of a quiz cell, built but not displayed."""
    tree = ast.parse(source)
    check_quiz_cell(tree)
    *body, last = tree.body
    body = [s for s in body if not isinstance(s, ast.ImportFrom)]
    body.append(ast.Assign(targets=[ast.Name("__questions__", ast.Store())], value=last.value))
    module = ast.fix_missing_locations(ast.Module(body=body, type_ignores=[]))
    namespace = {
        "__builtins__": {},
        "micromet": micromet,
        "Choice": Choice,
        "MultipleChoice": MultipleChoice,
        "NumericQuestion": NumericQuestion,
        "Quiz": lambda questions: list(questions),
    }
    exec(compile(module, "<quiz cell>", "exec"), namespace)  # noqa: S102 - checked above
    questions = namespace["__questions__"]

    # Cross-check against the source: one object per constructor call, one choice per Choice.
    calls = [node for node in last.value.args[0].elts] if last.value.args else []
    if [_called_name(c) for c in calls] != [type(q).__name__ for q in questions]:
        raise ValueError("the quiz's question calls and the evaluated questions disagree")
    for call, question in zip(calls, questions, strict=True):
        if isinstance(question, MultipleChoice):
            choice_calls = call.args[1].elts
            if len(choice_calls) != len(question.choices):
                raise ValueError(f"choice count differs for {question.prompt!r}")
    return questions


def answer_key(source: str) -> list[Answer]:
    answers = []
    for q in evaluate_quiz(source):
        if isinstance(q, MultipleChoice):
            (right,) = [c for c in q.choices if c.correct]
            others = tuple((c.text, c.why) for c in q.choices if not c.correct)
            answers.append(Answer(q.prompt, "choice", right.text, right.why, others))
        else:
            answer = f"{q.correct_answer:g} {q.unit}".strip()
            answers.append(Answer(q.prompt, "numeric", answer, q.why, (), q.tolerance))
    return answers


# --------------------------------------------------------------------------------------------
# Session plans
# --------------------------------------------------------------------------------------------

OPENING = {45: 3, 90: 5}
ACTIVITY = "*Class activity:* "
WRAP_UP = {45: 2, 90: 5}
MIN_DISCUSSION = {45: 5, 90: 10}

# Class activities added around a unit's own plan: (minutes, where, text); where is "before" (after
# the opening), "after" (after the notebook, before the discussion) or "end" (before the wrap-up).
ACTIVITIES: dict[int, dict[int, list[tuple[int, str, str]]]] = {
    0: {
        45: [(10, "before", "everyone opens their own copy, runs all cells and moves a slider "
                            "with the mouse and with the keyboard (launch check)")],
        90: [(10, "before", "everyone opens their own copy, runs all cells and moves a slider "
                            "with the mouse and with the keyboard (launch check)"),
             (45, "end", "continue with unit 1, following its 45-minute plan")],
    },
    1: {
        90: [(15, "after", "in pairs, each learner writes three deposits (a size, a cell count or "
                           "several clusters) for the partner to classify; both check in the "
                           "explorers"),
             (10, "after", "role-play the patient's question of section 4 in pairs")],
    },
    2: {
        90: [(10, "after", "set the sectioning explorer to your own laboratory's slice thickness "
                           "and levels: which deposits does it miss?"),
             (10, "after", "role-play a patient who asks how long her cancer has been there")],
    },
    3: {
        90: [(10, "after", "step through virtual patients for two quadrants and tally internal "
                           "mammary drainage on the board"),
             (10, "after", "role-play explaining sentinel node biopsy, its false negatives and "
                           "its harms to a patient")],
    },
    4: {
        90: [(10, "after", "a second practice round with the CAMELYON17-style session"),
             (10, "after", "in pairs, write the report line (nodes examined, positive, ITC-only, "
                           "largest deposit, pN) for three node sets from the node builder")],
    },
    5: {
        90: [(15, "after", "learners make up three patients for colleagues and check them in the "
                           "case explorer (\"Explore: your own patients\")"),
             (10, "after", "role-play weighing the AMAROS trade-off with a patient")],
    },
    6: {
        90: [(10, "after", "in pairs, explain one treatment's PREDICT benefit to a 'patient' in "
                           "plain words, then swap")],
    },
}  # fmt: skip


def apportion(minutes: list[int], total: int) -> list[int]:
    """Scale ``minutes`` to sum to ``total`` (largest remainder; every part keeps a minute)."""
    whole = sum(minutes)
    if whole <= total:
        return list(minutes)
    shares = [m * total / whole for m in minutes]
    result = [max(1, int(s)) for s in shares]
    order = sorted(range(len(shares)), key=lambda i: shares[i] - int(shares[i]), reverse=True)
    i = 0
    while sum(result) < total:
        result[order[i % len(order)]] += 1
        i += 1
    while sum(result) > total:
        j = max(range(len(result)), key=lambda k: result[k])
        result[j] -= 1
    return result


@dataclass(frozen=True)
class PlanRow:
    label: str
    own: int | None  # minutes in the notebook's own plan
    minutes: dict[int, int]  # class length -> minutes (0 = not in that class)


def unit_plan(unit: Unit) -> list[PlanRow]:
    """Opening, activities, the notebook's own segments, discussion and wrap-up, for 45 and 90."""
    rows_by_length: dict[int, dict[str, int]] = {}
    labels: dict[str, int | None] = {}
    order: list[str] = []

    def add(label: str, own: int | None = None) -> None:
        if label not in labels:
            labels[label] = own
            order.append(label)

    opening = (
        "Opening: recap the previous unit, read the objectives"
        if unit.number
        else ("Opening: welcome, who is in the room, the teaching-tool disclaimer")
    )
    discussion = "Discussion: the prompts below, then the misconceptions"
    wrap_up = "Wrap-up: read the key points aloud; point to the learner handout"
    add(opening)
    activities = {length: ACTIVITIES.get(unit.number, {}).get(length, []) for length in (45, 90)}
    for length in (45, 90):
        for _minutes, where, text in activities[length]:
            if where == "before":
                add(ACTIVITY + text)
    for segment in unit.segments:
        add(segment.label, segment.minutes)
    for length in (45, 90):
        for _minutes, where, text in activities[length]:
            if where == "after":
                add(ACTIVITY + text)
    add(discussion)
    for length in (45, 90):
        for _minutes, where, text in activities[length]:
            if where == "end":
                add(ACTIVITY + text)
    add(wrap_up)

    for length in (45, 90):
        fixed = OPENING[length] + WRAP_UP[length] + sum(m for m, _, _ in activities[length])
        room = length - fixed - MIN_DISCUSSION[length]
        own = [s.minutes for s in unit.segments]
        scaled = apportion(own, room)
        minutes = {opening: OPENING[length], wrap_up: WRAP_UP[length]}
        minutes.update({s.label: m for s, m in zip(unit.segments, scaled, strict=True)})
        minutes.update({ACTIVITY + t: m for m, _, t in activities[length]})
        minutes[discussion] = length - sum(minutes.values())
        rows_by_length[length] = minutes

    rows = [
        PlanRow(label, labels[label], {n: rows_by_length[n].get(label, 0) for n in (45, 90)})
        for label in order
    ]
    for length in (45, 90):
        total = sum(r.minutes[length] for r in rows)
        if total != length:
            raise AssertionError(f"unit {unit.number}: the {length}-minute plan sums to {total}")
    return rows


@dataclass(frozen=True)
class SessionPart:
    unit: int
    heading: str  # prefix of the notebook heading it uses ("" for none)
    explorer: str | None
    minutes: dict[int, int]
    what: str


def _session_parts() -> list[SessionPart]:
    itc, micro, cells = num("itc_max_mm"), num("micro_max_mm"), num("itc_max_cells")
    slice_mm = num("slice_interval_mm")
    clusters = "the worked example of three clusters"
    return [
        SessionPart(0, "How to use these notebooks", None, {90: 5, 45: 3},
                    "Welcome and the disclaimer; how to run a cell and move an explorer; "
                    "predict first, then move"),
        SessionPart(1, "Explore: the size of the deposit", "deposit", {90: 12, 45: 6},
                    f"The three categories; the room calls out the category of {itc} mm and "
                    f"{micro} mm deposits before you move the slider; then the cell count "
                    f"(more than {cells} cells in one section)"),
        SessionPart(1, "3. Several clusters", "clusters", {90: 6, 45: 3},
                    f"Largest contiguous deposit, never the sum: {clusters}"),
        SessionPart(2, "Explore: slice thickness", "sectioning", {90: 10, 45: 5},
                    f"Why {slice_mm} mm slices cut every deposit larger than {micro} mm and miss "
                    "smaller ones; the three predictions"),
        SessionPart(2, "1. How long does it take to grow", None, {90: 3, 45: 0},
                    "Imaging does not show micrometastases: read the table aloud (skip in 45 "
                    "minutes)"),
        SessionPart(3, "Explore: how many nodes to remove?", "cohort", {90: 10, 45: 5},
                    "Why the sentinel node speaks for the axilla, and why removing one node "
                    "misses more"),
        SessionPart(4, "Explore: build the nodes yourself", "nodes", {90: 15, 45: 8},
                    "The pN table in plain words, then the node builder and its pitfall "
                    "buttons: ITC-only nodes, micrometastases alone, (sn), y"),
        SessionPart(4, "3. A patient asks", None, {90: 4, 45: 2},
                    "Is a node with a micrometastasis positive?"),
        SessionPart(5, "Explore: which trials cover this patient?", "axilla", {90: 10, 45: 5},
                    "Vote on which trials cover the starting patient, then one scenario; in 90 "
                    "minutes add the AMAROS explorer"),
        SessionPart(6, "4. A patient asks", None, {90: 8, 45: 4},
                    "Why treatment after surgery aims at what no test can see (section 1), and "
                    f"what the often-quoted {num('survival_regional_5y')}% five-year survival "
                    "describes"),
        SessionPart(-1, "", None, {90: 5, 45: 2},
                    "Quiz round (the questions below; in 45 minutes the first three)"),
        SessionPart(-1, "", None, {90: 2, 45: 2},
                    "Wrap-up: hand out the learner handout; where to continue (the full units)"),
    ]  # fmt: skip


SESSION_QUIZ = [(1, 1), (2, 1), (4, 1), (3, 1), (5, 4), (6, 4)]
"""The quiz round of the single session: (unit, question number), first three for 45 minutes."""


# --------------------------------------------------------------------------------------------
# Markdown helpers
# --------------------------------------------------------------------------------------------


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "?", "!", '"')) else text + "."


def _bullets(items: Iterable[str]) -> str:
    return "\n".join(f"* {item}" for item in items)


def _answer_markdown(number: int, a: Answer) -> str:
    lines = [f"{number}. *{a.prompt}*", ""]
    if a.kind == "numeric":
        lines.append(
            f"   **Answer: {a.correct}** (accepted within ± {a.tolerance:g}). {_sentence(a.why)}"
        )
    else:
        lines.append(f"   **Answer: {_sentence(a.correct)}** {_sentence(a.why)}")
        lines.append("")
        for text, why in a.others:
            lines.append(f'   - Not "{text}": {_sentence(why)}')
    return "\n".join(lines)


def _minutes(m: int | None) -> str:
    return "—" if not m else str(m)


def _plan_table(unit: Unit) -> str:
    rows = unit_plan(unit)
    out = [
        "| Segment | Notebook's own plan | 45-minute class | 90-minute class |",
        "|---|---:|---:|---:|",
    ]
    for row in rows:
        out.append(
            f"| {row.label} | {_minutes(row.own)} | {_minutes(row.minutes[45])} "
            f"| {_minutes(row.minutes[90])} |"
        )
    out.append(f"| **Total** | **{unit.timing_total}** | **45** | **90** |")
    return "\n".join(out)


# --------------------------------------------------------------------------------------------
# The instructor guide
# --------------------------------------------------------------------------------------------

GUIDE_FACTS = ["itc_max_mm", "itc_max_cells", "micro_max_mm", "slice_interval_mm",
               "sn_node_limit", "survival_regional_5y"]  # fmt: skip


def _unit_section(unit: Unit) -> str:
    label = "Unit 0" if unit.number == 0 else f"Unit {unit.number}"
    title = unit.title.split("·", 1)[-1].strip()
    compressed = any(row.own and row.minutes[45] < row.own for row in unit_plan(unit))
    plan_note = (
        "In a 45-minute class the notebook's segments are shortened in proportion to fit."
        if compressed
        else "In a 45-minute class the notebook runs at its own pace."
    )
    other = "\n".join(
        f"* **{lbl}:** {text}" if lbl else f"* {text}" for lbl, text in unit.other_notes
    )
    answers = "\n\n".join(_answer_markdown(i, a) for i, a in enumerate(unit.quiz, start=1))
    objectives = "\n".join(f"{i}. {o}" for i, o in enumerate(unit.objectives, start=1))
    parts = [
        f"### {label} · {title}",
        f"`notebooks/{unit.path.name}`: *{unit.summary}*",
        f"**Own time:** {unit.minutes} minutes · **Prerequisites:** {unit.prerequisites} · "
        f"**Explorers:** {', '.join(f'`{e}`' for e in unit.explorers) or 'none'}",
        "**Learning objectives.** By the end, learners will be able to:",
        objectives,
        "**Session plan** (minutes). The notebook's own plan comes from its instructor notes. "
        f"{plan_note}",
        _plan_table(unit),
        "**Discussion prompts**",
        _bullets(unit.discussion),
        "**Common misconceptions** (from the instructor notes)",
        _bullets(unit.misconceptions),
        "**Pitfalls the notebook names** (its *Common pitfalls* cell)",
        _bullets(unit.pitfalls),
    ]
    if other:
        parts += ["**More from the instructor notes**", other]
    parts += [
        f"**Quiz answer key** ({len(unit.quiz)} questions, in the notebook's order)",
        answers,
        "**Key points** (for the wrap-up)",
        _bullets(unit.key_points),
    ]
    return "\n\n".join(parts)


def _session_table(units: list[Unit]) -> str:
    by_number = {u.number: u for u in units}
    out = [
        "| Unit | Where | What to do | 90 min | 45 min |",
        "|---|---|---|---:|---:|",
    ]
    for part in _session_parts():
        if part.unit < 0:
            out.append(
                f"| | | {part.what} | {_minutes(part.minutes[90])} | {_minutes(part.minutes[45])} |"
            )
            continue
        unit = by_number[part.unit]
        where = f"§ {unit.heading(part.heading)}"
        if part.explorer:
            if part.explorer not in unit.explorers:
                raise KeyError(f"{unit.path.name} shows no explorer {part.explorer!r}")
            where += f" (`{part.explorer}`)"
        out.append(
            f"| {part.unit} | {where} | {part.what} | {_minutes(part.minutes[90])} "
            f"| {_minutes(part.minutes[45])} |"
        )
    for length in (90, 45):
        total = sum(p.minutes[length] for p in _session_parts())
        if total != length:
            raise AssertionError(f"the single {length}-minute session sums to {total}")
    out.append("| | | **Total** | **90** | **45** |")
    return "\n".join(out)


def _session_quiz(units: list[Unit]) -> str:
    by_number = {u.number: u for u in units}
    lines = []
    for i, (unit_number, q) in enumerate(SESSION_QUIZ, start=1):
        answer = by_number[unit_number].quiz[q - 1]
        lines.append(
            f"{i}. Unit {unit_number}, question {q}: *{answer.prompt}* "
            f"Answer: **{_sentence(answer.correct)}**"
        )
    return "\n".join(lines)


def _key_numbers() -> str:
    out = ["| Value | Statement | Source |", "|---|---|---|"]
    for f in map(evidence.fact, GUIDE_FACTS):
        out.append(f"| {evidence.format_value(f)} | {f.statement} | {f.citation} |")
    return "\n".join(out)


def _course_table(units: list[Unit]) -> str:
    out = ["| Unit | Notebook | Topic | Own time |", "|---|---|---|---:|"]
    for u in units:
        topic = u.title.split("·", 1)[-1].strip()
        out.append(f"| {u.number} | `{u.path.name}` | {topic} | {u.minutes} min |")
    out.append(f"| | | **Whole course** | **{sum(u.minutes for u in units)} min** |")
    return "\n".join(out)


def render_guide(units: list[Unit]) -> str:
    total_questions = sum(len(u.quiz) for u in units)
    counts = ", ".join(f"unit {u.number}: {len(u.quiz)}" for u in units)
    unit_sections = "\n\n".join(_unit_section(u) for u in units)
    itc, micro = num("itc_max_mm"), num("micro_max_mm")
    return f"""\
<!-- Generated by tools/make_guides.py from the notebooks and the evidence registry.
     Do not edit by hand: edit the notebooks or the registry, then run
     `python tools/make_guides.py`. tests/test_guides.py fails when this file is out of date. -->

# Instructor guide: lymph node micrometastases in breast cancer

This guide lets you run the course with a class without having seen it before: a single
90-minute session (or a 45-minute version) for a mixed audience, or each unit as a class of its
own, with timings, discussion prompts, misconceptions to expect and the quiz answer keys
({total_questions} questions: {counts}).

> **This is a teaching tool, not a clinical one.** Say so at the start of every session: the
> course explains published rules and evidence; it must not be used for decisions about any
> patient's diagnosis or treatment.

## The course at a glance

{_course_table(units)}

Every notebook has the same shape: objectives and time, short sections each ending in an
*explorer* (a control panel, a figure and a text panel that explains it), common pitfalls, a quiz
with immediate feedback, key points, instructor notes and references. Every clinical number comes
from the course's evidence registry (`micromet/data/evidence/`), shown with its source.

## Before class

### Install and launch

Pick one; all run the same notebooks.

* **Your own laptop (recommended for projecting):** in the repository, run `make lab`. The first
  run creates `.venv` and installs the course (this needs the network once); later runs start at
  once. JupyterLab serves on `127.0.0.1` only, with token authentication: open the address with
  `?token=...` that it prints. `make lab PORT=9000` picks another port; <kbd>Ctrl</kbd>+<kbd>C</kbd>
  stops it. Needs Python 3.10 or newer and `make`.
* **conda:** `conda env create -f environment.yml`, `conda activate micromet`, then
  `jupyter lab notebooks/00_start_here.ipynb`.
* **A class JupyterHub:** install the package into the hub's user environment
  (`pip install git+<clone URL of this repository>`, or a local path) and share the notebooks
  with an nbgitpuller link, so that each learner gets their own copy. The environment that runs
  JupyterLab needs the ipywidgets extension (`jupyterlab_widgets`, installed with `ipywidgets`);
  the kernel's environment needs `micromet` itself.
* **Binder:** the repository's `environment.yml` is what Binder builds; open
  `notebooks/00_start_here.ipynb` when the session starts. Binder sessions are temporary and stop
  when idle: start them a few minutes before class and tell learners that changes are not kept.
* **JupyterLite, nothing installed:** `make lite` builds a site in `build/lite/` that any static
  web host can serve; Python runs in each learner's browser. It needs internet access in class
  unless Pyodide is built into the site (`docs/jupyterlite.md` says how); try it on the room's
  network beforehand.
* **Presentation mode (your laptop):** `make present` installs Voilà on first use and serves
  every notebook as an app with the code hidden and the explorers live, on `127.0.0.1:8866`:
  useful when you only project the explorers. It is part of the `make` route only; conda, Binder
  and hub environments do not include Voilà.

### A reading copy for after class

`make site` writes a reading copy of the executed course to `build/site/`: one web page per
notebook, with every figure and the explorers' last view, which opens offline and needs no
kernel (the controls do not move there; each one says so), and the learner handout as a page to
print. Share the folder, or put it on a web server, for learners to revise from. Building it
needs `npm` (Node.js) and the network once, to fetch the widget renderer that the pages carry
with them. If the JupyterLite site is online as
well, `make site SITE_ARGS="--explore-url <its address>"` links every page to the same notebook
there, so learners can go on exploring after class.

### The day before

1. Open every notebook you will teach and use *Kernel → Restart Kernel and Run All Cells*. Each
   explorer should show a figure and a text panel; each quiz shows its questions.
2. Move one control of each explorer: the figure and the text should change at once.
3. Decide which plan you follow (below) and which discussion prompts you will use.
4. Print or share `docs/learner-handout.md` (one page, every number with its source).

No cell needs a network connection: once the course is installed, a room without Wi-Fi is fine
for `make lab` on your own laptop (a hub or Binder needs only the connection to its server).

### Projecting the explorers

* **Zoom the browser** (<kbd>Ctrl</kbd>/<kbd>Cmd</kbd> and <kbd>+</kbd>) one or two steps. An
  explorer is about as wide as a laptop screen; on a narrower window its text panel moves under the
  figure, which reads well on a projector too.
* **JupyterLab's *View* menu:** *Presentation Mode* enlarges the notebook's text and code (the
  figures stay the same size, so combine it with browser zoom); *Simple Interface*
  (<kbd>Ctrl</kbd>+<kbd>Shift</kbd>+<kbd>D</kbd>) shows one notebook at a time; *Show Left
  Sidebar* (<kbd>Ctrl</kbd>+<kbd>B</kbd>) hides the file browser; *Fullscreen Mode*
  (<kbd>F11</kbd>) hides the browser's own bars.
* **Sliders from the keyboard:** click the slider's handle, then use the arrow keys for one step,
  <kbd>Page Up</kbd>/<kbd>Page Down</kbd> for bigger steps and <kbd>Home</kbd>/<kbd>End</kbd> for
  the ends of the range. You can also type a value into the box at the end of a slider: for a
  boundary such as {itc} mm or {micro} mm, typing is exact where dragging is not.
* **Predict first, then move.** Ask the room for a prediction (a show of hands, or written down)
  before every move; the explorers are built for that pause.
* Explorers are readable without the picture: the text panel says what the figure shows and why,
  which helps learners at the back and screen-reader users.

## A single 90-minute session for a mixed audience (and a 45-minute version)

For medical students, nurses, trainees and patient educators together: the essential idea of each
unit, one explorer each, and the questions patients ask. Open the notebooks in advance with all
cells run, and jump to each section (the *§* column gives the notebook's heading; JupyterLab's
table of contents, in the left sidebar, jumps there in one click). Mix the room: pair a clinician
with a non-clinician for predictions.

{_session_table(units)}

**The quiz round** (in the 45-minute version use the first three):

{_session_quiz(units)}

**Numbers you will quote** (from the evidence registry):

{_key_numbers()}

## Each unit as a class of its own

The course takes {sum(u.minutes for u in units)} minutes at the notebooks' own pace. Taught as a
series, each unit fits a 45-minute class (unit 0 opens the first class, with a launch check) or a
90-minute class with more practice and discussion. Each plan below starts from the notebook's own
timing in its instructor notes; the 45- and 90-minute columns add an opening, the class
activities and the discussion, and each column adds up to its total.

{unit_sections}

## When something goes wrong in class

* **An explorer does not respond, or a cell shows an error:** *Kernel → Restart Kernel and Run All
  Cells*. Every notebook passes "restart and run all"; each starts by importing `micromet` and no
  cell depends on another notebook.
* **Widgets do not show** ("Error displaying widget: model not found", or a line of text such as
  `VBox(children=...)` where the controls should be): the notebook was opened but not run in this
  session (the saved file keeps no widget state), or the kernel was restarted. Re-run the cell, or
  restart and run all. If JupyterLab reports the notebook as not trusted, run *Trust Notebook*
  from the command palette (<kbd>Ctrl</kbd>+<kbd>Shift</kbd>+<kbd>C</kbd>) and re-run. If widgets
  never show even after running, the JupyterLab in use lacks the ipywidgets extension: on a hub,
  ask for `ipywidgets` in the environment that runs JupyterLab, or use `make lab` on your laptop.
* **The figure does not change when a control moves:** the kernel is busy or was restarted;
  wait for the kernel indicator to become idle, or restart and run all.
* **No network in the room:** nothing in the notebooks fetches anything; only the first
  installation needs the network. JupyterLite is the exception: without the network its kernel
  never starts, unless Pyodide was built into the site (`docs/jupyterlite.md`).
* **JupyterLite says `No module named 'micromet'`:** the notebook's first cell (marked
  "JupyterLite only") installs the course in the browser; run it, then the rest. It has to run
  again each time the kernel restarts.
* **A learner's notebook is broken beyond repair:** on a hub, rename the broken notebook and open
  the nbgitpuller link again, which restores missing files; in a git checkout,
  `git checkout -- notebooks/` restores the originals.
* **The projector is small:** browser zoom first; then *Presentation Mode*; then *Simple
  Interface*.
* **Someone asks about a real patient:** this is a teaching tool; the question belongs to the
  patient's own team.
"""


# --------------------------------------------------------------------------------------------
# The learner handout (one page)
# --------------------------------------------------------------------------------------------


def render_handout() -> tuple[str, list[str]]:
    """The one-page handout (one line per bullet) and the ids of the facts it cites."""
    ref = References()
    itc, micro, cells = num("itc_max_mm"), num("micro_max_mm"), num("itc_max_cells")
    pn1a, pn2a = evidence.value("pn1a_max_nodes"), evidence.value("pn2a_max_nodes")
    sn, slice_mm = num("sn_node_limit"), num("slice_interval_mm")
    largest = num("largest_focus_rule")
    # The worked example's clusters, as the registry records them (its unit names all three).
    clusters = re.findall(r"\d+(?:\.\d+)?", evidence.fact("largest_focus_rule").unit)
    r = ref("itc_max_mm", "itc_max_cells", "micro_max_mm")
    table = [
        "| Category | Largest contiguous deposit | Or: cells in one section |",
        "|---|---|---|",
        f"| Isolated tumour cells (ITC) | no larger than {itc} mm {r} | no more than {cells} {r} |",
        f"| Micrometastasis | larger than {itc} mm, not larger than {micro} mm {r} "
        f"| more than {cells} {r} |",
        f"| Macrometastasis | larger than {micro} mm {r} | no cell count makes one |",
    ]
    sizes = [
        f"**On a threshold, the smaller category:** exactly {itc} mm is ITC, exactly {micro} mm a "
        f"micrometastasis. Exactly {cells} cells is not settled (AJCC: ITC are fewer than {cells}; "
        f"CAP: {cells} or fewer); the count is a guideline {ref('itc_max_cells')}.",
        "**The largest contiguous deposit decides; clusters are never summed:** clusters of "
        f"{', '.join(clusters[:-1])} and {clusters[-1]} mm are a micrometastasis (largest "
        f"{largest} mm), pN1mi(sn) {ref('largest_focus_rule')}.",
    ]
    staging = [
        "**ITC-only nodes are not counted as positive** (only as examined): ITC alone are pN0(i+) "
        f"{ref('itc_not_counted')}.",
        "**Micrometastases alone are pN1mi** (positive nodes, N1), however many; once a deposit "
        f"larger than {micro} mm is present they count as positive nodes "
        f"{ref('micro_only_pn1mi')}.",
        f"**With a deposit larger than {micro} mm:** pN1a 1 to {pn1a} positive axillary nodes; "
        f"pN2a {pn1a + 1} to {pn2a}; pN3a {pn2a + 1} or more, or any level III node "
        f"{ref('pn1a_max_nodes', 'pn2a_max_nodes')}.",
        f"**(sn)** after a sentinel node biopsy with fewer than {sn} nodes removed in all "
        f"{ref('sn_node_limit')}; **y** in front after neoadjuvant therapy, e.g. ypN0(i+)(sn).",
    ]
    missed = [
        f"Slices no thicker than {slice_mm} mm, one section each, cut every deposit larger than "
        f"{slice_mm} mm; smaller deposits can be missed {ref('slice_interval_mm')}.",
    ]
    parts = [
        "<!-- Generated by tools/make_guides.py from the evidence registry: do not edit by hand. "
        "-->",
        "# Lymph node micrometastases: the rules on one page",
        "**A teaching tool, not a clinical one: do not use it for decisions about any patient.** "
        "AJCC 8th edition rules; [n]: sources below.",
        "## Size the largest deposit in each node",
        "\n".join(table),
        _bullets(sizes),
        "## From the nodes to the pN stage",
        _bullets(staging),
        "## Why small deposits are missed",
        _bullets(missed),
        "## Sources",
        ref.markdown(),
    ]
    return "\n\n".join(parts) + "\n", ref.fact_ids


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------


def render(units: list[Unit] | None = None) -> dict[Path, str]:
    """Both documents, keyed by the path they are written to."""
    units = read_units() if units is None else units
    handout, _ids = render_handout()
    return {GUIDE_PATH: render_guide(units), HANDOUT_PATH: handout}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report stale files, write nothing")
    args = parser.parse_args(argv)
    stale = []
    for path, text in render().items():
        current = path.read_text("utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(path)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, "utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    if args.check and stale:
        print("out of date: " + ", ".join(str(p.relative_to(ROOT)) for p in stale))
        return 1
    if not stale:
        print("guides are up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
