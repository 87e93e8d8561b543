"""Display filters for the staff screens."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

register = template.Library()


@register.filter
def person(user: Any) -> str:
    """A user's name the Chinese way (family name first, no space: 高嘉亮), else the username, else a dash."""
    if user is None:
        return "—"
    return f"{user.last_name}{user.first_name}".strip() or user.get_username()


@register.filter
def plain(value: Any) -> str:
    """A Decimal without trailing zeros (a price as published: 0.650000 → 0.65); '' for None."""
    if value is None or value == "":
        return ""
    if not isinstance(value, Decimal):
        return str(value)
    text = f"{value.normalize():f}"
    return "0" if text == "-0" else text


@register.filter
def cell(value: Any) -> str:
    """A table cell: a dash for nothing, 是/否 for booleans, numbers grouped by thousands, dates as dates."""
    import datetime as dt

    from django.utils import formats
    from django.utils.translation import gettext

    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if isinstance(value, Decimal):
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    if isinstance(value, dt.datetime | dt.date):
        return formats.localize(value)
    return str(value)
