"""Starts the trained assistant (Rasa + action server) once for all model tests.

The model is the one `make train` produced; nothing here trains.
"""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, ContextManager, Iterator, Optional

import pytest
import requests
import yaml

from bot.paths import REPO_ROOT
from bot.storage.endpoints import run_endpoints

MODEL = REPO_ROOT / "models" / "dx-advisor.tar.gz"
BIN = Path(sys.executable).parent
# Rasa as `make run` starts it: with our library patches (bot/rasa_patches.py).
RASA = [str(BIN / "python"), "-m", "bot", "rasa"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, log: Path, seconds: int = 240) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early; log:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"server not up after {seconds}s; log:\n{log.read_text()[-3000:]}")


class Assistant:
    """A running assistant: its REST URL, its tracker database, its app database and Rasa's log."""

    def __init__(self, url: str, db_path: Path, app_db_path: Path, log_path: Optional[Path] = None):
        self.url, self.db_path, self.app_db_path, self.log_path = url, db_path, app_db_path, log_path
        self.webhook = f"{url}/webhooks/rest/webhook"

    def say(self, sender: str, message: str, metadata: Optional[dict] = None) -> list[dict]:
        body = {"sender": sender, "message": message, **({"metadata": metadata} if metadata else {})}
        reply = requests.post(self.webhook, json=body, timeout=60)
        assert reply.status_code == 200, reply.text
        return reply.json()


def assistant_env(app_db_path: Path, extra_env: Optional[dict] = None) -> dict:
    """Environment for the assistant's processes: quiet, no telemetry, their own app database."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "RASA_TELEMETRY_ENABLED": "false",
           "SQLALCHEMY_SILENCE_UBER_WARNING": "1", "DATABASE_URL": f"sqlite:///{app_db_path}"}
    for name in [n for n in env if n.startswith("TELEGRAM_")]:
        del env[name]  # only what the caller asks for: a developer's own bot stays out of the tests
    env.update(extra_env or {})
    return env


def migrate_app_database(env: dict) -> None:
    """What `make run` does first: bring the app database ($DATABASE_URL in env) to the newest schema."""
    subprocess.run([BIN / "python", "-m", "bot", "migrate"], cwd=REPO_ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def write_endpoints(workdir: Path, actions_port: int, db_path: Path) -> Path:
    """The project's endpoints.yml, with this test's action server port and tracker database."""
    settings = run_endpoints(yaml.safe_load((REPO_ROOT / "endpoints.yml").read_text()), {}, actions_port)
    settings["tracker_store"]["db"] = str(db_path)
    endpoints = workdir / "endpoints.yml"
    endpoints.write_text(yaml.safe_dump(settings))
    return endpoints


def stop(*processes: subprocess.Popen) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


class ActionServer:
    """The action server on a free port; ``wait()`` returns once it answers."""

    def __init__(self, workdir: Path, env: dict):
        self.port, self.log = free_port(), workdir / "actions.log"
        self.process = subprocess.Popen(
            [*RASA, "run", "actions", "--actions", "actions", "--port", str(self.port)],
            cwd=REPO_ROOT, env=env, stdout=self.log.open("w"), stderr=subprocess.STDOUT,
        )

    def wait(self) -> None:
        wait_until_up(f"http://127.0.0.1:{self.port}/health", self.process, self.log)


@contextlib.contextmanager
def action_server(workdir: Path, env: dict) -> Iterator[ActionServer]:
    """Starts the action server (not waiting for it, so Rasa can load meanwhile); stops it after."""
    server = ActionServer(workdir, env)
    try:
        yield server
    finally:
        stop(server.process)


def require_model() -> None:
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run `make train` (or `make test`, which trains first).")


@contextlib.contextmanager
def running_assistant(workdir: Path, extra_env: Optional[dict] = None) -> Iterator[Assistant]:
    """Start the action server and Rasa (trained model, own databases in workdir); stop them after.

    ``extra_env`` is added to both processes' environment (e.g. TELEGRAM_TOKEN for the Telegram tests).
    """
    require_model()
    db_path, app_db_path = workdir / "tracker.db", workdir / "app.db"
    rasa_port, log = free_port(), workdir / "rasa.log"
    # the links to charts and plan files that the actions make name this server
    env = assistant_env(app_db_path, {"DX_PUBLIC_URL": f"http://127.0.0.1:{rasa_port}", **(extra_env or {})})
    migrate_app_database(env)
    with action_server(workdir, env) as actions:
        rasa = subprocess.Popen(
            [*RASA, "run", "--model", str(MODEL), "--endpoints", str(write_endpoints(workdir, actions.port, db_path)),
             "--credentials", "credentials.yml", "--port", str(rasa_port), "--interface", "127.0.0.1",
             "--enable-api"],  # /model/parse, for the trainer's piped chat; localhost only
            cwd=REPO_ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
        )
        try:
            actions.wait()
            wait_until_up(f"http://127.0.0.1:{rasa_port}/webhooks/rest/", rasa, log)
            yield Assistant(f"http://127.0.0.1:{rasa_port}", db_path, app_db_path, log)
        finally:
            stop(rasa)


@pytest.fixture(scope="session")
def assistant(tmp_path_factory) -> Assistant:
    with running_assistant(tmp_path_factory.mktemp("assistant")) as running:
        yield running


@pytest.fixture(scope="session")
def start_assistant(tmp_path_factory) -> Callable[..., ContextManager[Assistant]]:
    """``with start_assistant({"TELEGRAM_TOKEN": ...}) as assistant:`` another assistant, extra environment."""
    return lambda extra_env=None: running_assistant(tmp_path_factory.mktemp("assistant"), extra_env)


def responses_in(language: str) -> dict[str, list[str]]:
    """Every response's text variations in one language, read from data/responses (what trainers edit):
    the Chinese ones carry a condition on the `language` slot, the English ones none."""
    found: dict[str, list[str]] = {}
    for path in sorted((REPO_ROOT / "data" / "responses").glob("*.yml")):
        for name, variations in (yaml.safe_load(path.read_text(encoding="utf-8"))["responses"]).items():
            found[name] = [v["text"] for v in variations
                           if any(c.get("value") == language for c in v.get("condition") or [])
                           or (language == "en" and not v.get("condition"))]
    return found


@pytest.fixture(scope="session")
def responses() -> dict[str, list[str]]:
    """The English variations of every response."""
    return responses_in("en")


@pytest.fixture(scope="session")
def zh_responses() -> dict[str, list[str]]:
    """The Chinese variations of every response."""
    return responses_in("zh")
