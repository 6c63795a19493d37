"""The contents of a chart and of a plan document, already in the owner's language.

Built from the stored plan record (bot.report.build) and drawn by bot.report.chart and
bot.report.document. Every text here is final: the renderers add no words of their own except
what these objects carry, so both languages come from data/advice/replies.yml.
"""
from __future__ import annotations

from dataclasses import dataclass

from bot.advice.maturity import MAX_SCORE  # each dimension is scored 0-4 (noqa: F401, used by the renderers)


@dataclass(frozen=True)
class Series:
    """One profile on the chart: 'Today', 'After the plan', 'First visit' (今天, 完成方案后, 第一次来时)."""

    label: str
    scores: tuple[int, ...]  # one per dimension of the chart, 0..MAX_SCORE


@dataclass(frozen=True)
class Chart:
    title: str  # e.g. "Your digital profile" / "您的数字化画像"
    dimensions: tuple[str, ...]  # the dimensions' names, in the chart's order
    series: tuple[Series, ...]  # 1 to 3 profiles; the last is drawn on top
    language: str  # "en" or "zh": picks the font
    caption: str = ""  # a short line under the title, e.g. "0 = not yet digital, 4 = data-driven"


@dataclass(frozen=True)
class ReportStep:
    number: int
    title: str
    when: str  # "Now", "Next", "Later"
    cost: str  # already formatted, e.g. "up to $26/month"
    why: str  # the reasons, already joined
    first_action: str  # the first thing to do this week


@dataclass(frozen=True)
class DimensionRow:
    name: str
    today: int
    after: int  # after the plan


@dataclass(frozen=True)
class PlanReport:
    """A one-page plan to take away. `labels` holds the headings and column names:
    keys title, firm, level, profile, dimension, today, after, steps, cost, why, first_action, footer."""

    language: str
    labels: dict[str, str]
    firm: str  # the one-line summary of the firm
    level: str  # "L1 Starting out: paper, spreadsheets and chat apps; ..."
    made_on: str  # the date the plan was made, as words
    dimensions: tuple[DimensionRow, ...]
    steps: tuple[ReportStep, ...]
    chart_png: bytes  # the chart, drawn by bot.report.chart
