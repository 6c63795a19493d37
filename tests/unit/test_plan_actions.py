"""The plan's actions and the memory actions, run as rasa-sdk runs them: a Tracker, a CollectingDispatcher,
`await action.run(...)`, and the full list of events asserted.

The app database is a real in-memory SQLite store, or one that cannot be opened, to fail on purpose.
"""
import re
from dataclasses import replace

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import Restarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.explain import ActionTellMeMore
from actions.plan import (ActionAlreadyHave, ActionCheaperPlan, ActionExplainStep, ActionMakePlan, ActionShowPlan,
                          ActionStepDetails)
from actions.report import ActionSendPlanFile
from actions.user_memory import ActionCheckReturningUser, ActionDeleteMyData, ActionProgressReply, ActionWelcomeBack
from bot.advice.data import advice_data
from bot.advice.plan_record import Constraints, PlanRecord, cheaper, new_record, plan_from_record
from bot.advice.plan_text import render_plan, step_details
from bot.advice.slots import budget_from_slot
from actions.charts import signer
from bot.report.links import ReportRef, split_url

DATA = advice_data()
REPLIES = DATA.replies
SENDER = "owner-1"
SALON = {"industry": "beauty_and_wellness", "head_count": {"low": 1, "high": 1},
         "budget": {"kind": "amount", "amount": 100, "currency": "EUR", "period": "month", "upper_bound": False},
         "tools": ["paper", "social_media"], "goal": "more_customers"}
# A plan the recommender would not choose for the salon today: follow-ups must read it, not recompute it.
GIVEN = PlanRecord(("online_booking", "map_listing"), SALON, Constraints(excluded=("qr_payments",)), 1, "EUR",
                   version=4, created_at="2026-11-30T09:00:00+00:00")


@pytest.fixture
def store(actions_store):
    return actions_store


@pytest.fixture
def broken_store(broken_actions_store):
    return broken_actions_store


def tracker(text="", intent="", entities=(), events=(), **slots):
    message = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": list(entities)}
    return Tracker(SENDER, slots, message, list(events), False, None, {}, "action_listen")


def step_number(value):
    return {"entity": "step_number", "value": value, "start": 0, "end": 1}


async def run(action, t):
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, t, {})
    return dispatcher.messages, events


def shown(messages):
    """What the user sees of each message: its text and buttons."""
    return [{"text": m["text"], "buttons": m["buttons"]} for m in messages]


def texts(messages):
    return [m["text"] for m in messages]


def rendered(record):
    """The plan's texts as sent: a stored plan has its chart's caption before the follow-up buttons."""
    lines = texts(render_plan(DATA, plan_from_record(DATA, record), budget_from_slot(record.profile["budget"])))
    return lines[:-1] + [REPLIES.text("chart_caption")] + lines[-1:] if record.version else lines


def stored_record(store):
    return PlanRecord.from_dict(store.latest_plan(SENDER))


# --------------------------------------------------------------------------- making and showing


async def test_a_new_plan_is_stored_with_its_profile_and_becomes_the_conversations_plan(store):
    messages, events = await run(ActionMakePlan(), tracker(**SALON, profile_confirmed=True))
    saved = stored_record(store)
    assert saved.version == 1 and saved.profile == SALON and saved.change == "made"
    assert events == [SlotSet("plan", saved.to_dict()), SlotSet("focus_step", None)]
    assert texts(messages) == rendered(saved)
    assert store.load_profile(SENDER)["industry"] == "beauty_and_wellness"
    # the chart's link is signed for this conversation and this version of the plan
    (image,) = [m["image"] for m in messages if m.get("image")]
    token, file = split_url(image)
    assert file == "chart.png" and signer().read(token) == ReportRef(SENDER, 1, "en", saved.created_at)


async def test_a_plan_that_could_not_be_stored_is_still_given_and_the_user_is_told(broken_store):
    messages, events = await run(ActionMakePlan(), tracker(**SALON))
    _, record = new_record(DATA, SALON)
    assert events == [SlotSet("plan", record.to_dict()), SlotSet("focus_step", None)]
    assert texts(messages) == rendered(record) + [REPLIES.text("plan_not_saved")]


