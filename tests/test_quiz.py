"""Quiz questions give immediate feedback that explains why, and can be answered from code."""

import pytest

from micromet.quiz import Choice, MultipleChoice, NumericQuestion, Quiz


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


def _numeric():
    return NumericQuestion(
        "How many times wider is a 2 mm deposit than a 0.2 mm one?",
        10,
        tolerance=0.5,
        unit="times",
        why="2 / 0.2 = 10.",
    )


def test_numeric_question_accepts_within_tolerance_and_explains():
    q = _numeric()
    assert q.feedback == ""
    assert q.answer(10.4) is True
    assert "Correct." in q.feedback and "2 / 0.2 = 10." in q.feedback
    assert q.answer(12) is False
    assert "Too high." in q.feedback and "about 10 times" in q.feedback
    assert q.answer(3) is False and "Too low." in q.feedback


def test_numeric_question_check_button_submits_the_typed_value():
    q = _numeric()
    entry, button = q.widget.children[1].children
    entry.value = 10
    button.click()
    assert "Correct." in q.feedback


def test_numeric_question_refuses_a_negative_tolerance():
    with pytest.raises(ValueError, match="tolerance"):
        NumericQuestion("?", 1, tolerance=-1, unit="mm", why="")


def test_quiz_mixes_question_kinds():
    quiz = Quiz([_question(), _numeric()])
    assert quiz.questions[1].widget.children[0].value.startswith("<b>2.")
