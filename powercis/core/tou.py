"""Time-of-use schedules (分时时段): which period (尖峰/峰/平/谷) an instant belongs to.

Meters with TOU registers do this in the meter; interval data (AMI load curves, the demo's
half-hourly profiles) need it in software. A schedule is data: seasons by month-day ranges, each with
hour ranges per period; a critical-peak window applies only inside its own date ranges. Hours not
listed are flat (平).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from powercis.core.errors import CalcError
from powercis.core.money import to_decimal

PERIODS = ("sharp", "peak", "flat", "valley")


@dataclass(frozen=True)
class Window:
    """Hours [start, end) of one period; ``end`` may wrap past midnight (23 → 7)."""

    period: str
    start: int
    end: int

    def contains(self, hour: int) -> bool:
        if self.start < self.end:
            return self.start <= hour < self.end
        return hour >= self.start or hour < self.end


@dataclass(frozen=True)
class DateRange:
    """Month-day range, inclusive, possibly wrapping the year end (12-26 → 01-25)."""

    start: tuple[int, int]
    end: tuple[int, int]

    def contains(self, day: dt.date) -> bool:
        md = (day.month, day.day)
        if self.start <= self.end:
            return self.start <= md <= self.end
        return md >= self.start or md <= self.end


@dataclass(frozen=True)
class Schedule:
    windows: tuple[Window, ...]
    critical: tuple[tuple[DateRange, Window], ...] = ()

    def period_at(self, moment: dt.datetime) -> str:
        hour = moment.hour
        for dates, window in self.critical:
            if dates.contains(moment.date()) and window.contains(hour):
                return "sharp"
        for window in self.windows:
            if window.contains(hour):
                return window.period
        return "flat"


def _md(text: str) -> tuple[int, int]:
    try:
        month, day = (int(x) for x in text.split("-"))
        dt.date(2024, month, day)  # leap year: accepts 02-29
    except ValueError:
        raise CalcError("invalid_schedule", f"日期应为 MM-DD: {text!r}") from None
    return month, day


def _window(period: str, spec: Sequence[int]) -> Window:
    if period not in PERIODS:
        raise CalcError("invalid_schedule", f"未知时段 {period!r}")
    start, end = int(spec[0]), int(spec[1])
    if not (0 <= start < 24 and 0 < end <= 24) or start == end:
        raise CalcError("invalid_schedule", f"时段小时应在 0–24 且起止不同: {list(spec)}")
    return Window(period, start, end % 24)


def parse_schedule(data: Mapping[str, Any]) -> Schedule:
    """``{"peak": [[11, 12], [14, 21]], "valley": [[23, 7]], "critical": [{"dates": ["07-26", "08-25"],
    "hours": [15, 17]}]}``: hour ranges per period; hours not listed are flat."""
    windows = tuple(
        _window(period, spec) for period in ("peak", "valley", "flat") for spec in data.get(period, ())
    )
    critical = tuple(
        (DateRange(_md(c["dates"][0]), _md(c["dates"][1])), _window("sharp", c["hours"])) for c in data.get("critical", ())
    )
    hours = [h for h in range(24) if sum(w.contains(h) for w in windows) > 1]
    if hours:
        raise CalcError("invalid_schedule", f"时段重叠: {hours} 点")
    return Schedule(windows, critical)


#: Sichuan 2022 (tariffs.md): peak 11–12 and 14–21, flat 7–11, 12–14, 21–23, valley 23–7; critical peak
#: 15–17 from 26 Jul to 25 Aug and 19–21 from 26 Dec to 25 Jan.
SICHUAN_2022 = {
    "peak": [[11, 12], [14, 21]],
    "valley": [[23, 7]],
    "critical": [{"dates": ["07-26", "08-25"], "hours": [15, 17]}, {"dates": ["12-26", "01-25"], "hours": [19, 21]}],
}


def registers_from_intervals(
    intervals: Iterable[tuple[dt.datetime, Any]], schedule: Schedule
) -> dict[str, Decimal]:
    """Sum interval kWh (start time, kWh) into TOU registers; ``total`` is the sum of all of them."""
    out = {p: Decimal(0) for p in PERIODS}
    for start, kwh in intervals:
        out[schedule.period_at(start)] += to_decimal(kwh, "kwh")
    out["total"] = sum((out[p] for p in PERIODS), Decimal(0))
    return out
