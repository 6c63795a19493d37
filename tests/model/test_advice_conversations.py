"""The advice flow over REST: real owners' answers, the plan, follow-ups, memory and deletion."""
from __future__ import annotations

import json
import sqlite3
import uuid

import pytest

from bot.advice.data import advice_data
from bot.advice.profile_parsing import parse_budget
from bot.advice.recommender import yearly_budget

pytestmark = pytest.mark.model

PERSONAS = {
    "hair salon": (["what should my hair salon do first?", "just me", "about 100 euros a month",
                    "instagram and paper", "more customers", "yes"], "100 euros a month"),
    "furniture maker": (["We're a furniture maker with 40 people and about $500 a month",
                         "excel and an erp", "too much downtime", "yes"], "$500 a month"),
    "law office": (["advice for my firm", "2-person law office", "around 50 dollars a month", "email and word",
                    "save time on paperwork", "yes"], "50 dollars a month"),
    "fruit orchard": (["hi", "I run a fruit orchard", "6 of us", "2万元 this year", "paper and wechat",
                       "more customers", "yes"], "2万元 this year"),
}


def converse(assistant, sender, messages):
    return [assistant.say(sender, message) for message in messages]


def saved_plan(assistant, sender):
    with sqlite3.connect(assistant.app_db_path) as db:
        row = db.execute("SELECT payload FROM plans WHERE sender_id = ? ORDER BY id DESC LIMIT 1", (sender,)).fetchone()
    return json.loads(row[0]) if row else None


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_owner_gets_a_three_step_plan_within_budget_in_under_eight_turns(assistant, persona):
    messages, budget_text = PERSONAS[persona]
    sender = f"persona-{uuid.uuid4().hex[:8]}"
    replies = converse(assistant, sender, messages)
    assert len(messages) <= 8
    plan_text = replies[-1][0]["text"]
    assert "1. Now:" in plan_text and "2. Next:" in plan_text and "3. Later:" in plan_text, plan_text
    assert "approximate" in replies[-1][-1]["text"]
    data = advice_data()
    step_ids = saved_plan(assistant, sender)["step_ids"]
    assert len(step_ids) == 3 and len(set(step_ids)) == 3
    limit = yearly_budget(parse_budget(budget_text), data.to_catalogue)
    assert sum(data.catalogue.get(i).first_year_cost() for i in step_ids) <= limit


def test_profile_is_read_back_before_the_plan(assistant):
    sender = f"readback-{uuid.uuid4().hex[:8]}"
    replies = converse(assistant, sender, PERSONAS["furniture maker"][0][:-1])
    assert replies[-1][0]["text"].startswith("So: a manufacturing firm of 40 people")
    assert [b["payload"] for b in replies[-1][0]["buttons"]] == ["/affirm", "/deny"]


def test_follow_ups_change_the_plan(assistant):
    sender = f"follow-{uuid.uuid4().hex[:8]}"
    converse(assistant, sender, PERSONAS["hair salon"][0])
    first = saved_plan(assistant, sender)["step_ids"]
    why = assistant.say(sender, "why this?")[0]["text"]
    assert why.startswith("Step 1, ") and advice_data().catalogue.get(first[0]).title in why
    details = assistant.say(sender, "tell me more about step 2")[0]["text"]
    assert advice_data().catalogue.get(first[1]).title in details and "Cost:" in details
    assistant.say(sender, "I already have step 1")
    after = saved_plan(assistant, sender)["step_ids"]
    assert first[0] not in after
    assistant.say(sender, "something cheaper")
    cheaper = saved_plan(assistant, sender)["step_ids"]
    cost = lambda ids: sum(advice_data().catalogue.get(i).first_year_cost() for i in ids)  # noqa: E731
    assert cost(cheaper) < cost(after)


def test_returning_user_is_greeted_with_the_saved_plan(assistant):
    sender = f"return-{uuid.uuid4().hex[:8]}"
    converse(assistant, sender, PERSONAS["fruit orchard"][0])
    titles = [advice_data().catalogue.get(i).title for i in saved_plan(assistant, sender)["step_ids"]]
    assistant.say(sender, "/start_over")
    welcome = assistant.say(sender, "hello")[0]
    assert welcome["text"].startswith("Welcome back!") and titles[0] in welcome["text"]
    assert "How did step 1" in welcome["text"]
    assert titles[1] in assistant.say(sender, "done")[0]["text"]


def test_delete_my_data_removes_profile_plans_and_conversation(assistant):
    sender = f"delete-{uuid.uuid4().hex[:8]}"
    converse(assistant, sender, PERSONAS["law office"][0])
    reply = assistant.say(sender, "delete my data")[0]["text"]
    assert reply.startswith("Done: I've deleted")
    with sqlite3.connect(assistant.app_db_path) as db:
        assert db.execute("SELECT COUNT(*) FROM profiles WHERE sender_id = ?", (sender,)).fetchone()[0] == 0
        assert db.execute("SELECT COUNT(*) FROM plans WHERE sender_id = ?", (sender,)).fetchone()[0] == 0
    with sqlite3.connect(assistant.db_path) as db:
        texts = [row[0] for row in db.execute("SELECT data FROM events WHERE sender_id = ?", (sender,))]
    assert texts and not any("law office" in t for t in texts)
    assert assistant.say(sender, "show my plan")[0]["text"].startswith("You don't have a plan yet")
