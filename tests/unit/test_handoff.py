"""A person when the owner wants one: reading a contact, the lead, telling the operator, and the
conversation's actions run as rasa-sdk runs them (Tracker, CollectingDispatcher, every event asserted).

The operator's webhook and mail server are real local servers on loopback, not mocks.
"""
import asyncio
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
from bot.handoff.notify import FAILED, OFF, SENT, NotifySettings, notify_operator
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


@pytest.mark.parametrize("intent", ["inform", "out_of_scope", "nlu_fallback", "faq", "greet"])
def test_a_message_giving_a_contact_asks_for_a_person(intent):
    assert corrected_intent(intent, "call me on +44 20 7946 0958", 0.0) == "talk_to_person"


@pytest.mark.parametrize("intent", ["affirm", "deny", "stop", "talk_to_person"])
def test_yes_no_and_stop_keep_their_meaning_with_a_contact(intent):
    assert corrected_intent(intent, "yes, jo@bakery.co.uk", 0.0) in (None, "inform")
    assert corrected_intent(intent, "yes, jo@bakery.co.uk", 0.0) != "talk_to_person"


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


def test_a_webhook_that_fails_is_reported_as_failed(webhook, caplog):
    url, hook = webhook
    hook.status = 500
    assert notify_operator(LEAD, NotifySettings.from_env({"HANDOFF_WEBHOOK_URL": url})) == FAILED
    assert notify_operator(LEAD, NotifySettings.from_env({"HANDOFF_WEBHOOK_URL": "http://127.0.0.1:9/x"})) == FAILED
    assert "operator webhook failed" in caplog.text


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


def tracker(text="", intent="inform", requested=None, loop="handoff_form", asked=None, **slots):
    """The tracker after the owner's message; `asked` is what the assistant said just before it."""
    message = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": [], "message_id": "m1"}
    before = [{"event": "bot", "text": REPLIES.text("handoff_intro")}, {"event": "bot", "text": asked}] if asked else []
    # as Rasa sends it: the form's own events follow the owner's message
    events = before + [{"event": "user", "text": text}, {"event": "action", "name": "action_extract_slots"},
                       {"event": "action", "name": "handoff_form"}]
    all_slots = {"handoff_consent": None, "contact": None, "misses": None, "requested_slot": requested, **slots}
    return Tracker(SENDER, all_slots, message, events, False, None, {"name": loop} if loop else {}, "action_listen")


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
                      SlotSet("contact", {"kind": "phone", "value": "+442079460958"})]


async def test_the_intro_ends_the_profile_questions_under_way():
    _, events = await run(ActionHandoffIntro(), tracker("can I talk to a consultant", "talk_to_person",
                                                        requested="budget", loop="firm_profile_form"))
    assert events == [ActiveLoop(None), SlotSet("requested_slot", None), SlotSet("handoff_consent", None),
                      SlotSet("contact", None)]


async def test_consent_names_exactly_what_would_be_passed_on(store):
    messages, _ = await run(ActionAskHandoffConsent(), tracker(plan=GIVEN.to_dict(), **PRINTER))
    assert messages[0]["text"].startswith("May I pass your plan and what you told me (a manufacturing firm of 10")
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/affirm", "/deny"]
    messages, _ = await run(ActionAskHandoffConsent(), tracker(industry="retail"))
    assert messages[0]["text"] == REPLIES.text("handoff_consent", what=REPLIES.text(
        "handoff_what_profile", summary=summary(DATA, {"industry": "retail"})))
    messages, _ = await run(ActionAskHandoffConsent(), tracker())
    assert messages[0]["text"] == REPLIES.text("handoff_consent", what="your contact details")


async def test_yes_keeps_the_question_as_the_owner_saw_it_then_the_contact_is_asked():
    events = (await run(ValidateHandoffForm(), tracker("yes", "affirm", "handoff_consent", asked=CONSENT_QUESTION)))[1]
    assert events == [SlotSet("handoff_consent", CONSENT_QUESTION)]  # Rasa's form then asks for the contact


async def test_yes_with_an_email_fills_both_and_the_form_is_done():
    events = (await run(ValidateHandoffForm(), tracker("yes: jo@bakery.co.uk", "affirm", "handoff_consent",
                                                       asked=CONSENT_QUESTION)))[1]
    assert events == [SlotSet("handoff_consent", CONSENT_QUESTION),
                      SlotSet("contact", {"kind": "email", "value": "jo@bakery.co.uk"})]


@pytest.mark.parametrize("text, intent", [("no thanks", "deny"), ("stop", "stop"),
                                          ("I'd rather not share that", "skip_question"), ("nope, not today", "inform")])
