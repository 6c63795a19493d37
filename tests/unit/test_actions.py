"""Custom actions run offline with rasa-sdk's Tracker and CollectingDispatcher."""
import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.explain import ActionTellMeMore
from actions.fallback import ActionCheckInput

DOMAIN = {"responses": {f"utter_faq/difference_more_{n}": [{"text": f"level {n}"}] for n in (1, 2)}}


def tracker(events, latest_message=None):
    return Tracker("user-1", {}, latest_message or {}, events, False, None, {}, "action_listen")


def user(intent, topic=None, entities=()):
    parse = {"intent": {"name": intent}, "entities": list(entities)}
    if topic:
        parse["response_selector"] = {"faq": {"response": {"intent_response_key": f"faq/{topic}"}}}
    return {"event": "user", "parse_data": parse}


async def run(action, events, latest=None):
    dispatcher = CollectingDispatcher()
    result = await action.run(dispatcher, tracker(events, latest), DOMAIN)
    return dispatcher.messages, result


async def test_tell_me_more_sends_the_next_level():
    events = [user("faq", "difference"), user("tell_me_more"), user("tell_me_more")]
    messages, result = await run(ActionTellMeMore(), events)
    assert [m["response"] for m in messages] == ["utter_faq/difference_more_2"]
    assert result == [{"event": "slot", "name": "explain_status", "value": "shown", "timestamp": None}]


async def test_tell_me_more_past_the_deepest_level_sends_nothing_and_says_so():
    events = [user("faq", "difference")] + [user("tell_me_more")] * 3
    messages, result = await run(ActionTellMeMore(), events)
    assert messages == []
    assert result[0]["value"] == "deepest"


async def test_tell_me_more_ignores_topics_before_a_restart():
    events = [user("faq", "difference"), {"event": "restart"}, user("tell_me_more")]
    messages, result = await run(ActionTellMeMore(), events)
    assert messages == [] and result[0]["value"] == "no_topic"


@pytest.mark.parametrize(
    "entities, expected",
    [
        ([{"entity": "input_problem", "value": "too_long"}], "too_long"),
        ([{"entity": "input_problem", "value": "other_language"}], "other_language"),
        ([{"entity": "input_problem", "value": "made_up"}], None),
        ([], None),
    ],
)
async def test_check_input_records_the_problem(entities, expected):
    latest = {"intent": {"name": "nlu_fallback"}, "entities": entities}
    _, result = await run(ActionCheckInput(), [], latest)
    assert result == [{"event": "slot", "name": "input_problem", "value": expected, "timestamp": None}]
