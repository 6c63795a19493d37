"""Currency conversion with the dated rate table, friendly rounding, and checks on the table."""
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.nlu.vocabulary import load_vocabulary
from bot.advice.money import Rates, friendly_round, load_rates
from bot.paths import DATA_DIR, ENTITY_DIR
from bot.yaml_source import DataError

RATES = Rates(
    base="USD", as_of=dt.date(2025, 11, 1),
    per_base={"USD": 1.0, "EUR": 0.87, "CNY": 7.12, "JPY": 153.0},
    symbols={"USD": "$", "EUR": "€", "CNY": "¥"},
)


# ----------------------------------------------------------------------- convert

def test_convert_from_and_to_the_base():
    assert RATES.convert(100, "USD", "EUR") == pytest.approx(87.0)
    assert RATES.convert(712, "CNY", "USD") == pytest.approx(100.0)


def test_convert_between_two_non_base_currencies():
    assert RATES.convert(153, "JPY", "CNY") == pytest.approx(7.12)


@given(st.floats(min_value=0, max_value=1e9), st.sampled_from(list(RATES.per_base)), st.sampled_from(list(RATES.per_base)))
def test_convert_round_trip_gives_the_amount_back(amount, source, target):
    there = RATES.convert(amount, source, target)
    assert RATES.convert(there, target, source) == pytest.approx(amount)


def test_knows_only_listed_currencies():
    assert RATES.knows("EUR")
    assert not RATES.knows("KRW") and not RATES.knows(None)


# ----------------------------------------------------------------------- rounding and format

@pytest.mark.parametrize(
    "amount, rounded",
    [(0, 0), (7.4, 7), (7.6, 8), (99.4, 99), (123, 120), (127, 130), (999, 1000),
     (1449, 1400), (1451, 1500), (20_000, 20_000), (123_456, 123_500)],
)
def test_friendly_round(amount, rounded):
    assert friendly_round(amount) == rounded


@pytest.mark.parametrize(
    "amount, currency, text",
    [(15, "USD", "$15"), (1449, "EUR", "€1,400"), (1400, "CNY", "¥1,400"), (7.4, "USD", "$7"),
     (2300, "JPY", "JPY 2,300"), (123_456, "JPY", "JPY 123,500")],
)
def test_format_with_symbol_or_iso_code(amount, currency, text):
    assert RATES.format(amount, currency) == text


def test_project_rates_know_every_currency_the_bot_understands():
    rates = load_rates(DATA_DIR / "currency_rates.yml")
    understood = {p.value for p in load_vocabulary(ENTITY_DIR).phrases if p.entity == "currency"}
    assert understood == {"USD", "EUR", "GBP", "CNY", "JPY", "INR"}
    assert all(rates.knows(code) for code in understood)
    assert rates.base == "USD" and rates.per_base["USD"] == 1
    assert isinstance(rates.as_of, dt.date)
    assert rates.format(2300, "JPY") == "JPY 2,300"  # JPY has no symbol in the table
    assert rates.format(15, "GBP") == "£15"


@pytest.mark.parametrize("amount, rounded", [(2.5, 3), (125, 130), (1450, 1500)])
def test_friendly_round_rounds_halves_up(amount, rounded):
    assert friendly_round(amount) == rounded


# ----------------------------------------------------------------------- load_rates

GOOD = """\
as_of: 2025-11-01
base: USD
rates:
  USD: 1
  EUR: 0.87
symbols:
  USD: "$"
"""


def write(tmp_path, text):
    path = tmp_path / "rates.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_load_rates_from_a_good_table(tmp_path):
    rates = load_rates(write(tmp_path, GOOD))
    assert rates == Rates("USD", dt.date(2025, 11, 1), {"USD": 1.0, "EUR": 0.87}, {"USD": "$"})


def test_table_without_the_base_at_1(tmp_path):
    path = write(tmp_path, GOOD.replace("USD: 1\n", "USD: 1.1\n"))
    with pytest.raises(DataError) as err:
        load_rates(path)
    assert "the base currency 'USD' must be listed with rate 1." in str(err.value)
    assert err.value.line == 2 and f"{path}:2:" in str(err.value)


def test_table_whose_base_is_not_listed(tmp_path):
    path = write(tmp_path, GOOD.replace("base: USD", "base: GBP"))
    with pytest.raises(DataError, match="the base currency 'GBP' must be listed with rate 1"):
        load_rates(path)


def test_negative_rate(tmp_path):
    path = write(tmp_path, GOOD.replace("EUR: 0.87", "EUR: -0.87"))
    with pytest.raises(DataError) as err:
        load_rates(path)
    assert "`rates` must map currency codes to positive numbers." in str(err.value)
    assert err.value.line == 3


def test_missing_as_of(tmp_path):
    path = write(tmp_path, GOOD.replace("as_of: 2025-11-01\n", ""))
    with pytest.raises(DataError) as err:
        load_rates(path)
    assert "`as_of` must be a date like 2025-11-01." in str(err.value)
    assert err.value.path == str(path)


def test_as_of_that_is_not_a_date(tmp_path):
    path = write(tmp_path, GOOD.replace("as_of: 2025-11-01", "as_of: last week"))
    with pytest.raises(DataError, match="`as_of` must be a date") as err:
        load_rates(path)
    assert err.value.line == 1
