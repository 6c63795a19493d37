"""The endpoints Rasa runs with: the project's endpoints.yml plus what this machine's environment says.

* the action server's port (`make run ACTIONS_PORT=...`);
* `REDIS_URL` (redis://[:password@]host[:port][/db], rediss:// for TLS) adds Rasa's Redis lock store.
  Only then does Rasa honour `SANIC_WORKERS` above 1: with its default in-memory lock store it
  silently runs one worker, since two workers could otherwise handle one conversation at once.
"""
from __future__ import annotations

import copy
from typing import Mapping
from urllib.parse import unquote, urlsplit

LOCK_KEY_PREFIX = "dxadvisor"  # Rasa accepts letters and digits only


def redis_lock_store(url: str) -> dict:
    """Rasa's `lock_store` section for a Redis URL; ValueError with a plain reason if it is not one."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("redis", "rediss") or not parts.hostname:
        raise ValueError(f"REDIS_URL should look like redis://127.0.0.1:6379/1, not {url!r}")
    database = parts.path.strip("/") or "1"
    try:
        port, db = parts.port or 6379, int(database)
    except ValueError:
        raise ValueError(f"REDIS_URL has a port or database number that is not a number: {url!r}") from None
    store = {"type": "redis", "url": parts.hostname, "port": port, "db": db, "key_prefix": LOCK_KEY_PREFIX,
             "use_ssl": parts.scheme == "rediss"}
    if parts.username:
        store["username"] = unquote(parts.username)
    if parts.password:
        store["password"] = unquote(parts.password)
    return store


def run_endpoints(project: Mapping, environ: Mapping[str, str], actions_port: int | None = None) -> dict:
    """`project` (endpoints.yml as read) with the action server's port and a lock store from the environment."""
    endpoints = copy.deepcopy(dict(project))
    if actions_port is not None:
        action = endpoints.setdefault("action_endpoint", {})
        action["url"] = f"http://localhost:{actions_port}/webhook"
    if environ.get("REDIS_URL", "").strip():
        endpoints["lock_store"] = redis_lock_store(environ["REDIS_URL"])
    return endpoints
