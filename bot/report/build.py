"""From the stored plan records to what the owner takes away: the chart, the PDF and the Markdown.

`first` is the firm's first plan (version 1, the DMA's T0); when it differs from `record`, the
chart shows where the firm started beside today. Everything is read from the records as stored,
never chosen again. Pure apart from drawing: no Rasa, no I/O.
"""
from __future__ import annotations

import datetime as dt

from bot.advice.data import AdviceData
from bot.advice.plan_record import PlanRecord, plan_from_record
from bot.advice.plan_text import cost_text, date_text, reasons_text, summary
from bot.advice.progress import profile_scores
from bot.report.model import Chart, DimensionRow, PlanReport, ReportStep, Series

REPORT_LABELS = ("title", "firm", "level", "profile", "dimension", "today", "after", "steps", "cost", "why", "first_action")


def chart_for(data: AdviceData, record: PlanRecord, first: PlanRecord | None = None) -> Chart:
    """Today's profile and the one after the plan; where the firm started too, once it has moved on."""
    replies = data.replies
    today, after = profile_scores(data, record), profile_scores(data, record, with_plan=True)
    series = [Series(replies.text("chart_today"), today), Series(replies.text("chart_after"), after)]
    if first is not None and first.version != record.version:
        start = profile_scores(data, first)
        if start != today:
            series.insert(0, Series(replies.text("chart_first"), start))
    return Chart(title=replies.text("chart_title"), dimensions=tuple(d.name for d in data.maturity.dimensions),
                 series=tuple(series), language=data.language, caption=replies.text("chart_scale"))


def chart_caption(data: AdviceData, chart: Chart) -> str:
    """The short line sent with the picture."""
    return data.replies.text("chart_caption_progress" if len(chart.series) > 2 else "chart_caption")


def report_for(data: AdviceData, record: PlanRecord, first: PlanRecord | None = None) -> PlanReport:
    from bot.report.chart import draw_chart  # matplotlib: only when a file is drawn

    replies = data.replies
    plan = plan_from_record(data, record)
    today, after = profile_scores(data, record), profile_scores(data, record, with_plan=True)
    labels = {key: replies.text(f"report_{key}") for key in REPORT_LABELS}
    labels["footer"] = replies.text("report_footer", rates_date=date_text(replies, data.rates.as_of))
    steps = tuple(
        ReportStep(number=n, title=p.step.title, when=replies.text(f"slot_{p.slot}"),
                   cost=cost_text(data, p.step, record.currency, plan.head_count),
                   why=reasons_text(replies, p.reasons, join="list_comma"), first_action=p.step.first_action)
        for n, p in enumerate(plan.steps, start=1))
    return PlanReport(
        language=data.language, labels=labels, firm=summary(data, record.profile),
        level=plan.level.one_line(replies), made_on=replies.text("report_made_on", date=_made_on(data, record)),
        dimensions=tuple(DimensionRow(d.name, t, a) for d, t, a in zip(data.maturity.dimensions, today, after)),
        steps=steps, chart_png=draw_chart(chart_for(data, record, first)),
    )


def render(file: str, data: AdviceData, record: PlanRecord, first: PlanRecord | None = None,
           chart_url: str = "chart.png") -> bytes:
    """The bytes of one report file (bot.report.links.FILES) for this record; the Markdown shows the
    chart from `chart_url`."""
    from bot.report import chart, document

    if file == "chart.png":
        return chart.draw_chart(chart_for(data, record, first))
    if file == "plan.pdf":
        return document.to_pdf(report_for(data, record, first))
    if file == "plan.md":
        return document.to_markdown(report_for(data, record, first), chart_url).encode("utf-8")
    raise ValueError(f"unknown report file {file!r}")


def _made_on(data: AdviceData, record: PlanRecord) -> str:
    try:
        day = dt.datetime.fromisoformat(record.created_at).date() if record.created_at else dt.date.today()
    except ValueError:
        day = dt.date.today()
    return date_text(data.replies, day)
