"""The scalar reference rater (电费计算): one account, one billing period → bill lines.

Used by the trial calculator (kind ``bill`` of ``cases/FORMAT.md``) and by the monthly billing run (the
vectorised rater must equal it line by line). Each line records quantity, unit, price, amount, the rule
that produced it and the calculation in words, because a 核算员 must be able to check every fen.

Order of work for one segment (a period part with its own capacity, class, metering or prices):
1. energy per register (readings × multiplier, or given kWh); flat = total − peak − valley − sharp;
2. transformer loss added (flat register by default, see ``transformer_loss.DEFAULT_ALLOCATION``);
3. fixed quantities (定量) taken off the flat register, then fixed ratios (定比) of the rest, taken
   proportionally from every register — each billed at its own price;
4. energy lines at catalogue prices (TOU registers, tiers, or one flat price); a price with TOU prices
   and ``tiers`` (residential TOU on annual tiers) bills every register at its TOU price plus a tier
   surcharge line (``energy:tier<n>_add``) for the kWh in tier n ≥ 2 at that tier's increment;
5. basic charge (capacity or demand mode), prorated by days ÷ month_days;
6. power-factor adjustment on basic + catalogue energy lines (not fixed splits, not funds).
Funds (政府性基金及附加) are period lines on all billed active kWh (fixed splits and losses included).
Every line is rounded half-up to the fen; the total is the sum of rounded lines.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from powercis.core.basic_charge import basic_from_input
from powercis.core.energy import multiplier, register_delta
from powercis.core.errors import CalcError
from powercis.core.money import fmt_amount, fmt_number, round_money, to_decimal
from powercis.core.money import plain as _plain
from powercis.core.pf import adjustment_percent, fmt_percent, power_factor
from powercis.core.tariff_rules import RULE_FIXED, RULE_FLAT, RULE_FUNDS, RULE_TIERS, RULE_TOU, pf_table
from powercis.core.transformer_loss import DEFAULT_ALLOCATION, TOU_REGISTERS, allocate_loss, segment_loss

ZERO = Decimal(0)
#: ``BillLine.segment`` of lines that belong to the whole period (funds), not to one segment.
PERIOD_SEGMENT = -1

TOU_LABELS = {"sharp": "尖峰", "peak": "峰段", "flat": "平段", "valley": "谷段"}
TIER_NAMES = ("第一档", "第二档", "第三档", "第四档", "第五档")


@dataclass(frozen=True)
class BillLine:
    """One bill line. ``item`` is the FORMAT.md item name; ``formula`` explains the amount in numbers.

    For ``pf_adjust`` the quantity is the base (元) and the price the signed rate (percent ÷ 100).
    ``segment`` is the index in ``segments`` (0 for a single-segment bill), ``PERIOD_SEGMENT`` for funds.
    """

    item: str
    label: str
    quantity: Decimal
    unit: str
    price: Decimal | None
    amount: Decimal
    rule: str
    formula: str
    segment: int = 0


@dataclass(frozen=True)
class BillResult:
    """The rated bill: lines, total (sum of rounded lines), the power factor(s) used, billed kWh."""

    lines: tuple[BillLine, ...]
    total: Decimal
    pf: Decimal | list[Decimal] | None
    energy_kwh: Decimal
    tariff_version: str | None = None

    def items(self) -> dict[str, Decimal]:
        """Amounts by FORMAT item name, summed over segments, plus the ``energy`` and ``funds`` subtotals."""
        out: dict[str, Decimal] = {}
        energy = ZERO
        funds = ZERO
        for line in self.lines:
            out[line.item] = out.get(line.item, ZERO) + line.amount
            if line.item.startswith(("energy:", "fixed:")):
                energy += line.amount
            elif line.item.startswith("fund:"):
                funds += line.amount
        out["energy"] = energy
        if any(line.item.startswith("fund:") for line in self.lines):
            out["funds"] = funds
        return out

    def to_result(self) -> dict[str, Any]:
        """FORMAT ``bill`` result (decimal strings): total, pf, items — plus lines, energy_kwh, tariff_version."""
        result: dict[str, Any] = {"total": f"{self.total:.2f}"}
        if isinstance(self.pf, list):
            result["pf"] = [f"{p:.2f}" for p in self.pf]
        elif self.pf is not None:
            result["pf"] = f"{self.pf:.2f}"
        result["items"] = {k: f"{v:.2f}" for k, v in self.items().items()}
        result["energy_kwh"] = _plain(self.energy_kwh)
        if self.tariff_version is not None:
            result["tariff_version"] = self.tariff_version
        result["lines"] = [
            {
                "item": ln.item,
                "label": ln.label,
                "quantity": _plain(ln.quantity),
                "unit": ln.unit,
                "price": None if ln.price is None else _plain(ln.price),
                "amount": f"{ln.amount:.2f}",
                "rule": ln.rule,
                "formula": ln.formula,
                "segment": ln.segment,
            }
            for ln in self.lines
        ]
        return result


# ---------------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------------


def _money_text(value: Decimal) -> str:
    return fmt_amount(value).replace("-", "−")


def _opt_dec(m: Mapping[str, Any], key: str) -> Decimal | None:
    value = m.get(key)
    return None if value is None else to_decimal(value, key)


def prorate_annual_thresholds(annual: Sequence[Decimal], months_supplied: int) -> list[Decimal]:
    """Tier thresholds for a partial tier year: annual ÷ 12 × months supplied (a part month is a whole one).

    The caller counts a started month as a whole month; two-month reading cycles are handled by passing
    the cumulative annual thresholds with ``used_before`` instead.
    """
    if not 1 <= months_supplied <= 12:
        raise CalcError("invalid_months", f"供电月数应在 1–12 之间: {months_supplied}")
    return [to_decimal(a, "threshold") * months_supplied / 12 for a in annual]


def tier_split(kwh: Decimal, thresholds: Sequence[Decimal], used_before: Decimal = ZERO) -> list[Decimal]:
    """kWh in each tier (len(thresholds) + 1 parts) for consumption placed from ``used_before`` onward.

    Thresholds are the upper bounds of tiers 1..n−1 (cumulative over the tier year when ``used_before``
    is the earlier use of the year). The parts always add up to ``kwh``.
    """
    if kwh < 0:
        raise CalcError("negative_energy", f"电量不能为负: {kwh}")
    bounds = [ZERO, *thresholds]
    if any(b2 < b1 for b1, b2 in zip(bounds, bounds[1:], strict=False)):
        raise CalcError("invalid_tiers", "阶梯分档电量必须递增")
    start, end = used_before, used_before + kwh
    parts: list[Decimal] = []
    for i, low in enumerate(bounds):
        high = bounds[i + 1] if i + 1 < len(bounds) else None
        lo = max(start, low)
        hi = end if high is None else min(end, high)
        parts.append(hi - lo if hi > lo else ZERO)
    return parts


# ---------------------------------------------------------------------------------------------------
# energy of a segment
# ---------------------------------------------------------------------------------------------------


@dataclass
class _Energy:
    registers: dict[str, Decimal]  # peak, flat, valley, sharp (flat derived)
    total: Decimal
    reactive: Decimal | None
    notes: list[str] = field(default_factory=list)


def _register_value(spec: Any, mult: Decimal, digits: int | None, name: str) -> Decimal:
    """A register given as [start, end], {"start", "end"} or a plain advance, × multiplier."""
    if isinstance(spec, list | tuple):
        if len(spec) != 2:
            raise CalcError("invalid_register", f"{name} 示数应为 [上次, 本次]")
        return register_delta(spec[0], spec[1], digits) * mult
    if isinstance(spec, Mapping):
        if spec.get("delta") is not None:
            return to_decimal(spec["delta"], name) * mult
        d = spec.get("digits", digits)
        return register_delta(spec.get("start"), spec.get("end"), int(d) if d is not None else None) * mult
    return to_decimal(spec, name) * mult


def _meter_registers(meter: Mapping[str, Any]) -> dict[str, Decimal]:
    mult = multiplier(meter.get("ct"), meter.get("pt"), meter.get("turns", 1))
    digits = meter.get("digits")
    regs = meter.get("registers")
    if not isinstance(regs, Mapping):
        raise CalcError("missing_input", "meter 缺少 registers")
    return {
        k: _register_value(v, mult, int(digits) if digits is not None else None, k)
        for k, v in regs.items()
        if v is not None
    }


def _segment_energy(seg: Mapping[str, Any]) -> _Energy:
    raw: dict[str, Decimal] = {}
    if seg.get("energy") is not None:
        raw = {k: to_decimal(v, f"energy.{k}") for k, v in seg["energy"].items() if v is not None}
    elif seg.get("meter") is not None or seg.get("meters") is not None:
        meters = [seg["meter"]] if seg.get("meter") is not None else list(seg["meters"])
        for meter in meters:
            for k, v in _meter_registers(meter).items():
                raw[k] = raw.get(k, ZERO) + v
    else:
        raise CalcError("missing_input", "分段缺少 energy 或 meter")
    regs = {k: raw.get(k, ZERO) for k in ("peak", "valley", "sharp")}
    if "total" in raw:
        total = raw["total"]
        regs["flat"] = total - regs["peak"] - regs["valley"] - regs["sharp"]
    elif "flat" in raw:
        regs["flat"] = raw["flat"]
        total = sum(regs.values(), ZERO)
    else:
        raise CalcError("missing_input", "缺少总电量 total")
    for k, v in regs.items():
        if v < 0:
            raise CalcError("negative_energy", f"{TOU_LABELS[k]}电量为负 ({_plain(v)} kWh)：请检查示数")
    reactive: Decimal | None = None
    if "reactive" in raw or "reactive_reverse" in raw:
        reactive = abs(raw.get("reactive", ZERO)) + abs(raw.get("reactive_reverse", ZERO))
    return _Energy(regs, total, reactive)


# ---------------------------------------------------------------------------------------------------
# prices
# ---------------------------------------------------------------------------------------------------


def _has_tou(price: Mapping[str, Any]) -> bool:
    """True when the price names a TOU register price (absolute or as a factor of the flat price)."""
    return any(price.get(k) is not None or price.get(f"{k}_factor") is not None for k in ("peak", "valley", "sharp"))


def _tou_prices(price: Mapping[str, Any], *, require_flat: bool = True) -> dict[str, Decimal] | None:
    """Prices per register for a TOU price, or None for a single flat price.

    ``*_factor`` multiplies the flat price (sharp_factor too: ⚠ FORMAT does not say; use an absolute
    ``sharp`` price for "peak × 1.2" style rules). Absolute prices win over factors. With
    ``require_flat`` False (residential TOU + tiers, where e.g. Jiangsu has only peak and valley
    periods) the flat price may be absent as long as no factor needs it; a flat register with energy
    then fails with ``missing_price`` when it is priced.
    """
    if price.get("flat") is None:
        if require_flat or any(price.get(f"{k}_factor") is not None for k in ("peak", "valley", "sharp")):
            raise CalcError("missing_price", "缺少平段（目录）电价 flat")
        out: dict[str, Decimal] = {}
        for k in ("peak", "valley", "sharp"):
            if price.get(k) is not None:
                out[k] = to_decimal(price[k], f"price.{k}")
        return out or None
    flat = to_decimal(price["flat"], "price.flat")
    out = {"flat": flat}
    tou = False
    for k in ("peak", "valley", "sharp"):
        if price.get(k) is not None:
            out[k] = to_decimal(price[k], f"price.{k}")
            tou = True
        elif price.get(f"{k}_factor") is not None:
            out[k] = flat * to_decimal(price[f"{k}_factor"], f"price.{k}_factor")
            tou = True
    return out if tou else None


def _tier_prices(tiers: Mapping[str, Any]) -> list[Decimal]:
    """Tier prices from ``prices`` or from ``base`` + ``increments`` (both forms bill identically)."""
    if tiers.get("prices") is not None:
        return [to_decimal(p, "tiers.prices") for p in tiers["prices"]]
    if tiers.get("base") is not None and tiers.get("increments") is not None:
        base = to_decimal(tiers["base"], "tiers.base")
        return [base + to_decimal(i, "tiers.increments") for i in tiers["increments"]]
    raise CalcError("missing_price", "阶梯电价缺少 prices 或 base + increments")


def _tier_increments(tiers: Mapping[str, Any]) -> list[Decimal]:
    """The per-tier surcharges of a TOU + tier price: ``increments`` as given, else price − first price.

    With TOU prices the register prices replace the tier base (a ``base`` given as well is not used):
    every kWh pays its TOU price and the kWh of tier n also pay increment n.
    """
    if tiers.get("increments") is not None:
        return [to_decimal(i, "tiers.increments") for i in tiers["increments"]]
    if tiers.get("prices") is not None:
        prices = [to_decimal(p, "tiers.prices") for p in tiers["prices"]]
        return [p - prices[0] for p in prices] if prices else []
    raise CalcError("missing_price", "分时+阶梯电价缺少 increments 或 prices")


# ---------------------------------------------------------------------------------------------------
# one segment
# ---------------------------------------------------------------------------------------------------


@dataclass
class _Segment:
    lines: list[BillLine]
    base: Decimal  # PF base: basic + catalogue energy
    active: Decimal  # P for the power factor and funds (metered + loss, fixed splits included)
    reactive: Decimal | None
    standard: Decimal | None


def _line(
    item: str, label: str, qty: Decimal, unit: str, price: Decimal, rule: str, text: str, seg: int
) -> BillLine:
    amount = round_money(qty * price)
    formula = f"{text} {fmt_number(qty)} {unit} × {fmt_number(price)} = {_money_text(amount)}"
    return BillLine(item, label, qty, unit, price, amount, rule, formula, seg)


def _tou_lines(tou: Mapping[str, Decimal], regs: Mapping[str, Decimal], loss_note: str, index: int) -> list[BillLine]:
    """One line per TOU register with energy, at that register's price."""
    out: list[BillLine] = []
    for k in ("sharp", "peak", "flat", "valley"):
        kwh = regs.get(k, ZERO)
        if kwh == 0:
            continue
        if k not in tou:
            raise CalcError("missing_price", f"有{TOU_LABELS[k]}电量但缺少{TOU_LABELS[k]}电价")
        text = TOU_LABELS[k] + (loss_note if k == "flat" else "")
        out.append(_line(f"energy:{k}", f"{TOU_LABELS[k]}电度电费", kwh, "kWh", tou[k], RULE_TOU, text, index))
    return out


