"""What every channel does to an incoming message before Rasa sees it.

Shared by the REST, widget and Telegram channels so they behave alike. The apology after a failure
is `sorry` in data/channels.yml; `busy_try_again` when the database or Redis cannot be reached (the
conversation can be neither read nor locked, so Rasa did nothing with the message).
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable, Iterator

from rasa.core.channels.channel import UserMessage

from bot.channels import texts
from bot.names import MetadataKeys
from bot.nlu.input_screen import payload_for_oversized
from bot.nlu.language import conversation_language

logger = logging.getLogger(__name__)

SORRY = "sorry"  # data/channels.yml
BUSY = "busy_try_again"  # data/channels.yml
REDIS_DOWN = "the Redis lock store is unreachable (REDIS_URL)"
DATABASE_DOWN = "the database is unreachable (DATABASE_URL)"


def sorry_text(message: UserMessage, key: str = SORRY) -> str:
    """Said when handling a message failed, in the language of the message (else the user's app or browser)."""
    hint = (message.metadata or {}).get(MetadataKeys.LANGUAGE) if isinstance(message.metadata, dict) else None
    return texts.text(key, conversation_language(None, message.text, hint))


def prepare_text(text: str) -> str:
    """Swap an oversized message for a short payload so NLU never parses it."""
    return payload_for_oversized(text) or text


def _causes(error: BaseException) -> Iterator[BaseException]:
    """`error`, then what it was raised from or during (Rasa's LockError hides Redis's error that way)."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield error
        error = error.__cause__ or error.__context__


def unreachable_store(error: BaseException) -> tuple[str, BaseException] | None:
    """(which store is unreachable, the error that says so) when `error` comes from Redis or the
    database being down or not answering; None for anything else."""
    import redis.exceptions
    import sqlalchemy.exc

    for cause in _causes(error):
        if isinstance(cause, (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)):
            return REDIS_DOWN, cause
        if (isinstance(cause, (sqlalchemy.exc.OperationalError, sqlalchemy.exc.InterfaceError,
                               sqlalchemy.exc.TimeoutError))  # the last: no connection free in the pool
                or isinstance(cause, sqlalchemy.exc.DBAPIError) and cause.connection_invalidated):
            return DATABASE_DOWN, cause
    return None


def _first_line(error: BaseException) -> str:
    """The error's type and the first line of its message (SQLAlchemy's next lines hold the SQL and its values)."""
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0][:200] if lines else ''}"


def never_crash(
    on_new_message: Callable[[UserMessage], Awaitable[Any]]
) -> Callable[[UserMessage], Awaitable[Any]]:
    """Wrap Rasa's message handler: an internal error becomes a polite reply, not silence.

    Redis or the database being unreachable is expected when they restart: one log line says which,
    and the user is asked to try again. Anything else is logged with its stack trace.

    Reads the channels' texts now, when the channel starts: a mistake in data/channels.yml stops the
    server with its file, line and fix, rather than turning the apology itself into a failure.
    """
    texts.load_channel_texts()

    async def handle(message: UserMessage) -> None:
        try:
            await on_new_message(message)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # noqa: BLE001 - the user must get an answer whatever failed
            unreachable = unreachable_store(error)
            if unreachable:
                store, cause = unreachable
                logger.error("Refused a message from %s: %s; nothing was processed. (%s)", message.sender_id,
                             store, _first_line(cause))
            else:
                logger.exception("Handling a message from %s failed", message.sender_id)
            reply = sorry_text(message, BUSY if unreachable else SORRY)
            await message.output_channel.send_text_message(message.sender_id, reply)

    return handle
