"""Payments' menu entries, home-page card, and the balance and ledger panels of the account page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from powercis.org.scoping import scope
from powercis.payments import services
from powercis.payments.models import Payment
from powercis.registry import MenuItem, Panel, Todo
from powercis.services import db_sum

MENU = [
    MenuItem("payments:counter", gettext_noop("收费"), "payments.add_payment", order=80),
    MenuItem("payments:payments", gettext_noop("收费记录"), "payments.view_payment", order=85),
]


def receipts_today(user: Any, on: dt.date) -> list[Todo]:
    if not user.has_perm("payments.add_payment"):
        return []
    agg = scope(Payment.objects.filter(received_at__date=on), user).aggregate(
        n=Count("id"), s=Sum("amount")
    )
    return [Todo("receipts", _("今日收费笔数"), agg["n"], "payments:counter", "success", f"¥{db_sum(agg['s']):,.2f}")]


TODOS = [receipts_today]


def _balance(request: Any, account: Any) -> dict[str, Any]:
    return {"account": account, "balance": services.account_position(account, with_bills=False)}


def _ledger(request: Any, account: Any) -> dict[str, Any]:
    return {"ledger": services.ledger_rows(account)}


PANELS = [
    Panel("customers.account", "payments/panels/balance.html", _balance, "payments.view_payment", order=10, slot="side"),
    Panel("customers.account", "payments/panels/ledger.html", _ledger, "payments.view_payment", order=50),
]
