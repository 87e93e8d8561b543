"""Filters of the billing lists, shared by the staff pages and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from powercis.billing.models import Adjustment, AdjustmentStatus, Bill, BillingRun, BillStatus
from powercis.filters import RefFilter, ScopedFilterSet
from powercis.org.models import ReadingBook, Station


class BillFilterSet(ScopedFilterSet):
    search_fields = ("account__number", "account__name")
    ui_fields = ("period", "station", "book", "status", "kind")
    period = django_filters.CharFilter(label=_("电费年月"))
    station = RefFilter(field_name="station_id", model=Station, scope_field="pk", label=_("供电所"))
    book = RefFilter(field_name="book_id", model=ReadingBook, label=_("抄表段"))
    status = django_filters.ChoiceFilter(choices=BillStatus.choices, label=_("状态"))
    kind = django_filters.ChoiceFilter(choices=Bill.KINDS, label=_("类型"))
    account = django_filters.NumberFilter(field_name="account_id", label=_("用电户 id"))
    account_number = django_filters.CharFilter(field_name="account__number", label=_("户号"))
    book_code = django_filters.CharFilter(field_name="book__code", label=_("抄表段编号"))
    run = django_filters.NumberFilter(field_name="run_id", label=_("电费计算批次 id"))

    class Meta:
        model = Bill
        fields: list[str] = []


class BillingRunFilterSet(ScopedFilterSet):
    period = django_filters.CharFilter(label=_("电费年月"))
    status = django_filters.ChoiceFilter(choices=BillingRun.STATUS, label=_("状态"))
    station = RefFilter(field_name="station_id", model=Station, scope_field="pk", label=_("供电所"))

    class Meta:
        model = BillingRun
        fields: list[str] = []


class AdjustmentFilterSet(ScopedFilterSet):
    search_fields = ("account__number", "account__name", "cause")
    ui_fields = ("status", "kind", "station")
    status = django_filters.ChoiceFilter(choices=AdjustmentStatus.choices, label=_("状态"))
    kind = django_filters.ChoiceFilter(choices=Adjustment.KINDS, label=_("退补类型"))
    account = django_filters.NumberFilter(field_name="account_id", label=_("用电户 id"))
    station = RefFilter(field_name="station_id", model=Station, scope_field="pk", label=_("供电所"))

    class Meta:
        model = Adjustment
        fields: list[str] = []
