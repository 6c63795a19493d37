"""A person when the owner wants one: reading a contact, the lead, telling the operator, and the
conversation's actions run as rasa-sdk runs them (Tracker, CollectingDispatcher, every event asserted).

The operator's webhook and mail server are real local servers on loopback, not mocks.
"""
import email
import email.policy
import hashlib
import hmac
import json
import logging
import smtpd  # noqa: F401 - Python 3.10's own test SMTP server (asyncore); removed in 3.12
import threading
import warnings
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from rasa.shared.core.domain import Domain
from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, Restarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

import actions.handoff as handoff
from actions.handoff import (GAVE_UP, ActionAskContact, ActionAskHandoffConsent, ActionHandoffIntro,
                             ActionHandoffSubmit, ValidateHandoffForm)
from actions.user_memory import ActionDeleteMyData
from bot.advice.data import advice_data
from bot.advice.plan_record import Constraints, PlanRecord
from bot.advice.plan_text import summary
from bot.handoff.contact import Contact, read_contact, shown
from bot.handoff.lead import channel_of, new_lead, operator_message, render_leads
from bot.handoff.notify import FAILED, OFF, PARTIAL, SENT, NotifySettings, notify_operator
from bot.nlu.intent_guard import corrected_intent
from bot.paths import REPO_ROOT
from bot.storage import Store

DATA = advice_data()
REPLIES = DATA.replies
DOMAIN = Domain.load(str(REPO_ROOT / "domain.yml")).as_dict()
SENDER = "web-owner-7"
PRINTER = {"industry": "manufacturing", "head_count": {"low": 10, "high": 10},
           "budget": {"kind": "amount", "amount": 300, "currency": "GBP", "period": "month", "upper_bound": False},
           "tools": ["excel"], "goal": "less_downtime"}
GIVEN = PlanRecord(("downtime_logging", "automatic_backups"), PRINTER, Constraints(), 2, "GBP", version=3)
CONSENT_QUESTION = REPLIES.text("handoff_consent", what=REPLIES.text(
    "handoff_what_plan", summary="a manufacturing firm of 10 people"))


# ------------------------------------------------------------------------------------ reading a contact
@pytest.mark.parametrize("text, kind, value", [
    ("sure, it's Jo.Baker@Example.CO.UK", "email", "Jo.Baker@example.co.uk"),
    ("ring me on +44 20 7946 0958 after five", "phone", "+442079460958"),
    ("0044 20 7946 0958", "phone", "+442079460958"),
    ("+86 138 0013 8000", "phone", "+8613800138000"),
    ("my mobile: +1 (415) 555-2671.", "phone", "+14155552671"),
])
def test_an_email_or_a_phone_number_is_read_and_normalised(text, kind, value):
    assert read_contact(text).contact == Contact(kind, value)


@pytest.mark.parametrize("text, problem", [
    ("yes please", "none"), ("we are 12 people with 3 vans", "none"), ("", "none"), ("🙂📞", "none"),
    ("jo@@bakery", "bad_email"), ("jo@localhost", "bad_email"),
    ("020 7946 0958", "needs_country_code"), ("+44 20 79", "bad_phone"),
])
def test_what_is_wrong_with_an_unusable_contact_is_said(text, problem):
    assert read_contact(text) == (read_contact(text).__class__(None, problem))


def test_a_national_number_is_read_in_the_operators_country():
    assert read_contact("020 7946 0958", region="GB").contact == Contact("phone", "+442079460958")


def test_huge_or_binary_text_is_read_without_trouble():
    assert read_contact("\x00\xff" * 100_000).contact is None
    assert read_contact("a" * 10_000 + " jo@bakery.co.uk").contact is None  # past the first 500 characters


def test_a_number_is_shown_back_with_its_usual_spacing():
    assert shown(Contact("phone", "+442079460958")) == "+44 20 7946 0958"
    assert shown(Contact("email", "jo@bakery.co.uk")) == "jo@bakery.co.uk"


@pytest.mark.parametrize("intent", ["inform", "out_of_scope", "nlu_fallback"])
def test_a_message_giving_a_contact_asks_for_a_person(intent):
    assert corrected_intent(intent, "call me on +44 20 7946 0958", 0.0) == "talk_to_person"


