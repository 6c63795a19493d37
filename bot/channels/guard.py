"""What every channel does to an incoming message before Rasa sees it.

Shared by the REST, widget and Telegram channels so they behave alike.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import UserMessage

from bot.nlu.input_screen import payload_for_oversized

logger = logging.getLogger(__name__)

SORRY_TEXT = "Sorry, something went wrong on my side. Please try again in a moment."


def prepare_text(text: str) -> str:
    """Swap an oversized message for a short payload so NLU never parses it."""
    return payload_for_oversized(text) or text


def never_crash(
    on_new_message: Callable[[UserMessage], Awaitable[Any]]
) -> Callable[[UserMessage], Awaitable[Any]]:
    """Wrap Rasa's message handler: an internal error becomes a polite reply, not silence."""

    async def handle(message: UserMessage) -> None:
        try:
            await on_new_message(message)
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - the user must get an answer whatever failed
            logger.exception("Handling a message from %s failed", message.sender_id)
            await message.output_channel.send_text_message(message.sender_id, SORRY_TEXT)

    return handle
