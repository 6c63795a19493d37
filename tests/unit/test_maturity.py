"""Digital maturity level (L1-L4) from the tools a firm uses, and checks on data/maturity.yml."""
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


def test_project_model_has_four_named_levels_and_three_functions(model):
    assert sorted(model.levels) == [1, 2, 3, 4]
    assert [model.levels[n].name.split(" ")[0] for n in (1, 2, 3, 4)] == ["L1", "L2", "L3", "L4"]
    assert set(model.functions) == {"sales", "money", "operations"}
    assert "dashboard" in model.data_tools


@pytest.mark.parametrize(
    "tools, level",
    [
        (set(), 1),  # nothing at all
        ({"paper", "spreadsheet", "messaging_app"}, 1),  # no business system
        ({"dashboard"}, 1),  # a data tool alone covers no function
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


def test_fixture_model_levels(tmp_path):
    path = write(tmp_path, LEVELS + "functions:\n  sales: [pos_system]\n  money: [accounting_software]\n"
                                    "data_tools: [dashboard]\n")
    model = load_maturity(path, TOOLS)
    assert model.assess(frozenset({"pos_system"})).name == "L2 One"
    assert model.assess(frozenset({"pos_system", "accounting_software"})).name == "L3 Core"
    assert model.assess(frozenset({"pos_system", "accounting_software", "dashboard"})).name == "L4 Data"


def test_unknown_tool_in_a_function(tmp_path):
    path = write(tmp_path, LEVELS + "functions:\n  sales: [pos_system]\n  money: [abacus]\ndata_tools: [dashboard]\n")
    with pytest.raises(DataError) as err:
        load_maturity(path, TOOLS)
    assert "unknown tool 'abacus' in money." in str(err.value)
    assert "data/entities/tools.yml" in err.value.fix
    assert err.value.line == 8 and f"{path}:8:" in str(err.value)


def test_unknown_data_tool(tmp_path):
    path = write(tmp_path, LEVELS + "functions:\n  sales: [pos_system]\ndata_tools: [crystal_ball]\n")
    with pytest.raises(DataError) as err:
        load_maturity(path, TOOLS)
    assert "unknown tool 'crystal_ball' in data_tools." in str(err.value)
    assert err.value.line == 8


def test_missing_level(tmp_path):
    path = write(tmp_path, LEVELS.replace("  4: {name: L4 Data, meaning: data}\n", "") + "functions: {}\n")
    with pytest.raises(DataError) as err:
        load_maturity(path, TOOLS)
    assert "`levels` must define 1, 2, 3 and 4." in str(err.value)
    assert err.value.line == 1


def test_level_without_a_name_is_a_data_error(tmp_path):
    path = write(tmp_path, LEVELS.replace("{name: L2 One, meaning: one area}", "{meaning: one area}")
                 + "functions:\n  sales: [pos_system]\ndata_tools: [dashboard]\n")
    with pytest.raises(DataError, match="name"):
        load_maturity(path, TOOLS)
