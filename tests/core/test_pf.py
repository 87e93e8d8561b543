"""Power factor and the (83)水电财字第215号 adjustment table: every 0.01 from 0.20 to 1.00, all standards."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st

from powercis.core.errors import CalcError
from powercis.core.pf import adjustment_percent, calc_pf, power_factor

D = Decimal

# The explicit rows of the table in rules/tariffs.md, written out independently of the code.
TABLE_ROWS: dict[str, dict[str, str]] = {
    "0.90": {"0.95": "-0.75", "0.94": "-0.60", "0.93": "-0.45", "0.92": "-0.30", "0.91": "-0.15", "0.90": "0",
             "0.89": "0.5", "0.88": "1.0", "0.87": "1.5", "0.86": "2.0", "0.85": "2.5", "0.84": "3.0",
             "0.83": "3.5", "0.82": "4.0", "0.81": "4.5", "0.80": "5.0", "0.70": "10", "0.65": "15",
             "0.60": "25", "0.55": "35"},
    "0.85": {"0.95": "-1.10", "0.94": "-1.10", "0.93": "-0.95", "0.92": "-0.80", "0.91": "-0.65", "0.90": "-0.50",
             "0.89": "-0.4", "0.88": "-0.3", "0.87": "-0.2", "0.86": "-0.1", "0.85": "0", "0.84": "0.5",
             "0.83": "1.0", "0.82": "1.5", "0.81": "2.0", "0.80": "2.5", "0.70": "7.5", "0.65": "10",
             "0.60": "15", "0.55": "25"},
    "0.80": {"0.95": "-1.30", "0.94": "-1.30", "0.93": "-1.30", "0.92": "-1.30", "0.91": "-1.15", "0.90": "-1.00",
             "0.89": "-0.9", "0.88": "-0.8", "0.87": "-0.7", "0.86": "-0.6", "0.85": "-0.50", "0.84": "-0.4",
             "0.83": "-0.3", "0.82": "-0.2", "0.81": "-0.1", "0.80": "0", "0.70": "5.0", "0.65": "7.5",
             "0.60": "10", "0.55": "15"},
}
CAPS = {"0.90": "-0.75", "0.85": "-1.10", "0.80": "-1.30"}


def expected_percent(pf: Decimal, standard: Decimal) -> Decimal:
    """Independent statement of the rule: table rows, cap above 0.95, stepping rule below the standard."""
    s = f"{standard:.2f}"
    key = f"{pf:.2f}"
    if key in TABLE_ROWS[s]:
        return D(TABLE_ROWS[s][key])
    if pf > D("0.95"):
        return D(CAPS[s])
    assert pf < standard, (pf, standard)
    steps = int((standard - pf) * 100)
    if steps <= 20:
        return D("0.5") * steps
    if steps <= 25:
        return D(10) + (steps - 20)
    return D(15) + 2 * (steps - 25)


ALL_PF = [D(n) / 100 for n in range(20, 101)]


@pytest.mark.parametrize("standard", [D("0.90"), D("0.85"), D("0.80")])
@pytest.mark.parametrize("pf", ALL_PF, ids=lambda p: f"{p:.2f}")
def test_table_every_hundredth(pf: Decimal, standard: Decimal) -> None:
    assert adjustment_percent(pf, standard) == expected_percent(pf, standard)


def test_table_has_81_rows_per_standard() -> None:
    assert len(ALL_PF) == 81


@pytest.mark.parametrize("standard", ["0.90", "0.85", "0.80"])
def test_explicit_rows(standard: str) -> None:
    for pf, pct in TABLE_ROWS[standard].items():
        assert adjustment_percent(D(pf), D(standard)) == D(pct), pf


def test_stepping_continues_below_055() -> None:
    # S = 0.90: 0.65 → 15; each 0.01 below adds 2 %
    assert adjustment_percent(D("0.64"), D("0.90")) == D(17)
    assert adjustment_percent(D("0.20"), D("0.90")) == D(15 + 2 * 45)


def test_unknown_standard() -> None:
    with pytest.raises(CalcError) as e:
        adjustment_percent(D("0.9"), D("0.75"))
    assert e.value.code == "unknown_pf_standard"


def test_power_factor_examples() -> None:
    assert power_factor(D(40000), D(30000)) == D("0.80")
    assert power_factor(D(511800), D(110100)) == D("0.98")
    assert power_factor(D(50000), D(32000)) == D("0.84")
    assert power_factor(D(100), D(0)) == D("1.00")
    assert power_factor(D(0), D(5)) == D("0.00")
    with pytest.raises(CalcError) as e:
        power_factor(D(0), D(0))
    assert e.value.code == "no_energy"


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=10**9))
def test_power_factor_rounding(p: int, q: int) -> None:
    """pf is the half-up rounding of P/√(P²+Q²): checked with exact integer squares, no sqrt."""
    if p == 0 and q == 0:
        return
    pf = power_factor(D(p), D(q))
    assert pf == pf.quantize(D("0.01"))
    lo, hi = pf - D("0.005"), pf + D("0.005")
    s = p * p + q * q
    # exact value x = p/√s; half-up: lo ≤ x < hi  ⇔  lo² s ≤ p² < hi² s (lo ≥ 0)
    if lo > 0:
        assert lo * lo * s <= p * p
    assert p * p < hi * hi * s or pf == D("1.00")


@given(st.integers(min_value=20, max_value=100), st.sampled_from(["0.90", "0.85", "0.80"]))
def test_adjustment_monotone(n: int, standard: str) -> None:
    """A better power factor never costs more."""
    a = adjustment_percent(D(n) / 100, D(standard))
    b = adjustment_percent(D(n + 1) / 100, D(standard)) if n < 100 else a
    assert b <= a


def test_calc_pf_case_shape() -> None:
    r = calc_pf({"active_kwh": 40000, "reactive_kvarh": 30000, "standard": "0.90"}, None)
    assert r == {"pf": "0.80", "adjust_percent": "5"}
    r = calc_pf({"active_kwh": "600", "reactive_kvarh": "100", "standard": 0.85}, None)
    assert r["pf"] == "0.99" and r["adjust_percent"] == "-1.1"


def test_high_precision_sqrt_at_boundary() -> None:
    # P/√(P²+Q²) = 0.845 exactly is impossible with integers, but values very close must round correctly.
    with localcontext() as ctx:
        ctx.prec = 50
        p, q = D(845), D(1000**2 - 845**2).sqrt()
        exact = p / (p * p + q * q).sqrt()
    assert exact.quantize(D("0.01"), rounding=ROUND_HALF_UP) == power_factor(p, q)
