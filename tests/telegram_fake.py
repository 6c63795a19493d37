"""A fake Telegram Bot API server for offline tests: aiohttp on 127.0.0.1, in a thread of its own.

    fake = FakeTelegram(token).start()        # fake.base_url -> TELEGRAM_API_BASE_URL
    update = fake.text_update(chat_id, "hi")  # or sticker_update / press_update: a dict ...
    fake.text_update(chat_id, "你好", language_code="zh-hans")  # the user's app language ("en" unless said)
    fake.queue(update)                        # ... served by getUpdates (or POST it to a webhook)
    fake.wait_for(lambda: fake.sent(chat_id)) # sync waiting from a plain pytest test
    fake.fail_next("sendMessage", 1)          # the next sendMessage gets a 429, retry_after 1
    fake.refuse_next("setMyCommands", 2)      # the next two get a 400 Bad Request
    fake.stop()

It routes POST /bot{token}/{method}, reads form or JSON bodies the way python-telegram-bot sends
them, answers {"ok": true, "result": ...} with realistic objects, and records every call in
``fake.calls`` ({"method", "params", "status", "at", "result"}). A wrong token gets 401, getUpdates while
a webhook is set gets 409, as on the real server.
"""
from __future__ import annotations

import asyncio
import html
import itertools
import json
import re
import threading
import time
from typing import Any, Callable, Optional

from aiohttp import web

