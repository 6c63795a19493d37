"""Spots messages the language model should not try to interpret: empty, too long,
symbols or emoji only, code or markup, a language other than English and Chinese, or an unknown
button/command.

Pure functions; the Rasa component (bot.nlu.components) and the channels call them.
"""
from __future__ import annotations

import json
import re
import unicodedata
from enum import Enum
from functools import lru_cache

from bot.names import Entities, Intents
from bot.nlu.language import has_kana_or_hangul, majority_language, script_language

MAX_MESSAGE_CHARS = 2000

# CJK characters that appear in otherwise English answers about money and head count ("2万元").
_NUMERIC_CJK = set("零一二两三四五六七八九十百千万亿元块人个月年")

# Latin-script languages we recognise by their function words (spaCy ships the lists).
_OTHER_LATIN_LANGUAGES = ("es", "fr", "de", "it", "pt", "nl", "id", "tr", "pl", "sv", "da", "ro", "vi")


# HTML tags, template or shell expansions, and SQL statements: pasted code, not a question.
_CODE_OR_MARKUP = re.compile(
    r"<\s*/?\s*[a-z][a-z0-9]*(\s[^<>]*)?/?\s*>"  # an HTML tag
    r"|\{\{|\$\{|\{%"  # template or shell expansion
    r"|;\s*--|'\s*or\s+'?1'?\s*=\s*'?1"  # SQL injection idioms
    r"|\b(select\s+\*|union\s+select|drop\s+table|insert\s+into\s+\w+|delete\s+from\s+\w+\s*(;|where|$))",
    re.IGNORECASE,
)


class InputProblem(str, Enum):
    EMPTY = "empty"
    TOO_LONG = "too_long"
    SYMBOLS_ONLY = "symbols_only"
    CODE_OR_MARKUP = "code_or_markup"
    OTHER_LANGUAGE = "other_language"
    UNKNOWN_COMMAND = "unknown_command"


def screen(text: str | None) -> InputProblem | None:
    """Classify a raw message; None means it is fit for NLU."""
    if text is None or not text.strip():
        return InputProblem.EMPTY
    if len(text) > MAX_MESSAGE_CHARS:
        return InputProblem.TOO_LONG
    stripped = text.strip()
    if stripped.startswith("/"):
        # Valid button payloads are turned into intents by Rasa after NLU, which
        # replaces this verdict; anything else starting with "/" is an unknown command.
        return InputProblem.UNKNOWN_COMMAND
    if not any(ch.isalnum() for ch in stripped):
        return InputProblem.SYMBOLS_ONLY
    if _CODE_OR_MARKUP.search(stripped):
        return InputProblem.CODE_OR_MARKUP
    wide = unicodedata.normalize("NFKC", stripped)  # full-width letters ("ＥＸＣＥＬ") are Latin ones
    if _mostly_non_latin(wide) or _looks_like_other_latin_language(wide):
        return InputProblem.OTHER_LANGUAGE
    return None


def payload_for_oversized(text: str | None) -> str | None:
    """For channels: a short intent payload that replaces an unusable message before NLU.

    Parsing a huge message blocks Rasa's event loop for every user, so channels swap it
    for this payload. Its language goes along, so the reply comes in the language it was written in.
    Returns None when the text can go to NLU as it is.
    """
    if text is not None and len(text) > MAX_MESSAGE_CHARS:
        entities = {Entities.INPUT_PROBLEM: InputProblem.TOO_LONG.value}
        language = script_language(text[:MAX_MESSAGE_CHARS]) or majority_language(text[:MAX_MESSAGE_CHARS])
        if language:
            entities[Entities.LANGUAGE] = language
        return f"/{Intents.FALLBACK}" + json.dumps(entities)
    return None


def _mostly_non_latin(text: str) -> bool:
    """Mostly letters of neither English nor Chinese: Cyrillic, Arabic, Japanese kana, Korean..."""
    if has_kana_or_hangul(text):
        return True  # Japanese or Korean, even with Chinese characters among the kana
    letters = [ch for ch in text if ch.isalpha() and ch not in _NUMERIC_CJK]
    if not letters:
        return False
    foreign = sum(1 for ch in letters if not unicodedata.name(ch, "").startswith(("LATIN", "CJK UNIFIED IDEOGRAPH")))
    return foreign / len(letters) > 0.5


def _words(text: str) -> list[str]:
    cleaned = "".join(ch.lower() if ch.isalpha() or ch == "'" else " " for ch in text)
    return cleaned.split()


def _looks_like_other_latin_language(text: str) -> bool:
    """True when one other language's function words clearly outnumber English ones.

    Single letters are no evidence: "r u a bot" is English chat-speak.
    """
    words = _words(text)
    if len(words) < 3:
        return False
    english = _stop_words("en")
    english_hits = sum(w in english for w in words)
    not_english = [w for w in words if len(w) > 1 and w not in english]
    for lang in _OTHER_LATIN_LANGUAGES:
        stops = _stop_words(lang)
        hits = sum(w in stops for w in words)
        only_theirs = sum(w in stops for w in not_english)
        if only_theirs >= 2 and hits > 1.5 * english_hits:
            return True
    return False


@lru_cache(maxsize=None)
def _stop_words(lang: str) -> frozenset[str]:
    from importlib import import_module

    return frozenset(import_module(f"spacy.lang.{lang}.stop_words").STOP_WORDS)
