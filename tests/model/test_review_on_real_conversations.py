"""Review and stats over a tracker store filled by real conversations with the trained assistant.

Four conversations over REST, all with one run's sender prefix (other tests share the database):
a FAQ question corrected with "that's not what I asked", an emoji-only message, advice questions
started and abandoned, and a whole advice flow that ends with a plan. Then `python -m bot review`
and `python -m bot stats` read the assistant's SQLite tracker store, filtered by that prefix.
"""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

from bot import __main__ as cli
from bot.trainer.events import load_events
from bot.trainer.review import review_events
from bot.trainer.stats import compute_stats

pytestmark = pytest.mark.model

EMOJI = "\U0001F44D\U0001F44D"
FAQ_QUESTION = "what is internet plus?"
CORRECTION = "that's not what I asked"
ABANDONED = ["advice for my firm", "we run a bakery"]
COMPLETED = ["what should my hair salon do first?", "just me", "about 100 euros a month", "instagram and paper",
             "more customers", "yes"]
USER_MESSAGES = 2 + 1 + len(ABANDONED) + len(COMPLETED)


@pytest.fixture(scope="module")
def held(assistant):
    """Hold the conversations; return (tracker URL, sender prefix, replies of the completed flow)."""
    prefix = f"review-{uuid.uuid4().hex[:8]}-"
    assistant.say(prefix + "faq", FAQ_QUESTION)
    assistant.say(prefix + "faq", CORRECTION)
    assistant.say(prefix + "emoji", EMOJI)
    for message in ABANDONED:
        assistant.say(prefix + "abandon", message)
    replies = [assistant.say(prefix + "plan", message) for message in COMPLETED]
    return f"sqlite:///{assistant.db_path}", prefix, replies


@pytest.fixture(scope="module")
def log(held):
    url, prefix, _ = held
    return load_events(url, sender_prefix=prefix)


def test_the_conversations_went_as_expected(held):
    plan_text = held[2][-1][0]["text"]
    assert "1. Now:" in plan_text and "3. Later:" in plan_text, plan_text


def test_review_finds_each_kind_of_problem(log):
    # idle_minutes=0: the abandoned form is seconds old, so "the end of the data" is its end
    review = review_events(log, idle_minutes=0)
    assert review.conversations == 4 and review.user_messages == USER_MESSAGES

    emoji = [f for f in review.fallback if f.message.text == EMOJI]
    assert len(emoji) == 1 and emoji[0].detail == "symbols_only" and emoji[0].message.channel == "rest"

    assert len(review.correction) == 1
    correction = review.correction[0]
    assert correction.message.text == CORRECTION and correction.previous.text == FAQ_QUESTION
    assert correction.previous.intent == "faq" and correction.previous.faq_topic == "what_is_internet_plus"
    # the correction itself may be a fallback too; nothing else the users said is
    assert len(review.fallback) == 1 + (correction.message.intent == "nlu_fallback")

    assert [f.message.text for f in review.abandoned_form] == [ABANDONED[-1]]
    assert review.abandoned_form[0].detail.endswith("no reply")

    assert all(f.message.confidence < 0.6 and f.message.intent != "nlu_fallback" for f in review.low_confidence)
    assert not {f.message.text for f in review.low_confidence} & set(COMPLETED)  # the advice answers were understood

    assert review.counts()["abandoned_form"] == 1
    assert review_events(log).counts()["abandoned_form"] == 0  # with the 30-minute idle rule: still in progress


def test_stats_count_forms_plans_questions_and_fallbacks(log):
    stats = compute_stats(log, idle_minutes=0)
    assert stats.conversations == 4
    assert [dict(c) for c in stats.per_day.values()] == [{"rest": 4}]
    assert (stats.forms_started, stats.forms_completed, stats.forms_abandoned) == (2, 1, 1)
    assert stats.completion_rate == 0.5
    assert dict(stats.plans) == {"action_make_plan": 1} and stats.senders_with_plan == 1
    assert stats.faq_topics["what_is_internet_plus"] >= 1
    assert stats.user_messages == USER_MESSAGES
    fallbacks = len(review_events(log, idle_minutes=0).fallback)
    assert stats.fallback_messages == fallbacks and stats.fallback_rate == pytest.approx(fallbacks / USER_MESSAGES)


def test_date_filters_on_real_timestamps(held, log):
    url, prefix, _ = held
    day = min(m.when for m in log.messages()).date()
    assert load_events(url, until=day - timedelta(days=1), sender_prefix=prefix).messages() == []
    assert len(load_events(url, since=day, sender_prefix=prefix).messages()) == USER_MESSAGES


def test_cli_review_exports_a_stub_and_stats_draws_a_chart(held, tmp_path, capsys):
    url, prefix, _ = held
    stub = tmp_path / "stub.yml"
    assert cli.main(["review", "--db", url, "--sender-prefix", prefix, "--idle-minutes", "0",
                     "--export", str(stub)]) == 0
    out = capsys.readouterr().out
    assert "abandoned_form       1" in out and "correction           1" in out and prefix not in out
    examples = {m.get("text") for m in RasaYAMLReader().read(str(stub)).intent_examples}
    assert {EMOJI, FAQ_QUESTION} <= examples
    assert prefix not in stub.read_text(encoding="utf-8")

    chart = tmp_path / "chart.png"
    assert cli.main(["stats", "--db", url, "--sender-prefix", prefix, "--idle-minutes", "0",
                     "--chart", str(chart)]) == 0
    out = capsys.readouterr().out
    assert "completion rate: 50%" in out and "action_make_plan           1" in out
    assert chart.read_bytes()[:4] == b"\x89PNG"
