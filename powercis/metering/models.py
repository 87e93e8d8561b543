"""Metering assets and metering points (计量点).

A metering point puts one meter (with its CT and PT) on one account: the multiplier (倍率) is the CT
ratio × PT ratio, ``digits`` the register's integer digits (for rollover), ``registers`` the codes
read each month (total, peak, flat, valley, sharp, reactive, demand).

A point is dated: it counts from ``installed_on`` until ``removed_on`` (the day it was taken off,
null while it runs). A change of multiplier (new CT/PT) or meter is a new point with its own
``installed_on`` and the old one gets ``removed_on``; billing gathers a period's points by these dates
(``MeteringPoint.objects.in_period``), not by today's ``active`` flag, which is kept equal to
"not removed" for the reading screens.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models

from powercis.core.money import parse_ratio

REGISTERS = {
    "total": "有功总",
    "peak": "峰",
    "valley": "谷",
    "sharp": "尖峰",
    "reactive": "无功",
    "demand": "最大需量",
}


class Meter(models.Model):
    STATES = [
        ("stock", "入库"), ("issued", "领用"), ("running", "运行"), ("removed", "拆回"),
        ("to_test", "待检"), ("scrapped", "报废"),
    ]
    station = models.ForeignKey("org.Station", on_delete=models.PROTECT)
    asset_no = models.CharField("资产编号", max_length=30, unique=True)
    model = models.CharField("型号", max_length=50, default="DDZY")
    accuracy = models.CharField("准确度等级", max_length=10, default="2.0")
    digits = models.PositiveSmallIntegerField("整数位数", default=6)
    state = models.CharField("状态", max_length=10, choices=STATES, default="running")
    verified_on = models.DateField("检定日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "电能表"
        ordering = ["asset_no"]

    def __str__(self) -> str:
        return self.asset_no


class MeteringPointQuerySet(models.QuerySet["MeteringPoint"]):
    def in_period(self, first_day: dt.date, last_day: dt.date) -> MeteringPointQuerySet:
        """Points that run on some day from ``first_day`` to ``last_day`` (both inclusive).

        A point runs from ``installed_on`` through ``removed_on``, both inclusive: on the day of a meter
        or CT/PT change the old meter is read and taken off and the new one put on, so that day's energy
        is partly on each. So a point counts for the billing period (previous reading date, reading
        date] when installed_on ≤ reading date and (removed_on is null or removed_on > previous
        reading date).
        """
        return self.filter(installed_on__lte=last_day).filter(
            models.Q(removed_on__isnull=True) | models.Q(removed_on__gte=first_day)
        )


class MeteringPoint(models.Model):
    account = models.ForeignKey("customers.Account", on_delete=models.PROTECT, related_name="points")
    meter = models.ForeignKey(Meter, on_delete=models.PROTECT, related_name="points")
    ct_ratio = models.CharField("电流互感器变比", max_length=20, default="1/1")
    pt_ratio = models.CharField("电压互感器变比", max_length=20, default="1/1")
    registers = models.JSONField("示数类型", default=list)
    installed_on = models.DateField("装表日期")
    removed_on = models.DateField("拆表日期", null=True, blank=True)
    active = models.BooleanField("运行", default=True)

    objects = MeteringPointQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "计量点"

    def __str__(self) -> str:
        return f"{self.account.number}/{self.meter.asset_no}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """``active`` is derived: a point runs until it is removed (kept for the reading screens)."""
        self.active = self.removed_on is None
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "removed_on" in update_fields:
            kwargs["update_fields"] = {*update_fields, "active"}
        super().save(*args, **kwargs)

    @property
    def multiplier(self) -> Decimal:
        return parse_ratio(self.ct_ratio) * parse_ratio(self.pt_ratio)
