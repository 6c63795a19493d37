""""Did you mean ...?": the likeliest meanings of a message the assistant is not sure about, as buttons.

From a parse result (the intent ranking, and for `faq` the ResponseSelector's topic ranking) and
data/clarify.yml (a title and a payload per intent or FAQ topic). No raw intent name is ever shown:
only what data/clarify.yml lists is offered, in the conversation's language (`title_zh`, `payload_zh`).
Pure: no Rasa import.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping, Optional

from bot.names import Intents
from bot.paths import DATA_DIR
from bot.yaml_source import DataError, line_of, load_yaml, localised

CLARIFY_FILE = DATA_DIR / "clarify.yml"


@dataclass(frozen=True)
class Choices:
    intents: dict[str, dict]  # intent -> {"title", "payload"}
    topics: dict[str, dict]  # FAQ topic -> {"title", "payload"}


def load_choices(path: Path = CLARIFY_FILE, intents: Optional[set] = None, topics: Optional[set] = None,
                 language: str = "en") -> Choices:
    """The file's choices in `language`; with `intents`/`topics` given, names not among them are a DataError."""
    doc = load_yaml(path)
    if not isinstance(doc, dict):
        raise DataError(path, None, "expected `intents:` and `topics:`.")
    found = {}
    for key, known in (("intents", intents), ("topics", topics)):
        block = doc.get(key) or {}
        for name, choice in block.items():
            where = line_of(block, name)
            if known is not None and name not in known:
                raise DataError(path, where, f"'{name}' is not a known {key[:-1]}.",
                                f"use a name from {'domain.yml' if key == 'intents' else 'data/nlu/faq.yml (faq/<topic>)'}.")
            if not isinstance(choice, dict) or not str(choice.get("title") or "").strip() or not choice.get("payload"):
                raise DataError(path, where, f"'{name}' needs a `title` and a `payload`.",
                                f'write `{name}: {{title: "...", payload: "..."}}`.')
            if any(len(str(choice.get(k) or "").encode()) > 64 for k in ("payload", "payload_zh")):
                raise DataError(path, where, f"the payload of '{name}' is over 64 bytes.", "Telegram drops longer button data.")
        found[key] = {str(name): {"title": str(localised(c, "title", language)), "payload": str(localised(c, "payload", language))}
                      for name, c in block.items()}
    return Choices(found["intents"], found["topics"])


@lru_cache(maxsize=None)
def choices(language: str = "en") -> Choices:
    return load_choices(language=language)


def likeliest(parse_data: Mapping[str, Any], options: Choices, count: int = 2) -> list[dict]:
    """Up to `count` buttons for the likeliest meanings, best first; FAQ topics in place of `faq`."""
    buttons: list[dict] = []
    ranking = parse_data.get("intent_ranking") or [parse_data.get("intent") or {}]
    for entry in ranking:
        name = entry.get("name") if isinstance(entry, Mapping) else None
        if name == Intents.FAQ:
            for topic in _topics(parse_data):
                if topic in options.topics:
                    buttons.append(options.topics[topic])
        elif name in options.intents:
            buttons.append(options.intents[name])
    unique = list({b["payload"]: b for b in buttons}.values())
    return unique[:count]


def _topics(parse_data: Mapping[str, Any]) -> list[str]:
    selector = (parse_data.get("response_selector") or {}).get(Intents.FAQ) or {}
    ranking = selector.get("ranking") or [selector.get("response") or {}]
    prefix = Intents.FAQ + "/"
    return [r["intent_response_key"][len(prefix):] for r in ranking
            if isinstance(r, Mapping) and str(r.get("intent_response_key") or "").startswith(prefix)]


def topic_is_unsure(parse_data: Mapping[str, Any], threshold: float, ambiguity: float) -> bool:
    """For `faq`: the chosen topic's score is low, or the second topic is close behind it."""
    selector = (parse_data.get("response_selector") or {}).get(Intents.FAQ) or {}
    scores = sorted((float(r.get("confidence") or 0.0) for r in selector.get("ranking") or []
                     if isinstance(r, Mapping)), reverse=True)
    if not scores:
        return False
    return scores[0] < threshold or (len(scores) > 1 and scores[0] - scores[1] < ambiguity)