async def test_show_my_plan_shows_the_plan_given_not_a_new_one(store):
    messages, events = await run(ActionShowPlan(), tracker(plan=GIVEN.to_dict()))
    assert events == []
    assert texts(messages) == rendered(GIVEN)
    assert "Online booking page" in messages[0]["text"] and "QR" not in messages[0]["text"]


async def test_after_a_restart_show_my_plan_reads_the_store(store):
    store.save_plan(SENDER, GIVEN.to_dict())
    messages, events = await run(ActionShowPlan(), tracker())
    saved = stored_record(store)
    assert events == [SlotSet("plan", saved.to_dict())]
    assert texts(messages) == rendered(saved)


async def test_without_a_plan_show_my_plan_offers_one(store):
    messages, events = await run(ActionShowPlan(), tracker())
    assert (texts(messages), events) == ([REPLIES.text("no_plan_yet")], [])


async def test_with_the_store_down_show_my_plan_does_not_claim_there_is_no_plan(broken_store):
    messages, events = await run(ActionShowPlan(), tracker())
    assert (texts(messages), events) == ([REPLIES.text("memory_unavailable")], [])


# --------------------------------------------------------------------------- one step


async def test_why_names_the_step_and_title_of_the_plan_given(store):
    messages, events = await run(ActionExplainStep(), tracker("why step 2?", "ask_why", [step_number("2")],
                                                              plan=GIVEN.to_dict()))
    step = DATA.catalogue.get("map_listing")
    assert events == [SlotSet("focus_step", 2)]
    assert texts(messages)[0].startswith(f"Step 2, {step.title}: {step.why}")


async def test_a_stale_focus_past_the_plans_end_is_not_used(store):
    shorter = PlanRecord(("map_listing",), SALON, Constraints(), 1, "EUR")
    messages, events = await run(ActionExplainStep(), tracker("why this one", "ask_why", plan=shorter.to_dict(),
                                                              focus_step=2.0))
    assert events == [SlotSet("focus_step", 1)]
    assert texts(messages)[0].startswith(f"Step 1, {DATA.catalogue.get('map_listing').title}:")


async def test_a_step_the_plan_does_not_have_gets_the_plans_steps_as_buttons(store):
    messages, events = await run(ActionStepDetails(), tracker("details on step 7", "ask_step_details",
                                                              plan=GIVEN.to_dict(), focus_step=1.0))
    titles = [DATA.catalogue.get(i).title for i in GIVEN.step_ids]
    assert events == []
    assert messages[0]["text"] == REPLIES.text("step_not_in_plan", count="2 steps")
    assert [b["title"] for b in messages[0]["buttons"]] == [f"1. {titles[0]}", f"2. {titles[1]}"]
    assert [b["payload"] for b in messages[0]["buttons"]] == ["tell me more about step 1", "tell me more about step 2"]


async def test_a_step_named_by_its_title(store):
    messages, events = await run(ActionStepDetails(), tracker("more about the map listing", "ask_step_details",
                                                              plan=GIVEN.to_dict()))
    assert events == [SlotSet("focus_step", 2)]
    assert shown(messages) == [step_details(DATA, DATA.catalogue.get("map_listing"), budget_from_slot(SALON["budget"]))]


async def test_tell_me_more_right_after_a_plan_is_about_its_step(store):
    events = [{"event": "action", "name": "action_show_plan"}, {"event": "user", "parse_data": {
        "intent": {"name": "tell_me_more"}}}]
    messages, result = await run(ActionTellMeMore(), tracker("tell me more", "tell_me_more", events=events,
                                                             plan=GIVEN.to_dict(), focus_step=1.0))
    assert result == [SlotSet("focus_step", 1), SlotSet("explain_status", "plan_step")]
    assert shown(messages) == [step_details(DATA, DATA.catalogue.get("online_booking"),
                                            budget_from_slot(SALON["budget"]))]


# --------------------------------------------------------------------------- changes make versions


