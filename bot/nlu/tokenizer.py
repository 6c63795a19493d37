"""Words of a message that mixes English and Chinese: the one tokenizer the single model needs.

Why: the model is English-first (spaCy's English tokenizer, lemmas, the entity ruler), and spaCy's
English tokenizer leaves a Chinese sentence as one long token ("我们用excel和微信，怎么办"). Rasa's
JiebaTokenizer would need `language: zh` for the whole model, and keeps whitespace as tokens in mixed
text (Rasa issue 7910). So each token that holds Chinese is split again here: its Chinese runs into
jieba's words, its runs of letters or digits kept whole, punctuation dropped. English tokens stay as
spaCy made them, so English understanding does not change.

jieba learns our own words first (`data/zh_words.yml` and every Chinese phrase of data/entities), so
"数字化转型" or "企业微信" stay one word. Deterministic: jieba's dictionary and its HMM are fixed.
No Rasa import.
"""
from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from bot.nlu.language import HAN_CHARACTERS, has_han
from bot.paths import DATA_DIR
from bot.yaml_source import DataError, line_of, load_yaml

WORDS_FILE = DATA_DIR / "zh_words.yml"
_HAN_RUN = re.compile(f"[{HAN_CHARACTERS}]+")
_RUNS = re.compile(f"[{HAN_CHARACTERS}]+|[^\\W_{HAN_CHARACTERS}]+")  # Chinese runs, and runs of other letters or digits


def load_words(path: Path = WORDS_FILE) -> list[str]:
    """The words jieba must keep whole; DataError with file, line and fix for a bad entry."""
    doc = load_yaml(path)
    words = doc.get("words") if isinstance(doc, dict) else None
    if not isinstance(words, list):
        raise DataError(path, None, "expected `words:` with a list of Chinese words.",
                        "write `words: [数字化转型, 小快轻准]`.")
    for index, word in enumerate(words):
        if not isinstance(word, str) or not has_han(word) or any(ch.isspace() for ch in word):
            raise DataError(path, line_of(words, index) or line_of(doc, "words"),
                            f"{word!r} is not one Chinese word.", "write Chinese characters with no spaces.")
    return [w.strip() for w in words]


@lru_cache(maxsize=None)
def _segmenter(words: tuple[str, ...]):
    import jieba

    jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict..." on every start
    segmenter = jieba.Tokenizer()
    for word in words:
        segmenter.add_word(word)
    return segmenter


def segmenter_for(words: Iterable[str]):
    """A jieba tokenizer that knows `words` (one per distinct word list, kept for the process)."""
    return _segmenter(tuple(sorted({w for w in words if _HAN_RUN.search(w)})))


def split_token(text: str, start: int, segmenter) -> list[tuple[str, int]]:
    """(word, offset) pieces of one token: Chinese runs segmented, letter and digit runs kept whole.

    A token with no Chinese comes back as it is; punctuation inside a Chinese token is dropped.
    """
    if not _HAN_RUN.search(text):
        return [(text, start)]
    pieces = []
    for run in _RUNS.finditer(text):
        if _HAN_RUN.fullmatch(run.group()):
            for word, begin, _end in segmenter.tokenize(run.group()):
                if word.strip():
                    pieces.append((word, start + run.start() + begin))
        else:
            pieces.append((run.group(), start + run.start()))
    return pieces


@lru_cache(maxsize=1)
def project_words() -> tuple[str, ...]:
    """What jieba keeps whole: data/zh_words.yml and every Chinese phrase of data/entities."""
    from bot.nlu.vocabulary import load_vocabulary

    phrases = [phrase.text for phrase in load_vocabulary(DATA_DIR / "entities").phrases]
    return tuple(sorted({w for w in load_words() + phrases if _HAN_RUN.search(w)}))


def chinese_words(text: str) -> list[str]:
    """jieba's words of a Chinese text, with our words kept whole (for models outside Rasa's pipeline)."""
    return [piece for piece, _ in split_token(text, 0, segmenter_for(project_words()))]
