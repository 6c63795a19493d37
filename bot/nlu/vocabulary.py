"""Entity vocabulary from data/entities/*.yml: validation and spaCy entity-ruler patterns.

Each file names one entity and maps canonical values to the phrases people type. The
same files drive the spaCy entity ruler and, later, the normalisation of what it found.
Chinese phrases are not ruler patterns: Chinese has no spaces between words, so they are found as
substrings (`chinese_mentions`), the longest first.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from bot.nlu.language import has_han
from bot.yaml_source import DataError, line_of, load_yaml

ENTITY_NAME = re.compile(r"^[a-z][a-z_]*$")


@dataclass(frozen=True)
class Phrase:
    entity: str
    value: str
    text: str


@dataclass
class EntityVocabulary:
    phrases: list[Phrase] = field(default_factory=list)
    # entity -> words that turn a preceding number into that entity ("8 staff").
    number_before: dict[str, list[str]] = field(default_factory=dict)

    def values(self, entity: str) -> set[str]:
        """Every canonical value of one entity, e.g. the goal keys."""
        return {phrase.value for phrase in self.phrases if phrase.entity == entity}

    def canonical(self, entity: str, text: str) -> str | None:
        """The canonical value for a phrase the ruler matched, or None."""
        wanted = normalise(text)
        for phrase in self.phrases:
            if phrase.entity == entity and normalise(phrase.text) == wanted:
                return phrase.value
        return None


def normalise(text: str) -> str:
    return " ".join(text.lower().split())


@dataclass(frozen=True)
class Mention:
    entity: str
    value: str
    start: int
    end: int


def chinese_mentions(text: str, vocabulary: EntityVocabulary) -> list[Mention]:
    """The vocabulary's phrases in a text written in Chinese: the longest first, none overlapping another.

    "我们用企业微信" finds 企业微信 (team chat), not also 微信 inside it. English phrases count too, as
    whole words: spaCy's English tokenizer leaves "我们用excel和微信" as one token, so the entity
    ruler never sees the Excel in it.
    """
    if not has_han(text):
        return []
    lowered = text.lower()
    taken = [False] * len(text)
    found = []
    for phrase in _phrases_by_length(vocabulary):
        wanted = phrase.text.lower()
        start = lowered.find(wanted)
        while start >= 0:
            end = start + len(wanted)
            if not any(taken[start:end]) and (has_han(wanted) or _whole_latin_word(lowered, start, end)):
                taken[start:end] = [True] * (end - start)
                found.append(Mention(phrase.entity, phrase.value, start, end))
            start = lowered.find(wanted, start + 1)
    return sorted(found, key=lambda m: m.start)


def _whole_latin_word(text: str, start: int, end: int) -> bool:
    """Not part of a longer Latin word or number: "excel" in "用excel和", not "pos" in "post"."""
    def latin(index: int) -> bool:
        return 0 <= index < len(text) and (text[index].isascii() and text[index].isalnum())
    return not latin(start - 1) and not latin(end)


def _phrases_by_length(vocabulary: EntityVocabulary) -> list[Phrase]:
    return sorted(vocabulary.phrases, key=lambda p: -len(p.text))


_CHINESE_NUMBER = r"(?:\d+|[零〇一二两三四五六七八九十百千万]+)\s*(?:多|来|余|几)?\s*"


def chinese_head_counts(text: str, vocabulary: EntityVocabulary) -> list[tuple[str, int, int]]:
    """(entity, start, end) of a number followed by one of the entity's Chinese `number_before`
    words: "80名工人", "五个人", "十来个员工". The text is the value, as for "8 staff"."""
    found = []
    for entity, words in vocabulary.number_before.items():
        chinese = sorted((w for w in words if has_han(w)), key=len, reverse=True)
        if not chinese or not has_han(text):
            continue
        pattern = re.compile(_CHINESE_NUMBER + "(?:" + "|".join(map(re.escape, chinese)) + ")")
        found += [(entity, m.start(), m.end()) for m in pattern.finditer(text) if _counts_people(text, m)]
    return found


def _counts_people(text: str, match: re.Match) -> bool:
    """"80名工人" is a head count; "第一个员工", "每个人" and "我一个人忙不过来" are not (the last one,
    an answer to "how many?", is still read from the whole answer by bot.advice.profile_parsing)."""
    if match.start() and text[match.start() - 1] in "第每这那哪":
        return False
    return not re.match(r"(?:一|1)\s*个人", match.group())


def load_vocabulary(directory: Path) -> EntityVocabulary:
    """Load and validate every entity file; raise DataError naming file, line and fix."""
    files = sorted(directory.glob("*.yml"))
    if not files:
        raise DataError(directory, None, "no entity files found.", "add at least one *.yml file.")
    vocabulary = EntityVocabulary()
    seen: dict[str, tuple[Phrase, str]] = {}  # normalised phrase -> (phrase, where)
    for path in files:
        for phrase, line in _read_file(path, vocabulary):
            key = normalise(phrase.text)
            if key in seen and seen[key][0] != phrase:
                other, where = seen[key]
                raise DataError(
                    path, line,
                    f"'{phrase.text}' is listed for {phrase.entity}={phrase.value} "
                    f"and for {other.entity}={other.value} ({where}).",
                    "a phrase may mean only one thing: keep it in one place.",
                )
            seen[key] = (phrase, f"{path.name}:{line}")
            vocabulary.phrases.append(phrase)
    return vocabulary


def _read_file(path: Path, vocabulary: EntityVocabulary):
    doc = load_yaml(path)
    if not isinstance(doc, dict):
        raise DataError(path, None, "the file must be a mapping with `entity:` and `values:`.")
    unknown = set(doc) - {"entity", "values", "number_before"}
    if unknown:
        key = sorted(unknown)[0]
        raise DataError(path, line_of(doc, key), f"unknown key '{key}'.",
                        "use only `entity`, `values` and `number_before`.")
    entity = doc.get("entity")
    if not isinstance(entity, str) or not ENTITY_NAME.match(entity):
        raise DataError(path, line_of(doc, "entity"), f"entity name {entity!r} is missing or invalid.",
                        "write `entity: some_name` in lower case with underscores.")
    values = doc.get("values")
    if not isinstance(values, dict) or not values:
        raise DataError(path, line_of(doc, "values"), "`values` must map each canonical value to a list of phrases.")
    for value, synonyms in values.items():
        line = line_of(values, value)
        if not isinstance(synonyms, list) or not synonyms:
            raise DataError(path, line, f"value '{value}' needs a non-empty list of phrases.",
                            f"write `{value}: [phrase one, phrase two]`.")
        for index, text in enumerate(synonyms):
            if not isinstance(text, str) or not text.strip():
                raise DataError(path, line_of(synonyms, index) or line,
                                f"value '{value}' has an empty or non-text phrase ({text!r}).",
                                "quote it if it is a number, or remove it.")
            yield Phrase(entity, str(value), text.strip()), line_of(synonyms, index) or line
    number_before = doc.get("number_before")
    if number_before is not None:
        if not isinstance(number_before, list) or not all(isinstance(w, str) and w.strip() for w in number_before):
            raise DataError(path, line_of(doc, "number_before"), "`number_before` must be a list of words.")
        vocabulary.number_before[entity] = [normalise(w) for w in number_before]


# Entities whose meaning is in the verb's form: "done" is not "do", "set it up" is not "setting it up",
# "stuck" is not "stick". Their phrases match as written (lower case), never by lemma.
TENSE_MATTERS = frozenset({"progress"})


def ruler_patterns(vocabulary: EntityVocabulary, tokenize, lemmatize) -> list[dict]:
    """spaCy entity-ruler patterns: each phrase by lower-case form and by lemma, with its value as id
    (by lower-case form only for the TENSE_MATTERS entities).

    `tokenize(text)` returns token strings and `lemmatize(token)` their lemma, both from the
    pipeline being built, so patterns split words exactly as the pipeline will.
    """
    patterns: list[dict] = []
    seen: set[str] = set()
    for phrase in vocabulary.phrases:
        if has_han(phrase.text):
            continue  # found as substrings (chinese_mentions)
        tokens = tokenize(phrase.text.lower())
        by = [("LOWER", tokens)]
        if phrase.entity not in TENSE_MATTERS:
            by.append(("LEMMA", [lemmatize(t) for t in tokens]))
        for attr, forms in by:
            pattern = [{attr: form} for form in forms]
            key = repr((phrase.entity, pattern))
            if key not in seen:
                seen.add(key)
                patterns.append({"label": phrase.entity, "pattern": pattern, "id": phrase.value})
    for entity, words in vocabulary.number_before.items():
        for word in words:
            if has_han(word):
                continue
            tail = [{"LOWER": t} for t in tokenize(word)]
            for number in ({"LIKE_NUM": True}, {"TEXT": {"REGEX": r"^\d+[kK]?$"}}):
                # "8 staff", and "2-person" written with a hyphen
                patterns.append({"label": entity, "pattern": [number, {"ORTH": "-", "OP": "?"}, *tail]})
    return patterns
