"""Fixtures of the API tests: two stations, role users, a tariff, accounts with meters, a reading plan.

Station A has book ``A01`` with three residential accounts (户号 A0001…A0003), each with one meter
reading the total register and last month's reading (装表底度) of 1000; station B has book ``B01`` with
one account (B0001). Users (password ``PASSWORD``): ``a_reader`` 抄表员, ``a_billing`` 核算员,
``a_cashier`` 收费员, ``a_desk`` 业务受理员, ``a_manager`` 客户经理 (view only) of A; ``b_reader``
抄表员 of B; ``hq`` 核算员 at company level (all stations).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, User
from rest_framework.test import APIClient

from powercis.customers.models import Account, Customer
from powercis.metering.models import Meter, MeteringPoint
from powercis.org.models import Company, StaffProfile, Station
from powercis.org.roles import sync_roles
from powercis.reading.models import Reading, ReadingBook, ReadingPlan, ReadingSource
from powercis.reading.services import ensure_plan
from powercis.tariffs.models import Tariff, TariffVersion

PASSWORD = "api-test-pass-123"
PERIOD = "2024-05"
PREVIOUS = "2024-04"


@dataclass
class World:
    station_a: Station
    station_b: Station
    book_a: ReadingBook
    book_b: ReadingBook
    plan_a: ReadingPlan
    accounts_a: list[Account] = field(default_factory=list)
    account_b: Account | None = None
    users: dict[str, User] = field(default_factory=dict)


def _user(username: str, company: Company, station: Station | None, *groups: str) -> User:
    user = User.objects.create_user(username, password=PASSWORD)
    StaffProfile.objects.create(user=user, company=company, station=station)
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user


def _account(station: Station, book: ReadingBook, tariff: Tariff, number: str) -> Account:
    customer = Customer.objects.create(
        station=station, number=f"C{number}", name=f"客户{number}", id_number="110101199001011234",
    )
    account = Account.objects.create(
        station=station, customer=customer, number=number, name=f"用户{number}", address=f"{station.name}{number}号",
        book=book, category=tariff.category, tariff=tariff, connected_on=dt.date(2020, 1, 1),
    )
    meter = Meter.objects.create(station=station, asset_no=f"M{number}", digits=6)
    point = MeteringPoint.objects.create(account=account, meter=meter, registers=["total"], installed_on=dt.date(2020, 1, 1))
    Reading.objects.create(
        point=point, station=station, period=PREVIOUS, register="total", value=Decimal("1000"),
        source=ReadingSource.INITIAL, read_at=dt.datetime(2024, 4, 20, 10, tzinfo=dt.UTC),
    )
    return account


@pytest.fixture
def world(db: None) -> World:
    sync_roles()
    company = Company.objects.create(code="GS", name="测试供电公司")
    a = Station.objects.create(company=company, code="SA", name="甲供电所")
    b = Station.objects.create(company=company, code="SB", name="乙供电所")
    tariff = Tariff.objects.create(code="R1", name="居民生活不满1千伏", category="residential")
    TariffVersion.objects.create(
        tariff=tariff, label="2024", effective_from=dt.date(2024, 1, 1), prices={"flat": "0.5283"}, source="测试",
    )
    book_a = ReadingBook.objects.create(station=a, code="A01", name="甲一段", reading_day=20)
    book_b = ReadingBook.objects.create(station=b, code="B01", name="乙一段", reading_day=20)
    w = World(station_a=a, station_b=b, book_a=book_a, book_b=book_b, plan_a=ensure_plan(book_a, PERIOD))
    w.accounts_a = [_account(a, book_a, tariff, f"A000{i}") for i in (1, 2, 3)]
    w.account_b = _account(b, book_b, tariff, "B0001")
    w.users = {
        "a_reader": _user("a_reader", company, a, "抄表员"),
        "a_billing": _user("a_billing", company, a, "核算员"),
        "a_cashier": _user("a_cashier", company, a, "收费员"),
        "a_desk": _user("a_desk", company, a, "业务受理员"),
        "a_manager": _user("a_manager", company, a, "客户经理"),
        "b_reader": _user("b_reader", company, b, "抄表员"),
        "hq": _user("hq", company, None, "核算员"),
    }
    return w


@pytest.fixture
def client_for(world: World):  # type: ignore[no-untyped-def]
    """``client_for("a_reader")`` → an APIClient authenticated as that user."""

    def make(username: str) -> APIClient:
        client = APIClient()
        client.force_authenticate(User.objects.get(username=username))
        return client

    return make


def rows(*totals: str) -> list[dict[str, str]]:
    """Bulk rows for A0001, A0002, … with the given total readings."""
    return [{"account": f"A000{i}", "total": t} for i, t in enumerate(totals, start=1)]
