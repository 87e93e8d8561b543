"""Versioned tariff rule data used by the rating functions.

Every number a rule fixes (power-factor tables, the 105 % / 40 % / 90 %-at-260 demand rules, the 1/30
part-month rule) lives here as data with the date it took effect, so that a calculation for an event date
uses the rule in force on that date (``../rules/README.md`` principle 1) and a new rule is a new row, not
a code change. Values marked ⚠ in ``rules/tariffs.md`` are configurable defaults.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TypeVar

from powercis.core.errors import CalcError

D = Decimal
T = TypeVar("T")


def in_force(versions: Sequence[tuple[date, T]], on: date | None) -> T:
    """Return the version effective on ``on`` (the latest one whose date is ≤ ``on``).

    ``on`` None means "today's rules": the latest version. ``versions`` is sorted by date.
    """
    if on is None:
        return versions[-1][1]
    chosen: T | None = None
    for effective, value in versions:
        if effective <= on:
            chosen = value
    if chosen is None:
        raise CalcError("no_rule_in_force", f"{on.isoformat()} 没有生效的规则版本")
    return chosen


# ---------------------------------------------------------------------------------------------------
# Power-factor adjustment ((83)水电财字第215号 《功率因数调整电费办法》)
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PfBand:
    """Below the standard: ``step_percent`` per 0.01 of PF for the PF steps down to ``down_to`` below S.

    ``down_to`` None means "no lower end" (the last band).
    """

    down_to: Decimal | None
    step_percent: Decimal


@dataclass(frozen=True)
class PfTable:
    """One standard's adjustment rule.

    ``reductions`` lists the (negative) percentages for PF values above the standard, from S+0.01
    upwards; PF beyond the last listed value keeps the last (capped) value. ``bands`` gives the
    surcharge per 0.01 below the standard.
    """

    standard: Decimal
    reductions: tuple[Decimal, ...]
    bands: tuple[PfBand, ...]
    rule: str


_PF_BANDS = (PfBand(D("0.20"), D("0.5")), PfBand(D("0.25"), D("1")), PfBand(None, D("2")))
_PF_RULE = "(83)水电财字第215号"

PF_TABLE_VERSIONS: list[tuple[date, dict[Decimal, PfTable]]] = [
    (
        date(1983, 12, 2),
        {
            D("0.90"): PfTable(
                D("0.90"),
                tuple(D(x) for x in ("-0.15", "-0.30", "-0.45", "-0.60", "-0.75")),
                _PF_BANDS,
                _PF_RULE,
            ),
            D("0.85"): PfTable(
                D("0.85"),
                tuple(
                    D(x) for x in ("-0.1", "-0.2", "-0.3", "-0.4", "-0.5", "-0.65", "-0.80", "-0.95", "-1.10")
                ),
                _PF_BANDS,
                _PF_RULE,
            ),
            D("0.80"): PfTable(
                D("0.80"),
                tuple(
                    D(x)
                    for x in (
                        "-0.1", "-0.2", "-0.3", "-0.4", "-0.5", "-0.6", "-0.7", "-0.8", "-0.9", "-1.0",
                        "-1.15", "-1.30",
                    )
                ),
                _PF_BANDS,
                _PF_RULE,
            ),
        },
    ),
]


def pf_table(standard: Decimal, on: date | None) -> PfTable:
    """The adjustment table for ``standard`` in force on ``on``."""
    tables = in_force(PF_TABLE_VERSIONS, on)
    table = tables.get(standard.quantize(D("0.01")))
    if table is None:
        known = "、".join(str(s) for s in sorted(tables))
        raise CalcError("unknown_pf_standard", f"功率因数标准 {standard} 不在调整表中（可用: {known}）")
    return table


# ---------------------------------------------------------------------------------------------------
# Two-part tariff: basic charge (基本电费)
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemandRules:
    """Demand-mode (按需量) rules.

    - ``excess_threshold``: actual demand above this fraction of the contract demand is an excess;
      the excess part is charged at ``excess_multiple`` × price; at or below it the contract value applies.
    - ``floor_fraction``: declared demand may not be below this fraction of the capacity (kVA).
    - ``discount_kwh_per_kva`` / ``discount_factor``: when the month's use reaches this many kWh per kVA of
      contract capacity, the demand price is multiplied by the factor (None before the rule took effect).
    """

    excess_threshold: Decimal
    excess_multiple: Decimal
    floor_fraction: Decimal
    discount_kwh_per_kva: Decimal | None
    discount_factor: Decimal | None
    rule: str


DEMAND_RULE_VERSIONS: list[tuple[date, DemandRules]] = [
    # 105 % and 40 % rules (发改办价格〔2016〕1583号 ⚠ number); earlier demand rules are not modelled:
    # the same values apply to earlier event dates.
    (date.min, DemandRules(D("1.05"), D("2"), D("0.40"), None, None, "tariffs.md §两部制 需量")),
    # 发改价格〔2023〕526号: ≥ 260 kWh per kVA in the month → 90 % of the demand price.
    (
        date(2023, 6, 1),
        DemandRules(D("1.05"), D("2"), D("0.40"), D("260"), D("0.90"), "发改价格〔2023〕526号"),
    ),
]


@dataclass(frozen=True)
class PartMonthRules:
    """Part-month basic charge: 1/``days_per_month`` of the monthly charge per day used."""

    days_per_month: int
    rule: str


PART_MONTH_VERSIONS: list[tuple[date, PartMonthRules]] = [
    (date.min, PartMonthRules(30, "《供电营业规则》 基本电费按日计算 (1/30)")),
]


def demand_rules(on: date | None) -> DemandRules:
    return in_force(DEMAND_RULE_VERSIONS, on)


def part_month_rules(on: date | None) -> PartMonthRules:
    return in_force(PART_MONTH_VERSIONS, on)


# ---------------------------------------------------------------------------------------------------
# Rule references shown on bill lines
# ---------------------------------------------------------------------------------------------------

RULE_TOU = "tariffs.md §分时电价"
RULE_FLAT = "目录电价"
RULE_TIERS = "tariffs.md §居民阶梯电价"
RULE_BASIC_CAPACITY = "tariffs.md §两部制 容量"
RULE_FIXED = "tariffs.md §定比定量"
RULE_FUNDS = "tariffs.md §政府性基金及附加"
RULE_LOSS = "tariffs.md §变损"
