"""The owner's maturity chart: a horizontal grouped bar chart, one row per dimension and one bar per profile.

Bars, not a radar: most small firms score 0 in most dimensions, which a radar draws as a spike or a
line, while here every score is a bar labelled with its number and a 0 shows as "0" at the axis.
The first dimension is at the top; within a row the profiles keep their order and colours.

Drawn with matplotlib's Figure and Agg canvas, never pyplot: no global state, so requests may draw
in parallel threads, and no display is needed. The PNG is 700x700 px (square: the PDF places it as
one, and Telegram shows it whole) with very large type, because the website widget shows it about
290 px wide: the names and numbers are still about 10 px tall there. It is quantised to a palette to
stay well under 150 KB, and byte-identical for the same Chart.
"""
from __future__ import annotations

import io
import math
import textwrap

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Rectangle
from PIL import Image

from bot.report import fonts
from bot.report.model import MAX_SCORE, Chart

SIZE_PX = 700
DPI = 100
COLOURS = ("#E69F00", "#0072B2", "#009E73")  # Okabe-Ito: told apart with any colour vision
GRID = "#C8C8C8"
GREY = "#555555"
INK = "#222222"
# Type sizes in points (1 pt = 100/72 px here); the image is shown down to 300 px wide, 0.43 times.
TITLE_SIZE, CAPTION_SIZE, NAME_SIZE, SCORE_SIZE, TICK_SIZE, LEGEND_SIZE = 32, 20, 22, 22, 18, 21
TICK_PAD = 6  # points between the axis and its numbers
MIN_FONT_SIZE = 14  # points; smaller is hard to read on a phone
MARGIN = 14  # px around the picture
PALETTE_COLOURS = 256  # smooth anti-aliased edges and exact series colours at a third of an RGB PNG


def draw_chart(chart: Chart) -> bytes:
    """The chart as PNG bytes, SIZE_PX square."""
    return _to_png(_figure(chart))


def _figure(chart: Chart) -> Figure:
    """The laid-out figure: the title and caption at the top, the legend at the bottom, the bars in
    between with the dimensions' names to their left. Positions are in pixels from the bottom left."""
    font = fonts.font_for(chart.language)

    def prop(size: float) -> FontProperties:
        return FontProperties(fname=str(font.path), size=size)

    fig = Figure(figsize=(SIZE_PX / DPI, SIZE_PX / DPI), dpi=DPI, facecolor="white")
    FigureCanvasAgg(fig)
    top = _header(fig, chart, prop) - 24  # room above the first row
    series = chart.series[:len(COLOURS)]
    bottom = _legend(fig, [s.label for s in series], prop) + 12 + (TICK_PAD + 1.2 * TICK_SIZE) * DPI / 72
    _bars(fig, chart, prop, top, bottom)
    return fig


def _header(fig: Figure, chart: Chart, prop) -> float:
    """The title and, under it, the caption, on two lines if one is too wide; where they end."""
    renderer = fig.canvas.get_renderer()
    title = fig.text(0.5, 1 - MARGIN / SIZE_PX, chart.title, ha="center", va="top", color=INK,
                     fontproperties=prop(TITLE_SIZE))
    _shrink_to_fit(fig, [title])
    top = title.get_window_extent(renderer).y0
    if chart.caption:
        caption = fig.text(0.5, (top - 6) / SIZE_PX, chart.caption, ha="center", va="top", color=GREY,
                           multialignment="center", fontproperties=prop(CAPTION_SIZE))
        if caption.get_window_extent(renderer).width > SIZE_PX - 2 * MARGIN:
            caption.set_text(_split_in_two(chart.caption))
        _shrink_to_fit(fig, [caption])
        top = caption.get_window_extent(renderer).y0
    return top


def _legend(fig: Figure, labels: list[str], prop) -> float:
    """One row of coloured squares and labels at the bottom, the labels on two lines each if one is
    too wide even at the smallest size; where it ends."""
    handles = [Rectangle((0, 0), 1, 1, color=colour) for colour in COLOURS[:len(labels)]]
    for texts in (labels, [_split_in_two(label) for label in labels]):
        legend = fig.legend(handles, texts, loc="lower center", ncol=max(len(labels), 1), frameon=False,
                            bbox_to_anchor=(0.5, MARGIN / 2 / SIZE_PX), prop=prop(LEGEND_SIZE),
                            handlelength=0.8, handleheight=0.8, handletextpad=0.4, columnspacing=1.0,
                            borderaxespad=0)
        if _shrink_to_fit(fig, legend.get_texts(), measure=legend) or texts is not labels:
            return legend.get_window_extent(fig.canvas.get_renderer()).y1
        legend.remove()


