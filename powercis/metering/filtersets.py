"""Filters of the metering lists, shared by the staff pages and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from powercis.filters import RefFilter, ScopedFilterSet
from powercis.metering.models import Meter, MeteringPoint
from powercis.org.models import Station


class MeterFilterSet(ScopedFilterSet):
    search_fields = ("asset_no", "model")
    ui_fields = ("station", "state")
    station = RefFilter(field_name="station_id", model=Station, scope_field="pk", label=_("供电所"))
    state = django_filters.ChoiceFilter(choices=Meter.STATES, label=_("状态"))
    asset_no = django_filters.CharFilter(label=_("资产编号"))

    class Meta:
        model = Meter
        fields: list[str] = []


class MeteringPointFilterSet(ScopedFilterSet):
    account = django_filters.NumberFilter(field_name="account_id", label=_("用电户 id"))
    account_number = django_filters.CharFilter(field_name="account__number", label=_("户号"))
    meter = django_filters.CharFilter(field_name="meter__asset_no", label=_("资产编号"))
    active = django_filters.BooleanFilter(label=_("运行中"))

    class Meta:
        model = MeteringPoint
        fields: list[str] = []
