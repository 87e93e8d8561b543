"""Errors raised by core calculations, each with a stable code for the API and a Chinese message."""

from __future__ import annotations


class CalcError(ValueError):
    """A calculation cannot be done with the given input (missing field, impossible value).

    ``code`` is stable (API clients match on it); ``message`` is for people (Chinese first).
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}
