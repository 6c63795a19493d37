"""Which language a message is in, and which one a user asks for: English ("en") or Chinese ("zh").

The conversation's language is the `language` slot. A message written in Chinese characters makes it
Chinese, one in Latin letters makes it English; a message with both ("我们用Excel和微信"), or with
neither ("5", "👍", "2万"), leaves it as it was. "English please", "说中文" and the channels' `/lang`
ask for one explicitly. Channels pass the user's app or browser language as a default for the first
message (`language_from_code`). Pure: no Rasa import.
"""
from __future__ import annotations

import re
import unicodedata

ENGLISH = "en"
CHINESE = "zh"
LANGUAGES = (ENGLISH, CHINESE)
DEFAULT = ENGLISH

# Chinese characters (the CJK Unified Ideographs blocks), for character classes elsewhere too.
HAN_CHARACTERS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN = re.compile(f"[{HAN_CHARACTERS}]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# Characters that write numbers and money inside an otherwise English answer ("2万", "500元"): no evidence.
NUMERIC_HAN = frozenset("零〇一二两三四五六七八九十百千万亿元块")
# Latin words Chinese speakers type as they are: no sign of English ("ok" to "对吗？").
NEUTRAL_LATIN = frozenset({"ok", "okay", "okk", "hi", "app", "wifi", "vip", "diy", "ps", "qq", "ai"})
# Addresses and links say nothing about the language either.
_ADDRESS = re.compile(r"\S+@\S+|https?://\S+|www\.\S+", re.IGNORECASE)
# Kana and Hangul: Japanese or Korean, even when the text also has Chinese characters.
_KANA_HANGUL = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\u1100-\u11ff\uac00-\ud7af]")

# Names of the two languages, as people ask for them.
_NAMES = {
    ENGLISH: ("english", "英文", "英语", "英語"),
    CHINESE: ("chinese", "mandarin", "putonghua", "zhongwen", "中文", "汉语", "漢語", "普通话", "普通話", "华语",
              "国语", "國語"),
}
# A language name right after one of these is the one the user does not want ("not in English").
_NOT_BEFORE = re.compile(r"(?:not|no|don't|dont|instead of|rather than|can't read|cannot read|can't speak|don't speak|"
                         r"don't understand|不要|别|不用|不说|不讲|而不是|看不懂|听不懂|不懂|不会)\s*(?:in\s+|用|说|讲)?\s*$")
# ... or right after it: "英文看不懂", "english is hard for me".
_NOT_AFTER = re.compile(r"^\s*(?:看不懂|听不懂|不懂|不会|不行|不好|太难|is hard|is difficult|isn't good)")


def han_count(text: str) -> int:
    """How many Chinese characters the text has."""
    return len(_HAN.findall(text))


def has_han(text: str) -> bool:
    """True when the text has a Chinese character other than a number or money word."""
    return any(_HAN.match(ch) and ch not in NUMERIC_HAN for ch in text)


def has_kana_or_hangul(text: str) -> bool:
    return bool(_KANA_HANGUL.search(text))


def script_language(text: str | None) -> str | None:
    """"zh" for Chinese writing, "en" for English words, None when the text has both or neither.

    Japanese and Korean (kana, hangul) are neither: the input screen answers them.
    """
    if not text or _KANA_HANGUL.search(text):
        return None
    text = _ADDRESS.sub(" ", unicodedata.normalize("NFKC", text))  # full-width "ＯＫ" is "OK"
    chinese = has_han(text)
    english = bool(_english_words(text))
    if chinese and not english:
        return CHINESE
    if english and not chinese:
        return ENGLISH
    return None


def majority_language(text: str | None) -> str | None:
    """For a conversation that has no language yet: the script most of a mixed text is written in.

    A Chinese character counts as much as an English word: "我们用Excel和微信" is Chinese.
    """
    if not text:
        return None
    text = _ADDRESS.sub(" ", text)
    chinese = sum(1 for ch in text if _HAN.match(ch) and ch not in NUMERIC_HAN)
    english = len(_english_words(text))
    if chinese == english:
        return None
    return CHINESE if chinese > english else ENGLISH


def _english_words(text: str) -> list[str]:
    words = _LATIN_WORD.findall(text)
    # "ok" alone in a Chinese conversation is no switch; "ok thanks" or "hi there" is English
    return words if len(words) > 1 else [w for w in words if w.lower() not in NEUTRAL_LATIN]


def requested_language(text: str | None) -> str | None:
    """The language a request to switch names ("switch to Chinese", "不要英文，说中文"), else None.
    A language the user says they cannot read means the other one ("我看不懂英文" asks for Chinese)."""
    lowered = (text or "").lower()
    wanted: list[tuple[int, str]] = []
    refused: set[str] = set()
    for language, names in _NAMES.items():
        for name in names:
            for match in re.finditer(re.escape(name), lowered):
                if name.isascii() and not _whole_word(lowered, match):
                    continue
                if _NOT_BEFORE.search(lowered[:match.start()]) or _NOT_AFTER.search(lowered[match.end():]):
                    refused.add(language)
                else:
                    wanted.append((match.start(), language))
    languages = {language for _, language in wanted}
    if len(languages) == 1:
        return languages.pop()
    if wanted:
        return max(wanted)[1]  # "from English to Chinese": the last one named
    others = set(LANGUAGES) - refused
    return others.pop() if len(refused) == 1 and len(others) == 1 else None


def _whole_word(text: str, match: re.Match) -> bool:
    before = text[match.start() - 1] if match.start() else " "
    after = text[match.end()] if match.end() < len(text) else " "
    return not before.isalpha() and not after.isalpha()


def language_from_code(code: object) -> str | None:
    """A channel's language tag ("zh-CN", "zh-Hans", "en-US", Telegram's "zh-hans") as "zh" or "en"."""
    if not isinstance(code, str):
        return None
    primary = code.strip().lower().replace("_", "-").split("-")[0]
    return primary if primary in LANGUAGES else None


def conversation_language(slot_value: object, text: str | None = None, hint: object = None) -> str:
    """The language to answer in: the slot when set; else the latest message's writing (a button's
    "/intent" payload is no writing); else the channel's hint (app or browser language); else English."""
    if slot_value in LANGUAGES:
        return str(slot_value)
    if text and text.lstrip().startswith("/"):
        text = None
    return script_language(text) or majority_language(text) or language_from_code(hint) or DEFAULT
