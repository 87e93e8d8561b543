"""Permissions the metering app grants to the roles of ``powercis.org.roles``."""

from powercis.org.roles import EVERY_ROLE

PERMISSIONS = {code: ("metering.view_meteringpoint", "metering.view_meter") for code in EVERY_ROLE}
