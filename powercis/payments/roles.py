"""Permissions the payments app grants to the roles of ``powercis.org.roles``."""

from powercis.org.roles import EVERY_ROLE

PERMISSIONS = {
    **{code: ("payments.view_payment",) for code in EVERY_ROLE},
    "cashier": ("payments.view_payment", "payments.add_payment"),
}
