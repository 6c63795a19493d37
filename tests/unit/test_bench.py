"""The benchmark harness (bench/): arguments, statistics, the profile summary, the scripts, and a whole
measured run against a tiny fake REST server. No model, no Rasa: a few seconds."""
from __future__ import annotations

import asyncio
import contextlib
import json
import math
import os
import re
from pathlib import Path

import pytest
from aiohttp import web

from bench import conversations as scripts
from bench.__main__ import Target, level_medians, measure, new_report, parse_args, ratios, write_json
from bench.conversations import Step, conversations, covering_conversations
from bench.load import RoundResult, percentile, run_round
from bench.profile import summarise
from bench.servers import RssSampler, dx_endpoints

# ---- arguments ----


def test_defaults():
    args = parse_args([])
    assert (args.levels, args.rounds, args.duration, args.warmup, args.seed) == ([1, 20, 50], 2, 30.0, 5.0, 7)
    assert args.out == Path("results/bench.json") and not args.profile and not args.check
    assert [(b.name, b.kind, str(b.directory), b.env) for b in args.bots] == [
        ("dx", "dx", ".", {}), ("stock", "stock", "build/stock-bot", {})]


def test_bots_are_added_or_replaced_by_name_with_their_own_environment():
    args = parse_args(["--bot", "before=dx:.", "--bot", "stock=stock:elsewhere", "--bot-env", "before:SANIC_WORKERS=2",
                       "--bot-env", "before:TF_INTRA_OP_PARALLELISM_THREADS=1", "--levels", "1,5", "--duration", "2.5"])
    assert [(b.name, b.kind, str(b.directory)) for b in args.bots] == [
        ("dx", "dx", "."), ("stock", "stock", "elsewhere"), ("before", "dx", ".")]
    assert args.bots[2].env == {"SANIC_WORKERS": "2", "TF_INTRA_OP_PARALLELISM_THREADS": "1"}
    assert args.bots[0].env == {}
    assert (args.levels, args.duration) == ([1, 5], 2.5)
    assert [b.name for b in parse_args(["--bot", "dx2=dx:.", "--only", "dx2,stock"]).bots] == ["stock", "dx2"]


@pytest.mark.parametrize("argv, message", [
    (["--bot", "nonsense"], "is not NAME=KIND:DIR"),
    (["--bot", "x=java:."], "the kind must be one of dx, stock"),
    (["--bot", "x=dx:"], "is not NAME=KIND:DIR"),
    (["--bot", "x=dx:no/such/checkout"], "is not a dx-advisor checkout"),
    (["--bot-env", "ghost:A=1"], "no bot named 'ghost'"),
    (["--bot-env", "dx:SANIC_WORKERS"], "is not NAME:VAR=VALUE"),
    (["--only", "ghost"], "no bot named ghost"),
    (["--levels", "1,x"], "is not a list of positive whole numbers"),
    (["--levels", "0,20"], "is not a list of positive whole numbers"),
    (["--rounds", "0"], "is not a positive number"),
    (["--duration", "-3"], "is not a positive number"),
    (["--duration", "nan"], "is not a positive number"),
    (["--warmup", "-1"], "is not zero or more"),
    (["--check", "--no-check"], "not allowed with argument"),
])
def test_bad_arguments_are_rejected_with_a_clear_message(argv, message, capsys):
    with pytest.raises(SystemExit) as stopped:
        parse_args(argv)
    assert stopped.value.code == 2
    assert message in capsys.readouterr().err


def test_dx_endpoints_keep_every_key_but_the_port_and_the_database(tmp_path):
    (tmp_path / "endpoints.yml").write_text(
        "action_endpoint:\n  url: http://localhost:5055/webhook\n  enable_selective_domain: true\n"
        "tracker_store:\n  type: my.Store\n  dialect: sqlite\n  db: dx_advisor.db\n"
        "lock_store:\n  type: redis\n  url: localhost\n")
    endpoints = dx_endpoints(tmp_path, 6123, tmp_path / "fresh.db")
    assert endpoints == {
        "action_endpoint": {"url": "http://localhost:6123/webhook", "enable_selective_domain": True},
        "tracker_store": {"type": "my.Store", "dialect": "sqlite", "db": str(tmp_path / "fresh.db")},
        "lock_store": {"type": "redis", "url": "localhost"}}


