"""bot/channels/guard.py: whatever fails while a message is handled, the user gets an answer in the message's
language; Redis or the database being down is one plain log line, anything else a stack trace."""
import logging
import socket

import pytest
import redis.exceptions
import sqlalchemy.exc
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from bot.channels import texts
from bot.channels.guard import DATABASE_DOWN, REDIS_DOWN, never_crash, unreachable_store


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def lock_with_redis_down(message):
    """What Rasa's Agent does first with a message: lock the conversation (here in a Redis that is not running)."""
    from rasa.core.lock_store import RedisLockStore

    async with RedisLockStore(host="127.0.0.1", port=closed_port()).lock(message.sender_id):
        raise AssertionError("locked without Redis")


async def read_with_database_down(message):
    """What Rasa's tracker store does next: read the conversation (here from a PostgreSQL that is not running)."""
    from sqlalchemy import create_engine

    create_engine(f"postgresql://rasa:hunter2@127.0.0.1:{closed_port()}/rasa").connect()


async def fail_with_a_bug(message):
    raise ValueError("a bug")


def handled(caplog):
    return [record for record in caplog.records if record.name == "bot.channels.guard"]


@pytest.mark.parametrize("text, metadata, language", [
    ("hello", None, "en"), ("我想做数字化转型", None, "zh"), ("/greet", {"language": "zh-CN"}, "zh")])
@pytest.mark.parametrize("handler, key, reason", [
    (lock_with_redis_down, "busy_try_again", REDIS_DOWN),
    (read_with_database_down, "busy_try_again", DATABASE_DOWN),
    (fail_with_a_bug, "sorry", None),
])
async def test_each_failure_gets_its_answer_in_the_messages_language(caplog, handler, key, reason, text, metadata,
                                                                     language):
    output = CollectingOutputChannel()
    await never_crash(handler)(UserMessage(text, output, "user-1", metadata=metadata))
    assert [message["text"] for message in output.messages] == [texts.text(key, language)]
    [record] = handled(caplog)
    assert record.levelno == logging.ERROR
    if reason:
        assert record.getMessage().startswith(f"Refused a message from user-1: {reason}; nothing was processed. (")
        assert record.exc_info is None and "\n" not in record.getMessage()
        assert "hunter2" not in caplog.text
    else:
        assert record.getMessage() == "Handling a message from user-1 failed"
        assert record.exc_info and "ValueError: a bug" in caplog.text  # the traceback


async def test_the_line_names_the_cause_without_the_sql_or_its_values(caplog):
    error = sqlalchemy.exc.OperationalError("INSERT INTO events (data) VALUES (%(data)s)", {"data": "my secret plan"},
                                            Exception("server closed the connection unexpectedly\n\tThis probably..."))
    assert unreachable_store(error) == (DATABASE_DOWN, error)

    async def write(message):
        raise error

    await never_crash(write)(UserMessage("hi", CollectingOutputChannel(), "user-1"))
    [record] = handled(caplog)
    assert record.getMessage() == ("Refused a message from user-1: the database is unreachable (DATABASE_URL); nothing "
                                   "was processed. (OperationalError: (builtins.Exception) server closed the "
                                   "connection unexpectedly)")


def test_a_store_error_is_found_behind_what_it_was_raised_as():
    from rasa.core.lock_store import LockError
    from rasa.shared.exceptions import RasaException

    down = redis.exceptions.TimeoutError("Timeout reading from socket")
    try:
        try:
            raise down
        except redis.exceptions.RedisError as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}")  # as Rasa does: no `from`
    except LockError as lock_error:
        assert unreachable_store(lock_error) == (REDIS_DOWN, down)
    gone = sqlalchemy.exc.InterfaceError("SELECT 1", {}, Exception("connection already closed"))
    wrapped = RasaException("could not read")
    wrapped.__cause__ = gone
    assert unreachable_store(wrapped) == (DATABASE_DOWN, gone)


@pytest.mark.parametrize("error", [
    ValueError("a bug"),
    KeyError("language"),
    # a database or Redis that answers, refusing what was asked: a bug, not an outage
    sqlalchemy.exc.IntegrityError("INSERT ...", {}, Exception("duplicate key")),
    redis.exceptions.ResponseError("WRONGTYPE Operation against a key holding the wrong kind of value"),
])
def test_other_errors_are_not_taken_for_an_outage(error):
    assert unreachable_store(error) is None
