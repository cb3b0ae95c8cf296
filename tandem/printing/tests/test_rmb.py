from decimal import Decimal

import pytest

from tandem.printing.rmb import rmb_upper


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0", "人民币零元整"),
        ("10", "人民币壹拾元整"),
        ("3.1", "人民币叁元壹角整"),
        ("0.05", "人民币伍分"),
        ("10001", "人民币壹万零壹元整"),
        ("120500", "人民币壹拾贰万零伍佰元整"),
        ("1001.05", "人民币壹仟零壹元零伍分"),
        ("1280000.50", "人民币壹佰贰拾捌万元伍角整"),
        ("1010101.01", "人民币壹佰零壹万零壹佰零壹元零壹分"),
        ("100000000", "人民币壹亿元整"),
        ("200000001.99", "人民币贰亿零壹元玖角玖分"),
        (Decimal("-12.30"), "人民币负壹拾贰元叁角整"),
        ("1.005", "人民币壹元零壹分"),
    ],
)
def test_amounts_in_chinese_capitals(amount, words):
    assert rmb_upper(amount) == words
