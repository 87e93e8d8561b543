"""窃电 and 违约用电: published cases, rule defaults, the rounded-line multiple, and every violation type."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from powercis.core.errors import CalcError
from powercis.core.money import round_money
from powercis.core.rules import RULES_1996, RULES_2024, rules_for
from powercis.core.theft import TheftInput, calc_theft, calc_violation, theft_charges

D = Decimal
ON = date(2010, 1, 1)

caps = st.decimals(min_value=0, max_value=10_000, places=3, allow_nan=False, allow_infinity=False)
prices = st.decimals(min_value=0, max_value=5, places=4, allow_nan=False, allow_infinity=False)
hours = st.decimals(min_value=0, max_value=24, places=1, allow_nan=False, allow_infinity=False)
days = st.integers(min_value=0, max_value=1000).map(Decimal)
customers = st.sampled_from(["power", "lighting"])


def test_th01_power_user_unknown_period() -> None:
    r = calc_theft({"customer": "power", "capacity_kw": 2, "hours_per_day": None, "days": None, "price": "0.40"}, ON)
    assert (r["kwh"], r["supplementary"], r["penalty"], r["total"]) == ("4320", "1728.00", "5184.00", "6912.00")
    assert r["defaults_used"] == ["hours_per_day", "days"]


def test_th02_lighting_user_six_hours() -> None:
    r = calc_theft({"customer": "lighting", "capacity_kw": 2, "price": "0.30"}, ON)
    assert (r["kwh"], r["supplementary"], r["penalty"]) == ("2160", "648.00", "1944.00")


def test_known_kwh_wins() -> None:
    r = calc_theft({"customer": "power", "capacity_kw": 2, "kwh": 1000, "price": "0.5"}, ON)
    assert r["kwh"] == "1000" and r["supplementary"] == "500.00" and r["defaults_used"] == []


def test_penalty_multiplies_the_rounded_line() -> None:
    # 1 kWh × 0.3333 = 0.3333 → 0.33; penalty 3 × 0.33 = 0.99 (not round(0.9999) = 1.00)
    r = calc_theft({"customer": "power", "kwh": 1, "price": "0.3333"}, ON)
    assert (r["supplementary"], r["penalty"], r["total"]) == ("0.33", "0.99", "1.32")


def test_contract_multiple_override_2024() -> None:
    rules = rules_for(date(2024, 7, 1), {"theft.penalty_multiple": "2"})
    r = theft_charges(TheftInput("power", D("1"), kwh=D("100")), rules)
    assert r.penalty == D("200.00")


@pytest.mark.parametrize(
    ("inp", "code"),
    [
        ({"customer": "power", "price": "0.4"}, "missing_field"),
        ({"customer": "power", "capacity_kw": 2}, "missing_field"),
        ({"customer": "shop", "capacity_kw": 2, "price": "0.4"}, "invalid_value"),
        ({"customer": "power", "capacity_kw": -2, "price": "0.4"}, "invalid_value"),
        ({"customer": "power", "capacity_kw": "abc", "price": "0.4"}, "invalid_number"),
        ({"customer": "power", "capacity_kw": 2, "hours_per_day": 25, "price": "0.4"}, "invalid_value"),
    ],
)
def test_theft_bad_input(inp: dict[str, Any], code: str) -> None:
    with pytest.raises(CalcError) as exc:
        calc_theft(inp, ON)
    assert exc.value.code == code


@given(caps, hours, days, prices, customers)
def test_known_period_used_exactly(cap: Decimal, h: Decimal, d: Decimal, price: Decimal, customer: str) -> None:
    r = theft_charges(TheftInput(customer, price, cap, h, d), RULES_1996)
    assert r.kwh == cap * h * d
    assert r.defaults_used == ()


@given(caps, prices, customers, st.booleans(), st.booleans(), hours, days)
def test_defaults_only_when_unknown(
    cap: Decimal, price: Decimal, customer: str, know_h: bool, know_d: bool, h: Decimal, d: Decimal
) -> None:
    r = theft_charges(TheftInput(customer, price, cap, h if know_h else None, d if know_d else None), RULES_1996)
    want_h = h if know_h else (D(6) if customer == "lighting" else D(12))
    want_d = d if know_d else D(180)
    assert r.kwh == cap * want_h * want_d
    assert ("hours_per_day" in r.defaults_used) == (not know_h)
    assert ("days" in r.defaults_used) == (not know_d)


@given(caps, hours, days, prices, customers, st.decimals(min_value=0, max_value=10**6, places=2))
def test_kwh_given_wins(cap: Decimal, h: Decimal, d: Decimal, price: Decimal, customer: str, kwh: Decimal) -> None:
    r = theft_charges(TheftInput(customer, price, cap, h, d, kwh=kwh), RULES_1996)
    assert r.kwh == kwh


@given(caps, prices, customers, st.sampled_from([RULES_1996, RULES_2024]))
def test_penalty_is_multiple_of_rounded_supplementary(cap: Decimal, price: Decimal, customer: str, rules: Any) -> None:
    r = theft_charges(TheftInput(customer, price, cap), rules)
    assert r.supplementary == round_money(r.kwh * price)
    assert r.penalty == rules.theft.penalty_multiple * r.supplementary
    assert r.total == r.supplementary + r.penalty


# ---- 违约用电 ------------------------------------------------------------------------------------


def test_wy01_two_part_capacity_overrun() -> None:
    r = calc_violation(
        {"type": "capacity_overrun", "two_part": True, "kva": 315, "basic_price": "20", "months": 1,
         "extra_days": 7, "month_days": 30},
        date(2008, 9, 30),
    )
    assert (r["supplementary"], r["penalty"], r["total"]) == ("7770.00", "23310.00", "31080.00")


def test_wy04a_single_part_capacity_overrun() -> None:
    r = calc_violation({"type": "capacity_overrun", "two_part": False, "kw": 3}, ON)
    assert (r["supplementary"], r["penalty"], r["total"]) == ("0.00", "150.00", "150.00")


def test_class_change_unknown_period_three_months() -> None:
    r = calc_violation(
        {"type": "class_change", "price_contract": "0.5653",
         "uses": [{"capacity_kw": 5, "customer": "power", "price": "0.7625"}], "months": None, "month_days": 30},
        ON,
    )
    # 5 kW × 12 h × 90 d = 5400 kWh; × 0.1972 = 1064.88; penalty 2× = 2129.76
    assert r["kwh"] == "5400"
    assert (r["supplementary"], r["penalty"], r["total"]) == ("1064.88", "2129.76", "3194.64")


def test_class_change_known_months_and_lighting_use() -> None:
    r = calc_violation(
        {"type": "class_change", "price_contract": "0.5",
         "uses": [{"capacity_kw": 1, "customer": "lighting", "price": "0.8"}], "months": 2, "month_days": 30},
        ON,
    )
    assert r["kwh"] == "360"  # 1 × 6 × 60
    assert r["supplementary"] == "108.00"


def test_class_change_known_energy() -> None:
    r = calc_violation({"type": "class_change", "kwh": 650, "price_contract": "0.5", "price": "0.8"}, ON)
    assert (r["kwh"], r["supplementary"], r["penalty"]) == ("650", "195.00", "390.00")


def test_sealed_equipment_use() -> None:
    r = calc_violation(
        {"type": "sealed_equipment_use", "two_part": True, "kva": 100, "basic_price": "20", "months": 0,
         "extra_days": 15, "month_days": 30},
        ON,
    )
    assert (r["supplementary"], r["penalty"]) == ("1000.00", "2000.00")
    r = calc_violation({"type": "sealed_equipment_use", "two_part": False, "kw": 10, "occasions": 2}, ON)
    assert r["penalty"] == "600.00"


def test_metering_tamper_quota_and_unauthorized_source() -> None:
    assert calc_violation({"type": "metering_tamper", "customer": "residential"}, ON)["penalty"] == "500.00"
    assert calc_violation({"type": "metering_tamper", "customer": "other", "occasions": 2}, ON)["penalty"] == "10000.00"
    r = calc_violation({"type": "quota_overrun", "excess_kw": 100, "excess_kwh": 1000, "price": "0.5"}, ON)
    assert r["penalty"] == "2600.00"  # 100 × 1 + 5 × 500.00
    assert calc_violation({"type": "unauthorized_source", "kva": 10}, ON)["penalty"] == "5000.00"


@pytest.mark.parametrize(
    ("inp", "code"),
    [
        ({"type": "nope"}, "invalid_value"),
        ({"type": "capacity_overrun", "kw": 3}, "missing_field"),
        ({"type": "capacity_overrun", "two_part": True, "kva": 3, "basic_price": "20"}, "missing_field"),
        ({"type": "capacity_overrun", "two_part": False}, "missing_field"),
        ({"type": "class_change", "kwh": 10, "price_contract": "0.8", "price": "0.5"}, "invalid_value"),
        ({"type": "quota_overrun", "excess_kw": 1, "excess_kwh": 10}, "missing_field"),
        ({"type": "metering_tamper"}, "missing_field"),
    ],
)
def test_violation_bad_input(inp: dict[str, Any], code: str) -> None:
    with pytest.raises(CalcError) as exc:
        calc_violation(inp, ON)
    assert exc.value.code == code


@given(st.decimals(min_value=0, max_value=10_000, places=1), st.decimals(min_value=0, max_value=100, places=2),
       st.integers(0, 12), st.integers(1, 30))
def test_two_part_penalty_multiples(kva: Decimal, price: Decimal, months: int, extra: int) -> None:
    base = {"two_part": True, "kva": str(kva), "basic_price": str(price), "months": months, "extra_days": extra}
    over = calc_violation({"type": "capacity_overrun", **base}, ON)
    sealed = calc_violation({"type": "sealed_equipment_use", **base}, ON)
    assert over["supplementary"] == sealed["supplementary"]
    assert D(over["penalty"]) == 3 * D(over["supplementary"])
    assert D(sealed["penalty"]) == 2 * D(sealed["supplementary"])
