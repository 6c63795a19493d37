"""Summarises `rasa test nlu` output: overall and per-intent accuracy, and what was confused."""
from __future__ import annotations

import json
from pathlib import Path


def summarise(results_dir: Path) -> dict:
    """Intent accuracy, FAQ-topic accuracy and the misclassified examples."""
    intents = json.loads((results_dir / "intent_report.json").read_text())
    topics_path = results_dir / "response_selection_report.json"
    topics = json.loads(topics_path.read_text()) if topics_path.exists() else {}
    errors = []
    for name, key, label in (("intent_errors.json", "intent", "intent_prediction"),
                             ("response_selection_errors.json", "intent_response_key_target",
                              "intent_response_key_prediction")):
        path = results_dir / name
        for error in json.loads(path.read_text()) if path.exists() else []:
            errors.append((error["text"], error.get(key), (error.get(label) or {}).get("name")))
    per_intent = {
        name: scores for name, scores in intents.items()
        if isinstance(scores, dict) and "support" in scores and name not in ("macro avg", "weighted avg", "micro avg")
    }
    return {
        "intent_accuracy": intents.get("accuracy", 0.0),
        "topic_accuracy": topics.get("accuracy"),
        "per_intent": per_intent,
        "errors": errors,
    }


def render(summary: dict) -> str:
    lines = [f"{'intent':<28} {'support':>7} {'F1':>6}"]
    for name, scores in sorted(summary["per_intent"].items()):
        lines.append(f"{name:<28} {scores['support']:>7} {scores['f1-score']:>6.2f}")
    lines.append(f"intent accuracy: {summary['intent_accuracy']:.3f}")
    if summary["topic_accuracy"] is not None:
        lines.append(f"FAQ topic accuracy (response selector): {summary['topic_accuracy']:.3f}")
    for text, expected, predicted in summary["errors"]:
        lines.append(f"  missed: {text!r} expected {expected}, got {predicted}")
    return "\n".join(lines)
