"""Issue 16 over REST: the chart that comes with a plan, the plan to take away, and a check-in on
return that moves the plan on, each served behind a link signed for one conversation only.
"""
from __future__ import annotations

import io
import json
import sqlite3
import uuid

import pytest
import requests
from PIL import Image

from bot.advice.data import advice_data
from bot.report.links import split_url

pytestmark = pytest.mark.model

SALON = ["hi", "what should my hair salon do first?", "just me", "about 100 euros a month",
         "instagram and paper", "more customers", "yes"]
DATA = advice_data()


def make_plan(assistant, sender) -> list[dict]:
    replies = []
    for message in SALON:
        replies = assistant.say(sender, message)
    return replies


def image_url(replies) -> str:
    (url,) = [reply["image"] for reply in replies if reply.get("image")]
    return url


def get(url: str) -> requests.Response:
    return requests.get(url, timeout=60)


def plans(assistant, sender) -> list[tuple[int, str, list[str]]]:
    with sqlite3.connect(assistant.app_db_path) as db:
        rows = db.execute("SELECT version, change, step_ids FROM plans WHERE sender_id = ? ORDER BY version",
                          (sender,)).fetchall()
    return [(version, change, json.loads(ids)) for version, change, ids in rows]


def checkins(assistant, sender) -> list[tuple]:
    with sqlite3.connect(assistant.app_db_path) as db:
        return db.execute("SELECT plan_version, step_number, status FROM checkins WHERE sender_id = ? ORDER BY id",
                          (sender,)).fetchall()


def press(assistant, sender, replies, title) -> list[dict]:
    """Press the button with this title in the last reply that has buttons."""
    buttons = next(reply["buttons"] for reply in reversed(replies) if reply.get("buttons"))
    (payload,) = [b["payload"] for b in buttons if b["title"] == title]
    return assistant.say(sender, payload)


def test_a_plan_comes_with_its_chart_and_a_check_in_on_return_moves_it_on(assistant):
    sender = f"progress-{uuid.uuid4().hex[:8]}"
    first_replies = make_plan(assistant, sender)
    chart = get(image_url(first_replies))
    assert chart.status_code == 200 and chart.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(chart.content)).format == "PNG" and len(chart.content) <= 150_000
    [(version, change, first_steps)] = plans(assistant, sender)
    assert (version, change) == (1, "made")

    # back after a restart: asked about step 1, then each other step, with buttons
    assistant.say(sender, "/restart")
    welcome = assistant.say(sender, "hello")
    assert welcome[0]["text"].startswith("Welcome back!") and "How did step 1," in welcome[0]["text"]
    assert [b["title"] for b in welcome[0]["buttons"]] == ["Done", "Started", "Not yet", "Skipped it"]
    replies = press(assistant, sender, welcome, "Done")
    assert replies[0]["text"].startswith("Thanks. And step 2,")
    for _ in first_steps[2:]:
        replies = press(assistant, sender, replies, "Not yet")
    replies = press(assistant, sender, replies, "Not yet")
    assert replies[0]["text"].startswith(f"Thanks for the update: 1 of {len(first_steps)} steps done."), replies

    # the next plan: step 1 is done and gone, the steps not yet started come first
    version, change, steps = plans(assistant, sender)[-1]
    assert (version, change) == (2, "progress")
    assert first_steps[0] not in steps and steps[:len(first_steps) - 1] == first_steps[1:]
    assert checkins(assistant, sender) == [(1, 1, "done")] + [(1, n, "not_started")
                                                              for n in range(2, len(first_steps) + 1)]
    moved_on = get(image_url(replies))
    assert moved_on.status_code == 200 and moved_on.content != chart.content
    assert split_url(image_url(replies))[0] != split_url(image_url(first_replies))[0]


def test_the_plan_to_take_away_and_links_that_open_only_their_own_conversation(assistant):
    ours, theirs = f"files-{uuid.uuid4().hex[:8]}", f"files-{uuid.uuid4().hex[:8]}"
    our_chart = image_url(make_plan(assistant, ours))
    their_chart = image_url(make_plan(assistant, theirs))

    replies = assistant.say(ours, "/request_plan_file")
    assert replies[0]["text"] == DATA.replies.text("plan_file_ready")
    documents = next(reply["custom"]["documents"] for reply in replies if reply.get("custom"))
    pdf, markdown = (get(d["url"]) for d in documents)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and "attachment" in pdf.headers[
        "content-disposition"]
    titles = [DATA.catalogue.get(i).title for i in plans(assistant, ours)[-1][2]]
    assert all(title in markdown.text for title in titles) and our_chart.split("/report/")[1].split("/")[0] in markdown.text

    # their conversation's token with our signature, ours with theirs, or any change: 404
    our_body, our_signature = split_url(our_chart)[0].split(".")
    their_body, their_signature = split_url(their_chart)[0].split(".")
    base = our_chart.split("/report/")[0]
    for token in (f"{their_body}.{our_signature}", f"{our_body}.{their_signature}", f"{our_body}x.{our_signature}"):
        assert get(f"{base}/report/{token}/chart.png").status_code == 404
    assert get(f"{base}/report/{split_url(our_chart)[0]}/secrets.txt").status_code == 404
    assert get(their_chart).status_code == 200

    # deleted means deleted: the links stop working at once
    assert assistant.say(ours, "delete my data")[0]["text"].startswith("Done: I've deleted")
    assert get(our_chart).status_code == 404 and get(documents[0]["url"]).status_code == 404
