"""Metering's menu entry and the metering-point panel of the account page."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop

from powercis.metering.models import REGISTERS, MeteringPoint
from powercis.registry import MenuItem, Panel

MENU = [MenuItem("metering:meters", gettext_noop("计量资产"), "metering.view_meter", order=20)]


def _points(request: Any, account: Any) -> dict[str, Any]:
    points = list(MeteringPoint.objects.filter(account=account).select_related("meter").order_by("-active", "id"))
    for point in points:
        point.register_labels = [REGISTERS.get(r, r) for r in point.registers]
    return {"points": points}


PANELS = [Panel("customers.account", "metering/panels/points.html", _points, "metering.view_meteringpoint", order=20)]
