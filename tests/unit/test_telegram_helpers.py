"""The Telegram channel's pure logic: HTML formatting, splitting, commands, groups, duplicate updates, languages."""
import asyncio
import re
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.channels import texts
from bot.channels.telegram.commands import (COMMANDS, MENU_LANGUAGES, addressed_text, chat_for_sender, command_menu,
                                            command_payload, sender_for_chat)
from bot.channels.telegram.formatting import MAX_TEXT, callback_data, split_html, to_html, utf16_len, visible_text
from bot.channels.telegram.language import EXPIRED, TEXT_ONLY, chat_language, message_metadata, notice
from bot.channels.telegram.updates import ChatLocks, UpdateLog
from bot.nlu.language import CHINESE, ENGLISH, LANGUAGES, has_han

NOW = datetime(2025, 3, 1, 12, 0)


# --- formatting ------------------------------------------------------------------------------

def test_bold_becomes_b_and_markup_is_escaped_first():
    assert to_html("*Internet+* is <new> & *big*") == "<b>Internet+</b> is &lt;new&gt; &amp; <b>big</b>"
    assert to_html("**twice** too") == "<b>twice</b> too"
    assert to_html("<b>not ours</b>") == "&lt;b&gt;not ours&lt;/b&gt;"


def test_lists_lines_and_lone_stars_stay_text():
    text = "Plan:\n1. Now: a website\n2. Next: a CRM\n- cheap\n- fast\n2 * 3 * 4 and a * b"
    assert to_html(text) == text


def test_bold_does_not_cross_lines():
    assert to_html("*open\nclosed*") == "*open\nclosed*"


def test_visible_text_is_what_the_reader_sees():
    assert visible_text(to_html("*a* & <b>")) == "a & <b>"


def test_utf16_length_counts_emoji_twice():
    assert utf16_len("a😀") == 3


# --- splitting -------------------------------------------------------------------------------

def test_a_short_text_is_one_part():
    assert split_html("<b>Hi</b> there") == ["<b>Hi</b> there"]
    assert split_html("   ") == []


def test_a_long_reply_is_cut_at_paragraphs():
    paragraphs = [f"Paragraph {n}: " + "word " * 150 for n in range(12)]
    parts = split_html(to_html("\n\n".join(p.strip() for p in paragraphs)))
    assert len(parts) > 1 and all(utf16_len(p) <= MAX_TEXT for p in parts)
    assert all(part.startswith("Paragraph") and part.endswith("word") for part in parts)


def test_a_long_line_is_cut_at_spaces_and_a_long_word_anywhere():
    parts = split_html("word " * 2000)
    assert all(p.endswith("word") and utf16_len(p) <= MAX_TEXT for p in parts)
    parts = split_html("x" * 9000)
    assert [len(p) for p in parts] == [4096, 4096, 808]


def test_a_cut_bold_span_is_closed_and_reopened():
    parts = split_html(to_html("*" + "bold words " * 800 + "end*"), limit=1000)
    assert all(p.startswith("<b>") and p.endswith("</b>") and utf16_len(p) <= 1000 for p in parts)


def test_entities_and_emoji_are_never_cut():
    parts = split_html(to_html("&" * 3000), limit=100)
    assert all(p.count("&") == p.count("&amp;") for p in parts)
    parts = split_html("😀" * 100, limit=21)
    assert all(utf16_len(p) <= 21 for p in parts) and "".join(parts) == "😀" * 100


def _well_formed(part: str) -> bool:
    """Only whole <b> and </b> tags, properly nested, and only whole entities."""
    tags = re.findall(r"</?b>", part)
    depth = 0
    for tag in tags:
        depth += 1 if tag == "<b>" else -1
        if depth not in (0, 1):
            return False
    rest = re.sub(r"</?b>|&(amp|lt|gt);", "", part)
    return depth == 0 and not re.search(r"[<>&]", rest)


TEXT = st.lists(st.sampled_from(list("ab *<>&\n-1.") + ["😀", "é", "word ", "\n\n", "*bold*"]),
                max_size=300).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXT, st.integers(min_value=16, max_value=200))
