"""Turn free-text answers about a firm's head count and budget into structured values.

``parse_head_count("about 60 employees")`` -> ``HeadCount(60, 60)``;
``parse_budget("up to £200 a month")`` -> ``Budget("amount", 200.0, "GBP", "month", True)``.
Both accept English and Chinese, never raise on any text, and return None when the
answer says nothing about what was asked.

Libraries do the language work: ``text2num`` (English number words, "twenty-five"),
``cn2an`` (Chinese numerals, "八", "2万", "1万5") and ``price-parser`` (digit grouping
and decimal separators, "1,500", "1.234,56"; and recognising other ISO currency codes).
The regex glue around them finds ranges, "over"/"under" modifiers and currency words.

Conventions worth knowing:
* ``¥`` alone means CNY (our users are mostly Chinese); JPY needs "yen", "円", "日元" or "JP¥".
* Open-ended head counts ("over 200", "200+", "200多人") span up to, not including,
  25% more: 200 -> 200..249 (249 is also the EU small/medium-firm boundary).
  "under 10" -> 1..9, "up to 10" -> 1..10; a range starting at 0 starts at 1.
* Vague words: "a couple" = 2, "a few" = 3 (so "a few hundred" = 300), "a dozen" = 12,
  "十几" = 11..19, "几十" = 20..90, "五六个" = 5..6.
* A budget range ("100-200 dollars") is taken as its top with ``upper_bound=True``.
* A budget of 0 ("zero", "$0", "no budget", "nothing") is ``kind="none"``, amount 0.
* Budgets stated per week or per quarter are converted to per month (Budget only has
  month and year); every other amount is kept as stated.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import cn2an
from price_parser import Price
from text_to_num import alpha2digit

MAX_HEAD_COUNT = 1_000_000
MAX_BUDGET = Decimal(10) ** 12


@dataclass(frozen=True)
class HeadCount:
    low: int
    high: int  # == low for an exact figure

    @property
    def typical(self) -> int:
        """Midpoint of the range, halves rounded up."""
        return (self.low + self.high + 1) // 2


@dataclass(frozen=True)
class Budget:
    kind: str  # "amount" | "none" | "unknown"
    amount: float | None  # as stated, in `currency`
    currency: str | None  # ISO code (USD, EUR, GBP, CNY, JPY, INR, ...), None if not said
    period: str | None  # "month" | "year" | None if not said
    upper_bound: bool = False  # "under 50 euros", "less than", "up to", "max"

    def monthly(self) -> float | None:
        """Amount per month: a yearly amount / 12; no period counts as monthly."""
        if self.amount is None:
            return None
        return self.amount / 12 if self.period == "year" else self.amount


# --------------------------------------------------------------------------- normalising

_CN_DIGIT = "零〇一二两三四五六七八九十"
_CN_CHAR = _CN_DIGIT + "百千万亿"
_CN_VALUE = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2, "〇": 0}
# A Chinese numeral run, optionally led by Arabic digits ("2万", "3.5万", "1万5").
_CN_RUN = re.compile(rf"(?<![\d.,])(?:\d+(?:\.\d+)?)?[{_CN_CHAR}](?:[{_CN_CHAR}]|\d+(?:\.\d+)?)*")
# A lone 一 is usually part of a word (一些, 一起, 统一); convert it only before these.
_YI_CLASSIFIER = "个人名位家块元千万百"
_CN_UNIT = {"百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}
_CN_TENS = {"十": 10, "百": 100, "千": 1000, "万": 10_000}

_NUM = r"\d+(?:[.,']\d+)*"
_EN_MULTIPLIER = {
    "k": 1000, "thousand": 1000, "grand": 1000,
    "m": 10**6, "mn": 10**6, "mil": 10**6, "million": 10**6,
    "bn": 10**9, "billion": 10**9,
    "hundred": 100, "dozen": 12,
    "lakh": 10**5, "lakhs": 10**5, "lac": 10**5, "crore": 10**7, "crores": 10**7,
}
_EN_MULT = "|".join(sorted(_EN_MULTIPLIER, key=len, reverse=True))
_RANGE_SEP = r"\s*(?:-|–|—|~|to)\s*"
_EN_RANGE_MULT_RE = re.compile(rf"(?<![\d.,'])({_NUM})({_RANGE_SEP})({_NUM})\s?({_EN_MULT})(?![a-z])")
_EN_MULT_RE = re.compile(rf"(?<![\d.,'])({_NUM})\s?({_EN_MULT})(?![a-z])")
_CN_RANGE_MULT_RE = re.compile(rf"(?<![\d.,'])({_NUM})(\s*(?:-|–|—|~|到|至)\s*)({_NUM})\s?([百千万亿])")
_CN_MULT_RE = re.compile(rf"(?<![\d.,'])({_NUM})\s?([百千万亿])")

_VAGUE_EN = [
    (re.compile(r"(?<![a-z])(?:no[- ]one|nobody)(?![a-z])"), "nobody"),
    (re.compile(r"(?<![a-z])half\s+a\s+dozen(?![a-z])"), "6"),
    (re.compile(r"(?<![a-z])(?:a|one)\s+dozen(?![a-z])"), "12"),
    (re.compile(r"(?<![a-z])(?:a\s+)?couple(?:\s+of)?(?![a-z])"), "2"),
    (re.compile(r"(?<![a-z])a\s+few(?![a-z])"), "3"),
]


def _decimal(token: str) -> Decimal | None:
    """A number token ("1,500", "1.5", "1.234,56") as a Decimal, via price-parser."""
    amount = Price.fromstring(token).amount
    if amount is None or not amount.is_finite():
        return None
    return amount


def _plain(value: Decimal | float | int) -> str:
    """A number as plain digits, no exponent or grouping: Decimal(2E+4) -> '20000'."""
    try:
        number = Decimal(str(value)).normalize()
    except InvalidOperation:
        return str(value)
    return format(number, "f")


def _cn_vague(text: str) -> str:
    """Chinese approximate counts become ranges: 十几 -> 11-19, 几十 -> 20-90, 五六 -> 5-6."""
    def teens(m: re.Match) -> str:
        tens = _CN_VALUE.get(m.group(1), 1) if m.group(1) else 1
        return f"{tens * 10 + 1}-{tens * 10 + 9}"

    text = re.sub(r"([一二两三四五六七八九])?十几", teens, text)
    text = re.sub(r"几([十百千万])(?![百千万亿])",
                  lambda m: f"{2 * _CN_TENS[m.group(1)]}-{9 * _CN_TENS[m.group(1)]}", text)

    def pair(m: re.Match) -> str:
        a, b, after = _CN_VALUE[m.group(1)], _CN_VALUE[m.group(2)], m.group(3)
        if b != a + 1:
            return m.group(0)
        if after in _CN_TENS:  # 二三十 -> 20-30 (a following 万 is scaled later)
            return f"{a * _CN_TENS[after]}-{b * _CN_TENS[after]}"
        return f"{a}-{b}{after}"  # 五六个 -> 5-6个

    text = re.sub(rf"(?<![{_CN_CHAR}])([一二三四五六七八])([二三四五六七八九])([个人名位十百千万])",
                  pair, text)
    return re.sub(r"(?<![十百千万\d])几(?=[个位名人])", "3", text)


_CN_DECIMAL = re.compile(r"([零〇一二两三四五六七八九十百千]+)点([零〇一二两三四五六七八九]+)")


def _cn_numerals(text: str) -> str:
    """Chinese numeral runs to digits with cn2an ("八个人" -> "8个人", "2万" -> "20000")."""
    def decimal(m: re.Match) -> str:  # "一点五万": cn2an wants "1.5万"
        try:
            whole = _plain(cn2an.cn2an(m.group(1), "smart"))
        except Exception:  # not a number after all ("两点" is two o'clock, left alone)
            return m.group(0)
        return whole + "." + "".join(str(_CN_VALUE[c]) for c in m.group(2))

    text = _CN_DECIMAL.sub(decimal, text)

    def convert(m: re.Match) -> str:
        run = m.group(0)
        after = text[m.end():m.end() + 1]
        before = text[m.start() - 1:m.start()] if m.start() else ""
        if before == "第":  # ordinal
            return run
        tail = ""
        if len(run) > 1 and run.endswith("一") and after and after in "个年月天周季":
            run, tail = run[:-1], "一"  # "三千一个月" is 3000 a month, not 3100
        elif run == "一" and (not after or after not in _YI_CLASSIFIER):
            return run
        try:
            value = cn2an.cn2an(run, "smart")
        except Exception:  # cn2an raises ValueError (and sometimes others) on odd runs
            return m.group(0)
        return _plain(value) + tail

    return _CN_RUN.sub(convert, text)


def _scale_ranges(text: str, pattern: re.Pattern, units: dict[str, int]) -> str:
    """'5-10k' -> '5000-10000'; in '500-1k' the low end is already absolute."""
    def scale(m: re.Match) -> str:
        low, high = _decimal(m.group(1)), _decimal(m.group(3))
        if low is None or high is None:
            return m.group(0)
        factor = units[m.group(4)]
        new_low = low * factor if low < high else low
        return f"{_plain(new_low)}{m.group(2)}{_plain(high * factor)}"

    return pattern.sub(scale, text)


def _scale_singles(text: str, pattern: re.Pattern, units: dict[str, int]) -> str:
    """'5k' -> '5000', '2 dozen' -> '24', '1,200万' -> '12000000'."""
    def scale(m: re.Match) -> str:
        value = _decimal(m.group(1))
        return m.group(0) if value is None else _plain(value * units[m.group(2)])

    return pattern.sub(scale, text)


def _scale_english(text: str) -> str:
    return _scale_singles(_scale_ranges(text, _EN_RANGE_MULT_RE, _EN_MULTIPLIER),
                          _EN_MULT_RE, _EN_MULTIPLIER)


def _normalise(text: str) -> str:
    """Lower-case text with every number written in Arabic digits, no multipliers."""
    text = unicodedata.normalize("NFKC", text).lower().replace("−", "-")
    text = _cn_vague(text)
    text = _scale_ranges(text, _CN_RANGE_MULT_RE, _CN_UNIT)
    text = _cn_numerals(text)
    text = _scale_singles(text, _CN_MULT_RE, _CN_UNIT)
    for pattern, replacement in _VAGUE_EN:
        text = pattern.sub(replacement, text)
    text = _scale_english(text)  # before text2num: "1 thousand" -> "1000"
    try:
        text = alpha2digit(text, "en", threshold=0)
    except Exception:  # text2num is Rust code: odd input (lone surrogates) raises
        pass
    text = _scale_english(text)  # after it: "three k" -> "3 k" -> "3000"
    return text


# --------------------------------------------------------------------------- numbers in text

_CURRENCY_PATTERNS: list[tuple[str, str]] = [
    # Overlaps ("$" inside "hk$", "元" inside "日元") keep the longer match: see _markers.
    (r"us\$", "USD"), (r"hk\$", "HKD"), (r"au\$", "AUD"), (r"(?<![a-z])ca?\$", "CAD"),
    (r"(?<![a-z])s\$", "SGD"), (r"nt\$", "TWD"), (r"cn¥", "CNY"), (r"jp¥", "JPY"),
    (r"\$", "USD"), (r"€", "EUR"), (r"£", "GBP"), (r"¥", "CNY"), (r"₹", "INR"), (r"円", "JPY"),
    (r"(?<![a-z])(?:usd|dollars?|bucks?)(?![a-z])", "USD"),
    (r"(?<![a-z])(?:eur|euros?)(?![a-z])", "EUR"),
    (r"(?<![a-z])(?:gbp|pounds?|quid|sterling)(?![a-z])", "GBP"),
    (r"(?<![a-z])(?:rmb|cny|yuan|renminbi)(?![a-z])", "CNY"),
    (r"(?<![a-z])(?:jpy|yen)(?![a-z])", "JPY"),
    (r"(?<![a-z])(?:inr|rupees?)(?![a-z])|(?<![a-z])rs\.?(?=\s*\d)", "INR"),
    (r"美元|美金|美刀", "USD"), (r"欧元", "EUR"), (r"英镑", "GBP"), (r"日元|日币", "JPY"),
    (r"港币|港元", "HKD"), (r"卢比", "INR"), (r"人民币|块钱|元|块", "CNY"),
]
_CURRENCY_RES = [(re.compile(p), code) for p, code in _CURRENCY_PATTERNS]

_PERIOD_PATTERNS: list[tuple[str, str]] = [
    (r"(?<![a-z])(?:months?|monthly|mo|mth|pcm|p/m)(?![a-z])|/\s*m(?![a-z])|月", "month"),
    (r"(?<![a-z])(?:years?|yearly|annual(?:ly)?|annum|yrs?|p\.a\.?|pa)(?![a-z])|/\s*y(?![a-z])|年",
     "year"),
    (r"(?<![a-z])(?:weeks?|weekly|wk)(?![a-z])|/\s*w(?![a-z])|周|星期|礼拜", "week"),
    (r"(?<![a-z])(?:quarters?|quarterly)(?![a-z])|季度|每季", "quarter"),
]
_PERIOD_RES = [(re.compile(p), period) for p, period in _PERIOD_PATTERNS]

_TOKEN_RE = re.compile(r"(?<!\d)(?<!\d[.,'])\d+(?:[.,']\d+)*")
_RANGE_WORD = re.compile(r"\s*(?:-|–|—|~|to|and|or|到|至)\s*")

# Words after a number that make it something other than a head count or an amount.
_NOT_COUNT_OR_AMOUNT = re.compile(r"""\s*(?:
    %|percent|per\s*cent
  | (?:years?|yrs?|months?|weeks?|days?|hours?|hrs?|minutes?|mins?|seconds?|secs?|times?
      |shops?|stores?|branches?|locations?|outlets?|sites?|offices?|factories|factory
      |products?|items?|customers?|clients?|orders?|sqm|m2|km|kg
      |st|nd|rd|th|am|pm)(?![a-z])
  | 个?(?:月|年|星期|礼拜|小时|钟头|店|门店|分店|工厂|厂|城市|客户|产品)|家|岁|天|周|点|号|层|楼|分钟|次
)""", re.X)
_DATE_WORD = re.compile(r"(?<![a-z])(?:in|since|from|until|by|of)\s*$")

# Words after a number that make it a head count ("8 staff", "8个人", "200多人").
_PEOPLE = re.compile(r"""\s*(?:多|余|\+)?\s*(?:
    (?:[a-z-]+\s+)?(?:people|persons?|staff|staffers|employees?|workers?|members?|colleagues?
      |guys|folks|heads|hands|crew|of\s+us|ftes?|partners|founders|co-?founders|owners)(?![a-z])
  | (?:个|名|位)?\s*(?:人|员工|职工|同事|伙计|工人|雇员|店员)
  | 名|位
)""", re.X)

# Modifiers just before (end-anchored) or just after a number.
_OPEN_BEFORE = re.compile(
    r"(?:(?<![a-z])(?:over|more\s+than|above|at\s+least|upwards\s+of|in\s+excess\s+of|north\s+of)"
    r"|>=?|≥|超过|多于|至少|不少于|大于)\s*(?:about|around|roughly|approximately|~)?\s*$")
_UNDER_BEFORE = re.compile(
    r"(?:(?<![a-z])(?:under|below|less\s+than|fewer\s+than)|<|不到|少于|小于|不足)\s*$")
_AT_MOST_BEFORE = re.compile(
    r"(?:(?<![a-z])(?:up\s*to|at\s+most|max(?:imum)?(?:\s+of)?|no\s+more\s+than|not\s+more\s+than"
    r"|not\s+over|within|capped\s+at|cap\s+of)|<=|≤|不超过|最多|顶多|最高|不高于)"
    r"\s*(?:about|around|~)?\s*$")
_OPEN_AFTER = re.compile(r"\s*(?:\+|plus(?![a-z])|or\s+more|and\s+up|多|余|以上)")
_AT_MOST_AFTER = re.compile(
    r"\s*(?:max(?:imum)?(?![a-z])|tops(?![a-z])|at\s+most|or\s+less|or\s+fewer|or\s+under"
    r"|以内|以下|之内|封顶)")


@dataclass(frozen=True)
class _Group:
    """One number, or a range of two ("50-100", "between $10 and $20"), in normalised text."""
    start: int
    end: int
    low: Decimal
    high: Decimal
    is_range: bool
    negative: bool


_SPACES = re.compile(r"\s*")


def _space_back(text: str, position: int) -> int:
    """Where the whitespace that ends at `position` starts."""
    while position and text[position - 1].isspace():
        position -= 1
    return position


Marker = tuple[int, int, str]  # start, end, label (an ISO code or a period)


def _markers(text: str, compiled: list[tuple[re.Pattern, str]]) -> list[Marker]:
    """Every (start, end, label) match, dropping matches inside a longer one ("$" in "hk$")."""
    found = sorted((m.start(), -m.end(), label) for pattern, label in compiled
                   for m in pattern.finditer(text) if m.end() > m.start())
    kept: list[Marker] = []
    for start, neg_end, label in found:  # by start, longest first
        if kept and start < kept[-1][1]:
            continue
        kept.append((start, -neg_end, label))
    return kept


class _Answer:
    """An answer in normalised form, with its numbers and currency markers found once."""

    def __init__(self, text: str) -> None:
        self.original = unicodedata.normalize("NFKC", text)
        self.text = _normalise(text)
        self.currencies = _markers(self.text, _CURRENCY_RES)
        self._currency_at_start = {start: end for start, end, _ in self.currencies}
        self._currency_at_end = {end: start for start, end, _ in self.currencies}
        self.groups = self._find_groups()

    # Currency markers glued to a number ("$ 5", "5 dollars", "5元").
    def _skip_currency_back(self, position: int) -> int:
        while True:
            before = _space_back(self.text, position)
            if before not in self._currency_at_end:
                return position
            position = self._currency_at_end[before]

    def _skip_currency_forward(self, position: int) -> int:
        while True:
            after = _SPACES.match(self.text, position).end()
            if after not in self._currency_at_start:
                return position
            position = self._currency_at_start[after]

    def _find_groups(self) -> list[_Group]:
        text = self.text
        tokens = []
        for m in _TOKEN_RE.finditer(text):
            value = _decimal(m.group(0))
            if value is None:
                continue
            negative = False
            if m.start() and text[m.start() - 1] == "-":  # "-5", but not "50-100" or "50 -100"
                before = _space_back(text, m.start() - 1)
                negative = before == 0 or not text[before - 1].isdigit()
            tokens.append((m.start(), m.end(), value, negative))
        groups: list[_Group] = []
        i = 0
        while i < len(tokens):
            start, end, value, negative = tokens[i]
            if i + 1 < len(tokens):
                n_start, n_end, n_value, _ = tokens[i + 1]
                gap_start = self._skip_currency_forward(end)
                gap_end = self._skip_currency_back(n_start)
                if gap_start <= gap_end and _RANGE_WORD.fullmatch(text, gap_start, gap_end):
                    low, high = sorted((value, n_value))
                    groups.append(_Group(start, n_end, low, high, True, negative))
                    i += 2
                    continue
            groups.append(_Group(start, end, value, value, False, negative))
            i += 1
        return groups

    def has_currency(self, group: _Group) -> bool:
        return (self._skip_currency_back(group.start) != group.start
                or self._skip_currency_forward(group.end) != group.end)

    def excluded(self, group: _Group) -> bool:
        """Dates, durations, percentages, ordinals: numbers that are neither people nor money."""
        if _NOT_COUNT_OR_AMOUNT.match(self.text, group.end):
            return True
        low = group.low
        is_year = not group.is_range and 1900 <= low <= 2100 and low == low.to_integral_value()
        return is_year and bool(_DATE_WORD.search(self.text, 0, group.start))

    def people_tagged(self, group: _Group) -> bool:
        return bool(_PEOPLE.match(self.text, group.end))

    def modifier(self, group: _Group) -> str | None:
        """'open' (over 200, 200+), 'under' (less than 10), 'at_most' (up to 10) or None."""
        start = self._skip_currency_back(group.start)
        prefix = self.text[max(0, start - 40):start]
        if _OPEN_BEFORE.search(prefix):
            return "open"
        if _UNDER_BEFORE.search(prefix):
            return "under"
        if _AT_MOST_BEFORE.search(prefix):
            return "at_most"
        after = [group.end, self._skip_currency_forward(group.end)]
        people = _PEOPLE.match(self.text, group.end)
        if people:
            after.append(people.end())
        for position in after:
            if _OPEN_AFTER.match(self.text, position):
                return "open"
            if _AT_MOST_AFTER.match(self.text, position):
                return "at_most"
        return None


# --------------------------------------------------------------------------- head count

_ME_PLUS_N = [
    re.compile(r"(?<![a-z])(?:me|myself)\s*(?:and|&|\+|plus|with)\s*(?:my\s+)?(\d+)(?![\d.,])"),
    re.compile(r"(?<![\d.,])(\d+)\s+(?:[a-z-]+\s+)?(?:and|&|\+|plus)\s+(?:me|myself)(?![a-z])"),
    re.compile(r"我(?:和|跟|与|加|带着?|外加)(?:我的)?(\d+)(?:个|名|位)"),
]
_RELATIVE = (r"(?:wife|husband|partner|spouse|brother|sister|son|daughter|dad|father|mom|mum|mother"
             r"|friend|co-?founder|business\s+partner|girlfriend|boyfriend|assistant|colleague)")
_TWO_PEOPLE = re.compile(
    rf"(?<![a-z])(?:me|myself|i)\s*(?:and|&|\+|plus|with)\s*(?:my\s+)?{_RELATIVE}(?![a-z])"
    rf"|(?<![a-z])my\s+{_RELATIVE}\s+and\s+(?:i|me|myself)(?![a-z])"
    r"|(?<![a-z])both\s+of\s+us(?![a-z])"
    r"|我(?:和|跟|与|加)(?:我)?(?:的)?(?:老婆|妻子|老公|丈夫|太太|爱人|媳妇|先生|合伙人|朋友|兄弟"
    r"|姐姐|妹妹|哥哥|弟弟|儿子|女儿|爸爸|妈妈|父亲|母亲)|夫妻|两口子")
_SOLO = re.compile(
    r"(?<![a-z])(?:just|only)\s+(?:me|myself|i)(?![a-z])|(?<![a-z])me\s+alone(?![a-z])"
    r"|(?<![a-z])(?:by\s+)?myself(?![a-z])|(?<![a-z])on\s+my\s+own(?![a-z])|(?<![a-z])solo(?![a-z])"
    r"|(?<![a-z])sole\s+(?:trader|proprietor)(?![a-z])|(?<![a-z])i\s+work\s+alone(?![a-z])"
    r"|(?<![a-z])(?:freelancer|one[- ](?:man|woman|person))(?![a-z])|就我|只有我|我自己|个体户")


def _valid_count(low: int, high: int) -> HeadCount | None:
    if low < 1 or high < low or high > MAX_HEAD_COUNT:
        return None
    return HeadCount(low, high)


def _as_int(value: Decimal) -> int | None:
    return int(value) if value == value.to_integral_value() else None


def _head_count_from(answer: _Answer, group: _Group) -> HeadCount | None:
    if group.negative or group.high > MAX_HEAD_COUNT:
        return None
    low, high = _as_int(group.low), _as_int(group.high)
    if low is None or high is None:
        return None
    if group.is_range:
        return _valid_count(max(low, 1), high)  # "0-5 people" -> 1..5
    modifier = answer.modifier(group)
    if modifier == "open":  # up to, not including, 25% more: 200+ -> 200..249
        return _valid_count(low, min(MAX_HEAD_COUNT, low + max(0, -(-low // 4) - 1)))
    if modifier == "under":
        return _valid_count(1, low - 1)
    if modifier == "at_most":
        return _valid_count(1, low)
    return _valid_count(low, low)


def parse_head_count(text: str) -> HeadCount | None:
    """How many people work in the firm, from an answer like "8 staff" or "50-100"."""
    answer = _Answer(text)
    for pattern in _ME_PLUS_N:  # "me and 3 others" counts the speaker too
        m = pattern.search(answer.text)
        value = _decimal(m.group(1)) if m else None
        others = _as_int(value) if value is not None else None
        if others is not None:
            return _valid_count(others + 1, others + 1)
    candidates = [g for g in answer.groups if not answer.excluded(g)]
    for group in candidates:
        if answer.people_tagged(group):
            return _head_count_from(answer, group)
    if _TWO_PEOPLE.search(answer.text):
        return HeadCount(2, 2)
    if _SOLO.search(answer.text):
        return HeadCount(1, 1)
    for group in candidates:
        if not answer.has_currency(group):
            return _head_count_from(answer, group)
    return None


# --------------------------------------------------------------------------- budget

_TO_MONTHLY = {"week": Decimal(52) / Decimal(12), "quarter": Decimal(1) / Decimal(3)}

_NO_MONEY = re.compile(
    r"(?<![a-z])(?:no|zero|nil)\s+(?:budget|money|cash|funds?|spending)(?![a-z])"
    r"|(?<![a-z])(?:nothing|none|nil|nada|zilch|broke)(?![a-z])"
    r"|(?<![a-z])not\s+(?:a|one|1)\s+(?:cent|penny|dime)(?![a-z])"
    r"|(?<![a-z])(?:can'?t|cannot|can\s+not)\s+afford"
    r"|(?<![a-z])(?:don'?t|do\s+not|doesn'?t|haven'?t|have\s+not)\s+(?:have|got)\s+(?:a\s+|any\s+)?"
    r"(?:budget|money|cash)"
    r"|(?<![a-z])(?:only\s+free|free\s+(?:only|tools?|options?|stuff))"
    r"|没有预算|没预算|没钱|没有钱|零预算|没有资金|不想花钱|不花钱|免费")
_UNKNOWN = re.compile(
    r"(?<![a-z])(?:not\s+sure|unsure|(?:don'?t|do\s+not|dont)\s+know|dunno|no\s+idea|no\s+clue"
    r"|(?:it\s+)?depends|(?:not|haven'?t|have\s+not)\s+(?:yet\s+)?decided|undecided|tbd"
    r"|to\s+be\s+decided|can'?t\s+say|hard\s+to\s+say|flexible|not\s+certain)"
    r"|不知道|不清楚|不确定|不一定|看情况|说不好|说不准|没想好|还没定|待定|再说")
_MONEY_WORDS = re.compile(
    r"(?<![a-z])(?:budget|money|spend|spending|cost|costs|price|afford|cheap|expensive|funds?|cash"
    r"|invest|investment)(?![a-z])|预算|钱|费用|花费|投入|便宜|成本")


def _nearest(markers: list[Marker], group: _Group) -> str | None:
    def distance(marker: Marker) -> int:
        return max(0, group.start - marker[1], marker[0] - group.end)

    return min(markers, key=distance)[2] if markers else None


def _iso_code_next_to(answer: _Answer, group: _Group) -> str | None:
    """Another ISO code beside the number ("500 CHF"), if the answer wrote it in capitals."""
    text = answer.text
    before = re.search(r"(?<![a-z])([a-z]{3})\s*$", text[max(0, group.start - 6):group.start])
    after = re.match(r"\s*([a-z]{3})(?![a-z])", text[group.end:group.end + 6])
    for m in (before, after):
        if m:
            code = m.group(1).upper()
            written = re.search(rf"(?<![A-Z]){code}(?![A-Z])", answer.original)
            if written and Price.fromstring(f"{code} 1").currency == code:
                return code
    return None


def parse_budget(text: str) -> Budget | None:
    """What the firm can spend, from an answer like "$150/month", "2万元" or "no budget"."""
    answer = _Answer(text)
    candidates = [g for g in answer.groups
                  if not g.negative and not answer.excluded(g) and not answer.people_tagged(g)
                  and g.high <= MAX_BUDGET]
    if candidates:
        group = next((g for g in candidates if answer.has_currency(g)), candidates[0])
        amount = group.high  # a range counts as its top
        upper = group.is_range or answer.modifier(group) in ("under", "at_most")
        currency = _nearest(answer.currencies, group) or _iso_code_next_to(answer, group)
        period = _nearest(_markers(answer.text, _PERIOD_RES), group)
        if period in _TO_MONTHLY:
            amount, period = (amount * _TO_MONTHLY[period]).quantize(Decimal("0.01")), "month"
        if amount == 0:
            return Budget("none", 0.0, currency, period)
        return Budget("amount", float(amount), currency, period, upper)
    if _NO_MONEY.search(answer.text):
        return Budget("none", 0.0, None, None)
    if _UNKNOWN.search(answer.text) or _MONEY_WORDS.search(answer.text) or answer.currencies:
        return Budget("unknown", None, None, None)
    return None
