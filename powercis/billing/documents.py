"""The bill PDF (电费通知单): every line with its formula, the readings and multiplier, the tariff version."""

from __future__ import annotations

from powercis.billing.models import Bill
from powercis.core.rmb import amount_in_words
from powercis.documents import Document
from powercis.metering.models import REGISTERS


def _num(value: object) -> str:
    text = f"{value}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def bill_pdf(bill: Bill) -> bytes:
    account = bill.account
    station = bill.station
    doc = Document("电费通知单", f"{station.company.name} · {station.name}")
    doc.fields(
        [
            ("户号", account.number),
            ("户名", account.name),
            ("用电地址", account.address),
            ("用电类别", account.get_category_display()),
            ("电费年月", bill.period),
            ("抄表区间", f"{bill.period_start:%Y-%m-%d} 至 {bill.period_end:%Y-%m-%d}"),
            ("电价版本", bill.tariff_version.ref if bill.tariff_version else "—"),
            ("缴费截止日", f"{bill.due_date:%Y-%m-%d}" if bill.due_date else "—"),
        ]
    )
    readings = bill.rating_input.get("readings", [])
    if readings:
        doc.section("抄表示数")
        doc.table(
            ["电能表", "示数类型", "上次示数", "本次示数", "倍率", "电量(kWh)"],
            [
                [r["meter"], REGISTERS.get(r["register"], r["register"]), r["previous"], r["current"], r["multiplier"],
                 _num(r["kwh"]) + ("（翻转）" if r.get("rolled_over") else "") + ("（估抄）" if r.get("estimated") else "")]
                for r in readings
            ],
            [34, 24, 30, 30, 22, 40],
            "LLRRRR",
        )
    doc.section("电费明细")
    lines = list(bill.lines.all())
    doc.table(
        ["项目", "数量", "单位", "单价", "金额(元)"],
        [[ln.label, _num(ln.quantity), ln.unit, _num(ln.price) if ln.price is not None else "", f"{ln.amount:,.2f}"] for ln in lines],
        [60, 36, 22, 30, 32],
        "LRCRR",
    )
    doc.set_font("cjk", size=11)
    doc.cell(0, 8, f"合计电费：{bill.total:,.2f} 元（{amount_in_words(bill.total)}）", new_x="LMARGIN", new_y="NEXT")
    doc.cell(0, 6, f"结算电量：{_num(bill.energy_kwh)} kWh    功率因数：{bill.pf or '—'}", new_x="LMARGIN", new_y="NEXT")
    doc.section("计算过程")
    for ln in lines:
        doc.paragraph(f"{ln.label}：{ln.formula}（依据：{ln.rule}）")
    return doc.render()
