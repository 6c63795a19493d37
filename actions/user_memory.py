"""What the assistant remembers about a user: the plan and profile back on return, how step 1 went,
and everything deleted on request (really deleted, and said only when it was)."""
from __future__ import annotations

from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, Restarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.handoff import settle
from actions.memory import remember
from actions.plan import current_record, no_plan
from actions.language import data_for
from bot.advice.plan_record import PROFILE_SLOTS, plan_from_record
from bot.advice.plan_text import weeks_text
from bot.handoff.notify import TOLD
from bot.names import Actions, Entities, Slots


class ActionCheckReturningUser(Action):
    """On a greeting: is there a stored plan? If so it, and the profile it was made for, come back."""

    def name(self) -> Text:
        return Actions.CHECK_RETURNING_USER

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        record, _ = await current_record(tracker)  # this conversation's plan, else the stored one
        if record is None or not plan_from_record(data_for(tracker), record).steps:
            return [SlotSet(Slots.RETURNING_USER, False)]
        # Every follow-up then works as in the session the plan was made in.
        profile = [SlotSet(slot, record.profile.get(slot)) for slot in PROFILE_SLOTS if slot in record.profile]
        return [SlotSet(Slots.RETURNING_USER, True), SlotSet(Slots.PLAN, record.to_dict()), *profile]


async def _steps_given(dispatcher: CollectingDispatcher, tracker: Tracker) -> list:
    """The steps of the plan last given; without any, the owner is told and [] comes back."""
    record, reachable = await current_record(tracker)
    steps = [p.step for p in plan_from_record(data_for(tracker), record).steps] if record else []
    if not steps:
        no_plan(dispatcher, data_for(tracker), reachable, tracker)
    return steps


class ActionWelcomeBack(Action):
    """Greets with the saved plan and asks how step 1 went."""

    def name(self) -> Text:
        return Actions.WELCOME_BACK

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        data = data_for(tracker)
        steps = await _steps_given(dispatcher, tracker)
        if not steps:
            return []
        listed = data.replies.joined("semicolon", (f"{n}. {s.title}" for n, s in enumerate(steps, start=1)))
        dispatcher.utter_message(**data.replies.render("welcome_back", steps=listed, first=steps[0].title))
        return []


class ActionProgressReply(Action):
    def name(self) -> Text:
        return Actions.PROGRESS_REPLY

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        data = data_for(tracker)
        steps = await _steps_given(dispatcher, tracker)
        if not steps:
            return []
        progress = next(tracker.get_latest_entity_values(Entities.PROGRESS), "not_started")
        if progress == "done" and len(steps) > 1:
            reply = data.replies.render("progress_done", next=steps[1].title)
        elif progress == "done":
            reply = data.replies.render("progress_done_last")
        elif progress == "stuck":
            reply = data.replies.render("progress_stuck")
        else:
            reply = data.replies.render("progress_not_started", first=steps[0].title,
                                        weeks=weeks_text(data.replies, steps[0].weeks_to_first_result))
        dispatcher.utter_message(**reply)
        return []


class ActionDeleteMyData(Action):
    """Deletes the profile, plans and requests for an adviser; the restart plus `data_deleted` makes the
    tracker store drop the conversation. When the delete fails, nothing else is deleted either and the
    user is told so. A request already sent to an adviser is said to be out of our hands."""

    def name(self) -> Text:
        return Actions.DELETE_MY_DATA

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        await settle(tracker.sender_id)  # a notification still being sent: know whether it went
        leads = await remember(lambda store: store.aleads(sender_id=tracker.sender_id))
        deleted = await remember(lambda store: store.adelete_user(tracker.sender_id)) if leads.ok else leads
        if not deleted.ok:
            dispatcher.utter_message(**data_for(tracker).replies.render("delete_failed"))
            return []
        dispatcher.utter_message(**data_for(tracker).replies.render("deleted"))
        if any(lead.get("notified") in TOLD for lead in leads.value):
            dispatcher.utter_message(**data_for(tracker).replies.render("deleted_lead_sent"))
        return [Restarted(), SlotSet(Slots.DATA_DELETED, True)]
