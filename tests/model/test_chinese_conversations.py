"""Chinese conversations over REST, each with a switch of language: a concept and "tell me more", the
whole advice flow with a budget in 万元 and a correction, and the follow-ups on the plan given.

Every sentence a user says here is in none of the training files.
"""
from __future__ import annotations

import json
import re
import sqlite3
import uuid

import pytest

from bot.advice.data import advice_data
from bot.advice.profile_parsing import parse_budget
from bot.advice.recommender import yearly_budget

pytestmark = pytest.mark.model

ZH = advice_data("zh").replies
EN = advice_data("en").replies
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# Product and technology names a Chinese text may keep in Latin letters.
BRANDS = {"excel", "wps", "erp", "crm", "pos", "app", "ai", "iot", "saas", "pdf", "id", "ok", "qq", "wifi", "sap",
          "mes", "ocr", "kpi", "vip", "icp", "b2b", "ukey", "keepass", "bitwarden", "password"}


def new_sender() -> str:
    return f"zh-{uuid.uuid4().hex[:12]}"


def first_text(reply: list[dict]) -> str:
    return reply[0].get("text", "") if reply else ""


def is_chinese(text: str) -> bool:
    """Chinese, with at most a product name or two in Latin letters."""
    foreign = [w for w in LATIN_WORD.findall(text) if w.lower() not in BRANDS]
    return bool(re.search(r"[\u4e00-\u9fff]", text)) and len(foreign) <= 3


def saved_plan(assistant, sender):
    with sqlite3.connect(assistant.app_db_path) as db:
        row = db.execute("SELECT payload FROM plans WHERE sender_id = ? ORDER BY id DESC LIMIT 1", (sender,)).fetchone()
    return json.loads(row[0]) if row else None


def test_a_concept_in_chinese_then_more_then_english_and_back(assistant, responses, zh_responses):
    sender = new_sender()
    answer = assistant.say(sender, "互联网+这个说法是怎么来的")
    assert first_text(answer) in zh_responses["utter_faq/what_is_internet_plus"]
    assert all(is_chinese(b["title"]) for b in answer[0]["buttons"])
    assert first_text(assistant.say(sender, "再展开说说")) in zh_responses["utter_faq/what_is_internet_plus_more_1"]
    assert first_text(assistant.say(sender, "could you answer in english instead")) == EN.text("language_switched")
    assert first_text(assistant.say(sender, "and more?")) in responses["utter_faq/what_is_internet_plus_more_2"]
    assert first_text(assistant.say(sender, "麻烦换成中文")) == ZH.text("language_switched")
    assert first_text(assistant.say(sender, "数字化转型到底是什么")) in zh_responses["utter_faq/what_is_digital_transformation"]


def test_the_greeting_follows_the_channels_language_on_the_first_message(assistant, responses, zh_responses):
    assert first_text(assistant.say(new_sender(), "/greet", metadata={"language": "zh-CN"})) in zh_responses["utter_greet"]
    assert first_text(assistant.say(new_sender(), "/greet", metadata={"language": "en-US"})) in responses["utter_greet"]
    sender = new_sender()
    assistant.say(sender, "hi there", metadata={"language": "zh-CN"})  # the writing beats the phone's language
    assert first_text(assistant.say(sender, "/greet", metadata={"language": "zh-CN"})) in responses["utter_greet"]


def test_a_switch_that_names_no_language_offers_both(assistant):
    reply = assistant.say(new_sender(), "能换个语言吗")
    assert first_text(reply) == ZH.text("choose_language")
    assert [b["title"] for b in reply[0]["buttons"]] == ["English", "中文"]


def test_the_advice_flow_in_chinese_with_wan_yuan_and_a_correction(assistant):
    sender = new_sender()
    intro = assistant.say(sender, "想请你帮我们小店规划一下数字化")
    assert [m["text"] for m in intro] == [ZH.text("consent"), ZH.text("ask_industry")]
    assert [b["title"] for b in intro[-1]["buttons"]] == [b["title"] for b in ZH.render("ask_industry")["buttons"]]
    assert first_text(assistant.say(sender, "我们家是做川菜馆的")) == ZH.text("ask_head_count")
    assert first_text(assistant.say(sender, "算上我一共七个人")) == ZH.text("ask_budget")
    assert first_text(assistant.say(sender, "今年能拿出2万元")) == ZH.text("ask_tools")
    assert first_text(assistant.say(sender, "收银用的美团，平时记账靠Excel")) == ZH.text("ask_goal")
    readback = assistant.say(sender, "想让老顾客常回来")
    assert readback[0]["text"].startswith(ZH.text("confirm_profile", summary="")[:2]), readback
    assert "7" in readback[0]["text"] and is_chinese(readback[0]["text"])
    corrected = assistant.say(sender, "说错了，我们其实是十二个人")
    assert "12" in corrected[-1]["text"] and is_chinese(corrected[-1]["text"])
    plan = assistant.say(sender, "嗯，这回对了")
    plan_text = plan[0]["text"]
    assert is_chinese(plan_text), plan_text
    assert "¥" in plan_text and "$" not in plan_text, plan_text
    stored = saved_plan(assistant, sender)
    assert len(stored["step_ids"]) == 3
    assert stored["profile"]["head_count"]["low"] == 12
    assert set(stored["profile"]["tools"]) == {"delivery_platform", "spreadsheet"}  # 美团 and the Excel inside Chinese
    data = advice_data("zh")
    limit = yearly_budget(parse_budget("2万元"), data.to_catalogue)
    assert sum(data.catalogue.get(i).first_year_cost(12) for i in stored["step_ids"]) <= limit
    for step_id in stored["step_ids"]:
        assert data.catalogue.get(step_id).title in plan_text  # the Chinese titles of the steps stored


def test_the_follow_ups_read_the_plan_given_in_chinese_and_then_in_english(assistant):
    sender = new_sender()
    for message in ["给我们店出出主意吧", "我们开了间花店", "就我跟我老婆两个人", "每个月五百左右", "只用微信",
                    "想多来些新客人", "是的，都对"]:
        reply = assistant.say(sender, message)
    stored = saved_plan(assistant, sender)
    assert stored["profile"]["budget"]["currency"] == "CNY"  # no currency said: yuan, in a Chinese conversation
    data = advice_data("zh")
    assert sum(data.catalogue.get(i).first_year_cost(2) for i in stored["step_ids"]) <= \
        yearly_budget(parse_budget("每月500元"), data.to_catalogue)
    zh_steps = [advice_data("zh").catalogue.get(i) for i in stored["step_ids"]]
    why = first_text(assistant.say(sender, "为啥第一步是这个"))
    assert zh_steps[0].title in why and is_chinese(why)
    details = first_text(assistant.say(sender, "第二步具体怎么弄"))
    assert zh_steps[1].title in details and is_chinese(details)
    shown = first_text(assistant.say(sender, "把我的方案再发我一下"))
    assert all(step.title in shown for step in zh_steps)
    assistant.say(sender, "switch to english please")
    shown_en = first_text(assistant.say(sender, "show me my plan again"))
    assert all(advice_data("en").catalogue.get(i).title in shown_en for i in stored["step_ids"])
    assert saved_plan(assistant, sender)["step_ids"] == stored["step_ids"]  # the same plan, in the other language
    assert reply  # the plan was sent
