"""Sends the assistant's replies to a Telegram chat (the Telegram channel's OutputChannel).

Texts go out as HTML (formatting.to_html), split into parts of at most 4,096
characters; buttons become an inline keyboard under the last part, one button per row, whose
callback_data is the button's payload. Images go out with send_photo.

Rate limits are python-telegram-bot's AIORateLimiter's job (the bot is built with it): a 429
is waited out and resent. A reply that Telegram still refuses is logged, never raised, so a
failed send cannot break the conversation's turn.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import OutputChannel
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, NetworkError, TelegramError, TimedOut

from bot.channels.telegram.commands import chat_for_sender
from bot.channels.telegram.formatting import callback_data, split_html, to_html, visible_text

logger = logging.getLogger(__name__)

NETWORK_RETRIES = 3


class TelegramOutput(OutputChannel):
    @classmethod
    def name(cls) -> Text:
        return "telegram"

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._send_text(chat_for_sender(recipient_id), text)

    async def send_text_with_buttons(self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]],
                                     **kwargs: Any) -> None:
        await self._send_text(chat_for_sender(recipient_id), text, keyboard(buttons))

    async def send_image_url(self, recipient_id: Text, image: Text, **kwargs: Any) -> None:
        chat_id = chat_for_sender(recipient_id)
        try:
            await self._call(self.bot.send_photo, chat_id=chat_id, photo=image)
        except BadRequest as error:  # e.g. Telegram could not fetch it: send the link instead
            logger.warning("Telegram refused the photo %s (%s); sending the link", image, error)
            await self._send_text(chat_id, image)
        except TelegramError as error:
            logger.warning("Telegram send_photo to chat %s failed: %s", chat_id, error)

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any) -> None:
        logger.info("Telegram: a custom payload was not sent (only text, buttons and images are)")

    async def _send_text(self, chat_id: int, text: Text, markup: Optional[InlineKeyboardMarkup] = None) -> None:
        parts = split_html(to_html(text))
        if not parts and markup:
            parts = ["\u2063"]  # an invisible character: Telegram refuses buttons without text
        for number, part in enumerate(parts, start=1):
            extra = {"reply_markup": markup} if markup and number == len(parts) else {}
            try:
                try:
                    await self._call(self.bot.send_message, chat_id=chat_id, text=part,
                                     parse_mode=ParseMode.HTML, **extra)
                except BadRequest as error:  # should not happen; if it does, the words still arrive
                    logger.warning("Telegram refused a message as HTML (%s); sending it as plain text", error)
                    await self._call(self.bot.send_message, chat_id=chat_id, text=visible_text(part), **extra)
            except TelegramError as error:  # blocked by the user, rate limit never lifted, ...
                logger.warning("Telegram send_message to chat %s failed: %s", chat_id, error)
                return

    @staticmethod
    async def _call(method: Callable[..., Awaitable[Any]], **kwargs: Any) -> Any:
        """Call the Bot API, retrying a failed connection; a time-out is not retried (it may have arrived)."""
        for attempt in range(NETWORK_RETRIES):
            try:
                return await method(**kwargs)
            except (BadRequest, TimedOut):
                raise
            except NetworkError:
                if attempt + 1 == NETWORK_RETRIES:
                    raise
                await asyncio.sleep(2 ** attempt)


def keyboard(buttons: List[Dict[Text, Any]]) -> Optional[InlineKeyboardMarkup]:
    """One inline button per row; a payload over 64 bytes cannot be a button and is left out."""
    rows = []
    for button in buttons or []:
        title = str(button.get("title") or button.get("payload") or "")[:100]
        if button.get("url"):
            rows.append([InlineKeyboardButton(title, url=button["url"])])
        elif callback_data(str(button.get("payload") or "")):
            rows.append([InlineKeyboardButton(title, callback_data=button["payload"])])
        else:
            logger.warning("Telegram: button %r left out, its payload is empty or over 64 bytes", title)
    return InlineKeyboardMarkup(rows) if rows else None
