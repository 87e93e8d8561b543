"""退补 through the API: request (computed), four-eyes approval, posting, scoping."""

from __future__ import annotations

import pytest

from powercis.billing.models import Bill, BillStatus
from powercis.payments.services import check_ledger

from .test_billing_payments import billed, released  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

METER_SLOW = {"type": "error_percent", "error_percent": "-10", "metered_kwh": 900, "half_period": True}


@pytest.fixture
def issued(billed, world, client_for):  # type: ignore[no-untyped-def]  # noqa: F811
    for bill in Bill.objects.filter(status=BillStatus.FLAGGED):
        client_for("billing").post(f"/api/bills/{bill.pk}/approve/", {"note": "已核对"}, format="json")
    client_for("billing").post("/api/bills/issue/", {"period": world.period, "books": [world.book_a.pk]}, format="json")
    return world


def test_meter_error_request_and_four_eyes_approval(issued, client_for) -> None:  # type: ignore[no-untyped-def]
    bill = Bill.objects.get(account__number="R001", kind="regular")
    body = {"kind": "meter_error", "bill": bill.pk, "cause": "电能表慢 10%", "evidence": "校验报告", "calc_input": METER_SLOW,
            "price": "0.5283"}
    response = client_for("billing").post("/api/adjustments/", body, format="json")
    assert response.status_code == 201, response.content
    adj = response.json()
    assert adj["kwh"] == "50.00" and adj["amount"] == "26.42" and adj["status"] == "pending"
    assert client_for("billing").post(f"/api/adjustments/{adj['id']}/approve/", {"note": "自批"}, format="json").status_code == 403
    response = client_for("head").post(f"/api/adjustments/{adj['id']}/approve/", {"note": "同意"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "approved" and len(response.json()["posted_bills"]) == 1
    assert Bill.objects.get(kind="adjust").total.to_eng_string() == "26.42"
    assert check_ledger() == []


def test_requests_are_scoped_and_validated(issued, client_for) -> None:  # type: ignore[no-untyped-def]
    bill_b_account = issued.accounts["RB01"]
    body = {"kind": "meter_error", "account": bill_b_account.pk, "cause": "x", "evidence": "y", "calc_input": METER_SLOW,
            "price": "0.5"}
    assert client_for("billing").post("/api/adjustments/", body, format="json").status_code == 404
    body = {"kind": "recalc", "cause": "x", "evidence": "y"}
    response = client_for("billing").post("/api/adjustments/", body, format="json")
    assert response.status_code == 400 and response.json()["code"] == "missing_field"
    body = {"kind": "meter_error", "account": issued.accounts["R001"].pk, "cause": "x", "evidence": "y",
            "calc_input": {"type": "error_percent"}, "price": "0.5"}
    response = client_for("billing").post("/api/adjustments/", body, format="json")
    assert response.status_code == 400 and "计算失败" in response.json()["message"]
    assert client_for("reader").post("/api/adjustments/", body, format="json").status_code == 403
