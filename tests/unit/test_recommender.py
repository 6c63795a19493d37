"""The recommender: budgets per year, the four personas of the product brief, the hard rules
on a tiny hand-made catalogue, and the same hard rules as properties over the project catalogue."""
import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.advice.data import advice_data
from bot.advice.slots import budget_from_slot, make_plan, profile_from_slots
from bot.advice.catalogue import Catalogue, Step
from bot.advice.maturity import Level
from bot.advice.profile_parsing import Budget
from bot.advice.recommender import FirmProfile, Reason, recommend, yearly_budget

DATA = advice_data()
CATALOGUE = DATA.catalogue


def values(entity: str) -> list[str]:
    return sorted({p.value for p in DATA.vocabulary.phrases if p.entity == entity})


# ----------------------------------------------------------------------- yearly_budget

def to_catalogue(amount, currency):
    """A stand-in converter: 2 catalogue units per EUR; no currency means catalogue currency."""
    return amount * {"EUR": 2.0, None: 1.0}[currency]


@pytest.mark.parametrize(
    "budget, expected",
    [
        (None, None),
        (Budget("unknown", None, None, None), None),
        (Budget("none", None, None, None), 0.0),
        (Budget("amount", 100, None, "month"), 1200.0),
        (Budget("amount", 100, None, None), 1200.0),  # no period counts as monthly
        (Budget("amount", 1200, None, "year"), 1200.0),
        (Budget("amount", 100, "EUR", "month"), 2400.0),
        (Budget("amount", 0, "EUR", "month"), 0.0),
        (Budget("amount", None, "EUR", "month"), None),  # an amount we could not read is no limit
    ],
)
def test_yearly_budget(budget, expected):
    assert yearly_budget(budget, to_catalogue) == expected


def test_yearly_budget_with_the_project_rates():
    budget = Budget("amount", 20_000, "CNY", "year")
    assert yearly_budget(budget, DATA.to_catalogue) == pytest.approx(20_000 / DATA.rates.per_base["CNY"])


# ----------------------------------------------------------------------- personas from the product brief

def amount(value, currency, period):
    return {"kind": "amount", "amount": value, "currency": currency, "period": period, "upper_bound": False}


UNKNOWN_BUDGET = {"kind": "unknown", "amount": None, "currency": None, "period": None, "upper_bound": False}

PERSONAS = {
    "one-person hair salon": {
        "industry": "beauty_and_wellness", "head_count": {"low": 1, "high": 1},
        "budget": amount(100, "EUR", "month"), "tools": ["paper", "social_media"], "goal": "more_customers"},
    "40-person furniture maker": {
        "industry": "manufacturing", "head_count": {"low": 40, "high": 40},
        "budget": amount(500, "USD", "month"), "tools": ["spreadsheet", "erp"], "goal": "less_downtime"},
    "two-person law office": {
        "industry": "professional_services", "head_count": {"low": 2, "high": 2},
        "budget": UNKNOWN_BUDGET, "tools": ["email"], "goal": "save_time"},
    "fruit orchard": {
        "industry": "agriculture", "head_count": "unknown",
        "budget": amount(20_000, "CNY", "year"), "tools": ["paper", "messaging_app"], "goal": "more_customers"},
}


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_persona_gets_three_steps_within_budget_serving_the_goal_first(persona):
    slots = PERSONAS[persona]
    plan = make_plan(DATA, slots)
    budget = yearly_budget(budget_from_slot(slots["budget"]), DATA.to_catalogue)
    steps = [p.step for p in plan.steps]
    assert len(steps) == 3
    assert [p.slot for p in plan.steps] == ["now", "next", "later"]
    if budget is not None:
        assert sum(s.first_year_cost() for s in steps) <= budget
    assert slots["goal"] in steps[0].goals
    assert plan.steps[0].reasons[0] == Reason("serves_goal", slots["goal"])
    assert all(s.suits_industry(slots["industry"]) for s in steps)
    assert not any(set(s.provides) & set(slots["tools"]) for s in steps)


def test_persona_budgets_in_catalogue_dollars():
    salon, furniture, law, orchard = (budget_from_slot(p["budget"]) for p in PERSONAS.values())
    assert yearly_budget(salon, DATA.to_catalogue) == pytest.approx(1200 / DATA.rates.per_base["EUR"])
    assert yearly_budget(furniture, DATA.to_catalogue) == 6000
    assert yearly_budget(law, DATA.to_catalogue) is None
    assert yearly_budget(orchard, DATA.to_catalogue) == pytest.approx(20_000 / DATA.rates.per_base["CNY"])


def test_furniture_maker_with_an_erp_is_at_level_3_and_gets_no_second_erp():
    plan = make_plan(DATA, PERSONAS["40-person furniture maker"])
    assert plan.level.number == 3
    assert all("erp" not in p.step.provides for p in plan.steps)


def test_salon_with_paper_and_social_media_is_at_level_1():
    assert make_plan(DATA, PERSONAS["one-person hair salon"]).level.number == 1


