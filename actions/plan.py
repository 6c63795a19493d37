"""The plan and its follow-ups: make it, show it, explain a step, go cheaper, drop what they own.

Every follow-up reads the plan record last given (the `plan` slot, else the store) and explains
its own steps again; a change makes and stores the next version. bot.advice.plan_record decides.
"""
from __future__ import annotations

from dataclasses import replace
from typing import List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.charts import chart_message, with_chart
from actions.memory import remember
from actions.language import data_for
from bot.advice.data import AdviceData
from bot.advice.plan_record import (Constraints, PlanRecord, cheaper, new_record, plan_from_record, profile_from_row,
                                    with_tools, without_step)
from bot.advice.plan_text import render_plan, shortened, step_details, steps_text, why_step_reasons
from bot.advice.recommender import Plan, PlannedStep
from bot.advice.slots import NO_TOOLS, OWN_WORDS, budget_from_slot, profile_from_slots
from bot.advice.step_refs import resolve_step
from bot.names import Actions, Entities, Forms, Slots


async def current_record(tracker: Tracker) -> Tuple[Optional[PlanRecord], bool]:
    """(the plan last given, or None; False when the store could not be asked).

    The slot holds it within a conversation; after a restart it comes from the store.
    """
    record = PlanRecord.from_dict(tracker.get_slot(Slots.PLAN))
    if record is not None:
        return record, True
    saved = await remember(lambda store: store.alatest_plan(tracker.sender_id))
    record = PlanRecord.from_dict(saved.value) if saved.ok else None
    if record is not None and not record.profile:  # saved before plans kept their profile: the stored one
        profile = await remember(lambda store: store.aload_profile(tracker.sender_id))
        record = replace(record, profile=profile_from_row(profile.value)) if profile.ok else record
    return record, saved.ok


def making_plan(tracker: Tracker) -> bool:
    """The profile questions are under way: a plan is on its way."""
    return (tracker.active_loop or {}).get("name") == Forms.FIRM_PROFILE


def no_plan(dispatcher: CollectingDispatcher, data: AdviceData, reachable: bool, tracker: Optional[Tracker] = None
            ) -> List[EventType]:
    """No plan to talk about: offer one (or say it comes after the questions under way), or say honestly
    that the store could not be asked."""
    if tracker is not None and making_plan(tracker):
        key = "plan_after_questions"
    else:
        key = "no_plan_yet" if reachable else "memory_unavailable"
    dispatcher.utter_message(**data.replies.render(key))
    return []


async def given_plan(dispatcher: CollectingDispatcher, tracker: Tracker) -> Optional[PlanRecord]:
    """The plan last given; without one, the owner is told (no_plan) and None comes back."""
    record, reachable = await current_record(tracker)
    if record is None:
        no_plan(dispatcher, data_for(tracker), reachable, tracker)
    return record


async def send_new_plan(dispatcher: CollectingDispatcher, tracker: Tracker, plan: Plan, record: PlanRecord,
                        intro: Optional[dict] = None) -> List[EventType]:
    """Store the new version with its profile (one transaction), then send it; say so if it was not stored."""
    data = data_for(tracker)
    saved = await remember(lambda store: store.asave_plan(tracker.sender_id, record.to_dict(), record.profile_row()))
    if saved.ok:
        record = record.stored_as(saved.value)
    budget = budget_from_slot(record.profile.get(Slots.BUDGET))
    messages = ([intro] if intro else []) + render_plan(data, plan, budget, record.currency)
    messages = with_chart(messages, await chart_message(data, tracker, record))
    if not saved.ok:
        messages.append(data.replies.render("plan_not_saved"))
    for message in messages:
        dispatcher.utter_message(**message)
    return [SlotSet(Slots.PLAN, record.to_dict()), SlotSet(Slots.FOCUS_STEP, None)]


# The profile questions whose purpose "why do you ask?" explains (replies why_ask_<slot>).
WHY_WE_ASK = (Slots.INDUSTRY, Slots.HEAD_COUNT, Slots.BUDGET, Slots.TOOLS, Slots.GOAL, Slots.PROFILE_CONFIRMED)


def _restored(tracker: Tracker, record: PlanRecord) -> List[EventType]:
    """The slot event that brings a record read from the store into the conversation."""
    return [] if tracker.get_slot(Slots.PLAN) else [SlotSet(Slots.PLAN, record.to_dict())]


class ActionMakePlan(Action):
    def name(self) -> Text:
        return Actions.MAKE_PLAN

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        # After a correction of the answers: what the firm said it already has still holds.
        before = PlanRecord.from_dict(tracker.get_slot(Slots.PLAN))
        kept = Constraints(before.constraints.excluded, before.constraints.owned_tools) if before else Constraints()
        data = data_for(tracker)
        plan, record = new_record(data, tracker.slots, kept)
        intro = None
        if tracker.get_slot(Slots.GOAL) == OWN_WORDS and tracker.get_slot(Slots.GOAL_WORDS):
            # no goal key fits their words: say so, rather than pretend the steps serve it
            intro = data.replies.render("own_words_plan", words=shortened(tracker.get_slot(Slots.GOAL_WORDS)))
        return await send_new_plan(dispatcher, tracker, plan, record, intro=intro)


class ActionShowPlan(Action):
    """The plan last given, as it was given."""

    def name(self) -> Text:
        return Actions.SHOW_PLAN

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        data = data_for(tracker)
        record = await given_plan(dispatcher, tracker)
        if record is None:
            return []
        budget = budget_from_slot(record.profile.get(Slots.BUDGET))
        messages = render_plan(data, plan_from_record(data, record), budget, record.currency)
        for message in with_chart(messages, await chart_message(data, tracker, record)):
            dispatcher.utter_message(**message)
        return _restored(tracker, record)


