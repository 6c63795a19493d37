"""A person when the owner wants one: say what an adviser can do, ask before passing anything on,
take an email address or phone number, store the lead, then tell the operator.

Nothing is stored without a yes. The consent question records what it offered (its words, the
profile and the plan as they stood) in `handoff_offer`; a yes stores exactly that, with those words.
A contact that cannot be read is asked for again with a hint, then with a way out, and never a
fourth time. bot.handoff holds the reading, the lead and the notifying; this module only talks.
"""
from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import asdict
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.memory import remember
from actions.misses import counted_miss, misses_of, misses_value
from actions.plan import current_record
from actions.language import data_for, language_of
from bot.advice.data import AdviceData
from bot.advice.plan_record import PROFILE_SLOTS, PlanRecord
from bot.advice.plan_text import summary
from bot.handoff.contact import KINDS, Contact, Reading, read_contact, shown
from bot.handoff.lead import new_lead
from bot.handoff.notify import FAILED, notify_operator, phone_region
from bot.names import Actions, Intents, Slots

logger = logging.getLogger(__name__)
NOT_UNDERSTOOD = "__not_understood__"
GAVE_UP = "__gave_up__"  # no usable contact after CONTACT_TRIES answers: nothing is stored
CONSENT_TRIES = 2  # an unclear answer to "may I pass it on?" twice is taken as a no
CONTACT_TRIES = 3
NO = (Intents.DENY, Intents.STOP, Intents.SKIP_QUESTION)  # "no thanks", "stop", "I'd rather not say"
_STARTS_WITH_NO = re.compile(r"^\W*(no|nope|nah|not now|rather not)\b", re.IGNORECASE)
_NEGATIVE = re.compile(r"\b(no|not|never|without|dont|didnt|doesnt|wont|cant|shouldnt|wouldnt)\b|n['’]t\b",
                       re.IGNORECASE)
_BENIGN_NO = re.compile(r"\b(no problem|no worries|why not|not a problem)\b", re.IGNORECASE)  # yeses with a "no"
# Intents the hand-off questions let through to their own rules: a concept question, "are you a bot",
# "delete my data", "start over".
LET_THROUGH = {Intents.FAQ, Intents.BOT_CHALLENGE, Intents.DELETE_MY_DATA, Intents.START_OVER}
PENDING: Dict[str, set] = {}  # per sender, operator notifications still being sent


def _intent(tracker: Tracker) -> Optional[str]:
    return (tracker.latest_message.get("intent") or {}).get("name")


def _text(tracker: Tracker) -> str:
    return tracker.latest_message.get("text") or ""


def _says_no(tracker: Tracker) -> bool:
    """"No thanks", "stop", "I'd rather not": but "no problem, go ahead" is a yes."""
    intent = _intent(tracker)
    return intent in NO or (intent != Intents.AFFIRM and bool(_STARTS_WITH_NO.match(_text(tracker))))


# Without DX_PHONE_REGION, a number typed in a Chinese conversation without +86 is read as Chinese
# ("13812345678"): that is where the owners who write Chinese are. Elsewhere the owner is asked for the code.
LANGUAGE_PHONE_REGION = {"zh": "CN"}


def _reading(tracker: Tracker) -> Reading:
    return read_contact(_text(tracker), phone_region() or LANGUAGE_PHONE_REGION.get(language_of(tracker)))


def _yes(tracker: Tracker) -> bool:
    """A yes to "may I pass it on?": yes itself, or a contact given plainly in answer ("jo@bakery.co.uk"),
    never one with a no in it ("yes but don't pass on my plan", "don't ..., just call +44 ..."):
    that is asked again, in plainer words."""
    if _NEGATIVE.search(_BENIGN_NO.sub(" ", _text(tracker))):
        return False
    if _intent(tracker) == Intents.AFFIRM:
        return True
    return (_intent(tracker) in (Intents.TALK_TO_PERSON, Intents.INFORM, Intents.FALLBACK)
            and _reading(tracker).contact is not None)


def _contact(value: Any) -> Optional[Contact]:
    if isinstance(value, dict) and value.get("kind") in KINDS and isinstance(value.get("value"), str):
        return Contact(value["kind"], value["value"])
    return None


def _offer(value: Any) -> Optional[Dict[str, Any]]:
    """The `handoff_offer` slot: {"words", "profile", "plan"} as the consent question made it."""
    if isinstance(value, dict) and isinstance(value.get("words"), str) and isinstance(value.get("profile"), dict):
        return value
    return None


