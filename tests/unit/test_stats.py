"""Conversation analytics over the conversations of test_review.py, saved by Rasa.

Expected numbers, all dates (see ``conversations()`` there): 9 conversations and 39 user
messages, 3 of them fallbacks; 7 advice forms started, 2 completed with a plan, 1 stopped,
3 abandoned, 1 in progress; 3 plans (2 from the form, 1 cheaper one).
"""
from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from test_review import NOW, tracker_url  # noqa: F401 - the shared fixture

from bot import __main__ as cli
from bot.trainer.events import load_events
from bot.trainer.stats import compute_stats, render_stats, write_chart


def stats_of(url, since=None, until=None, sender_prefix=None, idle_minutes=30):
    return compute_stats(load_events(url, since, until, sender_prefix), idle_minutes=idle_minutes, now=NOW)


def test_conversations_per_day_and_channel(tracker_url):
    stats = stats_of(tracker_url)
    assert stats.conversations == 9
    assert {day: dict(counts) for day, counts in stats.per_day.items()} == {
        date(2026, 11, 20): {"rest": 1, "webchat": 1},
        date(2026, 11, 21): {"telegram": 1, "rest": 2},
        date(2026, 11, 22): {"rest": 3},  # rest-late's form ran past midnight: counted on both days
        date(2026, 11, 23): {"rest": 1},
        date(2026, 11, 25): {"rest": 1},
    }
    assert stats.channels == ["rest", "webchat", "telegram"]
    assert stats.per_channel == Counter({"rest": 8, "webchat": 1, "telegram": 1})


def test_form_completion_rate(tracker_url):
    stats = stats_of(tracker_url)
    assert (stats.forms_started, stats.forms_completed, stats.forms_stopped, stats.forms_abandoned,
            stats.forms_open) == (7, 2, 1, 3, 1)
    assert stats.completion_rate == pytest.approx(2 / 7)
    assert stats_of(tracker_url, idle_minutes=0).forms_abandoned == 4


def test_a_form_finished_after_until_counts_as_completed(tracker_url):
    stats = stats_of(tracker_url, until=date(2026, 11, 21))
    assert (stats.forms_started, stats.forms_completed, stats.forms_abandoned) == (4, 2, 1)
    assert stats.plans_produced == 2  # the late plan itself was made on the 22nd: not in this window
    assert stats.plans == Counter({"action_make_plan": 1, "action_cheaper_plan": 1})


def test_plans_produced_count_only_actions_that_sent_a_plan(tracker_url):
    stats = stats_of(tracker_url)
    assert stats.plans == Counter({"action_make_plan": 2, "action_cheaper_plan": 1})
    assert stats.plans_produced == 3 and stats.senders_with_plan == 2


def test_top_questions_and_intents(tracker_url):
    stats = stats_of(tracker_url)
    # only messages with intent faq count, although every message carries a response-selector guess
    assert stats.faq_topics == Counter({"what_is_internet_plus": 2, "what_is_digital_transformation": 1})
    assert stats.intents.most_common(4) == [("inform", 12), ("request_advice", 7), ("ask_cheaper", 4),
                                            ("greet", 3)]
    assert "faq" not in stats.intents and "nlu_fallback" not in stats.intents


def test_fallback_rate(tracker_url):
    stats = stats_of(tracker_url)
    assert (stats.fallback_messages, stats.user_messages) == (3, 39)
    assert stats.fallback_rate == pytest.approx(3 / 39)
    web = stats_of(tracker_url, sender_prefix="web-")
    assert (web.fallback_messages, web.user_messages, web.conversations) == (2, 4, 1)


def test_date_window(tracker_url):
    stats = stats_of(tracker_url, since=date(2026, 11, 20), until=date(2026, 11, 20))
    assert (stats.conversations, stats.user_messages, stats.fallback_messages) == (2, 9, 2)
    assert (stats.forms_started, stats.forms_abandoned) == (1, 1)
    assert list(stats.per_day) == [date(2026, 11, 20)]


def test_render_stats_is_a_plain_text_table(tracker_url):
    text = render_stats(stats_of(tracker_url))
    rows = {line.split()[0]: line.split()[1:] for line in text.splitlines() if line.startswith("  2026-")}
    assert rows["2026-11-20"] == ["1", "1", "0", "2"]  # rest, webchat, telegram, total
    assert rows["2026-11-21"] == ["2", "0", "1", "3"]
    assert "  day (UTC)   rest  webchat  telegram  total" in text
    assert "completion rate: 28.6%" in text
    assert "Plans produced: 3 (for 2 conversation(s))" in text
    assert "Fallback rate: 7.7% (3 of 39 user messages)" in text
    assert "what_is_internet_plus" in text
    assert text.isascii()


def test_empty_window_renders_and_charts(tracker_url, tmp_path):
    stats = stats_of(tracker_url, since=date(2030, 1, 1))
    assert stats.conversations == 0 and stats.completion_rate is None and stats.fallback_rate is None
    assert "(no conversations)" in render_stats(stats) and "completion rate: n/a" in render_stats(stats)
    assert write_chart(stats, tmp_path / "empty.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_chart_is_a_png(tracker_url, tmp_path):
    import matplotlib

    backend = matplotlib.get_backend()
    path = write_chart(stats_of(tracker_url), tmp_path / "chart.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 5000
    assert matplotlib.get_backend() == backend  # draws on its own Agg canvas, no global switch


def test_cli_stats_prints_tables_and_writes_the_chart(tracker_url, tmp_path, capsys):
    chart = tmp_path / "out.png"
    assert cli.main(["stats", "--db", tracker_url, "--chart", str(chart)]) == 0
    out = capsys.readouterr().out
    assert "Conversations per day and channel" in out and "Top questions (FAQ topics)" in out
    assert f"Chart: {chart}" in out and chart.exists()
    assert cli.main(["stats", "--db", tracker_url, "--since", "2026-11-23", "--until", "2026-11-23"]) == 0
    assert "1 conversation(s), 1 user message(s)" in capsys.readouterr().out
