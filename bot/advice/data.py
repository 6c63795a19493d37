"""The advisor's knowledge, loaded from data/: vocabulary, catalogue, maturity model, exchange
rates and replies, together with the currency conversions that need more than one of them.

Loaded once per process (`advice_data()`); everything else in bot.advice takes it as an argument.
`advice_data("zh")` is the same knowledge with every text a user reads in Chinese (the `_zh` twins of
replies, catalogue and maturity levels) and prices shown in yuan unless the owner named a currency.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from bot.advice.catalogue import Catalogue, load_catalogue
from bot.advice.maturity import MaturityModel, load_maturity
from bot.advice.money import Rates, load_rates
from bot.advice.profile_parsing import Budget
from bot.advice.replies import Replies, load_replies
from bot.nlu.language import CHINESE, DEFAULT, LANGUAGES
from bot.nlu.vocabulary import EntityVocabulary, load_vocabulary
from bot.paths import DATA_DIR

# The currency prices are shown in when the owner's budget names none.
HOME_CURRENCY = {CHINESE: "CNY"}


@dataclass(frozen=True)
class AdviceData:
    vocabulary: EntityVocabulary
    catalogue: Catalogue
    maturity: MaturityModel
    rates: Rates
    replies: Replies
    language: str = DEFAULT
    home_currency: str | None = None  # None: the catalogue's own

    @classmethod
    def load(cls, data_dir: Path = DATA_DIR, language: str = DEFAULT) -> "AdviceData":
        vocabulary = load_vocabulary(data_dir / "entities")
        return cls(
            vocabulary=vocabulary,
            catalogue=load_catalogue(data_dir / "catalogue" / "steps.yml", vocabulary, language),
            maturity=load_maturity(data_dir / "maturity.yml", vocabulary.values("tool"), language),
            rates=load_rates(data_dir / "currency_rates.yml"),
            replies=load_replies(data_dir / "advice" / "replies.yml", language),
            language=language,
            home_currency=HOME_CURRENCY.get(language),
        )

    def display_currency(self, budget: Budget | None) -> str:
        return self._known_or_default(budget.currency if budget else None)

    def to_catalogue(self, amount: float, currency: str | None) -> float:
        return self.rates.convert(amount, self._known_or_default(currency), self.catalogue.currency)

    def _known_or_default(self, currency: str | None) -> str:
        """An amount with no (known) currency is in the language's home currency, else the catalogue's:
        the same for what is shown and what is planned."""
        if self.rates.knows(currency):
            return currency
        return self.home_currency if self.rates.knows(self.home_currency) else self.catalogue.currency

    def from_catalogue(self, amount: float, currency: str) -> str:
        return self.rates.format(self.rates.convert(amount, self.catalogue.currency, currency), currency)


@lru_cache(maxsize=None)
def advice_data(language: str = DEFAULT) -> AdviceData:
    """The project's data with its texts in `language`, loaded once per process and language."""
    if language not in LANGUAGES:
        language = DEFAULT
    if language == DEFAULT:
        return AdviceData.load()
    english = advice_data(DEFAULT)
    translated = AdviceData.load(language=language)
    # one vocabulary and one set of rates: only what users read differs
    return replace(translated, vocabulary=english.vocabulary, rates=english.rates)
