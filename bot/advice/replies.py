"""Replies of the advice flow (data/advice/replies.yml): checked on load, filled in by key.

Each text has its Chinese twin beside it (`text_zh`, a button's `title_zh` and `payload_zh`, a label's
`<key>_zh`); `load_replies(path, "zh")` reads those, and English where a twin is missing.

Also the words users read for industry, goal and tool keys (`labels:`), the reasons a plan
gives for a step (`reason_*`), and the words and punctuation the code puts longer texts together with
(`joined`, `listed`), so that every text the code builds reads right in each language. Pure: no Rasa,
no I/O beyond reading the file.
"""
from __future__ import annotations

import string
from dataclasses import dataclass, field
from functools import reduce
from pathlib import Path
from typing import Iterable

from bot.yaml_source import DataError, is_twin, line_of, load_yaml, localised, twin

# The placeholders of a reply that joins two pieces of text.
JOINED = frozenset({"before", "after"})
# Each reply and the placeholders its text may use.
PLACEHOLDERS: dict[str, set[str] | frozenset[str]] = {
    "consent": set(), "ask_industry": set(), "ask_head_count": set(), "ask_budget": set(),
    "ask_tools": set(), "ask_goal": set(), "not_understood": {"question"}, "skipped": set(),
    "confirm_profile": {"summary"}, "what_to_change": set(), "form_stopped": set(),
    "plan_intro": {"level", "budget_phrase"}, "plan_step": {"number", "slot", "title", "cost", "reasons"},
    "plan_outro": {"rates_date"}, "plan_empty": {"budget_phrase"}, "no_plan_yet": set(),
    "why_step": {"number", "title", "why", "reasons"},
    "step_details": {"title", "what", "cost", "weeks", "effort", "tool_kinds"},
    "nothing_cheaper": set(), "already_have_noted": {"title"}, "deleted": set(), "delete_failed": set(),
    "plan_not_saved": set(), "memory_unavailable": set(), "step_not_in_plan": {"count"},
    "already_use_noted": {"title"}, "already_use_changes": {"title"},
    # never stuck: a hint, then buttons; corrections and "what should we do first?" mid-form
    "hint_industry": set(), "hint_head_count": set(), "hint_budget": set(), "hint_tools": set(), "hint_goal": set(),
    "choose": set(), "choose_goal": set(), "own_words_prompt": set(), "own_words_plan": {"words"},
    "correction_noted": {"what"}, "questions_lead_to_plan": set(),
    # "did you mean ...?" (actions/fallback.py), with the likeliest meanings' buttons first
    "did_you_mean": set(), "rephrase_please": set(),
    # a person when the owner wants one (actions/handoff.py)
    "handoff_intro": set(), "handoff_consent": {"what"}, "handoff_what_plan": {"summary"},
    "handoff_what_profile": {"summary"}, "handoff_what_contact": set(), "handoff_what_given": {"kind", "contact"}, "handoff_consent_again": {"question"},
    "ask_contact": set(), "contact_none": set(), "contact_bad_email": set(), "contact_needs_country_code": set(),
    "contact_bad_phone": set(), "contact_way_out": set(), "handoff_done": {"contact"},
    "handoff_declined": set(), "handoff_gave_up": set(), "handoff_not_saved": set(), "handoff_offer_plan": set(),
    "deleted_lead_sent": set(),
    # in the middle of the questions: "why do you ask?", and plan follow-ups before there is a plan
    "plan_after_questions": set(), "why_ask_industry": set(), "why_ask_head_count": set(), "why_ask_budget": set(),
    "why_ask_tools": set(), "why_ask_goal": set(), "why_ask_profile_confirmed": set(),
    "welcome_back": {"steps", "number", "first"},
    # a progress check-in, step by step (actions/user_memory.py); the buttons' words
    "checkin_next": {"number", "title"}, "checkin_stuck": set(), "checkin_thanks": {"done", "total"},
    "checkin_instead": {"skipped", "instead"}, "checkin_done": set(), "checkin_started": set(),
    "checkin_not_started": set(), "checkin_skipped": set(),
    # the picture and the plan to take away (bot/report)
    "chart_title": set(), "chart_scale": set(), "chart_first": set(), "chart_today": set(), "chart_after": set(),
    "chart_caption": set(), "chart_caption_progress": set(), "plan_file_ready": set(),
    "report_title": set(), "report_firm": set(), "report_level": set(), "report_made_on": {"date"}, "report_profile": set(), "report_dimension": set(),
    "report_today": set(), "report_after": set(), "report_steps": set(), "report_cost": set(), "report_why": set(),
    "report_first_action": set(), "report_footer": {"rates_date"},
    # the reasons a plan gives (bot.advice.recommender.Reason kinds)
    "reason_serves_goal": {"goal"}, "reason_made_for": {"industry"}, "reason_builds_on": {"number"},
    "reason_suits_level": {"level"}, "reason_little_effort": set(), "reason_quick_results": set(),
    "reason_none": set(), "reason_step_goals": {"goals"}, "reason_lifts": {"dimension", "before", "after"},
    # "English please", "说中文", /lang (actions/language.py)
    "language_switched": set(), "choose_language": set(),
    # pieces the code puts together: how two pieces join (punctuation differs between languages), ...
    "comma": JOINED, "semicolon": JOINED, "list_comma": JOINED, "list_and": JOINED, "sentences": JOINED,
    # ... the profile read back (bot.advice.plan_text.summary), ...
    "summary_firm": {"industry"}, "summary_firm_of": {"industry", "people"}, "summary_any_firm": set(),
    "summary_any_firm_of": {"people"}, "people": {"count"}, "just_you": set(), "summary_tools": {"tools"},
    "summary_no_tools": set(), "summary_goal": {"summary", "goal"}, "summary_own_goal": {"summary", "words"},
    # ... budgets, in the plan and read back, ...
    "budget_within": {"amount", "per"}, "budget_free_only": set(), "budget_low_cost": set(),
    "budget_up_to": {"amount", "per"}, "budget_about": {"amount", "per"}, "budget_none": set(), "budget_open": set(),
    "per_month": set(), "per_year": set(),
    # ... a step's cost, ...
    "cost_free": set(), "cost_up_to": {"amount"}, "cost_monthly": {"amount"}, "cost_per_person": {"amount"},
    "cost_per_person_for": {"amount", "total", "people"}, "cost_once": {"amount"}, "cost_plus": JOINED,
    # ... and the plan's words: slot_<slot> (bot.advice.recommender.SLOTS), effort_<effort> (catalogue EFFORTS)
    "slot_now": set(), "slot_next": set(), "slot_later": set(),
    "effort_low": set(), "effort_medium": set(), "effort_high": set(),
    "weeks_one": set(), "weeks_many": {"count"}, "steps_none": set(), "steps_one": set(), "steps_many": {"count"},
    "level_line": {"name", "meaning"}, "date": {"day", "month", "year"}, "month_names": set(),
    "more_on_step": {"number"},
}
LABELS = "labels"  # key -> the words users read for it
MAX_PAYLOAD_BYTES = 64  # Telegram's limit for button data


