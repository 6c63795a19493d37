"""Whether a phrase the vocabulary found is negated: "no website yet", "we don't use Excel, only
paper" (Excel is negated, paper is not), "a website but no online shop". Pure.

A mention is negated when a negation word stands before it in the same clause; a clause ends at
punctuation or at "but", "just", "only", "except", "apart from".
"""
from __future__ import annotations

import re

_CLAUSE_END = re.compile(r"[,.;:!?]|\b(?:but|just|only|except|apart from|instead)\b", re.IGNORECASE)
_NEGATION = re.compile(r"\b(?:no|not|none|never|nor|without|don'?t|do not|doesn'?t|does not|haven'?t|have not|"
                       r"hasn'?t|has not|isn'?t|aren'?t|can'?t|cannot|lack|lacking)\b|n't\b", re.IGNORECASE)


# "No, I mostly use Excel", "no we use paper": a "no" that answers, not one that negates what follows.
_ANSWERING_NO = re.compile(r"^\s*no\b\s*(?=(i|we|it|they|that|this|actually|just|only|mostly|mainly)\b)", re.IGNORECASE)


def negated(text: str, start: int) -> bool:
    """True when the phrase at `start` in `text` is said not to be there."""
    before = (text or "")[:max(0, start)]
    clause = _ANSWERING_NO.sub("", _CLAUSE_END.split(before)[-1])
    return bool(_NEGATION.search(clause))
