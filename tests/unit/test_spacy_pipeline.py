"""The spaCy pipeline built from spacy.blank("en") and our entity files."""
import shutil

import pytest
import spacy

from bot.paths import ENTITY_DIR
from bot.nlu.spacy_pipeline import ensure_pipeline


@pytest.fixture(scope="module")
def pipeline_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("spacy") / "pipeline"
    assert ensure_pipeline(ENTITY_DIR, out) is True
    return out


@pytest.fixture(scope="module")
def nlp(pipeline_dir):
    return spacy.load(pipeline_dir)


def entities(nlp, text):
    return [(e.text, e.label_, e.ent_id_) for e in nlp(text.lower()).ents]


def test_rebuild_is_skipped_when_nothing_changed(pipeline_dir):
    assert ensure_pipeline(ENTITY_DIR, pipeline_dir) is False


def test_changed_entity_file_triggers_rebuild(tmp_path, pipeline_dir):
    entity_dir = tmp_path / "entities"
    shutil.copytree(ENTITY_DIR, entity_dir)
    out = tmp_path / "pipeline"
    assert ensure_pipeline(entity_dir, out) is True
    with open(entity_dir / "tools.yml", "a", encoding="utf-8") as handle:
        handle.write("  project_board: [trello]\n")
    assert ensure_pipeline(entity_dir, out) is True
    assert ("trello", "tool", "project_board") in entities(spacy.load(out), "we use trello")


def test_finds_several_entities_in_one_sentence(nlp):
    found = entities(nlp, "We're a bakery with 8 staff, we use paper and Excel and want more customers")
    assert ("bakery", "industry", "food_service") in found
    assert ("8 staff", "company_size", "") in found
    assert ("paper", "tool", "paper") in found
    assert ("excel", "tool", "spreadsheet") in found
    assert ("more customers", "goal", "more_customers") in found


def test_plurals_match_through_lemmas(nlp):
    assert ("bakeries", "industry", "food_service") in entities(nlp, "we run two bakeries")


def test_longest_phrase_wins(nlp):
    assert entities(nlp, "a small hair salon") == [("hair salon", "industry", "beauty_and_wellness")]


def test_a_trade_followed_by_shop_is_the_trade_not_retail(nlp):
    # "shop" alone means retail; the longer listed phrase must win for a barber's.
    assert entities(nlp, "we run a barber shop") == [("barber shop", "industry", "beauty_and_wellness")]


def test_number_words_count_as_head_count(nlp):
    assert ("eight employees", "company_size", "") in entities(nlp, "we have eight employees")


def test_lemmatizer_comes_from_lookup_tables(nlp):
    assert [t.lemma_ for t in nlp("companies were transforming")] == ["company", "be", "transform"]


def test_progress_matches_as_written_since_its_meaning_is_in_the_verbs_form(nlp):
    assert entities(nlp, "what should I do first") == []  # "do" is not "done"
    assert entities(nlp, "we're setting it up") == []  # nor "set it up"
    assert ("done", "progress", "done") in entities(nlp, "it's done")
    assert ("got stuck", "progress", "stuck") in entities(nlp, "we got stuck")
