"""Rasa NLU component that routes unusable messages to the fallback with a reason.

It runs last in the NLU pipeline. For an empty, symbol-only, foreign-language or
unknown-command message it sets the intent to `nlu_fallback` and adds an
`input_problem` entity, so the fallback action can answer the actual problem.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.input_screen import FALLBACK_INTENT, PROBLEM_ENTITY, screen


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class InputScreen(GraphComponent):
    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "InputScreen":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            problem = screen(message.get(TEXT))
            if problem is None:
                continue
            verdict = {"name": FALLBACK_INTENT, "confidence": 1.0}
            message.set(INTENT, verdict, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [verdict], add_to_output=True)
            entity = {
                "entity": PROBLEM_ENTITY,
                "value": problem.value,
                "start": 0,
                "end": 0,
                "extractor": self.__class__.__name__,
            }
            message.set(ENTITIES, [entity], add_to_output=True)
        return messages
