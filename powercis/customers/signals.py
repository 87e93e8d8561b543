"""An account is born with its first dated terms.

The receiver writes the initial ``AccountTerms`` row (valid from ``connected_on``, the first supplied
day) from the account's own fields whenever an ``Account`` is created with ``save()`` — the import, the
service desk, the API, the test factories — so no creation path can forget it and billing, which reads
only terms, always finds them. ``bulk_create`` sends no signal: its callers (the demo generator) write
the initial rows themselves with ``initial_terms``.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from powercis.customers.models import Account, AccountTerms


def initial_terms(account: Account, reason: str = "立户") -> AccountTerms:
    """The first terms row of ``account``, from its own fields (not saved)."""
    return AccountTerms(
        account=account, valid_from=account.connected_on, seq=1, status=account.status, category=account.category,
        tariff_id=account.tariff_id, voltage=account.voltage, capacity_kva=account.capacity_kva,
        basic_charge_mode=account.basic_charge_mode, contract_demand_kw=account.contract_demand_kw,
        pf_standard=account.pf_standard, metering_mode=account.metering_mode, reason=reason,
    )


@receiver(post_save, sender=Account, dispatch_uid="customers.account_initial_terms")
def account_created(sender: type[Account], instance: Account, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if created and not raw:  # raw: fixtures bring their own terms rows
        initial_terms(instance).save()
