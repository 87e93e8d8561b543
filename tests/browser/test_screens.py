"""Every screen opens in the browser for its role, and the navbar's language switch turns it English."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.factories import run_cycle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_page(browser, live_server, results_dir, world):
    context = browser.new_context(viewport={"width": 1366, "height": 800}, locale="zh-CN", base_url=live_server.url)
    page = context.new_page()
    page.goto("/")
    expect(page.locator("h2")).to_have_text("员工登录")
    page.screenshot(path=str(results_dir / "login.png"))
    page.fill("#id_username", "reader_a")
    page.fill("#id_password", "wrong-password")
    page.get_by_role("button", name="登录").click()
    expect(page.locator(".alert-danger")).to_contain_text("用户名或密码错误")
    context.close()


def test_screens_and_language_switch(world, new_page, results_dir):
    run_cycle(world)
    page = new_page("billing_a")
    expect(page.get_by_test_id("todo-to_issue")).to_be_visible()
    for link, heading in (
        ("客户档案", "客户档案"),
        ("抄表", "抄表段"),
        ("抄表异常", "抄表异常"),
        ("电费计算", "电费计算"),
        ("电费审核", "电费审核"),
    ):
        page.get_by_role("link", name=link, exact=True).click()
        expect(page.locator("h1")).to_contain_text(heading)
    page.get_by_role("link", name="客户档案", exact=True).click()
    page.fill("#id_q", "李娜")
    expect(page.locator("#list-table tbody tr")).to_have_count(1)  # htmx live search
    expect(page.locator("#list-table")).to_contain_text("R002")
    page.screenshot(path=str(results_dir / "accounts.png"), full_page=True)

    page.locator("#mainnav").get_by_role("link", name="工作台").click()
    page.select_option("select[name=language]", "en")
    expect(page.locator("h1")).to_contain_text("Workbench")
    expect(page.get_by_test_id("whoami")).to_contain_text("Billing clerk")
    page.screenshot(path=str(results_dir / "home-en.png"), full_page=True)
    page.select_option("select[name=language]", "zh-hans")
    expect(page.locator("h1")).to_contain_text("工作台")
