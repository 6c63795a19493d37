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
    assert store["type"] == "redis" and store["key_prefix"] == "dxadvisor"
    assert {key: store.get(key) for key in expected} == expected


def test_rasa_builds_its_redis_lock_store_from_it():
    from rasa.core.lock_store import LockStore, RedisLockStore
    from rasa.utils.endpoints import EndpointConfig

    section = redis_lock_store("redis://:pw@127.0.0.1:6390/2")
    store = LockStore.create(EndpointConfig.from_dict(section))  # connects lazily: no server needed
    assert isinstance(store, RedisLockStore)
    assert store.red.connection_pool.connection_kwargs["port"] == 6390
    assert store.red.connection_pool.connection_kwargs["db"] == 2
    assert store.key_prefix == "dxadvisor:lock:"


@pytest.mark.parametrize("url", ["http://127.0.0.1:6379", "127.0.0.1:6379", "redis://", "redis://h:port/1",
                                 "redis://h:6379/first"])
def test_a_redis_url_that_is_not_one_is_refused_plainly(url):
    with pytest.raises(ValueError, match="REDIS_URL"):
        redis_lock_store(url)
