"""ForgetfulSQLTrackerStore: a data_deleted marker really removes the stored conversation.

The events table is checked directly. SQLite always; PostgreSQL too when TEST_POSTGRES_URL is set.
"""

import json

import pytest
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.core.utils import AvailableEndpoints
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import text

from bot.storage.tracker_store import ForgetfulSQLTrackerStore, kept_from

DOMAIN = Domain.from_yaml(
    """
version: "3.1"
intents: [greet, delete_my_data]
slots:
  data_deleted:
    type: bool
    influence_conversation: false
    mappings:
    - type: custom
"""
)
MARKER = ("slot", "data_deleted", True)


def user(text_, intent="greet"):
    return UserUttered(text_, intent={"name": intent, "confidence": 1.0})


def a_turn(text_="hello"):
    return [ActionExecuted("action_listen"), user(text_), ActionExecuted("utter_greet")]


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    if request.param == "sqlite":
        store = ForgetfulSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "rasa.db"))
    else:
        store = ForgetfulSQLTrackerStore(domain=DOMAIN, host=request.getfixturevalue("pg_schema_url"))
    yield store
    store.engine.dispose()


@pytest.fixture
def sqlite_store(tmp_path):
    store = ForgetfulSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "rasa.db"))
    yield store
    store.engine.dispose()


def rows(store, sender_id):
    """(type_name, data) of the sender's rows in the events table, oldest first."""
    with store.engine.connect() as connection:
        result = connection.execute(
            text("SELECT type_name, data FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender_id})
        return [tuple(row) for row in result]


def kinds(store, sender_id):
    return [kind for kind, _ in rows(store, sender_id)]


def tracker(sender_id, events):
    return DialogueStateTracker.from_events(sender_id, events, DOMAIN.slots)


def key(event):
    return event.type_name, getattr(event, "key", None), getattr(event, "value", None)


async def test_the_marker_deletes_every_stored_event_of_that_sender_only(store):
    alice = tracker("alice", a_turn("my firm is Acme") + a_turn("we have 12 staff"))
    bob = tracker("bob", a_turn("hi"))
    await store.save(alice)
    await store.save(bob)
    bob_rows = rows(store, "bob")
    assert len(rows(store, "alice")) == 6

    alice.update(Restarted())
    alice.update(SlotSet("data_deleted", True))
    await store.save(alice)

    assert kinds(store, "alice") == ["restart", "slot"]
    assert not any("Acme" in data or "12 staff" in data for _, data in rows(store, "alice"))
    assert rows(store, "bob") == bob_rows

    retrieved = await store.retrieve("alice")
    assert [key(e) for e in retrieved.events] == [("restart", None, None), MARKER]
    assert retrieved.get_slot("data_deleted") is True

    retrieved.update(user("hello again"))
    await store.save(retrieved)
    assert kinds(store, "alice") == ["restart", "slot", "user"]
    assert [key(e)[0] for e in (await store.retrieve("alice")).events] == ["restart", "slot", "user"]


async def test_every_session_is_deleted(sqlite_store):
    alice = tracker("alice", a_turn("old session") + [ActionExecuted("action_session_start"), SessionStarted()]
                    + a_turn("new session"))
    await sqlite_store.save(alice)
    latest = await sqlite_store.retrieve("alice")  # only the latest session comes back
    latest.update(Restarted())
    latest.update(SlotSet("data_deleted", True))
    await sqlite_store.save(latest)
    assert kinds(sqlite_store, "alice") == ["restart", "slot"]


async def test_plain_sql_tracker_store_brings_deleted_rows_back(tmp_path):
    """The reason for ForgetfulSQLTrackerStore: deleting rows during a turn is undone by save()."""
    store = SQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "plain.db"))
    alice = tracker("alice", a_turn("my firm is Acme"))
    await store.save(alice)
    with store.engine.begin() as connection:  # what a custom action deleting the rows would do
        connection.execute(text("DELETE FROM events WHERE sender_id = 'alice'"))
    alice.update(SlotSet("data_deleted", True))
    await store.save(alice)
    assert any("Acme" in data for _, data in rows(store, "alice"))


