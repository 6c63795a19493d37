"""The conversation's language for actions: which one to answer in, switching it, and the first default.

`language_of(tracker)` is what every action answers in (bot.nlu.language.conversation_language decides);
`data_for(tracker)` is the project's data with its texts in that language.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.advice.data import AdviceData, advice_data
from bot.names import Actions, Entities, MetadataKeys, Slots
from bot.nlu.language import LANGUAGES, conversation_language, language_from_code


def _hint(tracker: Tracker) -> Optional[str]:
    """The channel's language (Telegram's language_code, the widget's data-lang or browser language)."""
    for metadata in (tracker.get_slot(Slots.SESSION_STARTED_METADATA), tracker.latest_message.get("metadata")):
        if isinstance(metadata, dict) and language_from_code(metadata.get(MetadataKeys.LANGUAGE)):
            return language_from_code(metadata.get(MetadataKeys.LANGUAGE))
    return None


def language_of(tracker: Tracker) -> str:
    """The language to answer in: the slot, else the latest message's writing, else the channel's."""
    return conversation_language(tracker.get_slot(Slots.LANGUAGE), tracker.latest_message.get("text"), _hint(tracker))


def data_for(tracker: Tracker) -> AdviceData:
    return advice_data(language_of(tracker))


def _requested(tracker: Tracker) -> Optional[str]:
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == Entities.LANGUAGE and entity.get("value") in LANGUAGES:
            return entity["value"]
    return None


class ActionSwitchLanguage(Action):
    """"English please", "说中文", or a language button: switch and say so in the new language.
    A request that names no language ("switch language", Telegram's /lang) offers both as buttons."""

    def name(self) -> Text:
        return Actions.SWITCH_LANGUAGE

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        wanted = _requested(tracker)
        if wanted is None:
            dispatcher.utter_message(**data_for(tracker).replies.render("choose_language"))
            return []
        dispatcher.utter_message(**advice_data(wanted).replies.render("language_switched"))
        return [SlotSet(Slots.LANGUAGE, wanted)]


def _spoken_before(tracker: Tracker) -> Optional[str]:
    """The language the conversation was in before a restart ("start over", "delete my data" clear every
    slot): the owner is still speaking it."""
    for event in reversed(tracker.events):
        if event.get("event") == "slot" and event.get("name") == Slots.LANGUAGE and event.get("value") in LANGUAGES:
            return event["value"]
    return None


class ActionSessionStart(Action):
    """Rasa's session start (a new session keeps the slots of the last one: carry_over_slots_to_new_session
    is true in domain.yml), and a conversation with no language takes the one spoken before a restart,
    else the channel's: a Chinese phone's "/start" gets a Chinese greeting."""

    def name(self) -> Text:
        return Actions.SESSION_START

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        events: List[EventType] = [SessionStarted()]
        # As Rasa's own (carry_over_slots_to_new_session: true in domain.yml): the old session's slots.
        events += [SlotSet(name, value) for name, value in tracker.slots.items() if value is not None]
        if tracker.get_slot(Slots.LANGUAGE) not in LANGUAGES:
            language = _spoken_before(tracker) or _hint(tracker)
            if language:
                events.append(SlotSet(Slots.LANGUAGE, language))
        events.append(ActionExecuted(Actions.LISTEN))
        return events
