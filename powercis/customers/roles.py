"""Permissions the customer archive grants to the roles of ``powercis.org.roles``."""

from powercis.org.roles import EVERY_ROLE

_EDIT = (
    "customers.add_customer",
    "customers.change_customer",
    "customers.add_account",
    "customers.change_account",
    "customers.import_accounts",
)
PERMISSIONS = {
    **{code: ("customers.view_customer", "customers.view_account") for code in EVERY_ROLE},
    "desk": ("customers.view_customer", "customers.view_account", *_EDIT),
    "admin": ("customers.view_customer", "customers.view_account", *_EDIT),
}
