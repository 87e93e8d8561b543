"""Corrections (退补): requested with cause, evidence and computation; posted only when approved.

Nothing is edited in place. A meter-error refund/supplement posts an ``adjust`` bill; a recalculation
posts a reversal bill (the original's lines negated) and a new bill from the corrected input. The
station head approves, and never the person who asked (four-eyes, SPEC §0).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from powercis.audit.services import log_change
from powercis.billing.ledger import ledger
from powercis.billing.models import Adjustment, AdjustmentStatus, Bill, BillLine, BillStatus, due_date_after
from powercis.billing.services import pf_text
from powercis.core import calc
from powercis.core.errors import CalcError
from powercis.core.money import fmt_amount, fmt_number, plain, round_money, to_decimal
from powercis.core.rating import rate_bill
from powercis.customers.models import Account
from powercis.org.scoping import check_station, require_perm
from powercis.services import ServiceError


def _calc_error(exc: CalcError) -> ServiceError:
    return ServiceError(exc.code, f"计算失败：{exc.message}")


def request_meter_error_adjustment(
    account: Account, user: Any, *, cause: str, evidence: str, calc_input: dict[str, Any], price: Any,
    on: dt.date | None = None, bill: Bill | None = None,
) -> Adjustment:
    """A 计量差错退补 computed by the meter_error calculation (kWh) × price."""
    require_perm(user, "billing.request_adjustment")
    check_station(user, account.station_id)
    _require_text(cause, evidence)
    try:
        result = calc.run("meter_error", calc_input, on)
        unit_price = to_decimal(price, "price")
    except CalcError as exc:
        raise _calc_error(exc) from None
    kwh = to_decimal(result["kwh"], "kwh")
    amount = round_money(kwh * unit_price)
    if amount == 0:
        raise ServiceError("zero_adjustment", "退补金额为零，无需退补")
    with transaction.atomic():
        adj = Adjustment.objects.create(
            station_id=account.station_id, account=account, bill=bill, kind="meter_error", cause=cause.strip(),
            evidence=evidence.strip(), calc_kind="meter_error", calc_input=calc_input, calc_result=result,
            kwh=kwh, price=unit_price, amount=amount, requested_by=user,
        )
        _log(adj, user, "create", f"申请退补 #{adj.pk} {account.number} {amount} 元：{cause.strip()[:60]}")
    return adj


def request_recalculation(
    bill: Bill, user: Any, *, cause: str, evidence: str, corrected_input: dict[str, Any]
) -> Adjustment:
    """A 重新计费 of an issued bill with corrected rating input (e.g. the right multiplier)."""
    require_perm(user, "billing.request_adjustment")
    check_station(user, bill.station_id)
    _require_text(cause, evidence)
    if bill.status != BillStatus.ISSUED or bill.kind not in {"regular", "rebill"}:
        raise ServiceError("not_reissuable", "只能对已发行的电费重新计费")
    if bill.adjustments.filter(status=AdjustmentStatus.PENDING).exists():
        raise ServiceError("adjustment_pending", "该电费已有待审批的退补")
    try:
        result = rate_bill(corrected_input, bill.period_end)
    except CalcError as exc:
        raise _calc_error(exc) from None
    amount = result.total - bill.total
    with transaction.atomic():
        adj = Adjustment.objects.create(
            station_id=bill.station_id, account=bill.account, bill=bill, kind="recalc", cause=cause.strip(),
            evidence=evidence.strip(), calc_kind="bill", calc_input=corrected_input, calc_result=result.to_result(),
            kwh=result.energy_kwh - bill.energy_kwh, amount=amount, requested_by=user,
        )
        _log(adj, user, "create", f"申请重新计费 #{adj.pk} {bill.account.number} {bill.period} 差额 {amount} 元")
    return adj


def approve_adjustment(adj: Adjustment, user: Any, note: str, *, on: dt.date) -> list[Bill]:
    """The station head approves: the correction is posted (reversal + new entries) on business date ``on``."""
    require_perm(user, "billing.approve_adjustment")
    check_station(user, adj.station_id)
    if adj.requested_by_id == user.pk:
        raise ServiceError("four_eyes", "申请人不能审批自己的退补申请", status=403)
    with transaction.atomic():
        adj = Adjustment.objects.select_for_update().get(pk=adj.pk)
        if adj.status != AdjustmentStatus.PENDING:
            raise ServiceError("adjustment_decided", "该退补已审批或驳回")
        bills = _post_meter_error(adj, user, on) if adj.kind == "meter_error" else _post_recalc(adj, user, on)
        adj.status = AdjustmentStatus.APPROVED
        adj.decided_by = user
        adj.decided_at = timezone.now()
        adj.decision_note = note.strip()[:200]
        adj.save()
        adj.posted_bills.set(bills)
        ledger().allocate_prepaid(adj.account, user)
        _log(adj, user, "update", f"审批通过退补 #{adj.pk}：{note.strip()[:60]}")
    return bills


def reject_adjustment(adj: Adjustment, user: Any, note: str) -> None:
    require_perm(user, "billing.approve_adjustment")
    check_station(user, adj.station_id)
    if adj.requested_by_id == user.pk:
        raise ServiceError("four_eyes", "申请人不能审批自己的退补申请", status=403)
    if not note.strip():
        raise ServiceError("note_required", "驳回须填写意见")
    with transaction.atomic():
        adj = Adjustment.objects.select_for_update().get(pk=adj.pk)
        if adj.status != AdjustmentStatus.PENDING:
            raise ServiceError("adjustment_decided", "该退补已审批或驳回")
        adj.status = AdjustmentStatus.REJECTED
        adj.decided_by = user
        adj.decided_at = timezone.now()
        adj.decision_note = note.strip()[:200]
        adj.save()
        _log(adj, user, "update", f"驳回退补 #{adj.pk}：{note.strip()[:60]}")


def _require_text(cause: str, evidence: str) -> None:
    if not cause.strip():
        raise ServiceError("cause_required", "请填写退补原因")
    if not evidence.strip():
        raise ServiceError("evidence_required", "请填写证据说明")


def _log(adj: Adjustment, user: Any, action: str, summary: str) -> None:
    log_change(user=user, obj_type="billing.adjustment", obj_id=adj.pk, action=action, station_id=adj.station_id,
               summary=summary, data={"amount": str(adj.amount), "kind": adj.kind})


def _new_bill(adj: Adjustment, kind: str, period: str, on: dt.date, **fields: Any) -> Bill:
    seq = (Bill.objects.filter(account=adj.account, period=period, kind=kind).aggregate(m=Max("seq"))["m"] or 0) + 1
    defaults: dict[str, Any] = {"period_start": on, "period_end": on, "due_date": due_date_after(on)}
    defaults.update(fields)
    return Bill.objects.create(
        station_id=adj.station_id, account=adj.account, period=period, kind=kind, seq=seq,
        status=BillStatus.APPROVED, approved_by=adj.decided_by, **defaults,
    )


def _post_meter_error(adj: Adjustment, user: Any, on: dt.date) -> list[Bill]:
    period = adj.bill.period if adj.bill else f"{on:%Y-%m}"
    adj.decided_by = user
    bill = _new_bill(
        adj, "adjust", period, on, energy_kwh=adj.kwh or Decimal(0), total=adj.amount,
        rating_input={"adjustment": adj.pk, "calc_kind": adj.calc_kind, "input": adj.calc_input, "result": adj.calc_result},
    )
    word = "补收" if adj.amount > 0 else "退还"
    BillLine.objects.create(
        bill=bill, seq=1, item="adjust:meter_error", label=f"计量差错{word}电费", quantity=adj.kwh or Decimal(0),
        unit="kWh", price=adj.price, amount=adj.amount, rule="money.md §计量差错退补",
        formula=f"{word}电量 {fmt_number(adj.kwh or Decimal(0))} kWh × {plain(adj.price or Decimal(0))} = {fmt_amount(adj.amount)}"
        f"（{adj.cause[:80]}）",
    )
    ledger().post_bill_issue(bill, user, allocate=False, on=on)
    return [bill]


def _post_recalc(adj: Adjustment, user: Any, on: dt.date) -> list[Bill]:
    original = Bill.objects.select_for_update().get(pk=adj.bill_id)
    if original.status != BillStatus.ISSUED:
        raise ServiceError("not_reissuable", "原电费已不是已发行状态，不能重新计费")
    adj.decided_by = user
    reversal = _new_bill(
        adj, "reversal", original.period, on, energy_kwh=-original.energy_kwh, total=-original.total, reverses=original,
        tariff_version=original.tariff_version, period_start=original.period_start, period_end=original.period_end,
        rating_input={"reverses": original.pk, "adjustment": adj.pk},
    )
    BillLine.objects.bulk_create(
        [
            BillLine(bill=reversal, seq=ln.seq, item=ln.item, label=f"冲正 {ln.label}"[:60], quantity=-ln.quantity,
                     unit=ln.unit, price=ln.price, amount=-ln.amount, rule=ln.rule, formula=f"冲正：{ln.formula}"[:300],
                     segment=ln.segment)
            for ln in original.lines.all()
        ]
    )
    open_amount = original.total - original.paid
    ledger().post_bill_issue(reversal, user, allocate=False, on=on)
    ledger().allocate_to_bill(original, open_amount, user)  # the reversal's credit settles what was still owed
    original.status = BillStatus.REVERSED
    original.save(update_fields=["status"])
    result = rate_bill(adj.calc_input, original.period_end)
    rebill = _new_bill(
        adj, "rebill", original.period, on, energy_kwh=result.energy_kwh, total=result.total,
        tariff_version=original.tariff_version, period_start=original.period_start, period_end=original.period_end,
        pf=pf_text(result.pf),
        rating_input={"input": adj.calc_input, "readings": original.rating_input.get("readings", []), "adjustment": adj.pk},
    )
    BillLine.objects.bulk_create(
        [
            BillLine(bill=rebill, seq=i, item=ln.item, label=ln.label, quantity=ln.quantity, unit=ln.unit, price=ln.price,
                     amount=ln.amount, rule=ln.rule[:120], formula=ln.formula[:300], segment=max(ln.segment, 0))
            for i, ln in enumerate(result.lines, start=1)
        ]
    )
    ledger().post_bill_issue(rebill, user, allocate=False, on=on)
    return [reversal, rebill]
