"""bot/storage/endpoints.py: the endpoints a run uses, from endpoints.yml and the environment."""
import pytest
import yaml

from bot.paths import REPO_ROOT
from bot.storage.endpoints import redis_lock_store, run_endpoints

PROJECT = yaml.safe_load((REPO_ROOT / "endpoints.yml").read_text())


def test_without_redis_the_projects_endpoints_stay_as_they_are_with_the_actions_port():
    endpoints = run_endpoints(PROJECT, {}, actions_port=5155)
    assert endpoints["action_endpoint"]["url"] == "http://localhost:5155/webhook"
    assert endpoints["action_endpoint"]["enable_selective_domain"] is True
    assert endpoints["tracker_store"] == PROJECT["tracker_store"]
    assert "lock_store" not in endpoints
    assert PROJECT["action_endpoint"]["url"] == "http://localhost:5055/webhook"  # the input is not changed


def test_a_blank_redis_url_is_no_redis():
    assert "lock_store" not in run_endpoints(PROJECT, {"REDIS_URL": "  "})


@pytest.mark.parametrize("url, expected", [
    ("redis://127.0.0.1:6379/1", {"url": "127.0.0.1", "port": 6379, "db": 1, "use_ssl": False}),
    ("redis://localhost", {"url": "localhost", "port": 6379, "db": 1, "use_ssl": False}),
    ("rediss://:s%40cret@cache.internal:6380/3",
     {"url": "cache.internal", "port": 6380, "db": 3, "use_ssl": True, "password": "s@cret"}),
    ("redis://app:pw@10.0.0.5/0", {"url": "10.0.0.5", "port": 6379, "db": 0, "username": "app", "password": "pw"}),
])
def test_redis_url_becomes_rasas_redis_lock_store(url, expected):
    store = run_endpoints(PROJECT, {"REDIS_URL": url})["lock_store"]
    assert store["type"] == "bot.storage.lock_store.AtomicRedisLockStore" and store["key_prefix"] == "dxadvisor"
    assert {key: store.get(key) for key in expected} == expected


def test_rasa_builds_its_redis_lock_store_from_it():
    from rasa.core.lock_store import LockStore
    from rasa.utils.endpoints import EndpointConfig

    from bot.storage.lock_store import AtomicRedisLockStore

    section = redis_lock_store("redis://:pw@127.0.0.1:6390/2")
    store = LockStore.create(EndpointConfig.from_dict(section))  # connects lazily: no server needed
    assert isinstance(store, AtomicRedisLockStore)
    assert store.red.connection_pool.connection_kwargs["password"] == "pw"
    assert store.red.connection_pool.connection_kwargs["port"] == 6390
    assert store.red.connection_pool.connection_kwargs["db"] == 2
    assert store.key_prefix == "dxadvisor:lock:"


def test_with_our_redis_lock_store_rasa_runs_the_workers_asked_for(monkeypatch):
    from rasa.core.utils import number_of_sanic_workers
    from rasa.utils.endpoints import EndpointConfig

    monkeypatch.setenv("SANIC_WORKERS", "2")
    assert number_of_sanic_workers(EndpointConfig.from_dict(redis_lock_store("redis://127.0.0.1:6390/2"))) == 2
    assert number_of_sanic_workers(None) == 1


@pytest.mark.parametrize("url", ["http://127.0.0.1:6379", "127.0.0.1:6379", "redis://", "redis://h:port/1",
                                 "redis://h:6379/first"])
def test_a_redis_url_that_is_not_one_is_refused_plainly(url):
    with pytest.raises(ValueError, match="REDIS_URL"):
        redis_lock_store(url)


# --- DATABASE_URL: the conversations go where the app data goes ---------------------------------

@pytest.mark.parametrize("url, expected", [
    ("postgresql://dx:s%40cret@db.internal:5433/dx", {"dialect": "postgresql", "url": "db.internal", "port": 5433,
                                                       "db": "dx", "username": "dx", "password": "s@cret"}),
    ("postgresql+psycopg2://dx@postgres/dx?sslmode=require",
     {"dialect": "postgresql", "url": "postgres", "port": 5432, "db": "dx", "query": {"sslmode": "require"}}),
    ("sqlite:///data/dx.db", {"dialect": "sqlite", "db": "data/dx.db"}),
])
def test_database_url_moves_the_tracker_store_there(url, expected):
    store = run_endpoints(PROJECT, {"DATABASE_URL": url})["tracker_store"]
    assert store["type"] == "bot.storage.tracker_store.ForgetfulSQLTrackerStore"
    assert {key: store.get(key) for key in expected} == expected


@pytest.mark.parametrize("url", ["mysql://x:s3cret@y/z", "postgresql://u:s3cret@/nohost", "not a url",
                                 "postgresql://u:s3cret@host"])
def test_a_database_url_we_cannot_use_is_refused_plainly_without_its_password(url):
    with pytest.raises(ValueError, match="DATABASE_URL") as refused:
        run_endpoints(PROJECT, {"DATABASE_URL": url})
    assert "s3cret" not in str(refused.value)


def test_a_postgres_url_as_hosts_give_it_is_postgresql():
    store = run_endpoints(PROJECT, {"DATABASE_URL": "postgres://dx:pw@db:5432/dx"})["tracker_store"]
    assert (store["dialect"], store["url"], store["password"]) == ("postgresql", "db", "pw")


def test_the_endpoints_file_is_readable_by_its_owner_only(tmp_path, monkeypatch):
    from bot.__main__ import main

    monkeypatch.setenv("DATABASE_URL", "postgresql://dx:pw@db:5432/dx")
    out = tmp_path / "endpoints.yml"
    assert main(["endpoints", "--out", str(out)]) == 0
    assert out.stat().st_mode & 0o777 == 0o600 and "pw" in out.read_text()


def test_rasa_builds_our_tracker_store_from_it():
    from rasa.core.tracker_store import TrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.utils.endpoints import EndpointConfig

    from bot.storage.tracker_store import ForgetfulSQLTrackerStore

    config = run_endpoints(PROJECT, {"DATABASE_URL": "sqlite:///:memory:"})["tracker_store"]
    store = TrackerStore.create(EndpointConfig.from_dict(config), Domain.empty())
    assert isinstance(store, ForgetfulSQLTrackerStore)


def test_action_server_url_names_another_host():
    endpoints = run_endpoints(PROJECT, {"ACTION_SERVER_URL": "http://actions:5055/webhook"}, actions_port=5155)
    assert endpoints["action_endpoint"]["url"] == "http://actions:5055/webhook"