async def test_no_ends_the_form_without_asking_for_a_contact(text, intent):
    events = (await run(ValidateHandoffForm(), tracker(text, intent, "handoff_consent", asked=CONSENT_QUESTION)))[1]
    assert events == [SlotSet("handoff_consent", False), SlotSet("requested_slot", None)]


async def test_an_unclear_answer_to_consent_is_asked_once_more_then_taken_as_no():
    first = slots_set((await run(ValidateHandoffForm(), tracker("hmm what", "nlu_fallback", "handoff_consent")))[1])
    assert first["handoff_consent"] is None and first["misses"]["handoff_consent"]["n"] == 1
    messages, _ = await run(ActionAskHandoffConsent(), tracker("hmm what", requested="handoff_consent",
                                                               misses=first["misses"]))
    assert messages[0]["text"].startswith(REPLIES.text("handoff_consent_again", question="")[:20])
    again = tracker("maybe later?", "nlu_fallback", "handoff_consent", misses=first["misses"])
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


async def test_with_a_yes_and_a_contact_the_lead_is_stored_then_the_operator_is_told(store):
    t = tracker(handoff_consent=CONSENT_QUESTION, contact={"kind": "phone", "value": "+442079460958"},
                requested=None, loop=None, plan=GIVEN.to_dict(), misses={"contact": {"n": 1, "message": "x"}}, **PRINTER)
    messages, events = await run(ActionHandoffSubmit(), t)
    assert events == [SlotSet("handoff_consent", None), SlotSet("contact", None), SlotSet("misses", {})]
    assert messages == [REPLIES.render("handoff_done", contact="+44 20 7946 0958")]
    await asyncio.gather(*handoff.PENDING)
    [lead] = store.leads()
    assert (lead["sender_id"], lead["contact"], lead["consent"], lead["notified"]) == (
        SENDER, "+442079460958", CONSENT_QUESTION, OFF)
    assert lead["plan"]["step_ids"] == list(GIVEN.step_ids) and lead["profile"] == PRINTER


async def test_without_a_plan_the_owner_is_offered_one(store):
    t = tracker(handoff_consent=CONSENT_QUESTION, contact={"kind": "email", "value": "jo@bakery.co.uk"}, loop=None)
    messages, _ = await run(ActionHandoffSubmit(), t)
    offer = REPLIES.render("handoff_offer_plan")
    assert messages[0]["text"].endswith(offer["text"]) and messages[0]["buttons"] == offer["buttons"]
    await asyncio.gather(*handoff.PENDING)
    assert [lead["contact"] for lead in store.leads()] == ["jo@bakery.co.uk"]


@pytest.mark.parametrize("consent, contact, reply", [(False, None, "handoff_declined"),
                                                     (CONSENT_QUESTION, GAVE_UP, "handoff_gave_up"),
                                                     (None, {"kind": "email", "value": "jo@bakery.co.uk"},
                                                      "handoff_declined")])
async def test_without_a_yes_and_a_contact_nothing_is_stored(store, consent, contact, reply):
    t = tracker(handoff_consent=consent, contact=contact, loop=None, plan=GIVEN.to_dict())
    messages, events = await run(ActionHandoffSubmit(), t)
    assert messages == [REPLIES.render(reply)]
    assert store.leads() == []


async def test_a_request_that_could_not_be_stored_is_never_called_saved(broken_store):
    t = tracker(handoff_consent=CONSENT_QUESTION, contact={"kind": "email", "value": "jo@bakery.co.uk"}, loop=None)
    messages, _ = await run(ActionHandoffSubmit(), t)
    assert messages == [REPLIES.render("handoff_not_saved")]
    assert handoff.PENDING == set()


async def test_delete_my_data_deletes_the_lead_and_says_an_adviser_told_keeps_their_copy(store):
    lead = store.save_lead(SENDER, new_lead(DATA, SENDER, Contact("email", "jo@bakery.co.uk"), PRINTER, None),
                           consent=CONSENT_QUESTION)
    messages, events = await run(ActionDeleteMyData(), tracker("delete my data", "delete_my_data", loop=None))
    assert events == [Restarted(), SlotSet("data_deleted", True)]
    assert messages == [REPLIES.render("deleted")] and store.leads() == []
    store.set_lead_notified(store.save_lead(SENDER, {**lead, "id": None}, consent=CONSENT_QUESTION)["id"], SENT)
    messages, _ = await run(ActionDeleteMyData(), tracker("delete my data", "delete_my_data", loop=None))
    assert messages == [REPLIES.render("deleted"), REPLIES.render("deleted_lead_sent")] and store.leads() == []


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
