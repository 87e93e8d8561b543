"""Power factor (功率因数) and its adjustment percentage ((83)水电财字第215号).

The monthly power factor is P / √(P² + Q²), rounded half-up to two decimals; the adjustment is read from
the table for the customer's standard (0.90 / 0.85 / 0.80) held as data in ``tariff_rules``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, localcontext
from typing import Any

from powercis.core.errors import CalcError
from powercis.core.money import plain, round_half_up, to_decimal
from powercis.core.tariff_rules import pf_table

STEP = Decimal("0.01")


def power_factor(active: Decimal, reactive: Decimal) -> Decimal:
    """P / √(P² + Q²) rounded half-up to 2 decimals.

    ``reactive`` is the total reactive energy (|forward| + |reverse| when both are metered); its sign is
    ignored. P = Q = 0 has no power factor: raises ``CalcError("no_energy")`` rather than guessing a value,
    so the caller decides (the rater skips the adjustment for a month without energy).
    """
    p, q = abs(active), abs(reactive)
    if p == 0 and q == 0:
        raise CalcError("no_energy", "有功、无功电量均为零，无法计算功率因数")
    with localcontext() as ctx:
        ctx.prec = 28
        value = p / (p * p + q * q).sqrt()
    return round_half_up(value, 2)


def adjustment_percent(pf: Decimal, standard: Decimal, on: date | None = None) -> Decimal:
    """Signed adjustment percentage of the base for ``pf`` under ``standard`` (positive = surcharge).

    Above the standard the table's reductions apply, capped at the last value; below it the surcharge grows
    by band (0.5 % per 0.01 down to S−0.20, 1 % per 0.01 down to S−0.25, then 2 % per 0.01).
    ``pf`` is first rounded half-up to 0.01, as the rule reads the table at two decimals.
    """
    table = pf_table(standard, on)
    pf2 = round_half_up(pf, 2)
    s = table.standard
    if pf2 == s:
        return Decimal("0")
    if pf2 > s:
        steps = int((pf2 - s) / STEP)
        return table.reductions[min(steps, len(table.reductions)) - 1]
    remaining = int((s - pf2) / STEP)
    percent = Decimal("0")
    done = 0
    for band in table.bands:
        limit = remaining if band.down_to is None else min(remaining, int(band.down_to / STEP))
        if limit > done:
            percent += band.step_percent * (limit - done)
            done = limit
        if done >= remaining:
            break
    return percent


def fmt_percent(value: Decimal) -> str:
    """Plain decimal string without exponent or trailing zeros: 5.0 → "5", -0.75 → "-0.75"."""
    return plain(value)


def calc_pf(inp: Mapping[str, Any], on: date | None) -> dict[str, str]:
    """Case kind ``pf``: ``{"active_kwh", "reactive_kvarh", "standard"}`` → ``pf``, ``adjust_percent``."""
    for key in ("active_kwh", "reactive_kvarh"):
        if inp.get(key) is None:
            raise CalcError("missing_input", f"缺少 {key}")
    pf = power_factor(to_decimal(inp["active_kwh"], "active_kwh"), to_decimal(inp["reactive_kvarh"], "reactive_kvarh"))
    result = {"pf": f"{pf:.2f}"}
    if inp.get("standard") is not None:
        result["adjust_percent"] = fmt_percent(adjustment_percent(pf, to_decimal(inp["standard"], "standard"), on))
    return result
