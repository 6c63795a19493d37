""""Did you mean ...?": the likeliest meanings in words, never raw intent names."""
import pytest
from rasa.shared.nlu.training_data.message import Message
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionAskAffirmation
from bot.nlu.clarify import choices, likeliest, load_choices, topic_is_unsure
from bot.nlu.components import TopicGate
from bot.yaml_source import DataError


def faq_parse(*topics):
    """A parse of an unsure FAQ question: `faq` first, then greet; topics with their scores."""
    ranking = [{"intent_response_key": f"faq/{name}", "confidence": score} for name, score in topics]
    return {"intent": {"name": "nlu_fallback", "confidence": 0.4},
            "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.6}, {"name": "faq", "confidence": 0.4},
                               {"name": "greet", "confidence": 0.3}],
            "response_selector": {"faq": {"response": ranking[0] if ranking else {}, "ranking": ranking}}}


def test_an_unsure_faq_question_offers_its_two_likeliest_topics_in_words():
    parse = faq_parse(("difference", 0.41), ("relationship", 0.38), ("technologies", 0.1))
    buttons = likeliest(parse, choices())
    assert [b["title"] for b in buttons] == ["How the two differ", "How the two are related"]
    assert all("_" not in b["title"] and "faq" not in b["title"] for b in buttons)


def test_intents_are_offered_by_their_titles_and_unlisted_ones_are_not():
    parse = {"intent_ranking": [{"name": "nlu_fallback"}, {"name": "affirm"}, {"name": "request_advice"},
                                {"name": "show_plan"}, {"name": "greet"}]}
    assert [b["payload"] for b in likeliest(parse, choices())] == ["/request_advice", "/show_plan"]


@pytest.mark.parametrize("scores, unsure", [
    ([0.9, 0.05], False), ([0.45, 0.2], True), ([0.55, 0.5], True), ([0.7, 0.55], False), ([], False),
])
def test_a_topic_is_unsure_when_low_or_close_to_the_next(scores, unsure):
    parse = faq_parse(*[(f"t{n}", s) for n, s in enumerate(scores)])
    assert topic_is_unsure(parse, 0.5, 0.1) is unsure


def test_the_topic_gate_turns_only_an_unsure_faq_into_the_fallback():
    gate = TopicGate({"topic_threshold": 0.5, "ambiguity_threshold": 0.1})
    unsure, sure, greeting = Message(data={"text": "a"}), Message(data={"text": "b"}), Message(data={"text": "c"})
    for message, intent, scores in ((unsure, "faq", [0.26, 0.2]), (sure, "faq", [0.97, 0.01]),
                                    (greeting, "greet", [0.3, 0.29])):
        message.set("intent", {"name": intent, "confidence": 0.9})
        message.set("response_selector", faq_parse(*[(f"t{n}", s) for n, s in enumerate(scores)])["response_selector"])
    gate.process([unsure, sure, greeting])
    assert [m.get("intent")["name"] for m in (unsure, sure, greeting)] == ["nlu_fallback", "faq", "greet"]


async def test_the_affirmation_shows_the_choices_then_something_else():
    parse = {**faq_parse(("why_act_now", 0.4), ("technologies", 0.35)), "text": "why now tech"}
    dispatcher = CollectingDispatcher()
    events = await ActionAskAffirmation().run(dispatcher, Tracker("u", {}, parse, [], False, None, {}, ""), {})
    assert events == []
    [message] = dispatcher.messages
    assert message["text"] == "I'm not sure I understood. Did you mean one of these?"
    assert [b["title"] for b in message["buttons"]] == ["Why act now", "The technologies involved", "Something else"]
    assert message["buttons"][-1]["payload"] == "/out_of_scope"  # Rasa's two-stage fallback's "none of these"


async def test_with_nothing_likely_it_asks_for_another_wording():
    dispatcher = CollectingDispatcher()
    parse = {"text": "zzz", "intent_ranking": [{"name": "nlu_fallback"}, {"name": "affirm"}]}
    await ActionAskAffirmation().run(dispatcher, Tracker("u", {}, parse, [], False, None, {}, ""), {})
    assert dispatcher.messages[0]["text"] == "I'm not sure I understood. Could you say it another way?"


def test_an_unknown_name_in_the_choices_file_is_named_with_its_line(tmp_path):
    path = tmp_path / "clarify.yml"
    path.write_text('intents:\n  greet: {title: "Hello", payload: "/greet"}\n  gret: {title: "Hi", payload: "/gret"}\n'
                    'topics: {}\n', encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_choices(path, intents={"greet"}, topics=set())
    assert err.value.line == 3 and "'gret' is not a known intent" in str(err.value)
