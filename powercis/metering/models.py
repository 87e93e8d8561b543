"""Metering assets and metering points (计量点).

A metering point puts one meter (with its CT and PT) on one account: the multiplier (倍率) is the CT
ratio × PT ratio, ``digits`` the register's integer digits (for rollover), ``registers`` the codes
read each month (total, peak, flat, valley, sharp, reactive, demand).
"""

from __future__ import annotations

from decimal import Decimal

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


class MeteringPoint(models.Model):
    account = models.ForeignKey("customers.Account", on_delete=models.PROTECT, related_name="points")
    meter = models.ForeignKey(Meter, on_delete=models.PROTECT, related_name="points")
    ct_ratio = models.CharField("电流互感器变比", max_length=20, default="1/1")
    pt_ratio = models.CharField("电压互感器变比", max_length=20, default="1/1")
    registers = models.JSONField("示数类型", default=list)
    installed_on = models.DateField("装表日期")
    active = models.BooleanField("运行", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "计量点"

    def __str__(self) -> str:
        return f"{self.account.number}/{self.meter.asset_no}"

    @property
    def multiplier(self) -> Decimal:
        return parse_ratio(self.ct_ratio) * parse_ratio(self.pt_ratio)
