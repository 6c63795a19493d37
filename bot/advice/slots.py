"""Slot values <-> the advisor's types: the form's answers as a FirmProfile, and the plan for them.

Slots hold plain JSON (dicts, lists, strings) because Rasa stores them; the core works on
dataclasses. This module is the only place that knows both shapes.
"""
from __future__ import annotations

from typing import Mapping

from bot.advice.data import AdviceData
from bot.advice.profile_parsing import Budget, HeadCount
from bot.advice.recommender import FirmProfile, Plan, recommend, yearly_budget
from bot.names import Slots

UNKNOWN = "unknown"  # slot value for a question the user skipped
OTHER_INDUSTRY = "other"  # a trade the vocabulary has no word for
NO_TOOLS = "nothing"  # tool key for "we use nothing"
OWN_WORDS = "own_words"  # goal slot value when the goal is kept in the owner's words (goal_words)


def head_count_to_slot(count: HeadCount) -> dict:
    return {"low": count.low, "high": count.high}


def budget_to_slot(budget: Budget) -> dict:
    return {"kind": budget.kind, "amount": budget.amount, "currency": budget.currency,
            "period": budget.period, "upper_bound": budget.upper_bound}


def budget_from_slot(value) -> Budget | None:
    """The budget in a slot value; None for anything that is not one (a malformed value included)."""
    if not isinstance(value, Mapping) or value.get("kind") not in ("amount", "none", "unknown"):
        return None
    amount = value.get("amount")
    if amount is not None and (isinstance(amount, bool) or not isinstance(amount, (int, float))):
        return None
    currency, period = value.get("currency"), value.get("period")
    return Budget(value["kind"], amount, currency if isinstance(currency, str) else None,
                  period if isinstance(period, str) else None, bool(value.get("upper_bound")))


def head_count_from_slot(value) -> int | None:
    if isinstance(value, Mapping) and isinstance(value.get("low"), int) and isinstance(value.get("high"), int):
        return HeadCount(value["low"], value["high"]).typical
    return None


def profile_from_slots(slots: Mapping) -> FirmProfile:
    tools = frozenset(t for t in (slots.get(Slots.TOOLS) or []) if t not in (NO_TOOLS, UNKNOWN))
    industry = slots.get(Slots.INDUSTRY)
    goal = slots.get(Slots.GOAL)
    return FirmProfile(
        industry=None if industry in (None, UNKNOWN) else industry,
        head_count=head_count_from_slot(slots.get(Slots.HEAD_COUNT)),
        budget=budget_from_slot(slots.get(Slots.BUDGET)),
        tools=tools,
        goal=None if goal in (None, UNKNOWN, OWN_WORDS) else goal,
    )


def make_plan(data: AdviceData, slots: Mapping, exclude=frozenset(), max_step_cost: float | None = None,
              keep: tuple[str, ...] = ()) -> Plan:
    """The plan for the profile in `slots`, without the `exclude`d step ids, `keep`ing those under way."""
    profile = profile_from_slots(slots)
    level = data.maturity.assess(profile.tools)
    budget = yearly_budget(profile.budget, data.to_catalogue)
    return recommend(profile, data.catalogue, level, budget, exclude=frozenset(exclude), max_step_cost=max_step_cost,
                     maturity=data.maturity, keep=tuple(keep))
