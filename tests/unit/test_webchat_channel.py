"""The widget's channel over HTTP, with a stand-in for Rasa (no model): the widget's language reaches
the message's metadata, and the channel's own errors come in the visitor's language.

The widget script itself is checked here only as text (its strings table); the browser test
(tests/model/test_webchat.py) drives it.
"""
from __future__ import annotations

import asyncio
import contextlib
import re

import httpx
import pytest
from sanic import Sanic

from bot.channels.webchat.channel import (BAD_JSON, ERRORS, EXPIRED, ORIGIN_REFUSED, STATIC, TOO_FAST, TOO_LONG,
                                          WebchatInput, error_text)
from bot.channels.webchat.sessions import SessionTokens
from bot.nlu.input_screen import MAX_MESSAGE_CHARS
from bot.nlu.language import CHINESE, ENGLISH

KEY = b"k" * 32
WIDGET = STATIC / "widget.js"


class EchoRasa:
    """Stands in for Rasa: records each message and answers "echo <text>"."""

    def __init__(self) -> None:
        self.messages = []

    async def __call__(self, message) -> None:
        self.messages.append(message)
        await message.output_channel.send_text_message(message.sender_id, f"echo {message.text}")


@pytest.fixture(autouse=True)
def sanic_test_mode(monkeypatch):
    """Sanic's switch for tests (sanic-testing sets it): several apps, one after another, in one process."""
    monkeypatch.setattr(Sanic, "test_mode", True)


@contextlib.asynccontextmanager
async def serving(app: Sanic):
    """What an ASGI server does around the requests: the lifespan start-up (Sanic finalises its routes
    there) and shut-down."""
    inbox, outbox = asyncio.Queue(), asyncio.Queue()
    lifespan = asyncio.create_task(app({"type": "lifespan", "asgi": {"version": "3.0"}}, inbox.get, outbox.put))
    await inbox.put({"type": "lifespan.startup"})
    assert (await asyncio.wait_for(outbox.get(), 30))["type"] == "lifespan.startup.complete"
    try:
        yield
    finally:
        await inbox.put({"type": "lifespan.shutdown"})
        await asyncio.wait_for(outbox.get(), 30)
        lifespan.cancel()  # Sanic 21.12 goes on to treat the finished lifespan as a request, and fails


class Widget:
    """Talks to the channel as the widget does: a session token, then messages with a language."""

    def __init__(self, http: httpx.AsyncClient, rasa: EchoRasa) -> None:
        self.http, self.rasa, self.token = http, rasa, None

    async def start(self) -> "Widget":
        self.token = (await self.http.post("/webchat/session")).json()["token"]
        return self

    async def post(self, body=None, content=None, headers=None) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token}", **(headers or {})}
        return await self.http.post("/webchat/message", json=body, content=content, headers=headers)


