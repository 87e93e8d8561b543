"""客户档案: account list (search, filters, pages), import/export, and the account page (户档)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from powercis.billing.models import Bill, BillStatus
from powercis.core.periods import shift_period
from powercis.customers import services as customer_services
from powercis.customers.models import Account, AccountStatus
from powercis.metering.models import REGISTERS, MeteringPoint
from powercis.org.models import Station, TransformerArea
from powercis.org.scoping import get_scoped, scope
from powercis.payments.models import AccountBalance, Journal, Posting
from powercis.reading.models import Reading
from powercis.services import ServiceError
from powercis.tariffs.models import TariffCategory
from powercis.web.views.common import current_period, service_error, staff_view

PAGE_SIZE = 50
ZERO = Decimal("0.00")
FILTERS = ("q", "station", "area", "category", "status")


def _filtered(request: HttpRequest) -> tuple[QuerySet[Account], dict[str, str]]:
    """The accounts the user may see, narrowed by the list's search box and filters."""
    params = {k: request.GET.get(k, "").strip() for k in FILTERS}
    qs = scope(Account.objects.all(), request.user)
    if params["q"]:
        q = params["q"]
        qs = qs.filter(Q(number__icontains=q) | Q(name__icontains=q) | Q(address__icontains=q))
    if params["station"].isdigit():
        qs = qs.filter(station_id=int(params["station"]))
    if params["area"].isdigit():
        qs = qs.filter(area_id=int(params["area"]))
    if params["category"]:
        qs = qs.filter(category=params["category"])
    if params["status"]:
        qs = qs.filter(status=params["status"])
    return qs.order_by("number"), params


@staff_view("customers.view_account")
def account_list(request: HttpRequest) -> HttpResponse:
    qs, params = _filtered(request)
    page = Paginator(qs.select_related("customer", "station", "area", "book", "tariff"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "params": params,
        "querystring": urlencode({k: v for k, v in params.items() if v}),
        "stations": scope(Station.objects.all(), request.user, field="pk"),
        "areas": scope(TransformerArea.objects.all(), request.user),
        "categories": TariffCategory.choices,
        "statuses": AccountStatus.choices,
        "can_import": request.user.has_perm("customers.import_accounts"),
    }
    template = "web/accounts/_table.html" if request.headers.get("HX-Request") else "web/accounts/list.html"
    return render(request, template, context)


@staff_view("customers.view_account")
def account_export(request: HttpRequest) -> HttpResponse:
    qs, _params = _filtered(request)
    data = customer_services.export_accounts(
        list(qs.select_related("customer", "station", "area", "book", "tariff"))
    )
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"用电户_{current_period()}.xlsx"
    response["Content-Disposition"] = f"attachment; filename=\"accounts.xlsx\"; filename*=UTF-8''{quote(name)}"
    return response


@staff_view("customers.import_accounts")
def account_import(request: HttpRequest) -> HttpResponse:
    errors: list[dict[str, Any]] = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("请选择要导入的文件"))
        else:
            try:
                result = customer_services.import_accounts(upload.name, upload.read(), request.user)
            except ServiceError as exc:
                errors = service_error(request, exc)
            else:
                messages.success(
                    request,
                    _("导入完成：新增 %(c)s 户，修改 %(u)s 户，未变 %(n)s 户")
                    % {"c": result.created, "u": result.updated, "n": result.unchanged},
                )
                return redirect("web:accounts")
    columns = [label for _name, label in customer_services.ACCOUNT_COLUMNS]
    return render(request, "web/accounts/import.html", {"errors": errors, "columns": columns})


def ledger_rows(account: Account) -> list[dict[str, Any]]:
    """The account's journals, newest first, with the receivable/prepaid movements and running 欠费."""
    journals = (
        Journal.objects.filter(account=account)
        .select_related("created_by")
        .prefetch_related(Prefetch("postings", queryset=Posting.objects.order_by("id")))
        .order_by("id")
    )
    rows = []
    owed = ZERO
    for journal in journals:
        postings = list(journal.postings.all())
        receivable = sum((p.amount for p in postings if p.ledger == "receivable"), ZERO)
        prepaid = -sum((p.amount for p in postings if p.ledger == "prepaid"), ZERO)
        owed += receivable - prepaid
        rows.append(
            {"journal": journal, "postings": postings, "receivable": receivable, "prepaid": prepaid, "owed": owed}
        )
    rows.reverse()
    return rows


def consumption_chart(account: Account, months: int = 13) -> dict[str, list[str]]:
    """kWh of the account's regular bills for the last ``months`` periods (current month last)."""
    last = current_period()
    periods = [shift_period(last, i - months + 1) for i in range(months)]
    kwh = dict(
        Bill.objects.filter(account=account, kind="regular", period__in=periods)
        .exclude(status=BillStatus.REVERSED)
        .values("period")
        .annotate(s=Sum("energy_kwh"))
        .values_list("period", "s")
    )
    return {"periods": periods, "kwh": [str((kwh.get(p) or ZERO).quantize(ZERO)) for p in periods]}


@staff_view("customers.view_account")
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_scoped(
        Account.objects.select_related("customer", "station", "area", "feeder", "book", "tariff"), request.user, pk=pk
    )
    points = list(MeteringPoint.objects.filter(account=account).select_related("meter").order_by("-active", "id"))
    for point in points:
        point.register_labels = [REGISTERS.get(r, r) for r in point.registers]
    readings = list(
        Reading.objects.filter(point__account=account)
        .select_related("point__meter")
        .order_by("-period", "point_id", "register", "-id")[:60]
    )
    for r in readings:
        r.register_label = REGISTERS.get(r.register, r.register)
    bills = list(Bill.objects.filter(account=account).select_related("tariff_version").order_by("-period", "-id")[:24])
    paid: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for bill_id, amount in Bill.objects.filter(pk__in=[b.pk for b in bills]).values_list("pk", "allocations__amount"):
        if amount is not None:
            paid[bill_id] += amount
    for bill in bills:
        bill.paid_amount = paid[bill.pk]
    balance = AccountBalance.objects.filter(account=account).first() or AccountBalance(account=account)
    return render(
        request,
        "web/accounts/detail.html",
        {
            "account": account,
            "points": points,
            "readings": readings,
            "bills": bills,
            "ledger": ledger_rows(account),
            "balance": balance,
            "chart": consumption_chart(account),
        },
    )
