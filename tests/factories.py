"""The one builder of test worlds, built through the real models and services (no mocks).

``world()`` builds company 示范供电公司 with stations A (城关供电所, ``SA``) and B (河口供电所, ``SB``);
in each station one user per working role (``reader_a`` 刘抄表, ``billing_a`` 陈核算, … see ``STAFF``)
and at company level a 核算员 and a 系统管理员 (``billing_co``, ``admin_co``), all with ``PASSWORD``;
the tariffs RES (residential, annual tiers), COM (commercial flat 0.65) and IND (large industrial, two
part, TOU); one reading book per station read on ``reading_day`` (``BA01``, ``BB01``) and the accounts
of ``ACCOUNTS`` (R001, R002, C001 and the large-industrial I001 in book BA01, RB01 in book BB01), each
with a meter, a metering point and its initial readings (装表底度) in the period before ``period``.
Station A's reading plan for ``period`` is open.

Every test gets its data here: the services tests call ``world()`` directly (``PERIOD`` 2026-02); the
web, browser and API tests get the fixture ``world`` (tests/conftest.py), the same world for this
month without I001. ``run_cycle`` then reads, releases, bills and issues a month; ``month`` and
``next_month`` add a 退补 and a payment in both stations for the tests that sweep every page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import Group, Permission, User
from django.utils import timezone

from powercis.billing.corrections import request_meter_error_adjustment
from powercis.billing.models import Bill, BillingRun, BillStatus
from powercis.billing.services import approve_bill, issue_bills, run_billing
from powercis.core.periods import period_of, previous_period, reading_date, shift_period
from powercis.customers.models import Account, Customer
from powercis.metering.models import Meter, MeteringPoint
from powercis.org.models import Company, ReadingBook, StaffProfile, Station, TransformerArea
from powercis.org.roles import ROLE_BY_CODE, sync_roles
from powercis.payments.models import Payment
from powercis.payments.services import take_payment
from powercis.reading.models import Reading, ReadingException, ReadingPlan, ReadingSource
from powercis.reading.services import (
    ReadingRow,
    ensure_plan,
    release_plan,
    resolve_exception,
    submit_readings,
)
from powercis.tariffs.models import Tariff, TariffVersion

PERIOD = "2026-02"  # the period the services tests read and bill; initial readings are in 2026-01
PASSWORD = "pw-test-123"
CONNECTED = dt.date(2020, 1, 1)

#: Staff of each station: role → full name in station A, in station B (username ``{role}_a``, ``{role}_b``).
STAFF = {
    "reader": ("刘抄表", "吴抄表"),
    "billing": ("陈核算", "蒋核算"),
    "cashier": ("周收费", "沈收费"),
    "head": ("孙所长", "钱所长"),
    "desk": ("韩受理", "杨受理"),
    "manager": ("朱经理", "秦经理"),
    "inspector": ("郑检查", "许检查"),
}
#: Company-level staff (no station: they see every station), username ``{role}_co``.
HQ = {"billing": "何核算", "admin": "冯管理"}

#: The accounts of a world: number → ``add_account``'s arguments (``book`` "b": station B's book).
ACCOUNTS: dict[str, dict[str, Any]] = {
    "R001": {"tariff": "RES", "name": "张伟", "address": "东湖路1号", "area": "TA1"},
    "R002": {"tariff": "RES", "name": "李娜", "address": "东湖路2号", "area": "TA1", "start": "999950"},
    "C001": {"tariff": "COM", "name": "王芳", "address": "东湖路3号", "area": "TA1", "capacity_kva": Decimal("50")},
    "I001": {
        "tariff": "IND", "name": "示范钢铁厂", "address": "工业园路1号", "registers": ("total", "peak", "valley", "reactive"),
        "ct": "150/5", "pt": "10000/100", "start": {"total": "5953.8", "peak": "4639.2", "valley": "4565.9", "reactive": "3459.8"},
        "capacity_kva": Decimal("5000"), "basic_charge_mode": "capacity", "pf_standard": "0.90", "metering_mode": "hv_hv",
    },
    "RB01": {"tariff": "RES", "name": "赵强", "address": "西山路1号", "area": "TB1", "book": "b"},
}
#: One month's readings (what ``run_cycle`` reads): R001 150 kWh, R002's register rolls over (999950 → 20:
#: 70 kWh), C001 800 kWh, I001 170.6 × 3000 = 511,800 kWh (2P-01's readings), RB01 100 kWh.
MONTH: dict[str, dict[str, str]] = {
    "R001": {"total": "1150"},
    "R002": {"total": "20"},
    "C001": {"total": "1800"},
    "I001": {"total": "6124.4", "peak": "4675.1", "valley": "4592.7", "reactive": "3496.5"},
    "RB01": {"total": "1100"},
}


@dataclass
class World:
    period: str  # the period to read and bill next; the initial readings are in the one before
    company: Company
    station_a: Station
    station_b: Station
    book_a: ReadingBook
    book_b: ReadingBook
    plan_a: ReadingPlan  # station A's reading plan for ``period``
    tariffs: dict[str, Tariff]
    users: dict[str, User]  # by username
    accounts: dict[str, Account] = field(default_factory=dict)  # by number, both stations

    def station(self, which: str | Station) -> Station:
        if isinstance(which, Station):
            return which
        return {"a": self.station_a, "b": self.station_b}[which]

    def book(self, which: str | Station) -> ReadingBook:
        return self.book_a if self.station(which) == self.station_a else self.book_b

    def user(self, role: str, station: str | Station = "a") -> User:
        """The world's ``role`` in station "a" or "b" (or a Station), or at company level ("co")."""
        if station == "co":
            return self.users[f"{role}_co"]
        return self.users[f"{role}_{'a' if self.station(station) == self.station_a else 'b'}"]

    def accounts_in(self, station: str | Station = "a") -> list[Account]:
        """The station's accounts, in the order they were connected."""
        pk = self.station(station).pk
        return [a for a in self.accounts.values() if a.station_id == pk]


