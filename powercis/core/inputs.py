"""Input readers of the calculation kinds (电费测算): a field of a JSON input, checked.

Every reader raises ``CalcError`` with a stable code and a Chinese message naming the field, so a bad
input prints a clear error rather than a traceback. The kind modules (late fees, theft, meter error…)
and the calculator registry (``powercis.core.calc``) share them; they live apart from the registry so
that no kind module depends on the registry that lists it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from powercis.core.errors import CalcError
from powercis.core.money import to_decimal

# --------------------------------------------------------------------------------------------------


def need(inp: Mapping[str, Any], key: str) -> Any:
    """A required field; absent or null raises ``missing_field``."""
    value = inp.get(key)
    if value is None:
        raise CalcError("missing_field", f"缺少输入项 {key}")
    return value


def dec(inp: Mapping[str, Any], key: str, default: Decimal | None = None, *, negative: bool = False) -> Decimal:
    """A number field as Decimal; null/absent gives ``default`` (or ``missing_field`` without one).

    Negative values are refused unless ``negative`` — quantities and prices are never negative, and a
    sign slip should be an error, not a refund.
    """
    value = inp.get(key)
    if value is None:
        if default is None:
            raise CalcError("missing_field", f"缺少输入项 {key}")
        return default
    number = to_decimal(value, key)
    if number < 0 and not negative:
        raise CalcError("invalid_value", f"{key} 不能为负数: {value!r}")
    return number


def opt_dec(inp: Mapping[str, Any], key: str, *, negative: bool = False) -> Decimal | None:
    """An optional number field; null or absent means unknown (``None``)."""
    if inp.get(key) is None:
        return None
    return dec(inp, key, negative=negative)


def whole(inp: Mapping[str, Any], key: str, default: int | None = None) -> int:
    """A non-negative integer field (day counts, occasions, decimals)."""
    value = dec(inp, key, None if default is None else Decimal(default))
    if value != value.to_integral_value():
        raise CalcError("invalid_value", f"{key} 须为整数: {inp.get(key)!r}")
    return int(value)


def choice(inp: Mapping[str, Any], key: str, options: Collection[str], default: str | None = None) -> str:
    """A field that must be one of ``options``."""
    value = inp.get(key, default)
    if value is None:
        raise CalcError("missing_field", f"缺少输入项 {key} (可选: {', '.join(options)})")
    if not isinstance(value, str) or value not in options:
        raise CalcError("invalid_value", f"{key} 取值无效: {value!r} (可选: {', '.join(options)})")
    return value


def flag(inp: Mapping[str, Any], key: str, default: bool | None = None) -> bool:
    """A true/false field."""
    value = inp.get(key)
    if value is None:
        if default is None:
            raise CalcError("missing_field", f"缺少输入项 {key}")
        return default
    if not isinstance(value, bool):
        raise CalcError("invalid_value", f"{key} 须为 true 或 false: {value!r}")
    return value


def parse_date(value: Any, key: str) -> date:
    """An ISO date ``YYYY-MM-DD``."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise CalcError("invalid_date", f"{key} 不是日期 (YYYY-MM-DD): {value!r}")
    try:
        return datetime.strptime(value.strip(), "%Y-%m-%d").date()
    except ValueError:
        raise CalcError("invalid_date", f"{key} 不是日期 (YYYY-MM-DD): {value!r}") from None


def mapping(value: Any, key: str) -> Mapping[str, Any]:
    """A JSON object field."""
    if not isinstance(value, Mapping):
        raise CalcError("invalid_value", f"{key} 须为对象: {value!r}")
    return value


def items_of(value: Any, key: str, *, nonempty: bool = True) -> list[Any]:
    """A JSON list field (non-empty unless told)."""
    if not isinstance(value, list):
        raise CalcError("invalid_value", f"{key} 须为列表: {value!r}")
    if nonempty and not value:
        raise CalcError("invalid_value", f"{key} 不能为空")
    return value


def out(value: Decimal) -> str:
    """A result number as a plain decimal string (never exponent notation, never "-0")."""
    if value == 0:
        value = abs(value)
    return format(value, "f")
