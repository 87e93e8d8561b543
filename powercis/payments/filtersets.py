"""Filters of the payment lists, shared by the staff pages and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from powercis.filters import RefFilter, ScopedFilterSet
from powercis.org.models import Station
from powercis.payments.models import Payment


class PaymentFilterSet(ScopedFilterSet):
    search_fields = ("receipt_no", "account__number", "account__name", "channel_ref")
    ui_fields = ("station", "method", "received_from", "received_to")
    station = RefFilter(field_name="station_id", model=Station, scope_field="pk", label=_("供电所"))
    method = django_filters.ChoiceFilter(choices=Payment.METHODS, label=_("方式"))
    received_from = django_filters.DateFilter(field_name="received_at__date", lookup_expr="gte", label=_("起始日期"))
    received_to = django_filters.DateFilter(field_name="received_at__date", lookup_expr="lte", label=_("截止日期"))
    account = django_filters.NumberFilter(field_name="account_id", label=_("用电户 id"))
    account_number = django_filters.CharFilter(field_name="account__number", label=_("户号"))
    receipt_no = django_filters.CharFilter(label=_("收据号"))
    channel = django_filters.CharFilter(label=_("收费渠道"))
    channel_ref = django_filters.CharFilter(label=_("渠道流水号"))

    class Meta:
        model = Payment
        fields: list[str] = []
