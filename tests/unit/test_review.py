"""Conversation review over an events table written by Rasa's own SQLTrackerStore.

The conversations below are built from Rasa events (the same parse data, slots, form and restart
events a real run writes) and saved with ``SQLTrackerStore.save``, so the rows have exactly the
columns and JSON Rasa 3.6 stores. SQLite always; PostgreSQL too when TEST_POSTGRES_URL is set.
``test_stats.py`` reuses this module's conversations.
"""
from __future__ import annotations

import asyncio
import json
import sqlite3
import uuid
from datetime import date, datetime, timezone

import pytest
import yaml
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (ActionExecuted, ActiveLoop, BotUttered, DefinePrevUserUtteredFeaturization,
                                     Restarted, SessionStarted, SlotSet, UserUttered)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

from bot import __main__ as cli
from bot.trainer.events import ReviewError, TrackerEvents, load_events
from bot.trainer.nlu_stub import to_nlu_stub
from bot.trainer.review import REVIEW_PHRASES_PATH, is_correction, load_phrases, review_events, run_review
from bot.paths import REPO_ROOT


def at(day: int, hour: int = 9, minute: int = 0, second: int = 0) -> float:
    """A Unix time in November 2026, UTC."""
    return datetime(2026, 11, day, hour, minute, second, tzinfo=timezone.utc).timestamp()


NOW = at(25)  # "now" for the idle rule: days after the conversations, except the recent one
PLAN = ["map_listing", "online_payments", "online_booking"]


class Chat:
    """One sender's conversation as the events Rasa writes, with a clock."""

    def __init__(self, sender: str, start: float, channel: str = "rest") -> None:
        self.sender, self.t, self.channel = sender, start, channel
        self.events: list = []
        self.act("action_session_start", policy=None)
        self._add(SessionStarted)
        self.act("action_listen", policy=None)

    def _add(self, make, *args, **kwargs):
        self.t += 0.01
        self.events.append(make(*args, timestamp=self.t, **kwargs))

    def act(self, name: str, *after, policy: str | None = "RulePolicy") -> "Chat":
        self._add(ActionExecuted, name, policy=policy, confidence=1.0)
        for make, *args in after:
            self._add(make, *args)
        return self

    def bot(self, text: str = "...") -> "Chat":
        self._add(BotUttered, text, {"buttons": None})
        return self

    def user(self, text: str, intent: str, confidence: float = 0.99, entities=(), topic: str = "why_act_now",
             wait: float = 5.0) -> "Chat":
        self.t += wait
        message_id = uuid.uuid4().hex
        ranking = [{"name": intent, "confidence": confidence}, {"name": "out_of_scope", "confidence": 0.01}]
        selector = {"all_retrieval_intents": ["faq"], "faq": {
            "response": {"responses": [{"text": "An answer."}], "confidence": 0.8,
                         "intent_response_key": f"faq/{topic}", "utter_action": f"utter_faq/{topic}"},
            "ranking": [{"confidence": 0.8, "intent_response_key": f"faq/{topic}"}]}}
        parse = {"intent": {"name": intent, "confidence": confidence}, "entities": list(entities), "text": text,
                 "message_id": message_id, "metadata": {}, "intent_ranking": ranking, "response_selector": selector}
        self._add(UserUttered, text, parse["intent"], list(entities), parse, input_channel=self.channel,
                  message_id=message_id)
        self._add(DefinePrevUserUtteredFeaturization, False)
        return self

    # ------------------------------------------------------------------ turns
    def reply(self, action: str) -> "Chat":
        return self.act(action).bot().act("action_listen")

    def faq(self, text: str, topic: str, confidence: float = 0.97) -> "Chat":
        return self.user(text, "faq", confidence, topic=topic).reply("utter_faq")

    def fallback(self, text: str, problem: str | None = None) -> "Chat":
        entities = [{"entity": "input_problem", "value": problem, "start": 0, "end": len(text)}] if problem else []
        self.user(text, "nlu_fallback", 0.55, entities)
        self.act("action_check_input", (SlotSet, "input_problem", problem))
        return self.reply(f"utter_input_{problem}" if problem else "utter_default")

    def start_form(self, text: str = "what should my hair salon do first?", confidence: float = 0.99) -> "Chat":
        self.user(text, "request_advice", confidence).act("action_advice_intro").bot()
        self.act("firm_profile_form", (ActiveLoop, "firm_profile_form"), (SlotSet, "requested_slot", "industry"))
        return self.bot().act("action_listen")

    def answer(self, text: str, slot: str, value, next_slot: str, wait: float = 5.0) -> "Chat":
        self.user(text, "inform", 1.0, wait=wait)
        self.act("firm_profile_form", (SlotSet, slot, value), (SlotSet, "requested_slot", next_slot))
        return self.bot().act("action_listen")

    def confirm(self, wait: float = 5.0) -> "Chat":
        self.user("yes", "affirm", wait=wait)
        self.act("firm_profile_form", (SlotSet, "profile_confirmed", True), (SlotSet, "requested_slot", None),
                 (ActiveLoop, None))
        self.act("action_make_plan").bot().bot()
        self._add(SlotSet, "plan", {"step_ids": PLAN, "version": 1})
        return self.act("action_listen")

    def whole_form(self) -> "Chat":
        self.start_form()
        self.answer("just me", "head_count", {"low": 1, "high": 1}, "budget")
        self.answer("about 100 euros a month", "budget", {"amount": 100.0, "currency": "EUR"}, "tools")
        self.answer("instagram and paper", "tools", ["paper", "social_media"], "goal")
        self.answer("more customers", "goal", "more_customers", "profile_confirmed")
        return self.confirm()

    def stop(self) -> "Chat":
        self.user("stop", "stop")
        self.act("action_stop_form").bot()
        self._add(ActiveLoop, None)
        return self.act("action_listen")

    def start_over(self) -> "Chat":
        self.user("start over", "start_over").act("utter_fresh_start").bot()
        self.act("action_restart", (Restarted,))
        return self.act("action_listen")

    def cheaper(self, sends_plan: bool = True) -> "Chat":
        self.user("something cheaper", "ask_cheaper").act("action_cheaper_plan").bot()
        if sends_plan:  # as conversations stored before plan records had it
            self._add(SlotSet, "plan_steps", PLAN[:2] + ["email_newsletter"])
            self._add(SlotSet, "excluded_steps", ["online_booking"])
        return self.act("action_listen")

    def show_plan(self) -> "Chat":
        self.user("show my plan again", "show_plan").act("action_show_plan").bot()
        self._add(SlotSet, "plan", {"step_ids": PLAN, "version": 1})
        return self.act("action_listen")


