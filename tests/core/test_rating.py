"""The scalar rater: shared cases of my kinds, and properties of the rating (Hypothesis)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from powercis.core.basic_charge import calc_basic_charge
from powercis.core.energy import calc_energy
from powercis.core.errors import CalcError
from powercis.core.pf import calc_pf
from powercis.core.rating import (
    PERIOD_SEGMENT,
    calc_bill,
    prorate_annual_thresholds,
    rate_bill,
    tier_split,
)
from powercis.core.tariff_rules import RULE_TIERS
from powercis.core.transformer_loss import calc_transformer_loss

D = Decimal
CENT = D("0.01")

# ---------------------------------------------------------------------------------------------------
# shared cases
# ---------------------------------------------------------------------------------------------------

CALCS: dict[str, Callable[[Mapping[str, Any], date | None], Mapping[str, Any]]] = {
    "bill": calc_bill,
    "energy": calc_energy,
    "pf": calc_pf,
    "basic_charge": calc_basic_charge,
    "transformer_loss": calc_transformer_loss,
}


def _cases_dir() -> Path:
    env = os.environ.get("POWERCIS_SHARED")
    base = Path(env) if env else Path(__file__).resolve().parents[2].parent / "shared"
    return base / "cases"


def _my_cases() -> list[dict[str, Any]]:
    d = _cases_dir()
    if not d.is_dir():
        return []
    cases = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(d.glob("*.json"))]
    return [c for c in cases if c.get("kind") in CALCS]


def _matches(expected: Any, actual: Any, tolerance: Decimal) -> bool:
    """FORMAT.md: round the result half-up to the expected value's decimals, then compare within tolerance."""
    if isinstance(expected, list):
        return isinstance(actual, list) and len(expected) == len(actual) and all(
            _matches(e, a, tolerance) for e, a in zip(expected, actual, strict=True)
        )
    exp = D(str(expected))
    exponent = exp.as_tuple().exponent
    places = max(-exponent, 0) if isinstance(exponent, int) else 0
    got = D(str(actual)).quantize(D(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return abs(got - exp) <= tolerance


def compare(expected: Mapping[str, Any], result: Mapping[str, Any]) -> list[str]:
    tol = D(str(expected.get("tolerance", "0")))
    problems = []
    for key, exp in expected.items():
        if key == "tolerance":
            continue
        if key == "items":
            for item, value in exp.items():
                got = result.get("items", {}).get(item)
                if got is None or not _matches(value, got, tol):
                    problems.append(f"items.{item}: expected {value}, got {got}")
        elif key not in result or not _matches(exp, result[key], tol):
            problems.append(f"{key}: expected {exp}, got {result.get(key)}")
    return problems


MY_CASES = _my_cases()


@pytest.mark.skipif(not MY_CASES, reason="shared cases not found (set POWERCIS_SHARED)")
@pytest.mark.parametrize("case", MY_CASES, ids=[c["id"] for c in MY_CASES])
def test_cases_of_my_kinds(case: dict[str, Any]) -> None:
    on = date.fromisoformat(case["date"]) if case.get("date") else None
    result = CALCS[case["kind"]](case["input"], on)
    assert compare(case["expected"], result) == []


# ---------------------------------------------------------------------------------------------------
# examples
# ---------------------------------------------------------------------------------------------------

TWO_PART_01: dict[str, Any] = {
    "days": 30, "month_days": 30,
    "meter": {"ct": "150/5", "pt": "10000/100", "registers": {
        "total": [5953.8, 6124.4], "peak": [4639.2, 4675.1], "valley": [4565.9, 4592.7], "reactive": [3459.8, 3496.5]}},
    "price": {"flat": "0.45", "peak_factor": "1.5", "valley_factor": "0.5"},
    "fixed_quantities": [{"name": "照明", "kwh": 2000, "price": "0.70"}],
    "basic": {"capacity_kva": 5000, "price": "15"},
    "pf_standard": "0.90",
    "funds": [{"name": "三峡基金", "price": "0.007"}, {"name": "还贷资金", "price": "0.02"}],
    "tariff_version": "SC-2016-05",
}


def test_lines_explain_themselves() -> None:
    r = rate_bill(TWO_PART_01, date(2016, 5, 1))
    by_item = {ln.item: ln for ln in r.lines}
    assert by_item["energy:peak"].formula == "峰段 107,700 kWh × 0.675 = 72,697.50"
    assert by_item["energy:peak"].label == "峰段电度电费"
    assert by_item["pf_adjust"].formula == "功率因数 0.98 (标准 0.90) 调整 −0.75% × 基数 310,552.50 = −2,329.14"
    assert by_item["pf_adjust"].rule == "(83)水电财字第215号"
    assert by_item["basic"].label == "基本电费"
    assert by_item["fund:三峡基金"].segment == PERIOD_SEGMENT
    assert all(ln.rule and ln.formula and ln.label for ln in r.lines)
    assert r.total == sum(ln.amount for ln in r.lines)
    assert r.energy_kwh == D(511800)
    assert r.tariff_version == "SC-2016-05"
    res = r.to_result()
    assert res["tariff_version"] == "SC-2016-05" and res["pf"] == "0.98"
    assert res["items"]["energy"] == "236952.50"


def test_single_rate_with_loss_and_ratio() -> None:
    inp = {
        "days": 20, "month_days": 30,
        "energy": {"total": 10000, "reactive": 4000},
        "transformer_loss": {"active_kwh": 304, "reactive_kvarh": 600, "prorate_days": 20, "month_days": 30, "round_kwh": 0},
        "price": {"flat": "0.60"},
        "fixed_ratios": [{"name": "居民", "ratio": "0.10", "price": "0.50"}],
        "pf_standard": "0.85",
        "funds": [{"name": "基金", "price": "0.01"}],
    }
    r = rate_bill(inp)
    items = r.items()
    # loss 203 kWh, 400 kvarh; billed 10203; ratio 1020.3 at 0.50; rest 9182.7 at 0.60
    assert r.energy_kwh == D(10203)
    assert items["fixed:居民"] == D("510.15")
    assert items["energy:flat"] == D("5509.62")
    assert r.pf == D("0.92")  # 10203 / √(10203² + 4400²) = 0.918…
    assert items["pf_adjust"] == D("-44.08")  # −0.80 % of 5509.62 (ratio line excluded)
    assert items["funds"] == D("102.03")


def test_loss_allocation_proportional() -> None:
    inp = {"energy": {"total": 1000, "peak": 400, "valley": 200},
           "transformer_loss": {"active_kwh": 100, "allocate": "proportional"},
           "price": {"flat": "1", "peak": "2", "valley": "0.5"}}
    items = rate_bill(inp).items()
    assert items["energy:peak"] == D("880.00") and items["energy:valley"] == D("110.00") and items["energy:flat"] == D("440.00")
    inp["transformer_loss"] = {"active_kwh": 100}
    items = rate_bill(inp).items()
    assert items["energy:peak"] == D("800.00") and items["energy:flat"] == D("500.00")


def test_errors() -> None:
    with pytest.raises(CalcError) as e:
        rate_bill({"energy": {"total": 100}, "price": {"flat": "1"}, "pf_standard": "0.90"})
    assert e.value.code == "missing_input"
    with pytest.raises(CalcError) as e:
        rate_bill({"energy": {"total": 100, "peak": 200}, "price": {"flat": "1", "peak_factor": "1.5"}})
    assert e.value.code == "negative_energy"
    with pytest.raises(CalcError) as e:
        rate_bill({"energy": {"total": 100}, "price": {"flat": "1"}, "fixed_quantities": [{"name": "x", "kwh": 101, "price": 1}]})
    assert e.value.code == "fixed_quantity_exceeds_flat"
    with pytest.raises(CalcError) as e:
        rate_bill({"energy": {"total": 100, "peak": 10}, "price": {"flat": "1", "valley_factor": "0.5"}})
    assert e.value.code == "missing_price"


def test_zero_energy_no_pf_adjustment() -> None:
    r = rate_bill({"energy": {"total": 0, "reactive": 0}, "price": {"flat": "0.5"},
                   "basic": {"capacity_kva": 315, "price": "20"}, "pf_standard": "0.90"})
    assert r.pf is None and r.total == D(6300) and "pf_adjust" not in r.items()


def test_segment_mode_pf_list() -> None:
    seg = {"energy": {"total": 40000, "reactive": 30000}, "price": {"flat": "0.5"}, "pf_standard": "0.90"}
    seg2 = {"energy": {"total": 1000}, "price": {"flat": "0.5"}, "pf_standard": None}
    r = rate_bill({"segments": [seg, seg2]})
    assert r.pf == [D("0.80")]
    assert r.items()["pf_adjust"] == D("1000.00")  # +5 % of 20,000


def test_demand_basic_in_bill_uses_event_date() -> None:
    inp = {"energy": {"total": 260000}, "price": {"flat": "0.5"},
           "basic": {"demand_kw": 600, "price": "40", "capacity_kva": 1000}}
    assert rate_bill(inp, date(2023, 5, 1)).items()["basic"] == D(24000)
    assert rate_bill(inp, date(2023, 6, 1)).items()["basic"] == D(21600)


# ---------------------------------------------------------------------------------------------------
# tiers
# ---------------------------------------------------------------------------------------------------


def test_used_before_example() -> None:
    assert tier_split(D(100), [D(2760), D(4800)], D(2700)) == [D(60), D(40), D(0)]
    r = rate_bill({"energy": {"total": 100},
                   "price": {"tiers": {"thresholds": [2760, 4800], "prices": ["0.5283", "0.5783", "0.8283"], "used_before": 2700}}})
    assert r.items() == {"energy:tier1": D("31.70"), "energy:tier2": D("23.13"), "energy": D("54.83")}


def test_prorate_annual_thresholds() -> None:
    assert prorate_annual_thresholds([D(2760), D(4800)], 5) == [D(1150), D(2000)]
    assert prorate_annual_thresholds([D(2880), D(4800)], 12) == [D(2880), D(4800)]
    with pytest.raises(CalcError):
        prorate_annual_thresholds([D(2760)], 0)


def _independent_split(kwh: int, t1: int, t2: int, u: int) -> list[int]:
    def overlap(lo: int, hi: int | None) -> int:
        a, b = max(u, lo), (u + kwh) if hi is None else min(u + kwh, hi)
        return max(0, b - a)

    return [overlap(0, t1), overlap(t1, t2), overlap(t2, None)]


@given(st.integers(1, 5000), st.integers(1, 5000), st.integers(0, 6000), st.sampled_from([-1, 0, 1]), st.integers(0, 2))
def test_tier_boundaries(t1: int, gap: int, u: int, delta: int, which: int) -> None:
    """kWh ending exactly at a threshold, or one kWh either side: parts add up and match the overlap rule."""
    t2 = t1 + gap
    end = [t1, t2, u][which] + delta
    kwh = max(0, end - u)
    parts = tier_split(D(kwh), [D(t1), D(t2)], D(u))
    assert sum(parts) == kwh
    assert parts == [D(x) for x in _independent_split(kwh, t1, t2, u)]
    # a later tier gets energy only when the earlier ones are full
    if parts[1] > 0:
        assert u + parts[0] >= t1 or parts[0] == 0 and u >= t1
    if parts[2] > 0:
        assert u + kwh > t2


price_st = st.decimals(min_value=D("0.1"), max_value=D("1.5"), places=4)


@given(st.integers(0, 20000), st.integers(0, 6000), price_st, st.decimals(0, D("0.2"), places=2), st.decimals(0, D("0.5"), places=2))
def test_prices_and_increments_forms_agree(kwh: int, u: int, base: Decimal, inc2: Decimal, inc3: Decimal) -> None:
    prices = {"thresholds": [2760, 4800], "prices": [str(base), str(base + inc2), str(base + inc3)], "used_before": u}
    incs = {"thresholds": [2760, 4800], "base": str(base), "increments": ["0", str(inc2), str(inc3)], "used_before": u}
    a = rate_bill({"energy": {"total": kwh}, "price": {"tiers": prices}})
    b = rate_bill({"energy": {"total": kwh}, "price": {"tiers": incs}})
    assert a.total == b.total and a.items() == b.items()


# ---------------------------------------------------------------------------------------------------
# monotonicity and segment splitting
# ---------------------------------------------------------------------------------------------------


def _tou_bill(peak: Decimal, flat: Decimal, valley: Decimal) -> dict[str, Any]:
    return {"energy": {"total": str(peak + flat + valley), "peak": str(peak), "valley": str(valley)},
            "price": {"flat": "0.4523", "peak_factor": "1.6", "valley_factor": "0.4"}}


kwh_st = st.decimals(min_value=0, max_value=10**6, places=1)
inc_st = st.decimals(min_value=0, max_value=10**4, places=1)


@given(kwh_st, inc_st, price_st)
def test_flat_monotone(kwh: Decimal, extra: Decimal, price: Decimal) -> None:
    f = {"flat": str(price)}
    a = rate_bill({"energy": {"total": str(kwh)}, "price": f}).total
    b = rate_bill({"energy": {"total": str(kwh + extra)}, "price": f}).total
    assert b >= a


@given(kwh_st, kwh_st, kwh_st, inc_st, st.sampled_from(["peak", "flat", "valley"]))
def test_tou_monotone(p: Decimal, f: Decimal, v: Decimal, extra: Decimal, which: str) -> None:
    a = rate_bill(_tou_bill(p, f, v)).total
    bumped = {"peak": p, "flat": f, "valley": v}
    bumped[which] += extra
    b = rate_bill(_tou_bill(bumped["peak"], bumped["flat"], bumped["valley"])).total
    assert b >= a


@given(st.integers(0, 20000), st.integers(0, 500), st.integers(0, 6000), price_st)
def test_tiers_monotone(kwh: int, extra: int, u: int, base: Decimal) -> None:
    tiers = {"thresholds": [2760, 4800], "base": str(base), "increments": ["0", "0.05", "0.30"], "used_before": u}
    a = rate_bill({"energy": {"total": kwh}, "price": {"tiers": tiers}}).total
    b = rate_bill({"energy": {"total": kwh + extra}, "price": {"tiers": tiers}}).total
    assert b >= a


def _split_fraction(value: Decimal, num: int, den: int) -> Decimal:
    return (value * num / den).quantize(D("0.1"))


@settings(max_examples=200)
@given(
    kwh_st, kwh_st, kwh_st, st.integers(1, 29), st.sampled_from(["tou", "tiers", "flat"]),
    st.booleans(), st.decimals(0, 10**5, places=0),
)
def test_split_segment_same_total(
    p: Decimal, f: Decimal, v: Decimal, d1: int, pricing: str, with_pf: bool, reactive: Decimal
) -> None:
    """Splitting a period into two segments with the same prices and no change: same bill within 0.01
    per line (tiers continue in the second segment via ``used_before``)."""
    total = p + f + v
    price: dict[str, Any]
    if pricing == "tou":
        price = {"flat": "0.4523", "peak_factor": "1.6", "valley_factor": "0.4"}
    elif pricing == "tiers":
        price = {"tiers": {"thresholds": [2760, 4800], "prices": ["0.5283", "0.5783", "0.8283"]}}
    else:
        price = {"flat": "0.6543"}
    common: dict[str, Any] = {"price": price, "month_days": 30, "basic": {"capacity_kva": 630, "price": "23"}}
    if with_pf:
        common["pf_standard"] = "0.90"

    def seg(pk: Decimal, fl: Decimal, vl: Decimal, q: Decimal, days: int) -> dict[str, Any]:
        e = {"total": str(pk + fl + vl), "reactive": str(q)}
        if pricing == "tou":
            e |= {"peak": str(pk), "valley": str(vl)}
        return {**common, "energy": e, "days": days}

    whole = rate_bill({"segments": [seg(p, f, v, reactive, 30)], "pf_from": "combined"})
    p1, f1, v1 = (_split_fraction(x, d1, 30) for x in (p, f, v))
    q1 = _split_fraction(reactive, d1, 30)
    s1 = seg(p1, f1, v1, q1, d1)
    s2 = seg(p - p1, f - f1, v - v1, reactive - q1, 30 - d1)
    if pricing == "tiers":
        s2 = {**s2, "price": {"tiers": {**price["tiers"], "used_before": str(p1 + f1 + v1)}}}
    split = rate_bill({"segments": [s1, s2], "pf_from": "combined"})
    assert whole.energy_kwh == split.energy_kwh == total
    assert whole.pf == split.pf
    wi, si = whole.items(), split.items()
    n_lines = {k: sum(1 for ln in split.lines if ln.item == k) for k in si}
    for item in set(wi) | set(si):
        if item in ("energy", "pf_adjust"):
            continue
        assert abs(wi.get(item, D(0)) - si.get(item, D(0))) <= CENT * max(1, n_lines.get(item, 1)), item
    # the PF adjustment is a percentage of bases that differ only by line rounding
    if "pf_adjust" in wi or "pf_adjust" in si:
        pct = max((abs(ln.price or D(0)) for ln in split.lines if ln.item == "pf_adjust"), default=D(0))
        base_lines = sum(1 for ln in split.lines if ln.item == "basic" or ln.item.startswith("energy:"))
        bound = CENT * 2 + pct * CENT * base_lines
        assert abs(wi.get("pf_adjust", D(0)) - si.get("pf_adjust", D(0))) <= bound
    assert abs(whole.total - split.total) <= CENT * len(split.lines) + D("0.05")


# ---------------------------------------------------------------------------------------------------
# residential TOU + tiers (居民分时 + 年阶梯)
# ---------------------------------------------------------------------------------------------------

JS_TOU_TIERS: dict[str, Any] = {"peak": "0.5583", "valley": "0.3583",
                                "tiers": {"thresholds": [2760, 4800], "increments": ["0", "0.05", "0.30"]}}


def _half_up(x: Decimal) -> Decimal:
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


def test_tou_tiers_example_by_hand() -> None:
    """Jiangsu residential TOU (peak 0.5583, valley 0.3583) on annual tiers, 2,700 kWh used before:
    the 400 kWh of the month put 60 kWh in tier 1, 340 kWh in tier 2 (+0.05 each)."""
    price = {**JS_TOU_TIERS, "tiers": {**JS_TOU_TIERS["tiers"], "used_before": 2700}}
    r = rate_bill({"energy": {"total": 400, "peak": 250, "valley": 150}, "price": price})
    by_item = {ln.item: ln for ln in r.lines}
    assert set(by_item) == {"energy:peak", "energy:valley", "energy:tier2_add"}
    assert by_item["energy:peak"].amount == D("139.58")  # 250 × 0.5583 = 139.575
    assert by_item["energy:valley"].amount == D("53.75")  # 150 × 0.3583 = 53.745
    add = by_item["energy:tier2_add"]
    assert (add.quantity, add.price, add.amount) == (D(340), D("0.05"), D("17.00"))
    assert add.label == "第二档加价电费" and add.rule == RULE_TIERS
    assert "第二档加价电量 340 kWh × 0.05 = 17.00" in add.formula and "此前累计 2,700 kWh" in add.formula
    assert r.total == D("210.33")
    assert r.items()["energy"] == D("210.33")


def test_tou_tiers_from_tier_prices_and_third_tier() -> None:
    """Increments derived from tier prices (price − first price); energy reaching tier 3."""
    price = {"flat": "0.50", "peak_factor": "1.2", "valley_factor": "0.6",
             "tiers": {"thresholds": [100, 200], "prices": ["0.50", "0.55", "0.80"], "used_before": 50}}
    r = rate_bill({"energy": {"total": 300, "peak": 100, "valley": 50}, "price": price})
    items = r.items()
    # peak 100 × 0.60, flat 150 × 0.50, valley 50 × 0.30; tiers from 50: 50 / 100 / 150 kWh
    assert items["energy:peak"] == D("60.00") and items["energy:flat"] == D("75.00") and items["energy:valley"] == D("15.00")
    assert items["energy:tier2_add"] == D("5.00") and items["energy:tier3_add"] == D("45.00")
    assert "energy:tier1_add" not in items and r.total == D("200.00")


def test_tou_tiers_errors() -> None:
    with pytest.raises(CalcError) as e:
        rate_bill({"energy": {"total": 10, "peak": 5}, "price": {"peak_factor": "1.5", "tiers": {"thresholds": [1], "increments": [0, 1]}}})
    assert e.value.code == "missing_price"
    with pytest.raises(CalcError) as e:  # energy on the flat register but no flat price
        rate_bill({"energy": {"total": 10, "peak": 5}, "price": {"peak": "0.6", "valley": "0.3",
                                                                 "tiers": {"thresholds": [1], "increments": [0, 1]}}})
    assert e.value.code == "missing_price"
    with pytest.raises(CalcError) as e:
        rate_bill({"energy": {"total": 10, "peak": 5}, "price": {"flat": "1", "peak": "2",
                                                                 "tiers": {"thresholds": [1], "increments": [0]}}})
    assert e.value.code == "invalid_tiers"


tou_tier_energy = st.tuples(st.integers(0, 3000), st.integers(0, 3000), st.integers(0, 3000), st.integers(0, 6000))
inc_price_st = st.decimals(min_value=0, max_value=D("0.5"), places=2)


@settings(max_examples=300)
@given(tou_tier_energy, price_st, price_st, price_st, inc_price_st, inc_price_st, st.booleans())
def test_tou_tiers_total_is_tou_plus_increments(
    e: tuple[int, int, int, int], peak: Decimal, flat: Decimal, valley: Decimal, inc2: Decimal, inc3: Decimal,
    as_prices: bool,
) -> None:
    """TOU + tier total = the TOU-only total + Σ half-up(increment × tier kWh), computed independently;
    lines always sum to the total; every line is the half-up of quantity × price to the fen."""
    p, f, v, used = e
    tiers: dict[str, Any]
    if as_prices:
        tiers = {"thresholds": [2760, 4800], "prices": ["0.5", str(D("0.5") + inc2), str(D("0.5") + inc3)]}
    else:
        tiers = {"thresholds": [2760, 4800], "increments": ["0", str(inc2), str(inc3)]}
    tiers["used_before"] = used
    energy = {"total": p + f + v, "peak": p, "valley": v}
    tou_price = {"peak": str(peak), "flat": str(flat), "valley": str(valley)}
    both = rate_bill({"energy": energy, "price": {**tou_price, "tiers": tiers}})
    tou_only = rate_bill({"energy": energy, "price": tou_price})
    parts = _independent_split(p + f + v, 2760, 4800, used)
    surcharge = _half_up(inc2 * parts[1]) + _half_up(inc3 * parts[2])
    assert both.total == tou_only.total + surcharge
    assert both.total == sum(ln.amount for ln in both.lines)
    for ln in both.lines:
        assert ln.price is not None and ln.amount == _half_up(ln.quantity * ln.price)
    adds = {ln.item: ln.quantity for ln in both.lines if ln.item.endswith("_add")}
    assert adds.get("energy:tier2_add", D(0)) == (parts[1] if inc2 else 0)
    assert adds.get("energy:tier3_add", D(0)) == (parts[2] if inc3 else 0)
    assert both.energy_kwh == p + f + v


@given(st.integers(0, 8000), st.integers(0, 6000), st.integers(0, 100), price_st)
def test_tou_tiers_at_base_price_equals_tiers(kwh: int, used: int, peak_pct: int, base: Decimal) -> None:
    """When every TOU price is the tier-1 price, TOU + tiers bills what the tier prices bill (up to the
    rounding of its extra lines): the increments form and the prices form agree (tariffs.md)."""
    peak = kwh * peak_pct // 100
    tiers = {"thresholds": [2760, 4800], "increments": ["0", "0.05", "0.30"], "used_before": used}
    both = rate_bill({"energy": {"total": kwh, "peak": peak}, "price": {"flat": str(base), "peak": str(base), "tiers": tiers}})
    only = rate_bill({"energy": {"total": kwh},
                      "price": {"tiers": {**tiers, "base": str(base)}}})
    assert abs(both.total - only.total) <= CENT * 3
