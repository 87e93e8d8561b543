"""Versioned business-rule data for late fees, theft, violations, meter errors and outages.

Why this module exists: every rate, multiple and limit the calculations use is *data*, selected by the
event date, never a literal in the calculation code. The 1996 《供电营业规则》 (电力工业部令第8号) applies to
events up to 2024-05-31; the revised rules (国家发展改革委令2024年第14号) from 2024-06-01. Where the 2024
text lets the supply contract agree a value, the contract's value is passed as an override and wins.

Values marked unconfirmed (⚠ in ``/work/shared/rules/money.md``) are listed in ``RuleSet.unconfirmed`` so
a UI can say so where a user sets them.

Usage::

    rules = rules_for(date(2001, 1, 18))
    rules.late_fee.rate_cross_year            # Decimal("0.003")
    rules_for(date(2024, 7, 1), {"theft.penalty_multiple": "2"})   # contract-agreed 2×
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from powercis.core.errors import CalcError
from powercis.core.money import to_decimal

D = Decimal

RESIDENTIAL = "residential"
OTHER = "other"
POWER = "power"
LIGHTING = "lighting"


@dataclass(frozen=True)
class LateFeeRules:
    """电费违约金: daily rates on the overdue amount (1996 art. 98) and the per-bill minimum."""

    rate_residential: Decimal
    """居民用户 每日 1‰."""
    rate_current_year: Decimal
    """其他用户 当年欠费 每日 2‰."""
    rate_cross_year: Decimal
    """其他用户 跨年度欠费 每日 3‰."""
    minimum: Decimal
    """每笔违约金不足 1 元按 1 元收取."""

    def rate_for(self, customer: str, cross_year: bool) -> Decimal:
        """The daily rate for one overdue day of a bill."""
        if customer == RESIDENTIAL:
            return self.rate_residential
        return self.rate_cross_year if cross_year else self.rate_current_year


@dataclass(frozen=True)
class TheftRules:
    """窃电 (1996 arts. 101–103): penalty multiple and the defaults when the period is unknown."""

    penalty_multiple: Decimal
    """违约使用电费 = 补交电费 × 3 (2024: up to 3×, agreed in contract)."""
    default_days: Decimal
    """窃电时间无法查明时 至少按 180 天计."""
    hours_power: Decimal
    """电力用户 每日 12 小时."""
    hours_lighting: Decimal
    """照明用户 每日 6 小时."""

    def hours_for(self, customer: str) -> Decimal:
        """Default hours a day for a power (动力) or lighting (照明) user."""
        return self.hours_lighting if customer == LIGHTING else self.hours_power


@dataclass(frozen=True)
class ViolationRules:
    """违约用电 (1996 art. 100; 2024 art. 101) — the money.md table, row by row."""

    class_change_multiple: Decimal
    """1 擅自改变用电类别: 2× the price difference."""
    class_change_default_months: Decimal
    """1: period unknown → 3 months ..."""
    class_change_month_days: Decimal
    """... of 30 days."""
    capacity_overrun_multiple: Decimal
    """2 私增容量 (两部制): 3× the basic charge on the excess."""
    capacity_overrun_per_kw: Decimal
    """2 私增容量 (其他用户): 50 元/kW(kVA)."""
    month_days: Decimal
    """2, 4: part months count by days ÷ 30."""
    quota_per_kw: Decimal
    """3 超计划分配用电: 1 元/kW per occasion on the excess load."""
    quota_energy_multiple: Decimal
    """3: 5× the charge on the excess energy."""
    sealed_multiple: Decimal
    """4 擅自使用暂停/封存设备 (两部制): 2× the basic charge."""
    sealed_per_kw: Decimal
    """4 (其他用户): 30 元/kW(kVA) per occasion."""
    tamper_residential: Decimal
    """5 私自迁移、更动计量装置等: 居民 500 元/次."""
    tamper_other: Decimal
    """5: 其他用户 5000 元/次."""
    unauthorized_source_per_kw: Decimal
    """6 未经批准擅自引入(供出)电源或并网: 500 元/kW(kVA)."""


@dataclass(frozen=True)
class MeterErrorRules:
    """计量差错退补 (1996 arts. 79–81): which share of the period an error is corrected over."""

    error_period_factor: Decimal
    """Meter/CT/PT error beyond tolerance: half the time since the last test (按一半时间退补)."""
    wiring_period_factor: Decimal
    """Wrong wiring: the whole time since the last test or installation."""
    kwh_places: int
    """Decimals of the corrected energy shown and priced (presentation default, not a rule text)."""


@dataclass(frozen=True)
class LineLossRules:
    """线损: the loss rate is shown in percent, half-up to this many decimals."""

    rate_places: int


@dataclass(frozen=True)
class CompensationRules:
    """停电赔偿 (1996 art. 95): energy price × 4 (single-part) or × 5 (two-part)."""

    multiple_single_part: Decimal
    multiple_two_part: Decimal
    hours_per_day: Decimal
    """Likely hourly use = normal kWh ÷ normal days ÷ 24."""
    kwh_places: int
    """Decimals of the likely energy shown and priced (presentation default)."""

    def multiple_for(self, tariff: str) -> Decimal:
        return self.multiple_two_part if tariff == "two_part" else self.multiple_single_part


@dataclass(frozen=True)
class RuleSet:
    """All rule values in force on one date (one version, optionally with contract overrides)."""

    version: str
    title: str
    effective_from: date
    late_fee: LateFeeRules
    theft: TheftRules
    violation: ViolationRules
    meter_error: MeterErrorRules
    line_loss: LineLossRules
    compensation: CompensationRules
    unconfirmed: frozenset[str] = frozenset()
    """Dotted keys of values not confirmed from an authoritative text (⚠)."""
    overridden: frozenset[str] = frozenset()
    """Dotted keys set by contract overrides."""


_LATE_1996 = LateFeeRules(
    rate_residential=D("0.001"),
    rate_current_year=D("0.002"),
    rate_cross_year=D("0.003"),
    minimum=D("1"),
)
_THEFT_1996 = TheftRules(
    penalty_multiple=D("3"), default_days=D("180"), hours_power=D("12"), hours_lighting=D("6")
)
_VIOLATION_1996 = ViolationRules(
    class_change_multiple=D("2"),
    class_change_default_months=D("3"),
    class_change_month_days=D("30"),
    capacity_overrun_multiple=D("3"),
    capacity_overrun_per_kw=D("50"),
    month_days=D("30"),
    quota_per_kw=D("1"),
    quota_energy_multiple=D("5"),
    sealed_multiple=D("2"),
    sealed_per_kw=D("30"),
    tamper_residential=D("500"),
    tamper_other=D("5000"),
    unauthorized_source_per_kw=D("500"),
)
_METER_1996 = MeterErrorRules(error_period_factor=D("0.5"), wiring_period_factor=D("1"), kwh_places=2)
_LINELOSS = LineLossRules(rate_places=2)
_COMP_1996 = CompensationRules(
    multiple_single_part=D("4"), multiple_two_part=D("5"), hours_per_day=D("24"), kwh_places=2
)

RULES_1996 = RuleSet(
    version="1996",
    title="供电营业规则 (电力工业部令第8号, 1996)",
    effective_from=date(1996, 10, 8),
    late_fee=_LATE_1996,
    theft=_THEFT_1996,
    violation=_VIOLATION_1996,
    meter_error=_METER_1996,
    line_loss=_LINELOSS,
    compensation=_COMP_1996,
    unconfirmed=frozenset({"violation.unauthorized_source_per_kw", "compensation.multiple_two_part"}),
)

# The 2024 text lets the contract agree late-fee rates, the theft multiple (up to 3×) and violation
# amounts (as caps); the defaults below are the 1996 values until confirmed (⚠ in money.md).
RULES_2024 = dataclasses.replace(
    RULES_1996,
    version="2024",
    title="供电营业规则 (国家发展改革委令2024年第14号)",
    effective_from=date(2024, 6, 1),
    unconfirmed=frozenset(
        {
            "late_fee.rate_residential",
            "late_fee.rate_current_year",
            "late_fee.rate_cross_year",
            "late_fee.minimum",
            "theft.penalty_multiple",
            "violation.quota_per_kw",
            "violation.quota_energy_multiple",
            "violation.unauthorized_source_per_kw",
            "compensation.multiple_single_part",
            "compensation.multiple_two_part",
        }
    ),
)

VERSIONS: tuple[RuleSet, ...] = (RULES_1996, RULES_2024)
"""All versions, oldest first. Events before the first version's date use the first version."""

