"""退补 screens: request from a bill (计量差错退补 / 重新计费), the 所长's queue, approve/reject, four-eyes."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from powercis.billing.calcforms import example_json
from powercis.billing.models import Adjustment, AdjustmentStatus, Bill, BillStatus
from powercis.payments.models import Journal
from tests.factories import run_cycle

METER_ERROR = {"type": "error_percent", "error_percent": "-10", "metered_kwh": 1000, "half_period": False}


@pytest.fixture
def bill(world):
    """C001's bill (flat 0.65) of the world's month, issued."""
    return run_cycle(world).bills["C001"]


def _request(client: Client, bill: Bill, **extra) -> object:
    data = {"kind": "meter_error", "calc_input": json.dumps(METER_ERROR), "price": "0.65",
            "cause": "电能表校验慢 10%", "evidence": "校验报告 JY-001"}
    data.update(extra)
    return client.post(reverse("billing:adjustment_new", args=[bill.pk]), data)


def test_form_defaults(login, bill):
    r = login("billing").get(reverse("billing:adjustment_new", args=[bill.pk]))
    assert r.status_code == 200
    assert r.context["values"]["price"] == "0.6500"
    assert r.context["values"]["calc_input"] == example_json("meter_error")
    text = r.content.decode()
    assert "计量差错退补" in text and "重新计费" in text and "证据说明" in text
    r = login("billing").get(reverse("billing:adjustment_new", args=[bill.pk]) + "?kind=recalc")
    assert json.loads(r.context["values"]["calc_input"]) == bill.rating_input["input"]


@pytest.mark.parametrize(("role", "station", "status"), [
    ("cashier", "a", 403), ("reader", "a", 403), ("head", "a", 403), ("billing", "b", 404), ("billing", "a", 200),
    ("inspector", "a", 200),
])
def test_request_permission_and_scope(login, bill, role, station, status):
    r = login(role, station).get(reverse("billing:adjustment_new", args=[bill.pk]))
    assert r.status_code == status


def test_meter_error_request_approve_and_ledger(world, login, bill):
    r = _request(login("inspector"), bill)
    adj = Adjustment.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("billing:adjustment", args=[adj.pk])
    assert adj.kwh == Decimal("111.11") and adj.amount == Decimal("72.22")  # 1000 / 0.9 − 1000 and adj.bill == bill
    text = login("inspector").get(r["Location"]).content.decode()
    assert "72.22" in text and "电能表校验慢 10%" in text and "校验报告 JY-001" in text and "郑检查" in text
    assert "审批通过" not in text  # the requester has no approve permission

    # The queue: 所长 of A sees it, 所长 of B does not, 核算员 may not open it.
    assert login("billing").get(reverse("billing:adjustments")).status_code == 403
    queue = login("head").get(reverse("billing:adjustments"))
    assert [a.pk for a in queue.context["pending"]] == [adj.pk]
    assert login("head", "b").get(reverse("billing:adjustments")).context["pending"] == []
    assert login("head", "b").get(reverse("billing:adjustment", args=[adj.pk])).status_code == 404
    assert login("head", "b").post(reverse("billing:adjustment_approve", args=[adj.pk]), {"note": "x"}).status_code == 404
    assert login("billing").post(reverse("billing:adjustment_approve", args=[adj.pk]), {"note": "x"}).status_code == 403

    head = login("head")
    assert "退补审批" in head.get(reverse("web:home")).content.decode()
    r = head.get(reverse("billing:adjustment", args=[adj.pk]))
    assert "审批通过" in r.content.decode() and "驳回" in r.content.decode()
    r = head.post(reverse("billing:adjustment_approve", args=[adj.pk]), {"note": "证据齐全，同意"}, follow=True)
    text = r.content.decode()
    adj.refresh_from_db()
    assert adj.status == AdjustmentStatus.APPROVED and adj.decided_by == world.user("head")
    assert "已审批入账" in text
    posted = list(adj.posted_bills.all())
    assert [b.kind for b in posted] == ["adjust"] and posted[0].total == Decimal("72.22")
    assert reverse("billing:bill", args=[posted[0].pk]) in text
    assert Journal.objects.filter(account=bill.account, key=f"issue:{posted[0].pk}").exists()
    account_page = head.get(reverse("customers:account", args=[bill.account.pk])).content.decode()
    assert "退补" in account_page and "72.22" in account_page
    # Decided: no more buttons; a second approval is refused with a message.
    r = head.post(reverse("billing:adjustment_approve", args=[adj.pk]), {"note": "再批"}, follow=True)
    assert "该退补已审批或驳回" in r.content.decode()
    # The original bill page lists the adjustment.
    assert f"#{adj.pk}" in login("billing").get(reverse("billing:bill", args=[bill.pk])).content.decode()


def test_four_eyes_refusal_is_a_message(world, login, bill):
    head = world.user("head")
    head.groups.add(*world.user("billing").groups.all())
    client = login("head")
    _request(client, bill)
    adj = Adjustment.objects.get()
    text = client.get(reverse("billing:adjustment", args=[adj.pk])).content.decode()
    assert "这是您本人提交的申请" in text
    r = client.post(reverse("billing:adjustment_approve", args=[adj.pk]), {"note": "同意"}, follow=True)
    assert r.status_code == 200
    assert "申请人不能审批自己的退补申请" in r.content.decode()
    adj.refresh_from_db()
    assert adj.status == AdjustmentStatus.PENDING


def test_reject_needs_note(login, bill):
    _request(login("billing"), bill)
    adj = Adjustment.objects.get()
    head = login("head")
    r = head.post(reverse("billing:adjustment_reject", args=[adj.pk]), {"note": " "}, follow=True)
    assert "驳回须填写意见" in r.content.decode()
    r = head.post(reverse("billing:adjustment_reject", args=[adj.pk]), {"note": "证据不足"}, follow=True)
    assert "已驳回" in r.content.decode()
    adj.refresh_from_db()
    assert adj.status == AdjustmentStatus.REJECTED and not adj.posted_bills.exists()
    assert not Bill.objects.filter(kind="adjust").exists()
    decided = head.get(reverse("billing:adjustments")).context["decided"]
    assert [a.pk for a in decided] == [adj.pk]


def test_get_on_decision_urls_is_refused(login, bill):
    _request(login("billing"), bill)
    adj = Adjustment.objects.get()
    assert login("head").get(reverse("billing:adjustment_approve", args=[adj.pk])).status_code == 405


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"calc_input": "{bad"}, "JSON 格式错误"),
        ({"calc_input": json.dumps({"type": "error_percent"})}, "计算失败"),
        ({"cause": " "}, "请填写退补原因"),
        ({"evidence": ""}, "请填写证据说明"),
        ({"price": "abc"}, "计算失败"),
        ({"calc_input": json.dumps({**METER_ERROR, "error_percent": "0"})}, "退补金额为零"),
    ],
)
def test_request_errors_keep_the_form(login, bill, extra, message):
    r = _request(login("billing"), bill, **extra)
    assert r.status_code == 200
    text = r.content.decode()
    assert message in text
    assert not Adjustment.objects.exists()
    assert r.context["values"]["cause"] == extra.get("cause", "电能表校验慢 10%")


def test_recalculation_request_and_approval(login, bill):
    corrected = json.loads(json.dumps(bill.rating_input["input"]))
    corrected["energy"]["total"] = str(Decimal(corrected["energy"]["total"]) * 2)
    client = login("billing")
    r = client.post(reverse("billing:adjustment_new", args=[bill.pk]),
                    {"kind": "recalc", "calc_input": json.dumps(corrected), "cause": "倍率错误", "evidence": "CT 铭牌"})
    adj = Adjustment.objects.get()
    assert r.status_code == 302 and adj.kind == "recalc" and adj.amount == bill.total
    text = client.get(reverse("billing:adjustment", args=[adj.pk])).content.decode()
    assert "更正后电费明细" in text
    # A second request while one is pending is refused with the service's message.
    r = client.post(reverse("billing:adjustment_new", args=[bill.pk]),
                    {"kind": "recalc", "calc_input": json.dumps(corrected), "cause": "倍率错误", "evidence": "CT 铭牌"})
    assert "该电费已有待审批的退补" in r.content.decode()
    login("head").post(reverse("billing:adjustment_approve", args=[adj.pk]), {"note": "同意"})
    bill.refresh_from_db()
    assert bill.status == BillStatus.REVERSED
    kinds = sorted(b.kind for b in Adjustment.objects.get().posted_bills.all())
    assert kinds == ["rebill", "reversal"]
    # A reversed bill offers no more 退补.
    text = client.get(reverse("billing:bill", args=[bill.pk])).content.decode()
    assert "申请退补" not in text
    r = client.post(reverse("billing:adjustment_new", args=[bill.pk]), {"kind": "meter_error"})
    assert "该电费不能申请退补" in r.content.decode()
