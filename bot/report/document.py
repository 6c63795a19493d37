"""The plan to take away: one A4 page as PDF, and the same content as Markdown.

The PDF uses fpdf2: pure Python (no system library such as Cairo or a browser), kept up to date,
embeds TrueType fonts as Unicode subsets (a Chinese page stays small), reads a font collection's
face, places a PNG from bytes, wraps text, and falls back to a second font for characters the first
lacks. The page always stays one: if the content overflows, it is laid out again smaller.
"""
from __future__ import annotations

import io
import re

from fpdf import FPDF
from fpdf.fonts import FontFace

from bot.report import fonts
from bot.report.model import PlanReport, ReportStep

MARGIN = 15  # mm, on A4's 210 x 297
SCALES = (1.0, 0.92, 0.85, 0.78, 0.72, 0.66, 0.6)  # tried in turn until the page holds everything
ACCENT = (0, 114, 178)  # the chart's blue
GREY = (90, 90, 90)


def to_pdf(report: PlanReport) -> bytes:
    """The report as a one-page A4 PDF, its type and chart smaller when the texts are long."""
    for scale in SCALES:
        page = _Page(report.language, scale)
        page.lay_out(report)
        if page.pdf.pages_count == 1:
            break
    return bytes(page.pdf.output())  # at the smallest scale a second page beats losing text


class _Page:
    """One attempt at laying the report out, every size multiplied by `scale`."""

    def __init__(self, language: str, scale: float):
        self.language, self.scale = language, scale
        self.wrap = "CHAR" if language == "zh" else "WORD"  # Chinese has no spaces to break at
        self.pdf = FPDF(format="A4")
        self.pdf.set_margins(MARGIN, MARGIN, MARGIN)
        self.pdf.add_page()
        # The language's font, and the other one for any character it lacks (a Chinese word in English).
        main, other = fonts.font_for(language), fonts.font_for("en" if language == "zh" else "zh")
        self.pdf.add_font("main", fname=main.path, collection_font_number=main.index)
        if other != main:  # the same file when the Chinese font is missing
            self.pdf.add_font("other", fname=other.path, collection_font_number=other.index)
            self.pdf.set_fallback_fonts(["other"])
        self.pdf.set_font("main")

    def lay_out(self, report: PlanReport) -> None:
        pdf, labels, scale = self.pdf, report.labels, self.scale
        pdf.set_title(labels["title"])
        pdf.set_lang("zh-CN" if self.language == "zh" else "en")  # for screen readers and search
        footer_height = self.text(labels["footer"], 8, dry_run=True)
        pdf.set_auto_page_break(True, margin=MARGIN + footer_height)  # a new page means it did not fit

        self.text(labels["title"], 20, color=ACCENT)
        self.text(self.labelled(labels.get("firm"), report.firm), 10.5)  # these two labels are optional
        self.text(self.labelled(labels.get("level"), report.level), 10.5)
        self.text(report.made_on, 9, color=GREY)

        self.heading(labels["profile"])
        top, chart_side = pdf.get_y(), 80 * scale
        pdf.image(io.BytesIO(report.chart_png), x=pdf.w - MARGIN - chart_side, y=top, w=chart_side)
        pdf.set_font(size=10 * scale)
        heading_style = FontFace(emphasis="", color=ACCENT)  # no bold: the fonts have no bold face
        with pdf.table(width=pdf.epw - chart_side - 6, align="LEFT", col_widths=(2.8, 1, 1.5),
                       line_height=5.5 * scale, text_align=("LEFT", "CENTER", "CENTER"), wrapmode=self.wrap,
                       borders_layout="HORIZONTAL_LINES", headings_style=heading_style) as table:
            table.row((labels["dimension"], labels["today"], labels["after"]))
            for row in report.dimensions:
                table.row((row.name, str(row.today), str(row.after)))
        pdf.set_y(max(pdf.get_y(), top + chart_side))

        self.heading(labels["steps"])
        for step in report.steps:
            self.text(f"{step.number}. {step.title}{_bracketed(step.when, self.language)}", 12, color=ACCENT)
            pdf.set_left_margin(MARGIN + 6)  # the step's details sit under its title
            for key, value in _details(step):
                self.text(self.labelled(labels[key], value), 10)
            pdf.set_left_margin(MARGIN)
            pdf.ln(2 * scale)

        pdf.set_auto_page_break(False)
        pdf.set_y(pdf.h - MARGIN - footer_height)
        self.text(labels["footer"], 8, color=GREY)

    def text(self, text: str, points: float, color=(0, 0, 0), dry_run: bool = False) -> float:
        """A wrapped paragraph from the left margin; returns its height in mm."""
        pdf = self.pdf
        pdf.set_font(size=points * self.scale)
        pdf.set_text_color(*color)
        if self.language == "zh":  # multi_cell's width, less a hair so that fpdf2 breaks no line again
            width = pdf.w - pdf.r_margin - pdf.l_margin - 2 * pdf.c_margin - 0.1
            text = "\n".join(line for part in text.split("\n") for line in _chinese_lines(pdf, part, width))
        height = pdf.multi_cell(0, points * self.scale * 0.5, text, align="L", new_x="LMARGIN",
                                new_y="NEXT", wrapmode=self.wrap, dry_run=dry_run, output="HEIGHT")
        pdf.set_text_color(0, 0, 0)
        return height

    def heading(self, text: str) -> None:
        self.pdf.ln(4 * self.scale)
        self.text(text, 13, color=ACCENT)
        self.pdf.ln(self.scale)

    def labelled(self, label: str | None, value: str) -> str:
        return f"{label}{_colon(self.language)}{value}" if label else value


