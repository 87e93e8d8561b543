"""The dated archive (AccountTerms) and the billing run that rates from it (issue 6, points 4 and 5).

Every bill here comes from the real run (``run_billing``) after real readings and release; expected
values are computed independently: by hand in the comments and by ``rate_bill`` / ``core.calc`` on an
input written out in the test.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from powercis.audit.models import ChangeLog
from powercis.billing.corrections import (
    approve_adjustment,
    request_meter_error_adjustment,
    request_recalculation,
)
from powercis.billing.models import Bill
from powercis.billing.services import run_billing
from powercis.core import calc
from powercis.core.rating import rate_bill
from powercis.customers.models import Account, AccountTerms
from powercis.customers.terms import change_terms, sync_account_copies, terms_on, terms_over
from powercis.metering.models import MeteringPoint
from powercis.org.models import ReadingBook
from powercis.reading.models import ReadingException
from powercis.reading.services import (
    ReadingRow,
    ensure_plan,
    release_plan,
    resolve_exception,
    submit_readings,
)
from powercis.services import ServiceError
from powercis.tariffs.models import Tariff, TariffVersion
from tests.factories import (
    ADJUST_DAY,
    World,
    add_account,
    add_point,
    business_day,
    issue,
    make_book,
    read,
    run_cycle,
    world,
)

pytestmark = pytest.mark.django_db
D = Decimal
#: The month after the world's (2026-03) for book BA01.
MARCH = {"R001": {"total": "1250"}, "R002": {"total": "90"}, "C001": {"total": "1900"},
         "I001": {"total": "6300", "peak": "4710", "valley": "4620", "reactive": "3530"}}


# ---------------------------------------------------------------------------------------------------
# helpers: accounts, readings and the real cycle
# ---------------------------------------------------------------------------------------------------


def _book(w: World, code: str, reading_day: int) -> ReadingBook:
    return make_book(w.station_a, code, reading_day, reader=w.user("reader"))


def _connect(w: World, number: str, tariff: str, book: ReadingBook, *, connected_on: dt.date, initial_period: str,
             start: str | dict[str, str] = "0", **extra: Any) -> Account:
    """A new account the way the desk creates one (``Account.objects.create``), meter installed on the
    connection day with its installation readings (0 unless given) recorded in ``initial_period`` (the
    period before the first one billed)."""
    return add_account(w, number, tariff, book=book, connected_on=connected_on, initial_period=initial_period,
                       start=start, **extra)


def _bill(w: World, book: ReadingBook, period: str, number: str) -> Bill:
    run = run_billing(w.station_a, period, [book], w.user("billing"), on=business_day(period))
    assert run.errors == []
    return Bill.objects.get(account__number=number, period=period, kind="regular")


def _change(w: World, account: Account, valid_from: dt.date, on: dt.date | None = None, reason: str = "业务变更",
            **changes: Any) -> AccountTerms:
    # A class change (tariff) is four-eyes: the company-level administrator approves the desk's request.
    return change_terms(account, valid_from=valid_from, changes=changes, reason=reason, user=w.user("desk"),
                        on=on or valid_from, approved_by=w.user("admin", "co") if "tariff" in changes else None)


def _lines(bill: Bill) -> list[tuple[str, Decimal, int]]:
    return [(ln.item, ln.amount, ln.segment) for ln in bill.lines.order_by("seq")]


def _expected_lines(inp: dict[str, Any], on: dt.date) -> list[tuple[str, Decimal, int]]:
    return [(ln.item, ln.amount, max(ln.segment, 0)) for ln in rate_bill(inp, on).lines]


def _half_up(x: Decimal) -> Decimal:
    return x.quantize(D("0.01"), rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------------------------------------------
# the five must-show bills
# ---------------------------------------------------------------------------------------------------


def test_hv_lv_account_bill_carries_transformer_loss_and_matches_the_calculator():
    """高供低计, 200 kVA, CT 300/5: the contract's monthly loss (1,200 kWh, 3,600 kvarh) is added to the
    metered energy, billed at the flat price and counted in the power factor."""
    w = world()
    book = _book(w, "HL", 20)
    account = _connect(w, "L001", "COM", book, connected_on=dt.date(2020, 1, 1), initial_period="2026-01",
                       registers=("total", "reactive"), start={"total": "1000", "reactive": "500"}, ct="300/5",
                       capacity_kva=D("200"), pf_standard="0.85")
    _change(w, account, dt.date(2025, 6, 1), metering_mode="hv_lv",
            transformer_loss={"active_kwh": 1200, "reactive_kvarh": 3600}, reason="改为高供低计，按合同计变损")
    read(w, book, "2026-02", {"L001": {"total": "1100", "reactive": "540"}})
    bill = _bill(w, book, "2026-02", "L001")
    # metered 100 × 60 = 6,000 kWh + 1,200 loss = 7,200 kWh at 0.65 = 4,680.00; Q = 40 × 60 + 3,600 = 6,000;
    # PF = 7200 / √(7200² + 6000²) = 0.768 → 0.77, 0.08 below 0.85 → +4.0 % of 4,680.00 = 187.20.
    assert _lines(bill) == [("energy:flat", D("4680.00"), 0), ("pf_adjust", D("187.20"), 0)]
    assert bill.total == D("4867.20") and bill.energy_kwh == D("7200") and bill.pf == "0.77"
    flat = bill.lines.get(item="energy:flat")
    assert flat.quantity == D("7200") and "变损" in flat.formula
    # the same inputs written out by hand, through the calculator (powercis calc) and the rater
    inp = {"days": 31, "month_days": 31, "energy": {"total": "6000", "reactive": "2400"}, "price": {"flat": "0.6500"},
           "pf_standard": "0.85", "transformer_loss": {"active_kwh": "1200", "reactive_kvarh": "3600"}}
    assert calc.run("bill", inp, dt.date(2026, 2, 20))["total"] == "4867.20"
    assert _lines(bill) == _expected_lines(inp, dt.date(2026, 2, 20))


def test_capacity_and_pf_standard_change_on_day_11_bills_two_segments_by_days():
    """减容 5,000 → 3,150 kVA with the PF standard 0.90 → 0.85 from 11 February: a book read on the last
    day of the month bills February (1–28) as 10 + 18 days."""
    w = world()
    book = _book(w, "MB", 31)
    account = _connect(w, "I100", "IND", book, connected_on=dt.date(2020, 1, 1), initial_period="2026-01",
                       registers=("total", "peak", "valley", "reactive"),
                       capacity_kva=D("5000"), basic_charge_mode="capacity", pf_standard="0.90", metering_mode="hv_hv")
    _change(w, account, dt.date(2026, 2, 11), capacity_kva="3150", pf_standard="0.85", reason="减容")
    read(w, book, "2026-02", {"I100": {"total": "28000", "peak": "8400", "valley": "5600", "reactive": "14000"}})
    bill = _bill(w, book, "2026-02", "I100")
    segs = bill.rating_input["input"]["segments"]
    assert [(s["days"], s["month_days"]) for s in segs] == [(10, 28), (18, 28)]
    assert [s["energy"] for s in segs] == [
        {"peak": "3000.00", "reactive": "5000.00", "total": "10000.00", "valley": "2000.00"},
        {"peak": "5400.00", "reactive": "9000.00", "total": "18000.00", "valley": "3600.00"},
    ]
    assert [(s["from"], s["to"]) for s in bill.rating_input["segments"]] == [("2026-02-01", "2026-02-10"), ("2026-02-11", "2026-02-28")]
    basic = list(bill.lines.filter(item="basic").order_by("segment").values_list("segment", "quantity", "amount"))
    # 5,000 × 25 × 10/28 = 44,642.857… ; 3,150 × 25 × 18/28 = 50,625.00
    assert basic == [(0, D("5000"), D("44642.86")), (1, D("3150"), D("50625.00"))]
    pf = list(bill.lines.filter(item="pf_adjust").order_by("segment").values_list("segment", "rule", "formula"))
    assert len(pf) == 2 and "标准 0.90" in pf[0][2] and "标准 0.85" in pf[1][2]
    assert bill.pf == "0.89,0.89"  # 10000 / √(10000² + 5000²) = 0.894 in both parts
    seg = {"month_days": 28, "price": {"flat": "0.60", "peak_factor": "1.6", "valley_factor": "0.4"}}
    inp = {"segments": [
        {**seg, "days": 10, "energy": {"total": "10000", "peak": "3000", "valley": "2000", "reactive": "5000"},
         "basic": {"capacity_kva": 5000, "price": "25"}, "pf_standard": "0.90"},
        {**seg, "days": 18, "energy": {"total": "18000", "peak": "5400", "valley": "3600", "reactive": "9000"},
         "basic": {"capacity_kva": 3150, "price": "25"}, "pf_standard": "0.85"},
    ]}
    assert _lines(bill) == _expected_lines(inp, dt.date(2026, 2, 28))
    assert bill.total == rate_bill(inp, dt.date(2026, 2, 28)).total


def test_connection_on_day_20_pays_11_30_of_the_basic_charge():
    """A book read on the 30th: March's period is 1–30 March (30 days). Connected on 20 March: 20–30
    March are 11 supplied days, so the basic charge is 630 kVA × 25 × 11/30 = 5,775.00."""
    w = world()
    book = _book(w, "NB", 30)
    _connect(w, "N001", "IND", book, connected_on=dt.date(2026, 3, 20), initial_period="2026-02",
             registers=("total", "peak", "valley", "reactive"), capacity_kva=D("630"), basic_charge_mode="capacity",
             pf_standard="0.90", metering_mode="hv_hv")
    read(w, book, "2026-03", {"N001": {"total": "5500", "peak": "1800", "valley": "1200", "reactive": "2000"}})
    bill = _bill(w, book, "2026-03", "N001")
    assert (bill.period_start, bill.period_end) == (dt.date(2026, 2, 28), dt.date(2026, 3, 30))
    inp = bill.rating_input["input"]
    assert (inp["days"], inp["month_days"]) == (11, 30) and "segments" not in inp
    basic = bill.lines.get(item="basic")
    assert (basic.quantity, basic.amount) == (D("630"), D("5775.00"))
    assert "11/30" in basic.formula
    # energy as metered (all of it in the supplied days), prices of the IND tariff
    assert bill.lines.get(item="energy:peak").amount == _half_up(D(1800) * D("0.96"))
    assert bill.lines.get(item="energy:flat").amount == _half_up(D(2500) * D("0.60"))
    assert bill.lines.get(item="energy:valley").amount == _half_up(D(1200) * D("0.24"))


def test_rebilled_month_counts_in_the_tier_year_of_the_next_bill():
    """R001 is billed 150 kWh for February, then re-billed (倍率错误) to 3,000 kWh. March's bill places its
    100 kWh after the rebill's 3,000 kWh — all in tier 2 (> 2,760) — not after the reversed 150."""
    w = world()
    run_cycle(w)
    original = Bill.objects.get(account__number="R001", period="2026-02", kind="regular")
    corrected = {**original.rating_input["input"], "energy": {"total": "3000"}}
    adj = request_recalculation(original, w.user("billing"), cause="倍率错误", evidence="现场核查", corrected_input=corrected)
    reversal, rebill = approve_adjustment(adj, w.user("head"), "同意", on=ADJUST_DAY)
    assert (reversal.kind, rebill.kind, rebill.energy_kwh) == ("reversal", "rebill", D("3000"))
    assert list(Bill.objects.standing().filter(account__number="R001").values_list("kind", "energy_kwh")) == [
        ("rebill", D("3000.00"))
    ]
    read(w, w.book_a, "2026-03", MARCH)
    march = _bill(w, w.book_a, "2026-03", "R001")
    tiers = march.rating_input["input"]["price"]["tiers"]
    assert tiers["used_before"] == "3000.00" and tiers["thresholds"] == ["2760", "4800"]
    assert _lines(march) == [("energy:tier2", D("57.83"), 0)]  # 100 × 0.5783


