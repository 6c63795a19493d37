"""Rasa's own data validation, run in-process so that every warning counts as a problem.

`rasa data validate --fail-on-warnings` lets unused intents and responses pass (Rasa issue 11843)
and buries its findings among library deprecation warnings. Here each finding becomes one line,
and only Rasa's findings about our data are reported.
"""
from __future__ import annotations

import logging
import re
import warnings
from pathlib import Path

from bot.rasa_patches import KNOWN_NOISE
from bot.trainer.rasa_data import relative


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def rasa_problems(root: Path) -> list[str]:
    """Every warning or error Rasa's validator raises about the project at `root`, one string each."""
    from rasa.shared.importers.importer import TrainingDataImporter
    from rasa.utils.common import EXPECTED_WARNINGS
    from rasa.validator import Validator

    collect = _Collect()
    loggers = [logging.getLogger(name) for name in ("rasa.validator", "rasa.core.training.story_conflict")]
    for logger in loggers:
        logger.addHandler(collect)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            importer = TrainingDataImporter.load_from_config(
                str(root / "config.yml"), str(root / "domain.yml"), [str(root / "data")])
            validator = Validator.from_importer(importer)
            checks = [validator.verify_domain_validity, validator.verify_actions_in_stories_rules,
                      validator.verify_forms_in_stories_rules, validator.verify_form_slots,
                      validator.verify_slot_mappings, lambda: validator.verify_nlu(ignore_warnings=False),
                      lambda: validator.verify_story_structure(ignore_warnings=False)]
            failed = [check for check in checks if not check()]
            validator.warn_if_config_mandatory_keys_are_not_set()
    finally:
        for logger in loggers:
            logger.removeHandler(collect)
    found = [str(w.message).strip() for w in caught
             if not issubclass(w.category, (DeprecationWarning, PendingDeprecationWarning))]
    found += [message.strip() for message in collect.messages]
    # Not about our data (see bot/rasa_patches.py), and Rasa's own list of expected warnings.
    noise = [re.compile(pattern) for _, pattern in KNOWN_NOISE + list(EXPECTED_WARNINGS)]
    found = [" ".join(message.split()) for message in dict.fromkeys(found)
             if not any(pattern.match(message) for pattern in noise)]
    if failed and not found:
        found.append("Rasa's validator failed without saying why; run `rasa data validate` to see its output.")
    return [located(message, root) for message in found]


def _line_in(path: Path, text: str) -> int | None:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    return next((number for number, line in enumerate(lines, start=1) if text in line), None)


def _unused_intent(match: re.Match, root: Path) -> str:
    name = match["name"]
    line = _line_in(root / "domain.yml", f"- {name}")
    return (f"domain.yml:{line or '?'}: the intent '{name}' is not used in any story or rule, so the assistant "
            f"never acts on it. Fix: add a rule that starts with `- intent: {name}` (data/rules/), or remove "
            f"'{name}' from domain.yml and its examples from data/nlu/.")


def _example_without_dash(match: re.Match, root: Path) -> str:
    path = Path(match["path"])
    line = _line_in(path, match["text"].strip())
    return (f"{relative(path, root)}:{line or '?'}: an example of '{match['intent']}' is not on a line of its own "
            "starting with '- ', so Rasa skips it. Fix: line its '-' up with the '-' of the other examples.")


# Rasa's findings that name no file or line: where they are, and what to do.
_LOCATED = (
    (re.compile(r"The intent '(?P<name>[^']+)' is not used in any story or rule\."), _unused_intent),
    (re.compile(r"Issue found while processing '(?P<path>[^']+)': The item '(?P<intent>[^']+)' contains an example "
                r"that doesn't start with a '-' symbol: (?P<text>.+?) This training example will be skipped\."),
     _example_without_dash),
)


def located(message: str, root: Path) -> str:
    """Rasa's finding with the file and line it is about, and a fix, where Rasa gives neither; paths
    relative to the project."""
    for pattern, explain in _LOCATED:
        match = pattern.search(message)
        if match:
            return explain(match, root)
    return message.replace(str(root.resolve()) + "/", "").replace(str(root) + "/", "")

