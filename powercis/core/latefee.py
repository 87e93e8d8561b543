"""电费违约金 (late fees on overdue electricity bills) — 1996 rules art. 98, 2024 contract defaults.

How a late fee is counted (``/work/shared/rules/money.md``, case LP-01):

- Overdue days run from the day after the due date (交费期限) through the payment day, both inclusive:
  due on the 15th, paid on the 18th → 3 days.
- The fee accrues day by day: each overdue day's fee is the overdue amount × that day's rate, rounded
  half-up to the fen — one money line per day, which is exactly what the idempotent daily accrual job
  posts. The total of a bill is therefore days × the rounded daily line per rate, and the daily job and
  the trial calculator agree to the fen (``late_fee_for_day`` summed over days == ``accrued_late_fee``).
- Residential customers (居民): one rate. Others: days in the bill's own calendar year at the
  current-year rate (当年欠费), later days at the cross-year rate (跨年度欠费). The bill's year is the
  year of its due date unless the bill says otherwise (``year``, for a December bill due in January).
- Per bill, a total below the minimum (1 yuan) is raised to the minimum; a bill not overdue pays nothing.

Rates and the minimum come from ``rules.LateFeeRules`` for the event date, never from this module.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from powercis.core.errors import CalcError
from powercis.core.inputs import choice, dec, items_of, mapping, need, out, parse_date, whole
from powercis.core.money import ZERO, round_money
from powercis.core.rules import OTHER, RESIDENTIAL, RuleSet, rules_for

CUSTOMERS = (RESIDENTIAL, OTHER)
"""居民用户 / 其他用户."""


@dataclass(frozen=True)
class Bill:
    """One overdue bill: its amount (欠费金额), due date (交费期限) and own calendar year."""

    amount: Decimal
    due: date
    year: int | None = None
    """The bill's own year (电费年份); None = the due date's year."""

    @property
    def own_year(self) -> int:
        return self.due.year if self.year is None else self.year


@dataclass(frozen=True)
class LateFee:
    """The late fee of one bill through a date.

    ``amount`` is the accrued fee before the minimum (the sum of the daily lines); ``charged`` is what
    the customer pays (the minimum applied when the bill is overdue at all).
    """

    days: int
    current_year_days: int
    cross_year_days: int
    amount: Decimal
    charged: Decimal


def split_overdue_days(due: date, through: date, own_year: int | None = None) -> tuple[int, int]:
    """(days in the bill's own year, later days) of the overdue period ``due``+1 … ``through``.

    The two parts always sum to ``(through - due).days`` (0 when not overdue).
    """
    total = max(0, (through - due).days)
    year_end = date((due.year if own_year is None else own_year), 12, 31)
    current = min(total, max(0, (year_end - due).days))
    return current, total - current


def late_fee_for_day(amount: Decimal, due: date, day: date, customer: str, rules: RuleSet,
                     own_year: int | None = None) -> Decimal:
    """The fee one overdue ``day`` adds to a bill of ``amount`` (0 on or before the due date).

    This is the daily accrual job's line: summed over ``due``+1 … ``through`` it equals
    ``accrued_late_fee(...).amount`` exactly.
    """
    _check_customer(customer)
    if day <= due:
        return ZERO
    year = due.year if own_year is None else own_year
    rate = rules.late_fee.rate_for(customer, cross_year=day.year > year)
    return round_money(amount * rate)


def accrued_late_fee(amount: Decimal, due: date, through: date, customer: str, rules: RuleSet,
                     own_year: int | None = None) -> LateFee:
    """The late fee of one bill accrued from the day after ``due`` through ``through`` (inclusive)."""
    _check_customer(customer)
    if amount < 0:
        raise CalcError("invalid_value", f"欠费金额不能为负数: {amount}")
    current, cross = split_overdue_days(due, through, own_year)
    lf = rules.late_fee
    accrued = (
        current * round_money(amount * lf.rate_for(customer, cross_year=False))
        + cross * round_money(amount * lf.rate_for(customer, cross_year=True))
    )
    days = current + cross
    charged = max(accrued, lf.minimum) if days > 0 and amount > 0 else accrued
    return LateFee(days, current, cross, accrued, charged)


@dataclass(frozen=True)
class LateFeeResult:
    total: Decimal
    bills: tuple[LateFee, ...]


def late_fees(bills: Sequence[Bill], paid: date, customer: str, rules: RuleSet) -> LateFeeResult:
    """Late fees of several bills paid together on ``paid``; the total is the sum of the bills' fees."""
    fees = tuple(accrued_late_fee(b.amount, b.due, paid, customer, rules, b.year) for b in bills)
    return LateFeeResult(sum((f.charged for f in fees), ZERO), fees)


def _check_customer(customer: str) -> None:
    if customer not in CUSTOMERS:
        raise CalcError("invalid_value", f"用户类别无效: {customer!r} (可选: {', '.join(CUSTOMERS)})")


def calc_late_fee(inp: Mapping[str, Any], on: date | None) -> dict[str, Any]:
    """Case adapter (kind ``late_fee``): see cases/FORMAT.md."""
    customer = choice(inp, "customer", CUSTOMERS)
    paid = parse_date(need(inp, "paid"), "paid")
    bills = []
    for n, raw in enumerate(items_of(need(inp, "bills"), "bills")):
        b = mapping(raw, f"bills[{n}]")
        year = whole(b, "year") if b.get("year") is not None else None
        bills.append(Bill(dec(b, "amount"), parse_date(need(b, "due"), f"bills[{n}].due"), year))
    rules = rules_for(on or paid)
    result = late_fees(bills, paid, customer, rules)
    return {
        "total": out(result.total),
        "bills": [
            {
                "late_fee": out(f.charged),
                "days": str(f.days),
                "current_year_days": str(f.current_year_days),
                "cross_year_days": str(f.cross_year_days),
                "accrued": out(f.amount),
            }
            for f in result.bills
        ],
    }
