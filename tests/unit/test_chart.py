"""The owner's maturity chart: horizontal bars that read on a phone, in a small, deterministic PNG that
draws Chinese with the Chinese font."""
import io
import warnings

import pytest
from matplotlib.colors import to_rgba
from PIL import Image

from bot.report import chart as chart_module
from bot.report import fonts
from bot.report.chart import COLOURS, SIZE_PX, draw_chart
from bot.report.model import Chart, Series

EN = Chart(
    title="Your digital profile",
    dimensions=("Customers and sales", "Operations", "Money and admin", "Data and decisions",
                "Security and resilience"),
    series=(Series("Today", (1, 0, 0, 0, 0)), Series("After this plan", (4, 0, 1, 0, 0))),
    language="en",
    caption="0 = none, 1-2 = everyday tools, 3-4 = a business system",
)
ZH = Chart(
    title="您的数字化画像",
    dimensions=("客户与销售", "日常运营", "财务与行政", "数据与决策", "安全与韧性"),
    series=(Series("刚开始时", (1, 1, 0, 0, 0)), Series("现在", (2, 1, 1, 0, 0)),
            Series("完成方案后", (4, 3, 1, 1, 0))),
    language="zh",
    caption="0分=还没有，1-2分=日常工具，3-4分=用上业务系统",
)
LONG = Chart(  # longer than any real text
    title="Your digital profile, before and after the three-step plan",
    dimensions=("Customers and sales", "Team and collaboration", "Internationalisation", "D", "E"),
    series=(Series("When you first came to us", (0, 1, 0, 1, 0)),
            Series("Today, after two months", (1, 2, 0, 1, 0)), Series("After the whole plan", (4, 4, 1, 2, 4))),
    language="en",
    caption="0 = not yet digital, 1-2 = everyday tools like spreadsheets and chat apps, 3-4 = a business system",
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


def _drawn(chart: Chart):
    """The drawn figure's bar axes, its bars and score labels (series by series), and its names."""
    fig = chart_module._figure(chart)
    fig.canvas.draw()
    ax = fig.axes[0]
    scores = [t for t in ax.texts if t.get_text().isdigit()]
    names = [t for t in ax.texts if not t.get_text().isdigit()]
    return fig, ax, ax.patches, scores, names


@pytest.mark.parametrize("chart", [EN, ZH], ids=["en", "zh"])
def test_the_chart_is_a_square_png_under_150_kb(chart):
    png = draw_chart(chart)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.size == (SIZE_PX, SIZE_PX) == (700, 700)
    assert len(png) <= 150 * 1024


def test_the_same_chart_gives_the_same_bytes_and_other_scores_other_bytes():
    assert draw_chart(EN) == draw_chart(EN)
    better = Chart(EN.title, EN.dimensions, (EN.series[0], Series("After this plan", (4, 1, 2, 1, 1))), "en",
                   EN.caption)
    assert draw_chart(better) != draw_chart(EN)


def test_the_png_carries_no_software_or_time_stamp():
    info = Image.open(io.BytesIO(draw_chart(EN))).info
    assert not {"Software", "Creation Time", "date:create"} & set(info)


@pytest.mark.parametrize("chart", [EN, ZH], ids=["en", "zh"])
def test_each_score_is_a_bar_in_its_series_colour_labelled_with_its_number(chart):
    fig, ax, bars, scores, _ = _drawn(chart)
    expected = [(colour, score) for colour, series in zip(COLOURS, chart.series) for score in series.scores]
    assert [(bar.get_facecolor(), bar.get_width()) for bar in bars] == [(to_rgba(c), s) for c, s in expected]
    assert [label.get_text() for label in scores] == [str(score) for _, score in expected]
    for bar, label in zip(bars, scores):  # at the bar's end, or at the axis for a 0: no bar, but a "0"
        assert label.xy == pytest.approx((bar.get_width(), bar.get_y() + bar.get_height() / 2))
        assert 0 < label.get_window_extent().x0 - ax.transData.transform(label.xy)[0] < 15


@pytest.mark.parametrize("chart", [EN, ZH], ids=["en", "zh"])
def test_the_first_dimension_is_at_the_top_named_left_of_its_bars_in_series_order(chart):
    fig, ax, bars, _, names = _drawn(chart)
    rows, per_series = len(chart.dimensions), len(chart.series)
    heights = [ax.transData.transform((0, bars[s * rows + row].get_y()))[1]  # by row, then by series
               for row in range(rows) for s in range(per_series)]
    assert heights == sorted(heights, reverse=True) and len(set(heights)) == len(heights)
    assert [n.get_text().replace("\n", " " if chart.language == "en" else "") for n in names] == \
        list(chart.dimensions)
    name_heights = [n.get_window_extent().y0 for n in names]
    assert name_heights == sorted(name_heights, reverse=True)
    assert all(n.get_window_extent().x1 < ax.get_window_extent().x0 for n in names)


@pytest.mark.parametrize("chart", [EN, ZH], ids=["en", "zh"])
def test_every_text_stays_legible_when_the_picture_is_shown_300_px_wide(chart):
    fig, ax, _, scores, names = _drawn(chart)
    texts = fig.texts + fig.legends[0].get_texts() + ax.get_xticklabels() + scores + names
    px_at_300 = {t.get_text(): t.get_fontsize() * 100 / 72 * 300 / SIZE_PX for t in texts}
    assert min(px_at_300.values()) >= 10, px_at_300
    assert fig.texts[0].get_fontsize() >= 30  # the title: about 19 px


@pytest.mark.parametrize("chart", [EN, ZH, LONG], ids=["en", "zh", "long"])
def test_nothing_is_cut_off_and_long_texts_take_two_lines(chart):
    fig, ax, _, scores, names = _drawn(chart)
    for artist in fig.texts + [fig.legends[0]] + ax.get_xticklabels() + scores + names:
        box = artist.get_window_extent()
        assert box.x0 >= 0 and box.y0 >= 0 and box.x1 <= SIZE_PX and box.y1 <= SIZE_PX, artist
    assert all(n.get_text().count("\n") <= 1 for n in names)
    if chart is EN:
        assert fig.texts[1].get_text() == "0 = none, 1-2 = everyday tools,\n3-4 = a business system"
        assert [n.get_text() for n in names][::2] == ["Customers\nand sales", "Money and\nadmin",
                                                      "Security and\nresilience"]
    if chart is LONG:  # the legend stays on one row, its labels on two lines
        assert [t.get_text() for t in fig.legends[0].get_texts()][0] == "When you first\ncame to us"


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