def test_dx_endpoints_get_a_redis_lock_store_from_the_bots_redis_url(tmp_path):
    (tmp_path / "endpoints.yml").write_text("action_endpoint:\n  url: http://localhost:5055/webhook\n")
    assert "lock_store" not in dx_endpoints(tmp_path, 6123, tmp_path / "fresh.db", {"SANIC_WORKERS": "2"})
    endpoints = dx_endpoints(tmp_path, 6123, tmp_path / "fresh.db", {"REDIS_URL": "redis://127.0.0.1:6390/2"})
    assert endpoints["lock_store"]["type"] == "redis"
    assert (endpoints["lock_store"]["port"], endpoints["lock_store"]["db"]) == (6390, 2)


# ---- statistics ----


def test_percentiles_interpolate_between_ranks():
    values = list(range(100, 0, -1))  # 1..100, unordered
    assert percentile(values, 50) == pytest.approx(50.5)
    assert percentile(values, 95) == pytest.approx(95.05)
    assert percentile(values, 99) == pytest.approx(99.01)
    assert percentile([15, 20, 35, 40, 50], 40) == pytest.approx(29.0)
    assert percentile([7.0], 99) == 7.0
    assert math.isnan(percentile([], 50))


def test_round_figures():
    result = RoundResult(duration=10.0, latencies=[i / 100 for i in range(1, 101)], off_script=3, conversations=9)
    result.errors["timeout"] = 2
    figures = result.figures()
    assert figures["messages"] == 100 and figures["msgs_per_s"] == 10.0
    assert (figures["p50_ms"], figures["p95_ms"], figures["p99_ms"]) == (505.0, 950.5, 990.1)
    assert figures["max_ms"] == 1000.0 and figures["mean_ms"] == 505.0
    assert figures["errors"] == 2 and figures["errors_by_kind"]["timeout"] == 2
    assert (figures["off_script"], figures["conversations"]) == (3, 9)
    assert RoundResult(duration=1.0).figures()["p95_ms"] is None


def test_medians_over_rounds_and_ratios_to_stock():
    def row(bot, number, rate, p50, errors=0, rss=100.0):
        return {"bot": bot, "level": 20, "round": number, "msgs_per_s": rate, "p50_ms": p50, "p95_ms": p50 * 2,
                "p99_ms": p50 * 3, "messages": 10, "errors": errors, "off_script": 0, "rss_peak_mb": {"rasa": rss}}
    rows = [row("dx", 1, 10, 100, errors=1, rss=1500), row("stock", 1, 40, 20), row("dx", 2, 20, 300, rss=1600),
            row("stock", 2, 40, 30)]
    levels = level_medians(rows)
    assert levels["20"]["dx"]["msgs_per_s"] == 15 and levels["20"]["dx"]["p50_ms"] == 200
    assert levels["20"]["dx"]["errors"] == 1 and levels["20"]["dx"]["rss_peak_mb"] == {"rasa": 1600}
    assert ratios(levels)["20"]["dx"] == {"throughput": 0.38, "p50": 8.0, "p95": 8.0, "p99": 8.0,
                                          "rss_rasa": 16.0, "rss_total": 16.0}
    assert ratios({"20": {"dx": levels["20"]["dx"]}}) == {}  # no stock bot: no ratios


# ---- profile summary ----

COLLAPSED = """\
process 11:"python -m bot rasa run";<module> (runpy.py:196);handle (rasa/core/agent.py:10);validate (jsonschema/validators.py:1080);iter_errors (jsonschema/validators.py:300) 6
process 11:"python -m bot rasa run";<module> (runpy.py:196);handle (rasa/core/agent.py:12);predict (rasa/core/policies/ted.py:40) 3
process 11:"python -m bot rasa run";process 12:"worker";<module> (runpy.py:196);handle (rasa/core/agent.py:10);validate (jsonschema/validators.py:1082) 1
not a stack line
"""


