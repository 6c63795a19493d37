"""The catalogue of first steps: the project file loads, and broken files name file, line and problem."""
import shutil

import pytest

from bot.advice.catalogue import check_catalogue, load_catalogue
from bot.nlu.vocabulary import load_vocabulary
from bot.paths import DATA_DIR, ENTITY_DIR
from bot.trainer.translations import check_translations
from bot.yaml_source import DataError

INDUSTRIES = ["retail", "food_service", "manufacturing", "agriculture", "professional_services",
              "logistics", "hospitality", "construction", "healthcare", "education"]


@pytest.fixture(scope="module")
def vocabulary():
    return load_vocabulary(ENTITY_DIR)


@pytest.fixture(scope="module")
def project_catalogue(vocabulary):
    return load_catalogue(DATA_DIR / "catalogue" / "steps.yml", vocabulary)


# ----------------------------------------------------------------------- the project catalogue

def test_project_catalogue_has_at_least_35_steps_in_usd(project_catalogue):
    assert len(project_catalogue.steps) >= 35
    assert project_catalogue.currency == "USD"


def test_project_catalogue_step_ids_are_unique(project_catalogue):
    ids = [s.id for s in project_catalogue.steps]
    assert len(ids) == len(set(ids))


def test_project_catalogue_has_no_problems_at_all(vocabulary):
    assert check_catalogue(DATA_DIR / "catalogue" / "steps.yml", vocabulary) == []


@pytest.mark.parametrize("industry", INDUSTRIES)
def test_project_catalogue_has_steps_made_for_each_industry(project_catalogue, industry):
    specific = [s.id for s in project_catalogue.steps if industry in s.industries]
    assert len(specific) >= 3, specific


# The problems owners bring (issue 12), and the industries where each makes sense.
PROBLEMS = {
    "fewer_no_shows": ["beauty_and_wellness", "healthcare", "education", "professional_services"],
    "order_status": ["retail", "food_service", "manufacturing", "logistics", "agriculture"],
    "quotes_and_invoices": ["construction", "professional_services", "manufacturing", "logistics"],
    "production_tracking": ["manufacturing", "construction"],
    "cash_flow": INDUSTRIES + ["beauty_and_wellness"],
    "staff_scheduling": ["food_service", "retail", "healthcare", "hospitality", "beauty_and_wellness", "logistics"],
    "supplier_ordering": ["food_service", "retail", "manufacturing", "construction", "healthcare"],
    "sell_direct": ["agriculture", "manufacturing", "food_service", "retail"],
    "less_downtime": ["manufacturing", "logistics"],  # machine and vehicle breakdowns
}


@pytest.mark.parametrize("goal, industry", [(g, i) for g, industries in PROBLEMS.items() for i in industries])
def test_each_problem_owners_bring_has_three_fitting_steps(project_catalogue, goal, industry):
    fitting = [s.id for s in project_catalogue.steps if goal in s.goals and s.suits_industry(industry)]
    assert len(fitting) >= 3, fitting


def test_antivirus_serves_security_not_downtime(project_catalogue):
    assert project_catalogue.get("device_protection").goals == ("security",)


def test_any_industry_steps_suit_every_industry_and_specific_ones_only_theirs(project_catalogue):
    accounting = project_catalogue.get("cloud_accounting")
    assert accounting.industries == ()
    assert accounting.suits_industry("agriculture") and accounting.suits_industry(None)
    mes = project_catalogue.get("light_mes")
    assert mes.suits_industry("manufacturing")
    assert not mes.suits_industry("retail") and not mes.suits_industry(None)


def test_first_year_cost_is_top_of_one_off_plus_twelve_top_months(project_catalogue):
    step = project_catalogue.get("light_mes")  # one_off [500, 5000], monthly [50, 500]
    assert step.first_year_cost() == 5000 + 12 * 500
    assert project_catalogue.get("no_such_step") is None


