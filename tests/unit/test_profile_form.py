"""The profile form's validation action, run offline like rasa-sdk's own form tests."""
import pytest
from rasa.shared.core.domain import Domain
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

import actions.advice_form as form
from actions.advice_form import ActionAskBudget, ActionAskProfileConfirmed, ValidateFirmProfileForm
from bot.advice.data import advice_data
from bot.paths import REPO_ROOT

DOMAIN = Domain.load(str(REPO_ROOT / "domain.yml")).as_dict()
EMPTY_PROFILE = {"industry": None, "head_count": None, "budget": None, "tools": None, "goal": None,
                 "profile_confirmed": None}


def tracker(text, intent="inform", entities=(), requested=None, **slots):
    message = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": list(entities)}
    return Tracker("user-1", {**EMPTY_PROFILE, **slots, "requested_slot": requested}, message, [], False, None,
                   {"name": "firm_profile_form"}, "action_listen")


def entity(name, value):
    return {"entity": name, "value": value, "start": 0, "end": 1}


async def validate(t):
    events = await ValidateFirmProfileForm().run(CollectingDispatcher(), t, DOMAIN)
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


async def test_several_answers_in_one_message():
    t = tracker("We're a bakery with 8 staff and about $150 a month", intent="request_advice",
                entities=[entity("industry", "food_service"), entity("company_size", "8 staff")])
    slots = await validate(t)
    assert slots["industry"] == "food_service"
    assert slots["head_count"] == {"low": 8, "high": 8}
    assert slots["budget"]["amount"] == 150 and slots["budget"]["currency"] == "USD"
    assert "tools" not in slots and "goal" not in slots


async def test_a_bare_number_is_read_as_the_answer_to_the_question_asked():
    assert (await validate(tracker("around 60", requested="head_count")))["head_count"] == {"low": 60, "high": 60}
    assert (await validate(tracker("5k", requested="budget")))["budget"]["amount"] == 5000
    # ...but not taken as a budget when the budget was not asked
    assert "budget" not in await validate(tracker("around 60", requested="head_count"))


async def test_the_whole_answer_to_the_head_count_question_counts_not_only_the_size_mention_in_it():
    t = tracker("just me and my brother", entities=[entity("company_size", "1")], requested="head_count")
    assert (await validate(t))["head_count"] == {"low": 2, "high": 2}
    t = tracker("just me, and 200 a month to spend", entities=[entity("company_size", "1")], requested="industry")
    assert (await validate(t))["head_count"] == {"low": 1, "high": 1}


async def test_correction_of_an_earlier_answer_asks_for_confirmation_again():
    t = tracker("actually we're 12 people", entities=[entity("company_size", "12 people")],
                requested="profile_confirmed", head_count={"low": 8, "high": 8}, industry="retail")
    slots = await validate(t)
    assert slots["head_count"] == {"low": 12, "high": 12}
    assert slots["profile_confirmed"] is None


@pytest.mark.parametrize("slot, expected", [("industry", "unknown"), ("head_count", "unknown"),
                                            ("tools", ["unknown"]), ("goal", "unknown")])
async def test_skip_leaves_the_question_open(slot, expected):
    assert (await validate(tracker("skip", intent="skip_question", requested=slot)))[slot] == expected


async def test_skipped_budget_is_unknown():
    assert (await validate(tracker("no idea", intent="skip_question", requested="budget")))["budget"]["kind"] == "unknown"


async def test_unrecognised_answer_empties_the_slot_so_the_form_asks_again():
    assert (await validate(tracker("🤷", intent="nlu_fallback", requested="goal")))["goal"] is None
    assert (await validate(tracker("purple, I think", requested="budget")))["budget"] is None


async def test_an_unknown_trade_is_kept_as_other():
    assert (await validate(tracker("funeral directors", requested="industry")))["industry"] == "other"


async def test_nothing_counts_as_a_tool_answer_only_when_tools_were_asked():
    nothing = [entity("tool", "nothing")]
    assert (await validate(tracker("nothing really", entities=nothing, requested="tools")))["tools"] == ["nothing"]
    assert "tools" not in await validate(tracker("I know nothing about it", entities=nothing, requested="goal"))