def conversations() -> list[Chat]:
    """Nine conversations over 20-25 November 2026 (see the expected counts in the tests)."""
    faq = Chat("rest-faq", at(20, 9))
    faq.user("hi", "greet").reply("utter_greet")
    faq.faq("what is internet plus?", "what_is_internet_plus")
    faq.user("That\u2019s NOT what I asked!", "out_of_scope", 0.72).reply("utter_out_of_scope")
    faq.faq("what is digital transformation", "what_is_digital_transformation")
    faq.faq("tell me about internet plus", "what_is_internet_plus", confidence=0.5)  # low confidence

    web = Chat("web-visitor1", at(20, 10), channel="webchat")
    web.fallback("\U0001F44D\U0001F44D", "symbols_only")
    web.fallback("wie geht es dir", "other_language")
    web.user("how much does it cost", "ask_cheaper", 0.41).reply("utter_no_plan_yet")  # low confidence
    web.start_form("can u help my biz", confidence=0.45)  # low confidence; then silence: abandoned

    telegram = Chat("tg-777", at(21, 8), channel="telegram")
    telegram.whole_form()
    telegram.cheaper()
    telegram.show_plan()  # shows the plan again: not a new plan
    telegram.user("How much does it cost", "ask_cheaper", 0.41)  # low confidence; same text as web's
    telegram.cheaper(sends_plan=False)  # nothing cheaper: no plan

    stopped = Chat("rest-stop", at(21, 12))
    stopped.start_form().answer("a bakery", "industry", "food", "head_count").stop()

    late = Chat("rest-late", at(21, 23, 59, 0))  # the form starts on the 21st and ends on the 22nd
    late.start_form()
    late.answer("just me", "head_count", {"low": 1, "high": 1}, "budget", wait=120)  # after midnight
    late.answer("no budget", "budget", {"kind": "none"}, "tools")
    late.answer("paper", "tools", ["paper"], "goal")
    late.answer("save time", "goal", "save_time", "profile_confirmed")
    late.confirm()

    restarted = Chat("rest-restart", at(22, 9))
    restarted.start_form().answer("a bakery", "industry", "food", "head_count")
    restarted.start_over()
    restarted.user("hi", "greet").reply("utter_greet")

    odd = Chat("rest-odd", at(22, 15))
    odd.user("that's not what i meant", "deny", 0.9).reply("utter_default")  # a correction with nothing before
    odd.fallback("/bogus", "unknown_command")
    odd.user("[hello](greet) there", "greet", 0.3).reply("utter_greet")  # low; Rasa would read an entity
    odd.user("line one\nline two", "inform", 0.2).reply("utter_default")  # low
    odd.user("No, I meant the price", "inform", 0.8).reply("utter_default")  # corrects "line one line two"

    recent = Chat("rest-recent", NOW - 600)  # started 10 minutes before "now": still in progress
    recent.start_form()

    vanished = Chat("rest-gone", at(23, 11))  # a form started and left before the first answer
    vanished.start_form()
    return [faq, web, telegram, stopped, late, restarted, odd, recent, vanished]


