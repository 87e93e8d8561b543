"""The monthly cycle through the API: readings → release → billing run → issue → payment → balance."""

from __future__ import annotations

import pytest

from powercis.billing.models import Bill
from powercis.payments.models import Payment
from powercis.payments.services import check_ledger
from tests.factories import bulk_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def released(world, client_for):  # type: ignore[no-untyped-def]
    """Plan A read (R001 234.5, R002 40, C001 50 kWh) and released to billing."""
    body = {"plan": world.plan_a.pk, "rows": bulk_rows("1234.5", "999990", "1050")}
    assert client_for("reader").post("/api/readings/bulk/", body, format="json").status_code == 201
    assert client_for("billing").post(f"/api/plans/{world.plan_a.pk}/release/").status_code == 200
    return world


@pytest.fixture
def billed(released, client_for):  # type: ignore[no-untyped-def]
    response = client_for("billing").post(
        "/api/billing-runs/", {"period": released.period, "books": [released.book_a.pk]}, format="json"
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_billing_run_makes_bills(released, billed, client_for) -> None:  # type: ignore[no-untyped-def]
    assert billed["bills_created"] == 3 and billed["status"] == "done" and billed["errors"] == []
    assert billed["books"] == [released.book_a.pk] and billed["station"] == released.station_a.pk
    client = client_for("billing")
    bills = client.get(f"/api/bills/?period={released.period}").json()
    assert bills["count"] == 3
    first = next(b for b in bills["results"] if b["account_number"] == "R001")
    assert first["total"] == "123.89" and first["energy_kwh"] == "234.50" and first["status"] == "approved"
    detail = client.get(f"/api/bills/{first['id']}/").json()
    assert [(ln["item"], ln["amount"]) for ln in detail["lines"]] == [("energy:tier1", "123.89")]
    assert detail["paid"] == "0.00" and detail["rating_input"]["readings"][0]["current"] == "1234.50"
    # Station B sees none of them; a rerun writes nothing twice.
    assert client_for("reader", "b").get("/api/bills/").json()["count"] == 0
    assert client_for("reader", "b").get(f"/api/bills/{first['id']}/").status_code == 404
    again = client.post("/api/billing-runs/", {"period": released.period, "books": [released.book_a.pk]}, format="json")
    assert again.status_code == 201 and again.json()["bills_created"] == 0
    assert Bill.objects.count() == 3
    assert client.get("/api/billing-runs/").json()["count"] == 2


def test_billing_run_refusals(released, client_for) -> None:  # type: ignore[no-untyped-def]
    body = {"period": released.period, "books": [released.book_a.pk]}
    assert client_for("reader").post("/api/billing-runs/", body, format="json").status_code == 403
    other = {"period": released.period, "books": [released.book_b.pk]}
    assert client_for("billing").post("/api/billing-runs/", other, format="json").status_code == 404
    unreleased = client_for("billing", "co").post("/api/billing-runs/", other, format="json")
    assert unreleased.status_code == 400 and unreleased.json()["code"] == "book_not_released"
    mixed = client_for("billing", "co").post(
        "/api/billing-runs/", {"period": released.period, "books": [released.book_a.pk, released.book_b.pk]}, format="json"
    )
    assert mixed.status_code == 400 and mixed.json()["code"] == "mixed_stations"
    bad = client_for("billing").post("/api/billing-runs/", {"period": "2024/05", "books": [released.book_a.pk]},
                                       format="json")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_period"
    assert Bill.objects.count() == 0


def test_approve_flagged_bill(billed, client_for) -> None:  # type: ignore[no-untyped-def]
    bill = Bill.objects.get(account__number="R001")
    client = client_for("billing")
    not_flagged = client.post(f"/api/bills/{bill.pk}/approve/", {"note": "已核实"}, format="json")
    assert not_flagged.status_code == 400 and not_flagged.json()["code"] == "not_flagged"
    Bill.objects.filter(pk=bill.pk).update(status="flagged")
    assert client_for("cashier").post(f"/api/bills/{bill.pk}/approve/", {"note": "x"}, format="json").status_code == 403
    ok = client.post(f"/api/bills/{bill.pk}/approve/", {"note": "已核实"}, format="json")
    assert ok.status_code == 200, ok.content
    assert ok.json()["status"] == "approved"


def test_payment_idempotent_and_balance(released, billed, client_for) -> None:  # type: ignore[no-untyped-def]
    billing = client_for("billing")
    issued = billing.post("/api/bills/issue/", {"period": released.period, "books": [released.book_a.pk]}, format="json")
    assert issued.status_code == 200 and issued.json() == {"issued": 3}
    account = released.accounts["R001"]

    balance = billing.get(f"/api/accounts/{account.pk}/balance/").json()
    assert balance["receivable"] == "123.89" and balance["owed"] == "123.89"
    assert [(b["period"], b["open_amount"]) for b in balance["open_bills"]] == [(released.period, "123.89")]

    cashier = client_for("cashier")
    body = {"account": account.pk, "amount": "200.00", "method": "cash", "channel_ref": "BANK-0001"}
    first = cashier.post("/api/payments/", body, format="json")
    assert first.status_code == 201, first.content
    payment = first.json()
    assert payment["amount"] == "200.00"
    assert [(a["period"], a["amount"]) for a in payment["allocations"]] == [(released.period, "123.89")]
    second = cashier.post("/api/payments/", body, format="json")
    assert second.status_code == 200
    assert second.json()["id"] == payment["id"] and second.json()["receipt_no"] == payment["receipt_no"]
    assert Payment.objects.count() == 1

    clash = cashier.post("/api/payments/", {**body, "amount": "10.00"}, format="json")
    assert clash.status_code == 400 and clash.json()["code"] == "duplicate_ref"

    balance = cashier.get(f"/api/accounts/{account.pk}/balance/").json()
    assert balance == {
        "account": account.pk, "number": "R001", "receivable": "0.00", "prepaid": "76.11", "owed": "-76.11",
        "open_bills": [],
    }
    ledger = cashier.get(f"/api/accounts/{account.pk}/ledger/").json()
    assert ledger["count"] == 6  # issue, payment, allocation: two postings each
    assert {(p["kind"], p["ledger"], p["amount"]) for p in ledger["results"]} >= {("payment", "prepaid", "-200.00")}
    assert cashier.get("/api/payments/?channel_ref=BANK-0001").json()["count"] == 1
    assert check_ledger() == []


def test_payment_refusals(world, client_for) -> None:  # type: ignore[no-untyped-def]
    body = {"account": world.accounts["R001"].pk, "amount": "10.00", "channel_ref": "R1"}
    assert client_for("reader").post("/api/payments/", body, format="json").status_code == 403
    other = {**body, "account": world.accounts["RB01"].pk}
    assert client_for("cashier").post("/api/payments/", other, format="json").status_code == 404
    zero = client_for("cashier").post("/api/payments/", {**body, "amount": "0"}, format="json")
    assert zero.status_code == 400 and zero.json()["code"] == "invalid_amount"
    fraction = client_for("cashier").post("/api/payments/", {**body, "amount": "1.005"}, format="json")
    assert fraction.status_code == 400 and fraction.json()["code"] == "invalid"
    assert Payment.objects.count() == 0
