"""The app database as seen from actions: opened once; a failure is reported to the caller, never raised.

Callers tell the user what did and did not happen: a plan that could not be saved is still shown
(with a note), and "delete my data" never says "done" when the delete failed.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Awaitable, Callable

from bot.storage import Store

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Remembered:
    ok: bool  # False: the database failed, and `value` means nothing
    value: Any = None


@lru_cache(maxsize=1)
def _store() -> Store:
    return Store()  # DATABASE_URL, or SQLite in the working folder; `make run` migrates it first


async def remember(call: Callable[[Store], Awaitable[Any]]) -> Remembered:
    """Run `call(store)`; on any database failure log it and return Remembered(ok=False)."""
    try:
        store = await asyncio.to_thread(_store)
        return Remembered(True, await call(store))
    except Exception:  # noqa: BLE001 - whatever failed, the user still gets an honest answer
        logger.exception("The app database failed")
        return Remembered(False)
