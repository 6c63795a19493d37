"""Starting and stopping the bots under test, sampling their memory, and building the stock bot.

Every process is started in its own process group (session) and stopped by group, so that nothing is
left running after the benchmark, whatever ended it. dx-advisor is started the way scripts/run.sh
starts it (through `python -m bot rasa`, with our patches); the stock bot with plain `rasa run`.

Replicas (`--replicas N`): a dx bot may run as N Rasa servers on one action server, all on one fresh
PostgreSQL database (made for the run with a role that may create databases, dropped after it) and a
Redis lock store, as docs/DEPLOY.md runs them behind a proxy. One server can run on them too
(`--shared-stores`), so that one and two servers are compared on the same stores.
"""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Mapping, Optional

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # the venv that runs the benchmark runs every bot too
DEFAULT_STOCK_DIR = REPO_ROOT / "build" / "stock-bot"
DX_MODEL = Path("models") / "dx-advisor.tar.gz"
KINDS = ("dx", "stock")
# Read by `bot.storage.endpoints.run_endpoints`: a dx bot gets them only from --bot-env or the shared
# stores, never from the shell that runs the benchmark (an exported REDIS_URL would silently give the
# one-server bot a Redis lock store, an ACTION_SERVER_URL would send its actions elsewhere).
NOT_INHERITED = ("REDIS_URL", "ACTION_SERVER_URL")
TF_THREADS = ("TF_INTRA_OP_PARALLELISM_THREADS", "TF_INTER_OP_PARALLELISM_THREADS")


class ServerError(Exception):
    """A bot could not be built or started; the message is for the user, as it is."""


@dataclass
class BotSpec:
    name: str
    kind: str  # "dx" or "stock"
    directory: Path
    env: dict[str, str] = field(default_factory=dict)  # extra environment (e.g. SANIC_WORKERS=2)
    replicas: int = 1  # Rasa servers (dx only), all on one action server
    shared_stores: bool = False  # PostgreSQL + Redis even with one server

    @property
    def on_shared_stores(self) -> bool:
        """Several servers always share PostgreSQL and Redis; one only when asked to."""
        return self.kind == "dx" and (self.replicas > 1 or self.shared_stores)

    @property
    def stores(self) -> str:
        """Where the conversations (and their locks) are kept, as recorded with the results."""
        if self.kind != "dx":
            return "memory"
        return "postgresql+redis" if self.on_shared_stores else "sqlite"


@dataclass
class SharedStores:
    """The PostgreSQL server (as a role that may create databases) and the Redis of `--replicas`."""

    postgres_url: str
    redis_url: str


@dataclass
class RunningBot:
    spec: BotSpec
    urls: list[str]  # each Rasa server's base URL, the first one's role "rasa"
    processes: dict[str, subprocess.Popen]  # role ("rasa", "rasa-2"..., "actions") -> process (group leader)
    logs: dict[str, Path]
    ready_urls: dict[str, str]  # role -> a URL that answers 200 once that server is ready
    services: dict[str, int] = field(default_factory=dict)  # "postgres"/"redis" -> the server's pid, if local

    @property
    def url(self) -> str:
        return self.urls[0]

    @property
    def webhooks(self) -> list[str]:
        return [f"{url}/webhooks/rest/webhook" for url in self.urls]

    @property
    def webhook(self) -> str:
        return self.webhooks[0]

    @property
    def pids(self) -> dict[str, int]:
        return {role: process.pid for role, process in self.processes.items()}


def server_roles(replicas: int) -> list[str]:
    """The roles of a bot's Rasa servers: "rasa" (the only one without replicas), then "rasa-2", "rasa-3"..."""
    return ["rasa", *(f"rasa-{number}" for number in range(2, replicas + 1))]


def role_groups(pids: Mapping[str, int]) -> dict[str, list[int]]:
    """role -> pid, with every Rasa server under "rasa": memory and CPU are summed over a bot's servers."""
    groups: dict[str, list[int]] = {}
    for role, pid in pids.items():
        groups.setdefault("rasa" if re.fullmatch(r"rasa(-\d+)?", role) else role, []).append(pid)
    return groups


