"""Which step of a plan a message means: "step 2", "the second one", "#3", "the booking page", or
"that one" (the step talked about last). Pure: text and the plan's titles in, a step number out.
"""
from __future__ import annotations

import re
from typing import Iterable, Optional, Sequence

_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
             "eighth": 8, "ninth": 9, "tenth": 10}
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10}
_NUMBERED = re.compile(r"(?:\bstep|\bnumber)\s*(\d{1,3}|" + "|".join(_NUMBER_WORDS) + r")\b|(?:\bno\.|#)\s*(\d{1,3})\b")
_ORDINAL = re.compile(r"\b(" + "|".join(_ORDINALS) + r")\s+(?:step|one)\b|\b(\d{1,2})(?:st|nd|rd|th)\s+(?:step|one)\b")
_LAST = re.compile(r"\b(?:the\s+)?last\s+(?:step|one)\b")
# Words that name no particular step: they appear in many titles or in every question about one.
_COMMON = {"step", "steps", "that", "this", "with", "your", "more", "about", "tell", "have", "already", "what",
           "which", "there", "online", "simple", "free", "digital", "tool", "tools", "system", "app", "apps",
           "page", "plan", "they", "them", "does", "mean", "need", "details", "detail", "please"}


def resolve_step(text: str, entity_numbers: Iterable[object], titles: Sequence[str]) -> Optional[int]:
    """The 1-based step number the message names, which may be past the plan's end; None if it names none.

    `entity_numbers` are the step_number entities NLU found ("1", "2", ...); `titles` are the
    plan's step titles in order.
    """
    said = (text or "").lower()
    numbers = [int(str(n)) for n in entity_numbers if str(n).isdecimal() and len(str(n)) <= 3]
    match = _NUMBERED.search(said) or _ORDINAL.search(said)
    if match:
        word = next(group for group in match.groups() if group)
        numbers.append(int(word) if word.isdecimal() else _NUMBER_WORDS.get(word) or _ORDINALS[word])
    if _LAST.search(said) and titles:
        numbers.append(len(titles))
    if numbers:
        return numbers[-1]
    return _by_title(said, titles)


def _by_title(said: str, titles: Sequence[str]) -> Optional[int]:
    """The one step whose title shares the most telling words with the message."""
    words = _words(said)
    scores = [len(words & _words(title.lower())) for title in titles]
    best = max(scores, default=0)
    if best == 0 or scores.count(best) > 1:
        return None
    return scores.index(best) + 1


def _words(text: str) -> set[str]:
    found = set()
    for word in re.findall(r"[a-z0-9]+", text):
        if len(word) < 3 or word in _COMMON:
            continue
        found.add(word[:-1] if word.endswith("s") and len(word) > 4 else word)
    return found