# ---------------------------------------------------------------------------------------------------
# primitives
# ---------------------------------------------------------------------------------------------------


def this_month() -> str:
    return period_of(timezone.localdate())


def make_user(username: str, company: Company, station: Station | None, *roles: str, full_name: str = "") -> User:
    user = User.objects.create_user(username, password=PASSWORD, first_name=full_name)
    StaffProfile.objects.create(user=user, company=company, station=station)
    for role in roles:
        user.groups.add(Group.objects.get(name=ROLE_BY_CODE[role].name))
    return user


def all_powerful(username: str, station: Station) -> User:
    """A staff member of ``station`` holding every permission: only scoping can hide anything."""
    user = User.objects.create_user(username, password=PASSWORD)
    StaffProfile.objects.create(user=user, company=station.company, station=station)
    user.user_permissions.set(Permission.objects.all())
    return User.objects.get(pk=user.pk)  # without the cached permissions


def make_staff(company: Company, stations: dict[str, Station]) -> dict[str, User]:
    users = {}
    for role, names in STAFF.items():
        for (code, station), name in zip(stations.items(), names, strict=True):
            users[f"{role}_{code}"] = make_user(f"{role}_{code}", company, station, role, full_name=name)
    for role, name in HQ.items():
        users[f"{role}_co"] = make_user(f"{role}_co", company, None, role, full_name=name)
    return users


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


def make_book(station: Station, code: str, reading_day: int, name: str = "", reader: User | None = None) -> ReadingBook:
    return ReadingBook.objects.create(station=station, code=code, name=name or f"测试段{code}", reading_day=reading_day,
                                      reader=reader)


def add_point(
    account: Account, asset_no: str, *, registers: tuple[str, ...] = ("total",), start: str | dict[str, str] = "1000",
    ct: str = "1/1", pt: str = "1/1", digits: int = 6, installed_on: dt.date = CONNECTED, initial_period: str,
) -> MeteringPoint:
    """A meter on ``account`` with its initial readings (装表底度) in ``initial_period``: ``start`` for every
    register, or register → value."""
    meter = Meter.objects.create(station=account.station, asset_no=asset_no, digits=digits)
    point = MeteringPoint.objects.create(account=account, meter=meter, ct_ratio=ct, pt_ratio=pt, registers=list(registers),
                                         installed_on=installed_on)
    values = start if isinstance(start, dict) else dict.fromkeys(registers, start)
    read_at = timezone.make_aware(dt.datetime.combine(reading_date(initial_period, account.book.reading_day), dt.time(10)))
    for register in registers:
        Reading.objects.create(point=point, station=account.station, period=initial_period, register=register,
                               value=Decimal(values[register]), source=ReadingSource.INITIAL, read_at=read_at)
    return point