@dataclass(frozen=True)
class Replies:
    entries: dict[str, dict]
    labels: dict[str, str] = field(default_factory=dict)

    def render(self, key: str, **values) -> dict:
        """{"text": ..., "buttons": [...]} ready for a dispatcher."""
        entry = self.entries[key]
        return {"text": entry["text"].format(**values), "buttons": list(entry.get("buttons") or [])}

    def text(self, key: str, **values) -> str:
        """Only the text of a reply: for pieces of a longer message."""
        return self.entries[key]["text"].format(**values)

    def label(self, key: str | None) -> str:
        """What users read for an industry, goal or tool key; `make validate` reports missing ones."""
        return self.labels.get(key or "") or (key or "").replace("_", " ")

    def joined(self, key: str, pieces: Iterable[str]) -> str:
        """The non-empty pieces joined two at a time by reply `key` ("{before}, {after}"): punctuation and
        spacing differ between languages ("a, b" and "a、b"), so the code leaves them to the data."""
        kept = [piece for piece in pieces if piece]
        return reduce(lambda before, after: self.text(key, before=before, after=after), kept) if kept else ""

    def listed(self, items: Iterable[str]) -> str:
        """'a, b and c' (in Chinese 'a、b和c')."""
        items = [item for item in items if item]
        if len(items) < 2:
            return "".join(items)
        return self.text("list_and", before=self.joined("list_comma", items[:-1]), after=items[-1])


