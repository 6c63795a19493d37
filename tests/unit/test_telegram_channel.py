"""The Telegram channel against the fake Bot API server, with a stand-in for Rasa (no model needed)."""
from __future__ import annotations

import asyncio
import time

import pytest
from telegram.ext import AIORateLimiter, ExtBot

from bot.channels.telegram.channel import TelegramInput
from bot.channels.telegram.language import EXPIRED, TEXT_ONLY, notice
from bot.channels.telegram.settings import TelegramSettings
from bot.channels.telegram.output import TelegramOutput
from bot.storage import Store
from bot.channels.telegram.formatting import MAX_TEXT, utf16_len
from bot.channels.telegram.updates import UpdateLog
from bot.nlu.language import CHINESE, ENGLISH
from telegram_fake import BOT_USER, FakeTelegram

TOKEN = "123456:TEST-token"
CHAT = 4242
BUTTONS = [{"title": "Tell me more", "payload": "/tell_me_more"}, {"title": "Advice", "payload": "/request_advice"}]


@pytest.fixture
def fake():
    fake = FakeTelegram(TOKEN, max_wait=0.2).start()
    yield fake
    fake.stop()


async def until(condition, timeout: float = 10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        await asyncio.sleep(0.05)
    raise AssertionError("timed out")


def in_memory() -> Store:
    store = Store("sqlite://")
    store.migrate()
    return store


class EchoRasa:
    """Stands in for Rasa: records each message (and its metadata) and answers "echo <text>" with two buttons."""

    def __init__(self) -> None:
        self.texts: list[tuple[str, str]] = []
        self.metadata: list[dict] = []

    async def __call__(self, message) -> None:
        self.texts.append((message.sender_id, message.text))
        self.metadata.append(message.metadata)
        await message.output_channel.send_text_with_buttons(message.sender_id, f"echo {message.text}", BUTTONS)


@pytest.fixture
async def channel(fake, tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'app.db'}")
    store.migrate()
    rasa = EchoRasa()
    channel = TelegramInput(TelegramSettings(TOKEN, base_url=fake.base_url), store_factory=lambda: store)
    channel.blueprint(rasa)
    channel._runner = asyncio.create_task(channel._run())
    await until(lambda: fake.calls_to("getUpdates"))
    yield channel, rasa, store
    await channel.stop()
    store.close()


# --- settings --------------------------------------------------------------------------------

def test_no_token_means_off_and_polling_is_the_default():
    assert TelegramSettings.from_env({}) is None
    assert TelegramSettings.from_env({"TELEGRAM_TOKEN": " 1:a "}) == TelegramSettings("1:a", "polling")


@pytest.mark.parametrize("env, problem", [
    ({"TELEGRAM_MODE": "push"}, "polling or webhook"),
    ({"TELEGRAM_MODE": "webhook", "TELEGRAM_WEBHOOK_SECRET": "s"}, "TELEGRAM_WEBHOOK_URL"),
    ({"TELEGRAM_MODE": "webhook", "TELEGRAM_WEBHOOK_URL": "https://x.example/webhooks/telegram/webhook"},
     "TELEGRAM_WEBHOOK_SECRET"),
    ({"TELEGRAM_MODE": "webhook", "TELEGRAM_WEBHOOK_URL": "https://x.example/w", "TELEGRAM_WEBHOOK_SECRET": "a b"},
     "TELEGRAM_WEBHOOK_SECRET"),
    ({"TELEGRAM_MODE": "webhook", "TELEGRAM_WEBHOOK_URL": "https://x.example/w",
      "TELEGRAM_WEBHOOK_SECRET": "x" * 257}, "TELEGRAM_WEBHOOK_SECRET"),
])
def test_webhook_mode_refuses_to_start_without_a_url_and_a_valid_secret(env, problem):
    with pytest.raises(ValueError, match=problem):
        TelegramSettings.from_env({"TELEGRAM_TOKEN": "1:a", **env})


def test_the_secret_is_checked():
    settings = TelegramSettings("1:a", "webhook", "https://x.example/w", "Secret_1-2")
    channel = TelegramInput(settings)
    assert channel._secret_ok("Secret_1-2")
    assert not channel._secret_ok(None) and not channel._secret_ok("") and not channel._secret_ok("secret_1-2")
    assert not channel._secret_ok("Secret_1-2é")
    assert not TelegramInput(TelegramSettings("1:a"))._secret_ok("")  # polling: the webhook is closed


# --- sending ---------------------------------------------------------------------------------

@pytest.fixture
async def output(fake):
    bot = ExtBot(TOKEN, base_url=fake.base_url, rate_limiter=AIORateLimiter(max_retries=5))
    await bot.initialize()
    yield TelegramOutput(bot)
    await bot.shutdown()


async def test_a_long_reply_is_split_with_the_buttons_under_the_last_part(fake, output):
    text = "\n\n".join(f"*Step {n}*: " + "do this & that " * 60 for n in range(12))
    await output.send_text_with_buttons(f"tg-{CHAT}", text, BUTTONS)
    sent = fake.sent(CHAT)
    assert len(sent) > 1 and all(utf16_len(m["text"]) <= MAX_TEXT for m in sent)
    assert all(m["parse_mode"] == "HTML" and m["text"].startswith("<b>Step") for m in sent)
    assert [("reply_markup" in m) for m in sent] == [False] * (len(sent) - 1) + [True]
    assert sent[-1]["reply_markup"] == {"inline_keyboard": [
        [{"text": "Tell me more", "callback_data": "/tell_me_more"}],
        [{"text": "Advice", "callback_data": "/request_advice"}]]}


async def test_a_payload_over_64_bytes_is_left_out(fake, output):
    await output.send_text_with_buttons(f"tg-{CHAT}", "Pick one", [{"title": "Long", "payload": "/x" * 40}])
    assert "reply_markup" not in fake.sent(CHAT)[0]


async def test_images_go_out_with_send_photo_and_their_text_as_the_caption(fake, output):
    await output.send_response(f"tg-{CHAT}", {"text": "Here *it* is", "image": "https://example.com/plan.png"})
    (photo,) = fake.calls_to("sendPhoto", CHAT)
    assert photo["params"]["photo"] == "https://example.com/plan.png"
    assert (photo["params"]["caption"], photo["params"]["parse_mode"]) == ("Here <b>it</b> is", "HTML")
    assert fake.calls_to("sendMessage", CHAT) == []


async def test_an_image_with_buttons_sends_the_text_and_buttons_then_the_photo(fake, output):
    await output.send_response(f"tg-{CHAT}", {"text": "Here", "image": "https://example.com/a.png", "buttons": BUTTONS})
    assert fake.sent(CHAT)[0]["text"] == "Here" and "reply_markup" in fake.sent(CHAT)[0]
    assert "caption" not in fake.calls_to("sendPhoto", CHAT)[0]["params"]


async def test_a_429_is_waited_out_and_resent(fake, output):
    fake.fail_next("sendMessage", 2)
    started = time.monotonic()
    await output.send_text_message(f"tg-{CHAT}", "Still here")
    assert time.monotonic() - started >= 2
    calls = fake.calls_to("sendMessage", CHAT, ok_only=False)
    assert [c["status"] for c in calls] == [429, 429, 200] and fake.sent(CHAT)[0]["text"] == "Still here"


async def test_a_failed_send_is_logged_not_raised(fake, output, caplog):
    fake.fail_next("sendMessage", 10)
    output.bot._rate_limiter._max_retries = 0  # 429 for longer than the rate limiter waits
    await output.send_text_message(f"tg-{CHAT}", "lost")
    assert "failed" in caplog.text


# --- receiving -------------------------------------------------------------------------------

async def test_commands_are_registered_and_polling_deletes_a_webhook(fake, channel):
    commands = fake.calls_to("setMyCommands")[0]["params"]["commands"]
    assert [c["command"] for c in commands] == ["start", "help", "restart", "plan", "delete", "lang"]
    methods = [c["method"] for c in fake.calls]
    assert methods.index("deleteWebhook") < methods.index("getUpdates")


async def test_the_command_menu_is_registered_in_english_and_in_chinese(fake, channel):
    default, chinese = (call["params"] for call in fake.calls_to("setMyCommands"))
    assert "language_code" not in default and chinese["language_code"] == "zh"
    assert {c["command"]: c["description"] for c in default["commands"]} == {
        "start": "Say hello and see what I can do", "help": "What I can help with",
        "restart": "Start the conversation afresh", "plan": "Show my plan", "delete": "Delete my data",
        "lang": "Switch language (English / 中文)"}
    assert {c["command"]: c["description"] for c in chinese["commands"]} == {
        "start": "打个招呼，看看我能做什么", "help": "我能帮您做什么", "restart": "重新开始对话", "plan": "查看我的方案",
        "delete": "删除我的数据", "lang": "切换语言 (English / 中文)"}


async def test_a_refused_menu_does_not_stop_the_channel(fake, caplog):
    fake.refuse_next("setMyCommands", 2)
    channel = TelegramInput(TelegramSettings(TOKEN, base_url=fake.base_url), store_factory=in_memory)
    channel.blueprint(EchoRasa())
    channel._runner = asyncio.create_task(channel._run())
    await until(lambda: channel.ready)
    await channel.stop()
    assert "could not register the commands (en)" in caplog.text
    assert "could not register the commands (zh)" in caplog.text


async def test_text_and_commands_reach_rasa(fake, channel):
    _, rasa, _ = channel
    texts = ("/start", "/start advice", "what is internet plus?", "/plan", "/delete", "/restart", "/help", "/lang")
    for text in texts:
        fake.queue(fake.text_update(CHAT, text))
    await until(lambda: len(rasa.texts) == len(texts))
    assert [t for _, t in rasa.texts] == ["/greet", "/request_advice", "what is internet plus?", "/show_plan",
                                          "/delete_my_data", "/start_over", "/greet", "/switch_language"]
    assert {sender for sender, _ in rasa.texts} == {f"tg-{CHAT}"}
    await until(lambda: len(fake.sent(CHAT)) == len(texts))
    assert fake.sent(CHAT)[2]["text"] == "echo what is internet plus?"


async def test_an_update_another_server_took_is_not_handled_here(fake, channel):
    _, rasa, store = channel
    taken = fake.text_update(CHAT, "taken by the other replica")
    store.claim_update(TOKEN.split(":")[0], taken["update_id"])  # the shared database: another server has it
    fake.queue(taken)
    fake.queue(fake.text_update(CHAT, "ours"))
    await until(lambda: rasa.texts)
    await asyncio.sleep(0.3)
    assert [t for _, t in rasa.texts] == ["ours"]


async def test_every_message_carries_the_users_language_code(fake, channel):
    _, rasa, _ = channel
    fake.queue(fake.text_update(CHAT, "/start", language_code="zh-hans"))
    await until(lambda: fake.sent(CHAT))
    fake.queue(fake.press_update(CHAT, fake.last_message_id(CHAT), "/tell_me_more", language_code="zh-hans"))
    fake.queue(fake.text_update(CHAT + 1, "hello"))
    fake.queue(fake.text_update(CHAT + 2, "hello", language_code=None))  # Telegram does not always say
    await until(lambda: len(rasa.texts) == 4)
    by_sender = {(sender, text): metadata for (sender, text), metadata in zip(rasa.texts, rasa.metadata)}
    assert by_sender[(f"tg-{CHAT}", "/greet")] == {"language": "zh-hans"}
    assert by_sender[(f"tg-{CHAT}", "/tell_me_more")] == {"language": "zh-hans"}
    assert by_sender[(f"tg-{CHAT + 1}", "hello")] == {"language": "en"}
    assert by_sender[(f"tg-{CHAT + 2}", "hello")] == {}


async def test_an_oversized_message_is_not_parsed(fake, channel):
    _, rasa, _ = channel
    fake.queue(fake.text_update(CHAT, "word " * 1000))
    await until(lambda: rasa.texts)
    assert rasa.texts[0][1].startswith("/nlu_fallback")


async def test_a_chinese_users_oversized_message_reaches_rasa_as_too_long_in_chinese(fake, channel):
    """Rasa answers a too_long message with utter_input_too_long in the language it was written in: the
    payload carries it (bot.nlu.input_screen), and the metadata the language_code for a new conversation."""
    _, rasa, _ = channel
    fake.queue(fake.text_update(CHAT, "我们是一家小餐馆，" * 300, language_code="zh-hans"))
    await until(lambda: rasa.texts)
    assert rasa.texts[0][1] == '/nlu_fallback{"input_problem": "too_long", "language": "zh"}'
    assert rasa.metadata[0] == {"language": "zh-hans"}


@pytest.mark.parametrize("language_code, language", [("en", ENGLISH), ("zh-hans", CHINESE), (None, ENGLISH)])
async def test_a_sticker_gets_the_text_only_reply_without_rasa(fake, channel, language_code, language):
    _, rasa, _ = channel
    fake.queue(fake.sticker_update(CHAT, language_code=language_code))
    await until(lambda: fake.sent(CHAT))
    assert fake.sent(CHAT)[0]["text"] == notice(TEXT_ONLY, language) and rasa.texts == []


async def test_a_button_works_once(fake, channel):
    _, rasa, _ = channel
    fake.queue(fake.text_update(CHAT, "hello"))
    await until(lambda: fake.sent(CHAT))
    message_id = fake.last_message_id(CHAT)
    original = fake.message(CHAT, message_id)
    fake.queue(fake.press_update(CHAT, message_id, "/tell_me_more"))
    await until(lambda: len(fake.sent(CHAT)) == 2)
    assert rasa.texts[-1] == (f"tg-{CHAT}", "/tell_me_more")
    assert fake.calls_to("answerCallbackQuery")[0]["params"] == {"callback_query_id": "cq1"}
    edit = fake.calls_to("editMessageReplyMarkup")[0]["params"]
    assert edit == {"chat_id": CHAT, "message_id": message_id}  # no reply_markup: the keyboard goes
    # A second tap that raced the edit, and a tap on the message as it is now (no keyboard):
    fake.queue(fake.press_update(CHAT, message_id, "/request_advice", message=original))
    fake.queue(fake.press_update(CHAT, message_id, "/request_advice"))
    await until(lambda: len(fake.calls_to("answerCallbackQuery")) == 3)
    await asyncio.sleep(0.3)
    expired = notice(EXPIRED, ENGLISH)
    assert [c["params"].get("text") for c in fake.calls_to("answerCallbackQuery")] == [None, expired, expired]
    assert len(fake.sent(CHAT)) == 2 and len(rasa.texts) == 2


async def test_a_button_on_a_message_too_old_to_see_has_expired(fake, channel):
    _, rasa, _ = channel
    gone = {"chat": {"id": CHAT, "type": "private"}, "message_id": 1, "date": 0}
    fake.queue(fake.press_update(CHAT, 1, "/tell_me_more", message=gone))
    await until(lambda: fake.calls_to("answerCallbackQuery"))
    assert fake.calls_to("answerCallbackQuery")[0]["params"]["text"] == notice(EXPIRED, ENGLISH) and rasa.texts == []


@pytest.mark.parametrize("data, language_code, language", [
    ("/tell_me_more", "zh-hans", CHINESE),  # an intent payload says nothing: the app's language decides
    ("什么是互联网+？", "en", CHINESE),  # a button that sends Chinese words is Chinese, whatever the app
    ("What is Internet+?", "zh-CN", ENGLISH),
])
async def test_an_expired_button_is_answered_in_the_users_language(fake, channel, data, language_code, language):
    _, rasa, _ = channel
    gone = {"chat": {"id": CHAT, "type": "private"}, "message_id": 1, "date": 0}
    fake.queue(fake.press_update(CHAT, 1, data, message=gone, language_code=language_code))
    await until(lambda: fake.calls_to("answerCallbackQuery"))
    assert fake.calls_to("answerCallbackQuery")[0]["params"]["text"] == notice(EXPIRED, language) and rasa.texts == []


async def test_in_a_group_only_mentions_and_replies_count(fake, channel):
    _, rasa, _ = channel
    group = -1001
    fake.queue(fake.text_update(group, "hello everyone", chat_type="supergroup"))
    fake.queue(fake.sticker_update(group, chat_type="supergroup"))
    fake.queue(fake.text_update(group, "@dx_advisor_test_bot what is internet plus?", chat_type="supergroup"))
    bot_message = {"message_id": 7, "date": 1, "chat": {"id": group, "type": "supergroup"}, "from": BOT_USER,
                   "text": "echo"}
    fake.queue(fake.text_update(group, "and the cost?", chat_type="supergroup", reply_to=bot_message))
    await until(lambda: len(rasa.texts) == 2)
    await asyncio.sleep(0.3)
    assert [t for _, t in rasa.texts] == ["what is internet plus?", "and the cost?"]


async def test_each_update_is_handled_once_even_after_a_restart(fake, channel, tmp_path):
    channel_, rasa, store = channel
    update = fake.queue(fake.text_update(CHAT, "hello"))
    await until(lambda: rasa.texts)
    assert not channel_.receive(_update(update, channel_))
    await channel_.stop()
    saved = UpdateLog.from_json(store.load_state(f"telegram:{BOT_USER['id']}:updates"))
    assert saved.last == update["update_id"]
    # A new process with the same database resumes after the last update handled.
    again = TelegramInput(TelegramSettings(TOKEN, base_url=fake.base_url), store_factory=lambda: store)
    again.blueprint(EchoRasa())
    again._runner = asyncio.create_task(again._run())
    await until(lambda: len(fake.calls_to("getUpdates")) > 0 and again.ready)
    await until(lambda: fake.calls_to("getUpdates")[-1]["params"].get("offset") == update["update_id"] + 1)
    assert not again.receive(_update(update, again))
    await again.stop()


def _update(data, channel):
    from telegram import Update

    return Update.de_json(data, channel.bot)



async def test_a_wrong_token_turns_the_channel_off_without_crashing(fake, caplog):
    channel = TelegramInput(TelegramSettings("999:WRONG", base_url=fake.base_url), store_factory=in_memory)
    channel.blueprint(EchoRasa())
    await asyncio.wait_for(channel._run(), timeout=10)  # returns instead of raising
    assert "Telegram refused TELEGRAM_TOKEN" in caplog.text and not channel.ready
    await channel.stop()


async def test_an_unreachable_telegram_is_retried_until_stopped(caplog):
    channel = TelegramInput(TelegramSettings(TOKEN, base_url="http://127.0.0.1:9/bot"), store_factory=in_memory)
    channel.blueprint(EchoRasa())
    channel._runner = asyncio.create_task(channel._run())
    await until(lambda: "retrying in 1s" in caplog.text)
    await channel.stop()
    assert channel._runner.done() and not channel.ready


async def test_a_webhook_url_telegram_refuses_turns_the_channel_off(fake, caplog):
    settings = TelegramSettings(TOKEN, "webhook", "http://not-https.example/w", "secret", fake.base_url)
    channel = TelegramInput(settings, store_factory=in_memory)
    channel.blueprint(EchoRasa())
    await asyncio.wait_for(channel._run(), timeout=10)
    assert "an https url must be provided" in caplog.text.lower() and not channel.ready
    await channel.stop()


def test_bad_webhook_settings_turn_telegram_off_without_stopping_the_server(monkeypatch, caplog):
    from bot.channels.telegram.channel import TelegramInput

    monkeypatch.setenv("TELEGRAM_TOKEN", "123:ABC")
    monkeypatch.setenv("TELEGRAM_MODE", "webhook")
    monkeypatch.delenv("TELEGRAM_WEBHOOK_SECRET", raising=False)
    channel = TelegramInput.from_credentials({})
    assert channel.settings is None
    assert "TELEGRAM_WEBHOOK_URL" in caplog.text
