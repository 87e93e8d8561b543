"""客户档案 pages: the account and customer lists, the account import, and the account page (户档).

The account page shows the archive itself; metering points, readings, bills and the ledger are panels
that those apps add (``navigation.PANELS``), so the archive depends on none of them.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from powercis.customers import services
from powercis.customers.filtersets import AccountFilterSet, CustomerFilterSet
from powercis.customers.models import Account, Customer
from powercis.customers.tables import ACCOUNT_COLUMNS, ACCOUNT_FILE_COLUMNS, CUSTOMER_COLUMNS
from powercis.web.generic import BulkImportView, ScopedDetailView, ScopedListView, render_panels


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