def _bars(fig: Figure, chart: Chart, prop, top: float, bottom: float) -> None:
    """The rows between `top` and `bottom`: the names to the left, a bar and its score per series."""
    renderer = fig.canvas.get_renderer()
    ax = fig.add_axes((0.3, bottom / SIZE_PX, 0.6, (top - bottom) / SIZE_PX))  # the sides are set below
    rows = len(chart.dimensions)
    ax.set_ylim(rows - 0.5, -0.5)  # the first dimension at the top
    ax.set_xlim(0, MAX_SCORE * 1.002)  # the last grid line drawn whole
    ax.set_yticks([])
    ax.set_xticks(range(MAX_SCORE + 1))
    ax.set_xticklabels([str(n) for n in range(MAX_SCORE + 1)], color=GREY, fontproperties=prop(TICK_SIZE))
    ax.tick_params(axis="x", length=0, pad=TICK_PAD)
    ax.grid(axis="x", color=GRID, linewidth=1)
    ax.set_axisbelow(True)
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    ax.spines["left"].set_color(GREY)
    ax.spines["left"].set_linewidth(1.5)

    series = chart.series[:len(COLOURS)]
    band = min(0.88, 0.32 * len(series))  # the share of a row the bars take: 1 or 2 bars are not too fat
    pitch = band / max(len(series), 1)
    scores = []
    for i, (colour, profile) in enumerate(zip(COLOURS, series)):
        ys = [row - band / 2 + pitch * (i + 0.5) for row in range(rows)]
        ax.barh(ys, profile.scores, height=pitch * 0.9, color=colour)  # a 0 draws nothing
        scores += [ax.annotate(str(score), (score, y), xytext=(6, 0), textcoords="offset points", ha="left",
                               va="center", color=INK, fontproperties=prop(SCORE_SIZE), annotation_clip=False)
                   for y, score in zip(ys, profile.scores)]
    names = [ax.annotate(_wrap(name, chart.language), (0, row), xycoords=("axes fraction", "data"),
                         xytext=(-12, 0), textcoords="offset points", ha="right", va="center",
                         multialignment="right", color=INK, fontproperties=prop(NAME_SIZE), annotation_clip=False)
             for row, name in enumerate(chart.dimensions)]

    # The widest name decides where the bars start, the widest score where they end.
    left = MARGIN + 12 * DPI / 72 + max((n.get_window_extent(renderer).width for n in names), default=0)
    left = min(left, 0.45 * SIZE_PX)  # a longer name is made smaller instead
    right = SIZE_PX - MARGIN - 10 - max((s.get_window_extent(renderer).width for s in scores), default=0)
    ax.set_position((left / SIZE_PX, bottom / SIZE_PX, (right - left) / SIZE_PX, (top - bottom) / SIZE_PX))
    _shrink_to_fit(fig, names)


def _wrap(name: str, language: str) -> str:
    """A dimension name on at most two short, balanced lines ("Customers / and sales", not
    "Customers and / sales"). Chinese has no spaces and each character is twice as wide, hence the
    smaller limit."""
    lines = min(2, math.ceil(len(name) / (6 if language == "zh" else 12)))
    width = max(1, math.ceil(len(name) / max(lines, 1)))
    split_words = language == "zh"  # a Chinese name is one "word" to textwrap; English words stay whole
    while len(textwrap.wrap(name, width, break_long_words=split_words)) > lines:  # long words: widen
        width += 1
    return "\n".join(textwrap.wrap(name, width, break_long_words=split_words))


def _split_in_two(text: str) -> str:
    """A text too wide for the picture on two balanced lines, broken after punctuation or at a space
    if that is nearly as balanced ("0 = none, 1-2 = everyday tools, / 3-4 = a business system"),
    between any two Chinese characters else. A Chinese character counts twice, as it is drawn."""
    widths = [2 if ord(c) > 0x2E7F else 1 for c in text]

    def badness(cut: int) -> float:
        longer = max(sum(widths[:cut]), sum(widths[cut:]))
        return longer - (3 if text[cut - 1] in ",;，；、" else 0)  # punctuation is the better break

    cuts = [i for i in range(1, len(text)) if text[i - 1] in " ,;，；、" or (widths[i - 1] == widths[i] == 2)]
    if not cuts:
        return text
    cut = min(cuts, key=badness)
    return text[:cut].rstrip() + "\n" + text[cut:].lstrip()


def _shrink_to_fit(fig: Figure, texts: list, measure=None) -> bool:
    """Make texts that would be cut off at the image's edge smaller, down to a legible minimum;
    `measure`, when given, is what must fit (a legend, whose texts shrink together). Whether all fit."""
    renderer = fig.canvas.get_renderer()

    def inside(artist) -> bool:
        box = artist.get_window_extent(renderer)
        return box.x0 >= 0 and box.y0 >= 0 and box.x1 <= fig.bbox.width and box.y1 <= fig.bbox.height

    groups = [(text, [text]) for text in texts] if measure is None else [(measure, texts)]
    for artist, shrinking in groups:
        while not inside(artist) and min(t.get_fontsize() for t in shrinking) > MIN_FONT_SIZE:
            for text in shrinking:
                text.set_fontsize(text.get_fontsize() - 1)
    return all(inside(artist) for artist, _ in groups)


def _to_png(fig: Figure) -> bytes:
    """Render, then keep the PNG small and deterministic (Pillow writes no time or version)."""
    raw = io.BytesIO()
    fig.savefig(raw, format="png", dpi=DPI, metadata={"Software": None})
    image = Image.open(raw).convert("RGB").quantize(colors=PALETTE_COLOURS)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
