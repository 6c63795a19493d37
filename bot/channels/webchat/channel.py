"""The website widget's channel: serves the widget and demo page, and carries its messages.

Routes (under /webchat):
  GET  /            demo page             GET  /widget.js   the widget
  POST /session     a new signed token    GET  /history     the conversation so far
  POST /message     {"message": "..."} -> {"messages": [...]}; {"opened": true} when an empty chat opens
Each visitor's conversation is keyed by the session in their signed token, never by a
sender id from the page. Origins are checked against an exact allow-list.
"""
from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.guard import never_crash
from bot.channels.webchat.sessions import (RateLimiter, SessionTokens, for_widget, history_from_events,
                                           origin_allowed, sender_for_session, signing_key)
from bot.names import Intents, payload
from bot.nlu.input_screen import MAX_MESSAGE_CHARS

logger = logging.getLogger(__name__)

STATIC = Path(__file__).with_name("static")
MAX_BODY_BYTES = 16 * 1024
TOO_FAST = "You're sending messages very quickly. Please wait a few seconds and try again."
TOO_LONG = f"That message is too long for me (over {MAX_MESSAGE_CHARS:,} characters). Could you shorten it?"


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
            tracker = await request.app.ctx.agent.tracker_store.retrieve_full_tracker(sender_for_session(session))
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
            text = _message_text(request.body)
            if not isinstance(text, str):
                return self._error(request, 400, 'Send JSON like {"message": "hello"}.')
            if len(text) > MAX_MESSAGE_CHARS:
                return self._error(request, 413, TOO_LONG)
            if not self.message_limit.allow(session):
                return self._error(request, 429, TOO_FAST)
            collector = CollectingOutputChannel()
            await handle(UserMessage(text, collector, sender_for_session(session), input_channel=self.name()))
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
        return response.json({"error": "This site is not allowed to use the assistant."}, status=403)

    def _authorise(self, request: Request):
        refused = self._refuse_origin(request)
        if refused:
            return None, refused
        header = request.headers.get("authorization") or ""
        session = self.tokens.verify(header[7:] if header.lower().startswith("bearer ") else None)
        if session is None:
            return None, self._error(request, 401, "Your chat session has expired. Please reload the page.")
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

    def _error(self, request: Request, status: int, text: str) -> HTTPResponse:
        return self._cors(request, response.json({"error": text}, status=status))


def _message_text(body: Optional[bytes]) -> Optional[str]:
    """The visitor's text; for {"opened": true} (an empty chat opened) the greeting payload; else None."""
    try:
        data = json.loads(body or b"{}")
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    if data.get("opened") is True and "message" not in data:
        return payload(Intents.GREET)  # the widget opened an empty chat: the assistant speaks first
    return data.get("message")