def _tou_tier_lines(
    price: Mapping[str, Any], tiers: Mapping[str, Any], regs: Mapping[str, Decimal], loss_note: str, index: int
) -> list[BillLine]:
    """Residential TOU + tiers (居民分时 + 阶梯): TOU register lines plus a surcharge line per tier ≥ 2.

    Every register is billed at its TOU price; the kWh that fall in tier n (placed on the tier-year
    counter from ``used_before``, thresholds as in the tier-only case) also pay increment n
    (``energy:tier<n>_add``). A zero increment or a tier without kWh gives no line. This is the
    "base + increments" reading of ``rules/tariffs.md`` with the TOU prices as the base: if every TOU
    price equals the tier-1 price, the total equals the tier-only bill's up to line rounding (tested). Tier kWh are counted
    after fixed quantities and ratios, like the tier-only case.
    """
    tou = _tou_prices(price, require_flat=False)
    assert tou is not None  # _has_tou(price) was checked by the caller
    out = _tou_lines(tou, regs, loss_note, index)
    thresholds = [to_decimal(t, "tiers.thresholds") for t in tiers.get("thresholds", ())]
    increments = _tier_increments(tiers)
    if len(increments) != len(thresholds) + 1:
        raise CalcError("invalid_tiers", f"阶梯加价应有 {len(thresholds) + 1} 个，实有 {len(increments)} 个")
    used_before = to_decimal(tiers.get("used_before", 0), "tiers.used_before")
    billed = sum(regs.values(), ZERO)
    bounds = "/".join(fmt_number(t) for t in thresholds)
    for i, (kwh, inc) in enumerate(zip(tier_split(billed, thresholds, used_before), increments, strict=True)):
        if kwh == 0 or inc == 0:
            continue
        name = TIER_NAMES[i] if i < len(TIER_NAMES) else f"第{i + 1}档"
        text = f"分时电量按阶梯分档（档界 {bounds} kWh，此前累计 {fmt_number(used_before)} kWh），{name}加价电量"
        out.append(_line(f"energy:tier{i + 1}_add", f"{name}加价电费", kwh, "kWh", inc, RULE_TIERS, text, index))
    return out


