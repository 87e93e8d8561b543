"""Meter-reading operations: plans, entry (screen or file), validation, exceptions, release.

One path for every source: ``submit_readings`` checks all rows first and writes nothing when any
row is bad; accepted rows become readings, and the core validation (``powercis.core.reading``)
turns doubtful ones into exceptions that block the book's release until a person resolves them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from powercis.audit.services import log_change
from powercis.core import reading as core_reading
from powercis.core.periods import previous_period, reading_date, shift_period
from powercis.metering.models import REGISTERS, MeteringPoint
from powercis.org.scoping import check_station, require_perm
from powercis.reading.models import (
    PlanStatus,
    Reading,
    ReadingBook,
    ReadingException,
    ReadingPlan,
    ReadingSource,
    ReadingStatus,
)
from powercis.services import ServiceError
from powercis.tabular import ImportRejected, RowError, missing_columns, read_table

HISTORY_MONTHS = 12

# Header aliases for reading files from handheld devices (Chinese first, English accepted).
READING_ALIASES = {
    "户号": "account", "account": "account",
    "表号": "meter", "资产编号": "meter", "meter": "meter",
    "有功总": "total", "总示数": "total", "本次示数": "total", "total": "total",
    "峰": "peak", "峰示数": "peak", "peak": "peak",
    "谷": "valley", "谷示数": "valley", "valley": "valley",
    "尖峰": "sharp", "尖": "sharp", "sharp": "sharp",
    "无功": "reactive", "无功示数": "reactive", "reactive": "reactive",
    "最大需量": "demand", "demand": "demand",
    "估抄": "estimated", "estimated": "estimated",
    "抄表时间": "read_at", "抄表日期": "read_at", "read_at": "read_at",
}
READING_LABELS = {"account": "户号", "meter": "资产编号", **REGISTERS}
TRUE_WORDS = {"1", "是", "y", "yes", "true", "估抄"}


@dataclass
class ReadingRow:
    """One metering point's readings for the period, as typed or imported."""

    row: int
    point: MeteringPoint
    values: dict[str, Decimal]
    estimated: bool = False
    read_at: dt.datetime | None = None


@dataclass
class SubmitResult:
    created: int = 0
    unchanged: int = 0
    exceptions: int = 0
    errors: list[RowError] = field(default_factory=list)


def ensure_plan(book: ReadingBook, period: str) -> ReadingPlan:
    """The plan of ``book`` for ``period`` (created on first use, on the book's fixed reading day)."""
    plan, _ = ReadingPlan.objects.get_or_create(
        book=book,
        period=period,
        defaults={"station": book.station, "reading_date": reading_date(period, book.reading_day)},
    )
    return plan


def previous_value(point: MeteringPoint, register: str, period: str) -> Decimal | None:
    r = (
        Reading.objects.filter(point=point, register=register, superseded=False, period__lt=period)
        .order_by("-period")
        .values_list("value", flat=True)
        .first()
    )
    return r


def history_kwh(point: MeteringPoint, period: str) -> tuple[Decimal, ...]:
    """The total-register kWh of up to 12 earlier periods, oldest first (for sudden-change checks)."""
    start = shift_period(period, -HISTORY_MONTHS)
    values = (
        Reading.objects.filter(
            point=point, register="total", superseded=False, period__gte=start, period__lt=period,
            kwh__isnull=False,
        )
        .exclude(source=ReadingSource.INITIAL)
        .order_by("period")
        .values_list("kwh", flat=True)
    )
    return tuple(values)


def _parse_value(text: str) -> Decimal:
    value = Decimal(text.replace(",", ""))
    if not value.is_finite():
        raise InvalidOperation
    return value