@pytest.mark.parametrize("intent", ["affirm", "deny", "stop", "skip_question", "talk_to_person", "faq", "greet"])
def test_other_intents_keep_their_meaning_with_a_contact(intent):
    assert corrected_intent(intent, "yes, jo@bakery.co.uk", 0.0) is None


@pytest.mark.parametrize("text, value", [("00 44 20 7946 0958", "+442079460958"),
                                         ("jo@bakery or +44 20 7946 0958", "+442079460958")])
def test_a_number_is_found_past_a_spaced_prefix_or_a_broken_address(text, value):
    assert read_contact(text).contact == Contact("phone", value)


def test_an_unknown_region_code_is_ignored_with_a_log_line(caplog):
    from bot.handoff.notify import phone_region

    assert phone_region({"DX_PHONE_REGION": "gb"}) == "GB"
    assert phone_region({"DX_PHONE_REGION": "UK"}) is None and "DX_PHONE_REGION=UK" in caplog.text


# -------------------------------------------------------------------------------------------- the lead
def test_a_lead_keeps_the_profile_and_the_plan_as_given_in_words_an_adviser_reads():
    lead = new_lead(DATA, "tg-99", Contact("phone", "+442079460958"), {**PRINTER, "misses": {}}, GIVEN)
    assert lead["channel"] == "Telegram" and lead["profile"] == PRINTER and lead["plan"] == GIVEN.to_dict()
    assert lead["summary"].startswith("a manufacturing firm of 10 people")
    titles = [DATA.catalogue.get(step).title for step in GIVEN.step_ids]
    assert [line.split(" (")[0] for line in lead["plan_lines"]] == [f"1. {titles[0]}", f"2. {titles[1]}"]
    subject, body = operator_message({**lead, "id": 5, "created_at": "2026-12-02T10:00:00+00:00"})
    assert "+44 20 7946 0958" in subject
    for expected in ("Lead 5", "tg-99 (Telegram)", lead["summary"], "version 3", *lead["plan_lines"]):
        assert expected in body


def test_a_lead_without_profile_or_plan_says_so():
    lead = new_lead(DATA, "someone", Contact("email", "jo@bakery.co.uk"), {}, None)
    assert (lead["summary"], lead["plan_lines"], lead["plan"], lead["channel"]) == ("", [], None, "REST API")
    body = operator_message({**lead, "id": 1})[1]
    assert "nothing told yet" in body and "Plan: none given yet." in body


def test_the_operators_list_shows_each_lead_and_whether_anyone_was_told():
    lead = new_lead(DATA, "web-1", Contact("email", "jo@bakery.co.uk"), PRINTER, GIVEN)
    text = render_leads([{**lead, "id": 3, "created_at": "2026-12-02T10:00:00+00:00", "notified": "failed"}])
    assert "#3" in text and "jo@bakery.co.uk" in text and "via website widget" in text and "FAILED" in text
    assert "plan v3: 1." in text
    assert render_leads([]).startswith("No leads yet")
    assert channel_of("trainer-1") == "trainer's shell"


# ------------------------------------------------------------------------------- telling the operator
LEAD = {**new_lead(DATA, SENDER, Contact("email", "jo@bakery.co.uk"), PRINTER, GIVEN), "id": 8,
        "created_at": "2026-12-02T10:00:00+00:00"}


