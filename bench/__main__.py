"""`python -m bench`: dx-advisor and a stock `rasa init` bot under the same closed-loop load, in one run.

For each concurrency level the rounds alternate between the bots (A B A B ...), so that drift in the
machine affects both. Prints messages/s, p50/p95/p99 latency, errors, peak memory and CPU time per
message per bot and level, and their ratios to the bot named "stock"; writes everything to
results/bench.json. `--replicas N` runs a dx bot as N Rasa servers on PostgreSQL and Redis.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime
import importlib.metadata
import json
import math
import os
import platform
import re
import signal
import statistics
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from bench import cpu
from bench import profile as profiling
from bench.conversations import conversations, covering_conversations
from bench.load import Webhooks, as_list, conversation_source, play, run_round
from bench.servers import (DEFAULT_STOCK_DIR, KINDS, REPO_ROOT, BotSpec, RssSampler, ServerError, SharedStores,
                           cores, ensure_stock_bot, git_commit, replica_threads, role_groups, running_bots,
                           stop_processes, wait_ready)

REFERENCE = "stock"  # ratios are always to the bot of this name
ALL = "*"  # --shared-stores without names
DEFAULT_BOTS = ("dx=dx:.", f"stock=stock:{DEFAULT_STOCK_DIR.relative_to(REPO_ROOT)}")
NAME = re.compile(r"^[A-Za-z0-9_.-]+$")
WORKDIR = REPO_ROOT / "build" / "bench"  # logs, generated endpoints/credentials, fresh databases
# Settings of the environment that change what is measured; recorded with the results.
RECORDED_ENV = re.compile(r"^(TF_(?!CLI_)|SANIC_|SQL_|OMP_|MKL_|RASA_|ACTION_SERVER_|PYTHONHASHSEED$)")


# ---- arguments -----------------------------------------------------------------------------------

def parse_bot(text: str) -> BotSpec:
    """NAME=KIND:DIR, e.g. before=dx:build/before."""
    name, equals, rest = text.partition("=")
    kind, colon, directory = rest.partition(":")
    if not (equals and colon and directory and NAME.match(name)):
        raise argparse.ArgumentTypeError(f"{text!r} is not NAME=KIND:DIR (e.g. before=dx:build/before)")
    if kind not in KINDS:
        raise argparse.ArgumentTypeError(f"{text!r}: the kind must be one of {', '.join(KINDS)}, not {kind!r}")
    return BotSpec(name, kind, Path(directory))


def parse_bot_env(text: str) -> tuple[str, str, str]:
    """NAME:VAR=VALUE, e.g. dx2:SANIC_WORKERS=2."""
    name, colon, assignment = text.partition(":")
    variable, equals, value = assignment.partition("=")
    if not (colon and equals and NAME.match(name) and re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", variable)):
        raise argparse.ArgumentTypeError(f"{text!r} is not NAME:VAR=VALUE (e.g. dx2:SANIC_WORKERS=2)")
    return name, variable, value


def parse_replicas(text: str) -> tuple[Optional[str], int]:
    """N (every dx bot) or NAME:N (one bot), e.g. 2 or dx2:2: (None or NAME, N)."""
    name, colon, count = text.rpartition(":")
    if not (count.isdigit() and int(count) >= 1 and (not colon or NAME.match(name))):
        raise argparse.ArgumentTypeError(f"{text!r} is not N or NAME:N with N a positive whole number "
                                         f"(e.g. 2, or dx2:2)")
    return (name if colon else None), int(count)


def parse_levels(text: str) -> list[int]:
    try:
        levels = [int(part) for part in text.split(",")]
    except ValueError:
        levels = []
    if not levels or min(levels) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a list of positive whole numbers like 1,20,50")
    return levels


def number(kind, minimum: float = 0, allow_minimum: bool = False):
    """An argparse type: a finite `kind` (int or float) above `minimum` (or equal to it, if allowed)."""
    def convert(text: str):
        try:
            value = kind(text)
        except ValueError:
            value = None
        if value is None or not math.isfinite(value) or value < minimum or (value == minimum and not allow_minimum):
            wanted = "zero or more" if allow_minimum else "a positive number"
            raise argparse.ArgumentTypeError(f"{text!r} is not {wanted}{' (a whole number)' if kind is int else ''}")
        return value
    return convert


positive_int, positive_float, not_negative = number(int), number(float), number(float, allow_minimum=True)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__.split("\n\n")[0],
        epilog="Example: python -m bench --bot before=dx:build/before --levels 1,20 --profile")
    parser.add_argument("--bot", type=parse_bot, action="append", default=[], metavar="NAME=KIND:DIR",
                        help=f"add a bot (KIND dx or stock; DIR its project folder), or replace the default of that "
                             f"name; repeatable. Default bots: {' '.join(DEFAULT_BOTS)}")
    parser.add_argument("--only", metavar="NAMES", help="measure only these bots, comma-separated (e.g. dx,stock)")
    parser.add_argument("--bot-env", type=parse_bot_env, action="append", default=[], metavar="NAME:VAR=VALUE",
                        help="extra environment for one bot's processes, e.g. dx2:SANIC_WORKERS=2; repeatable")
    parser.add_argument("--replicas", type=parse_replicas, action="append", default=[], metavar="N|NAME:N",
                        help="run dx bots as N Rasa servers on one action server, on PostgreSQL and Redis; N for "
                             "every dx bot, NAME:N for one; repeatable (default 1: one server, on SQLite)")
    parser.add_argument("--shared-stores", nargs="?", const=ALL, metavar="NAMES",
                        help="dx bots on PostgreSQL and Redis also with one server (to compare 1 and N servers on "
                             "the same stores): every dx bot, or these, comma-separated")
    parser.add_argument("--postgres-url", metavar="URL",
                        help="PostgreSQL, as a role that may create databases: each bot on it gets a fresh "
                             "database, dropped after the run (default $TEST_POSTGRES_URL)")
    parser.add_argument("--redis-url", metavar="URL", help="the Redis of the lock store (default $REDIS_URL)")
    parser.add_argument("--levels", type=parse_levels, default=[1, 20, 50], metavar="C,C,...",
                        help="concurrent conversations per level (default 1,20,50)")
    parser.add_argument("--rounds", type=positive_int, default=2, help="rounds per bot and level (default 2)")
    parser.add_argument("--duration", type=positive_float, default=30.0, help="seconds measured per round (default 30)")
    parser.add_argument("--warmup", type=not_negative, default=5.0,
                        help="seconds of load before each round's measurement, not counted (default 5)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the conversations' wording (default 7)")
    parser.add_argument("--timeout", type=positive_float, default=60.0,
                        help="seconds before a message without a reply counts as an error (default 60)")
    parser.add_argument("--startup-timeout", type=positive_float, default=300.0,
                        help="seconds to wait for the bots to start (default 300)")
    parser.add_argument("--out", type=Path, default=Path("results/bench.json"), help="the JSON results file")
    parser.add_argument("--profile", action="store_true",
                        help="also run one extra round per dx bot at --profile-level under py-spy (not in the "
                             "figures); writes results/profile-<bot>.txt and -actions.txt")
    parser.add_argument("--profile-level", type=positive_int, default=20, help="concurrency of the profiled round")
    checks = parser.add_mutually_exclusive_group()
    checks.add_argument("--check", action="store_true",
                        help="only play every phrasing once to each bot and check each reply; measure nothing")
    checks.add_argument("--no-check", action="store_true", help="measure without checking the phrasings first")
    return parser


def parse_args(argv: Optional[list[str]] = None) -> argparse.Namespace:
    parser = build_parser()
    args = parser.parse_args(argv)
    bots = {spec.name: spec for spec in map(parse_bot, DEFAULT_BOTS)}
    for spec in args.bot:
        bots[spec.name] = spec  # a default's name replaces it; a new name adds a bot
    if args.only:
        wanted = [name.strip() for name in args.only.split(",") if name.strip()]
        unknown = [name for name in wanted if name not in bots]
        if unknown or not wanted:
            parser.error(f"--only: no bot named {', '.join(unknown) or '(none)'}; the bots are {', '.join(bots)}")
        bots = {name: spec for name, spec in bots.items() if name in wanted}
    for name, variable, value in args.bot_env:
        if name not in bots:
            parser.error(f"--bot-env {name}:{variable}=...: no bot named {name!r}; the bots are {', '.join(bots)}")
        bots[name].env[variable] = value
    for name, count in args.replicas:
        if name is not None and name not in bots:
            parser.error(f"--replicas {name}:{count}: no bot named {name!r}; the bots are {', '.join(bots)}")
        if name is not None and bots[name].kind != "dx":
            parser.error(f"--replicas {name}:{count}: only dx bots run as replicas, {name} is {bots[name].kind}")
        for spec in bots.values():
            if spec.kind == "dx" and name in (None, spec.name):
                spec.replicas = count
    shared = ([] if args.shared_stores in (None, ALL)
              else [name.strip() for name in args.shared_stores.split(",") if name.strip()])
    for name in shared:
        if name not in bots or bots[name].kind != "dx":
            parser.error(f"--shared-stores: no dx bot named {name!r}; the dx bots are "
                         f"{', '.join(n for n, spec in bots.items() if spec.kind == 'dx') or '(none)'}")
    for spec in bots.values():
        spec.shared_stores = spec.kind == "dx" and (args.shared_stores == ALL or spec.name in shared)
    args.stores = shared_stores(parser, args, [spec for spec in bots.values() if spec.on_shared_stores])
    for spec in bots.values():
        if spec.kind == "dx" and not (spec.directory / "endpoints.yml").is_file():
            parser.error(f"--bot {spec.name}=dx:{spec.directory}: {spec.directory} is not a dx-advisor checkout "
                         f"(no endpoints.yml there)")
    args.bots = list(bots.values())
    return args


def shared_stores(parser: argparse.ArgumentParser, args: argparse.Namespace,
                  on_them: list[BotSpec]) -> Optional[SharedStores]:
    """PostgreSQL and Redis from the options or the environment, when a bot runs on them; a clear error
    when either is missing or is not a URL of its kind. Whether they answer is seen when the run starts."""
    if not on_them:
        return None
    from bot.storage.endpoints import redis_lock_store, sql_tracker_store

    who = ", ".join(f"{spec.name} ({spec.replicas} server{'s' if spec.replicas > 1 else ''})" for spec in on_them)
    postgres = (args.postgres_url or os.environ.get("TEST_POSTGRES_URL", "")).strip()
    redis = (args.redis_url or os.environ.get("REDIS_URL", "")).strip()
    if postgres.startswith("postgres://"):  # what many hosts hand out; SQLAlchemy wants postgresql://
        postgres = "postgresql://" + postgres[len("postgres://"):]
    missing = [what for what, value in (
        ("PostgreSQL: --postgres-url URL or TEST_POSTGRES_URL, a role that may create databases "
         "(`eval \"$(sudo scripts/ci_services.sh)\"` starts it and prints it)", postgres),
        ("Redis: --redis-url URL or REDIS_URL (`eval \"$(REDIS_PORT=6392 scripts/redis.sh)\"`)", redis)) if not value]
    if missing:
        parser.error(f"{who} run{'s' if len(on_them) == 1 else ''} on PostgreSQL and Redis; missing "
                     + "; and ".join(missing))
    try:
        if sql_tracker_store(postgres)["dialect"] != "postgresql":
            raise ValueError(f"the database must be PostgreSQL, not {_without_password(postgres)}")
        redis_lock_store(redis)
    except ValueError as error:  # never a password in a message
        reason = str(error).replace(redis, _without_password(redis)).replace('DATABASE_URL', 'the PostgreSQL URL')
        parser.error(f"{who}: {reason}")
    return SharedStores(postgres, redis)


# ---- checking the scripts ------------------------------------------------------------------------

@dataclass
class Target:
    """What the benchmark needs of a running bot."""

    name: str
    kind: str
    webhook: Webhooks  # one server's REST webhook, or each replica's
    pids: dict[str, int]  # role -> process (its children are sampled too); every Rasa server is a role
    services: dict[str, int] = field(default_factory=dict)  # "postgres"/"redis" -> pid, for their CPU time

    @property
    def webhooks(self) -> list[str]:
        return as_list(self.webhook)

    @property
    def groups(self) -> dict[str, list[int]]:
        """What memory and CPU are summed over: every Rasa server as "rasa", the action server."""
        return role_groups(self.pids)


async def check_bot(target: Target, run_id: str, timeout: float) -> dict:
    """Every phrasing once, one conversation at a time: does each reply say what the script expects?
    With replicas, the conversations go over the servers as in a measured round."""
    failures, messages = [], 0
    played = covering_conversations(target.kind)
    for number, conversation in enumerate(played):
        replies = await play(target.webhooks, conversation, f"check-{run_id}-{target.name}-{number}", timeout,
                             number)
        for index, (step, reply) in enumerate(replies):
            messages += 1
            if reply.error or not step.answered_by(reply.text):
                failures.append({"conversation": number, "step": index + 1, "message": step.text,
                                 "expected": list(step.expect), "reply": reply.text[:200] or reply.detail})
                break  # the rest of this conversation would be off script too
    return {"conversations": len(played), "messages": messages, "failures": failures}


async def check(targets: list[Target], timeout: float) -> dict[str, dict]:
    run_id = uuid.uuid4().hex[:6]
    results = await asyncio.gather(*(check_bot(target, run_id, timeout) for target in targets))
    return {target.name: result for target, result in zip(targets, results)}


def render_check(checked: dict[str, dict]) -> str:
    lines = []
    for name, result in checked.items():
        verdict = "every reply as scripted" if not result["failures"] else f"{len(result['failures'])} off script"
        lines.append(f"Check {name}: {result['conversations']} conversations, {result['messages']} messages, {verdict}")
        for failure in result["failures"][:10]:
            lines.append(f"  #{failure['conversation']} step {failure['step']} {failure['message']!r}: expected "
                         f"{' or '.join(failure['expected'])!r}, got {failure['reply'][:120]!r}")
    return "\n".join(lines)


# ---- measuring -----------------------------------------------------------------------------------

def _fmt_ms(value: Optional[float]) -> str:
    return "-" if value is None else f"{value:.0f}" if value >= 100 else f"{value:.1f}"


def rasa_first(role: str) -> tuple[bool, str]:
    """Sort key: Rasa first, then the other roles by name."""
    return role != "rasa", role


def _fmt_rss(rss: dict[str, float]) -> str:
    return ", ".join(f"{role} {mb:.0f}" for role, mb in sorted(rss.items(), key=lambda kv: rasa_first(kv[0])))


async def measure(targets: list[Target], args: argparse.Namespace, sampler: RssSampler,
                  profile_dir: Optional[Path] = None) -> dict:
    """Every level, every round, alternating bots; then the profiled rounds. Returns the report."""
    run_id, rounds = uuid.uuid4().hex[:6], []
    for level in args.levels:
        for number in range(1, args.rounds + 1):
            for target in targets:  # A B A B: drift in the machine affects every bot alike
                sampler.new_window()
                # The same seeded sequence for every bot of a kind in this round.
                source = conversation_source(conversations(target.kind, f"{args.seed}:{level}:{number}"))
                window: dict[str, float] = {}
                result = await run_round(target.webhooks, source, level, args.duration, args.warmup, args.timeout,
                                         f"bench-{run_id}-{target.name}-c{level}-r{number}",
                                         on_measuring=lambda t=target, w=window: cpu_window(t, args.duration, w))
                figures = {"bot": target.name, "level": level, "round": number, **result.figures(),
                           "rss_peak_mb": sampler.window_mb(target.name)}
                figures.update(cpu_figures(window, figures["messages"], args.duration))
                rounds.append(figures)
                print(f"  C={level:<3} round {number}/{args.rounds}  {target.name:<8} "
                      f"{figures['msgs_per_s']:7.1f} msg/s"
                      f"  p50 {_fmt_ms(figures['p50_ms']):>5} ms  p95 {_fmt_ms(figures['p95_ms']):>5} ms"
                      f"  errors {figures['errors']}  RSS MB {_fmt_rss(figures['rss_peak_mb'])}", flush=True)
    report = {"rounds": rounds, "levels": level_medians(rounds), "profiles": {}}
    report["ratios"] = ratios(report["levels"])
    if profile_dir is not None:
        for target in (t for t in targets if t.kind == "dx"):
            report["profiles"][target.name] = await profiled_round(target, args, run_id, profile_dir)
    report["rss"] = sampler.report()
    return report


async def cpu_window(target: Target, duration: float, into: dict) -> None:
    """CPU time of the target's processes, its services, the load generator and the machine, over the
    measured window (from the end of the warm-up for `duration` s), into `into`."""
    groups = {**target.groups, **{name: [pid] for name, pid in target.services.items()}}
    before = await asyncio.to_thread(cpu.snapshot, groups)
    await asyncio.sleep(duration)
    into.update(cpu.used(before, await asyncio.to_thread(cpu.snapshot, groups)))


def cpu_figures(cpu_s: dict[str, float], messages: int, duration: float) -> dict:
    """A round's CPU figures: seconds per role, milliseconds per answered message, and how busy the machine
    was (its busy time over duration x cores)."""
    if not cpu_s:
        return {}
    return {"cpu_s": cpu_s, "cpu_ms_per_msg": cpu.per_message(cpu_s, messages),
            "cpu_busy": round(cpu_s["machine"] / (duration * (os.cpu_count() or 1)), 3) if "machine" in cpu_s
            else None}


def py_spy_log(bot: str, role: str) -> Path:
    return WORKDIR / bot / f"py-spy-{role}.log"


async def profiled_round(target: Target, args: argparse.Namespace, run_id: str, out: Path) -> dict:
    """One extra round at --profile-level with py-spy on Rasa and on the action server; summaries per role."""
    seconds = max(1, round(args.duration))
    files = {role: out / (f"profile-{target.name}.txt" if role == "rasa" else f"profile-{target.name}-{role}.txt")
             for role in sorted(target.pids, key=rasa_first)}
    for path in files.values():
        path.unlink(missing_ok=True)  # a failed recording must not leave the last run's profile in its place
    recorders = []

    def start() -> None:  # when the warm-up is over
        recorders.extend(profiling.start_recording(target.pids[role], path, seconds, py_spy_log(target.name, role))
                         for role, path in files.items())

    print(f"  C={args.profile_level:<3} profiled round  {target.name:<8} (py-spy, {seconds} s; not in the figures)",
          flush=True)
    try:
        source = conversation_source(conversations(target.kind, f"{args.seed}:profile"))
        result = await run_round(target.webhooks, source, args.profile_level, args.duration, args.warmup, args.timeout,
                                 f"bench-{run_id}-{target.name}-profile", on_measuring=start)
        deadline = time.monotonic() + 60  # py-spy writes its file when its duration is over
        while any(r.poll() is None for r in recorders) and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
    finally:
        stop_processes(recorders)
    found = {"round": result.figures()}
    for role, path in files.items():
        if not path.exists():  # e.g. ptrace not allowed: py-spy's own last words say why
            said = py_spy_log(target.name, role).read_text().strip().splitlines() or ["no output"]
            found[role] = {"file": str(path), "error": said[-1]}
            continue
        found[role] = {"file": str(path), **profiling.summarise(path.read_text()).as_dict()}
    return found


def level_medians(rounds: list[dict]) -> dict[str, dict[str, dict]]:
    """level -> bot -> the median of each figure over the rounds (errors summed, memory the peak)."""
    levels: dict[str, dict[str, dict]] = {}
    for row in rounds:
        levels.setdefault(str(row["level"]), {}).setdefault(row["bot"], []).append(row)
    for level, bots in levels.items():
        for bot, rows in bots.items():
            median = lambda key: (statistics.median([r[key] for r in rows if r[key] is not None])  # noqa: E731
                                  if any(r[key] is not None for r in rows) else None)
            roles = sorted({role for r in rows for role in r["rss_peak_mb"]})
            bots[bot] = {"rounds": len(rows), "msgs_per_s": median("msgs_per_s"), "p50_ms": median("p50_ms"),
                         "p95_ms": median("p95_ms"), "p99_ms": median("p99_ms"),
                         "messages": sum(r["messages"] for r in rows), "errors": sum(r["errors"] for r in rows),
                         "off_script": sum(r["off_script"] for r in rows),
                         "rss_peak_mb": {role: max(r["rss_peak_mb"].get(role, 0) for r in rows) for role in roles}}
            per_message = [r["cpu_ms_per_msg"] for r in rows if r.get("cpu_ms_per_msg")]
            if per_message:
                keys = sorted({key for found in per_message for key in found})
                bots[bot]["cpu_ms_per_msg"] = {key: statistics.median([f[key] for f in per_message if key in f])
                                               for key in keys}
                bots[bot]["cpu_busy"] = statistics.median([r["cpu_busy"] for r in rows if r.get("cpu_busy")
                                                           is not None] or [0])
    return levels


def _ratio(value: Optional[float], reference: Optional[float]) -> Optional[float]:
    return round(value / reference, 2) if value is not None and reference else None


def ratios(levels: dict[str, dict[str, dict]], reference: str = REFERENCE) -> dict[str, dict[str, dict]]:
    """level -> bot -> its figures divided by the reference bot's (throughput: higher is better; the rest lower)."""
    found: dict[str, dict[str, dict]] = {}
    for level, bots in levels.items():
        base = bots.get(reference)
        if not base:
            continue
        for bot, figures in bots.items():
            if bot == reference:
                continue
            found.setdefault(level, {})[bot] = {
                "throughput": _ratio(figures["msgs_per_s"], base["msgs_per_s"]),
                **{key: _ratio(figures[f"{key}_ms"], base[f"{key}_ms"]) for key in ("p50", "p95", "p99")},
                "rss_rasa": _ratio(figures["rss_peak_mb"].get("rasa"), base["rss_peak_mb"].get("rasa")),
                "rss_total": _ratio(sum(figures["rss_peak_mb"].values()) or None, sum(base["rss_peak_mb"].values())),
            }
    return found