def what_is_passed_on(data: AdviceData, profile: Dict[str, Any], has_plan: bool,
                      contact: Optional[Contact] = None) -> str:
    """'your plan and what you told me (a retail firm of ...)', or less when less was told."""
    if has_plan:
        return data.replies.text("handoff_what_plan", summary=summary(data, profile))
    if profile:
        return data.replies.text("handoff_what_profile", summary=summary(data, profile))
    if contact is not None:  # given already: "please phone me on +44 ..."
        return data.replies.text("handoff_what_given", kind=data.replies.label(contact.kind), contact=shown(contact))
    return data.replies.text("handoff_what_contact")


class ActionHandoffIntro(Action):
    """What a person can do; ends the profile questions if they were under way (their answers so far are
    kept, so they can carry on later) and keeps a contact given in the same message ("call me on +44 ...")."""

    def name(self) -> Text:
        return Actions.HANDOFF_INTRO

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        dispatcher.utter_message(**data_for(tracker).replies.render("handoff_intro"))
        contact = _reading(tracker).contact if not _NEGATIVE.search(_text(tracker)) else None
        # Always the same events, so that the rules' view of this action is the same with a form or without.
        return [ActiveLoop(None), SlotSet(Slots.REQUESTED_SLOT, None), SlotSet(Slots.HANDOFF_CONSENT, None),
                SlotSet(Slots.HANDOFF_OFFER, None), SlotSet(Slots.CONTACT, asdict(contact) if contact else None)]


