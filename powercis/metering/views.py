"""计量资产 pages: the meter ledger of the station."""

from __future__ import annotations

from powercis.metering.filtersets import MeterFilterSet
from powercis.metering.models import Meter
from powercis.web.generic import ScopedListView
from powercis.web.tables import Column


class MeterListView(ScopedListView):
    model = Meter
    permission = "metering.view_meter"
    title = "计量资产"
    columns = (
        Column("asset_no", "资产编号", order_by="asset_no"),
        Column("model", "型号", order_by="model"),
        Column("accuracy", "准确度等级"),
        Column("digits", "整数位数", numeric=True),
        Column("state", "状态", display=True, order_by="state"),
        Column("verified_on", "检定日期", order_by="verified_on"),
        Column("station", "供电所", "station.name"),
    )
    filterset_class = MeterFilterSet
    default_order = ("asset_no",)
    export_name = "meters"

    def base_queryset(self):  # type: ignore[no-untyped-def]
        return Meter.objects.select_related("station")
