"""The plan as it was given: the record every follow-up reads, and the next record a follow-up makes.

A PlanRecord holds what a plan is (its step ids in order, the maturity level, the currency it was
shown in) and what it was made from: the profile (the advice form's slot values) and the
constraints ("something cheaper" caps, steps ruled out, tools the firm said it owns). "Show my
plan", "why this?" and "details on step 2" explain the record's own steps again; nothing is chosen
anew. "Something cheaper" and "I already have that" make the next record from the last one; the
store keeps every version. Pure: no Rasa, no I/O.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Mapping

from bot.advice.catalogue import Step
from bot.advice.data import AdviceData
from bot.advice.recommender import Plan, plan_of, yearly_budget
from bot.advice.slots import make_plan, profile_from_slots
from bot.names import Slots

PROFILE_SLOTS = (Slots.INDUSTRY, Slots.HEAD_COUNT, Slots.BUDGET, Slots.TOOLS, Slots.GOAL, Slots.GOAL_WORDS)
# What made a version: the form's answers, "something cheaper", "I already have that", a progress check-in.
MADE, CHEAPER, OWNED, PROGRESS = "made", "cheaper", "owned", "progress"


@dataclass(frozen=True)
class Constraints:
    excluded: tuple[str, ...] = ()  # step ids ruled out
    owned_tools: tuple[str, ...] = ()  # tool keys the firm named after the questions
    max_step_cost: float | None = None  # each step's first-year cost stays below this
    kept: tuple[str, ...] = ()  # step ids under way at the last check-in: they stay first while they fit

    def to_dict(self) -> dict:
        return {"excluded": list(self.excluded), "owned_tools": list(self.owned_tools),
                "max_step_cost": self.max_step_cost, "kept": list(self.kept)}

    @classmethod
    def from_dict(cls, value: Any) -> "Constraints":
        value = value if isinstance(value, Mapping) else {}
        cap = value.get("max_step_cost")
        return cls(_strings(value.get("excluded")), _strings(value.get("owned_tools")),
                   float(cap) if isinstance(cap, (int, float)) and not isinstance(cap, bool) else None,
                   _strings(value.get("kept")))


@dataclass(frozen=True)
class PlanRecord:
    step_ids: tuple[str, ...]
    profile: Mapping[str, Any]  # the advice form's slot values the plan was made for
    constraints: Constraints
    level: int
    currency: str
    change: str = MADE
    version: int | None = None  # 1, 2, ... once stored
    created_at: str | None = None
    language: str = "en"  # the conversation's language when it was made: the plan file's, by default

    def to_dict(self) -> dict:
        """Plain JSON for a slot and for the store."""
        return {"step_ids": list(self.step_ids), "profile": dict(self.profile),
                "constraints": self.constraints.to_dict(), "level": self.level, "currency": self.currency,
                "change": self.change, "version": self.version, "created_at": self.created_at,
                "language": self.language}

    @classmethod
    def from_dict(cls, value: Any) -> "PlanRecord | None":
        """The record in a slot value or a stored plan; None when there is none or it is unreadable."""
        if not isinstance(value, Mapping) or not isinstance(value.get("step_ids"), list):
            return None
        level = value.get("level")
        return cls(
            step_ids=_strings(value["step_ids"]),
            profile=dict(value.get("profile") or {}) if isinstance(value.get("profile"), Mapping) else {},
            constraints=Constraints.from_dict(value.get("constraints")),
            level=level if isinstance(level, int) and not isinstance(level, bool) else 1,
            currency=value.get("currency") if isinstance(value.get("currency"), str) else "",
            change=value.get("change") if isinstance(value.get("change"), str) else MADE,
            version=value.get("version") if isinstance(value.get("version"), int) else None,
            created_at=value.get("created_at") if isinstance(value.get("created_at"), str) else None,
            language=value.get("language") if isinstance(value.get("language"), str) else "en",
        )

    def stored_as(self, saved: Mapping[str, Any]) -> "PlanRecord":
        """This record with the version and time the store gave it."""
        return replace(self, version=saved.get("version"), created_at=saved.get("created_at"))

    def profile_row(self) -> dict:
        """The profile as the store's profiles table keeps it."""
        profile = profile_from_slots(self.profile)
        size = self.profile.get(Slots.HEAD_COUNT)
        size = size if isinstance(size, Mapping) else {}
        budget = profile.budget
        return {
            "industry": _text(profile.industry), "goal": _text(profile.goal),
            "tools": sorted(t for t in profile.tools if isinstance(t, str)),
            "head_count_low": _whole(size.get("low")), "head_count_high": _whole(size.get("high")),
            "budget_kind": budget.kind if budget else None, "budget_amount": budget.amount if budget else None,
            "budget_currency": budget.currency if budget else None, "budget_period": budget.period if budget else None,
        }


