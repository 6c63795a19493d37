"""Missing Chinese: every text a user reads has a Chinese twin, and `make validate` names each one missing.

The conventions (docs/TRAINING.md, "Chinese"):
- replies, catalogue steps, maturity levels and "did you mean" buttons: a field `f` has `f_zh` beside it;
  a button whose payload is text (not "/intent") has `payload_zh`; a label `key:` has `key_zh:`;
- responses in data/responses/: besides the English variations, at least one with
  `condition: [{type: slot, name: language, value: zh}]`;
- the channels' own words (data/channels.yml): `text_zh` or `description_zh` beside each;
- NLU: every intent and FAQ topic has Chinese examples (a `- intent: X  # 中文` block), and every
  answers key has Chinese answers.
Each problem names the file, the line and the fix. Pure: reads YAML only.
"""
from __future__ import annotations

from pathlib import Path

from bot.nlu.language import CHINESE, has_han
from bot.yaml_source import DataError, is_twin, line_of, load_yaml, twin

MIN_CHINESE_EXAMPLES = 10  # per intent or FAQ topic: fewer cannot reach the 90% held-out floor
MIN_CHINESE_ANSWERS = 5  # per answers key: the answer model learns each key from these


def check_translations(root: Path) -> list[DataError]:
    from bot.channels.texts import check_channel_texts  # the channels' own words (data/channels.yml)

    data = root / "data"
    channels = data / "channels.yml"
    return [*(check_channel_texts(channels) if channels.exists() else []), *_replies(data / "advice" / "replies.yml"), *_catalogue(data / "catalogue" / "steps.yml"),
            *_maturity(data / "maturity.yml"), *_clarify(data / "clarify.yml"),
            *[p for path in sorted((data / "responses").glob("*.yml")) for p in _responses(path)],
            *[p for path in sorted((data / "nlu").glob("*.yml")) for p in _nlu(path)],
            *[p for path in sorted((data / "answers").glob("*.yml")) for p in _answers(path)]]


def _missing(path: Path, line, what: str, fix: str) -> DataError:
    return DataError(path, line, f"no Chinese for {what}.", fix)


def _twins(path: Path, mapping: dict, fields, what: str) -> list[DataError]:
    """Each English text field of `mapping` without its `_zh` twin."""
    problems = []
    for field in fields:
        if isinstance(mapping.get(field), str) and not str(mapping.get(twin(field, CHINESE)) or "").strip():
            problems.append(_missing(path, line_of(mapping, field), f"{what}'s `{field}`",
                                     f"add `{twin(field, CHINESE)}:` on the line after `{field}:`."))
    return problems


def _buttons(path: Path, buttons, line, what: str) -> list[DataError]:
    problems = []
    for index, button in enumerate(buttons or []):
        if not isinstance(button, dict):
            continue
        where = line_of(buttons, index) or line
        fields = ["title"] + ([] if str(button.get("payload") or "").startswith("/") else ["payload"])
        for field in fields:
            if not str(button.get(twin(field, CHINESE)) or "").strip():
                problems.append(_missing(path, where, f"button '{button.get('title')}' of {what} (`{field}`)",
                                         f"add `{twin(field, CHINESE)}: ...` to the button."))
        chinese_payload = button.get(twin("payload", CHINESE))
        if isinstance(chinese_payload, str) and chinese_payload.strip() and not has_han(chinese_payload):
            # sent as if typed: words in Latin letters only would switch the conversation to English
            problems.append(DataError(path, where, f"button '{button.get('title')}' of {what}: `payload_zh` "
                                      f"'{chinese_payload}' has no Chinese words.",
                                      "write it as a Chinese owner would type it, e.g. 用Excel表格."))
    return problems


