"""The roles of SPEC §0 as Django groups with permissions.

A role is a group; a person may hold several. This module names the roles; what each role may do is
granted by the apps themselves, each in its ``roles.py`` (``PERMISSIONS = {role code: (perm, …)}``),
collected through ``powercis.registry``: a new app brings its own permissions and edits no list here.
``sync_roles`` makes the groups match (run after every ``migrate`` and by the demo).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Role:
    code: str
    name: str
    name_en: str


ROLES: tuple[Role, ...] = (
    Role("reader", "抄表员", "Meter reader"),
    Role("billing", "核算员", "Billing clerk"),
    Role("cashier", "收费员", "Cashier"),
    Role("inspector", "用电检查员", "Inspector"),
    Role("loss", "线损专责", "Line-loss specialist"),
    Role("auditor", "稽查员", "Auditor"),
    Role("head", "所长", "Station head"),
    Role("manager", "客户经理", "Account manager"),
    Role("desk", "业务受理员", "Service desk"),
    Role("admin", "系统管理员", "System administrator"),
)
ROLE_BY_CODE = {r.code: r for r in ROLES}
#: Shorthand for apps' grants: every role may look at the station's data.
EVERY_ROLE = tuple(r.code for r in ROLES)

# org's own grants: every role sees the reading books of its station.
PERMISSIONS = {code: ("org.view_readingbook",) for code in EVERY_ROLE}


def role_permissions() -> dict[str, set[str]]:
    """Role code → the permissions every installed app grants it."""
    from powercis.registry import role_permissions as collected

    grants = collected()
    unknown = set(grants) - set(ROLE_BY_CODE)
    if unknown:
        raise ValueError(f"未知角色: {', '.join(sorted(unknown))}")
    return grants


def sync_roles() -> None:
    """Create or update one group per role with exactly the permissions the apps grant it."""
    from django.contrib.auth.models import Group, Permission

    grants = role_permissions()
    wanted = {p for perms in grants.values() for p in perms}
    found = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.select_related("content_type")
    }
    missing = wanted - set(found)
    if missing:
        raise ValueError(f"权限不存在: {', '.join(sorted(missing))}")
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role.name)
        group.permissions.set([found[p] for p in sorted(grants.get(role.code, ()))])
