"""bot/names.py is the one place Python takes Rasa names from, and it agrees with domain.yml."""
import ast

import pytest
import yaml

from bot.names import (RASA_DEFAULT_ACTIONS, Actions, Entities, Forms, Intents, SenderPrefixes, Slots, names_of,
                       payload)
from bot.paths import REPO_ROOT

DOMAIN = yaml.safe_load((REPO_ROOT / "domain.yml").read_text(encoding="utf-8"))
RASA_OWN_SLOTS = {Slots.REQUESTED_SLOT, Slots.SESSION_STARTED_METADATA}
RASA_OWN_ACTIONS = {Actions.LISTEN}  # Rasa's, never declared in the domain


def declared(key):
    return {next(iter(item)) if isinstance(item, dict) else item for item in DOMAIN[key]}


@pytest.mark.parametrize("namespace, in_domain", [
    (Intents, declared("intents")),
    (Actions, declared("actions") | RASA_OWN_ACTIONS),
    (Entities, declared("entities")),
    (Forms, set(DOMAIN["forms"])),
    (Slots, set(DOMAIN["slots"]) | RASA_OWN_SLOTS),
])
def test_every_name_is_in_the_domain_and_every_domain_name_is_here(namespace, in_domain):
    assert set(names_of(namespace).values()) == in_domain


def test_sender_prefixes_are_distinct():
    prefixes = list(names_of(SenderPrefixes).values())
    assert len(set(prefixes)) == len(prefixes)
    assert not any(a != b and b.startswith(a) for a in prefixes for b in prefixes)


def _strings(tree):
    """String constants of a module, leaving out docstrings."""
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.lineno, node.value


def test_no_python_module_writes_an_intent_or_action_name_as_a_string():
    intents, actions = set(names_of(Intents).values()), set(names_of(Actions).values())
    forbidden = (intents | actions | {payload(intent) for intent in intents} | set(names_of(Forms).values())
                 | RASA_DEFAULT_ACTIONS)
    sources = [p for folder in ("bot", "actions") for p in sorted((REPO_ROOT / folder).rglob("*.py"))
               if p != REPO_ROOT / "bot" / "names.py" and "migrations" not in p.parts]
    found = [f"{path.relative_to(REPO_ROOT)}:{line}: {text!r}"
             for path in sources for line, text in _strings(ast.parse(path.read_text(encoding="utf-8")))
             if text in forbidden]
    assert found == []


def test_the_scan_would_find_a_name_written_out():
    tree = ast.parse('"""Mentions action_make_plan in a docstring."""\nNAME = "action_make_plan"\n')
    assert list(_strings(tree)) == [(2, "action_make_plan")]


def test_rasas_own_actions_are_the_ones_rasa_defines():
    from rasa.shared.core.constants import DEFAULT_ACTION_NAMES

    assert RASA_DEFAULT_ACTIONS <= set(DEFAULT_ACTION_NAMES)