async def test_something_cheaper_stores_the_next_version_and_show_my_plan_then_shows_it(store):
    store.save_plan(SENDER, GIVEN.to_dict())
    _, record = new_record(DATA, SALON)
    messages, events = await run(ActionCheaperPlan(), tracker("something cheaper", "ask_cheaper",
                                                              plan=record.to_dict(), focus_step=3.0))
    given, expected = cheaper(DATA, record)
    saved = stored_record(store)
    assert saved.version == 2 and list(saved.step_ids) == [p.step.id for p in given.steps]
    assert saved.constraints == expected.constraints and saved.change == "cheaper"
    assert events == [SlotSet("plan", saved.to_dict()), SlotSet("focus_step", None)]
    shown, _ = await run(ActionShowPlan(), tracker(plan=events[0]["value"]))
    assert texts(shown) == texts(messages)


async def test_nothing_cheaper_than_a_free_plan(store):
    free = PlanRecord(("map_listing",), SALON, Constraints(), 1, "EUR")
    messages, events = await run(ActionCheaperPlan(), tracker("cheaper", "ask_cheaper", plan=free.to_dict()))
    assert (texts(messages), events) == ([REPLIES.text("nothing_cheaper")], [])
    assert store.latest_plan(SENDER) is None


async def test_i_already_have_step_1_drops_it_and_stores_the_next_version(store):
    messages, events = await run(ActionAlreadyHave(), tracker("I already have step 1", "already_have",
                                                              [step_number("1")], plan=GIVEN.to_dict()))
    saved = stored_record(store)
    assert "online_booking" in saved.constraints.excluded and "online_booking" not in saved.step_ids
    assert saved.change == "owned"
    assert events == [SlotSet("focus_step", 1), SlotSet("plan", saved.to_dict()), SlotSet("focus_step", None)]
    assert texts(messages)[0] == REPLIES.text("already_have_noted", title="Online booking page")
    assert texts(messages)[1:] == rendered(saved)


def tool(value):
    return {"entity": "tool", "value": value, "start": 0, "end": 1}


async def test_a_named_tool_is_taken_as_owned(store):
    messages, events = await run(ActionAlreadyHave(), tracker("we already use a booking app", "already_have",
                                                              [tool("booking_system")], plan=GIVEN.to_dict()))
    saved = stored_record(store)
    assert saved.constraints.owned_tools == ("booking_system",)
    assert not any(DATA.catalogue.get(i).provides == ("booking_system",) for i in saved.step_ids)
    assert texts(messages)[0] == REPLIES.text("already_use_changes", title="booking system")
    assert events == [SlotSet("plan", saved.to_dict()), SlotSet("focus_step", None)]


async def test_a_tool_that_changes_nothing_keeps_the_plan_and_says_so(store):
    _, record = new_record(DATA, SALON)
    messages, events = await run(ActionAlreadyHave(), tracker("we already use social media", "already_have",
                                                              [tool("social_media")], plan=record.to_dict()))
    assert (texts(messages), events) == ([REPLIES.text("already_use_noted", title="social media")], [])
    assert store.latest_plan(SENDER) is None  # no new version


async def test_a_tool_named_with_an_empty_plan_is_still_heard(store):
    empty = PlanRecord((), SALON, Constraints(), 1, "EUR")
    messages, _ = await run(ActionAlreadyHave(), tracker("we already use social media", "already_have",
                                                         [tool("social_media")], plan=empty.to_dict()))
    assert "Which one do you mean" not in texts(messages)[0]


async def test_what_the_firm_has_still_holds_after_the_answers_are_corrected(store):
    before = PlanRecord(("map_listing",), SALON, Constraints(excluded=("online_booking",),
                                                             owned_tools=("online_payments",), max_step_cost=10.0),
                        1, "EUR")
    _, events = await run(ActionMakePlan(), tracker(**{**SALON, "goal": "save_time"}, plan=before.to_dict()))
    saved = stored_record(store)
    assert saved.constraints == Constraints(excluded=("online_booking",), owned_tools=("online_payments",))
    assert "online_booking" not in saved.step_ids and saved.profile["goal"] == "save_time"


