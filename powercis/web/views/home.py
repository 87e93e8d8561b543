"""工作台: the to-dos of the signed-in person, by the roles they hold."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from powercis.billing.models import Bill, BillStatus
from powercis.org.scoping import scope
from powercis.payments.models import Payment
from powercis.reading.models import PlanStatus, ReadingBook, ReadingException, ReadingPlan
from powercis.services import db_sum
from powercis.web.views.common import current_period, staff_view


@staff_view()
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    period = current_period()
    cards: list[dict[str, Any]] = []
    if user.has_perm("reading.add_reading"):
        books = scope(ReadingBook.objects.all(), user)
        done = scope(ReadingPlan.objects.filter(period=period).exclude(status=PlanStatus.OPEN), user)
        cards.append({
            "key": "books", "title": _("待抄抄表段"), "value": books.count() - done.count(),
            "hint": period, "url": "web:books", "color": "primary",
        })
    if user.has_perm("reading.resolve_exception"):
        cards.append({
            "key": "exceptions", "title": _("待处理抄表异常"),
            "value": scope(ReadingException.objects.filter(status="open"), user).count(),
            "hint": "", "url": "web:exceptions", "color": "warning",
        })
    if user.has_perm("billing.run_billing"):
        cards.append({
            "key": "released", "title": _("待计费抄表段"),
            "value": scope(ReadingPlan.objects.filter(status=PlanStatus.RELEASED), user).count(),
            "hint": "", "url": "web:billing", "color": "info",
        })
    if user.has_perm("billing.review_bill"):
        bills = scope(Bill.objects.filter(status__in=[BillStatus.FLAGGED, BillStatus.APPROVED]), user)
        counts = dict(bills.values("status").annotate(n=Count("id")).values_list("status", "n"))
        cards.append({
            "key": "flagged", "title": _("审核异常电费"), "value": counts.get(BillStatus.FLAGGED, 0),
            "hint": "", "url": "web:review", "color": "danger",
        })
        cards.append({
            "key": "to_issue", "title": _("待发行电费"), "value": counts.get(BillStatus.APPROVED, 0),
            "hint": "", "url": "web:review", "color": "secondary",
        })
    if user.has_perm("payments.add_payment"):
        today = timezone.localdate()
        payments = scope(Payment.objects.filter(received_at__date=today), user)
        agg = payments.aggregate(n=Count("id"), s=Sum("amount"))
        cards.append({
            "key": "receipts", "title": _("今日收费笔数"), "value": agg["n"],
            "hint": f"¥{db_sum(agg['s']):,.2f}", "url": "web:counter", "color": "success",
        })
    return render(request, "web/home.html", {"cards": cards, "period": period})
