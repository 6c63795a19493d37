"""``Store``: save and load a firm's profile and plans as plain dicts, on SQLite or PostgreSQL.

    store = Store()                      # $DATABASE_URL, else sqlite:///dx_advisor.db
    store.save_profile("42", {"industry": "retail", "tools": ["excel"]})
    store.load_profile("42")             # {"sender_id": "42", "industry": "retail", ...}
    store.save_plan("42", {"level": 1, "step_ids": ["crm"], "currency": "GBP"}, profile)  # one transaction
    store.latest_plan("42")              # the dict saved, plus "id", "version" (1, 2, ...) and "created_at"
    store.plan_history("42")             # every version, oldest first
    store.plan_version("42", 1)          # one version as saved, or None
    store.save_checkin("42", {"plan_version": 1, "step_id": "crm", "step_number": 1, "status": "done"})
    store.checkins("42")                 # every check-in, oldest first (store.checkins(): everyone's)
    store.save_lead("42", lead, consent="...")   # an owner's request for a person (bot/handoff/lead.py)
    store.leads(since=datetime(2026, 12, 1))     # every lead, oldest first; store.set_lead_notified(id, "sent")
    store.delete_user("42")              # number of rows removed: profile, plans, check-ins and leads
    store.save_state("telegram:1:updates", "...")   # a channel's small key/value state
    store.load_state("telegram:1:updates")           # the string saved, or None
    store.claim_update("123", 1001)      # True for the first replica to take Telegram update 1001, then False
    await store.aload_profile("42")      # async twins run the sync method in a worker thread

Building a ``Store`` only makes the engine: it connects on first use and never changes the
schema. ``store.migrate()`` (run by ``python -m bot migrate``, which ``make run`` and the
bootstrap call) upgrades the database to the newest Alembic revision. Every query is built with
SQLAlchemy expressions, so all values travel as bound parameters. Sender ids are checked first:
a non-empty string of at most 255 characters. Rows keyed by a sender or a state key are written
with one upsert (the dialect's INSERT ... ON CONFLICT), so concurrent writers need no retries.
"""
from __future__ import annotations

import asyncio
import json
import math
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, delete, func, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import QueuePool, StaticPool

from bot.names import Progress
from bot.storage.models import PROFILE_FIELDS, ChannelState, CheckIn, ClaimedUpdate, Lead, Plan, Profile

DEFAULT_URL = "sqlite:///dx_advisor.db"
MAX_SENDER_ID_LENGTH = 255
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_MIGRATION_LOCK_KEY = 0x6478_6164  # "dxad": serialises concurrent upgrades on PostgreSQL
_READ_ONLY_KEYS = {"sender_id", "created_at", "updated_at"}
_CLAIMS_KEPT = timedelta(days=7)  # Telegram stops resending an update after a day
_PRUNE_EVERY = 100  # prune old claims on one update in this many
_VERSION_TRIES = 8  # Rasa's lock already serialises one conversation; this covers other writers


