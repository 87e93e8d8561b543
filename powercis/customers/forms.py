"""Forms of the customer archive."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from powercis.customers.models import AccountTerms, BasicChargeMode, MeteringMode, PfStandard

#: Fields a clerk changes by effective date on the account page. A class change (tariff) and status
#: changes (暂停/销户) come through their own workflows (四眼 approval, 业扩), not this form.
FORM_FIELDS = (
    "voltage", "capacity_kva", "basic_charge_mode", "contract_demand_kw", "pf_standard", "metering_mode",
    "transformers", "interlocked", "transformer_loss", "fixed_quantities", "fixed_ratios",
)
JSON_FIELDS = {"transformers", "interlocked", "transformer_loss", "fixed_quantities", "fixed_ratios"}


class JSONText(forms.CharField):
    """A JSON value typed as text (变压器、变损参数、定量定比); an empty box is JSON null."""

    widget = forms.Textarea(attrs={"rows": 2, "class": "form-control font-monospace"})

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value).strip()
        if not text:
            return None
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(_("不是有效的 JSON：%(e)s") % {"e": exc.msg}) from None

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | dict):
            return json.dumps(value, ensure_ascii=False)
        return value


class TermsChangeForm(forms.Form):
    """The terms in force on the chosen date, prefilled; what the clerk changes becomes a dated change."""

    valid_from = forms.DateField(label=_("生效日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    voltage = forms.CharField(label=_("电压等级"), max_length=20)
    capacity_kva = forms.DecimalField(label=_("合同容量(kVA)"), max_digits=10, decimal_places=2, min_value=0)
    basic_charge_mode = forms.ChoiceField(label=_("基本电费计收方式"), choices=BasicChargeMode.choices)
    contract_demand_kw = forms.DecimalField(label=_("合同最大需量(kW)"), max_digits=10, decimal_places=2, min_value=0,
                                            required=False)
    pf_standard = forms.ChoiceField(label=_("功率因数考核标准"), choices=PfStandard.choices, required=False)
    metering_mode = forms.ChoiceField(label=_("计量方式"), choices=MeteringMode.choices)
    transformers = JSONText(label=_("变压器"), required=False,
                            help_text=_('如 [{"id": "T1", "kva": 400, "sealed": false}]'))
    interlocked = JSONText(label=_("互锁组"), required=False, help_text=_('如 [["T1", "T2"]]'))
    transformer_loss = JSONText(label=_("变损参数"), required=False,
                                help_text=_('高供低计每月变损，如 {"active_kwh": 300, "reactive_kvarh": 400}'))
    fixed_quantities = JSONText(label=_("定量"), required=False, help_text=_('如 [{"name": "照明", "kwh": 200, "price": "0.65"}]'))
    fixed_ratios = JSONText(label=_("定比"), required=False, help_text=_('如 [{"name": "照明", "ratio": "0.1", "tariff": "COM"}]'))
    reason = forms.CharField(label=_("变更原因"), max_length=200)

    def __init__(self, *args: Any, terms: AccountTerms, **kwargs: Any) -> None:
        initial = {f: getattr(terms, f) for f in FORM_FIELDS}
        for f in ("transformers", "interlocked", "fixed_quantities", "fixed_ratios"):
            initial[f] = initial[f] or None
        super().__init__(*args, initial={**initial, **kwargs.pop("initial", {})}, **kwargs)
        self.terms = terms
        for field in self.fields.values():
            if not isinstance(field.widget, forms.Textarea):
                css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
                field.widget.attrs.setdefault("class", css)

    def changes(self) -> dict[str, Any]:
        """The fields whose value differs from the terms in force (``cleaned_data`` must exist)."""
        out = {}
        for f in FORM_FIELDS:
            new = self.cleaned_data.get(f)
            old = getattr(self.terms, f)
            if f in JSON_FIELDS:
                new = new if new is not None else ([] if f != "transformer_loss" else None)
            elif f == "pf_standard":
                new = new or ""
            if new != old:
                out[f] = new
        return out
