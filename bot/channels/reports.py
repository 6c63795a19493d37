"""Serves the report files behind signed links: GET /report/<token>/chart.png, plan.pdf, plan.md.

Not a chat channel: an input channel is how Rasa lets us add routes to its server. A link that does
not verify, names another file, or whose plan is gone gets 404 with no detail; a failure to draw
gets 503. Nothing here needs the sender's session: the signed token is the permission.
"""
from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.report.files import ReportFiles
from bot.report.links import FILES, PATH_PREFIX, LinkSigner

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def report_files() -> ReportFiles:
    """The one ReportFiles of this server, shared by the route and the Telegram output."""
    from bot.channels.webchat.sessions import signing_key
    from bot.storage import Store

    return ReportFiles(LinkSigner(signing_key()), Store)


class ReportFilesInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "report"

    def url_prefix(self) -> Text:
        return PATH_PREFIX

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "ReportFilesInput":
        return cls()

    def __init__(self, files: Optional[ReportFiles] = None) -> None:
        self._files = files

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = Blueprint("report_files", __name__)

        @bp.route("/<token>/<file>", methods=["GET"])
        async def serve(request: Request, token: str, file: str) -> HTTPResponse:
            if file not in FILES:
                return response.json({"error": "not_found"}, status=404)
            try:
                found = await (self._files or report_files()).fetch(token, file)
            except Exception:  # noqa: BLE001 - the database or drawing failed: say so, never a trace
                logger.exception("Could not serve a report file")
                return response.json({"error": "unavailable"}, status=503)
            if found is None:
                return response.json({"error": "not_found"}, status=404)
            content, name = found
            headers = {"Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff",
                       "Content-Disposition": f'{"inline" if name == "chart.png" else "attachment"}; filename="{name}"'}
            return response.raw(content, content_type=FILES[name], headers=headers)

        return bp
