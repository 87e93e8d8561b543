"""Money operations on the per-account double-entry ledger: issuance, payments, allocation, checks.

Every operation is one ``Journal`` with postings summing to zero, keyed (``Journal.key``) so that a
retried operation finds its earlier journal instead of posting twice. ``AccountBalance`` is updated in
the same transaction; ``check_ledger`` proves it equals the postings and that bills, payments and
allocations reconcile.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import DecimalField, F, Prefetch, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from powercis.audit.services import log_change
from powercis.billing.models import Bill, BillStatus, due_date_after
from powercis.customers.models import Account
from powercis.org.models import Station
from powercis.org.scoping import check_station, require_perm
from powercis.payments.models import AccountBalance, Allocation, Journal, Payment, Posting
from powercis.services import ServiceError
from powercis.services import db_sum as _cents

ZERO = Decimal("0.00")


def _balance(account: Account) -> AccountBalance:
    """The account's balance row, locked for the transaction (created on first use)."""
    balance = AccountBalance.objects.select_for_update().filter(account=account).first()
    if balance is None:
        AccountBalance.objects.get_or_create(account=account)
        balance = AccountBalance.objects.select_for_update().get(account=account)
    return balance


def post_journal(
    account: Account, kind: str, key: str, memo: str, postings: Sequence[tuple[str, Decimal]], user: Any
) -> tuple[Journal, bool]:
    """Post one balanced journal for ``account``; returns (journal, created). Must run in a transaction."""
    existing = Journal.objects.filter(key=key).first()
    if existing is not None:
        return existing, False
    if sum((a for _, a in postings), ZERO) != 0:
        raise ServiceError("unbalanced", f"凭证借贷不平: {postings}")
    journal = Journal.objects.create(
        station_id=account.station_id, account=account, kind=kind, key=key, memo=memo[:200],
        created_by=user if getattr(user, "pk", None) else None,
    )
    Posting.objects.bulk_create([Posting(journal=journal, account=account, ledger=led, amount=amt) for led, amt in postings])
    balance = _balance(account)
    for ledger, amount in postings:
        if ledger == "receivable":
            balance.receivable += amount
        elif ledger == "prepaid":
            balance.prepaid -= amount  # a credit to prepaid raises the customer's credit in hand
    balance.save()
    return journal, True


def open_amount(bill: Bill) -> Decimal:
    return bill.total - bill.paid


def open_bills(account: Account) -> list[tuple[Bill, Decimal]]:
    """Issued bills with money still owed, oldest first, with their open amounts (one query)."""
    bills = (
        Bill.objects.filter(account=account, status=BillStatus.ISSUED, total__gt=0)
        .annotate(settled=Coalesce(Sum("allocations__amount"), Value(ZERO), output_field=DecimalField()))
        .filter(total__gt=F("settled"))
        .order_by("period", "id")
    )
    owed = [(b, b.total - _cents(b.settled)) for b in bills]
    return [(b, amount) for b, amount in owed if amount > 0]


@dataclass(frozen=True)
class Position:
    """What an account owes, computed once for the counter, the account page and the API.

    ``owed`` = receivable − prepaid from the ledger's cached balance (negative = credit in hand);
    ``open_bills`` the issued bills still unpaid, oldest first, with their open amounts.
    """

    receivable: Decimal
    prepaid: Decimal
    open_bills: list[tuple[Bill, Decimal]]

    @property
    def owed(self) -> Decimal:
        return self.receivable - self.prepaid

    @property
    def suggested(self) -> Decimal:
        """The amount a cashier proposes: what is owed beyond the prepaid balance, never negative."""
        return max(self.owed, ZERO)


def account_position(account: Account, *, with_bills: bool = True) -> Position:
    balance = AccountBalance.objects.filter(account=account).first()
    return Position(
        receivable=balance.receivable if balance else ZERO,
        prepaid=balance.prepaid if balance else ZERO,
        open_bills=open_bills(account) if with_bills else [],
    )


