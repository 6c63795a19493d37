"""The Telegram channel end to end: the trained assistant talking to a fake Bot API server.

Each class starts its own assistant with TELEGRAM_TOKEN / TELEGRAM_API_BASE_URL / TELEGRAM_MODE set,
so no real Telegram is needed. A turn is over when Rasa has saved it (the user event is in the
tracker database): by then every reply of the turn has reached the fake server. The polling
conversations' transcripts are written to tests/artifacts/telegram-conversation.txt (English) and
telegram-conversation-zh.txt (Chinese, with a switch to English and back).
"""
from __future__ import annotations

import io
import json
import sqlite3
import time

import pytest
import requests
from PIL import Image

from bot.advice.data import advice_data
from bot.channels.telegram.commands import command_menu
from bot.channels.telegram.formatting import to_html, visible_text
from bot.channels.telegram.language import EXPIRED, TEXT_ONLY, notice
from bot.nlu.language import CHINESE, ENGLISH
from bot.paths import REPO_ROOT
from telegram_fake import BOT_USER, FakeTelegram

pytestmark = pytest.mark.model

TOKEN = f"{BOT_USER['id']}:TEST-fake-token"
SECRET = "test_Secret-0123456789"
HAIR_SALON = ["what should my hair salon do first?", "just me", "about 100 euros a month", "instagram and paper",
              "more customers", "yes"]
TRANSCRIPT = REPO_ROOT / "tests" / "artifacts" / "telegram-conversation.txt"
TRANSCRIPT_ZH = TRANSCRIPT.with_name("telegram-conversation-zh.txt")
COMMAND_NAMES = ["start", "help", "restart", "plan", "delete", "lang"]


class Chat:
    """One Telegram chat with the assistant: send an update, get the messages of that turn."""

    def __init__(self, fake: FakeTelegram, assistant, chat_id: int, deliver=None, language_code: str = "en"):
        self.fake, self.assistant, self.chat_id = fake, assistant, chat_id
        self.deliver = deliver or fake.queue
        self.language_code = language_code  # the user's Telegram app language
        self.pressed = 0  # the message whose button was tapped last

    def turns(self) -> int:
        with sqlite3.connect(self.assistant.db_path) as db:
            query = "SELECT COUNT(*) FROM events WHERE sender_id = ? AND type_name = 'user'"
            return db.execute(query, (f"tg-{self.chat_id}",)).fetchone()[0]

    def send(self, update: dict) -> list[dict]:
        before, turns = len(self.fake.sent(self.chat_id)), self.turns()
        self.deliver(update)
        self.fake.wait_for(lambda: self.turns() > turns, timeout=120)
        return self.fake.sent(self.chat_id)[before:]

    def say(self, text: str) -> list[dict]:
        return self.send(self.fake.text_update(self.chat_id, text, language_code=self.language_code))

    def press(self, payload: str) -> list[dict]:
        """Tap the button with this payload on the newest message that has it."""
        for call in reversed(self.fake.calls_to("sendMessage", self.chat_id)):
            rows = (call["params"].get("reply_markup") or {}).get("inline_keyboard", [])
            if any(button.get("callback_data") == payload for row in rows for button in row):
                self.pressed = call["result"]["message_id"]
                return self.send(self.fake.press_update(self.chat_id, self.pressed, payload,
                                                        language_code=self.language_code))
        raise AssertionError(f"no button {payload!r} in chat {self.chat_id}")


def as_sent(texts: list[str]) -> set[str]:
    return {to_html(text) for text in texts}


def advice_reply(language: str, key: str) -> str:
    """A reply of data/advice/replies.yml as Telegram gets it."""
    return to_html(advice_data(language).replies.text(key))


def button_rows(message: dict) -> list[tuple[str, str]]:
    """(title, callback_data) of each button under a message."""
    return [(row[0]["text"], row[0]["callback_data"]) for row in message["reply_markup"]["inline_keyboard"]]


def quiet_for(seconds: float) -> None:
    time.sleep(seconds)  # to show that nothing else arrives


# --- polling (the default) -------------------------------------------------------------------

@pytest.fixture(scope="class")
def polling(start_assistant):
    fake = FakeTelegram(TOKEN).start()
    try:
        with start_assistant({"TELEGRAM_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": fake.base_url,
                              "TELEGRAM_MODE": "polling"}) as assistant:
            fake.wait_for(lambda: fake.calls_to("getUpdates"), timeout=120)
            yield fake, assistant
    finally:
        fake.stop()


