"""Rasa's own validator, run so that each of its warnings is a problem (bot/trainer/rasa_check.py)."""
import shutil

import pytest

from bot.paths import REPO_ROOT
from bot.trainer.rasa_check import rasa_problems


@pytest.fixture
def project(tmp_path):
    for name in ("domain.yml", "config.yml"):
        shutil.copy(REPO_ROOT / name, tmp_path / name)
    shutil.copytree(REPO_ROOT / "data", tmp_path / "data")
    return tmp_path


def test_the_project_itself_has_no_rasa_findings_once_known_noise_is_dropped():
    assert rasa_problems(REPO_ROOT) == []


def test_unused_response_and_unknown_intent_each_count(project):
    # `rasa data validate --fail-on-warnings` exits 0 on an unused response (Rasa issue 11843).
    with open(project / "data" / "responses" / "basics.yml", "a", encoding="utf-8") as handle:
        handle.write('  utter_location:\n  - text: "We are online."\n')
    with open(project / "data" / "rules" / "basics.yml", "a", encoding="utf-8") as handle:
        handle.write("\n- rule: where\n  steps:\n  - intent: ask_location\n  - action: utter_greet\n")
    found = rasa_problems(project)
    assert "The utterance 'utter_location' is not used in any story or rule." in found
    assert any("intent 'ask_location'" in message and "not part of the domain" in message for message in found)
    assert all("\n" not in message and "DeprecationWarning" not in message for message in found)


def test_an_intent_no_rule_uses_is_located_in_the_domain_with_a_fix(project):
    domain = project / "domain.yml"
    domain.write_text(domain.read_text(encoding="utf-8").replace("  - greet\n", "  - greet\n  - ask_opening_hours\n", 1),
                      encoding="utf-8")
    with open(project / "data" / "nlu" / "basics.yml", "a", encoding="utf-8") as handle:
        handle.write("\n- intent: ask_opening_hours\n  examples: |\n    - when are you open\n    - opening hours\n")
    line = next(n for n, text in enumerate(domain.read_text(encoding="utf-8").splitlines(), 1)
                if text == "  - ask_opening_hours")
    assert rasa_problems(project) == [
        f"domain.yml:{line}: the intent 'ask_opening_hours' is not used in any story or rule, so the assistant never "
        "acts on it. Fix: add a rule that starts with `- intent: ask_opening_hours` (data/rules/), or remove "
        "'ask_opening_hours' from domain.yml and its examples from data/nlu/."]


def test_an_over_indented_example_is_located_with_a_fix_when_rasa_finds_it(project):
    nlu = project / "data" / "nlu" / "basics.yml"
    nlu.write_text(nlu.read_text(encoding="utf-8").replace("    - thanks\n", "    - thanks\n      - cheers mate\n", 1),
                   encoding="utf-8")
    line = nlu.read_text(encoding="utf-8").splitlines().index("      - cheers mate") + 1
    assert rasa_problems(project) == [
        f"data/nlu/basics.yml:{line}: an example of 'thank' is not on a line of its own starting with '- ', so Rasa "
        "skips it. Fix: line its '-' up with the '-' of the other examples."]
