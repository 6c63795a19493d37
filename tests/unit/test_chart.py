"""The owner's maturity chart: a small, deterministic PNG that draws Chinese with the Chinese font."""
import io
import warnings

import pytest
from PIL import Image

from bot.report import chart as chart_module
from bot.report import fonts
from bot.report.chart import SIZE_PX, draw_chart
from bot.report.model import Chart, Series

EN = Chart(
    title="Your digital profile",
    dimensions=("Customers and sales", "Money and accounts", "Operations and stock", "Team and collaboration",
                "Data and decisions"),
    series=(Series("Today", (1, 2, 0, 1, 0)), Series("After the plan", (3, 3, 1, 2, 1))),
    language="en",
    caption="0 = not yet digital, 4 = data-driven",
)
ZH = Chart(
    title="您的数字化画像",
    dimensions=("客户与销售", "财务与账目", "运营与库存", "团队协作与沟通", "数据与决策"),
    series=(Series("第一次来时", (0, 1, 0, 1, 0)), Series("今天", (1, 2, 0, 1, 0)),
            Series("完成方案后", (3, 3, 1, 2, 1))),
    language="zh",
    caption="0 = 还没数字化，4 = 用数据做决定",
)


@pytest.fixture
def no_cjk_font(monkeypatch, tmp_path):
    """As on a machine without fonts-wqy-microhei."""
    monkeypatch.setattr(fonts, "CJK_FONT", fonts.FontFile(tmp_path / "absent.ttc"))
    fonts.cjk_font.cache_clear()
    yield
    fonts.cjk_font.cache_clear()


def _draw_noting_missing_glyphs(chart: Chart) -> tuple[bytes, list[str]]:
    """The PNG, and matplotlib's warnings about characters the font cannot draw (shown as boxes)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = draw_chart(chart)
    return png, [str(w.message) for w in caught if "missing from current font" in str(w.message)]


@pytest.mark.parametrize("chart", [EN, ZH], ids=["en", "zh"])
def test_the_chart_is_a_square_png_under_150_kb(chart):
    png = draw_chart(chart)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.size == (SIZE_PX, SIZE_PX) == (700, 700)
    assert len(png) <= 150 * 1024


def test_the_same_chart_gives_the_same_bytes_and_other_scores_other_bytes():
    assert draw_chart(EN) == draw_chart(EN)
    better = Chart(EN.title, EN.dimensions, (EN.series[0], Series("After the plan", (4, 4, 2, 3, 2))), "en",
                   EN.caption)
    assert draw_chart(better) != draw_chart(EN)


def test_the_png_carries_no_software_or_time_stamp():
    info = Image.open(io.BytesIO(draw_chart(EN))).info
    assert not {"Software", "Creation Time", "date:create"} & set(info)


def test_chinese_is_drawn_with_the_chinese_font_from_its_debian_package(monkeypatch):
    cjk = fonts.cjk_font()
    assert cjk is not None and cjk.path.is_file(), "apt-get install fonts-wqy-microhei (see .ci/run)"
    assert fonts.font_for("zh") == cjk
    used = []
    real = chart_module.FontProperties
    monkeypatch.setattr(chart_module, "FontProperties", lambda **kw: used.append(kw["fname"]) or real(**kw))
    draw_chart(ZH)
    assert used and set(used) == {str(cjk.path)}


def test_every_chinese_character_has_a_glyph():
    assert _draw_noting_missing_glyphs(ZH)[1] == []


def test_without_the_chinese_font_the_chart_still_draws_and_says_why(no_cjk_font, caplog):
    assert fonts.font_for("zh") == fonts.latin_font()
    png, missing = _draw_noting_missing_glyphs(ZH)
    assert missing  # boxes, which is why the font matters
    assert "fonts-wqy-microhei" in caplog.text
    assert Image.open(io.BytesIO(png)).size == (SIZE_PX, SIZE_PX)


@pytest.mark.parametrize(
    "name, language, wrapped",
    [
        ("Customers and sales", "en", "Customers\nand sales"),
        ("Team and collaboration", "en", "Team and\ncollaboration"),  # words are never cut
        ("Data", "en", "Data"),
        ("客户与销售", "zh", "客户与销售"),
        ("团队协作与沟通", "zh", "团队协作\n与沟通"),
        ("数字化营销与线上线下销售渠道", "zh", "数字化营销与线\n上线下销售渠道"),  # at most two lines
    ],
)
def test_dimension_names_wrap_on_at_most_two_balanced_lines(name, language, wrapped):
    assert chart_module._wrap(name, language) == wrapped
