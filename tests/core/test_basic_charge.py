"""Basic charge: capacity mode (interlock, sealed standby, suspension, part months) and demand mode."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from powercis.core.basic_charge import (
    basic_from_input,
    billable_capacity,
    calc_basic_charge,
    capacity_charge,
    demand_charge,
)
from powercis.core.errors import CalcError

D = Decimal
BEFORE_2023 = date(2023, 5, 31)
AFTER_2023 = date(2023, 6, 1)


def test_case_2p04_interlocked_group_counts_largest() -> None:
    inp = {
        "price": "30",
        "transformers": [{"id": "T1", "kva": 500}, {"id": "T2", "kva": 630}, {"id": "T3", "kva": 200}],
        "interlocked": [["T1", "T2"]],
    }
    assert calc_basic_charge(inp, None) == {"capacity_kva": "830", "amount": "24900.00"}


def test_sealed_and_motors() -> None:
    ts = [{"id": "T1", "kva": 1000}, {"id": "T2", "kva": 1000, "sealed": True}]
    assert billable_capacity(ts, motors=[{"kw": 200}]) == D(1200)


def test_suspension() -> None:
    inp = {
        "price": "20",
        "transformers": [{"id": "T1", "kva": 1000}, {"id": "T2", "kva": 1000}],
        "suspensions": [{"kva": 1000, "days": 20, "month_days": 30, "charge_rate": "0.5"}],
    }
    r = calc_basic_charge(inp, None)
    # 2000 − 1000 × 20/30 × 0.5 = 1666.67 kVA → 33,333.33
    assert D(r["capacity_kva"]).quantize(D("0.01")) == D("1666.67")
    assert r["amount"] == "33333.33"


def test_unknown_interlocked_transformer() -> None:
    with pytest.raises(CalcError):
        billable_capacity([{"id": "T1", "kva": 100}], [["T1", "T9"]])


def test_capacity_part_month() -> None:
    assert capacity_charge(D(320), D(16), 6, 30).amount == D("1024.00")
    # month_days missing → the 1/30 rule
    assert capacity_charge(D(320), D(16), 6).amount == D("1024.00")
    assert capacity_charge(D(320), D(16)).amount == D("5120.00")


def test_demand_at_or_below_105_percent_uses_contract() -> None:
    for actual in (D(0), D(800), D(1000), D(1050)):
        assert demand_charge(D(1000), D(40), actual_kw=actual, on=BEFORE_2023).amount == D("40000.00")


def test_demand_above_105_percent_double_price_on_excess() -> None:
    c = demand_charge(D(1000), D(40), actual_kw=D(1200), on=BEFORE_2023)
    assert c.amount == D(1050 * 40 + 150 * 80)
    assert "超出" in c.formula


def test_demand_floor_40_percent_of_capacity() -> None:
    c = demand_charge(D(300), D(40), capacity_kva=D(1000), on=BEFORE_2023)
    assert c.quantity == D(400) and c.amount == D("16000.00")


def test_demand_260_rule_only_from_effective_date() -> None:
    kwargs = {"capacity_kva": D(1000), "month_kwh": D(260000)}
    assert demand_charge(D(800), D(40), on=BEFORE_2023, **kwargs).amount == D("32000.00")
    assert demand_charge(D(800), D(40), on=AFTER_2023, **kwargs).amount == D("28800.00")
    below = {"capacity_kva": D(1000), "month_kwh": D(259999)}
    assert demand_charge(D(800), D(40), on=AFTER_2023, **below).amount == D("32000.00")


def test_basic_from_input_modes() -> None:
    assert basic_from_input({"capacity_kva": 5000, "price": "15"}, 30, 30, None, None).amount == D(75000)
    assert basic_from_input({"demand_kw": 500, "price": "40"}, 15, 30, None, None).amount == D(10000)
    t = {"transformers": [{"id": "A", "kva": 400}, {"id": "B", "kva": 315}], "interlocked": [["A", "B"]], "price": 10}
    assert basic_from_input(t, None, None, None, None).amount == D(4000)
    with pytest.raises(CalcError):
        basic_from_input({"price": 10}, None, None, None, None)


@given(
    st.integers(min_value=1, max_value=5000),
    st.integers(min_value=0, max_value=20000),
    st.decimals(min_value=1, max_value=60, places=2),
)
def test_demand_charge_monotone_and_continuous(contract: int, actual: int, price: Decimal) -> None:
    """More actual demand never costs less; at exactly 105 % there is no jump."""
    a = demand_charge(D(contract), price, actual_kw=D(actual), on=BEFORE_2023).amount
    b = demand_charge(D(contract), price, actual_kw=D(actual + 1), on=BEFORE_2023).amount
    assert b >= a
    at = demand_charge(D(contract), price, actual_kw=D(contract) * D("1.05"), on=BEFORE_2023).amount
    assert at == (D(contract) * price).quantize(D("0.01"))


@given(st.integers(min_value=0, max_value=31), st.integers(min_value=28, max_value=31))
def test_capacity_proration_bounded(days: int, month_days: int) -> None:
    if days > month_days:
        days = month_days
    amount = capacity_charge(D(630), D("25"), days, month_days).amount
    assert D(0) <= amount <= D(630 * 25)
