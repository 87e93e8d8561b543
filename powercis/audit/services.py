"""Writing and verifying the change log. Call ``log_change`` inside the business transaction."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import transaction

from powercis.audit.models import ChangeLog

GENESIS = "0" * 64


def _digest(prev_hash: str, payload: dict[str, Any]) -> str:
    body = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


def _payload(entry: ChangeLog) -> dict[str, Any]:
    return {
        "user": entry.user_id,
        "station": entry.station_id,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "action": entry.action,
        "summary": entry.summary,
        "data": entry.data,
    }


def log_change(
    *,
    user: Any,
    obj_type: str,
    obj_id: Any,
    action: str,
    summary: str,
    data: dict[str, Any] | None = None,
    station_id: int | None = None,
) -> ChangeLog:
    """Append one entry to the chain. Must run inside the transaction of the change it records."""
    with transaction.atomic():
        last = ChangeLog.objects.select_for_update().order_by("-id").first()
        prev_hash = last.hash if last else GENESIS
        entry = ChangeLog(
            user=user if getattr(user, "pk", None) else None,
            station_id=station_id,
            object_type=obj_type,
            object_id=str(obj_id),
            action=action,
            summary=summary[:200],
            data=json.loads(json.dumps(data or {}, default=str)),
            prev_hash=prev_hash,
        )
        entry.hash = _digest(prev_hash, _payload(entry))
        entry.save()
        return entry


def verify_chain() -> list[str]:
    """Return a list of problems (empty when every entry's hash and link are intact)."""
    problems: list[str] = []
    prev = GENESIS
    for entry in ChangeLog.objects.order_by("id").iterator():
        if entry.prev_hash != prev:
            problems.append(f"变更日志 #{entry.pk} 的前序哈希不连续")
        if _digest(entry.prev_hash, _payload(entry)) != entry.hash:
            problems.append(f"变更日志 #{entry.pk} 的内容与哈希不符")
        prev = entry.hash
    return problems
