"""电费测算 (trial calculator): every kind of ``powercis.core.calc`` through the forms of ``powercis.billing.calcforms``.

The page computes with the same ``calc.run(kind, input, on)`` as ``powercis calc`` and the API. A bill
page links here prefilled with the bill's own rating input (kind bill) or its power-factor data (kind
pf), so a 核算员 can recheck an amount without touching the bill.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from powercis.billing.calcforms import FORMS, example_json, form_input
from powercis.billing.models import Bill
from powercis.core import calc
from powercis.core.errors import CalcError
from powercis.org.scoping import get_scoped
from powercis.services import ServiceError
from powercis.web.views.common import staff_view

log = logging.getLogger(__name__)

DEFAULT_KIND = "bill"
LINE_COLUMNS = ("label", "quantity", "unit", "price", "amount", "formula")


def _kind(request: HttpRequest) -> str:
    kind = (request.POST.get("kind") or request.GET.get("kind") or "").strip()
    return kind if kind in calc.KINDS and kind in FORMS else DEFAULT_KIND


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


def bill_prefill(bill: Bill, kind: str) -> tuple[dict[str, str], str, dt.date] | None:
    """Field values, JSON text and rule date to recheck ``bill`` with ``kind`` (None when it cannot)."""
    inp = (bill.rating_input or {}).get("input")
    if not isinstance(inp, dict) or bill.kind not in {"regular", "rebill"}:
        return None
    if kind == "bill":
        return {}, _json(inp), bill.period_end
    if kind == "pf":
        pf = pf_input(bill)
        if pf is None:
            return None
        return pf, _json(pf), bill.period_end
    return None


def pf_input(bill: Bill) -> dict[str, str] | None:
    """The pf calculation's input from a bill: energy total (incl. registers), reactive, standard."""
    inp = (bill.rating_input or {}).get("input")
    if not isinstance(inp, dict) or bill.kind not in {"regular", "rebill"}:
        return None
    energy = inp.get("energy")
    standard = inp.get("pf_standard")
    if not isinstance(energy, dict) or not standard or energy.get("reactive") in (None, ""):
        return None
    return {"active_kwh": str(energy.get("total")), "reactive_kvarh": str(energy["reactive"]), "standard": str(standard)}


def _rows(kind: str, result: dict[str, Any]) -> list[dict[str, Any]]:
    """The result's scalar values as (key, label, value) rows; nested values as compact JSON."""
    labels = FORMS[kind].labels
    rows = []
    for key, value in result.items():
        if kind == "bill" and key == "lines":
            continue
        if isinstance(value, (dict, list)):
            text = json.dumps(value, ensure_ascii=False)
        else:
            text = "—" if value is None else str(value)
        rows.append({"key": key, "label": labels.get(key, key), "value": text, "nested": isinstance(value, (dict, list))})
    return rows


def _lines(result: dict[str, Any]) -> list[dict[str, Any]]:
    lines = result.get("lines")
    if not isinstance(lines, list):
        return []
    return [{c: (ln.get(c) if isinstance(ln, dict) else None) for c in LINE_COLUMNS} for ln in lines]


def _event_date(raw: str) -> dt.date:
    raw = raw.strip()
    if not raw:
        return timezone.localdate()
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ServiceError("bad_date", _("规则日期格式应为 YYYY-MM-DD，而不是“%(v)s”") % {"v": raw}) from None


@staff_view("billing.view_bill")
def calculator(request: HttpRequest) -> HttpResponse:
    kind = _kind(request)
    form = FORMS[kind]
    values: dict[str, str] = {f.name: f.default for f in form.fields}
    json_text = example_json(kind)
    on = timezone.localdate()
    source: Bill | None = None
    result: dict[str, Any] | None = None
    error = ""
    mode = "json" if not form.fields else "fields"

    if request.method == "POST":
        mode = "json" if (request.POST.get("mode") == "json" or not form.fields) else "fields"
        values = {f.name: request.POST.get(f.name, "") for f in form.fields}
        json_text = request.POST.get("input_json", "")
        on_raw = request.POST.get("on", "")
        data = {**values, "input_json": json_text if mode == "json" else ""}
        try:
            on = _event_date(on_raw)
            inp = form_input(kind, data)
            result = calc.run(kind, inp, on)
        except ServiceError as exc:
            error = exc.message
        except CalcError as exc:
            error = _("计算失败：%(m)s") % {"m": exc.message}
        except (ArithmeticError, TypeError, KeyError, ValueError) as exc:  # an input the calculation did not foresee
            log.warning("trial calculation %s failed: %r", kind, exc)
            error = _("输入无法计算，请检查各项数值：%(e)s") % {"e": exc}
    elif request.GET.get("bill", "").isdigit():
        source = get_scoped(Bill.objects.select_related("account"), request.user, pk=int(request.GET["bill"]))
        prefill = bill_prefill(source, kind)
        if prefill is None:
            error = _("该电费没有可用于测算复核的计费输入")
        else:
            fields, json_text, on = prefill
            values.update(fields)

    fields = []
    for f in form.fields:
        fields.append({"field": f, "value": values.get(f.name, "")})
    on_value = request.POST.get("on", "") if request.method == "POST" else on.isoformat()
    return render(
        request,
        "billing/calculator.html",
        {
            "kinds": [(k, info.name) for k, info in calc.KINDS.items() if k in FORMS],
            "kind": kind,
            "kind_info": calc.KINDS[kind],
            "fields": fields,
            "json_text": json_text,
            "on": on_value or on.isoformat(),
            "mode": mode,
            "source": source,
            "result": result,
            "rows": _rows(kind, result) if result is not None else [],
            "lines": _lines(result) if result is not None and kind == "bill" else [],
            "error": error,
        },
    )


def percent(value: Decimal | None) -> str:
    """A rate (−0.0075) as a percentage without trailing zeros (−0.75)."""
    if value is None:
        return ""
    text = f"{(value * 100).normalize():f}"
    return "0" if text == "-0" else text
