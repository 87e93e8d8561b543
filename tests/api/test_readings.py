"""Reading entry through the API: all rows or none, with every bad row reported."""

from __future__ import annotations

import pytest

from powercis.core.periods import shift_period
from powercis.reading.models import Reading, ReadingPlan, ReadingSource
from tests.factories import bulk_rows

pytestmark = pytest.mark.django_db


def entered() -> int:
    return Reading.objects.exclude(source=ReadingSource.INITIAL).count()


def test_bulk_with_a_bad_row_writes_nothing(world, client_for) -> None:  # type: ignore[no-untyped-def]
    body = {"plan": world.plan_a.pk, "rows": bulk_rows("1234.5", "abc", "1100")}
    response = client_for("reader").post("/api/readings/bulk/", body, format="json")
    assert response.status_code == 400, response.content
    error = response.json()
    assert error["code"] == "import_rejected"
    assert error["details"] == [
        {"row": 2, "column": "有功总", "code": "not_a_number", "message": error["details"][0]["message"]}
    ]
    assert "abc" in error["details"][0]["message"]
    assert entered() == 0


def test_bulk_reports_every_bad_row(world, client_for) -> None:  # type: ignore[no-untyped-def]
    body = {"plan": world.plan_a.pk, "rows": [*bulk_rows("1234.567", ""), {"account": "RB01", "total": "1"}, {"total": "5"}]}
    response = client_for("reader").post("/api/readings/bulk/", body, format="json")
    assert response.status_code == 400
    codes = [(d["row"], d["code"]) for d in response.json()["details"]]
    assert codes == [(1, "too_many_decimals"), (2, "missing_value"), (3, "unknown_account"), (4, "missing_account")]
    assert entered() == 0


def test_bulk_good_rows_are_created_once(world, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("reader")
    body = {"plan": world.plan_a.pk, "rows": bulk_rows("1234.5", "999990", 1050)}
    response = client.post("/api/readings/bulk/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json() == {"plan": world.plan_a.pk, "created": 3, "unchanged": 0, "exceptions": 0}
    assert entered() == 3
    reading = Reading.objects.get(point__account__number="R001", period=world.period)
    assert str(reading.kwh) == "234.50"

    again = client.post("/api/readings/bulk/", body, format="json")
    assert again.status_code == 200
    assert again.json()["unchanged"] == 3
    assert entered() == 3

    listed = client.get(f"/api/readings/?period={world.period}&account_number=R001").json()
    assert listed["count"] == 1
    assert listed["results"][0]["value"] == "1234.50"
    assert listed["results"][0]["kwh"] == "234.50"


def test_bulk_plan_by_book_and_period(world, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("reader")
    later = shift_period(world.period, 1)
    bad = client.post("/api/readings/bulk/", {"plan": {"book": "BA01", "period": later}, "rows": bulk_rows("x")}, format="json")
    assert bad.status_code == 400
    assert not ReadingPlan.objects.filter(period=later).exists()  # the plan is not left behind either

    body = {"plan": {"book": "BA01", "period": world.period}, "rows": bulk_rows("1200", "999990", "1200")}
    response = client.post("/api/readings/bulk/", body, format="json")
    assert response.status_code == 201
    assert response.json()["plan"] == world.plan_a.pk

    assert client.post("/api/readings/bulk/", {"plan": {"book": "BB01", "period": world.period}, "rows": []},
                       format="json").status_code == 404
    wrong = client.post("/api/readings/bulk/", {"plan": {"book": "BA01", "period": "2024-13"}, "rows": []}, format="json")
    assert wrong.status_code == 400 and wrong.json()["code"] == "invalid_period"
    missing = client.post("/api/readings/bulk/", {"plan": "nonsense", "rows": []}, format="json")
    assert missing.status_code == 400 and missing.json()["code"] == "invalid_plan"


def test_bulk_permissions_and_scope(world, client_for) -> None:  # type: ignore[no-untyped-def]
    body = {"plan": world.plan_a.pk, "rows": bulk_rows("1200")}
    assert client_for("cashier").post("/api/readings/bulk/", body, format="json").status_code == 403
    assert client_for("reader", "b").post("/api/readings/bulk/", body, format="json").status_code == 404
    assert entered() == 0


def test_import_file(world, client_for) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for("reader")
    bad = "户号,有功总\nR001,1234.5\nR002,-1\nC001,1100\n".encode()
    response = client.post(
        "/api/readings/import/",
        {"plan": world.plan_a.pk, "file": SimpleUploadedFile("readings.csv", bad, "text/csv")},
        format="multipart",
    )
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "import_rejected"
    assert [(d["row"], d["column"], d["code"]) for d in response.json()["details"]] == [(3, "有功总", "negative_value")]
    assert entered() == 0

    good = "户号,有功总\nR001,1234.5\nR002,999990\nC001,1100\n".encode("gb18030")
    response = client.post(
        "/api/readings/import/",
        {"book": "BA01", "period": world.period, "file": SimpleUploadedFile("readings.csv", good, "text/csv")},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    assert response.json()["created"] == 3
    assert Reading.objects.filter(source=ReadingSource.IMPORT).count() == 3


def test_import_needs_a_file(world, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("reader").post("/api/readings/import/", {"plan": world.plan_a.pk}, format="multipart")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and "file" in response.json()["details"]


def test_plan_release_permission(world, client_for) -> None:  # type: ignore[no-untyped-def]
    url = f"/api/plans/{world.plan_a.pk}/release/"
    assert client_for("reader").post(url).status_code == 403
    early = client_for("billing").post(url)
    assert early.status_code == 400 and early.json()["code"] == "readings_missing"
    client_for("reader").post("/api/readings/bulk/", {"plan": world.plan_a.pk, "rows": bulk_rows("1200", "999990", "1200")},
                                format="json")
    done = client_for("billing").post(url)
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "released"
    assert done.json()["progress"]["read"] == 3
    late = client_for("reader").post("/api/readings/bulk/", {"plan": world.plan_a.pk, "rows": bulk_rows("1300")}, format="json")
    assert late.status_code == 400 and late.json()["code"] == "plan_closed"


def test_exception_resolve(world, client_for) -> None:  # type: ignore[no-untyped-def]
    body = {"plan": world.plan_a.pk, "rows": bulk_rows("900", "999990", "1100")}
    response = client_for("reader").post("/api/readings/bulk/", body, format="json")
    assert response.status_code == 201 and response.json()["exceptions"] >= 1
    listed = client_for("billing").get(f"/api/reading-exceptions/?plan={world.plan_a.pk}&status=open").json()
    assert listed["count"] >= 1 and listed["results"][0]["account_number"] == "R001"
    exc_id = listed["results"][0]["id"]
    assert client_for("reader", "b").get(f"/api/reading-exceptions/{exc_id}/").status_code == 404
    assert client_for("reader").post(f"/api/reading-exceptions/{exc_id}/resolve/", {"note": "x"}, format="json").status_code == 403
    empty = client_for("billing").post(f"/api/reading-exceptions/{exc_id}/resolve/", {"note": " "}, format="json")
    assert empty.status_code == 400 and empty.json()["code"] == "note_required"
    ok = client_for("billing").post(f"/api/reading-exceptions/{exc_id}/resolve/", {"note": "现场核实, 表计已更换"}, format="json")
    assert ok.status_code == 200, ok.content
    assert ok.json()["status"] == "accepted"
