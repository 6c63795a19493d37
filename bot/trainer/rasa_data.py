"""Checks over the Rasa training data itself: duplicate examples, responses nothing sends, and
intents or actions that rules, stories, test conversations and NLU files name but domain.yml lacks.

Both report the file, the line and the fix, like the rest of bot/trainer/validate.py.
"""
from __future__ import annotations

import re
from pathlib import Path

from bot.names import RASA_DEFAULT_ACTIONS, RASA_DEFAULT_RESPONSES, Intents
from bot.text import normalise
from bot.yaml_source import DataError, line_of, load_yaml

_LIST_ITEM = re.compile(r"^\s*-\s+(?P<text>.*?)\s*$")


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


def check_example_layout(root: Path) -> list[DataError]:
    """Every line of an `examples: |` block is `- example` at the block's indentation.

    An example indented more than the others is not an error to YAML: it becomes part of the block's
    text, and Rasa then skips it with "an example that doesn't start with a '-'" and no line.
    """
    problems = []
    for path in [*sorted((root / "data" / "nlu").glob("*.yml")), *heldout_files(root)]:
        doc = load_yaml(path) or {}
        items = (doc.get("nlu") or []) if isinstance(doc, dict) else []
        for index, item in enumerate(items):
            if not isinstance(item, dict) or not isinstance(item.get("examples"), str):
                continue
            block, key_line = item["examples"], line_of(item, "examples") or line_of(items, index)
            for offset, raw in enumerate(block.splitlines()):
                line = key_line + 1 + offset if key_line else None
                if not raw.strip() or raw.startswith("- ") or raw == "-":
                    continue
                if raw.lstrip().startswith("- "):
                    problems.append(DataError(path, line, "this example is indented more than the ones above it, "
                                              "so Rasa would skip it.", "line its '-' up with the '-' of the other examples."))
                else:
                    problems.append(DataError(path, line, "this line under `examples: |` does not start with '- '.",
                                              "start each example with a dash and a space, like `- hello`."))
    return problems


def check_duplicate_examples(root: Path) -> list[DataError]:
    """The same example under two different intents confuses the classifier: both cannot be right.
    Twice under one intent it only weighs double, which nobody means: also reported."""
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
                if first_intent == intent:
                    problems.append(DataError(
                        path, line, f"'{text}' is listed twice under {intent} (also at {relative(first_path, root)}:{first_line}).",
                        "delete one of them; to teach more, add a different phrasing instead."))
                else:
                    where = f"{relative(first_path, root)}:{first_line}"
                    here = f"{relative(path, root)}:{line}"
                    problems.append(DataError(
                        path, line,
                        f"'{text}' is an example of both {first_intent} ({where}) and {intent} ({here}).",
                        "keep it under the one intent it means and delete or reword the other."))
    return problems


def _nlu_examples(path: Path):
    """(intent, text, line) for every example of an NLU file."""
    doc = load_yaml(path) or {}
    items = (doc.get("nlu") or []) if isinstance(doc, dict) else []
    for index, item in enumerate(items):
        if isinstance(item, dict) and "intent" in item:
            for text, line in _examples(path, item, line_of(items, index)):
                yield str(item["intent"]), text, line


def heldout_files(root: Path) -> list[Path]:
    """The held-out NLU sets: files under tests/ whose name says held-out."""
    return sorted(p for p in (root / "tests").rglob("*.yml") if "heldout" in p.name or "held_out" in p.name)


def check_heldout_leaks(root: Path) -> list[DataError]:
    """A held-out sentence that is also a training example makes the held-out figure mean nothing."""
    trained = {}
    for path in sorted((root / "data" / "nlu").glob("*.yml")):
        for _intent, text, line in _nlu_examples(path):
            trained.setdefault(normalise(text), (path, line))
    problems = []
    for path in heldout_files(root):
        for _intent, text, line in _nlu_examples(path):
            if normalise(text) in trained:
                where, at = trained[normalise(text)]
                problems.append(DataError(
                    path, line, f"held-out example '{text}' is also a training example ({relative(where, root)}:{at}).",
                    "write a new phrasing here (held-out sentences must never be trained on), "
                    "or delete the training one."))
    return problems


def _flow_steps(root: Path, with_tests: bool = False):
    """(file, line, step) for every step of every rule and story (and test conversation, if asked)."""
    files = [(p, "rules") for p in sorted((root / "data" / "rules").glob("*.yml"))]
    files += [(p, "stories") for p in sorted((root / "data" / "stories").glob("*.yml"))]
    if with_tests:
        files += [(p, "stories") for p in sorted((root / "tests" / "stories").glob("*.yml"))]
    for path, key in files:
        doc = load_yaml(path) or {}
        for flow in ((doc.get(key) or []) if isinstance(doc, dict) else []):
            steps = (flow or {}).get("steps") if isinstance(flow, dict) else None
            for index, step in enumerate(steps or []):
                if isinstance(step, dict):
                    yield path, line_of(steps, index), step