def replica_threads(replicas: int, environ: Mapping[str, str], cores: int) -> dict[str, str]:
    """TensorFlow threads for each of `replicas` Rasa servers on one machine of `cores` cores; {} for one
    server or when the environment chooses. The rule bot/rasa_patches.py applies to SANIC_WORKERS: each
    server's TensorFlow would otherwise size its pools for the whole machine, and they fight over it."""
    if replicas < 2 or any(name in environ for name in TF_THREADS):
        return {}
    try:  # each server's Sanic workers, if any, share its part
        processes = replicas * max(1, int(environ.get("SANIC_WORKERS", "1")))
    except ValueError:
        processes = replicas
    return {"TF_INTRA_OP_PARALLELISM_THREADS": str(max(1, cores // processes)), "TF_INTER_OP_PARALLELISM_THREADS": "1"}


def cores() -> int:
    return len(os.sched_getaffinity(0))


def base_env(extra: Optional[dict[str, str]] = None, drop: tuple[str, ...] = ()) -> dict[str, str]:
    """Quiet, no telemetry, and no Telegram: a developer's real bot must never be started by a benchmark.
    Variables in `drop` are not taken from this process's environment (`extra` may still set them)."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("TELEGRAM_") and name not in drop}
    env.update({"TF_CPP_MIN_LOG_LEVEL": "2", "RASA_TELEMETRY_ENABLED": "false",
                "SQLALCHEMY_SILENCE_UBER_WARNING": "1", "PYTHONWARNINGS": "ignore::DeprecationWarning"})
    env.update(extra or {})
    return env


_HANDED_OUT: set[int] = set()


def free_port() -> int:
    """A port nothing listens on, never the same twice: servers bind theirs only seconds later."""
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port not in _HANDED_OUT:
            _HANDED_OUT.add(port)
            return port


def log_tail(path: Path, lines: int = 12) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def git_commit(directory: Path) -> Optional[str]:
    """The checked-out commit, with "-dirty" when tracked files changed; None outside git."""
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=directory, capture_output=True, text=True,
                                check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=directory,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return f"{commit}-dirty" if dirty else commit


# ---- the stock reference bot ---------------------------------------------------------------------

def stock_model_ready(directory: Path) -> bool:
    return any((directory / "models").glob("*.tar.gz"))


def ensure_stock_bot(directory: Path, log: Path) -> bool:
    """`rasa init` (which also trains) into `directory` once, with this venv; True if it was built now."""
    if stock_model_ready(directory):
        return False
    if directory.resolve() != DEFAULT_STOCK_DIR.resolve():  # never write a project into someone's folder
        raise ServerError(f"{directory} has no trained model (models/*.tar.gz); "
                          f"only {DEFAULT_STOCK_DIR} is built here.")
    print(f"Building the stock reference bot in {directory} (rasa init, trains once: a minute or two)...", flush=True)
    shutil.rmtree(directory, ignore_errors=True)  # a half-built project from an interrupted run
    directory.mkdir(parents=True)  # `rasa init --no-prompt` wants the folder to exist
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as out:
        process = subprocess.Popen([BIN / "rasa", "init", "--no-prompt", "--init-dir", str(directory)],
                                   cwd=REPO_ROOT, env=base_env(), stdin=subprocess.DEVNULL, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        try:
            code = process.wait()
        finally:
            stop_processes([process])
    if code != 0 or not stock_model_ready(directory):
        raise ServerError(f"`rasa init` failed (exit code {code}); the end of {log}:\n{log_tail(log)}")
    return True


# ---- starting and stopping -----------------------------------------------------------------------

def _start(command: list, cwd: Path, env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("w") as out:  # the child keeps its own copy of the descriptor
        return subprocess.Popen([str(part) for part in command], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def dx_endpoints(directory: Path, actions_port: int, tracker_db: Optional[Path],
                 environ: Optional[dict] = None) -> dict:
    """The checkout's own endpoints.yml as `make run` uses it (`bot.storage.endpoints.run_endpoints`: the
    action server's port, and Rasa's Redis lock store when the bot's environment has REDIS_URL, so that
    `--bot-env NAME:SANIC_WORKERS=2` really runs two workers), with a fresh tracker database: the SQLite
    file `tracker_db`, or, when it is None, the database of the environment's DATABASE_URL as it is.

    Everything else (enable_selective_domain, a lock store...) is kept: it is part of what is measured.
    """
    from bot.storage.endpoints import run_endpoints

    endpoints = run_endpoints(yaml.safe_load((directory / "endpoints.yml").read_text()) or {}, environ or {},
                              actions_port)
    if endpoints.get("tracker_store") and tracker_db is not None:
        endpoints["tracker_store"]["db"] = str(tracker_db)
    return endpoints


def start_dx(spec: BotSpec, workdir: Path, stores_env: Optional[dict[str, str]] = None) -> RunningBot:
    """The action server and Rasa (spec.replicas servers of it), as scripts/run.sh starts them, with fresh
    databases: SQLite files under `workdir`, or the DATABASE_URL and REDIS_URL of `stores_env`."""
    directory = spec.directory
    if not (directory / DX_MODEL).exists():
        raise ServerError(f"{directory / DX_MODEL} is missing: train it first (`make train` in {directory}).")
    if stores_env:
        tracker_db = None  # the conversations go to DATABASE_URL, with the app data
        env = base_env({**stores_env, **spec.env}, drop=NOT_INHERITED)
    else:
        tracker_db, app_db = workdir / "tracker.db", workdir / "app.db"
        for stale in [*workdir.glob("tracker.db*"), *workdir.glob("app.db*")]:  # with any -journal or -wal
            stale.unlink()
        env = base_env({"DATABASE_URL": f"sqlite:///{app_db}", **spec.env}, drop=NOT_INHERITED)
    migrate_log = workdir / "migrate.log"
    with migrate_log.open("w") as out:
        migrated = subprocess.run([BIN / "python", "-m", "bot", "migrate"], cwd=directory, env=env,
                                  stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
    if migrated.returncode != 0:
        raise ServerError(f"{spec.name}: `python -m bot migrate` failed; "
                          f"the end of {migrate_log}:\n{log_tail(migrate_log)}")

    actions_port = free_port()
    endpoints = workdir / "endpoints.yml"
    endpoints.write_text(yaml.safe_dump(dx_endpoints(directory, actions_port, tracker_db, env), sort_keys=False))
    credentials = workdir / "credentials.yml"
    credentials.write_text("bot.channels.rest.GuardedRestInput:\n")  # REST only: no Telegram, no widget
    roles = server_roles(spec.replicas)
    urls = [f"http://127.0.0.1:{free_port()}" for _ in roles]
    logs = {"actions": workdir / "actions.log", **{role: workdir / f"{role}.log" for role in roles}}
    bot = RunningBot(spec, urls, {}, logs, {"actions": f"http://127.0.0.1:{actions_port}/health",
                                            **{role: f"{url}/webhooks/rest/" for role, url in zip(roles, urls)}})
    bot.processes["actions"] = _start(  # --quiet as scripts/run.sh: no log line per action call
        [BIN / "python", "-m", "bot", "rasa", "run", "actions", "--actions", "actions", "--port", actions_port,
         "--quiet"], directory, env, logs["actions"])
    rasa_env = {**env, **replica_threads(spec.replicas, env, cores())}
    try:
        for role, url in zip(roles, urls):
            bot.processes[role] = _start(
                [BIN / "python", "-m", "bot", "rasa", "run", "--model", DX_MODEL, "--endpoints", endpoints,
                 "--credentials", credentials, "--port", url.rsplit(":", 1)[1], "--interface", "127.0.0.1"],
                directory, rasa_env, logs[role])
    except BaseException:
        stop_processes(bot.processes.values())
        raise
    return bot


def start_stock(spec: BotSpec, workdir: Path) -> RunningBot:
    """`rasa run` in the stock project: in-memory tracker store, no action server."""
    if not stock_model_ready(spec.directory):
        raise ServerError(f"{spec.directory}/models has no trained model.")
    credentials = workdir / "credentials.yml"
    credentials.write_text("rest:\n")
    port, log = free_port(), workdir / "rasa.log"
    process = _start([BIN / "rasa", "run", "--model", "models", "--port", port, "--interface", "127.0.0.1",
                      "--credentials", credentials], spec.directory, base_env(spec.env), log)
    url = f"http://127.0.0.1:{port}"
    return RunningBot(spec, [url], {"rasa": process}, {"rasa": log}, {"rasa": f"{url}/webhooks/rest/"})


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def wait_ready(bots: list[RunningBot], timeout: float) -> None:
    """Until every bot answers on its REST channel (and its action server on /health)."""
    checks = [(bot, role, url) for bot in bots for role, url in bot.ready_urls.items()]
    deadline = time.monotonic() + timeout
    while checks:
        for check in list(checks):
            bot, role, url = check
            code = bot.processes[role].poll()
            if code is not None:
                raise ServerError(f"{bot.spec.name}: the {role} server exited (code {code}) before it was ready; "
                                  f"the end of {bot.logs[role]}:\n{log_tail(bot.logs[role])}")
            if _answers(url):
                checks.remove(check)
        if checks and time.monotonic() > deadline:
            bot, role, _ = checks[0]
            raise ServerError(f"{bot.spec.name}: the {role} server was not ready after {timeout:.0f} s; "
                              f"the end of {bot.logs[role]}:\n{log_tail(bot.logs[role])}")
        if checks:
            time.sleep(0.5)


def stop_processes(processes) -> None:
    """SIGTERM to each process group, then SIGKILL to what is left after 20 s."""
    processes = [p for p in processes if p is not None]
    for process in processes:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + 20
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            pass
        # Children (Sanic workers) may outlive the leader: the group goes either way.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=5)


@contextlib.contextmanager
def running_bots(specs: list[BotSpec], workdir: Path,
                 stores: Optional[SharedStores] = None) -> Iterator[list[RunningBot]]:
    """Start every bot (all at once: their models load side by side); stop them all after, whatever happens.
    A bot on the shared stores gets a database of its own on `stores`, dropped once its servers are gone.

    Call wait_ready() before sending anything.
    """
    bots: list[RunningBot] = []
    databases: list[str] = []
    try:
        services: dict[str, int] = {}
        if any(spec.on_shared_stores for spec in specs):
            if stores is None:
                raise ServerError("a bot on PostgreSQL and Redis needs their URLs (--postgres-url, --redis-url)")
            services = service_pids(stores)  # also: is each of them up?
        for spec in specs:
            bot_dir = workdir / spec.name
            bot_dir.mkdir(parents=True, exist_ok=True)
            if spec.kind != "dx":
                bots.append(start_stock(spec, bot_dir))
                continue
            stores_env = None
            if spec.on_shared_stores:
                databases.append(create_database(stores.postgres_url, spec.name))
                stores_env = {"DATABASE_URL": databases[-1], "REDIS_URL": stores.redis_url}
            bots.append(start_dx(spec, bot_dir, stores_env))
            if spec.on_shared_stores:
                bots[-1].services = dict(services)
        yield bots
    finally:
        stop_processes([p for bot in bots for p in bot.processes.values()])
        for url in databases:
            try:
                drop_database(stores.postgres_url, url)
            except Exception as error:  # noqa: BLE001 - the figures are worth more than a clean-up
                print(f"bench: could not drop the database {database_of(url)}: {error}", file=sys.stderr)


# ---- PostgreSQL and Redis (--replicas, --shared-stores) ------------------------------------------

def _hidden(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def database_of(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).database or ""


def database_name(bot: str) -> str:
    """A new database's name for a bot: bench_<bot>_<random>, in the characters PostgreSQL keeps as they are."""
    return f"bench_{re.sub(r'[^a-z0-9_]', '_', bot.lower())[:40]}_{uuid.uuid4().hex[:8]}"


def _admin(admin_url: str):
    from sqlalchemy import create_engine

    return create_engine(admin_url, isolation_level="AUTOCOMMIT", pool_pre_ping=True)


def create_database(admin_url: str, bot: str) -> str:
    """A new, empty database for `bot`, owned by the role of `admin_url`; its URL (with the password)."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    name = database_name(bot)
    engine = _admin(admin_url)
    try:
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        raise ServerError(f"could not create a database for {bot} as {_hidden(admin_url)}: {reason}. Is PostgreSQL "
                          f"up, and may that role create databases? (`eval \"$(sudo scripts/ci_services.sh)\"`)")
    finally:
        engine.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def drop_database(admin_url: str, url: str) -> None:
    from sqlalchemy import text

    engine = _admin(admin_url)
    try:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database_of(url)}" WITH (FORCE)'))
    finally:
        engine.dispose()


def _parent(pid: int) -> Optional[int]:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return int(stat.read().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def service_pids(stores: SharedStores) -> dict[str, int]:
    """The PostgreSQL server's main process and Redis's, when they run on this machine (their CPU time is
    part of a message's cost); a ServerError if either does not answer."""
    from redis import Redis
    from redis.exceptions import RedisError
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    found = {}
    engine = _admin(stores.postgres_url)
    try:
        with engine.connect() as connection:
            backend = connection.execute(text("SELECT pg_backend_pid()")).scalar()
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        raise ServerError(f"PostgreSQL at {_hidden(stores.postgres_url)} does not answer: {reason} "
                          f"(`eval \"$(sudo scripts/ci_services.sh)\"` starts it)")
    finally:
        engine.dispose()
    if _command(backend).startswith("postgres"):  # a backend of this machine: its parent is the server
        found["postgres"] = _parent(backend)
    try:
        client = Redis.from_url(stores.redis_url, socket_timeout=5)
        pid = int(client.info("server")["process_id"])
        client.close()
    except (RedisError, OSError, KeyError, ValueError) as error:
        shown = re.sub(r"(//[^:/@]*:)[^@]*@", r"\1***@", stores.redis_url)
        raise ServerError(f"Redis at {shown} does not answer: {error} "
                          f"(`eval \"$(REDIS_PORT=6392 scripts/redis.sh)\"` starts one)")
    if "redis" in _command(pid):
        found["redis"] = pid
    return {name: pid for name, pid in found.items() if pid}


# ---- memory --------------------------------------------------------------------------------------

def _children() -> dict[int, list[int]]:
    """Parent pid -> child pids, for every process (from /proc/*/stat)."""
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as stat:
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])  # the name may hold spaces
        except (OSError, IndexError, ValueError):
            continue
        tree.setdefault(parent, []).append(int(entry.name))
    return tree


def _memory_kb(pid: int) -> Optional[tuple[int, int]]:
    """(VmRSS, VmHWM) in kB, or None once the process is gone."""
    try:
        with open(f"/proc/{pid}/status") as status:
            fields = dict(line.split(":", 1) for line in status if line.startswith(("VmRSS", "VmHWM")))
        return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])
    except (OSError, KeyError, ValueError):
        return None


