"""What the assistant remembers about a user: welcome back with the saved plan, and delete it all on request."""
from __future__ import annotations

from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, Restarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.memory import remember
from bot.advice.data import advice_data
from bot.advice.plan_text import weeks_text
from bot.names import Actions, Entities, Slots


def _plan_or_offer_one(dispatcher: CollectingDispatcher, tracker: Tracker) -> list:
    """The steps of the current plan; with none, offers to make one and returns []."""
    data = advice_data()
    steps = [s for s in (data.catalogue.get(i) for i in tracker.get_slot(Slots.PLAN_STEPS) or []) if s]
    if not steps:
        dispatcher.utter_message(**data.replies.render("no_plan_yet"))
    return steps


class ActionCheckReturningUser(Action):
    def name(self) -> Text:
        return Actions.CHECK_RETURNING_USER

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        saved = await remember(lambda store: store.alatest_plan(tracker.sender_id)) or {}
        steps = saved.get("step_ids") or []
        # The saved plan becomes the current one, so the welcome and follow-ups need no second read.
        return [SlotSet(Slots.RETURNING_USER, bool(steps)),
                SlotSet(Slots.PLAN_STEPS, steps or tracker.get_slot(Slots.PLAN_STEPS))]


class ActionWelcomeBack(Action):
    """Greets with the saved plan and asks how step 1 went."""

    def name(self) -> Text:
        return Actions.WELCOME_BACK

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        data = advice_data()
        steps = _plan_or_offer_one(dispatcher, tracker)
        if not steps:
            return []
        listed = "; ".join(f"{n}. {s.title}" for n, s in enumerate(steps, start=1))
        dispatcher.utter_message(**data.replies.render("welcome_back", steps=listed, first=steps[0].title))
        return []


class ActionProgressReply(Action):
    def name(self) -> Text:
        return Actions.PROGRESS_REPLY

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        data = advice_data()
        steps = _plan_or_offer_one(dispatcher, tracker)
        if not steps:
            return []
        progress = next(tracker.get_latest_entity_values(Entities.PROGRESS), "not_started")
        if progress == "done" and len(steps) > 1:
            reply = data.replies.render("progress_done", next=steps[1].title)
        elif progress == "stuck":
            reply = data.replies.render("progress_stuck")
        else:
            reply = data.replies.render("progress_not_started", first=steps[0].title,
                                        weeks=weeks_text(steps[0].weeks_to_first_result))
        dispatcher.utter_message(**reply)
        return []


class ActionDeleteMyData(Action):
    """Deletes the profile and plans; the restart plus `data_deleted` makes the tracker store drop the conversation."""

    def name(self) -> Text:
        return Actions.DELETE_MY_DATA

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        await remember(lambda store: store.adelete_user(tracker.sender_id))
        dispatcher.utter_message(**advice_data().replies.render("deleted"))
        return [Restarted(), SlotSet(Slots.DATA_DELETED, True)]
