"""Loads the trained model and writes what it computes, for tests/model/test_model_load.py.

    python tests/model/model_outputs.py rasa|patched OUT.json

`rasa` loads it Rasa's way (a training step on one example, then the weights); `patched` the way
`python -m bot rasa` does (bot/rasa_patches.py: weights restored as the prediction graph is built).
Written: every weight of every TensorFlow model (sum of absolute values), the parse of each held-out
sentence (intent, FAQ topic, their confidences) and TED's action probabilities on a few conversations.
"""
from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))

# Conversations whose next action TED is asked about: each a list of user messages.
CONVERSATIONS = [
    ["hello"],
    ["hi there", "what does internet plus mean"],
    ["I'd like some advice for my business", "we run a small bakery"],
    ["can you tell me about digital transformation", "tell me more", "thanks, bye"],
]


def outputs(agent) -> dict:
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.shared.nlu.training_data.loading import load_data

    async def parse(text: str) -> dict:
        return await agent.parse_message(text)

    def rounded(values) -> list[float]:
        return [round(float(v), 5) for v in values]

    parses = []
    for example in load_data(str(REPO_ROOT / "tests" / "nlu_heldout.yml")).intent_examples:
        result = asyncio.run(parse(example.get("text")))
        topics = result.get("response_selector", {}).get("faq", {}).get("response", {})
        parses.append([example.get("text"), result["intent"]["name"], round(result["intent"]["confidence"], 5),
                       topics.get("intent_response_key"), round(topics.get("confidence") or 0.0, 5)])

    models, ted = {}, None
    for name, node in agent.processor.graph_runner._instantiated_nodes.items():
        component = node._component
        if type(component).__name__ == "TEDPolicy":
            ted = component
        model = getattr(component, "model", None)
        if model is not None and hasattr(model, "weights"):
            models[name] = {w.name: round(float(abs(w.numpy()).sum()), 4) for w in model.weights}

    domain = agent.domain
    predictions = []
    for messages in CONVERSATIONS:
        events = [ActionExecuted("action_listen")]
        for text in messages:
            events += [UserUttered(text, parse_data=asyncio.run(parse(text))), ActionExecuted("action_listen")]
        tracker = DialogueStateTracker.from_events("model-outputs", events[:-1], slots=domain.slots)
        predictions.append(rounded(ted.predict_action_probabilities(tracker, domain).probabilities))
    return {"weights": models, "parses": parses, "ted": predictions}


def main() -> None:
    way, out = sys.argv[1], Path(sys.argv[2])
    from bot.rasa_patches import load_models_without_training_step, restore_warning_filters

    restore_warning_filters()
    if way == "patched":
        load_models_without_training_step()
    from rasa.core.agent import Agent

    agent = Agent.load(str(REPO_ROOT / "models" / "dx-advisor.tar.gz"))
    out.write_text(json.dumps(outputs(agent)))


if __name__ == "__main__":
    main()