# Alembic is imported only where migrations are handled: the servers import this module at start-up,
# and alembic's import logs a line per plugin it sets up.
def alembic_config(url: str = ""):
    """Alembic configuration for our migrations, with no alembic.ini needed.

    Also for maintainers: ``command.revision(alembic_config(url), "add x", autogenerate=True)``.
    """
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision() -> str | None:
    """The newest migration's revision id."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def check_sender_id(sender_id: Any) -> str:
    """Return ``sender_id`` if it is usable as a key, else raise ValueError saying why."""
    if not isinstance(sender_id, str) or not sender_id:
        raise ValueError(f"sender_id must be a non-empty string, not {sender_id!r}")
    if len(sender_id) > MAX_SENDER_ID_LENGTH:
        raise ValueError(
            f"sender_id is {len(sender_id)} characters long; at most {MAX_SENDER_ID_LENGTH} are allowed"
        )
    if "\x00" in sender_id:
        raise ValueError("sender_id must not contain NUL characters")
    return sender_id


class Store:
    """Profiles and plans in one SQL database; see the module docstring for the API."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or os.environ.get("DATABASE_URL") or DEFAULT_URL
        self.engine = _make_engine(self.url)
        self._sessions = sessionmaker(self.engine, future=True, expire_on_commit=False)

    def migrate(self) -> None:
        """Upgrade the schema to the newest revision; does nothing when it is there already."""
        from alembic import command

        with self.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})
            config = alembic_config(self.url)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def revision(self) -> str | None:
        """The revision the database is at (None before any migration)."""
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def close(self) -> None:
        self.engine.dispose()

    # ------------------------------------------------------------------ profiles
    def save_profile(self, sender_id: str, profile: dict) -> None:
        """Create or update the sender's profile.

        Keys given are set (``None`` clears a field); keys left out keep their stored value.
        ``sender_id``/``created_at``/``updated_at`` as returned by load_profile are ignored.
        """
        sender_id = check_sender_id(sender_id)
        values = _profile_values(sender_id, profile)
        now = _utcnow()
        with self._sessions.begin() as session:
            _upsert(session, Profile, {"sender_id": sender_id, "created_at": now},
                    {**values, "updated_at": now})

    def load_profile(self, sender_id: str) -> dict | None:
        sender_id = check_sender_id(sender_id)
        with self._sessions() as session:
            row = session.get(Profile, sender_id)
            if row is None:
                return None
            profile = {"sender_id": row.sender_id}
            for key in PROFILE_FIELDS:
                profile[key] = getattr(row, key)
            profile["tools"] = None if row.tools is None else json.loads(row.tools)
            profile["created_at"] = _iso(row.created_at)
            profile["updated_at"] = _iso(row.updated_at)
            return profile

    # --------------------------------------------------------------------- plans
    def save_plan(self, sender_id: str, plan: dict, profile: dict | None = None) -> dict:
        """Store `plan` (a JSON-serialisable dict) as the sender's next version, and `profile` (as for
        save_profile) in the same transaction: both are stored or neither is.

        ``step_ids``, ``level``, ``currency``, ``profile``, ``constraints`` and ``change`` are also kept
        in their own columns. Returns the plan as latest_plan would: with ``id``, ``version`` (1, 2, ...
        per sender) and ``created_at``.
        """
        sender_id = check_sender_id(sender_id)
        row = _plan_row(sender_id, plan)
        values = None if profile is None else _profile_values(sender_id, profile)
        for attempt in range(_VERSION_TRIES):
            try:
                with self._sessions.begin() as session:
                    if values is not None:
                        _upsert(session, Profile, {"sender_id": sender_id, "created_at": row.created_at},
                                {**values, "updated_at": row.created_at})
                    newest = select(func.max(Plan.version)).where(Plan.sender_id == sender_id)
                    row.version = (session.execute(newest).scalar() or 0) + 1
                    session.add(row)
                    session.flush()
                    return _plan_dict(row)
            except IntegrityError:  # another writer took this version number first: take the next one
                if attempt == _VERSION_TRIES - 1:
                    raise
                row = _plan_row(sender_id, plan)

    def latest_plan(self, sender_id: str) -> dict | None:
        """The sender's newest plan as saved, with its ``id``, ``version`` and ``created_at``."""
        sender_id = check_sender_id(sender_id)
        query = select(Plan).where(Plan.sender_id == sender_id).order_by(Plan.version.desc()).limit(1)
        with self._sessions() as session:
            row = session.execute(query).scalars().first()
            return None if row is None else _plan_dict(row)

    def plan_history(self, sender_id: str) -> list[dict]:
        """Every plan the sender was given, oldest first (version 1, 2, ...)."""
        sender_id = check_sender_id(sender_id)
        query = select(Plan).where(Plan.sender_id == sender_id).order_by(Plan.version)
        with self._sessions() as session:
            return [_plan_dict(row) for row in session.execute(query).scalars()]

    def plan_version(self, sender_id: str, version: int) -> dict | None:
        """One version of the sender's plans as saved, or None."""
        sender_id = check_sender_id(sender_id)
        query = select(Plan).where(Plan.sender_id == sender_id, Plan.version == version)
        with self._sessions() as session:
            row = session.execute(query).scalars().first()
            return None if row is None else _plan_dict(row)

    # ------------------------------------------------------------------ check-ins
    def save_checkin(self, sender_id: str, checkin: dict) -> dict:
        """Store how a step went: ``plan_version``, ``step_id``, ``step_number`` and ``status`` (one of
        Progress.STORED). Returns it with ``id`` and ``created_at``."""
        sender_id = check_sender_id(sender_id)
        if not isinstance(checkin, dict):
            raise ValueError(f"checkin must be a dict, not {type(checkin).__name__}")
        status = checkin.get("status")
        if status not in Progress.STORED:
            raise ValueError(f"checkin status must be one of {', '.join(Progress.STORED)}")
        version, number = _optional_int("plan_version", checkin.get("plan_version")), \
            _optional_int("step_number", checkin.get("step_number"))
        step_id = _optional_str("step_id", checkin.get("step_id"), CheckIn.step_id)
        if version is None or number is None or not step_id:
            raise ValueError("a checkin needs plan_version, step_id and step_number")
        row = CheckIn(sender_id=sender_id, created_at=_utcnow(), plan_version=version, step_id=step_id,
                      step_number=number, status=status)
        with self._sessions.begin() as session:
            session.add(row)
            session.flush()
            return _checkin_dict(row)

    def checkins(self, sender_id: str | None = None) -> list[dict]:
        """The sender's check-ins (everyone's without one), oldest first."""
        query = select(CheckIn).order_by(CheckIn.id)
        if sender_id is not None:
            query = query.where(CheckIn.sender_id == check_sender_id(sender_id))
        with self._sessions() as session:
            return [_checkin_dict(row) for row in session.execute(query).scalars()]

    def first_plans(self) -> list[dict]:
        """Every sender's first plan (version 1) with its ``sender_id``, oldest first: when each firm started."""
        query = select(Plan).where(Plan.version == 1).order_by(Plan.id)
        with self._sessions() as session:
            return [{**_plan_dict(row), "sender_id": row.sender_id} for row in session.execute(query).scalars()]

    # --------------------------------------------------------------------- leads
    def save_lead(self, sender_id: str, lead: dict, consent: str) -> dict:
        """Store a request for a person; `consent` is what the owner agreed to, word for word.

        `lead` needs ``contact_kind`` and ``contact``; ``channel`` and ``summary`` have their own
        columns too. Returns the lead as `leads` would: with ``id`` and ``created_at``.
        """
        sender_id = check_sender_id(sender_id)
        if not isinstance(lead, dict):
            raise ValueError(f"lead must be a dict, not {type(lead).__name__}")
        if not isinstance(consent, str) or not consent.strip():
            raise ValueError("a lead needs the consent the owner gave")
        row = Lead(sender_id=sender_id, created_at=_utcnow(), consent=consent,
                   contact_kind=_optional_str("contact_kind", lead.get("contact_kind"), Lead.contact_kind),
                   contact=_optional_str("contact", lead.get("contact"), Lead.contact),
                   channel=_optional_str("channel", lead.get("channel"), Lead.channel),
                   summary=_optional_str("summary", lead.get("summary"), Lead.summary),
                   payload=_json("lead", lead))
        if not row.contact_kind or not row.contact:
            raise ValueError("a lead needs a contact_kind and a contact")
        with self._sessions.begin() as session:
            session.add(row)
            session.flush()
            return _lead_dict(row)

    def set_lead_notified(self, lead_id: int, outcome: str) -> None:
        """Record whether the operator was told about the lead (sent, off or failed)."""
        with self._sessions.begin() as session:
            row = session.get(Lead, lead_id)
            if row is not None:
                row.notified = _optional_str("notified", outcome, Lead.notified)

    def leads(self, since: datetime | None = None, sender_id: str | None = None) -> list[dict]:
        """Every lead, oldest first; only those made at or after `since` (naive UTC), or only the
        sender's, if given."""
        query = select(Lead).order_by(Lead.id)
        if sender_id is not None:
            query = query.where(Lead.sender_id == check_sender_id(sender_id))
        if since is not None:
            query = query.where(Lead.created_at >= since)
        with self._sessions() as session:
            return [_lead_dict(row) for row in session.execute(query).scalars()]

    # ------------------------------------------------------------------ deletion
    def delete_user(self, sender_id: str) -> int:
        """Delete the sender's profile, every plan, check-in and lead; return how many rows went."""
        sender_id = check_sender_id(sender_id)
        removed = 0
        with self._sessions.begin() as session:
            for model in (Plan, CheckIn, Lead, Profile):
                statement = delete(model).where(model.sender_id == sender_id)
                result = session.execute(statement.execution_options(synchronize_session=False))
                removed += result.rowcount
        return removed

    # ------------------------------------------------------------- channel state
    def load_state(self, key: str) -> str | None:
        """A channel's value saved under ``key``, or None."""
        with self._sessions() as session:
            row = session.get(ChannelState, _state_key(key))
            return None if row is None else row.value

    def save_state(self, key: str, value: str) -> None:
        """Create or replace the value under ``key``."""
        key = _state_key(key)
        if not isinstance(value, str):
            raise ValueError(f"state value must be a string, not {type(value).__name__}")
        with self._sessions.begin() as session:
            _upsert(session, ChannelState, {"key": key}, {"value": value, "updated_at": _utcnow()})

    def claim_update(self, bot_key: str, update_id: int) -> bool:
        """Take a Telegram update for this server: True the first time, False once anyone has (one
        INSERT ... ON CONFLICT DO NOTHING, atomic across replicas). Claims older than a week go."""
        if not isinstance(update_id, int) or isinstance(update_id, bool):
            raise ValueError("update_id must be a whole number")
        now = _utcnow()
        insert = _INSERTS[self.engine.dialect.name](ClaimedUpdate).values(
            bot_key=_state_key(bot_key)[:64], update_id=update_id, claimed_at=now)
        with self._sessions.begin() as session:
            taken = session.execute(insert.on_conflict_do_nothing()).rowcount == 1
            if taken and update_id % _PRUNE_EVERY == 0:
                session.execute(delete(ClaimedUpdate).where(ClaimedUpdate.claimed_at < now - _CLAIMS_KEPT)
                                .execution_options(synchronize_session=False))
        return taken

    # ------------------------------------------------ async twins (worker thread)
    async def asave_profile(self, sender_id: str, profile: dict) -> None:
        return await asyncio.to_thread(self.save_profile, sender_id, profile)

    async def aload_profile(self, sender_id: str) -> dict | None:
        return await asyncio.to_thread(self.load_profile, sender_id)

    async def asave_plan(self, sender_id: str, plan: dict, profile: dict | None = None) -> dict:
        return await asyncio.to_thread(self.save_plan, sender_id, plan, profile)

    async def aplan_history(self, sender_id: str) -> list[dict]:
        return await asyncio.to_thread(self.plan_history, sender_id)

    async def alatest_plan(self, sender_id: str) -> dict | None:
        return await asyncio.to_thread(self.latest_plan, sender_id)

    async def aplan_version(self, sender_id: str, version: int) -> dict | None:
        return await asyncio.to_thread(self.plan_version, sender_id, version)

    async def asave_checkin(self, sender_id: str, checkin: dict) -> dict:
        return await asyncio.to_thread(self.save_checkin, sender_id, checkin)

    async def acheckins(self, sender_id: str | None = None) -> list[dict]:
        return await asyncio.to_thread(self.checkins, sender_id)

    async def asave_lead(self, sender_id: str, lead: dict, consent: str) -> dict:
        return await asyncio.to_thread(self.save_lead, sender_id, lead, consent)

    async def aset_lead_notified(self, lead_id: int, outcome: str) -> None:
        return await asyncio.to_thread(self.set_lead_notified, lead_id, outcome)

    async def aleads(self, since: datetime | None = None, sender_id: str | None = None) -> list[dict]:
        return await asyncio.to_thread(self.leads, since, sender_id)

    async def adelete_user(self, sender_id: str) -> int:
        return await asyncio.to_thread(self.delete_user, sender_id)

    async def aload_state(self, key: str) -> str | None:
        return await asyncio.to_thread(self.load_state, key)

    async def aclaim_update(self, bot_key: str, update_id: int) -> bool:
        return await asyncio.to_thread(self.claim_update, bot_key, update_id)

    async def asave_state(self, key: str, value: str) -> None:
        return await asyncio.to_thread(self.save_state, key, value)


