"""Conversation review: what real users said that went wrong, read from Rasa's tracker store.

    review = run_review("sqlite:///dx_advisor.db", since=date(2026, 11, 1))
    review.counts()          # {"fallback": 3, "low_confidence": 5, "abandoned_form": 1, "correction": 1}
    print(render_review(review))
    Path("stub.yml").write_text(to_nlu_stub(review.findings()))

It reads the ``events`` table that Rasa's ``SQLTrackerStore`` (and our ``ForgetfulSQLTrackerStore``)
writes, on any SQLAlchemy URL (SQLite or PostgreSQL), with SQLAlchemy Core only: no Rasa import.
Each row is one event: ``type_name`` ("user", "action", "active_loop", "slot", ...), ``timestamp``
(Unix seconds), ``action_name`` (the action, loop or slot name) and ``data``, the event as JSON.

Four kinds of finding:

* **fallback**: user messages whose intent is ``nlu_fallback``, with the ``input_problem`` entity's
  value when the input screen gave a reason (``symbols_only``, ``other_language``, ...).
* **low_confidence**: other user messages whose intent confidence is below a threshold (0.6).
* **abandoned_form**: ``firm_profile_form`` was activated and never deactivated (no later
  ``active_loop`` event with name null, which is what finishing or stopping the form writes). The
  attempt ends unfinished when the conversation restarts (``restart``) or a new session starts
  (``session_started``: Rasa resets the form), or when nothing more happened: the sender's last
  event is older than ``idle_minutes`` (default 30; 0 means "the end of the data is the end").
  Newer open forms count as in progress, not abandoned. The item shown is the last thing the user
  said while the form was open, and the question they were left at.
* **correction**: user messages containing a phrase from ``data/review_phrases.yml`` ("that's not
  what I asked", ...); the user message before it in the conversation is the misunderstood one.

Dates: ``since``/``until`` are days in UTC, both included, and filter on the event timestamp. A form
counts in the window where it was started; to see whether it was finished, events after ``until``
of those senders are read too. ``sender_prefix`` keeps only senders whose id starts with it.

``to_nlu_stub`` turns findings into an NLU YAML file for a trainer to label: message texts only.
Sender ids and timestamps are kept in memory for the analysis but never printed or exported.
"""
from __future__ import annotations

import json
import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time as dtime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence

import yaml
from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, create_engine, inspect, or_, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from bot import paths
from bot.explain import FAQ_INTENT
from bot.input_screen import FALLBACK_INTENT
from bot.telegram_format import SENDER_PREFIX as TELEGRAM_PREFIX
from bot.text import normalise
from bot.webchat_session import SENDER_PREFIX as WEBCHAT_PREFIX

FORM_NAME = "firm_profile_form"
STOP_FORM_ACTION = "action_stop_form"
MAKE_PLAN_ACTION = "action_make_plan"
PROBLEM_ENTITY = "input_problem"
DEFAULT_URL = "sqlite:///dx_advisor.db"
DEFAULT_THRESHOLD = 0.6
DEFAULT_IDLE_MINUTES = 30
REVIEW_PHRASES_PATH = paths.DATA_DIR / "review_phrases.yml"
STUB_INTENT = "TODO_label_me"
MAX_STUB_TEXT = 2000  # longer messages are never parsed (bot/input_screen.py), so not exported

CATEGORIES = ("fallback", "low_confidence", "abandoned_form", "correction")
CATEGORY_TITLES = {
    "fallback": "Fallback (not understood)",
    "low_confidence": "Low intent confidence",
    "abandoned_form": "Advice questions abandoned",
    "correction": "Corrections (\"that's not what I asked\")",
}
# Channel when a user event has no `input_channel`: guessed from our channels' sender id prefixes.
SENDER_PREFIX_CHANNELS = ((WEBCHAT_PREFIX, "webchat"), (TELEGRAM_PREFIX, "telegram"))

# Only these event types are read; slot events only for these slots.
_EVENT_TYPES = ("user", "action", "active_loop", "slot", "restart", "session_started")
_SLOTS = ("requested_slot", "plan_steps")


class ReviewError(Exception):
    """A problem the trainer can fix (wrong URL, no database, no events table): no stack trace."""


# ---------------------------------------------------------------------------------- events