class StepFollowUp:
    """Mixin for follow-ups about one step of the plan: the step named ("step 2", "the booking page"),
    else the one talked about last, else step 1. A step the plan does not have gets the plan's steps.

    A mixin, not an Action subclass: rasa-sdk registers every Action subclass it finds.
    """

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        data = data_for(tracker)
        record = await given_plan(dispatcher, tracker)
        if record is None:
            return []
        plan = plan_from_record(data, record)
        titles = [planned.step.title for planned in plan.steps]
        named = resolve_step(tracker.latest_message.get("text") or "",
                             tracker.get_latest_entity_values(Entities.STEP_NUMBER), titles)
        focus = tracker.get_slot(Slots.FOCUS_STEP)
        if named is None:
            usable_focus = isinstance(focus, (int, float)) and 0 < focus <= len(titles)
            number = int(focus) if usable_focus else 1
        else:
            number = named
        if not 0 < number <= len(titles):
            _offer_steps(dispatcher, data, titles)
            return _restored(tracker, record)
        events = _restored(tracker, record) + [SlotSet(Slots.FOCUS_STEP, number)]
        return events + await self.about(dispatcher, tracker, data, record, plan.steps[number - 1], number,
                                         named is not None)

    async def about(self, dispatcher, tracker, data: AdviceData, record: PlanRecord, planned: PlannedStep,
                    number: int, named: bool) -> List[EventType]:
        raise NotImplementedError


def _offer_steps(dispatcher: CollectingDispatcher, data: AdviceData, titles: List[str]) -> None:
    """The plan's steps as buttons, each sending words the assistant understands in the conversation's language."""
    reply = data.replies.render("step_not_in_plan", count=steps_text(data.replies, len(titles)))
    reply["buttons"] = [{"title": f"{n}. {title}", "payload": data.replies.text("more_on_step", number=n)}
                        for n, title in enumerate(titles, start=1)]
    dispatcher.utter_message(**reply)


class ActionExplainStep(StepFollowUp, Action):
    """"Why this?" about a step of the plan; in the middle of the questions, about the question asked."""

    def name(self) -> Text:
        return Actions.EXPLAIN_STEP

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        asked = tracker.get_slot(Slots.REQUESTED_SLOT)
        named = resolve_step(tracker.latest_message.get("text") or "",
                             tracker.get_latest_entity_values(Entities.STEP_NUMBER), [])
        if making_plan(tracker) and asked in WHY_WE_ASK and named is None:  # "why do you need to know that?"
            dispatcher.utter_message(**data_for(tracker).replies.render(f"why_ask_{asked}"))
            return []
        return await super().run(dispatcher, tracker, domain)

    async def about(self, dispatcher, tracker, data, record, planned, number, named):
        step = planned.step
        dispatcher.utter_message(**data.replies.render("why_step", number=number, title=step.title, why=step.why,
                                                       reasons=why_step_reasons(data, planned)))
        return []


class ActionStepDetails(StepFollowUp, Action):
    def name(self) -> Text:
        return Actions.STEP_DETAILS

    async def about(self, dispatcher, tracker, data, record, planned, number, named):
        budget = budget_from_slot(record.profile.get(Slots.BUDGET))
        people = profile_from_slots(record.profile).head_count
        dispatcher.utter_message(**step_details(data, planned.step, budget, record.currency, people))
        return []


class ActionAlreadyHave(StepFollowUp, Action):
    """Drops the step they already have, or takes the tools they name as owned, then plans again."""

    def name(self) -> Text:
        return Actions.ALREADY_HAVE

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        tools = {t for t in tracker.get_latest_entity_values(Entities.TOOL) if isinstance(t, str)} - {NO_TOOLS}
        numbered = resolve_step(tracker.latest_message.get("text") or "",
                                tracker.get_latest_entity_values(Entities.STEP_NUMBER), []) is not None
        if not tools or numbered:
            return await super().run(dispatcher, tracker, domain)
        # "we already use a booking app": a tool named wins over title words; a step number does not.
        data = data_for(tracker)
        record = await given_plan(dispatcher, tracker)
        if record is None:
            return []
        plan, new = with_tools(data, record, sorted(tools))
        title = data.replies.joined("list_comma", sorted(data.replies.label(t) for t in tools))
        if new.step_ids == record.step_ids:
            dispatcher.utter_message(**data.replies.render("already_use_noted", title=title))
            return _restored(tracker, record)
        intro = data.replies.render("already_use_changes", title=title)
        return await send_new_plan(dispatcher, tracker, plan, new, intro=intro)

    async def about(self, dispatcher, tracker, data, record, planned, number, named):
        plan, new = without_step(data, record, planned.step)
        intro = data.replies.render("already_have_noted", title=planned.step.title)
        return await send_new_plan(dispatcher, tracker, plan, new, intro=intro)


class ActionCheaperPlan(Action):
    """Drops the priciest paid step of the plan last given and plans again, each step cheaper than it."""

    def name(self) -> Text:
        return Actions.CHEAPER_PLAN

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        data = data_for(tracker)
        record = await given_plan(dispatcher, tracker)
        if record is None:
            return []
        found = cheaper(data, record)
        if found is None:
            dispatcher.utter_message(**data.replies.render("nothing_cheaper"))
            return _restored(tracker, record)
        return await send_new_plan(dispatcher, tracker, *found)