async def test_a_plan_stored_before_records_kept_a_profile_gets_the_stored_profile(store):
    store.save_profile(SENDER, GIVEN.profile_row())
    store.save_plan(SENDER, {"level": 1, "step_ids": ["online_booking", "map_listing"], "currency": "EUR",
                             "messages": []})
    _, events = await run(ActionCheckReturningUser(), tracker("hi", "greet"))
    restored = {e["name"]: e["value"] for e in events}
    assert restored["returning_user"] is True
    assert restored["industry"] == "beauty_and_wellness" and restored["budget"]["amount"] == 100
    assert restored["head_count"] == {"low": 1, "high": 1}


async def test_a_plan_made_in_this_conversation_is_not_replaced_by_an_older_stored_one(store):
    store.save_plan(SENDER, PlanRecord(("map_listing",), SALON, Constraints(), 1, "EUR").to_dict())
    _, events = await run(ActionCheckReturningUser(), tracker("hi", "greet", plan=GIVEN.to_dict()))
    assert events[:2] == [SlotSet("returning_user", True), SlotSet("plan", GIVEN.to_dict())]


async def test_a_stored_plan_whose_steps_are_all_gone_from_the_catalogue_is_no_plan(store):
    store.save_plan(SENDER, PlanRecord(("retired_step",), SALON, Constraints(), 1, "EUR").to_dict())
    assert (await run(ActionCheckReturningUser(), tracker("hi", "greet")))[1] == [SlotSet("returning_user", False)]


async def test_costs_are_shown_in_the_currency_the_plan_was_given_in(store):
    in_pounds = PlanRecord(GIVEN.step_ids, SALON, Constraints(), 1, "GBP")
    messages, _ = await run(ActionShowPlan(), tracker(plan=in_pounds.to_dict()))
    assert "£" in messages[0]["text"] and "€26" not in messages[0]["text"]


@pytest.mark.parametrize("entities", [[tool(["a", "list"])], [step_number("²")], [step_number(None)]])
async def test_odd_entity_values_never_crash_a_follow_up(store, entities):
    for action in (ActionAlreadyHave(), ActionStepDetails()):
        messages, _ = await run(action, tracker("hmm", "already_have", entities, plan=GIVEN.to_dict()))
        assert messages


async def test_a_malformed_profile_in_a_record_never_crashes(store):
    odd = PlanRecord(GIVEN.step_ids, {"budget": {"kind": "amount", "amount": "100"}, "head_count": {"low": 2.0,
                                                                                                    "high": 2.5}},
                     Constraints(), 1, "EUR")
    for action in (ActionShowPlan(), ActionCheaperPlan(), ActionStepDetails()):
        messages, _ = await run(action, tracker("step 1", entities=[step_number("1")], plan=odd.to_dict()))
        assert messages, action.name()
    assert "plan_not_saved" not in str(messages)


async def test_without_any_plan_the_follow_ups_offer_one(store):
    for action in (ActionCheaperPlan(), ActionExplainStep(), ActionAlreadyHave(), ActionWelcomeBack(),
                   ActionProgressReply()):
        messages, events = await run(action, tracker("step 2", entities=[step_number("2")]))
        assert (texts(messages), events) == ([REPLIES.text("no_plan_yet")], []), action.name()


# --------------------------------------------------------------------------- returning users


async def test_a_returning_user_gets_the_plan_and_the_profile_back(store):
    store.save_plan(SENDER, GIVEN.to_dict())
    messages, events = await run(ActionCheckReturningUser(), tracker("hi", "greet"))
    saved = stored_record(store)
    assert messages == []
    assert events == [SlotSet("returning_user", True), SlotSet("plan", saved.to_dict()),
                      *[SlotSet(slot, value) for slot, value in SALON.items()]]


async def test_a_new_user_is_not_a_returning_one(store):
    assert (await run(ActionCheckReturningUser(), tracker("hi", "greet"))) == ([], [SlotSet("returning_user", False)])


async def test_with_the_store_down_the_plan_of_this_conversation_still_counts(broken_store):
    _, events = await run(ActionCheckReturningUser(), tracker("hi", "greet", plan=GIVEN.to_dict()))
    assert events[:2] == [SlotSet("returning_user", True), SlotSet("plan", GIVEN.to_dict())]
    _, events = await run(ActionCheckReturningUser(), tracker("hi", "greet"))
    assert events == [SlotSet("returning_user", False)]