@dataclass(frozen=True)
class Message:
    """One user message. ``sender_id`` is for grouping only: it is never printed or exported."""

    text: str
    intent: Optional[str]
    confidence: Optional[float]
    timestamp: float
    channel: str
    sender_id: str = field(repr=False)
    input_problem: Optional[str] = None
    faq_topic: Optional[str] = None  # e.g. "what_is_internet_plus", for intent "faq"

    @property
    def when(self) -> datetime:
        return datetime.fromtimestamp(self.timestamp, timezone.utc)


@dataclass(frozen=True)
class Event:
    """A row of the ``events`` table; ``data`` is its JSON."""

    id: int
    sender_id: str
    type: str
    timestamp: float
    name: Optional[str]
    data: dict

    @property
    def value(self) -> Any:
        return self.data.get("value")

    def message(self) -> Message:
        """The user message of a "user" event."""
        parse = self.data.get("parse_data") or {}
        intent = parse.get("intent") or {}
        entities = parse.get("entities") or []
        problem = next((e.get("value") for e in entities
                        if isinstance(e, dict) and e.get("entity") == PROBLEM_ENTITY), None)
        topic = None
        if intent.get("name") == FAQ_INTENT:
            key = ((((parse.get("response_selector") or {}).get(FAQ_INTENT) or {}).get("response") or {})
                   .get("intent_response_key"))
            if isinstance(key, str):
                topic = key.split("/", 1)[-1]
        confidence = intent.get("confidence")
        return Message(
            text=self.data.get("text") or "",
            intent=intent.get("name"),
            confidence=float(confidence) if isinstance(confidence, (int, float)) else None,
            timestamp=self.timestamp,
            channel=channel_of(self.data.get("input_channel"), self.sender_id),
            sender_id=self.sender_id,
            input_problem=problem if isinstance(problem, str) else None,
            faq_topic=topic,
        )


def channel_of(input_channel: Any, sender_id: str) -> str:
    """The user event's ``input_channel``; else guessed from the sender id; else "unknown"."""
    if isinstance(input_channel, str) and input_channel:
        return input_channel
    for prefix, channel in SENDER_PREFIX_CHANNELS:
        if sender_id.startswith(prefix):
            return channel
    return "unknown"


def events_table(metadata: Optional[MetaData] = None) -> Table:
    """The columns of Rasa 3.6's ``SQLTrackerStore.SQLEvent`` (rasa/core/tracker_store.py)."""
    return Table(
        "events", metadata or MetaData(),
        Column("id", Integer, primary_key=True),
        Column("sender_id", String(255), nullable=False, index=True),
        Column("type_name", String(255), nullable=False),
        Column("timestamp", Float),
        Column("intent_name", String(255)),
        Column("action_name", String(255)),
        Column("data", Text),
    )


# ------------------------------------------------------------------------------ date window


def parse_day(text: str) -> date:
    """``YYYY-MM-DD`` to a date; ValueError with a readable message otherwise."""
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        raise ValueError(f"{text!r} is not a date like 2026-11-28 (YYYY-MM-DD)") from None


def window(since: Optional[date] = None, until: Optional[date] = None) -> tuple[Optional[float], Optional[float]]:
    """[start, end) in Unix seconds: ``since`` from 00:00 UTC, ``until`` up to the end of its day."""
    if since and until and since > until:
        raise ReviewError(f"--since {since} is after --until {until}.")
    start = datetime.combine(since, dtime(), timezone.utc).timestamp() if since else None
    end = datetime.combine(until + timedelta(days=1), dtime(), timezone.utc).timestamp() if until else None
    return start, end


def describe_window(since: Optional[date], until: Optional[date]) -> str:
    if since and until:
        return f"{since} to {until} (UTC)"
    if since:
        return f"from {since} (UTC)"
    if until:
        return f"up to {until} (UTC)"
    return "all dates"


# ------------------------------------------------------------------------------- database


