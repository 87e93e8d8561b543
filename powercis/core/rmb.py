"""Amounts in Chinese capital numerals (人民币大写), as printed on bills and receipts."""

from __future__ import annotations

from decimal import Decimal

from powercis.core.money import round_money

DIGITS = "零壹贰叁肆伍陆柒捌玖"
SMALL_UNITS = ["", "拾", "佰", "仟"]
BIG_UNITS = ["", "万", "亿", "兆"]


def _four(group: int) -> str:
    """Words of 0 < group < 10000, with inner zeros as one 零 and no trailing zeros."""
    text = ""
    zero = False
    for pos in range(3, -1, -1):
        digit = group // 10**pos % 10
        if digit == 0:
            zero = bool(text)
            continue
        if zero:
            text += "零"
            zero = False
        text += DIGITS[digit] + SMALL_UNITS[pos]
    return text


def amount_in_words(amount: Decimal) -> str:
    """E.g. 327024.56 → 人民币叁拾贰万柒仟零贰拾肆元伍角陆分; 100 → 人民币壹佰元整; negative → 负…"""
    value = round_money(amount)
    sign = "负" if value < 0 else ""
    cents = int(abs(value) * 100)
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    if yuan >= 10**16:
        raise ValueError("amount too large")
    words = ""
    if yuan:
        groups = []
        n = yuan
        while n:
            groups.append(n % 10000)
            n //= 10000
        need_zero = False
        for index in range(len(groups) - 1, -1, -1):
            group = groups[index]
            if group == 0:
                need_zero = bool(words)
                continue
            if words and (need_zero or group < 1000):
                words += "零"
            words += _four(group) + BIG_UNITS[index]
            need_zero = False
        words += "元"
    if jiao == 0 and fen == 0:
        return f"人民币{sign}{words or '零元'}整"
    if jiao:
        words += DIGITS[jiao] + "角"
    elif yuan:
        words += "零"
    if fen:
        words += DIGITS[fen] + "分"
    else:
        words += "整"
    return f"人民币{sign}{words}"
