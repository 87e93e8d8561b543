"""Columns of the customer archive's lists and of the account file (export = the import's format)."""

from __future__ import annotations

from collections.abc import Iterable

from powercis.customers.models import Account
from powercis.customers.services import ACCOUNT_LABELS
from powercis.tabular import write_xlsx
from powercis.web.tables import Column, export_value

ACCOUNT_COLUMNS = (
    Column("number", "户号", link="customers:account", order_by="number"),
    Column("name", "户名", order_by="name"),
    Column("address", "用电地址"),
    Column("station", "供电所", "station.name", order_by="station__code"),
    Column("area", "台区", "area.name", order_by="area__code"),
    Column("book", "抄表段", "book.code", order_by="book__code"),
    Column("category", "用电类别", display=True, order_by="category"),
    Column("tariff", "电价", "tariff.name", order_by="tariff__code"),
    Column("status", "状态", display=True, order_by="status"),
)

# The account file: the same columns, in the same order, as ``customers.services`` imports (a file
# exported here imports back unchanged). ID numbers leave the system masked.
_FILE_ACCESSORS = {
    "customer_number": "customer.number",
    "customer_name": "customer.name",
    "id_number": "customer.id_number_masked",
    "phone": "customer.phone",
    "station": "station.code",
    "area": "area.code",
    "book": "book.code",
    "tariff": "tariff.code",
}
_FILE_DISPLAY = {"metering_mode", "basic_charge_mode", "status"}
ACCOUNT_FILE_COLUMNS = tuple(
    Column(name, label, _FILE_ACCESSORS.get(name), display=name in _FILE_DISPLAY)
    for name, label in ACCOUNT_LABELS.items()
)

CUSTOMER_COLUMNS = (
    Column("number", "客户编号", order_by="number"),
    Column("name", "客户名称", order_by="name"),
    Column("kind", "客户类型", display=True),
    Column("id_number", "证件号码", "id_number_masked"),
    Column("phone", "联系电话"),
    Column("station", "供电所", "station.name", order_by="station__code"),
)


def account_file(accounts: Iterable[Account]) -> bytes:
    """The account file (xlsx) of ``accounts``: what the list's export writes, for scripts and tests."""
    columns = ACCOUNT_FILE_COLUMNS
    rows = ([export_value(c.value(a)) for c in columns] for a in accounts)
    return write_xlsx([c.label for c in columns], rows, "用电户")
