""""Tell me more": which topic the user last asked about and how deep to go next.

Works on plain Rasa tracker events (dicts), so it is testable without Rasa.
"""
from __future__ import annotations

from typing import Iterable, Mapping

FAQ_INTENT = "faq"
MORE_INTENT = "tell_me_more"
# Actions after which "tell me more" is about the plan rather than a concept.
PLAN_ACTIONS = {"action_make_plan", "action_show_plan", "action_cheaper_plan", "action_already_have",
                "action_welcome_back", "action_step_details", "action_explain_step"}


def faq_topic(parse_data: Mapping) -> str | None:
    """The FAQ topic key (e.g. 'what_is_internet_plus') the response selector picked."""
    if (parse_data.get("intent") or {}).get("name") != FAQ_INTENT:
        return None
    selected = ((parse_data.get("response_selector") or {}).get(FAQ_INTENT) or {}).get("response") or {}
    key = selected.get("intent_response_key") or ""
    prefix = FAQ_INTENT + "/"
    return key[len(prefix):] if key.startswith(prefix) else None


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
        intent = (parse_data.get("intent") or {}).get("name")
        if intent == MORE_INTENT:
            depth += 1
        elif intent == FAQ_INTENT:
            return faq_topic(parse_data), max(depth, 1)
    return None, max(depth, 1)


def deeper_response_name(topic: str, depth: int) -> str:
    """Name of the response holding level `depth` of `topic` (kept beside the answer in data/responses/faq.yml)."""
    return f"utter_{FAQ_INTENT}/{topic}_more_{depth}"


def plan_is_latest(events: Iterable[Mapping]) -> bool:
    """True when a plan was shown or discussed after the last FAQ question."""
    for event in reversed(list(events)):
        if event.get("event") == "action" and event.get("name") in PLAN_ACTIONS:
            return True
        if event.get("event") == "user" and ((event.get("parse_data") or {}).get("intent") or {}).get("name") == FAQ_INTENT:
            return False
    return False
