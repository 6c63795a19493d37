"""What the user reads in the advice flow: the one-line profile read-back, budget phrases,
step costs in the user's currency, and the plan as chat messages."""
import dataclasses
import datetime as dt
import re

import pytest

from bot.advice.data import advice_data
from bot.advice.plan_text import (budget_phrase, cost_text, date_text, render_plan, step_details, steps_text, summary,
                                  weeks_text)
from bot.advice.slots import budget_from_slot, make_plan
from bot.advice.catalogue import EFFORTS, Step
from bot.advice.maturity import Level
from bot.advice.money import Rates
from bot.advice.profile_parsing import Budget
from bot.advice.recommender import SLOTS, Plan, PlannedStep, Reason
from bot.advice.replies import Replies
from bot.nlu.language import has_han

# The project's data with a pinned rate table, so amounts and the date do not move when rates are updated.
RATES = Rates(
    base="USD", as_of=dt.date(2025, 11, 1),
    per_base={"USD": 1.0, "EUR": 0.87, "GBP": 0.76, "CNY": 7.12, "JPY": 153.0, "INR": 88.7},
    symbols={"USD": "$", "EUR": "€", "GBP": "£", "CNY": "¥", "INR": "₹"},
)
DATA = dataclasses.replace(advice_data(), rates=RATES)


def budget_slot(kind="amount", amount=None, currency=None, period=None, upper_bound=False):
    return {"kind": kind, "amount": amount, "currency": currency, "period": period, "upper_bound": upper_bound}


SKIPPED = {"industry": "unknown", "head_count": "unknown", "budget": budget_slot("unknown"),
           "tools": ["unknown"], "goal": "unknown"}


# ----------------------------------------------------------------------- summary

def test_summary_of_a_full_profile():
    slots = {"industry": "food_service", "head_count": {"low": 8, "high": 8},
             "budget": budget_slot(amount=150, currency="USD", period="month", upper_bound=True),
             "tools": ["paper"], "goal": "more_customers"}
    assert summary(DATA, slots) == "a food service firm of 8 people, up to $150 a month, using paper; goal: more customers"


def test_summary_with_a_size_range_a_yearly_budget_and_several_tools():
    slots = {"industry": "agriculture", "head_count": {"low": 2, "high": 9},
             "budget": budget_slot(amount=20_000, currency="CNY", period="year"),
             "tools": ["spreadsheet", "paper", "messaging_app"], "goal": "save_time"}
    assert summary(DATA, slots) == (
        "an agriculture firm of 2-9 people, about ¥20,000 a year, using messaging app, paper and spreadsheet; "
        "goal: save time")


def test_summary_of_a_one_person_firm_with_no_budget_and_no_tools():
    slots = {"industry": "beauty_and_wellness", "head_count": {"low": 1, "high": 1},
             "budget": budget_slot("none"), "tools": ["nothing"], "goal": None}
    assert summary(DATA, slots) == "a beauty and wellness firm, just you, no budget, no digital tools yet"


def test_summary_when_every_question_was_skipped():
    assert summary(DATA, SKIPPED) == "a firm, budget open"


def test_summary_of_empty_slots():
    assert summary(DATA, {}) == "a firm, budget open"


def test_summary_of_an_industry_we_have_no_word_for_reads_naturally():
    assert not summary(DATA, {"industry": "other"}).startswith("an other firm")


# ----------------------------------------------------------------------- budget_phrase

@pytest.mark.parametrize(
    "budget, in_plan, in_summary",
    [
        (Budget("amount", 100, "EUR", "month"), "within €100 a month", "about €100 a month"),
        (Budget("amount", 50, "GBP", None, upper_bound=True), "within £50 a month", "up to £50 a month"),
        (Budget("amount", 20_000, "JPY", "year"), "within JPY 20,000 a year", "about JPY 20,000 a year"),
        (Budget("amount", 80, None, "month"), "within $80 a month", "about $80 a month"),  # catalogue currency
        (Budget("none", None, None, None), "with free options only", "no budget"),
        (Budget("unknown", None, None, None), "with low-cost options (budget open)", "budget open"),
        (None, "with low-cost options (budget open)", "budget open"),
    ],
)
def test_budget_phrase(budget, in_plan, in_summary):
    assert budget_phrase(DATA, budget) == in_plan
    assert budget_phrase(DATA, budget, in_plan=False) == in_summary


# ----------------------------------------------------------------------- cost_text