# ---- reporting -----------------------------------------------------------------------------------

def render_tables(report: dict) -> str:
    s = report["settings"]
    lines = [f"Median over {s['rounds']} round(s) of {s['duration_s']:g} s (warm-up {s['warmup_s']:g} s), "
             f"seed {s['seed']}, {report['machine']['nproc']} CPUs"]
    for bot in s["bots"]:
        if bot.get("replicas", 1) > 1 or bot.get("stores") == "postgresql+redis":
            threads = ", ".join(f"{k}={v}" for k, v in bot.get("rasa_env", {}).items())
            servers = f"{bot['replicas']} Rasa server{'s' if bot['replicas'] > 1 else ''}"
            lines.append(f"  {bot['name']}: {servers} on one action server, conversations in PostgreSQL, locks in "
                         f"Redis{f' ({threads})' if threads else ''}")
    lines.append(f"{'C':>4}  {'bot':<10} {'msg/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6}  "
                 f"peak RSS MB")
    for level, bots in report["levels"].items():
        for bot, f in bots.items():
            off = f"  ({f['off_script']} off script)" if f["off_script"] else ""
            latencies = " ".join(f"{_fmt_ms(f[key]):>7}" for key in ("p50_ms", "p95_ms", "p99_ms"))
            lines.append(f"{level:>4}  {bot:<10} {f['msgs_per_s']:7.1f} {latencies} {f['errors']:>6}  "
                         f"{_fmt_rss(f['rss_peak_mb'])}{off}")
    if report["ratios"]:
        lines += ["", f"Ratios to {REFERENCE} (throughput: higher is better; latency and memory: lower is better)",
                  f"{'C':>4}  {'bot':<10} {'msg/s':>7} {'p50':>7} {'p95':>7} {'p99':>7} {'RSS rasa':>9} {'RSS all':>8}"]
        x = lambda v: "-" if v is None else f"{v:.2f}x"  # noqa: E731
        for level, bots in report["ratios"].items():
            for bot, r in bots.items():
                lines.append(f"{level:>4}  {bot:<10} {x(r['throughput']):>7} {x(r['p50']):>7} {x(r['p95']):>7} "
                             f"{x(r['p99']):>7} {x(r['rss_rasa']):>9} {x(r['rss_total']):>8}")
    else:
        lines += ["", f"No bot named {REFERENCE!r}: no ratios."]
    lines += render_cpu(report["levels"])
    lines += ["", "Peak memory over the whole run (VmRSS every 0.2 s, with children; VmHWM is the kernel's peak)"]
    for bot, roles in report["rss"].items():
        for role, found in sorted(roles.items(), key=lambda kv: rasa_first(kv[0])):
            hwm = max((p["hwm_mb"] for p in found["processes"]), default=0)
            lines.append(f"  {bot:<10} {role:<8} {found['peak_mb']:7.0f} MB over {len(found['processes'])} "
                         f"process(es); largest VmHWM {hwm:.0f} MB")
    return "\n".join(lines)