async def test_welcome_back_lists_the_plan_and_asks_about_step_1_with_four_buttons(store):
    messages, events = await run(ActionWelcomeBack(), tracker(plan=GIVEN.to_dict()))
    assert events == [SlotSet("checkin_step", 1)]
    assert texts(messages) == [REPLIES.text("welcome_back", steps="1. Online booking page; 2. Free map and review "
                                            "listing", number=1, first="Online booking page")]
    assert [b["title"] for b in messages[0]["buttons"]] == ["Done", "Started", "Not yet", "Skipped it"]
    assert messages[0]["buttons"][0]["payload"] == '/report_progress{"progress":"done","step_number":"1"}'
    assert all(len(b["payload"].encode()) <= 64 for b in messages[0]["buttons"])  # Telegram's limit


def progress(value, number=None):
    entities = [{"entity": "progress", "value": value, "start": 0, "end": 1}]
    return entities + ([step_number(str(number))] if number else [])


async def test_each_answer_is_stored_and_the_next_step_is_asked(store):
    stored = stored_as_given(store)
    messages, events = await run(ActionProgressReply(), tracker("done", "report_progress", progress("done", 1),
                                                                plan=stored.to_dict(), checkin_step=1))
    assert [(c["plan_version"], c["step_id"], c["step_number"], c["status"]) for c in store.checkins(SENDER)] == [
        (1, "online_booking", 1, "done")]
    assert texts(messages) == [REPLIES.text("checkin_next", number=2, title="Free map and review listing")]
    assert messages[0]["buttons"][3]["payload"] == '/report_progress{"progress":"skipped","step_number":"2"}'
    assert events == [SlotSet("checkin_step", 2)]


async def test_once_every_step_has_an_answer_the_plan_moves_on(store):
    stored = stored_as_given(store)
    await run(ActionProgressReply(), tracker("done", "report_progress", progress("done", 1), plan=stored.to_dict()))
    messages, events = await run(ActionProgressReply(), tracker("skipped it", "report_progress", progress("skipped"),
                                                                plan=stored.to_dict(), checkin_step=2))
    new = stored_record(store)
    assert (new.version, new.change) == (2, "progress")
    # done: owned, and out of the plan; skipped: out of the plan, and another step in its place
    assert "online_booking" not in new.step_ids and "map_listing" not in new.step_ids
    assert {"online_booking", "map_listing"} <= set(new.constraints.excluded)
    assert set(DATA.catalogue.get("online_booking").provides) <= set(new.constraints.owned_tools)
    instead = REPLIES.text("checkin_instead", skipped="Free map and review listing",
                           instead=REPLIES.listed(DATA.catalogue.get(i).title for i in new.step_ids))
    assert texts(messages)[0] == REPLIES.joined("sentences", [instead, REPLIES.text("checkin_thanks", done=1, total=2)])
    chart = [m for m in messages if m.get("image")]
    assert len(chart) == 1 and chart[0]["text"] == REPLIES.text("chart_caption_progress")
    assert chart[0]["image"].endswith("/chart.png")
    assert events == [SlotSet("plan", new.to_dict()), SlotSet("focus_step", None), SlotSet("checkin_step", None)]


async def test_an_answer_that_names_its_step_is_stored_for_that_step(store):
    stored = stored_as_given(store)
    await run(ActionProgressReply(), tracker("the map listing is done", "report_progress", progress("done"),
                                             plan=stored.to_dict(), checkin_step=1))
    assert [(c["step_number"], c["step_id"]) for c in store.checkins(SENDER)] == [(2, "map_listing")]


async def test_stuck_is_kept_as_started_with_a_word_of_help(store):
    stored = stored_as_given(store)
    messages, _ = await run(ActionProgressReply(), tracker("got stuck", "report_progress", progress("stuck"),
                                                           plan=stored.to_dict(), checkin_step=1))
    assert store.checkins(SENDER)[0]["status"] == "started"
    assert texts(messages) == [REPLIES.text("checkin_stuck"),
                               REPLIES.text("checkin_next", number=2, title="Free map and review listing")]


