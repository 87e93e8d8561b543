"""Permissions the tariff catalogue grants to the roles of ``powercis.org.roles``."""

from powercis.org.roles import EVERY_ROLE

PERMISSIONS = {
    **{code: ("tariffs.view_tariff",) for code in EVERY_ROLE},
    "admin": ("tariffs.view_tariff", "tariffs.add_tariffversion"),
}
