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
from bot.advice.data import AdviceData
from bot.advice.plan_record import PlanRecord
from bot.report.links import LinkSigner, ReportRef

# The custom payload of a message with files: {"documents": [{"url", "name", "type"}]}.
DOCUMENTS = "documents"


@lru_cache(maxsize=1)
def signer() -> LinkSigner:
    from bot.channels.webchat.sessions import signing_key  # the key the Rasa server checks links with

    return LinkSigner(signing_key())


def report_ref(tracker: Tracker, record: PlanRecord) -> Optional[ReportRef]:
    return None if record.version is None else ReportRef(tracker.sender_id, record.version, language_of(tracker))


def chart_message(data: AdviceData, tracker: Tracker, record: PlanRecord, progress: bool = False) -> Optional[dict]:
    """The chart of the firm's profile with a one-line caption; None for a plan that was not stored."""
    ref = report_ref(tracker, record)
    if ref is None or not record.step_ids:
        return None
    caption = data.replies.text("chart_caption_progress" if progress else "chart_caption")
    return {"text": caption, "image": signer().url(ref, "chart.png")}


def with_chart(messages: List[dict], chart: Optional[dict]) -> List[dict]:
    """The plan's messages with the chart before the last one, so the follow-up buttons stay last."""
    if chart is None or not messages:
        return messages
    return [*messages[:-1], chart, messages[-1]]
