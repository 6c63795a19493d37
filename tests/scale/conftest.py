"""Two Rasa servers and one action server on one PostgreSQL database and one Redis (`make test-scale`).

scripts/test_scale.sh starts PostgreSQL and Redis from Debian's packages on loopback and exports
TEST_POSTGRES_URL (a role that may create databases) and REDIS_URL. Each run gets a database of
its own. The servers are configured only by the environment, as in docs/DEPLOY.md: DATABASE_URL,
REDIS_URL, WEBCHAT_SECRET, TELEGRAM_* (webhook mode, against the fake Bot API), DX_PUBLIC_URL.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import uuid
from pathlib import Path
from typing import Optional
from urllib.parse import urlsplit

import pytest
import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.paths import REPO_ROOT
from telegram_fake import BOT_USER, FakeTelegram
from tests.model.conftest import BIN, MODEL, RASA, assistant_env, free_port, require_model, stop, wait_until_up

TOKEN = f"{BOT_USER['id']}:TEST-scale-token"
TELEGRAM_SECRET = "scale_Secret-0123456789"
WEBCHAT_SECRET = "scale-test-signing-key-0123456789abcdef"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/scale/" in str(item.fspath):
            item.add_marker(pytest.mark.scale)


class Replicas:
    """The running servers: `url(i)` of Rasa server i (0 or 1), the action server, the database."""

    def __init__(self, workdir: Path, database_url: str, env: dict, fake: FakeTelegram) -> None:
        self.workdir, self.database_url, self.env, self.fake = workdir, database_url, env, fake
        self.ports = [free_port(), free_port()]
        self.actions_port = free_port()
        self.rasa: list[Optional[subprocess.Popen]] = [None, None]
        self.actions: Optional[subprocess.Popen] = None
        self.env["DX_PUBLIC_URL"] = f"http://127.0.0.1:{self.ports[0]}"

    def url(self, i: int) -> str:
        return f"http://127.0.0.1:{self.ports[i]}"

    def log(self, i: int) -> Path:
        return self.workdir / f"rasa{i}.log"

    def start_actions(self) -> None:
        log = self.workdir / "actions.log"
        self.actions = subprocess.Popen([*RASA, "run", "actions", "--actions", "actions", "--port",
                                         str(self.actions_port)], cwd=REPO_ROOT, env=self.env,
                                        stdout=log.open("a"), stderr=subprocess.STDOUT)
        wait_until_up(f"http://127.0.0.1:{self.actions_port}/health", self.actions, log)

    def start_rasa(self, i: int) -> None:
        endpoints = self.workdir / "endpoints.yml"
        subprocess.run([BIN / "python", "-m", "bot", "endpoints", "--actions-port", str(self.actions_port),
                        "--out", str(endpoints)], cwd=REPO_ROOT, env=self.env, check=True, stdout=subprocess.DEVNULL)
        self.rasa[i] = subprocess.Popen(
            [*RASA, "run", "--model", str(MODEL), "--endpoints", str(endpoints), "--credentials", "credentials.yml",
             "--port", str(self.ports[i]), "--interface", "127.0.0.1"],
            cwd=REPO_ROOT, env=self.env, stdout=self.log(i).open("a"), stderr=subprocess.STDOUT)
        wait_until_up(f"{self.url(i)}/webhooks/rest/", self.rasa[i], self.log(i))

    def kill(self, i: int) -> None:
        """As a crash: no clean shut-down."""
        self.rasa[i].kill()
        self.rasa[i].wait(timeout=20)

    def say(self, i: int, sender: str, message: str, timeout: float = 90) -> list[dict]:
        reply = requests.post(f"{self.url(i)}/webhooks/rest/webhook", json={"sender": sender, "message": message},
                              timeout=timeout)
        assert reply.status_code == 200, reply.text
        return reply.json()

    def sql(self, query: str, **params) -> list[tuple]:
        engine = create_engine(self.database_url)
        try:
            with engine.connect() as connection:
                return [tuple(row) for row in connection.execute(text(query), params)]
        finally:
            engine.dispose()

    def events(self, sender: str) -> list[tuple[str, str]]:
        """(type_name, action_name or text) of the sender's events, in the order they were stored."""
        rows = self.sql("SELECT type_name, action_name, data FROM events WHERE sender_id = :s ORDER BY id", s=sender)
        return [(kind, action or (json.loads(data).get("text") if kind in ("user", "bot") else None))
                for kind, action, data in rows]

    def stop(self) -> None:
        stop(*[p for p in [*self.rasa, self.actions] if p is not None and p.poll() is None])


