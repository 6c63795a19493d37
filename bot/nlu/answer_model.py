"""The answer model: which industry or goal an owner's free-text answer means, when the exact
vocabulary (data/entities/) found no phrase in it.

Trained on data/answers/*.yml, owners' answers in their own words, one file per slot:

    slot: goal
    answers:
      less_downtime:
        - our presses keep stopping and we miss deadlines

Why this design (docs/UNDERSTANDING.md says more): a linear model over word and character n-grams
(scikit-learn, already in the venv through Rasa) trains in about a second on a few thousand answers,
so it is trained when first used, always from the YAML as it is now: no artefact to go stale, no
retraining of the Rasa model for a new phrasing, and the same result on every machine (the solver is
deterministic). The vocabulary stays the high-precision first pass; this model covers the rest, with
a confidence, and says nothing below its threshold. Pure: no Rasa import.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional, Sequence

from bot.paths import DATA_DIR
from bot.yaml_source import DataError, line_of, load_yaml

ANSWERS_DIR = DATA_DIR / "answers"
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
    best: Optional[str] = None  # the likeliest value even when not sure (for "did you mean")


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


class AnswerModel:
    """One slot's classifier: word 1-2-grams and character 2-5-grams, then a logistic regression."""

    def __init__(self, slot: str, examples: Sequence[Example]) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import FeatureUnion, make_pipeline

        self.slot = slot
        features = FeatureUnion([
            ("words", TfidfVectorizer(preprocessor=_normal, ngram_range=(1, 2), sublinear_tf=True)),
            ("chars", TfidfVectorizer(preprocessor=_normal, analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)),
        ])
        self.pipeline = make_pipeline(features, LogisticRegression(C=20.0, max_iter=5000))
        self.pipeline.fit([e.text for e in examples], [e.value for e in examples])

    def scores(self, text: str) -> dict[str, float]:
        """The probability of each value."""
        probabilities = self.pipeline.predict_proba([(text or "")[:MAX_ANSWER_CHARS * 2]])[0]
        return dict(zip(self.pipeline.classes_, map(float, probabilities)))

    def guess(self, text: str) -> Guess:
        """The value the answer means, with the model's confidence; no value below the threshold."""
        if not text or not text.strip():
            return Guess(None, 0.0)
        probabilities = self.pipeline.predict_proba([text[:MAX_ANSWER_CHARS * 2]])[0]
        best = int(probabilities.argmax())
        value, confidence = self.pipeline.classes_[best], float(probabilities[best])
        return Guess(value if confidence >= THRESHOLDS[self.slot] else None, confidence, value)


@lru_cache(maxsize=4)
def answer_models(directory: Path = ANSWERS_DIR) -> dict[str, AnswerModel]:
    """The models of every answers file, trained once per process (about a second)."""
    from bot.nlu.vocabulary import load_vocabulary

    vocabulary = load_vocabulary(directory.parent / "entities")
    models = {}
    for path in sorted(directory.glob("*.yml")):
        slot, examples = load_answers(path, vocabulary)
        models[slot] = AnswerModel(slot, examples)
    return models


_CORRECTION = re.compile(r"\b(no|not|actually|wait|sorry|i mean|rather|correction|scratch that|or rather)\b",
                         re.IGNORECASE)


def chosen_mention(text: str, mentions: Sequence[tuple[str, int]], model: "AnswerModel | None" = None) -> Optional[str]:
    """Which of several vocabulary matches an answer means: the later one when the owner corrects
    themselves ("a shop, no wait, a cafe"); else the one the answer model finds likelier ("a
    marketing agency for restaurants", "a boutique hotel"); without a model, the first."""
    if not mentions:
        return None
    ordered = sorted(mentions, key=lambda mention: mention[1])
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
