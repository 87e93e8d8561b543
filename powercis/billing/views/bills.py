"""电费查询: every bill of the station, filtered, sorted and exported like any list."""

from __future__ import annotations

from django.db.models import QuerySet

from powercis.billing.filtersets import BillFilterSet
from powercis.billing.models import Bill
from powercis.web.generic import ScopedListView
from powercis.web.tables import Column


class BillListView(ScopedListView):
    model = Bill
    permission = "billing.view_bill"
    title = "电费查询"
    columns = (
        Column("period", "电费年月", link="billing:bill", order_by="period"),
        Column("account", "户号", "account.number", link="customers:account", link_attr="account_id",
               order_by="account__number"),
        Column("account_name", "户名", "account.name"),
        Column("book", "抄表段", "book.code", order_by="book__code"),
        Column("kind", "类型", display=True),
        Column("energy_kwh", "电量(kWh)", numeric=True, order_by="energy_kwh"),
        Column("total", "应收电费(元)", numeric=True, order_by="total"),
        Column("status", "状态", display=True, order_by="status"),
        Column("due_date", "缴费截止日", order_by="due_date"),
    )
    filterset_class = BillFilterSet
    default_order = ("-period", "account__number", "id")
    export_name = "bills"
    empty_text = "没有符合条件的电费"

    def base_queryset(self) -> QuerySet[Bill]:
        return Bill.objects.select_related("account", "book")
