"""Conversations over the REST channel against the trained model and real action server."""
from __future__ import annotations

import sqlite3
import threading
import uuid

import pytest
import requests

pytestmark = pytest.mark.model


def new_sender() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"


def texts(messages: list[dict]) -> list[str]:
    return [m.get("text", "") for m in messages]


def test_greeting_says_what_it_does_with_buttons(assistant, responses):
    reply = assistant.say(new_sender(), "hello there")
    assert texts(reply)[0] in responses["utter_greet"]
    assert [b["payload"] for b in reply[0]["buttons"]][-1] == "/request_advice"


@pytest.mark.parametrize(
    "question, topic",
    [
        ("so what exactly is this internet plus thing", "what_is_internet_plus"),
        ("explain digital transformation in simple words", "what_is_digital_transformation"),
        ("How do Internet+ and digital transformation differ?", "difference"),
        ("How are Internet+ and digital transformation related?", "relationship"),
        ("we already have computers and an ERP, aren't we digital already?", "informatization_vs_digitalization"),
        ("why did so many internet+ projects fail", "why_internet_plus_faded"),
        ("is this a luxury for a tiny business like mine", "luxury_for_small_firms"),
        ("why should we do this now and not in five years", "why_act_now"),
        ("which technologies are involved", "technologies"),
        ("what does small fast light precise mean", "small_fast_light_precise"),
    ],
)
def test_each_topic_is_answered(assistant, responses, question, topic):
    assert texts(assistant.say(new_sender(), question))[0] in responses[f"utter_faq/{topic}"]


def test_tell_me_more_goes_deeper_then_says_it_is_done(assistant, responses):
    sender = new_sender()
    assert texts(assistant.say(sender, "what is internet plus?"))[0] in responses["utter_faq/what_is_internet_plus"]
    assert texts(assistant.say(sender, "tell me more"))[0] in responses["utter_faq/what_is_internet_plus_more_1"]
    assert texts(assistant.say(sender, "/tell_me_more"))[0] in responses["utter_faq/what_is_internet_plus_more_2"]
    assert texts(assistant.say(sender, "go on"))[0] in responses["utter_more_at_deepest"]


def test_tell_me_more_before_any_topic_asks_what_to_explain(assistant, responses):
    assert texts(assistant.say(new_sender(), "tell me more"))[0] in responses["utter_more_without_topic"]


def test_start_over_forgets_the_topic(assistant, responses):
    sender = new_sender()
    assistant.say(sender, "what is digital transformation")
    assert texts(assistant.say(sender, "/start_over"))[0] in responses["utter_fresh_start"]
    assert texts(assistant.say(sender, "tell me more"))[0] in responses["utter_more_without_topic"]


def test_out_of_scope_says_what_it_can_do(assistant, responses):
    assert texts(assistant.say(new_sender(), "what's the weather like in paris tomorrow"))[0] in responses["utter_out_of_scope"]


@pytest.mark.parametrize(
    "message, response",
    [
        ("", "utter_input_empty"),
        ("   ", "utter_input_empty"),
        ("word " * 500, "utter_input_too_long"),
        ("😀🎉👍", "utter_input_symbols_only"),
        ("デジタルトランスフォーメーションとは何ですか", "utter_input_other_language"),
        ("¿Qué es la transformación digital para una empresa pequeña?", "utter_input_other_language"),
        ("/no_such_button", "utter_input_unknown_command"),
        ("<img src=x onerror=alert(1)>", "utter_input_code_or_markup"),
        ("'; DROP TABLE events; --", "utter_input_code_or_markup"),
    ],
)
def test_bad_input_gets_a_clear_reply(assistant, responses, message, response):
    assert texts(assistant.say(new_sender(), message))[0] in responses[response]


@pytest.mark.parametrize("message", ["zxcvbnm qwertyu", "asdf jkl qwer"])
def test_keyboard_mash_gets_a_polite_non_answer(assistant, responses, message):
    from bot.advice.data import advice_data

    unsure = [advice_data().replies.text(key) for key in ("did_you_mean", "rephrase_please")]
    reply = texts(assistant.say(new_sender(), message))[0]
    assert reply in responses["utter_out_of_scope"] + responses["utter_default"] + unsure


def test_not_understood_three_times_gets_three_different_replies(assistant, responses):
    from bot.advice.data import advice_data

    sender = new_sender()
    replies = [assistant.say(sender, "/nlu_fallback")[0]["text"] for _ in range(4)]
    assert replies[0] == advice_data().replies.text("rephrase_please")
    assert replies[1] in responses["utter_default"]  # two in a row: the fallback gives up politely
    assert replies[2] == replies[0] and replies[3] == replies[1]  # and starts again: never three alike
    something_else = new_sender()
    assistant.say(something_else, "/nlu_fallback")
    assert assistant.say(something_else, "/out_of_scope")[0]["text"] in responses["utter_ask_rephrase"]
    after = assistant.say(sender, "what is internet plus?")[0]["text"]
    assert after in responses["utter_faq/what_is_internet_plus"]  # and the conversation goes on


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[1, 2, 3]",
        b'{"sender": "x"}',
        b'{"sender": "x", "message": 42}',
        b'{"message": "hi"}',
        b'{"sender": "", "message": "hi"}',
        b'{"sender": "x", "message": "hi", "metadata": "nope"}',
        b"\xff\xfe\x00binary",
    ],
)
def test_malformed_requests_get_400(assistant, body):
    reply = requests.post(assistant.webhook, data=body, headers={"Content-Type": "application/json"}, timeout=30)
    assert reply.status_code == 400, reply.text


def test_huge_message_is_answered_without_being_stored_or_parsed(assistant, responses):
    sender = new_sender()
    assert texts(assistant.say(sender, "x" * 2_000_000))[0] in responses["utter_input_too_long"]
    with sqlite3.connect(assistant.db_path) as db:
        stored = db.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user'", (sender,)
        ).fetchall()
    assert stored and all(len(row[0]) < 2000 for row in stored)


def test_other_users_are_answered_while_a_huge_message_is_in_flight(assistant, responses):
    """Both conversations get their proper answers when they overlap.

    The speed itself is measured by scripts/bench_huge_message.py, not asserted here.
    """
    results = {}

    def huge():
        results["huge"] = texts(assistant.say(new_sender(), "y" * 2_000_000))

    thread = threading.Thread(target=huge)
    thread.start()
    results["hi"] = texts(assistant.say(new_sender(), "hi"))
    thread.join(timeout=120)
    assert results["huge"][0] in responses["utter_input_too_long"]
    assert results["hi"][0] in responses["utter_greet"]