class _Hook(BaseHTTPRequestHandler):
    received: list = []
    status = 200

    def do_POST(self):  # noqa: N802 - the http.server name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((dict(self.headers), body))
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def webhook():
    _Hook.received, _Hook.status = [], 200
    server = HTTPServer(("127.0.0.1", 0), _Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/hook", _Hook
    server.shutdown()


@pytest.fixture
def mail_server():
    """Python's own SMTP test server on loopback; yields (port, the messages it received)."""
    import asyncore

    received = []

    class Server(smtpd.SMTPServer):
        def process_message(self, peer, mailfrom, rcpttos, data, **kwargs):
            received.append((mailfrom, rcpttos, data.decode() if isinstance(data, bytes) else data))

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        server = Server(("127.0.0.1", 0), None, decode_data=False)
    port = server.socket.getsockname()[1]
    thread = threading.Thread(target=asyncore.loop, kwargs={"timeout": 0.05, "count": 400}, daemon=True)
    thread.start()
    yield port, received
    server.close()


def test_with_nothing_configured_nobody_is_told_and_a_log_line_says_so(caplog):
    with caplog.at_level(logging.INFO, logger="bot.handoff.notify"):
        assert notify_operator(LEAD, NotifySettings.from_env({})) == OFF
    assert "no operator was told" in caplog.text and "HANDOFF_WEBHOOK_URL" in caplog.text


def test_the_webhook_gets_the_lead_signed_with_the_secret(webhook):
    url, hook = webhook
    settings = NotifySettings.from_env({"HANDOFF_WEBHOOK_URL": url, "HANDOFF_WEBHOOK_SECRET": "s3cret"})
    assert notify_operator(LEAD, settings) == SENT
    headers, body = hook.received[0]
    assert headers["X-DX-Signature"] == "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    sent = json.loads(body)
    assert sent["event"] == "lead" and sent["lead"]["contact"] == "jo@bakery.co.uk" and "Lead 8" in sent["text"]


def test_a_webhook_that_fails_is_reported_as_failed_and_its_secret_url_is_not_logged(webhook, caplog):
    url, hook = webhook
    hook.status = 500
    assert notify_operator(LEAD, NotifySettings.from_env({"HANDOFF_WEBHOOK_URL": url + "/SECRETTOKEN"})) == FAILED
    assert notify_operator(LEAD, NotifySettings.from_env({"HANDOFF_WEBHOOK_URL": "http://127.0.0.1:9/x"})) == FAILED
    assert "operator webhook failed: HTTPError (HTTP 500)" in caplog.text and "SECRETTOKEN" not in caplog.text


def test_one_way_working_and_one_failing_is_partial(webhook):
    url, _ = webhook
    settings = NotifySettings.from_env({"HANDOFF_WEBHOOK_URL": url, "SMTP_HOST": "127.0.0.1", "SMTP_PORT": "9",
                                        "SMTP_SECURITY": "none", "HANDOFF_EMAIL_TO": "a@chamber.example"})
    assert notify_operator(LEAD, settings) == PARTIAL


def test_the_operator_gets_an_email_over_smtp(mail_server):
    port, received = mail_server
    settings = NotifySettings.from_env({"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(port), "SMTP_SECURITY": "none",
                                        "HANDOFF_EMAIL_TO": "advisers@chamber.example",
                                        "HANDOFF_EMAIL_FROM": "bot@chamber.example"})
    assert settings.channels == ["email"]
    assert notify_operator(LEAD, settings) == SENT
    sender, recipients, raw = received[0]
    assert (sender, recipients) == ("bot@chamber.example", ["advisers@chamber.example"])
    message = email.message_from_string(raw, policy=email.policy.default)
    assert message["Subject"] == "dx-advisor: an owner asks for an adviser (jo@bakery.co.uk)"
    assert message.get_content().rstrip("\n") == operator_message(LEAD)[1]


def test_email_needs_a_recipient_and_bad_settings_are_refused():
    assert NotifySettings.from_env({"SMTP_HOST": "mail.example"}).channels == []
    assert NotifySettings.from_env({"SMTP_SECURITY": "ssl"}).smtp_port == 465
    assert NotifySettings.from_env({}).smtp_port == 587
    with pytest.raises(ValueError, match="SMTP_PORT"):
        NotifySettings.from_env({"SMTP_PORT": "five"})
    with pytest.raises(ValueError, match="SMTP_SECURITY"):
        NotifySettings.from_env({"SMTP_SECURITY": "tls1.0"})


# --------------------------------------------------------------------------------------- the actions
@pytest.fixture
def store(actions_store, monkeypatch):
    for name in ("HANDOFF_WEBHOOK_URL", "SMTP_HOST", "DX_PHONE_REGION"):
        monkeypatch.delenv(name, raising=False)  # the operator is told nothing: no network in these tests
    return actions_store


@pytest.fixture
def broken_store(broken_actions_store):
    return broken_actions_store


OFFER = {"words": CONSENT_QUESTION, "profile": PRINTER, "plan": GIVEN.to_dict()}


def tracker(text="", intent="inform", requested=None, loop="handoff_form", **slots):
    """The tracker after the owner's message, with the form's own events after it as Rasa sends them."""
    message = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": [], "message_id": "m1"}
    events = [{"event": "bot", "text": CONSENT_QUESTION}, {"event": "user", "text": text},
              {"event": "action", "name": "action_extract_slots"}]
    all_slots = {"handoff_consent": None, "handoff_offer": None, "contact": None, "misses": None,
                 "requested_slot": requested, **slots}
    return Tracker(SENDER, all_slots, message, events, False, None, {"name": loop} if loop else {}, "action_listen")


def at_consent(text, intent, **slots):
    return tracker(text, intent, "handoff_consent", handoff_offer=OFFER, **slots)


async def run(action, t, domain=None):
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, t, domain if domain is not None else DOMAIN)
    return [{"text": m["text"], "buttons": m["buttons"]} for m in dispatcher.messages], events


