"""Fixtures shared by the cross-app tests."""

from tests.months import both  # noqa: F401 - the two-station month, used by the sweeping tests