def test_adjust_bill_counts_in_the_tier_year_too():
    """A 退补 (adjust bill) of +2,700 kWh in February: March's 100 kWh start at 2,850 → 100 in tier 2."""
    w = world()
    run_cycle(w)
    adj = request_meter_error_adjustment(
        w.accounts["R001"], w.user("billing"), cause="表慢", evidence="校验报告",
        calc_input={"type": "error_percent", "error_percent": "-90", "metered_kwh": 300}, price="0.5283",
        bill=Bill.objects.get(account__number="R001", period="2026-02"),
    )
    approve_adjustment(adj, w.user("head"), "同意", on=ADJUST_DAY)
    assert adj.kwh == D("2700")
    read(w, w.book_a, "2026-03", MARCH)
    march = _bill(w, w.book_a, "2026-03", "R001")
    assert march.rating_input["input"]["price"]["tiers"]["used_before"] == "2850.00"  # 150 + 2,700
    assert _lines(march) == [("energy:tier2", D("57.83"), 0)]


def test_residential_tou_and_tier_account_is_rated_as_the_calculator_rates_it():
    """Jiangsu residential TOU (peak 0.5583, valley 0.3583) on annual tiers with increments +0.05/+0.30:
    2,700 kWh in February, then 400 kWh in March (250 peak, 150 valley) of which 340 fall in tier 2."""
    w = world()
    tariff = Tariff.objects.create(code="RES-TOU", name="居民分时(年阶梯)", category="residential", tou=True)
    TariffVersion.objects.create(
        tariff=tariff, label="2012", effective_from=dt.date(2012, 7, 1), source="江苏 tariffs.md",
        prices={"peak": "0.5583", "valley": "0.3583",
                "tiers": {"basis": "annual", "thresholds": [2760, 4800], "increments": ["0", "0.05", "0.30"]}},
    )
    book = _book(w, "RT", 20)
    _connect(w, "T001", "RES-TOU", book, connected_on=dt.date(2020, 1, 1), initial_period="2026-01",
             registers=("total", "peak", "valley"))
    read(w, book, "2026-02", {"T001": {"total": "2700", "peak": "1700", "valley": "1000"}})
    feb = _bill(w, book, "2026-02", "T001")
    assert _lines(feb) == [("energy:peak", D("949.11"), 0), ("energy:valley", D("358.30"), 0)]
    issue(w, book, "2026-02")
    read(w, book, "2026-03", {"T001": {"total": "3100", "peak": "1950", "valley": "1150"}})
    march = _bill(w, book, "2026-03", "T001")
    inp = {"days": 28, "month_days": 28, "energy": {"total": 400, "peak": 250, "valley": 150},
           "price": {"peak": "0.5583", "valley": "0.3583",
                     "tiers": {"thresholds": [2760, 4800], "increments": ["0", "0.05", "0.30"], "used_before": 2700}}}
    assert _lines(march) == _expected_lines(inp, dt.date(2026, 3, 20))
    assert _lines(march) == [("energy:peak", D("139.58"), 0), ("energy:valley", D("53.75"), 0),
                             ("energy:tier2_add", D("17.00"), 0)]
    assert march.total == D(calc.run("bill", inp, dt.date(2026, 3, 20))["total"]) == D("210.33")
    add = march.lines.get(item="energy:tier2_add")
    assert (add.quantity, add.price, add.label) == (D("340"), D("0.05"), "第二档加价电费")


