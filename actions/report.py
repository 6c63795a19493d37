""""Send me the plan": the plan last given as a one-page PDF and as Markdown, behind signed links
(actions/charts.py) that each channel delivers its own way."""
from __future__ import annotations

from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.charts import DOCUMENTS, report_ref, signer
from actions.language import data_for
from actions.plan import _restored, given_plan
from bot.names import Actions


class ActionSendPlanFile(Action):
    """"Send me the plan": the plan last given as a one-page PDF and as Markdown."""

    def name(self) -> Text:
        return Actions.SEND_PLAN_FILE

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        data = data_for(tracker)
        record = await given_plan(dispatcher, tracker)
        if record is None:
            return []
        ref = report_ref(tracker, record)
        if ref is None or not record.step_ids:  # never stored, or nothing in it: no file to make
            dispatcher.utter_message(**data.replies.render("plan_not_saved" if ref is None else "no_plan_yet"))
            return _restored(tracker, record)
        documents = [{"url": signer().url(ref, "plan.pdf"), "name": "dx-advisor-plan.pdf", "type": "application/pdf"},
                     {"url": signer().url(ref, "plan.md"), "name": "dx-advisor-plan.md", "type": "text/markdown"}]
        dispatcher.utter_message(text=data.replies.text("plan_file_ready"), json_message={DOCUMENTS: documents})
        return _restored(tracker, record)
