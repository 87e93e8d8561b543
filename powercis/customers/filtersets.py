"""Filters of the customer archive's lists, shared by the staff pages and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from powercis.customers.models import Account, AccountStatus, Customer
from powercis.filters import RefFilter, ScopedFilterSet
from powercis.org.models import ReadingBook, Station, TransformerArea
from powercis.tariffs.models import TariffCategory


class CustomerFilterSet(ScopedFilterSet):
    search_fields = ("number", "name", "phone")
    ui_fields = ("station", "kind")
    number = django_filters.CharFilter(label=_("客户编号"))
    name = django_filters.CharFilter(lookup_expr="icontains", label=_("客户名称(包含)"))
    station = RefFilter(field_name="station_id", model=Station, scope_field="pk", label=_("供电所"))
    kind = django_filters.ChoiceFilter(choices=Customer.KINDS, label=_("客户类型"))

    class Meta:
        model = Customer
        fields: list[str] = []


class AccountFilterSet(ScopedFilterSet):
    search_fields = ("number", "name", "address", "customer__phone")
    ui_fields = ("station", "area", "category", "status")
    station = RefFilter(field_name="station_id", model=Station, scope_field="pk", label=_("供电所"))
    area = RefFilter(field_name="area_id", model=TransformerArea, label=_("台区"))
    book = RefFilter(field_name="book_id", model=ReadingBook, label=_("抄表段"))
    category = django_filters.ChoiceFilter(choices=TariffCategory.choices, label=_("用电类别"))
    status = django_filters.ChoiceFilter(choices=AccountStatus.choices, label=_("状态"))
    number = django_filters.CharFilter(label=_("户号"))
    name = django_filters.CharFilter(lookup_expr="icontains", label=_("户名(包含)"))
    book_code = django_filters.CharFilter(field_name="book__code", label=_("抄表段编号"))
    customer = django_filters.NumberFilter(field_name="customer_id", label=_("客户 id"))

    class Meta:
        model = Account
        fields: list[str] = []
