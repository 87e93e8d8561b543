"""The monthly cycle as people do it, in a real browser (Chromium) against the live server.

抄表员 imports a reading file (one bad row → the row's reason in Chinese, nothing imported; fixed →
imported); 核算员 resolves the exception, releases the book, runs billing, approves the flagged bill
with a note and issues; 收费员 takes a payment and sees the receipt; a user of station B is refused
station A's account page (UI and API).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from powercis.billing.models import Bill, BillStatus
from powercis.payments.models import Allocation, Payment
from powercis.reading.models import PlanStatus, Reading, ReadingPlan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _csv(rows: list[str]) -> dict[str, object]:
    body = "户号,资产编号,有功总,估抄\n" + "\n".join(rows) + "\n"
    return {"name": "抄表数据.csv", "mimeType": "text/csv", "buffer": body.encode("gbk")}


def test_monthly_cycle(world, new_page, live_server, results_dir):
    period = world.period
    book = world.book_a

    # --- 抄表员: import with one bad row, then the fixed file ---
    page = new_page("reader_a")
    expect(page.get_by_test_id("whoami")).to_contain_text("刘抄表")
    expect(page.get_by_test_id("whoami")).to_contain_text("城关供电所")
    page.get_by_role("link", name="抄表", exact=True).click()
    expect(page.locator("h1")).to_contain_text(period)
    page.get_by_role("row", name="BA01").get_by_role("link", name="进入").click()
    expect(page.get_by_test_id("progress")).to_contain_text("应抄")

    page.set_input_files("#id_file", _csv(["R001,MR001,1100,", "R002,MR002,99999O,", "C001,MC001,1300,是"]))
    page.get_by_role("button", name="导入").click()
    errors = page.get_by_test_id("row-errors")
    expect(errors).to_contain_text("未导入任何数据")
    expect(errors).to_contain_text("第 3 行")
    expect(errors).to_contain_text("户号 R002 的有功总示数“99999O”不是数字")
    expect(page.locator("#messages")).to_contain_text("未导入任何数据")
    page.screenshot(path=str(results_dir / "reading-import-rejected.png"), full_page=True)
    assert Reading.objects.filter(plan__book=book, period=period).count() == 0

    page.set_input_files("#id_file", _csv(["R001,MR001,1100,", "R002,MR002,999990,", "C001,MC001,1300,是"]))
    page.get_by_role("button", name="导入").click()
    expect(page.locator("#messages")).to_contain_text("新增 3 条示数")
    expect(page.get_by_test_id("readings")).to_contain_text("C001")
    assert Reading.objects.filter(plan__book=book, period=period, superseded=False).count() == 3
    # A 抄表员 may not release: the button is not there.
    expect(page.get_by_test_id("release")).to_have_count(0)

    # --- 核算员: release refused while an exception is open; resolve; release ---
    page = new_page("billing_a")
    page.goto(f"/reading/{book.pk}/{period}/")
    page.get_by_test_id("release").click()
    expect(page.locator("#messages")).to_contain_text("还有 1 条抄表异常未处理，不能发送核算")
    page.get_by_role("link", name="抄表异常", exact=True).click()
    row = page.get_by_test_id("exceptions").get_by_role("row", name="C001")
    expect(row).to_contain_text("估抄")
    row.get_by_placeholder("处理意见").fill("已电话核实，客户外出，按估抄计费")
    page.screenshot(path=str(results_dir / "exceptions.png"), full_page=True)
    row.get_by_role("button", name="确认无误").click()
    expect(page.locator("#messages")).to_contain_text("已确认异常")
    page.goto(f"/reading/{book.pk}/{period}/")
    page.get_by_test_id("release").click()
    expect(page.locator("#messages")).to_contain_text("已发送核算")
    assert ReadingPlan.objects.get(book=book, period=period).status == PlanStatus.RELEASED

    # 电费计算
    page.get_by_role("link", name="电费计算", exact=True).click()
    expect(page.locator(f"#book-{book.pk}")).to_be_checked()
    page.get_by_role("button", name="开始计算").click()
    expect(page.get_by_test_id("created")).to_have_text("3")
    expect(page.get_by_test_id("errors")).to_have_text("0")

    # 电费审核: approve the flagged (estimated) bill with a note, then issue
    page.get_by_role("link", name="去审核").click()
    flagged = page.get_by_test_id("flagged").get_by_role("row", name="C001")
    expect(flagged).to_contain_text("估抄电量，需核实")
    flagged.get_by_role("link", name="审核").click()
    expect(page.get_by_test_id("lines")).to_contain_text("合计")
    page.screenshot(path=str(results_dir / "bill.png"), full_page=True)
    page.fill("#id_note", "估抄已核实，同意发行")
    page.get_by_role("button", name="审核通过").click()
    expect(page.locator("#messages")).to_contain_text("电费已审核通过")
    page.screenshot(path=str(results_dir / "review.png"), full_page=True)
    page.get_by_test_id("issue-button").click()
    expect(page.locator("#messages")).to_contain_text("电费发行 3 笔")
    assert Bill.objects.filter(period=period, status=BillStatus.ISSUED).count() == 3

    # --- 收费员: take a payment, see the receipt ---
    account = world.accounts["R001"]
    bill = Bill.objects.get(account=account, period=period)
    page = new_page("cashier_a")
    page.get_by_role("link", name="收费", exact=True).click()
    page.fill("#id_number", account.number)
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_test_id("open-bills")).to_contain_text(period)
    expect(page.get_by_test_id("owed")).to_contain_text(f"{bill.total:,.2f}")
    page.screenshot(path=str(results_dir / "counter.png"), full_page=True)
    page.fill("#id_amount", str(bill.total + Decimal("20.00")))
    page.get_by_role("button", name="确认收费").click()
    receipt = page.get_by_test_id("receipt")
    payment = Payment.objects.get(account=account)
    expect(page.get_by_test_id("receipt-no")).to_have_text(payment.receipt_no)
    expect(page.get_by_test_id("allocations")).to_contain_text(period)
    expect(page.get_by_test_id("allocations")).to_contain_text(f"{bill.total:,.2f}")
    expect(page.get_by_test_id("prepaid-after")).to_have_text("20.00")
    expect(receipt).to_contain_text("人民币")
    assert Allocation.objects.get(payment=payment).amount == bill.total
    page.screenshot(path=str(results_dir / "receipt.png"), full_page=True)

    page.goto(f"/accounts/{account.pk}/")
    expect(page.get_by_test_id("ledger")).to_contain_text(payment.receipt_no)
    page.wait_for_function("document.querySelector('#consumption-chart canvas') !== null")
    page.screenshot(path=str(results_dir / "account.png"), full_page=True)

    # --- a user of station B: 404 on station A's account, in the UI and the API ---
    page = new_page("reader_b")
    response = page.goto(f"/accounts/{account.pk}/")
    assert response.status == 404
    expect(page.locator("h1")).to_contain_text("未找到")
    api = page.request.get(f"/api/accounts/{account.pk}/")
    assert api.status in (403, 404), api.status
