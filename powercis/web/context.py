"""Role-aware navigation: each menu entry shows only to users holding its permission.

Also puts the signed-in person's name, station and roles in every page (the navbar shows them).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from powercis.web.templatetags.powercis_web import person

# (url name, label, permission or None). Labels are msgids (Chinese); English comes from the catalogue.
MENU: list[tuple[str, str, str | None]] = [
    ("web:home", gettext_noop("工作台"), None),
    ("web:accounts", gettext_noop("客户档案"), "customers.view_account"),
    ("web:books", gettext_noop("抄表"), "org.view_readingbook"),
    ("web:exceptions", gettext_noop("抄表异常"), "reading.resolve_exception"),
    ("web:billing", gettext_noop("电费计算"), "billing.run_billing"),
    ("web:review", gettext_noop("电费审核"), "billing.review_bill"),
    ("web:calc", gettext_noop("电费测算"), "billing.view_bill"),
    ("web:adjustments", gettext_noop("退补审批"), "billing.approve_adjustment"),
    ("web:counter", gettext_noop("收费"), "payments.add_payment"),
]

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
    for name, label, perm in MENU:
        if perm is not None and not user.has_perm(perm):
            continue
        url = reverse(name)
        active = request.path == url if url == "/" else request.path.startswith(url)
        items.append({"url": url, "label": _(label), "active": active})
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
