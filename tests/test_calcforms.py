"""The trial calculator's forms turn fields into the same input as the cases, and compute the same result."""

from __future__ import annotations

import json

import pytest

from powercis.billing.calcforms import FORMS, example_json, form_input
from powercis.core import calc
from powercis.core.calc import KINDS
from powercis.services import ServiceError


def test_every_calculation_kind_has_a_form_with_a_working_example():
    assert set(FORMS) == set(KINDS)
    for kind in FORMS:
        result = calc.run(kind, json.loads(example_json(kind)), None)
        assert result, kind


def test_late_fee_fields_reproduce_lp01():
    inp = form_input("late_fee", {"customer": "other", "bills": "2000,2000-12-15\n3000,2001-01-15", "paid": "2001-01-18"})
    assert calc.run("late_fee", inp, None)["total"] == "190.00"


def test_pf_fields_and_basic_charge_fields():
    assert calc.run("pf", form_input("pf", {"active_kwh": "40000", "reactive_kvarh": "30000", "standard": "0.90"}), None)[
        "adjust_percent"
    ] in {"5", "5.0", "5.00"}
    inp = form_input("basic_charge", {"price": "30", "transformers": "T1:500，T2:630,T3:200", "interlocked": "T1+T2"})
    assert calc.run("basic_charge", inp, None) == {"capacity_kva": "830", "amount": "24900.00"}


def test_theft_unknown_period_left_blank_uses_rule_defaults():
    inp = form_input("theft", {"customer": "power", "capacity_kw": "2", "hours_per_day": "", "days": "", "price": "0.40"})
    assert calc.run("theft", inp, None)["kwh"] == "4320"


@pytest.mark.parametrize(
    ("kind", "data", "code"),
    [
        ("pf", {"active_kwh": "1"}, "missing_field"),
        ("bill", {"input_json": "{"}, "bad_json"),
        ("bill", {"input_json": "[1]"}, "bad_json"),
        ("late_fee", {"customer": "other", "bills": "2000", "paid": "2001-01-18"}, "bad_input"),
        ("pf", {"active_kwh": "1", "reactive_kvarh": "1", "standard": "0.99"}, "bad_input"),
        ("nope", {}, "unknown_kind"),
    ],
)
def test_bad_input_is_a_clear_error(kind, data, code):
    with pytest.raises(ServiceError) as info:
        form_input(kind, data)
    assert info.value.code == code


def test_every_result_key_of_the_examples_has_a_chinese_label():
    for kind, form in FORMS.items():
        if kind == "bill":
            continue  # bill results are shown as their lines
        result = calc.run(kind, json.loads(example_json(kind)), None)
        assert set(result) <= set(form.labels), (kind, set(result) - set(form.labels))
