"""Replies of the advice flow: the project file loads, render fills it in, broken files are rejected."""
import re

import pytest

from bot.paths import DATA_DIR
from bot.advice.replies import MAX_PAYLOAD_BYTES, PLACEHOLDERS, Replies, load_replies
from bot.yaml_source import DataError


@pytest.fixture(scope="module")
def project_replies():
    return load_replies(DATA_DIR / "advice" / "replies.yml")


def test_project_replies_load_with_every_reply(project_replies):
    assert set(project_replies.entries) == set(PLACEHOLDERS)


def test_project_reply_render_fills_the_placeholder_and_keeps_the_buttons(project_replies):
    reply = project_replies.render("confirm_profile", summary="a retail firm of 3 people")
    assert "a retail firm of 3 people" in reply["text"] and "{summary}" not in reply["text"]
    assert [b["payload"] for b in reply["buttons"]] == ["/affirm", "/deny"]


def test_project_reply_without_buttons_renders_an_empty_list(project_replies):
    assert project_replies.render("skipped")["buttons"] == []


# ----------------------------------------------------------------------- fixture files
# One reply per line, in PLACEHOLDERS order, so reply n (0-based) is on line n + 1.

KEYS = list(PLACEHOLDERS)


def entry(key: str) -> str:
    text = key + "".join(f" {{{name}}}" for name in sorted(PLACEHOLDERS[key]))
    buttons = ', buttons: [{title: "Why?", payload: "/ask_why"}]' if key == "plan_outro" else ""
    return f'{key}: {{text: "{text}"{buttons}}}'


def write(tmp_path, **changes):
    """The fixture file; `changes` replace (or, with None, drop) whole reply lines."""
    lines = {key: entry(key) for key in KEYS}
    lines.update(changes)
    path = tmp_path / "replies.yml"
    path.write_text("\n".join(text for text in lines.values() if text is not None) + "\n", encoding="utf-8")
    return path


def rejected(path) -> DataError:
    with pytest.raises(DataError) as err:
        load_replies(path)
    return err.value


def line(key: str) -> int:
    return KEYS.index(key) + 1


def test_fixture_loads_and_render_fills_every_placeholder(tmp_path):
    replies = load_replies(write(tmp_path))
    reply = replies.render("plan_step", number=2, slot="Next", title="Booking page", cost="free", reasons="quick")
    assert reply == {"text": "plan_step free 2 quick Next Booking page", "buttons": []}


def test_render_keeps_buttons_and_returns_a_fresh_list(tmp_path):
    replies = load_replies(write(tmp_path))
    first = replies.render("plan_outro", rates_date="1 Nov 2025")
    assert first == {"text": "plan_outro 1 Nov 2025", "buttons": [{"title": "Why?", "payload": "/ask_why"}]}
    first["buttons"].clear()
    assert len(replies.render("plan_outro", rates_date="x")["buttons"]) == 1


def test_render_fails_loudly_when_a_value_is_missing():
    replies = Replies({"confirm_profile": {"text": "So: {summary}."}})
    with pytest.raises(KeyError, match="summary"):
        replies.render("confirm_profile")


def test_missing_reply(tmp_path):
    path = write(tmp_path, deleted=None)
    err = rejected(path)
    assert "reply 'deleted' is missing." in str(err)
    assert "add `deleted:` with a `text:`." in str(err)
    assert err.path == str(path) and err.line is None


def test_unknown_placeholder(tmp_path):
    path = write(tmp_path, confirm_profile='confirm_profile: {text: "So: {sumary}?"}')
    err = rejected(path)
    assert "reply 'confirm_profile' uses unknown placeholder {sumary}." in str(err)
    assert "use only: {summary}." in str(err)
    assert err.line == line("confirm_profile") and f"{path}:{err.line}:" in str(err)


def test_placeholder_in_a_reply_that_takes_none(tmp_path):
    path = write(tmp_path, skipped='skipped: {text: "Skipped {question}"}')
    err = rejected(path)
    assert "reply 'skipped' uses unknown placeholder {question}." in str(err)
    assert "use only: none." in str(err)


def test_unbalanced_brace(tmp_path):
    path = write(tmp_path, skipped='skipped: {text: "Skipped {"}')
    err = rejected(path)
    assert "reply 'skipped':" in str(err) and "{{ and }}" in err.fix
    assert err.line == line("skipped")