def make_step(step_id="task_board", *, one_off=(0.0, 0.0), monthly=(0.0, 0.0), title=None) -> Step:
    return Step(
        id=step_id, title=title or step_id.replace("_", " ").capitalize(), what="What it is.", why="Why it helps.",
        industries=(), goals=("save_time",), maturity=(1, 2), one_off=one_off, monthly=monthly,
        weeks_to_first_result=1, effort="low", prerequisites=(), provides=(step_id,), tool_kinds="apps",
    )


@pytest.mark.parametrize(
    "one_off, monthly, currency, text",
    [
        ((0, 0), (0, 0), "USD", "free"),
        ((0, 0), (0, 20), "USD", "up to $20/month"),
        ((0, 0), (15, 150), "USD", "$15-$150/month"),
        ((0, 0), (30, 30), "USD", "$30/month"),
        ((0, 400), (0, 0), "USD", "up to $400 once"),
        ((200, 200), (0, 0), "USD", "$200 once"),
        ((200, 2000), (0, 100), "USD", "up to $100/month + $200-$2,000 once"),
        ((0, 200), (0, 40), "EUR", "up to €35/month + up to €170 once"),  # 34.8 and 174 euros
        ((0, 200), (0, 30), "CNY", "up to ¥210/month + up to ¥1,400 once"),  # 213.6 and 1,424 yuan
        ((0, 0), (0, 20), "JPY", "up to JPY 3,100/month"),  # 3,060 yen
        ((0, 0), (0, 0), "JPY", "free"),
    ],
)
def test_cost_text(one_off, monthly, currency, text):
    assert cost_text(DATA, make_step(one_off=one_off, monthly=monthly), currency) == text


@pytest.mark.parametrize("head_count, text", [
    (None, "up to $6/person/month"),
    (1, "up to $6/person/month"),
    (12, "up to $6/person/month (up to $72/month for 12)"),
])
def test_a_per_person_price_shows_what_the_whole_firm_pays(head_count, text):
    step = dataclasses.replace(make_step(monthly=(0.0, 6.0)), per_user=True)
    assert cost_text(DATA, step, "USD", head_count) == text
    assert step.first_year_cost(head_count) == 12 * 6 * (head_count or 1)


def test_a_per_sale_fee_is_shown_next_to_the_cost():
    step = dataclasses.replace(make_step(monthly=(0.0, 10.0)), fee_note="plus about 3% per sale")
    assert cost_text(DATA, step, "USD") == "up to $10/month, plus about 3% per sale"
    free = dataclasses.replace(make_step(), fee_note="plus a fee per booking")
    assert cost_text(DATA, free, "USD") == "free, plus a fee per booking"


# ----------------------------------------------------------------------- render_plan

LEVEL = Level(2, "L2 One area digital", "one part of the business runs on a digital system")
PLAN = Plan(
    steps=(
        PlannedStep(make_step("map_listing", title="Free map listing"), "now",
                    (Reason("serves_goal", "more_customers"), Reason("suits_level", "L2"), Reason("little_effort"))),
        PlannedStep(make_step("booking", title="Online booking page", monthly=(0.0, 30.0)), "next",
                    (Reason("serves_goal", "more_customers"),)),
        PlannedStep(make_step("website", title="Simple website", one_off=(0.0, 1000.0)), "later", ()),
    ),
    level=LEVEL, yearly_budget=1379.0, first_year_cost=1360.0,
)
EUR_100 = Budget("amount", 100, "EUR", "month")

# Templates that show exactly what render_plan fills in (the words it puts together are the project's).
TEMPLATES = Replies({
    **DATA.replies.entries,
    "plan_intro": {"text": "intro|{level}|{budget_phrase}"},
    "plan_step": {"text": "{number}|{slot}|{title}|{cost}|{reasons}"},
    "plan_outro": {"text": "outro|{rates_date}", "buttons": [{"title": "Why this?", "payload": "/ask_why"}]},
    "plan_empty": {"text": "empty|{budget_phrase}"},
    "reason_serves_goal": {"text": "goal={goal}"},
    "reason_suits_level": {"text": "level={level}"},
    "reason_little_effort": {"text": "easy"},
    "reason_none": {"text": "basic"},
}, labels={"more_customers": "more customers"})


