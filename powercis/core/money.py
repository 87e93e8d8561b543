"""Exact numbers: conversion to Decimal, half-up rounding of money and ratios.

Every bill line rounds half-up to 0.01 yuan (``round_money``); totals are sums of rounded lines.
Floats never enter: ``to_decimal`` converts a JSON float through its shortest repr, so 0.1 → "0.1".
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from powercis.core.errors import CalcError

CENT = Decimal("0.01")
ZERO = Decimal("0")


def to_decimal(value: Any, field: str = "value") -> Decimal:
    """Convert an input number (int, decimal string, Decimal; float via repr) to Decimal."""
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, bool) or value is None:
        raise CalcError("invalid_number", f"{field} 不是数值: {value!r}")
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip().replace(",", ""))
        except InvalidOperation:
            raise CalcError("invalid_number", f"{field} 不是数值: {value!r}") from None
    else:
        raise CalcError("invalid_number", f"{field} 不是数值: {value!r}")
    if not result.is_finite():
        raise CalcError("invalid_number", f"{field} 不是有限数值: {value!r}")
    return result


def round_half_up(value: Decimal, places: int) -> Decimal:
    """Round half-up (away from zero on ties) to ``places`` decimals."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def round_money(value: Decimal) -> Decimal:
    """Round an amount half-up to 0.01 yuan (one bill line)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def parse_ratio(text: Any, field: str = "ratio") -> Decimal:
    """Parse a CT/PT ratio such as "150/5" or "10000/100" (or a plain number) into its value."""
    if text is None:
        return Decimal(1)
    if isinstance(text, str) and "/" in text:
        num, _, den = text.partition("/")
        n, d = to_decimal(num, field), to_decimal(den, field)
        if n <= 0 or d <= 0:
            raise CalcError("invalid_ratio", f"{field} 变比必须为正: {text!r}")
        return n / d
    value = to_decimal(text, field)
    if value <= 0:
        raise CalcError("invalid_ratio", f"{field} 变比必须为正: {text!r}")
    return value


def fmt_amount(value: Decimal) -> str:
    """Format money with thousands separators for explanations: 72697.5 → "72,697.50"."""
    return f"{round_money(value):,.2f}"


def fmt_number(value: Decimal) -> str:
    """Format a quantity without spurious trailing zeros, with thousands separators."""
    normalized = value.normalize()
    if normalized == normalized.to_integral_value():
        return f"{normalized.to_integral_value():,f}"
    return f"{normalized:,f}"


def plain(value: Decimal) -> str:
    """A decimal without exponent or trailing zeros: 3E+3 → "3000", 1.50 → "1.5"."""
    text = format(value.normalize(), "f")
    return "0" if text == "-0" else text
