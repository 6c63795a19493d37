"""Checks of the project's own conventions that Rasa's `data validate` does not know.

Each problem names the file, the line and the fix, for trainers who edit YAML only.
"""
from __future__ import annotations

import re
from pathlib import Path

from bot.advice.catalogue import check_catalogue, load_catalogue
from bot.names import Entities, Intents
from bot.nlu.vocabulary import load_vocabulary
from bot.trainer.rasa_data import (check_duplicate_examples, check_example_layout, check_heldout_leaks, check_unknown_names,
                                   check_unsent_responses, heldout_files, relative)
from bot.trainer.translations import check_translations
from bot.yaml_source import DataError, line_of, load_yaml

# Entities whose keys users read (the read-back, reasons): each key needs a label in the replies.
LABELLED_ENTITIES = {Entities.INDUSTRY: "industries.yml", Entities.GOAL: "goals.yml", Entities.TOOL: "tools.yml"}
DEEPER = re.compile(rf"^utter_{Intents.FAQ}/(?P<topic>.+)_more_(?P<level>\d+)$")


def validate_project(root: Path) -> list[DataError]:
    problems = _syntax_errors(root)
    if problems:  # the other checks need every file parsed
        return problems
    try:
        vocabulary = load_vocabulary(root / "data" / "entities")
    except DataError as err:
        problems.append(err)
    else:
        problems += _check_advice_data(root, vocabulary)
    domain_path = root / "domain.yml"
    domain = load_yaml(domain_path) or {}
    intents = set(domain.get("intents") or [])
    responses = _collect_responses(root, domain_path, domain)
    problems += _check_faq_depth(root, responses)
    problems += _check_clarify(root, intents)
    problems += _check_button_payloads(responses, intents)
    problems += check_example_layout(root)
    problems += check_duplicate_examples(root)
    problems += check_heldout_leaks(root)
    problems += check_unsent_responses(root, responses)
    problems += check_unknown_names(root, responses, domain)
    problems += check_translations(root)
    return problems


def _syntax_errors(root: Path) -> list[DataError]:
    """A YAML syntax error in any project data file, each with its line."""
    problems = []
    for path in [root / "domain.yml", *sorted((root / "data").rglob("*.yml")),
                 *sorted((root / "tests" / "stories").glob("*.yml")), *heldout_files(root)]:
        try:
            load_yaml(path)
        except DataError as err:
            problems.append(err)
    return problems


def _check_advice_data(root: Path, vocabulary) -> list[DataError]:
    """The catalogue of steps, the maturity model, the currency table and the advice flow's replies."""
    from bot.advice.maturity import load_maturity
    from bot.advice.money import load_rates
    from bot.advice.replies import LABELS, load_replies

    steps_path = root / "data" / "catalogue" / "steps.yml"
    problems = check_catalogue(steps_path, vocabulary)
    if not problems:
        served = {goal for step in load_catalogue(steps_path, vocabulary).steps for goal in step.goals}
        for goal in sorted(vocabulary.values(Entities.GOAL) - served):
            problems.append(DataError(steps_path, None, f"goal '{goal}' is served by no step, so no plan can serve it.",
                                      f"add `{goal}` to the `goals:` of the steps that serve it."))
    for load in (lambda: load_maturity(root / "data" / "maturity.yml", vocabulary.values("tool")),
                 lambda: load_rates(root / "data" / "currency_rates.yml")):
        try:
            load()
        except DataError as err:
            problems.append(err)
    problems += _check_answers(root, vocabulary)
    replies_path = root / "data" / "advice" / "replies.yml"
    try:
        replies = load_replies(replies_path)
    except DataError as err:
        return problems + [err]
    doc = load_yaml(replies_path)
    for entity, source in LABELLED_ENTITIES.items():
        for key in sorted(vocabulary.values(entity) - set(replies.labels)):
            problems.append(DataError(
                replies_path, line_of(doc, LABELS), f"{entity} '{key}' (data/entities/{source}) has no label.",
                f"add `  {key}: {key.replace('_', ' ')}` under `{LABELS}:`, in the words users should read."))
    return problems


def _check_answers(root: Path, vocabulary) -> list[DataError]:
    """The answer model's training files, and held-out owner answers that are also trained on."""
    from bot.nlu.answer_model import load_answers
    from bot.text import normalise

    problems, trained = [], {}
    for path in sorted((root / "data" / "answers").glob("*.yml")):
        try:
            _, examples = load_answers(path, vocabulary)
        except DataError as err:
            problems.append(err)
            continue
        trained.update({normalise(e.text): (path, e.line) for e in examples})
        doc = load_yaml(path)
        if doc["slot"] != Entities.GOAL:  # an industry's exact phrases are enough to start with
            continue
        for value in sorted(vocabulary.values(doc["slot"]) - {e.value for e in examples}):
            problems.append(DataError(path, line_of(doc, "answers"), f"{doc['slot']} '{value}' has no answers here.",
                                      f"add `  {value}:` with answers in owners' words (20 or more) under `answers:`."))
    heldout = root / "tests" / "owner_answers_heldout.yml"
    doc = load_yaml(heldout) if heldout.exists() else None
    for slot, items in ((doc or {}).get("answers") or {}).items():
        for index, item in enumerate(items or []):
            text = item.get("text") if isinstance(item, dict) else None
            if isinstance(text, str) and normalise(text) in trained:
                where, line = trained[normalise(text)]
                problems.append(DataError(
                    heldout, line_of(items, index), f"held-out answer '{text}' is also trained on "
                    f"({relative(where, root)}:{line}).",
                    "write a new phrasing here (held-out answers must never be trained on), or delete the training one."))
    return problems


