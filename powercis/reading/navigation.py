"""Reading's menu entries, home-page cards, and the readings panel of the account page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from powercis.core.periods import period_of
from powercis.metering.models import REGISTERS
from powercis.org.scoping import scope
from powercis.reading.models import PlanStatus, Reading, ReadingBook, ReadingException, ReadingPlan
from powercis.registry import MenuItem, Panel, Todo

MENU = [
    MenuItem("reading:books", gettext_noop("抄表"), "org.view_readingbook", order=30),
    MenuItem("reading:exceptions", gettext_noop("抄表异常"), "reading.resolve_exception", order=40),
]


def reading_todos(user: Any, on: dt.date) -> list[Todo]:
    period = period_of(on)
    cards = []
    if user.has_perm("reading.add_reading"):
        books = scope(ReadingBook.objects.all(), user).count()
        done = scope(ReadingPlan.objects.filter(period=period).exclude(status=PlanStatus.OPEN), user).count()
        cards.append(Todo("books", _("待抄抄表段"), books - done, "reading:books", "primary", period))
    if user.has_perm("reading.resolve_exception"):
        n = scope(ReadingException.objects.filter(status="open"), user).count()
        cards.append(Todo("exceptions", _("待处理抄表异常"), n, "reading:exceptions", "warning"))
    return cards


TODOS = [reading_todos]


def _readings(request: Any, account: Any) -> dict[str, Any]:
    readings = list(
        Reading.objects.filter(point__account=account)
        .select_related("point__meter")
        .order_by("-period", "point_id", "register", "-id")[:60]
    )
    for r in readings:
        r.register_label = REGISTERS.get(r.register, r.register)
    return {"readings": readings}


PANELS = [
    Panel("customers.account", "reading/panels/readings.html", _readings, "reading.view_reading", order=40, width=6),
]