# ----------------------------------------------------------------------- broken fixture files
#
# Each fixture step is written one field per line, so a field's line is easy to work out:
# the file starts with `currency:` and `steps:`, then step n (0-based) takes lines
# 3 + 14n ... 16 + 14n, one line per field in the order of STEP below.

STEP = {
    "id": "task_app",
    "title": "Shared task board",
    "what": "A board where the team sees who does what.",
    "why": "Nothing gets forgotten.",
    "first_action": "Make a free board and add this week's jobs, one card each.",
    "industries": "[any]",
    "goals": "[save_time]",
    "maturity": "[1, 2]",
    "cost": "{one_off: [0, 0], monthly: [0, 20]}",
    "weeks_to_first_result": "1",
    "effort": "low",
    "prerequisites": "[]",
    "provides": "[task_board]",
    "tool_kinds": "task apps, for example Trello",
}
FIELDS = list(STEP)
DROP = object()


def step(**changes) -> str:
    fields = {**STEP, **changes}
    lines = [f"{key}: {value}" for key, value in fields.items() if value is not DROP]
    return "  - " + "\n    ".join(lines) + "\n"


def line(step_number: int, field: str = "id") -> int:
    return 3 + len(FIELDS) * step_number + FIELDS.index(field)


def write_catalogue(tmp_path, *steps: str):
    path = tmp_path / "steps.yml"
    path.write_text("currency: USD\nsteps:\n" + "".join(steps), encoding="utf-8")
    return path


def rejected(path, vocabulary) -> DataError:
    with pytest.raises(DataError) as err:
        load_catalogue(path, vocabulary)
    return err.value


def assert_points_at(err: DataError, path, line_number: int) -> None:
    assert err.path == str(path)
    assert err.line == line_number
    assert f"{path}:{line_number}:" in str(err)


def test_fixture_helpers_make_a_valid_catalogue(tmp_path, vocabulary):
    path = write_catalogue(tmp_path, step(), step(id="later_step", prerequisites="[task_app]"))
    catalogue = load_catalogue(path, vocabulary)
    assert [s.id for s in catalogue.steps] == ["task_app", "later_step"]
    first = catalogue.steps[0]
    assert first.monthly == (0.0, 20.0) and first.one_off == (0.0, 0.0)
    assert first.industries == () and first.provides == ("task_board",)
    assert catalogue.steps[1].prerequisites == ("task_app",)


def test_unknown_goal(tmp_path, vocabulary):
    path = write_catalogue(tmp_path, step(goals="[save_time, world_peace]"))
    err = rejected(path, vocabulary)
    assert "step 'task_app': unknown goal 'world_peace'." in str(err)
    assert "save_time" in err.fix  # the fix lists the known goals
    assert_points_at(err, path, line(0, "goals"))


def test_unknown_industry(tmp_path, vocabulary):
    path = write_catalogue(tmp_path, step(industries="[retail, space_travel]"))
    err = rejected(path, vocabulary)
    assert "step 'task_app': unknown industry 'space_travel'." in str(err)
    assert_points_at(err, path, line(0, "industries"))


def test_unknown_tool_in_provides(tmp_path, vocabulary):
    path = write_catalogue(tmp_path, step(provides="[task_board, mind_reader]"))
    err = rejected(path, vocabulary)
    assert "step 'task_app': unknown tool 'mind_reader'." in str(err)
    assert "data/entities/" in err.fix
    assert_points_at(err, path, line(0, "provides"))


def test_duplicate_id_names_both_lines(tmp_path, vocabulary):
    path = write_catalogue(tmp_path, step(), step(title="Another board"))
    err = rejected(path, vocabulary)
    assert f"step id 'task_app' is used twice (first at line {line(0)})." in str(err)
    assert_points_at(err, path, line(1))


def test_missing_field(tmp_path, vocabulary):
    path = write_catalogue(tmp_path, step(why=DROP, effort=DROP))
    err = rejected(path, vocabulary)
    assert "step 'task_app': missing why, effort." in str(err)
    assert_points_at(err, path, line(0, "id"))