# ----------------------------------------------------------------------- hard rules on a hand-made catalogue

LEVEL_1 = Level(1, "L1 Starting out", "paper only")


def step(step_id, *, goals=("save_time",), industries=(), one_off=(0.0, 0.0), monthly=(0.0, 0.0),
         prerequisites=(), provides=None, effort="low", weeks=1, maturity=(1, 2)) -> Step:
    return Step(
        id=step_id, title=step_id.replace("_", " "), what="what", why="why", industries=tuple(industries),
        goals=tuple(goals), maturity=tuple(maturity), one_off=one_off, monthly=monthly,
        weeks_to_first_result=weeks, effort=effort, prerequisites=tuple(prerequisites),
        provides=tuple(provides if provides is not None else (step_id + "_tool",)), tool_kinds="apps",
    )


def plan_ids(steps, profile=FirmProfile(goal="save_time"), budget=None, **options):
    plan = recommend(profile, Catalogue("USD", tuple(steps)), LEVEL_1, budget, **options)
    return [p.step.id for p in plan.steps]


def test_a_step_waits_for_its_prerequisite_and_says_it_builds_on_it():
    base = step("base", goals=("security",))  # ranks lower: it does not serve the goal
    advanced = step("advanced", prerequisites=("base",))
    plan = recommend(FirmProfile(goal="save_time"), Catalogue("USD", (advanced, base)), LEVEL_1, None)
    assert [p.step.id for p in plan.steps] == ["base", "advanced"]
    assert Reason("builds_on", 1) in plan.steps[1].reasons


def test_a_prerequisite_the_firm_already_has_is_not_proposed_again():
    base = step("base", goals=("security",), provides=("accounting_software", "e_invoicing"))
    advanced = step("advanced", prerequisites=("base",))
    profile = FirmProfile(goal="save_time", tools=frozenset({"e_invoicing"}))
    assert plan_ids([base, advanced], profile) == ["advanced"]


def test_an_excluded_prerequisite_blocks_the_steps_that_need_it():
    base = step("base")
    advanced = step("advanced", prerequisites=("base",))
    assert plan_ids([base, advanced], exclude=frozenset({"base"})) == []


def test_two_steps_never_put_the_same_kind_of_tool_in_place():
    booking = step("booking", provides=("booking_system",))
    booking_plus = step("booking_plus", provides=("booking_system", "crm"))
    other = step("other", weeks=3)
    assert plan_ids([booking, booking_plus, other]) == ["booking", "other"]


def test_the_budget_leaves_out_a_step_that_would_overrun_it():
    pricey = step("pricey", monthly=(0.0, 100.0))  # 1,200 a year
    cheap = step("cheap", goals=("security",), monthly=(0.0, 50.0))  # 600 a year
    assert plan_ids([pricey, cheap], budget=1199.0) == ["cheap"]
    assert plan_ids([pricey, cheap], budget=1200.0) == ["pricey"]
    assert plan_ids([pricey, cheap], budget=1800.0) == ["pricey", "cheap"]


def test_the_plan_reports_its_first_year_cost_and_budget():
    a = step("a", one_off=(0.0, 100.0), monthly=(5.0, 10.0))
    b = step("b", goals=("security",), one_off=(20.0, 20.0))
    plan = recommend(FirmProfile(goal="save_time"), Catalogue("USD", (a, b)), LEVEL_1, 1000.0)
    assert plan.first_year_cost == 100 + 12 * 10 + 20
    assert plan.yearly_budget == 1000.0


def test_goal_then_industry_decide_the_order_and_ties_go_by_id():
    assert plan_ids([step("zeta"), step("alpha"), step("other_goal", goals=("security",))]) == [
        "alpha", "zeta", "other_goal"]
    retail = FirmProfile(industry="retail", goal="save_time")
    assert plan_ids([step("general"), step("for_shops", industries=("retail",)),
                     step("for_farms", industries=("agriculture",))], retail) == ["for_shops", "general"]


def test_fewer_than_three_steps_when_nothing_else_fits():
    assert plan_ids([step("only")]) == ["only"]
    assert plan_ids([]) == []


def test_size_option_sets_the_number_of_steps():
    assert plan_ids([step(f"s{i}") for i in range(5)], size=2) == ["s0", "s1"]


# ----------------------------------------------------------------------- properties over the project catalogue

INDUSTRIES = values("industry")
GOALS = values("goal")
TOOLS = values("tool")
CURRENCIES = values("currency")
STEP_IDS = sorted(s.id for s in CATALOGUE.steps)


@st.composite
def budget_slots(draw):
    kind = draw(st.sampled_from(["amount", "amount", "none", "unknown", None]))
    if kind is None:
        return None
    if kind != "amount":
        return {"kind": kind, "amount": None, "currency": None, "period": None, "upper_bound": False}
    return {
        "kind": "amount",
        "amount": draw(st.one_of(st.integers(0, 100_000), st.floats(0, 100_000, allow_nan=False))),
        "currency": draw(st.sampled_from(CURRENCIES + [None])),
        "period": draw(st.sampled_from(["month", "year", None])),
        "upper_bound": draw(st.booleans()),
    }