def add_account(
    w: World, number: str, tariff: str, *, book: ReadingBook | None = None, name: str = "", address: str = "",
    connected_on: dt.date = CONNECTED, initial_period: str | None = None, registers: tuple[str, ...] = ("total",),
    start: str | dict[str, str] = "1000", ct: str = "1/1", pt: str = "1/1", digits: int = 6, **extra: Any,
) -> Account:
    """A customer and account in ``book`` (station A's by default) with a meter connected on ``connected_on``
    and its initial readings in ``initial_period`` (the period before the world's)."""
    book = book or w.book_a
    station = book.station
    name = name or f"用户{number}"
    customer = Customer.objects.create(station=station, number=f"C{number}", name=name, id_number="110101199001011234",
                                       phone="13800000000")
    t = w.tariffs[tariff] if tariff in w.tariffs else Tariff.objects.get(code=tariff)
    account = Account.objects.create(
        station=station, customer=customer, number=number, name=name, address=address or f"示范路{number}号", book=book,
        category=t.category, tariff=t, connected_on=connected_on, **extra,
    )
    add_point(account, f"M{number}", registers=registers, start=start, ct=ct, pt=pt, digits=digits,
              installed_on=connected_on, initial_period=initial_period or previous_period(w.period))
    w.accounts[number] = account
    return account


# ---------------------------------------------------------------------------------------------------
# the builder
# ---------------------------------------------------------------------------------------------------


def world(period: str = PERIOD, *, reading_day: int = 20, industrial: bool = True) -> World:
    """The test world for ``period`` (see the module's docstring); without I001 when not ``industrial``."""
    sync_roles()  # groups are flushed between transactional (live-server) tests
    company = Company.objects.create(code="GS", name="示范供电公司")
    a = Station.objects.create(company=company, code="SA", name="城关供电所")
    b = Station.objects.create(company=company, code="SB", name="河口供电所")
    areas = {
        "TA1": TransformerArea.objects.create(station=a, code="TA1", name="城关1号台区"),
        "TB1": TransformerArea.objects.create(station=b, code="TB1", name="河口1号台区"),
    }
    users = make_staff(company, {"a": a, "b": b})
    book_a = make_book(a, "BA01", reading_day, "城关一段", users["reader_a"])
    book_b = make_book(b, "BB01", reading_day, "河口一段", users["reader_b"])
    w = World(period, company, a, b, book_a, book_b, ensure_plan(book_a, period), make_tariffs(), users)
    for number, spec in ACCOUNTS.items():
        if number == "I001" and not industrial:
            continue
        spec = dict(spec)
        area = areas.get(spec.pop("area", ""))
        book = book_b if spec.pop("book", "a") == "b" else book_a
        add_account(w, number, spec.pop("tariff"), book=book, area=area, **spec)
    return w


# ---------------------------------------------------------------------------------------------------
# a month of work through the services
# ---------------------------------------------------------------------------------------------------


@dataclass
class Cycle:
    plan: ReadingPlan
    exceptions: list[ReadingException]  # the exceptions found in the readings (all accepted)
    run: BillingRun
    bills: dict[str, Bill]  # the period's regular bill of each account, by number
    payment: Payment | None = None


def read(
    w: World, book: ReadingBook, period: str, readings: dict[str, dict[str, Any]] | None = None, *,
    user: User | None = None, points: dict[str, MeteringPoint] | None = None, note: str = "现场核实无误",
) -> tuple[ReadingPlan, list[ReadingException]]:
    """Enter ``readings`` into ``book`` (account number, or a key of ``points`` → register → value, with
    ``"estimated": True`` for 估抄; ``MONTH`` by default), accept every exception with ``note`` and release
    the book, by the station's 抄表员 and 核算员 (or ``user``); returns the plan and the exceptions."""
    plan = ensure_plan(book, period)
    if readings is None:
        readings = {a.number: MONTH[a.number] for a in w.accounts.values() if a.book_id == book.pk}
    rows = []
    for key, values in readings.items():
        point = (points or {}).get(key) or MeteringPoint.objects.get(account__number=key, removed_on__isnull=True)
        assert point.account.book_id == book.pk, f"{key} is not in book {book.code}"
        regs = {k: Decimal(str(v)) for k, v in values.items() if k != "estimated"}
        rows.append(ReadingRow(len(rows) + 2, point, regs, bool(values.get("estimated"))))
    submit_readings(plan, rows, user or w.user("reader", book.station), "screen")
    biller = user or w.user("billing", book.station)
    exceptions = list(ReadingException.objects.filter(plan=plan, status="open"))
    for exc in exceptions:
        resolve_exception(exc, biller, note)
    release_plan(plan, biller)
    return plan, exceptions