def _make_engine(url: str):
    parsed = make_url(url.replace("postgres://", "postgresql://", 1) if url.startswith("postgres://") else url)
    # Errors are logged; their SQL parameters would put owners' contacts and profiles in the log.
    kwargs: dict[str, Any] = {"future": True, "hide_parameters": True}
    if parsed.get_backend_name() == "sqlite":
        # The async twins run in worker threads, so connections move between threads.
        kwargs["connect_args"] = {"check_same_thread": False}
        # In memory: one shared connection, so every thread sees the same data. A file: a real pool
        # (SQLAlchemy 1.4's default for file SQLite opens a new connection per transaction).
        if parsed.database in (None, "", ":memory:"):
            kwargs["poolclass"] = StaticPool
        else:  # as many connections as asyncio.to_thread has worker threads, so none waits for one
            kwargs.update(poolclass=QueuePool, pool_size=5, max_overflow=min(32, (os.cpu_count() or 1) + 4))
    else:
        kwargs["pool_pre_ping"] = True
    return create_engine(parsed, **kwargs)


_INSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


def _upsert(session, model, key: dict, values: dict) -> None:
    """Insert a row of `model`, or update `values` in the row that has the same primary key.

    `key` holds the primary key plus what is only set on insert (like created_at).
    """
    insert = _INSERTS[session.get_bind().dialect.name](model).values(**key, **values)
    keys = [column.name for column in model.__table__.primary_key.columns]
    session.execute(insert.on_conflict_do_update(index_elements=keys, set_=values))


