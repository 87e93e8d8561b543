"""Permissions the billing app grants to the roles of ``powercis.org.roles``."""

from powercis.org.roles import EVERY_ROLE

_VIEW = ("billing.view_bill",)
PERMISSIONS = {
    **{code: _VIEW for code in EVERY_ROLE},
    "billing": (
        *_VIEW,
        "billing.run_billing",
        "billing.review_bill",
        "billing.issue_bill",
        "billing.request_adjustment",
    ),
    "inspector": (*_VIEW, "billing.request_adjustment"),
    "head": (*_VIEW, "billing.review_bill", "billing.issue_bill", "billing.approve_adjustment"),
}
