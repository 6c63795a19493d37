"""The report files behind a signed link, drawn from the stored plan on request.

The plan is read on every request, so a link stops working the moment its data is deleted; what
was drawn is kept (a small LRU cache), since a stored version never changes.
Used by the Rasa server: the `/report/...` route (bot.channels.reports) and the Telegram output,
which uploads the bytes itself rather than handing Telegram a localhost URL.
"""
from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from typing import Any, Callable, Optional

from bot.advice.data import advice_data
from bot.advice.plan_record import PlanRecord
from bot.report.build import render
from bot.report.links import FILES, LinkSigner, ReportRef, split_url
from bot.yaml_source import TRANSLATED_LANGUAGES

logger = logging.getLogger(__name__)
CACHE_SIZE = 64  # a chart is at most 150 KB and a PDF about as much: a few MB at most


class ReportFiles:
    def __init__(self, signer: LinkSigner, store_factory: Callable[[], Any]) -> None:
        self.signer, self._store_factory = signer, store_factory
        self._store: Any = None
        self._opening = asyncio.Lock()
        self._cache: "OrderedDict[tuple[str, str], bytes]" = OrderedDict()

    async def for_url(self, url: str) -> Optional[tuple[bytes, str]]:
        """(bytes, file name) for one of our report links; None for any other URL or a bad link."""
        found = split_url(url)
        return None if found is None else await self.fetch(*found)

    async def fetch(self, token: str, file: str) -> Optional[tuple[bytes, str]]:
        """(bytes, file name); None when the link is not valid or the plan is gone."""
        ref = self.signer.read(token)
        if ref is None or file not in FILES or ref.language not in ("en", *TRANSLATED_LANGUAGES):
            return None
        records = await self._records(ref)  # every time: a deleted plan's links must stop working at once
        if records is None:
            return None
        key = (token, file)
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key], file
        chart_url = self.signer.url(ref, "chart.png")
        content = await asyncio.to_thread(render, file, advice_data(ref.language), *records, chart_url=chart_url)
        self._cache[key] = content
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return content, file

    async def _records(self, ref: ReportRef) -> Optional[tuple[PlanRecord, Optional[PlanRecord]]]:
        async with self._opening:  # one store (one engine) however many requests come first
            if self._store is None:
                self._store = await asyncio.to_thread(self._store_factory)
        saved = await self._store.aplan_version(ref.sender_id, ref.version)
        record = PlanRecord.from_dict(saved)
        if record is None or record.created_at != ref.made:  # gone, or a later plan with the same number
            return None
        first = record if ref.version == 1 else PlanRecord.from_dict(await self._store.aplan_version(ref.sender_id, 1))
        return record, first
