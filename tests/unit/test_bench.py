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
from bench import cpu
from bench.__main__ import (Target, check_bot, cpu_figures, level_medians, measure, new_report, parse_args, ratios,
                            render_tables, write_json)
from bench.conversations import Step, conversations, covering_conversations
from bench.load import RoundResult, percentile, play, run_round, server_for
from bench.profile import summarise
from bench.servers import (RssSampler, base_env, database_name, dx_endpoints, replica_threads, role_groups,
                           server_roles)
from bot.storage.endpoints import ATOMIC_REDIS_LOCK_STORE

POSTGRES = "postgresql://dx:secret@127.0.0.1:5432/dx_test"
REDIS = "redis://127.0.0.1:6392/1"

# ---- arguments ----


def test_defaults():
    args = parse_args([])
    assert (args.levels, args.rounds, args.duration, args.warmup, args.seed) == ([1, 20, 50], 2, 30.0, 5.0, 7)
    assert args.out == Path("results/bench.json") and not args.profile and not args.check
    assert [(b.name, b.kind, str(b.directory), b.env) for b in args.bots] == [
        ("dx", "dx", ".", {}), ("stock", "stock", "build/stock-bot", {})]
    # one server on SQLite, as before replicas: needs neither PostgreSQL nor Redis
    assert [(b.replicas, b.on_shared_stores, b.stores) for b in args.bots] == [(1, False, "sqlite"),
                                                                             (1, False, "memory")]
    assert args.stores is None


@pytest.fixture
def stores_env(monkeypatch):
    monkeypatch.setenv("TEST_POSTGRES_URL", POSTGRES)
    monkeypatch.setenv("REDIS_URL", REDIS)


def test_replicas_apply_to_every_dx_bot_or_one_by_name_and_run_on_postgres_and_redis(stores_env):
    args = parse_args(["--bot", "dx2=dx:.", "--replicas", "2"])
    assert [(b.name, b.replicas, b.stores) for b in args.bots] == [
        ("dx", 2, "postgresql+redis"), ("stock", 1, "memory"), ("dx2", 2, "postgresql+redis")]
    assert (args.stores.postgres_url, args.stores.redis_url) == (POSTGRES, REDIS)  # from the environment
    args = parse_args(["--bot", "dx2=dx:.", "--replicas", "dx2:3", "--shared-stores"])
    assert [(b.name, b.replicas, b.on_shared_stores) for b in args.bots] == [
        ("dx", 1, True), ("stock", 1, False), ("dx2", 3, True)]
    args = parse_args(["--bot", "dx2=dx:.", "--shared-stores", "dx2"])  # by name: SQLite against PostgreSQL
    assert [(b.name, b.stores) for b in args.bots] == [("dx", "sqlite"), ("stock", "memory"),
                                                       ("dx2", "postgresql+redis")]
    args = parse_args(["--replicas", "3", "--replicas", "dx:2"])  # the later one wins
    assert args.bots[0].replicas == 2
    args = parse_args(["--replicas", "dx:1"])  # one server, no --shared-stores: SQLite, as without the option
    assert (args.bots[0].on_shared_stores, args.stores) == (False, None)


def test_the_stores_given_as_options_win_over_the_environment(stores_env):
    args = parse_args(["--replicas", "2", "--postgres-url", "postgresql://me:pw@db.example:6543/admin",
                       "--redis-url", "redis://cache.example:6379/4"])
    assert (args.stores.postgres_url, args.stores.redis_url) == (
        "postgresql://me:pw@db.example:6543/admin", "redis://cache.example:6379/4")
    args = parse_args(["--replicas", "2", "--postgres-url", " postgres://me:pw@db.example/admin "])
    assert args.stores.postgres_url == "postgresql://me:pw@db.example/admin"  # as many hosts hand it out


