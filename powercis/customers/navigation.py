"""The customer archive's menu entries and the dated-history panel of its own account page."""

from typing import Any

from django.utils.translation import gettext_noop

from powercis.customers.terms import history_rows
from powercis.registry import MenuItem, Panel

MENU = [
    MenuItem("customers:accounts", gettext_noop("客户档案"), "customers.view_account", order=10),
]


def _terms(request: Any, account: Any) -> dict[str, Any]:
    return {"account": account, "history": history_rows(account)}


PANELS = [Panel("customers.account", "customers/panels/terms.html", _terms, "customers.view_account", order=15)]
