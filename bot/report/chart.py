"""The owner's maturity chart: a radar over the chart's dimensions, one filled polygon per profile.

Drawn with matplotlib's Figure and Agg canvas, never pyplot: no global state, so requests may draw
in parallel threads, and no display is needed. The PNG is 700x700 px with large type so it reads on
a phone, quantised to a palette to stay well under 150 KB, and byte-identical for the same Chart.
"""
from __future__ import annotations

import io
import math
import textwrap

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from PIL import Image

from bot.report import fonts
from bot.report.model import MAX_SCORE, Chart

SIZE_PX = 700
DPI = 100
COLOURS = ("#E69F00", "#0072B2", "#009E73")  # Okabe-Ito: told apart with any colour vision
GRID = "#B0B0B0"
RING_LABEL_BOX = dict(boxstyle="round,pad=0.1", facecolor="white", edgecolor="none", alpha=0.8)  # over lines
MIN_FONT_SIZE = 11  # points; smaller is hard to read on a phone
PALETTE_COLOURS = 256  # smooth anti-aliased edges and exact series colours at a third of an RGB PNG


def draw_chart(chart: Chart) -> bytes:
    """The chart as PNG bytes, SIZE_PX square."""
    font = fonts.font_for(chart.language)

    def prop(size: float) -> FontProperties:
        return FontProperties(fname=str(font.path), size=size)

    fig = Figure(figsize=(SIZE_PX / DPI, SIZE_PX / DPI), dpi=DPI, facecolor="white")
    FigureCanvasAgg(fig)
    texts = [fig.text(0.5, 0.965, chart.title, ha="center", va="top", fontproperties=prop(24))]
    if chart.caption:
        texts.append(fig.text(0.5, 0.9, chart.caption, ha="center", va="top", color="#555555",
                              fontproperties=prop(14)))

    # Room around the web for the dimension names, above it for the title and below for the legend.
    ax = fig.add_axes((0.22, 0.17, 0.56, 0.56), projection="polar")
    angles = [2 * math.pi * i / len(chart.dimensions) for i in range(len(chart.dimensions))]
    ax.set_theta_offset(math.pi / 2)  # the first dimension at the top, then clockwise
    ax.set_theta_direction(-1)
    ax.set_ylim(0, MAX_SCORE)
    ax.set_xticks(angles)
    ax.set_xticklabels([])  # the names are placed by hand below, aligned away from the web
    ax.set_yticks(range(MAX_SCORE + 1))
    ax.set_yticklabels([str(n) for n in range(MAX_SCORE + 1)], color="#555555", fontproperties=prop(13),
                       zorder=5, bbox=RING_LABEL_BOX)
    ax.set_rlabel_position(180 / len(chart.dimensions))  # between the first two spokes
    ax.grid(color=GRID, linewidth=0.8)
    ax.spines["polar"].set_color(GRID)

    for angle, name in zip(angles, chart.dimensions):
        ha, va = _alignment(angle)
        texts.append(ax.text(angle, MAX_SCORE * 1.12, _wrap(name, chart.language), ha=ha, va=va,
                             multialignment="center", fontproperties=prop(17), clip_on=False))

    closed = angles + angles[:1]
    for colour, series in zip(COLOURS, chart.series):
        scores = list(series.scores) + [series.scores[0]]
        ax.fill(closed, scores, color=colour, alpha=0.25)
        ax.plot(closed, scores, color=colour, linewidth=3, marker="o", markersize=6, label=series.label)

    fig.legend(loc="lower center", ncol=len(chart.series), frameon=False, bbox_to_anchor=(0.5, 0.01),
               prop=prop(16), handlelength=1.5, columnspacing=1.5)
    _shrink_to_fit(fig, texts)
    return _to_png(fig)


def _wrap(name: str, language: str) -> str:
    """A dimension name on short, balanced lines ("Customers / and sales", not "Customers and /
    sales"). Chinese has no spaces and each character is twice as wide, hence the smaller limit."""
    lines = min(2, math.ceil(len(name) / (6 if language == "zh" else 12)))  # a third line hits the title
    width = max(1, math.ceil(len(name) / max(lines, 1)))
    split_words = language == "zh"  # a Chinese name is one "word" to textwrap; English words stay whole
    while len(textwrap.wrap(name, width, break_long_words=split_words)) > lines:  # long words: widen
        width += 1
    return "\n".join(textwrap.wrap(name, width, break_long_words=split_words))


def _shrink_to_fit(fig: Figure, texts: list) -> None:
    """Make any text that would be cut off at the image's edge smaller, down to a legible minimum."""
    renderer = fig.canvas.get_renderer()

    def inside(text) -> bool:
        box = text.get_window_extent(renderer)
        return box.x0 >= 0 and box.y0 >= 0 and box.x1 <= fig.bbox.width and box.y1 <= fig.bbox.height

    for text in texts:
        while not inside(text) and text.get_fontsize() > MIN_FONT_SIZE:
            text.set_fontsize(text.get_fontsize() - 1)


def _alignment(angle: float) -> tuple[str, str]:
    """Align a name away from the web so it never covers it: left of the web, right-aligned, etc.
    The angle is clockwise from the top, as the axes draw it."""
    x, y = math.sin(angle), math.cos(angle)
    ha = "center" if abs(x) < 0.3 else ("left" if x > 0 else "right")
    va = "bottom" if y > 0.7 else ("top" if y < -0.7 else "center")
    return ha, va


def _to_png(fig: Figure) -> bytes:
    """Render, then keep the PNG small and deterministic (Pillow writes no time or version)."""
    raw = io.BytesIO()
    fig.savefig(raw, format="png", dpi=DPI, metadata={"Software": None})
    image = Image.open(raw).convert("RGB").quantize(colors=PALETTE_COLOURS)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
