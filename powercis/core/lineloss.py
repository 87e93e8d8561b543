"""线损 — loss energy, loss rate and its money for a transformer area (台区), feeder or building.

loss = supply − sales (negative loss is kept, not clipped: it is a flag for wrong readings or wrong
customer-to-area links, SPEC §8); the rate is loss ÷ supply in percent, half-up to the rule's decimals
(2); the money, when a price is given, is one line rounded to the fen. Supply is either given or
computed as the sum of the metered inputs minus the sum of the outputs (energy passed on to other
areas).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from powercis.core.errors import CalcError
from powercis.core.inputs import dec, items_of, out
from powercis.core.money import ZERO, round_half_up, round_money, to_decimal
from powercis.core.rules import RuleSet, rules_for


@dataclass(frozen=True)
class LineLoss:
    supply_kwh: Decimal
    sales_kwh: Decimal
    loss_kwh: Decimal
    loss_rate_percent: Decimal
    amount: Decimal | None


def supply_from(inputs_kwh: Sequence[Decimal], outputs_kwh: Sequence[Decimal] = ()) -> Decimal:
    """Supply of an area = Σ inputs − Σ outputs."""
    return sum(inputs_kwh, ZERO) - sum(outputs_kwh, ZERO)


def line_loss(supply_kwh: Decimal, sales_kwh: Decimal, rules: RuleSet, price: Decimal | None = None) -> LineLoss:
    """Loss, loss rate (percent, half-up to ``rules.line_loss.rate_places``) and its money."""
    if supply_kwh <= 0:
        raise CalcError("invalid_value", f"供电量须大于 0 才能计算线损率: {supply_kwh}")
    loss = supply_kwh - sales_kwh
    rate = round_half_up(loss * 100 / supply_kwh, rules.line_loss.rate_places)
    amount = round_money(loss * price) if price is not None else None
    return LineLoss(supply_kwh, sales_kwh, loss, rate, amount)


def calc_line_loss(inp: Mapping[str, Any], on: date | None) -> dict[str, Any]:
    """Case adapter (kind ``line_loss``): see cases/FORMAT.md."""
    rules = rules_for(on or date.today())
    if inp.get("supply_kwh") is not None:
        supply = dec(inp, "supply_kwh")
    else:
        if inp.get("inputs_kwh") is None:
            raise CalcError("missing_field", "缺少输入项 supply_kwh (或 inputs_kwh)")
        inputs = [to_decimal(v, "inputs_kwh") for v in items_of(inp["inputs_kwh"], "inputs_kwh")]
        outputs = [
            to_decimal(v, "outputs_kwh") for v in items_of(inp.get("outputs_kwh") or [], "outputs_kwh", nonempty=False)
        ]
        if any(v < 0 for v in inputs + outputs):
            raise CalcError("invalid_value", "输入、输出电量不能为负数")
        supply = supply_from(inputs, outputs)
    price = dec(inp, "price") if inp.get("price") is not None else None
    r = line_loss(supply, dec(inp, "sales_kwh"), rules, price)
    result = {
        "supply_kwh": out(r.supply_kwh),
        "sales_kwh": out(r.sales_kwh),
        "loss_kwh": out(r.loss_kwh),
        "loss_rate_percent": out(r.loss_rate_percent),
    }
    if r.amount is not None:
        result["amount"] = out(r.amount)
    return result
