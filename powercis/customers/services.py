"""Archive operations: account changes with change log, and account import/export (xlsx/csv).

Import checks every row first (unknown station, tariff, book or area; bad numbers; duplicates) and
writes nothing unless every row is good; existing account numbers are updated, new ones created,
each change written to the change log. Export writes the same columns back, so a file round-trips.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from powercis.audit.services import log_change
from powercis.customers.models import (
    Account,
    AccountStatus,
    BasicChargeMode,
    Customer,
    MeteringMode,
    PfStandard,
)
from powercis.customers.terms import change_terms
from powercis.org.models import ReadingBook, Station, TransformerArea
from powercis.org.scoping import check_station, require_perm, scope
from powercis.services import ServiceError
from powercis.tabular import ImportRejected, RowError, missing_columns, read_table
from powercis.tariffs.models import Tariff

# (field, Chinese header) in file order; the export writes these and the import reads them.
ACCOUNT_COLUMNS: list[tuple[str, str]] = [
    ("number", "户号"),
    ("name", "户名"),
    ("customer_number", "客户编号"),
    ("customer_name", "客户名称"),
    ("id_number", "证件号码"),
    ("phone", "联系电话"),
    ("station", "供电所编码"),
    ("area", "台区编码"),
    ("book", "抄表段编号"),
    ("address", "用电地址"),
    ("tariff", "电价编码"),
    ("capacity_kva", "合同容量(kVA)"),
    ("metering_mode", "计量方式"),
    ("basic_charge_mode", "基本电费计收方式"),
    ("pf_standard", "功率因数考核标准"),
    ("status", "状态"),
    ("connected_on", "立户日期"),
    ("valid_from", "变更生效日期"),
]
ACCOUNT_LABELS = dict(ACCOUNT_COLUMNS)
ACCOUNT_ALIASES = {label: name for name, label in ACCOUNT_COLUMNS} | {name: name for name, _ in ACCOUNT_COLUMNS}
REQUIRED = ["number", "name", "station", "tariff", "address"]

_CHOICES = {
    "metering_mode": MeteringMode,
    "basic_charge_mode": BasicChargeMode,
    "status": AccountStatus,
}


def _choice(enum: Any, text: str) -> str | None:
    for value, label in enum.choices:
        if text in (value, label):
            return str(value)
    return None


@dataclass
class AccountImportResult:
    created: int
    updated: int
    unchanged: int


def _row_values(raw: dict[str, str], stations: dict[str, Station], tariffs: dict[str, Tariff], books: dict[str, ReadingBook],
                areas: dict[str, TransformerArea], user: Any, errors: list[RowError]) -> dict[str, Any] | None:
    line = int(raw["_row"])
    start = len(errors)

    def err(field: str, code: str, message: str) -> None:
        errors.append(RowError(line, ACCOUNT_LABELS.get(field, field), code, message))

    for field in REQUIRED:
        if not raw.get(field, "").strip():
            err(field, "required", f"{ACCOUNT_LABELS[field]}不能为空")
    if len(errors) > start:
        return None
    values: dict[str, Any] = {"number": raw["number"].strip(), "name": raw["name"].strip(), "address": raw["address"].strip()}
    station = stations.get(raw["station"].strip())
    if station is None:
        err("station", "unknown_station", f"供电所编码 {raw['station']} 不存在或无权限")
    else:
        values["station"] = station
    tariff = tariffs.get(raw["tariff"].strip())
    if tariff is None:
        err("tariff", "unknown_tariff", f"电价编码 {raw['tariff']} 不存在")
    else:
        values["tariff"] = tariff
        values["category"] = tariff.category
    for key, catalogue, code in (("book", books, "unknown_book"), ("area", areas, "unknown_area")):
        text = raw.get(key, "").strip()
        if text:
            obj = catalogue.get(text)
            if obj is None or (station is not None and obj.station_id != station.pk):
                err(key, code, f"{ACCOUNT_LABELS[key]} {text} 不存在或不属于该供电所")
            else:
                values[key] = obj
    text = raw.get("capacity_kva", "").strip()
    if text:
        try:
            cap = Decimal(text)
            if cap < 0 or not cap.is_finite():
                raise InvalidOperation
            values["capacity_kva"] = cap
        except InvalidOperation:
            err("capacity_kva", "not_a_number", f"合同容量“{text}”不是有效数字")
    for key, enum in _CHOICES.items():
        text = raw.get(key, "").strip()
        if text:
            value = _choice(enum, text)
            if value is None:
                err(key, "bad_choice", f"{ACCOUNT_LABELS[key]}“{text}”无效，可选：{'、'.join(str(lbl) for _, lbl in enum.choices)}")
            else:
                values[key] = value
    text = raw.get("pf_standard", "").strip()
    if text:
        if text not in {c for c, _ in PfStandard.choices if c}:
            err("pf_standard", "bad_choice", f"功率因数考核标准“{text}”无效，可选：0.90、0.85、0.80 或空")
        else:
            values["pf_standard"] = text
    for key in ("connected_on", "valid_from"):
        text = raw.get(key, "").strip()
        if text:
            try:
                values[key] = dt.date.fromisoformat(text[:10])
            except ValueError:
                err(key, "bad_date", f"{ACCOUNT_LABELS[key]}“{text}”格式应为 YYYY-MM-DD")
    values["customer_number"] = raw.get("customer_number", "").strip() or values["number"]
    values["customer_name"] = raw.get("customer_name", "").strip() or values["name"]
    id_number = raw.get("id_number", "").strip()
    values["id_number"] = "" if "*" in id_number else id_number  # exports mask it; a mask is never stored
    values["phone"] = raw.get("phone", "").strip()
    return None if len(errors) > start else values


#: Dated facts (``customers.terms``) the account file may change, from its 变更生效日期 onward.
IMPORT_TERMS_FIELDS = ("capacity_kva", "metering_mode", "basic_charge_mode", "pf_standard")


def _terms_row_errors(values: dict[str, Any], old: Account, line: int) -> list[RowError]:
    """What an existing account's row may not change through a file, or not without an effective date.

    Billing reads the dated archive, never the account columns: a change of capacity, metering mode,
    basic-charge mode or PF standard is a dated change (``change_terms``) and needs its 变更生效日期; a
    class change (改类), a suspension or closure (status) and the connection date have their own
    workflows and are refused here.
    """
    errors = []
    number = old.number
    if "tariff" in values and old.tariff_id != values["tariff"].pk:
        # 改类 has its own approval workflow (four-eyes); an import may not change a class silently.
        errors.append(RowError(line, "电价编码", "class_change_needs_approval",
                               f"户号 {number} 的电价/用电类别变更须走改类流程，不能通过导入修改"))
    if "status" in values and values["status"] != old.status:
        errors.append(RowError(line, "状态", "status_change_needs_workflow",
                               f"户号 {number} 的暂停、恢复或销户须走业扩流程，不能通过导入修改"))
    if "connected_on" in values and values["connected_on"] != old.connected_on:
        errors.append(RowError(line, "立户日期", "connected_on_fixed", f"户号 {number} 的立户日期不能通过导入修改"))
    changed = [f for f in IMPORT_TERMS_FIELDS if f in values and getattr(old, f) != values[f]]
    if changed and "valid_from" not in values:
        names = "、".join(ACCOUNT_LABELS[f] for f in changed)
        errors.append(RowError(line, "变更生效日期", "valid_from_required",
                               f"户号 {number} 变更{names}须填写变更生效日期（计费按生效日期分段）"))
    elif changed and values["valid_from"] < old.connected_on:
        errors.append(RowError(line, "变更生效日期", "before_connection",
                               f"变更生效日期 {values['valid_from']} 早于立户日期 {old.connected_on}"))
    return errors


def import_accounts(filename: str, data: bytes, user: Any, *, on: dt.date) -> AccountImportResult:
    """Create or update accounts from a file: all rows or none.

    ``on`` is the business date: the connection date of new accounts without one, and the date from
    which a dated change already counts for the account's current columns.
    """
    require_perm(user, "customers.import_accounts")
    raw_rows = read_table(filename, data, ACCOUNT_ALIASES)
    errors = missing_columns(raw_rows, REQUIRED, ACCOUNT_LABELS)
    if errors:
        raise ImportRejected(errors)
    stations = {s.code: s for s in scope(Station.objects.all(), user, field="pk")}
    tariffs = {t.code: t for t in Tariff.objects.all()}
    books = {b.code: b for b in scope(ReadingBook.objects.all(), user)}
    areas = {a.code: a for a in scope(TransformerArea.objects.all(), user)}
    existing = {a.number: a for a in Account.objects.filter(number__in=[r.get("number", "").strip() for r in raw_rows])}
    seen: dict[str, int] = {}
    parsed = []
    for raw in raw_rows:
        number = raw.get("number", "").strip()
        if number and number in seen:
            errors.append(RowError(int(raw["_row"]), "户号", "duplicate_row", f"户号 {number} 与第 {seen[number]} 行重复"))
            continue
        seen[number] = int(raw["_row"])
        values = _row_values(raw, stations, tariffs, books, areas, user, errors)
        if values is None:
            continue
        old = existing.get(values["number"])
        if old is not None:
            try:
                check_station(user, old.station_id)
            except PermissionDenied:
                errors.append(RowError(int(raw["_row"]), "户号", "not_permitted", f"户号 {number} 属于其他供电所，无权修改"))
                continue
            row_errors = _terms_row_errors(values, old, int(raw["_row"]))
            if row_errors:
                errors.extend(row_errors)
                continue
        else:
            values.setdefault("connected_on", on)
        values["_row"] = int(raw["_row"])
        parsed.append(values)
    if errors:
        raise ImportRejected(errors)
    result = AccountImportResult(0, 0, 0)
    with transaction.atomic():
        for values in parsed:
            _apply_account(values, existing.get(values["number"]), user, result, on)
    return result


ACCOUNT_FIELDS = [
    "name", "address", "station", "area", "book", "tariff", "category", "capacity_kva", "metering_mode",
    "basic_charge_mode", "pf_standard", "status", "connected_on",
]


def _apply_account(
    values: dict[str, Any], account: Account | None, user: Any, result: AccountImportResult, on: dt.date
) -> None:
    customer, _ = Customer.objects.get_or_create(
        number=values["customer_number"],
        defaults={
            "station": values["station"], "name": values["customer_name"], "id_number": values["id_number"],
            "phone": values["phone"], "kind": "person",
        },
    )
    if account is None:
        fields = {k: values[k] for k in ACCOUNT_FIELDS if k in values}
        account = Account.objects.create(number=values["number"], customer=customer, **fields)
        result.created += 1
        log_change(user=user, obj_type="customers.account", obj_id=account.number, action="create",
                   station_id=account.station_id, summary=f"导入新增用电户 {account.number} {account.name}",
                   data={k: str(getattr(account, k)) for k in ACCOUNT_FIELDS})
        return
    dated = {f: values[f] for f in IMPORT_TERMS_FIELDS if f in values and getattr(account, f) != values[f]}
    changes = {}
    for key in ACCOUNT_FIELDS:
        if key in IMPORT_TERMS_FIELDS or key not in values or getattr(account, key) == values[key]:
            continue
        changes[key] = [str(getattr(account, key)), str(values[key])]
        setattr(account, key, values[key])
    if not changes and not dated:
        result.unchanged += 1
        return
    result.updated += 1
    if dated:
        try:
            change_terms(account, valid_from=values["valid_from"], changes=dated, reason="批量导入档案变更",
                         user=user, on=on)
        except ServiceError as exc:  # the transaction rolls back: still all or nothing
            raise ImportRejected([RowError(values["_row"], "变更生效日期", exc.code, exc.message)]) from None
    if not changes:
        return
    account.save(update_fields=list(changes))
    log_change(user=user, obj_type="customers.account", obj_id=account.number, action="update",
               station_id=account.station_id, summary=f"导入修改用电户 {account.number}", data=changes)


# ---------------------------------------------------------------------------------------------------
# Customers (客户): create and change, each with its change-log entry (UI, API and imports alike)
# ---------------------------------------------------------------------------------------------------

CUSTOMER_FIELDS = ["number", "name", "kind", "id_number", "phone", "station"]


def _customer_audit_value(customer: Customer, field: str) -> Any:
    if field == "station":
        return customer.station_id
    if field == "id_number":
        return customer.id_number_masked  # the log never holds a whole ID number
    return getattr(customer, field)


def create_customer(values: dict[str, Any], user: Any, *, on: dt.date) -> Customer:
    """A new customer of ``values["station"]`` (a Station); the change log records who, when and what."""
    require_perm(user, "customers.add_customer")
    check_station(user, values["station"].pk)
    with transaction.atomic():
        customer = Customer.objects.create(**{k: v for k, v in values.items() if k in CUSTOMER_FIELDS})
        log_change(
            user=user, obj_type="customers.customer", obj_id=customer.pk, action="create",
            station_id=customer.station_id, summary=f"新建客户 {customer.number} {customer.name}",
            data={f: _customer_audit_value(customer, f) for f in CUSTOMER_FIELDS},
        )
    return customer


def update_customer(customer: Customer, changes: dict[str, Any], user: Any, *, on: dt.date) -> Customer:
    """Change a customer's fields; only real changes are written, each as [before, after] in the log."""
    require_perm(user, "customers.change_customer")
    check_station(user, customer.station_id)
    if "station" in changes:
        check_station(user, changes["station"].pk)
    before = {f: _customer_audit_value(customer, f) for f in CUSTOMER_FIELDS}
    with transaction.atomic():
        for key, value in changes.items():
            if key in CUSTOMER_FIELDS:
                setattr(customer, key, value)
        customer.save()
        after = {f: _customer_audit_value(customer, f) for f in CUSTOMER_FIELDS}
        diff = {f: [before[f], after[f]] for f in CUSTOMER_FIELDS if before[f] != after[f]}
        if diff:
            log_change(
                user=user, obj_type="customers.customer", obj_id=customer.pk, action="update",
                station_id=customer.station_id, summary=f"修改客户 {customer.number}: {', '.join(diff)}", data=diff,
            )
    return customer
