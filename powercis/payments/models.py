"""Payments and the per-account double-entry ledger (收费与账务).

Every money event is a ``Journal`` of ``Posting`` rows that sum to zero (debit positive, credit
negative). Ledger codes: ``receivable`` (应收电费, per account), ``prepaid`` (预收电费, per account,
a liability), ``revenue`` (电费收入) and ``cash`` (收款). Issuance: Dr receivable / Cr revenue.
A payment: Dr cash / Cr prepaid; its allocation to a bill: Dr prepaid / Cr receivable. Journals
and postings are never edited or deleted; ``AccountBalance`` is a cache kept in the same
transaction and proven equal to the postings by ``powercis ledger check``.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

LEDGERS = [
    ("receivable", "应收电费"),
    ("prepaid", "预收电费"),
    ("revenue", "电费收入"),
    ("cash", "收款"),
]


class Journal(models.Model):
    KINDS = [
        ("issue", "电费发行"),
        ("payment", "收费"),
        ("allocation", "销账"),
        ("reversal", "冲正"),
    ]
    station = models.ForeignKey("org.Station", on_delete=models.PROTECT)
    account = models.ForeignKey("customers.Account", on_delete=models.PROTECT, related_name="journals")
    kind = models.CharField("业务类型", max_length=12, choices=KINDS)
    key = models.CharField("幂等键", max_length=80, unique=True)
    memo = models.CharField("摘要", max_length=200)
    created_at = models.DateTimeField("记账时间", auto_now_add=True, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "记账凭证"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.key} {self.memo}"


class Posting(models.Model):
    journal = models.ForeignKey(Journal, on_delete=models.PROTECT, related_name="postings")
    account = models.ForeignKey("customers.Account", on_delete=models.PROTECT, related_name="postings")
    ledger = models.CharField("科目", max_length=12, choices=LEDGERS)
    amount = models.DecimalField("金额(借+/贷-)", max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = verbose_name_plural = "分录"
        indexes = [models.Index(fields=["account", "ledger"])]

    def __str__(self) -> str:
        return f"{self.ledger} {self.amount}"


class AccountBalance(models.Model):
    """Cached balances of one account; always equal to the sums of its postings."""

    account = models.OneToOneField("customers.Account", on_delete=models.PROTECT, related_name="balance")
    receivable = models.DecimalField("应收余额", max_digits=14, decimal_places=2, default=Decimal("0.00"))
    prepaid = models.DecimalField("预收余额", max_digits=14, decimal_places=2, default=Decimal("0.00"))

    class Meta:
        verbose_name = verbose_name_plural = "账户余额"

    def __str__(self) -> str:
        return f"{self.account_id}: 应收 {self.receivable} 预收 {self.prepaid}"

    @property
    def owed(self) -> Decimal:
        """Net amount the customer owes (negative = credit in hand)."""
        return self.receivable - self.prepaid


class Payment(models.Model):
    METHODS = [("cash", "现金"), ("card", "银行卡"), ("transfer", "转账"), ("online", "网上缴费")]
    station = models.ForeignKey("org.Station", on_delete=models.PROTECT)
    account = models.ForeignKey("customers.Account", on_delete=models.PROTECT, related_name="payments")
    receipt_no = models.CharField("收据号", max_length=30, unique=True)
    amount = models.DecimalField("金额(元)", max_digits=14, decimal_places=2)
    method = models.CharField("方式", max_length=10, choices=METHODS, default="cash")
    channel = models.CharField("渠道", max_length=20, default="counter")
    channel_ref = models.CharField("渠道流水号", max_length=64)
    cashier = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    received_at = models.DateTimeField("收费时间")
    journal = models.OneToOneField(Journal, on_delete=models.PROTECT, related_name="payment")

    class Meta:
        verbose_name = verbose_name_plural = "收费记录"
        constraints = [models.UniqueConstraint(fields=["channel", "channel_ref"], name="payment_channel_ref")]
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.receipt_no} ¥{self.amount}"


class Allocation(models.Model):
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="allocations", null=True)
    bill = models.ForeignKey("billing.Bill", on_delete=models.PROTECT, related_name="allocations")
    amount = models.DecimalField("销账金额", max_digits=14, decimal_places=2)
    journal = models.ForeignKey(Journal, on_delete=models.PROTECT, related_name="allocations")

    class Meta:
        verbose_name = verbose_name_plural = "销账记录"

    def __str__(self) -> str:
        return f"{self.bill_id} ← {self.amount}"