def fresh_database(admin_url: str) -> str:
    """A new, empty database on the test server; its URL."""
    name = f"dx_scale_{uuid.uuid4().hex[:10]}"
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def drop_database(admin_url: str, url: str) -> None:
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    engine.dispose()


@pytest.fixture(scope="session")
def admin_url() -> str:
    url = os.environ.get("TEST_POSTGRES_URL")
    if not url or not os.environ.get("REDIS_URL"):
        pytest.fail("run through `make test-scale` (scripts/test_scale.sh starts PostgreSQL and Redis)")
    return url


@pytest.fixture(scope="session")
def replicas(admin_url, tmp_path_factory) -> Replicas:
    require_model()
    workdir = tmp_path_factory.mktemp("replicas")
    database_url = fresh_database(admin_url)
    fake = FakeTelegram(TOKEN).start()
    env = assistant_env(workdir / "unused.db", {
        "DATABASE_URL": database_url, "REDIS_URL": os.environ["REDIS_URL"], "WEBCHAT_SECRET": WEBCHAT_SECRET,
        "TELEGRAM_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": fake.base_url, "TELEGRAM_MODE": "webhook",
        "TELEGRAM_WEBHOOK_SECRET": TELEGRAM_SECRET,
        "TELEGRAM_WEBHOOK_URL": "https://bot.example.com/webhooks/telegram/webhook"})
    subprocess.run([BIN / "python", "-m", "bot", "migrate"], cwd=REPO_ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    running = Replicas(workdir, database_url, env, fake)
    try:
        running.start_actions()
        running.start_rasa(0)
        running.start_rasa(1)
        yield running
    finally:
        running.stop()
        fake.stop()
        artifacts = REPO_ROOT / "tests" / "artifacts"
        artifacts.mkdir(exist_ok=True)
        for log in [running.log(0), running.log(1), workdir / "actions.log"]:  # for a failed run
            if log.exists():
                shutil.copy(log, artifacts / f"scale-{log.name}")
        drop_database(admin_url, database_url)


class ServiceControl:
    """Stops and starts one of the services scripts/test_scale.sh runs (as root, on loopback)."""

    def __init__(self, stop_command: list[str], start_command: list[str]) -> None:
        self.stop_command, self.start_command = stop_command, start_command

    def stop(self) -> None:
        subprocess.run(self.stop_command, check=True, cwd=REPO_ROOT, stdout=subprocess.DEVNULL)

    def start(self) -> None:
        subprocess.run(self.start_command, check=True, cwd=REPO_ROOT, stdout=subprocess.DEVNULL)


@pytest.fixture(scope="session")
def redis_control() -> ServiceControl:
    port = str(urlsplit(os.environ["REDIS_URL"]).port or 6379)
    return ServiceControl(["redis-cli", "-p", port, "shutdown", "nosave"],
                          ["bash", "-c", f"REDIS_PORT={port} scripts/redis.sh"])


@pytest.fixture(scope="session")
def postgres_control() -> ServiceControl:
    cluster = os.environ.get("TEST_POSTGRES_CLUSTER")  # "15 main", from scripts/ci_services.sh
    if not cluster:
        pytest.fail("TEST_POSTGRES_CLUSTER is not set: run through `make test-scale`")
    version, name = cluster.split()
    port = make_url(os.environ["TEST_POSTGRES_URL"]).port or 5432
    return ServiceControl(["pg_ctlcluster", "-m", "fast", version, name, "stop"],
                          ["bash", "-c", f"pg_ctlcluster {version} {name} start && for i in $(seq 1 30); do "
                                         f"pg_isready -q -h 127.0.0.1 -p {port} && exit 0; sleep 1; done; exit 1"])
