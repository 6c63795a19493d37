"""`python -m bot stats`: how many firms finished step 1 of their first plan, and how long it took."""
from bot.storage import Store
from bot.trainer.progress_stats import render_progress, step_one_progress


def plan(sender, created):
    return {"sender_id": sender, "version": 1, "created_at": f"2026-11-{created}T09:00:00+00:00"}


def checkin(sender, status, day, number=1, version=1):
    return {"sender_id": sender, "plan_version": version, "step_number": number, "status": status,
            "created_at": f"2026-11-{day}T21:00:00+00:00"}


def test_finished_step_1_counts_the_latest_answer_and_the_days_it_took():
    plans = [plan("a", "01"), plan("b", "02"), plan("c", "03"), plan("d", "04")]
    checkins = [checkin("a", "started", "03"), checkin("a", "done", "05"),  # 4.5 days after its plan
                checkin("b", "done", "12"),  # 10.5 days: the first "done" counts, not the one repeated later
                checkin("b", "done", "28"),
                checkin("c", "done", "04", number=2),  # step 2: not step 1
                checkin("c", "skipped", "05"),
                checkin("d", "done", "09", version=2),  # a later plan's step 1: not the first plan's
                checkin("ghost", "done", "09")]  # no plan (deleted): not counted
    progress = step_one_progress(plans, checkins)
    assert (progress.firms, progress.finished) == (4, 2)
    assert progress.reported["skipped"] == 1 and progress.reported["started"] == 0
    assert progress.days_to_done == [4.5, 10.5] and progress.median_days == 7.5
    text = render_progress(progress)
    assert "Finished step 1:          2 (50%)" in text
    assert "No check-in yet:          1" in text and "median 7.5, slowest 10.5" in text


def test_no_plans_yet():
    assert "No firm has a plan yet." in render_progress(step_one_progress([], []))


def test_from_a_real_store():
    store = Store("sqlite://")
    store.migrate()
    store.save_plan("a", {"step_ids": ["crm", "x"], "level": 1})
    store.save_plan("a", {"step_ids": ["x"], "level": 1})  # version 2: not a first plan
    store.save_checkin("a", {"plan_version": 1, "step_id": "crm", "step_number": 1, "status": "done"})
    progress = step_one_progress(store.first_plans(), store.checkins())
    assert (progress.firms, progress.finished) == (1, 1) and progress.days_to_done[0] < 0.01
