"""The demo generator on a small company: structure, the real monthly cycles, the ledger, idempotency."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Sum

from powercis.audit.models import ChangeLog
from powercis.billing.models import Bill, BillLine, BillStatus
from powercis.customers.models import Account, Customer
from powercis.demo.generator import COMPANY_CODE, PASSWORD, demo_summary, generate_demo
from powercis.demo.names import credit_code, id_number
from powercis.metering.models import MeteringPoint
from powercis.org.models import Company, Feeder, StaffProfile, Station, TransformerArea
from powercis.payments.models import AccountBalance, Journal, Payment, Posting
from powercis.payments.services import check_ledger
from powercis.reading.models import Reading, ReadingBook, ReadingException, ReadingPlan
from powercis.tariffs.models import Tariff, TariffVersion

pytestmark = pytest.mark.django_db

ACCOUNTS = 60
MONTHS = 3
TODAY = dt.date(2026, 11, 23)
PERIODS = ["2026-08", "2026-09", "2026-10", "2026-11"]


def _counts() -> dict[str, int]:
    models = (Company, Station, Feeder, TransformerArea, ReadingBook, Customer, Account, MeteringPoint, Tariff,
              TariffVersion, ReadingPlan, Reading, ReadingException, Bill, BillLine, Journal, Posting, Payment,
              StaffProfile, ChangeLog)
    return {m.__name__: m.objects.count() for m in models} | {"users": get_user_model().objects.count()}


def test_small_demo_company() -> None:
    """One generation (60 accounts, 3 history months + the current one) checked from every side, then re-run."""
    lines: list[str] = []
    result = generate_demo(ACCOUNTS, MONTHS, today=TODAY, out=lines.append)
    assert result.created and result.periods_run == PERIODS
    _check_structure()
    _check_logins()
    _check_cycles()
    _check_second_run_creates_nothing()


def _check_structure() -> None:
    company = Company.objects.get(code=COMPANY_CODE)
    assert company.name == "示范县供电公司"
    stations = list(company.stations.all())
    assert len(stations) == 2 and all(s.name.endswith("供电所") for s in stations)
    assert TransformerArea.objects.filter(station__in=stations).count() >= 20
    assert not TransformerArea.objects.filter(feeder__isnull=True).exists()
    assert Feeder.objects.filter(station__in=stations).count() >= 2
    assert Account.objects.count() == ACCOUNTS
    classes = set(Account.objects.values_list("category", flat=True))
    assert classes == {"residential", "commercial", "large_industrial", "agricultural"}
    assert Account.objects.filter(category="residential").count() > ACCOUNTS * 0.7
    large = Account.objects.filter(category="large_industrial").first()
    assert large.capacity_kva >= 315 and large.pf_standard == "0.90" and large.basic_charge_mode == "capacity"
    point = large.points.get()
    assert point.pt_ratio == "10000/100" and point.ct_ratio.endswith("/5") and point.multiplier >= 1000
    assert set(point.registers) == {"total", "peak", "valley", "reactive"}
    # ID numbers are stored whole and valid, shown masked.
    person = Customer.objects.filter(kind="person").first()
    assert len(person.id_number) == 18 and "*" in person.id_number_masked
    assert person.id_number_masked != person.id_number
    # Every book has a reader and a fixed reading day; every point an initial reading before the history.
    assert not ReadingBook.objects.filter(reader__isnull=True).exists()
    assert set(ReadingBook.objects.values_list("reading_day", flat=True)) <= set(range(1, 26))
    assert Reading.objects.filter(source="initial", period="2026-07").count() == sum(
        len(p.registers) for p in MeteringPoint.objects.all()
    )
    # The catalogue is versioned: one tariff has a price change; illustrative prices say so.
    assert Tariff.objects.filter(versions__isnull=False).distinct().count() == 4
    assert any(t.versions.count() >= 2 for t in Tariff.objects.all())
    assert TariffVersion.objects.filter(source__contains="示例价格 ⚠").exists()
    res = TariffVersion.objects.get(tariff__category="residential")
    assert res.prices["tiers"]["thresholds"] == [2760, 4800]


def _check_logins() -> None:
    User = get_user_model()
    for username, role in [("reader1", "抄表员"), ("billing2", "核算员"), ("cashier1", "收费员"), ("head2", "所长")]:
        user = User.objects.get(username=username)
        assert user.check_password(PASSWORD)
        assert user.groups.filter(name=role).exists()
        assert user.staff.station is not None
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.staff.station is None
    assert User.objects.get(username="auditor").staff.station is None


def _check_cycles() -> None:
    for period in PERIODS:
        read = set(
            Reading.objects.filter(period=period, register="total", superseded=False)
            .exclude(source="initial").values_list("point__account_id", flat=True)
        )
        billed = set(Bill.objects.filter(period=period, kind="regular").values_list("account_id", flat=True))
        active = set(Account.objects.filter(status="active").values_list("id", flat=True))
        assert read == active == billed, period
        assert ReadingPlan.objects.filter(period=period).exclude(status="billed").count() == 0
    assert not Bill.objects.exclude(status=BillStatus.ISSUED).exists()
    issued = Bill.objects.aggregate(s=Sum("total"))["s"]
    postings = Posting.objects.filter(ledger="receivable", journal__kind="issue").aggregate(s=Sum("amount"))["s"]
    assert issued.quantize(Decimal("0.01")) == postings.quantize(Decimal("0.01"))
    assert check_ledger() == []
    assert Payment.objects.exists()
    # Some customers owe money (arrears), some have credit in hand (prepayment).
    assert AccountBalance.objects.filter(receivable__gt=0).exists()
    assert AccountBalance.objects.filter(prepaid__gt=0).exists()
    # Exceptions were found and all resolved by a person with a note; a register rolled over.
    blocking = ReadingException.objects.filter(severity="block")
    assert blocking.exists() and not blocking.filter(status="open").exists()
    assert not blocking.filter(note="").exists()
    assert Reading.objects.filter(period="2026-11", rolled_over=True).exists()
    assert ReadingException.objects.filter(code="ROLLOVER").exists()
    # Flagged bills were approved with a note before issuance.
    assert Bill.objects.filter(flags__isnull=False, approved_by__isnull=False).exists()
    summary = demo_summary("2026-11")
    assert summary["billed"] == ACCOUNTS and summary["ledger_problems"] == []
    assert summary["exceptions_found"] == summary["exceptions_resolved"] > 0


def _check_second_run_creates_nothing() -> None:
    before = _counts()
    lines: list[str] = []
    result = generate_demo(ACCOUNTS, MONTHS, today=TODAY, out=lines.append)
    assert not result.created and result.periods_run == []
    assert _counts() == before
    assert any("未新增" in line for line in lines)


def test_command_prints_summary(capsys) -> None:
    call_command("demo", "--accounts", "20", "--months", "1")
    out = capsys.readouterr().out
    for text in ("本月计费户数", "本月发行电费", "本月收费", "欠费", "抄表异常", "电费审核", "ledger check: 通过",
                 "reader1", "cashier2", "http://127.0.0.1:8000/"):
        assert text in out, text


def test_id_numbers_have_valid_check_characters() -> None:
    import random

    rng = random.Random(1)
    for _ in range(50):
        n = id_number(rng)
        weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
        assert "10X98765432"[sum(int(c) * w for c, w in zip(n[:17], weights, strict=True)) % 11] == n[17]
        assert len(credit_code(rng)) == 18
