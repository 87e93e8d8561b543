"""窃电 (electricity theft, 1996 arts. 101–103) and 违约用电 (violations, 1996 art. 100 / 2024 art. 101).

Both produce the same three money figures a case notice (违约用电/窃电通知书) shows:
补交电费 ``supplementary`` (what should have been billed), 违约使用电费 ``penalty`` and ``total``.

Money rule: each charge line is rounded half-up to the fen *before* a multiple applies (the penalty is
3× the rounded supplementary charge, not the rounded 3× of the exact one); totals sum rounded lines.
All multiples, default periods, hours and per-kW amounts come from ``rules.RuleSet`` for the event date
(contract overrides included), never from this module.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from powercis.core.errors import CalcError
from powercis.core.inputs import choice, dec, flag, items_of, mapping, opt_dec, out, whole
from powercis.core.money import ZERO, round_money
from powercis.core.rules import LIGHTING, OTHER, POWER, RESIDENTIAL, RuleSet, rules_for

THEFT_CUSTOMERS = (POWER, LIGHTING)
"""电力(动力)用户 / 照明用户 — they differ only in the default hours a day."""

# --------------------------------------------------------------------------------------------------
# 窃电
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TheftInput:
    """What an inspector establishes about a theft; None = could not be established (不明)."""

    customer: str
    price: Decimal
    capacity_kw: Decimal | None = None
    hours_per_day: Decimal | None = None
    days: Decimal | None = None
    kwh: Decimal | None = None
    """Stolen energy when known directly (e.g. from a recorder); it wins over capacity × time."""


@dataclass(frozen=True)
class TheftResult:
    kwh: Decimal
    hours_per_day: Decimal | None
    days: Decimal | None
    defaults_used: tuple[str, ...]
    """Which of ``hours_per_day``/``days`` came from the rule defaults (shown on the notice)."""
    supplementary: Decimal
    penalty: Decimal
    total: Decimal


def theft_charges(t: TheftInput, rules: RuleSet) -> TheftResult:
    """补交电费 and 违约使用电费 of a theft.

    Stolen energy is ``kwh`` when known; otherwise capacity × hours a day × days, where an unknown
    period takes the rule's minimum days (180) and unknown hours the rule's hours for the customer
    class (12 power, 6 lighting). Known values are used exactly as given.
    """
    if t.customer not in THEFT_CUSTOMERS:
        raise CalcError("invalid_value", f"窃电用户类别无效: {t.customer!r} (可选: power, lighting)")
    defaults: list[str] = []
    hours, days = t.hours_per_day, t.days
    if t.kwh is not None:
        kwh = t.kwh
    else:
        if t.capacity_kw is None:
            raise CalcError("missing_field", "缺少输入项 capacity_kw (或已知窃电量 kwh)")
        if hours is None:
            hours = rules.theft.hours_for(t.customer)
            defaults.append("hours_per_day")
        if days is None:
            days = rules.theft.default_days
            defaults.append("days")
        kwh = t.capacity_kw * hours * days
    supplementary = round_money(kwh * t.price)
    penalty = round_money(rules.theft.penalty_multiple * supplementary)
    return TheftResult(kwh, hours, days, tuple(defaults), supplementary, penalty, supplementary + penalty)


def calc_theft(inp: Mapping[str, Any], on: date | None) -> dict[str, Any]:
    """Case adapter (kind ``theft``): see cases/FORMAT.md."""
    t = TheftInput(
        customer=choice(inp, "customer", THEFT_CUSTOMERS),
        price=dec(inp, "price"),
        capacity_kw=opt_dec(inp, "capacity_kw"),
        hours_per_day=opt_dec(inp, "hours_per_day"),
        days=opt_dec(inp, "days"),
        kwh=opt_dec(inp, "kwh"),
    )
    if t.hours_per_day is not None and t.hours_per_day > 24:
        raise CalcError("invalid_value", f"hours_per_day 不能超过 24: {t.hours_per_day}")
    r = theft_charges(t, rules_for(on or date.today()))
    result = {
        "kwh": out(r.kwh),
        "supplementary": out(r.supplementary),
        "penalty": out(r.penalty),
        "total": out(r.total),
        "defaults_used": list(r.defaults_used),
    }
    if r.hours_per_day is not None:
        result["hours_per_day"] = out(r.hours_per_day)
    if r.days is not None:
        result["days"] = out(r.days)
    return result


# --------------------------------------------------------------------------------------------------
# 违约用电
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ViolationResult:
    supplementary: Decimal
    penalty: Decimal
    kwh: Decimal | None = None

    @property
    def total(self) -> Decimal:
        return self.supplementary + self.penalty


@dataclass(frozen=True)
class ClassUse:
    """One use at a higher-price class (e.g. 5 kW of commercial use on an industrial supply)."""

    price: Decimal
    capacity_kw: Decimal | None = None
    customer: str = POWER
    hours_per_day: Decimal | None = None
    kwh: Decimal | None = None


def class_change(price_contract: Decimal, uses: Sequence[ClassUse], rules: RuleSet,
                 days: Decimal | None = None) -> ViolationResult:
    """1 擅自改变用电类别 / 高价低接: the price difference on the energy, and 2× it as the penalty.

    Energy of a use: its ``kwh`` when known; else capacity × hours (the theft hours for its class
    unless given) × ``days`` (None = period unknown → the rule's 3 months of 30 days).
    """
    v = rules.violation
    period = days if days is not None else v.class_change_default_months * v.class_change_month_days
    supplementary = ZERO
    total_kwh = ZERO
    for use in uses:
        if use.kwh is not None:
            kwh = use.kwh
        else:
            if use.capacity_kw is None:
                raise CalcError("missing_field", "缺少输入项 capacity_kw (或已知电量 kwh)")
            hours = use.hours_per_day if use.hours_per_day is not None else rules.theft.hours_for(use.customer)
            kwh = use.capacity_kw * hours * period
        difference = use.price - price_contract
        if difference < 0:
            raise CalcError("invalid_value", f"实际用电类别电价 {use.price} 低于合同电价 {price_contract}")
        supplementary += round_money(kwh * difference)
        total_kwh += kwh
    penalty = round_money(v.class_change_multiple * supplementary)
    return ViolationResult(supplementary, penalty, total_kwh)


def basic_charge_for_time(kva: Decimal, basic_price: Decimal, months: Decimal, extra_days: Decimal,
                          month_days: Decimal) -> Decimal:
    """Basic charge on ``kva`` for whole months plus a part month counted by days ÷ month_days."""
    return round_money(kva * basic_price * (months * month_days + extra_days) / month_days)


def capacity_overrun(two_part: bool, kva: Decimal, rules: RuleSet, basic_price: Decimal | None = None,
                     months: Decimal = ZERO, extra_days: Decimal = ZERO,
                     month_days: Decimal | None = None) -> ViolationResult:
    """2 私增容量: two-part — basic charge on the excess for the time used and 3× it; others 50 元/kW."""
    v = rules.violation
    if not two_part:
        return ViolationResult(ZERO, round_money(v.capacity_overrun_per_kw * kva))
    supplementary = _two_part_basic(kva, basic_price, months, extra_days, month_days, rules)
    return ViolationResult(supplementary, round_money(v.capacity_overrun_multiple * supplementary))


def sealed_equipment_use(two_part: bool, kva: Decimal, rules: RuleSet, basic_price: Decimal | None = None,
                         months: Decimal = ZERO, extra_days: Decimal = ZERO,
                         month_days: Decimal | None = None, occasions: int = 1) -> ViolationResult:
    """4 擅自使用已暂停/封存的设备: two-part — basic charge for the time used and 2× it; others 30 元/kW/次."""
    v = rules.violation
    if not two_part:
        return ViolationResult(ZERO, round_money(v.sealed_per_kw * kva * occasions))
    supplementary = _two_part_basic(kva, basic_price, months, extra_days, month_days, rules)
    return ViolationResult(supplementary, round_money(v.sealed_multiple * supplementary))


def _two_part_basic(kva: Decimal, basic_price: Decimal | None, months: Decimal, extra_days: Decimal,
                    month_days: Decimal | None, rules: RuleSet) -> Decimal:
    if basic_price is None:
        raise CalcError("missing_field", "两部制用户缺少输入项 basic_price")
    if months == 0 and extra_days == 0:
        raise CalcError("missing_field", "两部制用户须给出使用时间 months 和/或 extra_days")
    md = month_days if month_days is not None else rules.violation.month_days
    if md <= 0:
        raise CalcError("invalid_value", "month_days 须大于 0")
    return basic_charge_for_time(kva, basic_price, months, extra_days, md)


def quota_overrun(excess_kw: Decimal, excess_kwh: Decimal, price: Decimal, rules: RuleSet,
                  occasions: int = 1) -> ViolationResult:
    """3 超计划分配用电: 1 元/kW per occasion on the excess load plus 5× the charge on the excess energy."""
    v = rules.violation
    load_line = round_money(v.quota_per_kw * excess_kw * occasions)
    energy_line = round_money(excess_kwh * price)
    return ViolationResult(ZERO, load_line + round_money(v.quota_energy_multiple * energy_line), excess_kwh)


def metering_tamper(customer: str, rules: RuleSet, occasions: int = 1) -> ViolationResult:
    """5 私自迁移、更动、擅自操作计量装置等: 500 元/次 residential, 5000 元/次 others."""
    v = rules.violation
    per = v.tamper_residential if customer == RESIDENTIAL else v.tamper_other
    return ViolationResult(ZERO, round_money(per * occasions))


def unauthorized_source(kva: Decimal, rules: RuleSet) -> ViolationResult:
    """6 未经批准擅自引入(供出)电源或将自备电源擅自并网: 500 元/kW(kVA)."""
    return ViolationResult(ZERO, round_money(rules.violation.unauthorized_source_per_kw * kva))


VIOLATION_TYPES = (
    "class_change",
    "capacity_overrun",
    "quota_overrun",
    "sealed_equipment_use",
    "metering_tamper",
    "unauthorized_source",
)


def _capacity(inp: Mapping[str, Any]) -> Decimal:
    """Capacity in kVA or kW (kVA counts as kW for violations)."""
    for key in ("kva", "kw", "capacity_kva", "capacity_kw"):
        if inp.get(key) is not None:
            return dec(inp, key)
    raise CalcError("missing_field", "缺少输入项 kva 或 kw")


def calc_violation(inp: Mapping[str, Any], on: date | None) -> dict[str, Any]:
    """Case adapter (kind ``violation``): see cases/FORMAT.md and the money.md table."""
    rules = rules_for(on or date.today())
    vtype = choice(inp, "type", VIOLATION_TYPES)
    if vtype == "class_change":
        price_contract = dec(inp, "price_contract")
        if inp.get("uses") is not None:
            uses = []
            for n, raw in enumerate(items_of(inp["uses"], "uses")):
                u = mapping(raw, f"uses[{n}]")
                uses.append(
                    ClassUse(
                        price=dec(u, "price"),
                        capacity_kw=opt_dec(u, "capacity_kw"),
                        customer=choice(u, "customer", THEFT_CUSTOMERS, default=POWER),
                        hours_per_day=opt_dec(u, "hours_per_day"),
                        kwh=opt_dec(u, "kwh"),
                    )
                )
        else:
            uses = [ClassUse(price=dec(inp, "price"), kwh=dec(inp, "kwh"))]
        days = opt_dec(inp, "days")
        if days is None and inp.get("months") is not None:
            days = dec(inp, "months") * dec(inp, "month_days", rules.violation.class_change_month_days)
        result = class_change(price_contract, uses, rules, days)
    elif vtype in ("capacity_overrun", "sealed_equipment_use"):
        two_part = flag(inp, "two_part")
        kva = _capacity(inp)
        kwargs: dict[str, Any] = {}
        if two_part:
            kwargs = {
                "basic_price": dec(inp, "basic_price"),
                "months": dec(inp, "months", ZERO),
                "extra_days": dec(inp, "extra_days", ZERO),
                "month_days": opt_dec(inp, "month_days"),
            }
        if vtype == "capacity_overrun":
            result = capacity_overrun(two_part, kva, rules, **kwargs)
        else:
            result = sealed_equipment_use(two_part, kva, rules, occasions=whole(inp, "occasions", 1), **kwargs)
    elif vtype == "quota_overrun":
        excess_kwh = dec(inp, "excess_kwh", ZERO)
        price = dec(inp, "price") if excess_kwh > 0 else dec(inp, "price", ZERO)
        result = quota_overrun(dec(inp, "excess_kw", ZERO), excess_kwh, price, rules, whole(inp, "occasions", 1))
    elif vtype == "metering_tamper":
        customer = choice(inp, "customer", (RESIDENTIAL, OTHER))
        result = metering_tamper(customer, rules, whole(inp, "occasions", 1))
    else:
        result = unauthorized_source(_capacity(inp), rules)
    data = {
        "supplementary": out(round_money(result.supplementary)),
        "penalty": out(round_money(result.penalty)),
        "total": out(round_money(result.total)),
    }
    if result.kwh is not None:
        data["kwh"] = out(result.kwh)
    return data
