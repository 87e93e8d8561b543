"""Every screen: login required, 403 without the permission, 404 for another station's records."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import run_cycle

PAGES = [
    ("web:home", []),
    ("customers:accounts", []),
    ("reading:books", []),
    ("reading:exceptions", []),
    ("billing:home", []),
    ("billing:review", []),
    ("payments:counter", []),
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
        ("reader", "reading:books", True),
        ("reader", "customers:accounts", True),
        ("reader", "reading:exceptions", False),
        ("reader", "billing:home", False),
        ("reader", "billing:review", False),
        ("reader", "payments:counter", False),
        ("reader", "customers:account_import", False),
        ("billing", "reading:exceptions", True),
        ("billing", "billing:home", True),
        ("billing", "billing:review", True),
        ("billing", "payments:counter", False),
        ("cashier", "payments:counter", True),
        ("cashier", "billing:home", False),
        ("cashier", "reading:exceptions", False),
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
    assert cashier.post(reverse("reading:plan_entry", args=plan_args), {}).status_code == 403
    assert cashier.post(reverse("reading:plan_import", args=plan_args), {}).status_code == 403
    reader = login("reader")
    assert reader.post(reverse("reading:plan_release", args=plan_args)).status_code == 403
    assert reader.post(reverse("billing:review_issue"), {"period": world.period}).status_code == 403
    assert reader.post(reverse("payments:counter_pay", args=[world.accounts["R001"].pk]), {}).status_code == 403
    assert reader.post(reverse("billing:home"), {"period": world.period}).status_code == 403


def test_menu_follows_roles(login):
    reader = login("reader").get(reverse("web:home")).content.decode()
    assert "抄表" in reader and reverse("billing:home") not in reader and reverse("payments:counter") not in reader
    assert "刘抄表" in reader and "城关供电所" in reader and "抄表员" in reader
    cashier = login("cashier").get(reverse("web:home")).content.decode()
    assert reverse("payments:counter") in cashier and reverse("reading:exceptions") not in cashier


def test_home_todos_by_role(world, login):
    reader = login("reader").get(reverse("web:home"))
    keys = {c.key for c in reader.context["cards"]}
    assert keys == {"books"}
    assert reader.context["cards"][0].value == 1  # one book of station A not yet released
    billing = login("billing").get(reverse("web:home"))
    assert {c.key for c in billing.context["cards"]} == {"exceptions", "released", "flagged", "to_issue"}
    cashier = login("cashier").get(reverse("web:home"))
    assert {c.key for c in cashier.context["cards"]} == {"receipts"}


def test_other_station_gets_404(world, login):
    done = run_cycle(world, pay=Decimal("100.00"))
    b = login("reader", "b")
    a_pages = [
        reverse("customers:account", args=[world.accounts["R001"].pk]),
        reverse("reading:plan", args=[world.book_a.pk, world.period]),
        reverse("billing:bill", args=[done.bills["R001"].pk]),
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
    account_b = world.accounts["RB01"]
    assert b.get(reverse("customers:account", args=[account_b.pk])).status_code == 200
    assert a.get(reverse("customers:account", args=[account_b.pk])).status_code == 404
    # Receipts and payments: a cashier of A cannot reach B's account at the counter.
    cashier = login("cashier")
    assert cashier.get(reverse("payments:receipt", args=[done.payment.pk])).status_code == 200
    assert b.get(reverse("payments:receipt", args=[done.payment.pk])).status_code == 404
    r = cashier.get(reverse("payments:counter") + "?number=RB01")
    assert r.context["account"] is None and "未找到户号" in r.content.decode()
    assert cashier.post(reverse("payments:counter_pay", args=[account_b.pk]), {"amount": "1", "token": "x"}).status_code == 404


def test_lists_are_scoped(login):
    b = login("reader", "b")
    text = b.get(reverse("customers:accounts")).content.decode()
    assert "RB01" in text and "R001" not in text
    text = b.get(reverse("reading:books")).content.decode()
    assert "BB01" in text and "BA01" not in text
