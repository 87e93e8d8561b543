"""A month of work in both stations of the web test world, for the tests that sweep every page and
endpoint (scoping, query counts): every list then has rows in both stations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission, User

from powercis.billing.corrections import request_meter_error_adjustment
from powercis.billing.models import Bill, BillStatus
from powercis.billing.services import approve_bill, issue_bills, run_billing
from powercis.core.periods import shift_period
from powercis.org.models import StaffProfile, Station
from powercis.payments.services import take_payment
from powercis.reading.services import ensure_plan, enter_readings, release_plan, resolve_exception
from tests.web.factories import World, make_world


def all_powerful(username: str, station: Station) -> User:
    """A staff member of ``station`` holding every permission: only scoping can hide anything."""
    user = User.objects.create_user(username, password="x")
    StaffProfile.objects.create(user=user, company=station.company, station=station)
    user.user_permissions.set(Permission.objects.all())
    return User.objects.get(pk=user.pk)


def month(world: World, station: Station, user: User, period: str | None = None, base: int = 5000) -> None:
    """Read (one doubtful reading left as an exception, then accepted), bill, adjust, issue, pay."""
    book = world.book_a if station == world.station_a else world.book_b
    accounts = world.accounts if station == world.station_a else [world.account_b]
    period = period or world.period
    plan = ensure_plan(book, period)
    rows = [{"account": a.number, "total": str(base + 100 * i), "_row": str(i + 2)} for i, a in enumerate(accounts)]
    rows[0]["estimated"] = "1"  # an estimated reading (估抄) is always an exception to look at
    enter_readings(plan, rows, user)
    exceptions = list(plan.exceptions.filter(status="open"))
    assert exceptions
    for exc in exceptions:
        resolve_exception(exc, user, "核实无误")
    release_plan(plan, user)
    run_billing(station, period, [book], user)
    for bill in Bill.objects.filter(station=station, status=BillStatus.FLAGGED):
        approve_bill(bill, user, "核实")
    issue_bills(station, period, [book], user)
    bill = Bill.objects.filter(station=station, period=period).first()
    assert bill is not None
    request_meter_error_adjustment(
        bill.account, user, cause="表计误差", evidence="校验报告", bill=bill, price=Decimal("0.65"),
        calc_input={"type": "error_percent", "error_percent": "-10", "metered_kwh": 900, "half_period": True},
        on=dt.date(2024, 6, 1),
    )
    take_payment(bill.account, Decimal("10.00"), user, channel_ref=f"scope-{station.code}-{period}")


@pytest.fixture
def both(db: None) -> tuple[World, User, User]:
    """The web world after one month in station A and in station B, with an all-powerful user of each."""
    world = make_world()
    a = all_powerful("all_a", world.station_a)
    b = all_powerful("all_b", world.station_b)
    month(world, world.station_a, a)
    month(world, world.station_b, b)
    return world, a, b


def next_month(world: World, a: User, b: User) -> None:
    """One more month in both stations: every list grows, which is what a query-count test needs."""
    period = shift_period(world.period, 1)
    month(world, world.station_a, a, period, base=9000)
    month(world, world.station_b, b, period, base=9000)
