"""Transformer loss: case kind methods, bill-segment fixed loss and TOU allocation."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from powercis.core.errors import CalcError
from powercis.core.transformer_loss import allocate_loss, calc_transformer_loss, segment_loss

D = Decimal


def test_iron_copper_case_loss02() -> None:
    r = calc_transformer_loss(
        {"method": "iron_copper", "iron_active_kwh": 300, "iron_reactive_kvarh": 400, "copper_percent": "1",
         "k": "2.3", "metered_active_kwh": 15000, "metered_reactive_kvarh": 6000},
        None,
    )
    assert r == {"active_kwh": "450", "reactive_kvarh": "745", "billing_active_kwh": "15450",
                 "billing_reactive_kvarh": "6745"}


def test_formula_method() -> None:
    r = calc_transformer_loss({"method": "formula", "p0_kw": "0.29", "pk_kw": "1.5", "hours": 720, "load_factor": 1}, None)
    assert D(r["active_kwh"]) == D("0.29") * 720 + D("1.5") * 720
    assert "reactive_kvarh" not in r
    r = calc_transformer_loss(
        {"method": "formula", "p0_kw": "0.29", "pk_kw": "1.5", "hours": 720, "load_factor": "0.5",
         "kva": 50, "i0_percent": "2", "uk_percent": "4", "metered_active_kwh": 10000, "round_kwh": 0}, None)
    assert r["active_kwh"] == "479"  # 208.8 + 270 = 478.8 → 479
    assert r["reactive_kvarh"] == "1080"  # 0.02·50·720 + 0.04·50·0.25·720 = 720 + 360
    assert r["billing_active_kwh"] == "10479"


def test_formula_beta_from_metered() -> None:
    r = calc_transformer_loss({"p0_kw": 1, "pk_kw": 4, "hours": 100, "metered_active_kwh": 4000, "kva": 100,
                               "cos_phi": "0.8"}, None)
    # β = 4000 / (100·0.8·100) = 0.5 → 100 + 4·0.25·100 = 200
    assert r["active_kwh"] == "200"


def test_bad_method() -> None:
    with pytest.raises(CalcError):
        calc_transformer_loss({"method": "lookup"}, None)


def test_segment_loss_prorated_and_rounded() -> None:
    loss = segment_loss({"active_kwh": 304, "reactive_kvarh": 0, "prorate_days": 20, "month_days": 30, "round_kwh": 0})
    assert loss.active_kwh == D(203)  # 202.67 → 203
    loss = segment_loss({"active_kwh": 300, "reactive_kvarh": 600}, days=10, month_days=30)
    assert (loss.active_kwh, loss.reactive_kvarh) == (D(100), D(200))
    loss = segment_loss({"active_kwh": 300})
    assert loss.active_kwh == D(300)


@given(
    st.decimals(min_value=0, max_value=10**5, places=2),
    st.lists(st.decimals(min_value=0, max_value=10**6, places=1), min_size=4, max_size=4),
    st.sampled_from(["flat", "proportional"]),
)
def test_allocation_adds_up(loss: Decimal, regs: list[Decimal], mode: str) -> None:
    r = dict(zip(("peak", "flat", "valley", "sharp"), regs, strict=True))
    out = allocate_loss(loss, r, mode)
    assert sum(out.values(), D(0)) == loss
    assert all(v >= 0 for v in out.values())