# ---------------------------------------------------------------------------------------------------
# more of the run: closure, suspension, transformers, splits, metering changes, merging, who is billed
# ---------------------------------------------------------------------------------------------------


def test_closure_day_is_supplied_and_the_account_is_billed_though_closed_today():
    """销户 valid from 10 March: 1–10 March supplied (the closure day counts), basic 630 × 25 × 10/30;
    the account's status today is closed, yet its last period is billed; April bills nothing."""
    w = world()
    book = _book(w, "CB", 30)
    account = _connect(w, "X001", "IND", book, connected_on=dt.date(2020, 1, 1), initial_period="2026-02",
                       registers=("total", "reactive"), capacity_kva=D("630"), basic_charge_mode="capacity",
                       pf_standard="0.90")
    _change(w, account, dt.date(2026, 3, 10), on=dt.date(2026, 3, 12), status="closed", reason="销户")
    account.refresh_from_db()
    assert account.status == "closed"
    plan = ensure_plan(book, "2026-03")
    submit_readings(plan, [ReadingRow(2, account.points.get(), {"total": D(3000), "reactive": D(1000)})],
                    w.user("reader"), "screen")
    release_plan(plan, w.user("billing"))
    bill = _bill(w, book, "2026-03", "X001")
    inp = bill.rating_input["input"]
    assert (inp["days"], inp["month_days"]) == (10, 30)
    assert bill.lines.get(item="basic").amount == D("5250.00")  # 630 × 25 × 10/30
    assert bill.rating_input["segments"][0]["to"] == "2026-03-10"
    ensure_plan(book, "2026-04")
    release_plan(ensure_plan(book, "2026-04"), w.user("billing"))
    run = run_billing(w.station_a, "2026-04", [book], w.user("billing"), on=business_day("2026-04"))
    assert run.bills_created == 0 and not Bill.objects.filter(period="2026-04").exists()


