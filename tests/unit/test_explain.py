""""Tell me more": topic and depth derived from tracker events."""
from bot.advice.explain import deeper_response_name, faq_topic, next_explanation


def user(intent, topic=None):
    parse = {"intent": {"name": intent}}
    if topic:
        parse["response_selector"] = {"faq": {"response": {"intent_response_key": f"faq/{topic}"}}}
    return {"event": "user", "parse_data": parse}


def bot():
    return {"event": "bot", "text": "..."}


def test_first_more_after_a_question_is_level_one():
    events = [user("faq", "difference"), bot(), user("tell_me_more")]
    assert next_explanation(events) == ("difference", 1)


def test_each_more_goes_one_level_deeper():
    events = [user("faq", "difference"), bot(), user("tell_me_more"), bot(), user("tell_me_more")]
    assert next_explanation(events) == ("difference", 2)


def test_a_new_question_resets_the_depth():
    events = [user("faq", "difference"), user("tell_me_more"), user("tell_me_more"),
              user("faq", "why_act_now"), user("tell_me_more")]
    assert next_explanation(events) == ("why_act_now", 1)


def test_small_talk_in_between_keeps_the_topic():
    events = [user("faq", "technologies"), user("thank"), user("tell_me_more")]
    assert next_explanation(events) == ("technologies", 1)


def test_no_topic_yet():
    assert next_explanation([user("greet"), user("tell_me_more")]) == (None, 1)


def test_topic_needs_the_faq_intent_and_a_selected_response():
    assert faq_topic({"intent": {"name": "greet"}}) is None
    assert faq_topic({"intent": {"name": "faq"}}) is None
    assert faq_topic(user("faq", "relationship")["parse_data"]) == "relationship"


def test_response_name():
    assert deeper_response_name("difference", 2) == "utter_faq/difference_more_2"
