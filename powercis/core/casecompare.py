"""Compare a calculation result with a case's published ``expected`` answer (cases/FORMAT.md).

Why a function of its own: the case tests, ``powercis calc --check`` and the UI's trial calculator all
judge "does our answer match the published one" and must judge it the same way:

- every key present in ``expected`` (except ``tolerance``) must be in the result; keys absent from
  ``expected`` are not compared;
- a number matches when the result, rounded half-up to as many decimals as the expected value shows,
  differs from it by at most ``tolerance`` (default 0) — so 0.1249999… matches "0.125" but a money
  amount must be right to the fen;
- objects (``items``) compare key by key, lists (``pf`` per segment, ``bills``) element by element;
- anything that is not a number (a name, a flag) must be equal.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from powercis.core.errors import CalcError
from powercis.core.money import round_half_up, to_decimal

__all__ = ["compare", "places_of"]


def _number(value: Any) -> Decimal | None:
    """The value as a finite Decimal (JSON numbers and decimal strings), or None when it is not one."""
    try:
        return to_decimal(value)
    except CalcError:
        return None


def places_of(expected: Decimal) -> int:
    """How many decimals the expected value shows: "72697.50" → 2, "5" → 0, "1E+3" → 0."""
    exponent = expected.as_tuple().exponent
    assert isinstance(exponent, int)  # finite numbers only
    return max(0, -exponent)


def compare(expected: Any, result: Any, tolerance: Any = None, path: str = "") -> list[str]:
    """Mismatches between ``expected`` and ``result``, one readable line each; empty means a match.

    ``tolerance`` defaults to ``expected["tolerance"]`` at the top level (0 when absent) and applies to
    every number below it.
    """
    if tolerance is None:
        tol = _number(expected.get("tolerance")) if isinstance(expected, Mapping) else None
        tol = abs(tol) if tol is not None else Decimal(0)
    else:
        tol = _number(tolerance) or Decimal(0)
    return _compare(expected, result, tol, path)


def _compare(expected: Any, result: Any, tol: Decimal, path: str) -> list[str]:
    where = path or "result"
    if isinstance(expected, Mapping):
        if not isinstance(result, Mapping):
            return [f"{where}: expected an object, got {result!r}"]
        mismatches: list[str] = []
        for key, value in expected.items():
            if key == "tolerance" and not path:
                continue
            sub = f"{path}.{key}" if path else str(key)
            if key not in result:
                mismatches.append(f"{sub}: missing in result (expected {value})")
                continue
            mismatches.extend(_compare(value, result[key], tol, sub))
        return mismatches
    if isinstance(expected, list):
        if not isinstance(result, list):
            return [f"{where}: expected a list, got {result!r}"]
        if len(result) != len(expected):
            return [f"{where}: expected {len(expected)} elements, got {len(result)}"]
        mismatches = []
        for n, (exp, got) in enumerate(zip(expected, result, strict=True)):
            mismatches.extend(_compare(exp, got, tol, f"{where}[{n}]"))
        return mismatches
    want = _number(expected)
    if want is None:
        return [] if expected == result else [f"{where}: expected {expected!r}, got {result!r}"]
    got = _number(result)
    if got is None:
        return [f"{where}: expected {expected}, got {result!r} (not a number)"]
    rounded = round_half_up(got, places_of(want))
    if abs(rounded - want) > tol:
        return [f"{where}: expected {expected}, got {result} (rounded {rounded})"]
    return []