async def test_a_real_deletion_turn_and_the_turns_after_it(sqlite_store):
    """As Rasa runs it: the action's Restarted makes action_session_start follow, which copies
    the slot after SessionStarted; that copy is not a second deletion."""
    alice = tracker("alice", a_turn("my firm is Acme"))
    await sqlite_store.save(alice)
    alice = await sqlite_store.retrieve("alice")
    for event in [ActionExecuted("action_listen"), user("delete my data", "delete_my_data"),
                  ActionExecuted("action_delete_my_data"), Restarted(), SlotSet("data_deleted", True),
                  ActionExecuted("action_session_start"), SessionStarted(), SlotSet("data_deleted", True),
                  ActionExecuted("action_listen")]:
        alice.update(event)
    await sqlite_store.save(alice)
    stored = kinds(sqlite_store, "alice")
    assert stored == ["restart", "slot", "action", "session_started", "slot", "action"]

    # Saving the same in-memory tracker again neither revives nor duplicates anything.
    await sqlite_store.save(alice)
    assert kinds(sqlite_store, "alice") == stored

    # Next turn: only the new session is loaded, and its events are appended as usual.
    nxt = await sqlite_store.retrieve("alice")
    assert [e.type_name for e in nxt.events] == ["session_started", "slot", "action"]
    for event in a_turn("hi again"):
        nxt.update(event)
    await sqlite_store.save(nxt)
    assert kinds(sqlite_store, "alice") == stored + ["action", "user", "action"]

    # A later session start copying data_deleted=True again deletes nothing.
    later = await sqlite_store.retrieve("alice")
    for event in [ActionExecuted("action_session_start"), SessionStarted(), SlotSet("data_deleted", True),
                  ActionExecuted("action_listen"), user("back again")]:
        later.update(event)
    await sqlite_store.save(later)
    assert len(kinds(sqlite_store, "alice")) == len(stored) + 3 + 5


async def test_without_restarted_the_marker_is_the_first_kept_event(sqlite_store):
    alice = tracker("alice", a_turn("my firm is Acme"))
    await sqlite_store.save(alice)
    alice.update(user("delete my data", "delete_my_data"))
    alice.update(ActionExecuted("action_delete_my_data"))
    alice.update(SlotSet("data_deleted", True))
    alice.update(ActionExecuted("action_listen"))
    await sqlite_store.save(alice)
    assert kinds(sqlite_store, "alice") == ["slot", "action"]


def test_only_a_restarted_of_the_markers_own_turn_counts():
    old_restart = [*a_turn("old"), Restarted(), *a_turn("my firm is Acme")]
    marker_turn = [user("delete", "delete_my_data"), ActionExecuted("action_delete_my_data"),
                   SlotSet("data_deleted", True)]
    events = old_restart + marker_turn
    assert kept_from(events) == len(events) - 1
    events = a_turn() + [Restarted(), SlotSet("data_deleted", True)]
    assert kept_from(events) == len(events) - 2
    assert kept_from(a_turn() + [SlotSet("data_deleted", False)]) is None
    assert kept_from(a_turn() + [SlotSet("data_deleted", "true")]) is None
    assert kept_from([SessionStarted(), SlotSet("other", 1), SlotSet("data_deleted", True)]) is None


def test_endpoints_yml_can_name_the_class(tmp_path):
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(
        "tracker_store:\n"
        "  type: bot.storage.tracker_store.ForgetfulSQLTrackerStore\n"
        "  dialect: sqlite\n"
        f"  db: {tmp_path / 'dx_advisor.db'}\n"
    )
    config = AvailableEndpoints.read_endpoints(str(endpoints)).tracker_store
    store = TrackerStore.create(config, domain=DOMAIN)
    assert isinstance(store, ForgetfulSQLTrackerStore)
    assert store.domain.slots[0].name == "data_deleted"
    assert (tmp_path / "dx_advisor.db").exists()


async def test_store_and_rasa_share_one_database_and_autogenerate_ignores_rasas_table(tmp_path):
    from alembic import command

    from bot.storage import Store, alembic_config

    url = f"sqlite:///{tmp_path / 'dx_advisor.db'}"
    rasa_store = ForgetfulSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "dx_advisor.db"))
    await rasa_store.save(tracker("alice", a_turn()))
    store = Store(url)
    store.migrate()
    store.save_profile("alice", {"goal": "x"})
    command.check(alembic_config(url))  # raises if autogenerate would change anything, e.g. drop `events`
    assert len(rows(rasa_store, "alice")) == 3
    store.close()
    rasa_store.engine.dispose()


# --- a save right after a retrieve does not count the rows again (issue 14) ---

