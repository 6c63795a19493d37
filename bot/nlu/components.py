"""Our custom Rasa NLU components: thin wrappers over the pure modules of bot.nlu.

CanonicalEntityExtractor reports the canonical key of what our spaCy entity ruler matched
("bakeries" -> "food_service"), so slots hold the values the catalogue uses; matches without a
key (head counts like "8 staff") keep their text. Rasa's SpacyEntityExtractor would return the
matched words.

InputScreen runs last in the NLU pipeline. For an empty, symbol-only, foreign-language or
unknown-command message it sets the intent to `nlu_fallback` and adds an `input_problem`
entity, so the fallback action can answer the actual problem (bot.nlu.input_screen decides).

TopicGate runs after the ResponseSelector: a FAQ question whose topic score is low, or close to
the second topic's, becomes `nlu_fallback`, so the owner is asked "did you mean ...?" instead of
getting a confident wrong answer (bot.nlu.clarify decides; thresholds in config.yml).

IntentGuard runs after the intent classifier and the fallback: "our presses keep stopping" is
`inform`, not `stop` (bot.nlu.intent_guard decides, with the answer model's confidence).

MixedTokenizer is spaCy's tokenizer with every token that holds Chinese split again into words
(bot.nlu.tokenizer says why), so one model understands English, Chinese and both mixed.

LanguageTagger runs last: it adds a `language` entity ("en" or "zh") when the message is written in
one language only, or asks for one ("说中文"); the `language` slot follows it (bot.nlu.language).

config.yml names them as bot.nlu.components.MixedTokenizer, ...CanonicalEntityExtractor, ...TopicGate,
...IntentGuard, ...InputScreen and ...LanguageTagger.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import RESPONSE_SELECTOR_PROPERTY_NAME, SPACY_DOCS
from rasa.nlu.extractors.spacy_entity_extractor import SpacyEntityExtractor
from rasa.nlu.tokenizers.spacy_tokenizer import SpacyTokenizer
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.handoff.contact import may_hold_contact
from bot.names import Entities, Intents
from bot.nlu.clarify import topic_is_unsure
from bot.nlu.input_screen import screen
from bot.nlu.intent_guard import OVERRULED, corrected_intent, second_choice
from bot.nlu.language import requested_language, script_language
from bot.nlu.tokenizer import project_words, segmenter_for, split_token
from bot.nlu.vocabulary import EntityVocabulary, chinese_head_counts, chinese_mentions, load_vocabulary
from bot.paths import DATA_DIR


@lru_cache(maxsize=1)
def _vocabulary() -> EntityVocabulary:
    return load_vocabulary(DATA_DIR / "entities")


class _Untrained(GraphComponent):
    """A component with nothing to train or store: built from its config alone."""

    def __init__(self, config: Optional[Dict[Text, Any]] = None) -> None:
        self.config = config or {}

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GraphComponent:
        return cls(config)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class MixedTokenizer(SpacyTokenizer):
    """spaCy's tokens, each one that holds Chinese split into jieba's words."""

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[str]:
        # How Chinese is split (tokenizer.py, the jieba release, the words it keeps whole from data/) is not
        # in the graph: a change must retrain what follows the tokenizer.
        from importlib.metadata import version

        from bot.nlu import tokenizer

        source = Path(tokenizer.__file__).read_bytes() + version("jieba").encode()
        return hashlib.sha256(source + "\n".join(project_words()).encode()).hexdigest()

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        tokens = super().tokenize(message, attribute)
        segmenter = segmenter_for(project_words())
        split = []
        for token in tokens:
            pieces = split_token(token.text, token.start, segmenter)
            if len(pieces) == 1 and pieces[0][0] == token.text:
                split.append(token)
            else:
                split.extend(Token(word, start, lemma=word.lower()) for word, start in pieces)
        return split


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False, model_from="SpacyNLP"
)
class CanonicalEntityExtractor(SpacyEntityExtractor):
    """Entities from our spaCy entity ruler, by canonical key."""

    def process(self, messages: List[Message], model: SpacyModel) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            lowered = text.lower()
            # The lemma tables are lower case; lower-casing keeps offsets unless it changes length.
            # SpacyNLP (case_sensitive: false) has already parsed the lower-cased text: reuse it.
            same_offsets = len(lowered) == len(text)
            doc = message.get(SPACY_DOCS[TEXT]) if same_offsets else None
            if doc is None or doc.text != lowered:
                doc = model.model(lowered if same_offsets else text)
            found = self.add_extractor_name(
                [
                    {
                        "entity": ent.label_,
                        "value": ent.ent_id_ or text[ent.start_char:ent.end_char],
                        "start": ent.start_char,
                        "end": ent.end_char,
                        "confidence": None,
                    }
                    for ent in doc.ents
                ]
            )
            found += [m for m in self._chinese(text) if not any(m["start"] < f["end"] and f["start"] < m["end"] for f in found)]
            message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)
        return messages

    def _chinese(self, text: str) -> List[Dict[Text, Any]]:
        """In Chinese text: phrases of data/entities (by key), and head counts like "80名工人" (by text)."""
        vocabulary = _vocabulary()
        mentions = [(m.entity, m.value, m.start, m.end) for m in chinese_mentions(text, vocabulary)]
        mentions += [(entity, text[start:end], start, end) for entity, start, end in chinese_head_counts(text, vocabulary)]
        return self.add_extractor_name(
            [{"entity": entity, "value": value, "start": start, "end": end, "confidence": None}
             for entity, value, start, end in mentions])


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class InputScreen(_Untrained):
    """Unusable messages go to the fallback, with the reason as an `input_problem` entity."""

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            problem = screen(message.get(TEXT))
            if problem is None:
                continue
            verdict = {"name": Intents.FALLBACK, "confidence": 1.0}
            message.set(INTENT, verdict, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [verdict], add_to_output=True)
            entity = {
                "entity": Entities.INPUT_PROBLEM,
                "value": problem.value,
                "start": 0,
                "end": 0,
                "extractor": self.__class__.__name__,
            }
            message.set(ENTITIES, [entity], add_to_output=True)
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class TopicGate(_Untrained):
    """A FAQ answer goes out only when its topic is clear; otherwise the fallback asks which was meant."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"topic_threshold": 0.5, "ambiguity_threshold": 0.1}

    def __init__(self, config: Optional[Dict[Text, Any]] = None) -> None:
        config = {**self.get_default_config(), **(config or {})}
        self.threshold = float(config["topic_threshold"])
        self.ambiguity = float(config["ambiguity_threshold"])

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            if intent.get("name") != Intents.FAQ:
                continue
            parse = {"response_selector": message.get(RESPONSE_SELECTOR_PROPERTY_NAME) or {}}
            if topic_is_unsure(parse, self.threshold, self.ambiguity):
                # the ranking keeps `faq` first, so "did you mean" can offer its likeliest topics
                message.set(INTENT, {"name": Intents.FALLBACK, "confidence": intent.get("confidence")},
                            add_to_output=True)
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class IntentGuard(_Untrained):
    """Turns a `stop`, `deny`, `out_of_scope` or `bot_challenge` that is really an owner's answer into `inform`, and a
    message that gives a contact into `talk_to_person` (bot/nlu/intent_guard.py)."""

    def __init__(self, config: Optional[Dict[Text, Any]] = None) -> None:
        from bot.nlu.answer_model import answer_models

        answer_models()  # trained here, at model load (about a second), never on a user's message

    def process(self, messages: List[Message]) -> List[Message]:
        from bot.nlu.answer_model import answer_models

        for message in messages:
            intent = (message.get(INTENT) or {}).get("name")
            text = message.get(TEXT) or ""
            said_progress = any(e.get("entity") == Entities.PROGRESS for e in message.get(ENTITIES) or [])
            instead = second_choice(intent, said_progress, message.get(INTENT_RANKING_KEY) or [])
            if instead:
                intent = instead[0]
                self._set(message, *instead)
            if intent not in OVERRULED and not may_hold_contact(text):
                continue  # the common case costs a regular expression
            guessed = intent in OVERRULED
            confidence = max((model.guess(text).confidence for model in answer_models().values()), default=0.0) \
                if guessed else 0.0
            corrected = corrected_intent(intent, text, confidence)
            if corrected:
                self._set(message, corrected, max(confidence, 0.5))
        return messages

    @staticmethod
    def _set(message: Message, intent: str, confidence: float) -> None:
        """`intent` as the message's intent, first in its ranking."""
        verdict = {"name": intent, "confidence": confidence}
        ranking = [verdict] + [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != intent]
        message.set(INTENT, verdict, add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class LanguageTagger(_Untrained):
    """A `language` entity when the message is in one language or asks for one; the slot follows it."""

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            intent = (message.get(INTENT) or {}).get("name")
            entities = message.get(ENTITIES) or []
            if any(e.get("entity") == Entities.INPUT_PROBLEM for e in entities):
                continue  # another language, code, emoji: it says nothing about ours
            # "switch language" with no language named leaves the slot as it is: the reply offers both
            language = requested_language(text) if intent == Intents.SWITCH_LANGUAGE else script_language(text)
            if language:
                entity = {"entity": Entities.LANGUAGE, "value": language, "start": 0, "end": len(text),
                          "extractor": self.__class__.__name__}
                message.set(ENTITIES, entities + [entity], add_to_output=True)
        return messages