def test_suspension_has_no_basic_charge_and_makes_a_part_month():
    """暂停 from 16 March, resumed (恢复) from 26 March: days 1–15 and 26–30 pay 15/30 and 5/30, the ten
    suspended days none."""
    w = world()
    book = _book(w, "SB", 30)
    account = _connect(w, "S001", "IND", book, connected_on=dt.date(2020, 1, 1), initial_period="2026-02",
                       capacity_kva=D("1000"), basic_charge_mode="capacity")
    _change(w, account, dt.date(2026, 3, 16), status="suspended", reason="暂停")
    _change(w, account, dt.date(2026, 3, 26), status="active", reason="暂停恢复")
    read(w, book, "2026-03", {"S001": {"total": "3000"}})
    bill = _bill(w, book, "2026-03", "S001")
    segs = bill.rating_input["input"]["segments"]
    assert [(s["days"], s["month_days"], "basic" in s) for s in segs] == [(15, 30, True), (10, 30, False), (5, 30, True)]
    assert list(bill.lines.filter(item="basic").order_by("segment").values_list("amount", flat=True)) == [
        D("12500.00"), D("4166.67")]  # 1000 × 25 × 15/30; × 5/30 = 4,166.666…


def test_sealed_and_interlocked_transformers_and_suspended_transformer():
    """Transformers T1 800 + T2 800 interlocked (count once), T3 500 sealed cold standby: 800 kVA billed;
    from 11 February T1/T2's partner T4 400 is suspended too (no change: it is not billed either)."""
    w = world()
    book = _book(w, "TB", 31)
    account = _connect(w, "T100", "IND", book, connected_on=dt.date(2020, 1, 1), initial_period="2026-01",
                       capacity_kva=D("2100"), basic_charge_mode="capacity")
    _change(w, account, dt.date(2024, 1, 1), reason="变压器台账",
            transformers=[{"id": "T1", "kva": 800}, {"id": "T2", "kva": 800}, {"id": "T3", "kva": 500, "sealed": True},
                          {"id": "T4", "kva": 400}],
            interlocked=[["T1", "T2"]])
    _change(w, account, dt.date(2026, 2, 11), reason="T4 暂停",
            transformers=[{"id": "T1", "kva": 800}, {"id": "T2", "kva": 800}, {"id": "T3", "kva": 500, "sealed": True},
                          {"id": "T4", "kva": 400, "suspended": True}])
    read(w, book, "2026-02", {"T100": {"total": "10000"}})
    bill = _bill(w, book, "2026-02", "T100")
    basic = list(bill.lines.filter(item="basic").order_by("segment").values_list("quantity", "amount"))
    # 1–10 Feb: 800 + 400 = 1,200 kVA × 25 × 10/28 = 10,714.29; 11–28 Feb: 800 × 25 × 18/28 = 12,857.14
    assert basic == [(D("1200"), D("10714.29")), (D("800"), D("12857.14"))]


