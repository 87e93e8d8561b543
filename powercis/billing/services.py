"""Billing operations: the billing run, review rules, approval and issuance.

The run is per (station, period, books), one partition per book, each written in one transaction
keyed by (account, period, kind, seq): re-running a period writes nothing twice, and a run that
crashed resumes with the books it had not finished. Rating itself is the pure
``powercis.core.rating.rate_bill``; this module only gathers its input from the dated archive
(``customers.terms`` — never the ``Account`` copy columns), the metering points and readings of the
period and the tariff catalogue, and stores the lines with the input snapshot so that every amount
traces back.

A billing period is (previous reading date, reading date]. It is cut into segments wherever the
account's terms change (capacity, class, PF standard, metering, status…), a tariff version takes
effect, the account is connected or closed (``supplied_spans``, ``plan_segments``); adjacent segments
that give the rater the same input are merged again (``merge_segments``). Energy is split between
segments by days; monthly amounts are prorated as ``rating_input`` explains.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
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
from powercis.core.tariff_rules import part_month_rules
from powercis.customers.models import Account, AccountStatus, AccountTerms, BasicChargeMode, MeteringMode
from powercis.customers.terms import TermsSpan, terms_over
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
class Segment:
    """A part of a billing period with one terms row and one tariff version, days ``start``…``end`` inclusive."""

    terms: AccountTerms
    version: TariffVersion
    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class AccountPeriod:
    """Everything rating needs for one account-period, gathered in bulk per book.

    ``period_start`` is the previous reading date (not in the period), ``period_end`` the reading date
    (in it). ``segments`` cover the days the account was supplied; ``energy`` has one dict of kWh per
    register for each segment. ``full_supply``: every day of the period supplied and not suspended.
    """

    account: Account
    period_start: dt.date
    period_end: dt.date
    segments: list[Segment]
    energy: list[dict[str, Decimal]]
    demand: Decimal | None
    readings: list[dict[str, str]]
    estimated: bool
    used_before: Decimal
    full_supply: bool

    @property
    def period_days(self) -> int:
        return (self.period_end - self.period_start).days


# ---------------------------------------------------------------------------------------------------
# the period's segments from the dated archive
# ---------------------------------------------------------------------------------------------------


def supplied_spans(spans: Sequence[TermsSpan], first_day: dt.date, last_day: dt.date) -> list[TermsSpan]:
    """The days of ``first_day``…``last_day`` on which the account was supplied, with their terms.

    ``spans`` come from ``terms_over(ids, first_day − 1, last_day)`` (the day before the period too,
    so that a closure on the first day still finds the terms it closes). Supplied = a terms row that
    is not 销户. The connection day (``connected_on``, the first terms row's ``valid_from``) is supplied.
    The closure day is supplied too, under the terms before it: a 销户 row valid from D means the final
    reading and disconnection on D, and rules/tariffs.md counts "each started day a full day" for part
    months (termination included); from D + 1 nothing is supplied. Days before the first terms row
    (before connection) are in no span.
    """
    out: list[TermsSpan] = []
    for i, span in enumerate(spans):
        if span.terms.status == AccountStatus.CLOSED:
            continue
        end = span.end
        following = spans[i + 1] if i + 1 < len(spans) else None
        if following is not None and following.terms.status == AccountStatus.CLOSED:
            end = following.start  # the closure day itself
        start = max(span.start, first_day)
        end = min(end, last_day)
        if start <= end:
            out.append(TermsSpan(span.terms, start, end))
    return out


def _version_ranges(versions: Sequence[TariffVersion], first_day: dt.date, last_day: dt.date) -> list[tuple[TariffVersion, dt.date, dt.date]]:
    """The versions in force over first_day…last_day (inclusive), each with its days (a price change splits).

    A version takes effect on its ``effective_from`` day. Days before a tariff's first version (a tariff
    created inside the period) take the first version.
    """
    current = [v for v in versions if v.effective_from <= first_day]
    seg_version = current[-1] if current else versions[0]
    seg_start = first_day
    parts: list[tuple[TariffVersion, dt.date, dt.date]] = []
    for v in versions:
        if first_day < v.effective_from <= last_day:
            parts.append((seg_version, seg_start, v.effective_from - dt.timedelta(days=1)))
            seg_start, seg_version = v.effective_from, v
    parts.append((seg_version, seg_start, last_day))
    return parts


def plan_segments(
    account: Account, supplied: Sequence[TermsSpan], versions: Mapping[int, Sequence[TariffVersion]]
) -> list[Segment]:
    """Cut the supplied spans at every tariff-version change: the rater's segments (before merging)."""
    out = []
    for span in supplied:
        in_force = [v for v in versions.get(span.terms.tariff_id, ()) if v.effective_from <= span.end]
        if not in_force:
            raise ServiceError("no_tariff", f"户号 {account.number} 的电价 {span.terms.tariff.code} 在 {span.end} 无有效版本")
        for version, start, end in _version_ranges(in_force, span.start, span.end):
            out.append(Segment(span.terms, version, start, end))
    return out


