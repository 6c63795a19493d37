"""The worked examples in docs/TRAINING.md, applied to a copy of the project, pass `make validate`'s checks.

A trainer copies these blocks as they are, so a guide that drifts from the data formats fails here.
"""
import re
import shutil

import pytest

from bot.paths import REPO_ROOT
from bot.trainer.validate import validate_project

GUIDE = (REPO_ROOT / "docs" / "TRAINING.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```(?:yaml)?\n(.*?)```", GUIDE, flags=re.S)


def block(starting_with: str) -> str:
    found = [text for text in BLOCKS if text.lstrip().startswith(starting_with)]
    assert found, f"no example in docs/TRAINING.md starts with {starting_with!r}"
    return found[0]


def append(path, text):
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("\n" + text)


@pytest.fixture
def project(tmp_path):
    shutil.copy(REPO_ROOT / "domain.yml", tmp_path / "domain.yml")
    shutil.copytree(REPO_ROOT / "data", tmp_path / "data")
    (tmp_path / "tests" / "stories").mkdir(parents=True)
    return tmp_path


def test_faq_catalogue_industry_and_test_conversation_examples_validate(project):
    data = project / "data"
    append(data / "nlu" / "faq.yml", block("- intent: faq/cloud_computing\n  examples: |\n    - what is cloud computing"))
    append(data / "responses" / "faq.yml", block("utter_faq/cloud_computing:"))
    append(data / "clarify.yml", block("cloud_computing: {title"))  # "did you mean" offers the new topic
    # The guide's step is the catalogue's own online_booking; as a trainer's new step it needs a new id.
    append(data / "catalogue" / "steps.yml", block("- id: online_booking").replace("id: online_booking", "id: guide_step"))
    industries = data / "entities" / "industries.yml"
    industry_line = block("automotive:")
    industries.write_text(industries.read_text(encoding="utf-8").replace("values:\n", "values:\n" + industry_line, 1),
                          encoding="utf-8")
    append(data / "advice" / "replies.yml", block("automotive: car repair"))  # its label, at the end of `labels:`
    (project / "tests" / "stories" / "test_guide.yml").write_text(
        'version: "3.1"\nstories:\n' + block("- story: emoji only"), encoding="utf-8")
    assert [str(problem) for problem in validate_project(project)] == []


def test_rule_example_needs_what_the_guide_says_it_needs(project):
    append(project / "data" / "rules" / "basics.yml", block("- rule: say where we are"))
    found = [str(problem) for problem in validate_project(project)]
    assert any("intent 'ask_location' is not listed in domain.yml" in message for message in found)
    assert any("action 'utter_location' does not exist" in message for message in found)


def test_the_new_goal_example_validates_and_the_answer_model_learns_it(project):
    data = project / "data"

    def insert_after(path, marker, text):
        content = path.read_text(encoding="utf-8")
        assert marker in content, marker
        path.write_text(content.replace(marker, marker + text, 1), encoding="utf-8")

    insert_after(data / "entities" / "goals.yml", "values:\n", block("more_reviews: ["))
    append(data / "advice" / "replies.yml", block("more_reviews: more good reviews"))
    insert_after(data / "answers" / "goals.yml", "answers:\n", block("more_reviews:\n"))
    steps = data / "catalogue" / "steps.yml"
    content = steps.read_text(encoding="utf-8")
    at = content.index("id: map_listing")
    served = content.index("goals: [more_customers, customer_retention]", at)
    steps.write_text(content[:served] + "goals: [more_customers, customer_retention, more_reviews]"
                     + content[served + len("goals: [more_customers, customer_retention]"):], encoding="utf-8")
    assert [str(problem) for problem in validate_project(project)] == []

    from bot.nlu.answer_model import answer_models

    model = answer_models(data / "answers", None)["goal"]  # no cache: the project's own stays as it is
    assert all("more_reviews" in pipeline.classes_ for pipeline in model.pipelines.values())
