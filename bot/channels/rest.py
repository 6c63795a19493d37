"""Rasa's REST channel with request validation and the message-size cap.

Same URL as stock Rasa (/webhooks/rest/webhook) and same replies, but a malformed
request gets a 400 with a reason instead of a crash or silence, and a huge message is
answered without being parsed. Like stock REST it has no authentication: keep it
on localhost or behind your own auth (see README).
"""
from __future__ import annotations

import json
from typing import Any, Dict, Optional, Text

from rasa.core.channels.rest import RestInput
from sanic.exceptions import SanicException
from sanic.request import Request

from bot.channels.guard import never_crash, prepare_text

MAX_SENDER_CHARS = 128
MAX_METADATA_BYTES = 4096


class BadRequest(SanicException):
    status_code = 400
    quiet = True


class GuardedRestInput(RestInput):
    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message):
        return super().blueprint(never_crash(on_new_message))

    @staticmethod
    def _body(request: Request) -> Dict[Text, Any]:
        try:
            body = request.json
        except Exception:  # noqa: BLE001 - Sanic raises its own error for invalid JSON
            raise BadRequest("The request body is not valid JSON.")
        if not isinstance(body, dict):
            raise BadRequest('The request body must be a JSON object like {"sender": "...", "message": "..."}.')
        return body

    async def _extract_sender(self, request: Request) -> Optional[Text]:
        sender = self._body(request).get("sender")
        if isinstance(sender, int) and not isinstance(sender, bool):
            sender = str(sender)
        if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS:
            raise BadRequest(f'"sender" must be a non-empty string of at most {MAX_SENDER_CHARS} characters.')
        return sender

    def _extract_message(self, request: Request) -> Optional[Text]:
        message = self._body(request).get("message")
        if not isinstance(message, str):
            raise BadRequest('"message" must be a string.')
        return prepare_text(message)

    def _extract_input_channel(self, request: Request) -> Text:
        return self.name()  # the caller does not get to pick the channel name

    def get_metadata(self, request: Request) -> Optional[Dict[Text, Any]]:
        metadata = self._body(request).get("metadata")
        if metadata is None:
            return None
        if not isinstance(metadata, dict) or len(json.dumps(metadata)) > MAX_METADATA_BYTES:
            raise BadRequest(f'"metadata" must be a JSON object under {MAX_METADATA_BYTES} bytes.')
        return metadata
