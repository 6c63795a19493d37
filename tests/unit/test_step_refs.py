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


CHINESE_TITLES = ["免费上地图和点评平台", "扫码收款和线上收款", "在线预约页面"]


@pytest.mark.parametrize("text, expected", [
    ("详细说说第2步", 2),
    ("第二步要多少钱", 2),
    ("第 3 步呢", 3),
    ("第２步", 2),  # full-width digits
    ("第一个是什么意思", 1),
    ("第三条为什么", 3),
    ("步骤二", 2),
    ("第十二步", 12),  # past the end: the caller says how many steps there are
    ("最后一步怎么弄", 3),
    ("最后那个", 3),
    ("在线预约那个怎么弄", 3),  # by title: the pairs of characters it shares with one title
    ("扫码收款贵不贵", 2),
    ("地图那个呢", 1),
    ("这个呢", None),  # nothing named: the step talked about last
    ("地图还是收款那个", None),  # as close to step 1 as to step 2: no guess
    ("线上的那个", None),  # 线上 ("online") names no step
    ("我第一次用这种东西", None),  # 第一次 is "the first time", not a step
])
def test_a_step_is_named_in_chinese(text, expected):
    assert resolve_step(text, [], CHINESE_TITLES) == expected


def test_the_chinese_last_step_of_a_shorter_plan_is_its_own_last():
    assert resolve_step("最后一步", [], CHINESE_TITLES[:2]) == 2


def test_the_chinese_step_buttons_payload_names_its_step():
    from bot.advice.data import advice_data

    payload = advice_data("zh").replies.text("more_on_step", number=2)
    assert resolve_step(payload, [], CHINESE_TITLES) == 2