def test_render_plan_fills_intro_numbered_steps_and_outro():
    data = dataclasses.replace(DATA, replies=TEMPLATES)
    plan_message, outro = render_plan(data, PLAN, EUR_100)
    assert plan_message == {"text": "\n".join([
        "intro|L2 One area digital: one part of the business runs on a digital system|within €100 a month",
        "1|Now|Free map listing|free|goal=more customers; easy",
        "2|Next|Online booking page|up to €26/month|goal=more customers",
        "3|Later|Simple website|up to €870 once|basic",
    ]), "buttons": []}
    assert outro == {"text": "outro|1 Nov 2025", "buttons": [{"title": "Why this?", "payload": "/ask_why"}]}


def test_render_empty_plan_gives_only_the_plan_empty_reply():
    data = dataclasses.replace(DATA, replies=TEMPLATES)
    empty = dataclasses.replace(PLAN, steps=())
    assert render_plan(data, empty, Budget("none", None, None, None)) == [
        {"text": "empty|with free options only", "buttons": []}]


def test_render_plan_with_the_project_replies():
    plan_message, outro = render_plan(DATA, PLAN, EUR_100)
    text = plan_message["text"]
    assert "L2 One area digital: one part of the business runs on a digital system" in text
    assert "within €100 a month" in text
    lines = text.split("\n")
    steps = [line for line in lines if line[:2] in ("1.", "2.", "3.")]
    assert [line[:2] for line in steps] == ["1.", "2.", "3."]
    for line, title in zip(steps, ["Free map listing", "Online booking page", "Simple website"]):
        assert title in line
    assert "serves your goal: more customers; little effort" in steps[0]  # the level is in the intro already
    assert steps[2].endswith("a sound basic.")
    assert "1 Nov 2025" in outro["text"]
    assert outro["buttons"] == DATA.replies.entries["plan_outro"]["buttons"]
    assert len(outro["buttons"]) >= 3


def test_render_empty_plan_with_the_project_replies():
    messages = render_plan(DATA, dataclasses.replace(PLAN, steps=()), EUR_100)
    assert len(messages) == 1
    assert "within €100 a month" in messages[0]["text"]
    assert messages[0] == DATA.replies.render("plan_empty", budget_phrase="within €100 a month")


def test_make_plan_and_render_for_a_salon_end_to_end():
    slots = {"industry": "beauty_and_wellness", "head_count": {"low": 1, "high": 1},
             "budget": budget_slot(amount=100, currency="EUR", period="month"),
             "tools": ["paper", "social_media"], "goal": "more_customers"}
    plan = make_plan(DATA, slots)
    plan_message, outro = render_plan(DATA, plan, EUR_100)
    assert plan.level.name in plan_message["text"]
    for planned in plan.steps:
        assert planned.step.title in plan_message["text"]
    assert "$" not in plan_message["text"]  # every amount is shown in euros
    assert outro["buttons"]


def test_weeks_read_as_words_not_week_s():
    assert (weeks_text(DATA.replies, 1), weeks_text(DATA.replies, 3)) == ("1 week", "3 weeks")


# ----------------------------------------------------------------------- in Chinese

ZH = dataclasses.replace(advice_data("zh"), rates=RATES)
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def product_names(data) -> set[str]:
    """The Latin words of the Chinese catalogue's titles (CRM, App, MES ...): the only ones a Chinese plan may hold."""
    return {word for step in data.catalogue.steps for word in LATIN_WORD.findall(step.title)}


def test_a_chinese_summary_reads_naturally_and_holds_no_english():
    slots = {"industry": "food_service", "head_count": {"low": 8, "high": 8},
             "budget": budget_slot(amount=2000, currency="CNY", period="month", upper_bound=True),
             "tools": ["paper", "spreadsheet"], "goal": "more_customers"}
    text = summary(ZH, slots)
    assert text == "一家8人的餐饮企业，每月最多¥2,000，在用纸质记录和电子表格；目标：吸引更多客户"
    assert not LATIN_WORD.search(text)


@pytest.mark.parametrize("slots, text", [
    ({"industry": "beauty_and_wellness", "head_count": {"low": 1, "high": 1}, "budget": budget_slot("none"),
      "tools": ["nothing"]}, "一家美容美发和健身企业，就您一个人，没有预算，还没用数字化工具"),
    ({"industry": "other", "head_count": {"low": 2, "high": 9}, "goal": "own_words", "goal_words": "门口停车太难"},
     "一家2-9人的企业，预算未定；目标（您的原话）：“门口停车太难”"),
    ({"tools": ["paper", "spreadsheet", "messaging_app"]}, "一家企业，预算未定，在用微信等聊天软件、纸质记录和电子表格"),
    ({}, "一家企业，预算未定"),
])
def test_chinese_summaries_of_other_profiles(slots, text):
    assert summary(ZH, slots) == text