def test_profile_summary_by_total_and_self_time():
    summary = summarise(COLLAPSED, top=3)
    assert summary.samples == 10
    # <module> and handle are on every stack (the trunk): counted, not listed
    assert summary.total == [("validate (jsonschema/validators.py)", 70.0),
                             ("iter_errors (jsonschema/validators.py)", 60.0),
                             ("predict (rasa/core/policies/ted.py)", 30.0)]
    assert summary.trunk == 2
    assert summary.own == [("iter_errors (jsonschema/validators.py)", 60.0),
                           ("predict (rasa/core/policies/ted.py)", 30.0), ("validate (jsonschema/validators.py)", 10.0)]


def test_profile_summary_counts_a_recursive_function_once_per_sample():
    summary = summarise("walk (a.py:1);walk (a.py:2);walk (a.py:3) 4\nmain (b.py:1) 1\n")
    assert dict(summary.total) == {"walk (a.py)": 80.0, "main (b.py)": 20.0}
    assert dict(summary.own) == {"walk (a.py)": 80.0, "main (b.py)": 20.0} and summary.trunk == 0
    assert summarise("").samples == 0


# ---- conversations ----

def _texts(conversation):
    return [step.text for step in conversation]


def _first(kind, seed, n=30):
    source = conversations(kind, seed)
    return [_texts(next(source)) for _ in range(n)]


@pytest.mark.parametrize("kind", ["dx", "stock"])
def test_conversations_are_seeded_and_never_empty(kind):
    assert _first(kind, 7) == _first(kind, 7)
    assert _first(kind, 7) != _first(kind, 8)
    for conversation in _first(kind, 7):
        assert conversation and all(text.strip() for text in conversation)
    assert len({tuple(c) for c in _first(kind, 7)}) > 20  # the wording varies


def test_a_dx_conversation_asks_three_concepts_then_answers_the_form_in_order_to_the_plan():
    conversation = next(conversations("dx", 7))
    assert len(conversation) == 1 + 3 + 1 + 5 + 1
    assert len({step.expect for step in conversation[1:4]}) == 3  # three different topics
    assert [step.expect for step in conversation[5:]] == [
        ("How many people",), ("spend",), ("Which tools",), ("want to improve",), ("Is that right",), ("1. Now:",)]
    assert conversation[-1].answered_by("Your level: starter.\n1. Now: *Map listing*, free.")
    assert not conversation[-1].answered_by("Sorry, I didn't catch that.")


def test_the_check_plays_every_phrasing():
    played = {text for conversation in covering_conversations("dx") for text in _texts(conversation)}
    wanted = {*scripts.DX_GREETINGS, *scripts.DX_ADVICE_REQUESTS, *scripts.DX_CONFIRMATIONS,
              *(p for topic in scripts.DX_TOPICS for p in topic.phrasings),
              *(p for _, phrasings, _ in scripts.DX_PROFILE for p in phrasings)}
    assert wanted <= played
    played = {text for conversation in covering_conversations("stock") for text in _texts(conversation)}
    assert {*scripts.STOCK_GREAT, *scripts.STOCK_UNHAPPY, *scripts.STOCK_YES, *scripts.STOCK_NO,
            *scripts.STOCK_CHALLENGES, *scripts.STOCK_GOODBYES} <= played


# ---- a whole run against a fake REST server ----

