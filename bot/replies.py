"""Replies of the advice flow (data/advice/replies.yml): checked on load, filled in by key."""
from __future__ import annotations

import string
from dataclasses import dataclass
from pathlib import Path

from bot.yaml_source import DataError, line_of, load_yaml

# Each reply and the placeholders its text may use.
PLACEHOLDERS: dict[str, set[str]] = {
    "consent": set(), "ask_industry": set(), "ask_head_count": set(), "ask_budget": set(),
    "ask_tools": set(), "ask_goal": set(), "not_understood": {"question"}, "skipped": set(),
    "confirm_profile": {"summary"}, "what_to_change": set(), "form_stopped": set(),
    "plan_intro": {"level", "budget_phrase"}, "plan_step": {"number", "slot", "title", "cost", "reasons"},
    "plan_outro": {"rates_date"}, "plan_empty": {"budget_phrase"}, "no_plan_yet": set(),
    "why_step": {"number", "title", "why", "reasons"},
    "step_details": {"title", "what", "cost", "weeks", "effort", "tool_kinds"},
    "nothing_cheaper": set(), "already_have_noted": {"title"}, "deleted": set(),
    "welcome_back": {"steps", "first"}, "progress_done": {"next"},
    "progress_not_started": {"first", "weeks"}, "progress_stuck": set(),
}
MAX_PAYLOAD_BYTES = 64  # Telegram's limit for button data


@dataclass(frozen=True)
class Replies:
    entries: dict[str, dict]

    def render(self, key: str, **values) -> dict:
        """{"text": ..., "buttons": [...]} ready for a dispatcher."""
        entry = self.entries[key]
        return {"text": entry["text"].format(**values), "buttons": list(entry.get("buttons") or [])}


def load_replies(path: Path) -> Replies:
    doc = load_yaml(path)
    if not isinstance(doc, dict):
        raise DataError(path, None, "expected a mapping of reply names to {text, buttons}.")
    for key, allowed in PLACEHOLDERS.items():
        if key not in doc:
            raise DataError(path, None, f"reply '{key}' is missing.", f"add `{key}:` with a `text:`.")
        _check_entry(path, doc, key, allowed)
    unknown = sorted(set(doc) - set(PLACEHOLDERS))
    if unknown:
        raise DataError(path, line_of(doc, unknown[0]), f"unknown reply '{unknown[0]}'.",
                        "fix the name; the assistant never sends it.")
    return Replies({key: dict(doc[key]) for key in PLACEHOLDERS})


def _check_entry(path: Path, doc: dict, key: str, allowed: set[str]) -> None:
    entry = doc[key]
    line = line_of(doc, key)
    if not isinstance(entry, dict) or not isinstance(entry.get("text"), str) or not entry["text"].strip():
        raise DataError(path, line, f"reply '{key}' needs a `text:`.")
    unknown = sorted(set(entry) - {"text", "buttons"})
    if unknown:
        raise DataError(path, line, f"reply '{key}' has unknown key '{unknown[0]}'.", "use only `text` and `buttons`.")
    try:
        used = {name for _, name, _, _ in string.Formatter().parse(entry["text"]) if name is not None}
    except ValueError as err:
        raise DataError(path, line, f"reply '{key}': {err}.", "write literal braces as {{ and }}.") from None
    extra = used - allowed
    if extra:
        raise DataError(path, line, f"reply '{key}' uses unknown placeholder {{{sorted(extra)[0]}}}.",
                        f"use only: {', '.join('{' + p + '}' for p in sorted(allowed)) or 'none'}.")
    for button in entry.get("buttons") or []:
        if not isinstance(button, dict) or not button.get("title") or not button.get("payload"):
            raise DataError(path, line, f"reply '{key}': every button needs a `title` and a `payload`.")
        if len(str(button["payload"]).encode()) > MAX_PAYLOAD_BYTES:
            raise DataError(path, line, f"reply '{key}': payload '{button['payload']}' is over {MAX_PAYLOAD_BYTES} bytes.",
                            "Telegram drops longer button data: shorten it.")
