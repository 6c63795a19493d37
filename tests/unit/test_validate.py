"""Project-level checks that Rasa's validator does not do."""
import shutil
import textwrap

import pytest

from bot.paths import REPO_ROOT
from bot.validate import validate_project


@pytest.fixture
def project(tmp_path):
    for name in ("domain.yml",):
        shutil.copy(REPO_ROOT / name, tmp_path / name)
    shutil.copytree(REPO_ROOT / "data", tmp_path / "data")
    return tmp_path


def messages(root):
    return [str(p) for p in validate_project(root)]


def test_the_project_itself_is_valid():
    assert messages(REPO_ROOT) == []


def test_topic_without_tell_me_more_level(project):
    path = project / "data" / "responses" / "faq.yml"
    text = path.read_text(encoding="utf-8").replace("utter_faq/technologies_more_1:", "utter_faq/technologies_deeper:")
    path.write_text(text, encoding="utf-8")
    found = messages(project)
    assert any("topic 'technologies' has no 'tell me more' level" in m and "faq.yml" in m for m in found)
    # level 2 now skips level 1
    assert any("'utter_faq/technologies_more_2' skips level 1" in m for m in found)


def test_deeper_level_for_unknown_topic(project):
    path = project / "data" / "responses" / "faq.yml"
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(textwrap.indent('utter_faq/blockchain_more_1:\n- text: "x"\n', "  "))
    assert any("'utter_faq/blockchain_more_1' belongs to no FAQ question" in m for m in messages(project))


def test_button_with_unknown_intent(project):
    path = project / "data" / "responses" / "basics.yml"
    text = path.read_text(encoding="utf-8").replace('payload: "/request_advice"', 'payload: "/request_advise"', 1)
    path.write_text(text, encoding="utf-8")
    found = messages(project)
    assert any("unknown intent '/request_advise'" in m and "basics.yml:" in m for m in found)
