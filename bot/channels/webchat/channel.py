"""The website widget's channel: serves the widget and demo page, and carries its messages.

Routes (under /webchat):
  GET  /            demo page             GET  /widget.js   the widget
  POST /session     a new signed token    GET  /history     the conversation so far
  POST /message     {"message": "...", "language": "zh"} -> {"messages": [...]};
                    {"opened": true, "language": "zh"} when an empty chat opens
Each visitor's conversation is keyed by the session in their signed token, never by a
sender id from the page. Origins are checked against an exact allow-list.

The widget's language ("en" or "zh") travels as the message's metadata {"language": ...}: a new
conversation starts in it (actions/language.py). The channel's own error texts (data/channels.yml)
come in English or Chinese, chosen as the assistant would choose (`_reply_language`).
"""
from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.guard import BUSY, never_crash
from bot.channels.texts import text as channel_text
from bot.channels.webchat.sessions import (RateLimiter, SessionTokens, for_widget, history_from_events,
                                           origin_allowed, sender_for_session, signing_key)
from bot.names import Intents, MetadataKeys, payload
from bot.nlu.input_screen import MAX_MESSAGE_CHARS
from bot.nlu.language import conversation_language, language_from_code

logger = logging.getLogger(__name__)

STATIC = Path(__file__).with_name("static")
MAX_BODY_BYTES = 16 * 1024
# A language tag as browsers and pages write it ("zh", "zh-CN", "zh-Hans-CN", "en_US"), at most 39
# characters; anything else the page sends is ignored.
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8}){0,4}")

# The channel's own texts: keys of data/channels.yml (English and Chinese side by side there).
TOO_FAST, TOO_LONG, BAD_JSON = "too_fast", "too_long", "bad_json"
EXPIRED, ORIGIN_REFUSED = "session_expired", "origin_refused"
ERRORS = (TOO_FAST, TOO_LONG, BAD_JSON, EXPIRED, ORIGIN_REFUSED)


class WebchatInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "webchat"

    def url_prefix(self) -> Text:
        return "/webchat"  # absolute: the embed line is https://BOT-HOST/webchat/widget.js

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "WebchatInput":
        credentials = credentials or {}
        return cls(
            allowed_origins=list(credentials.get("allowed_origins") or []),
            messages_per_minute=int(credentials.get("messages_per_minute") or 20),
            sessions_per_minute=int(credentials.get("sessions_per_minute") or 30),
        )

    def __init__(self, allowed_origins: List[str], messages_per_minute: int = 20,
                 sessions_per_minute: int = 30, tokens: Optional[SessionTokens] = None) -> None:
        self.allowed_origins = allowed_origins
        self.tokens = tokens or SessionTokens(signing_key())
        self.message_limit = RateLimiter(messages_per_minute, 60)
        self.session_limit = RateLimiter(sessions_per_minute, 60)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        handle = never_crash(on_new_message)
        bp = Blueprint("webchat", __name__)

        @bp.middleware("response")
        async def answer_preflight(request: Request, reply: HTTPResponse) -> Optional[HTTPResponse]:
            # Rasa's CORS extension answers OPTIONS itself, before our routes: add our headers.
            if request.method == "OPTIONS" and self._refuse_origin(request) is None:
                return self._cors(request, reply)
            return None

        @bp.route("/", methods=["GET"])
        async def demo(request: Request) -> HTTPResponse:
            return await response.file(STATIC / "index.html", mime_type="text/html; charset=utf-8")

        @bp.route("/widget.js", methods=["GET"])
        async def widget(request: Request) -> HTTPResponse:
            return await response.file(STATIC / "widget.js", mime_type="application/javascript; charset=utf-8",
                                       headers={"Cache-Control": "public, max-age=300"})

        @bp.route("/session", methods=["POST", "OPTIONS"])
        async def new_session(request: Request) -> HTTPResponse:
            if request.method == "OPTIONS":
                return self._preflight(request)
            refused = self._refuse_origin(request)
            if refused:
                return refused
            if not self.session_limit.allow(request.remote_addr or request.ip or "?"):
                return self._error(request, 429, TOO_FAST)
            token, session = self.tokens.issue()
            return self._cors(request, response.json({"token": token, "session": session}))

        @bp.route("/history", methods=["GET", "OPTIONS"])
        async def history(request: Request) -> HTTPResponse:
            if request.method == "OPTIONS":
                return self._preflight(request)
            session, refused = self._authorise(request)
            if refused:
                return refused
            try:
                tracker = await request.app.ctx.agent.tracker_store.retrieve_full_tracker(sender_for_session(session))
            except Exception as error:  # noqa: BLE001 - the database is down: say so, as the chat does
                logger.warning("Widget history for a session could not be read: %s", type(error).__name__)
                return self._cors(request, response.json({"error": channel_text(BUSY, _reply_language(request))},
                                                         status=503))
            events = [e.as_dict() for e in tracker.events] if tracker else []
            return self._cors(request, response.json({"messages": history_from_events(events)}))

        @bp.route("/message", methods=["POST", "OPTIONS"])
        async def message(request: Request) -> HTTPResponse:
            if request.method == "OPTIONS":
                return self._preflight(request)
            session, refused = self._authorise(request)
            if refused:
                return refused
            if len(request.body or b"") > MAX_BODY_BYTES:
                return self._error(request, 413, TOO_LONG)
            data = _json_object(request.body)
            text = _message_text(data)
            if not isinstance(text, str):
                return self._error(request, 400, BAD_JSON)
            if len(text) > MAX_MESSAGE_CHARS:
                return self._error(request, 413, TOO_LONG)
            if not self.message_limit.allow(session):
                return self._error(request, 429, TOO_FAST)
            collector = WholeMessages()
            await handle(UserMessage(text, collector, sender_for_session(session), input_channel=self.name(),
                                     metadata=_metadata(data)))
            return self._cors(request, response.json({"messages": [for_widget(m) for m in collector.messages]}))

        return bp

    # --- checks -----------------------------------------------------------------------

    def _preflight(self, request: Request) -> HTTPResponse:
        """CORS preflight, in case no CORS extension answered it first (Rasa's usually does)."""
        return self._refuse_origin(request) or self._cors(request, response.empty())

    def _refuse_origin(self, request: Request) -> Optional[HTTPResponse]:
        own = f"{request.scheme}://{request.host}"
        if origin_allowed(request.headers.get("origin"), self.allowed_origins, own):
            return None
        return response.json({"error": _error_text(request, ORIGIN_REFUSED)}, status=403)

    def _authorise(self, request: Request):
        refused = self._refuse_origin(request)
        if refused:
            return None, refused
        header = request.headers.get("authorization") or ""
        session = self.tokens.verify(header[7:] if header.lower().startswith("bearer ") else None)
        if session is None:
            return None, self._error(request, 401, EXPIRED)
        return session, None

    def _cors(self, request: Request, reply: HTTPResponse) -> HTTPResponse:
        origin = request.headers.get("origin")
        if origin:
            reply.headers.update({
                "Access-Control-Allow-Origin": origin,
                "Access-Control-Allow-Headers": "Authorization, Content-Type",
                "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                "Vary": "Origin",
            })
        return reply

    def _error(self, request: Request, status: int, error: str) -> HTTPResponse:
        return self._cors(request, response.json({"error": _error_text(request, error)}, status=status))


