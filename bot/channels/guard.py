"""What every channel does to an incoming message before Rasa sees it.

Shared by the REST, widget and Telegram channels so they behave alike. The apology after a failure
is `sorry` in data/channels.yml.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import UserMessage

from bot.channels import texts
from bot.names import MetadataKeys
from bot.nlu.input_screen import payload_for_oversized
from bot.nlu.language import conversation_language

logger = logging.getLogger(__name__)

SORRY = "sorry"  # data/channels.yml


def sorry_text(message: UserMessage) -> str:
    """Said when handling a message failed, in the language of the message (else the user's app or browser)."""
    hint = (message.metadata or {}).get(MetadataKeys.LANGUAGE) if isinstance(message.metadata, dict) else None
    return texts.text(SORRY, conversation_language(None, message.text, hint))


def prepare_text(text: str) -> str:
    """Swap an oversized message for a short payload so NLU never parses it."""
    return payload_for_oversized(text) or text


def never_crash(
    on_new_message: Callable[[UserMessage], Awaitable[Any]]
) -> Callable[[UserMessage], Awaitable[Any]]:
    """Wrap Rasa's message handler: an internal error becomes a polite reply, not silence.

    Reads the channels' texts now, when the channel starts: a mistake in data/channels.yml stops the
    server with its file, line and fix, rather than turning the apology itself into a failure.
    """
    texts.load_channel_texts()

    async def handle(message: UserMessage) -> None:
        try:
            await on_new_message(message)
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - the user must get an answer whatever failed
            logger.exception("Handling a message from %s failed", message.sender_id)
            await message.output_channel.send_text_message(message.sender_id, sorry_text(message))

    return handle