class TestPolling:
    def test_commands_are_registered_and_a_webhook_is_deleted_first(self, polling):
        fake, _ = polling
        default, chinese_menu = (call["params"] for call in fake.calls_to("setMyCommands"))
        assert "language_code" not in default and chinese_menu["language_code"] == "zh"
        for menu, language in ((default, ENGLISH), (chinese_menu, CHINESE)):
            assert [(c["command"], c["description"]) for c in menu["commands"]] == command_menu(language)
        assert [c["command"] for c in default["commands"]] == COMMAND_NAMES
        methods = [c["method"] for c in fake.calls]
        assert methods.index("getMe") < methods.index("deleteWebhook") < methods.index("getUpdates")

    def test_a_whole_conversation(self, polling, responses):
        fake, assistant = polling
        chat = Chat(fake, assistant, 1001)
        start = len(fake.calls)

        greeting = chat.say("/start")
        assert len(greeting) == 1 and greeting[0]["text"] in as_sent(responses["utter_greet"])
        assert greeting[0]["parse_mode"] == "HTML"
        rows = greeting[0]["reply_markup"]["inline_keyboard"]
        assert all(len(row) == 1 for row in rows)
        assert [row[0]["callback_data"] for row in rows] == [
            "What is Internet+?", "What is digital transformation?", "/request_advice"]

        answer = chat.say("what is internet plus?")
        assert answer[0]["text"] in as_sent(responses["utter_faq/what_is_internet_plus"])
        assert answer[0]["text"].startswith("<b>Internet+</b>")

        deeper = chat.press("/tell_me_more")
        assert deeper[0]["text"] in as_sent(responses["utter_faq/what_is_internet_plus_more_1"])
        assert fake.calls_to("answerCallbackQuery")[-1]["params"].get("text") is None
        assert fake.calls_to("editMessageReplyMarkup")[-1]["params"] == {"chat_id": 1001, "message_id": chat.pressed}
        assert "reply_markup" not in fake.message(1001, chat.pressed)

        replies = [chat.say(text) for text in HAIR_SALON]
        plan = "\n".join(visible_text(m["text"]) for m in replies[-1])
        assert "1. Now:" in plan and "2. Next:" in plan and "3. Later:" in plan, plan

        TRANSCRIPT.parent.mkdir(parents=True, exist_ok=True)
        TRANSCRIPT.write_text(transcript(fake, start), encoding="utf-8")
        newest = max(u["update_id"] for c in fake.calls_to("getUpdates") for u in c["result"])
        fake.wait_for(lambda: saved_update_ids(assistant) and max(saved_update_ids(assistant)) == newest)

    def test_the_plan_comes_with_its_chart_and_the_plan_files_as_uploads(self, polling):
        fake, assistant = polling
        chat = Chat(fake, assistant, 1007)
        for text in HAIR_SALON:
            chat.say(text)
        assert "1. Now:" in "\n".join(visible_text(m["text"]) for m in fake.sent(1007))

        (photo,) = [call["params"] for call in fake.calls_to("sendPhoto", 1007)]
        assert photo["caption"] == advice_reply(ENGLISH, "chart_caption")
        upload = photo["photo"]
        assert isinstance(upload, dict) and upload["content"], photo  # uploaded, not a link Telegram must fetch
        with Image.open(io.BytesIO(upload["content"])) as chart:
            assert chart.format == "PNG" and chart.width > 0 and chart.height > 0

        chat.press("/request_plan_file")
        pdf, markdown = [call["params"]["document"] for call in fake.calls_to("sendDocument", 1007)]
        assert pdf["filename"].endswith(".pdf") and pdf["content"].startswith(b"%PDF"), pdf["filename"]
        assert markdown["filename"].endswith(".md") and markdown["content"], markdown["filename"]

    def test_a_chinese_conversation_with_a_switch_to_english_and_back(self, polling, zh_responses):
        fake, assistant = polling
        chat = Chat(fake, assistant, 1006, language_code="zh-hans")  # a phone set to Chinese
        start = len(fake.calls)

        greeting = chat.say("/start")
        assert len(greeting) == 1 and greeting[0]["text"] in as_sent(zh_responses["utter_greet"])
        assert "互联网+" in greeting[0]["text"]
        assert button_rows(greeting[0]) == [("什么是互联网+？", "什么是互联网+？"),
                                            ("什么是数字化转型？", "什么是数字化转型？"),
                                            ("给我的公司出出主意", "/request_advice")]

        answer = chat.say("什么是数字化转型？")
        assert answer[0]["text"] in as_sent(zh_responses["utter_faq/what_is_digital_transformation"])
        deeper = chat.press("/tell_me_more")
        assert deeper[0]["text"] in as_sent(zh_responses["utter_faq/what_is_digital_transformation_more_1"])

        too_long = chat.say("我们是一家开了十年的小餐馆，想问问数字化转型怎么搞。" * 100)
        assert len(too_long) == 1 and too_long[0]["text"] in as_sent(zh_responses["utter_input_too_long"])

        english = chat.say("could you switch to english, thanks")
        assert english[0]["text"] == advice_reply(ENGLISH, "language_switched")

        offer = chat.say("/lang")
        assert offer[0]["text"] == advice_reply(ENGLISH, "choose_language")
        assert button_rows(offer[0]) == [("English", '/switch_language{"language":"en"}'),
                                         ("中文", '/switch_language{"language":"zh"}')]

        back = chat.press('/switch_language{"language":"zh"}')
        assert back[0]["text"] == advice_reply(CHINESE, "language_switched")
        assert chat.say("/help")[0]["text"] in as_sent(zh_responses["utter_greet"])

        TRANSCRIPT_ZH.parent.mkdir(parents=True, exist_ok=True)
        TRANSCRIPT_ZH.write_text(transcript(fake, start), encoding="utf-8")

    def test_a_deep_link_starts_the_advice_flow(self, polling):
        fake, assistant = polling
        reply = Chat(fake, assistant, 1002).say("/start advice")
        over_rest = assistant.say("rest-1002", "/request_advice")  # the same assistant, over REST
        assert [m["text"] for m in reply] == [to_html(m["text"]) for m in over_rest]

    def test_plan_restart_and_delete_commands(self, polling, responses):
        fake, assistant = polling
        chat = Chat(fake, assistant, 1003)
        assert chat.say("/plan")[0]["text"].startswith("You don't have a plan yet")
        assert chat.say("/restart")[0]["text"] in as_sent(responses["utter_fresh_start"])
        fake.queue(fake.text_update(1003, "/delete"))
        fake.wait_for(lambda: any(m["text"].startswith("Done") for m in fake.sent(1003)), timeout=120)

    def test_a_sticker_gets_the_text_only_reply_and_rasa_never_sees_it(self, polling):
        fake, assistant = polling
        chat = Chat(fake, assistant, 1004)
        fake.queue(fake.sticker_update(1004))
        fake.wait_for(lambda: fake.sent(1004))
        quiet_for(1.5)
        assert [m["text"] for m in fake.sent(1004)] == [notice(TEXT_ONLY, ENGLISH)] and chat.turns() == 0

    def test_a_stale_button_is_answered_and_nothing_else(self, polling):
        fake, assistant = polling
        chat = Chat(fake, assistant, 1005)
        chat.say("hello")
        stale = fake.calls_to("sendMessage", 1005)[-1]["result"]  # as it was, keyboard and all
        chat.press("What is Internet+?")
        sent, turns = len(fake.sent(1005)), chat.turns()
        answers = len(fake.calls_to("answerCallbackQuery"))
        fake.queue(fake.press_update(1005, stale["message_id"], "/request_advice", message=stale))
        fake.wait_for(lambda: len(fake.calls_to("answerCallbackQuery")) > answers)
        quiet_for(1.5)
        assert fake.calls_to("answerCallbackQuery")[-1]["params"]["text"] == notice(EXPIRED, ENGLISH)
        assert len(fake.sent(1005)) == sent and chat.turns() == turns


