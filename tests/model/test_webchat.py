"""The website widget and its channel: a real browser (Debian's chromium) and raw HTTP checks.

Screenshots of the main states go to tests/artifacts/ (ignored by git).
"""
from __future__ import annotations

import http.server
import threading
from pathlib import Path

import pytest
import requests
import yaml

from bot.nlu.language import CHINESE, ENGLISH
from bot.paths import REPO_ROOT

pytestmark = pytest.mark.model

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = REPO_ROOT / "tests" / "artifacts"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
# The widget's own placeholder (its STRINGS table in widget.js).
PLACEHOLDER = {ENGLISH: "Type your message…", CHINESE: "请输入消息…"}
# The advice questions answered, as in test_telegram.py and test_advice_conversations.py.
HAIR_SALON = ["what should my hair salon do first?", "just me", "about 100 euros a month", "instagram and paper",
              "more customers", "yes"]
CHART = "[data-testid=message][data-sender=bot] img[data-testid=message-image]"


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (.ci/run does).")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()


def bot_texts(page):
    return page.locator("[data-testid=message][data-sender=bot]").all_inner_texts()


def open_chat(page, url):
    page.goto(url)
    page.get_by_test_id("launcher").click()
    page.locator("[data-testid=message][data-sender=bot]").first.wait_for(timeout=30_000)


def replies_to(page, act):
    """The bot messages that answer `act` (typing or pressing): one reply's messages arrive together."""
    before = page.locator("[data-testid=message][data-sender=bot]").count()
    act()
    page.locator("[data-testid=message][data-sender=bot]").nth(before).wait_for(timeout=30_000)
    return bot_texts(page)[before:]


def send(page, text):
    def type_it():
        page.get_by_test_id("input").fill(text)
        page.get_by_test_id("input").press("Enter")
    return replies_to(page, type_it)


def press(page, title):
    return replies_to(page, lambda: page.get_by_test_id("quick-reply").filter(has_text=title).last.click())


def placeholder(page):
    return page.get_by_test_id("input").get_attribute("placeholder")


def advice_reply(key, language):
    """A reply's text from data/advice/replies.yml (English `text`, Chinese `text_zh`)."""
    entry = yaml.safe_load((REPO_ROOT / "data" / "advice" / "replies.yml").read_text(encoding="utf-8"))[key]
    return entry["text_zh" if language == CHINESE else "text"]


def test_chat_through_greeting_question_button_reload_and_restart(assistant, page, responses):
    open_chat(page, f"{assistant.url}/webchat/")
    assert bot_texts(page)[0] in responses["utter_greet"]
    page.screenshot(path=ARTIFACTS / "01-greeting.png")

    send(page, "what is internet plus?")
    assert bot_texts(page)[-1].replace("\n", " ").startswith("Internet+ is a Chinese policy idea")
    press(page, "Tell me more")
    users = page.locator("[data-testid=message][data-sender=user]").all_inner_texts()
    assert users[-1] == "Tell me more"  # the button's title, not its payload
    assert "11 action areas" in bot_texts(page)[-1]
    page.screenshot(path=ARTIFACTS / "02-conversation.png")

    shown = page.locator("[data-testid=message]").all_inner_texts()
    page.reload()
    page.get_by_test_id("launcher").click()
    page.locator("[data-testid=message]").nth(len(shown) - 1).wait_for(timeout=30_000)
    assert page.locator("[data-testid=message]").all_inner_texts() == shown
    page.screenshot(path=ARTIFACTS / "03-after-reload.png")

    page.get_by_test_id("restart").click()
    page.wait_for_function("document.querySelector('#dx-advisor-widget').shadowRoot"
                           ".querySelectorAll('[data-testid=message]').length === 1", timeout=30_000)
    assert bot_texts(page)[0] in responses["utter_greet"]


def test_markup_in_a_message_is_shown_as_text_and_never_run(assistant, page):
    open_chat(page, f"{assistant.url}/webchat/")
    send(page, "<img src=x onerror=alert(1)>")
    users = page.locator("[data-testid=message][data-sender=user]")
    assert users.last.inner_text() == "<img src=x onerror=alert(1)>"
    assert users.last.locator("img").count() == 0
    page.wait_for_timeout(500)
    assert page.dialogs == []
    page.screenshot(path=ARTIFACTS / "04-markup-as-text.png")


def test_server_trouble_shows_a_notice_and_keeps_the_message_for_retry(assistant, page):
    open_chat(page, f"{assistant.url}/webchat/")
    page.route("**/webchat/message", lambda route: route.abort())
    page.get_by_test_id("input").fill("what is digital transformation")
    page.get_by_test_id("send").click()
    page.get_by_test_id("notice").wait_for(timeout=30_000)
    assert page.get_by_test_id("input").input_value() == "what is digital transformation"
    page.screenshot(path=ARTIFACTS / "07-server-down.png")
    page.unroute("**/webchat/message")
    before = page.locator("[data-testid=message][data-sender=bot]").count()
    page.get_by_test_id("retry").click()
    page.locator("[data-testid=message][data-sender=bot]").nth(before).wait_for(timeout=30_000)
    assert bot_texts(page)[-1].startswith("Digital transformation")


