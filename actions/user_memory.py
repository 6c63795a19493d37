"""What the assistant remembers about a user: the plan and profile back on return, a check-in on how
each step went (stored, and leading to the next plan), and everything deleted on request (really
deleted, and said only when it was)."""
from __future__ import annotations

import json
from dataclasses import replace
from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, Restarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.handoff import settle
from actions.memory import remember
from actions.plan import _restored, current_record, no_plan, send_new_plan
from actions.language import data_for
from bot.advice.plan_record import PROFILE_SLOTS, PlanRecord, plan_from_record
from bot.advice.progress import next_unreported, plan_after_checkin, statuses_for, stored_status
from bot.advice.step_refs import resolve_step
from bot.handoff.notify import TOLD
from bot.names import Actions, Entities, Intents, Progress, Slots


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


async def _steps_given(dispatcher: CollectingDispatcher, tracker: Tracker) -> tuple[PlanRecord | None, list]:
    """(the plan last given, its steps) read once; without steps, the owner is told and [] comes back."""
    record, reachable = await current_record(tracker)
    steps = [p.step for p in plan_from_record(data_for(tracker), record).steps] if record else []
    if not steps:
        no_plan(dispatcher, data_for(tracker), reachable, tracker)
    return record, steps


def _as_listed(record: PlanRecord, steps: list) -> PlanRecord:
    """The record with the steps the owner was shown: a step the catalogue no longer has is left out,
    so step numbers, titles and stored step ids always agree."""
    return replace(record, step_ids=tuple(step.id for step in steps))


def checkin_buttons(replies, number: int) -> list:
    """Done / Started / Not yet / Skipped for step `number`: each sends the status and the step."""
    def payload(status: str) -> str:
        entities = json.dumps({Entities.PROGRESS: status, Entities.STEP_NUMBER: str(number)}, separators=(",", ":"))
        return f"/{Intents.REPORT_PROGRESS}{entities}"

    return [{"title": replies.text(f"checkin_{status}"), "payload": payload(status)} for status in Progress.STORED]


async def _reported(tracker: Tracker, record: PlanRecord) -> dict:
    """{step id: status} already reported for this version of the plan; {} when unknown."""
    if record.version is None:
        return {}
    saved = await remember(lambda store: store.acheckins(tracker.sender_id))
    return statuses_for(record, saved.value) if saved.ok else {}


class ActionWelcomeBack(Action):
    """Greets with the saved plan and asks how its first unreported step went, with four buttons."""

    def name(self) -> Text:
        return Actions.WELCOME_BACK

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        data = data_for(tracker)
        record, steps = await _steps_given(dispatcher, tracker)
        if not steps:
            return []
        record = _as_listed(record, steps)
        number = next_unreported(record, await _reported(tracker, record)) or 1
        listed = data.replies.joined("semicolon", (f"{n}. {s.title}" for n, s in enumerate(steps, start=1)))
        reply = data.replies.render("welcome_back", steps=listed, number=number, first=steps[number - 1].title)
        dispatcher.utter_message(text=reply["text"], buttons=checkin_buttons(data.replies, number))
        return [SlotSet(Slots.CHECKIN_STEP, number)]


class ActionProgressReply(Action):
    """Stores how a step went, asks about the next step not yet reported, and once every step has an
    answer gives the next plan: done steps raise the profile, a skipped one gets an alternative."""

    def name(self) -> Text:
        return Actions.PROGRESS_REPLY

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        data = data_for(tracker)
        record, steps = await _steps_given(dispatcher, tracker)
        if not steps:
            return []
        record = _as_listed(record, steps)
        number = self._step(tracker, [s.title for s in steps])
        said = _said(tracker)
        status = stored_status(said)
        checkin = {"plan_version": record.version, "step_id": record.step_ids[number - 1], "step_number": number,
                   "status": status}
        reported = await _reported(tracker, record)
        saved = await remember(lambda store: store.asave_checkin(tracker.sender_id, checkin)) \
            if record.version is not None else None
        if saved is None or not saved.ok:
            dispatcher.utter_message(**data.replies.render("memory_unavailable"))
            return []
        reported[checkin["step_id"]] = status
        if said == Progress.STUCK:
            dispatcher.utter_message(**data.replies.render("checkin_stuck"))
        following = next_unreported(record, reported, after=number) or next_unreported(record, reported)
        if following is not None:
            reply = data.replies.text("checkin_next", number=following, title=steps[following - 1].title)
            dispatcher.utter_message(text=reply, buttons=checkin_buttons(data.replies, following))
            return [*_restored(tracker, record), SlotSet(Slots.CHECKIN_STEP, following)]
        plan, new = plan_after_checkin(data, record, reported)
        events = await send_new_plan(dispatcher, tracker, plan, new, intro=_moved_on(data, record, new, reported))
        return [*events, SlotSet(Slots.CHECKIN_STEP, None)]

    @staticmethod
    def _step(tracker: Tracker, titles: List[str]) -> int:
        """The step the answer is about: named in it (a button names it), else the one asked, else 1."""
        named = resolve_step(tracker.latest_message.get("text") or "",
                             tracker.get_latest_entity_values(Entities.STEP_NUMBER), titles)
        asked = tracker.get_slot(Slots.CHECKIN_STEP)
        for number in (named, asked):
            if isinstance(number, (int, float)) and 0 < number <= len(titles):
                return int(number)
        return 1


# When an answer holds several progress phrases ("started, but got stuck"), the most telling one counts;
# "done" comes last, since its phrase list also matches forms of "do".
_PRIORITY = (Progress.STUCK, Progress.SKIPPED, Progress.NOT_STARTED, Progress.STARTED, Progress.DONE)


def _said(tracker: Tracker) -> str:
    found = set(tracker.get_latest_entity_values(Entities.PROGRESS))
    return next((status for status in _PRIORITY if status in found), Progress.NOT_STARTED)


def _moved_on(data, record: PlanRecord, new: PlanRecord, reported: dict) -> dict:
    """"3 of 3 steps done", and in place of a skipped step, the step that took its place."""
    replies = data.replies
    done = sum(1 for status in reported.values() if status == Progress.DONE)
    text = replies.text("checkin_thanks", done=done, total=len(record.step_ids))
    skipped = [i for i in record.step_ids if reported.get(i) == Progress.SKIPPED]
    added = [i for i in new.step_ids if i not in record.step_ids]
    if skipped and added:
        title = lambda step_id: data.catalogue.get(step_id).title  # noqa: E731
        instead = replies.text("checkin_instead", skipped=replies.listed(title(i) for i in skipped),
                               instead=replies.listed(title(i) for i in added))
        text = replies.joined("sentences", [instead, text])
    return {"text": text, "buttons": []}


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