def _rate_segment(seg: Mapping[str, Any], index: int, on: date | None) -> _Segment:
    energy = _segment_energy(seg)
    regs = dict(energy.registers)
    total = energy.total
    reactive = energy.reactive
    lines: list[BillLine] = []
    price = seg.get("price")
    if not isinstance(price, Mapping):
        raise CalcError("missing_price", "分段缺少 price")
    tiers = price.get("tiers")

    # 2. transformer loss
    loss_spec = seg.get("transformer_loss")
    loss_note = ""
    if loss_spec:
        loss = segment_loss(loss_spec, seg.get("days"), seg.get("month_days"))
        alloc = allocate_loss(loss.active_kwh, regs, str(loss_spec.get("allocate", DEFAULT_ALLOCATION)))
        for k in TOU_REGISTERS:
            regs[k] = regs.get(k, ZERO) + alloc[k]
        total += loss.active_kwh
        if reactive is not None:
            reactive += loss.reactive_kvarh
        elif loss.reactive_kvarh:
            reactive = loss.reactive_kvarh
        loss_note = f"（含{loss.formula}）"
    active = total

    # 3. fixed quantities off the flat register, then fixed ratios of the rest
    fixed_lines: list[BillLine] = []
    for fq in seg.get("fixed_quantities") or ():
        name = str(fq.get("name", "定量"))
        kwh = to_decimal(fq.get("kwh"), f"fixed_quantities.{name}.kwh")
        if kwh > regs["flat"]:
            raise CalcError(
                "fixed_quantity_exceeds_flat",
                f"定量 {name} {fmt_number(kwh)} kWh 大于平段电量 {fmt_number(regs['flat'])} kWh",
            )
        regs["flat"] -= kwh
        p = to_decimal(fq.get("price"), f"fixed_quantities.{name}.price")
        fixed_lines.append(_line(f"fixed:{name}", f"定量（{name}）电度电费", kwh, "kWh", p, RULE_FIXED, f"定量 {name}", index))
    ratios = list(seg.get("fixed_ratios") or ())
    if ratios:
        remaining = sum(regs.values(), ZERO)
        share_total = ZERO
        for fr in ratios:
            name = str(fr.get("name", "定比"))
            r = to_decimal(fr.get("ratio"), f"fixed_ratios.{name}.ratio")
            share_total += r
            kwh = remaining * r
            p = to_decimal(fr.get("price"), f"fixed_ratios.{name}.price")
            fixed_lines.append(
                _line(f"fixed:{name}", f"定比（{name}）电度电费", kwh, "kWh", p, RULE_FIXED,
                      f"定比 {name} {fmt_number(remaining)} kWh × {fmt_number(r)} =", index)
            )
        if share_total > 1 or share_total < 0:
            raise CalcError("invalid_ratio", f"定比合计 {share_total} 超出 0–1")
        regs = {k: v * (1 - share_total) for k, v in regs.items()}

    # 4. energy at catalogue prices
    if tiers is not None and _has_tou(price):
        lines.extend(_tou_tier_lines(price, tiers, regs, loss_note, index))
    elif tiers is not None:
        thresholds = [to_decimal(t, "tiers.thresholds") for t in tiers.get("thresholds", ())]
        prices = _tier_prices(tiers)
        if len(prices) != len(thresholds) + 1:
            raise CalcError("invalid_tiers", f"阶梯电价应有 {len(thresholds) + 1} 个价格，实有 {len(prices)} 个")
        used_before = to_decimal(tiers.get("used_before", 0), "tiers.used_before")
        base_price = to_decimal(tiers["base"], "tiers.base") if tiers.get("base") is not None else None
        billed = sum(regs.values(), ZERO)
        for i, (kwh, p) in enumerate(zip(tier_split(billed, thresholds, used_before), prices, strict=True)):
            if kwh == 0:
                continue
            name = TIER_NAMES[i] if i < len(TIER_NAMES) else f"第{i + 1}档"
            text = name
            if base_price is not None:
                text += f"（基础 {fmt_number(base_price)} + 加价 {fmt_number(p - base_price)}）"
            lines.append(_line(f"energy:tier{i + 1}", f"{name}电度电费", kwh, "kWh", p, RULE_TIERS, text, index))
    else:
        tou = _tou_prices(price)
        if tou is None:
            flat = to_decimal(price["flat"], "price.flat")
            billed = sum(regs.values(), ZERO)
            if billed != 0:
                lines.append(_line("energy:flat", "电度电费", billed, "kWh", flat, RULE_FLAT, f"电量{loss_note}", index))
        else:
            lines.extend(_tou_lines(tou, regs, loss_note, index))

    # 5. basic charge
    basic_amount = ZERO
    if seg.get("basic"):
        bc = basic_from_input(seg["basic"], seg.get("days"), seg.get("month_days"), active, on)
        lines.insert(0, BillLine("basic", "基本电费", bc.quantity, bc.unit, bc.price, bc.amount, bc.rule, bc.formula, index))
        basic_amount = bc.amount

    base = basic_amount + sum((ln.amount for ln in lines if ln.item.startswith("energy:")), ZERO)
    lines.extend(fixed_lines)
    std = _opt_dec(seg, "pf_standard")
    return _Segment(lines, base, active, reactive, std)