DOMAIN = Domain.load(str(REPO_ROOT / "domain.yml"))


def save(store: SQLTrackerStore, chats: list[Chat]) -> None:
    async def save_all():
        for chat in chats:
            await store.save(DialogueStateTracker.from_events(chat.sender, chat.events, slots=DOMAIN.slots))

    asyncio.run(save_all())


@pytest.fixture(params=["sqlite", "postgresql"])
def tracker_url(request, tmp_path):
    """A tracker store holding ``conversations()``, written by Rasa's SQLTrackerStore; its URL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'tracker.db'}"
        store = SQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "tracker.db"))
    else:
        url = request.getfixturevalue("pg_schema_url")
        store = SQLTrackerStore(domain=DOMAIN, host=url)
    save(store, conversations())
    store.engine.dispose()
    return url


@pytest.fixture
def sqlite_url(tmp_path):
    store = SQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "tracker.db"))
    save(store, conversations())
    store.engine.dispose()
    return f"sqlite:///{tmp_path / 'tracker.db'}"


def texts(findings):
    return [f.message.text if f.message else None for f in findings]


# ------------------------------------------------------------------------------ the data


def test_the_table_is_what_rasa_writes(sqlite_url):
    path = sqlite_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        columns = [row[1] for row in db.execute("PRAGMA table_info(events)")]
        loop = db.execute("SELECT action_name, data FROM events WHERE type_name = 'active_loop' LIMIT 1").fetchone()
        user = db.execute("SELECT intent_name, data FROM events WHERE type_name = 'user' LIMIT 1").fetchone()
    assert columns == ["id", "sender_id", "type_name", "timestamp", "intent_name", "action_name", "data"]
    assert loop[0] == "firm_profile_form" and json.loads(loop[1])["name"] == "firm_profile_form"
    assert user[0] == "greet" and json.loads(user[1])["input_channel"] == "rest"


# ------------------------------------------------------------------------------ categories


def test_every_category_is_found_and_counted(tracker_url):
    review = run_review(tracker_url, now=NOW)
    assert review.counts() == {"fallback": 3, "low_confidence": 6, "abandoned_form": 3, "correction": 3}
    assert review.conversations == 9
    assert review.forms_in_progress == 1  # rest-recent: 10 minutes old


def test_fallback_messages_carry_the_input_problem(tracker_url):
    review = run_review(tracker_url, now=NOW)
    found = {(f.message.text, f.detail, f.message.channel) for f in review.fallback}
    assert found == {("\U0001F44D\U0001F44D", "symbols_only", "webchat"),
                     ("wie geht es dir", "other_language", "webchat"),
                     ("/bogus", "unknown_command", "rest")}
    assert all(f.message.intent == "nlu_fallback" for f in review.fallback)


def test_low_confidence_excludes_the_fallback_and_honours_the_threshold(tracker_url):
    review = run_review(tracker_url, now=NOW)
    assert sorted(texts(review.low_confidence)) == sorted([
        "tell me about internet plus", "how much does it cost", "can u help my biz", "How much does it cost",
        "[hello](greet) there", "line one\nline two"])
    first = review.low_confidence[0]
    assert (first.message.intent, first.message.confidence, first.message.channel) == ("faq", 0.5, "rest")
    assert first.message.faq_topic == "what_is_internet_plus"
    assert first.message.when == datetime.fromtimestamp(first.message.timestamp, timezone.utc)
    stricter = run_review(tracker_url, threshold=0.42, now=NOW)
    assert sorted(texts(stricter.low_confidence)) == ["How much does it cost", "[hello](greet) there",
                                                      "how much does it cost", "line one\nline two"]


def test_abandoned_forms_silence_restart_and_the_idle_rule(tracker_url):
    review = run_review(tracker_url, now=NOW)
    abandoned = {(f.message.text, f.detail) for f in review.abandoned_form}
    assert abandoned == {
        ("can u help my biz", "left at: industry; no reply"),
        ("start over", "left at: head_count; conversation restarted"),  # the last thing said in the form
        ("what should my hair salon do first?", "left at: industry; no reply"),
    }
    # Finished (tg-777, rest-late) and stopped (rest-stop) forms are not abandoned; the recent one is
    # only after its idle time, or at once with idle_minutes=0 ("the end of the data is the end").
    assert run_review(tracker_url, now=NOW + 3600).counts()["abandoned_form"] == 4
    assert run_review(tracker_url, idle_minutes=0, now=NOW).counts()["abandoned_form"] == 4
    assert run_review(tracker_url, idle_minutes=0, now=NOW).forms_in_progress == 0


def test_corrections_report_the_misunderstood_message_before_them(tracker_url):
    review = run_review(tracker_url, now=NOW)
    pairs = [(f.previous.text if f.previous else None, f.message.text) for f in review.correction]
    assert pairs == [
        ("what is internet plus?", "That\u2019s NOT what I asked!"),
        (None, "that's not what i meant"),
        ("line one\nline two", "No, I meant the price"),
    ]


def test_correction_phrases_come_from_the_data_file():
    phrases = load_phrases()
    assert REVIEW_PHRASES_PATH == REPO_ROOT / "data" / "review_phrases.yml"
    assert "thats not what i asked" in phrases and "wrong answer" in phrases
    assert is_correction("Thats NOT what I asked...", phrases)
    assert is_correction("hmm, you didn\u2019t understand me", phrases)
    assert not is_correction("what is the answer", phrases)
    assert not is_correction("a wrong answers list", ["wrong answer"])  # whole words only


@pytest.mark.parametrize("text", ["你理解错了吧", "不对不对，我的意思是第二步", "你 理解 错了！", "这答非所问啊",
                                  "我问的不是这个，是价格"])
def test_a_chinese_correction_phrase_matches_anywhere_in_the_message(text):
    # Chinese writes no spaces between words: a phrase is found inside a longer run of characters
    assert is_correction(text, load_phrases())


@pytest.mark.parametrize("text", ["你好", "我们是开餐厅的", "没问题，谢谢"])
def test_ordinary_chinese_messages_are_no_correction(text):
    assert not is_correction(text, load_phrases())


def test_english_phrases_still_need_whole_words_next_to_chinese_ones():
    assert not is_correction("a wrong answers list", ["wrong answer", "答非所问"])
    assert is_correction("wrong answer 答非所问", ["wrong answer", "答非所问"])


def test_a_malformed_phrase_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "phrases.yml"
    bad.write_text("correction_phrases: that's not what i asked\n")
    with pytest.raises(ReviewError, match="correction_phrases"):
        load_phrases(bad)


# ------------------------------------------------------------------------------ filters


def test_date_filters_are_utc_days_both_included(tracker_url):
    day = date(2026, 11, 20)
    first = run_review(tracker_url, since=day, until=day, now=NOW)
    assert first.counts() == {"fallback": 2, "low_confidence": 3, "abandoned_form": 1, "correction": 1}
    assert first.conversations == 2
    later = run_review(tracker_url, since=date(2026, 11, 22), now=NOW)
    assert later.counts() == {"fallback": 1, "low_confidence": 2, "abandoned_form": 2, "correction": 2}
    # rest-late answers on the 22nd, so it is a conversation of that window; its form started on the 21st
    assert {m.sender_id for m in load_events(tracker_url, since=date(2026, 11, 22)).messages()} >= {"rest-late"}


def test_a_form_is_followed_past_until_before_it_is_called_abandoned(tracker_url):
    log = load_events(tracker_url, until=date(2026, 11, 21))
    assert {e.sender_id for e in log.later} == {"rest-late"}  # the only form still open at midnight
    assert all(e.timestamp >= at(22, 0) for e in log.later)
    review = review_events(log, now=NOW)
    assert texts(review.abandoned_form) == ["can u help my biz"]  # rest-late finished after midnight
    assert max(m.timestamp for m in log.messages()) < at(22, 0)  # but its later messages are not reviewed


def test_sender_prefix_filter_escapes_wildcards(tracker_url):
    assert run_review(tracker_url, sender_prefix="web-", now=NOW).counts() == {
        "fallback": 2, "low_confidence": 2, "abandoned_form": 1, "correction": 0}
    assert run_review(tracker_url, sender_prefix="rest_", now=NOW).conversations == 0  # "_" is not a wildcard
    assert run_review(tracker_url, sender_prefix="rest-", now=NOW).conversations == 7


# ------------------------------------------------------------------------------ export


def test_stub_is_rasa_nlu_yaml_with_deduplicated_texts_only(tracker_url):
    review = run_review(tracker_url, now=NOW)
    stub = to_nlu_stub(review.findings())
    doc = yaml.safe_load(stub)
    assert doc["version"] == "3.1" and doc["nlu"][0]["intent"] == "TODO_label_me"
    data = RasaYAMLReader().reads(stub)
    examples = [m.get("text") for m in data.intent_examples]
    assert examples == [
        "\U0001F44D\U0001F44D", "wie geht es dir",  # fallback; "/bogus" is a command, not language
        "tell me about internet plus", "how much does it cost", "can u help my biz",  # low confidence
        "line one line two",  # one line; "How much does it cost" was a duplicate
        "what is internet plus?",  # misunderstood before "that's not what I asked"
    ]
    assert {m.get("intent") for m in data.intent_examples} == {"TODO_label_me"}
    assert not data.entity_examples
    # the bracketed text would become an entity annotation: it is listed in a comment to fix by hand
    assert "#   - [hello](greet) there" in stub.splitlines()
    for personal in ("rest-faq", "web-visitor1", "tg-777", "2026", "webchat", "telegram"):
        assert personal not in stub
    assert stub.startswith("# Messages the assistant did not understand")


def test_stub_without_anything_to_label_is_still_valid():
    stub = to_nlu_stub([])
    assert yaml.safe_load(stub) == {"version": "3.1", "nlu": []}
    assert RasaYAMLReader().reads(stub).is_empty()


def test_stub_takes_plain_texts_and_drops_unprintable_characters():
    stub = to_nlu_stub(["hello\x00 there\tfriend", "HELLO there friend", "", "x" * 2001])
    assert RasaYAMLReader().reads(stub).intent_examples[0].get("text") == "hello there friend"
    assert len(yaml.safe_load(stub)["nlu"][0]["examples"].splitlines()) == 1


# ------------------------------------------------------------------------------ errors and CLI


def test_missing_database_or_table_is_a_clear_error(tmp_path):
    with pytest.raises(ReviewError, match="No tracker database"):
        TrackerEvents(f"sqlite:///{tmp_path / 'missing.db'}")
    assert not (tmp_path / "missing.db").exists()  # not created by looking
    sqlite3.connect(tmp_path / "other.db").execute("CREATE TABLE profiles (id INTEGER)")
    with pytest.raises(ReviewError, match="no `events` table"):
        TrackerEvents(f"sqlite:///{tmp_path / 'other.db'}")
    with pytest.raises(ReviewError, match="not a database URL"):
        TrackerEvents("dx_advisor.db")


@pytest.mark.parametrize("command", ["review", "stats"])
def test_cli_errors_have_no_stack_trace(tmp_path, capsys, command):
    assert cli.main([command, "--db", f"sqlite:///{tmp_path / 'missing.db'}"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("ERROR No tracker database") and "Traceback" not in err
    assert cli.main([command, "--db", f"sqlite:///{tmp_path / 'x.db'}", "--since", "2026-11-30",
                     "--until", "2026-11-01"]) == 1
    assert "is after" in capsys.readouterr().err


def test_cli_review_prints_the_report_and_exports_the_stub(sqlite_url, tmp_path, capsys):
    stub = tmp_path / "stub.yml"
    assert cli.main(["review", "--db", sqlite_url, "--idle-minutes", "0", "--export", str(stub)]) == 0
    out = capsys.readouterr().out
    assert "Fallback (not understood): 3" in out and "Corrections (\"that's not what I asked\"): 3" in out
    assert "symbols_only" in out and "webchat" in out and "tg-777" not in out
    assert "Wrote 7 example(s) to label" in out
    assert len(RasaYAMLReader().read(str(stub)).intent_examples) == 7
    assert cli.main(["review", "--db", sqlite_url, "--since", "2026-11-23", "--until", "2026-11-23",
                     "--idle-minutes", "0"]) == 0
    assert "1 conversation(s), 1 user message(s)" in capsys.readouterr().out


def test_a_faq_row_shows_the_intent_score_and_the_topic_score_that_decided():
    from bot.trainer.events import Message
    from bot.trainer.review import _row

    message = Message("what is the cloud", "faq", 0.98, 0.0, "rest", "s1", faq_topic="technologies",
                      topic_confidence=0.26)
    row = _row(message, 20)
    assert "faq/technologies" in row and "0.98   0.26" in row
    assert "0.26" not in _row(Message("hi", "greet", 0.99, 0.0, "rest", "s1"), 20)