def slots_set(events):
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


async def test_the_intro_says_what_a_person_can_do_and_keeps_a_contact_given_with_it():
    messages, events = await run(ActionHandoffIntro(), tracker("call me on +44 20 7946 0958", "talk_to_person",
                                                               loop=None))
    assert messages == [REPLIES.render("handoff_intro")]
    assert events == [ActiveLoop(None), SlotSet("requested_slot", None), SlotSet("handoff_consent", None),
                      SlotSet("handoff_offer", None), SlotSet("contact", {"kind": "phone", "value": "+442079460958"})]


async def test_the_intro_ends_the_profile_questions_under_way():
    _, events = await run(ActionHandoffIntro(), tracker("can I talk to a consultant", "talk_to_person",
                                                        requested="budget", loop="firm_profile_form"))
    assert events == [ActiveLoop(None), SlotSet("requested_slot", None), SlotSet("handoff_consent", None),
                      SlotSet("handoff_offer", None), SlotSet("contact", None)]


async def test_consent_names_exactly_what_would_be_passed_on_and_keeps_that_offer(store):
    messages, events = await run(ActionAskHandoffConsent(), tracker(plan=GIVEN.to_dict(), **PRINTER))
    assert messages[0]["text"].startswith("May I pass your plan and what you told me (a manufacturing firm of 10")
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/affirm", "/deny"]
    assert events == [SlotSet("handoff_offer", {"words": messages[0]["text"], "profile": PRINTER,
                                                "plan": GIVEN.to_dict()})]
    messages, events = await run(ActionAskHandoffConsent(), tracker(industry="retail"))
    assert messages[0]["text"] == REPLIES.text("handoff_consent", what=REPLIES.text(
        "handoff_what_profile", summary=summary(DATA, {"industry": "retail"})))
    assert slots_set(events)["handoff_offer"]["plan"] is None
    messages, _ = await run(ActionAskHandoffConsent(), tracker())
    assert messages[0]["text"] == REPLIES.text("handoff_consent", what=REPLIES.text("handoff_what_contact"))
    messages, _ = await run(ActionAskHandoffConsent(), tracker(contact={"kind": "phone", "value": "+442079460958"}))
    assert messages[0]["text"] == REPLIES.text("handoff_consent", what=REPLIES.text(
        "handoff_what_given", kind="phone number", contact="+44 20 7946 0958"))


async def test_yes_keeps_the_question_as_the_owner_saw_it_then_the_contact_is_asked():
    events = (await run(ValidateHandoffForm(), at_consent("yes", "affirm")))[1]
    assert events == [SlotSet("handoff_consent", CONSENT_QUESTION)]  # Rasa's form then asks for the contact


async def test_yes_with_an_email_fills_both_and_the_form_is_done():
    events = (await run(ValidateHandoffForm(), at_consent("no problem, go ahead: jo@bakery.co.uk", "affirm")))[1]
    assert events == [SlotSet("handoff_consent", CONSENT_QUESTION),
                      SlotSet("contact", {"kind": "email", "value": "jo@bakery.co.uk"})]


