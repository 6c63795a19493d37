"""What the user reads about their firm and plan: the one-line read-back, budget phrases, costs,
the plan's messages, a step's details and the reasons behind each step.

Pure: AdviceData and slot values in, text and message dicts out, in the data's language. Every word
and every join (", " or "、") comes from data/advice/replies.yml; only English "a"/"an" is code.
"""
from __future__ import annotations

import datetime as dt
from typing import Mapping

from bot.advice.catalogue import Step
from bot.advice.data import AdviceData
from bot.advice.profile_parsing import Budget
from bot.advice.recommender import LEVEL_REASON, Plan, PlannedStep, Reason
from bot.advice.replies import Replies
from bot.advice.slots import NO_TOOLS, OTHER_INDUSTRY, OWN_WORDS, profile_from_slots
from bot.names import Slots
from bot.nlu.language import ENGLISH

# The placeholder each reason kind fills in; goal and industry keys are shown by their labels.
_REASON_FIELD = {"serves_goal": "goal", "made_for": "industry", "builds_on": "number", "suits_level": "level"}
_LABELLED = {"goal", "industry"}


def summary(data: AdviceData, slots: Mapping) -> str:
    """One line: 'a food service firm of 8 people, up to $150 a month, using paper; goal: more customers'
    (in Chinese '一家8人的餐饮企业，每月最多¥150，在用纸质记录；目标：吸引更多客户')."""
    profile, replies = profile_from_slots(slots), data.replies
    size = _size(slots.get(Slots.HEAD_COUNT))
    solo = size is not None and size[1] == 1
    parts = [_firm(data, profile.industry, "" if solo else people_text(replies, slots.get(Slots.HEAD_COUNT))),
             replies.text("just_you") if solo else "",
             budget_phrase(data, profile.budget, in_plan=False),
             _tools(replies, sorted(profile.tools), NO_TOOLS in (slots.get(Slots.TOOLS) or []))]
    text = replies.joined("comma", parts)
    if slots.get(Slots.GOAL) == OWN_WORDS and slots.get(Slots.GOAL_WORDS):
        return replies.text("summary_own_goal", summary=text, words=shortened(slots[Slots.GOAL_WORDS]))
    return replies.text("summary_goal", summary=text, goal=replies.label(profile.goal)) if profile.goal else text


def _tools(replies: Replies, tools: list[str], none: bool) -> str:
    """'using paper and spreadsheet', 'no digital tools yet' when the owner said so, else ''."""
    if tools:
        return replies.text("summary_tools", tools=replies.listed(replies.label(t) for t in tools))
    return replies.text("summary_no_tools") if none else ""


def _firm(data: AdviceData, industry: str | None, people: str) -> str:
    """'a food service firm of 8 people', 'a firm' (一家8人的餐饮企业, 一家企业); `people` may be ''."""
    replies = data.replies
    sized = {"people": people} if people else {}
    if industry in (None, OTHER_INDUSTRY):
        firm = replies.text("summary_any_firm_of" if people else "summary_any_firm", **sized)
    else:
        firm = replies.text("summary_firm_of" if people else "summary_firm", industry=replies.label(industry), **sized)
    return _article(firm) if data.language == ENGLISH else firm


def _size(head_count: object) -> tuple[int, int] | None:
    """(fewest, most) people of a head_count slot value; None when it holds no usable count."""
    if not isinstance(head_count, Mapping) or not isinstance(head_count.get("low"), int) or head_count["low"] < 1:
        return None
    high = head_count.get("high")
    return head_count["low"], high if isinstance(high, int) else head_count["low"]


def people_text(replies: Replies, head_count: object) -> str:
    """'8 people', '2-9 people', 'just you' (8人, 就您一个人) for a head_count slot value; '' without one."""
    size = _size(head_count)
    if size is None:
        return ""
    low, high = size
    if high == 1:
        return replies.text("just_you")
    return replies.text("people", count=low if low == high else f"{low}-{high}")


def budget_phrase(data: AdviceData, budget: Budget | None, in_plan: bool = True) -> str:
    """The budget in words: in the plan 'within $150 a month', 'with free options only' (in Chinese
    before a noun: 每月¥150以内, 只用免费工具); read back (not in_plan) 'up to $150 a month', 'no budget'."""
    replies = data.replies
    if budget is None or budget.kind == "unknown":
        return replies.text("budget_low_cost" if in_plan else "budget_open")
    if budget.kind == "none":
        return replies.text("budget_free_only" if in_plan else "budget_none")
    amount = data.rates.format(budget.amount or 0, data.display_currency(budget))
    per = replies.text("per_year" if budget.period == "year" else "per_month")
    key = "budget_within" if in_plan else "budget_up_to" if budget.upper_bound else "budget_about"
    return replies.text(key, amount=amount, per=per)