def _split(value: Decimal, weights: Sequence[int]) -> list[Decimal]:
    """Split ``value`` by day weights to 0.01, the remainder in the last weighted part (sum stays exact)."""
    total = sum(weights)
    if total <= 0:
        raise ValueError("no weight to split by")
    last = max(i for i, w in enumerate(weights) if w > 0)
    parts = [(value * w / total).quantize(Decimal("0.01")) if i != last else Decimal(0) for i, w in enumerate(weights)]
    parts[last] = value - sum(parts, Decimal(0))
    return parts


def _overlap(a_start: dt.date, a_end: dt.date, b_start: dt.date, b_end: dt.date) -> int:
    return max(0, (min(a_end, b_end) - max(a_start, b_start)).days + 1)


# ---------------------------------------------------------------------------------------------------
# the rater input
# ---------------------------------------------------------------------------------------------------


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


def _flat_price(version: TariffVersion) -> str:
    """The single price of a tariff a 定比/定量 split refers to: its flat price, else its first tier."""
    spec = version.prices
    if spec.get("flat") is not None:
        return str(spec["flat"])
    tiers = spec.get("tiers") or {}
    if tiers.get("prices"):
        return str(tiers["prices"][0])
    if tiers.get("base") is not None:
        return str(tiers["base"])
    raise ServiceError("split_price", f"电价 {version.ref} 没有可用于定比/定量的单一电价")


def _version_on(versions: Sequence[TariffVersion], day: dt.date, code: str) -> TariffVersion:
    in_force = [v for v in versions if v.effective_from <= day]
    if not in_force:
        raise ServiceError("no_tariff", f"定比/定量电价 {code} 在 {day} 无有效版本")
    return in_force[-1]


def _splits(entries: Sequence[Mapping[str, Any]], day: dt.date, by_code: Mapping[str, Sequence[TariffVersion]]) -> list[dict[str, Any]]:
    """定比/定量 entries with a price: a ``tariff`` reference takes that tariff's price in force on ``day``."""
    out = []
    for entry in entries:
        item = {k: v for k, v in entry.items() if k != "tariff"}
        if entry.get("price") in (None, ""):
            code = str(entry.get("tariff", ""))
            version = _version_on(by_code.get(code, ()), day, code)
            item["price"] = _flat_price(version)
            item["tariff_version"] = version.ref
        out.append(item)
    return out


