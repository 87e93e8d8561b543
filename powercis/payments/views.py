"""收费 pages: the counter (find an account, see what it owes, take a payment), receipts, payment list."""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from powercis.core.rmb import amount_in_words
from powercis.customers.models import Account
from powercis.org.scoping import get_scoped, require_perm, scope
from powercis.payments import services
from powercis.payments.filtersets import PaymentFilterSet
from powercis.payments.models import Payment
from powercis.services import ServiceError, db_sum
from powercis.web.generic import ScopedDetailView, ScopedListView
from powercis.web.tables import Column
from powercis.web.templatetags.powercis_web import person


def _accounts(request: HttpRequest) -> QuerySet[Account]:
    return scope(Account.objects.select_related("customer", "station", "book"), request.user)


@login_required
def counter(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "payments.add_payment")
    number = request.GET.get("number", "").strip()
    context: dict[str, Any] = {"number": number, "account": None}
    if number:
        account = _accounts(request).filter(number=number).first()
        if account is None:
            messages.warning(request, _("未找到户号 %(n)s（或不属于本供电所）") % {"n": number})
        else:
            position = services.account_position(account)
            context.update(
                account=account,
                open_bills=position.open_bills,
                owed=position.receivable,
                prepaid=position.prepaid,
                suggested=position.suggested,
                token=uuid.uuid4().hex,
                methods=Payment.METHODS,
                recent=list(Payment.objects.filter(account=account).order_by("-received_at")[:5]),
            )
    return render(request, "payments/counter.html", context)


@require_POST
@login_required
def counter_pay(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request.user, "payments.add_payment")
    account = get_scoped(_accounts(request), request.user, pk=pk)
    back = f"{reverse('payments:counter')}?number={account.number}"
    try:
        amount = Decimal(request.POST.get("amount", "").strip().replace(",", ""))
    except InvalidOperation:
        messages.error(request, _("收费金额不是有效数字"))
        return redirect(back)
    method = request.POST.get("method", "cash")
    if method not in dict(Payment.METHODS):
        method = "cash"
    token = request.POST.get("token", "").strip()
    try:
        outcome = services.take_payment(account, amount, request.user, method=method, channel="counter", channel_ref=token)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    if outcome.created:
        messages.success(request, _("收费成功，收据号 %(r)s") % {"r": outcome.payment.receipt_no})
    else:
        messages.info(request, _("该笔收费已处理（重复提交），未重复收费"))
    return redirect("payments:receipt", pk=outcome.payment.pk)


class ReceiptView(ScopedDetailView):
    model = Payment
    permission = "payments.view_payment"
    template_name = "payments/receipt.html"
    context_object_name = "payment"

    def base_queryset(self) -> QuerySet[Payment]:
        return Payment.objects.select_related("account__customer", "station", "cashier")

    def get_context(self, obj: Payment) -> dict[str, Any]:
        allocated = db_sum(obj.allocations.aggregate(s=Sum("amount"))["s"])
        position = services.account_position(obj.account, with_bills=False)
        return {
            "allocations": list(obj.allocations.select_related("bill").order_by("bill__period", "id")),
            "allocated": allocated,
            "to_prepaid": obj.amount - allocated,
            "prepaid": position.prepaid,
            "owed": position.owed,
            "amount_upper": amount_in_words(obj.amount).removeprefix("人民币"),
        }


class PaymentListView(ScopedListView):
    model = Payment
    permission = "payments.view_payment"
    title = "收费记录"
    columns = (
        Column("receipt_no", "收据号", link="payments:receipt", order_by="receipt_no"),
        Column("received_at", "收费时间", order_by="received_at"),
        Column("account", "户号", "account.number", link="customers:account", link_attr="account_id",
               order_by="account__number"),
        Column("account_name", "户名", "account.name"),
        Column("amount", "金额(元)", numeric=True, order_by="amount"),
        Column("method", "方式", display=True),
        Column("channel", "渠道"),
        Column("cashier", "收费员", lambda p: person(p.cashier) if p.cashier else None),
    )
    filterset_class = PaymentFilterSet
    default_order = ("-received_at", "-id")
    export_name = "payments"

    def base_queryset(self) -> QuerySet[Payment]:
        return Payment.objects.select_related("account", "cashier")
