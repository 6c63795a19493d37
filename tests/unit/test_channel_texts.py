"""The channels' own texts (data/channels.yml): the project file loads with every key in both languages,
and broken files are reported with their line and fix."""
from pathlib import Path

import pytest

from bot.channels.texts import (CHANNEL_TEXTS, COMMANDS, TEXTS, check_channel_texts, command_description,
                                load_channel_texts, text)
from bot.nlu.language import CHINESE, ENGLISH, has_han
from bot.yaml_source import DataError, load_yaml


def test_the_project_file_loads_without_a_problem():
    assert load_channel_texts() is load_channel_texts()  # read once per process
    assert check_channel_texts(CHANNEL_TEXTS) == []


def test_every_key_has_english_and_chinese():
    doc = load_yaml(CHANNEL_TEXTS)
    assert set(doc) == {*TEXTS, "commands"} and set(doc["commands"]) == set(COMMANDS)
    for key in TEXTS:
        english, chinese = text(key, ENGLISH, limit=2000), text(key, CHINESE, limit=2000)
        assert english != chinese and has_han(chinese) and not has_han(english), key
    for name in COMMANDS:
        english, chinese = command_description(name, ENGLISH), command_description(name, CHINESE)
        assert english != chinese and has_han(chinese), name


def test_texts_fill_their_placeholders_and_keep_literal_braces():
    assert text("too_long", ENGLISH, limit=2000) == ("That message is too long for me (over 2,000 characters). "
                                                     "Could you shorten it?")
    assert text("too_long", CHINESE, limit=2000) == "这条消息太长了（超过2000个字），能再精简一点吗？"
    assert text("bad_json", CHINESE) == '请按这样的 JSON 格式发送：{"message": "你好"}。'
    assert text("sorry", "fr") == text("sorry", ENGLISH)  # a language we do not speak: English


def test_every_fault_text_asks_to_try_again():
    # tests/scale looks for "try again" when the action server, Redis or the database is down
    for key in ("sorry", "busy_try_again", "actions_unavailable"):
        assert "try again" in text(key, ENGLISH).lower() and "再试" in text(key, CHINESE), key


# ----------------------------------------------------------------------- fixture files

def entry(key: str, field: str, placeholders: str = "", indent: str = "") -> str:
    return (f'{indent}{key}:\n{indent}  {field}: "{key}{placeholders}"\n'
            f'{indent}  {field}_zh: "中文{key}{placeholders}"\n')


def good_file() -> str:
    """Every key, each text its key (and its placeholders), the Chinese one with 中文 before it."""
    texts = "".join(entry(key, "text", "".join(f" {{{name}}}" for name in sorted(TEXTS[key]))) for key in TEXTS)
    return texts + "commands:\n" + "".join(entry(name, "description", indent="  ") for name in COMMANDS)


def write(tmp_path: Path, content: str) -> Path:
    path = tmp_path / "channels.yml"
    path.write_text(content, encoding="utf-8")
    return path


def line_with(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_the_fixture_file_is_good(tmp_path):
    path = write(tmp_path, good_file())
    assert check_channel_texts(path) == []
    assert load_channel_texts(path).text("too_long", CHINESE, limit=5) == "中文too_long 5"


def test_a_missing_chinese_text_is_reported_with_its_line_and_english_stands_in(tmp_path):
    path = write(tmp_path, good_file().replace('  text_zh: "中文too_fast"\n', ""))
    [problem] = check_channel_texts(path)
    assert problem.line == line_with(path, 'text: "too_fast"')
    assert "no Chinese for text 'too_fast'" in str(problem) and "text_zh" in problem.fix
    assert load_channel_texts(path).text("too_fast", CHINESE) == "too_fast"  # not an error when serving


def test_a_missing_command_description_in_chinese_is_reported(tmp_path):
    path = write(tmp_path, good_file().replace('    description_zh: "中文plan"\n', ""))
    [problem] = check_channel_texts(path)
    assert problem.line == line_with(path, 'description: "plan"') and "command 'plan'" in str(problem)


def test_a_missing_key_raises_a_data_error_naming_it(tmp_path):
    path = write(tmp_path, good_file().replace('origin_refused:\n  text: "origin_refused"\n'
                                               '  text_zh: "中文origin_refused"\n', ""))
    with pytest.raises(DataError, match="text 'origin_refused' is missing") as raised:
        load_channel_texts(path)
    assert "origin_refused:" in raised.value.fix and str(path) in str(raised.value)
    path = write(tmp_path, good_file().replace('  lang:\n    description: "lang"\n    description_zh: "中文lang"\n', ""))
    with pytest.raises(DataError, match="command 'lang' is missing"):
        load_channel_texts(path)


def test_a_missing_english_text_raises_with_its_line(tmp_path):
    path = write(tmp_path, good_file().replace('  text: "sorry"\n', '  text: ""\n'))
    with pytest.raises(DataError, match="`text` needs text") as raised:
        load_channel_texts(path)
    assert raised.value.line == line_with(path, 'text: ""')


@pytest.mark.parametrize("old, new, message", [
    ('text_zh: "中文too_long {limit}"', 'text_zh: "中文too_long"', "lacks the placeholder {limit}"),
    ('text_zh: "中文too_long {limit}"', 'text_zh: "中文too_long {limit} {max}"', "has the placeholder {max}"),
    ('text: "too_long {limit}"', 'text: "too_long {count}"', "has the placeholder {count}"),
    ('text: "bad_json"', 'text: "bad_json {"', "Single '{'"),
])
def test_a_placeholder_mismatch_raises_with_its_line(tmp_path, old, new, message):
    path = write(tmp_path, good_file().replace(old, new))
    with pytest.raises(DataError, match=message) as raised:
        load_channel_texts(path)
    assert raised.value.line == line_with(path, new) and "write literal braces as {{ and }}" in raised.value.fix


def test_unknown_keys_and_long_descriptions_are_reported(tmp_path):
    content = good_file().replace('  text_zh: "中文sorry"\n', '  text_zh: "中文sorry"\n  txet: "typo"\n')
    content += 'sory:\n  text: "typo"\n'
    content = content.replace('description_zh: "中文help"', 'description_zh: "' + "帮" * 300 + '"')
    path = write(tmp_path, content)
    problems = {str(problem).split(": ", 1)[1]: problem.line for problem in check_channel_texts(path)}
    assert problems == {
        "text 'sorry' has unknown key 'txet'. Fix: use only `text` and `text_zh`.": line_with(path, "txet"),
        "command 'help': `description_zh` is 300 characters long. Fix: Telegram takes at most 256: shorten it.":
            line_with(path, "帮帮"),
        "unknown text 'sory'. Fix: fix the name; no channel sends it.": line_with(path, "sory:"),
    }


def test_a_yaml_syntax_error_is_one_problem_with_its_line(tmp_path):
    path = write(tmp_path, good_file().replace('  text: "sorry"', '  text: "sorry'))
    [problem] = check_channel_texts(path)
    assert problem.line and "YAML syntax error" in str(problem)
