"""The report files behind signed links, drawn from a real store: the route that serves them, and the
Telegram output that uploads them (sendPhoto, sendDocument) to the fake Bot API."""
from __future__ import annotations

import io
import subprocess
import shutil

import httpx
import pytest
from PIL import Image
from sanic import Sanic
from telegram.ext import ExtBot

from bot.advice.data import advice_data
from bot.advice.plan_record import new_record
from bot.advice.progress import plan_after_checkin
from bot.channels.reports import ReportFilesInput
from bot.channels.telegram.output import TelegramOutput
from bot.report.files import ReportFiles
from bot.report.links import LinkSigner, ReportRef
from bot.storage import Store
from telegram_fake import FakeTelegram
from test_webchat_channel import serving

SIGNER = LinkSigner(b"r" * 32)
SALON = {"industry": "beauty_and_wellness", "head_count": {"low": 1, "high": 1}, "goal": "more_customers",
         "budget": {"kind": "amount", "amount": 100, "currency": "EUR", "period": "month", "upper_bound": False},
         "tools": ["paper", "social_media"]}
TOKEN, CHAT = "123456:TEST-token", 4242


@pytest.fixture(autouse=True)
def sanic_test_mode(monkeypatch):
    monkeypatch.setattr(Sanic, "test_mode", True)


@pytest.fixture
def store():
    store = Store("sqlite://")
    store.migrate()
    data = advice_data()
    _, first = new_record(data, SALON)
    first = first.stored_as(store.save_plan("owner", first.to_dict()))
    _, after = plan_after_checkin(data, first, {first.step_ids[0]: "done"})
    store.save_plan("owner", after.to_dict())
    store.save_plan("other", first.to_dict())
    yield store
    store.close()


@pytest.fixture
def files(store):
    return ReportFiles(SIGNER, lambda: store)


def url(sender="owner", version=1, language="en", file="chart.png", made=""):
    return SIGNER.url(ReportRef(sender, version, language, made), file, base="http://bot.test")


def link(store, sender="owner", version=1, language="en", file="chart.png"):
    """A valid link: signed for a plan version as stored, with the time it was made."""
    return url(sender, version, language, file, made=store.plan_version(sender, version)["created_at"])


async def test_each_version_has_its_own_chart_and_the_files_are_what_they_say(files, store):
    first, moved_on = await files.for_url(link(store, version=1)), await files.for_url(link(store, version=2))
    assert first[1] == "chart.png" and Image.open(io.BytesIO(first[0])).format == "PNG"
    assert first[0] != moved_on[0]  # step 1 done: the profile moved, and the first one is drawn beside it
    pdf, _ = await files.for_url(link(store, file="plan.pdf"))
    markdown, _ = await files.for_url(link(store, file="plan.md"))
    assert pdf.startswith(b"%PDF") and link(store, file="chart.png").split("bot.test")[1] in markdown.decode()
    chinese, _ = await files.for_url(link(store, language="zh", file="plan.md"))
    titles = [advice_data("zh").catalogue.get(i).title for i in store.plan_version("owner", 1)["step_ids"]]
    assert titles and all(title in chinese.decode() for title in titles)


@pytest.mark.parametrize("bad_link", [
    url(version=9),  # no such version
    url(sender="nobody"),  # no such conversation
    url(language="fr"),  # a language we do not speak
    url().replace("/chart.png", "/other.png"),
    "http://bot.test/report/not-a-token/chart.png",
    "https://example.com/plan.png",
])
async def test_anything_but_a_valid_link_to_a_stored_plan_gives_nothing(files, bad_link):
    assert await files.for_url(bad_link) is None


async def test_a_deleted_plans_links_stop_working_even_when_drawn_before(files, store):
    old = link(store, file="plan.md")
    assert await files.for_url(old) is not None
    store.delete_user("owner")
    assert await files.for_url(old) is None
    # the owner starts again: the new plan is version 1 again, and the old link still opens nothing
    _, bakery = new_record(advice_data(), {**SALON, "industry": "food_service"})
    store.save_plan("owner", bakery.to_dict())
    assert await files.for_url(old) is None
    assert b"food service" in (await files.for_url(link(store, file="plan.md")))[0]


