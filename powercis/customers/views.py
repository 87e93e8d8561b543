"""客户档案 pages: the account and customer lists, the account import, and the account page (户档).

The account page shows the archive itself; metering points, readings, bills and the ledger are panels
that those apps add (``navigation.PANELS``), so the archive depends on none of them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from powercis.customers import services, terms
from powercis.customers.filtersets import AccountFilterSet, CustomerFilterSet
from powercis.customers.forms import TermsChangeForm
from powercis.customers.models import Account, Customer
from powercis.customers.tables import ACCOUNT_COLUMNS, ACCOUNT_FILE_COLUMNS, CUSTOMER_COLUMNS
from powercis.customers.terms import terms_on
from powercis.org.scoping import get_scoped
from powercis.services import ServiceError
from powercis.web.generic import (
    BulkImportView,
    ScopedDetailView,
    ScopedListView,
    ScopedQuerysetMixin,
    StaffView,
    render_panels,
)


class AccountListView(ScopedListView):
    model = Account
    permission = "customers.view_account"
    title = "客户档案"
    columns = ACCOUNT_COLUMNS
    export_columns = ACCOUNT_FILE_COLUMNS
    filterset_class = AccountFilterSet
    default_order = ("number",)
    export_name = "accounts"
    actions_template = "customers/_account_actions.html"
    empty_text = "没有符合条件的用电户"

    def base_queryset(self) -> QuerySet[Account]:
        return Account.objects.select_related("customer", "station", "area", "book", "tariff")


class CustomerListView(ScopedListView):
    model = Customer
    permission = "customers.view_customer"
    title = "客户"
    columns = CUSTOMER_COLUMNS
    filterset_class = CustomerFilterSet
    default_order = ("number",)
    export_name = "customers"

    def base_queryset(self) -> QuerySet[Customer]:
        return Customer.objects.select_related("station")


class AccountImportView(BulkImportView):
    permission = "customers.import_accounts"
    title = "用电户批量导入"
    columns = tuple(services.ACCOUNT_LABELS.values())
    importer = services.import_accounts
    success_url = "customers:accounts"
    back_url = "customers:accounts"

    def success(self, result: Any) -> str:
        return _("导入完成：新增 %(c)s 户，修改 %(u)s 户，未变 %(n)s 户") % {
            "c": result.created, "u": result.updated, "n": result.unchanged,
        }


class AccountDetailView(ScopedDetailView):
    model = Account
    permission = "customers.view_account"
    template_name = "customers/account_detail.html"
    context_object_name = "account"

    def base_queryset(self) -> QuerySet[Account]:
        return Account.objects.select_related("customer", "station", "area", "feeder", "book", "tariff")

    def get_context(self, obj: Account) -> dict[str, Any]:
        return {"panels": render_panels(self.request, "customers.account", obj)}


class TermsChangeView(ScopedQuerysetMixin, StaffView):
    """档案变更: change an account's billing terms from an effective date (``terms.change_terms``)."""

    model = Account
    permission = "customers.change_account"

    def _page(self, account: Account, form: TermsChangeForm) -> HttpResponse:
        return render(self.request, "customers/terms_change.html", {"account": account, "form": form})

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        account = get_scoped(self.get_queryset(), request.user, pk=pk)
        on = timezone.localdate()
        current = terms_on(account, on) or terms_on(account, account.connected_on)
        if current is None:
            raise Http404
        return self._page(account, TermsChangeForm(terms=current, initial={"valid_from": on}))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        account = get_scoped(self.get_queryset(), request.user, pk=pk)
        on = timezone.localdate()
        day = _date_or_none(request.POST.get("valid_from", "")) or on
        current = terms_on(account, max(day, account.connected_on))
        if current is None:
            raise Http404
        form = TermsChangeForm(request.POST, terms=current)
        if not form.is_valid():
            return self._page(account, form)
        try:
            terms.change_terms(account, valid_from=form.cleaned_data["valid_from"], changes=form.changes(),
                               reason=form.cleaned_data["reason"], user=request.user, on=on)
        except ServiceError as exc:
            messages.error(request, exc.message)
            return self._page(account, form)
        messages.success(request, _("档案变更已登记，自 %(d)s 起生效") % {"d": form.cleaned_data["valid_from"]})
        return redirect("customers:account", pk=account.pk)


def _date_or_none(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None
