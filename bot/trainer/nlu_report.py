"""Summarises a `rasa test nlu` results folder for trainers, saying what each figure means.

Two tables, worst first: intents (DIETClassifier) and FAQ topics (ResponseSelector), each with
precision, recall, F1 and support, and a flag on classes with too few test sentences to mean much.
Then each accuracy read against the thresholds below, the most confused pairs with example
sentences, and (with show_misses) every missed sentence grouped by the class it should have been.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

# Rows of Rasa's sklearn-style reports that are totals, not labels.
_TOTAL_ROWS = {"accuracy", "macro avg", "weighted avg", "micro avg"}
# What the figures are read against. GOOD: the assistant answers well; FLOOR: `make test` fails below
# it (held-out intents, scripts/test_model.sh); WEAK_F1: a class to work on; FEW: too few sentences.
GOOD, FLOOR, WEAK_F1, FEW = 0.90, 0.85, 0.80, 5


def _read_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def _label_scores(report: dict | None) -> dict:
    return {name: scores for name, scores in (report or {}).items()
            if name not in _TOTAL_ROWS and isinstance(scores, dict) and "support" in scores}


def _errors(path: Path, expected_key: str, predicted_key: str) -> list[tuple[str, str, str]]:
    """(text, expected, predicted) for each misclassified example in a Rasa *_errors.json file."""
    return [(error["text"], error.get(expected_key), (error.get(predicted_key) or {}).get("name"))
            for error in _read_json(path) or []]


def summarise(results_dir: Path) -> dict:
    """Scores per intent and per FAQ topic, both accuracies, and the misclassified examples."""
    results_dir = Path(results_dir)
    intents = _read_json(results_dir / "intent_report.json")
    if intents is None:
        raise FileNotFoundError(f"{results_dir / 'intent_report.json'} is missing: run `rasa test nlu` first.")
    topics = _read_json(results_dir / "response_selection_report.json")
    return {
        "intent_accuracy": intents.get("accuracy", 0.0),
        "topic_accuracy": topics.get("accuracy") if topics else None,
        "per_intent": _label_scores(intents),
        "per_topic": _label_scores(topics),
        "intent_errors": _errors(results_dir / "intent_errors.json", "intent", "intent_prediction"),
        "topic_errors": _errors(results_dir / "response_selection_errors.json",
                                "intent_response_key_target", "intent_response_key_prediction"),
    }


def _score_table(title: str, scores: dict) -> list[str]:
    width = max([len(title), *map(len, scores)])
    lines = [f"{title:<{width}} {'precision':>9} {'recall':>6} {'F1':>5} {'support':>7}"]
    for name, s in sorted(scores.items(), key=lambda item: (item[1]["f1-score"], item[0])):
        note = ""
        if s["support"] < FEW:
            note = f"  only {s['support']}: means little, add test sentences"
        elif s["f1-score"] < WEAK_F1:
            note = f"  weak (F1 below {WEAK_F1}): see its misses below"
        lines.append(f"{name:<{width}} {s['precision']:>9.2f} {s['recall']:>6.2f} {s['f1-score']:>5.2f} "
                     f"{s['support']:>7}{note}")
    return lines


def reading(name: str, value: float) -> str:
    """One line: the figure, and what it means against the thresholds."""
    if value >= GOOD:
        verdict = f"good (at or above {GOOD})"
    elif value >= FLOOR:
        verdict = f"acceptable (below {GOOD}, above the floor of {FLOOR}): look at the misses"
    else:
        verdict = f"too low (below the floor of {FLOOR}): fix the most confused pairs first"
    return f"{name}: {value:.3f}, {verdict}"


def render(summary: dict, top: int = 5, show_misses: bool = False) -> str:
    """Both tables, the accuracies read, the `top` most confused pairs with examples and, if asked,
    every missed example grouped by what it should have been."""
    lines = _score_table("intent", summary["per_intent"])
    lines.append(reading("intent accuracy", summary["intent_accuracy"]))
    if summary["per_topic"]:
        lines.append("")
        lines += _score_table("FAQ topic (after intent faq)", summary["per_topic"])
        lines.append(reading("FAQ topic accuracy", summary["topic_accuracy"]))
    errors = summary["intent_errors"] + summary["topic_errors"]
    pairs = Counter((expected, predicted) for _, expected, predicted in errors)
    lines.append("")
    lines.append("most confused (expected -> predicted), with examples:" if pairs else "most confused: none")
    for (expected, predicted), count in pairs.most_common(top):
        examples = [text for text, e, p in errors if (e, p) == (expected, predicted)][:2]
        lines.append(f"  {count:>3} x {expected} -> {predicted}: " + "; ".join(repr(t) for t in examples))
    if show_misses and errors:
        lines += ["", "missed, by what each should have been (teach these meanings with other phrasings):"]
        for expected in sorted({e for _, e, _ in errors}, key=str):
            lines.append(f"  {expected}:")
            lines += [f"    missed: {text!r} got {predicted}" for text, e, predicted in errors if e == expected]
    return "\n".join(lines)