# Chinese line breaking: between any two characters, but a line never starts with closing punctuation
# nor ends with opening punctuation (fpdf2 has no such rule, and "。" alone at a line's start looks broken).
_NO_LINE_START = frozenset("，。、；：？！）》」』】”’…%·")
_NO_LINE_END = frozenset("（《「『【“‘¥$")


def _chinese_lines(pdf: FPDF, text: str, width: float) -> list[str]:
    lines, line, used = [], "", 0.0
    for char in text:
        char_width = pdf.get_string_width(char)  # no kerning without text shaping: widths add up
        if not line or used + char_width <= width:
            line, used = line + char, used + char_width
            continue
        if len(line) > 1 and (char in _NO_LINE_START or line[-1] in _NO_LINE_END):
            lines.append(line[:-1])  # the last character moves down with this one
            line = line[-1] + char
        else:
            lines.append(line)
            line = char
        used = pdf.get_string_width(line)
    return [*lines, line]


def _details(step: ReportStep) -> tuple[tuple[str, str], ...]:  # (label key, text) under a step's title
    return ("cost", step.cost), ("why", step.why), ("first_action", step.first_action)


def _colon(language: str) -> str:
    return "：" if language == "zh" else ": "  # Chinese punctuation is full-width and needs no space


def _bracketed(text: str, language: str) -> str:
    return f"（{text}）" if language == "zh" else f" ({text})"


# ------------------------------------------------------------------------------ Markdown

# Markup that can start anywhere in a line ("- " or "1. " only start one, and no text here does).
# Backslash escapes that every flavour (CommonMark, GitHub, Python-Markdown) reads, else HTML entities;
# "&" only where it would start an entity, so "Bakery & Café" stays readable in the file.
_BACKSLASHED = frozenset("\\`*_[]#")
_ENTITIES = {"<": "&lt;", "|": "&#124;", "~": "&#126;"}
_ENTITY_LIKE = re.compile(r"&(?=#?[0-9A-Za-z]+;)")


def _md(text: str) -> str:
    """Text shown literally, the owner's words included; line breaks become spaces so a line stays
    one paragraph, heading or table cell."""
    text = _ENTITY_LIKE.sub("&amp;", " ".join(text.split()))
    return "".join("\\" + c if c in _BACKSLASHED else _ENTITIES.get(c, c) for c in text)


def to_markdown(report: PlanReport, chart_name: str = "chart.png") -> str:
    """The same content as the PDF, with the chart as an image link to `chart_name`."""
    labels = report.labels

    def labelled(key: str, value: str) -> str:
        # "**Firm**: x", not "**Firm:** x": bold ending in "：" does not close before a Chinese character.
        label = labels.get(key)  # the firm's and level's labels are optional
        return f"**{_md(label)}**{_colon(report.language)}{_md(value)}" if label else _md(value)

    lines = [
        f"# {_md(labels['title'])}", "",
        labelled("firm", report.firm) + "  ",
        labelled("level", report.level) + "  ",
        f"*{_md(report.made_on)}*", "",
        f"## {_md(labels['profile'])}", "",
        f"![{_md(labels['profile'])}]({chart_name})", "",
        f"| {_md(labels['dimension'])} | {_md(labels['today'])} | {_md(labels['after'])} |",
        "| --- | :---: | :---: |",
        *(f"| {_md(row.name)} | {row.today} | {row.after} |" for row in report.dimensions), "",
        f"## {_md(labels['steps'])}", "",
    ]
    for step in report.steps:
        lines += [f"### {step.number}. {_md(step.title)}{_bracketed(_md(step.when), report.language)}", ""]
        lines += [f"- {labelled(key, value)}" for key, value in _details(step)]
        lines.append("")
    lines += ["---", "", f"*{_md(labels['footer'])}*", ""]
    return "\n".join(lines)
