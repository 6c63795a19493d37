"""The app database as seen from actions: opened once, and never allowed to break a reply."""
from __future__ import annotations

import asyncio
import logging
from functools import lru_cache
from typing import Any, Awaitable, Callable

from bot.storage import Store

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _store() -> Store:
    return Store()  # DATABASE_URL, or SQLite in the working folder


async def remember(call: Callable[[Store], Awaitable[Any]], default: Any = None) -> Any:
    """Run `call(store)`; log and return `default` if the database fails.

    A database outage must cost the user their saved plan, not their answer.
    """
    try:
        store = await asyncio.to_thread(_store)
        return await call(store)
    except Exception:  # noqa: BLE001
        logger.exception("The app database failed")
        return default