@pytest.mark.parametrize("budget, in_plan, in_summary", [
    (Budget("amount", 1500, "CNY", "month"), "每月¥1,500以内", "每月约¥1,500"),
    (Budget("amount", 20_000, None, "year", upper_bound=True), "每年¥20,000以内", "每年最多¥20,000"),  # yuan
    (Budget("amount", 100, "EUR", "month"), "每月€100以内", "每月约€100"),  # the currency the owner named
    (Budget("none", None, None, None), "只用免费工具", "没有预算"),
    (None, "以低成本为主（预算未定）", "预算未定"),
])
def test_a_chinese_budget_phrase_goes_before_a_noun(budget, in_plan, in_summary):
    assert (budget_phrase(ZH, budget), budget_phrase(ZH, budget, in_plan=False)) == (in_plan, in_summary)
    assert ZH.replies.text("plan_intro", level="x", budget_phrase=budget_phrase(ZH, budget)).endswith(
        f"下面是{in_plan}的入门方案：")


@pytest.mark.parametrize("one_off, monthly, text", [
    ((0, 0), (0, 0), "免费"),
    ((0, 0), (0, 20), "每月最多¥140"),
    ((0, 0), (15, 150), "每月¥110-¥1,100"),
    ((200, 200), (0, 0), "一次性¥1,400"),
    ((0, 200), (0, 30), "每月最多¥210，另加一次性最多¥1,400"),
])
def test_a_chinese_cost(one_off, monthly, text):
    assert cost_text(ZH, make_step(one_off=one_off, monthly=monthly), "CNY") == text


def test_a_chinese_cost_per_person_and_with_a_fee():
    step = dataclasses.replace(make_step(monthly=(0.0, 6.0)), per_user=True)
    assert cost_text(ZH, step, "CNY", 12) == "每人每月最多¥43（12人合计每月最多¥510）"
    assert cost_text(ZH, dataclasses.replace(make_step(), fee_note="每笔另收手续费"), "CNY") == "免费，每笔另收手续费"


def test_a_chinese_plan_holds_no_english_apart_from_product_names():
    slots = {"industry": "food_service", "head_count": {"low": 8, "high": 8},
             "budget": budget_slot(amount=2000, currency="CNY", period="month"), "tools": ["paper"],
             "goal": "more_customers"}
    plan = make_plan(ZH, slots)
    plan_message, outro = render_plan(ZH, plan, budget_from_slot(slots["budget"]))
    lines = plan_message["text"].split("\n")
    assert lines[0] == f"您目前的数字化水平：{plan.level.name}（{plan.level.meaning}）。"
    assert lines[1] == "下面是每月¥2,000以内的入门方案："
    assert [line[:6] for line in lines[2:]] == ["1. 现在：", "2. 接下来", "3. 以后："]
    assert set(LATIN_WORD.findall(plan_message["text"])) <= product_names(ZH)
    assert outro["text"] == "以上金额都是估算（按2025年11月1日的汇率换算）。"


def test_chinese_step_details_weeks_and_step_counts():
    details = step_details(ZH, make_step(monthly=(0.0, 20.0)), Budget("amount", 1000, "CNY", "month"))["text"]
    assert "费用：每月最多¥140。大约1周能看到初步效果；投入精力：低。" in details
    assert [weeks_text(ZH.replies, n) for n in (1, 3)] == ["1周", "3周"]
    assert [steps_text(ZH.replies, n) for n in (0, 1, 3)] == ["0步", "1步", "3步"]
    assert [steps_text(DATA.replies, n) for n in (0, 1, 3)] == ["no steps", "1 step", "3 steps"]


@pytest.mark.parametrize("day, english, chinese", [
    (dt.date(2025, 3, 5), "5 Mar 2025", "2025年3月5日"),
    (dt.date(2026, 12, 31), "31 Dec 2026", "2026年12月31日"),
])
def test_the_rates_date_in_each_language(day, english, chinese):
    assert (date_text(DATA.replies, day), date_text(ZH.replies, day)) == (english, chinese)


def test_every_plan_slot_and_effort_has_words_in_each_language():
    for slot in SLOTS:
        assert ZH.replies.text(f"slot_{slot}") and DATA.replies.text(f"slot_{slot}") == slot.capitalize()
    for effort in EFFORTS:
        assert has_han(ZH.replies.text(f"effort_{effort}")) and DATA.replies.text(f"effort_{effort}") == effort
