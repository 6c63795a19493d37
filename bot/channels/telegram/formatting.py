"""What a Telegram message may look like: our light formatting as Telegram HTML, split into parts
that fit, and button data that fits.

  to_html(text)           our light formatting (*bold*, lines, "- " bullets) as Telegram HTML
  split_html(html)        parts of at most 4,096 characters, cut at paragraph, line or space
  visible_text(html)      what a reader sees (the plain-text fallback)
  callback_data(payload)  the payload if it fits in a button (64 bytes)

Pure: no Telegram or Rasa import.
"""
from __future__ import annotations

import html
import re
from typing import Optional

MAX_TEXT = 4096  # Telegram's limit for one message, in UTF-16 code units
MAX_CALLBACK_BYTES = 64  # Telegram's limit for a button's callback_data

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


def callback_data(payload: str) -> Optional[str]:
    """The payload if it fits in a button's callback_data (64 bytes), else None."""
    if payload and len(payload.encode("utf-8")) <= MAX_CALLBACK_BYTES:
        return payload
    return None
