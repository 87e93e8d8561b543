"""Basic charge (基本电费) of two-part (两部制) customers: capacity mode and demand mode.

Capacity mode: billable kVA × price per kVA·month, where interlocked standby transformers count as the
largest of their group, sealed cold-standby transformers are not charged, and suspensions reduce the
capacity for their days. Demand mode: contract demand with the 105 % excess rule, the 40 % floor and the
2023 90 %-at-260-kWh/kVA discount. All rule numbers come from ``tariff_rules`` by event date.
Part months prorate by days ÷ month_days (FORMAT.md gives both explicitly; month_days defaults to the
part-month rule's 30).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from powercis.core.errors import CalcError
from powercis.core.money import fmt_amount, fmt_number, plain, round_money, to_decimal
from powercis.core.tariff_rules import RULE_BASIC_CAPACITY, demand_rules, part_month_rules


@dataclass(frozen=True)
class BasicCharge:
    """One basic-charge line: billable quantity (kVA or kW), unit, effective price, amount and why."""

    quantity: Decimal
    unit: str
    price: Decimal
    amount: Decimal
    rule: str
    formula: str


def _proration(days: Any, month_days: Any, on: date | None) -> tuple[Decimal, Decimal]:
    """(days, month_days) as Decimals; missing days = a whole month, missing month_days = the 1/30 rule."""
    md = to_decimal(month_days, "month_days") if month_days is not None else Decimal(part_month_rules(on).days_per_month)
    d = to_decimal(days, "days") if days is not None else md
    if md <= 0 or d < 0:
        raise CalcError("invalid_days", f"天数不合理: {d}/{md}")
    return d, md


def _days_text(days: Decimal, month_days: Decimal) -> str:
    return "" if days == month_days else f" × {fmt_number(days)}/{fmt_number(month_days)} 天"


def billable_capacity(
    transformers: Sequence[Mapping[str, Any]],
    interlocked: Sequence[Sequence[str]] = (),
    suspensions: Sequence[Mapping[str, Any]] = (),
    motors: Sequence[Mapping[str, Any]] = (),
) -> Decimal:
    """Billable kVA of a capacity-mode customer.

    Transformers with ``"sealed": true`` (cold standby sealed by the utility) are not charged. Each
    interlocked group (互为备用, with an interlock so only one can run) counts as its largest member.
    HV motors (``kva`` or ``kw``, kW counted as kVA) add to the capacity. A suspension reduces the
    capacity by kva × days ÷ month_days × (1 − charge_rate).
    """
    kva: dict[str, Decimal] = {}
    order: list[str] = []
    for i, t in enumerate(transformers):
        if t.get("kva") is None:
            raise CalcError("missing_input", f"变压器 {t.get('id', i)} 缺少 kva")
        if t.get("sealed"):
            continue
        tid = str(t.get("id", f"#{i}"))
        kva[tid] = to_decimal(t["kva"], "kva")
        order.append(tid)
    grouped: set[str] = set()
    total = Decimal(0)
    for group in interlocked:
        members = [str(m) for m in group]
        for m in members:
            if m not in kva and not any(str(t.get("id")) == m for t in transformers):
                raise CalcError("unknown_transformer", f"连锁组中的变压器 {m} 不存在")
        live = [kva[m] for m in members if m in kva and m not in grouped]
        grouped.update(members)
        if live:
            total += max(live)
    total += sum((kva[t] for t in order if t not in grouped), Decimal(0))
    for motor in motors:
        value = motor.get("kva", motor.get("kw"))
        if value is None:
            raise CalcError("missing_input", "高压电动机缺少 kva/kw")
        total += to_decimal(value, "motor kva")
    for s in suspensions:
        if s.get("kva") is None or s.get("days") is None:
            raise CalcError("missing_input", "暂停缺少 kva 或 days")
        days, month_days = _proration(s["days"], s.get("month_days"), None)
        rate = to_decimal(s.get("charge_rate", 0), "charge_rate")
        total -= to_decimal(s["kva"], "kva") * days * (1 - rate) / month_days
    return total


def capacity_charge(
    capacity_kva: Decimal, price: Decimal, days: Any = None, month_days: Any = None, on: date | None = None
) -> BasicCharge:
    """Capacity mode: kVA × price × days ÷ month_days, rounded once to the fen."""
    d, md = _proration(days, month_days, on)
    amount = round_money(capacity_kva * price * d / md)
    formula = f"容量 {fmt_number(capacity_kva)} kVA × {fmt_number(price)} 元/kVA·月{_days_text(d, md)} = {fmt_amount(amount)}"
    return BasicCharge(capacity_kva, "kVA", price, amount, RULE_BASIC_CAPACITY, formula)


def demand_charge(
    contract_kw: Decimal,
    price: Decimal,
    days: Any = None,
    month_days: Any = None,
    *,
    actual_kw: Decimal | None = None,
    capacity_kva: Decimal | None = None,
    month_kwh: Decimal | None = None,
    on: date | None = None,
) -> BasicCharge:
    """Demand mode (按合同最大需量).

    - the declared demand is raised to the floor (40 % of ``capacity_kva``) when below it;
    - the price is multiplied by the discount factor (0.9) when the rule is in force on ``on`` and
      ``month_kwh`` ≥ 260 × ``capacity_kva`` × days ÷ month_days (the monthly threshold prorated for a
      part month — ⚠ our reading of "每月每千伏安");
    - actual demand above 105 % of the declared value: the declared value up to 105 % at the price and the
      part above 105 % at double price; at or below 105 %: the declared value.
    """
    rules = demand_rules(on)
    d, md = _proration(days, month_days, on)
    notes: list[str] = []
    declared = contract_kw
    if capacity_kva is not None and declared < capacity_kva * rules.floor_fraction:
        declared = capacity_kva * rules.floor_fraction
        notes.append(f"核定需量不低于容量 {fmt_number(capacity_kva)} kVA 的 {fmt_number(rules.floor_fraction * 100)}%")
    eff_price = price
    rule = rules.rule
    if (
        rules.discount_kwh_per_kva is not None
        and rules.discount_factor is not None
        and capacity_kva is not None
        and month_kwh is not None
        and capacity_kva > 0
        and month_kwh * md >= rules.discount_kwh_per_kva * capacity_kva * d
    ):
        eff_price = price * rules.discount_factor
        notes.append(
            f"用电 {fmt_number(month_kwh)} kWh ≥ {fmt_number(rules.discount_kwh_per_kva)} kWh/kVA，"
            f"需量电价按 {fmt_number(rules.discount_factor * 100)}%"
        )
    limit = declared * rules.excess_threshold
    if actual_kw is not None and actual_kw > limit:
        excess = actual_kw - limit
        monthly = limit * eff_price + excess * eff_price * rules.excess_multiple
        amount = round_money(monthly * d / md)
        formula = (
            f"需量 {fmt_number(limit)} kW × {fmt_number(eff_price)} + 超出 "
            f"{fmt_number(rules.excess_threshold * 100)}% 部分 {fmt_number(excess)} kW × {fmt_number(eff_price)} × "
            f"{fmt_number(rules.excess_multiple)}{_days_text(d, md)} = {fmt_amount(amount)}"
        )
        quantity = actual_kw
    else:
        amount = round_money(declared * eff_price * d / md)
        formula = f"需量 {fmt_number(declared)} kW × {fmt_number(eff_price)} 元/kW·月{_days_text(d, md)} = {fmt_amount(amount)}"
        quantity = declared
    if notes:
        formula += "（" + "；".join(notes) + "）"
    return BasicCharge(quantity, "kW", eff_price, amount, rule, formula)


def basic_from_input(
    basic: Mapping[str, Any], days: Any, month_days: Any, month_kwh: Decimal | None, on: date | None
) -> BasicCharge:
    """The bill segment's ``basic`` field → one basic charge.

    ``{"demand_kw", "price"}`` (optional ``actual_demand_kw``, ``capacity_kva``) selects demand mode;
    otherwise capacity mode from ``capacity_kva`` or from ``transformers``/``interlocked``/``suspensions``.
    """
    if basic.get("price") is None:
        raise CalcError("missing_input", "基本电费缺少 price")
    price = to_decimal(basic["price"], "basic.price")
    cap = to_decimal(basic["capacity_kva"], "capacity_kva") if basic.get("capacity_kva") is not None else None
    if basic.get("demand_kw") is not None:
        actual = basic.get("actual_demand_kw")
        return demand_charge(
            to_decimal(basic["demand_kw"], "demand_kw"),
            price,
            days,
            month_days,
            actual_kw=to_decimal(actual, "actual_demand_kw") if actual is not None else None,
            capacity_kva=cap,
            month_kwh=month_kwh,
            on=on,
        )
    if cap is None:
        if basic.get("transformers") is None:
            raise CalcError("missing_input", "基本电费缺少 capacity_kva、demand_kw 或 transformers")
        cap = billable_capacity(
            basic["transformers"], basic.get("interlocked", ()), basic.get("suspensions", ()), basic.get("motors", ())
        )
    return capacity_charge(cap, price, days, month_days, on)


def calc_basic_charge(inp: Mapping[str, Any], on: date | None) -> dict[str, str]:
    """Case kind ``basic_charge``: result ``capacity_kva`` (billable) and ``amount``."""
    if inp.get("price") is None:
        raise CalcError("missing_input", "缺少 price")
    if inp.get("transformers") is None and inp.get("capacity_kva") is None:
        raise CalcError("missing_input", "缺少 transformers 或 capacity_kva")
    if inp.get("transformers") is not None:
        cap = billable_capacity(
            inp["transformers"], inp.get("interlocked", ()), inp.get("suspensions", ()), inp.get("motors", ())
        )
    else:
        cap = to_decimal(inp["capacity_kva"], "capacity_kva")
    charge = capacity_charge(cap, to_decimal(inp["price"], "price"), inp.get("days"), inp.get("month_days"), on)
    return {"capacity_kva": plain(cap), "amount": f"{charge.amount:.2f}"}
