"""Fixtures shared by the unit tests."""
import os
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


@pytest.fixture
def pg_schema_url():
    """A PostgreSQL URL whose search_path is a new, empty schema, dropped afterwards.

    Needs TEST_POSTGRES_URL (CI sets it with scripts/ci_services.sh); skipped without it.
    """
    base = os.environ.get("TEST_POSTGRES_URL")
    if not base:
        pytest.skip("TEST_POSTGRES_URL is not set (scripts/ci_services.sh starts PostgreSQL and prints it)")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, future=True)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield make_url(base).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False)
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture
def actions_store(monkeypatch):
    """The app database the actions use: a fresh in-memory SQLite store at the newest schema."""
    import actions.memory
    from bot.storage import Store

    store = Store("sqlite://")
    store.migrate()
    monkeypatch.setattr(actions.memory, "_store", lambda: store)
    yield store
    store.close()


@pytest.fixture
def broken_actions_store(monkeypatch, tmp_path):
    """An app database that cannot be opened: every read and write of the actions fails."""
    import actions.memory
    from bot.storage import Store

    store = Store(f"sqlite:///{tmp_path / 'no' / 'such' / 'dir' / 'app.db'}")
    monkeypatch.setattr(actions.memory, "_store", lambda: store)
    return store
