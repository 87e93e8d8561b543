"""The monthly cycle through the services: readings → exceptions → release → billing → issue → payment."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError

from powercis.billing.models import Bill, BillLine, BillStatus
from powercis.billing.services import approve_bill, issue_bills, run_billing
from powercis.payments.models import AccountBalance, Journal, Posting
from powercis.payments.services import check_ledger, open_bills, take_payment
from powercis.reading.models import Reading, ReadingException
from powercis.reading.services import ensure_plan, import_readings, release_plan, resolve_exception
from powercis.services import ServiceError
from powercis.tabular import ImportRejected
from tests.factories import MONTH, PERIOD, business_day, csv_bytes, run_cycle, world

pytestmark = pytest.mark.django_db
HEADER = ["户号", "有功总", "峰", "谷", "无功"]
REGISTERS = ["total", "peak", "valley", "reactive"]
#: The world's month (R002 rolls over: 999950 → 20 = 70 kWh) as the rows of a reading file.
GOOD = [[number, *(MONTH[number].get(r, "") for r in REGISTERS)] for number in ("R001", "R002", "C001", "I001")]


def _import(w, rows, user=None, encoding="utf-8", name="readings.csv"):
    plan = ensure_plan(w.book_a, PERIOD)
    return plan, import_readings(plan, name, csv_bytes([HEADER, *rows], encoding), user or w.user("reader"))


def _cycle_to_release(w):
    """The month imported from a file, its exceptions accepted and the book released."""
    plan, result = _import(w, GOOD)
    for exc in ReadingException.objects.filter(plan=plan, status="open"):
        resolve_exception(exc, w.user("billing"), "现场核实无误")
    release_plan(plan, w.user("billing"))
    return plan, result


def test_import_with_one_bad_row_writes_nothing_and_names_the_row():
    w = world()
    bad = [*GOOD[:2], ["C001", "一千八", "", "", ""], GOOD[3]]
    with pytest.raises(ImportRejected) as info:
        _import(w, bad)
    errors = info.value.errors
    assert [(e.row, e.code) for e in errors] == [(4, "not_a_number")]
    assert "不是数字" in errors[0].message and "C001" in errors[0].message
    assert not Reading.objects.filter(period=PERIOD).exists()


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_import_accepts_utf8_and_gbk(encoding):
    w = world()
    _, result = _import(w, GOOD, encoding=encoding)
    assert result.created == 7  # 3 single-register accounts + 4 registers of I001
    r2 = Reading.objects.get(point__account__number="R002", period=PERIOD)
    assert r2.rolled_over and r2.kwh == Decimal("70")
    i1 = Reading.objects.get(point__account__number="I001", period=PERIOD, register="total")
    assert i1.kwh == Decimal("170.6") * 3000


def test_reimport_is_idempotent():
    w = world()
    _import(w, GOOD)
    _, again = _import(w, GOOD)
    assert again.created == 0 and again.unchanged == 7
    assert Reading.objects.filter(period=PERIOD).count() == 7


def test_unknown_account_and_other_station_rows_are_rejected():
    w = world()
    with pytest.raises(ImportRejected) as info:
        _import(w, [["RB01", "1100", "", "", ""], ["NOPE", "1", "", "", ""]])
    assert {e.code for e in info.value.errors} == {"unknown_account"}


def test_reader_of_other_station_cannot_import():
    w = world()
    with pytest.raises(PermissionDenied):
        _import(w, GOOD, user=w.user("reader", "b"))


def test_release_refused_while_exceptions_open():
    w = world()
    plan, _ = _import(w, [*GOOD[:3], ["I001", "5953.8", "4639.2", "4565.9", "3459.8"]])  # zero use → exception
    assert ReadingException.objects.filter(plan=plan, status="open", code="ZERO").exists()
    with pytest.raises(ServiceError) as info:
        release_plan(plan, w.user("billing"))
    assert info.value.code == "exceptions_open"


def test_billing_run_twice_leaves_same_bills_and_ledger():
    w = world()
    _cycle_to_release(w)
    biller = w.user("billing")
    first = run_billing(w.station_a, PERIOD, [w.book_a], biller, on=business_day(PERIOD))
    assert first.bills_created == 4 and not first.errors
    snapshot = sorted(Bill.objects.values_list("account__number", "total", "status"))
    lines = BillLine.objects.count()
    second = run_billing(w.station_a, PERIOD, [w.book_a], biller, on=business_day(PERIOD))
    assert second.bills_created == 0 and second.bills_existing == 4
    assert sorted(Bill.objects.values_list("account__number", "total", "status")) == snapshot
    assert BillLine.objects.count() == lines
    for bill in Bill.objects.filter(status=BillStatus.FLAGGED):
        approve_bill(bill, biller, "已核对")
    assert issue_bills(w.station_a, PERIOD, [w.book_a], biller, on=business_day(PERIOD)) == 4
    journals = Journal.objects.count()
    assert issue_bills(w.station_a, PERIOD, [w.book_a], biller, on=business_day(PERIOD)) == 0
    run_billing(w.station_a, PERIOD, [w.book_a], biller, on=business_day(PERIOD))
    assert Journal.objects.count() == journals
    assert check_ledger() == []


def test_bills_trace_to_readings_and_tariff():
    w = world()
    _cycle_to_release(w)
    run_billing(w.station_a, PERIOD, [w.book_a], w.user("billing"), on=business_day(PERIOD))
    r1 = Bill.objects.get(account__number="R001")
    assert r1.energy_kwh == Decimal("150") and r1.total == Decimal("79.25")  # 150 × 0.5283 = 79.245 → 79.25
    assert r1.tariff_version.tariff.code == "RES"
    assert r1.rating_input["readings"][0]["current"] == "1150.00"
    ind = Bill.objects.get(account__number="I001")
    # 2P-01's readings and multiplier with this tariff: basic 5000 kVA × 25 = 125,000.00
    assert ind.lines.get(item="basic").amount == Decimal("125000.00")
    assert ind.pf == "0.98"
    assert ind.status == BillStatus.FLAGGED  # large customers are always reviewed
    assert ind.flags.filter(code="LARGE_CUSTOMER").exists()


def test_payment_oldest_first_remainder_prepaid_and_idempotent():
    w = world()
    run_cycle(w)
    account = w.accounts["R001"]
    cashier = w.user("cashier")
    out = take_payment(account, Decimal("100.00"), cashier, channel_ref="t-1")
    assert out.created and [a.amount for a in out.allocations] == [Decimal("79.25")]
    balance = AccountBalance.objects.get(account=account)
    assert balance.receivable == 0 and balance.prepaid == Decimal("20.75")
    again = take_payment(account, Decimal("100.00"), cashier, channel_ref="t-1")
    assert not again.created and again.payment.pk == out.payment.pk
    assert open_bills(account) == []
    assert check_ledger() == []


def test_cashier_of_other_station_refused():
    w = world()
    with pytest.raises(PermissionDenied):
        take_payment(w.accounts["R001"], Decimal("10"), w.user("cashier", "b"), channel_ref="x")


def test_ledger_check_command_fails_on_tampered_balance():
    w = world()
    run_cycle(w)
    call_command("ledger", "check")
    AccountBalance.objects.filter(account=w.accounts["C001"]).update(receivable=Decimal("1.00"))
    with pytest.raises(CommandError):
        call_command("ledger", "check")


def test_ledger_check_detects_unbalanced_journal():
    run_cycle(world())
    Posting.objects.filter(ledger="revenue").update(amount=Decimal("-1.00"))
    assert any("借贷不平" in p for p in check_ledger())


def test_billing_refuses_unreleased_book():
    w = world()
    _import(w, GOOD)
    with pytest.raises(ServiceError) as info:
        run_billing(w.station_a, PERIOD, [w.book_a], w.user("billing"), on=business_day(PERIOD))
    assert info.value.code == "book_not_released"


def test_review_thresholds_are_configurable_per_station():
    from powercis.billing.models import ReviewSettings

    w = world()
    ReviewSettings.objects.create(station=w.station_a, review_large_customers=False)
    _cycle_to_release(w)
    run_billing(w.station_a, PERIOD, [w.book_a], w.user("billing"), on=business_day(PERIOD))
    ind = Bill.objects.get(account__number="I001")
    assert ind.status == BillStatus.APPROVED and not ind.flags.exists()


def test_due_date_runs_from_the_issue_date():
    import datetime as dt


    w = world()
    _cycle_to_release(w)
    biller = w.user("billing")
    run_billing(w.station_a, PERIOD, [w.book_a], biller, on=business_day(PERIOD))
    Bill.objects.update(due_date=dt.date(2000, 1, 1))  # as if billed long before issuance
    for bill in Bill.objects.filter(status=BillStatus.FLAGGED):
        approve_bill(bill, biller, "已核对")
    issue_bills(w.station_a, PERIOD, [w.book_a], biller, on=business_day(PERIOD))
    expected = business_day(PERIOD) + dt.timedelta(days=15)  # the issue date passed to issue_bills
    assert set(Bill.objects.values_list("due_date", flat=True)) == {expected}
