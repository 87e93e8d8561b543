"""Account import/export: the file round-trips; bad rows are all reported and nothing is written."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from powercis.audit.models import ChangeLog
from powercis.customers.models import Account
from powercis.customers.services import ACCOUNT_COLUMNS, import_accounts
from powercis.customers.tables import account_file
from powercis.tabular import ImportRejected
from tests.factories import csv_bytes, world

pytestmark = pytest.mark.django_db
HEADERS = [label for _, label in ACCOUNT_COLUMNS]


def _row(**values: str) -> list[str]:
    base = {"number": "N001", "name": "新户", "station": "SA", "tariff": "RES", "address": "新街1号", "book": "BA01"}
    base.update(values)
    return [base.get(name, "") for name, _ in ACCOUNT_COLUMNS]


def test_export_then_import_changes_nothing():
    w = world()
    data = account_file(list(Account.objects.filter(station=w.station_a).order_by("number")))
    assert load_workbook(io.BytesIO(data)).worksheets[0].cell(1, 1).value == "户号"
    result = import_accounts("accounts.xlsx", data, w.user("desk"), on=dt.date(2026, 3, 1))
    assert (result.created, result.updated, result.unchanged) == (0, 0, 4)


def test_new_and_changed_accounts_are_logged():
    w = world()
    before = ChangeLog.objects.count()
    rows = [HEADERS, _row(), _row(number="R001", name="改名户", address="东湖路1号")]
    result = import_accounts("a.csv", csv_bytes(rows), w.user("desk"), on=dt.date(2026, 3, 1))
    assert (result.created, result.updated) == (1, 1)
    assert Account.objects.get(number="R001").name == "改名户"
    assert ChangeLog.objects.count() == before + 2


def test_every_bad_row_is_reported_and_nothing_written():
    w = world()
    rows = [
        HEADERS,
        _row(),
        _row(number="N002", tariff="NOPE"),
        _row(number="N003", capacity_kva="abc"),
        _row(number="N001"),
        _row(number="R001", tariff="COM"),  # a class change may not come through an import
        _row(number="RB01", station="SA"),  # station B's account
    ]
    with pytest.raises(ImportRejected) as info:
        import_accounts("a.csv", csv_bytes(rows, "gbk"), w.user("desk"), on=dt.date(2026, 3, 1))
    assert [(e.row, e.code) for e in info.value.errors] == [
        (3, "unknown_tariff"),
        (4, "not_a_number"),
        (5, "duplicate_row"),
        (6, "class_change_needs_approval"),
        (7, "not_permitted"),
    ]
    assert not Account.objects.filter(number="N001").exists()
    assert Account.objects.get(number="R001").tariff.code == "RES"