def test_fixed_quantity_and_ratio_from_terms_with_a_tariff_reference():
    """定量 照明 600 kWh/month at the COM tariff's price, 定比 居民 10 % at 0.50, on an IND account."""
    w = world()
    book = _book(w, "FB", 31)
    account = _connect(w, "F001", "IND", book, connected_on=dt.date(2020, 1, 1), initial_period="2026-01")
    _change(w, account, dt.date(2025, 1, 1), reason="电价比例提取协议",
            fixed_quantities=[{"name": "照明", "kwh": 600, "tariff": "COM"}],
            fixed_ratios=[{"name": "居民", "ratio": "0.10", "price": "0.50"}])
    read(w, book, "2026-02", {"F001": {"total": "10600"}})
    bill = _bill(w, book, "2026-02", "F001")
    items = {ln.item: ln for ln in bill.lines.all()}
    assert (items["fixed:照明"].quantity, items["fixed:照明"].price, items["fixed:照明"].amount) == (D(600), D("0.65"), D("390.00"))
    assert (items["fixed:居民"].quantity, items["fixed:居民"].amount) == (D(1000), D("500.00"))
    assert items["energy:flat"].quantity == D(9000) and items["energy:flat"].amount == D("5400.00")


def test_fixed_quantity_is_prorated_in_a_part_month():
    w = world()
    book = _book(w, "FP", 30)
    account = _connect(w, "F002", "COM", book, connected_on=dt.date(2026, 3, 20), initial_period="2026-02")
    _change(w, account, dt.date(2026, 3, 20), reason="电价比例提取协议",
            fixed_quantities=[{"name": "照明", "kwh": 600, "price": "0.70"}])
    read(w, book, "2026-03", {"F002": {"total": "1000"}})
    bill = _bill(w, book, "2026-03", "F002")
    assert bill.lines.get(item="fixed:照明").quantity == D("220")  # 600 × 11/30


