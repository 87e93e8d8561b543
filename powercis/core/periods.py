"""Billing periods ("YYYY-MM") and their arithmetic."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from powercis.core.errors import CalcError

_PERIOD = re.compile(r"^(\d{4})-(\d{2})$")


def parse_period(period: str) -> tuple[int, int]:
    m = _PERIOD.match(period)
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise CalcError("invalid_period", f"电费年月格式应为 YYYY-MM: {period!r}")
    return int(m.group(1)), int(m.group(2))


def shift_period(period: str, months: int) -> str:
    year, month = parse_period(period)
    index = year * 12 + (month - 1) + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def previous_period(period: str) -> str:
    return shift_period(period, -1)


def period_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def reading_date(period: str, reading_day: int) -> dt.date:
    """The reading date of ``period`` for a book read on ``reading_day`` (clamped to month end)."""
    year, month = parse_period(period)
    return dt.date(year, month, min(reading_day, calendar.monthrange(year, month)[1]))


def months_between(first: str, last: str) -> int:
    """Number of periods from ``first`` to ``last`` inclusive."""
    y1, m1 = parse_period(first)
    y2, m2 = parse_period(last)
    return (y2 * 12 + m2) - (y1 * 12 + m1) + 1
