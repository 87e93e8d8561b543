"""Billing operations: the billing run, review rules, approval and issuance.

The run is per (station, period, books), one partition per book, each written in one transaction
keyed by (account, period, kind, seq): re-running a period writes nothing twice, and a run that
crashed resumes with the books it had not finished. Rating itself is the pure
``powercis.core.rating.rate_bill``; this module only gathers its input from the archive, readings
and tariff catalogue, and stores the lines with the input snapshot so that every amount traces back.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from powercis.audit.services import log_change
from powercis.billing.ledger import ledger
from powercis.billing.models import (
    Bill,
    BillingPartition,
    BillingRun,
    BillLine,
    BillStatus,
    ReviewFlag,
    ReviewSettings,
    due_date_after,
)
from powercis.core.errors import CalcError
from powercis.core.money import plain
from powercis.core.periods import parse_period, previous_period, reading_date
from powercis.core.rating import prorate_annual_thresholds, rate_bill
from powercis.customers.models import Account, AccountStatus, BasicChargeMode
from powercis.metering.models import MeteringPoint
from powercis.org.models import Station
from powercis.org.scoping import check_station, require_perm
from powercis.reading.models import PlanStatus, Reading, ReadingBook, ReadingPlan, ReadingSource
from powercis.services import ServiceError, db_sum
from powercis.tariffs.models import TariffVersion


def review_settings(station_id: int) -> ReviewSettings:
    """The review thresholds of a station: its own row, else the company-wide row, else the defaults."""
    rows = {r.station_id: r for r in ReviewSettings.objects.filter(Q(station_id=station_id) | Q(station__isnull=True))}
    return rows.get(station_id) or rows.get(None) or ReviewSettings()


@dataclass(frozen=True)
class AccountPeriod:
    """Everything rating needs for one account-period, gathered in bulk per book."""

    account: Account
    period_start: dt.date
    period_end: dt.date
    energy: dict[str, Decimal]
    readings: list[dict[str, str]]
    estimated: bool
    used_before: Decimal


def _versions_in(account: Account, start: dt.date, end: dt.date) -> list[tuple[TariffVersion, dt.date, dt.date]]:
    """Tariff versions in force over (start, end], each with the dates it covers (a price change splits)."""
    versions = list(account.tariff.versions.filter(effective_from__lte=end).order_by("effective_from"))
    if not versions:
        raise ServiceError("no_tariff", f"户号 {account.number} 的电价 {account.tariff.code} 在 {end} 无有效版本")
    parts: list[tuple[TariffVersion, dt.date, dt.date]] = []
    current = [v for v in versions if v.effective_from <= start + dt.timedelta(days=1)]
    first = current[-1] if current else versions[0]
    later = [v for v in versions if v.effective_from > start + dt.timedelta(days=1)]
    seg_start, seg_version = start, first
    for v in later:
        parts.append((seg_version, seg_start, v.effective_from - dt.timedelta(days=1)))
        seg_start, seg_version = v.effective_from - dt.timedelta(days=1), v
    parts.append((seg_version, seg_start, end))
    return parts


def _months_supplied(account: Account, period: str) -> int:
    year, _ = parse_period(period)
    if account.connected_on.year == year:
        return 12 - account.connected_on.month + 1
    return 12


def _price_spec(version: TariffVersion, account: Account, period: str, used_before: Decimal) -> dict[str, Any]:
    spec = version.price_spec()
    tiers = spec.get("tiers")
    if tiers and tiers.get("basis", "annual") == "annual":
        annual = [Decimal(str(t)) for t in tiers["thresholds"]]
        spec["tiers"] = {
            **{k: v for k, v in tiers.items() if k not in {"basis", "thresholds"}},
            "thresholds": [str(t) for t in prorate_annual_thresholds(annual, _months_supplied(account, period))],
            "used_before": str(used_before),
        }
    elif tiers:
        spec["tiers"] = {k: v for k, v in tiers.items() if k != "basis"}
    return spec


def _split(value: Decimal, weights: Sequence[int]) -> list[Decimal]:
    """Split ``value`` by day weights to 0.01, the remainder in the last part (sum stays exact)."""
    total = sum(weights)
    parts = [(value * w / total).quantize(Decimal("0.01")) for w in weights[:-1]]
    return [*parts, value - sum(parts, Decimal(0))]


def rating_input(ap: AccountPeriod, period: str) -> tuple[dict[str, Any], TariffVersion]:
    """The rater input of one account-period (segments when a price change falls inside it)."""
    account = ap.account
    parts = _versions_in(account, ap.period_start, ap.period_end)
    weights = [max((end - start).days, 0) for _, start, end in parts]
    if sum(weights) == 0:
        weights = [1] * len(parts)
    split_energy = {k: _split(v, weights) for k, v in ap.energy.items()}
    segments = []
    used = ap.used_before
    for index, (version, _start, _end) in enumerate(parts):
        energy = {k: str(v[index]) for k, v in split_energy.items()}
        seg: dict[str, Any] = {
            "days": weights[index] if len(parts) > 1 else 30,
            "month_days": sum(weights) if len(parts) > 1 else 30,
            "energy": energy,
            "price": _price_spec(version, account, period, used),
            "pf_standard": account.pf_standard or None,
        }
        used += Decimal(energy.get("total", "0"))
        if account.basic_charge_mode == BasicChargeMode.CAPACITY and version.basic_price_capacity is not None:
            seg["basic"] = {"capacity_kva": str(account.capacity_kva), "price": str(version.basic_price_capacity)}
        elif account.basic_charge_mode == BasicChargeMode.DEMAND and version.basic_price_demand is not None:
            seg["basic"] = {
                "demand_kw": str(account.contract_demand_kw or 0),
                "price": str(version.basic_price_demand),
                "capacity_kva": str(account.capacity_kva),
            }
            if "demand" in ap.energy:
                seg["basic"]["actual_demand_kw"] = str(ap.energy["demand"])
        segments.append(seg)
    last_version = parts[-1][0]
    inp: dict[str, Any] = {"funds": last_version.funds, "tariff_version": last_version.ref}
    if len(segments) == 1:
        inp.update(segments[0])
    else:
        inp["segments"] = segments
    if "demand" in ap.energy:
        for seg in segments:
            seg["energy"].pop("demand", None)
    return inp, last_version


def _gather(book: ReadingBook, period: str, accounts: Sequence[Account]) -> list[AccountPeriod]:
    """Readings, history and tier-year use for the accounts of one book, in a few queries."""
    ids = [a.pk for a in accounts]
    points = defaultdict(list)
    for p in MeteringPoint.objects.filter(account_id__in=ids, active=True).select_related("meter"):
        points[p.account_id].append(p)
    readings = defaultdict(list)
    for r in Reading.objects.filter(point__account_id__in=ids, period=period, superseded=False).exclude(
        source=ReadingSource.INITIAL
    ):
        readings[r.point_id].append(r)
    year, _ = parse_period(period)
    used = dict(
        Bill.objects.filter(
            account_id__in=ids, period__gte=f"{year:04d}-01", period__lt=period, kind="regular",
        )
        .exclude(status=BillStatus.REVERSED)
        .values("account_id")
        .annotate(s=Sum("energy_kwh"))
        .values_list("account_id", "s")
    )
    end = reading_date(period, book.reading_day)
    start = reading_date(previous_period(period), book.reading_day)
    out = []
    for account in accounts:
        energy: dict[str, Decimal] = defaultdict(Decimal)
        snapshot = []
        estimated = False
        for point in points.get(account.pk, []):
            for r in readings.get(point.pk, []):
                if r.register == "demand":
                    energy["demand"] = max(energy.get("demand", Decimal(0)), r.value * point.multiplier)
                else:
                    energy[r.register] += r.kwh or Decimal(0)
                estimated = estimated or r.estimated
                snapshot.append(
                    {
                        "meter": point.meter.asset_no,
                        "register": r.register,
                        "previous": str(r.previous) if r.previous is not None else "",
                        "current": str(r.value),
                        "multiplier": plain(point.multiplier),
                        "kwh": str(r.kwh) if r.kwh is not None else "",
                        "rolled_over": r.rolled_over,
                        "estimated": r.estimated,
                    }
                )
        if not snapshot:
            continue
        out.append(AccountPeriod(account, start, end, dict(energy), snapshot, estimated, db_sum(used.get(account.pk))))
    return out


def _review(
    bill: Bill, account: Account, previous_total: Decimal | None, estimated: bool, t: ReviewSettings
) -> list[tuple[str, str]]:
    """The review rules (电费审核规则): each returns (code, Chinese reason) when the bill needs a person."""
    flags = []
    if bill.total < 0:
        flags.append(("NEGATIVE", f"电费金额为负 {bill.total}"))
    if bill.total == 0 and account.status == AccountStatus.ACTIVE:
        flags.append(("ZERO_BILL", "在用户零电费"))
    if previous_total is not None and bill.total >= 0:
        diff = bill.total - previous_total
        if abs(diff) > t.change_min_yuan and (
            previous_total == 0 or abs(diff) * 100 / abs(previous_total) > t.change_percent
        ):
            pct = "∞" if previous_total == 0 else f"{abs(diff) * 100 / abs(previous_total):.1f}%"
            flags.append(
                ("AMOUNT_CHANGE", f"电费 {bill.total} 较上月 {previous_total} 变化 {diff:+} 元 ({pct})，超过阈值 {t.change_percent}%")
            )
    if t.review_large_customers and account.category == "large_industrial":
        flags.append(("LARGE_CUSTOMER", "大工业用户电费逐户审核"))
    if t.review_estimated and estimated:
        flags.append(("ESTIMATED", "估抄电量，需核实"))
    return flags


def _bill_partition(run: BillingRun, partition: BillingPartition, user: Any) -> tuple[int, int, list[str]]:
    book = partition.book
    period = run.period
    accounts = list(
        Account.objects.filter(book=book, status=AccountStatus.ACTIVE).select_related("tariff").order_by("number")
    )
    billed = set(
        Bill.objects.filter(account__book=book, period=period, kind="regular", seq=1).values_list("account_id", flat=True)
    )
    todo = [a for a in accounts if a.pk not in billed]
    previous = dict(
        Bill.objects.filter(account_id__in=[a.pk for a in todo], period=previous_period(period), kind="regular")
        .exclude(status=BillStatus.REVERSED)
        .values_list("account_id", "total")
    )
    errors: list[str] = []
    created = 0
    thresholds = review_settings(book.station_id)
    due = due_date_after(timezone.localdate())  # provisional: issuance sets the deadline from its own date
    with transaction.atomic():
        bills: list[Bill] = []
        lines: list[list[BillLine]] = []
        flags: list[list[tuple[str, str]]] = []
        for ap in _gather(book, period, todo):
            try:
                inp, version = rating_input(ap, period)
                result = rate_bill(inp, ap.period_end)
            except (CalcError, ServiceError) as exc:
                errors.append(f"{ap.account.number}: {exc}")
                continue
            bill = Bill(
                station=book.station, account=ap.account, book=book, run=run, period=period,
                energy_kwh=result.energy_kwh, total=result.total,
                pf=pf_text(result.pf), tariff_version=version,
                rating_input={"input": inp, "readings": ap.readings},
                period_start=ap.period_start, period_end=ap.period_end, due_date=due,
            )
            review = _review(bill, ap.account, previous.get(ap.account.pk), ap.estimated, thresholds)
            bill.status = BillStatus.FLAGGED if review else BillStatus.APPROVED
            bills.append(bill)
            flags.append(review)
            lines.append(
                [
                    BillLine(
                        seq=i, item=ln.item, label=ln.label, quantity=ln.quantity, unit=ln.unit, price=ln.price,
                        amount=ln.amount, rule=ln.rule[:120], formula=ln.formula[:300], segment=max(ln.segment, 0),
                    )
                    for i, ln in enumerate(result.lines, start=1)
                ]
            )
        Bill.objects.bulk_create(bills)
        all_lines, all_flags = [], []
        for bill, bill_lines, bill_flags in zip(bills, lines, flags, strict=True):
            for ln in bill_lines:
                ln.bill = bill
                all_lines.append(ln)
            all_flags.extend(ReviewFlag(bill=bill, code=c, message=m[:300]) for c, m in bill_flags)
        BillLine.objects.bulk_create(all_lines, batch_size=2000)
        ReviewFlag.objects.bulk_create(all_flags, batch_size=2000)
        created = len(bills)
        ReadingPlan.objects.filter(book=book, period=period).update(status=PlanStatus.BILLED)
        partition.status = "done"
        partition.bills_created = created
        partition.finished_at = timezone.now()
        partition.save()
    return created, len(billed), errors


def pf_text(pf: Decimal | list[Decimal] | None) -> str:
    if pf is None:
        return ""
    if isinstance(pf, list):
        return ",".join(f"{p:.2f}" for p in pf)
    return f"{pf:.2f}"


def run_billing(station: Station, period: str, books: Iterable[ReadingBook], user: Any) -> BillingRun:
    """Bill every released book of ``books`` for ``period``. Safe to run again: nothing is written twice."""
    require_perm(user, "billing.run_billing")
    check_station(user, station.pk)
    parse_period(period)
    books = list(books)
    for book in books:
        if book.station_id != station.pk:
            raise ServiceError("wrong_station", f"抄表段 {book.code} 不属于 {station.name}")
        plan = ReadingPlan.objects.filter(book=book, period=period).first()
        if plan is None or plan.status == PlanStatus.OPEN:
            raise ServiceError("book_not_released", f"抄表段 {book.code} {period} 尚未发送核算，不能计费")
    run = BillingRun.objects.create(station=station, period=period, started_by=user if getattr(user, "pk", None) else None)
    run.books.set(books)
    BillingPartition.objects.bulk_create([BillingPartition(run=run, book=b) for b in books])
    return resume_run(run, user)


def resume_run(run: BillingRun, user: Any) -> BillingRun:
    """Finish the partitions of ``run`` not yet done (after a crash, or the first time)."""
    for partition in run.partitions.filter(status="pending").select_related("book", "book__station"):
        try:
            created, existing, errors = _bill_partition(run, partition, user)
        except IntegrityError:
            # Another run billed the same accounts concurrently: nothing of this partition was written.
            created, existing, errors = 0, 0, [f"{partition.book.code}: 并发计费冲突，已跳过"]
        run.bills_created += created
        run.bills_existing += existing
        run.errors = [*run.errors, *errors]
    run.status = "done"
    run.finished_at = timezone.now()
    run.save()
    log_change(
        user=user, obj_type="billing.run", obj_id=run.pk, action="action", station_id=run.station_id,
        summary=f"电费计算 {run.period}: 新生成 {run.bills_created}，已存在 {run.bills_existing}，错误 {len(run.errors)}",
    )
    return run


def approve_bill(bill: Bill, user: Any, note: str) -> None:
    """A 核算员 confirms a flagged bill after checking it (the note is kept on each flag)."""
    require_perm(user, "billing.review_bill")
    check_station(user, bill.station_id)
    if bill.status != BillStatus.FLAGGED:
        raise ServiceError("not_flagged", "该电费不在审核异常状态")
    if not note.strip():
        raise ServiceError("note_required", "请填写审核意见")
    with transaction.atomic():
        now = timezone.now()
        bill.flags.filter(resolved_at__isnull=True).update(resolved_by=user, resolved_at=now, note=note.strip()[:200])
        bill.status = BillStatus.APPROVED
        bill.approved_by = user
        bill.save(update_fields=["status", "approved_by"])
        log_change(
            user=user, obj_type="billing.bill", obj_id=bill.pk, action="update", station_id=bill.station_id,
            summary=f"审核通过 {bill.account.number} {bill.period} ¥{bill.total}: {note.strip()[:60]}",
        )


def issue_bills(station: Station, period: str, books: Iterable[ReadingBook], user: Any) -> int:
    """Issue (发行) every approved bill of the books: receivables are posted, prepayments offset."""
    require_perm(user, "billing.issue_bill")
    check_station(user, station.pk)
    count = 0
    for book in books:
        with transaction.atomic():  # one book at a time: its bills, journals and balances together
            bills = list(
                Bill.objects.select_for_update(of=("self",))
                .filter(station=station, period=period, book=book, status=BillStatus.APPROVED)
                .select_related("account")
                .order_by("account__number")
            )
            count += ledger().post_bills_issue(bills, user)
    if count:
        log_change(
            user=user, obj_type="billing.issue", obj_id=f"{station.code}/{period}", action="action",
            station_id=station.pk, summary=f"电费发行 {period}: {count} 笔",
        )
    return count