def test_multiplier_change_mid_period_takes_each_points_energy_into_its_own_days():
    """CT 100/5 → 200/5 on 11 February (new point; the old one removed that day): the old point's
    kWh go to 1–11 Feb, the new point's to 11–28 Feb by days; the class changes on the 11th too."""
    w = world()
    book = _book(w, "MC", 31)
    account = _connect(w, "M100", "COM", book, connected_on=dt.date(2020, 1, 1), initial_period="2026-01",
                       registers=("total",), ct="100/5", capacity_kva=D("160"))
    old = account.points.get()
    old.removed_on = dt.date(2026, 2, 11)
    old.save()
    assert not old.active
    new = add_point(account, "M100B", ct="200/5", installed_on=dt.date(2026, 2, 11), initial_period="2026-01", start="0")
    _change(w, account, dt.date(2026, 2, 11), tariff="IND", reason="换互感器同时改类")
    plan = ensure_plan(book, "2026-02")
    submit_readings(plan, [ReadingRow(2, old, {"total": D(50)}), ReadingRow(3, new, {"total": D(90)})],
                    w.user("reader"), "screen")
    for exc in ReadingException.objects.filter(plan=plan, status="open"):
        resolve_exception(exc, w.user("billing"), "换表")
    release_plan(plan, w.user("billing"))
    bill = _bill(w, book, "2026-02", "M100")
    segs = bill.rating_input["input"]["segments"]
    # old point: 50 × 20 = 1,000 kWh over its days 1–11 Feb: 10 days in segment 1, 1 day in segment 2
    # new point: 90 × 40 = 3,600 kWh over 11–28 Feb, all in segment 2
    assert [(s["days"], s["energy"]["total"]) for s in segs] == [(10, "909.09"), (18, "3690.91")]
    assert bill.energy_kwh == D("4600")
    assert {r["meter"] for r in bill.rating_input["readings"]} == {"MM100", "M100B"}


def test_segments_with_the_same_rater_input_are_merged():
    """A voltage correction changes nothing the rater sees: one segment, days = the whole period."""
    w = world()
    book = _book(w, "VB", 31)
    account = _connect(w, "V001", "IND", book, connected_on=dt.date(2020, 1, 1), initial_period="2026-01",
                       capacity_kva=D("1000"), basic_charge_mode="capacity")
    _change(w, account, dt.date(2026, 2, 11), voltage="20千伏", reason="电压等级更正")
    read(w, book, "2026-02", {"V001": {"total": "10000"}})
    bill = _bill(w, book, "2026-02", "V001")
    inp = bill.rating_input["input"]
    assert "segments" not in inp and (inp["days"], inp["month_days"]) == (28, 28)
    assert bill.lines.get(item="basic").amount == D("25000.00")


def test_price_change_inside_the_period_still_splits_by_days():
    w = world()
    TariffVersion.objects.create(tariff=w.tariffs["COM"], label="v2", effective_from=dt.date(2026, 2, 11),
                                 source="调价", prices={"flat": "0.6000"})
    book = _book(w, "PB", 31)
    _connect(w, "P001", "COM", book, connected_on=dt.date(2020, 1, 1), initial_period="2026-01")
    read(w, book, "2026-02", {"P001": {"total": "2800"}})
    bill = _bill(w, book, "2026-02", "P001")
    assert _lines(bill) == [("energy:flat", D("650.00"), 0), ("energy:flat", D("1080.00"), 1)]  # 1000 × 0.65, 1800 × 0.60
    assert bill.tariff_version.label == "v2"


def test_billing_reads_the_terms_not_the_account_columns():
    """Someone edits the account row directly: billing does not see it (it reads the dated terms)."""
    w = world()
    book = _book(w, "AB", 31)
    account = _connect(w, "A001", "IND", book, connected_on=dt.date(2020, 1, 1), initial_period="2026-01",
                       capacity_kva=D("1000"), basic_charge_mode="capacity")
    Account.objects.filter(pk=account.pk).update(capacity_kva=D("9999"), status="closed")
    plan = ensure_plan(book, "2026-02")
    submit_readings(plan, [ReadingRow(2, account.points.get(), {"total": D(100)})], w.user("reader"), "screen")
    release_plan(plan, w.user("billing"))
    bill = _bill(w, book, "2026-02", "A001")
    assert bill.lines.get(item="basic").quantity == D("1000")


# ---------------------------------------------------------------------------------------------------
# the archive service
# ---------------------------------------------------------------------------------------------------


def test_every_account_is_born_with_terms_and_corrections_are_new_rows():
    w = world()
    i001 = w.accounts["I001"]
    first = terms_on(i001, dt.date(2020, 1, 1))
    assert first is not None and (first.valid_from, first.seq, first.capacity_kva, first.pf_standard) == (
        dt.date(2020, 1, 1), 1, D("5000"), "0.90")
    assert terms_on(i001, dt.date(2019, 12, 31)) is None
    _change(w, i001, dt.date(2026, 3, 1), on=dt.date(2026, 2, 15), capacity_kva=6300, reason="增容")
    _change(w, i001, dt.date(2026, 3, 1), on=dt.date(2026, 2, 16), capacity_kva=6000, reason="增容容量更正")
    assert terms_on(i001, dt.date(2026, 2, 28)).capacity_kva == D("5000")
    now = terms_on(i001, dt.date(2026, 3, 1))
    assert (now.capacity_kva, now.seq, now.reason) == (D("6000"), 2, "增容容量更正")
    assert AccountTerms.objects.filter(account=i001).count() == 3  # nothing edited, nothing deleted
    i001.refresh_from_db()
    assert i001.capacity_kva == D("5000")  # dated after the business date: the copy waits
    assert sync_account_copies(None, dt.date(2026, 3, 1)) == 1
    i001.refresh_from_db()
    assert i001.capacity_kva == D("6000")
    entry = ChangeLog.objects.filter(object_type="customers.account", object_id="I001").last()
    assert entry.user == w.user("desk") and "增容容量更正" in entry.summary
    assert entry.data["before"] == {"capacity_kva": "6300"} and entry.data["after"] == {"capacity_kva": "6000"}
    assert entry.data["valid_from"] == "2026-03-01"