def ledger_rows(account: Account) -> list[dict[str, Any]]:
    """The account's journals, newest first, with the receivable/prepaid movements and running 欠费."""
    journals = (
        Journal.objects.filter(account=account)
        .select_related("created_by")
        .prefetch_related(Prefetch("postings", queryset=Posting.objects.order_by("id")))
        .order_by("id")
    )
    rows = []
    owed = ZERO
    for journal in journals:
        postings = list(journal.postings.all())
        receivable = sum((p.amount for p in postings if p.ledger == "receivable"), ZERO)
        prepaid = -sum((p.amount for p in postings if p.ledger == "prepaid"), ZERO)
        owed += receivable - prepaid
        rows.append(
            {"journal": journal, "postings": postings, "receivable": receivable, "prepaid": prepaid, "owed": owed}
        )
    rows.reverse()
    return rows


def allocate_prepaid(account: Account, user: Any, payment: Payment | None = None) -> list[Allocation]:
    """Settle open bills from the account's prepaid balance, oldest debt first. Runs in a transaction."""
    allocations: list[Allocation] = []
    available = _balance(account).prepaid
    if available <= 0:
        return allocations
    for bill, owed in open_bills(account):
        if available <= 0:
            break
        amount = min(owed, available)
        # Deterministic key: a payment settles a bill at most once; other allocations are numbered.
        suffix = f"p{payment.pk}" if payment is not None else str(Allocation.objects.filter(bill=bill).count() + 1)
        journal, created = post_journal(
            account, "allocation", f"alloc:{bill.pk}:{suffix}", f"销账 {bill.period} 电费",
            [("prepaid", amount), ("receivable", -amount)], user,
        )
        if created:
            allocations.append(Allocation.objects.create(payment=payment, bill=bill, amount=amount, journal=journal))
        available -= amount
    return allocations


def post_bill_issue(bill: Bill, user: Any, *, on: dt.date, allocate: bool = True) -> None:
    """Issuance of one bill (caller holds the row lock): Dr receivable / Cr revenue.

    A negative bill (refund, reversal) is a credit: it is moved at once to the prepaid balance
    (an allocation of the negative amount), from where it settles open bills oldest first.
    """
    account = bill.account
    post_journal(
        account, "issue", f"issue:{bill.pk}", f"发行 {bill.period} {bill.get_kind_display()} {bill.total}",
        [("receivable", bill.total), ("revenue", -bill.total)], user,
    )
    if bill.total < 0:
        journal, created = post_journal(
            account, "allocation", f"credit:{bill.pk}", f"{bill.get_kind_display()} {bill.total} 转入预收",
            [("receivable", -bill.total), ("prepaid", bill.total)], user,
        )
        if created:
            Allocation.objects.create(bill=bill, amount=bill.total, journal=journal)
    bill.status = BillStatus.ISSUED
    bill.issued_at = timezone.now()
    bill.due_date = due_date_after(on)
    bill.issued_by = user if getattr(user, "pk", None) else None
    bill.save(update_fields=["status", "issued_at", "due_date", "issued_by"])
    if allocate:
        allocate_prepaid(account, user)


