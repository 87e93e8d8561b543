"""Amounts in words for receipts (人民币大写), e.g. 123.45 → 壹佰贰拾叁元肆角伍分."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

DIGITS = "零壹贰叁肆伍陆柒捌玖"
UNITS = ["", "拾", "佰", "仟"]
GROUPS = ["", "万", "亿", "万亿"]


def _four(n: int) -> str:
    """0 < n < 10000 in words, zeros collapsed (1001 → 壹仟零壹)."""
    out = ""
    zero = False
    for pos in range(3, -1, -1):
        d = n // 10**pos % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += DIGITS[d] + UNITS[pos]
    return out


def rmb_upper(amount: Decimal) -> str:
    amount = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "负" if amount < 0 else ""
    cents = int(abs(amount) * 100)
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    groups = []
    while yuan:
        groups.append(yuan % 10000)
        yuan //= 10000
    words = ""
    for index in reversed(range(len(groups))):
        chunk = groups[index]
        if chunk == 0:
            if words and not words.endswith("零"):
                words += "零"
            continue
        if words and chunk < 1000 and not words.endswith("零"):
            words += "零"
        words += _four(chunk) + GROUPS[index]
    words = words.rstrip("零")
    if words:
        words += "元"
    if jiao == 0 and fen == 0:
        return sign + (words or "零元") + "整"
    if jiao:
        words += DIGITS[jiao] + "角"
    elif words:
        words += "零"
    if fen:
        words += DIGITS[fen] + "分"
    return sign + words
