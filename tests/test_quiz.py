"""Quiz questions give immediate feedback that explains why, and can be answered from code."""

import pytest

from micromet.quiz import Choice, MultipleChoice, Quiz


def _question():
    return MultipleChoice(
        "Exactly 2 mm is which category?",
        [
            Choice("ITC", False, "ITC stop at 0.2 mm."),
            Choice("Micrometastasis", True, "Not larger than 2 mm."),
        ],
    )


def test_feedback_is_empty_until_answered_then_explains():
    q = _question()
    assert q.feedback == ""
    assert q.answer(1) is True
    assert "Correct." in q.feedback and "Not larger than 2 mm." in q.feedback
    assert q.answer(0) is False
    assert "Not quite." in q.feedback and "ITC stop at 0.2 mm." in q.feedback


def test_a_question_needs_exactly_one_correct_choice():
    with pytest.raises(ValueError, match="exactly one correct"):
        MultipleChoice("?", [Choice("a", True, ""), Choice("b", True, "")])


def test_quiz_numbers_its_questions():
    quiz = Quiz([_question(), _question()])
    titles = [q.widget.children[0].value for q in quiz.questions]
    assert titles[0].startswith("<b>1.") and titles[1].startswith("<b>2.")
    assert "mm-quiz" in quiz.widget._dom_classes
