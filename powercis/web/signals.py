from typing import Any


def sync_roles_after_migrate(**kwargs: Any) -> None:
    """Keep the role groups equal to ``powercis.org.roles.ROLES`` after every migrate."""
    from powercis.org.roles import sync_roles

    sync_roles()
