"""The demo company (示范县供电公司): archives, tariffs, staff and 13+ months of real monthly cycles.

``generate_demo`` builds one county company with two stations, 24 transformer areas on six 10 kV
feeders, about 3,000 accounts of mixed classes with meters, reading books and initial readings, a
versioned tariff catalogue and one login per role per station. It then runs every past period and the
current one through the product's own services — plan, readings, exception review, release, billing
run, bill review, issuance, payments — so that what the demo shows is what the system computed.

Determinism: everything is drawn from ``random.Random`` seeded by (seed, account, period), so the same
seed gives the same company and the same consumption whatever order things run in.

Idempotency: the archives are created once (detected by the company code); each completed period
writes a ``demo.period`` entry to the change log in the same transaction as its work, so a re-run (or
a run after a crash) does only the periods not yet done, and a run next month adds that month.

The dated archive is exercised: a few commercial/agricultural accounts are 高供低计 with a contract
transformer loss, large-industrial accounts carry their transformers (a sealed cold standby on the
largest), some are connected in the middle of the first period (their first bill pays the basic
charge by days) and some take a capacity increase (增容, a new transformer) from the 11th day of a
history period through ``customers.terms.change_terms`` — billed in two segments.

Speed: the readings of past periods may be written in bulk (``history_readings="bulk"``, default):
the same core check (``powercis.core.reading.check_reading``) computes kWh and findings as in
``submit_readings``, with the previous readings and history kept in memory instead of queried per
register. The current period always goes through ``submit_readings``. Bills come only from
``run_billing`` and money only from the ledger services.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from powercis.audit.models import ChangeLog
from powercis.audit.services import log_change, verify_chain
from powercis.billing.models import Bill, BillStatus, ReviewFlag
from powercis.billing.services import approve_bill, issue_bills, run_billing
from powercis.core import reading as core_reading
from powercis.core.periods import period_of, reading_date, shift_period
from powercis.customers.models import Account, AccountTerms, BasicChargeMode, Customer, MeteringMode
from powercis.customers.signals import initial_terms
from powercis.customers.terms import change_terms, terms_on
from powercis.demo import names
from powercis.demo.profiles import default_profiles
from powercis.metering.models import Meter, MeteringPoint
from powercis.org.models import Company, Feeder, StaffProfile, Station, TransformerArea
from powercis.org.roles import ROLE_BY_CODE, sync_roles
from powercis.payments.models import AccountBalance, Allocation, Payment, Posting
from powercis.payments.services import check_ledger, take_payment
from powercis.reading.models import (
    PlanStatus,
    Reading,
    ReadingBook,
    ReadingException,
    ReadingPlan,
    ReadingSource,
    ReadingStatus,
)
from powercis.reading.services import (
    ReadingRow,
    ensure_plan,
    release_plan,
    resolve_exception,
    submit_readings,
)
from powercis.tariffs.models import Tariff, TariffCategory, TariffVersion

COMPANY_CODE = "DEMO"
COMPANY_NAME = "示范县供电公司"
COUNTY = "示范县"
PASSWORD = "powercis"
DEFAULT_SEED = 2026
DEFAULT_ACCOUNTS = 3000
DEFAULT_MONTHS = 13
AREAS_PER_STATION = 12
FEEDERS_PER_STATION = 3
URL = "http://127.0.0.1:8000/"

D = Decimal
CENT = D("0.01")
ZERO = D("0.00")

STATIONS = (
    # code, name, town, urban (addresses in streets and housing estates) or rural (villages)
    ("DEMO01", "城关供电所", "城关镇", True),
    ("DEMO02", "河口供电所", "河口镇", False),
)
#: Per-station logins: (username prefix, role code). Username = prefix + station number.
STATION_USERS = (
    ("reader", "reader"),
    ("billing", "billing"),
    ("cashier", "cashier"),
    ("head", "head"),
    ("desk", "desk"),
    ("inspector", "inspector"),
)
#: Company-level logins: (username, role code).
COMPANY_USERS = (("admin", "admin"), ("auditor", "auditor"), ("loss", "loss"), ("manager", "manager"))

READING_DAYS = (3, 5, 6, 8, 10, 12, 13, 15, 16, 18, 19, 20)
LARGE_BOOK_DAY = 1

RES, COM, LI, AGR = "residential", "commercial", "large_industrial", "agricultural"

# Tariff catalogue. Residential: Jiangsu annual tiers (rules/tariffs.md). The other prices are
# illustrative (rules/tariffs.md has no province's price for them) and say so in their source.
TARIFFS: tuple[dict[str, Any], ...] = (
    {
        "code": "JS-RES-LV", "name": "居民生活用电（一户一表，不满1千伏，年阶梯）", "category": RES,
        "voltage": "不满1千伏",
        "versions": [
            {
                "label": "2023版", "from": dt.date(2023, 1, 1),
                "prices": {"tiers": {"basis": "annual", "thresholds": [2760, 4800],
                                     "prices": ["0.5283", "0.5783", "0.8283"]}},
                "source": "江苏省居民阶梯电价：年用电量 ≤2760 / 2761–4800 / >4800 kWh，0.5283 / 0.5783 / 0.8283 元/kWh"
                          "（rules/tariffs.md）",
            }
        ],
    },
    {
        "code": "DEMO-COM-LV", "name": "一般工商业用电（单一制，不满1千伏）", "category": COM, "voltage": "不满1千伏",
        "versions": [
            {"label": "2023版", "from": dt.date(2023, 1, 1), "prices": {"flat": "0.6500"},
             "source": "示例价格 ⚠ 演示用，非任何省份的实际电价"},
            # The second version is dated inside the history (see ``_price_change_date``).
            {"label": "调价版", "from": None, "prices": {"flat": "0.6280"},
             "source": "示例价格 ⚠ 演示用调价（降价 0.022 元/kWh），非任何省份的实际电价"},
        ],
    },
    {
        "code": "DEMO-LI-10KV", "name": "大工业用电（两部制，1–10千伏，分时）", "category": LI, "voltage": "10千伏",
        "two_part": True, "tou": True,
        "versions": [
            {"label": "2023版", "from": dt.date(2023, 1, 1),
             "prices": {"flat": "0.6120", "peak_factor": "1.6", "valley_factor": "0.4"}, "basic_capacity": D("25"),
             "source": "示例价格 ⚠ 平段电度电价与基本电价 25 元/kVA·月为演示值；峰谷比例按四川 2022 "
                       "（峰 ×1.6、谷 ×0.4，rules/tariffs.md）"},
        ],
    },
    {
        "code": "DEMO-AGR-LV", "name": "农业生产用电（不满1千伏）", "category": AGR, "voltage": "不满1千伏",
        "versions": [
            {"label": "2023版", "from": dt.date(2023, 1, 1), "prices": {"flat": "0.5090"},
             "source": "示例价格 ⚠ 演示用，非任何省份的实际电价"},
        ],
    },
)

# Seasonal factors (January first, mean ≈ 1) for the non-household classes.
AGR_PROFILE = (0.35, 0.35, 0.55, 0.8, 1.2, 1.8, 2.0, 1.9, 1.4, 0.8, 0.5, 0.35)
LI_PROFILE = (1.0, 0.72, 1.0, 1.02, 1.03, 1.05, 1.1, 1.1, 1.05, 1.0, 0.98, 0.95)

NOTES = {
    "ZERO": "现场核实：房屋空置，表计运行正常，示数无误",
    "SUDDEN_RISE": "现场复核示数无误：用户新增空调/电采暖等负荷，电量属实",
    "SUDDEN_FALL": "现场核实示数无误：换季空调/取暖停用（或用户外出），用电减少属实",
    "ESTIMATED": "用户门闭估抄，已电话告知用户，下月实抄后多退少补",
    "BELOW_PREVIOUS": "现场复核示数无误，按实抄示数处理",
    "OVER_RANGE": "现场复核示数无误",
}
REVIEW_NOTES = {
    "LARGE_CUSTOMER": "大工业电费逐项核对：基本电费、峰谷电量、力调电费无误",
    "AMOUNT_CHANGE": "已核对抄表示数与历史电量，季节性用电变化，电费无误",
    "ZERO_BILL": "已核实房屋空置，零电费属实",
    "ESTIMATED": "估抄电量已告知用户，同意发行",
    "NEGATIVE": "已核对，同意发行",
}


@dataclass
class AccountSpec:
    """The generated archive of one account (everything derived from the seed)."""

    number: str
    station: int
    cls: str
    name: str
    kind: str
    id_number: str
    phone: str
    address: str
    area: int | None  # index within the station, None = 专变 (large-customer book)
    capacity: Decimal
    registers: list[str]
    ct: str
    pt: str
    pf_standard: str
    base_kwh: float
    profile: int
    payer: str
    pay_phase: int
    rollover: bool = False
    peak_share: float = 0.0
    valley_share: float = 0.0
    pf_mean: float = 0.0
    vulnerable: bool = False
    hv_lv: bool = False  # 高供低计 with a contract transformer loss
    new_connection: bool = False  # connected 12 days before the first history reading date
    capacity_increase: bool = False  # 增容 from the 11th day of the middle history period

    @property
    def multiplier(self) -> Decimal:
        def ratio(text: str) -> Decimal:
            a, _, b = text.partition("/")
            return D(a) / D(b)

        return ratio(self.ct) * ratio(self.pt)


@dataclass
class DemoResult:
    created: bool
    accounts: int
    months: int
    periods_run: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=lambda: defaultdict(float))


def _rng(*parts: Any) -> random.Random:
    return random.Random(":".join(str(p) for p in parts))


# ---------------------------------------------------------------------------------------------------
# archive specs (pure: seed → accounts)
# ---------------------------------------------------------------------------------------------------


def _class_counts(n: int) -> dict[str, int]:
    li = max(1, round(n * 0.015))
    agr = max(1, round(n * 0.04))
    com = max(2, round(n * 0.09))
    return {LI: li, AGR: agr, COM: com, RES: max(1, n - li - agr - com)}


def build_specs(n: int, seed: int) -> tuple[list[AccountSpec], dict[int, list[str]]]:
    """The accounts and the area place names of each station, deterministic in (n, seed)."""
    rng = _rng(seed, "archive")
    places = {i: names.village_names(_rng(seed, "places", i), AREAS_PER_STATION) for i in range(len(STATIONS))}
    counts = _class_counts(n)
    classes = [c for c, k in counts.items() for _ in range(k)]
    rng.shuffle(classes)
    n_profiles = len(default_profiles())
    specs: list[AccountSpec] = []
    seq = {0: 0, 1: 0}
    for cls in classes:
        # The town station takes 55 % of the accounts and most industry; agriculture is mostly rural.
        if cls == LI:
            station = 0 if rng.random() < 0.7 else 1
        elif cls == AGR:
            station = 1 if rng.random() < 0.75 else 0
        else:
            station = 0 if rng.random() < 0.55 else 1
        seq[station] += 1
        code, _name, town, urban = STATIONS[station]
        number = f"9{station + 1}{seq[station]:08d}"
        area: int | None = rng.randrange(AREAS_PER_STATION)
        place = places[station][area]
        person = names.person_name(rng)
        kind = "person"
        pf = ""
        registers = ["total"]
        ct = pt = "1/1"
        capacity = D(rng.choice((4, 6, 8, 10, 12)))
        peak = valley = pf_mean = 0.0
        if urban:
            address = f"{town}{place}社区" + names.town_address(rng, "")
        else:
            address = names.village_address(rng, town, place)
        if cls == RES:
            base = min(420.0, max(70.0, rng.lognormvariate(math.log(175), 0.35)))
            name = person
            payer = rng.choices(
                ("monthly", "prepay", "bimonthly", "late", "defaulter"), (0.47, 0.30, 0.10, 0.08, 0.05)
            )[0]
        elif cls == COM:
            capacity = D(rng.choice((15, 20, 30, 50, 80, 100, 160, 200)))
            name = names.shop_name(rng, place)
            kind = "org"
            base = float(capacity) * rng.uniform(25, 70)
            if capacity >= 100:
                registers = ["total", "reactive"]
                ct = rng.choice(("200/5", "300/5"))
                pf = "0.85"
                pf_mean = rng.uniform(0.84, 0.95)
            payer = rng.choices(("monthly", "bimonthly", "late"), (0.8, 0.1, 0.1))[0]
        elif cls == AGR:
            capacity = D(rng.choice((20, 30, 50, 80, 100, 125, 160)))
            name = names.farm_name(rng, place, person)
            kind = "org"
            base = float(capacity) * rng.uniform(40, 110)
            if capacity >= 100:
                registers = ["total", "reactive"]
                ct = rng.choice(("150/5", "200/5"))
                pf = "0.80"
                pf_mean = rng.uniform(0.78, 0.92)
            payer = rng.choices(("monthly", "late"), (0.85, 0.15))[0]
        else:
            capacity = D(rng.choice((315, 400, 500, 630, 800, 1000, 1250, 1600, 2000)))
            name = names.firm_name(rng, COUNTY)
            kind = "org"
            area = None
            address = f"{COUNTY}{'经济开发区' if station == 0 else town + '工业集中区'}{rng.choice(names.ROAD_WORDS)}路{rng.randint(1, 199)}号"
            base = float(capacity) * 720 * rng.uniform(0.18, 0.42)
            registers = ["total", "peak", "valley", "reactive"]
            ct = rng.choice(("50/5", "75/5", "100/5", "150/5"))
            pt = "10000/100"
            pf = "0.90"
            peak = rng.uniform(0.30, 0.40)
            valley = rng.uniform(0.22, 0.34)
            pf_mean = rng.uniform(0.86, 0.96)
            payer = "monthly"
        specs.append(
            AccountSpec(
                number=number, station=station, cls=cls, name=name, kind=kind,
                id_number=names.id_number(rng) if kind == "person" else names.credit_code(rng),
                phone=names.mobile(rng) if kind == "person" or rng.random() < 0.5 else names.landline(rng),
                address=address, area=area, capacity=capacity, registers=registers, ct=ct, pt=pt,
                pf_standard=pf, base_kwh=base, profile=rng.randrange(n_profiles), payer=payer,
                pay_phase=rng.randrange(6), peak_share=peak, valley_share=valley, pf_mean=pf_mean,
                vulnerable=cls == RES and rng.random() < 0.02,
            )
        )
    # A few residential meters are near the end of their 6-digit register and roll over this month.
    residential = [s for s in specs if s.cls == RES]
    for s in _rng(seed, "rollover").sample(residential, min(len(residential), max(1, len(residential) // 600))):
        s.rollover = True
    # The dated archive at work (separate random streams: the draws above stay as they were).
    hv = [s for s in specs if s.cls in (COM, AGR) and s.capacity >= 100]
    for s in _rng(seed, "hv_lv").sample(hv, (len(hv) + 1) // 2):
        s.hv_lv = True
    large = [s for s in specs if s.cls == LI]
    for s in _rng(seed, "new_connection").sample(large, min(len(large), max(1, len(large) // 10))):
        s.new_connection = True
    for s in _rng(seed, "capacity_increase").sample(large, min(len(large), max(1, len(large) // 3))):
        s.capacity_increase = True
    return specs, places


# ---------------------------------------------------------------------------------------------------
# consumption (pure: seed, account, period → register advances)
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Usage:
    advances: dict[str, Decimal]  # register advance (dial units) per register
    estimated: bool = False
    kind: str = ""  # injected anomaly: zero / rise / estimated


def _month_factor(spec: AccountSpec, month: int, profiles: tuple[tuple[float, ...], ...]) -> float:
    if spec.cls == RES:
        return profiles[spec.profile % len(profiles)][month - 1]
    if spec.cls == COM:
        return 1 + 0.4 * (profiles[spec.profile % len(profiles)][month - 1] - 1)
    if spec.cls == AGR:
        return AGR_PROFILE[month - 1]
    return LI_PROFILE[month - 1]


def usage(
    spec: AccountSpec, period: str, seed: int, profiles: tuple[tuple[float, ...], ...], anomaly: str = ""
) -> Usage:
    """The register advances of ``spec`` in ``period`` (with an optional injected anomaly)."""
    rng = _rng(seed, "use", spec.number, period)
    month = int(period[5:7])
    kwh = spec.base_kwh * _month_factor(spec, month, profiles) * rng.lognormvariate(0, 0.12)
    if not anomaly and spec.cls == RES and not spec.rollover:
        r = rng.random()
        anomaly = "zero" if r < 0.002 else "rise" if r < 0.004 else "estimated" if r < 0.006 else ""
    if anomaly == "zero":
        kwh = 0.0
    elif anomaly == "rise":
        kwh *= 3.2
    mult = spec.multiplier
    if mult == 1:
        total = D(round(kwh))
    else:
        total = (D(repr(kwh)) / mult).quantize(CENT, ROUND_HALF_UP)
    adv = {"total": total}
    if "peak" in spec.registers:
        adv["peak"] = (total * D(repr(spec.peak_share * rng.uniform(0.95, 1.05)))).quantize(CENT, ROUND_HALF_UP)
        adv["valley"] = (total * D(repr(spec.valley_share * rng.uniform(0.95, 1.05)))).quantize(CENT, ROUND_HALF_UP)
    if "reactive" in spec.registers:
        pf = min(0.995, max(0.6, rng.gauss(spec.pf_mean, 0.015)))
        adv["reactive"] = (total * D(repr(math.tan(math.acos(pf))))).quantize(CENT, ROUND_HALF_UP)
    return Usage(adv, anomaly == "estimated", anomaly)


def initial_values(
    spec: AccountSpec, seed: int, first: str, current: str, profiles: tuple[tuple[float, ...], ...]
) -> dict[str, Decimal]:
    """Installation readings; a rollover meter starts so that it passes 999999 in ``current``."""
    rng = _rng(seed, "initial", spec.number)
    top = D(10) ** 6
    out = {}
    for register in spec.registers:
        if spec.multiplier == 1:
            out[register] = D(rng.randint(0, 60000))
        else:
            out[register] = D(rng.randint(0, 400000)) / 100
    if spec.rollover:
        used = D(0)
        period = first
        while period < current:
            used += usage(spec, period, seed, profiles).advances["total"]
            period = shift_period(period, 1)
        this = usage(spec, current, seed, profiles).advances["total"]
        out["total"] = top - used - max(D(1), (this / 2).to_integral_value())
    return out


# ---------------------------------------------------------------------------------------------------
# database: organisation, users, tariffs, archives
# ---------------------------------------------------------------------------------------------------


def _ensure_users(company: Company, stations: list[Station], seed: int) -> dict[str, Any]:
    """One login per role per station and the company-level ones; all with the demo password."""
    sync_roles()
    User = get_user_model()
    password = make_password(PASSWORD)  # hashed once: the same demo password for everyone
    rng = _rng(seed, "staff")
    users: dict[str, Any] = {}
    wanted: list[tuple[str, str, Station | None]] = [(u, r, None) for u, r in COMPANY_USERS]
    for i, station in enumerate(stations, start=1):
        wanted += [(f"{prefix}{i}", role, station) for prefix, role in STATION_USERS]
    for username, role, station in wanted:
        full = names.person_name(rng)
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": full[1:], "last_name": full[0], "password": password, "is_staff": role == "admin",
                      "is_superuser": role == "admin"},
        )
        if created:
            user.groups.add(Group.objects.get(name=ROLE_BY_CODE[role].name))
            StaffProfile.objects.create(user=user, company=company, station=station)
        users[username] = user
    return users


def _price_change_date(first: str) -> dt.date:
    """The illustrative price change falls on the 1st of the seventh history month (inside a period)."""
    year, month = (int(x) for x in shift_period(first, 6).split("-"))
    return dt.date(year, month, 1)


def _ensure_tariffs(admin: Any, first: str) -> dict[str, Tariff]:
    out = {}
    for t in TARIFFS:
        tariff, created = Tariff.objects.get_or_create(
            code=t["code"],
            defaults={"name": t["name"], "category": t["category"], "voltage": t["voltage"],
                      "two_part": t.get("two_part", False), "tou": t.get("tou", False)},
        )
        if created:
            for v in t["versions"]:
                TariffVersion.objects.create(
                    tariff=tariff, label=v["label"], effective_from=v["from"] or _price_change_date(first),
                    prices=v["prices"], basic_price_capacity=v.get("basic_capacity"), source=v["source"],
                    created_by=admin,
                )
            log_change(user=admin, obj_type="tariffs.tariff", obj_id=tariff.pk, action="create",
                       summary=f"示范电价 {tariff.code} {tariff.name}（{len(t['versions'])} 个版本）")
        out[t["category"]] = tariff
    return out


def _create_archive(
    specs: list[AccountSpec], places: dict[int, list[str]], seed: int, first: str, current: str, out: Callable[[str], None]
) -> None:
    """Company, stations, feeders, areas, books, users, tariffs, customers, accounts, meters, initial readings."""
    rng = _rng(seed, "org")
    company = Company.objects.create(code=COMPANY_CODE, name=COMPANY_NAME)
    stations = [Station.objects.create(company=company, code=c, name=n) for c, n, _t, _u in STATIONS]
    users = _ensure_users(company, stations, seed)
    admin = users["admin"]
    tariffs = _ensure_tariffs(admin, first)
    profiles = default_profiles()
    initial = shift_period(first, -1)
    feeders: dict[int, list[Feeder]] = {}
    areas: dict[int, list[TransformerArea]] = {}
    books: dict[tuple[int, int | None], ReadingBook] = {}
    for i, station in enumerate(stations):
        code, _name, town, urban = STATIONS[i]
        short = town[:2]
        feeders[i] = [
            Feeder.objects.create(station=station, code=f"{code}-F{k + 1:02d}", name=f"10kV{short}{'ⅠⅡⅢⅣ'[k]}线")
            for k in range(FEEDERS_PER_STATION)
        ]
        reader = users[f"reader{i + 1}"]
        areas[i] = []
        for k, place in enumerate(places[i]):
            area = TransformerArea.objects.create(
                station=station, feeder=feeders[i][k % FEEDERS_PER_STATION], code=f"{code}-T{k + 1:02d}",
                name=f"{place}{'社区' if urban else '村'}{rng.randint(1, 3)}号台区",
                capacity_kva=D(rng.choice((200, 315, 400, 500, 630))), manager=reader,
            )
            areas[i].append(area)
            books[(i, k)] = ReadingBook.objects.create(
                station=station, code=f"{code}-B{k + 1:02d}", name=f"{area.name}抄表段", reader=reader,
                reading_day=READING_DAYS[k % len(READING_DAYS)],
            )
        books[(i, None)] = ReadingBook.objects.create(
            station=station, code=f"{code}-BZ", name="专变用户抄表段", reader=reader, reading_day=LARGE_BOOK_DAY,
        )
    customers = []
    accounts = []
    for s in specs:
        customers.append(
            Customer(station=stations[s.station], number=f"C{s.number}", name=s.name, kind=s.kind,
                     id_number=s.id_number, phone=s.phone)
        )
    Customer.objects.bulk_create(customers, batch_size=1000)
    for s, customer in zip(specs, customers, strict=True):
        book = books[(s.station, s.area)]
        installed = reading_date(initial, book.reading_day)
        if s.new_connection:
            installed = reading_date(first, book.reading_day) - dt.timedelta(days=NEW_CONNECTION_DAYS - 1)
        if s.area is None:
            area, feeder = None, feeders[s.station][int(s.number[-1]) % FEEDERS_PER_STATION]
        else:
            area = areas[s.station][s.area]
            feeder = area.feeder
        accounts.append(
            Account(
                station=stations[s.station], customer=customer, number=s.number, name=s.name, address=s.address,
                area=area, feeder=feeder, book=book, category=s.cls, tariff=tariffs[s.cls],
                voltage="10千伏" if s.cls == LI else "不满1千伏", capacity_kva=s.capacity,
                metering_mode=MeteringMode.HV_HV if s.cls == LI else MeteringMode.HV_LV if s.hv_lv else MeteringMode.LV_LV,
                basic_charge_mode=BasicChargeMode.CAPACITY if s.cls == LI else BasicChargeMode.NONE,
                pf_standard=s.pf_standard, vulnerable=s.vulnerable,
                inspection_class="A" if s.cls == LI else "B" if s.capacity >= 100 else "C",
                connected_on=installed,
            )
        )
    Account.objects.bulk_create(accounts, batch_size=1000)
    # bulk_create sends no post_save: the accounts' first dated terms are written here.
    AccountTerms.objects.bulk_create([_first_terms(s, a) for s, a in zip(specs, accounts, strict=True)], batch_size=1000)
    meters = []
    for s, account in zip(specs, accounts, strict=True):
        meters.append(
            Meter(
                station_id=account.station_id, asset_no=f"33{s.number}", digits=6,
                model="DTZY" if len(s.registers) > 1 else "DDZY", accuracy="0.5S" if s.cls == LI else "2.0",
                verified_on=account.connected_on - dt.timedelta(days=30),
            )
        )
    Meter.objects.bulk_create(meters, batch_size=1000)
    points = [
        MeteringPoint(account=a, meter=m, ct_ratio=s.ct, pt_ratio=s.pt, registers=s.registers, installed_on=a.connected_on)
        for s, a, m in zip(specs, accounts, meters, strict=True)
    ]
    MeteringPoint.objects.bulk_create(points, batch_size=1000)
    readings = []
    for s, p, a in zip(specs, points, accounts, strict=True):
        at = timezone.make_aware(dt.datetime.combine(a.connected_on, dt.time(10)))
        for register, value in initial_values(s, seed, first, current, profiles).items():
            readings.append(
                Reading(point=p, station_id=a.station_id, period=initial, register=register, value=value,
                        source=ReadingSource.INITIAL, read_at=at, entered_by=users[f"reader{s.station + 1}"])
            )
    Reading.objects.bulk_create(readings, batch_size=2000)
    out(f"已建立 {COMPANY_NAME}: 2 个供电所, {sum(len(a) for a in areas.values())} 个台区, "
        f"{sum(len(f) for f in feeders.values())} 条 10kV 线路, {len(books)} 个抄表段, {len(accounts)} 户, "
        f"{len(readings)} 个装表底度")


NEW_CONNECTION_DAYS = 13  # a new connection's supplied days in its first period (connection day included)
INCREASE_KVA = D(315)


def _first_terms(spec: AccountSpec, account: Account) -> AccountTerms:
    """The account's first terms: its own fields, plus transformers (大工业) and the contract loss (高供低计)."""
    terms = initial_terms(account, "立户（示范数据）")
    if spec.cls == LI:
        terms.transformers = [{"id": "1#", "kva": str(spec.capacity), "sealed": False, "suspended": False}]
        if spec.capacity >= 1250:  # a cold-standby transformer sealed by the utility: not charged
            terms.transformers.append({"id": "2#备用", "kva": str(spec.capacity), "sealed": True, "suspended": False})
    if spec.hv_lv:
        # ⚠ demo values: a monthly fixed loss agreed in the contract, about 1.6 kWh and 6 kvarh per kVA
        terms.transformer_loss = {"active_kwh": str(spec.capacity * D("1.6")), "reactive_kvarh": str(spec.capacity * 6)}
    return terms


