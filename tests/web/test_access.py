"""Every screen: login required, 403 without the permission, 404 for another station's records."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from tests.web.factories import run_cycle

PAGES = [
    ("web:home", []),
    ("web:accounts", []),
    ("web:books", []),
    ("web:exceptions", []),
    ("web:billing", []),
    ("web:review", []),
    ("web:counter", []),
]


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_login_required(db, name, args):
    r = Client().get(reverse(name, args=args))
    assert r.status_code == 302
    assert r["Location"].startswith(reverse("login"))


def test_login_page_is_chinese(db):
    text = Client().get(reverse("login")).content.decode()
    assert "电力营销业务系统" in text and "用户名" in text and "密码" in text


@pytest.mark.parametrize(
    ("role", "name", "allowed"),
    [
        ("reader", "web:books", True),
        ("reader", "web:accounts", True),
        ("reader", "web:exceptions", False),
        ("reader", "web:billing", False),
        ("reader", "web:review", False),
        ("reader", "web:counter", False),
        ("reader", "web:account_import", False),
        ("billing", "web:exceptions", True),
        ("billing", "web:billing", True),
        ("billing", "web:review", True),
        ("billing", "web:counter", False),
        ("cashier", "web:counter", True),
        ("cashier", "web:billing", False),
        ("cashier", "web:exceptions", False),
    ],
)
def test_permission(login, role, name, allowed):
    r = login(role).get(reverse(name))
    assert r.status_code == (200 if allowed else 403)
    if not allowed:
        assert "无权访问" in r.content.decode()


def test_actions_need_permission(world, login):
    plan_args = [world.book_a.pk, world.period]
    cashier = login("cashier")
    assert cashier.post(reverse("web:plan_entry", args=plan_args), {}).status_code == 403
    assert cashier.post(reverse("web:plan_import", args=plan_args), {}).status_code == 403
    reader = login("reader")
    assert reader.post(reverse("web:plan_release", args=plan_args)).status_code == 403
    assert reader.post(reverse("web:review_issue"), {"period": world.period}).status_code == 403
    assert reader.post(reverse("web:counter_pay", args=[world.accounts[0].pk]), {}).status_code == 403
    assert reader.post(reverse("web:billing"), {"period": world.period}).status_code == 403


def test_menu_follows_roles(login):
    reader = login("reader").get(reverse("web:home")).content.decode()
    assert "抄表" in reader and reverse("web:billing") not in reader and reverse("web:counter") not in reader
    assert "刘抄表" in reader and "城东供电所" in reader and "抄表员" in reader
    cashier = login("cashier").get(reverse("web:home")).content.decode()
    assert reverse("web:counter") in cashier and reverse("web:exceptions") not in cashier


def test_home_todos_by_role(world, login):
    reader = login("reader").get(reverse("web:home"))
    keys = {c["key"] for c in reader.context["cards"]}
    assert keys == {"books"}
    assert reader.context["cards"][0]["value"] == 1  # one book of station A not yet released
    billing = login("billing").get(reverse("web:home"))
    assert {c["key"] for c in billing.context["cards"]} == {"exceptions", "released", "flagged", "to_issue"}
    cashier = login("cashier").get(reverse("web:home"))
    assert {c["key"] for c in cashier.context["cards"]} == {"receipts"}


def test_other_station_gets_404(world, login):
    done = run_cycle(world, pay=Decimal("100.00"))
    b = Client()
    b.force_login(world.users["reader_b"])
    a_pages = [
        reverse("web:account", args=[world.accounts[0].pk]),
        reverse("web:plan", args=[world.book_a.pk, world.period]),
        reverse("web:bill", args=[done["bill"].pk]),
    ]
    for url in a_pages:
        r = b.get(url)
        assert r.status_code == 404, url
        assert "不属于您的供电所" in r.content.decode()
    # The same pages are there for station A's staff.
    a = login("billing")
    for url in a_pages:
        assert a.get(url).status_code == 200, url
    # Station B's own account is visible to B, invisible to A.
    assert b.get(reverse("web:account", args=[world.account_b.pk])).status_code == 200
    assert a.get(reverse("web:account", args=[world.account_b.pk])).status_code == 404
    # Receipts and payments: a cashier of A cannot reach B's account at the counter.
    cashier = login("cashier")
    assert cashier.get(reverse("web:receipt", args=[done["payment"].pk])).status_code == 200
    assert b.get(reverse("web:receipt", args=[done["payment"].pk])).status_code == 404
    r = cashier.get(reverse("web:counter") + "?number=B0001")
    assert r.context["account"] is None and "未找到户号" in r.content.decode()
    assert cashier.post(reverse("web:counter_pay", args=[world.account_b.pk]), {"amount": "1", "token": "x"}).status_code == 404


def test_lists_are_scoped(world, login):
    b = Client()
    b.force_login(world.users["reader_b"])
    text = b.get(reverse("web:accounts")).content.decode()
    assert "B0001" in text and "A0001" not in text
    text = b.get(reverse("web:books")).content.decode()
    assert "B01-001" in text and "A01-001" not in text
