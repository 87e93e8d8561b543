"""Organisation: company → station (供电所) → transformer area (台区) and feeder (10kV 线路).

Every customer, meter, reading book and money record belongs to one station; staff belong to a
station (or to the company level, which sees all stations).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Company(models.Model):
    code = models.CharField("编码", max_length=20, unique=True)
    name = models.CharField("名称", max_length=100)

    class Meta:
        verbose_name = verbose_name_plural = "供电公司"

    def __str__(self) -> str:
        return self.name


class Station(models.Model):
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="stations")
    code = models.CharField("编码", max_length=20, unique=True)
    name = models.CharField("名称", max_length=100)

    class Meta:
        verbose_name = verbose_name_plural = "供电所"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Feeder(models.Model):
    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="feeders")
    code = models.CharField("编码", max_length=30, unique=True)
    name = models.CharField("名称", max_length=100)
    voltage_kv = models.DecimalField("电压等级(kV)", max_digits=6, decimal_places=2, default=10)

    class Meta:
        verbose_name = verbose_name_plural = "10kV线路"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class TransformerArea(models.Model):
    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="areas")
    feeder = models.ForeignKey(Feeder, on_delete=models.PROTECT, related_name="areas", null=True, blank=True)
    code = models.CharField("编码", max_length=30, unique=True)
    name = models.CharField("名称", max_length=100)
    capacity_kva = models.DecimalField("容量(kVA)", max_digits=10, decimal_places=2, default=0)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "台区"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class ReadingBook(models.Model):
    """A reading book (抄表段): accounts of one station read on a fixed day by one reader.

    It lives in ``org`` beside areas and feeders because the archive (``customers.Account.book``)
    points to it and apps depend downward only: org ← customers ← reading.
    """

    station = models.ForeignKey("org.Station", on_delete=models.PROTECT, related_name="books")
    code = models.CharField("抄表段编号", max_length=20, unique=True)
    name = models.CharField("抄表段名称", max_length=100)
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="books",
        verbose_name="抄表员",
    )
    reading_day = models.PositiveSmallIntegerField("抄表例日")

    class Meta:
        db_table = "reading_readingbook"  # created by the reading app; moved here to keep dependencies downward
        verbose_name = verbose_name_plural = "抄表段"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class StaffProfile(models.Model):
    """A staff member's place in the organisation. ``station`` empty = company level (sees all)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff")
    company = models.ForeignKey(Company, on_delete=models.PROTECT)
    station = models.ForeignKey(Station, on_delete=models.PROTECT, null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "员工"
        permissions = [
            ("view_all_stations", "查看全公司数据"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.station or self.company}"


class LoginFailure(models.Model):
    """One failed sign-in (web or API token). Enough of them lock the user name for a while
    (``powercis.org.security``); the rows are the record of attempts, kept like any security log."""

    username = models.CharField("用户名", max_length=150, db_index=True)
    ip = models.CharField("来源地址", max_length=64, blank=True)
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "登录失败记录"

    def __str__(self) -> str:
        return f"{self.username} {self.at:%Y-%m-%d %H:%M} {self.ip}"