async def test_the_most_telling_of_several_progress_phrases_counts(store):
    stored = stored_as_given(store)
    said = progress("done") + progress("skipped")  # "we decided not to do it": "do" also reads as done
    await run(ActionProgressReply(), tracker("we decided not to do it", "report_progress", said,
                                             plan=stored.to_dict(), checkin_step=1))
    assert store.checkins(SENDER)[0]["status"] == "skipped"


async def test_an_answer_that_cannot_be_stored_is_not_taken_as_given(broken_store):
    messages, events = await run(ActionProgressReply(), tracker("done", "report_progress", progress("done"),
                                                                plan=GIVEN.to_dict()))
    assert (texts(messages), events) == ([REPLIES.text("memory_unavailable")], [])


def stored_as_given(store):
    """GIVEN, saved as this sender's first plan."""
    return GIVEN.stored_as(store.save_plan(SENDER, GIVEN.to_dict(), GIVEN.profile_row()))


# --------------------------------------------------------------------------- the plan to take away


async def test_send_me_the_plan_gives_signed_links_to_the_pdf_and_the_markdown(store):
    stored = stored_as_given(store)
    messages, events = await run(ActionSendPlanFile(), tracker("send me the plan", "request_plan_file",
                                                               plan=stored.to_dict(), language="zh"))
    assert events == []
    assert texts(messages) == [ZH.replies.text("plan_file_ready")]
    documents = messages[0]["custom"]["documents"]
    assert [d["name"] for d in documents] == ["dx-advisor-plan.pdf", "dx-advisor-plan.md"]
    for document, file in zip(documents, ("plan.pdf", "plan.md")):
        token, named = split_url(document["url"])
        assert named == file and signer().read(token) == ReportRef(SENDER, 1, "zh", stored.created_at)


async def test_a_plan_that_was_never_stored_has_no_file_to_send(store):
    messages, _ = await run(ActionSendPlanFile(), tracker("send me the plan", "request_plan_file",
                                                          plan=replace(GIVEN, version=None).to_dict()))
    assert texts(messages) == [REPLIES.text("plan_not_saved")] and not messages[0].get("custom")


async def test_send_me_the_plan_without_a_plan_offers_one(store):
    messages, events = await run(ActionSendPlanFile(), tracker("send me the plan", "request_plan_file"))
    assert (texts(messages), events) == ([REPLIES.text("no_plan_yet")], [])


def test_every_plan_ends_with_a_send_me_the_plan_button():
    outro = render_plan(DATA, plan_from_record(DATA, GIVEN), None)[-1]
    assert {"title": "Send me the plan", "payload": "/request_plan_file"} in outro["buttons"]


# --------------------------------------------------------------------------- deleting


async def test_delete_my_data_deletes_then_says_so(store):
    store.save_plan(SENDER, GIVEN.to_dict(), GIVEN.profile_row())
    messages, events = await run(ActionDeleteMyData(), tracker("delete my data", "delete_my_data"))
    assert events == [Restarted(), SlotSet("data_deleted", True)]
    assert texts(messages) == [REPLIES.text("deleted")]
    assert store.latest_plan(SENDER) is None and store.load_profile(SENDER) is None


async def test_a_failed_delete_is_never_called_done_and_nothing_else_is_deleted(broken_store):
    messages, events = await run(ActionDeleteMyData(), tracker("delete my data", "delete_my_data"))
    assert events == []  # no restart and no marker: the conversation is kept, so a retry deletes it all
    assert texts(messages) == [REPLIES.text("delete_failed")]
    assert "Done" not in messages[0]["text"]


def asking(slot, text, intent, **slots):
    """The tracker in the middle of the profile questions, with `slot` asked."""
    message = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": []}
    return Tracker(SENDER, {"requested_slot": slot, **slots}, message, [], False, None,
                   {"name": "firm_profile_form"}, "action_listen")