_SECTIONS = ("late_fee", "theft", "violation", "meter_error", "line_loss", "compensation")


#: Contract-agreed values in force for the calculation running in this context (see ``contract_terms``).
_CONTRACT: ContextVar[Mapping[str, Any] | None] = ContextVar("powercis_contract_terms", default=None)


@contextmanager
def contract_terms(overrides: Mapping[str, Any] | None) -> Iterator[None]:
    """Within the block, ``rules_for`` applies ``overrides`` (the supply contract's agreed values)
    when its caller passes none: how a contract reaches every calculation without new parameters."""
    if overrides is not None:
        apply_overrides(VERSIONS[-1], overrides)  # reject unknown keys at once
    token = _CONTRACT.set(overrides)
    try:
        yield
    finally:
        _CONTRACT.reset(token)


def rules_for(on: date, overrides: Mapping[str, Any] | None = None) -> RuleSet:
    """The rule set in force on ``on``, with contract-agreed ``overrides`` applied.

    Without ``overrides``, the contract terms of the surrounding ``contract_terms`` block apply.

    ``overrides`` uses dotted keys (``{"late_fee.rate_current_year": "0.0025"}``) or nested mappings
    (``{"late_fee": {"rate_current_year": "0.0025"}}``); an unknown key raises ``CalcError`` so a typo
    never silently falls back to the default.
    """
    chosen = VERSIONS[0]
    for version in VERSIONS:
        if version.effective_from <= on:
            chosen = version
    if overrides is None:
        overrides = _CONTRACT.get()
    if not overrides:
        return chosen
    return apply_overrides(chosen, overrides)


