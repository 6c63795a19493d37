"""Head count and budget answers in free text become structured values."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.advice.profile_parsing import MAX_HEAD_COUNT, Budget, HeadCount, parse_budget, parse_head_count

# --------------------------------------------------------------------------- head count

HEAD_COUNTS = [
    ("8 people", 8, 8),
    ("8", 8, 8),
    ("eight", 8, 8),
    ("Eight staff", 8, 8),
    ("around 60", 60, 60),
    ("about 60 employees", 60, 60),
    ("50-100", 50, 100),
    ("50 to 100", 50, 100),
    ("50 – 100 people", 50, 100),
    ("between 10 and 20 people", 10, 20),
    ("5 or 6", 5, 6),
    ("20-10", 10, 20),
    ("0-5 people", 1, 5),
    ("just me", 1, 1),
    ("Only me.", 1, 1),
    ("it's a one-man band", 1, 1),
    ("one", 1, 1),
    ("me and my wife", 2, 2),
    ("My husband and I", 2, 2),
    ("two of us", 2, 2),
    ("both of us", 2, 2),
    ("me and 3 others", 4, 4),
    ("me plus two employees", 3, 3),
    ("a dozen", 12, 12),
    ("half a dozen", 6, 6),
    ("two dozen", 24, 24),
    ("a couple", 2, 2),
    ("a couple of people", 2, 2),
    ("a few", 3, 3),
    ("over 200", 200, 249),
    ("more than 200 employees", 200, 249),
    ("200+", 200, 249),
    ("200+ staff", 200, 249),
    ("at least 10", 10, 12),
    ("under 10", 1, 9),
    ("fewer than 10 people", 1, 9),
    ("up to 10 people", 1, 10),
    ("8人", 8, 8),
    ("八个人", 8, 8),
    ("我们有十二个员工", 12, 12),
    ("两个人", 2, 2),
    ("我一个人", 1, 1),
    ("就我自己", 1, 1),
    ("我和老婆", 2, 2),
    ("十几个人", 11, 19),
    ("二十几个员工", 21, 29),
    ("五六个人", 5, 6),
    ("二三十人", 20, 30),
    ("200多人", 200, 249),
    ("超过200人", 200, 249),
    ("100人以上", 100, 124),
    ("不到10人", 1, 9),
    ("８人", 8, 8),  # full-width digit
    ("twenty-five", 25, 25),
    ("twenty five people", 25, 25),
    ("one hundred and twenty", 120, 120),
    ("1,200", 1200, 1200),
    ("1.5k employees", 1500, 1500),
    ("we have 3 shops and 25 employees", 25, 25),
    ("founded in 2015, 12 staff", 12, 12),
    ("about 50 people in 3 shops", 50, 50),
    ("1000000", 1_000_000, 1_000_000),
]


@pytest.mark.parametrize("text, low, high", HEAD_COUNTS)
def test_head_count(text, low, high):
    assert parse_head_count(text) == HeadCount(low, high)


@pytest.mark.parametrize("text", [
    "not sure", "lots", "many", "dozens", "", "   ", "😀", "👩‍👩‍👧‍👦🎉",
    "-5", "-5 people", "0", "0 people", "zero", "nobody", "no one",
    "1000001", "2000000 employees", "2.5", "$500", "we started 3 years ago", "50%",
    "we are a bakery", "不知道",
])
def test_no_head_count(text):
    assert parse_head_count(text) is None


@pytest.mark.parametrize("low, high, typical", [(8, 8, 8), (50, 100, 75), (1, 2, 2), (10, 19, 15)])
def test_typical_is_rounded_midpoint(low, high, typical):
    assert HeadCount(low, high).typical == typical


@given(st.integers(min_value=1, max_value=100_000))
def test_any_plain_number_is_an_exact_head_count(n):
    assert parse_head_count(str(n)) == HeadCount(n, n)


@given(st.integers(min_value=1, max_value=100_000), st.sampled_from(["people", "staff", "employees", "人"]))
def test_any_number_of_people(n, noun):
    assert parse_head_count(f"{n} {noun}") == HeadCount(n, n)


@given(st.integers(min_value=1, max_value=50_000), st.integers(min_value=1, max_value=50_000),
       st.sampled_from(["-", " - ", " to ", "~", "到"]))
def test_any_range(a, b, sep):
    assert parse_head_count(f"{a}{sep}{b}") == HeadCount(min(a, b), max(a, b))


@given(st.integers(min_value=1, max_value=MAX_HEAD_COUNT))
def test_open_ended_count_is_a_sensible_range(n):
    result = parse_head_count(f"over {n}")
    assert result is not None
    assert result.low == n
    assert n <= result.high <= min(MAX_HEAD_COUNT, n * 5 // 4)


# --------------------------------------------------------------------------- budget

BUDGETS = [
    ("150 dollars a month", Budget("amount", 150.0, "USD", "month")),
    ("$150/month", Budget("amount", 150.0, "USD", "month")),
    ("about 150 bucks monthly", Budget("amount", 150.0, "USD", "month")),
    ("¥20,000 this year", Budget("amount", 20000.0, "CNY", "year")),
    ("￥20000", Budget("amount", 20000.0, "CNY", None)),
    ("20000 rmb per year", Budget("amount", 20000.0, "CNY", "year")),
    ("5k", Budget("amount", 5000.0, None, None)),
    ("5K a year", Budget("amount", 5000.0, None, "year")),
    ("2万元", Budget("amount", 20000.0, "CNY", None)),
    ("2万", Budget("amount", 20000.0, None, None)),
    ("3千块", Budget("amount", 3000.0, "CNY", None)),
    ("1万5", Budget("amount", 15000.0, None, None)),
    ("一点五万", Budget("amount", 15000.0, None, None)),
    ("每个月两千块", Budget("amount", 2000.0, "CNY", "month")),
    ("三千一个月", Budget("amount", 3000.0, None, "month")),
    ("一年2万", Budget("amount", 20000.0, None, "year")),
    ("3.5万元每年", Budget("amount", 35000.0, "CNY", "year")),
    ("每月3千元以内", Budget("amount", 3000.0, "CNY", "month", upper_bound=True)),
    ("under 50 euros", Budget("amount", 50.0, "EUR", None, upper_bound=True)),
    ("less than $300", Budget("amount", 300.0, "USD", None, upper_bound=True)),
    ("up to £200 a month", Budget("amount", 200.0, "GBP", "month", upper_bound=True)),
    ("200 max", Budget("amount", 200.0, None, None, upper_bound=True)),
    ("€1,500", Budget("amount", 1500.0, "EUR", None)),
    ("€1.500", Budget("amount", 1500.0, "EUR", None)),
    ("1,234.56 EUR", Budget("amount", 1234.56, "EUR", None)),
    ("1.5k usd", Budget("amount", 1500.0, "USD", None)),
    ("100 a month", Budget("amount", 100.0, None, "month")),
    ("five hundred pounds a year", Budget("amount", 500.0, "GBP", "year")),
    ("a couple hundred bucks", Budget("amount", 200.0, "USD", None)),
    ("1000 yen", Budget("amount", 1000.0, "JPY", None)),
    ("5000日元", Budget("amount", 5000.0, "JPY", None)),
    ("JP¥1000", Budget("amount", 1000.0, "JPY", None)),
    ("¥1000", Budget("amount", 1000.0, "CNY", None)),
    ("₹5000", Budget("amount", 5000.0, "INR", None)),
    ("Rs. 5000 per month", Budget("amount", 5000.0, "INR", "month")),
    ("2 lakh rupees", Budget("amount", 200000.0, "INR", None)),
    ("100美元", Budget("amount", 100.0, "USD", None)),
    ("HK$500", Budget("amount", 500.0, "HKD", None)),
    ("500 CHF", Budget("amount", 500.0, "CHF", None)),
    ("500 all in", Budget("amount", 500.0, None, None)),
    ("5-10k", Budget("amount", 10000.0, None, None, upper_bound=True)),
    ("$100-$200 a month", Budget("amount", 200.0, "USD", "month", upper_bound=True)),
    ("between 100 and 200 dollars", Budget("amount", 200.0, "USD", None, upper_bound=True)),
    ("50 a week", Budget("amount", 216.67, None, "month")),
    ("not sure, maybe 500", Budget("amount", 500.0, None, None)),
    ("no budget", Budget("none", 0.0, None, None)),
    ("zero", Budget("none", 0.0, None, None)),
    ("$0", Budget("none", 0.0, "USD", None)),
    ("nothing", Budget("none", 0.0, None, None)),
    ("we have no money", Budget("none", 0.0, None, None)),
    ("we don't have any budget", Budget("none", 0.0, None, None)),
    ("我们没有预算", Budget("none", 0.0, None, None)),
    ("not sure", Budget("unknown", None, None, None)),
    ("don't know", Budget("unknown", None, None, None)),
    ("no idea", Budget("unknown", None, None, None)),
    ("depends", Budget("unknown", None, None, None)),
    ("it depends on the price", Budget("unknown", None, None, None)),
    ("as cheap as possible", Budget("unknown", None, None, None)),
    ("不知道", Budget("unknown", None, None, None)),
    ("看情况吧", Budget("unknown", None, None, None)),
]


@pytest.mark.parametrize("text, expected", BUDGETS)
def test_budget(text, expected):
    assert parse_budget(text) == expected


@pytest.mark.parametrize("text", [
    "hello", "we are a bakery", "", "😀", "8 people", "we started 3 years ago", "第一", "-50",
])
def test_no_budget_mentioned(text):
    assert parse_budget(text) is None


@pytest.mark.parametrize("budget, monthly", [
    (Budget("amount", 1200.0, "USD", "year"), 100.0),
    (Budget("amount", 150.0, "USD", "month"), 150.0),
    (Budget("amount", 150.0, None, None), 150.0),
    (Budget("none", 0.0, None, None), 0.0),
    (Budget("unknown", None, None, None), None),
])
def test_monthly(budget, monthly):
    assert budget.monthly() == monthly


SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "CNY"}


@given(st.integers(min_value=1, max_value=10**9), st.sampled_from(sorted(SYMBOLS)),
       st.booleans(), st.sampled_from(["", " "]))
def test_any_whole_amount_round_trips(amount, symbol, grouped, space):
    number = f"{amount:,}" if grouped else str(amount)
    assert parse_budget(f"{symbol}{space}{number}") == Budget("amount", float(amount), SYMBOLS[symbol], None)


@given(st.integers(min_value=1, max_value=10**8), st.integers(min_value=0, max_value=99),
       st.sampled_from(sorted(SYMBOLS)))
def test_any_amount_with_cents_round_trips(whole, cents, symbol):
    text = f"{symbol}{whole:,}.{cents:02d}"
    assert parse_budget(text) == Budget("amount", float(f"{whole}.{cents:02d}"), SYMBOLS[symbol], None)


@given(st.integers(min_value=1, max_value=10**7), st.sampled_from(sorted(SYMBOLS)),
       st.sampled_from(["a year", "per year", "/year", "yearly", "annually"]))
def test_monthly_of_a_yearly_budget_is_a_twelfth(amount, symbol, per_year):
    budget = parse_budget(f"{symbol}{amount} {per_year}")
    assert budget is not None and budget.period == "year" and budget.amount == amount
    assert budget.monthly() == pytest.approx(amount / 12)


@given(st.integers(min_value=1, max_value=10**7),
       st.sampled_from(["a month", "per month", "/month", "monthly", "每月"]))
def test_monthly_of_a_monthly_budget_is_the_amount(amount, per_month):
    budget = parse_budget(f"{amount} {per_month}")
    assert budget == Budget("amount", float(amount), None, "month")
    assert budget.monthly() == amount


# --------------------------------------------------------------------------- robustness

NASTY = st.one_of(
    st.text(),
    st.text(max_size=2000),
    st.text(alphabet="0123456789 ,.-+~kK$€£¥万千百十一二两几多人个元块年月 abcmeandtoover😀🎉\n", max_size=2000),
    st.lists(st.sampled_from(["1", "-", "k", "万", " to ", "$", "一", "十", "me and ", "over ", "200+",
                              "twenty", "a few", "dozen", "¥", "年", "%", "😀"]), max_size=500).map("".join),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(NASTY)
def test_never_raises_and_results_are_sane(text):
    head_count = parse_head_count(text)
    if head_count is not None:
        assert 1 <= head_count.low <= head_count.typical <= head_count.high <= MAX_HEAD_COUNT
    budget = parse_budget(text)
    if budget is not None:
        assert budget.kind in ("amount", "none", "unknown")
        assert budget.period in (None, "month", "year")
        if budget.kind == "amount":
            assert budget.amount is not None and budget.amount > 0
        elif budget.kind == "none":
            assert budget.amount == 0
        else:
            assert budget.amount is None and budget.monthly() is None


def test_huge_answer_is_handled():
    assert parse_head_count("x" * 2000) is None
    assert parse_budget("x" * 2000) is None
    assert parse_head_count("blah " * 400 + "8 people") == HeadCount(8, 8)
    assert parse_budget("blah " * 400 + "$150/month") == Budget("amount", 150.0, "USD", "month")