def post_bills_issue(bills: Sequence[Bill], user: Any, *, on: dt.date) -> int:
    """Issue many approved bills at once (one book): the same entries as ``post_bill_issue`` per bill,
    written with a few bulk statements. The caller holds the row locks inside one transaction."""
    bills = [b for b in bills if b.status == BillStatus.APPROVED]
    for bill in [b for b in bills if b.total < 0]:  # credits take the general path
        post_bill_issue(bill, user, on=on)
    bills = [b for b in bills if b.total >= 0]
    keys = {f"issue:{b.pk}": b for b in bills}
    done = set(Journal.objects.filter(key__in=keys).values_list("key", flat=True))
    todo = [b for key, b in keys.items() if key not in done]
    who = user if getattr(user, "pk", None) else None
    journals = Journal.objects.bulk_create(
        [
            Journal(station_id=b.station_id, account_id=b.account_id, kind="issue", key=f"issue:{b.pk}",
                    memo=f"发行 {b.period} {b.get_kind_display()} {b.total}"[:200], created_by=who)
            for b in todo
        ]
    )
    if journals and journals[0].pk is None:  # backends that cannot return ids from a bulk insert
        ids = dict(Journal.objects.filter(key__in=[j.key for j in journals]).values_list("key", "pk"))
        for j in journals:
            j.pk = ids[j.key]
    Posting.objects.bulk_create(
        [
            Posting(journal_id=j.pk, account_id=b.account_id, ledger=ledger, amount=amount)
            for j, b in zip(journals, todo, strict=True)
            for ledger, amount in (("receivable", b.total), ("revenue", -b.total))
        ],
        batch_size=2000,
    )
    account_ids = {b.account_id for b in todo}
    existing = set(AccountBalance.objects.filter(account_id__in=account_ids).values_list("account_id", flat=True))
    AccountBalance.objects.bulk_create([AccountBalance(account_id=a) for a in account_ids - existing])
    balances = {b.account_id: b for b in AccountBalance.objects.select_for_update().filter(account_id__in=account_ids)}
    for b in todo:
        balances[b.account_id].receivable += b.total
    AccountBalance.objects.bulk_update(list(balances.values()), ["receivable"], batch_size=2000)
    now, due = timezone.now(), due_date_after(on)
    for b in bills:
        b.status, b.issued_at, b.due_date, b.issued_by = BillStatus.ISSUED, now, due, who
    Bill.objects.bulk_update(bills, ["status", "issued_at", "due_date", "issued_by"], batch_size=2000)
    for balance in balances.values():
        if balance.prepaid > 0:
            allocate_prepaid(balance.account, user)
    return len(bills)


def allocate_to_bill(bill: Bill, amount: Decimal, user: Any) -> Allocation | None:
    """Settle ``amount`` of one bill from the prepaid balance (used when a bill is reversed)."""
    if amount <= 0:
        return None
    n = Allocation.objects.filter(bill=bill).count() + 1
    journal, created = post_journal(
        bill.account, "allocation", f"alloc:{bill.pk}:{n}", f"销账 {bill.period} 电费",
        [("prepaid", amount), ("receivable", -amount)], user,
    )
    return Allocation.objects.create(bill=bill, amount=amount, journal=journal) if created else None


def _receipt_no(station: Station, when: dt.datetime) -> str:
    Station.objects.select_for_update().filter(pk=station.pk).exists()  # serialise numbering per station
    day = timezone.localtime(when).strftime("%Y%m%d")
    prefix = f"{station.code}{day}"
    # A range (not LIKE) so that every backend uses the unique index on receipt_no.
    n = Payment.objects.filter(receipt_no__gte=prefix, receipt_no__lt=prefix + "~").count() + 1
    return f"{prefix}{n:05d}"


@dataclass(frozen=True)
class PaymentOutcome:
    payment: Payment
    created: bool
    allocations: list[Allocation]