def _command(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            return cmdline.read().replace(b"\0", b" ").decode(errors="replace").strip()[:160]
    except OSError:
        return ""


class RssSampler(threading.Thread):
    """Samples VmRSS of every bot process and its children every `interval` s, in the background.

    Per role (a process with its children, e.g. Rasa and its Sanic workers; or several, e.g. all the
    Rasa servers of a bot with replicas) it keeps the peak of their summed RSS over the whole run and
    over the current window (one round); per process, its peak VmRSS and its VmHWM (the kernel's own peak).
    """

    def __init__(self, roots: dict[str, dict[str, "int | list[int]"]], interval: float = 0.2):
        super().__init__(daemon=True, name="rss-sampler")
        # bot -> role -> the pids whose trees are summed
        self.roots = {bot: {role: [pids] if isinstance(pids, int) else list(pids) for role, pids in roles.items()}
                      for bot, roles in roots.items()}
        self.interval = interval
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.peak_kb: dict[tuple[str, str], int] = {}
        self.window_kb: dict[tuple[str, str], int] = {}
        self.processes: dict[int, dict] = {}  # pid -> {"bot", "role", "cmd", "peak_kb", "hwm_kb"}
        self.samples = 0

    def sample(self) -> None:
        tree = _children()
        with self.lock:
            for bot, roles in self.roots.items():
                for role, roots in roles.items():
                    pids, total = list(roots), 0
                    while pids:
                        pid = pids.pop()
                        pids.extend(tree.get(pid, []))
                        memory = _memory_kb(pid)
                        if memory is None:
                            continue
                        rss, hwm = memory
                        total += rss
                        seen = self.processes.setdefault(pid, {"bot": bot, "role": role, "cmd": _command(pid),
                                                               "peak_kb": 0, "hwm_kb": 0})
                        seen["peak_kb"], seen["hwm_kb"] = max(seen["peak_kb"], rss), max(seen["hwm_kb"], hwm)
                    key = (bot, role)
                    self.peak_kb[key] = max(self.peak_kb.get(key, 0), total)
                    self.window_kb[key] = max(self.window_kb.get(key, 0), total)
            self.samples += 1

    def run(self) -> None:
        while not self.stopping.wait(self.interval):
            self.sample()

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=5)
        self.sample()  # a last one, so that VmHWM is current

    def new_window(self) -> None:
        with self.lock:
            self.window_kb = {}
        self.sample()

    def window_mb(self, bot: str) -> dict[str, float]:
        """Peak RSS (MB) of each of the bot's roles since new_window()."""
        self.sample()
        with self.lock:
            return {role: round(kb / 1024, 1) for (name, role), kb in self.window_kb.items() if name == bot}

    def report(self) -> dict[str, dict]:
        """bot -> role -> {"peak_mb", "processes": [{pid, cmd, peak_rss_mb, hwm_mb}]} over the whole run."""
        with self.lock:
            found: dict[str, dict] = {}
            for (bot, role), kb in self.peak_kb.items():
                found.setdefault(bot, {})[role] = {"peak_mb": round(kb / 1024, 1), "processes": [
                    {"pid": pid, "cmd": seen["cmd"], "peak_rss_mb": round(seen["peak_kb"] / 1024, 1),
                     "hwm_mb": round(seen["hwm_kb"] / 1024, 1)}
                    for pid, seen in sorted(self.processes.items()) if seen["bot"] == bot and seen["role"] == role]}
            return found
