"""Signed, unguessable links to one firm's chart and plan files: `/report/<token>/<file>`.

The token names the conversation, the plan version, when that version was made and the language,
and carries an HMAC-SHA256
signature with the server's key (WEBCHAT_SECRET, shared by every replica and by the action server
that makes the links). A token changed in any way, or made for another conversation, does not
verify, and the server answers 404. The files are drawn from the stored plan on request, so a
deleted conversation's links lead nowhere; the time the version was made keeps them from opening a
later plan that happens to get the same version number (after "delete my data" numbering restarts).
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
from dataclasses import dataclass

# The files a link can name, and their content types.
FILES = {"chart.png": "image/png", "plan.pdf": "application/pdf", "plan.md": "text/markdown; charset=utf-8"}
PATH_PREFIX = "/report"  # served by bot.channels.reports
MAX_TOKEN_LENGTH = 600
_CONTEXT = b"dx-advisor report link\0"  # keeps these signatures apart from the widget's session tokens


@dataclass(frozen=True)
class ReportRef:
    sender_id: str
    version: int  # the plan version the files show
    language: str
    made: str = ""  # that version's created_at, as stored


class LinkSigner:
    def __init__(self, secret: bytes) -> None:
        if len(secret) < 16:
            raise ValueError("the signing key must be at least 16 bytes")
        self._secret = secret

    def token(self, ref: ReportRef) -> str:
        body = _b64(json.dumps([ref.sender_id, ref.version, ref.language, ref.made], separators=(",", ":")).encode())
        return f"{body}.{self._sign(body)}"

    def read(self, token: str) -> ReportRef | None:
        """The reference a valid token was made for; None for anything else."""
        if not isinstance(token, str) or len(token) > MAX_TOKEN_LENGTH or token.count(".") != 1 \
                or not token.isascii():
            return None
        body, signature = token.split(".")
        if not hmac.compare_digest(signature.encode(), self._sign(body).encode()):
            return None
        try:
            sender_id, version, language, made = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        except (ValueError, TypeError, binascii.Error):
            return None
        if not all(isinstance(v, str) for v in (sender_id, language, made)) or not isinstance(version, int):
            return None
        return ReportRef(sender_id, version, language, made)

    def url(self, ref: ReportRef, file: str, base: str | None = None) -> str:
        if file not in FILES:
            raise ValueError(f"unknown report file {file!r}")
        return f"{(base or public_base()).rstrip('/')}{PATH_PREFIX}/{self.token(ref)}/{file}"

    def _sign(self, body: str) -> str:
        return _b64(hmac.new(self._secret, _CONTEXT + body.encode(), hashlib.sha256).digest())


def public_base() -> str:
    """Where users reach the Rasa server: DX_PUBLIC_URL, else this machine's `make run` address."""
    return os.environ.get("DX_PUBLIC_URL") or f"http://localhost:{os.environ.get('PORT', '5005')}"


def split_url(url: str) -> tuple[str, str] | None:
    """(token, file) of a report link, whatever host it names; None for any other URL."""
    marker = PATH_PREFIX + "/"
    if not isinstance(url, str) or marker not in url:
        return None
    token, _, file = url.split(marker, 1)[1].partition("/")
    return (token, file) if file in FILES and token else None


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")
