"""Transformer loss (变损) of customers metered on the LV side of their own transformer (高供低计).

The losses are added to the metered energy: they are billed (at the flat price in a ``bill``), count in the
power factor and in a demand-based basic charge. Three sources: a fixed monthly loss from the contract
(prorated by days for a part month), the formula ΔA = P₀·T + Pk·β²·T (reactive ΔQ = I₀%·Se·T + Uk%·Se·β²·T,
⚠ from secondary sources), and the iron + copper method (copper loss a percentage of metered energy).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal
from typing import Any

from powercis.core.errors import CalcError
from powercis.core.money import fmt_number, round_half_up, to_decimal
from powercis.core.money import plain as _plain

#: How loss kWh are spread over TOU registers in a bill: "flat" (all on the flat register, as FORMAT.md
#: says for the ``bill`` kind) or "proportional" (in proportion to each register's consumption, ⚠
#: tariffs.md's default for TOU customers). A segment's ``transformer_loss.allocate`` overrides it.
DEFAULT_ALLOCATION = "flat"
TOU_REGISTERS = ("peak", "flat", "valley", "sharp")
#: Decimals kept for a proportionally allocated register share (exact shares may not terminate; the flat
#: register takes the remainder so the shares always add up to the loss exactly).
ALLOCATION_PLACES = 4


@dataclass(frozen=True)
class Loss:
    """Loss energy for one bill segment, with the explanation shown on the bill."""

    active_kwh: Decimal
    reactive_kvarh: Decimal
    formula: str


def _dec(inp: Mapping[str, Any], key: str, default: Any = None) -> Decimal:
    value = inp.get(key, default)
    if value is None:
        raise CalcError("missing_input", f"变损计算缺少 {key}")
    return to_decimal(value, key)


def _round_opt(value: Decimal, places: Any) -> Decimal:
    return value if places is None else round_half_up(value, int(places))


def segment_loss(loss: Mapping[str, Any], days: Any = None, month_days: Any = None) -> Loss:
    """A fixed monthly loss for a bill segment.

    ``loss`` = ``{"active_kwh", "reactive_kvarh", "prorate_days", "month_days", "round_kwh"}``. The monthly
    values are prorated by prorate_days ÷ month_days (defaulting to the segment's days and month_days; no
    proration when neither is known) and rounded half-up to ``round_kwh`` decimals when given.
    """
    p_days = loss.get("prorate_days", days)
    m_days = loss.get("month_days", month_days)
    active = to_decimal(loss.get("active_kwh", 0), "transformer_loss.active_kwh")
    reactive = to_decimal(loss.get("reactive_kvarh", 0), "transformer_loss.reactive_kvarh")
    text = f"变损 有功 {fmt_number(active)} kWh、无功 {fmt_number(reactive)} kvarh/月"
    if p_days is not None and m_days is not None:
        pd, md = to_decimal(p_days, "prorate_days"), to_decimal(m_days, "month_days")
        if md <= 0 or pd < 0:
            raise CalcError("invalid_days", f"变损分摊天数不合理: {pd}/{md}")
        if pd != md:
            active = active * pd / md
            reactive = reactive * pd / md
            text += f" × {fmt_number(pd)}/{fmt_number(md)} 天"
    places = loss.get("round_kwh")
    active, reactive = _round_opt(active, places), _round_opt(reactive, places)
    text += f" = {fmt_number(active)} kWh、{fmt_number(reactive)} kvarh"
    return Loss(active, reactive, text)


def allocate_loss(loss_kwh: Decimal, registers: Mapping[str, Decimal], mode: str = DEFAULT_ALLOCATION) -> dict[str, Decimal]:
    """Spread ``loss_kwh`` over the TOU registers.

    "flat": everything on the flat register. "proportional": by each register's share of the consumption,
    truncated to ``ALLOCATION_PLACES`` decimals, the flat register taking the remainder (never negative)
    so the parts add up exactly; with no consumption, all on flat.
    """
    out = {k: Decimal(0) for k in TOU_REGISTERS}
    if mode == "flat":
        out["flat"] = loss_kwh
        return out
    if mode != "proportional":
        raise CalcError("invalid_loss_allocation", f"变损分摊方式未知: {mode!r}（flat 或 proportional）")
    total = sum((registers.get(k, Decimal(0)) for k in TOU_REGISTERS), Decimal(0))
    if total <= 0:
        out["flat"] = loss_kwh
        return out
    assigned = Decimal(0)
    for k in TOU_REGISTERS:
        if k != "flat":
            out[k] = (loss_kwh * registers.get(k, Decimal(0)) / total).quantize(
                Decimal(1).scaleb(-ALLOCATION_PLACES), rounding=ROUND_DOWN
            )
            assigned += out[k]
    out["flat"] = loss_kwh - assigned
    return out


def calc_transformer_loss(inp: Mapping[str, Any], on: date | None) -> dict[str, str]:
    """Case kind ``transformer_loss``.

    - ``formula``: active = P₀·T + Pk·β²·T with β = ``load_factor`` (or A ÷ (Se·cosφ·T) from
      ``metered_active_kwh``, ``kva``, ``cos_phi``); reactive when ``i0_percent``, ``uk_percent`` and
      ``kva`` are given: (I₀%/100)·Se·T + (Uk%/100)·Se·β²·T.
    - ``iron_copper``: copper active = metered × percent ÷ 100, copper reactive = copper active × k;
      loss = iron + copper.
    Result: ``active_kwh``, ``reactive_kvarh`` (when computed), ``billing_active_kwh`` and
    ``billing_reactive_kvarh`` (metered + loss, when metered values are given). ``round_kwh`` rounds the
    losses half-up when given.
    """
    method = inp.get("method", "formula")
    metered_p = to_decimal(inp["metered_active_kwh"], "metered_active_kwh") if inp.get("metered_active_kwh") is not None else None
    metered_q = (
        to_decimal(inp["metered_reactive_kvarh"], "metered_reactive_kvarh")
        if inp.get("metered_reactive_kvarh") is not None
        else None
    )
    reactive: Decimal | None = None
    if method == "formula":
        p0, pk, hours = _dec(inp, "p0_kw"), _dec(inp, "pk_kw"), _dec(inp, "hours")
        if inp.get("load_factor") is not None:
            beta = to_decimal(inp["load_factor"], "load_factor")
        else:
            if metered_p is None:
                raise CalcError("missing_input", "变损公式缺少 load_factor 或 metered_active_kwh")
            denom = _dec(inp, "kva") * _dec(inp, "cos_phi") * hours
            if denom <= 0:
                raise CalcError("invalid_input", "kva × cos_phi × hours 必须为正")
            beta = metered_p / denom
        active = p0 * hours + pk * beta * beta * hours
        if inp.get("i0_percent") is not None and inp.get("uk_percent") is not None:
            se = _dec(inp, "kva")
            reactive = _dec(inp, "i0_percent") / 100 * se * hours + _dec(inp, "uk_percent") / 100 * se * beta * beta * hours
    elif method == "iron_copper":
        if metered_p is None:
            raise CalcError("missing_input", "铁铜损法缺少 metered_active_kwh")
        copper_p = metered_p * _dec(inp, "copper_percent") / 100
        active = _dec(inp, "iron_active_kwh") + copper_p
        if inp.get("iron_reactive_kvarh") is not None or inp.get("k") is not None:
            reactive = _dec(inp, "iron_reactive_kvarh", 0) + copper_p * _dec(inp, "k", 0)
    else:
        raise CalcError("invalid_method", f"变损计算方法未知: {method!r}（formula 或 iron_copper）")
    places = inp.get("round_kwh")
    active = _round_opt(active, places)
    result = {"active_kwh": _plain(active)}
    if reactive is not None:
        reactive = _round_opt(reactive, places)
        result["reactive_kvarh"] = _plain(reactive)
    if metered_p is not None:
        result["billing_active_kwh"] = _plain(metered_p + active)
    if metered_q is not None and reactive is not None:
        result["billing_reactive_kvarh"] = _plain(metered_q + reactive)
    return result


