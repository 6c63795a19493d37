"""Entity extractor for our spaCy entity ruler that reports canonical values.

Rasa's SpacyEntityExtractor returns the matched words ("bakeries"); this one returns the
canonical key the ruler pattern carries ("food_service"), so slots hold the values the
catalogue uses. Matches without a key (head counts like "8 staff") keep their text.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import SPACY_DOCS
from rasa.nlu.extractors.spacy_entity_extractor import SpacyEntityExtractor
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False, model_from="SpacyNLP"
)
class CanonicalEntityExtractor(SpacyEntityExtractor):
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
            message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)
        return messages
