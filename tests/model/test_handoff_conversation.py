"""A person when the owner wants one (issue 12, part 5), over REST with the trained model: asked for
in words not in the training data, consent first, a contact checked, the lead stored with what the
owner agreed to, nothing stored without a yes, and "delete my data" taking the lead too.
"""
from __future__ import annotations

import sqlite3
import uuid

import pytest

pytestmark = pytest.mark.model


def texts(replies) -> str:
    return "\n".join(reply.get("text") or "" for reply in replies)


def payloads(replies) -> list[str]:
    return [button["payload"] for reply in replies for button in reply.get("buttons") or []]


def leads(assistant, sender) -> list[tuple]:
    with sqlite3.connect(assistant.app_db_path) as connection:
        return connection.execute("SELECT contact_kind, contact, consent FROM leads WHERE sender_id = ?",
                                  (sender,)).fetchall()


def new_sender() -> str:
    return f"handoff-{uuid.uuid4().hex[:8]}"


def test_asked_for_a_person_the_owner_agrees_and_leaves_an_email(assistant):
    sender = new_sender()
    asked = assistant.say(sender, "is there a real adviser I could speak with?")
    assert "business adviser can" in texts(asked) and "May I pass the email address or phone number you give me" in texts(asked), texts(asked)
    assert payloads(asked) == ["/affirm", "/deny"]
    assert "reach you" in texts(assistant.say(sender, "yes that's fine"))
    done = texts(assistant.say(sender, "it's sam@printworks.example.com"))
    assert "saved your request" in done and "sam@printworks.example.com" in done, done
    [(kind, contact, consent)] = leads(assistant, sender)
    assert (kind, contact) == ("email", "sam@printworks.example.com")
    assert consent.startswith("May I pass the email address or phone number you give me to an adviser")


def test_after_a_plan_the_lead_carries_it_and_delete_my_data_removes_it(assistant):
    sender = new_sender()
    for message in ["I'd like advice for my print shop", "4 people", "150 pounds a month", "excel",
                    "the printers keep jamming and we lose time", "yes"]:
        last = assistant.say(sender, message)
    assert "Here is a plan" in texts(last), texts(last)
    asked = texts(assistant.say(sender, "could a consultant go over this with me?"))
    assert "May I pass your plan and what you told me (a" in asked, asked
    done = texts(assistant.say(sender, "sure, call +44 20 7946 0958"))  # a yes and the number in one go
    assert "saved your request for an adviser, with +44 20 7946 0958" in done, done
    [(kind, contact, consent)] = leads(assistant, sender)
    assert (kind, contact) == ("phone", "+442079460958") and "your plan" in consent
    assert "deleted" in texts(assistant.say(sender, "please remove everything you have on me"))
    assert leads(assistant, sender) == []


def test_no_means_nothing_is_stored(assistant):
    sender = new_sender()
    assistant.say(sender, "I'd like a human to help me")
    declined = assistant.say(sender, "no, I'd rather not share that")
    assert "I won't pass anything on" in texts(declined), texts(declined)
    assert "/request_advice" in payloads(declined)  # no plan yet: one is offered
    assert leads(assistant, sender) == []


def test_a_contact_that_cannot_be_read_gets_a_hint_then_a_way_out(assistant):
    sender = new_sender()
    assistant.say(sender, "can an expert phone me")
    assistant.say(sender, "ok")
    first = texts(assistant.say(sender, "ring the shop, it's on our sign"))
    assert "couldn't find an email address or a phone number" in first, first
    second = assistant.say(sender, "07946 0958")
    assert "country code" in texts(second) and "Leave it" in texts(second), texts(second)
    left = texts(assistant.say(sender, "/deny"))
    assert "I won't pass anything on" in left, left
    assert leads(assistant, sender) == []


def test_in_the_middle_of_the_questions_the_answers_so_far_are_kept(assistant):
    sender = new_sender()
    assistant.say(sender, "advice for my florist shop")
    assistant.say(sender, "just me and my sister")
    asked = texts(assistant.say(sender, "actually, could somebody from your team just ring me?"))
    assert "May I pass what you told me (a retail firm of 2 people" in asked, asked
    assistant.say(sender, "yes go ahead")
    done = assistant.say(sender, "+44 20 7946 0958")
    assert "saved your request" in texts(done) and "/request_advice" in payloads(done), texts(done)
    resumed = texts(assistant.say(sender, "/request_advice"))
    assert "how much could you spend" in resumed, resumed  # industry and size were kept


def test_a_number_given_unasked_starts_the_hand_off_and_is_kept(assistant):
    sender = new_sender()
    asked = texts(assistant.say(sender, "please phone me on +44 20 7946 0958"))
    assert "May I pass your phone number, +44 20 7946 0958, to an adviser" in asked, asked
    done = texts(assistant.say(sender, "yes"))
    assert "saved your request for an adviser, with +44 20 7946 0958" in done, done
    assert [row[:2] for row in leads(assistant, sender)] == [("phone", "+442079460958")]


def test_a_concept_question_or_delete_my_data_during_the_hand_off_is_answered(assistant):
    sender = new_sender()
    assistant.say(sender, "is there an actual person who could advise me?")
    answered = texts(assistant.say(sender, "before I say yes: what is digital transformation exactly?"))
    assert "May I pass" in answered and answered.index("May I pass") > 0, answered  # answered, then asked again
    assert "reach you" in texts(assistant.say(sender, "ok yes"))
    deleted = texts(assistant.say(sender, "actually, delete all my data"))
    assert "deleted" in deleted, deleted
    assert leads(assistant, sender) == []
