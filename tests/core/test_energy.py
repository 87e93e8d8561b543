"""Multiplier, register differences with rollover, and the ``energy`` case kind."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from powercis.core.energy import calc_energy, multiplier, register_delta
from powercis.core.errors import CalcError

D = Decimal


def test_multiplier() -> None:
    assert multiplier("50/5", "10000/100") == D(1000)
    assert multiplier("150/5", "10000/100") == D(3000)
    assert multiplier("100/5", None) == D(20)
    assert multiplier("300/5", "1/1", turns=2) == D(30)
    assert multiplier(None, None) == D(1)
    assert multiplier(40, 1) == D(40)
    with pytest.raises(CalcError):
        multiplier("0/5")
    with pytest.raises(CalcError):
        multiplier("50/5", turns=0)


def test_register_delta() -> None:
    assert register_delta(5953.8, 6124.4) == D("170.6")
    assert register_delta("9990", "10", digits=4) == D(20)
    with pytest.raises(CalcError) as e:
        register_delta(100, 90)
    assert e.value.code == "reading_below_previous"
    with pytest.raises(CalcError) as e:
        register_delta(100, 12000, digits=4)
    assert e.value.code == "reading_over_range"


@given(
    st.integers(min_value=4, max_value=8),
    st.integers(min_value=0, max_value=10**12),
    st.integers(min_value=0, max_value=10**12),
    st.integers(min_value=0, max_value=2),
)
def test_register_delta_is_modular(digits: int, a: int, b: int, places: int) -> None:
    """The advance is (end − start) mod 10**digits, readings may carry decimals."""
    top = 10**digits * 10**places
    start_units, end_units = a % top, b % top
    scale = D(10) ** -places
    start, end = D(start_units) * scale, D(end_units) * scale
    delta = register_delta(start, end, digits)
    assert delta == D((end_units - start_units) % top) * scale
    assert 0 <= delta < D(10) ** digits


def test_calc_energy_cases() -> None:
    r = calc_energy({"meters": [{"start": 2155, "end": 2305, "ct": "50/5", "pt": "10000/100"}], "price": "0.53"}, None)
    assert r == {"multiplier": "1000", "kwh": "150000", "amount": "79500.00"}
    r = calc_energy({"meters": [{"delta": 100, "ct": "100/5"}, {"delta": 200, "ct": "50/5"}, {"delta": 500, "ct": "30/5"}]}, None)
    assert r["kwh"] == "7000"
    r = calc_energy({"meters": [{"start": 99990, "end": 10, "digits": 5, "ct": "50/5", "turns": 2}]}, None)
    assert r == {"multiplier": "5", "kwh": "100"}


def test_calc_energy_errors() -> None:
    with pytest.raises(CalcError):
        calc_energy({"meters": []}, None)
    with pytest.raises(CalcError):
        calc_energy({"meters": [{"ct": "50/5"}]}, None)


@given(st.decimals(min_value=0, max_value=10**7, places=2), st.decimals(min_value=0, max_value=10, places=4))
def test_energy_amount_is_rounded_product(kwh: Decimal, price: Decimal) -> None:
    r = calc_energy({"meters": [{"delta": str(kwh)}], "price": str(price)}, None)
    assert D(r["amount"]) == (kwh * price).quantize(D("0.01"), rounding="ROUND_HALF_UP")
