import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from powercis.core.errors import CalcError
from powercis.core.tou import SICHUAN_2022, parse_schedule, registers_from_intervals

SCHEDULE = parse_schedule(SICHUAN_2022)


@pytest.mark.parametrize(
    ("moment", "period"),
    [
        ("2022-03-01T11:30", "peak"),
        ("2022-03-01T12:00", "flat"),
        ("2022-03-01T14:00", "peak"),
        ("2022-03-01T20:59", "peak"),
        ("2022-03-01T21:00", "flat"),
        ("2022-03-01T23:00", "valley"),
        ("2022-03-01T06:59", "valley"),
        ("2022-03-01T07:00", "flat"),
        ("2022-07-26T15:00", "sharp"),
        ("2022-07-25T15:00", "peak"),
        ("2022-08-25T16:59", "sharp"),
        ("2022-08-26T16:00", "peak"),
        ("2022-12-31T19:30", "sharp"),
        ("2023-01-25T20:00", "sharp"),
        ("2023-01-26T20:00", "peak"),
    ],
)
def test_sichuan_periods(moment, period):
    assert SCHEDULE.period_at(dt.datetime.fromisoformat(moment)) == period


def test_every_hour_has_exactly_one_period_and_peak_hours_total_eight():
    day = dt.date(2022, 3, 1)
    periods = [SCHEDULE.period_at(dt.datetime.combine(day, dt.time(h))) for h in range(24)]
    assert periods.count("peak") == 8 and periods.count("valley") == 8 and periods.count("flat") == 8


def test_overlapping_windows_rejected():
    with pytest.raises(CalcError):
        parse_schedule({"peak": [[8, 12]], "valley": [[11, 13]]})


@given(
    st.lists(
        st.tuples(
            st.datetimes(min_value=dt.datetime(2022, 1, 1), max_value=dt.datetime(2023, 12, 31)),
            st.decimals(min_value=0, max_value=100, places=3),
        ),
        max_size=50,
    )
)
def test_registers_sum_to_total(intervals):
    regs = registers_from_intervals(intervals, SCHEDULE)
    assert regs["total"] == sum((k for _, k in intervals), Decimal(0))
    assert regs["total"] == regs["sharp"] + regs["peak"] + regs["flat"] + regs["valley"]
