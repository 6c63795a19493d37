"""Two Rasa servers behind one database and one lock store: a conversation may go to either, on REST,
the widget and Telegram's webhook, and nothing is lost, duplicated or processed twice at once.

The tests run in file order on one pair of servers; the last ones take a server down.
"""
from __future__ import annotations

import concurrent.futures
import uuid

import requests

from tests.scale.conftest import TELEGRAM_SECRET, Replicas

SALON = ["hi", "what should my hair salon do first?", "just me", "about 100 euros a month",
         "instagram and paper", "more customers", "yes"]


def sender(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def plan_stored(replicas: Replicas, who: str) -> list[tuple]:
    return replicas.sql("SELECT version, change FROM plans WHERE sender_id = :s ORDER BY version", s=who)


def test_a_rest_conversation_alternating_between_servers_keeps_its_context(replicas):
    who = sender("rest")
    for turn, message in enumerate(SALON):
        replies = replicas.say(turn % 2, who, message)
        assert replies, message
    assert any("Now:" in (r.get("text") or "") for r in replies), replies  # the plan, made on server 0
    assert plan_stored(replicas, who) == [(1, "made")]
    # every message stored once, in the order sent, whichever server took it
    assert [t for kind, t in replicas.events(who) if kind == "user"] == SALON
    # and the next turn, on the other server, knows the plan
    shown = replicas.say(1, who, "show my plan")
    assert any("Now:" in (r.get("text") or "") for r in shown)


def test_a_widget_session_works_on_either_server(replicas):
    token = requests.post(f"{replicas.url(0)}/webchat/session", timeout=30).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    said = ["hello", "what is internet plus?", "tell me more"]
    for turn, message in enumerate(said):
        reply = requests.post(f"{replicas.url(1 - turn % 2)}/webchat/message", json={"message": message},
                              headers=headers, timeout=90)
        assert reply.status_code == 200 and reply.json()["messages"], reply.text
    history = requests.get(f"{replicas.url(0)}/webchat/history", headers=headers, timeout=30).json()["messages"]
    assert [m["text"] for m in history if m["sender"] == "user"] == said


def telegram(replicas: Replicas, i: int, update: dict) -> requests.Response:
    return requests.post(f"{replicas.url(i)}/webhooks/telegram/webhook", json=update, timeout=30,
                         headers={"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET})


def telegram_turns(replicas: Replicas, chat_id: int) -> int:
    return len([1 for kind, _ in replicas.events(f"tg-{chat_id}") if kind == "user"])


def test_a_telegram_update_delivered_to_both_servers_is_handled_once(replicas):
    fake, chat = replicas.fake, 7001
    update = fake.text_update(chat, "hello")
    assert telegram(replicas, 0, update).status_code == telegram(replicas, 1, update).status_code == 200
    fake.wait_for(lambda: telegram_turns(replicas, chat) == 1, timeout=120)
    fake.wait_for(lambda: fake.sent(chat), timeout=60)
    # a conversation alternating between the servers goes on where it was
    for turn, message in enumerate(["what is digital transformation?", "tell me more"], start=1):
        telegram(replicas, turn % 2, fake.text_update(chat, message))
        fake.wait_for(lambda: telegram_turns(replicas, chat) == turn + 1, timeout=120)
    fake.wait_for(lambda: len(fake.sent(chat)) >= 3, timeout=60)
    assert telegram_turns(replicas, chat) == 3 and len(fake.sent(chat)) == 3


def test_ten_messages_at_once_are_processed_one_at_a_time(replicas):
    who = sender("burst")
    messages = [f"what is internet plus? ({n})" for n in range(10)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=10) as pool:
        replies = list(pool.map(lambda n: replicas.say(n % 2, who, messages[n], timeout=180), range(10)))
    assert all(replies)
    events = replicas.events(who)
    users = [t for kind, t in events if kind == "user"]
    assert sorted(users) == sorted(messages)  # each exactly once
    # under the conversation's lock each turn runs to its end before the next starts: after every user
    # message comes the bot's reply, then action_listen, before the next user message
    turns, current = [], None
    for kind, name in events:
        if kind == "user":
            current = []
            turns.append(current)
        elif current is not None:
            current.append((kind, name))
    for turn in turns:
        kinds = [kind for kind, _ in turn]
        assert kinds.count("bot") >= 1 and turn[-1] == ("action", "action_listen"), turn
        assert kinds.index("bot") < len(kinds) - 1


# --- faults: each part down in turn, then back ---------------------------------------------------

def texts(replies: list[dict]) -> list[str]:
    return [r.get("text") or "" for r in replies]


def test_with_the_action_server_down_the_owner_is_told_and_goes_on_once_it_is_back(replicas):
    who = sender("actions-down")
    for message in SALON:
        replicas.say(0, who, message)
    replicas.actions.kill()
    replicas.actions.wait(timeout=20)
    try:
        apology = replicas.say(1, who, "show my plan")
        assert apology and "try again" in " ".join(texts(apology)).lower(), apology
    finally:
        replicas.start_actions()
    shown = replicas.say(0, who, "show my plan")  # the profile and plan are still there
    assert any("Now:" in t for t in texts(shown)), shown
    assert plan_stored(replicas, who) == [(1, "made")]


def test_with_redis_down_a_message_is_refused_cleanly_and_nothing_is_processed(replicas, redis_control):
    who = sender("redis-down")
    replicas.say(0, who, "hi")
    before = replicas.events(who)
    line = f"Refused a message from {who}: the Redis lock store is unreachable"
    redis_control.stop()
    try:
        refused = replicas.say(1, who, "what is internet plus?")
        assert len(refused) == 1 and "try again" in refused[0]["text"].lower(), refused
        assert replicas.events(who) == before  # not processed without its lock
        assert replicas.log(1).read_text().count(line) == 1  # one clear line, for this message
    finally:
        redis_control.start()
    assert replicas.say(1, who, "what is internet plus?")
    assert [t for kind, t in replicas.events(who) if kind == "user"] == ["hi", "what is internet plus?"]


def test_with_the_database_down_nothing_starts_afresh_and_the_conversation_goes_on(replicas, postgres_control):
    who = sender("db-down")
    for message in SALON:
        replicas.say(0, who, message)
    postgres_control.stop()
    try:
        refused = replicas.say(0, who, "show my plan")
        assert refused and "try again" in " ".join(texts(refused)).lower(), refused
    finally:
        postgres_control.start()
    shown = replicas.say(0, who, "show my plan")  # the pool's stale connections are checked and replaced
    assert any("Now:" in t for t in texts(shown)), shown  # the same conversation, not a fresh one
    assert plan_stored(replicas, who) == [(1, "made")]


# --- a server dies in the middle of a conversation ---------------------------------------------

def test_a_server_killed_mid_conversation_the_other_goes_on(replicas):
    who = sender("killed")
    for message in SALON[:4]:
        replicas.say(0, who, message)
    replicas.kill(0)
    for message in SALON[4:]:
        replies = replicas.say(1, who, message)
    assert any("Now:" in t for t in texts(replies)), replies
    assert [t for kind, t in replicas.events(who) if kind == "user"] == SALON
    replicas.start_rasa(0)


# --- backups: a dump restores into a fresh database ----------------------------------------------

def test_a_dump_restores_into_a_fresh_database_with_every_row(replicas, admin_url, tmp_path):
    from tests.scale.conftest import drop_database, fresh_database
    import subprocess

    dump = tmp_path / "dx.dump"
    subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", "--no-owner", replicas.database_url], check=True)
    restored_url = fresh_database(admin_url)
    try:
        subprocess.run(["pg_restore", "--no-owner", f"--dbname={restored_url}", str(dump)], check=True)
        tables = ("events", "plans", "profiles", "checkins", "leads", "channel_state", "telegram_updates",
                  "alembic_version")
        counts = {t: replicas.sql(f"SELECT count(*) FROM {t}")[0][0] for t in tables}
        from sqlalchemy import create_engine, text

        engine = create_engine(restored_url)
        with engine.connect() as connection:
            restored = {t: connection.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in tables}
            revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        engine.dispose()
        assert restored == counts and counts["events"] > 0 and counts["plans"] > 0
        assert revision == replicas.sql("SELECT version_num FROM alembic_version")[0][0]
    finally:
        drop_database(admin_url, restored_url)
