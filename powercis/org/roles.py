"""The roles of SPEC §0 as Django groups with permissions.

A role is a group; a person may hold several. ``ROLES`` is the single place that says what each
role may do; ``sync_roles`` makes the database match it (run by ``migrate`` and by the demo).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Role:
    code: str
    name: str
    name_en: str
    permissions: tuple[str, ...]


_VIEW = (
    "customers.view_customer",
    "customers.view_account",
    "metering.view_meteringpoint",
    "org.view_readingbook",
    "reading.view_reading",
    "billing.view_bill",
    "payments.view_payment",
    "tariffs.view_tariff",
)

ROLES: tuple[Role, ...] = (
    Role("reader", "抄表员", "Meter reader", _VIEW + ("reading.add_reading", "reading.import_readings")),
    Role(
        "billing",
        "核算员",
        "Billing clerk",
        _VIEW
        + (
            "reading.resolve_exception",
            "reading.release_book",
            "billing.run_billing",
            "billing.review_bill",
            "billing.issue_bill",
            "billing.request_adjustment",
        ),
    ),
    Role("cashier", "收费员", "Cashier", _VIEW + ("payments.add_payment",)),
    Role("inspector", "用电检查员", "Inspector", _VIEW + ("billing.request_adjustment",)),
    Role("loss", "线损专责", "Line-loss specialist", _VIEW),
    Role("auditor", "稽查员", "Auditor", _VIEW + ("audit.view_changelog",)),
    Role(
        "head",
        "所长",
        "Station head",
        _VIEW
        + (
            "billing.review_bill",
            "billing.issue_bill",
            "billing.approve_adjustment",
            "audit.view_changelog",
            "reading.resolve_exception",
        ),
    ),
    Role("manager", "客户经理", "Account manager", _VIEW),
    Role(
        "desk",
        "业务受理员",
        "Service desk",
        _VIEW
        + (
            "customers.add_customer",
            "customers.change_customer",
            "customers.add_account",
            "customers.change_account",
            "customers.import_accounts",
        ),
    ),
    Role(
        "admin",
        "系统管理员",
        "System administrator",
        _VIEW
        + (
            "customers.add_customer",
            "customers.change_customer",
            "customers.add_account",
            "customers.change_account",
            "customers.import_accounts",
            "tariffs.add_tariffversion",
            "audit.view_changelog",
        ),
    ),
)
ROLE_BY_CODE = {r.code: r for r in ROLES}


def sync_roles() -> None:
    """Create or update one group per role with exactly the role's permissions."""
    from django.contrib.auth.models import Group, Permission

    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role.name)
        perms = []
        for dotted in role.permissions:
            app_label, codename = dotted.split(".")
            perms.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        group.permissions.set(perms)
