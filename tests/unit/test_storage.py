"""Store: profiles and plans on SQLite, and on PostgreSQL when TEST_POSTGRES_URL is set.

CI sets it with scripts/ci_services.sh. Each PostgreSQL test gets a fresh schema of its own, so
migrations always start from an empty database and runs never see each other's rows.
"""
import asyncio
from datetime import datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event, inspect, text

from bot.storage import Store, alembic_config, head_revision
from bot.storage.models import Base

PROFILE = {
    "industry": "retail",
    "head_count_low": 10,
    "head_count_high": 49,
    "budget_kind": "amount",
    "budget_amount": 200.0,
    "budget_currency": "GBP",
    "budget_period": "month",
    "tools": ["excel", "wechat"],
    "goal": "sell online",
}
PLAN = {"level": 2, "step_ids": ["crm_basic", "online_shop"], "currency": "GBP",
        "steps": [{"id": "crm_basic", "title": "A simple CRM", "cost": 20.5}], "summary": "Two steps"}


LEAD = {"contact_kind": "email", "contact": "jo@bakery.co.uk", "channel": "website widget",
        "summary": "a retail firm of 10-49 people", "profile": {"industry": "retail"},
        "plan": {"step_ids": ["crm_basic"], "version": 2}, "plan_lines": ["1. A simple CRM (free)"]}
CONSENT = "May I pass on your profile and plan to an adviser?"
CHECKIN = {"plan_version": 1, "step_id": "crm_basic", "step_number": 1, "status": "done"}


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'dx.db'}"
    return request.getfixturevalue("pg_schema_url")


@pytest.fixture
def store(db_url):
    store = Store(db_url)
    store.migrate()
    yield store
    store.close()


def without_times(profile):
    return {k: v for k, v in profile.items() if k not in ("created_at", "updated_at")}


def test_profile_round_trip(store):
    store.save_profile("alice", PROFILE)
    assert without_times(store.load_profile("alice")) == {"sender_id": "alice", **PROFILE}
    assert store.load_profile("nobody") is None


def test_updating_a_profile_changes_only_the_fields_given(store):
    store.save_profile("alice", PROFILE)
    first = store.load_profile("alice")
    store.save_profile("alice", {"goal": "cut paperwork", "tools": None})
    second = store.load_profile("alice")
    assert second["goal"] == "cut paperwork" and second["tools"] is None
    assert second["industry"] == "retail" and second["budget_amount"] == 200.0
    assert second["created_at"] == first["created_at"]
    assert second["updated_at"] >= first["updated_at"]


def test_a_loaded_profile_can_be_saved_back(store):
    store.save_profile("alice", PROFILE)
    loaded = store.load_profile("alice")
    loaded["goal"] = "hire"
    store.save_profile("alice", loaded)
    assert store.load_profile("alice")["goal"] == "hire"


def test_plan_round_trip_and_the_latest_is_the_newest(store):
    assert store.latest_plan("alice") is None
    first = store.save_plan("alice", PLAN)
    second = store.save_plan("alice", {**PLAN, "level": 3, "summary": "newer"})
    store.save_plan("bob", {"step_ids": []})
    assert (first["version"], second["version"]) == (1, 2) and second["id"] > first["id"]
    latest = store.latest_plan("alice")
    assert latest == second and latest["summary"] == "newer" and latest["level"] == 3
    assert {k: v for k, v in latest.items() if k not in ("id", "version", "created_at")} == {
        **PLAN, "level": 3, "summary": "newer"}
    assert store.latest_plan("bob")["version"] == 1


def test_delete_user_removes_everything_of_that_sender_only(store):
    for sender in ("alice", "bob"):
        store.save_profile(sender, PROFILE)
        store.save_plan(sender, PLAN)
        store.save_plan(sender, PLAN)
        store.save_lead(sender, LEAD, consent=CONSENT)
        store.save_checkin(sender, CHECKIN)
    assert store.delete_user("alice") == 5
    assert store.load_profile("alice") is None and store.latest_plan("alice") is None
    assert store.load_profile("bob") is not None and store.latest_plan("bob") is not None
    assert store.delete_user("alice") == 0
    with store.engine.connect() as connection:
        counts = {t: connection.execute(text(f"SELECT count(*) FROM {t} WHERE sender_id = :s"), {"s": "bob"}).scalar()
                  for t in ("profiles", "plans", "leads", "checkins")}
    assert counts == {"profiles": 1, "plans": 2, "leads": 1, "checkins": 1}
    assert store.checkins("alice") == [] and len(store.checkins()) == 1
    assert [lead["sender_id"] for lead in store.leads()] == ["bob"]