def _archive_changes(ctx: _Ctx, index: int, station: Station, period: str) -> int:
    """增容 of the chosen large customers from the 11th day of the middle history period (a new 315 kVA
    transformer), recorded through the archive service on its effective day."""
    if len(ctx.periods) < 3 or period != ctx.periods[len(ctx.periods) // 2]:
        return 0
    numbers = sorted(n for n, s in ctx.specs.items() if s.capacity_increase and s.station == index)
    desk = ctx.users[f"desk{index + 1}"]
    count = 0
    for account in Account.objects.filter(number__in=numbers).select_related("book"):
        assert account.book is not None
        valid_from = reading_date(shift_period(period, -1), account.book.reading_day) + dt.timedelta(days=11)
        terms = terms_on(account, valid_from)
        if terms is None or any(t["id"] == "3#" for t in terms.transformers):
            continue
        change_terms(
            account, valid_from=valid_from, user=desk, on=valid_from,
            changes={"capacity_kva": terms.capacity_kva + INCREASE_KVA,
                     "transformers": [*terms.transformers, {"id": "3#", "kva": str(INCREASE_KVA)}]},
            reason=f"增容 {INCREASE_KVA} kVA：新增 3# 变压器，竣工验收合格送电",
        )
        count += 1
    return count


# ---------------------------------------------------------------------------------------------------
# one monthly cycle
# ---------------------------------------------------------------------------------------------------


class _History:
    """Previous readings and total-register kWh history per point, kept in memory for the bulk path."""

    def __init__(self, station_ids: list[int]) -> None:
        self.prev: dict[tuple[int, str], Decimal] = {}
        self.kwh: dict[int, list[Decimal]] = defaultdict(list)
        rows = (
            Reading.objects.filter(station_id__in=station_ids, superseded=False)
            .order_by("period")
            .values_list("point_id", "register", "value", "kwh", "source")
        )
        for point_id, register, value, kwh, source in rows.iterator(chunk_size=5000):
            self.prev[(point_id, register)] = value
            if register == "total" and kwh is not None and source != ReadingSource.INITIAL:
                self.kwh[point_id].append(kwh)


NON_TOTAL_CODES = {"BELOW_PREVIOUS", "ROLLOVER", "OVER_RANGE", "MISSING"}


def _bulk_readings(
    plan: ReadingPlan, rows: list[ReadingRow], user: Any, source: str, hist: _History
) -> tuple[int, int]:
    """Write a plan's readings in bulk with the checks of ``submit_readings`` (history periods only)."""
    read_at = timezone.make_aware(dt.datetime.combine(plan.reading_date, dt.time(10)))
    readings: list[Reading] = []
    findings: list[tuple[core_reading.Finding, ...]] = []
    for row in rows:
        point = row.point
        for register, value in row.values.items():
            previous = hist.prev.get((point.pk, register))
            check = core_reading.ReadingCheck(
                previous=previous, current=value, digits=point.meter.digits, multiplier=point.multiplier,
                history_kwh=tuple(hist.kwh[point.pk][-12:]) if register == "total" else (),
                estimated=row.estimated and register == "total",
            )
            outcome = core_reading.check_reading(check)
            found = outcome.findings
            if register != "total":
                found = tuple(f for f in found if f.code in NON_TOTAL_CODES)
            blocking = any(f.severity == "block" for f in found)
            readings.append(
                Reading(
                    plan=plan, point=point, station_id=plan.station_id, period=plan.period, register=register,
                    value=value, previous=previous, register_delta=outcome.register_delta, kwh=outcome.kwh,
                    rolled_over=outcome.rolled_over, estimated=row.estimated, source=source, read_at=read_at,
                    entered_by=user, status=ReadingStatus.EXCEPTION if blocking else ReadingStatus.VALID,
                )
            )
            findings.append(found)
            hist.prev[(point.pk, register)] = value
            if register == "total" and outcome.kwh is not None:
                hist.kwh[point.pk].append(outcome.kwh)
    Reading.objects.bulk_create(readings, batch_size=1000)
    exceptions = [
        ReadingException(
            reading=r, plan=plan, station_id=plan.station_id, code=f.code, severity=f.severity,
            message=f.message_zh[:300], status="open" if f.severity == "block" else "accepted",
        )
        for r, found in zip(readings, findings, strict=True)
        for f in found
    ]
    ReadingException.objects.bulk_create(exceptions, batch_size=1000)
    return len(readings), sum(1 for e in exceptions if e.status == "open")


@dataclass
class _Ctx:
    seed: int
    specs: dict[str, AccountSpec]
    profiles: tuple[tuple[float, ...], ...]
    users: dict[str, Any]
    stations: list[Station]
    periods: list[str]
    current: str
    bulk: bool
    out: Callable[[str], None]
    timings: dict[str, float]
    hist: _History | None = None


def _forced_anomalies(ctx: _Ctx, period: str) -> dict[str, str]:
    """In the current period a few realistic exceptions are always present (sudden rise, zero, estimated)."""
    if period != ctx.current:
        return {}
    residential = sorted(n for n, s in ctx.specs.items() if s.cls == RES and not s.rollover)
    k = max(1, len(residential) // 500)
    chosen = _rng(ctx.seed, "anomaly", period).sample(residential, min(len(residential), 3 * k))
    kinds = ["rise"] * k + ["zero"] * k + ["estimated"] * k
    return dict(zip(chosen, kinds, strict=False))


def _rows(ctx: _Ctx, plan: ReadingPlan, points: list[MeteringPoint], prev: dict[tuple[int, str], Decimal]) -> list[ReadingRow]:
    forced = _forced_anomalies(ctx, plan.period)
    previous_day = reading_date(shift_period(plan.period, -1), plan.book.reading_day)
    rows = []
    for i, point in enumerate(points, start=2):
        spec = ctx.specs[point.account.number]
        use = usage(spec, plan.period, ctx.seed, ctx.profiles, forced.get(spec.number, ""))
        top = D(10) ** point.meter.digits
        connected = point.account.connected_on
        # connected inside the period: only the supplied days' use
        part = D((plan.reading_date - connected).days + 1) / D((plan.reading_date - previous_day).days)
        step = D(1) if point.multiplier == 1 else CENT
        values = {}
        for register in point.registers:
            before = prev[(point.pk, register)]
            advance = use.advances[register]
            if connected > previous_day:
                advance = (advance * part).quantize(step, ROUND_HALF_UP)
            values[register] = (before + advance) % top
        rows.append(ReadingRow(i, point, values, use.estimated))
    return rows


def _previous_from_db(points: list[MeteringPoint], period: str) -> dict[tuple[int, str], Decimal]:
    prev: dict[tuple[int, str], Decimal] = {}
    for point_id, register, value in (
        Reading.objects.filter(point__in=points, superseded=False, period__lt=period)
        .order_by("period")
        .values_list("point_id", "register", "value")
    ):
        prev[(point_id, register)] = value
    return prev


class _Clock:
    def __init__(self, timings: dict[str, float], name: str) -> None:
        self.timings, self.name = timings, name

    def __enter__(self) -> None:
        self.t0 = time.perf_counter()

    def __exit__(self, *exc: Any) -> None:
        self.timings[self.name] += time.perf_counter() - self.t0


def _run_station_period(ctx: _Ctx, index: int, station: Station, period: str) -> dict[str, Any]:
    n = index + 1
    reader, billing, cashier, head = (ctx.users[f"{r}{n}"] for r in ("reader", "billing", "cashier", "head"))
    is_current = period == ctx.current
    stats: dict[str, Any] = defaultdict(int)
    books = list(ReadingBook.objects.filter(station=station).order_by("code"))
    with _Clock(ctx.timings, "档案变更"):
        stats["changes"] += _archive_changes(ctx, index, station, period)
    with _Clock(ctx.timings, "抄表"):
        for book in books:
            plan = ensure_plan(book, period)
            if plan.status != PlanStatus.OPEN or plan.readings.exists():
                continue
            points = list(
                MeteringPoint.objects.filter(account__book=book, active=True, account__status="active")
                .select_related("account", "meter")
                .order_by("account__number")
            )
            if ctx.bulk and not is_current:
                if ctx.hist is None:
                    ctx.hist = _History([s.pk for s in ctx.stations])
                rows = _rows(ctx, plan, points, ctx.hist.prev)
                created, exceptions = _bulk_readings(plan, rows, reader, ReadingSource.AMI, ctx.hist)
            else:
                ctx.hist = None  # the service path writes readings the cache does not see
                rows = _rows(ctx, plan, points, _previous_from_db(points, period))
                ami = [r for r in rows if len(r.point.registers) == 1 and not r.estimated]
                hand = [r for r in rows if len(r.point.registers) > 1 or r.estimated]
                created = exceptions = 0
                for part, source in ((ami, ReadingSource.AMI), (hand, ReadingSource.SCREEN)):
                    if part:
                        result = submit_readings(plan, part, reader, source)
                        created += result.created
                        exceptions += result.exceptions
            stats["readings"] += created
            stats["exceptions"] += exceptions
    with _Clock(ctx.timings, "异常处理"):
        for exc in ReadingException.objects.filter(plan__book__station=station, plan__period=period, status="open"):
            resolve_exception(exc, billing, NOTES.get(exc.code, "现场复核示数无误"))
            stats["resolved"] += 1
    with _Clock(ctx.timings, "发送核算"):
        for plan in ReadingPlan.objects.filter(book__station=station, period=period, status=PlanStatus.OPEN):
            release_plan(plan, billing)
    with _Clock(ctx.timings, "电费计算"):
        released = [p.book for p in ReadingPlan.objects.filter(
            book__station=station, period=period, status=PlanStatus.RELEASED).select_related("book")]
        if released:
            run = run_billing(station, period, released, billing, on=_issue_day(period, released))
            stats["billed"] += run.bills_created
            if run.errors:
                ctx.out(f"  ⚠ {station.name} {period} 计费错误 {len(run.errors)} 户: {run.errors[:3]}")
    with _Clock(ctx.timings, "电费审核"):
        flagged = Bill.objects.filter(station=station, period=period, status=BillStatus.FLAGGED).select_related("account")
        for bill in flagged.prefetch_related("flags"):
            codes = [f.code for f in bill.flags.all()]
            note = "；".join(dict.fromkeys(REVIEW_NOTES.get(c, "已核对，同意发行") for c in codes))
            approve_bill(bill, head if "LARGE_CUSTOMER" in codes else billing, note)
            stats["approved"] += 1
    with _Clock(ctx.timings, "电费发行"):
        stats["issued"] += issue_bills(station, period, books, billing, on=_issue_day(period, books))
    with _Clock(ctx.timings, "收费"):
        count, amount = _payments(ctx, station, period, cashier)
        stats["payments"] += count
        stats["paid"] += amount
    return stats


def _expected_bill(spec: AccountSpec) -> Decimal:
    price = {RES: 0.56, COM: 0.65, AGR: 0.51, LI: 0.66}[spec.cls]
    yuan = spec.base_kwh * price + (float(spec.capacity) * 25 if spec.cls == LI else 0)
    return D(round(yuan))


def _round_up(amount: Decimal, step: int) -> Decimal:
    return (amount / step).to_integral_value(ROUND_CEILING) * step


def _payment_decision(ctx: _Ctx, spec: AccountSpec, period: str, owed: Decimal) -> tuple[Decimal, str, str]:
    """(amount, method, channel) the customer pays after this period's issuance; amount 0 = no payment."""
    rng = _rng(ctx.seed, "pay", spec.number, period)
    idx = ctx.periods.index(period)
    last = len(ctx.periods) - 1
    is_current = period == ctx.current
    if spec.cls == LI:
        if is_current and rng.random() < 0.5:
            return ZERO, "", ""
        return (owed if owed > 0 else ZERO), "transfer", "counter"
    payer = spec.payer
    if payer == "prepay":
        expected = _expected_bill(spec)
        if -owed < expected and (not is_current or rng.random() < 0.5):
            return _round_up(max(owed, ZERO) + expected * 4, 100), "online", "online"
        return ZERO, "", ""
    if owed <= 0:
        return ZERO, "", ""
    if is_current:
        if payer == "monthly" and rng.random() < 0.45:
            return _pay_amount(rng, owed), rng.choice(("cash", "cash", "card")), "counter"
        return ZERO, "", ""
    if payer == "monthly" and rng.random() > 0.04:
        return _pay_amount(rng, owed), rng.choice(("cash", "card", "online", "online")), "counter"
    if payer == "bimonthly" and idx % 2 == spec.pay_phase % 2:
        return owed, rng.choice(("cash", "card")), "counter"
    if payer == "late" and idx % 3 == spec.pay_phase % 3:
        return owed, "cash", "counter"
    if payer == "defaulter" and idx < last - 3 and rng.random() < 0.8:
        return owed, "cash", "counter"
    return ZERO, "", ""


def _pay_amount(rng: random.Random, owed: Decimal) -> Decimal:
    """Most pay the exact amount; some round up and leave the change as prepayment (预存)."""
    if rng.random() < 0.2:
        return _round_up(owed, 10 if owed < 200 else 50)
    return owed


def _issue_day(period: str, books: Any) -> dt.date:
    """The business day billing and issuance run in the demo: the day after the period's last reading."""
    return max(reading_date(period, b.reading_day) for b in books) + dt.timedelta(days=1)


def _payments(ctx: _Ctx, station: Station, period: str, cashier: Any) -> tuple[int, Decimal]:
    balances = {
        a: (r, p) for a, r, p in AccountBalance.objects.filter(account__station=station).values_list(
            "account_id", "receivable", "prepaid")
    }
    accounts = Account.objects.filter(station=station).select_related("station", "book").order_by("number")
    now = timezone.now()
    count, total = 0, ZERO
    for account in accounts:
        spec = ctx.specs.get(account.number)
        if spec is None:
            continue
        receivable, prepaid = balances.get(account.pk, (ZERO, ZERO))
        amount, method, channel = _payment_decision(ctx, spec, period, receivable - prepaid)
        if amount <= 0:
            continue
        if period == ctx.current:
            when = now
        else:
            rng = _rng(ctx.seed, "paid_at", account.number, period)
            day = reading_date(period, account.book.reading_day if account.book else 1) + dt.timedelta(
                days=rng.randint(2, 24))
            when = timezone.make_aware(dt.datetime.combine(day, dt.time(rng.randint(8, 17), rng.randint(0, 59))))
            when = min(when, now - dt.timedelta(hours=1))
        take_payment(
            account, amount, cashier, method=method, channel=channel,
            channel_ref=f"DEMO-{period}-{account.number}", received_at=when,
        )
        count += 1
        total += amount
    return count, total


def _period_done(period: str) -> bool:
    return ChangeLog.objects.filter(object_type="demo.period", object_id=period).exists()


def _run_period(ctx: _Ctx, period: str) -> None:
    t0 = time.perf_counter()
    totals: dict[str, Any] = defaultdict(int)
    with transaction.atomic():
        for index, station in enumerate(ctx.stations):
            for k, v in _run_station_period(ctx, index, station, period).items():
                totals[k] += v
        log_change(
            user=ctx.users["admin"], obj_type="demo.period", obj_id=period, action="action",
            summary=f"示范数据 {period} 月度业务完成: 计费 {totals['billed']} 户, 收费 {totals['payments']} 笔",
            data={k: str(v) for k, v in totals.items()},
        )
    label = "本月" if period == ctx.current else "历史"
    ctx.out(
        f"{label} {period}: 抄表 {totals['readings']} 条示数, 异常 {totals['exceptions']} 条(已处理 {totals['resolved']}), "
        + (f"档案变更 {totals['changes']} 户, " if totals["changes"] else "")
        + f"计费 {totals['billed']} 户, 审核 {totals['approved']} 户, 发行 {totals['issued']} 户, "
        f"收费 {totals['payments']} 笔 ¥{totals['paid']:,.2f}  ({time.perf_counter() - t0:.1f} 秒)"
    )


# ---------------------------------------------------------------------------------------------------
# entry point
# ---------------------------------------------------------------------------------------------------


def _setup_entry() -> ChangeLog | None:
    return ChangeLog.objects.filter(object_type="demo.setup", object_id=COMPANY_CODE).order_by("id").first()


def generate_demo(
    accounts: int = DEFAULT_ACCOUNTS,
    months: int = DEFAULT_MONTHS,
    *,
    seed: int = DEFAULT_SEED,
    today: dt.date | None = None,
    history_readings: str = "bulk",
    out: Callable[[str], None] = print,
) -> DemoResult:
    """Create the demo company (once) and run every monthly cycle not yet done up to the current period."""
    today = today or timezone.localdate()
    current = period_of(today)
    setup = _setup_entry()
    created = False
    if setup is None:
        if Company.objects.filter(code=COMPANY_CODE).exists():
            raise RuntimeError(f"公司编码 {COMPANY_CODE} 已被占用但不是示范数据，未生成示范数据")
        first = shift_period(current, -months)
        specs, places = build_specs(accounts, seed)
        with transaction.atomic():
            _create_archive(specs, places, seed, first, current, out)
            log_change(
                user=None, obj_type="demo.setup", obj_id=COMPANY_CODE, action="create",
                summary=f"生成示范数据: {COMPANY_NAME} {accounts} 户, 历史 {months} 个月",
                data={"accounts": accounts, "months": months, "seed": seed, "first": first, "current": current},
            )
        created = True
    else:
        data = setup.data
        if (int(data["accounts"]), int(data["months"]), int(data["seed"])) != (accounts, months, seed):
            out(f"示范数据已存在（{data['accounts']} 户、历史 {data['months']} 个月），沿用原参数。")
        accounts, months, seed, first = int(data["accounts"]), int(data["months"]), int(data["seed"]), data["first"]
        specs, _places = build_specs(accounts, seed)
    company = Company.objects.get(code=COMPANY_CODE)
    stations = list(Station.objects.filter(company=company).order_by("code"))
    users = _ensure_users(company, stations, seed)
    periods = []
    period = first
    while period <= current:
        periods.append(period)
        period = shift_period(period, 1)
    result = DemoResult(created=created, accounts=accounts, months=months)
    ctx = _Ctx(
        seed=seed, specs={s.number: s for s in specs}, profiles=default_profiles(), users=users, stations=stations,
        periods=periods, current=current, bulk=history_readings == "bulk", out=out, timings=result.timings,
    )
    todo = [p for p in periods if not _period_done(p)]
    if not todo:
        out(f"示范数据已存在且 {periods[0]} 至 {current} 各月业务均已完成，未新增任何数据。")
    for period in todo:
        _run_period(ctx, period)
        result.periods_run.append(period)
    return result


# ---------------------------------------------------------------------------------------------------
# summary
# ---------------------------------------------------------------------------------------------------


def demo_logins() -> list[tuple[str, str, str, str]]:
    """(username, password, roles, station) of every demo login."""
    User = get_user_model()
    rows = []
    wanted = [u for u, _ in COMPANY_USERS] + [f"{p}{i}" for i in range(1, len(STATIONS) + 1) for p, _ in STATION_USERS]
    found = {u.username: u for u in User.objects.filter(username__in=wanted).prefetch_related("groups")}
    for username in wanted:
        user = found.get(username)
        if user is None:
            continue
        profile = StaffProfile.objects.filter(user=user).select_related("station", "company").first()
        roles = "、".join(g.name for g in user.groups.all()) + ("（超级用户）" if user.is_superuser else "")
        where = profile.station.name if profile and profile.station else f"{COMPANY_NAME}（全公司）"
        rows.append((username, PASSWORD, roles, where))
    return rows


def demo_summary(period: str | None = None) -> dict[str, Any]:
    """Figures of the current period and of the ledger, for the command's closing report."""
    period = period or period_of(timezone.localdate())
    stations = Station.objects.filter(company__code=COMPANY_CODE)
    bills = Bill.objects.filter(station__in=stations, period=period, kind="regular")
    issued = bills.filter(status=BillStatus.ISSUED)
    payments = Payment.objects.filter(station__in=stations, channel_ref__startswith=f"DEMO-{period}-")
    balances = AccountBalance.objects.filter(account__station__in=stations)
    arrears = balances.filter(receivable__gt=0).aggregate(n=Count("id"), s=Sum("receivable"))
    exc = ReadingException.objects.filter(station__in=stations, plan__period=period, severity="block")
    exc_all = ReadingException.objects.filter(station__in=stations, severity="block")
    problems = check_ledger() + verify_chain()
    old_bills = Bill.objects.filter(station__in=stations, period__lt=period, status=BillStatus.ISSUED)
    old_total = old_bills.values("account_id").annotate(s=Sum("total"))
    old_paid = dict(
        Allocation.objects.filter(bill__in=old_bills).values("bill__account_id").annotate(s=Sum("amount"))
        .values_list("bill__account_id", "s")
    )
    old_open = {
        row["account_id"]: (row["s"] - (old_paid.get(row["account_id"]) or ZERO)).quantize(CENT)
        for row in old_total
    }
    old_open = {k: v for k, v in old_open.items() if v > 0}
    return {
        "period": period,
        "accounts": Account.objects.filter(station__in=stations).count(),
        "accounts_by_class": dict(
            Account.objects.filter(station__in=stations).values_list("category").annotate(n=Count("id")).order_by()
        ),
        "billed": bills.count(),
        "issued_count": issued.count(),
        "issued_amount": issued.aggregate(s=Sum("total"))["s"] or ZERO,
        "energy_kwh": bills.aggregate(s=Sum("energy_kwh"))["s"] or ZERO,
        "collected_count": payments.count(),
        "collected_amount": payments.aggregate(s=Sum("amount"))["s"] or ZERO,
        "collected_for_period": Allocation.objects.filter(bill__in=bills).aggregate(s=Sum("amount"))["s"] or ZERO,
        "arrears_accounts": arrears["n"] or 0,
        "arrears_amount": arrears["s"] or ZERO,
        "old_arrears_accounts": len(old_open),
        "old_arrears_amount": sum(old_open.values(), ZERO),
        "prepaid_amount": balances.aggregate(s=Sum("prepaid"))["s"] or ZERO,
        "exceptions_found": exc.count(),
        "exceptions_resolved": exc.exclude(status="open").count(),
        "exceptions_by_code": dict(exc.values_list("code").annotate(n=Count("id")).order_by()),
        "rollovers": Reading.objects.filter(station__in=stations, period=period, rolled_over=True).count(),
        "exceptions_total": exc_all.count(),
        "exceptions_total_resolved": exc_all.exclude(status="open").count(),
        "flagged": bills.filter(flags__isnull=False).distinct().count(),
        "flags_by_code": dict(
            ReviewFlag.objects.filter(bill__in=bills).values_list("code").annotate(n=Count("id")).order_by()
        ),
        "periods": Bill.objects.filter(station__in=stations).values("period").distinct().count(),
        "bills_total": Bill.objects.filter(station__in=stations).count(),
        "payments_total": Payment.objects.filter(station__in=stations).count(),
        "receivable_postings": Posting.objects.filter(
            account__station__in=stations, ledger="receivable", journal__kind="issue"
        ).aggregate(s=Sum("amount"))["s"] or ZERO,
        "ledger_problems": problems,
        "open_plans": ReadingPlan.objects.filter(station__in=stations).filter(~Q(status=PlanStatus.BILLED)).count(),
    }


CLASS_LABELS = dict(TariffCategory.choices)


def _pad(text: str, width: int) -> str:
    """Pad to a terminal display width (CJK characters take two columns)."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(1, width - used)


def format_summary(s: dict[str, Any], logins: list[tuple[str, str, str, str]]) -> list[str]:
    classes = "，".join(f"{CLASS_LABELS.get(k, k)} {v}" for k, v in sorted(s["accounts_by_class"].items(), key=lambda x: -x[1]))
    codes = "，".join(f"{k} {v}" for k, v in sorted(s["exceptions_by_code"].items())) or "无"
    flags = "，".join(f"{k} {v}" for k, v in sorted(s["flags_by_code"].items())) or "无"
    ledger = (
        "通过（每个账户余额等于分录合计，电费、收费与销账一致，变更日志哈希链完整）"
        if not s["ledger_problems"] else f"未通过：{len(s['ledger_problems'])} 处问题，如 {s['ledger_problems'][:3]}"
    )
    lines = [
        "",
        f"===== {COMPANY_NAME} 示范数据汇总（电费年月 {s['period']}）=====",
        f"用电户: {s['accounts']} 户（{classes}）；已有 {s['periods']} 个电费年月的电费 {s['bills_total']} 笔、收费 {s['payments_total']} 笔",
        f"本月计费户数: {s['billed']} 户，结算电量 {s['energy_kwh']:,.0f} kWh",
        f"本月发行电费: {s['issued_count']} 笔，¥{s['issued_amount']:,.2f}",
        f"本月收费: {s['collected_count']} 笔，¥{s['collected_amount']:,.2f}（其中冲抵本月电费 ¥{s['collected_for_period']:,.2f}）",
        f"欠费: {s['arrears_accounts']} 户，¥{s['arrears_amount']:,.2f}（其中往月欠费 {s['old_arrears_accounts']} 户 "
        f"¥{s['old_arrears_amount']:,.2f}，其余为本月新发行、未到缴费截止日）；预收余额 ¥{s['prepaid_amount']:,.2f}",
        f"本月抄表异常: 发现 {s['exceptions_found']} 条，已处理 {s['exceptions_resolved']} 条（{codes}）；表计翻转 {s['rollovers']} 块",
        f"历月抄表异常合计: 发现 {s['exceptions_total']} 条，已处理 {s['exceptions_total_resolved']} 条",
        f"本月电费审核: {s['flagged']} 户触发审核规则（{flags}），均已审核发行",
        f"powercis ledger check: {ledger}",
        "",
        "登录账号（仅限演示，密码均为 powercis）:",
        _pad("用户名", 12) + _pad("密码", 10) + _pad("角色", 22) + "所属单位",
    ]
    for username, password, roles, where in logins:
        lines.append(_pad(username, 12) + _pad(password, 10) + _pad(roles, 22) + where)
    lines += ["", f"打开 {URL} 登录（make demo 会启动服务；SERVE=0 时可运行 .venv/bin/powercis runserver）"]
    return lines