@pytest.mark.parametrize("argv", [
    ["--postgres-url", "mysql://me:s3cret@db.example/admin", "--redis-url", REDIS],
    ["--postgres-url", POSTGRES, "--redis-url", "redis://:s3cret@cache.example:6379/x"],
])
def test_a_bad_store_url_is_refused_without_showing_its_password(argv, capsys):
    with pytest.raises(SystemExit):
        parse_args(["--replicas", "2", *argv])
    err = capsys.readouterr().err
    assert "s3cret" not in err and "***" in err


def test_the_replica_count_and_stores_are_recorded_with_the_settings(stores_env):
    args = parse_args(["--bot", "dx2=dx:.", "--replicas", "dx2:2", "--shared-stores"])
    settings = new_report(args)["settings"]
    bots = {b["name"]: b for b in settings["bots"]}
    assert (bots["dx"]["replicas"], bots["dx"]["stores"], bots["dx"]["rasa_env"]) == (1, "postgresql+redis", {})
    assert (bots["dx2"]["replicas"], bots["dx2"]["stores"]) == (2, "postgresql+redis")
    assert (bots["stock"]["replicas"], bots["stock"]["stores"]) == (1, "memory")
    assert settings["shared_stores"] == {"postgres": "postgresql://dx:***@127.0.0.1:5432/dx_test", "redis": REDIS}
    assert parse_args([]).bots[0].replicas == 1 and new_report(parse_args([]))["settings"]["shared_stores"] is None


