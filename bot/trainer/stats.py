"""Analytics over the tracker store: how much the assistant is used and how well it does.

    stats = compute_stats(load_events("sqlite:///dx_advisor.db", since=date(2026, 11, 1)))
    print(render_stats(stats))
    write_chart(stats, Path("conversations.png"))

What is counted (the window and sender filter are those of ``bot.trainer.events.load_events``;
days are UTC):

* **Conversations per day and channel**: a conversation is a sender who sent at least one user
  message that day; its channel is the ``input_channel`` of its first message that day. Someone
  who talks on three days counts on each of them; ``conversations`` is the distinct senders.
* **Advice form**: attempts of ``firm_profile_form`` started in the window (see ``FormAttempt``).
  Completed means ``action_make_plan`` ran after the form finished, so the completion rate is
  completed / started. Stopped, abandoned (the review's rule) and still open are shown too.
* **Plans produced**: executions of ``action_make_plan``, ``action_cheaper_plan`` and
  ``action_already_have`` that set a ``plan`` slot with steps, i.e. that actually sent a new
  plan ("something cheaper" with nothing cheaper to offer sends no plan and is not counted).
  ``action_show_plan`` only shows the current plan again and is not a new one.
* **Top questions**: for user messages with intent ``faq``, the FAQ topic the response selector
  chose (``parse_data.response_selector.faq.response.intent_response_key``); and, separately, the
  other intents (without ``faq`` and ``nlu_fallback``).
* **Fallback rate**: user messages with intent ``nlu_fallback`` / all user messages.
"""
from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Optional

from bot.names import LEGACY_PLAN_STEPS_SLOT, NEW_PLAN_ACTIONS, Intents, Slots
from bot.trainer.events import DEFAULT_IDLE_MINUTES, EventLog, describe_window, form_attempts

KNOWN_CHANNELS = ("rest", "webchat", "telegram")


@dataclass
class Stats:
    label: str = ""
    since: Optional[date] = None
    until: Optional[date] = None
    conversations: int = 0
    per_day: dict[date, Counter] = field(default_factory=dict)  # day -> channel -> conversations
    user_messages: int = 0
    fallback_messages: int = 0
    forms_started: int = 0
    forms_completed: int = 0
    forms_stopped: int = 0
    forms_abandoned: int = 0
    forms_open: int = 0
    plans: Counter = field(default_factory=Counter)  # plan action -> plans sent
    senders_with_plan: int = 0
    faq_topics: Counter = field(default_factory=Counter)
    intents: Counter = field(default_factory=Counter)

    @property
    def channels(self) -> list[str]:
        seen = {channel for counts in self.per_day.values() for channel in counts}
        return [c for c in KNOWN_CHANNELS if c in seen] + sorted(seen - set(KNOWN_CHANNELS))

    @property
    def per_channel(self) -> Counter:
        total: Counter = Counter()
        for counts in self.per_day.values():
            total.update(counts)
        return total

    @property
    def completion_rate(self) -> Optional[float]:
        return self.forms_completed / self.forms_started if self.forms_started else None

    @property
    def fallback_rate(self) -> Optional[float]:
        return self.fallback_messages / self.user_messages if self.user_messages else None

    @property
    def plans_produced(self) -> int:
        return sum(self.plans.values())


def compute_stats(log: EventLog, idle_minutes: float = DEFAULT_IDLE_MINUTES, now: Optional[float] = None) -> Stats:
    now = time.time() if now is None else now
    stats = Stats(label=log.label, since=log.since, until=log.until)
    first_channel: dict[tuple[date, str], str] = {}
    for message in log.messages():
        stats.user_messages += 1
        first_channel.setdefault((message.when.date(), message.sender_id), message.channel)
        if message.intent == Intents.FALLBACK:
            stats.fallback_messages += 1
        elif message.intent == Intents.FAQ:
            stats.faq_topics[message.faq_topic or "(no topic)"] += 1
        elif message.intent:
            stats.intents[message.intent] += 1
    per_day: dict[date, Counter] = defaultdict(Counter)
    for (day, _sender), channel in first_channel.items():
        per_day[day][channel] += 1
    stats.per_day = dict(sorted(per_day.items()))
    stats.conversations = len({sender for _day, sender in first_channel})

    for attempt in form_attempts(log):
        stats.forms_started += 1
        if attempt.planned:
            stats.forms_completed += 1
        elif attempt.outcome == "stopped":
            stats.forms_stopped += 1
        elif attempt.abandoned(now, idle_minutes):
            stats.forms_abandoned += 1
        elif attempt.outcome == "open":
            stats.forms_open += 1

    planners = set()
    for events in log.by_sender().values():
        running = None  # the plan action whose events follow
        for event in events:
            if event.type == "action":
                running = event.name if event.name in NEW_PLAN_ACTIONS else None
            elif running and event.type == "slot" and _is_plan(event):
                stats.plans[running] += 1
                planners.add(event.sender_id)
                running = None  # one plan per execution
    stats.senders_with_plan = len(planners)
    return stats