async def test_confirmation_yes_and_no():
    assert (await validate(tracker("yes", intent="affirm", requested="profile_confirmed")))["profile_confirmed"] is True
    assert (await validate(tracker("no", intent="deny", requested="profile_confirmed")))["profile_confirmed"] is None


async def test_a_concept_question_mid_form_fills_nothing():
    assert await validate(tracker("what is internet+", intent="faq", requested="budget")) == {}


async def test_question_is_prefixed_when_the_answer_was_not_understood():
    dispatcher = CollectingDispatcher()
    await ActionAskBudget().run(dispatcher, tracker("purple, I think", requested="budget", misses={"budget": 1}),
                                DOMAIN)
    assert dispatcher.messages[0]["text"].startswith("Sorry, I didn't catch that.")
    assert dispatcher.messages[0]["buttons"]


async def test_read_back_is_one_line():
    dispatcher = CollectingDispatcher()
    t = tracker("", requested="goal", industry="food_service", head_count={"low": 8, "high": 8},
                budget={"kind": "amount", "amount": 150, "currency": "USD", "period": "month", "upper_bound": False},
                tools=["paper"], goal="more_customers")
    await ActionAskProfileConfirmed().run(dispatcher, t, DOMAIN)
    text = dispatcher.messages[0]["text"]
    assert text == ("So: a food service firm of 8 people, about $150 a month, using paper; "
                    "goal: more customers. Is that right?")
    assert "\n" not in text


# --- every form action, with the full list of events it returns ---------------------------------

async def events_of(action, t):
    dispatcher = CollectingDispatcher()
    return dispatcher.messages, await action.run(dispatcher, t, DOMAIN)


async def test_an_interrupted_form_fills_nothing_and_the_next_answer_resumes_it():
    from rasa_sdk.events import SlotSet

    asked_budget = {"industry": "retail", "head_count": {"low": 3, "high": 3}}
    _, events = await events_of(ValidateFirmProfileForm(),
                                tracker("what is internet plus?", intent="faq", requested="budget", **asked_budget))
    assert events == []  # the digression's rule answers it; the form then asks the same question again
    _, events = await events_of(ValidateFirmProfileForm(),
                                tracker("about 200 dollars a month", requested="budget", **asked_budget))
    budget = {"kind": "amount", "amount": 200.0, "currency": "USD", "period": "month", "upper_bound": False}
    assert events == [SlotSet("budget", budget), SlotSet("misses", {}), SlotSet("profile_confirmed", None)]


async def test_the_intro_tells_what_is_kept_once():
    from actions.advice_form import ActionAdviceIntro
    from bot.advice.data import advice_data

    messages, events = await events_of(ActionAdviceIntro(), tracker("advice please", intent="request_advice"))
    assert ([m["text"] for m in messages], events) == ([advice_data().replies.text("consent")], [])
    messages, events = await events_of(ActionAdviceIntro(), tracker("advice", profile_confirmed=True))
    assert (messages, events) == ([], [])


@pytest.mark.parametrize("action_name", ["ActionAskIndustry", "ActionAskHeadCount", "ActionAskBudget",
                                         "ActionAskTools", "ActionAskGoal"])
async def test_each_question_is_asked_with_its_buttons(action_name):
    import actions.advice_form as form
    from bot.advice.data import advice_data

    action = getattr(form, action_name)()
    slot = action.slot
    assert action.name() == f"action_ask_{slot}"
    messages, events = await events_of(action, tracker("what should my shop do first?", intent="request_advice"))
    question = advice_data().replies.render(f"ask_{slot}")
    assert events == [] and [(m["text"], m["buttons"]) for m in messages] == [(question["text"], question["buttons"])]


async def test_after_a_no_the_read_back_asks_what_to_change():
    from bot.advice.data import advice_data

    messages, events = await events_of(ActionAskProfileConfirmed(),
                                       tracker("no", intent="deny", requested="profile_confirmed", industry="retail"))
    assert ([m["text"] for m in messages], events) == ([advice_data().replies.text("what_to_change")], [])


