"""Role-aware navigation: each menu entry (from the apps' ``navigation.py``) shows only to users holding
its permission.

Also puts the signed-in person's name, station and roles in every page (the navbar shows them).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from powercis.registry import MenuItem, menu
from powercis.web.templatetags.powercis_web import person

# The shell's own entry; every app adds its entries in its ``navigation.py`` (``powercis.registry``).
HOME = MenuItem("web:home", gettext_noop("工作台"), None, order=0)

# Role (group) names come from the database; listed here so that the catalogue carries them.
ROLE_NAMES = [
    gettext_noop("抄表员"),
    gettext_noop("核算员"),
    gettext_noop("收费员"),
    gettext_noop("用电检查员"),
    gettext_noop("线损专责"),
    gettext_noop("稽查员"),
    gettext_noop("所长"),
    gettext_noop("客户经理"),
    gettext_noop("业务受理员"),
    gettext_noop("系统管理员"),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {"menu": []}
    items = []
    for entry in [HOME, *menu()]:
        if entry.permission is not None and not user.has_perm(entry.permission):
            continue
        url = reverse(entry.url_name)
        active = request.path == url if url == "/" else request.path.startswith(url)
        items.append({"url": url, "label": _(entry.label), "active": active})
    profile = getattr(user, "staff", None)
    if user.is_superuser or profile is None or profile.station_id is None:
        station = _("公司本部")
    else:
        station = profile.station.name
    roles = [g.name for g in user.groups.all()]
    return {
        "menu": items,
        "me": {
            "name": person(user),
            "station": station,
            "roles": [_(r) for r in roles] or ([_("系统管理员")] if user.is_superuser else []),
        },
    }