def test_usable_from_the_keyboard(assistant, page):
    page.goto(f"{assistant.url}/webchat/")
    for _ in range(3):  # the demo page's two language links come first, then the launcher
        page.keyboard.press("Tab")
    focused = "document.querySelector('#dx-advisor-widget').shadowRoot.activeElement?.dataset.testid"
    assert page.evaluate(focused) == "launcher"
    page.keyboard.press("Enter")
    page.locator("[data-testid=message][data-sender=bot]").first.wait_for(timeout=30_000)
    page.get_by_test_id("input").focus()
    page.keyboard.type("are you a bot?")
    page.keyboard.press("Enter")
    page.locator("[data-testid=message][data-sender=bot]").nth(1).wait_for(timeout=30_000)
    assert page.get_by_test_id("messages").get_attribute("aria-live") == "polite"
    page.keyboard.press("Escape")
    assert page.evaluate(focused) == "launcher"
    assert not page.get_by_test_id("panel").is_visible()


def test_phone_viewport(assistant, browser):
    context = browser.new_context(viewport={"width": 375, "height": 667}, is_mobile=True, has_touch=True)
    page = context.new_page()
    open_chat(page, f"{assistant.url}/webchat/")
    box = page.get_by_test_id("panel").bounding_box()
    assert box["width"] == pytest.approx(375, abs=1) and box["x"] == pytest.approx(0, abs=1)
    page.screenshot(path=ARTIFACTS / "05-phone.png")
    context.close()


def serve_page(directory: Path, html: str):
    """Serves `html` as index.html on another localhost port (another origin); yields its URL."""
    (directory / "index.html").write_text(html, encoding="utf-8")
    handler = lambda *a, **k: http.server.SimpleHTTPRequestHandler(*a, directory=str(directory), **k)  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://localhost:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture
def other_site(assistant, tmp_path):
    """A page on another localhost port that embeds the widget with the one-line script tag."""
    yield from serve_page(tmp_path, (
        "<!doctype html><title>Bakery</title><h1>A bakery's site</h1>"
        f'<script src="{assistant.url}/webchat/widget.js" data-server="{assistant.url}" '
        'data-title="Ask the bakery" data-accent="#b5523b" defer></script>'
    ))


@pytest.fixture
def chinese_site(assistant, tmp_path):
    """A Chinese firm's page (the browser itself is English) embedding the widget with data-lang="zh"."""
    yield from serve_page(tmp_path, (
        '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>面包店</title><h1>老王面包店</h1>'
        f'<script src="{assistant.url}/webchat/widget.js" data-server="{assistant.url}" data-lang="zh" defer></script>'
    ))


def test_one_line_embed_works_from_another_origin(other_site, page):
    open_chat(page, other_site)
    send(page, "how do internet+ and digital transformation differ?")
    assert len(bot_texts(page)) >= 2
    assert page.locator("h1").inner_text() == "A bakery's site"  # host page untouched
    page.screenshot(path=ARTIFACTS / "06-embedded-on-another-site.png")


def test_a_chinese_conversation_that_switches_to_english(chinese_site, page, zh_responses):
    sent = []  # what the widget posts: each message carries its language
    page.on("request", lambda r: sent.append(r.post_data_json) if r.url.endswith("/webchat/message") else None)
    open_chat(page, chinese_site)
    assert bot_texts(page)[0] in zh_responses["utter_greet"]
    assert placeholder(page) == PLACEHOLDER[CHINESE]

    assert send(page, "什么是数字化转型？")[0].startswith("数字化转型就是")

    assert advice_reply("ask_industry", CHINESE) in press(page, "给我的公司出出主意")
    assert send(page, "我们是开饭馆的，做家常菜")[-1] == advice_reply("ask_head_count", CHINESE)
    assert placeholder(page) == PLACEHOLDER[CHINESE]
    page.screenshot(path=ARTIFACTS / "08-chinese-conversation.png")

    switched = send(page, "can we carry on in english")
    assert switched[0] == advice_reply("language_switched", ENGLISH)
    assert switched[-1] == advice_reply("ask_head_count", ENGLISH)  # the same question, now in English
    assert placeholder(page) == PLACEHOLDER[ENGLISH]
    assert page.get_by_test_id("send").inner_text() == "Send"
    page.screenshot(path=ARTIFACTS / "09-switched-to-english.png")
    assert sent[0] == {"opened": True, "language": "zh"}
    assert [body["language"] for body in sent] == ["zh"] * 5  # the request to switch went while it was Chinese


def test_the_widget_starts_in_the_pages_language_else_the_browsers(assistant, browser):
    for locale, url, language in (("en-US", f"{assistant.url}/webchat/?lang=zh", CHINESE),  # the demo page's switch
                                  ("zh-CN", f"{assistant.url}/webchat/", CHINESE),
                                  ("zh-CN", f"{assistant.url}/webchat/?lang=en", ENGLISH),
                                  ("en-GB", f"{assistant.url}/webchat/", ENGLISH)):
        context = browser.new_context(locale=locale)
        page = context.new_page()
        page.goto(url)
        page.get_by_test_id("input").wait_for(state="attached")
        assert placeholder(page) == PLACEHOLDER[language], (locale, url)
        context.close()


