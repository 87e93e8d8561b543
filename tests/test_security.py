"""Secure defaults: sign-in lock-out, NUL characters, the API's error shape, upload limits, headers."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from rest_framework.test import APIClient

from powercis.org.models import LoginFailure
from powercis.org.security import MAX_FAILURES
from powercis.tabular import MAX_FILE_BYTES, MAX_ROW_ERRORS, ImportRejected, RowError
from tests.factories import PASSWORD, world

pytestmark = pytest.mark.django_db


def test_sign_in_is_locked_after_repeated_failures_web_and_api():
    w = world()
    client = Client()
    for _ in range(MAX_FAILURES):
        response = client.post("/accounts/login/", {"username": "cashier_a", "password": "wrong"})
        assert response.status_code == 200
    assert LoginFailure.objects.filter(username="cashier_a").count() == MAX_FAILURES
    locked = client.post("/accounts/login/", {"username": "cashier_a", "password": PASSWORD})
    assert locked.status_code == 200 and locked.context["locked"]
    assert "已暂时锁定" in locked.content.decode()
    token = APIClient().post("/api/auth/token/", {"username": "cashier_a", "password": PASSWORD})
    assert token.status_code == 400 and token.json()["code"] == "invalid"
    # Another user is not affected, and signs in.
    assert Client().post("/accounts/login/", {"username": "billing_a", "password": PASSWORD}).status_code == 302
    assert w.user("billing").pk


def test_nul_character_is_a_clean_400_everywhere():
    w = world()
    api = APIClient()
    api.force_authenticate(w.user("billing"))
    response = api.get("/api/accounts/", {"name": "a\x00b"})
    assert response.status_code == 400 and response.json()["code"] == "nul_character"
    body = api.post("/api/payments/", {"account": 1, "amount": "1", "channel_ref": "x\x00"}, format="json")
    assert body.status_code == 400 and body.json()["code"] == "nul_character"
    page = Client()
    page.force_login(w.user("billing"))
    assert page.get("/accounts/", {"q": "\x00"}).status_code == 400


def test_api_errors_have_one_shape_in_chinese():
    w = world()
    api = APIClient()
    api.force_authenticate(w.user("billing"))
    missing = api.get("/api/no-such-endpoint/")
    assert missing.status_code == 404 and missing.json() == {"code": "not_found", "message": "未找到"}
    cashier = APIClient()
    cashier.force_authenticate(w.user("cashier"))
    bad = cashier.post("/api/payments/", {"account": "x"}, format="json")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid" and "details" in bad.json()


def test_import_error_list_is_capped_with_the_total():
    exc = ImportRejected([RowError(i, "户号", "bad", "错误") for i in range(MAX_ROW_ERRORS + 50)])
    assert len(exc.details) == MAX_ROW_ERRORS
    assert str(MAX_ROW_ERRORS + 50) in exc.message and exc.total == MAX_ROW_ERRORS + 50


def test_oversized_upload_is_refused_before_it_is_read():
    from django.core.files.uploadedfile import SimpleUploadedFile

    w = world()
    client = Client()
    client.force_login(w.user("desk"))
    big = SimpleUploadedFile("accounts.csv", b"x" * (MAX_FILE_BYTES + 1), content_type="text/csv")
    response = client.post("/accounts/import/", {"file": big})
    assert response.status_code == 200
    assert "文件过大" in response.content.decode()


def test_security_headers_and_local_assets():
    response = Client().get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    docs = Client().get("/api/docs/").content.decode()
    assert "cdn" not in docs.lower() and "/static/drf_spectacular_sidecar/" in docs


def test_no_fixed_secret_key():
    assert "powercis-dev-only" not in settings.SECRET_KEY and len(settings.SECRET_KEY) >= 50
    from powercis import settings as configured  # the module itself: conftest swaps hashers for speed

    assert configured.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