async def test_stop_ends_the_form_and_says_how_to_pick_it_up_again():
    from rasa_sdk.events import ActiveLoop, SlotSet

    from actions.advice_form import ActionStopForm
    from bot.advice.data import advice_data

    messages, events = await events_of(ActionStopForm(), tracker("stop", intent="stop", requested="goal"))
    assert [m["text"] for m in messages] == [advice_data().replies.text("form_stopped")]
    assert events == [ActiveLoop(None), SlotSet("requested_slot", None)]


# --- never stuck ---------------------------------------------------------------------------------

def with_user(t, text="x", message_id="m1"):
    """The tracker with the owner's message as its last event, as Rasa sends it."""
    t.events.append({"event": "user", "text": text, "timestamp": 1.0})
    t.latest_message["message_id"] = message_id
    return t


async def ask(action, t):
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, t, DOMAIN)
    return dispatcher.messages[0]


async def test_a_missed_answer_is_counted_once_even_when_rasa_validates_twice():
    t = with_user(tracker("purple", requested="goal"))
    first = await validate(t)
    assert first["goal"] is None and first["misses"] == {"goal": {"n": 1, "message": "m1"}}
    again = await validate(with_user(tracker("purple", requested="goal", misses=first["misses"])))
    assert again["misses"] == first["misses"]  # the same message, validated again: still one miss


async def test_the_question_is_asked_plainly_then_with_a_hint_then_with_buttons_and_a_way_out():
    from bot.advice.data import advice_data

    replies = advice_data().replies
    plain = await ask(ActionAskBudget(), tracker("hmm", requested="budget", misses={}))
    hinted = await ask(ActionAskBudget(), tracker("hmm", requested="budget", misses={"budget": {"n": 1}}))
    buttons = await ask(ActionAskBudget(), tracker("hmm", requested="budget", misses={"budget": {"n": 2}}))
    assert plain["text"] == replies.text("ask_budget")
    assert hinted["text"] == replies.text("not_understood", question=f"{replies.text('ask_budget')} "
                                                                      f"{replies.text('hint_budget')}")
    assert buttons["text"] == replies.text("choose")
    titles = [b["title"] for b in buttons["buttons"]]
    assert titles[-1] == "Skip" and "Something else" not in titles  # a number has no "something else"
    assert len({plain["text"], hinted["text"], buttons["text"]}) == 3


async def test_the_goal_question_offers_something_else_and_asks_for_own_words():
    goal = await ask(form.ActionAskGoal(), tracker("hmm", requested="goal", misses={"goal": {"n": 2}}))
    assert [b["title"] for b in goal["buttons"]][-2:] == ["Something else", "Skip"]
    prompt = await ask(form.ActionAskGoal(), tracker("something else", requested="goal"))
    from bot.advice.data import advice_data

    assert prompt["text"] == advice_data().replies.text("own_words_prompt")


async def test_after_two_misses_the_goal_is_kept_in_the_owners_words():
    t = with_user(tracker("getting my son to join the business", requested="goal", misses={"goal": {"n": 2}}))
    slots = await validate(t)
    assert slots["goal"] == "own_words" and slots["goal_words"] == "getting my son to join the business"


async def test_the_third_miss_of_a_number_leaves_it_open():
    slots = await validate(with_user(tracker("purple", requested="head_count", misses={"head_count": {"n": 2}})))
    assert slots["head_count"] == "unknown"


async def test_a_correction_is_acknowledged_before_the_next_question():
    from bot.advice.data import advice_data

    t = tracker("actually we're 9 people now", requested="budget", head_count={"low": 9, "high": 9})
    t.events[:] = [{"event": "slot", "name": "requested_slot", "value": "budget"},
                   {"event": "user", "text": "actually we're 9 people now"},
                   {"event": "slot", "name": "head_count", "value": {"low": 9, "high": 9}},
                   {"event": "slot", "name": "requested_slot", "value": "budget"}]
    message = await ask(ActionAskBudget(), t)
    assert message["text"].startswith(advice_data().replies.text("correction_noted", what="9 people") + " ")