@pytest.fixture
def counted(monkeypatch):
    """How often Rasa's row count (`_additional_events`) ran."""
    calls = []
    rasa_count = SQLTrackerStore._additional_events

    def counting(self, session, tracker_):
        calls.append(tracker_.sender_id)
        return rasa_count(self, session, tracker_)

    monkeypatch.setattr(SQLTrackerStore, "_additional_events", counting)
    return calls


async def plain_and_forgetful(tmp_path, steps):
    """Play the same steps on Rasa's SQLTrackerStore and on ours; return both stores' rows for 'alice'."""
    found = []
    for cls in (SQLTrackerStore, ForgetfulSQLTrackerStore):
        store_ = cls(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / f"{cls.__name__}.db"))
        await steps(store_)
        found.append(rows(store_, "alice"))
        store_.engine.dispose()
    return found


async def test_a_turn_saved_after_its_retrieve_is_appended_without_counting(store, counted):
    await store.save(tracker("alice", a_turn("first")))
    assert counted == ["alice"]  # nothing retrieved before: counted as Rasa does
    retrieved = await store.retrieve("alice")
    for event in a_turn("second"):
        retrieved.update(event)
    await store.save(retrieved)
    assert counted == ["alice"]  # the retrieve's count was used
    assert kinds(store, "alice") == ["action", "user", "action"] * 2
    assert [key(e)[0] for e in (await store.retrieve("alice")).events] == ["action", "user", "action"] * 2


async def test_the_count_is_used_once_a_second_save_counts_again(store, counted):
    await store.save(tracker("alice", a_turn("first")))
    retrieved = await store.retrieve("alice")
    retrieved.update(user("second"))
    await store.save(retrieved)
    retrieved.update(ActionExecuted("utter_greet"))
    await store.save(retrieved)  # no retrieve in between: Rasa's count
    assert counted == ["alice", "alice"]
    assert kinds(store, "alice") == ["action", "user", "action", "user", "action"]


async def test_the_same_rows_as_rasas_store_across_a_new_session(tmp_path):
    async def steps(store_):
        await store_.save(tracker("alice", a_turn("old session")))
        retrieved = await store_.retrieve("alice")
        for event in [ActionExecuted("action_session_start"), SessionStarted()] + a_turn("new session"):
            retrieved.update(event)
        await store_.save(retrieved)
        latest = await store_.retrieve("alice")  # only the new session
        assert key(latest.events[0])[0] == "session_started"
        for event in a_turn("later"):
            latest.update(event)
        await store_.save(latest)
        await store_.save(tracker("bob", a_turn("hi")))

    plain, ours = await plain_and_forgetful(tmp_path, steps)
    assert [kind for kind, _ in ours] == [kind for kind, _ in plain]
    assert len(ours) == 11  # 3 + 2 + 3 + 3: nothing lost, nothing twice
    def without_time(data):
        return {k: v for k, v in json.loads(data).items() if k != "timestamp"}

    assert [without_time(data) for _, data in ours] == [without_time(data) for _, data in plain]


async def test_a_tracker_shorter_than_what_was_read_is_counted(sqlite_store, counted):
    await sqlite_store.save(tracker("alice", a_turn("first") + a_turn("second")))
    await sqlite_store.retrieve("alice")
    await sqlite_store.save(tracker("alice", a_turn("other")))  # not the tracker that was read
    assert counted == ["alice", "alice"]
    assert len(rows(sqlite_store, "alice")) == 6


async def test_a_count_read_by_one_store_never_serves_another_trackers_save(tmp_path, counted):
    """Two workers: A reads and never saves that tracker; B adds a turn; A then saves another tracker."""
    db = str(tmp_path / "shared.db")
    worker_a = ForgetfulSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=db)
    worker_b = ForgetfulSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=db)
    await worker_a.save(tracker("alice", a_turn("first")))
    await worker_a.retrieve("alice")  # e.g. the HTTP API reading the conversation
    on_b = await worker_b.retrieve("alice")
    for event in a_turn("second"):
        on_b.update(event)
    await worker_b.save(on_b)
    await worker_a.save(tracker("alice", list(on_b.events)))  # the whole conversation, as replace_events does
    assert kinds(worker_a, "alice") == ["action", "user", "action"] * 2  # nothing twice
    assert counted == ["alice", "alice"]  # the first save and A's last one counted; B's used its read
    for store_ in (worker_a, worker_b):
        store_.engine.dispose()
