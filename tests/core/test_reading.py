"""Reading validation: rollover arithmetic, implausible drops, sudden rise/fall boundaries, flags."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

from powercis.core.reading import ReadingCheck, Thresholds, check_reading

D = Decimal


def test_normal_reading() -> None:
    o = check_reading(ReadingCheck(D("2345.6"), D("2400.6"), 5, D(10), (D(500), D(600), D(550))))
    assert (o.register_delta, o.kwh, o.rolled_over, o.findings, o.blocking) == (D(55), D(550), False, (), False)


def test_missing() -> None:
    o = check_reading(ReadingCheck(D(1), None, 5))
    assert o.codes == ("MISSING",) and o.blocking and o.kwh is None


def test_over_range() -> None:
    o = check_reading(ReadingCheck(D(1), D(100000), 5))
    assert o.codes == ("OVER_RANGE",) and o.blocking
    o = check_reading(ReadingCheck(D(-1), D(10), 5))
    assert o.codes == ("OVER_RANGE",)


def test_below_previous_message() -> None:
    o = check_reading(ReadingCheck(D("2345.6"), D("1234.5"), 5))
    assert o.codes == ("BELOW_PREVIOUS",) and o.blocking and o.kwh is None
    assert "本次示数 1234.5 小于上次示数 2345.6，且不符合 5 位表计翻转" in o.findings[0].message_zh


def test_rollover_warns() -> None:
    o = check_reading(ReadingCheck(D("99950"), D("30"), 5, D(2)))
    assert o.codes == ("ROLLOVER",) and not o.blocking
    assert (o.register_delta, o.kwh, o.rolled_over) == (D(80), D(160), True)


def test_zero_estimated_first() -> None:
    o = check_reading(ReadingCheck(D(10), D(10), 5, history_kwh=(D(100),) * 6, estimated=True))
    assert o.codes == ("ZERO", "ESTIMATED") and o.blocking
    o = check_reading(ReadingCheck(None, D(10), 5))
    assert o.codes == ("NO_PREVIOUS",) and not o.blocking and o.kwh is None


def test_rise_message() -> None:
    o = check_reading(ReadingCheck(D(0), D(950), 6, history_kwh=(D(300),) * 6))
    assert o.codes == ("SUDDEN_RISE",) and o.blocking
    assert o.findings[0].message_zh == "电量 950 kWh 较近 6 个月平均 300 kWh 上升 216.7%，超过阈值 100%"


@given(
    st.integers(min_value=4, max_value=8),
    st.integers(min_value=0, max_value=10**9),
    st.integers(min_value=0, max_value=10**9),
)
def test_rollover_modular(digits: int, a: int, b: int) -> None:
    top = 10**digits
    prev, cur = a % top, b % top
    o = check_reading(ReadingCheck(D(prev), D(cur), digits))
    modular = (cur - prev) % top
    if cur >= prev:
        assert o.register_delta == D(cur - prev) and not o.rolled_over
    elif modular < top * D("0.5"):
        assert o.register_delta == D(modular) and o.rolled_over and "ROLLOVER" in o.codes
        assert not o.blocking
    else:
        assert o.register_delta is None and o.codes == ("BELOW_PREVIOUS",) and o.blocking
    if o.register_delta is not None:
        assert o.register_delta == D(modular)


@given(st.integers(min_value=1, max_value=10**6), st.integers(min_value=3, max_value=12))
def test_rise_fall_boundaries(mean: int, n: int) -> None:
    """Exactly at the threshold is not flagged; one kWh beyond is (rise 100 %, fall 50 %)."""
    hist = (D(mean),) * n
    t = Thresholds()

    def codes(kwh: Decimal) -> tuple[str, ...]:
        return check_reading(ReadingCheck(D(0), kwh, 9, history_kwh=hist), t).codes

    assert codes(D(2 * mean)) == ()
    assert codes(D(2 * mean + 1)) == ("SUDDEN_RISE",)
    half = D(mean) / 2
    assume(half > 1)
    assert codes(half) == ()
    assert codes(half - D("0.1")) == ("SUDDEN_FALL",)


def test_short_history_no_rise_fall() -> None:
    o = check_reading(ReadingCheck(D(0), D(10000), 6, history_kwh=(D(10), D(10))))
    assert o.codes == ()
    o = check_reading(ReadingCheck(D(0), D(10000), 6, history_kwh=(D(0), D(0), D(0))))
    assert o.codes == ()


@given(
    st.decimals(min_value=0, max_value=500, places=1),
    st.decimals(min_value=1, max_value=300, places=0),
    st.decimals(min_value=1, max_value=99, places=0),
)
def test_custom_thresholds(kwh: Decimal, rise: Decimal, fall: Decimal) -> None:
    hist = (D(100), D(100), D(100))
    o = check_reading(ReadingCheck(D(0), kwh, 6, history_kwh=hist), Thresholds(rise, fall))
    if kwh == 0:
        assert o.codes == ("ZERO",)
    elif kwh > 100 + rise:
        assert o.codes == ("SUDDEN_RISE",)
    elif kwh < 100 - fall:
        assert o.codes == ("SUDDEN_FALL",)
    else:
        assert o.codes == ()
