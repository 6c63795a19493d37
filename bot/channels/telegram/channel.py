"""The Telegram channel, on python-telegram-bot, inside the Rasa server's process and event loop.

Set up by the environment (settings.py; credentials.yml only names the class, so nothing breaks
when unset).

Routes: GET /webhooks/telegram/ (status) and POST /webhooks/telegram/webhook, which refuses
a missing or wrong X-Telegram-Bot-Api-Secret-Token with 403, answers 200 at once and handles
the update afterwards. Each update is handled once (updates.UpdateLog, saved in the app
database), and one chat's updates one after another. The chat is the conversation: sender id
"tg-<chat_id>". Every message to Rasa carries the user's Telegram language_code as metadata
(the default language of a new conversation); the few texts the channel sends itself are in the
language of the message they answer (language.py; the texts are in data/channels.yml). Pure logic
lives beside this module: formatting.py, commands.py, updates.py, language.py.
"""
from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
from collections import OrderedDict
from datetime import datetime, timezone
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from telegram import BotCommand, CallbackQuery, Message, Update, User
from telegram.error import BadRequest, Conflict, InvalidToken, TelegramError
from telegram.ext import AIORateLimiter, ExtBot
from telegram.request import HTTPXRequest

from bot.channels.guard import never_crash, prepare_text
from bot.channels.telegram.commands import (MENU_LANGUAGES, addressed_text, command_menu, command_payload,
                                            sender_for_chat)
from bot.channels.telegram.language import EXPIRED, TEXT_ONLY, chat_language, message_metadata, notice
from bot.channels.telegram.output import TelegramOutput
from bot.channels.telegram.settings import TelegramSettings, TelegramSettingsError
from bot.channels.telegram.updates import ChatLocks, UpdateLog

logger = logging.getLogger(__name__)

POLL_SECONDS = 25
ALLOWED_UPDATES = ["message", "callback_query"]
MAX_BODY_BYTES = 1024 * 1024


class TelegramInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "TelegramInput":
        try:
            settings = TelegramSettings.from_env()
        except TelegramSettingsError as err:
            # A Telegram misconfiguration must not take the website widget and REST down with it.
            logger.error("Telegram is off: %s", err)
            return cls(None)
        if settings is None:
            logger.warning("Telegram is off: set TELEGRAM_TOKEN")
        return cls(settings)

    def __init__(self, settings: Optional[TelegramSettings], store_factory: Optional[Callable[[], Any]] = None):
        self.settings = settings
        self.store_factory = store_factory or _default_store
        self.bot: Optional[ExtBot] = None
        self.output: Optional[TelegramOutput] = None
        self.ready = False
        self.log = UpdateLog()
        self._store: Any = None
        self._save_lock = asyncio.Lock()
        self._chats = ChatLocks()
        self._pressed: "OrderedDict[tuple, None]" = OrderedDict()  # messages whose buttons were used
        self._tasks: set = set()
        self._runner: Optional[asyncio.Task] = None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        self._handle_message = never_crash(on_new_message)
        bp = Blueprint("telegram", __name__)

        @bp.listener("after_server_start")
        async def start(app, loop) -> None:
            if self.settings:
                self._runner = asyncio.create_task(self._run())

        @bp.listener("before_server_stop")
        async def stop(app, loop) -> None:
            await self.stop()

        @bp.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            mode = self.settings.mode if self.settings else "off"
            return response.json({"status": "ok" if self.ready else "starting" if self.settings else "off",
                                  "mode": mode})

        @bp.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if not self._secret_ok(request.headers.get("X-Telegram-Bot-Api-Secret-Token")):
                return response.json({"error": "forbidden"}, status=403)
            if not self.ready:
                return response.json({"error": "starting, try again"}, status=503)  # Telegram retries
            if len(request.body or b"") > MAX_BODY_BYTES:
                return response.json({"error": "too large"}, status=413)
            try:
                update = Update.de_json(json.loads(request.body), self.bot)
            except Exception:  # noqa: BLE001 - not an update: nothing to retry
                return response.json({"error": "not a Telegram update"}, status=400)
            self.receive(update)
            return response.json({"ok": True})

        return bp

    # --- life cycle -------------------------------------------------------------------------

    async def _run(self) -> None:
        try:
            await self._start()
        except InvalidToken:
            logger.error("Telegram refused TELEGRAM_TOKEN: copy it again from @BotFather. The channel is off.")
        except BadRequest as error:  # e.g. a webhook URL Telegram will not call
            logger.error("Telegram refused the channel's settings: %s. The channel is off.", error)
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - the rest of the server keeps running
            logger.exception("The Telegram channel stopped")

    async def _start(self) -> None:
        """Connect (retrying while Telegram is unreachable), then poll or set the webhook."""
        settings = self.settings
        logging.getLogger("httpx").setLevel(logging.WARNING)  # its INFO lines carry the token in the URL
        self.bot = ExtBot(settings.token, base_url=settings.base_url or "https://api.telegram.org/bot",
                          rate_limiter=AIORateLimiter(max_retries=5),
                          request=HTTPXRequest(connection_pool_size=64),
                          get_updates_request=HTTPXRequest(connection_pool_size=2, read_timeout=10))
        self.output = TelegramOutput(self.bot)
        await self._retrying("connect", self.bot.initialize)
        await self._open_store()
        await self._register_commands()
        if settings.mode == "webhook":
            await self._retrying("set the webhook", lambda: self.bot.set_webhook(
                settings.webhook_url, secret_token=settings.secret, allowed_updates=ALLOWED_UPDATES))
            self.ready = True
            logger.info("Telegram is on: @%s receives updates at %s", self.bot.username, settings.webhook_url)
        else:
            await self._retrying("delete any webhook", lambda: self.bot.delete_webhook())
            self.ready = True
            logger.info("Telegram is on: @%s, polling for updates", self.bot.username)
            await self._poll()

    async def _register_commands(self) -> None:
        """The command menu, described in English by default and in Chinese for Chinese apps.

        A menu Telegram refuses costs only its descriptions (the commands still work): logged, not raised.
        """
        for language_code, language in MENU_LANGUAGES.items():
            commands = [BotCommand(name, description) for name, description in command_menu(language)]
            try:
                await self.bot.set_my_commands(commands, language_code=language_code)
            except TelegramError as error:
                logger.warning("Telegram: could not register the commands (%s): %s", language, error)

    async def _retrying(self, what: str, call: Callable[[], Awaitable[Any]]) -> None:
        delay = 1
        while True:
            try:
                await call()
                return
            except (InvalidToken, BadRequest):  # retrying would not help
                raise
            except TelegramError as error:
                logger.warning("Telegram: could not %s (%s); retrying in %ss", what, error, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 60)

    async def _poll(self) -> None:
        """Long-poll getUpdates for ever; back off on errors, never give up."""
        delay = 1
        while True:
            try:
                updates = await self.bot.get_updates(offset=self.log.next_offset(_now()), timeout=POLL_SECONDS,
                                                     allowed_updates=ALLOWED_UPDATES)
            except InvalidToken:
                raise
            except Conflict as error:
                logger.warning("Telegram: %s. Only one process may poll with a token; deleting any webhook", error)
                with contextlib.suppress(TelegramError):
                    await self.bot.delete_webhook()
            except TelegramError as error:
                logger.warning("Telegram getUpdates failed (%s); retrying in %ss", error, delay)
            except Exception:  # noqa: BLE001 - e.g. an update python-telegram-bot cannot read
                logger.exception("Telegram polling failed; retrying in %ss", delay)
            else:
                delay = 1
                for update in updates:
                    self.receive(update)
                continue
            await asyncio.sleep(delay)
            delay = min(delay * 2, 60)

    async def stop(self) -> None:
        """Stop polling, let the updates in hand finish (10 s at most), close the connections."""
        self.ready = False
        if self._runner:
            self._runner.cancel()
            with contextlib.suppress(BaseException):
                await self._runner
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=10)
            for task in list(self._tasks):
                task.cancel()
        if self.bot:
            with contextlib.suppress(Exception):
                await self.bot.shutdown()
            logger.info("Telegram channel stopped")

    # --- updates ----------------------------------------------------------------------------

    def receive(self, update: Update) -> bool:
        """Handle the update in the background unless it was handled before; True if it is new."""
        if not self.log.accept(update.update_id, _now()):
            logger.info("Telegram update %s was handled already; skipped", update.update_id)
            return False
        chat = update.effective_chat
        task = asyncio.create_task(self._handle(update, chat.id if chat else None))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return True

    async def _claimed(self, update_id: int) -> bool:
        """Whether this server takes the update: the shared database decides among replicas (Telegram
        may resend an update to any of them). Without the database, the local log has decided."""
        if self._store is None:
            return True
        try:
            return await self._store.aclaim_update(str(self.bot.id), update_id)
        except Exception:  # noqa: BLE001 - the database is down: answer rather than stay silent
            logger.warning("Telegram: could not claim update %s in the app database; handling it here", update_id)
            return True

    async def _handle(self, update: Update, chat_id: Optional[int]) -> None:
        try:
            async with self._chats.hold(chat_id):  # first, so one chat's updates keep their order
                if not await self._claimed(update.update_id):
                    logger.info("Telegram update %s was taken by another server; skipped", update.update_id)
                    return
                if update.callback_query:
                    await self._on_button(update.callback_query)
                elif update.message:
                    await self._on_message(update.message)
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - one bad update must not stop the others
            logger.exception("Telegram update %s failed", update.update_id)
        finally:
            await self._save_log()

    async def _on_message(self, message: Message) -> None:
        private = message.chat.type == "private"
        replied = message.reply_to_message
        replies_to_bot = bool(replied and replied.from_user and replied.from_user.id == self.bot.id)
        sender = sender_for_chat(message.chat.id)
        language_code = _language_code(message.from_user)
        if message.text is None:
            if message.effective_attachment is not None and (private or replies_to_bot):
                language = chat_language(message.caption, language_code)
                await self.output.send_text_message(sender, notice(TEXT_ONLY, language))
            return  # service messages (someone joined, a pin, ...) get no answer
        text = addressed_text(message.text, private, self.bot.username or "", replies_to_bot)
        if text is not None:
            await self._to_rasa(command_payload(text) or prepare_text(text), sender, language_code)

    async def _on_button(self, query: CallbackQuery) -> None:
        message = query.message
        key = (message.chat.id, message.message_id) if message and message.is_accessible else None
        live = key and key not in self._pressed and query.data and message.reply_markup and any(
            button.callback_data == query.data for row in message.reply_markup.inline_keyboard for button in row)
        if not live:
            language = chat_language(query.data, _language_code(query.from_user))
            await self._quietly(self.bot.answer_callback_query(query.id, text=notice(EXPIRED, language)))
            return
        self._pressed[key] = None
        while len(self._pressed) > 10_000:
            self._pressed.popitem(last=False)
        await self._quietly(self.bot.answer_callback_query(query.id))
        await self._quietly(self.bot.edit_message_reply_markup(chat_id=key[0], message_id=key[1], reply_markup=None))
        await self._to_rasa(query.data, sender_for_chat(key[0]), _language_code(query.from_user))

    async def _to_rasa(self, text: str, sender: str, language_code: Optional[str]) -> None:
        """Hand a message to Rasa, with the user's language_code for a conversation that has no language yet."""
        await self._handle_message(UserMessage(text, self.output, sender, input_channel=self.name(),
                                               metadata=message_metadata(language_code)))

    # --- helpers ----------------------------------------------------------------------------

    def _secret_ok(self, given: Optional[str]) -> bool:
        if not self.settings or self.settings.mode != "webhook" or given is None:
            return False
        return hmac.compare_digest(given.encode("utf-8", "replace"), self.settings.secret.encode())

    async def _open_store(self) -> None:
        try:
            self._store = await asyncio.to_thread(self.store_factory)
            saved = await self._store.aload_state(self._log_key())
            self.log = UpdateLog.from_json(saved)
        except Exception:  # noqa: BLE001 - without it updates are still handled once until a restart
            logger.exception("Telegram: the app database failed; handled update ids are kept in memory only")
            self._store = None

    async def _save_log(self) -> None:
        if self._store is None:
            return
        async with self._save_lock:  # one save at a time, each with the newest log
            try:
                await self._store.asave_state(self._log_key(), self.log.to_json())
            except Exception:  # noqa: BLE001
                logger.exception("Telegram: could not save the handled update ids")

    def _log_key(self) -> str:
        return f"telegram:{self.bot.id}:updates"

    @staticmethod
    async def _quietly(call: Awaitable[Any]) -> None:
        try:
            await call
        except TelegramError as error:
            logger.warning("Telegram: %s", error)


def _default_store():
    from bot.storage import Store

    return Store()


def _language_code(user: Optional[User]) -> Optional[str]:
    """The language of the user's Telegram app ("zh-hans", "en"); None when Telegram does not say."""
    return user.language_code if user else None


def _now() -> datetime:
    return datetime.now(timezone.utc)