@pytest.mark.parametrize("text, intent", [("no thanks", "deny"), ("stop", "stop"),
                                          ("I'd rather not share that", "skip_question"), ("nope, not today", "inform"),
                                          ("nah jo@bakery.co.uk", "talk_to_person")])
async def test_no_ends_the_form_without_asking_for_a_contact(text, intent):
    events = (await run(ValidateHandoffForm(), at_consent(text, intent)))[1]
    assert events == [SlotSet("handoff_consent", False), SlotSet("requested_slot", None)]


@pytest.mark.parametrize("text, intent", [
    ("I'd rather you didn't pass on my plan, just call +44 20 7946 0958", "talk_to_person"),
    ("please don't pass on my plan, jo@bakery.co.uk", "talk_to_person"), ("never. jo@bakery.co.uk", "inform"),
    ("yes but don't send my plan", "affirm")])
async def test_a_yes_or_a_contact_with_a_no_in_it_is_no_yes_and_nothing_is_taken(text, intent):
    slots = slots_set((await run(ValidateHandoffForm(), at_consent(text, intent)))[1])
    assert slots["handoff_consent"] is None and "contact" not in slots  # asked again, in plainer words
    assert slots["misses"]["handoff_consent"]["n"] == 1


@pytest.mark.parametrize("intent", ["faq", "bot_challenge", "delete_my_data", "start_over"])
async def test_a_question_or_delete_my_data_during_the_hand_off_goes_to_its_own_rule(intent):
    assert (await run(ValidateHandoffForm(), at_consent("what is internet plus", intent)))[1] == []
    assert (await run(ValidateHandoffForm(), tracker("delete it all", intent, "contact",
                                                     handoff_consent=CONSENT_QUESTION)))[1] == []


async def test_an_unclear_answer_to_consent_is_asked_once_more_then_taken_as_no():
    first = slots_set((await run(ValidateHandoffForm(), at_consent("hmm what", "nlu_fallback")))[1])
    assert first["handoff_consent"] is None and first["misses"]["handoff_consent"]["n"] == 1
    messages, _ = await run(ActionAskHandoffConsent(), tracker("hmm what", requested="handoff_consent",
                                                               misses=first["misses"]))
    asked = REPLIES.text("handoff_consent", what=REPLIES.text("handoff_what_contact"))
    assert messages[0]["text"] == REPLIES.text("handoff_consent_again", question=asked)
    again = at_consent("maybe later?", "nlu_fallback", misses=first["misses"])
    again.latest_message["message_id"] = "m2"
    assert slots_set((await run(ValidateHandoffForm(), again))[1])["handoff_consent"] is False


async def test_a_contact_that_cannot_be_read_gets_a_hint_then_a_way_out_then_nothing_is_stored():
    misses, said = None, []
    for number, text in enumerate(["jo at bakery", "020 7946 0958", "jo@@bakery"], start=1):
        t = tracker(text, "inform", "contact", handoff_consent=CONSENT_QUESTION, misses=misses)
        t.latest_message["message_id"] = f"m{number}"
        slots = slots_set((await run(ValidateHandoffForm(), t))[1])
        misses = slots["misses"]
        assert misses["contact"]["n"] == number
        if number < 3:
            assert slots["contact"] is None
            asked = tracker(text, "inform", "contact", handoff_consent=CONSENT_QUESTION, misses=misses)
            said.append((await run(ActionAskContact(), asked))[0][0])
        else:
            assert slots["contact"] == GAVE_UP  # filled: the form ends, and the submit action stores nothing
    assert said[0] == REPLIES.render("contact_none")
    assert said[1]["text"] == f"{REPLIES.text('contact_needs_country_code')} {REPLIES.text('contact_way_out')}"
    assert said[1]["buttons"] == REPLIES.render("contact_way_out")["buttons"]


async def test_leave_it_at_the_contact_question_ends_the_form_with_nothing_stored():
    events = (await run(ValidateHandoffForm(), tracker("/deny", "deny", "contact", handoff_consent=CONSENT_QUESTION)))[1]
    assert events == [SlotSet("handoff_consent", False), SlotSet("requested_slot", None)]


DONE = [SlotSet("handoff_consent", None), SlotSet("handoff_offer", None), SlotSet("contact", None),
        SlotSet("misses", {})]


