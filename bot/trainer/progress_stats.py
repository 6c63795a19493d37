"""Progress of firms after their first plan, from the app database (plans and check-ins):

* **Firms with a plan**: senders with a version 1 plan (deleted conversations are gone from both).
* **Step 1 of the first plan**: the latest status reported for it (done, started, not yet, skipped),
  and for the firms that finished it, how long after the first plan they said so (median and
  slowest, in days).

Pure: the rows in, numbers and text out. `python -m bot stats` prints it after the usage numbers.
"""
from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterable, Mapping, Optional

from bot.names import Progress


@dataclass
class StepOneProgress:
    firms: int = 0  # with a first plan
    reported: Counter = field(default_factory=Counter)  # latest status of step 1 -> firms
    days_to_done: list[float] = field(default_factory=list)  # one per firm that finished step 1

    @property
    def finished(self) -> int:
        return self.reported[Progress.DONE]

    @property
    def median_days(self) -> Optional[float]:
        return statistics.median(self.days_to_done) if self.days_to_done else None


def step_one_progress(first_plans: Iterable[Mapping], checkins: Iterable[Mapping]) -> StepOneProgress:
    """`first_plans`: each sender's version 1 plan (Store.first_plans); `checkins`: Store.checkins()."""
    started = {plan["sender_id"]: _time(plan["created_at"]) for plan in first_plans if plan.get("sender_id")}
    latest: dict[str, Mapping] = {}
    first_done: dict[str, Mapping] = {}
    for checkin in checkins:  # oldest first: the last answer about step 1 of plan 1 is its status
        if checkin.get("plan_version") == 1 and checkin.get("step_number") == 1 and checkin["sender_id"] in started:
            latest[checkin["sender_id"]] = checkin
            if checkin["status"] == Progress.DONE:
                first_done.setdefault(checkin["sender_id"], checkin)  # it took until the first "done"
    result = StepOneProgress(firms=len(started))
    for sender, checkin in latest.items():
        result.reported[checkin["status"]] += 1
        if checkin["status"] == Progress.DONE:
            done = first_done[sender]
            result.days_to_done.append((_time(done["created_at"]) - started[sender]).total_seconds() / 86400)
    return result


def render_progress(progress: StepOneProgress) -> str:
    if not progress.firms:
        return "Progress after the first plan\n  No firm has a plan yet.\n"
    lines = ["Progress after the first plan",
             f"  Firms with a plan:        {progress.firms}",
             f"  Finished step 1:          {progress.finished} ({100 * progress.finished / progress.firms:.0f}%)"]
    for status, label in ((Progress.STARTED, "Started step 1"), (Progress.NOT_STARTED, "Not yet started"),
                          (Progress.SKIPPED, "Skipped step 1")):
        lines.append(f"  {label + ':':<26}{progress.reported[status]}")
    lines.append(f"  {'No check-in yet:':<26}{progress.firms - sum(progress.reported.values())}")
    if progress.days_to_done:
        lines.append(f"  Days to finish step 1:    median {progress.median_days:.1f}, "
                     f"slowest {max(progress.days_to_done):.1f}")
    return "\n".join(lines) + "\n"


def _time(value: str) -> datetime:
    return datetime.fromisoformat(value)
