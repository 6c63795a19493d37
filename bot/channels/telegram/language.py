"""The chat's language as the channel sees it, and the few texts the channel sends by itself.

Rasa answers in the conversation's language (the `language` slot); the channel only helps it and
speaks for itself where Rasa never sees the update:

  message_metadata(code)   what every message to Rasa carries: the user's Telegram language_code,
                           the default language of a new conversation (actions/language.py)
  chat_language(...)       the language of an incoming message: its writing, else the user's app
  notice(key, language)    the channel's own texts (a sticker, an expired button), from NOTICES

Pure: no Telegram or Rasa import.
"""
from __future__ import annotations

from typing import Any, Dict, Optional

from bot.names import MetadataKeys
from bot.nlu.language import CHINESE, ENGLISH, conversation_language

TEXT_ONLY = "text_only"  # a sticker, photo or voice message: Rasa reads text only
EXPIRED = "expired"  # a tap on a button that was used already or is too old to check

NOTICES: Dict[str, Dict[str, str]] = {
    ENGLISH: {
        TEXT_ONLY: "Sorry, I can only read text messages. Please type your question, or tap one of my buttons.",
        EXPIRED: "That button has expired.",
    },
    CHINESE: {
        TEXT_ONLY: "抱歉，我只能看懂文字消息。请直接打字提问，或者点一下我的按钮。",
        EXPIRED: "这个按钮已经失效了。",
    },
}


def notice(key: str, language: str) -> str:
    """One of the channel's own texts in ``language`` (English for a language we do not speak)."""
    return NOTICES.get(language, NOTICES[ENGLISH])[key]


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