def parse_rows(plan: ReadingPlan, raw_rows: Sequence[dict[str, str]]) -> tuple[list[ReadingRow], list[RowError]]:
    """Check every raw row against the plan's book; return good rows and every error found."""
    errors = missing_columns(raw_rows, ["account", "total"], READING_LABELS)
    if errors:
        return [], errors
    points = {
        p.account.number: p
        for p in MeteringPoint.objects.filter(account__book=plan.book, active=True).select_related("account", "meter")
    }
    rows: list[ReadingRow] = []
    seen: set[str] = set()
    for raw in raw_rows:
        line = int(raw["_row"])
        number = raw.get("account", "").strip()
        point = points.get(number)
        if not number:
            errors.append(RowError(line, "户号", "missing_account", "户号为空"))
            continue
        if point is None:
            errors.append(RowError(line, "户号", "unknown_account", f"户号 {number} 不在抄表段 {plan.book.code} 中"))
            continue
        if number in seen:
            errors.append(RowError(line, "户号", "duplicate_row", f"户号 {number} 在文件中重复出现"))
            continue
        seen.add(number)
        meter = raw.get("meter", "").strip()
        if meter and meter != point.meter.asset_no:
            errors.append(
                RowError(line, "资产编号", "meter_mismatch", f"户号 {number} 的电能表是 {point.meter.asset_no}，不是 {meter}")
            )
            continue
        values: dict[str, Decimal] = {}
        bad = False
        for register in point.registers:
            text = raw.get(register, "").strip()
            label = REGISTERS.get(register, register)
            if not text:
                errors.append(RowError(line, label, "missing_value", f"户号 {number} 缺少{label}示数"))
                bad = True
                continue
            try:
                value = _parse_value(text)
            except (InvalidOperation, ValueError):
                errors.append(RowError(line, label, "not_a_number", f"户号 {number} 的{label}示数“{text}”不是数字"))
                bad = True
                continue
            if value < 0:
                errors.append(RowError(line, label, "negative_value", f"户号 {number} 的{label}示数不能为负数"))
                bad = True
                continue
            if value != value.quantize(Decimal("0.01")):
                errors.append(RowError(line, label, "too_many_decimals", f"户号 {number} 的{label}示数最多两位小数"))
                bad = True
                continue
            values[register] = value
        read_at = None
        if raw.get("read_at", "").strip():
            try:
                read_at = dt.datetime.fromisoformat(raw["read_at"].strip())
                if timezone.is_naive(read_at):
                    read_at = timezone.make_aware(read_at)
            except ValueError:
                errors.append(RowError(line, "抄表时间", "bad_date", f"抄表时间“{raw['read_at']}”格式应为 YYYY-MM-DD"))
                bad = True
        if not bad:
            rows.append(
                ReadingRow(line, point, values, raw.get("estimated", "").strip().lower() in TRUE_WORDS, read_at)
            )
    return rows, errors


def _check(
    point: MeteringPoint, register: str, period: str, previous: Decimal | None, value: Decimal, estimated: bool
) -> core_reading.Outcome:
    check = core_reading.ReadingCheck(
        previous=previous,
        current=value,
        digits=point.meter.digits,
        multiplier=point.multiplier,
        history_kwh=history_kwh(point, period) if register == "total" else (),
        estimated=estimated and register == "total",
    )
    outcome = core_reading.check_reading(check)
    if register != "total":
        # Sudden-change and zero checks are about consumption, judged on the total register only.
        findings = tuple(f for f in outcome.findings if f.code in {"BELOW_PREVIOUS", "ROLLOVER", "OVER_RANGE", "MISSING"})
        outcome = core_reading.Outcome(outcome.register_delta, outcome.kwh, outcome.rolled_over, findings)
    return outcome


def _write_reading(
    plan: ReadingPlan, row: ReadingRow, register: str, value: Decimal, user: Any, source: str, result: SubmitResult
) -> None:
    point = row.point
    current = Reading.objects.filter(point=point, period=plan.period, register=register, superseded=False).first()
    if current is not None and current.value == value and current.estimated == row.estimated:
        result.unchanged += 1
        return
    if current is not None:
        current.superseded = True
        current.save(update_fields=["superseded"])
        current.exceptions.filter(status="open").update(status="corrected", resolved_by=user, resolved_at=timezone.now())
    previous = previous_value(point, register, plan.period)
    outcome = _check(point, register, plan.period, previous, value, row.estimated)
    blocking = [f for f in outcome.findings if f.severity == "block"]
    reading = Reading.objects.create(
        plan=plan,
        point=point,
        station=plan.station,
        period=plan.period,
        register=register,
        value=value,
        previous=previous,
        register_delta=outcome.register_delta,
        kwh=outcome.kwh,
        rolled_over=outcome.rolled_over,
        estimated=row.estimated,
        source=source,
        read_at=row.read_at or timezone.make_aware(dt.datetime.combine(plan.reading_date, dt.time(10))),
        entered_by=user if getattr(user, "pk", None) else None,
        status=ReadingStatus.EXCEPTION if blocking else ReadingStatus.VALID,
    )
    result.created += 1
    for finding in outcome.findings:
        ReadingException.objects.create(
            reading=reading,
            plan=plan,
            station=plan.station,
            code=finding.code,
            severity=finding.severity,
            message=finding.message_zh[:300],
            status="open" if finding.severity == "block" else "accepted",
        )
        if finding.severity == "block":
            result.exceptions += 1


def submit_readings(plan: ReadingPlan, rows: Iterable[ReadingRow], user: Any, source: str) -> SubmitResult:
    """Write the rows' readings in one transaction (the caller has already rejected bad files)."""
    if plan.status != PlanStatus.OPEN:
        raise ServiceError("plan_closed", f"抄表段 {plan.book.code} {plan.period} 已发送核算，不能再录入示数")
    result = SubmitResult()
    with transaction.atomic():
        for row in rows:
            for register, value in row.values.items():
                _write_reading(plan, row, register, value, user, source, result)
    return result


