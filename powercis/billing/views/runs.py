"""电费计算 (billing runs), 电费审核 (flagged bills, approval, issuance) and the bill page."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.db.models import Count, Prefetch, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from powercis.billing import services as billing_services
from powercis.billing.documents import bill_pdf
from powercis.billing.models import Adjustment, Bill, BillingRun, BillStatus, ReviewFlag
from powercis.billing.views.calc import percent, pf_input
from powercis.metering.models import REGISTERS
from powercis.org.scoping import get_scoped, scope
from powercis.reading.models import PlanStatus, ReadingBook, ReadingPlan
from powercis.services import ServiceError, db_sum
from powercis.web.views.common import period_param, service_error, staff_view


def _selected(request: HttpRequest) -> tuple[Any, list[ReadingBook]] | None:
    """The station and books ticked on the page (one rule for UI and API: ``services.resolve_books``)."""
    ids = [int(i) for i in request.POST.getlist("book") if i.isdigit()]
    try:
        return billing_services.resolve_books(request.user, ids)
    except ServiceError as exc:
        service_error(request, exc)
        return None


@staff_view("billing.run_billing")
def billing_home(request: HttpRequest) -> HttpResponse:
    period = period_param(request)
    if request.method == "POST":
        selected = _selected(request)
        if selected is None:
            return redirect(f"{reverse('billing:home')}?period={period}")
        station, books = selected
        try:
            run = billing_services.run_billing(station, period, books, request.user, on=timezone.localdate())
        except ServiceError as exc:
            service_error(request, exc)
            return redirect(f"{reverse('billing:home')}?period={period}")
        return redirect("billing:run", pk=run.pk)
    plans = list(
        scope(ReadingPlan.objects.filter(period=period), request.user)
        .select_related("book", "station")
        .order_by("book__code")
    )
    runs = list(
        scope(BillingRun.objects.all(), request.user)
        .select_related("station", "started_by")
        .prefetch_related("books")
        .order_by("-id")[:10]
    )
    return render(
        request,
        "billing/home.html",
        {
            "period": period,
            "plans": plans,
            "billable": {PlanStatus.RELEASED, PlanStatus.BILLED},
            "runs": runs,
        },
    )


@staff_view("billing.run_billing")
def billing_run(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_scoped(BillingRun.objects.select_related("station", "started_by"), request.user, pk=pk)
    counts = dict(run.bills.values("status").annotate(n=Count("id")).values_list("status", "n"))
    return render(
        request,
        "billing/run.html",
        {
            "run": run,
            "books": list(run.books.order_by("code")),
            "flagged": counts.get(BillStatus.FLAGGED, 0),
            "approved": counts.get(BillStatus.APPROVED, 0),
            "total": db_sum(run.bills.aggregate(s=Sum("total"))["s"]),
        },
    )


@staff_view("billing.review_bill")
def review(request: HttpRequest) -> HttpResponse:
    period = period_param(request)
    bills = scope(Bill.objects.filter(period=period), request.user)
    flagged = list(
        bills.filter(status=BillStatus.FLAGGED)
        .select_related("account", "book")
        .prefetch_related(Prefetch("flags", queryset=ReviewFlag.objects.filter(resolved_at__isnull=True)))
        .order_by("book__code", "account__number")
    )
    books = list(
        bills.values("book", "book__code", "book__name")
        .annotate(
            n=Count("id"),
            flagged=Count("id", filter=Q(status=BillStatus.FLAGGED)),
            approved=Count("id", filter=Q(status=BillStatus.APPROVED)),
            issued=Count("id", filter=Q(status=BillStatus.ISSUED)),
            total=Sum("total"),
        )
        .order_by("book__code")
    )
    return render(
        request,
        "billing/review.html",
        {
            "period": period,
            "flagged": flagged,
            "books": books,
            "can_issue": request.user.has_perm("billing.issue_bill"),
        },
    )


@require_POST
@staff_view("billing.issue_bill")
def review_issue(request: HttpRequest) -> HttpResponse:
    period = period_param(request)
    selected = _selected(request)
    if selected is not None:
        station, books = selected
        try:
            count = billing_services.issue_bills(station, period, books, request.user, on=timezone.localdate())
        except ServiceError as exc:
            service_error(request, exc)
        else:
            messages.success(request, _("%(p)s 电费发行 %(n)s 笔") % {"p": period, "n": count})
    return redirect(f"{reverse('billing:review')}?period={period}")


@staff_view("billing.view_bill")
def bill_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bill = get_scoped(
        Bill.objects.select_related(
            "account", "book", "station", "tariff_version__tariff", "approved_by", "issued_by", "run"
        ),
        request.user,
        pk=pk,
    )
    readings = []
    for r in (bill.rating_input or {}).get("readings", []):
        readings.append({**r, "register_label": REGISTERS.get(r.get("register", ""), r.get("register", ""))})
    lines = list(bill.lines.order_by("seq"))
    for ln in lines:
        ln.percent = percent(ln.price) if ln.item == "pf_adjust" else ""
    rateable = bill.kind in {"regular", "rebill"} and isinstance((bill.rating_input or {}).get("input"), dict)
    return render(
        request,
        "billing/bill.html",
        {
            "bill": bill,
            "lines": lines,
            "flags": list(bill.flags.select_related("resolved_by").order_by("id")),
            "readings": readings,
            "allocations": list(bill.allocations.select_related("payment").order_by("id")),
            "can_approve": bill.status == BillStatus.FLAGGED and request.user.has_perm("billing.review_bill"),
            "diff": billing_services.bill_diff(bill, lines),
            "can_recheck": rateable,
            "has_pf": rateable and pf_input(bill) is not None,
            "can_adjust": bill.kind in {"regular", "rebill"}
            and bill.status != BillStatus.REVERSED
            and request.user.has_perm("billing.request_adjustment"),
            "adjustments": list(
                Adjustment.objects.filter(Q(bill=bill) | Q(posted_bills=bill))
                .distinct()
                .select_related("requested_by")
                .order_by("-id")
            ),
        },
    )


@staff_view("billing.view_bill")
def bill_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    bill = get_scoped(
        Bill.objects.select_related("account", "station__company", "tariff_version"), request.user, pk=pk
    )
    response = HttpResponse(bill_pdf(bill), content_type="application/pdf")
    name = f"电费通知单_{bill.account.number}_{bill.period}.pdf"
    response["Content-Disposition"] = (
        f"inline; filename=\"bill-{bill.account.number}-{bill.period}.pdf\"; filename*=UTF-8''{quote(name)}"
    )
    return response


@require_POST
@staff_view("billing.review_bill")
def bill_approve(request: HttpRequest, pk: int) -> HttpResponse:
    bill = get_scoped(Bill.objects.select_related("account"), request.user, pk=pk)
    try:
        billing_services.approve_bill(bill, request.user, request.POST.get("note", ""))
    except ServiceError as exc:
        service_error(request, exc)
        return redirect("billing:bill", pk=bill.pk)
    messages.success(request, _("户号 %(a)s %(p)s 电费已审核通过") % {"a": bill.account.number, "p": bill.period})
    return redirect(f"{reverse('billing:review')}?period={bill.period}")
