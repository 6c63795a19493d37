"""The Telegram channel's pure logic: formatting, splitting, commands and duplicate updates.

No Telegram or Rasa imports, so all of it is unit-tested on its own:
  to_html(text)           our light formatting (*bold*, lines, "- " bullets) as Telegram HTML
  split_html(html)        parts of at most 4,096 characters, cut at paragraph, line or space
  visible_text(html)      what a reader sees (the plain-text fallback)
  command_payload(text)   /start, /help, /restart, /plan, /delete -> the Rasa payload
  addressed_text(...)     in groups, only messages that mention or reply to the bot count
  UpdateLog               which update_ids were handled; saved between restarts
  ChatLocks               one chat's updates one after another, different chats side by side
"""
from __future__ import annotations

import asyncio
import contextlib
import html
import json
import re
from datetime import datetime, timedelta
from typing import Any, AsyncIterator, Dict, Iterable, Optional

MAX_TEXT = 4096  # Telegram's limit for one message, in UTF-16 code units
MAX_CALLBACK_BYTES = 64  # Telegram's limit for a button's callback_data
SENDER_PREFIX = "tg-"

# --- formatting -------------------------------------------------------------------------

_BOLD = re.compile(r"(\*\*|\*)(?=[^\s*])([^*\n]*?[^\s*])\1")
_ATOM = re.compile(r"<[^<>]*>|&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]+);|.", re.DOTALL)


def to_html(text: str) -> str:
    """Escape &, < and > first, then turn *bold* (or **bold**) into <b>bold</b>.

    Line breaks, "- " bullets and "1. " numbers stay plain text: Telegram shows them as they are.
    """
    return _BOLD.sub(r"<b>\2</b>", html.escape(text or "", quote=False))


def visible_text(markup: str) -> str:
    """The text a reader sees in HTML made by to_html/split_html: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^<>]*>", "", markup))


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: emoji outside the BMP count twice."""
    return len(text.encode("utf-16-le")) // 2


def split_html(markup: str, limit: int = MAX_TEXT) -> list[str]:
    """Cut HTML from to_html into parts of at most ``limit`` UTF-16 units each.

    Cuts at a paragraph break if one is in the last three quarters of the part, else at a line
    break, else at a space, else between two characters. Never inside a tag or an entity; a
    <b> span that has to be cut is closed at the end of one part and reopened in the next.
    Whitespace at a cut is dropped, and parts with nothing visible are left out.
    """
    if limit < 16:
        raise ValueError("limit must be at least 16")
    atoms = _ATOM.findall(markup)
    sizes = [utf16_len(atom) for atom in atoms]
    parts: list[str] = []
    start, reopen = 0, ""
    while start < len(atoms):
        while start < len(atoms) and atoms[start].isspace():
            start += 1
        end = _fit(atoms, sizes, start, limit - len(reopen))
        chunk = (reopen + "".join(atoms[start:end])).rstrip()
        still_bold = chunk.count("<b>") > chunk.count("</b>")
        if still_bold and utf16_len(chunk) + len("</b>") > limit:  # no room to close it: cut earlier
            end = _fit(atoms, sizes, start, limit - len(reopen) - len("</b>"))
            chunk = (reopen + "".join(atoms[start:end])).rstrip()
            still_bold = chunk.count("<b>") > chunk.count("</b>")
        reopen = "<b>" if still_bold else ""
        chunk += "</b>" if still_bold else ""
        if visible_text(chunk).strip():
            parts.append(chunk)
        start = end
    return parts


def _fit(atoms: list[str], sizes: list[int], start: int, budget: int) -> int:
    """Where the part starting at atoms[start] ends, given ``budget`` UTF-16 units."""
    if sum(sizes[start:]) <= budget:
        return len(atoms)
    end, used = start, 0
    while used + sizes[end] <= budget:
        used += sizes[end]
        end += 1
    return max(_best_cut(atoms, start, end), start + 1)


def _best_cut(atoms: list[str], start: int, end: int) -> int:
    """Where to cut atoms[start:] so that atoms[start:cut] is a part (end is the most that fits)."""
    lowest = start + max(1, (end - start) // 4)
    tests = (
        lambda i: atoms[i] == "\n" and (atoms[i - 1] == "\n" or atoms[i + 1 : i + 2] == ["\n"]),
        lambda i: atoms[i] == "\n",
        lambda i: atoms[i].isspace(),
    )
    for is_break in tests:
        for i in range(min(end, len(atoms) - 1), lowest - 1, -1):
            if is_break(i):
                return i
    return end


# --- buttons, senders --------------------------------------------------------------------


def callback_data(payload: str) -> Optional[str]:
    """The payload if it fits in a button's callback_data (64 bytes), else None."""
    if payload and len(payload.encode("utf-8")) <= MAX_CALLBACK_BYTES:
        return payload
    return None


def sender_for_chat(chat_id: int) -> str:
    return f"{SENDER_PREFIX}{chat_id}"


def chat_for_sender(sender_id: str) -> int:
    if not sender_id.startswith(SENDER_PREFIX):
        raise ValueError(f"{sender_id!r} is not a Telegram sender id")
    return int(sender_id[len(SENDER_PREFIX):])


# --- commands ------------------------------------------------------------------------------

# command -> (Rasa payload, description shown in Telegram's command menu)
COMMANDS = {
    "start": ("/greet", "Say hello and see what I can do"),
    "help": ("/greet", "What I can help with"),
    "restart": ("/start_over", "Start the conversation afresh"),
    "plan": ("/show_plan", "Show my plan"),
    "delete": ("/delete_my_data", "Delete my data"),
}
# t.me/<bot>?start=<key> opens the chat with "/start <key>".
DEEP_LINKS = {"advice": "/request_advice"}
_COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{3,64}))?(?:\s+(.*))?$", re.DOTALL)


def command_payload(text: str) -> Optional[str]:
    """The Rasa payload for one of our commands, or None when the text is not one of them."""
    match = _COMMAND.match((text or "").strip())
    if not match or match.group(1).lower() not in COMMANDS:
        return None
    command, argument = match.group(1).lower(), (match.group(3) or "").strip()
    if command == "start" and argument in DEEP_LINKS:
        return DEEP_LINKS[argument]
    return COMMANDS[command][0]


def addressed_text(text: str, private: bool, bot_username: str, replies_to_bot: bool) -> Optional[str]:
    """The text meant for the bot, or None when a group message is not for it.

    In a private chat every message counts. In a group only a reply to the bot, a message that
    mentions @bot_username (the mention is removed) or a command without another bot's name.
    """
    text = text or ""
    if private:
        return text
    command = _COMMAND.match(text.strip())
    if command and command.group(2):
        return text if command.group(2).lower() == bot_username.lower() else None
    if replies_to_bot or (command and command.group(1).lower() in COMMANDS):
        return text
    mention = re.compile(rf"@{re.escape(bot_username)}\b", re.IGNORECASE) if bot_username else None
    if mention and mention.search(text):
        return " ".join(mention.sub(" ", text).split())
    return None


# --- duplicate updates ---------------------------------------------------------------------


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