def _pf_line(seg: _Segment, pf: Decimal, index: int, on: date | None) -> BillLine:
    assert seg.standard is not None
    percent = adjustment_percent(pf, seg.standard, on)
    amount = round_money(seg.base * percent / 100)
    sign = "−" if percent < 0 else ("+" if percent > 0 else "")
    formula = (
        f"功率因数 {pf:.2f} (标准 {seg.standard:.2f}) 调整 {sign}{fmt_percent(abs(percent))}% × 基数 "
        f"{_money_text(seg.base)} = {_money_text(amount)}"
    )
    rule = pf_table(seg.standard, on).rule
    return BillLine("pf_adjust", "功率因数调整电费", seg.base, "元", percent / 100, amount, rule, formula, index)


def _pf_or_none(active: Decimal, reactive: Decimal | None) -> Decimal | None:
    if reactive is None or (active == 0 and reactive == 0):
        return None
    return power_factor(active, reactive)


# ---------------------------------------------------------------------------------------------------
# the public entry points
# ---------------------------------------------------------------------------------------------------


def rate_bill(inp: Mapping[str, Any], on: date | None = None) -> BillResult:
    """Rate one account's billing period (FORMAT.md kind ``bill``; see the module docstring)."""
    multi = inp.get("segments") is not None
    seg_inputs: list[Mapping[str, Any]] = list(inp["segments"]) if multi else [inp]
    if not seg_inputs:
        raise CalcError("missing_input", "segments 为空")
    segs = [_rate_segment(s, i, on) for i, s in enumerate(seg_inputs)]
    pf_from = inp.get("pf_from", "segment")
    if pf_from not in ("segment", "combined"):
        raise CalcError("invalid_input", f"pf_from 应为 segment 或 combined: {pf_from!r}")

    for i, s in enumerate(segs):
        if s.standard is not None and s.reactive is None:
            raise CalcError("missing_input", f"第 {i + 1} 段有功率因数标准但缺少无功电量 reactive")

    pf_value: Decimal | list[Decimal] | None
    lines: list[BillLine] = []
    if pf_from == "combined" or not multi:
        p_all = sum((s.active for s in segs), ZERO)
        q_known = [s.reactive for s in segs if s.reactive is not None]
        q_all = sum(q_known, ZERO) if len(q_known) == len(segs) else None
        pf_value = _pf_or_none(p_all, q_all)
        for i, s in enumerate(segs):
            lines.extend(s.lines)
            if s.standard is not None and pf_value is not None:
                lines.append(_pf_line(s, pf_value, i, on))
    else:
        pf_list: list[Decimal] = []
        for i, s in enumerate(segs):
            lines.extend(s.lines)
            if s.standard is None:
                continue
            pf = _pf_or_none(s.active, s.reactive)
            if pf is None:  # no energy in the segment: no power factor, no adjustment
                continue
            pf_list.append(pf)
            lines.append(_pf_line(s, pf, i, on))
        pf_value = pf_list

    energy_kwh = sum((s.active for s in segs), ZERO)
    for fund in inp.get("funds") or ():
        name = str(fund.get("name", "基金"))
        p = to_decimal(fund.get("price"), f"funds.{name}.price")
        lines.append(_line(f"fund:{name}", name, energy_kwh, "kWh", p, RULE_FUNDS, name, PERIOD_SEGMENT))

    total = sum((ln.amount for ln in lines), ZERO)
    version = inp.get("tariff_version")
    return BillResult(tuple(lines), total, pf_value, energy_kwh, None if version is None else str(version))


def calc_bill(inp: Mapping[str, Any], on: date | None) -> dict[str, Any]:
    """Case kind ``bill``: ``rate_bill(inp, on).to_result()``."""
    return rate_bill(inp, on).to_result()
