"""Negated mentions: what the owner says they do not have."""
import pytest

from bot.nlu.negation import negated


@pytest.mark.parametrize("text, phrase, expected", [
    ("no website yet", "website", True),
    ("we don't use excel, only paper", "excel", True),
    ("we don't use excel, only paper", "paper", False),
    ("we have a website but no online shop", "website", False),
    ("we have a website but no online shop", "online shop", True),
    ("nothing on the shop floor, we use whatsapp", "whatsapp", False),
    ("haven't got a crm", "crm", True),
    ("excel and whatsapp", "whatsapp", False),
    ("we can't afford an erp", "erp", True),
    ("everything is on paper and in excel", "excel", False),
    ("no I mostly use excel", "excel", False),
    ("no we don't have a crm", "crm", True),
])
def test_a_mention_is_negated_only_within_its_clause(text, phrase, expected):
    assert negated(text, text.index(phrase)) is expected
