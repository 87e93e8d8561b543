"""Billing (核算): runs, bills, bill lines and review flags.

A bill is written once by a billing run and never edited in place: its status moves draft →
(flagged →) approved → issued; a correction is a reversal bill plus a new bill. The unique key
(account, period, kind, seq) makes a re-run of the same period write nothing twice.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models


def due_date_after(day: dt.date) -> dt.date:
    """The payment deadline (缴费截止日) of a bill issued on ``day`` (``POWERCIS_DUE_DAYS``, default 15)."""
    return day + dt.timedelta(days=getattr(settings, "POWERCIS_DUE_DAYS", 15))


class BillingRun(models.Model):
    STATUS = [("running", "计算中"), ("done", "已完成"), ("failed", "失败")]
    station = models.ForeignKey("org.Station", on_delete=models.PROTECT)
    period = models.CharField("电费年月", max_length=7)
    books = models.ManyToManyField("org.ReadingBook")
    status = models.CharField("状态", max_length=10, choices=STATUS, default="running")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    bills_created = models.PositiveIntegerField("新生成电费", default=0)
    bills_existing = models.PositiveIntegerField("已存在电费", default=0)
    errors = models.JSONField("错误", default=list)

    class Meta:
        verbose_name = verbose_name_plural = "电费计算批次"
        ordering = ["-id"]
        permissions = [("run_billing", "电费计算")]

    def __str__(self) -> str:
        return f"电费计算 #{self.pk} {self.period}"


class BillingPartition(models.Model):
    """One book of a run: its state lets a crashed run resume where it stopped."""

    run = models.ForeignKey(BillingRun, on_delete=models.CASCADE, related_name="partitions")
    book = models.ForeignKey("org.ReadingBook", on_delete=models.PROTECT)
    status = models.CharField(max_length=10, default="pending")
    bills_created = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.run_id}/{self.book_id} {self.status}"


class BillStatus(models.TextChoices):
    DRAFT = "draft", "待审核"
    FLAGGED = "flagged", "审核异常"
    APPROVED = "approved", "已审核"
    ISSUED = "issued", "已发行"
    REVERSED = "reversed", "已冲正"


#: The bill kinds that charge energy and money of their own: a reversal bill only cancels another.
STANDING_KINDS = ("regular", "rebill", "adjust")


class BillQuerySet(models.QuerySet["Bill"]):
    def standing(self) -> BillQuerySet:
        """The bills that stand (现行电费): kinds regular, rebill and adjust, not reversed.

        The one definition of "what an account was billed" for a period: the tier-year counter (年阶梯
        累计电量), the review rules' previous amount, the bill diff and the consumption chart all use it,
        so a re-billed month counts once (its rebill, not the reversed original) and a 退补 counts too.
        Reversal bills are excluded (they only cancel the reversed bill, which is excluded itself).
        """
        return self.filter(kind__in=STANDING_KINDS).exclude(status=BillStatus.REVERSED)


class Bill(models.Model):
    KINDS = [("regular", "正常电费"), ("reversal", "冲正"), ("rebill", "重新计费"), ("adjust", "退补")]
    station = models.ForeignKey("org.Station", on_delete=models.PROTECT)
    account = models.ForeignKey("customers.Account", on_delete=models.PROTECT, related_name="bills")
    book = models.ForeignKey("org.ReadingBook", on_delete=models.PROTECT, null=True, blank=True)
    run = models.ForeignKey(BillingRun, on_delete=models.PROTECT, null=True, blank=True, related_name="bills")
    period = models.CharField("电费年月", max_length=7)
    kind = models.CharField("类型", max_length=10, choices=KINDS, default="regular")
    seq = models.PositiveSmallIntegerField(default=1)
    status = models.CharField("状态", max_length=10, choices=BillStatus.choices, default=BillStatus.DRAFT)
    energy_kwh = models.DecimalField("结算电量(kWh)", max_digits=16, decimal_places=2)
    total = models.DecimalField("应收电费(元)", max_digits=14, decimal_places=2)
    pf = models.CharField("功率因数", max_length=40, blank=True)
    tariff_version = models.ForeignKey("tariffs.TariffVersion", on_delete=models.PROTECT, null=True, blank=True)
    rating_input = models.JSONField("计费输入", default=dict)
    period_start = models.DateField("起始日期")
    period_end = models.DateField("截止日期")
    due_date = models.DateField("缴费截止日", null=True, blank=True)
    reverses = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = BillQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "电费"
        constraints = [
            models.UniqueConstraint(fields=["account", "period", "kind", "seq"], name="bill_unique_key"),
        ]
        indexes = [models.Index(fields=["station", "period", "status"])]
        ordering = ["-period", "account__number"]
        permissions = [("review_bill", "电费审核"), ("issue_bill", "电费发行")]

    def __str__(self) -> str:
        return f"{self.account.number} {self.period} ¥{self.total}"

    @property
    def paid(self) -> Decimal:
        from powercis.services import db_sum

        return db_sum(self.allocations.aggregate(s=models.Sum("amount"))["s"])


class BillLine(models.Model):
    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="lines")
    seq = models.PositiveSmallIntegerField()
    item = models.CharField("项目编码", max_length=40)
    label = models.CharField("项目", max_length=60)
    quantity = models.DecimalField("数量", max_digits=18, decimal_places=4)
    unit = models.CharField("单位", max_length=10)
    price = models.DecimalField("单价", max_digits=14, decimal_places=6, null=True, blank=True)
    amount = models.DecimalField("金额(元)", max_digits=14, decimal_places=2)
    rule = models.CharField("依据", max_length=120)
    formula = models.CharField("计算过程", max_length=300)
    segment = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "电费明细"
        ordering = ["bill", "seq"]

    def __str__(self) -> str:
        return f"{self.label} {self.amount}"


class ReviewFlag(models.Model):
    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="flags")
    code = models.CharField("审核规则", max_length=30)
    message = models.CharField("说明", max_length=300)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField("审核意见", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "审核异常"

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class ReviewSettings(models.Model):
    """Thresholds of the bill review rules (电费审核规则), per station or company-wide (station empty)."""

    station = models.OneToOneField("org.Station", on_delete=models.PROTECT, null=True, blank=True)
    change_percent = models.DecimalField("电费波动阈值(%)", max_digits=6, decimal_places=2, default=Decimal("50"))
    change_min_yuan = models.DecimalField("电费波动最小金额(元)", max_digits=12, decimal_places=2, default=Decimal("50"))
    review_large_customers = models.BooleanField("大工业用户逐户审核", default=True)
    review_estimated = models.BooleanField("估抄电费须审核", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "电费审核规则"

    def __str__(self) -> str:
        return f"审核规则 {self.station or '全公司'}"


class AdjustmentStatus(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已审批入账"
    REJECTED = "rejected", "已驳回"


class Adjustment(models.Model):
    """A refund/supplement (退补) request: cause, evidence and computation; posted only on approval.

    ``kind`` meter_error: the case calculation (``powercis.core.calc``) gives the kWh to supplement
    (positive) or refund (negative), priced at ``price``; posted as an ``adjust`` bill.
    ``kind`` recalc: the bill is re-rated with corrected input; posted as a reversal bill plus a new
    bill. The requester may not approve (four-eyes).
    """

    KINDS = [("meter_error", "计量差错退补"), ("recalc", "重新计费")]
    station = models.ForeignKey("org.Station", on_delete=models.PROTECT)
    account = models.ForeignKey("customers.Account", on_delete=models.PROTECT, related_name="adjustments")
    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, null=True, blank=True, related_name="adjustments")
    kind = models.CharField("退补类型", max_length=12, choices=KINDS)
    cause = models.CharField("退补原因", max_length=200)
    evidence = models.TextField("证据说明")
    calc_kind = models.CharField("计算类型", max_length=30, blank=True)
    calc_input = models.JSONField("计算输入", default=dict)
    calc_result = models.JSONField("计算结果", default=dict)
    kwh = models.DecimalField("退补电量(kWh)", max_digits=16, decimal_places=2, null=True, blank=True)
    price = models.DecimalField("电价", max_digits=12, decimal_places=6, null=True, blank=True)
    amount = models.DecimalField("退补金额(元, +补收/-退还)", max_digits=14, decimal_places=2)
    status = models.CharField("状态", max_length=10, choices=AdjustmentStatus.choices, default=AdjustmentStatus.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=200, blank=True)
    posted_bills = models.ManyToManyField(Bill, blank=True, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "退补"
        ordering = ["-requested_at"]
        permissions = [("request_adjustment", "申请退补"), ("approve_adjustment", "审批退补")]

    def __str__(self) -> str:
        return f"退补 #{self.pk} {self.account_id} {self.amount}"