@contextlib.asynccontextmanager
async def fake_rasa(delay: float = 0.005):
    """A REST channel that answers "ok" (or fails, under /500/ and /empty/), and counts what it saw."""
    seen = {"senders": set(), "in_flight": 0, "max_in_flight": {}}

    async def webhook(request: web.Request) -> web.Response:
        body = await request.json()
        level = re.search(r"-c(\d+)-r\d+-", body["sender"])  # bench-<run>-<bot>-c<level>-r<round>-<user>-<n>
        level = level.group(1) if level else "?"
        seen["senders"].add(body["sender"])
        seen["in_flight"] += 1
        seen["max_in_flight"][level] = max(seen["max_in_flight"].get(level, 0), seen["in_flight"])
        await asyncio.sleep(delay)
        seen["in_flight"] -= 1
        if request.path.startswith("/500/"):
            return web.Response(status=500)
        if request.path.startswith("/slow/"):
            await asyncio.sleep(2)
        reply = [] if request.path.startswith("/empty/") else [{"recipient_id": body["sender"], "text": "ok"}]
        return web.json_response(reply)

    app = web.Application()
    for prefix in ("", "/500", "/empty", "/slow"):
        app.router.add_post(f"{prefix}/webhooks/rest/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}", seen
    finally:
        await runner.cleanup()


async def test_a_whole_run_measures_every_bot_and_level_and_writes_the_json(tmp_path):
    out = tmp_path / "bench.json"
    args = parse_args(["--levels", "1,2", "--rounds", "1", "--duration", "0.5", "--warmup", "0", "--out", str(out)])
    async with fake_rasa() as (url, seen):
        pid = os.getpid()  # this process stands in for the servers' memory
        targets = [Target(name, name, f"{url}/webhooks/rest/webhook", {"rasa": pid}) for name in ("dx", "stock")]
        sampler = RssSampler({t.name: t.pids for t in targets})
        report = new_report(args)
        report.update(await measure(targets, args, sampler))
    write_json(report, out)
    written = json.loads(out.read_text())

    assert written["settings"]["levels"] == [1, 2] and written["settings"]["seed"] == 7
    assert written["machine"]["nproc"] == os.cpu_count()
    assert [(r["bot"], r["level"], r["round"]) for r in written["rounds"]] == [
        ("dx", 1, 1), ("stock", 1, 1), ("dx", 2, 1), ("stock", 2, 1)]
    for row in written["rounds"]:
        assert row["messages"] > 10 and row["msgs_per_s"] == pytest.approx(row["messages"] / 0.5, abs=0.01)
        assert 5 <= row["p50_ms"] <= row["p95_ms"] <= row["p99_ms"] < 500
        assert row["errors"] == 0
        assert row["off_script"] == row["messages"]  # "ok" is never the reply a script expects
        assert row["rss_peak_mb"]["rasa"] > 10
    for level in ("1", "2"):
        assert set(written["levels"][level]) == {"dx", "stock"}
        assert written["levels"][level]["dx"]["msgs_per_s"] > 0
        assert written["ratios"][level]["dx"]["throughput"] > 0 and written["ratios"][level]["dx"]["p95"] > 0
    assert written["rss"]["dx"]["rasa"]["processes"][0]["hwm_mb"] > 10
    # A closed loop: never more messages in flight than users, and a fresh sender for every conversation.
    assert seen["max_in_flight"]["1"] == 1 and seen["max_in_flight"]["2"] == 2
    assert len(seen["senders"]) >= sum(r["conversations"] for r in written["rounds"]) > 0


@pytest.mark.parametrize("path, kind", [("/500", "status"), ("/empty", "empty"), ("/slow", "timeout")])
async def test_failed_messages_are_errors_not_latencies(path, kind):
    async with fake_rasa() as (url, _):
        result = await run_round(f"{url}{path}/webhooks/rest/webhook", lambda: [Step("hi", ("ok",))], 2, 0.5, 0,
                                 timeout=0.2)
    assert result.errors[kind] > 0 and sum(result.errors.values()) == result.errors[kind]
    assert result.latencies == []


async def test_a_server_that_is_down_gives_connection_errors():
    async with fake_rasa() as (url, _):
        pass  # stopped: nothing listens on its port any more
    result = await run_round(f"{url}/webhooks/rest/webhook", lambda: [Step("hi")], 1, 0.5, 0)
    assert result.errors["connection"] > 0 and result.latencies == []
