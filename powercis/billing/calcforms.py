"""Forms of the trial calculator (电费测算): one per calculation kind.

A form is a list of fields a 核算员 or 用电检查员 fills in; ``to_input`` turns the submitted text into
the kind's input mapping (``../shared/cases/FORMAT.md``), which ``powercis.core.calc.run`` computes —
the same function as ``powercis calc`` and the API. Kinds whose input is a nested structure (a bill with
segments, violations, meter errors, transformer loss) take a JSON input with a worked example; every
kind also accepts JSON, so anything the CLI can compute the page can too.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from powercis.services import ServiceError


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str = "decimal"  # decimal | int | choice | date | text | bills
    required: bool = True
    choices: tuple[tuple[str, str], ...] = ()
    help: str = ""
    default: str = ""


@dataclass(frozen=True)
class CalcForm:
    kind: str
    fields: tuple[Field, ...]
    example: dict[str, Any]
    build: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    labels: dict[str, str] = field(default_factory=dict)


STANDARDS = (("0.90", "0.90"), ("0.85", "0.85"), ("0.80", "0.80"))


def _energy(v: dict[str, Any]) -> dict[str, Any]:
    meter = {k: v[k] for k in ("start", "end", "ct", "pt", "digits") if v.get(k) not in (None, "")}
    out: dict[str, Any] = {"meters": [meter]}
    if v.get("price"):
        out["price"] = v["price"]
    return out


def _basic(v: dict[str, Any]) -> dict[str, Any]:
    transformers = []
    for item in str(v["transformers"]).replace("，", ",").split(","):
        ident, _, kva = item.strip().partition(":")
        if not kva:
            raise ServiceError("bad_input", f"变压器格式应为 编号:容量，如 T1:500，而不是“{item.strip()}”")
        transformers.append({"id": ident.strip(), "kva": kva.strip()})
    groups = [[t.strip() for t in g.split("+")] for g in str(v.get("interlocked") or "").split(",") if g.strip()]
    return {"price": v["price"], "transformers": transformers, "interlocked": groups}


def _late_fee(v: dict[str, Any]) -> dict[str, Any]:
    bills = []
    for number, line in enumerate(str(v["bills"]).splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.replace("，", ",").split(",")]
        if len(parts) != 2:
            raise ServiceError("bad_input", f"欠费清单第 {number} 行应为“金额,交费期限”，如 2000,2000-12-15")
        bills.append({"amount": parts[0], "due": parts[1]})
    return {"customer": v["customer"], "bills": bills, "paid": v["paid"]}


FORMS: dict[str, CalcForm] = {
    f.kind: f
    for f in (
        CalcForm(
            "pf",
            (
                Field("active_kwh", "有功电量 (kWh)"),
                Field("reactive_kvarh", "无功电量 (kvarh)"),
                Field("standard", "功率因数考核标准", "choice", choices=STANDARDS, default="0.90"),
            ),
            {"active_kwh": 40000, "reactive_kvarh": 30000, "standard": "0.90"},
            labels={"pf": "功率因数", "adjust_percent": "调整比例 (%)"},
        ),
        CalcForm(
            "energy",
            (
                Field("start", "上次示数"),
                Field("end", "本次示数"),
                Field("ct", "电流互感器变比", "text", required=False, default="1/1", help="如 150/5"),
                Field("pt", "电压互感器变比", "text", required=False, default="1/1", help="如 10000/100"),
                Field("digits", "整数位数 (翻转用)", "int", required=False),
                Field("price", "电价 (元/kWh)", required=False),
            ),
            {"meters": [{"start": 2155, "end": 2305, "ct": "50/5", "pt": "10000/100"}], "price": "0.53"},
            _energy,
            {"multiplier": "倍率", "kwh": "电量 (kWh)", "amount": "电费 (元)"},
        ),
        CalcForm(
            "basic_charge",
            (
                Field("price", "基本电价 (元/kVA·月)"),
                Field("transformers", "变压器 (编号:容量, 逗号分隔)", "text", help="如 T1:500,T2:630,T3:200"),
                Field("interlocked", "互为备用(连锁)组", "text", required=False, help="如 T1+T2"),
            ),
            {"price": "30", "transformers": [{"id": "T1", "kva": 500}, {"id": "T2", "kva": 630}], "interlocked": [["T1", "T2"]]},
            _basic,
            {"capacity_kva": "计费容量 (kVA)", "amount": "基本电费 (元)"},
        ),
        CalcForm(
            "late_fee",
            (
                Field("customer", "用户类别", "choice", choices=(("residential", "居民"), ("other", "非居民"))),
                Field("bills", "欠费清单 (每行: 金额,交费期限)", "bills", help="如 2000,2000-12-15"),
                Field("paid", "交费日期", "date"),
            ),
            {"customer": "other", "bills": [{"amount": "2000", "due": "2000-12-15"}], "paid": "2001-01-18"},
            _late_fee,
            {"total": "违约金合计 (元)", "bills": "各笔明细"},
        ),
        CalcForm(
            "theft",
            (
                Field("customer", "用户类别", "choice", choices=(("power", "动力"), ("lighting", "照明"))),
                Field("capacity_kw", "窃电容量 (kW)", required=False),
                Field("hours_per_day", "每日窃电小时数 (不明留空)", required=False),
                Field("days", "窃电天数 (不明留空)", "int", required=False),
                Field("kwh", "已查明窃电量 (kWh, 可空)", required=False),
                Field("price", "电价 (元/kWh)"),
            ),
            {"customer": "power", "capacity_kw": 2, "hours_per_day": None, "days": None, "price": "0.40"},
            lambda v: {**{k: v.get(k) or None for k in ("capacity_kw", "hours_per_day", "days", "kwh")},
                       "customer": v["customer"], "price": v["price"]},
            {"kwh": "窃电量 (kWh)", "supplementary": "补交电费 (元)", "penalty": "违约使用电费 (元)", "total": "合计 (元)",
             "defaults_used": "按规则默认值", "hours_per_day": "每日小时数", "days": "天数"},
        ),
        CalcForm(
            "line_loss",
            (Field("supply_kwh", "供电量 (kWh)"), Field("sales_kwh", "售电量 (kWh)"), Field("price", "电价 (元/kWh)", required=False)),
            {"supply_kwh": 7800, "sales_kwh": 7650, "price": "0.55"},
            lambda v: {k: v[k] for k in ("supply_kwh", "sales_kwh", "price") if v.get(k) not in (None, "")},
            {"supply_kwh": "供电量 (kWh)", "sales_kwh": "售电量 (kWh)", "loss_kwh": "损失电量 (kWh)", "loss_rate_percent": "线损率 (%)", "amount": "损失金额 (元)"},
        ),
        CalcForm(
            "outage_compensation",
            (
                Field("tariff", "电价制度", "choice", choices=(("single_part", "单一制"), ("two_part", "两部制"))),
                Field("outage_hours", "停电小时数"),
                Field("normal_kwh", "正常月电量 (kWh)"),
                Field("normal_days", "正常月天数", "int"),
                Field("price", "电价 (元/kWh)"),
            ),
            {"tariff": "single_part", "outage_hours": 30, "normal_kwh": 30000, "normal_days": 30, "price": "0.40"},
            lambda v: dict(v),
            {"kwh": "少供电量 (kWh)", "charge": "少供电量电费 (元)", "multiple": "赔偿倍数", "amount": "赔偿金额 (元)"},
        ),
        CalcForm(
            "bill",
            (),
            {
                "days": 30, "month_days": 30,
                "meter": {"ct": "150/5", "pt": "10000/100", "registers": {
                    "total": [5953.8, 6124.4], "peak": [4639.2, 4675.1], "valley": [4565.9, 4592.7],
                    "reactive": [3459.8, 3496.5]}},
                "price": {"flat": "0.45", "peak_factor": "1.5", "valley_factor": "0.5"},
                "fixed_quantities": [{"name": "照明", "kwh": 2000, "price": "0.70"}],
                "basic": {"capacity_kva": 5000, "price": "15"}, "pf_standard": "0.90",
                "funds": [{"name": "三峡基金", "price": "0.007"}],
            },
            labels={"total": "电费合计 (元)", "pf": "功率因数", "energy_kwh": "结算电量 (kWh)"},
        ),
        CalcForm(
            "violation",
            (),
            {"type": "capacity_overrun", "two_part": True, "kva": 315, "basic_price": "20", "months": 1,
             "extra_days": 7, "month_days": 30},
            labels={"kwh": "电量 (kWh)", "supplementary": "补交电费 (元)", "penalty": "违约使用电费 (元)", "total": "合计 (元)"},
        ),
        CalcForm(
            "meter_error",
            (),
            {"type": "error_percent", "error_percent": "-10", "metered_kwh": 900000, "half_period": True},
            labels={"kwh": "退补电量 (kWh, +补收/-退还)", "amount": "退补金额 (元)", "correction_ratio": "更正系数",
                    "fraction": "计量比例", "period_factor": "退补期间系数"},
        ),
        CalcForm(
            "transformer_loss",
            (),
            {"method": "iron_copper", "iron_active_kwh": 300, "iron_reactive_kvarh": 400, "copper_percent": "1",
             "k": "2.3", "metered_active_kwh": 15000, "metered_reactive_kvarh": 6000},
            labels={"active_kwh": "有功损耗 (kWh)", "reactive_kvarh": "无功损耗 (kvarh)",
                    "billing_active_kwh": "计费有功电量 (kWh)", "billing_reactive_kvarh": "计费无功电量 (kvarh)"},
        ),
    )
}


def form_input(kind: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """The calculation input from a submitted form: the JSON box when filled, else the fields."""
    form = FORMS.get(kind)
    if form is None:
        raise ServiceError("unknown_kind", f"未知的测算类型 {kind!r}")
    text = str(data.get("input_json") or "").strip()
    if text or not form.fields:
        if not text:
            raise ServiceError("bad_input", "请填写 JSON 输入")
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ServiceError("bad_json", f"JSON 格式错误：第 {exc.lineno} 行第 {exc.colno} 列 {exc.msg}") from None
        if not isinstance(value, dict):
            raise ServiceError("bad_json", "JSON 输入应为一个对象 {…}")
        return value
    values: dict[str, Any] = {}
    missing = []
    for f in form.fields:
        raw = str(data.get(f.name) or "").strip()
        if not raw:
            if f.required:
                missing.append(f.label)
            values[f.name] = None
            continue
        if f.kind == "choice" and raw not in {c for c, _ in f.choices}:
            raise ServiceError("bad_input", f"{f.label} 的取值“{raw}”无效")
        values[f.name] = int(raw) if f.kind == "int" and raw.isdigit() else raw
    if missing:
        raise ServiceError("missing_field", "请填写：" + "、".join(missing))
    return form.build(values) if form.build else {k: v for k, v in values.items() if v is not None}


def example_json(kind: str) -> str:
    return json.dumps(FORMS[kind].example, ensure_ascii=False, indent=2)
