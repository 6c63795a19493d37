"""Digital maturity: dimension scores and the level (L1-L4) from the tools a firm uses, and checks on
data/maturity.yml."""
import pytest

from bot.nlu.vocabulary import load_vocabulary
from bot.advice.data import advice_data
from bot.advice.maturity import load_maturity
from bot.paths import DATA_DIR, ENTITY_DIR
from bot.yaml_source import DataError

TOOLS = {p.value for p in load_vocabulary(ENTITY_DIR).phrases if p.entity == "tool"}


@pytest.fixture(scope="module")
def model():
    return load_maturity(DATA_DIR / "maturity.yml", TOOLS)


def test_project_model_has_four_named_levels_and_five_dimensions(model):
    assert sorted(model.levels) == [1, 2, 3, 4]
    assert [model.levels[n].name.split(" ")[0] for n in (1, 2, 3, 4)] == ["L1", "L2", "L3", "L4"]
    assert [d.key for d in model.dimensions] == ["customers", "operations", "money", "data", "security"]
    assert model.core == ("customers", "money", "operations")
    assert "dashboard" in model.dimension("data").systems


@pytest.mark.parametrize(
    "tools, scores",
    [
        (set(), dict(customers=0, operations=0, money=0, data=0, security=0)),
        # everyday tools count 1 each, 2 at most: they never make a dimension digital on their own
        ({"social_media", "paper"}, dict(customers=1, operations=0, money=0, data=0, security=0)),
        ({"messaging_app", "social_media", "website", "map_listing"},
         dict(customers=2, operations=0, money=0, data=0, security=0)),
        # a till or card payments: a sales system, and every sale recorded for the books
        ({"pos_system"}, dict(customers=3, operations=0, money=1, data=0, security=0)),
        ({"pos_system", "social_media"}, dict(customers=4, operations=0, money=1, data=0, security=0)),
        ({"online_shop", "crm", "website"}, dict(customers=4, operations=0, money=0, data=1, security=0)),
        # one tool in several dimensions
        ({"erp"}, dict(customers=0, operations=3, money=3, data=0, security=0)),
        ({"antivirus", "cloud_storage"}, dict(customers=0, operations=0, money=0, data=0, security=2)),
    ],
)
def test_dimension_scores_from_tools(model, tools, scores):
    assert model.scores(tools) == scores


def test_the_biggest_lift_names_the_dimension_and_both_scores(model):
    dimension, before, after = model.biggest_lift({"social_media"}, {"pos_system"})
    assert (dimension.key, before, after) == ("customers", 1, 4)
    assert model.biggest_lift({"social_media"}, {"map_listing"})[1:] == (1, 2)  # an everyday tool counts too
    assert model.biggest_lift({"pos_system", "social_media"}, {"crm"})[0].key == "data"  # customers is full
    assert model.biggest_lift({"pos_system"}, {"paper"}) is None


def test_chinese_dimension_names():
    chinese = advice_data("zh").maturity
    assert chinese.dimension("customers").name == "客户与销售"
    assert advice_data().maturity.dimension("customers").name == "Customers and sales"


@pytest.mark.parametrize(
    "tools, level",
    [
        (set(), 1),  # nothing at all
        ({"paper", "spreadsheet", "messaging_app"}, 1),  # no business system
        ({"dashboard"}, 1),  # a data tool alone covers no core dimension
        ({"messaging_app", "social_media", "website", "map_listing"}, 1),  # many everyday tools: still no system
        ({"pos_system"}, 2),  # sales
        ({"accounting_software", "paper"}, 2),  # money
        ({"pos_system", "accounting_software"}, 3),  # sales + money
        ({"erp"}, 3),  # an ERP runs money and operations
        ({"pos_system", "accounting_software", "inventory_system"}, 3),  # all three, no data tool
        ({"pos_system", "accounting_software", "inventory_system", "dashboard"}, 4),
        ({"crm", "erp", "iot_sensors"}, 4),
    ],
)
def test_level_from_tools(model, tools, level):
    assert model.assess(frozenset(tools)).number == level


def test_level_reads_as_one_line(model):
    level = model.assess(frozenset())
    replies = advice_data().replies
    assert level.one_line(replies) == f"{level.name}: {level.meaning}"
    assert level.one_line(replies).startswith("L1 ")


def test_a_chinese_level_reads_as_one_line_with_chinese_punctuation():
    chinese = advice_data("zh")
    level = chinese.maturity.assess(frozenset())
    assert level.one_line(chinese.replies) == f"{level.name}（{level.meaning}）"
    assert level.one_line(chinese.replies).startswith("一级")


# ----------------------------------------------------------------------- fixture files

LEVELS = """\
levels:
  1: {name: L1 Start, meaning: paper}
  2: {name: L2 One, meaning: one area}
  3: {name: L3 Core, meaning: core}
  4: {name: L4 Data, meaning: data}
"""


def write(tmp_path, text):
    path = tmp_path / "maturity.yml"
    path.write_text(text, encoding="utf-8")
    return path


DIMENSIONS = """\
dimensions:
  sales: {name: Sales, systems: [pos_system], basics: [social_media]}
  money: {name: Money, systems: [accounting_software]}
  data: {name: Data, systems: [dashboard]}
overall: {core: [sales, money], data: data, digital_at: 3}
"""


def test_fixture_model_levels(tmp_path):
    path = write(tmp_path, LEVELS + DIMENSIONS)
    model = load_maturity(path, TOOLS)
    assert model.assess(frozenset({"pos_system"})).name == "L2 One"
    assert model.assess(frozenset({"pos_system", "accounting_software"})).name == "L3 Core"
    assert model.assess(frozenset({"pos_system", "accounting_software", "dashboard"})).name == "L4 Data"


def test_unknown_tool_in_a_dimension(tmp_path):
    path = write(tmp_path, LEVELS + DIMENSIONS.replace("systems: [accounting_software]", "\n    systems: [abacus]"))
    with pytest.raises(DataError) as err:
        load_maturity(path, TOOLS)
    assert "unknown tool 'abacus' in money systems." in str(err.value)
    assert "data/entities/tools.yml" in err.value.fix
    assert err.value.line == 9 and f"{path}:9:" in str(err.value)


def test_overall_must_name_dimensions(tmp_path):
    path = write(tmp_path, LEVELS + DIMENSIONS.replace("core: [sales, money]", "core: [sales, stock]"))
    with pytest.raises(DataError) as err:
        load_maturity(path, TOOLS)
    assert "'stock' in `overall` is not a dimension." in str(err.value)
    assert "data, money, sales" in err.value.fix


def test_a_dimension_without_a_name(tmp_path):
    path = write(tmp_path, LEVELS + DIMENSIONS.replace("{name: Data, systems", "{systems"))
    with pytest.raises(DataError, match="dimension 'data' needs a `name`"):
        load_maturity(path, TOOLS)


def test_missing_level(tmp_path):
    path = write(tmp_path, LEVELS.replace("  4: {name: L4 Data, meaning: data}\n", "") + DIMENSIONS)
    with pytest.raises(DataError) as err:
        load_maturity(path, TOOLS)
    assert "`levels` must define 1, 2, 3 and 4." in str(err.value)
    assert err.value.line == 1


def test_level_without_a_name_is_a_data_error(tmp_path):
    path = write(tmp_path, LEVELS.replace("{name: L2 One, meaning: one area}", "{meaning: one area}")
                 + DIMENSIONS)
    with pytest.raises(DataError, match="name"):
        load_maturity(path, TOOLS)
