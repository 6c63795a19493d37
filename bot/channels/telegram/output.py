"""Sends the assistant's replies to a Telegram chat (the Telegram channel's OutputChannel).

Texts go out as HTML (formatting.to_html), split into parts of at most 4,096
characters; buttons become an inline keyboard under the last part, one button per row, whose
callback_data is the button's payload. Images go out with send_photo, a text beside them as the
caption. Our own report links (the chart, the plan's PDF and Markdown: bot.report.links) are drawn
here and uploaded, since Telegram cannot fetch a URL on localhost or behind a firewall; the plan's
files go out with send_document.

Rate limits are python-telegram-bot's AIORateLimiter's job (the bot is built with it): a 429
is waited out and resent. A reply that Telegram still refuses is logged, never raised, so a
failed send cannot break the conversation's turn.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import OutputChannel
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.constants import ParseMode
from telegram.error import BadRequest, NetworkError, TelegramError, TimedOut

from bot.channels.guard import SORRY
from bot.channels.telegram.commands import chat_for_sender
from bot.channels.texts import text
from bot.nlu.language import conversation_language
from bot.channels.telegram.formatting import callback_data, split_html, to_html, visible_text

logger = logging.getLogger(__name__)

NETWORK_RETRIES = 3
CAPTION_LIMIT = 1024  # Telegram's limit for a photo's or document's caption
DOCUMENTS = "documents"  # a custom payload's files (actions/charts.py)


class TelegramOutput(OutputChannel):
    @classmethod
    def name(cls) -> Text:
        return "telegram"

    def __init__(self, bot: Bot, files: Optional[Any] = None) -> None:
        self.bot = bot
        self._files = files  # bot.report.files.ReportFiles; the server's own when None

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        """A picture with its text as the caption, and the plan's files as documents; the rest as Rasa does."""
        text, custom = message.get("text") or "", message.get("custom")
        files = custom.get(DOCUMENTS) if isinstance(custom, dict) else None
        plain = not message.get("buttons") and not message.get("quick_replies") and len(text) <= CAPTION_LIMIT
        if message.get("image") and plain and not custom:
            await self._send_photo(chat_for_sender(recipient_id), message["image"], text)
        elif isinstance(files, list) and plain and not message.get("image"):
            await self._send_documents(chat_for_sender(recipient_id), files, text)
        else:
            await super().send_response(recipient_id, message)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._send_text(chat_for_sender(recipient_id), text)

    async def send_text_with_buttons(self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]],
                                     **kwargs: Any) -> None:
        await self._send_text(chat_for_sender(recipient_id), text, keyboard(buttons))

    async def send_image_url(self, recipient_id: Text, image: Text, **kwargs: Any) -> None:
        await self._send_photo(chat_for_sender(recipient_id), image, "")

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any) -> None:
        files = json_message.get(DOCUMENTS) if isinstance(json_message, dict) else None
        if isinstance(files, list):
            await self._send_documents(chat_for_sender(recipient_id), files, "")
        else:
            logger.info("Telegram: a custom payload was not sent (only text, buttons, images and files are)")

    async def _send_photo(self, chat_id: int, image: Text, caption: Text) -> None:
        upload = await self._our_file(image)
        extra = {"caption": to_html(caption), "parse_mode": ParseMode.HTML} if caption else {}
        try:
            photo = InputFile(upload[0], filename=upload[1]) if upload else image
            await self._call(self.bot.send_photo, chat_id=chat_id, photo=photo, **extra)
        except BadRequest as error:  # e.g. Telegram could not fetch it: the words, and the link, instead
            logger.warning("Telegram refused the photo %s (%s); sending the link", image, error)
            await self._send_text(chat_id, "\n".join(filter(None, [caption, image])))
        except TelegramError as error:
            logger.warning("Telegram send_photo to chat %s failed: %s", chat_id, error)

    async def _send_documents(self, chat_id: int, files: List[Any], caption: Text) -> None:
        """Each of our files uploaded, the caption on the first one sent; when none can be had, the
        caption and an apology as text, never silence."""
        sent = 0
        for found in files:
            url = found.get("url") if isinstance(found, dict) else None
            upload = await self._our_file(url) if isinstance(url, str) else None
            if upload is None:
                logger.warning("Telegram: file %r is not one of ours or is gone; not sent", url)
                continue
            extra = {"caption": to_html(caption), "parse_mode": ParseMode.HTML} if caption and not sent else {}
            name = str(found.get("name") or upload[1])[:64]
            try:
                await self._call(self.bot.send_document, chat_id=chat_id, document=upload[0], filename=name, **extra)
                sent += 1
            except TelegramError as error:
                logger.warning("Telegram send_document to chat %s failed: %s", chat_id, error)
        if not sent:
            sorry = text(SORRY, conversation_language(None, caption, None))
            await self._send_text(chat_id, "\n\n".join(filter(None, [caption, sorry])))

    async def _our_file(self, url: Text) -> Optional[tuple]:
        """(bytes, name) of one of our report links, drawn here; None for any other URL or a bad link."""
        if self._files is None:
            from bot.channels.reports import report_files

            self._files = report_files()
        try:
            return await self._files.for_url(url)
        except Exception:  # noqa: BLE001 - the database or drawing failed: the reply goes on without it
            logger.exception("Could not draw the report file %s", url)
            return None

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