def profile_from_row(row: Mapping[str, Any] | None) -> dict:
    """The advice form's slot values from a stored profile row (for plans saved before records had one)."""
    if not row:
        return {}
    low, high = row.get("head_count_low"), row.get("head_count_high")
    budget = None
    if row.get("budget_kind"):
        budget = {"kind": row["budget_kind"], "amount": row.get("budget_amount"), "currency": row.get("budget_currency"),
                  "period": row.get("budget_period"), "upper_bound": False}
    return {Slots.INDUSTRY: row.get("industry"), Slots.GOAL: row.get("goal"), Slots.TOOLS: row.get("tools") or [],
            Slots.HEAD_COUNT: {"low": low, "high": high} if isinstance(low, int) and isinstance(high, int) else None,
            Slots.BUDGET: budget}


def steps_of(data: AdviceData, record: PlanRecord) -> list[Step]:
    """The record's steps that the catalogue still has, in the record's order."""
    return [step for step in (data.catalogue.get(i) for i in record.step_ids) if step is not None]


def new_record(data: AdviceData, profile_slots: Mapping[str, Any], constraints: Constraints = Constraints(),
               change: str = MADE) -> tuple[Plan, PlanRecord]:
    """Choose a plan for the profile under the constraints, and the record of it."""
    profile = {slot: profile_slots[slot] for slot in PROFILE_SLOTS if profile_slots.get(slot) is not None}
    plan = make_plan(data, _with_owned_tools(profile, constraints), exclude=frozenset(constraints.excluded),
                     max_step_cost=constraints.max_step_cost, keep=constraints.kept)
    record = PlanRecord(tuple(p.step.id for p in plan.steps), profile, constraints, plan.level.number,
                        data.display_currency(profile_from_slots(profile).budget), change, language=data.language)
    return plan, record


def plan_from_record(data: AdviceData, record: PlanRecord) -> Plan:
    """The plan that was given: the record's steps in its order, with the reasons they were given for.

    A step the catalogue no longer has is left out rather than replaced.
    """
    profile = profile_from_slots(_with_owned_tools(record.profile, record.constraints))
    level = data.maturity.levels.get(record.level) or data.maturity.assess(profile.tools)
    return plan_of(profile, data.catalogue, level, yearly_budget(profile.budget, data.to_catalogue),
                   steps_of(data, record), data.maturity)


def cheaper(data: AdviceData, record: PlanRecord) -> tuple[Plan, PlanRecord] | None:
    """The next plan without the record's priciest paid step, every step cheaper than it; None if all are free."""
    people = profile_from_slots(record.profile).head_count
    paid = [step for step in steps_of(data, record) if step.first_year_cost(people) > 0]
    if not paid:
        return None
    priciest = max(paid, key=lambda step: (step.first_year_cost(people), step.id))
    cap = priciest.first_year_cost(people) - 0.01
    if record.constraints.max_step_cost is not None:
        cap = min(cap, record.constraints.max_step_cost)
    constraints = replace(record.constraints, excluded=record.constraints.excluded + (priciest.id,), max_step_cost=cap)
    return new_record(data, record.profile, constraints, CHEAPER)


def without_step(data: AdviceData, record: PlanRecord, step: Step) -> tuple[Plan, PlanRecord]:
    """The next plan once the firm has `step`: it and the tools it puts in place are taken as owned."""
    constraints = replace(record.constraints, excluded=record.constraints.excluded + (step.id,),
                          owned_tools=union(record.constraints.owned_tools, step.provides))
    return new_record(data, record.profile, constraints, OWNED)


def with_tools(data: AdviceData, record: PlanRecord, tools) -> tuple[Plan, PlanRecord]:
    """The next plan once the firm says it already uses `tools` (tool keys)."""
    constraints = replace(record.constraints, owned_tools=union(record.constraints.owned_tools, tools))
    return new_record(data, record.profile, constraints, OWNED)


def firm_tools(record: PlanRecord) -> frozenset[str]:
    """The tools the firm has by this record: those it named, and those of the steps it has done or owns."""
    return profile_from_slots(_with_owned_tools(record.profile, record.constraints)).tools


def _with_owned_tools(profile: Mapping[str, Any], constraints: Constraints) -> dict:
    tools = [t for t in (profile.get(Slots.TOOLS) or []) if isinstance(t, str)]
    return {**profile, Slots.TOOLS: union(tools, constraints.owned_tools)} if constraints.owned_tools else dict(profile)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _whole(value: Any) -> int | None:
    return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and value == int(value) else None


def union(first, second) -> tuple[str, ...]:
    """Both sequences' items, once each, in order of first appearance."""
    return tuple(dict.fromkeys([*first, *second]))


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, (list, tuple)) else ()