def test_check_ins_are_kept_in_order_and_never_overwritten(store):
    store.save_checkin("alice", {**CHECKIN, "status": "started"})
    store.save_checkin("alice", CHECKIN)
    store.save_checkin("bob", {**CHECKIN, "status": "skipped"})
    saved = store.checkins("alice")
    assert [(c["status"], c["plan_version"], c["step_id"], c["step_number"]) for c in saved] == [
        ("started", 1, "crm_basic", 1), ("done", 1, "crm_basic", 1)]
    assert saved[0]["created_at"] <= saved[1]["created_at"] and [c["sender_id"] for c in store.checkins()] == [
        "alice", "alice", "bob"]


@pytest.mark.parametrize("bad, message", [
    ({**CHECKIN, "status": "finished"}, "status must be one of done, started, not_started, skipped"),
    ({**CHECKIN, "step_id": ""}, "needs plan_version, step_id and step_number"),
    ({k: v for k, v in CHECKIN.items() if k != "plan_version"}, "needs plan_version"),
    ("done", "must be a dict"),
])
def test_a_bad_check_in_is_refused_and_nothing_is_written(store, bad, message):
    with pytest.raises(ValueError, match=message):
        store.save_checkin("alice", bad)
    assert store.checkins() == []


def test_one_plan_version_and_every_first_plan(store):
    store.save_plan("alice", PLAN)
    store.save_plan("alice", {**PLAN, "level": 3})
    store.save_plan("bob", PLAN)
    assert store.plan_version("alice", 2)["level"] == 3 and store.plan_version("alice", 3) is None
    assert [(p["sender_id"], p["version"]) for p in store.first_plans()] == [("alice", 1), ("bob", 1)]


async def test_async_twins(store):
    await store.asave_profile("carol", {"industry": "catering"})
    assert (await store.aload_profile("carol"))["industry"] == "catering"
    saved = await asyncio.gather(*(store.asave_plan("carol", {**PLAN, "level": n}) for n in range(3)))
    assert sorted(plan["version"] for plan in saved) == [1, 2, 3]  # concurrent writers, one number each
    assert (await store.alatest_plan("carol"))["id"] == max(plan["id"] for plan in saved)
    assert [plan["version"] for plan in await store.aplan_history("carol")] == [1, 2, 3]
    assert await store.adelete_user("carol") == 4
    assert await store.aload_profile("carol") is None


def test_migrating_twice_is_harmless_and_the_schema_is_at_head(store, db_url):
    store.save_profile("alice", PROFILE)
    store.migrate()
    again = Store(db_url)
    assert again.load_profile("alice")["industry"] == "retail"
    again.close()
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head == head_revision() == "0006"
    with store.engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == head
    assert store.revision() == head


def test_the_migrations_build_exactly_the_models(store):
    with store.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
        assert {"profiles", "plans", "channel_state", "alembic_version"} <= set(inspect(connection).get_table_names())


def test_channel_state_round_trip(store):
    assert store.load_state("telegram:1:updates") is None
    store.save_state("telegram:1:updates", '{"ids": [1]}')
    store.save_state("telegram:1:updates", '{"ids": [1, 2]}')
    assert store.load_state("telegram:1:updates") == '{"ids": [1, 2]}'
    assert asyncio.run(store.aload_state("telegram:1:updates")) == '{"ids": [1, 2]}'
    for bad_key in ("", "k" * 256, None):
        with pytest.raises(ValueError, match="state key"):
            store.save_state(bad_key, "x")
    with pytest.raises(ValueError, match="must be a string"):
        store.save_state("k", 3)


def test_a_database_at_the_first_revision_is_upgraded(db_url):
    from alembic import command

    command.upgrade(alembic_config(db_url), "0001")
    store = Store(db_url)
    assert store.revision() == "0001"  # building a Store changes nothing
    store.migrate()
    assert store.revision() == head_revision() == "0006"
    store.save_state("k", "v")
    assert store.load_state("k") == "v"
    store.close()


def test_sender_ids_are_checked(store):
    with pytest.raises(ValueError, match="300 characters long; at most 255"):
        store.save_profile("x" * 300, PROFILE)
    for method in (store.load_profile, store.latest_plan, store.delete_user):
        with pytest.raises(ValueError, match="at most 255"):
            method("x" * 300)
    with pytest.raises(ValueError, match="non-empty string"):
        store.save_plan("", PLAN)
    longest = "y" * 255
    store.save_profile(longest, {"goal": "ok"})
    assert store.load_profile(longest)["goal"] == "ok"


