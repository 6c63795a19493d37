"""What the user reads in the advice flow: the one-line profile read-back, budget phrases,
step costs in the user's currency, and the plan as chat messages."""
import dataclasses
import datetime as dt

import pytest

from bot.advice.data import advice_data
from bot.advice.plan_text import budget_phrase, cost_text, render_plan, summary, weeks_text
from bot.advice.slots import make_plan
from bot.advice.catalogue import Step
from bot.advice.maturity import Level
from bot.advice.money import Rates
from bot.advice.profile_parsing import Budget
from bot.advice.recommender import Plan, PlannedStep, Reason
from bot.advice.replies import Replies

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
    assert budget_phrase(DATA, budget, prefix="") == in_summary


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

# Templates that show exactly what render_plan fills in.
TEMPLATES = Replies({
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
    assert (weeks_text(1), weeks_text(3)) == ("1 week", "3 weeks")
