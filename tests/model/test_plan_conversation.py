"""One long conversation over REST in which every answer agrees with the plan last given (issue 11).

The titles are read from the plan messages themselves, and checked against the plan stored in the
app database, so the test follows whatever plan the trained model and the catalogue produce.
"""
from __future__ import annotations

import json
import re
import sqlite3
import uuid

import pytest

from bot.advice.data import advice_data

pytestmark = pytest.mark.model

SALON = ["hi", "what should my hair salon do first?", "just me", "about 100 euros a month",
         "instagram and paper", "more customers", "yes"]
STEP_LINE = re.compile(r"^\d\. \w+: \*(?P<title>[^*]+)\*", re.M)


def plan_titles(replies: list[dict]) -> list[str]:
    """The step titles of the plan message among `replies`."""
    found = [STEP_LINE.findall(reply.get("text", "")) for reply in replies]
    titles = next((t for t in found if t), [])
    assert titles, [reply.get("text") for reply in replies]
    return titles


def stored(assistant, sender) -> list[dict]:
    with sqlite3.connect(assistant.app_db_path) as db:
        rows = db.execute("SELECT version, step_ids, change FROM plans WHERE sender_id = ? ORDER BY version",
                          (sender,)).fetchall()
    return [{"version": v, "titles": [advice_data().catalogue.get(i).title for i in json.loads(ids)], "change": c}
            for v, ids, c in rows]


def test_every_answer_agrees_with_the_plan_last_given(assistant):
    sender = f"truth-{uuid.uuid4().hex[:8]}"
    for message in SALON[:-1]:
        assistant.say(sender, message)
    # 1. make a plan
    first = plan_titles(assistant.say(sender, SALON[-1]))
    assert [p["titles"] for p in stored(assistant, sender)] == [first]
    # 2. something cheaper: a new version, and the old one is kept
    cheaper = plan_titles(assistant.say(sender, "something cheaper"))
    versions = stored(assistant, sender)
    assert [(p["version"], p["change"]) for p in versions] == [(1, "made"), (2, "cheaper")]
    assert versions[1]["titles"] == cheaper and cheaper != first
    # 3. show my plan again: the cheaper plan, not a new one
    assert plan_titles(assistant.say(sender, "show my plan again")) == cheaper
    # 4. why this: step 1 of that plan, by number and title
    why = assistant.say(sender, "why this?")[0]["text"]
    assert why.startswith(f"Step 1, {cheaper[0]}:"), why
    # 5. details on step 2
    details = assistant.say(sender, "tell me more about step 2")[0]["text"]
    assert details.startswith(f"*{cheaper[1]}*"), details
    # 6. details on step 7: the plan has no step 7
    missing = assistant.say(sender, "tell me more about step 7")[0]
    assert missing["text"].startswith(f"Your plan has {len(cheaper)} steps"), missing["text"]
    assert [b["title"] for b in missing["buttons"]] == [f"{n}. {t}" for n, t in enumerate(cheaper, start=1)]
    # 7. restart, then a greeting: welcomed back with that plan
    assistant.say(sender, "/restart")
    welcome = assistant.say(sender, "hello")[0]["text"]
    assert welcome.startswith("Welcome back!") and all(title in welcome for title in cheaper), welcome
    # 8. show my plan: still the same plan, read back from the store
    assert plan_titles(assistant.say(sender, "show my plan")) == cheaper
    # 9. I already have step 1: a third version without it
    replies = assistant.say(sender, "I already have step 1")
    assert replies[0]["text"] == f"Good, I'll take {cheaper[0]} off the list."
    third = plan_titles(replies)
    assert cheaper[0] not in third
    assert [(p["version"], p["change"], p["titles"]) for p in stored(assistant, sender)][-1] == (3, "owned", third)
    # 10. delete my data
    assert assistant.say(sender, "delete my data")[0]["text"].startswith("Done: I've deleted")
    assert stored(assistant, sender) == []
    # 11. show my plan: there is none
    assert assistant.say(sender, "show my plan")[0]["text"].startswith("You don't have a plan yet")
