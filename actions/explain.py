"""Action behind "tell me more": the next level of the last topic asked about."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.plan import ActionStepDetails
from bot.explain import deeper_response_name, next_explanation, plan_is_latest


class ActionTellMeMore(Action):
    def name(self) -> Text:
        return "action_tell_me_more"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        events = tracker.events_after_latest_restart()
        if tracker.get_slot("plan_steps") and plan_is_latest(events):
            # Right after a plan, "tell me more" means the step under discussion.
            details = await ActionStepDetails().run(dispatcher, tracker, domain)
            return [*details, SlotSet("explain_status", "plan_step")]
        topic, depth = next_explanation(events)
        if topic is None:
            return [SlotSet("explain_status", "no_topic")]
        response = deeper_response_name(topic, depth)
        if response not in domain.get("responses", {}):
            return [SlotSet("explain_status", "deepest")]
        dispatcher.utter_message(response=response)
        return [SlotSet("explain_status", "shown")]
