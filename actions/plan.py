"""The plan and its follow-ups: make it, show it, explain a step, go cheaper, drop what they own."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.memory import remember
from bot.advice.catalogue import Step
from bot.advice.data import AdviceData, advice_data
from bot.advice.plan_text import render_plan, step_details, why_step_reasons
from bot.advice.recommender import Plan
from bot.advice.slots import NO_TOOLS, budget_from_slot, make_plan, profile_from_slots
from bot.names import Actions, Entities, Slots


def _step_number(tracker: Tracker) -> int:
    """The step the user names, else the one discussed last ("that"), else step 1."""
    numbers = [e["value"] for e in tracker.latest_message.get("entities", []) if e.get("entity") == Entities.STEP_NUMBER]
    if numbers and str(numbers[-1]).isdigit():
        return int(numbers[-1])
    return int(tracker.get_slot(Slots.FOCUS_STEP) or 1)


def _plan_step(data: AdviceData, tracker: Tracker, number: int) -> Optional[Step]:
    ids = tracker.get_slot(Slots.PLAN_STEPS) or []
    return data.catalogue.get(ids[number - 1]) if 0 < number <= len(ids) else None


async def _send_plan(dispatcher: CollectingDispatcher, tracker: Tracker, slots: Dict[str, Any],
                     excluded: List[str], intro: Optional[dict] = None, max_step_cost: Optional[float] = None,
                     save: bool = True) -> List[EventType]:
    """Plan from `slots`, send it, save profile and plan, and return the slot updates."""
    data = advice_data()
    plan = make_plan(data, slots, exclude=frozenset(excluded), max_step_cost=max_step_cost)
    messages = ([intro] if intro else []) + render_plan(data, plan, budget_from_slot(slots.get(Slots.BUDGET)))
    for message in messages:
        dispatcher.utter_message(**message)
    if save:
        await _save(tracker.sender_id, slots, plan, messages)
    return [SlotSet(Slots.PLAN_STEPS, [p.step.id for p in plan.steps]), SlotSet(Slots.EXCLUDED_STEPS, excluded)]


async def _save(sender_id: str, slots: Dict[str, Any], plan: Plan, messages: List[dict]) -> None:
    profile = profile_from_slots(slots)
    size = slots.get(Slots.HEAD_COUNT) if isinstance(slots.get(Slots.HEAD_COUNT), dict) else {}
    budget = profile.budget
    record = {
        "industry": profile.industry, "goal": profile.goal, "tools": sorted(profile.tools),
        "head_count_low": size.get("low"), "head_count_high": size.get("high"),
        "budget_kind": budget.kind if budget else None, "budget_amount": budget.amount if budget else None,
        "budget_currency": budget.currency if budget else None, "budget_period": budget.period if budget else None,
    }
    payload = {"level": plan.level.number, "step_ids": [p.step.id for p in plan.steps],
               "currency": advice_data().display_currency(budget), "messages": messages}
    await remember(lambda store: store.asave_profile(sender_id, record))
    await remember(lambda store: store.asave_plan(sender_id, payload))


class ActionMakePlan(Action):
    def name(self) -> Text:
        return Actions.MAKE_PLAN

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        return await _send_plan(dispatcher, tracker, dict(tracker.slots), tracker.get_slot(Slots.EXCLUDED_STEPS) or [])


class ActionShowPlan(Action):
    def name(self) -> Text:
        return Actions.SHOW_PLAN

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if tracker.get_slot(Slots.PLAN_STEPS):
            return await _send_plan(dispatcher, tracker, dict(tracker.slots),
                                    tracker.get_slot(Slots.EXCLUDED_STEPS) or [], save=False)
        saved = await remember(lambda store: store.alatest_plan(tracker.sender_id))
        if saved and saved.get("messages"):
            for message in saved["messages"]:
                dispatcher.utter_message(text=message.get("text"), buttons=message.get("buttons") or [])
            return [SlotSet(Slots.PLAN_STEPS, saved.get("step_ids") or [])]
        dispatcher.utter_message(**advice_data().replies.render("no_plan_yet"))
        return []


class StepFollowUp:
    """Mixin for follow-ups about one step of the plan ("step 2"; step 1 when none is named).

    A mixin, not an Action subclass: rasa-sdk registers every Action subclass it finds.
    """

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        data = advice_data()
        number = _step_number(tracker)
        step = _plan_step(data, tracker, number) or _plan_step(data, tracker, 1)
        if step is None:
            dispatcher.utter_message(**data.replies.render("no_plan_yet"))
            return []
        number = min(number, len(tracker.get_slot(Slots.PLAN_STEPS)))
        return [SlotSet(Slots.FOCUS_STEP, number), *await self.about(dispatcher, tracker, data, step, number)]

    async def about(self, dispatcher, tracker, data: AdviceData, step: Step, number: int) -> List[EventType]:
        raise NotImplementedError


class ActionExplainStep(StepFollowUp, Action):
    def name(self) -> Text:
        return Actions.EXPLAIN_STEP

    async def about(self, dispatcher, tracker, data, step, number):
        plan = make_plan(data, tracker.slots, exclude=frozenset(tracker.get_slot(Slots.EXCLUDED_STEPS) or []))
        dispatcher.utter_message(**data.replies.render("why_step", number=number, title=step.title, why=step.why,
                                                       reasons=why_step_reasons(data, plan, step)))
        return []


class ActionStepDetails(StepFollowUp, Action):
    def name(self) -> Text:
        return Actions.STEP_DETAILS

    async def about(self, dispatcher, tracker, data, step, number):
        dispatcher.utter_message(**step_details(data, step, budget_from_slot(tracker.get_slot(Slots.BUDGET))))
        return []


class ActionAlreadyHave(StepFollowUp, Action):
    """Drops the step they already have and everything it provides, then re-plans."""

    def name(self) -> Text:
        return Actions.ALREADY_HAVE

    async def about(self, dispatcher, tracker, data, step, number):
        named_tools = set(tracker.get_latest_entity_values(Entities.TOOL)) - {NO_TOOLS}
        named_step = any(e.get("entity") == Entities.STEP_NUMBER for e in tracker.latest_message.get("entities", []))
        slots = dict(tracker.slots)
        if named_tools and not named_step:
            # "we already use a POS": a tool, which may rule out a step or not
            owned, title = named_tools, ", ".join(sorted(data.replies.label(t) for t in named_tools))
            excluded = list(tracker.get_slot(Slots.EXCLUDED_STEPS) or [])
        else:
            owned, title = set(step.provides), step.title
            excluded = list(tracker.get_slot(Slots.EXCLUDED_STEPS) or []) + [step.id]
        slots[Slots.TOOLS] = sorted(set(slots.get(Slots.TOOLS) or []) | owned)
        intro = data.replies.render("already_have_noted", title=title)
        events = await _send_plan(dispatcher, tracker, slots, excluded, intro=intro)
        return [SlotSet(Slots.TOOLS, slots[Slots.TOOLS]), SlotSet(Slots.FOCUS_STEP, None), *events]


class ActionCheaperPlan(Action):
    """Drops the priciest paid step of the plan and plans again."""

    def name(self) -> Text:
        return Actions.CHEAPER_PLAN

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        data = advice_data()
        steps = [data.catalogue.get(i) for i in tracker.get_slot(Slots.PLAN_STEPS) or []]
        paid = [s for s in steps if s and s.first_year_cost() > 0]
        if not steps:
            dispatcher.utter_message(**data.replies.render("no_plan_yet"))
            return []
        if not paid:
            dispatcher.utter_message(**data.replies.render("nothing_cheaper"))
            return []
        priciest = max(paid, key=lambda s: (s.first_year_cost(), s.id))
        excluded = list(tracker.get_slot(Slots.EXCLUDED_STEPS) or []) + [priciest.id]
        return await _send_plan(dispatcher, tracker, dict(tracker.slots), excluded,
                                max_step_cost=priciest.first_year_cost() - 0.01)
