"""线损: loss = supply − sales, rate in percent half-up to 2 decimals, money, supply from inputs/outputs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from powercis.core.errors import CalcError
from powercis.core.lineloss import calc_line_loss, line_loss
from powercis.core.money import round_half_up
from powercis.core.rules import RULES_1996

D = Decimal
ON = date(2015, 1, 1)


def test_ll02() -> None:
    r = calc_line_loss({"supply_kwh": 7800, "sales_kwh": 7650, "price": "0.55"}, ON)
    assert r == {"supply_kwh": "7800", "sales_kwh": "7650", "loss_kwh": "150", "loss_rate_percent": "1.92",
                 "amount": "82.50"}


def test_supply_from_inputs_and_outputs() -> None:
    r = calc_line_loss({"inputs_kwh": [100000, 15000], "outputs_kwh": [4000, 37000], "sales_kwh": 69000}, ON)
    assert (r["supply_kwh"], r["loss_kwh"], r["loss_rate_percent"]) == ("74000", "5000", "6.76")
    assert "amount" not in r


def test_negative_loss_is_kept() -> None:
    r = calc_line_loss({"supply_kwh": 1000, "sales_kwh": 1010}, ON)
    assert (r["loss_kwh"], r["loss_rate_percent"]) == ("-10", "-1.00")


def test_rate_half_up() -> None:
    # 1/800 = 0.125% → 0.13
    assert line_loss(D(800), D(799), RULES_1996).loss_rate_percent == D("0.13")


@pytest.mark.parametrize(
    ("inp", "code"),
    [
        ({"supply_kwh": 0, "sales_kwh": 0}, "invalid_value"),
        ({"supply_kwh": 100}, "missing_field"),
        ({"sales_kwh": 100}, "missing_field"),
        ({"inputs_kwh": [-5], "sales_kwh": 1}, "invalid_value"),
    ],
)
def test_bad_input(inp: dict[str, Any], code: str) -> None:
    with pytest.raises(CalcError) as exc:
        calc_line_loss(inp, ON)
    assert exc.value.code == code


kwh = st.decimals(min_value=0, max_value=10**8, places=2, allow_nan=False, allow_infinity=False)


@given(kwh.filter(lambda v: v > 0), kwh, st.decimals(min_value=0, max_value=2, places=4))
def test_loss_identity_and_rate_rounding(supply: Decimal, sales: Decimal, price: Decimal) -> None:
    r = line_loss(supply, sales, RULES_1996, price)
    assert r.loss_kwh == supply - sales
    assert r.loss_rate_percent == round_half_up((supply - sales) * 100 / supply, 2)
    assert r.loss_rate_percent.as_tuple().exponent == -2
    assert abs(r.loss_rate_percent - (supply - sales) * 100 / supply) <= D("0.005")
    assert r.amount is not None and r.amount.as_tuple().exponent == -2
