"""Fallback action: records why a message could not be used, so a rule can answer that."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.names import Actions, Entities, Slots
from bot.nlu.input_screen import InputProblem


class ActionCheckInput(Action):
    def name(self) -> Text:
        return Actions.CHECK_INPUT

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        problem = next(tracker.get_latest_entity_values(Entities.INPUT_PROBLEM), None)
        known = {p.value for p in InputProblem}
        # None means "understood nothing": the rule then asks the user to rephrase.
        return [SlotSet(Slots.INPUT_PROBLEM, problem if problem in known else None)]
