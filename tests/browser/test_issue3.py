"""Issue #3 in a real browser: the bill explained, rechecked in the trial calculator, and a 退补 approved.

A 核算员 opens a large-industrial account's bill (TOU registers, reactive, CT/PT multiplier, capacity
basic charge, 力调标准 0.90), reads the formulas, rechecks the power-factor adjustment in 电费测算 (same
percentage as the bill's line), files a 计量差错退补 from the bill and logs out; the 所长 approves it
in 退补审批 and the account's ledger shows the posted entry.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from powercis.billing.models import Adjustment, AdjustmentStatus, Bill
from tests.factories import PASSWORD, PERIOD, run_cycle, world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def industrial(transactional_db):  # noqa: ARG001 - the live server needs committed data
    """The whole world with PERIOD billed and issued; I001 is the large-industrial account."""
    w = world()
    run_cycle(w, note="大工业逐户审核，已核对")
    return w


def _login(page, live_server, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_explain_recheck_and_adjust(industrial, new_page, live_server, results_dir):
    account = industrial.accounts["I001"]
    bill = Bill.objects.get(account=account, period=PERIOD, kind="regular")

    # --- 核算员: the bill and its explanation ---
    page = new_page("billing_a")
    page.goto(f"/accounts/{account.pk}/")
    page.get_by_role("link", name=PERIOD, exact=True).click()
    expect(page.locator("h1")).to_contain_text("I001")
    lines = page.get_by_test_id("lines")
    expect(lines).to_contain_text("峰段 107,700 kWh × 0.96 = 103,392.00")
    expect(lines).to_contain_text("基本电费")
    expect(lines).to_contain_text("功率因数调整电费")
    expect(page.get_by_text("3000").first).to_be_visible()  # 倍率 150/5 × 10000/100
    bill_percent = page.get_by_test_id("pf-percent").inner_text().strip()
    assert bill_percent == "-0.75"
    page.screenshot(path=str(results_dir / "issue3-bill.png"), full_page=True)

    # --- 电费测算: recheck the power-factor adjustment ---
    page.get_by_role("link", name="复核功率因数调整").click()
    expect(page.locator("h1")).to_contain_text("功率因数调整")
    expect(page.locator("#id_active_kwh")).to_have_value("511800.00")
    expect(page.locator("#id_reactive_kvarh")).to_have_value("110100.00")
    expect(page.locator("#id_standard")).to_have_value("0.90")
    page.get_by_test_id("calc-submit").click()
    expect(page.get_by_test_id("result-adjust_percent")).to_have_text(bill_percent)
    expect(page.get_by_test_id("result-pf")).to_have_text("0.98")
    expect(page.get_by_test_id("calc-result")).to_contain_text("调整比例 (%)")
    page.screenshot(path=str(results_dir / "issue3-calc-pf.png"), full_page=True)

    # The whole bill rechecked in the calculator gives the bill's total.
    page.goto(f"/bills/{bill.pk}/")
    page.get_by_role("link", name="在测算中复核").click()
    page.get_by_test_id("calc-submit").click()
    expect(page.get_by_test_id("result-total")).to_have_text(f"{bill.total}")
    expect(page.get_by_test_id("calc-lines")).to_contain_text("峰段 107,700 kWh × 0.96 = 103,392.00")
    page.screenshot(path=str(results_dir / "issue3-calc-bill.png"), full_page=True)

    # --- 申请退补 (计量差错) from the bill ---
    page.goto(f"/bills/{bill.pk}/")
    page.get_by_role("link", name="申请退补").click()
    expect(page.locator("#id_price")).to_have_value("0.60")
    page.fill("#id_cause", "电能表校验慢 10%")
    page.fill("#id_evidence", "校验报告 JY-2026-001，现场照片 3 张")
    page.screenshot(path=str(results_dir / "issue3-adjust-form.png"), full_page=True)
    page.get_by_role("button", name="提交退补申请").click()
    expect(page.locator("#messages")).to_contain_text("等待所长审批")
    adj = Adjustment.objects.get()
    assert adj.amount == Decimal("30000.00")  # 900000 kWh, −10 %, half period → 50000 kWh × 0.60
    expect(page.get_by_test_id("adjustment-amount")).to_contain_text("30,000.00")
    expect(page.get_by_test_id("adjustment-status")).to_have_text("待审批")
    page.screenshot(path=str(results_dir / "issue3-adjust-requested.png"), full_page=True)
    page.get_by_role("button", name="退出").click()

    # --- 所长: 退补审批 ---
    _login(page, live_server, "head_a")
    page.get_by_role("link", name="退补审批", exact=True).click()
    row = page.get_by_test_id("pending").get_by_role("row", name="I001")
    expect(row).to_contain_text("30,000.00")
    expect(row).to_contain_text("陈核算")
    page.screenshot(path=str(results_dir / "issue3-queue.png"), full_page=True)
    row.get_by_role("link", name="审批").click()
    expect(page.get_by_test_id("cause")).to_have_text("电能表校验慢 10%")
    expect(page.get_by_test_id("requester")).to_have_text("陈核算")
    page.fill("#id_note", "证据齐全，同意补收")
    page.get_by_test_id("approve").click()
    expect(page.locator("#messages")).to_contain_text("已审批入账")
    expect(page.get_by_test_id("adjustment-status")).to_have_text("已审批入账")
    expect(page.get_by_test_id("posted-bills")).to_contain_text("退补")
    page.screenshot(path=str(results_dir / "issue3-approved.png"), full_page=True)
    adj.refresh_from_db()
    assert adj.status == AdjustmentStatus.APPROVED

    page.get_by_test_id("account-link").click()
    ledger = page.get_by_test_id("ledger")
    expect(ledger.get_by_role("row").filter(has_text="退补").first).to_contain_text("30000.00")
    page.screenshot(path=str(results_dir / "issue3-ledger.png"), full_page=True)
