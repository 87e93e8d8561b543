"""客户档案 screens: search and filters, the query-count pin, import errors, export, the account page."""

from __future__ import annotations

import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from powercis.customers.models import Account
from tests.factories import add_account, run_cycle

ACCOUNT_LIST_QUERIES = 12  # the same for 3 rows or 50: no query per row


def _more_accounts(world, n: int) -> None:
    for i in range(n):
        add_account(world, f"X{i:04d}", "COM", address=f"南街{i}号", area=world.accounts["C001"].area)


def panel_context(response, key):  # type: ignore[no-untyped-def]
    """The value of ``key`` in the context of the account page's panel that provides it."""
    for slot in response.context["panels"].values():
        for panel in slot:
            if key in panel["context"]:
                return panel["context"][key]
    raise KeyError(key)


def test_search_and_filters(world, login):
    client = login("reader")
    url = reverse("customers:accounts")
    assert [a.number for a in client.get(url).context["page"].object_list] == ["C001", "R001", "R002"]
    assert [a.number for a in client.get(url, {"q": "李娜"}).context["page"].object_list] == ["R002"]
    assert [a.number for a in client.get(url, {"q": "东湖路3"}).context["page"].object_list] == ["C001"]
    assert [a.number for a in client.get(url, {"q": "R001"}).context["page"].object_list] == ["R001"]
    assert client.get(url, {"status": "closed"}).context["page"].paginator.count == 0
    area = world.accounts["R001"].area_id
    assert client.get(url, {"category": "residential", "area": area}).context["page"].paginator.count == 2
    assert client.get(url, {"category": "commercial", "area": area}).context["page"].paginator.count == 1
    # Asking for another station's accounts by filter still shows only the user's own.
    assert client.get(url, {"station": world.station_b.pk}).context["page"].paginator.count == 0
    # htmx requests get the table only.
    partial = client.get(url, {"q": "张"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="list-table"' in partial and "<nav class=\"navbar" not in partial


def test_pagination(world, login):
    _more_accounts(world, 60)
    client = login("reader")
    page1 = client.get(reverse("customers:accounts"))
    assert len(page1.context["page"].object_list) == 50
    page2 = client.get(reverse("customers:accounts"), {"page": 2})
    assert len(page2.context["page"].object_list) == 13


def test_account_list_query_count_is_pinned(world, login, django_assert_num_queries):
    """The list costs the same number of queries for 3 or 50 rows (no N+1)."""
    client = login("reader")
    client.get(reverse("customers:accounts"))  # warm the session
    with django_assert_num_queries(ACCOUNT_LIST_QUERIES):
        client.get(reverse("customers:accounts"))
    _more_accounts(world, 47)
    with django_assert_num_queries(ACCOUNT_LIST_QUERIES):
        r = client.get(reverse("customers:accounts"))
    assert len(r.context["page"].object_list) == 50


def test_import_errors_are_listed_and_nothing_is_imported(world, login):
    client = login("desk")
    csv = (
        "户号,户名,供电所编码,电价编码,用电地址,合同容量(kVA)\n"
        "N0001,新户一,SA,COM,东湖路9号,10\n"
        "N0002,新户二,SA,NO-SUCH,东湖路10号,10\n"
        "N0003,新户三,SA,COM,东湖路11号,abc\n"
        "N0004,新户四,SB,COM,西山路9号,5\n"
    ).encode("gbk")
    before = Account.objects.count()
    r = client.post(reverse("customers:account_import"), {"file": SimpleUploadedFile("accounts.csv", csv)})
    text = r.content.decode()
    assert r.status_code == 200
    assert "未导入任何数据" in text
    assert "第 3 行" in text and "电价编码 NO-SUCH 不存在" in text
    assert "第 4 行" in text and "合同容量“abc”不是有效数字" in text
    assert "第 5 行" in text and "供电所编码 SB 不存在或无权限" in text
    assert Account.objects.count() == before

    good = "户号,户名,供电所编码,电价编码,用电地址\nN0001,新户一,SA,COM,东湖路9号\n".encode()
    r = client.post(reverse("customers:account_import"), {"file": SimpleUploadedFile("accounts.csv", good)}, follow=True)
    assert "导入完成：新增 1 户" in r.content.decode()
    assert Account.objects.filter(number="N0001", station=world.station_a).exists()


def test_export_is_scoped_xlsx(world, login):
    from openpyxl import load_workbook

    r = login("reader").get(reverse("customers:accounts"), {"export": "xlsx"})
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(r.content)).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "户号"
    assert sorted(row[0] for row in rows[1:]) == ["C001", "R001", "R002"]


def test_account_page(world, login):
    run_cycle(world, pay=Decimal("50.00"))
    account = world.accounts["R001"]
    r = login("reader").get(reverse("customers:account", args=[account.pk]))
    text = r.content.decode()
    assert r.status_code == 200
    assert "110***********1234" in text and "110101199001011234" not in text
    assert "MR001" in text and "倍率" in text
    chart = panel_context(r, "chart")
    assert chart["periods"][-1] == world.period
    assert chart["kwh"][-1] == "150.00"
    assert len(chart["periods"]) == 13
    ledger = panel_context(r, "ledger")
    # Newest first: the payment's allocation, the payment, the issuance.
    assert [row["journal"].kind for row in ledger] == ["allocation", "payment", "issue"]
    bill_total = ledger[-1]["receivable"]
    assert ledger[-1]["owed"] == bill_total
    assert ledger[1]["owed"] == bill_total - Decimal("50.00")  # the payment is prepaid until allocated
    assert ledger[0]["owed"] == panel_context(r, "balance").owed
