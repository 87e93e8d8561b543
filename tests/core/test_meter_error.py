"""计量差错退补: error percent (half-period rule), wrong wiring (phase factors / CT ratios), pricing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from powercis.core.errors import CalcError
from powercis.core.meter_error import (
    calc_meter_error,
    error_percent_correction,
    phase_factors_from_cts,
    round_fraction,
    wiring_correction,
)
from powercis.core.rules import RULES_1996

D = Decimal
ON = date(2010, 1, 1)


def test_err02_slow_meter_half_period() -> None:
    r = calc_meter_error({"type": "error_percent", "error_percent": "-10", "metered_kwh": 900000, "half_period": True}, ON)
    assert r["kwh"] == "50000.00"
    assert r["period_factor"] == "0.5"
    assert r["correction_ratio"] == "0.111111111111"


def test_fast_meter_is_a_refund() -> None:
    r = calc_meter_error({"type": "error_percent", "error_percent": "25", "metered_kwh": 1000, "price": "0.5"}, ON)
    assert r["correction_ratio"] == "-0.2"
    assert (r["kwh"], r["amount"]) == ("-200.00", "-100.00")


def test_err05_wrong_ct_on_one_phase() -> None:
    r = calc_meter_error(
        {"type": "wiring", "meter_ct": "200/5", "phase_cts": ["200/5", "200/5", "300/5"], "metered_kwh": 50000}, ON
    )
    assert r["correction_ratio"] == "0.125"
    assert r["kwh"] == "6250.00"
    assert r["fraction"] == "0.888888888889"


def test_reversed_phase() -> None:
    r = calc_meter_error({"type": "wiring", "phase_factors": [1, 1, -1], "metered_kwh": 1000, "price": "0.5"}, ON)
    assert (r["correction_ratio"], r["kwh"], r["amount"]) == ("2", "2000.00", "1000.00")


def test_metered_registers_with_time_of_use_price() -> None:
    r = calc_meter_error(
        {"type": "wiring", "phase_factors": [1, 0, 1], "metered": {"total": 3000, "peak": 1000, "valley": 500},
         "price": {"flat": "0.4", "peak_factor": "1.5", "valley_factor": "0.5"}},
        ON,
    )
    # ratio 0.5: total 1500, peak 500, valley 250, flat 750
    assert r["kwh"] == "1500.00"
    assert r["kwh_by_period"] == {"peak": "500.00", "valley": "250.00", "flat": "750.00"}
    assert r["items"] == {"energy:peak": "300.00", "energy:valley": "50.00", "energy:flat": "300.00"}
    assert r["amount"] == "650.00"


def test_round_kwh_option() -> None:
    r = calc_meter_error({"type": "error_percent", "error_percent": "-3", "metered_kwh": 1000, "round_kwh": 0}, ON)
    assert r["kwh"] == "31"  # 1000/0.97 − 1000 = 30.93


@pytest.mark.parametrize(
    ("inp", "code"),
    [
        ({"type": "error_percent", "error_percent": "-100", "metered_kwh": 1}, "invalid_value"),
        ({"type": "error_percent", "metered_kwh": 1}, "missing_field"),
        ({"type": "wiring", "phase_factors": [1, -1], "metered_kwh": 1}, "invalid_value"),
        ({"type": "wiring", "meter_ct": "200/5", "phase_cts": ["0/5"], "metered_kwh": 1}, "invalid_ratio"),
        ({"type": "wiring", "phase_factors": [1, 1, -1]}, "missing_field"),
        ({"type": "magic", "metered_kwh": 1}, "invalid_value"),
        ({"type": "wiring", "phase_factors": [1, 1, -1], "metered": {"total": 10, "peak": 20}}, "invalid_value"),
    ],
)
def test_bad_input(inp: dict[str, Any], code: str) -> None:
    with pytest.raises(CalcError) as exc:
        calc_meter_error(inp, ON)
    assert exc.value.code == code


def test_round_fraction_half_up() -> None:
    assert round_fraction(Fraction(1, 8), 2) == D("0.13")
    assert round_fraction(Fraction(-1, 8), 2) == D("-0.13")
    assert round_fraction(Fraction(2, 3), 0) == D("1")


factors = st.fractions(min_value=-2, max_value=2, max_denominator=100)


@given(st.lists(factors, min_size=1, max_size=4))
def test_wiring_correction_identity(fs: list[Fraction]) -> None:
    if sum(fs) == 0:
        with pytest.raises(CalcError):
            wiring_correction(fs, RULES_1996)
        return
    c = wiring_correction(fs, RULES_1996)
    assert c.fraction is not None
    assert c.fraction * (1 + c.ratio) == 1


@given(st.sampled_from(["200/5", "300/5", "150/5", "100/5", "75/5"]), st.lists(
    st.sampled_from(["200/5", "300/5", "150/5", "100/5", "75/5"]), min_size=3, max_size=3))
def test_ct_factors_identity(meter_ct: str, phase_cts: list[str]) -> None:
    c = wiring_correction(phase_factors_from_cts(meter_ct, phase_cts), RULES_1996)
    assert c.fraction is not None
    assert c.fraction * (1 + c.ratio) == 1
    if all(ct == meter_ct for ct in phase_cts):
        assert c.ratio == 0


@given(st.decimals(min_value=-99, max_value=200, places=2), st.booleans())
def test_error_percent_correction_recovers_true_energy(e: Decimal, half: bool) -> None:
    c = error_percent_correction(e, half, RULES_1996)
    registered = 1 + Fraction(e) / 100
    assert registered * (1 + c.ratio) == 1
    assert c.period_factor == (Fraction(1, 2) if half else 1)