# --- the channel over plain HTTP -------------------------------------------------------

def new_token(assistant):
    return requests.post(f"{assistant.url}/webchat/session", timeout=10).json()["token"]


def post_message(assistant, token, message, origin=None):
    headers = {"Authorization": f"Bearer {token}"}
    if origin:
        headers["Origin"] = origin
    return requests.post(f"{assistant.url}/webchat/message", json={"message": message}, headers=headers, timeout=60)


def test_wrong_or_missing_token_is_refused(assistant):
    assert post_message(assistant, "not-a-token", "hi").status_code == 401
    assert requests.get(f"{assistant.url}/webchat/history", timeout=10).status_code == 401
    forged = new_token(assistant)[:-3] + "abc"
    assert post_message(assistant, forged, "hi").status_code == 401


def test_foreign_origin_is_refused(assistant):
    token = new_token(assistant)
    reply = post_message(assistant, token, "hi", origin="https://evil.example")
    assert reply.status_code == 403
    assert requests.post(f"{assistant.url}/webchat/session", headers={"Origin": "https://evil.example"},
                         timeout=10).status_code == 403


def test_oversized_message_gets_a_friendly_error(assistant):
    reply = post_message(assistant, new_token(assistant), "x" * 2001)
    assert reply.status_code == 413 and "too long" in reply.json()["error"]


def test_rate_limit_answers_with_a_friendly_message(assistant):
    token = new_token(assistant)
    codes = [post_message(assistant, token, "👍").status_code for _ in range(21)]
    assert codes[:20] == [200] * 20 and codes[20] == 429
    assert "wait" in post_message(assistant, token, "hi").json()["error"]
    # another visitor is not affected
    assert post_message(assistant, new_token(assistant), "hi").status_code == 200


def test_one_visitor_cannot_read_another_visitors_history(assistant):
    alice, bob = new_token(assistant), new_token(assistant)
    post_message(assistant, alice, "what is digital transformation")
    bob_history = requests.get(f"{assistant.url}/webchat/history", headers={"Authorization": f"Bearer {bob}"},
                               timeout=10).json()["messages"]
    assert bob_history == []


def test_an_opened_empty_chat_asks_for_the_greeting_without_naming_an_intent(assistant, responses):
    token = new_token(assistant)
    headers = {"Authorization": f"Bearer {token}"}
    reply = requests.post(f"{assistant.url}/webchat/message", json={"opened": True}, headers=headers, timeout=60)
    assert reply.status_code == 200
    assert reply.json()["messages"][0]["text"] in responses["utter_greet"]
    for body in ({"opened": "yes"}, {"opened": True, "message": 3}, ["opened"]):
        refused = requests.post(f"{assistant.url}/webchat/message", json=body, headers=headers, timeout=60)
        assert refused.status_code == 400, body



def test_the_plan_comes_with_its_chart_and_as_files_to_download(assistant, page):
    open_chat(page, f"{assistant.url}/webchat/")
    for text in HAIR_SALON:
        plan = send(page, text)
    # the steps are a numbered list in the bubble (<ol>), so innerText has no "1." before "Now:"
    assert any("\nNow: " in m and "\nNext: " in m and "\nLater: " in m for m in plan), plan
    assert advice_reply("chart_caption", ENGLISH) in [m.strip() for m in plan], plan

    chart = page.locator(CHART)
    chart.wait_for(timeout=30_000)
    assert chart.count() == 1
    chart.scroll_into_view_if_needed()
    page.wait_for_function("document.querySelector('#dx-advisor-widget').shadowRoot"
                           ".querySelector('img[data-testid=message-image]').complete", timeout=30_000)
    assert chart.evaluate("img => img.naturalWidth") > 0  # loaded: the server drew it (700 px wide)
    assert chart.get_attribute("src").startswith(f"{assistant.url}/report/")
    assert chart.get_attribute("src").endswith("/chart.png")
    assert chart.is_visible()
    # the caption's bubble at the top of the messages, the chart under it
    caption = page.locator("[data-testid=message][data-sender=bot]").filter(
        has_text=advice_reply("chart_caption", ENGLISH)).last
    caption.evaluate("bubble => bubble.scrollIntoView({block: 'start'})")
    page.screenshot(path=ARTIFACTS / "10-plan-chart.png")

    kept = press(page, "Send me the plan")
    assert kept[0].startswith(advice_reply("plan_file_ready", ENGLISH)), kept
    links = page.locator("[data-testid=message][data-sender=bot] a[data-testid=download]")
    links.nth(1).wait_for(timeout=30_000)
    hrefs = [links.nth(n).get_attribute("href") for n in range(links.count())]
    assert len(hrefs) == 2 and hrefs[0].endswith("/plan.pdf") and hrefs[1].endswith("/plan.md"), hrefs
    pdf = requests.get(hrefs[0], timeout=60)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