def _plan_row(sender_id: str, plan: Any) -> Plan:
    if not isinstance(plan, dict):
        raise ValueError(f"plan must be a dict, not {type(plan).__name__}")
    payload = _json("plan", plan)
    step_ids = plan.get("step_ids", [])
    if not isinstance(step_ids, (list, tuple)) or not all(isinstance(s, str) for s in step_ids):
        raise ValueError("plan['step_ids'] must be a list of strings")
    for key in ("profile", "constraints"):
        if plan.get(key) is not None and not isinstance(plan[key], dict):
            raise ValueError(f"plan['{key}'] must be a dict")
    return Plan(
        sender_id=sender_id,
        created_at=_utcnow(),
        level=_optional_int("level", plan.get("level")),
        step_ids=json.dumps(list(step_ids)),
        currency=_optional_str("currency", plan.get("currency"), Plan.currency),
        profile=None if plan.get("profile") is None else json.dumps(plan["profile"]),
        constraints=None if plan.get("constraints") is None else json.dumps(plan["constraints"]),
        change=_optional_str("change", plan.get("change"), Plan.change),
        payload=payload,
    )


def _json(name: str, value: Any) -> str:
    try:
        return json.dumps(value, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be JSON-serialisable: {error}") from None


def _lead_dict(row: Lead) -> dict:
    return {**json.loads(row.payload), "id": row.id, "sender_id": row.sender_id, "created_at": _iso(row.created_at),
            "consent": row.consent, "notified": row.notified}


def _checkin_dict(row: CheckIn) -> dict:
    return {"id": row.id, "sender_id": row.sender_id, "created_at": _iso(row.created_at),
            "plan_version": row.plan_version, "step_id": row.step_id, "step_number": row.step_number,
            "status": row.status}


def _plan_dict(row: Plan) -> dict:
    return {**json.loads(row.payload), "id": row.id, "version": row.version, "created_at": _iso(row.created_at)}


def _state_key(key: Any) -> str:
    if not isinstance(key, str) or not key or len(key) > 255:
        raise ValueError(f"state key must be a non-empty string of at most 255 characters, not {key!r}")
    return key


def _profile_values(sender_id: str, profile: Any) -> dict:
    if not isinstance(profile, dict):
        raise ValueError(f"profile must be a dict, not {type(profile).__name__}")
    unknown = sorted(set(profile) - set(PROFILE_FIELDS) - _READ_ONLY_KEYS)
    if unknown:
        raise ValueError(f"unknown profile fields: {', '.join(map(str, unknown))}")
    if profile.get("sender_id", sender_id) != sender_id:
        raise ValueError("profile['sender_id'] differs from the sender_id given")
    values: dict[str, Any] = {}
    for key in PROFILE_FIELDS:
        if key not in profile:
            continue
        value = profile[key]
        if key in ("head_count_low", "head_count_high"):
            values[key] = _optional_int(key, value)
        elif key == "budget_amount":
            values[key] = _optional_float(key, value)
        elif key == "tools":
            if value is not None and (
                not isinstance(value, (list, tuple)) or not all(isinstance(t, str) for t in value)
            ):
                raise ValueError("profile['tools'] must be a list of strings")
            values[key] = None if value is None else json.dumps(list(value))
        else:
            values[key] = _optional_str(key, value, getattr(Profile, key))
    return values


def _optional_int(key: str, value: Any) -> int | None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise ValueError(f"{key} must be an integer, not {value!r}")
    return value


def _optional_float(key: str, value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{key} must be a finite number, not {value!r}")
    return float(value)


def _optional_str(key: str, value: Any, column) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{key} must be a string, not {value!r}")
    limit = getattr(column.type, "length", None)
    if limit is not None and len(value) > limit:
        raise ValueError(f"{key} is {len(value)} characters long; at most {limit} are allowed")
    return value


def _utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _iso(moment: datetime) -> str:
    return moment.replace(tzinfo=timezone.utc).isoformat()
