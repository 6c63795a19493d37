"""The answer model: which industry or goal an owner's free-text answer means, when the exact
vocabulary (data/entities/) found no phrase in it.

Trained on data/answers/*.yml, owners' answers in their own words, one file per slot:

    slot: goal
    answers:
      less_downtime:
        - our presses keep stopping and we miss deadlines

Why this design (docs/UNDERSTANDING.md says more): a linear model over word and character n-grams
(scikit-learn, already in the venv through Rasa), trained from the YAML as it is when first used and
kept in build/answer_models/ under a fingerprint of its inputs, so a process that finds it there
loads it in a fraction of a second, and a changed answers file is simply trained again (a few
seconds): nothing to go stale, no retraining of the Rasa model for a new phrasing, the same result
on every machine (the solver is deterministic). The vocabulary stays the high-precision first pass;
this model covers the rest, with a confidence, and says nothing below its threshold. No Rasa import.
"""
from __future__ import annotations

import hashlib
import logging
import os
import pickle
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional, Sequence

from bot.nlu.language import CHINESE, ENGLISH, has_han, majority_language
from bot.paths import BUILD_DIR, DATA_DIR
from bot.yaml_source import DataError, line_of, load_yaml

logger = logging.getLogger(__name__)

ANSWERS_DIR = DATA_DIR / "answers"
CACHE_DIR = BUILD_DIR / "answer_models"
SLOTS = ("industry", "goal")
# Below this probability the model does not answer: the form asks again. 0.40 keeps both slots above
# 90% on the held-out answers while an answer no goal fits ("a nicer sign above the door") gets none.
THRESHOLDS = {"industry": 0.40, "goal": 0.40}
MAX_ANSWER_CHARS = 200


@dataclass(frozen=True)
class Example:
    text: str
    value: str
    line: Optional[int]


@dataclass(frozen=True)
class Guess:
    value: Optional[str]  # None: the model is not sure enough to say
    confidence: float


def load_answers(path: Path, vocabulary) -> tuple[str, list[Example]]:
    """(slot, examples) of one answers file; DataError with file, line and fix for each mistake.

    The slot's values are the keys of the entity of the same name in `vocabulary` (data/entities/).
    """
    doc = load_yaml(path)
    if not isinstance(doc, dict) or doc.get("slot") not in SLOTS or not isinstance(doc.get("answers"), dict):
        raise DataError(path, None, f"an answers file needs `slot:` ({' or '.join(SLOTS)}) and `answers:`.",
                        "see data/answers/goals.yml for the layout.")
    known = vocabulary.values(doc["slot"])
    examples: list[Example] = []
    seen: dict[str, Optional[int]] = {}
    for value, texts in doc["answers"].items():
        where = line_of(doc["answers"], value)
        if value not in known:
            raise DataError(path, where, f"unknown {doc['slot']} '{value}'.",
                            f"use a key of data/entities/ ({', '.join(sorted(known))}) or add it there first.")
        if not isinstance(texts, list) or not texts:
            raise DataError(path, where, f"'{value}' needs a list of answers.", f"write `{value}:` then `- an answer` lines.")
        for index, text in enumerate(texts):
            line = line_of(texts, index) or where
            if not isinstance(text, str) or not text.strip():
                raise DataError(path, line, f"an answer under '{value}' is empty or not text.", "quote it, or remove it.")
            if len(text) > MAX_ANSWER_CHARS:
                raise DataError(path, line, f"an answer under '{value}' is over {MAX_ANSWER_CHARS} characters.",
                                "shorten it: owners type short answers.")
            key = _normal(text)
            if key in seen:
                raise DataError(path, line, f"'{text}' is listed twice (first at line {seen[key]}).", "keep one of them.")
            seen[key] = line
            examples.append(Example(text.strip(), str(value), line))
    return doc["slot"], examples


def _words(text: str) -> list[str]:
    """Words for the word n-grams: English words of two letters or more, Chinese split by jieba
    (a Chinese answer has no spaces: without this it would be one long "word")."""
    from bot.nlu.tokenizer import chinese_words

    return [word for chunk in text.split() for word in (chinese_words(chunk) if has_han(chunk) else [chunk])
            if len(word) > 1 or has_han(word)]


# Per language: the character n-grams and how little the regression is held back. Chinese words are
# one or two characters (停, 坏, 钱, 断货), and with about 35 answers a key a weaker regularisation (C=100)
# makes the model sure enough to answer: chosen by 5-fold cross-validation over the training answers,
# where it answers about 55% (goal) and 76% (industry) of them at the 0.40 threshold with 0.85 precision.
_SETTINGS = {ENGLISH: {"chars": ("char_wb", (2, 5)), "C": 20.0}, CHINESE: {"chars": ("char", (1, 2)), "C": 100.0}}


def _fitted(examples: Sequence[Example], language: str):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, make_pipeline

    settings = _SETTINGS.get(language, _SETTINGS[ENGLISH])
    analyzer, char_range = settings["chars"]
    features = FeatureUnion([
        ("words", TfidfVectorizer(preprocessor=_normal, tokenizer=_words, token_pattern=None, ngram_range=(1, 2),
                                  sublinear_tf=True)),
        ("chars", TfidfVectorizer(preprocessor=_normal, analyzer=analyzer, ngram_range=char_range, sublinear_tf=True)),
    ])
    pipeline = make_pipeline(features, LogisticRegression(C=settings["C"], max_iter=5000))
    return pipeline.fit([e.text for e in examples], [e.value for e in examples])