def _collect_responses(root: Path, domain_path: Path, domain: dict) -> dict[str, tuple[Path, int | None, list]]:
    """response name -> (file, line, variations) over domain.yml and data/**/*.yml."""
    found = {}
    sources = [(domain_path, domain)] + [(p, load_yaml(p)) for p in sorted((root / "data").rglob("*.yml"))]
    for path, doc in sources:
        block = (doc or {}).get("responses") if isinstance(doc, dict) else None
        for name, variations in (block or {}).items():
            found[name] = (path, line_of(block, name), variations or [])
    return found


def _faq_topics(root: Path) -> dict[str, tuple[Path, int | None]]:
    topics = {}
    for path in sorted((root / "data" / "nlu").rglob("*.yml")):
        doc = load_yaml(path) or {}
        for index, item in enumerate(doc.get("nlu") or []):
            intent = item.get("intent", "") if isinstance(item, dict) else ""
            if intent.startswith(Intents.FAQ + "/"):
                topics[intent.split("/", 1)[1]] = (path, line_of(doc["nlu"], index))
    return topics


def _check_clarify(root: Path, intents: set) -> list[DataError]:
    """"Did you mean" choices (data/clarify.yml) name only intents and FAQ topics that exist."""
    from bot.nlu.clarify import load_choices

    path = root / "data" / "clarify.yml"
    if not path.exists():
        return []
    try:
        load_choices(path, intents={str(i) for i in intents}, topics=set(_faq_topics(root)))
    except DataError as err:
        return [err]
    return []


def _check_faq_depth(root: Path, responses: dict) -> list[DataError]:
    problems = []
    topics = _faq_topics(root)
    for topic, (path, line) in sorted(topics.items()):
        if f"utter_{Intents.FAQ}/{topic}" not in responses:
            problems.append(DataError(path, line, f"question '{Intents.FAQ}/{topic}' has no answer.",
                                      f"add `utter_{Intents.FAQ}/{topic}:` in data/responses/faq.yml."))
        if f"utter_{Intents.FAQ}/{topic}_more_1" not in responses:
            problems.append(DataError(path, line, f"topic '{topic}' has no 'tell me more' level.",
                                      f"add `utter_{Intents.FAQ}/{topic}_more_1:` in data/responses/faq.yml."))
    for name, (path, line, _) in sorted(responses.items()):
        match = DEEPER.match(name)
        if not match:
            topic = name.removeprefix(f"utter_{Intents.FAQ}/")
            if topic != name and topic not in topics:
                problems.append(DataError(path, line, f"answer '{name}' belongs to no FAQ question '{Intents.FAQ}/{topic}'.",
                                          "fix the topic name or add training examples for it in data/nlu/faq.yml."))
            continue
        topic, level = match["topic"], int(match["level"])
        if topic not in topics:
            problems.append(DataError(path, line, f"'{name}' belongs to no FAQ question '{Intents.FAQ}/{topic}'.",
                                      "fix the topic name or add training examples for it in data/nlu/faq.yml."))
        elif level > 1 and f"utter_{Intents.FAQ}/{topic}_more_{level - 1}" not in responses:
            problems.append(DataError(path, line, f"'{name}' skips level {level - 1}.",
                                      "number the levels 1, 2, 3 without gaps."))
    return problems


def _check_button_payloads(responses: dict, intents: set) -> list[DataError]:
    problems = []
    for name, (path, line, variations) in sorted(responses.items()):
        for variation in variations:
            for button in (variation or {}).get("buttons") or []:
                payload = str(button.get("payload", ""))
                intent = re.split(r"[{@]", payload[1:], maxsplit=1)[0] if payload.startswith("/") else None
                if intent is not None and intent not in intents:
                    problems.append(DataError(path, line, f"button '{button.get('title')}' in '{name}' sends unknown intent '/{intent}'.",
                                              "use an intent listed in domain.yml, or plain question text."))
                if len(payload.encode()) > 64:
                    problems.append(DataError(path, line, f"button payload '{payload}' in '{name}' is over 64 bytes.",
                                              "Telegram drops longer button data: shorten it."))
    return problems
