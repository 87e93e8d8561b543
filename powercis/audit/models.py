"""Append-only, tamper-evident change log for archives, tariffs and money (SPEC §12).

Each entry stores the SHA-256 of its content chained to the previous entry's hash, so an edit or
deletion anywhere in the chain shows up in ``verify_chain``. Rows are never updated or deleted.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class ChangeLog(models.Model):
    ACTIONS = [("create", "新增"), ("update", "修改"), ("delete", "删除"), ("action", "操作")]

    time = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    station = models.ForeignKey("org.Station", on_delete=models.PROTECT, null=True, blank=True)
    object_type = models.CharField("对象类型", max_length=50, db_index=True)
    object_id = models.CharField("对象", max_length=50, db_index=True)
    action = models.CharField("动作", max_length=10, choices=ACTIONS)
    summary = models.CharField("摘要", max_length=200)
    data = models.JSONField("内容", default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = verbose_name_plural = "变更日志"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M} {self.object_type}:{self.object_id} {self.summary}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("变更日志只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("变更日志不能删除")