def test_a_step_without_first_action_is_named_with_its_line_and_how_to_write_one(tmp_path, vocabulary):
    path = write_catalogue(tmp_path, step(), step(id="later_step", first_action=DROP))
    err = rejected(path, vocabulary)
    assert "step 'later_step': missing first_action." in str(err)
    assert_points_at(err, path, line(1, "id"))  # the second step's own line, not the first step's
    assert "add `first_action:` after `why:`" in err.fix and "first_action_zh" in err.fix


def test_first_action_is_read_in_the_language_asked_and_falls_back_to_english(tmp_path, vocabulary):
    path = write_catalogue(tmp_path, step(first_action_zh='"注册一个免费看板，把本周的活一项一张卡片放进去。"'),
                           step(id="later_step"))
    assert load_catalogue(path, vocabulary).steps[0].first_action == STEP["first_action"]
    chinese = load_catalogue(path, vocabulary, "zh")
    assert chinese.steps[0].first_action == "注册一个免费看板，把本周的活一项一张卡片放进去。"
    assert chinese.steps[1].first_action == STEP["first_action"]  # no Chinese yet: `make validate` names it


def test_make_validate_names_a_missing_first_action_zh_like_any_chinese_twin(tmp_path):
    shutil.copytree(DATA_DIR, tmp_path / "data")
    steps = tmp_path / "data" / "catalogue" / "steps.yml"
    text = steps.read_text(encoding="utf-8")
    at = text.index("first_action_zh:", text.index("id: cloud_accounting"))
    steps.write_text(text[:at] + "# " + text[at:], encoding="utf-8")
    [problem] = [p for p in check_translations(tmp_path) if p.path == str(steps)]  # other files: test_translations.py
    assert problem.line == text[:at].count("\n")  # the line of `first_action:`, just above
    assert "no Chinese for step 'cloud_accounting''s `first_action`." in str(problem)
    assert "add `first_action_zh:` on the line after `first_action:`." in problem.fix


def test_over_long_chinese_first_action(tmp_path, vocabulary):
    too_long = "注册" + "一" * 59  # 61 characters
    path = write_catalogue(tmp_path, step(first_action_zh=f'"{too_long}"'))
    err = rejected(path, vocabulary)
    assert "step 'task_app': `first_action_zh` is 61 characters; the limit is 60." in str(err)
    assert "shorten it" in err.fix
    assert_points_at(err, path, 3 + len(FIELDS))  # the field after the last required one


def test_cost_minimum_above_maximum(tmp_path, vocabulary):
    path = write_catalogue(tmp_path, step(cost="{one_off: [300, 100], monthly: [0, 20]}"))
    err = rejected(path, vocabulary)
    assert "step 'task_app': `cost.one_off` must be [min, max] with 0 <= min <= max." in str(err)
    assert_points_at(err, path, line(0, "cost"))


def test_negative_cost(tmp_path, vocabulary):
    path = write_catalogue(tmp_path, step(cost="{one_off: [0, 0], monthly: [-5, 20]}"))
    err = rejected(path, vocabulary)
    assert "`cost.monthly` must be [min, max]" in str(err)
    assert_points_at(err, path, line(0, "cost"))


def test_bad_effort(tmp_path, vocabulary):
    path = write_catalogue(tmp_path, step(effort="tiny"))
    err = rejected(path, vocabulary)
    assert "step 'task_app': `effort` must be one of low, medium, high." in str(err)
    assert_points_at(err, path, line(0, "effort"))


def test_unknown_prerequisite(tmp_path, vocabulary):
    path = write_catalogue(tmp_path, step(), step(id="dashboard_step", prerequisites="[task_app, tsak_app]"))
    err = rejected(path, vocabulary)
    assert "step 'dashboard_step' needs unknown step 'tsak_app'." in str(err)
    assert "Fix: use the `id` of a step in this file (did you mean task_app?)" in str(err)
    assert_points_at(err, path, line(1, "prerequisites"))


