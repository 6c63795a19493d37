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