def _template(seg: Segment, demand: Decimal | None, by_code: Mapping[str, Sequence[TariffVersion]]) -> dict[str, Any]:
    """What a segment gives the rater besides its days, energy and tier counter (equal → merged).

    - basic charge only while the account is 在用 (暂停: none), capacity mode from the transformers
      (sealed and suspended ones not charged, interlocked groups at their largest) or the contract kVA;
    - transformer loss (the contract's monthly fixed loss) for 高供低计 while in use;
    - 定量 (monthly kWh, prorated later) while in use, 定比 always.
    """
    terms, version = seg.terms, seg.version
    charged = terms.status == AccountStatus.ACTIVE
    out: dict[str, Any] = {"version": version.pk, "pf_standard": terms.pf_standard or None}
    if charged and terms.basic_charge_mode == BasicChargeMode.CAPACITY and version.basic_price_capacity is not None:
        price = plain(version.basic_price_capacity)
        if terms.transformers:
            out["basic"] = {
                "transformers": [
                    {"id": t["id"], "kva": str(t["kva"]), "sealed": bool(t.get("sealed") or t.get("suspended"))}
                    for t in terms.transformers
                ],
                "interlocked": [list(g) for g in terms.interlocked or []],
                "price": price,
            }
        else:
            out["basic"] = {"capacity_kva": plain(Decimal(terms.capacity_kva)), "price": price}
    elif charged and terms.basic_charge_mode == BasicChargeMode.DEMAND and version.basic_price_demand is not None:
        out["basic"] = {
            "demand_kw": plain(Decimal(terms.contract_demand_kw or 0)),
            "price": plain(version.basic_price_demand),
            "capacity_kva": plain(Decimal(terms.capacity_kva)),
        }
        if demand is not None:
            out["basic"]["actual_demand_kw"] = str(demand)
    if charged and terms.metering_mode == MeteringMode.HV_LV and terms.transformer_loss:
        out["transformer_loss"] = dict(terms.transformer_loss)
    if charged and terms.fixed_quantities:
        out["fixed_quantities"] = _splits(terms.fixed_quantities, seg.end, by_code)
    if terms.fixed_ratios:
        out["fixed_ratios"] = _splits(terms.fixed_ratios, seg.end, by_code)
    return out


def merge_segments(segments: Sequence[Segment], templates: Sequence[dict[str, Any]]) -> list[tuple[Segment, dict[str, Any]]]:
    """Adjacent segments whose rater input is the same (e.g. a change of voltage only) become one."""
    out: list[tuple[Segment, dict[str, Any]]] = []
    for seg, tpl in zip(segments, templates, strict=True):
        if out and out[-1][1] == tpl and out[-1][0].end + dt.timedelta(days=1) == seg.start:
            first = out[-1][0]
            out[-1] = (Segment(seg.terms, seg.version, first.start, seg.end), tpl)
        else:
            out.append((seg, tpl))
    return out


def _prorated_kwh(kwh: Any, days: int, month_days: int) -> str:
    value = Decimal(str(kwh))
    if days != month_days:
        value = (value * days / month_days).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return plain(value)


def rating_input(ap: AccountPeriod, period: str, templates: Sequence[dict[str, Any]]) -> tuple[dict[str, Any], TariffVersion]:
    """The rater input of one account-period: one segment per (terms, tariff version) part of it.

    Proration (days ÷ month_days of the basic charge, the monthly transformer loss and 定量 kWh):
    - supplied and in use every day of the period: month_days = the period's days (previous reading
      date, reading date], days = each segment's days, so the segments add up to exactly one month
      whatever the month's length;
    - otherwise (connection, closure or 暂停 inside the period — the part months of rules/tariffs.md):
      days = the days actually supplied in each segment, month_days = 30 ("each started day a full
      day, at 1/30 of the monthly charge per day"), so a connection on day 20 of a 30-day period
      pays 11/30.
    Energy is split between segments by days (``_split``); the tier counter runs on through them.
    """
    account = ap.account
    month_days = ap.period_days if ap.full_supply else part_month_rules(ap.period_end).days_per_month
    segments = []
    used = ap.used_before
    for seg, energy, tpl in zip(ap.segments, ap.energy, templates, strict=True):
        item: dict[str, Any] = {
            "days": seg.days,
            "month_days": month_days,
            "energy": {k: str(v) for k, v in energy.items()},
            "price": _price_spec(seg.version, account, period, used),
            "pf_standard": tpl["pf_standard"],
        }
        for key in ("basic", "transformer_loss", "fixed_ratios"):
            if key in tpl:
                item[key] = tpl[key]
        if "fixed_quantities" in tpl:
            item["fixed_quantities"] = [
                {**fq, "kwh": _prorated_kwh(fq["kwh"], seg.days, month_days)} for fq in tpl["fixed_quantities"]
            ]
        used += energy.get("total", Decimal(0))
        segments.append(item)
    last_version = ap.segments[-1].version
    inp: dict[str, Any] = {"funds": last_version.funds, "tariff_version": last_version.ref}
    if len(segments) == 1:
        inp.update(segments[0])
    else:
        inp["segments"] = segments
    return inp, last_version


# ---------------------------------------------------------------------------------------------------
# gathering a book
# ---------------------------------------------------------------------------------------------------


