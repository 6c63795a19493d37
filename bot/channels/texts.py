"""What the channels say by themselves (data/channels.yml): checked once per process, read by key.

  text(key, language, **values)        one of TEXTS in "en" or "zh" (English for a language we do not
                                       speak, or where the Chinese is missing), its {placeholders} filled
  command_description(name, language)  what Telegram's command menu says beside one of COMMANDS
  check_channel_texts(path)            every problem of the file, each missing Chinese text included,
                                       for `make validate`

Each `text:` has its Chinese twin `text_zh:` beside it, each `description:` its `description_zh:`.
A broken file raises DataError (file, line, fix) on first use; the channels use it when they start.
Pure: no Rasa or Telegram import.
"""
from __future__ import annotations

import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.paths import DATA_DIR
from bot.yaml_source import DataError, TRANSLATED_LANGUAGES, is_twin, line_of, load_yaml, localised, twin

CHANNEL_TEXTS = DATA_DIR / "channels.yml"

# Each text and the placeholders it fills (both languages use exactly these).
TEXTS: dict[str, frozenset[str]] = {
    "sorry": frozenset(),  # every channel, after an internal error (bot/channels/guard.py)
    "busy_try_again": frozenset(),  # every channel, when the database or Redis is unreachable (guard.py)
    "actions_unavailable": frozenset(),  # the Rasa server, when a custom action fails (bot/rasa_patches.py)
    "text_only": frozenset(), "button_expired": frozenset(),  # Telegram (bot/channels/telegram/language.py)
    # the website widget's refusals (bot/channels/webchat/channel.py)
    "too_fast": frozenset(), "too_long": frozenset({"limit"}), "bad_json": frozenset(),
    "session_expired": frozenset(), "origin_refused": frozenset(),
}
# Telegram's command menu, in its order; bot/channels/telegram/commands.py says what each command sends.
COMMANDS_KEY = "commands"
COMMANDS = ("start", "help", "restart", "plan", "delete", "lang")
TEXT, DESCRIPTION = "text", "description"
# Telegram's limits: a command's description, and the notice shown when a button is tapped.
MAX_DESCRIPTION_CHARS = 256
MAX_CHARS = {"button_expired": 200}


@dataclass(frozen=True)
class ChannelTexts:
    texts: dict[str, dict]  # key -> {"text": ..., "text_zh": ...}
    commands: dict[str, dict]  # command -> {"description": ..., "description_zh": ...}

    def text(self, key: str, language: str, **values) -> str:
        return localised(self.texts[key], TEXT, language).format(**values)

    def command_description(self, name: str, language: str) -> str:
        return localised(self.commands[name], DESCRIPTION, language)


@lru_cache(maxsize=None)
def load_channel_texts(path: Path = CHANNEL_TEXTS) -> ChannelTexts:
    """The file's texts, or the first DataError (a missing Chinese text is none: English stands in)."""
    texts, problems, _ = _read(Path(path))
    if problems:
        raise problems[0]
    return texts


def check_channel_texts(path: Path = CHANNEL_TEXTS) -> list[DataError]:
    """Every problem of the file, each missing Chinese text included."""
    try:
        _, problems, missing = _read(Path(path))
    except DataError as err:  # a YAML syntax error
        return [err]
    return sorted([*problems, *missing], key=lambda problem: problem.line or 0)


def text(key: str, language: str, **values) -> str:
    """One of the channels' texts in ``language``, e.g. text("too_long", "zh", limit=2000)."""
    return load_channel_texts().text(key, language, **values)


def command_description(name: str, language: str) -> str:
    """What Telegram's command menu says beside /``name`` in ``language``."""
    return load_channel_texts().command_description(name, language)


# --- checks ----------------------------------------------------------------------------------------