def test_split_parts_fit_are_well_formed_and_lose_nothing(text, limit):
    markup = to_html(text)
    parts = split_html(markup, limit=limit)
    assert all(utf16_len(p) <= limit for p in parts)
    assert all(_well_formed(p) and visible_text(p).strip() for p in parts)
    squeeze = lambda s: re.sub(r"\s+", "", s)  # noqa: E731
    assert squeeze("".join(visible_text(p) for p in parts)) == squeeze(visible_text(markup))


@settings(max_examples=25, deadline=None)
@given(st.lists(st.text(alphabet="abc *&<\n", min_size=1, max_size=400), min_size=10, max_size=40))
def test_split_at_telegram_size(paragraphs):
    markup = to_html("\n\n".join(paragraphs * 3))
    parts = split_html(markup)
    assert all(utf16_len(p) <= MAX_TEXT and _well_formed(p) for p in parts)
    assert re.sub(r"\s+", "", "".join(map(visible_text, parts))) == re.sub(r"\s+", "", visible_text(markup))


# --- buttons, senders, commands --------------------------------------------------------------

def test_callback_data_is_the_payload_when_it_fits():
    assert callback_data("/tell_me_more") == "/tell_me_more"
    assert callback_data("é" * 32) == "é" * 32
    assert callback_data("é" * 33) is None and callback_data("") is None


def test_sender_ids_carry_the_chat():
    assert sender_for_chat(-100123) == "tg--100123"
    assert chat_for_sender("tg--100123") == -100123
    with pytest.raises(ValueError):
        chat_for_sender("web-abc")


@pytest.mark.parametrize("text, payload", [
    ("/start", "/greet"),
    ("/start advice", "/request_advice"),
    ("/start something-else", "/greet"),
    ("/help", "/greet"),
    ("/restart", "/start_over"),
    ("/plan", "/show_plan"),
    ("/delete", "/delete_my_data"),
    ("/lang", "/switch_language"),  # no language named: the assistant offers both
    ("/lang@dx_advisor_test_bot", "/switch_language"),
    ("/PLAN@dx_advisor_test_bot", "/show_plan"),
    ("/start@dx_advisor_test_bot advice", "/request_advice"),
    ("/tell_me_more", None),
    ("/unknown", None),
    ("what is internet plus?", None),
    ("", None),
])
def test_commands_map_to_payloads(text, payload):
    assert command_payload(text) == payload


def test_the_command_menu_is_described_in_english_and_in_chinese():
    assert MENU_LANGUAGES == {None: ENGLISH, "zh": CHINESE}  # None: the default menu
    english, chinese = dict(command_menu(ENGLISH)), dict(command_menu(CHINESE))
    assert list(english) == list(chinese) == list(COMMANDS) == list(texts.COMMANDS)  # each described in the data
    assert english["plan"] == "Show my plan" and chinese["plan"] == "查看我的方案"
    assert english["lang"] == "Switch language (English / 中文)" and chinese["lang"] == "切换语言 (English / 中文)"
    assert all(has_han(text) for text in chinese.values())
    assert all(not has_han(text) for name, text in english.items() if name != "lang")
    assert all(1 <= len(text) <= 256 for text in [*english.values(), *chinese.values()])  # Telegram's limits


def test_in_private_chats_every_message_counts():
    assert addressed_text("hello", True, "dx_bot", False) == "hello"


def test_in_groups_only_mentions_replies_and_our_commands_count():
    assert addressed_text("hello all", False, "dx_bot", False) is None
    assert addressed_text("@dx_bot what is internet plus?", False, "dx_bot", False) == "what is internet plus?"
    assert addressed_text("what is it @DX_BOT", False, "dx_bot", False) == "what is it"
    assert addressed_text("and the cost?", False, "dx_bot", True) == "and the cost?"
    assert addressed_text("/plan", False, "dx_bot", False) == "/plan"
    assert addressed_text("/plan@dx_bot", False, "dx_bot", False) == "/plan@dx_bot"
    assert addressed_text("/plan@other_bot", False, "dx_bot", False) is None
    assert addressed_text("hi @dx_botty", False, "dx_bot", False) is None