def load_replies(path: Path, language: str = "en") -> Replies:
    doc = load_yaml(path)
    if not isinstance(doc, dict):
        raise DataError(path, None, "expected a mapping of reply names to {text, buttons}.")
    for key, allowed in PLACEHOLDERS.items():
        if key not in doc:
            raise DataError(path, None, f"reply '{key}' is missing.", f"add `{key}:` with a `text:`.")
        _check_entry(path, doc, key, allowed)
    unknown = sorted(set(doc) - set(PLACEHOLDERS) - {LABELS})
    if unknown:
        raise DataError(path, line_of(doc, unknown[0]), f"unknown reply '{unknown[0]}'.",
                        "fix the name; the assistant never sends it.")
    return Replies({key: _in_language(doc[key], language) for key in PLACEHOLDERS}, _labels(path, doc, language))


def _in_language(entry: dict, language: str) -> dict:
    buttons = [{"title": localised(b, "title", language), "payload": localised(b, "payload", language)}
               for b in entry.get("buttons") or []]
    return {"text": localised(entry, "text", language), "buttons": buttons}


def _labels(path: Path, doc: dict, language: str) -> dict[str, str]:
    labels = doc.get(LABELS) or {}
    if not isinstance(labels, dict):
        raise DataError(path, line_of(doc, LABELS), "`labels:` must map keys to the words users read.",
                        "write one `key: words` per line, like `food_service: food service`.")
    for key, words in labels.items():
        if not isinstance(words, str) or not words.strip():
            raise DataError(path, line_of(labels, key), f"label '{key}' needs text.",
                            f"write `{key}: {str(key).replace('_', ' ')}` or the words users should read.")
    return {str(key): localised(labels, key, language).strip() for key in labels if not is_twin(key)}


TEXT_KEYS = ("text", twin("text", "zh"))
BUTTON_KEYS = {"title", "payload", twin("title", "zh"), twin("payload", "zh")}


def placeholders_in(text: str) -> set[str]:
    """The {names} a reply's text uses; ValueError for a stray brace."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _check_entry(path: Path, doc: dict, key: str, allowed: set[str]) -> None:
    entry = doc[key]
    line = line_of(doc, key)
    if not isinstance(entry, dict) or not isinstance(entry.get("text"), str) or not entry["text"].strip():
        raise DataError(path, line, f"reply '{key}' needs a `text:`.")
    unknown = sorted(set(entry) - set(TEXT_KEYS) - {"buttons"})
    if unknown:
        raise DataError(path, line, f"reply '{key}' has unknown key '{unknown[0]}'.",
                        "use only `text`, `text_zh` and `buttons`.")
    for text_key in TEXT_KEYS:
        if text_key not in entry:
            continue  # a missing translation: the translation check names it
        where = line_of(entry, text_key) or line
        if not isinstance(entry[text_key], str) or not entry[text_key].strip():
            raise DataError(path, where, f"reply '{key}': `{text_key}` needs text.")
        try:
            used = placeholders_in(entry[text_key])
        except ValueError as err:
            raise DataError(path, where, f"reply '{key}': {err}.", "write literal braces as {{ and }}.") from None
        extra = used - allowed
        if extra:
            raise DataError(path, where, f"reply '{key}' uses unknown placeholder {{{sorted(extra)[0]}}}.",
                            f"use only: {', '.join('{' + p + '}' for p in sorted(allowed)) or 'none'}.")
    for button in entry.get("buttons") or []:
        if not isinstance(button, dict) or not button.get("title") or not button.get("payload"):
            raise DataError(path, line, f"reply '{key}': every button needs a `title` and a `payload`.")
        if set(button) - BUTTON_KEYS:
            raise DataError(path, line, f"reply '{key}': a button has unknown key '{sorted(set(button) - BUTTON_KEYS)[0]}'.",
                            "use only `title`, `title_zh`, `payload` and `payload_zh`.")
        for payload in (button["payload"], button.get(twin("payload", "zh")) or ""):
            if len(str(payload).encode()) > MAX_PAYLOAD_BYTES:
                raise DataError(path, line, f"reply '{key}': payload '{payload}' is over {MAX_PAYLOAD_BYTES} bytes.",
                                "Telegram drops longer button data: shorten it.")
