"""Visitor sessions for the website widget: signed tokens, rate limits, allowed origins, and the
bot's messages in the shape the widget shows, live and after a reload.

Plain Python, so the channel (channel.py beside it) stays a thin translation layer.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import time
from collections import defaultdict, deque
from pathlib import Path
from typing import Callable, Iterable, Mapping
from urllib.parse import urlsplit

from bot.names import SenderPrefixes

TOKEN_LIFETIME_SECONDS = 30 * 24 * 3600


def sender_for_session(session: str) -> str:
    """A widget conversation's sender id: our prefix plus the session id from the signed token."""
    return SenderPrefixes.WEBCHAT + session


class SessionTokens:
    """Issues and checks `<session id>.<issued at>.<signature>` tokens (HMAC-SHA256).

    The session id is random, so a visitor can't reach another conversation by guessing,
    and the server never trusts a sender id sent by the page.
    """

    def __init__(self, secret: bytes, clock: Callable[[], float] = time.time) -> None:
        if len(secret) < 16:
            raise ValueError("the webchat signing key must be at least 16 bytes")
        self._secret, self._clock = secret, clock

    def issue(self) -> tuple[str, str]:
        session = secrets.token_urlsafe(18)
        body = f"{session}.{int(self._clock())}"
        return f"{body}.{self._sign(body)}", session

    def verify(self, token: str | None) -> str | None:
        """The session id of a valid, unexpired token; None otherwise."""
        if not isinstance(token, str) or token.count(".") != 2 or len(token) > 200:
            return None
        session, issued, signature = token.split(".")
        if not hmac.compare_digest(signature, self._sign(f"{session}.{issued}")):
            return None
        if not issued.isdigit() or self._clock() - int(issued) > TOKEN_LIFETIME_SECONDS:
            return None
        return session

    def _sign(self, body: str) -> str:
        digest = hmac.new(self._secret, body.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def signing_key(env_var: str = "WEBCHAT_SECRET", key_file: Path = Path(".webchat_secret")) -> bytes:
    """The key from the environment; for local use, generated once into `key_file`.

    The Rasa server and the action server both read it (the action server signs report links), so the
    file is created exclusively: whichever process comes second reads the first one's key.
    """
    value = os.environ.get(env_var)
    if value:
        return value.encode()
    key = secrets.token_urlsafe(32).encode()
    try:
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):  # the other process may be between creating the file and writing to it
            found = key_file.read_bytes().strip()
            if found:
                return found
            time.sleep(0.01)
        raise RuntimeError(f"{key_file} is empty: delete it, or set {env_var}")
    with os.fdopen(descriptor, "wb") as file:
        file.write(key)
    return key


class RateLimiter:
    """At most `limit` events per `window` seconds for each key (sliding window)."""

    def __init__(self, limit: int, window: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window, self._clock = limit, window, clock
        self._seen: dict[str, deque] = defaultdict(deque)

    def allow(self, key: str) -> bool:
        now = self._clock()
        seen = self._seen[key]
        while seen and now - seen[0] >= self.window:
            seen.popleft()
        if len(seen) >= self.limit:
            return False
        seen.append(now)
        if len(self._seen) > 100_000:  # forget idle visitors so memory stays bounded
            for idle in [k for k, v in self._seen.items() if not v or now - v[-1] >= self.window]:
                del self._seen[idle]
        return True


def origin_allowed(origin: str | None, allowed: Iterable[str], own_origin: str) -> bool:
    """Exact match against the allow-list; the bot's own origin and localhost are always fine.

    A missing Origin header (same-origin GET, curl) is allowed: the token still guards the data.
    """
    if not origin:
        return True
    if origin == own_origin or origin in set(allowed):
        return True
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and parts.hostname in ("localhost", "127.0.0.1", "::1")


def history_from_events(events: Iterable[Mapping]) -> list[dict]:
    """What the widget shows after a reload: user and bot messages since the last restart.

    Button payloads are shown as the button's title; hidden commands ("/greet") are left out.
    """
    messages: list[dict] = []
    last_buttons: list[dict] = []
    for event in events:
        kind = event.get("event")
        if kind == "restart":
            messages, last_buttons = [], []
        elif kind == "user":
            text = event.get("text") or ""
            if text.startswith("/"):
                title = next((b.get("title") for b in last_buttons if b.get("payload") == text), None)
                if title is None:
                    continue
                text = title
            messages.append({"sender": "user", "text": text})
        elif kind == "bot":
            data = event.get("data") or {}
            last_buttons = list(data.get("buttons") or [])
            messages.append({"sender": "bot", **for_widget({**data, "text": event.get("text")})})
    return messages


def for_widget(message: Mapping) -> dict:
    """Only what the widget renders of a bot message: text, buttons (title, payload), an image, and
    files to download (the plan's PDF and Markdown: a custom payload's `documents`, url and name)."""
    out = {"text": message.get("text") or ""}
    if message.get("buttons"):
        out["buttons"] = [{"title": b.get("title", ""), "payload": b.get("payload", "")} for b in message["buttons"]]
    if message.get("image"):
        out["image"] = message["image"]
    custom = message.get("custom")
    files = custom.get("documents") if isinstance(custom, Mapping) else None
    if isinstance(files, list):
        out["documents"] = [{"url": f["url"], "name": str(f.get("name") or "")} for f in files
                            if isinstance(f, Mapping) and isinstance(f.get("url"), str)]
    return out
