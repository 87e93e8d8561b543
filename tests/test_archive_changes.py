"""Changes of the dated archive from every door: the account file, the 档案变更 page and the API.

Each door goes through ``customers.terms.change_terms``: the change is dated, logged, scoped, and a class
change needs a second person.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from powercis.audit.models import ChangeLog
from powercis.customers.models import Account, AccountTerms
from powercis.customers.services import ACCOUNT_COLUMNS, import_accounts
from powercis.customers.terms import change_terms, sync_account_copies, terms_on
from powercis.services import ServiceError
from powercis.tabular import ImportRejected
from tests.factories import csv_bytes, make_user, world

pytestmark = pytest.mark.django_db
HEADERS = [label for _, label in ACCOUNT_COLUMNS]
ON = dt.date(2026, 3, 1)


def _row(account: Account, **values: str) -> list[str]:
    base = {"number": account.number, "name": account.name, "station": "SA", "tariff": account.tariff.code,
            "address": account.address, "book": "BA01"}
    base.update(values)
    return [base.get(name, "") for name, _ in ACCOUNT_COLUMNS]


def test_import_changes_capacity_from_its_effective_date_only():
    w = world()
    c001 = w.accounts["C001"]
    rows = [HEADERS, _row(c001, capacity_kva="80", valid_from="2026-03-11")]
    result = import_accounts("a.csv", csv_bytes(rows), w.user("desk"), on=ON)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    assert terms_on(c001, dt.date(2026, 3, 10)).capacity_kva == Decimal("50")  # type: ignore[union-attr]
    assert terms_on(c001, dt.date(2026, 3, 11)).capacity_kva == Decimal("80")  # type: ignore[union-attr]
    c001.refresh_from_db()
    assert c001.capacity_kva == Decimal("50")  # the list's copy follows on the day, not before
    assert sync_account_copies(None, dt.date(2026, 3, 11)) == 1
    c001.refresh_from_db()
    assert c001.capacity_kva == Decimal("80")
    entry = ChangeLog.objects.filter(object_type="customers.account", object_id="C001").latest("id")
    assert entry.data["valid_from"] == "2026-03-11" and entry.data["after"] == {"capacity_kva": "80"}


def test_import_refuses_undated_terms_changes_and_workflow_fields():
    w = world()
    c001, r001 = w.accounts["C001"], w.accounts["R001"]
    rows = [
        HEADERS,
        _row(c001, capacity_kva="80"),  # no 变更生效日期
        _row(r001, status="暂停"),  # suspension is a workflow
        _row(w.accounts["R002"], connected_on="2021-01-01"),
        _row(w.accounts["I001"], pf_standard="0.85", valid_from="2019-12-31"),  # before the connection
    ]
    before = AccountTerms.objects.count()
    with pytest.raises(ImportRejected) as info:
        import_accounts("a.csv", csv_bytes(rows), w.user("desk"), on=ON)
    assert [(e.row, e.code) for e in info.value.errors] == [
        (2, "valid_from_required"),
        (3, "status_change_needs_workflow"),
        (4, "connected_on_fixed"),
        (5, "before_connection"),
    ]
    assert AccountTerms.objects.count() == before
    c001.refresh_from_db()
    assert c001.capacity_kva == Decimal("50")


def test_class_change_needs_a_second_person():
    w = world()
    r001 = w.accounts["R001"]
    desk = w.user("desk")
    with pytest.raises(ServiceError) as info:
        change_terms(r001, valid_from=ON, changes={"tariff": "COM"}, reason="改类", user=desk, on=ON)
    assert info.value.code == "four_eyes"
    with pytest.raises(ServiceError):
        change_terms(r001, valid_from=ON, changes={"tariff": "COM"}, reason="改类", user=desk, on=ON, approved_by=desk)
    other = make_user("desk2_a", w.company, w.station_a, "desk")
    row = change_terms(r001, valid_from=ON, changes={"tariff": "COM"}, reason="改类", user=desk, on=ON,
                       approved_by=other)
    assert row.category == "commercial"
    assert ChangeLog.objects.filter(object_id="R001").latest("id").data["approved_by"] == "desk2_a"


def test_terms_page_records_a_dated_change_and_shows_the_history():
    w = world()
    c001 = w.accounts["C001"]
    client = Client()
    client.force_login(w.user("desk"))
    url = reverse("customers:terms_change", args=[c001.pk])
    form = client.get(url).context["form"]
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    data.update({"valid_from": "2026-03-11", "capacity_kva": "100", "pf_standard": "0.85", "reason": "增容"})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    row = terms_on(c001, dt.date(2026, 3, 11))
    assert row is not None and row.capacity_kva == Decimal("100") and row.pf_standard == "0.85"
    assert terms_on(c001, dt.date(2026, 3, 10)).capacity_kva == Decimal("50")  # type: ignore[union-attr]
    page = client.get(reverse("customers:account", args=[c001.pk])).content.decode()
    assert "2026-03-11" in page and "增容" in page and "50 → 100" in page
    # A reader may look but not change; another station's user finds nothing.
    reader = Client()
    reader.force_login(w.user("reader"))
    assert reader.get(url).status_code == 403
    other = Client()
    other.force_login(w.user("desk", "b"))
    assert other.get(url).status_code == 404


def test_terms_api_lists_and_changes_within_scope():
    w = world()
    c001 = w.accounts["C001"]
    api = APIClient()
    api.force_authenticate(w.user("desk"))
    listed = api.get(f"/api/accounts/{c001.pk}/terms/")
    assert listed.status_code == 200 and [r["valid_from"] for r in listed.json()] == ["2020-01-01"]
    body = {"valid_from": "2026-03-11", "changes": {"capacity_kva": "120"}, "reason": "增容"}
    created = api.post(f"/api/accounts/{c001.pk}/terms/", body, format="json")
    assert created.status_code == 201 and created.json()["capacity_kva"] == "120.00"
    klass = api.post(f"/api/accounts/{c001.pk}/terms/", {**body, "changes": {"tariff": "RES"}}, format="json")
    assert klass.status_code == 403 and klass.json()["code"] == "four_eyes"
    reader = APIClient()
    reader.force_authenticate(w.user("reader"))
    assert reader.get(f"/api/accounts/{c001.pk}/terms/").status_code == 200
    assert reader.post(f"/api/accounts/{c001.pk}/terms/", body, format="json").status_code == 403
    other = APIClient()
    other.force_authenticate(w.user("desk", "b"))
    assert other.post(f"/api/accounts/{c001.pk}/terms/", body, format="json").status_code == 404