def cost_text(data: AdviceData, step: Step, currency: str, head_count: int | None = None) -> str:
    """'up to $26/month', '$5-8/person/month (up to $80/month for 10)', '... + up to $50 once', 'free',
    each followed by the step's per-sale fee when it has one."""
    replies = data.replies

    def money(amount: float) -> str:
        return data.from_catalogue(amount, currency)

    def span(low: float, high: float) -> str:
        if low == high:
            return money(high)
        if low == 0:
            return replies.text("cost_up_to", amount=money(high))
        return f"{money(low)}-{money(high)}"

    parts = []
    if step.monthly[1] > 0:
        people = step.users_paid_for(head_count)
        if step.per_user and people > 1:
            parts.append(replies.text("cost_per_person_for", amount=span(*step.monthly),
                                      total=money(step.monthly[1] * people), people=people))
        else:
            key = "cost_per_person" if step.per_user else "cost_monthly"
            parts.append(replies.text(key, amount=span(*step.monthly)))
    if step.one_off[1] > 0:
        parts.append(replies.text("cost_once", amount=span(*step.one_off)))
    text = replies.joined("cost_plus", parts) or replies.text("cost_free")
    return replies.joined("comma", [text, step.fee_note])


def render_plan(data: AdviceData, plan: Plan, budget: Budget | None, currency: str | None = None) -> list[dict]:
    """The plan as chat messages: intro, one line per step, and the follow-up buttons.

    Costs are in `currency` (a stored plan's own), else in the budget's currency.
    """
    replies = data.replies
    currency = currency if data.rates.knows(currency) else data.display_currency(budget)
    phrase = budget_phrase(data, budget)
    if not plan.steps:
        return [replies.render("plan_empty", budget_phrase=phrase)]
    lines = [replies.text("plan_intro", level=plan.level.one_line(replies), budget_phrase=phrase)]
    for number, planned in enumerate(plan.steps, start=1):
        lines.append(replies.text(
            "plan_step", number=number, slot=replies.text(f"slot_{planned.slot}"), title=planned.step.title,
            cost=cost_text(data, planned.step, currency, plan.head_count),
            reasons=reasons_text(replies, _line_reasons(planned)),
        ))
    outro = replies.render("plan_outro", rates_date=date_text(replies, data.rates.as_of))
    return [{"text": "\n".join(lines), "buttons": []}, outro]


def _line_reasons(planned: PlannedStep) -> list[Reason]:
    """The two strongest reasons for a plan line, leaving out the level the intro already gave."""
    return [reason for reason in planned.reasons if reason.kind != LEVEL_REASON][:2]


def reason_text(replies: Replies, reason: Reason) -> str:
    """One reason in words, e.g. 'serves your goal: more customers'."""
    if reason.kind == "lifts":  # 'lifts customers and sales from 1 to 2'
        name = str(reason.value)
        name = name[:1].lower() + name[1:]  # mid-sentence in English; Chinese has no case
        return replies.text("reason_lifts", dimension=name, before=reason.before, after=reason.after)
    field = _REASON_FIELD.get(reason.kind)
    if field is None:
        return replies.text(f"reason_{reason.kind}")
    value = replies.label(str(reason.value)) if field in _LABELLED else reason.value
    return replies.text(f"reason_{reason.kind}", **{field: value})


def reasons_text(replies: Replies, reasons, join: str = "semicolon") -> str:
    """Reasons joined by the reply `join`; 'a sound basic' when there are none."""
    return replies.joined(join, (reason_text(replies, r) for r in reasons)) or replies.text("reason_none")


def why_step_reasons(data: AdviceData, planned: PlannedStep) -> str:
    """Every reason the plan gives for a step; for a step it gives none, the goals the step serves."""
    if planned.reasons:
        return reasons_text(data.replies, planned.reasons, join="list_comma")
    goals = data.replies.joined("list_comma", (data.replies.label(g) for g in planned.step.goals[:2]))
    return data.replies.text("reason_step_goals", goals=goals)


def step_details(data: AdviceData, step: Step, budget: Budget | None, currency: str | None = None,
                 head_count: int | None = None) -> dict:
    currency = currency if data.rates.knows(currency) else data.display_currency(budget)
    return data.replies.render(
        "step_details", title=step.title, what=step.what, cost=cost_text(data, step, currency, head_count),
        weeks=weeks_text(data.replies, step.weeks_to_first_result), effort=data.replies.text(f"effort_{step.effort}"),
        tool_kinds=step.tool_kinds,
    )


def weeks_text(replies: Replies, weeks: int) -> str:
    """'1 week', '3 weeks' (1周, 3周)."""
    return replies.text("weeks_one") if weeks == 1 else replies.text("weeks_many", count=weeks)


def steps_text(replies: Replies, count: int) -> str:
    """'no steps', '1 step', '3 steps' (0步, 1步, 3步)."""
    if count in (0, 1):
        return replies.text("steps_none" if count == 0 else "steps_one")
    return replies.text("steps_many", count=count)


def date_text(replies: Replies, day: dt.date) -> str:
    """'5 Mar 2025' (2025年3月5日): the month's name from the replies, whatever the machine's locale."""
    month = replies.text("month_names").split()[day.month - 1]
    return replies.text("date", day=day.day, month=month, year=day.year)


def shortened(text: str, limit: int = 80) -> str:
    """One line of at most `limit` characters, cut with an ellipsis."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _article(noun: str) -> str:
    """English 'a' or 'an' before a noun: grammar that no template can say (the Chinese says 一家 itself)."""
    return ("an " if noun[:1] in "aeiou" else "a ") + noun
