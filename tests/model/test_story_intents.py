"""The test conversations' messages are understood as labelled.

`rasa test core` replays tests/stories with the intent written in each step and never reads the
message text, so a story could pass while the model misreads its own sentence. This test sends
every `user:` text of tests/stories to the trained model and compares the intent (and, for the
`faq` retrieval intent, the topic) with the label. The texts are not training data.
"""
from __future__ import annotations

import pytest
import requests
import yaml

from bot.nlu.parse_result import understood
from bot.paths import REPO_ROOT

pytestmark = pytest.mark.model


# Within the profile questions the form reads an answer the same way whether the classifier said
# `inform` or was unsure (`nlu_fallback`): the answer model decides (actions/advice_form.py).
SAME_IN_FORM = {"firm_profile_form": {"inform", "nlu_fallback"}}


def labelled_messages() -> list[tuple[str, str, set[str]]]:
    """(story file and title, the message, the intents it may be understood as) for every step with both."""
    found = []
    for path in sorted((REPO_ROOT / "tests" / "stories").glob("*.yml")):
        for story in yaml.safe_load(path.read_text(encoding="utf-8")).get("stories") or []:
            loop = None
            for step in story.get("steps") or []:
                if isinstance(step, dict) and "active_loop" in step:
                    loop = step["active_loop"]
                if isinstance(step, dict) and "user" in step and "intent" in step:
                    label = step["intent"]
                    same = SAME_IN_FORM.get(loop, set())
                    found.append((f"{path.name}: {story['story']}", step["user"].strip(),
                                  same if label in same else {label}))
    return found


def test_the_stories_have_messages_to_check():
    assert len(labelled_messages()) > 50


def test_every_story_message_is_understood_as_labelled(assistant):
    wrong = []
    for where, text, labels in labelled_messages():
        parsed = understood(requests.post(f"{assistant.url}/model/parse", json={"text": text}, timeout=30).json())
        got = f"faq/{parsed.faq_topic}" if parsed.faq_topic else parsed.intent
        if got not in labels:
            wrong.append(f"{where}: {text!r} is {parsed.label()}, labelled {' or '.join(sorted(labels))}")
    assert not wrong, "\n".join(wrong)
