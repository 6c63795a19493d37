"""Second thoughts on "stop", "no" and "off-topic" when the owner is describing a problem."""
import pytest

from bot.nlu.intent_guard import corrected_intent, means_stop, second_choice


@pytest.mark.parametrize("text", [
    "stop", "stop please", "cancel", "quit", "enough", "forget it", "stop asking me questions",
    "can we stop here", "I don't want to continue", "cancel this please", "never mind", "no more questions",
    "please stop, I have no time for this now", "I want to stop", "I'd like to quit", "leave me alone please",
])
def test_a_request_to_stop_is_a_stop(text):
    assert means_stop(text)
    assert corrected_intent("stop", text, 0.9) is None


@pytest.mark.parametrize("text", [
    "our presses keep stopping and we miss deadlines",
    "the line stops twice a week and nobody knows why",
    "we want to stop selling through wholesalers",
    "clients cancel at the last minute and the chair sits empty",
    "machines break down and we lose orders",
])
def test_a_description_with_stop_words_is_an_answer(text):
    assert corrected_intent("stop", text, 0.3) == "inform"


def test_a_sure_answer_model_overrules_off_topic_and_no():
    assert corrected_intent("out_of_scope", "pricing jobs takes me all weekend", 0.8) == "inform"
    assert corrected_intent("deny", "no, we never know how much cash we have", 0.7) == "inform"
    assert corrected_intent("out_of_scope", "pricing jobs takes me all weekend", 0.4) is None  # not sure enough
    assert corrected_intent("deny", "no", 0.9) is None  # a bare no stays a no
    assert corrected_intent("greet", "hello there friend", 0.99) is None  # other intents are left alone
    assert corrected_intent("out_of_scope", "what's a good hotel in Chengdu", 0.9) is None  # a question
    assert corrected_intent("out_of_scope", "can you book me a table for two?", 0.9) is None


def test_in_chinese_a_described_problem_is_an_answer_and_a_question_about_the_bot_is_not():
    assert corrected_intent("bot_challenge", "机器老是停，交不了货", 0.98) == "inform"
    assert corrected_intent("bot_challenge", "你是机器人吗", 0.9) is None  # a question
    assert corrected_intent("bot_challenge", "机器老是停，交不了货", 0.3) is None  # the answer model is unsure
    assert corrected_intent("stop", "机器老是停，交不了货", 0.0) == "inform"
    assert corrected_intent("stop", "别问了", 0.0) is None
    assert corrected_intent("out_of_scope", "客人来了一次就再也不回来了", 0.8) == "inform"


def test_a_goodbye_that_leaves_a_number_asks_to_be_contacted():
    assert corrected_intent("goodbye", "bye for now, call me on +44 20 7946 0958", 0.0) == "talk_to_person"
    assert corrected_intent("goodbye", "bye for now", 0.0) is None
    assert corrected_intent("ask_step_details", "please phone me on +44 20 7946 0958", 0.0) == "talk_to_person"
    assert corrected_intent("ask_step_details", "tell me more about step 2", 0.0) is None


def test_a_described_problem_read_as_a_request_for_something_cheaper_is_an_answer():
    assert corrected_intent("ask_cheaper", "the printers keep jamming and we lose time", 0.9) == "inform"
    assert corrected_intent("ask_cheaper", "something cheaper please", 0.9) is None  # short: a request
    assert corrected_intent("ask_cheaper", "is there anything cheaper than this?", 0.9) is None  # a question
    # a trade named in a request about price: the answer model is sure of the trade, the request stands
    assert corrected_intent("ask_cheaper", "give me a less expensive plan for my bakery", 0.95) is None
    assert corrected_intent("ask_cheaper", "我们面包店想要个更便宜的方案", 0.95) is None


RANKING = [{"name": "report_progress", "confidence": 0.95}, {"name": "inform", "confidence": 0.03},
           {"name": "faq", "confidence": 0.01}]


def test_progress_without_a_word_of_progress_is_the_classifiers_next_choice():
    assert second_choice("report_progress", False, RANKING) == ("inform", 0.03)  # "clients don't turn up"
    assert second_choice("report_progress", True, RANKING) is None  # "we finished it"
    assert second_choice("inform", False, RANKING) is None
    assert second_choice("report_progress", False, RANKING[:1]) == ("nlu_fallback", 0.0)