async def test_answers_checked_again_when_the_form_starts_again_are_no_correction():
    kept = {"low": 2, "high": 2}
    t = tracker("/request_advice", intent="request_advice", requested="budget", head_count=kept, industry="retail")
    t.events[:] = [{"event": "slot", "name": "head_count", "value": kept},
                   {"event": "slot", "name": "industry", "value": "retail"},
                   {"event": "user", "text": "/request_advice"},
                   {"event": "slot", "name": "head_count", "value": kept},
                   {"event": "slot", "name": "industry", "value": "retail"},
                   {"event": "slot", "name": "requested_slot", "value": "budget"}]
    message = await ask(ActionAskBudget(), t)
    assert message["text"].startswith(advice_data().replies.text("ask_budget")), message["text"]


async def test_what_should_we_do_first_mid_form_is_answered_and_the_question_follows():
    from bot.advice.data import advice_data

    t = tracker("what should we do first?", intent="request_advice", requested="budget")
    t.events[:] = [{"event": "slot", "name": "requested_slot", "value": "budget"},
                   {"event": "user", "text": "what should we do first?"}]
    message = await ask(ActionAskBudget(), t)
    replies = advice_data().replies
    assert message["text"].startswith(replies.text("questions_lead_to_plan") + " ")
    assert replies.text("ask_budget") in message["text"]


@pytest.mark.parametrize("text, tools, expected", [
    ("we have no website yet, just paper", [("website", "website"), ("paper", "paper")], ["paper"]),
    ("no website yet", [("website", "website")], ["nothing"]),
    ("excel and whatsapp", [("excel", "spreadsheet"), ("whatsapp", "messaging_app")], ["messaging_app", "spreadsheet"]),
])
async def test_a_tool_they_say_they_do_not_have_is_not_taken_as_used(text, tools, expected):
    entities = [{"entity": "tool", "value": value, "start": text.index(word), "end": text.index(word) + len(word)}
                for word, value in tools]
    assert (await validate(tracker(text, entities=entities, requested="tools")))["tools"] == expected


async def test_something_else_at_the_goal_fills_nothing_yet_but_keeps_the_form_going():
    slots = await validate(with_user(tracker("something else", requested="goal", misses={"goal": {"n": 2}})))
    assert slots["goal"] is None and slots["goal_words"] is None  # a slot event: Rasa does not reject the form


async def test_after_the_own_words_prompt_the_next_answer_is_kept_as_said():
    from bot.advice.data import advice_data

    t = tracker("the parking outside is a nightmare", requested="goal")
    t.events[:] = [{"event": "bot", "text": advice_data().replies.text("own_words_prompt")},
                   {"event": "user", "text": "the parking outside is a nightmare"}]
    slots = await validate(t)
    assert slots["goal"] == "own_words" and slots["goal_words"] == "the parking outside is a nightmare"


async def test_something_else_at_another_question_does_not_make_the_goal_own_words():
    t = with_user(tracker("not sure", intent="inform", requested="goal"))
    t.events.insert(0, {"event": "user", "text": "something else"})  # tapped at the tools question
    assert (await validate(t))["goal"] is None


async def test_what_should_we_do_first_is_not_a_miss():
    slots = await validate(with_user(tracker("what should we do first?", intent="request_advice", requested="budget")))
    assert slots["budget"] is None and slots["misses"] == {}


async def test_a_yes_or_a_no_is_never_read_as_a_goal():
    for text, intent in (("yes please", "affirm"), ("not really", "deny")):
        assert (await validate(with_user(tracker(text, intent=intent, requested="goal"))))["goal"] is None


@pytest.mark.parametrize("misses", [{"goal": {"n": None}}, {"goal": {"n": "2"}}, {"goal": [1]}, "lots", 3])
async def test_a_malformed_misses_slot_never_crashes(misses):
    slots = await validate(with_user(tracker("purple", requested="goal", misses=misses)))
    assert slots["goal"] is None and slots["misses"]["goal"]["n"] == 1


