"""The endpoints Rasa runs with: the project's endpoints.yml plus what this machine's environment says.

* the action server's port (`make run ACTIONS_PORT=...`);
* `REDIS_URL` (redis://[:password@]host[:port][/db], rediss:// for TLS) adds a Redis lock store (Rasa's,
  with its ticket changes made atomic: bot/storage/lock_store.py).
  Only then does Rasa honour `SANIC_WORKERS` above 1: with its default in-memory lock store it
  silently runs one worker, since two workers could otherwise handle one conversation at once.
* `DATABASE_URL` (postgresql://user:password@host:port/db, or sqlite:///file.db) moves the
  conversations there too: the app data (bot.storage.Store) already reads it, so one variable puts
  both in one database, as replicas behind a proxy need.
* `ACTION_SERVER_URL` (http://actions:5055/webhook) names an action server on another host; without
  it the action server is this machine's, on the port given.
"""
from __future__ import annotations

import copy
from typing import Mapping
from urllib.parse import urlsplit

LOCK_KEY_PREFIX = "dxadvisor"  # Rasa accepts letters and digits only
TRACKER_STORE = "bot.storage.tracker_store.ForgetfulSQLTrackerStore"
# Rasa's Redis lock store, its ticket changes made atomic across servers (bot/storage/lock_store.py).
ATOMIC_REDIS_LOCK_STORE = "bot.storage.lock_store.AtomicRedisLockStore"


def redis_lock_store(url: str) -> dict:
    """Rasa's `lock_store` section for a Redis URL, read by redis-py's own URL parser; ValueError with a
    plain reason if it is not one. No database in the URL means 1, Rasa's default for locks."""
    from redis.connection import SSLConnection, parse_url

    url = url.strip()
    split = urlsplit(url)
    if split.scheme not in ("redis", "rediss"):
        raise ValueError(f"REDIS_URL should look like redis://127.0.0.1:6379/1, not {url!r}")
    database = split.path.strip("/")
    if database and not database.isdigit():  # redis-py would ignore it and use database 0
        raise ValueError(f"REDIS_URL has a database that is not a number: {url!r}")
    try:
        parts = parse_url(url)
    except ValueError as err:
        raise ValueError(f"REDIS_URL {url!r}: {err}") from None
    if not parts.get("host"):
        raise ValueError(f"REDIS_URL should name a host, like redis://127.0.0.1:6379/1, not {url!r}")
    store = {"type": ATOMIC_REDIS_LOCK_STORE, "url": parts["host"], "port": parts.get("port", 6379), "db": parts.get("db", 1),
             "key_prefix": LOCK_KEY_PREFIX, "use_ssl": parts.get("connection_class") is SSLConnection}
    store.update({key: parts[key] for key in ("username", "password") if parts.get(key)})
    return store


def sql_tracker_store(url: str) -> dict:
    """Rasa's `tracker_store` section (our forgetful SQL store) for a database URL; ValueError with a
    plain reason for anything but PostgreSQL or SQLite."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    text = url.strip()
    if text.startswith("postgres://"):  # what many hosts hand out; SQLAlchemy wants postgresql://
        text = "postgresql://" + text[len("postgres://"):]
    try:
        parsed = make_url(text)
    except ArgumentError:
        raise ValueError("DATABASE_URL should look like postgresql://user:password@host:5432/db") from None
    shown = parsed.render_as_string(hide_password=True)  # never a password in a message or a log
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return {"type": TRACKER_STORE, "dialect": "sqlite", "db": parsed.database or ""}
    if backend != "postgresql" or not parsed.host or not parsed.database:
        raise ValueError(f"DATABASE_URL must be PostgreSQL (with a host and a database) or SQLite, not {shown}")
    store = {"type": TRACKER_STORE, "dialect": "postgresql", "url": parsed.host, "port": parsed.port or 5432,
             "db": parsed.database}
    store.update({key: value for key, value in (("username", parsed.username), ("password", parsed.password)) if value})
    if parsed.query:
        store["query"] = dict(parsed.query)  # e.g. sslmode=require
    return store


def run_endpoints(project: Mapping, environ: Mapping[str, str], actions_port: int | None = None) -> dict:
    """`project` (endpoints.yml as read) with the action server, the tracker store and a lock store
    from the environment."""
    endpoints = copy.deepcopy(dict(project))
    action_url = environ.get("ACTION_SERVER_URL", "").strip()
    if action_url or actions_port is not None:
        action = endpoints.setdefault("action_endpoint", {})
        action["url"] = action_url or f"http://localhost:{actions_port}/webhook"
    if environ.get("DATABASE_URL", "").strip():
        endpoints["tracker_store"] = sql_tracker_store(environ["DATABASE_URL"])
    if environ.get("REDIS_URL", "").strip():
        endpoints["lock_store"] = redis_lock_store(environ["REDIS_URL"])
    return endpoints