class TrackerEvents:
    """Read access to a tracker store's ``events`` table; raises ReviewError when it is not there."""

    def __init__(self, url: str = DEFAULT_URL) -> None:
        try:
            parsed = make_url(url)
        except ArgumentError:
            raise ReviewError(
                f"{url!r} is not a database URL. Examples: sqlite:///dx_advisor.db, "
                "postgresql://user:password@host:5432/rasa") from None
        self.label = parsed.render_as_string(hide_password=True)
        if parsed.get_backend_name() == "sqlite":
            database = parsed.database or ""
            if database in ("", ":memory:"):
                raise ReviewError(f"{self.label} is an empty in-memory database; give the tracker database file.")
            if not database.startswith("file:") and not Path(database).is_file():
                raise ReviewError(
                    f"No tracker database at {Path(database).resolve()}. Give the file Rasa's tracker store "
                    "writes (endpoints.yml, tracker_store `db`); `make run` uses sqlite:///dx_advisor.db "
                    "in the project folder.")
        try:
            self.engine = create_engine(url, future=True)
        except (ArgumentError, NoSuchModuleError, ImportError) as err:
            raise ReviewError(f"Cannot use {self.label}: {err}") from None
        try:
            with self.engine.connect() as connection:
                found = inspect(connection).has_table("events")
        except SQLAlchemyError as err:
            self.engine.dispose()
            reason = getattr(err, "orig", None) or err
            raise ReviewError(f"Cannot open the tracker database {self.label}: {str(reason).strip()}") from None
        if not found:
            self.engine.dispose()
            raise ReviewError(
                f"{self.label} has no `events` table: it is not a Rasa SQL tracker store, "
                "or the assistant has not saved a conversation there yet.")
        self.table = events_table()

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "TrackerEvents":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _select(self):
        t = self.table
        return (
            select(t.c.id, t.c.sender_id, t.c.type_name, t.c.timestamp, t.c.action_name, t.c.data)
            .where(t.c.type_name.in_(_EVENT_TYPES))
            .where(or_(t.c.type_name != "slot", t.c.action_name.in_(_SLOTS)))
        )

    def _run(self, query) -> list[Event]:
        try:
            with self.engine.connect() as connection:
                rows = connection.execute(query.order_by(self.table.c.id)).all()
        except SQLAlchemyError as err:
            reason = getattr(err, "orig", None) or err
            raise ReviewError(f"Cannot read the events of {self.label}: {str(reason).strip()}") from None
        return [event for event in map(_event, rows) if event is not None]

    def load(self, start: Optional[float] = None, end: Optional[float] = None,
             sender_prefix: Optional[str] = None) -> list[Event]:
        """Events with start <= timestamp < end, in the order they were written."""
        t, query = self.table, self._select()
        if start is not None:
            query = query.where(t.c.timestamp >= start)
        if end is not None:
            query = query.where(t.c.timestamp < end)
        if sender_prefix:
            query = query.where(t.c.sender_id.startswith(sender_prefix, autoescape=True))
        return self._run(query)

    def load_after(self, sender_ids: Iterable[str], end: float) -> list[Event]:
        """The given senders' events from ``end`` on."""
        senders, events = sorted(set(sender_ids)), []
        for chunk in range(0, len(senders), 500):
            query = self._select().where(self.table.c.sender_id.in_(senders[chunk:chunk + 500]))
            events += self._run(query.where(self.table.c.timestamp >= end))
        return sorted(events, key=lambda e: e.id)


def _event(row: Any) -> Optional[Event]:
    try:
        data = json.loads(row.data) if row.data else {}
    except (TypeError, ValueError):
        data = {}
    if not isinstance(data, dict):
        data = {}
    timestamp = row.timestamp if row.timestamp is not None else data.get("timestamp")
    if not isinstance(timestamp, (int, float)):
        return None
    name = data.get("name", row.action_name)
    return Event(row.id, row.sender_id, row.type_name, float(timestamp), name, data)


@dataclass
class EventLog:
    """Events in a date window, plus later events of senders whose form was still open at its end."""

    events: list[Event]
    later: list[Event] = field(default_factory=list)
    label: str = ""
    since: Optional[date] = None
    until: Optional[date] = None

    def by_sender(self) -> dict[str, list[Event]]:
        return _group(self.events)

    def later_by_sender(self) -> dict[str, list[Event]]:
        return _group(self.later)

    def messages(self) -> list[Message]:
        return [e.message() for e in self.events if e.type == "user"]


def _group(events: Iterable[Event]) -> dict[str, list[Event]]:
    grouped: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        grouped[event.sender_id].append(event)
    return dict(grouped)


