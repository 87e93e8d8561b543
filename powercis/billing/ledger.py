"""The ledger as billing sees it: a port that the payments app fills in.

Billing decides *what* is owed (bills, reversals, 退补); the double-entry ledger that records it lives
in ``powercis.payments``, which depends on billing. So that dependencies point downward only, billing
never imports payments: issuance and the posting of corrections call this port, and
``payments.apps.PaymentsConfig.ready`` registers its services as the implementation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from powercis.billing.models import Bill
    from powercis.customers.models import Account


class Ledger(Protocol):
    def post_bills_issue(self, bills: Sequence[Bill], user: Any, *, on: dt.date) -> int: ...

    def post_bill_issue(self, bill: Bill, user: Any, *, on: dt.date, allocate: bool = True) -> None: ...

    def allocate_to_bill(self, bill: Bill, amount: Decimal, user: Any) -> Any: ...

    def allocate_prepaid(self, account: Account, user: Any) -> Any: ...


_ledger: Ledger | None = None


def register(implementation: Ledger) -> None:
    global _ledger
    _ledger = implementation


def ledger() -> Ledger:
    if _ledger is None:
        raise ImproperlyConfigured("没有账务模块：powercis.payments 须在 INSTALLED_APPS 中")
    return _ledger
