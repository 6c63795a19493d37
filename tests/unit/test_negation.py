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
    ("我们没有网站，只用微信", "网站", True),
    ("我们没有网站，只用微信", "微信", False),
    ("我们不用Excel了", "Excel", True),
    ("不少客户用微信下单", "微信", False),  # 不少 is "many", not "not"
    ("还没上收银系统但是有微信", "微信", False),
    ("用Excel和纸质账本", "纸质账本", False),
    ("我们用无线收银机和微信", "微信", False),  # 无线 is "wireless", not "no"
    ("没问题，微信也用", "微信", False),
    ("还没装收银系统", "收银系统", True),
])
def test_a_mention_is_negated_only_within_its_clause(text, phrase, expected):
    assert negated(text, text.index(phrase)) is expected
