"""Our Rasa NLU components, run directly on messages."""
import spacy
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.components import CanonicalEntityExtractor, InputScreen
from bot.nlu.spacy_pipeline import ensure_pipeline
from bot.paths import ENTITY_DIR, SPACY_PIPELINE_DIR


def test_entities_carry_canonical_values():
    ensure_pipeline(ENTITY_DIR, SPACY_PIPELINE_DIR)
    model = SpacyModel(model=spacy.load(SPACY_PIPELINE_DIR), model_name=str(SPACY_PIPELINE_DIR))
    extractor = CanonicalEntityExtractor({"dimensions": None})
    text = "We run two Bakeries with 8 staff and use Excel"
    [message] = extractor.process([Message({"text": text})], model)
    found = {(e["entity"], e["value"], text[e["start"]:e["end"]]) for e in message.get("entities")}
    assert found == {
        ("industry", "food_service", "Bakeries"),
        ("company_size", "8 staff", "8 staff"),
        ("tool", "spreadsheet", "Excel"),
    }


def test_input_screen_routes_unusable_messages_to_the_fallback():
    screen = InputScreen()
    good, emoji = Message({"text": "what is internet+", "intent": {"name": "faq", "confidence": 0.9}}), Message({"text": "👍"})
    screen.process([good, emoji])
    assert good.get("intent")["name"] == "faq"
    assert emoji.get("intent") == {"name": "nlu_fallback", "confidence": 1.0}
    assert emoji.get("entities")[0]["entity"] == "input_problem"
    assert emoji.get("entities")[0]["value"] == "symbols_only"
