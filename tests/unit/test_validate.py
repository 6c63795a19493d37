"""Project-level checks that Rasa's validator does not do."""
import shutil
import textwrap

import pytest

from bot.paths import REPO_ROOT
from bot.trainer.validate import validate_project


@pytest.fixture
def project(tmp_path):
    for name in ("domain.yml",):
        shutil.copy(REPO_ROOT / name, tmp_path / name)
    shutil.copytree(REPO_ROOT / "data", tmp_path / "data")
    return tmp_path


def messages(root, translations=False):
    """Every problem `make validate` reports; without the missing-Chinese ones (tests/unit/test_translations.py
    covers those) unless asked, since a test's new English-only example always has them."""
    found = [str(p) for p in validate_project(root)]
    return found if translations else [m for m in found if "no Chinese for" not in m and "Chinese examples" not in m]


def test_the_project_itself_is_valid():
    assert messages(REPO_ROOT, translations=True) == []


def test_topic_without_tell_me_more_level(project):
    path = project / "data" / "responses" / "faq.yml"
    text = path.read_text(encoding="utf-8").replace("utter_faq/technologies_more_1:", "utter_faq/technologies_deeper:")
    path.write_text(text, encoding="utf-8")
    found = messages(project)
    assert any("topic 'technologies' has no 'tell me more' level" in m and "faq.yml" in m for m in found)
    # level 2 now skips level 1
    assert any("'utter_faq/technologies_more_2' skips level 1" in m for m in found)


def test_deeper_level_for_unknown_topic(project):
    path = project / "data" / "responses" / "faq.yml"
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(textwrap.indent('utter_faq/blockchain_more_1:\n- text: "x"\n', "  "))
    assert any("'utter_faq/blockchain_more_1' belongs to no FAQ question" in m for m in messages(project))


def test_button_with_unknown_intent(project):
    path = project / "data" / "responses" / "basics.yml"
    text = path.read_text(encoding="utf-8").replace('payload: "/request_advice"', 'payload: "/request_advise"', 1)
    path.write_text(text, encoding="utf-8")
    found = messages(project)
    assert any("unknown intent '/request_advise'" in m and "basics.yml:" in m for m in found)


