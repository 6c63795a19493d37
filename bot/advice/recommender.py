"""Ranks catalogue steps into a three-step plan (now, next, later) for one firm.

Pure and deterministic. Hard rules: the first-year cost of the whole plan stays within
the stated budget, nothing the firm already has is proposed, no step comes before its
prerequisites, no two steps put the same kind of tool in place. Within those rules
steps are scored on goal, industry, maturity, cost, effort and speed.

Each planned step carries its reasons as data (`Reason`); the words are reply data
(`reason_*` in data/advice/replies.yml), put together by bot.advice.plan_text.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from bot.advice.catalogue import Catalogue, Step
from bot.advice.maturity import Level, MaturityModel
from bot.advice.profile_parsing import Budget

SLOTS = ("now", "next", "later")  # each reads as its reply `slot_<slot>` (data/advice/replies.yml)
EFFORT_PENALTY = {"low": 0.0, "medium": 1.0, "high": 2.5}


@dataclass(frozen=True)
class FirmProfile:
    industry: str | None = None
    head_count: int | None = None
    budget: Budget | None = None
    tools: frozenset[str] = frozenset()
    goal: str | None = None


@dataclass(frozen=True)
class Reason:
    """One reason a step is in the plan: `kind` names the reply `reason_<kind>`, `value` fills it in."""

    kind: str  # serves_goal, lifts, made_for, builds_on, suits_level, little_effort, quick_results
    value: str | int | None = None
    before: int | None = None  # lifts: the dimension's score without the step, then with it
    after: int | None = None


# The plan's intro already names the level, so plan lines leave this reason out; "Why this?" keeps it.
LEVEL_REASON = "suits_level"


@dataclass(frozen=True)
class PlannedStep:
    step: Step
    slot: str
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Plan:
    steps: tuple[PlannedStep, ...]
    level: Level
    yearly_budget: float | None  # in the catalogue currency; None = no limit stated
    first_year_cost: float = field(default=0.0)
    head_count: int | None = None  # per-user prices are for this many people


def yearly_budget(budget: Budget | None, to_catalogue) -> float | None:
    """The budget for a year in catalogue currency; 0 for "no budget", None when unknown.

    `to_catalogue(amount, currency)` converts; a budget without a currency is taken to
    be in the catalogue currency.
    """
    if budget is None or budget.kind == "unknown":
        return None
    if budget.kind == "none":
        return 0.0
    monthly = budget.monthly()
    return None if monthly is None else to_catalogue(monthly * 12, budget.currency)


def recommend(
    profile: FirmProfile,
    catalogue: Catalogue,
    level: Level,
    budget_per_year: float | None,
    *,
    exclude: frozenset[str] = frozenset(),
    max_step_cost: float | None = None,
    size: int = 3,
    maturity: MaturityModel | None = None,
    keep: tuple[str, ...] = (),
) -> Plan:
    """The best plan under the hard rules; fewer than `size` steps if nothing else fits.

    `exclude` removes step ids (already rejected or owned); `max_step_cost` caps each
    step's first-year cost (used for "something cheaper"); `keep` are step ids that come first
    when the rules still allow them (steps under way after a progress check-in).
    """
    candidates = [
        s for s in catalogue.steps
        if s.id not in exclude
        and s.suits_industry(profile.industry)
        and not set(s.provides) & profile.tools
        and (max_step_cost is None or s.first_year_cost(profile.head_count) <= max_step_cost)
    ]
    ranked = sorted(candidates, key=lambda s: (-_score(s, profile, level, budget_per_year), s.id))
    chosen: list[Step] = []
    spent = 0.0
    for step in (s for s in candidates if s.id in keep):
        cost = step.first_year_cost(profile.head_count)
        if len(chosen) < size and _prerequisites_met(step, chosen, profile.tools, catalogue) and (
                budget_per_year is None or spent + cost <= budget_per_year):
            chosen.append(step)
            spent += cost
    progress = True
    while len(chosen) < size and progress:
        progress = False
        for step in ranked:
            if step in chosen or not _prerequisites_met(step, chosen, profile.tools, catalogue):
                continue
            if any(set(step.provides) & set(c.provides) for c in chosen):
                continue
            if budget_per_year is not None and spent + step.first_year_cost(profile.head_count) > budget_per_year:
                continue
            chosen.append(step)
            spent += step.first_year_cost(profile.head_count)
            progress = True
            break  # re-scan from the top: a new step may unlock a better-ranked one
    return plan_of(profile, catalogue, level, budget_per_year, chosen, maturity)


def plan_of(profile: FirmProfile, catalogue: Catalogue, level: Level, budget_per_year: float | None,
            steps: list[Step], maturity: MaturityModel | None = None) -> Plan:
    """The plan made of `steps` in this order, with the reasons `recommend` gives for them.

    For a plan that was given before: its stored steps, explained again, never chosen again. With
    the maturity model, a step's reasons say which dimension it lifts, after the steps before it.
    """
    planned = tuple(
        PlannedStep(step, slot, _reasons(step, profile, level, steps, catalogue, maturity))
        for step, slot in zip(steps, SLOTS)
    )
    cost = sum(step.first_year_cost(profile.head_count) for step in steps)
    return Plan(planned, level, budget_per_year, cost, profile.head_count)


def _prerequisites_met(step: Step, chosen: list[Step], tools: frozenset[str], catalogue: Catalogue) -> bool:
    for needed_id in step.prerequisites:
        needed = catalogue.get(needed_id)
        in_place = needed is not None and set(needed.provides) & tools
        if not in_place and needed not in chosen:
            return False
    return True


# What the score rewards is also what the reasons say: both use these two tests.
def _serves_goal(step: Step, profile: FirmProfile) -> bool:
    return bool(profile.goal) and profile.goal in step.goals


def _made_for(step: Step, profile: FirmProfile) -> bool:
    return bool(step.industries) and profile.industry in step.industries


def _score(step: Step, profile: FirmProfile, level: Level, budget: float | None) -> float:
    score = 0.0
    if _serves_goal(step, profile):
        score += 10
    if _made_for(step, profile):
        score += 4
    if level.number in step.maturity:
        score += 3
    elif level.number < min(step.maturity):
        score -= 3 * (min(step.maturity) - level.number)
    cost = step.first_year_cost(profile.head_count)
    # Cheaper is better, and matters more when money is tight or unknown.
    weight = 2.0 if budget is None or budget < 1200 else 1.0
    score -= weight * math.log10(1 + cost / 50)
    score -= EFFORT_PENALTY[step.effort]
    score -= 0.15 * step.weeks_to_first_result
    return score


def _reasons(step: Step, profile: FirmProfile, level: Level, chosen: list[Step], catalogue: Catalogue,
             maturity: MaturityModel | None) -> tuple[Reason, ...]:
    reasons = []
    if _serves_goal(step, profile):
        reasons.append(Reason("serves_goal", profile.goal))
    lift = _lift(step, profile, chosen, maturity)
    if lift is not None:
        reasons.append(lift)
    if _made_for(step, profile):
        reasons.append(Reason("made_for", profile.industry))
    for needed_id in step.prerequisites:
        needed = catalogue.get(needed_id)
        if needed in chosen:
            reasons.append(Reason("builds_on", chosen.index(needed) + 1))
    if level.number in step.maturity:
        reasons.append(Reason(LEVEL_REASON, level.name.split(" ")[0]))
    if step.effort == "low":
        reasons.append(Reason("little_effort"))
    if step.weeks_to_first_result <= 2:
        reasons.append(Reason("quick_results"))
    return tuple(reasons)


def _lift(step: Step, profile: FirmProfile, chosen: list[Step], maturity: MaturityModel | None) -> Reason | None:
    """'lifts customers and sales from 1 to 2': the dimension the step raises most, counting the
    firm's tools and what the plan's earlier steps put in place."""
    if maturity is None or step not in chosen:
        return None
    before = set(profile.tools).union(*(set(s.provides) for s in chosen[:chosen.index(step)]))
    found = maturity.biggest_lift(before, step.provides)
    if found is None:
        return None
    dimension, old, new = found
    return Reason("lifts", dimension.name, old, new)