def _versions(tariff_ids: set[int], codes: set[str], last_day: dt.date) -> tuple[dict[int, list[TariffVersion]], dict[str, list[TariffVersion]]]:
    """The tariff versions in force up to ``last_day`` of the tariffs used, by tariff id and by code (one query)."""
    by_id: dict[int, list[TariffVersion]] = defaultdict(list)
    by_code: dict[str, list[TariffVersion]] = defaultdict(list)
    rows = (
        TariffVersion.objects.filter(Q(tariff_id__in=tariff_ids) | Q(tariff__code__in=codes), effective_from__lte=last_day)
        .select_related("tariff")
        .order_by("effective_from")
    )
    for v in rows:
        by_id[v.tariff_id].append(v)
        by_code[v.tariff.code].append(v)
    return by_id, by_code


def _gather(
    book: ReadingBook, period: str, accounts: Sequence[Account], supplied: Mapping[int, list[TermsSpan]],
    previous_day: dt.date, last_day: dt.date, errors: list[str],
) -> list[tuple[AccountPeriod, list[dict[str, Any]]]]:
    """Readings, terms, versions and tier-year use for the accounts of one book, in a few queries.

    Metering points are gathered by their dates (``MeteringPoint.objects.in_period``), not by today's
    ``active`` flag; each point's energy goes to the segments its days overlap, split by days.
    """
    ids = [a.pk for a in accounts]
    first_day = previous_day + dt.timedelta(days=1)
    points = defaultdict(list)
    for p in MeteringPoint.objects.filter(account_id__in=ids).in_period(first_day, last_day).select_related("meter").order_by("installed_on", "pk"):
        points[p.account_id].append(p)
    readings = defaultdict(list)
    for r in (
        Reading.objects.filter(point__account_id__in=ids, period=period, superseded=False)
        .exclude(source=ReadingSource.INITIAL)
        .order_by("pk")
    ):
        readings[r.point_id].append(r)
    year, _ = parse_period(period)
    used = dict(
        Bill.objects.standing()
        .filter(account_id__in=ids, period__gte=f"{year:04d}-01", period__lt=period)
        .values("account_id")
        .annotate(s=Sum("energy_kwh"))
        .values_list("account_id", "s")
    )
    tariff_ids = {s.terms.tariff_id for spans in supplied.values() for s in spans}
    codes = {
        str(e["tariff"])
        for spans in supplied.values() for s in spans
        for e in [*(s.terms.fixed_quantities or []), *(s.terms.fixed_ratios or [])] if e.get("tariff")
    }
    versions, by_code = _versions(tariff_ids, codes, last_day)
    out = []
    for account in accounts:
        spans = supplied[account.pk]
        snapshot = []
        estimated = False
        demand: Decimal | None = None
        per_point: list[tuple[MeteringPoint, dict[str, Decimal]]] = []
        for point in points.get(account.pk, []):
            energy: dict[str, Decimal] = defaultdict(Decimal)
            for r in readings.get(point.pk, []):
                if r.register == "demand":
                    value = r.value * point.multiplier
                    demand = value if demand is None else max(demand, value)
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
            per_point.append((point, energy))
        if not snapshot:
            continue
        try:
            raw = plan_segments(account, spans, versions)
            merged = merge_segments(raw, [_template(s, demand, by_code) for s in raw])
        except ServiceError as exc:
            errors.append(f"{account.number}: {exc.message}")
            continue
        segments = [s for s, _ in merged]
        registers = sorted({k for _, e in per_point for k in e})
        seg_energy: list[dict[str, Decimal]] = [{k: Decimal(0) for k in registers} for _ in segments]
        for point, energy in per_point:
            window_end = min(point.removed_on or last_day, last_day)
            window_start = max(point.installed_on, first_day)
            weights = [_overlap(s.start, s.end, window_start, window_end) for s in segments]
            if sum(weights) == 0:  # read outside its dates: the energy is real, spread it by days
                weights = [s.days for s in segments]
            for register, kwh in energy.items():
                for i, part in enumerate(_split(kwh, weights)):
                    seg_energy[i][register] += part
        full = sum(s.days for s in segments) == (last_day - previous_day).days and all(
            s.terms.status == AccountStatus.ACTIVE for s in segments
        )
        ap = AccountPeriod(
            account, previous_day, last_day, segments, seg_energy, demand, snapshot, estimated,
            db_sum(used.get(account.pk)), full,
        )
        out.append((ap, [tpl for _, tpl in merged]))
    return out


