"""`make validate` names every missing Chinese text with its file and line (bot/trainer/translations.py)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.paths import DATA_DIR
from bot.trainer.translations import check_translations


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    shutil.copytree(DATA_DIR, tmp_path / "data")
    return tmp_path


def _edit(path: Path, old: str, new: str) -> int:
    """Replace the first `old` and return its line number."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    line = text[:text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


def _comment_out(path: Path, after: str, key: str) -> None:
    """Turn the first line starting with `key` after `after` into a comment."""
    text = path.read_text(encoding="utf-8")
    at = text.index(key, text.index(after))
    path.write_text(text[:at] + "# " + text[at:], encoding="utf-8")


def _messages(project: Path) -> list[str]:
    return [str(problem).replace(str(project) + "/", "") for problem in check_translations(project)]


def test_the_project_has_every_translation(project):
    assert _messages(project) == []


def test_a_reply_without_chinese_is_named_with_its_line(project):
    line = _edit(project / "data/advice/replies.yml", '  text_zh: "您做的是哪一行？"\n', "")
    [message] = _messages(project)
    assert message.startswith(f"data/advice/replies.yml:{line - 1}: no Chinese for reply 'ask_industry''s `text`.")
    assert "text_zh" in message


def test_a_lost_placeholder_and_a_button_without_chinese(project):
    replies = project / "data/advice/replies.yml"
    text = replies.read_text(encoding="utf-8")
    start = text.index("not_understood:")
    zh_line = text.index("text_zh", start)
    end = text.index("\n", zh_line)
    replies.write_text(text[:zh_line] + 'text_zh: "抱歉，我没听明白。"' + text[end:], encoding="utf-8")
    _edit(replies, 'title_zh: "English", ', "")
    messages = _messages(project)
    assert any("reply 'not_understood': the Chinese text lacks {question}" in m for m in messages)
    assert any("button 'English' of reply 'choose_language' (`title`)" in m for m in messages)


def test_a_step_a_label_a_response_and_an_intent_without_chinese(project):
    _comment_out(project / "data/catalogue/steps.yml", "id: cloud_accounting", "what_zh:")
    _edit(project / "data/advice/replies.yml", "  food_service_zh:", "  # food_service_zh:")
    _comment_out(project / "data/responses/faq.yml", "utter_faq/what_is_internet_plus:", "condition:")
    nlu = project / "data/nlu/basics.yml"
    ntext = nlu.read_text(encoding="utf-8")
    begin = ntext.index("- intent: thank  # 中文")
    finish = ntext.index("\n- intent:", begin + 1)
    nlu.write_text(ntext[:begin] + ntext[finish + 1:], encoding="utf-8")
    messages = _messages(project)
    assert any("no Chinese for step 'cloud_accounting''s `what`" in m for m in messages)
    assert any("no Chinese for label 'food_service'" in m for m in messages)
    assert any(m.startswith("data/responses/faq.yml:") and "response 'utter_faq/what_is_internet_plus'" in m
               for m in messages)
    assert any("intent 'thank' has 0 Chinese examples" in m for m in messages)


def test_a_chinese_payload_in_latin_letters_only_is_refused(project):
    _edit(project / "data/advice/replies.yml", 'payload_zh: "用Excel表格"', 'payload_zh: "Excel"')
    [message] = _messages(project)
    assert "button 'Excel' of reply 'ask_tools': `payload_zh` 'Excel' has no Chinese words." in message


def test_a_channel_text_without_chinese_is_named(project):
    _comment_out(project / "data/channels.yml", "sorry:", "text_zh:")
    [message] = _messages(project)
    assert message.startswith("data/channels.yml:") and "sorry" in message and "text_zh" in message, message