def test_terms_over_is_one_query_for_a_book(django_assert_num_queries):
    w = world()
    _change(w, w.accounts["I001"], dt.date(2026, 2, 11), pf_standard="0.85", reason="x")
    _change(w, w.accounts["C001"], dt.date(2026, 2, 1), capacity_kva=80, reason="y")
    ids = [a.pk for a in w.accounts.values()]
    with django_assert_num_queries(1):
        spans = terms_over(ids, dt.date(2026, 1, 21), dt.date(2026, 2, 20))
    i001 = spans[w.accounts["I001"].pk]
    assert [(s.start, s.end, s.terms.pf_standard) for s in i001] == [
        (dt.date(2026, 1, 21), dt.date(2026, 2, 10), "0.90"), (dt.date(2026, 2, 11), dt.date(2026, 2, 20), "0.85")]
    c001 = spans[w.accounts["C001"].pk]
    assert [(s.days, s.terms.capacity_kva) for s in c001] == [(11, D("50")), (20, D("80"))]
    assert len(spans[w.accounts["R001"].pk]) == 1


def test_backdated_change_is_carried_into_later_rows_until_they_changed_the_field():
    w = world()
    i001 = w.accounts["I001"]
    _change(w, i001, dt.date(2026, 3, 11), capacity_kva=6300, reason="增容")
    _change(w, i001, dt.date(2026, 4, 1), pf_standard="0.85", reason="力调标准")
    _change(w, i001, dt.date(2026, 3, 1), on=dt.date(2026, 4, 5), capacity_kva=5500, metering_mode="hv_lv",
            transformer_loss={"active_kwh": 900, "reactive_kvarh": 2000}, reason="补录：三月一日起高供低计")
    march_5, march_20, april = (terms_on(i001, dt.date(2026, m, d)) for m, d in ((3, 5), (3, 20), (4, 2)))
    assert (march_5.capacity_kva, march_5.metering_mode) == (D("5500"), "hv_lv")
    # 11 March had decided the capacity itself (6,300): kept; the metering mode is carried in
    assert (march_20.capacity_kva, march_20.metering_mode, march_20.seq) == (D("6300"), "hv_lv", 2)
    assert (april.capacity_kva, april.metering_mode, april.pf_standard) == (D("6300"), "hv_lv", "0.85")
    assert april.transformer_loss == {"active_kwh": "900", "reactive_kvarh": "2000"}
    i001.refresh_from_db()
    assert (i001.capacity_kva, i001.metering_mode, i001.pf_standard) == (D("6300"), "hv_lv", "0.85")


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"capacity_kva": "-1"}, "out_of_range"),
        ({"capacity_kva": "abc"}, "not_a_number"),
        ({"status": "gone"}, "bad_choice"),
        ({"pf_standard": "0.95"}, "bad_choice"),
        ({"name": "x"}, "unknown_field"),
        ({"tariff": "NOPE"}, "unknown_tariff"),
        ({"category": "residential"}, "category_follows_tariff"),
        ({"metering_mode": "hv_lv"}, "loss_required"),
        ({"basic_charge_mode": "demand"}, "demand_required"),
        ({"interlocked": [["T1", "T9"]], "transformers": [{"id": "T1", "kva": 100}]}, "unknown_transformer"),
        ({"fixed_ratios": [{"name": "a", "ratio": "0.7", "price": "1"}, {"name": "b", "ratio": "0.4", "price": "1"}]},
         "invalid_split"),
        ({"fixed_quantities": [{"name": "a", "kwh": 10}]}, "invalid_split"),
        ({"capacity_kva": "5000"}, "no_change"),
        ({}, "no_change"),
    ],
)
def test_change_terms_validates(changes, code):
    w = world()
    with pytest.raises(ServiceError) as info:
        change_terms(w.accounts["I001"], valid_from=dt.date(2026, 3, 1), changes=changes, reason="x",
                     user=w.user("desk"), on=dt.date(2026, 3, 1))
    assert info.value.code == code
    assert AccountTerms.objects.filter(account=w.accounts["I001"]).count() == 1


