"""A small, complete data set for the web and browser tests.

Two stations (A and B) of one company; station A has one reading book with three accounts, each
with a metering point and last month's reading (装表底度); station B has one account. Users: a
抄表员, 核算员 and 收费员 of A, a 抄表员 of B, all with ``PASSWORD``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import Group, User
from django.utils import timezone

from powercis.core.periods import period_of, previous_period
from powercis.customers.models import Account, Customer
from powercis.metering.models import Meter, MeteringPoint
from powercis.org.models import Company, StaffProfile, Station, TransformerArea
from powercis.org.roles import ROLE_BY_CODE, sync_roles
from powercis.reading.models import Reading, ReadingBook, ReadingSource
from powercis.tariffs.models import Tariff, TariffVersion

PASSWORD = "powercis-test-123"


@dataclass
class World:
    period: str
    station_a: Station
    station_b: Station
    book_a: ReadingBook
    book_b: ReadingBook
    accounts: list[Account] = field(default_factory=list)
    account_b: Account | None = None
    users: dict[str, User] = field(default_factory=dict)


def make_user(username: str, station: Station | None, company: Company, *roles: str, full_name: str = "") -> User:
    user = User.objects.create_user(username, password=PASSWORD, first_name=full_name)
    StaffProfile.objects.create(user=user, company=company, station=station)
    for code in roles:
        user.groups.add(Group.objects.get(name=ROLE_BY_CODE[code].name))
    return user


def _account(station: Station, book: ReadingBook, area: TransformerArea | None, tariff: Tariff, number: str,
             name: str, address: str, previous: Decimal, period: str) -> Account:
    customer = Customer.objects.create(
        station=station, number=f"C{number}", name=name, id_number="110101199001011234", phone="13800000000",
    )
    account = Account.objects.create(
        station=station, customer=customer, number=number, name=name, address=address, area=area, book=book,
        category=tariff.category, tariff=tariff, capacity_kva=Decimal("8"), connected_on=dt.date(2020, 1, 1),
    )
    meter = Meter.objects.create(station=station, asset_no=f"M{number}", digits=6)
    point = MeteringPoint.objects.create(
        account=account, meter=meter, registers=["total"], installed_on=dt.date(2020, 1, 1),
    )
    Reading.objects.create(
        point=point, station=station, period=previous_period(period), register="total", value=previous,
        source=ReadingSource.INITIAL, read_at=timezone.now() - dt.timedelta(days=30),
    )
    return account


def make_world(period: str | None = None) -> World:
    sync_roles()  # groups are flushed between transactional (live-server) tests
    period = period or period_of(timezone.localdate())
    company = Company.objects.create(code="GS", name="示范供电公司")
    sa = Station.objects.create(company=company, code="A01", name="城东供电所")
    sb = Station.objects.create(company=company, code="B01", name="城西供电所")
    area_a = TransformerArea.objects.create(station=sa, code="A01-T01", name="东湖1号台区")
    area_b = TransformerArea.objects.create(station=sb, code="B01-T01", name="西山1号台区")
    tariff = Tariff.objects.create(code="GS-FLAT", name="一般工商业单一制", category="commercial")
    TariffVersion.objects.create(
        tariff=tariff, label="2020版", effective_from=dt.date(2020, 1, 1), prices={"flat": "0.6500"}, source="测试电价",
    )
    book_a = ReadingBook.objects.create(station=sa, code="A01-001", name="东湖一段", reading_day=5)
    book_b = ReadingBook.objects.create(station=sb, code="B01-001", name="西山一段", reading_day=5)
    world = World(period, sa, sb, book_a, book_b)
    for number, name, address, prev in (
        ("A0001", "张伟", "东湖路1号", Decimal("1000.00")),
        ("A0002", "李娜", "东湖路2号", Decimal("2000.00")),
        ("A0003", "王芳", "东湖路3号", Decimal("3000.00")),
    ):
        world.accounts.append(_account(sa, book_a, area_a, tariff, number, name, address, prev, period))
    world.account_b = _account(sb, book_b, area_b, tariff, "B0001", "赵强", "西山路1号", Decimal("500.00"), period)
    world.users = {
        "reader": make_user("reader_a", sa, company, "reader", full_name="刘抄表"),
        "billing": make_user("billing_a", sa, company, "billing", full_name="陈核算"),
        "cashier": make_user("cashier_a", sa, company, "cashier", full_name="周收费"),
        "reader_b": make_user("reader_b", sb, company, "reader", full_name="吴抄表"),
    }
    book_a.reader = world.users["reader"]
    book_a.save(update_fields=["reader"])
    return world


def run_cycle(world: World, *, pay: Decimal | None = None) -> dict[str, object]:
    """Read, release, bill, approve and issue station A's book through the services; optionally pay."""
    from powercis.billing.models import Bill, BillStatus
    from powercis.billing.services import approve_bill, issue_bills, run_billing
    from powercis.payments.services import take_payment
    from powercis.reading.services import ensure_plan, enter_readings, release_plan

    plan = ensure_plan(world.book_a, world.period)
    rows = [
        {"account": a.number, "total": str(Decimal(1000 * (i + 1)) + 100 * (i + 1)), "_row": str(i + 2)}
        for i, a in enumerate(world.accounts)
    ]
    enter_readings(plan, rows, world.users["reader"])
    release_plan(plan, world.users["billing"])
    run = run_billing(world.station_a, world.period, [world.book_a], world.users["billing"])
    for bill in Bill.objects.filter(run=run, status=BillStatus.FLAGGED):
        approve_bill(bill, world.users["billing"], "测试审核")
    issue_bills(world.station_a, world.period, [world.book_a], world.users["billing"])
    out: dict[str, object] = {"plan": plan, "run": run, "bill": Bill.objects.get(account=world.accounts[0], period=world.period)}
    if pay is not None:
        out["payment"] = take_payment(
            world.accounts[0], pay, world.users["cashier"], channel_ref="test-ref-1"
        ).payment
    return out
