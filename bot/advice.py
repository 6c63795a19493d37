"""The advice flow's core: profile from slot values, one-line read-back, plan and its text.

Plain Python over the project's data files; the Rasa actions only translate slots to
these calls and send what they return.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Mapping

from bot.catalogue import Catalogue, Step, load_catalogue
from bot.entity_patterns import EntityVocabulary, load_vocabulary
from bot.maturity import MaturityModel, load_maturity
from bot.money import Rates, load_rates
from bot.paths import DATA_DIR
from bot.profile_parsing import Budget, HeadCount
from bot.recommender import LEVEL_REASON, FirmProfile, Plan, PlannedStep, label, recommend, yearly_budget
from bot.replies import Replies, load_replies

UNKNOWN = "unknown"  # slot value for a question the user skipped
OTHER_INDUSTRY = "other"  # a trade the vocabulary has no word for
NO_TOOLS = "nothing"  # tool key for "we use nothing"


@dataclass(frozen=True)
class AdviceData:
    vocabulary: EntityVocabulary
    catalogue: Catalogue
    maturity: MaturityModel
    rates: Rates
    replies: Replies

    @classmethod
    def load(cls, data_dir: Path = DATA_DIR) -> "AdviceData":
        vocabulary = load_vocabulary(data_dir / "entities")
        return cls(
            vocabulary=vocabulary,
            catalogue=load_catalogue(data_dir / "catalogue" / "steps.yml", vocabulary),
            maturity=load_maturity(data_dir / "maturity.yml", vocabulary.values("tool")),
            rates=load_rates(data_dir / "currency_rates.yml"),
            replies=load_replies(data_dir / "advice" / "replies.yml"),
        )

    def display_currency(self, budget: Budget | None) -> str:
        currency = budget.currency if budget else None
        return currency if self.rates.knows(currency) else self.catalogue.currency

    def to_catalogue(self, amount: float, currency: str | None) -> float:
        source = currency if self.rates.knows(currency) else self.catalogue.currency
        return self.rates.convert(amount, source, self.catalogue.currency)

    def from_catalogue(self, amount: float, currency: str) -> str:
        return self.rates.format(self.rates.convert(amount, self.catalogue.currency, currency), currency)


@lru_cache(maxsize=1)
def advice_data() -> AdviceData:
    """The project's data, loaded once per process."""
    return AdviceData.load()


# --- slot values <-> core types -------------------------------------------------------

def head_count_to_slot(count: HeadCount) -> dict:
    return {"low": count.low, "high": count.high}


def budget_to_slot(budget: Budget) -> dict:
    return {"kind": budget.kind, "amount": budget.amount, "currency": budget.currency,
            "period": budget.period, "upper_bound": budget.upper_bound}


def budget_from_slot(value) -> Budget | None:
    if not isinstance(value, Mapping) or value.get("kind") not in ("amount", "none", "unknown"):
        return None
    return Budget(value["kind"], value.get("amount"), value.get("currency"), value.get("period"),
                  bool(value.get("upper_bound")))


def head_count_from_slot(value) -> int | None:
    if isinstance(value, Mapping) and isinstance(value.get("low"), int) and isinstance(value.get("high"), int):
        return HeadCount(value["low"], value["high"]).typical
    return None


def profile_from_slots(slots: Mapping) -> FirmProfile:
    tools = frozenset(t for t in (slots.get("tools") or []) if t not in (NO_TOOLS, UNKNOWN))
    industry = slots.get("industry")
    goal = slots.get("goal")
    return FirmProfile(
        industry=None if industry in (None, UNKNOWN) else industry,
        head_count=head_count_from_slot(slots.get("head_count")),
        budget=budget_from_slot(slots.get("budget")),
        tools=tools,
        goal=None if goal in (None, UNKNOWN) else goal,
    )


# --- what the user reads -------------------------------------------------------------

def summary(data: AdviceData, slots: Mapping) -> str:
    """One line: 'a food service firm of 8 people, up to $150 a month, using paper; goal: more customers'."""
    profile = profile_from_slots(slots)
    known = profile.industry not in (None, OTHER_INDUSTRY)
    parts = [_article(f"{label(profile.industry)} firm") if known else "a firm"]
    size = slots.get("head_count")
    if isinstance(size, Mapping) and size.get("low"):
        people = "just you" if size["high"] == 1 else (
            f"{size['low']} people" if size["low"] == size["high"] else f"{size['low']}-{size['high']} people")
        parts[0] += f" of {people}" if people != "just you" else ", just you"
    parts.append(budget_phrase(data, profile.budget, prefix=""))
    tools = [label(t) for t in sorted(profile.tools)]
    if tools:
        parts.append("using " + _and(tools))
    elif NO_TOOLS in (slots.get("tools") or []):
        parts.append("no digital tools yet")
    text = ", ".join(p for p in parts if p)
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


def cost_text(data: AdviceData, step: Step, currency: str) -> str:
    def span(low: float, high: float) -> str:
        if low == high:
            return data.from_catalogue(high, currency)
        if low == 0:
            return "up to " + data.from_catalogue(high, currency)
        return f"{data.from_catalogue(low, currency)}-{data.from_catalogue(high, currency)}"

    parts = []
    if step.monthly[1] > 0:
        parts.append(span(*step.monthly) + "/month")
    if step.one_off[1] > 0:
        parts.append(span(*step.one_off) + " once")
    return " + ".join(parts) if parts else "free"


def make_plan(data: AdviceData, slots: Mapping, exclude=frozenset(), max_step_cost: float | None = None) -> Plan:
    profile = profile_from_slots(slots)
    level = data.maturity.assess(profile.tools)
    budget = yearly_budget(profile.budget, data.to_catalogue)
    return recommend(profile, data.catalogue, level, budget, exclude=frozenset(exclude), max_step_cost=max_step_cost)


def render_plan(data: AdviceData, plan: Plan, budget: Budget | None) -> list[dict]:
    """The plan as chat messages: intro, one line per step, and the follow-up buttons."""
    replies, currency = data.replies, data.display_currency(budget)
    phrase = budget_phrase(data, budget)
    if not plan.steps:
        return [replies.render("plan_empty", budget_phrase=phrase)]
    lines = [replies.render("plan_intro", level=plan.level.one_line().rstrip("."), budget_phrase=phrase)["text"]]
    for number, planned in enumerate(plan.steps, start=1):
        lines.append(replies.render(
            "plan_step", number=number, slot=planned.slot.capitalize(), title=planned.step.title,
            cost=cost_text(data, planned.step, currency), reasons="; ".join(_line_reasons(planned)) or "a sound basic",
        )["text"])
    as_of = data.rates.as_of
    outro = replies.render("plan_outro", rates_date=f"{as_of.day} {as_of:%b %Y}")
    return [{"text": "\n".join(lines), "buttons": []}, outro]


def _line_reasons(planned: PlannedStep) -> list[str]:
    """The two strongest reasons for a plan line, leaving out the level the intro already gave."""
    return [reason for reason in planned.reasons if not reason.startswith(LEVEL_REASON)][:2]


def step_details(data: AdviceData, step: Step, budget: Budget | None) -> dict:
    return data.replies.render(
        "step_details", title=step.title, what=step.what, cost=cost_text(data, step, data.display_currency(budget)),
        weeks=weeks_text(step.weeks_to_first_result), effort=step.effort, tool_kinds=step.tool_kinds,
    )


def weeks_text(weeks: int) -> str:
    return "1 week" if weeks == 1 else f"{weeks} weeks"


def _article(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
