"""`rasa interactive` with our action server, driven in a pseudo-terminal as a trainer would use it.

One turn: a question, accepted; "Tell me more" picked from the answer's buttons, which runs our
custom action over the action server; then Ctrl-C and "Export & Quit" into temporary files.
"""

import pexpect
import pytest
import yaml

from tests.model.conftest import (
    MODEL, RASA, REPO_ROOT, action_server, assistant_env, free_port, migrate_app_database, require_model,
    write_endpoints,
)

pytestmark = pytest.mark.model

DOWN, ENTER, ERASE = "\x1b[B", "\r", "\x7f" * 80


def test_interactive_learning_runs_our_actions_and_exports_the_story(tmp_path, responses):
    require_model()
    env = assistant_env(tmp_path / "app.db")
    migrate_app_database(env)
    with action_server(tmp_path, env) as actions:
        actions.wait()
        endpoints = write_endpoints(tmp_path, actions.port, tmp_path / "tracker.db")
        log = (tmp_path / "interactive.log").open("w", encoding="utf-8")
        child = pexpect.spawn(
            RASA[0], [*RASA[1:], "interactive", "--model", str(MODEL), "--endpoints", str(endpoints),
                                "--port", str(free_port()), "--skip-visualization"],
            cwd=str(REPO_ROOT), env=env, encoding="utf-8", timeout=240, dimensions=(50, 200))
        child.logfile_read = log
        try:
            child.expect("Your input ->")
            child.sendline("what is internet plus")
            # With an entity (our language tag: "[what is internet plus]{...}") Rasa asks "Is the intent ... correct".
            child.expect(r"classified 'what is internet plus' with intent 'faq'"
                         r"|intent 'faq' correct for '\[what is internet plus\]")
            child.send(ENTER)
            child.expect("wants to run 'utter_faq'")
            child.send(ENTER)
            child.expect("wants to run 'action_listen'")
            child.send(ENTER)
            child.expect("Type out your own message")  # the answer's buttons; the first is "Tell me more"
            child.send(ENTER)
            child.expect("wants to run 'action_tell_me_more'")
            child.send(ENTER)
            # The custom action's reply, sent by our action server: the topic's first deeper level.
            level_one = responses["utter_faq/what_is_internet_plus_more_1"][0]
            child.expect_exact(level_one.split(".")[0])
            child.expect("wants to run 'action_listen'")
            child.send(ENTER)
            child.expect("Your input ->")
            child.sendcontrol("c")
            child.expect("Do you want to stop")
            child.send(DOWN * 4 + ENTER)  # Continue, Undo Last, Fork, Start Fresh, Export & Quit
            for kind in ("stories", "nlu", "domain"):
                child.expect("Export")
                child.send(ERASE + str(tmp_path / f"{kind}.yml") + ENTER)
            child.expect(pexpect.EOF, timeout=120)
        finally:
            child.close(force=True)
            log.close()
    story = yaml.safe_load((tmp_path / "stories.yml").read_text(encoding="utf-8"))["stories"][0]["steps"]
    # Each user step carries the language it was written in, and the slot it sets: harmless, neither
    # reaches the policies. Set aside here, the story is ours.
    for step in story:
        assert step.pop("entities", [{"language": "en"}]) == [{"language": "en"}], step
    story = [step for step in story if step != {"slot_was_set": [{"language": "en"}]}]
    assert story[:4] == [{"intent": "faq/what_is_internet_plus"}, {"action": "utter_faq"},
                         {"intent": "tell_me_more"}, {"action": "action_tell_me_more"}]
    assert {"slot_was_set": [{"explain_status": "shown"}]} in story
    # What our own extractors found (the language, the vocabulary) is not exported as annotations.
    exported = (tmp_path / "nlu.yml").read_text(encoding="utf-8")
    assert "- what is internet plus\n" in exported and '"language"' not in exported, exported