def _name(item) -> str:
    """A domain list entry is a name, or a one-key mapping of the name to its options."""
    return str(next(iter(item))) if isinstance(item, dict) and item else str(item)


def _used_actions(root: Path) -> set[str]:
    """Every `action:` step of every rule and story."""
    return {str(step["action"]) for _, _, step in _flow_steps(root) if step.get("action")}


def check_unknown_names(root: Path, responses: dict, domain: dict) -> list[DataError]:
    """Intents and actions used in NLU, rules, stories or tests/stories that domain.yml does not list,
    and domain intents without a single training example."""
    intents = {_name(item) for item in domain.get("intents") or []}
    actions = ({_name(item) for item in domain.get("actions") or []} | set(responses)
               | {str(name) for name in domain.get("forms") or {}} | RASA_DEFAULT_ACTIONS | {f"utter_{Intents.FAQ}"})
    problems, trained = _check_nlu_intents(root, intents)
    problems += _check_flow_names(root, intents, actions)
    intent_lines = domain.get("intents") or []
    for index, item in enumerate(intent_lines):
        intent = _name(item)
        if intent not in trained and intent != Intents.FALLBACK:
            problems.append(DataError(root / "domain.yml", line_of(intent_lines, index),
                                      f"intent '{intent}' has no training examples.",
                                      f"add `- intent: {intent}` with examples in data/nlu/, or remove it here."))
    return problems


def _check_nlu_intents(root: Path, intents: set[str]) -> tuple[list[DataError], set[str]]:
    """Problems with the intents NLU files name, and the set of intents that have examples."""
    problems, trained = [], set()
    for path in sorted((root / "data" / "nlu").glob("*.yml")):
        doc = load_yaml(path) or {}
        items = (doc.get("nlu") or []) if isinstance(doc, dict) else []
        for index, item in enumerate(items):
            if not (isinstance(item, dict) and "intent" in item):
                continue
            full_name, line = str(item["intent"]), line_of(items, index)
            intent = full_name.split("/", 1)[0]
            trained.add(intent)
            if full_name == Intents.FAQ:  # `rasa interactive` exports FAQ examples like this
                problems.append(DataError(path, line, f"examples under '{Intents.FAQ}' have no topic.",
                                          f"move each under the `- intent: {Intents.FAQ}/<topic>` it asks about."))
            if intent not in intents:
                problems.append(DataError(path, line, f"intent '{intent}' is not listed in domain.yml.",
                                          f"add `- {intent}` under `intents:` in domain.yml, or correct the name."))
    return problems, trained


def _check_flow_names(root: Path, intents: set[str], actions: set[str]) -> list[DataError]:
    """Unknown intents and actions in rules, stories and test conversations."""
    problems = []
    for path, line, step in _flow_steps(root, with_tests=True):
        for option in step.get("or") or [step]:
            intent = option.get("intent") if isinstance(option, dict) else None
            if intent and str(intent).split("/", 1)[0] not in intents:
                problems.append(DataError(path, line, f"intent '{intent}' is not listed in domain.yml.",
                                          "correct the name, or add the intent to domain.yml and give it examples in data/nlu/."))
        action = step.get("action")
        if action and str(action) not in actions:
            problems.append(DataError(path, line, f"action '{action}' does not exist.",
                                      "correct the name, or add the response to data/responses/ "
                                      "(an `utter_...` reply) or the action to domain.yml."))
    return problems

def check_unsent_responses(root: Path, responses: dict) -> list[DataError]:
    """`utter_*` responses in domain.yml or data/responses/ that no rule or story sends.

    `responses` is name -> (file, line, variations), as bot.trainer.validate collects it. FAQ answers
    (`utter_faq/...`) are sent by the response selector and checked by the FAQ-depth check instead.
    """
    allowed = {(root / "domain.yml").resolve(), (root / "data" / "responses").resolve()}
    used = _used_actions(root)
    problems = []
    for name, (path, line, _) in sorted(responses.items()):
        path = Path(path)
        if not name.startswith("utter_") or name.startswith(f"utter_{Intents.FAQ}/"):
            continue
        if path.resolve() not in allowed and path.resolve().parent not in allowed:
            continue
        if name not in used and name not in RASA_DEFAULT_RESPONSES:
            problems.append(DataError(path, line, f"response '{name}' is never sent: no rule or story uses it.",
                                      "add a rule that uses it, or delete it."))
    return problems


def relative(path: Path | str, root: Path) -> str:
    """`path` as the guide writes it: relative to the project at `root` when it is inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path(root).resolve()))
    except ValueError:
        return str(path)