@pytest.fixture
async def http(files):
    channel = ReportFilesInput(files)
    app = Sanic("report-test")
    app.blueprint(channel.blueprint(None), url_prefix=channel.url_prefix())
    async with serving(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bot.test") as client:
            yield client


async def test_the_route_serves_the_files_with_their_types(http, store):
    chart = await http.get(link(store))
    assert chart.status_code == 200 and chart.headers["content-type"] == "image/png"
    assert len(chart.content) <= 150_000 and chart.headers["x-content-type-options"] == "nosniff"
    pdf = await http.get(link(store, file="plan.pdf"))
    assert pdf.headers["content-type"] == "application/pdf" and "attachment" in pdf.headers["content-disposition"]


async def test_a_link_signed_for_another_conversation_gets_404(http, store):
    ours, theirs = link(store).split("/report/")[1].split("/")[0], link(store, sender="other").split("/report/")[1].split("/")[0]
    assert (await http.get(f"/report/{theirs}/chart.png")).status_code == 200
    swapped = f"{theirs.split('.')[0]}.{ours.split('.')[1]}"
    for token in (swapped, ours[:-2], ours + "x", "", "%00", "a" * 2000, ours[:-1] + "%C3%A9"):
        response = await http.get(f"/report/{token}/chart.png")
        assert response.status_code == 404 and "Traceback" not in response.text
    assert (await http.get(f"/report/{ours}/../../etc/passwd")).status_code == 404


async def test_a_database_failure_is_a_503_not_a_trace(files, http, monkeypatch, store):
    async def broken(ref):
        raise OSError("disk gone")

    monkeypatch.setattr(files, "_records", broken)
    response = await http.get(link(store))
    assert response.status_code == 503 and response.json() == {"error": "unavailable"}


# --- Telegram uploads them -------------------------------------------------------------------

@pytest.fixture
async def telegram(files):
    fake = FakeTelegram(TOKEN, max_wait=0.2).start()
    bot = ExtBot(TOKEN, base_url=fake.base_url)
    await bot.initialize()
    yield fake, TelegramOutput(bot, files)
    await bot.shutdown()
    fake.stop()


async def test_the_chart_is_uploaded_with_send_photo_and_its_caption(telegram, store):
    fake, output = telegram
    await output.send_response(f"tg-{CHAT}", {"text": "Your profile", "image": link(store)})
    (photo,) = fake.calls_to("sendPhoto", CHAT)
    assert Image.open(io.BytesIO(photo["params"]["photo"]["content"])).size == (700, 700)
    assert photo["params"]["caption"] == "Your profile" and fake.calls_to("sendMessage", CHAT) == []


async def test_the_plan_files_go_out_with_send_document(telegram, store):
    fake, output = telegram
    documents = [{"url": link(store, file="plan.pdf"), "name": "dx-advisor-plan.pdf"},
                 {"url": link(store, file="plan.md"), "name": "dx-advisor-plan.md"},
                 {"url": url(sender="nobody", file="plan.pdf"), "name": "gone.pdf"}]  # not sent, no crash
    await output.send_response(f"tg-{CHAT}", {"text": "Here is your plan", "custom": {"documents": documents}})
    sent = fake.calls_to("sendDocument", CHAT)
    assert [c["params"]["document"]["filename"] for c in sent] == ["dx-advisor-plan.pdf", "dx-advisor-plan.md"]
    assert sent[0]["params"]["document"]["content"].startswith(b"%PDF")
    assert sent[0]["params"]["caption"] == "Here is your plan" and "caption" not in sent[1]["params"]
    if shutil.which("pdftotext"):  # what the owner reads in the file: the plan's step titles
        text = subprocess.run(["pdftotext", "-", "-"], input=sent[0]["params"]["document"]["content"],
                              capture_output=True, check=True).stdout.decode()
        assert advice_data().catalogue.get("map_listing").title.split()[0] in text


async def test_when_no_plan_file_can_be_had_the_owner_is_told_not_left_in_silence(telegram):
    fake, output = telegram
    gone = [{"url": url(sender="nobody", file="plan.pdf"), "name": "plan.pdf"}]
    await output.send_response(f"tg-{CHAT}", {"text": "Here is your plan", "custom": {"documents": gone}})
    assert fake.calls_to("sendDocument", CHAT) == []
    (message,) = fake.sent(CHAT)
    assert message["text"].startswith("Here is your plan") and "try again" in message["text"]
