"""The monthly cycle through the screens with the test client: read → release → bill → review → issue → pay."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from powercis.billing.models import Bill, BillStatus
from powercis.payments.models import AccountBalance, Payment
from powercis.reading.models import PlanStatus, Reading, ReadingException, ReadingPlan


def _csv(rows: list[str]) -> bytes:
    return ("户号,资产编号,有功总,估抄\n" + "\n".join(rows) + "\n").encode("utf-8")


def test_full_cycle(world, login):
    reader, billing, cashier = login("reader"), login("billing"), login("cashier")
    plan_url = reverse("reading:plan", args=[world.book_a.pk, world.period])
    assert reader.get(plan_url).status_code == 200
    plan = ReadingPlan.objects.get(book=world.book_a, period=world.period)

    # A bad row: nothing imported, the reason in Chinese.
    bad = _csv(["R001,MR001,1100,", "R002,MR002,abc,", "C001,MC001,1300,"])
    r = reader.post(reverse("reading:plan_import", args=[world.book_a.pk, world.period]), {"file": _file("r.csv", bad)})
    text = r.content.decode()
    assert r.status_code == 200
    assert "未导入任何数据" in text
    assert "第 3 行" in text and "不是数字" in text
    assert Reading.objects.filter(plan=plan).count() == 0

    good = _csv(["R001,MR001,1100,", "R002,MR002,999990,", "C001,MC001,1300,是"])
    r = reader.post(reverse("reading:plan_import", args=[world.book_a.pk, world.period]), {"file": _file("r.csv", good)})
    assert r.status_code == 302
    assert Reading.objects.filter(plan=plan, superseded=False).count() == 3

    # Release refused while the estimated reading is an open exception.
    release = reverse("reading:plan_release", args=[world.book_a.pk, world.period])
    r = billing.post(release, follow=True)
    assert "抄表异常未处理" in r.content.decode()
    exc = ReadingException.objects.get(plan=plan, status="open")
    r = billing.get(reverse("reading:exceptions"))
    assert "估抄" in r.content.decode()
    billing.post(reverse("reading:exception_accept", args=[exc.pk]), {"note": "已电话核实"})
    r = billing.post(release, follow=True)
    assert "已发送核算" in r.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RELEASED

    r = billing.post(reverse("billing:home"), {"period": world.period, "book": [world.book_a.pk]}, follow=True)
    text = r.content.decode()
    assert r.status_code == 200, text
    assert Bill.objects.filter(period=world.period).count() == 3
    # Running again writes nothing twice.
    r = billing.post(reverse("billing:home"), {"period": world.period, "book": [world.book_a.pk]}, follow=True)
    assert Bill.objects.filter(period=world.period).count() == 3

    flagged = Bill.objects.get(status=BillStatus.FLAGGED)
    r = billing.get(reverse("billing:review") + f"?period={world.period}")
    assert flagged.account.number in r.content.decode()
    r = billing.get(reverse("billing:bill", args=[flagged.pk]))
    text = r.content.decode()
    assert "估抄" in text and "审核通过" in text
    billing.post(reverse("billing:bill_approve", args=[flagged.pk]), {"note": "核实无误"})
    flagged.refresh_from_db()
    assert flagged.status == BillStatus.APPROVED
    billing.post(reverse("billing:review_issue"), {"period": world.period, "book": [world.book_a.pk]})
    assert Bill.objects.filter(period=world.period, status=BillStatus.ISSUED).count() == 3

    account = world.accounts["R001"]
    bill = Bill.objects.get(account=account, period=world.period)
    r = cashier.get(reverse("payments:counter") + f"?number={account.number}")
    text = r.content.decode()
    assert bill.period in text
    token = r.context["token"]
    amount = bill.total + Decimal("10.00")
    data = {"amount": str(amount), "method": "cash", "token": token}
    r1 = cashier.post(reverse("payments:counter_pay", args=[account.pk]), data)
    r2 = cashier.post(reverse("payments:counter_pay", args=[account.pk]), data)  # double submit
    assert Payment.objects.filter(account=account).count() == 1
    assert r1["Location"] == r2["Location"]
    r = cashier.get(r1["Location"])
    text = r.content.decode()
    payment = Payment.objects.get(account=account)
    assert payment.receipt_no in text and "销账明细" in text
    assert AccountBalance.objects.get(account=account).prepaid == Decimal("10.00")

    page = login("billing").get(reverse("customers:account", args=[account.pk])).content.decode()
    assert "账务明细" in page and payment.receipt_no in page


def _file(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="text/csv")
