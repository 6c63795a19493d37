"""Currency conversion with the dated rate table in data/currency_rates.yml, and friendly amounts."""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path

from bot.yaml_source import DataError, line_of, load_yaml


@dataclass(frozen=True)
class Rates:
    base: str
    as_of: dt.date
    per_base: dict[str, float]  # units of a currency for one unit of `base`
    symbols: dict[str, str] = field(default_factory=dict)

    def convert(self, amount: float, source: str, target: str) -> float:
        return amount / self.per_base[source] * self.per_base[target]

    def knows(self, currency: str | None) -> bool:
        return currency in self.per_base

    def format(self, amount: float, currency: str) -> str:
        """'¥1,400', '$15', 'JPY 2,300': rounded to what a person would say."""
        rounded = friendly_round(amount)
        symbol = self.symbols.get(currency)
        number = f"{rounded:,.0f}"
        return f"{symbol}{number}" if symbol else f"{currency} {number}"


def friendly_round(amount: float) -> float:
    """To the unit under 100, to tens under 1,000, to hundreds above; halves go up, as people say."""
    step = 1 if amount < 100 else 10 if amount < 1000 else 100
    return math.floor(amount / step + 0.5) * step


def load_rates(path: Path) -> Rates:
    doc = load_yaml(path)
    if not isinstance(doc, dict):
        raise DataError(path, None, "expected `as_of`, `base`, `rates` and `symbols`.")
    rates = doc.get("rates")
    if not isinstance(rates, dict) or not rates or not all(
        isinstance(v, (int, float)) and v > 0 for v in rates.values()
    ):
        raise DataError(path, line_of(doc, "rates"), "`rates` must map currency codes to positive numbers.")
    base = doc.get("base")
    if rates.get(base) != 1:
        raise DataError(path, line_of(doc, "base"), f"the base currency {base!r} must be listed with rate 1.")
    as_of = doc.get("as_of")
    if not isinstance(as_of, dt.date):
        raise DataError(path, line_of(doc, "as_of"), "`as_of` must be a date like 2025-11-01.")
    return Rates(base, as_of, {k: float(v) for k, v in rates.items()}, dict(doc.get("symbols") or {}))
