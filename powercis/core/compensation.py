"""停电赔偿 — compensation for an outage caused by the utility (1996 art. 95).

compensation = likely energy during the outage × energy price × the rule multiple (4 single-part,
5 two-part). Likely energy = average hourly use of a normal period before the outage (normal kWh ÷
normal days ÷ 24) × outage hours, rounded half-up to ``rules.compensation.kwh_places`` so the notice can
be recomputed from what it shows. The charge on that energy is one money line rounded to the fen; the
multiple applies to the rounded line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from powercis.core.errors import CalcError
from powercis.core.inputs import choice, dec, out, whole
from powercis.core.money import round_half_up, round_money
from powercis.core.rules import RuleSet, rules_for

TARIFFS = ("single_part", "two_part")
"""单一制 / 两部制."""


@dataclass(frozen=True)
class OutageCompensation:
    kwh: Decimal
    charge: Decimal
    """电费 on the likely energy (one rounded line)."""
    multiple: Decimal
    amount: Decimal


def likely_kwh(normal_kwh: Decimal, normal_days: Decimal, outage_hours: Decimal, rules: RuleSet,
               places: int | None = None) -> Decimal:
    """Likely energy during the outage from a normal period's use."""
    if normal_days <= 0:
        raise CalcError("invalid_value", "normal_days 须大于 0")
    hourly_total = normal_kwh * outage_hours / (normal_days * rules.compensation.hours_per_day)
    return round_half_up(hourly_total, rules.compensation.kwh_places if places is None else places)


def outage_compensation(tariff: str, kwh: Decimal, price: Decimal, rules: RuleSet) -> OutageCompensation:
    """Compensation = the rounded charge on ``kwh`` × the multiple for the customer's tariff."""
    if tariff not in TARIFFS:
        raise CalcError("invalid_value", f"电价制度无效: {tariff!r} (可选: {', '.join(TARIFFS)})")
    charge = round_money(kwh * price)
    multiple = rules.compensation.multiple_for(tariff)
    return OutageCompensation(kwh, charge, multiple, round_money(charge * multiple))


def calc_outage_compensation(inp: Mapping[str, Any], on: date | None) -> dict[str, Any]:
    """Case adapter (kind ``outage_compensation``): see cases/FORMAT.md."""
    rules = rules_for(on or date.today())
    tariff = choice(inp, "tariff", TARIFFS)
    places = whole(inp, "round_kwh") if inp.get("round_kwh") is not None else None
    kwh = likely_kwh(dec(inp, "normal_kwh"), dec(inp, "normal_days"), dec(inp, "outage_hours"), rules, places)
    r = outage_compensation(tariff, kwh, dec(inp, "price"), rules)
    return {"kwh": out(r.kwh), "charge": out(r.charge), "multiple": out(r.multiple), "amount": out(r.amount)}
