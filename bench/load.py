"""The closed-loop REST client and its statistics.

C virtual users each play a whole conversation under a fresh sender id, waiting for every reply before
sending the next message, then start another conversation, until the round is over. A message counts
when it was sent after the warm-up and answered before the round's end; the conversations in flight
at the end are cut. Latency and throughput are for answered messages; errors are counted apart.

A bot with several Rasa servers (replicas) gets its conversations round-robin, and each message of a
conversation goes to the next server, as a proxy without sticky sessions would send them: every turn
then needs the conversation from the shared database and its lock from Redis (`server_for`).
"""
from __future__ import annotations

import asyncio
import itertools
import math
from dataclasses import dataclass, field
from typing import Awaitable, Callable, Iterator, Optional, Sequence, Union

import aiohttp

from bench.conversations import Step

ERROR_KINDS = ("status", "timeout", "connection", "empty")
Webhooks = Union[str, Sequence[str]]  # one server's REST webhook, or each replica's


def server_for(conversation: int, message: int, servers: int) -> int:
    """Which of `servers` (0-based) takes message `message` (0-based) of the round's `conversation`-th
    conversation: the conversations start round-robin, and each next message goes to the next server."""
    return (conversation + message) % servers


def as_list(webhooks: Webhooks) -> list[str]:
    return [webhooks] if isinstance(webhooks, str) else list(webhooks)


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), interpolated between the closest ranks (numpy's default)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class Reply:
    """What one message got: None as error when it was answered as the script expects or off script."""

    error: Optional[str]
    text: str = ""
    detail: str = ""


async def send(session: aiohttp.ClientSession, webhook: str, sender: str, step: Step) -> Reply:
    """POST one message; classify what came back."""
    try:
        async with session.post(webhook, json={"sender": sender, "message": step.text}) as response:
            if response.status != 200:
                return Reply("status", detail=f"HTTP {response.status}")
            messages = await response.json(content_type=None)
    except asyncio.TimeoutError:
        return Reply("timeout", detail="no reply in time")
    except (aiohttp.ClientError, OSError) as error:
        return Reply("connection", detail=type(error).__name__)
    except ValueError:  # not JSON
        return Reply("status", detail="reply is not JSON")
    texts = [m.get("text") or "" for m in messages if isinstance(m, dict)] if isinstance(messages, list) else []
    if not texts and step.expect:
        return Reply("empty", detail="empty reply")
    return Reply(None, text="\n".join(texts))


@dataclass
class RoundResult:
    """What one round measured. Latencies are in seconds."""

    duration: float
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ERROR_KINDS, 0))
    off_script: int = 0  # answered, but not with the reply the script expects
    conversations: int = 0  # finished within the measured window
    by_server: list[int] = field(default_factory=list)  # answered messages per server, with replicas

    def figures(self) -> dict:
        """Throughput and latency percentiles (ms), as reported and written to the JSON."""
        ms = lambda q: round(percentile(self.latencies, q) * 1000, 1) if self.latencies else None  # noqa: E731
        figures = {
            "messages": len(self.latencies),
            "msgs_per_s": round(len(self.latencies) / self.duration, 2),
            "p50_ms": ms(50), "p95_ms": ms(95), "p99_ms": ms(99),
            "mean_ms": round(sum(self.latencies) / len(self.latencies) * 1000, 1) if self.latencies else None,
            "max_ms": round(max(self.latencies) * 1000, 1) if self.latencies else None,
            "errors": sum(self.errors.values()),
            "errors_by_kind": dict(self.errors),
            "off_script": self.off_script,
            "conversations": self.conversations,
            "duration_s": self.duration,
        }
        if len(self.by_server) > 1:
            figures["messages_by_server"] = list(self.by_server)
        return figures


async def run_round(webhook: Webhooks, next_conversation: Callable[[], list[Step]], concurrency: int,
                    duration: float, warmup: float, timeout: float = 60.0, sender_prefix: str = "bench",
                    on_measuring: Optional[Callable[[], Awaitable[None] | None]] = None) -> RoundResult:
    """Closed loop: `concurrency` users for warmup + duration seconds; returns what the measured part saw.

    `webhook` is one server's, or a list of replicas' (spread as `server_for` says). `on_measuring` is
    called when the warm-up ends (the profiler starts then; a coroutine it returns is awaited).
    """
    loop = asyncio.get_running_loop()
    measure_from = loop.time() + warmup
    end = measure_from + duration
    webhooks = as_list(webhook)
    result = RoundResult(duration=duration, by_server=[0] * len(webhooks))
    started = itertools.count()  # the round's conversations, in the order they start, over all users

    async def user(number: int) -> None:
        for count in itertools.count():
            if loop.time() >= end:
                return
            sender, finished, conversation = f"{sender_prefix}-{number}-{count}", True, next(started)
            for index, step in enumerate(next_conversation()):
                sent = loop.time()
                if sent >= end:
                    finished = False
                    break
                server = server_for(conversation, index, len(webhooks))
                reply = await send(session, webhooks[server], sender, step)
                answered = loop.time()
                counted = sent >= measure_from and answered <= end
                if reply.error:
                    if counted:
                        result.errors[reply.error] += 1
                    if reply.error == "connection":
                        await asyncio.sleep(0.2)  # a server that is down must not be hammered in a tight loop
                    finished = False
                    break  # the conversation lost its thread: start a new one
                if counted:
                    result.latencies.append(answered - sent)
                    result.off_script += not step.answered_by(reply.text)
                    result.by_server[server] += 1
            if finished and measure_from <= loop.time() <= end:
                result.conversations += 1

    async def start_measuring() -> None:
        await asyncio.sleep(max(0.0, measure_from - loop.time()))
        if on_measuring:
            outcome = on_measuring()
            if asyncio.iscoroutine(outcome):
                await outcome

    # No pool limit: every user keeps its own keep-alive connection, as separate clients would.
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=timeout)) as session:
        await asyncio.gather(start_measuring(), *(user(n) for n in range(concurrency)))
    return result


async def play(webhook: Webhooks, conversation: Sequence[Step], sender: str, timeout: float = 60.0,
               number: int = 0) -> list[tuple[Step, Reply]]:
    """One conversation, message by message, with every reply: for the check. With replicas, the
    `number`-th conversation goes over the servers as in a round."""
    webhooks = as_list(webhook)
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as session:
        played = []
        for index, step in enumerate(conversation):
            reply = await send(session, webhooks[server_for(number, index, len(webhooks))], sender, step)
            played.append((step, reply))
            if reply.error:
                break
        return played


def conversation_source(conversations: Iterator[list[Step]]) -> Callable[[], list[Step]]:
    """The next conversation of a shared sequence (users take them in turn)."""
    return lambda: next(conversations)
