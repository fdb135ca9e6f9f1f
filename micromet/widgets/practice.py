"""Staging practice: seeded random patients, pick the stage, get the rule that decides it."""

from __future__ import annotations

import html

import ipywidgets as w

from micromet.focus import focus_style
from micromet.practice import CAMELYON_CATEGORIES, CaseKind, PracticeCase, camelyon_stage
from micromet.practice import practice_case as draw_case
from micromet.staging import PN_CATEGORIES, STATIONS


class PracticeSession:
    """One learner's run through seeded practice cases, with a running score.

    ``answer(category)`` checks an answer from code, exactly as choosing it and pressing Check.
    """

    def __init__(self, kind: CaseKind | str = CaseKind.NODES, first_case: int = 1):
        self.kind = CaseKind(kind)
        self.case_number = first_case
        self.correct = 0
        self.answered = 0
        options = (
            sorted(set(CAMELYON_CATEGORIES.values()), key=list(CAMELYON_CATEGORIES.values()).index)
            if self.kind is CaseKind.CAMELYON
            else [c for c in PN_CATEGORIES if c != "pNX"]
        )
        self._case = w.HTML()
        self._choice = w.Dropdown(options=options, value=None, description="Your stage")
        self._check = w.Button(description="Check", button_style="primary")
        self._next = w.Button(description="Next patient")
        self._feedback = w.HTML()
        self._feedback.add_class("mm-feedback")
        self._score = w.HTML()
        self._check.on_click(lambda _b: self._choice.value and self.answer(self._choice.value))
        self._next.on_click(lambda _b: self.next_case())
        self.widget = w.VBox(
            [
                self._case,
                w.HBox([self._choice, self._check, self._next]),
                self._feedback,
                self._score,
                focus_style(),
            ]
        )
        self.widget.add_class("mm-practice")
        self._show()

    @property
    def case(self) -> PracticeCase:
        """The patient now shown."""
        return draw_case(self.case_number, self.kind)

    @property
    def expected(self) -> str:
        """The category that answers the current case."""
        if self.kind is CaseKind.CAMELYON:
            return camelyon_stage(self.case.labels)
        return self.case.stage.category

    @property
    def feedback(self) -> str:
        """The feedback now shown (HTML), empty before an answer."""
        return self._feedback.value

    def answer(self, category: str) -> bool:
        """Check ``category`` against the current case; scores only the first answer to each."""
        if category not in self._choice.options:
            raise ValueError(f"category must be one of {', '.join(self._choice.options)}")
        self._choice.value = category
        right = category == self.expected
        if not self._scored:
            self._scored = True
            self.answered += 1
            self.correct += right
        stage = self.case.stage
        reasons = "".join(f"<li>{html.escape(r)}</li>" for r in stage.explanation)
        verdict = "Correct." if right else f"Not quite: the answer is <b>{self.expected}</b>."
        full = (
            f" (CAMELYON17 writes {stage.category} as {self.expected}.)"
            if self.kind is CaseKind.CAMELYON and stage.category != self.expected
            else ""
            if self.kind is CaseKind.CAMELYON
            else f" The full label is <b>{stage}</b>."
        )
        self._feedback.value = f"<p><b>{verdict}</b>{full}</p><ul>{reasons}</ul>"
        self._show_score()
        return right

    def next_case(self) -> None:
        """Move on to the next seeded patient."""
        self.case_number += 1
        self._show()

    def _show(self) -> None:
        self._scored = False
        self._choice.value = None
        self._feedback.value = ""
        self._case.value = _describe(self.case, self.case_number, self.kind)
        self._show_score()

    def _show_score(self) -> None:
        self._score.value = f"<p>Score: {self.correct} of {self.answered}</p>"

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def _describe(case: PracticeCase, number: int, kind: CaseKind) -> str:
    """The case as a pathology summary table."""
    if kind is CaseKind.CAMELYON:
        cells = "".join(
            f"<tr><td>{i}</td><td>{label.value}</td></tr>"
            for i, label in enumerate(case.labels, start=1)
        )
        return (
            f"<p><b>Patient {number}</b>: five axillary nodes, one slide label each "
            f"(CAMELYON17 style).</p><table><tr><th>node</th><th>slide label</th></tr>"
            f"{cells}</table>"
        )
    rows = []
    for i, node in enumerate(case.nodes, start=1):
        size = "none" if node.deposit_mm is None else f"{node.deposit_mm:g} mm"
        rows.append(
            f"<tr><td>{i}</td><td>{html.escape(STATIONS[node.station])}</td>"
            f"<td>{'yes' if node.sentinel else 'no'}</td><td>{size}</td></tr>"
        )
    notes = []
    if case.neoadjuvant:
        notes.append("Surgery followed neoadjuvant (pre-operative) therapy.")
    if case.im_clinically_positive:
        notes.append("Internal mammary nodes were seen on imaging before surgery.")
    return (
        f"<p><b>Patient {number}</b>: {len(case.nodes)} node{'s' if len(case.nodes) > 1 else ''} "
        "examined.</p>"
        "<table><tr><th>node</th><th>station</th><th>sentinel</th><th>largest deposit</th></tr>"
        f"{''.join(rows)}</table><p>{' '.join(notes)}</p>"
    )