def test_values_travel_as_parameters(store):
    sneaky = "x'); DROP TABLE profiles; --"
    store.save_profile(sneaky, {"industry": "'; DELETE FROM plans; --"})
    store.save_plan("bob", PLAN)
    assert store.load_profile(sneaky)["industry"] == "'; DELETE FROM plans; --"
    assert store.latest_plan("bob") is not None


def test_bad_values_are_refused_with_a_reason(store):
    cases = [
        ({"colour": "red"}, "unknown profile fields: colour"),
        ({"head_count_low": "ten"}, "head_count_low must be an integer"),
        ({"budget_amount": float("nan")}, "budget_amount must be a finite number"),
        ({"tools": "excel"}, "tools'] must be a list of strings"),
        ({"budget_currency": "X" * 17}, "budget_currency is 17 characters long"),
    ]
    for profile, message in cases:
        with pytest.raises(ValueError, match=message):
            store.save_profile("alice", profile)
    with pytest.raises(ValueError, match="JSON-serialisable"):
        store.save_plan("alice", {"step_ids": [], "when": object()})
    with pytest.raises(ValueError, match="step_ids"):
        store.save_plan("alice", {"step_ids": "crm"})
    assert store.load_profile("alice") is None and store.latest_plan("alice") is None


def test_default_url_is_database_url_else_a_local_sqlite_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    store = Store()
    store.migrate()
    assert store.url == "sqlite:///dx_advisor.db" and (tmp_path / "dx_advisor.db").exists()
    store.close()
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'other.db'}")
    store = Store()
    store.migrate()
    store.save_profile("alice", {"goal": "x"})
    store.close()
    assert (tmp_path / "other.db").exists()


def test_an_in_memory_database_is_shared_with_the_worker_threads():
    store = Store("sqlite://")
    store.migrate()
    asyncio.run(store.asave_profile("alice", {"goal": "x"}))
    assert store.load_profile("alice")["goal"] == "x"


def test_building_a_store_touches_no_database(tmp_path):
    path = tmp_path / "untouched.db"
    store = Store(f"sqlite:///{path}")
    assert not path.exists()  # no connection, no migration: `python -m bot migrate` does that
    store.close()


def test_a_file_database_reuses_its_connections(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'pooled.db'}")
    store.migrate()
    opened = []
    event.listen(store.engine, "connect", lambda connection, record: opened.append(connection))
    for n in range(5):
        store.save_profile("alice", {"goal": f"goal {n}"})
        store.load_profile("alice")
    assert len(opened) <= 1
    store.close()


async def test_concurrent_writers_of_one_profile_and_one_state_key_all_succeed(store):
    await asyncio.gather(*(store.asave_profile("dora", {"goal": f"goal {n}", "industry": "retail"}) for n in range(8)),
                         *(store.asave_state("telegram:1:updates", str(n)) for n in range(8)))
    profile = store.load_profile("dora")
    assert profile["industry"] == "retail" and profile["goal"].startswith("goal ")
    assert store.load_state("telegram:1:updates") in {str(n) for n in range(8)}
    with store.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM profiles WHERE sender_id = 'dora'")).scalar() == 1


def test_an_upsert_keeps_the_creation_time_and_moves_the_update_time(store):
    store.save_profile("erin", {"goal": "x"})
    first = store.load_profile("erin")
    store.save_profile("erin", {"goal": "y"})
    second = store.load_profile("erin")
    assert second["created_at"] == first["created_at"] and second["updated_at"] >= first["updated_at"]
    assert second["goal"] == "y"


def test_every_version_is_kept_with_the_profile_and_constraints_it_was_made_under(store):
    made = {**PLAN, "profile": {"industry": "retail"}, "constraints": {}, "change": "made"}
    cheaper = {**PLAN, "step_ids": ["map_listing"], "profile": {"industry": "retail"},
               "constraints": {"max_step_cost": 100.0, "excluded": ["crm"]}, "change": "cheaper"}
    store.save_plan("gina", made)
    store.save_plan("gina", cheaper)
    history = store.plan_history("gina")
    assert [(p["version"], p["change"], p["step_ids"]) for p in history] == [
        (1, "made", PLAN["step_ids"]), (2, "cheaper", ["map_listing"])]
    assert history[1]["constraints"] == {"max_step_cost": 100.0, "excluded": ["crm"]}
    with store.engine.connect() as connection:
        row = connection.execute(text("SELECT version, change, constraints FROM plans WHERE sender_id = 'gina' "
                                      "ORDER BY version DESC")).first()
    assert (row.version, row.change) == (2, "cheaper") and '"excluded": ["crm"]' in row.constraints


