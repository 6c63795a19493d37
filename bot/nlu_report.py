"""Summarises `rasa test nlu` output: overall and per-intent accuracy, and what was confused."""
from __future__ import annotations

import json
from collections import Counter
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


def confusions(results_dir: Path) -> Counter:
    """(expected, predicted) intent pairs counted over intent_errors.json; most common first via .most_common()."""
    path = Path(results_dir) / "intent_errors.json"
    pairs: Counter = Counter()
    for error in json.loads(path.read_text()) if path.exists() else []:
        pairs[(error.get("intent"), (error.get("intent_prediction") or {}).get("name"))] += 1
    return pairs


def render_table(summary: dict, pairs: Counter, top: int = 5) -> str:
    """Per-intent precision, recall and F1, worst F1 first, then the most confused pairs."""
    lines = [f"{'intent':<28} {'precision':>9} {'recall':>6} {'F1':>5} {'support':>7}"]
    for name, s in sorted(summary["per_intent"].items(), key=lambda item: (item[1]["f1-score"], item[0])):
        lines.append(f"{name:<28} {s['precision']:>9.2f} {s['recall']:>6.2f} {s['f1-score']:>5.2f} {s['support']:>7}")
    lines.append(f"intent accuracy: {summary['intent_accuracy']:.3f}")
    if summary["topic_accuracy"] is not None:
        lines.append(f"FAQ topic accuracy (response selector): {summary['topic_accuracy']:.3f}")
    lines.append("most confused (expected -> predicted):" if pairs else "most confused: none")
    for (expected, predicted), count in pairs.most_common(top):
        lines.append(f"  {count:>3} x {expected} -> {predicted}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """`python -m bot.nlu_report RESULTS [--write FILE]`: the table for a `rasa test nlu` folder."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bot.nlu_report", description=main.__doc__)
    parser.add_argument("results", type=Path, help="the --out folder of `rasa test nlu` (or its cross-validation)")
    parser.add_argument("--write", type=Path, metavar="FILE", help="also write the table to FILE")
    parser.add_argument("--top", type=int, default=5, help="how many confused pairs to list")
    args = parser.parse_args(argv)
    text = render_table(summarise(args.results), confusions(args.results), args.top)
    print(text)
    if args.write:
        args.write.parent.mkdir(parents=True, exist_ok=True)
        args.write.write_text(text + "\n", encoding="utf-8")
        print(f"Written to {args.write}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
