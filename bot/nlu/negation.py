"""Whether a phrase the vocabulary found is negated: "no website yet", "we don't use Excel, only
paper" (Excel is negated, paper is not), "a website but no online shop". Pure.

A mention is negated when a negation word stands before it in the same clause; a clause ends at
punctuation or at "but", "just", "only", "except", "apart from". The same in Chinese: "我们没有网站，
只用微信" (网站 is negated, 微信 is not). Only whole negating words count (没有, 不用, 缺少 ...): 不少, 没错,
无线 and 未来 negate nothing.
"""
from __future__ import annotations

import re

_CLAUSE_END = re.compile(r"[,.;:!?，。；：！？、]|\b(?:but|just|only|except|apart from|instead)\b"
                         r"|但是|不过|只有|只用|除了|而是|就用|就靠", re.IGNORECASE)
_NEGATION = re.compile(r"\b(?:no|not|none|never|nor|without|don'?t|do not|doesn'?t|does not|haven'?t|have not|"
                       r"hasn'?t|has not|isn'?t|aren'?t|can'?t|cannot|lack|lacking)\b|n't\b"
                       r"|没有|没用|没装|没上|没开|没做|还没|不用|不是|不再|无需|未用|缺少|缺乏", re.IGNORECASE)


# "No, I mostly use Excel", "no we use paper": a "no" that answers, not one that negates what follows.
_ANSWERING_NO = re.compile(r"^\s*no\b\s*(?=(i|we|it|they|that|this|actually|just|only|mostly|mainly)\b)", re.IGNORECASE)


def negated(text: str, start: int) -> bool:
    """True when the phrase at `start` in `text` is said not to be there."""
    before = (text or "")[:max(0, start)]
    clause = _ANSWERING_NO.sub("", _CLAUSE_END.split(before)[-1])
    return bool(_NEGATION.search(clause))