SLOTS = st.fixed_dictionaries({
    "industry": st.sampled_from(INDUSTRIES + [None]),
    "goal": st.sampled_from(GOALS + [None]),
    "tools": st.sets(st.sampled_from(TOOLS)).map(sorted),
    "budget": budget_slots(),
})
EXCLUDE = st.frozensets(st.sampled_from(STEP_IDS), max_size=10)
MAX_STEP_COST = st.one_of(st.none(), st.floats(0, 10_000, allow_nan=False))
PROPERTY = settings(max_examples=200, deadline=None)


def the_budget(slots):
    return yearly_budget(budget_from_slot(slots["budget"]), DATA.to_catalogue)


@PROPERTY
@given(SLOTS)
def test_plan_never_costs_more_than_the_yearly_budget(slots):
    plan = make_plan(DATA, slots)
    budget = the_budget(slots)
    total = sum(p.step.first_year_cost() for p in plan.steps)
    assert plan.first_year_cost == pytest.approx(total)
    assert plan.yearly_budget == budget
    if budget is not None:
        assert total <= budget + 1e-9


@PROPERTY
@given(SLOTS)
def test_plan_has_at_most_three_distinct_steps_in_slot_order(slots):
    plan = make_plan(DATA, slots)
    ids = [p.step.id for p in plan.steps]
    assert len(ids) == len(set(ids)) <= 3
    assert [p.slot for p in plan.steps] == ["now", "next", "later"][:len(ids)]


@PROPERTY
@given(SLOTS)
def test_plan_proposes_no_tool_the_firm_has_and_no_tool_twice(slots):
    owned = profile_from_slots(slots).tools
    plan = make_plan(DATA, slots)
    provided = [tool for p in plan.steps for tool in p.step.provides]
    assert not set(provided) & owned
    assert len(provided) == len(set(provided))


@PROPERTY
@given(SLOTS)
def test_every_prerequisite_is_owned_or_earlier_in_the_plan(slots):
    owned = profile_from_slots(slots).tools
    plan = make_plan(DATA, slots)
    for index, planned in enumerate(plan.steps):
        earlier = [p.step.id for p in plan.steps[:index]]
        for needed_id in planned.step.prerequisites:
            needed = CATALOGUE.get(needed_id)
            assert set(needed.provides) & owned or needed_id in earlier, (planned.step.id, needed_id)


@PROPERTY
@given(SLOTS)
def test_every_step_suits_the_industry(slots):
    plan = make_plan(DATA, slots)
    for planned in plan.steps:
        assert not planned.step.industries or slots["industry"] in planned.step.industries


@PROPERTY
@given(SLOTS, st.randoms(use_true_random=False))
def test_same_input_same_plan_whatever_the_catalogue_order(slots, rng):
    first = make_plan(DATA, slots)
    assert make_plan(DATA, slots) == first
    profile = profile_from_slots(slots)
    shuffled = list(CATALOGUE.steps)
    rng.shuffle(shuffled)
    again = recommend(profile, Catalogue(CATALOGUE.currency, tuple(shuffled)), first.level, the_budget(slots),
                      maturity=DATA.maturity)
    assert again == first


@PROPERTY
@given(SLOTS)
def test_no_budget_gives_only_free_steps(slots):
    slots = {**slots, "budget": {"kind": "none", "amount": None, "currency": None, "period": None, "upper_bound": False}}
    plan = make_plan(DATA, slots)
    assert all(p.step.first_year_cost() == 0 for p in plan.steps)
    assert plan.first_year_cost == 0


@PROPERTY
@given(SLOTS, EXCLUDE)
def test_excluded_steps_are_never_proposed(slots, exclude):
    plan = make_plan(DATA, slots, exclude=exclude)
    assert not {p.step.id for p in plan.steps} & exclude


@PROPERTY
@given(SLOTS, MAX_STEP_COST)
def test_no_step_costs_more_than_max_step_cost(slots, max_step_cost):
    plan = make_plan(DATA, slots, max_step_cost=max_step_cost)
    if max_step_cost is not None:
        assert all(p.step.first_year_cost() <= max_step_cost for p in plan.steps)



def test_a_per_person_price_counts_every_person_against_the_budget():
    seats = dataclasses.replace(step("office_suite", monthly=(0.0, 10.0)), per_user=True)
    cheap = step("sheet", monthly=(0.0, 0.0), goals=("security",))
    catalogue = Catalogue("USD", (seats, cheap))
    solo = recommend(FirmProfile(goal="save_time", head_count=1), catalogue, LEVEL_1, 600.0)
    forty = recommend(FirmProfile(goal="save_time", head_count=40), catalogue, LEVEL_1, 600.0)
    assert [p.step.id for p in solo.steps] == ["office_suite", "sheet"] and solo.first_year_cost == 120
    assert [p.step.id for p in forty.steps] == ["sheet"]  # 40 x $10 x 12 is over the budget
