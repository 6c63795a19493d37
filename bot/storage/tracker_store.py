"""``ForgetfulSQLTrackerStore``: Rasa's SQL tracker store, but "delete my data" really deletes.

Why it exists: ``SQLTrackerStore.save()`` does not write the tracker, it appends the tracker's
events beyond the number of rows it counts in the database (``_additional_events``). A custom
action that deletes the sender's rows from ``events`` is therefore undone at the end of the same
turn: the count is now 0, so Rasa writes the whole in-memory conversation back.

So deletion is done here, at save time, signalled by a marker event the deleting action returns:
``SlotSet("data_deleted", True)``, best preceded by ``Restarted()``. When the tracker holds such a
marker and the database does not yet reflect it, ``save`` deletes every row of the sender (all
sessions) and stores only the events from the marker's ``Restarted`` onward (from the marker
itself when that turn has no ``Restarted``). Later saves append as usual.

Details:
* The ``Restarted`` counts only when it is in the marker's own turn (after the last user message);
  an older one would bring back the very messages to be forgotten.
* Rasa's session start copies slots into the new session (``carry_over_slots_to_new_session``):
  a ``data_deleted`` SlotSet right after ``SessionStarted`` is such a copy and is not a marker, so
  an expired session does not wipe the conversation again.
* "Does the database reflect it?" is checked, not assumed: if the sender's oldest row is the first
  kept event, only the kept events beyond the stored ones are added. Saving the same in-memory
  tracker twice therefore neither re-inserts forgotten events nor duplicates kept ones.

endpoints.yml:
    tracker_store:
      type: bot.storage.tracker_store.ForgetfulSQLTrackerStore
      dialect: sqlite
      db: dx_advisor.db

Speed (issue 14): Rasa's ``save`` counts the rows of the session before it appends (a query with a
sub-query: 5.6% of the server's samples in the profile of docs/PERFORMANCE.md), although the
``retrieve`` at the start of the same turn has just read them. The tracker a ``retrieve`` returns
carries how many events it read, and the first ``save`` of that very tracker object takes that number
instead of counting. Rasa handles a turn under the conversation's lock (shared by all workers when
the lock store is Redis), so nobody else writes the conversation between the two. Any other
``save`` (a second one in the turn, another tracker object) counts, as Rasa does.

Rasa builds custom stores as ``cls(host=url, domain=..., event_broker=..., **other_keys)``, which
is exactly ``SQLTrackerStore.__init__``; every SQLTrackerStore option (dialect, db, url,
username, password, port, login_db, query) works unchanged.
"""
from __future__ import annotations

import itertools
import json
import logging
from typing import Any, Iterator, Optional, Sequence

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot.names import Slots

logger = logging.getLogger(__name__)

DELETION_SLOT = Slots.DATA_DELETED
ROWS_READ = "_dx_rows_read"  # set on a tracker by retrieve: the events of the session it read


def is_deletion_marker(event: Event) -> bool:
    """``SlotSet("data_deleted", True)``."""
    return (
        getattr(event, "type_name", None) == "slot"
        and getattr(event, "key", None) == DELETION_SLOT
        and getattr(event, "value", None) is True
    )


def kept_from(events: Sequence[Event]) -> Optional[int]:
    """Index of the first event to keep after the latest deletion marker; None if there is none."""
    for index in range(len(events) - 1, -1, -1):
        if is_deletion_marker(events[index]) and not _is_carried_over(events, index):
            return _turn_restart(events, index)
    return None


def _is_carried_over(events: Sequence[Event], index: int) -> bool:
    """True for a SlotSet that is part of a session start's copied slots."""
    index -= 1
    while index >= 0 and events[index].type_name == "slot":
        index -= 1
    return index >= 0 and events[index].type_name == "session_started"


def _turn_restart(events: Sequence[Event], marker: int) -> int:
    for index in range(marker - 1, -1, -1):
        kind = events[index].type_name
        if kind == "restart":
            return index
        if kind == "user":
            break
    return marker


class ForgetfulSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore whose ``save`` honours the ``data_deleted`` marker (see module docstring)."""

    async def _retrieve(self, sender_id: str, fetch_events_from_all_sessions: bool) -> Optional[DialogueStateTracker]:
        tracker = await super()._retrieve(sender_id, fetch_events_from_all_sessions)
        if tracker is not None and not fetch_events_from_all_sessions:
            setattr(tracker, ROWS_READ, len(tracker.events))
        return tracker

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator[Event]:
        """The events beyond the rows stored: from what this tracker's retrieve read, else counted."""
        read = tracker.__dict__.pop(ROWS_READ, None)  # once: a second save counts
        if read is None or read > len(tracker.events):
            return super()._additional_events(session, tracker)
        return itertools.islice(tracker.events, read, len(tracker.events))

    async def save(self, tracker: DialogueStateTracker) -> None:
        events = list(tracker.events)
        start = kept_from(events)
        if start is None:
            return await super().save(tracker)
        tracker.__dict__.pop(ROWS_READ, None)  # the rows are about to change
        await self.stream_events(tracker)
        kept = events[start:]
        sender_id = tracker.sender_id
        with self.session_scope() as session:
            mine = self.SQLEvent.sender_id == sender_id
            oldest = (  # columns, not rows: nothing enters the session's identity map
                session.query(self.SQLEvent.type_name, self.SQLEvent.data)
                .filter(mine)
                .order_by(self.SQLEvent.id)
                .first()
            )
            if oldest is not None and _same_event(oldest, kept[0]):
                new = kept[session.query(self.SQLEvent.id).filter(mine).count():]
            else:
                removed = session.query(self.SQLEvent).filter(mine).delete(synchronize_session=False)
                logger.info("Forgot %d stored events of a conversation on request", removed)
                new = kept
            for event in new:
                session.add(self._row(sender_id, event))
            session.commit()

    def _row(self, sender_id: str, event: Event) -> Any:
        """The row Rasa's own ``save`` would write for ``event``."""
        data = event.as_dict()
        return self.SQLEvent(
            sender_id=sender_id,
            type_name=event.type_name,
            timestamp=data.get("timestamp"),
            intent_name=data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            action_name=data.get("name"),
            data=json.dumps(data),
        )


def _same_event(row: Any, event: Event) -> bool:
    try:
        stored = json.loads(row.data)
    except (TypeError, ValueError):
        return False
    return row.type_name == event.type_name and stored.get("timestamp") == event.timestamp


__all__ = ["DELETION_SLOT", "ForgetfulSQLTrackerStore", "is_deletion_marker", "kept_from"]
