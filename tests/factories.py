"""Small, explicit test worlds built through the real models (no mocks).

``world()`` builds a company with stations A and B, one user per main role in each, the tariffs of
the three main classes, and in station A one reading book with residential, commercial and
large-industrial accounts whose meters have initial readings in ``BASE_PERIOD``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import Group, User
from django.utils import timezone

from powercis.customers.models import Account, Customer
from powercis.metering.models import Meter, MeteringPoint
from powercis.org.models import Company, StaffProfile, Station, TransformerArea
from powercis.org.roles import ROLE_BY_CODE, sync_roles
from powercis.reading.models import Reading, ReadingBook
from powercis.tariffs.models import Tariff, TariffVersion

BASE_PERIOD = "2026-01"
PASSWORD = "pw-test-123"


@dataclass
class World:
    company: Company
    a: Station
    b: Station
    users: dict[str, User]
    tariffs: dict[str, Tariff]
    book: ReadingBook
    book_b: ReadingBook
    accounts: dict[str, Account] = field(default_factory=dict)

    def user(self, role: str, station: str = "a") -> User:
        return self.users[f"{role}_{station}"]


def make_user(username: str, company: Company, station: Station | None, *roles: str) -> User:
    user = User.objects.create_user(username, password=PASSWORD)
    StaffProfile.objects.create(user=user, company=company, station=station)
    for role in roles:
        user.groups.add(Group.objects.get(name=ROLE_BY_CODE[role].name))
    return user


def make_tariffs() -> dict[str, Tariff]:
    res = Tariff.objects.create(code="RES", name="居民生活(年阶梯)", category="residential")
    TariffVersion.objects.create(
        tariff=res, label="2012", effective_from=dt.date(2012, 7, 1), source="江苏 tariffs.md",
        prices={"tiers": {"basis": "annual", "thresholds": [2760, 4800], "prices": ["0.5283", "0.5783", "0.8283"]}},
    )
    com = Tariff.objects.create(code="COM", name="一般工商业", category="commercial")
    TariffVersion.objects.create(tariff=com, label="v1", effective_from=dt.date(2020, 1, 1), source="示例",
                                 prices={"flat": "0.6500"})
    ind = Tariff.objects.create(code="IND", name="大工业(两部制)", category="large_industrial", two_part=True, tou=True)
    TariffVersion.objects.create(
        tariff=ind, label="v1", effective_from=dt.date(2020, 1, 1), source="示例",
        prices={"flat": "0.60", "peak_factor": "1.6", "valley_factor": "0.4"}, basic_price_capacity=Decimal("25"),
    )
    return {"RES": res, "COM": com, "IND": ind}


def add_account(
    w: World, number: str, tariff: str, *, book: ReadingBook | None = None, registers: tuple[str, ...] = ("total",),
    start: dict[str, str] | None = None, ct: str = "1/1", pt: str = "1/1", digits: int = 6, **extra: Any,
) -> Account:
    book = book or w.book
    station = book.station
    customer = Customer.objects.create(station=station, number=f"C{number}", name=f"客户{number}", id_number="320102199001011234")
    t = w.tariffs[tariff]
    account = Account.objects.create(
        station=station, customer=customer, number=number, name=f"用户{number}", address=f"示范路{number}号",
        book=book, category=t.category, tariff=t, connected_on=dt.date(2020, 1, 1), **extra,
    )
    meter = Meter.objects.create(station=station, asset_no=f"M{number}", digits=digits)
    point = MeteringPoint.objects.create(
        account=account, meter=meter, ct_ratio=ct, pt_ratio=pt, registers=list(registers), installed_on=dt.date(2020, 1, 1)
    )
    for register in registers:
        Reading.objects.create(
            point=point, station=station, period=BASE_PERIOD, register=register,
            value=Decimal((start or {}).get(register, "1000")), source="initial", read_at=timezone.now(),
        )
    w.accounts[number] = account
    return account


def world() -> World:
    sync_roles()
    company = Company.objects.create(code="X", name="示范县供电公司")
    a = Station.objects.create(company=company, code="SA", name="城关供电所")
    b = Station.objects.create(company=company, code="SB", name="河口供电所")
    area = TransformerArea.objects.create(station=a, code="TA1", name="城关1号台区")
    TransformerArea.objects.create(station=b, code="TB1", name="河口1号台区")
    users = {}
    for code, station in (("a", a), ("b", b)):
        for role in ("reader", "billing", "cashier", "head", "desk"):
            users[f"{role}_{code}"] = make_user(f"{role}_{code}", company, station, role)
    users["admin"] = make_user("admin_co", company, None, "admin")
    book = ReadingBook.objects.create(station=a, code="BA01", name="城关一段", reading_day=20, reader=users["reader_a"])
    book_b = ReadingBook.objects.create(station=b, code="BB01", name="河口一段", reading_day=20, reader=users["reader_b"])
    w = World(company, a, b, users, make_tariffs(), book, book_b)
    add_account(w, "R001", "RES", area=area)
    add_account(w, "R002", "RES", area=area, start={"total": "999950"})
    add_account(w, "C001", "COM", area=area, capacity_kva=Decimal("50"))
    add_account(
        w, "I001", "IND", registers=("total", "peak", "valley", "reactive"), ct="150/5", pt="10000/100",
        start={"total": "5953.8", "peak": "4639.2", "valley": "4565.9", "reactive": "3459.8"},
        capacity_kva=Decimal("5000"), basic_charge_mode="capacity", pf_standard="0.90", metering_mode="hv_hv",
    )
    add_account(w, "RB01", "RES", book=book_b)
    return w


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    return ("\n".join(",".join(r) for r in rows) + "\n").encode(encoding)
