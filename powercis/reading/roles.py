"""Permissions the reading app grants to the roles of ``powercis.org.roles``."""

from powercis.org.roles import EVERY_ROLE

_VIEW = ("reading.view_reading",)
PERMISSIONS = {
    **{code: _VIEW for code in EVERY_ROLE},
    "reader": (*_VIEW, "reading.add_reading", "reading.import_readings"),
    "billing": (*_VIEW, "reading.resolve_exception", "reading.release_book"),
    "head": (*_VIEW, "reading.resolve_exception"),
}
