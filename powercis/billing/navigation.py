"""Billing's menu entries, home-page cards, and the consumption and bill panels of the account page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from powercis.billing.models import Bill, BillStatus
from powercis.billing.services import consumption_by_period
from powercis.core.periods import period_of, shift_period
from powercis.org.scoping import scope
from powercis.reading.models import PlanStatus, ReadingPlan
from powercis.registry import MenuItem, Panel, Todo

MENU = [
    MenuItem("billing:home", gettext_noop("电费计算"), "billing.run_billing", order=50),
    MenuItem("billing:review", gettext_noop("电费审核"), "billing.review_bill", order=55),
    MenuItem("billing:bills", gettext_noop("电费查询"), "billing.view_bill", order=60),
    MenuItem("billing:calc", gettext_noop("电费测算"), "billing.view_bill", order=65),
    MenuItem("billing:adjustments", gettext_noop("退补审批"), "billing.approve_adjustment", order=70),
]


def billing_todos(user: Any, on: dt.date) -> list[Todo]:
    cards = []
    if user.has_perm("billing.run_billing"):
        n = scope(ReadingPlan.objects.filter(status=PlanStatus.RELEASED), user).count()
        cards.append(Todo("released", _("待计费抄表段"), n, "billing:home", "info"))
    if user.has_perm("billing.review_bill"):
        bills = scope(Bill.objects.filter(status__in=[BillStatus.FLAGGED, BillStatus.APPROVED]), user)
        counts = dict(bills.values("status").annotate(n=Count("id")).values_list("status", "n"))
        cards.append(Todo("flagged", _("审核异常电费"), counts.get(BillStatus.FLAGGED, 0), "billing:review", "danger"))
        cards.append(Todo("to_issue", _("待发行电费"), counts.get(BillStatus.APPROVED, 0), "billing:review", "secondary"))
    return cards


TODOS = [billing_todos]

CHART_MONTHS = 13


def _consumption(request: Any, account: Any) -> dict[str, Any]:
    from django.utils import timezone

    last = period_of(timezone.localdate())
    periods = [shift_period(last, i - CHART_MONTHS + 1) for i in range(CHART_MONTHS)]
    kwh = consumption_by_period(account, periods)
    return {"chart": {"periods": periods, "kwh": [str(kwh[p].quantize(Decimal("0.00"))) for p in periods]}}


def _bills(request: Any, account: Any) -> dict[str, Any]:
    zero = Value(0, output_field=DecimalField(max_digits=14, decimal_places=2))
    bills = list(
        Bill.objects.filter(account=account)
        .annotate(paid_amount=Coalesce(Sum("allocations__amount"), zero))
        .order_by("-period", "-id")[:24]
    )
    return {"bills": bills}


PANELS = [
    Panel("customers.account", "billing/panels/consumption.html", _consumption, "billing.view_bill", order=10),
    Panel("customers.account", "billing/panels/bills.html", _bills, "billing.view_bill", order=30, width=6),
]
