"""Energy from meter readings: multiplier (倍率) and register differences with rollover (翻转).

kWh = (end − start) × CT ratio ÷ primary turns × PT ratio, kept exact (readings may carry decimals);
rounding energy is a tariff setting, not done here.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from powercis.core.errors import CalcError
from powercis.core.money import parse_ratio, round_money, to_decimal
from powercis.core.money import plain as _plain


def multiplier(ct: Any = None, pt: Any = None, turns: Any = 1) -> Decimal:
    """Meter multiplier = CT ratio ÷ turns × PT ratio.

    ``ct``/``pt`` are ratios like "150/5" or numbers (None = 1/1). ``turns`` is the number of primary
    turns through the CT: n turns make an n-times smaller effective ratio.
    """
    n = to_decimal(turns if turns is not None else 1, "turns")
    if n <= 0:
        raise CalcError("invalid_ratio", f"穿心匝数必须为正: {turns!r}")
    return parse_ratio(ct, "ct") / n * parse_ratio(pt, "pt")


def register_delta(start: Any, end: Any, digits: int | None = None) -> Decimal:
    """Register advance end − start; a rollover (end < start) needs ``digits`` (integer digits of the dial).

    With ``digits`` = d the register wraps at 10**d, so the advance is 10**d − start + end. Without digits a
    lower end reading cannot be told from an error: ``CalcError("reading_below_previous")``.
    """
    s, e = to_decimal(start, "start"), to_decimal(end, "end")
    if s < 0 or e < 0:
        raise CalcError("invalid_reading", f"示数不能为负: {s} → {e}")
    if digits is not None:
        top = Decimal(10) ** int(digits)
        if s >= top or e >= top:
            raise CalcError("reading_over_range", f"示数超过 {digits} 位表计量程: {s} → {e}")
    if e >= s:
        return e - s
    if digits is None:
        raise CalcError("reading_below_previous", f"本次示数 {e} 小于上次示数 {s}，且未给出表计位数")
    return Decimal(10) ** int(digits) - s + e


def meter_kwh(meter: Mapping[str, Any]) -> tuple[Decimal, Decimal]:
    """(multiplier, kWh) of one ``energy``-kind meter: ``start``/``end`` (or ``delta``) with ct/pt/turns/digits."""
    mult = multiplier(meter.get("ct"), meter.get("pt"), meter.get("turns", 1))
    if meter.get("delta") is not None:
        delta = to_decimal(meter["delta"], "delta")
    elif meter.get("start") is not None and meter.get("end") is not None:
        digits = meter.get("digits")
        delta = register_delta(meter["start"], meter["end"], int(digits) if digits is not None else None)
    else:
        raise CalcError("missing_input", "表计缺少 start/end 或 delta")
    return mult, delta * mult


def calc_energy(inp: Mapping[str, Any], on: date | None) -> dict[str, str]:
    """Case kind ``energy``: result ``multiplier`` (first meter), ``kwh`` (sum), ``amount`` (if priced)."""
    meters = inp.get("meters")
    if not meters:
        raise CalcError("missing_input", "缺少 meters")
    total = Decimal(0)
    first_mult: Decimal | None = None
    for meter in meters:
        mult, kwh = meter_kwh(meter)
        if first_mult is None:
            first_mult = mult
        total += kwh
    assert first_mult is not None
    result = {"multiplier": _plain(first_mult), "kwh": _plain(total)}
    if inp.get("price") is not None:
        result["amount"] = f"{round_money(total * to_decimal(inp['price'], 'price')):.2f}"
    return result