def load_events(url: str = DEFAULT_URL, since: Optional[date] = None, until: Optional[date] = None,
                sender_prefix: Optional[str] = None) -> EventLog:
    """The window's events; when ``until`` is set, also what came after for forms still open."""
    start, end = window(since, until)
    with TrackerEvents(url) as source:
        log = EventLog(source.load(start, end, sender_prefix), label=source.label, since=since, until=until)
        if end is not None:
            pending = [a.sender_id for a in form_attempts(log)
                       if a.outcome == "open" or (a.outcome == "finished" and not a.planned)]
            if pending:
                log.later = source.load_after(pending, end)
    return log


# ------------------------------------------------------------------------------ form attempts


@dataclass
class FormAttempt:
    """One run of ``firm_profile_form``: from its activation to its deactivation or abandonment.

    outcome: "finished" (deactivated; ``planned`` if action_make_plan followed), "stopped" (the
    user asked to stop), "restarted", "new_session", "open" (nothing after it yet: see
    ``abandoned``).
    """

    sender_id: str = field(repr=False)
    started: float
    channel: str
    last_message: Optional[Message] = None
    requested_slot: Optional[str] = None
    outcome: str = "open"
    planned: bool = False
    last_activity: float = 0.0
    stop_requested: bool = False

    def abandoned(self, now: float, idle_minutes: float = DEFAULT_IDLE_MINUTES) -> bool:
        if self.outcome in ("restarted", "new_session"):
            return True
        return self.outcome == "open" and (idle_minutes <= 0 or now - self.last_activity >= idle_minutes * 60)


def form_attempts(log: EventLog) -> list[FormAttempt]:
    """Every form attempt started in the window, followed into ``log.later`` to see how it ended."""
    later = log.later_by_sender()
    attempts: list[FormAttempt] = []
    for sender_id, events in log.by_sender().items():
        attempts += _sender_attempts(sender_id, events, later.get(sender_id, []))
    return attempts


def _sender_attempts(sender_id: str, events: Sequence[Event], later: Sequence[Event]) -> list[FormAttempt]:
    attempts: list[FormAttempt] = []
    current: Optional[FormAttempt] = None
    last_user: Optional[Message] = None
    last_ts = 0.0
    for in_window, event in [(True, e) for e in events] + [(False, e) for e in later]:
        last_ts = max(last_ts, event.timestamp)
        if event.type == "user":
            last_user = event.message()
            if current:
                current.last_message = last_user
        elif event.type == "active_loop" and event.name == FORM_NAME:
            if current is None and in_window:
                current = FormAttempt(sender_id, event.timestamp, last_user.channel if last_user else
                                      channel_of(None, sender_id), last_message=last_user)
                attempts.append(current)
        elif event.type == "active_loop" and event.name is None and current:
            current.outcome = "stopped" if current.stop_requested else "finished"
            current = None
        elif event.type == "action" and event.name == STOP_FORM_ACTION and current:
            current.stop_requested = True
        elif event.type == "action" and event.name == MAKE_PLAN_ACTION and current is None and attempts:
            if attempts[-1].outcome == "finished":
                attempts[-1].planned = True
        elif event.type == "slot" and event.name == "requested_slot" and current and event.value:
            current.requested_slot = str(event.value)
        elif event.type in ("restart", "session_started") and current:
            current.outcome = "restarted" if event.type == "restart" else "new_session"
            current = None
    for attempt in attempts:
        attempt.last_activity = last_ts
    return attempts


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
    said = f" {normalise(text)} "
    return any(f" {phrase} " in said for phrase in phrases)


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
    fallback = [Finding("fallback", m, detail=m.input_problem) for m in messages if m.intent == FALLBACK_INTENT]
    low = [Finding("low_confidence", m) for m in messages
           if m.intent != FALLBACK_INTENT and m.confidence is not None and m.confidence < threshold]
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
        return f"  {'-':<16}  {'':<9}  {'':<{width}}  {'':>5}  (no earlier message){extra}"
    confidence = "" if message.confidence is None else f"{message.confidence:.2f}"
    return (f"  {message.when:%Y-%m-%d %H:%M}  {one_line(message.channel, 9):<9}  "
            f"{one_line(_intent_label(message), width):<{width}}  {confidence:>5}  "
            f"{one_line(message.text, 70)!r}{extra}")


