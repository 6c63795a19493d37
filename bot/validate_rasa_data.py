"""Checks over the Rasa training data itself: duplicate examples and responses nothing sends.

Both report the file, the line and the fix, like the rest of bot/validate.py.
"""
from __future__ import annotations

import re
from pathlib import Path

from bot.explain import FAQ_INTENT
from bot.yaml_source import DataError, line_of, load_yaml

_LIST_ITEM = re.compile(r"^\s*-\s+(?P<text>.*?)\s*$")


def normalise(text: str) -> str:
    """How two examples are compared: lower case, runs of whitespace as one space."""
    return " ".join(text.lower().split())


def _examples(path: Path, item, index_line: int | None):
    """(text, line) for each `- example` of an `examples: |` block.

    The block's text starts on the line after `examples: |`, so example n sits at that line plus
    its offset inside the block (blank lines included).
    """
    block = item.get("examples")
    if not isinstance(block, str):
        return
    key_line = line_of(item, "examples") or index_line
    for offset, raw in enumerate(block.splitlines()):
        match = _LIST_ITEM.match(raw)
        if match and match["text"]:
            yield match["text"], (key_line + 1 + offset) if key_line else None


def check_duplicate_examples(root: Path) -> list[DataError]:
    """The same example under two different intents confuses the classifier: both cannot be right."""
    seen: dict[str, tuple[str, Path, int | None]] = {}
    problems = []
    for path in sorted((root / "data" / "nlu").glob("*.yml")):
        doc = load_yaml(path) or {}
        items = (doc.get("nlu") or []) if isinstance(doc, dict) else []
        for index, item in enumerate(items):
            if not isinstance(item, dict) or "intent" not in item:
                continue
            intent = str(item["intent"])
            for text, line in _examples(path, item, line_of(items, index)):
                key = normalise(text)
                if key not in seen:
                    seen[key] = (intent, path, line)
                    continue
                first_intent, first_path, first_line = seen[key]
                if first_intent != intent:
                    where = f"{_rel(first_path, root)}:{first_line}"
                    here = f"{_rel(path, root)}:{line}"
                    problems.append(DataError(
                        path, line,
                        f"'{text}' is an example of both {first_intent} ({where}) and {intent} ({here}).",
                        "keep it under the one intent it means and delete or reword the other."))
    return problems


def _used_actions(root: Path) -> set[str]:
    """Every `action:` step of every rule and story."""
    used = set()
    for folder, key in (("rules", "rules"), ("stories", "stories")):
        for path in sorted((root / "data" / folder).glob("*.yml")):
            doc = load_yaml(path) or {}
            for flow in ((doc.get(key) or []) if isinstance(doc, dict) else []):
                for step in (flow or {}).get("steps") or []:
                    if isinstance(step, dict) and step.get("action"):
                        used.add(str(step["action"]))
    return used


def check_unsent_responses(root: Path, responses: dict) -> list[DataError]:
    """`utter_*` responses in domain.yml or data/responses/ that no rule or story sends.

    `responses` is name -> (file, line, variations), as bot.validate collects it. FAQ answers
    (`utter_faq/...`) are sent by the response selector and checked by the FAQ-depth check instead.
    """
    allowed = {(root / "domain.yml").resolve(), (root / "data" / "responses").resolve()}
    used = _used_actions(root)
    problems = []
    for name, (path, line, _) in sorted(responses.items()):
        path = Path(path)
        if not name.startswith("utter_") or name.startswith(f"utter_{FAQ_INTENT}/"):
            continue
        if path.resolve() not in allowed and path.resolve().parent not in allowed:
            continue
        if name not in used:
            problems.append(DataError(path, line, f"response '{name}' is never sent: no rule or story uses it.",
                                      "add a rule that uses it, or delete it."))
    return problems


def _rel(path: Path, root: Path) -> str:
    try:
        return str(Path(path).relative_to(root))
    except ValueError:
        return str(path)