def _replies(path: Path) -> list[DataError]:
    from bot.advice.replies import LABELS, placeholders_in

    doc = load_yaml(path) or {}
    problems = []
    for key, entry in doc.items():
        if key == LABELS or not isinstance(entry, dict):
            continue
        problems += _twins(path, entry, ["text"], f"reply '{key}'")
        problems += _buttons(path, entry.get("buttons"), line_of(doc, key), f"reply '{key}'")
        chinese = entry.get(twin("text", CHINESE))
        if isinstance(chinese, str) and isinstance(entry.get("text"), str):
            try:
                lost = placeholders_in(entry["text"]) - placeholders_in(chinese)
            except ValueError:
                continue  # the replies' own check reports the stray brace
            if lost:
                problems.append(DataError(path, line_of(entry, twin("text", CHINESE)),
                                          f"reply '{key}': the Chinese text lacks {{{sorted(lost)[0]}}}.",
                                          "use every {placeholder} of the English text; the code fills it in."))
    labels = doc.get(LABELS) or {}
    for key in labels:
        if not is_twin(key) and not str(labels.get(twin(str(key), CHINESE)) or "").strip():
            problems.append(_missing(path, line_of(labels, key), f"label '{key}'",
                                     f"add `{twin(str(key), CHINESE)}: ...` on the line after it."))
    return problems


def _catalogue(path: Path) -> list[DataError]:
    from bot.advice.catalogue import TRANSLATED

    doc = load_yaml(path) or {}
    return [p for step in doc.get("steps") or [] if isinstance(step, dict)
            for p in _twins(path, step, TRANSLATED, f"step '{step.get('id')}'")]


def _maturity(path: Path) -> list[DataError]:
    levels = (load_yaml(path) or {}).get("levels") or {}
    return [p for number, level in levels.items() if isinstance(level, dict)
            for p in _twins(path, level, ("name", "meaning"), f"level {number}")]


def _clarify(path: Path) -> list[DataError]:
    doc = load_yaml(path) or {}
    problems = []
    for block in (doc.get("intents") or {}, doc.get("topics") or {}):
        for name, choice in block.items():
            if isinstance(choice, dict):
                problems += _buttons(path, [choice], line_of(block, name), f"'{name}'")
    return problems


def _is_chinese_variation(variation: object) -> bool:
    conditions = variation.get("condition") if isinstance(variation, dict) else None
    return any(isinstance(c, dict) and c.get("name") == "language" and c.get("value") == CHINESE
               for c in conditions or [])


def _responses(path: Path) -> list[DataError]:
    responses = (load_yaml(path) or {}).get("responses") or {}
    problems = []
    for name, variations in responses.items():
        if isinstance(variations, list) and not any(_is_chinese_variation(v) for v in variations):
            problems.append(_missing(path, line_of(responses, name), f"response '{name}'",
                                     "add a variation with `condition: [{type: slot, name: language, value: zh}]`."))
        for index, variation in enumerate(variations if isinstance(variations, list) else []):
            if _is_chinese_variation(variation) and isinstance(variation.get("text"), str) \
                    and not has_han(variation["text"]):
                problems.append(DataError(path, line_of(variations, index),
                                          f"response '{name}': its Chinese variation has no Chinese text.",
                                          "write the text in Chinese."))
    return problems


def _nlu(path: Path) -> list[DataError]:
    items = (load_yaml(path) or {}).get("nlu") or []
    counts: dict[str, int] = {}
    first_line: dict[str, int | None] = {}
    for index, item in enumerate(items):
        if not isinstance(item, dict) or "intent" not in item:
            continue
        intent = str(item["intent"])
        first_line.setdefault(intent, line_of(items, index))
        examples = [line[2:] for line in str(item.get("examples") or "").splitlines() if line.startswith("- ")]
        counts[intent] = counts.get(intent, 0) + sum(1 for e in examples if has_han(e))
    return [DataError(path, first_line[intent], f"intent '{intent}' has {count} Chinese examples; it needs "
                      f"at least {MIN_CHINESE_EXAMPLES}.",
                      f"add a block `- intent: {intent}  # 中文` after the English one, with Chinese examples.")
            for intent, count in counts.items() if count < MIN_CHINESE_EXAMPLES]


def _answers(path: Path) -> list[DataError]:
    answers = (load_yaml(path) or {}).get("answers") or {}
    problems = []
    for key, texts in answers.items():
        chinese = sum(1 for t in texts or [] if isinstance(t, str) and has_han(t))
        if chinese < MIN_CHINESE_ANSWERS:
            problems.append(DataError(path, line_of(answers, key), f"'{key}' has {chinese} Chinese answers; it needs "
                                      f"at least {MIN_CHINESE_ANSWERS}.",
                                      f"add Chinese answers under `{key}:`, after a `# 中文` line."))
    return problems