class ValidateHandoffForm(FormValidationAction):
    def name(self) -> Text:
        return Actions.VALIDATE_HANDOFF

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> List[Text]:
        # After a no, the contact is not asked for: the form ends.
        return [Slots.HANDOFF_CONSENT] if tracker.get_slot(Slots.HANDOFF_CONSENT) is False else domain_slots

    async def get_extraction_events(self, dispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        # Nothing extracted: Rasa hands the turn to the rule for it, then comes back to the question.
        if _intent(tracker) in LET_THROUGH:
            return []
        return await super().get_extraction_events(dispatcher, tracker, domain)

    async def extract_handoff_consent(self, dispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if tracker.get_slot(Slots.REQUESTED_SLOT) != Slots.HANDOFF_CONSENT:
            return {}
        if _says_no(tracker):
            return {Slots.HANDOFF_CONSENT: False}
        offer = _offer(tracker.get_slot(Slots.HANDOFF_OFFER))
        if _yes(tracker) and offer:
            return {Slots.HANDOFF_CONSENT: offer["words"]}  # the question as the owner saw it
        return {Slots.HANDOFF_CONSENT: NOT_UNDERSTOOD}

    async def extract_contact(self, dispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        requested = tracker.get_slot(Slots.REQUESTED_SLOT)
        reading = _reading(tracker)
        if requested == Slots.HANDOFF_CONSENT and reading.contact and _yes(tracker):
            return {Slots.CONTACT: asdict(reading.contact)}  # "yes, jo@bakery.co.uk"
        if requested != Slots.CONTACT:
            return {}
        if _says_no(tracker) and not reading.contact:  # "no, leave it": nothing is stored
            return {Slots.CONTACT: None, Slots.HANDOFF_CONSENT: False}
        return {Slots.CONTACT: asdict(reading.contact) if reading.contact else NOT_UNDERSTOOD}

    async def validate_handoff_consent(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if value != NOT_UNDERSTOOD:
            return {Slots.HANDOFF_CONSENT: value}
        misses = counted_miss(tracker, Slots.HANDOFF_CONSENT)
        declined = misses[Slots.HANDOFF_CONSENT]["n"] >= CONSENT_TRIES
        return {Slots.HANDOFF_CONSENT: False if declined else None, Slots.MISSES: misses}

    async def validate_contact(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if value != NOT_UNDERSTOOD:
            return {Slots.CONTACT: value}
        misses = counted_miss(tracker, Slots.CONTACT)
        return {Slots.CONTACT: GAVE_UP if misses[Slots.CONTACT]["n"] >= CONTACT_TRIES else None, Slots.MISSES: misses}


class ActionAskHandoffConsent(Action):
    """Asks before anything is passed on, naming exactly what would be, and keeps that offer."""

    def name(self) -> Text:
        return Actions.ASK_HANDOFF_CONSENT

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        data = data_for(tracker)
        record, _ = await current_record(tracker)
        told = {slot: tracker.get_slot(slot) for slot in PROFILE_SLOTS if tracker.get_slot(slot) is not None}
        profile = told or (dict(record.profile) if record else {})
        what = what_is_passed_on(data, profile, record is not None, _contact(tracker.get_slot(Slots.CONTACT)))
        question = data.replies.render("handoff_consent", what=what)
        if misses_of(tracker).get(Slots.HANDOFF_CONSENT) and tracker.get_slot(Slots.REQUESTED_SLOT):
            question["text"] = data.replies.text("handoff_consent_again", question=question["text"])
        dispatcher.utter_message(**question)
        offer = {"words": question["text"], "profile": profile, "plan": record.to_dict() if record else None}
        return [SlotSet(Slots.HANDOFF_OFFER, offer)]


class ActionAskContact(Action):
    """Asks for an email address or a phone number; after a miss says what was wrong with it."""

    def name(self) -> Text:
        return Actions.ASK_CONTACT

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        replies = data_for(tracker).replies
        misses = misses_of(tracker).get(Slots.CONTACT, 0) if tracker.get_slot(Slots.REQUESTED_SLOT) == Slots.CONTACT else 0
        if not misses:
            dispatcher.utter_message(**replies.render("ask_contact"))
            return []
        problem = _reading(tracker).problem or "none"
        reply = replies.render(f"contact_{problem}")
        if misses >= 2:  # the last try: a way out
            way_out = replies.render("contact_way_out")
            reply = {"text": replies.joined("sentences", [reply["text"], way_out["text"]]),
                     "buttons": way_out["buttons"]}
        dispatcher.utter_message(**reply)
        return []


class ActionHandoffSubmit(Action):
    """Stores the lead (only with a yes to the offer and a contact), says what really happened, then
    tells the operator in the background so the owner does not wait for a mail server."""

    def name(self) -> Text:
        return Actions.HANDOFF_SUBMIT

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        data = data_for(tracker)
        consent, contact = tracker.get_slot(Slots.HANDOFF_CONSENT), _contact(tracker.get_slot(Slots.CONTACT))
        offer = _offer(tracker.get_slot(Slots.HANDOFF_OFFER))
        agreed = offer is not None and isinstance(consent, str) and consent == offer["words"]
        misses = {k: v for k, v in misses_value(tracker).items() if k not in (Slots.HANDOFF_CONSENT, Slots.CONTACT)}
        done = [SlotSet(Slots.HANDOFF_CONSENT, None), SlotSet(Slots.HANDOFF_OFFER, None), SlotSet(Slots.CONTACT, None),
                SlotSet(Slots.MISSES, misses)]
        has_plan = bool(tracker.get_slot(Slots.PLAN)) or bool(offer and offer.get("plan"))
        if not agreed or contact is None:
            key = "handoff_gave_up" if agreed else "handoff_declined"
            dispatcher.utter_message(**self._with_plan_offer(data, data.replies.render(key), has_plan))
            return done
        lead = new_lead(data, tracker.sender_id, contact, offer["profile"], PlanRecord.from_dict(offer.get("plan")))
        saved = await remember(lambda store: store.asave_lead(tracker.sender_id, lead, consent))
        if not saved.ok:
            dispatcher.utter_message(**data.replies.render("handoff_not_saved"))
            return done
        dispatcher.utter_message(**self._with_plan_offer(data, data.replies.render("handoff_done", contact=shown(contact)),
                                                    has_plan))
        task = asyncio.get_running_loop().create_task(_tell_operator(saved.value))
        PENDING.setdefault(tracker.sender_id, set()).add(task)
        task.add_done_callback(lambda done_task: PENDING.get(tracker.sender_id, set()).discard(done_task))
        return done

    @staticmethod
    def _with_plan_offer(data: AdviceData, reply: dict, has_plan: bool) -> dict:
        """Without a plan yet, offer to make one (or to finish the questions that were under way)."""
        if has_plan:
            return reply
        offer = data.replies.render("handoff_offer_plan")
        return {"text": data.replies.joined("sentences", [reply["text"], offer["text"]]),
                "buttons": reply["buttons"] + offer["buttons"]}


async def settle(sender_id: str, seconds: float = 15) -> None:
    """Wait for the sender's operator notifications still being sent (before deleting their data, so
    the owner is told truthfully whether an adviser already has a copy)."""
    tasks = list(PENDING.get(sender_id, ()))
    if tasks:
        await asyncio.wait(tasks, timeout=seconds)


async def _tell_operator(lead: dict) -> str:
    """Notify the operator and record how it went; every failure is logged, none reaches the owner."""
    try:
        outcome = await asyncio.to_thread(notify_operator, lead)
    except Exception as error:  # noqa: BLE001 - e.g. a malformed SMTP_PORT: the lead is stored, nobody is told
        logger.warning("Lead %s stored, but the operator could not be notified: %s", lead.get("id"),
                       type(error).__name__)
        outcome = FAILED
    await remember(lambda store: store.aset_lead_notified(lead["id"], outcome))
    return outcome