def render_review(review: Review, limit: Optional[int] = None) -> str:
    """Plain-text report: a section per category (date, channel, intent, confidence, text), then counts."""
    lines = [f"Conversation review of {review.label}, {describe_window(review.since, review.until)}",
             f"{review.conversations} conversation(s), {review.user_messages} user message(s)", ""]
    shown_messages = [m for f in review.findings() for m in (f.message, f.previous)]
    width = min(40, max([6] + [len(_intent_label(m)) for m in shown_messages]))
    header = f"  {'date (UTC)':<16}  {'channel':<9}  {'intent':<{width}}  {'conf':>5}  text"
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


# ------------------------------------------------------------------------------ NLU export

_ENTITY_LIKE = re.compile(r"\[[^\]]+?\](\(|\{|\[)")  # Rasa would read "[x](y)", "[x]{..}", "[x][..]" as entities


def _yaml_safe(text: str) -> str:
    """One line of YAML-printable characters."""
    kept = []
    for char in text:
        code = ord(char)
        if char in "\t\n\r\x85\u2028\u2029":
            kept.append(" ")
        elif (0x20 <= code <= 0x7E or code in (0xA0,) or 0xA1 <= code <= 0xD7FF
              or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF) and code != 0xFEFF:
            kept.append(char)
    return " ".join("".join(kept).split())


def stub_texts(items: Iterable[Any]) -> tuple[list[str], list[str]]:
    """(examples, texts to fix by hand) from findings, messages or strings; de-duplicated.

    A finding gives its misunderstood message (abandoned forms give none). Empty texts, button
    payloads or commands ("/..."), and texts over 2,000 characters are left out.
    """
    examples: list[str] = []
    by_hand: list[str] = []
    seen: set[str] = set()
    for item in items:
        if isinstance(item, Finding):
            item = item.misunderstood
        text = item.text if isinstance(item, Message) else item
        if not isinstance(text, str) or len(text) > MAX_STUB_TEXT:
            continue
        text = _yaml_safe(text)
        key = text.casefold()
        if not text or text.startswith("/") or key in seen:
            continue
        seen.add(key)
        (by_hand if _ENTITY_LIKE.search(text) else examples).append(text)
    return examples, by_hand


def to_nlu_stub(items: Iterable[Any], intent: str = STUB_INTENT) -> str:
    """A Rasa NLU YAML file (version "3.1") with the misunderstood texts under a placeholder intent.

    Only message texts are exported: no sender ids, no dates, no channels.
    """
    examples, by_hand = stub_texts(items)
    lines = [
        "# Messages the assistant did not understand, exported by `python -m bot review --export`.",
        "# Only the message texts are here: no sender ids, no dates.",
        "#",
        "# What to do:",
        f"# 1. Read each example under `{intent}` and decide which intent it should have had",
        "#    (the list is in domain.yml; FAQ questions go under `faq/<topic>`, see data/nlu/faq.yml).",
        "#    Delete examples the assistant should not learn from (spam, personal details, nonsense).",
        "# 2. Move each kept example to that intent in data/nlu/*.yml, or rename this intent and",
        "#    copy the block. Mark entities as in the other examples, e.g. [hair salon](industry).",
        "# 3. Run `make validate`, `make train` and `make test`.",
        f"# Do not put this file into data/ unchanged: `{intent}` would be trained as an intent.",
    ]
    if by_hand:
        lines += ["#", "# These contain brackets that Rasa would read as entity annotations; rewrite them",
                  "# by hand before adding them:"]
        lines += [f"#   - {text}" for text in by_hand]
    lines += ['version: "3.1"']
    if not examples:
        lines += ["# Nothing to label.", "nlu: []"]
    else:
        lines += ["nlu:", f"- intent: {intent}", "  examples: |"]
        lines += [f"    - {text}" for text in examples]
    return "\n".join(lines) + "\n"


__all__ = [
    "CATEGORIES", "DEFAULT_IDLE_MINUTES", "DEFAULT_THRESHOLD", "DEFAULT_URL", "Event", "EventLog", "Finding",
    "FormAttempt", "Message", "Review", "ReviewError", "TrackerEvents", "events_table", "form_attempts",
    "load_events", "load_phrases", "parse_day", "render_review", "review_events", "run_review", "to_nlu_stub",
]