def import_readings(plan: ReadingPlan, filename: str, data: bytes, user: Any) -> SubmitResult:
    """Import a handheld/AMI reading file: every row checked; any bad row → nothing imported."""
    require_perm(user, "reading.import_readings")
    check_station(user, plan.station_id)
    raw_rows = read_table(filename, data, READING_ALIASES)
    rows, errors = parse_rows(plan, raw_rows)
    if errors:
        raise ImportRejected(errors)
    result = submit_readings(plan, rows, user, ReadingSource.IMPORT)
    log_change(
        user=user, obj_type="reading.plan", obj_id=plan.pk, action="action", station_id=plan.station_id,
        summary=f"导入抄表文件 {filename}: 新增 {result.created}，未变 {result.unchanged}，异常 {result.exceptions}",
    )
    return result


def enter_readings(plan: ReadingPlan, raw_rows: Sequence[dict[str, str]], user: Any) -> SubmitResult:
    """Screen entry: the same checks as a file import."""
    require_perm(user, "reading.add_reading")
    check_station(user, plan.station_id)
    rows, errors = parse_rows(plan, raw_rows)
    if errors:
        raise ImportRejected(errors)
    return submit_readings(plan, rows, user, ReadingSource.SCREEN)


def resolve_exception(exc: ReadingException, user: Any, note: str) -> None:
    """A person confirms a doubtful reading as correct (a wrong one is corrected by re-entry)."""
    require_perm(user, "reading.resolve_exception")
    check_station(user, exc.station_id)
    if exc.status != "open":
        raise ServiceError("exception_closed", "该异常已处理")
    if not note.strip():
        raise ServiceError("note_required", "请填写处理意见")
    with transaction.atomic():
        exc.status = "accepted"
        exc.resolved_by = user
        exc.resolved_at = timezone.now()
        exc.note = note.strip()[:200]
        exc.save()
        reading = exc.reading
        if not reading.exceptions.filter(status="open").exists():
            reading.status = ReadingStatus.ACCEPTED
            reading.save(update_fields=["status"])
        log_change(
            user=user, obj_type="reading.exception", obj_id=exc.pk, action="update", station_id=exc.station_id,
            summary=f"确认抄表异常 {exc.code}: {note.strip()[:80]}",
        )


@dataclass
class PlanProgress:
    expected: int
    read: int
    estimated: int
    open_exceptions: int

    @property
    def missing(self) -> int:
        return self.expected - self.read

    @property
    def actual_read_rate(self) -> Decimal:
        if not self.expected:
            return Decimal("0")
        return (Decimal(self.read - self.estimated) * 100 / self.expected).quantize(Decimal("0.01"))


def plan_progress(plan: ReadingPlan) -> PlanProgress:
    expected = MeteringPoint.objects.filter(account__book=plan.book, active=True, account__status="active").count()
    readings = Reading.objects.filter(plan=plan, register="total", superseded=False)
    return PlanProgress(
        expected=expected,
        read=readings.count(),
        estimated=readings.filter(estimated=True).count(),
        open_exceptions=ReadingException.objects.filter(plan=plan, status="open").count(),
    )


def release_plan(plan: ReadingPlan, user: Any) -> None:
    """Send the book to billing: only when every point is read and no exception is open."""
    require_perm(user, "reading.release_book")
    check_station(user, plan.station_id)
    with transaction.atomic():
        plan = ReadingPlan.objects.select_for_update().get(pk=plan.pk)
        if plan.status != PlanStatus.OPEN:
            return
        progress = plan_progress(plan)
        if progress.missing > 0:
            raise ServiceError("readings_missing", f"还有 {progress.missing} 户未抄，不能发送核算")
        if progress.open_exceptions:
            raise ServiceError("exceptions_open", f"还有 {progress.open_exceptions} 条抄表异常未处理，不能发送核算")
        plan.status = PlanStatus.RELEASED
        plan.released_by = user if getattr(user, "pk", None) else None
        plan.released_at = timezone.now()
        plan.save()
        log_change(
            user=user, obj_type="reading.plan", obj_id=plan.pk, action="action", station_id=plan.station_id,
            summary=f"抄表段 {plan.book.code} {plan.period} 发送核算",
        )


def unread_points(plan: ReadingPlan) -> list[MeteringPoint]:
    read = Reading.objects.filter(plan=plan, register="total", superseded=False).values_list("point_id", flat=True)
    return list(
        MeteringPoint.objects.filter(account__book=plan.book, active=True, account__status="active")
        .exclude(pk__in=read)
        .select_related("account", "meter")
    )


def period_consumption(point: MeteringPoint, period: str) -> dict[str, Decimal]:
    """kWh (× multiplier) per register for ``period`` from the current readings."""
    return {
        r.register: r.kwh or Decimal("0")
        for r in Reading.objects.filter(point=point, period=period, superseded=False).filter(~Q(source=ReadingSource.INITIAL))
    }


__all__ = [
    "ensure_plan", "enter_readings", "import_readings", "plan_progress", "previous_period", "release_plan",
    "resolve_exception", "submit_readings", "unread_points",
]
