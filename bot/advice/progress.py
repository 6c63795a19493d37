"""Progress on return (the DMA's T0 and T1, for one firm): what the owner said about each step of the
plan, the next plan it leads to, and the profiles before and after.

Done steps count as owned: their tools raise the firm's dimensions and they leave the plan. Skipped
steps leave the plan too, so the recommender offers another in their place. Steps started or not yet
started stay first while they still fit. Pure: no Rasa, no I/O.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Iterable, Mapping

from bot.advice.data import AdviceData
from bot.advice.plan_record import PROGRESS, PlanRecord, firm_tools, new_record, steps_of, union
from bot.advice.recommender import Plan
from bot.names import Progress


def stored_status(said: str | None) -> str:
    """The status a check-in keeps for what the owner said: "stuck" is a step started."""
    if said == Progress.STUCK:
        return Progress.STARTED
    return said if said in Progress.STORED else Progress.NOT_STARTED


def statuses_for(record: PlanRecord, checkins: Iterable[Mapping]) -> dict[str, str]:
    """{step id: latest status} reported for the steps of this version of the plan."""
    found: dict[str, str] = {}
    for checkin in checkins:  # oldest first: a later answer replaces an earlier one
        if checkin.get("plan_version") == record.version and checkin.get("step_id") in record.step_ids:
            found[checkin["step_id"]] = checkin["status"]
    return found


def next_unreported(record: PlanRecord, statuses: Mapping[str, str], after: int = 0) -> int | None:
    """The number (1, 2, ...) of the first step after step `after` with no answer yet; None when all have one."""
    for number, step_id in enumerate(record.step_ids, start=1):
        if number > after and step_id not in statuses:
            return number
    return None


def plan_after_checkin(data: AdviceData, record: PlanRecord, statuses: Mapping[str, str]
                       ) -> tuple[Plan, PlanRecord]:
    """The next plan once the owner has said how the steps went."""
    steps = {step.id: step for step in steps_of(data, record)}
    done = [i for i in record.step_ids if statuses.get(i) == Progress.DONE]
    dropped = [i for i in record.step_ids if statuses.get(i) in (Progress.DONE, Progress.SKIPPED)]
    owned = [tool for i in done if i in steps for tool in steps[i].provides]
    kept = tuple(i for i in record.step_ids if i not in dropped)
    constraints = replace(record.constraints,
                          excluded=union(record.constraints.excluded, dropped),
                          owned_tools=union(record.constraints.owned_tools, owned), kept=kept)
    return new_record(data, record.profile, constraints, PROGRESS)


def profile_scores(data: AdviceData, record: PlanRecord, with_plan: bool = False) -> tuple[int, ...]:
    """The firm's score in each dimension by this record; `with_plan`: once its steps are done too."""
    tools = set(firm_tools(record))
    if with_plan:
        tools.update(tool for step in steps_of(data, record) for tool in step.provides)
    return tuple(data.maturity.scores(tools).values())