BOT_USER = {"id": 123456, "is_bot": True, "first_name": "DX Advisor", "username": "dx_advisor_test_bot",
            "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}
# Parameters python-telegram-bot sends as plain strings (everything else is JSON-encoded in forms).
STRING_PARAMS = {"text", "caption", "url", "photo", "document", "filename", "parse_mode", "secret_token", "callback_query_id",
                 "description", "short_description", "language_code"}


class FakeTelegram:
    def __init__(self, token: str = "123456:TEST-token", max_wait: float = 1.0) -> None:
        self.token, self.max_wait = token, max_wait
        self.calls: list[dict] = []
        self.webhook_url = ""
        self._updates: list[dict] = []
        self._messages: dict[tuple, dict] = {}  # (chat_id, message_id) -> the message as it is now
        self._failures: dict[str, int] = {}
        self._refusals: dict[str, int] = {}
        self._lock = threading.Lock()
        self._update_ids = itertools.count(1000)
        self._message_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self.port = 0

    # --- running ------------------------------------------------------------------------------

    def start(self) -> "FakeTelegram":
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="fake-telegram", daemon=True)
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._serve(), self._loop).result(10)
        return self

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self._close(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    async def _serve(self) -> None:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]

    async def _close(self) -> None:
        await self._runner.cleanup()
        pending = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in pending:  # long polls whose client went away
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

    # --- what tests use ---------------------------------------------------------------------

    def queue(self, update: dict) -> dict:
        with self._lock:
            self._updates.append(update)
        return update

    def fail_next(self, method: str, times: int = 1) -> None:
        """Answer the next ``times`` calls of ``method`` with 429 Too Many Requests, retry after 1 s."""
        with self._lock:
            self._failures[method] = times

    def refuse_next(self, method: str, times: int = 1) -> None:
        """Answer the next ``times`` calls of ``method`` with 400 Bad Request (not retried, unlike a 429)."""
        with self._lock:
            self._refusals[method] = times

    def calls_to(self, method: str, chat_id: Optional[int] = None, ok_only: bool = True) -> list[dict]:
        with self._lock:
            calls = list(self.calls)
        return [c for c in calls if c["method"] == method and (not ok_only or c["status"] == 200)
                and (chat_id is None or _int(c["params"].get("chat_id")) == chat_id)]

    def sent(self, chat_id: int) -> list[dict]:
        """The parameters of every sendMessage to the chat that succeeded."""
        return [c["params"] for c in self.calls_to("sendMessage", chat_id)]

    def last_message_id(self, chat_id: int) -> int:
        """The id of the newest message the bot sent to the chat."""
        return self.calls_to("sendMessage", chat_id)[-1]["result"]["message_id"]

    def message(self, chat_id: int, message_id: int) -> dict:
        with self._lock:
            return json.loads(json.dumps(self._messages[(chat_id, message_id)]))

    def wait_for(self, condition: Callable[[], Any], timeout: float = 60) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = condition()
            if result:
                return result
            time.sleep(0.05)
        raise AssertionError(f"timed out after {timeout}s; calls so far:\n{self.transcript()}")

    def transcript(self, skip: tuple = ("getUpdates",)) -> str:
        with self._lock:
            calls = list(self.calls)
        lines = []
        for call in calls:
            if call["method"] in skip:
                continue
            params = {k: v for k, v in call["params"].items() if k not in ("chat_id",)}
            lines.append(f"{call['status']} {call['method']} {json.dumps(params, ensure_ascii=False, default=_shown)}")
        return "\n".join(lines)

    # --- updates as Telegram sends them -----------------------------------------------------

    def text_update(self, chat_id: int, text: str, chat_type: str = "private", reply_to: Optional[dict] = None,
                    language_code: Optional[str] = "en") -> dict:
        message = self._incoming(chat_id, chat_type, language_code, text=text)
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        if reply_to:
            message["reply_to_message"] = reply_to
        return {"update_id": next(self._update_ids), "message": message}

    def sticker_update(self, chat_id: int, chat_type: str = "private", language_code: Optional[str] = "en") -> dict:
        sticker = {"file_id": "CAACAgIAAxk", "file_unique_id": "AgAD", "type": "regular", "width": 512,
                   "height": 512, "is_animated": False, "is_video": False, "emoji": "👍"}
        message = self._incoming(chat_id, chat_type, language_code, sticker=sticker)
        return {"update_id": next(self._update_ids), "message": message}

    def press_update(self, chat_id: int, message_id: int, data: str, message: Optional[dict] = None,
                     language_code: Optional[str] = "en") -> dict:
        """A tap on a button of a message the bot sent; ``message`` overrides what the bot sees."""
        query = {"id": f"cq{next(self._callback_ids)}", "from": _user(chat_id, language_code),
                 "chat_instance": f"ci{chat_id}", "data": data, "message": message or self.message(chat_id, message_id)}
        return {"update_id": next(self._update_ids), "callback_query": query}

    def _incoming(self, chat_id: int, chat_type: str, language_code: Optional[str], **content: Any) -> dict:
        chat = {"id": chat_id, "type": chat_type}
        chat.update({"first_name": "Ana"} if chat_type == "private" else {"title": "Shop owners"})
        return {"message_id": next(self._message_ids), "date": int(time.time()), "chat": chat,
                "from": _user(abs(chat_id), language_code), **content}

    # --- the API ----------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await _params(request)
        status, body = self._answer(request.match_info["token"], method, params)
        if method == "getUpdates" and status == 200 and not body["result"]:
            wait = min(float(params.get("timeout") or 0), self.max_wait)
            deadline = time.monotonic() + wait
            while not body["result"] and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
                status, body = self._answer(request.match_info["token"], method, params)
        with self._lock:
            self.calls.append({"method": method, "params": params, "status": status, "at": time.time(),
                               "result": body.get("result")})
        return web.json_response(body, status=status)

    def _answer(self, token: str, method: str, params: dict) -> tuple[int, dict]:
        if token != self.token:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        with self._lock:
            if self._refusals.get(method):
                self._refusals[method] -= 1
                return 400, {"ok": False, "error_code": 400, "description": "Bad Request: refused by the test"}
            if self._failures.get(method):
                self._failures[method] -= 1
                return 429, {"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 1",
                             "parameters": {"retry_after": 1}}
            handler = getattr(self, f"_api_{method}", None)
            if handler is None:
                return 404, {"ok": False, "error_code": 404, "description": "Not Found: method not found"}
            try:
                return 200, {"ok": True, "result": handler(params)}
            except _ApiError as error:
                return error.status, {"ok": False, "error_code": error.status, "description": str(error)}

    def _api_getMe(self, params: dict) -> dict:
        return BOT_USER

    def _api_getUpdates(self, params: dict) -> list:
        if self.webhook_url:
            raise _ApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                                 "use deleteWebhook to delete the webhook first")
        offset = _int(params.get("offset"))
        if offset is not None:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        return self._updates[: _int(params.get("limit")) or 100]

    def _api_setWebhook(self, params: dict) -> bool:
        if not str(params.get("url", "")).startswith("https://"):
            raise _ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        self.webhook_url = params["url"]
        return True

    def _api_deleteWebhook(self, params: dict) -> bool:
        self.webhook_url = ""
        return True

    def _api_setMyCommands(self, params: dict) -> bool:
        if params.get("language_code") not in (None, "") and not re.fullmatch(r"[a-z]{2}", params["language_code"]):
            raise _ApiError(400, "Bad Request: language_code must be a two-letter ISO 639-1 code")
        return True

    def _api_answerCallbackQuery(self, params: dict) -> bool:
        return True

    def _api_sendMessage(self, params: dict) -> dict:
        text = params.get("text", "")
        if params.get("parse_mode") == "HTML":
            if re.search(r"<(?!/?b>)|&(?!(amp|lt|gt|quot);)", text):
                raise _ApiError(400, "Bad Request: can't parse entities")
            text = html.unescape(re.sub(r"</?b>", "", text))
        if not text.strip() or len(text) > 4096:
            raise _ApiError(400, "Bad Request: message text is empty or too long")
        return self._store_sent(params, text=text)

    def _api_sendPhoto(self, params: dict) -> dict:
        photo = [{"file_id": "AgACAgQAAxk", "file_unique_id": "AQAD", "width": 90, "height": 60, "file_size": 1200}]
        return self._store_sent(params, photo=photo)

    def _api_sendDocument(self, params: dict) -> dict:
        upload = params.get("document")
        name = upload.get("filename") if isinstance(upload, dict) else "file"
        size = len(upload.get("content") or b"") if isinstance(upload, dict) else 0
        return self._store_sent(params, document={"file_id": "BQACAgQAAxk", "file_unique_id": "AgAD",
                                                  "file_name": name, "file_size": size})

    def _api_editMessageReplyMarkup(self, params: dict) -> dict:
        key = (_int(params.get("chat_id")), _int(params.get("message_id")))
        if key not in self._messages:
            raise _ApiError(400, "Bad Request: message to edit not found")
        message = self._messages[key]
        message.pop("reply_markup", None)
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        message["edit_date"] = int(time.time())
        return message

    def _store_sent(self, params: dict, **content: Any) -> dict:
        chat_id = _int(params.get("chat_id"))
        message = {"message_id": next(self._message_ids), "date": int(time.time()), "from": BOT_USER,
                   "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"}, **content}
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        self._messages[(chat_id, message["message_id"])] = message
        return message


class _ApiError(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status


async def _params(request: web.Request) -> dict:
    if request.content_type == "application/json":
        return dict(await request.json())
    params = {}
    for key, value in (await request.post()).items():
        if isinstance(value, str) and key not in STRING_PARAMS:
            try:
                value = json.loads(value)
            except ValueError:
                pass
        if isinstance(value, web.FileField):  # an upload: kept, so tests can open the picture or the PDF
            value = {"filename": value.filename, "content": value.file.read()}
        params[key] = value
    return params


def _shown(value: Any) -> str:
    """An upload's bytes in a transcript: their size, not their content."""
    return f"<{len(value)} bytes>" if isinstance(value, (bytes, bytearray)) else repr(value)


def _user(user_id: int, language_code: Optional[str] = "en") -> dict:
    """A Telegram user; language_code None: Telegram did not say (it is optional in the Bot API)."""
    user = {"id": user_id, "is_bot": False, "first_name": "Ana"}
    return {**user, "language_code": language_code} if language_code else user


def _int(value: Any) -> Optional[int]:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
