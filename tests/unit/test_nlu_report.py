"""The trainer's NLU report over a `rasa test nlu` results folder (fixture JSON in Rasa's format)."""
import json

import pytest

from bot.__main__ import main
from bot.trainer.nlu_report import render, summarise


def scores(precision, recall, support, confused=None):
    f1 = 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
    return {"precision": precision, "recall": recall, "f1-score": f1, "support": support,
            "confused_with": confused or {}}


@pytest.fixture
def results(tmp_path):
    files = {
        "intent_report.json": {
            "greet": scores(1.0, 1.0, 4), "deny": scores(0.5, 1.0, 2), "faq": scores(1.0, 0.75, 4),
            "accuracy": 0.8, "macro avg": scores(0.8, 0.9, 10), "weighted avg": scores(0.8, 0.9, 10),
        },
        "intent_errors.json": [
            {"text": "nah skip it", "intent": "faq", "intent_prediction": {"name": "deny", "confidence": 0.6}},
        ],
        "response_selection_report.json": {
            "faq/cloud_computing": scores(0.5, 0.5, 2), "faq/what_is_internet_plus": scores(1.0, 1.0, 2),
            "accuracy": 0.75,
        },
        "response_selection_errors.json": [
            {"text": "what is the cloud", "intent_response_key_target": "faq/cloud_computing",
             "intent_response_key_prediction": {"name": "faq/what_is_internet_plus", "confidence": 0.5}},
        ],
    }
    for name, content in files.items():
        (tmp_path / name).write_text(json.dumps(content), encoding="utf-8")
    return tmp_path


def table_rows(text, first_column):
    return [line.split()[0] for line in text.splitlines() if line.split()[:1] and line.split()[0] in first_column]


def test_intents_and_faq_topics_each_get_a_table_worst_f1_first(results):
    text = render(summarise(results))
    assert table_rows(text, {"greet", "deny", "faq"}) == ["deny", "faq", "greet"]
    assert table_rows(text, {"faq/cloud_computing", "faq/what_is_internet_plus"}) == [
        "faq/cloud_computing", "faq/what_is_internet_plus"]
    assert "macro" not in text and "weighted" not in text
    assert "intent accuracy: 0.800, too low (below the floor of 0.85)" in text
    assert "FAQ topic accuracy: 0.750, too low" in text


def test_a_new_topic_row_shows_its_precision_recall_f1_and_support(results):
    row = next(line for line in render(summarise(results)).splitlines() if line.startswith("faq/cloud_computing"))
    assert row.split()[1:5] == ["0.50", "0.50", "0.50", "2"]
    assert row.endswith("only 2: means little, add test sentences")


def test_confused_pairs_cover_intents_and_topics_and_misses_are_optional(results):
    summary = summarise(results)
    text = render(summary)
    assert "1 x faq -> deny: 'nah skip it'" in text
    assert "1 x faq/cloud_computing -> faq/what_is_internet_plus: 'what is the cloud'" in text
    assert "missed:" not in text
    misses = render(summary, show_misses=True).split("missed, by what each should have been")[1].splitlines()[1:]
    assert misses == ["  faq:", "    missed: 'nah skip it' got deny",
                      "  faq/cloud_computing:", "    missed: 'what is the cloud' got faq/what_is_internet_plus"]


def test_folder_without_topics_or_errors_still_reports_intents(tmp_path):
    (tmp_path / "intent_report.json").write_text(json.dumps({"greet": scores(1, 1, 3), "accuracy": 1.0}))
    text = render(summarise(tmp_path))
    assert "greet" in text and "FAQ topic" not in text and "most confused: none" in text


def test_cli_fails_below_the_floor_and_on_a_missing_folder(results, tmp_path, capsys):
    assert main(["nlu-report", str(results), "--min-accuracy", "0.7"]) == 0
    assert main(["nlu-report", str(results), "--min-accuracy", "0.9"]) == 1
    assert "below the floor of 0.9" in capsys.readouterr().err
    assert main(["nlu-report", str(tmp_path / "absent")]) == 1
    err = capsys.readouterr().err
    assert "run `rasa test nlu` first" in err and "Traceback" not in err


@pytest.mark.parametrize("value, verdict", [(0.95, "good (at or above 0.9)"),
                                            (0.87, "acceptable (below 0.9, above the floor of 0.85)"),
                                            (0.5, "too low (below the floor of 0.85)")])
def test_each_figure_is_read_against_the_thresholds_it_names(value, verdict):
    from bot.trainer.nlu_report import reading

    assert reading("intent accuracy", value).startswith(f"intent accuracy: {value:.3f}, {verdict}")


def test_a_well_tested_weak_class_is_pointed_at_its_misses(tmp_path):
    (tmp_path / "intent_report.json").write_text(json.dumps({"greet": scores(0.6, 0.6, 10), "accuracy": 0.6}))
    row = next(line for line in render(summarise(tmp_path)).splitlines() if line.startswith("greet"))
    assert row.endswith("weak (F1 below 0.8): see its misses below")
