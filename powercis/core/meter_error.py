"""计量差错退补 — refunds and supplements after a metering error (1996 arts. 79–81).

Sign convention: positive = the customer owes (补), negative = refund (退).

Why ``Fraction`` here: the correction ratio of a wiring fault is a ratio of small rationals (a 300/5 CT
on a 200/5 meter registers 2/3 of its phase; the meter registers 8/9; the ratio is 1/8). Decimal would
turn 2/3 into 0.666…7 and the ratio into 0.12499…; exact rationals keep ``fraction × (1 + ratio) == 1``
and give 6250 kWh, not 6249.99. Nothing is ever a float; results are converted to Decimal only at the
end, energy rounded half-up to ``rules.meter_error.kwh_places`` and money to the fen.

- ``error_percent``: a meter (or CT/PT) off by e% registers (1 + e) × the true energy, so
  true = metered ÷ (1 + e) and the correction ratio is 1 ÷ (1 + e) − 1. An error beyond tolerance is
  corrected over half the time since the last test (``half_period``: the rule's period factor ½).
- ``wiring``: with phase factors f₁…fₙ (1 = correct, −1 = reversed, 0 = missing, m÷r for a CT of ratio
  r on a meter built for ratio m) under balanced load the meter registers fraction = mean(f); the
  correction ratio is (1 − fraction) ÷ fraction, over the whole period.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from powercis.core.errors import CalcError
from powercis.core.inputs import choice, dec, flag, items_of, mapping, need, out, whole
from powercis.core.money import ZERO, round_money, to_decimal
from powercis.core.rules import RuleSet, rules_for

REGISTERS = ("total", "peak", "valley", "sharp")
PERIODS = ("flat", "peak", "valley", "sharp")


def round_fraction(value: Fraction, places: int) -> Decimal:
    """Round an exact rational half-up (away from zero on ties) to ``places`` decimals."""
    scale = 10**places
    scaled = abs(value) * scale
    whole_part = int(scaled)
    if scaled - whole_part >= Fraction(1, 2):
        whole_part += 1
    result = Decimal(whole_part).scaleb(-places)
    return -result if value < 0 else result


def fraction_to_decimal(value: Fraction, places: int = 12) -> Decimal:
    """An exact rational as Decimal: exact when it terminates within ``places``, else rounded, no trailing 0s."""
    rounded = round_fraction(value, places)
    if Fraction(rounded) == value:
        return rounded.normalize()  # ``out`` prints 1E+3 as "1000"
    return rounded


@dataclass(frozen=True)
class Correction:
    """How metered energy is corrected: kwh = metered × ratio × period_factor."""

    ratio: Fraction
    period_factor: Fraction
    fraction: Fraction | None = None
    """The registered share of the true energy (wiring faults only)."""

    @property
    def factor(self) -> Fraction:
        return self.ratio * self.period_factor


def error_percent_correction(error_percent: Decimal, half_period: bool, rules: RuleSet) -> Correction:
    """Correction for a meter fast (+) or slow (−) by ``error_percent`` percent."""
    e = Fraction(error_percent) / 100
    if e <= -1:
        raise CalcError("invalid_value", f"误差百分比须大于 -100: {error_percent}")
    period = Fraction(rules.meter_error.error_period_factor) if half_period else Fraction(1)
    return Correction(ratio=1 / (1 + e) - 1, period_factor=period)


def phase_factors_from_cts(meter_ct: Any, phase_cts: Sequence[Any]) -> list[Fraction]:
    """A CT of ratio r on a meter built for ratio m registers m ÷ r of its phase."""
    m = _ratio(meter_ct, "meter_ct")
    return [m / _ratio(ct, f"phase_cts[{n}]") for n, ct in enumerate(phase_cts)]


def wiring_correction(phase_factors: Sequence[Fraction], rules: RuleSet) -> Correction:
    """Correction for wrong wiring under balanced load: fraction = mean(factors), ratio = (1 − f) ÷ f."""
    if not phase_factors:
        raise CalcError("invalid_value", "phase_factors 不能为空")
    fraction = sum(phase_factors, Fraction(0)) / len(phase_factors)
    if fraction == 0:
        raise CalcError("invalid_value", "错接线期间电能表不计量 (计量比例为 0), 无法按更正系数退补")
    return Correction(
        ratio=(1 - fraction) / fraction,
        period_factor=Fraction(rules.meter_error.wiring_period_factor),
        fraction=fraction,
    )


@dataclass(frozen=True)
class Adjustment:
    """Corrected energy per register and its money; ``kwh`` is the total register's correction."""

    kwh: Decimal
    by_period: dict[str, Decimal]
    amount: Decimal | None
    amounts: dict[str, Decimal]