CPU_COLUMNS = ("bot", "rasa", "actions", "postgres", "redis", "load", "other", "machine")


def render_cpu(levels: dict[str, dict[str, dict]]) -> list[str]:
    """CPU milliseconds per answered message (medians over the rounds), and how busy the machine was."""
    if not any(f.get("cpu_ms_per_msg") for bots in levels.values() for f in bots.values()):
        return []
    lines = ["", "CPU time per answered message, ms (bot = its Rasa server(s) + action server; load = this "
                 "load generator; other = the rest of the machine: large when something else ran; machine = all "
                 "cores, everything included; busy = machine / (time x cores))",
             f"{'C':>4}  {'bot':<10} " + " ".join(f"{c:>8}" for c in CPU_COLUMNS) + f" {'busy':>6}"]
    for level, bots in levels.items():
        for bot, f in bots.items():
            found = f.get("cpu_ms_per_msg") or {}
            cells = " ".join(f"{found[c]:8.1f}" if found.get(c) is not None else f"{'-':>8}" for c in CPU_COLUMNS)
            busy = f"{f['cpu_busy'] * 100:5.0f}%" if f.get("cpu_busy") is not None else f"{'-':>6}"
            lines.append(f"{level:>4}  {bot:<10} {cells} {busy}")
    return lines