def take_payment(
    account: Account,
    amount: Decimal,
    user: Any,
    *,
    method: str = "cash",
    channel: str = "counter",
    channel_ref: str,
    received_at: dt.datetime | None = None,
) -> PaymentOutcome:
    """Receive money for an account: oldest debt first, the rest kept as prepayment.

    Idempotent by (channel, channel_ref): a repeated submission returns the first payment.
    """
    require_perm(user, "payments.add_payment")
    check_station(user, account.station_id)
    if amount <= 0:
        raise ServiceError("invalid_amount", "收费金额必须大于 0")
    if amount != amount.quantize(Decimal("0.01")):
        raise ServiceError("invalid_amount", "收费金额最多两位小数")
    if not channel_ref:
        raise ServiceError("missing_ref", "缺少渠道流水号")
    with transaction.atomic():
        existing = Payment.objects.filter(channel=channel, channel_ref=channel_ref).first()
        if existing is not None:
            if existing.account_id != account.pk or existing.amount != amount:
                raise ServiceError("duplicate_ref", "渠道流水号已用于另一笔收费")
            return PaymentOutcome(existing, False, list(existing.allocations.all()))
        when = received_at or timezone.now()
        receipt = _receipt_no(account.station, when)
        journal, _ = post_journal(
            account, "payment", f"pay:{channel}:{channel_ref}", f"收费 {receipt}",
            [("cash", amount), ("prepaid", -amount)], user,
        )
        payment = Payment.objects.create(
            station_id=account.station_id, account=account, receipt_no=receipt, amount=amount, method=method,
            channel=channel, channel_ref=channel_ref, cashier=user if getattr(user, "pk", None) else None,
            received_at=when, journal=journal,
        )
        allocations = allocate_prepaid(account, user, payment)
        log_change(
            user=user, obj_type="payments.payment", obj_id=payment.pk, action="create", station_id=account.station_id,
            summary=f"收费 {receipt} 户号 {account.number} ¥{amount}", data={"allocations": [str(a.amount) for a in allocations]},
        )
    return PaymentOutcome(payment, True, allocations)


def _cents_dict(rows: Any) -> dict[Any, Decimal]:
    return {k: _cents(v) for k, v in rows}


def check_ledger() -> list[str]:
    """Every journal balances; every cached balance equals its postings; bills and payments reconcile."""
    problems: list[str] = []
    for key, total in (
        Journal.objects.values_list("key").annotate(s=Sum("postings__amount")).values_list("key", "s")
    ):
        if _cents(total) != 0:
            problems.append(f"凭证 {key} 借贷不平: {_cents(total)}")
    sums: dict[tuple[int, str], Decimal] = defaultdict(lambda: ZERO)
    for account_id, ledger, total in Posting.objects.values("account_id", "ledger").annotate(s=Sum("amount")).values_list(
        "account_id", "ledger", "s"
    ):
        sums[(account_id, ledger)] = _cents(total)
    balances = {b.account_id: b for b in AccountBalance.objects.all()}
    accounts = {a for a, _ in sums} | set(balances)
    issued = _cents_dict(
        Bill.objects.filter(status__in=[BillStatus.ISSUED, BillStatus.REVERSED], issued_at__isnull=False)
        .values("account_id").annotate(s=Sum("total")).values_list("account_id", "s")
    )
    allocated = _cents_dict(Allocation.objects.values("bill__account_id").annotate(s=Sum("amount")).values_list("bill__account_id", "s"))
    paid = _cents_dict(Payment.objects.values("account_id").annotate(s=Sum("amount")).values_list("account_id", "s"))
    for account_id in sorted(accounts):
        b = balances.get(account_id)
        receivable = sums[(account_id, "receivable")]
        prepaid = -sums[(account_id, "prepaid")]
        if b is None or b.receivable != receivable:
            problems.append(f"账户 {account_id} 应收余额 {b and b.receivable} ≠ 分录合计 {receivable}")
        if b is None or b.prepaid != prepaid:
            problems.append(f"账户 {account_id} 预收余额 {b and b.prepaid} ≠ 分录合计 {prepaid}")
        expected_receivable = (issued.get(account_id) or ZERO) - (allocated.get(account_id) or ZERO)
        if receivable != expected_receivable:
            problems.append(f"账户 {account_id} 应收 {receivable} ≠ 已发行电费 − 销账 {expected_receivable}")
        expected_prepaid = (paid.get(account_id) or ZERO) - (allocated.get(account_id) or ZERO)
        if prepaid != expected_prepaid:
            problems.append(f"账户 {account_id} 预收 {prepaid} ≠ 收费 − 销账 {expected_prepaid}")
    over = (
        Allocation.objects.values("bill_id", "bill__total").annotate(s=Sum("amount")).values_list("bill_id", "bill__total", "s")
    )
    for bill_id, total, s in over:
        if _cents(s) > total:
            problems.append(f"电费 {bill_id} 销账 {s} 超过应收 {total}")
    return problems