def _is_plan(event) -> bool:
    """A plan with steps set in the conversation: the `plan` record, or the list slot used before records."""
    if event.name == Slots.PLAN:
        return isinstance(event.value, dict) and bool(event.value.get("step_ids"))
    return event.name == LEGACY_PLAN_STEPS_SLOT and bool(event.value)


# ------------------------------------------------------------------------------- rendering


def _percent(rate: Optional[float]) -> str:
    return "n/a" if rate is None else f"{rate:.1%}".replace(".0%", "%")


def _table(headers: list[str], rows: list[list[object]], align_left: int = 1) -> list[str]:
    cells = [[str(c) for c in row] for row in [headers] + rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    out = []
    for n, row in enumerate(cells):
        parts = [c.ljust(w) if i < align_left else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))]
        out.append("  " + "  ".join(parts).rstrip())
        if n == 0:
            out.append("  " + "  ".join("-" * w for w in widths))
    return out


def render_stats(stats: Stats, top: int = 10) -> str:
    """The numbers as plain-text tables."""
    lines = [f"Conversation stats of {stats.label}, {describe_window(stats.since, stats.until)}",
             f"{stats.conversations} conversation(s), {stats.user_messages} user message(s)", ""]

    lines.append("Conversations per day and channel")
    channels = stats.channels
    if stats.per_day:
        rows = [[str(day)] + [counts.get(c, 0) for c in channels] + [sum(counts.values())]
                for day, counts in stats.per_day.items()]
        totals = stats.per_channel
        rows.append(["total"] + [totals.get(c, 0) for c in channels] + [sum(totals.values())])
        lines += _table(["day (UTC)"] + channels + ["total"], rows)
        if sum(totals.values()) != stats.conversations:
            lines.append(f"  ({stats.conversations} distinct: a conversation active on several days counts on each)")
    else:
        lines.append("  (no conversations)")
    lines.append("")

    lines.append("Advice form")
    lines += _table(["", "count"], [
        ["started", stats.forms_started],
        ["completed (plan made)", stats.forms_completed],
        ["stopped by the user", stats.forms_stopped],
        ["abandoned", stats.forms_abandoned],
        ["still in progress", stats.forms_open],
    ])
    lines.append(f"  completion rate: {_percent(stats.completion_rate)}")
    lines.append("")

    lines.append(f"Plans produced: {stats.plans_produced} (for {stats.senders_with_plan} conversation(s))")
    for action in (a for a in stats.plans if stats.plans[a]):
        lines.append(f"  {action:<22} {stats.plans[action]:>5}")
    lines.append("")

    lines.append(f"Fallback rate: {_percent(stats.fallback_rate)} "
                 f"({stats.fallback_messages} of {stats.user_messages} user messages)")
    lines.append("")

    for title, counter in (("Top questions (FAQ topics)", stats.faq_topics),
                           ("Top intents (besides FAQ)", stats.intents)):
        lines.append(title)
        if counter:
            lines += _table(["", "messages"], [[name, n] for name, n in counter.most_common(top)])
        else:
            lines.append("  (none)")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def write_chart(stats: Stats, path: Path) -> Path:
    """A PNG bar chart of conversations per day, stacked by channel (matplotlib, Agg canvas)."""
    from datetime import timedelta

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    days = list(stats.per_day)
    if days:  # every day from the first to the last, so quiet days show as gaps
        days = [days[0] + timedelta(days=n) for n in range((days[-1] - days[0]).days + 1)]
    figure = Figure(figsize=(max(6.0, 0.45 * len(days) + 2), 4), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = list(range(len(days)))
    bottom = [0] * len(days)
    for channel in stats.channels:
        heights = [stats.per_day.get(day, {}).get(channel, 0) for day in days]
        axes.bar(positions, heights, width=0.7, bottom=bottom, label=channel)
        bottom = [b + h for b, h in zip(bottom, heights)]
    pad = max(0.7, (5 - len(days)) / 2)  # a few days still look like bars, not walls
    axes.set_xlim(-pad, len(days) - 1 + pad)
    axes.set_xticks(positions)
    axes.set_xticklabels([f"{d:%Y-%m-%d}" for d in days], rotation=45, ha="right")
    axes.set_ylabel("conversations")
    axes.set_title(f"Conversations per day and channel, {describe_window(stats.since, stats.until)}")
    axes.set_ylim(0, max(bottom + [1]) * 1.3)  # room for the legend above the highest bar
    axes.yaxis.get_major_locator().set_params(integer=True)
    if stats.channels:
        axes.legend()
    else:
        axes.text(0.5, 0.5, "no conversations", ha="center", va="center", transform=axes.transAxes)
    figure.tight_layout()
    path = Path(path)
    figure.savefig(path, format="png")
    return path


__all__ = ["Stats", "compute_stats", "render_stats", "write_chart"]