async def test_with_a_yes_and_a_contact_the_offer_is_stored_then_the_operator_is_told(store):
    # The slots changed after the question: the lead holds what the owner agreed to, not today's slots.
    t = tracker(handoff_consent=CONSENT_QUESTION, handoff_offer=OFFER, loop=None,
                contact={"kind": "phone", "value": "+442079460958"}, plan=GIVEN.to_dict(),
                misses={"contact": {"n": 1, "message": "x"}}, industry="retail")
    messages, events = await run(ActionHandoffSubmit(), t)
    assert events == DONE
    assert messages == [REPLIES.render("handoff_done", contact="+44 20 7946 0958")]
    await handoff.settle(SENDER)
    [lead] = store.leads()
    assert (lead["sender_id"], lead["contact"], lead["consent"], lead["notified"]) == (
        SENDER, "+442079460958", CONSENT_QUESTION, OFF)
    assert lead["plan"] == GIVEN.to_dict() and lead["profile"] == PRINTER


async def test_without_a_plan_the_owner_is_offered_one(store):
    offer = {"words": "May I?", "profile": {}, "plan": None}
    t = tracker(handoff_consent="May I?", handoff_offer=offer, loop=None,
                contact={"kind": "email", "value": "jo@bakery.co.uk"})
    messages, _ = await run(ActionHandoffSubmit(), t)
    plan_offer = REPLIES.render("handoff_offer_plan")
    assert messages[0]["text"].endswith(plan_offer["text"]) and messages[0]["buttons"] == plan_offer["buttons"]
    await handoff.settle(SENDER)
    assert [(lead["contact"], lead["plan"], lead["consent"]) for lead in store.leads()] == [
        ("jo@bakery.co.uk", None, "May I?")]


async def test_in_chinese_the_consent_names_the_profile_in_chinese_and_sentences_join_without_a_space(store):
    chinese = advice_data("zh")
    messages, _ = await run(ActionAskHandoffConsent(), tracker(industry="retail", language="zh"))
    assert messages[0]["text"] == chinese.replies.text("handoff_consent", what=chinese.replies.text(
        "handoff_what_profile", summary="一家零售企业，预算未定"))
    asked = tracker("138 0013", "inform", "contact", handoff_consent=CONSENT_QUESTION, language="zh",
                    misses={"contact": {"n": 2, "message": "m0"}})
    said = (await run(ActionAskContact(), asked))[0][0]
    assert said["text"] == chinese.replies.text("contact_bad_phone") + chinese.replies.text("contact_way_out")


@pytest.mark.parametrize("language, contact", [("zh", {"kind": "phone", "value": "+8613812345678"}), ("en", None)])
async def test_a_mobile_number_without_a_country_code_is_read_as_chinese_in_a_chinese_conversation(language, contact):
    t = tracker("13812345678", "inform", "contact", handoff_consent=CONSENT_QUESTION, language=language)
    assert slots_set((await run(ValidateHandoffForm(), t))[1]).get("contact") == contact


PHONE = {"kind": "phone", "value": "+442079460958"}


@pytest.mark.parametrize("consent, offer, contact, reply", [
    (False, OFFER, None, "handoff_declined"),
    (CONSENT_QUESTION, OFFER, GAVE_UP, "handoff_gave_up"),
    (None, OFFER, PHONE, "handoff_declined"),
    ("__not_understood__", OFFER, PHONE, "handoff_declined"),
    ("Some other words", OFFER, PHONE, "handoff_declined"),  # a yes to something else is no yes to this
    (CONSENT_QUESTION, None, PHONE, "handoff_declined"),
])
async def test_without_a_yes_to_the_offer_and_a_contact_nothing_is_stored(store, consent, offer, contact, reply):
    t = tracker(handoff_consent=consent, handoff_offer=offer, contact=contact, loop=None, plan=GIVEN.to_dict())
    messages, events = await run(ActionHandoffSubmit(), t)
    assert (messages, events) == ([REPLIES.render(reply)], DONE)
    assert store.leads() == []


