"""The conversation lock shared by servers: tickets issued by two lock stores at once, against the
Redis that `make test-scale` runs. Rasa 3.6's own store lost tickets under this very load (seen while
writing bot/storage/lock_store.py); ours must lose none."""
from __future__ import annotations

import os
import threading
import uuid
from urllib.parse import urlsplit

from bot.storage.lock_store import AtomicRedisLockStore


def stores(cls, n: int = 2):
    url = urlsplit(os.environ["REDIS_URL"])
    return [cls(host=url.hostname, port=url.port, db=int(url.path.strip("/") or 1), key_prefix="scaletest")
            for _ in range(n)]


def issue_at_once(lock_stores, conversation: str, per_store: int = 25) -> list[int]:
    issued, start = [], threading.Barrier(len(lock_stores))

    def issue(store):
        start.wait()
        for _ in range(per_store):
            issued.append(store.issue_ticket(conversation))

    threads = [threading.Thread(target=issue, args=(store,)) for store in lock_stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return issued


def test_two_servers_issuing_tickets_at_once_lose_none():
    first, second = stores(AtomicRedisLockStore)
    conversation = f"lock-{uuid.uuid4().hex[:8]}"
    issued = issue_at_once([first, second], conversation)
    assert sorted(issued) == list(range(50))  # every ticket distinct, numbered in order
    lock = second.get_lock(conversation)
    assert [t.number for t in lock.tickets] == list(range(50))  # and every one still in the queue
    assert lock.now_serving == 0
    for number in range(50):
        (first if number % 2 else second).cleanup(conversation, number)
    assert first.get_lock(conversation) is None  # the last one out deletes the lock
