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
