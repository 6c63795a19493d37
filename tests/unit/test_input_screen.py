"""The input screen: which raw messages skip NLU, and why."""
import json

import pytest
from hypothesis import given, strategies as st

from bot.nlu.input_screen import MAX_MESSAGE_CHARS, InputProblem, payload_for_oversized, screen


@pytest.mark.parametrize("text", ["", "   ", "\n\t", None])
def test_empty(text):
    assert screen(text) is InputProblem.EMPTY


def test_length_limit_is_inclusive():
    assert screen("a" * MAX_MESSAGE_CHARS) is None
    assert screen("a" * (MAX_MESSAGE_CHARS + 1)) is InputProblem.TOO_LONG


@pytest.mark.parametrize("text", ["😀", "👍👍👍", "🙂 🙂", "???", "...", "♥ ★"])
def test_symbols_only(text):
    assert screen(text) is InputProblem.SYMBOLS_ONLY


@pytest.mark.parametrize(
    "text",
    [
        "デジタルトランスフォーメーションとは何ですか",
        "東京で小さな店を経営しています",  # kanji among the kana: Japanese, not Chinese
        "디지털 전환이 뭐예요",
        "Что такое цифровая трансформация",
        "¿Qué es la transformación digital?",
        "Was ist die digitale Transformation für kleine Firmen?",
        "Qu'est-ce que la transformation numérique pour une entreprise?",
        "o que é transformação digital para a minha empresa",
    ],
)
def test_other_language(text):
    assert screen(text) is InputProblem.OTHER_LANGUAGE


@pytest.mark.parametrize(
    "text",
    [
        "what is internet+",
        "wat is digtal transfrmation",  # typos must not look foreign
        "is it a luxury for a small firm like mine",
        "we are a bakery with 8 staff",
        "r u a chatbot",
        "our budget is 2万元",  # Chinese money units inside English
        "2万元",
        "what does 互联网+ mean",
        "什么是互联网+",  # Chinese is one of our two languages
        "数字化转型是什么意思",
        "我们用Excel和微信",
        "一二三",
        "hi",
        "ok",
    ],
)
def test_english_and_chinese_pass(text):
    assert screen(text) is None


@pytest.mark.parametrize(
    "text",
    ["<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "{{7*7}}", "${jndi:ldap://x}",
     "'; DROP TABLE events; --", "SELECT * FROM users", "admin' or '1'='1"],
)
def test_code_or_markup(text):
    assert screen(text) is InputProblem.CODE_OR_MARKUP


@pytest.mark.parametrize(
    "text", ["i select the best option from the list", "we sell more than 5 < 10 items", "delete from my plan step two"]
)
def test_ordinary_words_that_resemble_code_pass(text):
    assert screen(text) is None


def test_slash_commands_are_flagged_until_rasa_recognises_them():
    assert screen("/not_a_button") is InputProblem.UNKNOWN_COMMAND


def test_oversized_payload_is_a_short_intent_message():
    payload = payload_for_oversized("word " * 400_000)
    assert payload.startswith("/nlu_fallback{")
    assert json.loads(payload[len("/nlu_fallback"):]) == {"input_problem": "too_long", "language": "en"}
    assert len(payload) < 100
    assert payload_for_oversized("short") is None


@pytest.mark.parametrize("text, entities", [
    ("很长的消息" * 1000, {"input_problem": "too_long", "language": "zh"}),  # the reply comes in Chinese
    ("!" * 3000, {"input_problem": "too_long"}),  # no words: the conversation keeps its language
])
def test_an_oversized_message_keeps_its_language(text, entities):
    payload = payload_for_oversized(text)
    assert json.loads(payload[len("/nlu_fallback"):]) == entities


@given(st.text(max_size=3000))
def test_screen_never_raises_and_answers_with_a_known_value(text):
    assert screen(text) in (None, *InputProblem)