async def test_a_request_that_could_not_be_stored_is_never_called_saved(broken_store):
    t = tracker(handoff_consent=CONSENT_QUESTION, handoff_offer=OFFER, contact=PHONE, loop=None)
    messages, events = await run(ActionHandoffSubmit(), t)
    assert (messages, events) == ([REPLIES.render("handoff_not_saved")], DONE)
    assert handoff.PENDING.get(SENDER, set()) == set()


async def test_delete_my_data_deletes_the_lead_and_says_an_adviser_told_keeps_their_copy(store):
    lead = store.save_lead(SENDER, new_lead(DATA, SENDER, Contact("email", "jo@bakery.co.uk"), PRINTER, None),
                           consent=CONSENT_QUESTION)
    messages, events = await run(ActionDeleteMyData(), tracker("delete my data", "delete_my_data", loop=None))
    assert events == [Restarted(), SlotSet("data_deleted", True)]
    assert messages == [REPLIES.render("deleted")] and store.leads() == []
    store.set_lead_notified(store.save_lead(SENDER, {**lead, "id": None}, consent=CONSENT_QUESTION)["id"], PARTIAL)
    messages, _ = await run(ActionDeleteMyData(), tracker("delete my data", "delete_my_data", loop=None))
    assert messages == [REPLIES.render("deleted"), REPLIES.render("deleted_lead_sent")] and store.leads() == []


async def test_delete_my_data_right_after_a_request_waits_for_its_notification(store, webhook, monkeypatch):
    url, hook = webhook
    monkeypatch.setenv("HANDOFF_WEBHOOK_URL", url)
    t = tracker(handoff_consent=CONSENT_QUESTION, handoff_offer=OFFER, contact=PHONE, loop=None)
    await run(ActionHandoffSubmit(), t)
    messages, _ = await run(ActionDeleteMyData(), tracker("delete my data", "delete_my_data", loop=None))
    assert len(hook.received) == 1  # the adviser was told before the delete...
    assert messages == [REPLIES.render("deleted"), REPLIES.render("deleted_lead_sent")]  # ...and the owner is told so
    assert store.leads() == []


# ------------------------------------------------------------------------------------ the operator's CLI
def test_python_m_bot_leads_lists_the_stored_leads(tmp_path, capsys):
    from bot.__main__ import main

    url = f"sqlite:///{tmp_path / 'app.db'}"
    store = Store(url)
    store.migrate()
    saved = store.save_lead("tg-5", new_lead(DATA, "tg-5", Contact("email", "jo@bakery.co.uk"), PRINTER, GIVEN),
                            consent=CONSENT_QUESTION)
    store.close()
    assert main(["leads", "--url", url]) == 0
    listed = capsys.readouterr().out
    assert f"#{saved['id']}" in listed and "jo@bakery.co.uk" in listed and "via Telegram" in listed
    assert main(["leads", "--url", url, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["consent"] == CONSENT_QUESTION
    assert main(["leads", "--url", url, "--since", "2999-01-01"]) == 0
    assert capsys.readouterr().out.startswith("No leads yet")


def test_python_m_bot_leads_on_an_unmigrated_database_says_what_to_do(tmp_path, capsys):
    from bot.__main__ import main

    assert main(["leads", "--url", f"sqlite:///{tmp_path / 'empty.db'}"]) == 1
    assert "make migrate" in capsys.readouterr().err


def test_leads_nobody_was_told_of_can_be_sent_again(tmp_path, capsys, webhook, monkeypatch):
    from bot.__main__ import main

    url, hook = webhook
    db = f"sqlite:///{tmp_path / 'app.db'}"
    store = Store(db)
    store.migrate()
    pending = store.save_lead("web-1", LEAD, consent=CONSENT_QUESTION)
    told = store.save_lead("web-2", LEAD, consent=CONSENT_QUESTION)
    store.set_lead_notified(told["id"], SENT)
    monkeypatch.setenv("HANDOFF_WEBHOOK_URL", url)
    assert main(["leads", "--url", db, "--notify-pending"]) == 0
    assert [json.loads(body)["lead"]["id"] for _, body in hook.received] == [pending["id"]]
    assert [lead["notified"] for lead in store.leads()] == [SENT, SENT]
    store.close()