def test_profile_and_plan_are_saved_together_or_not_at_all(store):
    store.save_plan("hal", PLAN, {"industry": "retail", "goal": "save_time"})
    assert store.load_profile("hal")["industry"] == "retail" and store.latest_plan("hal")["version"] == 1
    with pytest.raises(ValueError):  # a bad plan: the profile given with it is not written either
        store.save_plan("hal", {"step_ids": "crm"}, {"industry": "logistics"})
    with pytest.raises(ValueError):  # a bad profile: no plan version is added either
        store.save_plan("hal", PLAN, {"industry": 42})
    assert store.load_profile("hal")["industry"] == "retail" and store.latest_plan("hal")["version"] == 1


def test_a_failure_inside_the_transaction_leaves_neither_profile_nor_plan(store, monkeypatch):
    import bot.storage.store as module

    def fail(row):
        raise RuntimeError("disk full")

    monkeypatch.setattr(module, "_plan_dict", fail)  # fails after both writes, before the commit
    with pytest.raises(RuntimeError):
        store.save_plan("ivy", PLAN, {"industry": "retail"})
    assert store.load_profile("ivy") is None and store.latest_plan("ivy") is None


def test_plans_saved_before_versions_are_numbered_in_order(db_url):
    from alembic import command

    command.upgrade(alembic_config(db_url), "0002")
    store = Store(db_url)
    with store.engine.begin() as connection:
        for sender, level in (("old", 1), ("other", 1), ("old", 2)):
            connection.execute(text("INSERT INTO plans (sender_id, created_at, level, step_ids, payload) "
                                    "VALUES (:s, CURRENT_TIMESTAMP, :l, '[]', :p)"),
                               {"s": sender, "l": level, "p": f'{{"step_ids": [], "level": {level}}}'})
    store.migrate()
    assert [(p["version"], p["level"]) for p in store.plan_history("old")] == [(1, 1), (2, 2)]
    assert store.save_plan("old", PLAN)["version"] == 3
    store.close()


def test_a_lead_round_trip_keeps_what_was_consented_to_and_whether_the_operator_was_told(store):
    saved = store.save_lead("alice", LEAD, consent=CONSENT)
    assert saved == {**LEAD, "id": saved["id"], "sender_id": "alice", "created_at": saved["created_at"],
                     "consent": CONSENT, "notified": None}
    store.set_lead_notified(saved["id"], "off")
    second = store.save_lead("bob", {**LEAD, "contact_kind": "phone", "contact": "+442079460958"}, consent=CONSENT)
    assert [(lead["sender_id"], lead["notified"]) for lead in store.leads()] == [("alice", "off"), ("bob", None)]
    later = datetime.fromisoformat(second["created_at"]).replace(tzinfo=None) + timedelta(seconds=1)
    assert store.leads(since=later) == []
    with store.engine.connect() as connection:
        row = connection.execute(text("SELECT contact, contact_kind, channel, consent FROM leads WHERE id = :i"),
                                 {"i": second["id"]}).one()
    assert tuple(row) == ("+442079460958", "phone", "website widget", CONSENT)


def test_a_lead_without_consent_or_contact_is_refused(store):
    for lead, consent, reason in ((LEAD, "", "consent"), ({**LEAD, "contact": ""}, CONSENT, "contact"),
                                  ({**LEAD, "contact_kind": None}, CONSENT, "contact_kind"),
                                  ({**LEAD, "plan": {1, 2}}, CONSENT, "JSON"), ("x", CONSENT, "dict")):
        with pytest.raises(ValueError, match=reason):
            store.save_lead("alice", lead, consent=consent)
    assert store.leads() == []


def test_a_telegram_update_is_claimed_once_across_servers(db_url):
    first, second = Store(db_url), Store(db_url)  # two replicas, one database
    first.migrate()
    assert first.claim_update("123", 1001) is True
    assert second.claim_update("123", 1001) is False  # the other server sees it taken
    assert second.claim_update("456", 1001) is True  # another bot's update 1001 is another update
    with pytest.raises(ValueError):
        first.claim_update("123", "1002")
    first.close()
    second.close()
