"""退补: computed, requested, approved by another person, posted as reversal + new entries."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from powercis.billing.corrections import (
    approve_adjustment,
    reject_adjustment,
    request_meter_error_adjustment,
    request_recalculation,
)
from powercis.billing.models import Bill, BillStatus
from powercis.payments.models import AccountBalance
from powercis.payments.services import check_ledger, take_payment
from powercis.services import ServiceError
from tests.factories import ADJUST_DAY, run_cycle, world

pytestmark = pytest.mark.django_db


def test_meter_error_supplement_four_eyes_and_ledger():
    w = world()
    run_cycle(w)
    account = w.accounts["C001"]
    before = AccountBalance.objects.get(account=account).receivable
    adj = request_meter_error_adjustment(
        account, w.user("billing"), cause="电能表慢 10%", evidence="校验报告 JY-2026-001",
        calc_input={"type": "error_percent", "error_percent": "-10", "metered_kwh": 900000, "half_period": True},
        price="0.65",
    )
    assert adj.kwh == Decimal("50000") and adj.amount == Decimal("32500.00")
    with pytest.raises(PermissionDenied):
        approve_adjustment(adj, w.user("billing"), "核算员无审批权", on=ADJUST_DAY)
    with pytest.raises(PermissionDenied):
        approve_adjustment(adj, w.user("head", "b"), "其他供电所所长", on=ADJUST_DAY)
    bills = approve_adjustment(adj, w.user("head"), "同意", on=ADJUST_DAY)
    assert [b.kind for b in bills] == ["adjust"] and bills[0].status == BillStatus.ISSUED
    assert AccountBalance.objects.get(account=account).receivable == before + Decimal("32500.00")
    assert check_ledger() == []
    with pytest.raises(ServiceError):
        approve_adjustment(adj, w.user("head"), "再批", on=ADJUST_DAY)


def test_requester_cannot_approve_even_with_permission():
    w = world()
    run_cycle(w)
    head = w.user("head")
    head.groups.add(*w.user("billing").groups.all())
    adj = request_meter_error_adjustment(
        w.accounts["R001"], head, cause="倍率错误", evidence="现场照片",
        calc_input={"type": "error_percent", "error_percent": "10", "metered_kwh": 1100}, price="0.5283",
    )
    assert adj.amount < 0  # fast meter → refund
    with pytest.raises(ServiceError) as info:
        approve_adjustment(adj, head, "同意", on=ADJUST_DAY)
    assert info.value.code == "four_eyes"


def test_refund_after_payment_becomes_prepaid():
    w = world()
    run_cycle(w)
    account = w.accounts["R001"]
    take_payment(account, Decimal("79.25"), w.user("cashier"), channel_ref="p1")
    adj = request_meter_error_adjustment(
        account, w.user("billing"), cause="电能表快 10%", evidence="校验报告",
        calc_input={"type": "error_percent", "error_percent": "10", "metered_kwh": 1100}, price="0.5283",
    )
    approve_adjustment(adj, w.user("head"), "同意", on=ADJUST_DAY)
    balance = AccountBalance.objects.get(account=account)
    assert balance.receivable == 0 and balance.prepaid == -adj.amount
    assert check_ledger() == []


def test_recalculation_posts_reversal_and_rebill():
    w = world()
    run_cycle(w)
    original = Bill.objects.get(account__number="C001", kind="regular")
    take_payment(w.accounts["C001"], Decimal("100.00"), w.user("cashier"), channel_ref="p2")
    corrected = copy.deepcopy(original.rating_input["input"])
    corrected["energy"]["total"] = str(Decimal(corrected["energy"]["total"]) * 2)  # multiplier was 1, should be 2
    adj = request_recalculation(original, w.user("billing"), cause="倍率错误", evidence="CT 铭牌 10/5", corrected_input=corrected)
    assert adj.amount == original.total
    reversal, rebill = approve_adjustment(adj, w.user("head"), "同意", on=ADJUST_DAY)
    original.refresh_from_db()
    assert original.status == BillStatus.REVERSED and original.total == original.lines.first().amount
    assert reversal.total == -original.total and rebill.total == original.total * 2
    balance = AccountBalance.objects.get(account=w.accounts["C001"])
    assert balance.receivable == rebill.total - Decimal("100.00") and balance.prepaid == 0
    assert check_ledger() == []


def test_reject_needs_note_and_posts_nothing():
    w = world()
    run_cycle(w)
    adj = request_meter_error_adjustment(
        w.accounts["R001"], w.user("billing"), cause="x", evidence="y",
        calc_input={"type": "error_percent", "error_percent": "-10", "metered_kwh": 1000}, price="0.5",
    )
    with pytest.raises(ServiceError):
        reject_adjustment(adj, w.user("head"), " ")
    reject_adjustment(adj, w.user("head"), "证据不足")
    assert not Bill.objects.filter(kind="adjust").exists()


def test_bad_calculation_input_is_a_clear_error():
    w = world()
    run_cycle(w)
    with pytest.raises(ServiceError) as info:
        request_meter_error_adjustment(
            w.accounts["R001"], w.user("billing"), cause="x", evidence="y", calc_input={"type": "error_percent"}, price="0.5"
        )
    assert "计算失败" in info.value.message
