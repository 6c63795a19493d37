"""Action behind "tell me more": the next level of the last topic asked about."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.plan import ActionStepDetails
from bot.advice.explain import deeper_response_name, next_explanation, plan_is_latest
from bot.advice.plan_record import PlanRecord
from bot.names import Actions, Slots


class ActionTellMeMore(Action):
    def name(self) -> Text:
        return Actions.TELL_ME_MORE

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        events = tracker.events_after_latest_restart()
        record = PlanRecord.from_dict(tracker.get_slot(Slots.PLAN))
        if record and record.step_ids and plan_is_latest(events):
            # Right after a plan, "tell me more" means the step under discussion.
            details = await ActionStepDetails().run(dispatcher, tracker, domain)
            return [*details, SlotSet(Slots.EXPLAIN_STATUS, "plan_step")]
        topic, depth = next_explanation(events)
        if topic is None:
            return [SlotSet(Slots.EXPLAIN_STATUS, "no_topic")]
        response = deeper_response_name(topic, depth)
        if response not in domain.get("responses", {}):
            return [SlotSet(Slots.EXPLAIN_STATUS, "deepest")]
        dispatcher.utter_message(response=response)
        return [SlotSet(Slots.EXPLAIN_STATUS, "shown")]
