"""Which step of a plan a message means: "step 2", "the second one", "#3", "第2步", "第二个", "最后一步",
"the booking page", "在线预约那个", or "that one" (the step talked about last). Pure: text and the plan's
titles in, a step number out.
"""
from __future__ import annotations

import re
from typing import Iterable, Optional, Sequence

from bot.nlu.language import HAN_CHARACTERS

_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
             "eighth": 8, "ninth": 9, "tenth": 10}
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10}
_CHINESE_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# A Chinese number up to 99: 二, 十, 十二, 二十, 二十三.
_CHINESE_NUMBER = "[一二两三四五六七八九]?十[一二三四五六七八九]?|[一二两三四五六七八九]"
_NUMBERED = re.compile(r"(?:\bstep|\bnumber)\s*(\d{1,3}|" + "|".join(_NUMBER_WORDS) + r")\b|(?:\bno\.|#)\s*(\d{1,3})\b")
# 第2步, 第二个, 第三条, 步骤二: a Chinese ordinal needs its measure word (第一次, "the first time", is no step).
_CHINESE_NUMBERED = re.compile(rf"第\s*(\d{{1,3}}|{_CHINESE_NUMBER})\s*[步个条项点]|步骤\s*(\d{{1,3}}|{_CHINESE_NUMBER})")
_ORDINAL = re.compile(r"\b(" + "|".join(_ORDINALS) + r")\s+(?:step|one)\b|\b(\d{1,2})(?:st|nd|rd|th)\s+(?:step|one)\b")
_LAST = re.compile(r"\b(?:the\s+)?last\s+(?:step|one)\b|最后[那这]?一?[步个条项]")
# Words that name no particular step: they appear in many titles or in every question about one.
_COMMON = {"step", "steps", "that", "this", "with", "your", "more", "about", "tell", "have", "already", "what",
           "which", "there", "online", "simple", "free", "digital", "tool", "tools", "system", "app", "apps",
           "page", "plan", "they", "them", "does", "mean", "need", "details", "detail", "please"}
# The same in Chinese, as pairs of characters (Chinese writes no spaces, so a title's telling "words"
# are the pairs of characters in it).
_COMMON_CHINESE = {"这个", "那个", "一个", "这步", "那步", "一步", "步骤", "方案", "计划", "详细", "说说", "讲讲",
                   "介绍", "什么", "怎么", "为什", "多少", "已经", "我们", "你们", "可以", "一下", "具体", "工具",
                   "软件", "系统", "平台", "在线", "线上", "简单", "免费", "数字", "数据", "管理", "自动", "自己",
                   "电子"}
_HAN_RUN = re.compile(f"[{HAN_CHARACTERS}]{{2,}}")


def resolve_step(text: str, entity_numbers: Iterable[object], titles: Sequence[str]) -> Optional[int]:
    """The 1-based step number the message names, which may be past the plan's end; None if it names none.

    `entity_numbers` are the step_number entities NLU found ("1", "2", ...); `titles` are the
    plan's step titles in order.
    """
    said = (text or "").lower()
    numbers = [int(str(n)) for n in entity_numbers if str(n).isdecimal() and len(str(n)) <= 3]
    match = _NUMBERED.search(said) or _ORDINAL.search(said) or _CHINESE_NUMBERED.search(said)
    if match:
        numbers.append(_number(next(group for group in match.groups() if group)))
    if _LAST.search(said) and titles:
        numbers.append(len(titles))
    if numbers:
        return numbers[-1]
    return _by_title(said, titles)


def _number(word: str) -> int:
    """3 for "3", "three", "third" or "三"; 12 for "十二"."""
    if word.isdecimal():
        return int(word)
    if word in _NUMBER_WORDS or word in _ORDINALS:
        return _NUMBER_WORDS.get(word) or _ORDINALS[word]
    tens, ten, units = word.partition("十")
    if not ten:
        return _CHINESE_DIGITS[word]
    return _CHINESE_DIGITS.get(tens, 1) * 10 + _CHINESE_DIGITS.get(units, 0)


def _by_title(said: str, titles: Sequence[str]) -> Optional[int]:
    """The one step whose title shares the most telling words with the message."""
    words = _words(said)
    scores = [len(words & _words(title.lower())) for title in titles]
    best = max(scores, default=0)
    if best == 0 or scores.count(best) > 1:
        return None
    return scores.index(best) + 1


def _words(text: str) -> set[str]:
    """The telling words of a text: English words (without a plural s), and Chinese pairs of characters."""
    found = set()
    for word in re.findall(r"[a-z0-9]+", text):
        if len(word) < 3 or word in _COMMON:
            continue
        found.add(word[:-1] if word.endswith("s") and len(word) > 4 else word)
    for run in _HAN_RUN.findall(text):
        found |= {run[i:i + 2] for i in range(len(run) - 1)} - _COMMON_CHINESE
    return found
