"""``AtomicRedisLockStore``: Rasa's Redis lock store, with each change of a conversation's lock atomic.

Why it exists: Rasa 3.6's ``RedisLockStore`` keeps a conversation's ticket lock as one JSON value and
changes it by reading it, changing it in Python and writing it back (``issue_ticket``, ``cleanup``,
``update_lock``). Two servers doing that at once lose one's change: a ticket vanishes, and its
message either fails with "Could not acquire lock" or, worse, runs beside another message of the
same conversation. Rasa's own review of the ticket lock called this "far from atomic"; the fix
(an atomic ticket counter) went into Rasa Pro, not the open-source 3.6.

Here each change runs in a Redis transaction on that one key (WATCH, then MULTI/EXEC, retried by
redis-py if another server changed the key in between), so tickets are issued in order and none is
lost across any number of servers. Reads, the key layout and the JSON stay Rasa's, so servers with
either class can share a Redis during an upgrade. `make test-scale` sends ten messages of one
conversation at once over two servers and checks that each is processed once, one at a time.

endpoints.yml (written by `python -m bot endpoints` from REDIS_URL):
    lock_store:
      type: bot.storage.lock_store.AtomicRedisLockStore
      url: 127.0.0.1
      port: 6379
      db: 1
"""
from __future__ import annotations

import json
import logging
from typing import Any, Callable, Optional, Text

import redis

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)


class AtomicRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, **kwargs: Any) -> None:
        """Rasa builds a custom lock store from its endpoint config; tests may pass RedisLockStore's
        own arguments (host, port, db, ...)."""
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        return self._change(conversation_id, lambda lock: lock.issue_ticket(lock_lifetime))

    def update_lock(self, conversation_id: Text) -> None:
        self._change(conversation_id, lambda lock: lock.remove_expired_tickets())

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        """Give the ticket back. Runs after the turn, whose replies have gone out: if Redis is gone by
        now, the ticket simply expires (Rasa's ticket lifetime), and the user must not be told that
        nothing was done."""
        try:
            self._change(conversation_id, lambda lock: lock.remove_ticket_for(ticket_number))
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as error:
            logger.warning("Could not give back the lock of conversation %s (Redis: %s); it expires by itself.",
                           conversation_id, error)

    def _change(self, conversation_id: Text, change: Callable[[TicketLock], Any]) -> Any:
        """Apply `change` to the stored lock in one transaction; a lock left without tickets is deleted,
        as Rasa's cleanup does. Returns what `change` returned."""
        key = self.key_prefix + conversation_id

        def apply(pipe) -> Any:
            stored = pipe.get(key)  # watched: EXEC fails, and redis-py retries, if it changes meanwhile
            lock = TicketLock.from_dict(json.loads(stored)) if stored else TicketLock(conversation_id)
            result = change(lock)
            pipe.multi()
            if lock.is_someone_waiting():
                pipe.set(key, lock.dumps())
            else:
                pipe.delete(key)
            return result

        return self.red.transaction(apply, key, value_from_callable=True)
