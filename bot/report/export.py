"""`python -m bot export SENDER`: a firm's stored plan written as files (PDF, Markdown, chart PNG).

For an adviser or an operator at the command line, e.g. to print a plan or attach it to an email.
It reads the plan version as stored, like every follow-up: nothing is chosen again.
"""
from __future__ import annotations

from pathlib import Path

from bot.advice.data import advice_data
from bot.advice.plan_record import PlanRecord
from bot.report.build import render

FORMATS = {"pdf": "plan.pdf", "md": "plan.md", "png": "chart.png"}


class ExportError(Exception):
    """What the operator must know: no such plan, or a bad argument."""


def export_plan(store, sender_id: str, out_dir: Path, formats: list[str], language: str | None = None,
                version: int | None = None) -> list[Path]:
    """Write the sender's plan (the newest, or `version`) into `out_dir`; the paths written."""
    saved = store.plan_version(sender_id, version) if version else store.latest_plan(sender_id)
    record = PlanRecord.from_dict(saved)
    if record is None:
        which = f"version {version} of the plan" if version else "a plan"
        raise ExportError(f"no {which} is stored for sender '{sender_id}'.")
    first = record if record.version == 1 else PlanRecord.from_dict(store.plan_version(sender_id, 1))
    data = advice_data(language or record.language)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"dx-plan-{_safe(sender_id)}-v{record.version}"
    written = []
    for kind in formats:
        file = FORMATS[kind]
        path = out_dir / f"{stem}{Path(file).suffix}" if kind != "png" else out_dir / f"{stem}-chart.png"
        path.write_bytes(render(file, data, record, first, chart_url=f"{stem}-chart.png"))
        written.append(path)
    return written


def _safe(sender_id: str) -> str:
    """The sender id as a file name part: letters, digits, '-' and '_' only, at most 40 characters."""
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in sender_id)[:40] or "sender"
