"""停电赔偿: likely energy × price × 4 (single-part) or 5 (two-part), the multiple on the rounded line."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from powercis.core.compensation import calc_outage_compensation, outage_compensation
from powercis.core.errors import CalcError
from powercis.core.money import round_money
from powercis.core.rules import RULES_1996, RULES_2024, rules_for

D = Decimal
ON = date(2010, 7, 31)


def test_other01_single_part() -> None:
    r = calc_outage_compensation(
        {"tariff": "single_part", "outage_hours": 30, "normal_kwh": 30000, "normal_days": 30, "price": "0.40"}, ON
    )
    assert (r["kwh"], r["charge"], r["multiple"], r["amount"]) == ("1250.00", "500.00", "4", "2000.00")


def test_two_part_multiple_five() -> None:
    r = calc_outage_compensation(
        {"tariff": "two_part", "outage_hours": 30, "normal_kwh": 30000, "normal_days": 30, "price": "0.40"}, ON
    )
    assert r["amount"] == "2500.00"


def test_non_terminating_energy_is_rounded_then_priced() -> None:
    r = calc_outage_compensation(
        {"tariff": "single_part", "outage_hours": 1, "normal_kwh": 1000, "normal_days": 31, "price": "0.5"}, ON
    )
    # 1000 / 31 / 24 = 1.3440… → 1.34 kWh; 0.67 yuan; × 4 = 2.68
    assert (r["kwh"], r["charge"], r["amount"]) == ("1.34", "0.67", "2.68")


@pytest.mark.parametrize(
    ("inp", "code"),
    [
        ({"tariff": "x", "outage_hours": 1, "normal_kwh": 1, "normal_days": 1, "price": "1"}, "invalid_value"),
        ({"tariff": "two_part", "outage_hours": 1, "normal_kwh": 1, "normal_days": 0, "price": "1"}, "invalid_value"),
        ({"tariff": "two_part", "normal_kwh": 1, "normal_days": 1, "price": "1"}, "missing_field"),
    ],
)
def test_bad_input(inp: dict[str, Any], code: str) -> None:
    with pytest.raises(CalcError) as exc:
        calc_outage_compensation(inp, ON)
    assert exc.value.code == code


def test_contract_override() -> None:
    rules = rules_for(date(2025, 1, 1), {"compensation.multiple_two_part": "3"})
    assert outage_compensation("two_part", D(100), D("0.5"), rules).amount == D("150.00")


@given(st.decimals(min_value=0, max_value=10**6, places=2), st.decimals(min_value=0, max_value=3, places=4),
       st.sampled_from([RULES_1996, RULES_2024]))
def test_multiples(kwh: Decimal, price: Decimal, rules: Any) -> None:
    single = outage_compensation("single_part", kwh, price, rules)
    double = outage_compensation("two_part", kwh, price, rules)
    assert single.charge == double.charge == round_money(kwh * price)
    assert single.amount == 4 * single.charge
    assert double.amount == 5 * double.charge