def _language(text: str) -> str:
    return majority_language(text) or ENGLISH


class AnswerModel:
    """One slot's classifier per language: word 1-2-grams and character 2-5-grams, then a logistic
    regression. Per language, because Chinese and English answers share no features: in one model the
    fewer Chinese answers left every Chinese guess below the threshold."""

    def __init__(self, slot: str, examples: Sequence[Example]) -> None:
        self.slot = slot
        by_language: dict[str, list[Example]] = {}
        for example in examples:
            by_language.setdefault(_language(example.text), []).append(example)
        self.pipelines = {language: _fitted(chosen, language) for language, chosen in by_language.items()
                          if len({e.value for e in chosen}) > 1}

    def scores(self, text: str) -> dict[str, float]:
        """The probability of each value, from the model of the answer's language."""
        pipeline = self.pipelines.get(_language(text or "")) or self.pipelines.get(ENGLISH)
        if pipeline is None:
            return {}
        probabilities = pipeline.predict_proba([(text or "")[:MAX_ANSWER_CHARS * 2]])[0]
        return dict(zip(pipeline.classes_, map(float, probabilities)))

    def guess(self, text: str) -> Guess:
        """The value the answer means, with the model's confidence; no value below the threshold."""
        if not text or not text.strip():
            return Guess(None, 0.0)
        value, confidence = max(self.scores(text).items(), key=lambda item: item[1], default=(None, 0.0))
        return Guess(value if confidence >= THRESHOLDS[self.slot] else None, confidence)


@lru_cache(maxsize=4)
def answer_models(directory: Path = ANSWERS_DIR, cache_dir: Optional[Path] = CACHE_DIR) -> dict[str, AnswerModel]:
    """The models of every answers file: from the cache when its inputs are unchanged, else trained."""
    cached = cache_dir / f"{_fingerprint(directory)}.pickle" if cache_dir else None
    if cached and cached.exists():
        try:
            with open(cached, "rb") as handle:
                return pickle.load(handle)  # noqa: S301 - our own build output, named by its inputs
        except Exception:  # noqa: BLE001 - a broken cache is trained again
            logger.warning("The answer model cache %s is unreadable; training again", cached)
    from bot.nlu.vocabulary import load_vocabulary

    vocabulary = load_vocabulary(directory.parent / "entities")
    models = {}
    for path in sorted(directory.glob("*.yml")):
        slot, examples = load_answers(path, vocabulary)
        models[slot] = AnswerModel(slot, examples)
    if cached:
        _save(cached, models)
    return models


def _fingerprint(directory: Path) -> str:
    """A hash of everything the models are made from: the answers, the entity files, this code."""
    import sklearn

    digest = hashlib.sha256(sklearn.__version__.encode())
    from importlib.metadata import version

    from bot.nlu import language, tokenizer

    digest.update(version("jieba").encode())
    # which model each answer trains (language.py) and how Chinese is split (tokenizer.py) shape the models too
    sources = [Path(__file__), Path(language.__file__), Path(tokenizer.__file__), tokenizer.WORDS_FILE,
               *sorted(directory.glob("*.yml")), *sorted((directory.parent / "entities").glob("*.yml"))]
    for path in sources:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:24]


def _save(path: Path, models: dict) -> None:
    """Write the cache in one piece (another process may be reading it), dropping older ones."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        with open(temporary, "wb") as handle:
            pickle.dump(models, handle)
        os.replace(temporary, path)
        for old in path.parent.glob("*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError as err:  # a read-only checkout still works, training at each start
        logger.warning("Could not keep the answer models in %s: %s", path.parent, err)


_CORRECTION = re.compile(r"\b(no|not|actually|wait|sorry|i mean|rather|correction|scratch that|or rather)\b"
                         r"|不对|不是|其实|应该说|更正|说错了|我是说", re.IGNORECASE)


def chosen_mention(text: str, mentions: Sequence[tuple[str, int]], model: "AnswerModel | None" = None) -> Optional[str]:
    """Which of several vocabulary matches an answer means: the later one when the owner corrects
    themselves ("a shop, no wait, a cafe"); else the one the answer model finds likelier ("a
    marketing agency for restaurants", "a boutique hotel"); without a model, the first."""
    if not mentions:
        return None
    from bot.nlu.negation import negated

    said = [mention for mention in mentions if not negated(text, mention[1])]  # "a cafe, not a shop"
    ordered = sorted(said or mentions, key=lambda mention: mention[1])
    first, last = ordered[0], ordered[-1]
    if len({value for value, _ in ordered}) == 1:
        return first[0]
    if _CORRECTION.search(text[first[1]:last[1]]):
        return last[0]
    if model is None:
        return first[0]
    scores = model.scores(text)
    return max(ordered, key=lambda mention: scores.get(mention[0], 0.0))[0]


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[^\w'\s]", " ", text.lower()).split())
