"""What the user reads about their firm and plan: the one-line read-back, budget phrases, costs,
the plan's messages, a step's details and the reasons behind each step.

Pure: AdviceData and slot values in, text and message dicts out. Fixed wording comes from
data/advice/replies.yml.
"""
from __future__ import annotations

from typing import Mapping

from bot.advice.catalogue import Step
from bot.advice.data import AdviceData
from bot.advice.profile_parsing import Budget
from bot.advice.recommender import LEVEL_REASON, Plan, PlannedStep, Reason
from bot.advice.replies import Replies
from bot.advice.slots import NO_TOOLS, OTHER_INDUSTRY, OWN_WORDS, profile_from_slots
from bot.names import Slots

# The placeholder each reason kind fills in; goal and industry keys are shown by their labels.
_REASON_FIELD = {"serves_goal": "goal", "made_for": "industry", "builds_on": "number", "suits_level": "level"}
_LABELLED = {"goal", "industry"}


def summary(data: AdviceData, slots: Mapping) -> str:
    """One line: 'a food service firm of 8 people, up to $150 a month, using paper; goal: more customers'."""
    profile, label = profile_from_slots(slots), data.replies.label
    known = profile.industry not in (None, OTHER_INDUSTRY)
    parts = [_article(f"{label(profile.industry)} firm") if known else "a firm"]
    size = slots.get(Slots.HEAD_COUNT)
    if isinstance(size, Mapping) and size.get("low"):
        people = "just you" if size["high"] == 1 else (
            f"{size['low']} people" if size["low"] == size["high"] else f"{size['low']}-{size['high']} people")
        parts[0] += f" of {people}" if people != "just you" else ", just you"
    parts.append(budget_phrase(data, profile.budget, prefix=""))
    tools = [label(t) for t in sorted(profile.tools)]
    if tools:
        parts.append("using " + _and(tools))
    elif NO_TOOLS in (slots.get(Slots.TOOLS) or []):
        parts.append("no digital tools yet")
    text = ", ".join(p for p in parts if p)
    if slots.get(Slots.GOAL) == OWN_WORDS and slots.get(Slots.GOAL_WORDS):
        return text + f'; goal, in your words: "{shortened(slots[Slots.GOAL_WORDS])}"'
    return text + (f"; goal: {label(profile.goal)}" if profile.goal else "")


def budget_phrase(data: AdviceData, budget: Budget | None, prefix: str = "within ") -> str:
    if budget is None or budget.kind == "unknown":
        return "budget open" if not prefix else "with low-cost options (budget open)"
    if budget.kind == "none":
        return "no budget" if not prefix else "with free options only"
    currency = data.display_currency(budget)
    amount = data.rates.format(budget.amount or 0, currency)
    per = "a year" if budget.period == "year" else "a month"
    if not prefix:
        prefix = "up to " if budget.upper_bound else "about "
    return f"{prefix}{amount} {per}"


def cost_text(data: AdviceData, step: Step, currency: str, head_count: int | None = None) -> str:
    """'up to $26/month', '$5-8/person/month (up to $80/month for 10)', '... + up to $50 once', 'free',
    each followed by the step's per-sale fee when it has one."""
    def span(low: float, high: float) -> str:
        if low == high:
            return data.from_catalogue(high, currency)
        if low == 0:
            return "up to " + data.from_catalogue(high, currency)
        return f"{data.from_catalogue(low, currency)}-{data.from_catalogue(high, currency)}"

    parts = []
    if step.monthly[1] > 0:
        people = step.users_paid_for(head_count)
        if step.per_user and people > 1:
            total = data.from_catalogue(step.monthly[1] * people, currency)
            parts.append(f"{span(*step.monthly)}/person/month (up to {total}/month for {people})")
        else:
            parts.append(span(*step.monthly) + ("/person/month" if step.per_user else "/month"))
    if step.one_off[1] > 0:
        parts.append(span(*step.one_off) + " once")
    text = " + ".join(parts) if parts else "free"
    return f"{text}, {step.fee_note}" if step.fee_note else text


def render_plan(data: AdviceData, plan: Plan, budget: Budget | None, currency: str | None = None) -> list[dict]:
    """The plan as chat messages: intro, one line per step, and the follow-up buttons.

    Costs are in `currency` (a stored plan's own), else in the budget's currency.
    """
    replies = data.replies
    currency = currency if data.rates.knows(currency) else data.display_currency(budget)
    phrase = budget_phrase(data, budget)
    if not plan.steps:
        return [replies.render("plan_empty", budget_phrase=phrase)]
    lines = [replies.text("plan_intro", level=plan.level.one_line().rstrip("."), budget_phrase=phrase)]
    for number, planned in enumerate(plan.steps, start=1):
        lines.append(replies.text(
            "plan_step", number=number, slot=planned.slot.capitalize(), title=planned.step.title,
            cost=cost_text(data, planned.step, currency, plan.head_count),
            reasons=reasons_text(replies, _line_reasons(planned)),
        ))
    as_of = data.rates.as_of
    outro = replies.render("plan_outro", rates_date=f"{as_of.day} {as_of:%b %Y}")
    return [{"text": "\n".join(lines), "buttons": []}, outro]


def _line_reasons(planned: PlannedStep) -> list[Reason]:
    """The two strongest reasons for a plan line, leaving out the level the intro already gave."""
    return [reason for reason in planned.reasons if reason.kind != LEVEL_REASON][:2]


def reason_text(replies: Replies, reason: Reason) -> str:
    """One reason in words, e.g. 'serves your goal: more customers'."""
    field = _REASON_FIELD.get(reason.kind)
    if field is None:
        return replies.text(f"reason_{reason.kind}")
    value = replies.label(str(reason.value)) if field in _LABELLED else reason.value
    return replies.text(f"reason_{reason.kind}", **{field: value})


def reasons_text(replies: Replies, reasons, separator: str = "; ") -> str:
    """Reasons joined in words; 'a sound basic' when there are none."""
    return separator.join(reason_text(replies, r) for r in reasons) or replies.text("reason_none")


def why_step_reasons(data: AdviceData, planned: PlannedStep) -> str:
    """Every reason the plan gives for a step; for a step it gives none, the goals the step serves."""
    if planned.reasons:
        return reasons_text(data.replies, planned.reasons, separator=", ")
    goals = ", ".join(data.replies.label(g) for g in planned.step.goals[:2])
    return data.replies.text("reason_step_goals", goals=goals)


def step_details(data: AdviceData, step: Step, budget: Budget | None, currency: str | None = None,
                 head_count: int | None = None) -> dict:
    currency = currency if data.rates.knows(currency) else data.display_currency(budget)
    return data.replies.render(
        "step_details", title=step.title, what=step.what, cost=cost_text(data, step, currency, head_count),
        weeks=weeks_text(step.weeks_to_first_result), effort=step.effort, tool_kinds=step.tool_kinds,
    )


def weeks_text(weeks: int) -> str:
    return "1 week" if weeks == 1 else f"{weeks} weeks"


def steps_text(count: int) -> str:
    return "no steps" if count == 0 else "1 step" if count == 1 else f"{count} steps"


def shortened(text: str, limit: int = 80) -> str:
    """One line of at most `limit` characters, cut with an ellipsis."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _article(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