@pytest.mark.parametrize("intent", ["talk_to_person", "delete_my_data"])
async def test_a_request_about_something_else_fills_no_answer(intent):
    t = tracker("can a consultant call me on 5 of us", intent=intent, requested="industry",
                entities=[entity("industry", "professional_services"), entity("company_size", "5 of us")])
    assert await validate(t) == {}


# --- in Chinese ----------------------------------------------------------------------------------

ZH = advice_data("zh").replies


async def test_the_chinese_something_else_button_is_understood_like_the_english_one():
    assert (await validate(with_user(tracker("其他", requested="tools", language="zh"))))["tools"] == ["unknown"]
    prompt = await ask(form.ActionAskGoal(), tracker("其他", requested="goal", language="zh"))
    assert prompt["text"] == ZH.text("own_words_prompt")


async def test_a_button_tapped_before_a_switch_of_language_still_counts():
    assert (await validate(with_user(tracker("something else", requested="tools", language="zh"))))["tools"] == ["unknown"]
    assert (await validate(with_user(tracker("其他", requested="tools", language="en"))))["tools"] == ["unknown"]


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_after_either_languages_own_words_prompt_the_next_answer_is_kept_as_said(language):
    t = tracker("the parking outside is a nightmare", requested="goal", language="zh")
    t.events[:] = [{"event": "bot", "text": advice_data(language).replies.text("own_words_prompt")},
                   {"event": "user", "text": "the parking outside is a nightmare"}]
    slots = await validate(t)
    assert slots["goal"] == "own_words" and slots["goal_words"] == "the parking outside is a nightmare"


async def test_the_chinese_choices_offer_something_else_only_where_it_fits():
    number = await ask(ActionAskBudget(), tracker("嗯", requested="budget", misses={"budget": {"n": 2}}, language="zh"))
    goal = await ask(form.ActionAskGoal(), tracker("嗯", requested="goal", misses={"goal": {"n": 2}}, language="zh"))
    assert number["text"] == ZH.text("choose") and "其他" not in [b["title"] for b in number["buttons"]]
    assert [(b["title"], b["payload"]) for b in goal["buttons"]][-2:] == [("其他", "其他"), ("跳过", "/skip_question")]


async def test_a_chinese_hint_follows_the_question_without_a_space():
    hinted = await ask(ActionAskBudget(), tracker("嗯", requested="budget", misses={"budget": {"n": 1}}, language="zh"))
    assert hinted["text"] == ZH.text("not_understood", question=ZH.text("ask_budget") + ZH.text("hint_budget"))


async def test_a_chinese_correction_is_acknowledged_in_chinese():
    t = tracker("其实我们有9个人", requested="budget", head_count={"low": 9, "high": 9}, language="zh",
                tools=["paper", "spreadsheet"])
    t.events[:] = [{"event": "slot", "name": "requested_slot", "value": "budget"},
                   {"event": "user", "text": "其实我们有9个人"},
                   {"event": "slot", "name": "head_count", "value": {"low": 9, "high": 9}},
                   {"event": "slot", "name": "tools", "value": ["paper", "spreadsheet"]},
                   {"event": "slot", "name": "requested_slot", "value": "budget"}]
    message = await ask(ActionAskBudget(), t)
    assert message["text"] == ZH.text("correction_noted", what="纸质记录、电子表格；9人") + ZH.text("ask_budget")


async def test_the_chinese_read_back():
    dispatcher = CollectingDispatcher()
    t = tracker("", requested="goal", industry="food_service", head_count={"low": 1, "high": 1},
                budget={"kind": "amount", "amount": 2000, "currency": "CNY", "period": "month", "upper_bound": True},
                tools=["paper"], goal="more_customers", language="zh")
    await ActionAskProfileConfirmed().run(dispatcher, t, DOMAIN)
    assert dispatcher.messages[0]["text"] == (
        "我确认一下：一家餐饮企业，就您一个人，每月最多¥2,000，在用纸质记录；目标：吸引更多客户。对吗？")
