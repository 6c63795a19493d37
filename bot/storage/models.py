"""Tables of dx-advisor's own data: one profile per conversation (sender), its saved plans, its
progress check-ins, and the channels' small key/value state.

Portable column types only (String, Integer, Float, Text, DateTime), so the same schema runs on
SQLite and PostgreSQL. Lists and the rendered plan are JSON kept in Text columns. Times are naive
UTC. Any change here needs a new migration in ``migrations/versions``.
"""
from sqlalchemy import Column, DateTime, Float, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Profile(Base):
    """What a firm told the assistant about itself."""

    __tablename__ = "profiles"

    sender_id = Column(String(255), primary_key=True)
    industry = Column(String(255))
    head_count_low = Column(Integer)
    head_count_high = Column(Integer)
    budget_kind = Column(String(32))
    budget_amount = Column(Float)
    budget_currency = Column(String(16))
    budget_period = Column(String(32))
    tools = Column(Text)  # JSON list of tool names
    goal = Column(Text)
    created_at = Column(DateTime, nullable=False)
    updated_at = Column(DateTime, nullable=False)


class Plan(Base):
    """A plan the assistant gave, as a record: versions 1, 2, ... per sender; the newest is the current one.

    Every change ("something cheaper", "I already have that") adds a version; none is overwritten.
    """

    __tablename__ = "plans"
    __table_args__ = (UniqueConstraint("sender_id", "version", name="uq_plans_sender_version"),)

    id = Column(Integer, primary_key=True, autoincrement=True)
    sender_id = Column(String(255), nullable=False, index=True)
    version = Column(Integer, nullable=False)
    created_at = Column(DateTime, nullable=False)
    level = Column(Integer)
    step_ids = Column(Text, nullable=False)  # JSON list of step ids, in plan order
    currency = Column(String(16))
    profile = Column(Text)  # JSON: the profile the plan was made for, as the advice form's slot values
    constraints = Column(Text)  # JSON: what it was made under (excluded steps, owned tools, cost cap)
    change = Column(String(32))  # what made this version: made, cheaper, owned (they have a step or tool)
    payload = Column(Text, nullable=False)  # JSON of the whole record as saved


class Lead(Base):
    """An owner who asked for a person and agreed to pass on their profile and plan (bot/handoff/lead.py)."""

    __tablename__ = "leads"

    id = Column(Integer, primary_key=True, autoincrement=True)
    sender_id = Column(String(255), nullable=False, index=True)
    created_at = Column(DateTime, nullable=False)
    channel = Column(String(32))
    contact_kind = Column(String(16), nullable=False)  # email or phone
    contact = Column(String(320), nullable=False)  # normalised: an address, or a number in E.164
    consent = Column(Text, nullable=False)  # the words the owner agreed to, as they were asked
    summary = Column(Text)  # the profile as the adviser reads it, written when the lead was made
    notified = Column(String(16))  # sent, off (nobody configured) or failed; None until tried
    payload = Column(Text, nullable=False)  # JSON of the whole lead: profile, plan record, plan lines


class CheckIn(Base):
    """How a step of a plan went, as the owner said on coming back: done, started, not_started or skipped.

    One row per answer, never overwritten, so the first profile (T0) and each later one (T1, ...) can
    be compared, and `python -m bot stats` can tell how long firms took to finish step 1.
    """

    __tablename__ = "checkins"

    id = Column(Integer, primary_key=True, autoincrement=True)
    sender_id = Column(String(255), nullable=False, index=True)
    created_at = Column(DateTime, nullable=False)
    plan_version = Column(Integer, nullable=False)  # the version of the plan the step belongs to
    step_id = Column(String(64), nullable=False)
    step_number = Column(Integer, nullable=False)  # its place in that plan: 1, 2, 3
    status = Column(String(16), nullable=False)


class ChannelState(Base):
    """Small values a channel keeps between restarts, e.g. the Telegram update ids handled."""

    __tablename__ = "channel_state"

    key = Column(String(255), primary_key=True)
    value = Column(Text, nullable=False)
    updated_at = Column(DateTime, nullable=False)


class ClaimedUpdate(Base):
    """A Telegram update one replica has taken: the primary key makes the claim atomic across replicas,
    so an update Telegram delivers again (to this server or another) is handled once."""

    __tablename__ = "telegram_updates"

    bot_key = Column(String(64), primary_key=True)  # which bot: its id
    update_id = Column(Integer, primary_key=True)
    claimed_at = Column(DateTime, nullable=False, index=True)


# The keys of a profile dict (Store.save_profile / load_profile), besides the timestamps.
PROFILE_FIELDS = (
    "industry",
    "head_count_low",
    "head_count_high",
    "budget_kind",
    "budget_amount",
    "budget_currency",
    "budget_period",
    "tools",
    "goal",
)
