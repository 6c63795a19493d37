"""Conversation review: what real users said that went wrong, read from the tracker store.

    review = run_review("sqlite:///dx_advisor.db", since=date(2026, 11, 1))
    review.counts()          # {"fallback": 3, "low_confidence": 5, "abandoned_form": 1, "correction": 1}
    print(render_review(review))

Four kinds of finding:

* **fallback**: user messages whose intent is ``nlu_fallback``, with the ``input_problem`` entity's
  value when the input screen gave a reason (``symbols_only``, ``other_language``, ...).
* **low_confidence**: other user messages whose intent confidence is below a threshold (0.6).
* **abandoned_form**: advice form attempts that ended unfinished (bot.trainer.events says when).
  Newer open forms count as in progress, not abandoned. The item shown is the last thing the user
  said while the form was open, and the question they were left at.
* **correction**: user messages containing a phrase from ``data/review_phrases.yml`` ("that's not
  what I asked", "你理解错了", ...; English ones as whole words, Chinese ones anywhere in the message);
  the user message before it in the conversation is the misunderstood one.

bot.trainer.nlu_stub turns findings into an NLU file for a trainer to label.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Optional, Sequence

import yaml

from bot import paths
from bot.names import Intents
from bot.nlu.language import has_han
from bot.text import normalise
from bot.trainer.events import (DEFAULT_IDLE_MINUTES, DEFAULT_URL, Event, EventLog, Message, ReviewError,
                                describe_window, form_attempts, load_events)

DEFAULT_THRESHOLD = 0.6
REVIEW_PHRASES_PATH = paths.DATA_DIR / "review_phrases.yml"
CATEGORIES = ("fallback", "low_confidence", "abandoned_form", "correction")
CATEGORY_TITLES = {
    "fallback": "Fallback (not understood)",
    "low_confidence": "Low intent confidence",
    "abandoned_form": "Advice questions abandoned",
    "correction": "Corrections (\"that's not what I asked\")",
}


# -------------------------------------------------------------------------------- findings


@dataclass(frozen=True)
class Finding:
    """Something that went wrong. ``message`` is the user message shown; for a correction,
    ``previous`` is the misunderstood message before it; ``detail`` says more (a reason)."""

    category: str
    message: Optional[Message]
    previous: Optional[Message] = None
    detail: Optional[str] = None

    @property
    def misunderstood(self) -> Optional[Message]:
        """The message the assistant got wrong, for labelling; None for an abandoned form."""
        if self.category == "correction":
            return self.previous
        if self.category in ("fallback", "low_confidence"):
            return self.message
        return None


@dataclass
class Review:
    label: str
    since: Optional[date]
    until: Optional[date]
    threshold: float
    conversations: int
    user_messages: int
    fallback: list[Finding]
    low_confidence: list[Finding]
    abandoned_form: list[Finding]
    correction: list[Finding]
    forms_in_progress: int = 0

    def counts(self) -> dict[str, int]:
        return {category: len(getattr(self, category)) for category in CATEGORIES}

    def findings(self) -> list[Finding]:
        return [finding for category in CATEGORIES for finding in getattr(self, category)]


def load_phrases(path: Path = REVIEW_PHRASES_PATH) -> list[str]:
    """The correction phrases, normalised; ReviewError when the file is missing or malformed."""
    try:
        doc = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise ReviewError(f"Cannot read the correction phrases in {path}: {err}") from None
    phrases = doc.get("correction_phrases") if isinstance(doc, dict) else None
    if not isinstance(phrases, list) or not all(isinstance(p, str) and p.strip() for p in phrases):
        raise ReviewError(f"{path} must have `correction_phrases:` followed by a list of phrases (text).")
    return [normalise(p) for p in phrases if normalise(p)]


def is_correction(text: str, phrases: Sequence[str]) -> bool:
    """The text holds one of the (normalised) phrases: an English one as whole words ("a wrong answers
    list" is no "wrong answer"), a Chinese one anywhere, spaces aside, since Chinese writes no spaces
    between words ("你理解错了吧" holds "你理解错了")."""
    said = normalise(text)
    return any(_holds(said, phrase) for phrase in phrases)


def _holds(said: str, phrase: str) -> bool:
    if has_han(phrase):
        return phrase.replace(" ", "") in said.replace(" ", "")
    return f" {phrase} " in f" {said} "


def find_corrections(by_sender: dict[str, list[Event]], phrases: Sequence[str]) -> list[Finding]:
    found = []
    for events in by_sender.values():
        previous: Optional[Message] = None
        for event in events:
            if event.type != "user":
                continue
            message = event.message()
            if is_correction(message.text, phrases):
                found.append(Finding("correction", message, previous=previous))
            else:
                previous = message
    return sorted(found, key=lambda f: f.message.timestamp)


def run_review(url: str = DEFAULT_URL, since: Optional[date] = None, until: Optional[date] = None,
               threshold: float = DEFAULT_THRESHOLD, idle_minutes: float = DEFAULT_IDLE_MINUTES,
               sender_prefix: Optional[str] = None, phrases: Optional[Sequence[str]] = None,
               now: Optional[float] = None) -> Review:
    """Read the tracker store and find what went wrong (see the module docstring)."""
    phrases = load_phrases() if phrases is None else [normalise(p) for p in phrases]
    return review_events(load_events(url, since, until, sender_prefix), threshold, idle_minutes, phrases, now)


def review_events(log: EventLog, threshold: float = DEFAULT_THRESHOLD,
                  idle_minutes: float = DEFAULT_IDLE_MINUTES, phrases: Optional[Sequence[str]] = None,
                  now: Optional[float] = None) -> Review:
    now = time.time() if now is None else now
    phrases = load_phrases() if phrases is None else phrases
    messages = log.messages()
    fallback = [Finding("fallback", m, detail=m.input_problem) for m in messages if m.intent == Intents.FALLBACK]
    low = [Finding("low_confidence", m) for m in messages
           if m.intent != Intents.FALLBACK and m.confidence is not None and m.confidence < threshold]
    abandoned, in_progress = [], 0
    for attempt in sorted(form_attempts(log), key=lambda a: a.started):
        if attempt.abandoned(now, idle_minutes):
            how = {"restarted": "conversation restarted", "new_session": "new session started"}.get(
                attempt.outcome, "no reply")
            asked = f"left at: {attempt.requested_slot}" if attempt.requested_slot else "left before the first question"
            abandoned.append(Finding("abandoned_form", attempt.last_message, detail=f"{asked}; {how}"))
        elif attempt.outcome == "open":
            in_progress += 1
    return Review(
        label=log.label, since=log.since, until=log.until, threshold=threshold,
        conversations=len({m.sender_id for m in messages}), user_messages=len(messages),
        fallback=fallback, low_confidence=low, abandoned_form=abandoned,
        correction=find_corrections(log.by_sender(), phrases), forms_in_progress=in_progress,
    )


# ------------------------------------------------------------------------------- rendering


def one_line(text: str, width: Optional[int] = None) -> str:
    """Whitespace (newlines too) collapsed; cut to ``width`` with an ellipsis."""
    text = " ".join((text or "").split())
    if width and len(text) > width:
        text = text[: width - 1] + "…"
    return text


def _intent_label(message: Optional[Message]) -> str:
    if message is None:
        return ""
    intent = message.intent or "-"
    return f"{intent}/{message.faq_topic}" if message.faq_topic else intent


def _row(message: Optional[Message], width: int, extra: str = "") -> str:
    if message is None:
        return f"  {'-':<16}  {'':<9}  {'':<{width}}  {'':>5}  {'':>5}  (no earlier message){extra}"
    confidence = "" if message.confidence is None else f"{message.confidence:.2f}"
    topic = "" if message.topic_confidence is None or not message.faq_topic else f"{message.topic_confidence:.2f}"
    return (f"  {message.when:%Y-%m-%d %H:%M}  {one_line(message.channel, 9):<9}  "
            f"{one_line(_intent_label(message), width):<{width}}  {confidence:>5}  {topic:>5}  "
            f"{one_line(message.text, 70)!r}{extra}")


def render_review(review: Review, limit: Optional[int] = None) -> str:
    """Plain-text report: a section per category (date, channel, intent, confidence, text), then counts."""
    lines = [f"Conversation review of {review.label}, {describe_window(review.since, review.until)}",
             f"{review.conversations} conversation(s), {review.user_messages} user message(s)", ""]
    shown_messages = [m for f in review.findings() for m in (f.message, f.previous)]
    width = min(40, max([6] + [len(_intent_label(m)) for m in shown_messages]))
    header = f"  {'date (UTC)':<16}  {'channel':<9}  {'intent':<{width}}  {'conf':>5}  {'topic':>5}  text"
    for category in CATEGORIES:
        findings = getattr(review, category)
        title = CATEGORY_TITLES[category]
        if category == "low_confidence":
            title += f" (below {review.threshold:g})"
        lines.append(f"{title}: {len(findings)}")
        if findings:
            lines.append(header)
        shown = findings if limit is None else findings[:limit]
        for finding in shown:
            if category == "correction":
                lines.append(_row(finding.previous, width, "   <- misunderstood"))
                lines.append(_row(finding.message, width))
            else:
                lines.append(_row(finding.message, width, f"   [{finding.detail}]" if finding.detail else ""))
        if len(shown) < len(findings):
            lines.append(f"  ... and {len(findings) - len(shown)} more")
        lines.append("")
    lines.append("Counts")
    for category, count in review.counts().items():
        lines.append(f"  {category:<16} {count:>5}")
    if review.forms_in_progress:
        lines.append(f"  ({review.forms_in_progress} advice form(s) still in progress, not counted as abandoned)")
    return "\n".join(lines)
