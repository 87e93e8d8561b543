"""One table convention for every list page and its Excel/CSV export.

A ``Column`` names a value of a row (a dotted attribute path, or a function of the row), its Chinese
label, how it is sorted and where it links. The same columns render the HTML table and write the
export, so what a clerk sees is what the file holds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Column:
    """One column. ``accessor`` "account.number" follows attributes; ``get_<field>_display`` is used
    for fields with choices when ``display`` is set. ``order_by`` (a model field path) makes it
    sortable. ``link`` is a URL name taking the row's ``pk`` (or ``link_attr``'s value)."""

    name: str
    label: str
    accessor: str | Callable[[Any], Any] | None = None
    order_by: str | None = None
    link: str | None = None
    link_attr: str = "pk"
    display: bool = False
    numeric: bool = False
    export: bool = True

    def value(self, row: Any) -> Any:
        if callable(self.accessor):
            return self.accessor(row)
        path = self.accessor or self.name
        obj = row
        parts = path.split(".")
        for i, part in enumerate(parts):
            if obj is None:
                return None
            if self.display and i == len(parts) - 1 and hasattr(obj, f"get_{part}_display"):
                return getattr(obj, f"get_{part}_display")()
            obj = getattr(obj, part, None)
        return obj

    def url(self, row: Any) -> str | None:
        if self.link is None:
            return None
        key = row
        for part in self.link_attr.split("."):
            key = getattr(key, part, None)
        return reverse(self.link, args=[key]) if key is not None else None


def cells(columns: Sequence[Column], row: Any) -> list[dict[str, Any]]:
    """The row's cells for the HTML table: text, link and alignment."""
    return [{"value": c.value(row), "url": c.url(row), "numeric": c.numeric} for c in columns]


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def export_value(value: Any) -> Any:
    """A cell for a spreadsheet: numbers stay numbers (as exact text for Decimal), text that a
    spreadsheet would run as a formula is quoted, None is empty, booleans read 是/否."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal):
        return format(value, "f")
    text = str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text
