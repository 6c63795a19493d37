"""The advisor's knowledge, loaded from data/: vocabulary, catalogue, maturity model, exchange
rates and replies, together with the currency conversions that need more than one of them.

Loaded once per process (`advice_data()`); everything else in bot.advice takes it as an argument.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.advice.catalogue import Catalogue, load_catalogue
from bot.advice.maturity import MaturityModel, load_maturity
from bot.advice.money import Rates, load_rates
from bot.advice.profile_parsing import Budget
from bot.advice.replies import Replies, load_replies
from bot.nlu.vocabulary import EntityVocabulary, load_vocabulary
from bot.paths import DATA_DIR


@dataclass(frozen=True)
class AdviceData:
    vocabulary: EntityVocabulary
    catalogue: Catalogue
    maturity: MaturityModel
    rates: Rates
    replies: Replies

    @classmethod
    def load(cls, data_dir: Path = DATA_DIR) -> "AdviceData":
        vocabulary = load_vocabulary(data_dir / "entities")
        return cls(
            vocabulary=vocabulary,
            catalogue=load_catalogue(data_dir / "catalogue" / "steps.yml", vocabulary),
            maturity=load_maturity(data_dir / "maturity.yml", vocabulary.values("tool")),
            rates=load_rates(data_dir / "currency_rates.yml"),
            replies=load_replies(data_dir / "advice" / "replies.yml"),
        )

    def display_currency(self, budget: Budget | None) -> str:
        currency = budget.currency if budget else None
        return currency if self.rates.knows(currency) else self.catalogue.currency

    def to_catalogue(self, amount: float, currency: str | None) -> float:
        source = currency if self.rates.knows(currency) else self.catalogue.currency
        return self.rates.convert(amount, source, self.catalogue.currency)

    def from_catalogue(self, amount: float, currency: str) -> str:
        return self.rates.format(self.rates.convert(amount, self.catalogue.currency, currency), currency)


@lru_cache(maxsize=1)
def advice_data() -> AdviceData:
    """The project's data, loaded once per process."""
    return AdviceData.load()
