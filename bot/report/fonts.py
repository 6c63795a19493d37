"""Where the chart's and the plan document's fonts come from: Debian packages (.ci/run installs
them), never a download at run time and never a file in the repository.

Chinese uses WenQuanYi Micro Hei (Debian `fonts-wqy-microhei`): TrueType outlines, Simplified
Chinese glyph shapes, and its own Latin letters, digits, ¥, €, $ and full-width punctuation, so one
font draws a whole Chinese text (matplotlib 3.5 has no per-glyph fallback). Noto Sans CJK
(`fonts-noto-cjk`, installed for the browser) was tried and not chosen: matplotlib 3.5 opens only the
first face of a .ttc, which is the Japanese one, so many Chinese characters would take Japanese forms.

Latin uses DejaVu Sans (`fonts-dejavu-core`), else the copy matplotlib ships. A missing font never
raises: it logs one warning and the text falls back to DejaVu (Chinese then shows as boxes).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import matplotlib

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FontFile:
    path: Path
    index: int = 0  # the face within a .ttc collection; matplotlib 3.5 always reads face 0


CJK_FONT = FontFile(Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"))
LATIN_FONT = FontFile(Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
BUNDLED_LATIN_FONT = FontFile(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf")


@lru_cache(maxsize=None)
def cjk_font() -> FontFile | None:
    """The Chinese font, or None (with a warning, once) when its package is not installed."""
    if CJK_FONT.path.is_file():
        return CJK_FONT
    logger.warning("No Chinese font at %s (apt-get install fonts-wqy-microhei): Chinese text will "
                   "show as boxes in charts and plan documents.", CJK_FONT.path)
    return None


@lru_cache(maxsize=None)
def latin_font() -> FontFile:
    """DejaVu Sans from Debian, else matplotlib's own copy, which is always there."""
    if LATIN_FONT.path.is_file():
        return LATIN_FONT
    logger.warning("No DejaVu Sans at %s (apt-get install fonts-dejavu-core): using matplotlib's copy.",
                   LATIN_FONT.path)
    return BUNDLED_LATIN_FONT


def font_for(language: str) -> FontFile:
    """The one font that draws a text in this language ("zh" or "en")."""
    return (cjk_font() if language == "zh" else None) or latin_font()
