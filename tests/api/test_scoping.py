"""Station scoping and permissions: the API shows and changes exactly what the UI would."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from powercis.audit.models import ChangeLog
from powercis.customers.models import Customer

pytestmark = pytest.mark.django_db


def numbers(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content
    return [r["number"] for r in response.json()["results"]]


def test_anonymous_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    assert APIClient().get("/api/accounts/").status_code in (401, 403)


def test_list_shows_only_own_station(world, client_for) -> None:  # type: ignore[no-untyped-def]
    assert numbers(client_for("reader").get("/api/accounts/")) == ["C001", "R001", "R002"]
    assert numbers(client_for("reader", "b").get("/api/accounts/")) == ["RB01"]
    assert numbers(client_for("billing", "co").get("/api/accounts/")) == ["C001", "R001", "R002", "RB01"]
    # A filter naming the other station finds nothing rather than leaking it.
    assert numbers(client_for("reader").get(f"/api/accounts/?station={world.station_b.pk}")) == []
    assert numbers(client_for("reader").get("/api/customers/")) == ["CC001", "CR001", "CR002"]


def test_list_filters(world, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("billing", "co")
    assert numbers(client.get("/api/accounts/?number=R002")) == ["R002"]
    assert numbers(client.get(f"/api/accounts/?book={world.book_b.pk}")) == ["RB01"]
    assert numbers(client.get("/api/accounts/?book_code=BA01&status=active")) == ["C001", "R001", "R002"]
    bad = client.get("/api/accounts/?station=abc")
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid_filter"


def test_money_is_a_string(world, client_for) -> None:  # type: ignore[no-untyped-def]
    account = client_for("reader").get(f"/api/accounts/{world.accounts['R001'].pk}/").json()
    assert account["capacity_kva"] == "0.00"
    assert account["status"] == "active"


@pytest.mark.parametrize(
    "url",
    ["/api/accounts/{account}/", "/api/customers/{customer}/", "/api/accounts/{account}/balance/",
     "/api/accounts/{account}/ledger/", "/api/books/{book}/", "/api/metering-points/{point}/"],
)
def test_retrieve_other_station_is_404(world, client_for, url: str) -> None:  # type: ignore[no-untyped-def]
    b = world.accounts["RB01"]
    target = url.format(account=b.pk, customer=b.customer_id, book=world.book_b.pk, point=b.points.get().pk)
    response = client_for("reader").get(target)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"  # one error shape: stable code + message
    assert client_for("reader", "b").get(target).status_code == 200


def test_readings_and_plans_are_scoped(world, client_for) -> None:  # type: ignore[no-untyped-def]
    readings = client_for("reader").get("/api/readings/").json()
    assert {r["account_number"] for r in readings["results"]} == {"C001", "R001", "R002"}
    plans = client_for("reader", "b").get("/api/plans/").json()
    assert plans["count"] == 0
    assert client_for("reader", "b").get(f"/api/plans/{world.plan_a.pk}/").status_code == 404


def test_customer_write_needs_permission(world, client_for) -> None:  # type: ignore[no-untyped-def]
    body = {"number": "C9", "name": "新客户", "kind": "person", "station": world.station_a.pk, "id_number": "110101199001019999"}
    assert client_for("reader").post("/api/customers/", body, format="json").status_code == 403
    assert not Customer.objects.filter(number="C9").exists()

    created = client_for("desk").post("/api/customers/", body, format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert "id_number" not in data and data["id_number_masked"] == "110" + "*" * 11 + "9999"
    log = ChangeLog.objects.filter(object_type="customers.customer", object_id=str(data["id"]))
    assert log.get().action == "create"

    changed = client_for("desk").patch(f"/api/customers/{data['id']}/", {"phone": "13900000000"}, format="json")
    assert changed.status_code == 200, changed.content
    assert log.filter(action="update").get().data == {"phone": ["", "13900000000"]}
    assert client_for("reader").patch(f"/api/customers/{data['id']}/", {"phone": "1"}, format="json").status_code == 403


def test_customer_write_other_station_refused(world, client_for) -> None:  # type: ignore[no-untyped-def]
    desk = client_for("desk")
    body = {"number": "C8", "name": "乙所客户", "station": world.station_b.pk}
    assert desk.post("/api/customers/", body, format="json").status_code == 403
    assert desk.patch(f"/api/customers/{world.accounts['RB01'].customer_id}/", {"phone": "1"}, format="json").status_code == 404
    mine = world.accounts["R001"].customer_id
    assert desk.patch(f"/api/customers/{mine}/", {"station": world.station_b.pk}, format="json").status_code == 403
    assert Customer.objects.get(pk=mine).station_id == world.station_a.pk


def test_validation_errors_have_the_error_shape(world, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("desk").post("/api/customers/", {"name": "缺编号"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and "number" in body["details"]


def test_accounts_are_read_only(world, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("desk").post("/api/accounts/", {"number": "X"}, format="json")
    assert response.status_code == 405
