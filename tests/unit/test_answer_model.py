"""The answer model: owners' answers in their own words, trained from data/answers/, measured on
tests/owner_answers_heldout.yml (never trained on)."""
import pytest

from bot.nlu.answer_model import AnswerModel, Example, answer_models, load_answers
from bot.nlu.vocabulary import load_vocabulary
from bot.paths import ENTITY_DIR
from bot.trainer.answer_report import FLOOR, HELDOUT, evaluate, load_heldout, render, vocabulary_reader
from bot.yaml_source import DataError

VOCABULARY = load_vocabulary(ENTITY_DIR)


@pytest.fixture(scope="module")
def reports():
    read = vocabulary_reader()
    return {language: evaluate(load_heldout(path), read) for language, path in HELDOUT.items()}


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("slot", ["goal", "industry"])
def test_held_out_owner_answers_meet_the_floor(reports, language, slot):
    report = reports[language][slot]
    assert report.total >= 80
    assert report.accuracy >= FLOOR, render({slot: report})


@pytest.mark.parametrize("text, goal", [
    ("our presses keep stopping and we miss deadlines", "less_downtime"),
    ("we want to stop selling through wholesalers", "sell_direct"),
    ("clients don't turn up for their bookings", "fewer_no_shows"),
    ("pricing jobs takes me all weekend", "quotes_and_invoices"),
    ("we never know how much cash we have", "cash_flow"),
    ("machines break down and we lose orders", "less_downtime"),
])
def test_the_answers_from_the_user_trial_are_understood(text, goal):
    read = vocabulary_reader()
    assert (read("goal", text) or answer_models()["goal"].guess(text).value) == goal


def test_the_same_data_trains_the_same_model():
    examples = [Example("we bake bread", "food_service", 1), Example("we fix cars", "other", 2),
                Example("i sell shoes", "retail", 3), Example("we bake cakes daily", "food_service", 4)]
    first, second = AnswerModel("industry", examples), AnswerModel("industry", examples)
    assert first.guess("a little bakery").confidence == second.guess("a little bakery").confidence


def test_nonsense_gets_no_answer_rather_than_a_guess():
    for text in ("", "   ", "asdf qwerty zxcv", "hmm"):
        assert answer_models()["goal"].guess(text).value is None, text


def write(tmp_path, body):
    path = tmp_path / "goals.yml"
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.parametrize("body, problem, line", [
    ("slot: goal\nanswers:\n  world_peace:\n    - everyone gets along\n", "unknown goal 'world_peace'", 3),
    ("slot: goal\nanswers:\n  save_time:\n    - too much paperwork\n    - Too much paperwork!\n",
     "is listed twice (first at line 4)", 5),
    ("slot: goal\nanswers:\n  save_time:\n    - ''\n", "is empty or not text", 4),
    ("slot: goal\nanswers:\n  save_time:\n    - " + "x" * 201 + "\n", "over 200 characters", 4),
    ("slot: colour\nanswers: {}\n", "needs `slot:`", None),
])
def test_a_broken_answers_file_names_the_line_and_the_fix(tmp_path, body, problem, line):
    path = write(tmp_path, body)
    with pytest.raises(DataError) as err:
        load_answers(path, VOCABULARY)
    assert problem in str(err.value) and err.value.line == line and "Fix:" in str(err.value)


def test_a_negated_mention_is_not_the_answer_and_a_correction_is():
    from bot.nlu.answer_model import chosen_mention

    text = "we're a cafe, not a shop"
    assert chosen_mention(text, [("food_service", text.index("cafe")), ("retail", text.index("shop"))]) == "food_service"
    text = "a shop, no wait, a cafe"
    assert chosen_mention(text, [("retail", text.index("shop")), ("food_service", text.index("cafe"))]) == "food_service"


def test_the_held_out_file_reads_with_lines():
    items = load_heldout()
    assert {item.slot for item in items} == {"goal", "industry"}
    assert all(item.line for item in items)


def test_the_trained_models_are_kept_by_a_fingerprint_of_their_inputs(tmp_path):
    import shutil

    from bot.paths import DATA_DIR

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR / "answers", data / "answers")
    shutil.copytree(DATA_DIR / "entities", data / "entities")
    cache = tmp_path / "cache"
    first = answer_models(data / "answers", cache)
    [kept] = list(cache.glob("*.pickle"))
    answer_models.cache_clear()
    again = answer_models(data / "answers", cache)  # read back, not trained again
    assert again["goal"].guess("we lose money on every late delivery") == first["goal"].guess(
        "we lose money on every late delivery")
    goals = data / "answers" / "goals.yml"
    goals.write_text(goals.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # changed inputs: trained anew
    answer_models.cache_clear()
    answer_models(data / "answers", cache)
    assert [p.name for p in cache.glob("*.pickle")] != [kept.name] and len(list(cache.glob("*.pickle"))) == 1
    answer_models.cache_clear()