class WholeMessages(CollectingOutputChannel):
    """Keeps each bot message whole: Rasa's collector would split a text from its image or files, so a
    chart's caption and the chart would come in two bubbles, unlike the same message after a reload."""

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        if not (message.get("image") or message.get("custom")) or message.get("quick_replies"):
            await super().send_response(recipient_id, message)
            return
        await self._persist_message(self._message(
            recipient_id, text=message.get("text"), image=message.get("image"), buttons=message.get("buttons"),
            attachment=message.get("attachment"), custom=message.get("custom")))


def _json_object(body: Optional[bytes]) -> Optional[Dict[str, Any]]:
    """The request body's JSON object; None for bad JSON, another JSON value, or a body too big to read."""
    if len(body or b"") > MAX_BODY_BYTES:
        return None
    try:
        data = json.loads(body or b"{}")
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _message_text(data: Optional[Dict[str, Any]]) -> Optional[str]:
    """The visitor's text; for {"opened": true} (an empty chat opened) the greeting payload; else None."""
    if data is None:
        return None
    if data.get("opened") is True and "message" not in data:
        return payload(Intents.GREET)  # the widget opened an empty chat: the assistant speaks first
    return data.get("message")


def _language_tag(value: Any) -> Optional[str]:
    """A well-formed language tag, else None: the page sends it, so it is checked before it is stored."""
    if isinstance(value, str) and LANGUAGE_TAG.fullmatch(value):
        return value
    return None


def _metadata(data: Optional[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    """The widget's language as the message's metadata: a new conversation starts in it."""
    tag = _language_tag((data or {}).get("language"))
    return {MetadataKeys.LANGUAGE: tag} if tag else None


def _accept_language(request: Request) -> Optional[str]:
    """The first (preferred) tag of Accept-Language ("zh-CN,zh;q=0.9,en;q=0.8" -> "zh-CN")."""
    first = (request.headers.get("accept-language") or "").split(",")[0].split(";")[0].strip()
    return _language_tag(first)


def _reply_language(request: Request) -> str:
    """The language for the channel's own texts, as the assistant chooses for its replies: the
    message's writing (a Chinese message is answered in Chinese), else the widget's language field,
    else the Accept-Language header (the widget sets it on every call, GETs and refusals included)."""
    data = _json_object(request.body) or {}
    text = data.get("message")
    hint = next((tag for tag in (_language_tag(data.get("language")), _accept_language(request))
                 if language_from_code(tag)), None)
    return conversation_language(None, text if isinstance(text, str) else None, hint)


def error_text(error: str, language: str) -> str:
    """One of ERRORS in ``language``; {limit} in the too-long one is MAX_MESSAGE_CHARS."""
    return channel_text(error, language, limit=MAX_MESSAGE_CHARS)


def _error_text(request: Request, error: str) -> str:
    return error_text(error, _reply_language(request))
