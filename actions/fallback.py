"""The fallback: why a message could not be used, and "did you mean ...?" when nothing says why."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.language import data_for, language_of
from bot.names import Actions, Entities, Slots
from bot.nlu.clarify import choices, likeliest
from bot.nlu.input_screen import InputProblem


class ActionCheckInput(Action):
    """Records why a message could not be used, so a rule can answer that."""

    def name(self) -> Text:
        return Actions.CHECK_INPUT

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        problem = next(tracker.get_latest_entity_values(Entities.INPUT_PROBLEM), None)
        known = {p.value for p in InputProblem}
        # None means "understood nothing": the rule then asks what was meant.
        return [SlotSet(Slots.INPUT_PROBLEM, problem if problem in known else None)]


class ActionAskAffirmation(Action):
    """Rasa's two-stage fallback asks with this: the two likeliest meanings, in words, as buttons.

    A tap sends that meaning and the conversation goes on as if it had been understood; "Something
    else" (out_of_scope, Rasa's "none of these") makes Rasa ask for another wording; a second message
    it does not understand gets the default reply.
    """

    def name(self) -> Text:
        return Actions.ASK_AFFIRMATION

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        replies = data_for(tracker).replies
        buttons = likeliest(tracker.latest_message or {}, choices(language_of(tracker)))
        reply = replies.render("did_you_mean" if buttons else "rephrase_please")
        dispatcher.utter_message(text=reply["text"], buttons=buttons + reply["buttons"])
        return []