@pytest.mark.parametrize("slot", ["industry", "head_count", "budget", "tools", "goal", "profile_confirmed"])
async def test_why_in_the_middle_of_the_questions_explains_the_question(store, slot):
    messages, events = await run(ActionExplainStep(), asking(slot, "why do you need to know that?", "ask_why"))
    assert (texts(messages), events) == ([REPLIES.text(f"why_ask_{slot}")], [])


async def test_why_step_2_in_the_middle_of_new_questions_is_about_the_plan_given(store):
    store.save_plan(SENDER, GIVEN.to_dict(), GIVEN.profile_row())
    messages, _ = await run(ActionExplainStep(), asking("budget", "why step 2?", "ask_why"))
    assert texts(messages)[0].startswith(f"Step 2, {DATA.catalogue.get(GIVEN.step_ids[1]).title}:")


@pytest.mark.parametrize("action", [ActionCheaperPlan, ActionShowPlan, ActionStepDetails, ActionAlreadyHave])
async def test_plan_follow_ups_before_a_plan_in_the_middle_of_the_questions_say_it_comes_after(store, action):
    messages, events = await run(action(), asking("tools", "how much money", "ask_cheaper"))
    assert (texts(messages), events) == ([REPLIES.text("plan_after_questions")], [])


# --------------------------------------------------------------------------- in Chinese

ZH = advice_data("zh")


async def test_a_chinese_plan_is_given_in_chinese(store):
    messages, _ = await run(ActionMakePlan(), tracker(**SALON, profile_confirmed=True, language="zh"))
    plan_text = texts(messages)[0]
    assert plan_text.startswith("您目前的数字化水平：") and "下面是每月€100以内的入门方案：" in plan_text
    assert "1. 现在：" in plan_text and not re.search(r"\b(?:Now|Next|Later|month|once|free)\b", plan_text)


async def test_in_chinese_the_plans_steps_come_as_buttons_that_send_chinese(store):
    messages, _ = await run(ActionStepDetails(), tracker("第七步", "ask_step_details", plan=GIVEN.to_dict(),
                                                         language="zh"))
    titles = [ZH.catalogue.get(i).title for i in GIVEN.step_ids]
    assert messages[0]["text"] == ZH.replies.text("step_not_in_plan", count="2步")
    assert [b["title"] for b in messages[0]["buttons"]] == [f"1. {titles[0]}", f"2. {titles[1]}"]
    assert [b["payload"] for b in messages[0]["buttons"]] == ["详细说说第1步", "详细说说第2步"]
    # the payload, sent back, names its step
    messages, events = await run(ActionStepDetails(), tracker("详细说说第2步", "ask_step_details",
                                                              plan=GIVEN.to_dict(), language="zh"))
    assert events == [SlotSet("focus_step", 2)]
    assert shown(messages) == [step_details(ZH, ZH.catalogue.get("map_listing"), budget_from_slot(SALON["budget"]),
                                            "EUR", 1)]


async def test_chinese_welcome_back_and_check_in(store):
    titles = [ZH.catalogue.get(i).title for i in GIVEN.step_ids]
    messages, _ = await run(ActionWelcomeBack(), tracker(plan=GIVEN.to_dict(), language="zh"))
    assert texts(messages) == [ZH.replies.text("welcome_back", steps=f"1. {titles[0]}；2. {titles[1]}", number=1,
                                               first=titles[0])]
    assert [b["title"] for b in messages[0]["buttons"]] == ["做完了", "开始做了", "还没开始", "不做了"]
    stored = stored_as_given(store)
    messages, _ = await run(ActionProgressReply(), tracker("还没开始", "report_progress", progress("not_started"),
                                                          plan=stored.to_dict(), language="zh", checkin_step=1))
    assert texts(messages) == [ZH.replies.text("checkin_next", number=2, title=titles[1])]


async def test_tools_named_in_chinese_are_listed_in_chinese(store):
    messages, _ = await run(ActionAlreadyHave(), tracker("我们已经在用预约系统和网站了", "already_have",
                                                         [tool("booking_system"), tool("website")],
                                                         plan=GIVEN.to_dict(), language="zh"))
    assert texts(messages)[0] == ZH.replies.text("already_use_changes", title="网站、预约系统")