# --- languages -------------------------------------------------------------------------------

@pytest.mark.parametrize("text, language_code, language", [
    ("什么是数字化转型？", "en", CHINESE),  # the writing decides ...
    ("what is internet plus?", "zh-hans", ENGLISH),
    ("我们用Excel和微信", "en", CHINESE),  # ... mostly Chinese
    ("/tell_me_more", "zh-hans", CHINESE),  # ... a payload is no writing: the app's language
    ("👍", "zh-CN", CHINESE),
    (None, "zh-hans", CHINESE),  # a sticker
    (None, "en-US", ENGLISH),
    (None, "ru", ENGLISH),  # a language we do not speak
    (None, None, ENGLISH),  # Telegram did not say
])
def test_the_chat_language_is_the_writing_then_the_app_language_then_english(text, language_code, language):
    assert chat_language(text, language_code) == language


def test_the_metadata_carries_the_language_code_when_telegram_gives_one():
    assert message_metadata("zh-hans") == {"language": "zh-hans"}
    assert message_metadata(None) == {} and message_metadata("") == {}


def test_every_notice_is_in_both_languages():
    for key in (TEXT_ONLY, EXPIRED):
        assert {language: notice(key, language) for language in LANGUAGES} == {
            language: texts.text(key, language) for language in LANGUAGES}
        assert has_han(notice(key, CHINESE)) and not has_han(notice(key, ENGLISH))
    assert notice(EXPIRED, ENGLISH) == "That button has expired." and notice(EXPIRED, CHINESE) == "这个按钮已经失效了。"
    assert notice(EXPIRED, "fr") == notice(EXPIRED, ENGLISH)  # a language we do not speak: English


# --- duplicate updates -----------------------------------------------------------------------

def test_an_update_is_accepted_once():
    log = UpdateLog()
    assert log.next_offset(NOW) is None
    assert log.accept(10, NOW) and not log.accept(10, NOW)
    assert log.accept(12, NOW) and log.accept(11, NOW)  # out of order, still once
    assert not log.accept(11, NOW)
    assert log.next_offset(NOW) == 13


def test_updates_older_than_the_window_count_as_done():
    log = UpdateLog(window=5)
    for update_id in range(100, 110):
        assert log.accept(update_id, NOW)
    assert not log.accept(104, NOW) and not log.accept(3, NOW)
    assert log.ids == {105, 106, 107, 108, 109}


def test_the_log_survives_a_restart():
    log = UpdateLog()
    log.accept(41, NOW)
    log.accept(42, NOW)
    again = UpdateLog.from_json(log.to_json())
    assert not again.accept(42, NOW) and again.next_offset(NOW) == 43 and again.accept(43, NOW)


def test_an_unreadable_log_starts_empty():
    for text in (None, "", "not json", '{"ids": "x"}', "[1, 2]"):
        assert UpdateLog.from_json(text).last is None


def test_after_a_week_telegram_may_restart_the_numbering():
    log = UpdateLog()
    log.accept(5000, NOW)
    later = NOW + timedelta(days=8)
    assert log.next_offset(later) is None
    assert log.accept(17, later) and log.next_offset(later) == 18


# --- one chat at a time ----------------------------------------------------------------------

async def test_a_chat_is_handled_in_order_and_chats_side_by_side():
    locks, events = ChatLocks(), []

    async def handle(chat, n, pause):
        async with locks.hold(chat):
            events.append(("start", chat, n))
            await asyncio.sleep(pause)
            events.append(("end", chat, n))

    await asyncio.gather(handle("a", 1, 0.05), handle("a", 2, 0), handle("b", 1, 0))
    a_events = [e for e in events if e[1] == "a"]
    assert a_events == [("start", "a", 1), ("end", "a", 1), ("start", "a", 2), ("end", "a", 2)]
    assert events.index(("end", "b", 1)) < events.index(("end", "a", 1))  # b did not wait for a
    assert len(locks) == 0  # nothing kept once no one holds a chat
