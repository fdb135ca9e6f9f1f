"""Check-your-understanding questions as widgets, with immediate feedback that explains why."""

from __future__ import annotations

import html
from dataclasses import dataclass

import ipywidgets as w

from micromet.focus import focus_style

__all__ = ["Choice", "MultipleChoice", "NumericQuestion", "Quiz"]


@dataclass(frozen=True)
class Choice:
    """One answer option and the explanation shown when a learner picks it."""

    text: str
    correct: bool
    why: str


class MultipleChoice:
    """A question with one correct option; picking any option shows whether and why.

    ``answer(i)`` picks option ``i`` from code, exactly as a click would (tests use it).
    """

    def __init__(self, prompt: str, choices: list[Choice]):
        if sum(c.correct for c in choices) != 1:
            raise ValueError("a MultipleChoice question needs exactly one correct choice")
        self.prompt = prompt
        self.choices = list(choices)
        self._options = w.RadioButtons(
            options=[(c.text, i) for i, c in enumerate(self.choices)],
            value=None,
            layout=w.Layout(width="auto"),
        )
        self._feedback = w.HTML()
        self._feedback.add_class("mm-feedback")
        self._options.observe(self._show_feedback, names="value")
        self.widget = w.VBox(
            [w.HTML(f"<b>{html.escape(prompt)}</b>"), self._options, self._feedback]
        )
        self.widget.add_class("mm-question")

    def answer(self, index: int) -> bool:
        """Pick option ``index``; returns whether it is correct."""
        self._options.value = index
        return self.choices[index].correct

    @property
    def feedback(self) -> str:
        """The feedback now shown (HTML), empty before any answer."""
        return self._feedback.value

    def _show_feedback(self, change) -> None:
        if change["new"] is None:
            self._feedback.value = ""
            return
        choice = self.choices[change["new"]]
        self._feedback.value = _verdict_html(choice.correct, choice.why)

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def _verdict_html(correct: bool, why: str) -> str:
    colour = "#1b7837" if correct else "#a6611a"
    verdict = "Correct." if correct else "Not quite."
    return (
        f'<div style="border-left:4px solid {colour};padding-left:8px">'
        f"<b>{verdict}</b> {html.escape(why)}</div>"
    )


class NumericQuestion:
    """A question answered with a number, accepted within a tolerance; feedback explains why.

    ``answer(x)`` submits ``x`` from code, exactly as typing it and pressing Check would.
    """

    def __init__(self, prompt: str, answer: float, *, tolerance: float, unit: str, why: str):
        if tolerance < 0:
            raise ValueError(f"tolerance must be 0 or more, got {tolerance}")
        self.prompt = prompt
        self.correct_answer = answer
        self.tolerance = tolerance
        self.unit = unit
        self.why = why
        self._entry = w.FloatText(value=0.0, description=unit, layout=w.Layout(width="220px"))
        self._check = w.Button(description="Check", layout=w.Layout(width="80px"))
        self._check.on_click(lambda _button: self.answer(self._entry.value))
        self._feedback = w.HTML()
        self._feedback.add_class("mm-feedback")
        self.widget = w.VBox(
            [
                w.HTML(f"<b>{html.escape(prompt)}</b>"),
                w.HBox([self._entry, self._check]),
                self._feedback,
            ]
        )
        self.widget.add_class("mm-question")

    def answer(self, value: float) -> bool:
        """Submit ``value``; returns whether it is within the tolerance."""
        self._entry.value = value
        correct = abs(value - self.correct_answer) <= self.tolerance
        direction = (
            "" if correct else (" Too high." if value > self.correct_answer else " Too low.")
        )
        self._feedback.value = _verdict_html(
            correct,
            f"{direction.strip()} The answer is about {self.correct_answer:g} {self.unit}. "
            f"{self.why}".strip(),
        )
        return correct

    @property
    def feedback(self) -> str:
        """The feedback now shown (HTML), empty before any answer."""
        return self._feedback.value

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


class Quiz:
    """Several questions shown together, numbered."""

    def __init__(self, questions: list[MultipleChoice | NumericQuestion]):
        self.questions = list(questions)
        for number, question in enumerate(self.questions, start=1):
            title = question.widget.children[0]
            title.value = f"<b>{number}. {html.escape(question.prompt)}</b>"
        self.widget = w.VBox([*(q.widget for q in self.questions), focus_style()])
        self.widget.add_class("mm-quiz")

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)