def adjust(correction: Correction, metered: Mapping[str, Decimal], prices: Mapping[str, Decimal] | None,
           kwh_places: int) -> Adjustment:
    """Apply a correction to metered energy (``total`` and optional time-of-use registers) and price it.

    Flat = total − peak − valley − sharp, so the corrected registers add up to the corrected total;
    each period's money is its own rounded line and the amount is their sum.
    """
    factor = correction.factor
    total = round_fraction(Fraction(metered["total"]) * factor, kwh_places)
    by_period: dict[str, Decimal] = {}
    for period in ("peak", "valley", "sharp"):
        if period in metered:
            by_period[period] = round_fraction(Fraction(metered[period]) * factor, kwh_places)
    by_period["flat"] = total - sum(by_period.values(), ZERO)
    if prices is None:
        return Adjustment(total, by_period, None, {})
    amounts = {}
    for period, kwh in by_period.items():
        if kwh != 0 or period == "flat":
            if period not in prices:
                raise CalcError("missing_field", f"缺少 {period} 时段电价")
            amounts[period] = round_money(kwh * prices[period])
    return Adjustment(total, by_period, sum(amounts.values(), ZERO), amounts)


def _ratio(value: Any, key: str) -> Fraction:
    if isinstance(value, str) and "/" in value:
        num, _, den = value.partition("/")
        n, d = Fraction(to_decimal(num, key)), Fraction(to_decimal(den, key))
    else:
        n, d = Fraction(to_decimal(value, key)), Fraction(1)
    if n <= 0 or d <= 0:
        raise CalcError("invalid_ratio", f"{key} 变比必须为正: {value!r}")
    return n / d


def _prices(raw: Any) -> dict[str, Decimal]:
    """Price "as in bill": one number, {flat, peak_factor, …} or absolute {flat, peak, …}."""
    if not isinstance(raw, Mapping):
        return dict.fromkeys(PERIODS, dec({"price": raw}, "price"))
    if "tiers" in raw:
        raise CalcError("invalid_value", "计量差错退补不支持阶梯电价, 请给出平段电价")
    flat = dec(raw, "flat")
    prices = {"flat": flat}
    for period in ("peak", "valley", "sharp"):
        if raw.get(period) is not None:
            prices[period] = dec(raw, period)
        elif raw.get(f"{period}_factor") is not None:
            prices[period] = flat * dec(raw, f"{period}_factor")
    return prices


def calc_meter_error(inp: Mapping[str, Any], on: date | None) -> dict[str, Any]:
    """Case adapter (kind ``meter_error``): see cases/FORMAT.md."""
    rules = rules_for(on or date.today())
    etype = choice(inp, "type", ("error_percent", "wiring"))
    if etype == "error_percent":
        correction = error_percent_correction(
            dec(inp, "error_percent", negative=True), flag(inp, "half_period", False), rules
        )
    elif inp.get("phase_factors") is not None:
        factors = [
            Fraction(dec({"f": f}, "f", negative=True))
            for f in items_of(inp["phase_factors"], "phase_factors")
        ]
        correction = wiring_correction(factors, rules)
    else:
        correction = wiring_correction(
            phase_factors_from_cts(need(inp, "meter_ct"), items_of(need(inp, "phase_cts"), "phase_cts")),
            rules,
        )

    if inp.get("metered") is not None:
        raw = mapping(inp["metered"], "metered")
        metered = {r: dec(raw, r) for r in REGISTERS if raw.get(r) is not None}
        if "total" not in metered:
            raise CalcError("missing_field", "缺少输入项 metered.total")
    else:
        metered = {"total": dec(inp, "metered_kwh")}
    if sum((v for k, v in metered.items() if k != "total"), ZERO) > metered["total"]:
        raise CalcError("invalid_value", "分时电量之和大于总电量")
    prices = _prices(inp["price"]) if inp.get("price") is not None else None
    places = whole(inp, "round_kwh", rules.meter_error.kwh_places)
    adj = adjust(correction, metered, prices, places)

    result: dict[str, Any] = {}
    if correction.fraction is not None:
        result["fraction"] = out(fraction_to_decimal(correction.fraction))
    result["correction_ratio"] = out(fraction_to_decimal(correction.ratio))
    result["period_factor"] = out(fraction_to_decimal(correction.period_factor))
    result["kwh"] = out(adj.kwh)
    if len(metered) > 1:
        result["kwh_by_period"] = {p: out(v) for p, v in adj.by_period.items()}
    if adj.amount is not None:
        result["amount"] = out(adj.amount)
        if len(adj.amounts) > 1:
            result["items"] = {f"energy:{p}": out(v) for p, v in adj.amounts.items()}
    return result


__all__ = [
    "Adjustment",
    "Correction",
    "adjust",
    "calc_meter_error",
    "error_percent_correction",
    "fraction_to_decimal",
    "phase_factors_from_cts",
    "round_fraction",
    "wiring_correction",
]
