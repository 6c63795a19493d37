"""The plan to take away: a one-page PDF whose every character renders, and the same as Markdown."""
import dataclasses
import os
import re
import shutil
import subprocess

import markdown
import pytest

from bot.report import fonts
from bot.report.chart import draw_chart
from bot.report.document import to_markdown, to_pdf
from bot.report.model import Chart, DimensionRow, PlanReport, ReportStep, Series

TODAY, AFTER = (1, 2, 0, 1, 0), (3, 3, 1, 2, 1)
EN_DIMENSIONS = ("Customers and sales", "Money and accounts", "Operations and stock",
                 "Team and collaboration", "Data and decisions")
ZH_DIMENSIONS = ("客户与销售", "财务与账目", "运营与库存", "团队协作与沟通", "数据与决策")
EN_LABELS = dict(
    title="Your digital plan", firm="Your firm", level="Digital level", profile="Your digital profile",
    dimension="Area", today="Today", after="After the plan", steps="Three steps", cost="Cost", why="Why",
    first_action="First action",
    footer="Prices are approximate (rates of 1 May 2025). Made by dx-advisor; check offers before you sign.")
ZH_LABELS = dict(
    title="您的数字化方案", firm="您的企业", level="数字化水平", profile="您的数字化画像", dimension="方面",
    today="今天", after="完成方案后", steps="三个步骤", cost="费用", why="为什么", first_action="第一步行动",
    footer="价格为估算（2025年5月1日汇率）。本方案由开源助手 dx-advisor 生成；签约前请核实报价。")

EN_STEPS = (
    ReportStep(1, "Cloud bookkeeping and e-invoices", "Now", "up to $26/month (about €24 or ¥190)",
               "You track money in a spreadsheet and want fewer hours on paperwork; cloud bookkeeping links your "
               "bank feed, sends invoices from your phone and keeps receipts in one place, so month-end takes an "
               "evening instead of a weekend.",
               "This week, export last month's sales from the spreadsheet and open a free trial; import the bank "
               "statement and invoice one real customer."),
    ReportStep(2, "QR-code and online payments", "Next", "about $0 a month plus 1.5-2.9% per payment",
               "Customers increasingly pay by phone, and card and QR payments land in the bookkeeping tool "
               "automatically, which removes the end-of-day cash count and the typing errors that come with it.",
               "Ask your bank which payment provider it partners with, compare the per-payment fees, and print a "
               "QR code for the counter."),
    ReportStep(3, "Free listing on maps and review sites", "Later", "free; optional ads from $5/day",
               "Most new customers look you up on a map before they visit; a complete listing with photos, opening "
               "hours and replies to reviews brings walk-ins at no cost and tells you what people value.",
               "Claim your business on the two biggest map apps, add ten photos and the opening hours, and reply "
               "politely to the three latest reviews."),
)
ZH_STEPS = (
    ReportStep(1, "云记账和数电发票", "现在", "每月最多¥190（约$26）",
               "您现在用Excel表格记账，又希望少花时间在做账上；云记账（如金蝶精斗云）可以连接银行流水、用手机开具"
               "数电发票，票据集中保存，月底结账从一个周末缩短到一个晚上。",
               "本周：把上个月的销售记录从表格导出，开通免费试用，导入银行对账单，并给一位真实客户开一张发票。"),
    ReportStep(2, "扫码收款和线上收款", "下一步", "月费¥0，每笔手续费0.38%–0.6%",
               "越来越多的顾客用手机付款；微信支付和支付宝的收款会自动进入记账软件，省掉每天晚上数现金的时间，"
               "也避免手工录入出错。",
               "问一下开户银行合作的收款服务商，比较每笔手续费，然后在柜台贴上收款码。"),
    ReportStep(3, "免费上地图和点评平台", "以后", "免费；推广费每天¥30起（可选）",
               "大多数新顾客到店前会先在地图上搜索；在高德、百度地图和美团/大众点评上完善门店信息、照片和营业时间，"
               "并回复评价，不花钱就能带来客流，也能知道顾客看重什么。",
               "认领您在两个最大地图应用上的门店，上传十张照片和营业时间，礼貌回复最近三条评价。"),
)


def _report(language: str) -> PlanReport:
    en = language == "en"
    dimensions = EN_DIMENSIONS if en else ZH_DIMENSIONS
    series = (Series("Today" if en else "今天", TODAY), Series("After the plan" if en else "完成方案后", AFTER))
    chart = Chart("Your digital profile" if en else "您的数字化画像", dimensions, series, language)
    return PlanReport(
        language=language,
        labels=EN_LABELS if en else ZH_LABELS,
        firm=("Sunrise Bakery: a bakery & café with 8 staff, about $150/month, using *Excel*, [WhatsApp] and "
              "paper_notes" if en else "朝阳面包房：面包店兼咖啡馆，8名员工，每月预算约¥1000，目前用*Excel*、[微信]和纸质_笔记"),
        level=("L1 Starting out: paper, spreadsheets and chat apps; no business system yet" if en
               else "一级（起步：纸质、表格和聊天工具，还没有业务系统）"),
        made_on="Made on 3 May 2025" if en else "制定于2025年5月3日",
        dimensions=tuple(DimensionRow(*row) for row in zip(dimensions, TODAY, AFTER)),
        steps=EN_STEPS if en else ZH_STEPS,
        chart_png=draw_chart(chart),
    )


