"""OpenAPI schema, token authentication and the trial calculator."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

PATHS = [
    "/api/customers/", "/api/customers/{id}/", "/api/accounts/", "/api/accounts/{id}/balance/",
    "/api/accounts/{id}/ledger/", "/api/readings/", "/api/readings/bulk/", "/api/readings/import/", "/api/plans/",
    "/api/plans/{id}/release/", "/api/bills/", "/api/bills/{id}/", "/api/bills/{id}/approve/", "/api/billing-runs/",
    "/api/payments/", "/api/calc/", "/api/auth/token/",
]


def test_schema_json_is_public() -> None:
    response = APIClient().get("/api/schema/?format=json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    for path in PATHS:
        assert path in schema["paths"], path


def test_schema_generator_has_paths() -> None:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path in PATHS:
        assert path in schema["paths"], path
    bulk = schema["paths"]["/api/readings/bulk/"]["post"]
    assert "ReadingBulkRequest" in json.dumps(bulk["requestBody"])
    assert "multipart/form-data" in schema["paths"]["/api/readings/import/"]["post"]["requestBody"]["content"]


def test_schema_has_no_warnings_or_errors(tmp_path: Path) -> None:
    # --fail-on-warn raises on any warning or error; --validate checks it against the OpenAPI spec.
    call_command("spectacular", "--fail-on-warn", "--validate", "--format", "openapi-json", "--file",
                 str(tmp_path / "schema.json"))
    assert json.loads((tmp_path / "schema.json").read_text())["paths"]


def test_token_auth(world) -> None:  # type: ignore[no-untyped-def]
    anonymous = APIClient()
    refused = anonymous.post("/api/auth/token/", {"username": "reader_a", "password": "wrong"}, format="json")
    assert refused.status_code == 400
    response = anonymous.post("/api/auth/token/", {"username": "reader_a", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    accounts = client.get("/api/accounts/")
    assert accounts.status_code == 200
    assert [a["number"] for a in accounts.json()["results"]] == ["C001", "R001", "R002"]
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert bad.get("/api/accounts/").status_code in (401, 403)


def test_calc(world, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("manager")
    case = json.loads((Path(settings.SHARED_DIR) / "cases" / "MULT-01.json").read_text())
    response = client.post("/api/calc/", {"kind": case["kind"], "date": case["date"], "input": case["input"]}, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == {"result": case["expected"]}

    unknown = client.post("/api/calc/", {"kind": "nope", "input": {}}, format="json")
    assert unknown.status_code == 400 and unknown.json()["code"] == "unknown_kind"
    missing = client.post("/api/calc/", {"kind": "energy", "input": {}}, format="json")
    assert missing.status_code == 400 and set(missing.json()) >= {"code", "message"}
    assert APIClient().post("/api/calc/", {"kind": "energy", "input": {}}, format="json").status_code in (401, 403)
