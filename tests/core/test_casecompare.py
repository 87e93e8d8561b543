"""``casecompare.compare``: the FORMAT.md rule for judging a result against a published answer."""

from __future__ import annotations

from decimal import Decimal

from powercis.core.casecompare import compare, places_of


def test_exact_match_and_extra_result_keys_ignored() -> None:
    assert compare({"total": "190.00"}, {"total": "190.00", "bills": []}) == []


def test_result_rounded_to_expected_places() -> None:
    assert compare({"correction_ratio": "0.125"}, {"correction_ratio": "0.1249999999"}) == []
    assert compare({"kwh": "50000"}, {"kwh": "50000.00"}) == []
    assert compare({"adjust_percent": "5"}, {"adjust_percent": "5.0"}) == []


def test_rounding_is_half_up() -> None:
    assert compare({"x": "0.13"}, {"x": "0.125"}) == []
    assert compare({"x": "-0.13"}, {"x": "-0.125"}) == []
    assert compare({"x": "0.12"}, {"x": "0.125"}) != []


def test_money_must_be_right_to_the_fen() -> None:
    out = compare({"total": "121.50"}, {"total": "121.51"})
    assert out and "total" in out[0]


def test_tolerance_applies_and_is_not_compared() -> None:
    assert compare({"total": "121.50", "tolerance": "0.01"}, {"total": "121.51"}) == []
    assert compare({"total": "121.50", "tolerance": "0.01"}, {"total": "121.52"}) != []


def test_missing_key_reported() -> None:
    assert compare({"penalty": "150.00"}, {"supplementary": "0.00"}) == [
        "penalty: missing in result (expected 150.00)"
    ]


def test_items_compared_item_by_item() -> None:
    expected = {"items": {"basic": "75000.00", "fixed:照明": "1400.00"}}
    assert compare(expected, {"items": {"basic": "75000.00", "fixed:照明": "1400.00", "funds": "1"}}) == []
    out = compare(expected, {"items": {"basic": "75000.01", "fixed:照明": "1400.00"}})
    assert out == ["items.basic: expected 75000.00, got 75000.01 (rounded 75000.01)"]
    assert compare(expected, {"items": {"basic": "75000.00"}}) == [
        "items.fixed:照明: missing in result (expected 1400.00)"
    ]


def test_lists_elementwise() -> None:
    assert compare({"pf": ["0.84", "0.90"]}, {"pf": ["0.84", "0.90"]}) == []
    assert compare({"pf": ["0.84", "0.90"]}, {"pf": ["0.84"]}) == ["pf: expected 2 elements, got 1"]
    assert compare({"pf": ["0.84", "0.90"]}, {"pf": ["0.84", "0.91"]}) == [
        "pf[1]: expected 0.90, got 0.91 (rounded 0.91)"
    ]
    bills = {"bills": [{"late_fee": "172.00"}, {"late_fee": "18.00"}]}
    assert compare(bills, {"bills": [{"late_fee": "172.00", "days": "34"}, {"late_fee": "18.00"}]}) == []


def test_scalar_vs_list_and_non_numbers() -> None:
    assert compare({"pf": "0.84"}, {"pf": ["0.84"]}) != []
    assert compare({"pf": ["0.84"]}, {"pf": "0.84"}) != []
    assert compare({"name": "照明"}, {"name": "照明"}) == []
    assert compare({"name": "照明"}, {"name": "动力"}) != []
    assert compare({"kwh": "6250"}, {"kwh": "n/a"}) != []


def test_json_numbers_in_expected() -> None:
    assert compare({"kwh": 6250}, {"kwh": "6250.00"}) == []
    assert compare({"rate": 1.92}, {"rate": "1.923"}) == []


def test_places_of() -> None:
    assert places_of(Decimal("72697.50")) == 2
    assert places_of(Decimal("5")) == 0
    assert places_of(Decimal("1E+3")) == 0
