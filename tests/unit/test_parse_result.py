"""Reading Rasa's parse results: the one reader that "tell me more", review and the shell share."""
import pytest

from bot.nlu.parse_result import Understood, understood

FAQ_PARSE = {
    "intent": {"name": "faq", "confidence": 0.91},
    "response_selector": {"faq": {"response": {"intent_response_key": "faq/cloud_computing", "confidence": 0.97}}},
}


def test_a_faq_question_gives_its_topic_and_both_scores():
    assert understood(FAQ_PARSE) == Understood("faq", 0.91, "cloud_computing", 0.97)
    assert understood(FAQ_PARSE).label() == "faq/cloud_computing 0.97"


def test_another_intent_has_no_topic_even_when_a_selector_answered():
    parse = {**FAQ_PARSE, "intent": {"name": "greet", "confidence": 0.994}}
    assert understood(parse) == Understood("greet", 0.994)
    assert understood(parse).label() == "greet 0.99"


@pytest.mark.parametrize("parse", [
    None, {}, {"intent": None}, {"intent": "faq"}, {"intent": {"name": 3, "confidence": "high"}},
    {"intent": {"name": "faq"}, "response_selector": {"faq": {"response": {"intent_response_key": None}}}},
    {"intent": {"name": "faq"}, "response_selector": {"faq": {"response": {"intent_response_key": "other/x"}}}},
    {"intent": {"name": "faq"}, "response_selector": []},
])
def test_missing_or_malformed_parts_read_as_nothing(parse):
    seen = understood(parse)
    assert seen.faq_topic is None and seen.topic_confidence is None
    assert seen.label().endswith("0.00")


def test_a_topic_without_its_own_score_shows_the_intent_score():
    parse = {"intent": {"name": "faq", "confidence": 0.8},
             "response_selector": {"faq": {"response": {"intent_response_key": "faq/what_is_internet_plus"}}}}
    assert understood(parse).label() == "faq/what_is_internet_plus 0.80"


def test_both_scores_are_shown_for_a_faq_question_and_one_otherwise():
    from bot.nlu.parse_result import Understood

    assert Understood("faq", 0.98, "cloud_computing", 0.26).both() == "faq 0.98, topic cloud_computing 0.26"
    assert Understood("greet", 0.99).both() == "greet 0.99"