def _review(
    bill: Bill, terms: AccountTerms, previous_total: Decimal | None, estimated: bool, t: ReviewSettings
) -> list[tuple[str, str]]:
    """The review rules (电费审核规则): each returns (code, Chinese reason) when the bill needs a person.

    ``terms`` are the account's terms at the end of the period; ``previous_total`` the amount of the
    previous month's rated bill that stands (``Bill.objects.standing()``, regular or rebill — the bill
    ``previous_bill`` and the bill diff compare with).
    """
    flags = []
    if bill.total < 0:
        flags.append(("NEGATIVE", f"电费金额为负 {bill.total}"))
    if bill.total == 0 and terms.status == AccountStatus.ACTIVE:
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
    if t.review_large_customers and terms.category == "large_industrial":
        flags.append(("LARGE_CUSTOMER", "大工业用户电费逐户审核"))
    if t.review_estimated and estimated:
        flags.append(("ESTIMATED", "估抄电量，需核实"))
    return flags


def _bill_partition(
    run: BillingRun, partition: BillingPartition, user: Any, on: dt.date
) -> tuple[int, int, list[str]]:
    """Bill one book: every account of the book supplied on some day of the period by its dated terms
    (whatever its status today), except those already billed for the period."""
    book = partition.book
    period = run.period
    last_day = reading_date(period, book.reading_day)
    previous_day = reading_date(previous_period(period), book.reading_day)
    first_day = previous_day + dt.timedelta(days=1)
    book_ids = list(Account.objects.filter(book=book).values_list("pk", flat=True))
    billed = set(
        Bill.objects.filter(account__book=book, period=period, kind="regular", seq=1).values_list("account_id", flat=True)
    )
    spans = terms_over([i for i in book_ids if i not in billed], previous_day, last_day)
    supplied = {aid: s for aid, s in ((aid, supplied_spans(sp, first_day, last_day)) for aid, sp in spans.items()) if s}
    todo = list(Account.objects.filter(pk__in=list(supplied)).order_by("number"))
    # the previous month's rated bill that stands, as ``previous_bill`` (bill diff) defines it, for a whole book
    previous = {
        aid: db_sum(s)
        for aid, s in Bill.objects.standing()
        .filter(account_id__in=[a.pk for a in todo], period=previous_period(period), kind__in=("regular", "rebill"))
        .values("account_id")
        .annotate(s=Sum("total"))
        .values_list("account_id", "s")
    }
    errors: list[str] = []
    created = 0
    thresholds = review_settings(book.station_id)
    due = due_date_after(on)  # provisional: issuance sets the deadline from its own date
    with transaction.atomic():
        bills: list[Bill] = []
        lines: list[list[BillLine]] = []
        flags: list[list[tuple[str, str]]] = []
        for ap, templates in _gather(book, period, todo, supplied, previous_day, last_day, errors):
            try:
                inp, version = rating_input(ap, period, templates)
                result = rate_bill(inp, ap.period_end)
            except (CalcError, ServiceError) as exc:
                errors.append(f"{ap.account.number}: {exc}")
                continue
            bill = Bill(
                station=book.station, account=ap.account, book=book, run=run, period=period,
                energy_kwh=result.energy_kwh, total=result.total,
                pf=pf_text(result.pf), tariff_version=version,
                rating_input={
                    "input": inp, "readings": ap.readings,
                    "segments": [
                        {"from": s.start.isoformat(), "to": s.end.isoformat(), "days": s.days, "terms": s.terms.pk,
                         "terms_valid_from": s.terms.valid_from.isoformat(), "tariff_version": s.version.ref}
                        for s in ap.segments
                    ],
                },
                period_start=ap.period_start, period_end=ap.period_end, due_date=due,
            )
            review = _review(bill, ap.segments[-1].terms, previous.get(ap.account.pk), ap.estimated, thresholds)
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


def run_billing(
    station: Station, period: str, books: Iterable[ReadingBook], user: Any, *, on: dt.date
) -> BillingRun:
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
    return resume_run(run, user, on=on)


