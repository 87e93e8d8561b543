"""Filters of the reading lists, shared by the staff pages and the API."""

from __future__ import annotations

import django_filters
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from powercis.filters import RefFilter, ScopedFilterSet
from powercis.org.models import ReadingBook, Station
from powercis.reading.models import (
    PlanStatus,
    Reading,
    ReadingException,
    ReadingPlan,
    ReadingSource,
    ReadingStatus,
)


def _station() -> RefFilter:
    return RefFilter(field_name="station_id", model=Station, scope_field="pk", label=_("供电所"))


class ReadingBookFilterSet(ScopedFilterSet):
    search_fields = ("code", "name")
    code = django_filters.CharFilter(label=_("抄表段编号"))
    station = _station()
    reader = RefFilter(field_name="reader_id", model=get_user_model(), scope_field="staff__station",
                       label=_("抄表员"))

    class Meta:
        model = ReadingBook
        fields: list[str] = []


class ReadingPlanFilterSet(ScopedFilterSet):
    book = RefFilter(field_name="book_id", model=ReadingBook, label=_("抄表段"))
    book_code = django_filters.CharFilter(field_name="book__code", label=_("抄表段编号"))
    period = django_filters.CharFilter(label=_("电费年月"))
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices, label=_("状态"))
    station = _station()

    class Meta:
        model = ReadingPlan
        fields: list[str] = []


class ReadingFilterSet(ScopedFilterSet):
    plan = django_filters.NumberFilter(field_name="plan_id", label=_("抄表计划 id"))
    period = django_filters.CharFilter(label=_("电费年月"))
    book = RefFilter(field_name="plan__book_id", model=ReadingBook, label=_("抄表段"))
    book_code = django_filters.CharFilter(field_name="plan__book__code", label=_("抄表段编号"))
    account = django_filters.NumberFilter(field_name="point__account_id", label=_("用电户 id"))
    account_number = django_filters.CharFilter(field_name="point__account__number", label=_("户号"))
    register = django_filters.CharFilter(label=_("示数类型"))
    status = django_filters.ChoiceFilter(choices=ReadingStatus.choices, label=_("状态"))
    source = django_filters.ChoiceFilter(choices=ReadingSource.choices, label=_("来源"))
    superseded = django_filters.BooleanFilter(label=_("已更正"))
    station = _station()

    class Meta:
        model = Reading
        fields: list[str] = []


class ReadingExceptionFilterSet(ScopedFilterSet):
    search_fields = ("reading__point__account__number", "reading__point__account__name", "message")
    ui_fields = ("book", "period", "code")
    plan = django_filters.NumberFilter(field_name="plan_id", label=_("抄表计划 id"))
    book = RefFilter(field_name="plan__book_id", model=ReadingBook, label=_("抄表段"))
    period = django_filters.CharFilter(field_name="plan__period", label=_("电费年月"))
    status = django_filters.ChoiceFilter(choices=ReadingException.STATUS, label=_("状态"))
    code = django_filters.CharFilter(label=_("异常类型"))
    station = _station()

    class Meta:
        model = ReadingException
        fields: list[str] = []
