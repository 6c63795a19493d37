"""Reading what Rasa's NLU made of a message (its `parse_data`): the intent and, for the retrieval
intent `faq`, the topic the ResponseSelector chose, each with its confidence.

The one reader of that format, shared by "tell me more", the review tools and the piped shell.
Pure: plain dicts in, no Rasa import.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Optional

from bot.names import Intents

_TOPIC_PREFIX = Intents.FAQ + "/"


@dataclass(frozen=True)
class Understood:
    intent: Optional[str]
    confidence: Optional[float]
    faq_topic: Optional[str] = None  # e.g. "what_is_internet_plus", only for intent `faq`
    topic_confidence: Optional[float] = None

    def both(self) -> str:
        """'faq 0.98, topic cloud_computing 0.26' or 'greet 0.99': the intent and, for a FAQ question,
        the topic, each with its own score (the topic's decides whether the answer goes out)."""
        intent = f"{self.intent or '?'} {self.confidence or 0.0:.2f}"
        if not self.faq_topic:
            return intent
        return f"{intent}, topic {self.faq_topic} {self.topic_confidence or 0.0:.2f}"

    def label(self) -> str:
        """'faq/cloud_computing 0.97' or 'greet 0.99': what decided, with its score."""
        if self.faq_topic:
            score = self.topic_confidence if self.topic_confidence is not None else self.confidence
            return f"{_TOPIC_PREFIX}{self.faq_topic} {score or 0.0:.2f}"
        return f"{self.intent or '?'} {self.confidence or 0.0:.2f}"


def understood(parse_data: Optional[Mapping[str, Any]]) -> Understood:
    """The intent and FAQ topic in `parse_data`; missing or malformed parts become None."""
    parse_data = parse_data if isinstance(parse_data, Mapping) else {}
    intent = parse_data.get("intent") if isinstance(parse_data.get("intent"), Mapping) else {}
    name = intent.get("name") if isinstance(intent.get("name"), str) else None
    topic, topic_confidence = None, None
    if name == Intents.FAQ:
        selector = parse_data.get("response_selector") or {}
        response = ((selector.get(Intents.FAQ) or {}) if isinstance(selector, Mapping) else {}).get("response") or {}
        key = response.get("intent_response_key") if isinstance(response, Mapping) else None
        if isinstance(key, str) and key.startswith(_TOPIC_PREFIX):
            topic, topic_confidence = key[len(_TOPIC_PREFIX):], _number(response.get("confidence"))
    return Understood(name, _number(intent.get("confidence")), topic, topic_confidence)


def _number(value: Any) -> Optional[float]:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