def resume_run(run: BillingRun, user: Any, *, on: dt.date) -> BillingRun:
    """Finish the partitions of ``run`` not yet done (after a crash, or the first time)."""
    for partition in run.partitions.filter(status="pending").select_related("book", "book__station"):
        try:
            created, existing, errors = _bill_partition(run, partition, user, on)
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


def issue_bills(
    station: Station, period: str, books: Iterable[ReadingBook], user: Any, *, on: dt.date
) -> int:
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
            count += ledger().post_bills_issue(bills, user, on=on)
    if count:
        log_change(
            user=user, obj_type="billing.issue", obj_id=f"{station.code}/{period}", action="action",
            station_id=station.pk, summary=f"电费发行 {period}: {count} 笔",
        )
    return count


def resolve_books(user: Any, book_ids: Iterable[int], station_id: int | None = None) -> tuple[Station, list[ReadingBook]]:
    """The books a run or an issuance acts on, as the UI and the API both ask for them.

    Every id must be a book of the user's scope (otherwise 404, as if it did not exist); all must be
    of one station (a run is per station); ``station_id``, when given, must be that station.
    """
    from django.http import Http404

    from powercis.org.scoping import scope

    ids = list(dict.fromkeys(book_ids))
    if not ids:
        raise ServiceError("no_books", "请选择抄表段")
    books = list(scope(ReadingBook.objects.select_related("station"), user).filter(pk__in=ids))
    if len(books) != len(ids):
        raise Http404
    stations = {b.station_id for b in books}
    if len(stations) != 1:
        raise ServiceError("mixed_stations", "所选抄表段属于不同供电所，请分别计算")
    station = books[0].station
    if station_id is not None and station_id != station.pk:
        raise ServiceError("wrong_station", f"抄表段不属于所选供电所（{station.name}）")
    return station, sorted(books, key=lambda b: b.code)


def previous_bill(bill: Bill) -> Bill | None:
    """The account's rated bill of the month before that stands (``standing()``, not an adjustment)."""
    return (
        Bill.objects.standing()
        .filter(account=bill.account_id, kind__in=("regular", "rebill"), period=previous_period(bill.period))
        .order_by("-seq", "-id")
        .first()
    )


def bill_diff(bill: Bill, lines: Sequence[Any]) -> dict[str, Any] | None:
    """Per item (BillLine.item): last month's and this month's quantity and amount, and the change.

    The previous bill is ``previous_bill``: one definition wherever a bill is compared with the month before.
    """
    if bill.kind not in {"regular", "rebill"}:
        return None
    prev = previous_bill(bill)
    if prev is None:
        return None
    zero = Decimal(0)
    rows: dict[str, dict[str, Any]] = {}
    for which, source in (("now", list(lines)), ("prev", list(prev.lines.order_by("seq")))):
        for ln in source:
            row = rows.setdefault(
                ln.item,
                {"item": ln.item, "label": ln.label, "unit": ln.unit,
                 "prev_qty": None, "prev_amount": None, "now_qty": None, "now_amount": None},
            )
            row[f"{which}_qty"] = (row[f"{which}_qty"] or zero) + ln.quantity
            row[f"{which}_amount"] = (row[f"{which}_amount"] or zero) + ln.amount
    for row in rows.values():
        row["change_qty"] = (row["now_qty"] or zero) - (row["prev_qty"] or zero)
        row["change_amount"] = (row["now_amount"] or zero) - (row["prev_amount"] or zero)
    return {
        "previous": prev,
        "rows": list(rows.values()),
        "prev_total": prev.total,
        "now_total": bill.total,
        "change_total": bill.total - prev.total,
        "prev_kwh": prev.energy_kwh,
        "now_kwh": bill.energy_kwh,
        "change_kwh": bill.energy_kwh - prev.energy_kwh,
    }


def consumption_by_period(account: Account, periods: Sequence[str]) -> dict[str, Decimal]:
    """kWh of the bills that stand, per period (0 where none): the account page's consumption chart.

    The same definition as the tier-year counter: ``Bill.objects.standing()``.
    """
    rows = (
        Bill.objects.standing()
        .filter(account=account, period__in=list(periods))
        .values("period")
        .annotate(s=Sum("energy_kwh"))
        .values_list("period", "s")
    )
    found = {period: db_sum(s) for period, s in rows}
    return {p: found.get(p, Decimal(0)) for p in periods}
