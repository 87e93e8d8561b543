"""Tariff catalogue (电价目录) with versions effective by date.

A ``TariffVersion.prices`` is the rater's price spec (see ``powercis.core.rating``): ``{"flat": …}``,
TOU ``{"flat": …, "peak": …, "valley": …}`` or factors, tiers ``{"tiers": {"basis": "annual",
"thresholds": […], "prices": […]}}``. Prices keep their published precision as decimal strings.
Versions are never edited once in force: a price change is a new version with a later date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models


class TariffCategory(models.TextChoices):
    RESIDENTIAL = "residential", "居民生活"
    COMMERCIAL = "commercial", "一般工商业"
    LARGE_INDUSTRIAL = "large_industrial", "大工业"
    AGRICULTURAL = "agricultural", "农业生产"
    TEMPORARY = "temporary", "临时用电"


class Tariff(models.Model):
    code = models.CharField("电价编码", max_length=30, unique=True)
    name = models.CharField("电价名称", max_length=100)
    category = models.CharField("用电类别", max_length=20, choices=TariffCategory.choices)
    voltage = models.CharField("电压等级", max_length=20, default="不满1千伏")
    two_part = models.BooleanField("两部制", default=False)
    tou = models.BooleanField("分时", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "电价"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def version_on(self, day: dt.date) -> TariffVersion:
        """The version in force on ``day`` (the latest effective on or before it)."""
        version = self.versions.filter(effective_from__lte=day).order_by("-effective_from").first()
        if version is None:
            raise TariffVersion.DoesNotExist(f"{self.code} 在 {day} 无有效电价版本")
        return version


class TariffVersion(models.Model):
    tariff = models.ForeignKey(Tariff, on_delete=models.PROTECT, related_name="versions")
    label = models.CharField("版本", max_length=50)
    effective_from = models.DateField("生效日期")
    prices = models.JSONField("电度电价")
    basic_price_capacity = models.DecimalField(
        "基本电价(元/kVA·月)", max_digits=10, decimal_places=4, null=True, blank=True
    )
    basic_price_demand = models.DecimalField(
        "基本电价(元/kW·月)", max_digits=10, decimal_places=4, null=True, blank=True
    )
    funds = models.JSONField("政府性基金及附加", default=list, blank=True)
    source = models.CharField("依据", max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "电价版本"
        constraints = [
            models.UniqueConstraint(fields=["tariff", "effective_from"], name="tariff_version_unique_date"),
        ]
        ordering = ["tariff", "effective_from"]

    def __str__(self) -> str:
        return f"{self.tariff.code} {self.label}"

    @property
    def ref(self) -> str:
        return f"{self.tariff.code}@{self.effective_from.isoformat()}"

    def price_spec(self) -> dict[str, Any]:
        return dict(self.prices)
