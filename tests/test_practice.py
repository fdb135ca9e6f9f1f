"""Practice cases are seeded, staged by the engine, and scored with the deciding rule shown."""

from collections import Counter

import numpy as np
import pytest

from micromet.practice import CaseKind, SlideLabel, camelyon_stage, practice_case
from micromet.staging import stage_pn
from micromet.widgets.practice import PracticeSession


def test_the_same_number_gives_the_same_patient():
    assert practice_case(7) == practice_case(7)
    assert practice_case(7) != practice_case(8)
    assert practice_case(3, "camelyon").labels == practice_case(3, CaseKind.CAMELYON).labels


def test_cases_cover_the_common_rows_and_their_answers_come_from_stage_pn():
    categories = Counter(practice_case(i).stage.category for i in range(400))
    for row in ("pN0", "pN0(i+)", "pN1mi", "pN1a", "pN2a"):
        assert categories[row] > 0, row
    case = practice_case(11)
    assert str(case.stage) == str(
        stage_pn(
            case.nodes,
            neoadjuvant=case.neoadjuvant,
            im_clinically_positive=case.im_clinically_positive,
        )
    )


@pytest.mark.parametrize(
    ("labels", "stage"),
    [
        (["negative"] * 5, "pN0"),
        (["itc", "negative", "negative", "itc", "negative"], "pN0(i+)"),
        (["micro", "micro", "micro", "negative", "negative"], "pN1mi"),  # the CAMELYON17 example
        (["macro", "micro", "negative", "itc", "negative"], "pN1"),
        (["macro", "macro", "micro", "micro", "negative"], "pN2"),  # 2 macro + 2 micro
    ],
)
def test_camelyon_stage(labels, stage):
    assert camelyon_stage(labels) == stage


def test_camelyon_stage_needs_five_labels():
    with pytest.raises(ValueError, match="5 slide labels"):
        camelyon_stage([SlideLabel.MACRO])


@pytest.mark.parametrize(
    "seed, error", [(-1, ValueError), (1.5, TypeError), (True, TypeError), (None, TypeError)]
)
def test_bad_seed(seed, error):
    with pytest.raises(error, match="seed"):
        practice_case(seed)


def test_numpy_whole_numbers_are_seeds():
    assert practice_case(np.int64(7)) == practice_case(7)


def test_session_scores_first_answers_and_explains():
    session = PracticeSession(first_case=1)
    expected = session.expected
    wrong = next(c for c in session._choice.options if c != expected)
    assert session.answer(wrong) is False
    assert "Not quite" in session.feedback and expected in session.feedback
    assert session.answer(expected) is True  # a second try is shown but not scored
    assert (session.correct, session.answered) == (0, 1)
    session.next_case()
    assert session.feedback == "" and session.case_number == 2
    assert session.answer(session.expected) is True
    assert (session.correct, session.answered) == (1, 2)
    assert "Score: 1 of 2" in session._score.value


def test_session_refuses_an_unknown_category():
    with pytest.raises(ValueError, match="category must be one of"):
        PracticeSession().answer("pN9")


def test_camelyon_session_offers_the_challenge_categories():
    session = PracticeSession("camelyon")
    assert list(session._choice.options) == ["pN0", "pN0(i+)", "pN1mi", "pN1", "pN2"]
    assert session.answer(session.expected)
