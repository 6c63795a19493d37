"""Which step a follow-up means, against the plan's own titles."""
import pytest

from bot.advice.step_refs import resolve_step

TITLES = ["Free map and review listing", "Online and QR payments", "Online booking page"]


@pytest.mark.parametrize("text, entities, expected", [
    ("tell me more about step 2", ["2"], 2),
    ("the second one", ["2"], 2),
    ("why #3?", [], 3),
    ("details on step 7", [], 7),  # past the end: the caller says how many steps there are
    ("what about step four", [], 4),
    ("and the fifth step?", [], 5),
    ("the 2nd one please", [], 2),
    ("the last one", ["3"], 3),
    ("more on the booking page", [], 3),
    ("how do the QR payments work", [], 2),
    ("map listing?", [], 1),
    ("tell me more", [], None),  # nothing named: the step talked about last
    ("that one", [], None),
    ("the online one", [], None),  # "online" is in two titles: no guess
    ("no one knows that", [], None),
    ("no. 2 please", [], 2),
    ("step ²", ["²"], None),
])
def test_a_step_is_named_by_number_position_or_title(text, entities, expected):
    assert resolve_step(text, entities, TITLES) == expected


def test_the_last_step_of_a_shorter_plan_is_its_own_last():
    assert resolve_step("the last step", ["3"], TITLES[:2]) == 2


def test_a_named_number_wins_over_title_words():
    assert resolve_step("is step 1 cheaper than the booking page?", ["1"], TITLES) == 1


def test_no_plan_no_title_match():
    assert resolve_step("the booking page", [], []) is None
