"""退补 (refund/supplement): request from a bill, the station head's approval queue, the adjustment page.

Every step goes through ``powercis.billing.corrections`` (permissions, station scope, four-eyes,
postings); these views only gather the form and show the outcome.
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from powercis.billing import corrections
from powercis.billing.calcforms import FORMS, example_json, form_input
from powercis.billing.models import Adjustment, AdjustmentStatus, Bill, BillStatus
from powercis.core import calc
from powercis.org.scoping import get_scoped, scope
from powercis.services import ServiceError
from powercis.web.views.common import service_error, staff_view

KIND_METER_ERROR = "meter_error"
KIND_RECALC = "recalc"
ADJUSTABLE = {"regular", "rebill"}


def default_price(bill: Bill) -> str:
    """The bill's flat price when its tariff has one, else its average price (total / kWh)."""
    price = ((bill.rating_input or {}).get("input") or {}).get("price")
    if isinstance(price, dict) and price.get("flat") not in (None, ""):
        return str(price["flat"])
    if bill.energy_kwh:
        return str((bill.total / bill.energy_kwh).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))
    return ""


def _bill_input_json(bill: Bill) -> str:
    return json.dumps((bill.rating_input or {}).get("input") or {}, ensure_ascii=False, indent=2)


@staff_view("billing.request_adjustment")
def adjustment_new(request: HttpRequest, bill_id: int) -> HttpResponse:
    bill = get_scoped(Bill.objects.select_related("account", "station"), request.user, pk=bill_id)
    kind = (request.POST.get("kind") or request.GET.get("kind") or KIND_METER_ERROR).strip()
    if kind not in {KIND_METER_ERROR, KIND_RECALC}:
        kind = KIND_METER_ERROR
    values: dict[str, str] = {
        "cause": "",
        "evidence": "",
        "price": default_price(bill),
        "calc_input": example_json("meter_error") if kind == KIND_METER_ERROR else _bill_input_json(bill),
    }
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in values}
        if bill.kind not in ADJUSTABLE or bill.status == BillStatus.REVERSED:
            messages.error(request, _("该电费不能申请退补"))
        else:
            try:
                if kind == KIND_METER_ERROR:
                    calc_input = form_input("meter_error", {"input_json": values["calc_input"]})
                    adj = corrections.request_meter_error_adjustment(
                        bill.account, request.user, cause=values["cause"], evidence=values["evidence"],
                        calc_input=calc_input, price=values["price"].strip() or None, bill=bill,
                    )
                else:
                    corrected = form_input("bill", {"input_json": values["calc_input"]})
                    adj = corrections.request_recalculation(
                        bill, request.user, cause=values["cause"], evidence=values["evidence"], corrected_input=corrected,
                    )
            except ServiceError as exc:
                service_error(request, exc)
            else:
                messages.success(
                    request,
                    _("退补申请 #%(n)s 已提交，金额 %(a)s 元，等待所长审批") % {"n": adj.pk, "a": f"{adj.amount:,.2f}"},
                )
                return redirect("billing:adjustment", pk=adj.pk)
    return render(
        request,
        "billing/adjustment_new.html",
        {
            "bill": bill,
            "kind": kind,
            "kinds": Adjustment.KINDS,
            "values": values,
            "meter_error_help": calc.KINDS["meter_error"].fields,
        },
    )


@staff_view("billing.approve_adjustment")
def adjustment_queue(request: HttpRequest) -> HttpResponse:
    adjustments = scope(Adjustment.objects.all(), request.user).select_related(
        "account", "bill", "requested_by", "decided_by", "station"
    )
    return render(
        request,
        "billing/adjustment_queue.html",
        {
            "pending": list(adjustments.filter(status=AdjustmentStatus.PENDING).order_by("requested_at", "id")),
            "decided": list(adjustments.exclude(status=AdjustmentStatus.PENDING).order_by("-decided_at", "-id")[:20]),
        },
    )


def _result_rows(adj: Adjustment) -> list[dict[str, Any]]:
    labels = FORMS[adj.calc_kind].labels if adj.calc_kind in FORMS else {}
    rows = []
    for key, value in (adj.calc_result or {}).items():
        if key == "lines":
            continue
        text = json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else str(value)
        rows.append({"key": key, "label": labels.get(key, key), "value": text})
    return rows


@staff_view("billing.view_bill")
def adjustment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    adj = get_scoped(
        Adjustment.objects.select_related("account", "bill", "station", "requested_by", "decided_by"),
        request.user,
        pk=pk,
    )
    lines = (adj.calc_result or {}).get("lines") if adj.kind == KIND_RECALC else None
    return render(
        request,
        "billing/adjustment_detail.html",
        {
            "adj": adj,
            "calc_input": json.dumps(adj.calc_input, ensure_ascii=False, indent=2),
            "result_rows": _result_rows(adj),
            "lines": lines if isinstance(lines, list) else [],
            "posted": list(adj.posted_bills.order_by("id")),
            "can_decide": adj.status == AdjustmentStatus.PENDING
            and request.user.has_perm("billing.approve_adjustment"),
            "own_request": adj.requested_by_id == request.user.pk,
        },
    )


def _decide(request: HttpRequest, pk: int, approve: bool) -> HttpResponse:
    adj = get_scoped(Adjustment.objects.select_related("account"), request.user, pk=pk)
    note = request.POST.get("note", "")
    try:
        if approve:
            bills = corrections.approve_adjustment(adj, request.user, note, on=timezone.localdate())
        else:
            corrections.reject_adjustment(adj, request.user, note)
    except ServiceError as exc:
        service_error(request, exc)
        return redirect("billing:adjustment", pk=adj.pk)
    if approve:
        messages.success(
            request,
            _("退补 #%(n)s 已审批入账，生成 %(c)s 笔电费") % {"n": adj.pk, "c": len(bills)},
        )
    else:
        messages.success(request, _("退补 #%(n)s 已驳回") % {"n": adj.pk})
    return redirect("billing:adjustment", pk=adj.pk)


@require_POST
@staff_view("billing.approve_adjustment")
def adjustment_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, approve=True)


@require_POST
@staff_view("billing.approve_adjustment")
def adjustment_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, approve=False)