def issue(w: World, book: ReadingBook, period: str, *, user: User | None = None, note: str = "已核对") -> int:
    """Approve the book's flagged bills of ``period`` with ``note`` and issue its bills."""
    biller = user or w.user("billing", book.station)
    for bill in Bill.objects.filter(book=book, period=period, status=BillStatus.FLAGGED):
        approve_bill(bill, biller, note)
    return issue_bills(book.station, period, [book], biller, on=business_day(period))


def run_cycle(
    w: World, station: str | Station = "a", *, period: str | None = None, readings: dict[str, dict[str, Any]] | None = None,
    user: User | None = None, note: str = "已核对", pay: Decimal | None = None,
) -> Cycle:
    """Read the station's book for ``period`` (``MONTH`` by default), accept the exceptions, release, bill,
    approve the flagged bills with ``note`` and issue, by the station's 抄表员 and 核算员 (or ``user`` for
    all); ``pay``, when given, is taken from the book's first account by its 收费员 (or ``user``)."""
    book, period = w.book(station), period or w.period
    plan, exceptions = read(w, book, period, readings, user=user)
    run = run_billing(book.station, period, [book], user or w.user("billing", station), on=business_day(period))
    issue(w, book, period, user=user, note=note)
    bills = Bill.objects.filter(book=book, period=period, kind="regular").select_related("account")
    cycle = Cycle(plan, exceptions, run, {b.account.number: b for b in bills})
    if pay is not None:
        first = w.accounts_in(station)[0]
        cycle.payment = take_payment(first, pay, user or w.user("cashier", station),
                                     channel_ref=f"cycle-{book.code}-{period}").payment
    return cycle


def month(w: World, station: Station, user: User, period: str | None = None, base: int = 5000) -> Cycle:
    """A month in ``station`` by ``user``: every account read (the first one estimated, so there is an
    exception to accept), billed and issued; a 计量差错退补 requested on the first bill; 10.00 paid."""
    accounts = w.accounts_in(station)
    readings: dict[str, dict[str, Any]] = {a.number: {"total": str(base + 100 * i)} for i, a in enumerate(accounts)}
    readings[accounts[0].number]["estimated"] = True  # an estimated reading (估抄) is always an exception to look at
    cycle = run_cycle(w, station, period=period, readings=readings, user=user, note="核实", pay=Decimal("10.00"))
    assert cycle.exceptions
    request_meter_error_adjustment(
        accounts[0], user, cause="表计误差", evidence="校验报告", bill=cycle.bills[accounts[0].number],
        price=Decimal("0.65"),
        calc_input={"type": "error_percent", "error_percent": "-10", "metered_kwh": 900, "half_period": True},
        on=dt.date(2024, 6, 1),
    )
    return cycle


def next_month(w: World, a: User, b: User) -> None:
    """One more month in both stations: every list grows, which is what a query-count test needs."""
    period = shift_period(w.period, 1)
    month(w, w.station_a, a, period, base=9000)
    month(w, w.station_b, b, period, base=9000)


# ---------------------------------------------------------------------------------------------------
# files and request bodies
# ---------------------------------------------------------------------------------------------------


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    return ("\n".join(",".join(r) for r in rows) + "\n").encode(encoding)


def bulk_rows(*totals: Any) -> list[dict[str, Any]]:
    """Reading rows of an API bulk body for R001, R002, C001 (in this order) with the given total readings."""
    return [{"account": number, "total": total} for number, total in zip(("R001", "R002", "C001"), totals, strict=False)]


#: The business date of 退补 approvals in the tests.
ADJUST_DAY = dt.date(2026, 3, 1)


def business_day(period: str) -> dt.date:
    """The business date billing, issuance and approvals of ``period`` run on in the tests: the day
    after the books' reading day (services never read the clock; the tests say which day it is)."""
    return reading_date(period, 20) + dt.timedelta(days=1)