def test_change_terms_permission_station_reason_and_date():
    w = world()
    i001 = w.accounts["I001"]
    args = {"valid_from": dt.date(2026, 3, 1), "changes": {"capacity_kva": 6300}, "on": dt.date(2026, 3, 1)}
    with pytest.raises(PermissionDenied):
        change_terms(i001, reason="增容", user=w.user("reader"), **args)
    with pytest.raises(PermissionDenied):
        change_terms(i001, reason="增容", user=w.user("desk", "b"), **args)
    with pytest.raises(ServiceError) as info:
        change_terms(i001, reason=" ", user=w.user("desk"), **args)
    assert info.value.code == "reason_required"
    with pytest.raises(ServiceError) as info:
        change_terms(i001, reason="增容", user=w.user("desk"), **{**args, "valid_from": dt.date(2019, 1, 1)})
    assert info.value.code == "before_connection"
    change_terms(i001, reason="改类", user=w.user("desk"), valid_from=dt.date(2026, 3, 1),
                 changes={"tariff": "COM"}, on=dt.date(2026, 3, 1), approved_by=w.user("admin", "co"))
    i001.refresh_from_db()
    assert (i001.tariff.code, i001.category) == ("COM", "commercial")


def test_standing_bills_definition():
    w = world()
    run_cycle(w)
    original = Bill.objects.get(account__number="C001", kind="regular")
    corrected = {**original.rating_input["input"], "energy": {"total": "1600"}}
    adj = request_recalculation(original, w.user("billing"), cause="x", evidence="y", corrected_input=corrected)
    approve_adjustment(adj, w.user("head"), "同意", on=ADJUST_DAY)
    assert sorted(Bill.objects.filter(account__number="C001").values_list("kind", "status")) == [
        ("rebill", "issued"), ("regular", "reversed"), ("reversal", "issued")]
    assert list(Bill.objects.standing().filter(account__number="C001").values_list("kind", flat=True)) == ["rebill"]


def test_review_compares_with_the_standing_bills_of_the_previous_period():
    """C001's February bill (520.00) is re-billed to 5,200.00: March's 65.00 is compared with the rebill."""
    w = world()
    run_cycle(w)
    original = Bill.objects.get(account__number="C001", period="2026-02", kind="regular")
    assert original.total == D("520.00")
    corrected = {**original.rating_input["input"], "energy": {"total": "8000"}}
    adj = request_recalculation(original, w.user("billing"), cause="倍率错误", evidence="CT 铭牌", corrected_input=corrected)
    approve_adjustment(adj, w.user("head"), "同意", on=ADJUST_DAY)
    read(w, w.book_a, "2026-03", MARCH)
    march = _bill(w, w.book_a, "2026-03", "C001")
    assert march.total == D("65.00")
    flag = march.flags.get(code="AMOUNT_CHANGE")
    assert "较上月 5200.00" in flag.message


def test_metering_points_count_by_their_dates():
    w = world()
    account = w.accounts["C001"]
    point = account.points.get()
    point.removed_on = dt.date(2026, 1, 21)
    point.save(update_fields=["removed_on"])
    point.refresh_from_db()
    assert point.active is False
    qs = MeteringPoint.objects.filter(account=account)
    assert list(qs.in_period(dt.date(2026, 1, 21), dt.date(2026, 2, 20))) == [point]  # its last day is in the period
    assert list(qs.in_period(dt.date(2026, 1, 22), dt.date(2026, 2, 20))) == []
    assert list(qs.in_period(dt.date(2019, 12, 1), dt.date(2019, 12, 31))) == []  # before installation


def test_data_migrations_write_initial_terms_and_date_removed_points():
    from importlib import import_module

    from django.apps import apps

    w = world()
    AccountTerms.objects.all().delete()
    MeteringPoint.objects.filter(account__number="R002").update(active=False)
    import_module("powercis.customers.migrations.0005_initial_account_terms").forwards(apps, None)
    import_module("powercis.metering.migrations.0002_meteringpoint_removed_on").removed_points(apps, None)
    assert AccountTerms.objects.count() == Account.objects.count() == len(w.accounts)
    i001 = terms_on(w.accounts["I001"], dt.date(2020, 1, 1))
    assert (i001.capacity_kva, i001.basic_charge_mode, i001.pf_standard, i001.seq) == (D("5000"), "capacity", "0.90", 1)
    assert MeteringPoint.objects.get(account__number="R002").removed_on == dt.date(2020, 1, 1)
