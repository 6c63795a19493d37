"""Entity vocabulary files: validation messages and the patterns they become."""
import textwrap

import pytest

from bot.nlu.vocabulary import load_vocabulary, ruler_patterns
from bot.paths import ENTITY_DIR
from bot.yaml_source import DataError


def write(tmp_path, name, text):
    (tmp_path / name).write_text(textwrap.dedent(text), encoding="utf-8")


def test_project_vocabulary_loads():
    vocabulary = load_vocabulary(ENTITY_DIR)
    entities = {p.entity for p in vocabulary.phrases}
    assert {"industry", "tool", "goal", "currency", "company_size"} <= entities
    assert vocabulary.canonical("industry", "Hair  Salon") == "beauty_and_wellness"
    assert vocabulary.canonical("tool", "excel") == "spreadsheet"
    assert vocabulary.canonical("tool", "no such tool") is None


def test_same_phrase_for_two_values_names_both_places(tmp_path):
    write(tmp_path, "a.yml", """\
        entity: industry
        values:
          retail: [shop]
        """)
    write(tmp_path, "b.yml", """\
        entity: tool
        values:
          online_shop: [web shop, shop]
        """)
    with pytest.raises(DataError) as err:
        load_vocabulary(tmp_path)
    message = str(err.value)
    assert "b.yml:3" in message and "a.yml:3" in message
    assert "'shop'" in message and "Fix:" in message


@pytest.mark.parametrize(
    "text, expected",
    [
        ("entity: Bad Name\nvalues:\n  x: [y]\n", "entity name"),
        ("entity: tool\nvalues:\n  spreadsheet: excel\n", "needs a non-empty list"),
        ("entity: tool\nvalues:\n  spreadsheet: [excel, '']\n", "empty or non-text"),
        ("entity: tool\nvalue:\n  spreadsheet: [excel]\n", "unknown key 'value'"),
        ("entity: tool\nvalues: [\n", "YAML syntax error"),
    ],
)
def test_broken_files_are_rejected_with_a_clear_message(tmp_path, text, expected):
    write(tmp_path, "broken.yml", text)
    with pytest.raises(DataError, match=expected) as err:
        load_vocabulary(tmp_path)
    assert "broken.yml" in str(err.value)


def test_patterns_cover_lower_case_and_lemma_forms():
    vocabulary = load_vocabulary(ENTITY_DIR)
    patterns = ruler_patterns(vocabulary, tokenize=str.split, lemmatize=lambda t: t.rstrip("s"))
    cash = [p for p in patterns if p.get("id") == "cash_register"]
    assert {"label": "tool", "pattern": [{"LOWER": "cash"}, {"LOWER": "register"}], "id": "cash_register"} in cash
    assert any(p["pattern"][0] == {"LEMMA": "cash"} for p in cash)
    heads = [p for p in patterns if p["label"] == "company_size" and "id" not in p]
    assert any(p["pattern"][2:] == [{"LOWER": "staff"}] for p in heads)
