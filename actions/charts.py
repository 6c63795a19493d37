"""Links to the owner's chart and plan files, as message parts: the chart goes with every plan shown.

The messages carry signed links (bot.report.links) to files the Rasa server draws from the stored
plan version; each channel delivers them its own way (Telegram uploads them, the widget shows
them, REST passes the links on). A plan that was not stored has no version and so no links.
"""
from __future__ import annotations

from functools import lru_cache
from typing import List, Optional

from rasa_sdk import Tracker

from actions.language import language_of
from actions.memory import remember
from bot.advice.data import AdviceData
from bot.advice.plan_record import PlanRecord
from bot.report.build import chart_caption, chart_for
from bot.report.links import LinkSigner, ReportRef

# The custom payload of a message with files: {"documents": [{"url", "name", "type"}]}.
DOCUMENTS = "documents"


@lru_cache(maxsize=1)
def signer() -> LinkSigner:
    from bot.channels.webchat.sessions import signing_key  # the key the Rasa server checks links with

    return LinkSigner(signing_key())


def report_ref(tracker: Tracker, record: PlanRecord) -> Optional[ReportRef]:
    if record.version is None:
        return None
    return ReportRef(tracker.sender_id, record.version, language_of(tracker), record.created_at or "")


async def chart_message(data: AdviceData, tracker: Tracker, record: PlanRecord) -> Optional[dict]:
    """The chart of the firm's profile with a caption that says what it shows (today and after the plan,
    and where the firm started once it has moved on); None for a plan that was not stored."""
    ref = report_ref(tracker, record)
    if ref is None or not record.step_ids:
        return None
    first = record
    if record.version != 1:  # the chart shows the first profile too, when it differs from today's
        saved = await remember(lambda store: store.aplan_version(tracker.sender_id, 1))
        first = PlanRecord.from_dict(saved.value) if saved.ok else None
    caption = chart_caption(data, chart_for(data, record, first))
    return {"text": caption, "image": signer().url(ref, "chart.png")}


def with_chart(messages: List[dict], chart: Optional[dict]) -> List[dict]:
    """The plan's messages with the chart before the last one, so the follow-up buttons stay last."""
    if chart is None or not messages:
        return messages
    return [*messages[:-1], chart, messages[-1]]