def _flatten(overrides: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in overrides.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


def apply_overrides(rules: RuleSet, overrides: Mapping[str, Any]) -> RuleSet:
    """A copy of ``rules`` with contract values; each value is converted to the field's type."""
    flat = _flatten(overrides)
    by_section: dict[str, dict[str, Any]] = {}
    for key, value in flat.items():
        section, _, name = key.partition(".")
        if section not in _SECTIONS or not name:
            raise CalcError("unknown_rule", f"未知的规则项: {key}")
        current = getattr(rules, section)
        names = {f.name: f for f in dataclasses.fields(current)}
        if name not in names:
            raise CalcError("unknown_rule", f"未知的规则项: {key}")
        old = getattr(current, name)
        if isinstance(old, int):
            number = to_decimal(value, key)
            if number != number.to_integral_value() or number < 0:
                raise CalcError("invalid_value", f"规则项 {key} 须为非负整数: {value!r}")
            converted: Any = int(number)
        else:
            converted = to_decimal(value, key)
            if converted < 0:
                raise CalcError("invalid_value", f"规则项 {key} 不能为负: {value!r}")
        by_section.setdefault(section, {})[name] = converted
    changes: dict[str, Any] = {
        section: dataclasses.replace(getattr(rules, section), **values) for section, values in by_section.items()
    }
    return dataclasses.replace(rules, overridden=rules.overridden | frozenset(flat), **changes)