def placeholders_in(text: str) -> set[str]:
    """The {names} a text uses ({limit:,} counts as limit); ValueError for a stray brace."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _read(path: Path) -> tuple[ChannelTexts, list[DataError], list[DataError]]:
    """(the texts, the problems, the missing Chinese texts)."""
    doc = load_yaml(path)
    if not isinstance(doc, dict):
        return ChannelTexts({}, {}), [DataError(path, None, "expected the channels' texts: keys with `text:` and "
                                                "`text_zh:` under each, and a `commands:` section.",
                                                "start from the file in git and change only the texts.")], []
    problems: list[DataError] = []
    missing: list[DataError] = []
    for key, allowed in TEXTS.items():
        _check_entry(path, doc, key, TEXT, allowed, MAX_CHARS.get(key), f"text '{key}'", problems, missing)
    commands = doc.get(COMMANDS_KEY)
    if not isinstance(commands, dict):
        problems.append(DataError(path, line_of(doc, COMMANDS_KEY), "`commands:` is missing or does not list the "
                                  "commands with their `description:`.",
                                  "write `commands:` and under it, indented, `start:` with `description:` and "
                                  "`description_zh:` under it, and so on for each command."))
        commands = {}
    else:
        for name in COMMANDS:
            _check_entry(path, commands, name, DESCRIPTION, frozenset(), MAX_DESCRIPTION_CHARS, f"command '{name}'",
                         problems, missing, line_of(doc, COMMANDS_KEY))
        problems += _unknown(path, commands, COMMANDS, "command", f"the menu has only: {', '.join(COMMANDS)}.")
    problems += _unknown(path, doc, [*TEXTS, COMMANDS_KEY], "text", "fix the name; no channel sends it.")
    texts = ChannelTexts({key: doc.get(key) for key in TEXTS}, {name: commands.get(name) for name in COMMANDS})
    return texts, problems, missing


def _unknown(path: Path, mapping: dict, known, what: str, fix: str) -> list[DataError]:
    return [DataError(path, line_of(mapping, key), f"unknown {what} '{key}'.", fix)
            for key in mapping if key not in known]


def _check_entry(path: Path, doc: dict, key: str, field: str, allowed: frozenset[str], max_chars: int | None,
                 what: str, problems: list[DataError], missing: list[DataError], parent_line: int | None = None) -> None:
    """One entry's problems: `field` (English) must be there; each missing `<field>_zh` goes to `missing`."""
    if key not in doc:
        problems.append(DataError(path, parent_line, f"{what} is missing.",
                                  f"add `{key}:` with `{field}:` and `{twin(field, 'zh')}:` under it."))
        return
    entry, line = doc[key], line_of(doc, key)
    if not isinstance(entry, dict):
        problems.append(DataError(path, line, f"{what} needs `{field}:` and `{twin(field, 'zh')}:` under it.",
                                  f"indent `{field}: \"...\"` under `{key}:`."))
        return
    fields = [field, *(twin(field, language) for language in TRANSLATED_LANGUAGES)]
    problems += [DataError(path, line_of(entry, name), f"{what} has unknown key '{name}'.",
                           f"use only {' and '.join(f'`{f}`' for f in fields)}.") for name in entry if name not in fields]
    english: set[str] | None = None
    for name in fields:
        value, where = entry.get(name), line_of(entry, name) or line
        if is_twin(name) and (value is None or isinstance(value, str) and not value.strip()):
            missing.append(DataError(path, line_of(entry, field) or line, f"no Chinese for {what}.",
                                     f"add `{name}:` on the line after `{field}:`."))
            continue
        if not isinstance(value, str) or not value.strip():
            problems.append(DataError(path, where, f"{what}: `{name}` needs text.",
                                      f"write `{name}: \"...\"` under `{key}:`."))
            return  # no English: nothing to compare the Chinese with
        if max_chars and len(value) > max_chars:
            problems.append(DataError(path, where, f"{what}: `{name}` is {len(value)} characters long.",
                                      f"Telegram takes at most {max_chars}: shorten it."))
        if field == DESCRIPTION:
            continue  # a command's description is shown as it is, braces included
        try:
            used = placeholders_in(value)
        except ValueError as err:
            problems.append(DataError(path, where, f"{what}: `{name}`: {err}.", "write literal braces as {{ and }}."))
            return
        if english is None:  # the English text: only placeholders the code fills
            if used - allowed:
                problems.append(_placeholder_problem(path, where, what, name, used, allowed, "the code fills"))
                return  # the Chinese is compared with a correct English text only
            english = used
        elif used != english:  # the Chinese text: the same as the English one
            problems.append(_placeholder_problem(path, where, what, name, used, english, f"`{field}` has"))


def _placeholder_problem(path: Path, line, what: str, name: str, used: set, expected: set, source: str) -> DataError:
    extra, lost = sorted(used - expected), sorted(expected - used)
    listed = ", ".join("{" + n + "}" for n in sorted(expected)) or "none"
    problem = (f"{what}: `{name}` has the placeholder {{{extra[0]}}}, which is not one of: {listed}." if extra
               else f"{what}: `{name}` lacks the placeholder {{{lost[0]}}}.")
    return DataError(path, line, problem, f"use the placeholders {source} ({listed}), with the same names; "
                                          "write literal braces as {{ and }}.")