def write_json(report: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")


def settings_of(args: argparse.Namespace) -> dict:
    return {"levels": args.levels, "rounds": args.rounds, "duration_s": args.duration, "warmup_s": args.warmup,
            "seed": args.seed, "timeout_s": args.timeout, "profile": args.profile,
            "profile_level": args.profile_level if args.profile else None,
            # A stock bot is rasa init's project under build/: the Rasa version says what it is, not a commit.
            "bots": [{"name": b.name, "kind": b.kind, "dir": str(b.directory), "env": b.env,
                      "commit": git_commit(b.directory) if b.kind == "dx" else None,
                      # Rasa servers (on one action server), where conversations and locks are, and the
                      # TensorFlow threads each server got for sharing the cores
                      "replicas": b.replicas, "stores": b.stores,
                      "rasa_env": replica_threads(b.replicas, {**os.environ, **b.env}, cores())}
                     for b in args.bots],
            "shared_stores": ({"postgres": _without_password(args.stores.postgres_url),
                               "redis": _without_password(args.stores.redis_url)}
                              if getattr(args, "stores", None) else None),
            "env": {k: v for k, v in sorted(os.environ.items()) if RECORDED_ENV.match(k)}}


def _without_password(url: str) -> str:
    return re.sub(r"(//[^:/@]*:)[^@]*@", r"\1***@", url)


def _version(package: str) -> Optional[str]:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def new_report(args: argparse.Namespace) -> dict:
    return {"settings": settings_of(args), "git_commit": git_commit(REPO_ROOT),
            "machine": {"nproc": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
                        "rasa": _version("rasa"), "rasa_sdk": _version("rasa-sdk")},
            "started": datetime.datetime.now().astimezone().isoformat(timespec="seconds")}


# ---- the whole run -------------------------------------------------------------------------------

def describe_servers(spec: BotSpec) -> str:
    if not spec.on_shared_stores:
        return ""
    return f", {spec.replicas} Rasa server{'s' if spec.replicas > 1 else ''} on PostgreSQL + Redis"


def run(args: argparse.Namespace) -> int:
    report = new_report(args)
    for spec in args.bots:
        if spec.kind == "stock":
            ensure_stock_bot(spec.directory, WORKDIR / "stock-init.log")
    starting = ", ".join(f"{b.name} ({b.kind}, {b.directory}{describe_servers(b)})" for b in args.bots)
    print(f"Starting {starting}; logs in "
          f"{WORKDIR.relative_to(REPO_ROOT)}/", flush=True)
    started = time.monotonic()
    with running_bots(args.bots, WORKDIR, args.stores) as bots:
        targets = [Target(b.spec.name, b.spec.kind, b.webhooks, b.pids, b.services) for b in bots]
        sampler = RssSampler({t.name: t.groups for t in targets})
        sampler.start()  # from the start: model loading is part of the peak
        try:
            wait_ready(bots, args.startup_timeout)
            print(f"Ready after {time.monotonic() - started:.0f} s.", flush=True)
            if not args.no_check:
                report["check"] = checked = asyncio.run(check(targets, args.timeout))
                print(render_check(checked), flush=True)
                if any(result["failures"] for result in checked.values()):
                    if not args.check:
                        print("Not measuring: a benchmark of the fallback path would be worthless. Fix the phrasings "
                              "in bench/conversations.py, or pass --no-check.", file=sys.stderr)
                    return 1
                if args.check:
                    return 0
            print(f"Measuring: levels {','.join(map(str, args.levels))}, {args.rounds} round(s) of "
                  f"{args.warmup:g}+{args.duration:g} s per bot and level.", flush=True)
            profile_dir = args.out.parent if args.profile else None
            report.update(asyncio.run(measure(targets, args, sampler, profile_dir)))
        finally:
            sampler.stop()
        report["rss"] = sampler.report()
    report["finished"] = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
    print()
    print(render_tables(report))
    for bot, roles in report.get("profiles", {}).items():
        for role, found in roles.items():
            if role == "round":
                continue
            title = f"Profile of {bot} {role} under C={args.profile_level} ({found['file']})"
            if "error" in found:
                print(f"\n{title}: py-spy failed: {found['error']}")
            else:
                summary = profiling.Summary(found["samples"], found["top_total"], found["top_self"],
                                            found["trunk_functions"])
                print("\n" + profiling.render(title, summary))
    write_json(report, args.out)
    print(f"\nWritten to {args.out}")
    return 0


def _terminated(signum, frame):
    raise KeyboardInterrupt  # the same clean-up as Ctrl-C: every server is stopped


def main(argv: Optional[list[str]] = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _terminated)
    try:
        return run(args)
    except ServerError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nbench: interrupted; every server it started was stopped.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