def _line_of(path, text, start=1):
    """1-based line of the first line at or after `start` that contains `text`."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if number >= start and text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def test_same_example_under_two_intents(project):
    faq = project / "data" / "nlu" / "faq.yml"
    basics = project / "data" / "nlu" / "basics.yml"
    first = _line_of(faq, "- what is internet+")
    text = basics.read_text(encoding="utf-8")
    # a differently cased and spaced copy, as the first example of `greet` (line after `examples: |`)
    basics.write_text(text.replace("  examples: |\n    - hi\n", "  examples: |\n    - What  is INTERNET+\n    - hi\n", 1),
                      encoding="utf-8")
    copy = _line_of(basics, "- What  is INTERNET+")
    found = [m for m in messages(project) if "is an example of both" in m]
    assert len(found) == 1
    # basics.yml is read first, so the problem is reported at the second sighting, in faq.yml
    assert found[0].startswith(f"{faq}:{first}: 'what is internet+' is an example of both "
                               f"greet (data/nlu/basics.yml:{copy}) and "
                               f"faq/what_is_internet_plus (data/nlu/faq.yml:{first}).")


def test_same_example_under_two_faq_topics(project):
    faq = project / "data" / "nlu" / "faq.yml"
    text = faq.read_text(encoding="utf-8")
    faq.write_text(text.replace("- intent: faq/difference\n  examples: |\n",
                                "- intent: faq/difference\n  examples: |\n    - internet+ meaning\n", 1),
                   encoding="utf-8")
    first = _line_of(faq, "- internet+ meaning")
    copy = _line_of(faq, "- internet+ meaning", first + 1)
    found = [m for m in messages(project) if "is an example of both" in m]
    assert found == [f"{faq}:{copy}: 'internet+ meaning' is an example of both faq/what_is_internet_plus "
                     f"(data/nlu/faq.yml:{first}) and faq/difference (data/nlu/faq.yml:{copy})."
                     " Fix: keep it under the one intent it means and delete or reword the other."]


def test_same_example_twice_under_one_intent_is_reported_once(project):
    basics = project / "data" / "nlu" / "basics.yml"
    text = basics.read_text(encoding="utf-8")
    basics.write_text(text.replace("    - hi\n", "    - hi\n    - HI\n", 1), encoding="utf-8")
    first = _line_of(basics, "    - hi")
    assert messages(project) == [
        f"{basics}:{first + 1}: 'HI' is listed twice under greet (also at data/nlu/basics.yml:{first}). Fix: delete"
        " one of them; to teach more, add a different phrasing instead."]


def test_response_no_rule_or_story_sends(project):
    responses = project / "data" / "responses" / "basics.yml"
    with open(responses, "a", encoding="utf-8") as handle:
        handle.write('  utter_forgotten:\n  - text: "Nobody says this."\n')
    line = _line_of(responses, "utter_forgotten:")
    found = [m for m in messages(project) if "never sent" in m]
    assert found == [f"{responses}:{line}: response 'utter_forgotten' is never sent: no rule or story uses it."
                     " Fix: add a rule that uses it, or delete it."]


def test_response_whose_rule_was_deleted(project):
    rules = project / "data" / "rules" / "basics.yml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(text.replace("  - action: utter_goodbye\n", "  - action: action_listen\n"), encoding="utf-8")
    line = _line_of(project / "data" / "responses" / "basics.yml", "utter_goodbye:")
    found = [m for m in messages(project) if "never sent" in m]
    assert found == [f"{project / 'data' / 'responses' / 'basics.yml'}:{line}: response 'utter_goodbye' is never sent:"
                     " no rule or story uses it. Fix: add a rule that uses it, or delete it."]


def test_rule_with_an_intent_and_a_response_that_do_not_exist(project):
    rules = project / "data" / "rules" / "basics.yml"
    with open(rules, "a", encoding="utf-8") as handle:
        handle.write("\n- rule: say where we are\n  steps:\n  - intent: ask_location\n  - action: utter_location\n")
    line = _line_of(rules, "intent: ask_location")
    found = [m for m in messages(project) if "ask_location" in m or "utter_location" in m]
    assert found == [
        f"{rules}:{line}: intent 'ask_location' is not listed in domain.yml. Fix: correct the name,"
        " or add the intent to domain.yml and give it examples in data/nlu/.",
        f"{rules}:{line + 1}: action 'utter_location' does not exist. Fix: correct the name, or add the"
        " response to data/responses/ (an `utter_...` reply) or the action to domain.yml.",
    ]


def test_misspelt_intent_inside_an_or_step_of_a_story(project):
    stories = project / "data" / "stories" / "advice.yml"
    text = stories.read_text(encoding="utf-8")
    assert "  - intent: affirm\n" in text
    stories.write_text(text.replace("  - intent: affirm\n", "  - or:\n    - intent: afirm\n    - intent: thank\n", 1),
                       encoding="utf-8")
    line = _line_of(stories, "- or:")
    assert [m for m in messages(project) if "afirm" in m] == [
        f"{stories}:{line}: intent 'afirm' is not listed in domain.yml. Fix: correct the name,"
        " or add the intent to domain.yml and give it examples in data/nlu/."]


def test_test_conversation_with_an_unknown_action(project):
    (project / "tests" / "stories").mkdir(parents=True)
    story = project / "tests" / "stories" / "test_typo.yml"
    story.write_text('version: "3.1"\nstories:\n- story: typo\n  steps:\n  - user: |\n      hi\n'
                     "    intent: greet\n  - action: utter_greeet\n", encoding="utf-8")
    assert [m for m in messages(project) if "utter_greeet" in m] == [
        f"{story}:8: action 'utter_greeet' does not exist. Fix: correct the name, or add the"
        " response to data/responses/ (an `utter_...` reply) or the action to domain.yml."]


def test_nlu_intent_missing_from_the_domain_and_domain_intent_without_examples(project):
    nlu = project / "data" / "nlu" / "basics.yml"
    with open(nlu, "a", encoding="utf-8") as handle:
        handle.write("\n- intent: ask_opening_hours\n  examples: |\n    - when are you open\n")
    domain = project / "domain.yml"
    domain.write_text(domain.read_text(encoding="utf-8").replace("  - thank\n", "  - thank\n  - ask_prices\n", 1),
                      encoding="utf-8")
    assert [m for m in messages(project) if "ask_" in m] == [
        f"{nlu}:{_line_of(nlu, '- intent: ask_opening_hours')}: intent 'ask_opening_hours' is not listed in"
        " domain.yml. Fix: add `- ask_opening_hours` under `intents:` in domain.yml, or correct the name.",
        f"{domain}:{_line_of(domain, '  - ask_prices')}: intent 'ask_prices' has no training examples."
        " Fix: add `- intent: ask_prices` with examples in data/nlu/, or remove it here.",
    ]


def test_question_without_an_answer_and_answer_without_a_question(project):
    nlu = project / "data" / "nlu" / "faq.yml"
    with open(nlu, "a", encoding="utf-8") as handle:
        handle.write("\n- intent: faq/cloud_computing\n  examples: |\n    - what is cloud computing\n")
    faq = project / "data" / "responses" / "faq.yml"
    with open(faq, "a", encoding="utf-8") as handle:
        handle.write('  utter_faq/blockchain:\n  - text: "A shared ledger."\n')
    found = [m for m in messages(project) if "cloud_computing" in m or "blockchain" in m]
    question_line = _line_of(nlu, "- intent: faq/cloud_computing")
    assert found == [
        f"{nlu}:{question_line}: question 'faq/cloud_computing' has no answer."
        " Fix: add `utter_faq/cloud_computing:` in data/responses/faq.yml.",
        f"{nlu}:{question_line}: topic 'cloud_computing' has no 'tell me more' level."
        " Fix: add `utter_faq/cloud_computing_more_1:` in data/responses/faq.yml.",
        f"{faq}:{_line_of(faq, 'utter_faq/blockchain:')}: answer 'utter_faq/blockchain' belongs to no FAQ question"
        " 'faq/blockchain'. Fix: fix the topic name or add training examples for it in data/nlu/faq.yml.",
    ]


def test_bad_indentation_is_reported_with_its_line_and_nothing_else(project):
    nlu = project / "data" / "nlu" / "basics.yml"
    text = nlu.read_text(encoding="utf-8")
    assert "- intent: thank\n  examples: |" in text
    nlu.write_text(text.replace("- intent: thank\n  examples: |", "- intent: thank\n examples: |"), encoding="utf-8")
    assert messages(project) == [
        f"{nlu}:{_line_of(nlu, ' examples: |', _line_of(nlu, '- intent: thank'))}: YAML syntax error: this line's"
        " indentation does not line up with the lines above it (YAML says: expected <block end>, but found"
        " '<block mapping start>'). Fix: indent it with the same number of spaces as the entry above it."]


@pytest.mark.parametrize("broken, plain", [
    ("    - action: Note: this\n", "a ':' inside text (YAML says: mapping values are not allowed here)."
                                  ' Fix: put the whole text in double quotes: "Note: this".'),
    ("\t- tabbed\n", "a tab character (YAML says: found character '\\t' that cannot start any token)."
                     " Fix: replace the tab with spaces."),
])
def test_common_yaml_mistakes_are_explained_in_plain_words(project, broken, plain):
    rules = project / "data" / "rules" / "extra.yml"
    rules.write_text('version: "3.1"\nrules:\n- rule: x\n  steps:\n' + broken.replace("    - ", "  - "),
                     encoding="utf-8")
    found = messages(project)
    assert len(found) == 1 and found[0].startswith(f"{rules}:") and plain in found[0]


def test_a_file_that_is_not_utf8_is_a_data_error(project):
    rules = project / "data" / "rules" / "basics.yml"
    rules.write_bytes(rules.read_bytes() + "# caf\xe9\n".encode("latin-1"))
    assert messages(project) == [f"{rules}: the file is not UTF-8 text. Fix: save it as UTF-8 in your editor."]


def test_faq_examples_without_a_topic_as_rasa_interactive_exports_them(project):
    nlu = project / "data" / "nlu" / "interactive.yml"
    nlu.write_text('version: "3.1"\nnlu:\n- intent: faq\n  examples: |\n    - what is internet plus really\n',
                   encoding="utf-8")
    assert messages(project) == [f"{nlu}:3: examples under 'faq' have no topic."
                                 " Fix: move each under the `- intent: faq/<topic>` it asks about."]


def test_capitals_and_punctuation_do_not_hide_a_duplicate(project):
    nlu = project / "data" / "nlu" / "basics.yml"
    text = nlu.read_text(encoding="utf-8")
    assert "    - hi\n" in text
    nlu.write_text(text.replace("- intent: goodbye\n  examples: |\n", "- intent: goodbye\n  examples: |\n    - Hi!\n", 1),
                   encoding="utf-8")
    found = [m for m in messages(project) if "is an example of both" in m]
    assert len(found) == 1 and found[0].startswith(f"{nlu}:{_line_of(nlu, '    - Hi!')}: 'Hi!' is an example of both greet")


def test_advice_replies_are_checked_too(project):
    replies = project / "data" / "advice" / "replies.yml"
    text = replies.read_text(encoding="utf-8")
    assert "{budget_phrase}" in text
    replies.write_text(text.replace("{budget_phrase}", "{budget}", 1), encoding="utf-8")
    assert any(m.startswith(f"{replies}:") and "budget" in m for m in messages(project))


def test_a_goal_without_a_label_is_named_with_the_labels_line_and_the_fix(project):
    goals = project / "data" / "entities" / "goals.yml"
    goals.write_text(goals.read_text(encoding="utf-8") + "  lost_parcels: [lost parcels, parcels going missing]\n",
                     encoding="utf-8")
    replies = project / "data" / "advice" / "replies.yml"
    found = [m for m in messages(project) if "has no label" in m]
    assert found == [f"{replies}:{_line_of(replies, 'labels:')}: goal 'lost_parcels' (data/entities/goals.yml) "
                     "has no label. Fix: add `  lost_parcels: lost parcels` under `labels:`, "
                     "in the words users should read."]
    steps = project / "data" / "catalogue" / "steps.yml"
    answers = project / "data" / "answers" / "goals.yml"
    assert f"{steps}: goal 'lost_parcels' is served by no step, so no plan can serve it. Fix: add `lost_parcels` " \
           "to the `goals:` of the steps that serve it." in messages(project)
    assert any(m.startswith(f"{answers}:") and "goal 'lost_parcels' has no answers here" in m for m in messages(project))


def test_a_label_without_text_is_reported(project):
    replies = project / "data" / "advice" / "replies.yml"
    replies.write_text(replies.read_text(encoding="utf-8").replace("  cut_costs: cut costs\n", "  cut_costs:\n"),
                       encoding="utf-8")
    assert any(f"replies.yml:{_line_of(replies, 'cut_costs:')}: label 'cut_costs' needs text" in m
               for m in messages(project))


def test_a_held_out_sentence_that_is_also_trained_on_is_named_in_both_files(project):
    (project / "tests").mkdir(exist_ok=True)
    heldout = project / "tests" / "nlu_heldout.yml"
    heldout.write_text('version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - a fresh hello there\n'
                       '    - Good   Morning\n', encoding="utf-8")
    basics = project / "data" / "nlu" / "basics.yml"
    found = [m for m in messages(project) if "held-out" in m]
    assert found == [f"{heldout}:6: held-out example 'Good   Morning' is also a training example "
                     f"(data/nlu/basics.yml:{_line_of(basics, '- good morning')}). Fix: write a new phrasing here "
                     "(held-out sentences must never be trained on), or delete the training one."]


def test_the_projects_held_out_set_is_never_trained_on():
    assert [m for m in messages(REPO_ROOT) if "held-out" in m] == []


def test_an_over_indented_examples_key_gets_the_indentation_fix_not_the_quotes_fix(project):
    nlu = project / "data" / "nlu" / "basics.yml"
    text = nlu.read_text(encoding="utf-8")
    nlu.write_text(text.replace("- intent: thank\n  examples: |", "- intent: thank\n    examples: |"), encoding="utf-8")
    line = _line_of(nlu, "    examples: |", _line_of(nlu, "- intent: thank"))
    assert messages(project) == [
        f"{nlu}:{line}: YAML syntax error: `examples:` is indented more than `intent:` on the line above (YAML says:"
        " mapping values are not allowed here). Fix: indent `examples:` with exactly 2 spaces, so it lines up with"
        " `intent:`."]


@pytest.mark.parametrize("planted, problem", [
    ("      - cheers mate\n", "this example is indented more than the ones above it, so Rasa would skip it."
                              " Fix: line its '-' up with the '-' of the other examples."),
    ("    cheers mate\n", "this line under `examples: |` does not start with '- '."
                        " Fix: start each example with a dash and a space, like `- hello`."),
])
def test_an_example_line_out_of_line_is_named_before_rasa_skips_it(project, planted, problem):
    nlu = project / "data" / "nlu" / "basics.yml"
    nlu.write_text(nlu.read_text(encoding="utf-8").replace("    - thanks\n", "    - thanks\n" + planted, 1),
                   encoding="utf-8")
    line = nlu.read_text(encoding="utf-8").splitlines().index(planted.rstrip("\n")) + 1
    assert messages(project) == [f"{nlu}:{line}: {problem}"]


def test_a_prerequisite_typo_never_suggests_the_step_itself(project):
    steps = project / "data" / "catalogue" / "steps.yml"
    text = steps.read_text(encoding="utf-8")
    steps.write_text(text.replace("    prerequisites: [online_booking]\n    provides: [online_payments]",
                                  "    prerequisites: [booking_deposit]\n    provides: [online_payments]", 1),
                     encoding="utf-8")
    [found] = messages(project)
    assert "step 'booking_deposits' needs unknown step 'booking_deposit'" in found
    assert "did you mean booking_deposits" not in found and "or booking_deposits" not in found


def test_validate_prints_paths_relative_to_the_project(project, capsys, monkeypatch):
    import bot.__main__ as cli
    from bot import paths

    basics = project / "data" / "nlu" / "basics.yml"
    basics.write_text(basics.read_text(encoding="utf-8").replace("    - hi\n", "    - hi\n    - Hi!\n", 1), encoding="utf-8")
    monkeypatch.setattr(paths, "REPO_ROOT", project)
    assert cli.main(["validate"]) == 1
    [error] = [line for line in capsys.readouterr().err.splitlines() if line.startswith("ERROR")]
    assert error.startswith("ERROR data/nlu/basics.yml:") and str(project) not in error
