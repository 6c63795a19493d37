"""Each Telegram update handled once and each chat's updates in order.

  UpdateLog   which update_ids were handled; saved between restarts (in the app database)
  ChatLocks   one chat's updates one after another, different chats side by side

Pure: no Telegram or Rasa import.
"""
from __future__ import annotations

import asyncio
import contextlib
import json
from datetime import datetime, timedelta
from typing import Any, AsyncIterator, Dict, Iterable, Optional


class UpdateLog:
    """Remembers the update_ids handled, so a retried or re-delivered update is handled once.

    Telegram numbers updates in order; ids within ``window`` of the newest are remembered one by
    one (so out-of-order webhook deliveries still count), anything older is taken as done. After
    a week without updates Telegram may restart the numbering anywhere, so an old log is dropped.
    """

    STALE_AFTER = timedelta(days=6)

    def __init__(self, ids: Iterable[int] = (), touched: Optional[datetime] = None, window: int = 256):
        self.window = window
        self.ids = set(ids)
        self.touched = touched

    @property
    def last(self) -> Optional[int]:
        return max(self.ids) if self.ids else None

    def is_stale(self, now: datetime) -> bool:
        return bool(self.touched and now - self.touched > self.STALE_AFTER)

    def next_offset(self, now: datetime) -> Optional[int]:
        """getUpdates' offset: the update after the newest handled (None: all pending updates)."""
        return None if self.last is None or self.is_stale(now) else self.last + 1

    def accept(self, update_id: int, now: datetime) -> bool:
        """True (and remember it) when the update is new; False for one already handled."""
        if self.is_stale(now):
            self.ids.clear()
        last = self.last
        if update_id in self.ids or (last is not None and update_id <= last - self.window):
            return False
        newest = update_id if last is None else max(last, update_id)
        self.ids = {i for i in self.ids | {update_id} if i > newest - self.window}
        self.touched = now
        return True

    def to_json(self) -> str:
        return json.dumps({"ids": sorted(self.ids), "touched": self.touched.isoformat() if self.touched else None})

    @classmethod
    def from_json(cls, text: Optional[str], window: int = 256) -> "UpdateLog":
        """A log from to_json's output; an empty log for None or anything unreadable."""
        try:
            data = json.loads(text or "{}")
            touched = datetime.fromisoformat(data["touched"]) if data.get("touched") else None
            return cls((int(i) for i in data.get("ids", [])), touched, window)
        except (ValueError, TypeError, KeyError, AttributeError):
            return cls(window=window)


class ChatLocks:
    """One asyncio.Lock per chat, kept while someone holds or waits for it.

    Tasks that ask in the order the updates came get the chat in that order (asyncio.Lock is fair).
    """

    def __init__(self) -> None:
        self._locks: Dict[Any, asyncio.Lock] = {}
        self._users: Dict[Any, int] = {}

    def __len__(self) -> int:
        return len(self._locks)

    @contextlib.asynccontextmanager
    async def hold(self, chat_id: Any) -> AsyncIterator[None]:
        lock = self._locks.setdefault(chat_id, asyncio.Lock())
        self._users[chat_id] = self._users.get(chat_id, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._users[chat_id] -= 1
            if not self._users[chat_id]:
                del self._users[chat_id], self._locks[chat_id]
