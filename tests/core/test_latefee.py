"""电费违约金: day counting, current-/cross-year rates, the minimum, the daily accrual and rules_for."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from powercis.core.errors import CalcError
from powercis.core.latefee import (
    Bill,
    accrued_late_fee,
    calc_late_fee,
    late_fee_for_day,
    late_fees,
    split_overdue_days,
)
from powercis.core.rules import RULES_1996, RULES_2024, RuleSet, rules_for

D = Decimal
R = rules_for(date(2001, 1, 18))

amounts = st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False, allow_infinity=False)
dates = st.dates(min_value=date(1997, 1, 1), max_value=date(2030, 12, 31))
customers = st.sampled_from(["residential", "other"])


def test_lp01_published_case() -> None:
    result = calc_late_fee(
        {
            "customer": "other",
            "bills": [{"amount": "2000", "due": "2000-12-15"}, {"amount": 3000, "due": "2001-01-15"}],
            "paid": "2001-01-18",
        },
        date(2001, 1, 18),
    )
    assert result["total"] == "190.00"
    assert result["bills"][0] == {
        "late_fee": "172.00", "days": "34", "current_year_days": "16", "cross_year_days": "18",
        "accrued": "172.00",
    }
    assert result["bills"][1]["late_fee"] == "18.00"
    assert result["bills"][1]["days"] == "3"


def test_same_month_counts_three_days() -> None:
    fee = accrued_late_fee(D("100"), date(2020, 3, 15), date(2020, 3, 18), "residential", R)
    assert fee.days == 3
    assert fee.amount == D("0.30")  # 100 × 1‰ × 3
    assert fee.charged == D("1")  # raised to the 1 yuan minimum


def test_not_overdue_pays_nothing_not_even_minimum() -> None:
    for paid in (date(2020, 3, 15), date(2020, 3, 1)):
        fee = accrued_late_fee(D("100"), date(2020, 3, 15), paid, "other", R)
        assert (fee.days, fee.amount, fee.charged) == (0, D(0), D(0))


def test_residential_has_no_cross_year_rate() -> None:
    fee = accrued_late_fee(D("1000"), date(2000, 12, 15), date(2001, 1, 18), "residential", R)
    assert fee.days == 34
    assert fee.amount == D("34.00")


def test_bill_due_on_31_december_is_all_cross_year() -> None:
    assert split_overdue_days(date(2000, 12, 31), date(2001, 1, 3)) == (0, 3)
    fee = accrued_late_fee(D("1000"), date(2000, 12, 31), date(2001, 1, 3), "other", R)
    assert fee.amount == D("9.00")


def test_december_bill_due_in_january_uses_its_own_year() -> None:
    """A December 2000 bill due 2001-01-15: every overdue day is after its own year (3‰)."""
    result = late_fees([Bill(D("1000"), date(2001, 1, 15), year=2000)], date(2001, 1, 18), "other", R)
    assert result.bills[0].cross_year_days == 3
    assert result.total == D("9.00")


def test_daily_line_rounds_half_up() -> None:
    # 1234.25 × 2‰ = 2.4685 → 2.47 a day
    assert late_fee_for_day(D("1234.25"), date(2020, 1, 1), date(2020, 1, 2), "other", R) == D("2.47")
    assert late_fee_for_day(D("1234.25"), date(2020, 1, 1), date(2020, 1, 1), "other", R) == D("0")


def test_contract_override_changes_rate() -> None:
    rules = rules_for(date(2024, 7, 1), {"late_fee.rate_current_year": "0.001"})
    fee = accrued_late_fee(D("2000"), date(2024, 7, 15), date(2024, 7, 18), "other", rules)
    assert fee.amount == D("6.00")
    assert "late_fee.rate_current_year" in rules.overridden


def test_rules_for_selects_version_by_date() -> None:
    assert rules_for(date(2024, 5, 31)).version == "1996"
    assert rules_for(date(2024, 6, 1)).version == "2024"
    assert rules_for(date(1990, 1, 1)) is RULES_1996
    assert rules_for(date(2030, 1, 1)) is RULES_2024
    assert RULES_1996.late_fee.rate_cross_year == D("0.003")
    assert "late_fee.minimum" in RULES_2024.unconfirmed


def test_rules_overrides_nested_and_unknown() -> None:
    rules = rules_for(date(2024, 7, 1), {"theft": {"penalty_multiple": 2}, "meter_error.kwh_places": 0})
    assert rules.theft.penalty_multiple == D(2)
    assert rules.meter_error.kwh_places == 0
    with pytest.raises(CalcError) as exc:
        rules_for(date(2024, 7, 1), {"late_fee.rate_typo": "0.001"})
    assert exc.value.code == "unknown_rule"
    with pytest.raises(CalcError):
        rules_for(date(2024, 7, 1), {"late_fee.minimum": "-1"})


@pytest.mark.parametrize(
    ("inp", "code"),
    [
        ({"customer": "other", "bills": [{"amount": "1", "due": "2000-01-01"}]}, "missing_field"),
        ({"customer": "x", "bills": [{"amount": "1", "due": "2000-01-01"}], "paid": "2000-02-01"}, "invalid_value"),
        ({"customer": "other", "bills": [{"amount": "1", "due": "2000-13-01"}], "paid": "2000-02-01"}, "invalid_date"),
        ({"customer": "other", "bills": [{"amount": "-1", "due": "2000-01-01"}], "paid": "2000-02-01"}, "invalid_value"),
        ({"customer": "other", "bills": [], "paid": "2000-02-01"}, "invalid_value"),
    ],
)
def test_bad_input(inp: dict[str, object], code: str) -> None:
    with pytest.raises(CalcError) as exc:
        calc_late_fee(inp, date(2000, 2, 1))
    assert exc.value.code == code


# ---- properties -------------------------------------------------------------------------------


@given(amounts, dates, st.integers(0, 800), st.integers(0, 800), customers)
def test_monotone_in_days(amount: Decimal, due: date, d1: int, d2: int, customer: str) -> None:
    early, late = sorted((d1, d2))
    a = accrued_late_fee(amount, due, due + timedelta(days=early), customer, R)
    b = accrued_late_fee(amount, due, due + timedelta(days=late), customer, R)
    assert b.amount >= a.amount
    assert b.charged >= a.charged


@given(amounts, amounts, dates, st.integers(0, 800), customers)
def test_monotone_in_amount(a1: Decimal, a2: Decimal, due: date, days: int, customer: str) -> None:
    low, high = sorted((a1, a2))
    paid = due + timedelta(days=days)
    assert (
        accrued_late_fee(high, due, paid, customer, R).charged
        >= accrued_late_fee(low, due, paid, customer, R).charged
    )


@given(dates, st.integers(-30, 1200))
def test_day_split_sums_to_total_across_years(due: date, days: int) -> None:
    paid = due + timedelta(days=days)
    current, cross = split_overdue_days(due, paid)
    assert current + cross == max(0, days)
    assert current >= 0 and cross >= 0
    # the current-year part never passes 31 December of the bill's year
    assert current <= (date(due.year, 12, 31) - due).days
    if paid.year == due.year:
        assert cross == 0
    elif days > 0:
        assert current == (date(due.year, 12, 31) - due).days


@given(amounts, dates, st.integers(0, 400), customers, st.sampled_from([RULES_1996, RULES_2024]))
def test_daily_accrual_sums_to_total(amount: Decimal, due: date, days: int, customer: str, rules: RuleSet) -> None:
    through = due + timedelta(days=days)
    daily = sum(
        (late_fee_for_day(amount, due, due + timedelta(days=k), customer, rules) for k in range(1, days + 1)),
        Decimal(0),
    )
    fee = accrued_late_fee(amount, due, through, customer, rules)
    assert daily == fee.amount
    if days > 0 and amount > 0:
        assert fee.charged == max(fee.amount, rules.late_fee.minimum)
