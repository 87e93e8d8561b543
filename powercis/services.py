"""Shared base of the business services: one error type with a stable code for API and UI."""

from __future__ import annotations

from decimal import Decimal
from typing import Any


class ServiceError(Exception):
    """A business rule refused the operation. ``code`` is stable; ``message`` is Chinese."""

    status = 400

    def __init__(self, code: str, message: str, details: Any = None, status: int = 400) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.details = details
        self.status = status


def db_sum(value: Any) -> Decimal:
    """A database SUM of a decimal column as an exact Decimal to 0.01.

    SQLite sums decimals as floats (79.25 + 20.75 may come back as 100.00000000000001); amounts at rest
    have two places, so quantizing the sum restores the exact value on every backend.
    """
    return Decimal(value or 0).quantize(Decimal("0.01"))