# --- webhook ---------------------------------------------------------------------------------

@pytest.fixture(scope="class")
def webhook(start_assistant):
    fake = FakeTelegram(TOKEN).start()
    env = {"TELEGRAM_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": fake.base_url, "TELEGRAM_MODE": "webhook",
           "TELEGRAM_WEBHOOK_SECRET": SECRET, "TELEGRAM_WEBHOOK_URL": "https://bot.example.com/webhooks/telegram/webhook"}
    try:
        with start_assistant(env) as assistant:
            fake.wait_for(lambda: requests.get(f"{assistant.url}/webhooks/telegram/").json()["status"] == "ok",
                          timeout=120)
            yield fake, assistant
    finally:
        fake.stop()


def post(assistant, update: dict, secret=SECRET) -> requests.Response:
    headers = {} if secret is None else {"X-Telegram-Bot-Api-Secret-Token": secret}
    return requests.post(f"{assistant.url}/webhooks/telegram/webhook", json=update, headers=headers, timeout=10)


class TestWebhook:
    def test_the_webhook_is_set_with_the_secret(self, webhook):
        fake, _ = webhook
        params = fake.calls_to("setWebhook")[-1]["params"]
        assert params["url"] == "https://bot.example.com/webhooks/telegram/webhook"
        assert params["secret_token"] == SECRET
        assert params["allowed_updates"] == ["message", "callback_query"]
        assert [c["command"] for c in fake.calls_to("setMyCommands")[0]["params"]["commands"]] == COMMAND_NAMES

    @pytest.mark.parametrize("secret", [None, "", "wrong", SECRET.lower(), SECRET + "x"])
    def test_a_missing_or_wrong_secret_gets_403_and_nothing_happens(self, webhook, secret):
        fake, assistant = webhook
        chat = Chat(fake, assistant, 2001)
        assert post(assistant, fake.text_update(2001, "hello"), secret).status_code == 403
        quiet_for(1.0)
        assert fake.sent(2001) == [] and chat.turns() == 0

    def test_the_same_update_twice_gets_one_reply(self, webhook, responses):
        fake, assistant = webhook
        chat = Chat(fake, assistant, 2002)
        update = fake.text_update(2002, "hello")
        started = time.monotonic()
        first, second = post(assistant, update), post(assistant, update)
        assert first.status_code == second.status_code == 200
        assert time.monotonic() - started < 2  # acknowledged at once, handled afterwards
        fake.wait_for(lambda: chat.turns() == 1, timeout=120)
        quiet_for(1.5)
        assert len(fake.sent(2002)) == 1 and chat.turns() == 1
        assert fake.sent(2002)[0]["text"] in as_sent(responses["utter_greet"])

    def test_a_429_is_waited_out_and_the_reply_still_arrives(self, webhook, responses):
        fake, assistant = webhook
        chat = Chat(fake, assistant, 2003, deliver=lambda update: post(assistant, update))
        fake.fail_next("sendMessage", 1)
        reply = chat.say("what is digital transformation?")
        assert reply and reply[0]["text"] in as_sent(responses["utter_faq/what_is_digital_transformation"])
        attempts = fake.calls_to("sendMessage", 2003, ok_only=False)
        assert [c["status"] for c in attempts[:2]] == [429, 200]
        assert attempts[0]["params"]["text"] == attempts[1]["params"]["text"]
        assert attempts[1]["at"] - attempts[0]["at"] >= 1

    def test_a_button_press_over_the_webhook(self, webhook, responses):
        fake, assistant = webhook
        chat = Chat(fake, assistant, 2004, deliver=lambda update: post(assistant, update))
        chat.say("what is internet plus?")
        deeper = chat.press("/tell_me_more")
        assert deeper[0]["text"] in as_sent(responses["utter_faq/what_is_internet_plus_more_1"])


