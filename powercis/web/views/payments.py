"""收费 counter: find an account, show its 欠费 and 预存, take a payment, print the receipt (收据)."""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from powercis.core.rmb import amount_in_words
from powercis.customers.models import Account
from powercis.org.scoping import get_scoped, scope
from powercis.payments import services as payment_services
from powercis.payments.models import AccountBalance, Payment
from powercis.services import ServiceError, db_sum
from powercis.web.views.common import service_error, staff_view

ZERO = Decimal("0.00")


def _accounts(request: HttpRequest):  # noqa: ANN202 - a QuerySet[Account]
    return scope(Account.objects.select_related("customer", "station", "book"), request.user)


@staff_view("payments.add_payment")
def counter(request: HttpRequest) -> HttpResponse:
    number = request.GET.get("number", "").strip()
    context: dict = {"number": number, "account": None}
    if number:
        account = _accounts(request).filter(number=number).first()
        if account is None:
            messages.warning(request, _("未找到户号 %(n)s（或不属于本供电所）") % {"n": number})
        else:
            open_bills = payment_services.open_bills(account)
            owed = sum((amount for _bill, amount in open_bills), ZERO)
            balance = AccountBalance.objects.filter(account=account).first()
            prepaid = balance.prepaid if balance else ZERO
            context.update(
                account=account,
                open_bills=open_bills,
                owed=owed,
                prepaid=prepaid,
                suggested=max(owed - prepaid, ZERO),
                token=uuid.uuid4().hex,
                methods=Payment.METHODS,
                recent=list(Payment.objects.filter(account=account).order_by("-received_at")[:5]),
            )
    return render(request, "web/payments/counter.html", context)


@require_POST
@staff_view("payments.add_payment")
def counter_pay(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_scoped(_accounts(request), request.user, pk=pk)
    back = f"{reverse('web:counter')}?number={account.number}"
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
        outcome = payment_services.take_payment(
            account, amount, request.user, method=method, channel="counter", channel_ref=token
        )
    except ServiceError as exc:
        service_error(request, exc)
        return redirect(back)
    if outcome.created:
        messages.success(request, _("收费成功，收据号 %(r)s") % {"r": outcome.payment.receipt_no})
    else:
        messages.info(request, _("该笔收费已处理（重复提交），未重复收费"))
    return redirect("web:receipt", pk=outcome.payment.pk)


@staff_view("payments.view_payment")
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    payment = get_scoped(
        Payment.objects.select_related("account__customer", "station", "cashier"), request.user, pk=pk
    )
    allocations = list(payment.allocations.select_related("bill").order_by("bill__period", "id"))
    allocated = db_sum(payment.allocations.aggregate(s=Sum("amount"))["s"])
    balance = AccountBalance.objects.filter(account=payment.account).first()
    return render(
        request,
        "web/payments/receipt.html",
        {
            "payment": payment,
            "allocations": allocations,
            "allocated": allocated,
            "to_prepaid": payment.amount - allocated,
            "prepaid": balance.prepaid if balance else ZERO,
            "owed": balance.owed if balance else ZERO,
            "amount_upper": amount_in_words(payment.amount).removeprefix("人民币"),
        },
    )
