"""The conversations in Rasa's tracker store, read for the trainer tools (review and stats).

    log = load_events("sqlite:///dx_advisor.db", since=date(2026, 11, 1))
    log.messages()          # every user message: text, intent, confidence, channel, FAQ topic
    form_attempts(log)      # every run of the advice form and how it ended

It reads the ``events`` table that Rasa's ``SQLTrackerStore`` (and our ``ForgetfulSQLTrackerStore``)
writes, on any SQLAlchemy URL (SQLite or PostgreSQL), with SQLAlchemy Core only: no Rasa import.
Each row is one event: ``type_name`` ("user", "action", "active_loop", "slot", ...), ``timestamp``
(Unix seconds), ``action_name`` (the action, loop or slot name) and ``data``, the event as JSON.

A form attempt runs from the activation of ``firm_profile_form`` to its deactivation (a later
``active_loop`` event with name null, which is what finishing or stopping the form writes). It ends
unfinished when the conversation restarts (``restart``) or a new session starts
(``session_started``: Rasa resets the form), or when nothing more happened: the sender's last
event is older than ``idle_minutes`` (default 30; 0 means "the end of the data is the end").

Dates: ``since``/``until`` are days in UTC, both included, and filter on the event timestamp. A form
counts in the window where it was started; to see whether it was finished, events after ``until``
of those senders are read too. ``sender_prefix`` keeps only senders whose id starts with it.
Sender ids are kept in memory for grouping but never printed or exported.
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time as dtime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, create_engine, inspect, or_, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from bot.names import LEGACY_PLAN_STEPS_SLOT, Actions, Entities, Forms, SenderPrefixes, Slots
from bot.nlu.parse_result import understood

DEFAULT_URL = "sqlite:///dx_advisor.db"
DEFAULT_IDLE_MINUTES = 30
# Channel when a user event has no `input_channel`: guessed from our channels' sender id prefixes.
SENDER_PREFIX_CHANNELS = ((SenderPrefixes.WEBCHAT, "webchat"), (SenderPrefixes.TELEGRAM, "telegram"))

# Only these event types are read; slot events only for these slots.
_EVENT_TYPES = ("user", "action", "active_loop", "slot", "restart", "session_started")
_SLOTS = (Slots.REQUESTED_SLOT, Slots.PLAN, LEGACY_PLAN_STEPS_SLOT)


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
    topic_confidence: Optional[float] = None  # the ResponseSelector's score for faq_topic

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
        entities = (parse.get("entities") or []) if isinstance(parse, dict) else []
        problem = next((e.get("value") for e in entities
                        if isinstance(e, dict) and e.get("entity") == Entities.INPUT_PROBLEM), None)
        seen = understood(parse)
        return Message(
            text=self.data.get("text") or "",
            intent=seen.intent,
            confidence=seen.confidence,
            timestamp=self.timestamp,
            channel=channel_of(self.data.get("input_channel"), self.sender_id),
            sender_id=self.sender_id,
            input_problem=problem if isinstance(problem, str) else None,
            faq_topic=seen.faq_topic,
            topic_confidence=seen.topic_confidence,
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
        elif event.type == "active_loop" and event.name == Forms.FIRM_PROFILE:
            if current is None and in_window:
                current = FormAttempt(sender_id, event.timestamp, last_user.channel if last_user else
                                      channel_of(None, sender_id), last_message=last_user)
                attempts.append(current)
        elif event.type == "active_loop" and event.name is None and current:
            current.outcome = "stopped" if current.stop_requested else "finished"
            current = None
        elif event.type == "action" and event.name == Actions.STOP_FORM and current:
            current.stop_requested = True
        elif event.type == "action" and event.name == Actions.MAKE_PLAN and current is None and attempts:
            if attempts[-1].outcome == "finished":
                attempts[-1].planned = True
        elif event.type == "slot" and event.name == Slots.REQUESTED_SLOT and current and event.value:
            current.requested_slot = str(event.value)
        elif event.type in ("restart", "session_started") and current:
            current.outcome = "restarted" if event.type == "restart" else "new_session"
            current = None
    for attempt in attempts:
        attempt.last_activity = last_ts
    return attempts