def test_reply_without_text(tmp_path):
    path = write(tmp_path, deleted='deleted: {txt: "Done."}')
    err = rejected(path)
    assert "reply 'deleted' needs a `text:`." in str(err)
    assert err.line == line("deleted")


def test_button_without_payload(tmp_path):
    path = write(tmp_path, plan_outro='plan_outro: {text: "{rates_date}", buttons: [{title: "Why?"}]}')
    err = rejected(path)
    assert "reply 'plan_outro': every button needs a `title` and a `payload`." in str(err)
    assert err.line == line("plan_outro") and f"{path}:{err.line}:" in str(err)


def test_payload_over_64_bytes_counts_bytes_not_characters(tmp_path):
    payload = "告诉我第一步" * 4  # 24 characters, 72 bytes in UTF-8
    assert len(payload) < MAX_PAYLOAD_BYTES < len(payload.encode())
    path = write(tmp_path, plan_outro=f'plan_outro: {{text: "{{rates_date}}", buttons: [{{title: "Go", payload: "{payload}"}}]}}')
    err = rejected(path)
    assert f"reply 'plan_outro': payload '{payload}' is over 64 bytes." in str(err)
    assert "Telegram" in err.fix
    assert err.line == line("plan_outro")


def test_payload_of_exactly_64_bytes_is_accepted(tmp_path):
    payload = "x" * 64
    path = write(tmp_path, plan_outro=f'plan_outro: {{text: "{{rates_date}}", buttons: [{{title: "Go", payload: "{payload}"}}]}}')
    assert load_replies(path).render("plan_outro", rates_date="")["buttons"][0]["payload"] == payload


def test_unknown_extra_reply(tmp_path):
    path = write(tmp_path, plan_outr='plan_outr: {text: "typo"}')
    err = rejected(path)
    assert "unknown reply 'plan_outr'." in str(err)
    assert "the assistant never sends it" in err.fix
    assert err.line == len(KEYS) + 1 and f"{path}:{err.line}:" in str(err)


def test_unknown_key_inside_a_reply(tmp_path):
    path = write(tmp_path, plan_outro='plan_outro: {text: "{rates_date}", button: [{title: "Why?", payload: "/ask_why"}]}')
    err = rejected(path)
    assert "button" in str(err)


# ----------------------------------------------------------------------- joining pieces, per language

@pytest.fixture(scope="module")
def chinese_replies():
    return load_replies(DATA_DIR / "advice" / "replies.yml", "zh")


def test_pieces_are_joined_with_each_languages_punctuation(project_replies, chinese_replies):
    assert project_replies.joined("comma", ["a firm", "", "no budget"]) == "a firm, no budget"  # empty pieces left out
    assert chinese_replies.joined("comma", ["一家企业", "", "没有预算"]) == "一家企业，没有预算"
    assert chinese_replies.joined("semicolon", ["1. 甲", "2. 乙", "3. 丙"]) == "1. 甲；2. 乙；3. 丙"
    assert project_replies.joined("sentences", ["Got it.", "What next?"]) == "Got it. What next?"
    assert chinese_replies.joined("sentences", ["好的。", "下一步呢？"]) == "好的。下一步呢？"
    assert project_replies.joined("comma", []) == chinese_replies.joined("comma", [""]) == ""


@pytest.mark.parametrize("items, english, chinese", [
    (["paper"], "paper", "paper"),
    (["a", "b"], "a and b", "a和b"),
    (["a", "b", "c"], "a, b and c", "a、b和c"),
    ([], "", ""),
])
def test_a_list_reads_a_b_and_c(project_replies, chinese_replies, items, english, chinese):
    assert (project_replies.listed(items), chinese_replies.listed(items)) == (english, chinese)


def test_twelve_month_names_in_each_language(project_replies, chinese_replies):
    assert project_replies.text("month_names").split()[10] == "Nov"
    assert chinese_replies.text("month_names").split() == [f"{n}月" for n in range(1, 13)]


def test_every_reply_with_english_words_has_chinese_words(project_replies, chinese_replies):
    """Words, not only punctuation ("{name}: {meaning}"), need a translation: the code puts no words of its own."""
    from bot.nlu.language import has_han

    english_on_purpose = {"choose_language"}  # it asks in both languages
    for key in set(PLACEHOLDERS) - english_on_purpose:
        empty = {name: "" for name in PLACEHOLDERS[key]}
        if re.search(r"[A-Za-z]{2,}", project_replies.text(key, **empty)):
            assert has_han(chinese_replies.text(key, **empty)), key