# --- helpers ---------------------------------------------------------------------------------

def saved_update_ids(assistant) -> list[int]:
    """The update ids the channel saved in the app database."""
    with sqlite3.connect(assistant.app_db_path) as db:
        row = db.execute("SELECT value FROM channel_state WHERE key = ?",
                         (f"telegram:{BOT_USER['id']}:updates",)).fetchone()
    return json.loads(row[0])["ids"] if row else []


def shown_upload(value):
    """An uploaded file (the fake keeps its bytes) as its name and size, so the transcript stays text."""
    if isinstance(value, dict) and isinstance(value.get("content"), bytes):
        return f"<upload {value.get('filename')}, {len(value['content'])} bytes>"
    return value


def transcript(fake: FakeTelegram, start: int) -> str:
    """The calls the assistant made in one conversation, with what the user sent in between."""
    seen, lines = set(), []
    for call in fake.calls[start:]:
        if call["method"] == "getUpdates":
            for update in call["result"]:
                if update["update_id"] not in seen:
                    seen.add(update["update_id"])
                    if "message" in update:
                        lines.append(f"\n>>> user: {update['message'].get('text')}")
                    else:
                        lines.append(f"\n>>> user taps: {update['callback_query']['data']}")
            continue
        params = {key: shown_upload(value) for key, value in call["params"].items() if key != "chat_id"}
        lines.append(f"<<< {call['status']} {call['method']} {json.dumps(params, ensure_ascii=False)}")
    return "\n".join(lines).strip() + "\n"
