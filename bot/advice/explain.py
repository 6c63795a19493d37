""""Tell me more": which topic the user last asked about and how deep to go next.

Works on plain Rasa tracker events (dicts), so it is testable without Rasa.
"""
from __future__ import annotations

from typing import Iterable, Mapping

from bot.names import PLAN_TALK_ACTIONS, Intents
from bot.nlu.parse_result import understood


def faq_topic(parse_data: Mapping) -> str | None:
    """The FAQ topic key (e.g. 'what_is_internet_plus') the response selector picked."""
    return understood(parse_data).faq_topic


def next_explanation(events: Iterable[Mapping]) -> tuple[str | None, int]:
    """(topic, depth) for the latest 'tell me more': depth 1 is the first level below the answer.

    Counts the 'tell me more' messages since the last FAQ question; other messages in
    between (thanks, a side remark) do not reset the topic.
    """
    depth = 0
    for event in reversed(list(events)):
        if event.get("event") != "user":
            continue
        parse_data = event.get("parse_data") or {}
        intent = understood(parse_data).intent
        if intent == Intents.TELL_ME_MORE:
            depth += 1
        elif intent == Intents.FAQ:
            return faq_topic(parse_data), max(depth, 1)
    return None, max(depth, 1)


def deeper_response_name(topic: str, depth: int) -> str:
    """Name of the response holding level `depth` of `topic` (kept beside the answer in data/responses/faq.yml)."""
    return f"utter_{Intents.FAQ}/{topic}_more_{depth}"


def plan_is_latest(events: Iterable[Mapping]) -> bool:
    """True when a plan was shown or discussed after the last FAQ question."""
    for event in reversed(list(events)):
        if event.get("event") == "action" and event.get("name") in PLAN_TALK_ACTIONS:
            return True
        if event.get("event") == "user" and understood(event.get("parse_data")).intent == Intents.FAQ:
            return False
    return False