REPORTS = {language: _report(language) for language in ("en", "zh")}


def _longer(report: PlanReport) -> PlanReport:
    """Every step's reasons and first action three times as long: still one page, smaller."""
    steps = tuple(dataclasses.replace(step, why=" ".join([step.why] * 3),
                                      first_action=" ".join([step.first_action] * 3)) for step in report.steps)
    return dataclasses.replace(report, steps=steps)


def _pdftotext(pdf: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        if os.environ.get("CI"):
            pytest.fail("pdftotext is missing: .ci/run installs poppler-utils")
        pytest.skip("pdftotext is missing (apt-get install poppler-utils)")
    path = tmp_path / "plan.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def _squeezed(text: str) -> str:
    """Without white space, so that a text the PDF wrapped onto two lines still matches."""
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("make", [lambda r: r, _longer], ids=["typical", "long"])
def test_the_pdf_is_one_page_and_shows_every_text(language, make, tmp_path, caplog):
    report = make(REPORTS[language])
    pdf = to_pdf(report)
    text = _pdftotext(pdf, tmp_path)
    assert pdf.startswith(b"%PDF-")
    assert text.count("\f") == 1  # pdftotext ends each page with a form feed
    assert "\ufffd" not in text
    assert "missing the following glyphs" not in caplog.text  # fpdf2's warning: a box instead of a character
    squeezed = _squeezed(text)
    expected = [report.labels["title"], report.firm, report.level, report.made_on, report.labels["footer"],
                *(row.name for row in report.dimensions)]
    for step in report.steps:
        expected += [step.title, step.when, step.cost, step.first_action]
    for phrase in expected:
        assert _squeezed(phrase) in squeezed, phrase
    assert b"/Subtype /Image" in pdf  # the chart
    assert not re.search(r"^[，。、；：？！）]", text, re.MULTILINE)  # Chinese lines never start with "，" or "。"


def test_an_english_plan_shows_the_owners_chinese_words_with_the_fallback_font(tmp_path, caplog):
    report = dataclasses.replace(REPORTS["en"], firm="Lucky Noodles (幸运面馆), 5 staff, uses 微信 and paper")
    text = _pdftotext(to_pdf(report), tmp_path)
    assert _squeezed(report.firm) in _squeezed(text)
    assert "missing the following glyphs" not in caplog.text


def test_the_firm_and_level_lines_need_no_label(tmp_path):
    labels = {k: v for k, v in EN_LABELS.items() if k not in ("firm", "level")}
    report = dataclasses.replace(REPORTS["en"], labels=labels)
    assert _squeezed(report.level) in _squeezed(_pdftotext(to_pdf(report), tmp_path))
    assert "\nL1 Starting out" in to_markdown(report)


def test_without_the_chinese_font_a_chinese_pdf_is_still_made(monkeypatch, tmp_path, caplog):
    monkeypatch.setattr(fonts, "CJK_FONT", fonts.FontFile(tmp_path / "absent.ttc"))
    fonts.cjk_font.cache_clear()
    try:
        text = _pdftotext(to_pdf(REPORTS["zh"]), tmp_path)
    finally:
        fonts.cjk_font.cache_clear()
    assert text.count("\f") == 1 and "dx-advisor" in text
    assert "fonts-wqy-microhei" in caplog.text


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_markdown_has_every_title_and_the_chart_link(language):
    report = REPORTS[language]
    text = to_markdown(report, chart_name="plan-chart.png")
    assert "](plan-chart.png)" in text and text.count("![") == 1
    for step in report.steps:
        assert f"### {step.number}. {step.title}" in text
        assert step.first_action.replace("_", "\\_") in text
    assert all(row.name in text for row in report.dimensions)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_owners_words_are_escaped_in_the_markdown(language):
    text = to_markdown(REPORTS[language])
    assert "\\*Excel\\*" in text and "\\_" in text
    assert "\\[WhatsApp\\]" in text if language == "en" else "\\[微信\\]" in text
    html = markdown.markdown(text, extensions=["tables"])
    assert "*Excel*" in html and "<em>Excel</em>" not in html  # shown as typed, not as emphasis
    assert "<a " not in html and html.count("<img ") == 1
    assert "<strong>" in html  # the labels' own bold still works


def test_markdown_metacharacters_and_line_breaks_cannot_change_the_layout():
    firm = "A | B <script> &amp; ~~gone~~\n# not a heading `code`"
    text = to_markdown(dataclasses.replace(REPORTS["en"], firm=firm))
    html = markdown.markdown(text, extensions=["tables"])
    assert "<script>" not in html and "<h1>not a heading" not in html and "<code>" not in html
    line = next(line for line in text.splitlines() if line.startswith("**Your firm**"))
    assert "# not a heading" in line.replace("\\#", "#")  # the line break became a space