@pytest.mark.parametrize("argv, message", [
    (["--replicas", "2"], "missing PostgreSQL: --postgres-url URL or TEST_POSTGRES_URL"),
    (["--replicas", "2"], "and Redis: --redis-url URL or REDIS_URL"),
    (["--shared-stores"], "dx (1 server) runs on PostgreSQL and Redis"),
    (["--replicas", "2", "--postgres-url", POSTGRES], "missing Redis"),
    (["--replicas", "2", "--postgres-url", "sqlite:///x.db", "--redis-url", REDIS], "must be PostgreSQL"),
    (["--replicas", "2", "--postgres-url", POSTGRES, "--redis-url", "localhost:6379"],
     "REDIS_URL should look like redis://"),
])
def test_replicas_without_postgres_or_redis_are_refused_with_what_to_do(argv, message, monkeypatch, capsys):
    monkeypatch.delenv("TEST_POSTGRES_URL", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    with pytest.raises(SystemExit) as stopped:
        parse_args(argv)
    assert stopped.value.code == 2
    assert message in capsys.readouterr().err


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
    (["--replicas", "0"], "is not N or NAME:N"),
    (["--replicas", "two"], "is not N or NAME:N"),
    (["--replicas", "dx:"], "is not N or NAME:N"),
    (["--replicas", "ghost:2"], "no bot named 'ghost'"),
    (["--replicas", "stock:2"], "only dx bots run as replicas"),
    (["--shared-stores", "stock"], "--shared-stores: no dx bot named 'stock'"),
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
    assert endpoints["lock_store"]["type"] == ATOMIC_REDIS_LOCK_STORE
    assert (endpoints["lock_store"]["port"], endpoints["lock_store"]["db"]) == (6390, 2)


def test_dx_endpoints_on_postgres_keep_the_database_of_the_url(tmp_path):
    (tmp_path / "endpoints.yml").write_text(
        "action_endpoint:\n  url: http://localhost:5055/webhook\n"
        "tracker_store:\n  type: my.Store\n  dialect: sqlite\n  db: dx_advisor.db\n")
    endpoints = dx_endpoints(tmp_path, 6123, None, {"DATABASE_URL": "postgresql://dx:pw@127.0.0.1:5433/bench_dx_1",
                                                    "REDIS_URL": REDIS})
    tracker = endpoints["tracker_store"]
    assert (tracker["dialect"], tracker["url"], tracker["port"], tracker["db"]) == (
        "postgresql", "127.0.0.1", 5433, "bench_dx_1")
    assert (endpoints["lock_store"]["type"], endpoints["lock_store"]["port"]) == (ATOMIC_REDIS_LOCK_STORE, 6392)


def test_a_dx_bot_takes_its_redis_and_action_server_only_from_its_own_settings(monkeypatch):
    monkeypatch.setenv("REDIS_URL", REDIS)  # exported in the shell, e.g. for --replicas
    monkeypatch.setenv("ACTION_SERVER_URL", "http://elsewhere:5055/webhook")
    env = base_env({"DATABASE_URL": "sqlite:///app.db"}, drop=("REDIS_URL", "ACTION_SERVER_URL"))
    assert "REDIS_URL" not in env and "ACTION_SERVER_URL" not in env
    assert base_env({"REDIS_URL": "redis://127.0.0.1:6379/3"}, drop=("REDIS_URL",))["REDIS_URL"].endswith("/3")
    assert base_env()["REDIS_URL"] == REDIS  # the stock bot and py-spy: as before


# ---- replicas ----


def test_conversations_go_round_robin_and_their_messages_alternate_between_servers():
    two = [[server_for(conversation, message, 2) for message in range(5)] for conversation in range(4)]
    assert two == [[0, 1, 0, 1, 0], [1, 0, 1, 0, 1], [0, 1, 0, 1, 0], [1, 0, 1, 0, 1]]
    assert [server_for(conversation, 0, 3) for conversation in range(6)] == [0, 1, 2, 0, 1, 2]
    assert [server_for(4, message, 3) for message in range(4)] == [1, 2, 0, 1]  # each next message: the next
    assert {server_for(c, m, 1) for c in range(5) for m in range(5)} == {0}  # one server: all of it


def test_the_rasa_servers_of_a_bot_are_summed_as_one_role():
    assert server_roles(1) == ["rasa"] and server_roles(3) == ["rasa", "rasa-2", "rasa-3"]
    assert role_groups({"actions": 10, "rasa": 11, "rasa-2": 12}) == {"actions": [10], "rasa": [11, 12]}
    assert role_groups({"rasa": 11}) == {"rasa": [11]}
    assert role_groups({"rasa-helper": 5}) == {"rasa-helper": [5]}


def test_replicas_share_the_cores_unless_the_bot_chooses_its_threads():
    assert replica_threads(1, {}, 2) == {}
    assert replica_threads(2, {}, 2) == {"TF_INTRA_OP_PARALLELISM_THREADS": "1", "TF_INTER_OP_PARALLELISM_THREADS": "1"}
    assert replica_threads(2, {}, 8)["TF_INTRA_OP_PARALLELISM_THREADS"] == "4"
    assert replica_threads(3, {}, 2)["TF_INTRA_OP_PARALLELISM_THREADS"] == "1"
    assert replica_threads(2, {"SANIC_WORKERS": "2"}, 8)["TF_INTRA_OP_PARALLELISM_THREADS"] == "2"  # 4 processes
    assert replica_threads(2, {"TF_INTER_OP_PARALLELISM_THREADS": "2"}, 2) == {}


def test_a_bots_database_name_is_fresh_and_safe_to_quote():
    first, second = database_name("dx2.Big-one"), database_name("dx2.Big-one")
    assert first != second and re.fullmatch(r"bench_dx2_big_one_[0-9a-f]{8}", first)
    assert len(database_name("x" * 200)) <= 63  # PostgreSQL's limit on a name


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


def test_cpu_time_per_message():
    line = "cpu  1000 20 300 5000 80 5 15 10 0 0"
    assert cpu.machine_busy_s(line) == pytest.approx((1000 + 20 + 300 + 5 + 15 + 10) / cpu.TICKS)
    before = {"rasa": 10.0, "actions": 1.0, "postgres": 2.0, "load": 5.0, "machine": 100.0}
    after = {"rasa": 40.0, "actions": 4.0, "postgres": 5.0, "load": 12.5, "machine": 155.0}
    spent = cpu.used(before, after)
    assert spent == {"rasa": 30.0, "actions": 3.0, "postgres": 3.0, "load": 7.5, "machine": 55.0}
    figures = cpu_figures(spent, messages=1000, duration=30.0)
    assert figures["cpu_ms_per_msg"] == {"rasa": 30.0, "actions": 3.0, "postgres": 3.0, "load": 7.5,
                                         "machine": 55.0, "bot": 33.0, "other": 11.5}
    assert figures["cpu_busy"] == pytest.approx(55.0 / (30.0 * (os.cpu_count() or 1)), abs=0.001)
    assert cpu.per_message(spent, 0) == {} and cpu_figures({}, 10, 30.0) == {}
    assert cpu.process_cpu_s(os.getpid()) > 0 and cpu.process_cpu_s(2 ** 22 + 1) is None


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
async def fake_rasa(delay: float = 0.005, name: str = "rasa", log: list | None = None):
    """A REST channel that answers "ok" (or fails, under /500/ and /empty/), and counts what it saw; with
    `log`, appends (name, sender, message) of each message to it (a list several servers may share)."""
    seen = {"senders": set(), "in_flight": 0, "max_in_flight": {}}

    async def webhook(request: web.Request) -> web.Response:
        body = await request.json()
        if log is not None:
            log.append((name, body["sender"], body["message"]))
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


# ---- a whole run against two fake servers (replicas) ----

async def test_replicas_get_conversations_in_turn_and_each_message_goes_to_the_next_server(stores_env, tmp_path):
    args = parse_args(["--bot", "dx2=dx:.", "--only", "dx2,stock", "--replicas", "dx2:2", "--levels", "3",
                       "--rounds", "1", "--duration", "0.6", "--warmup", "0", "--out", str(tmp_path / "b.json")])
    log: list[tuple[str, str, str]] = []
    async with fake_rasa(name="a", log=log) as (first, _), fake_rasa(name="b", log=log) as (second, _):
        pid = os.getpid()
        target = Target("dx2", "dx", [f"{first}/webhooks/rest/webhook", f"{second}/webhooks/rest/webhook"],
                        {"rasa": pid, "rasa-2": pid, "actions": pid})
        sampler = RssSampler({target.name: target.groups})
        report = new_report(args)
        report.update(await measure([target], args, sampler))
    by_sender: dict[str, list[str]] = {}
    for server, sender, _ in log:
        by_sender.setdefault(sender, []).append(server)
    assert len(by_sender) >= 6
    for servers in by_sender.values():  # every conversation alternates: a, b, a, b... or b, a, b, a...
        assert all(one != other for one, other in zip(servers, servers[1:])), servers
    starts = [servers[0] for servers in by_sender.values()]
    assert abs(starts.count("a") - starts.count("b")) <= 3  # round-robin, up to the users' interleaving
    row = report["rounds"][0]
    assert sum(row["messages_by_server"]) == row["messages"] > 0
    assert abs(row["messages_by_server"][0] - row["messages_by_server"][1]) <= len(by_sender)
    assert set(row["rss_peak_mb"]) == {"rasa", "actions"}  # every server's memory is one figure
    assert row["cpu_ms_per_msg"]["load"] > 0 and "bot" in row["cpu_ms_per_msg"]
    assert 0 < row["cpu_busy"] <= 1
    assert report["levels"]["3"]["dx2"]["cpu_ms_per_msg"]["machine"] > 0
    report["rss"] = sampler.report()
    tables = render_tables(report)
    assert "dx2: 2 Rasa servers on one action server" in tables and "CPU time per answered message" in tables


async def test_the_check_alternates_between_the_servers_too():
    log: list[tuple[str, str, str]] = []
    async with fake_rasa(name="a", log=log) as (first, _), fake_rasa(name="b", log=log) as (second, _):
        webhooks = [f"{first}/webhooks/rest/webhook", f"{second}/webhooks/rest/webhook"]
        replies = await play(webhooks, [Step("hi"), Step("more"), Step("bye")], "s1", number=1)
        assert [reply.error for _, reply in replies] == [None, None, None]
        assert [server for server, _, _ in log] == ["b", "a", "b"]
        log.clear()
        checked = await check_bot(Target("dx2", "stock", webhooks, {}), "run1", 5.0)
    assert checked["messages"] > 0 and {server for server, _, _ in log} == {"a", "b"}
    assert all(sender.startswith("check-run1-dx2-") for _, sender, _ in log)
