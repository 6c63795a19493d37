"""How many answers in a row to each question could not be used, kept in the `misses` slot.

A question is asked again with a hint after one miss and with a way out after two, so no owner is
stuck; both forms (the profile, the hand-off) count the same way.
"""
from __future__ import annotations

from typing import Any, Dict

from rasa_sdk import Tracker

from bot.names import Slots


def misses_value(tracker: Tracker) -> Dict[str, dict]:
    """The `misses` slot as {question: {"n": count, "message": id}}; anything malformed is dropped."""
    value = tracker.get_slot(Slots.MISSES)
    clean = {}
    for slot, entry in (value.items() if isinstance(value, dict) else ()):
        count = entry.get("n") if isinstance(entry, dict) else entry
        if isinstance(count, int) and not isinstance(count, bool) and count >= 0:
            clean[slot] = {"n": count, "message": entry.get("message") if isinstance(entry, dict) else None}
    return clean


def misses_of(tracker: Tracker) -> Dict[str, int]:
    """Per question, how many answers in a row could not be understood."""
    return {slot: entry["n"] for slot, entry in misses_value(tracker).items()}


def message_id(tracker: Tracker) -> Any:
    latest = tracker.latest_message or {}
    return latest.get("message_id") or next(
        (e.get("timestamp") for e in reversed(tracker.events) if e.get("event") == "user"), None)


def counted_miss(tracker: Tracker, slot: str) -> Dict[str, Any]:
    """The `misses` value with this message counted as a miss for `slot`, once: Rasa runs the form's
    validation twice for one message (in action_extract_slots, then in the form itself)."""
    misses = misses_value(tracker)
    entry, message = misses.get(slot, {"n": 0, "message": None}), message_id(tracker)
    if message is not None and entry["message"] == message:
        return misses  # already counted
    misses[slot] = {"n": entry["n"] + 1, "message": message}
    return misses
