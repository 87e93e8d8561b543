"""电费测算 and the bill explanation: calculator forms, errors, prefill from a bill, month-on-month diff, PDF."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from powercis.billing.calcforms import FORMS, example_json
from powercis.billing.models import Bill, BillLine, BillStatus
from powercis.core.periods import previous_period
from tests.factories import PERIOD, make_user, run_cycle
from tests.factories import world as build_world

CALC = reverse("billing:calc")


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def big(db):
    """The whole world billed and issued for PERIOD: I001 is large-industrial (TOU, reactive, CT/PT, basic)."""
    w = build_world()
    run_cycle(w)
    return w


# --- calculator -----------------------------------------------------------------------------------


def test_calculator_login_and_permission(world, login):
    assert Client().get(CALC).status_code == 302
    for role in ("billing", "reader", "cashier"):
        assert login(role).get(CALC).status_code == 200
    nobody = make_user("nobody", world.company, world.station_a)  # no role
    r = _client(nobody).get(CALC)
    assert r.status_code == 403 and "无权访问" in r.content.decode()


def test_menu_entries(world, login):
    text = login("billing").get(reverse("web:home")).content.decode()
    assert "电费测算" in text and "退补审批" not in text


def test_kind_selector_lists_every_kind_and_json_example(world, login):
    client = login("billing")
    text = client.get(CALC).content.decode()
    for name in ("电费计算", "功率因数调整", "计量差错退补", "停电赔偿"):
        assert name in text
    r = client.get(CALC + "?kind=meter_error")
    assert r.context["kind"] == "meter_error"
    assert r.context["json_text"] == example_json("meter_error")
    assert client.get(CALC + "?kind=nonsense").context["kind"] == "bill"


@pytest.mark.parametrize("kind", sorted(FORMS))
def test_every_kind_computes_its_example(world, login, kind):
    r = login("billing").post(CALC, {"kind": kind, "mode": "json", "input_json": example_json(kind), "on": "2026-03-01"})
    assert r.status_code == 200
    assert r.context["error"] == "", r.context["error"]
    assert r.context["result"]
    labels = FORMS[kind].labels
    for row in r.context["rows"]:
        assert row["label"] == labels.get(row["key"], row["key"])


def test_pf_fields_give_adjustment_percent(world, login):
    r = login("billing").post(
        CALC, {"kind": "pf", "mode": "fields", "active_kwh": "40000", "reactive_kvarh": "30000", "standard": "0.90",
               "input_json": "{not json", "on": ""},
    )
    text = r.content.decode()
    assert r.context["error"] == ""
    assert r.context["result"] == {"pf": "0.80", "adjust_percent": "5"}  # the fields, not the bad JSON box
    assert "调整比例 (%)" in text and "功率因数" in text


def test_bill_kind_shows_lines_with_formula(world, login):
    r = login("billing").post(CALC, {"kind": "bill", "mode": "json", "input_json": example_json("bill")})
    text = r.content.decode()
    assert r.context["lines"] and all(ln["formula"] for ln in r.context["lines"])
    assert "计算过程" in text and "电费合计 (元)" in text
    assert 'data-testid="calc-lines"' in text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "bill", "mode": "json", "input_json": "{oops"}, "JSON 格式错误"),
        ({"kind": "bill", "mode": "json", "input_json": "[1, 2]"}, "JSON 输入应为一个对象"),
        ({"kind": "bill", "mode": "json", "input_json": ""}, "请填写 JSON 输入"),
        ({"kind": "pf", "mode": "fields", "active_kwh": "", "reactive_kvarh": "1", "standard": "0.90"}, "请填写：有功电量 (kWh)"),
        ({"kind": "pf", "mode": "fields", "active_kwh": "1", "reactive_kvarh": "1", "standard": "0.99"}, "取值“0.99”无效"),
        ({"kind": "pf", "mode": "json", "input_json": '{"active_kwh": 100}'}, "计算失败"),
        ({"kind": "meter_error", "mode": "json", "input_json": '{"type": "nope"}'}, "计算失败"),
        ({"kind": "pf", "mode": "fields", "active_kwh": "1", "reactive_kvarh": "1", "on": "2026-13-45"}, "规则日期格式"),
    ],
)
def test_calculator_errors_are_chinese_messages(world, login, data, message):
    r = login("billing").post(CALC, data)
    assert r.status_code == 200
    assert message in r.context["error"]
    assert r.context["result"] is None
    assert 'data-testid="calc-error"' in r.content.decode()


# --- prefill from a bill, bill page ---------------------------------------------------------------


def test_bill_page_buttons_and_recheck_prefill(big):
    bill = Bill.objects.get(account__number="I001", period=PERIOD)
    client = _client(big.user("billing"))
    text = client.get(reverse("billing:bill", args=[bill.pk])).content.decode()
    assert "在测算中复核" in text and "复核功率因数调整" in text and "申请退补" in text
    assert "下载电费通知单 PDF" in text
    assert "峰段 107,700 kWh × 0.96 = 103,392.00" in text
    assert "3000" in text  # multiplier 150/5 × 10000/100
    pf_line = bill.lines.get(item="pf_adjust")
    assert 'data-testid="pf-percent">-0.75<' in text and pf_line.price == Decimal("-0.0075")

    r = client.get(CALC + f"?kind=bill&bill={bill.pk}")
    assert json.loads(r.context["json_text"]) == bill.rating_input["input"]
    assert r.context["on"] == bill.period_end.isoformat()
    r = client.post(CALC, {"kind": "bill", "mode": "json", "input_json": r.context["json_text"], "on": r.context["on"]})
    assert r.context["result"]["total"] == f"{bill.total}"

    r = client.get(CALC + f"?kind=pf&bill={bill.pk}")
    values = {f["field"].name: f["value"] for f in r.context["fields"]}
    energy = bill.rating_input["input"]["energy"]
    assert values == {"active_kwh": energy["total"], "reactive_kvarh": energy["reactive"], "standard": "0.90"}
    r = client.post(CALC, {"kind": "pf", "mode": "fields", **values, "on": r.context["on"]})
    assert r.context["result"]["adjust_percent"] == "-0.75"


def test_residential_bill_has_no_pf_button(big):
    bill = Bill.objects.get(account__number="R001", period=PERIOD)
    text = _client(big.user("billing")).get(reverse("billing:bill", args=[bill.pk])).content.decode()
    assert "在测算中复核" in text and "复核功率因数调整" not in text
    r = _client(big.user("billing")).get(CALC + f"?kind=pf&bill={bill.pk}")
    assert "没有可用于测算复核的计费输入" in r.context["error"]


def test_prefill_is_station_scoped(big):
    bill = Bill.objects.get(account__number="I001", period=PERIOD)
    assert _client(big.user("billing", "b")).get(CALC + f"?kind=bill&bill={bill.pk}").status_code == 404
    assert _client(big.user("billing", "b")).get(reverse("billing:bill_pdf", args=[bill.pk])).status_code == 404


def test_bill_pdf(big):
    from pypdf import PdfReader

    bill = Bill.objects.get(account__number="I001", period=PERIOD)
    r = _client(big.user("billing")).get(reverse("billing:bill_pdf", args=[bill.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(r.content)).pages)
    assert "I001" in text


def test_bill_pdf_needs_login(big):
    bill = Bill.objects.get(account__number="I001", period=PERIOD)
    assert Client().get(reverse("billing:bill_pdf", args=[bill.pk])).status_code == 302


# --- month-on-month diff --------------------------------------------------------------------------


def _previous(bill: Bill, *, status: str = BillStatus.ISSUED, kind: str = "regular") -> Bill:
    period = previous_period(bill.period)
    prev = Bill.objects.create(
        station=bill.station, account=bill.account, period=period, kind=kind, status=status,
        energy_kwh=Decimal("900.00"), total=Decimal("585.00"),
        period_start=dt.date(2020, 1, 1), period_end=dt.date(2020, 1, 31),
    )
    BillLine.objects.create(bill=prev, seq=1, item="energy", label="电度电费", quantity=Decimal("900"), unit="kWh",
                            price=Decimal("0.65"), amount=Decimal("585.00"), rule="r", formula="900 × 0.65 = 585.00")
    BillLine.objects.create(bill=prev, seq=2, item="old:item", label="旧项目", quantity=Decimal("1"), unit="项",
                            price=None, amount=Decimal("0.00"), rule="r", formula="—")
    return prev


def test_diff_against_previous_month(world, login):
    bill = run_cycle(world).bills["C001"]
    _previous(bill)
    r = login("billing").get(reverse("billing:bill", args=[bill.pk]))
    diff = r.context["diff"]
    assert diff is not None and diff["previous"].period == previous_period(bill.period)
    rows = {row["item"]: row for row in diff["rows"]}
    this_line = bill.lines.get()
    row = rows[this_line.item]
    if this_line.item == "energy":
        assert row["prev_qty"] == Decimal("900") and row["now_qty"] == this_line.quantity
        assert row["change_amount"] == this_line.amount - Decimal("585.00")
    assert rows["old:item"]["now_amount"] is None and rows["old:item"]["prev_amount"] == Decimal("0.00")
    assert diff["change_total"] == bill.total - Decimal("585.00")
    assert diff["change_kwh"] == bill.energy_kwh - Decimal("900.00")
    text = r.content.decode()
    assert "与上月电费对比" in text and 'data-testid="diff"' in text


def test_diff_ignores_reversed_and_other_kinds(world, login):
    bill = run_cycle(world).bills["C001"]
    _previous(bill, status=BillStatus.REVERSED)
    assert login("billing").get(reverse("billing:bill", args=[bill.pk])).context["diff"] is None
    _previous(bill, kind="adjust")
    assert login("billing").get(reverse("billing:bill", args=[bill.pk])).context["diff"] is None


def test_no_diff_without_previous_bill(world, login):
    bill = run_cycle(world).bills["C001"]
    r = login("billing").get(reverse("billing:bill", args=[bill.pk]))
    assert r.context["diff"] is None and "与上月电费对比" not in r.content.decode()