@contextlib.asynccontextmanager
async def connected(channel: WebchatInput):
    """The channel in a Sanic app, as Rasa registers it, and a widget with a session."""
    rasa = EchoRasa()
    app = Sanic("webchat-test")
    app.blueprint(channel.blueprint(rasa), url_prefix=channel.url_prefix())
    async with serving(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bot.test") as http:
            yield await Widget(http, rasa).start()


@pytest.fixture
async def widget():
    async with connected(WebchatInput([], tokens=SessionTokens(KEY))) as widget:
        yield widget


# --- the language reaches Rasa ---------------------------------------------------------------

@pytest.mark.parametrize("tag", ["zh", "zh-CN", "zh-Hans-CN", "en", "en_US"])
async def test_the_widgets_language_goes_with_the_message_as_metadata(widget, tag):
    reply = await widget.post({"message": "你好", "language": tag})
    assert reply.status_code == 200 and reply.json()["messages"] == [{"text": "echo 你好"}]
    assert widget.rasa.messages[-1].metadata == {"language": tag}


async def test_an_opened_chat_asks_for_the_greeting_in_the_widgets_language(widget):
    assert (await widget.post({"opened": True, "language": "zh"})).status_code == 200
    message = widget.rasa.messages[-1]
    assert message.text == "/greet" and message.metadata == {"language": "zh"}


@pytest.mark.parametrize("bad", [42, True, "", "z", "zh CN", "zh-CN;q=0.9", "<script>", "zh" + "-abcdefgh" * 5,
                                 ["zh"], {"code": "zh"}, None])
async def test_a_bad_language_value_is_ignored_and_the_message_still_goes_through(widget, bad):
    reply = await widget.post({"message": "hello", "language": bad})
    assert reply.status_code == 200
    assert widget.rasa.messages[-1].metadata is None


async def test_without_a_language_there_is_no_metadata(widget):
    await widget.post({"message": "hello"})
    assert widget.rasa.messages[-1].metadata is None


# --- the channel's own errors, in the visitor's language ------------------------------------------

def test_every_error_has_english_and_chinese():
    for error in ERRORS:
        assert error_text(error, ENGLISH) != error_text(error, CHINESE), error
        assert re.search(r"[\u4e00-\u9fff]", error_text(error, CHINESE)), error
        assert not re.search(r"[\u4e00-\u9fff]", error_text(error, ENGLISH)), error
    assert error_text(TOO_LONG, ENGLISH) == (f"That message is too long for me (over {MAX_MESSAGE_CHARS:,} characters). "
                                             "Could you shorten it?")
    assert error_text(TOO_LONG, CHINESE) == f"这条消息太长了（超过{MAX_MESSAGE_CHARS}个字），能再精简一点吗？"
    assert error_text(BAD_JSON, ENGLISH) == 'Send JSON like {"message": "hello"}.'  # literal braces in the data


async def test_bad_json_is_refused_in_the_language_the_widget_sends(widget):
    english = await widget.post(content=b"not json", headers={"Content-Type": "application/json"})
    chinese = await widget.post({"language": "zh-CN", "opened": "yes"})
    assert (english.status_code, english.json()["error"]) == (400, error_text(BAD_JSON, ENGLISH))
    assert (chinese.status_code, chinese.json()["error"]) == (400, error_text(BAD_JSON, CHINESE))


async def test_a_message_too_long_is_refused_in_the_language_it_is_written_in(widget):
    chinese = await widget.post({"message": "我们是一家小饭馆" * 300, "language": "en"})
    english = await widget.post({"message": "we run a small cafe " * 120, "language": "zh"})
    assert (chinese.status_code, chinese.json()["error"]) == (413, error_text(TOO_LONG, CHINESE))
    assert (english.status_code, english.json()["error"]) == (413, error_text(TOO_LONG, ENGLISH))
    assert str(MAX_MESSAGE_CHARS) in error_text(TOO_LONG, CHINESE)


async def test_a_body_too_big_to_read_is_refused_in_the_accept_language(widget):
    reply = await widget.post(content=b"x" * 20_000, headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"})
    assert (reply.status_code, reply.json()["error"]) == (413, error_text(TOO_LONG, CHINESE))


async def test_too_fast_in_chinese_for_a_chinese_request():
    async with connected(WebchatInput([], messages_per_minute=1, tokens=SessionTokens(KEY))) as widget:
        assert (await widget.post({"message": "你好", "language": "zh"})).status_code == 200
        reply = await widget.post({"message": "在吗", "language": "zh"})
        assert (reply.status_code, reply.json()["error"]) == (429, error_text(TOO_FAST, CHINESE))
        reply = await widget.post({"message": "hello?", "language": "zh"})  # written in English: answered so
        assert reply.json()["error"] == error_text(TOO_FAST, ENGLISH)


async def test_an_expired_session_is_told_in_the_accept_language(widget):
    widget.token = "expired.1.sig"
    chinese = await widget.http.get("/webchat/history", headers={"Authorization": f"Bearer {widget.token}",
                                                                 "Accept-Language": "zh"})
    english = await widget.post({"message": "5"})
    assert (chinese.status_code, chinese.json()["error"]) == (401, error_text(EXPIRED, CHINESE))
    assert (english.status_code, english.json()["error"]) == (401, error_text(EXPIRED, ENGLISH))


async def test_a_refused_origin_is_told_in_the_accept_language(widget):
    reply = await widget.http.post("/webchat/session", headers={"Origin": "https://evil.example",
                                                                "Accept-Language": "zh-TW"})
    assert (reply.status_code, reply.json()["error"]) == (403, error_text(ORIGIN_REFUSED, CHINESE))


# --- the widget's own strings ---------------------------------------------------------------------

STRINGS_TABLE = re.compile(r"var STRINGS = \{\n(.*?)\n  \};", re.S)
ENTRY = re.compile(r"^    (\w+): \{\s*en: (['\"])(.*?)\2,\s*zh: (['\"])(.*?)\4\s*\}", re.S | re.M)


def unescape(js: str) -> str:
    return re.sub(r"\\u([0-9a-f]{4})", lambda m: chr(int(m[1], 16)), js)


def widget_strings() -> dict[str, tuple[str, str]]:
    table = STRINGS_TABLE.search(WIDGET.read_text(encoding="ascii")).group(1)
    entries = {m[1]: (unescape(m[3]), unescape(m[5])) for m in ENTRY.finditer(table)}
    assert len(entries) == len(re.findall(r"^    \w+: \{", table, re.M)), "an entry without both languages"
    return entries


def test_the_widget_stays_plain_ascii():
    WIDGET.read_text(encoding="ascii")  # whatever charset the host page declares


def test_every_widget_string_is_in_english_and_chinese():
    strings = widget_strings()
    assert strings["placeholder"] == ("Type your message…", "请输入消息…")
    for key, (english, chinese) in strings.items():
        assert english and chinese and chinese != english, key
    used = set(re.findall(r"\bt\('(\w+)'\)", WIDGET.read_text()))
    assert used and used <= set(strings)


# --- a message's text, picture and files stay together ---------------------------------------

class ChartRasa(EchoRasa):
    """Answers as a plan does: a caption with its chart, then a text with the plan's files."""

    async def __call__(self, message) -> None:
        self.messages.append(message)
        out = message.output_channel
        await out.send_response(message.sender_id, {"text": "Your profile", "image": "https://bot.test/report/t/chart.png"})
        await out.send_response(message.sender_id, {"text": "Your plan", "custom": {"documents": [
            {"url": "https://bot.test/report/t/plan.pdf", "name": "plan.pdf", "type": "application/pdf"}]}})


async def test_a_caption_and_its_chart_and_a_text_and_its_files_come_as_one_message_each():
    channel = WebchatInput([], tokens=SessionTokens(KEY))
    app = Sanic("webchat-chart-test")
    app.blueprint(channel.blueprint(ChartRasa()), url_prefix=channel.url_prefix())
    async with serving(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bot.test") as http:
            widget = await Widget(http, ChartRasa()).start()
            reply = await widget.post({"message": "show my plan"})
    assert reply.json()["messages"] == [
        {"text": "Your profile", "image": "https://bot.test/report/t/chart.png"},
        {"text": "Your plan", "documents": [{"url": "https://bot.test/report/t/plan.pdf", "name": "plan.pdf"}]}]


async def test_history_with_the_database_down_is_a_503_in_the_visitors_language_not_a_trace():
    from types import SimpleNamespace

    class DownStore:
        async def retrieve_full_tracker(self, sender_id):
            raise ConnectionError("database gone")

    channel = WebchatInput([], tokens=SessionTokens(KEY))
    app = Sanic("webchat-history-test")
    app.ctx.agent = SimpleNamespace(tracker_store=DownStore())
    app.blueprint(channel.blueprint(EchoRasa()), url_prefix=channel.url_prefix())
    async with serving(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bot.test") as http:
            widget = await Widget(http, EchoRasa()).start()
            reply = await http.get("/webchat/history", headers={"Authorization": f"Bearer {widget.token}",
                                                                 "Accept-Language": "zh-CN"})
    assert reply.status_code == 503 and "再试" in reply.json()["error"]
    assert "Traceback" not in reply.text
