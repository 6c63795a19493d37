"""The chat's language as the channel sees it, and the few texts the channel sends by itself.

Rasa answers in the conversation's language (the `language` slot); the channel only helps it and
speaks for itself where Rasa never sees the update:

  message_metadata(code)   what every message to Rasa carries: the user's Telegram language_code,
                           the default language of a new conversation (actions/language.py)
  chat_language(...)       the language of an incoming message: its writing, else the user's app
  notice(key, language)    the channel's own texts (a sticker, an expired button), from data/channels.yml

Pure: no Telegram or Rasa import.
"""
from __future__ import annotations

from typing import Any, Dict, Optional

from bot.channels.texts import text
from bot.names import MetadataKeys
from bot.nlu.language import conversation_language

# Keys of data/channels.yml
TEXT_ONLY = "text_only"  # a sticker, photo or voice message: Rasa reads text only
EXPIRED = "button_expired"  # a tap on a button that was used already or is too old to check


def notice(key: str, language: str) -> str:
    """One of the channel's own texts in ``language`` (English for a language we do not speak)."""
    return text(key, language)


def chat_language(text: Optional[str], language_code: Optional[str]) -> str:
    """The language to answer an update in, when the channel answers it itself.

    What the user wrote decides (Chinese characters or English words), then their Telegram app's
    language, then English: the same order as a new conversation's (bot.nlu.language). A payload
    ("/tell_me_more", a command) is no writing: its English intent name says nothing.
    """
    written = None if (text or "").lstrip().startswith("/") else text
    return conversation_language(None, written, language_code)


def message_metadata(language_code: Optional[str]) -> Dict[str, Any]:
    """A message's metadata for Rasa: the user's language_code, when Telegram gives one (else nothing)."""
    return {MetadataKeys.LANGUAGE: language_code} if language_code else {}