def test_prerequisite_cycle(tmp_path, vocabulary):
    path = write_catalogue(
        tmp_path,
        step(id="a_step", prerequisites="[b_step]"),
        step(id="b_step", prerequisites="[a_step]", provides="[team_chat]"),
    )
    err = rejected(path, vocabulary)
    assert "prerequisites go round in a circle: a_step -> b_step -> a_step." in str(err)
    assert_points_at(err, path, line(1, "prerequisites"))


def test_step_that_needs_itself_is_a_cycle(tmp_path, vocabulary):
    path = write_catalogue(tmp_path, step(prerequisites="[task_app]"))
    err = rejected(path, vocabulary)
    assert "prerequisites go round in a circle: task_app -> task_app." in str(err)
    assert_points_at(err, path, line(0, "prerequisites"))


def test_over_long_title(tmp_path, vocabulary):
    title = "A really rather long title for a small phone screen"  # 51 characters
    assert len(title) == 51
    path = write_catalogue(tmp_path, step(title=title))
    err = rejected(path, vocabulary)
    assert "step 'task_app': `title` is 51 characters; the limit is 50." in str(err)
    assert "shorten it" in err.fix
    assert_points_at(err, path, line(0, "title"))


def test_title_of_exactly_50_characters_is_fine(tmp_path, vocabulary):
    title = "A title that is exactly fifty characters long, ok."
    assert len(title) == 50
    path = write_catalogue(tmp_path, step(title=title))
    assert load_catalogue(path, vocabulary).steps[0].title == title


def test_check_catalogue_reports_every_problem_not_only_the_first(tmp_path, vocabulary):
    path = write_catalogue(tmp_path, step(effort="tiny"), step(id="other", goals="[world_peace]"))
    problems = check_catalogue(path, vocabulary)
    assert [(p.line, p.problem.split(":")[0]) for p in problems] == [
        (line(0, "effort"), "step 'task_app'"),
        (line(1, "goals"), "step 'other'"),
    ]


def test_file_without_steps_list(tmp_path, vocabulary):
    path = tmp_path / "steps.yml"
    path.write_text("currency: USD\nstep: []\n", encoding="utf-8")
    err = rejected(path, vocabulary)
    assert "the catalogue needs `currency:` and a `steps:` list." in str(err)
    assert err.path == str(path)


# ----------------------------------------------------------------------- cases that once crashed the loader

def test_empty_provides_is_a_data_error_not_a_crash(tmp_path, vocabulary):
    path = write_catalogue(tmp_path, step(provides=""))
    err = rejected(path, vocabulary)
    assert "provides" in str(err)


def test_prerequisites_written_as_a_bare_id_says_it_must_be_a_list(tmp_path, vocabulary):
    path = write_catalogue(tmp_path, step(), step(id="dashboard_step", prerequisites="task_app"))
    err = rejected(path, vocabulary)
    assert "`prerequisites` must be a list" in str(err)


def test_per_user_prices_and_fee_notes_are_read(tmp_path, vocabulary):
    path = write_catalogue(tmp_path, step(per_user="true", fee_note='"plus about 3% per sale"'))
    loaded = load_catalogue(path, vocabulary).steps[0]
    assert loaded.per_user is True and loaded.fee_note == "plus about 3% per sale"
    assert loaded.first_year_cost(10) == 12 * 20 * 10


@pytest.mark.parametrize("field, value, problem", [
    ("per_user", "yes please", "`per_user` must be true or false."),
    ("fee_note", '"plus a fee on every single sale, booking or order made"', "`fee_note` must be text of at most 40"),
    ("monthly_cost", "[0, 5]", "unknown field `monthly_cost`."),
])
def test_a_wrong_optional_field_points_at_its_line(tmp_path, vocabulary, field, value, problem):
    path = write_catalogue(tmp_path, step(**{field: value}))
    err = rejected(path, vocabulary)
    assert_points_at(err, path, 3 + len(FIELDS))  # the field after the last required one
    assert problem in str(err)
