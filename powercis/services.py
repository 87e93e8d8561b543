"""Shared base of the business services: one error type with a stable code for API and UI."""

from __future__ import annotations

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
