"""Meter reading (抄表): books, monthly plans, readings and their exceptions.

A reading book (抄表段) groups accounts with a fixed reading day and a responsible reader. Each month
a plan per book collects one reading per metering point and register; validation turns doubtful
readings into exceptions, and the plan is released to billing only when none is open.
A corrected reading is a new row; the old one is kept with ``superseded`` set.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from powercis.org.models import ReadingBook

__all__ = ["ReadingBook"]  # the book lives in org (archives point to it); re-exported for readers


class PlanStatus(models.TextChoices):
    OPEN = "open", "抄表中"
    RELEASED = "released", "已发送核算"
    BILLED = "billed", "已计费"


class ReadingPlan(models.Model):
    book = models.ForeignKey(ReadingBook, on_delete=models.PROTECT, related_name="plans")
    station = models.ForeignKey("org.Station", on_delete=models.PROTECT)
    period = models.CharField("电费年月", max_length=7)
    reading_date = models.DateField("抄表日期")
    status = models.CharField("状态", max_length=10, choices=PlanStatus.choices, default=PlanStatus.OPEN)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "抄表计划"
        constraints = [models.UniqueConstraint(fields=["book", "period"], name="plan_unique_book_period")]
        ordering = ["-period", "book__code"]
        permissions = [("release_book", "抄表段发送核算")]

    def __str__(self) -> str:
        return f"{self.book.code} {self.period}"


class ReadingSource(models.TextChoices):
    SCREEN = "screen", "手工录入"
    IMPORT = "import", "文件导入"
    AMI = "ami", "用电信息采集"
    DLT645 = "dlt645", "DL/T 645"
    INITIAL = "initial", "装表底度"


class ReadingStatus(models.TextChoices):
    VALID = "valid", "正常"
    EXCEPTION = "exception", "异常待处理"
    ACCEPTED = "accepted", "异常已确认"


class Reading(models.Model):
    plan = models.ForeignKey(ReadingPlan, on_delete=models.PROTECT, related_name="readings", null=True, blank=True)
    point = models.ForeignKey("metering.MeteringPoint", on_delete=models.PROTECT, related_name="readings")
    station = models.ForeignKey("org.Station", on_delete=models.PROTECT)
    period = models.CharField("电费年月", max_length=7, db_index=True)
    register = models.CharField("示数类型", max_length=10)
    value = models.DecimalField("本次示数", max_digits=14, decimal_places=2)
    previous = models.DecimalField("上次示数", max_digits=14, decimal_places=2, null=True, blank=True)
    register_delta = models.DecimalField("示数差", max_digits=14, decimal_places=2, null=True, blank=True)
    kwh = models.DecimalField("电量", max_digits=16, decimal_places=2, null=True, blank=True)
    rolled_over = models.BooleanField("翻转", default=False)
    estimated = models.BooleanField("估抄", default=False)
    source = models.CharField("来源", max_length=10, choices=ReadingSource.choices)
    read_at = models.DateTimeField("抄表时间")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=ReadingStatus.choices, default=ReadingStatus.VALID)
    superseded = models.BooleanField("已更正", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "抄表示数"
        constraints = [
            models.UniqueConstraint(
                fields=["point", "period", "register"],
                condition=models.Q(superseded=False),
                name="reading_one_current_per_register",
            )
        ]
        indexes = [models.Index(fields=["point", "register", "period"])]

    def __str__(self) -> str:
        return f"{self.point} {self.period} {self.register}={self.value}"


class ReadingException(models.Model):
    STATUS = [("open", "待处理"), ("accepted", "已确认"), ("corrected", "已更正")]
    reading = models.ForeignKey(Reading, on_delete=models.PROTECT, related_name="exceptions")
    plan = models.ForeignKey(ReadingPlan, on_delete=models.PROTECT, related_name="exceptions", null=True)
    station = models.ForeignKey("org.Station", on_delete=models.PROTECT)
    code = models.CharField("异常类型", max_length=20)
    severity = models.CharField("级别", max_length=10)
    message = models.CharField("说明", max_length=300)
    status = models.CharField("状态", max_length=10, choices=STATUS, default="open")
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField("处理意见", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "抄表异常"
        permissions = [("resolve_exception", "处理抄表异常"), ("import_readings", "导入抄表数据")]

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"
