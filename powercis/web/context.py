"""Role-aware navigation: each menu entry shows only to users holding its permission."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

# (url name, label, permission or None)
MENU: list[tuple[str, str, str | None]] = [
    ("web:home", "工作台", None),
    ("web:accounts", "客户档案", "customers.view_account"),
    ("web:books", "抄表", "reading.view_readingbook"),
    ("web:exceptions", "抄表异常", "reading.resolve_exception"),
    ("web:billing", "电费计算", "billing.run_billing"),
    ("web:review", "电费审核", "billing.review_bill"),
    ("web:counter", "收费", "payments.add_payment"),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {"menu": []}
    items = [
        {"url": reverse(name), "label": _(label), "active": request.path == reverse(name)}
        for name, label, perm in MENU
        if perm is None or user.has_perm(perm)
    ]
    return {"menu": items}
