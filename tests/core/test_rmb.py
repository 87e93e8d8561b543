from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from powercis.core.rmb import DIGITS, amount_in_words


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0", "人民币零元整"),
        ("100", "人民币壹佰元整"),
        ("1010", "人民币壹仟零壹拾元整"),
        ("327024.56", "人民币叁拾贰万柒仟零贰拾肆元伍角陆分"),
        ("100000.05", "人民币壹拾万元零伍分"),
        ("10005", "人民币壹万零伍元整"),
        ("0.50", "人民币伍角整"),
        ("1.07", "人民币壹元零柒分"),
        ("-79.25", "人民币负柒拾玖元贰角伍分"),
        ("120000000", "人民币壹亿贰仟万元整"),
        ("100010000", "人民币壹亿零壹万元整"),
    ],
)
def test_known_amounts(amount, words):
    assert amount_in_words(Decimal(amount)) == words


def _parse(words: str) -> int:
    """Inverse of amount_in_words for the property test (in fen)."""
    text = words.removeprefix("人民币").removesuffix("整")
    small = {"拾": 10, "佰": 100, "仟": 1000}
    big = {"万": 10**4, "亿": 10**8}
    total = section = number = 0
    fen = 0
    for ch in text:
        if ch in DIGITS:
            number = DIGITS.index(ch)
        elif ch in small:
            section += number * small[ch]
            number = 0
        elif ch in big:
            section += number
            total += section * big[ch] if big[ch] > 10**4 or total < big[ch] else section * big[ch]
            section = number = 0
        elif ch == "元":
            total = (total + section + number) * 100
            section = number = 0
        elif ch == "角":
            fen += number * 10
            number = 0
        elif ch == "分":
            fen += number
            number = 0
    return total + fen


@given(st.integers(min_value=0, max_value=99_999_999))
def test_words_round_trip_below_hundred_million_yuan(cents):
    assert _parse(amount_in_words(Decimal(cents) / 100)) == cents
